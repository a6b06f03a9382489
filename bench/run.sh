#!/bin/sh
# bench/run.sh — `make bench`: times our paths against libcsv parse-only,
# datamash, Miller and pandas on one generated questionnaire file, checks
# that every path gives the same figures, and writes docs/benchmarks.md.
#
#   sh bench/run.sh [ROWS]        (default 2000000; BENCH_RUNS=3 runs each,
#                                  BENCH_ROUNDS=5 rounds of our paths)
#
# The job for every tool: per site, n, mean score and satisfaction rate of
# each of the 8 dimensions.  Work files go to build/bench/.
set -eu

ROWS=${1:-${BENCH_ROWS:-2000000}}
RUNS=${BENCH_RUNS:-3}
ROUNDS=${BENCH_ROUNDS:-5}
TOP=$(cd "$(dirname "$0")/.." && pwd)
W=$TOP/build/bench
BIN=$TOP/bin
PY=/usr/bin/python3
DOC=$TOP/docs/benchmarks.md

die() { echo "bench: $*" >&2; exit 1; }

# --- peers: Debian packages, installed when missing -------------------------
need=""
command -v hyperfine >/dev/null || need="$need hyperfine"
command -v datamash >/dev/null || need="$need datamash"
command -v mlr >/dev/null || need="$need miller"
[ -x /usr/bin/time ] || need="$need time"
$PY -c 'import pandas' 2>/dev/null || need="$need python3-pandas"
if [ -n "$need" ]; then
    echo "bench: installing$need"
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $need
fi

mkdir -p "$W"
cc -std=c11 -O2 -o "$W/csv-count" "$TOP/bench/csv-count.c" -lcsv ||
    die "cannot build bench/csv-count.c (libcsv-dev missing?)"

# --- data: generated once per size -----------------------------------------
RAW=$W/raw-$ROWS.csv NUM=$W/num-$ROWS.csv CB=$W/codebook.csv
if [ ! -s "$RAW" ] || [ ! -s "$NUM" ]; then
    echo "bench: generating $ROWS rows"
    $PY "$TOP/bench/generate.py" "$ROWS" "$RAW" --codebook "$CB" --numeric "$NUM"
fi
$PY "$TOP/bench/generate.py" 0 "$W/empty.csv" --codebook "$CB"
BYTES=$(wc -c < "$RAW")

# --- the commands ------------------------------------------------------------
C_PARSE="$W/csv-count $RAW > $W/out-parse.txt"
C_ONE="$BIN/survey-score -c $CB --by site $RAW > $W/out-single.csv"
C_J2="$BIN/survey-score -c $CB --by site -j 2 $RAW > $W/out-j2.csv"
C_PIPE="$BIN/survey-import -q -c $CB $RAW | $BIN/survey-score --by site > $W/out-pipe.csv"
C_DM="sed -e 's/,,/,NA,/g; s/,,/,NA,/g; s/,\$/,NA/' $NUM | datamash -s -t, --header-in --narm -g 1 count 2-9 mean 2-17 > $W/out-datamash.csv"
C_MLR="mlr --icsv --ocsv stats1 -a count,mean -f d1,d2,d3,d4,d5,d6,d7,d8,s1,s2,s3,s4,s5,s6,s7,s8 -g site $NUM > $W/out-mlr.csv"
C_PD="$PY $TOP/bench/pandas_score.py $RAW > $W/out-pandas.csv"

NAMES="parse one j2 pipe dm mlr pd"
label() {
    case $1 in
    parse) echo "libcsv parse only (bench/csv-count.c: callbacks count fields)" ;;
    one) echo "\`survey-score -c CODEBOOK --by site raw.csv\` (1 thread)" ;;
    j2) echo "\`survey-score -c CODEBOOK --by site -j 2 raw.csv\`" ;;
    pipe) echo "\`survey-import -c CODEBOOK raw.csv | survey-score --by site\`" ;;
    dm) echo "\`sed\` NA-fill + \`datamash -s -g 1 count mean\` (numeric copy)" ;;
    mlr) echo "Miller \`mlr stats1 -a count,mean -g site\` (numeric copy)" ;;
    pd) echo "pandas \`read_csv\` + recode labels + \`groupby\`" ;;
    esac
}
cmd() {
    case $1 in
    parse) echo "$C_PARSE" ;; one) echo "$C_ONE" ;; j2) echo "$C_J2" ;;
    pipe) echo "$C_PIPE" ;; dm) echo "$C_DM" ;; mlr) echo "$C_MLR" ;;
    pd) echo "$C_PD" ;;
    esac
}

