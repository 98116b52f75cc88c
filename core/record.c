/*
 * record.c: opening the shared SQLite file, and its timestamps.
 */
#include "record.h"
#include "fs.h"

/* Long enough for a burst of concurrent redemptions to queue, short enough
 * that a stuck writer is reported rather than waited on forever. */
#define RECORD_BUSY_MS 10000

void record_time(time_t t, char out[RECORD_TIME_MAX])
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, RECORD_TIME_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

sqlite3 *record_open(const char *path, const char *schema, ivr_error *err)
{
    sqlite3 *db = NULL;
    char *msg = NULL;

    fs_make_parents(path); /* sqlite says it if that failed */
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        ivr_error_set(err, IVR_EOUTPUT, "%s: %s", path,
                      db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, RECORD_BUSY_MS);
    if (sqlite3_exec(db, schema, NULL, NULL, &msg) != SQLITE_OK) {
        ivr_error_set(err, IVR_EOUTPUT, "%s: %s", path,
                      msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        sqlite3_close(db);
        return NULL;
    }
    return db;
}
