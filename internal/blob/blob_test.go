package blob

import (
	"bytes"
	"errors"
	"testing"
)

func TestPutGet(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.Put([]byte("Surat Pesanan"))
	if err != nil {
		t.Fatal(err)
	}
	id2, err := s.Put([]byte("Surat Pesanan"))
	if err != nil || id2 != id {
		t.Fatalf("same content, different id: %s %s %v", id, id2, err)
	}
	b, err := s.Get(id)
	if err != nil || !bytes.Equal(b, []byte("Surat Pesanan")) {
		t.Fatalf("Get = %q, %v", b, err)
	}
	for _, bad := range []string{"../../etc/passwd", "", id[:10], id + "0"} {
		if _, err := s.Get(bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%q) = %v", bad, err)
		}
	}
}
