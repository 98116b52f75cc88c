#!/bin/sh
# ivr-sim end to end: the sample menus run from scripted keys and words,
# replayed from the bundled caller recordings, checked, graphed; outputs;
# and every kind of bad input with its exact message.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME="$T/cache"
M=$TOP/menus
S=$TOP/samples

# --- the sample menus check clean
for f in tunes coupon notify bank pharmacy; do
    run ivr-sim --check "$M/$f.ivr"
    is "$f.ivr: --check finds nothing" "$rc:$out" "0:$M/$f.ivr: no problems found"
done

# --- support staff: a recorded call replayed retraces the caller's path
run ivr-sim "$M/bank.ivr" -i "$S/bank-call-stereo-ulaw.wav" -c 1 --json \
    --http-fixtures "$M/bank-backend.http"
like "bank replay: 'balance' heard in the recording" "$out" \
     '"event":"speech","menu":"main","text":"balance","choice":"balance"'
like "bank replay: the account number from the tones" "$out" \
     '"event":"set","menu":"account","value":"41234567","name":"account"'
like "bank replay: the pound key after a full number is not a no-match" \
     "$out" '"key":"#","ignored":"terminator after a complete value"'
like "bank replay: the caller ends the call with #" \
     "$(echo "$out" | tail -1)" '"event":"hangup","menu":"balance","reason":"hangup"'
is "bank replay: exit 0" "$rc" 0

# the same recording as a PBX or an editor may save it, at another rate:
# the same path, to the same last event (a resampled file hands out
# partial frames, once taken for the caller hanging up)
events_of() { echo "$1" | grep -E 'enters|key|heard|ends' | sed 's/ (confidence [0-9.]*)//'; }
run ivr-sim "$M/bank.ivr" -i "$S/bank-call-stereo-ulaw.wav" \
    --http-fixtures "$M/bank-backend.http"
at_8k=$(events_of "$out")
for r in 11025 44100; do
    sox "$S/bank-call-stereo-ulaw.wav" -r $r -e signed -b 16 "bank-$r.wav"
    run ivr-sim "$M/bank.ivr" -i "bank-$r.wav" \
        --http-fixtures "$M/bank-backend.http"
    is "bank replay at $r Hz: the events of the 8 kHz file" \
       "$(events_of "$out")" "$at_8k"
done

run ivr-sim "$M/tunes.ivr" -i "$S/tunes-caller-ulaw.wav" --caller +15550104477
like "tunes replay: 9 during the music sends the song by SMS" "$out" \
     'night_drive +SMS to \+15550104477: "Tune Line: you heard Night Drive by The Quiet Hours, from the album Low Tide."'
is "tunes replay: two SMS, the music not interrupted" \
   "$(echo "$out" | grep -c 'SMS to')" 2
like "tunes replay: asking for the operator transfers from any menu" \
     "$(echo "$out" | tail -2)" 'transfers to operator'

# the same caller from a script, not a recording: the same path
run ivr-sim "$M/tunes.ivr" --caller +15550104477 --say "samples @3s" \
    --keys "9 @13s, 2 @22s, 9 @31s" --say "operator @40s"
# (the confidence may differ in the last digit: the recording is mu-law)
path_of() { echo "$1" | grep -E 'SMS|heard|enters|ends' | sed 's/ (confidence [0-9.]*)//; s/" (stored #.*$/"/'; }
scripted=$(path_of "$out")
run ivr-sim "$M/tunes.ivr" -i "$S/tunes-caller-ulaw.wav" --caller +15550104477
is "a script and its recording take the same path" "$(path_of "$out")" \
   "$scripted"

# --- fast mode: logic only, the same decisions
run ivr-sim "$M/bank.ivr" --fast --keys "1 @3s, 41234567# @6s, # @20s" \
    --http-fixtures "$M/bank-backend.http"
like "fast: the account collected and the balance read" "$out" \
     'says "The balance of account 4 1 2 3 4 5 6 7 is 1,204 dollars and 50 cents."'
