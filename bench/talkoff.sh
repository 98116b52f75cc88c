#!/bin/sh
# talkoff.sh: false keys from voices and music (talk-off) and keys found
# under speech (talk-down), for three receivers on the same audio in one
# run: ivrkit's, spandsp's dtmf_rx (through bench-dtmf --detect) and
# Debian's multimon-ng. The audio is tests/talkoff/make-set.sh's: draw 0,
# whose tuning half ivrkit's checks were set on and whose test half judges
# them, and draws 1, 2 and 3 (the same sources at other pitches, speeds
# and levels). Draws 1 and 2 were not looked at while the talk-off checks
# were tuned, but the talk-down's band share was set on them with draw 0's
# tuning half (see SPOKEN_OVER_SHARE in core/dtmf_detect.c); draw 3 was made
# after that, and nobody has tuned on it.
#
# Last, recorded human speech (tests/talkoff/human-speech.sh: Debian's
# Asterisk prompts, five voices), on which the voice check was corrected,
# and real music (tests/talkoff/music.sh: game soundtracks), whose tuning
# half the octave check was set on.
#
#   sh bench/talkoff.sh [BUILD [SET0 [SET1 [HUMAN [MUSIC [SET2 [SET3]]]]]]]
#   (the sets given are reused)
set -eu
B=${1:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# FILE OURS SPANDSP MULTIMON, a line a file ("-": no digit)
find_in() {  # FILE...
for f in "$@"; do
    mm=$(sox -V1 "$f" -t raw -r 22050 -e signed -b 16 -c 1 - |
         multimon-ng -q -t raw -a DTMF - 2>/dev/null |
         sed -n 's/^DTMF: //p' | tr -d '\n')
    echo "$("$B/bench-dtmf" --detect "$f") ${mm:--}"
done >"$work/found"
}
find_all() {
    find_in "$set_dir"/tune/*.wav "$set_dir"/test/*.wav \
            "$set_dir"/tune/talkdown/*.wav "$set_dir"/test/talkdown/*.wav
}

minutes() { soxi -DT "$@" | awk '{ printf "%.1f", $1 / 60 }'; }

# false digits per hour in a half (or both: "t[a-z]*"): every digit found
false_per_hour() {  # HALF MINUTES COLUMN
    grep "^$set_dir/${1:+$1/}[^/]*\.wav " "$work/found" |
    awk -v c="$3" -v m="$2" '{ if ($c != "-") n += length($c) }
        END { printf "%d (%.0f/h)", n, n * 60 / m }'
}

# keys found in order, and keys that were never sent, in the files found
# whose name matches
keys_in() {  # REGEX COLUMN
    grep "$1" "$work/found" |
    awk -v c="$2" '{
        keys = $1; sub(/\.wav$/, ".keys", keys)
        getline want < keys; close(keys)
        got = ($c == "-") ? "" : $c; i = 1; m = 0
        for (k = 1; k <= length(got); k++) {
            j = index(substr(want, i), substr(got, k, 1))
            if (j > 0) { m++; i += j }
        }
        sent += length(want); found += m; extra += length(got) - m
    } END { printf "%.0f%% (%d extra)", 100 * found / sent, extra }'
}

talk_down() {  # HALF SNR COLUMN
    keys_in "^$set_dir/$1/talkdown/.*-$2\.wav " "$3"
}

set0=${2:-$work/set0}
set1=${3:-$work/set1}
[ -n "${2:-}" ] || sh tests/talkoff/make-set.sh "$set0" 2>/dev/null &
[ -n "${3:-}" ] || sh tests/talkoff/make-set.sh "$set1" 1 2>/dev/null &
set2=${6:-$work/set2}
[ -n "${6:-}" ] || sh tests/talkoff/make-set.sh "$set2" 2 2>/dev/null &
set3=${7:-$work/set3}
[ -n "${7:-}" ] || sh tests/talkoff/make-set.sh "$set3" 3 2>/dev/null &
human=${4:-$work/human}
[ -n "${4:-}" ] || sh tests/talkoff/human-speech.sh "$human" &
music=${5:-$work/music}
[ -n "${5:-}" ] || sh tests/talkoff/music.sh "$music" &
wait
set_dir=$set0
find_all
tune_min=$(minutes "$set_dir"/tune/*.wav)
test_min=$(minutes "$set_dir"/test/*.wav)

echo
echo "DTMF talk-off and talk-down (tests/talkoff/make-set.sh: draw 0's tuning" \
     "half $tune_min min, test half $test_min min; keys over four voices of" \
     "each half)"
echo
echo "| measurement | spandsp | multimon-ng | ivrkit |"
echo "| --- | --- | --- | --- |"
printf '| false digits, test half (held out) |'
for c in 3 4 2; do printf ' %s |' "$(false_per_hour test "$test_min" $c)"; done
echo
printf '| false digits, tuning half |'
for c in 3 4 2; do printf ' %s |' "$(false_per_hour tune "$tune_min" $c)"; done
echo
for snr in 5 0; do
    printf '| keys found under speech %s dB below them, test half |' "$snr"
    for c in 3 4 2; do printf ' %s |' "$(talk_down test $snr $c)"; done
    echo
done

# the same as a GSM coder leaves it (tests/talkoff/gsm.sh: Asterisk's
# WAV49 recordings, calls from mobiles)
[ -d "$set0/test/gsm" ] || sh tests/talkoff/gsm.sh "$set0"
find_in "$set0"/t[a-z]*/gsm/free/*.wav "$set0"/test/gsm/keys-*.wav \
        "$set0"/test/gsm/talkdown-*.wav
all_min=$(minutes "$set0"/t[a-z]*/gsm/free/*.wav)
printf '| false digits, GSM-coded, both halves (%s min) |' "$all_min"
for c in 3 4 2; do printf ' %s |' "$(false_per_hour 't[a-z]*/gsm/free' "$all_min" $c)"; done
echo
printf '| keys alone, GSM-coded, test half |'
for c in 3 4 2; do printf ' %s |' "$(keys_in "^$set0/test/gsm/keys-" $c)"; done
echo
for snr in 5 0; do
    printf '| keys found under speech %s dB below them, GSM-coded, test half |' "$snr"
    for c in 3 4 2; do
        printf ' %s |' "$(keys_in "^$set0/test/gsm/talkdown-.*-$snr\.wav " $c)"
    done
    echo
done

for draw in 1 2 3; do
    eval set_dir=\$set$draw
    find_all
    all_min=$(minutes "$set_dir"/t[a-z]*/*.wav)
    tuned="talk-down tuned on it"
    [ "$draw" != 3 ] || tuned="never tuned on"
    printf '| false digits, draw %s, both halves (%s min, %s) |' \
        "$draw" "$all_min" "$tuned"
    for c in 3 4 2; do
        printf ' %s |' "$(false_per_hour 't[a-z]*' "$all_min" $c)"
    done
    echo
    for snr in 5 0; do
        printf '| keys found under speech %s dB below them, draw %s |' "$snr" "$draw"
        for c in 3 4 2; do printf ' %s |' "$(talk_down 't[a-z]*' $snr $c)"; done
        echo
    done
done

set_dir=$human
find_in "$human"/*.wav
human_min=$(minutes "$human"/*.wav)
printf '| false digits, recorded human speech (%s min, five voices) |' \
    "$human_min"
for c in 3 4 2; do
    printf ' %s |' "$(false_per_hour '' "$human_min" $c)"
done
echo

set_dir=$music
[ -d "$music/test/gsm" ] || sh tests/talkoff/gsm.sh "$music"
find_in "$music"/tune/*.wav "$music"/test/*.wav "$music"/t[a-z]*/gsm/free/*.wav
for h in test tune; do
    m=$(minutes "$music/$h"/*.wav)
    name=held-out
    [ "$h" = test ] || name=tuning
    printf '| false digits, real music, %s half (%s min) |' "$name" "$m"
    for c in 3 4 2; do printf ' %s |' "$(false_per_hour $h "$m" $c)"; done
    echo
done
m=$(minutes "$music"/t[a-z]*/gsm/free/*.wav)
printf '| false digits, real music GSM-coded, both halves (%s min) |' "$m"
for c in 3 4 2; do printf ' %s |' "$(false_per_hour 't[a-z]*/gsm/free' "$m" $c)"; done
echo
