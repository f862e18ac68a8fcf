package llm

import (
	"context"
	"fmt"
	"time"
)

// Backoff: full jitter over an exponential ceiling (500ms, 1s, 2s, ... 8s). A
// Retry-After from the server is honoured as given, up to maxRetryAfter;
// beyond that the error goes back to the user with RetryAfter set, because
// sitting silently for minutes is worse than saying "try again in 5 minutes".
const (
	backoffBase   = 500 * time.Millisecond
	backoffCap    = 8 * time.Second
	maxRetryAfter = 60 * time.Second
)

// RetryInfo describes a wait before the next attempt, for the status bar.
type RetryInfo struct {
	Agent       string
	Attempt     int           // the attempt about to start: 2 for the first retry
	MaxAttempts int           // the most attempts that will be made
	Wait        time.Duration // how long the client waits first
	Err         *Error        // why the previous attempt failed
}

// Reason says in a few words why the last attempt failed: "rate limited",
// "server error", "connection failed", "timed out", "empty reply".
func (r RetryInfo) Reason() string {
	if r.Err != nil {
		switch r.Err.Class {
		case ClassRateLimit:
			return "rate limited"
		case ClassServer:
			return "server error"
		case ClassConnection:
			return "connection failed"
		case ClassTimeout:
			return "timed out"
		case ClassTruncated:
			return "empty reply"
		}
	}
	return "request failed"
}

// String reads like "rate limited, retrying in 4s (2/3)".
func (r RetryInfo) String() string {
	return fmt.Sprintf("%s, retrying in %s (%d/%d)", r.Reason(), roundWait(r.Wait), r.Attempt, r.MaxAttempts)
}

func roundWait(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(time.Second)
	}
	return d.Round(100 * time.Millisecond)
}

// backoff is the wait before attempt n+1 after attempt n failed.
func (c *Client) backoff(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return retryAfter
	}
	ceiling := backoffBase << (n - 1)
	if ceiling > backoffCap || ceiling <= 0 {
		ceiling = backoffCap
	}
	return time.Duration(c.random() * float64(ceiling))
}

func (c *Client) random() float64 {
	c.randMu.Lock()
	defer c.randMu.Unlock()
	f := c.rand()
	if f < 0 || f >= 1 {
		f = 0.5
	}
	return f
}

// attemptFunc makes one attempt. started reports that part of the reply has
// already reached the caller, after which nothing is retried.
type attemptFunc func(ctx context.Context) (resp Response, started bool, err *Error)

// withRetry runs fn up to MaxAttempts times, waiting between attempts, and
// retries only errors marked retryable and only before the first token.
func (c *Client) withRetry(ctx context.Context, req Request, fn attemptFunc) (Response, error) {
	maxAttempts := c.cfg.MaxAttempts
	for n := 1; ; n++ {
		resp, started, e := fn(ctx)
		resp.Attempts = n
		if e == nil {
			return resp, nil
		}
		if started || !e.retry || n >= maxAttempts || e.RetryAfter > maxRetryAfter {
			return resp, e
		}
		wait := c.backoff(n, e.RetryAfter)
		if dl, ok := ctx.Deadline(); ok && c.now().Add(wait).After(dl) {
			return resp, e
		}
		info := RetryInfo{Agent: req.Agent, Attempt: n + 1, MaxAttempts: maxAttempts, Wait: wait, Err: e}
		c.log.Info("llm retry", "agent", req.Agent, "class", e.Class.String(), "status", e.Status,
			"attempt", n+1, "max", maxAttempts, "wait", wait)
		c.notifyRetry(req, info)
		if err := c.sleep(ctx, wait); err != nil {
			if ctx.Err() != nil {
				return resp, c.ctxError(ctx)
			}
			return resp, canceledError(err)
		}
	}
}

func (c *Client) notifyRetry(req Request, info RetryInfo) {
	if req.OnRetry != nil {
		req.OnRetry(info)
	}
	if c.onRetry != nil {
		c.onRetry(info)
	}
}

// sleepCtx waits for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
