/*
 * test_script.c: what the QA runner stands on: a transcript written and
 * read back gives the same events; coupon serials catch the typos a
 * merchant makes.
 */
#include "coupon.h"
#include "script.h"
#include "tap.h"
#include "transcript.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_round_trip(void)
{
    static const engine_event evs[] = {
        {EV_CALL_START, 0.0, "", "+15550001111", "+18005550100", "inbound",
         0, 0, 0},
        {EV_MENU, 0.0, "main", "main", NULL, "start", 0, 0, 0},
        {EV_PROMPT_START, 0.0, "main", "Say \"yes\" or\tpress 1", "say",
         NULL, 0, 0, 0},
        {EV_DTMF, 1.5, "main", "#", NULL, "no barge-in", 0, 0, 0},
        {EV_SPEECH, 2.25, "main", "lost card", "lost card", NULL, 0.91, 0,
         0},
        {EV_NOMATCH, 3.0, "main", "7", NULL, "no entry for this key", 0, 0,
         2},
        {EV_SMS, 4.0, "main", "20% off, coupon 7K2M-Q9XD-4TB8", "+1555",
         "not sent: no SMS backend", 0, 0, 0},
        {EV_HANGUP, 9.5, "main", "confirmed", NULL, "hangup", 0, 9.5, 0},
    };
    char path[] = "/tmp/ivr-test-script.XXXXXX";
    int fd = mkstemp(path), i, same = 1;

    FILE *f = fdopen(fd, "w");
    call_log log = {0};
    ivr_error err;

    int rc;

    for (i = 0; i < (int)(sizeof evs / sizeof *evs); i++)
        transcript_write_json(f, &evs[i]);
    fclose(f);
    rc = call_log_read_jsonl(&log, path, &err);
    ok(rc == IVR_OK && log.n == 8, "a transcript reads back, one event a "
       "line (%d)", log.n);
    for (i = 0; i < log.n && i < 8; i++) {
        const logged_event *e = &log.ev[i];
        if (e->kind != evs[i].kind || e->t != evs[i].t ||
            strcmp(e->menu, evs[i].menu) ||
            strcmp(e->text, evs[i].text ? evs[i].text : "") ||
            (evs[i].kind != EV_MENU &&
             strcmp(e->name, evs[i].name ? evs[i].name : "")) ||
            strcmp(e->reason, evs[i].reason ? evs[i].reason : "") ||
            e->count != evs[i].count) {
            diag("event %d differs: %s/%s/%s", i, e->text, e->name,
                 e->reason);
            same = 0;
        }
    }
    ok(same, "every field as written, quotes and tabs included");
    ok(log.ev[4].confidence == 0.91 && log.ev[7].duration == 9.5,
       "numbers too");
    call_log_clear(&log);
    f = fopen(path, "a");
    fputs("{\"t\":1,\"event\":\"no-such-event\"}\n", f);
    fclose(f);
    ok(call_log_read_jsonl(&log, path, &err) == IVR_EINPUT &&
       strstr(err.message, ":9: not an event of an ivr-sim transcript"),
       "an unknown event names its line (%s)", err.message);
    call_log_clear(&log);
    /* a \u with too few hex digits at the end of the file: once read four
     * characters past the line's end (a heap overflow) */
    f = fopen(path, "w");
    fputs("{\"\\u2 \\", f);
    fclose(f);
    ok(call_log_read_jsonl(&log, path, &err) == IVR_EINPUT &&
       strstr(err.message, ":1: "), "a short \\u escape is refused, not "
       "read past (%s)", err.message);
    call_log_clear(&log);
    /* a count too large for an int (undefined to convert: make fuzz) */
    f = fopen(path, "w");
    fputs("{\"t\":6.74,\"event\":\"nomatch\",\"menu\":\"m\","
          "\"count\":11111111111111111111}\n", f);
    fclose(f);
    ok(call_log_read_jsonl(&log, path, &err) == IVR_EINPUT,
       "a count past any call is refused (%s)", err.message);
    call_log_clear(&log);
    /* what another tool's JSON writer may write: escaped non-ASCII, a
     * surrogate pair, spaces, keys in another order */
    f = fopen(path, "w");
    fputs("{ \"menu\" : \"main\", \"event\": \"prompt\", \"t\": 1.5e0, "
          "\"text\": \"Caf\\u00e9 \\ud83c\\udfb5\" }\n", f);
    fclose(f);
    ok(call_log_read_jsonl(&log, path, &err) == IVR_OK && log.n == 1 &&
       !strcmp(log.ev[0].text, "Caf\xc3\xa9 \xf0\x9f\x8e\xb5") &&
       log.ev[0].t == 1.5,
       "escaped non-ASCII and a surrogate pair read as UTF-8 (%s)",
       log.n ? log.ev[0].text : err.message);
    call_log_clear(&log);
    f = fopen(path, "w");
    fputs("{\"event\":\"prompt\",\"text\":\"a\\u0000b\"}\n", f);
    fclose(f);
    ok(call_log_read_jsonl(&log, path, &err) == IVR_EINPUT,
       "a NUL inside a string is refused, not cut short (%s)", err.message);
    call_log_clear(&log);
    unlink(path);
}

