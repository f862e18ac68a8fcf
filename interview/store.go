package interview

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"

	"propose/proposal"
)

// Store keeps one JSON file per session in a folder. Saves are atomic: a
// reader finds the previous or the new revision, never a partial one.
type Store struct {
	dir   string
	files FileLayer
	now   func() time.Time
}

// FileLayer is the part of the file system the store writes through. Tests
// replace it to make a disk fill up mid-save.
type FileLayer interface {
	CreateTemp(dir, pattern string) (TempFile, error)
	Rename(from, to string) error
	Link(from, to string) error
	Remove(name string) error
	SyncDir(dir string) error
}

// TempFile is a file being written by a save.
type TempFile interface {
	Name() string
	Write(p []byte) (int, error)
	Sync() error
	Close() error
}

type osLayer struct{}

func (osLayer) CreateTemp(dir, pattern string) (TempFile, error) { return os.CreateTemp(dir, pattern) }
func (osLayer) Rename(from, to string) error                     { return os.Rename(from, to) }
func (osLayer) Link(from, to string) error                       { return os.Link(from, to) }
func (osLayer) Remove(name string) error                         { return os.Remove(name) }
func (osLayer) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// DefaultDir is where sessions live unless told otherwise:
// $PROPOSE_DATA_DIR, else $XDG_DATA_HOME/propose/sessions, else
// ~/.local/share/propose/sessions.
func DefaultDir() string {
	if d := os.Getenv("PROPOSE_DATA_DIR"); d != "" {
		return d
	}
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "propose", "sessions")
}

// OpenStore opens (creating it if needed) the session folder, readable only
// by its owner.
func OpenStore(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the session folder %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot restrict the session folder %s: %w", dir, err)
	}
	return &Store{dir: dir, files: osLayer{}, now: time.Now}, nil
}

// WithFileLayer returns a copy of the store that writes through fl.
func (s *Store) WithFileLayer(fl FileLayer) *Store {
	c := *s
	c.files = fl
	return &c
}

// Dir is the session folder.
func (s *Store) Dir() string { return s.dir }

func (s *Store) path(id string) string { return filepath.Join(s.dir, id+".json") }

// validID keeps ids to the characters NewID makes, so an id can never name a
// file outside the folder.
func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// ErrReadOnly is returned when saving a session written by a newer propose.
var ErrReadOnly = errors.New("this session was written by a newer version of propose and is open read-only; upgrade propose to change it")

// Save writes the session atomically: a temporary file in the same folder,
// synced; the current file kept as .bak; the new one renamed into place; the
// folder synced. On any failure the current file is untouched.
func (s *Store) Save(sess *Session) error {
	if !validID(sess.ID) {
		return fmt.Errorf("invalid session id %q", sess.ID)
	}
	if sess.SchemaVersion > SchemaVersion {
		return ErrReadOnly
	}
	sess.SchemaVersion = SchemaVersion
	data, err := json.MarshalIndent(sess, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding session %s: %w", sess.ID, err)
	}
	data = append(data, '\n')
	final := s.path(sess.ID)
	tmp, err := s.files.CreateTemp(s.dir, "."+sess.ID+".tmp-*")
	if err != nil {
		return saveError(sess.ID, err)
	}
	clean := func() { _ = s.files.Remove(tmp.Name()) }
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		clean()
		return saveError(sess.ID, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		clean()
		return saveError(sess.ID, err)
	}
	if err := tmp.Close(); err != nil {
		clean()
		return saveError(sess.ID, err)
	}
	// Keep the current revision as .bak: a hard link moved over the old .bak,
	// so the current file exists at every moment.
	if _, err := os.Stat(final); err == nil {
		bakTmp := final + ".bak-new"
		_ = s.files.Remove(bakTmp)
		if err := s.files.Link(final, bakTmp); err == nil {
			_ = s.files.Rename(bakTmp, final+".bak")
		}
	}
	if err := s.files.Rename(tmp.Name(), final); err != nil {
		clean()
		return saveError(sess.ID, err)
	}
	if err := s.files.SyncDir(s.dir); err != nil {
		return saveError(sess.ID, err)
	}
	return nil
}

func saveError(id string, err error) error {
	msg := "could not save session " + id
	if errors.Is(err, fs.ErrPermission) {
		msg += ": no permission to write the session folder"
	} else if strings.Contains(err.Error(), "no space left") {
		msg += ": the disk is full; free some space and it will save again (nothing is lost while propose runs)"
	}
	return fmt.Errorf("%s: %w", msg, err)
}

