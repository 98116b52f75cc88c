/*
 * suite.c: running call scripts, alone or in worker processes.
 *
 * With -j N, N workers are forked; worker w runs the scripts i with
 * i % N == w, each with one recogniser loaded once and the shared prompt
 * cache, and writes every result down a pipe as soon as it has it. The
 * parent reads the pipes as they fill and hands results on strictly in
 * the scripts' order, so the output is the same whatever the timing.
 */
#include "suite.h"
#include "script.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TAIL_EVENTS 6

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------------------
 * One case
 */

typedef struct menu_cache {
    char **paths;
    menu_file **menus;
    int n;
} menu_cache;

static menu_file *cached_menu(menu_cache *mc, const char *path,
                              const char *const *allow_dirs, ivr_error *err)
{
    menu_load_opts lo = {NULL, allow_dirs};
    menu_file *m;
    char **p;
    menu_file **ms;
    int i;

    for (i = 0; i < mc->n; i++)
        if (!strcmp(mc->paths[i], path))
            return mc->menus[i];
    if (!(m = menu_load_with(path, &lo, err)))
        return NULL;
    p = realloc(mc->paths, (size_t)(mc->n + 1) * sizeof *p);
    if (p)
        mc->paths = p;
    ms = p ? realloc(mc->menus, (size_t)(mc->n + 1) * sizeof *ms) : NULL;
    if (!ms || !(p[mc->n] = strdup(path))) {
        if (ms)
            mc->menus = ms;
        menu_free(m);
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    mc->menus = ms;
    mc->menus[mc->n++] = m;
    return m;
}

static void cache_free(menu_cache *mc)
{
    int i;

    for (i = 0; i < mc->n; i++) {
        free(mc->paths[i]);
        menu_free(mc->menus[i]);
    }
    free(mc->paths);
    free(mc->menus);
}

static int add_point(suite_case *c, int ok, const char *name, const char *diag)
{
    suite_point *p = realloc(c->points, (size_t)(c->npoints + 1) * sizeof *p);

    if (!p)
        return -1;
    c->points = p;
    p[c->npoints].ok = ok;
    p[c->npoints].name = strdup(name);
    p[c->npoints].diag = diag && *diag ? strdup(diag) : NULL;
    c->npoints++;
    c->failed += !ok;
    return 0;
}

static int add_hit(suite_case *c, const char *hit)
{
    char **h;
    int i;

    for (i = 0; i < c->nhits; i++)
        if (!strcmp(c->hits[i], hit))
            return 0;
    h = realloc(c->hits, (size_t)(c->nhits + 1) * sizeof *h);
    if (!h)
        return -1;
    c->hits = h;
    if (!(h[c->nhits] = strdup(hit)))
        return -1;
    c->nhits++;
    return 0;
}

/* What the call exercised: menus, entries (and how), branches. */
static void collect_hits(suite_case *c, const char *menu_path,
                         const call_log *log)
{
    char hit[1024], lang[32] = "";
    int i;

    for (i = 0; i < log->n; i++) {
        const logged_event *e = &log->ev[i];
        switch (e->kind) {
        case EV_SET:
            /* the language the next menus are heard in */
            if (!strcmp(e->name, "lang"))
                snprintf(lang, sizeof lang, "%s", e->text);
            continue;
        case EV_MENU:
            if (*lang) {
                snprintf(hit, sizeof hit, "lang\t%s\t%s\t%s", menu_path,
                         e->text, lang);
                add_hit(c, hit);
            }
            snprintf(hit, sizeof hit, "menu\t%s\t%s", menu_path, e->text);
            break;
        case EV_MATCH:
            /* by key or by speech (a collected value is keys) */
            snprintf(hit, sizeof hit, "entry\t%s\t%s\t%s\t%s", menu_path,
                     e->menu, e->name,
                     strcmp(e->reason, "speech") ? "key" : "speech");
            break;
        case EV_NOINPUT:
        case EV_NOMATCH:
        case EV_EXHAUSTED:
            snprintf(hit, sizeof hit, "branch\t%s\t%s\t%s", menu_path,
                     e->menu, engine_event_name(e->kind));
            break;
        case EV_FETCH:
            /* a fetch without a status: the menu's `on error` ran */
            if (!e->reason[0] || isdigit((unsigned char)e->reason[0]))
                continue;
            snprintf(hit, sizeof hit, "branch\t%s\t%s\terror", menu_path,
                     e->menu);
            break;
        case EV_BRANCH:
            /* which way an if went: by where it is written */
            snprintf(hit, sizeof hit, "if\t%s\t%s\t%s", menu_path, e->reason,
                     e->name);
            break;
        default:
            continue;
        }
        add_hit(c, hit);
    }
}

static void tail_of(const call_log *log, char *out, size_t size)
{
    size_t len = 0;
    int i;

    out[0] = '\0';
    len += (size_t)snprintf(out, size, "the last events:");
    for (i = log->n > TAIL_EVENTS ? log->n - TAIL_EVENTS : 0;
         i < log->n && len < size; i++) {
        char line[600];
        call_log_format(&log->ev[i], line, sizeof line);
        len += (size_t)snprintf(out + len, size - len, "\n  %s", line);
    }
}

static void run_case(const char *path, const suite_opts *o, menu_cache *mc,
                     asr_recognizer **asr, suite_case *c)
{
    call_script *s;
    menu_file *m;
    call_log log = {0};
    script_report rep;
    script_run_opts ro;
    script_remote_opts rro;
    ivr_error err;
    double t0 = now();
    char name[1024];
    int i;

    memset(c, 0, sizeof *c);
    c->path = strdup(path);
    ivr_error_clear(&err);
    if (!(s = script_load(path, &err))) {
        /* the message names the file already */
        snprintf(name, sizeof name, "%s", err.message);
        add_point(c, 0, name, NULL);
        return;
    }
    if (!(m = cached_menu(mc, script_menu_path(s), o->allow_dirs, &err))) {
        snprintf(name, sizeof name, "%s: %s", path, err.message);
        add_point(c, 0, name, NULL);
        script_free(s);
        return;
    }
    memset(&ro, 0, sizeof ro);
    ro.fast = o->fast;
    ro.asr = asr;
    ro.tts_cache = o->tts_cache;
    memset(&rro, 0, sizeof rro);
    rro.target = o->target;
    rro.inband_keys = o->inband_keys;
    rro.tts_cache = o->tts_cache;
    if (o->events ? call_log_read_jsonl(&log, o->events, &err) != IVR_OK
        : o->target ? script_run_remote(s, m, &rro, &log, &err) != IVR_OK
                    : script_run(s, m, &ro, &log, &err) != IVR_OK) {
        snprintf(name, sizeof name, "%s: %s", path, err.message);
        add_point(c, 0, name, NULL);
    } else if ((o->target ? script_check_remote(s, &log, &rep)
                          : script_check(s, &log, &rep)) == 0) {
        char diag[4096], tail[3000];
        tail_of(&log, tail, sizeof tail);
        for (i = 0; i < rep.n; i++) {
            /* TAP's directive: a point not judged passes as skipped */
            snprintf(name, sizeof name, "%s:%d: %s%s%s", path, rep.r[i].line,
                     rep.r[i].what, rep.r[i].skipped ? " # SKIP " : "",
                     rep.r[i].skipped ? rep.r[i].skipped : "");
            snprintf(diag, sizeof diag, "%s\n%s", rep.r[i].detail, tail);
            add_point(c, rep.r[i].passed, name, rep.r[i].passed ? NULL
                                                                : diag);
        }
        if (rep.n == 0) {
            snprintf(name, sizeof name, "%s: the call ran (no expectations)",
                     path);
            add_point(c, 1, name, NULL);
        }
        script_report_free(&rep);
        collect_hits(c, script_menu_path(s), &log);
    }
    call_log_clear(&log);
    script_free(s);
    c->seconds = now() - t0;
}

static void case_free(suite_case *c)
{
    int i;

    for (i = 0; i < c->npoints; i++) {
        free(c->points[i].name);
        free(c->points[i].diag);
    }
    free(c->points);
    for (i = 0; i < c->nhits; i++)
        free(c->hits[i]);
    free(c->hits);
    free(c->path);
    memset(c, 0, sizeof *c);
}

/* ------------------------------------------------------------------------
 * Cases down a pipe: one record a line, newlines and backslashes escaped.
 */

static void put_escaped(FILE *f, char tag, const char *s)
{
    fputc(tag, f);
    fputc(' ', f);
    for (; s && *s; s++) {
        if (*s == '\n')
            fputs("\\n", f);
        else if (*s == '\\')
            fputs("\\\\", f);
        else
            fputc(*s, f);
    }
    fputc('\n', f);
}

static void write_case(FILE *f, int index, const suite_case *c)
{
    int i;

    fprintf(f, "C %d\nS %.6f\n", index, c->seconds);
    for (i = 0; i < c->npoints; i++) {
        put_escaped(f, c->points[i].ok ? 'P' : 'F', c->points[i].name);
        if (c->points[i].diag)
            put_escaped(f, 'D', c->points[i].diag);
    }
    for (i = 0; i < c->nhits; i++)
        put_escaped(f, 'H', c->hits[i]);
    fputs("E\n", f);
    fflush(f);
}

static char *unescape(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;

    if (!out)
        return NULL;
    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            *o++ = *s == 'n' ? '\n' : *s;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* One line from a worker into the case being built. */
static void read_record(const char *line, suite_case *cases, int *current)
{
    suite_case *c;
    char *v;

    if (line[0] == 'C') {
        *current = atoi(line + 2);
        return;
    }
    if (*current < 0)
        return;
    c = &cases[*current];
    switch (line[0]) {
    case 'S':
        c->seconds = atof(line + 2);
        break;
    case 'P':
    case 'F':
        if ((v = unescape(line + 2))) {
            add_point(c, line[0] == 'P', v, NULL);
            free(v);
        }
        break;
    case 'D':
        if (c->npoints && (v = unescape(line + 2))) {
            free(c->points[c->npoints - 1].diag);
            c->points[c->npoints - 1].diag = v;
        }
        break;
    case 'H':
        if ((v = unescape(line + 2))) {
            add_hit(c, v);
            free(v);
        }
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------------
 * The suite
 */

static int run_here(char *const *paths, int n, const suite_opts *o,
                    suite_case_fn fn, void *user)
{
    menu_cache mc = {0};
    asr_recognizer *asr = NULL;
    suite_case c;
    int i;

    for (i = 0; i < n; i++) {
        run_case(paths[i], o, &mc, &asr, &c);
        fn(&c, user);
        case_free(&c);
    }
    asr_free(asr);
    cache_free(&mc);
    return IVR_OK;
}

static void worker(int w, int jobs, char *const *paths, int n,
                   const suite_opts *o, int fd)
{
    FILE *f = fdopen(fd, "w");
    menu_cache mc = {0};
    asr_recognizer *asr = NULL;
    suite_case c;
    int i;

    if (!f)
        _exit(6);
    for (i = w; i < n; i += jobs) {
        run_case(paths[i], o, &mc, &asr, &c);
        write_case(f, i, &c);
        case_free(&c);
    }
    asr_free(asr);
    cache_free(&mc);
    fclose(f);
    _exit(0);
}

typedef struct reader {
    int fd;
    char *buf;
    size_t len, cap;
    int current;
} reader;

int suite_run(char *const *paths, int n, const suite_opts *o,
              suite_case_fn fn, void *user, ivr_error *err)
{
    int jobs = o->jobs < 1 ? 1 : o->jobs > n ? (n ? n : 1) : o->jobs;
    suite_case *cases;
    char *done;
    reader *rd;
    pid_t *pids;
    int w, next = 0, open_pipes, rc = IVR_OK;

    if (jobs == 1 || o->events)
        return run_here(paths, n, o, fn, user);
    cases = calloc((size_t)n, sizeof *cases);
    done = calloc((size_t)n, 1);
    rd = calloc((size_t)jobs, sizeof *rd);
    pids = calloc((size_t)jobs, sizeof *pids);
    if (!cases || !done || !rd || !pids) {
        free(cases);
        free(done);
        free(rd);
        free(pids);
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    }
    fflush(NULL);
    for (w = 0; w < jobs; w++) {
        int fds[2];
        if (pipe(fds) != 0) {
            rc = ivr_error_set(err, IVR_EINTERNAL, "pipe:");
            jobs = w;
            break;
        }
        pids[w] = fork();
        if (pids[w] < 0) {
            close(fds[0]);
            close(fds[1]);
            rc = ivr_error_set(err, IVR_EINTERNAL, "fork:");
            jobs = w;
            break;
        }
        if (pids[w] == 0) {
            int k;
            close(fds[0]);
            for (k = 0; k < w; k++)
                close(rd[k].fd);
            worker(w, o->jobs < n ? o->jobs : n, paths, n, o, fds[1]);
        }
        close(fds[1]);
        rd[w].fd = fds[0];
        rd[w].current = -1;
    }
    open_pipes = jobs;
    while (open_pipes > 0) {
        struct pollfd pfd[64];
        int map[64], np = 0, k;
        for (w = 0; w < jobs && np < 64; w++)
            if (rd[w].fd >= 0) {
                pfd[np].fd = rd[w].fd;
                pfd[np].events = POLLIN;
                map[np++] = w;
            }
        if (poll(pfd, (nfds_t)np, -1) < 0) {
            if (errno == EINTR)
                continue;
            rc = ivr_error_set(err, IVR_EINTERNAL, "poll:");
            break;
        }
        for (k = 0; k < np; k++) {
            reader *r = &rd[map[k]];
            char chunk[65536];
            ssize_t got;
            char *nl;
            if (!(pfd[k].revents & (POLLIN | POLLHUP)))
                continue;
            got = read(r->fd, chunk, sizeof chunk);
            if (got <= 0) {
                close(r->fd);
                r->fd = -1;
                open_pipes--;
                continue;
            }
            if (r->len + (size_t)got + 1 > r->cap) {
                char *b = realloc(r->buf, r->cap = (r->len + (size_t)got) * 2
                                                   + 1);
                if (!b) {
                    rc = ivr_error_set(err, IVR_EINTERNAL, "out of memory");
                    break;
                }
                r->buf = b;
            }
            memcpy(r->buf + r->len, chunk, (size_t)got);
            r->len += (size_t)got;
            r->buf[r->len] = '\0';
            while ((nl = memchr(r->buf, '\n', r->len))) {
                *nl = '\0';
                if (r->buf[0] == 'E' && r->current >= 0)
                    done[r->current] = 1;
                else
                    read_record(r->buf, cases, &r->current);
                r->len -= (size_t)(nl + 1 - r->buf);
                memmove(r->buf, nl + 1, r->len);
            }
        }
        while (next < n && done[next]) {
            if (!cases[next].path)
                cases[next].path = strdup(paths[next]);
            fn(&cases[next], user);
            case_free(&cases[next]);
            next++;
        }
    }
    for (w = 0; w < jobs; w++) {
        int status;
        if (rd[w].fd >= 0)
            close(rd[w].fd);
        free(rd[w].buf);
        if (waitpid(pids[w], &status, 0) > 0 &&
            (!WIFEXITED(status) || WEXITSTATUS(status) != 0) && rc == IVR_OK)
            rc = ivr_error_set(err, IVR_EINTERNAL, "a worker died (%s %d)",
                               WIFSIGNALED(status) ? "signal" : "status",
                               WIFSIGNALED(status) ? WTERMSIG(status)
                                                   : WEXITSTATUS(status));
    }
    /* what a dead worker left undone is reported as such, in order */
    for (; next < n; next++) {
        if (!cases[next].path && !(cases[next].path = strdup(paths[next])))
            continue;
        if (!done[next]) {
            char name[1024];
            snprintf(name, sizeof name, "%s: not run (its worker stopped)",
                     paths[next]);
            add_point(&cases[next], 0, name, NULL);
        }
        fn(&cases[next], user);
        case_free(&cases[next]);
    }
    free(cases);
    free(done);
    free(rd);
    free(pids);
    return rc;
}
