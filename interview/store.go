package interview

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"propose/proposal"
)

// Store keeps one JSON file per session in a folder. Saves are atomic: a
// reader finds the previous or the new revision, never a partial one.
type Store struct {
	dir   string
	files FileLayer
	now   func() time.Time
	// rescue are the folders an emergency save tries, in order, when the
	// session folder cannot take a save (see Rescue).
	rescueDirs []string
	// warning is what the user should know about the folder ("others can
	// read it"), or "".
	warning string
}

// FileLayer is the part of the file system the store goes through. Tests
// replace it to make a disk fill up mid-save or a file refuse to be read.
type FileLayer interface {
	CreateTemp(dir, pattern string) (TempFile, error)
	Rename(from, to string) error
	Link(from, to string) error
	Remove(name string) error
	SyncDir(dir string) error
	// Open opens a file for reading.
	Open(name string) (ReadFile, error)
}

// TempFile is a file being written by a save.
type TempFile interface {
	Name() string
	Write(p []byte) (int, error)
	Sync() error
	Close() error
}

// ReadFile is a file being read by a load or a list.
type ReadFile interface {
	io.Reader
	io.ReaderAt
	io.Closer
	Stat() (fs.FileInfo, error)
}

type osLayer struct{}

func (osLayer) CreateTemp(dir, pattern string) (TempFile, error) { return os.CreateTemp(dir, pattern) }
func (osLayer) Rename(from, to string) error                     { return os.Rename(from, to) }
func (osLayer) Link(from, to string) error                       { return os.Link(from, to) }
func (osLayer) Remove(name string) error                         { return os.Remove(name) }
func (osLayer) Open(name string) (ReadFile, error)               { return os.Open(name) }
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

// OpenStore opens the session folder, creating it readable only by its owner
// when it does not exist. An existing folder keeps the mode its owner gave
// it (Warning says when others can read it), and a folder that cannot be
// written still serves reads: only saves fail, each with its reason.
func OpenStore(dir string) (*Store, error) {
	st := &Store{dir: dir, files: osLayer{}, now: time.Now, rescueDirs: defaultRescueDirs()}
	fi, err := os.Stat(dir)
	switch {
	case err == nil && !fi.IsDir():
		return nil, fmt.Errorf("the session folder %s %w", dir, ErrNotFolder)
	case err == nil:
		if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
			st.warning = fmt.Sprintf("the session folder %s can be read by others (mode %04o); chmod 700 it to keep your proposals private", dir, fi.Mode().Perm())
		}
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("cannot create the session folder %s: %w", dir, plainCause(err))
		}
	default:
		return nil, fmt.Errorf("cannot open the session folder %s: %w", dir, plainCause(err))
	}
	return st, nil
}

// Warning is what the user should know about the session folder, or "".
func (s *Store) Warning() string { return s.warning }

// WithFileLayer returns a copy of the store that goes through fl.
func (s *Store) WithFileLayer(fl FileLayer) *Store {
	c := *s
	c.files = fl
	return &c
}

// WithRescueDirs returns a copy of the store whose emergency saves go to
// dirs, in order.
func (s *Store) WithRescueDirs(dirs ...string) *Store {
	c := *s
	c.rescueDirs = dirs
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

// ErrNotSaved marks every failed save: the disk is full, the folder cannot
// be written, and the like.
var ErrNotSaved = errors.New("not saved")

// ErrDamaged marks a session whose file does not parse and whose backup
// cannot stand in for it.
var ErrDamaged = errors.New("damaged")

// kindError is a message of its own that matches one of the errors above.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// NoTemplateError is returned when a session's template is neither
// installed nor kept with the session: the session cannot be opened. It
// matches ErrUnreadable.
func NoTemplateError(msg string) error { return &kindError{kind: ErrUnreadable, msg: msg} }

// ErrUnreadable marks a session file that exists but cannot be read (no
// permission, an I/O error): nothing was changed on disk.
var ErrUnreadable = errors.New("cannot be read")

// encode is the bytes of a session file, with the head that List reads.
func encode(sess *Session) ([]byte, error) {
	sess.SchemaVersion = SchemaVersion
	sess.Head = sess.head()
	data, err := json.MarshalIndent(sess, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding session %s: %w", sess.ID, err)
	}
	return append(data, '\n'), nil
}

// Save writes the session atomically: a temporary file in the same folder,
// synced; the current file kept as .bak; the new one renamed into place; the
// folder synced. On any failure the current file is untouched.
func (s *Store) Save(sess *Session) error {
	data, err := encodeForSave(sess)
	if err != nil {
		return err
	}
	return s.write(sess.ID, data)
}

// encodeForSave is the bytes Save writes for sess, or why it cannot be
// saved. The engine encodes under its lock and writes outside it (saver).
func encodeForSave(sess *Session) ([]byte, error) {
	if !validID(sess.ID) {
		return nil, fmt.Errorf("invalid session id %q", sess.ID)
	}
	if sess.SchemaVersion > SchemaVersion {
		return nil, ErrReadOnly
	}
	return encode(sess)
}

// write puts the encoded session id in its file (see Save).
func (s *Store) write(id string, data []byte) error {
	final := s.path(id)
	if err := s.writeAtomic(s.dir, final, "."+id+".tmp-*", data, true); err != nil {
		return saveError(id, final, err)
	}
	return nil
}

// writeAtomic puts data at final through a synced temporary file in dir,
// keeping the file it replaces as final.bak when keepBak is set.
func (s *Store) writeAtomic(dir, final, pattern string, data []byte, keepBak bool) error {
	tmp, err := s.files.CreateTemp(dir, pattern)
	if err != nil {
		return err
	}
	clean := func() { _ = s.files.Remove(tmp.Name()) }
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		clean()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		clean()
		return err
	}
	if err := tmp.Close(); err != nil {
		clean()
		return err
	}
	// Keep the current revision as .bak: a hard link moved over the old .bak,
	// so the current file exists at every moment.
	if _, err := os.Stat(final); err == nil && keepBak {
		bakTmp := final + ".bak-new"
		_ = s.files.Remove(bakTmp)
		if err := s.files.Link(final, bakTmp); err == nil {
			_ = s.files.Rename(bakTmp, final+".bak")
		}
	}
	if err := s.files.Rename(tmp.Name(), final); err != nil {
		clean()
		return err
	}
	return s.files.SyncDir(dir)
}

