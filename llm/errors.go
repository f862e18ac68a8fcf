package llm

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"
)

// Class sorts failures by what the user can do about them.
type Class int

// The failure classes.
const (
	ClassAuth           Class = iota + 1 // 401/403: the key is wrong or missing
	ClassQuota                           // 429 insufficient_quota: out of credit, not retried
	ClassRateLimit                       // 429 otherwise: retried
	ClassModelNotFound                   // the server does not offer the model
	ClassContextTooLong                  // the prompt does not fit the model's context
	ClassTimeout                         // the request took longer than allowed (or 408)
	ClassStalled                         // a stream sent nothing for the idle timeout
	ClassConnection                      // cannot connect, or the connection dropped
	ClassServer                          // 5xx, 409, or an unreadable reply
	ClassTruncated                       // the reply ended without a finish reason
	ClassCanceled                        // the caller canceled (Esc)
	ClassInvalidReply                    // the reply was not the JSON asked for, even after a repair
	ClassBadRequest                      // 400 and other 4xx: the request itself is wrong
	ClassInternal                        // a bug on our side, or a panic turned into an error
	ClassReplyTooLong                    // a reply past Request.MaxReplyBytes, stopped
)

var classNames = map[Class]string{
	ClassAuth: "auth", ClassQuota: "quota", ClassRateLimit: "rate limit",
	ClassModelNotFound: "model not found", ClassContextTooLong: "context too long",
	ClassTimeout: "timeout", ClassStalled: "stalled", ClassConnection: "connection",
	ClassServer: "server", ClassTruncated: "truncated", ClassCanceled: "canceled",
	ClassInvalidReply: "invalid reply", ClassBadRequest: "bad request", ClassInternal: "internal",
	ClassReplyTooLong: "reply too long",
}

// String names the class, e.g. "rate limit".
func (c Class) String() string {
	if n, ok := classNames[c]; ok {
		return n
	}
	return fmt.Sprintf("Class(%d)", int(c))
}

// Error is every error the client returns. Message is a plain sentence for the
// user that says what to do next; Err keeps the underlying cause for the log.
// Neither ever holds the API key.
type Error struct {
	Class      Class
	Status     int           // HTTP status, 0 when there was none
	Message    string        // for the user: what is wrong and how to fix it, in any front end
	RetryAfter time.Duration // what the server asked us to wait, if it did
	Err        error         // the cause
	// Remedy is what the command line can do about it besides: run
	// offline, pass another model or base URL. Error words it with the
	// flags; a screen words it with its own keys, or not at all.
	Remedy Remedy

	retry bool // worth another attempt before the first token
}

// Remedy is a command-line way around a failure.
type Remedy int

const (
	RemedyNone    Remedy = iota
	RemedyOffline        // run with the offline engine
	RemedyModel          // pass another model
	RemedyBaseURL        // pass another base URL
)

// Flag words the remedy for the command line ("" for none).
func (r Remedy) Flag() string {
	switch r {
	case RemedyOffline:
		return "Or run with --offline."
	case RemedyModel:
		return "Or pass --model with a model the server has."
	case RemedyBaseURL:
		return "Or pass --base-url."
	}
	return ""
}

