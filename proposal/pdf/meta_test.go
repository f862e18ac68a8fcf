package pdf

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLabelsReplaceEnglish renders with Spanish labels: every word the PDF
// writes itself is the label given, none of the English defaults remain.
func TestLabelsReplaceEnglish(t *testing.T) {
	es := Labels{PreparedFor: "Preparado para", PreparedBy: "Preparado por", Attention: "A la atención de", Date: "Fecha",
		Reference: "Referencia", Page: "Página {page} de {pages}", Draft: "Borrador", For: "Por {party}",
		Signature: "Firma", Name: "Nombre", SignatoryRole: "Cargo", SignedOn: "Fecha"}
	meta := Meta{Title: "Diagnóstico logístico", Kind: "Propuesta", PreparedFor: "Ejemplo Logística S.L.", Attention: "Marta Ruiz, Directora",
		PreparedBy: "López & Asociados — Ana López", Date: "11 de enero de 2027", Reference: "LA-1", Lang: "es-ES", Draft: true, Labels: es,
		Signing: &Signing{Acceptance: "**Aceptación.** Firme abajo.", Parties: []Signatory{{Party: "Ejemplo Logística S.L.", Name: "Marta Ruiz", Title: "Directora"}, {Party: "López & Asociados", Name: "Ana López"}}}}
	data := renderT(t, meta, []byte("## Situación\n\nTexto.\n"), Options{})
	ctx := openPDF(t, data)
	text := strings.ReplaceAll(strings.Join(allText(t, ctx), "\n"), "\n", "")
	for _, want := range []string{"PROPUESTA", "PREPARADO PARA", "A LA ATENCIÓN DE", "PREPARADO POR", "FECHA", "REFERENCIA",
		"BORRADOR", "Página 2 de 2", "Por Ejemplo Logística S.L.", "Por López & Asociados", "Firma", "Nombre", "Cargo"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q:\n%s", want, text)
		}
	}
	for _, english := range []string{"PROPOSAL", "PREPARED", "ATTENTION", "DATE", "REFERENCE", "DRAFT", "Page ", "Signature", "Name", "Title", "For "} {
		if strings.Contains(text, english) {
			t.Errorf("English %q left in a Spanish PDF:\n%s", english, text)
		}
	}
	if !bytes.Contains(data, []byte("/Lang (es-ES)")) {
		t.Error("document language not in the catalog")
	}
	if info := docInfo(ctx); info["Subject"] != "Propuesta — Ejemplo Logística S.L." {
		t.Errorf("subject = %q", info["Subject"])
	}
}

// TestCoverWrapsNamesAndNamesTheAddressee: long names wrap whole on the
// cover, the buyer is there as the addressee, and the client once.
func TestCoverWrapsNamesAndNamesTheAddressee(t *testing.T) {
	meta := Meta{Title: "Diagnóstico y rediseño del proceso de pedido a cobro en las plantas de Zaragoza y Valencia",
		PreparedFor: "Ejemplo Logística Integral del Mediterráneo S.L.", Attention: "María Fernández-Villaverde, Directora General de Operaciones",
		PreparedBy: "López & Asociados Consultores — Ana María López-Ibáñez, Socia Directora", Date: "11 January 2027"}
	ctx := openPDF(t, renderT(t, meta, nil, Options{}))
	cover := pageText(t, ctx, 1)
	flat := strings.Join(strings.Fields(cover), " ")
	for _, want := range []string{meta.PreparedFor, meta.Attention, meta.PreparedBy, "ATTENTION"} {
		if !strings.Contains(flat, want) {
			t.Errorf("cover lacks %q whole:\n%s", want, cover)
		}
	}
	if strings.Contains(cover, "…") || strings.Contains(cover, "...") {
		t.Errorf("cover cuts a name:\n%s", cover)
	}
	if n := strings.Count(flat, "Ejemplo Logística Integral"); n != 1 {
		t.Errorf("client named %d times on the cover", n)
	}
}

// TestBranding: the firm and contact line on the cover, the firm in the
// footers and the logo embedded; a logo that cannot be read is a warning.
func TestBranding(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		for y := range 20 {
			img.Set(x, y, color.RGBA{122, 31, 61, 255})
		}
	}
	logo := filepath.Join(t.TempDir(), "logo.png")
	f, err := os.Create(logo)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	meta := Meta{Title: "Turnaround", PreparedFor: "Acme", Branding: &Branding{Firm: "Northbridge Advisory", Logo: logo, Accent: "#7a1f3d",
		Contact: "1 King Street, London · +44 20 0000 0000"}}
	data, warnings := renderW(t, meta, []byte("## A\n\nText.\n"), Options{})
	if len(warnings) != 0 {
		t.Errorf("warnings: %q", warnings)
	}
	ctx := openPDF(t, data)
	pages := allText(t, ctx)
	if !strings.Contains(pages[0], "Northbridge Advisory") || !strings.Contains(pages[0], "1 King Street, London") {
		t.Errorf("cover lacks the firm or contact line:\n%s", pages[0])
	}
	if !strings.Contains(pages[1], "Northbridge Advisory") {
		t.Errorf("footer lacks the firm:\n%s", pages[1])
	}
	if !bytes.Contains(data, []byte("/Subtype /Image")) {
		t.Error("logo not embedded")
	}
	if r := newRenderer(fpdfDoc(), &shaper{}, meta); r.accent != (rgb{122, 31, 61}) {
		t.Errorf("accent = %v, want the branding's #7a1f3d", r.accent)
	}

	meta.Branding.Logo = filepath.Join(t.TempDir(), "missing.png")
	meta.Branding.Accent = "blue-ish"
	_, warnings = renderW(t, meta, nil, Options{})
	joined := strings.Join(warnings, "\n")
	if !strings.Contains(joined, "missing.png cannot be read") || !strings.Contains(joined, `"blue-ish"`) {
		t.Errorf("bad logo or colour not reported: %q", warnings)
	}
	plainMeta := Meta{Title: "Turnaround"}
	if _, w := renderW(t, plainMeta, nil, Options{}); len(w) != 0 {
		t.Errorf("warnings without branding: %q", w)
	}
}

// TestRealFontNames: the embedded fonts carry their PostScript names with a
// subset tag, not fpdf's made-up "utf8…" names.
func TestRealFontNames(t *testing.T) {
	data := renderT(t, sampleMeta, []byte(sampleBody+"\n\nCheck ✓.\n"), Options{})
	if bytes.Contains(data, []byte("/utf8")) {
		t.Error("a font keeps fpdf's made-up name")
	}
	for _, name := range []string{"+LiberationSans", "+LiberationSans-Bold", "+LiberationSans-Italic", "+LiberationMono", "+DejaVuSans"} {
		if !bytes.Contains(data, []byte(name)) {
			t.Errorf("no font named %s", name)
		}
	}
	openPDF(t, data) // offsets still right
}
