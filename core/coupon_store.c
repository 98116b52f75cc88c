/*
 * coupon_store.c: issuing and redeeming serials in SQLite.
 *
 * Redeeming is one UPDATE ... WHERE redeemed IS NULL: SQLite serialises
 * writers, so of any number of processes redeeming one serial, exactly one
 * sees its row change; the others are told when and by whom it was.
 *
 * Every attempt is logged (when, which merchant, what was typed, what came
 * of it), and a merchant whose serials keep being refused is stopped for a
 * while: 55 random bits cannot be searched ten guesses at a time.
 */
#include "coupon.h"
#include "record.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct coupon_store {
    record *db;
    int has_messages;   /* an SMS sender made its table in the record */
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS coupons("
    " serial TEXT PRIMARY KEY, promotion TEXT NOT NULL, recipient TEXT,"
    " issued TEXT NOT NULL, expires TEXT, redeemed TEXT, merchant TEXT);"
    "CREATE INDEX IF NOT EXISTS coupons_promotion ON coupons(promotion);"
    "CREATE TABLE IF NOT EXISTS attempts("
    " id {id}, at TEXT NOT NULL, merchant TEXT NOT NULL,"
    " typed TEXT NOT NULL, result TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS attempts_merchant ON attempts(merchant, at);";

static int db_error(coupon_store *s, ivr_error *err);

/* A record from before the merchant site has no addresses in its log. */
static int add_address_column(coupon_store *s, ivr_error *err)
{
    if (record_add_column(s->db, "attempts", "address",
                          "TEXT NOT NULL DEFAULT ''") != RECORD_DONE)
        return db_error(s, err);
    /* The throttle counts refusals only: indexes of the refusals alone
     * keep that count a look at a few rows, not at every redemption of
     * the last ten minutes (a busy shop's thousands: 330 redemptions a
     * second in bench/web.sh before, the count was most of each) */
    if (record_exec(s->db, "DROP INDEX IF EXISTS attempts_address;"
                    "CREATE INDEX IF NOT EXISTS attempts_refused_merchant "
                    "ON attempts(merchant, at) WHERE result NOT IN "
                    "('redeemed', 'typo', 'looked up');"
                    "CREATE INDEX IF NOT EXISTS attempts_refused_address "
                    "ON attempts(address, at) WHERE result NOT IN "
                    "('redeemed', 'typo', 'looked up');") != RECORD_DONE)
        return db_error(s, err);
    return IVR_OK;
}

/* A merchant with this many refused serials within the window is refused
 * until the oldest of them leaves it. Typos do not count: the check
 * character catches them without a look at the record, so they reveal
 * nothing. */
#define MAX_REFUSED 10
#define REFUSED_WINDOW_S 600

static int db_error(coupon_store *s, ivr_error *err)
{
    return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", record_name(s->db),
                         record_errmsg(s->db));
}


coupon_store *coupon_store_open(const char *db, ivr_error *err)
{
    coupon_store *s = calloc(1, sizeof *s);

    if (!s) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    if (!(s->db = record_open(db, schema, err)) ||
        add_address_column(s, err) != IVR_OK) {
        coupon_store_close(s);
        return NULL;
    }
    return s;
}

void coupon_store_close(coupon_store *s)
{
    if (!s)
        return;
    record_close(s->db);
    free(s);
}

int coupon_issue(coupon_store *s, const char *promotion, const char *recipient,
                 int valid_days, char serial[COUPON_SERIAL_MAX],
                 ivr_error *err)
{
    char issued[RECORD_TIME_MAX], expires[RECORD_TIME_MAX];
    time_t now = time(NULL);
    int tries;

    if (!promotion || !*promotion)
        return ivr_error_set(err, IVR_EUSAGE, "a promotion needs a name");
    record_time(now, issued);
    record_time(now + (time_t)valid_days * 86400, expires);
    /* 55 random bits: a collision is rare, but a serial must be unique */
    for (tries = 0; tries < 8; tries++) {
        record_query *st;
        int rc;
        if (coupon_new_serial(serial) != 0)
            return ivr_error_set(err, IVR_EINTERNAL, "no random numbers from "
                                 "the operating system");
        if (!(st = record_prepare(s->db, "INSERT INTO coupons(serial, "
                                         "promotion, recipient, issued, "
                                         "expires) VALUES(?, ?, ?, ?, ?)")))
            return db_error(s, err);
        record_bind_text(st, 1, serial);
        record_bind_text(st, 2, promotion);
        record_bind_text(st, 3, recipient ? recipient : "");
        record_bind_text(st, 4, issued);
        if (valid_days != 0)
            record_bind_text(st, 5, expires);
        else
            record_bind_text(st, 5, NULL);
        rc = record_step(st);
        record_finalize(st);
        if (rc == RECORD_DONE)
            return IVR_OK;
        if (rc != RECORD_CONFLICT)
            return db_error(s, err);
    }
    return ivr_error_set(err, IVR_EINTERNAL, "no free serial after 8 tries");
}

