package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"
)

// Validator is implemented by reply types that check themselves after
// unmarshalling. A failed check is treated like invalid JSON: it gets one
// repair request naming the problem.
type Validator interface {
	Validate() error
}

// ChatJSON asks for a JSON object and unmarshals it into out, which must be a
// non-nil pointer. It uses the strictest response_format this server accepts:
// a json_schema built from schema (when schema is not nil), then json_object,
// then none at all, in which case the first JSON object is taken out of the
// reply text (``` fences and <think> blocks removed). A level the server
// rejects with a 400 naming response_format is remembered, so later calls
// start at the level that works. Below the schema level the schema is given to
// the model in the system message instead. req.ResponseFormat may set the
// schema's Name and Strict; its Kind and Schema are ignored.
//
// A reply that does not parse into out, or whose Validate fails, gets exactly
// one repair request (the bad reply plus a note naming the error); if that
// fails too, the error is ErrInvalidReply. out is only written on success.
func (c *Client) ChatJSON(ctx context.Context, req Request, schema any, out any) (err error) {
	defer c.recoverTo(&err, req)
	ci := c.info(req)
	target := reflect.ValueOf(out)
	if out == nil || target.Kind() != reflect.Pointer || target.IsNil() {
		return &Error{Class: ClassInternal, Err: errors.New("ChatJSON needs a non-nil pointer"),
			Message: fmt.Sprintf("The reply for %s has nowhere to go (a bug in propose).", ci.agentName())}
	}
	var schemaRaw json.RawMessage
	if schema != nil {
		raw, err := schemaBytes(schema)
		if err != nil {
			return &Error{Class: ClassInternal, Err: err,
				Message: fmt.Sprintf("The JSON schema for %s is not valid (a bug in propose): %v.", ci.agentName(), err)}
		}
		schemaRaw = raw
	}

	for {
		level := FormatKind(c.jsonCeiling.Load())
		if schemaRaw == nil && level == FormatJSONSchema {
			level = FormatJSONObject
		}
		r := jsonRequest(req, level, schemaRaw)
		resp, err := c.Chat(ctx, r)
		if err != nil {
			var e *Error
			if errors.As(err, &e) && isFormatRejection(e) && level > FormatText {
				c.lowerJSONCeiling(level - 1)
				c.log.Warn("llm: server rejects response_format; falling back",
					"host", ci.host, "from", formatName(level), "to", formatName(level-1), "server", clip(e.Message, 200))
				continue
			}
			return err
		}
		perr := decodeInto(resp.Text, target, req.Check)
		if perr == nil {
			return nil
		}
		c.log.Info("llm: reply is not valid JSON; asking for a repair", "agent", req.Agent, "error", perr.Error())
		r.Messages = append(append([]Message(nil), r.Messages...),
			Assistant(resp.Text),
			User(repairNote(perr, schemaRaw != nil)))
		resp, err = c.Chat(ctx, r)
		if err != nil {
			return err
		}
		perr = decodeInto(resp.Text, target, req.Check)
		if perr == nil {
			return nil
		}
		return &Error{Class: ClassInvalidReply, Err: perr,
			Message: fmt.Sprintf("%s did not return usable JSON for %s, even after a repair request (%s). Try again, or pick a stronger model.",
				ci.modelName(), ci.agentName(), clip(plainDecodeError(perr), 160))}
	}
}

// lowerJSONCeiling remembers that levels above k were rejected.
func (c *Client) lowerJSONCeiling(k FormatKind) {
	for {
		cur := c.jsonCeiling.Load()
		if int32(k) >= cur || c.jsonCeiling.CompareAndSwap(cur, int32(k)) {
			return
		}
	}
}

func formatName(k FormatKind) string {
	switch k {
	case FormatJSONSchema:
		return "json_schema"
	case FormatJSONObject:
		return "json_object"
	}
	return "text"
}

