/*
 * suite_report.c: suite results as TAP and as JUnit XML.
 */
#include "suite.h"
#include "coverage.h"
#include "fs_output.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void suite_tap_case(FILE *out, const suite_case *c, int *counter)
{
    int i;

    for (i = 0; i < c->npoints; i++) {
        const suite_point *p = &c->points[i];
        fprintf(out, "%sok %d - %s\n", p->ok ? "" : "not ", ++*counter,
                p->name);
        if (!p->ok && p->diag) {
            const char *s = p->diag;
            while (*s) {
                size_t n = strcspn(s, "\n");
                fprintf(out, "# %.*s\n", (int)n, s);
                s += n + (s[n] == '\n');
            }
        }
    }
    fflush(out);
}

typedef struct junit_case {
    char *name, *failures;   /* failures: "" when it passed */
    double seconds;
    int nfailures, tests;
} junit_case;

struct suite_junit {
    char *name;
    junit_case *cases;
    int n;
};

suite_junit *suite_junit_new(const char *suite_name)
{
    suite_junit *j = calloc(1, sizeof *j);

    if (j && !(j->name = strdup(suite_name))) {
        free(j);
        return NULL;
    }
    return j;
}

static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
                fputc(*s, f);
        }
}

int suite_junit_add(suite_junit *j, const suite_case *c)
{
    junit_case *jc = realloc(j->cases, (size_t)(j->n + 1) * sizeof *jc);
    char *buf = NULL;
    size_t len = 0;
    FILE *f;
    int i;

    if (!jc)
        return -1;
    j->cases = jc;
    jc = &j->cases[j->n];
    memset(jc, 0, sizeof *jc);
    if (!(f = open_memstream(&buf, &len)))
        return -1;
    for (i = 0; i < c->npoints; i++) {
        if (c->points[i].ok)
            continue;
        fputs("      <failure message=\"", f);
        xml_text(f, c->points[i].name);
        fputs("\">", f);
        xml_text(f, c->points[i].diag ? c->points[i].diag : "");
        fputs("</failure>\n", f);
        jc->nfailures++;
    }
    fclose(f);
    jc->failures = buf;
    jc->name = strdup(c->path ? c->path : "?");
    jc->seconds = c->seconds;
    jc->tests = c->npoints;
    if (!jc->name || !jc->failures) {
        free(jc->name);
        free(jc->failures);
        return -1;
    }
    j->n++;
    return 0;
}

int suite_junit_write(const suite_junit *j, const char *path, ivr_error *err)
{
    fs_output o;
    FILE *f;
    int i, failures = 0;
    double total = 0;

    /* a CI job's report file is replaced: it is the run's own output */
    if (fs_output_open(&o, path, 1, err) != IVR_OK)
        return err->status;
    if (!(f = fdopen(o.fd, "w"))) {
        fs_output_abort(&o, 1);
        return ivr_error_set(err, IVR_EOUTPUT, "%s:", path);
    }
    for (i = 0; i < j->n; i++) {
        failures += j->cases[i].nfailures != 0;
        total += j->cases[i].seconds;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", f);
    fputs("  <testsuite name=\"", f);
    xml_text(f, j->name);
    fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"0\" time=\"%.3f\">\n",
            j->n, failures, total);
    for (i = 0; i < j->n; i++) {
        const junit_case *c = &j->cases[i];
        fputs("    <testcase classname=\"ivr-sim\" name=\"", f);
        xml_text(f, c->name);
        fprintf(f, "\" time=\"%.3f\"", c->seconds);
        if (c->nfailures)
            fprintf(f, ">\n%s    </testcase>\n", c->failures);
        else
            fputs("/>\n", f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
    if (ferror(f) | fclose(f)) {
        o.fd = -1;
        fs_output_abort(&o, 0);
        return ivr_error_set(err, IVR_EOUTPUT, "%s:", path);
    }
    return fs_output_commit(&o, err);
}

void suite_junit_free(suite_junit *j)
{
    int i;

    if (!j)
        return;
    for (i = 0; i < j->n; i++) {
        free(j->cases[i].name);
        free(j->cases[i].failures);
    }
    free(j->cases);
    free(j->name);
    free(j);
}

typedef struct tap_state {
    FILE *out;
    int counter, failed;
    suite_junit *junit;
    char **hits;
    int nhits;
} tap_state;

static void on_case(const suite_case *c, void *user)
{
    tap_state *st = user;
    int i, j;

    suite_tap_case(st->out, c, &st->counter);
    st->failed += c->failed;
    if (st->junit)
        suite_junit_add(st->junit, c);
    /* the coverage of the whole run: every distinct hit once */
    for (i = 0; i < c->nhits; i++) {
        char **h;
        for (j = 0; j < st->nhits; j++)
            if (!strcmp(st->hits[j], c->hits[i]))
                break;
        if (j < st->nhits)
            continue;
        h = realloc(st->hits, (size_t)(st->nhits + 1) * sizeof *h);
        if (!h)
            continue;
        st->hits = h;
        if ((h[st->nhits] = strdup(c->hits[i])))
            st->nhits++;
    }
}

int suite_run_tap(char *const *paths, int n, const suite_tap_opts *o,
                  FILE *out, ivr_error *err)
{
    tap_state st;
    char **mine, name[64];
    int i, k = 0, rc;

    mine = malloc((size_t)(n ? n : 1) * sizeof *mine);
    if (!mine)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    /* a slice: every N-th script from the K-th, so that N machines given
     * the same list split it without talking to each other */
    for (i = 0; i < n; i++)
        if (!o->shard_n || i % o->shard_n == o->shard_k - 1)
            mine[k++] = paths[i];
    memset(&st, 0, sizeof st);
    st.out = out;
    if (o->shard_n)
        snprintf(name, sizeof name, "ivr-sim shard %d/%d", o->shard_k,
                 o->shard_n);
    else
        snprintf(name, sizeof name, "ivr-sim");
    if (o->junit && !(st.junit = suite_junit_new(name))) {
        free(mine);
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    }
    rc = suite_run(mine, k, &o->run, on_case, &st, err);
    fprintf(out, "1..%d\n", st.counter);
    if (o->coverage) {
        fprintf(out, "# coverage of the menus by these calls:\n");
        coverage_report(out, "# ", st.hits, st.nhits, o->run.allow_dirs);
    }
    if (st.junit) {
        ivr_error jerr;
        if (suite_junit_write(st.junit, o->junit, &jerr) != IVR_OK &&
            rc == IVR_OK) {
            *err = jerr;
            rc = jerr.status;
        }
        suite_junit_free(st.junit);
    }
    for (i = 0; i < st.nhits; i++)
        free(st.hits[i]);
    free(st.hits);
    free(mine);
    if (rc != IVR_OK)
        return rc;
    return st.failed ? IVR_EFAIL : IVR_OK;
}
