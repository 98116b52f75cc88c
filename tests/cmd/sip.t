#!/bin/sh
# ivr-sim answering real SIP calls on loopback: Debian's baresip, a real
# softphone (tests/sip/baresip.sh), calls it, presses keys as RFC 4733
# events or plays a recording with key tones in it, and hangs up or is
# hung up on; two calls at once; a codec it does not speak, a malformed
# INVITE, a caller that vanishes, Ctrl-C. Each call's events and its
# recording (--record-calls) are kept, numbered on from an earlier run's. And ivr-sim --dial places
# notify.ivr's call: confirmed, rejected, not answered. --max-calls: busy
# beyond. What baresip heard is checked
# too: the recogniser finds the menu's words in it.
. "$(dirname "$0")/lib.sh"

S=$TOP/tests/sip
if ! command -v baresip >/dev/null || ! [ -x /usr/bin/python3 ]; then
    echo "1..0 # skip: baresip missing (make deps)"
    exit 0
fi
port=25060
pids=""
trap 'kill $pids 2>/dev/null; for d in a b c d; do [ -f $d/pid ] && kill $(cat $d/pid) 2>/dev/null; done; rm -rf "$T"' EXIT

# sim ARGS...: ivr-sim answering on $port in the background, up when it
# says so
sim() {
    : >sim.out
    ivr-sim "$TOP/menus/pharmacy.ivr" --sip-listen 127.0.0.1:$port "$@" >sim.out 2>sim.err &
    sim_pid=$!
    pids="$pids $sim_pid"
    i=0; while [ $i -lt 100 ] && ! grep -q answering sim.out; do sleep 0.05; i=$((i + 1)); done
}
# wait_for SECONDS FILE PATTERN
wait_for() {
    i=0; while [ $i -lt $(($1 * 20)) ] && ! grep -qE "$3" "$2" 2>/dev/null; do
        sleep 0.05; i=$((i + 1)); done
}

run ivr-sim "$TOP/menus/pharmacy.ivr" --sip-listen nowhere
is "an address that will not do" "$rc:$err" \
   "2:ivr-sim: --sip-listen nowhere: an address and port, such as 127.0.0.1:5060"
# a port past 16 bits: the SIP stack would wrap it (99999 listened on
# 34463 while saying 99999)
run timeout -k 2 10 ivr-sim "$TOP/menus/pharmacy.ivr" --sip-listen 127.0.0.1:99999
is "a port past 65535 is refused, not wrapped" "$rc:$err" \
   "2:ivr-sim: --sip-listen 127.0.0.1:99999: an address and port, such as 127.0.0.1:5060"
run ivr-sim "$TOP/menus/pharmacy.ivr" --sip-listen 127.0.0.1:$port --record-calls
is "--record-calls needs the folder" "$rc:$(echo "$err" | head -n 1)" \
   "2:ivr-sim: --record-calls needs --calls-dir DIR: the folder the recordings go to"
run ivr-sim "$TOP/menus/pharmacy.ivr" --sip-listen 127.0.0.1:$port --fast
is "--fast is not a real-time call" "$rc:$(echo "$err" | head -n 1)" \
   "2:ivr-sim: --sip-listen answers many calls in real time: --calls-dir keeps each one's events (not --fast, --output or --transcript)"

# a call of an earlier run in the folder: this run's calls are numbered
# after it
mkdir calls && echo '{"event":"call"}' >calls/call-7.jsonl
sim --calls-dir calls --record-calls --transfer-to "sip:{target}@127.0.0.1:$port"
is "ivr-sim answers on the port" "$(cat sim.out)" \
   "ivr-sim: answering SIP calls on 127.0.0.1:$port (UDP and TCP)"
run ivr-sim "$TOP/menus/pharmacy.ivr" --sip-listen 127.0.0.1:$port
is "a second one on the same port: exit 5, why" "$rc:$err" \
   "5:ivr-sim: --sip-listen 127.0.0.1:$port: Address already in use"

