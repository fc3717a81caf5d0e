package mock

import (
	"crypto/rand"
	"encoding/hex"
	"maps"
	"time"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/wire"
)

// Customer fields a merchant sets, in the order of custFields.
const (
	cfMerchantCustomerID = iota
	cfDescription
	cfEmail
	cfName
	cfPhone
	cfZipCode
	cfCity
	cfAddress
	cfCountry
	numCustFields
)

// custFields returns pointers to r's settable fields, nil for those not sent.
func custFields(r *gen.CustomerRequest) [numCustFields]*string {
	return [numCustFields]*string{
		r.MerchantCustomerID, r.Description, r.Email, r.Name, r.Phone,
		r.ZipCode, r.City, r.Address, r.Country,
	}
}

// customer is one stored customer. It is compact on purpose (plain strings
// and a bit set rather than a gen.Customer full of pointers) so that 100k
// customers stay small.
type customer struct {
	seq       uint64
	uuid      string
	fields    [numCustFields]string
	set       uint16 // bit i: fields[i] was sent
	hasMeta   bool
	deleted   bool
	metadata  map[string]string // replaced whole, never changed in place
	createdAt int64             // Unix seconds
	updatedAt int64
	deletedAt int64
	methods   []*paymentMethod // sorted by (createdAt, seq)
}

func (c *customer) apply(r *gen.CustomerRequest) {
	for i, p := range custFields(r) {
		if p != nil {
			c.fields[i] = *p
			c.set |= 1 << i
		}
	}
	if r.Metadata != nil {
		c.metadata = maps.Clone(r.Metadata)
		c.hasMeta = true
	}
}

func (c *customer) merchantID() (string, bool) {
	return c.fields[cfMerchantCustomerID], c.set&(1<<cfMerchantCustomerID) != 0
}

func rfc3339(unix int64) *wire.Timestamp {
	ts := wire.NewTimestamp(time.Unix(unix, 0).UTC(), wire.RFC3339)
	return &ts
}

// toGen returns the customer as a single-customer answer carries it: every
// field is sent, null when it was never set (the contract's one null rule).
func (c *customer) toGen() gen.Customer {
	out := gen.Customer{
		Status:    gen.ApprovedStatusApproved,
		UUID:      c.uuid,
		Deleted:   c.deleted,
		CreatedAt: *rfc3339(c.createdAt),
		UpdatedAt: *rfc3339(c.updatedAt),
	}
	dst := [numCustFields]**string{
		&out.MerchantCustomerID, &out.Description, &out.Email, &out.Name, &out.Phone,
		&out.ZipCode, &out.City, &out.Address, &out.Country,
	}
	for i := range dst {
		if c.set&(1<<i) != 0 {
			*dst[i] = ptr(c.fields[i])
		}
	}
	if c.hasMeta {
		out.Metadata = maps.Clone(c.metadata)
		if out.Metadata == nil {
			out.Metadata = map[string]string{}
		}
	}
	if c.deleted {
		out.DeletedAt = rfc3339(c.deletedAt)
	}
	return out
}

// toListItem returns the customer as a list page carries it: with id
// rather than uuid, and merchant_customer_id left out when it was never set.
func (c *customer) toListItem() gen.CustomerListItem {
	g := c.toGen()
	return gen.CustomerListItem{
		Status: g.Status, ID: g.UUID, MerchantCustomerID: g.MerchantCustomerID,
		Description: g.Description, Email: g.Email, Name: g.Name, Phone: g.Phone,
		Metadata: g.Metadata, ZipCode: g.ZipCode, City: g.City, Address: g.Address,
		Country: g.Country, Deleted: g.Deleted, CreatedAt: g.CreatedAt,
		UpdatedAt: g.UpdatedAt, DeletedAt: g.DeletedAt,
	}
}

func custLess(a, b *customer) bool {
	if a.createdAt != b.createdAt {
		return a.createdAt < b.createdAt
	}
	return a.seq < b.seq
}

// newUUID returns a random version 4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand, Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

func (s *store) createCustomer(r *gen.CustomerRequest) (gen.Customer, *failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.MerchantCustomerID != nil {
		if _, taken := s.byMerchID[*r.MerchantCustomerID]; taken {
			return gen.Customer{}, errDuplicateMCID
		}
	}
	id := newUUID()
	for s.byUUID[id] != nil {
		id = newUUID()
	}
	now := s.now().Unix()
	s.seq++
	c := &customer{seq: s.seq, uuid: id, createdAt: now, updatedAt: now}
	c.apply(r)
	s.all = append(s.all, c)
	s.live = insertSorted(s.live, c, custLess)
	s.byUUID[id] = c
	if mid, ok := c.merchantID(); ok {
		s.byMerchID[mid] = c
	}
	return c.toGen(), nil
}

func (s *store) updateCustomer(id string, r *gen.CustomerRequest) (gen.Customer, *failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.byUUID[id]
	switch {
	case c == nil:
		return gen.Customer{}, errNoCustomer
	case c.deleted:
		return gen.Customer{}, errCustomerDeleted
	}
	oldMID, hadMID := c.merchantID()
	if r.MerchantCustomerID != nil {
		if other := s.byMerchID[*r.MerchantCustomerID]; other != nil && other != c {
			return gen.Customer{}, errDuplicateMCID
		}
	}
	c.apply(r)
	c.updatedAt = s.now().Unix()
	if newMID, ok := c.merchantID(); ok && (!hadMID || newMID != oldMID) {
		if hadMID {
			delete(s.byMerchID, oldMID)
		}
		s.byMerchID[newMID] = c
	}
	return c.toGen(), nil
}

func (s *store) deleteCustomer(id string) (gen.DeletedCustomer, *failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.byUUID[id]
	if c == nil {
		return gen.DeletedCustomer{}, errNoCustomer
	}
	if !c.deleted {
		now := s.now().Unix()
		c.deleted, c.deletedAt, c.updatedAt = true, now, now
		s.live = removeSorted(s.live, c, custLess)
		if mid, ok := c.merchantID(); ok && s.byMerchID[mid] == c {
			delete(s.byMerchID, mid)
		}
	}
	return gen.DeletedCustomer{Status: gen.ApprovedStatusApproved, ID: c.uuid, Deleted: true}, nil
}

func (s *store) getCustomer(id string) (gen.Customer, *failure) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.byUUID[id]
	if c == nil {
		return gen.Customer{}, errNoCustomer
	}
	return c.toGen(), nil
}

func (s *store) getCustomerByMerchantID(mid string) (gen.Customer, *failure) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.byMerchID[mid]
	if c == nil {
		return gen.Customer{}, errNoMerchantID
	}
	return c.toGen(), nil
}

func (s *store) listCustomers(offset, limit int) []gen.CustomerListItem {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]gen.CustomerListItem, 0, pageLen(len(s.live), offset, limit))
	pageDesc(s.live, offset, limit, func(c *customer) { out = append(out, c.toListItem()) })
	return out
}

// Snapshots for the Go API.

func (s *store) customers() []gen.Customer {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]gen.Customer, len(s.all))
	for i, c := range s.all {
		out[i] = c.toGen()
	}
	return out
}
