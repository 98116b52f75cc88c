# Bash completion for the ivrkit commands: ivr-sim, ivr-dtmf, ivr-tts,
# ivr-asr and ivr-send-sms. Installed once per command name under
# share/bash-completion/completions, where bash-completion loads it on first
# use; or source it from ~/.bashrc.
#
# The options are read from the command's own --help, the table the command
# prints for people, so completion cannot drift from what the command
# accepts. What an option's value is comes from its placeholder there
# (FILE, DIR, ENC, ...); a few values are named lists (voices, layouts).

# _ivrkit_options CMD [SUBCOMMAND]: "option PLACEHOLDER" lines (placeholder
# empty for a flag). For ivr-dtmf, the options of the subcommand's section
# and the ones outside both sections (--help, --version).
_ivrkit_options()
{
    local cmd=$1 sub=$2
    "$cmd" --help 2>/dev/null | awk -v want="$sub" '
        /^(gen|detect) options:$/ { section = $1; next }
        /^$/ { section = "" }
        section != "" && section != want { next }
        match($0, /^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*( [A-Z][A-Z0-9=_\/.]*)?/) {
            n = split(substr($0, RSTART, RLENGTH), w, /[ ,]+/)
            opt = ""; arg = ""
            for (i = 1; i <= n; i++) {
                if (w[i] ~ /^--/) opt = w[i]
                else if (w[i] ~ /^-[a-zA-Z]$/) short = w[i]
                else if (w[i] ~ /^[A-Z]/) arg = w[i]
            }
            print opt, arg
            if (short != "") print short, arg
            short = ""
        }'
}

# _ivrkit_files EXT...: files with one of the extensions, and folders
_ivrkit_files()
{
    local cur=$1 ext
    shift
    local IFS=$'\n'
    COMPREPLY=($(compgen -d -- "$cur"))
    for ext in "$@"; do
        COMPREPLY+=($(compgen -f -X "!*.$ext" -- "$cur"))
    done
    compopt -o filenames 2>/dev/null
}

# _ivrkit_value CMD OPTION PLACEHOLDER CUR: the values an option takes.
# Word lists are one per line: IFS is a newline so file names may hold blanks.
_ivrkit_value()
{
    local cmd=$1 opt=$2 arg=$3 cur=$4 IFS=$'\n'
    case $opt in
    --voice|--caller-voice)
        COMPREPLY=($(compgen -W "$(ivr-tts --list-voices 2>/dev/null |
            awk '{print $1}')" -- "$cur"))
        compopt -o filenames 2>/dev/null
        COMPREPLY+=($(compgen -f -X '!*.flitevox' -- "$cur"))
        return ;;
    --layout)
        COMPREPLY=($(compgen -W $'auto\nmix\ncaller' -- "$cur")); return ;;
    --backend|--sms-backend)
        COMPREPLY=($(compgen -W $'outbox\nkannel\nhttp' -- "$cur")); return ;;
    --grammar)
        _ivrkit_files "$cur" gram jsgf; return ;;
    -i|--input)
        _ivrkit_files "$cur" wav WAV flac au aiff aif raw ulaw; return ;;
    --events)
        _ivrkit_files "$cur" jsonl json; return ;;
    esac
    case $arg in
    ENC)
        COMPREPLY=($(compgen -W $'s16\ns24\ns32\nf32\nulaw\nalaw\nu8' -- "$cur")) ;;
    DIR)
        COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null ;;
    FILE)
        COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null ;;
    *)
        COMPREPLY=() ;;  # a number, a time, a name: nothing to offer
    esac
}

_ivrkit()
{
    local cmd=${COMP_WORDS[0]##*/} cur=${COMP_WORDS[COMP_CWORD]}
    local prev=${COMP_WORDS[COMP_CWORD-1]} sub="" table arg i w test=0
    local IFS=$'\n'

    COMPREPLY=()
    if [[ $cmd == ivr-dtmf ]]; then
        if ((COMP_CWORD == 1)); then
            COMPREPLY=($(compgen -W $'gen\ndetect\n--help\n--version' -- "$cur"))
            return
        fi
        sub=${COMP_WORDS[1]}
    fi
    for ((i = 1; i < COMP_CWORD; i++)); do
        [[ ${COMP_WORDS[i]} == --test ]] && test=1
    done
    table=$(_ivrkit_options "$cmd" "$sub")
    # the value of an option given as the word before
    if [[ $prev == -* ]]; then
        arg=$(awk -v o="$prev" '$1 == o { print $2; exit }' <<<"$table")
        if [[ -n $arg ]]; then
            _ivrkit_value "$cmd" "$prev" "$arg" "$cur"
            return
        fi
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(awk '{print $1}' <<<"$table")" -- "$cur"))
        return
    fi
    case $cmd in
    ivr-sim)
        if ((test)); then _ivrkit_files "$cur" call; else _ivrkit_files "$cur" ivr; fi ;;
    ivr-asr|ivr-dtmf)
        [[ $sub == gen ]] && return  # DIGITS
        _ivrkit_files "$cur" wav WAV flac au aiff aif raw ulaw ;;
    *) ;;  # text to speak or send
    esac
}

complete -F _ivrkit ivr-sim ivr-dtmf ivr-tts ivr-asr ivr-send-sms