static void test_coupons(void)
{
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    char a[COUPON_SERIAL_MAX], b[COUPON_SERIAL_MAX], c[COUPON_SERIAL_MAX];
    int i, pos, caught = 0, tries = 0, swaps = 0, swaps_caught = 0, k;
    uint64_t r = 0x123456789ABCDEFull;

    coupon_format(42, a);
    coupon_format(42, b);
    ok(!strcmp(a, b) && strlen(a) == 14 && a[4] == '-' && a[9] == '-',
       "a serial is XXXX-XXXX-XXXX, the same for the same bits (%s)", a);
    ok(coupon_new_serial(a) == 0 && coupon_new_serial(b) == 0 &&
       strcmp(a, b) != 0, "serials from the OS differ (%s, %s)", a, b);
    ok(coupon_normalise(a, c) && !strcmp(a, c), "a serial checks");
    {
        char typed[32];
        size_t j, o = 0;
        for (j = 0; a[j]; j++)
            if (a[j] != '-')
                typed[o++] = (char)(a[j] == '0' ? 'o' : a[j] == '1' ? 'l'
                                    : a[j] >= 'A' && a[j] <= 'Z'
                                        ? a[j] + 32 : a[j]);
        typed[o] = '\0';
        ok(coupon_normalise(typed, c) && !strcmp(c, a),
           "typed in lower case, without dashes, O for 0 and l for 1: the "
           "same serial (%s)", typed);
    }
    for (i = 0; i < 200; i++) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        coupon_format(r, a);
        for (pos = 0; pos < 14; pos++) {
            if (a[pos] == '-')
                continue;
            for (k = 0; k < 32; k++) {
                if (alphabet[k] == a[pos])
                    continue;
                strcpy(b, a);
                b[pos] = alphabet[k];
                tries++;
                caught += !coupon_normalise(b, c);
            }
            if (pos + 1 < 14 && a[pos + 1] != '-' && a[pos] != a[pos + 1]) {
                strcpy(b, a);
                b[pos] = a[pos + 1];
                b[pos + 1] = a[pos];
                swaps++;
                swaps_caught += !coupon_normalise(b, c);
            }
        }
    }
    ok(caught == tries, "every one-character typo is caught (%d of %d)",
       caught, tries);
    ok(swaps_caught == swaps, "every swap of two neighbours is caught (%d "
       "of %d)", swaps_caught, swaps);
    ok(!coupon_normalise("ABCD-EFGH", c) && !coupon_normalise("", c) &&
       !coupon_normalise("ABCD-EFGH-JKMU", c),
       "too short, empty, or a letter not in the alphabet: refused");
}

static void test_store(void)
{
    char dir[] = "/tmp/ivr-test-store.XXXXXX", db[256], serial[16];
    char old[16], cmd[300];
    ivr_error err;
    coupon_store *s;

    if (!mkdtemp(dir))
        return;
    snprintf(db, sizeof db, "%s/c.sqlite", dir);
    s = coupon_store_open(db, &err);
    ok(s && coupon_issue(s, "spring", "+15550104477", 0, serial, &err)
                == IVR_OK, "a coupon issued (%s)", s ? serial : err.message);
    ok(coupon_issue(s, "spring", "+15550104477", -1, old, &err) == IVR_OK,
       "one that expired yesterday");
    ok(coupon_redeem(s, old, "shop", &err) == IVR_EFAIL &&
       strstr(err.message, ": expired on ") && strstr(err.message, "(spring)"),
       "an expired coupon is refused (%s)", err.message);
    ok(coupon_redeem(s, "2345-6789-ABCD", "shop", &err) == IVR_EFAIL,
       "a made-up serial is refused (%s)", err.message);
    ok(coupon_redeem(s, serial, "", &err) == IVR_EUSAGE,
       "a redemption needs a merchant");
    ok(coupon_redeem(s, serial, "shop", &err) == IVR_OK &&
       coupon_redeem(s, serial, "shop", &err) == IVR_EFAIL,
       "redeemed once, not twice");
    coupon_store_close(s);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        diag("could not remove %s", dir);
}

int main(void)
{
    test_round_trip();
    test_coupons();
    test_store();
    return tap_done();
}
