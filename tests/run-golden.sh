#!/bin/sh
# Golden tests: each tests/cli/<tool>/<NNN-name>/ holds `args` (one line,
# run through the shell in a temporary copy of the case directory with the
# tools on PATH), optional `stdin`, and expected.out / expected.err /
# expected.status.  A missing expected file is written from the actual
# output and the case fails (review it, then commit).
# Environment: SV_BIN (tools), SV_TOP (repo root), SV_WRAP (e.g. valgrind).
set -u
top=${SV_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
bin=${SV_BIN:-$top/bin}
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv-golden.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# Wrappers put SV_WRAP in front of every tool.
mkdir -p "$tmp/bin"
for t in "$bin"/survey-*; do
    name=$(basename "$t")
    printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${SV_WRAP:-}" "$t" > "$tmp/bin/$name"
    chmod +x "$tmp/bin/$name"
done

normalise() {
    # version strings and temporary paths
    sed -e 's/(survey toolkit) [0-9][0-9.]*/(survey toolkit) VERSION/' \
        -e "s#$1#TMPDIR#g"
}

for case in "$top"/tests/cli/*/*/; do
    case=${case%/}
    [ -f "$case/args" ] || continue
    name=${case#"$top"/tests/cli/}
    work="$tmp/work"
    rm -rf "$work" && cp -R "$case" "$work" && chmod -R u+w "$work"
    args=$(cat "$case/args")
    if [ -f "$case/stdin" ]; then in="$case/stdin"; else in=/dev/null; fi
    (cd "$work" && LC_ALL=C PATH="$tmp/bin:$PATH" SV_TOP="$top" \
        SAMPLES="$top/data-samples" sh -c "$args" < "$in" \
        > "$tmp/out" 2> "$tmp/err"; echo $? > "$tmp/status")
    normalise "$work" < "$tmp/out" > "$tmp/out.n"
    normalise "$work" < "$tmp/err" > "$tmp/err.n"
    ok=1
    for k in out err status; do
        src="$tmp/$k.n"; [ $k = status ] && src="$tmp/status"
        if [ ! -f "$case/expected.$k" ]; then
            cp "$src" "$case/expected.$k"
            echo "new expected.$k written for $name"
            ok=0
        elif ! diff -u "$case/expected.$k" "$src" > "$tmp/diff"; then
            ok=0
            cat "$tmp/diff"
        fi
    done
    if [ $ok = 1 ]; then
        pass=$((pass + 1)); echo "ok $name"
    else
        fail=$((fail + 1)); echo "FAIL $name"
    fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
