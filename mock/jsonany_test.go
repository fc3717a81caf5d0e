package mock

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// stdAny is what kin-openapi's JSON body decoder does.
func stdAny(data []byte) (any, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	err := dec.Decode(&v)
	return v, err
}

func sameAsStd(t *testing.T, data []byte) {
	t.Helper()
	want, wantErr := stdAny(data)
	got, err := decodeAny(data)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%.200q: decodeAny error %v, encoding/json error %v", data, err, wantErr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%.200q: decodeAny %#v, encoding/json %#v", data, got, want)
	}
}

var anyCases = []string{
	``, ` `, "\t\n\r ", `null`, `true`, `false`, `nul`, `tru`, `truex`, `true x`, `0`, `-0`, `-`, `01`, `1.`, `1.5`,
	`1e5`, `1E+5`, `1e-5`, `1e`, `1.5.3`, `-1.25e+10`, `1x`, `1 x`, `"a"`, `"a"x`, `"a" x`, `"a`, `"\"\\\/\b\f\n\r\t"`,
	`"\u00e9\u20AC"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ud83dx"`, `"\ud83d\u0041"`, `"\ude00"`, `"\ud83d\\u1234"`,
	`"\x"`, `"\u12"`, `"\u12g4"`, "\"a\x01b\"", "\"\xff\"", "\"a\xc3\"", "\"\xed\xa0\x80\"", "\"é€😀\"", `{}`, `[]`,
	`{"a":1}`, `{"a":1,}`, `{"a" 1}`, `{"a":}`, `{a:1}`, `{"a":1}x`, `{"a":1} {`, `[1,]`, `[1 2]`, `[1,2]trailing`,
	`{"a":1,"a":2}`, `{"a":{"b":[1,"x",null,true,{"c":[]}]}}`, `[[[[]]]]`, `{"a":[}`, `{"a"`, `[`, `{`, `{"a":1`,
	`{"order_number":"o-1","amount":30,"currency":"BAM","metadata":{"key":"value"}}`, "\xef\xbb\xbf{}", "\x00",
	strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth),
	strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1),
	strings.Repeat(`{"a":`, maxDepth) + "1" + strings.Repeat("}", maxDepth),
	strings.Repeat(`{"a":`, maxDepth+1) + "1" + strings.Repeat("}", maxDepth+1),
}

func TestDecodeAnyMatchesEncodingJSON(t *testing.T) {
	for _, c := range anyCases {
		sameAsStd(t, []byte(c))
	}
}

func FuzzDecodeAny(f *testing.F) {
	for _, c := range anyCases[:len(anyCases)-4] {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) { sameAsStd(t, data) })
}
