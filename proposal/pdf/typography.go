package pdf

import (
	"regexp"
	"strings"
	"unicode"
)

// The typographic rules of line breaking beyond "break at spaces": a space
// that must not break is glued (toWords keeps it inside the word), and CJK
// text, which has no spaces, may break between its characters.

// units are what follows a number and must stay on its line: "11 %",
// "3 000 €", "30 days", in the languages the catalogs cover.
var units = setOf(`% ‰ € $ £ ¥ ₹ ₽ ₩ chf eur usd gbp jpy cad aud sek nok dkk pln czk k m€ k€ m mm cm km kg t h hr hrs
hour hours min mins d day days wk wks week weeks month months mo yr yrs year years fte pp pts points
día días dia dias hora horas semana semanas mes meses año años ano anos
tag tage stunde stunden woche wochen monat monate jahr jahre std
jour jours heure heures semaine semaines mois an ans
giorno giorni ora ore settimana settimane mese mesi anno anni
dag dagen uur week weken maand maanden jaar jaren`)

// months are month names and abbreviations: "30 June", "1er mars".
var months = setOf(`january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
januar jänner februar märz april mai juni juli august september oktober november dezember
janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre decembre
janeiro fevereiro março marco abril maio junho julho agosto setembro outubro novembro dezembro
gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
januari februari maart april mei juni juli augustus september oktober november december`)

// periods follow a slash in a rate: "€1.200 / day", "3 000 € / month".
var periods = setOf(`h hr hour day d week wk month mo year yr quarter session person participant
hora día dia semana mes año ano trimestre sesión sesion persona
stunde tag woche monat jahr quartal sitzung person teilnehmer
heure jour semaine mois an trimestre séance seance personne
ora giorno settimana mese anno trimestre sessione persona
uur dag week maand jaar kwartaal sessie persoon`)

// rateWords join an amount to its period: "£1,800 a day", "€90 pro Stunde".
var rateWords = setOf(`a an per por pro par al`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

var (
	dayNumber  = regexp.MustCompile(`^\d{1,2}(\.|st|nd|rd|th|er|º|ª|o)?$`)
	dayAfter   = regexp.MustCompile(`^\d{1,2}(st|nd|rd|th)?,?$`)
	thousands  = regexp.MustCompile(`^\d{3}([.,]\d+)?[.,;:)]?$`)
	groupStart = regexp.MustCompile(`^[(]?[-−+]?(?:[€$£¥₹]|[A-Z]{3})?\d{1,3}$`)
	currency   = regexp.MustCompile(`^[(]?(?:[€$£¥₹₽₩]|[A-Z]{3}|Fr\.)$`)
	endsDigit  = regexp.MustCompile(`\d[)]?$`)
)

// bare lowercases a word and strips the punctuation around it.
func bare(s string) string {
	return strings.ToLower(strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsPunct(r) && r != '%' && r != '‰' && r != '/'
	}))
}

// glueSpaces marks the spaces that must not break: between a number and
// its unit or currency, inside a number grouped with spaces, around the
// slash of a rate, and between a day and its month.
func glueSpaces(ps []piece) {
	// The words around each space: text of the pieces between spaces.
	type span struct{ from, to int } // pieces [from, to)
	var words []span
	var spaces []int // index of the space piece before words[i+1]
	start := -1
	for i, p := range ps {
		switch {
		case p.brk:
			if start >= 0 {
				words = append(words, span{start, i})
				start = -1
			}
			words = append(words, span{i, i}) // a hard break: an empty word
			spaces = append(spaces, -1)
		case p.space:
			if start >= 0 {
				words = append(words, span{start, i})
				start = -1
				if p.text == " " {
					spaces = append(spaces, i)
				} else {
					spaces = append(spaces, -1)
				}
			}
		default:
			if start < 0 {
				start = i
			}
		}
	}
	if start >= 0 {
		words = append(words, span{start, len(ps)})
	}
	text := make([]string, len(words))
	for i, w := range words {
		if w.to-w.from == 1 {
			text[i] = ps[w.from].text // most words are one piece
			continue
		}
		var b strings.Builder
		for _, p := range ps[w.from:w.to] {
			b.WriteString(p.text)
		}
		text[i] = b.String()
	}
	for i := 0; i+1 < len(words) && i < len(spaces); i++ {
		s := spaces[i]
		if s < 0 {
			continue
		}
		a, b := text[i], text[i+1]
		next := ""
		if i+2 < len(text) {
			next = text[i+2]
		}
		if mustGlue(a, b, next) {
			ps[s].glue = true
		}
	}
}

