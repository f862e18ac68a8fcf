package llm_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"propose/llm"
	"propose/llm/llmtest"
)

func TestChatReply(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.Reply("Hello, consultant.").Usage(42, 7))

	resp, err := f.client.Chat(context.Background(), ask("hi"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text != "Hello, consultant." || resp.FinishReason != "stop" || resp.Attempts != 1 {
		t.Errorf("resp = %+v", resp)
	}
	if want := (llm.Usage{PromptTokens: 42, CompletionTokens: 7}); resp.Usage != want {
		t.Errorf("usage = %+v, want %+v", resp.Usage, want)
	}
	req := f.srv.Request(0)
	if req.Stream || req.Model != "test-model" || len(req.Messages) != 2 || req.Messages[1].Content != "hi" {
		t.Errorf("sent %+v", req)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer "+testKey {
		t.Errorf("Authorization header = %q", got)
	}
}

func TestStreamReply(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.Reply("The scope covers three workshops.").Chunk(4).Usage(30, 9))

	var deltas []string
	resp, err := f.client.Stream(context.Background(), ask("scope?"), func(d string) { deltas = append(deltas, d) })
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text != "The scope covers three workshops." || resp.FinishReason != "stop" {
		t.Errorf("resp = %+v", resp)
	}
	if len(deltas) != 9 || strings.Join(deltas, "") != resp.Text {
		t.Errorf("deltas = %q", deltas)
	}
	if want := (llm.Usage{PromptTokens: 30, CompletionTokens: 9}); resp.Usage != want {
		t.Errorf("usage = %+v, want %+v (from the usage chunk)", resp.Usage, want)
	}
	req := f.srv.Request(0)
	if !req.Stream || !req.IncludeUsage() {
		t.Errorf("stream=%v include_usage=%v, want both", req.Stream, req.IncludeUsage())
	}
}

