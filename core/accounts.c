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
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_PASSWORD 10
#define IVR_STR_(x) #x
#define IVR_STR(x) IVR_STR_(x)

struct accounts {
    sqlite3 *db;
    char path[1024];
    char dummy[crypto_pwhash_STRBYTES];   /* for names that do not exist */
};

static const char schema[] =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE IF NOT EXISTS accounts("
    " name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL,"
    " promotions TEXT NOT NULL DEFAULT '', created TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS sign_ins("
    " id INTEGER PRIMARY KEY, at TEXT NOT NULL, name TEXT NOT NULL,"
    " address TEXT NOT NULL, result TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS sign_ins_name ON sign_ins(name, at);"
    "CREATE INDEX IF NOT EXISTS sign_ins_address ON sign_ins(address, at);";

static int db_error(accounts *a, ivr_error *err)
{
    return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", a->path,
                         sqlite3_errmsg(a->db));
}

/* Accounts from before SMS redemption have no phone. */
static int add_phone_column(accounts *a, ivr_error *err)
{
    sqlite3_stmt *st;
    int found = 0;

    if (sqlite3_prepare_v2(a->db, "PRAGMA table_info(accounts)", -1, &st,
                           NULL) != SQLITE_OK)
        return db_error(a, err);
    while (sqlite3_step(st) == SQLITE_ROW)
        found |= !strcmp((const char *)sqlite3_column_text(st, 1), "phone");
    sqlite3_finalize(st);
    if (!found && sqlite3_exec(a->db, "ALTER TABLE accounts ADD COLUMN "
                               "phone TEXT NOT NULL DEFAULT ''", NULL, NULL,
                               NULL) != SQLITE_OK)
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
    snprintf(a->path, sizeof a->path, "%s", db);
    if (!(a->db = record_open(db, schema, err)) || add_phone_column(a, err)) {
        if (a->db)
            sqlite3_close(a->db);
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
    sqlite3_close(a->db);
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
    sqlite3_stmt *st;
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
    if (sqlite3_prepare_v2(a->db, "INSERT INTO accounts(name, role, hash, "
                           "promotions, created) VALUES(?, ?, ?, ?, ?)", -1,
                           &st, NULL) != SQLITE_OK)
        return db_error(a, err);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, role == ROLE_MERCHANT ? "merchant" : "promoter",
                      -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, role == ROLE_MERCHANT && promotions ? promotions
                                                                 : "",
                      -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_CONSTRAINT)
        return ivr_error_set(err, IVR_EINPUT, "there is an account '%s' "
                             "already", name);
    return rc == SQLITE_DONE ? IVR_OK : db_error(a, err);
}

int accounts_remove(accounts *a, const char *name, ivr_error *err)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(a->db, "DELETE FROM accounts WHERE name = ?", -1,
                           &st, NULL) != SQLITE_OK)
        return db_error(a, err);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(a, err);
    return sqlite3_changes(a->db) ? IVR_OK
           : ivr_error_set(err, IVR_EINPUT, "no account '%s'", name);
}

int accounts_each(accounts *a,
                  void (*fn)(const char *name, account_role role,
                             const char *promotions, const char *created,
                             void *user),
                  void *user, ivr_error *err)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(a->db, "SELECT name, role, promotions, created "
                           "FROM accounts ORDER BY name", -1, &st, NULL) !=
        SQLITE_OK)
        return db_error(a, err);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn((const char *)sqlite3_column_text(st, 0),
           strcmp((const char *)sqlite3_column_text(st, 1), "merchant")
               ? ROLE_PROMOTER : ROLE_MERCHANT,
           (const char *)sqlite3_column_text(st, 2),
           (const char *)sqlite3_column_text(st, 3), user);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? IVR_OK : db_error(a, err);
}

/* Failures of column = value within the window, and when the oldest of
 * them leaves it (into until). -1 on a database error. */
