package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
)

// knownFonts are the system fonts the fallback chain prefers, in order:
// CJK first, then symbols and emoji. Every one has TrueType outlines and a
// Unicode BMP cmap, which is all fpdf can read (no OpenType/CFF outlines).
var knownFonts = []string{
	// Chinese, Japanese and Korean.
	"DroidSansFallbackFull.ttf", // Debian/Ubuntu: fonts-droid-fallback
	"DroidSansFallback.ttf",
	"ipag.ttf", // fonts-ipafont-gothic
	"ipagp.ttf",
	"ipaexg.ttf", // fonts-ipaexfont-gothic
	"fonts-japanese-gothic.ttf",
	"wqy-microhei.ttf",
	"NanumGothic.ttf",   // fonts-nanum (Korean)
	"Arial Unicode.ttf", // macOS
	"simhei.ttf",        // Windows
	"Deng.ttf",          // Windows
	"malgun.ttf",        // Windows (Korean)
	"Symbola.ttf",       // symbols and emoji: fonts-symbola
	"Symbola_hint.ttf",  // fonts-symbola on Debian
	"seguisym.ttf",      // Windows: Segoe UI Symbol
	"seguiemj.ttf",      // Windows: Segoe UI Emoji
	"Apple Symbols.ttf", // macOS
	"NotoSansSymbols2-Regular.ttf",
	"NotoSansSymbols-Regular.ttf",
	// Collections: the first face is taken out and embedded on its own.
	"wqy-zenhei.ttc",   // fonts-wqy-zenhei
	"wqy-microhei.ttc", // fonts-wqy-microhei
	"msgothic.ttc",     // Windows
	"msyh.ttc",         // Windows
	"simsun.ttc",       // Windows
	"PingFang.ttc",     // macOS
}

// fontPackages says what to install for the characters no font has.
const (
	installCJK     = "fonts-droid-fallback"
	installSymbols = "fonts-symbola"
	installScripts = "fonts-noto-core"
)

// systemFontDirs are the folders where the system and the user keep fonts:
// fontconfig's on Linux and the BSDs, the standard ones on macOS and Windows.
func systemFontDirs() []string {
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "darwin":
		dirs := []string{"/System/Library/Fonts", "/System/Library/Fonts/Supplemental", "/Library/Fonts"}
		if home != "" {
			dirs = append(dirs, filepath.Join(home, "Library", "Fonts"))
		}
		return dirs
	case "windows":
		var dirs []string
		if w := os.Getenv("WINDIR"); w != "" {
			dirs = append(dirs, filepath.Join(w, "Fonts"))
		} else {
			dirs = append(dirs, `C:\Windows\Fonts`)
		}
		if l := os.Getenv("LOCALAPPDATA"); l != "" {
			dirs = append(dirs, filepath.Join(l, "Microsoft", "Windows", "Fonts"))
		}
		return dirs
	}
	dirs := fontconfigDirs("/etc/fonts/fonts.conf", home)
	data := os.Getenv("XDG_DATA_HOME")
	if data == "" && home != "" {
		data = filepath.Join(home, ".local", "share")
	}
	if data != "" {
		dirs = append(dirs, filepath.Join(data, "fonts"))
	}
	if home != "" {
		dirs = append(dirs, filepath.Join(home, ".fonts"))
	}
	shared := os.Getenv("XDG_DATA_DIRS")
	if shared == "" {
		shared = "/usr/local/share:/usr/share"
	}
	for _, d := range filepath.SplitList(shared) {
		dirs = append(dirs, filepath.Join(d, "fonts"))
	}
	var out []string
	for _, d := range dirs {
		if d != "" && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

var fcDir = regexp.MustCompile(`<dir(?:\s+prefix="(\w+)")?[^>]*>([^<]+)</dir>`)

// fontconfigDirs reads the <dir> entries of fontconfig's configuration and
// of the files it includes from conf.d.
func fontconfigDirs(conf, home string) []string {
	files := []string{conf}
	if more, err := filepath.Glob(filepath.Join(filepath.Dir(conf), "conf.d", "*.conf")); err == nil {
		files = append(files, more...)
	}
	var dirs []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, m := range fcDir.FindAllSubmatch(b, -1) {
			d := strings.TrimSpace(string(m[2]))
			switch {
			case string(m[1]) == "xdg":
				data := os.Getenv("XDG_DATA_HOME")
				if data == "" && home != "" {
					data = filepath.Join(home, ".local", "share")
				}
				d = filepath.Join(data, d)
			case strings.HasPrefix(d, "~/") && home != "":
				d = filepath.Join(home, d[2:])
			}
			if filepath.IsAbs(d) {
				dirs = append(dirs, d)
			}
		}
	}
	return dirs
}

