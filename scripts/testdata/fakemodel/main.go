// Command fakemodel serves llm/llmtest's fake OpenAI-compatible server on
// 127.0.0.1 in one misbehaving mode, for scripts/model-modes: it prints the
// base URL on its first line and serves until stdin closes or it is killed.
//
//	fakemodel MODE [KEY]
//
// Modes: ok, figures (the drafter writes its own total and date), fail500,
// cut (every stream cut), badreviewer (the reviewer's reply is not JSON),
// oneslot (one request at a time, each slow to begin), keyecho (the key
// echoed across two chunks), huge (a 2 MB section), stall (streams hang
// mid-reply), unauthorized (401 for everything).
package main

import (
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"propose/llm/llmtest"
)

// tb lets llmtest run outside a test: its failures are logged.
type tb struct{ testing.TB }

func (tb) Helper()                           {}
func (tb) Cleanup(func())                    {}
func (tb) Errorf(format string, args ...any) { log.Printf(format, args...) }
func (tb) Fatalf(format string, args ...any) { log.Fatalf(format, args...) }

const prose = "We set out below what this part of the work involves."

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: fakemodel MODE [KEY]")
	}
	mode, key := os.Args[1], ""
	if len(os.Args) > 2 {
		key = os.Args[2]
	}
	srv := llmtest.New(tb{})
	var inFlight atomic.Int32
	review := func(x *llmtest.Exchange) { llmtest.JSON(map[string]any{"findings": []any{}}).Serve(x) }
	srv.Otherwise(llmtest.StepFunc(func(x *llmtest.Exchange) {
		switch mode {
		case "unauthorized":
			llmtest.Unauthorized().Serve(x)
			return
		case "fail500":
			llmtest.ServerError().Serve(x)
			return
		}
		if !x.Req.Stream {
			if mode == "badreviewer" {
				llmtest.Reply("The proposal looks fine to me!").Serve(x)
				return
			}
			review(x)
			return
		}
		switch mode {
		case "figures":
			llmtest.Reply("The total investment is €150.000, all due on 1 March 2027.").Serve(x)
		case "cut":
			llmtest.Drop("We propose ").Serve(x)
		case "oneslot":
			if inFlight.Add(1) > 1 {
				log.Printf("fakemodel: two requests at once on a one-slot server")
				os.Exit(3)
			}
			x.StartStream()
			x.Sleep(150 * time.Millisecond)
			x.ContentChunk(prose)
			inFlight.Add(-1)
			x.FinishChunk("stop")
			x.Done()
		case "keyecho":
			half := len(key) / 2
			x.StartStream()
			x.ContentChunk("We checked your access with " + key[:half])
			x.ContentChunk(key[half:] + " and " + strings.ToLower(prose[:1]) + prose[1:])
			x.FinishChunk("stop")
			x.Done()
		case "huge":
			llmtest.Reply(strings.Repeat("We propose a thorough review. ", 2<<20/30)).Chunk(8192).Serve(x)
		case "stall":
			x.StartStream()
			x.ContentChunk("We begin")
			x.Hang()
		default:
			llmtest.Reply(prose).Serve(x)
		}
	}))
	fmt.Println(srv.URL())
	io.Copy(io.Discard, os.Stdin)
	srv.Close()
}
