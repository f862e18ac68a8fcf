package interview

// Language is the proposal's BCP 47 language tag ("en" by default).
func (e *Engine) Language() string { return e.Template().Language() }

// SetLanguage changes the language the proposal is written in (a BCP 47 tag
// the template's catalogs know; see templates.Languages.ParseLanguage). The
// headings, the drafted text and every word the program adds change with it:
// every section is redrafted, the session saved and the proposal reviewed
// again. The answers stay as they were given.
func (e *Engine) SetLanguage(tag string) error {
	e.mu.Lock()
	if e.cfg.ReadOnly {
		e.mu.Unlock()
		return ErrReadOnly
	}
	e.t = e.t.In(tag)
	e.s.Language = tag
	if e.t.Language() == "en" && tag != "en" {
		// No catalog for it: the proposal is English, and says so.
		e.s.Language = e.t.Language()
	}
	e.tmpl.Store(e.t)
	e.cfg.Language = e.t.Language() // the drafter's prompts from now on
	e.s.Updated = e.cfg.Now()
	e.s.Draft.Align(e.t)
	e.holdLocked()
	defer e.release()
	e.redraftLocked()
	e.saveLocked()
	e.mu.Unlock()
	e.Wait()
	e.mu.Lock()
	e.reviewLocked()
	e.saveLocked()
	e.mu.Unlock()
	return e.flush()
}