func TestStreamWithoutUsageIsEstimated(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.Reply("twelve chars").NoUsage())
	resp, err := f.client.Stream(context.Background(), ask("x"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Usage.Estimated || resp.Usage.CompletionTokens != llm.EstimateTokens("twelve chars") || resp.Usage.PromptTokens == 0 {
		t.Errorf("usage = %+v, want an estimate", resp.Usage)
	}
}

// failureCase is one failure class seen through both Chat and Stream.
type failureCase struct {
	name     string
	steps    []llmtest.Step
	class    llm.Class
	status   int
	attempts int
	waits    []time.Duration
	says     []string // the message contains each
}

func failureCases() []failureCase {
	return []failureCase{
		{name: "401", steps: []llmtest.Step{llmtest.Unauthorized()}, class: llm.ClassAuth, status: 401, attempts: 1,
			says: []string{"refused the API key (401)", "OPENAI_API_KEY", "api_key_env", "--offline"}},
		{name: "403", steps: []llmtest.Step{llmtest.Forbidden()}, class: llm.ClassAuth, status: 403, attempts: 1,
			says: []string{"(403)", "--offline"}},
		{name: "404 model", steps: []llmtest.Step{llmtest.ModelNotFound()}, class: llm.ClassModelNotFound, status: 404, attempts: 1,
			says: []string{`"test-model"`, "`model`", "--model"}},
		{name: "429 quota", steps: []llmtest.Step{llmtest.InsufficientQuota()}, class: llm.ClassQuota, status: 429, attempts: 1,
			says: []string{"quota", "--offline"}},
		{name: "429 rate limit", steps: []llmtest.Step{llmtest.RateLimited("7"), llmtest.RateLimited("7"), llmtest.RateLimited("7")},
			class: llm.ClassRateLimit, status: 429, attempts: 3, waits: []time.Duration{7 * time.Second, 7 * time.Second},
			says: []string{"rate limiting"}},
		{name: "400 context", steps: []llmtest.Step{llmtest.ContextLengthExceeded()}, class: llm.ClassContextTooLong, status: 400, attempts: 1,
			says: []string{"too long", "test-model", "context_window"}},
		{name: "400 other", steps: []llmtest.Step{llmtest.Status(400, "invalid_request_error", "", "temperature must be at most 2")},
			class: llm.ClassBadRequest, status: 400, attempts: 1, says: []string{"rejected", "temperature must be at most 2"}},
		{name: "500", steps: []llmtest.Step{llmtest.ServerError(), llmtest.ServerError(), llmtest.ServerError()},
			class: llm.ClassServer, status: 500, attempts: 3, waits: []time.Duration{250 * time.Millisecond, 500 * time.Millisecond},
			says: []string{"had a problem (500)", "Try again"}},
		{name: "503", steps: []llmtest.Step{llmtest.Unavailable(), llmtest.Unavailable(), llmtest.Unavailable()},
			class: llm.ClassServer, status: 503, attempts: 3, waits: []time.Duration{250 * time.Millisecond, 500 * time.Millisecond},
			says: []string{"(503)"}},
		{name: "408", steps: []llmtest.Step{llmtest.Status(408, "", "", "timeout"), llmtest.Status(408, "", "", "timeout"), llmtest.Status(408, "", "", "timeout")},
			class: llm.ClassTimeout, status: 408, attempts: 3},
		{name: "409", steps: []llmtest.Step{llmtest.Status(409, "", "", "conflict"), llmtest.Status(409, "", "", "conflict"), llmtest.Status(409, "", "", "conflict")},
			class: llm.ClassServer, status: 409, attempts: 3},
		{name: "plain text 502", steps: []llmtest.Step{
			llmtest.Status(502, "", "", "").RawBody("<html>Bad Gateway</html>"),
			llmtest.Status(502, "", "", "").RawBody("<html>Bad Gateway</html>"),
			llmtest.Status(502, "", "", "").RawBody("<html>Bad Gateway</html>")},
			class: llm.ClassServer, status: 502, attempts: 3},
		{name: "ollama model missing", steps: []llmtest.Step{llmtest.Status(404, "", "", "").RawBody(`{"error":"model 'llama9' not found, try pulling it first"}`)},
			class: llm.ClassModelNotFound, status: 404, attempts: 1, says: []string{"--model"}},
	}
}

func TestFailureClasses(t *testing.T) {
	for _, mode := range []string{"chat", "stream"} {
		for _, tc := range failureCases() {
			t.Run(mode+"/"+tc.name, func(t *testing.T) {
				f := newFixture(t, nil)
				f.srv.Script(tc.steps...)
				var retries []llm.RetryInfo
				req := ask("hello")
				req.OnRetry = func(ri llm.RetryInfo) { retries = append(retries, ri) }
				var resp llm.Response
				var err error
				if mode == "chat" {
					resp, err = f.client.Chat(context.Background(), req)
				} else {
					resp, err = f.client.Stream(context.Background(), req, func(string) { t.Error("no delta expected") })
				}
				e := classOf(t, err)
				if e.Class != tc.class || e.Status != tc.status {
					t.Errorf("class %v status %d, want %v %d (%s)", e.Class, e.Status, tc.class, tc.status, e.Message)
				}
				if n := f.srv.RequestCount(); n != tc.attempts || resp.Attempts != tc.attempts {
					t.Errorf("requests = %d, Attempts = %d, want %d", n, resp.Attempts, tc.attempts)
				}
				if got := f.waits.all(); !equalDurations(got, tc.waits) && tc.waits != nil {
					t.Errorf("waits = %v, want %v", got, tc.waits)
				}
				if len(retries) != tc.attempts-1 {
					t.Errorf("OnRetry called %d times, want %d", len(retries), tc.attempts-1)
				}
				for _, s := range tc.says {
					if !strings.Contains(e.Error(), s) {
						t.Errorf("message %q does not say %q", e.Error(), s)
					}
				}
				if strings.Contains(e.Message, "--") {
					t.Errorf("the message a screen shows names a flag: %q", e.Message)
				}
				if strings.Contains(e.Error(), testKey) {
					t.Errorf("message leaks the key: %s", e.Error())
				}
			})
		}
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRetryThenSuccess(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.Unavailable(), llmtest.RateLimited("2"), llmtest.Reply("finally"))
	var infos []string
	req := ask("x")
	req.OnRetry = func(ri llm.RetryInfo) { infos = append(infos, ri.String()) }
	var got strings.Builder
	resp, err := f.client.Stream(context.Background(), req, func(d string) { got.WriteString(d) })
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text != "finally" || got.String() != "finally" || resp.Attempts != 3 {
		t.Errorf("resp = %+v, deltas %q", resp, got.String())
	}
	want := []string{"server error, retrying in 300ms (2/3)", "rate limited, retrying in 2s (3/3)"}
	if strings.Join(infos, "|") != strings.Join(want, "|") {
		t.Errorf("retry infos = %q, want %q", infos, want)
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f := newFixture(t, nil, llm.WithClock(func() time.Time { return now }))
	f.srv.Script(llmtest.RateLimited(now.Add(9*time.Second).Format(http.TimeFormat)), llmtest.Reply("ok"))
	if _, err := f.client.Chat(context.Background(), ask("x")); err != nil {
		t.Fatal(err)
	}
	if got := f.waits.all(); len(got) != 1 || got[0] != 9*time.Second {
		t.Errorf("waits = %v, want [9s]", got)
	}
}

func TestRetryAfterMs(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.RateLimited("").Header("Retry-After-Ms", "1500"), llmtest.Reply("ok"))
	if _, err := f.client.Chat(context.Background(), ask("x")); err != nil {
		t.Fatal(err)
	}
	if got := f.waits.all(); len(got) != 1 || got[0] != 1500*time.Millisecond {
		t.Errorf("waits = %v, want [1.5s]", got)
	}
}

func TestLongRetryAfterIsNotWaitedOut(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.RateLimited("600"))
	_, err := f.client.Chat(context.Background(), ask("x"))
	e := classOf(t, err)
	if !strings.Contains(e.Message, "asks to wait 10m0s") {
		t.Errorf("message %q should say how long to wait", e.Message)
	}
	if e.Class != llm.ClassRateLimit || e.RetryAfter != 10*time.Minute || f.srv.RequestCount() != 1 || len(f.waits.all()) != 0 {
		t.Errorf("class %v retry-after %v, %d requests, waits %v", e.Class, e.RetryAfter, f.srv.RequestCount(), f.waits.all())
	}
}

func TestConnectionRefused(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", testKey)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	w := &waits{}
	c, err := llm.New(llm.Config{BaseURL: "http://" + addr + "/v1"}, llm.WithSleep(w.sleep))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, stream := range []bool{false, true} {
		w.ds = nil
		var err error
		if stream {
			_, err = c.Stream(context.Background(), ask("x"), nil)
		} else {
			_, err = c.Chat(context.Background(), ask("x"))
		}
		e := classOf(t, err)
		if e.Class != llm.ClassConnection || !strings.Contains(e.Message, "Cannot reach "+addr+": is the server running?") {
			t.Errorf("stream=%v: %v %q", stream, e.Class, e.Message)
		}
		if len(w.all()) != 2 {
			t.Errorf("stream=%v: waits %v, want 2 (3 attempts)", stream, w.all())
		}
	}
}

func TestWrongBaseURL(t *testing.T) {
	f := newFixture(t, func(c *llm.Config) { c.BaseURL = strings.TrimSuffix(c.BaseURL, "/v1") + "/api" })
	_, err := f.client.Chat(context.Background(), ask("x"))
	e := classOf(t, err)
	if e.Class != llm.ClassBadRequest || !strings.Contains(e.Message, "base_url") || !strings.Contains(e.Message, "/v1") {
		t.Errorf("%v %q", e.Class, e.Message)
	}
}

func TestTruncatedStream(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.Truncated("Our approach starts with"))
	var got strings.Builder
	resp, err := f.client.Stream(context.Background(), ask("x"), func(d string) { got.WriteString(d) })
	if !errors.Is(err, llm.ErrTruncated) {
		t.Fatalf("err = %v, want ErrTruncated", err)
	}
	if resp.Text != "Our approach starts with" || got.String() != resp.Text || resp.FinishReason != "" {
		t.Errorf("resp = %+v", resp)
	}
	if f.srv.RequestCount() != 1 {
		t.Errorf("%d requests: a stream that already delivered text must not be retried", f.srv.RequestCount())
	}
	if u := f.client.Usage()[llm.AgentDrafter]; u.CompletionTokens == 0 || !u.Estimated {
		t.Errorf("usage of a truncated reply = %+v, want an estimate", u)
	}
}

