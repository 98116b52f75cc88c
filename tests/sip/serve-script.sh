#!/bin/sh
# serve-script.sh SCRIPT PORT [IVR-SIM-OPTION...]: the menu of call script
# SCRIPT answering SIP calls on 127.0.0.1:PORT as the script's run would
# have it: the script's clock (--at), its web answers (its `http` lines and
# `http file`s, in order, as one fixture file), its coupon seed. Prints the
# server's pid once it answers. The IVR speaks in another voice (rms) than
# a local run's, as a deployed IVR would.
set -eu
script=$1 port=$2
shift 2
dir=$(cd "$(dirname "$script")" && pwd)
menu=$(sed -n 's/^menu  *//p' "$script")
at=$(sed -n 's/^at  *"\(.*\)"$/\1/p' "$script")
seed=$(sed -n 's/^seed  *//p' "$script")
work=$(mktemp -d)
fixtures=$work/answers.http
: >"$fixtures"
while IFS= read -r line; do
    case $line in
    'http file '*)
        f=$(printf '%s\n' "$line" | sed 's/^http file  *"\(.*\)"$/\1/')
        cat "$dir/$f" >>"$fixtures" ;;
    'http '*) printf '%s\n' "$line" >>"$fixtures" ;;
    esac
done <"$script"
set -- "$dir/$menu" --sip-listen "127.0.0.1:$port" --voice rms --no-sms "$@"
[ -s "$fixtures" ] && set -- "$@" --http-fixtures "$fixtures"
[ -n "$at" ] && set -- "$@" --at "$at"
[ -n "$seed" ] && set -- "$@" --seed "$seed"
: >"$work/out"
"${BUILD:-build}/ivr-sim" "$@" >"$work/out" 2>"$work/err" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q answering "$work/out"; do
    sleep 0.05
    i=$((i + 1))
done
echo "$pid $work"
