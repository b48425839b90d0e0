package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// Registration data of the demo sellers: every seller past its draft gets what its owner would
// have declared — legal form, NIB, NPWP, the owner's NIK, KBLI codes, capital and annual sales
// (matching the class and codes products.go gave it), a PP 55/2022 certificate for some, an
// address in its kecamatan, a phone number and a bank account — recorded with
// store.RecordSellerRegistration, since most demo sellers are verified already. Drafts stay
// unregistered, as a new business that has not filled in the form yet.
//
// Every number is generated, and the private ones are made to look fake at a glance while
// passing the structural checks: owner NIKs have a serial number from 9000, bank account numbers
// start with 000. NIBs start with 912 (the e2e tests and store tests use other prefixes).

// streamSellerReg is this part's random stream (1–5 and 7–8 are taken, 6 is left to search).
const streamSellerReg = 9

// pkpSmallPercent is the share of small sellers that are PKP.
const pkpSmallPercent = 25

// pp55Percent is the share of registered sellers holding a PP 55/2022 certificate.
const pp55Percent = 45

// medanKelurahan lists a few kelurahan of each kecamatan of Kota Medan, by kecamatan name.
// Recalled without a source: good enough for demo addresses, not a reference.
var medanKelurahan = map[string][]string{
	"Medan Kota":       {"Pasar Baru", "Mesjid", "Teladan Barat", "Sei Rengas II", "Pusat Pasar"},
	"Medan Sunggal":    {"Sunggal", "Tanjung Rejo", "Babura Sunggal", "Simpang Tanjung"},
	"Medan Helvetia":   {"Helvetia", "Dwikora", "Tanjung Gusta", "Sei Sikambing C II"},
	"Medan Denai":      {"Binjai", "Denai", "Medan Tenggara", "Tegal Sari Mandala I"},
	"Medan Barat":      {"Glugur Kota", "Sei Agul", "Pulo Brayan Kota", "Karang Berombak"},
	"Medan Deli":       {"Tanjung Mulia", "Kota Bangun", "Mabar", "Titi Papan"},
	"Medan Tuntungan":  {"Tanjung Selamat", "Simalingkar B", "Lau Cih", "Mangga"},
	"Medan Belawan":    {"Belawan I", "Bagan Deli", "Belawan Bahari", "Belawan Sicanang"},
	"Medan Amplas":     {"Harjosari I", "Timbang Deli", "Sitirejo II", "Amplas"},
	"Medan Area":       {"Sukaramai I", "Pasar Merah Timur", "Kota Matsum I", "Tegal Sari I"},
	"Medan Johor":      {"Gedung Johor", "Kwala Bekala", "Pangkalan Masyhur", "Kedai Durian"},
	"Medan Marelan":    {"Rengas Pulau", "Terjun", "Tanah Enam Ratus", "Labuhan Deli"},
	"Medan Labuhan":    {"Martubung", "Besar", "Pekan Labuhan", "Sei Mati"},
	"Medan Tembung":    {"Bandar Selamat", "Sidorejo", "Tembung", "Indra Kasih"},
	"Medan Maimun":     {"Sukaraja", "Aur", "Hamdan", "Kampung Baru"},
	"Medan Polonia":    {"Polonia", "Anggrung", "Sari Rejo", "Suka Damai"},
	"Medan Baru":       {"Babura", "Darat", "Petisah Hulu", "Padang Bulan", "Titi Rantai"},
	"Medan Perjuangan": {"Sidorame Barat I", "Pandau Hilir", "Tegal Rejo", "Sei Kera Hulu"},
	"Medan Petisah":    {"Petisah Tengah", "Sei Putih Barat", "Sekip", "Sei Sikambing D"},
	"Medan Timur":      {"Gaharu", "Glugur Darat I", "Pulo Brayan Darat I", "Durian"},
	"Medan Selayang":   {"Padang Bulan Selayang I", "Tanjung Sari", "Asam Kumbang", "Sempakata"},
}