func TestTruncatedWithDoneButNoFinish(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.Reply("half a sent").Finish(""))
	resp, err := f.client.Stream(context.Background(), ask("x"), nil)
	if !errors.Is(err, llm.ErrTruncated) || resp.Text != "half a sent" {
		t.Errorf("err = %v, resp %+v", err, resp)
	}
}

func TestEmptyStreamIsRetried(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.EmptyStream(), llmtest.Reply("").Finish("").NoUsage(), llmtest.Reply("there"))
	resp, err := f.client.Stream(context.Background(), ask("x"), nil)
	if err != nil || resp.Text != "there" || resp.Attempts != 3 {
		t.Fatalf("err = %v, resp = %+v", err, resp)
	}

	f.srv.Script(llmtest.EmptyStream(), llmtest.EmptyStream(), llmtest.EmptyStream())
	_, err = f.client.Stream(context.Background(), ask("x"), nil)
	e := classOf(t, err)
	if e.Class != llm.ClassTruncated || !strings.Contains(e.Message, "without any text") || f.srv.RequestCount() != 6 {
		t.Errorf("%v %q after %d requests", e.Class, e.Message, f.srv.RequestCount())
	}
}

func TestStallTripsIdleWatchdog(t *testing.T) {
	f := newFixture(t, func(c *llm.Config) { c.Timeouts.Idle = 200 * time.Millisecond })
	// The reply began (the role chunk), then nothing.
	f.srv.Script(llmtest.Reply("abc").StallAfter(0))
	start := time.Now()
	_, err := f.client.Stream(context.Background(), ask("x"), nil)
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v to notice a stall with a 200ms idle timeout", el)
	}
	if !errors.Is(err, llm.ErrStalled) {
		t.Fatalf("err = %v, want ErrStalled", err)
	}
	if e := classOf(t, err); !strings.Contains(e.Message, "stalled mid-reply") || !strings.Contains(e.Message, "timeouts.idle") || !strings.Contains(e.Message, "200ms") {
		t.Errorf("message %q", e.Message)
	}
	if f.srv.RequestCount() != 1 {
		t.Errorf("%d requests, want 1", f.srv.RequestCount())
	}
}

