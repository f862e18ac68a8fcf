package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Stream sends req and hands the reply to onDelta piece by piece as it
// arrives, on the calling goroutine. The returned Response holds the whole
// text.
//
// Failures before the first piece are retried like Chat's; after it nothing
// is retried, since the caller has already shown part of a reply. A stream
// that ends without a finish reason returns ErrTruncated with the partial text
// in the Response, so the caller can mark it and keep its last good text. If
// no byte arrives for Timeouts.Idle the stream is abandoned with ErrStalled.
// Canceling ctx returns ErrCanceled at once and leaves no goroutine behind.
// The idle watchdog is paused while onDelta runs.
func (c *Client) Stream(ctx context.Context, req Request, onDelta func(string)) (resp Response, err error) {
	defer c.recoverTo(&err, req)
	ci := c.info(req)
	ccr, e := c.prepare(req, ci, true)
	if e != nil {
		return Response{Model: ci.model}, e
	}
	if onDelta == nil {
		onDelta = func(string) {}
	}
	resp, err = c.withRetry(ctx, req, func(ctx context.Context) (Response, bool, *Error) {
		return c.streamAttempt(ctx, ccr, ci, onDelta)
	})
	resp.Model = ci.model
	// A reply cut short was still paid for.
	c.addUsage(req.Agent, resp.Usage)
	return resp, err
}

// streamAttempt makes one attempt, and if the server rejects stream_options,
// one more without it (remembered for the rest of the client's life).
func (c *Client) streamAttempt(ctx context.Context, ccr openai.ChatCompletionRequest, ci callInfo, onDelta func(string)) (Response, bool, *Error) {
	release, e := c.acquire(ctx, ci.agent)
	if e != nil {
		return Response{}, false, e
	}
	defer release()
	if c.noStreamUsage.Load() {
		ccr.StreamOptions = nil
	}
	resp, started, e := c.streamOnce(ctx, ccr, ci, onDelta)
	if e != nil && !started && ccr.StreamOptions != nil && isStreamOptionsRejection(e) {
		c.noStreamUsage.Store(true)
		c.log.Warn("llm: server rejects stream_options; usage will be estimated", "host", ci.host)
		ccr.StreamOptions = nil
		resp, started, e = c.streamOnce(ctx, ccr, ci, onDelta)
	}
	if c.switchTokenParam(&ccr, e, started) {
		resp, started, e = c.streamOnce(ctx, ccr, ci, onDelta)
	}
	return resp, started, e
}

