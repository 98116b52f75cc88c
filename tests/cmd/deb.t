#!/bin/sh
# make deb: a lintian-clean Debian package whose commands, pages, completion
# and sample menus work once unpacked (debian/tests/installed, the package's
# own autopkgtest, run on the unpacked files).
. "$(dirname "$0")/lib.sh"

make -s -C "$TOP" BUILD="$T/b" deb >"$T/deb.log" 2>&1
rc=$?
is "make deb builds, lintian finds nothing" "$rc" 0
[ "$rc" = 0 ] || diag "$(tail -15 "$T/deb.log")"
deb=$(ls "$T"/b/deb/ivrkit_*_*.deb 2>/dev/null | head -1)
ok "the package is there" test -f "$deb"
dpkg-deb -x "$deb" "$T/root"
for f in usr/bin/ivr-sim usr/bin/ivr-send-sms usr/share/man/man1/ivr-sim.1.gz \
         usr/share/man/man5/ivr-menu.5.gz usr/share/ivrkit/menus/bank.ivr \
         usr/share/bash-completion/completions/ivr-sim \
         usr/share/doc/ivrkit/copyright; do
    ok "the package installs /$f" test -e "$T/root/$f"
done
is "no test program is packaged" \
   "$(dpkg-deb -c "$deb" | grep -c 'test_\|http-sink')" 0
like "it depends on the speech model" \
     "$(dpkg-deb -f "$deb" Depends)" 'pocketsphinx-en-us'
IVRKIT_ROOT="$T/root" sh "$TOP/debian/tests/installed" >"$T/installed.log" 2>&1
rc=$?
is "its autopkgtest passes on the unpacked package" "$rc" 0
[ "$rc" = 0 ] || diag "$(tail -5 "$T/installed.log")"
run "$T/root/usr/bin/ivr-sim" --check "$T/root/usr/share/ivrkit/menus/bank.ivr"
is "the packaged ivr-sim checks the packaged bank menu" "$rc:$err" "0:"
ok "the source tree is left as it was (the build ran in a copy)" \
   test ! -e "$TOP/debian/ivrkit"

done_testing