// A server that has not begun its reply (a one-slot server busy with another
// request, a model still loading) is not stalled: only the request timeout
// bounds the wait, and the message says no reply started.
func TestNoReplyStartedIsNotAStall(t *testing.T) {
	f := newFixture(t, func(c *llm.Config) {
		c.Timeouts.Idle = 100 * time.Millisecond
		c.Timeouts.Request = 600 * time.Millisecond
		c.MaxAttempts = 1
	})
	f.srv.Script(llmtest.Reply("loaded at last").Chunk(100).Delay(300 * time.Millisecond).NoRoleChunk())
	resp, err := f.client.Stream(context.Background(), ask("x"), nil)
	if err != nil || resp.Text != "loaded at last" {
		t.Fatalf("a first chunk after 300ms with a 100ms idle timeout: err = %v, text %q", err, resp.Text)
	}
	f.srv.Script(llmtest.Stall())
	_, err = f.client.Stream(context.Background(), ask("x"), nil)
	e := classOf(t, err)
	if e.Class != llm.ClassTimeout || !strings.Contains(e.Message, "No reply started within 600ms") {
		t.Errorf("%v %q", e.Class, e.Message)
	}
}

func TestStallMidStreamKeepsPartialText(t *testing.T) {
	f := newFixture(t, func(c *llm.Config) { c.Timeouts.Idle = 200 * time.Millisecond })
	f.srv.Script(llmtest.Reply("abcdefghij").Chunk(5).StallAfter(1))
	resp, err := f.client.Stream(context.Background(), ask("x"), nil)
	if !errors.Is(err, llm.ErrStalled) || resp.Text != "abcde" {
		t.Errorf("err = %v, text %q", err, resp.Text)
	}
}

