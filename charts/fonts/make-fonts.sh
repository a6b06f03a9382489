#!/bin/sh
# make-fonts.sh OUTDIR: the report's Chinese faces, made from the system's
# Noto Sans CJK SC (Debian's fonts-noto-cjk) with hb-subset --desubroutinize.
#
# Why: cairo 1.16 (Debian 12) subsets a CFF font by parsing each glyph's
# charstring to find the subroutines it calls.  At the first hintmask its
# parser counts every operand pushed since the last hint or moveto operator
# as an implicit vstem, even after path operators, so a glyph such as 如
# (whose first hintmask follows a run of curves) is taken to have ~40 hints
# and a mask of 5-6 bytes instead of 1.  The parser then reads the bytes
# after the mask out of step, marks the wrong local subroutine as used and
# the subset replaces the one the glyph calls with a bare 'return': the
# character is in the PDF text but draws nothing.  Which characters are hit
# depends on which subroutines earlier glyphs of the page already marked.
# A face without subroutines leaves nothing to misread, and the subset
# cairo writes is also ten times smaller.
#
# Writes OUTDIR/survey-cjk-regular.otf, survey-cjk-bold.otf and fonts.conf,
# a fontconfig fragment that rejects the source files, so that every request
# for "Noto Sans CJK SC" gets the desubroutinized faces.
set -eu
out=$1
mkdir -p "$out"
conf="$out/fonts.conf.tmp"
{
    echo '<?xml version="1.0"?>'
    echo '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
    echo '<!-- made by make-fonts.sh: the faces beside this file replace these -->'
    echo '<fontconfig><selectfont><rejectfont>'
} > "$conf"
for weight in regular bold; do
    style=$( [ $weight = bold ] && echo Bold || echo Regular )
    found=$(fc-match -f '%{family[0]}|%{style[0]}|%{index}|%{file}' \
        "Noto Sans CJK SC:style=$style")
    family=${found%%|*}; rest=${found#*|}
    got_style=${rest%%|*}; rest=${rest#*|}
    index=${rest%%|*}; file=${rest#*|}
    if [ "$family" != "Noto Sans CJK SC" ] || [ "$got_style" != "$style" ]; then
        echo "make-fonts.sh: Noto Sans CJK SC $style not found (got '$family $got_style'); install fonts-noto-cjk" >&2
        exit 1
    fi
    hb-subset --font-file="$file" --face-index="$index" --unicodes='*' \
        --layout-features='*' --name-IDs='*' --name-languages='*' \
        --desubroutinize --notdef-outline \
        -o "$out/survey-cjk-$weight.otf.tmp"
    mv "$out/survey-cjk-$weight.otf.tmp" "$out/survey-cjk-$weight.otf"
    printf '  <glob>%s</glob>\n' "$file" >> "$conf"
done
echo '</rejectfont></selectfont></fontconfig>' >> "$conf"
mv "$conf" "$out/fonts.conf"
