/*
 * accounts.c: the merchant site's accounts in the record, and signing in.
 *
 * A password is kept as libsodium's Argon2id string (its own salt and
 * cost in it), at the "interactive" cost: about 0.1 s and 64 MB a sign-in
 * on this machine, which a guesser pays each try and a shop assistant
 * does not notice. A wrong name costs the same as a wrong password (a
 * fixed hash is checked), so timing tells nobody which names exist.
 */
#include "accounts.h"
#include "record.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_PASSWORD 10

struct accounts {
    record *db;
    char dummy[crypto_pwhash_STRBYTES];   /* for names that do not exist */
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS accounts("
    " name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL,"
    " promotions TEXT NOT NULL DEFAULT '', created TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS sign_ins("
    " id {id}, at TEXT NOT NULL, name TEXT NOT NULL,"
    " address TEXT NOT NULL, result TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS sign_ins_name ON sign_ins(name, at);"
    "CREATE INDEX IF NOT EXISTS sign_ins_address ON sign_ins(address, at);";

static int db_error(accounts *a, ivr_error *err)
{
    return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", record_name(a->db),
                         record_errmsg(a->db));
}

/* Accounts from before SMS redemption have no phone. */
static int add_phone_column(accounts *a, ivr_error *err)
{
    if (record_add_column(a->db, "accounts", "phone",
                          "TEXT NOT NULL DEFAULT ''") != RECORD_DONE)
        return db_error(a, err);
    return IVR_OK;
}

accounts *accounts_open(const char *db, ivr_error *err)
{
    accounts *a;

    if (sodium_init() < 0) {
        ivr_error_set(err, IVR_EINTERNAL, "libsodium cannot start");
        return NULL;
    }
    if (!(a = calloc(1, sizeof *a))) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    if (!(a->db = record_open(db, schema, err)) || add_phone_column(a, err)) {
        if (a->db)
            record_close(a->db);
        free(a);
        return NULL;
    }
    if (crypto_pwhash_str(a->dummy, "no such account", 15,
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        accounts_close(a);
        ivr_error_set(err, IVR_EINTERNAL, "out of memory (Argon2id)");
        return NULL;
    }
    return a;
}

void accounts_close(accounts *a)
{
    if (!a)
        return;
    record_close(a->db);
    free(a);
}

static int valid_name(const char *s)
{
    size_t n = 0;

    for (; s[n]; n++)
        if (!isalnum((unsigned char)s[n]) && !strchr(".-_", s[n]))
            return 0;
    return n >= 1 && n <= 64;
}

int accounts_add(accounts *a, const char *name, account_role role,
                 const char *password, const char *promotions,
                 ivr_error *err)
{
    char hash[crypto_pwhash_STRBYTES], now[RECORD_TIME_MAX];
    record_query *st;
    int rc;

    if (!valid_name(name))
        return ivr_error_set(err, IVR_EINPUT, "'%s' is not an account name "
                             "(1 to 64 letters, digits, '.', '-', '_')",
                             name);
    if (strlen(password) < MIN_PASSWORD)
        return ivr_error_set(err, IVR_EINPUT, "a password has at least %d "
                             "characters", MIN_PASSWORD);
    if (crypto_pwhash_str(hash, password, strlen(password),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory (Argon2id)");
    record_time(time(NULL), now);
    if (!(st = record_prepare(a->db, "INSERT INTO accounts(name, role, hash, "
                                     "promotions, created) VALUES(?, ?, ?, ?, "
                                     "?)")))
        return db_error(a, err);
    record_bind_text(st, 1, name);
    record_bind_text(st, 2, role == ROLE_MERCHANT ? "merchant" : "promoter");
    record_bind_text(st, 3, hash);
    record_bind_text(st, 4, role == ROLE_MERCHANT && promotions ? promotions
                                                                 : "");
    record_bind_text(st, 5, now);
    rc = record_step(st);
    record_finalize(st);
    if (rc == RECORD_CONFLICT)
        return ivr_error_set(err, IVR_EINPUT, "there is an account '%s' "
                             "already", name);
    return rc == RECORD_DONE ? IVR_OK : db_error(a, err);
}

int accounts_remove(accounts *a, const char *name, ivr_error *err)
{
    record_query *st;
    int rc;

    if (!(st = record_prepare(a->db, "DELETE FROM accounts WHERE name = ?")))
        return db_error(a, err);
    record_bind_text(st, 1, name);
    rc = record_step(st);
    record_finalize(st);
    if (rc != RECORD_DONE)
        return db_error(a, err);
    return record_changes(a->db) ? IVR_OK
           : ivr_error_set(err, IVR_EINPUT, "no account '%s'", name);
}

int accounts_each(accounts *a,
                  void (*fn)(const char *name, account_role role,
                             const char *promotions, const char *created,
                             void *user),
                  void *user, ivr_error *err)
{
    record_query *st;
    int rc;

    if (!(st = record_prepare(a->db, "SELECT name, role, promotions, created "
                                     "FROM accounts ORDER BY name")))
        return db_error(a, err);
    while ((rc = record_step(st)) == RECORD_ROW)
        fn(record_column_text(st, 0),
           strcmp(record_column_text(st, 1), "merchant")
               ? ROLE_PROMOTER : ROLE_MERCHANT,
           record_column_text(st, 2),
           record_column_text(st, 3), user);
    record_finalize(st);
    return rc == RECORD_DONE ? IVR_OK : db_error(a, err);
}

/* Failures of column = value within the window, and when the oldest of
 * them leaves it (into until). -1 on a database error. */
static int failures(accounts *a, const char *column, const char *value,
                    char until[RECORD_TIME_MAX])
{
    char since[RECORD_TIME_MAX], sql[256];
    record_query *st;
    int n = -1;

    record_time(time(NULL) - ACCOUNTS_WINDOW_S, since);
    snprintf(sql, sizeof sql, "SELECT count(*), min(at) FROM sign_ins WHERE "
             "%s = ? AND at > ? AND result != 'signed in'", column);
    if (!(st = record_prepare(a->db, sql)))
        return -1;
    record_bind_text(st, 1, value);
    record_bind_text(st, 2, since);
    if (record_step(st) == RECORD_ROW) {
        time_t oldest;
        n = (int)record_column_int(st, 0);
        if (record_time_parse(record_column_text(st, 1), &oldest) == 0)
            record_time(oldest + ACCOUNTS_WINDOW_S, until);
        else
            snprintf(until, RECORD_TIME_MAX, "later");
    }
    record_finalize(st);
    return n;
}

static void log_sign_in(accounts *a, const char *name, const char *address,
                        const char *result)
{
    char now[RECORD_TIME_MAX];
    record_query *st;

    record_time(time(NULL), now);
    if (!(st = record_prepare(a->db, "INSERT INTO sign_ins(at, name, address, "
                                     "result) VALUES(?, substr(?, 1, 64), ?, "
                                     "?)")))
        return;
    record_bind_text(st, 1, now);
    record_bind_text(st, 2, name);
    record_bind_text(st, 3, address);
    record_bind_text(st, 4, result);
    record_step(st);
    record_finalize(st);
}

int accounts_sign_in(accounts *a, const char *name, const char *password,
                     const char *address, account_role *role,
                     ivr_error *err)
{
    char hash[crypto_pwhash_STRBYTES] = "", until[RECORD_TIME_MAX];
    char role_text[16] = "";
    record_query *st;
    int ok;

    if (failures(a, "address", address, until) >=
        ACCOUNTS_MAX_FAILURES_ADDRESS) {
        log_sign_in(a, name, address, "address refused");
        return ivr_error_set(err, IVR_EFAIL, "too many failed sign-ins from "
                             "this address: try again after %s", until);
    }
    if (failures(a, "name", name, until) >= ACCOUNTS_MAX_FAILURES) {
        log_sign_in(a, name, address, "locked");
        return ivr_error_set(err, IVR_EFAIL, "this account is locked after "
                             "%d failed sign-ins: try again after %s",
                             ACCOUNTS_MAX_FAILURES, until);
    }
    if (!(st = record_prepare(a->db, "SELECT hash, role FROM accounts WHERE "
                                     "name = ?")))
        return db_error(a, err);
    record_bind_text(st, 1, name);
    if (record_step(st) == RECORD_ROW) {
        snprintf(hash, sizeof hash, "%s", record_column_text(st, 0));
        snprintf(role_text, sizeof role_text, "%s",
                 record_column_text(st, 1));
    }
    record_finalize(st);
    ok = crypto_pwhash_str_verify(*hash ? hash : a->dummy, password,
                                  strlen(password)) == 0 && *hash;
    log_sign_in(a, name, address, ok ? "signed in" : "wrong password");
    if (!ok)
        return ivr_error_set(err, IVR_EFAIL, "wrong name or password");
    *role = strcmp(role_text, "merchant") ? ROLE_PROMOTER : ROLE_MERCHANT;
    return IVR_OK;
}

int accounts_accepts(accounts *a, const char *merchant,
                     const char *promotion)
{
    record_query *st;
    int yes = 0;

    if (!(st = record_prepare(a->db, "SELECT promotions FROM accounts WHERE "
                                     "name = ? AND role = 'merchant'")))
        return 0;
    record_bind_text(st, 1, merchant);
    if (record_step(st) == RECORD_ROW) {
        const char *list = record_column_text(st, 0);
        size_t n = strlen(promotion);
        const char *p = list;
        if (!strcmp(list, "*"))
            yes = 1;
        while (!yes && p && *p) {
            if (!strncmp(p, promotion, n) && (p[n] == ',' || !p[n]))
                yes = 1;
            p = strchr(p, ',');
            if (p)
                p++;
        }
    }
    record_finalize(st);
    return yes;
}

int accounts_set_phone(accounts *a, const char *name, const char *phone,
                       ivr_error *err)
{
    record_query *st;
    size_t i, n = strlen(phone);
    int rc;

    /* E.164: +, then 7 to 15 digits */
    for (i = 1; i < n && isdigit((unsigned char)phone[i]); i++)
        ;
    if (n && (phone[0] != '+' || i != n || n < 8 || n > 16))
        return ivr_error_set(err, IVR_EINPUT, "'%s' is not an E.164 number "
                             "(+ and 7 to 15 digits, such as +15550104477)",
                             phone);
    if (!(st = record_prepare(a->db, "UPDATE accounts SET phone = ? WHERE "
                                     "name = ? AND role = 'merchant'")))
        return db_error(a, err);
    record_bind_text(st, 1, phone);
    record_bind_text(st, 2, name);
    rc = record_step(st);
    record_finalize(st);
    if (rc != RECORD_DONE)
        return db_error(a, err);
    return record_changes(a->db) ? IVR_OK
           : ivr_error_set(err, IVR_EINPUT, "no merchant '%s'", name);
}

int accounts_merchant_by_phone(accounts *a, const char *phone, char *name,
                               size_t size, ivr_error *err)
{
    record_query *st;
    int rc;

    if (!*phone)
        return ivr_error_set(err, IVR_EFAIL, "no number");
    if (!(st = record_prepare(a->db, "SELECT name FROM accounts WHERE phone = "
                                     "? AND role = 'merchant'")))
        return db_error(a, err);
    record_bind_text(st, 1, phone);
    rc = record_step(st);
    if (rc == RECORD_ROW)
        snprintf(name, size, "%s", record_column_text(st, 0));
    record_finalize(st);
    if (rc == RECORD_ROW)
        return IVR_OK;
    return rc == RECORD_DONE ? ivr_error_set(err, IVR_EFAIL, "%s is no "
                                             "merchant's number", phone)
                             : db_error(a, err);
}
