#!/bin/sh
# ivr-dtmf against audio that holds no keys but fools receivers (voices,
# high and child-like ones especially, vowels, whistles, tunes played by
# General MIDI sound fonts) and keys said over: tests/talkoff/make-set.sh.
# The tuning half is what the receiver's checks were set on; the test half
# was kept out of it, and its figures are the ones that count.
. "$(dirname "$0")/lib.sh"

sh "$TOP/tests/talkoff/make-set.sh" set 2>/dev/null
ok "the set is made" test -f set/test/talkdown/$(ls set/test/talkdown | head -n 1)

false_keys() {  # HALF: digits found in the half's key-free audio
    n=0
    for f in set/"$1"/*.wav; do
        n=$((n + $(ivr-dtmf detect "$f" | wc -l)))
    done
    echo "$n"
}

# keys found under speech, in order, and keys never sent
talk_down() {  # HALF SNR: "found sent extra"
    for f in set/"$1"/talkdown/*-"$2".wav; do
        echo "$(cat "${f%.wav}.keys") $(ivr-dtmf detect "$f" | awk '{ printf "%s", $NF }')"
    done | awk '{
        want = $1; got = $2; i = 1; m = 0
        for (k = 1; k <= length(got); k++) {
            j = index(substr(want, i), substr(got, k, 1))
            if (j > 0) { m++; i += j }
        }
        sent += length(want); found += m; extra += length(got) - m
    } END { print found, sent, extra }'
}

is "no false key in the tuning half (23 min)" "$(false_keys tune)" 0
# the held-out figure when this was written: 1 (a grandmotherly voice);
# the goal is none (issue 13), and the count must not grow
like "at most one false key in the held-out half (23 min)" "$(false_keys test)" '^[01]$'

set -- $(talk_down test 5)
diag "keys under speech 5 dB below them: $1 of $2"
ok "held out: 85% or more of the keys found under speech 5 dB below them" \
   test $(($1 * 100)) -ge $(($2 * 85))
is "... and no key that was not sent" "$3" 0
set -- $(talk_down test 0)
diag "keys under speech as loud as them: $1 of $2"
ok "held out: half or more of the keys found under speech as loud" \
   test $(($1 * 100)) -ge $(($2 * 50))
is "... and no key that was not sent" "$3" 0

done_testing
