package signer_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/monri-go/monri/signer"
)

// The Customers API documentation's example.
func ExampleDigest() {
	d := signer.Digest("qwert1234", "1593457122", "7db11ea5d4a1af32421b564c79b946d1ead3daf0",
		"/v2/payment/new", []byte(`{"example":"1"}`))
	fmt.Println(d)
	// Output: bd120476c656a8ec3ce5d6a150f17061d03a8e280b0fbba278a73a15066830562f73ce5536882c9222e265f1ff6c2df629173375b549cba5a9275b08686f32ea
}

func ExampleSigner_Sign() {
	// A fixed clock makes the output reproducible; production code omits WithClock.
	clock := func() time.Time { return time.Unix(1593457122, 0) }
	s, err := signer.New("qwert1234", "7db11ea5d4a1af32421b564c79b946d1ead3daf0", signer.WithClock(clock))
	if err != nil {
		panic(err)
	}
	req, err := http.NewRequest(http.MethodPost, "https://ipg.monri.com/v2/payment/new", strings.NewReader(`{"example":"1"}`))
	if err != nil {
		panic(err)
	}
	if err := s.Sign(req); err != nil {
		panic(err)
	}
	fmt.Println(req.Header.Get("Authorization"))
	// Output: WP3-v2.1 7db11ea5d4a1af32421b564c79b946d1ead3daf0 1593457122 bd120476c656a8ec3ce5d6a150f17061d03a8e280b0fbba278a73a15066830562f73ce5536882c9222e265f1ff6c2df629173375b549cba5a9275b08686f32ea
}

func ExampleSigner_Verify() {
	// Ten minutes after signing: inside the default 15-minute window.
	clock := func() time.Time { return time.Unix(1593457122+600, 0) }
	s, err := signer.New("qwert1234", "7db11ea5d4a1af32421b564c79b946d1ead3daf0", signer.WithClock(clock))
	if err != nil {
		panic(err)
	}
	const header = "WP3-v2.1 7db11ea5d4a1af32421b564c79b946d1ead3daf0 1593457122 bd120476c656a8ec3ce5d6a150f17061d03a8e280b0fbba278a73a15066830562f73ce5536882c9222e265f1ff6c2df629173375b549cba5a9275b08686f32ea"

	fmt.Println(s.Verify(header, "/v2/payment/new", []byte(`{"example":"1"}`)))

	err = s.Verify(header, "/v2/payment/new", []byte(`{"example":"2"}`))
	fmt.Println(errors.Is(err, signer.ErrMismatch))

	err = s.Verify(strings.Replace(header, "WP3", "wp3", 1), "/v2/payment/new", []byte(`{"example":"1"}`))
	fmt.Println(errors.Is(err, signer.ErrMalformed), err)
	// Output:
	// <nil>
	// true
	// true signer: malformed Authorization header: scheme must be WP3-v2.1
}
