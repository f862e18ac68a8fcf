package llmtest_test

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"

	"propose/llm/llmtest"
)

func post(t *testing.T, url, body string) *http.Response {
	t.Helper()
	resp, err := http.Post(url+"/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestStreamIsRealSSE(t *testing.T) {
	srv := llmtest.New(t)
	srv.Script(llmtest.Reply("héllo wörld").Chunk(4).Comments(2).Usage(3, 4))
	resp := post(t, srv.URL(), `{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}`)
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	var data []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "", strings.HasPrefix(line, ": "):
		case strings.HasPrefix(line, "data: "):
			data = append(data, strings.TrimPrefix(line, "data: "))
		default:
			t.Errorf("unexpected line %q", line)
		}
	}
	// role, 3 content chunks (4 runes each, UTF-8 intact), finish, usage, [DONE]
	if len(data) != 7 || data[6] != "[DONE]" {
		t.Fatalf("events: %q", data)
	}
	if !strings.Contains(data[1], `"content":"héll"`) || !strings.Contains(data[4], `"finish_reason":"stop"`) ||
		!strings.Contains(data[5], `"prompt_tokens":3`) || !strings.Contains(data[5], `"choices":[]`) {
		t.Errorf("events: %q", data)
	}
	r := srv.Request(0)
	if !r.Stream || !r.IncludeUsage() || r.Model != "m" || r.LastUser() != "hi" || r.PromptChars() != 2 {
		t.Errorf("recorded %+v", r)
	}
}

func TestNonStreamedReply(t *testing.T) {
	srv := llmtest.New(t)
	srv.Script(llmtest.JSON(map[string]int{"a": 1}))
	resp := post(t, srv.URL(), `{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"parts"}]}],"response_format":{"type":"json_object"}}`)
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"content":"{\"a\":1}"`) || !strings.Contains(string(b), `"usage"`) {
		t.Errorf("%d %s", resp.StatusCode, b)
	}
	if r := srv.Request(0); r.FormatType() != "json_object" || r.LastUser() != "parts" {
		t.Errorf("recorded %+v", r)
	}
}

func TestErrorSteps(t *testing.T) {
	srv := llmtest.New(t)
	srv.Script(llmtest.RateLimited("3"), llmtest.ModelNotFound())
	resp := post(t, srv.URL(), `{"model":"m","messages":[]}`)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "3" {
		t.Errorf("%d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	resp = post(t, srv.URL(), `{"model":"gpt-9","messages":[]}`)
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 404 || !strings.Contains(string(b), "gpt-9") || !strings.Contains(string(b), "model_not_found") {
		t.Errorf("%d %s", resp.StatusCode, b)
	}
}

func TestOtherwiseAndPaths(t *testing.T) {
	srv := llmtest.New(t)
	srv.Otherwise(llmtest.Echo())
	resp := post(t, srv.URL(), `{"model":"m","messages":[{"role":"user","content":"echo me"}]}`)
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), "echo me") {
		t.Errorf("%s", b)
	}
	r, err := http.Get(srv.URL() + "/models")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 404 || srv.RequestCount() != 1 {
		t.Errorf("GET /models: %d, %d recorded", r.StatusCode, srv.RequestCount())
	}
}
