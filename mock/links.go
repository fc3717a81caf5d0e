package mock

import (
	"crypto/rand"
	"slices"
	"time"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/wire"
)

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
		supported = []wire.CardToken{}
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
