#!/bin/sh
# API checks (STYLE 3.6): libsurvey.a defines only sv_ symbols, and the
# public header compiles on its own, in C and in C++ when there is a C++
# compiler.
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
echo '#include "survey.h"' |
    ${CC:-cc} -std=c11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only \
        -I"$top/libsurvey" -x c - || { echo "FAIL api: survey.h alone (C)"; fail=1; }
if command -v c++ > /dev/null; then
    echo '#include "survey.h"' |
        c++ -Wall -Wextra -Werror -fsyntax-only -I"$top/libsurvey" -x c++ - ||
        { echo "FAIL api: survey.h alone (C++)"; fail=1; }
fi
[ $fail = 0 ] && echo "ok api (sv_ exports only, survey.h alone)"
exit $fail
