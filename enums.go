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

// ApprovedStatus is the status of every Customers API answer and of a
// link read with Get: always approved. See [gen.ApprovedStatus].
type ApprovedStatus = gen.ApprovedStatus

// ApprovedStatusApproved is the one ApprovedStatus.
const ApprovedStatusApproved = gen.ApprovedStatusApproved

// SavedStatus is the status of a Pay By Link create-or-update; see
// [gen.SavedStatus]. PayByLink.Status is a string, since a link read with
// Get says approved: compare it with string(SavedStatusCreated).
type SavedStatus = gen.SavedStatus

// Statuses of a create-or-update.
const (
	// SavedStatusCreated answers the first create-or-update of an order number.
	SavedStatusCreated = gen.SavedStatusCreated
	// SavedStatusUpdated answers every later one.
	SavedStatusUpdated = gen.SavedStatusUpdated
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
// [gen.MonriErrorStatus].
type ErrorStatus = gen.MonriErrorStatus

// Monri's two error statuses.
const (
	// StatusInvalidRequest answers a 4xx.
	StatusInvalidRequest = gen.MonriErrorStatusInvalidRequest
	// StatusError answers a 5xx.
	StatusError = gen.MonriErrorStatusError
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
