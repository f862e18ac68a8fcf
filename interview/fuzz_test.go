package interview

import (
	"encoding/json"
	"testing"
	"time"
)

// FuzzDecodeSession feeds arbitrary bytes to the session file decoder: it
// must never panic, and whatever it accepts must save and load again as the
// same session.
func FuzzDecodeSession(f *testing.F) {
	s := testSession("abc12345", 3)
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
		st, err := OpenStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Save(&l.Session); err != nil {
			t.Fatalf("accepted session does not save: %v", err)
		}
		back, _, err := st.Load(l.ID)
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
