#!/bin/sh
# human-speech.sh: recorded human speech with no key in it, for the
# talk-off tests beside make-set.sh's synthetic voices: every prompt of
# Debian's Asterisk sound packages (asterisk-core-sounds-*-wav: people
# reading an IVR's words at 8 kHz), one file a voice, the prompts in the
# order of their names:
#
#   OUT/en_US_f_Allison.wav   English, a woman
#   OUT/es_MX_f_Allison.wav   Spanish, the same woman
#   OUT/fr_CA_f_June.wav      French, a woman
#   OUT/it_IT_m_Carlo.wav     Italian, a man
#   OUT/ru_RU_f_IvrvoiceRU.wav  Russian, a woman
#
# 2 h 11 min in all. The recordings are taken as they are (the
# telephone band, their own levels): what a PBX plays and records.
#
#   sh tests/talkoff/human-speech.sh OUT
set -eu
[ $# -ge 1 ] || {
    echo "usage: sh tests/talkoff/human-speech.sh OUT" >&2
    exit 2
}
out=$1
S=/usr/share/asterisk/sounds
mkdir -p "$out"
for v in en_US_f_Allison es_MX_f_Allison fr_CA_f_June it_IT_m_Carlo \
         ru_RU_f_IvrvoiceRU; do
    [ -d "$S/$v" ] || {
        echo "human-speech.sh: $S/$v missing (make deps)" >&2
        exit 4
    }
    # a few prompts are empty files, which sox will not join
    find "$S/$v" -name '*.wav' | LC_ALL=C sort | while IFS= read -r f; do
        [ "$(soxi -s "$f" 2>/dev/null || echo 0)" -gt 0 ] && echo "$f"
    done >"$out/$v.list"
    # shellcheck disable=SC2046
    sox $(cat "$out/$v.list") -c 1 -b 16 "$out/$v.wav"
    rm -f "$out/$v.list"
done
