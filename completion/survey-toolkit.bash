# bash completion for the survey toolkit (survey-import, survey-score, ...).
# Options are read from the tool's own --help, so new options complete
# without editing this file.

_survey_toolkit()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -s || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
    fi

    case $prev in
        --by)
            # comma-separated keys: complete the part after the last comma
            local keys="site period month quarter half year"
            local head=${cur%,*} last=${cur##*,}
            if [[ $cur == *,* ]]; then
                COMPREPLY=($(compgen -P "$head," -W "$keys" -- "$last"))
            else
                COMPREPLY=($(compgen -W "$keys" -- "$cur"))
            fi
            compopt -o nospace 2>/dev/null
            return ;;
        --period)
            COMPREPLY=($(compgen -W "month quarter half year" -- "$cur"))
            return ;;
        --format)
            COMPREPLY=($(compgen -W "csv tsv json table xlsx png pdf svg" -- "$cur"))
            return ;;
        --encoding)
            COMPREPLY=($(compgen -W "auto utf-8 gb18030" -- "$cur"))
            return ;;
        --output-encoding)
            COMPREPLY=($(compgen -W "utf-8 gb18030" -- "$cur"))
            return ;;
        --delimiter)
            COMPREPLY=($(compgen -W ", ; | tab" -- "$cur"))
            return ;;
        --type)
            COMPREPLY=($(compgen -W "hist pie bar trend quadrant" -- "$cur"))
            return ;;
        --metric)
            COMPREPLY=($(compgen -W "sat_pct nps" -- "$cur"))
            return ;;
        --p-adjust)
            COMPREPLY=($(compgen -W "holm bh none" -- "$cur"))
            return ;;
        --pool)
            COMPREPLY=($(compgen -W "respondents sites households" -- "$cur"))
            return ;;
        --lang)
            COMPREPLY=($(compgen -W "zh en" -- "$cur"))
            return ;;
        --width)
            COMPREPLY=($(compgen -W "a4 a4-landscape slide small" -- "$cur"))
            return ;;
        --target|--window|--height|--title|--item|--site|--period-key|\
        --company|--office|--date|--font|--sheet)
            return ;;
        -c|--codebook|--households|--template|--deadlines|--history|--complaints)
            COMPREPLY=($(compgen -f -X '!*.@(csv|CSV|tsv|txt)' -- "$cur"))
            compopt -o filenames -o plusdirs 2>/dev/null
            return ;;
        -o|--output|--rejects|--pages)
            COMPREPLY=($(compgen -f -- "$cur"))
            compopt -o filenames 2>/dev/null
            return ;;
    esac

    if [[ $cur == -* ]]; then
        local opts
        opts=$(LC_ALL=C "$1" --help 2>/dev/null |
               grep -oE '(^|[ ,])--?[A-Za-z][-A-Za-z0-9]*' |
               tr -d ' ,' | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
    compopt -o filenames 2>/dev/null
}

complete -F _survey_toolkit survey-import survey-score survey-nps \
    survey-complaints survey-chart
