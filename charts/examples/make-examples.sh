#!/bin/sh
# Regenerates the example pictures of README's survey-chart section from
# data-samples/: one PNG per chart type and two pages of the report.
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
# the first pages and the opinions page, small (72 px per inch)
for p in 1 2 4 11; do
    pdftoppm -png -r 72 -f $p -l $p -singlefile "$tmp/report.pdf" \
        "$ex/report-page-$p"
done
echo "examples written to charts/examples/" >&2
