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

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct coupon_store {
    sqlite3 *db;
    char path[1024];
};

static const char schema[] =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE IF NOT EXISTS coupons("
    " serial TEXT PRIMARY KEY, promotion TEXT NOT NULL, recipient TEXT,"
    " issued TEXT NOT NULL, expires TEXT, redeemed TEXT, merchant TEXT);"
    "CREATE INDEX IF NOT EXISTS coupons_promotion ON coupons(promotion);"
    "CREATE TABLE IF NOT EXISTS attempts("
    " id INTEGER PRIMARY KEY, at TEXT NOT NULL, merchant TEXT NOT NULL,"
    " typed TEXT NOT NULL, result TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS attempts_merchant ON attempts(merchant, at);";

static int db_error(coupon_store *s, ivr_error *err);

/* A record from before the merchant site has no addresses in its log. */
static int add_address_column(coupon_store *s, ivr_error *err)
{
    sqlite3_stmt *st;
    int found = 0;

    if (sqlite3_prepare_v2(s->db, "PRAGMA table_info(attempts)", -1, &st,
                           NULL) != SQLITE_OK)
        return db_error(s, err);
    while (sqlite3_step(st) == SQLITE_ROW)
        found |= !strcmp((const char *)sqlite3_column_text(st, 1),
                         "address");
    sqlite3_finalize(st);
    if (!found && sqlite3_exec(s->db, "ALTER TABLE attempts ADD COLUMN "
                               "address TEXT NOT NULL DEFAULT '';",
                               NULL, NULL, NULL) != SQLITE_OK)
        return db_error(s, err);
    /* The throttle counts refusals only: indexes of the refusals alone
     * keep that count a look at a few rows, not at every redemption of
     * the last ten minutes (a busy shop's thousands: 330 redemptions a
     * second in bench/web.sh before, the count was most of each) */
    if (sqlite3_exec(s->db, "DROP INDEX IF EXISTS attempts_address;"
                     "CREATE INDEX IF NOT EXISTS attempts_refused_merchant "
                     "ON attempts(merchant, at) WHERE result NOT IN "
                     "('redeemed', 'typo', 'looked up');"
                     "CREATE INDEX IF NOT EXISTS attempts_refused_address "
                     "ON attempts(address, at) WHERE result NOT IN "
                     "('redeemed', 'typo', 'looked up');",
                     NULL, NULL, NULL) != SQLITE_OK)
        return db_error(s, err);
    return IVR_OK;
}

/* A merchant with this many refused serials within the window is refused
 * until the oldest of them leaves it. Typos do not count: the check
 * character catches them without a look at the record, so they reveal
 * nothing. */
#define MAX_REFUSED 10
#define REFUSED_WINDOW_S 600
#define IVR_STR_(x) #x
#define IVR_STR(x) IVR_STR_(x)

static int db_error(coupon_store *s, ivr_error *err)
{
    return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", s->path,
                         sqlite3_errmsg(s->db));
}


coupon_store *coupon_store_open(const char *db, ivr_error *err)
{
    coupon_store *s = calloc(1, sizeof *s);

    if (!s) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    snprintf(s->path, sizeof s->path, "%s", db);
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
    sqlite3_close(s->db);
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
        sqlite3_stmt *st;
        int rc;
        if (coupon_new_serial(serial) != 0)
            return ivr_error_set(err, IVR_EINTERNAL, "no random numbers from "
                                 "the operating system");
        if (sqlite3_prepare_v2(s->db, "INSERT INTO coupons(serial, "
                               "promotion, recipient, issued, expires) "
                               "VALUES(?, ?, ?, ?, ?)", -1, &st, NULL)
                != SQLITE_OK)
            return db_error(s, err);
        sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, promotion, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, recipient ? recipient : "", -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 4, issued, -1, SQLITE_STATIC);
        if (valid_days != 0)
            sqlite3_bind_text(st, 5, expires, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 5);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
            return IVR_OK;
        if (rc != SQLITE_CONSTRAINT)
            return db_error(s, err);
    }
    return ivr_error_set(err, IVR_EINTERNAL, "no free serial after 8 tries");
}

