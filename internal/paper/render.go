package paper

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// Page geometry in millimetres (A4 portrait).
const (
	pageW    = 210.0
	pageH    = 297.0
	marginL  = 18.0
	marginR  = 18.0
	marginT  = 14.0
	marginB  = 22.0 // room for the footer
	contentW = pageW - marginL - marginR
	pad      = 1.3 // inner padding of table cells
)

// rgb is a colour of the palette.
type rgb struct{ r, g, b int }

var (
	colText   = rgb{33, 37, 41}
	colMuted  = rgb{95, 104, 115}
	colAccent = rgb{20, 55, 100}
	colRule   = rgb{130, 140, 152}
	colHead   = rgb{223, 230, 240}
	colZebra  = rgb{246, 248, 251}
	colBox    = rgb{250, 251, 253}
	colLink   = rgb{20, 70, 160}
)

// page is one document being drawn: the fpdf document plus what the header and footer repeat.
type page struct {
	pdf    *fpdf.Fpdf
	kind   Kind
	h      Header
	curRow func() // redraws a table's header after a page break inside the table
}

// newPage starts a document: metadata fixed from the input (no clock, no random ids), the
// letterhead on page 1, a running header on later pages and a footer on every page.
func newPage(kind Kind, h Header) *page {
	pdf := fpdf.New("P", "mm", "A4", "")
	p := &page{pdf: pdf, kind: kind, h: h}
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(h.Date.UTC())
	pdf.SetModificationDate(h.Date.UTC())
	pdf.SetTitle(kind.Label()+" "+h.Number, true)
	pdf.SetSubject(kind.Label()+" – "+h.Unit.Name, true)
	pdf.SetAuthor(h.Instance.Name, true)
	pdf.SetCreator("Bela", true)
	pdf.SetProducer("Bela (go-pdf/fpdf)", true)
	pdf.SetLang("id-ID")
	pdf.SetMargins(marginL, marginT, marginR)
	pdf.SetAutoPageBreak(true, marginB)
	pdf.SetCellMargin(0)
	pdf.AliasNbPages("{nb}")
	pdf.SetHeaderFunc(p.header)
	pdf.SetFooterFunc(p.footer)
	pdf.AddPage()
	return p
}

// bytes finishes the document.
func (p *page) bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := p.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("paper: render %s: %w", p.kind, err)
	}
	return buf.Bytes(), nil
}

func (p *page) font(style string, size float64) { p.pdf.SetFont("Helvetica", style, size) }
func (p *page) color(c rgb)                     { p.pdf.SetTextColor(c.r, c.g, c.b) }
func (p *page) draw(c rgb)                      { p.pdf.SetDrawColor(c.r, c.g, c.b) }
func (p *page) fill(c rgb)                      { p.pdf.SetFillColor(c.r, c.g, c.b) }

// lineH is the line height for the current font size.
func (p *page) lineH() float64 {
	_, mm := p.pdf.GetFontSize()
	return mm * 1.3
}

// bottom is the lowest y that content may reach.
func (p *page) bottom() float64 { return pageH - marginB }

// ensure starts a new page unless h millimetres fit below the current position.
func (p *page) ensure(h float64) {
	if p.pdf.GetY()+h > p.bottom() {
		p.pdf.AddPage()
		if p.curRow != nil {
			p.curRow()
		}
	}
}

// wrap splits text (not yet encoded) into encoded lines no wider than w in the current font,
// breaking at spaces and, for a word wider than a line, inside the word.
func (p *page) wrap(text string, w float64) []string {
	var out []string
	for _, para := range strings.Split(encode(text), "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			out = append(out, "")
			continue
		}
		line := ""
		for _, word := range words {
			cand := word
			if line != "" {
				cand = line + " " + word
			}
			if p.pdf.GetStringWidth(cand) <= w {
				line = cand
				continue
			}
			if line != "" {
				out = append(out, line)
				line = ""
			}
			for p.pdf.GetStringWidth(word) > w {
				n := 1
				for n < len(word) && p.pdf.GetStringWidth(word[:n+1]) <= w {
					n++
				}
				out = append(out, word[:n])
				word = word[n:]
			}
			line = word
		}
		out = append(out, line)
	}
	return out
}

