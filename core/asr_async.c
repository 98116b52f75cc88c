/*
 * asr_async.c: utterances decoded on a thread of the recogniser's own
 * (asr_set_background), for a caller that must keep time while a decode
 * runs: a SIP call sends a frame every 20 ms, and a decode takes 50 to
 * 300 ms of CPU.
 *
 * The end-pointer stays on the caller's thread. An utterance that ends is
 * copied to the worker, which decodes it, niced, so that calls' clocks go
 * first on a busy machine, and keeps deep copies of its results; the
 * caller's thread gets them at its next asr_poll or asr_push, on its own
 * thread, so a result callback never runs beside the code it calls back.
 * One decode at a time: an utterance that ends while the last one is
 * still being decoded waits for it (two utterances within one decode's
 * time are rare, and their order is kept).
 */
#include "asr_internal.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* results one decode may give: keywords give one each */
#define HELD_MAX 64

typedef struct held_result {
    asr_result r, tail;
    char *text, *choice, *tail_text, *tail_choice;
    int *phrases_said;
    int64_t *phrases_end, *word_end;
    int has_tail;
} held_result;

struct asr_async {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake, idle;
    int busy, quit;
    /* the job: an utterance's audio, where it started */
    float *x;
    size_t n;
    int64_t start;
    int status;
    ivr_error err;
    held_result held[HELD_MAX];
    int nheld;
};

static void held_free(held_result *h)
{
    free(h->text);
    free(h->choice);
    free(h->tail_text);
    free(h->tail_choice);
    free(h->phrases_said);
    free(h->phrases_end);
    free(h->word_end);
    memset(h, 0, sizeof *h);
}

void asr_async_hold(asr_recognizer *a, const asr_result *r)
{
    asr_async *w = a->async;
    held_result *h;

    if (w->nheld == HELD_MAX)
        return;
    h = &w->held[w->nheld];
    h->r = *r;
    h->text = strdup(r->text ? r->text : "");
    h->choice = strdup(r->choice ? r->choice : "");
    if (r->tail) {
        h->tail = *r->tail;
        h->tail_text = strdup(r->tail->text ? r->tail->text : "");
        h->tail_choice = strdup(r->tail->choice ? r->tail->choice : "");
        h->has_tail = 1;
    }
    /* the recogniser's own array is the next utterance's by delivery */
    if (r->phrases_said &&
        (h->phrases_said = malloc((size_t)a->nlisten * sizeof(int))))
        memcpy(h->phrases_said, r->phrases_said,
               (size_t)a->nlisten * sizeof(int));
    if (r->phrases_end &&
        (h->phrases_end = malloc((size_t)a->nlisten * sizeof(int64_t))))
        memcpy(h->phrases_end, r->phrases_end,
               (size_t)a->nlisten * sizeof(int64_t));
    if (r->nwords > 0 &&
        (h->word_end = malloc((size_t)r->nwords * sizeof(int64_t))))
        memcpy(h->word_end, r->word_end, (size_t)r->nwords * sizeof(int64_t));
    if (!h->text || !h->choice ||
        (r->phrases_said && !h->phrases_said) ||
        (r->phrases_end && !h->phrases_end) ||
        (r->nwords > 0 && !h->word_end) ||
        (h->has_tail && (!h->tail_text || !h->tail_choice))) {
        held_free(h);
        return;
    }
    w->nheld++;
}

static void *worker(void *arg)
{
    asr_recognizer *a = arg;
    asr_async *w = a->async;

    /* the calls' clocks first: on Linux this nices this thread alone */
    (void)setpriority(PRIO_PROCESS, 0, 5);
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->busy && !w->quit)
            pthread_cond_wait(&w->wake, &w->lock);
        if (w->quit)
            break;
        pthread_mutex_unlock(&w->lock);
        /* the caller's thread touches nothing of the decoder while busy */
        ivr_error_clear(&w->err);
        w->status = asr_decode_held(a, w->x, w->n, w->start, &w->err);
        pthread_mutex_lock(&w->lock);
        w->busy = 0;
        pthread_cond_broadcast(&w->idle);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

