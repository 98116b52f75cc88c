/*
 * script_check.c: a script's expectations held against a call's events.
 * Every expectation is judged on the whole call, after it: the same check
 * runs on a live run and on a transcript saved earlier.
 */
#include "script_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct sbuf {
    char *s;
    size_t size, len;
} sbuf;

/* Appends before, v and after. */
static void add(sbuf *b, const char *before, const char *v, const char *after)
{
    if (b->len + 4 >= b->size)
        return;
    b->len += (size_t)snprintf(b->s + b->len, b->size - b->len, "%s%s%s",
                               before, v, after);
    if (b->len >= b->size)
        b->len = b->size - 1;
}

/* The values of one kind of event, quoted, as "actual" for a report. */
static void list_of(const call_log *log, engine_event_kind kind, int field,
                    char *out, size_t size)
{
    sbuf b = {out, size, 0};
    int i, any = 0;

    out[0] = '\0';
    for (i = 0; i < log->n; i++) {
        const logged_event *e = &log->ev[i];
        const char *v;
        if (e->kind != kind)
            continue;
        v = field == 0 ? e->text : field == 1 ? e->name : e->reason;
        add(&b, any ? ", \"" : "\"", v, "\"");
        any = 1;
    }
    if (!any)
        snprintf(out, size, "none");
}

static int cmp(double a, cmp_op op, double b)
{
    switch (op) {
    case OP_EQ: return a == b;
    case OP_LT: return a < b;
    case OP_LE: return a <= b;
    case OP_GT: return a > b;
    case OP_GE: return a >= b;
    }
    return 0;
}

static const char *op_name(cmp_op op)
{
    static const char *const names[] = {"", "< ", "<= ", "> ", ">= "};
    return names[op];
}

static int prompt_matches(const script_expect *x, const char *text)
{
    switch (x->kind) {
    case EXP_PROMPT_IS: return !strcmp(text, x->a);
    case EXP_PROMPT_CONTAINS: return strstr(text, x->a) != NULL;
    default: return regexec(x->re, text, 0, NULL, 0) == 0;
    }
}

static const logged_event *last_of(const call_log *log, engine_event_kind k)
{
    int i;

    for (i = log->n - 1; i >= 0; i--)
        if (log->ev[i].kind == k)
            return &log->ev[i];
    return NULL;
}

