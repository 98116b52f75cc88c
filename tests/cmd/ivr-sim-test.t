#!/bin/sh
# ivr-sim --test: the call suites of the sample menus in both modes, TAP
# and JUnit output, failures with expected/actual, parallel runs in order,
# shards, coverage, re-checking a saved transcript, generated scripts, and
# bad scripts with their exact messages.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME="$T/cache"
cd "$TOP" || exit 99
CALLS=$(ls tests/calls/*/*.call)
n_calls=$(echo "$CALLS" | wc -l)

# --- the suites of the sample menus pass, with and without audio
for m in tunes coupon notify pharmacy bank; do
    run ivr-sim --test --fast tests/calls/$m/*.call
    is "$m suite, --fast: every expectation met" \
       "$rc:$(echo "$out" | grep -c '^not ok')" "0:0"
    run ivr-sim --test tests/calls/$m/*.call
    is "$m suite, full audio: every expectation met" \
       "$rc:$(echo "$out" | grep -c '^not ok')" "0:0"
done
like "TAP: a point per expectation, named file:line" "$out" \
     '^ok [0-9]+ - tests/calls/bank/agent\.call:10: expect path main, account$'
like "TAP: the plan at the end" "$(echo "$out" | tail -1)" '^1\.\.[0-9]+$'

# --- a failing expectation: expected, actual, the last events; exit 1
cat > "$T/fail.call" <<EOS
menu $TOP/menus/bank.ivr
at 3s
press 2
expect path main, account
expect prompt contains "balance"
EOS
run ivr-sim --test --fast "$T/fail.call"
is "a failure exits 1" "$rc" 1
like "the failing point" "$out" "^not ok 1 - $T/fail.call:4: expect path main, account\$"
like "expected" "$out" '^# expected: path main, account$'
like "actual" "$out" '^# actual:   "main", "lost_card"'
like "the last events before it" "$out" '^#  +[0-9.]+  lost_card +'
like "a passing point beside it" "$out" "^ok 2 - $T/fail.call:5: expect prompt contains \"balance\"\$"

# --- parallel runs: the same output, in the same order
run ivr-sim --test --fast $CALLS
one=$out
run ivr-sim --test --fast -j 3 $CALLS
is "-j 3 prints what -j 1 prints, in order" "$out" "$one"

# --- full audio: the same verdicts whatever ran before a call and however
# many run at once (one recogniser serves every call of a worker)
run ivr-sim --test $CALLS
one=$out
for j in 2 3 4; do
    run ivr-sim --test -j $j $CALLS
    is "full audio, -j $j prints what -j 1 prints" "$out" "$one"
done
reversed=$(echo "$CALLS" | sort -r)
run ivr-sim --test $reversed
points() { echo "$1" | sed 's/^\(not \)*ok [0-9]* - /\1ok - /' | sort; }
is "full audio, the scripts in reverse order: the same points" \
   "$(points "$out")" "$(points "$one")"

# --- seeded: a full-audio run with line noise is the same run twice
run ivr-sim --test --junit "$T/n1.xml" tests/calls/bank/balance-by-voice.call
first=$out
run ivr-sim --test tests/calls/bank/balance-by-voice.call
is "a script with line noise gives the same results every run" "$out" "$first"

# --- shards: K/N slices that add up to the whole suite
run ivr-sim --test --fast --shard 1/2 --junit "$T/s1.xml" $CALLS
a=$(echo "$out" | grep -c '^ok')
run ivr-sim --test --fast --shard 2/2 --junit "$T/s2.xml" $CALLS
b=$(echo "$out" | grep -c '^ok')
is "two shards run every expectation once" "$((a + b))" \
   "$(echo "$one" | grep -c '^ok')"
is "each shard's JUnit names its scripts, together all of them" \
   "$(cat "$T/s1.xml" "$T/s2.xml" | grep -c '<testcase ')" "$n_calls"
like "JUnit names the shard" "$(cat "$T/s2.xml")" '<testsuite name="ivr-sim shard 2/2" tests="[0-9]+" failures="0"'
run ivr-sim --test --fast --junit "$T/f.xml" "$T/fail.call"
like "JUnit: a failure carries its message" "$(cat "$T/f.xml")" \
     '<failure message=".*fail\.call:4: expect path main, account">expected: path main, account'
run ivr-sim --test --fast --shard 3/2 $CALLS
is "a bad shard" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-sim: --shard: '3/2' is not K/N with 1 <= K <= N"

# --- coverage
run ivr-sim --test --fast --coverage tests/calls/bank/*.call
like "coverage: an entry taken by voice" "$out" \
     '^#     yes  1, "balance", "account balance" \(speech\)$'
like "coverage: a branch never taken" "$out" '^#      no  nomatch$'
run ivr-sim --test --fast --coverage tests/calls/tunes/*.call
is "coverage: a menu that never waits has no no-input, no-match or exhausted" \
   "$(echo "$out" | sed -n '/^#   goodbye$/,/^#   main$/p' | wc -l)" 2
run ivr-sim --test --fast --coverage tests/calls/bank/*.call
like "coverage: a summary per menu file" "$out" \
     '^# menus/bank\.ivr: [0-9]+ of [0-9]+ taken \([0-9]+%\)$'

# --- re-check a saved transcript without running the call again
ivr-sim menus/bank.ivr -q --http-fixtures menus/bank-backend.http --say "balance @3s" \
    --keys "41234567# @9s, # @24s" -t "$T/saved.jsonl"
run ivr-sim --test --events "$T/saved.jsonl" tests/calls/bank/balance-by-voice.call
is "a saved run meets the script's expectations" \
   "$rc:$(echo "$out" | grep -c '^not ok')" "0:0"
sed 's/41234567/41234568/g' "$T/saved.jsonl" > "$T/changed.jsonl"
run ivr-sim --test --events "$T/changed.jsonl" tests/calls/bank/balance-by-voice.call
like "a changed transcript fails them" "$rc:$(echo "$out" | grep '^not ok')" \
     '^1:not ok 2 - tests/calls/bank/balance-by-voice\.call:16: expect var account "41234567"$'
printf '{"t":0,"event":"menu"}\nnot json\n' > "$T/bad.jsonl"
run ivr-sim --test --events "$T/bad.jsonl" tests/calls/bank/agent.call
like "a transcript that is not one" "$rc:$out" \
     "^1:not ok 1 - tests/calls/bank/agent.call: $T/bad.jsonl:2: not an event of an ivr-sim transcript"

# --- generated scripts: one per path, passing as they are; the folder is
# made when it is not there
run ivr-sim --gen-tests "$T/gen" menus/bank.ivr
like "--gen-tests writes a script per path" "$out" "^[0-9]+ call scripts written to $T/gen\$"
run ivr-sim --test --fast "$T"/gen/*.call
is "the generated scripts pass in fast mode" \
   "$rc:$(echo "$out" | grep -c '^not ok')" "0:0"
run ivr-sim --test "$T"/gen/*.call
is "and with audio" "$rc:$(echo "$out" | grep -c '^not ok')" "0:0"
run ivr-sim --gen-tests "$T/gen" menus/bank.ivr
like "--gen-tests does not overwrite" "$rc:$err" \
     "^5:ivr-sim: $T/gen/bank-01-.*\.call: exists; not replacing it"
# the agents' hours: a script for each way, at a time that takes it
is "--gen-tests: each script of a menu with hours says when it calls" \
   "$(grep -L '^at "20[0-9-]* [0-9:]*"$' "$T"/gen/*.call)" ""
like "--gen-tests: a path through the after-hours branch" \
     "$(cat "$T"/gen/*.call)" '^expect path main, after_hours'
like "--gen-tests: and one that reaches an agent in hours" \
     "$(cat "$T"/gen/*.call)" '^expect end transfer$'

# --- the clock: --coverage shows both ways of each if on it
run ivr-sim --test --fast --coverage tests/calls/bank/*.call
like "coverage: the agents' hours, open" "$out" \
     '^#     yes  if open agents, line [0-9]+ \(then\)$'
like "coverage: and closed" "$out" '^#     yes  if open agents, line [0-9]+ \(else\)$'
like "coverage: a backend that fails is a branch of the menu that asks it" \
     "$out" '^#     yes  error \(backend\)$'
like "coverage: the holiday on the way in" "$out" \
     '^#     yes  if holiday, line [0-9]+ \(then\)$'

# --- the clock of a script: at "DATE TIME"
cat > "$T/at.call" <<EOS
menu $TOP/menus/bank.ivr
at "2026-03-08 02:30"
EOS
run ivr-sim --test --fast "$T/at.call"
is "a time the clocks skip in the menu's zone: the script's line says so" \
   "$rc:$(echo "$out" | head -1)" "1:not ok 1 - $T/at.call: $T/at.call:2: '2026-03-08 02:30' does not exist in America/New_York (the clocks skip it)"
run ivr-sim --test --at "2026-12-02 10:30" tests/calls/bank/agent.call
is "--at with --test: scripts set their own" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-sim: --at sets one call's clock; a call script sets its own (at \"2026-12-24 18:30\")"

# --- bad scripts: one line with file:line:col
bad() {  # bad NAME SCRIPT-TEXT EXPECTED-MESSAGE
    printf '%s\n' "$2" > "$T/bad.call"
    run ivr-sim --test --fast "$T/bad.call"
    is "$1" "$rc:$(echo "$out" | head -1)" "1:not ok 1 - $T/bad.call:$3"
}
bad "a misspelt step" "menu $TOP/menus/bank.ivr
prses 1" "2:1: unknown word 'prses' (did you mean 'press'?)"
bad "a bad time" "menu $TOP/menus/bank.ivr
at soon" "2:4: 'soon' is not a time (such as 2s, 1500ms, 1m5s or 1h)"
bad "keys that are not keys" "menu $TOP/menus/bank.ivr
press 12x" "2:7: '12x' is not a string of keys (0-9 * # A-D)"
bad "a misspelt expectation" "menu $TOP/menus/bank.ivr
expect tranfser \"x\"" "2:8: unknown expectation 'tranfser' (did you mean 'transfer'?)"
bad "expect alone on a line (read past the line once: under ASan a crash)" "expect
menu $TOP/menus/bank.ivr" "1:7: expected what to expect (prompt, menu, path, var, sms, ...)"
bad "a regular expression that would take minutes to compile (make fuzz)" "menu $TOP/menus/bank.ivr
when prompt matches \"((a{255}){255}){255}\" press 1" "2:21: regular expression too large (at most 256 characters, and repetitions such as {8} and + that together copy it at most 4096 times)"
bad "a pile of + that would take gigabytes to compile (make fuzz)" "menu $TOP/menus/bank.ivr
expect sms matches \"ev++++++++++++++++++++++++++++++++++++++++e\"" "2:20: regular expression too large (at most 256 characters, and repetitions such as {8} and + that together copy it at most 4096 times)"
bad "an sms condition given twice" "menu $TOP/menus/bank.ivr
expect sms to \"+1555\" to \"+1666\"" "2:23: 'to' is given twice"
bad "a trigger that does not exist" "menu $TOP/menus/bank.ivr
when key 1 press 2" "2:6: unknown trigger 'key' (one of: prompt, menu)"
bad "a bad noise level" "menu $TOP/menus/bank.ivr
noise loud" "2:7: expected a noise level such as -50dBm0 (0 to -90)"
bad "no menu" "press 1" "1:1: the script names no menu (a line 'menu FILE.ivr')"
printf 'menu nowhere.ivr\n' > "$T/bad.call"
run ivr-sim --test --fast "$T/bad.call"
is "a menu file that is not there" "$rc:$out" \
   "1:not ok 1 - $T/bad.call: $T/nowhere.ivr: No such file or directory
1..1"
run ivr-sim --test --fast "$T/none.call"
is "a script that is not there: bad input, one line" "$rc:$out:$err" \
   "3::ivr-sim: $T/none.call: No such file or directory"
run ivr-sim --test --fast "$T"
is "a folder given as a script" "$rc:$err" "3:ivr-sim: $T: not a call script (a folder?)"
run ivr-sim --test
is "no scripts" "$rc:$(echo "$err" | head -1)" "2:ivr-sim: --test: no call scripts given"
run ivr-sim --junit x.xml menus/bank.ivr
is "--junit without --test" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-sim: --junit, --jobs, --shard, --coverage, --events, --target and --inband-keys go with --test"

# --- reactive rules: the nth time, every time, one after another
cat > "$T/nth.call" <<EOS
menu $TOP/menus/bank.ivr
at "2026-12-02 10:30"
when menu main 2nd time press 0
when prompt contains "For your balance" press 1
when prompt contains "eight digit account number" press "*"
expect path main, account, main
expect transfer "agents"
EOS
run ivr-sim --test --fast "$T/nth.call"
is "'2nd time': the rule waits for the second visit" \
   "$rc:$(echo "$out" | grep -c '^ok')" "0:2"
cat > "$T/every.call" <<EOS
menu $TOP/menus/bank.ivr
at "2026-12-02 10:30"
when prompt matches "[Pp]ress 1" every press 9
expect nomatch 3
expect transfer "agents"
EOS
run ivr-sim --test --fast "$T/every.call"
is "'every': the rule fires at each prompt" "$rc:$(echo "$out" | grep -c '^ok')" "0:2"
cat > "$T/together.call" <<EOS
menu $TOP/menus/bank.ivr
at "2026-12-02 10:30"
when prompt contains "For your balance" press 0
when prompt contains "For your balance" press 2
expect transfer "agents"
expect not menu lost_card
EOS
run ivr-sim --test --fast "$T/together.call"
is "rules on one prompt act in order, not at once" "$rc:$(echo "$out" | grep -c '^ok')" "0:2"
cat > "$T/vars.call" <<EOS
menu $TOP/menus/bank.ivr
caller +15550001234
when prompt contains "For your balance" say "balance"
when menu account hangup
expect var heard "balance"
expect var confidence "1.00"
expect var caller "+15550001234"
EOS
run ivr-sim --test --fast "$T/vars.call"
is "variables the engine sets are seen by expect var" "$rc:$(echo "$out" | grep -c '^ok')" "0:3"
bad "an ordinal without 'time'" 'when menu main 2nd press 1' \
    "1:20: expected 'time' after '2nd'"
bad "a word that is no ordinal" 'when menu main twice press 1' \
    "1:16: unknown caller action 'twice' (one of: press, say, play, hangup)"

# a script of 20,000 steps (the caller's cues are kept in order of time:
# each frame looks only at the cues that have begun)
printf 'menu main\n  prompt silence 100ms\n  on 9 repeat\n' > "$T/rep.ivr"
{ echo "menu rep.ivr"; echo "limit 72000s"; i=0
  while [ $i -lt 20000 ]; do echo "press 9"; i=$((i + 1)); done
  echo "expect nomatch 0"; echo "expect duration > 4000s"; } > "$T/long.call"
run ivr-sim --test --fast "$T/long.call"
is "20,000 steps, every key heard" "$rc:$(echo "$out" | grep -c '^ok')" "0:2"

# A worker's memory stays flat over its calls: 30 and 300 full-audio calls
# (the menu changes its choices many times a call) peak within 1 MB of each
# other. Each call leaked its parsed grammar once (15 KB a call, 4 MB here).
calls() {  # calls N: N runs of the three tunes scripts
    i=0; while [ $i -lt "$1" ]; do
        echo "$TOP"/tests/calls/tunes/*.call; i=$((i + 1)); done
}
peak_kb() {  # peak_kb N: the worker's peak resident memory, in KB
    /usr/bin/time -f %M ivr-sim --test $(calls "$1") 2>&1 >/dev/null | tail -1
}
if [ -n "${ASAN_OPTIONS:-}" ]; then
    # AddressSanitizer keeps freed memory in quarantine: peaks mean nothing
    tap_result 0 "memory is flat over calls # skip under AddressSanitizer"
else
    few=$(peak_kb 10)
    many=$(peak_kb 100)
    ok "memory is flat over calls: $few KB after 30, $many KB after 300" \
       test $((many - few)) -lt 1024
fi

done_testing