# --- correctness guard: every path, every figure -----------------------------
for n in $NAMES; do sh -c "$(cmd $n)" || die "'$n' failed"; done
$PY - "$RAW" "$W/half1.csv" "$W/half2.csv" "$ROWS" <<'EOF'
import csv, sys
rows = csv.reader(open(sys.argv[1], encoding="utf-8", newline=""))
out = [csv.writer(open(p, "w", encoding="utf-8", newline=""), lineterminator="\n")
       for p in sys.argv[2:4]]
head = next(rows)
out[0].writerow(head)
out[1].writerow(head)
for i, r in enumerate(rows):
    out[i >= int(sys.argv[4]) // 2].writerow(r)
EOF
"$BIN/survey-score" -c "$CB" --by site --freq "$W/half1.csv" > "$W/cube1.csv"
"$BIN/survey-score" -c "$CB" --by site --freq "$W/half2.csv" > "$W/cube2.csv"
"$BIN/survey-score" --by site "$W/cube1.csv" "$W/cube2.csv" > "$W/out-merge.csv"
$PY "$TOP/bench/check.py" "$W/out-pandas.csv" "$W/out-single.csv" \
    "$W/out-j2.csv" "$W/out-pipe.csv" "$W/out-merge.csv" || die "outputs disagree"
cmp -s "$W/out-single.csv" "$W/out-j2.csv" || die "-j 2 output differs from -j 1"
cmp -s "$W/out-single.csv" "$W/out-pipe.csv" || die "import|score output differs"
cmp -s "$W/out-single.csv" "$W/out-merge.csv" || die "cube merge output differs"
$PY "$TOP/bench/check.py" "$W/out-pandas.csv" --numeric "$W/out-datamash.csv" --kind datamash ||
    die "datamash disagrees"
$PY "$TOP/bench/check.py" "$W/out-pandas.csv" --numeric "$W/out-mlr.csv" --kind mlr ||
    die "mlr disagrees"

# --- peak memory --------------------------------------------------------------
for n in $NAMES; do
    /usr/bin/time -f %M -o "$W/rss-$n.txt" sh -c "$(cmd $n)"
done

# --- timing -------------------------------------------------------------------
# Our paths and libcsv in ROUNDS hyperfine sessions one after the other, so
# that each round's ratios compare runs made minutes apart at most (a shared
# machine's speed drifts by tens of percent over a quarter of an hour); the
# peers, much slower, in one more session.
FAST="parse one j2 pipe"
SLOW="dm mlr pd"
r=1
while [ "$r" -le "$ROUNDS" ]; do
    set --
    for n in $FAST; do set -- "$@" -n "$n" "$(cmd $n)"; done
    hyperfine -w 1 -r "$RUNS" --export-json "$W/hyperfine-$r.json" "$@"
    r=$((r + 1))
done
set --
for n in $SLOW; do set -- "$@" -n "$n" "$(cmd $n)"; done
hyperfine -w 1 -r "$RUNS" --export-json "$W/hyperfine-peers.json" "$@"

# --- the yearly report: 4 quarters x 20 sites, 25000 questionnaires each -----
CHART=""
if [ -x "$BIN/survey-chart" ]; then
    for q in 1 2 3 4; do
        [ -s "$W/year-Q$q.csv" ] || $PY "$TOP/bench/generate.py" 25000 \
            "$W/year-Q$q.csv" --quarter 2026Q$q --seed $q
    done
    "$BIN/survey-import" -q -c "$CB" "$W"/year-Q1.csv "$W"/year-Q2.csv \
        "$W"/year-Q3.csv "$W"/year-Q4.csv > "$W/year.stream"
    hyperfine -w 1 -r "$RUNS" --export-json "$W/chart.json" \
        -n report "$BIN/survey-chart --report -o $W/year.pdf $W/year.stream"
    CHART=$W/chart.json
fi

# --- the table -----------------------------------------------------------------
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
$PY - "$W" "$ROWS" "$BYTES" "$RUNS" "$(nproc)" "$CPU" "$LOAD" "$CHART" "$ROUNDS" > "$DOC.tmp" <<'EOF'
import json, statistics, sys
w, rows, size, runs, ncpu, cpu, load, chart, rounds = sys.argv[1:]
rows, size, rounds = int(rows), int(size), int(rounds)
labels = {
    "parse": "libcsv parse only (bench/csv-count.c: callbacks count fields)",
    "one": "`survey-score -c CODEBOOK --by site raw.csv` (1 thread)",
    "j2": "`survey-score -c CODEBOOK --by site -j 2 raw.csv`",
    "pipe": "`survey-import -c CODEBOOK raw.csv \\| survey-score --by site`",
    "dm": "`sed` NA-fill + `datamash -s -g 1 count mean` (numeric copy)",
    "mlr": "Miller `mlr stats1 -a count,mean -g site` (numeric copy)",
    "pd": "pandas `read_csv` + recode labels + `groupby`",
}
def load_results(path):
    return {r["command"]: r for r in json.load(open(path))["results"]}
per_round = [load_results("%s/hyperfine-%d.json" % (w, i))
             for i in range(1, rounds + 1)]
peers = load_results(w + "/hyperfine-peers.json")
times, cpu_runs = {}, {}
for res in per_round + [peers]:
    for k, r in res.items():
        times.setdefault(k, []).extend(r["times"])
        cpu_runs.setdefault(k, []).append(r["user"] + r["system"])
med = {k: statistics.median(t) for k, t in times.items()}
cpu_s = {k: statistics.mean(c) for k, c in cpu_runs.items()}
# our paths: the median over rounds of each round's ratio to its own
# libcsv runs; the peers: to libcsv's median over all rounds
wall_ratio = {k: med[k] / med["parse"] for k in med}
cpu_ratio = {k: cpu_s[k] / cpu_s["parse"] for k in cpu_s}
spread = {}
for k in ["one", "j2", "pipe"]:
    wr = [res[k]["mean"] / res["parse"]["mean"] for res in per_round]
    cr = [(res[k]["user"] + res[k]["system"]) /
          (res["parse"]["user"] + res["parse"]["system"]) for res in per_round]
    wall_ratio[k], cpu_ratio[k] = statistics.median(wr), statistics.median(cr)
    spread[k] = (min(cr), max(cr))
j2_speed = statistics.median([res["one"]["mean"] / res["j2"]["mean"]
                              for res in per_round])
print("# Benchmarks\n")
print("Written by `make bench` (bench/run.sh); do not edit by hand.\n")
print("The job: per site, n, mean score and satisfaction rate of each of the 8")
print("dimensions of a generated questionnaire file (bench/generate.py: Chinese")
print("labels 满意/较满意/不满意, blanks, N/A, quoted comments with commas, quotes and")
print("newlines, 20 sites, dates over a year).  datamash and Miller read a")
print("numeric-coded copy (they cannot recode labels); everything else reads the")
print("raw file.  Warm page cache.  libcsv and our paths: %d hyperfine sessions" % rounds)
print("one after the other, %s runs each after a warm-up; a ratio is the median" % runs)
print("of the sessions' ratios, each to that session's libcsv runs.  The peers:")
print("one more session of %s runs each, their ratios to libcsv's median.\n" % runs)
print("- rows: %d, raw file: %.1f MB" % (rows, size / 1e6))
print("- machine: %s CPUs, %s; load average before the table: %s\n" % (ncpu, cpu, load))
print("| what | median wall | ratio to libcsv parse-only | MB/s | CPU (user+sys, mean) | CPU ratio | peak RSS |")
print("|---|---|---|---|---|---|---|")
for k in ["parse", "one", "j2", "pipe", "dm", "mlr", "pd"]:
    rss = int(open("%s/rss-%s.txt" % (w, k)).read().split()[-1]) / 1024
    print("| %s | %.2f s | %.2f | %.0f | %.2f s | %.2f | %.1f MiB |" % (
        labels[k], med[k], wall_ratio[k], size / 1e6 / med[k], cpu_s[k],
        cpu_ratio[k], rss))
print("\nSpeed of `-j 2` over one thread (wall, median of the sessions): %.2f×." % j2_speed)
print("The CPU column is the steadier figure when the machine is shared (see the")
print("load average).  CPU ratios of the %d sessions, lowest to highest: %s." % (
    rounds, "; ".join("%s %.2f-%.2f" % (k, spread[k][0], spread[k][1])
                      for k in ["one", "j2", "pipe"])))
print("\nCorrectness guard (in the same run): single thread, `-j 2`, import | score")
print("and two half-file cubes merged by addition give byte-identical tables, and")
print("they, datamash and Miller agree with pandas on every n, mean and rate.")
if chart:
    t = json.load(open(chart))["results"][0]["times"]
    print("\n`survey-chart --report` on a year of generated data (4 quarterly files of")
    print("25000 questionnaires, 20 sites, imported into one stream): median %.2f s." %
          statistics.median(t))
EOF
cat "$TOP/bench/notes.md" >> "$DOC.tmp"
mv "$DOC.tmp" "$DOC"
echo "bench: wrote docs/benchmarks.md"
cat "$DOC"