// Error returns the plain-language message, with the command line's way
// around the failure.
func (e *Error) Error() string {
	if f := e.Remedy.Flag(); f != "" {
		return e.Message + " " + f
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is matches any *Error of the same class, so errors.Is(err, ErrTruncated)
// works for every truncated reply.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Class == e.Class
}

// Sentinels for the classes callers branch on; compare with errors.Is.
var (
	ErrTruncated      = &Error{Class: ClassTruncated, Message: "the reply ended before it was finished"}
	ErrCanceled       = &Error{Class: ClassCanceled, Message: "canceled"}
	ErrInvalidReply   = &Error{Class: ClassInvalidReply, Message: "the reply was not valid JSON"}
	ErrStalled        = &Error{Class: ClassStalled, Message: "the reply stalled"}
	ErrContextTooLong = &Error{Class: ClassContextTooLong, Message: "the prompt is too long for the model"}
)

// Causes of an attempt's context ending that are ours, not the caller's.
var (
	errStalled        = errors.New("stream idle timeout")
	errRequestTimeout = errors.New("request timeout")
	errEmptyReply     = errors.New("the server sent no text and no finish reason")
)

// Classify turns any error from this package, go-openai or net/http into an
// *Error. Errors the client returns are already classified and come back
// unchanged; nil stays nil.
func Classify(err error) *Error {
	if err == nil {
		return nil
	}
	return classify(err, callInfo{})
}

// callInfo is what a message may name. Zero fields get generic wording.
type callInfo struct {
	host, model, agent, configPath, keyEnv, baseURL string
	key                                             string // only to redact it
	hasKey                                          bool
	request, idle                                   time.Duration
	maxBytes                                        int
}

func (ci callInfo) hostName() string  { return orDefault(ci.host, "the server") }
func (ci callInfo) modelName() string { return orDefault(ci.model, "the model") }
func (ci callInfo) path() string      { return orDefault(ci.configPath, DefaultConfigPath()) }
func (ci callInfo) env() string       { return orDefault(ci.keyEnv, DefaultAPIKeyEnv) }
func (ci callInfo) agentName() string { return orDefault(ci.agent, "this step") }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// serverErr is what a server said, however it said it.
type serverErr struct {
	status     int
	code, typ  string
	message    string
	param      string
	fromStream bool // an error object inside a 200 stream
	unreadable bool // a 2xx body that was not the JSON we expected
}

func classify(err error, ci callInfo) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if se, ok := asServerErr(err); ok {
		return classifyServer(err, se, ci)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return canceledError(err)
	case errors.Is(err, context.DeadlineExceeded):
		return timeoutError(err, ci)
	case errors.Is(err, openai.ErrTooManyEmptyStreamMessages):
		return &Error{Class: ClassServer, Err: err, retry: true,
			Message: fmt.Sprintf("%s sent a stream with no content. Try again.", ci.hostName())}
	}
	if e := classifyNet(err, ci); e != nil {
		return e
	}
	var syn *json.SyntaxError
	var ute *json.UnmarshalTypeError
	if errors.As(err, &syn) || errors.As(err, &ute) {
		return &Error{Class: ClassServer, Err: err, retry: true,
			Message: fmt.Sprintf("%s sent a reply that could not be read. Try again, or check base_url in %s.", ci.hostName(), ci.path())}
	}
	if isOpenAIValidation(err) {
		return &Error{Class: ClassBadRequest, Err: err,
			Message: fmt.Sprintf("The request for %s is not valid for %s: %s.", ci.agentName(), ci.modelName(), redact(err.Error(), ci.key))}
	}
	return &Error{Class: ClassInternal, Err: err,
		Message: fmt.Sprintf("Something unexpected went wrong talking to %s: %s. Try again.",
			ci.hostName(), clip(redact(err.Error(), ci.key), 200)), Remedy: RemedyOffline}
}

func canceledError(err error) *Error {
	if err == nil {
		err = context.Canceled
	}
	return &Error{Class: ClassCanceled, Err: err, Message: "Canceled."}
}

func timeoutError(err error, ci callInfo) *Error {
	limit := ""
	if ci.request > 0 {
		limit = " " + ci.request.String()
	}
	return &Error{Class: ClassTimeout, Err: err,
		Message: fmt.Sprintf("The request to %s took longer than%s. Try again, or raise timeouts.request in %s.",
			ci.hostName(), orDefault(limit, " allowed"), ci.path())}
}

func stalledError(err error, ci callInfo) *Error {
	return &Error{Class: ClassStalled, Err: err,
		Message: fmt.Sprintf("The reply from %s stalled mid-reply: nothing for %s. Try again, or raise timeouts.idle in %s.",
			ci.hostName(), ci.idle, ci.path())}
}