// LoadInfo says what happened while loading a session.
type LoadInfo struct {
	// Recovered is set when the session file was damaged and the .bak used.
	Recovered bool
	// KeptAside is where the damaged file was moved.
	KeptAside string
	// ReadOnly is set for a session written by a newer propose.
	ReadOnly bool
	// Migrated is set when an older session file was brought up to date.
	Migrated bool
}

// Notice is the plain sentence to show the user about a load, or "".
func (li LoadInfo) Notice() string {
	switch {
	case li.Recovered && li.KeptAside != "":
		return "The session file was damaged; the previous save was restored and the damaged file kept as " + filepath.Base(li.KeptAside) + "."
	case li.Recovered:
		return "The session file was missing; the previous save was restored."
	case li.ReadOnly:
		return "This session was written by a newer propose: it is open read-only."
	}
	return ""
}

// ErrNotFound is returned for an id no session has.
var ErrNotFound = errors.New("no such session")

// Load reads a session. A file that does not parse is moved aside (never
// deleted) and the .bak is used if it is good.
func (s *Store) Load(id string) (*Session, LoadInfo, error) {
	var info LoadInfo
	if !validID(id) {
		return nil, info, fmt.Errorf("%q: %w", id, ErrNotFound)
	}
	final := s.path(id)
	sess, err := readSession(final)
	if err == nil {
		info.Migrated = sess.migrated
		info.ReadOnly = sess.SchemaVersion > SchemaVersion
		if sess.migrated {
			s.keepOriginal(final, sess.from)
		}
		return &sess.Session, info, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		if _, berr := os.Stat(final + ".bak"); berr != nil {
			return nil, info, fmt.Errorf("session %s: %w (run propose list to see them)", id, ErrNotFound)
		}
	} else {
		aside := fmt.Sprintf("%s.corrupt-%s", final, s.now().UTC().Format("20060102T150405.000000000"))
		if rerr := os.Rename(final, aside); rerr == nil {
			info.KeptAside = aside
		}
	}
	bak, berr := readSession(final + ".bak")
	if berr != nil {
		where := ""
		if info.KeptAside != "" {
			where = "; the damaged file is kept as " + info.KeptAside
		}
		return nil, info, fmt.Errorf("session %s is damaged and has no good backup (%v)%s", id, err, where)
	}
	info.Recovered = true
	info.Migrated = bak.migrated
	info.ReadOnly = bak.SchemaVersion > SchemaVersion
	return &bak.Session, info, nil
}

type loaded struct {
	Session
	migrated bool
	from     int // the schema version the file was written in
}

// keepOriginal copies a file from an older schema to <id>.json.v<N> before
// anything is saved over it, so a migration can never lose the original. An
// existing copy is left as it is.
func (s *Store) keepOriginal(path string, version int) {
	keep := fmt.Sprintf("%s.v%d", path, version)
	if _, err := os.Lstat(keep); err == nil {
		return
	}
	if data, err := os.ReadFile(path); err == nil {
		_ = os.WriteFile(keep, data, 0o600)
	}
}

// readSession reads and checks one session file, migrating older versions.
func readSession(path string) (loaded, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return loaded{}, err
	}
	return decodeSession(data)
}

