package proposal

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Value claims: "eight times the investment", "a 3x return", "pays for
// itself in four months". They are figures a client checks against the
// fees and the value the same document states, so code checks them too:
// a claim the fees and the value answer support passes; one they
// contradict, or one no answer supports, does not. The words are read in
// every built-in language, with digits or small number words.

// claimKind says what a value claim states.
type claimKind int

const (
	claimMultiple claimKind = iota + 1 // the value is N times the fees
	claimPayback                       // the fees are recovered within a time
)

// Days in a month and a year, for paybacks written in either.
const (
	daysPerMonth = 365.25 / 12
	daysPerYear  = 365.25
)

// valueClaim is one claim found in text.
type valueClaim struct {
	kind       claimKind
	start, end int
	text       string
	mult       float64 // claimMultiple: N
	days       float64 // claimPayback: the time it names, in days
	horizon    float64 // claimMultiple: "over three years", in days; 0 when none
}

// numberWords are the small numbers written out, in every built-in
// language; "a", "un", "ein" count as one only before a unit of time.
var numberWords = map[string]float64{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
	"uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
	"doce": 12, "quince": 15, "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "cien": 100,
	"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
	"elf": 11, "zwölf": 12, "fünfzehn": 15, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "hundert": 100,
	"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
	"onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "cent": 100,
	"dois": 2, "duas": 2, "três": 3, "quatro": 4, "sete": 7, "oito": 8, "nove": 9, "dez": 10,
	"doze": 12, "vinte": 20, "trinta": 30, "quarenta": 40, "cinquenta": 50, "cem": 100,
	"due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "dieci": 10,
	"undici": 11, "dodici": 12, "quindici": 15, "venti": 20, "trenta": 30, "quaranta": 40, "cinquanta": 50, "cento": 100,
	"twee": 2, "drie": 3, "vijf": 5, "zes": 6, "zeven": 7, "negen": 9, "tien": 10,
	"twaalf": 12, "vijftien": 15, "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "honderd": 100,
}

// oneWords count as one before a unit of time ("in a year", "en un mes").
var oneWords = map[string]bool{
	"a": true, "an": true, "un": true, "una": true, "une": true, "um": true, "uma": true, "ein": true, "eine": true,
	"einem": true, "einen": true, "een": true, "één": true, "uno": true, "first": true, "primer": true, "primera": true,
	"ersten": true, "erste": true, "première": true, "premier": true, "primeiro": true, "primeira": true, "primo": true,
	"prima": true, "eerste": true,
}

// twiceWords are multiples said in one word: "twice the investment".
var twiceWords = map[string]float64{
	"twice": 2, "double": 2, "triple": 3, "quadruple": 4, "doble": 2, "doppelte": 2, "doppelten": 2,
	"dobro": 2, "triplo": 3, "doppio": 2, "dubbele": 2,
}

// unitDays are the units of time a payback or a horizon is written in.
var unitDays = map[string]float64{}

func init() {
	for days, words := range map[float64]string{
		1:               "day days día días dia dias tag tage tagen jour jours giorno giorni dag dagen",
		7:               "week weeks semana semanas woche wochen semaine semaines settimana settimane weken",
		daysPerMonth:    "month months mes meses monat monate monaten monats mois mês mese mesi maand maanden",
		daysPerYear / 4: "quarter quarters trimestre trimestres quartal quartale quartalen trimestri kwartaal kwartalen",
		daysPerYear:     "year years año años jahr jahre jahren jahres an ans année années ano anos anno anni jaar jaren",
	} {
		for _, w := range strings.Fields(words) {
			unitDays[w] = days
		}
	}
}

