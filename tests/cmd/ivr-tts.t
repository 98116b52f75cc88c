#!/bin/sh
# ivr-tts end to end: speech into files, voices, rates, cache, bad input.
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME="$T/cache"

run ivr-tts "Press one for billing." -o p.wav
is "speaks into a file, silently" "$rc:$out$err" "0:"
like "8 kHz mono WAV by default" "$(soxi p.wav | grep -E 'Sample Rate|Channels' | tr -s ' ' | tr '\n' ' ')" \
     "Channels : 1 Sample Rate : 8000"
len=$(soxi -D p.wav)
like "a plausible length ($len s)" "$len" '^(1|2)\.[0-9]+$'
ok "the prompt cache was filled" test -n "$(ls "$T/cache/ivrkit/tts")"

run ivr-tts -r 16000 --voice kal -e ulaw "Press one for billing." -o k.wav
like "--rate, --voice, --encoding" "$rc:$(soxi k.wav | grep -E 'Sample Rate|Encoding' | tr -s ' ' | tr '\n' ' ')" \
     "^0:Sample Rate : 16000 Sample Encoding: 8-bit u-law"

echo "Text from standard input." | ivr-tts -o stdin.wav
ok "text from standard input" test -s stdin.wav

run sh -c 'ivr-tts Several words as arguments -o - | cat > args.wav'
ok "words as arguments, WAV through a pipe" test "$(soxi -D args.wav | cut -c1)" -ge 1

n1=$(soxi -s p.wav)
run ivr-tts --speed 0.5 "Press one for billing." -o slow.wav
n2=$(soxi -s slow.wav)
ok "--speed 0.5 is longer ($n2 vs $n1 samples)" test "$n2" -gt $((n1 * 17 / 10))

run ivr-tts --list-voices
is "--list-voices names every voice" "$(echo "$out" | cut -d' ' -f1 | tr '\n' ' ')" \
   "slt rms awb kal kal16 awb_time "

before=$(ls "$T/cache/ivrkit/tts" | wc -l)
run ivr-tts --no-cache "Not cached at all." -o nc.wav
ok "--no-cache writes no entry" test "$(ls "$T/cache/ivrkit/tts" | wc -l)" = "$before"

run ivr-tts --cache-dir "$T/mine" "Another cache." -o mc.wav
ok "--cache-dir puts entries there" test "$(ls "$T/mine" | wc -l)" = 1

# --- bad input -------------------------------------------------------------
run ivr-tts --voice nosuch hello -o x.wav
is "unknown voice" "$rc:$err" \
   "2:ivr-tts: unknown voice 'nosuch' (voices: slt, rms, awb, kal, kal16, awb_time; or a .flitevox file)"
run ivr-tts --voice ./missing.flitevox hello -o x.wav
is "missing voice file" "$rc:$err" \
   "3:ivr-tts: voice file ./missing.flitevox: No such file or directory"
run sh -c 'ivr-tts -o x.wav </dev/null'
is "empty standard input" "$rc:$err" "3:ivr-tts: nothing to say: standard input is empty"
run ivr-tts "   " -o x.wav
is "blank text" "$rc:$err" "3:ivr-tts: nothing to say: the text is empty"
ok "and no file" test ! -e x.wav
run ivr-tts hello -o p.wav
is "an existing file is not replaced" "$rc:$err" "5:ivr-tts: p.wav: exists; not replacing it"
run ivr-tts --cache-dir /proc/no/such "Still fine." -o w.wav
is "unwritable cache: a warning, not a failure" "$rc:$err" \
   "0:ivr-tts: warning: prompt cache /proc/no/such: No such file or directory; working without it"
run ivr-tts hello
is "no --output" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-tts: --output FILE missing ('-' for standard output)"
run ivr-tts -v rms hello -o x.wav
is "-v, once --voice, says what to use" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-tts: unrecognized option '-v' (use --voice: a short letter means one thing in every ivrkit command)"
run ivr-tts --speed 10 hello -o x.wav
is "--speed out of range" "$rc:$(echo "$err" | head -1)" "2:ivr-tts: --speed: 10 is outside 0.25..4"
run ivr-tts -r 1 hello -o x.wav
is "--rate out of range" "$rc:$(echo "$err" | head -1)" "2:ivr-tts: --rate: 1 is outside 4000..384000"

head -c 300 /dev/urandom > binary.txt
ivr-tts -o bin.wav < binary.txt 2> bin.err
like "binary input is not spoken" "$?:$(cat bin.err)" '^3:ivr-tts: the text is not UTF-8 text \(byte [0-9]+\): a binary file\?$'
run ivr-tts -o bin.wav "$(printf 'caf\351')"
is "invalid UTF-8 is not spoken" "$rc:$err" "3:ivr-tts: the text is not UTF-8 text (byte 4): a binary file?"

done_testing
