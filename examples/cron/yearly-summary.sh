#!/bin/sh
# yearly-summary.sh — the quality department's yearly summary, unattended.
#
# Usage: yearly-summary.sh [--company NAME] [--households FILE]
#                          YEAR CUBEDIR OUTROOT
#
# Merges the quarterly frequency cubes found in CUBEDIR (files named
# ANY-YEARQn.cube.csv, made each quarter with
# `survey-score -c CODEBOOK --by site,quarter --freq -o ...`) into yearly
# figures, without re-reading raw questionnaires, and writes them into the
# dated folder OUTROOT/YEAR-summary-YYYYMMDD:
#   cube-YEAR.csv          the merged yearly cube (site, year)
#   satisfaction-YEAR.csv  satisfaction per office and item, with the
#                          chi-square comparison of the offices (and the
#                          coverage with --households)
#   all-sites-YEAR.csv     satisfaction of all offices pooled
#   trend-YEAR.csv         per office and item: the trend over the quarters
#   change-YEAR.csv        per office and item: the change since the
#                          previous year, when its cubes are in CUBEDIR
#   nps-YEAR.csv           NPS per office, when survey-nps is installed
#   report-YEAR.pdf        the yearly report (survey-chart --report),
#                          compared with the previous year when its cubes
#                          are in CUBEDIR
# The offices are the sites the cubes hold, whatever the files are called.
# The tables carry a UTF-8 BOM, so that Excel opens them right; the cube
# stays plain, for the tools.  --company NAME goes on the report's cover;
# --households FILE (site,households CSV) gives the coverage.
# The folder appears complete or not at all (built beside it, then renamed).
# Each step logs one line `yearly-summary[PID]: LEVEL: message` on stderr
# (pipe into `logger -t survey` for syslog).  Never reads stdin.  Exit
# status: 0 success, 1 a step failed, 2 bad usage.
set -u
exec < /dev/null
# cron's PATH is /usr/bin:/bin: the tools installed beside this script
# (PREFIX/share/survey-toolkit/examples -> PREFIX/bin) come first
here=$(cd "$(dirname "$0")" && pwd)
PATH="$here/../../../bin${PATH:+:$PATH}:/usr/local/bin:/usr/bin:/bin"
export PATH

me="yearly-summary[$$]"
log() { printf '%s: %s\n' "$me" "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage() { log "error: $*"; exit 2; }

company= households=
while [ $# -gt 0 ]; do
    case $1 in
        --company) [ $# -ge 2 ] || usage "--company needs a NAME"
                   company=$2; shift 2 ;;
        --households) [ $# -ge 2 ] || usage "--households needs a FILE"
                      households=$2; shift 2 ;;
        --) shift; break ;;
        -*) usage "unknown option '$1'" ;;
        *) break ;;
    esac
done
[ $# -eq 3 ] || usage "usage: yearly-summary.sh [--company NAME] [--households FILE] YEAR CUBEDIR OUTROOT"
year=$1 cubes=$2 outroot=$3
case $year in
    [12][0-9][0-9][0-9]) ;;
    *) log "error: invalid year '$year' (expected 4 digits)"; exit 2 ;;
esac
[ -d "$cubes" ] || die "cube folder '$cubes' not found"
[ -d "$outroot" ] || die "output folder '$outroot' not found"
[ -z "$households" ] || [ -f "$households" ] ||
    die "households file '$households' not found"
command -v survey-score > /dev/null || die "survey-score not found in PATH"

# the quarterly cubes of the year, and the previous year's for comparison
prev=$((year - 1))
has_prev=0
for f in "$cubes"/*-"$prev"Q[1-4].cube.csv; do
    [ -f "$f" ] && has_prev=1
done
set --
for f in "$cubes"/*-"$year"Q[1-4].cube.csv; do
    [ -f "$f" ] && set -- "$@" "$f"
done
[ $# -gt 0 ] || die "no quarterly cubes *-${year}Qn.cube.csv in '$cubes'"

# the offices are the sites in the cubes, with their quarters
pairs=$(survey-score --by site,quarter --format tsv "$@" | tail -n +2 |
        cut -f1,2 | sort -u) && [ -n "$pairs" ] ||
    die "cannot read the sites of the cubes"
offices=$(printf '%s\n' "$pairs" | cut -f1 | sort -u)
noffices=$(printf '%s\n' "$offices" | grep -c .)
log "info: found $# quarterly cubes of $noffices offices for $year"
printf '%s\n' "$offices" | while IFS= read -r o; do
    n=$(printf '%s\n' "$pairs" | awk -F '\t' -v o="$o" '$1 == o' | wc -l)
    [ "$n" -eq 4 ] || log "warning: office '$o' has $n of 4 quarters"
done
[ $has_prev = 1 ] || log "info: no cubes of $prev in '$cubes': nothing to compare with"

final="$outroot/$year-summary-$(date +%Y%m%d)"
tmp=$(mktemp -d "$outroot/.$year-summary.XXXXXX") || die "cannot create a folder in '$outroot'"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

step() { # step NAME COMMAND...: runs COMMAND, logs one line, stops on failure
    name=$1; shift
    if "$@"; then log "info: $name: ok"; else die "$name: failed (status $?)"; fi
}

# with_prev COMMAND...: runs COMMAND with the previous year's cubes added
with_prev() {
    for f in "$cubes"/*-"$prev"Q[1-4].cube.csv; do
        [ -f "$f" ] && set -- "$@" "$f"
    done
    "$@"
}

step "merge cubes into cube-$year.csv" \
    survey-score --freq --by site,year -o "$tmp/cube-$year.csv" "$@"
step "satisfaction-$year.csv" \
    survey-score --by site,year --sites --bom \
    ${households:+--households "$households"} \
    -o "$tmp/satisfaction-$year.csv" "$@"
step "all-sites-$year.csv" \
    survey-score --by year --bom -o "$tmp/all-sites-$year.csv" \
    "$tmp/cube-$year.csv"
step "trend-$year.csv" \
    survey-score --by site,quarter --trend --bom -o "$tmp/trend-$year.csv" "$@"
if [ $has_prev = 1 ]; then
    step "change-$year.csv" with_prev \
        survey-score --by site,year --compare --bom \
        -o "$tmp/change-$year.csv" "$@"
fi
if command -v survey-nps > /dev/null; then
    step "nps-$year.csv" \
        survey-nps --by site,year --bom -o "$tmp/nps-$year.csv" \
        "$tmp/cube-$year.csv"
else
    log "info: nps-$year.csv: skipped (survey-nps not installed)"
fi
# The yearly report: the quarterly cubes, reported for the whole year and
# compared with the previous year's.
if ! command -v survey-chart > /dev/null; then
    log "info: report-$year.pdf: skipped (survey-chart not installed)"
else
    step "report-$year.pdf" with_prev \
        survey-chart --report --period-key "$year" \
        ${company:+--company "$company"} \
        ${households:+--households "$households"} \
        -o "$tmp/report-$year.pdf" "$@"
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
