package interview

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// defaultRescueDirs are where an emergency save goes when the session folder
// cannot take a save: the state folder ($XDG_STATE_HOME/propose/rescued,
// else ~/.local/state/propose/rescued), then a private folder in the
// temporary directory.
func defaultRescueDirs() []string {
	var dirs []string
	state := os.Getenv("XDG_STATE_HOME")
	if state == "" {
		if home, err := os.UserHomeDir(); err == nil {
			state = filepath.Join(home, ".local", "state")
		}
	}
	if state != "" {
		dirs = append(dirs, filepath.Join(state, "propose", "rescued"))
	}
	return append(dirs, filepath.Join(os.TempDir(), fmt.Sprintf("propose-rescued-%d", os.Getuid())))
}

// RescuedError is a save that could not be made in the session folder but
// was made in a fallback place: nothing is lost, and the next start of
// propose brings the session back into its folder.
type RescuedError struct {
	Path string
	Err  error
}

func (e *RescuedError) Error() string {
	const after = " instead; it goes back into the session folder the next time propose starts"
	var se *SaveError
	if errors.As(e.Err, &se) {
		return fmt.Sprintf("could not save session %s to %s (%s): it was saved to %s%s", se.ID, se.Path, se.Reason, e.Path, after)
	}
	return e.Err.Error() + ": it was saved to " + e.Path + after
}

func (e *RescuedError) Unwrap() error { return e.Err }

// ErrNotRescued marks a session that could be saved nowhere, not even in the
// fallback places.
var ErrNotRescued = errors.New("could not be saved anywhere")

// Rescue writes the session to the first fallback place that takes it and
// returns the file's path. It is the emergency save made at quit when the
// session folder cannot take a save (a full disk, a folder gone read-only).
func (s *Store) Rescue(sess *Session) (string, error) {
	if !validID(sess.ID) {
		return "", fmt.Errorf("invalid session id %q", sess.ID)
	}
	data, err := encode(sess)
	if err != nil {
		return "", err
	}
	return s.rescue(sess.ID, data)
}

// rescue writes an encoded session to the first fallback place that takes it.
func (s *Store) rescue(id string, data []byte) (string, error) {
	var errs []string
	for _, dir := range s.rescueDirs {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			errs = append(errs, dir+": "+plainCause(err).Error())
			continue
		}
		final := filepath.Join(dir, id+".json")
		if err := s.writeAtomic(dir, final, "."+id+".tmp-*", data, false); err != nil {
			errs = append(errs, dir+": "+plainCause(err).Error())
			continue
		}
		return final, nil
	}
	return "", fmt.Errorf("session %s %w (%s)", id, ErrNotRescued, strings.Join(errs, "; "))
}

// SaveOrRescue saves the session; when the session folder cannot take it,
// it makes an emergency save in a fallback place and returns a
// *RescuedError saying where. An error wrapping ErrNotRescued means the
// session is in no file: the caller should not quit without asking.
func (e *Engine) SaveOrRescue() error {
	if e.cfg.ReadOnly || e.cfg.Store == nil {
		return nil
	}
	if err := e.Save(); err != nil {
		return e.rescue(err)
	}
	return nil
}

// rescue makes the emergency save after a failed one: the session is
// encoded under the lock and written outside it.
func (e *Engine) rescue(saveErr error) error {
	if e.cfg.Store == nil || errors.Is(saveErr, ErrReadOnly) {
		return saveErr
	}
	e.mu.Lock()
	id := e.s.ID
	data, err := encode(e.s)
	e.mu.Unlock()
	if err != nil {
		return fmt.Errorf("%w; %w", saveErr, err)
	}
	if !validID(id) {
		return saveErr
	}
	path, err := e.cfg.Store.rescue(id, data)
	if err != nil {
		return fmt.Errorf("%w; %w", saveErr, err)
	}
	return &RescuedError{Path: path, Err: saveErr}
}

