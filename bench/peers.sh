#!/bin/sh
# peers.sh: whole commands against the tool a user would pick instead, on
# the same input, as a user runs them: each a fresh process, the two runs
# interleaved (ours, peer, ours, peer, ...) so that the shared machine's
# noise falls on both, and the median of N runs each. CPU seconds (user +
# system) is the figure; the ratio is ours / peer.
#
#   sh bench/peers.sh [BUILD]
set -eu
B=${1:-build}
N=${PEERS_RUNS:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/data"
MODEL=/usr/share/pocketsphinx/model/en-us

# cpu 'COMMAND': user + system seconds of one run of a shell command
cpu() {
    /usr/bin/time -f '%U %S' -o "$work/t" sh -c "$1" >/dev/null 2>&1 || true
    awk '{ printf "%.4f\n", $1 + $2 }' "$work/t"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# pair NAME PEER-NAME 'OURS' 'PEER' [GOAL]: N interleaved runs each; a
# ratio above GOAL is flagged
pair() {
    : >"$work/ours"
    : >"$work/peer"
    i=0
    while [ $i -lt "$N" ]; do
        cpu "$3" >>"$work/ours"
        cpu "$4" >>"$work/peer"
        i=$((i + 1))
    done
    o=$(median <"$work/ours")
    p=$(median <"$work/peer")
    r=$(echo "$o $p" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }')
    flag=""
    if [ -n "${5:-}" ]; then
        flag=$(echo "$r $5" | awk '{ print ($1 > $2 ? "  MISSED (goal <= " $2 "x)" : "  (goal <= " $2 "x)") }')
    fi
    printf '  %-36s %7.3f s   %-28s %7.3f s   %5.2fx%s\n' "$1" "$o" "$2" "$p" \
        "$r" "$flag"
}

# a hundred runs in one measurement, for what takes a few milliseconds
hundred() { echo "i=0; while [ \$i -lt 100 ]; do $1; i=\$((i + 1)); done"; }

# a minute of digits read out by flite's four voices, 16 kHz
i=0
for v in slt rms awb kal16; do
    for d in "four one one" "seven two nine five" "oh eight three" \
             "six six zero one" "nine four two"; do
        flite -voice "$v" -t "$d" -o "$work/u$i.wav"
        sox "$work/u$i.wav" -r 16000 "$work/v$i.wav" pad 0 0.8
        i=$((i + 1))
    done
done
sox "$work"/v*.wav "$work/digits16.wav"
sox "$work/digits16.wav" "$work/digits.wav" repeat 2
secs=$(soxi -D "$work/digits.wav")

# an hour of line noise, as ivr-dtmf and multimon-ng (22.05 kHz raw) read it
sox -n -r 8000 -c 1 "$work/hour.wav" synth 3600 whitenoise vol 0.05
sox "$work/hour.wav" -t raw -r 22050 -e signed -b 16 -c 1 "$work/hour.raw"

text80="Thank you for calling Harbor Bank. For your balance, say balance or press one. To report a lost or stolen card, say lost card or press two. To speak with an agent, say agent or press zero. To hear these options again, press star. Your call may be recorded for quality and training purposes, and we appreciate your patience today."

echo
echo "Whole commands against their peers: median CPU of $N interleaved runs"
printf '  %-36s %9s   %-28s %9s   %s\n' "ivrkit" "" "peer, same run" "" "ratio"
pair "ivr-asr --grammar, ${secs%.*} s of digits" "pocketsphinx_continuous" \
    "$B/ivr-asr --grammar samples/digits.gram $work/digits.wav" \
    "pocketsphinx_continuous -infile $work/digits.wav -jsgf samples/digits.gram -hmm $MODEL/en-us -dict $MODEL/cmudict-en-us.dict -logfn /dev/null" 1.5
# the confidence's phone loop, ours against pocketsphinx's own (the same
# answers and margins; see core/asr_loop.c)
pair "ivr-asr, the same, our phone loop" "the same, pocketsphinx's loop" \
    "$B/ivr-asr --grammar samples/digits.gram $work/digits.wav" \
    "IVR_ASR_REFERENCE_LOOP=1 $B/ivr-asr --grammar samples/digits.gram $work/digits.wav"
pair "ivr-tts 80 words, 16 kHz, no cache" "flite -voice slt" \
    "$B/ivr-tts --no-cache -r 16000 -f -o $work/a.wav '$text80'" \
    "flite -voice slt -t '$text80' -o $work/b.wav"
pair "ivr-tts 80 words, 8 kHz, no cache" "flite -voice slt (16 kHz)" \
    "$B/ivr-tts --no-cache -f -o $work/a.wav '$text80'" \
    "flite -voice slt -t '$text80' -o $work/b.wav"
"$B/ivr-tts" -f -o "$work/hit.wav" "Welcome to Tune Line."
pair "ivr-tts, a cache hit (x100)" "cp of the WAV (x100)" \
    "$(hundred "$B/ivr-tts -f -o $work/a.wav 'Welcome to Tune Line.'")" \
    "$(hundred "cp $work/hit.wav $work/c.wav")" 2
pair "ivr-dtmf detect, 1 h of noise" "multimon-ng, same audio" \
    "$B/ivr-dtmf detect $work/hour.wav" \
    "multimon-ng -q -t raw -a DTMF $work/hour.raw"

# a whole five-minute call with full audio, as a user runs it (prompts in
# the cache, the caller's words synthesised, tones, detector, recogniser):
# its reference is the call's own length
keys=$(awk 'BEGIN { for (t = 13; t + 10 < 300; t += 20)
    printf "%s9 @%ds, 1 @%ds", (t > 13 ? ", " : ""), t, t + 9 }')
call="$B/ivr-sim menus/tunes.ivr --caller +15550104477 --say 'samples @3s' --keys '$keys' --max-duration 5m -q --no-sms"
sh -c "$call" >/dev/null 2>&1
: >"$work/call"
i=0
while [ $i -lt "$N" ]; do cpu "$call" >>"$work/call"; i=$((i + 1)); done
c=$(median <"$work/call")
echo "$c" | awk '{ x = 300 / ($1 > 0 ? $1 : 0.001)
    printf "  ivr-sim, a 5-minute call with full audio: %.3f s CPU = %.0fx real time%s\n",
        $1, x, (x < 1000 ? "  MISSED (goal >= 1000x)" : "  (goal >= 1000x)") }'
