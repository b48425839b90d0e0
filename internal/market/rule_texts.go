package market

import (
	"fmt"
	"maps"
	"strings"
)

// ruleTexts are the rule explanations in Bahasa Indonesia, by key. Each is filled with its
// arguments, already text, by %s verbs (indexed where one repeats). A UI in another language
// keeps a table with the same keys, filled with the same arguments (RuleResult.Key, .Args).
var ruleTexts = map[string]string{
	"cap.over":               "Total pesanan %s melebihi batas %s per pesanan. Kurangi jumlah barang; kebutuhan di atas batas ini diadakan dengan metode pengadaan lain, bukan dengan memecah pesanan.",
	"budget.unit":            "Kode RUP %s bukan milik unit kerja Anda.",
	"budget.year":            "Kode RUP %s untuk tahun anggaran %s, bukan tahun berjalan %s.",
	"budget.over":            "Total pesanan %s melebihi sisa anggaran %s pada Kode RUP %s (%s; pagu %s).",
	"eligibility.unverified": "Penyedia %s belum terverifikasi oleh Dinas Koperasi dan UMKM.",
	"eligibility.not_umk":    "Penyedia %s bukan usaha mikro atau kecil; belanja langsung ini khusus untuk UMK.",
	"eligibility.suspended":  "Penyedia %s sedang dibekukan dan tidak dapat menerima pesanan.",
	"eligibility.empty":      "Pesanan tidak berisi barang.",
	"eligibility.unapproved": `Produk "%s" belum disetujui kurator atau sudah diturunkan dari katalog.`,
	"eligibility.quantity":   `Jumlah produk "%s" harus lebih dari 0.`,
	"eligibility.minimum":    `Produk "%[1]s" dipesan %[2]s %[3]s, di bawah pesanan minimum %[4]s %[3]s.`,
	"eligibility.stock":      `Stok produk "%[1]s" tinggal %[2]s %[3]s, kurang dari jumlah dipesan %[4]s %[3]s.`,
	"separation.ppk":         "Pejabat Pengadaan yang membuat pesanan tidak boleh sekaligus menjadi PPK yang menyetujuinya. Pilih PPK lain.",
	"separation.treasurer":   "Bendahara yang mencatat pembayaran tidak boleh Pejabat Pengadaan yang membuat pesanan ini. Pembayaran dicatat bendahara lain.",
	"price.orders":           `Harga "%s" %s per %s lebih dari %s%% di atas harga acuan %s (median %s pesanan yang disetujui dalam %s hari terakhir, kategori %s). ` + priceTail,
	"price.catalogue":        `Harga "%s" %s per %s lebih dari %s%% di atas harga acuan %s (median %s produk yang disetujui di katalog, kategori %s). ` + priceTail,
	"price.public":           `Harga "%s" %s per %s lebih tinggi dari harga umum yang dinyatakan penyedia (%s); harga untuk pemerintah tidak boleh lebih mahal. ` + priceTail,
	"concentration":          concentrationText,
	"concentration.suggest":  concentrationText + " Pertimbangkan juga UMK lokal lain di kategori yang sama: %s.",
}

const (
	priceTail         = "Negosiasikan harga atau tulis alasan harga ini."
	concentrationText = "Penyedia %s sudah menerima %s%% belanja unit Anda tahun ini (%s dari %s)."
)

// The officials whom the conflict-of-interest rule checks, and the kinds of link it names, as
// they appear in the keys "conflict.<official>.<link>" (link "linked" for a kind without a
// label of its own).
var (
	conflictOfficials = []string{"buyer", "ppk", "receiver", "treasurer"}
	conflictLinks     = []string{string(LinkOwner), string(LinkStaff), string(LinkRelation), "linked"}
)

// RuleWording is one language's wording of the rule texts composed from parts, so that each
// language writes every part once and the keys stay defined here:
//   - "split.<seller|category>.<warning|block>", taking the window's days, the seller's or
//     category's name, the earlier orders' sum and count, this order's total, both together
//     and the cap;
//   - "conflict.<official>.<link>", taking the seller's name.
type RuleWording struct {
	Split     func(what, tail string) string // the text around SplitBy's phrase and the tail
	SplitBy   map[string]string              // "seller", "category": what was ordered, with the name's %s
	SplitTail map[string]string              // "warning", "block": what the buyer may do
	// Conflict joins an official, a link kind and what to do instead.
	Conflict  func(official, link, remedy string) string
	Officials map[string][2]string // "buyer", "ppk", "receiver", "treasurer": who, and what to do instead
	Links     map[string]string    // "owner", "staff", "relation", "linked"
}

