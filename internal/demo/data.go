package demo

// This file holds the fixed tables the generator draws from: Medan's kecamatan, its work units,
// Indonesian names as they occur in Medan, and the words UMK business names are made of. The
// tables are read-only; nothing writes to them.

// kecamatanSpec is one of Medan's 21 districts with its Kemendagri code and a rough weight for
// how many of the demo sellers are located there (denser districts have more businesses).
type kecamatanSpec struct {
	code, name string
	weight     int
}

// medanKecamatan lists the districts of Kota Medan (kode wilayah 12.71) with their Kemendagri
// codes (Kepmendagri 050-145/2022), in code order.
var medanKecamatan = []kecamatanSpec{
	{"12.71.01", "Medan Kota", 5},
	{"12.71.02", "Medan Sunggal", 6},
	{"12.71.03", "Medan Helvetia", 6},
	{"12.71.04", "Medan Denai", 6},
	{"12.71.05", "Medan Barat", 4},
	{"12.71.06", "Medan Deli", 6},
	{"12.71.07", "Medan Tuntungan", 4},
	{"12.71.08", "Medan Belawan", 3},
	{"12.71.09", "Medan Amplas", 5},
	{"12.71.10", "Medan Area", 5},
	{"12.71.11", "Medan Johor", 6},
	{"12.71.12", "Medan Marelan", 5},
	{"12.71.13", "Medan Labuhan", 5},
	{"12.71.14", "Medan Tembung", 6},
	{"12.71.15", "Medan Maimun", 3},
	{"12.71.16", "Medan Polonia", 3},
	{"12.71.17", "Medan Baru", 4},
	{"12.71.18", "Medan Perjuangan", 4},
	{"12.71.19", "Medan Petisah", 4},
	{"12.71.20", "Medan Timur", 5},
	{"12.71.21", "Medan Selayang", 5},
}

// unitKind shapes a unit's staff: how many buyers and PPKs it has and which academic titles its
// officials tend to carry.
type unitKind int

const (
	kindGeneral   unitKind = iota // a dinas or badan
	kindLarge                     // a large dinas: two PPs, two PPKs, two receivers
	kindHealth                    // a hospital or puskesmas: medical titles
	kindEducation                 // a school: teaching titles
	kindKecamatan                 // a kecamatan office
)

// unitSpec is a work unit: its code in the Permendagri 90/2019 nomenclature
// (urusan.bidang.urusan.bidang.urusan.bidang.unit.subunit), its name, its kind and whether the
// small data set includes it.
type unitSpec struct {
	code, name string
	kind       unitKind
	small      bool
}

// Names of units that demo logins and later demo data refer to.
const (
	unitPendidikan = "Dinas Pendidikan"
	unitKesehatan  = "Dinas Kesehatan"
	unitKoperasi   = "Dinas Koperasi UKM dan Perdagangan"
	unitInspektora = "Inspektorat"
	unitSetda      = "Sekretariat Daerah"
)

