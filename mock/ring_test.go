package mock

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRingKeepsTheLastN(t *testing.T) {
	for _, c := range []struct {
		name string
		size int
		add  int
		want []int
	}{
		{"empty", 3, 0, []int{}},
		{"below size", 3, 2, []int{1, 2}},
		{"exactly size", 3, 3, []int{1, 2, 3}},
		{"wrapped once", 3, 4, []int{2, 3, 4}},
		{"wrapped twice", 3, 7, []int{5, 6, 7}},
		{"size zero keeps nothing", 0, 5, []int{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRing[int](c.size)
			for i := 1; i <= c.add; i++ {
				r.add(i)
			}
			got := r.all()
			if got == nil {
				got = []int{}
			}
			assert.Equal(t, c.want, got)
			r.clear()
			assert.Empty(t, r.all())
		})
	}
}
