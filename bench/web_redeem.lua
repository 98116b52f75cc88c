-- web_redeem.lua: wrk posts one serial a request to ivr-web's /redeem,
-- thread k of $THREADS taking serials k, k + $THREADS, ... of the file
-- $SERIALS, with the session cookie $COOKIE and form token $CSRF; counts
-- the answers that redeemed and those that did not.
local serials = {}
for line in io.lines(os.getenv("SERIALS")) do serials[#serials + 1] = line end
local step = tonumber(os.getenv("THREADS"))
local threads, count = {}, 0

function setup(thread)
    count = count + 1
    thread:set("id", count)
    table.insert(threads, thread)
end

function init(args)
    next_serial, redeemed, refused = id, 0, 0
    wrk.method = "POST"
    wrk.headers["Cookie"] = os.getenv("COOKIE")
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
    -- past the end, a serial that is no coupon: counted as refused
    local s = serials[next_serial] or "0000-0000-0000"
    next_serial = next_serial + step
    return wrk.format(nil, "/redeem", nil,
                      "csrf=" .. os.getenv("CSRF") .. "&serial=" .. s)
end

function response(status, headers, body)
    if body:find("Redeemed: ", 1, true) then
        redeemed = redeemed + 1
    else
        refused = refused + 1
    end
end

function done(summary, latency, requests)
    local r, f = 0, 0
    for _, t in ipairs(threads) do
        r = r + t:get("redeemed")
        f = f + t:get("refused")
    end
    io.write(string.format("redeemed %d refused %d p99_ms %.2f\n", r, f,
                           latency:percentile(99) / 1000))
end
