# Issue 16: outputs meant for Excel (--bom, --output-encoding, the rejects
# file) never let a cell starting with = + - @ act as a formula (numbers
# such as -3.5 stay numbers), and control characters from the data never
# reach the terminal raw (messages, --format table).
set -u
fail() { echo "  $*"; exit 1; }
cb=$BAD/cb.csv
esc=$(printf '\033')
{
    head -1 "$BAD/ok.csv"
    echo '2026-07-01,"=HYPERLINK(""http://x"")",@SUM(1+1),满意,5,9,否,"=cmd|'"'"' /C calc'"'"'!A0",张三,1'
    echo '2026-07-02,-3.5,+5,满意,5,9,否,-,张三,1'
    printf '2026-07-03,A,\033[2J,满意,5,9,否,ok,李四,2\n'
} > x.csv
for opt in --bom gb18030; do
    if [ $opt = gb18030 ]; then
        survey-import -q --output-encoding gb18030 -c "$cb" x.csv | iconv -f GB18030 -t UTF-8 > s.csv
    else
        survey-import -q --bom -c "$cb" x.csv > s.csv
    fi
    grep -q "\"'=HYPERLINK(\"\"http://x\"\")\",'@SUM(1+1)," s.csv || fail "$opt: site/building not neutralised: $(sed -n 2p s.csv)"
    grep -q ",'=cmd|' /C calc'!A0" s.csv || fail "$opt: comment not neutralised"
    grep -q ',-3.5,+5,' s.csv || fail "$opt: numbers changed: $(sed -n 3p s.csv)"
done
survey-import -q -c "$cb" x.csv > plain.csv
grep -q '^2026-07-01,2026-07,.*"=HYPERLINK' plain.csv || fail "the plain stream changed"
survey-score --bom --by site plain.csv | grep -q "^\"'=HYPERLINK" || fail "survey-score --bom: site not neutralised"

# the rejects file
sed '2,4s/满意/很棒/' x.csv > r.csv
survey-import -c "$cb" --rejects rej.csv r.csv > /dev/null 2>&1
grep -q "\"'=HYPERLINK" rej.csv && grep -q ",'@SUM(1+1)," rej.csv &&
    grep -q ",'=cmd|" rej.csv || fail "rejects not neutralised: $(cat rej.csv)"
grep -q ',-3.5,+5,' rej.csv || fail "rejects: numbers changed"

# a template written for Excel (--bom) names a column =... as '=...; read
# back as the codebook, it still matches the raw header (third pass)
{ echo 'date,site,"=HYPERLINK(""http://x"")",q1'; echo '2026-07-01,翠湖,x,满意'; echo '2026-07-02,金桂,y,不满意'; echo '2026-07-03,金桂,y,满意'; } > th.csv
survey-import --template th.csv --bom > tcb.csv || fail "template --bom"
grep -q "^\"'=HYPERLINK" tcb.csv || fail "template not neutralised: $(cat tcb.csv)"
survey-import -q -c tcb.csv th.csv > ts.csv 2> err || fail "the --bom template does not read its own file back: $(cat err)"

# escape sequences: shown as \x1b in messages, never raw
{ head -1 "$BAD/ok.csv"; printf '2026-07-03,A,1栋,满意\033]52;c;eA==\007,5,9,否,ok,李四,2\n'; } > e.csv
survey-import -c "$cb" e.csv > /dev/null 2> err
! grep -q "$esc" err || fail "raw ESC in a message"
grep -q 'unknown answer "满意\\x1b]52;c;eA==\\x07"' err || fail "message: $(cat -v err)"
# a file name or an option's argument is escaped too (third pass)
cp e.csv "x${esc}[2Jy.csv"
survey-import -c "$cb" "x${esc}[2Jy.csv" > /dev/null 2> err
! grep -q "$esc" err || fail "raw ESC from a file name in a message: $(cat -v err)"
grep -q 'x\\x1b\[2Jy\.csv:2: column ' err || fail "file name: $(cat -v err)"
survey-score --by "site${esc}]52;c;eA==" plain.csv > /dev/null 2> err
! grep -q "$esc" err || fail "raw ESC from --by in a message: $(cat -v err)"
survey-score --format "x${esc}[2J" plain.csv > /dev/null 2> err
! grep -q "$esc" err || fail "raw ESC from --format in a usage message: $(cat -v err)"
survey-score --format table --by site,楼栋 plain.csv > t.txt || fail "score --format table"
! grep -q "$esc" t.txt || fail "raw ESC in --format table"
grep -q '?\[2J' t.txt || fail "the escape is not shown as ?: $(cat -v t.txt | head -3)"
exit 0
