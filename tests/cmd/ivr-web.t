#!/bin/sh
# ivr-web, the merchant site, over real HTTPS (a certificate made here by
# openssl) with curl as the browser: accounts, signing in and its
# throttling, CSRF tokens, looking up and redeeming serials (exactly once,
# also when two shops submit one at the same moment), the promoter's
# figures, CSV and chart, escaping, malformed requests, the headers.
. "$(dirname "$0")/lib.sh"

port=28443
U=https://127.0.0.1:$port
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -days 2 \
    2>/dev/null
ok "a certificate is made" test -s cert.pem

# --- accounts
run ivr-web --listen 0.0.0.0:$port
is "no certificate: loopback only, and how to make one" "$rc" 2
like "... the message says how" "$err" 'without --cert the site serves loopback only \(make a certificate: openssl req'
echo "short" > pw
run ivr-web --add-merchant corner-store
is "a merchant needs its promotions" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-web: --add-merchant corner-store: which promotions does it take? (--promotions spring,summer; * for all)"
ivr-web --add-merchant corner-store --promotions spring < pw 2>"$T/e"
is "a short password is refused" "$?:$(cat "$T/e")" \
   "3:ivr-web: a password has at least 10 characters"
echo "corner store pass" | ivr-web --add-merchant corner-store --promotions spring
ok "a merchant is added, its password from standard input" test $? = 0
echo "other shop pass!" | ivr-web --add-merchant other-shop --promotions "spring,summer"
echo "summer only pass" | ivr-web --add-merchant beach-bar --promotions summer
echo "promoter pass 123" | ivr-web --add-promoter acme
run sh -c 'echo "again and again" | ivr-web --add-merchant corner-store --promotions x'
is "a name is taken once" "$rc:$err" "3:ivr-web: there is an account 'corner-store' already"
run ivr-web --list-accounts
like "the accounts are listed, no password in sight" "$out" \
     '^corner-store +merchant +[0-9T:Z-]+  spring$'
is "... four of them" "$(echo "$out" | wc -l)" 4
is "... and no hash" "$(echo "$out" | grep -c argon)" 0
run ivr-web --remove-account nobody
is "removing an account that is not there" "$rc:$err" "3:ivr-web: no account 'nobody'"

serial=$(ivr-send-sms --issue spring --to +15550104477 "20% off: {coupon}" | head -1)
serial2=$(ivr-send-sms --issue spring --to +15550104478 "20% off: {coupon}" | head -1)
serial3=$(ivr-send-sms --issue summer --to +15550104479 "Summer: {coupon}" | head -1)
ok "serials to redeem" test -n "$serial" -a -n "$serial2" -a -n "$serial3"

ivr-web --listen 127.0.0.1:$port --cert cert.pem --key key.pem >server.out 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$T"' EXIT
i=0; while [ $i -lt 100 ] && ! grep -q listening server.out; do sleep 0.05; i=$((i + 1)); done
is "the site listens" "$(cat server.out)" "ivr-web: listening on https://127.0.0.1:$port/"

# CURL JAR ARGS...: a browser with its own cookies
c() { jar=$1; shift; curl -s --max-time 20 --cacert cert.pem -c "$jar" -b "$jar" "$@"; }
csrf_of() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1; }
sign_in() {  # JAR USER PASSWORD: the answer's status
    login_token=$(c "$1" $U/login | csrf_of)
    c "$1" -o "$T/signin.html" -w '%{http_code}' --data-urlencode "user=$2" \
        --data-urlencode "password=$3" --data-urlencode "csrf=$login_token" \
        $U/login
}

# --- headers, cookies, CSRF
c a -D h -o /dev/null $U/
like "signed out: to the sign-in page" "$(cat h)" '^Location: /login'
c a -D h -o /dev/null $U/login
for hdr in "Content-Security-Policy: default-src 'none'" \
           "Strict-Transport-Security: max-age=" "X-Frame-Options: DENY" \
           "X-Content-Type-Options: nosniff" "Cache-Control: no-store"; do
    like "header: $hdr" "$(cat h)" "^$hdr"
