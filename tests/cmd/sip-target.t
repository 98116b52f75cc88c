#!/bin/sh
# ivr-sim --test --target: every shipped call script (tests/calls) drives
# its menu answering on SIP (ivr-sim --sip-listen, in the voice rms rather
# than the menu's slt) over loopback, as it would a deployed IVR: keys as
# RFC 4733 events, words as speech, the prompts listened for in the
# IVR's audio, what cannot be heard over a line skipped. Every script must
# pass (one that fails among four calls on two cores runs again alone);
# four are named (keys, speech, a REFER, an outbound confirmation).
# And the mistakes: a target that is not a SIP URI, one that answers no
# call, a rule that cannot be followed there.
. "$(dirname "$0")/lib.sh"

S=$TOP/tests/sip
if ! [ -x /usr/bin/python3 ]; then
    echo "1..0 # skip: python3 missing (make deps)"
    exit 0
fi
pids=""
trap 'kill $pids 2>/dev/null; rm -rf "$T"' EXIT
export BUILD XDG_CACHE_HOME="$T/cache"

run ivr-sim --test --target pharmacy@127.0.0.1 "$TOP/tests/calls/pharmacy/refill.call"
is "--target takes a SIP URI" "$rc:$(echo "$err" | head -n 1)" \
   "2:ivr-sim: --target pharmacy@127.0.0.1: a SIP URI, such as sip:ivr@pbx.example"
run ivr-sim --test --target "sip:pharmacy@[::1]:70000" "$TOP/tests/calls/pharmacy/refill.call"
is "--target: a port past 65535 is refused" "$rc:$(echo "$err" | head -n 1)" \
   "2:ivr-sim: --target sip:pharmacy@[::1]:70000: the port is not 1 to 65535"
run ivr-sim "$TOP/menus/pharmacy.ivr" --target sip:x@127.0.0.1
is "--target goes with --test" "$rc:$(echo "$err" | head -n 1)" \
   "2:ivr-sim: --junit, --jobs, --shard, --coverage, --events, --target and --inband-keys go with --test"

# a port nobody answers on (over TCP: refused at once; over UDP the
# INVITE is sent again for 32 s)
cat >nobody.call <<EOT
menu $TOP/menus/pharmacy.ivr
at 1s
press 1
expect prompt contains "prescription"
EOT
run ivr-sim --test --target "sip:pharmacy@127.0.0.1:25098;transport=tcp" nobody.call
like "a target that answers nothing: not ok, why" "$out" \
     '^not ok 1 - nobody.call: sip:pharmacy@127.0.0.1:25098;transport=tcp: the call was lost \(Connection refused\)$'

cat >pattern.call <<EOT
menu $TOP/menus/pharmacy.ivr
when prompt matches "refill.*" press 1
EOT
run ivr-sim --test --target sip:pharmacy@127.0.0.1:25098 pattern.call
is "a pattern rule cannot be listened for: the line says so" "$out" \
   "not ok 1 - pattern.call: pattern.call:2: a pattern cannot be listened for on a remote IVR (use 'when prompt contains')
1..1"

# these pass every time: keys as events and in the audio, speech, a
# REFER, an outbound call's confirmation; the rest are counted
must="bank/agent.call pharmacy/refill.call notify/confirm.call tunes/operator.call"
scripts=$(ls "$TOP"/tests/calls/*/*.call)
# under AddressSanitizer a decode takes ten times as long as on a phone
# line: the calls must run and end cleanly, their timing is not judged
slow=${ASAN_OPTIONS:+yes}
[ -n "$slow" ] && scripts=$(for m in $must; do echo "$TOP/tests/calls/$m"; done)

# script number I against its menu on SIP: run-I.tap, .err and .rc, and
# what the serving side printed in served-I.out and .err
run_one() {  # I SCRIPT
    port=$((25100 + 2 * $1))
    set -- "$1" "$2" $(sh "$S/serve-script.sh" "$2" $port)
    called=$(sed -n 's/^called  *//p' "$2")
    ivr-sim --test --target "sip:${called:-ivr}@127.0.0.1:$port" "$2" \
        >"run-$1.tap" 2>"run-$1.err"
    echo $? >"run-$1.rc"
    kill "$3" 2>/dev/null
    wait "$3" 2>/dev/null
    cp "$4/out" "served-$1.out"
    cp "$4/err" "served-$1.err"
    rm -rf "$4"
}

