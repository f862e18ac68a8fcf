package interview

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gofrs/flock"
)

// Head is what the session list shows of a session. It is saved near the top
// of the file, so that listing a thousand sessions reads a few hundred bytes
// of each rather than every draft.
type Head struct {
	Title    string `json:"title"`
	Client   string `json:"client,omitempty"`
	Answered int    `json:"answered"`
	Turns    int    `json:"turns"`
}

func (s *Session) head() *Head {
	answered := 0
	for _, f := range s.Facts {
		if strings.TrimSpace(f.Value) != "" {
			answered++
		}
	}
	return &Head{Title: s.Title(), Client: s.Client(), Answered: answered, Turns: len(s.Turns)}
}

// Summary is one line of the session list.
type Summary struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Client   string    `json:"client"`
	Template string    `json:"template"`
	Answered int       `json:"answered"`
	Turns    int       `json:"turns"`
	Updated  time.Time `json:"updated"`
	// Damaged is set when the session cannot be opened as it is (a damaged
	// file with no good backup, an unreadable file, a copy of another
	// session); Problem says why and what to do.
	Damaged bool `json:"damaged,omitempty"`
	// Recovered is set when the session file is damaged or missing and its
	// previous save (.bak) is what opens; Problem says why.
	Recovered bool   `json:"recovered,omitempty"`
	Problem   string `json:"problem,omitempty"`
}

// errNoHead is a file from before heads were saved: it is read whole.
var errNoHead = errors.New("no head")

// readSummary reads what the list needs from one file: the fields before
// the head and the head, plus a look at the file's end, which a cut-short
// write would lack. A file without a head is read whole.
func (s *Store) readSummary(path string) (Summary, error) {
	f, err := s.files.Open(path)
	if err != nil {
		return Summary{}, err
	}
	defer f.Close()
	sm, err := readHead(f)
	if errors.Is(err, errNoHead) {
		data, rerr := s.readAll(path)
		if rerr != nil {
			return Summary{}, rerr
		}
		l, perr := decodeSession(data)
		if perr != nil {
			return Summary{}, damaged{perr}
		}
		h := l.head()
		return Summary{ID: l.ID, Title: h.Title, Client: h.Client, Template: l.Template,
			Answered: h.Answered, Turns: h.Turns, Updated: l.Updated}, nil
	}
	return sm, err
}

// damaged is a file a parser refused, as against one that could not be read.
type damaged struct{ err error }

func (d damaged) Error() string { return d.err.Error() }
func (d damaged) Unwrap() error { return d.err }

func readHead(f ReadFile) (Summary, error) {
	var sm Summary
	fi, err := f.Stat()
	if err != nil {
		return sm, err
	}
	size := fi.Size()
	if size == 0 {
		return sm, damaged{errors.New("not a session file: it is empty")}
	}
	tail := make([]byte, min(size, 64))
	if _, err := f.ReadAt(tail, size-int64(len(tail))); err != nil {
		return sm, err
	}
	if t := bytes.TrimSpace(tail); len(t) == 0 || t[len(t)-1] != '}' {
		return sm, damaged{errors.New("not a session file: it is cut short")}
	}
	dec := json.NewDecoder(f)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return sm, damaged{errors.New("not a session file: it does not start with {")}
	}
	version := 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return sm, damaged{fmt.Errorf("not a session file: %w", err)}
		}
		key, _ := tok.(string)
		var dst any
		switch key {
		case "schema_version":
			dst = &version
		case "id":
			dst = &sm.ID
		case "template":
			dst = &sm.Template
		case "created":
			dst = new(time.Time)
		case "updated":
			dst = &sm.Updated
		case "head":
			var h Head
			if err := dec.Decode(&h); err != nil {
				return sm, damaged{fmt.Errorf("not a session file: %w", err)}
			}
			if version != SchemaVersion || !validID(sm.ID) || sm.Template == "" {
				return sm, errNoHead
			}
			// The file may have been edited by hand: what reaches the
			// terminal is cleaned as a title from the facts would be.
			sm.Title, sm.Client, sm.Answered, sm.Turns = oneLine(h.Title), oneLine(h.Client), h.Answered, h.Turns
			return sm, nil
		default:
			return sm, errNoHead
		}
		if err := dec.Decode(dst); err != nil {
			return sm, damaged{fmt.Errorf("not a session file: %w", err)}
		}
	}
	return sm, errNoHead
}