done
like "the sign-in token's cookie: HttpOnly, Secure, SameSite=Strict" \
     "$(cat h)" '^Set-Cookie: signin=[0-9a-f]{64}; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict; Secure'
is "a sign-in without its token is refused" \
   "$(c a -o /dev/null -w '%{http_code}' --data 'user=corner-store&password=corner+store+pass' $U/login)" 403
is "a wrong password: 401" "$(sign_in a corner-store 'wrong password!')" 401
like "... which says no more than that" "$(cat "$T/signin.html")" 'wrong name or password'
is "the right one: to the site" "$(sign_in a corner-store 'corner store pass')" 303
like "the session cookie: HttpOnly, Secure, SameSite=Strict, an expiry" \
     "$(grep session a)" '#HttpOnly_127.0.0.1.*TRUE.*session.[0-9a-f]{64}'
t=$(c a $U/ | csrf_of)

# --- looking up and redeeming
c a --data-urlencode "serial=$(echo "$serial" | tr 'A-Z' 'a-z' | tr -d -)" \
    --data-urlencode "csrf=$t" $U/lookup > page
like "lowercase, no dashes: found, with its promotion and offer" "$(cat page)" \
     "<dd>$serial</dd><dt>Promotion</dt><dd>spring</dd><dt>Offer</dt><dd>20% off: $serial</dd><dt>Issued</dt><dd>20"
like "... and one button to redeem it" "$(cat page)" '<button type="submit">Redeem</button>'
# The second character changed to one it is not (a serial drawn with an X
# there would otherwise be its own "typo": a 1-in-32 failure).
case $serial in ?X*) to=Y ;; *) to=X ;; esac
typo=$(echo "$serial" | sed "s/^\(.\)./\1$to/")
c a --data-urlencode "serial=$typo" --data-urlencode "csrf=$t" $U/lookup > page
like "a typo is caught by the check character" "$(cat page)" "is not a valid serial \\(a typo"
c a --data-urlencode "serial=$serial" --data-urlencode "csrf=$t" $U/redeem > page
like "redeemed" "$(cat page)" "Redeemed: $serial. Give the discount."
c a --data-urlencode "serial=$serial" --data-urlencode "csrf=$t" $U/redeem > page
like "a second time: when and by whom" "$(cat page)" \
     "already redeemed on 20[0-9-]+T[0-9:]+Z by corner-store"
c a --data-urlencode "serial=$serial3" --data-urlencode "csrf=$t" $U/lookup > page
like "a promotion the shop does not take: no button" "$(cat page)" \
     "Your shop does not take this promotion."
c a --data-urlencode "serial=$serial3" --data-urlencode "csrf=$t" $U/redeem > page
like "... and no redemption by posting the form by hand" "$(cat page)" \
     "Your shop does not take the promotion &#39;summer&#39;."
is "a form with another token is refused" \
   "$(c a -o /dev/null -w '%{http_code}' --data-urlencode "serial=$serial2" --data "csrf=0000" $U/redeem)" 403
c a --data-urlencode 'serial=<script>alert(1)</script>' --data-urlencode "csrf=$t" $U/lookup > page
like "what was typed is escaped" "$(cat page)" 'value="&lt;script&gt;alert\(1\)&lt;/script&gt;"'
is "... and never a tag" "$(grep -c '<script>' page)" 0

# injection: SQL and markup in every field are data, nothing else
for v in "' OR '1'='1" "x'; DROP TABLE coupons; --" '"><img src=x onerror=alert(1)>'; do
    is "sign-in name $v: a wrong name" "$(sign_in i "$v" "$v")" 401
    c a --data-urlencode "serial=$v" --data-urlencode "csrf=$t" $U/lookup > page
    is "serial $v: refused as a typo, shown escaped, no tag" \
       "$(grep -c 'is not a valid serial' page):$(grep -c '<img src=x' page)" "1:0"
done
is "... and the coupons are all there" \
   "$(sqlite3 "$XDG_DATA_HOME/ivrkit/ivrkit.sqlite" "select count(*) from coupons")" 3
