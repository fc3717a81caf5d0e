package monri_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"testing"
)

// Every enum constant gen defines is re-exported by package monri, so that
// a contract change that adds or renames a value cannot leave the one-import
// path behind. It reads the sources: constants cannot be listed by
// reflection.
func TestEveryGeneratedEnumIsReexported(t *testing.T) {
	genEnums := enumConsts(t, filepath.Join("gen", "monri.gen.go"))
	if len(genEnums) < 10 {
		t.Fatalf("found only %d enum constants in gen: %v", len(genEnums), genEnums)
	}
	reexported := genRefs(t, "enums.go")
	for _, name := range genEnums {
		if !slices.Contains(reexported, name) {
			t.Errorf("gen.%s has no constant in package monri (enums.go)", name)
		}
	}
}

// enumConsts lists the typed constants of a generated file.
func enumConsts(t *testing.T, path string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			if vs.Type == nil {
				continue
			}
			for _, n := range vs.Names {
				names = append(names, n.Name)
			}
		}
	}
	return names
}

// genRefs lists the gen.X names a file's constants are defined as.
func genRefs(t *testing.T, path string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			for _, v := range s.(*ast.ValueSpec).Values {
				if sel, ok := v.(*ast.SelectorExpr); ok {
					if x, ok := sel.X.(*ast.Ident); ok && x.Name == "gen" {
						refs = append(refs, sel.Sel.Name)
					}
				}
			}
		}
	}
	return refs
}