# every script against its menu on SIP, four at a time
i=0
for script in $scripts; do
    i=$((i + 1))
    (
        # calls begun together would end their first prompts together, and
        # four recognisers would decode them at once on two cores
        sleep $((i % 4 * 3))
        run_one $i "$script"
    ) &
    pids="$pids $!"
    [ $((i % 4)) = 0 ] && wait
done
wait
pids=""
# a call that failed among four on two cores runs again alone: a real
# line does not share its machine with three recognisers; both counts are
# printed
i=0 first_passed=0 first_failed=""
for script in $scripts; do
    i=$((i + 1))
    grep -q '^when prompt.*\.wav"' "$script" && continue
    if [ "$(cat run-$i.rc):$(grep -c '^not ok' run-$i.tap)" = "0:0" ]; then
        first_passed=$((first_passed + 1))
    elif [ -z "$slow" ]; then
        first_failed="$first_failed ${script#"$TOP"/tests/calls/}"
        cp "run-$i.tap" "first-$i.tap"
        run_one $i "$script"
    fi
done
if [ -n "$slow" ]; then
    i=0
    for script in $scripts; do
        i=$((i + 1))
        name=${script#"$TOP"/tests/calls/}
        like "$name: the call runs over SIP under AddressSanitizer" \
             "$(cat run-$i.rc):$(grep -c '^1\.\.' run-$i.tap)" '^[01]:1$'
        is "... no sanitizer report on either side" \
           "$(cat run-$i.err served-$i.err | grep -E 'ERROR: |runtime error' | head -n 3)" ""
    done
    done_testing
    exit
fi
i=0 passed=0 ran=0 failed_names=""
for script in $scripts; do
    i=$((i + 1))
    name=${script#"$TOP"/tests/calls/}
    if grep -q '^when prompt.*\.wav"' "$script"; then
        # its rules wait for recordings by their file names
        like "$name: a rule on a sound file's name is refused, naming it" \
             "$(cat run-$i.tap)" "^not ok 1 - .*$name: .*$name:[0-9]+: a sound file's name cannot be listened for on a remote IVR"
        continue
    fi
    ran=$((ran + 1))
    got="$(cat run-$i.rc):$(grep -c '^not ok' run-$i.tap)"
    if [ "$got" = "0:0" ]; then
        passed=$((passed + 1))
    else
        failed_names="$failed_names $name"
    fi
    case " $must " in
    *" $name "*)
        is "$name passes against its menu on SIP" "$got" "0:0" ;;
    esac
    # a script without a caller calls as a withheld number (RFC 3323's
    # anonymous From), which the menu answering takes as no number; it
    # was once the user "ivrkit", texted a coupon
    if [ "$name" = coupon/withheld.call ]; then
        like "a script with no caller calls from a withheld number" \
             "$(cat served-$i.out)" "^call 1: from a withheld number to ivr "
        like "... which the menu answering sees as no {caller}" \
             "$(cat served-$i.out)" "^call 1: .* no_number +enters menu 'no_number'"
    fi
    [ -f "first-$i.tap" ] && diag "$name failed among four calls:" \
        "$(grep -A3 '^not ok' "first-$i.tap" | head -n 8)"
    [ "$got" = "0:0" ] || diag "$name over SIP:" "$(grep -A3 '^not ok' run-$i.tap | head -n 8)" \
        "$(grep 'hears the IVR' run-$i.tap | sort -u | head -n 4)"
done
skipped=$(cat run-*.tap | grep -c '# SKIP')
judged=$(cat run-*.tap | grep '^ok' | grep -vc '# SKIP')
diag "over SIP: $first_passed of $ran scripts pass four at a time (failed:${first_failed:- none}), $passed after those ran again alone ($judged expectations judged, $skipped skipped: not heard on a line); failed:${failed_names:- none}"
# 17 and 18 of 24 on the development machine; 24 on a later one since a
# long sentence ends at a short pause and a number heard as a little word
# is not a phrase's own (tunes/sms-during-song.call)
ok "all $ran scripts pass over SIP ($passed)" test "$passed" -eq "$ran"

done_testing
