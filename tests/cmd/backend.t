#!/bin/sh
# A menu's fetch against a real web service on loopback
# (tests/backend/bank_api.py, Python's http.server): the answer read into
# variables, and every way a backend fails (slow, 503, not JSON, a field
# missing, nobody listening) taking the menu's `on error`.
. "$(dirname "$0")/lib.sh"
M=$TOP/menus
port=28099
/usr/bin/python3 "$TOP/tests/backend/bank_api.py" $port "$T/requests.log" \
    >"$T/server.out" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$T"' EXIT
i=0; while [ $i -lt 100 ] && ! grep -q ready "$T/server.out"; do sleep 0.05; i=$((i + 1)); done
ok "the service is up" grep -q ready "$T/server.out"
api=http://127.0.0.1:$port/v1

# CALL ACCOUNT: the bank's balance menu for that account, the timeline
call() {
    run ivr-sim "$M/bank.ivr" --fast -v --var bank_api=$api --at "2026-12-02 10:30" \
        --keys "1 @3s, $1# @6s" --max-duration 40s
}

call 41234567
like "the balance comes from the service" "$out" \
     'says "The balance of account 4 1 2 3 4 5 6 7 is 1,204 dollars and 50 cents\."'
like "the fetch is an event: URL, status, time" "$out" \
     "fetch GET $api/accounts/41234567/balance: 200, [0-9.]+s\$"
like "the service was asked once, by GET" "$(cat "$T/requests.log")" \
     '^GET /v1/accounts/41234567/balance $'

call 51234567
like "a slow service: the menu's timeout" "$out" \
     "fetch GET $api/accounts/51234567/balance: timeout after 3s, 3\\.[0-9]+s\$"
like "... {error} says so" "$out" 'sets error = "timeout after 3s"'
like "... the caller waited for it, then heard the apology" "$out" \
     '^ +1[01]\.[0-9]+  balance +says "Sorry, our account system is not answering'
call 61234567
like "a 503: on error" "$out" 'sets error = "HTTP 503"'
call 71234567
like "an answer that is not JSON" "$out" \
     'sets error = "an answer that is not JSON \(line 1: '
call 81234567
like "an answer without the field the menu reads" "$out" \
     'sets error = "the answer has no .balance\.spoken."$'
is "... sets no variable of the fetch" "$(echo "$out" | grep -c 'sets balance')" 0

# what a menu puts in a URL cannot change its path; a POST is JSON
cat > "$T/echo.ivr" <<EOS
menu main
  on enter fetch "{api}/echo?q={q}" set path "path" then say "{path}" then fetch "{api}/cards/block" post account "{q}", why "stolen" set status "status" then say "{status}" then hangup
  on error say "{error}" then hangup
EOS
run ivr-sim "$T/echo.ivr" --fast --var api=$api --var 'q=a b/c&d"e'
like "values in a URL are percent-encoded" "$(cat "$T/requests.log")" \
     '^GET /v1/echo\?q=a%20b%2Fc%26d%22e $'
like "a POST sends its fields as one JSON object" "$(cat "$T/requests.log")" \
     '^POST /v1/cards/block \{"account":"a b/c&d\\"e","why":"stolen"\}$'
like "... and reads the answer" "$out" 'says "blocked"'

kill $server 2>/dev/null
wait $server 2>/dev/null
call 41234567
like "nobody listening: on error" "$out" \
     "fetch GET $api/accounts/41234567/balance: Couldn't connect to server"
is "... and the call goes on in the main menu" \
   "$(echo "$out" | grep -c "enters menu 'main' (top)")" 1

# fixtures answer the same requests without a service
run ivr-sim "$M/bank.ivr" --fast --at "2026-12-02 10:30" \
    --http-fixtures "$M/bank-backend.http" --keys "1 @3s, 41234567# @6s"
like "fixtures: the same balance with nobody listening" "$out" \
     'is 1,204 dollars and 50 cents\."'
printf 'http GET "*/other" answer "{}"\n' > "$T/few.http"
run ivr-sim "$M/bank.ivr" --fast --at "2026-12-02 10:30" \
    --http-fixtures "$T/few.http" --keys "1 @3s, 41234567# @6s"
is "a request no fixture answers ends the call (exit 3)" "$rc" 3
is "... and names it, with the line to add" "$err" \
   'ivr-sim: no fixture answers GET https://api.harborbank.example/v1/accounts/41234567/balance (add a line such as: http GET "https://api.harborbank.example/v1/accounts/41234567/balance" answer "{}")'
printf 'http GET "*" answer\n' > "$T/bad.http"
run ivr-sim "$M/bank.ivr" --fast --http-fixtures "$T/bad.http" --keys "1 @3s"
is "a bad fixture line: file, line and column" "$rc:$err" \
   "3:ivr-sim: $T/bad.http:1:20: expected a \"text\" after 'answer'"
run ivr-sim "$M/bank.ivr" --fast --http-fixtures "$T/nothing" --keys "1 @3s"
is "a fixture file that is not there" "$rc:$err" \
   "3:ivr-sim: $T/nothing: No such file or directory"

done_testing
