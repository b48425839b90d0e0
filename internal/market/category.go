package market

import (
	"fmt"
	"strings"
)

// CategoryKind says whether a leaf category sells goods (barang) or services (jasa); it decides
// between PPh 22 and PPh 23/21 on payment.
type CategoryKind string

// The category kinds.
const (
	CategoryGoods   CategoryKind = "goods"
	CategoryService CategoryKind = "service"
)

// Label returns the Indonesian name of the kind.
func (k CategoryKind) Label() string {
	switch k {
	case CategoryGoods:
		return "Barang"
	case CategoryService:
		return "Jasa"
	}
	return string(k)
}

// Category is a node of the three-level product category tree: a group, a subgroup or a leaf.
// Products are listed only in leaves; Kind, KBLI and Catering are set on leaves only.
type Category struct {
	Code     string // stable: "07" group, "07.01" subgroup, "07.01.02" leaf
	Name     string
	Kind     CategoryKind
	KBLI     []string // the 5-digit KBLI 2020 codes whose holders may sell in the leaf
	Catering bool     // food and drink from a caterer or restaurant: not a PPN object, PBJT applies
	Children []Category
}

// Leaf reports whether c is a leaf (where products are listed).
func (c Category) Leaf() bool { return len(c.Children) == 0 }

// CategoryTree is a validated three-level category tree with lookup by code.
type CategoryTree struct {
	roots  []Category
	byCode map[string]Category
	path   map[string][]string // code -> names from the group down to the node
	leaves []Category
}

