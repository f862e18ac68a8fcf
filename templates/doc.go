package templates

import _ "embed"

// Guide is this folder's README.md, the guide to writing templates, as the
// program ships it: `propose templates --doc` prints it.
//
//go:embed README.md
var Guide string
