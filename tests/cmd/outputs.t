#!/bin/sh
# Outputs never break what they land on: a device or a FIFO is written
# into and stays what it is, a symbolic link keeps pointing where it did,
# a new file's mode follows the umask, long names work. Each command that
# writes a file is tried (ivr-dtmf gen, ivr-tts, ivr-sim's audio,
# transcript and JUnit).
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME="$T/cache"
M=$TOP/menus

# a null device of our own: a failure here must not break the machine's
if mknod "$T/null" c 1 3 2>/dev/null; then
    for cmd in "ivr-dtmf gen 123 --force -o" "ivr-tts hello --force -o" \
               "ivr-sim $M/bank.ivr --at 2026-12-02T10:30 --keys 0@2s --force -q -o" \
               "ivr-sim $M/bank.ivr --at 2026-12-02T10:30 --keys 0@2s --force -q --stereo-output" \
               "ivr-sim $M/bank.ivr --at 2026-12-02T10:30 --fast --keys 0@2s --force -t"; do
        run $cmd "$T/null"
        is "${cmd%% *} ${cmd#* }: a device is written into and stays a device" \
           "$rc:$(stat -c %F "$T/null")" "0:character special file"
    done
    run ivr-sim --test --fast --junit "$T/null" "$TOP/tests/calls/bank/agent.call"
    is "--junit: a device stays a device" "$rc:$(stat -c %F "$T/null")" \
       "0:character special file"
else
    echo "# skip: mknod needs root here"
fi

# a FIFO: whoever reads it gets the whole file
mkfifo "$T/pipe"
timeout 20 cat "$T/pipe" > "$T/from-pipe.wav" &
reader=$!
run ivr-dtmf gen 4711 -o "$T/pipe"
wait $reader
is "a FIFO is written into (the reader gets the tones)" \
   "$rc:$(ivr-dtmf detect --digits "$T/from-pipe.wav"):$(stat -c %F "$T/pipe")" \
   "0:4711:fifo"
timeout 20 cat "$T/pipe" > "$T/from-pipe.jsonl" &
reader=$!
run ivr-sim "$M/bank.ivr" --fast --keys "0 @2s" -q -t "$T/pipe"
wait $reader
like "a transcript into a FIFO" "$rc:$(tail -1 "$T/from-pipe.jsonl")" '^0:\{.*"event":"hangup"'

# a symbolic link keeps pointing at its file, which is replaced
ivr-dtmf gen 1 -o "$T/target.wav"
ln -s target.wav "$T/link.wav"
run ivr-dtmf gen 9 --force -o "$T/link.wav"
is "a link stays a link; its file gets the new audio" \
   "$rc:$(stat -c %F "$T/link.wav"):$(ivr-dtmf detect --digits "$T/target.wav")" \
   "0:symbolic link:9"
run ivr-dtmf gen 9 -o "$T/link.wav"
is "without --force a link to a file is not written through" "$rc:$err" \
   "5:ivr-dtmf: $T/link.wav: exists; not replacing it"
ln -s nowhere.wav "$T/dangling.wav"
run ivr-dtmf gen 9 --force -o "$T/dangling.wav"
is "a link to nothing is refused" "$rc:$err" \
   "5:ivr-dtmf: $T/dangling.wav: a link to nothing; not replacing it"

# modes: the umask for a new file, the old mode for a replaced one
(umask 077 && ivr-dtmf gen 1 -o "$T/private.wav")
is "a new file follows the umask" "$(stat -c %a "$T/private.wav")" 600
chmod 640 "$T/target.wav"
ivr-dtmf gen 2 --force -o "$T/target.wav"
is "a replaced file keeps its mode" "$(stat -c %a "$T/target.wav")" 640
(umask 077 && ivr-sim "$M/bank.ivr" --keys "0 @2s" -q -o "$T/heard.wav")
is "what the caller heard follows the umask too" "$(stat -c %a "$T/heard.wav")" 600

# a name as long as the file system allows
long=$(printf 'a%.0s' $(seq 1 251)).wav
run ivr-dtmf gen 5 -o "$T/$long"
is "a 255-character name" "$rc:$(ivr-dtmf detect --digits "$T/$long")" "0:5"
is "and no temporary file left beside it" \
   "$(ls -A "$T" | grep '^\.' | grep -v -e '^\.err$' -e '^\.out$' | wc -l)" 0

# standard output that cannot be written is a failure: a serial never
# shown, a timeline lost
if [ -w /dev/full ]; then
    for cmd in "ivr-dtmf detect $TOP/samples/keys-ulaw.wav" \
               "ivr-sim --graph $M/bank.ivr" "ivr-sim --check $M/bank.ivr" \
               "ivr-sim --fast $M/bank.ivr --keys 0@2s" \
               "ivr-sim --test --fast $TOP/tests/calls/bank/agent.call" \
               "ivr-send-sms --issue spring --to +15550107788 coupon" \
               "ivr-send-sms --list" "ivr-tts --list-voices" "ivr-dtmf --version"; do
        $cmd > /dev/full 2> "$T/full.err"
        rc=$?
        like "${cmd%% $TOP*}: a full standard output exits 5" \
             "$rc:$(cat "$T/full.err")" "^5:${cmd%% *}: standard output: "
    done
else
    echo "# skip: no /dev/full"
fi

# Ctrl-C: a generated file is not written and leaves nothing behind; a
# call ends as a hang-up and its files are whole
keys=$(head -c 10000 /dev/zero | tr '\0' 5)
ivr-dtmf gen 1 -o "$T/kept.wav"
# hours of tones: the signal comes long before they are written
timeout --preserve-status -s INT 0.3 ivr-dtmf gen "$keys" --on 1000 --off 1000 \
    --rate 48000 --force -o "$T/kept.wav" 2> "$T/int.err"
rc=$?
is "ivr-dtmf gen interrupted: exit 130, the old file kept, no temporary left" \
   "$rc:$(cat "$T/int.err"):$(ivr-dtmf detect --digits "$T/kept.wav"):$(ls -A "$T" | grep -c '^\.kept')" \
   "130:ivr-dtmf: interrupted: $T/kept.wav not written:1:0"
cp "$M/audio/low-tide.wav" "$T/"
printf 'menu main\n  play low-tide.wav\n  on played repeat\n' > "$T/loop.ivr"
timeout --preserve-status -s INT 1 ivr-sim "$T/loop.ivr" -q -o "$T/int.wav" \
    --stereo-output "$T/int2.wav" -t "$T/int.jsonl" --max-duration 10h
rc=$?
like "ivr-sim interrupted: exit 130, the call ends as a hang-up" \
     "$rc:$(tail -1 "$T/int.jsonl")" '^130:\{"t":[0-9.]+,"event":"hangup","menu":"main","reason":"interrupted"'
# (the audio holds the frame the call ended in: up to 20 ms more)
call=$(tail -1 "$T/int.jsonl" | sed 's/.*"duration":\([0-9.]*\).*/\1/')
is "... and its audio files are whole, as long as the call" \
   "$(for f in int.wav int2.wav; do soxi -D "$T/$f" | awk -v c="$call" '{ d = $1 - c; print (d >= 0 && d <= 0.021) ? "whole" : $1 " s for a call of " c " s" }'; done | tr '\n' ' ')" \
   "whole whole "

# a folder is not a file
mkdir "$T/dir.wav"
run ivr-dtmf gen 5 --force -o "$T/dir.wav"
is "a folder is refused" "$rc:$err" "5:ivr-dtmf: $T/dir.wav: is a folder"

done_testing
