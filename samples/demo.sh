#!/bin/sh
# demo.sh: the tour `make demo` runs on the bundled samples.
set -eu
B=${1:-build}
PATH="$B:$PATH"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# the demo's SMS and coupons go to an outbox of its own
export XDG_DATA_HOME="$out/data" XDG_CONFIG_HOME="$out/config"

if [ -t 1 ]; then bold=$(printf '\033[1m'); plain=$(printf '\033[0m'); else
    bold=; plain=; fi
step() { printf '\n%s== %s%s\n$ %s\n' "$bold" "$1" "$plain" "$2"; }

step "Replay a caller's recorded call (stereo mu-law, caller on the left) \
through the bank's menu: the words and keys found, the path taken" \
     "ivr-sim menus/bank.ivr --input samples/bank-call-stereo-ulaw.wav --channel 1 --http-fixtures menus/bank-backend.http"
ivr-sim menus/bank.ivr --input samples/bank-call-stereo-ulaw.wav --channel 1 \
    --http-fixtures menus/bank-backend.http

step "Tune Line: a caller presses 9 while a song plays and gets it by SMS, \
the music goes on" \
     "ivr-sim menus/tunes.ivr -i samples/tunes-caller-ulaw.wav --caller +15550104477"
ivr-sim menus/tunes.ivr -i samples/tunes-caller-ulaw.wav --caller +15550104477

step "The same menus as logic only, for regression runs (no audio)" \
     "ivr-sim menus/notify.ivr --fast --called +15550102020 --keys '1 @12s'"
ivr-sim menus/notify.ivr --fast --called +15550102020 --keys '1 @12s'

step "Harbor Bank's agents keep New York hours: asking for one on Christmas \
Day reaches the after-hours menu (the call's clock set with --at)" \
     "ivr-sim menus/bank.ivr --fast --at '2026-12-25 10:00' --keys '0 @2s' --max-duration 30s"
ivr-sim menus/bank.ivr --fast --at '2026-12-25 10:00' --keys '0 @2s' \
    --max-duration 30s

step "Check a menu for mistakes before anyone calls it" \
     "ivr-sim --check menus/coupon.ivr"
ivr-sim --check menus/coupon.ivr

step "A support call as the PBX recorded it (stereo mu-law): which keys did \
the caller press, and when?" \
     "ivr-dtmf detect --verbose --channel 2 samples/call-stereo-ulaw.wav"
echo "#start  key end     length low/high dBm0"
ivr-dtmf detect --verbose --channel 2 samples/call-stereo-ulaw.wav

step "The same call mixed to mono: the key pressed while the caller talks \
(9 at 8.6 s) is still found" \
     "ivr-dtmf detect --digits samples/call-mono-ulaw.wav"
ivr-dtmf detect --digits samples/call-mono-ulaw.wav

step "The IVR leg has prompts only: no false digits" \
     "ivr-dtmf detect --digits --channel 1 samples/call-stereo-ulaw.wav"
echo "[$(ivr-dtmf detect --digits --channel 1 samples/call-stereo-ulaw.wav)]"

step "Make a test caller: a dial string with a pause, 3 dB twist, line noise" \
     "ivr-dtmf gen '4711#,1' --twist 3 --snr 20 -e ulaw -o keys.wav"
ivr-dtmf gen '4711#,1' --twist 3 --snr 20 -e ulaw -o "$out/keys.wav"
ivr-dtmf detect --json "$out/keys.wav" | head -3
echo "..."

step "Check it in a script: exit 0 when the digits match" \
     "ivr-dtmf detect --expect '4711#1' keys.wav"
ivr-dtmf detect --digits --expect '4711#1' "$out/keys.wav" && echo "match"

step "Q.24 limits through a pipe: 1.5% off is a digit, 3.5% off is not" \
     "ivr-dtmf gen 123 --freq-offset 1.5 -o - | ivr-dtmf detect --digits -"
echo "1.5% off: [$(ivr-dtmf gen 123 --freq-offset 1.5 -o - | ivr-dtmf detect --digits -)]"
echo "3.5% off: [$(ivr-dtmf gen 123 --freq-offset 3.5 -o - | ivr-dtmf detect --digits -)]"

step "Speak a prompt for the IVR (flite, 8 kHz, through the prompt cache)" \
     "ivr-tts 'For billing, say billing. For support, say technical support.' -o prompt.wav"
ivr-tts 'For billing, say billing. For support, say technical support.' \
    -o "$out/prompt.wav"
echo "prompt.wav: $(soxi -D "$out/prompt.wav" 2>/dev/null || echo '?') s"

step "What did the caller answer? (a phone recording, 8 kHz mu-law; the last \
answer is not on the menu)" \
     "ivr-asr --choices 'billing|technical support,tech support|agent,operator,i want to speak to an agent' samples/answers-ulaw.wav"
echo "#start end   conf  choice"
ivr-asr --choices 'billing|technical support,tech support|agent,operator,i want to speak to an agent' \
    samples/answers-ulaw.wav

step "A promotion: a coupon by SMS (to the local outbox), redeemed once" \
     "ivr-sim menus/coupon.ivr --fast --caller +15550107788 --keys '1 @3s'"
ivr-sim menus/coupon.ivr --fast --caller +15550107788 --keys '1 @3s' | grep -E 'coupon|SMS'
serial=$(ivr-send-sms --list --limit 1 | sed -n 's/.*coupon \([0-9A-Z-]*\)\..*/\1/p')
echo "\$ ivr-send-sms --redeem $serial --merchant 'Corner Store'"
ivr-send-sms --redeem "$serial" --merchant "Corner Store"
echo "\$ ivr-send-sms --redeem $serial --merchant 'Other Shop'"
ivr-send-sms --redeem "$serial" --merchant "Other Shop" || true
echo "\$ ivr-send-sms --report spring-sale"
ivr-send-sms --report spring-sale
