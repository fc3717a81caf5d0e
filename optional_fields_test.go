package monri_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/wire"
)

// bodyTap answers like scripted and keeps the last JSON body it got.
type bodyTap struct {
	scripted
	mu   sync.Mutex
	last map[string]json.RawMessage
}

func (b *bodyTap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(raw, &fields)
	b.mu.Lock()
	b.last = fields
	b.mu.Unlock()
	b.scripted.ServeHTTP(w, r)
}

func (b *bodyTap) body() map[string]json.RawMessage {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.last
}

// optionalSamples are the values each optional field is set to. Zero values
// come first where a type's zero means something on the wire (false, 0, "").
// A field of a type not listed here fails the test, so that a new field is
// covered as soon as the contract adds it.
func optionalSamples(t *testing.T, typ reflect.Type) []reflect.Value {
	t.Helper()
	of := func(vs ...any) []reflect.Value {
		out := make([]reflect.Value, len(vs))
		for i, v := range vs {
			out[i] = reflect.ValueOf(v).Convert(typ)
		}
		return out
	}
	switch typ {
	case reflect.TypeFor[wire.Timestamp]():
		return of(wire.NewTimestamp(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), wire.CompactOffset))
	case reflect.TypeFor[wire.Installments]():
		return of(wire.Installments(2), wire.Installments(12))
	case reflect.TypeFor[[]wire.CardToken]():
		return of([]wire.CardToken{wire.PaymentMethodCard, "00c1eb1a4a0b61d1c2921c8d3a3f4570"})
	}
	switch typ.Kind() {
	case reflect.Bool:
		return of(false, true)
	case reflect.String:
		return of("", "v")
	case reflect.Int, reflect.Int64:
		return of(0, 7)
	case reflect.Slice:
		if typ.Elem().Kind() == reflect.String {
			return of([]string{"visa"})
		}
	case reflect.Map:
		if typ.Key().Kind() == reflect.String && typ.Elem().Kind() == reflect.String {
			return of(map[string]string{"k": "v"})
		}
	}
	t.Fatalf("no sample for a field of type %s: add one", typ)
	return nil
}

// optionalFields are the fields of a params struct that may be left out:
// pointers, slices and maps whose json tag says omitempty.
func optionalFields(typ reflect.Type) (names, keys []string) {
	for i := range typ.NumField() {
		f := typ.Field(i)
		key, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || key == "-" || !strings.Contains(opts, "omitempty") {
			continue
		}
		names, keys = append(names, f.Name), append(keys, key)
	}
	return names, keys
}

// TestEveryOptionalFieldReachesTheWire: each optional field of
// CustomerParams and PayByLinkParams is in the JSON body the server gets
// when it is set, to exactly the value set (false, 0 and "" included), and
// absent when it is not.
func TestEveryOptionalFieldReachesTheWire(t *testing.T) {
	tap := &bodyTap{}
	ts := httptest.NewServer(tap)
	defer ts.Close()
	c := fastRetryClient(t, ts.URL)

	cases := []struct {
		name string
		base any // the params with only what is required
		send func(params any) error
	}{
		{"CustomerParams create", monri.CustomerParams{}, func(p any) error {
			_, err := c.Customers.Create(t.Context(), p.(monri.CustomerParams))
			return err
		}},
		{"CustomerParams update", monri.CustomerParams{}, func(p any) error {
			_, err := c.Customers.Update(t.Context(), "u-1", p.(monri.CustomerParams))
			return err
		}},
		{"PayByLinkParams", link("order-1"), func(p any) error {
			_, err := c.PayByLink.CreateOrUpdate(t.Context(), p.(monri.PayByLinkParams))
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			typ := reflect.TypeOf(tc.base)
			names, keys := optionalFields(typ)
			require.NotEmpty(t, names)
			for i, name := range names {
				field, _ := typ.FieldByName(name)
				elem := field.Type
				if elem.Kind() == reflect.Pointer {
					elem = elem.Elem()
				}
				t.Run(name, func(t *testing.T) {
					// Unset: absent.
					unset := reflect.New(typ).Elem()
					unset.Set(reflect.ValueOf(tc.base))
					unset.FieldByName(name).SetZero()
					require.NoError(t, tc.send(unset.Interface()))
					assert.NotContains(t, tap.body(), keys[i], "an unset %s is left out", name)

					for _, sample := range optionalSamples(t, elem) {
						params := reflect.New(typ).Elem()
						params.Set(reflect.ValueOf(tc.base))
						f := params.FieldByName(name)
						if field.Type.Kind() == reflect.Pointer {
							p := reflect.New(elem)
							p.Elem().Set(sample)
							f.Set(p)
						} else {
							f.Set(sample)
						}
						require.NoError(t, tc.send(params.Interface()))
						want, err := json.Marshal(sample.Interface())
						require.NoError(t, err)
						got, sent := tap.body()[keys[i]]
						if assert.True(t, sent, "%s set to %s is sent", name, want) {
							assert.JSONEq(t, string(want), string(got), name)
						}
					}
				})
			}
		})
	}
}

// TestTheFalseBooleansAreSent names the three fields whose false matters,
// so that they stay covered whatever the walk above finds.
func TestTheFalseBooleansAreSent(t *testing.T) {
	tap := &bodyTap{}
	ts := httptest.NewServer(tap)
	defer ts.Close()
	c := fastRetryClient(t, ts.URL)
	p := link("order-1")
	p.Active, p.TokenizePan, p.TokenizePanOffered = monri.Bool(false), monri.Bool(false), monri.Bool(false)
	_, err := c.PayByLink.CreateOrUpdate(t.Context(), p)
	require.NoError(t, err)
	for _, key := range []string{"active", "tokenize_pan", "tokenize_pan_offered"} {
		assert.Equal(t, "false", string(tap.body()[key]), key)
	}
}
