#!/bin/sh
# Runs each libFuzzer harness named on the command line for FUZZ_SECONDS
# seconds over its committed seeds (fuzz/corpus/<name>/, read only) and a
# working corpus in build-fuzz/corpus-<name>/; crashes are written to
# build-fuzz/.  Prints one line per harness with its executions and a total.
set -u
secs=${FUZZ_SECONDS:-60}
total=0
status=0
mkdir -p build-fuzz
for f in "$@"; do
    mkdir -p "build-fuzz/corpus-$f"
    log="build-fuzz/fuzz-$f.log"
    build-fuzz/fuzz-"$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -artifact_prefix="build-fuzz/$f-" -print_final_stats=1 \
        "build-fuzz/corpus-$f" "fuzz/corpus/$f" > "$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    runs=${runs:-0}
    total=$((total + runs))
    if [ $rc = 0 ]; then
        echo "fuzz-$f: $runs executions in ${secs} s, no crash"
    else
        echo "fuzz-$f: FAILED after $runs executions (exit $rc); see $log"
        grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5
        status=1
    fi
done
echo "fuzz: $total executions in total"
exit $status