static int log_attempt(coupon_store *s, const char *merchant,
                       const char *address, const char *typed,
                       const char *result, ivr_error *err)
{
    record_query *st;
    char now[RECORD_TIME_MAX];
    int rc;

    record_time(time(NULL), now);
    if (!(st = record_prepare(s->db, "INSERT INTO attempts(at, merchant, "
                                     "typed, result, address) VALUES(?, ?, "
                                     "substr(?, 1, 64), ?, ?)")))
        return db_error(s, err);
    record_bind_text(st, 1, now);
    record_bind_text(st, 2, merchant);
    record_bind_text(st, 3, typed);
    record_bind_text(st, 4, result);
    record_bind_text(st, 5, address);
    rc = record_step(st);
    record_finalize(st);
    return rc == RECORD_DONE ? IVR_OK : db_error(s, err);
}

/* IVR_OK, or IVR_EFAIL when who (a merchant, or an address: column) has
 * had MAX_REFUSED serials refused within the window (the message says
 * until when). */
static int throttle_by(coupon_store *s, const char *column, const char *who,
                       ivr_error *err)
{
    char sql[512];
    record_query *st;
    char since[RECORD_TIME_MAX], until[RECORD_TIME_MAX];
    time_t now = time(NULL);
    int rc, n = 0;

    record_time(now - REFUSED_WINDOW_S, since);
    /* until the oldest refusal of the window leaves it */
    snprintf(sql, sizeof sql, "SELECT count(*), min(at) FROM attempts WHERE "
             "%s = ? AND at > ? AND result NOT IN ('redeemed', 'typo', "
             "'looked up')", column);
    if (!(st = record_prepare(s->db, sql)))
        return db_error(s, err);
    record_bind_text(st, 1, who);
    record_bind_text(st, 2, since);
    if ((rc = record_step(st)) == RECORD_ROW) {
        time_t oldest;
        n = (int)record_column_int(st, 0);
        if (record_time_parse(record_column_text(st, 1), &oldest) == 0)
            record_time(oldest + REFUSED_WINDOW_S, until);
        else
            snprintf(until, sizeof until, "later");
    }
    record_finalize(st);
    if (rc != RECORD_ROW)
        return db_error(s, err);
    if (n < MAX_REFUSED)
        return IVR_OK;
    return ivr_error_set(err, IVR_EFAIL, "%d serials from %s were refused in "
                         "the last %d minutes: no more until %s", n, who,
                         REFUSED_WINDOW_S / 60, until);
}

static int throttle(coupon_store *s, const char *merchant,
                    const char *address, ivr_error *err)
{
    int rc = throttle_by(s, "merchant", merchant, err);

    if (rc == IVR_OK && address && *address)
        rc = throttle_by(s, "address", address, err);
    return rc;
}

static int redeem_once(coupon_store *s, const char *typed,
                       const char *merchant, ivr_error *err);

int coupon_redeem(coupon_store *s, const char *typed, const char *merchant,
                  ivr_error *err)
{
    return coupon_redeem_from(s, typed, merchant, "", err);
}

int coupon_redeem_from(coupon_store *s, const char *typed,
                       const char *merchant, const char *address,
                       ivr_error *err)
{
    ivr_error log_err;
    const char *result;
    int rc;

    if (!merchant || !*merchant)
        return ivr_error_set(err, IVR_EUSAGE, "a redemption needs the "
                             "merchant's name (--merchant)");
    if ((rc = throttle(s, merchant, address, err)) != IVR_OK) {
        if (rc == IVR_EFAIL)
            log_attempt(s, merchant, address, typed, "throttled", &log_err);
        return rc;
    }
    rc = redeem_once(s, typed, merchant, err);
    result = rc == IVR_OK ? "redeemed"
           : rc != IVR_EFAIL ? "error"
           : strstr(err->message, "not a valid serial") ? "typo"
           : strstr(err->message, "no such coupon") ? "unknown"
           : strstr(err->message, "already redeemed") ? "already redeemed"
           : "expired";
    /* the attempt is on record whatever came of it; a redemption that
     * cannot be logged still happened, and says so */
    if (log_attempt(s, merchant, address, typed, result, &log_err) != IVR_OK &&
        rc == IVR_OK) {
        *err = log_err;
        return log_err.status;
    }
    return rc;
}

