package llm

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// go-openai hides the HTTP response behind its error types, so this
// RoundTripper sits under it to see what it cannot tell us: Retry-After, the
// moment bytes arrive (for the idle watchdog), and the raw bodies, from which
// it removes the API key before anything can quote it back.

// callState is what the transport learns about one attempt. It travels in the
// request's context.
type callState struct {
	touch func() // called whenever bytes arrive; set before the request starts

	mu         sync.Mutex
	status     int
	retryAfter time.Duration
	began      bool // the reply began: headers of a whole reply, a stream's first chunk
}

// begin records that the reply began.
func (st *callState) begin() {
	if st != nil {
		st.mu.Lock()
		st.began = true
		st.mu.Unlock()
	}
}

// replied reports whether the reply began.
func (st *callState) replied() bool {
	if st == nil {
		return false
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.began
}

type callStateKey struct{}

func withCallState(ctx context.Context, st *callState) context.Context {
	return context.WithValue(ctx, callStateKey{}, st)
}

func (st *callState) activity() {
	if st != nil && st.touch != nil {
		st.touch()
	}
}

func (st *callState) RetryAfter() time.Duration {
	if st == nil {
		return 0
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.retryAfter
}

// Body size limits: an error body is short; a non-streamed reply is bounded by
// the model's output, a few hundred KB at most.
const (
	maxErrorBody = 1 << 20
	maxReplyBody = 32 << 20
)

type transport struct {
	base http.RoundTripper
	key  string
	now  func() time.Time
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	st, _ := req.Context().Value(callStateKey{}).(*callState)
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp == nil {
		return resp, err
	}
	st.activity()
	if st != nil {
		st.mu.Lock()
		st.status = resp.StatusCode
		st.retryAfter = parseRetryAfter(resp.Header, t.now())
		st.mu.Unlock()
	}
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	switch {
	case ok && strings.Contains(req.Header.Get("Accept"), "text/event-stream"):
		resp.Body = newSSEFilter(resp.Body, t.key, st)
	default:
		st.begin()
		limit := int64(maxReplyBody)
		if !ok {
			limit = maxErrorBody
		}
		body, rerr := io.ReadAll(io.LimitReader(&touchReader{r: resp.Body, st: st}, limit))
		resp.Body.Close()
		if rerr != nil && ok {
			return nil, rerr
		}
		body = redactBytes(body, t.key)
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Del("Content-Length")
	}
	return resp, nil
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the base.
func (t *transport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// parseRetryAfter reads retry-after-ms (OpenAI) or Retry-After, in seconds or
// as an HTTP date.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(secs * float64(time.Second))
	}
	if at, err := http.ParseTime(v); err == nil {
		if d := at.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

func redactBytes(b []byte, key string) []byte {
	if len(key) < minRedactLen || !bytes.Contains(b, []byte(key)) {
		return b
	}
	return bytes.ReplaceAll(b, []byte(key), []byte("[redacted]"))
}

// touchReader tells the call state whenever bytes arrive.
type touchReader struct {
	r  io.Reader
	st *callState
}

func (t *touchReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		t.st.activity()
	}
	return n, err
}

// sseFilter passes an event stream through line by line, dropping what
// go-openai's reader mishandles. Its reader counts every line that is not
// "data:" towards EmptyMessagesLimit and copies it into the buffer it later
// parses as an error object, so after a single ": keep-alive" comment an
// in-stream {"error":...} can no longer be parsed, and a "data:" line with
// nothing after it fails to unmarshal. Dropped: comments (":..."), the SSE
// fields go-openai ignores anyway (event:, id:, retry:), and empty data lines.
// Every byte still counts as activity for the idle watchdog.
type sseFilter struct {
	src  io.ReadCloser
	r    *bufio.Reader
	key  string
	out  []byte
	err  error
	once sync.Once
}

func newSSEFilter(src io.ReadCloser, key string, st *callState) *sseFilter {
	return &sseFilter{src: src, r: bufio.NewReaderSize(&touchReader{r: src, st: st}, 32<<10), key: key}
}

func (f *sseFilter) Read(p []byte) (int, error) {
	for len(f.out) == 0 {
		if f.err != nil {
			return 0, f.err
		}
		line, err := f.r.ReadBytes('\n')
		if len(line) > 0 && keepSSELine(line) {
			f.out = redactBytes(line, f.key)
		}
		if err != nil {
			f.err = err
		}
	}
	n := copy(p, f.out)
	f.out = f.out[n:]
	return n, nil
}

func (f *sseFilter) Close() error {
	var err error
	f.once.Do(func() { err = f.src.Close() })
	return err
}

func keepSSELine(line []byte) bool {
	if line[0] == ':' {
		return false
	}
	for _, field := range []string{"event:", "id:", "retry:"} {
		if bytes.HasPrefix(line, []byte(field)) {
			return false
		}
	}
	if t := bytes.TrimSpace(line); bytes.Equal(t, []byte("data:")) {
		return false
	}
	return true
}
