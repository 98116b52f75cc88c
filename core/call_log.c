/*
 * call_log.c: the events of one call, kept in memory or read back from a
 * JSON Lines transcript.
 */
#include "script.h"
#include "transcript.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static char *dup_str(const char *s)
{
    return strdup(s ? s : "");
}

int call_log_add(call_log *log, const engine_event *ev)
{
    logged_event *e;

    if (log->n == log->cap) {
        int cap = log->cap ? log->cap * 2 : 64;
        logged_event *p = realloc(log->ev, (size_t)cap * sizeof *p);
        if (!p)
            return -1;
        log->ev = p;
        log->cap = cap;
    }
    e = &log->ev[log->n];
    e->kind = ev->kind;
    e->t = ev->t;
    e->confidence = ev->confidence;
    e->duration = ev->duration;
    e->count = ev->count;
    e->menu = dup_str(ev->menu);
    e->text = dup_str(ev->text);
    e->name = dup_str(ev->name);
    e->reason = dup_str(ev->reason);
    if (!e->menu || !e->text || !e->name || !e->reason) {
        free(e->menu);
        free(e->text);
        free(e->name);
        free(e->reason);
        return -1;
    }
    log->n++;
    return 0;
}

void call_log_clear(call_log *log)
{
    int i;

    for (i = 0; i < log->n; i++) {
        free(log->ev[i].menu);
        free(log->ev[i].text);
        free(log->ev[i].name);
        free(log->ev[i].reason);
    }
    free(log->ev);
    memset(log, 0, sizeof *log);
}

void call_log_format(const logged_event *e, char *buf, size_t size)
{
    engine_event ev;
    FILE *f;
    size_t n;

    memset(&ev, 0, sizeof ev);
    ev.kind = e->kind;
    ev.t = e->t;
    ev.menu = e->menu;
    ev.text = e->text;
    ev.name = e->name;
    ev.reason = *e->reason ? e->reason : NULL;
    ev.confidence = e->confidence;
    ev.duration = e->duration;
    ev.count = e->count;
    buf[0] = '\0';
    f = fmemopen(buf, size, "w");
    if (!f)
        return;
    transcript_write_text(f, &ev, 1);
    fclose(f);
    n = strlen(buf);
    if (n && buf[n - 1] == '\n')
        buf[n - 1] = '\0';
}

/* ------------------------------------------------------------------------
 * Reading JSON Lines: flat objects of strings, numbers and booleans, as
 * transcript_write_json() writes them.
 */

typedef struct jparser {
    const char *p;
    char *buf;       /* a decoded string */
} jparser;

static void skip_ws(jparser *J)
{
    while (isspace((unsigned char)*J->p))
        J->p++;
}

/* A string into J->buf (which is as long as the line). */
static int read_string(jparser *J)
{
    char *o = J->buf;

    if (*J->p != '"')
        return -1;
    J->p++;
    while (*J->p && *J->p != '"') {
        if (*J->p == '\\') {
            J->p++;
            switch (*J->p) {
            case '"': case '\\': case '/': *o++ = *J->p; break;
            case 'n': *o++ = '\n'; break;
            case 't': *o++ = '\t'; break;
            case 'r': *o++ = '\r'; break;
            case 'b': *o++ = '\b'; break;
            case 'f': *o++ = '\f'; break;
            case 'u': {
                unsigned v;
                int k;
                /* exactly four hex digits: fewer would step past the end */
                for (k = 1; k <= 4; k++)
                    if (!isxdigit((unsigned char)J->p[k]))
                        return -1;
                if (sscanf(J->p + 1, "%4x", &v) != 1)
                    return -1;
                /* our writer escapes control characters only */
                *o++ = v < 0x80 ? (char)v : '?';
                J->p += 4;
                break;
            }
            default:
                return -1;
            }
            J->p++;
        } else {
            *o++ = *J->p++;
        }
    }
    if (*J->p != '"')
        return -1;
    J->p++;
    *o = '\0';
    return 0;
}