// List returns every session, newest first. A damaged file is listed as
// damaged, and a recovered one as recovered; neither hides the others. It
// reads only the head of each file and changes nothing on disk.
func (s *Store) List() ([]Summary, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("cannot read the session folder %s: %w", s.dir, plainCause(err))
	}
	ids := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasSuffix(name, ".json"):
			ids[strings.TrimSuffix(name, ".json")] = true
		case strings.HasSuffix(name, ".json.bak"):
			ids[strings.TrimSuffix(name, ".json.bak")] = true
		}
	}
	out := make([]Summary, 0, len(ids))
	for id := range ids {
		if validID(id) {
			out = append(out, s.summary(id))
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Updated.Equal(out[j].Updated) {
			return out[i].Updated.After(out[j].Updated)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// summary is one session's line of the list.
func (s *Store) summary(id string) Summary {
	final := s.path(id)
	sm, err := s.readSummary(final)
	if err == nil {
		if sm.ID != id {
			return Summary{ID: id, Title: sm.Title, Client: sm.Client, Template: sm.Template, Updated: sm.Updated, Damaged: true,
				Problem: fmt.Sprintf("the file holds session %s (a copy?): run propose repair %s to make it a session of its own", sm.ID, id)}
		}
		return sm
	}
	var d damaged
	if !errors.As(err, &d) && !errors.Is(err, fs.ErrNotExist) {
		return Summary{ID: id, Title: "(unreadable session)", Damaged: true,
			Problem: fmt.Sprintf("%s cannot be read: %v", final, plainCause(err))}
	}
	why := "the session file is missing"
	if d.err != nil {
		why = "the session file is damaged (" + d.err.Error() + ")"
	}
	bak, berr := s.readSummary(final + ".bak")
	if berr == nil && bak.ID == id {
		bak.Recovered = true
		bak.Problem = why + "; opening it restores the previous save"
		return bak
	}
	return Summary{ID: id, Title: "(damaged session)", Damaged: true, Problem: why + " and has no good backup: " + final}
}

// Find resolves an id or a unique prefix of one.
func (s *Store) Find(prefix string) (string, error) {
	prefix = strings.ToLower(strings.TrimSpace(prefix))
	if prefix == "" {
		return "", errors.New("no session id given: run propose list to see them")
	}
	if _, err := os.Lstat(s.path(prefix)); err == nil && validID(prefix) {
		return prefix, nil
	}
	list, err := s.List()
	if err != nil {
		return "", err
	}
	var matches []string
	for _, sm := range list {
		if sm.ID == prefix {
			return sm.ID, nil
		}
		if strings.HasPrefix(sm.ID, prefix) {
			matches = append(matches, sm.ID)
		}
	}
	switch len(matches) {
	case 0:
		return "", fmt.Errorf("no session matches %q: run propose list to see them", prefix)
	case 1:
		return matches[0], nil
	}
	return "", fmt.Errorf("%q matches %d sessions (%s): give more of the id", prefix, len(matches), strings.Join(matches, ", "))
}

// ownFile reports whether a file in the folder belongs to the session id:
// its file, backup, kept originals and damaged copies, lock and temporary
// files.
func ownFile(id, name string) bool {
	return name == id+".json" || strings.HasPrefix(name, id+".json.") ||
		name == id+".lock" || name == id+".lock.pid" || strings.HasPrefix(name, "."+id+".tmp-")
}

// Delete removes every file of a session: the file, its backup, the kept
// originals of migrations, damaged copies, temporary files and the lock.
func (s *Store) Delete(id string) error {
	if !validID(id) {
		return fmt.Errorf("%q: %w", id, ErrNotFound)
	}
	lock, err := s.Lock(id)
	if err != nil {
		return err
	}
	defer lock.Release()
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("cannot read the session folder %s: %w", s.dir, plainCause(err))
	}
	removed := false
	for _, e := range entries {
		name := e.Name()
		if !ownFile(id, name) || name == id+".lock" || name == id+".lock.pid" {
			continue
		}
		p := filepath.Join(s.dir, name)
		if err := s.files.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("cannot delete %s: %w", p, plainCause(err))
		}
		if name == id+".json" || name == id+".json.bak" {
			removed = true
		}
	}
	if !removed {
		return fmt.Errorf("session %s: %w", id, ErrNotFound)
	}
	return nil
}

// Lock is held by the one process allowed to write a session.
type Lock struct {
	fl   *flock.Flock
	path string
}

// ErrLocked is returned when another process holds a session.
var ErrLocked = errors.New("session is open in another propose")

func (s *Store) lockPath(id string) string { return filepath.Join(s.dir, id+".lock") }

// Lock takes the session's write lock, or says who holds it. The operating
// system drops the lock when its process ends, however it ends; the lock
// file itself is removed by Release and, after a crash, by Tidy.
func (s *Store) Lock(id string) (*Lock, error) {
	if !validID(id) {
		return nil, fmt.Errorf("%q: %w", id, ErrNotFound)
	}
	p := s.lockPath(id)
	for range 5 {
		fl := flock.New(p, flock.SetPermissions(0o600))
		ok, err := fl.TryLock()
		if err != nil {
			if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
				return nil, fmt.Errorf("cannot write session %s: the session folder %s cannot be written (%w); propose list, show, review and export still work",
					id, s.dir, plainCause(err))
			}
			return nil, fmt.Errorf("cannot lock session %s in %s: %w", id, s.dir, plainCause(err))
		}
		if !ok {
			holder := ""
			if b, err := os.ReadFile(p + ".pid"); err == nil {
				if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
					holder = fmt.Sprintf(" (process %d)", pid)
				}
			}
			return nil, fmt.Errorf("session %s%s: %w; close it there first, or read it with propose show %s", id, holder, ErrLocked, id)
		}
		// The last holder removes the file as it lets go: a lock taken on a
		// file that is no longer at the path guards nothing. Try again.
		held, herr := fl.Stat()
		cur, cerr := os.Stat(p)
		if herr == nil && cerr == nil && os.SameFile(held, cur) {
			_ = os.WriteFile(p+".pid", []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
			return &Lock{fl: fl, path: p}, nil
		}
		_ = fl.Unlock()
	}
	return nil, fmt.Errorf("cannot lock session %s: its lock file keeps changing; try again", id)
}

// InUse reports whether another process holds the session's lock. It
// creates nothing: a session with no lock file is not in use.
func (s *Store) InUse(id string) bool {
	p := s.lockPath(id)
	if _, err := os.Stat(p); err != nil {
		return false
	}
	fl := flock.New(p)
	ok, err := fl.TryLock()
	if err != nil {
		return false
	}
	if ok {
		_ = fl.Unlock()
		return false
	}
	return true
}

// Release gives the lock up and removes its files.
func (l *Lock) Release() {
	if l == nil || l.fl == nil {
		return
	}
	_ = os.Remove(l.path + ".pid")
	_ = os.Remove(l.path)
	_ = l.fl.Unlock()
}
