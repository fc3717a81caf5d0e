package mock

import (
	"time"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/wire"
	openapi_types "github.com/oapi-codegen/runtime/types"
)

// paymentMethod is a seeded saved card. pm is owned by the store and never
// handed out without a deep copy.
type paymentMethod struct {
	seq       uint64
	createdAt time.Time
	pm        gen.PaymentMethod
}

func pmLess(a, b *paymentMethod) bool {
	if !a.createdAt.Equal(b.createdAt) {
		return a.createdAt.Before(b.createdAt)
	}
	return a.seq < b.seq
}

func (s *store) listPaymentMethods(id string, offset, limit int) ([]gen.PaymentMethod, *failure) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.byUUID[id]
	switch {
	case c == nil:
		return nil, errNoCustomer
	case c.deleted:
		return nil, errCustomerDeleted
	}
	now := s.now()
	out := make([]gen.PaymentMethod, 0, pageLen(len(c.methods), offset, limit))
	pageDesc(c.methods, offset, limit, func(m *paymentMethod) { out = append(out, m.toGen(now)) })
	return out, nil
}

// toGen deep-copies the payment method and marks it expired when it was
// given as expired or its expiration date has passed.
func (m *paymentMethod) toGen(now time.Time) gen.PaymentMethod {
	out := copyPaymentMethod(m.pm)
	// A card is valid through its expiration date.
	y, mo, dd := now.UTC().Date()
	today := time.Date(y, mo, dd, 0, 0, 0, 0, time.UTC)
	out.Expired = out.Expired || out.ExpirationDate.Before(today)
	return out
}

// defaultCardYears is how many years after it is saved a seeded card
// without an expiration date expires (at the end of that year).
const defaultCardYears = 3

func copyPaymentMethod(p gen.PaymentMethod) gen.PaymentMethod {
	out := p
	out.KeepUntil = copyPtr(p.KeepUntil)
	return out
}

// addPaymentMethod completes pm (ids, timestamps, status, owner) and stores
// it. check, when not nil, validates the completed payment method before it
// is stored.
func (s *store) addPaymentMethod(id string, pm gen.PaymentMethod, check func(gen.PaymentMethod) error) (gen.PaymentMethod, *failure) {
	pm = copyPaymentMethod(pm)
	if pm.CustomerUUID != "" && pm.CustomerUUID != id {
		return gen.PaymentMethod{}, badRequest("customer_uuid: must be the uuid of the customer the payment method is added to")
	}
	pm.CustomerUUID = id
	switch {
	case pm.ID == "" && pm.Token == "":
		tok := newToken()
		pm.ID, pm.Token = wire.CardToken(tok), wire.CardToken(tok)
	case pm.ID == "":
		pm.ID = pm.Token
	case pm.Token == "":
		pm.Token = pm.ID
	}
	if pm.Status == "" {
		pm.Status = gen.ApprovedStatusApproved
	}
	// The contract writes these three in RFC 3339.
	for _, ts := range []*wire.Timestamp{&pm.CreatedAt, &pm.UpdatedAt, pm.KeepUntil} {
		if ts != nil {
			ts.Layout = wire.RFC3339
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.byUUID[id]
	switch {
	case c == nil:
		return gen.PaymentMethod{}, errNoCustomer
	case c.deleted:
		return gen.PaymentMethod{}, errCustomerDeleted
	}
	for _, m := range c.methods {
		if m.pm.ID == pm.ID {
			return gen.PaymentMethod{}, badRequest("id: already exists for this customer")
		}
	}
	now := s.now()
	if pm.CreatedAt.IsZero() {
		pm.CreatedAt = wire.NewTimestamp(now.UTC().Truncate(time.Second), wire.RFC3339)
	}
	if pm.UpdatedAt.IsZero() {
		pm.UpdatedAt = pm.CreatedAt
	}
	if pm.ExpirationDate.IsZero() {
		// The contract requires one; a card issued now is typically valid for years.
		pm.ExpirationDate = openapi_types.Date{Time: time.Date(pm.CreatedAt.Year()+defaultCardYears, 12, 31, 0, 0, 0, 0, time.UTC)}
	}
	m := &paymentMethod{createdAt: pm.CreatedAt.Time, pm: pm}
	out := m.toGen(now)
	if check != nil {
		if err := check(out); err != nil {
			return gen.PaymentMethod{}, badRequest(err.Error())
		}
	}
	s.seq++
	m.seq = s.seq
	c.methods = insertSorted(c.methods, m, pmLess)
	return out, nil
}

// Snapshots for the Go API.

func (s *store) paymentMethods(id string) ([]gen.PaymentMethod, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.byUUID[id]
	if c == nil {
		return nil, false
	}
	now := s.now()
	out := make([]gen.PaymentMethod, 0, len(c.methods))
	pageDesc(c.methods, 0, len(c.methods), func(m *paymentMethod) { out = append(out, m.toGen(now)) })
	return out, true
}
