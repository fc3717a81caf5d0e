package mock

import (
	"crypto/rand"
	"encoding/hex"
	"maps"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/wire"
	openapi_types "github.com/oapi-codegen/runtime/types"
)

// failure is an answer other than 200 that a store operation chose: a 400
// or 404 with Monri's message.
type failure struct {
	status  int
	message string
}

func (f *failure) Error() string { return f.message }

func notFound(msg string) *failure   { return &failure{status: http.StatusNotFound, message: msg} }
func badRequest(msg string) *failure { return &failure{status: http.StatusBadRequest, message: msg} }
func conflict(msg string) *failure   { return &failure{status: http.StatusConflict, message: msg} }

var (
	errNoCustomer      = notFound("uuid: no customer with this uuid")
	errCustomerDeleted = notFound("uuid: the customer is deleted")
	errNoMerchantID    = notFound("merchant_customer_id: no customer with this merchant_customer_id")
	errNoLink          = notFound("order_number: no payment link with this order number")
	errLinkPaid        = conflict("order_number: the payment link is already paid")
	errLinkInactive    = conflict("order_number: the payment link is deactivated")
	errLinkExpired     = conflict("order_number: the payment link has expired")
	errDuplicateMCID   = badRequest("merchant_customer_id: already exists")
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

func ptr[T any](v T) *T { return &v }

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

// paymentMethod is a seeded saved card. pm is owned by the store and never
// handed out without a deep copy.
type paymentMethod struct {
	seq          uint64
	createdAt    time.Time
	pm           gen.PaymentMethod
	expiredGiven bool
}

// link is one Pay By Link entry: the merged create-or-update bodies plus
// what the server assigned.
type link struct {
	id         int64
	req        gen.PayByLinkRequest // merged; fields are replaced, never changed in place
	paymentURL string
	createdAt  int64 // Unix seconds
	updatedAt  int64
	paid       *payment // nil until the buyer pays; never changes after
}

// payment is what the buyer's simulated payment of a link recorded.
type payment struct {
	id           int64 // the transaction's id, 1, 2, ... in payment order
	at           time.Time
	approvalCode string
	panToken     string // "" unless the link had tokenize_pan
}

// store is the mock's state, guarded by one RWMutex.
type store struct {
	clock func() time.Time

	mu        sync.RWMutex
	seq       uint64
	all       []*customer // creation order
	live      []*customer // not deleted, ascending (createdAt, seq)
	byUUID    map[string]*customer
	byMerchID map[string]*customer // live customers only
	links     []*link              // id order: links[i].id == i+1
	byOrder   map[string]*link
	payments  int64 // how many links were paid
}

func newStore(clock func() time.Time) *store {
	return &store{
		clock:     clock,
		byUUID:    make(map[string]*customer),
		byMerchID: make(map[string]*customer),
		byOrder:   make(map[string]*link),
	}
}

func custLess(a, b *customer) bool {
	if a.createdAt != b.createdAt {
		return a.createdAt < b.createdAt
	}
	return a.seq < b.seq
}

func pmLess(a, b *paymentMethod) bool {
	if !a.createdAt.Equal(b.createdAt) {
		return a.createdAt.Before(b.createdAt)
	}
	return a.seq < b.seq
}

// insertSorted inserts v into s, kept ascending by less. With a clock that
// does not go backwards, this is an append.
func insertSorted[T any](s []T, v T, less func(a, b T) bool) []T {
	n := len(s)
	if n == 0 || !less(v, s[n-1]) {
		return append(s, v)
	}
	i := sort.Search(n, func(i int) bool { return less(v, s[i]) })
	return slices.Insert(s, i, v)
}

// removeSorted removes v from s, kept ascending by less.
func removeSorted[T comparable](s []T, v T, less func(a, b T) bool) []T {
	i := sort.Search(len(s), func(i int) bool { return !less(s[i], v) })
	if i < len(s) && s[i] == v {
		return slices.Delete(s, i, i+1)
	}
	return s
}

// pageDesc calls f for the items of s, ascending by sort key, that a
// newest-first page at offset with limit items holds, newest first. It
// costs O(limit) whatever the offset.
func pageDesc[T any](s []T, offset, limit int, f func(T)) {
	n := len(s)
	if offset >= n || limit <= 0 {
		return
	}
	for i := n - 1 - offset; i >= 0 && limit > 0; i-- {
		f(s[i])
		limit--
	}
}

func pageLen(n, offset, limit int) int {
	if offset >= n || limit <= 0 {
		return 0
	}
	return min(n-offset, limit)
}

func (s *store) now() time.Time { return s.clock() }

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

// newToken returns 64 random hex characters, the shape of Monri's pan tokens.
func newToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
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

func copyPtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
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
		pm.ID, pm.Token = tok, tok
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

// upsertLink creates the link for r.OrderNumber or merges r into it; with
// replace, r becomes the link's whole request instead. paymentURL is used
// only when the link is created.
func (s *store) upsertLink(r *gen.PayByLinkRequest, paymentURL string, replace bool) gen.PayByLink {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	l := s.byOrder[r.OrderNumber]
	status := gen.SavedStatusUpdated
	if l == nil {
		status = gen.SavedStatusCreated
		l = &link{
			id:         int64(len(s.links)) + 1,
			paymentURL: paymentURL,
			createdAt:  now.Unix(),
			req:        gen.PayByLinkRequest{OrderNumber: r.OrderNumber},
		}
		s.links = append(s.links, l)
		s.byOrder[r.OrderNumber] = l
	}
	if replace {
		l.req = gen.PayByLinkRequest{OrderNumber: r.OrderNumber}
	}
	mergeLink(&l.req, r)
	l.updatedAt = now.Unix()
	return l.toGen(string(status), now)
}

func (s *store) getLink(orderNumber string) (gen.PayByLink, *failure) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	l := s.byOrder[orderNumber]
	if l == nil {
		return gen.PayByLink{}, errNoLink
	}
	return l.toGen(string(gen.ApprovedStatusApproved), s.now()), nil
}

