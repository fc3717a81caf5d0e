package mock

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/monri-go/monri/gen"
)

func TestCallbackHostAllowed(t *testing.T) {
	d := newDeliverer(DefaultMerchantKey, DefaultCallbackPolicy, logConfig{callbackHosts: []string{"merchant.example", "10.1.2.3"}, callbackLogSize: 1})
	for _, c := range []struct {
		host        string
		allowed     bool
		allowedName bool
	}{
		{"127.0.0.1", true, false},
		{"127.3.4.5", true, false},
		{"::1", true, false},
		{"localhost", true, false},
		{"LocalHost", true, false},
		{"shop.localhost", true, false},
		{"merchant.example", true, true},
		{"MERCHANT.example", true, true},
		{"10.1.2.3", true, true},
		{"10.1.2.4", false, false},
		{"192.0.2.1", false, false},
		{"::ffff:192.0.2.1", false, false},
		{"localhost.example", false, false},
		{"evil.example", false, false},
		{"", false, false},
	} {
		assert.Equal(t, c.allowed, d.allowed(c.host), "allowed(%q)", c.host)
		assert.Equal(t, c.allowedName, d.allowedByName(c.host), "allowedByName(%q)", c.host)
	}
	anyHost := newDeliverer(DefaultMerchantKey, DefaultCallbackPolicy, logConfig{callbackHosts: []string{"*"}, callbackLogSize: 1})
	assert.True(t, anyHost.allowed("192.0.2.1"))
}

// A name let through as loopback must connect to a loopback address.
func TestRequireLoopback(t *testing.T) {
	for _, c := range []struct {
		address string
		ok      bool
	}{
		{"127.0.0.1:80", true},
		{"[::1]:443", true},
		{"192.0.2.1:80", false},
		{"[2001:db8::1]:80", false},
		{"no-port", false},
	} {
		err := requireLoopback("tcp", c.address, nil)
		assert.Equal(t, c.ok, err == nil, "%s: %v", c.address, err)
	}
}

// Reset leaves the store as newStore makes it, whatever was in it.
func TestStoreResetIsANewStore(t *testing.T) {
	st := newStore(nowFixed)
	c, f := st.createCustomer(&gen.CustomerRequest{MerchantCustomerID: ptr("m-1")})
	assert.Nil(t, f)
	_, f = st.addPaymentMethod(c.UUID, gen.PaymentMethod{}, nil)
	assert.Nil(t, f)
	st.upsertLink(&gen.PayByLinkRequest{OrderNumber: "o-1", Amount: 1, Currency: "EUR", OrderInfo: "abc"}, "http://x/pay/o-1", false)
	_, _, _, f = st.pay("o-1", nil)
	assert.Nil(t, f)
	_, f = st.deleteCustomer(c.UUID)
	assert.Nil(t, f)

	st.reset()
	fresh := newStore(nowFixed)
	st.clock, fresh.clock = nil, nil // funcs never compare equal
	assert.Equal(t, fresh, st)
}

func nowFixed() time.Time { return time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC) }
