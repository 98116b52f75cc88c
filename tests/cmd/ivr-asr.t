#!/bin/sh
# ivr-asr end to end: a caller's answers in a recording, output forms,
# telephone formats, and bad input.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME="$T/cache"
C='billing|technical support,tech support|agent,operator,representative'

# a caller (flite's rms voice; the IVR speaks with slt) answers twice
ivr-tts --voice rms -r 16000 "technical support" -o a.wav
ivr-tts --voice rms -r 16000 "representative" -o b.wav
sox -n -r 16000 -b 16 gap.wav trim 0 1.5
sox gap.wav a.wav gap.wav b.wav gap.wav call.wav

run ivr-asr --choices "$C" call.wav
is "two answers, one line each" "$(echo "$out" | wc -l)" 2
like "first: the choice named by its first phrase" "$(echo "$out" | sed -n 1p)" \
     '^1\.[0-9]{3} [23]\.[0-9]{3} (0\.[5-9][0-9]|1\.00) technical support$'
like "second: a synonym gives its choice" "$(echo "$out" | sed -n 2p)" \
     ' agent$'

run ivr-asr --json --choices "$C" call.wav
like "JSON Lines" "$(echo "$out" | sed -n 2p)" \
     '^\{"file":"call.wav","start":[0-9.]+,"end":[0-9.]+,"text":"representative","choice":"agent","confidence":[0-9.]+,"rejected":false,"margin":-?[0-9.]+,"narrowband":false\}$'

# the same call as a PBX keeps it: 8 kHz mu-law, stereo, caller on the right
sox call.wav -r 8000 -e u-law call8.wav sinc 300-3400
sox -n -r 8000 -e u-law ivrleg.wav trim 0 "$(soxi -D call8.wav)"
sox -M ivrleg.wav call8.wav -e u-law stereo.wav
run ivr-asr --choices "$C" -c 2 stereo.wav
is "8 kHz mu-law, caller leg of a stereo file" \
   "$(echo "$out" | cut -d' ' -f4- | tr '\n' '/')" "technical support/agent/"

ivr-tts --voice awb -r 16000 "I would like to buy some shoes" -o shoes.wav
run ivr-asr --choices "$C" shoes.wav
like "speech outside the choices is no match" "$out" '<nomatch>'

run ivr-asr shoes.wav
like "free speech without a list" "$out" 'shoes'

ivr-tts --voice rms -r 16000 "I just want to talk to an operator right now" -o kw.wav
echo "operator /1e-15/" >kw.txt
run ivr-asr --keywords kw.txt kw.wav
like "keyword spotting" "$out" ' operator$'

# each keyword a line of its own, with its own time, in the order said
ivr-tts --voice rms -r 16000 "my account balance is wrong so give me an operator" -o kw2.wav
printf 'operator /1e-15/\naccount balance /1e-20/\n' >kw2.txt
run ivr-asr --keywords kw2.txt kw2.wav
like "keywords: one line each, in the order said, single spaces" \
     "$(echo "$out" | cut -d' ' -f4- | tr '\n' '/')" '^account balance/operator/$'
first_end=$(echo "$out" | sed -n 1p | cut -d' ' -f2)
second_start=$(echo "$out" | sed -n 2p | cut -d' ' -f1)
is "keywords: each has its own span" \
   "$(echo "$first_end < $second_start" | bc)" 1

cat >digits.gram <<'G'
#JSGF V1.0;
grammar digits;
public <digits> = ( one | two | three | four | five | six | seven | eight | nine | zero ) +;
G
ivr-tts --voice rms -r 16000 "four one one" -o d.wav
run ivr-asr --grammar digits.gram d.wav
like "JSGF grammar" "$out" ' four one one$'

run ivr-asr --choices "$C" call.wav call8.wav
like "several files: labelled, times from each file's start" \
     "$(echo "$out" | cut -d' ' -f1,2 | tr '\n' '/')" \
     '^call.wav: 1\.[0-9]+/call.wav: [34]\.[0-9]+/call8.wav: 1\.[0-9]+/call8.wav: [34]\.[0-9]+/$'

run ivr-asr --choices "$C" --min-confidence 0.999 call.wav
is "--min-confidence 0.999 rejects both" "$(echo "$out" | grep -c '<nomatch>')" 2

# the bundled phone recording (the demo relies on it)
run ivr-asr --choices 'billing|technical support,tech support|agent,operator,i want to speak to an agent' \
    "$TOP/samples/answers-ulaw.wav"
is "bundled answers: two choices and a no-match" \
   "$(echo "$out" | cut -d' ' -f4 | tr '\n' '/')" "technical/agent/<nomatch>/"

# key tones are not words: sox-made tones (#, 1 and 0), none reach the
# recogniser, and speech after them is still heard
sox -n -r 8000 -c 1 quiet.wav trim 0 0.6
sox -n -r 8000 hash.wav synth 0.30 sine 941 sine 1477 channels 1 vol 0.4
sox -n -r 8000 one.wav synth 0.12 sine 697 sine 1209 channels 1 vol 0.3
sox -n -r 8000 zero.wav synth 0.09 sine 941 sine 1336 channels 1 vol 0.5
sox quiet.wav hash.wav quiet.wav one.wav quiet.wav zero.wav quiet.wav keys.wav
run ivr-asr --choices 'balance|coupon|agent' keys.wav
is "key tones alone: nothing heard" "$rc:$out" "0:"
sox a.wav -r 8000 a8.wav
sox keys.wav a8.wav quiet.wav keys-then-words.wav
run ivr-asr --choices "$C" keys-then-words.wav
like "words after key tones: heard, timed after the keys" "$out" \
     '^(1[.][6-9]|2[.][0-9])[0-9]* [0-9.]+ [0-9.]+ technical support$'

