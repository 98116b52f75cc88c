/*
 * test_modes.c: a call script gives the same call in fast mode and with
 * full audio: every shipped suite and every starter script --gen-tests
 * writes for the sample menus, compared event by event (menus, prompts
 * started and stopped, keys, no-inputs, no-matches, the end) to the
 * sample. Fast mode only skips the prompts' audio and the decoding, so
 * anything else is a defect of one mode.
 *
 * Run from the source tree (prove does).
 */
#include "menu.h"
#include "script.h"
#include "tap.h"

#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static asr_recognizer *shared_asr;
static char cache[] = "/tmp/ivr-test-modes.XXXXXX";

/* The events a timeline is made of; the recogniser's confidence and the
 * variables are left out (fast mode hears words with full confidence). */
static int compared(engine_event_kind k)
{
    return k == EV_MENU || k == EV_PROMPT_START || k == EV_PROMPT_END ||
           k == EV_DTMF || k == EV_NOINPUT || k == EV_NOMATCH ||
           k == EV_MATCH || k == EV_EXHAUSTED || k == EV_TRANSFER ||
           k == EV_SMS || k == EV_HANGUP;
}

static int run(const char *path, int fast, call_log *log)
{
    script_run_opts o;
    ivr_error err;
    call_script *s = script_load(path, &err);
    menu_file *m;
    int rc;

    if (!s) {
        diag("%s", err.message);
        return -1;
    }
    if (!(m = menu_load(script_menu_path(s), &err))) {
        diag("%s", err.message);
        script_free(s);
        return -1;
    }
    memset(&o, 0, sizeof o);
    o.fast = fast;
    o.asr = &shared_asr;
    o.tts_cache = cache;
    rc = script_run(s, m, &o, log, &err);
    if (rc != IVR_OK)
        diag("%s: %s", path, err.message);
    menu_free(m);
    script_free(s);
    return rc;
}

/* Events of a that b lacks or has otherwise, in order; the first few are
 * shown. */
static int differences(const char *path, const call_log *a,
                       const call_log *b)
{
    int i = 0, j = 0, n = 0;
    char la[512], lb[512];

    for (;;) {
        while (i < a->n && !compared(a->ev[i].kind))
            i++;
        while (j < b->n && !compared(b->ev[j].kind))
            j++;
        if (i == a->n && j == b->n)
            return n;
        if (i == a->n || j == b->n) {
            n += (a->n - i) + (b->n - j);
            diag("%s: one mode's call ends sooner", path);
            return n;
        }
        call_log_format(&a->ev[i], la, sizeof la);
        call_log_format(&b->ev[j], lb, sizeof lb);
        if (a->ev[i].kind != b->ev[j].kind || strcmp(la, lb)) {
            if (n++ < 3)
                diag("%s:\n#   fast: %s\n#   full: %s", path, la, lb);
        }
        i++;
        j++;
    }
}

static void compare_scripts(const char *pattern, const char *what)
{
    glob_t g;
    size_t k;
    int total = 0, scripts = 0, same = 0;

    if (glob(pattern, 0, NULL, &g) != 0) {
        ok(0, "%s: no scripts match %s", what, pattern);
        return;
    }
    for (k = 0; k < g.gl_pathc; k++) {
        call_log fast = {0}, full = {0};
        int d;
        if (run(g.gl_pathv[k], 1, &fast) != IVR_OK ||
            run(g.gl_pathv[k], 0, &full) != IVR_OK) {
            d = 1;
        } else {
            d = differences(g.gl_pathv[k], &fast, &full);
        }
        total += d;
        scripts++;
        same += d == 0;
        call_log_clear(&fast);
        call_log_clear(&full);
    }
    globfree(&g);
    ok(total == 0, "%s: fast mode and full audio give the same timeline "
       "(%d of %d calls alike, %d events differ)", what, same, scripts,
       total);
}

int main(void)
{
    char gen[] = "/tmp/ivr-test-gen.XXXXXX", pattern[64], cmd[128];
    static const char *menus[] = {"menus/tunes.ivr", "menus/coupon.ivr",
                                  "menus/notify.ivr", "menus/bank.ivr",
                                  "menus/pharmacy.ivr"};
    size_t i;

    if (!mkdtemp(cache) || !mkdtemp(gen))
        return 99;
    compare_scripts("tests/calls/*/*.call", "the shipped suites");
    for (i = 0; i < sizeof menus / sizeof *menus; i++) {
        ivr_error err;
        char abs[4096];
        menu_file *m;
        if (!realpath(menus[i], abs) || !(m = menu_load(abs, &err))) {
            ok(0, "%s loads", menus[i]);
            continue;
        }
        if (menu_gen_tests(m, abs, gen, 1, &err) < 0)
            diag("%s", err.message);
        menu_free(m);
    }
    snprintf(pattern, sizeof pattern, "%s/*.call", gen);
    compare_scripts(pattern, "the --gen-tests scripts of the sample menus");
    asr_free(shared_asr);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", cache, gen);
    if (system(cmd) != 0)
        diag("could not remove %s", gen);
    return tap_done();
}
