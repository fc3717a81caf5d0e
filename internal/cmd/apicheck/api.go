package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/printer"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
)

// buildContext is fixed, not the host's, so that every machine lists the
// same files and writes the same API.
var buildContext = func() build.Context {
	c := build.Default
	c.GOOS, c.GOARCH, c.CgoEnabled = "linux", "amd64", false
	c.BuildTags = nil
	return c
}()

// api returns the exported API of the package in dir, one sorted line per
// declaration, each starting with "pkg <importPath>, ".
func api(dir, importPath string) ([]string, error) {
	bp, err := buildContext.ImportDir(dir, 0)
	if err != nil {
		return nil, fmt.Errorf("apicheck: %s: %w", dir, err)
	}
	fset := token.NewFileSet()
	w := &walker{fset: fset, prefix: "pkg " + importPath + ", "}
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("apicheck: %w", err)
		}
		for _, d := range f.Decls {
			w.decl(d)
		}
	}
	slices.Sort(w.lines)
	return slices.Compact(w.lines), nil
}

// walker turns declarations into lines. It reads syntax only, so it sees
// what the source says (an alias as "= gen.X", a type's own fields and
// methods), not what type checking would infer.
type walker struct {
	fset   *token.FileSet
	prefix string
	lines  []string
}

func (w *walker) emit(format string, args ...any) {
	w.lines = append(w.lines, w.prefix+fmt.Sprintf(format, args...))
}

func (w *walker) decl(d ast.Decl) {
	switch d := d.(type) {
	case *ast.FuncDecl:
		w.funcDecl(d)
	case *ast.GenDecl:
		switch d.Tok {
		case token.TYPE:
			for _, s := range d.Specs {
				w.typeSpec(s.(*ast.TypeSpec))
			}
		case token.CONST, token.VAR:
			w.valueSpecs(d)
		}
	}
}

func (w *walker) funcDecl(d *ast.FuncDecl) {
	if !d.Name.IsExported() {
		return
	}
	if d.Recv == nil {
		w.emit("func %s%s%s", d.Name.Name, w.typeParams(d.Type.TypeParams), w.signature(d.Type))
		return
	}
	recv := d.Recv.List[0].Type
	base := recv
	if star, ok := base.(*ast.StarExpr); ok {
		base = star.X
	}
	switch b := base.(type) {
	case *ast.IndexExpr:
		base = b.X
	case *ast.IndexListExpr:
		base = b.X
	}
	if id, ok := base.(*ast.Ident); !ok || !id.IsExported() {
		return
	}
	w.emit("method (%s) %s%s", w.expr(recv), d.Name.Name, w.signature(d.Type))
}

func (w *walker) typeSpec(s *ast.TypeSpec) {
	if !s.Name.IsExported() {
		return
	}
	name := s.Name.Name + w.typeParams(s.TypeParams)
	if s.Assign.IsValid() {
		w.emit("type %s = %s", name, w.expr(s.Type))
		return
	}
	switch t := s.Type.(type) {
	case *ast.StructType:
		w.emit("type %s struct", name)
		for _, f := range t.Fields.List {
			typ := w.expr(f.Type)
			if len(f.Names) == 0 {
				// An embedded field is part of the API whatever its case:
				// its exported methods and fields are promoted.
				w.emit("type %s struct, embedded %s", name, typ)
			}
			for _, n := range f.Names {
				if n.IsExported() {
					w.emit("type %s struct, %s %s", name, n.Name, typ)
				}
			}
		}
	case *ast.InterfaceType:
		w.emit("type %s interface", name)
		for _, m := range t.Methods.List {
			if ft, ok := m.Type.(*ast.FuncType); ok && len(m.Names) > 0 {
				for _, n := range m.Names {
					if n.IsExported() {
						w.emit("type %s interface, %s%s", name, n.Name, w.signature(ft))
					}
				}
				continue
			}
			// An embedded interface or a type-set term.
			w.emit("type %s interface, embedded %s", name, w.expr(m.Type))
		}
	default:
		w.emit("type %s %s", name, w.expr(s.Type))
	}
}

