#!/bin/sh
# The coupon loop end to end, in a real browser: ivr-sim's coupon menu
# texts a caller a serial (into the record's outbox); a shop assistant
# signs in to ivr-web over HTTPS in headless Chromium (Selenium), redeems
# it, is told so on a second try, and a form from another site is
# refused; the pages fit a phone. Screenshots are kept in
# build/test-artefacts/browser.
. "$(dirname "$0")/lib.sh"

# Debian's python3 has python3-selenium; another may come first on PATH
py=/usr/bin/python3
if ! [ -x /usr/bin/chromedriver ] || ! $py -c 'import selenium' 2>/dev/null; then
    echo "1..0 # skip: chromium-driver or python3-selenium missing (make deps)"
    exit 0
fi
port=28451
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -days 2 2>/dev/null

# the caller: presses 1 for a coupon; the SMS goes to the outbox
run ivr-sim "$TOP/menus/coupon.ivr" --fast --caller +15550104477 --keys "1 @3s"
like "the coupon menu texts a serial" "$out" 'SMS to \+15550104477: "Corner Store: 20% off'
serial=$(ivr-send-sms --list --limit 1 | grep -oE '[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}')
ok "the serial is in the record's outbox ($serial)" test -n "$serial"

echo "corner store pass" | ivr-web --add-merchant corner-store --promotions spring-sale
: > server.out
ivr-web --listen 127.0.0.1:$port --cert cert.pem --key key.pem >server.out 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$T"' EXIT
i=0; while [ $i -lt 100 ] && ! grep -q listening server.out; do sleep 0.05; i=$((i + 1)); done

shots=$BUILD/test-artefacts/browser
rm -rf "$shots"
mkdir -p "$shots"
spki=$(openssl x509 -in cert.pem -pubkey -noout | openssl pkey -pubin -outform der |
       openssl dgst -sha256 -binary | base64)
timeout 120 $py "$TOP/tests/browser/redeem.py" https://127.0.0.1:$port \
    corner-store "corner store pass" "$serial" "$shots" "$spki" >checks 2>browser.err
rc=$?
is "the browser ran" "$rc" 0
[ "$rc" = 0 ] || diag "$(tail -5 browser.err)"
while read -r line; do
    case $line in
    "ok "*) ok "browser: ${line#ok }" true ;;
    *) ok "browser: ${line#not ok }" false ;;
    esac
done < checks
is "every check of the browser ran" "$(wc -l < checks)" 7
ok "screenshots are kept" test -s "$shots/3-redeemed.png"
like "the record says who redeemed it" \
     "$(sqlite3 "$XDG_DATA_HOME/ivrkit/ivrkit.sqlite" "select merchant from coupons where serial = '$serial'")" \
     '^corner-store$'
done_testing