// streetNames are streets of the kind a Medan address names.
var streetNames = []string{
	"Jl. Sisingamangaraja", "Jl. Gatot Subroto", "Jl. Setia Budi", "Jl. Brigjend Katamso", "Jl. Jamin Ginting",
	"Jl. Sutomo", "Jl. Letda Sujono", "Jl. Karya", "Jl. Bunga Lau", "Jl. Mawar", "Jl. Melati", "Jl. Kenanga",
	"Jl. Sei Batang Hari", "Jl. Krakatau", "Jl. AR Hakim", "Jl. Denai", "Jl. Marelan Raya", "Jl. Yos Sudarso",
	"Jl. Williem Iskandar", "Jl. Pancing", "Jl. Garu II", "Jl. Pasar III", "Jl. Bilal", "Jl. Tuasan",
}

// demoBanks are the banks UMK in Medan commonly bank with.
var demoBanks = []string{"Bank Sumut", "BRI", "BNI", "Bank Mandiri", "BSI", "BCA"}

// kppCodes are three-digit tax office codes of the kind found in Medan NPWPs (legacy format).
var kppCodes = []string{"121", "122", "123", "124", "125", "126"}

// loadSellerRegistrations records the registration of every demo seller that is not a draft.
// It runs after loadProducts, which chose each seller's class and KBLI codes, and before the
// orders, whose taxes depend on the seller's NPWP and PP 55/2022 certificate.
func (l *loader) loadSellerRegistrations(ctx context.Context, r *rand.Rand) error {
	wib := time.FixedZone("WIB", 7*3600)
	now := l.opt.Now.In(wib)
	for _, created := range l.sellers {
		if created.Status == string(market.SellerDraft) {
			continue
		}
		sl, err := l.s.GetSeller(ctx, created.ID)
		if err != nil {
			return err
		}
		owner, err := l.ownerOf(ctx, sl.ID)
		if err != nil {
			return err
		}
		reg := l.registration(r, sl, owner.Name, now)
		if err := l.s.RecordSellerRegistration(ctx, l.admin, sl.ID, reg); err != nil {
			return fmt.Errorf("registration of seller %s: %w", sl.Name, err)
		}
	}
	return nil
}

// ownerOf returns the owner of a seller (every demo seller has one).
func (l *loader) ownerOf(ctx context.Context, sellerID int64) (store.User, error) {
	us, err := l.s.ListUsers(ctx, store.UserFilter{SellerID: sellerID})
	if err != nil {
		return store.User{}, err
	}
	for _, u := range us {
		for _, m := range u.Memberships {
			if m.Role == market.RoleSellerOwner && m.ScopeID == sellerID {
				return u, nil
			}
		}
	}
	return store.User{}, fmt.Errorf("seller %d has no owner", sellerID)
}

