package interview

import (
	"propose/proposal"
)

// ExportRequest says what to export where.
type ExportRequest struct {
	Format proposal.Format
	// Path is a file, a folder or "" (the current folder); see
	// proposal.ExportPath.
	Path string
	// Force overwrites an existing file.
	Force bool
	// IgnoreBlockers exports despite blockers (the user said so).
	IgnoreBlockers bool
	// ShowAssumptions keeps the "(assumption)" marks, for an internal draft.
	ShowAssumptions bool
	Options         proposal.RenderOptions
}

// Export writes the proposal after waiting for redrafts. It refuses while
// blockers remain unless told to ignore them, and returns the path written.
func (e *Engine) Export(req ExportRequest) (string, error) {
	e.hold()
	defer e.release()
	e.Wait()
	e.mu.Lock()
	e.reviewLocked()
	blockers := proposal.Blockers(e.s.Findings)
	cover := proposal.CoverOf(e.t, e.s.Facts, e.s.Today())
	draft := e.draftCopy()
	e.mu.Unlock()
	if blockers > 0 && !req.IgnoreBlockers {
		return "", &BlockedError{N: blockers}
	}
	cover, draft = proposal.ForExport(cover, draft, blockers, req.ShowAssumptions)
	req.Options.Draft = req.Options.Draft || cover.Draft
	if req.Options.Branding == nil {
		req.Options.Branding = e.cfg.Render.Branding
	}
	if len(req.Options.Fonts) == 0 {
		req.Options.Fonts = e.cfg.Render.Fonts
	}
	if req.Options.Warn == nil && e.events != nil {
		// What the PDF could not show as written (characters no font has,
		// a logo it cannot read) reaches the interface as a notice.
		req.Options.Warn = func(msg string) { e.Post(NoticeEvent{Text: msg}) }
	}
	data, err := proposal.Render(req.Format, cover, draft, req.Options)
	if err != nil {
		return "", err
	}
	path := proposal.ExportPath(req.Path, cover.Title, req.Format)
	if err := proposal.WriteFile(path, data, req.Force); err != nil {
		return "", err
	}
	return path, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