run sh -c 'echo "a good password" | ivr-web --add-merchant "x'"'"' OR 1=1" --promotions a'
is "an account name with SQL in it is no name" "$rc:$err" \
   "3:ivr-web: 'x' OR 1=1' is not an account name (1 to 64 letters, digits, '.', '-', '_')"

big=$(head -c 20000 /dev/zero | tr '\0' a)
is "a form that is too large: 413" \
   "$(c a -o /dev/null -w '%{http_code}' --data "serial=$big&csrf=$t" $U/lookup)" 413

# two shops, one serial, the same moment: exactly one redeems it
sign_in b other-shop 'other shop pass!' >/dev/null
tb=$(c b $U/ | csrf_of)
c a --data-urlencode "serial=$serial2" --data-urlencode "csrf=$t" $U/redeem > r1 &
p1=$!
c b --data-urlencode "serial=$serial2" --data-urlencode "csrf=$tb" $U/redeem > r2 &
p2=$!
wait $p1 $p2
is "two shops at once: one redeems" "$(cat r1 r2 | grep -c 'Redeemed:')" 1
is "... and the other is told it was" "$(cat r1 r2 | grep -c 'already redeemed on')" 1

# serials guessed: throttled after ten refusals, whoever sends them
sign_in g beach-bar 'summer only pass' >/dev/null
tg=$(c g $U/ | csrf_of)
# serials that pass the check character but were never issued: one in
# each 32 guesses does; the eleventh such lookup is refused
found=0
for a in 0 1 2 3 4 5 6 7 8 9 A B C D E F G H J K M N P Q R S T V W X Y Z; do
    for b in 0 1 2 3 4 5 6 7 8 9 A B C D E F G H J K M N P Q R S T V W X Y Z; do
        c g --data-urlencode "serial=ZZZZ-ZZZZ-ZZ$a$b" --data-urlencode "csrf=$tg" $U/lookup > page
        grep -q 'no such coupon' page && found=$((found + 1))
        grep -q 'were refused in the last' page && break 2
    done
done
# (by the shop, or as here by the address, whose earlier refusals count)
ok "at most ten unknown serials, then no more lookups ($found)" \
   test "$found" -ge 1 -a "$found" -le 10
like "... and the page says until when" "$(cat page)" \
     "10 serials from (beach-bar|127.0.0.1) were refused in the last 10 minutes: no more until 20"

# 10,000 serials from one shop over one connection: throttled after ten
# unknown ones, every one logged, the site still answering
echo "hammer shop pass" | ivr-web --add-merchant hammer-shop --promotions spring
sign_in h hammer-shop 'hammer shop pass' >/dev/null
th=$(c h $U/ | csrf_of)
cookie="session=$(awk '$6 == "session" { print $7 }' h)"
before=$(sqlite3 "$XDG_DATA_HOME/ivrkit/ivrkit.sqlite" "select count(*) from attempts where merchant = 'hammer-shop'")
set -- $(/usr/bin/python3 "$TOP/tests/web/hammer.py" 127.0.0.1 $port cert.pem "$cookie" "$th" 10000 2>hammer.err)
ok "10,000 serials: at most ten looked up before the throttle ($1 unknown, $2 refused)" \
   test "${1:-99}" -le 10 -a "${2:-0}" -ge 9000
is "... no other answer" "${3:-x}:$(head -c 300 hammer.err)" "0:"
is "... every one of them logged" \
   "$(sqlite3 "$XDG_DATA_HOME/ivrkit/ivrkit.sqlite" "select count(*) - $before from attempts where merchant = 'hammer-shop'")" 10000
is "... and the site answers the next visitor" "$(c z -o /dev/null -w '%{http_code}' $U/login)" 200

# --- locked after five failures, even with the right password after
for n in 1 2 3 4 5; do sign_in l other-shop "guess number $n" >/dev/null; done
sign_in l other-shop 'other shop pass!' >/dev/null
like "five failures lock the account" "$(cat "$T/signin.html")" \
     'this account is locked after 5 failed sign-ins: try again after 20'

