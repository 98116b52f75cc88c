#!/bin/sh
# Live audio and the console. Always: the errors without a device, a device
# that does not exist, the console on a pipe. With PulseAudio (started here
# with a null sink whose monitor is the microphone, stopped by PID at the
# end): tones and speech played by one command and heard by another, and a
# live call; otherwise those are skipped with the reason. The console on a
# pseudo-terminal through script(1).
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME="$T/cache" XDG_STATE_HOME="$T/state"
M=$TOP/menus

# --- no sound device at all: the ALSA configuration alone, no PulseAudio
if ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf PULSE_SERVER=unix:/nonexistent \
   ivr-tts --list-devices 2>/dev/null | grep -q '^no sound devices$'; then
    nodev() { ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf \
              PULSE_SERVER=unix:/nonexistent "$@"; }
    run nodev ivr-tts --play "hello"
    is "ivr-tts --play without a speaker" "$rc:$err" \
       "4:ivr-tts: no sound output device on this machine"
    run nodev ivr-asr --mic --choices "yes|no"
    is "ivr-asr --mic without a microphone" "$rc:$err" \
       "4:ivr-asr: no sound input device on this machine"
    run nodev ivr-dtmf detect --mic
    is "ivr-dtmf detect --mic without a microphone" "$rc:$err" \
       "4:ivr-dtmf: no sound input device on this machine"
    run nodev ivr-sim --live "$M/bank.ivr"
    is "ivr-sim --live without devices" "$rc:$err" \
       "4:ivr-sim: no sound input device on this machine"
else
    echo "# skip: this machine has sound devices, so 'none at all' cannot be tested"
fi
run ivr-tts --play --device "no such device" "hello"
like "a device that does not exist" "$rc:$err" \
     "^4:ivr-tts: (no sound output device 'no such device' \(--list-devices lists them\)|no sound output device on this machine)\$"

# --- the console on a pipe: commands line by line on the virtual clock
run_console() { printf "$1" | ivr-sim --fast --http-fixtures "$M/bank-backend.http" "$M/bank.ivr" > "$T/console.out" 2>&1; rc=$?; out=$(cat "$T/console.out"); }
run_console 'where\n1\n41234567#\nvars\nwait 6s\n#\n'
is "console: exit 0" "$rc" 0
like "console: where shows the menu and what it listens for" "$out" \
     'menu main, [0-9.]+s into the call, listening'
like "console: ... its keys" "$out" '  keys: 1 2 0$'
like "console: ... its words" "$out" '  words: "balance" "account balance" "lost card"'
like "console: keys typed are keys pressed" "$out" "enters menu 'account' \\(goto\\)"
like "console: a whole account number" "$out" 'says "The balance of account 4 1 2 3 4 5 6 7'
like "console: vars" "$out" '  account = "41234567"'
like "console: the call ends by the menu" "$(echo "$out" | tail -1)" 'call ends: hangup'
run_console 'say lost card\ngoto balance\nlog\nhangup\nrestart\nwhre\nquit\n'
like "console: say words" "$out" 'heard "lost card" \(confidence 1\.00\)'
like "console: goto jumps to a menu" "$out" "enters menu 'balance' \\(jump\\)"
like "console: log replays the call" "$out" 'enters menu .lost_card. \(goto\)'
like "console: hangup" "$out" 'call ends: caller hung up'
like "console: restart makes a new call" "$out" '^-- a new call --$'
like "console: an unknown command" "$out" \
     "^unknown command 'whre' \\(did you mean 'where'\\?\\); keys, say WORDS, or help\$"
printf '' | ivr-sim --fast --at "2026-12-02 10:30" "$M/bank.ivr" > "$T/silent.out"
like "console: no commands is a silent caller" "$(tail -1 "$T/silent.out")" \
     'call ends: transfer'

# --- the console on a terminal: readline, real time, history, completion
if command -v script >/dev/null 2>&1; then
    (sleep 1.2; printf '1\r'; sleep 0.8; printf 'wh\t\r'; sleep 0.5;
     printf 'quit\r') | script -qfec "ivr-sim --no-sound --http-fixtures $M/bank-backend.http $M/bank.ivr" /dev/null \
        > "$T/pty.out" 2>&1
    pty=$(tr '\r' '\n' < "$T/pty.out")
    like "terminal: the readline prompt" "$pty" 'ivr> '
    like "terminal: a key typed barges in" "$pty" \
         '  main         stops after [0-9.]+s: barge-in'
    like "terminal: tab completes the command; the clock is real (2 s on)" \
         "$pty" 'menu account, [1-9][0-9]*\.[0-9]+s into the call'
    is "terminal: the history is kept for the next session" \
       "$(cat "$T/state/ivrkit/console_history" 2>/dev/null)" "1
where 
quit"
else
    echo "# skip: script(1) is not installed, no pseudo-terminal test"