// noReplyError is a request timeout before any reply began: a busy or
// loading server, not a stalled stream.
func noReplyError(err error, ci callInfo) *Error {
	limit := "the time allowed"
	if ci.request > 0 {
		limit = ci.request.String()
	}
	return &Error{Class: ClassTimeout, Err: err,
		Message: fmt.Sprintf("No reply started within %s from %s (the server may be busy or still loading the model). Try again, or raise timeouts.request in %s.",
			limit, ci.hostName(), ci.path())}
}

// tooLongError is a reply stopped at Request.MaxReplyBytes.
func tooLongError(ci callInfo) *Error {
	return &Error{Class: ClassReplyTooLong, Err: errors.New("reply over the byte cap"),
		Message: fmt.Sprintf("The reply from %s grew past %s, far more than asked for, so it was stopped. Try again; if your sections are that long, raise limits.section_bytes in %s.",
			ci.modelName(), byteSize(ci.maxBytes), ci.path())}
}

// byteSize writes a size the way a person reads it: "64 KB", "2 MB".
func byteSize(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func emptyReplyError(ci callInfo) *Error {
	return &Error{Class: ClassTruncated, Err: errEmptyReply, retry: true,
		Message: fmt.Sprintf("%s ended the reply without any text. Try again.", ci.hostName())}
}

func truncatedError(err error, ci callInfo) *Error {
	if err == nil {
		err = io.ErrUnexpectedEOF
	}
	return &Error{Class: ClassTruncated, Err: err,
		Message: fmt.Sprintf("The reply from %s stopped before it was finished. Try again.", ci.modelName())}
}

// asServerErr pulls status, code and message out of go-openai's error types.
func asServerErr(err error) (serverErr, bool) {
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	// A RequestError (a body go-openai could not read as OpenAI's error form)
	// may wrap an empty APIError, so it is looked at first.
	if errors.As(err, &reqErr) {
		se := serverErr{status: reqErr.HTTPStatusCode, message: bodyMessage(reqErr.Body)}
		if errors.As(reqErr.Err, &apiErr) && apiErr.Message != "" {
			se.message, se.code, se.typ = apiErr.Message, codeString(apiErr.Code), apiErr.Type
		}
		if se.status >= 200 && se.status < 300 {
			se.unreadable = true
		}
		return se, se.status != 0
	}
	if errors.As(err, &apiErr) {
		se := serverErr{status: apiErr.HTTPStatusCode, code: codeString(apiErr.Code), typ: apiErr.Type,
			message: apiErr.Message}
		if apiErr.Param != nil {
			se.param = *apiErr.Param
		}
		if se.status == 0 {
			se.fromStream = true
			// vLLM and others put the HTTP status in "code".
			if n, ok := apiErr.Code.(int); ok && n >= 400 && n < 600 {
				se.status = n
			}
		}
		return se, true
	}
	return serverErr{}, false
}

func codeString(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

// bodyMessage reads the message of a non-OpenAI error body: {"error":"..."}
// (Ollama's native form), {"detail":"..."} (FastAPI servers), {"message":"..."},
// or plain text.
func bodyMessage(body []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) == nil {
		for _, k := range []string{"error", "detail", "message"} {
			var s string
			if raw, ok := m[k]; ok && json.Unmarshal(raw, &s) == nil && s != "" {
				return s
			}
			var inner struct {
				Message string `json:"message"`
			}
			if raw, ok := m[k]; ok && json.Unmarshal(raw, &inner) == nil && inner.Message != "" {
				return inner.Message
			}
		}
		return ""
	}
	s := strings.TrimSpace(string(body))
	if strings.HasPrefix(s, "<") { // an HTML error page says nothing useful
		return ""
	}
	return s
}

var (
	modelMissingRE = regexp.MustCompile(`(?i)model\b.*\b(not found|does not exist|not exist|unknown|is not available|no such)`)
	contextRE      = regexp.MustCompile(`(?i)context[ _-]?(length|size|window)|maximum context|too many tokens|prompt is too long|exceeds? the .*context`)
)

func classifyServer(err error, se serverErr, ci callInfo) *Error {
	msg := clip(redact(se.message, ci.key), 300)
	e := &Error{Status: se.status, Err: err}
	code := strings.ToLower(se.code + " " + se.typ)
	status := se.status
	quoted := ""
	if msg != "" {
		quoted = " The server said: " + ensureStop(msg)
	}

	switch {
	case se.unreadable:
		e.Class, e.retry = ClassServer, true
		e.Message = fmt.Sprintf("%s sent a reply that could not be read. Try again, or check base_url in %s.", ci.hostName(), ci.path())
		return e
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.Class = ClassAuth
		if ci.hasKey || ci.keyEnv == "" {
			e.Message = fmt.Sprintf("The server refused the API key (%d). Check %s or api_key_env in %s.",
				status, ci.env(), ci.path())
		} else {
			e.Message = fmt.Sprintf("%s wants an API key (%d), and %s is not set. Set it (or api_key_env in %s).",
				ci.hostName(), status, ci.env(), ci.path())
		}
		if status == http.StatusForbidden && msg != "" {
			e.Message += quoted
		}
		e.Remedy = RemedyOffline
		return e
	case strings.Contains(code, "insufficient_quota") || strings.Contains(strings.ToLower(msg), "exceeded your current quota"):
		e.Class = ClassQuota
		e.Message = fmt.Sprintf("The account behind the API key is out of quota (%s insufficient_quota). Check billing with your provider.",
			statusText(status, 429))
		e.Remedy = RemedyOffline
		return e
	case strings.Contains(code, "model_not_found") ||
		(status == http.StatusNotFound || status == http.StatusBadRequest || se.fromStream) && modelMissingRE.MatchString(msg):
		e.Class = ClassModelNotFound
		e.Message = fmt.Sprintf("%s does not offer the model %q (%s). Set `model` in %s to a model it has.",
			ci.hostName(), ci.modelName(), statusText(status, 404), ci.path())
		e.Remedy = RemedyModel
		return e
	case strings.Contains(code, "context_length_exceeded") || strings.Contains(code, "exceed_context") ||
		status == http.StatusRequestEntityTooLarge || ((status == 400 || status == 422 || se.fromStream) && contextRE.MatchString(msg)):
		e.Class = ClassContextTooLong
		e.Message = fmt.Sprintf("The prompt for %s is too long for %s.%s Shorten the longest answers, or pick a model with a larger context and set context_window in %s.",
			ci.agentName(), ci.modelName(), quoted, ci.path())
		return e
	case status == http.StatusTooManyRequests || strings.Contains(code, "rate_limit"):
		e.Class, e.retry = ClassRateLimit, true
		e.Message = fmt.Sprintf("%s is rate limiting requests (429). Wait a moment and try again.", ci.hostName())
		return e
	case status == http.StatusNotFound:
		e.Class = ClassBadRequest
		e.Message = fmt.Sprintf("%s has no chat completions endpoint under %s (404). Check base_url in %s; it usually ends in /v1.",
			ci.hostName(), orDefault(ci.baseURL, "the base URL"), ci.path())
		return e
	case status == http.StatusRequestTimeout:
		e.Class, e.retry = ClassTimeout, true
		e.Message = fmt.Sprintf("%s timed out the request (408). Try again.", ci.hostName())
		return e
	case status == http.StatusConflict || status >= 500:
		e.Class, e.retry = ClassServer, true
		e.Message = fmt.Sprintf("%s had a problem (%d). Try again in a moment.", ci.hostName(), status)
		return e
	case status >= 400:
		e.Class = ClassBadRequest
		e.Message = fmt.Sprintf("%s rejected the request for %s (%d).%s", ci.hostName(), ci.agentName(), status, quoted)
		return e
	case se.fromStream:
		// An error object inside a 200 stream with no usable code: the server
		// gave up while generating. Worth a retry before the first token.
		e.Class, e.retry = ClassServer, true
		e.Message = fmt.Sprintf("%s stopped the reply with an error.%s Try again.", ci.hostName(), quoted)
		return e
	}
	e.Class = ClassInternal
	e.Message = fmt.Sprintf("Something unexpected came back from %s (%d).%s", ci.hostName(), status, quoted)
	return e
}

func statusText(status, def int) string {
	if status == 0 {
		status = def
	}
	return fmt.Sprint(status)
}

func classifyNet(err error, ci callInfo) *Error {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var certErr *x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.As(err, &dnsErr):
		return &Error{Class: ClassConnection, Err: err, retry: true,
			Message: fmt.Sprintf("Cannot reach %s: the name does not resolve. Check base_url in %s and your network.", ci.hostName(), ci.path())}
	case errors.As(err, &certErr) || errors.As(err, &hostErr):
		return &Error{Class: ClassConnection, Err: err,
			Message: fmt.Sprintf("Cannot make a secure connection to %s: its certificate is not trusted. Check base_url in %s.", ci.hostName(), ci.path())}
	case errors.As(err, &opErr) && opErr.Op == "dial", errors.Is(err, syscall.ECONNREFUSED):
		return &Error{Class: ClassConnection, Err: err, retry: true,
			Message: fmt.Sprintf("Cannot reach %s: is the server running?", ci.hostName())}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.As(err, &opErr):
		return &Error{Class: ClassConnection, Err: err, retry: true,
			Message: fmt.Sprintf("The connection to %s dropped before the reply finished. Try again.", ci.hostName())}
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return &Error{Class: ClassConnection, Err: err, retry: true,
			Message: fmt.Sprintf("Cannot talk to %s: %s. Try again.", ci.hostName(), clip(redact(netErr.Error(), ci.key), 200))}
	}
	return nil
}