// mustGlue decides for the space between words a and b (next follows b).
func mustGlue(a, b, next string) bool {
	if !strings.ContainsAny(a, "0123456789/") && !strings.ContainsAny(b, "0123456789/") {
		// Most spaces, between two words: only "de enero" and "a day".
		if len(a) > 3 {
			return false
		}
		ba, bb := bare(a), bare(b)
		return ((ba == "de" || ba == "di") && months[bb]) || (rateWords[ba] && periods[bb])
	}
	ba, bb := bare(a), bare(b)
	switch {
	case endsDigit.MatchString(a) && units[bb] && !strings.ContainsAny(b, "0123456789"):
		return true // 11 %, 3 000 €, 30 days
	case currency.MatchString(a) && len(b) > 0 && unicode.IsDigit([]rune(b)[0]):
		return true // € 3 000, EUR 1.200
	case groupStart.MatchString(a) && thousands.MatchString(b):
		return true // 3 000
	case b == "/" && (endsDigit.MatchString(a) || units[ba]):
		return true // €1.200 / day
	case a == "/" && periods[bb]:
		return true
	case endsDigit.MatchString(a) && rateWords[bb]:
		return true // £1,800 a day
	case rateWords[ba] && periods[bb]:
		return true
	case dayNumber.MatchString(a) && months[bb]:
		return true // 30 June, 1er mars, 1. März
	case dayNumber.MatchString(a) && (bb == "de" || bb == "di") && months[bare(next)]:
		return true // 11 de enero
	case (ba == "de" || ba == "di") && months[bb]:
		return true
	case months[ba] && dayAfter.MatchString(b) && !strings.ContainsAny(a, "0123456789"):
		return true // June 30, 2027
	}
	return false
}

// isCJK reports the characters of scripts written without spaces, between
// which a line may break.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// noBreakBefore are characters a CJK line must not start with; noBreakAfter
// those it must not end with (kinsoku).
const (
	noBreakBefore = "、。，．・：；？！ー」』）〕］｝〉》】〟’”々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ%)]},.:;!?"
	noBreakAfter  = "「『（〔［｛〈《【〝‘“([{"
)

// mayBreakInside is a quick test for splitCJK: only a hyphen or a character
// from U+2000 up (UTF-8 lead byte 0xE2 and above) can make a break.
func mayBreakInside(word string) bool {
	for i := 0; i < len(word); i++ {
		if c := word[i]; c == '-' || c >= 0xE2 {
			return true
		}
	}
	return false
}

// splitCJK cuts a word at the places a CJK line may break, so each part is
// its own piece with a zero-width break between them.
//
// A word may also break after a hyphen between two letters
// ("LA-2027-PEDIDO-|COBRO", "order-to-|cash"), never inside a number or a
// date.
func splitCJK(word string) []string {
	if !strings.ContainsFunc(word, isCJK) && !strings.ContainsAny(word, "-‐") {
		return []string{word}
	}
	var parts []string
	rs := []rune(word)
	last := 0
	for i := 1; i < len(rs); i++ {
		prev, cur := rs[i-1], rs[i]
		if (prev == '-' || prev == '‐') && i >= 2 && unicode.IsLetter(rs[i-2]) && unicode.IsLetter(cur) && i-last >= 3 && len(rs)-i >= 2 {
			parts = append(parts, string(rs[last:i]))
			last = i
			continue
		}
		if !isCJK(prev) && !isCJK(cur) {
			continue
		}
		if strings.ContainsRune(noBreakBefore, cur) || strings.ContainsRune(noBreakAfter, prev) {
			continue
		}
		parts = append(parts, string(rs[last:i]))
		last = i
	}
	return append(parts, string(rs[last:]))
}
