package translog

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// maxResponseSize bounds a response body the client reads.
const maxResponseSize = 256 << 20

// Client speaks the log protocol (see Server) to a Bela instance. It is a
// Source for Verify and a WitnessLog for Witness.
type Client struct {
	base *url.URL
	hc   *http.Client
	// PageSize is the number of entries asked per request (the server may
	// answer fewer); DefaultMaxEntries if <= 0.
	PageSize int
}

// NewClient returns a client for the instance at baseURL (for example
// "https://bela.example.id"), using hc (http.DefaultClient if nil). It
// returns an error for a URL that is not absolute http(s).
func NewClient(baseURL string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(strings.TrimSuffix(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("translog: log URL %q is not an absolute http(s) URL", baseURL)
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: u, hc: hc}, nil
}

// do sends a request to path with query q and returns the body of a 200
// answer. Other statuses become errors carrying the server's message; 404
// wraps ErrNotFound.
func (c *Client) do(ctx context.Context, method, path string, q url.Values, body []byte) ([]byte, error) {
	u := *c.base
	u.Path += path
	u.RawQuery = q.Encode()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, fmt.Errorf("translog: %s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("translog: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseSize))
	if err != nil {
		return nil, fmt.Errorf("translog: %s %s: reading response: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		msg := strings.TrimSpace(string(data))
		if len(msg) > 300 {
			msg = msg[:300]
		}
		if resp.StatusCode == http.StatusNotFound {
			return nil, fmt.Errorf("translog: %s %s: %s: %s: %w", method, path, resp.Status, msg, ErrNotFound)
		}
		return nil, fmt.Errorf("translog: %s %s: %s: %s", method, path, resp.Status, msg)
	}
	return data, nil
}

// Key returns the log's verifier key as the server announces it (to be
// trusted on first use only). It returns HTTP errors, wrapped.
func (c *Client) Key(ctx context.Context) (string, error) {
	b, err := c.do(ctx, http.MethodGet, "/log/key", nil, nil)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// LatestCheckpoint implements Source: GET /log/checkpoint.
func (c *Client) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	return c.do(ctx, http.MethodGet, "/log/checkpoint", nil, nil)
}

// Checkpoints returns the signed checkpoints (with cosignatures) whose size
// is greater than since, a page at a time. It returns HTTP errors and
// ErrMalformed for a bad response, wrapped.
func (c *Client) Checkpoints(ctx context.Context, since int64) ([][]byte, error) {
	b, err := c.do(ctx, http.MethodGet, "/log/checkpoints", url.Values{"since": {strconv.FormatInt(since, 10)}}, nil)
	if err != nil {
		return nil, err
	}
	var resp CheckpointsResponse
	if err := json.Unmarshal(b, &resp); err != nil {
		return nil, fmt.Errorf("translog: checkpoints response: %v: %w", err, ErrMalformed)
	}
	out := make([][]byte, len(resp.Checkpoints))
	for i, s := range resp.Checkpoints {
		out[i] = []byte(s)
	}
	return out, nil
}

// Entries implements Source: GET /log/entries, at most PageSize at a time.
func (c *Client) Entries(ctx context.Context, start, end int64) ([]Entry, int64, error) {
	page := int64(c.PageSize)
	if page <= 0 {
		page = DefaultMaxEntries
	}
	end = min(end, start+page)
	b, err := c.do(ctx, http.MethodGet, "/log/entries", url.Values{
		"start": {strconv.FormatInt(start, 10)},
		"end":   {strconv.FormatInt(end, 10)},
	}, nil)
	if err != nil {
		return nil, 0, err
	}
	return parseEntries(b, start, end)
}

// parseEntries decodes and checks an entries response for [start, end).
func parseEntries(b []byte, start, end int64) ([]Entry, int64, error) {
	var resp EntriesResponse
	if err := json.Unmarshal(b, &resp); err != nil {
		return nil, 0, fmt.Errorf("translog: entries response: %v: %w", err, ErrMalformed)
	}
	if resp.Start != start || resp.End <= start || resp.End > end {
		return nil, 0, fmt.Errorf("translog: entries response covers [%d, %d), asked [%d, %d): %w", resp.Start, resp.End, start, end, ErrMalformed)
	}
	last := start - 1
	for _, e := range resp.Entries {
		if e.Index <= last || e.Index >= resp.End {
			return nil, 0, fmt.Errorf("translog: entries response lists index %d out of order in [%d, %d): %w", e.Index, start, resp.End, ErrMalformed)
		}
		last = e.Index
	}
	return resp.Entries, resp.End, nil
}

// InclusionProof returns the server's proof that entry index is in the tree
// of the given size (check it with CheckInclusion). It returns HTTP errors
// and ErrMalformed for a bad response, wrapped.
func (c *Client) InclusionProof(ctx context.Context, index, size int64) (tlog.RecordProof, error) {
	b, err := c.do(ctx, http.MethodGet, "/log/proof/inclusion", url.Values{
		"index": {strconv.FormatInt(index, 10)},
		"size":  {strconv.FormatInt(size, 10)},
	}, nil)
	if err != nil {
		return nil, err
	}
	var resp InclusionResponse
	if err := parseProof(b, &resp, &resp.Proof); err != nil {
		return nil, err
	}
	if resp.Index != index || resp.Size != size {
		return nil, fmt.Errorf("translog: inclusion proof for index %d size %d, asked %d %d: %w", resp.Index, resp.Size, index, size, ErrMalformed)
	}
	return resp.Proof, nil
}

// ConsistencyProof implements Source: GET /log/proof/consistency.
func (c *Client) ConsistencyProof(ctx context.Context, from, to int64) (tlog.TreeProof, error) {
	b, err := c.do(ctx, http.MethodGet, "/log/proof/consistency", url.Values{
		"from": {strconv.FormatInt(from, 10)},
		"to":   {strconv.FormatInt(to, 10)},
	}, nil)
	if err != nil {
		return nil, err
	}
	var resp ConsistencyResponse
	if err := parseProof(b, &resp, &resp.Proof); err != nil {
		return nil, err
	}
	if resp.From != from || resp.To != to {
		return nil, fmt.Errorf("translog: consistency proof from %d to %d, asked %d %d: %w", resp.From, resp.To, from, to, ErrMalformed)
	}
	return resp.Proof, nil
}

// maxProofLen bounds a proof's length: two hashes per tree level is ample.
const maxProofLen = 128

// parseProof decodes a proof response into v, whose proof field is proof.
func parseProof(b []byte, v any, proof *[]tlog.Hash) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("translog: proof response: %v: %w", err, ErrMalformed)
	}
	if len(*proof) > maxProofLen {
		return fmt.Errorf("translog: proof of %d hashes is too long: %w", len(*proof), ErrMalformed)
	}
	return nil
}

// AddCosignature posts msg, a checkpoint note cosigned by a witness, to
// POST /log/cosignatures. It returns HTTP errors (the server's refusal
// message), wrapped.
func (c *Client) AddCosignature(ctx context.Context, msg []byte) error {
	_, err := c.do(ctx, http.MethodPost, "/log/cosignatures", nil, msg)
	return err
}