// SaveError is a failed save. It names the session's own file, never the
// temporary one the failure happened on, and matches ErrNotSaved.
type SaveError struct {
	ID, Path string
	// Reason says what went wrong in a few words ("the disk is full").
	Reason string
	// Advice, when set, says what to do.
	Advice string
	Err    error
}

func (e *SaveError) Error() string {
	msg := fmt.Sprintf("could not save session %s to %s: %s", e.ID, e.Path, e.Reason)
	if e.Advice != "" {
		msg += "; " + e.Advice
	}
	return msg
}

// Unwrap gives ErrNotSaved and the cause.
func (e *SaveError) Unwrap() []error { return []error{ErrNotSaved, e.Err} }

// saveError words a failed save.
func saveError(id, final string, err error) error {
	cause := plainCause(err)
	se := &SaveError{ID: id, Path: final, Err: cause}
	switch {
	case errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS):
		se.Reason = "the session folder cannot be written (" + cause.Error() + ")"
	case errors.Is(err, syscall.ENOSPC) || strings.Contains(err.Error(), "no space left"):
		se.Reason = "the disk is full"
		se.Advice = "free some space and it will save again (nothing is lost while propose runs)"
	default:
		se.Reason = cause.Error()
	}
	return se
}

// LoadInfo says what happened while loading a session.
type LoadInfo struct {
	// Recovered is set when the session file was damaged or missing and the
	// .bak used.
	Recovered bool
	// KeptAside is where the damaged file was moved ("" when it was not).
	KeptAside string
	// Damage is why the session file could not be used, when Recovered.
	Damage string
	// ReadOnly is set for a session written by a newer propose.
	ReadOnly bool
	// Migrated is set when an older session file was brought up to date.
	Migrated bool
	// Peeked is set when the load was for reading only: nothing on disk was
	// renamed, migrated or written.
	Peeked bool
	// InUse is set (by the caller) when another propose holds the session:
	// what was read is its last saved state.
	InUse bool
	// TemplateNote is set (by the caller) when the session's template could
	// not be used and the copy kept with the session was.
	TemplateNote string
}

// Notice is the plain sentence to show the user about a load, or "".
func (li LoadInfo) Notice() string {
	var parts []string
	switch {
	case li.Recovered && li.KeptAside != "":
		parts = append(parts, "The session file was damaged; the previous save was restored and the damaged file kept as "+filepath.Base(li.KeptAside)+".")
	case li.Recovered && li.Peeked && li.Damage != "":
		parts = append(parts, "The session file is damaged ("+li.Damage+"); this is the previous save. Nothing was changed: resume the session to restore it.")
	case li.Recovered && li.Peeked:
		parts = append(parts, "The session file is missing; this is the previous save. Nothing was changed: resume the session to restore it.")
	case li.Recovered:
		parts = append(parts, "The session file was missing; the previous save was restored.")
	}
	if li.ReadOnly {
		parts = append(parts, "This session was written by a newer propose: it is open read-only.")
	}
	if li.InUse {
		parts = append(parts, "The session is open in another propose: this is its last saved state.")
	}
	if li.TemplateNote != "" {
		parts = append(parts, li.TemplateNote)
	}
	return strings.Join(parts, " ")
}

// ErrNotFound is returned for an id no session has.
var ErrNotFound = errors.New("no such session")