// lines draws encoded lines at (x, y) in a column of width w with align "L", "C" or "R", and
// returns the y below them.
func (p *page) lines(x, y, w float64, ls []string, align string) float64 {
	lh := p.lineH()
	for _, l := range ls {
		p.pdf.SetXY(x, y)
		p.pdf.CellFormat(w, lh, l, "", 0, align, false, 0, "")
		y += lh
	}
	return y
}

// para draws a wrapped paragraph across the content width and moves below it.
func (p *page) para(text, style string, size float64, align string, c rgb) {
	p.font(style, size)
	p.color(c)
	ls := p.wrap(text, contentW)
	p.ensure(float64(len(ls)) * p.lineH())
	y := p.lines(marginL, p.pdf.GetY(), contentW, ls, align)
	p.pdf.SetXY(marginL, y)
	p.color(colText)
}

// gap moves down by h millimetres.
func (p *page) gap(h float64) { p.pdf.SetXY(marginL, p.pdf.GetY()+h) }

// header draws the letterhead on the first page and a slim running header on the others.
func (p *page) header() {
	if p.pdf.PageNo() > 1 {
		p.font("", 7.5)
		p.color(colMuted)
		left := p.h.Instance.Name + " – " + p.h.Unit.Name
		p.pdf.SetXY(marginL, 8)
		p.pdf.CellFormat(contentW/2, 4, encode(left), "", 0, "L", false, 0, "")
		p.pdf.SetXY(marginL+contentW/2, 8)
		p.pdf.CellFormat(contentW/2, 4, encode(p.kind.Label()+" Nomor "+p.h.Number), "", 0, "R", false, 0, "")
		p.draw(colRule)
		p.pdf.SetLineWidth(0.2)
		p.pdf.Line(marginL, 12.5, pageW-marginR, 12.5)
		p.pdf.SetXY(marginL, 16)
		p.color(colText)
		return
	}
	y := marginT - 2
	p.color(colAccent)
	p.font("B", 12.5)
	y = p.lines(marginL, y, contentW, p.wrap(strings.ToUpper(p.h.Instance.Name), contentW), "C")
	if p.h.Instance.Region != "" {
		p.font("", 9.5)
		y = p.lines(marginL, y, contentW, p.wrap(p.h.Instance.Region, contentW), "C")
	}
	p.font("B", 14.5)
	y = p.lines(marginL, y+0.5, contentW, p.wrap(strings.ToUpper(p.h.Unit.Name), contentW), "C")
	p.color(colMuted)
	p.font("", 8.5)
	for _, s := range []string{p.h.Unit.Address, p.h.Unit.Contact} {
		if s != "" {
			y = p.lines(marginL, y, contentW, p.wrap(s, contentW), "C")
		}
	}
	y += 1.5
	p.draw(colAccent)
	p.pdf.SetLineWidth(0.9)
	p.pdf.Line(marginL, y, pageW-marginR, y)
	p.pdf.SetLineWidth(0.25)
	p.pdf.Line(marginL, y+1.3, pageW-marginR, y+1.3)
	p.color(colText)
	p.pdf.SetXY(marginL, y+5)
}

// footer draws the document's identity and the page count on every page.
func (p *page) footer() {
	y := pageH - 15
	p.draw(colRule)
	p.pdf.SetLineWidth(0.2)
	p.pdf.Line(marginL, y, pageW-marginR, y)
	p.font("", 7.5)
	p.color(colMuted)
	p.pdf.SetXY(marginL, y+1.2)
	p.pdf.CellFormat(contentW*0.75, 3.6, encode(p.kind.Label()+" Nomor "+p.h.Number+" – dibuat oleh Bela dari data yang tercatat"), "", 0, "L", false, 0, "")
	p.pdf.SetXY(marginL+contentW*0.75, y+1.2)
	p.pdf.CellFormat(contentW*0.25, 3.6, fmt.Sprintf("Halaman %d dari {nb}", p.pdf.PageNo()), "", 0, "R", false, 0, "")
	p.pdf.SetXY(marginL, y+4.8)
	p.pdf.CellFormat(contentW, 3.6, encode("Keaslian dokumen dapat diperiksa melalui kode QR atau alamat verifikasi yang tercantum."), "", 0, "L", false, 0, "")
	p.color(colText)
}