# --- the promoter
is "a promoter signs in" "$(sign_in p acme 'promoter pass 123')" 303
c p $U/ > page
like "promotions, issued, redeemed, conversion" "$(cat page)" \
     '<a href="/stats\?promotion=spring">spring</a></td><td>2</td><td>2</td><td>100.0%</td>'
c p "$U/stats?promotion=spring" > page
like "by merchant" "$(cat page)" '<td>corner-store</td><td>[0-9]+</td><td>[0-9]+</td>'
like "the chart is an image of the site" "$(cat page)" '<img src="/chart.svg\?promotion=spring"'
c p -D h "$U/stats.csv?promotion=spring" > csv
like "CSV, as a download" "$(cat h)" '^Content-Disposition: attachment'
like "... by day of issue" "$(cat csv)" '^"20[0-9-]+",2,2,1.0000'
c p -D h "$U/chart.svg?promotion=spring" > svg
like "the chart is SVG" "$(cat h)" '^Content-Type: image/svg\+xml'
like "... with a bar for the day" "$(cat svg)" '<rect x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" height="[0-9.]+" fill="#2a2"><title>20[0-9-]+: 2 redeemed</title>'
is "a merchant sees no figures" \
   "$(c a -o /dev/null -w '%{http_code}' "$U/stats?promotion=spring")" 404

# --- what the record keeps
like "every attempt is logged with its address" \
     "$(sqlite3 "$XDG_DATA_HOME/ivrkit/ivrkit.sqlite" "select merchant, address, result from attempts order by id" | sort -u)" \
     '^corner-store\|127.0.0.1\|redeemed$'
like "... sign-ins too" \
     "$(sqlite3 "$XDG_DATA_HOME/ivrkit/ivrkit.sqlite" "select name, address, result from sign_ins" | sort -u)" \
     '^other-shop\|127.0.0.1\|locked$'

# --- malformed requests: answered with a 4xx, the site goes on
printf 'GET /%%zz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n' |
    timeout 5 openssl s_client -quiet -connect 127.0.0.1:$port >bad.out 2>/dev/null
like "a malformed request gets a 4xx" "$(head -1 bad.out)" '^HTTP/1.1 4[0-9][0-9]'
head -c 3000 /dev/urandom | timeout 5 openssl s_client -quiet -connect 127.0.0.1:$port >/dev/null 2>&1
is "bytes that are no HTTP: the site still serves" \
   "$(c z -o /dev/null -w '%{http_code}' $U/login)" 200
is "a method it does not take: 405" "$(c z -o /dev/null -w '%{http_code}' -X DELETE $U/)" 405

kill $server
wait $server 2>/dev/null
is "Ctrl-C (SIGTERM) stops it cleanly" "$?" 0

# --- redeeming by SMS: a real Kannel (fakesmsc as the phone network) takes
# "REDEEM serial" from a shop's registered mobile to ivr-web, and sends its
# answer back as the reply
echo "the phone shop pass" | ivr-web --add-merchant phone-shop --promotions spring --phone +15550100001
run sh -c 'echo "another phone pass" | ivr-web --add-merchant x --promotions a --phone 555'
is "a mobile number must be E.164" "$rc:$err" \
   "3:ivr-web: '555' is not an E.164 number (+ and 7 to 15 digits, such as +15550104477)"
echo "kannel-test-key-0123456789" > sms.key
sms_serial=$(ivr-send-sms --issue spring --to +15550104480 "20% off: {coupon}" | head -1)
ivr-web --listen 127.0.0.1:28449 --sms-key sms.key >sms-server.out 2>&1 &
sms_server=$!
trap 'kill $sms_server 2>/dev/null; sh "$TOP/tests/kannel/kannel.sh" stop "$T/kannel"; rm -rf "$T"' EXIT
i=0; while [ $i -lt 100 ] && ! grep -q listening sms-server.out; do sleep 0.05; i=$((i + 1)); done
S=http://127.0.0.1:28449/sms
is "the SMS door needs the key" \
   "$(curl -s -o /dev/null -w '%{http_code}' "$S?key=wrong&from=%2B15550100001&text=REDEEM+$sms_serial")" 403
