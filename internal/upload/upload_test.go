package upload

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"bela/internal/market"
)

func pngOf(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{200, 10, 10, 255})
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func TestCheck(t *testing.T) {
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	for _, tc := range []struct {
		name    string
		data    []byte
		allowed []Kind
		want    Kind
		code    market.Code
	}{
		{"pdf", pdf, []Kind{PDF, JPEG, PNG}, PDF, ""},
		{"png", pngOf(400, 300), []Kind{PNG, JPEG}, PNG, ""},
		{"pdf where images only", pdf, []Kind{PNG, JPEG}, "", market.CodeInvalid},
		{"text named .pdf", []byte("hello, not a pdf"), []Kind{PDF}, "", market.CodeInvalid},
		{"truncated pdf", []byte("%PDF-1.4\n1 0 obj"), []Kind{PDF}, "", market.CodeInvalid},
		{"png header, broken body", append(pngOf(10, 10)[:40], 0, 0, 0), []Kind{PNG}, "", market.CodeInvalid},
		{"empty", nil, []Kind{PDF}, "", market.CodeInvalid},
		{"too large", append(pdf, make([]byte, MaxFileSize)...), []Kind{PDF}, "", market.CodeTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Check("file", tc.data, tc.allowed...)
			if market.ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want code %q", err, tc.code)
			}
			if err == nil && f.Kind != tc.want {
				t.Errorf("kind = %s, want %s", f.Kind, tc.want)
			}
		})
	}
}

func TestDecompressionBombRefusedBeforeDecoding(t *testing.T) {
	// A PNG header claiming 100000 × 100000 pixels: DecodeConfig reads the size, Decode is never tried.
	hdr := pngOf(1, 1)
	bomb := append([]byte{}, hdr...)
	// IHDR width/height live at bytes 16..24.
	copy(bomb[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	binary.BigEndian.PutUint32(bomb[29:33], crc32.ChecksumIEEE(bomb[12:29]))
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(bomb)); err != nil || cfg.Width != 100000 {
		t.Fatalf("test bomb is not a valid header: %v %v", cfg, err)
	}
	_, err := Check("photo", bomb, PNG)
	if market.ErrorCode(err) != market.CodeInvalid || !strings.Contains(err.Error(), "terlalu besar") {
		t.Fatalf("bomb: %v", err)
	}
}

func TestThumbnail(t *testing.T) {
	f, err := Check("photo", pngOf(1200, 600), PNG)
	if err != nil {
		t.Fatal(err)
	}
	th, err := Thumbnail(f)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(th))
	if err != nil || cfg.Width != ThumbnailMax || cfg.Height != 160 {
		t.Errorf("thumbnail %dx%d, %v", cfg.Width, cfg.Height, err)
	}
}

func FuzzCheck(f *testing.F) {
	f.Add(pngOf(5, 5))
	f.Add([]byte("%PDF-1.4\n%%EOF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Check("f", data, PDF, JPEG, PNG)
		if err == nil && len(file.Data) == 0 {
			t.Fatal("accepted file with no data")
		}
	})
}
