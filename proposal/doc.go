// Package proposal is the document: the facts an interview establishes, the
// drafted sections, the drafter and reviewer agents that read those facts, and
// the exporters. It knows nothing of terminals or of how questions are asked.
package proposal
