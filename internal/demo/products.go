package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"strings"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// Demo products: every seller gets a size class and the KBLI codes of its line of business
// (read from its name), and the verified sellers list products in the categories
// those codes allow — about ProductsPerScale approved listings per unit of Scale, with a few
// drafts, submissions waiting for a curator and rejections, price histories going back some
// months, and photos drawn from a few dozen generated images (content-addressed, so stored once).

// ProductsPerScale is about how many approved listings Scale 1 loads.
const ProductsPerScale = 3000

// smallProducts is about how many approved listings the small data set loads.
const smallProducts = 120

// The random stream of the products part (streams 1–4 are taken by the earlier parts).
const streamProducts = 5

// Image sizes of the generated photos: the short side meets store.MinPhotoSide.
const (
	photoW, photoH = 400, 300
	thumbW, thumbH = 160, 120
	photoVariants  = 4 // images per category group
)

// demoTrade is a line of business: the words its seller names contain, its KBLI codes and the
// share of small (rather than micro) businesses among them.
type demoTrade struct {
	words        []string
	kbli         []string
	smallPercent int
}

// demoTrades maps seller names (data.go's sellerTrades patterns) to KBLI codes; the first trade
// whose word occurs in the name wins, and a name with none is a general stationery shop.
var demoTrades = []demoTrade{
	{[]string{"Katering", "Rumah Makan", "Dapur", "Kedai Kopi", "Nasi Kotak"}, []string{"56210", "56101"}, 10},
	{[]string{"Bolu", "Kue"}, []string{"10710", "56290"}, 5},
	{[]string{"Percetakan", "Printing", "Sablon"}, []string{"18111", "18120"}, 20},
	{[]string{"Fotokopi"}, []string{"82190"}, 5},
	{[]string{"Ulos", "Songket", "Batik"}, []string{"13134", "47511"}, 10},
	{[]string{"Suvenir", "Kerajinan"}, []string{"47759"}, 10},
	{[]string{"Mebel", "Kayu", "CV Karya", "Interior"}, []string{"31001", "47591"}, 25},
	{[]string{"Bersih", "Kebersihan", "Laundry"}, []string{"20231", "47599", "81210"}, 15},
	{[]string{"Komputer", "Elektronik", "Teknologi"}, []string{"47411", "47420", "95110"}, 30},
	{[]string{"Konveksi", "Penjahit", "Bordir"}, []string{"14111", "47711"}, 15},
	{[]string{"Servis AC", "Bengkel"}, []string{"47592", "95110"}, 10},
	{[]string{"Tanaman", "Florist", "Bunga"}, []string{"81300", "47759"}, 5},
	{nil, []string{"47611", "46900"}, 20}, // ATK and general supplies
}

func tradeOf(name string) demoTrade {
	for _, t := range demoTrades {
		for _, w := range t.words {
			if strings.Contains(name, w) {
				return t
			}
		}
	}
	return demoTrades[len(demoTrades)-1]
}

// item is a kind of product sold in a leaf category: a base name, its unit, a price range
// (rupiah before PPN) and the variants that make each listing's name.
type item struct {
	name     string
	unit     string
	low      int64
	high     int64
	variants []string
}