# --- keys as telephone events: a prescription refilled, and the IVR
# hangs up
sh "$S/baresip.sh" a 25062 25072 +15550104477
/usr/bin/python3 "$S/drive.py" 25072 "0.3 dial sip:pharmacy@127.0.0.1:$port" \
    "5 sndcode 1" "8 sndcode 1234567#" >/dev/null
wait_for 20 sim.out 'call 8: .*call ends'
like "call 8 (after the folder's call 7): the caller's number from the From header, the codec" \
     "$(cat sim.out)" 'call 8: from \+15550104477 to pharmacy \(PCMU\)'
like "... the keys of RFC 4733 events lead to the refill" "$(cat sim.out)" \
     'call 8: .* refill +key 7'
like "... and to its answer, texted to the caller's number" "$(cat sim.out)" \
     'call 8: .* ready +SMS to \+15550104477: "Corner Pharmacy: prescription 1234567 is ready'
like "... and the menu hangs up" "$(cat sim.out)" 'call 8: .* call ends: hangup'
wait_for 5 a/log 'terminated'
like "baresip is hung up on" "$(cat a/log)" 'Call with sip:pharmacy@127.0.0.1:[0-9]+ terminated'
like "the call's events are kept whole in calls/call-8.jsonl" \
     "$(head -n 1 calls/call-8.jsonl | tr -d '\n'; tail -n 1 calls/call-8.jsonl)" \
     '"event":"call".*"caller":"\+15550104477".*"event":"hangup".*"reason":"hangup"'
is "... the earlier run's call 7 is as it was" "$(cat calls/call-7.jsonl)" '{"event":"call"}'
is "--record-calls: the call's audio in calls/call-8.wav, two legs at 8 kHz" \
   "$(soxi -c calls/call-8.wav):$(soxi -r calls/call-8.wav)" "2:8000"
secs=$(soxi -D calls/call-8.wav)
ended=$(sed -n 's/.*"event":"hangup".*"duration":\([0-9.]*\).*/\1/p' calls/call-8.jsonl)
ok "... as long as the call ($secs s, hung up at $ended s)" \
   awk -v a="$secs" -v b="$ended" 'BEGIN { exit !(a >= b - 0.1 && a <= b + 5.1) }'
like "... the IVR's leg on the right: the recogniser finds the menu's words" \
     "$(ivr-asr --channel 2 calls/call-8.wav 2>/dev/null | tr '\n' ' ')" 'will be ready tomorrow'
is "... the keys sent as events are tones in the caller's leg, on the left" \
   "$(ivr-dtmf detect --channel 1 calls/call-8.wav 2>/dev/null | awk '{ printf "%s", $NF }')" '11234567#'
run ivr-sim "$TOP/menus/pharmacy.ivr" --input calls/call-8.wav --channel 1 --caller +15550104477
like "... so the recording replays the call: key 7 of the number reaches its answer" "$out" \
     "ready +enters menu 'ready' \(goto\)"
