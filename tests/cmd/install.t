#!/bin/sh
# make install and uninstall honour DESTDIR and PREFIX.
. "$(dirname "$0")/lib.sh"

make -s -C "$TOP" BUILD="$BUILD" install DESTDIR="$T/root" PREFIX=/opt/ivr \
    >/dev/null 2>&1
ok "install exits 0" test $? = 0
ok "commands in PREFIX/bin" test -x "$T/root/opt/ivr/bin/ivr-dtmf"
ok "man pages in PREFIX/share/man/man1" test -f "$T/root/opt/ivr/share/man/man1/ivr-dtmf.1"
ok "the menu language page in man5" test -f "$T/root/opt/ivr/share/man/man5/ivr-menu.5"
run "$T/root/opt/ivr/bin/ivr-sim" --check "$T/root/opt/ivr/share/ivrkit/menus/tunes.ivr"
is "the installed sample menus check clean, their audio beside them" "$rc" 0
ok "bash completion for each command in PREFIX/share/bash-completion" \
   test -f "$T/root/opt/ivr/share/bash-completion/completions/ivr-send-sms"
is "the installed completion completes" \
   "$(PATH="$T/root/opt/ivr/bin:$PATH" bash -c '
       . "$1"; COMP_WORDS=(ivr-dtmf gen --tw); COMP_CWORD=2; _ivrkit
       echo "${COMPREPLY[*]}"' x \
       "$T/root/opt/ivr/share/bash-completion/completions/ivr-dtmf")" \
   "--twist"
ok "samples in PREFIX/share/ivrkit" test -f "$T/root/opt/ivr/share/ivrkit/samples/keys-ulaw.wav"
is "the installed command works" \
   "$("$T/root/opt/ivr/bin/ivr-dtmf" detect --digits "$T/root/opt/ivr/share/ivrkit/samples/keys-ulaw.wav")" \
   5550199#
make -s -C "$TOP" BUILD="$BUILD" uninstall DESTDIR="$T/root" PREFIX=/opt/ivr \
    >/dev/null 2>&1
is "uninstall leaves no file" "$(find "$T/root" -type f | wc -l)" 0

done_testing