like "fast: the call ends by the caller's #" "$(echo "$out" | tail -1)" \
     'call ends: hangup'

run ivr-sim "$M/bank.ivr" --fast --keys "1 @3s, 1234# @6s" --max-duration 60s
like "fast: a short account number is refused" "$out" \
     'no match "1234": 4 digits \(terminator\), at least 8 wanted \(1\)'

run ivr-sim "$M/notify.ivr" --fast --called +15550102020 --keys "1 @12s"
like "notify: an outbound call the callee confirms" "$(echo "$out" | tail -1)" \
     'call ends: hangup, [0-9.]+s, confirmed$'
run ivr-sim "$M/notify.ivr" --fast --called +15550102020 --keys "2 @12s, 1 @20s"
like "notify: cancelled, with an SMS to the number called" "$out" \
     'SMS to \+15550102020: "Riverside Clinic: your appointment on Tuesday, March 3 is cancelled.'
like "notify: cancelled is not confirmed" "$(echo "$out" | tail -1)" \
     'not confirmed$'

run ivr-sim "$M/coupon.ivr" --fast --caller +15550107788 --keys "1 @3s" --seed 42
serial=$(echo "$out" | sed -n 's/.*coupon \([0-9A-Z-]*\) (spring-sale).*/\1/p')
like "coupon: a serial issued for the promotion" "$serial" \
     '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$'
like "coupon: the SMS carries it" "$out" "20% off everything until May 31 with coupon $serial"
run ivr-sim "$M/coupon.ivr" --fast --caller +15550107788 --keys "1 @3s" --seed 42
like "coupon: --seed makes serials reproducible" "$out" "coupon $serial"
run ivr-sim "$M/coupon.ivr" --fast --keys "1 @3s"
like "coupon: a withheld number gets no SMS" "$out" "enters menu 'no_number'"

# without --seed the menu's coupon goes to the store and its SMS to the
# outbox of ivr-send-sms, where a merchant redeems it
run ivr-sim "$M/coupon.ivr" --fast --caller +15550107788 --keys "1 @3s"
serial=$(echo "$out" | sed -n 's/.*coupon \([0-9A-Z-]*\) (spring-sale).*/\1/p')
like "coupon: the SMS is stored in the outbox" "$out" \
     "SMS to \\+15550107788: .*coupon $serial.*\\(stored #[0-9]+ \\(in the outbox\\)\\)\$"
like "coupon: ivr-send-sms lists it" "$(ivr-send-sms --list --limit 1)" "coupon $serial"
run ivr-send-sms --redeem "$serial" --merchant "Corner Store"
is "coupon: the merchant redeems the serial the caller got" "$rc:$out" "0:redeemed for Corner Store"
like "coupon: the promotion's conversion" "$(ivr-send-sms --report spring-sale | grep '^total')" \
     '^total +1 +1 +100\.0%$'
run ivr-sim "$M/tunes.ivr" --fast --caller +15550104477 --keys "1 @3s, 9 @12s" --no-sms \
    --max-duration 20s
like "--no-sms: an event only" "$out" 'SMS to .*\(not sent: no SMS backend\)$'
run ivr-sim "$M/tunes.ivr" --fast --sms-backend pigeon --keys "1 @3s"
is "--sms-backend checked" "$rc:$err" \
   "2:ivr-sim: unknown SMS backend 'pigeon' (outbox, kannel or http)"

run ivr-sim "$M/bank.ivr" --fast --keys "2 @3s, 1 @8s" --max-duration 90s
like "bank: a recorded message after the tone" "$out" \
     'recorded message: 3\.00s, stopped by silence$'

run ivr-sim "$M/tunes.ivr" --fast --var caller=+15550001234 --keys "2 @3s" \
    --max-duration 30s --seed 1
like "--var sets a variable" "$out" 'SMS to \+15550001234'

# --- outputs
run ivr-sim "$M/bank.ivr" --at "2026-12-02 10:30" --keys "# @1s, 0 @4s" -o heard.wav \
    --stereo-output both.wav -t events.jsonl
