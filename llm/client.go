//lint:file-ignore SA1019 max_tokens, deprecated by OpenAI, is the token limit local servers (Ollama, llama.cpp, vLLM) take; it is sent only to a server that rejects max_completion_tokens.

package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Role says who wrote a message.
type Role string

// The roles a conversation uses.
const (
	RoleSystem    Role = "system"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// Message is one turn of the conversation sent to the model.
type Message struct {
	Role    Role
	Content string
}

// System, User and Assistant build messages.
func System(s string) Message    { return Message{Role: RoleSystem, Content: s} }
func User(s string) Message      { return Message{Role: RoleUser, Content: s} }
func Assistant(s string) Message { return Message{Role: RoleAssistant, Content: s} }

// FormatKind is how strictly the reply is held to JSON.
type FormatKind int

// The three levels, from none to strictest. ChatJSON walks down them when a
// server rejects one.
const (
	FormatText       FormatKind = iota // no response_format: free text
	FormatJSONObject                   // response_format json_object: any JSON object
	FormatJSONSchema                   // response_format json_schema: an object matching Schema
)

// ResponseFormat asks the server for JSON.
type ResponseFormat struct {
	Kind FormatKind
	// Name of the schema ([A-Za-z0-9_-], at most 64); defaults to the agent name.
	Name string
	// Schema is a JSON schema: json.RawMessage, []byte, string, or any value
	// that marshals to one.
	Schema any
	// Strict asks OpenAI to enforce the schema exactly. Strict schemas must
	// list every property as required and set additionalProperties to false.
	Strict bool
}

// Request is one call to the model.
type Request struct {
	// Agent picks the model (Config.ModelFor) and keys the usage totals.
	Agent    string
	Messages []Message
	// ResponseFormat asks for JSON; the zero value asks for text.
	ResponseFormat ResponseFormat
	// MaxReplyBytes caps a streamed reply's text: past it the stream is
	// stopped and the call fails with a plain message (ClassReplyTooLong).
	// Zero means no cap.
	MaxReplyBytes int
	// MaxOutputTokens caps the reply; zero leaves it to the server. It is also
	// what the context check keeps free for the reply (default: a quarter of
	// the window, at most 1024).
	MaxOutputTokens int
	// Temperature; zero leaves it to the server.
	Temperature float32
	// OnRetry is told before each wait between attempts.
	OnRetry func(RetryInfo)
	// Check, for ChatJSON only, judges a reply that parsed (and passed its
	// Validate) against what the caller knows and the reply type cannot: the
	// template's field ids, the answer it came from. v is a pointer to the
	// decoded value. A non-nil error is treated like invalid JSON: it gets
	// the one repair request, naming the problem.
	Check func(v any) error
}

// Response is the model's reply.
type Response struct {
	Text string
	// FinishReason is "stop", "length" (cut at MaxOutputTokens: complete as a
	// reply, but the text may end mid-sentence) and so on; empty means the
	// reply is incomplete and an error says why.
	FinishReason string
	Usage        Usage
	Model        string // the model asked
	Attempts     int    // HTTP attempts made, retries included
}

// Client talks to one OpenAI-compatible server. It is safe for concurrent use.
type Client struct {
	cfg      Config
	key      string
	api      *openai.Client
	hc       *http.Client
	isOpenAI bool

	sleep   func(context.Context, time.Duration) error
	rand    func() float64
	randMu  sync.Mutex
	now     func() time.Time
	log     *slog.Logger
	onRetry func(RetryInfo)

	// What this server turned out not to accept, remembered so later calls
	// skip straight to what works.
	jsonCeiling   atomic.Int32 // the strictest FormatKind not yet rejected
	noStreamUsage atomic.Bool  // stream_options was rejected
	tokenParam    atomic.Int32 // tokenParamCompletion or tokenParamMax: what this server takes

	// slots holds one token per request in flight (Config.Parallel): a
	// request waits here, before its timeouts start, for its turn.
	slots chan struct{}

	mu    sync.Mutex
	usage UsageByAgent
}

// Option adjusts a Client.
type Option func(*Client)

// WithHTTPClient uses hc (its Transport is wrapped, hc itself is not changed).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc != nil {
			cp := *hc
			c.hc = &cp
		}
	}
}

// WithSleep replaces the wait between attempts; tests record the waits and
// return at once.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) {
		if sleep != nil {
			c.sleep = sleep
		}
	}
}

// WithRand replaces the jitter source; it must return values in [0, 1).
func WithRand(r func() float64) Option {
	return func(c *Client) {
		if r != nil {
			c.rand = r
		}
	}
}

// WithClock replaces the clock used to read Retry-After dates.
func WithClock(now func() time.Time) Option {
	return func(c *Client) {
		if now != nil {
			c.now = now
		}
	}
}

