package web

import (
	"net/http"
	"slices"

	"bela/internal/market"
	"bela/internal/store"
)

// This file is the transparency portal's page of one work unit (no login): how it spent in a
// fiscal year, per month, per UMK seller, per the sellers' kecamatan and per category, and the
// rule findings on its purchases. Only store.PublicUnitReport reaches it, which names no person.

type publicUnitPage struct {
	Base
	R     store.PublicUnitReport
	Years []int         // the year selector's options: the unit's years, and the year shown
	Max   market.Rupiah // the largest month's value, the bars' full length (at least 1)
}

// TopCategories is how many categories the page lists before it adds the rest up.
func (d *publicUnitPage) TopCategories() int { return store.TopCategories }

// MonthKey is the catalogue key of a month's name.
func (d *publicUnitPage) MonthKey(m store.PublicUnitMonth) string {
	return "punit.month." + m.Month.String()[:3]
}

// publicUnit shows one unit's purchases in a fiscal year (GET /belanja/unit/{id}?tahun=).
func (s *Server) publicUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	year, err := yearParam(r.URL.Query().Get("tahun"))
	if err != nil {
		return err
	}
	rep, err := s.store.PublicUnitReport(r.Context(), id, year)
	if err != nil {
		return err
	}
	d := &publicUnitPage{Base: s.newBase(r, "punit.title"), R: rep, Years: rep.Years, Max: 1}
	d.Title = rep.Unit.Name
	if rep.Year != 0 && !slices.Contains(rep.Years, rep.Year) {
		// A year without orders of the unit, asked for by address: the selector shows it.
		d.Years = append([]int{rep.Year}, rep.Years...)
		slices.SortFunc(d.Years, func(a, b int) int { return b - a })
	}
	d.Max = max(d.Max, rep.Outside.Value)
	for _, m := range rep.Months {
		d.Max = max(d.Max, m.Value)
	}
	return s.render(w, http.StatusOK, "portal_unit", d)
}
