/*
 * sms.c: the configuration, the record of sends in SQLite, and sending
 * with retries through the backend.
 */
#include "sms.h"
#include "transcript.h"
#include "sms_backend.h"
#include "curl_api.h"
#include "fs.h"
#include "record.h"

#include <ctype.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* The backends, by name: the one try each makes of a message (the outbox
 * makes none: it stores). */
typedef sms_outcome (*sms_send_fn)(const sms_config *c, const sms_try *m,
                                   char *answer, size_t size);

typedef struct sms_backend {
    const char *name;
    sms_send_fn send;
} sms_backend;

static const sms_backend backends[] = {
    {"outbox", NULL},
    {"kannel", sms_kannel_send},
    {"http", sms_http_send},
};

static const sms_backend *backend_named(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof backends / sizeof *backends; i++)
        if (!strcmp(backends[i].name, name))
            return &backends[i];
    return NULL;
}

struct sms_sender {
    sms_config c;
    const sms_backend *backend;
    record *db;
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS messages("
    " id {id}, key TEXT UNIQUE NOT NULL,"
    " created TEXT NOT NULL, updated TEXT NOT NULL, backend TEXT NOT NULL,"
    " sender TEXT, recipient TEXT NOT NULL, body TEXT NOT NULL,"
    " encoding TEXT NOT NULL, parts INTEGER NOT NULL,"
    " status TEXT NOT NULL, attempts INTEGER NOT NULL, answer TEXT);";

/* ------------------------------------------------------------------------
 * Configuration
 */

void sms_default_db(char *out, size_t size)
{
    /* no home at all: the working directory, where the user will see it */
    if (fs_user_path(FS_DATA, "ivrkit.sqlite", out, size) != 0)
        snprintf(out, size, "ivrkit.sqlite");
}

static int set_key(sms_config *c, const char *key, const char *value)
{
    static const struct {
        const char *name;
        size_t off, size;
    } strings[] = {
        {"backend", offsetof(sms_config, backend), sizeof(((sms_config *)0)->backend)},
        {"db", offsetof(sms_config, db), sizeof(((sms_config *)0)->db)},
        {"url", offsetof(sms_config, url), sizeof(((sms_config *)0)->url)},
        {"user", offsetof(sms_config, user), sizeof(((sms_config *)0)->user)},
        {"password", offsetof(sms_config, password), sizeof(((sms_config *)0)->password)},
        {"from", offsetof(sms_config, from), sizeof(((sms_config *)0)->from)},
        {"format", offsetof(sms_config, format), sizeof(((sms_config *)0)->format)},
        {"to_field", offsetof(sms_config, to_field), sizeof(((sms_config *)0)->to_field)},
        {"from_field", offsetof(sms_config, from_field), sizeof(((sms_config *)0)->from_field)},
        {"text_field", offsetof(sms_config, text_field), sizeof(((sms_config *)0)->text_field)},
        {"dlr_url", offsetof(sms_config, dlr_url), sizeof(((sms_config *)0)->dlr_url)},
    };
    size_t i;

    for (i = 0; i < sizeof strings / sizeof *strings; i++)
        if (!strcmp(key, strings[i].name)) {
            /* cut short, a password or a URL would be another one */
            if (strlen(value) >= strings[i].size)
                return -2;
            memcpy((char *)c + strings[i].off, value, strlen(value) + 1);
            return 0;
        }
    if (!strcmp(key, "retries")) {
        c->retries = atoi(value);
        return c->retries < 0 || c->retries > 10 ? -1 : 0;
    }
    if (!strcmp(key, "timeout")) {
        c->timeout = atof(value);
        return c->timeout <= 0 ? -1 : 0;
    }
    return -1;
}

static int read_file(sms_config *c, const char *path, int must,
                     ivr_error *err)
{
    FILE *f;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    struct stat st;
    int n = 0, rc;

    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return ivr_error_set(err, IVR_EINPUT, "%s: not a configuration file "
                             "(a folder?)", path);
    if (!(f = fopen(path, "r")))
        return must ? ivr_error_set(err, IVR_EINPUT, "%s:", path) : IVR_OK;
    /* whole lines, however long: a line cut in two would make its tail a
     * line of its own, and print it (a password) in an error */
    while ((len = getline(&line, &cap, f)) >= 0) {
        char *key = line, *eq, *v, *end;
        n++;
        if (len > 4096) {
            fclose(f);
            free(line);
            return ivr_error_set(err, IVR_EINPUT, "%s:%d: a line of %zd "
                                 "characters (at most 4096)", path, n, len);
        }
        while (isspace((unsigned char)*key))
            key++;
        if (!*key || *key == '#')
            continue;
        eq = strchr(key, '=');
        if (!eq) {
            fclose(f);
            free(line);
            return ivr_error_set(err, IVR_EINPUT, "%s:%d: expected 'key = "
                                 "value'", path, n);
        }
        for (end = eq; end > key && isspace((unsigned char)end[-1]); end--)
            ;
        *end = '\0';
        for (v = eq + 1; isspace((unsigned char)*v); v++)
            ;
        for (end = v + strlen(v); end > v && isspace((unsigned char)end[-1]);
             end--)
            ;
        *end = '\0';
        if ((rc = set_key(c, key, v)) != 0) {
            fclose(f);
            if (rc == -2)
                rc = ivr_error_set(err, IVR_EINPUT, "%s:%d: the value of "
                                   "'%.40s' is too long", path, n, key);
            else
                rc = ivr_error_set(err, IVR_EINPUT, "%s:%d: unknown key "
                                   "'%.40s' or bad value", path, n, key);
            free(line);
            return rc;
        }
    }
    fclose(f);
    free(line);
    return IVR_OK;
}

int sms_config_load(sms_config *c, const char *path, ivr_error *err)
{
    static const char *const env[][2] = {
        {"IVR_SMS_BACKEND", "backend"}, {"IVR_SMS_DB", "db"},
        {"IVR_SMS_URL", "url"}, {"IVR_SMS_USER", "user"},
        {"IVR_SMS_PASSWORD", "password"}, {"IVR_SMS_FROM", "from"},
        {"IVR_SMS_DLR_URL", "dlr_url"},
    };
    char def[1024];
    size_t i;

    memset(c, 0, sizeof *c);
    snprintf(c->backend, sizeof c->backend, "outbox");
    sms_default_db(c->db, sizeof c->db);
    snprintf(c->format, sizeof c->format, "form");
    snprintf(c->to_field, sizeof c->to_field, "To");
    snprintf(c->from_field, sizeof c->from_field, "From");
    snprintf(c->text_field, sizeof c->text_field, "Body");
    c->retries = 2;
    c->timeout = 10;
    c->backoff = 0.5;
    if (!path)
        path = getenv("IVR_SMS_CONFIG");
    if (path) {
        if (read_file(c, path, 1, err) != IVR_OK)
            return IVR_EINPUT;
    } else {
        if (fs_user_path(FS_CONFIG, "sms.conf", def, sizeof def) == 0 &&
            read_file(c, def, 0, err) != IVR_OK)
            return IVR_EINPUT;
    }
    for (i = 0; i < sizeof env / sizeof *env; i++) {
        const char *v = getenv(env[i][0]);
        if (v && *v && sms_config_set(c, env[i][1], v, env[i][0], err) !=
                           IVR_OK)
            return err->status;
    }
    return IVR_OK;
}

int sms_config_set(sms_config *c, const char *key, const char *value,
                   const char *where, ivr_error *err)
{
    switch (set_key(c, key, value)) {
    case 0:
        return IVR_OK;
    case -2:
        return ivr_error_set(err, IVR_EUSAGE, "%s: the value is too long",
                             where);
    default:
        return ivr_error_set(err, IVR_EUSAGE, "%s: a bad value", where);
    }
}

/* ------------------------------------------------------------------------
 * The record
 */

sms_sender *sms_open(const sms_config *c, ivr_error *err)
{
    sms_sender *s;
    const sms_backend *b = backend_named(c->backend);

    if (!b) {
        ivr_error_set(err, IVR_EUSAGE, "unknown SMS backend '%s' (outbox, "
                      "kannel or http)", c->backend);
        return NULL;
    }
    if (b->send && !*c->url) {
        ivr_error_set(err, IVR_EUSAGE, "the %s backend needs a url (--url, "
                      "IVR_SMS_URL or 'url =' in sms.conf)", c->backend);
        return NULL;
    }
    if (b->send && curl_api_load(err) != IVR_OK)
        return NULL;
    if (!(s = calloc(1, sizeof *s))) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    s->c = *c;
    s->backend = b;
    if (!(s->db = record_open(c->db, schema, err))) {
        sms_close(s);
        return NULL;
    }
    return s;
}

void sms_close(sms_sender *s)
{
    if (!s)
        return;
    record_close(s->db);
    free(s);
}

/* Claims key: inserts the record, or finds it already there. */
static int claim(sms_sender *s, const char *key, const char *to,
                 const char *from, const char *text, const sms_encoding *e,
                 sms_result *r, ivr_error *err)
{
    record_query *st;
    char when[RECORD_TIME_MAX];
    int rc;

    record_time(time(NULL), when);
    if (!(st = record_prepare(s->db, "INSERT INTO messages(key, created, "
                                     "updated, backend, sender, recipient, "
                                     "body, encoding, parts, status, "
                                     "attempts) VALUES(?, ?, ?, ?, ?, ?, ?, "
                                     "?, ?, 'sending', 0) ON CONFLICT(key) DO "
                                     "NOTHING")))
        return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", record_name(s->db),
                             record_errmsg(s->db));
    record_bind_text(st, 1, key);
    record_bind_text(st, 2, when);
    record_bind_text(st, 3, when);
    record_bind_text(st, 4, s->c.backend);
    record_bind_text(st, 5, from ? from : "");
    record_bind_text(st, 6, to);
    record_bind_text(st, 7, text);
    record_bind_text(st, 8, e->gsm7 ? "gsm7" : "ucs2");
    record_bind_int(st, 9, e->parts);
    rc = record_step(st);
    record_finalize(st);
    if (rc != RECORD_DONE)
        return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", record_name(s->db),
                             record_errmsg(s->db));
    r->duplicate = record_changes(s->db) == 0;
    if (!(st = record_prepare(s->db, "SELECT id, status, attempts, "
                                     "coalesce(answer, '') FROM messages "
                                     "WHERE key = ?")))
        return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", record_name(s->db),
                             record_errmsg(s->db));
    record_bind_text(st, 1, key);
    if (record_step(st) == RECORD_ROW) {
        r->id = record_column_int(st, 0);
        snprintf(r->status, sizeof r->status, "%s",
                 record_column_text(st, 1));
        r->attempts = record_column_int(st, 2);
        snprintf(r->answer, sizeof r->answer, "%s",
                 record_column_text(st, 3));
    }
    record_finalize(st);
    return IVR_OK;
}