// linkRequest returns a deep copy of the stored request of the link for
// orderNumber, and whether there is one.
func (s *store) linkRequest(orderNumber string) (gen.PayByLinkRequest, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	l := s.byOrder[orderNumber]
	if l == nil {
		return gen.PayByLinkRequest{}, false
	}
	out := gen.PayByLinkRequest{OrderNumber: l.req.OrderNumber}
	mergeLink(&out, &l.req) // copies every field sent, and no pointer
	return out, true
}

// mergeLink copies the fields r sent into dst. order_number is the key and
// never changes; the required fields are always sent.
func mergeLink(dst, r *gen.PayByLinkRequest) {
	dst.Amount = r.Amount
	dst.Currency = r.Currency
	dst.TransactionType = r.TransactionType
	dst.OrderInfo = r.OrderInfo
	setIf(&dst.Active, r.Active)
	setIf(&dst.CallbackURLOverride, r.CallbackURLOverride)
	setIf(&dst.CancelURLOverride, r.CancelURLOverride)
	setIf(&dst.ChAddress, r.ChAddress)
	setIf(&dst.ChCity, r.ChCity)
	setIf(&dst.ChCountry, r.ChCountry)
	setIf(&dst.ChEmail, r.ChEmail)
	setIf(&dst.ChFullName, r.ChFullName)
	setIf(&dst.ChPhone, r.ChPhone)
	setIf(&dst.ChZip, r.ChZip)
	setIf(&dst.Comment, r.Comment)
	setIf(&dst.ExpiresAt, r.ExpiresAt)
	setIf(&dst.Language, r.Language)
	setIf(&dst.NumberOfInstallments, r.NumberOfInstallments)
	setIf(&dst.SuccessURLOverride, r.SuccessURLOverride)
	setIf(&dst.TokenizePan, r.TokenizePan)
	setIf(&dst.TokenizePanOffered, r.TokenizePanOffered)
	if r.SupportedPaymentMethods != nil {
		dst.SupportedPaymentMethods = slices.Clone(r.SupportedPaymentMethods)
	}
}

// setIf replaces *dst with a copy of *src when src was sent.
func setIf[T any](dst **T, src *T) {
	if src != nil {
		*dst = copyPtr(src)
	}
}

// expired reports whether the link's expires_at has passed at now.
func (l *link) expired(now time.Time) bool {
	return l.req.ExpiresAt != nil && now.After(l.req.ExpiresAt.Time)
}

// active reports whether the merchant left the link switched on: true
// unless deactivated. Its answers' active also turns false once it expires.
func (l *link) active() bool { return l.req.Active == nil || *l.req.Active }

// payable returns why the link cannot be paid at now, or nil.
func (l *link) payable(now time.Time) *failure {
	switch {
	case l.paid != nil:
		return errLinkPaid
	case !l.active():
		return errLinkInactive
	case l.expired(now):
		return errLinkExpired
	}
	return nil
}