// Tidy is the housekeeping done when propose starts to work in the folder:
// temporary files older than a minute (left by a save that was killed) and
// the lock files of processes that are gone are removed, and sessions saved
// to a fallback place by an emergency save are brought back. It returns
// what the user should be told. A folder that cannot be written is left as
// it is.
func (s *Store) Tidy() []string {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil
	}
	now := s.now()
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(s.dir, name)
		switch {
		case strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-"), strings.HasSuffix(name, ".bak-new"):
			if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > time.Minute {
				_ = s.files.Remove(p)
			}
		case strings.HasSuffix(name, ".lock"):
			id := strings.TrimSuffix(name, ".lock")
			if validID(id) && !s.InUse(id) {
				if l, err := s.Lock(id); err == nil {
					l.Release()
				}
			}
		case strings.HasSuffix(name, ".lock.pid"):
			if _, err := os.Stat(strings.TrimSuffix(p, ".pid")); errors.Is(err, fs.ErrNotExist) {
				_ = s.files.Remove(p)
			}
		}
	}
	return s.pickUpRescued()
}

// pickUpRescued brings sessions saved by an emergency save back into the
// folder: each one newer than the folder's copy is saved there (the rescued
// file is then removed); one the folder already has as new or newer is
// removed.
func (s *Store) pickUpRescued() []string {
	var notes []string
	for _, dir := range s.rescueDirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			l, err := decodeSession(data)
			if err != nil || l.ID+".json" != filepath.Base(f) {
				continue
			}
			if cur, _, err := s.Peek(l.ID); err == nil && !cur.Updated.Before(l.Updated) {
				// The folder's copy is newer, or as new and the same: the
				// rescued file adds nothing. (Text typed but not submitted
				// does not move Updated, so "as new" is compared whole.)
				mine, _ := encode(cur)
				if cur.Updated.After(l.Updated) || string(mine) == string(data) {
					_ = os.Remove(f)
					continue
				}
			}
			lock, err := s.Lock(l.ID)
			if err != nil {
				continue
			}
			err = s.Save(&l.Session)
			lock.Release()
			if err != nil {
				notes = append(notes, fmt.Sprintf("Session %s is still only in %s: %v", l.ID, f, err))
				continue
			}
			_ = os.Remove(f)
			notes = append(notes, fmt.Sprintf("Session %s (%s) was saved to %s when its folder could not take it; it is back in the session folder.", l.ID, l.Title(), f))
		}
	}
	return notes
}

// Repair makes a session file of its own out of a copied or renamed one (a
// file whose name and content disagree), or imports a session file from
// elsewhere: the session gets a new id and is saved in the folder. A file
// that was in the folder is then kept aside as <name>.json.repaired-<time>
// (its backup too), so it no longer shows as a problem. It returns the new id.
func (s *Store) Repair(arg string) (string, error) {
	path := arg
	inFolder := false
	if validID(arg) {
		for _, p := range []string{s.path(arg), s.path(arg) + ".bak"} { // a copied backup alone too
			if _, err := os.Lstat(p); err == nil {
				path, inFolder = p, true
				break
			}
		}
	}
	if !inFolder {
		abs, err := filepath.Abs(path)
		if err != nil {
			return "", err
		}
		inFolder = filepath.Dir(abs) == filepath.Clean(s.dir)
	}
	data, err := s.readAll(path)
	if err != nil {
		return "", fmt.Errorf("cannot read %s: %w", path, plainCause(err))
	}
	l, err := decodeSession(data)
	if err != nil {
		return "", fmt.Errorf("%s is not a session propose can read (%v); nothing was changed", path, err)
	}
	if l.SchemaVersion > SchemaVersion {
		return "", fmt.Errorf("%s was written by a newer propose; upgrade propose to import it", path)
	}
	if inFolder && (l.ID+".json" == filepath.Base(path) || l.ID+".json.bak" == filepath.Base(path)) {
		return "", fmt.Errorf("%s is session %s already; nothing to repair", path, l.ID)
	}
	sess := l.Session
	sess.ID = NewID()
	lock, err := s.Lock(sess.ID)
	if err != nil {
		return "", err
	}
	defer lock.Release()
	if err := s.Save(&sess); err != nil {
		return "", err
	}
	if inFolder {
		stamp := s.now().UTC().Format("20060102T150405")
		for _, p := range []string{path, path + ".bak"} {
			if _, err := os.Lstat(p); err == nil {
				_ = s.files.Rename(p, p+".repaired-"+stamp)
			}
		}
	}
	return sess.ID, nil
}

// Rescued lists the emergency saves waiting to be brought back into the
// folder (Tidy does that), without touching them.
func (s *Store) Rescued() []string {
	var out []string
	for _, dir := range s.rescueDirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		out = append(out, files...)
	}
	return out
}