/* Judges one expectation (before negation); actual is filled either way. */
static int judge(const script_expect *x, const call_log *log, char *actual,
                 size_t size)
{
    const logged_event *h = last_of(log, EV_HANGUP);
    int i, found = 0, n = 0;

    actual[0] = '\0';
    switch (x->kind) {
    case EXP_PROMPT_IS:
    case EXP_PROMPT_CONTAINS:
    case EXP_PROMPT_MATCHES:
        for (i = 0; i < log->n; i++)
            if (log->ev[i].kind == EV_PROMPT_START &&
                prompt_matches(x, log->ev[i].text))
                found = 1;
        list_of(log, EV_PROMPT_START, 0, actual, size);
        return found;
    case EXP_MENU:
        for (i = 0; i < log->n; i++)
            if (log->ev[i].kind == EV_MENU && !strcmp(log->ev[i].text, x->a))
                found = 1;
        list_of(log, EV_MENU, 0, actual, size);
        return found;
    case EXP_PATH: {
        int k = 0;
        found = 1;
        for (i = 0; i < log->n; i++) {
            if (log->ev[i].kind != EV_MENU)
                continue;
            if (k < x->npath ? strcmp(log->ev[i].text, x->path[k]) != 0
                             : !x->path_prefix)
                found = 0;
            k++;
        }
        if (k != x->npath && !(x->path_prefix && k > x->npath))
            found = 0;
        list_of(log, EV_MENU, 0, actual, size);
        return found;
    }
    case EXP_VAR_IS:
    case EXP_VAR_CONTAINS:
    case EXP_VAR_MATCHES: {
        const char *v = NULL;
        for (i = 0; i < log->n; i++) {
            const logged_event *l = &log->ev[i];
            if (l->kind == EV_SET && !strcmp(l->name, x->a))
                v = l->text;
            /* the numbers of the call are set before it starts */
            else if (l->kind == EV_CALL_START && !strcmp(x->a, "caller"))
                v = l->text;
            else if (l->kind == EV_CALL_START && !strcmp(x->a, "called"))
                v = l->name;
        }
        if (!v) {
            snprintf(actual, size, "%s was never set", x->a);
            return 0;
        }
        snprintf(actual, size, "%s = \"%s\"", x->a, v);
        return x->kind == EXP_VAR_IS ? !strcmp(v, x->b)
             : x->kind == EXP_VAR_CONTAINS ? strstr(v, x->b) != NULL
             : regexec(x->re, v, 0, NULL, 0) == 0;
    }
    case EXP_SMS:
        for (i = 0; i < log->n; i++) {
            const logged_event *e = &log->ev[i];
            if (e->kind != EV_SMS || (x->a && strcmp(e->name, x->a)) ||
                (x->contains && !strstr(e->text, x->contains)) ||
                (x->re && regexec(x->re, e->text, 0, NULL, 0)))
                continue;
            found = 1;
        }
        {
            sbuf b = {actual, size, 0};
            int any = 0;
            for (i = 0; i < log->n; i++)
                if (log->ev[i].kind == EV_SMS) {
                    add(&b, any ? "; to " : "to ", log->ev[i].name, ": \"");
                    add(&b, "", log->ev[i].text, "\"");
                    any = 1;
                }
            if (!any)
                snprintf(actual, size, "no SMS");
        }
        return found;
    case EXP_TRANSFER:
    case EXP_RECORD: {
        engine_event_kind k = x->kind == EXP_TRANSFER ? EV_TRANSFER
                                                      : EV_RECORD;
        for (i = 0; i < log->n; i++)
            if (log->ev[i].kind == k &&
                (!x->a || !strcmp(k == EV_TRANSFER ? log->ev[i].text
                                                   : log->ev[i].name, x->a)))
                found = 1;
        list_of(log, k, k == EV_TRANSFER ? 0 : 1, actual, size);
        return found;
    }
    case EXP_END: {
        const char *want = x->a;
        if (!strcmp(want, "caller"))
            want = ENGINE_END_CALLER;
        else if (!strcmp(want, "exhausted"))
            want = ENGINE_END_EXHAUSTED;
        snprintf(actual, size, "%s", h ? h->reason : "the call did not end");
        return h && !strcmp(h->reason, want);
    }
    case EXP_REQUEST: {
        sbuf b = {actual, size, 0};
        int any = 0;
        for (i = 0; i < log->n; i++) {
            const logged_event *e = &log->ev[i];
            if (e->kind != EV_FETCH)
                continue;
            if ((!x->b || !strcmp(e->name, x->b)) &&
                http_url_matches(x->a, e->text))
                found = 1;
            add(&b, any ? "; " : "", e->name, " ");
            add(&b, "", e->text, "");
            any = 1;
        }
        if (!any)
            snprintf(actual, size, "no request");
        return found;
    }
    case EXP_CONFIRMED:
        snprintf(actual, size, "%s", h && *h->text ? h->text
                 : "no outcome (not an outbound call?)");
        return h && !strcmp(h->text, "confirmed");
    case EXP_DURATION: {
        double d = h ? h->duration : log->n ? log->ev[log->n - 1].t : 0;
        snprintf(actual, size, "%.2fs", d);
        return cmp(d, x->op, x->num);
    }
    case EXP_NOINPUT:
    case EXP_NOMATCH:
        for (i = 0; i < log->n; i++)
            n += log->ev[i].kind == (x->kind == EXP_NOINPUT ? EV_NOINPUT
                                                            : EV_NOMATCH);
        snprintf(actual, size, "%d", n);
        return cmp(n, x->op, x->num);
    }
    return 0;
}

