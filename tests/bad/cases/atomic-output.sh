# -o FILE is atomic: on bad data, a write or rename failure, or a signal,
# the previous FILE is untouched and no temporary file is left behind.
# Runs in an empty temporary directory (run-bad.sh); works as root, which
# ignores directory permissions: an unwritable destination is made with a
# path under a regular file (ENOTDIR), under a missing directory (ENOENT)
# and with a destination that is a directory (the final rename fails).
set -u
fail() { echo "  $*"; exit 1; }
cb=$BAD/cb.csv
left() { ls -A | grep -E '\.tmp' && fail "temporary file left: $*"; return 0; }
prev() { echo previous > out.csv; }
same() { [ "$(cat out.csv)" = previous ] || fail "out.csv changed: $*"; }

# bad data, every tool
prev
survey-import -c "$cb" -o out.csv "$BAD/unknown-label.csv" 2> /dev/null
[ $? = 1 ] || fail "import of bad data did not exit 1"
same "survey-import bad data"; left "survey-import bad data"
survey-score -o out.csv "$BAD/cube-negative.csv" 2> /dev/null
[ $? = 1 ] || fail "score of a bad cube did not exit 1"
same "survey-score bad cube"; left "survey-score bad cube"
for t in survey-nps survey-complaints survey-chart; do
    command -v $t > /dev/null || continue
    $t -o out.csv "$BAD/cube-truncated.csv" > /dev/null 2>&1
    st=$?
    [ $st -ge 1 ] && [ $st -le 2 ] || fail "$t on a truncated cube: exit $st"
    same "$t"; left "$t"
done

# success replaces the file, with the mode a new file would get
survey-import -q -c "$cb" -o out.csv "$BAD/ok.csv" || fail "import of good data failed"
grep -q '^date,' out.csv || fail "out.csv not replaced on success"
left "success"

# the destination cannot be created or renamed into place
echo x > plain
survey-import -q -c "$cb" -o plain/out.csv "$BAD/ok.csv" 2> err
[ $? = 1 ] && grep -q '^survey-import: plain/out.csv: cannot create output' err ||
    fail "-o under a regular file: $(cat err)"
survey-score -o nodir/out.csv "$BAD/cube-ok.csv" 2> err
[ $? = 1 ] && grep -q '^survey-score: nodir/out.csv: cannot create output' err ||
    fail "-o under a missing directory: $(cat err)"
mkdir adir
survey-import -q -c "$cb" -o adir "$BAD/ok.csv" 2> err
[ $? = 1 ] && grep -q '^survey-import: adir: cannot rename output into place' err ||
    fail "-o onto a directory: $(cat err)"
[ -d adir ] && [ -z "$(ls -A adir)" ] || fail "directory destination changed"
left "failed rename"
if [ "$(id -u)" != 0 ]; then
    mkdir ro && echo previous > ro/out.csv && chmod 555 ro
    survey-import -q -c "$cb" -o ro/out.csv "$BAD/ok.csv" 2> /dev/null
    [ $? = 1 ] || fail "-o into a read-only folder did not exit 1"
    [ "$(cat ro/out.csv)" = previous ] || fail "read-only folder: file changed"
    chmod 755 ro
fi

# a signal while the output is being written: feed rows slowly via a fifo
for sig in TERM HUP INT; do
    prev
    rm -f fifo && mkfifo fifo
    # set -m: without job control a background job ignores SIGINT
    set -m
    survey-import -q -c "$cb" -o out.csv < fifo > /dev/null 2>&1 &
    pid=$!
    set +m
    exec 3> fifo
    head -n 2 "$BAD/ok.csv" >&3
    for i in $(seq 50); do
        ls -A | grep -q '\.out\.csv\.tmp' && break
        sleep 0.1
    done
    ls -A | grep -q '\.out\.csv\.tmp' || fail "no temporary output while running"
    kill -s $sig $pid
    wait $pid
    st=$?
    exec 3>&-
    [ $st -ge 128 ] || fail "SIG$sig: exit $st, expected death by the signal"
    same "SIG$sig"; left "SIG$sig"
done
exit 0
