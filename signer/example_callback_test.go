package signer_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/monri-go/monri/signer"
)

func ExampleCallbackDigest() {
	body := []byte(`{"order_number":"order-1","status":"approved","response_code":"0000"}`)
	fmt.Println(signer.CallbackScheme + " " + signer.CallbackDigest("qwert1234", body))
	// Output: WP3-callback e5f5af728b7523c483ab097a9af15506cc583124864fa58c199a04b048d2890801999598becc3a19a7ae5fadb9e5f8a0f5fab9cf1c2a39ef6eb9c54ea76f5ef8
}

func ExampleVerifyCallback() {
	// What a callback handler has: the Authorization header and the raw body.
	body := []byte(`{"order_number":"order-1","status":"approved","response_code":"0000"}`)
	header := "WP3-callback e5f5af728b7523c483ab097a9af15506cc583124864fa58c199a04b048d2890801999598becc3a19a7ae5fadb9e5f8a0f5fab9cf1c2a39ef6eb9c54ea76f5ef8"

	fmt.Println(signer.VerifyCallback("qwert1234", header, body))

	tampered := []byte(strings.Replace(string(body), "0000", "0001", 1))
	fmt.Println(errors.Is(signer.VerifyCallback("qwert1234", header, tampered), signer.ErrMismatch))

	fmt.Println(signer.VerifyCallback("qwert1234", "", body))
	// Output:
	// <nil>
	// true
	// signer: missing Authorization header
}

func ExampleVerifySuccessURL() {
	// The digest is last; it signs everything before "&digest=".
	u := "https://shop.example/ok?order_number=order-1&digest=3cf45774181c3d5065c291a276d3697f7039125da7cb72c703d976e6124f97c1915fe15851d123aa5a27c8910c15c15ec65dc050316f318617d39208a41514c8"
	fmt.Println(signer.VerifySuccessURL("qwert1234", u))

	// The only parameter: it signs everything up to and including the "?".
	// Monri's plugins cannot verify this form; Monri's redirects always
	// carry other parameters.
	u = "https://shop.example/ok?digest=d924f166679967f8d6a25da31b1da32fb738fd8d151733bd613c74987348d98ff454df3d1c654922b4ce739622477c9f4ffc176afa0c476d7dfc03d2802fc6f8"
	fmt.Println(signer.VerifySuccessURL("qwert1234", u))

	err := signer.VerifySuccessURL("qwert1234", strings.Replace(u, "/ok", "/paid", 1))
	fmt.Println(errors.Is(err, signer.ErrMismatch), err)
	// Output:
	// <nil>
	// <nil>
	// true signer: success URL: digest mismatch
}

func ExampleSignSuccessURL() {
	u, err := signer.SignSuccessURL("qwert1234", "https://shop.example/ok?order_number=order-1")
	if err != nil {
		panic(err)
	}
	fmt.Println(u)
	fmt.Println(signer.VerifySuccessURL("qwert1234", u))
	// Output:
	// https://shop.example/ok?order_number=order-1&digest=3cf45774181c3d5065c291a276d3697f7039125da7cb72c703d976e6124f97c1915fe15851d123aa5a27c8910c15c15ec65dc050316f318617d39208a41514c8
	// <nil>
}
