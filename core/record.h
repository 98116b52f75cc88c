/*
 * record.h: the record the SMS sender, the coupon store and the merchant
 * site's accounts share (internal to core): a SQLite file by default, or a
 * PostgreSQL database when several hosts write to it.
 *
 * The modules write one SQL for both: '?' for parameters, {id} for a
 * table's own row number in a schema, nothing either engine lacks. A
 * statement is prepared, bound, stepped and finalised as in SQLite; every
 * value goes in and comes out as text (or a NULL).
 */
#ifndef IVR_RECORD_H
#define IVR_RECORD_H

#include "error.h"

#include <time.h>

typedef struct record record;
typedef struct record_query record_query;

/* "2026-12-02T03:10:00Z": UTC, so records sort as text and compare across
 * machines in different zones. */
#define RECORD_TIME_MAX 32
void record_time(time_t t, char out[RECORD_TIME_MAX]);
/* The reverse: 0, or -1 when text is not such a time. */
int record_time_parse(const char *text, time_t *t);

/* A PostgreSQL connection string ("postgresql://..." or "postgres://...")
 * rather than a file's path. */
int record_is_server(const char *where);

/* Opens where (a file, making its folders, or a server), and runs schema
 * (CREATE ... IF NOT EXISTS statements). NULL with IVR_EOUTPUT "where:
 * why" in err, or IVR_EMISSING when libpq is not installed. */
record *record_open(const char *where, const char *schema, ivr_error *err);
void record_close(record *r);

/* where, as messages may show it: a server's password left out. */
const char *record_name(const record *r);
/* What the last failure was, on one line. */
const char *record_errmsg(const record *r);

/* 1 when table has column, 0 when not (or there is no such table), -1
 * on a failure. */
int record_has_column(record *r, const char *table, const char *column);

/* Adds a column a record from an older version lacks; RECORD_DONE or
 * RECORD_FAILED. */
int record_add_column(record *r, const char *table, const char *column,
                      const char *declaration);

/* Statements without parameters, ';'-separated: RECORD_DONE or
 * RECORD_FAILED. */
int record_exec(record *r, const char *sql);

/* A write transaction: taken at once, so that two writers wait for each
 * other at its start rather than fail half way. */
int record_begin(record *r);
int record_commit(record *r);

#define RECORD_DONE 0
#define RECORD_ROW 1
#define RECORD_CONFLICT 2   /* a row with that key is already there */
#define RECORD_FAILED 3     /* see record_errmsg */

/* NULL when sql does not compile (see record_errmsg). */
record_query *record_prepare(record *r, const char *sql);
/* Parameters count from 1; a NULL text is SQL's NULL. Values are copied. */
void record_bind_text(record_query *q, int i, const char *value);
void record_bind_int(record_query *q, int i, long long value);
/* RECORD_ROW while rows come, then RECORD_DONE; or a failure. */
int record_step(record_query *q);
/* Columns count from 0; NULL for SQL's NULL. */
const char *record_column_text(record_query *q, int column);
long long record_column_int(record_query *q, int column);
void record_finalize(record_query *q);

/* Rows the last INSERT, UPDATE or DELETE changed. */
long long record_changes(const record *r);

#endif