func TestSlowButSteadyStreamIsNotStalled(t *testing.T) {
	// Each chunk comes 100ms apart, longer in total than the idle timeout.
	f := newFixture(t, func(c *llm.Config) { c.Timeouts.Idle = 300 * time.Millisecond })
	f.srv.Script(llmtest.Reply("abcdefghijkl").Chunk(2).Delay(100 * time.Millisecond))
	resp, err := f.client.Stream(context.Background(), ask("x"), nil)
	if err != nil || resp.Text != "abcdefghijkl" {
		t.Errorf("err = %v, text %q", err, resp.Text)
	}
}

func TestSlowCallbackIsNotAStall(t *testing.T) {
	f := newFixture(t, func(c *llm.Config) { c.Timeouts.Idle = 100 * time.Millisecond })
	f.srv.Script(llmtest.Reply("abcdef").Chunk(2))
	resp, err := f.client.Stream(context.Background(), ask("x"), func(string) { time.Sleep(150 * time.Millisecond) })
	if err != nil || resp.Text != "abcdef" {
		t.Errorf("err = %v, text %q", err, resp.Text)
	}
}

func TestStallAfterFinishIsComplete(t *testing.T) {
	// The finish reason arrived, then the server hung instead of sending [DONE].
	f := newFixture(t, func(c *llm.Config) { c.Timeouts.Idle = 200 * time.Millisecond })
	f.srv.Script(llmtest.StepFunc(func(x *llmtest.Exchange) {
		x.StartStream()
		x.ContentChunk("done text")
		x.FinishChunk("stop")
		x.Hang()
	}))
	resp, err := f.client.Stream(context.Background(), ask("x"), nil)
	if err != nil || resp.Text != "done text" || resp.FinishReason != "stop" {
		t.Errorf("err = %v, resp %+v", err, resp)
	}
}

func TestRequestTimeout(t *testing.T) {
	f := newFixture(t, func(c *llm.Config) {
		c.Timeouts.Request = 300 * time.Millisecond
		c.Timeouts.Idle = 10 * time.Second
	})
	f.srv.Script(llmtest.Stall())
	_, err := f.client.Stream(context.Background(), ask("x"), nil)
	if e := classOf(t, err); e.Class != llm.ClassTimeout || !strings.Contains(e.Message, "timeouts.request") {
		t.Errorf("%v %q", e.Class, e.Message)
	}
	f.srv.Script(llmtest.Stall())
	_, err = f.client.Chat(context.Background(), ask("x"))
	if e := classOf(t, err); e.Class != llm.ClassTimeout {
		t.Errorf("chat: %v %q", e.Class, e.Message)
	}
}

func TestCommentLines(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.Reply("still here").Comments(1000))
	resp, err := f.client.Stream(context.Background(), ask("x"), nil)
	if err != nil || resp.Text != "still here" {
		t.Fatalf("1000 comment lines: err = %v, text %q", err, resp.Text)
	}
}

func TestCommentsBetweenChunksAndOtherFields(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.StepFunc(func(x *llmtest.Exchange) {
		x.StartStream()
		x.Raw("retry: 1000\n\n")
		for i := 0; i < 500; i++ {
			x.Comment("ping")
		}
		x.ContentChunk("one ")
		x.Raw("event: message\nid: 7\ndata: \n\n")
		for i := 0; i < 500; i++ {
			x.Raw("\n")
		}
		x.ContentChunk("two")
		x.FinishChunk("stop")
		x.Done()
	}))
	resp, err := f.client.Stream(context.Background(), ask("x"), nil)
	if err != nil || resp.Text != "one two" {
		t.Fatalf("err = %v, text %q", err, resp.Text)
	}
}

func TestNoChoicesChunks(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.Reply("fine").NoChoices(50))
	resp, err := f.client.Stream(context.Background(), ask("x"), nil)
	if err != nil || resp.Text != "fine" {
		t.Fatalf("err = %v, text %q", err, resp.Text)
	}
}