func alternation(words []string) string {
	sort.Slice(words, func(i, j int) bool {
		if len(words[i]) != len(words[j]) {
			return len(words[i]) > len(words[j])
		}
		return words[i] < words[j]
	})
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = regexp.QuoteMeta(w)
	}
	return strings.Join(q, "|")
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// The claim patterns. A number is digits or a number word; what follows it
// says what it multiplies ("the investment", "return"); a payback is a
// verb that says so and a time near it in the same sentence.
const (
	claimDet = `(?:(?:the|its|their|your|our|this|that|la|el|los|las|lo|su|sus|der|des|die|dem|den|ihrer|ihres|seiner|seines|le|les|son|sa|ses|o|a|os|as|seu|sua|il|i|gli|de|het|zijn|hun)\s+|l['’]|dell['’]|de\s+l['’])?`
	claimInv = `(?:investments?|fees?|costs?|price|outlay|spend|what\s+it\s+costs|inversión|inversion|costes?|costos?|honorarios|precio|invertido|investitions?summe|investitionen|investition|honorars?|kosten|preises?|einsatzes|investissement|coûts?|couts?|honoraires|prix|investimento|custos?|honorários|preço|onorari|onorario|compenso|prezzo|investering|honorarium|prijs|inleg)`
	claimRet = `(?:returns?|roi|retorno|rendimiento|rendite|rendement|ritorno|retour)`
	// A multiplier after a number: "times", "x", "veces", "fois"...
	claimTimes = `(?:\s*[x×]|\s*-?fold|\s+times|\s+veces|\s*-?mal|\s+fois|\s+vezes|\s+volte|\s+keer|\s*maal)`
	// A time: "four months", "6 weeks", "the first year", "un mes".
	claimWhen = `(?:(?:the|los|las|el|la|den|die|dem|des|le|les|o|os|a|as|il|i|gli|de|het)\s+)?`
)

type claimPatterns struct {
	multiple []*regexp.Regexp // each with a group "n" (or "w", a one-word multiple)
	payback  *regexp.Regexp
	when     *regexp.Regexp // a time: groups "n" and "u"
	perYear  *regexp.Regexp // value per year, per month, per quarter, per week near an amount
	perMonth *regexp.Regexp
	perQtr   *regexp.Regexp
	perWeek  *regexp.Regexp
	scale    *regexp.Regexp // "million", "m", "Mio." after a number; a currency word after it
}

