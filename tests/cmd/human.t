#!/bin/sh
# The recogniser on recorded human speech (tests/human: Debian's Asterisk
# prompts at 8 kHz), held-out half only: the goals that are met hold, and
# the one that is not (off-menu rejection, goal 90%) does not fall back.
. "$(dirname "$0")/lib.sh"

sh "$TOP/tests/human/make-set.sh" "$T/set" 2>"$T/make.err"
ok "the human-speech set is made from the Asterisk packages" test $? = 0
[ -s "$T/make.err" ] && diag "$(cat "$T/make.err")"
sh "$TOP/tests/human/run.sh" "$T/set" "$BUILD" test >"$T/figures"
diag "$(cat "$T/figures")"

# fields: HALF COND in RIGHT TOTAL out REJECTED TOTAL digits ERR WORDS ...
field() { awk -v c="$1" -v f="$2" '$2 == c { print $f }' "$T/figures"; }
percent_at_least() {  # NAME A B PERCENT: A/B >= PERCENT%
    ok "$1 ($2/$3, at least $4%)" test $(($2 * 100)) -ge $(($3 * $4))
}
percent_at_most() {
    ok "$1 ($2/$3, at most $4%)" test $(($2 * 100)) -le $(($3 * $4))
}
for c in clean noisy; do
    percent_at_most "digit strings, $c: word errors" \
        "$(field $c 10)" "$(field $c 11)" 10
    percent_at_most "digit strings said to a menu that collects by speech, $c: word errors" \
        "$(field $c 15)" "$(field $c 16)" 10
    percent_at_least "menu words, $c: right" "$(field $c 4)" "$(field $c 5)" 85
    # not the goal (90%): where it stands, so that it only goes up
    percent_at_least "off-menu words, $c: rejected" \
        "$(field $c 7)" "$(field $c 8)" 65
done
ok "every held-out word and string was heard" \
   test "$(field clean 5)" = 13 -a "$(field clean 8)" = 69 -a "$(field clean 13)" = 20

done_testing
