/*
 * engine_synth.c: prompts synthesised off a real-time line's clock
 * (engine_opts.real_time).
 *
 * flite takes 50 to 300 ms for a sentence, and one process's calls take
 * turns at it (it is not thread-safe: tts.c's lock), so ten SIP calls
 * greeted at once held the tenth call's frames a second (bench/sip.sh).
 * A prompt the cache holds is read at once; one it does not is
 * synthesised on a thread of its own, at a lower priority than the
 * calls', while the line stays silent, and plays when it is ready: the
 * caller hears the IVR think, as on any IVR whose prompts are spoken on
 * the fly. A job belongs to the engines that wait for it and to its
 * thread; the last to let go frees it, so a call that ends or barges in
 * never waits for a synthesis. Calls that want the same prompt while it
 * is being made share its job: fifty calls greeted at once on a cold
 * cache make the greeting once, not fifty times in turn.
 */
#include "engine_internal.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

struct synth_job {
    synth_job *next;           /* the jobs running, under running_lock */
    pthread_mutex_t lock;
    int refs;                  /* the engines' and the thread's */
    int done, status;
    ivr_error err;
    char *text, *voice, *cache_dir;
    float *samples;
    size_t n;
};

static pthread_mutex_t running_lock = PTHREAD_MUTEX_INITIALIZER;
static synth_job *running;

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* A job making text in voice into cache_dir now, with a reference more;
 * NULL when none is. */
static synth_job *join_running(const char *text, const char *voice,
                               const char *cache_dir)
{
    synth_job *j;

    pthread_mutex_lock(&running_lock);
    for (j = running; j; j = j->next)
        if (!strcmp(j->text, text) && !strcmp(j->voice, voice) &&
            same(j->cache_dir, cache_dir)) {
            pthread_mutex_lock(&j->lock);
            j->refs++;
            pthread_mutex_unlock(&j->lock);
            break;
        }
    pthread_mutex_unlock(&running_lock);
    return j;
}

static void unlist(synth_job *j)
{
    synth_job **p;

    pthread_mutex_lock(&running_lock);
    for (p = &running; *p; p = &(*p)->next)
        if (*p == j) {
            *p = j->next;
            break;
        }
    pthread_mutex_unlock(&running_lock);
}

static void job_release(synth_job *j)
{
    int last;

    pthread_mutex_lock(&j->lock);
    last = --j->refs == 0;
    pthread_mutex_unlock(&j->lock);
    if (!last)
        return;
    pthread_mutex_destroy(&j->lock);
    free(j->text);
    free(j->voice);
    free(j->cache_dir);
    free(j->samples);
    free(j);
}

static void *synthesise(void *arg)
{
    synth_job *j = arg;
    tts_opts o;
    tts_engine *t;
    ivr_error err;
    float *x = NULL;
    size_t n = 0;
    int status;

    /* the calls' clocks first (Linux: this thread alone) */
    (void)setpriority(PRIO_PROCESS, 0, 5);
    ivr_error_clear(&err);
    memset(&o, 0, sizeof o);
    o.voice = j->voice;
    o.rate = ENGINE_RATE;
    o.cache_dir = j->cache_dir;
    /* an engine of its own: the call's may be freed before this ends
     * (flite's voices are loaded once per process, so it is cheap) */
    if (!(t = tts_new(&o, &err)))
        status = err.status;
    else
        status = tts_speak(t, j->text, &x, &n, NULL, &err);
    tts_free(t);
    /* no one joins it from now on: its audio is in the cache (or its
     * failure is this job's alone) */
    unlist(j);
    pthread_mutex_lock(&j->lock);
    j->samples = x;
    j->n = n;
    j->status = status;
    j->err = err;
    j->done = 1;
    pthread_mutex_unlock(&j->lock);
    job_release(j);
    return NULL;
}

synth_job *synth_start(const char *text, const char *voice,
                       const char *cache_dir, ivr_error *err)
{
    synth_job *j = join_running(text, voice, cache_dir);
    pthread_attr_t attr;
    pthread_t thread;
    int started;

    if (j)
        return j;
    if (!(j = calloc(1, sizeof *j)) || !(j->text = strdup(text)) || !(j->voice = strdup(voice)) ||
        (cache_dir && !(j->cache_dir = strdup(cache_dir)))) {
        if (j) {
            free(j->text);
            free(j->voice);
            free(j);
        }
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&j->lock, NULL);
    j->refs = 2;
    pthread_mutex_lock(&running_lock);
    j->next = running;
    running = j;
    pthread_mutex_unlock(&running_lock);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* not the call clock's real-time priority, which it would inherit */
    pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
    pthread_attr_setschedpolicy(&attr, SCHED_OTHER);
    pthread_attr_setschedparam(&attr, &(struct sched_param){0});
    started = pthread_create(&thread, &attr, synthesise, j) == 0;
    pthread_attr_destroy(&attr);
    if (!started) {
        unlist(j);
        j->refs = 1;
        job_release(j);
        ivr_error_set(err, IVR_EINTERNAL, "cannot start a thread to "
                      "synthesise a prompt");
        return NULL;
    }
    return j;
}

int synth_take(synth_job *j, float **samples, size_t *n, ivr_error *err)
{
    int status;

    pthread_mutex_lock(&j->lock);
    if (!j->done) {
        pthread_mutex_unlock(&j->lock);
        return SYNTH_PENDING;
    }
    status = j->status;
    if (status == IVR_OK) {
        /* each engine that waited gets a copy of its own */
        *samples = malloc((j->n ? j->n : 1) * sizeof **samples);
        if (*samples) {
            memcpy(*samples, j->samples, j->n * sizeof **samples);
            *n = j->n;
        } else {
            status = ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        }
    } else if (err) {
        *err = j->err;
    }
    pthread_mutex_unlock(&j->lock);
    job_release(j);
    return status;
}

void synth_abandon(synth_job *j)
{
    if (j)
        job_release(j);
}
