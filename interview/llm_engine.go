package interview

import (
	"sync"

	"propose/llm"
	"propose/proposal"
)

// RetryReporter passes an LLM client's retry waits on to the engine as
// RetryEvents, so the status bar can show them. The client is made before
// the engine, so the reporter is given to the client first (llm.WithOnRetry
// with Report) and attached to the engine when it opens (LLMConfig does it).
type RetryReporter struct {
	mu   sync.Mutex
	post func(Event)
}

// Report posts a retry wait to the attached engine, if any.
func (r *RetryReporter) Report(ri llm.RetryInfo) {
	r.mu.Lock()
	post := r.post
	r.mu.Unlock()
	if post != nil {
		post(RetryEvent{Agent: ri.Agent, Attempt: ri.Attempt, Max: ri.MaxAttempts, Wait: ri.Wait, Reason: ri.Reason()})
	}
}

func (r *RetryReporter) attach(post func(Event)) {
	r.mu.Lock()
	r.post = post
	r.mu.Unlock()
}

// LLMConfig is the engine configuration for the LLM engine on client: the
// three LLM agents, the model named for the status bar, the client's token
// counts saved with the session, and retry waits and plain failures posted
// as events once the engine is open. retries may be nil.
func LLMConfig(client *llm.Client, retries *RetryReporter) Config {
	lim := client.Config().Limits
	iv := &LLMInterviewer{Client: client, MaxFactBytes: lim.FactBytes}
	return Config{
		Interviewer: iv,
		Drafter:     &proposal.LLMDrafter{Client: client, MaxBytes: lim.SectionBytes},
		Reviewer:    &proposal.LLMReviewer{Client: client},
		EngineName:  "llm",
		Model:       DescribeModels(client.Config()),
		Usage:       func() map[string]Usage { return usageOf(client.Usage()) },
		Attach: func(e *Engine) {
			iv.SetPost(e.Post)
			iv.SetOnOff(e.Degrade)
			if retries != nil {
				retries.attach(e.Post)
			}
		},
	}
}

// DescribeModels names the model (or the model of each agent) and the
// server, for the status bar: "gpt-4o-mini via api.openai.com".
func DescribeModels(c llm.Config) string {
	iv, dr, rv := c.ModelFor(llm.AgentInterviewer), c.ModelFor(llm.AgentDrafter), c.ModelFor(llm.AgentReviewer)
	if iv == dr && dr == rv {
		return c.Describe(llm.AgentInterviewer)
	}
	return "interviewer " + iv + ", drafter " + dr + ", reviewer " + rv + " via " + c.Host()
}

func usageOf(u llm.UsageByAgent) map[string]Usage {
	out := make(map[string]Usage, len(u))
	for agent, v := range u {
		out[agent] = Usage{PromptTokens: v.PromptTokens, CompletionTokens: v.CompletionTokens, Estimated: v.Estimated}
	}
	return out
}