// fontFiles lists the .ttf files under dirs, known fallback fonts first in
// knownFonts order, then the rest by path.
func fontFiles(dirs []string) []string {
	var all []string
	seen := map[string]bool{}
	for _, d := range dirs {
		_ = filepath.WalkDir(d, func(path string, e os.DirEntry, err error) error {
			if err != nil {
				if e != nil && e.IsDir() && path != d {
					return filepath.SkipDir
				}
				return nil
			}
			if ext := filepath.Ext(path); e.IsDir() || !strings.EqualFold(ext, ".ttf") && !strings.EqualFold(ext, ".ttc") {
				return nil
			}
			real, err := filepath.EvalSymlinks(path)
			if err != nil || seen[real] {
				return nil
			}
			seen[real] = true
			all = append(all, path)
			return nil
		})
	}
	rank := func(p string) int {
		base := filepath.Base(p)
		for i, k := range knownFonts {
			if strings.EqualFold(base, k) {
				return i
			}
		}
		return len(knownFonts)
	}
	sort.SliceStable(all, func(i, j int) bool {
		ri, rj := rank(all[i]), rank(all[j])
		if ri != rj {
			return ri < rj
		}
		return all[i] < all[j]
	})
	return all
}

// systemFace is a font file read once per process: its face id when fpdf
// can embed it, or why not.
type systemFace struct {
	id  faceID
	err error
}

var systemFaces = map[string]systemFace{}

// loadSystemFace reads, checks and registers the font at path once per
// process. The caller holds facesMu.
func loadSystemFace(path string) (faceID, error) {
	if sf, ok := systemFaces[path]; ok {
		return sf.id, sf.err
	}
	id, err := readSystemFace(path)
	systemFaces[path] = systemFace{id: id, err: err}
	return id, err
}

func readSystemFace(path string) (id faceID, err error) {
	defer func() {
		// A damaged font must not take the export down with it.
		if p := recover(); p != nil {
			id, err = 0, fmt.Errorf("a damaged font file: %v", p)
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	const limit = 64 << 20
	ttf, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return 0, err
	}
	if len(ttf) > limit {
		return 0, errors.New("larger than 64 MB")
	}
	if ttf, err = firstFace(ttf); err != nil {
		return 0, err
	}
	if err := checkTrueType(ttf); err != nil {
		return 0, err
	}
	m, ps, err := parseMetrics(ttf)
	if err != nil {
		return 0, err
	}
	ttf, am := withAstral(ttf, m)
	if err := fpdfReads(ttf, m); err != nil {
		return 0, err
	}
	id, ok := addFace(m, ps, ttf, path)
	if !ok {
		return 0, errors.New("too many fonts in one process")
	}
	faceAstral[id] = am
	return id, nil
}

// fpdfReads embeds a few of the font's characters in a throwaway document:
// a font that passes checkTrueType but that fpdf still cannot subset must
// not break an export.
func fpdfReads(ttf []byte, m *faceMetrics) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the PDF writer cannot embed it: %v", p)
		}
	}()
	var sample strings.Builder
	for r := rune(0x21); r < 0x10000 && sample.Len() < 40; r += 97 {
		if m.has(r) {
			sample.WriteRune(r)
		}
	}
	doc := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", SizeStr: "A4"})
	doc.AddUTF8FontFromBytes("probe", "", ttf)
	doc.AddPage()
	doc.SetFont("probe", "", 10)
	doc.Text(10, 10, sample.String())
	if err := doc.Output(io.Discard); err != nil {
		return fmt.Errorf("the PDF writer cannot embed it: %w", err)
	}
	return nil
}