is "outputs: exit 0" "$rc" 0
like "the caller heard 8 kHz audio as long as the call" \
     "$(soxi -r heard.wav) $(soxi -D heard.wav)" '^8000 4\.0'
is "both legs: stereo" "$(soxi -c both.wav)" 2
like "the transcript is JSON Lines, one event a line" \
     "$(sed -n 1p events.jsonl)" '^\{"t":0\.00,"event":"call","menu":"","caller":"","called":"","direction":"inbound"\}$'
is "the transcript ends with the hang-up" \
   "$(tail -1 events.jsonl | grep -o '"event":"[a-z]*"')" '"event":"hangup"'
run ivr-sim "$M/bank.ivr" --keys "0 @1s" -o heard.wav
like "an existing output is not replaced" "$rc:$err" \
     '^5:ivr-sim: heard.wav: exists; not replacing it'
run ivr-sim "$M/bank.ivr" --keys "0 @1s" -t events.jsonl
is "an existing transcript is not replaced" "$rc:$err" \
   "5:ivr-sim: events.jsonl: exists; not replacing it (--force replaces it)"

mkdir rec
run ivr-sim "$M/bank.ivr" --say "lost card @3s" --keys "1 @10s" \
    --say "my name is Ann and I left it at the station @16.8s" --record-dir rec \
    --max-duration 60s
like "record: the caller's words, then 3 s of silence, written to a file" \
     "$out" 'recorded message: [5-7]\.[0-9]+s, stopped by silence, in rec/lost_card-message-1.wav'
is "record: the file is there" "$(soxi -r rec/lost_card-message-1.wav 2>&1)" 8000

# --- the graph
run ivr-sim --graph "$M/bank.ivr"
like "--graph: DOT" "$(echo "$out" | head -1)" '^digraph ivr \{$'
like "--graph: an edge per way out, labelled with the input" "$out" \
     '"main" -> "account" \[label="1, \\"balance\\", \\"account balance\\""\];'

# every edge the engine can take, and none it cannot
run ivr-sim --graph "$M/tunes.ivr"
like "--graph: back leads where the caller came from" "$out" \
     '"night_drive" -> "main" \[label="\* \(back\)", style=dotted\];'
like "--graph: top leads to the start menu" "$out" \
     '"low_tide" -> "main" \[label="\* \(top\)", style=dotted\];'
like "--graph: repeat is a loop" "$out" '"night_drive" -> "night_drive" \[label="1 \(repeat\)"\];'
like "--graph: a global key from each menu that hears it" "$out" \
     '"low_tide" -> "\(transfer operator\)" \[label="0, \\"operator\\", \\"agent\\""\];'
is "--graph: no menu stands apart, and a menu that never waits has no exhausted edge" \
   "$(echo "$out" | grep -c 'any menu'):$(echo "$out" | grep -c '"goodbye" -> .*exhausted')" "0:0"

# --- bad menus: one line, file:line:col
printf 'menu main\n  on 1 goto mian\n' > typo.ivr
run ivr-sim --check typo.ivr
is "a typo in a target" "$rc:$err" \
   "3:ivr-sim: typo.ivr:2:13: no menu named 'mian' (did you mean 'main'?)"
printf 'menu main\n  timout 5s\n' > typo2.ivr
run ivr-sim typo2.ivr --fast
is "a typo in a keyword" "$rc:$err" \
   "3:ivr-sim: typo2.ivr:2:3: unknown word 'timout' (did you mean 'timeout'?)"
# --check: every mistake of the file, each on its line, the nearest word
# suggested wherever a name or an action is misspelt
printf 'menu main\n  on 1 hang up\n  on 2 transfr "x"\n  tmeout 3s\nmenu b\n  on 1 hangup\n' > many.ivr
run ivr-sim --check many.ivr
is "--check reports every line that does not parse" "$rc:$err" \
   "3:ivr-sim: many.ivr:2:8: unknown action 'hang up' (did you mean 'hangup'?)
