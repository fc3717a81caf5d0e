package wire_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/wire"
)

func TestTimestampReadsEachLayoutAndWritesItBack(t *testing.T) {
	cases := []struct {
		name   string
		in     string
		layout wire.Layout
		utc    time.Time
	}{
		{"customers RFC 3339", "2019-02-12T11:22:33Z", wire.RFC3339, time.Date(2019, 2, 12, 11, 22, 33, 0, time.UTC)},
		{"RFC 3339 with offset", "2019-02-12T13:22:33+02:00", wire.RFC3339, time.Date(2019, 2, 12, 11, 22, 33, 0, time.UTC)},
		{"pay by link UTC suffix", "2019-02-12 11:22:33 UTC", wire.UTCSuffix, time.Date(2019, 2, 12, 11, 22, 33, 0, time.UTC)},
		{"expires_at compact offset", "2021-09-26T07:58:30.996+0200", wire.CompactOffset, time.Date(2021, 9, 26, 5, 58, 30, 996e6, time.UTC)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ts wire.Timestamp
			require.NoError(t, json.Unmarshal([]byte(`"`+c.in+`"`), &ts))
			assert.Equal(t, c.layout, ts.Layout)
			assert.True(t, c.utc.Equal(ts.Time), "got %v", ts.Time)

			out, err := json.Marshal(ts)
			require.NoError(t, err)
			assert.Equal(t, `"`+c.in+`"`, string(out))
			assert.Equal(t, c.in, ts.String())
		})
	}
}

func TestTimestampFromTimeWritesRFC3339(t *testing.T) {
	ts := wire.Timestamp{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
	out, err := json.Marshal(ts)
	require.NoError(t, err)
	assert.Equal(t, `"2024-01-02T03:04:05Z"`, string(out))
}

func TestNewTimestampWritesChosenLayout(t *testing.T) {
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600))
	cases := map[wire.Layout]string{
		wire.RFC3339:       `"2024-01-02T03:04:05+01:00"`,
		wire.UTCSuffix:     `"2024-01-02 02:04:05 UTC"`,
		wire.CompactOffset: `"2024-01-02T03:04:05.000+0100"`,
	}
	for layout, want := range cases {
		t.Run(layout.String(), func(t *testing.T) {
			out, err := json.Marshal(wire.NewTimestamp(at, layout))
			require.NoError(t, err)
			assert.Equal(t, want, string(out))
		})
	}
}

func TestTimestampRejectsBadInput(t *testing.T) {
	for _, in := range []string{`"2019-02-12"`, `"yesterday"`, `""`, `12`, `"2019-02-12 11:22:33 CET"`, `"2019-02-12T11:22:33\u002b0200"`, `{}`} {
		t.Run(in, func(t *testing.T) {
			var ts wire.Timestamp
			err := json.Unmarshal([]byte(in), &ts)
			require.Error(t, err)
			assert.True(t, errors.Is(err, wire.ErrTimestamp), "%v", err)
			assert.True(t, ts.IsZero(), "a failed read must leave the value unchanged")
		})
	}
}

func TestTimestampNullLeavesValue(t *testing.T) {
	var withPointer struct {
		At *wire.Timestamp `json:"at"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"at":null}`), &withPointer))
	assert.Nil(t, withPointer.At)

	ts := wire.NewTimestamp(time.Unix(1, 0), wire.UTCSuffix)
	require.NoError(t, ts.UnmarshalJSON([]byte("null")))
	assert.Equal(t, int64(1), ts.Unix())
}

func TestTimestampUnknownLayoutIsAnError(t *testing.T) {
	_, err := json.Marshal(wire.Timestamp{Layout: 9})
	require.Error(t, err)
	assert.Equal(t, "Layout(9)", wire.Layout(9).String())
}