/* Writes the send's outcome into its row. The outcome stands whatever
 * happens here (an SMS that went out went out), but a record that could
 * not say so is a failure the user must see: the row would stay
 * `sending`, and its key blocked. */
static int store_outcome(sms_sender *s, const sms_result *r,
                         ivr_error *err)
{
    record_query *st;
    char when[RECORD_TIME_MAX];
    int rc;

    record_time(time(NULL), when);
    /* A gateway's delivery report can come back before the send's own
     * answer is written here (Kannel reports the SMSC's acceptance at
     * once): the report's status is the later news, and stays. */
    if (!(st = record_prepare(s->db, "UPDATE messages SET status = CASE "
                                     "WHEN status = 'sending' THEN ? ELSE "
                                     "status END, attempts = ?, answer = ?, "
                                     "updated = ? WHERE id = ?")))
        return ivr_error_set(err, IVR_EOUTPUT, "%s: the send (#%ld: %s) "
                             "could not be recorded: %s", record_name(s->db),
                             r->id, r->status, record_errmsg(s->db));
    record_bind_text(st, 1, r->status);
    record_bind_int(st, 2, r->attempts);
    record_bind_text(st, 3, r->answer);
    record_bind_text(st, 4, when);
    record_bind_int(st, 5, r->id);
    rc = record_step(st);
    record_finalize(st);
    if (rc != RECORD_DONE)
        return ivr_error_set(err, IVR_EOUTPUT, "%s: the send (#%ld: %s) "
                             "could not be recorded: %s", record_name(s->db),
                             r->id, r->status, record_errmsg(s->db));
    return IVR_OK;
}