func (c *Client) streamOnce(ctx context.Context, ccr openai.ChatCompletionRequest, ci callInfo, onDelta func(string)) (Response, bool, *Error) {
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	actx, cancelTimeout := context.WithTimeoutCause(actx, c.cfg.Timeouts.Request, errRequestTimeout)
	defer cancelTimeout()
	// The watchdog is a timer, not a goroutine. It is armed by the reply's
	// first chunk: until then the request may be waiting for a busy
	// server's slot or a model still loading, which only the request
	// timeout bounds ("no reply started within"). Once armed, every byte
	// pushes it back; if it ever fires it cancels the attempt ("stalled
	// mid-reply").
	idle := c.cfg.Timeouts.Idle
	watchdog := time.AfterFunc(time.Hour, func() { cancel(errStalled) })
	watchdog.Stop()
	defer watchdog.Stop()
	var armed atomic.Bool
	st := &callState{touch: func() {
		if armed.Load() {
			watchdog.Reset(idle)
		}
	}}
	actx = withCallState(actx, st)
	// The key is redacted on the text as a whole, not per chunk: a key a
	// server echoes split across two chunks never reaches onDelta.
	red := &keyRedactor{key: c.key, emit: onDelta}

	stream, err := c.api.CreateChatCompletionStream(actx, ccr)
	if err != nil {
		return Response{}, false, c.attemptError(ctx, actx, err, st, ci)
	}
	defer stream.Close()

	var (
		text    strings.Builder
		finish  string
		usage   *openai.Usage
		started bool
	)
	result := func() Response {
		red.flush()
		r := Response{Text: redact(text.String(), c.key), FinishReason: finish}
		if usage != nil && (usage.PromptTokens > 0 || usage.CompletionTokens > 0) {
			r.Usage = Usage{PromptTokens: usage.PromptTokens, CompletionTokens: usage.CompletionTokens}
		} else if started || finish != "" {
			r.Usage = estimateUsage(ccr, r.Text)
		}
		return r
	}
	for {
		raw, err := stream.RecvRaw()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if finish != "" {
				break // the reply is complete; only its tail (usage, [DONE]) was lost
			}
			return result(), started, c.attemptError(ctx, actx, err, st, ci)
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		if !armed.Load() {
			st.begin()
			armed.Store(true)
			watchdog.Reset(idle)
		}
		var chunk streamChunk
		if err := json.Unmarshal(raw, &chunk); err != nil {
			if finish != "" {
				break
			}
			return result(), started, classify(fmt.Errorf("reading a stream chunk: %w", err), ci)
		}
		if apiErr := chunk.apiError(raw); apiErr != nil {
			if finish != "" {
				break
			}
			return result(), started, classify(apiErr, ci)
		}
		if chunk.Usage != nil {
			usage = chunk.Usage
		}
		for _, ch := range chunk.Choices {
			if ch.Index != 0 {
				continue
			}
			if d := ch.Delta.Content; d != "" {
				text.WriteString(d)
				started = true
				if ci.maxBytes > 0 && text.Len() > ci.maxBytes {
					r := result()
					r.Text = redact(r.Text[:ci.maxBytes], c.key)
					return r, true, tooLongError(ci)
				}
				// Time the caller spends with a piece is not the server's
				// silence: hold the watchdog meanwhile.
				watchdog.Stop()
				red.write(d)
				watchdog.Reset(idle)
			}
			if ch.FinishReason != "" && ch.FinishReason != openai.FinishReasonNull {
				finish = string(ch.FinishReason)
			}
		}
	}
	switch {
	case finish != "":
		return result(), started, nil
	case !started:
		return result(), false, emptyReplyError(ci)
	default:
		return result(), true, truncatedError(nil, ci)
	}
}

// keyRedactor passes streamed text on with the key removed, holding back a
// tail that could be the start of the key until the next piece shows
// whether it is.
type keyRedactor struct {
	key     string
	emit    func(string)
	pending string
}

func (r *keyRedactor) write(d string) {
	if len(r.key) < minRedactLen {
		r.emit(d)
		return
	}
	r.pending = strings.ReplaceAll(r.pending+d, r.key, "[redacted]")
	hold := 0
	for k := min(len(r.key)-1, len(r.pending)); k > 0; k-- {
		if strings.HasSuffix(r.pending, r.key[:k]) {
			hold = k
			break
		}
	}
	if out := r.pending[:len(r.pending)-hold]; out != "" {
		r.emit(out)
	}
	r.pending = r.pending[len(r.pending)-hold:]
}

// flush passes on what was held back: the reply ended, so it is no key.
func (r *keyRedactor) flush() {
	if r.pending != "" {
		p := r.pending
		r.pending = ""
		r.emit(p)
	}
}

// streamChunk is a chunk, or an error some server put where a chunk should be.
type streamChunk struct {
	openai.ChatCompletionStreamResponse
	Error json.RawMessage `json:"error"`
}

// apiError finds an error in a chunk: {"error": {...}} or {"error": "..."}
// (which go-openai does not catch when it is not the first thing on the line),
// or vLLM's {"object": "error", "message": ...}.
func (ch *streamChunk) apiError(raw []byte) *openai.APIError {
	var apiErr openai.APIError
	switch {
	case len(ch.Error) > 0 && string(ch.Error) != "null":
		if json.Unmarshal(ch.Error, &apiErr) != nil || apiErr.Message == "" {
			var s string
			if json.Unmarshal(ch.Error, &s) == nil {
				apiErr.Message = s
			} else {
				apiErr.Message = string(ch.Error)
			}
		}
	case ch.Object == "error":
		if json.Unmarshal(raw, &apiErr) != nil {
			apiErr.Message = string(raw)
		}
	default:
		return nil
	}
	return &apiErr
}
