#!/bin/sh
# run.sh SET BUILD [HALF...]: ivr-asr over make-set.sh's SET (both halves,
# or those given), as a menu would use it
# (the half's choices for single words, samples/digits.gram for digit
# strings, and the digit strings again as a menu that collects a value by
# speech hears them: its choices and "<digits oh double>"), one line a
# half and condition:
#   HALF COND in RIGHT TOTAL out REJECTED TOTAL digits ERRORS WORDS EXACT N
#   menu-digits ERRORS WORDS EXACT N
set -eu
set_dir=$1
B=$2
here=$(dirname "$0")
top=$here/../..
shift 2
for half in ${@:-tune test}; do
    d=$set_dir/$half
    for c in clean noisy; do
        words=$(awk -v p="$d/$c/" '$2 != "digits" { print p $1 ".wav" }' "$d/labels")
        digits=$(awk -v p="$d/$c/" '$2 == "digits" { print p $1 ".wav" }' "$d/labels")
        # shellcheck disable=SC2086
        "$B/ivr-asr" --json --choices "$(cat "$d/choices")" $words \
            >"$d/$c-words.jsonl" 2>/dev/null || true
        # shellcheck disable=SC2086
        "$B/ivr-asr" --json --grammar "$top/samples/digits.gram" $digits \
            >"$d/$c-digits.jsonl" 2>/dev/null || true
        # shellcheck disable=SC2086
        "$B/ivr-asr" --json --choices "$(cat "$d/choices")|<digits oh double>" \
            $digits >"$d/$c-menu-digits.jsonl" 2>/dev/null || true
        echo "$half $c $(perl "$here/score.pl" "$d/labels" "$d/$c-words.jsonl" \
            "$d/$c-digits.jsonl" | tr '\n' ' ')menu-$(perl "$here/score.pl" \
            "$d/labels" "$d/$c-menu-digits.jsonl" | sed -n 's/^digits/digits/p')"
    done
done