func TestErrorInsideStream(t *testing.T) {
	t.Run("after the first token: not retried", func(t *testing.T) {
		f := newFixture(t, nil)
		f.srv.Script(llmtest.StreamError("Partial ans", "server_error", "", "The model crashed"))
		resp, err := f.client.Stream(context.Background(), ask("x"), nil)
		e := classOf(t, err)
		if e.Class != llm.ClassServer || !strings.Contains(e.Message, "The model crashed") {
			t.Errorf("%v %q", e.Class, e.Message)
		}
		if resp.Text != "Partial ans" || f.srv.RequestCount() != 1 {
			t.Errorf("text %q after %d requests", resp.Text, f.srv.RequestCount())
		}
	})
	t.Run("before the first token: retried", func(t *testing.T) {
		f := newFixture(t, nil)
		f.srv.Script(llmtest.StreamError("", "server_error", "", "overloaded"), llmtest.Reply("ok"))
		resp, err := f.client.Stream(context.Background(), ask("x"), nil)
		if err != nil || resp.Text != "ok" || f.srv.RequestCount() != 2 {
			t.Errorf("err = %v, text %q, %d requests", err, resp.Text, f.srv.RequestCount())
		}
	})
	t.Run("quota inside the stream", func(t *testing.T) {
		f := newFixture(t, nil)
		f.srv.Script(llmtest.StreamError("", "insufficient_quota", "insufficient_quota", "You exceeded your current quota"))
		_, err := f.client.Stream(context.Background(), ask("x"), nil)
		if e := classOf(t, err); e.Class != llm.ClassQuota || f.srv.RequestCount() != 1 {
			t.Errorf("%v after %d requests", e.Class, f.srv.RequestCount())
		}
	})
	t.Run("after keep-alive comments", func(t *testing.T) {
		// go-openai would glue the comments to the error JSON and lose it.
		f := newFixture(t, nil)
		f.srv.Script(llmtest.StreamError("abc", "server_error", "", "boom").Comments(3))
		_, err := f.client.Stream(context.Background(), ask("x"), nil)
		if e := classOf(t, err); e.Class != llm.ClassServer || !strings.Contains(e.Message, "boom") {
			t.Errorf("%v %q", e.Class, e.Message)
		}
	})
	t.Run("vLLM style error object", func(t *testing.T) {
		f := newFixture(t, nil)
		f.srv.Script(llmtest.StepFunc(func(x *llmtest.Exchange) {
			x.StartStream()
			x.ContentChunk("abc")
			x.Data(map[string]any{"object": "error", "message": "This model's maximum context length is 4096 tokens", "type": "BadRequestError", "code": 400})
		}))
		_, err := f.client.Stream(context.Background(), ask("x"), nil)
		if e := classOf(t, err); e.Class != llm.ClassContextTooLong {
			t.Errorf("%v %q", e.Class, e.Message)
		}
	})
}

func TestConnectionDrop(t *testing.T) {
	t.Run("after the first token: not retried", func(t *testing.T) {
		f := newFixture(t, nil)
		f.srv.Script(llmtest.Drop("We will deliver"), llmtest.Reply("unused"))
		resp, err := f.client.Stream(context.Background(), ask("x"), nil)
		e := classOf(t, err)
		if e.Class != llm.ClassConnection || !strings.Contains(e.Message, "dropped") {
			t.Errorf("%v %q", e.Class, e.Message)
		}
		if resp.Text != "We will deliver" || f.srv.RequestCount() != 1 {
			t.Errorf("text %q after %d requests", resp.Text, f.srv.RequestCount())
		}
	})
	t.Run("before the first token: retried", func(t *testing.T) {
		f := newFixture(t, nil)
		f.srv.Script(llmtest.Drop(""), llmtest.Reply("second try"))
		resp, err := f.client.Stream(context.Background(), ask("x"), nil)
		if err != nil || resp.Text != "second try" || f.srv.RequestCount() != 2 {
			t.Errorf("err = %v, text %q, %d requests", err, resp.Text, f.srv.RequestCount())
		}
	})
}

func TestStreamOptionsRejected(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.StreamOptionsUnsupported(), llmtest.Reply("first"), llmtest.Reply("second"))
	resp, err := f.client.Stream(context.Background(), ask("x"), nil)
	if err != nil || resp.Text != "first" || !resp.Usage.Estimated {
		t.Fatalf("err = %v, resp %+v", err, resp)
	}
	if r := f.srv.Request(0); !r.IncludeUsage() {
		t.Error("first request should ask for usage")
	}
	if r := f.srv.Request(1); r.StreamOptions != nil {
		t.Error("second request should leave stream_options out")
	}
	if _, err := f.client.Stream(context.Background(), ask("y"), nil); err != nil {
		t.Fatal(err)
	}
	if r := f.srv.Request(2); r.StreamOptions != nil || f.srv.RequestCount() != 3 {
		t.Error("later streams should skip stream_options straight away")
	}
	if len(f.waits.all()) != 0 {
		t.Errorf("waited %v; the stream_options fallback should not back off", f.waits.all())
	}
}

