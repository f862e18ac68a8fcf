package interview

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"propose/proposal"
	"propose/templates"
)

func consulting(t testing.TB) *templates.Template {
	t.Helper()
	set, errs := templates.Load(t.TempDir())
	if len(errs) > 0 {
		t.Fatalf("templates: %v", errs)
	}
	tm, _ := set.Get("consulting")
	return tm
}

var clock = func() time.Time { return time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC) }

func newEngine(t *testing.T) (*Engine, *Store) {
	t.Helper()
	st := openTestStore(t)
	tm := consulting(t)
	s := NewSession(tm, clock())
	lock, err := st.Lock(s.ID)
	if err != nil {
		t.Fatal(err)
	}
	e := Open(tm, s, Config{Store: st, Lock: lock, Now: clock})
	t.Cleanup(func() { e.Close() })
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e, st
}

func answer(t *testing.T, e *Engine, text string) *Question {
	t.Helper()
	q, err := moved(e, e.Answer(context.Background(), text))
	if err != nil {
		t.Fatalf("answer %q: %v", text, err)
	}
	return q
}

func TestWalkAsksInTemplateOrder(t *testing.T) {
	e, _ := newEngine(t)
	tm := e.Template()
	var fields []string
	for _, s := range tm.Sections {
		for _, f := range s.Fields {
			fields = append(fields, f.ID)
		}
	}
	q := e.View().Question
	for i, want := range fields {
		if q != nil && q.FollowUp {
			q = skip(t, e)
		}
		if q == nil || q.Field != want {
			t.Fatalf("question %d is %+v, want %s (the template's order)", i, q, want)
		}
		if q.Text == "" || q.Why == "" || q.Example == "" {
			t.Errorf("question %s lacks text, why or example: %+v", want, q)
		}
		ans := "An answer for " + want
		switch want {
		case "measures":
			ans = "DSO below 40 by September 2027"
		case "fees":
			ans = "Diagnose: €24.000"
		case "start", "date":
			ans = "2027-02-01"
		case "milestones":
			ans = "2027-03-01: Diagnosis done"
		case "options":
			ans = "Core: diagnose and design: €24.000"
		}
		if _, fl := tm.Field(want); fl != nil && len(fl.Choices) > 0 {
			ans = fl.Choices[0]
		}
		q = answer(t, e, ans)
	}
	if q != nil && !q.FollowUp {
		t.Fatalf("after every question: %+v, want the end", q)
	}
}