// WithLogger logs retries and fallbacks (never prompts or keys). Default: discard.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) {
		if l != nil {
			c.log = l
		}
	}
}

// WithOnRetry is told before every wait between attempts, for every request.
func WithOnRetry(f func(RetryInfo)) Option {
	return func(c *Client) { c.onRetry = f }
}

// A long run of blank lines between two events (a slow local server) must not
// end the stream; go-openai's default limit is 300. Comment lines never reach
// it (see sseFilter).
const emptyMessagesLimit = 1 << 20

// New makes a client for cfg. It reads the API key from the environment
// variable cfg.APIKeyEnv names, now and only now.
func New(cfg Config, opts ...Option) (*Client, error) {
	cfg = cfg.withDefaults()
	if cfg.BaseURL != "" {
		if msg := checkBaseURL(cfg.BaseURL); msg != "" {
			return nil, &Error{Class: ClassBadRequest, Message: fmt.Sprintf("base_url %s; fix it in %s.", msg, cfg.Path()), Remedy: RemedyBaseURL}
		}
	}
	c := &Client{
		cfg:      cfg,
		key:      os.Getenv(cfg.APIKeyEnv),
		isOpenAI: cfg.isOpenAI(),
		sleep:    sleepCtx,
		rand:     rand.Float64,
		now:      time.Now,
		log:      slog.New(slog.DiscardHandler),
		usage:    UsageByAgent{},
	}
	if c.key == "" && c.isOpenAI {
		return nil, &Error{Class: ClassAuth, Message: fmt.Sprintf(
			"No API key is set. Set %s (or name another variable with api_key_env in %s), or set base_url for a local server.",
			cfg.APIKeyEnv, cfg.Path()), Remedy: RemedyOffline}
	}
	c.jsonCeiling.Store(int32(FormatJSONSchema))
	if c.isOpenAI {
		c.tokenParam.Store(tokenParamCompletion)
	} else {
		// Local servers (Ollama, llama.cpp, older vLLM) know max_tokens.
		c.tokenParam.Store(tokenParamMax)
	}
	c.slots = make(chan struct{}, cfg.Parallel)
	for _, o := range opts {
		o(c)
	}
	if c.hc == nil {
		dialer := &net.Dialer{Timeout: cfg.Timeouts.Connect, KeepAlive: 30 * time.Second}
		base := http.DefaultTransport.(*http.Transport).Clone()
		base.DialContext = dialer.DialContext
		c.hc = &http.Client{Transport: base}
	}
	base := c.hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.hc.Transport = &transport{base: base, key: c.key, now: c.now}

	oc := openai.DefaultConfig(c.key)
	oc.BaseURL = cfg.baseURL()
	oc.HTTPClient = c.hc
	oc.EmptyMessagesLimit = emptyMessagesLimit
	c.api = openai.NewClientWithConfig(oc)
	return c, nil
}

// Close drops idle connections. The client still works afterwards.
func (c *Client) Close() {
	c.hc.CloseIdleConnections()
}

// Config is the configuration in use, defaults filled in.
func (c *Client) Config() Config { return c.cfg }

// Describe is Config.Describe, e.g. "gpt-4o-mini via api.openai.com".
func (c *Client) Describe(agent string) string { return c.cfg.Describe(agent) }

// Usage returns a copy of the tokens used so far, per agent.
func (c *Client) Usage() UsageByAgent {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(UsageByAgent, len(c.usage))
	for k, v := range c.usage {
		out[k] = v
	}
	return out
}

func (c *Client) addUsage(agent string, u Usage) {
	if u.Total() == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.usage.Add(agent, u)
}

// String names the model and server, never the key.
func (c *Client) String() string {
	return "llm.Client(" + c.cfg.Describe("") + ")"
}

// GoString is String.
func (c *Client) GoString() string { return c.String() }

// Format prints String for every verb.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// Chat sends req and waits for the whole reply. Retryable failures are retried
// up to MaxAttempts times.
func (c *Client) Chat(ctx context.Context, req Request) (resp Response, err error) {
	defer c.recoverTo(&err, req)
	ci := c.info(req)
	ccr, e := c.prepare(req, ci, false)
	if e != nil {
		return Response{Model: ci.model}, e
	}
	resp, err = c.withRetry(ctx, req, func(ctx context.Context) (Response, bool, *Error) {
		r, e := c.chatOnce(ctx, ccr, ci)
		return r, false, e
	})
	resp.Model = ci.model
	if err == nil {
		c.addUsage(req.Agent, resp.Usage)
	}
	return resp, err
}

