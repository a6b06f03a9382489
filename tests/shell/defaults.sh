#!/bin/sh
# Defaults shown by --help are the ones in force (issue 12).  Help texts
# print the library's named constants ("(default {target})"), so this
# test checks the three places that could still drift apart:
#   - no --help shows an unresolved "{name}";
#   - each default a --help line shows is the one the man page states for
#     that option;
#   - passing the shown default explicitly gives the same output as
#     leaving the option out (and another value does not, so the option
#     is live), and "significant" follows the alpha --help shows.
# Environment: SV_BIN (tools), SV_TOP (repo root).
set -u
top=${SV_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${SV_BIN:-$top/bin}
s=$top/data-samples
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv-defaults.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

bad() { echo "FAIL defaults: $*"; fail=1; }

# The numbers of option OPT's help entry of TOOL, one per line.
help_numbers() {
    "$bin/$1" --help | awk -v o="--$2" '
        $1 == o || $2 == o { on = 1; print; next }
        on && /^                    +[^ -]/ { print; next }
        { on = 0 }' | sed 's/^ *--[-a-z]* [A-Z]* *//' |
        grep -oE '[0-9]+(\.[0-9]+)?'
}

# The man page paragraph of option OPT of TOOL (roff escapes removed).
man_text() {
    awk -v o="*--$2*" 'index($0, o) == 1 && /^\*--[-a-z]+\*( _[A-Z]+_)?$/ {
            on = 1; next }
        on && /^$/ { exit } on { print }' "$top/man/$1.1.scd"
}

for t in "$bin"/survey-*; do
    "$t" --help | grep -n '{[a-z_]*}' > "$tmp/unresolved" &&
        bad "$(basename "$t") --help: unresolved $(cat "$tmp/unresolved")"
done

for pair in survey-score:target survey-chart:target survey-score:compare \
            survey-nps:compare survey-complaints:window \
            survey-complaints:deadlines; do
    tool=${pair%%:*} opt=${pair#*:}
    nums=$(help_numbers "$tool" "$opt")
    [ -n "$nums" ] || { bad "$tool --help shows no default for --$opt"; continue; }
    man_text "$tool" "$opt" | tr '\n' ' ' > "$tmp/man"
    for n in $nums; do
        grep -qE "(^|[^0-9.])$n([^0-9]|\$)" "$tmp/man" ||
            bad "$tool --$opt: --help shows $n, $tool.1 does not"
    done
done

# Same output with the shown default as without the option; different
# with another value.
same() {
    label=$1; shift
    "$@" > "$tmp/with" 2>&1 || bad "$label: failed: $(head -1 "$tmp/with")"
    cmp -s "$tmp/without" "$tmp/with" ||
        bad "$label: output differs from the default's (help shows a default not in force)"
}
differs() {
    label=$1; shift
    "$@" > "$tmp/other" 2>&1
    cmp -s "$tmp/without" "$tmp/other" &&
        bad "$label: another value changes nothing (the check could not fail)"
}

"$bin/survey-import" -c "$s/codebook-8item.csv" -o "$tmp/q.csv" \
    "$s"/tianchengmeiya-2026Q[1-4].csv 2> "$tmp/err" ||
    bad "import questionnaires: $(cat "$tmp/err")"
"$bin/survey-import" -c "$s/codebook-register.csv" -o "$tmp/r.csv" \
    "$s/complaints-2026.csv" 2> "$tmp/err" ||
    bad "import register: $(cat "$tmp/err")"

target=$(help_numbers survey-score target)
"$bin/survey-score" --by site,楼栋 "$tmp/q.csv" > "$tmp/without" 2>&1
same "survey-score --target $target" \
    "$bin/survey-score" --by site,楼栋 --target "$target" "$tmp/q.csv"
differs "survey-score --target" \
    "$bin/survey-score" --by site,楼栋 --target 97.5 "$tmp/q.csv"

alpha=$(help_numbers survey-score compare)
"$bin/survey-score" --by site --compare "$tmp/q.csv" > "$tmp/cmp" 2>&1
awk -F, -v a="$alpha" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["delta_p_adj"] != "" {
        n++
        want = ($col["delta_p_adj"] + 0 < a + 0) ? 1 : 0
        if ($col["significant"] + 0 != want) { print; bad++ }
        if (want) sig++
    }
    END { if (bad || !n || !sig || sig == n) exit 1 }' "$tmp/cmp" > "$tmp/wrong" ||
    bad "survey-score --compare: significant does not follow p < $alpha (or no row on either side): $(head -2 "$tmp/wrong")"

window=$(help_numbers survey-complaints window)
"$bin/survey-complaints" --by site "$tmp/r.csv" > "$tmp/without" 2>&1
same "survey-complaints --window $window" \
    "$bin/survey-complaints" --by site --window "$window" "$tmp/r.csv"
differs "survey-complaints --window" \
    "$bin/survey-complaints" --by site --window 3 "$tmp/r.csv"

set -- $(help_numbers survey-complaints deadlines)
printf 'category_or_urgency,hours\nnormal,%s\nurgent,%s\n' "$1" "$2" > "$tmp/dl.csv"
printf 'category_or_urgency,hours\nnormal,%s\nurgent,%s\n' 2 "$2" > "$tmp/dl2.csv"
same "survey-complaints --deadlines (normal $1 h, urgent $2 h)" \
    "$bin/survey-complaints" --by site --deadlines "$tmp/dl.csv" "$tmp/r.csv"
differs "survey-complaints --deadlines" \
    "$bin/survey-complaints" --by site --deadlines "$tmp/dl2.csv" "$tmp/r.csv"

[ $fail = 0 ] && echo "ok defaults (--help = man page = behaviour)"
exit $fail
