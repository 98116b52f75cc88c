/*
 * call_log.c: the events of one call, kept in memory or read back from a
 * JSON Lines transcript.
 */
#include "script.h"
#include "transcript.h"

#include <jansson.h>
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
 * Reading JSON Lines as transcript_write_json() writes them: one object a
 * line, its strings and numbers. Parsed by jansson, so escapes, surrogate
 * pairs and malformed input are a well-kept library's business.
 */

static int parse_line(const char *line, engine_event *ev, char *strings[4])
{
    json_t *o = json_loads(line, JSON_DISABLE_EOF_CHECK, NULL), *v;
    const char *key, *name;
    int k, rc = -1;

    memset(ev, 0, sizeof *ev);
    if (!json_is_object(o) || !(name = json_string_value(json_object_get(
                                    o, "event"))))
        goto done;
    for (k = 0; k < EV_KINDS; k++)
        if (!strcmp(engine_event_name((engine_event_kind)k), name))
            break;
    if (k == EV_KINDS)
        goto done;
    ev->kind = (engine_event_kind)k;
    json_object_foreach(o, key, v) {
        int slot = !strcmp(key, "menu") ? 3
                 : transcript_field_slot(ev->kind, key);
        if (json_is_string(v) && slot >= 0) {
            free(strings[slot]);
            if (!(strings[slot] = strdup(json_string_value(v))))
                goto done;
        } else if (json_is_number(v)) {
            double d = json_number_value(v);
            if (!strcmp(key, "t"))
                ev->t = d;
            else if (!strcmp(key, "confidence"))
                ev->confidence = d;
            else if (!strcmp(key, "duration"))
                ev->duration = d;
            else if (!strcmp(key, "count")) {
                /* a count past int is no count (found by make fuzz:
                 * converting it is undefined) */
                if (!(d >= 0 && d <= 1e9))
                    goto done;
                ev->count = (int)d;
            }
        } else if (json_is_object(v) || json_is_array(v)) {
            goto done;   /* a transcript's events are flat */
        }
    }
    ev->text = strings[0];
    ev->name = strings[1];
    ev->reason = strings[2];
    ev->menu = strings[3];
    if (ev->kind == EV_MENU)   /* the menu entered is the one it is in */
        ev->text = strings[3];
    rc = 0;
done:
    json_decref(o);
    return rc;
}

int call_log_read_jsonl(call_log *log, const char *path, ivr_error *err)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0, rc = IVR_OK;

    if (!f)
        return ivr_error_set(err, IVR_EINPUT, "%s:", path);
    while ((len = getline(&line, &cap, f)) >= 0) {
        engine_event ev;
        char *strings[4] = {NULL, NULL, NULL, NULL};
        int i, bad;
        lineno++;
        if (strspn(line, " \t\r\n") == (size_t)len)
            continue;
        bad = parse_line(line, &ev, strings);
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
    fclose(f);
    return rc;
}