heard=$(ls a/snd/*dec.wav | head -n 1)
like "what baresip heard is the menu: the recogniser finds its words" \
     "$(ivr-asr "$heard" 2>/dev/null | tr '\n' ' ')" 'will be ready tomorrow'
kill $(cat a/pid) 2>/dev/null; rm -f a/pid

# --- two calls at once: key tones in one caller's audio, telephone events
# from the other
ivr-dtmf gen "2" -o key2.wav
sox -n -r 8000 -c 1 -b 16 quiet.wav trim 0 4
sox quiet.wav key2.wav quiet.wav quiet.wav quiet.wav caller.wav
sh "$S/baresip.sh" b 25064 25074 +15550104478 "$T/caller.wav"
sh "$S/baresip.sh" c 25066 25076 +15550104479
/usr/bin/python3 "$S/drive.py" 25074 "0.3 dial sip:pharmacy@127.0.0.1:$port" >/dev/null &
/usr/bin/python3 "$S/drive.py" 25076 "0.3 dial sip:pharmacy@127.0.0.1:$port" \
    "5 sndcode 0" >/dev/null
i=0; while [ $i -lt 400 ] && [ "$(grep -cE 'call (9|10): .*call ends' sim.out)" -lt 2 ]; do
    sleep 0.05; i=$((i + 1)); done
b=$(sed -n 's/^call \(9\|10\): from +15550104478.*/\1/p' sim.out)
c=$(sed -n 's/^call \(9\|10\): from +15550104479.*/\1/p' sim.out | head -n 1)
ok "two calls at once, numbered 9 and 10" test "$b$c" = 910 -o "$b$c" = 109
like "the key tone in a caller's audio is heard: opening hours" "$(grep "^call $b:" sim.out)" \
     "call $b: .* hours +enters menu 'hours'"
is "... and is in the caller's leg of its recording, on the left" \
   "$(ivr-dtmf detect --channel 1 calls/call-$b.wav 2>/dev/null | awk '{ print $NF }' | tr -d '\n')" 2
like "... and the call ends when the caller hangs up at the end of it" \
     "$(grep "^call $b:" sim.out)" "call $b: .* call ends: caller hung up"
like "the other caller's 0 goes to the pharmacist, at the same time" \
     "$(grep "^call $c:" sim.out)" "call $c: .* call ends: transfer"
wait_for 10 c/log 'transferring call'
like "... as a SIP REFER to --transfer-to's URI" "$(cat c/log)" \
     "transferring call [0-9a-f]+ to '<sip:pharmacist@127.0.0.1:$port>'"
wait_for 10 sim.out 'from \+15550104479 to pharmacist'
like "... which the caller's phone follows: a call to the pharmacist" \
     "$(cat sim.out)" 'call [0-9]+: from \+15550104479 to pharmacist \(PCMU\)'
kill $(cat b/pid) $(cat c/pid) 2>/dev/null; rm -f b/pid c/pid

# --- a codec it does not speak: 488
sh "$S/baresip.sh" a 25062 25072 +15550104477 "" GSM
/usr/bin/python3 "$S/drive.py" 25072 "0.3 dial sip:pharmacy@127.0.0.1:$port" >/dev/null
wait_for 5 a/log '488'
like "a caller offering GSM alone is told 488 Not Acceptable Here" "$(cat a/log)" \
     '488 Not Acceptable Here'
kill $(cat a/pid) 2>/dev/null; rm -f a/pid

# --- malformed requests: the line goes on
/usr/bin/python3 - $port <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for p in (b"INVITE sip:x SIP/2.0\r\n\r\n", b"\x00\xff" * 300,
          b"INVITE sip:pharmacy@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKx\r\n"
          b"From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.1>\r\nCall-ID: bad\r\nCSeq: 1 INVITE\r\n"
          b"Contact: <sip:a@127.0.0.1:9>\r\nContent-Type: application/sdp\r\nContent-Length: 9\r\n\r\nnot sdp!!"):
    s.sendto(p, ("127.0.0.1", int(sys.argv[1])))
PY
sleep 0.5
ok "malformed requests do not end the line" alive $sim_pid

# --- a caller that vanishes without a BYE
sh "$S/baresip.sh" a 25062 25072 +15550104477
/usr/bin/python3 "$S/drive.py" 25072 "0.3 dial sip:pharmacy@127.0.0.1:$port" >/dev/null
wait_for 10 sim.out 'call [0-9]+: .*says "Thank you'
kill -9 $(cat a/pid); rm -f a/pid
wait_for 15 sim.err 'no audio from the caller'
like "no audio for 10 s: the call ends, and says why" "$(cat sim.err)" \
     'ivr-sim: warning: call [0-9]+: no audio from the caller for 10 s'

# --- calls placed: notify.ivr rings a phone that answers by itself and
# presses 1; one that rejects the call; one that is not answered
# (each bounded: a call that never ends is a failure, not a hung test)
sh "$S/baresip.sh" d 25068 25078 +15550104480 "" PCMU auto
/usr/bin/python3 "$S/drive.py" 25078 "9 sndcode 1" >/dev/null &
run timeout -k 5 90 ivr-sim "$TOP/menus/notify.ivr" --dial sip:+15550104480@127.0.0.1:25068 --calls-dir dialled
is "--dial: answered and confirmed, exit 0" "$rc:$err" "0:"
like "... the callee's number is {called}" "$out" 'call 1: sip:\+15550104480@127.0.0.1:25068 answered \(PCMU\)'
like "... the key sent as an RFC 4733 event confirms it" "$out" \
     'call 1: .* reminder +callee confirmed'
like "... and the call ends so" "$out" 'call 1: .* call ends: hangup, [0-9.]+s, confirmed$'
like "... and its events are kept" "$(tail -n 1 dialled/call-1.jsonl)" '"outcome":"confirmed"'
kill $(cat d/pid) 2>/dev/null; rm -f d/pid
sh "$S/baresip.sh" d 25068 25078 +15550104480
/usr/bin/python3 "$S/drive.py" 25078 "2 hangup" >/dev/null &
run timeout -k 5 90 ivr-sim "$TOP/menus/notify.ivr" --dial sip:+15550104480@127.0.0.1:25068
like "a callee who rejects the call: exit 1, the SIP status" "$rc:$err" \
     '^1:ivr-sim: sip:\+15550104480@127.0.0.1:25068: 486 '
run timeout -k 5 90 ivr-sim "$TOP/menus/notify.ivr" --dial sip:+15550104480@127.0.0.1:25068 --ring-time 2s
is "a callee who does not answer: exit 1 after the ring time" "$rc:$err" \
   "1:ivr-sim: sip:+15550104480@127.0.0.1:25068: no answer after 2 s"
kill $(cat d/pid) 2>/dev/null; rm -f d/pid
run ivr-sim "$TOP/menus/notify.ivr" --dial pharmacy
is "--dial takes a SIP URI" "$rc:$err" \
   "2:ivr-sim: --dial pharmacy: a SIP URI, such as sip:+15550104477@pbx.example"
run timeout -k 2 10 ivr-sim "$TOP/menus/notify.ivr" --dial "sip:+15550104480@127.0.0.1:99999;transport=udp"
is "--dial: a port past 65535 is refused, not wrapped" "$rc:$err" \
   "2:ivr-sim: --dial sip:+15550104480@127.0.0.1:99999;transport=udp: the port is not 1 to 65535"

# --- Ctrl-C: calls end, with a BYE
sh "$S/baresip.sh" a 25062 25072 +15550104477
/usr/bin/python3 "$S/drive.py" 25072 "0.3 dial sip:pharmacy@127.0.0.1:$port" >/dev/null
wait_for 10 a/log 'Call established'
sleep 1
interrupt $sim_pid
is "Ctrl-C: ivr-sim ends its calls and exits 0" "$?" 0
like "... each call's end says so" "$(cat sim.out)" 'call [0-9]+: .*call ends: interrupted'
wait_for 5 a/log 'terminated'
like "... and the caller is sent a BYE" "$(cat a/log)" 'terminated'
kill $(cat a/pid) 2>/dev/null
wait_gone "$(cat a/pid)"
rm -f a/pid

# --- --max-calls: a line sized for one call tells a second it is busy
sim --max-calls 1 -v
wait_for 20 sim.out 'recognisers for'
like "--max-calls 1 -v: its recogniser loaded at start, and said" "$(cat sim.out)" \
     'ivr-sim: recognisers for 1 call loaded \([0-9.]+ s\)'
sh "$S/baresip.sh" a 25062 25072 +15550104477
/usr/bin/python3 "$S/drive.py" 25072 "0.3 dial sip:pharmacy@127.0.0.1:$port" >/dev/null
wait_for 10 a/log 'Call established'
sh "$S/baresip.sh" c 25066 25076 +15550104479
/usr/bin/python3 "$S/drive.py" 25076 "0.3 dial sip:pharmacy@127.0.0.1:$port" >/dev/null
wait_for 10 c/log '486'
like "a second call is told 486 Busy Here" "$(cat c/log)" '486 Busy Here'
like "... while the first goes on" "$(cat sim.out)" 'call 1: from \+15550104477'
is "... and only the first was answered" "$(grep -c 'to pharmacy (PCMU)' sim.out)" 1
interrupt $sim_pid
is "... and Ctrl-C ends it" "$?" 0

done_testing
