# Issue 16: outputs never destroy.  -o, --rejects and the report's --pages
# write through symlinks and special files (/dev/null, /dev/full, FIFOs)
# instead of replacing them, report disk full, refuse an output that is an
# input or the other output (exit 2), keep an existing file's mode, remove
# their temporaries on SIGPIPE, and are committed together or not at all.
set -u
fail() { echo "  $*"; exit 1; }
cb=$BAD/cb.csv
left() { ls -A | grep -E '\.tmp' && fail "temporary file left: $*"; return 0; }
sed '3s/满意/很棒/' "$BAD/ok.csv" > in.csv   # one row rejected

# a symlink stays a symlink; the file it points to is replaced
echo old > target.csv && ln -s target.csv link.csv
survey-import -q -c "$cb" -o link.csv "$BAD/ok.csv" || fail "import -o link failed"
[ -L link.csv ] || fail "-o replaced the symlink by a file"
grep -q '^date,' target.csv || fail "the symlink's target was not written"
mkdir sub && ln -s ../target.csv sub/rel.csv
survey-score -o sub/rel.csv target.csv 2> err; [ $? = 2 ] ||
    fail "-o through a relative symlink onto the input was not refused"
left "symlink"

# special files are written in place, never replaced by a regular file
for dev in /dev/null /dev/full; do
    [ -c $dev ] || continue
    survey-import -q -c "$cb" -o $dev --rejects $dev in.csv 2> err
    st=$?
    [ -c $dev ] || fail "$dev is no longer a character device"
    case $dev in
    /dev/null) [ $st = 0 ] || fail "-o /dev/null: exit $st: $(cat err)" ;;
    /dev/full) [ $st = 1 ] && grep -q '^survey-import: /dev/full: write error: No space left on device$' err ||
        fail "-o /dev/full: exit $st, disk full not reported: $(cat err)" ;;
    esac
done
survey-score -o /dev/full target.csv 2> err; st=$?
[ $st = 1 ] && grep -q 'No space left on device' err || fail "survey-score -o /dev/full: exit $st: $(cat err)"
[ -c /dev/full ] || fail "/dev/full replaced"
survey-import -q -c "$cb" -o /dev/stdout "$BAD/ok.csv" | grep -q '^date,' ||
    fail "-o /dev/stdout into a pipe"
mkfifo fifo
cat fifo > from-fifo &
survey-import -q -c "$cb" -o fifo "$BAD/ok.csv" || fail "-o onto a FIFO failed"
wait
[ -p fifo ] || fail "the FIFO was replaced"
grep -q '^date,' from-fifo || fail "nothing came out of the FIFO"
left "special files"

# an output that is an input or the other output is refused: exit 2
cp in.csv keep.csv
survey-import -c "$cb" --rejects in.csv -o o.csv in.csv 2> err; st=$?
[ $st = 2 ] && grep -q "^survey-import: 'in.csv' is both an input and the --rejects output$" err ||
    fail "--rejects onto the input: exit $st: $(cat err)"
cmp -s in.csv keep.csv || fail "the input was changed"
survey-import -c "$cb" --rejects x.csv -o x.csv in.csv 2> err; st=$?
[ $st = 2 ] && grep -q "'x.csv' is both the -o and the --rejects output" err ||
    fail "-o x --rejects x: exit $st: $(cat err)"
survey-import -c "$cb" -o ./in.csv in.csv 2> err; [ $? = 2 ] || fail "-o raw.csv raw.csv not refused"
survey-score -o target.csv target.csv 2> err; [ $? = 2 ] || fail "survey-score -o onto its input not refused"
cmp -s in.csv keep.csv || fail "the input was changed"
grep -q '^date,' target.csv || fail "survey-score replaced its input"
[ ! -e x.csv ] && [ ! -e o.csv ] || fail "a refused run wrote an output"

# an existing file keeps its mode (the rejects file holds personal data)
echo old > rej.csv && chmod 600 rej.csv
echo old > out.csv && chmod 640 out.csv
survey-import -q -c "$cb" -o out.csv --rejects rej.csv in.csv || fail "import with rejects failed"
[ "$(stat -c %a rej.csv)" = 600 ] || fail "rejects mode 600 became $(stat -c %a rej.csv)"
[ "$(stat -c %a out.csv)" = 640 ] || fail "output mode 640 became $(stat -c %a out.csv)"
grep -q '^in.csv,3,' rej.csv || fail "rejects file not written"

# all outputs of a run or none: -o cannot be renamed into place (a
# directory), so the rejects file is not replaced either
echo old > rej.csv && mkdir adir
survey-import -q -c "$cb" -o adir --rejects rej.csv in.csv 2> err; st=$?
[ $st = 1 ] || fail "-o onto a directory: exit $st"
[ "$(cat rej.csv)" = old ] || fail "the rejects file was replaced although -o failed"
left "commit together"

# SIGPIPE: a reader that stops early leaves no temporary rejects file
$GEN rows 200000 | sed '5s/满意/很棒/' > big.csv
survey-import -c "$cb" --rejects r.csv big.csv 2> /dev/null | head -1 > /dev/null
sleep 0.2
left "SIGPIPE"

# the report: --pages into a missing folder fails before the PDF is replaced
if command -v survey-chart > /dev/null; then
    survey-import -q -c "$cb" "$BAD/ok.csv" > s.csv
    echo old > r.pdf
    survey-chart --report -o r.pdf --pages nodir/pg s.csv 2> err; st=$?
    [ $st = 1 ] && grep -q 'nodir/pg-1.png: cannot create output' err ||
        fail "--pages nodir/pg: exit $st: $(cat err)"
    [ "$(cat r.pdf)" = old ] || fail "the PDF was replaced although --pages failed"
    ln -s real.pdf r-link.pdf
    survey-chart --report -o r-link.pdf s.csv || fail "report through a symlink"
    [ -L r-link.pdf ] && [ "$(head -c 4 real.pdf)" = %PDF ] || fail "report replaced its symlink"
    ln -s /dev/null null.pdf
    survey-chart --report -o null.pdf s.csv || fail "report to /dev/null"
    [ -c /dev/null ] && [ -L null.pdf ] || fail "/dev/null replaced by the report"
    left "report"
fi
exit 0
