#!/bin/sh
# human.sh: the recogniser on recorded human speech at 8 kHz (Debian's
# Asterisk prompts: tests/human/make-set.sh), for the tuning half and the
# held-out test half, clean and as a call carries it (mu-law, line noise
# 15 dB under the speech). Goals: off-menu words rejected >= 90%, in-menu
# words right >= 85% with noise, digit strings <= 10% word errors.
#
#   sh bench/human.sh [BUILD]
set -eu
B=${1:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sh tests/human/make-set.sh "$work/set"
echo
echo "Human speech at 8 kHz (Asterisk's recorded prompts: one English speaker, whose"
echo "other prompts adapted the model; off-menu words also in es, fr, it, ru)"
sh tests/human/run.sh "$work/set" "$B" | awk '
    function pct(a, b) { return b ? 100 * a / b : 0 }
    function flag(v, goal, above) {
        return (above ? v >= goal : v <= goal) ? "" : " MISSED"
    }
    {
        inr = pct($4, $5); outr = pct($7, $8); wer = pct($10, $11)
        printf "  %-4s %-6s in-menu right %2d/%-2d = %5.1f%%%s   off-menu rejected %2d/%-2d = %5.1f%%%s   digits %3d/%-3d word errors = %4.1f%%%s (%d/%d exact)\n",
            $1, $2, $4, $5, inr, ($2 == "noisy" ? flag(inr, 85, 1) : ""),
            $7, $8, outr, flag(outr, 90, 1), $10, $11, wer, flag(wer, 10, 0),
            $12, $13
    }'
