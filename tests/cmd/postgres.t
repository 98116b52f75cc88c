#!/bin/sh
# The record in PostgreSQL, for several hosts: a server of the test's own
# (tests/postgres/postgres.sh: its own data and socket, no TCP port).
# ivr-sim's coupon menu texts serials into it, ivr-send-sms issues and
# reports, and two ivr-web sites share it: 32 redemptions of one serial at
# once, through both, redeem it exactly once (the database's transactions
# do it, not a lock in one process), and a merchant's refusals count
# across both sites.
. "$(dirname "$0")/lib.sh"

url=$(sh "$TOP/tests/postgres/postgres.sh" start "$T/pg")
case $? in
0) ;;
77) echo "1..0 # skip: PostgreSQL is not installed (make deps)"; exit 0 ;;
*) echo "Bail out! the test's PostgreSQL server did not start"; exit 1 ;;
esac
servers=""
trap 'kill $servers 2>/dev/null; sh "$TOP/tests/postgres/postgres.sh" stop "$T/pg"; rm -rf "$T"' EXIT
# every command below finds the record here unless told otherwise
export IVR_SMS_DB="$url"

# --- the coupon menu, ivr-send-sms
run ivr-sim "$TOP/menus/coupon.ivr" --fast --caller +15550104477 --keys "1 @3s" --db "$url"
like "ivr-sim's coupon menu texts a serial" "$out" 'SMS to \+15550104477: "Corner Store: 20% off'
serial=$(ivr-send-sms --db "$url" --list --limit 1 | grep -oE '[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}')
ok "... into the PostgreSQL record ($serial)" test -n "$serial"
ok "... and not into a SQLite file" test ! -e "$XDG_DATA_HOME/ivrkit/ivrkit.sqlite"
for i in 1 2 3 4 5; do
    ivr-send-sms --issue spring-sale --to +1555010450$i "Spring: {coupon}" >/dev/null
done
run ivr-send-sms --redeem "$serial" --merchant corner-store
is "ivr-send-sms redeems it" "$rc:$out" "0:redeemed for corner-store"
run ivr-send-sms --redeem "$serial" --merchant other-shop
like "... once: a second time says when and by whom" "$rc:$err" \
     "^1:ivr-send-sms: $serial: already redeemed on 20[0-9-]+T[0-9:]+Z by corner-store$"
run ivr-send-sms --report spring-sale
like "the report counts the menu's serial and the five issued" "$out" \
     'total +6 +1 +16\.7%'

# --- 32 processes, one serial, redeemed once
race=$(ivr-send-sms --issue spring-sale --to +15550104499 | head -n 1)
i=0
while [ $i -lt 32 ]; do
    ivr-send-sms --redeem "$race" --merchant "shop-$i" >"race.$i" 2>&1 &
    i=$((i + 1))
done
wait
is "32 processes redeem one serial: one succeeds" "$(cat race.* | grep -c '^redeemed for')" 1
is "... the other 31 are told it was already redeemed" \
   "$(cat race.* | grep -c 'already redeemed on')" 31

# --- two sites on one record
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -days 2 2>/dev/null
echo "corner store pass" | ivr-web --db "$url" --add-merchant corner-store --promotions spring-sale
run ivr-web --db "$url" --list-accounts
like "accounts live in the record" "$out" 'corner-store +merchant +20[0-9T:-]+Z +spring-sale'
for port in 28470 28471; do
    ivr-web --db "$url" --listen 127.0.0.1:$port --cert cert.pem --key key.pem >server.$port 2>&1 &
    servers="$servers $!"
done
for port in 28470 28471; do
    i=0; while [ $i -lt 100 ] && ! grep -q listening server.$port; do sleep 0.05; i=$((i + 1)); done
    is "site $port listens" "$(cat server.$port)" "ivr-web: listening on https://127.0.0.1:$port/"
done

