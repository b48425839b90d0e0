package web

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"bela/internal/market"
)

// The store and the domain write their user messages (market.Error's Message and Fields) in
// Bahasa Indonesia, often formatted with values (a name, an amount, a limit). errorTexts says
// each of them in English: the key is the message, or its printf format, exactly as written in
// the code; the value says the same in English with the same verbs (%[n]s where the order
// differs). sayError finds a message's entry, by the whole text or by matching the format, and
// says it again in English with the same values. A test reads the code's messages and checks
// that each has its entry, so a new message cannot ship untranslated.
var errorTexts = mergeErrorTexts(errorTextsEN, errorWords, stateWords(), actionWords())

// errorWords are the words that messages put into a sentence as values: what market.NotFound
// did not find.
var errorWords = map[string]string{
	"Baris anggaran":           "Budget line",
	"Berkas":                   "File",
	"Data":                     "Data",
	"Dokumen":                  "Document",
	"Faktur pajak":             "Tax invoice (faktur pajak)",
	"Foto":                     "Photo",
	"Halaman":                  "Page",
	"Hubungan dengan penyedia": "Relation with a seller",
	"Instansi":                 "Government instance",
	"Kasus":                    "Case",
	"NPWP":                     "NPWP",
	"Penilaian":                "Rating",
	"Penyedia":                 "Seller",
	"Peran":                    "Role",
	"Pengguna":                 "User",
	"Pesan":                    "Message",
	"Pesanan":                  "Order",
	"Produk":                   "Product",
	"Satuan kerja":             "Work unit",
	"Tagihan":                  "Invoice",
	"Tindakan":                 "Action",
	"Token":                    "Token",
}

// stateWords say the order states' names (market.State.Label) as the English pages do.
func stateWords() map[string]string {
	out := map[string]string{}
	for _, st := range market.States {
		out[st.Label()] = translate("en", "state."+string(st))
	}
	return out
}

// actionVerbs say the actions' verb phrases (market.Action.Label) in English, as messages such
// as "The order is approved; you cannot %s." use them.
var actionVerbs = map[market.Action]string{
	market.ActionApprove:        "approve",
	market.ActionReturn:         "return it",
	market.ActionResubmit:       "resubmit it",
	market.ActionReject:         "reject it",
	market.ActionAccept:         "accept the order",
	market.ActionDecline:        "decline the order",
	market.ActionShip:           "record a shipment",
	market.ActionReceive:        "record the receipt of goods (BAST)",
	market.ActionCloseShort:     "close the undelivered rest",
	market.ActionCancel:         "cancel",
	market.ActionDispute:        "open a dispute",
	market.ActionResolveDispute: "resolve the dispute",
	market.ActionExpire:         "mark it expired",
	market.ActionInvoice:        "issue an invoice",
	market.ActionPay:            "record a payment",
	market.ActionComplete:       "complete the order",
}

func actionWords() map[string]string {
	out := map[string]string{}
	for a, en := range actionVerbs {
		out[a.Label()] = en
	}
	return out
}

func mergeErrorTexts(parts ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, p := range parts {
		for k, v := range p {
			out[k] = v
		}
	}
	return out
}

// sayError returns msg, a store or domain message in Bahasa Indonesia, in lang (English is the
// other language); a message without an entry stays as it is.
func sayError(lang, msg string) string {
	if lang != "en" || msg == "" {
		return msg
	}
	if en, ok := errorTexts[msg]; ok {
		return en
	}
	if en, ok := sayFormatted(msg); ok {
		return en
	}
	// "what: message", as for one of several uploaded photos.
	if what, rest, ok := strings.Cut(msg, ": "); ok {
		if en := sayError(lang, rest); en != rest {
			return what + ": " + en
		}
	}
	return msg
}

// sayFormatted says msg in English when one of errorTexts' formats made it.
func sayFormatted(msg string) (string, bool) {
	for _, p := range errorPatterns() {
		m := p.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		args := m[1:]
		for i, a := range args {
			if en, ok := errorTexts[a]; ok {
				args[i] = en
			}
		}
		return p.en.fill(args), true
	}
	return "", false
}

// sayFields returns the field messages in lang.
func sayFields(lang string, fields map[string]string) map[string]string {
	if lang != "en" || len(fields) == 0 {
		return fields
	}
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		out[k] = sayError(lang, v)
	}
	return out
}

// errorPattern matches the messages made from one format and says them in English.
type errorPattern struct {
	re      *regexp.Regexp
	en      format
	literal int // characters of the format outside its verbs: more is more specific
}

// errorPatterns are errorTexts' formats, the most specific first, so that "%s tidak ditemukan"
// does not take a message that a longer format also matches.
var errorPatterns = sync.OnceValue(func() []errorPattern {
	var out []errorPattern
	for id, en := range errorTexts {
		f := parseFormat(id)
		if f.verbs() == 0 {
			continue
		}
		out = append(out, errorPattern{re: f.regexp(), en: parseFormat(en), literal: f.literalLen()})
	}
	slices.SortFunc(out, func(a, b errorPattern) int {
		return cmp.Or(cmp.Compare(b.literal, a.literal), strings.Compare(a.re.String(), b.re.String()))
	})
	return out
})

// format is a printf format as pieces: literal text, or a verb (s, d, q or v) with the
// 1-based argument it takes. Nothing else is a verb: "1% dan" is text.
type format []formatPiece

type formatPiece struct {
	text string
	verb byte
	arg  int
}

func parseFormat(s string) format {
	var out format
	var text strings.Builder
	next := 1
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+1 == len(s) {
			text.WriteByte(s[i])
			continue
		}
		if s[i+1] == '%' {
			text.WriteByte('%')
			i++
			continue
		}
		arg, j := next, i+1
		if s[j] == '[' { // an explicit argument index: %[2]s
			end := strings.IndexByte(s[j:], ']')
			if end < 0 {
				text.WriteByte(s[i])
				continue
			}
			n, err := strconv.Atoi(s[j+1 : j+end])
			if err != nil || n < 1 {
				text.WriteByte(s[i])
				continue
			}
			arg, j = n, j+end+1
		}
		if j == len(s) || !strings.ContainsRune("sdqv", rune(s[j])) {
			text.WriteByte(s[i])
			continue
		}
		if text.Len() > 0 {
			out = append(out, formatPiece{text: text.String()})
			text.Reset()
		}
		out = append(out, formatPiece{verb: s[j], arg: arg})
		next = arg + 1
		i = j
	}
	if text.Len() > 0 {
		out = append(out, formatPiece{text: text.String()})
	}
	return out
}

func (f format) verbs() int {
	n := 0
	for _, p := range f {
		if p.verb != 0 {
			n++
		}
	}
	return n
}

func (f format) literalLen() int {
	n := 0
	for _, p := range f {
		n += len(p.text)
	}
	return n
}

// regexp matches the whole of any message the format makes, capturing its values in order.
func (f format) regexp() *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`^(?s)`)
	for _, p := range f {
		switch p.verb {
		case 0:
			b.WriteString(regexp.QuoteMeta(p.text))
		case 'd':
			b.WriteString(`(-?[0-9]+)`)
		case 'q':
			b.WriteString(`("(?:[^"\\]|\\.)*")`)
		default:
			b.WriteString(`(.+?)`)
		}
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}

// fill writes the format with args, the values as the Indonesian message showed them.
func (f format) fill(args []string) string {
	var b strings.Builder
	for _, p := range f {
		switch {
		case p.verb == 0:
			b.WriteString(p.text)
		case p.arg <= len(args):
			b.WriteString(args[p.arg-1])
		}
	}
	return b.String()
}