// demoItems lists realistic products per leaf category, with Medan prices of 2025–2026.
var demoItems = map[string][]item{
	"01.01.01": {{"Kertas HVS A4 70 gsm", "rim", 48000, 62000, []string{"Sinar Dunia", "PaperOne", "Bola Dunia", "Natural"}}, {"Kertas HVS F4 80 gsm", "rim", 58000, 72000, []string{"Sinar Dunia", "PaperOne", "Copy Paper"}}, {"Kertas foto glossy A4", "pak", 35000, 60000, []string{"180 gsm", "230 gsm"}}},
	"01.01.02": {{"Amplop putih", "box", 28000, 45000, []string{"ukuran 90", "ukuran 104", "ukuran 110 dengan logo"}}, {"Map snelhecter plastik", "lusin", 24000, 36000, []string{"biru", "merah", "hijau"}}, {"Ordner besar", "buah", 22000, 38000, []string{"Bantex", "Lion", "Gold"}}, {"Map kertas bufalo", "pak", 30000, 45000, []string{"isi 50", "isi 100"}}},
	"01.01.03": {{"Buku tulis", "pak", 30000, 55000, []string{"38 lembar isi 10", "58 lembar isi 10"}}, {"Buku agenda kantor", "buah", 25000, 75000, []string{"kulit sintetis", "hardcover", "dengan logo dinas"}}, {"Buku folio bergaris", "buah", 12000, 22000, []string{"100 lembar", "200 lembar"}}},
	"01.02.01": {{"Pulpen gel hitam", "box", 24000, 60000, []string{"Standard", "Snowman", "Kenko", "Joyko"}}, {"Spidol papan tulis", "box", 60000, 110000, []string{"Snowman", "Artline"}}, {"Pensil 2B", "box", 25000, 45000, []string{"Faber-Castell", "Steadtler", "Joyko"}}, {"Stabilo highlighter", "set", 25000, 45000, []string{"isi 4 warna", "isi 6 warna"}}},
	"01.02.02": {{"Stapler", "buah", 15000, 95000, []string{"No. 10", "HD-50", "Max HD-10"}}, {"Isi staples", "box", 25000, 45000, []string{"No. 10 isi 20", "No. 3 isi 10"}}, {"Pelubang kertas", "buah", 20000, 120000, []string{"kecil", "besar"}}, {"Klip kertas", "box", 8000, 20000, []string{"No. 1", "No. 3", "binder clip 105"}}},
	"01.02.03": {{"Lem kertas", "lusin", 24000, 48000, []string{"stik 8 g", "cair 50 ml"}}, {"Selotip bening", "roll", 4000, 15000, []string{"1/2 inci", "1 inci", "2 inci"}}, {"Cairan koreksi", "lusin", 36000, 70000, []string{"pena", "botol"}}, {"Lakban cokelat", "roll", 9000, 16000, []string{"48 mm", "72 mm"}}},
	"01.03.01": {{"Tinta printer isi ulang", "botol", 25000, 95000, []string{"Epson hitam", "Epson warna", "Canon hitam"}}, {"Toner printer laser", "buah", 180000, 850000, []string{"HP 85A kompatibel", "Canon 325", "Brother TN-2060"}}, {"Pita mesin kasir", "roll", 5000, 12000, []string{"57 mm", "80 mm"}}},
	"02.01.01": {{"Nasi kotak", "porsi", 22000, 45000, []string{"ayam goreng", "ayam gulai", "rendang", "ikan asam manis", "ayam pop"}}, {"Nasi bungkus", "porsi", 18000, 30000, []string{"ayam", "ikan", "telur balado"}}},
	"02.01.02": {{"Snack kotak", "porsi", 9000, 20000, []string{"isi 3", "isi 4", "isi 5"}}, {"Bolu gulung", "buah", 40000, 90000, []string{"pandan", "keju", "durian", "cokelat"}}, {"Kue basah", "porsi", 8000, 15000, []string{"lapis legit", "lemper", "risol", "dadar gulung"}}},
	"02.01.03": {{"Prasmanan rapat", "porsi", 45000, 95000, []string{"menu nusantara", "menu Melayu", "menu Batak halal"}}, {"Coffee break", "porsi", 15000, 30000, []string{"pagi", "sore"}}},
	"02.02.01": {{"Air minum kemasan", "dus", 38000, 55000, []string{"gelas 240 ml", "botol 600 ml", "botol 330 ml"}}, {"Air galon isi ulang", "galon", 18000, 25000, []string{"19 liter"}}},
	"02.02.02": {{"Kopi bubuk Sidikalang", "pak", 35000, 90000, []string{"250 g", "500 g"}}, {"Teh celup", "box", 8000, 25000, []string{"isi 25", "isi 50"}}, {"Gula pasir", "kg", 16000, 19000, []string{"kemasan 1 kg"}}},
	"03.01.01": {{"Spanduk", "m2", 20000, 45000, []string{"flexi 280 g", "flexi korea"}}, {"Baliho", "m2", 35000, 60000, []string{"dengan rangka", "tanpa rangka"}}, {"X-banner", "buah", 85000, 150000, []string{"60 × 160 cm", "80 × 180 cm"}}},
	"03.01.02": {{"Cetak buku laporan", "eksemplar", 25000, 90000, []string{"A4 100 halaman", "A4 200 halaman", "A5 full color"}}, {"Brosur", "lembar", 800, 2500, []string{"A4 lipat tiga", "A5 art paper"}}, {"Leaflet", "lembar", 600, 1800, []string{"A5", "DL"}}},
	"03.01.03": {{"Cetak kop surat", "rim", 120000, 250000, []string{"HVS 80 g satu warna", "HVS 80 g full color"}}, {"Map cetak dengan logo", "buah", 5000, 12000, []string{"art carton 260", "ivory 310"}}, {"Formulir rangkap", "buku", 15000, 35000, []string{"NCR 2 ply", "NCR 3 ply"}}},
	"03.01.04": {{"Kartu nama", "box", 35000, 80000, []string{"art carton isi 100", "laminasi doff isi 100"}}, {"Undangan acara", "lembar", 2500, 8000, []string{"lipat dua", "dengan amplop"}}},
	"03.02.01": {{"Fotokopi", "lembar", 200, 400, []string{"A4 hitam putih", "F4 hitam putih"}}, {"Cetak dokumen warna", "lembar", 1000, 3000, []string{"A4", "A3"}}},
	"03.02.02": {{"Penjilidan", "buku", 5000, 30000, []string{"spiral", "lakban", "hard cover"}}, {"Laminasi", "lembar", 3000, 8000, []string{"A4", "F4", "KTP"}}},
	"04.01.01": {{"Plakat akrilik", "buah", 150000, 450000, []string{"dengan logo Pemko", "kayu jati"}}, {"Trofi", "buah", 200000, 750000, []string{"juara 1", "tiga tingkat"}}},
	"04.01.02": {{"Tas seminar", "buah", 25000, 75000, []string{"spunbond", "kanvas", "ransel"}}, {"Goodie bag", "buah", 8000, 25000, []string{"spunbond sablon", "furing"}}},
	"04.01.03": {{"Miniatur rumah adat Batak", "buah", 150000, 400000, []string{"kecil", "sedang"}}, {"Gantungan kunci khas Medan", "lusin", 60000, 120000, []string{"kayu", "akrilik"}}, {"Bika Ambon kotak suvenir", "box", 60000, 110000, []string{"original", "pandan"}}},
	"04.02.01": {{"Kain batik Medan", "lembar", 150000, 450000, []string{"cap", "tulis", "kombinasi"}}, {"Kemeja batik dinas", "buah", 150000, 350000, []string{"lengan panjang", "lengan pendek"}}},
	"04.02.02": {{"Ulos", "lembar", 250000, 1500000, []string{"Ragi Hotang", "Sadum", "Mangiring"}}, {"Songket Melayu Deli", "lembar", 450000, 2500000, []string{"benang emas", "benang perak"}}},
	"05.01.01": {{"Meja kerja kayu", "unit", 950000, 2800000, []string{"120 cm", "140 cm dengan laci"}}, {"Kursi kerja", "unit", 450000, 1800000, []string{"jaring", "kulit sintetis"}}},
	"05.01.02": {{"Lemari arsip kayu", "unit", 1500000, 3800000, []string{"dua pintu", "kaca sorong"}}, {"Rak arsip", "unit", 650000, 1800000, []string{"lima susun", "besi siku"}}},
	"05.01.03": {{"Meja rapat", "unit", 2500000, 8500000, []string{"oval 8 orang", "persegi 10 orang"}}, {"Kursi rapat lipat", "unit", 250000, 650000, []string{"busa", "futura"}}},
	"06.01.01": {{"Sabun cuci tangan cair", "botol", 15000, 40000, []string{"500 ml", "refill 1 liter"}}, {"Cairan pembersih lantai", "galon", 45000, 95000, []string{"5 liter", "jerigen"}}, {"Pewangi ruangan", "buah", 25000, 60000, []string{"semprot", "gel"}}},
	"06.01.02": {{"Sapu ijuk", "buah", 20000, 40000, []string{"gagang kayu", "gagang besi"}}, {"Alat pel", "set", 45000, 150000, []string{"putar dengan ember", "biasa"}}, {"Tempat sampah", "buah", 35000, 250000, []string{"pedal 20 liter", "tiga warna pilah"}}},
	"06.01.03": {{"Tisu wajah", "dus", 120000, 200000, []string{"isi 24", "isi 48"}}, {"Kantong plastik sampah", "pak", 12000, 30000, []string{"60 × 100", "90 × 120"}}, {"Tisu gulung", "pak", 30000, 55000, []string{"isi 10"}}},
	"06.02.01": {{"Jasa kebersihan gedung", "bulan", 3500000, 5500000, []string{"satu petugas", "dengan bahan"}}, {"Pembersihan kaca gedung", "m2", 8000, 18000, []string{"lantai 1–3", "gondola"}}},
	"06.02.02": {{"Perawatan taman kantor", "bulan", 1500000, 4000000, []string{"taman kecil", "taman sedang"}}, {"Pemangkasan pohon", "kegiatan", 350000, 1200000, []string{"sampai 5 pohon"}}},
	"07.01.01": {{"Laptop", "unit", 6500000, 14500000, []string{"Core i5 8 GB", "Ryzen 5 16 GB", "Core i3 8 GB"}}, {"PC all-in-one", "unit", 8500000, 14000000, []string{"21,5 inci", "24 inci"}}},
	"07.01.02": {{"Printer tinta", "unit", 1900000, 3800000, []string{"Epson L3210", "Canon G2010", "Epson L5290"}}, {"Pemindai dokumen", "unit", 2500000, 6500000, []string{"flatbed A4", "ADF"}}},
	"07.01.03": {{"Flashdisk", "buah", 60000, 180000, []string{"32 GB", "64 GB", "128 GB"}}, {"Mouse nirkabel", "buah", 75000, 250000, []string{"Logitech", "Rexus"}}, {"Keyboard USB", "buah", 85000, 250000, []string{"Logitech", "Rexus"}}, {"Kabel HDMI", "buah", 35000, 120000, []string{"1,5 m", "5 m", "10 m"}}},
	"07.02.01": {{"Proyektor", "unit", 4500000, 9500000, []string{"3.600 lumen", "4.000 lumen"}}, {"Layar proyektor", "unit", 650000, 1800000, []string{"tripod 70 inci", "gantung 84 inci"}}},
	"07.02.02": {{"Lampu LED", "buah", 25000, 90000, []string{"12 watt", "18 watt", "tabung 18 watt"}}, {"Stop kontak", "buah", 35000, 120000, []string{"4 lubang", "6 lubang dengan saklar"}}, {"Kabel listrik", "roll", 350000, 850000, []string{"NYM 2 × 1,5", "NYM 3 × 2,5"}}},
	"07.03.01": {{"Servis printer", "unit", 75000, 250000, []string{"pembersihan head", "ganti roller"}}, {"Servis komputer", "unit", 100000, 350000, []string{"instal ulang", "ganti SSD"}}, {"Servis AC", "unit", 75000, 150000, []string{"cuci AC 1 PK", "isi freon"}}},
	"08.01.01": {{"Pakaian dinas harian", "set", 250000, 450000, []string{"khaki", "Linmas", "Satpol PP"}}, {"Jahit PDH", "set", 150000, 300000, []string{"bahan dari dinas"}}},
	"08.01.02": {{"Kaos kegiatan sablon", "lusin", 480000, 900000, []string{"cotton combed 30s", "lengan panjang"}}, {"Rompi kegiatan", "buah", 65000, 180000, []string{"bordir logo", "parasut"}}},
	"08.02.01": {{"Sepatu PDH", "pasang", 250000, 650000, []string{"kulit sapi", "pantofel"}}, {"Sepatu PDL", "pasang", 350000, 750000, []string{"kulit", "boots"}}},
	"08.02.02": {{"Papan nama dada", "buah", 15000, 40000, []string{"akrilik", "kuningan"}}, {"Lencana Pemko Medan", "buah", 12000, 35000, []string{"bordir", "logam"}}},
	"09.01.01": {{"Penyelenggaraan rapat", "kegiatan", 5000000, 25000000, []string{"50 orang", "100 orang"}}, {"Dekorasi panggung acara", "kegiatan", 2500000, 9000000, []string{"backdrop", "bunga segar"}}},
	"09.01.02": {{"Sewa tenda", "unit", 350000, 1200000, []string{"4 × 6 m", "sarnafil 5 × 10 m"}}, {"Sewa kursi", "buah", 5000, 12000, []string{"futura", "dengan sarung"}}, {"Sewa sound system", "hari", 750000, 3500000, []string{"1.000 watt", "5.000 watt"}}},
	"10.01.01": {{"Sewa mobil dengan pengemudi", "hari", 550000, 1100000, []string{"Avanza", "Innova", "Hiace"}}},
}