// title draws the document title and its number, centred.
func (p *page) title(sub string) {
	p.color(colAccent)
	p.font("B", 13)
	p.ensure(16)
	y := p.pdf.GetY()
	t := encode(p.kind.Title())
	w := p.pdf.GetStringWidth(t)
	p.pdf.SetXY(marginL, y)
	p.pdf.CellFormat(contentW, 6, t, "", 0, "C", false, 0, "")
	p.draw(colAccent)
	p.pdf.SetLineWidth(0.35)
	p.pdf.Line(pageW/2-w/2, y+6, pageW/2+w/2, y+6)
	p.color(colText)
	p.font("", 10)
	p.pdf.SetXY(marginL, y+7)
	p.pdf.CellFormat(contentW, 5, encode("Nomor: "+p.h.Number), "", 0, "C", false, 0, "")
	y += 12
	if sub != "" {
		p.font("I", 9)
		p.color(colMuted)
		y = p.lines(marginL, y, contentW, p.wrap(sub, contentW), "C")
		p.color(colText)
	}
	p.pdf.SetXY(marginL, y+3)
}

// field is one "label : value" row.
type field struct{ label, value string }

// fields draws label–value rows across the content width with the labels in a column of width lw.
func (p *page) fields(lw float64, fs []field) {
	p.font("", 9.5)
	lh := p.lineH()
	for _, f := range fs {
		p.font("", 9.5)
		vs := p.wrap(f.value, contentW-lw-4)
		p.ensure(float64(len(vs)) * lh)
		y := p.pdf.GetY()
		p.color(colMuted)
		p.lines(marginL, y, lw, p.wrap(f.label, lw), "L")
		p.pdf.SetXY(marginL+lw, y)
		p.pdf.CellFormat(4, lh, ":", "", 0, "L", false, 0, "")
		p.color(colText)
		y = p.lines(marginL+lw+4, y, contentW-lw-4, vs, "L")
		p.pdf.SetXY(marginL, y+0.6)
	}
}

// box is a titled group of fields, drawn side by side with others by boxes.
type box struct {
	title  string
	fields []field
}

// boxes draws up to three titled boxes side by side with equal heights.
func (p *page) boxes(bs ...box) {
	gapW := 4.0
	w := (contentW - gapW*float64(len(bs)-1)) / float64(len(bs))
	lw := 24.0
	type laid struct {
		rows [][2][]string
		h    float64
	}
	p.font("", 8.5)
	lh := p.lineH()
	ls := make([]laid, len(bs))
	maxH := 0.0
	for i, b := range bs {
		h := 7.0 + pad
		for _, f := range b.fields {
			p.font("", 8.5)
			l := p.wrap(f.label, lw-1)
			p.font("", 8.5)
			v := p.wrap(f.value, w-lw-2*pad)
			n := max(len(l), len(v))
			ls[i].rows = append(ls[i].rows, [2][]string{l, v})
			h += float64(n)*lh + 0.8
		}
		h += pad
		ls[i].h = h
		maxH = max(maxH, h)
	}
	p.ensure(maxH + 2)
	y0 := p.pdf.GetY()
	for i, b := range bs {
		x := marginL + float64(i)*(w+gapW)
		p.draw(colRule)
		p.pdf.SetLineWidth(0.2)
		p.fill(colHead)
		p.pdf.Rect(x, y0, w, 6, "FD")
		p.fill(colBox)
		p.pdf.Rect(x, y0+6, w, maxH-6, "FD")
		p.font("B", 9)
		p.color(colAccent)
		p.pdf.SetXY(x+pad, y0+0.8)
		p.pdf.CellFormat(w-2*pad, 4.4, encode(b.title), "", 0, "L", false, 0, "")
		y := y0 + 7 + pad
		for _, r := range ls[i].rows {
			p.font("", 8.5)
			p.color(colMuted)
			yl := p.lines(x+pad, y, lw-1, r[0], "L")
			p.color(colText)
			yv := p.lines(x+lw+pad, y, w-lw-2*pad, r[1], "L")
			y = max(yl, yv) + 0.8
		}
	}
	p.color(colText)
	p.pdf.SetXY(marginL, y0+maxH+4)
}

// column is one column of a table.
type column struct {
	title string
	w     float64 // share of the content width, in millimetres; the widths add up to contentW
	align string
}

// cell is one cell of a table row: its text and, optionally, a second smaller muted line.
type cell struct {
	text string
	sub  string
}

