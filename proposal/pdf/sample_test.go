package pdf

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sampleDir, when set, makes TestWriteSample write the sample proposals
// there: go test ./proposal/pdf/ -run TestWriteSample -sample-dir /tmp/pdf
// then look at them with pdftoppm -png -r 60.
var sampleDir = flag.String("sample-dir", "", "write sample PDFs to this folder")

var sampleMeta = Meta{
	Title:       "Customer Data Platform — Discovery and Rollout",
	PreparedFor: "Αθήνα Logistics S.A. · Москва office",
	PreparedBy:  "Lena Brandt, Brandt & Partner Consulting",
	Date:        "12 March 2026",
	Reference:   "BP-2026-014",
	Author:      "Lena Brandt",
}

// sampleBody is a realistic proposal body: what the drafter produces.
const sampleBody = `## Executive summary

Αθήνα Logistics wants one view of its customers across the Greek and Russian
markets (Αθήνα, Θεσσαλονίκη, Москва). Today that view lives in **four systems**
and a spreadsheet nobody trusts. We propose a *twelve-week* engagement — discovery,
a working pilot, then rollout — for a fixed fee of **€30.500**, excluding VAT.

> "We lose a day every month reconciling customer numbers. We need one answer,
> and we need it before the autumn peak."
> — Maria Papadopoulou, Head of Operations

## Background and objectives

The customer data currently sits in the ERP (SAP Business One), the CRM, the
e-commerce back office and the Moscow office's 1C installation. Each holds part
of the picture; none holds all of it. The objectives agreed in our call on
3 March are:

1. A single customer record, matched across all four systems, with a documented
   matching rule that the operations team can explain to an auditor.
2. Daily refreshed dashboards for sales and operations.
   - Revenue by customer, region and product line
   - Order-to-cash cycle time, with outliers flagged
3. A handover so that your team runs the platform without us.

See the [data protection guidance](https://www.dataprotection.gov.gr/) we will
follow, and our [approach](#approach) below.

## Approach

We work in three phases. Each ends with a decision meeting, so you can stop
after any phase and keep everything produced so far.

### Phase 1: Discovery (weeks 1–3)

We interview the owners of each system, profile the data and write the
matching rules. The output is a *data map* and a go/no-go recommendation.

### Phase 2: Pilot (weeks 4–8)

We build the pipeline for the two largest sources and the first dashboard.
Naïve matching (exact e-mail address) gets us to roughly 70 %; the rest needs
fuzzy matching on name, VAT number and address, which we tune with your team.

### Phase 3: Rollout and handover (weeks 9–12)

The remaining sources, the full dashboard set, runbooks, and two training
sessions (Athens and Moscow — remote for Moscow).

## Deliverables

- Data map and matching rules (document, ~15 pages)
- Pipeline code in your repository, with tests
- Five dashboards:
  - Customer overview
  - Revenue by region
  - Order-to-cash
  - Data quality
  - Exceptions
- Runbooks and two training sessions

## Timeline

| Milestone | Week | Decision |
|---|---|---|
| Kick-off | 1 | Scope confirmed |
| Data map delivered | 3 | Go / no-go for pilot |
| Pilot dashboard live | 8 | Go / no-go for rollout |
| Handover complete | 12 | Acceptance |

## Fees

Fees are fixed per phase and invoiced when each phase is accepted.

| Item | Days | Amount |
|---|---|---|
| Phase 1: Discovery | 6 | €7.500 |
| Phase 2: Pilot | 10 | €12.500 |
| Phase 3: Rollout and handover | 8 | €10.000 |
| Travel to Athens (flat) | | €500 |
| **Total** | **24** | **€30.500** |

### Options

| Option | What you get | Price |
|---|---|---|
| A — Discovery only | Data map, matching rules, recommendation | €7.500 |
| B — Discovery and pilot | Option A plus a working pilot on two sources and one dashboard | €20.000 |
| C — Full engagement | Everything above, all sources, five dashboards, handover and training | €30.500 |

## Assumptions

- Your team gives us read access to all four systems in week 1.
- One contact per system is available for about two hours a week.
- The Moscow office's 1C export can be scheduled daily; if not, we add a
  manual upload step:
  1. Export to CSV each evening
  2. Upload to the shared folder
- Hosting runs on your existing Azure subscription.

---

## Terms

1. Invoices are payable within 30 days.
2. Either party may end the engagement at a phase boundary with two weeks' notice.
3. Work product belongs to Αθήνα Logistics on payment; we keep our general
   know-how and tools. Configuration lives under ` + "`infra/cdp`" + ` in your repository.

## Next steps

If this proposal works for you, reply to confirm and we will schedule the
kick-off for the week of **6 April**. Questions: lena@brandt-partner.example or
+49 30 1234 567.
`

