package llmtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Step answers one request.
type Step interface {
	Serve(x *Exchange)
}

// StepFunc is a Step written inline.
type StepFunc func(x *Exchange)

// Serve calls f.
func (f StepFunc) Serve(x *Exchange) { f(x) }

// Exchange is one request being answered, with helpers for writing real
// server-sent events. Write errors (the client went away) are ignored.
type Exchange struct {
	W     http.ResponseWriter
	R     *http.Request
	Req   Recorded
	Index int // 0 for the first request the server received

	done    <-chan struct{}
	started bool
}

const chunkID = "chatcmpl-llmtest"

// StartStream sends the 200 and the event-stream headers, and flushes.
func (x *Exchange) StartStream() {
	if x.started {
		return
	}
	x.started = true
	h := x.W.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	x.W.WriteHeader(http.StatusOK)
	x.Flush()
}

// Flush pushes what was written onto the wire.
func (x *Exchange) Flush() {
	if f, ok := x.W.(http.Flusher); ok {
		f.Flush()
	}
}

// Raw writes s as it is, then flushes.
func (x *Exchange) Raw(s string) {
	x.StartStream()
	_, _ = x.W.Write([]byte(s))
	x.Flush()
}

// Data writes one event: "data: <json>\n\n".
func (x *Exchange) Data(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	x.Raw("data: " + string(b) + "\n\n")
}

// Comment writes an SSE comment line, as keep-alives do: ": text\n\n".
func (x *Exchange) Comment(text string) { x.Raw(": " + text + "\n\n") }

// Done writes the end marker "data: [DONE]".
func (x *Exchange) Done() { x.Raw("data: [DONE]\n\n") }

func (x *Exchange) chunk(choices []map[string]any, usage map[string]any) map[string]any {
	c := map[string]any{
		"id": chunkID, "object": "chat.completion.chunk", "created": time.Now().Unix(),
		"model": x.Req.Model, "choices": choices,
	}
	if usage != nil {
		c["usage"] = usage
	}
	return c
}

// RoleChunk sends the first chunk OpenAI sends: the role and empty content.
func (x *Exchange) RoleChunk() {
	x.Data(x.chunk([]map[string]any{{"index": 0, "delta": map[string]any{"role": "assistant", "content": ""}, "finish_reason": nil}}, nil))
}

// ContentChunk sends one piece of the reply.
func (x *Exchange) ContentChunk(text string) {
	x.Data(x.chunk([]map[string]any{{"index": 0, "delta": map[string]any{"content": text}, "finish_reason": nil}}, nil))
}

// FinishChunk sends the chunk carrying the finish reason.
func (x *Exchange) FinishChunk(reason string) {
	x.Data(x.chunk([]map[string]any{{"index": 0, "delta": map[string]any{}, "finish_reason": reason}}, nil))
}

// NoChoicesChunk sends a chunk with an empty choices list, as some servers do
// to keep a connection alive.
func (x *Exchange) NoChoicesChunk() {
	x.Data(x.chunk([]map[string]any{}, nil))
}

// UsageChunk sends the usage-only chunk that include_usage asks for.
func (x *Exchange) UsageChunk(prompt, completion int) {
	x.Data(x.chunk([]map[string]any{}, usageJSON(prompt, completion)))
}

// StreamErrorEvent sends an error object inside the 200 stream.
func (x *Exchange) StreamErrorEvent(typ, code, message string) {
	x.Data(map[string]any{"error": errorObject(typ, code, message)})
}

// JSON writes a complete JSON reply with the given status.
func (x *Exchange) JSON(status int, v any) {
	x.W.Header().Set("Content-Type", "application/json")
	x.W.WriteHeader(status)
	_ = json.NewEncoder(x.W).Encode(v)
}

// Hang waits until the client goes away or the server closes.
func (x *Exchange) Hang() {
	select {
	case <-x.R.Context().Done():
	case <-x.done:
	}
}