static void random_key(char *out, size_t size)
{
    unsigned char b[12];
    size_t i;

    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
        memset(b, 0, sizeof b);
    for (i = 0; i < sizeof b && 2 * i + 2 < size; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* What an SMS can carry as its sender instead of a number: up to 11 GSM
 * letters and digits (the alphanumeric originator of GSM 03.40). */
static int sms_sender_name_ok(const char *name)
{
    size_t n = strlen(name), i;

    if (n == 0 || n > 11)
        return 0;
    for (i = 0; i < n; i++)
        if (!isalnum((unsigned char)name[i]) && name[i] != ' ')
            return 0;
    return 1;
}

/* A key goes into the Idempotency-Key header: a CR or LF in it would
 * start a header of the sender's choosing. */
static int sms_key_ok(const char *key)
{
    size_t n = strlen(key), i;

    if (n == 0 || n > 128)
        return 0;
    for (i = 0; i < n; i++)
        if ((unsigned char)key[i] < 0x21 || (unsigned char)key[i] > 0x7e)
            return 0;
    return 1;
}

int sms_check(const char *to, const char *from, const char *text,
              const char *key, sms_encoding *enc, ivr_error *err)
{
    char num[SMS_NUMBER_MAX];

    if (sms_number(to, num, err) != IVR_OK)
        return IVR_EINPUT;
    if (from && *from && from[0] == '+') {
        if (sms_number(from, num, err) != IVR_OK)
            return IVR_EINPUT;
    } else if (from && *from && !sms_sender_name_ok(from)) {
        return ivr_error_set(err, IVR_EINPUT, "sender '%.20s%s' is neither "
                             "an E.164 number nor a name of up to 11 letters, "
                             "digits and spaces", from,
                             strlen(from) > 20 ? "..." : "");
    }
    if (key && !sms_key_ok(key))
        return ivr_error_set(err, IVR_EINPUT, "the idempotency key must be 1 "
                             "to 128 printable characters (it travels in an "
                             "HTTP header)");
    if (!text || !*text)
        return ivr_error_set(err, IVR_EINPUT, "the text is empty");
    if (sms_encoding_of(text, enc, err) != IVR_OK)
        return IVR_EINPUT;
    if (enc->parts > SMS_MAX_PARTS)
        return ivr_error_set(err, IVR_EINPUT, "the text takes %d SMS; at "
                             "most %d are sent as one message", enc->parts,
                             SMS_MAX_PARTS);
    return IVR_OK;
}

int sms_send(sms_sender *s, const char *to, const char *from,
             const char *text, const char *key, sms_result *r,
             ivr_error *err)
{
    char num[SMS_NUMBER_MAX], fromnum[SMS_NUMBER_MAX], newkey[32];
    const char *sender = from && *from ? from : s->c.from;
    sms_try m;
    int i;

    memset(r, 0, sizeof *r);
    if (sms_check(to, sender, text, key, &r->enc, err) != IVR_OK)
        return IVR_EINPUT;
    sms_number(to, num, NULL);
    if (*sender && sender[0] == '+') {
        sms_number(sender, fromnum, NULL);
        sender = fromnum;
    }
    if (!key) {
        random_key(newkey, sizeof newkey);
        key = newkey;
    }
    if (claim(s, key, num, sender, text, &r->enc, r, err) != IVR_OK)
        return err->status;
    if (r->duplicate && !strcmp(r->status, "sending") && s->backend->send) {
        /* an earlier send with this key stopped half way: it may have gone
         * out, so it is not sent again */
        snprintf(r->status, sizeof r->status, "unknown");
        if (store_outcome(s, r, err) != IVR_OK)
            return err->status;
        return ivr_error_set(err, IVR_EINPUT, "an earlier send with this key "
                             "was interrupted; it may have gone out: not "
                             "sent again (#%ld)", r->id);
    }
    /* sent (or stored) before: not again; a store into the outbox that
     * was interrupted sent nothing, and is done now */
    if (r->duplicate && strcmp(r->status, "failed") != 0 &&
        strcmp(r->status, "sending") != 0)
        return IVR_OK;
    if (!s->backend->send) {
        snprintf(r->status, sizeof r->status, "stored");
        snprintf(r->answer, sizeof r->answer, "in the outbox");
        r->attempts = 1;
        return store_outcome(s, r, err);
    }
    m.to = num;
    m.from = sender;
    m.text = text;
    m.key = key;
    m.enc = &r->enc;
    for (i = 0; i <= s->c.retries; i++) {
        sms_outcome o;
        if (i > 0) {
            double wait = s->c.backoff * (double)(1 << (i - 1));
            struct timespec ts = {(time_t)wait,
                                  (long)((wait - (double)(time_t)wait) * 1e9)};
            nanosleep(&ts, NULL);
        }
        r->attempts++;
        o = s->backend->send(&s->c, &m, r->answer, sizeof r->answer);
        if (o == SMS_TRANSIENT)
            continue;
        snprintf(r->status, sizeof r->status, "%s",
                 o == SMS_SENT ? "sent" : o == SMS_QUEUED ? "queued"
                 : o == SMS_AMBIGUOUS ? "unknown" : "failed");
        if (store_outcome(s, r, err) != IVR_OK)
            return err->status;
        if (o == SMS_SENT || o == SMS_QUEUED)
            return IVR_OK;
        return ivr_error_set(err, IVR_EINPUT, "%s: %s%s", s->c.backend,
                             r->answer, o == SMS_AMBIGUOUS ? " (it may "
                             "have gone out: not sent again)" : "");
    }
    snprintf(r->status, sizeof r->status, "failed");
    if (store_outcome(s, r, err) != IVR_OK)
        return err->status;
    return ivr_error_set(err, IVR_EMISSING, "%s: %s (after %d tries)",
                         s->c.backend, r->answer, r->attempts);
}

int sms_list(sms_sender *s, int limit, int json, ivr_error *err)
{
    record_query *st;
    int rc;

    if (!(st = record_prepare(s->db, "SELECT id, created, backend, recipient, "
                                     "sender, status, attempts, encoding, "
                                     "parts, body, coalesce(answer, '') FROM "
                                     "messages ORDER BY id DESC LIMIT ?")))
        return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", record_name(s->db),
                             record_errmsg(s->db));
    record_bind_int(st, 1, limit);
    while ((rc = record_step(st)) == RECORD_ROW) {
        static const char *const names[] = {"id", "created", "backend", "to",
                                            "from", "status", "attempts",
                                            "encoding", "parts"};
        const char *col[11];
        int k;
        for (k = 0; k < 11; k++) {
            col[k] = record_column_text(st, k);
            if (!col[k])
                col[k] = "";
        }
        if (json) {
            /* every text quoted: a sender or an answer is anybody's */
            for (k = 0; k < 9; k++) {
                printf("%s\"%s\":", k ? "," : "{", names[k]);
                if (k == 0 || k == 6 || k == 8)
                    printf("%lld", (long long)record_column_int(st, k));
                else
                    transcript_json_string(stdout, col[k]);
            }
            printf("}\n");
        } else {
            printf("%s  %s  %-7s %-16s %-8s %s\n", col[0], col[1], col[2],
                   col[3], col[5], col[9]);
        }
    }
    record_finalize(st);
    /* a damaged file ends the rows early: say so, not "that was all" */
    if (rc != RECORD_DONE)
        return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", record_name(s->db),
                             record_errmsg(s->db));
    return IVR_OK;
}