// NewCategoryTree checks roots and builds the tree. Every leaf must sit at the third level, every
// code be unique and begin with its parent's code and a dot, every leaf have a kind and at least
// one valid KBLI code, and a catering leaf be a service. Any problem gives a CodeInvalid *Error
// for field "categories" naming the first offending code.
func NewCategoryTree(roots []Category) (*CategoryTree, error) {
	t := &CategoryTree{roots: roots, byCode: map[string]Category{}, path: map[string][]string{}}
	var walk func(c Category, parent string, names []string, depth int) error
	walk = func(c Category, parent string, names []string, depth int) error {
		bad := func(why string) error {
			return Invalid("categories", fmt.Sprintf("kategori %q: %s", c.Code, why))
		}
		switch {
		case c.Code == "" || strings.TrimSpace(c.Name) == "":
			return bad("kode dan nama wajib diisi")
		case parent != "" && !strings.HasPrefix(c.Code, parent+"."):
			return bad("kode harus diawali kode induknya " + parent)
		case parent == "" && strings.Contains(c.Code, "."):
			return bad("kode kelompok tidak boleh berisi titik")
		}
		if _, dup := t.byCode[c.Code]; dup {
			return bad("kode ganda")
		}
		names = append(names[:len(names):len(names)], c.Name)
		t.byCode[c.Code] = c
		t.path[c.Code] = names
		if depth < 3 {
			if c.Leaf() {
				return bad("kategori harus tiga tingkat")
			}
			if c.Kind != "" || len(c.KBLI) > 0 || c.Catering {
				return bad("jenis, KBLI dan katering hanya pada tingkat ketiga")
			}
			for _, ch := range c.Children {
				if err := walk(ch, c.Code, names, depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		switch {
		case !c.Leaf():
			return bad("tidak boleh lebih dari tiga tingkat")
		case c.Kind != CategoryGoods && c.Kind != CategoryService:
			return bad("jenis harus barang atau jasa")
		case len(c.KBLI) == 0:
			return bad("minimal satu KBLI")
		case c.Catering && c.Kind != CategoryService:
			return bad("katering adalah jasa")
		}
		for _, k := range c.KBLI {
			if _, msg := checkKBLI(k); msg != "" || k != strings.TrimSpace(k) {
				return bad("KBLI tidak valid: " + k)
			}
		}
		t.leaves = append(t.leaves, c)
		return nil
	}
	if len(roots) == 0 {
		return nil, Invalid("categories", "pohon kategori kosong")
	}
	for _, r := range roots {
		if err := walk(r, "", nil, 1); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Roots returns the groups (first level) in seed order.
func (t *CategoryTree) Roots() []Category { return t.roots }

// Leaves returns every leaf in tree order.
func (t *CategoryTree) Leaves() []Category { return append([]Category(nil), t.leaves...) }

// Lookup returns the category (at any level) with the given code.
func (t *CategoryTree) Lookup(code string) (Category, bool) {
	c, ok := t.byCode[code]
	return c, ok
}

// Leaf returns the leaf with the given code. It returns a CodeInvalid *Error for field "category"
// when no category has the code or when it is not a leaf.
func (t *CategoryTree) Leaf(code string) (Category, error) {
	c, ok := t.byCode[code]
	switch {
	case !ok:
		return Category{}, Invalid("category", "Kategori tidak dikenal.")
	case !c.Leaf():
		return Category{}, Invalid("category", "Pilih kategori sampai tingkat ketiga.")
	}
	return c, nil
}

// PathName returns the names from the group down to the category, joined by " › ", or "" for an
// unknown code.
func (t *CategoryTree) PathName(code string) string { return strings.Join(t.path[code], " › ") }

// CanList checks whether a seller holding the KBLI codes sellerKBLI may list products in leaf
// code. It returns nil when one of the seller's codes is among the leaf's, else a CodeInvalid
// *Error for field "category" that says, in Indonesian, which KBLI codes the leaf needs.
func (t *CategoryTree) CanList(sellerKBLI []string, code string) error {
	c, err := t.Leaf(code)
	if err != nil {
		return err
	}
	for _, k := range sellerKBLI {
		if contains(c.KBLI, strings.TrimSpace(k)) {
			return nil
		}
	}
	have := "belum ada"
	if len(sellerKBLI) > 0 {
		have = strings.Join(sellerKBLI, ", ")
	}
	return Invalid("category", fmt.Sprintf(
		"Kategori %s hanya untuk usaha dengan KBLI %s; KBLI usaha Anda: %s. Tambahkan KBLI yang sesuai di OSS lalu perbarui data usaha.",
		c.Name, strings.Join(c.KBLI, ", "), have))
}

// The KBLI 2020 code groups used by the seed. The codes are recalled without a source (DOMAIN.md
// marks them [M]): check them against the BPS KBLI 2020 list before relying on them. They are data:
// a correction is a change here, and an instance may load its own tree.
var (
	kbliStationery  = []string{"47611", "46900"}                   // retail of books and stationery; wholesale of various goods
	kbliPaperGoods  = []string{"47611", "46900", "17099"}          // + manufacture of other paper goods
	kbliComputer    = []string{"47411", "46511"}                   // retail / wholesale of computers and peripherals
	kbliCatering    = []string{"56210", "56290", "56101", "56102"} // event catering, other food service, restaurant, warung makan
	kbliSnack       = []string{"56210", "56290", "10710"}          // catering; bakery products
	kbliGrocery     = []string{"46900", "47111", "47112"}          // wholesale; retail mainly food and drink
	kbliPrinting    = []string{"18111", "18112", "18120"}          // general and special printing; printing support
	kbliCopy        = []string{"82190", "18120"}                   // photocopying and document preparation; printing support
	kbliSouvenir    = []string{"46900", "47759"}                   // wholesale; retail of other handicrafts
	kbliFabric      = []string{"13134", "13121", "47511"}          // batik; weaving; retail of textiles
	kbliFurniture   = []string{"31001", "31002", "31004", "47591"} // wooden, rattan/bamboo, metal furniture; retail of furniture
	kbliCleaning    = []string{"20231", "46900", "47599"}          // soap and cleaning agents; wholesale; retail of household goods
	kbliElectrical  = []string{"47592", "46900"}                   // retail of electrical household goods and lighting
	kbliAudioVideo  = []string{"47420", "47411"}                   // retail of audio and video equipment; computers
	kbliGarment     = []string{"14111", "14120", "47711"}          // garment making; tailoring; retail of clothing
	kbliFootwear    = []string{"15201", "47721"}                   // footwear for daily use; retail of footwear
	kbliEvents      = []string{"82301"}                            // organisers of meetings, conventions and exhibitions (MICE)
	kbliEventRental = []string{"82301", "77299"}                   // MICE; rental of other personal and household goods
	kbliCarRental   = []string{"77100"}                            // rental of cars, buses and trucks
)

// SeedCategories returns the default three-level tree of realistic procurement categories for
// belanja langsung from UMK. Leaf codes are stable: never renumber a published leaf, add new ones.
// The KBLI mapping is unverified data (see the kbli… variables in category.go).
func SeedCategories() []Category {
	g := func(code, name string, children ...Category) Category {
		return Category{Code: code, Name: name, Children: children}
	}
	goods := func(code, name string, kbli []string) Category {
		return Category{Code: code, Name: name, Kind: CategoryGoods, KBLI: append([]string(nil), kbli...)}
	}
	service := func(code, name string, kbli []string) Category {
		return Category{Code: code, Name: name, Kind: CategoryService, KBLI: append([]string(nil), kbli...)}
	}
	catering := func(code, name string, kbli []string) Category {
		c := service(code, name, kbli)
		c.Catering = true
		return c
	}
	return []Category{
		g("01", "Alat Tulis Kantor (ATK)",
			g("01.01", "Kertas dan Produk Kertas",
				goods("01.01.01", "Kertas HVS dan kertas fotokopi", kbliPaperGoods),
				goods("01.01.02", "Amplop, map dan ordner", kbliPaperGoods),
				goods("01.01.03", "Buku tulis, buku agenda dan blok catatan", kbliPaperGoods)),
			g("01.02", "Alat Tulis",
				goods("01.02.01", "Pulpen, pensil dan spidol", kbliStationery),
				goods("01.02.02", "Stapler, pelubang kertas dan klip", kbliStationery),
				goods("01.02.03", "Lem, selotip dan cairan koreksi", kbliStationery)),
			g("01.03", "Tinta dan Toner",
				goods("01.03.01", "Tinta dan toner printer", append(append([]string(nil), kbliComputer...), kbliStationery...)))),
		g("02", "Makan dan Minum",
			g("02.01", "Konsumsi Rapat",
				catering("02.01.01", "Nasi kotak", kbliCatering),
				catering("02.01.02", "Kue dan snack kotak", kbliSnack),
				catering("02.01.03", "Prasmanan acara", kbliCatering)),
			g("02.02", "Minuman dan Bahan Pantry",
				goods("02.02.01", "Air minum dalam kemasan", kbliGrocery),
				goods("02.02.02", "Kopi, teh dan gula", kbliGrocery))),
		g("03", "Cetak dan Fotokopi",
			g("03.01", "Percetakan",
				service("03.01.01", "Spanduk, baliho dan banner", kbliPrinting),
				service("03.01.02", "Buku, brosur dan leaflet", kbliPrinting),
				service("03.01.03", "Kop surat, map dan formulir cetak", kbliPrinting),
				service("03.01.04", "Kartu nama dan undangan", kbliPrinting)),
			g("03.02", "Fotokopi dan Penjilidan",
				service("03.02.01", "Fotokopi dan cetak dokumen", kbliCopy),
				service("03.02.02", "Penjilidan dan laminasi", kbliCopy))),
		g("04", "Suvenir dan Batik",
			g("04.01", "Suvenir",
				goods("04.01.01", "Plakat dan trofi", kbliSouvenir),
				goods("04.01.02", "Tas seminar dan goodie bag", kbliSouvenir),
				goods("04.01.03", "Cendera mata khas daerah", kbliSouvenir)),
			g("04.02", "Batik dan Kain Tradisional",
				goods("04.02.01", "Kain dan kemeja batik", kbliFabric),
				goods("04.02.02", "Ulos dan songket", kbliFabric))),
		g("05", "Furnitur",
			g("05.01", "Furnitur Kantor",
				goods("05.01.01", "Meja dan kursi kerja", kbliFurniture),
				goods("05.01.02", "Lemari dan rak arsip", kbliFurniture),
				goods("05.01.03", "Meja dan kursi rapat", kbliFurniture))),
		g("06", "Kebersihan",
			g("06.01", "Perlengkapan Kebersihan",
				goods("06.01.01", "Sabun, cairan pembersih dan pewangi", kbliCleaning),
				goods("06.01.02", "Sapu, alat pel dan tempat sampah", kbliCleaning),
				goods("06.01.03", "Tisu dan kantong plastik", kbliCleaning)),
			g("06.02", "Jasa Kebersihan",
				service("06.02.01", "Jasa kebersihan gedung", []string{"81210", "81290"}),
				service("06.02.02", "Perawatan taman", []string{"81300"}))),
		g("07", "Komputer dan Elektronik",
			g("07.01", "Komputer dan Periferal",
				goods("07.01.01", "Laptop dan komputer meja", kbliComputer),
				goods("07.01.02", "Printer dan pemindai", kbliComputer),
				goods("07.01.03", "Flashdisk, mouse, keyboard dan kabel", kbliComputer)),
			g("07.02", "Elektronik Kantor",
				goods("07.02.01", "Proyektor dan layar", kbliAudioVideo),
				goods("07.02.02", "Lampu, stop kontak dan perlengkapan listrik", kbliElectrical)),
			g("07.03", "Servis",
				service("07.03.01", "Perbaikan komputer dan printer", []string{"95110"}))),
		g("08", "Pakaian Dinas",
			g("08.01", "Seragam",
				goods("08.01.01", "Pakaian dinas harian (PDH)", kbliGarment),
				goods("08.01.02", "Kaos dan rompi kegiatan", kbliGarment)),
			g("08.02", "Sepatu dan Atribut",
				goods("08.02.01", "Sepatu dinas", kbliFootwear),
				goods("08.02.02", "Atribut, lencana dan tanda nama", kbliSouvenir))),
		g("09", "Penyelenggaraan Acara",
			g("09.01", "Jasa Acara",
				service("09.01.01", "Penyelenggaraan rapat dan acara", kbliEvents),
				service("09.01.02", "Sewa tenda, kursi dan sound system", kbliEventRental))),
		g("10", "Transportasi",
			g("10.01", "Sewa Kendaraan",
				service("10.01.01", "Sewa mobil dengan pengemudi", kbliCarRental))),
	}
}

// Unit is a unit of measure (satuan) a product is sold in.
type Unit struct {
	Code string // stored and used in the API and bulk import
	Name string // shown to users
}

// Units lists the units of measure, in the order forms show them.
var Units = []Unit{
	{"pcs", "pcs"}, {"buah", "buah"}, {"unit", "unit"}, {"set", "set"}, {"paket", "paket"},
	{"box", "box"}, {"pak", "pak"}, {"dus", "dus"}, {"rim", "rim"}, {"lembar", "lembar"},
	{"lusin", "lusin (12)"}, {"kodi", "kodi (20)"}, {"eksemplar", "eksemplar"}, {"buku", "buku"},
	{"roll", "roll"}, {"meter", "meter"}, {"m2", "m²"}, {"kg", "kg"}, {"gram", "gram"},
	{"liter", "liter"}, {"botol", "botol"}, {"galon", "galon"}, {"pasang", "pasang"},
	{"porsi", "porsi"}, {"orang", "orang"}, {"hari", "hari"}, {"jam", "jam"}, {"bulan", "bulan"},
	{"kegiatan", "kegiatan"}, {"layanan", "layanan"},
}

// ParseUnit returns the unit with the given code (case and surrounding spaces ignored), or a
// CodeInvalid *Error for field "unit".
func ParseUnit(s string) (Unit, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, u := range Units {
		if u.Code == s {
			return u, nil
		}
	}
	return Unit{}, Invalid("unit", "Satuan tidak dikenal; pilih dari daftar satuan.")
}
