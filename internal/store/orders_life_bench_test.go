package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"bela/internal/store"
)

// BenchmarkOrderLife takes placed orders through the rest of their life, one use case per step:
// the PPK's approval (every rule checked again, the Surat Pesanan numbered), the seller's
// acceptance, a shipment, and the BAST for everything ordered. Four units work at once, each
// on its own orders, on SQLite and (with BELA_TEST_POSTGRES) PostgreSQL. The orders are placed
// before the timer starts. Reported: steps/s, p50_ms and p99_ms per step, cpu_us/step.
//
// Run: go test ./internal/store -run '^$' -bench OrderLife -benchtime 500x
func BenchmarkOrderLife(b *testing.B) {
	const units = 4
	for _, db := range benchDBs {
		b.Run(db.name, func(b *testing.B) {
			s, c, ub := benchShop(b, db.open, units, false)
			ctx := context.Background()
			placed := make([][]store.Order, units)
			for n := range b.N {
				u := ub[n%units]
				os, err := s.Checkout(ctx, u.p, u.in)
				if err != nil {
					b.Fatalf("checkout: %v", err)
				}
				placed[n%units] = append(placed[n%units], os...)
				c.Advance(time.Minute)
			}
			lat := make([][]time.Duration, units)
			var failed atomic.Value
			b.ResetTimer()
			start := startClocks()
			var wg sync.WaitGroup
			for i := range units {
				u := ub[i]
				wg.Go(func() {
					step := func(f func() (store.Order, error)) bool {
						t0 := time.Now()
						_, err := f()
						lat[i] = append(lat[i], time.Since(t0))
						if err != nil {
							failed.Store(err)
						}
						return err == nil
					}
					for _, o := range placed[i] {
						receipt := store.ReceiveInput{Condition: store.ConditionGood}
						for _, l := range o.Lines {
							receipt.Lines = append(receipt.Lines, store.ReceiptLine{OrderLineID: l.ID, Quantity: l.Quantity})
						}
						if !step(func() (store.Order, error) { return s.Approve(ctx, u.ppk, o.ID) }) ||
							!step(func() (store.Order, error) { return s.Accept(ctx, u.seller, o.ID) }) ||
							!step(func() (store.Order, error) {
								return s.Ship(ctx, u.seller, o.ID, store.ShipInput{DeliveryNote: fmt.Sprintf("SJ-%d", o.ID)})
							}) ||
							!step(func() (store.Order, error) { return s.Receive(ctx, u.ppk, o.ID, receipt) }) {
							return
						}
					}
				})
			}
			wg.Wait()
			elapsed, cpu := time.Since(start.wall), processCPU()-start.cpu
			b.StopTimer()
			if err, _ := failed.Load().(error); err != nil {
				b.Fatalf("step failed: %v", err)
			}
			all := sorted(lat)
			b.ReportMetric(float64(len(all))/elapsed.Seconds(), "steps/s")
			b.ReportMetric(ms(percentile(all, 50)), "p50_ms")
			b.ReportMetric(ms(percentile(all, 99)), "p99_ms")
			if start.cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/float64(len(all)), "cpu_us/step")
			}
		})
	}
}
