/*
 * record_sqlite.c: the record in a SQLite file, the embedded default.
 *
 * SQLite serialises writers: with WAL, readers do not wait for them, and a
 * writer waits up to RECORD_BUSY_MS for another before it gives up.
 */
#include "record_engine.h"
#include "fs.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Long enough for a burst of concurrent redemptions to queue, short enough
 * that a stuck writer is reported rather than waited on forever. */
#define RECORD_BUSY_MS 10000

static int sqlite_open(record *r, const char *where, const char *schema,
                       ivr_error *err)
{
    sqlite3 *db = NULL;
    char *msg = NULL;

    fs_make_parents(where); /* sqlite says it if that failed */
    if (sqlite3_open(where, &db) != SQLITE_OK) {
        ivr_error_set(err, IVR_EOUTPUT, "%s: %s", where,
                      db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        return err->status;
    }
    r->handle = db;
    sqlite3_busy_timeout(db, RECORD_BUSY_MS);
    if (sqlite3_exec(db, "PRAGMA journal_mode=WAL;", NULL, NULL, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(db, schema, NULL, NULL, &msg) != SQLITE_OK) {
        ivr_error_set(err, IVR_EOUTPUT, "%s: %s", where,
                      msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return err->status;
    }
    return IVR_OK;
}

static void sqlite_close(record *r)
{
    sqlite3_close(r->handle);
}

static int sqlite_exec(record *r, const char *sql)
{
    if (sqlite3_exec(r->handle, sql, NULL, NULL, NULL) != SQLITE_OK)
        return record_failed(r, sqlite3_errmsg(r->handle));
    r->changes = sqlite3_changes(r->handle);
    return RECORD_DONE;
}

static int sqlite_has_column(record *r, const char *table, const char *column)
{
    char sql[256];
    sqlite3_stmt *st;
    int found = 0;

    snprintf(sql, sizeof sql, "PRAGMA table_info(\"%s\")", table);
    if (sqlite3_prepare_v2(r->handle, sql, -1, &st, NULL) != SQLITE_OK) {
        record_failed(r, sqlite3_errmsg(r->handle));
        return -1;
    }
    while (sqlite3_step(st) == SQLITE_ROW)
        found |= !strcmp((const char *)sqlite3_column_text(st, 1), column);
    sqlite3_finalize(st);
    return found;
}

static int sqlite_prepare(record_query *q, const char *sql)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(q->r->handle, sql, -1, &st, NULL) != SQLITE_OK)
        return record_failed(q->r, sqlite3_errmsg(q->r->handle));
    q->handle = st;
    return RECORD_DONE;
}

static int sqlite_step(record_query *q)
{
    sqlite3_stmt *st = q->handle;
    int i, rc;

    if (q->row < 0) {
        /* the parameters live as long as the query: no copies here */
        for (i = 0; i < q->nparams; i++)
            if (!q->params[i])
                sqlite3_bind_null(st, i + 1);
            else if (q->ints & (1u << i))
                sqlite3_bind_int64(st, i + 1, strtoll(q->params[i], NULL, 10));
            else
                sqlite3_bind_text(st, i + 1, q->params[i], -1, SQLITE_STATIC);
        q->row = 0;
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return RECORD_ROW;
    if (rc == SQLITE_DONE) {
        q->r->changes = sqlite3_changes(q->r->handle);
        return RECORD_DONE;
    }
    record_failed(q->r, sqlite3_errmsg(q->r->handle));
    return (rc & 0xff) == SQLITE_CONSTRAINT ? RECORD_CONFLICT : RECORD_FAILED;
}

static const char *sqlite_column_text(record_query *q, int column)
{
    return (const char *)sqlite3_column_text(q->handle, column);
}

static void sqlite_finalize(record_query *q)
{
    sqlite3_finalize(q->handle);
}

const record_engine record_sqlite = {
    sqlite_open,
    sqlite_close,
    sqlite_exec,
    sqlite_has_column,
    /* IMMEDIATE: the write lock at once */
    "BEGIN IMMEDIATE",
    "INTEGER PRIMARY KEY",
    sqlite_prepare,
    sqlite_step,
    sqlite_column_text,
    sqlite_finalize,
};
