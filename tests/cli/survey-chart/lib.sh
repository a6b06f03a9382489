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

# same CMD...: runs CMD twice (output file named by $out) and compares
# bytes; a run that fails is reported as such, not as a difference.
same() {
    "$@" || { echo "$out: first run failed ($?)"; return; }
    cp "$out" "$out.1"
    "$@" || { echo "$out: second run failed ($?)"; return; }
    cmp -s "$out" "$out.1" && echo "$out: same bytes twice" \
        || echo "$out: DIFFERENT bytes"
}

# big_company OFFICES ITEMS: a generated company (issue 15): OFFICES offices
# (every fifth with a long name), ITEMS abc3 items, 24 questionnaires per
# office in each of 2026Q3 and 2026Q4 with comments; imported into big.csv.
# Deterministic (Park-Miller generator in awk, no data file).
big_company() {
    awk -v o="$1" -v k="$2" 'BEGIN {
        x = 20260901; OFS = ","
        print "column,role,scale,label" > "big-codebook.csv"
        print "日期,date,," > "big-codebook.csv"
        print "管理处,site,," > "big-codebook.csv"
        print "编号,id,," > "big-codebook.csv"
        for (j = 1; j <= k; j++)
            printf "项目%02d,dimension,abc3,第%02d项服务\n", j, j > "big-codebook.csv"
        print "意见,comment,," > "big-codebook.csv"
        printf "日期,管理处,编号"
        for (j = 1; j <= k; j++) printf ",项目%02d", j
        print ",意见"
        split("满意 较满意 不满意", lv, " ")
        split("小区停车位太少|电梯经常坏|绿化带杂草多|楼道保洁不及时|维修服务响应慢", cm, "|")
        for (s = 1; s <= o; s++) {
            name = sprintf("第%02d号%s管理处", s, s % 5 == 0 ? "锦绣华庭滨江国际花园二期东区商业配套" : "")
            for (q = 0; q < 2; q++) for (r = 1; r <= 24; r++) {
                printf "2026-%02d-%02d,%s,%d-%d", q ? 11 : 8, r, name, s, q * 100 + r
                for (j = 1; j <= k; j++) {
                    x = (x * 16807) % 2147483647
                    v = x % 100 < 70 + (s % 7) ? 1 : x % 100 < 92 ? 2 : 3
                    printf ",%s", lv[v]
                }
                x = (x * 16807) % 2147483647
                printf ",%s\n", x % 3 ? "" : cm[1 + x % 5]
            }
        }
    }' > big-raw.csv
    survey-import -q -c big-codebook.csv -o big.csv big-raw.csv
}

# all_found TEXTFILE WORD...: how many of the words the text holds.
all_found() {
    f=$1; shift
    n=0; missing=
    for w in "$@"; do
        grep -qF -- "$w" "$f" && n=$((n + 1)) || missing="$missing $w"
    done
    echo "$n of $# found${missing:+; missing:$missing}"
}

# no_orphan_headings FILE.pdf: names every page whose last line above the
# footer is a section heading (一、 … 十、); prints "no orphan headings".
no_orphan_headings() {
    n=$(pdfinfo "$1" | awk '/^Pages:/ {print $2}')
    bad=
    for p in $(seq 1 "$n"); do
        last=$(pdftotext -f "$p" -l "$p" "$1" - | grep -v '^[[:space:]]*$' |
            grep -v '^第 [0-9]* 页 / 共' | grep -v '^Page [0-9]* of' | tail -1)
        case $last in
        [一二三四五六七八九十]、*|[1-9].\ *) bad="$bad $p";;
        esac
    done
    echo "${bad:+heading alone at the foot of page$bad}${bad:-no orphan headings}"
}

# figures_agree FILE.pdf: every figure the report prints twice (cards and
# table 1, items and sites in tables and charts, the summary) printed the
# same way each time (figures.py).
figures_agree() {
    pdftotext -layout "$1" - | /usr/bin/python3 "$SV_TOP/tests/cli/survey-chart/figures.py"
}
