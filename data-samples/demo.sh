#!/bin/sh
# The demo pipeline on data-samples/: import every questionnaire and the
# complaint register, score them, keep quarterly cubes, chart them and
# write the quarterly report, all into out/.  Run through `make demo`.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$top/bin"
s="$top/data-samples"
out="$top/out"
mkdir -p "$out"

step() { printf '== %s\n' "$*" >&2; }

step "import questionnaires"
"$bin/survey-import" -c "$s/codebook-8item.csv" -o "$out/tianchengmeiya.stream.csv" \
    "$s"/tianchengmeiya-2026Q[1-4].csv
"$bin/survey-import" -c "$s/codebook-6item.csv" -o "$out/cuihu.stream.csv" \
    --rejects "$out/cuihu.rejects.csv" \
    "$s"/cuihu-2026Q[1-4].csv "$s/cuihu-2026Q4-handtyped.csv"
"$bin/survey-import" -c "$s/codebook-wjx.csv" -o "$out/jinguiyuan.stream.csv" \
    "$s"/jinguiyuan-wjx-2026Q[1-4].csv
step "import the complaint register"
"$bin/survey-import" -c "$s/codebook-register.csv" -o "$out/complaints.stream.csv" \
    "$s/complaints-2026.csv"
streams="$out/tianchengmeiya.stream.csv $out/cuihu.stream.csv $out/jinguiyuan.stream.csv"
step "satisfaction per site and quarter: change, coverage, site comparison, trend"
# shellcheck disable=SC2086
"$bin/survey-score" --by site --period quarter --compare --sites \
    --households "$s/households.csv" -o "$out/satisfaction-quarter.csv" $streams
# shellcheck disable=SC2086
"$bin/survey-score" --by site --trend -o "$out/satisfaction-trend.csv" $streams
step "quarterly cubes, merged into the year without the raw data"
for q in 1 2 3 4; do
    "$bin/survey-score" -c "$s/codebook-8item.csv" --by site,quarter --freq \
        -o "$out/tianchengmeiya-2026Q$q.cube.csv" "$s/tianchengmeiya-2026Q$q.csv"
done
"$bin/survey-score" --by site,year -o "$out/tianchengmeiya-2026.csv" \
    "$out"/tianchengmeiya-2026Q[1-4].cube.csv
step "charts"
# shellcheck disable=SC2086
"$bin/survey-score" --by period --freq -o "$out/freq.csv" $streams
"$bin/survey-chart" --type pie --period-key 2026Q4 -o "$out/pie-2026Q4.png" "$out/freq.csv"
"$bin/survey-chart" --type hist --period-key 2026Q4 -o "$out/hist-2026Q4.png" "$out/freq.csv"
# shellcheck disable=SC2086
"$bin/survey-score" --by period -o "$out/satisfaction-period.csv" $streams
"$bin/survey-chart" --type bar --period-key 2026Q4 -o "$out/bar-2026Q4.svg" \
    "$out/satisfaction-period.csv"
"$bin/survey-chart" --type trend --item "(all)" --by site -o "$out/trend.pdf" \
    "$out/satisfaction-quarter.csv"
step "NPS per site and quarter, change and trend"
"$bin/survey-nps" --by site --compare -o "$out/nps-quarter.csv" \
    "$out/tianchengmeiya.stream.csv" "$out/cuihu.stream.csv" "$out/jinguiyuan.stream.csv"
"$bin/survey-nps" --by site --trend -o "$out/nps-trend.csv" \
    "$out/tianchengmeiya.stream.csv" "$out/cuihu.stream.csv" "$out/jinguiyuan.stream.csv"
step "complaints per site and quarter, by category, trend"
"$bin/survey-complaints" --by site,quarter --compare --households "$s/households.csv" \
    -o "$out/complaints-quarter.csv" "$out/complaints.stream.csv"
"$bin/survey-complaints" --by category --period year -o "$out/complaints-category.csv" \
    "$out/complaints.stream.csv"
"$bin/survey-complaints" --by site --trend -o "$out/complaints-trend.csv" \
    "$out/complaints.stream.csv"
step "the 2026Q4 report (统计分析报告)"
"$bin/survey-chart" --report --period-key 2026Q4 -o "$out/report-2026Q4.pdf" \
    --company 示例物业服务有限公司 --office 品质部 \
    --households "$s/households.csv" --complaints "$out/complaints.stream.csv" \
    "$out/tianchengmeiya.stream.csv" "$out/cuihu.stream.csv" "$out/jinguiyuan.stream.csv"
echo "demo outputs are in $out/" >&2
echo "the 2026Q4 report: $out/report-2026Q4.pdf" >&2
