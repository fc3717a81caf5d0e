package mock

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock/internal/api"
)

// paramError answers a parameter the generated code could not bind. With
// validation on, the contract check catches these first.
func (s *Server) paramError(w http.ResponseWriter, _ *http.Request, err error) {
	name := "parameter"
	var inv *api.InvalidParamFormatError
	var req *api.RequiredParamError
	var many *api.TooManyValuesForParamError
	switch {
	case errors.As(err, &inv):
		name = inv.ParamName
	case errors.As(err, &req):
		writeError(w, http.StatusBadRequest, req.ParamName+": is required")
		return
	case errors.As(err, &many):
		writeError(w, http.StatusBadRequest, many.ParamName+": must be given once")
		return
	}
	if sch := s.spec.paramSchemas[name]; sch != nil {
		writeError(w, http.StatusBadRequest, name+": must be "+typeWords(sch))
		return
	}
	writeError(w, http.StatusBadRequest, name+": is invalid")
}

// bodyError answers a body the generated code could not decode into
// package gen's types.
func (s *Server) bodyError(w http.ResponseWriter, _ *http.Request, err error) {
	writeError(w, http.StatusBadRequest, decodeWords(err))
}

func responseError(w http.ResponseWriter, _ *http.Request, _ error) {
	writeError(w, http.StatusInternalServerError, "mock: could not write the response")
}

// writeError writes Monri's error shape: invalid-request for 4xx, error
// for 5xx.
func writeError(w http.ResponseWriter, status int, message string) {
	noteRule(w, message)
	st := gen.MonriErrorStatusInvalidRequest
	if status >= 500 {
		st = gen.MonriErrorStatusError
	}
	writeJSON(w, status, gen.MonriError{Status: st, Message: message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"status":"error","message":"mock: could not encode the response"}`)
	}
	b = append(b, '\n')
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
