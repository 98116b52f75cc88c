#!/bin/sh
# ivr-send-sms: numbers and encodings, the outbox, idempotency, coupons
# (redeemed once, also by racing processes), a real Kannel (bearerbox,
# smsbox and fakesmsc on 127.0.0.1, stopped by PID), and the generic HTTP
# backend against a local server, retries included.
. "$(dirname "$0")/lib.sh"
export XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config"
DB="$T/data/ivrkit/ivrkit.sqlite"

# --- the outbox, numbers, encodings
run ivr-send-sms -t +15550104477 "hi"
is "-t, once --to, says what to use" "$rc:$(echo "$err" | head -1)" \
   "2:ivr-send-sms: unrecognized option '-t' (use --to: a short letter means one thing in every ivrkit command)"
run ivr-send-sms --to "+1 (555) 010-4477" "Your table is ready."
is "outbox: stored, GSM 7-bit" "$rc:$out" \
   "0:stored #1: 1 SMS, GSM 7-bit, 20 characters (in the outbox)"
run ivr-send-sms --to +15550104477 "Price: 10€ [today]"
is "the GSM extension counts two" "$out" \
   "stored #2: 1 SMS, GSM 7-bit, 21 characters (in the outbox)"
run ivr-send-sms --to +15550104477 "Привет 👋"
is "UCS-2, an emoji two units" "$out" \
   "stored #3: 1 SMS, UCS-2, 9 UTF-16 units (in the outbox)"
long=$(printf '%0161d' 0)
run ivr-send-sms --to +15550104477 "$long"
like "161 characters are 2 SMS" "$out" '^stored #4: 2 SMS, GSM 7-bit, 161 characters'
echo "from standard input" | ivr-send-sms -q --to 0015550104477
run ivr-send-sms --list --limit 1
like "standard input, and 00 as +: in the list" "$out" \
     '^5  [0-9T:-]+Z  outbox  \+15550104477     stored   from standard input$'
run ivr-send-sms --list --json --limit 1
like "--list --json" "$out" '^\{"id":5,.*"to":"\+15550104477".*"status":"stored".*"parts":1\}$'
run ivr-send-sms --to 5550104477 "hi"
is "a number without country code" "$rc:$err" \
   "3:ivr-send-sms: '5550104477' is not an E.164 number (+ and 7 to 15 digits, such as +15550104477)"
run ivr-send-sms --to +15550104477 ""
is "an empty text" "$rc:$err" "3:ivr-send-sms: the text is empty"
run ivr-send-sms --to +15550104477 "$(printf '%01600d' 0)"
is "more than 10 parts" "$rc:$err" \
   "3:ivr-send-sms: the text takes 11 SMS; at most 10 are sent as one message"
run ivr-send-sms --backend pigeon --to +15550104477 hi
is "an unknown backend" "$rc:$err" \
   "2:ivr-send-sms: unknown SMS backend 'pigeon' (outbox, kannel or http)"
printf 'backend = outbox\nbogus = 1\n' > "$T/bad.conf"
run ivr-send-sms --config "$T/bad.conf" --to +15550104477 hi
is "a bad config line" "$rc:$err" "3:ivr-send-sms: $T/bad.conf:2: unknown key 'bogus' or bad value"

# --- idempotency: the same key is one message
run ivr-send-sms --id order-17 --to +15550104477 "Order 17 shipped"
first=$out
run ivr-send-sms --id order-17 --to +15550104477 "Order 17 shipped"
like "a second send with the same --id is not sent" "$out" \
     'already sent with this --id: not again'
is "one record for the key" "$(ivr-send-sms --list --limit 100 | grep -c 'Order 17')" 1

