#!/bin/sh
# yearly-summary.sh — the quality department's yearly summary, unattended.
#
# Usage: yearly-summary.sh YEAR CUBEDIR OUTROOT
#
# Merges the quarterly frequency cubes of every office found in CUBEDIR
# (files named OFFICE-YEARQn.cube.csv, made each quarter with
# `survey-score -c CODEBOOK --by site,quarter --freq -o ...`) into yearly
# figures, without re-reading raw questionnaires, and writes them into the
# dated folder OUTROOT/YEAR-summary-YYYYMMDD:
#   cube-YEAR.csv          the merged yearly cube (site, year)
#   satisfaction-YEAR.csv  satisfaction per office and item, with the
#                          chi-square comparison of the offices
#   all-sites-YEAR.csv     satisfaction of all offices pooled
#   trend-YEAR.csv         per office and item: the trend over the quarters
#   nps-YEAR.csv           NPS per office, when survey-nps is installed
#   report-YEAR.pdf        the yearly report (survey-chart --report)
# The folder appears complete or not at all (built beside it, then renamed).
# Each step logs one line `yearly-summary[PID]: LEVEL: message` on stderr
# (pipe into `logger -t survey` for syslog).  Never reads stdin.  Exit
# status: 0 success, 1 a step failed, 2 bad usage.
set -u
exec < /dev/null

me="yearly-summary[$$]"
log() { printf '%s: %s\n' "$me" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ $# -eq 3 ] || { log "error: usage: yearly-summary.sh YEAR CUBEDIR OUTROOT"; exit 2; }
year=$1 cubes=$2 outroot=$3
case $year in
    [12][0-9][0-9][0-9]) ;;
    *) log "error: invalid year '$year' (expected 4 digits)"; exit 2 ;;
esac
[ -d "$cubes" ] || die "cube folder '$cubes' not found"
[ -d "$outroot" ] || die "output folder '$outroot' not found"
command -v survey-score > /dev/null || die "survey-score not found in PATH"

# the quarterly cubes of the year, and the offices they come from
set --
for f in "$cubes"/*-"$year"Q[1-4].cube.csv; do
    [ -f "$f" ] && set -- "$@" "$f"
done
[ $# -gt 0 ] || die "no quarterly cubes *-${year}Qn.cube.csv in '$cubes'"
offices=$(for f in "$@"; do b=${f##*/}; echo "${b%-"$year"Q?.cube.csv}"; done | sort -u)
noffices=$(echo "$offices" | wc -l | tr -d ' ')
log "info: found $# quarterly cubes of $noffices offices for $year"
for o in $offices; do
    n=$(for f in "$@"; do case ${f##*/} in "$o-$year"Q?.cube.csv) echo; esac; done | wc -l)
    [ "$n" -eq 4 ] || log "warning: office '$o' has $n of 4 quarters"
done

final="$outroot/$year-summary-$(date +%Y%m%d)"
tmp=$(mktemp -d "$outroot/.$year-summary.XXXXXX") || die "cannot create a folder in '$outroot'"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

step() { # step NAME COMMAND...: runs COMMAND, logs one line, stops on failure
    name=$1; shift
    if "$@"; then log "info: $name: ok"; else die "$name: failed (status $?)"; fi
}

step "merge cubes into cube-$year.csv" \
    survey-score --freq --by site,year -o "$tmp/cube-$year.csv" "$@"
step "satisfaction-$year.csv" \
    survey-score --by site,year --sites -o "$tmp/satisfaction-$year.csv" \
    "$tmp/cube-$year.csv"
step "all-sites-$year.csv" \
    survey-score --by year -o "$tmp/all-sites-$year.csv" "$tmp/cube-$year.csv"
step "trend-$year.csv" \
    survey-score --by site,quarter --trend -o "$tmp/trend-$year.csv" "$@"
if command -v survey-nps > /dev/null; then
    step "nps-$year.csv" \
        survey-nps --by site,year -o "$tmp/nps-$year.csv" "$tmp/cube-$year.csv"
else
    log "info: nps-$year.csv: skipped (survey-nps not installed)"
fi
# The yearly report: the quarterly cubes, reported for the whole year.
if ! command -v survey-chart > /dev/null; then
    log "info: report-$year.pdf: skipped (survey-chart not installed)"
else
    step "report-$year.pdf" \
        survey-chart --report --period-key "$year" -o "$tmp/report-$year.pdf" \
        "$@"
fi

chmod 755 "$tmp" || die "cannot set the permissions of '$tmp'"
if [ -e "$final" ]; then
    old="$final.old.$$"
    mv "$final" "$old" || die "cannot move the earlier '$final' aside"
    mv "$tmp" "$final" || { mv "$old" "$final"; die "cannot rename into '$final'"; }
    rm -rf "$old"
else
    mv "$tmp" "$final" || die "cannot rename into '$final'"
fi
trap - EXIT
log "info: done: $final"