# JAR ARGS...: a browser with its own cookies, and its own address on the
# loopback network when JAR.addr names one (the site counts refusals by
# address too: 32 shops behind one address would be stopped as one)
c() {
    jar=$1; shift
    curl -s --max-time 30 --cacert cert.pem -c "$jar" -b "$jar" \
        ${jar:+$( [ -f "$jar.addr" ] && echo --interface "$(cat "$jar.addr")")} "$@"
}
csrf_of() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1; }
sign_in() {  # JAR PORT USER PASSWORD: the answer's status; the form's token in JAR.token
    token=$(c "$1" https://127.0.0.1:$2/login | csrf_of)
    c "$1" -o /dev/null -w '%{http_code}' --data-urlencode "user=$3" \
        --data-urlencode "password=$4" --data-urlencode "csrf=$token" \
        https://127.0.0.1:$2/login
    c "$1" https://127.0.0.1:$2/ | csrf_of >"$1.token"
}
for port in 28470 28471; do
    is "signed in at site $port" "$(sign_in jar.$port $port corner-store 'corner store pass')" 303
done
# 32 shops, half at each site (one shop's own repeats would count as its
# refusals, and ten of them stop it: see below)
i=0; signed=0
while [ $i -lt 32 ]; do
    echo "shop $i password" | ivr-web --db "$url" --add-merchant shop-$i --promotions spring-sale
    echo 127.0.0.$((i + 2)) >shop.$i.addr
    [ "$(sign_in shop.$i $((28470 + i % 2)) shop-$i "shop $i password")" = 303 ] &&
        signed=$((signed + 1))
    i=$((i + 1))
done
is "32 shops signed in, 16 at each site" "$signed" 32

won=0; refused=0
for round in 1 2 3; do
    s=$(ivr-send-sms --issue spring-sale --to +1555010460$round | head -n 1)
    i=0
    while [ $i -lt 32 ]; do
        c shop.$i --data-urlencode "serial=$s" --data-urlencode "csrf=$(cat shop.$i.token)" \
            https://127.0.0.1:$((28470 + i % 2))/redeem >page.$round.$i &
        i=$((i + 1))
    done
    wait_pages() { for f in page.$round.*; do [ -s "$f" ] || return 1; done; }
    n=0; while [ $n -lt 600 ] && ! wait_pages; do sleep 0.05; n=$((n + 1)); done
    won=$((won + $(cat page.$round.* | grep -c 'Redeemed:')))
    refused=$((refused + $(cat page.$round.* | grep -c 'already redeemed on')))
done
is "3 serials, each sent 32 times at once through two sites: 3 redemptions" "$won" 3
is "... and 93 answers that it was already redeemed" "$refused" 93

# refusals are counted in the record: 10 at one site stop the shop at both
i=0
while [ $i -lt 10 ]; do
    c jar.28470 --data-urlencode "serial=AAAA-BBBB-CCC7" --data-urlencode "csrf=$(cat jar.28470.token)" \
        https://127.0.0.1:28470/lookup >/dev/null
    i=$((i + 1))
done
page=$(c jar.28471 --data-urlencode "serial=$serial" --data-urlencode "csrf=$(cat jar.28471.token)" \
       https://127.0.0.1:28471/lookup)
like "ten unknown serials at one site: the other site refuses the shop too" "$page" \
     '10 serials from corner-store were refused in the last 10 minutes: no more until 20[0-9-]+T[0-9:]+Z'

# --- a record that cannot be reached
run ivr-send-sms --db "postgresql://ana:secret@127.0.0.1:1/ivrkit" --list
like "a server that is not there: exit 5, the URL without its password" "$rc:$err" \
     '^5:ivr-send-sms: postgresql://ana@127.0.0.1:1/ivrkit: connection to server at "127.0.0.1", port 1 failed: Connection refused'
is "... the password is never shown" "$(printf '%s' "$err" | grep -c secret)" 0
run ivr-web --db "postgresql:///nothing?host=$T/pg&user=ivrkit" --list-accounts
like "a database that is not there is named" "$rc:$err" \
     '^5:ivr-web: postgresql:///nothing\?host=.*: .*database "nothing" does not exist'

done_testing