// jsonRequest sets the response format for a level and, below the schema
// level, tells the model in words what the format would have enforced.
func jsonRequest(req Request, level FormatKind, schema json.RawMessage) Request {
	r := req
	r.Messages = append([]Message(nil), req.Messages...)
	r.ResponseFormat = ResponseFormat{Kind: level}
	if level == FormatJSONSchema {
		r.ResponseFormat = ResponseFormat{Kind: FormatJSONSchema, Name: req.ResponseFormat.Name, Schema: schema, Strict: req.ResponseFormat.Strict}
		return r
	}
	var note string
	switch {
	case schema != nil:
		note = "Reply with only one JSON object, no prose and no code fences, that matches this JSON schema:\n" + string(schema)
	case level == FormatText || !mentionsJSON(r.Messages):
		// OpenAI refuses json_object unless the messages mention JSON.
		note = "Reply with only one JSON object, no prose and no code fences."
	}
	if note != "" {
		r.Messages = withInstruction(r.Messages, note)
	}
	return r
}

func mentionsJSON(msgs []Message) bool {
	for _, m := range msgs {
		if strings.Contains(strings.ToLower(m.Content), "json") {
			return true
		}
	}
	return false
}

// withInstruction adds note to the first system message, or puts a system
// message first; some local chat templates refuse a system message anywhere
// but first.
func withInstruction(msgs []Message, note string) []Message {
	for i, m := range msgs {
		if m.Role == RoleSystem {
			msgs[i].Content = strings.TrimRight(m.Content, "\n") + "\n\n" + note
			return msgs
		}
	}
	return append([]Message{System(note)}, msgs...)
}

// plainDecodeError says what was wrong with a reply in words for a person,
// without Go's type and struct names: "facts.value holds a number where
// text belongs", "it is not valid JSON".
func plainDecodeError(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		want := "a value of another kind"
		switch te.Type.Kind() {
		case reflect.String:
			want = "text"
		case reflect.Bool:
			want = "true or false"
		case reflect.Slice, reflect.Array:
			want = "a list"
		case reflect.Struct, reflect.Map, reflect.Pointer:
			want = "an object"
		case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64, reflect.Float32:
			want = "a number"
		}
		where := te.Field
		if where == "" {
			where = "the reply"
		}
		return fmt.Sprintf("%s holds %s where %s belongs", where, article(te.Value), want)
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF):
		return "it is not valid JSON"
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "json: ") {
		return "it is not the JSON object asked for"
	}
	return msg
}

func article(kind string) string {
	switch kind {
	case "":
		return "something"
	case "object", "array":
		return "an " + kind
	}
	return "a " + kind
}

func repairNote(err error, withSchema bool) string {
	what := "the JSON object asked for"
	if withSchema {
		what = "one JSON object that matches the schema"
	}
	return fmt.Sprintf("Your reply could not be used: %s. Reply again with only %s, corrected, and nothing else.",
		clip(err.Error(), 300), what)
}

// decodeInto extracts the JSON object from text and unmarshals it into a
// fresh value of out's type, copied into out only if it parses, validates and
// passes check (when given).
func decodeInto(text string, out reflect.Value, check func(any) error) error {
	raw, err := ExtractJSON(text)
	if err != nil {
		return err
	}
	fresh := reflect.New(out.Type().Elem())
	if err := json.Unmarshal(raw, fresh.Interface()); err != nil {
		return err
	}
	if v, ok := fresh.Interface().(Validator); ok {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("the JSON does not meet the requirements: %w", err)
		}
	}
	if check != nil {
		if err := check(fresh.Interface()); err != nil {
			return fmt.Errorf("the JSON does not meet the requirements: %w", err)
		}
	}
	out.Elem().Set(fresh.Elem())
	return nil
}

var (
	thinkRE = regexp.MustCompile(`(?is)<think>.*?</think>`)
	fenceRE = regexp.MustCompile("(?s)```[A-Za-z0-9_-]*[ \t]*\r?\n(.*?)```")
)

// ExtractJSON returns the first JSON object in a model's reply: <think>
// blocks are dropped, a ``` fenced block is preferred when it holds an
// object, and any prose before or after the object is ignored.
func ExtractJSON(text string) (json.RawMessage, error) {
	text = thinkRE.ReplaceAllString(text, "")
	if m := fenceRE.FindStringSubmatch(text); m != nil && strings.Contains(m[1], "{") {
		text = m[1]
	}
	start := strings.IndexByte(text, '{')
	if start < 0 {
		if strings.TrimSpace(text) == "" {
			return nil, errors.New("the reply was empty")
		}
		return nil, errors.New("the reply holds no JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(text[start:])))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("the JSON is not valid: %w", err)
	}
	return raw, nil
}