int sms_report(sms_sender *s, const char *key, int kind, ivr_error *err)
{
    const char *status = kind == 1 ? "delivered"
                       : kind == 2 || kind == 16 ? "failed"
                       : kind == 4 ? "buffered"
                       : kind == 8 ? "smsc accepted" : NULL;
    char when[RECORD_TIME_MAX];
    record_query *st;
    int rc, final = kind == 1 || kind == 2 || kind == 16;

    if (!status)
        return ivr_error_set(err, IVR_EINPUT, "a delivery report of kind %d "
                             "(1, 2, 4, 8 or 16)", kind);
    record_time(time(NULL), when);
    /* reports arrive in any order: the SMSC's after the handset's must not
     * take a delivery back */
    if (!(st = record_prepare(s->db, final
                           ? "UPDATE messages SET status = ?, updated = ? "
                             "WHERE key = ?"
                           : "UPDATE messages SET status = ?, updated = ? "
                             "WHERE key = ? AND status NOT IN ('delivered', "
                             "'failed')")))
        return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", record_name(s->db),
                             record_errmsg(s->db));
    record_bind_text(st, 1, status);
    record_bind_text(st, 2, when);
    record_bind_text(st, 3, key);
    rc = record_step(st);
    record_finalize(st);
    if (rc != RECORD_DONE)
        return ivr_error_set(err, IVR_EOUTPUT, "%s: %s", record_name(s->db),
                             record_errmsg(s->db));
    if (record_changes(s->db) == 0 && final)
        return ivr_error_set(err, IVR_EINPUT, "no message '%s'", key);
    return IVR_OK;
}
