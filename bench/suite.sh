#!/bin/sh
# suite.sh: 1,000 scripted calls through the sample menus (the call suites
# of tests/calls, over and over), in fast mode and with full audio, with
# -j 1 as the reference measured in the same run and -j 2 on this 2-core
# machine, the same calls at each. Peak memory is that of the largest
# process: one worker. Then one process's peak memory after 1,000 and
# after 10,000 full-audio calls (goal: flat).
set -eu
B=${1:-build}
S="$B/ivr-sim"
calls=$(ls tests/calls/*/*.call)
per=$(echo "$calls" | wc -l)
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
export XDG_CACHE_HOME="$cache"

list() {  # list N: N script paths, the suites over and over
    i=0
    while [ "$i" -lt "$1" ]; do
        for c in $calls; do
            [ "$i" -lt "$1" ] && echo "$c"
            i=$((i + 1))
        done
    done
}

now() { date +%s.%N; }

run() {  # run N JOBS MODE: prints "seconds peak-kB"
    list "$1" > "$cache/list"
    t0=$(now)
    /usr/bin/time -f '%M' -o "$cache/rss" xargs -a "$cache/list" \
        "$S" --test -j "$2" $3 > "$cache/tap" || true
    t1=$(now)
    if grep -q '^not ok' "$cache/tap"; then
        echo "bench-suite: a call failed:" >&2
        grep -A3 '^not ok' "$cache/tap" | head -20 >&2
        exit 1
    fi
    echo "$(echo "$t1 - $t0" | bc -l) $(cat "$cache/rss")"
}

# fill the prompt cache and check every script passes
"$S" --test $calls > /dev/null

echo "Scripted calls ($per scripts of tests/calls, repeated), $(nproc) cores"
for mode in --fast ""; do
    name=${mode:-"full audio"}; name=${name#--}
    n=1000
    set -- $(run "$n" 1 "$mode"); s1=$1
    set -- $(run "$n" 2 "$mode"); s2=$1; rss=$2
    r1=$(echo "$n / $s1" | bc -l); r2=$(echo "$n / $s2" | bc -l)
    printf '  %-10s -j 1: %7.1f calls/s   -j 2: %7.1f calls/s (%d calls each, %.1f s at -j 2), %.2fx the -j 1 rate; peak memory a worker %.1f MB\n' \
        "$name" "$r1" "$r2" "$n" "$s2" "$(echo "$r2 / $r1" | bc -l)" \
        "$(echo "$rss / 1024" | bc -l)"
done

peak() {  # peak N: one process's peak memory (kB) over N full-audio calls
    list "$1" > "$cache/list"
    # shellcheck disable=SC2046
    /usr/bin/time -f '%M' -o "$cache/rss" "$S" --test $(cat "$cache/list") \
        > "$cache/tap" || true
    if grep -q '^not ok' "$cache/tap"; then
        echo "bench-suite: a call failed:" >&2
        grep -A3 '^not ok' "$cache/tap" | head -20 >&2
        exit 1
    fi
    cat "$cache/rss"
}
m1=$(peak 1000)
m2=$(peak 10000)
printf '  one process, full audio: peak memory %.1f MB after 1,000 calls, %.1f MB after 10,000%s\n' \
    "$(echo "$m1 / 1024" | bc -l)" "$(echo "$m2 / 1024" | bc -l)" \
    "$([ $((m2 - m1)) -le 1024 ] && echo " (flat: goal met)" || echo "  MISSED (goal: flat)")"
