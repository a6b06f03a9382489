#!/bin/sh
# Many groups in bounded memory (issue 16).  20 000 offices answered in
# two quarters (40 000 site x quarter groups, 360 000 result rows) are
# scored under a 170 MB address-space limit (ulimit -v): the tables are
# written a group at a time, so memory is the cube's.  Before, the whole
# result table was built first and each of these runs died 'out of
# memory' under this limit.  Not a timed test: the limit is on memory.
# Skipped for sanitizer builds, whose shadow memory needs terabytes of
# address space.
# Environment: SV_BIN (tools), SV_TOP (repo root).
set -u
top=${SV_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${SV_BIN:-$top/bin}
fail=0
limit=170000 # KiB of address space (about 110 000 are needed)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv-many.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

if ldd "$bin/survey-score" 2>/dev/null | grep -q 'lib[at]san'; then
    echo "ok many-groups (skipped: sanitizer build)"
    exit 0
fi

bad() { echo "FAIL many-groups: $*"; fail=1; }

awk 'BEGIN {
    print "日期,管理处,q1,q2,q3,q4,q5,q6,q7,q8,推荐"
    split("满意,较满意,不满意", L, ",")
    for (i = 0; i < 20000; i++)
        for (q = 0; q < 2; q++) {
            printf "2026-%02d-15,office%06d", q ? 7 : 2, i
            for (k = 0; k < 8; k++)
                printf ",%s", L[1 + (i + k + q) % 3]
            printf ",%d\n", (i + q) % 11
        }
}' > "$tmp/many.csv"
{
    echo "column,role,scale,label"
    echo "日期,date,,"
    echo "管理处,site,,"
    for k in 1 2 3 4 5 6 7 8; do echo "q$k,dimension,abc3,q$k"; done
    echo "推荐,nps,nps11,推荐"
} > "$tmp/cb.csv"

# run LINES TOOL ARGS...: TOOL under the limit prints LINES lines, exit 0.
run() {
    want=$1
    shift
    (ulimit -v $limit && "$bin/$@" -c "$tmp/cb.csv" "$tmp/many.csv" \
        > "$tmp/out" 2> "$tmp/err")
    st=$?
    got=$(wc -l < "$tmp/out")
    if [ $st != 0 ] || [ "$got" != "$want" ]; then
        bad "$* under ulimit -v $limit: exit $st, $got lines (expected" \
            "$want): $(head -c 200 "$tmp/err")"
    fi
}

run 360001 survey-score --by site --period quarter --compare
run 180001 survey-score --by site --period quarter --trend
run 180001 survey-score --by site --format table
run 40001 survey-nps --by site --period quarter --compare
[ $fail = 0 ] && echo "ok many-groups (40 000 groups under ulimit -v $limit KiB)"
exit $fail
