#!/usr/bin/env bash
# Bad-input corpus runner (issue 6).  Two kinds of cases:
#
#  * tests/bad/MANIFEST, one case per line, four TAB-separated fields:
#        name  status  stderr-regex  command
#    STATUS is an extended regex the exit status must match as a whole
#    (e.g. 1, 2, 0|141); STDERR-REGEX is an extended regex some line of
#    stderr must match, or `-` for an empty stderr.  COMMAND runs through
#    bash -c in a fresh temporary directory (also $T) with the tools on
#    PATH; $BAD is tests/bad/in, $GEN the generator (gen.sh), $SAMPLES
#    data-samples.
#  * tests/bad/cases/*.sh, scripts for what a one-liner cannot say (atomic
#    output, signals, personal data); each exits 0 on success and prints
#    why it failed otherwise.  Same environment.
#
# Every case must also: exit below 128 unless STATUS allows it (no crash),
# print only lines that start with the tool's name (one line per message),
# have its summary line add up (rows read = imported + rejected), and
# leave no temporary output file behind.  A survey-import case is run a
# second time with --rejects, which must not crash and must add up too.
# Environment: SV_BIN (tools), SV_TOP (repo root), SV_WRAP (e.g. valgrind).
set -u
top=${SV_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${SV_BIN:-$top/bin}
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv-bad.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

mkdir -p "$tmp/bin"
for t in "$bin"/survey-*; do
    name=$(basename "$t")
    printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${SV_WRAP:-}" "$t" > "$tmp/bin/$name"
    chmod +x "$tmp/bin/$name"
done
export PATH="$tmp/bin:$PATH" LC_ALL=C BAD="$top/tests/bad/in" \
       GEN="sh $top/tests/bad/gen.sh" SAMPLES="$top/data-samples" SV_TOP="$top"

# Checks common to every run; prints the reasons of a failure.
generic_checks() { # status-regex status errfile workdir
    local allow=$1 st=$2 err=$3 work=$4 line
    if [ "$st" -ge 128 ] && ! [[ $st =~ ^($allow)$ ]]; then
        echo "  crashed (status $st)"
    fi
    if grep -Ev "^Try 'survey-[a-z]+ --help' for more information\.$" "$err" | grep -Evq '^survey-[a-z]+: '; then
        echo "  stderr lines not of the form 'tool: message':"
        grep -Ev '^survey-[a-z]+: ' "$err" | grep -v "^Try '" | head -5 | sed 's/^/    /'
    fi
    line=$(grep -E '^survey-[a-z]+: [0-9]+ rows read, [0-9]+ imported, [0-9]+ rejected$' "$err" | tail -1)
    if [ -n "$line" ]; then
        set -- $(echo "$line" | tr -cs '0-9' ' ')
        [ $(($2 + $3)) = "$1" ] || echo "  summary does not add up: $line"
    fi
    if find "$work" -name '*.tmp*' | grep -q .; then
        echo "  temporary file left behind: $(find "$work" -name '*.tmp*' | head -1)"
    fi
}

run_case() { # name status regex command
    local name=$1 want=$2 re=$3 cmd=$4 work="$tmp/w" st why
    rm -rf "$work" && mkdir -p "$work"
    (cd "$work" && T="$work" bash -c "$cmd" > "$tmp/out" 2> "$tmp/err")
    st=$?
    why=$(generic_checks "$want" "$st" "$tmp/err" "$work")
    [[ $st =~ ^($want)$ ]] || why+=$'\n'"  exit status $st, expected $want"
    if [ "$re" = - ]; then
        [ -s "$tmp/err" ] && why+=$'\n'"  stderr not empty"
    elif ! grep -Eq -- "$re" "$tmp/err"; then
        why+=$'\n'"  stderr does not match /$re/"
    fi
    if [[ $cmd == survey-import\ * ]]; then
        rm -rf "$work" && mkdir -p "$work"
        (cd "$work" && T="$work" bash -c \
            "survey-import --rejects \"\$T/rejects.csv\" ${cmd#survey-import }" \
            > /dev/null 2> "$tmp/err2")
        st=$?
        why+=$(generic_checks "$want" "$st" "$tmp/err2" "$work" | sed 's/^/ (--rejects)/')
        [ $st -le 2 ] || [[ $st =~ ^($want)$ ]] ||
            why+=$'\n'" (--rejects) exit status $st"
    fi
    report "$name" "$why" "$tmp/err"
}

report() { # name reasons errfile
    if [ -z "$(echo "$2" | tr -d '[:space:]')" ]; then
        pass=$((pass + 1)); echo "ok $1"
    else
        fail=$((fail + 1)); echo "FAIL $1"; echo "$2" | sed '/^$/d'
        [ -f "$3" ] && head -c 2000 "$3" | sed 's/^/  stderr: /'
    fi
}

while IFS=$'\t' read -r name want re cmd; do
    case $name in ''|'#'*) continue ;; esac
    run_case "$name" "$want" "$re" "$cmd"
done < "$top/tests/bad/MANIFEST"

for script in "$top"/tests/bad/cases/*.sh; do
    [ -f "$script" ] || continue
    work="$tmp/w" && rm -rf "$work" && mkdir -p "$work"
    why=$(cd "$work" && T="$work" bash "$script" 2>&1)
    st=$?
    [ $st = 0 ] || why+=$'\n'"  exit status $st"
    [ $st = 0 ] && why=
    report "$(basename "$script" .sh)" "$why" /dev/null
done

echo "$pass passed, $fail failed"
[ $fail = 0 ]
