package interview

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"propose/proposal"
)

// benchSession is a session at the end of a long interview: 30 turns on the
// example answers (every field once, then follow-ups), the facts they
// established, a 40-page draft (about 20,000 words of Markdown with lists and
// tables), a review and token usage.
func benchSession(tb testing.TB) *Session {
	tb.Helper()
	tm := consulting(tb)
	ans := exampleAnswers(tb)
	s := NewSession(tm, clock())
	s.ID = "be4c5e55"
	s.Engine = "llm"
	at := clock()
	for n := 1; n <= 30; n++ {
		field := ans.Order[(n-1)%len(ans.Order)]
		q := QuestionFor(tm, s.Facts, field)
		text := field
		if q != nil {
			text = q.Text
		}
		at = at.Add(90 * time.Second)
		s.Turns = append(s.Turns, Turn{N: n, Field: field, Question: text, Answer: ans.Values[field],
			Kind: Answered, FollowUp: n > len(ans.Order), At: at})
		s.Facts[field] = proposal.Fact{Field: field, Value: ans.Values[field], Origin: proposal.Stated, Turn: n, At: at}
	}
	words := 0
	for i := range s.Draft.Sections {
		var b strings.Builder
		for p := 0; words < (i+1)*20000/len(s.Draft.Sections); p++ {
			fmt.Fprintf(&b, "Paragraph %d of %s. The client ships fourteen thousand orders a month from two plants, "+
				"and the time from order to cash has grown from 38 to 61 days since the ERP migration; "+
				"each week of delay ties up about €80,000 of working capital that the business needs elsewhere. "+
				"We will trace orders end to end, agree new rules with the process owners and embed them.\n\n", p, s.Draft.Sections[i].Title)
			words += 60
			if p%6 == 5 {
				b.WriteString("- First point with a number: 12%\n- Second point, due 2027-03-01\n- Third point at €4.500\n\n")
				b.WriteString("| Option | Scope | Investment |\n|---|---|---|\n| A | Diagnose | €24.000 |\n| B | Redesign | €52.000 |\n\n")
				words += 40
			}
		}
		s.Draft.Sections[i].Body = strings.TrimSpace(b.String())
		s.Draft.Sections[i].Fields = []string{"client", "title"}
		s.Draft.Sections[i].Inputs = fmt.Sprintf("%064x", i)
	}
	s.Findings = []proposal.Finding{
		{Rule: "unmeasurable-success", Severity: proposal.Warning, Section: "measures", Field: "measures", Message: "\"Happier customers\" has no number, percentage, amount or date to check it against.", Source: "rules"},
		{Rule: "llm-review", Severity: proposal.Suggestion, Section: "value", Message: "Say what the working capital released is worth a year.", Source: "llm"},
	}
	s.Reviewed = at
	s.Usage = map[string]Usage{"interviewer": {PromptTokens: 17783, CompletionTokens: 2400},
		"drafter": {PromptTokens: 61000, CompletionTokens: 27000}, "reviewer": {PromptTokens: 28000, CompletionTokens: 900}}
	s.Updated = at
	return s
}

func benchStore(b *testing.B) *Store {
	st, err := OpenStore(filepath.Join(b.TempDir(), "sessions"))
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// sessionFileSize reports the size of the saved session file.
func sessionFileSize(b *testing.B, st *Store, id string) {
	fi, err := os.Stat(st.path(id))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(fi.Size()), "bytes/file")
}

// BenchmarkSessionSave is one atomic save of a 30-turn session with a
// 40-page draft, as the engine does after every answer: encode, write a
// temporary file, fsync, keep the .bak, rename, fsync the folder.
func BenchmarkSessionSave(b *testing.B) {
	st := benchStore(b)
	s := benchSession(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := st.Save(s); err != nil {
			b.Fatal(err)
		}
	}
	sessionFileSize(b, st, s.ID)
}

// BenchmarkSessionLoad is one load of that session, as resuming does: read,
// check the schema version, decode.
func BenchmarkSessionLoad(b *testing.B) {
	st := benchStore(b)
	s := benchSession(b)
	if err := st.Save(s); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		got, info, err := st.Load(s.ID)
		if err != nil || info.Recovered || len(got.Turns) != 30 || len(got.Draft.Sections) != len(s.Draft.Sections) {
			b.Fatalf("load: %v %+v", err, info)
		}
	}
	sessionFileSize(b, st, s.ID)
}

// listSessions is how many sessions BenchmarkList1000 lists: years of work.
const listSessions = 1000

// BenchmarkList1000 lists a folder of 1,000 sessions, each a 30-turn
// interview with a 40-page draft, as propose list and the session picker
// do. The files are copies of one saved session with their own ids.
func BenchmarkList1000(b *testing.B) {
	st := benchStore(b)
	s := benchSession(b)
	if err := st.Save(s); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(st.path(s.ID))
	if err != nil {
		b.Fatal(err)
	}
	if err := os.Remove(st.path(s.ID)); err != nil {
		b.Fatal(err)
	}
	idField := `"id": "` + s.ID + `"`
	for i := 0; i < listSessions; i++ {
		id := fmt.Sprintf("%08x", 0x10000000+i)
		copy := strings.Replace(string(data), idField, `"id": "`+id+`"`, 1)
		if err := os.WriteFile(st.path(id), []byte(copy), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		list, err := st.List()
		if err != nil || len(list) != listSessions || list[0].Damaged || list[0].Title != "Order-to-Cash Turnaround" {
			b.Fatalf("list: %d sessions, %v", len(list), err)
		}
	}
	b.ReportMetric(float64(len(data)), "bytes/file")
}