// Compose adds the composed texts to texts. It panics when a part is missing, as a table
// without one of the keys would.
func (w RuleWording) Compose(texts map[string]string) {
	part := func(m map[string]string, k string) string {
		v, ok := m[k]
		if !ok {
			panic("market: rule wording lacks " + k)
		}
		return v
	}
	for _, by := range []string{"seller", "category"} {
		for _, outcome := range []string{"warning", "block"} {
			texts["split."+by+"."+outcome] = w.Split(part(w.SplitBy, by), part(w.SplitTail, outcome))
		}
	}
	for _, o := range conflictOfficials {
		who, ok := w.Officials[o]
		if !ok {
			panic("market: rule wording lacks " + o)
		}
		for _, l := range conflictLinks {
			texts["conflict."+o+"."+l] = w.Conflict(who[0], part(w.Links, l), who[1])
		}
	}
}

func init() {
	RuleWording{
		Split: func(what, tail string) string {
			return "Dalam %s hari terakhir unit Anda sudah memesan " + what +
				" senilai %s dalam %s pesanan; dengan pesanan ini (%s) jumlahnya %s, melebihi batas %s. Ini dapat dianggap memecah pembelian. " + tail
		},
		SplitBy: map[string]string{"seller": "dari penyedia %s", "category": "barang kategori %s"},
		SplitTail: map[string]string{
			"warning": "Jika kebutuhan ini memang terpisah, tulis alasannya; alasan itu dilihat PPK dan kemudian publik.",
			"block":   "Kebijakan melarang pesanan ini; kebutuhan sebesar itu diadakan dengan metode pengadaan lain.",
		},
		Conflict: func(official, link, remedy string) string {
			return official + " tercatat sebagai " + link + " dengan penyedia %s, sehingga ada benturan kepentingan. " + remedy
		},
		Officials: map[string][2]string{
			"buyer":     {"Pejabat Pengadaan", "Pesanan ke penyedia ini harus dibuat oleh pejabat lain."},
			"ppk":       {"PPK yang dipilih", "Pilih PPK lain."},
			"receiver":  {"Penerima barang", "Tunjuk penerima barang lain."},
			"treasurer": {"Bendahara", "Pembayaran dicatat bendahara lain."},
		},
		Links: map[string]string{
			string(LinkOwner):    "pemilik",
			string(LinkStaff):    "staf",
			string(LinkRelation): "pihak yang memiliki hubungan (dilaporkan ke admin)",
			"linked":             "pihak yang terkait",
		},
	}.Compose(ruleTexts)
}

// RuleTexts returns every rule explanation in Bahasa Indonesia by key (see RuleResult.Key).
func RuleTexts() map[string]string { return maps.Clone(ruleTexts) }

// finding returns a rule result whose explanation is the text key filled with args, each
// written as fmt.Sprint does (Rupiah as "Rp1.234").
func finding(code string, severity Severity, key string, args ...any) RuleResult {
	format, ok := ruleTexts[key]
	if !ok {
		panic("market: no rule text " + key)
	}
	explanation, texts := fill(format, args)
	return RuleResult{Code: code, Severity: severity, Explanation: explanation, Key: key, Args: texts}
}

// fill turns args into text and fills format with them: the explanation, and the arguments as
// another language's wording takes them.
func fill(format string, args []any) (string, []string) {
	texts := make([]string, len(args))
	for i, a := range args {
		texts[i] = fmt.Sprint(a)
	}
	return FillText(format, texts), texts
}

// FillText fills a text of RuleTexts or TaxTexts, or another language's wording of it, with a
// finding's or tax line's arguments.
func FillText(format string, args []string) string {
	values := make([]any, len(args))
	for i, a := range args {
		values[i] = a
	}
	return fmt.Sprintf(format, values...)
}

// TextArgs returns how many arguments the explanation format takes: the fewest with which
// fmt.Sprintf reports no missing or extra argument.
func TextArgs(format string) int {
	args := make([]any, 0, 16)
	for n := 0; n < 16; n++ {
		if !strings.Contains(fmt.Sprintf(format, args...), "%!") {
			return n
		}
		args = append(args, "x")
	}
	return -1
}
