# lib.sh: TAP helpers for the command tests (sourced).
#
#   ok  "name" command...          passes when the command exits 0
#   is  "name" "got" "expected"    string equality
#   like "name" "got" "pattern"    grep -E match
#   run CMD...                     runs, keeping $out, $err and $rc
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

done_testing() {
    echo "1..$tap_n"
    [ "$tap_failed" = 0 ]
}