// table draws a bordered table with a shaded header that repeats after a page break; rows are
// never split across pages, and the last row starts a new page unless tail millimetres (the
// totals under the table) fit below it.
func (p *page) table(cols []column, rows [][]cell, tail float64) {
	drawHead := func() {
		p.font("B", 8.5)
		lh := p.lineH()
		h := 0.0
		heads := make([][]string, len(cols))
		for i, c := range cols {
			heads[i] = p.wrap(c.title, c.w-2*pad)
			h = max(h, float64(len(heads[i]))*lh+2*pad)
		}
		y := p.pdf.GetY()
		x := marginL
		p.draw(colRule)
		p.pdf.SetLineWidth(0.2)
		p.fill(colHead)
		p.color(colAccent)
		for i, c := range cols {
			p.pdf.Rect(x, y, c.w, h, "FD")
			align := c.align
			if align == "R" || align == "C" {
				align = "C"
			}
			p.lines(x+pad, y+(h-float64(len(heads[i]))*lh)/2, c.w-2*pad, heads[i], align)
			x += c.w
		}
		p.color(colText)
		p.pdf.SetXY(marginL, y+h)
	}
	p.ensure(16)
	drawHead()
	p.curRow = drawHead
	defer func() { p.curRow = nil }()
	for n, row := range rows {
		p.font("", 8.5)
		lh := p.lineH()
		texts := make([][]string, len(cols))
		subs := make([][]string, len(cols))
		h := 0.0
		for i, c := range cols {
			var cl cell
			if i < len(row) {
				cl = row[i]
			}
			p.font("", 8.5)
			texts[i] = p.wrap(cl.text, c.w-2*pad)
			hh := float64(len(texts[i])) * lh
			if cl.sub != "" {
				p.font("I", 7.5)
				subs[i] = p.wrap(cl.sub, c.w-2*pad)
				hh += float64(len(subs[i])) * p.lineH()
			}
			h = max(h, hh+2*pad)
		}
		if n == len(rows)-1 {
			p.ensure(h + tail)
		} else {
			p.ensure(h)
		}
		y := p.pdf.GetY()
		x := marginL
		p.draw(colRule)
		p.pdf.SetLineWidth(0.2)
		style := "D"
		if n%2 == 1 {
			p.fill(colZebra)
			style = "FD"
		}
		for i, c := range cols {
			p.pdf.Rect(x, y, c.w, h, style)
			p.font("", 8.5)
			p.color(colText)
			yy := p.lines(x+pad, y+pad, c.w-2*pad, texts[i], c.align)
			if len(subs[i]) > 0 {
				p.font("I", 7.5)
				p.color(colMuted)
				p.lines(x+pad, yy, c.w-2*pad, subs[i], c.align)
			}
			x += c.w
		}
		p.color(colText)
		p.pdf.SetXY(marginL, y+h)
	}
}

// sumRow is one row under a table: a label spanning all columns but the last, and an amount in
// the last one.
type sumRow struct {
	label  string
	amount string
	bold   bool
	shade  bool
}

// sums draws rows that continue a table whose last column is lastW wide, kept together on one
// page.
func (p *page) sums(lastW float64, rows []sumRow) {
	lw := contentW - lastW
	labels, heights, total := p.layoutSums(lastW, rows)
	p.ensure(total)
	for i, r := range rows {
		p.font(sumStyle(r), 8.5)
		y, h := p.pdf.GetY(), heights[i]
		p.draw(colRule)
		p.pdf.SetLineWidth(0.2)
		mode := "D"
		if r.shade {
			p.fill(colHead)
			mode = "FD"
		}
		p.pdf.Rect(marginL, y, lw, h, mode)
		p.pdf.Rect(marginL+lw, y, lastW, h, mode)
		p.color(colText)
		p.lines(marginL+pad, y+pad, lw-2*pad, labels[i], "R")
		p.lines(marginL+lw+pad, y+pad, lastW-2*pad, []string{encode(r.amount)}, "R")
		p.pdf.SetXY(marginL, y+h)
	}
}

// layoutSums wraps the labels of sum rows and returns them with each row's height and the total.
func (p *page) layoutSums(lastW float64, rows []sumRow) (labels [][]string, heights []float64, total float64) {
	lw := contentW - lastW
	labels = make([][]string, len(rows))
	heights = make([]float64, len(rows))
	for i, r := range rows {
		p.font(sumStyle(r), 8.5)
		labels[i] = p.wrap(r.label, lw-2*pad)
		heights[i] = float64(len(labels[i]))*p.lineH() + 2*pad
		total += heights[i]
	}
	return labels, heights, total
}