static int redeem_once(coupon_store *s, const char *typed,
                       const char *merchant, ivr_error *err)
{
    char serial[COUPON_SERIAL_MAX], now[32];
    record_query *st;
    int rc, changed;

    if (!coupon_normalise(typed, serial))
        return ivr_error_set(err, IVR_EFAIL, "'%s' is not a valid serial (a "
                             "typo? 12 characters, such as 7K2M-Q9XD-4TB8)",
                             typed);
    record_time(time(NULL), now);
    if (!(st = record_prepare(s->db, "UPDATE coupons SET redeemed = ?, "
                                     "merchant = ? WHERE serial = ? AND "
                                     "redeemed IS NULL AND (expires IS NULL "
                                     "OR expires > ?)")))
        return db_error(s, err);
    record_bind_text(st, 1, now);
    record_bind_text(st, 2, merchant);
    record_bind_text(st, 3, serial);
    record_bind_text(st, 4, now);
    rc = record_step(st);
    record_finalize(st);
    if (rc != RECORD_DONE)
        return db_error(s, err);
    changed = record_changes(s->db);
    if (changed == 1)
        return IVR_OK;
    /* why not */
    if (!(st = record_prepare(s->db, "SELECT redeemed, merchant, expires, "
                                     "promotion FROM coupons WHERE serial = "
                                     "?")))
        return db_error(s, err);
    record_bind_text(st, 1, serial);
    if (record_step(st) != RECORD_ROW)
        rc = ivr_error_set(err, IVR_EFAIL, "%s: no such coupon", serial);
    else if (record_column_text(st, 0) != NULL)
        rc = ivr_error_set(err, IVR_EFAIL, "%s: already redeemed on %s by "
                           "%s", serial, record_column_text(st, 0),
                           record_column_text(st, 1));
    else
        rc = ivr_error_set(err, IVR_EFAIL, "%s: expired on %s (%s)", serial,
                           record_column_text(st, 2),
                           record_column_text(st, 3));
    record_finalize(st);
    return rc;
}

int coupon_report(coupon_store *s, const char *promotion, FILE *out,
                  ivr_error *err)
{
    record_query *st;
    long issued = 0, redeemed = 0;
    int rc;

    if (!(st = record_prepare(s->db, "SELECT substr(issued, 1, 10), count(*), "
                                     "count(redeemed) FROM coupons WHERE "
                                     "promotion = ? GROUP BY 1 ORDER BY 1")))
        return db_error(s, err);
    record_bind_text(st, 1, promotion);
    fprintf(out, "%-10s  %8s  %8s  %10s\n", "issued on", "issued", "redeemed",
            "conversion");
    while ((rc = record_step(st)) == RECORD_ROW) {
        long i = record_column_int(st, 1), r = record_column_int(st, 2);
        fprintf(out, "%-10s  %8ld  %8ld  %9.1f%%\n",
                record_column_text(st, 0), i, r,
                i ? 100.0 * (double)r / (double)i : 0.0);
        issued += i;
        redeemed += r;
    }
    record_finalize(st);
    if (rc != RECORD_DONE)   /* a damaged file is not "no coupons" */
        return db_error(s, err);
    if (issued == 0)
        return ivr_error_set(err, IVR_EINPUT, "no coupons were issued for "
                             "'%s'", promotion);
    fprintf(out, "%-10s  %8ld  %8ld  %9.1f%%\n", "total", issued, redeemed,
            100.0 * (double)redeemed / (double)issued);
    /* when the merchants saw them */
    if (redeemed == 0)
        return IVR_OK;
    if (!(st = record_prepare(s->db, "SELECT substr(redeemed, 1, 10), "
                                     "count(*), count(DISTINCT merchant) FROM "
                                     "coupons WHERE promotion = ? AND "
                                     "redeemed IS NOT NULL GROUP BY 1 ORDER "
                                     "BY 1")))
        return db_error(s, err);
    record_bind_text(st, 1, promotion);
    fprintf(out, "\n%-10s  %8s  %9s\n", "redeemed on", "redeemed",
            "merchants");
    while ((rc = record_step(st)) == RECORD_ROW)
        fprintf(out, "%-10s  %8lld  %9lld\n",
                record_column_text(st, 0),
                (long long)record_column_int(st, 1),
                (long long)record_column_int(st, 2));
    record_finalize(st);
    if (rc != RECORD_DONE)
        return db_error(s, err);
    return IVR_OK;
}

/* Asked until the answer is yes: a sender may open the record later. In
 * PostgreSQL a query of a missing table would also end the transaction
 * the look-up is part of. */
