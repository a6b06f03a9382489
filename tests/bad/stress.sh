#!/bin/sh
# make stress: survey-score over a generated normalised stream of about
# STRESS_MB megabytes (default 1024), piped straight in (nothing is
# written to disk), under `ulimit -v STRESS_VMEM_KB` (default 200 MB).
# The stream (one line per questionnaire) has 3 sites x 12 months x 9
# buildings and 6 items; memory must depend on those groups only, never
# on the number of lines.
set -eu
bin=${SV_BIN:-bin}
mb=${STRESS_MB:-1024}
vmem=${STRESS_VMEM_KB:-204800}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv-stress.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

gen() {
    awk -v limit="$((mb * 1048576))" 'BEGIN {
        print "date,month,quarter,half,year,site,楼栋,保卫治安{dimension:abc3},保洁卫生{dimension:abc3},环境绿化{dimension:abc3},车辆管理{dimension:abc3},维修服务{dimension:abc3},业主接待{dimension:abc3}"
        for (r = 1; bytes < limit; r++) {
            m = r % 12 + 1; d = r % 28 + 1; q = int((m + 2) / 3)
            h = m > 6 ? 2 : 1; site = "site" (r % 3); b = (r % 9 + 1) "栋"
            line = sprintf("2026-%02d-%02d,2026-%02d,2026Q%d,2026H%d,2026,%s,%s",
                           m, d, m, q, h, site, b)
            for (i = 1; i <= 6; i++)
                line = line "," ((r + i) % 3 + 1)
            print line
            bytes += length(line) + 1
        }
        printf "%d\n", bytes > "/dev/stderr"
    }'
}

echo "stress: survey-score --by site,month,楼栋 over a ${mb} MB stream, ulimit -v ${vmem} kB"
start=$(date +%s)
gen 2> "$tmp/bytes" | (ulimit -v "$vmem" && exec "$bin/survey-score" --by site,month,楼栋 --period month) > "$tmp/out" 2> "$tmp/err" ||
    { echo "stress: FAILED"; cat "$tmp/err"; exit 1; }
end=$(date +%s)
rows=$(($(wc -l < "$tmp/out") - 1))
bytes=$(cat "$tmp/bytes")
echo "stress: ok, $bytes bytes in $((end - start)) s, $rows result rows, within ${vmem} kB of address space"
grep '^site0,2026-01,1栋,(all)' "$tmp/out" | cut -d, -f1-8
