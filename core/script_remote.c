/*
 * script_remote.c: a call script played against an IVR over SIP.
 *
 * The caller is the one script_run plays (caller.c), its audio sent as
 * RTP and its keys as RFC 4733 events; the rules and the log are the same
 * (script_runner). What differs is the far end: no engine tells what it
 * did, so the call's log is what can be heard. The IVR's audio goes to a
 * prompt spotter listening for the script's phrases; when its turn ends
 * (the IVR pauses, as a caller waits for a prompt's end) each phrase heard
 * in it is logged as a prompt played to its end, at the end of its words,
 * which is what `when prompt` rules fire on. A `when menu` rule listens
 * for the first words its menu says on every visit.
 *
 * The caller runs on the call's thread (sip_line.h), a frame every 20 ms;
 * the spotter on a thread of its own, fed through a queue: decoding a
 * stretch takes a second or two, which the call's clock must not lose
 * (the caller would answer late, and the IVR time out). The two share the
 * runner (the log, the caller's schedule) under the call's lock; times
 * are the call's samples, whichever thread tells them. The line's own
 * thread only reports a call not answered.
 */
#include "script_internal.h"
#include "prompt_spot.h"
#include "sip_line.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define DEFAULT_RING_S 30.0
/* The IVR's pause that ends its turn: longer than the pauses between its
 * sentences (flite's are 0.2 to 0.4 s), shorter than any no-input
 * timeout */
#define STRETCH_END_MS 700
#define SIGNATURE_MAX 200
/* The IVR's audio waiting for the spotter: far more than a decode takes */
#define QUEUE_SAMPLES (60 * ENGINE_RATE)
#define SPOT_CHUNK 1600

typedef struct listened {
    const char *text;         /* as written in the script (or the menu) */
    const char *menu;         /* a `when menu` rule's: the menu it marks */
} listened;

typedef struct remote_call {
    script_runner R;
    const script_remote_opts *o;
    listened *phrases;
    int nphrases;
    char (*signatures)[SIGNATURE_MAX];
    prompt_spotter *spot;
    sip_call *call;
    int64_t samples;          /* of the call, since it was answered */
    double limit_ms;
    int answered, caller_hung_up, timed_out;
    char unanswered[128];
    ivr_error err;
    int failed;
    pthread_mutex_t lock;     /* the runner, samples, failed, err */
    /* the spotter's thread and its queue */
    pthread_t spot_thread;
    int spot_running;
    pthread_mutex_t qlock;
    pthread_cond_t qcond;
    float *queue;
    size_t qhead, qlen;
    int qclosed;
} remote_call;

static double now_s(const remote_call *rc)
{
    return (double)rc->samples / ENGINE_RATE;
}

static void emit(remote_call *rc, engine_event_kind kind, double t,
                 const char *text, const char *name, const char *reason,
                 double duration)
{
    engine_event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.t = t;
    ev.menu = "";
    ev.text = text;
    ev.name = name;
    ev.reason = reason;
    ev.duration = duration;
    script_runner_event(&ev, &rc->R);
}

/* A stretch of the IVR's speech has ended: what was heard in it (the
 * spotter's thread). */
static void on_stretch(const prompt_spot_result *r, void *user)
{
    remote_call *rc = user;
    char from[32], heard[600];
    int i;

    pthread_mutex_lock(&rc->lock);
    snprintf(from, sizeof from, "%.2f", r->start);
    snprintf(heard, sizeof heard, "heard: %s", *r->heard ? r->heard : "-");
    emit(rc, EV_IVR_SPEECH, r->start, from, NULL, heard, r->end - r->start);
    for (i = 0; i < rc->nphrases; i++) {
        if (!r->found[i])
            continue;
        if (rc->phrases[i].menu) {
            emit(rc, EV_MENU, r->start, rc->phrases[i].menu, NULL,
                 "its first words heard", 0);
            continue;
        }
        emit(rc, EV_PROMPT_START, r->start, rc->phrases[i].text, "say", NULL,
             0);
        /* as a prompt played to its end, where its words ended: a rule's
         * `after` counts from there, as from a prompt's end in a local run,
         * not from the end of all the IVR said after it (a rule waiting 6 s
         * after "That is not a valid account number." keyed its number into
         * the next no-input message, 14 s later than locally). A rule with
         * no `after` acts now, as the turn is told. */
        emit(rc, EV_PROMPT_END, r->ends[i], rc->phrases[i].text, "say",
             "done", 0);
    }
    pthread_mutex_unlock(&rc->lock);
}