// medanUnits lists the perangkat daerah of Pemerintah Kota Medan, before the kecamatan offices
// (which kecamatanUnits derives from medanKecamatan).
var medanUnits = []unitSpec{
	{"1.01.0.00.0.00.01.0000", unitPendidikan, kindLarge, true},
	{"1.02.0.00.0.00.01.0000", unitKesehatan, kindLarge, true},
	{"1.02.0.00.0.00.02.0000", "RSUD Dr. Pirngadi", kindHealth, true},
	{"1.02.0.00.0.00.03.0000", "RSUD Bachtiar Djafar", kindHealth, false},
	{"1.03.0.00.0.00.01.0000", "Dinas Pekerjaan Umum", kindLarge, false},
	{"1.04.0.00.0.00.01.0000", "Dinas Perumahan, Kawasan Permukiman, Cipta Karya dan Tata Ruang", kindGeneral, false},
	{"1.05.0.00.0.00.01.0000", "Satuan Polisi Pamong Praja", kindGeneral, false},
	{"1.05.0.00.0.00.02.0000", "Dinas Pemadam Kebakaran dan Penyelamatan", kindGeneral, false},
	{"1.05.0.00.0.00.03.0000", "Badan Penanggulangan Bencana Daerah", kindGeneral, false},
	{"1.06.0.00.0.00.01.0000", "Dinas Sosial", kindGeneral, false},
	{"2.07.0.00.0.00.01.0000", "Dinas Ketenagakerjaan", kindGeneral, false},
	{"2.08.2.14.0.00.01.0000", "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana", kindGeneral, false},
	{"2.09.0.00.0.00.01.0000", "Dinas Ketahanan Pangan", kindGeneral, false},
	{"2.10.0.00.0.00.01.0000", "Dinas Pertanahan", kindGeneral, false},
	{"2.11.0.00.0.00.01.0000", "Dinas Lingkungan Hidup", kindGeneral, false},
	{"2.12.0.00.0.00.01.0000", "Dinas Kependudukan dan Pencatatan Sipil", kindGeneral, false},
	{"2.15.0.00.0.00.01.0000", "Dinas Perhubungan", kindGeneral, false},
	{"2.16.2.20.2.21.01.0000", "Dinas Komunikasi dan Informatika", kindGeneral, false},
	{"2.17.3.30.3.31.01.0000", unitKoperasi, kindGeneral, true},
	{"2.18.0.00.0.00.01.0000", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", kindGeneral, false},
	{"2.19.0.00.0.00.01.0000", "Dinas Kepemudaan dan Olahraga", kindGeneral, false},
	{"2.22.0.00.0.00.01.0000", "Dinas Kebudayaan", kindGeneral, false},
	{"2.23.2.24.0.00.01.0000", "Dinas Perpustakaan dan Kearsipan", kindGeneral, false},
	{"3.26.0.00.0.00.01.0000", "Dinas Pariwisata", kindGeneral, false},
	{"3.27.3.25.0.00.01.0000", "Dinas Pertanian dan Perikanan", kindGeneral, false},
	{"1.03.2.11.0.00.02.0000", "Dinas Kebersihan dan Pertamanan", kindGeneral, false},
	{"4.01.0.00.0.00.01.0000", unitSetda, kindGeneral, true},
	{"4.02.0.00.0.00.01.0000", "Sekretariat DPRD", kindGeneral, false},
	{"5.01.5.05.0.00.01.0000", "Badan Perencanaan Pembangunan Daerah", kindGeneral, true},
	{"5.02.0.00.0.00.01.0000", "Badan Pengelolaan Keuangan dan Aset Daerah", kindGeneral, true},
	{"5.02.0.00.0.00.02.0000", "Badan Pendapatan Daerah", kindGeneral, false},
	{"5.03.5.04.0.00.01.0000", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", kindGeneral, false},
	{"6.01.0.00.0.00.01.0000", unitInspektora, kindGeneral, true},
	{"8.01.0.00.0.00.01.0000", "Badan Kesatuan Bangsa dan Politik", kindGeneral, false},
}

// smallKecamatanOffices is how many kecamatan offices the small data set includes.
const smallKecamatanOffices = 2

// kecamatanUnitCode is the unit code of the n-th kecamatan office (1-based): urusan 7.01,
// one unit number per kecamatan.
const kecamatanUnitCode = "7.01.0.00.0.00.%02d.0000"

// Sub-units (UPT) added by Scale above 1: schools under Dinas Pendidikan and puskesmas under
// Dinas Kesehatan, numbered in the sub-unit part of their parent's code.
const (
	schoolUnitCode    = "1.01.0.00.0.00.01.%04d"
	puskesmasUnitCode = "1.02.0.00.0.00.01.%04d"
	maxSubUnits       = 9999 // the sub-unit part has four digits
)

// medanPuskesmas names community health centres of Kota Medan.
var medanPuskesmas = []string{
	"Padang Bulan", "Sentosa Baru", "Teladan", "Kedai Durian", "Amplas", "Bromo", "Glugur Darat",
	"Helvetia", "Desa Lalang", "Belawan", "Medan Deli", "Pulo Brayan", "Sering", "Tegal Sari",
	"Medan Johor", "Simalingkar", "Tuntungan", "Darussalam", "Petisah", "Polonia", "Sukaramai",
	"Sunggal", "Rantang", "Kampung Baru", "Marelan", "Terjun", "Martubung", "Medan Labuhan",
	"Kota Matsum", "Mandala", "Medan Denai", "Bandar Khalifah", "Tegal Rejo", "Pasar Merah",
	"Glugur Kota", "Sei Agul", "Titi Papan", "Pekan Labuhan", "Bestari", "Medan Area Selatan",
	"Sukaramai Baru",
}

// Indonesian given names, by sex, as common in Medan (Malay, Batak, Javanese, Minang, Aceh,
// Mandailing and Chinese-Indonesian families).
var (
	maleNames = []string{
		"Ahmad", "Muhammad", "Rizky", "Andi", "Budi", "Hendra", "Irwan", "Syahrial", "Fauzi", "Ridwan",
		"Rahmat", "Hamdan", "Zulkifli", "Darwin", "Benny", "Joni", "Marihot", "Parlindungan", "Togar",
		"Sahat", "Tigor", "Bonar", "Robert", "Ferdinand", "Daniel", "Samuel", "Yosua", "Agus", "Bambang",
		"Sutrisno", "Teguh", "Wahyu", "Dedi", "Eko", "Fikri", "Arif", "Iqbal", "Taufik", "Rudi", "Edy",
		"Syamsul", "Khairul", "Azhar", "Fadli", "Reza", "Dimas", "Bayu", "Hotman", "Binsar", "Jonatan",
		"Erwin", "Herman", "Johannes", "Martin", "Ronald", "Suhendra", "Yusuf", "Ilham", "Aulia", "Zainal",
	}
	femaleNames = []string{
		"Siti", "Nurhayati", "Rosmawati", "Fitri", "Dewi", "Rina", "Sri", "Yusniar", "Lestari", "Maya",
		"Ratna", "Nurul", "Indah", "Putri", "Anggi", "Desi", "Lina", "Rosdiana", "Tiurma", "Romauli",
		"Marlina", "Erna", "Juliana", "Sondang", "Sarma", "Ernita", "Yuliana", "Hotmaida", "Melati",
		"Wulan", "Rahmawati", "Nova", "Elfrida", "Dian", "Mega", "Rosita", "Herlina", "Suryani", "Fatimah",
		"Aisyah", "Khairunnisa", "Rizka", "Syahfitri", "Novita", "Evi", "Betty", "Lusiana", "Agustina",
	}
	// familyNames are Batak, Mandailing, Karo and Simalungun marga and other family names.
	familyNames = []string{
		"Siregar", "Nasution", "Lubis", "Harahap", "Hasibuan", "Rangkuti", "Daulay", "Batubara",
		"Pulungan", "Simanjuntak", "Sitompul", "Sinaga", "Pardede", "Tambunan", "Hutapea", "Panjaitan",
		"Situmorang", "Simatupang", "Manurung", "Napitupulu", "Silalahi", "Sembiring", "Ginting",
		"Tarigan", "Purba", "Saragih", "Damanik", "Sitepu", "Surbakti", "Pohan", "Matondang", "Ritonga",
		"Tanjung", "Hutagalung", "Simbolon", "Manullang", "Gultom", "Sihombing", "Marpaung", "Lumbantobing",
	}
	// secondMale and secondFemale are second given names used instead of a family name.
	secondMale = []string{
		"Syahputra", "Saputra", "Pratama", "Hidayat", "Kurniawan", "Setiawan", "Susanto", "Gunawan",
		"Wijaya", "Hakim", "Ramadhan", "Firmansyah", "Prasetyo", "Nugroho", "Halim", "Effendi",
	}
	secondFemale = []string{
		"Sari", "Lestari", "Wati", "Handayani", "Rahayu", "Anggraini", "Purnama", "Permata",
		"Ningsih", "Utami", "Fitriani", "Safitri", "Wulandari", "Damayanti", "Puspita", "Yanti",
	}
	// nicknames are how Medan calls the women who run caterings and kiosks ("Katering Bu Ros").
	nicknames = []string{
		"Ros", "Tini", "Ani", "Ida", "Yanti", "Butet", "Sri", "Nur", "Lina", "Mira", "Ijah", "Wati",
		"Imah", "Ratna", "Evi", "Neneng", "Ipah", "Tiur", "Rini", "Yus",
	}
)

// Academic titles of officials, by the kind of unit they work in.
var (
	titlesGeneral   = []string{"S.E.", "S.H.", "S.Sos.", "S.T.", "S.Kom.", "S.AP.", "S.IP.", "M.Si.", "M.M.", "S.Ak."}
	titlesHealth    = []string{"S.Kep.", "S.K.M.", "Amd.Keb.", "S.Farm.", "M.Kes."}
	titlesEducation = []string{"S.Pd.", "M.Pd.", "S.Pd.I."}
)

// Words of UMK business names: a hopeful word and a place or virtue ("Sinar Deli",
// "Karya Melayu"), and what each line of business calls itself.
var (
	hopeWords = []string{
		"Sinar", "Cahaya", "Maju", "Berkah", "Jaya", "Sejahtera", "Makmur", "Abadi", "Mandiri",
		"Sentosa", "Bintang", "Mulia", "Harapan", "Indah", "Karya", "Rezeki", "Amanah", "Barokah",
		"Lancar", "Surya", "Mitra", "Citra", "Prima", "Tunas", "Mutiara",
	}
	placeWords = []string{
		"Deli", "Medan", "Melayu", "Sumatera", "Toba", "Karo", "Bahari", "Belawan", "Polonia",
		"Kesawan", "Petisah", "Sunggal", "Marelan", "Tembung", "Johor", "Amplas", "Helvetia",
		"Maimun", "Selayang", "Horas", "Bersama", "Utama", "Nusantara", "Baru", "Sentral",
	}
	fruitWords = []string{"Durian", "Markisa", "Pandan", "Kelapa", "Nanas", "Keju", "Pisang", "Ubi Ungu"}
)

// sellerTrade is a line of business with the name patterns its sellers use. In a pattern,
// {H} is a hopeful word, {P} a place word, {N} a nickname, {F} a fruit word and {K} a family name.
type sellerTrade struct {
	weight   int
	patterns []string
}

var sellerTrades = []sellerTrade{
	{20, []string{"UD {H} {P}", "Toko ATK {H} {P}", "CV {H} {P}", "Toko {H} {P}", "UD {H} {P} Stationery"}},
	{18, []string{"Katering Bu {N}", "Rumah Makan {H} {P}", "Dapur Bu {N}", "Katering {H} {P}", "Kedai Kopi {P}", "Bolu {F} Kak {N}", "Kue Basah Bu {N}", "Bolu Gulung {F} {P}", "Nasi Kotak {H} {P}"}},
	{12, []string{"Percetakan {H} {P}", "Fotokopi {H} {P}", "{H} {P} Digital Printing", "Sablon {H} {P}"}},
	{8, []string{"Ulos {K}", "Songket {P} {H}", "Galeri Batik {P}", "Suvenir {H} {P}", "Kerajinan {H} {P}"}},
	{8, []string{"Mebel {H} {P}", "UD Kayu {H} {P}", "CV Karya {P}", "Interior {H} {P}"}},
	{7, []string{"CV Bersih {H} {P}", "Toko Kebersihan {H} {P}", "Laundry {H} {P}"}},
	{10, []string{"CV {H} {P} Komputer", "{H} {P} Elektronik", "Toko Komputer {H} {P}", "CV {H} Teknologi {P}"}},
	{9, []string{"Konveksi {H} {P}", "Penjahit {N} {K}", "Bordir {H} {P}", "Konveksi Bu {N}"}},
	{4, []string{"Bengkel {H} {P}", "Servis AC {H} {P}"}},
	{4, []string{"Tanaman Hias {H} {P}", "Florist {H} {P}", "Toko Bunga Bu {N}"}},
}

// sellerStatusWeights is the mix of seller statuses: mostly verified, a few of each other.
var sellerStatusWeights = []struct {
	status string
	weight int
}{
	{"verified", 86},
	{"submitted", 5},
	{"changes_requested", 2},
	{"rejected", 3},
	{"suspended", 3},
	{"draft", 1},
}

// Mobile number prefixes of Indonesian operators (after the leading 0).
var phonePrefixes = []string{"811", "812", "813", "821", "822", "852", "853", "857", "877", "878", "896", "895"}
