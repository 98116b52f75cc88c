#!/bin/sh
# ivr-sim --sip-register: the line registered at a real registrar
# (Debian's kamailio, tests/sip/registrar.sh; ports 25090-25096), which challenges for a
# digest password; a real softphone (baresip) then calls the registrar's
# address for the menu and is put through to ivr-sim. A password that is
# missing or wrong, and a file that holds none, each say so; Ctrl-C
# unregisters; a refresh that the registrar refuses later is a warning,
# and the line goes on.
. "$(dirname "$0")/lib.sh"

S=$TOP/tests/sip
if ! command -v baresip >/dev/null || ! command -v kamailio >/dev/null ||
   ! [ -x /usr/bin/python3 ]; then
    echo "1..0 # skip: baresip or kamailio missing (make deps)"
    exit 0
fi
reg=25090 port=25091
pids=""
trap 'kill $pids 2>/dev/null; for d in a k k2 k3; do [ -f $d/pid ] && kill $(cat $d/pid) 2>/dev/null; done; sleep 0.3; rm -rf "$T"' EXIT
aor=sip:pharmacy@127.0.0.1:$reg
contacts() { kamcmd -s "unix:$T/k/ctl" ul.dump 2>/dev/null | sed -n 's/.*Address: //p'; }

sh "$S/registrar.sh" "$T/k" $reg 's3cret pass'
ok "the registrar is up" alive "$(cat k/pid)"

# --- mistakes on the command line
run ivr-sim "$TOP/menus/pharmacy.ivr" --sip-register $aor
is "--sip-register without --sip-listen" "$rc:$(echo "$err" | head -n 1)" \
   "2:ivr-sim: --sip-register makes --sip-listen's line reachable: give --sip-listen ADDR:PORT too"
run ivr-sim "$TOP/menus/pharmacy.ivr" --sip-listen 127.0.0.1:$port --sip-password-file pw
is "--sip-password-file without --sip-register" "$rc:$(echo "$err" | head -n 1)" \
   "2:ivr-sim: --sip-password-file is the password of --sip-register"
run ivr-sim "$TOP/menus/pharmacy.ivr" --sip-listen 127.0.0.1:$port --sip-register pharmacy
is "an address that is not a SIP URI with a user" "$rc:$err" \
   "2:ivr-sim: --sip-register pharmacy: a SIP address with a user, such as sip:pharmacy@pbx.example"
run timeout -k 2 10 ivr-sim "$TOP/menus/pharmacy.ivr" --sip-listen 127.0.0.1:$port --sip-register sip:pharmacy@127.0.0.1:5x60
is "a registrar's port that is not a number" "$rc:$err" \
   "2:ivr-sim: --sip-register sip:pharmacy@127.0.0.1:5x60: the port is not 1 to 65535"
run ivr-sim "$TOP/menus/pharmacy.ivr" --sip-listen 127.0.0.1:$port --sip-register $aor \
    --sip-password-file nowhere
is "a password file that is not there: exit 3, named" "$rc:$err" \
   "3:ivr-sim: --sip-password-file nowhere: No such file or directory"
: >empty
run ivr-sim "$TOP/menus/pharmacy.ivr" --sip-listen 127.0.0.1:$port --sip-register $aor \
    --sip-password-file empty
is "an empty password file: exit 3" "$rc:$err" \
   "3:ivr-sim: --sip-password-file empty: no password on its first line"

# --- the registrar's answers
run env -u IVR_SIP_PASSWORD ivr-sim "$TOP/menus/pharmacy.ivr" --sip-listen 127.0.0.1:$port \
    --sip-register $aor
is "no password for a registrar that asks one: exit 1, the status, what to do" "$rc:$err" \
   "1:ivr-sim: --sip-register $aor: the registrar sip:127.0.0.1:$reg answered 401 Unauthorized (it wants a password: IVR_SIP_PASSWORD or --sip-password-file)"