// MismatchError is returned for a session file whose name and content
// disagree: a copy (cp a.json b.json) or a sync tool's "conflicted copy".
// Loading it by its name and saving it by its id would overwrite the other
// session, so it is refused and left as it is.
type MismatchError struct {
	// Name is the id the file name gives; Holds is the id inside it.
	Name, Holds string
	Path        string
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("%s holds session %s, not %s (a copied or renamed file); it was left as it is: run propose repair %s to make it a session of its own",
		e.Path, e.Holds, e.Name, e.Name)
}

// Load reads a session to work on it. A file that does not parse is moved
// aside (never deleted) and the .bak used if it is good; an older file is
// migrated with its original kept beside it. A file that cannot be read
// changes nothing.
func (s *Store) Load(id string) (*Session, LoadInfo, error) { return s.load(id, true) }

// Peek reads a session for reading only: it never renames, migrates on disk
// or writes anything. A damaged file gives the .bak, saying so.
func (s *Store) Peek(id string) (*Session, LoadInfo, error) { return s.load(id, false) }

func (s *Store) load(id string, write bool) (*Session, LoadInfo, error) {
	info := LoadInfo{Peeked: !write}
	if !validID(id) {
		return nil, info, fmt.Errorf("%q: %w", id, ErrNotFound)
	}
	final := s.path(id)
	data, err := s.readAll(final)
	var damage error
	switch {
	case err == nil:
		l, perr := decodeSession(data)
		if perr == nil {
			if l.ID != id {
				return nil, info, &MismatchError{Name: id, Holds: l.ID, Path: final}
			}
			info.Migrated = l.migrated
			info.ReadOnly = l.SchemaVersion > SchemaVersion
			if l.migrated && write {
				s.keepOriginal(final, final, l.from, data)
			}
			return &l.Session, info, nil
		}
		damage = perr
	case errors.Is(err, fs.ErrNotExist):
	default:
		return nil, info, fmt.Errorf("session %s: %s %w (%v); nothing was changed", id, final, ErrUnreadable, plainCause(err))
	}
	bdata, berr := s.readAll(final + ".bak")
	if berr != nil && !errors.Is(berr, fs.ErrNotExist) {
		return nil, info, fmt.Errorf("session %s: %s %w (%v); nothing was changed", id, final+".bak", ErrUnreadable, plainCause(berr))
	}
	if berr != nil && damage == nil {
		return nil, info, fmt.Errorf("session %s: %w (run propose list to see them)", id, ErrNotFound)
	}
	var bak loaded
	if berr == nil {
		bak, berr = decodeSession(bdata)
		if berr == nil && bak.ID != id {
			return nil, info, &MismatchError{Name: id, Holds: bak.ID, Path: final + ".bak"}
		}
	}
	if berr != nil {
		// No good backup: the damaged file stays where it is, listed as
		// damaged, for the user to look at; moving it would hide it.
		if damage == nil {
			damage = berr
		}
		return nil, info, &kindError{kind: ErrDamaged,
			msg: fmt.Sprintf("session %s is damaged and has no good backup (%v); the file is left as it is: %s", id, damage, final)}
	}
	if damage != nil {
		info.Damage = damage.Error()
		if write {
			aside := fmt.Sprintf("%s.corrupt-%s", final, s.now().UTC().Format("20060102T150405.000000000"))
			if rerr := s.files.Rename(final, aside); rerr == nil {
				info.KeptAside = aside
			}
		}
	}
	info.Recovered = true
	info.Migrated = bak.migrated
	info.ReadOnly = bak.SchemaVersion > SchemaVersion
	if bak.migrated && write {
		s.keepOriginal(final, final+".bak", bak.from, bdata)
	}
	return &bak.Session, info, nil
}

// readAll reads a whole file through the file layer.
func (s *Store) readAll(path string) ([]byte, error) {
	f, err := s.files.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

type loaded struct {
	Session
	migrated bool
	from     int // the schema version the file was written in
}

// keepOriginal keeps the bytes of a file from an older schema before
// anything is saved over it, so a migration can never lose the original: as
// <id>.json.v<N>, or, when that is taken by another file, beside the file it
// came from (<id>.json.bak.v<N>). An existing copy is left as it is.
func (s *Store) keepOriginal(final, from string, version int, data []byte) {
	for _, keep := range []string{fmt.Sprintf("%s.v%d", final, version), fmt.Sprintf("%s.v%d", from, version)} {
		if old, err := os.ReadFile(keep); err == nil {
			if string(old) == string(data) {
				return
			}
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		_ = s.writeAtomic(s.dir, keep, ".keep.tmp-*", data, false)
		return
	}
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

// plainCause strips the file name from an operating-system error (see
// proposal.PlainCause), so messages name the user's file, never a temporary one.
var plainCause = proposal.PlainCause
