#!/bin/sh
# replay.sh: how often a replayed PBX recording takes the caller's path, by
# recording layout (stereo either way round, the mono mix in mu-law, and
# the mono mix as Asterisk's WAV49 keeps it: GSM 06.10, coded by sox; and
# stereo with the IVR's echo in the caller's leg, 20 dB down and 30 ms
# late, as a trunk with no echo canceller returns it; and the same 250 ms
# late through a telephone band, as a far line's echo comes back over a
# network).
# Recordings are made without ivrkit by
# tests/replay/render.pl from every plan in tests/replay, in two groups of
# voices: the tuning group (the voices the thresholds of legs.c and of the
# mono-mix rules in engine_input.c were read from; tests/cmd/replay.t uses
# them too) and a held-out group never looked at while tuning. Figures are
# for the held-out group first.
set -eu
B=${1:-build}
top=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache"

# IVR voice, caller voice
tuning="espeak:en-us+f3:50:165,flite:rms flite:kal,espeak:en+m3:40:150
espeak:en-gb:45:170,espeak:en-us+f2:70:160 flite:awb,espeak:en-us+f4:60:155
espeak:en-us+f5:55:120,espeak:en+m2:45:170"
held_out="espeak:en-us+m4:40:150,flite:awb flite:rms,espeak:en-029:60:165
espeak:en-gb-x-rp:50:135,espeak:en-us+f1:80:175 flite:slt,espeak:en-gb-scotland:45:160
espeak:en-us+m7:35:180,flite:kal"

path_of() {
    sed -n 's/.*"event":"menu","menu":"\([^"]*\)".*/\1/p' "$1" | tr '\n' ' '
    sed -n 's/.*"event":"hangup".*"reason":"\([^"]*\)".*/\/ \1/p' "$1"
}

group() {  # group NAME "VOICES..."
    seed=100
    for pair in $2; do
        iv=${pair%,*}
        cv=${pair#*,}
        seed=$((seed + 1))
        for plan in tests/replay/*.plan; do
            name=$(basename "$plan" .plan)
            d="$work/$1/$seed/$name"
            perl tests/replay/render.pl "$plan" "$d" "$iv" "$cv" "$seed"
            # Asterisk's WAV49: the mono mix as GSM 06.10 in a WAV file
            sox "$d/mix.wav" -e gsm-full-rate -t wav "$d/mix-gsm.wav"
            # an analogue trunk's echo of the IVR in the caller's leg
            sox "$d/ivr-left.wav" -e float "$d/l.wav" remix 1
            sox "$d/ivr-left.wav" -e float "$d/r.wav" remix 2
            sox "$d/l.wav" "$d/e.wav" vol -20dB pad 0.03 \
                trim 0 "$(soxi -D "$d/l.wav")"
            sox -m -v 1 "$d/r.wav" -v 1 "$d/e.wav" "$d/re.wav"
            sox -M "$d/l.wav" "$d/re.wav" -e mu-law "$d/echo.wav"
            # a far line's echo, a network's round trip late
            sox "$d/l.wav" "$d/e.wav" highpass 300 lowpass 3000 vol -20dB \
                pad 0.25 trim 0 "$(soxi -D "$d/l.wav")"
            sox -m -v 1 "$d/r.wav" -v 1 "$d/e.wav" "$d/re.wav"
            sox -M "$d/l.wav" "$d/re.wav" -e mu-law "$d/late-echo.wav"
            rm -f "$d/l.wav" "$d/r.wav" "$d/e.wav" "$d/re.wav"
            menu=menus/$(sed -n 's/^menu //p' "$plan")
            want="$(sed -n 's/^path //p' "$plan") / $(sed -n 's/^end //p' "$plan")"
            at=$(sed -n 's/^at //p' "$plan")
            backend=$(sed -n 's/^backend //p' "$plan")
            for layout in ivr-left ivr-right mix mix-gsm echo late-echo; do
                "$B/ivr-sim" "$menu" --input "$d/$layout.wav" \
                    ${at:+--at "$at"} \
                    ${backend:+--http-fixtures "menus/$backend"} --json \
                    >"$d/$layout.json" 2>"$d/$layout.err" || {
                    echo "$1 $layout $name: ivr-sim failed:" \
                        "$(tail -n 1 "$d/$layout.err")" >>"$work/misses"
                }
                got=$(path_of "$d/$layout.json")
                ok=0
                [ "$got" = "$want" ] && ok=1
                echo "$1 $layout $ok $name $iv $cv"
                [ "$ok" = 1 ] || echo "$1 $layout $name ($iv / $cv): got '$got', want '$want'" >>"$work/misses"
            done
        done
    done
}

{ group held-out "$held_out"; group tuning "$tuning"; } >"$work/results"
echo
echo "Replays of PBX recordings (tests/replay, $(ls tests/replay/*.plan | wc -l) plans):"
echo "paths taken right, by layout"
echo
echo "| voices | stereo, IVR left | stereo, IVR right | mono mix | mono mix, GSM | stereo, echo in the caller's leg | the same, 250 ms late |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for g in held-out tuning; do
    printf '| %s |' "$g"
    for layout in ivr-left ivr-right mix mix-gsm echo late-echo; do
        awk -v g="$g" -v l="$layout" '$1 == g && $2 == l { n++; ok += $3 }
            END { printf " %d/%d (%.0f%%) |", ok, n, 100 * ok / n }' \
            "$work/results"
    done
    echo
done
echo
[ -f "$work/misses" ] && sed 's/^/  missed: /' "$work/misses"
cd "$top"
