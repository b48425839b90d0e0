package web

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"bela/internal/translog"
)

// logMessages are the strings of the public transparency log page.
var logMessages = map[string]map[string]string{
	"id": {
		"nav.log":             "Log transparansi",
		"log.title":           "Log transparansi",
		"log.intro":           "Setiap perubahan di Bela %s — pesanan, persetujuan, pembayaran, pengguna dan peran — dicatat sebagai kejadian audit, dan setiap kejadian dimasukkan ke log transparansi: pohon Merkle yang hanya dapat ditambah, seperti Certificate Transparency dan basis data checksum Go. Beberapa detik sekali server menandatangani checkpoint (jumlah kejadian dan hash akar pohon) dengan kunci milik instansi.",
		"log.proves":          "Apa yang dibuktikan log ini",
		"log.proves.altered":  "Tidak ada kejadian yang diubah, dihapus, atau disisipkan diam-diam: mengubah satu kejadian lama saja mengubah hash akar yang sudah ditandatangani.",
		"log.proves.order":    "Urutan kejadian tetap: dua kejadian tidak dapat ditukar tempatnya.",
		"log.proves.fork":     "Riwayat tidak dapat ditulis ulang, bahkan oleh pengelola server: setiap checkpoint baru harus konsisten dengan yang lama, dan pemeriksa atau saksi yang menyimpan checkpoint lama menolak riwayat bercabang (fork).",
		"log.proves.private":  "Data pribadi tidak dimuat: setiap isian pribadi diganti hash SHA-256 dengan garam (salt) rahasia per kejadian. Publik dapat menghitung ulang setiap daun, auditor yang memegang datanya dapat membuktikan kecocokannya, dan menghapus data pribadi kelak tidak merusak pohon.",
		"log.limits":          "Log tidak membuktikan bahwa isi sebuah kejadian benar di dunia nyata — hanya bahwa catatannya tidak diubah sejak dicatat. Kejadian masuk log dalam beberapa detik.",
		"log.key":             "Kunci pemeriksa (verifier key)",
		"log.key.help":        "Bandingkan kunci ini dengan yang diumumkan instansi melalui saluran lain, lalu simpan untuk pemeriksaan berikutnya.",
		"log.key.none":        "Kunci belum tersedia: server membuatnya saat pertama dijalankan.",
		"log.witnesses":       "Saksi terdaftar",
		"log.witnesses.help":  "Saksi (misalnya APIP atau jurnalis) memeriksa sendiri bahwa setiap checkpoint konsisten dengan yang pernah mereka tandatangani, lalu ikut menandatanganinya. Server hanya menerima tanda tangan dari saksi terdaftar.",
		"log.witnesses.none":  "Belum ada saksi terdaftar.",
		"log.latest":          "Checkpoint terbaru",
		"log.latest.none":     "Belum ada checkpoint; server menandatanganinya dalam beberapa detik.",
		"log.size":            "Jumlah kejadian",
		"log.root":            "Hash akar",
		"log.signed":          "Ditandatangani (WIB)",
		"log.cosigs":          "Tanda tangan saksi",
		"log.cosigs.none":     "Belum ada saksi yang menandatangani checkpoint ini.",
		"log.witness":         "Saksi",
		"log.cosigned":        "Waktu tanda tangan (WIB)",
		"log.check":           "Periksa sendiri",
		"log.check.help":      "Siapa pun dapat memeriksa log ini dari komputernya sendiri dengan program bela. Pemeriksa mengambil checkpoint terbaru dan memeriksa tanda tangannya, menghitung ulang hash setiap kejadian dari yang pertama, dan — dengan berkas --state — memastikan riwayat konsisten dengan pemeriksaan sebelumnya. Bila ada yang tidak cocok, perintah berhenti dengan pesan yang menyebut kejadian mana dan apa masalahnya.",
		"log.check.witnesses": "Untuk mewajibkan tanda tangan saksi, tambahkan:",
		"log.endpoints":       "Titik akhir publik (tanpa login)",
	},
	"en": {
		"nav.log":             "Transparency log",
		"log.title":           "Transparency log",
		"log.intro":           "Every change in Bela %s — orders, approvals, payments, users and roles — is recorded as an audit event, and every event goes into the transparency log: an append-only Merkle tree, like Certificate Transparency and Go's checksum database. Every few seconds the server signs a checkpoint (the number of events and the tree's root hash) with the instance's key.",
		"log.proves":          "What this log proves",
		"log.proves.altered":  "No event was changed, removed or slipped in quietly: changing a single old event changes the root hash already signed.",
		"log.proves.order":    "The order of events is fixed: two events cannot swap places.",
		"log.proves.fork":     "History cannot be rewritten, not even by the server's operator: every new checkpoint must be consistent with the old ones, and verifiers or witnesses holding an old checkpoint refuse a forked history.",
		"log.proves.private":  "Personal data is not in it: every private field is replaced by a SHA-256 hash with a secret per-event salt. The public can recompute every leaf, an auditor holding the data can prove it matches, and erasing personal data later does not break the tree.",
		"log.limits":          "The log does not prove that what an event says is true in the real world — only that its record was not changed after it was recorded. Events enter the log within seconds.",
		"log.key":             "Verifier key",
		"log.key.help":        "Compare this key with the one the instance announces through another channel, then keep it for later checks.",
		"log.key.none":        "The key is not available yet: the server creates it when it first starts.",
		"log.witnesses":       "Registered witnesses",
		"log.witnesses.help":  "Witnesses (such as the internal auditor, APIP, or journalists) check for themselves that each checkpoint is consistent with those they signed before, then cosign it. The server accepts cosignatures from registered witnesses only.",
		"log.witnesses.none":  "No witness is registered yet.",
		"log.latest":          "Latest checkpoint",
		"log.latest.none":     "No checkpoint yet; the server signs one within seconds.",
		"log.size":            "Number of events",
		"log.root":            "Root hash",
		"log.signed":          "Signed (WIB)",
		"log.cosigs":          "Witness cosignatures",
		"log.cosigs.none":     "No witness has cosigned this checkpoint yet.",
		"log.witness":         "Witness",
		"log.cosigned":        "Cosigned at (WIB)",
		"log.check":           "Check it yourself",
		"log.check.help":      "Anyone can check this log from their own computer with the bela program. The verifier fetches the latest checkpoint and checks its signature, re-hashes every event from the first one, and — with a --state file — makes sure the history is consistent with the previous check. If anything disagrees, the command stops with a message naming the event and the problem.",
		"log.check.witnesses": "To require the witnesses' cosignatures, add:",
		"log.endpoints":       "Public endpoints (no login)",
	},
}