ivr-sim: many.ivr:3:8: unknown action 'transfr' (did you mean 'transfer'?)
ivr-sim: many.ivr:4:3: unknown word 'tmeout' (did you mean 'timeout'?)"
printf 'menu main\n  on 1 goto Refill\n  on 2 goto refil\nmenu refill\n  on 1 hangup\n  on 1 hangup\n' > names.ivr
run ivr-sim --check names.ivr
is "--check reports every name it cannot resolve" "$rc:$err" \
   "3:ivr-sim: names.ivr:2:13: no menu named 'Refill' (did you mean 'refill'?)
ivr-sim: names.ivr:3:13: no menu named 'refil' (did you mean 'refill'?)
ivr-sim: names.ivr:6:3: key '1' is already handled in menu 'refill' (line 5)"
awk 'BEGIN { print "menu main"; for (i = 0; i < 30; i++) print "  bogus" i }' > flood.ivr
run ivr-sim --check flood.ivr
is "--check stops after 20 mistakes, and says so" \
   "$rc:$(echo "$err" | wc -l):$(echo "$err" | tail -1)" \
   "3:21:ivr-sim: warning: stopped after 20 mistakes"
printf 'menu main\n  on 1 hangup\n  on 12 hangup\n' > lint.ivr
run ivr-sim --check lint.ivr
is "--check: a warning and exit 1" "$rc:$out" \
   "1:lint.ivr:2:3: warning: in menu 'main', key '1' is the start of key '12': a caller who means '1' waits out the inter-digit timeout (3s)"
run ivr-sim nowhere.ivr
is "a missing menu file" "$rc:$err" \
   "3:ivr-sim: nowhere.ivr: No such file or directory"
: > empty.ivr
run ivr-sim empty.ivr
is "an empty menu file" "$rc:$err" \
   "3:ivr-sim: empty.ivr:1:1: no menu in this file (a menu starts with a line 'menu NAME')"
head -c 3000 /dev/urandom > binary.ivr
run ivr-sim binary.ivr
like "a binary file" "$rc:$err" '^3:ivr-sim: binary\.ivr:[0-9]+:[0-9]+: '
printf 'menu main\n  on 1, "flibbertigibbet" hangup\n' > word.ivr
run ivr-sim word.ivr --max-duration 5s
is "a phrase the recogniser cannot know" "$rc:$(echo "$err" | tail -1)" \
   "3:ivr-sim: word.ivr:1:6: menu 'main': choice \"flibbertigibbet\": the word 'flibbertigibbet' is not in the dictionary"

awk 'BEGIN { for (i = 0; i < 20000; i++) printf "menu m%d\n  say \"menu %d\"\n  on 1 goto m%d\n  on exhausted goto m%d\n", i, i, (i + 1) % 20000, i }' > huge.ivr
run ivr-sim --check huge.ivr
is "a file of 20,000 menus: each found with no way out" \
   "$rc:$(echo "$out" | wc -l):$(echo "$out" | tail -1)" \
   "1:20000:huge.ivr:79997:6: warning: menu 'm19999' has no way out: no path from it reaches a hangup or a transfer"

# --- files a menu may name: its own folder's, or what --allow-dir adds
mkdir -p conf other
printf 'include "/etc/shadow"\nmenu main\n  on 1 hangup\n' > conf/shadow.ivr
run ivr-sim --check conf/shadow.ivr
is "an include outside the menu's folder is refused, its content never shown" "$rc:$err" \
   "3:ivr-sim: conf/shadow.ivr:1:9: included file '/etc/shadow' is outside the menu's folder $T/conf (ivr-sim --allow-dir DIR lets a menu use files of DIR)"
cp "$M/audio/low-tide.wav" other/
printf 'menu main\n  play ../other/low-tide.wav\n  on 1 hangup\n' > conf/out.ivr
run ivr-sim --check conf/out.ivr
like "audio outside the menu's folder is refused" "$rc:$err" \
     "^3:ivr-sim: conf/out.ivr:2:8: audio file '../other/low-tide.wav' is outside the menu's folder "
