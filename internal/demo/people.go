package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"bela/internal/store"
)

// personName draws an Indonesian name: a given name and either a family name (marga) or a
// second given name.
func personName(r *rand.Rand) (first, last string, female bool) {
	female = r.IntN(2) == 0
	if female {
		first = pick(r, femaleNames)
	} else {
		first = pick(r, maleNames)
	}
	switch {
	case r.IntN(100) < 60:
		last = pick(r, familyNames)
	case female:
		last = pick(r, secondFemale)
	default:
		last = pick(r, secondMale)
	}
	if last == first {
		last = pick(r, familyNames)
	}
	return first, last, female
}

// official draws a civil servant of a unit of the given kind: a name with the academic title
// usual there, an e-mail address at the Pemko's domain, a mobile number and an 18-digit NIP.
func (l *loader) official(r *rand.Rand, kind unitKind) store.NewUser {
	first, last, female := personName(r)
	name := first + " " + last
	switch kind {
	case kindHealth:
		if r.IntN(100) < 30 {
			name = "dr. " + name
		} else if r.IntN(100) < 70 {
			name += ", " + pick(r, titlesHealth)
		}
	case kindEducation:
		if r.IntN(100) < 80 {
			name += ", " + pick(r, titlesEducation)
		}
	default:
		if r.IntN(100) < 65 {
			name += ", " + pick(r, titlesGeneral)
		}
	}
	return store.NewUser{
		Name:  name,
		Email: l.email(first+"."+last, OfficialDomain),
		Phone: l.phone(r),
		NIP:   l.nip(r, female),
	}
}

// umkPerson draws an owner or staff member of a UMK: a name, a personal e-mail address and a
// mobile number; no NIP.
func (l *loader) umkPerson(r *rand.Rand) store.NewUser {
	first, last, _ := personName(r)
	return store.NewUser{
		Name:  first + " " + last,
		Email: l.email(first+"."+last, SellerDomain),
		Phone: l.phone(r),
	}
}

// email returns an unused address local@domain, numbering the local part (rina.siregar2) when
// the plain one is taken.
func (l *loader) email(local, domain string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(local) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' {
			b.WriteRune(c)
		}
	}
	base := b.String()
	addr := base + "@" + domain
	for n := 2; l.used[addr]; n++ {
		addr = fmt.Sprintf("%s%d@%s", base, n, domain)
	}
	l.used[addr] = true
	return addr
}

// phone draws an Indonesian mobile number (0812-xxxx-xxxx style, written without separators).
func (l *loader) phone(r *rand.Rand) string {
	return fmt.Sprintf("0%s%08d", pick(r, phonePrefixes), r.IntN(100_000_000))
}

// nip draws an unused NIP as BKN issues it: birth date (8 digits), year and month of appointment
// as CPNS (6), sex (1 for men, 2 for women) and a serial number (3).
func (l *loader) nip(r *rand.Rand, female bool) string {
	birth := 1966 + r.IntN(32)
	month, day := 1+r.IntN(12), 1+r.IntN(28)
	appointed := min(birth+22+r.IntN(9), l.opt.Now.Year()-1)
	appMonth := []int{1, 2, 3, 12}[r.IntN(4)]
	sex := 1
	if female {
		sex = 2
	}
	for serial := 1 + r.IntN(3); ; serial++ {
		nip := fmt.Sprintf("%04d%02d%02d%04d%02d%d%03d", birth, month, day, appointed, appMonth, sex, serial)
		if !l.used[nip] {
			l.used[nip] = true
			return nip
		}
	}
}

// pick returns a random element of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// pickWeighted returns the index of a random element, each chosen in proportion to its weight.
func pickWeighted(r *rand.Rand, n int, weight func(i int) int) int {
	total := 0
	for i := range n {
		total += weight(i)
	}
	x := r.IntN(total)
	for i := range n {
		if x -= weight(i); x < 0 {
			return i
		}
	}
	return n - 1
}