static void expected_text(const script_expect *x, char *out, size_t size)
{
    switch (x->kind) {
    case EXP_DURATION:
        snprintf(out, size, "%sduration %s%gs", x->negate ? "not " : "",
                 op_name(x->op), x->num);
        break;
    case EXP_NOINPUT:
    case EXP_NOMATCH:
        snprintf(out, size, "%s%s %s%g", x->negate ? "not " : "",
                 x->kind == EXP_NOINPUT ? "noinput" : "nomatch",
                 op_name(x->op), x->num);
        break;
    default:
        snprintf(out, size, "%s", x->what);
    }
}

int script_names_file(const char *text)
{
    static const char *const ext[] = {".wav", ".ulaw", ".alaw", ".au",
                                      ".flac", ".ogg", ".mp3", ".gsm",
                                      ".raw", NULL};
    size_t n = strlen(text), e;
    int i;

    if (strchr(text, '/'))
        return 1;
    for (i = 0; ext[i]; i++)
        if (n > (e = strlen(ext[i])) && !strcasecmp(text + n - e, ext[i]))
            return 1;
    return 0;
}

/* Over SIP only what the line carries is known: the prompts heard, a
 * REFER, the BYE, the call's length. Why an expectation cannot be judged
 * there, or NULL. */
static const char *unheard(const script_expect *x)
{
    switch (x->kind) {
    case EXP_PROMPT_IS:
    case EXP_PROMPT_CONTAINS:
        return script_names_file(x->a)
                   ? "a recording's file name is not heard on a line"
                   : NULL;
    case EXP_TRANSFER:
    case EXP_DURATION:
        return NULL;
    case EXP_END:
        /* the IVR's BYE says it hung up, not why */
        return !strcmp(x->a, ENGINE_END_HANGUP) ||
               !strcmp(x->a, ENGINE_END_TRANSFER) ||
               !strcmp(x->a, "caller") ? NULL
               : "a remote IVR's reason for hanging up is not heard";
    case EXP_PROMPT_MATCHES:
        return "a pattern is not listened for on a remote IVR";
    case EXP_MENU:
    case EXP_PATH:
        return "a remote IVR's menus are not heard";
    case EXP_VAR_IS:
    case EXP_VAR_CONTAINS:
    case EXP_VAR_MATCHES:
        return "a remote IVR's variables are not heard";
    case EXP_SMS:
    case EXP_REQUEST:
    case EXP_RECORD:
        return "what a remote IVR does off the line is not heard";
    case EXP_CONFIRMED:
    case EXP_NOINPUT:
    case EXP_NOMATCH:
        return "a remote IVR's judgement of the caller is not heard";
    }
    return NULL;
}

static int check(const call_script *s, const call_log *log, int remote,
                 script_report *rep)
{
    int i;

    memset(rep, 0, sizeof *rep);
    if (s->nexpects == 0)
        return 0;
    rep->r = calloc((size_t)s->nexpects, sizeof *rep->r);
    if (!rep->r)
        return -1;
    for (i = 0; i < s->nexpects; i++) {
        const script_expect *x = &s->expects[i];
        expect_result *r = &rep->r[rep->n++];
        char actual[400], expected[256];
        int pass;
        r->line = x->line;
        snprintf(r->what, sizeof r->what, "expect %s", x->what);
        if (remote && (r->skipped = unheard(x)) != NULL) {
            r->passed = 1;
            continue;
        }
        pass = judge(x, log, actual, sizeof actual);
        if (x->negate)
            pass = !pass;
        r->passed = pass;
        if (!pass) {
            expected_text(x, expected, sizeof expected);
            /* each half of the report gets its share of the line */
            snprintf(r->detail, sizeof r->detail, "expected: %.240s\n"
                     "actual:   %.240s", expected, actual);
            rep->failed++;
        }
    }
    return 0;
}

int script_check(const call_script *s, const call_log *log,
                 script_report *rep)
{
    return check(s, log, 0, rep);
}

int script_check_remote(const call_script *s, const call_log *log,
                        script_report *rep)
{
    return check(s, log, 1, rep);
}

void script_report_free(script_report *rep)
{
    free(rep->r);
    memset(rep, 0, sizeof *rep);
}
