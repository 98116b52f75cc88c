#!/bin/sh
# web.sh: ivr-web's redemptions a second over HTTPS with keep-alive (wrk,
# 100 connections, 2 threads), their p99 latency, and the count of double
# redemptions (none allowed), beside the same site serving its style sheet
# (no record touched) in the same run: the record's share of the cost.
#
#   sh bench/web.sh [BUILD]
set -eu
B=${1:-build}
top=$(pwd)
if ! command -v wrk >/dev/null; then
    echo "web.sh: wrk missing (apt-get install wrk)"; exit 0
fi
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
port=28460
U=https://127.0.0.1:$port
n=20000
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -days 2 2>/dev/null
# the first makes the record, then two at a time
"$top/$B/ivr-send-sms" -q --issue bench --to +15550100000 > serials
seq 2 $n | xargs -P 2 -I{} "$top/$B/ivr-send-sms" -q --issue bench \
    --to +15550100000 >> serials
echo "bench till password" | "$top/$B/ivr-web" --add-merchant till --promotions bench
# site DB: serves DB on the port, signed in as the till; sets cookie, csrf
site() {
    "$top/$B/ivr-web" -q --db "$1" --listen 127.0.0.1:$port --cert cert.pem \
        --key key.pem &
    server=$!
    sleep 0.5
    rm -f jar
    t=$(c $U/login | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
    c -o /dev/null --data-urlencode user=till --data-urlencode "password=bench till password" \
        --data-urlencode "csrf=$t" $U/login
    csrf=$(c $U/ | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
    cookie="session=$(awk '$6 == "session" { print $7 }' jar)"
}
c() { curl -s --cacert cert.pem -c jar -b jar "$@"; }
# redeem: wrk's answers "redeemed N refused M" and its p99, as "N p99"
redeem() {
    out=$(SERIALS=serials THREADS=2 COOKIE=$cookie CSRF=$csrf \
          wrk -t2 -c100 -d5s -s "$top/bench/web_redeem.lua" $U/)
    set -- $(echo "$out" | grep '^redeemed')
    kill $server
    wait $server 2>/dev/null || true
    server=
    echo "${2:-0} ${6:-999}"
}
# row LABEL REDEEMED P99 IN_RECORD
row() {
    # a redemption answered but not in the record would be a double: the
    # record may hold more (answers still on their way when wrk stopped)
    doubles=$(($2 > $4 ? $2 - $4 : 0))
    printf '  %-44s %10s /s  (%.2f of the reference)\n' "$1" \
        "$(awk -v n="$2" 'BEGIN { printf "%.0f", n / 5 }')" \
        "$(awk -v s="$static" -v n="$2" 'BEGIN { print n / 5 / s }')"
    printf '  %-44s %10s ms  (goal: under 50)\n' "  p99 latency of a redemption" "$3"
    printf '  %-44s %10s     (redeemed answers %s, in the record %s)\n' \
        "  double redemptions" "$doubles" "$2" "$4"
}

site "$work/data/ivrkit/ivrkit.sqlite"
static=$(wrk -t2 -c100 -d5s $U/style.css | awk '/Requests\/sec/ { print $2 }')
set -- $(redeem)
lite_n=$1 lite_p99=$2
lite_in=$(sqlite3 data/ivrkit/ivrkit.sqlite "select count(*) from coupons where redeemed is not null")

# the same serials in a PostgreSQL record of the bench's own (on a Unix
# socket, fsync on as a real server has it)
pg_row=
if url=$(PG_FSYNC=on sh "$top/tests/postgres/postgres.sh" start "$work/pg" 2>/dev/null); then
    trap '[ -n "$server" ] && kill $server 2>/dev/null; sh "$top/tests/postgres/postgres.sh" stop "$work/pg"; rm -rf "$work"' EXIT
    "$top/$B/ivr-send-sms" --db "$url" --report none >/dev/null 2>&1 || true
    sqlite3 -csv data/ivrkit/ivrkit.sqlite "select serial, promotion, recipient, issued from coupons" |
        psql -q "$url" -c "\\copy coupons(serial, promotion, recipient, issued) from stdin csv"
    echo "bench till password" | "$top/$B/ivr-web" --db "$url" --add-merchant till --promotions bench
    site "$url"
    set -- $(redeem)
    pg_n=$1 pg_p99=$2
    pg_in=$(psql -tA "$url" -c "select count(*) from coupons where redeemed is not null")
    pg_row=1
fi

echo
echo "Merchant site (ivr-web, HTTPS keep-alive, wrk 100 connections, 5 s each)"
printf '  %-44s %10s /s\n' "the style sheet (no record), reference" "$static"
row "redemptions, SQLite (look-up, redeem, log)" "$lite_n" "$lite_p99" "$lite_in"
[ -n "$pg_row" ] && row "redemptions, PostgreSQL on a local socket" "$pg_n" "$pg_p99" "$pg_in"
awk -v n="$lite_n" -v p="$lite_p99" 'BEGIN {
    if (n / 5 < 2000) print "  MISSED: the goal is 2,000 redemptions/s"
    if (p >= 50) print "  MISSED: the goal is a p99 under 50 ms" }'
