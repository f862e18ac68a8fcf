package tui

import (
	"reflect"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
)

// bindings lists a key group's bindings by name, the embedded scrolling
// keys included.
func bindings(v reflect.Value) map[string]key.Binding {
	out := map[string]key.Binding{}
	for i := 0; i < v.NumField(); i++ {
		f, fv := v.Type().Field(i), v.Field(i)
		if f.Anonymous { // the embedded scrolling keys
			for n, b := range bindings(fv) {
				out[n] = b
			}
			continue
		}
		if b, ok := fv.Interface().(key.Binding); ok {
			out[f.Name] = b
		}
	}
	return out
}

// TestKeyGroupsDoNotClash: the root matches the global and the session's
// chords before a pane sees a key, so no pane key may be one of them
// (it would never arrive); and within a group two bindings share a key
// only where they work in different states, named here.
func TestKeyGroupsDoNotClash(t *testing.T) {
	km := DefaultKeyMap()
	// Same key, never live at once: enter submits while a question is
	// asked and opens the skipped ones at the end; the export dialog's
	// enter/esc close it once the file is written.
	apart := map[string]bool{"Answer.NextSkipped/Answer.Submit": true, "Export.Done/Export.Export": true,
		"Export.Cancel/Export.Done": true}
	// The review pane's refresh is the session's review chord, by design.
	same := map[string]bool{"Review.Refresh": true}
	groups := reflect.ValueOf(km)
	first := map[string]string{}
	for _, g := range []string{"Global", "Work"} {
		for name, b := range bindings(groups.FieldByName(g)) {
			for _, k := range b.Keys() {
				first[k] = g + "." + name
			}
		}
	}
	for i := 0; i < groups.NumField(); i++ {
		g := groups.Type().Field(i).Name
		seen := map[string]string{}
		for name, b := range bindings(groups.Field(i)) {
			full := g + "." + name
			for _, k := range b.Keys() {
				if other, ok := seen[k]; ok {
					pair := []string{other, full}
					if pair[0] > pair[1] {
						pair[0], pair[1] = pair[1], pair[0]
					}
					if !apart[strings.Join(pair, "/")] {
						t.Errorf("%s and %s both bind %q", other, full, k)
					}
				}
				seen[k] = full
				if g == "Draft" || g == "Review" || g == "Answer" {
					if owner, ok := first[k]; ok && !same[full] {
						t.Errorf("%s binds %q, which %s takes first", full, k, owner)
					}
				}
			}
		}
	}
}
