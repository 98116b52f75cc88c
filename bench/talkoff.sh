#!/bin/sh
# talkoff.sh: false keys from voices and music (talk-off) and keys found
# under speech (talk-down), for three receivers on the same audio in one
# run: ivrkit's, spandsp's dtmf_rx (through bench-dtmf --detect) and
# Debian's multimon-ng. The audio is tests/talkoff/make-set.sh's; its test
# half was never looked at while ivrkit's receiver was tuned.
#
#   sh bench/talkoff.sh [BUILD [SET]]   (SET: a set made before, to reuse)
set -eu
B=${1:-build}
set_dir=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$set_dir" ]; then
    set_dir=$work/set
    sh tests/talkoff/make-set.sh "$set_dir" 2>/dev/null
fi

# FILE OURS SPANDSP MULTIMON, a line a file ("-": no digit)
for f in "$set_dir"/tune/*.wav "$set_dir"/test/*.wav \
         "$set_dir"/tune/talkdown/*.wav "$set_dir"/test/talkdown/*.wav; do
    mm=$(sox "$f" -t raw -r 22050 -e signed -b 16 -c 1 - |
         multimon-ng -q -t raw -a DTMF - 2>/dev/null |
         sed -n 's/^DTMF: //p' | tr -d '\n')
    echo "$("$B/bench-dtmf" --detect "$f") ${mm:--}"
done >"$work/found"

minutes() { soxi -DT "$set_dir/$1"/*.wav | awk '{ printf "%.1f", $1 / 60 }'; }
tune_min=$(minutes tune)
test_min=$(minutes test)

# false digits per hour in a half: every digit found in it
false_per_hour() {  # HALF MINUTES COLUMN
    grep "^$set_dir/$1/[^/]*\.wav " "$work/found" |
    awk -v c="$3" -v m="$2" '{ if ($c != "-") n += length($c) }
        END { printf "%d (%.0f/h)", n, n * 60 / m }'
}

# talk-down: keys found in order, and keys that were never sent
talk_down() {  # HALF SNR COLUMN
    grep "^$set_dir/$1/talkdown/.*-$2\.wav " "$work/found" |
    awk -v c="$3" '{
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

echo
echo "DTMF talk-off and talk-down (tests/talkoff/make-set.sh: tuning half" \
     "$tune_min min, test half $test_min min; keys over four voices of each)"
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