# --- coupons
s=$(ivr-send-sms --issue spring --to +15550107788 "Corner Store: 20% off with {coupon}")
serial=$(echo "$s" | head -1)
like "a serial is issued" "$serial" '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$'
like "and sent in the SMS" "$(ivr-send-sms --list --limit 1)" "20% off with $serial\$"
run ivr-send-sms --redeem "$(echo "$serial" | tr 'A-Z' 'a-z' | tr -d -)" --merchant "Corner Store"
is "redeemed, typed in lower case without dashes" "$rc:$out" "0:redeemed for Corner Store"
run ivr-send-sms --redeem "$serial" --merchant "Other Shop"
like "a second redemption is refused, saying when and by whom" "$rc:$err" \
     "^1:ivr-send-sms: $serial: already redeemed on [0-9T:-]+Z by Corner Store\$"
typo=$(echo "$serial" | sed 's/^X/Y/;t;s/^./X/')
run ivr-send-sms --redeem "$typo" --merchant "Corner Store"
is "a typo is caught by the check character" "$rc:$err" \
   "1:ivr-send-sms: '$typo' is not a valid serial (a typo? 12 characters, such as 7K2M-Q9XD-4TB8)"
for i in 1 2 3 4 5 6 7 8 9; do ivr-send-sms -q --issue spring --to +1555010770$i; done > "$T/serials"
ivr-send-sms -q --redeem "$(sed -n 1p "$T/serials")" --merchant "Corner Store"
ivr-send-sms -q --redeem "$(sed -n 2p "$T/serials")" --merchant "Corner Store"
run ivr-send-sms --report spring
like "report: issued, redeemed, conversion" "$(echo "$out" | grep '^total')" \
     '^total +10 +3 +30\.0%$'
like "report: redemptions by the day they were made" "$(echo "$out" | tail -1)" \
     '^[0-9]{4}-[0-9]{2}-[0-9]{2} +3 +1$'
run ivr-send-sms --report summer
is "report of a promotion with no coupons" "$rc:$err" \
   "3:ivr-send-sms: no coupons were issued for 'summer'"

# eight processes redeem one serial at once: exactly one wins
race=$(sed -n 5p "$T/serials")
for i in 1 2 3 4 5 6 7 8; do
    (ivr-send-sms -q --redeem "$race" --merchant "till $i" 2>/dev/null; echo $? > "$T/race.$i") &
done
wait
is "concurrent redemptions: exactly one wins" \
   "$(cat "$T"/race.* | sort | tr '\n' ' ')" "0 1 1 1 1 1 1 1 "

# --- a real Kannel: bearerbox, smsbox, fakesmsc as the phone network
K="$T/kannel"
sh "$TOP/tests/kannel/kannel.sh" start "$K"
krc=$?
if [ $krc = 0 ]; then
    trap 'sh "$TOP/tests/kannel/kannel.sh" stop "$K"; rm -rf "$T"' EXIT
    export IVR_SMS_BACKEND=kannel IVR_SMS_URL=http://127.0.0.1:23013/cgi-bin/sendsms \
           IVR_SMS_USER=ivr IVR_SMS_PASSWORD=secret IVR_SMS_FROM=+18005550100
    got() {  # waits for fakesmsc to print its Nth message
        i=0
        while [ $i -lt 100 ] && ! grep -q "Got message $1:" "$K/fakesmsc.out"; do sleep 0.05; i=$((i + 1)); done
        grep "Got message $1:" "$K/fakesmsc.out" | sed 's/.*Got message [0-9]*: //'
    }
    run ivr-send-sms --to +15550104477 "Tune Line: you heard Night Drive"
    like "kannel: accepted" "$rc:$out" '^0:sent #[0-9]+: 1 SMS, GSM 7-bit, 32 characters \(202 0: Accepted for delivery\)$'
    is "kannel: the phone network gets it, sender, recipient and text" "$(got 1)" \
       "<+18005550100 +15550104477 text Tune Line: you heard Night Drive>"
    run ivr-send-sms --to +15550104477 "Привет"
    is "kannel: UCS-2 goes as UCS-2" "$rc:$(got 2)" \
       "0:<+18005550100 +15550104477 ucs-2 %04%1F%04%40%048%042%045%04B>"
    run ivr-send-sms --id k-1 --to +15550104477 "once only"
    run ivr-send-sms --id k-1 --to +15550104477 "once only"
    sleep 0.5
    is "kannel: the same --id is delivered once" "$(grep -c 'once only' "$K/fakesmsc.out")" 1
    run ivr-send-sms --password wrong --to +15550104477 "hi"
    is "kannel: a wrong password is refused, not retried" "$rc:$err" \
       "3:ivr-send-sms: kannel: 403 Authorization failed for sendsms"
    sh "$TOP/tests/kannel/kannel.sh" stop "$K"
    run ivr-send-sms --to +15550104477 "nobody listens"
    like "kannel down: retried, then given up" "$rc:$err" \
         '^4:ivr-send-sms: kannel: Couldn.t connect to server \(after 3 tries\)$'
    like "and recorded as failed" "$(ivr-send-sms --list --limit 1)" ' failed +nobody listens$'
    unset IVR_SMS_BACKEND IVR_SMS_URL IVR_SMS_USER IVR_SMS_PASSWORD IVR_SMS_FROM