static void fail(remote_call *rc, const ivr_error *err)
{
    pthread_mutex_lock(&rc->lock);
    if (!rc->failed) {
        rc->failed = 1;
        rc->err = *err;
    }
    pthread_mutex_unlock(&rc->lock);
}

static void *spot_run(void *arg)
{
    remote_call *rc = arg;
    float buf[SPOT_CHUNK];
    ivr_error err;

    ivr_error_clear(&err);
    /* the calls' own threads first: a late frame is audio lost, a late
     * decode only a caller who answers a moment later (Linux takes "the
     * calling process" as the calling thread; elsewhere the process is
     * niced, no worse) */
    (void)setpriority(PRIO_PROCESS, 0, 10);
    for (;;) {
        size_t n, i;
        int closed;
        pthread_mutex_lock(&rc->qlock);
        while (rc->qlen == 0 && !rc->qclosed)
            pthread_cond_wait(&rc->qcond, &rc->qlock);
        n = rc->qlen < SPOT_CHUNK ? rc->qlen : SPOT_CHUNK;
        for (i = 0; i < n; i++)
            buf[i] = rc->queue[(rc->qhead + i) % QUEUE_SAMPLES];
        rc->qhead = (rc->qhead + n) % QUEUE_SAMPLES;
        rc->qlen -= n;
        closed = rc->qclosed && rc->qlen == 0;
        pthread_mutex_unlock(&rc->qlock);
        if (n && prompt_spotter_push(rc->spot, buf, n, &err) != IVR_OK)
            break;
        if (closed) {
            /* what the IVR said last, before its BYE */
            prompt_spotter_flush(rc->spot, &err);
            break;
        }
    }
    if (err.status)
        fail(rc, &err);
    return NULL;
}

/* The IVR's frame, queued for the spotter (the call's thread). */
static void queue_audio(remote_call *rc, const float *x, size_t n)
{
    size_t i;
    int full;

    pthread_mutex_lock(&rc->qlock);
    full = rc->qlen + n > QUEUE_SAMPLES;
    for (i = 0; i < n && !full; i++)
        rc->queue[(rc->qhead + rc->qlen + i) % QUEUE_SAMPLES] = x[i];
    if (!full)
        rc->qlen += n;
    pthread_cond_signal(&rc->qcond);
    pthread_mutex_unlock(&rc->qlock);
    if (full) {
        ivr_error err;
        ivr_error_set(&err, IVR_EINTERNAL, "listening fell %d s behind the "
                      "call", QUEUE_SAMPLES / ENGINE_RATE);
        fail(rc, &err);
    }
}

static void stop_spotting(remote_call *rc)
{
    if (!rc->spot_running)
        return;
    pthread_mutex_lock(&rc->qlock);
    rc->qclosed = 1;
    pthread_cond_signal(&rc->qcond);
    pthread_mutex_unlock(&rc->qlock);
    pthread_join(rc->spot_thread, NULL);
    rc->spot_running = 0;
}

/* ------------------------------------------------------------------------
 * What to listen for
 */

/* The first words menu n says on every visit: the first sentence of its
 * first prompt for the first attempt (the greeting when it has only
 * that), up to the first variable. 0, or -1 when it says none. */
static int menu_signature(const menu_node *n, char *out, size_t size)
{
    const menu_prompt *best = NULL;
    const char *t = NULL;
    size_t len;
    int i;

    for (i = 0; i < n->nprompts; i++) {
        const menu_prompt *p = &n->prompts[i];
        if (p->lang[0] || p->attempt > 1 || p->nitems == 0)
            continue;
        if (!best || (best->kind == PROMPT_GREETING &&
                      p->kind == PROMPT_EVERY))
            best = p;
    }
    for (i = 0; best && i < best->nitems && !t; i++)
        if (best->items[i].kind == ITEM_SAY)
            t = best->items[i].text;
    if (!t)
        return -1;
    len = strcspn(t, "{.?!");
    while (len > 0 && t[len - 1] == ' ')
        len--;
    if (len == 0)
        return -1;
    snprintf(out, size, "%.*s", (int)len, t);
    return 0;
}

