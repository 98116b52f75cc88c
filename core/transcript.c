/*
 * transcript.c: events as a timeline and as JSON Lines.
 */
#include "transcript.h"

#include <math.h>
#include <string.h>

/* What "text", "name" and "reason" are called in each kind's JSON. */
static const struct {
    const char *text, *name, *reason;
    int confidence, duration, count;
} fields[EV_KINDS] = {
    [EV_CALL_START]   = {"caller", "called", "direction", 0, 0, 0},
    [EV_MENU]         = {NULL, NULL, "reason", 0, 0, 0},
    [EV_PROMPT_START] = {"text", "kind", NULL, 0, 0, 0},
    [EV_PROMPT_END]   = {"text", NULL, "reason", 0, 1, 0},
    [EV_DTMF]         = {"key", NULL, "ignored", 0, 0, 0},
    [EV_SPEECH]       = {"text", "choice", "reason", 1, 0, 0},
    [EV_IVR_SPEECH]   = {"from", NULL, "why", 0, 1, 0},
    [EV_MATCH]        = {"input", "entry", "how", 0, 0, 0},
    [EV_NOINPUT]      = {NULL, NULL, NULL, 0, 0, 1},
    [EV_NOMATCH]      = {"input", NULL, "reason", 0, 0, 1},
    [EV_EXHAUSTED]    = {NULL, NULL, "after", 0, 0, 0},
    [EV_SET]          = {"value", "name", NULL, 0, 0, 0},
    [EV_SMS]          = {"text", "to", "status", 0, 0, 0},
    [EV_COUPON]       = {"serial", "promotion", NULL, 0, 0, 0},
    [EV_TRANSFER]     = {"to", NULL, NULL, 0, 0, 0},
    [EV_RECORD]       = {"file", "name", "reason", 0, 1, 0},
    [EV_CONFIRM]      = {NULL, NULL, NULL, 0, 0, 0},
    [EV_HANGUP]       = {"outcome", NULL, "reason", 0, 1, 0},
    [EV_ERROR]        = {"message", NULL, NULL, 0, 0, 0},
    [EV_CLOCK]        = {"at", "zone", "weekday", 0, 0, 0},
    [EV_BRANCH]       = {"if", "took", "line", 0, 0, 0},
    [EV_FETCH]        = {"url", "method", "result", 0, 1, 0},
};

int transcript_field_slot(engine_event_kind kind, const char *key)
{
    if ((unsigned)kind >= sizeof fields / sizeof *fields)
        return -1;
    if (kind == EV_MENU)
        return !strcmp(key, "reason") ? 2 : -1;
    if (fields[kind].text && !strcmp(key, fields[kind].text))
        return 0;
    if (fields[kind].name && !strcmp(key, fields[kind].name))
        return 1;
    if (fields[kind].reason && !strcmp(key, fields[kind].reason))
        return 2;
    return -1;
}

static void field(FILE *out, const char *key, const char *value)
{
    if (!key || !value)
        return;
    fprintf(out, ",\"%s\":", key);
    transcript_json_string(out, value);
}