else
    echo "# skip: Kannel did not start here (exit $krc): $(tail -1 "$K/bearerbox.out" 2>/dev/null)"
fi

# --- the generic HTTP backend: a local server that fails once, then takes it
"$BUILD/tests/http-sink" 28080 "$T/http.log" 503,201 > "$T/sink.out" &
sink=$!
i=0; while [ $i -lt 100 ] && ! grep -q ready "$T/sink.out"; do sleep 0.05; i=$((i + 1)); done
run ivr-send-sms --backend http --url http://127.0.0.1:28080/Messages \
    --user AC123 --password tok --id h-1 --from +18005550100 \
    --to +15550104477 "Your code: 1234"
is "http: a 503 is retried, the 201 is the answer" "$rc:$out" \
   "0:sent #$(ivr-send-sms --list --limit 1 | cut -d' ' -f1): 1 SMS, GSM 7-bit, 15 characters (201 {\"status\":\"201\"})"
is "http: both tries carry the same Idempotency-Key" \
   "$(grep -c '^Idempotency-Key: h-1$' "$T/http.log")" 2
like "http: basic auth" "$(cat "$T/http.log")" 'Authorization: Basic QUMxMjM6dG9r'
like "http: a Twilio-style form" "$(cat "$T/http.log")" \
     '^To=%2B15550104477&From=%2B18005550100&Body=Your%20code%3A%201234$'
printf 'backend = http\nurl = http://127.0.0.1:28080/sms\nformat = json\nto_field = to\ntext_field = message\n' > "$T/json.conf"
ivr-send-sms -q --config "$T/json.conf" --to +15550104477 'say "hi"'
like "http: JSON with configured field names" "$(tail -2 "$T/http.log" | head -1)" \
     '^\{"to":"\+15550104477","message":"say \\"hi\\""\}$'
kill $sink 2>/dev/null
"$BUILD/tests/http-sink" 28081 "$T/http2.log" 400 > /dev/null &
sink=$!
sleep 0.3
run ivr-send-sms --backend http --url http://127.0.0.1:28081/x --to +15550104477 "hi"
like "http: a 400 is refused at once" "$rc:$err" '^3:ivr-send-sms: http: 400 '
is "http: ... after one try" "$(grep -c '^POST' "$T/http2.log")" 1
kill $sink 2>/dev/null

# Kannel knows no idempotency key: a request that reached it whose reply
# was lost (an empty reply) is not sent again, and is recorded as unknown
"$BUILD/tests/http-sink" 28083 "$T/http4.log" 1 > "$T/sink4.out" &
sink=$!
i=0; while [ $i -lt 100 ] && ! grep -q ready "$T/sink4.out"; do sleep 0.05; i=$((i + 1)); done
run ivr-send-sms --backend kannel --url http://127.0.0.1:28083/cgi-bin/sendsms \
    --user ivr --password secret --id lost-1 --to +15550104477 "lost reply"
