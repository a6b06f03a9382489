#!/bin/sh
# Bash completion: options come from each tool's --help, --by completes the
# keys after a comma, --period and --format complete their values.
set -u
top=${SV_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${SV_BIN:-$top/bin}
command -v bash > /dev/null || { echo "skip completion (no bash)"; exit 0; }
out=$(PATH="$bin:$PATH" bash -c '
    . "$1"
    c() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=();
          _survey_toolkit "$1" "${@: -1}" "${@: -2:1}";
          printf "%s " "${COMPREPLY[@]}"; echo; }
    c survey-score --by site,q
    c survey-score --period h
    c survey-nps --format t
    c survey-import --output-enc
    c survey-score --co
    c survey-score --pool s
' sh "$top/completion/survey-toolkit.bash" 2>&1)
expect="site,quarter 
half 
tsv table 
--output-encoding 
--codebook --compare 
sites "
if [ "$out" = "$expect" ]; then
    echo "ok bash completion"
else
    echo "FAIL completion: got:"; echo "$out"; exit 1
fi
