/*
 * record_postgres.c: the record in PostgreSQL, for several hosts writing
 * to one record (many shops, several web servers). libpq is loaded on
 * first use, as libcurl is: a command on a SQLite record never pays for
 * it, nor for its dependencies (Kerberos, LDAP, OpenSSL).
 *
 * Exactly once needs no lock of ours: the redemption's UPDATE ... WHERE
 * redeemed IS NULL takes the row's lock, and of two sessions updating one
 * row the second waits for the first to commit, then reads the row again
 * (READ COMMITTED) and finds it redeemed.
 */
#include "record_engine.h"
#include "lazy.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct pq_table {
    PGconn *(*connectdb)(const char *conninfo);
    ConnStatusType (*status)(const PGconn *conn);
    char *(*error_message)(const PGconn *conn);
    void (*finish)(PGconn *conn);
    void (*reset)(PGconn *conn);
    PGresult *(*exec)(PGconn *conn, const char *query);
    PGresult *(*exec_params)(PGconn *conn, const char *command, int n,
                             const Oid *types, const char *const *values,
                             const int *lengths, const int *formats,
                             int result_format);
    ExecStatusType (*result_status)(const PGresult *res);
    char *(*result_error_field)(const PGresult *res, int code);
    int (*ntuples)(const PGresult *res);
    char *(*getvalue)(const PGresult *res, int row, int column);
    int (*getisnull)(const PGresult *res, int row, int column);
    char *(*cmd_tuples)(PGresult *res);
    void (*clear)(PGresult *res);
    PQnoticeProcessor (*set_notice_processor)(PGconn *conn,
                                              PQnoticeProcessor fn,
                                              void *arg);
} pq;

static int pq_load(ivr_error *err)
{
#define SYM(name, member) {name, offsetof(struct pq_table, member)}
    static const lazy_symbol syms[] = {
        SYM("PQconnectdb", connectdb),
        SYM("PQstatus", status),
        SYM("PQerrorMessage", error_message),
        SYM("PQfinish", finish),
        SYM("PQreset", reset),
        SYM("PQexec", exec),
        SYM("PQexecParams", exec_params),
        SYM("PQresultStatus", result_status),
        SYM("PQresultErrorField", result_error_field),
        SYM("PQntuples", ntuples),
        SYM("PQgetvalue", getvalue),
        SYM("PQgetisnull", getisnull),
        SYM("PQcmdTuples", cmd_tuples),
        SYM("PQclear", clear),
        SYM("PQsetNoticeProcessor", set_notice_processor),
    };
#undef SYM
    static int status = -1;

    return lazy_load_once(&status, "libpq.so.5", "libpq5", syms,
                          sizeof syms / sizeof *syms, &pq, err);
}

/* "relation already exists, skipping" and the like: libpq would print
 * them on stderr, between a command's own lines */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* A result's outcome: RECORD_DONE, RECORD_ROW (rows to read), or a
 * failure with its message; res is cleared unless rows came. */
static int outcome(record *r, PGresult *res)
{
    ExecStatusType st = res ? pq.result_status(res) : PGRES_FATAL_ERROR;
    const char *state;
    int rc;

    if (st == PGRES_COMMAND_OK) {
        r->changes = strtoll(pq.cmd_tuples(res), NULL, 10);
        pq.clear(res);
        return RECORD_DONE;
    }
    if (st == PGRES_TUPLES_OK)
        return RECORD_ROW;
    state = res ? pq.result_error_field(res, PG_DIAG_SQLSTATE) : NULL;
    record_failed(r, res ? pq.result_error_field(res, PG_DIAG_MESSAGE_PRIMARY)
                         : pq.error_message(r->handle));
    /* 23505: unique_violation */
    rc = state && !strcmp(state, "23505") ? RECORD_CONFLICT : RECORD_FAILED;
    if (res)
        pq.clear(res);
    return rc;
}

/* A server that restarted, or a connection a firewall dropped: one try
 * to connect again before a statement, rather than fail every one after. */
static void reconnect_if_lost(record *r)
{
    if (pq.status(r->handle) == CONNECTION_BAD)
        pq.reset(r->handle);
}