// logPage is the data of the public transparency log page.
type logPage struct {
	Base
	Key        string
	Witnesses  []logWitness
	Checkpoint *logCheckpoint
	VerifyCmd  string
	WitnessArg string
	Endpoints  []string
}

type logWitness struct {
	Name, Key string
}

type logCheckpoint struct {
	Size    int64
	Root    string
	Created time.Time
	Cosigs  []translog.Cosignature
}

// logIndex shows what the transparency log proves, its verifier key, the registered witnesses
// and the latest checkpoint with its cosignatures, and how to verify it. No login.
func (s *Server) logIndex(w http.ResponseWriter, r *http.Request) error {
	d := &logPage{Base: s.newBase(r, "log.title")}
	keys, err := s.store.GetLogKeys(r.Context())
	if err != nil {
		return err
	}
	d.Key = keys.Log
	for _, k := range keys.Witnesses {
		name, _, _ := strings.Cut(k, "+")
		d.Witnesses = append(d.Witnesses, logWitness{Name: name, Key: k})
	}
	latest, err := s.store.Log().Latest(r.Context())
	switch {
	case errors.Is(err, translog.ErrNotFound):
	case err != nil:
		return err
	default:
		d.Checkpoint = &logCheckpoint{
			Size:    latest.Checkpoint.Size,
			Root:    base64.StdEncoding.EncodeToString(latest.Checkpoint.Hash[:]),
			Created: latest.Created,
			Cosigs:  latest.Cosignatures,
		}
	}
	base := strings.TrimSuffix(s.cfg.PublicURL, "/")
	if base == "" {
		base = "http://" + r.Host
	}
	d.VerifyCmd = "bela log verify --url " + base
	if d.Key != "" {
		d.VerifyCmd += " --key " + d.Key
	}
	d.VerifyCmd += " --state bela-log.json"
	for _, wk := range d.Witnesses {
		d.WitnessArg += " --witness " + wk.Key
	}
	d.WitnessArg = strings.TrimSpace(d.WitnessArg)
	d.Endpoints = []string{
		base + "/log/key",
		base + "/log/checkpoint",
		base + "/log/checkpoints?since=0",
		base + "/log/entries?start=0&end=100",
		base + "/log/proof/inclusion?index=0&size=N",
		base + "/log/proof/consistency?from=M&to=N",
	}
	return s.render(w, http.StatusOK, "log", d)
}
