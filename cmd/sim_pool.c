/*
 * sim_pool.c: recognisers loaded ahead of the SIP calls that will need
 * them. Loading the model takes a second of CPU; taken on a call's own
 * thread it held that call's audio up, and ten calls arriving together
 * held each other up for five (bench/sip.sh: the callers' words were lost
 * while their frames waited). A loader thread, at a lower priority than
 * the calls, keeps a few spare; a call takes one when it is answered, and
 * gives it back when it ends, for the next. When none is spare, the call
 * loads its own as it is answered, before its clock starts: the caller
 * hears the greeting a moment later, not a stutter in it.
 */
#include "sim.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

struct asr_pool {
    int say_when_loaded;        /* print it once spare are loaded */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t loader;
    int started, stop;
    asr_opts opts;
    int spare;
    asr_recognizer **free_list;
    int nfree, cap;
};

static int push(asr_pool *p, asr_recognizer *a)
{
    if (p->nfree == p->cap) {
        int cap = p->cap ? p->cap * 2 : 8;
        asr_recognizer **l = realloc(p->free_list, (size_t)cap * sizeof *l);
        if (!l)
            return -1;
        p->free_list = l;
        p->cap = cap;
    }
    p->free_list[p->nfree++] = a;
    return 0;
}

static void *load_spares(void *arg)
{
    asr_pool *p = arg;
    struct timespec t0, t1;
    int said = !p->say_when_loaded;

    /* the calls' threads first (Linux: this thread only) */
    (void)setpriority(PRIO_PROCESS, 0, 10);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_mutex_lock(&p->lock);
    while (!p->stop) {
        asr_recognizer *a;
        ivr_error err;
        if (p->nfree >= p->spare) {
            if (!said) {
                said = 1;
                clock_gettime(CLOCK_MONOTONIC, &t1);
                printf("ivr-sim: recognisers for %d call%s loaded (%.1f s)\n",
                       p->spare, p->spare == 1 ? "" : "s",
                       (double)(t1.tv_sec - t0.tv_sec) +
                           (t1.tv_nsec - t0.tv_nsec) / 1e9);
                fflush(stdout);
            }
            pthread_cond_wait(&p->wake, &p->lock);
            continue;
        }
        pthread_mutex_unlock(&p->lock);
        a = asr_new(ENGINE_RATE, &p->opts, NULL, NULL, &err);
        pthread_mutex_lock(&p->lock);
        if (!a || push(p, a) != 0) {
            asr_free(a);
            break;   /* the calls load their own, as without a pool */
        }
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

asr_pool *asr_pool_new(const menu_file *m, double min_confidence, int spare,
                       int say_when_loaded)
{
    asr_pool *p;
    int i;

    for (i = 0; i < m->nmenus && !m->menus[i]->choices; i++)
        ;
    if (i == m->nmenus || !(p = calloc(1, sizeof *p)))
        return NULL;   /* no menu takes speech: nothing to load */
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    p->opts.mode = ASR_CHOICES;
    p->opts.spec = m->menus[i]->choices;
    p->opts.min_confidence = min_confidence;
    p->spare = spare;
    p->say_when_loaded = say_when_loaded;
    p->started = pthread_create(&p->loader, NULL, load_spares, p) == 0;
    return p;
}

asr_recognizer *asr_pool_take(asr_pool *p)
{
    asr_recognizer *a = NULL;
    ivr_error err;

    if (!p)
        return NULL;
    pthread_mutex_lock(&p->lock);
    if (p->nfree > 0)
        a = p->free_list[--p->nfree];
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    /* none spare: one of the call's own, now (NULL: the engine tries
     * again, and says why it cannot) */
    if (!a)
        a = asr_new(ENGINE_RATE, &p->opts, NULL, NULL, &err);
    /* one given back listens for its last call's last menu: the first
     * menu's grammar is made again now, before the call's clock starts */
    else if (asr_set_choices(a, p->opts.spec, &err) != IVR_OK) {
        asr_free(a);
        a = NULL;
    }
    return a;
}

void asr_pool_give(asr_pool *p, asr_recognizer *a)
{
    if (!a)
        return;
    if (!p) {
        asr_free(a);
        return;
    }
    pthread_mutex_lock(&p->lock);
    if (push(p, a) != 0)
        asr_free(a);
    pthread_mutex_unlock(&p->lock);
}

void asr_pool_free(asr_pool *p)
{
    int i;

    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    if (p->started)
        pthread_join(p->loader, NULL);
    for (i = 0; i < p->nfree; i++)
        asr_free(p->free_list[i]);
    free(p->free_list);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
