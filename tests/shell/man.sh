#!/bin/sh
# Man pages: every page renders without groff warnings, every tool has a
# section-1 page, and its OPTIONS sections list exactly the options of the
# tool's option table (as --help prints it), with the same short letter and
# argument name.
# Environment: SV_BIN (tools), SV_MAN (built pages), SV_TOP (repo root).
set -u
top=${SV_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${SV_BIN:-$top/bin}
man=${SV_MAN:-$top/build/man}
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv-man.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

bad() { echo "FAIL man: $*"; fail=1; }

for page in "$man"/*.[15]; do
    [ -f "$page" ] || { bad "no man pages in $man"; break; }
    LC_ALL=C.UTF-8 groff -k -Tutf8 -man -ww -z "$page" > "$tmp/warn" 2>&1
    [ -s "$tmp/warn" ] && { bad "$(basename "$page") has groff warnings:"; cat "$tmp/warn"; }
done
for t in "$bin"/survey-*; do
    name=$(basename "$t")
    page="$man/$name.1"
    [ -f "$page" ] || { bad "$name has no man page $name.1"; continue; }
    lines=$("$t" --help | wc -l)
    # one screen: a warning, not a failure, so a long help blocks no one
    [ "$lines" -le 40 ] ||
        echo "warning man: $name --help has $lines lines (aim for 24, at most 40)"
    # the page's text with roff escapes removed
    sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' "$page" > "$tmp/page"
    "$t" --help | grep -E '^ +-' |
        grep -oE '(^|[ ,])--?[A-Za-z][-A-Za-z0-9]*' | tr -d ' ,' | sort -u > "$tmp/opts"
    while read -r opt; do
        grep -q -e "$opt\([^-A-Za-z0-9]\|\$\)" "$tmp/page" ||
            bad "$name: option $opt of --help is not in $name.1"
    done < "$tmp/opts"
    # "-c, --codebook FILE" from the option table and from the scd source
    "$t" --help | grep -E '^  (-[A-Za-z], |    )--[a-z]' |
        sed -E 's/^ +//; s/^(-[A-Za-z], )?(--[-a-z]+)( [^ ]+)?.*/\1\2\3/' |
        sort -u > "$tmp/table"
    awk '/^# .*OPTIONS/ { o = 1; next } /^# / { o = 0 } o && /^\*-/' \
        "$top/man/$name.1.scd" |
        sed -E 's/\*//g; s/_//g; s/ +$//; s/^(-[A-Za-z]), --/\1@@--/;
                s/, --/\n--/g; s/@@/, /' | sort -u > "$tmp/scd"
    diff "$tmp/table" "$tmp/scd" > "$tmp/diff" ||
        { bad "$name: option table (<) and $name.1.scd OPTIONS (>) differ:"
          cat "$tmp/diff"; }
done
[ $fail = 0 ] && echo "ok man pages (render, option table = man OPTIONS)"
exit $fail
