#!/bin/sh
# kannel.sh start|stop DIR [CONF [MESSAGE]]: bearerbox, fakesmsc (the phone
# network) and smsbox on 127.0.0.1 with kannel.conf (or CONF), state and
# logs in DIR; with MESSAGE ("from to text words"), the phone network sends
# it to the gateway once. stop kills what start started, by PID. start
# exits 0 when sendsms answers, 77 when Kannel is not installed, 1 when it
# does not come up.
set -u
here=$(cd "$(dirname "$0")" && pwd)
dir=$2
conf=${3:-$here/kannel.conf}
message=${4:-}
fakesmsc=/usr/lib/kannel/test/fakesmsc

alive() { [ -r "/proc/$1/stat" ] && ! grep -q ') Z ' "/proc/$1/stat"; }
listening() { grep -q "$(printf ' 0100007F:%04X 00000000:0000 0A ' "$1")" /proc/net/tcp; }
wait_for() {  # wait_for SECONDS COMMAND...
    n=$(($1 * 20)); shift
    while [ $n -gt 0 ]; do "$@" && return 0; sleep 0.05; n=$((n - 1)); done
    return 1
}

case $1 in
start)
    for b in /usr/sbin/bearerbox /usr/sbin/smsbox $fakesmsc; do
        [ -x "$b" ] || { echo "kannel.sh: $b missing (apt-get install kannel kannel-extras)"; exit 77; }
    done
    mkdir -p "$dir" && cd "$dir" || exit 1
    /usr/sbin/bearerbox -v 1 "$conf" > bearerbox.out 2>&1 &
    echo $! > bearerbox.pid
    wait_for 20 listening 20000 && wait_for 20 listening 23001 || exit 1
    if [ -n "$message" ]; then
        "$fakesmsc" -H 127.0.0.1 -r 20000 -m 1 "$message" > fakesmsc.out 2>&1 &
    else
        "$fakesmsc" -H 127.0.0.1 -r 20000 -m 0 '0 0 text unused' > fakesmsc.out 2>&1 &
    fi
    echo $! > fakesmsc.pid
    /usr/sbin/smsbox -v 1 "$conf" > smsbox.out 2>&1 &
    echo $! > smsbox.pid
    online() { curl -s --max-time 2 "http://127.0.0.1:23100/status.txt?password=statuspass" | grep -q 'fake1.*online'; }
    wait_for 20 listening 23013 && wait_for 20 online || exit 1
    ;;
stop)
    for p in smsbox fakesmsc bearerbox; do
        [ -f "$dir/$p.pid" ] || continue
        pid=$(cat "$dir/$p.pid")
        kill "$pid" 2>/dev/null
        wait_for 5 sh -c "! { [ -r /proc/$pid/stat ] && ! grep -q ') Z ' /proc/$pid/stat; }" ||
            kill -9 "$pid" 2>/dev/null
        rm -f "$dir/$p.pid"
    done
    ;;
esac
