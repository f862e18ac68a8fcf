// Package llm is the only door to a language model: an OpenAI-compatible
// client (OpenAI itself, Ollama, llama.cpp, vLLM, LM Studio) with streaming,
// an idle watchdog, retries before the first token, typed error classes with
// plain-language messages, JSON replies with fallbacks and one repair, and
// token accounting per agent. It imports nothing else of propose's.
//
// The API key lives only in the environment and inside a Client; it never
// appears in a Config, an error, a log line or any formatted value.
package llm