static int has_messages(coupon_store *s)
{
    if (!s->has_messages)
        s->has_messages = record_has_column(s->db, "messages", "body") > 0;
    return s->has_messages;
}

int coupon_lookup(coupon_store *s, const char *typed, const char *merchant,
                  const char *address, coupon_info *info, ivr_error *err)
{
    ivr_error log_err;
    record_query *st;
    const char *result = "looked up";
    int rc;

    memset(info, 0, sizeof *info);
    if ((rc = throttle(s, merchant, address, err)) != IVR_OK) {
        if (rc == IVR_EFAIL)
            log_attempt(s, merchant, address, typed, "throttled", &log_err);
        return rc;
    }
    if (!coupon_normalise(typed, info->serial)) {
        log_attempt(s, merchant, address, typed, "typo", &log_err);
        return ivr_error_set(err, IVR_EFAIL, "'%s' is not a valid serial (a "
                             "typo? 12 characters, such as 7K2M-Q9XD-4TB8)",
                             typed);
    }
    if (!(st = record_prepare(s->db, "SELECT promotion, issued, "
                                     "coalesce(expires, ''), "
                                     "coalesce(redeemed, ''), "
                                     "coalesce(merchant, '') FROM coupons "
                                     "WHERE serial = ?")))
        return db_error(s, err);
    record_bind_text(st, 1, info->serial);
    if ((rc = record_step(st)) == RECORD_ROW) {
        snprintf(info->promotion, sizeof info->promotion, "%s",
                 record_column_text(st, 0));
        snprintf(info->issued, sizeof info->issued, "%s",
                 record_column_text(st, 1));
        snprintf(info->expires, sizeof info->expires, "%s",
                 record_column_text(st, 2));
        snprintf(info->redeemed, sizeof info->redeemed, "%s",
                 record_column_text(st, 3));
        snprintf(info->merchant, sizeof info->merchant, "%s",
                 record_column_text(st, 4));
    }
    record_finalize(st);
    if (rc != RECORD_ROW && rc != RECORD_DONE)
        return db_error(s, err);
    /* the offer is the text the serial went out in (a record without SMS
     * has no such table: no offer, no error) */
    if (rc == RECORD_ROW && has_messages(s) &&
        (st = record_prepare(s->db, "SELECT body FROM messages WHERE body "
                                    "LIKE ? ORDER BY id LIMIT 1")) != NULL) {
        char pattern[COUPON_SERIAL_MAX + 2];
        /* a serial has no '%' or '_' of its own */
        snprintf(pattern, sizeof pattern, "%%%s%%", info->serial);
        record_bind_text(st, 1, pattern);
        if (record_step(st) == RECORD_ROW)
            snprintf(info->offer, sizeof info->offer, "%s",
                     record_column_text(st, 0));
        record_finalize(st);
    }
    if (rc == RECORD_DONE) {
        result = "unknown";
        ivr_error_set(err, IVR_EFAIL, "%s: no such coupon", info->serial);
    }
    if (log_attempt(s, merchant, address, typed, result, &log_err) != IVR_OK)
        return log_err.status;
    return rc == RECORD_ROW ? IVR_OK : IVR_EFAIL;
}

int coupon_stats(coupon_store *s, const char *promotion, coupon_grouping by,
                 void (*fn)(const char *key, long issued, long redeemed,
                            void *user),
                 void *user, ivr_error *err)
{
    static const char *const sql[] = {
        "SELECT promotion, count(*), count(redeemed) FROM coupons "
        "GROUP BY 1 ORDER BY 1",
        "SELECT substr(issued, 1, 10), count(*), count(redeemed) FROM "
        "coupons WHERE promotion = ? GROUP BY 1 ORDER BY 1",
        "SELECT coalesce(merchant, ''), count(*), count(redeemed) FROM "
        "coupons WHERE promotion = ? GROUP BY 1 ORDER BY 1",
    };
    record_query *st;
    int rc;

    if (!(st = record_prepare(s->db, sql[by])))
        return db_error(s, err);
    if (by != COUPON_BY_PROMOTION)
        record_bind_text(st, 1, promotion);
    while ((rc = record_step(st)) == RECORD_ROW)
        fn(record_column_text(st, 0),
           (long)record_column_int(st, 1),
           (long)record_column_int(st, 2), user);
    record_finalize(st);
    return rc == RECORD_DONE ? IVR_OK : db_error(s, err);
}

int coupon_store_transaction(coupon_store *s, int begin, ivr_error *err)
{
    return (begin ? record_begin(s->db) : record_commit(s->db)) ==
           RECORD_DONE ? IVR_OK : db_error(s, err);
}
