/*
 * record_engine.h: what record.c asks of SQLite and of PostgreSQL
 * (internal to record*.c). Each engine fills one table; record.c holds
 * what both share (the public structs, parameters, names).
 */
#ifndef IVR_RECORD_ENGINE_H
#define IVR_RECORD_ENGINE_H

#include "record.h"

#define RECORD_MAX_PARAMS 16

struct record {
    const struct record_engine *engine;
    void *handle;                 /* sqlite3 *, or PGconn * */
    long long changes;
    char name[1024];              /* where, without a password */
    char errmsg[512];
};

struct record_query {
    record *r;
    void *handle;                 /* sqlite3_stmt *, or PGresult * */
    char *sql;                    /* PostgreSQL: with $1, $2 ... */
    char *params[RECORD_MAX_PARAMS];
    unsigned ints;                /* bit i-1: parameter i is a number */
    int nparams, row;
    int lost;                     /* a value could not be copied */
};

typedef struct record_engine {
    /* r->name is set; schema has its {id} in this engine's words */
    int (*open)(record *r, const char *where, const char *schema,
                ivr_error *err);
    void (*close)(record *r);
    int (*exec)(record *r, const char *sql);
    int (*has_column)(record *r, const char *table, const char *column);
    const char *begin_sql;
    const char *id_sql;           /* what {id} stands for */
    int (*prepare)(record_query *q, const char *sql);
    int (*step)(record_query *q);
    const char *(*column_text)(record_query *q, int column);
    void (*finalize)(record_query *q);
} record_engine;

extern const record_engine record_sqlite;
extern const record_engine record_postgres;

/* Sets r->errmsg from text, on one line. RECORD_FAILED. */
int record_failed(record *r, const char *text);

#endif
