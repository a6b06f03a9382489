#!/bin/sh
# Regenerates the example pictures of README's survey-chart section from
# data-samples/: one PNG per chart type, and pages of the report (the
# company's and one office's) in docs/.
# Run through `make charts`.  Work files go to a temporary folder.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bin="$top/bin"
s="$top/data-samples"
ex="$top/charts/examples"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv-examples.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export SOURCE_DATE_EPOCH=1798761600 # 2027-01-01: fixed cover date

"$bin/survey-import" -q -c "$s/codebook-8item.csv" -o "$tmp/tcmy.csv" \
    "$s"/tianchengmeiya-2026Q[1-4].csv
"$bin/survey-import" -q -c "$s/codebook-6item.csv" -o "$tmp/cuihu.csv" \
    --rejects "$tmp/rejects.csv" "$s"/cuihu-2026Q[1-4].csv
"$bin/survey-import" -q -c "$s/codebook-wjx.csv" -o "$tmp/jgy.csv" \
    "$s"/jinguiyuan-wjx-2026Q[1-4].csv
"$bin/survey-import" -q -c "$s/codebook-register.csv" -o "$tmp/reg.csv" \
    "$s/complaints-2026.csv"
all="$tmp/tcmy.csv $tmp/cuihu.csv $tmp/jgy.csv"

"$bin/survey-score" --by period --freq "$tmp/cuihu.csv" > "$tmp/freq.csv"
"$bin/survey-score" --by period --compare "$tmp/cuihu.csv" > "$tmp/score.csv"
# shellcheck disable=SC2086
"$bin/survey-score" --by site,period $all > "$tmp/sites.csv"
# shellcheck disable=SC2086
"$bin/survey-nps" --by site,period $all > "$tmp/nps.csv"
"$bin/survey-complaints" --by period,category "$tmp/reg.csv" > "$tmp/cat.csv"

c="$bin/survey-chart"
$c --type hist --item 保洁卫生 -o "$ex/hist.png" "$tmp/freq.csv"
$c --type hist -o "$ex/hist-all.png" "$tmp/freq.csv"
$c --type pie -o "$ex/pie.png" "$tmp/freq.csv"
$c --type pie -o "$ex/pie-complaints.png" "$tmp/cat.csv"
$c --type bar -o "$ex/bar.png" "$tmp/score.csv"
$c --type bar --by site -o "$ex/bar-sites.png" "$tmp/sites.csv"
$c --type trend --by site -o "$ex/trend.png" "$tmp/sites.csv"
$c --type trend --by site --metric nps -o "$ex/trend-nps.png" "$tmp/nps.csv"
# shellcheck disable=SC2086
$c --report -o "$tmp/report.pdf" \
    --company 示例物业服务有限公司 --office 品质部 \
    --households "$s/households.csv" --complaints "$tmp/reg.csv" $all
# shellcheck disable=SC2086
$c --report --site 翠湖花园服务中心 -o "$tmp/site.pdf" \
    --company 示例物业服务有限公司 \
    --households "$s/households.csv" --complaints "$tmp/reg.csv" $all
# page N of PDF as docs/NAME.png, small (50 px per inch, under 150 KB)
page() {
    pdftoppm -png -r 50 -f "$2" -l "$2" -singlefile "$tmp/$1.pdf" \
        "$top/docs/$3"
}
# the page whose text holds WORD
find_page() {
    n=$(pdfinfo "$tmp/$1.pdf" | awk '/^Pages:/ {print $2}')
    for p in $(seq 1 "$n"); do
        pdftotext -f "$p" -l "$p" "$tmp/$1.pdf" - | grep -qF "$2" \
            && { echo "$p"; return; }
    done
}
page report 1 report-cover
page report 2 report-summary
page report "$(find_page report 表\ 6b)" report-opinions
page site 3 report-site-items
echo "examples written to charts/examples/ and docs/" >&2