static int failures(accounts *a, const char *column, const char *value,
                    char until[RECORD_TIME_MAX])
{
    char since[RECORD_TIME_MAX], sql[256];
    sqlite3_stmt *st;
    int n = -1;

    record_time(time(NULL) - ACCOUNTS_WINDOW_S, since);
    snprintf(sql, sizeof sql, "SELECT count(*), strftime('%%Y-%%m-%%dT"
             "%%H:%%M:%%SZ', min(at), '+" IVR_STR(ACCOUNTS_WINDOW_S)
             " seconds') FROM sign_ins WHERE %s = ? AND at > ? AND result "
             "!= 'signed in'", column);
    if (sqlite3_prepare_v2(a->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, since, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        n = sqlite3_column_int(st, 0);
        snprintf(until, RECORD_TIME_MAX, "%s",
                 sqlite3_column_text(st, 1)
                     ? (const char *)sqlite3_column_text(st, 1) : "later");
    }
    sqlite3_finalize(st);
    return n;
}

static void log_sign_in(accounts *a, const char *name, const char *address,
                        const char *result)
{
    char now[RECORD_TIME_MAX];
    sqlite3_stmt *st;

    record_time(time(NULL), now);
    if (sqlite3_prepare_v2(a->db, "INSERT INTO sign_ins(at, name, address, "
                           "result) VALUES(?, substr(?, 1, 64), ?, ?)", -1,
                           &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, address, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, result, -1, SQLITE_STATIC);
    sqlite3_step(st);
    sqlite3_finalize(st);
}

int accounts_sign_in(accounts *a, const char *name, const char *password,
                     const char *address, account_role *role,
                     ivr_error *err)
{
    char hash[crypto_pwhash_STRBYTES] = "", until[RECORD_TIME_MAX];
    char role_text[16] = "";
    sqlite3_stmt *st;
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
    if (sqlite3_prepare_v2(a->db, "SELECT hash, role FROM accounts WHERE "
                           "name = ?", -1, &st, NULL) != SQLITE_OK)
        return db_error(a, err);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(hash, sizeof hash, "%s", sqlite3_column_text(st, 0));
        snprintf(role_text, sizeof role_text, "%s",
                 sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
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
    sqlite3_stmt *st;
    int yes = 0;

    if (sqlite3_prepare_v2(a->db, "SELECT promotions FROM accounts WHERE "
                           "name = ? AND role = 'merchant'", -1, &st,
                           NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, merchant, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *list = (const char *)sqlite3_column_text(st, 0);
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
    sqlite3_finalize(st);
    return yes;
}

int accounts_set_phone(accounts *a, const char *name, const char *phone,
                       ivr_error *err)
{
    sqlite3_stmt *st;
    size_t i, n = strlen(phone);
    int rc;

    /* E.164: +, then 7 to 15 digits */
    for (i = 1; i < n && isdigit((unsigned char)phone[i]); i++)
        ;
    if (n && (phone[0] != '+' || i != n || n < 8 || n > 16))
        return ivr_error_set(err, IVR_EINPUT, "'%s' is not an E.164 number "
                             "(+ and 7 to 15 digits, such as +15550104477)",
                             phone);
    if (sqlite3_prepare_v2(a->db, "UPDATE accounts SET phone = ? WHERE name "
                           "= ? AND role = 'merchant'", -1, &st, NULL) !=
        SQLITE_OK)
        return db_error(a, err);
    sqlite3_bind_text(st, 1, phone, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(a, err);
    return sqlite3_changes(a->db) ? IVR_OK
           : ivr_error_set(err, IVR_EINPUT, "no merchant '%s'", name);
}

int accounts_merchant_by_phone(accounts *a, const char *phone, char *name,
                               size_t size, ivr_error *err)
{
    sqlite3_stmt *st;
    int rc;

    if (!*phone)
        return ivr_error_set(err, IVR_EFAIL, "no number");
    if (sqlite3_prepare_v2(a->db, "SELECT name FROM accounts WHERE phone = ? "
                           "AND role = 'merchant'", -1, &st, NULL) !=
        SQLITE_OK)
        return db_error(a, err);
    sqlite3_bind_text(st, 1, phone, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(name, size, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return IVR_OK;
    return rc == SQLITE_DONE ? ivr_error_set(err, IVR_EFAIL, "%s is no "
                                             "merchant's number", phone)
                             : db_error(a, err);
}
