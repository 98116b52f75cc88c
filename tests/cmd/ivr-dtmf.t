#!/bin/sh
# ivr-dtmf end to end: generate, detect, formats, options and bad input.
. "$(dirname "$0")/lib.sh"

# --- round trips -------------------------------------------------------------
run ivr-dtmf gen 0123456789*#ABCD -o all.wav
is "gen writes a file silently" "$rc:$out$err" "0:"
run ivr-dtmf detect --digits all.wav
is "every digit comes back" "$out" "0123456789*#ABCD"

run ivr-dtmf detect all.wav
is "one TIME DIGIT line per digit" "$(echo "$out" | head -3)" \
   "0.003 0
0.201 1
0.398 2"

run ivr-dtmf detect --json all.wav
like "JSON Lines with times and levels" "$(echo "$out" | head -1)" \
   '^\{"file":"all.wav","digit":"0","start":0\.00[0-9],"end":0\.09[0-9],"duration":0\.09[0-9],"low_dbm0":-7\.0,"high_dbm0":-5\.0,'
is "one JSON object per digit" "$(echo "$out" | wc -l)" 16

run ivr-dtmf detect -v all.wav
like "--verbose adds end, duration and levels" "$(echo "$out" | head -1)" \
   '^0\.003 0 0\.09[0-9] 0\.09[0-9] -7\.0 -5\.0$'

ivr-dtmf gen "555-0199,#" --on 60 --off 60 --pause 300 -o - | \
    ivr-dtmf detect --digits - >pipe.txt
is "a pipe from gen to detect" "$(cat pipe.txt)" "5550199#"

for enc in s16 s24 s32 f32 ulaw alaw u8; do
    ivr-dtmf gen 147 -e $enc -o $enc.wav
    is "WAV $enc" "$(ivr-dtmf detect --digits $enc.wav)" 147
done
for ext in flac au aiff; do
    ivr-dtmf gen 369 -o x.$ext
    is "$ext container" "$(ivr-dtmf detect --digits x.$ext)" 369
done
# Asterisk's WAV49: GSM 06.10 in WAV, coded by sox rather than ivrkit
ivr-dtmf gen 2580 -o g.wav
sox g.wav -e gsm-full-rate -t wav gsm.wav
is "GSM 06.10 in WAV (Asterisk's WAV49)" "$(ivr-dtmf detect --digits gsm.wav)" 2580
run sh -c 'cat gsm.wav | ivr-dtmf detect -'
is "... piped: libsndfile must seek in it, and the error says what to do" \
   "$rc:$err" "3:ivr-dtmf: standard input: not a sound file that can be read from a pipe (Unspecified internal error.); FLAC and GSM WAV files must be named, not piped"
is "... redirected from the file: read" \
   "$(ivr-dtmf detect --digits - <gsm.wav)" 2580
# a VoIP recording with a lost 20 ms packet written as silence inside
# each key (keys by sox: 697 + 1336 Hz is 2, 852 + 1477 Hz is 9)
for k in "697 1336" "852 1477"; do
    set -- $k
    sox -n -r 8000 -b 16 -c 1 a.wav synth 0.07 sine $1 sine $2 channels 1 vol 0.3
    sox -n -r 8000 -b 16 -c 1 b.wav synth 0.06 sine $1 sine $2 channels 1 vol 0.3
    sox -n -r 8000 -b 16 -c 1 hole.wav trim 0 0.02
    sox -n -r 8000 -b 16 -c 1 gap.wav trim 0 0.1
    sox a.wav hole.wav b.wav gap.wav "key-$1.wav"
done
sox key-697.wav key-852.wav key-697.wav lost.wav
is "a lost packet inside a key is not a second press" \
   "$(ivr-dtmf detect --digits lost.wav)" 292
for rate in 8000 16000 44100 48000; do
    ivr-dtmf gen 2580 -r $rate -o r$rate.wav
    is "$rate Hz" "$(ivr-dtmf detect --digits r$rate.wav)" 2580
done

# headerless input, as a PBX spools it
ivr-dtmf gen 951 -o u.wav -e ulaw
tail -c +47 u.wav >u.ul
is "raw mu-law by name and --raw-rate" \
   "$(ivr-dtmf detect --digits --raw-rate 8000 u.ul)" 951
tail -c +47 u.wav >u.bin
is "raw mu-law by --raw-encoding" \
   "$(ivr-dtmf detect --digits --raw-rate 8000 --raw-encoding ulaw u.bin)" 951

# a stereo PBX recording: digits on the caller leg, speech on the agent leg
ivr-dtmf gen 4711 -o caller.wav
sox -n -r 8000 -b 16 agent.wav synth 0.8 sine 1000
sox -M caller.wav agent.wav -e u-law stereo.wav 2>/dev/null
is "stereo: channel 1" "$(ivr-dtmf detect --digits -c 1 stereo.wav)" 4711
is "stereo: channel 2 has none" "$(ivr-dtmf detect --digits -c 2 stereo.wav)" ""
run ivr-dtmf detect -c 3 stereo.wav
is "stereo: no channel 3" "$rc:$err" \
   "3:ivr-dtmf: stereo.wav: has 2 channels, there is no channel 3"

