package market

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func seedTree(t *testing.T) *CategoryTree {
	t.Helper()
	tree, err := NewCategoryTree(SeedCategories())
	if err != nil {
		t.Fatalf("seed tree: %v", err)
	}
	return tree
}

func TestSeedCategories(t *testing.T) {
	tree := seedTree(t)
	var groups []string
	for _, r := range tree.Roots() {
		groups = append(groups, r.Name)
	}
	want := []string{
		"Alat Tulis Kantor (ATK)", "Makan dan Minum", "Cetak dan Fotokopi", "Suvenir dan Batik", "Furnitur",
		"Kebersihan", "Komputer dan Elektronik", "Pakaian Dinas", "Penyelenggaraan Acara", "Transportasi",
	}
	if diff := cmp.Diff(want, groups); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	leaves := tree.Leaves()
	if len(leaves) < 30 {
		t.Errorf("only %d leaves", len(leaves))
	}
	// Leaf codes are stable identifiers: these must never change meaning.
	stable := map[string]string{
		"01.01.01": "Kertas HVS dan kertas fotokopi",
		"02.01.01": "Nasi kotak",
		"03.01.01": "Spanduk, baliho dan banner",
		"07.01.01": "Laptop dan komputer meja",
	}
	for code, name := range stable {
		c, err := tree.Leaf(code)
		if err != nil || c.Name != name {
			t.Errorf("leaf %s = %q, %v; want %q", code, c.Name, err, name)
		}
	}
	for _, l := range leaves {
		if l.Catering != (strings.HasPrefix(l.Code, "02.01.")) {
			t.Errorf("leaf %s catering = %v", l.Code, l.Catering)
		}
	}
	if got := tree.PathName("02.01.01"); got != "Makan dan Minum › Konsumsi Rapat › Nasi kotak" {
		t.Errorf("PathName = %q", got)
	}
}

func TestCanList(t *testing.T) {
	tree := seedTree(t)
	tests := []struct {
		name    string
		kbli    []string
		code    string
		wantErr string // substring of the message; "" when allowed
	}{
		{name: "stationery retailer lists paper", kbli: []string{"47611"}, code: "01.01.01"},
		{name: "caterer lists nasi kotak", kbli: []string{"10710", "56210"}, code: "02.01.01"},
		{name: "printer lists banner", kbli: []string{"18111"}, code: "03.01.01"},
		{name: "caterer cannot list laptops", kbli: []string{"56210"}, code: "07.01.01",
			wantErr: "Kategori Laptop dan komputer meja hanya untuk usaha dengan KBLI 47411, 46511; KBLI usaha Anda: 56210."},
		{name: "no KBLI", code: "06.02.02", wantErr: "KBLI usaha Anda: belum ada"},
		{name: "group is not a leaf", kbli: []string{"47611"}, code: "01", wantErr: "tingkat ketiga"},
		{name: "subgroup is not a leaf", kbli: []string{"47611"}, code: "01.01", wantErr: "tingkat ketiga"},
		{name: "unknown code", kbli: []string{"47611"}, code: "99.99.99", wantErr: "tidak dikenal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tree.CanList(tt.kbli, tt.code)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("CanList = %v, want nil", err)
				}
				return
			}
			if fieldOf(t, err) != "category" || !strings.Contains(err.(*Error).Message, tt.wantErr) {
				t.Errorf("CanList = %v, want category error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewCategoryTreeRejects(t *testing.T) {
	leaf := Category{Code: "01.01.01", Name: "Kertas", Kind: CategoryGoods, KBLI: []string{"47611"}}
	sub := func(children ...Category) Category { return Category{Code: "01.01", Name: "Sub", Children: children} }
	root := func(children ...Category) []Category {
		return []Category{{Code: "01", Name: "Grup", Children: children}}
	}
	with := func(edit func(*Category)) Category { c := leaf; edit(&c); return c }
	tests := []struct {
		name  string
		roots []Category
		want  string
	}{
		{name: "empty", roots: nil, want: "kosong"},
		{name: "two levels", roots: root(Category{Code: "01.01", Name: "Sub"}), want: "tiga tingkat"},
		{name: "four levels", roots: root(sub(with(func(c *Category) {
			c.Children = []Category{{Code: "01.01.01.01", Name: "x"}}
		}))), want: "lebih dari tiga"},
		{name: "duplicate", roots: root(sub(leaf, leaf)), want: "ganda"},
		{name: "bad prefix", roots: root(sub(with(func(c *Category) { c.Code = "02.01.01" }))), want: "diawali"},
		{name: "no kind", roots: root(sub(with(func(c *Category) { c.Kind = "" }))), want: "barang atau jasa"},
		{name: "no KBLI", roots: root(sub(with(func(c *Category) { c.KBLI = nil }))), want: "minimal satu"},
		{name: "bad KBLI", roots: root(sub(with(func(c *Category) { c.KBLI = []string{"4761"} }))), want: "KBLI tidak valid"},
		{name: "catering goods", roots: root(sub(with(func(c *Category) { c.Catering = true }))), want: "katering"},
		{name: "KBLI on group", roots: []Category{{Code: "01", Name: "G", KBLI: []string{"47611"}, Children: []Category{sub(leaf)}}}, want: "hanya pada tingkat ketiga"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewCategoryTree(tt.roots)
			if fieldOf(t, err) != "categories" || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewCategoryTree = %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestParseUnit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		err  bool
	}{
		{name: "rim", in: "rim", want: "rim"},
		{name: "case and space", in: " Porsi ", want: "porsi"},
		{name: "unknown", in: "ton", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := ParseUnit(tt.in)
			if (err != nil) != tt.err || u.Code != tt.want {
				t.Errorf("ParseUnit(%q) = %v, %v", tt.in, u, err)
			}
		})
	}
	seen := map[string]bool{}
	for _, u := range Units {
		if seen[u.Code] || u.Code != strings.ToLower(u.Code) {
			t.Errorf("unit %q duplicated or not lower case", u.Code)
		}
		seen[u.Code] = true
	}
}