func TestCancelMidStream(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.Reply("abcdefghij").Chunk(2).StallAfter(2))
	ctx, cancel := context.WithCancel(context.Background())
	var start time.Time
	resp, err := f.client.Stream(ctx, ask("x"), func(d string) {
		if d == "cd" {
			start = time.Now()
			cancel()
		}
	})
	if el := time.Since(start); el > time.Second {
		t.Errorf("cancel took %v", el)
	}
	if !errors.Is(err, llm.ErrCanceled) || !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want ErrCanceled wrapping context.Canceled", err)
	}
	if resp.Text != "abcd" {
		t.Errorf("text %q", resp.Text)
	}
}

func TestCancelDuringRetryWait(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", testKey)
	srv := llmtest.New(t)
	srv.Script(llmtest.RateLimited("30"))
	c, err := llm.New(llm.Config{BaseURL: srv.URL()}) // the real sleep
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req := ask("x")
	req.OnRetry = func(llm.RetryInfo) { time.AfterFunc(20*time.Millisecond, cancel) }
	start := time.Now()
	_, err = c.Chat(ctx, req)
	if !errors.Is(err, llm.ErrCanceled) || time.Since(start) > 2*time.Second {
		t.Errorf("err = %v after %v", err, time.Since(start))
	}
}

func TestCancelBeforeCall(t *testing.T) {
	f := newFixture(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.client.Stream(ctx, ask("x"), nil)
	if !errors.Is(err, llm.ErrCanceled) {
		t.Errorf("err = %v", err)
	}
	if f.srv.RequestCount() != 0 {
		t.Errorf("%d requests reached the server", f.srv.RequestCount())
	}
}

func TestPanicInCallbackBecomesError(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.Reply("boom"))
	_, err := f.client.Stream(context.Background(), ask("x"), func(string) { panic("callback bug") })
	if e := classOf(t, err); e.Class != llm.ClassInternal {
		t.Errorf("%v %q", e.Class, e.Message)
	}
}

func TestContextCheckBeforeCalling(t *testing.T) {
	f := newFixture(t, func(c *llm.Config) { c.ContextWindow = 1000 })
	long := strings.Repeat("word ", 1000) // about 1250 tokens
	for _, stream := range []bool{false, true} {
		var err error
		if stream {
			_, err = f.client.Stream(context.Background(), ask(long), nil)
		} else {
			_, err = f.client.Chat(context.Background(), ask(long))
		}
		e := classOf(t, err)
		if e.Class != llm.ClassContextTooLong || !errors.Is(err, llm.ErrContextTooLong) {
			t.Fatalf("%v %q", e.Class, e.Message)
		}
		if !strings.Contains(e.Message, "The prompt for drafter needs about 1") || !strings.Contains(e.Message, "but test-model takes 1000") {
			t.Errorf("message %q", e.Message)
		}
	}
	if f.srv.RequestCount() != 0 {
		t.Errorf("%d requests sent; the check must stop the call", f.srv.RequestCount())
	}
}