int asr_async_start(asr_recognizer *a, ivr_error *err)
{
    asr_async *w;
    pthread_attr_t attr;
    int started;

    if (a->async)
        return IVR_OK;
    if (!(w = calloc(1, sizeof *w)))
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    pthread_cond_init(&w->idle, NULL);
    a->async = w;
    /* not a real-time caller's priority, which it would inherit */
    pthread_attr_init(&attr);
    pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
    pthread_attr_setschedpolicy(&attr, SCHED_OTHER);
    pthread_attr_setschedparam(&attr, &(struct sched_param){0});
    started = pthread_create(&w->thread, &attr, worker, a) == 0;
    pthread_attr_destroy(&attr);
    if (!started) {
        a->async = NULL;
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->wake);
        pthread_cond_destroy(&w->idle);
        free(w);
        return ivr_error_set(err, IVR_EINTERNAL, "cannot start the "
                             "recogniser's thread");
    }
    return IVR_OK;
}

void asr_async_wait(asr_recognizer *a)
{
    asr_async *w = a->async;

    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    while (w->busy)
        pthread_cond_wait(&w->idle, &w->lock);
    pthread_mutex_unlock(&w->lock);
}

static int worker_busy(asr_async *w)
{
    int busy;

    pthread_mutex_lock(&w->lock);
    busy = w->busy;
    pthread_mutex_unlock(&w->lock);
    return busy;
}

int asr_async_pending(const asr_recognizer *a)
{
    asr_async *w = a->async;
    int pending;

    if (!w)
        return 0;
    pthread_mutex_lock(&w->lock);
    /* the worker writes nheld only while busy */
    pending = w->busy || w->nheld > 0;
    pthread_mutex_unlock(&w->lock);
    return pending;
}

void asr_async_drop(asr_recognizer *a)
{
    int i;

    if (!a->async)
        return;
    asr_async_wait(a);
    for (i = 0; i < a->async->nheld; i++)
        held_free(&a->async->held[i]);
    a->async->nheld = 0;
    a->async->status = IVR_OK;
}

int asr_async_deliver(asr_recognizer *a, ivr_error *err)
{
    asr_async *w = a->async;
    int i, n, status;

    if (!w || worker_busy(w))
        return IVR_OK;
    /* the worker is idle: what it left is this thread's now */
    n = w->nheld;
    w->nheld = 0;
    for (i = 0; i < n; i++) {
        held_result *h = &w->held[i];
        h->r.text = h->text;
        h->r.choice = h->choice;
        h->r.phrases_said = h->phrases_said;
        h->r.phrases_end = h->phrases_end;
        h->r.word_end = h->word_end;
        if (h->has_tail) {
            h->tail.text = h->tail_text;
            h->tail.choice = h->tail_choice;
            h->r.tail = &h->tail;
        } else {
            h->r.tail = NULL;
        }
        if (a->on_result)
            a->on_result(&h->r, a->user);
        held_free(h);
    }
    status = w->status;
    w->status = IVR_OK;
    if (status != IVR_OK && err)
        *err = w->err;
    return status;
}

int asr_async_submit(asr_recognizer *a, const float *x, size_t n,
                     int64_t start, ivr_error *err)
{
    asr_async *w = a->async;
    float *copy = malloc((n ? n : 1) * sizeof *copy);
    int status;

    if (!copy)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    memcpy(copy, x, n * sizeof *x);
    /* the decode before, in order, first */
    asr_async_wait(a);
    if ((status = asr_async_deliver(a, err)) != IVR_OK) {
        free(copy);
        return status;
    }
    pthread_mutex_lock(&w->lock);
    free(w->x);
    w->x = copy;
    w->n = n;
    w->start = start;
    w->busy = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    return IVR_OK;
}

void asr_async_stop(asr_recognizer *a)
{
    asr_async *w = a->async;

    if (!w)
        return;
    asr_async_drop(a);
    pthread_mutex_lock(&w->lock);
    w->quit = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    pthread_cond_destroy(&w->idle);
    free(w->x);
    free(w);
    a->async = NULL;
}