// valueSpecs lists exported constants and variables. A constant that
// repeats the group's previous expression (iota) gets that expression and
// its iota, so reordering a group shows up as a change.
func (w *walker) valueSpecs(d *ast.GenDecl) {
	kind := d.Tok.String()
	var lastType ast.Expr
	var lastValues []ast.Expr
	for iota, s := range d.Specs {
		vs := s.(*ast.ValueSpec)
		typ, values, implicit := vs.Type, vs.Values, false
		if d.Tok == token.CONST && typ == nil && len(values) == 0 {
			typ, values, implicit = lastType, lastValues, true
		}
		if d.Tok == token.CONST && !implicit {
			lastType, lastValues = typ, values
		}
		for i, n := range vs.Names {
			if !n.IsExported() {
				continue
			}
			line := kind + " " + n.Name
			if typ != nil {
				line += " " + w.expr(typ)
			}
			if i < len(values) {
				v := values[i]
				if d.Tok == token.VAR {
					v = shallow(v)
				}
				line += " = " + w.expr(v)
				if d.Tok == token.CONST && mentionsIota(v) {
					line += fmt.Sprintf(" [iota=%d]", iota)
				}
			}
			w.emit("%s", line)
		}
	}
}

// shallow keeps a variable's initialiser to what names its type: a call's
// function and a literal's type, not the values, which are an
// implementation detail.
func shallow(e ast.Expr) ast.Expr {
	if c, ok := e.(*ast.CallExpr); ok {
		return &ast.CallExpr{Fun: c.Fun, Args: []ast.Expr{&ast.Ident{Name: "..."}}}
	}
	switch e := e.(type) {
	case *ast.FuncLit:
		return &ast.Ident{Name: "func literal"}
	case *ast.CompositeLit:
		return &ast.CompositeLit{Type: e.Type, Elts: []ast.Expr{&ast.Ident{Name: "..."}}}
	case *ast.UnaryExpr:
		if c, ok := e.X.(*ast.CompositeLit); ok && e.Op == token.AND {
			return &ast.UnaryExpr{Op: token.AND, X: shallow(c)}
		}
	}
	return e
}

func mentionsIota(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == "iota" {
			found = true
		}
		return !found
	})
	return found
}

// signature prints a func type without parameter names, which callers
// cannot depend on: "(string, ...Option) (*Signer, error)".
func (w *walker) signature(ft *ast.FuncType) string {
	s := "(" + w.fieldTypes(ft.Params) + ")"
	if ft.Results == nil || len(ft.Results.List) == 0 {
		return s
	}
	res := w.fieldTypes(ft.Results)
	if len(ft.Results.List) == 1 && len(ft.Results.List[0].Names) <= 1 {
		return s + " " + res
	}
	return s + " (" + res + ")"
}

func (w *walker) fieldTypes(fl *ast.FieldList) string {
	if fl == nil {
		return ""
	}
	var parts []string
	for _, f := range fl.List {
		n := max(len(f.Names), 1)
		for range n {
			parts = append(parts, w.expr(f.Type))
		}
	}
	return strings.Join(parts, ", ")
}

func (w *walker) typeParams(fl *ast.FieldList) string {
	if fl == nil || len(fl.List) == 0 {
		return ""
	}
	var parts []string
	for _, f := range fl.List {
		names := make([]string, len(f.Names))
		for i, n := range f.Names {
			names[i] = n.Name
		}
		parts = append(parts, strings.Join(names, ", ")+" "+w.expr(f.Type))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// expr prints an expression on one line; func types inside it (a field of
// type func(...)) lose their parameter names too.
func (w *walker) expr(e ast.Expr) string {
	if ft, ok := e.(*ast.FuncType); ok {
		return "func" + w.signature(ft)
	}
	var buf bytes.Buffer
	if err := printer.Fprint(&buf, w.fset, stripNames(e)); err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return strings.Join(strings.Fields(buf.String()), " ")
}

// stripNames drops parameter names and comments from func types nested in
// e, so that renaming a parameter is not an API change.
func stripNames(e ast.Expr) ast.Expr {
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncType:
			for _, fl := range []*ast.FieldList{n.Params, n.Results} {
				if fl == nil {
					continue
				}
				var list []*ast.Field
				for _, f := range fl.List {
					for range max(len(f.Names), 1) {
						list = append(list, &ast.Field{Type: f.Type})
					}
				}
				fl.List = list
			}
		case *ast.Field:
			n.Doc, n.Comment, n.Tag = nil, nil, nil
		}
		return true
	})
	return e
}