// Drop cuts the connection without ending the response: the client sees
// the stream break (an unexpected EOF), as when a proxy or server dies.
func (x *Exchange) Drop() {
	x.Flush()
	hj, ok := x.W.(http.Hijacker)
	if !ok {
		panic("llmtest: the response writer cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	_ = conn.Close()
}

// Sleep waits d, or less if the client goes away. It reports whether the
// client is still there.
func (x *Exchange) Sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-x.R.Context().Done():
		return false
	case <-x.done:
		return false
	}
}

func usageJSON(prompt, completion int) map[string]any {
	return map[string]any{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
}

func errorObject(typ, code, message string) map[string]any {
	e := map[string]any{"message": message, "type": typ, "param": nil, "code": nil}
	if code != "" {
		e["code"] = code
	}
	return e
}

func writeError(w http.ResponseWriter, status int, typ, code, message string, header http.Header) {
	for k, vs := range header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": errorObject(typ, code, message)})
}

// ReplyStep answers with text: streamed in chunks when the request streams,
// as one JSON body when it does not. Its methods adjust it and return it.
type ReplyStep struct {
	text          string
	chunk         int
	finish        string
	usage         *[2]int
	noUsage       bool
	comments      int
	noChoices     int
	delay         time.Duration
	noDone        bool
	dropAfter     int // drop after this many content chunks; -1 never
	stallAfter    int // hang after this many content chunks; -1 never
	errorAfter    int // send an error event after this many content chunks; -1 never
	errType       string
	errCode       string
	errMessage    string
	omitRoleChunk bool
}

// Reply answers with text, streamed 5 runes a chunk, finish_reason "stop", a
// usage chunk when the request asks for one, and [DONE].
func Reply(text string) *ReplyStep {
	return &ReplyStep{text: text, chunk: 5, finish: "stop", dropAfter: -1, stallAfter: -1, errorAfter: -1}
}

// JSON answers with v marshalled, as Reply does with text.
func JSON(v any) *ReplyStep {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return Reply(string(b))
}

// Chunk sets how many runes each content chunk carries.
func (s *ReplyStep) Chunk(n int) *ReplyStep {
	if n > 0 {
		s.chunk = n
	}
	return s
}

// Finish sets the finish reason; "" sends none (a truncated stream).
func (s *ReplyStep) Finish(reason string) *ReplyStep { s.finish = reason; return s }

// Usage sets the reported token counts (otherwise characters/4).
func (s *ReplyStep) Usage(prompt, completion int) *ReplyStep {
	s.usage = &[2]int{prompt, completion}
	return s
}

// NoUsage reports no usage at all, even when asked.
func (s *ReplyStep) NoUsage() *ReplyStep { s.noUsage = true; return s }

// Comments sends n SSE comment lines (": keep-alive") before the first chunk.
func (s *ReplyStep) Comments(n int) *ReplyStep { s.comments = n; return s }

// NoChoices sends n chunks with an empty choices list before the content.
func (s *ReplyStep) NoChoices(n int) *ReplyStep { s.noChoices = n; return s }

// Delay waits d before each content chunk.
func (s *ReplyStep) Delay(d time.Duration) *ReplyStep { s.delay = d; return s }

// NoDone leaves out the final "data: [DONE]".
func (s *ReplyStep) NoDone() *ReplyStep { s.noDone = true; return s }

// DropAfter cuts the connection after n content chunks (0: right after the headers).
func (s *ReplyStep) DropAfter(n int) *ReplyStep { s.dropAfter = n; return s }

// StallAfter stops sending, without closing, after n content chunks.
func (s *ReplyStep) StallAfter(n int) *ReplyStep { s.stallAfter = n; return s }

// ErrorAfter sends an error object inside the stream after n content chunks
// and ends the stream.
func (s *ReplyStep) ErrorAfter(n int, typ, code, message string) *ReplyStep {
	s.errorAfter, s.errType, s.errCode, s.errMessage = n, typ, code, message
	return s
}

// NoRoleChunk leaves out the opening role-only chunk.
func (s *ReplyStep) NoRoleChunk() *ReplyStep { s.omitRoleChunk = true; return s }

// Serve answers the request.
func (s *ReplyStep) Serve(x *Exchange) {
	prompt, completion := x.Req.PromptChars()/4+1, len(s.text)/4+1
	if s.usage != nil {
		prompt, completion = s.usage[0], s.usage[1]
	}
	if !x.Req.Stream {
		var finish any
		if s.finish != "" {
			finish = s.finish
		}
		reply := map[string]any{
			"id": chunkID, "object": "chat.completion", "created": time.Now().Unix(), "model": x.Req.Model,
			"choices": []map[string]any{{"index": 0, "message": map[string]any{"role": "assistant", "content": s.text}, "finish_reason": finish}},
		}
		if !s.noUsage {
			reply["usage"] = usageJSON(prompt, completion)
		}
		x.JSON(http.StatusOK, reply)
		return
	}

	x.StartStream()
	for i := 0; i < s.comments; i++ {
		x.Comment("keep-alive")
	}
	if !s.omitRoleChunk {
		x.RoleChunk()
	}
	for i := 0; i < s.noChoices; i++ {
		x.NoChoicesChunk()
	}
	pieces := split(s.text, s.chunk)
	for i := 0; ; i++ {
		switch i {
		case s.dropAfter:
			x.Drop()
			return
		case s.stallAfter:
			x.Hang()
			return
		case s.errorAfter:
			x.StreamErrorEvent(s.errType, s.errCode, s.errMessage)
			return
		}
		if i >= len(pieces) {
			break
		}
		if s.delay > 0 && !x.Sleep(s.delay) {
			return
		}
		x.ContentChunk(pieces[i])
	}
	if s.finish != "" {
		x.FinishChunk(s.finish)
	}
	if !s.noUsage && x.Req.IncludeUsage() {
		x.UsageChunk(prompt, completion)
	}
	if !s.noDone {
		x.Done()
	}
}

// split cuts s into pieces of n runes.
func split(s string, n int) []string {
	var out []string
	for len(s) > 0 {
		i, count := 0, 0
		for i < len(s) && count < n {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			count++
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}

// Truncated streams text and ends cleanly, but with no finish reason, no usage
// and no [DONE]: what a server that dies politely looks like.
func Truncated(text string) *ReplyStep { return Reply(text).Finish("").NoUsage().NoDone() }

// Drop streams text, then cuts the connection without ending the response.
// Drop("") cuts it right after the headers.
func Drop(text string) *ReplyStep {
	s := Reply(text)
	s.dropAfter = len(split(text, s.chunk))
	return s
}

// StreamError streams text, then an error object inside the 200 stream.
func StreamError(text, typ, code, message string) *ReplyStep {
	s := Reply(text)
	return s.ErrorAfter(len(split(text, s.chunk)), typ, code, message)
}

// EmptyStream sends the 200 headers and ends the body at once.
func EmptyStream() Step {
	return StepFunc(func(x *Exchange) { x.StartStream() })
}

// Stall sends the 200 headers and then nothing, until the client gives up.
func Stall() Step {
	return StepFunc(func(x *Exchange) {
		x.StartStream()
		x.Hang()
	})
}

// Echo replies with the last user message, streamed or not.
func Echo() Step {
	return StepFunc(func(x *Exchange) { Reply(x.Req.LastUser()).Serve(x) })
}

// ErrorStep answers with an HTTP error status and an OpenAI-style body.
type ErrorStep struct {
	status  int
	typ     string
	code    string
	message string
	header  http.Header
	raw     *string
}

// Status answers with status and {"error": {"message", "type", "code"}}.
func Status(status int, typ, code, message string) *ErrorStep {
	return &ErrorStep{status: status, typ: typ, code: code, message: message, header: http.Header{}}
}

// Header adds a response header, e.g. Retry-After.
func (s *ErrorStep) Header(key, value string) *ErrorStep {
	s.header.Add(key, value)
	return s
}

// RawBody replaces the OpenAI-style body with body as given.
func (s *ErrorStep) RawBody(body string) *ErrorStep { s.raw = &body; return s }

// Serve answers the request.
func (s *ErrorStep) Serve(x *Exchange) {
	msg := strings.ReplaceAll(s.message, "{model}", x.Req.Model)
	msg = strings.ReplaceAll(msg, "{key}", strings.TrimPrefix(x.R.Header.Get("Authorization"), "Bearer "))
	if s.raw != nil {
		for k, vs := range s.header {
			for _, v := range vs {
				x.W.Header().Add(k, v)
			}
		}
		x.W.WriteHeader(s.status)
		_, _ = x.W.Write([]byte(*s.raw))
		return
	}
	writeError(x.W, s.status, s.typ, s.code, msg, s.header)
}

// Unauthorized is OpenAI's 401, quoting back the key it was given in full
// (OpenAI masks most of it; a careless proxy might not).
func Unauthorized() *ErrorStep {
	return Status(http.StatusUnauthorized, "invalid_request_error", "invalid_api_key",
		"Incorrect API key provided: {key}. You can find your API key at https://platform.openai.com/account/api-keys.")
}

// Forbidden is a 403.
func Forbidden() *ErrorStep {
	return Status(http.StatusForbidden, "invalid_request_error", "unsupported_country_region_territory",
		"Country, region, or territory not supported")
}

// ModelNotFound is OpenAI's 404 for an unknown model.
func ModelNotFound() *ErrorStep {
	return Status(http.StatusNotFound, "invalid_request_error", "model_not_found",
		"The model `{model}` does not exist or you do not have access to it.")
}

// RateLimited is a 429 rate limit with a Retry-After header (seconds or an
// HTTP date; "" for none).
func RateLimited(retryAfter string) *ErrorStep {
	s := Status(http.StatusTooManyRequests, "requests", "rate_limit_exceeded",
		"Rate limit reached for {model} on requests per min (RPM): Limit 3, Used 3, Requested 1.")
	if retryAfter != "" {
		s.Header("Retry-After", retryAfter)
	}
	return s
}

// InsufficientQuota is the 429 for an account out of credit.
func InsufficientQuota() *ErrorStep {
	return Status(http.StatusTooManyRequests, "insufficient_quota", "insufficient_quota",
		"You exceeded your current quota, please check your plan and billing details.")
}

// ContextLengthExceeded is the 400 for a prompt longer than the model takes.
func ContextLengthExceeded() *ErrorStep {
	return Status(http.StatusBadRequest, "invalid_request_error", "context_length_exceeded",
		"This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.")
}

// ResponseFormatUnsupported is a 400 rejecting the response_format sent.
func ResponseFormatUnsupported() Step {
	return StepFunc(func(x *Exchange) {
		typ := x.Req.FormatType()
		s := Status(http.StatusBadRequest, "invalid_request_error", "",
			fmt.Sprintf("Invalid parameter: 'response_format' of type '%s' is not supported with this model.", typ))
		s.Serve(x)
	})
}

// StreamOptionsUnsupported is a 400 rejecting stream_options.
func StreamOptionsUnsupported() *ErrorStep {
	return Status(http.StatusBadRequest, "invalid_request_error", "",
		"Unrecognized request argument supplied: stream_options")
}

// ServerError is a 500.
func ServerError() *ErrorStep {
	return Status(http.StatusInternalServerError, "server_error", "",
		"The server had an error while processing your request. Sorry about that!")
}

// Unavailable is a 503.
func Unavailable() *ErrorStep {
	return Status(http.StatusServiceUnavailable, "server_error", "",
		"The engine is currently overloaded, please try again later.")
}
