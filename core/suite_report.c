/*
 * suite_report.c: suite results as TAP and as JUnit XML.
 */
#include "suite.h"

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
    char *tmp = malloc(strlen(path) + 16);
    FILE *f;
    int i, failures = 0;
    double total = 0;

    if (!tmp)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    sprintf(tmp, "%s.tmp%d", path, (int)getpid());
    if (!(f = fopen(tmp, "w"))) {
        free(tmp);
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
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        free(tmp);
        return ivr_error_set(err, IVR_EOUTPUT, "%s:", path);
    }
    free(tmp);
    return IVR_OK;
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
