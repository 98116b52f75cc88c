/*
 * record.h: the SQLite file the SMS sender and the coupon store share
 * (internal to core). One way to open it, one way to write its times, so a
 * row the sender wrote and a row the store wrote read the same.
 */
#ifndef IVR_RECORD_H
#define IVR_RECORD_H

#include "error.h"

#include <sqlite3.h>
#include <time.h>

/* "2026-12-02T03:10:00Z": UTC, so records sort as text and compare across
 * machines in different zones. */
#define RECORD_TIME_MAX 32
void record_time(time_t t, char out[RECORD_TIME_MAX]);

/* Opens path (making its folders), waits up to 10 s for another writer,
 * and runs schema (CREATE ... IF NOT EXISTS statements). NULL with
 * IVR_EOUTPUT "path: why" in err. */
sqlite3 *record_open(const char *path, const char *schema, ivr_error *err);

#endif
