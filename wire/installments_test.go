package wire_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/wire"
)

func TestInstallmentsDecode(t *testing.T) {
	cases := []struct {
		in   string
		want wire.Installments
	}{
		{`""`, 0},
		{`null`, 0},
		{`2`, 2},
		{`12`, 12},
		{`"6"`, 6},
		{` 3 `, 3},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			n := wire.Installments(99)
			require.NoError(t, json.Unmarshal([]byte(c.in), &n))
			assert.Equal(t, c.want, n)
		})
	}
}

func TestInstallmentsRejectNonIntegers(t *testing.T) {
	for _, in := range []string{`-3`, `2.5`, `"two"`, `true`, `[]`, `{}`, `"   "`, `123456`, `"1e3"`} {
		t.Run(in, func(t *testing.T) {
			n := wire.Installments(7)
			err := json.Unmarshal([]byte(in), &n)
			require.Error(t, err)
			if !errors.Is(err, wire.ErrInstallments) {
				// encoding/json rejects some shapes before our decoder runs.
				var syntax *json.SyntaxError
				assert.True(t, errors.As(err, &syntax), "%v", err)
			}
			assert.Equal(t, wire.Installments(7), n, "a failed read must leave the value unchanged")
		})
	}
}

func TestInstallmentsEncode(t *testing.T) {
	for n, want := range map[wire.Installments]string{0: `""`, 2: `2`, 12: `12`} {
		out, err := json.Marshal(n)
		require.NoError(t, err)
		assert.Equal(t, want, string(out))
	}
}

func TestInstallmentsValidate(t *testing.T) {
	for _, ok := range []wire.Installments{0, 2, 7, 12} {
		assert.NoError(t, ok.Validate(), "%d", ok)
	}
	for _, bad := range []wire.Installments{1, 13, -2} {
		err := bad.Validate()
		assert.ErrorIs(t, err, wire.ErrInstallments, "%d", bad)
	}
	assert.False(t, wire.Installments(0).IsSet())
	assert.True(t, wire.Installments(2).IsSet())
}
