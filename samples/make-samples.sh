#!/bin/sh
# make-samples.sh: how the bundled recordings were made (kept so that they
# can be made again; the WAVs are committed and nothing runs this at build
# or test time). Needs ivr-dtmf in build/, flite and sox.
#
#   sh samples/make-samples.sh
set -eu
cd "$(dirname "$0")"
B=../build
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# A support call as a PBX records it: stereo, 8 kHz mu-law, the IVR on the
# left leg, the caller on the right. The caller talks over the prompt, then
# keys in an account number; one key is pressed while the caller still talks.
say() { flite -voice "$1" -t "$2" -o "$t/raw.wav"; sox "$t/raw.wav" -r 8000 "$t/$3"; }
say slt "Welcome to First Example Bank. Please enter your account number, \
followed by the pound key." ivr1.wav
say slt "Thank you. One moment please." ivr2.wav
say rms "Yeah hi, I want to check my balance." caller1.wav
say rms "Hang on, it is on the card somewhere. Here it is." caller2.wav
$B/ivr-dtmf gen "4711" --on 90 --off 160 --level -9 --twist -2 -o "$t/keys1.wav"
$B/ivr-dtmf gen "0815#" --on 120 --off 210 --level -8 --twist 1 -o "$t/keys2.wav"
$B/ivr-dtmf gen "9" --on 150 --level -8 -o "$t/key9.wav"

# IVR leg: the prompt at 0.4 s, "thank you" at 13.5 s
sox "$t/ivr1.wav" "$t/ivr1p.wav" pad 0.4 0
sox "$t/ivr2.wav" "$t/ivr2p.wav" pad 13.5 0
sox -m -v 1 "$t/ivr1p.wav" -v 1 "$t/ivr2p.wav" "$t/ivr.wav"
# caller leg: talks over the prompt at 1.5 s, keys 4711 at 5.8 s, talks
# again at 7.5 s and presses 9 while talking (talk-down), keys 0815# at 11 s
sox "$t/caller1.wav" "$t/c1.wav" pad 1.5 0
sox "$t/keys1.wav" "$t/c2.wav" pad 5.8 0
sox "$t/caller2.wav" "$t/c3.wav" pad 7.5 0
sox "$t/key9.wav" "$t/c4.wav" pad 8.6 0
sox "$t/keys2.wav" "$t/c5.wav" pad 11.0 0
sox -m -v 1 "$t/c1.wav" -v 1 "$t/c2.wav" -v 1 "$t/c3.wav" -v 1 "$t/c4.wav" \
    -v 1 "$t/c5.wav" \
    "$t/caller.wav" pad 0 1
len=$(soxi -D "$t/caller.wav")
sox "$t/ivr.wav" "$t/ivr-long.wav" pad 0 "$len" trim 0 "$len"
sox -M "$t/ivr-long.wav" "$t/caller.wav" -e u-law call-stereo-ulaw.wav
# the same call as a mono mix: what a voicemail or a cheap recorder keeps
sox call-stereo-ulaw.wav -c 1 -e u-law call-mono-ulaw.wav remix 1,2

# a caller's key presses alone, with line noise: the sample for ivr-dtmf
$B/ivr-dtmf gen "555-0199#" --on 80 --off 120 --snr 25 --seed 7 -e ulaw \
    -f -o keys-ulaw.wav

# a caller answering a speech menu over the phone: three answers, the last
# one not on the menu, 8 kHz mu-law, with a little line noise
say rms "technical support" a1.wav
say rms "I want to speak to an agent" a2.wav
say rms "do you sell pizza" a3.wav
sox "$t/a1.wav" "$t/a1p.wav" pad 0.6 1.2
sox "$t/a2.wav" "$t/a2p.wav" pad 0 1.2
sox "$t/a3.wav" "$t/a3p.wav" pad 0 0.8
sox "$t/a1p.wav" "$t/a2p.wav" "$t/a3p.wav" "$t/answers.wav" sinc 300-3400
sox -n -r 8000 "$t/hiss.wav" synth "$(soxi -D "$t/answers.wav")" whitenoise vol 0.003
sox -m -v 1 "$t/answers.wav" -v 1 "$t/hiss.wav" -e u-law answers-ulaw.wav

# Calls through the sample menus, made by ivr-sim itself: the caller's
# keys are real tones and the words flite's awb voice through the
# telephone band. Replaying them with `ivr-sim --input` must retrace the
# same path (tests/cmd/ivr-sim.t checks it).
S=$B/ivr-sim
# Harbor Bank as a PBX keeps it: stereo, the caller on the left, the IVR on
# the right. The caller says "balance", keys in an account number and the
# pound key, hears the balance and presses pound to hang up.
$S ../menus/bank.ivr -q --caller +15550104477 --say "balance @3s" \
    --keys "41234567# @9s, # @24s" --stereo-output "$t/bank.wav"
sox "$t/bank.wav" -e u-law bank-call-stereo-ulaw.wav
# Tune Line, the caller's leg alone (mono): "samples", 9 during the music
# for the SMS, 2 for the next song, 9 again, then "operator".
$S ../menus/tunes.ivr -q --caller +15550104477 --say "samples @3s" \
    --keys "9 @13s, 2 @22s, 9 @31s" --say "operator @40s" \
    --stereo-output "$t/tunes.wav"
sox "$t/tunes.wav" -e u-law tunes-caller-ulaw.wav remix 1