is "a number that is no shop's is told so" \
   "$(curl -s "$S?key=kannel-test-key-0123456789&from=%2B15550100099&text=REDEEM+$sms_serial")" \
   "This number is not a shop's. Ask the promoter to register it."
sh "$TOP/tests/kannel/kannel.sh" start "$T/kannel" "$TOP/tests/kannel/kannel-redeem.conf" \
    "+15550100001 +18005550100 text REDEEM $(echo "$sms_serial" | tr A-Z a-z)"
krc=$?
if [ $krc = 0 ]; then
    i=0
    while [ $i -lt 200 ] && ! grep -q "Got message 1:" "$T/kannel/fakesmsc.out"; do sleep 0.05; i=$((i + 1)); done
    is "kannel: the shop's SMS redeems, and the reply says so" \
       "$(grep "Got message 1:" "$T/kannel/fakesmsc.out" | sed 's/.*Got message 1: //')" \
       "<+18005550100 +15550100001 text Redeemed $sms_serial (spring). Give the discount.>"
    # delivery reports: a send through this Kannel asks for them at the
    # site's /dlr, and the record says what became of the message (the
    # phone network again, now one that takes messages)
    sh "$TOP/tests/kannel/kannel.sh" stop "$T/kannel"
    sh "$TOP/tests/kannel/kannel.sh" start "$T/kannel" "$TOP/tests/kannel/kannel-redeem.conf"
    IVR_SMS_BACKEND=kannel IVR_SMS_URL=http://127.0.0.1:23013/cgi-bin/sendsms \
    IVR_SMS_USER=ivr IVR_SMS_PASSWORD=secret IVR_SMS_FROM=+18005550100 \
    IVR_SMS_DLR_URL="http://127.0.0.1:28449/dlr?key=kannel-test-key-0123456789" \
        ivr-send-sms -q --id report-1 --to +15550104477 "with a report"
    i=0
    # up to 20 s: under AddressSanitizer the report once took more than 5
    while [ $i -lt 400 ] && ivr-send-sms --list --limit 1 | grep -q ' kannel .* sent '; do
        sleep 0.05; i=$((i + 1))
    done
    like "kannel: its delivery report reaches the record" \
         "$(ivr-send-sms --list --limit 1)" ' kannel +\+15550104477 +(delivered|smsc accepted) +with a report$'
else
    echo "# skip: Kannel did not start here (exit $krc)"
fi
D="http://127.0.0.1:28449/dlr?key=kannel-test-key-0123456789"
ivr-send-sms -q --id report-2 --to +15550104477 "to be reported"
is "a report: failed" "$(curl -s "$D&msg=report-2&status=2")" ok
like "... in the list" "$(ivr-send-sms --list --limit 1)" ' failed +to be reported$'
curl -s "$D&msg=report-2&status=1" >/dev/null
curl -s "$D&msg=report-2&status=8" >/dev/null
like "the SMSC's report after the handset's takes nothing back" \
     "$(ivr-send-sms --list --limit 1)" ' delivered +to be reported$'
is "a report for no message: 400" \
   "$(curl -s -o /dev/null -w '%{http_code}' "$D&msg=nothing&status=1")" 400
is "a report without the key: 403" \
   "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:28449/dlr?msg=report-2&status=1")" 403
like "a second SMS for it: when and by whom" \
     "$(curl -s "$S?key=kannel-test-key-0123456789&from=%2B15550100001&text=redeem%20$sms_serial")" \
     "already redeemed on 20[0-9T:-]+Z by phone-shop"
like "the SMS attempts are logged by number" \
     "$(sqlite3 "$XDG_DATA_HOME/ivrkit/ivrkit.sqlite" "select merchant, address, result from attempts where address like 'sms:%'")" \
     '^phone-shop\|sms:\+15550100001\|redeemed$'
done_testing