var claimRE = sync.OnceValue(func() claimPatterns {
	num := `(?P<n>\d+(?:[.,]\d+)?|` + alternation(keys(numberWords)) + `)`
	edge := `(?:^|[^\pL\pN])`
	after := `(?:[^\pL\pN]|$)`
	var p claimPatterns
	for _, s := range []string{
		// "eight times the investment", "3x the fee", "acht keer de investering"
		edge + num + claimTimes + `\s+(?:over\s+)?` + claimDet + claimInv + after,
		// "a 3x return", "5-fold ROI"
		edge + num + `(?:\s*[x×]|\s*-?fold|\s+times)\s+(?:the\s+|a\s+|an\s+|de\s+|la\s+|el\s+|die\s+|le\s+|o\s+|il\s+|het\s+)?` + claimRet + after,
		// "a return of 5x", "ROI of 5:1", "retorno de 3x", "Rendite von 3x"
		edge + claimRet + `(?:\s+on\s+(?:the\s+)?investment|\s+sur\s+investissement|\s+sobre\s+la\s+inversión|\s+sull['’]investimento|\s+sobre\s+o\s+investimento)?\s+(?:of|de|von|di|van|do|du|da)\s+` + num + `(?:\s*[x×]|\s*-?fold|\s+times|\s+veces|\s+fois|\s+vezes|\s+volte|\s+keer|\s*:\s*1)` + after,
		// "a 400% return", "an ROI of 400%": read as four times (the
		// lenient reading; "400% ROI" may also mean five)
		edge + `(?P<pct>\d+(?:[.,]\d+)?)\s?%\s+(?:(?:return|roi)\b|retorno|rendimiento|rendite|rendement|ritorno|retour)` + after,
		edge + claimRet + `(?:\s+on\s+(?:the\s+)?investment|\s+sur\s+investissement|\s+sobre\s+la\s+inversión|\s+sull['’]investimento|\s+sobre\s+o\s+investimento)?\s+(?:of|de|von|di|van|do|du|da)\s+(?P<pct>\d+(?:[.,]\d+)?)\s?%` + after,
		// "a 5:1 return"
		edge + num + `\s*:\s*1\s+` + claimRet + after,
		// "das Achtfache der Investition", "8-fache des Honorars", "achtvoudige van de investering"
		edge + num + `-?(?:fache[nms]?|voud(?:ige)?)\s+(?:van\s+)?` + claimDet + claimInv + after,
		// "pays for itself eight times over"
		edge + num + `\s+times\s+over` + after,
		// "twice the investment", "el doble de la inversión"
		edge + `(?P<w>` + alternation(keys(twiceWords)) + `)\s+(?:de\s+|of\s+|der\s+|do\s+)?` + claimDet + claimInv + after,
	} {
		p.multiple = append(p.multiple, regexp.MustCompile(`(?i)`+s))
	}
	p.payback = regexp.MustCompile(`(?i)` + edge + `(?:` + strings.Join([]string{
		`pays?\s+(?:for\s+)?itself(?:\s+back)?`, `paid\s+(?:for\s+)?itself(?:\s+back)?`, `pay-?back`, `(?:it|this|which|that)\s+(?:will\s+|would\s+)?pays?\s+back`,
		`breaks?\s+even`, `break-even`, `(?:recoup|recover)(?:s|ed)?\s+(?:its|the|this|our)\s+(?:cost|investment|fees?|outlay)`,
		`se\s+paga(?:rá)?\s+(?:sol[oa]|por\s+s[ií]\s+mism[oa])`, `se\s+amortiza(?:rá)?`, `recupera(?:rá)?\s+(?:la\s+inversión|su\s+coste|el\s+coste|o\s+investimento)`,
		`se\s+rentabiliza(?:rá)?`, `retorno\s+de\s+la\s+inversión\s+en`,
		`amortisiert`, `rechnet\s+sich`, `bezahlt\s+sich`, `macht\s+sich[^.;!?\n]{0,30}bezahlt`, `refinanziert\s+sich`, `amortisationszeit`,
		`se\s+rentabilis\w*`, `rentabilisée?s?`, `s['’]amortit`, `s['’]amortira`, `se\s+rembourse\w*`, `seuil\s+de\s+rentabilité`,
		`se\s+paga`, `paga-se`, `amortiza-se`, `retorno\s+do\s+investimento\s+em`,
		`si\s+ripaga\w*`, `si\s+ammortizza\w*`, `rientra\w*\s+(?:dell['’]investimento|nei\s+costi|della\s+spesa)`, `ritorno\s+dell['’]investimento\s+in`,
		`verdien\w*\s+zichzelf`, `terugverdien\w*`, `betaalt\s+zichzelf`,
	}, "|") + `)` + after)
	units := keys(unitDays)
	p.when = regexp.MustCompile(`(?i)` + edge + claimWhen + `(?P<n>\d+(?:[.,]\d+)?|` + alternation(append(keys(numberWords), keys(oneWords)...)) + `)[\s-]+(?P<u>` + alternation(units) + `)` + after)
	period := func(words ...string) *regexp.Regexp {
		return regexp.MustCompile(`(?i)` + edge + `(?:` + strings.Join(words, "|") + `)` + after)
	}
	p.perYear = period(`(?:a|per|each|every|/)\s*(?:year|yr|annum)`, `annual(?:ly)?`, `yearly`, `p\.\s?a\.?`, `al\s+año`, `por\s+año`, `cada\s+año`, `anual(?:es|mente)?`,
		`pro\s+jahr`, `im\s+jahr`, `jährlich\w*`, `jedes\s+jahr`, `par\s+an`, `chaque\s+année`, `annuel\w*`, `par\s+année`, `por\s+ano`, `ao\s+ano`, `cada\s+ano`,
		`anuais`, `all['’]anno`, `l['’]anno`, `ogni\s+anno`, `annu[oiae]`, `per\s+jaar`, `elk\s+jaar`, `jaarlijks\w*`, `per\s+anno`)
	p.perMonth = period(`(?:a|per|each|every|/)\s*month`, `monthly`, `al\s+mes`, `por\s+mes`, `cada\s+mes`, `mensual\w*`, `pro\s+monat`, `im\s+monat`, `monatlich\w*`,
		`jeden\s+monat`, `par\s+mois`, `chaque\s+mois`, `mensuel\w*`, `por\s+mês`, `ao\s+mês`, `cada\s+mês`, `mensa(?:l|is)`, `al\s+mese`, `ogni\s+mese`, `mensil[ei]`,
		`per\s+maand`, `elke\s+maand`, `maandelijks\w*`)
	p.perQtr = period(`(?:a|per|each|every)\s+quarter`, `quarterly`, `por\s+trimestre`, `cada\s+trimestre`, `trimestral\w*`, `pro\s+quartal`, `im\s+quartal`,
		`vierteljährlich\w*`, `quartalsweise`, `par\s+trimestre`, `chaque\s+trimestre`, `trimestriel\w*`, `ogni\s+trimestre`, `per\s+kwartaal`, `elk\s+kwartaal`)
	p.perWeek = period(`(?:a|per|each|every)\s+week`, `weekly`, `por\s+semana`, `cada\s+semana`, `semanal\w*`, `pro\s+woche`, `wöchentlich\w*`, `par\s+semaine`,
		`chaque\s+semaine`, `hebdomadaire\w*`, `a\s+settimana`, `ogni\s+settimana`, `settimanal\w*`, `per\s+week`, `elke\s+week`, `wekelijks\w*`)
	p.scale = regexp.MustCompile(`(?i)^(?:\s?(?P<s>m|mn|mio\.?|mill?\.|millions?|millionen|million|millón|millones|milioni?|milhões|milhão|miljoen|bn|billions?|mrd\.?|milliarden?|miliardi?|thousand|tausend|mil|k)(?:[^\pL\pN]|$))?` +
		`(?:\s?(?:de\s+|di\s+|d['’]\s?)?(?P<c>euros?|dollars?|dólares|pounds?|libras?|sterling|€|£|\$|EUR|USD|GBP|CHF)(?:[^\pL]|$))?`)
	return p
})