/* Everything a menu may say, as words: its prompts and the `say`s of its
 * actions, variables left out. */
typedef struct words_buf {
    char *s;
    size_t len, cap;
    int failed;
} words_buf;

static void add_text(words_buf *b, const char *text)
{
    char plain[2048], words[4096];
    size_t n = 0;

    /* "{account}" is a value, not words */
    for (; *text && n < sizeof plain - 1; text++) {
        if (*text == '{') {
            const char *end = strchr(text, '}');
            if (end) {
                text = end;
                plain[n++] = ' ';
                continue;
            }
        }
        plain[n++] = *text;
    }
    plain[n] = '\0';
    if (prompt_spot_words(plain, words, sizeof words) != 0 || !*words)
        return;
    n = strlen(words);
    if (b->len + n + 2 > b->cap) {
        size_t cap = (b->cap + n + 2) * 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->failed = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    b->len += (size_t)sprintf(b->s + b->len, "%s%s", b->len ? " " : "",
                              words);
}

static void add_action_words(words_buf *b, const menu_action *a)
{
    for (; a; a = a->next) {
        if (a->kind == ACT_SAY && a->text)
            add_text(b, a->text);
        add_action_words(b, a->then_act);
        add_action_words(b, a->else_act);
    }
}

static void add_entry_words(words_buf *b, const menu_entry *e, int n)
{
    int i;

    for (i = 0; i < n; i++)
        add_action_words(b, e[i].action);
}

static char *menu_words(const menu_file *m)
{
    words_buf b = {NULL, 0, 0, 0};
    int i, j, k;

    for (i = 0; m && i < m->nmenus; i++) {
        const menu_node *n = m->menus[i];
        for (j = 0; j < n->nprompts; j++)
            for (k = 0; k < n->prompts[j].nitems; k++)
                if (n->prompts[j].items[k].kind == ITEM_SAY)
                    add_text(&b, n->prompts[j].items[k].text);
        add_entry_words(&b, n->entries, n->nentries);
    }
    if (m) {
        add_entry_words(&b, m->globals, m->nglobals);
        add_entry_words(&b, m->global_events, m->nglobal_events);
    }
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

static int add_phrase(remote_call *rc, const char *text, const char *menu)
{
    int i;

    for (i = 0; i < rc->nphrases; i++)
        if (!strcmp(rc->phrases[i].text, text) &&
            (rc->phrases[i].menu == NULL) == (menu == NULL))
            return i;
    rc->phrases[rc->nphrases].text = text;
    rc->phrases[rc->nphrases].menu = menu;
    return rc->nphrases++;
}

/* The phrases of the script's prompt rules and expectations, and its
 * menus' first words. */
static int gather_phrases(remote_call *rc, const call_script *s,
                          const menu_file *m, ivr_error *err)
{
    int i, n = s->nrules + s->nexpects;

    rc->phrases = calloc((size_t)n + 1, sizeof *rc->phrases);
    rc->signatures = calloc((size_t)s->nrules + 1, sizeof *rc->signatures);
    if (!rc->phrases || !rc->signatures)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    for (i = 0; i < s->nrules; i++) {
        const script_rule *r = &s->rules[i];
        const menu_node *node;
        switch (r->trigger) {
        case WHEN_PROMPT_IS:
        case WHEN_PROMPT_CONTAINS:
            if (script_names_file(r->pattern))
                return ivr_error_set(err, IVR_EINPUT, "%s:%d: a sound "
                                     "file's name cannot be listened for on "
                                     "a remote IVR (name words it says)",
                                     s->path, r->line);
            add_phrase(rc, r->pattern, NULL);
            break;
        case WHEN_PROMPT_MATCHES:
            return ivr_error_set(err, IVR_EINPUT, "%s:%d: a pattern cannot "
                                 "be listened for on a remote IVR (use "
                                 "'when prompt contains')", s->path, r->line);
        case WHEN_MENU:
            node = m ? menu_find(m, r->pattern) : NULL;
            if (!node || menu_signature(node, rc->signatures[i],
                                        SIGNATURE_MAX) != 0)
                return ivr_error_set(err, IVR_EINPUT, "%s:%d: menu '%s' "
                                     "says nothing to know it by on a remote "
                                     "IVR (use 'when prompt contains')",
                                     s->path, r->line, r->pattern);
            add_phrase(rc, rc->signatures[i], r->pattern);
            break;
        }
    }
    for (i = 0; i < s->nexpects; i++) {
        const script_expect *x = &s->expects[i];
        if ((x->kind == EXP_PROMPT_IS || x->kind == EXP_PROMPT_CONTAINS) &&
            !script_names_file(x->a))
            add_phrase(rc, x->a, NULL);
    }
    return IVR_OK;
}

/* ------------------------------------------------------------------------
 * The call's hooks
 */

static int send_key(char key, int ms, void *user)
{
    remote_call *rc = user;

    if (sip_call_send_key(rc->call, key, ms) != 0)
        return -1;
    emit(rc, EV_DTMF, now_s(rc), (char[2]){key, '\0'}, NULL, NULL, 0);
    return 0;
}

static void *on_answered(sip_call *c, void *user)
{
    remote_call *rc = user;

    rc->call = c;
    rc->answered = 1;
    if (!rc->o->inband_keys)
        caller_set_key_sink(rc->R.c, send_key, rc);
    emit(rc, EV_CALL_START, 0, rc->R.s->caller ? rc->R.s->caller : "",
         sip_call_called(c), NULL, 0);
    if (rc->spot) {
        if (pthread_create(&rc->spot_thread, NULL, spot_run, rc) != 0)
            return NULL;
        rc->spot_running = 1;
    }
    return rc;
}

static int on_frame(void *call, const float *in, float *out)
{
    remote_call *rc = call;
    int on_line, going;

    if (rc->spot)
        queue_audio(rc, in, ENGINE_FRAME);
    pthread_mutex_lock(&rc->lock);
    on_line = caller_frame(rc->R.c, NULL, out, &rc->err);
    if ((on_line < 0 || rc->R.failed) && !rc->failed) {
        rc->failed = 1;
        if (!rc->err.status)
            rc->err = rc->R.err;
    }
    rc->samples += ENGINE_FRAME;
    if (caller_time_ms(rc->R.c) > rc->R.hangup_at_ms)
        rc->caller_hung_up = 1;
    if (now_s(rc) * 1000.0 >= rc->limit_ms)
        rc->timed_out = 1;
    going = !rc->failed && !rc->caller_hung_up && !rc->timed_out;
    pthread_mutex_unlock(&rc->lock);
    return going;
}

static void on_ended(void *call, const char *why)
{
    remote_call *rc = call;
    char target[256];
    const char *reason;

    /* the IVR's BYE is its hangup; a line that failed is no verdict of
     * the IVR's (its audio stopped: it went away, or never began) */
    if (why && strcmp(why, "caller hung up")) {
        ivr_error lost;
        ivr_error_set(&lost, IVR_EOUTPUT, "the call was lost: %s",
                      strncmp(why, "no audio", 8)
                          ? why
                          : "no audio from the IVR for 10 s");
        fail(rc, &lost);
    }
    stop_spotting(rc);
    sip_call_referred_to(rc->call, target, sizeof target);
    if (*target) {
        /* sip:agents@pbx: the user part is what the menu named */
        const char *u = strncmp(target, "sip:", 4) ? target : target + 4;
        char who[256];
        snprintf(who, sizeof who, "%.*s", (int)strcspn(u, "@;>"), u);
        emit(rc, EV_TRANSFER, now_s(rc), who, NULL, NULL, 0);
        reason = ENGINE_END_TRANSFER;
    } else if (rc->failed) {
        reason = ENGINE_END_ERROR;
    } else if (rc->timed_out) {
        reason = ENGINE_END_TIME_LIMIT;
    } else if (rc->caller_hung_up) {
        reason = ENGINE_END_CALLER;
    } else {
        reason = ENGINE_END_HANGUP;
    }
    emit(rc, EV_HANGUP, now_s(rc), NULL, NULL, reason, now_s(rc));
}

static void on_unanswered(const char *why, void *user)
{
    remote_call *rc = user;

    snprintf(rc->unanswered, sizeof rc->unanswered, "%s", why);
}

/* Every word the caller may say, spoken into the cache before the call:
 * synthesis on the call's thread would hold its frames up (ten callers
 * speaking at once lost their words that way). */
static int prepare_words(remote_call *rc, const call_script *s,
                         ivr_error *err)
{
    int i, status = IVR_OK;

    for (i = 0; i < s->nsteps && status == IVR_OK; i++)
        if (s->steps[i].kind == STEP_SAY)
            status = caller_prepare_words(rc->R.c, s->steps[i].text, err);
    for (i = 0; i < s->nrules && status == IVR_OK; i++)
        if (s->rules[i].action == STEP_SAY)
            status = caller_prepare_words(rc->R.c, s->rules[i].text, err);
    return status;
}

/* The line listens where the target can reach it back: on loopback for a
 * target there, else on this machine's own address. */
static const char *local_address(const char *target)
{
    const char *host = strchr(target, '@');

    host = host ? host + 1 : target + strlen("sip:");
    return !strncmp(host, "127.", 4) || !strncmp(host, "localhost", 9)
               ? "127.0.0.1:0" : "0.0.0.0:0";
}

int script_run_remote(const call_script *s, const menu_file *m,
                      const script_remote_opts *o, call_log *log,
                      ivr_error *err)
{
    remote_call rc;
    sip_line_hooks h;
    sip_line *line = NULL;
    const char **texts = NULL;
    char *context = menu_words(m);
    int rc_status, i, bad = -1;

    memset(&rc, 0, sizeof rc);
    rc.o = o;
    pthread_mutex_init(&rc.lock, NULL);
    pthread_mutex_init(&rc.qlock, NULL);
    pthread_cond_init(&rc.qcond, NULL);
    rc.limit_ms = 1000.0 * script_limit_seconds(s, o->default_limit);
    if ((rc_status = gather_phrases(&rc, s, m, err)) != IVR_OK)
        goto done;
    if (!(texts = calloc((size_t)rc.nphrases + 1, sizeof *texts)) ||
        !(rc.queue = malloc(QUEUE_SAMPLES * sizeof *rc.queue))) {
        rc_status = ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        goto done;
    }
    for (i = 0; i < rc.nphrases; i++)
        texts[i] = rc.phrases[i].text;
    /* a script that listens for nothing (a load test) decodes nothing */
    if (rc.nphrases > 0 &&
        !(rc.spot = prompt_spotter_new(texts, rc.nphrases, context,
                                       STRETCH_END_MS, on_stretch, &rc, &bad,
                                       err))) {
        if (bad >= 0) {
            char why[sizeof err->message];
            snprintf(why, sizeof why, "%s", err->message);
            ivr_error_set(err, err->status, "%s: %s", s->path, why);
        }
        rc_status = err->status;
        goto done;
    }
    if ((rc_status = script_runner_init(&rc.R, s, log, o->tts_cache, err)) !=
        IVR_OK || (rc_status = prepare_words(&rc, s, err)) != IVR_OK)
        goto done;
    memset(&h, 0, sizeof h);
    h.incoming = on_answered;
    h.frame = on_frame;
    h.ended = on_ended;
    h.unanswered = on_unanswered;
    h.user = &rc;
    if (!(line = sip_line_open(local_address(o->target), &h, err)) ||
        sip_line_dial(line, o->target, s->caller,
                      o->ring_seconds > 0 ? o->ring_seconds : DEFAULT_RING_S,
                      err) != IVR_OK ||
        sip_line_run(line, err) != IVR_OK) {
        rc_status = err->status;
        goto done;
    }
    if (!rc.answered)
        rc_status = ivr_error_set(err, IVR_EOUTPUT, "%s: %s", o->target,
                                  *rc.unanswered ? rc.unanswered
                                                 : "no answer");
    else if (rc.failed)
        rc_status = ivr_error_set(err, rc.err.status ? rc.err.status
                                                     : IVR_EINTERNAL,
                                  "%s: %s", s->path, rc.err.message);
done:
    sip_line_close(line);
    stop_spotting(&rc);   /* a call ended without its hook (interrupted) */
    free(rc.queue);
    pthread_cond_destroy(&rc.qcond);
    pthread_mutex_destroy(&rc.qlock);
    pthread_mutex_destroy(&rc.lock);
    prompt_spotter_free(rc.spot);
    script_runner_free(&rc.R);
    free(texts);
    free(context);
    free(rc.phrases);
    free(rc.signatures);
    return rc_status;
}