static int pg_exec(record *r, const char *sql)
{
    PGresult *res;
    int rc;

    reconnect_if_lost(r);
    res = pq.exec(r->handle, sql);
    rc = outcome(r, res);
    if (rc == RECORD_ROW) {
        /* a SELECT run for its effect (the schema's lock) */
        pq.clear(res);
        return RECORD_DONE;
    }
    return rc == RECORD_CONFLICT ? RECORD_FAILED : rc;
}

static int pg_open(record *r, const char *where, const char *schema,
                   ivr_error *err)
{
    char *sql;
    int rc;

    if (pq_load(err) != IVR_OK)
        return err->status;
    r->handle = pq.connectdb(where);
    if (!r->handle || pq.status(r->handle) != CONNECTION_OK) {
        record_failed(r, r->handle ? pq.error_message(r->handle)
                                   : "out of memory");
        return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", r->name,
                             r->errmsg);
    }
    pq.set_notice_processor(r->handle, quiet, NULL);
    /* Two hosts starting at once would both create the tables, and one
     * would fail on PostgreSQL's catalogue: the schema is made under a
     * lock held until COMMIT. */
    if (!(sql = malloc(strlen(schema) + 128)))
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    sprintf(sql, "BEGIN; SELECT pg_advisory_xact_lock(%d); %s; COMMIT;",
            0x69767220 /* "ivr " */, schema);
    rc = pg_exec(r, sql);
    free(sql);
    if (rc != RECORD_DONE) {
        ivr_error_set(err, IVR_EOUTPUT, "%s: %s", r->name, r->errmsg);
        pq.clear(pq.exec(r->handle, "ROLLBACK"));
        return err->status;
    }
    return IVR_OK;
}

static void pg_close(record *r)
{
    pq.finish(r->handle);
}

static int pg_has_column(record *r, const char *table, const char *column)
{
    const char *values[2] = {table, column};
    PGresult *res;
    int found;

    reconnect_if_lost(r);
    res = pq.exec_params(r->handle, "SELECT 1 FROM information_schema.columns "
                         "WHERE table_schema = current_schema() AND "
                         "table_name = $1 AND column_name = $2", 2, NULL,
                         values, NULL, NULL, 0);
    if (outcome(r, res) != RECORD_ROW)
        return -1;
    found = pq.ntuples(res) > 0;
    pq.clear(res);
    return found;
}

/* '?' becomes $1, $2 ...; a '?' inside quotes stays. */
static int pg_prepare(record_query *q, const char *sql)
{
    size_t n = strlen(sql);
    char *out = malloc(n * 3 + 1), *o = out;
    int quoted = 0, k = 0;

    if (!out)
        return record_failed(q->r, "out of memory");
    for (; *sql; sql++) {
        if (*sql == '\'')
            quoted = !quoted;
        if (*sql == '?' && !quoted)
            o += sprintf(o, "$%d", ++k);
        else
            *o++ = *sql;
    }
    *o = '\0';
    q->sql = out;
    return RECORD_DONE;
}

static int pg_step(record_query *q)
{
    PGresult *res = q->handle;
    int rc;

    if (q->row < 0) {
        reconnect_if_lost(q->r);
        res = pq.exec_params(q->r->handle, q->sql, q->nparams, NULL,
                             (const char *const *)q->params, NULL, NULL, 0);
        if ((rc = outcome(q->r, res)) != RECORD_ROW) {
            q->row = 0;
            return rc;
        }
        q->handle = res;
    }
    if (!res)
        return RECORD_DONE;
    if (++q->row >= pq.ntuples(res))
        return RECORD_DONE;
    return RECORD_ROW;
}

static const char *pg_column_text(record_query *q, int column)
{
    if (!q->handle || q->row < 0 || q->row >= pq.ntuples(q->handle) ||
        pq.getisnull(q->handle, q->row, column))
        return NULL;
    return pq.getvalue(q->handle, q->row, column);
}

static void pg_finalize(record_query *q)
{
    if (q->handle)
        pq.clear(q->handle);
}

const record_engine record_postgres = {
    pg_open,
    pg_close,
    pg_exec,
    pg_has_column,
    "BEGIN",
    "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    pg_prepare,
    pg_step,
    pg_column_text,
    pg_finalize,
};
