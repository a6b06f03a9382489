#!/bin/sh
# examples/cron/yearly-summary.sh on data-samples: quarterly cubes of three
# offices in, one complete dated folder out; failures exit non-zero with one
# error line; nothing is read from stdin.
set -u
top=${SV_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${SV_BIN:-$top/bin}
s="$top/data-samples"
script="$top/examples/cron/yearly-summary.sh"
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv-cron.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
bad() { echo "FAIL cron: $*"; [ -f "$tmp/err" ] && cat "$tmp/err"; fail=1; }
PATH="$bin:$PATH"; export PATH

mkdir "$tmp/cubes" "$tmp/out"
for q in 1 2 3 4; do
    survey-score -c "$s/codebook-6item.csv" --by site,quarter --freq \
        -o "$tmp/cubes/cuihu-2026Q$q.cube.csv" "$s/cuihu-2026Q$q.csv" &&
    survey-score -c "$s/codebook-8item.csv" --by site,quarter --freq \
        -o "$tmp/cubes/tianchengmeiya-2026Q$q.cube.csv" "$s/tianchengmeiya-2026Q$q.csv" &&
    survey-score -c "$s/codebook-wjx.csv" --by site,quarter --freq \
        -o "$tmp/cubes/jinguiyuan-2026Q$q.cube.csv" "$s/jinguiyuan-wjx-2026Q$q.csv" ||
        bad "making the quarterly cubes"
done

# stdin is a FIFO that never gets data nor end of file: the script must
# not wait on it (timeout turns a hang into a failure)
mkfifo "$tmp/fifo" && exec 9<> "$tmp/fifo"
timeout 120 sh "$script" 2026 "$tmp/cubes" "$tmp/out" <&9 2> "$tmp/err"
st=$?
exec 9>&-
[ $st = 0 ] || bad "exit status $st"
dir=$(ls -d "$tmp/out"/2026-summary-* 2>/dev/null)
[ -n "$dir" ] && [ -d "$dir" ] || bad "no dated folder"
for f in cube satisfaction all-sites trend; do
    [ -s "$dir/$f-2026.csv" ] || bad "$f-2026.csv missing"
done
[ -s "$dir/report-2026.pdf" ] && pdftotext "$dir/report-2026.pdf" - |
    grep -q '2026 年度' || bad "report-2026.pdf missing or not a yearly report"
[ -z "$(ls -A "$tmp/out" | grep '^\.')" ] || bad "temporary folder left behind"
grep -qv '^yearly-summary\[[0-9]*\]: \(info\|warning\|error\): ' "$tmp/err" &&
    bad "stderr lines not in the log format"
# the yearly cube gives the same figures as scoring the raw year directly
survey-score -c "$s/codebook-6item.csv" --by site,year "$s"/cuihu-2026Q[1-4].csv > "$tmp/raw.csv" &&
grep '^翠湖' "$dir/satisfaction-2026.csv" | cut -d, -f1-14 > "$tmp/a" &&
grep '^翠湖' "$tmp/raw.csv" | cut -d, -f1-14 > "$tmp/b" &&
cmp -s "$tmp/a" "$tmp/b" || bad "merged cubes differ from the raw year"

# failures: a year without cubes, bad usage
sh "$script" 2025 "$tmp/cubes" "$tmp/out" 2> "$tmp/err"
st=$?
[ $st = 1 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q ': error: no quarterly cubes' "$tmp/err" ||
    bad "missing cubes: status $st"
sh "$script" 2026 "$tmp/cubes" 2> "$tmp/err"
[ $? = 2 ] || bad "usage error not 2"
# a failing step (a corrupt cube) fails the run and leaves no folder
printf 'not,a,cube\n1,2,3\n' > "$tmp/cubes/bad-2024Q1.cube.csv"
sh "$script" 2024 "$tmp/cubes" "$tmp/out" 2> "$tmp/err"
st=$?
[ $st = 1 ] && grep -q ': error: cannot read the sites of the cubes' "$tmp/err" || bad "corrupt cube: status $st"
ls -d "$tmp/out"/2024-* "$tmp/out"/.2024-* > /dev/null 2>&1 && bad "partial output left"
rm -f "$tmp/err"
[ $fail = 0 ] && echo "ok cron yearly-summary.sh"
exit $fail
