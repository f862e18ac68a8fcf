package llm_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"propose/llm"
	"propose/llm/llmtest"
)

// everyFormat prints v every way a careless caller might.
func everyFormat(v any) string {
	var b strings.Builder
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x"} {
		fmt.Fprintf(&b, verb+"\n", v)
	}
	return b.String()
}

// errorChain prints an error and everything it wraps.
func errorChain(err error) string {
	var b strings.Builder
	for e := err; e != nil; e = errors.Unwrap(e) {
		b.WriteString(everyFormat(e))
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, inner := range j.Unwrap() {
				b.WriteString(errorChain(inner))
			}
		}
	}
	return b.String()
}

func TestKeyNeverAppears(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := newFixture(t, nil, llm.WithLogger(logger))
	f.srv.Script(
		llmtest.Unauthorized(), // quotes the key back in full
		llmtest.StreamError("", "invalid_request_error", "", "bad key {key}"),
		llmtest.StreamError("", "invalid_request_error", "", "bad key {key}"),
		llmtest.StreamError("", "invalid_request_error", "", "bad key {key}"),
		llmtest.Status(400, "invalid_request_error", "", "").RawBody("key was "+testKey),
		llmtest.Reply("the key is "+testKey),
	)
	ctx := context.Background()
	var out strings.Builder

	_, err := f.client.Chat(ctx, ask("x"))
	if classOf(t, err).Class != llm.ClassAuth {
		t.Fatalf("err = %v", err)
	}
	out.WriteString(errorChain(err))
	out.WriteString(everyFormat(llm.Classify(err)))

	_, err = f.client.Stream(ctx, ask("x"), nil)
	if err == nil {
		t.Fatal("want an error from the stream")
	}
	out.WriteString(errorChain(err))

	_, err = f.client.Chat(ctx, ask("x"))
	if classOf(t, err).Class != llm.ClassBadRequest {
		t.Fatalf("err = %v", err)
	}
	out.WriteString(errorChain(err))

	resp, err := f.client.Chat(ctx, ask("x"))
	if err != nil {
		t.Fatal(err)
	}
	out.WriteString(resp.Text)

	cfg := f.client.Config()
	out.WriteString(everyFormat(cfg))
	out.WriteString(everyFormat(&cfg))
	out.WriteString(everyFormat(f.client))
	out.WriteString(cfg.Describe(llm.AgentDrafter))
	out.WriteString(f.client.Describe(llm.AgentReviewer))
	logger.Info("config", "cfg", cfg, "client", f.client)
	out.WriteString(logs.String())

	if strings.Contains(out.String(), testKey) {
		t.Errorf("the key leaked:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "[redacted]") {
		t.Error("expected the echoed key to show as [redacted]")
	}
	if !strings.Contains(logs.String(), "llm retry") {
		t.Error("expected the retries to be logged")
	}
}

func TestClassifyPlainErrors(t *testing.T) {
	if llm.Classify(nil) != nil {
		t.Error("Classify(nil) must be nil")
	}
	if e := llm.Classify(context.Canceled); e.Class != llm.ClassCanceled || !errors.Is(e, context.Canceled) {
		t.Errorf("%v", e.Class)
	}
	if e := llm.Classify(context.DeadlineExceeded); e.Class != llm.ClassTimeout {
		t.Errorf("%v", e.Class)
	}
	orig := &llm.Error{Class: llm.ClassQuota, Message: "m"}
	if llm.Classify(fmt.Errorf("wrapped: %w", orig)) != orig {
		t.Error("an *Error must come back unchanged")
	}
	if e := llm.Classify(errors.New("weird")); e.Class != llm.ClassInternal {
		t.Errorf("%v", e.Class)
	}
}