// edgeBody has the Markdown a drafter produces less often.
const edgeBody = `# A top-level heading

Text under it, with a very long link: https://example.com/a/very/long/path/that/does/not/fit/on/one/line/at/all/because/it/keeps/going/and/going?with=query&and=more
and a ~~struck~~ word, a hard  
break, and an image ![diagram of the pipeline](diagram.png).

## Lists in depth

- Level one
  - Level two with a longer text that wraps onto a second line to check the hanging indent of nested items
    - Level three
      - Level four
- [x] A done task
- [ ] An open task

1. First

   A second paragraph in a loose item.

2. Second
   > A quote inside a list item.

10. Ten

## Quotes

> Outer quote.
>
> > Nested quote with **bold** and a list:
> >
> > - one
> > - two

## Code

` + "```go" + `
func main() {
	fmt.Println("a line that is long enough to need wrapping inside the code panel, which it should do between characters")
}
` + "```" + `

## A wide table

| # | Workstream | Owner | Start | End | Days | Rate | Amount | Notes |
|--:|---|---|---|---|---:|---:|---:|---|
| 1 | Discovery | LB | 2026-04-06 | 2026-04-24 | 6 | €1.250 | €7.500 | Interviews in Athens |
| 2 | Pilot | LB, MK | 2026-04-27 | 2026-06-05 | 10 | €1.250 | €12.500 | Two sources |
| 3 | Rollout | MK | 2026-06-08 | 2026-07-03 | 8 | €1.250 | €10.000 | All sources |

#### A fourth-level heading

##### Fifth

###### Sixth

Final paragraph.
`

// longBody generates a proposal of about sections sections, each with
// paragraphs, lists and a fee table: 30 pages at sections = 30.
func longBody(sections int) []byte {
	var b strings.Builder
	para := "Our team combines hands-on engineering with the change management a data " +
		"project needs to stick. We start from the decisions you want to make, not from the " +
		"data you happen to have, and we write down every assumption so that it can be " +
		"checked — by you, by us and by your auditors in Αθήνα and Москва. "
	for s := 1; s <= sections; s++ {
		fmt.Fprintf(&b, "## Section %d: Workstream %d\n\n", s, s)
		fmt.Fprintf(&b, "%sThis workstream costs **€%d.%03d** and takes *%d weeks*.\n\n", para, s*3, s*125%1000, s%5+2)
		b.WriteString(strings.ReplaceAll(para, "team", "consultants") + "\n\n")
		fmt.Fprintf(&b, "### Scope of workstream %d\n\n", s)
		b.WriteString("- Interviews with system owners\n- Data profiling and quality report\n  - Completeness\n  - Duplicates\n- Matching rules, reviewed with your team\n\n")
		b.WriteString("1. Prepare\n2. Build\n3. Hand over\n\n")
		b.WriteString("> A quote from the client, as recorded in the discovery call, to make the point.\n\n")
		b.WriteString("| Item | Days | Amount |\n|---|---:|---:|\n")
		for i := 1; i <= 3+s%7; i++ {
			fmt.Fprintf(&b, "| Activity %d.%d with a longer description that wraps | %d | €%d.%03d |\n", s, i, i+2, i*2, i*125)
		}
		b.WriteString("| **Total** | **27** | **€14.625** |\n\n")
		for range s % 3 {
			b.WriteString(para + "\n\n")
		}
	}
	return []byte(b.String())
}

// longTable is a proposal with one 80-row milestone table.
func longTable(rows int) []byte {
	var b strings.Builder
	b.WriteString("## Milestones\n\nThe plan, week by week.\n\n| Milestone | Owner | Amount |\n|---|---|---|\n")
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&b, "| Milestone %02d: deliver the agreed artefact | Team %c | €%d.000 |\n", i, 'A'+rune(i%4), i)
	}
	b.WriteString("| **Total** | | **€3.240.000** |\n")
	return []byte(b.String())
}

func TestWriteSample(t *testing.T) {
	if *sampleDir == "" {
		t.Skip("set -sample-dir to write the sample PDFs")
	}
	if err := os.MkdirAll(*sampleDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{
		"sample":  []byte(sampleBody),
		"long":    longBody(30),
		"table":   longTable(80),
		"unicode": []byte(unsafeBody),
		"edge":    []byte(edgeBody),
	} {
		for _, size := range []PageSize{A4, Letter} {
			var buf bytes.Buffer
			if _, err := Render(&buf, sampleMeta, body, pinned(Options{PageSize: size})); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(*sampleDir, name+"-"+strings.ToLower(string(size))+".pdf")
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s (%d bytes)", path, buf.Len())
		}
	}
}
