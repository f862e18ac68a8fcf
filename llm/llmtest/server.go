// Package llmtest is a fake OpenAI-compatible server for tests. It speaks real
// HTTP and real server-sent events, answers each request with the next scripted
// Step, and records every request it receives so tests can check what was sent.
//
//	srv := llmtest.New(t)
//	srv.Script(llmtest.Unavailable(), llmtest.Reply("Hello there").Chunk(3))
//	cfg := llm.Config{BaseURL: srv.URL()}
package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Server is the fake. Create it with New; it closes itself when the test ends.
type Server struct {
	t    testing.TB
	ts   *httptest.Server
	done chan struct{}
	once sync.Once

	mu        sync.Mutex
	steps     []Step
	otherwise Step
	requests  []Recorded
}

// New starts a server and registers its Close with t.Cleanup.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t, done: make(chan struct{})}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// URL is the base URL for llm.Config.BaseURL, ending in /v1.
func (s *Server) URL() string { return s.ts.URL + "/v1" }

// Script appends steps: the next unanswered request gets the first of them.
func (s *Server) Script(steps ...Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.steps = append(s.steps, steps...)
}

// Otherwise answers every request past the end of the script (Echo(), or a
// StepFunc that switches on Exchange.Index). Without it such a request fails
// the test and gets a 500 saying "unscripted request".
func (s *Server) Otherwise(step Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.otherwise = step
}

// Requests returns a copy of every request received so far, in order.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Recorded(nil), s.requests...)
}

// RequestCount is how many chat requests arrived.
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// Request returns the i-th request (from 0); it fails the test if there is none.
func (s *Server) Request(i int) Recorded {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if i < 0 || i >= len(s.requests) {
		s.t.Fatalf("llmtest: request %d asked for, but %d arrived", i, len(s.requests))
		return Recorded{}
	}
	return s.requests[i]
}

// Close releases any handler still hanging and stops the server. It is safe
// to call more than once.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.done)
		s.ts.CloseClientConnections()
		s.ts.Close()
	})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || (r.URL.Path != "/v1/chat/completions" && r.URL.Path != "/chat/completions") {
		writeError(w, http.StatusNotFound, "invalid_request_error", "unknown_url",
			fmt.Sprintf("Unknown request URL: %s %s.", r.Method, r.URL.Path), nil)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	rec, err := parseRequest(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "", "llmtest: request body is not valid JSON: "+err.Error(), nil)
		return
	}
	rec.Path = r.URL.Path
	rec.Header = r.Header.Clone()

	s.mu.Lock()
	rec.Index = len(s.requests)
	s.requests = append(s.requests, rec)
	var step Step
	switch {
	case rec.Index < len(s.steps):
		step = s.steps[rec.Index]
	case s.otherwise != nil:
		step = s.otherwise
	}
	scripted := len(s.steps)
	s.mu.Unlock()

	x := &Exchange{W: w, R: r, Req: rec, Index: rec.Index, done: s.done}
	if step == nil {
		s.t.Errorf("llmtest: unscripted request #%d (the script has %d steps)", rec.Index+1, scripted)
		writeError(w, http.StatusInternalServerError, "server_error", "",
			fmt.Sprintf("llmtest: unscripted request #%d (the script has %d steps)", rec.Index+1, scripted), nil)
		return
	}
	step.Serve(x)
}

// Recorded is one request as the server received it.
type Recorded struct {
	Index               int
	Path                string
	Header              http.Header
	Body                []byte
	Model               string
	Messages            []Message
	Stream              bool
	StreamOptions       *StreamOptions
	ResponseFormat      *ResponseFormat
	MaxTokens           int
	MaxCompletionTokens int
	Temperature         float64
}

// Message is one message of a recorded request.
type Message struct {
	Role    string
	Content string
}

// StreamOptions is the request's stream_options.
type StreamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// ResponseFormat is the request's response_format.
type ResponseFormat struct {
	Type       string          `json:"type"`
	JSONSchema json.RawMessage `json:"json_schema,omitempty"`
}

// PromptChars is the total length of every message's content, in bytes.
func (r Recorded) PromptChars() int {
	n := 0
	for _, m := range r.Messages {
		n += len(m.Content)
	}
	return n
}

// LastUser is the content of the last user message.
func (r Recorded) LastUser() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

// FormatType is response_format.type, or "" when none was sent.
func (r Recorded) FormatType() string {
	if r.ResponseFormat == nil {
		return ""
	}
	return r.ResponseFormat.Type
}

// IncludeUsage reports stream_options.include_usage.
func (r Recorded) IncludeUsage() bool {
	return r.StreamOptions != nil && r.StreamOptions.IncludeUsage
}

func parseRequest(body []byte) (Recorded, error) {
	var in struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
		Stream              bool            `json:"stream"`
		StreamOptions       *StreamOptions  `json:"stream_options"`
		ResponseFormat      *ResponseFormat `json:"response_format"`
		MaxTokens           int             `json:"max_tokens"`
		MaxCompletionTokens int             `json:"max_completion_tokens"`
		Temperature         float64         `json:"temperature"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return Recorded{}, err
	}
	rec := Recorded{
		Body: body, Model: in.Model, Stream: in.Stream, StreamOptions: in.StreamOptions,
		ResponseFormat: in.ResponseFormat, MaxTokens: in.MaxTokens,
		MaxCompletionTokens: in.MaxCompletionTokens, Temperature: in.Temperature,
	}
	for _, m := range in.Messages {
		rec.Messages = append(rec.Messages, Message{Role: m.Role, Content: contentText(m.Content)})
	}
	return rec, nil
}

// contentText reads a message content given as a string or as parts.
func contentText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []struct {
		Text string `json:"text"`
	}
	if json.Unmarshal(raw, &parts) == nil {
		var b strings.Builder
		for _, p := range parts {
			b.WriteString(p.Text)
		}
		return b.String()
	}
	return string(raw)
}