// pay marks the link for orderNumber approved, when it can be paid now and
// check, given the link's merged request, finds nothing wrong. It returns
// the link as paid, a copy of its request, and the payment. A failure
// changes nothing.
func (s *store) pay(orderNumber string, check func(*gen.PayByLinkRequest) *failure) (gen.PayByLink, gen.PayByLinkRequest, payment, *failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.byOrder[orderNumber]
	if l == nil {
		return gen.PayByLink{}, gen.PayByLinkRequest{}, payment{}, errNoLink
	}
	now := s.now()
	if f := l.payable(now); f != nil {
		return gen.PayByLink{}, gen.PayByLinkRequest{}, payment{}, f
	}
	if check != nil {
		if f := check(&l.req); f != nil {
			return gen.PayByLink{}, gen.PayByLinkRequest{}, payment{}, f
		}
	}
	s.payments++
	p := &payment{id: s.payments, at: now, approvalCode: newApprovalCode()}
	if l.req.TokenizePan != nil && *l.req.TokenizePan {
		p.panToken = newToken()
	}
	l.paid = p
	l.updatedAt = now.Unix()
	return l.toGen(string(gen.ApprovedStatusApproved), now), l.req, *p, nil
}

// linkState returns a copy of the link's request, its payment_url and why
// it cannot be paid at the server's clock (nil when it can).
func (s *store) linkState(orderNumber string) (gen.PayByLinkRequest, string, *failure, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	l := s.byOrder[orderNumber]
	if l == nil {
		return gen.PayByLinkRequest{}, "", nil, false
	}
	return l.req, l.paymentURL, l.payable(s.now()), true
}

// newApprovalCode returns six random digits, the shape of an issuer's
// approval code.
func newApprovalCode() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b[:])
}

// toGen returns the link as its answers carry it, with the given status.
// Unpaid, it is expired exactly when it is not active: deactivated or past
// its expires_at (the contract's TerminalEntryStatus).
func (l *link) toGen(status string, now time.Time) gen.PayByLink {
	r := &l.req
	active := l.active() && !l.expired(now)
	entry := gen.TerminalEntryStatusPending
	switch {
	case l.paid != nil:
		entry = gen.TerminalEntryStatusApproved // paid stays paid, expired or not
	case !active:
		entry = gen.TerminalEntryStatusExpired
	}
	installments := wire.Installments(0)
	if r.NumberOfInstallments != nil {
		installments = *r.NumberOfInstallments
	}
	supported := slices.Clone(r.SupportedPaymentMethods)
	if supported == nil {
		supported = []string{}
	}
	return gen.PayByLink{
		Status:                  status,
		ID:                      l.id,
		Amount:                  r.Amount,
		Currency:                r.Currency,
		OrderNumber:             r.OrderNumber,
		TransactionType:         r.TransactionType,
		OrderInfo:               r.OrderInfo,
		NumberOfInstallments:    installments,
		ChFullName:              copyPtr(r.ChFullName),
		ChAddress:               copyPtr(r.ChAddress),
		ChCity:                  copyPtr(r.ChCity),
		ChZip:                   copyPtr(r.ChZip),
		ChCountry:               copyPtr(r.ChCountry),
		ChPhone:                 copyPtr(r.ChPhone),
		ChEmail:                 copyPtr(r.ChEmail),
		Language:                copyPtr(r.Language),
		PaymentURL:              l.paymentURL,
		TerminalEntryStatus:     entry,
		SupportedPaymentMethods: supported,
		TokenizePanOffered:      r.TokenizePanOffered != nil && *r.TokenizePanOffered,
		TokenizePan:             r.TokenizePan != nil && *r.TokenizePan,
		ExpiresAt:               copyPtr(r.ExpiresAt),
		Active:                  active,
		CreatedAt:               wire.NewTimestamp(time.Unix(l.createdAt, 0).UTC(), wire.UTCSuffix),
		UpdatedAt:               wire.NewTimestamp(time.Unix(l.updatedAt, 0).UTC(), wire.UTCSuffix),
	}
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

func (s *store) payByLinks() []gen.PayByLink {
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.now()
	out := make([]gen.PayByLink, len(s.links))
	for i, l := range s.links {
		out[i] = l.toGen(string(gen.ApprovedStatusApproved), now)
	}
	return out
}

func (s *store) link(orderNumber string) (gen.PayByLink, bool) {
	l, f := s.getLink(orderNumber)
	return l, f == nil
}