func (c *Client) chatOnce(ctx context.Context, ccr openai.ChatCompletionRequest, ci callInfo) (Response, *Error) {
	release, e := c.acquire(ctx, ci.agent)
	if e != nil {
		return Response{}, e
	}
	defer release()
	resp, e := c.chatAttempt(ctx, ccr, ci)
	if c.switchTokenParam(&ccr, e, false) {
		resp, e = c.chatAttempt(ctx, ccr, ci)
	}
	if e == nil {
		resp.Text = redact(resp.Text, c.key)
	}
	return resp, e
}

func (c *Client) chatAttempt(ctx context.Context, ccr openai.ChatCompletionRequest, ci callInfo) (Response, *Error) {
	st := &callState{}
	actx, cancel := context.WithTimeoutCause(withCallState(ctx, st), c.cfg.Timeouts.Request, errRequestTimeout)
	defer cancel()
	out, err := c.api.CreateChatCompletion(actx, ccr)
	if err != nil {
		return Response{}, c.attemptError(ctx, actx, err, st, ci)
	}
	if len(out.Choices) == 0 {
		return Response{}, emptyReplyError(ci)
	}
	ch := out.Choices[0]
	resp := Response{Text: ch.Message.Content, FinishReason: string(ch.FinishReason)}
	if ch.FinishReason == "" {
		// The whole JSON arrived, so the reply is complete even if this
		// server leaves the reason out.
		resp.FinishReason = string(openai.FinishReasonStop)
	}
	resp.Usage = usageFrom(out.Usage, ccr, resp.Text)
	return resp, nil
}

// usageFrom takes the server's figures, or estimates when there are none.
func usageFrom(u openai.Usage, ccr openai.ChatCompletionRequest, reply string) Usage {
	if u.PromptTokens > 0 || u.CompletionTokens > 0 {
		return Usage{PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens}
	}
	return estimateUsage(ccr, reply)
}

func estimateUsage(ccr openai.ChatCompletionRequest, reply string) Usage {
	prompt := tokensPerReply
	for _, m := range ccr.Messages {
		prompt += tokensPerMessage + EstimateTokens(m.Content)
	}
	return Usage{PromptTokens: prompt, CompletionTokens: EstimateTokens(reply), Estimated: true}
}

// attemptError classifies an attempt's failure, telling apart the caller's
// cancel, the idle watchdog and the request timeout, which all surface from
// net/http as a canceled request.
func (c *Client) attemptError(parent, actx context.Context, err error, st *callState, ci callInfo) *Error {
	var e *Error
	switch {
	case parent.Err() != nil:
		e = c.ctxError(parent)
	case errors.Is(context.Cause(actx), errStalled):
		e = stalledError(errors.Join(errStalled, err), ci)
	case errors.Is(context.Cause(actx), errRequestTimeout) && !st.replied():
		e = noReplyError(errors.Join(errRequestTimeout, err), ci)
	case errors.Is(context.Cause(actx), errRequestTimeout):
		e = timeoutError(errors.Join(errRequestTimeout, err), ci)
	default:
		e = classify(err, ci)
	}
	if e.RetryAfter == 0 {
		e.RetryAfter = st.RetryAfter()
	}
	if e.Class == ClassRateLimit && e.RetryAfter > maxRetryAfter {
		e.Message = fmt.Sprintf("%s is rate limiting requests (429) and asks to wait %s. Try again then.",
			ci.hostName(), roundWait(e.RetryAfter))
		e.Remedy = RemedyOffline
	}
	return e
}

// ctxError is the error for a caller's context that ended.
func (c *Client) ctxError(ctx context.Context) *Error {
	err := ctx.Err()
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Class: ClassTimeout, Err: err, Message: "The step ran out of time. Try again."}
	}
	return canceledError(err)
}

// The token limit parameters a server may take.
const (
	tokenParamCompletion = 1 // max_completion_tokens: OpenAI's current one
	tokenParamMax        = 2 // max_tokens: deprecated by OpenAI, the one local servers know
)

func (c *Client) setTokenParam(ccr *openai.ChatCompletionRequest, n int) {
	ccr.MaxTokens, ccr.MaxCompletionTokens = 0, 0
	if c.tokenParam.Load() == tokenParamCompletion {
		ccr.MaxCompletionTokens = n
	} else {
		ccr.MaxTokens = n
	}
}

// switchTokenParam answers a server's 400 about the token limit parameter:
// it switches ccr to the other one and remembers that for every later call,
// the way the JSON-mode ladder does. It reports whether to try again.
func (c *Client) switchTokenParam(ccr *openai.ChatCompletionRequest, e *Error, started bool) bool {
	n := max(ccr.MaxTokens, ccr.MaxCompletionTokens)
	if e == nil || started || n == 0 || !isParamRejection(e, "max_tokens", "max_completion_tokens") {
		return false
	}
	next := int32(tokenParamMax)
	if ccr.MaxTokens > 0 {
		next = tokenParamCompletion
	}
	c.tokenParam.Store(next)
	c.log.Warn("llm: server rejects the token limit parameter; switching", "host", c.cfg.Host(), "max_completion_tokens", next == tokenParamCompletion)
	c.setTokenParam(ccr, n)
	return true
}

