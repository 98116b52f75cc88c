#!/bin/sh
# startup.sh: how fast commands that need no speech model answer (goal: under
# 5 ms: libcurl and flite's voices are loaded when first used), next to
# /bin/true run the same way in the same run. A miss is flagged.
B=${1:-build}
N=200

per_run_ms() {
    t0=$(date +%s%N)
    i=0
    while [ $i -lt $N ]; do
        "$@" >/dev/null 2>&1
        i=$((i + 1))
    done
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / N / 1000 ))
}

ref_bin=$(per_run_ms /bin/true)
echo
echo "Start-up: mean of $N runs (microseconds); /bin/true is the reference"
printf '  %-52s %6s us\n' "/bin/true" "$ref_bin"
tmp=$(mktemp -d)
export XDG_CACHE_HOME="$tmp" XDG_DATA_HOME="$tmp"
"$B/ivr-tts" "Welcome to Tune Line." -o "$tmp/warm.wav"
for c in "$B/ivr-sim --version" \
         "$B/ivr-dtmf --version" \
         "$B/ivr-dtmf detect samples/keys-ulaw.wav" \
         "$B/ivr-dtmf gen 123 -o - " \
         "$B/ivr-tts --version" \
         "$B/ivr-tts Welcome to Tune Line. -f -o $tmp/p.wav" \
         "$B/ivr-asr --version" \
         "$B/ivr-sim --check menus/bank.ivr" \
         "$B/ivr-send-sms --version"; do
    us=$(per_run_ms $c)
    printf '  %-52s %6s us  (%.1fx /bin/true; goal < 5000 us)%s\n' \
        "$(echo "$c" | sed "s|$tmp|TMP|g")" "$us" \
        "$(echo "$us $ref_bin" | awk '{print $1 / $2}')" \
        "$([ "$us" -lt 5000 ] || echo '  MISSED')"
done
rm -rf "$tmp"