# noise, level, twist and offset options of gen, judged by detect
is "--snr 15 still detected" \
   "$(ivr-dtmf gen 0123456789 --snr 15 --seed 4 -o - | ivr-dtmf detect --digits -)" \
   0123456789
is "--freq-offset 1.5 detected" \
   "$(ivr-dtmf gen 0123456789 --freq-offset 1.5 -o - | ivr-dtmf detect --digits -)" \
   0123456789
is "--freq-offset 3.5 rejected" \
   "$(ivr-dtmf gen 0123456789 --freq-offset 3.5 -o - | ivr-dtmf detect --digits -)" ""
is "--twist 8 detected" \
   "$(ivr-dtmf gen 0123456789 --twist 8 -o - | ivr-dtmf detect --digits -)" \
   0123456789
is "--twist 12 rejected by default" \
   "$(ivr-dtmf gen 0123456789 --twist 12 -o - | ivr-dtmf detect --digits -)" ""
is "detect --twist 14 accepts it" \
   "$(ivr-dtmf gen 0123456789 --twist 12 -o - | ivr-dtmf detect --twist 14 --digits -)" \
   0123456789
is "--level -30 detected" \
   "$(ivr-dtmf gen 0123456789 --level -30 -o - | ivr-dtmf detect --digits -)" \
   0123456789
is "--min-level -20 drops -30 dBm0" \
   "$(ivr-dtmf gen 0123456789 --level -30 -o - | ivr-dtmf detect --min-level -20 --digits -)" ""
is "--on 40 --off 40 detected" \
   "$(ivr-dtmf gen 0123456789 --on 40 --off 40 -o - | ivr-dtmf detect --digits -)" \
   0123456789
is "--on 20 rejected" \
   "$(ivr-dtmf gen 0123456789 --on 20 --off 40 -o - | ivr-dtmf detect --digits -)" ""
is "--min-duration 80 drops 60 ms tones" \
   "$(ivr-dtmf gen 0123456789 --on 60 -o - | ivr-dtmf detect --min-duration 80 --digits -)" ""
run sh -c 'ivr-dtmf gen 1 --level 3 -o loud.wav'
like "clipping is reported" "$err" "^ivr-dtmf: warning: loud.wav: [0-9]+ samples clipped; lower --level$"
is "--lead shifts the first digit" \
   "$(ivr-dtmf gen 5 --lead 1000 -o - | ivr-dtmf detect - | cut -c1-3)" "1.0"

# several files, --expect
run ivr-dtmf detect --digits s16.wav x.au
is "several files are labelled" "$out" "s16.wav: 147
x.au: 369"
run ivr-dtmf detect --expect 147 s16.wav
is "--expect met: exit 0" "$rc" 0
run ivr-dtmf detect --expect 148 --digits s16.wav
is "--expect not met: exit 1 and why" "$rc:$err" \
   "1:ivr-dtmf: s16.wav: expected 148, found 147"

# --- the bundled samples (the demo relies on them) -----------------------------
S=$TOP/samples
is "PBX call, caller leg: every key, one pressed over speech" \
   "$(ivr-dtmf detect --digits -c 2 "$S/call-stereo-ulaw.wav")" 471190815#
is "PBX call mixed to mono: the same keys" \
   "$(ivr-dtmf detect --digits "$S/call-mono-ulaw.wav")" 471190815#
is "PBX call, IVR leg: prompts are not digits" \
   "$(ivr-dtmf detect --digits -c 1 "$S/call-stereo-ulaw.wav")" ""
like "key times to the millisecond" \
   "$(ivr-dtmf detect -c 2 "$S/call-stereo-ulaw.wav" | sed -n '5p')" '^8\.60[0-9] 9$'
is "noisy mu-law keys" "$(ivr-dtmf detect --digits "$S/keys-ulaw.wav")" 5550199#

# --- bad input ---------------------------------------------------------------
run ivr-dtmf detect missing.wav
is "missing file" "$rc:$err" "3:ivr-dtmf: missing.wav: No such file or directory"
: >empty.wav
run ivr-dtmf detect empty.wav
is "empty file" "$rc:$err" "3:ivr-dtmf: empty.wav: empty file"
echo "not audio at all" >text.wav
run ivr-dtmf detect text.wav
like "not audio" "$rc:$err" "^3:ivr-dtmf: text.wav: not a sound file that can be read"
head -c 3000 s16.wav >cut.wav
run ivr-dtmf detect --digits cut.wav
is "truncated: digits before the cut, then the error" "$rc:$out:$err" \
   "3:1:ivr-dtmf: cut.wav: truncated: the header promises 9600 bytes of audio, the file holds 2956"
