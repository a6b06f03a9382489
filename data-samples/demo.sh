#!/bin/sh
# The demo pipeline on data-samples/: import every questionnaire and the
# complaint register into out/.  Run through `make demo`.
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
