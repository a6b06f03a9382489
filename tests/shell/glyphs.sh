#!/bin/sh
# Every glyph drawn (issue 15): every hanzi of GB 2312 level 1 (3,755,
# rows 16-55 of the code table, made here with iconv), printable ASCII and
# the punctuation the report uses, drawn in regular and bold through the
# charts text path into PDFs; mutool's structured text gives each
# character's box, pdftoppm the pixels, and every box must hold ink.
# (Before the desubroutinized faces of charts/fonts/, cairo 1.16 drew
# 如 and others as nothing in regular weight.)
# Environment: SV_BUILD (build folder with tests/render-text, tests/ink-check).
set -u
top=${SV_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${SV_BUILD:-$top/build}
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv-glyphs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
bad() { echo "FAIL glyphs: $*"; fail=1; }

# GB 2312 rows 16-55 (lead bytes 0xB0-0xD7); row 55 ends at 0xF9
fmt=$(awk 'BEGIN { for (h = 176; h <= 215; h++) for (l = 161; l <= 254; l++) {
    if (h == 215 && l > 249) break; printf "\\%03o\\%03o", h, l } }')
# shellcheck disable=SC2059
printf "$fmt" | iconv -f GB2312 -t UTF-8 > "$tmp/text" || bad "iconv GB2312"
hanzi=$(LC_ALL=C.UTF-8 wc -m < "$tmp/text")
[ "$hanzi" -eq 3755 ] || bad "$hanzi hanzi made, expected 3755"
awk 'BEGIN { for (c = 33; c < 127; c++) printf "%c", c }' >> "$tmp/text"
printf '%s' '，。、；：？！（）【】《》“”‘’—–…·×²％～χ' >> "$tmp/text"
total=$(LC_ALL=C.UTF-8 wc -m < "$tmp/text")

# 32 characters to a document: cairo subsets per document, and in a large
# subset another glyph may mark the subroutine a broken one needs
mkdir "$tmp/doc"
"$build/tests/render-text" "$tmp/doc/d" 32 < "$tmp/text" || bad "render-text failed"
mutool merge -o "$tmp/t.pdf" "$tmp"/doc/d-*.pdf || bad "mutool merge failed"
rm -rf "$tmp/doc"
mutool draw -q -F stext -o "$tmp/t.xml" "$tmp/t.pdf" 2> /dev/null ||
    bad "mutool draw -F stext failed"
pdftoppm -gray -r 100 "$tmp/t.pdf" "$tmp/pg" || bad "pdftoppm failed"
"$build/tests/ink-check" "$tmp/t.xml" 100 "$tmp"/pg-*.pgm > "$tmp/out" ||
    { bad "characters without ink:"; head -40 "$tmp/out"; }
for w in Regular Bold; do
    n=$(sed -n "s/^NotoSansCJKsc-$w: \([0-9]*\) characters.*/\1/p" "$tmp/out")
    [ "${n:-0}" -eq "$total" ] ||
        bad "NotoSansCJKsc-$w: ${n:-0} characters checked, expected $total"
done
[ $fail = 0 ] && echo "ok glyphs: $total characters have ink in regular and bold"
exit $fail
