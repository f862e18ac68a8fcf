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

// TestHundredCancelledStreams cancels 100 streams at different points (while
// waiting for headers, mid-stream, while stalled) and checks that each returns
// promptly and nothing is left running afterwards.
func TestHundredCancelledStreams(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", testKey)
	srv := llmtest.New(t)
	srv.Otherwise(llmtest.StepFunc(func(x *llmtest.Exchange) {
		switch x.Index % 3 {
		case 0:
			x.Hang() // no headers yet
		case 1:
			llmtest.Reply("one two three four five six").Chunk(3).StallAfter(2).Serve(x)
		default:
			llmtest.Reply("slow and steady wins the race").Chunk(1).Delay(5 * time.Millisecond).Serve(x)
		}
	}))
	c, err := llm.New(llm.Config{BaseURL: srv.URL(), Model: "m", Timeouts: llm.Timeouts{Idle: 10 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var once sync.Once
			afterFirst := func(string) { once.Do(func() { time.AfterFunc(time.Duration(i%7)*time.Millisecond, cancel) }) }
			// Whatever the server does with this request, cancel within 45ms.
			stop := time.AfterFunc(time.Duration(5+i%40)*time.Millisecond, cancel)
			defer stop.Stop()
			start := time.Now()
			_, err := c.Stream(ctx, ask("x"), afterFirst)
			if err == nil {
				errs <- errors.New("a cancelled stream returned no error")
				return
			}
			if !errors.Is(err, llm.ErrCanceled) {
				errs <- err
				return
			}
			if time.Since(start) > 5*time.Second { // loose: other test suites may share the CPU
				errs <- errors.New("a cancelled stream took more than 5s")
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	c.Close()
	srv.Close()
	goleak.VerifyNone(t)
}