fi

# --- the real device path: PulseAudio, a null sink, its monitor as the mic
pa_pid=
if command -v pulseaudio >/dev/null 2>&1 && command -v paplay >/dev/null 2>&1; then
    mkdir -p "$T/pa"
    XDG_RUNTIME_DIR="$T/pa" HOME="$T/pa" pulseaudio -n --daemonize=no \
        --exit-idle-time=-1 --disallow-exit --use-pid-file=no \
        --load="module-native-protocol-unix auth-anonymous=1" \
        --load="module-null-sink sink_name=ivrtest rate=8000" \
        > "$T/pa.log" 2>&1 &
    pa_pid=$!
    trap 'kill $pa_pid 2>/dev/null; wait $pa_pid 2>/dev/null; rm -rf "$T"' EXIT
    export XDG_RUNTIME_DIR="$T/pa"
    i=0
    while [ $i -lt 50 ] && ! pactl info >/dev/null 2>&1; do sleep 0.1; i=$((i + 1)); done
fi
if [ -n "$pa_pid" ] && pactl info >/dev/null 2>&1; then
    pactl set-default-sink ivrtest
    pactl set-default-source ivrtest.monitor
    like "--list-devices shows the PulseAudio device" "$(ivr-tts --list-devices)" 'pulse'

    ivr-dtmf gen "4711#" --lead 300 -o keys.wav
    (sleep 1; paplay keys.wav) &
    run ivr-dtmf detect --mic --digits --max-duration 6s
    is "tones played to the speaker are heard at the microphone" "$rc:$out" "0:4711#"

    (sleep 1; ivr-tts --voice rms --play "technical support") &
    run ivr-asr --mic --choices "billing|technical support|agent" --max-duration 9s
    like "speech played by ivr-tts --play is recognised by ivr-asr --mic" \
         "$rc:$out" '^0:[0-9.]+ [0-9.]+ (0\.[5-9][0-9]|1\.00) technical support$'

    printf 'menu main\n  bargein dtmf\n  prompt "Press 1 to finish."\n  on 1 say "Done." then hangup\n' > live.ivr
    ivr-dtmf gen 1 --lead 100 -o one.wav
    # after the prompt, with room for a slow start (flite, the device)
    (sleep 4; paplay one.wav) &
    run ivr-sim --live live.ivr --max-duration 20s -t live.jsonl -o heard.wav
    like "a live call: the key played into the line is heard" "$out" '  main         key 1$'
    like "a live call keeps its transcript" "$(tail -1 live.jsonl)" '"event":"hangup"'
    like "and what the caller heard" "$(soxi -r heard.wav 2>&1)" '^8000$'
    like "a live call ends as the menu says" "$(echo "$out" | tail -1)" \
         'call ends: hangup'

    # The microphone is the speaker's monitor: it hears every prompt, as a
    # laptop's microphone hears its speakers. The echo is cancelled: the
    # build before this barged in on itself 0.54 s into the greeting and
    # took its own words for "balance". A stream of silence holds the sink
    # open, so that the caller's voice starting does not make the device
    # run dry (which moves the echo's delay: it is then found anew).
    sox -n -r 8000 -c 1 hold.wav trim 0 40
    paplay hold.wav & hold=$!
    sleep 0.5
    run ivr-sim --live "$M/bank.ivr" --at "2026-12-02 10:30" \
        --http-fixtures "$M/bank-backend.http" --max-duration 18s
    is "a live call whose microphone hears the speaker: the IVR does not barge in on itself" \
       "$(echo "$out" | grep -E 'barge-in|heard')" ""
    like "the greeting and the menu are heard to the end" "$out" \
         '  main         no input \(1\)'
    like "the echo is named, with how late it comes back" "$err" \
         "ivr-sim: sound device: the microphone hears the speaker [0-9]+ ms late: its echo is cancelled"
    # the caller says "agent" over the menu prompt, 6 s into the call
    ivr-tts --voice rms "agent" -o agent.wav
    sox agent.wav agent-late.wav pad 6.5 0
    (sleep 0.4; paplay agent-late.wav) & caller=$!
    run ivr-sim --live "$M/bank.ivr" --at "2026-12-02 10:30" \
        --http-fixtures "$M/bank-backend.http" --max-duration 14s
    like "a caller talking over the prompt and its echo barges in" "$out" \
         '  main         stops after [0-9.]+s: barge-in'
    like "and is heard" "$out" '  main         heard "agent" \(confidence (0\.[5-9][0-9]|1\.00)\)'
    like "and goes where the words lead" "$(echo "$out" | tail -1)" \
         'call ends: transfer'
    kill $hold 2>/dev/null
    wait $hold $caller 2>/dev/null
else
    echo "# skip: PulseAudio could not be started here ($(tail -1 "$T/pa.log" 2>/dev/null)); the device path is untested"
fi

done_testing