static int parse_line(const char *line, engine_event *ev, char *strings[4],
                      char *buf)
{
    jparser J;
    char key[32];
    int kind_set = 0;

    J.p = line;
    J.buf = buf;
    memset(ev, 0, sizeof *ev);
    skip_ws(&J);
    if (*J.p++ != '{')
        return -1;
    for (;;) {
        skip_ws(&J);
        if (*J.p == '}')
            break;
        if (read_string(&J) != 0)
            return -1;
        snprintf(key, sizeof key, "%s", J.buf);
        skip_ws(&J);
        if (*J.p++ != ':')
            return -1;
        skip_ws(&J);
        if (*J.p == '"') {
            if (read_string(&J) != 0)
                return -1;
            if (!strcmp(key, "event")) {
                int k;
                for (k = 0; k < EV_KINDS; k++)
                    if (!strcmp(engine_event_name((engine_event_kind)k),
                                J.buf))
                        break;
                if (k == EV_KINDS)
                    return -1;
                ev->kind = (engine_event_kind)k;
                kind_set = 1;
            } else if (!strcmp(key, "menu")) {
                free(strings[3]);
                strings[3] = strdup(J.buf);
            } else if (kind_set) {
                int slot = transcript_field_slot(ev->kind, key);
                if (slot >= 0) {
                    free(strings[slot]);
                    strings[slot] = strdup(J.buf);
                }
            }
        } else {
            char *end;
            double v;
            if (!strncmp(J.p, "true", 4) || !strncmp(J.p, "false", 5)) {
                J.p += *J.p == 't' ? 4 : 5;
            } else {
                v = strtod(J.p, &end);
                if (end == J.p)
                    return -1;
                J.p = end;
                if (!strcmp(key, "t"))
                    ev->t = v;
                else if (!strcmp(key, "confidence"))
                    ev->confidence = v;
                else if (!strcmp(key, "duration"))
                    ev->duration = v;
                else if (!strcmp(key, "count")) {
                    /* a count past int is no count (found by make fuzz:
                     * converting it is undefined) */
                    if (!(v >= 0 && v <= 1e9))
                        return -1;
                    ev->count = (int)v;
                }
            }
        }
        skip_ws(&J);
        if (*J.p == ',') {
            J.p++;
            continue;
        }
        if (*J.p != '}')
            return -1;
    }
    if (!kind_set)
        return -1;
    ev->text = strings[0];
    ev->name = strings[1];
    ev->reason = strings[2];
    ev->menu = strings[3];
    if (ev->kind == EV_MENU)   /* the menu entered is the one it is in */
        ev->text = strings[3];
    return 0;
}

int call_log_read_jsonl(call_log *log, const char *path, ivr_error *err)
{
    FILE *f = fopen(path, "r");
    char *line = NULL, *buf = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0, rc = IVR_OK;

    if (!f)
        return ivr_error_set(err, IVR_EINPUT, "%s:", path);
    while ((len = getline(&line, &cap, f)) >= 0) {
        engine_event ev;
        char *strings[4] = {NULL, NULL, NULL, NULL};
        char *b;
        int i, bad;
        lineno++;
        if (strspn(line, " \t\r\n") == (size_t)len)
            continue;
        b = realloc(buf, (size_t)len + 1);
        if (!b) {
            rc = ivr_error_set(err, IVR_EINTERNAL, "out of memory");
            break;
        }
        buf = b;
        bad = parse_line(line, &ev, strings, buf);
        if (!bad && call_log_add(log, &ev) != 0)
            rc = ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        for (i = 0; i < 4; i++)
            free(strings[i]);
        if (bad) {
            rc = ivr_error_set(err, IVR_EINPUT, "%s:%d: not an event of an "
                               "ivr-sim transcript", path, lineno);
            break;
        }
        if (rc != IVR_OK)
            break;
    }
    if (rc == IVR_OK && log->n == 0)
        rc = ivr_error_set(err, IVR_EINPUT, "%s: no events in it", path);
    free(line);
    free(buf);
    fclose(f);
    return rc;
}
