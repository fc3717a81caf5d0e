package gen_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/signer"
)

// The generated client with every request signed by signer. The local server
// stands in for https://ipgtest.monri.com and checks the signature.
func ExampleNewClientWithResponses() {
	s, err := signer.New("qwert1234", "7db11ea5d4a1af32421b564c79b946d1ead3daf0")
	if err != nil {
		panic(err)
	}
	monri := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if err := s.VerifyRequest(r, body); err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = fmt.Fprintf(w, `{"status":"invalid-request","message":%q}`, err.Error())
			return
		}
		_, _ = fmt.Fprint(w, `{"status":"approved","uuid":"4b281da4-d145-4233-b957-2018cf9aa0fb","name":"Ada","created_at":"2019-02-12T11:22:33Z"}`)
	}))
	defer monri.Close()

	c, err := gen.NewClientWithResponses(monri.URL, gen.WithRequestEditorFn(s.Edit))
	if err != nil {
		panic(err)
	}
	name := "Ada"
	resp, err := c.CreateCustomerWithResponse(context.Background(), gen.CreateCustomerJSONRequestBody{Name: &name})
	if err != nil {
		panic(err)
	}
	if resp.JSON200 == nil {
		fmt.Println("error:", resp.StatusCode(), string(resp.Body))
		return
	}
	fmt.Println(resp.StatusCode(), resp.JSON200.UUID, *resp.JSON200.Name, resp.JSON200.CreatedAt)
	// Output: 200 4b281da4-d145-4233-b957-2018cf9aa0fb Ada 2019-02-12T11:22:33Z
}
