/*
 * test_files.c: where the toolkit keeps a user's files (fs.h), and the
 * SQLite record the SMS sender and coupon store share (record.h).
 */
#include "fs.h"
#include "record.h"
#include "tap.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_user_paths(void)
{
    char out[256];
    const struct passwd *pw = getpwuid(getuid());
    char want[512];

    setenv("HOME", "/home/ana", 1);
    setenv("XDG_CACHE_HOME", "/var/cache/ana", 1);
    ok(fs_user_path(FS_CACHE, "tts", out, sizeof out) == 0 &&
           !strcmp(out, "/var/cache/ana/ivrkit/tts"),
       "an absolute XDG_CACHE_HOME holds the prompt cache (%s)", out);
    setenv("XDG_CACHE_HOME", "relative/cache", 1);
    ok(fs_user_path(FS_CACHE, "tts", out, sizeof out) == 0 &&
           !strcmp(out, "/home/ana/.cache/ivrkit/tts"),
       "a relative XDG_CACHE_HOME is ignored, as the XDG spec says (%s)",
       out);
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("XDG_DATA_HOME");
    unsetenv("XDG_STATE_HOME");
    ok(fs_user_path(FS_CONFIG, "sms.conf", out, sizeof out) == 0 &&
           !strcmp(out, "/home/ana/.config/ivrkit/sms.conf"),
       "settings default to ~/.config/ivrkit (%s)", out);
    ok(fs_user_path(FS_DATA, "ivrkit.sqlite", out, sizeof out) == 0 &&
           !strcmp(out, "/home/ana/.local/share/ivrkit/ivrkit.sqlite"),
       "the record defaults to ~/.local/share/ivrkit (%s)", out);
    ok(fs_user_path(FS_STATE, "console_history", out, sizeof out) == 0 &&
           !strcmp(out, "/home/ana/.local/state/ivrkit/console_history"),
       "console history defaults to ~/.local/state/ivrkit (%s)", out);
    unsetenv("HOME");
    snprintf(want, sizeof want, "%s/.config/ivrkit/sms.conf",
             pw ? pw->pw_dir : "?");
    ok(pw && fs_user_path(FS_CONFIG, "sms.conf", out, sizeof out) == 0 &&
           !strcmp(out, want),
       "without HOME the password database names the home folder (%s)",
       out);
    setenv("HOME", "/home/ana", 1);
    errno = 0;
    ok(fs_user_path(FS_DATA, "ivrkit.sqlite", out, 20) == -1 &&
           errno == ENAMETOOLONG,
       "a path that does not fit is an error, not a cut name");
}

static void test_join_path(void)
{
    char *p;

    p = fs_join_path("menus", "bank.ivr");
    ok(p && !strcmp(p, "menus/bank.ivr"), "a name joins its folder (%s)", p);
    free(p);
    p = fs_join_path("menus", "/srv/bank.ivr");
    ok(p && !strcmp(p, "/srv/bank.ivr"), "an absolute name stays (%s)", p);
    free(p);
    p = fs_join_path("", "bank.ivr");
    ok(p && !strcmp(p, "bank.ivr"),
       "an empty folder is the working directory (%s)", p);
    free(p);
}

static void test_record(void)
{
    char dir[] = "/tmp/ivr-files-XXXXXX", path[128], when[RECORD_TIME_MAX];
    ivr_error err;
    record *db;
    time_t t;

    record_time(0, when);
    ok(!strcmp(when, "1970-01-01T00:00:00Z"), "record times are UTC ISO 8601 "
       "(%s)", when);
    record_time(1796184000, when);
    ok(!strcmp(when, "2026-12-02T04:00:00Z"), "and sort as text (%s)", when);
    ok(record_time_parse(when, &t) == 0 && t == 1796184000,
       "a record time reads back as the same instant");
    ok(record_time_parse("2026-12-02 04:00:00", &t) == -1 &&
           record_time_parse("2026-12-02T04:00:00Z junk", &t) == -1 &&
           record_time_parse(NULL, &t) == -1,
       "anything else is not a record time");
    ok(record_is_server("postgresql://shop@db.example/ivrkit") &&
           record_is_server("postgres:///ivrkit?host=/run/pg") &&
           !record_is_server("/var/lib/ivrkit/postgresql://x") &&
           !record_is_server("ivrkit.sqlite"),
       "a PostgreSQL URL is a server, any other text a file");
    if (!mkdtemp(dir)) {
        ok(0, "mkdtemp");
        return;
    }
    snprintf(path, sizeof path, "%s/a/b/ivrkit.sqlite", dir);
    db = record_open(path, "CREATE TABLE IF NOT EXISTS t(x);", &err);
    ok(db && access(path, F_OK) == 0,
       "the record's folders are made when it is first opened");
    ok(db && record_add_column(db, "t", "y", "TEXT NOT NULL DEFAULT ''") ==
                 RECORD_DONE && record_has_column(db, "t", "y") == 1 &&
           record_add_column(db, "t", "y", "TEXT") == RECORD_DONE,
       "a column an older record lacks is added, once");
    ok(db && record_has_column(db, "nothing", "y") == 0,
       "a table that is not there has no columns");
    record_close(db);
    db = record_open(path, "CREATE TABLE t(x);", &err);
    ok(!db && err.status == IVR_EOUTPUT &&
           !strncmp(err.message, path, strlen(path)) &&
           strstr(err.message, "table t already exists"),
       "a schema that fails names the file and why (%s)", err.message);
    snprintf(path, sizeof path, "%s/a/b/ivrkit.sqlite/x.sqlite", dir);
    db = record_open(path, "CREATE TABLE IF NOT EXISTS t(x);", &err);
    ok(!db && err.status == IVR_EOUTPUT &&
           !strncmp(err.message, path, strlen(path)),
       "a file that cannot be opened is named (%s)", err.message);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    if (system(path) != 0)
        diag("could not remove %s", dir);
}

int main(void)
{
    test_user_paths();
    test_join_path();
    test_record();
    return tap_done();
}
