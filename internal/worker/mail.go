package worker

import (
	"context"
	"fmt"
	"mime"
	"net/smtp"
	"strings"
	"time"

	"bela/internal/store"
)

// SMTP is the outgoing mail server configuration.
type SMTP struct {
	Addr     string // host:port; empty disables sending (mail stays queued)
	From     string
	Username string
	Password string
}

// Enabled reports whether e-mail can be sent.
func (c SMTP) Enabled() bool { return c.Addr != "" && c.From != "" }

// Send delivers one message.
func (c SMTP) Send(to, subject, body string) error {
	var auth smtp.Auth
	if c.Username != "" {
		host := c.Addr
		if i := strings.LastIndex(host, ":"); i >= 0 {
			host = host[:i]
		}
		auth = smtp.PlainAuth("", c.Username, c.Password, host)
	}
	msg := "From: " + c.From + "\r\nTo: " + to + "\r\nSubject: " + mime.QEncoding.Encode("utf-8", subject) +
		"\r\nDate: " + time.Now().UTC().Format(time.RFC1123Z) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
		strings.ReplaceAll(body, "\n", "\r\n")
	if err := smtp.SendMail(c.Addr, auth, c.From, []string{to}, []byte(msg)); err != nil {
		return fmt.Errorf("smtp send: %w", err)
	}
	return nil
}

// OutboxJob sends due e-mails from the outbox; failures are retried later with back-off.
func OutboxJob(s *store.Store, c SMTP) *Job {
	return &Job{Name: "outbox", Every: 5 * time.Second, Run: func(ctx context.Context) error {
		if !c.Enabled() {
			return nil
		}
		mails, err := s.DueEmails(ctx, 50)
		if err != nil {
			return err
		}
		for _, m := range mails {
			if err := c.Send(m.To, m.Subject, m.Body); err != nil {
				if err := s.MarkEmailFailed(ctx, m, err); err != nil {
					return err
				}
				continue
			}
			if err := s.MarkEmailSent(ctx, m.ID); err != nil {
				return err
			}
		}
		return nil
	}}
}
