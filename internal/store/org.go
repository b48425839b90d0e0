package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"bela/internal/market"
)

// Instance is the Pemda running this Bela: its name, region code (kode wilayah), time zone
// and the fixed origin line of its transparency log.
type Instance struct {
	Name       string
	RegionCode string
	TimeZone   string
	LogOrigin  string
}

// Location returns the instance's time zone, UTC when it is unknown.
func (i Instance) Location() *time.Location {
	loc, err := time.LoadLocation(i.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Unit is a work unit (OPD / satker) that buys.
type Unit struct {
	ID   int64
	Code string
	Name string
}

// Kecamatan is a district of the instance's region; a seller's public location.
type Kecamatan struct {
	Code string
	Name string
}

// CheckRegionCode checks a region code (kode wilayah, Kemendagri numbering) of a Pemda: a known
// two-digit province code ("12", Provinsi Sumatera Utara) or a province code, a dot and a
// two-digit regency or city code that is not 00 ("12.71", Kota Medan). Errors: CodeInvalid for
// field "region_code", also when it is empty.
func CheckRegionCode(code string) error {
	if strings.TrimSpace(code) == "" {
		return market.Invalid("region_code", "Kode wilayah wajib diisi, mis. 12.71 untuk Kota Medan.")
	}
	prov, rest, city := strings.Cut(code, ".")
	digits := func(v string) bool {
		if len(v) != 2 {
			return false
		}
		for _, r := range v {
			if r < '0' || r > '9' {
				return false
			}
		}
		return true
	}
	if !digits(prov) || (city && !digits(rest)) {
		return market.Invalid("region_code", "Kode wilayah tidak valid; gunakan kode Kemendagri, mis. 12 atau 12.71.")
	}
	if _, ok := market.NIKProvinces[prov]; !ok {
		return market.Invalid("region_code", fmt.Sprintf("Kode provinsi %q pada kode wilayah tidak dikenal.", prov))
	}
	if city && rest == "00" {
		return market.Invalid("region_code", "Kode kabupaten/kota pada kode wilayah tidak boleh 00.")
	}
	return nil
}

// SetInstance creates or replaces the instance row. It validates the time zone and a given
// region code (CheckRegionCode; `bela migrate` requires one).
func (s *Store) SetInstance(ctx context.Context, a Actor, in Instance) error {
	if strings.TrimSpace(in.Name) == "" {
		return market.Invalid("name", "Nama instansi wajib diisi.")
	}
	if in.RegionCode != "" {
		if err := CheckRegionCode(in.RegionCode); err != nil {
			return err
		}
	}
	if _, err := time.LoadLocation(in.TimeZone); err != nil {
		return market.Invalid("time_zone", fmt.Sprintf("Zona waktu %q tidak dikenal.", in.TimeZone))
	}
	if in.LogOrigin == "" {
		in.LogOrigin = DefaultLogOrigin(in.Name)
	}
	return s.inTx(ctx, func(tx *Tx) error {
		var old Instance
		err := tx.queryRow(ctx, `SELECT name, region_code, time_zone, log_origin FROM instance WHERE id = 1`).Scan(&old.Name, &old.RegionCode, &old.TimeZone, &old.LogOrigin)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.exec(ctx, `INSERT INTO instance (id, name, region_code, time_zone, log_origin, created_at) VALUES (1, $1, $2, $3, $4, $5)`,
				in.Name, in.RegionCode, in.TimeZone, in.LogOrigin, micros(tx.now))
		case err == nil:
			if old.LogOrigin != in.LogOrigin {
				return market.Conflict("Origin log transparansi tidak dapat diubah setelah ditetapkan.")
			}
			_, err = tx.exec(ctx, `UPDATE instance SET name = $1, region_code = $2, time_zone = $3 WHERE id = 1`, in.Name, in.RegionCode, in.TimeZone)
		}
		if err != nil {
			return fmt.Errorf("set instance: %w", err)
		}
		return tx.Audit(ctx, a, "instance.set", "instance", 1, market.Diff(
			map[string]any{"name": old.Name, "region_code": old.RegionCode, "time_zone": old.TimeZone},
			map[string]any{"name": in.Name, "region_code": in.RegionCode, "time_zone": in.TimeZone}))
	})
}

// DefaultLogOrigin derives a transparency-log origin from the instance name, e.g.
// "Pemerintah Kota Medan" → "bela.pemerintah-kota-medan/log". It never uses a listen address.
func DefaultLogOrigin(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return "bela." + strings.TrimSuffix(b.String(), "-") + "/log"
}

// GetInstance returns the instance; ErrNotFound before SetInstance.
func (s *Store) GetInstance(ctx context.Context) (Instance, error) {
	var in Instance
	err := s.q(ctx).QueryRowContext(ctx, `SELECT name, region_code, time_zone, log_origin FROM instance WHERE id = 1`).Scan(&in.Name, &in.RegionCode, &in.TimeZone, &in.LogOrigin)
	if errors.Is(err, sql.ErrNoRows) {
		return in, market.NotFound("Instansi")
	}
	if err != nil {
		return in, fmt.Errorf("get instance: %w", err)
	}
	return in, nil
}

// CreateUnit adds a work unit. The code must be unique.
func (s *Store) CreateUnit(ctx context.Context, a Actor, code, name string) (Unit, error) {
	u := Unit{Code: strings.TrimSpace(code), Name: strings.TrimSpace(name)}
	fe := market.FieldErrors{}
	if u.Code == "" {
		fe.Add("code", "Kode satker wajib diisi.")
	}
	if u.Name == "" {
		fe.Add("name", "Nama satker wajib diisi.")
	}
	if err := fe.Err(); err != nil {
		return u, err
	}
	err := s.inTx(ctx, func(tx *Tx) error {
		var err error
		u.ID, err = tx.insertID(ctx, `INSERT INTO units (code, name, created_at) VALUES ($1, $2, $3)`, u.Code, u.Name, micros(tx.now))
		if isUniqueViolation(err) {
			return market.Invalid("code", fmt.Sprintf("Kode satker %s sudah terdaftar.", u.Code))
		}
		if err != nil {
			return fmt.Errorf("create unit: %w", err)
		}
		return tx.Audit(ctx, a, "unit.create", "unit", u.ID, map[string]market.Change{"code": {After: u.Code}, "name": {After: u.Name}})
	})
	return u, err
}

// GetUnit returns a unit by id or ErrNotFound.
func (s *Store) GetUnit(ctx context.Context, id int64) (Unit, error) {
	var u Unit
	err := s.q(ctx).QueryRowContext(ctx, `SELECT id, code, name FROM units WHERE id = $1`, id).Scan(&u.ID, &u.Code, &u.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return u, market.NotFound("Satuan kerja")
	}
	if err != nil {
		return u, fmt.Errorf("get unit: %w", err)
	}
	return u, nil
}

// ListUnits returns all units by name.
func (s *Store) ListUnits(ctx context.Context) ([]Unit, error) {
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT id, code, name FROM units ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	defer rows.Close()
	var out []Unit
	for rows.Next() {
		var u Unit
		if err := rows.Scan(&u.ID, &u.Code, &u.Name); err != nil {
			return nil, fmt.Errorf("list units: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// ListKecamatan returns the region's districts.
func (s *Store) ListKecamatan(ctx context.Context) ([]Kecamatan, error) {
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT code, name FROM kecamatan ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list kecamatan: %w", err)
	}
	defer rows.Close()
	var out []Kecamatan
	for rows.Next() {
		var k Kecamatan
		if err := rows.Scan(&k.Code, &k.Name); err != nil {
			return nil, fmt.Errorf("list kecamatan: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// AddKecamatan records a district (code and name), replacing nothing.
func (s *Store) AddKecamatan(ctx context.Context, a Actor, k Kecamatan) error {
	return s.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO kecamatan (code, name) VALUES ($1, $2)`, k.Code, k.Name); err != nil {
			if isUniqueViolation(err) {
				return market.Conflict("Kecamatan sudah terdaftar.")
			}
			return fmt.Errorf("add kecamatan: %w", err)
		}
		return tx.Audit(ctx, a, "kecamatan.add", "kecamatan", 0, map[string]market.Change{"code": {After: k.Code}, "name": {After: k.Name}})
	})
}
