package demo

import (
	"context"
	"fmt"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// The demo auditor's work in the last week before the demo's now, through the store's use cases
// as of their times: an audit case (kasus pemeriksaan) opened on a split purchase, with a
// follow-up note, still open; and one on another red-flagged order, closed with an
// administrative finding. Nothing is scheduled when the demo has no auditor or no flagged order.

// closedCaseTitles are the closed case's title by the flag it was opened on, in the order tried.
var closedCaseTitles = []struct {
	flag  market.RedFlag
	title string
}{
	{market.FlagPrice, "Harga satuan di atas harga acuan"},
	{market.FlagDisputed, "Sengketa antara unit kerja dan penyedia"},
	{market.FlagClosedShort, "Pesanan ditutup dengan kekurangan"},
	{market.FlagNearCap, "Nilai pesanan mendekati batas"},
	{market.FlagPaymentMismatch, "Pembayaran tidak sesuai tagihan"},
	{market.FlagLatePayment, "Pembayaran melewati batas waktu"},
	{market.FlagConcentration, "Belanja terpusat pada satu penyedia"},
}

// auditCases schedules the demo auditor's two cases (see above).
func (sim *orderSim) auditCases(ctx context.Context) error {
	lg, ok := sim.l.logins[market.RoleAuditor]
	if !ok {
		return nil
	}
	s := sim.l.s
	u, err := s.FindUserByEmail(ctx, lg.Email)
	if err != nil {
		return err
	}
	auditor, err := s.Principal(ctx, u.ID)
	if err != nil {
		return err
	}
	// at is n days before now at the given time of day (WIB).
	at := func(n, hour, minute int) time.Time {
		d := sim.now.In(sim.wib).AddDate(0, 0, -n)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, sim.wib)
	}
	// flagged returns the newest order with flag f and no case yet.
	flagged := func(ctx context.Context, f market.RedFlag) (store.FlaggedOrder, bool, error) {
		list, err := s.RedFlagOrders(ctx, auditor, store.RedFlagFilter{Flag: f, WithoutCase: true, Limit: 1})
		if err != nil || len(list) == 0 {
			return store.FlaggedOrder{}, false, err
		}
		return list[0], true, nil
	}
	sim.push(
		demoEvent{at: at(6, 9, 15), run: func(ctx context.Context) ([]demoEvent, error) {
			for _, c := range closedCaseTitles {
				o, ok, err := flagged(ctx, c.flag)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
				cs, err := s.OpenCase(ctx, auditor, o.ID, c.title,
					fmt.Sprintf("Pesanan #%d (%s, %s) ditandai; periksa dokumen pengadaan dan penjelasan Pejabat Pengadaan.", o.ID, o.UnitName, o.SellerName))
				if err != nil {
					return nil, tolerate(err)
				}
				return []demoEvent{{at: at(2, 10, 30), run: func(ctx context.Context) ([]demoEvent, error) {
					return nil, tolerate(s.CloseCase(ctx, auditor, cs.ID, market.ConclusionAdministrative,
						"Dokumen survei harga dan alasan tertulis tidak lengkap; Pejabat Pengadaan diminta melengkapinya untuk pembelian berikutnya."))
				}}}, nil
			}
			return nil, nil
		}},
		demoEvent{at: at(4, 9, 45), run: func(ctx context.Context) ([]demoEvent, error) {
			o, ok, err := flagged(ctx, market.FlagSplit)
			if err != nil || !ok {
				return nil, err
			}
			cs, err := s.OpenCase(ctx, auditor, o.ID, "Dugaan pemecahan pembelian",
				"Beberapa pesanan ke penyedia yang sama dalam jangka pendek melewati batas bersama-sama. Alasan tertulis Pejabat Pengadaan perlu dicocokkan dengan RUP dan jadwal kegiatan.")
			if err != nil {
				return nil, tolerate(err)
			}
			return []demoEvent{{at: at(1, 14, 20), run: func(ctx context.Context) ([]demoEvent, error) {
				return nil, tolerate(s.AddCaseNote(ctx, auditor, cs.ID,
					"Permintaan dokumen RUP dan undangan kegiatan sudah dikirim ke PPK; menunggu jawaban."))
			}}}, nil
		}},
	)
	return nil
}