# one recogniser path: ivr-asr on an 8 kHz file answers what ivr-sim hears
cat >m.ivr <<'M'
start m
menu m
  prompt "Say a department."
  on "billing" hangup
  on "technical support", "tech support" hangup
  on "agent", "operator", "representative" hangup
M
# (an answer the recogniser is unsure of: a confidence well inside 0..1)
ivr-tts --voice awb -r 16000 "tech support please" -o unsure.wav
sox -n -r 8000 lead.wav trim 0 2.5
sox gap.wav unsure.wav gap.wav -r 8000 -e u-law unsure8.wav sinc 300-3400
sox lead.wav unsure8.wav one-answer.wav
run ivr-sim m.ivr --input one-answer.wav --json
sim=$(echo "$out" | sed -n 's/.*"event":"speech".*"confidence":\([0-9.]*\).*/\1/p' | head -1)
run ivr-asr --json --choices "$C" one-answer.wav
asr=$(echo "$out" | sed -n 's/.*"confidence":\([0-9.]*\).*/\1/p' | head -1)
like "ivr-sim is unsure of it" "$sim" '^0\.[1-9][0-9]$'
is "the same 8 kHz utterance: ivr-asr's confidence is ivr-sim's" "$asr" "$sim"
like "an 8 kHz file is telephone audio" "$out" '"narrowband":true'
run ivr-asr --json --telephone --choices "$C" call.wav
like "--telephone: a 16 kHz file heard as ivr-sim hears it" "$out" '"narrowband":true'

# --- bad input ---------------------------------------------------------------
run ivr-asr --choices "billing|frobnicator" call.wav
is "a word the dictionary lacks" "$rc:$err" \
   "3:ivr-asr: choice \"frobnicator\": the word 'frobnicator' is not in the dictionary"
: > empty.kw
run ivr-asr --keywords empty.kw call.wav
is "an empty keyword file is bad input" "$rc:$out:$err" \
   "3::ivr-asr: empty.kw: no keywords in it (a line each: 'phrase /1e-20/')"
# random bytes after one that is no text (a first line of random bytes
# may by chance be empty, and the mistake then on line 2)
{ printf '\177'; head -c 300 /dev/urandom; } > garbage.kw
run ivr-asr --keywords garbage.kw call.wav
is "a binary keyword file: bad input, none of it quoted" "$rc:$err" \
   "3:ivr-asr: garbage.kw:1: not a keyword line"
printf 'billing /1e-20/\nfrobnicate /1e-10/\n' > word.kw
run ivr-asr --keywords word.kw call.wav
is "a keyword outside the dictionary is named" "$rc:$err" \
   "3:ivr-asr: word.kw:2: the word 'frobnicate' is not in the dictionary"
run ivr-asr --grammar . call.wav
is "a folder as the grammar" "$rc:$err" "3:ivr-asr: .: not a grammar file (a folder?)"
echo "not a grammar" >bad.gram
run ivr-asr --grammar bad.gram call.wav
is "a bad grammar, and nothing leaks to stdout" "$rc:$out:$err" \
   "3::ivr-asr: bad.gram: not a JSGF grammar (a syntax error?)"
printf '#JSGF V1.0;\ngrammar g;\npublic <g> = billing | zorblax account;\n' >word.gram
run ivr-asr --grammar word.gram call.wav
is "a grammar word outside the dictionary is named" "$rc:$out:$err" \
   "3::ivr-asr: word.gram: the word 'zorblax' is not in the dictionary"
printf 'billing /1e-20\n' >slash.kw
run ivr-asr --keywords slash.kw call.wav
is "a threshold without its closing slash is bad input" "$rc:$err" \
   "3:ivr-asr: slash.kw:1: expected a threshold such as /1e-20/ after the phrase"
run ivr-asr --model "$T/nomodel" call.wav
is "missing model: exit 4 and the package" "$rc:$err" \
   "4:ivr-asr: speech model not found in $T/nomodel (install the Debian package pocketsphinx-en-us)"
run ivr-asr --choices "$C" missing.wav
is "missing file" "$rc:$err" "3:ivr-asr: missing.wav: No such file or directory"
: >empty.wav
run ivr-asr empty.wav
is "empty file" "$rc:$err" "3:ivr-asr: empty.wav: empty file"
run ivr-asr --choices a --grammar digits.gram call.wav
is "two modes at once" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-asr: --choices, --grammar and --keywords exclude each other"
run ivr-asr --min-confidence 2 call.wav
is "confidence out of range" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-asr: --min-confidence: 2 is outside 0.001..1"
run ivr-asr
is "no file" "$rc:$(echo "$err" | head -1)" "2:ivr-asr: FILE missing ('-' for standard input)"

done_testing