void transcript_write_json(FILE *out, const engine_event *ev)
{
    fprintf(out, "{\"t\":%.2f,\"event\":\"%s\",\"menu\":", ev->t,
            engine_event_name(ev->kind));
    transcript_json_string(out, ev->menu ? ev->menu : "");
    if (ev->kind == EV_MENU)
        field(out, "reason", ev->reason);
    else {
        field(out, fields[ev->kind].text, ev->text);
        field(out, fields[ev->kind].name, ev->name);
        field(out, fields[ev->kind].reason, ev->reason);
    }
    if (fields[ev->kind].confidence)
        fprintf(out, ",\"confidence\":%.2f", ev->confidence);
    if (fields[ev->kind].duration)
        fprintf(out, ",\"duration\":%.2f", ev->duration);
    if (fields[ev->kind].count)
        fprintf(out, ",\"count\":%d", ev->count);
    fputs("}\n", out);
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

void transcript_write_text(FILE *out, const engine_event *ev, int verbose)
{
    const char *r = ev->reason;

    switch (ev->kind) {
    case EV_PROMPT_END:
        if (!verbose && r && !strcmp(r, "done"))
            return;
        break;
    case EV_PROMPT_START:
        if (!verbose && ev->name && !strcmp(ev->name, "silence"))
            return;
        break;
    case EV_SET:
    case EV_MATCH:
    case EV_BRANCH:
        if (!verbose)
            return;
        break;
    default:
        break;
    }
    fprintf(out, "%8.2f  %-12s ", ev->t, ev->menu && *ev->menu ? ev->menu
                                                              : "-");
    switch (ev->kind) {
    case EV_CALL_START:
        fprintf(out, "call %s%s%s%s%s\n", or_empty(r),
                ev->text && *ev->text ? " from " : "", or_empty(ev->text),
                ev->name && *ev->name ? " to " : "", or_empty(ev->name));
        break;
    case EV_MENU:
        fprintf(out, "enters menu '%s' (%s)\n", or_empty(ev->text),
                or_empty(r));
        break;
    case EV_PROMPT_START:
        if (ev->name && !strcmp(ev->name, "say"))
            fprintf(out, "says \"%s\"\n", or_empty(ev->text));
        else
            fprintf(out, "plays %s\n", or_empty(ev->text));
        break;
    case EV_PROMPT_END:
        fprintf(out, "stops after %.2fs: %s\n", ev->duration, or_empty(r));
        break;
    case EV_DTMF:
        fprintf(out, "key %s%s%s%s\n", or_empty(ev->text),
                r ? " (ignored: " : "", or_empty(r), r ? ")" : "");
        break;
    case EV_SPEECH:
        if (r)
            fprintf(out, "heard \"%s\" (confidence %.2f): %s\n",
                    or_empty(ev->text), ev->confidence, r);
        else
            fprintf(out, "heard \"%s\" (confidence %.2f)\n",
                    or_empty(ev->text), ev->confidence);
        break;
    case EV_IVR_SPEECH:
        fprintf(out, "hears the IVR, not the caller: %.2fs from %s (%s)\n",
                ev->duration, or_empty(ev->text), or_empty(r));
        break;
    case EV_MATCH:
        fprintf(out, "chooses %s: %s\n", or_empty(ev->text),
                or_empty(ev->name));
        break;
    case EV_NOINPUT:
        fprintf(out, "no input (%d)\n", ev->count);
        break;
    case EV_NOMATCH:
        fprintf(out, "no match%s%s%s: %s (%d)\n",
                ev->text && *ev->text ? " \"" : "", or_empty(ev->text),
                ev->text && *ev->text ? "\"" : "", or_empty(r), ev->count);
        break;
    case EV_EXHAUSTED:
        fprintf(out, "tries exhausted (%s)\n", or_empty(r));
        break;
    case EV_SET:
        fprintf(out, "sets %s = \"%s\"\n", or_empty(ev->name),
                or_empty(ev->text));
        break;
    case EV_SMS:
        fprintf(out, "SMS to %s: \"%s\" (%s)\n", or_empty(ev->name),
                or_empty(ev->text), or_empty(r));
        break;
    case EV_COUPON:
        fprintf(out, "coupon %s (%s)\n", or_empty(ev->text),
                or_empty(ev->name));
        break;
    case EV_TRANSFER:
        fprintf(out, "transfers to %s\n", or_empty(ev->text));
        break;
    case EV_RECORD:
        fprintf(out, "recorded %s: %.2fs, stopped by %s%s%s\n",
                or_empty(ev->name), ev->duration, or_empty(r),
                ev->text && *ev->text ? ", in " : "", or_empty(ev->text));
        break;
    case EV_CONFIRM:
        fprintf(out, "callee confirmed\n");
        break;
    case EV_HANGUP:
        fprintf(out, "call ends: %s, %.2fs%s%s\n", or_empty(r), ev->duration,
                ev->text && *ev->text ? ", " : "", or_empty(ev->text));
        break;
    case EV_ERROR:
        fprintf(out, "error: %s\n", or_empty(ev->text));
        break;
    case EV_CLOCK:
        fprintf(out, "clock %s, %s (%s)\n", or_empty(ev->text), or_empty(r),
                or_empty(ev->name));
        break;
    case EV_BRANCH:
        fprintf(out, "if %s: %s (%s)\n", or_empty(ev->text),
                or_empty(ev->name), or_empty(r));
        break;
    case EV_FETCH:
        fprintf(out, "fetch %s %s: %s, %.2fs\n", or_empty(ev->name),
                or_empty(ev->text), or_empty(r), ev->duration);
        break;
    case EV_KINDS:
        break;
    }
}