run ivr-sim --check --allow-dir other conf/out.ivr
is "--allow-dir lets it in" "$rc:$out" "0:conf/out.ivr: no problems found"
# an include bomb: seven files of ten includes each read each file once
for k in 1 2 3 4 5 6; do
    for j in 1 2 3 4 5 6 7 8 9 10; do echo "include \"b$((k + 1)).ivr\""; done > conf/b$k.ivr
done
printf 'menu bottom\n  on 1 hangup\n' > conf/b7.ivr
printf 'include "b1.ivr"\ninclude "b1.ivr"\nstart bottom\n' > conf/bomb.ivr
run ivr-sim --check conf/bomb.ivr
is "a file included many times is read once" "$rc:$out" "0:conf/bomb.ivr: no problems found"

# --- bad input and options
# a usage error is a usage error, whatever the SMS configuration says
mkdir -p cfg/ivrkit && echo "bogus line" > cfg/ivrkit/sms.conf
XDG_CONFIG_HOME="$T/cfg" ivr-sim --live --keys "1 @1s" "$M/bank.ivr" >/dev/null 2>"$T/callers.err"
is "two callers at once: exit 2 before any file is read" "$?:$(head -1 "$T/callers.err")" \
   "2:ivr-sim: --live, --console, --sip-listen (or --dial) and --input/--keys/--say are different callers: choose one"
run ivr-sim "$M/bank.ivr" -i "$S/nope.wav"
like "a missing recording" "$rc:$err" '^3:ivr-sim: .*nope\.wav: No such file or directory$'
printf 'not audio at all' > fake.wav
run ivr-sim "$M/bank.ivr" -i fake.wav
like "a file that is not audio" "$rc:$err" '^3:ivr-sim: fake\.wav: '
run ivr-sim "$M/bank.ivr" --keys "1 2s"
is "--keys without @" "$rc:$err" \
   "2:ivr-sim: --keys: '1 2s' needs a time, such as '1 2s @2s'"
run ivr-sim "$M/bank.ivr" --keys "1 @3s 94110# @12s"
is "--keys whose entries lack the comma between them" "$rc:$err" \
   "2:ivr-sim: --keys: '1 @3s 94110# @12s' has two times: a comma goes between entries, as in '1 @3s, 94110# @9s'"
run ivr-sim "$M/bank.ivr" --keys "x @2s"
is "--keys that are not keys" "$rc:$err" \
   "2:ivr-sim: --keys: 'x' is not a string of keys (0-9 * # A-D)"
run ivr-sim "$M/bank.ivr" --say "hello @soon"
is "a bad time" "$rc:$err" \
   "2:ivr-sim: --say: 'soon' is not a time (such as 2s, 1500ms, 1m5s or 1h)"
# one duration grammar everywhere
run ivr-sim "$M/bank.ivr" --fast -q --keys "0 @1m5s" --max-duration 1m10s
is "--keys and --max-duration take the same durations (1m5s)" "$rc" 0
run ivr-sim "$M/bank.ivr" --fast -q --keys "0 @0.01h" --max-duration 1h
is "... and hours" "$rc" 0
run ivr-sim "$M/bank.ivr" --fast -i "$S/bank-call-stereo-ulaw.wav"
like "--fast with a recording" "$rc:$err" '^2:ivr-sim: --fast runs without audio: it cannot read --input '
run ivr-sim "$M/bank.ivr" --var novalue
is "--var without =" "$rc:$err" "2:ivr-sim: variable 'novalue' is not NAME=VALUE"
run ivr-sim
is "no menu" "$rc:$(echo "$err" | head -1)" "2:ivr-sim: no menu file given"
run ivr-sim "$M/bank.ivr" --max-duration 0
like "a zero duration" "$rc:$err" "^2:ivr-sim: --max-duration: '0' is not a duration"
run ivr-sim "$M/bank.ivr" --caller-voice nobody --say "hi @1s"
like "an unknown caller voice" "$rc:$err" "^2:ivr-sim: unknown voice 'nobody'"
run ivr-sim "$M/bank.ivr" --bogus
like "an unknown option" "$rc:$err" "^2:ivr-sim: unrecognized option '--bogus'"

done_testing
