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
 * the fly. The job belongs to the engine and the thread together; the
 * last to let go frees it, so a call that ends or barges in never waits
 * for a synthesis.
 */
#include "engine_internal.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

struct synth_job {
    pthread_mutex_t lock;
    int refs;                  /* the engine's and the thread's */
    int done, status;
    ivr_error err;
    char *text, *voice, *cache_dir;
    float *samples;
    size_t n;
};

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
    synth_job *j = calloc(1, sizeof *j);
    pthread_attr_t attr;
    pthread_t thread;
    int started;

    if (!j || !(j->text = strdup(text)) || !(j->voice = strdup(voice)) ||
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
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* not the call clock's real-time priority, which it would inherit */
    pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
    pthread_attr_setschedpolicy(&attr, SCHED_OTHER);
    pthread_attr_setschedparam(&attr, &(struct sched_param){0});
    started = pthread_create(&thread, &attr, synthesise, j) == 0;
    pthread_attr_destroy(&attr);
    if (!started) {
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
        *samples = j->samples;
        *n = j->n;
        j->samples = NULL;
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
