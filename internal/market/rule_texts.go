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
	ConflictOfficials = []string{"buyer", "ppk", "receiver", "treasurer"}
	ConflictLinks     = []string{string(LinkOwner), string(LinkStaff), string(LinkRelation), "linked"}
)

func init() {
	// split.<seller|category>.<warning|block>: the window's days, the seller's or category's
	// name, the earlier orders' sum and count, this order's total, both together, the cap.
	for by, what := range map[string]string{"seller": "dari penyedia %s", "category": "barang kategori %s"} {
		for outcome, tail := range map[string]string{
			"warning": "Jika kebutuhan ini memang terpisah, tulis alasannya; alasan itu dilihat PPK dan kemudian publik.",
			"block":   "Kebijakan melarang pesanan ini; kebutuhan sebesar itu diadakan dengan metode pengadaan lain.",
		} {
			ruleTexts["split."+by+"."+outcome] = "Dalam %s hari terakhir unit Anda sudah memesan " + what +
				" senilai %s dalam %s pesanan; dengan pesanan ini (%s) jumlahnya %s, melebihi batas %s. Ini dapat dianggap memecah pembelian. " + tail
		}
	}
	officials := map[string][2]string{ // who, and what to do instead
		"buyer":     {"Pejabat Pengadaan", "Pesanan ke penyedia ini harus dibuat oleh pejabat lain."},
		"ppk":       {"PPK yang dipilih", "Pilih PPK lain."},
		"receiver":  {"Penerima barang", "Tunjuk penerima barang lain."},
		"treasurer": {"Bendahara", "Pembayaran dicatat bendahara lain."},
	}
	links := map[string]string{
		string(LinkOwner):    "pemilik",
		string(LinkStaff):    "staf",
		string(LinkRelation): "pihak yang memiliki hubungan (dilaporkan ke admin)",
		"linked":             "pihak yang terkait",
	}
	for _, o := range ConflictOfficials {
		for _, l := range ConflictLinks {
			ruleTexts["conflict."+o+"."+l] = officials[o][0] + " tercatat sebagai " + links[l] +
				" dengan penyedia %s, sehingga ada benturan kepentingan. " + officials[o][1]
		}
	}
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
	texts := make([]string, len(args))
	values := make([]any, len(args))
	for i, a := range args {
		texts[i] = fmt.Sprint(a)
		values[i] = texts[i]
	}
	return RuleResult{Code: code, Severity: severity, Explanation: fmt.Sprintf(format, values...), Key: key, Args: texts}
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
