# Issue 16: --compare and --trend find each group's previous period
# through an index, so they are near-linear in the number of groups (they
# were quadratic: 5k/10k/20k groups took 2/13/49 s, survey-nps --compare
# on 400k groups ran 24 min).  40 000 groups (20 000 offices x 2
# quarters) must finish well within the limit, also under ASan.
set -u
fail() { echo "  $*"; exit 1; }
n=20000
{
    head -1 "$BAD/stream-ok.csv"
    awk -v n=$n 'BEGIN { for (i = 0; i < n; i++)
        printf "2026-04-01,2026-04,2026Q2,2026H1,2026,S%d,1栋,3,5,9,0,\n2026-07-01,2026-07,2026Q3,2026H2,2026,S%d,1栋,2,4,%d,1,\n", i, i, i % 11 }'
} > many.csv
run() { # expected-rows command...
    want=$1; shift
    timeout 120 "$@" many.csv > out.csv 2> err || fail "$* failed or timed out (status $?): $(head -c 300 err)"
    [ "$(grep -c '' out.csv)" -ge "$want" ] || fail "$*: $(grep -c '' out.csv) lines"
}
run $((2 * n)) survey-score --by site,quarter --compare
grep -q '^S19999,2026Q3,(all),.*,2026Q2,' out.csv || fail "no previous period: $(grep '^S19999,2026Q3,(all)' out.csv)"
run $n survey-score --by site --period quarter --trend
run $((2 * n)) survey-nps --by site,quarter --compare
grep -q '^S19999,2026Q3,.*,2026Q2,' out.csv || fail "nps: no previous period: $(grep '^S19999,2026Q3' out.csv)"
run $n survey-nps --by site --period quarter --trend
exit 0
