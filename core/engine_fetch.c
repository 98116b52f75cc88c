/*
 * engine_fetch.c: the fetch action. The menu asks a web service (through
 * the engine's fetch hook, so no HTTP library is part of the engine), the
 * JSON answer's fields go into variables, and a backend that does not
 * answer usefully sends the call to the menu's `on error`.
 */
#include "engine_internal.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value at path ("owner.name", "cards[0].last4", "$.balance") in
 * root, or NULL. */
static json_t *json_at(json_t *root, const char *path)
{
    const char *p = !strncmp(path, "$.", 2) ? path + 2 : path;
    json_t *v = root;
    char name[256];

    while (*p && v) {
        size_t n = strcspn(p, ".[");
        if (n >= sizeof name)
            return NULL;
        memcpy(name, p, n);
        name[n] = '\0';
        v = json_is_object(v) ? json_object_get(v, name) : NULL;
        p += n;
        while (v && *p == '[') {
            char *end;
            long i = strtol(p + 1, &end, 10);
            v = json_is_array(v) ? json_array_get(v, (size_t)i) : NULL;
            p = end + 1;
        }
        if (*p == '.')
            p++;
    }
    return v;
}

/* A JSON value as a variable holds it: text as it is, numbers as written,
 * true and false, null as nothing, objects and arrays as compact JSON. */
static char *json_as_text(json_t *v)
{
    char buf[64];

    switch (json_typeof(v)) {
    case JSON_STRING:
        return strdup(json_string_value(v));
    case JSON_INTEGER:
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(v));
        return strdup(buf);
    case JSON_REAL:
        snprintf(buf, sizeof buf, "%.15g", json_real_value(v));
        return strdup(buf);
    case JSON_TRUE:
        return strdup("true");
    case JSON_FALSE:
        return strdup("false");
    case JSON_NULL:
        return strdup("");
    default:
        return json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    }
}

/* POST's body: the fields as one JSON object of strings. */
static char *post_body(engine *e, const menu_fetch *f)
{
    json_t *o = json_object();
    char *body = NULL;
    int i;

    for (i = 0; o && i < f->npost; i++) {
        char *v = vars_render(&e->vars, f->post_values[i]);
        if (!v || json_object_set_new(o, f->post_names[i], json_string(v))) {
            free(v);
            json_decref(o);
            return NULL;
        }
        free(v);
    }
    if (o)
        body = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return body;
}

/* Reads the answer's fields into values (nset of them); 0, or -1 with
 * why. Nothing is set unless every field is there. */
static int read_answer(const menu_fetch *f, const http_response *rs,
                       char **values, char *why, size_t size)
{
    json_error_t jerr;
    json_t *root;
    int i;

    if (rs->status < 200 || rs->status > 299) {
        snprintf(why, size, "HTTP %d", rs->status);
        return -1;
    }
    if (!f->nset)
        return 0;
    if (!(root = json_loads(rs->body, JSON_DECODE_ANY, &jerr))) {
        snprintf(why, size, "an answer that is not JSON (line %d: %s)",
                 jerr.line, jerr.text);
        return -1;
    }
    for (i = 0; i < f->nset; i++) {
        json_t *v = json_at(root, f->set_paths[i]);
        if (!v) {
            snprintf(why, size, "the answer has no \"%s\"", f->set_paths[i]);
            break;
        }
        if (!(values[i] = json_as_text(v))) {
            snprintf(why, size, "out of memory");
            break;
        }
    }
    json_decref(root);
    return i == f->nset ? 0 : -1;
}

int engine_fetch(engine *e, const menu_action *a, const menu_action **out)
{
    const menu_fetch *f = a->fetch;
    const menu_entry *on_error;
    char *url = vars_render_url(&e->vars, f->url);
    char *body = f->npost ? post_body(e, f) : NULL;
    char **values = calloc((size_t)f->nset + 1, sizeof *values);
    char why[IVR_ERROR_MAX] = "", status[16];
    http_request rq = {f->npost ? "POST" : "GET", url, body, f->timeout_ms};
    http_response rs;
    engine_event ev;
    ivr_error err;
    int rc = HTTP_NO_ANSWER, i, status_out = 0;
    const menu_action *next = NULL;

    memset(&rs, 0, sizeof rs);
    ivr_error_clear(&err);
    if (!url || !values || (f->npost && !body))
        ivr_error_set(&err, IVR_EINTERNAL, "out of memory");
    else
        rc = e->o.fetch ? e->o.fetch(e->o.fetch_user, &rq, &rs, &err)
                        : http_fetch_live(&rq, &rs, &err);
    if (rc == HTTP_ANSWERED)
        read_answer(f, &rs, values, why, sizeof why);
    else
        snprintf(why, sizeof why, "%s", err.message);
    snprintf(status, sizeof status, "%d", rs.status);
    memset(&ev, 0, sizeof ev);
    ev.kind = EV_FETCH;
    ev.text = url ? url : f->url;
    ev.name = rq.method;
    ev.reason = *why ? why : status;
    ev.duration = rs.ms / 1000.0;
    engine_emit_full(e, &ev);
    if (rc == HTTP_NO_FIXTURE || err.status == IVR_EMISSING ||
        err.status == IVR_EINTERNAL) {
        /* the test or the machine, not the backend: nothing to route */
        engine_fail(e, &err);
        status_out = -1;
    } else if (!*why) {
        for (i = 0; i < f->nset; i++)
            engine_set_var(e, f->set_names[i], values[i], 0);
        next = a->next;
    } else if ((on_error = menu_event_entry(e->m, e->cur, ENTRY_ERROR, 1))) {
        engine_set_var(e, "error", why, 0);
        next = on_error->action;
    } else {
        ivr_error_set(&err, IVR_EINPUT, "%s:%d:%d: fetch %s: %s (the menu "
                      "has no 'on error')", a->loc.file, a->loc.line,
                      a->loc.col, ev.text, why);
        engine_fail(e, &err);
        status_out = -1;
    }
    /* the caller waits as long as the backend took */
    if (status_out == 0 && e->phase != PH_ENDED && rs.ms >= 1.0) {
        play_push(e, PLAY_SILENCE, "waiting for the backend", NULL, NULL,
                  BARGEIN_NONE, rs.ms);
        e->pc = next;
        e->phase = PH_ACTIONS;
        status_out = 1;
    }
    *out = next;
    for (i = 0; i < f->nset; i++)
        free(values[i]);
    free(values);
    http_response_free(&rs);
    free(url);
    free(body);
    return e->phase == PH_ENDED ? -1 : status_out;
}
