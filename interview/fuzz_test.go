package interview

import (
	"encoding/json"
	"testing"
	"time"

	"propose/proposal"
)

// FuzzDecodeSession feeds arbitrary bytes to the session file decoder: it
// must never panic, and whatever it accepts must save and load again as the
// same session.
func FuzzDecodeSession(f *testing.F) {
	// A small seed: the fuzzer minimises what it finds, and a big one makes
	// that crawl.
	s := &Session{SchemaVersion: SchemaVersion, ID: "abc12345", Template: "consulting",
		Facts: map[string]proposal.Fact{"title": {Field: "title", Value: "T", Turn: 1}}}
	s.Turns = []Turn{{N: 1, Field: "title", Question: "Title?", Answer: "x", Kind: Answered, At: time.Unix(5, 0).UTC()}}
	s.Pending = &Question{Field: "client", Text: "Client?"}
	good, _ := json.Marshal(s)
	f.Add(good)
	f.Add([]byte(`{"schema_version":1,"id":"a","template":"consulting"}`))
	f.Add([]byte(`{"schema_version":0}`))
	f.Add([]byte(`{"schema_version":99,"id":"abc","template":"x","facts":null}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := decodeSession(data)
		if err != nil {
			return
		}
		if l.Facts == nil || l.Skipped == nil || l.FollowedUp == nil {
			t.Fatal("accepted session has nil maps")
		}
		if l.SchemaVersion > SchemaVersion {
			return // opens read-only; never saved
		}
		// Saving writes json.MarshalIndent of the session; reading it back
		// must give the same session (the disk part is tested elsewhere).
		data2, err := json.MarshalIndent(&l.Session, "", "  ")
		if err != nil {
			t.Fatalf("accepted session does not encode: %v", err)
		}
		back, err := decodeSession(data2)
		if err != nil {
			t.Fatalf("saved session does not load: %v", err)
		}
		a, _ := json.Marshal(back)
		b, _ := json.Marshal(&l.Session)
		if string(a) != string(b) {
			t.Fatalf("round trip changed the session:\n%s\n%s", a, b)
		}
	})
}