// acquire waits for a free request slot; release gives it back. The
// interviewer never queues behind drafts: the user is waiting for its turn,
// so it takes no slot (a one-slot server then has at most one draft ahead
// of it).
func (c *Client) acquire(ctx context.Context, agent string) (release func(), e *Error) {
	if agent == AgentInterviewer {
		return func() {}, nil
	}
	select {
	case c.slots <- struct{}{}:
		return func() { <-c.slots }, nil
	case <-ctx.Done():
		return nil, c.ctxError(ctx)
	}
}

// info gathers what messages may name for this request.
func (c *Client) info(req Request) callInfo {
	return callInfo{
		host:       c.cfg.Host(),
		model:      c.cfg.ModelFor(req.Agent),
		agent:      req.Agent,
		configPath: c.cfg.Path(),
		keyEnv:     c.cfg.APIKeyEnv,
		baseURL:    c.cfg.safeBaseURL(),
		key:        c.key,
		hasKey:     c.key != "",
		request:    c.cfg.Timeouts.Request,
		idle:       c.cfg.Timeouts.Idle,
		maxBytes:   req.MaxReplyBytes,
	}
}

// prepare checks the request and builds go-openai's form of it.
func (c *Client) prepare(req Request, ci callInfo, stream bool) (openai.ChatCompletionRequest, *Error) {
	if len(req.Messages) == 0 {
		return openai.ChatCompletionRequest{}, &Error{Class: ClassInternal, Err: errors.New("no messages"),
			Message: fmt.Sprintf("The request for %s has no messages (a bug in propose).", ci.agentName())}
	}
	if e := checkFits(req, ci, c.cfg.ContextTokens()); e != nil {
		return openai.ChatCompletionRequest{}, e
	}
	ccr := openai.ChatCompletionRequest{
		Model:       ci.model,
		Messages:    make([]openai.ChatCompletionMessage, len(req.Messages)),
		Temperature: req.Temperature,
	}
	for i, m := range req.Messages {
		ccr.Messages[i] = openai.ChatCompletionMessage{Role: string(m.Role), Content: m.Content}
	}
	if req.MaxOutputTokens > 0 {
		c.setTokenParam(&ccr, req.MaxOutputTokens)
	}
	rf, e := responseFormat(req, ci)
	if e != nil {
		return openai.ChatCompletionRequest{}, e
	}
	ccr.ResponseFormat = rf
	if stream && !c.noStreamUsage.Load() {
		ccr.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	}
	return ccr, nil
}

func responseFormat(req Request, ci callInfo) (*openai.ChatCompletionResponseFormat, *Error) {
	switch req.ResponseFormat.Kind {
	case FormatJSONObject:
		return &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}, nil
	case FormatJSONSchema:
		raw, err := schemaBytes(req.ResponseFormat.Schema)
		if err != nil {
			return nil, &Error{Class: ClassInternal, Err: err,
				Message: fmt.Sprintf("The JSON schema for %s is not valid (a bug in propose): %v.", ci.agentName(), err)}
		}
		return &openai.ChatCompletionResponseFormat{
			Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
				Name:   schemaName(req.ResponseFormat.Name, req.Agent),
				Schema: raw,
				Strict: req.ResponseFormat.Strict,
			},
		}, nil
	}
	return nil, nil
}

// schemaBytes turns the accepted schema forms into validated JSON.
func schemaBytes(schema any) (json.RawMessage, error) {
	var raw []byte
	switch v := schema.(type) {
	case nil:
		return nil, errors.New("no schema given")
	case json.RawMessage:
		raw = v
	case []byte:
		raw = v
	case string:
		raw = []byte(v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		raw = b
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf("schema is not a JSON object: %w", err)
	}
	return json.RawMessage(raw), nil
}

func schemaName(name, agent string) string {
	if name == "" {
		name = agent
	}
	b := make([]byte, 0, len(name))
	for i := 0; i < len(name) && len(b) < 64; i++ {
		ch := name[i]
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '-' {
			b = append(b, ch)
		}
	}
	if len(b) == 0 {
		return "reply"
	}
	return string(b)
}

// recoverTo turns a panic in a call (ours, go-openai's or the caller's
// callback) into an error, so a bug never takes the terminal down.
func (c *Client) recoverTo(err *error, req Request) {
	if r := recover(); r != nil {
		c.log.Error("llm panic", "agent", req.Agent, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		*err = &Error{Class: ClassInternal, Err: fmt.Errorf("panic: %v", r),
			Message: "Something went wrong inside propose while talking to the model (details are in the log). Try again.", Remedy: RemedyOffline}
	}
}
