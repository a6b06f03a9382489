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

${MAKE:-make} -s -C "$top" uninstall DESTDIR="$d" PREFIX=/usr > "$tmp/log" 2>&1 ||
    { cat "$tmp/log"; bad "make uninstall failed"; }
left=$(find "$d" -type f -o -type l)
[ -z "$left" ] || bad "left after uninstall: $left"
[ $fail = 0 ] && echo "ok make install / pkg-config / uninstall"
exit $fail
