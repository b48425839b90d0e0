package market

import "maps"

// taxTexts are the tax breakdown's lines in Bahasa Indonesia, by key: the label, and the
// explanation filled with its arguments (already text) by %s verbs. A UI in another language
// keeps a table with the same keys, filled with the same arguments (TaxLine.Key, .Args).
var taxTexts = map[string][2]string{
	"price.goods":   {"Harga barang", "Harga barang sebelum PPN."},
	"price.service": {"Harga jasa", "Harga jasa sebelum PPN."},
	"shipping":      {"Ongkos kirim", "Ongkos kirim yang ditagih penjual ikut menjadi harga kena pajak."},
	"pbjt":          {taxKindLabels[TaxPBJT], "PBJT %s sudah termasuk dalam harga; penjual menyetorkannya sendiri ke Pemda. Tidak menambah tagihan."},
	"dpp":           {"DPP", "DPP adalah harga kena pajak %s."},
	"dpp.other":     {"DPP nilai lain", "DPP nilai lain = %s/%s × %s (ditampilkan dibulatkan; PPN dihitung dari nilai tepatnya)."},
	"ppn.seller": {"PPN", "PPN %s × DPP (efektif %s dari harga). Pembayaran pesanan termasuk PPN %s tidak lebih dari %s, sehingga Bendahara tidak memungut: " +
		"PPN diterima penjual dan disetor serta dilaporkan sendiri oleh penjual."},
	"ppn.treasurer":          {"PPN", "PPN %s × DPP (efektif %s dari harga). Bendahara sebagai pemungut PPN memungut dan menyetorkannya; jumlah ini tidak dibayarkan ke penjual."},
	"ppn.catering":           {"PPN", "Makanan dan minuman dari jasa boga/restoran bukan objek PPN; yang berlaku adalah PBJT daerah."},
	"ppn.not_pkp":            {"PPN", "Penjual bukan PKP, sehingga tidak memungut PPN."},
	"total":                  {"Jumlah tagihan", "Jumlah pada tagihan dan kuitansi: harga + ongkos kirim + PPN."},
	"withholding.below":      {"PPh", "Nilai pesanan %s (tanpa PPN) tidak lebih dari %s, sehingga Bendahara tidak memotong PPh Pasal 22."},
	"withholding.below.pp55": {"PPh", "Nilai pesanan %s (tanpa PPN) tidak lebih dari %s, sehingga Bendahara tidak memotong PPh final PP 55/2022."},
	"withholding.pp55": {taxKindLabels[TaxPP55], "Penjual memiliki Surat Keterangan PP 55/2022 yang berlaku pada tanggal pembayaran: " +
		"Bendahara memotong PPh final %s dari %s, menggantikan PPh Pasal 22/23/21."},
	"withholding.pph22": {taxKindLabels[TaxPPh22], "Pembelian barang dengan nilai pesanan %s (tanpa PPN) di atas %s: Bendahara memotong PPh Pasal 22 %s dari harga tanpa PPN %s."},
	"withholding.pph21": {taxKindLabels[TaxPPh21], "Jasa dari orang pribadi: Bendahara memotong PPh Pasal 21 %s dari %s."},
	"withholding.pph23": {taxKindLabels[TaxPPh23], "Jasa dari badan usaha: Bendahara memotong PPh Pasal 23 %s dari %s."},
	"meterai":           {taxKindLabels[TaxMeterai], "Kuitansi di atas %s wajib bermeterai %s (e-meterai), ditanggung penjual dan tidak dipotong dari pembayaran."},
	"net":               {"Dibayarkan ke penjual", "Jumlah tagihan dikurangi PPN yang dipungut Bendahara dan PPh yang dipotong."},
}

// noNPWPWithholdings are the withholdings whose rate is higher for a seller without NPWP;
// their lines then take the key with ".no_npwp" (see ComposeNoNPWP).
var noNPWPWithholdings = []string{"withholding.pph22", "withholding.pph21", "withholding.pph23"}

// ComposeNoNPWP adds to one language's tax texts the ".no_npwp" key of each withholding with a
// higher rate without NPWP: its label, and its explanation followed by sentence. It panics when
// texts lacks one of those withholdings, as a table without the key would.
func ComposeNoNPWP(texts map[string][2]string, sentence string) {
	for _, k := range noNPWPWithholdings {
		t, ok := texts[k]
		if !ok {
			panic("market: tax texts lack " + k)
		}
		texts[k+".no_npwp"] = [2]string{t[0], t[1] + sentence}
	}
}

func init() { ComposeNoNPWP(taxTexts, " Tarif lebih tinggi karena penjual tidak memiliki NPWP.") }

// TaxTexts returns every tax line's label and explanation in Bahasa Indonesia by key (see
// TaxLine.Key).
func TaxTexts() map[string][2]string { return maps.Clone(taxTexts) }
