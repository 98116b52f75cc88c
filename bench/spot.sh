#!/bin/sh
# spot.sh: how well ivr-sim --test --target hears a remote IVR's prompts.
# The phrases every call script in tests/calls listens for (its "when
# prompt" rules and "expect prompt" lines, sound files left out) and the
# prompts of the sample menus (variables filled as the scripts' fixtures
# fill them) spoken by three voices into a mu-law line: rms, the voice
# tests/cmd/sip-target.t serves the menus in, and kal and awb, on which
# nothing was set (bench/bench_spot.c).
#
#   sh bench/spot.sh [BUILD]
set -eu
B=${1:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

perl -ne 'print "$1\n" if /^(?:when prompt contains|expect prompt contains|expect prompt) "([^"]*)"/ && $1 !~ /\.wav$/' \
    tests/calls/*/*.call | awk '!seen[$0]++' >"$work/phrases"
# what a menu says (not its choices, nor an SMS's text, nor its Spanish)
perl -ne '
    next if /^\s*#/;
    %v = ("account:digits" => "4 1 2 2 0 5 6 7", balance => "1,204 dollars and 50 cents",
          holiday => "Christmas Day", store => "Corner Store",
          "code:digits" => "4 7 K M 2 X 9 P Q R 3 T", clinic => "Riverside Clinic",
          day => "Tuesday, March 3", time => "10:30 in the morning",
          "rx:digits" => "1 2 3 4 5 6 7", song => "Night Drive", artist => "Marram",
          album => "Low Tide");
    while (/\b(?:say|prompt|greeting)(?:\s+\d+)?\s+"([^"]*)"/g) {
        $t = $1;
        next if $t !~ / / || $t =~ /\.wav|http|[\x80-\xff]/;
        $t =~ s/\{([^}]*)\}/exists $v{$1} ? $v{$1} : ""/ge;
        print "$t\n";
    }' menus/*.ivr | awk '!seen[$0]++' >"$work/texts"

echo
echo "Prompts listened for over a line (bench/spot.sh: $(wc -l <"$work/phrases")" \
     "phrases of tests/calls, $(wc -l <"$work/texts") prompts of menus/, 8 kHz mu-law)"
echo
echo "| voice | said phrases heard, words alone | with the second decoding |" \
     "heard where not said, words alone | with it | CPU |"
echo "| --- | --- | --- | --- | --- | --- |"
for v in rms kal awb; do
    "$B/bench-spot" "$v" "$work/phrases" "$work/texts"
done
