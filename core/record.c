/*
 * record.c: the record's common part: choosing the engine, the schema's
 * {id}, parameters, names and times. The engines are record_sqlite.c and
 * record_postgres.c.
 */
#include "record_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void record_time(time_t t, char out[RECORD_TIME_MAX])
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, RECORD_TIME_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar (H.
 * Hinnant's days_from_civil): UTC needs no time zone, and timegm is not
 * POSIX. */
static long days_from_civil(long y, long m, long d)
{
    long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int record_time_parse(const char *text, time_t *t)
{
    int y, mo, d, h, mi, s, n = 0;

    if (!text || sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h,
                        &mi, &s, &n) != 6 || n == 0 || text[n] != '\0' ||
        mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return -1;
    *t = (time_t)(days_from_civil(y, mo, d) * 86400L + h * 3600L +
                  mi * 60L + s);
    return 0;
}

int record_is_server(const char *where)
{
    return !strncmp(where, "postgresql://", 13) ||
           !strncmp(where, "postgres://", 11);
}

/* "postgresql://ana:secret@db/x" is shown as "postgresql://ana@db/x": a
 * message, a log or a page must never carry the password. */
static void public_name(const char *where, char *out, size_t size)
{
    const char *scheme = strstr(where, "://"), *at, *colon;

    snprintf(out, size, "%s", where);
    if (!scheme)
        return;
    scheme += 3;
    at = strchr(scheme, '@');
    colon = strchr(scheme, ':');
    if (at && colon && colon < at &&
        !memchr(scheme, '/', (size_t)(at - scheme)))
        snprintf(out, size, "%.*s%s", (int)(colon - where), where, at);
    /* a password in the query part ("?password=...") is cut off whole */
    if ((at = strstr(out, "password=")) != NULL)
        snprintf(out + (at - out), size - (size_t)(at - out), "password=...");
}

/* The schema with each {id} in the engine's words. */
static char *schema_for(const record_engine *e, const char *schema)
{
    size_t n = strlen(schema) + 1, idn = strlen(e->id_sql);
    const char *p;
    char *out, *o;

    for (p = schema; (p = strstr(p, "{id}")) != NULL; p += 4)
        n += idn;
    if (!(out = malloc(n)))
        return NULL;
    for (o = out, p = schema; *p;) {
        if (!strncmp(p, "{id}", 4)) {
            memcpy(o, e->id_sql, idn);
            o += idn;
            p += 4;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

record *record_open(const char *where, const char *schema, ivr_error *err)
{
    record *r = calloc(1, sizeof *r);
    char *sql;
    int rc;

    if (!r) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    r->engine = record_is_server(where) ? &record_postgres : &record_sqlite;
    public_name(where, r->name, sizeof r->name);
    if (!(sql = schema_for(r->engine, schema))) {
        free(r);
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    rc = r->engine->open(r, where, sql, err);
    free(sql);
    if (rc != IVR_OK) {
        record_close(r);
        return NULL;
    }
    return r;
}

void record_close(record *r)
{
    if (!r)
        return;
    if (r->handle)
        r->engine->close(r);
    free(r);
}

const char *record_name(const record *r)
{
    return r->name;
}

const char *record_errmsg(const record *r)
{
    return r->errmsg;
}

int record_failed(record *r, const char *text)
{
    size_t n;

    snprintf(r->errmsg, sizeof r->errmsg, "%s", text ? text : "failed");
    /* libpq's messages end in a newline, some run to a second line */
    n = strcspn(r->errmsg, "\n");
    r->errmsg[n] = '\0';
    return RECORD_FAILED;
}

int record_exec(record *r, const char *sql)
{
    return r->engine->exec(r, sql);
}

int record_has_column(record *r, const char *table, const char *column)
{
    return r->engine->has_column(r, table, column);
}

int record_add_column(record *r, const char *table, const char *column,
                      const char *declaration)
{
    char sql[512];
    int found = r->engine->has_column(r, table, column);

    if (found < 0)
        return RECORD_FAILED;
    if (found)
        return RECORD_DONE;
    snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN %s %s", table,
             column, declaration);
    return record_exec(r, sql);
}

int record_begin(record *r)
{
    return record_exec(r, r->engine->begin_sql);
}

int record_commit(record *r)
{
    return record_exec(r, "COMMIT");
}

record_query *record_prepare(record *r, const char *sql)
{
    record_query *q = calloc(1, sizeof *q);

    if (!q) {
        record_failed(r, "out of memory");
        return NULL;
    }
    q->r = r;
    q->row = -1;
    if (r->engine->prepare(q, sql) != RECORD_DONE) {
        record_finalize(q);
        return NULL;
    }
    return q;
}

void record_bind_text(record_query *q, int i, const char *value)
{
    if (i < 1 || i > RECORD_MAX_PARAMS)
        return;
    free(q->params[i - 1]);
    q->params[i - 1] = value ? strdup(value) : NULL;
    /* not a NULL in its place: the statement fails when stepped */
    q->lost |= value && !q->params[i - 1];
    q->ints &= ~(1u << (i - 1));
    if (i > q->nparams)
        q->nparams = i;
}

void record_bind_int(record_query *q, int i, long long value)
{
    char text[32];

    snprintf(text, sizeof text, "%lld", value);
    record_bind_text(q, i, text);
    if (i >= 1 && i <= RECORD_MAX_PARAMS)
        q->ints |= 1u << (i - 1);
}

int record_step(record_query *q)
{
    if (q->lost)
        return record_failed(q->r, "out of memory");
    return q->r->engine->step(q);
}

const char *record_column_text(record_query *q, int column)
{
    return q->r->engine->column_text(q, column);
}

long long record_column_int(record_query *q, int column)
{
    const char *text = record_column_text(q, column);

    return text ? strtoll(text, NULL, 10) : 0;
}

void record_finalize(record_query *q)
{
    int i;

    if (!q)
        return;
    q->r->engine->finalize(q);
    for (i = 0; i < RECORD_MAX_PARAMS; i++)
        free(q->params[i]);
    free(q->sql);
    free(q);
}

long long record_changes(const record *r)
{
    return r->changes;
}