var scaleOf = map[string]float64{
	"m": 1e6, "mn": 1e6, "mio": 1e6, "mio.": 1e6, "mill.": 1e6, "mil.": 1e6, "million": 1e6, "millions": 1e6, "millionen": 1e6,
	"millón": 1e6, "millones": 1e6, "milione": 1e6, "milioni": 1e6, "milhões": 1e6, "milhão": 1e6, "miljoen": 1e6,
	"bn": 1e9, "billion": 1e9, "billions": 1e9, "mrd": 1e9, "mrd.": 1e9, "milliarde": 1e9, "milliarden": 1e9, "miliardo": 1e9, "miliardi": 1e9,
	"thousand": 1e3, "tausend": 1e3, "mil": 1e3, "k": 1e3,
}

var currencyWords = map[string]string{
	"euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD", "dólares": "USD",
	"pound": "GBP", "pounds": "GBP", "libra": "GBP", "libras": "GBP", "sterling": "GBP",
}

// claimNumber reads a number in digits or words.
func claimNumber(s string) (float64, bool) {
	s = strings.ToLower(s)
	if v, ok := numberWords[s]; ok {
		return v, true
	}
	if oneWords[s] {
		return 1, true
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	return v, err == nil && v > 0
}

// findWhen finds the first time in text ("four months"): its length in
// days and where it is.
func findWhen(text string) (days float64, start, end int, ok bool) {
	p := claimRE()
	m := p.when.FindStringSubmatchIndex(text)
	if m == nil {
		return 0, 0, 0, false
	}
	ni, ui := p.when.SubexpIndex("n"), p.when.SubexpIndex("u")
	n, ok := claimNumber(text[m[2*ni]:m[2*ni+1]])
	if !ok {
		return 0, 0, 0, false
	}
	u := unitDays[strings.ToLower(text[m[2*ui]:m[2*ui+1]])]
	start = m[0]
	for start < len(text) && !isClaimChar(text[start]) {
		start++
	}
	end = m[2*ui+1]
	return n * u, start, end, true
}

func isClaimChar(c byte) bool {
	return c >= 0x80 || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// trimClaim narrows a match to the claim's own words: no space or
// punctuation at either end.
func trimClaim(text string, start, end int) (int, int) {
	for start < end && !isClaimChar(text[start]) {
		start++
	}
	for end > start && !isClaimChar(text[end-1]) {
		end--
	}
	return start, end
}

// sentenceBounds returns the bounds of the sentence around text[from:to],
// within a window of n bytes either side: a claim and its time are in one
// sentence.
func sentenceBounds(text string, from, to, n int) (int, int) {
	lo, hi := max(0, from-n), min(len(text), to+n)
	for i := from - 1; i >= lo; i-- {
		if c := text[i]; c == ';' || c == '!' || c == '?' || c == '\n' || c == '.' && (i+1 >= len(text) || text[i+1] == ' ') {
			lo = i + 1
			break
		}
	}
	for i := to; i < hi; i++ {
		if c := text[i]; c == ';' || c == '!' || c == '?' || c == '\n' || c == '.' && (i+1 >= len(text) || text[i+1] == ' ' || text[i+1] == '\n') {
			hi = i
			break
		}
	}
	for lo < hi && lo < len(text) && !isClaimChar(text[lo]) {
		lo++
	}
	return lo, hi
}

// scanPart is the part of a text the checks read: its first
// guardScanBytes, as the number guard (a figure past it in a pasted answer
// is not known, and no claim past it is checked).
func scanPart(text string) string {
	if len(text) <= guardScanBytes {
		return text
	}
	cut := guardScanBytes
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut]
}

// claimTriggers are words one of which every claim holds, lower case: a
// sentence without any is not read further (a pasted brief of pages is
// mostly such sentences).
var claimTriggers = []string{
	"times", "fold", "twice", "double", "triple", "quadruple", "return", "roi", "itself", "payback", "pay back", "pays back", "pay-back",
	"even", "recoup", "recover", "veces", "doble", "retorno", "rendimiento", "amortiz", "paga", "rentabiliz", "recupera",
	"fach", "mal", "doppelt", "rendite", "amortis", "rechnet", "bezahlt", "refinanziert", "fois", "rentabilis", "amorti",
	"rembours", "retour", "seuil", "vezes", "dobro", "triplo", "volte", "doppio", "ritorno", "ripaga", "ammortizz", "rientr",
	"keer", "maal", "voud", "dubbele", "rendement", "terugverdien", "zichzelf",
}

// findClaims returns the value claims in text, in order. Only the
// sentences holding a trigger word, or a digit right before an "x", are
// read.
func findClaims(text string) []valueClaim {
	text = scanPart(text)
	var out []valueClaim
	low := strings.ToLower(text) // ASCII and most accents keep their length; checked below
	if len(low) != len(text) {
		return findClaimsIn(text, 0)
	}
	start := 0
	for start < len(text) {
		end := start
		for end < len(text) {
			c := text[end]
			if c == '\n' || c == ';' || c == '!' || c == '?' || c == '.' && (end+1 == len(text) || text[end+1] == ' ' || text[end+1] == '\n') {
				break
			}
			end++
		}
		if hasClaimTrigger(low[start:end]) {
			out = append(out, findClaimsIn(text[start:end], start)...)
		}
		start = end + 1
	}
	return out
}

func hasClaimTrigger(s string) bool {
	for _, w := range claimTriggers {
		if strings.Contains(s, w) {
			return true
		}
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; c == 'x' || c == 0xc3 && i+1 < len(s) && s[i+1] == 0x97 { // "x", "×"
			j := i - 1
			for j > 0 && s[j] == ' ' {
				j--
			}
			if s[j] >= '0' && s[j] <= '9' {
				return true
			}
		}
	}
	return false
}

// findClaimsIn returns the claims in one piece of text, their offsets
// moved by base.
func findClaimsIn(text string, base int) []valueClaim {
	p := claimRE()
	var out []valueClaim
	taken := func(a, b int) bool {
		for _, c := range out {
			if a < c.end && b > c.start {
				return true
			}
		}
		return false
	}
	for _, re := range p.multiple {
		for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
			start, end := trimClaim(text, m[0], m[1])
			if taken(start, end) {
				continue
			}
			// "a hundred times": the article belongs to the number.
			if low := strings.ToLower(text[max(0, start-3):start]); strings.HasSuffix(low, "a ") && (start < 3 || !isClaimChar(low[0]) || start == 2) {
				start -= 2
			}
			c := valueClaim{kind: claimMultiple, start: start, end: end}
			if i := re.SubexpIndex("w"); i > 0 && m[2*i] >= 0 {
				c.mult = twiceWords[strings.ToLower(text[m[2*i]:m[2*i+1]])]
			} else if i := re.SubexpIndex("pct"); i > 0 && m[2*i] >= 0 {
				if v, ok := claimNumber(text[m[2*i]:m[2*i+1]]); ok {
					c.mult = v / 100
				}
			} else if v, ok := claimNumber(text[m[2*re.SubexpIndex("n")]:m[2*re.SubexpIndex("n")+1]]); ok {
				c.mult = v
			}
			if c.mult <= 1 {
				continue
			}
			// "over three years": the time the multiple is earned in,
			// written right after it.
			_, hi := sentenceBounds(text, end, end, 48)
			if d, ws, wend, ok := findWhen(text[end:hi]); ok && horizonGapRE.MatchString(text[end:end+ws]) {
				c.horizon = d
				c.end = end + wend
			}
			c.text = text[c.start:c.end]
			out = append(out, c)
		}
	}
	for _, m := range p.payback.FindAllStringIndex(text, -1) {
		start, end := trimClaim(text, m[0], m[1])
		if taken(start, end) {
			continue
		}
		lo, hi := sentenceBounds(text, start, end, 64)
		c := valueClaim{kind: claimPayback, start: start, end: end}
		if d, ws, wend, ok := findWhen(text[end:hi]); ok && shortGap(text[end:end+ws]) {
			c.days, c.end = d, end+wend
		} else if d, ws, wend, ok := findWhen(text[lo:start]); ok && shortGap(text[lo+wend:start]) {
			c.days, c.start = d, lo+ws
		} else {
			continue
		}
		c.text = text[c.start:c.end]
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	for i := range out {
		out[i].start += base
		out[i].end += base
	}
	return out
}

// horizonGapRE is what may stand between a multiple and the time it is
// earned in: "over", "in", "within" and their like, or nothing.
var horizonGapRE = regexp.MustCompile(`(?i)^[\s,]*(?:(?:over|in|within|across|during|after|en|durante|über|innerhalb\s+von|innerhalb|nach|in\s+den|sur|dans|em|ao\s+longo\s+de|nell['’]arco\s+di|entro|binnen|na|dentro\s+de)\s*)?$`)

// shortGap reports whether a payback's verb and its time are close enough
// to be one claim: a few words, no figure and no clause between them.
func shortGap(s string) bool {
	if len(s) > 32 || strings.ContainsAny(s, ",;:0123456789") {
		return false
	}
	return len(strings.Fields(s)) <= 4
}
