#!/usr/bin/env bash
# Proves that real spreadsheet software reads the workbooks `parindex form` writes, and that
# what it saves back is still read by `parindex import`:
#   1. a blank self-assessment form is converted by LibreOffice to CSV and to PDF, and both
#      are checked for the header, the criteria rows and the rules in Vietnamese words;
#   2. a form filled with a fixture unit's self-assessment, and its appraisal stage 1 form
#      filled with the council's changes, are opened and saved again as .xlsx by LibreOffice;
#      `parindex import` must read each saved copy into exactly the document it reads from
#      the original.
# With --picture it also renders the filled form's first page into docs/img/form-tu-danh-gia.png.
#
# Needs LibreOffice (`soffice`; Debian: apt-get install libreoffice-calc-nogui) and, for the
# PDF text check and --picture, poppler-utils. It takes a minute or two, so CI does not run it.
set -euo pipefail
cd "$(dirname "$0")/.."

picture=false
[ "${1:-}" = "--picture" ] && picture=true
round=fixtures/dong-thap-2023
unit=${UNIT:-so-noi-vu}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in soffice pdftotext; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install libreoffice-calc-nogui poppler-utils" >&2; exit 2; }
done

cargo build -q -p parindex --bin parindex
cargo build -q -p parindex-forms --example fill_form
parindex=target/debug/parindex
fill=target/debug/examples/fill_form

# LibreOffice keeps its profile in the work folder, so the script leaves nothing behind.
office() { soffice "-env:UserInstallation=file://$work/profile" --headless "$@" >"$work/soffice.log" 2>&1; }
fail() { echo "FAILED: $*" >&2; exit 1; }

echo "== blank form → CSV and PDF"
$parindex form "$round" --unit "$unit" --out "$work/blank.xlsx"
office --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir "$work/csv" "$work/blank.xlsx"
csv="$work/csv/blank.csv"
[ -s "$csv" ] || fail "LibreOffice wrote no CSV"
grep -q '"Đơn vị","Sở Nội vụ","Mã:","so-noi-vu"' "$csv" || fail "the header block is not in the CSV"
grep -q '^"1.1.2 \[tử số\]","Tử số: số đạt được"' "$csv" || fail "the ratio's numerator row is not in the CSV"
grep -q 'từ 80% đến dưới 100%: 1 điểm' "$csv" || fail "the rule words are not in the CSV"
rows=$(grep -c '^"[0-9]' "$csv")
[ "$rows" -ge 40 ] || fail "only $rows criteria rows in the CSV"
echo "   CSV: $rows criteria rows, header and rule words present"
office --convert-to pdf --outdir "$work/pdf" "$work/blank.xlsx"
pdftotext "$work/pdf/blank.pdf" "$work/blank.txt"
grep -q 'PHIẾU TỰ ĐÁNH GIÁ' "$work/blank.txt" || fail "the PDF does not show the title"
grep -q 'Sở Nội vụ' "$work/blank.txt" || fail "the PDF does not show the unit"
echo "   PDF: $(pdfinfo "$work/pdf/blank.pdf" 2>/dev/null | grep -E '^Pages' | tr -s ' ') , title and unit present"

check_resave() { # name, fill arguments...
  local name=$1; shift
  $fill "$round" "$unit" "$work/$name.xlsx" "$@"
  office --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$work/saved" "$work/$name.xlsx"
  $parindex import "$work/$name.xlsx" --round "$round" >"$work/$name.original.json" 2>/dev/null \
    || fail "parindex import rejected the original $name form"
  $parindex import "$work/saved/$name.xlsx" --round "$round" >"$work/$name.saved.json" 2>"$work/$name.err" \
    || { cat "$work/$name.err" >&2; fail "parindex import rejected the $name form saved by LibreOffice"; }
  cmp -s "$work/$name.original.json" "$work/$name.saved.json" \
    || { diff "$work/$name.original.json" "$work/$name.saved.json" | head -20 >&2; fail "the saved $name form imports differently"; }
  echo "   $name: LibreOffice's copy imports to the same document"
}
echo "== filled forms saved again by LibreOffice → parindex import"
check_resave self 0
check_resave appraisal-1 1

if $picture; then
  command -v pdftoppm >/dev/null || fail "missing pdftoppm (poppler-utils)"
  office --convert-to pdf --outdir "$work/pdf" "$work/self.xlsx"
  # The top of the first page: the header block and the first criteria, readable.
  pdftoppm -png -r 150 -f 1 -l 1 -x 95 -y 100 -W 1545 -H 640 "$work/pdf/self.pdf" "$work/page"
  mkdir -p docs/img
  cp "$work"/page*.png docs/img/form-tu-danh-gia.png
  echo "== picture: docs/img/form-tu-danh-gia.png ($(wc -c <docs/img/form-tu-danh-gia.png) bytes)"
fi
echo "OK: LibreOffice reads the forms, and parindex reads what LibreOffice saves"
