#!/bin/sh
# gsm.sh: a make-set.sh set as a GSM coder leaves it. Asterisk records
# calls as WAV49 (GSM 06.10 in a WAV file) when asked to save space, and a
# call from a mobile has been through the same kind of coder: a key's
# tones come out wavering for the first frame or two, and a bit lower.
# For each half of SET, in SET/HALF/gsm, GSM 06.10 WAV files made by sox
# (package sox, its own GSM coder) with the keys of each in NAME.keys:
#
#   keys-AMP-MS.wav        the sixteen keys alone, each tone at amplitude
#                          AMP (the column's 2 dB under the row's), MS
#                          long, 230 to 630 ms apart; the two halves use
#                          other levels and lengths
#   talkdown-NAME-SNR.wav  the half's talk-down files (make-set.sh)
#   free/NAME.wav          the half's key-free audio
#
# A set of music.sh (real music, key-free: no talkdown folder) gets its
# free/ folders only.
#
#   sh tests/talkoff/gsm.sh SET
set -eu
[ $# -eq 1 ] && [ -d "$1/tune" ] && [ -d "$1/test" ] || {
    echo "usage: sh tests/talkoff/gsm.sh SET (a set made by make-set.sh" \
         "or music.sh)" >&2
    exit 2
}
keyed=0
[ ! -d "$1/tune/talkdown" ] || keyed=1
set_dir=$1
sox() { command sox -R "$@"; }
tmp=$set_dir/tmp-gsm
mkdir -p "$tmp"
. "$(dirname "$0")/keypad.sh"

gsm() {  # gsm IN OUT: IN coded as GSM 06.10 in a WAV file
    sox "$1" -r 8000 -c 1 -e gsm-full-rate -t wav "$2"
}

for h in tune test; do
    out=$set_dir/$h/gsm
    mkdir -p "$out/free"
    for f in "$set_dir/$h"/*.wav; do
        gsm "$f" "$out/free/$(basename "$f")"
    done
    [ "$keyed" = 1 ] || continue
    if [ "$h" = tune ]; then amps="0.3 0.1 0.03" lens="45 60 100"
    else amps="0.2 0.06 0.025" lens="50 70 90"
    fi
    for amp in $amps; do
        for ms in $lens; do
            parts=""
            k=0
            while [ $k -lt 16 ]; do
                set -- $(tone "$(echo "$keys" | cut -c$((k + 1)))")
                sox -n -r 8000 -b 16 "$tmp/k$k.wav" \
                    synth "0.$(printf %03d "$ms")" sine "$1" sine "$2" \
                    remix "1v$amp,2v$(awk -v a="$amp" 'BEGIN { print a * 0.8 }')" \
                    pad "0.$((k % 5 + 1))3" 0.1
                parts="$parts $tmp/k$k.wav"
                k=$((k + 1))
            done
            sox $parts "$tmp/keys.wav"
            gsm "$tmp/keys.wav" "$out/keys-$amp-$ms.wav"
            echo "$keys" >"$out/keys-$amp-$ms.keys"
        done
    done
    for f in "$set_dir/$h"/talkdown/*.wav; do
        name=$(basename "$f" .wav)
        gsm "$f" "$out/talkdown-$name.wav"
        cp "${f%.wav}.keys" "$out/talkdown-$name.keys"
    done
done
rm -rf "$tmp"
