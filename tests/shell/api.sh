#!/bin/sh
# API checks (STYLE 3.6): libsurvey.a defines only sv_ symbols, the shared
# library exports exactly the functions survey.h declares (nothing of
# internal.h), and the public header compiles on its own, in C and in C++
# when there is a C++ compiler; no library string names an option or a
# tool.
set -u
top=${SV_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
lib=${SV_BUILD:-$top/build}/libsurvey.a
fail=0
bad=$(nm -g --defined-only "$lib" | awk 'NF == 3 && $2 ~ /[TDBRC]/ {print $3}' |
      grep -v '^sv_' | sort -u)
if [ -n "$bad" ]; then
    echo "FAIL api: libsurvey.a exports symbols without the sv_ prefix:"
    echo "$bad"
    fail=1
fi
so=${SV_SO:-}
if [ -n "$so" ] && [ -f "$so" ]; then
    # _edata, _end and __bss_start are the linker's section marks, which
    # ld exports when a linked library (libxlsxwriter) exports them too
    nm -D --defined-only "$so" | awk '$2 ~ /[TDBR]/ {print $3}' |
        grep -vxE '_edata|_end|__bss_start' | sort -u \
        > "${TMPDIR:-/tmp}/sv-api-so.$$"
    grep -oE '\bsv_[a-z0-9_]+\(' "$top/libsurvey/survey.h" | tr -d '(' |
        sort -u > "${TMPDIR:-/tmp}/sv-api-h.$$"
    extra=$(comm -23 "${TMPDIR:-/tmp}/sv-api-so.$$" "${TMPDIR:-/tmp}/sv-api-h.$$")
    missing=$(comm -13 "${TMPDIR:-/tmp}/sv-api-so.$$" "${TMPDIR:-/tmp}/sv-api-h.$$")
    rm -f "${TMPDIR:-/tmp}/sv-api-so.$$" "${TMPDIR:-/tmp}/sv-api-h.$$"
    if [ -n "$extra" ]; then
        echo "FAIL api: $(basename "$so") exports symbols survey.h does not declare:"
        echo "$extra"
        fail=1
    fi
    if [ -n "$missing" ]; then
        echo "FAIL api: survey.h declares functions $(basename "$so") does not export (mark them SV_API):"
        echo "$missing"
        fail=1
    fi
fi
# libsurvey is installed for other programs: its messages name conditions
# and subjects, never a tool's option or a tool (the tools add those)
words=$(grep -nE '"[^"]*(--[a-z]|survey-(import|score|nps|complaints|chart))' \
            "$top"/libsurvey/*.c | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*)')
if [ -n "$words" ]; then
    echo "FAIL api: library strings name an option or a tool:"
    echo "$words"
    fail=1
fi
echo '#include "survey.h"' |
    ${CC:-cc} -std=c11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only \
        -I"$top/libsurvey" -x c - || { echo "FAIL api: survey.h alone (C)"; fail=1; }
if command -v c++ > /dev/null; then
    echo '#include "survey.h"' |
        c++ -Wall -Wextra -Werror -fsyntax-only -I"$top/libsurvey" -x c++ - ||
        { echo "FAIL api: survey.h alone (C++)"; fail=1; }
fi
[ $fail = 0 ] && echo "ok api (sv_ exports only, .so = survey.h, survey.h alone, no option or tool in library strings)"
exit $fail