// tableWithSums draws a table and the sum rows under it, keeping its last row with them.
func (p *page) tableWithSums(cols []column, rows [][]cell, sums []sumRow) {
	lastW := cols[len(cols)-1].w
	_, _, tail := p.layoutSums(lastW, sums)
	p.table(cols, rows, tail)
	p.sums(lastW, sums)
}

func sumStyle(r sumRow) string {
	if r.bold {
		return "B"
	}
	return ""
}

// heading draws a section heading.
func (p *page) heading(text string) {
	p.ensure(14)
	p.gap(1)
	p.font("B", 10)
	p.color(colAccent)
	p.pdf.SetX(marginL)
	p.pdf.CellFormat(contentW, 5.5, encode(text), "", 1, "L", false, 0, "")
	p.color(colText)
	p.gap(0.8)
}

// sigNote is printed under every signatures block.
const sigNote = "Penandatanganan pada dokumen ini adalah tindakan yang diautentikasi dan tercatat dalam " +
	"log audit Bela pada waktu yang tertera, bukan tanda tangan elektronik tersertifikasi (TTE)."

// signatures draws the place and date line, then the signatures in rows of up to three, each
// with the logged action and its time; meterai, when not empty, is the text of an e-meterai box
// drawn in the signing area of the last signature.
func (p *page) signatures(sigs []Signature, meterai string) {
	if len(sigs) == 0 {
		return
	}
	loc := p.h.Instance.Location
	place := Date(p.h.Date, loc)
	if p.h.Instance.City != "" {
		place = p.h.Instance.City + ", " + place
	}
	const cellH = 45.0
	perRow := min(len(sigs), 3)
	w := contentW / float64(perRow)
	p.ensure(cellH + 8)
	p.font("", 9.5)
	p.pdf.SetX(marginL)
	p.pdf.CellFormat(contentW, 5, encode(place), "", 1, "R", false, 0, "")
	p.gap(1.5)
	for i := 0; i < len(sigs); i += perRow {
		row := sigs[i:min(i+perRow, len(sigs))]
		p.ensure(cellH)
		y0 := p.pdf.GetY()
		// Centre a short last row.
		x0 := marginL + (contentW-w*float64(len(row)))/2
		for j, s := range row {
			stamp := ""
			if meterai != "" && i+j == len(sigs)-1 {
				stamp = meterai
			}
			p.signature(x0+float64(j)*w, y0, w, s, stamp)
		}
		p.pdf.SetXY(marginL, y0+cellH)
	}
	p.para(sigNote, "I", 7.5, "L", colMuted)
	p.gap(2)
}

// signature draws one signature cell at (x, y), w wide.
func (p *page) signature(x, y, w float64, s Signature, stamp string) {
	loc := p.h.Instance.Location
	inner := min(w-6, 64)
	cx := x + (w-inner)/2
	heading := s.Heading
	if heading == "" {
		heading = s.Role + ","
	}
	p.font("B", 9)
	p.color(colText)
	yy := p.lines(cx, y, inner, p.wrap(heading, inner), "C")
	// The signing area: the logged action, or a note that it has not happened yet.
	boxY, boxH := max(yy+1, y+9), 19.0
	p.draw(colRule)
	p.pdf.SetLineWidth(0.2)
	p.fill(colBox)
	p.pdf.Rect(cx, boxY, inner, boxH, "FD")
	textX, textW := cx+pad, inner-2*pad
	if stamp != "" {
		// The e-meterai box sits at the left of the signing area.
		sw := 19.0
		p.draw(colMuted)
		p.pdf.SetDashPattern([]float64{1, 0.8}, 0)
		p.pdf.Rect(cx+1.5, boxY+1.5, sw, boxH-3, "D")
		p.pdf.SetDashPattern([]float64{}, 0)
		p.font("B", 6.5)
		p.color(colMuted)
		sl := p.wrap(stamp, sw-1.5)
		p.lines(cx+2.25, boxY+boxH/2-float64(len(sl))*p.lineH()/2, sw-1.5, sl, "C")
		textX, textW = cx+sw+3, inner-sw-3-pad
	}
	var msg []string
	if s.At.IsZero() {
		msg = []string{"Belum ditandatangani"}
	} else {
		msg = []string{"Ditandatangani melalui Bela"}
		if s.Action != "" {
			msg = append(msg, s.Action)
		}
		msg = append(msg, DateTime(s.At, loc))
	}
	p.font("", 7.5)
	if stamp != "" {
		p.font("", 6.5)
	}
	var ls []string
	for _, m := range msg {
		ls = append(ls, p.wrap(m, textW)...)
	}
	p.color(colAccent)
	if s.At.IsZero() {
		p.color(colMuted)
	}
	p.lines(textX, boxY+boxH/2-float64(len(ls))*p.lineH()/2, textW, ls, "C")
	// Name, NIP and, under a custom heading, the role.
	p.color(colText)
	p.font("BU", 9.5)
	yy = p.lines(cx, boxY+boxH+1.5, inner, p.wrap(s.Name, inner), "C")
	p.font("", 8.5)
	if s.Heading != "" && s.Role != "" {
		yy = p.lines(cx, yy, inner, p.wrap(s.Role, inner), "C")
	}
	if s.NIP != "" {
		p.lines(cx, yy, inner, p.wrap("NIP "+s.NIP, inner), "C")
	}
}