like "kannel: a lost reply is not retried" "$rc:$(grep -c '^GET\|^POST' "$T/http4.log")" '^[1-9]:1$'
like "kannel: ... and recorded as unknown" "$(ivr-send-sms --list --limit 1)" ' unknown +'
run ivr-send-sms --backend kannel --url http://127.0.0.1:28083/cgi-bin/sendsms \
    --user ivr --password secret --id lost-1 --to +15550104477 "lost reply"
is "kannel: ... nor sent again under its key" "$(grep -c '^GET\|^POST' "$T/http4.log")" 1
kill $sink 2>/dev/null
# a redirect is not a delivery
"$BUILD/tests/http-sink" 28084 "$T/http5.log" 302 > "$T/sink5.out" &
sink=$!
i=0; while [ $i -lt 100 ] && ! grep -q ready "$T/sink5.out"; do sleep 0.05; i=$((i + 1)); done
run ivr-send-sms --backend http --url http://127.0.0.1:28084/x --to +15550104477 "moved"
like "http: a 302 is refused, not taken for sent" "$rc:$err" '^3:ivr-send-sms: http: 302 '
kill $sink 2>/dev/null

# the record is part of the result: a send whose outcome cannot be written
# (another process holds the database longer than the wait) fails loudly
"$BUILD/tests/http-sink" 28086 "$T/http6.log" 1201 > "$T/sink6.out" &
sink=$!
i=0; while [ $i -lt 100 ] && ! grep -q ready "$T/sink6.out"; do sleep 0.05; i=$((i + 1)); done
ivr-send-sms --db "$T/locked.sqlite" --backend http --url http://127.0.0.1:28086/x \
    --id lock-1 --to +15550104477 "locked out" > "$T/lock.out" 2> "$T/lock.err" &
sender=$!
i=0; while [ $i -lt 100 ] && ! grep -q '^POST' "$T/http6.log" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
(echo "BEGIN EXCLUSIVE;"; sleep 13; echo "COMMIT;") | sqlite3 "$T/locked.sqlite" &
holder=$!
wait $sender
rc=$?
wait $holder
kill $sink 2>/dev/null
like "a send whose outcome cannot be recorded exits 5 and says what happened" \
     "$rc:$(cat "$T/lock.err")" \
     "^5:ivr-send-sms: $T/locked.sqlite: the send \(#1: sent\) could not be recorded: database is locked$"

# a damaged record is reported, not read in part
for n in $(seq 1 300); do echo "ivr-send-sms -q --db $T/big.sqlite --to +1555010$(printf %04d $n) msg$n"; done | sh
for n in $(seq 1 100); do echo "ivr-send-sms -q --db $T/big.sqlite --issue spring --to +1555020$(printf %04d $n)"; done | sh > /dev/null
size=$(stat -c %s "$T/big.sqlite")
dd if=/dev/urandom of="$T/big.sqlite" bs=4096 count=$((size / 8192)) seek=$((size / 8192)) conv=notrunc 2>/dev/null
run ivr-send-sms --db "$T/big.sqlite" --list --limit 1000
like "--list on a damaged database: exit 5, not a short list" "$rc:$err" \
     "^5:ivr-send-sms: $T/big.sqlite: "
run ivr-send-sms --db "$T/big.sqlite" --report spring
like "--report on a damaged database: exit 5" "$rc:$err" "^5:ivr-send-sms: $T/big.sqlite: "

# JSON quotes every text; senders are numbers or short names
ivr-send-sms -q --db "$T/json.sqlite" --from 'Tune Line' --to +15550104477 'a "quoted" text'
like "--list --json quotes the sender" "$(ivr-send-sms --db "$T/json.sqlite" --list --json)" \
     '^\{"id":1,"created":"[^"]+","backend":"outbox","to":"\+15550104477","from":"Tune Line","status":"stored","attempts":1,"encoding":"gsm7","parts":1\}$'