head -c 44 s16.wav >hdr.wav
run ivr-dtmf detect hdr.wav
is "header without samples" "$rc:$err" "3:ivr-dtmf: hdr.wav: no audio in file (zero frames)"
sox -n -r 2000 -b 16 slow.wav synth 1 sine 300
run ivr-dtmf detect slow.wav
is "absurd rate" "$rc:$err" "3:ivr-dtmf: slow.wav: sample rate 2000 Hz is outside 4000..384000"
run ivr-dtmf detect .
is "a directory" "$rc:$err" "3:ivr-dtmf: .: is a directory"
run ivr-dtmf detect u.ul
is "raw file without a rate" "$rc:$err" \
   "3:ivr-dtmf: u.ul: headerless audio: give its sample rate with --raw-rate"
run ivr-dtmf detect missing.wav s16.wav
is "a bad file does not stop the others" "$rc:$out" "3:s16.wav: 0.003 1
s16.wav: 0.201 4
s16.wav: 0.405 7"

# --- bad command lines ---------------------------------------------------------
run ivr-dtmf gen 12x -o bad.wav
is "bad digit named with its position" "$rc:$err" \
   "3:ivr-dtmf: dial string \"12x\": 'x' at position 3 is not a DTMF digit (0-9 * # A-D), ',' or a space"
ok "nothing written for a bad dial string" test ! -e bad.wav
run ivr-dtmf gen 1 -o s16.wav
is "an existing file is not replaced" "$rc:$err" "5:ivr-dtmf: s16.wav: exists; not replacing it"
is "and is left as it was" "$(ivr-dtmf detect --digits s16.wav)" 147
run ivr-dtmf gen 1 -f -o s16.wav
is "--force replaces it" "$rc:$(ivr-dtmf detect --digits s16.wav)" "0:1"
run ivr-dtmf gen 1 -o /nonexistent/dir/x.wav
is "unwritable output" "$rc:$err" "5:ivr-dtmf: /nonexistent/dir/x.wav: No such file or directory"
run ivr-dtmf gen 1 -e ulaw -o y.flac
is "encoding the container cannot hold" "$rc:$err" \
   "2:ivr-dtmf: y.flac: this container cannot hold ulaw samples"
run ivr-dtmf gen --level loud 1 -o x.wav
is "non-numeric option value" "$rc:$(echo "$err" | head -1)" "2:ivr-dtmf: --level: 'loud' is not a number"
run ivr-dtmf gen -r 1000 1 -o x.wav
is "rate out of range" "$rc:$(echo "$err" | head -1)" "2:ivr-dtmf: --rate: 1000 is outside 4000..384000"
run ivr-dtmf gen 1
is "gen without -o" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-dtmf: gen: --output FILE missing ('-' for standard output)"
run ivr-dtmf detect
is "detect without a file" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-dtmf: detect: FILE missing ('-' for standard input)"
run ivr-dtmf detect --bogus x.wav
is "unknown option" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-dtmf: unrecognized option '--bogus'"
run ivr-dtmf gen 1 -o
is "option without its value" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-dtmf: option '-o' needs a value"
run ivr-dtmf detect -x a.wav
is "unknown short option" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-dtmf: unrecognized option '-x'"
run ivr-dtmf frobnicate
is "unknown command" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-dtmf: unknown command 'frobnicate' (gen or detect)"
run ivr-dtmf detect --twist 50 x.wav
is "detector knob out of range" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-dtmf: --twist: 50 is outside 0..20"
run ivr-dtmf --help
like "--help on stdout, exit 0" "$rc:$out" "^0:Usage: ivr-dtmf gen"
run ivr-dtmf --version
like "--version" "$rc:$out" "^0:ivr-dtmf \(ivrkit\) [0-9]+\.[0-9]+\.[0-9]+"

# --- memory stays flat on a long stream ----------------------------------------
# a WAV header saying "length unknown", then 1 GB of samples through a pipe
ivr-dtmf gen 1 -o - | head -c 44 >stream.hdr
small=$( { cat stream.hdr; head -c 1000000 /dev/zero; } |
         /usr/bin/time -f %M ivr-dtmf detect - 2>&1 >/dev/null)
big=$( { cat stream.hdr; head -c 1000000000 /dev/zero; } |
       /usr/bin/time -f %M ivr-dtmf detect - 2>&1 >/dev/null)
ok "1 GB read in the memory of 1 MB (peak $small kB vs $big kB)" \
   test "$big" -le $((small + 1024))

# the receiver's whole unit suite (Q.24 rows, talk-off, talk-down) holds
# with each filter kernel, not only the one this CPU chooses
for k in portable vector avx2; do
    IVR_DTMF_KERNEL=$k "$BUILD/tests/test_dtmf" >"$T/kernel-$k" 2>&1
    rc=$?
    is "the receiver's unit tests pass with the $k kernel" "$rc" 0
    [ "$rc" = 0 ] || diag "$(grep '^not ok' "$T/kernel-$k")"
done

done_testing
