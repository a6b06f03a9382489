#!/bin/sh
# Generates large bad inputs at test time (they are too big to commit).
#   gen.sh bigfield BYTES   the corpus header, then a row whose comment is BYTES long
#   gen.sh widerow FIELDS   a header line of FIELDS fields
#   gen.sh tallrow FIELDS BYTES   a line of FIELDS fields of BYTES each
#   gen.sh rows N           the corpus header and N good rows
# All output goes to stdout and matches tests/bad/in/cb.csv.
set -eu
header='date,site,building,q1,q2,rec,complained,comment,name,phone'
case ${1:-} in
tallrow)
    awk -v k="$2" -v n="$3" 'BEGIN { s = "x"; while (length(s) < n) s = s s;
        s = substr(s, 1, n);
        for (i = 1; i <= k; i++) printf "%s%s", s, i < k ? "," : "\n" }'
    ;;
bigfield)
    echo "$header"
    printf '2026-07-01,A,1栋,满意,5,9,否,"'
    awk -v n="$2" 'BEGIN { s = "x"; while (length(s) < 65536) s = s s;
        for (; n >= 65536; n -= 65536) printf "%s", s;
        printf "%s", substr(s, 1, n) }'
    printf '",张三,13800138000\n'
    ;;
widerow)
    awk -v n="$2" 'BEGIN { for (i = 1; i < n; i++) printf "c%d,", i;
        printf "c%d\n", n }'
    ;;
rows)
    echo "$header"
    awk -v n="$2" 'BEGIN { split("满意 较满意 不满意", a, " ");
        for (i = 0; i < n; i++)
            printf "2026-%02d-%02d,%s,%d栋,%s,%d,%d,否,,张三,13800138000\n",
                i % 12 + 1, i % 28 + 1, (i % 3 ? "A" : "B"), i % 9 + 1,
                a[i % 3 + 1], i % 5 + 1, i % 11 }'
    ;;
*)
    echo "usage: gen.sh bigfield BYTES | widerow FIELDS | tallrow FIELDS BYTES | rows N" >&2
    exit 2
    ;;
esac
