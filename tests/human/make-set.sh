#!/bin/sh
# make-set.sh DIR: recorded human speech for the recogniser, from Debian's
# Asterisk prompt packages (people reading an IVR's words, 8 kHz): a menu
# of choice words said alone (in-menu), words that are no choice (off-menu:
# English prompts outside the menu, and the same prompts in Spanish,
# French, Italian and Russian), and digit strings read out one digit at a
# time. Two halves that share no recording: "tune" (the NATO words alpha
# to lima, half the English prompts, Spanish and French) may be looked at
# while the recogniser is tuned; "test" (mike to zulu, the other English
# prompts, Italian and Russian) may not. Each utterance is made clean
# (linear 8 kHz) and as a call carries it (mu-law with line noise 15 dB
# under the speech).
#
# DIR/HALF/labels: "file kind expected" lines; kind in, out or digits.
# DIR/HALF/choices: the half's menu (ivr-asr --choices).
set -eu
dir=$1
S=/usr/share/asterisk/sounds
en=$S/en_US_f_Allison
for d in "$en" "$S/es_MX_f_Allison" "$S/fr_CA_f_June" "$S/it_IT_m_Carlo" \
         "$S/ru_RU_f_IvrvoiceRU"; do
    [ -d "$d" ] || { echo "make-set.sh: $d missing (make deps)" >&2; exit 4; }
done
export SOX_OPTS=-R

# one-word English prompts, split alternately between the halves
words="activated added calling cancelled disabled enabled extension goodbye
hello hours invalid location lowercase minute minutes number removed second
seconds sorry transfer uppercase"

# put SRC HALF NAME KIND EXPECTED: the clean and the noisy copy, labelled
put() {
    src=$1 half=$2 name=$3
    out=$dir/$2
    sox "$src" -r 8000 -c 1 -b 16 "$out/clean/$name.wav"
    # line noise 15 dB under the speech's RMS: pink noise, telephone band
    rms=$(sox "$src" -n stat 2>&1 | awk '/RMS +amplitude/ { print $3 }')
    len=$(soxi -D "$src")
    sox -n -r 8000 -c 1 -b 16 "$out/n.wav" synth "$len" pinknoise \
        sinc 300-3400 gain -n norm "$(echo "$rms" | awk '{ printf "%.2f", 20 * log($1) / log(10) - 15 - 3 }')"
    sox -m "$src" "$out/n.wav" -r 8000 -c 1 -e mu-law "$out/noisy/$name.wav"
    printf '%s %s %s\n' "$name" "$4" "$5" >>"$out/labels"
}

for half in tune test; do
    mkdir -p "$dir/$half/clean" "$dir/$half/noisy"
    : >"$dir/$half/labels"
done

# the menus: NATO words (letters a-l for tune, m-z but x for test)
nato="a alpha b bravo c charlie d delta e echo f foxtrot g golf h hotel
i india j juliet k kilo l lima m mike n november o oscar p papa q quebec
r romeo s sierra t tango u uniform v victor w whiskey y yankee z zulu"
echo "$nato" | tr ' ' '\n' | paste - - | while read -r letter word; do
    case $letter in [a-l]) half=tune ;; *) half=test ;; esac
    put "$en/phonetic/${letter}_p.wav" "$half" "in-$word" in "$word"
    printf '%s|' "$word" >>"$dir/$half/choices.tmp"
done
for half in tune test; do
    sed 's/|$//' "$dir/$half/choices.tmp" >"$dir/$half/choices"
    rm "$dir/$half/choices.tmp"
done

# off-menu: English words, alternately; the same prompts in four languages
i=0
for w in $words; do
    half=$([ $((i % 2)) = 0 ] && echo tune || echo test)
    put "$en/$w.wav" "$half" "out-en-$w" out -
    i=$((i + 1))
done
for lang in es_MX_f_Allison:tune fr_CA_f_June:tune it_IT_m_Carlo:test \
            ru_RU_f_IvrvoiceRU:test; do
    d=$S/${lang%:*} half=${lang#*:} tag=$(echo "$lang" | cut -c1-2)
    for w in $words; do
        [ -f "$d/$w.wav" ] && put "$d/$w.wav" "$half" "out-$tag-$w" out -
    done
    for n in 1 2 3 4 5 6 7 8 9; do
        put "$d/digits/$n.wav" "$half" "out-$tag-digit$n" out -
    done
done

# digit strings: 3 to 7 of Allison's digits (0 said "zero" or, as the
# letter O, "oh"), 80 to 250 ms apart; the halves use other strings
names="zero one two three four five six seven eight nine"
sox -n -r 8000 -c 1 -b 16 "$dir/gap.wav" trim 0 0.08
awk 'BEGIN {
    srand(2026)
    for (s = 0; s < 40; s++) {
        n = 3 + int(rand() * 5); line = ""
        for (k = 0; k < n; k++) {
            d = int(rand() * 10)
            if (d == 0 && rand() < 0.4) d = "o"
            line = line (k ? " " : "") d " " int(80 + rand() * 170)
        }
        print (s < 20 ? "tune" : "test"), s, line
    }
}' | while read -r half s rest; do
    set -- $rest
    parts="" said=""
    while [ $# -ge 2 ]; do
        if [ "$1" = o ]; then
            parts="$parts $en/letters/o.wav"; said="$said oh"
        else
            parts="$parts $en/digits/$1.wav"
            said="$said $(echo "$names" | cut -d' ' -f$(($1 + 1)))"
        fi
        sox -n -r 8000 -c 1 -b 16 "$dir/g$2.wav" trim 0 "0.$(printf '%03d' "$2")"
        parts="$parts $dir/g$2.wav"
        shift 2
    done
    sox $parts "$dir/digits.wav"
    put "$dir/digits.wav" "$half" "digits-$s" digits "$(echo $said | tr ' ' _)"
done
rm -f "$dir"/g*.wav "$dir/gap.wav" "$dir/digits.wav" "$dir"/*/n.wav