run ivr-send-sms --db "$T/json.sqlite" --from 'x","status":"sent' --to +15550104477 hi
like "a sender that is neither a number nor a short name is refused" "$rc:$err" \
     "^3:ivr-send-sms: sender 'x\",\"status\":\"sent' is neither an E.164 number nor a name of up to 11 letters, digits and spaces$"
run ivr-send-sms --db "$T/json.sqlite" --from "$(head -c 100000 /dev/zero | tr '\0' a)" --to +15550104477 hi
like "a 100 KB sender is refused" "$rc:$err" "^3:ivr-send-sms: sender 'aaaaaaaaaaaaaaaaaaaa\.\.\.' is neither"

run ivr-send-sms --db "$T/json.sqlite" --id "$(printf 'k-1\r\nX-Injected: 1')" --to +15550104477 hi
is "an idempotency key with a line break is refused (no header injection)" "$rc:$err" \
   "3:ivr-send-sms: the idempotency key must be 1 to 128 printable characters (it travels in an HTTP header)"

# settings: whole lines, whole values, or an error that shows none of them
run ivr-send-sms --config "$T" --to +15550104477 hi
is "a folder given as --config" "$rc:$err" "3:ivr-send-sms: $T: not a configuration file (a folder?)"
{ printf 'backend = outbox\npassword = '; head -c 1500 /dev/zero | tr '\0' s; printf '\n'; } > "$T/long.conf"
run ivr-send-sms --db "$T/json.sqlite" --config "$T/long.conf" --to +15550104477 hi
is "a 1500-character password is refused whole, not cut" "$rc:$err" \
   "3:ivr-send-sms: $T/long.conf:2: the value of 'password' is too long"
{ printf 'backend = outbox\npassword = '; head -c 600 /dev/zero | tr '\0' s; printf '\n'; } > "$T/token.conf"
run ivr-send-sms -q --db "$T/json.sqlite" --config "$T/token.conf" --to +15550104477 hi
is "a 600-character API token is kept" "$rc" 0
{ printf 'user = '; head -c 5000 /dev/zero | tr '\0' u; printf '\n'; } > "$T/huge.conf"
run ivr-send-sms --config "$T/huge.conf" --to +15550104477 hi
is "a line of 5000 characters: its number, none of its text" "$rc:$err" \
   "3:ivr-send-sms: $T/huge.conf:1: a line of 5008 characters (at most 4096)"
IVR_SMS_PASSWORD=$(head -c 1500 /dev/zero | tr '\0' p) run ivr-send-sms --to +15550104477 hi
is "a password in the environment too long: named, not cut" "$rc:$err" \
   "2:ivr-send-sms: IVR_SMS_PASSWORD: the value is too long"
unset IVR_SMS_PASSWORD

# refused input leaves no database behind, and no coupon without its SMS
run ivr-send-sms --db "$T/none.sqlite" --to 123 hi
is "a bad number creates no database" "$rc:$(ls "$T/none.sqlite" 2>/dev/null | wc -l)" "3:0"
run ivr-send-sms --db "$T/none.sqlite" --issue spring --to +15550104477 "$(printf 'caf\351')"
is "a coupon whose text is not UTF-8 is not issued" "$rc:$err:$(ls "$T/none.sqlite" 2>/dev/null | wc -l)" \
   "3:ivr-send-sms: the text is not UTF-8 text (byte 4):0"
head -c 300 /dev/urandom > "$T/binary.txt"
ivr-send-sms --db "$T/none.sqlite" --to +15550104477 < "$T/binary.txt" 2> "$T/bin.err"
like "binary standard input is refused" "$?:$(cat "$T/bin.err")" '^3:ivr-send-sms: the text is not UTF-8 text \(byte [0-9]+\)$'
# parts: an escape or a surrogate pair is never split between two
run ivr-send-sms --db "$T/parts.sqlite" --to +15550104477 "$(printf 'a%.0s' $(seq 1 152))€$(printf 'a%.0s' $(seq 1 1224))"
like "a GSM escape that would straddle two parts moves to the next" "$rc:$out" \
     '^0:stored #1: 10 SMS, GSM 7-bit, 1378 characters'
