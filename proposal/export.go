package proposal

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"propose/proposal/pdf"
)

// Format is an export format the proposal can be written in.
type Format struct {
	// ID is what --format takes and the file extension: "md", "pdf".
	ID string
	// Name is what the export dialog shows.
	Name string
}

// Formats lists every export format, Markdown first.
var Formats = []Format{{ID: "md", Name: "Markdown"}, {ID: "pdf", Name: "PDF"}}

// FormatFor returns the format for an id or a file name's extension
// ("pdf", ".md", "proposal.markdown").
func FormatFor(s string) (Format, bool) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(s), "."))
	if ext == "" {
		ext = strings.ToLower(strings.TrimPrefix(s, "."))
	}
	if ext == "markdown" {
		ext = "md"
	}
	for _, f := range Formats {
		if f.ID == ext {
			return f, true
		}
	}
	return Format{}, false
}

// Slug turns a title into a safe file name stem: lower case ASCII letters,
// digits and dashes, accents folded ("Diagnóstico" -> "diagnostico"), at most
// 60 characters, "proposal" when nothing is left.
func Slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(title) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToLower(r))
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
		if b.Len() >= 60 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		return "proposal"
	}
	return s
}

// ErrExists is matched when an export would overwrite a file without
// force (an *ExistsError names the file).
var ErrExists = errors.New("file already exists")

// ExistsError is an export refused because its file is already there. It
// matches ErrExists; the caller says how to overwrite (a flag, a key).
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string { return e.Path + ": " + ErrExists.Error() }

// Unwrap gives ErrExists.
func (e *ExistsError) Unwrap() error { return ErrExists }

// ErrIsFolder is matched when an export's path names a folder where a
// file was meant.
var ErrIsFolder = errors.New("is a folder")

// ErrSymlink is returned when an export's path is a symbolic link.
var ErrSymlink = errors.New("path is a symbolic link")

// ExportPath decides where an export goes. out may be empty (the current
// folder and a name slugged from the title), a folder (the slugged name in
// it) or a file path chosen by the user.
func ExportPath(out, title string, f Format) string {
	name := Slug(title) + "." + f.ID
	if out == "" {
		return name
	}
	if st, err := os.Stat(out); (err == nil && st.IsDir()) || strings.HasSuffix(out, string(os.PathSeparator)) || strings.HasSuffix(out, "/") {
		return filepath.Join(out, name)
	}
	return out
}

// ErrNoFolder is returned when an export's folder does not exist.
var ErrNoFolder = errors.New("folder does not exist")

// ErrNotRegular is returned when an export's path is a device, a FIFO, a
// socket or anything else that is not a regular file.
var ErrNotRegular = errors.New("is not a regular file")

// WriteFile writes an export atomically: a temporary file in the same folder,
// synced, then moved into place. It writes only to a new path or over a
// regular file: never through a symbolic link, never over a device, FIFO or
// socket (force or not), and never over an existing file unless force is
// set. Errors name path, never the temporary file.
func WriteFile(path string, data []byte, force bool) error {
	dir := filepath.Dir(path)
	if st, err := os.Lstat(path); err == nil {
		switch {
		case st.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("%s: %w; refusing to write through it, choose another path", path, ErrSymlink)
		case st.IsDir():
			return fmt.Errorf("%s %w; give a file name, or the folder alone", path, ErrIsFolder)
		case !st.Mode().IsRegular():
			return fmt.Errorf("%s %w (it is a %s); an export only goes to a new file or replaces a regular one: choose another path", path, ErrNotRegular, kindOf(st.Mode()))
		case !force:
			return &ExistsError{Path: path}
		}
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		if _, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
			return fmt.Errorf("cannot write %s: the %w (%s): create it, or choose another path", path, ErrNoFolder, dir)
		}
		return fmt.Errorf("cannot write %s: %w", path, PlainCause(err))
	}
	defer os.Remove(tmp.Name())
	fail := func(err error) error {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, PlainCause(err))
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, PlainCause(err))
	}
	if !force {
		// A hard link fails if the name was taken meanwhile: no silent overwrite.
		if err := os.Link(tmp.Name(), path); err == nil {
			return nil
		} else if errors.Is(err, fs.ErrExist) {
			return &ExistsError{Path: path}
		}
	} else if st, err := os.Lstat(path); err == nil && !st.Mode().IsRegular() {
		// Something other than a regular file took the name while the export
		// was written.
		return fmt.Errorf("%s %w (it is a %s); choose another path", path, ErrNotRegular, kindOf(st.Mode()))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, PlainCause(err))
	}
	return nil
}

// kindOf names a file mode's type for a message.
func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "FIFO, a named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// PlainCause strips the file name from an operating-system error, so that a
// message names the user's path rather than a temporary file.
func PlainCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// Render writes the proposal in a format.
func Render(f Format, c Cover, d Draft, opts RenderOptions) ([]byte, error) {
	switch f.ID {
	case "md":
		return []byte(markdownDoc(c, d, opts.Branding)), nil
	case "pdf":
		var buf bytes.Buffer
		if err := renderPDF(&buf, c, d, opts); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("unknown format %q: use md or pdf", f.ID)
}

// RenderOptions tune an export.
type RenderOptions struct {
	// PageSize is "A4" (the default) or "Letter" for PDF.
	PageSize string
	// The PDF's own words and looks: see pdf.Meta. Kind names the document
	// ("Statement of work"), Lang is its BCP 47 tag, Draft marks it DRAFT on
	// the cover and in every footer, Labels translate the words the PDF
	// writes, Branding is the consultancy's identity (nil: none).
	Kind     string
	Lang     string
	Draft    bool
	Labels   pdf.Labels
	Branding *pdf.Branding
	// Fonts are TrueType files from the config for characters the PDF's
	// embedded fonts lack.
	Fonts []string
	// Now is the export time, the PDF's creation date; time.Now when nil.
	Now func() time.Time
	// Warn, when set, receives each thing the PDF could not show as written
	// (characters no font has, scripts it cannot shape, an unreadable logo),
	// one sentence each, for the caller to show the user.
	Warn func(message string)
}
