package mock

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/wire"
)

// The store keeps field lists by hand (custFields, toGen, copyPaymentMethod,
// mergeLink, link.toGen). These tests fill every field of the request
// models by reflection, so a field added to the contract is covered without
// editing them, and check that each comes back unchanged and unaliased.

var (
	timeType      = reflect.TypeFor[time.Time]()
	timestampType = reflect.TypeFor[wire.Timestamp]()
)

// fillAll sets every field reachable from v to a value no other field has;
// *n counts the values handed out.
func fillAll(t *testing.T, v reflect.Value, n *int) {
	t.Helper()
	*n++
	switch {
	case v.Type() == timestampType:
		v.Set(reflect.ValueOf(wire.NewTimestamp(time.Date(2030, 1, 1, 0, 0, *n, 0, time.UTC), wire.RFC3339)))
		return
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(time.Date(2030, 1, 1+*n, 0, 0, 0, 0, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(t, v.Elem(), n)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillAll(t, v.Field(i), n)
			}
		}
	case reflect.String:
		v.SetString(fmt.Sprintf("value-%d", *n))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Bool:
		v.SetBool(true) // false is the zero value: true shows it was kept
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fillAll(t, k, n)
		fillAll(t, e, n)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fillAll(t, s.Index(0), n)
		fillAll(t, s.Index(1), n)
		v.Set(s)
	default:
		t.Fatalf("fillAll: no rule for %s; teach fillAll the new field's kind", v.Type())
	}
}

// mutate changes, in place, everything v shares with whoever handed it out.
func mutate(v reflect.Value) {
	switch {
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(time.Unix(1, 0)))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			mutate(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Field(i).CanSet() {
				mutate(v.Field(i))
			}
		}
	case reflect.String:
		v.SetString(v.String() + "-mutated")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1000)
	case reflect.Uint8:
		v.SetUint(v.Uint() + 1)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			mutate(e)
			v.SetMapIndex(k, e)
		}
	case reflect.Slice:
		for i := range v.Len() {
			mutate(v.Index(i))
		}
	}
}

// derefValue follows pointers, so that string and *string compare.
func derefValue(v reflect.Value) reflect.Value {
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return v
}

// jsonFields maps each field's JSON name to its value.
func jsonFields(v reflect.Value) map[string]reflect.Value {
	out := map[string]reflect.Value{}
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		out[name] = v.Field(i)
	}
	return out
}

// sameFields checks that every field of sent with a namesake in got holds
// the value sent, and returns the names sent has and got lacks.
func sameFields(t *testing.T, sent, got any, skip ...string) (missing []string) {
	t.Helper()
	g := jsonFields(reflect.ValueOf(got))
	for name, v := range jsonFields(reflect.ValueOf(sent)) {
		if contains(skip, name) {
			continue
		}
		w, ok := g[name]
		if !ok {
			missing = append(missing, name)
			continue
		}
		assert.Equal(t, derefValue(v).Interface(), derefValue(w).Interface(), "field %s did not come back as sent", name)
	}
	return missing
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// filled returns a T with every field set.
func filled[T any](t *testing.T) T {
	var v T
	n := 0
	fillAll(t, reflect.ValueOf(&v).Elem(), &n)
	return v
}

// unaliased checks that neither the value sent nor one handed out shares
// memory with the store: changing them in place changes no later answer.
func unaliased[S, G any](t *testing.T, sent *S, handedOut G, read func() G) {
	t.Helper()
	before := read()
	mutate(reflect.ValueOf(sent).Elem())
	mutate(reflect.ValueOf(&handedOut).Elem())
	assert.Equal(t, before, read(), "the store shares memory with what it was given or handed out")
}

func TestCustomerFieldsRoundTrip(t *testing.T) {
	st := newStore(nowFixed)
	sent := filled[gen.CustomerRequest](t)
	created, f := st.createCustomer(&sent)
	require.Nil(t, f)
	uuid := created.UUID
	got, f := st.getCustomer(uuid)
	require.Nil(t, f)
	assert.Empty(t, sameFields(t, sent, created), "fields the answer lacks")
	assert.Empty(t, sameFields(t, sent, got))
	assert.Empty(t, sameFields(t, sent, st.listCustomers(0, 10)[0]))
	unaliased(t, &sent, created, func() gen.Customer { c, _ := st.getCustomer(uuid); return c })

	// An update sets every field again.
	update := filled[gen.CustomerRequest](t)
	mutate(reflect.ValueOf(&update).Elem())
	updated, f := st.updateCustomer(uuid, &update)
	require.Nil(t, f)
	assert.Empty(t, sameFields(t, update, updated))
	unaliased(t, &update, updated, func() gen.Customer { c, _ := st.getCustomer(uuid); return c })
}

func TestPayByLinkFieldsRoundTrip(t *testing.T) {
	st := newStore(nowFixed)
	sent := filled[gen.PayByLinkRequest](t)
	want := filled[gen.PayByLinkRequest](t) // equal to sent, sharing nothing
	stored := func() gen.PayByLinkRequest { r, _, _, _ := st.linkState(want.OrderNumber); return r }
	created := st.upsertLink(&sent, "http://mock/pay/x", false)
	assert.Equal(t, want, stored(), "the stored request drops or changes a field sent")
	got, f := st.getLink(want.OrderNumber)
	require.Nil(t, f)
	// The answer has no place for the overrides nor the comment; the
	// stored request above keeps them.
	missing := sameFields(t, want, got)
	assert.ElementsMatch(t, []string{"callback_url_override", "cancel_url_override", "comment", "success_url_override"}, missing)
	sameFields(t, want, created)
	unaliased(t, &sent, created, func() gen.PayByLink { l, _ := st.getLink(want.OrderNumber); return l })
	assert.Equal(t, want, stored(), "changing what was sent or handed out changed the stored request")

	// An update with every field merges every field.
	changed := func() gen.PayByLinkRequest {
		r := filled[gen.PayByLinkRequest](t)
		mutate(reflect.ValueOf(&r).Elem())
		r.OrderNumber = want.OrderNumber
		return r
	}
	update, wantUpdate := changed(), changed()
	st.upsertLink(&update, "", false)
	assert.Equal(t, wantUpdate, stored(), "an update drops a field sent")
	mutate(reflect.ValueOf(&update).Elem())
	assert.Equal(t, wantUpdate, stored(), "an update shares memory with what was sent")
}

func TestPaymentMethodFieldsRoundTrip(t *testing.T) {
	st := newStore(nowFixed)
	c, f := st.createCustomer(&gen.CustomerRequest{})
	require.Nil(t, f)
	sent := filled[gen.PaymentMethod](t)
	sent.CustomerUUID = c.UUID // the store insists on its owner
	want := filled[gen.PaymentMethod](t)
	want.CustomerUUID = c.UUID

	added, f := st.addPaymentMethod(c.UUID, sent, nil)
	require.Nil(t, f)
	assert.Equal(t, want, added, "the answer drops or changes a field sent")
	list := func() gen.PaymentMethod { pms, _ := st.paymentMethods(c.UUID); return pms[0] }
	assert.Equal(t, want, list())
	unaliased(t, &sent, added, list)
	got := list()
	mutate(reflect.ValueOf(&got).Elem())
	assert.Equal(t, want, list(), "a listed payment method shares memory with the store")
}