func TestLocalServerDefaults(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	srv := llmtest.New(t)
	srv.Script(llmtest.Reply("local"))
	c, err := llm.New(llm.Config{BaseURL: srv.URL(), Model: "llama3.1"})
	if err != nil {
		t.Fatalf("a base URL without a key must work: %v", err)
	}
	defer c.Close()
	if c.Config().ContextTokens() != 8192 {
		t.Errorf("context window %d, want 8192 for a local server", c.Config().ContextTokens())
	}
	req := ask("x")
	req.MaxOutputTokens = 300
	if _, err := c.Chat(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	r := srv.Request(0)
	if r.Header.Get("Authorization") != "" {
		t.Errorf("sent Authorization %q without a key", r.Header.Get("Authorization"))
	}
	if r.MaxTokens != 300 || r.MaxCompletionTokens != 0 {
		t.Errorf("max_tokens %d max_completion_tokens %d, want 300 and 0 for a local server", r.MaxTokens, r.MaxCompletionTokens)
	}
	if got := c.Describe(llm.AgentDrafter); !strings.HasPrefix(got, "llama3.1 via 127.0.0.1:") {
		t.Errorf("Describe = %q", got)
	}
}

func TestNewWithoutKeyForOpenAI(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	_, err := llm.New(llm.Config{})
	// The command line's way around it is worded with the flag; the
	// message a screen shows names none.
	if e := classOf(t, err); e.Class != llm.ClassAuth || !strings.Contains(e.Error(), "--offline") || strings.Contains(e.Message, "--") {
		t.Errorf("%v %q / %q", e.Class, e.Message, e.Error())
	}
}

func TestPerAgentModelsAndUsage(t *testing.T) {
	f := newFixture(t, func(c *llm.Config) { c.Models.Reviewer = "big-model" })
	f.srv.Script(llmtest.Reply("a").Usage(10, 1), llmtest.Reply("b").Usage(20, 2), llmtest.Reply("c").NoUsage())
	ctx := context.Background()
	if _, err := f.client.Chat(ctx, llm.Request{Agent: llm.AgentInterviewer, Messages: []llm.Message{llm.User("q")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.Stream(ctx, llm.Request{Agent: llm.AgentInterviewer, Messages: []llm.Message{llm.User("q")}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.Chat(ctx, llm.Request{Agent: llm.AgentReviewer, Messages: []llm.Message{llm.User("q")}}); err != nil {
		t.Fatal(err)
	}
	if f.srv.Request(0).Model != "test-model" || f.srv.Request(2).Model != "big-model" {
		t.Errorf("models sent: %q %q", f.srv.Request(0).Model, f.srv.Request(2).Model)
	}
	u := f.client.Usage()
	if got := u[llm.AgentInterviewer]; got != (llm.Usage{PromptTokens: 30, CompletionTokens: 3}) {
		t.Errorf("interviewer usage %+v", got)
	}
	if got := u[llm.AgentReviewer]; !got.Estimated || got.PromptTokens == 0 {
		t.Errorf("reviewer usage %+v, want an estimate", got)
	}
	if tot := u.Total(); !tot.Estimated || tot.PromptTokens <= 30 {
		t.Errorf("total %+v", tot)
	}
	u[llm.AgentInterviewer] = llm.Usage{}
	if f.client.Usage()[llm.AgentInterviewer].PromptTokens != 30 {
		t.Error("Usage must return a copy")
	}
}

func TestConcurrentCalls(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Otherwise(llmtest.Echo())
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		go func() {
			var err error
			if i%2 == 0 {
				_, err = f.client.Stream(context.Background(), ask("hello"), nil)
			} else {
				_, err = f.client.Chat(context.Background(), ask("hello"))
			}
			errs <- err
		}()
	}
	for i := 0; i < 20; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if u := f.client.Usage()[llm.AgentDrafter]; u.CompletionTokens == 0 {
		t.Errorf("usage %+v", u)
	}
}

type countingTransport struct{ n int }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n++
	return http.DefaultTransport.RoundTrip(r)
}

func TestWithHTTPClientAndOnRetry(t *testing.T) {
	ct := &countingTransport{}
	hc := &http.Client{Transport: ct}
	var infos []llm.RetryInfo
	f := newFixture(t, nil, llm.WithHTTPClient(hc), llm.WithOnRetry(func(ri llm.RetryInfo) { infos = append(infos, ri) }))
	f.srv.Script(llmtest.ServerError(), llmtest.Reply("ok"))
	if _, err := f.client.Chat(context.Background(), ask("x")); err != nil {
		t.Fatal(err)
	}
	if ct.n != 2 || hc.Transport != ct {
		t.Errorf("custom transport saw %d requests; the caller's client must stay unchanged", ct.n)
	}
	if len(infos) != 1 || infos[0].Attempt != 2 || infos[0].MaxAttempts != 3 || infos[0].Agent != llm.AgentDrafter ||
		infos[0].Err.Class != llm.ClassServer {
		t.Errorf("retry infos %+v", infos)
	}
}
