#!/bin/sh
# Bash completion (cmd/completion.bash): options from each command's own
# --help, values by what the option takes, menus and call scripts by name.
. "$(dirname "$0")/lib.sh"

mkdir -p work/menus work/calls "work/my folder"
touch work/menus/bank.ivr work/menus/bank.txt work/calls/balance.call \
      work/call.wav work/call.flac work/notes.txt work/rules.gram \
      "work/my folder/x.ivr"
cd work || exit 99

# complete WORD...: what completing the last word offers, one per line
complete_words() {
    bash -c '. "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ivrkit
        printf "%s\n" "${COMPREPLY[@]}" | sort' \
        complete "$TOP/cmd/completion.bash" "$@"
}

is "ivr-sim: long options from its --help" \
   "$(complete_words ivr-sim --ver)" "$(printf '%s\n' --verbose --version)"
is "ivr-sim: every option of its --help is offered" \
   "$(complete_words ivr-sim -- | grep -c .)" \
   "$(ivr-sim --help | grep -oE -- '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*' |
      grep -oE -- '--[a-z][a-z0-9-]*' | sort -u | grep -c .)"
is "ivr-sim: a short option too" "$(complete_words ivr-sim -f)" "-f"
is "ivr-sim: menu files (and folders) for the menu" \
   "$(complete_words ivr-sim m)" "$(printf '%s\n' menus "my folder")"
is "ivr-sim: only .ivr files inside a folder" \
   "$(complete_words ivr-sim menus/)" "menus/bank.ivr"
is "ivr-sim --test: call scripts instead" \
   "$(complete_words ivr-sim --test calls/)" "calls/balance.call"
is "ivr-sim --layout: its three values" \
   "$(complete_words ivr-sim --layout '')" "$(printf '%s\n' auto caller mix)"
is "ivr-sim --input: recordings, not text" \
   "$(complete_words ivr-sim --input call)" \
   "$(printf '%s\n' call.flac call.wav calls)"
is "ivr-sim --record-dir: folders only" \
   "$(complete_words ivr-sim --record-dir m)" \
   "$(printf '%s\n' menus "my folder")"
is "ivr-sim --seed: a number, nothing offered" \
   "$(complete_words ivr-sim --seed '')" ""
is "ivr-tts --voice: the voices of --list-voices" \
   "$(complete_words ivr-tts --voice k)" "$(printf '%s\n' kal kal16)"
is "ivr-dtmf: its subcommands first" \
   "$(complete_words ivr-dtmf '')" \
   "$(printf '%s\n' --help --version detect gen)"
is "ivr-dtmf gen: gen's options, not detect's" \
   "$(complete_words ivr-dtmf gen --d)" ""
is "ivr-dtmf detect: detect's options" \
   "$(complete_words ivr-dtmf detect --d)" "$(printf '%s\n' --device --digits)"
is "ivr-dtmf gen -e: the encodings" \
   "$(complete_words ivr-dtmf gen -e u)" "$(printf '%s\n' u8 ulaw)"
is "ivr-asr --grammar: grammar files" \
   "$(complete_words ivr-asr --grammar r)" "rules.gram"
is "ivr-send-sms --backend: the backends" \
   "$(complete_words ivr-send-sms --backend '')" \
   "$(printf '%s\n' http kannel outbox)"
is "ivr-send-sms: its options" \
   "$(complete_words ivr-send-sms --re)" "$(printf '%s\n' --redeem --report)"

done_testing
