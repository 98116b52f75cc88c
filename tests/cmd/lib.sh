# lib.sh: TAP helpers for the command tests (sourced).
#
#   ok  "name" command...          passes when the command exits 0
#   is  "name" "got" "expected"    string equality
#   like "name" "got" "pattern"    grep -E match
#   run CMD...                     runs, keeping $out, $err and $rc
#   interrupt PID [SECONDS]        Ctrl-C to it, its exit status, bounded
#   alive PID, wait_gone PID [S]   whether it runs; until it does not
#   done_testing                   the plan; exit status 1 on failure
# Each script works in its own temporary directory $T, removed at exit;
# $TOP is the source tree.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
# sox: its noise and dither the same every run (test audio is repeatable)
export SOX_OPTS=-R
BUILD=${BUILD:-$TOP/build}
PATH="$BUILD:$PATH"
T=$(mktemp -d "${TMPDIR:-/tmp}/ivr-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 99
# nothing a test sends or issues lands in the user's own files
export XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config"
tap_n=0
tap_failed=0

# alive PID: the process runs (a zombie, ended but not yet waited for,
# does not)
alive() {
    read -r _ _ tap_state _ 2>/dev/null <"/proc/$1/stat" &&
        [ "$tap_state" != Z ]
}
# wait_gone PID [SECONDS]: until the process has ended, SECONDS (default
# 5) at most; one killed that is not the script's child, such as a
# daemon, stays a zombie. Its own counter: a caller's $i is left alone.
wait_gone() {
    tap_i=0
    while [ $tap_i -lt $((${2:-5} * 20)) ] && alive "$1"; do
        sleep 0.05
        tap_i=$((tap_i + 1))
    done
}
# A script that hangs (a process that never exits, a wait for it) fails
# here, in its own time, instead of holding up everything after it: past
# IVR_TEST_LIMIT seconds (default 900; the longest script takes about 5
# minutes) the watchdog kills what the script starts, from then on, so
# that its waits return, and done_testing fails it. The watchdog is no
# child of the script (whose bare waits would wait for it), holds none of
# its output (which prove reads to its end), and ends with it: when it is
# gone or a zombie, which prove may not reap until that output ends.
tap_watchdog() {  # PID
    limit=${IVR_TEST_LIMIT:-900}
    i=0
    while alive "$1"; do
        sleep 1
        i=$((i + 1))
        [ $i -ge "$limit" ] || continue
        [ $i = "$limit" ] && ps -o pid=,args= --ppid "$1" >"$T/.over-time"
        tap_kill_tree "$1"
    done 2>/dev/null
}
# tap_kill_tree PID: its descendants (a subshell: its loop variable is
# each call's own, and not the script's)
tap_kill_tree() (
    for c in $(ps -o pid= --ppid "$1"); do
        tap_kill_tree "$c"
        kill -KILL "$c" 2>/dev/null
    done
)
( (exec </dev/null >/dev/null 2>&1; tap_watchdog $$) & )

tap_result() {
    tap_n=$((tap_n + 1))
    if [ "$1" = 0 ]; then
        echo "ok $tap_n - $2"
    else
        echo "not ok $tap_n - $2"
        tap_failed=$((tap_failed + 1))
    fi
}

diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

ok() {
    name=$1; shift
    "$@" >/dev/null 2>&1
    tap_result $? "$name"
}

is() {
    if [ "$2" = "$3" ]; then
        tap_result 0 "$1"
    else
        tap_result 1 "$1"
        diag "got:      '$2'" "expected: '$3'"
    fi
}

like() {
    if printf '%s' "$2" | grep -Eq -- "$3"; then
        tap_result 0 "$1"
    else
        tap_result 1 "$1"
        diag "got:      '$2'" "expected: /$3/"
    fi
}

run() {
    "$@" </dev/null >"$T/.out" 2>"$T/.err"
    rc=$?
    out=$(cat "$T/.out")
    err=$(cat "$T/.err")
}

# interrupt PID [SECONDS] [SIGNAL]: Ctrl-C (or SIGNAL) to a process the
# script started, and its exit status once it ends; one that has not
# ended within SECONDS (default 15) is shown, every thread's stack (gdb),
# on stderr, then killed: status 124.
interrupt() {
    kill -"${3:-INT}" "$1" 2>/dev/null
    wait_gone "$1" "${2:-15}"
    if alive "$1"; then
        echo "$(basename "$0"): process $1 did not end on SIG${3:-INT}:" >&2
        command -v gdb >/dev/null &&
            gdb -p "$1" -batch -ex 'thread apply all bt' 2>&1 | grep '^#\|^Thread' >&2
        tap_kill_tree "$1"
        kill -KILL "$1" 2>/dev/null
        wait "$1" 2>/dev/null
        return 124
    fi
    wait "$1"
}

done_testing() {
    if [ -f "$T/.over-time" ]; then
        tap_result 1 "finished within ${IVR_TEST_LIMIT:-900} s"
        diag "what it was running then (killed):" "$(cat "$T/.over-time")"
    fi
    echo "1..$tap_n"
    [ "$tap_failed" = 0 ]
}