IVR_SIP_PASSWORD=s3cret run ivr-sim "$TOP/menus/pharmacy.ivr" --sip-listen 127.0.0.1:$port \
    --sip-register $aor
is "a wrong password from the environment: exit 1" "$rc:$err" \
   "1:ivr-sim: --sip-register $aor: the registrar sip:127.0.0.1:$reg answered 401 Unauthorized (is the password right?)"
is "... and nothing registered" "$(contacts)" ""

# --- registered: a call to the registrar's address reaches the menu
printf 's3cret pass\nnot this line\n' >password
ivr-sim "$TOP/menus/pharmacy.ivr" --sip-listen 127.0.0.1:$port --sip-register $aor \
    --sip-password-file password >sim.out 2>sim.err &
sim_pid=$!
pids="$pids $sim_pid"
i=0; while [ $i -lt 100 ] && ! grep -q registered sim.out; do sleep 0.05; i=$((i + 1)); done
is "the password from the file's first line: registered" "$(sed -n 2p sim.out)" \
   "ivr-sim: registered as $aor at sip:127.0.0.1:$reg"
is "... the registrar holds the line's contact" "$(contacts)" "sip:pharmacy@127.0.0.1:$port"
sh "$S/baresip.sh" a 25092 25096 +15550104477
/usr/bin/python3 "$S/drive.py" 25096 "0.3 dial $aor" "5 sndcode 1" "8 sndcode 1234567#" >/dev/null
i=0; while [ $i -lt 400 ] && ! grep -q 'call 1: .*call ends' sim.out; do sleep 0.05; i=$((i + 1)); done
like "a call to the registrar's address is put through: the caller's number" \
     "$(cat sim.out)" 'call 1: from \+15550104477 to pharmacy \(PCMU\)'
like "... and the keys lead to the refill" "$(cat sim.out)" 'call 1: .* ready +SMS to \+15550104477'
kill $(cat a/pid) 2>/dev/null
wait_gone "$(cat a/pid)"
rm -f a/pid

# --- Ctrl-C: the line unregisters, and a call to the address is refused
interrupt $sim_pid
is "Ctrl-C: exit 0" "$?" 0
is "... and the registrar no longer holds the contact" "$(contacts)" ""
sh "$S/baresip.sh" a 25092 25096 +15550104477
/usr/bin/python3 "$S/drive.py" 25096 "0.3 dial $aor" >/dev/null
i=0; while [ $i -lt 100 ] && ! grep -q '404' a/log; do sleep 0.05; i=$((i + 1)); done
like "... so a call to the address now gets 404" "$(cat a/log)" '404 Not Found'
kill $(cat a/pid) 2>/dev/null

# --- a refresh refused later: a registrar that grants 4 s, then comes
# back with another password
stop_registrar() {
    kill "$(cat "$1/pid")" 2>/dev/null
    wait_gone "$(cat "$1/pid")"
    rm -f "$1/pid"
}
stop_registrar k
sh "$S/registrar.sh" "$T/k2" $reg 's3cret pass' 4
ivr-sim "$TOP/menus/pharmacy.ivr" --sip-listen 127.0.0.1:$port --sip-register $aor \
    --sip-password-file password >sim.out 2>sim.err &
sim_pid=$!
pids="$sim_pid"
i=0; while [ $i -lt 100 ] && ! grep -q registered sim.out; do sleep 0.05; i=$((i + 1)); done
stop_registrar k2
sh "$S/registrar.sh" "$T/k3" $reg 'another'
i=0; while [ $i -lt 200 ] && ! grep -q 'no longer registered' sim.err; do sleep 0.05; i=$((i + 1)); done
is "a refresh refused later: a warning, and it tries again" "$(cat sim.err)" \
   "ivr-sim: warning: $aor: no longer registered: the registrar answered 401 Unauthorized; trying again"
ok "... while the line goes on answering" alive $sim_pid
interrupt $sim_pid
is "... and Ctrl-C ends it" "$?" 0

done_testing