run ivr-send-sms --db "$T/parts.sqlite" --to +15550104477 "$(printf 'a%.0s' $(seq 1 152))€$(printf 'a%.0s' $(seq 1 1376))"
is "... and a text that needs 11 parts so is refused" "$rc:$err" \
   "3:ivr-send-sms: the text takes 11 SMS; at most 10 are sent as one message"
run ivr-send-sms --db "$T/parts.sqlite" --to +15550104477 "$(printf '\355\240\200')"
is "a UTF-16 half written as UTF-8 is not UTF-8" "$rc:$err" "3:ivr-send-sms: the text is not UTF-8 text (byte 1)"

# an outbox store cut off half way sent nothing: sent again, it is stored
ivr-send-sms -q --db "$T/cut.sqlite" --to +15550104477 "first"
sqlite3 "$T/cut.sqlite" "INSERT INTO messages(key, created, updated, backend, recipient, body, encoding, parts, status, attempts) VALUES('cut-2', 'x', 'x', 'outbox', '+15550104477', 'cut', 'gsm7', 1, 'sending', 0)"
run ivr-send-sms --db "$T/cut.sqlite" --id cut-2 --to +15550104477 "cut"
like "an interrupted outbox store is done when sent again" "$rc:$out" '^0:stored #2: '

# redemption attempts are logged, and a merchant guessing is stopped
for n in 1 2 3 4 5 6 7 8 9 10; do
    ivr-send-sms --db "$T/guess.sqlite" --redeem "$(ivr-send-sms --db "$T/other.sqlite" --issue x --to +15550104477)" \
        --merchant guesser 2>/dev/null
done
good=$(ivr-send-sms --db "$T/guess.sqlite" --issue spring --to +15550104477)
run ivr-send-sms --db "$T/guess.sqlite" --redeem "$good" --merchant guesser
like "ten unknown serials in ten minutes: the merchant is stopped" "$rc:$err" \
     "^1:ivr-send-sms: 10 serials from guesser were refused in the last 10 minutes: no more until 20[0-9-]+T[0-9:]+Z$"
run ivr-send-sms --db "$T/guess.sqlite" --redeem "$good" --merchant "Corner Store"
is "another merchant is not" "$rc:$out" "0:redeemed for Corner Store"
is "every attempt is on record" \
   "$(sqlite3 "$T/guess.sqlite" "SELECT merchant || ':' || result || ':' || count(*) FROM attempts GROUP BY merchant, result ORDER BY 1")" \
   "Corner Store:redeemed:1
guesser:throttled:1
guesser:unknown:10"

# a sender killed while the gateway holds its request: the same key is not
# sent again, since the first may have gone out
"$BUILD/tests/http-sink" 28082 "$T/http3.log" 0 > "$T/sink3.out" &
sink=$!
i=0; while [ $i -lt 100 ] && ! grep -q ready "$T/sink3.out"; do sleep 0.05; i=$((i + 1)); done
ivr-send-sms --backend http --url http://127.0.0.1:28082/x --id cut-1 \
    --to +15550104477 "cut off" > /dev/null 2>&1 &
sender=$!
i=0; while [ $i -lt 100 ] && ! grep -q '^POST' "$T/http3.log" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
kill -9 $sender 2>/dev/null; wait $sender 2>/dev/null
kill $sink 2>/dev/null
run ivr-send-sms --backend http --url http://127.0.0.1:28082/x --id cut-1 \
    --to +15550104477 "cut off"
like "an interrupted send is not repeated under its key" "$rc:$err" \
     '^3:ivr-send-sms: an earlier send with this key was interrupted; it may have gone out: not sent again \(#[0-9]+\)$'

done_testing
