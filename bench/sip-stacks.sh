#!/bin/sh
# sip-stacks.sh: the two SIP stacks Debian has, side by side, as issue 18
# asked before one was chosen: libre (libre-dev, under baresip; ivr-sim's)
# and sofia-sip (libsofia-sip-ua-dev). The same INVITE with its SDP offer
# parsed (bench/sip_invite.h), a stack brought up listening on UDP and TCP
# on loopback and taken down, the peak memory of that, the library's
# size; runs interleaved, medians.
#
#   sh bench/sip-stacks.sh [BUILD [RUNS]]
set -eu
B=${1:-build}
runs=${2:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
lib_kb() {  # BINARY LIBRARY-NAME: the size of the library it loads
    f=$(ldd "$1" | awk -v l="$2" 'index($1, l) == 1 { print $3 }')
    echo $(( $(stat -c %s "$(readlink -f "$f")") / 1024 ))
}

i=0
while [ $i -lt "$runs" ]; do
    for s in libre sofia; do
        "$B/bench-sip_$s" $((25900 + 2 * i)) 20000 >>"$work/$s"
    done
    i=$((i + 1))
done

echo
echo "SIP stacks (bench/sip-stacks.sh: medians of $runs interleaved runs)"
echo
echo "| stack | parse an INVITE with SDP | up on UDP and TCP and down | peak memory | library | RTP, RFC 4733, jitter buffer |"
echo "| --- | --- | --- | --- | --- | --- |"
for s in libre sofia; do
    ns=$(awk '$1 == "parse_ns" { print $2 }' "$work/$s" | median)
    ms=$(awk '$1 == "up_down_ms" { print $2 }' "$work/$s" | median)
    rss=$(awk '$1 == "rss_kb" { print $2 }' "$work/$s" | median)
    case $s in
    libre) lib=$(lib_kb "$B/bench-sip_$s" libre.so) media="yes (re_rtp.h, re_telev.h, re_jbuf.h)" ;;
    sofia) lib=$(lib_kb "$B/bench-sip_$s" libsofia-sip-ua.so) media="no (SDP only)" ;;
    esac
    printf '| %s | %.1f us | %s ms | %s KB | %s KB | %s |\n' "$s" \
        "$(echo "$ns" | awk '{ print $1 / 1000 }')" "$ms" "$rss" "$lib" "$media"
done
