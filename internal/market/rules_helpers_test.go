package market

import (
	"sort"

	"github.com/google/go-cmp/cmp"
)

// sortStrings makes cmp compare string slices regardless of order.
var sortStrings = cmp.Transformer("sort", func(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
})