// descriptions are the sentences a demo listing's description is made of.
var descriptions = []string{
	"Barang baru dan bergaransi resmi.",
	"Diantar gratis ke kantor di wilayah Kota Medan.",
	"Stok tersedia dan siap kirim dalam dua hari kerja.",
	"Produk usaha lokal Kota Medan.",
	"Dapat dipesan dengan logo instansi.",
	"Harga belum termasuk PPN.",
	"Pembayaran setelah barang diterima dan BAST ditandatangani.",
}

var rejectReasons = []string{
	"Foto produk belum menunjukkan barang yang dijual.",
	"Harga umum tidak dapat diperiksa; lampirkan tautan toko Anda.",
	"Deskripsi belum menyebut ukuran dan bahan.",
}

// loadProducts gives every seller its class and KBLI codes and loads the listings.
func (l *loader) loadProducts(ctx context.Context, r *rand.Rand) error {
	tree := l.s.Categories()
	photos, err := l.photos()
	if err != nil {
		return err
	}
	var listing []store.Seller
	var leaves [][]string // per listing seller, the leaves it may list in with demo items
	for _, sl := range l.sellers {
		trade := tradeOf(sl.Name)
		class := market.ClassMicro
		if r.IntN(100) < trade.smallPercent {
			class = market.ClassSmall
		}
		if err := l.s.SetSellerClassAndKBLI(ctx, l.admin, sl.ID, class, trade.kbli); err != nil {
			return fmt.Errorf("seller %s: %w", sl.Name, err)
		}
		if sl.Status != string(market.SellerVerified) {
			continue
		}
		var ok []string
		for _, leaf := range tree.Leaves() {
			if _, has := demoItems[leaf.Code]; has && tree.CanList(trade.kbli, leaf.Code) == nil {
				ok = append(ok, leaf.Code)
			}
		}
		if len(ok) > 0 {
			listing = append(listing, sl)
			leaves = append(leaves, ok)
		}
	}
	if len(listing) == 0 {
		return nil
	}
	target := ProductsPerScale * l.opt.Scale
	if l.opt.Small {
		target = smallProducts
	}
	per := max(1, target/len(listing))
	cur, err := l.s.FindUserByEmail(ctx, l.logins[market.RoleCurator].Email)
	if err != nil {
		return err
	}
	curator := store.Actor{UserID: cur.ID, Role: market.RoleCurator}
	now := l.s.Now()
	for i, sl := range listing {
		n := per - per/3 + r.IntN(per/3*2+1) // per ± a third
		if i == 0 {
			n = max(n, 12) // the demo login's seller shows every state
		}
		ownerID, err := l.sellerOwner(ctx, sl.ID)
		if err != nil {
			return err
		}
		owner := store.Actor{UserID: ownerID, Role: market.RoleSellerOwner}
		for j := range n {
			leaf := leaves[i][r.IntN(len(leaves[i]))]
			p := l.demoProduct(r, leaf, j)
			pr, err := l.s.CreateProduct(ctx, owner, sl.ID, p)
			if err != nil {
				return fmt.Errorf("product %s of %s: %w", p.Name, sl.Name, err)
			}
			v := r.IntN(photoVariants) // drawn with or without photos, so the data stays the same
			if photos != nil {
				if _, err := l.s.AddProductPhoto(ctx, owner, sl.ID, pr.ID, photos[photoIndex(leaf, v)]); err != nil {
					return err
				}
			}
			// Most listings are approved; a few wait for a curator, were rejected or are drafts.
			state := r.IntN(100)
			if i == 0 && j < 4 {
				state = []int{96, 97, 98, 99}[j] // draft, submitted, rejected, a revision
			}
			if state >= 96 && state != 99 {
				if state == 96 {
					continue // a draft
				}
				if err := l.s.SubmitProduct(ctx, owner, sl.ID, pr.ID); err != nil {
					return err
				}
				if state == 98 {
					if _, err := l.s.ReviewProduct(ctx, curator, pr.ID, market.ProductReject, pick(r, rejectReasons)); err != nil {
						return err
					}
				}
				continue
			}
			if err := l.s.SubmitProduct(ctx, owner, sl.ID, pr.ID); err != nil {
				return err
			}
			if _, err := l.s.ReviewProduct(ctx, curator, pr.ID, market.ProductApprove, ""); err != nil {
				return err
			}
			l.res.Products++
			if r.IntN(100) < 40 {
				if err := l.s.RecordPastPrices(ctx, l.admin, pr.ID, pastPrices(r, p.Price, now)); err != nil {
					return err
				}
			}
			if state == 99 {
				// A price cut waiting for the curator: the approved price stays shown meanwhile.
				p.Price = roundPrice(int64(p.Price) * 95 / 100)
				if _, err := l.s.UpdateProduct(ctx, owner, sl.ID, pr.ID, p); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// sellerOwner returns the user id of a seller's owner (every demo seller has one).
func (l *loader) sellerOwner(ctx context.Context, sellerID int64) (int64, error) {
	us, err := l.s.ListUsers(ctx, store.UserFilter{SellerID: sellerID})
	if err != nil {
		return 0, err
	}
	for _, u := range us {
		for _, m := range u.Memberships {
			if m.Role == market.RoleSellerOwner && m.ScopeID == sellerID {
				return u.ID, nil
			}
		}
	}
	return 0, fmt.Errorf("seller %d has no owner", sellerID)
}

// demoProduct draws a listing of leaf; j numbers the seller's listings for the SKU.
func (l *loader) demoProduct(r *rand.Rand, leaf string, j int) market.Product {
	it := pick(r, demoItems[leaf])
	variant := pick(r, it.variants)
	price := roundPrice(it.low + r.Int64N(it.high-it.low+1))
	p := market.Product{
		SKU:          fmt.Sprintf("%s-%03d", strings.ReplaceAll(leaf, ".", ""), j+1),
		Name:         it.name + " " + variant,
		CategoryCode: leaf, Unit: it.unit, Price: price, MinOrder: 1,
		Stock: int64(10 + r.IntN(50)*10),
		Specs: []market.Spec{{Key: "Varian", Value: variant}},
	}
	if it.low >= 1_000_000 {
		p.Stock = int64(1 + r.IntN(10))
	}
	if it.unit == "porsi" {
		p.MinOrder = int64(10 + 10*r.IntN(3))
	}
	sentences := []string{fmt.Sprintf("%s, %s.", it.name, variant)}
	for _, k := range r.Perm(len(descriptions))[:2] {
		sentences = append(sentences, descriptions[k])
	}
	p.Description = strings.Join(sentences, " ")
	p.PDN = r.IntN(100) < 70
	if r.IntN(100) < 60 {
		p.PublicPrice = roundPrice(int64(price) * int64(100+r.IntN(16)) / 100)
	}
	return p
}

// roundPrice rounds to the rupiah steps shops use: 100 under Rp10.000, 500 under Rp100.000,
// 1.000 above.
func roundPrice(v int64) market.Rupiah {
	step := int64(1000)
	switch {
	case v < 10_000:
		step = 100
	case v < 100_000:
		step = 500
	}
	return market.Rupiah(max(step, (v+step/2)/step*step))
}

// pastPrices makes one or two earlier price periods, a little cheaper, over the last year.
func pastPrices(r *rand.Rand, current market.Rupiah, now time.Time) []store.PricePoint {
	n := 1 + r.IntN(2)
	out := make([]store.PricePoint, n)
	price := int64(current)
	from := now
	for i := n - 1; i >= 0; i-- {
		price = int64(roundPrice(price * int64(90+r.IntN(8)) / 100))
		from = from.AddDate(0, -(2 + r.IntN(4)), -r.IntN(28))
		out[i] = store.PricePoint{Price: market.Rupiah(price), From: from}
	}
	return out
}

// photoIndex is the generated image of a leaf's group in variant v.
func photoIndex(leaf string, v int) int {
	group := 0
	fmt.Sscanf(leaf, "%d.", &group)
	return (group-1)*photoVariants + v
}

// groupColours are the base colours of the photo groups, one per top-level category.
var groupColours = []color.RGBA{
	{0x2e, 0x6f, 0xb5, 255}, {0xd9, 0x7b, 0x29, 255}, {0x7a, 0x3e, 0x9d, 255}, {0xb3, 0x3a, 0x3a, 255}, {0x8b, 0x5a, 0x2b, 255},
	{0x2f, 0x9e, 0x8f, 255}, {0x44, 0x4f, 0x5a, 255}, {0x55, 0x6b, 0x2f, 255}, {0xc2, 0x4d, 0x8c, 255}, {0x1f, 0x4e, 0x79, 255},
}

// photoSet draws the generated photos (one set per top-level category) and stores them as
// blobs; without a blob store the listings get no photos (nil is returned and nothing added).
func (l *loader) photoSet() ([]store.NewProductPhoto, error) {
	if l.opt.Blobs == nil {
		return nil, nil
	}
	out := make([]store.NewProductPhoto, len(groupColours)*photoVariants)
	for g, c := range groupColours {
		for v := range photoVariants {
			full, err := encodeJPEG(drawPhoto(photoW, photoH, c, v))
			if err != nil {
				return nil, err
			}
			thumb, err := encodeJPEG(drawPhoto(thumbW, thumbH, c, v))
			if err != nil {
				return nil, err
			}
			ph := store.NewProductPhoto{Width: photoW, Height: photoH}
			if ph.BlobID, err = l.opt.Blobs.Put(full); err != nil {
				return nil, err
			}
			if ph.ThumbID, err = l.opt.Blobs.Put(thumb); err != nil {
				return nil, err
			}
			out[g*photoVariants+v] = ph
		}
	}
	return out, nil
}

// drawPhoto draws a simple product-shot picture: a light backdrop fading to the group colour,
// a shadow and a rounded "product" shape that differs by variant. It is deterministic.
func drawPhoto(w, h int, c color.RGBA, variant int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	cx, cy := w/2, h/2+h/20
	rw, rh := w/4+variant*w/32, h/4+(3-variant)*h/40
	for y := range h {
		t := y * 255 / h
		for x := range w {
			px := color.RGBA{uint8(245 - t*(245-int(c.R)/2)/255/3), uint8(245 - t*(245-int(c.G)/2)/255/3), uint8(245 - t*(245-int(c.B)/2)/255/3), 255}
			dx, dy := x-cx, y-cy
			// The shadow under the product.
			if sx, sy := dx*100/(rw+rw/3), (y-(cy+rh))*100/(h/16+1); sx*sx+sy*sy < 10000 {
				px = color.RGBA{px.R * 3 / 4, px.G * 3 / 4, px.B * 3 / 4, 255}
			}
			// The product: an ellipse for even variants, a rounded box for odd ones.
			inside := false
			if variant%2 == 0 {
				inside = dx*dx*rh*rh+dy*dy*rw*rw <= rw*rw*rh*rh
			} else {
				ax, ay := abs(dx)-rw+rh/4, abs(dy)-rh+rh/4
				inside = (ax <= 0 && abs(dy) <= rh) || (ay <= 0 && abs(dx) <= rw) || ax*ax+ay*ay <= rh*rh/16
			}
			if inside {
				shade := 60 + 40*(dy+rh)/(2*rh+1)
				px = color.RGBA{uint8(int(c.R) * shade / 100), uint8(int(c.G) * shade / 100), uint8(int(c.B) * shade / 100), 255}
				if abs(dy) < rh/8 {
					px = color.RGBA{250, 250, 250, 255} // a label band
				}
			}
			img.SetRGBA(x, y, px)
		}
	}
	return img
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func encodeJPEG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 82}); err != nil {
		return nil, fmt.Errorf("demo photo: %w", err)
	}
	return buf.Bytes(), nil
}
