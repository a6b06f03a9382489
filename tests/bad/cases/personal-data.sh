# pii columns never reach an output: stream, cube, scores, NPS, every
# format, and the rejects file with --rejects-redact.  (Without the option
# the rejects file holds raw rows, as documented.)  Comment text is the
# user's and passes through the stream; the report masks it (sv_mask_pii).
set -u
fail() { echo "  $*"; exit 1; }
cb=$BAD/cb.csv
pii='张三|李四|王五|13800138000|13700001111|15011112222'
clean() { # file what
    ! grep -Eq "$pii" "$1" || fail "personal data in $2: $(grep -Eo "$pii" "$1" | head -1)"
}

survey-import -q -c "$cb" "$BAD/ok.csv" > stream.csv || fail "import failed"
clean stream.csv "the stream"
grep -q 请联系13912345678 stream.csv || fail "comment text lost from the stream"
survey-import -q -c "$cb" -o out.csv "$BAD/ok.csv" && clean out.csv "-o output"
for f in csv tsv json table; do
    survey-score --format $f --by site,楼栋 stream.csv > score.$f || fail "score $f"
    clean score.$f "survey-score --format $f"
    survey-score -c "$cb" --format $f --by site "$BAD/ok.csv" > raw.$f || fail "score -c $f"
    clean raw.$f "survey-score -c --format $f"
    survey-nps --format $f stream.csv > nps.$f || fail "nps $f"
    clean nps.$f "survey-nps --format $f"
done
survey-score --freq --by site,month,楼栋 stream.csv > cube.csv || fail "cube"
clean cube.csv "the cube"
survey-score -c "$cb" --freq "$BAD/ok.csv" > cube2.csv && clean cube2.csv "the raw cube"

# rejects: a file where every row is bad in a different way
cat "$BAD/ok.csv" > bad.csv
sed -n 2p "$BAD/ok.csv" | sed 's/满意/很棒/' >> bad.csv
sed -n 3p "$BAD/ok.csv" | sed 's/,7,/,11,/' >> bad.csv
sed -n 4p "$BAD/ok.csv" | sed 's/$/,extra/' >> bad.csv
survey-import -c "$cb" --rejects rej.csv --rejects-redact bad.csv > s.csv 2> err ||
    fail "import with rejects failed: $(cat err)"
grep -q '6 rows read, 3 imported, 3 rejected' err || fail "summary: $(cat err)"
[ "$(grep -c '^bad.csv,' rej.csv)" = 3 ] || fail "rejects file: $(cat rej.csv)"
clean rej.csv "the redacted rejects file"
clean s.csv "the stream of a file with rejects"
survey-import -c "$cb" --rejects raw-rej.csv bad.csv > /dev/null 2>&1
grep -q 张三 raw-rej.csv || fail "unredacted rejects should hold the raw rows"

# the report shows comments with mobile and ID-card numbers masked
if command -v survey-chart > /dev/null && command -v pdftotext > /dev/null; then
    sed 's/电梯很好/电梯很好，身份证110101199003074514/' "$BAD/ok.csv" > id.csv
    survey-import -q -c "$cb" id.csv > id-stream.csv || fail "import id.csv"
    survey-chart --report -o report.pdf id-stream.csv 2> err || fail "report: $(cat err)"
    pdftotext report.pdf report.txt || fail "pdftotext"
    clean report.txt "the report"
    ! grep -Eq '13912345678|110101199003074514' report.txt ||
        fail "unmasked number in the report's comments"
    grep -q '请联系\*\*\*\*' report.txt || fail "masked comment missing from the report"
    survey-score --freq --by site stream.csv > f.csv
    survey-chart --type hist --describe -o h.png f.csv > h.txt 2> err || fail "chart: $(cat err)"
    clean h.txt "the chart model"
fi
exit 0
