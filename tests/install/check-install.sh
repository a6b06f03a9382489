#!/bin/sh
# `make install DESTDIR=... PREFIX=/usr` into a temporary folder: the tree
# is complete, and a tiny program using survey.h builds with pkg-config
# against it (static and shared) and runs.  Writes nothing in the source
# tree beyond the usual build folders.
set -u
top=${SV_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
bad() { echo "FAIL install: $*"; fail=1; }
d="$tmp/dest"

${MAKE:-make} -s -C "$top" install DESTDIR="$d" PREFIX=/usr > "$tmp/log" 2>&1 ||
    { cat "$tmp/log"; bad "make install failed"; exit 1; }

for f in usr/include/survey.h usr/lib/libsurvey.a usr/lib/pkgconfig/libsurvey.pc \
         usr/share/man/man5/survey-codebook.5 usr/share/man/man5/survey-stream.5 \
         usr/share/bash-completion/completions/survey-import \
         usr/share/survey-toolkit/codebooks/codebook-6item.csv \
         usr/share/survey-toolkit/examples/yearly-summary.sh \
         usr/share/survey-toolkit/fonts/fonts.conf \
         usr/share/survey-toolkit/fonts/survey-cjk-regular.otf \
         usr/share/survey-toolkit/fonts/survey-cjk-bold.otf; do
    [ -f "$d/$f" ] || bad "$f not installed"
done
for t in "$top"/cmd/survey-*.c; do
    n=$(basename "$t" .c)
    [ -x "$d/usr/bin/$n" ] || bad "usr/bin/$n not installed"
    [ -f "$d/usr/share/man/man1/$n.1" ] || bad "man1/$n.1 not installed"
    [ -e "$d/usr/share/bash-completion/completions/$n" ] || bad "completion for $n not installed"
done
so=$(readlink "$d/usr/lib/libsurvey.so")
soname=$(readelf -d "$d/usr/lib/$so" 2>/dev/null | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$so" = libsurvey.so.0 ] && [ "$soname" = libsurvey.so.0 ] &&
    [ -f "$d/usr/lib/$(readlink "$d/usr/lib/libsurvey.so.0")" ] ||
    bad "libsurvey.so -> '$so', soname '$soname'"
[ ! -e "$d/usr/include/chart.h" ] || bad "the internal chart.h was installed"
grep -q '^prefix=/usr$' "$d/usr/lib/pkgconfig/libsurvey.pc" || bad "prefix in libsurvey.pc"
# text files only: binaries carry the build folder in their debug info
grep -rlI "$top" "$d" > /dev/null 2>&1 && bad "the build path is written into installed text files"

# a tiny program using the public header, built through pkg-config
cat > "$tmp/tiny.c" <<'C'
#include <stdio.h>
#include <survey.h>

int main(void)
{
    enum sv_format f;

    if (sv_format_parse("json", &f) != SV_OK || f != SV_FORMAT_JSON)
        return 1;
    printf("%s\n", sv_strerror(SV_OK) ? "libsurvey ok" : "no strerror");
    return 0;
}
C
export PKG_CONFIG_PATH="$d/usr/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$d"
flags=$(pkg-config --cflags --libs libsurvey) || bad "pkg-config --cflags --libs libsurvey"
sflags=$(pkg-config --static --libs libsurvey) || bad "pkg-config --static --libs libsurvey"
cc -std=c11 -Wall -Werror -o "$tmp/tiny-shared" "$tmp/tiny.c" $flags ||
    bad "building against the shared library"
LD_LIBRARY_PATH="$d/usr/lib" "$tmp/tiny-shared" > "$tmp/out" && grep -q 'libsurvey ok' "$tmp/out" ||
    bad "the program linked with libsurvey.so does not run"
cc -std=c11 -Wall -Werror -o "$tmp/tiny-static" "$tmp/tiny.c" \
    $(pkg-config --cflags libsurvey) "$d/usr/lib/libsurvey.a" $sflags ||
    bad "building against the static library"
"$tmp/tiny-static" > /dev/null || bad "the static program does not run"

# the cron example as installed, with cron's PATH: it finds the installed
# tools by itself; the offices come from the data (two file-name prefixes,
# one office); the previous year's cubes give the comparison
s="$top/data-samples" c="$tmp/cubes" cron="env -i PATH=/usr/bin:/bin"
mkdir "$c" "$tmp/yearly"
for q in 1 2 3 4; do
    p=$([ $q -le 2 ] && echo first || echo second)
    $cron "$d/usr/bin/survey-score" -c "$s/codebook-6item.csv" --by site,quarter \
        --freq -o "$c/$p-2026Q$q.cube.csv" "$s/cuihu-2026Q$q.csv" ||
        bad "installed survey-score making a cube"
    sed 's/,2026Q/,2025Q/' "$c/$p-2026Q$q.cube.csv" > "$c/$p-2025Q$q.cube.csv"
done
$cron "$d/usr/share/survey-toolkit/examples/yearly-summary.sh" \
    --company '示例 物业' --households "$s/households.csv" 2026 "$c" "$tmp/yearly" \
    2> "$tmp/cron.err" || { cat "$tmp/cron.err"; bad "installed cron example failed"; }
y="$tmp/yearly/2026-summary-$(date +%Y%m%d)"
grep -q 'found 4 quarterly cubes of 1 offices' "$tmp/cron.err" &&
    ! grep -q warning "$tmp/cron.err" || bad "cron example: offices not taken from the data"
for f in satisfaction all-sites trend change nps; do
    [ "$(head -c 3 "$y/$f-2026.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] ||
        bad "cron example: $f-2026.csv has no BOM"
done
grep -q ',150,' "$y/satisfaction-2026.csv" || bad "cron example: no households"
pdftotext "$y/report-2026.pdf" - 2> /dev/null > "$tmp/report.txt"
grep -q '示例 物业' "$tmp/report.txt" && grep -q '对比 2025' "$tmp/report.txt" ||
    bad "cron example: the report lacks the company or the previous year"

${MAKE:-make} -s -C "$top" uninstall DESTDIR="$d" PREFIX=/usr > "$tmp/log" 2>&1 ||
    { cat "$tmp/log"; bad "make uninstall failed"; }
left=$(find "$d" -type f -o -type l)
[ -z "$left" ] || bad "left after uninstall: $left"
[ $fail = 0 ] && echo "ok make install / pkg-config / uninstall"
exit $fail