// checkTrueType rejects what fpdf cannot read, before fpdf sees it (it
// prints to standard output or panics on some of these): OpenType/CFF
// outlines, collections, a missing table, no format 4 Unicode cmap, odd
// format fields, and fonts whose licence forbids embedding.
func checkTrueType(b []byte) error {
	if len(b) < 12 {
		return errors.New("not a font file")
	}
	switch tag := string(b[:4]); tag {
	case "\x00\x01\x00\x00", "true":
	case "OTTO":
		return errors.New("OpenType (CFF) outlines; the PDF writer reads TrueType only")
	case "ttcf":
		return errors.New("a font collection (.ttc); the PDF writer reads single TrueType fonts only")
	default:
		return errors.New("not a TrueType font")
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	tables := map[string][]byte{}
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(b) {
			return errors.New("truncated table directory")
		}
		off := int(binary.BigEndian.Uint32(b[rec+8:]))
		size := int(binary.BigEndian.Uint32(b[rec+12:]))
		if off < 0 || size < 0 || off > len(b) || size > len(b)-off {
			return fmt.Errorf("table %q out of bounds", b[rec:rec+4])
		}
		tables[string(b[rec:rec+4])] = b[off : off+size]
	}
	for _, t := range []string{"head", "hhea", "hmtx", "maxp", "cmap", "glyf", "loca", "post", "name"} {
		if _, ok := tables[t]; !ok {
			return fmt.Errorf("no %s table", t)
		}
	}
	u16 := func(t []byte, off int) (int, bool) {
		if off+2 > len(t) {
			return 0, false
		}
		return int(binary.BigEndian.Uint16(t[off:])), true
	}
	if v, ok := u16(tables["name"], 0); !ok || v != 0 {
		return errors.New("name table format the PDF writer cannot read")
	}
	if v, ok := u16(tables["head"], 52); !ok || v != 0 {
		return errors.New("glyph data format the PDF writer cannot read")
	}
	if v, ok := u16(tables["head"], 18); !ok || v == 0 {
		return errors.New("no units per em")
	}
	if v, ok := u16(tables["hhea"], 32); !ok || v != 0 {
		return errors.New("metric data format the PDF writer cannot read")
	}
	if v, ok := u16(tables["hhea"], 34); !ok || v == 0 {
		return errors.New("no horizontal metrics")
	}
	if os2, ok := tables["OS/2"]; ok {
		if fs, ok := u16(os2, 8); ok && (fs == 0x0002 || fs&0x0300 != 0) {
			return errors.New("its licence does not allow embedding")
		}
	}
	// fpdf takes the first Unicode subtable (platform 0, or 3/1) in format 4.
	cmap := tables["cmap"]
	count, _ := u16(cmap, 2)
	for i := range count {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			break
		}
		platform, _ := u16(cmap, rec)
		enc, _ := u16(cmap, rec+2)
		off := int(binary.BigEndian.Uint32(cmap[rec+4:]))
		if platform != 0 && (platform != 3 || enc != 1) {
			continue
		}
		if off < 0 || off+14 > len(cmap) {
			continue
		}
		if format, _ := u16(cmap, off); format == 4 {
			length, _ := u16(cmap, off+2)
			if off+length > len(cmap) {
				return errors.New("truncated cmap")
			}
			return nil
		}
	}
	return errors.New("no Unicode character map the PDF writer can read")
}

// fallbackChain finds fonts for the characters in need that no
// compiled-in face has: first the files the user named, then the system's
// fonts (known CJK and symbol fonts first). It returns the faces that
// cover something, in chain order, and complaints about the user's files.
func fallbackChain(need map[rune]bool, userFonts, dirs []string, systemDirs bool) ([]faceID, []string) {
	if len(need) == 0 || loadMetrics() != nil {
		return nil, nil
	}
	facesMu.Lock()
	defer facesMu.Unlock()
	var chain []faceID
	var complaints []string
	left := len(need)
	covered := map[rune]bool{}
	try := func(id faceID) {
		useful := false
		for r := range need {
			if !covered[r] && covers(id, r) {
				covered[r] = true
				left--
				useful = true
			}
		}
		if useful && !slices.Contains(chain, id) {
			chain = append(chain, id)
		}
	}
	for _, p := range userFonts {
		id, err := loadSystemFace(p)
		if err != nil {
			complaints = append(complaints, fmt.Sprintf("Font %s cannot be used: %v; name a TrueType (.ttf) file.", p, err))
			continue
		}
		try(id)
	}
	if left == 0 {
		return chain, complaints
	}
	if systemDirs {
		dirs = systemFontDirs()
	}
	// A character no font in these folders had before is not searched for
	// again in this process: the search reads every font file.
	key := dirsKey(dirs)
	if unfound[key] == nil {
		unfound[key] = map[rune]bool{}
	}
	for r := range need {
		if !covered[r] && unfound[key][r] {
			covered[r] = true
			left--
		}
	}
	if left == 0 {
		return chain, complaints
	}
	for _, p := range fontFiles(dirs) {
		if left == 0 {
			break
		}
		if !coversAny(p, need, covered) {
			continue
		}
		id, err := loadSystemFace(p)
		if err != nil {
			continue
		}
		try(id)
	}
	for r := range need {
		if !covered[r] {
			unfound[key][r] = true
		}
	}
	return chain, complaints
}

