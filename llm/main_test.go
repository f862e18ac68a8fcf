package llm_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"propose/llm"
	"propose/llm/llmtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testKey is long and distinctive so any leak of it is easy to spot.
const testKey = "sk-test-SECRET-0123456789abcdefXYZ"

// waits records what the client asked to sleep, without sleeping.
type waits struct {
	mu sync.Mutex
	ds []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.ds = append(w.ds, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.ds...)
}

// fixture is a fake server and a client pointed at it.
type fixture struct {
	srv    *llmtest.Server
	client *llm.Client
	waits  *waits
	cfg    llm.Config
}

func newFixture(t *testing.T, edit func(*llm.Config), opts ...llm.Option) *fixture {
	t.Helper()
	t.Setenv("OPENAI_API_KEY", testKey)
	srv := llmtest.New(t)
	cfg := llm.Config{BaseURL: srv.URL(), Model: "test-model", Timeouts: llm.Timeouts{Idle: 5 * time.Second}}
	if edit != nil {
		edit(&cfg)
	}
	w := &waits{}
	opts = append([]llm.Option{llm.WithSleep(w.sleep), llm.WithRand(func() float64 { return 0.5 })}, opts...)
	c, err := llm.New(cfg, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.Close)
	return &fixture{srv: srv, client: c, waits: w, cfg: cfg}
}

func ask(text string) llm.Request {
	return llm.Request{Agent: llm.AgentDrafter, Messages: []llm.Message{llm.System("You draft proposals."), llm.User(text)}}
}

// classOf returns the class of err, failing the test if err is not an *llm.Error.
func classOf(t *testing.T, err error) *llm.Error {
	t.Helper()
	var e *llm.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *llm.Error", err, err)
	}
	return e
}
