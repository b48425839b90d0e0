package worker_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
	"bela/internal/worker"
)

// sink is a minimal SMTP server inside the test process that keeps every message it receives.
type sink struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []string
}

func newSink(t *testing.T) *sink {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &sink{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return s
}

func (s *sink) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	fmt.Fprint(c, "220 sink ESMTP\r\n")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			fmt.Fprint(c, "250 sink\r\n")
		case strings.HasPrefix(cmd, "DATA"):
			fmt.Fprint(c, "354 go on\r\n")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, b.String())
			s.mu.Unlock()
			fmt.Fprint(c, "250 queued\r\n")
		case strings.HasPrefix(cmd, "QUIT"):
			fmt.Fprint(c, "221 bye\r\n")
			return
		default:
			fmt.Fprint(c, "250 ok\r\n")
		}
	}
}

func (s *sink) messages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.msgs...)
}

func TestOutboxDeliversAndRetries(t *testing.T) {
	ctx := context.Background()
	c := storetest.NewClock(storetest.Start)
	s := storetest.OpenSQLite(t, c)
	if err := s.SetInstance(ctx, store.System, store.Instance{Name: "Pemerintah Kota Medan", TimeZone: "Asia/Jakarta"}); err != nil {
		t.Fatal(err)
	}
	u, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Rina", Email: "rina@bela.test"}, store.Grant{Role: market.RoleAuditor})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Notify(ctx, u.ID, "Pesanan menunggu persetujuan", "Pesanan SP/1 menunggu.", "http://bela.test/pesanan/1", true); err != nil {
		t.Fatal(err)
	}
	// The server is down: the e-mail stays queued and is retried after a back-off.
	down, _ := net.Listen("tcp", "127.0.0.1:0")
	downAddr := down.Addr().String()
	down.Close()
	job := worker.OutboxJob(s, worker.SMTP{Addr: downAddr, From: "bela@pemkomedan.test"})
	if err := job.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueEmails(ctx, 10); len(due) != 0 {
		t.Fatalf("failed e-mail due again at once: %+v", due)
	}
	// The server is up; after the back-off the e-mail is delivered exactly once.
	sk := newSink(t)
	c.Advance(2 * time.Minute)
	job = worker.OutboxJob(s, worker.SMTP{Addr: sk.ln.Addr().String(), From: "bela@pemkomedan.test"})
	if err := job.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if err := job.Run(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := sk.messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "To: rina@bela.test") || !strings.Contains(msgs[0], "Pesanan SP/1 menunggu.") {
		t.Fatalf("sink got %q", msgs)
	}
}

func TestRunnerRunsJobsWhileLeading(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		ctx, cancel := context.WithCancel(context.Background())
		var mu sync.Mutex
		runs := 0
		r := &worker.Runner{Store: s, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Tick: 5 * time.Millisecond,
			Jobs: []*worker.Job{{Name: "count", Every: time.Millisecond, Run: func(context.Context) error {
				mu.Lock()
				runs++
				mu.Unlock()
				return nil
			}}}}
		// On PostgreSQL another server holds the lead first: the runner must wait.
		var other *store.Leadership
		if s.Dialect() == store.Postgres {
			var err error
			if other, err = s.TryLead(ctx); err != nil || other == nil {
				t.Fatalf("first leader: %v %v", other, err)
			}
		}
		done := make(chan struct{})
		go func() { r.Run(ctx); close(done) }()
		time.Sleep(100 * time.Millisecond)
		mu.Lock()
		before := runs
		mu.Unlock()
		if other != nil {
			if before != 0 {
				t.Errorf("ran %d jobs without the lead", before)
			}
			other.Release()
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			mu.Lock()
			n := runs
			mu.Unlock()
			if n > before {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("jobs never ran")
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		<-done
	})
}
