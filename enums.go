package monri

import "github.com/monri-go/monri/gen"

// The contract's enums, re-exported so that a program needs no import of
// gen: each type is an alias of the generated one and each constant has
// its generated name, so the two spellings are interchangeable.

// TransactionType is what a payment does with the amount. Its values are
// documented at [gen.TransactionType].
type TransactionType = gen.TransactionType

// Transaction types.
const (
	// TransactionTypeAuthorize reserves the amount.
	TransactionTypeAuthorize = gen.TransactionTypeAuthorize
	// TransactionTypePurchase charges the amount.
	TransactionTypePurchase = gen.TransactionTypePurchase
)

// Language is the language of the payment page and its errors; see
// [gen.Language].
type Language = gen.Language

// Languages of the payment page.
const (
	LanguageBa = gen.LanguageBa
	LanguageEn = gen.LanguageEn
	LanguageEs = gen.LanguageEs
	LanguageHr = gen.LanguageHr
)

// ResponseStatus is the status of a successful answer; see
// [gen.ResponseStatus].
type ResponseStatus = gen.ResponseStatus

// Statuses of a successful answer.
const (
	// ResponseStatusApproved answers reads, customer writes and deletes.
	ResponseStatusApproved = gen.ResponseStatusApproved
	// ResponseStatusCreated answers a create-or-update that made the link.
	ResponseStatusCreated = gen.ResponseStatusCreated
	// ResponseStatusUpdated answers a create-or-update of an existing link.
	ResponseStatusUpdated = gen.ResponseStatusUpdated
)

// TerminalEntryStatus is where a payment link stands; see
// [gen.TerminalEntryStatus].
type TerminalEntryStatus = gen.TerminalEntryStatus

// Terminal-entry statuses of a payment link.
const (
	TerminalEntryStatusApproved = gen.TerminalEntryStatusApproved
	TerminalEntryStatusExpired  = gen.TerminalEntryStatusExpired
	TerminalEntryStatusPending  = gen.TerminalEntryStatusPending
)

// ErrorStatus is the status of Monri's error answers, [Error].Status; see
// [gen.ErrorStatus].
type ErrorStatus = gen.ErrorStatus

// Monri's two error statuses.
const (
	// StatusInvalidRequest answers a 4xx.
	StatusInvalidRequest = gen.ErrorStatusInvalidRequest
	// StatusError answers a 5xx.
	StatusError = gen.ErrorStatusError
)

// What an approved payment's callback says. The contract leaves a
// callback's status and response_code open strings, since Monri may send
// values no enum lists, so these are strings, as [Callback]'s fields are.
const (
	// CallbackStatusApproved is the status of an approved payment.
	CallbackStatusApproved string = "approved"
	// ResponseCodeApproved is the response_code of an approved payment.
	ResponseCodeApproved string = "0000"
)