// registration draws what the owner of sl declared; now is the load's reference time in WIB.
func (l *loader) registration(r *rand.Rand, sl store.Seller, ownerName string, now time.Time) market.SellerRegistration {
	form := legalFormOf(sl.Name)
	female := slices.Contains(femaleNames, strings.Fields(ownerName)[0])
	nik := l.demoNIK(r, sl.Kecamatan, female, now.Year())
	capital, sales := figuresFor(r, sl.Class)
	// A few small businesses sell above the Rp4,8 miliar threshold and are PKP: they charge PPN
	// and issue an e-Faktur with their invoices. The login seller stays below it.
	pkp := sl.Class == market.ClassSmall && len(l.sellers) > 0 && sl.ID != l.sellers[0].ID && r.IntN(100) < pkpSmallPercent
	if pkp {
		sales = (market.PKPThreshold + market.Rupiah(50_000_000+r.Int64N(7_000_000_000))) / 5_000_000 * 5_000_000
	}
	reg := market.SellerRegistration{
		BusinessName: sl.Name, LegalForm: form, NIB: l.demoNIB(r), OwnerNIK: nik,
		KBLI: sl.Reg.KBLI, Capital: capital, AnnualSales: sales, PKP: pkp,
		Address: market.Address{
			Street:    fmt.Sprintf("%s No. %d", pick(r, streetNames), 1+r.IntN(250)),
			Kelurahan: pick(r, medanKelurahan[sl.Kecamatan]), Kecamatan: sl.Kecamatan, City: "Kota Medan",
		},
		Phone: l.phone(r),
		Bank:  market.BankAccount{Bank: pick(r, demoBanks), Number: fmt.Sprintf("000%07d", r.IntN(10_000_000)), Holder: ownerName},
	}
	if len(reg.KBLI) == 0 {
		reg.KBLI = tradeOf(sl.Name).kbli
	}
	if form.Individual() {
		// Since 2024 a person's NPWP is their NIK; a sole proprietorship uses its owner's.
		reg.NPWP = nik
	} else {
		reg.NPWP = l.legacyNPWP(r)
		reg.Bank.Holder = sl.Name // a company's account is in its own name
	}
	if reg.Address.Kelurahan == "" {
		reg.Address.Kelurahan = "Kelurahan " + sl.Kecamatan
	}
	// Some sellers under the threshold hold a PP 55/2022 certificate for this year, issued in
	// its first months.
	if !pkp && r.IntN(100) < pp55Percent {
		from := time.Date(now.Year(), time.Month(1+r.IntN(3)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		if from.After(now) {
			from = time.Date(now.Year(), 1, 2, 0, 0, 0, 0, time.UTC)
		}
		reg.PP55Number = fmt.Sprintf("KET-%05d/PP55/WPJ.26/KP.%s3/%d", 1+r.IntN(20000), pick(r, []string{"01", "02", "03", "04"}), now.Year())
		reg.PP55ValidFrom = from
		reg.PP55ValidTo = time.Date(now.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return reg
}

// legalFormOf reads the legal form from a business name: "UD …" and "CV …" say it; a
// trade name ("Katering Bu Ani", "Toko …") is an individual's business.
func legalFormOf(name string) market.LegalForm {
	switch {
	case strings.HasPrefix(name, "UD "):
		return market.LegalUD
	case strings.HasPrefix(name, "CV "):
		return market.LegalCV
	case strings.HasPrefix(name, "PT "):
		return market.LegalPTPerorangan
	case strings.HasPrefix(name, "Koperasi "):
		return market.LegalKoperasi
	}
	return market.LegalPerorangan
}

// figuresFor draws declared capital and annual sales (rounded to Rp5 juta) that PP 7/2021
// classes as class. Sales stay under the Rp4,8 miliar PKP threshold (registration lifts a few
// PKP sellers above it); a small business is small by its capital or by its sales.
func figuresFor(r *rand.Rand, class market.UMKClass) (capital, sales market.Rupiah) {
	between := func(lo, hi int64) market.Rupiah {
		const step = 5_000_000
		return market.Rupiah((lo + r.Int64N(hi-lo+1)) / step * step)
	}
	if class != market.ClassSmall {
		return between(25_000_000, 950_000_000), between(60_000_000, 1_950_000_000)
	}
	if r.IntN(2) == 0 {
		return between(1_050_000_000, 4_500_000_000), between(800_000_000, 4_500_000_000)
	}
	return between(200_000_000, 950_000_000), between(2_100_000_000, 4_500_000_000)
}

// demoNIB draws an unused 13-digit NIB starting with 912.
func (l *loader) demoNIB(r *rand.Rand) string {
	for {
		nib := fmt.Sprintf("912%010d", r.Int64N(10_000_000_000))
		if !l.used["nib:"+nib] {
			l.used["nib:"+nib] = true
			return nib
		}
	}
}

// demoNIK draws an unused, structurally valid NIK of a person registered in Kota Medan: region
// 12.71 and the kecamatan's district code, a birth date making them 22 to 64 years old this year
// (women add 40 to the day) and a serial number from 9000.
func (l *loader) demoNIK(r *rand.Rand, kecamatan string, female bool, year int) string {
	district := "01"
	for _, k := range medanKecamatan {
		if k.name == kecamatan {
			district = k.code[len(k.code)-2:]
		}
	}
	born := year - 22 - r.IntN(43)
	month, day := 1+r.IntN(12), 1+r.IntN(28)
	if female {
		day += 40
	}
	for {
		nik := fmt.Sprintf("1271%s%02d%02d%02d%04d", district, day, month, born%100, 9000+r.IntN(1000))
		if !l.used["nik:"+nik] {
			l.used["nik:"+nik] = true
			return nik
		}
	}
}

// legacyNPWP draws an unused business NPWP in the legacy 15-digit format (99.999.999.9-999.999),
// registered at a Medan tax office; the store keeps it as 16 digits with a leading 0.
func (l *loader) legacyNPWP(r *rand.Rand) string {
	for {
		n := fmt.Sprintf("0%d.%03d.%03d.%d-%s.000", 1+r.IntN(9), r.IntN(1000), r.IntN(1000), r.IntN(10), pick(r, kppCodes))
		if !l.used["npwp:"+n] {
			l.used["npwp:"+n] = true
			return n
		}
	}
}
