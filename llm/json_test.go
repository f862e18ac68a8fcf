package llm_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"propose/llm"
	"propose/llm/llmtest"
)

type facts struct {
	Client string   `json:"client"`
	Goals  []string `json:"goals"`
}

func (f *facts) Validate() error {
	if f.Client == "" {
		return errors.New("client must not be empty")
	}
	return nil
}

var factsSchema = json.RawMessage(`{"type":"object","properties":{"client":{"type":"string"},"goals":{"type":"array","items":{"type":"string"}}},"required":["client","goals"],"additionalProperties":false}`)

func jsonAsk() llm.Request {
	return llm.Request{Agent: llm.AgentInterviewer, Messages: []llm.Message{
		llm.System("You extract facts from the consultant's answer."),
		llm.User("We are working for Acme on cutting churn."),
	}}
}

func TestChatJSONSchema(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.JSON(facts{Client: "Acme", Goals: []string{"cut churn"}}))
	var got facts
	if err := f.client.ChatJSON(context.Background(), jsonAsk(), factsSchema, &got); err != nil {
		t.Fatal(err)
	}
	if got.Client != "Acme" || len(got.Goals) != 1 {
		t.Errorf("got %+v", got)
	}
	r := f.srv.Request(0)
	if r.Stream || r.FormatType() != "json_schema" {
		t.Fatalf("stream=%v response_format=%q", r.Stream, r.FormatType())
	}
	var js struct {
		Name   string          `json:"name"`
		Schema json.RawMessage `json:"schema"`
	}
	if err := json.Unmarshal(r.ResponseFormat.JSONSchema, &js); err != nil {
		t.Fatal(err)
	}
	if js.Name != "interviewer" || !strings.Contains(string(js.Schema), `"goals"`) {
		t.Errorf("json_schema sent: %s", r.ResponseFormat.JSONSchema)
	}
}

func TestChatJSONSchemaFromStruct(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.JSON(facts{Client: "Acme"}))
	schema := map[string]any{"type": "object", "properties": map[string]any{"client": map[string]any{"type": "string"}}}
	var got facts
	if err := f.client.ChatJSON(context.Background(), jsonAsk(), schema, &got); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(f.srv.Request(0).ResponseFormat.JSONSchema), `"client"`) {
		t.Errorf("schema not sent: %s", f.srv.Request(0).ResponseFormat.JSONSchema)
	}
}

func TestChatJSONFallsBackAndRemembers(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(
		llmtest.ResponseFormatUnsupported(),
		llmtest.ResponseFormatUnsupported(),
		llmtest.Reply("Sure! Here it is:\n```json\n{\"client\": \"Acme\", \"goals\": [\"a {brace} in text\"]}\n```\nAnything else?"),
		llmtest.Reply(`{"client": "Beta", "goals": []}`),
	)
	var got facts
	if err := f.client.ChatJSON(context.Background(), jsonAsk(), factsSchema, &got); err != nil {
		t.Fatal(err)
	}
	if got.Client != "Acme" || got.Goals[0] != "a {brace} in text" {
		t.Errorf("got %+v", got)
	}
	want := []string{"json_schema", "json_object", ""}
	for i, w := range want {
		if r := f.srv.Request(i); r.FormatType() != w {
			t.Errorf("request %d response_format %q, want %q", i, r.FormatType(), w)
		}
	}
	// Below the schema level the model is told the schema in words.
	for _, i := range []int{1, 2} {
		if sys := f.srv.Request(i).Messages[0]; sys.Role != "system" || !strings.Contains(sys.Content, `"goals"`) ||
			!strings.HasPrefix(sys.Content, "You extract facts") {
			t.Errorf("request %d system message: %q", i, sys.Content)
		}
	}
	if n := len(f.srv.Request(2).Messages); n != 2 {
		t.Errorf("request 2 has %d messages; the instruction belongs in the system message", n)
	}

	// The next call goes straight to the level that worked.
	if err := f.client.ChatJSON(context.Background(), jsonAsk(), factsSchema, &got); err != nil {
		t.Fatal(err)
	}
	if f.srv.RequestCount() != 4 || f.srv.Request(3).FormatType() != "" || got.Client != "Beta" {
		t.Errorf("%d requests, last format %q, got %+v", f.srv.RequestCount(), f.srv.Request(3).FormatType(), got)
	}
	if len(f.waits.all()) != 0 {
		t.Errorf("waited %v; a format fallback is not a retry", f.waits.all())
	}
}

func TestChatJSONObjectModeMentionsJSON(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.JSON(map[string]string{"client": "Acme"}))
	var got facts
	if err := f.client.ChatJSON(context.Background(), jsonAsk(), nil, &got); err != nil {
		t.Fatal(err)
	}
	r := f.srv.Request(0)
	if r.FormatType() != "json_object" {
		t.Errorf("no schema should start at json_object, got %q", r.FormatType())
	}
	if !strings.Contains(strings.ToLower(r.Messages[0].Content), "json") {
		t.Errorf("OpenAI wants the word JSON in the messages for json_object: %q", r.Messages[0].Content)
	}
}