// qrModulePixels is the size of one QR module in the embedded image, large enough that viewers
// which smooth scaled images still show sharp modules.
const qrModulePixels = 8

// qrPNG encodes url as a QR code (error correction M, with the quiet zone) in a grey PNG.
func qrPNG(url string) ([]byte, error) {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("paper: qr code: %w", err)
	}
	bm := q.Bitmap()
	n := len(bm)
	img := image.NewGray(image.Rect(0, 0, n*qrModulePixels, n*qrModulePixels))
	for y := range n {
		for x := range n {
			c := color.Gray{Y: 255}
			if bm[y][x] {
				c = color.Gray{Y: 0}
			}
			for dy := range qrModulePixels {
				for dx := range qrModulePixels {
					img.SetGray(x*qrModulePixels+dx, y*qrModulePixels+dy, c)
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("paper: qr code: %w", err)
	}
	return buf.Bytes(), nil
}

// verification draws the box with the QR code, what it is for, and the URL as text under the
// code (so it can be typed when the code cannot be scanned).
func (p *page) verification() error {
	png, err := qrPNG(p.h.VerifyURL)
	if err != nil {
		return err
	}
	const qrSize = 27.0
	p.font("", 7.5)
	urlLines := p.wrap(p.h.VerifyURL, contentW-2*pad)
	h := qrSize + 3 + float64(len(urlLines))*p.lineH() + 2
	p.ensure(h + 4)
	p.gap(2)
	y := p.pdf.GetY()
	p.draw(colRule)
	p.pdf.SetLineWidth(0.2)
	p.pdf.Rect(marginL, y, contentW, h, "D")
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	p.pdf.RegisterImageOptionsReader("qr", opt, bytes.NewReader(png))
	p.pdf.ImageOptions("qr", marginL+1, y+1, qrSize, qrSize, false, opt, 0, "")
	p.pdf.LinkString(marginL+1, y+1, qrSize, qrSize, p.h.VerifyURL)
	tx, tw := marginL+qrSize+5, contentW-qrSize-8
	p.font("B", 9.5)
	p.color(colAccent)
	ty := p.lines(tx, y+3, tw, p.wrap("Verifikasi keaslian dokumen", tw), "L")
	p.font("", 8.5)
	p.color(colText)
	ty = p.lines(tx, ty+1, tw, p.wrap("Pindai kode QR atau buka alamat di bawahnya untuk melihat di halaman "+
		"verifikasi publik Bela jenis, nomor, tanggal, unit kerja, penyedia, nilai, status dan sidik SHA-256 "+
		"dokumen ini. Berkas yang asli menghasilkan sidik SHA-256 yang sama persis.", tw), "L")
	p.font("", 8)
	p.color(colMuted)
	p.lines(tx, ty+1, tw, p.wrap(p.kind.Label()+" Nomor "+p.h.Number+" tanggal "+Date(p.h.Date, p.h.Instance.Location), tw), "L")
	p.font("", 7.5)
	p.color(colLink)
	uy := y + 1 + qrSize + 1
	p.lines(marginL+pad, uy, contentW-2*pad, urlLines, "L")
	p.pdf.LinkString(marginL+pad, uy, contentW-2*pad, float64(len(urlLines))*p.lineH(), p.h.VerifyURL)
	p.color(colText)
	p.pdf.SetXY(marginL, y+h+3)
	return p.pdf.Error()
}