// unfound holds, per list of font folders, the characters no font there has.
var unfound = map[string]map[rune]bool{}

// coversAny reports cheaply whether a font file may have a glyph for one of
// the runes still needed, without loading its metrics: a face already
// loaded answers from them, another from its cmap.
func coversAny(path string, need, covered map[rune]bool) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			systemFaces[path] = systemFace{err: fmt.Errorf("a damaged font file: %v", p)}
			ok = false
		}
	}()
	if sf, ok := systemFaces[path]; ok {
		if sf.err != nil {
			return false
		}
		for r := range need {
			if !covered[r] && covers(sf.id, r) {
				return true
			}
		}
		return false
	}
	if !outlinesTrueType(path) {
		systemFaces[path] = systemFace{err: errors.New("not TrueType outlines")}
		return false
	}
	b, err := os.ReadFile(path)
	if err == nil {
		b, err = firstFace(b)
	}
	if err != nil || checkTrueType(b) != nil {
		systemFaces[path] = systemFace{err: errors.New("not usable")}
		return false
	}
	return cmapCovers(b, need, covered)
}

// cmapCovers reads a TrueType font's format 4 cmap for any needed rune.
func cmapCovers(b []byte, need, covered map[rune]bool) bool {
	f, err := sfnt.Parse(b)
	if err != nil {
		return false
	}
	for r := range need {
		if covered[r] {
			continue
		}
		if g, err := f.GlyphIndex(nil, r); err == nil && g != 0 {
			return true
		}
	}
	return false
}

// dirsKey identifies font folders as they are now: their paths and the
// modification times of them and their subfolders, which change when a font
// package is installed.
func dirsKey(dirs []string) string {
	var b strings.Builder
	for _, d := range dirs {
		b.WriteString(d)
		if st, err := os.Stat(d); err == nil {
			fmt.Fprintf(&b, "@%d", st.ModTime().UnixNano())
		}
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if e.IsDir() {
				if st, err := os.Stat(filepath.Join(d, e.Name())); err == nil {
					fmt.Fprintf(&b, ";%s@%d", e.Name(), st.ModTime().UnixNano())
				}
			}
		}
		b.WriteByte(0)
	}
	return b.String()
}

// firstFace returns a font file as fpdf can read it: a single font as it
// is, the first font of a collection (.ttc) rebuilt as a file of its own.
func firstFace(b []byte) ([]byte, error) {
	if len(b) < 16 || string(b[:4]) != "ttcf" {
		return b, nil
	}
	if binary.BigEndian.Uint32(b[8:]) == 0 {
		return nil, errors.New("an empty font collection")
	}
	off := int(binary.BigEndian.Uint32(b[12:]))
	if off < 0 || off+12 > len(b) {
		return nil, errors.New("a damaged font collection")
	}
	n := int(binary.BigEndian.Uint16(b[off+4:]))
	if off+12+16*n > len(b) {
		return nil, errors.New("a damaged font collection")
	}
	head := 12 + 16*n
	out := make([]byte, head, max(head, len(b)))
	copy(out, b[off:off+12])
	for i := range n {
		rec := b[off+12+16*i : off+12+16*i+16]
		to, size := int(binary.BigEndian.Uint32(rec[8:])), int(binary.BigEndian.Uint32(rec[12:]))
		if to < 0 || size < 0 || to > len(b) || size > len(b)-to {
			return nil, errors.New("a damaged font collection")
		}
		at := len(out)
		out = append(out, b[to:to+size]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		r := out[12+16*i : 12+16*i+16]
		copy(r, rec)
		binary.BigEndian.PutUint32(r[8:], uint32(at))
	}
	return out, nil
}

// outlinesTrueType reads only a font file's first bytes (and, for a
// collection, its first font's) to tell TrueType outlines from OpenType/CFF
// ones, so the search does not read large CFF fonts it cannot use.
func outlinesTrueType(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 16)
	if _, err := io.ReadFull(f, head); err != nil {
		return false
	}
	if string(head[:4]) == "ttcf" {
		off := int64(binary.BigEndian.Uint32(head[12:]))
		if _, err := f.ReadAt(head[:4], off); err != nil {
			return false
		}
	}
	switch string(head[:4]) {
	case "\x00\x01\x00\x00", "true":
		return true
	}
	return false
}
