package store_test

import (
	"errors"
	"testing"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

func TestRegionCodeIsAKemendagriCode(t *testing.T) {
	for code, ok := range map[string]bool{
		"12.71": true, "12": true, "31.74": true, "12.01": true,
		"": false, "abc": false, "12.7": false, "1271": false, "12.71.01": false, "12.": false, ".71": false,
		"99.71": false, "00": false, "12.00": false, " 12.71": false, "12.7a": false,
	} {
		err := store.CheckRegionCode(code)
		var me *market.Error
		if ok != (err == nil) || (err != nil && (!errors.As(err, &me) || me.Code != market.CodeInvalid || me.Fields["region_code"] == "")) {
			t.Errorf("CheckRegionCode(%q) = %v", code, err)
		}
	}
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		err := s.SetInstance(ctx, store.System, store.Instance{Name: "Pemerintah Kota Medan", RegionCode: "abc", TimeZone: "Asia/Jakarta"})
		if !errors.Is(err, market.ErrInvalid) {
			t.Errorf("SetInstance with region code abc: %v", err)
		}
		if _, err := s.GetInstance(ctx); !errors.Is(err, market.ErrNotFound) {
			t.Errorf("an instance was stored: %v", err)
		}
	})
}