func isOpenAIValidation(err error) bool {
	for _, target := range []error{
		openai.ErrReasoningModelMaxTokensDeprecated, openai.ErrReasoningModelLimitationsLogprobs,
		openai.ErrReasoningModelLimitationsOther, openai.ErrReasoningEffortUnsupported,
		openai.ErrReasoningSamplingUnsupported, openai.ErrReasoningToolsRequireResponses,
		openai.ErrChatCompletionInvalidModel, openai.ErrContentFieldsMisused,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// redact removes the key from text a server may have echoed. Keys shorter
// than 8 characters are placeholders ("ollama", "x") and are left alone, or
// every message would be riddled with [redacted].
func redact(s, key string) string {
	if len(key) < minRedactLen || s == "" {
		return s
	}
	return strings.ReplaceAll(s, key, "[redacted]")
}

const minRedactLen = 8

func clip(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

func ensureStop(s string) string {
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "…") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") {
		return s
	}
	return s + "."
}

// isFormatRejection reports a 400/422 that complains about response_format.
// A schema the server calls invalid is our bug, not a missing feature, so it
// is not a reason to fall back.
func isFormatRejection(e *Error) bool {
	if e == nil {
		return false
	}
	if se, ok := asServerErr(e.Err); ok && strings.Contains(strings.ToLower(se.message), "invalid schema") {
		return false
	}
	return isParamRejection(e, "response_format", "json_schema", "json_object")
}

// isStreamOptionsRejection reports a 400/422 that complains about stream_options.
func isStreamOptionsRejection(e *Error) bool {
	return isParamRejection(e, "stream_options", "include_usage")
}

func isParamRejection(e *Error, words ...string) bool {
	if e == nil || (e.Status != http.StatusBadRequest && e.Status != http.StatusUnprocessableEntity) {
		return false
	}
	se, ok := asServerErr(e.Err)
	if !ok {
		return false
	}
	text := strings.ToLower(se.message + " " + se.param + " " + se.code)
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}
