# Helpers of the survey-chart golden cases (sourced from their args).
# Inputs are built from data-samples in the case's temporary folder; files
# are checked with real readers (pdftotext, pdffonts, pdfinfo, xmllint).

# streams: imports the three offices' questionnaires and the register.
streams() {
    survey-import -q -c "$SAMPLES/codebook-6item.csv" --rejects rej.csv \
        -o cuihu.csv "$SAMPLES"/cuihu-2026Q[1-4].csv
    survey-import -q -c "$SAMPLES/codebook-8item.csv" -o tcmy.csv \
        "$SAMPLES"/tianchengmeiya-2026Q[1-4].csv
    survey-import -q -c "$SAMPLES/codebook-wjx.csv" -o jgy.csv \
        "$SAMPLES"/jinguiyuan-wjx-2026Q[1-4].csv
    survey-import -q -c "$SAMPLES/codebook-register.csv" -o reg.csv \
        "$SAMPLES/complaints-2026.csv"
}

# tables: the metric tables the charts read.
tables() {
    streams
    survey-score --by period --freq cuihu.csv > freq.csv
    survey-score --by period --compare cuihu.csv > score.csv
    survey-score --by site,period cuihu.csv tcmy.csv jgy.csv > sites.csv
    survey-nps --by site,period cuihu.csv tcmy.csv jgy.csv > nps.csv
    survey-complaints --by period,category reg.csv > cat.csv
}

# png_check FILE W H: pixel size (2 px per point) and not blank.
png_check() {
    size=$(od -An -tu1 -j16 -N8 "$1" | awk '{print $3*256+$4 "x" $7*256+$8}')
    bytes=$(wc -c < "$1")
    echo "$1: png $size, $( [ "$bytes" -gt 8000 ] && echo drawn || echo BLANK)"
}

# pdf_check FILE WORD...: pages, embedded fonts, and words found as text.
pdf_check() {
    f=$1; shift
    pages=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
    notemb=$(pdffonts "$f" | awk 'NR > 2 && $(NF-4) != "yes"' | wc -l)
    fonts=$(pdffonts "$f" | awk 'NR > 2' | wc -l)
    echo "$f: pdf $pages pages, $fonts fonts, $notemb not embedded"
    pdftotext "$f" "$f.txt"
    for w in "$@"; do
        grep -qF -- "$w" "$f.txt" && echo "  found $w" || echo "  MISSING $w"
    done
}

svg_check() {
    xmllint --noout "$1" && echo "$1: svg parses"
}

# same CMD...: runs CMD twice (output file named by $out) and compares bytes.
same() {
    "$@" && cp "$out" "$out.1" && "$@" && cmp -s "$out" "$out.1" \
        && echo "$out: same bytes twice" || echo "$out: DIFFERENT bytes"
}