static int log_attempt(coupon_store *s, const char *merchant,
                       const char *address, const char *typed,
                       const char *result, ivr_error *err)
{
    sqlite3_stmt *st;
    char now[RECORD_TIME_MAX];
    int rc;

    record_time(time(NULL), now);
    if (sqlite3_prepare_v2(s->db, "INSERT INTO attempts(at, merchant, typed, "
                           "result, address) VALUES(?, ?, substr(?, 1, 64), "
                           "?, ?)", -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err);
    sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, typed, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, result, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, address, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? IVR_OK : db_error(s, err);
}

/* IVR_OK, or IVR_EFAIL when who (a merchant, or an address: column) has
 * had MAX_REFUSED serials refused within the window (the message says
 * until when). */
static int throttle_by(coupon_store *s, const char *column, const char *who,
                       ivr_error *err)
{
    char sql[512];
    sqlite3_stmt *st;
    char since[RECORD_TIME_MAX], until[RECORD_TIME_MAX];
    time_t now = time(NULL);
    int rc, n = 0;

    record_time(now - REFUSED_WINDOW_S, since);
    /* until the oldest refusal of the window leaves it */
    snprintf(sql, sizeof sql, "SELECT count(*), strftime("
             "'%%Y-%%m-%%dT%%H:%%M:%%SZ', min(at), '+"
             IVR_STR(REFUSED_WINDOW_S) " seconds') FROM attempts WHERE %s = "
             "? AND at > ? AND result NOT IN ('redeemed', 'typo', "
             "'looked up')", column);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err);
    sqlite3_bind_text(st, 1, who, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, since, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        n = sqlite3_column_int(st, 0);
        if (n >= MAX_REFUSED)
            snprintf(until, sizeof until, "%s",
                     sqlite3_column_text(st, 1) ? (const char *)
                     sqlite3_column_text(st, 1) : "later");
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
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
    sqlite3_stmt *st;
    int rc, changed;

    if (!coupon_normalise(typed, serial))
        return ivr_error_set(err, IVR_EFAIL, "'%s' is not a valid serial (a "
                             "typo? 12 characters, such as 7K2M-Q9XD-4TB8)",
                             typed);
    record_time(time(NULL), now);
    if (sqlite3_prepare_v2(s->db, "UPDATE coupons SET redeemed = ?, "
                           "merchant = ? WHERE serial = ? AND redeemed IS "
                           "NULL AND (expires IS NULL OR expires > ?)", -1,
                           &st, NULL) != SQLITE_OK)
        return db_error(s, err);
    sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, serial, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(s, err);
    changed = sqlite3_changes(s->db);
    if (changed == 1)
        return IVR_OK;
    /* why not */
    if (sqlite3_prepare_v2(s->db, "SELECT redeemed, merchant, expires, "
                           "promotion FROM coupons WHERE serial = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return db_error(s, err);
    sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = ivr_error_set(err, IVR_EFAIL, "%s: no such coupon", serial);
    else if (sqlite3_column_type(st, 0) != SQLITE_NULL)
        rc = ivr_error_set(err, IVR_EFAIL, "%s: already redeemed on %s by "
                           "%s", serial, sqlite3_column_text(st, 0),
                           sqlite3_column_text(st, 1));
    else
        rc = ivr_error_set(err, IVR_EFAIL, "%s: expired on %s (%s)", serial,
                           sqlite3_column_text(st, 2),
                           sqlite3_column_text(st, 3));
    sqlite3_finalize(st);
    return rc;
}

int coupon_report(coupon_store *s, const char *promotion, FILE *out,
                  ivr_error *err)
{
    sqlite3_stmt *st;
    long issued = 0, redeemed = 0;
    int rc;

    if (sqlite3_prepare_v2(s->db, "SELECT substr(issued, 1, 10), count(*), "
                           "count(redeemed) FROM coupons WHERE promotion = ? "
                           "GROUP BY 1 ORDER BY 1", -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err);
    sqlite3_bind_text(st, 1, promotion, -1, SQLITE_STATIC);
    fprintf(out, "%-10s  %8s  %8s  %10s\n", "issued on", "issued", "redeemed",
            "conversion");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long i = sqlite3_column_int64(st, 1), r = sqlite3_column_int64(st, 2);
        fprintf(out, "%-10s  %8ld  %8ld  %9.1f%%\n",
                (const char *)sqlite3_column_text(st, 0), i, r,
                i ? 100.0 * (double)r / (double)i : 0.0);
        issued += i;
        redeemed += r;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)   /* a damaged file is not "no coupons" */
        return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", s->path,
                             sqlite3_errstr(rc));
    if (issued == 0)
        return ivr_error_set(err, IVR_EINPUT, "no coupons were issued for "
                             "'%s'", promotion);
    fprintf(out, "%-10s  %8ld  %8ld  %9.1f%%\n", "total", issued, redeemed,
            100.0 * (double)redeemed / (double)issued);
    /* when the merchants saw them */
    if (redeemed == 0)
        return IVR_OK;
    if (sqlite3_prepare_v2(s->db, "SELECT substr(redeemed, 1, 10), count(*), "
                           "count(DISTINCT merchant) FROM coupons WHERE "
                           "promotion = ? AND redeemed IS NOT NULL GROUP BY 1 "
                           "ORDER BY 1", -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err);
    sqlite3_bind_text(st, 1, promotion, -1, SQLITE_STATIC);
    fprintf(out, "\n%-10s  %8s  %9s\n", "redeemed on", "redeemed", "merchants");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fprintf(out, "%-10s  %8lld  %9lld\n",
                (const char *)sqlite3_column_text(st, 0),
                (long long)sqlite3_column_int64(st, 1),
                (long long)sqlite3_column_int64(st, 2));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", s->path,
                             sqlite3_errstr(rc));
    return IVR_OK;
}

int coupon_lookup(coupon_store *s, const char *typed, const char *merchant,
                  const char *address, coupon_info *info, ivr_error *err)
{
    ivr_error log_err;
    sqlite3_stmt *st;
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
    if (sqlite3_prepare_v2(s->db, "SELECT promotion, issued, "
                           "coalesce(expires, ''), coalesce(redeemed, ''), "
                           "coalesce(merchant, '') FROM coupons WHERE "
                           "serial = ?", -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err);
    sqlite3_bind_text(st, 1, info->serial, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        snprintf(info->promotion, sizeof info->promotion, "%s",
                 sqlite3_column_text(st, 0));
        snprintf(info->issued, sizeof info->issued, "%s",
                 sqlite3_column_text(st, 1));
        snprintf(info->expires, sizeof info->expires, "%s",
                 sqlite3_column_text(st, 2));
        snprintf(info->redeemed, sizeof info->redeemed, "%s",
                 sqlite3_column_text(st, 3));
        snprintf(info->merchant, sizeof info->merchant, "%s",
                 sqlite3_column_text(st, 4));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(s, err);
    /* the offer is the text the serial went out in (a record without SMS
     * has no such table: no offer, no error) */
    if (rc == SQLITE_ROW &&
        sqlite3_prepare_v2(s->db, "SELECT body FROM messages WHERE "
                           "instr(body, ?) > 0 ORDER BY id LIMIT 1", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, info->serial, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(info->offer, sizeof info->offer, "%s",
                     sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    if (rc == SQLITE_DONE) {
        result = "unknown";
        ivr_error_set(err, IVR_EFAIL, "%s: no such coupon", info->serial);
    }
    if (log_attempt(s, merchant, address, typed, result, &log_err) != IVR_OK)
        return log_err.status;
    return rc == SQLITE_ROW ? IVR_OK : IVR_EFAIL;
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
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(s->db, sql[by], -1, &st, NULL) != SQLITE_OK)
        return db_error(s, err);
    if (by != COUPON_BY_PROMOTION)
        sqlite3_bind_text(st, 1, promotion, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn((const char *)sqlite3_column_text(st, 0),
           (long)sqlite3_column_int64(st, 1),
           (long)sqlite3_column_int64(st, 2), user);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? IVR_OK : db_error(s, err);
}

int coupon_store_transaction(coupon_store *s, int begin, ivr_error *err)
{
    /* IMMEDIATE: the write lock at once, so that two sites on one record
     * wait for each other here rather than fail half way */
    return sqlite3_exec(s->db, begin ? "BEGIN IMMEDIATE" : "COMMIT", NULL,
                        NULL, NULL) == SQLITE_OK ? IVR_OK : db_error(s, err);
}