// decodeSession parses a session file's bytes.
func decodeSession(data []byte) (loaded, error) {
	var l loaded
	var head struct {
		SchemaVersion *int `json:"schema_version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return l, fmt.Errorf("not a session file: %w", err)
	}
	if head.SchemaVersion == nil {
		return l, errors.New("not a session file: no schema_version")
	}
	data, migrated, err := migrate(data, *head.SchemaVersion)
	if err != nil {
		return l, err
	}
	if err := json.Unmarshal(data, &l.Session); err != nil {
		return l, fmt.Errorf("not a session file: %w", err)
	}
	if !validID(l.ID) || l.Template == "" {
		return l, errors.New("not a session file: no id or template")
	}
	l.migrated = migrated
	l.from = *head.SchemaVersion
	l.fillDefaults()
	return l, nil
}

// migrations bring a session file from version n to n+1. Each step works
// on the decoded JSON and leaves a file already in the new shape unchanged.
var migrations = map[int]func(map[string]any) error{
	1: dropSavedHeadings,
}

// dropSavedHeadings (1 -> 2) removes the section titles and heading flags
// that version 1 saved with the draft; the template supplies them now, so a
// renamed section in the user's template shows its new title.
func dropSavedHeadings(doc map[string]any) error {
	draft, ok := doc["draft"].(map[string]any)
	if !ok {
		return nil
	}
	sections, ok := draft["sections"].([]any)
	if !ok {
		return nil
	}
	for _, s := range sections {
		if sec, ok := s.(map[string]any); ok {
			delete(sec, "title")
			delete(sec, "no_heading")
		}
	}
	return nil
}

func migrate(data []byte, from int) ([]byte, bool, error) {
	if from >= SchemaVersion {
		return data, false, nil
	}
	if from < 1 {
		return nil, false, fmt.Errorf("unknown schema_version %d", from)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, false, err
	}
	for v := from; v < SchemaVersion; v++ {
		step, ok := migrations[v]
		if !ok {
			return nil, false, fmt.Errorf("no migration from schema_version %d", v)
		}
		if err := step(doc); err != nil {
			return nil, false, fmt.Errorf("migrating from schema_version %d: %w", v, err)
		}
		doc["schema_version"] = v + 1
	}
	out, err := json.Marshal(doc)
	return out, true, err
}

func (s *Session) fillDefaults() {
	if s.Facts == nil {
		s.Facts = proposal.Facts{}
	}
	if s.Skipped == nil {
		s.Skipped = map[string]bool{}
	}
	if s.FollowedUp == nil {
		s.FollowedUp = map[string]bool{}
	}
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
	// Damaged is set when the file could not be read; Problem says why.
	Damaged bool   `json:"damaged,omitempty"`
	Problem string `json:"problem,omitempty"`
}

// List returns every session, newest first. A damaged file is listed as
// damaged; it never hides the others.
func (s *Store) List() ([]Summary, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("cannot read the session folder %s: %w", s.dir, err)
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
	var out []Summary
	for id := range ids {
		if !validID(id) {
			continue
		}
		l, err := readSession(s.path(id))
		if err != nil {
			if b, berr := readSession(s.path(id) + ".bak"); berr == nil {
				l, err = b, nil
			}
		}
		if err != nil {
			out = append(out, Summary{ID: id, Title: "(damaged session)", Damaged: true, Problem: err.Error()})
			continue
		}
		answered := 0
		for _, f := range l.Facts {
			if strings.TrimSpace(f.Value) != "" {
				answered++
			}
		}
		out = append(out, Summary{ID: id, Title: l.Title(), Client: l.Client(), Template: l.Template,
			Answered: answered, Turns: len(l.Turns), Updated: l.Updated})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Updated.Equal(out[j].Updated) {
			return out[i].Updated.After(out[j].Updated)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Find resolves an id or a unique prefix of one.
func (s *Store) Find(prefix string) (string, error) {
	prefix = strings.ToLower(strings.TrimSpace(prefix))
	if prefix == "" {
		return "", errors.New("no session id given: run propose list to see them")
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

// Delete removes a session and its backup. Damaged copies kept aside stay.
func (s *Store) Delete(id string) error {
	if !validID(id) {
		return fmt.Errorf("%q: %w", id, ErrNotFound)
	}
	lock, err := s.Lock(id)
	if err != nil {
		return err
	}
	defer lock.Release()
	removed := false
	for _, p := range []string{s.path(id), s.path(id) + ".bak"} {
		if err := os.Remove(p); err == nil {
			removed = true
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("cannot delete %s: %w", p, err)
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

// Lock takes the session's write lock, or says who holds it. The operating
// system drops the lock when its process ends, however it ends.
func (s *Store) Lock(id string) (*Lock, error) {
	if !validID(id) {
		return nil, fmt.Errorf("%q: %w", id, ErrNotFound)
	}
	p := filepath.Join(s.dir, id+".lock")
	fl := flock.New(p, flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("cannot lock session %s: %w", id, err)
	}
	if !ok {
		holder := ""
		if b, err := os.ReadFile(p + ".pid"); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				holder = fmt.Sprintf(" (process %d)", pid)
			}
		}
		return nil, fmt.Errorf("session %s%s: %w; close it there first, or open it read-only with propose show %s", id, holder, ErrLocked, id)
	}
	_ = os.WriteFile(p+".pid", []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
	return &Lock{fl: fl, path: p}, nil
}

// Release gives the lock up.
func (l *Lock) Release() {
	if l == nil || l.fl == nil {
		return
	}
	_ = os.Remove(l.path + ".pid")
	_ = l.fl.Unlock()
}