func skip(t *testing.T, e *Engine) *Question {
	t.Helper()
	q, err := moved(e, e.Skip(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestFollowUpOnWeakMeasureOnlyOnce(t *testing.T) {
	e, _ := newEngine(t)
	if err := e.Edit("measures"); err != nil {
		t.Fatal(err)
	}
	q := answer(t, e, "Happier customers\nFaster close")
	if q == nil || !q.FollowUp || q.Field != "measures" || !strings.Contains(q.Text, "number") {
		t.Fatalf("no follow-up on a measure with no number: %+v", q)
	}
	if q.Prefill != "Happier customers\nFaster close" {
		t.Errorf("follow-up does not offer the answer for editing: %q", q.Prefill)
	}
	q = answer(t, e, "Happier customers\nFaster close")
	if q != nil && q.Field == "measures" {
		t.Fatalf("second follow-up on the same field: %+v", q)
	}
}

func TestFollowUpOnFeeWithoutAmount(t *testing.T) {
	e, _ := newEngine(t)
	e.Edit("fees")
	q := answer(t, e, "Diagnose: €24.000\nWorkshops")
	if q == nil || !q.FollowUp || !strings.Contains(q.Text, "Workshops") {
		t.Fatalf("no follow-up for the unpriced line: %+v", q)
	}
	q = answer(t, e, "Diagnose: €24.000\nWorkshops: €6.000")
	if q != nil && q.Field == "fees" {
		t.Fatalf("asked about fees again: %+v", q)
	}
	if got := e.Facts().Value("fees"); !strings.Contains(got, "€6.000") {
		t.Errorf("follow-up answer not recorded: %q", got)
	}
}

func TestSkipBackEditAssume(t *testing.T) {
	e, st := newEngine(t)
	first := e.View().Question.Field
	answer(t, e, "Order-to-Cash Turnaround")
	second := e.View().Question.Field
	q, err := moved(e, e.Skip(context.Background()))
	if err != nil || q.Field == second {
		t.Fatalf("skip stayed on %s: %+v %v", second, q, err)
	}
	// Back goes to the skipped question, then to the first.
	q, _ = moved(e, e.Back())
	if q.Field != second {
		t.Fatalf("back went to %s, want %s", q.Field, second)
	}
	q, _ = moved(e, e.Back())
	if q.Field != first || q.Prefill != "Order-to-Cash Turnaround" {
		t.Fatalf("back went to %+v, want %s with its answer", q, first)
	}
	answer(t, e, "Order-to-Cash Turnaround, revised")
	if got := e.Facts().Value(first); got != "Order-to-Cash Turnaround, revised" {
		t.Errorf("edited answer = %q", got)
	}
	// An assumption is recorded as assumed and drafted as one.
	e.Edit("validity")
	if err := e.Assume(context.Background()); err != nil {
		t.Fatal(err)
	}
	f := e.Facts()["validity"]
	if f.Origin != proposal.Assumed || f.Value == "" || f.Turn == 0 {
		t.Fatalf("assumed fact = %+v", f)
	}
	e.Wait()
	if md := e.Markdown(); !strings.Contains(md, proposal.AssumptionMark) {
		t.Errorf("assumption not visible in the draft:\n%s", md)
	}
	// Everything is on disk.
	if err := e.WaitIdle(context.Background()); err != nil {
		t.Fatal(err)
	}
	s, _, err := st.Load(e.Info().ID)
	if err != nil {
		t.Fatal(err)
	}
	if s.Facts["validity"].Origin != proposal.Assumed || len(s.Turns) != 4 {
		t.Errorf("saved session: %d turns, facts %+v", len(s.Turns), s.Facts)
	}
}

func TestAnswerIsSavedBeforeNextQuestionAndResumes(t *testing.T) {
	e, st := newEngine(t)
	answer(t, e, "Order-to-Cash Turnaround")
	q := answer(t, e, "Acme Components Ltd")
	id := e.Info().ID
	if err := e.WaitIdle(context.Background()); err != nil { // the save is written off the lock
		t.Fatal(err)
	}
	s, _, err := st.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	if s.Facts.Value("client") != "Acme Components Ltd" || s.Pending == nil || s.Pending.Field != q.Field {
		t.Fatalf("saved: client %q pending %+v, want pending %s", s.Facts.Value("client"), s.Pending, q.Field)
	}
	draft := e.View().Draft
	e.Close()

	// Resume: same question, same draft.
	lock, err := st.Lock(id)
	if err != nil {
		t.Fatal(err)
	}
	s, _, _ = st.Load(id)
	e2 := Open(consulting(t), s, Config{Store: st, Lock: lock, Now: clock})
	defer e2.Close()
	e2.Start(context.Background())
	if e2.View().Question.Field != q.Field {
		t.Errorf("resumed at %s, want %s", e2.View().Question.Field, q.Field)
	}
	e2.Wait()
	if got := e2.View().Draft; proposal.Body(got) != proposal.Body(draft) {
		t.Errorf("draft changed on resume")
	}
}

func TestOnlyChangedSectionsAreRedrafted(t *testing.T) {
	e, _ := newEngine(t)
	e.Edit("situation")
	answer(t, e, "Order to cash grew from 38 to 61 days.")
	e.Wait()
	before := e.View().Draft
	e.Edit("fees")
	answer(t, e, "Diagnose: €24.000")
	e.Wait()
	after := e.View().Draft
	if before.Section("situation").Inputs != after.Section("situation").Inputs {
		t.Error("situation redrafted though its facts did not change")
	}
	inv := after.Section("investment")
	if inv.Body == "" || !strings.Contains(inv.Body, "€24,000") {
		t.Errorf("investment not drafted: %q", inv.Body)
	}
	found := false
	for _, f := range inv.Fields {
		found = found || f == "fees"
	}
	if !found {
		t.Errorf("investment does not record that fees fed it: %v", inv.Fields)
	}
}

func TestSaveFailureKeepsWorkAndIsReported(t *testing.T) {
	st := openTestStore(t)
	tm := consulting(t)
	s := NewSession(tm, clock())
	fl := &failingLayer{fail: true}
	e := Open(tm, s, Config{Store: st.WithFileLayer(fl), Now: clock, Events: true})
	defer e.Close()
	e.Start(context.Background())
	if err := e.Answer(context.Background(), "A title"); err != nil {
		t.Fatal(err)
	}
	if err := e.WaitIdle(context.Background()); err != nil {
		t.Fatal(err)
	}
	sawFailure := false
	for len(e.Events()) > 0 {
		if c, ok := (<-e.Events()).(ChangedEvent); ok && c.View.SaveErr != nil {
			sawFailure = strings.Contains(c.View.SaveErr.Error(), "disk is full")
		}
	}
	if !sawFailure {
		t.Fatal("the user was not told the save failed")
	}
	if e.Facts().Value("title") != "A title" || !e.Info().Dirty {
		t.Fatal("work lost from memory after a failed save")
	}
	fl.fail = false
	if err := e.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(st.Dir(), s.ID+".json")); err != nil {
		t.Fatal("later save did not write the file")
	}
}

func TestDefaultIsOfferedForEditing(t *testing.T) {
	e, _ := newEngine(t)
	q, err := moved(e, e.Edit("date"))
	if err != nil {
		t.Fatal(err)
	}
	if q.Prefill != "11 January 2027" {
		t.Fatalf("date question offers %q, want today's date to accept with Enter", q.Prefill)
	}
	answer(t, e, q.Prefill)
	if got := e.Facts().Value("date"); got != "11 January 2027" {
		t.Errorf("date = %q", got)
	}
}

// moved is the question a command led to, read from the engine after it:
// commands return only an error.
func moved(e *Engine, err error) (*Question, error) { return e.View().Question, err }