func TestChatJSONRepair(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.Reply(`{"client": "Acme", "goals": [}`), llmtest.JSON(facts{Client: "Acme", Goals: []string{}}))
	var got facts
	if err := f.client.ChatJSON(context.Background(), jsonAsk(), factsSchema, &got); err != nil {
		t.Fatal(err)
	}
	if got.Client != "Acme" {
		t.Errorf("got %+v", got)
	}
	r := f.srv.Request(1)
	n := len(r.Messages)
	if n != 4 || r.Messages[n-2].Role != "assistant" || r.Messages[n-2].Content != `{"client": "Acme", "goals": [}` {
		t.Fatalf("repair request messages: %+v", r.Messages)
	}
	if last := r.Messages[n-1]; last.Role != "user" || !strings.Contains(last.Content, "invalid character") {
		t.Errorf("repair note %q should name the parse error", last.Content)
	}
	if r.FormatType() != "json_schema" {
		t.Errorf("repair should keep the format level, got %q", r.FormatType())
	}
}

func TestChatJSONValidateFailureIsRepaired(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.JSON(facts{Client: ""}), llmtest.JSON(facts{Client: "Acme"}))
	var got facts
	if err := f.client.ChatJSON(context.Background(), jsonAsk(), factsSchema, &got); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.srv.Request(1).LastUser(), "client must not be empty") {
		t.Errorf("repair note %q", f.srv.Request(1).LastUser())
	}
}

func TestChatJSONInvalidTwice(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.Reply("I cannot do that."), llmtest.Reply(`{"client": 42}`))
	got := facts{Client: "unchanged"}
	err := f.client.ChatJSON(context.Background(), jsonAsk(), factsSchema, &got)
	if !errors.Is(err, llm.ErrInvalidReply) {
		t.Fatalf("err = %v, want ErrInvalidReply", err)
	}
	if e := classOf(t, err); !strings.Contains(e.Message, "test-model") || !strings.Contains(e.Message, "interviewer") {
		t.Errorf("message %q", e.Message)
	}
	if f.srv.RequestCount() != 2 || got.Client != "unchanged" {
		t.Errorf("%d requests; out = %+v (must be untouched)", f.srv.RequestCount(), got)
	}
}

func TestChatJSONInvalidSchemaIsNotAFallback(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.Status(400, "invalid_request_error", "",
		"Invalid schema for response_format 'interviewer': 'additionalProperties' is required to be supplied and to be false."))
	var got facts
	err := f.client.ChatJSON(context.Background(), jsonAsk(), factsSchema, &got)
	if e := classOf(t, err); e.Class != llm.ClassBadRequest || f.srv.RequestCount() != 1 {
		t.Errorf("%v after %d requests", e.Class, f.srv.RequestCount())
	}
}

func TestChatJSONErrorsPassThrough(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.Unauthorized())
	var got facts
	err := f.client.ChatJSON(context.Background(), jsonAsk(), factsSchema, &got)
	if e := classOf(t, err); e.Class != llm.ClassAuth {
		t.Errorf("%v", e.Class)
	}
}

func TestChatJSONNeedsPointer(t *testing.T) {
	f := newFixture(t, nil)
	var got facts
	if err := f.client.ChatJSON(context.Background(), jsonAsk(), nil, got); err == nil {
		t.Error("a non-pointer out should be refused")
	}
}

func TestExtractJSON(t *testing.T) {
	cases := []struct {
		in, want string
		bad      bool
	}{
		{in: `{"a":1}`, want: `{"a":1}`},
		{in: "```json\n{\"a\":1}\n```", want: `{"a":1}`},
		{in: "```\n{\"a\":1}\n```", want: `{"a":1}`},
		{in: "Here you go: {\"a\": {\"b\": \"}\"}} hope it helps {\"c\":2}", want: `{"a": {"b": "}"}}`},
		{in: "<think>maybe {\"no\":1}</think>\n{\"yes\":1}", want: `{"yes":1}`},
		{in: "no json here", bad: true},
		{in: "", bad: true},
		{in: `{"a": `, bad: true},
	}
	for _, tc := range cases {
		got, err := llm.ExtractJSON(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("ExtractJSON(%q) = %s, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || string(got) != tc.want {
			t.Errorf("ExtractJSON(%q) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
}

func TestChatJSONCheckFailureIsRepaired(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.JSON(facts{Client: "Umbrella"}), llmtest.JSON(facts{Client: "Acme"}))
	req := jsonAsk()
	req.Check = func(v any) error {
		if c := v.(*facts).Client; c != "Acme" {
			return errors.New("the answer names Acme, not " + c)
		}
		return nil
	}
	var got facts
	if err := f.client.ChatJSON(context.Background(), req, factsSchema, &got); err != nil {
		t.Fatal(err)
	}
	if got.Client != "Acme" || !strings.Contains(f.srv.Request(1).LastUser(), "the answer names Acme, not Umbrella") {
		t.Errorf("got %+v; repair note %q", got, f.srv.Request(1).LastUser())
	}
}

func TestChatJSONCheckFailsTwice(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.Script(llmtest.JSON(facts{Client: "Umbrella"}), llmtest.JSON(facts{Client: "Umbrella"}))
	req := jsonAsk()
	req.Check = func(any) error { return errors.New("wrong client") }
	got := facts{Client: "unchanged"}
	err := f.client.ChatJSON(context.Background(), req, factsSchema, &got)
	if !errors.Is(err, llm.ErrInvalidReply) || got.Client != "unchanged" {
		t.Fatalf("err = %v, out = %+v", err, got)
	}
}
