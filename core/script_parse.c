/*
 * script_parse.c: call scripts (ivr-call(5)) into a call_script.
 *
 * The same lexer as menu files, so strings, words and comments behave the
 * same. Timed steps are laid out on the script's own clock as they are
 * read: `at` sets it, `wait` moves it on, and each press, say and play
 * moves it on by as long as it takes, so "press 1" then "say billing" never
 * overlap.
 */
#include "fs.h"
#include "script_parse.h"
#include "menu_lex.h"
#include "menu_internal.h"
#include "audio.h"
#include "dtmf.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How long a press and a say keep the caller busy (see caller.c). */
#define KEY_MS 200.0
#define SAY_MS_PER_CHAR 70.0
#define SAY_END_MS 700.0


static const char *const words[] = {
    "menu", "caller", "called", "var", "seed", "limit", "noise", "at",
    "http", "wait",
    "silence", "press", "say", "play", "hangup", "when", "expect", NULL
};

int sp_parse_duration(sparser *P, const char *what, double *ms)
{
    const menu_token *t = menu_lex_take(&P->c);

    if (!t || t->kind != TOK_WORD)
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                              "expected a time after "
                              "'%s' (such as 2s or 1500ms)",
                              what);
    if (menu_duration(t->text, ms) != 0)
        return menu_lex_error(&P->c, t->col,
                              "'%s' is not a time (such as 2s, "
                              "1500ms, 1m5s or 1h)",
                              t->text);
    return IVR_OK;
}

char *sp_string_arg(sparser *P, const char *what, int allow_word)
{
    const menu_token *t = menu_lex_take(&P->c);
    char *s;

    if (!t ||
        (t->kind != TOK_STRING && !(allow_word && t->kind == TOK_WORD))) {
        menu_lex_error(&P->c, menu_lex_col_of(&P->c, t), "expected %s", what);
        return NULL;
    }
    if (!(s = strdup(t->text)))
        ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
    return s;
}

static char *resolve(sparser *P, const char *name)
{
    return fs_join_path(P->dir, name);
}

/* "tests/calls/../../menus/x.ivr" as "menus/x.ivr": one name for one
 * file, whichever script names it (coverage adds up per file). */
static void tidy_path(char **path)
{
    char real[PATH_MAX], cwd[PATH_MAX], *t;
    size_t n;

    if (!realpath(*path, real))
        return;
    n = getcwd(cwd, sizeof cwd) ? strlen(cwd) : 0;
    t = strdup(n && !strncmp(real, cwd, n) && real[n] == '/' ? real + n + 1
                                                            : real);
    if (t) {
        free(*path);
        *path = t;
    }
}

/* ------------------------------------------------------------------------
 * Caller actions: press, say, play, hangup
 */

static int parse_action(sparser *P, step_kind *kind, char **text,
                        double *takes_ms)
{
    const menu_token *t = menu_lex_take(&P->c);

    *text = NULL;
    *takes_ms = 0;
    if (menu_lex_is_word(t, "press")) {
        const menu_token *k = menu_lex_peek(&P->c);
        char digits[256];
        size_t n;
        *kind = STEP_PRESS;
        if (!(*text = sp_string_arg(P, "keys after 'press'", 1)))
            return IVR_EINPUT;
        n = dtmf_dial_digits(*text, digits, sizeof digits);
        if (dtmf_dial_check(*text, NULL) != IVR_OK || n == 0)
            return menu_lex_error(&P->c, k->col,
                                  "'%s' is not a string of keys (0-9 * # "
                                  "A-D)",
                                  k->text);
        *takes_ms = KEY_MS * (double)n;
        return IVR_OK;
    }
    if (menu_lex_is_word(t, "say")) {
        const menu_token *w = menu_lex_peek(&P->c);
        *kind = STEP_SAY;
        if (!(*text = sp_string_arg(P, "the \"words\" to say", 0)))
            return IVR_EINPUT;
        if (!**text)
            return menu_lex_error(&P->c, w->col, "nothing to say");
        *takes_ms = SAY_MS_PER_CHAR * (double)strlen(*text) + SAY_END_MS;
        return IVR_OK;
    }
    if (menu_lex_is_word(t, "play")) {
        const menu_token *f = menu_lex_peek(&P->c);
        audio_read_opts ro;
        audio_reader *r;
        ivr_error e;
        char *name = sp_string_arg(P, "a sound file after 'play'", 1);
        *kind = STEP_PLAY;
        if (!name)
            return IVR_EINPUT;
        *text = resolve(P, name);
        free(name);
        if (!*text)
            return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
        memset(&ro, 0, sizeof ro);
        r = audio_reader_open(*text, &ro, &e);
        if (!r)
            return menu_lex_error(&P->c, f->col, "%s", e.message);
        *takes_ms = audio_reader_file_frames(r) > 0
                        ? (double)audio_reader_file_frames(r) * 1000.0 /
                              audio_reader_file_rate(r)
                        : 0;
        audio_reader_close(r);
        return IVR_OK;
    }
    if (menu_lex_is_word(t, "hangup")) {
        *kind = STEP_HANGUP;
        return IVR_OK;
    }
    if (t && t->kind == TOK_WORD) {
        static const char *const acts[] = {"press", "say", "play", "hangup",
                                           NULL};
        return menu_lex_unknown(&P->c, t, "caller action", acts);
    }
    return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                          "expected press, say, play or hangup");
}

static int add_step(sparser *P, step_kind kind, char *text, double at)
{
    call_script *s = P->s;
    script_step *st = realloc(s->steps, (size_t)(s->nsteps + 1) * sizeof *st);

    if (!st) {
        free(text);
        return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
    }
    s->steps = st;
    st[s->nsteps].kind = kind;
    st[s->nsteps].at_ms = at;
    st[s->nsteps].text = text;
    st[s->nsteps].line = P->c.line;
    s->nsteps++;
    return IVR_OK;
}

/* "every", or "2nd time" (any ordinal): which times a rule fires. */
static int parse_repeat(sparser *P, int *nth)
{
    const menu_token *t = menu_lex_peek(&P->c), *time;
    char *end;
    long n;

    *nth = 1;
    if (menu_lex_is_word(t, "every")) {
        P->c.pos++;
        *nth = 0;
        return IVR_OK;
    }
    if (!t || t->kind != TOK_WORD || !isdigit((unsigned char)t->text[0]))
        return IVR_OK;
    n = strtol(t->text, &end, 10);
    if (n < 1 || n > 1000 || (strcmp(end, "st") && strcmp(end, "nd") &&
                              strcmp(end, "rd") && strcmp(end, "th")))
        return menu_lex_error(&P->c, t->col,
                              "expected 'every' or an ordinal "
                              "such as '2nd time', not '%s'",
                              t->text);
    P->c.pos++;
    time = menu_lex_take(&P->c);
    if (!menu_lex_is_word(time, "time"))
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, time),
                              "expected 'time' "
                              "after '%s'",
                              t->text);
    *nth = (int)n;
    return IVR_OK;
}

/* when prompt [is|contains|matches] "x" [every|Nth time] [after DUR] ACTION
 * when menu NAME [every|Nth time] [after DUR] ACTION */
static int parse_when(sparser *P)
{
    call_script *s = P->s;
    script_rule r;
    const menu_token *t = menu_lex_take(&P->c);
    double takes;

    memset(&r, 0, sizeof r);
    r.line = P->c.line;
    if (menu_lex_is_word(t, "prompt")) {
        const menu_token *how = menu_lex_peek(&P->c), *x;
        r.trigger = WHEN_PROMPT_IS;
        if (menu_lex_is_word(how, "contains") ||
            menu_lex_is_word(how, "matches") || menu_lex_is_word(how, "is")) {
            P->c.pos++;
            r.trigger = menu_lex_is_word(how, "contains") ? WHEN_PROMPT_CONTAINS
                        : menu_lex_is_word(how, "matches") ? WHEN_PROMPT_MATCHES
                                                           : WHEN_PROMPT_IS;
        }
        x = menu_lex_peek(&P->c);
        if (!(r.pattern = sp_string_arg(P, "the prompt's \"text\"", 0)))
            return IVR_EINPUT;
        if (r.trigger == WHEN_PROMPT_MATCHES &&
            !(r.re = menu_lex_regex(&P->c, x))) {
            free(r.pattern);
            return IVR_EINPUT;
        }
    } else if (menu_lex_is_word(t, "menu")) {
        r.trigger = WHEN_MENU;
        if (!(r.pattern = sp_string_arg(P, "a menu name after 'menu'", 1)))
            return IVR_EINPUT;
    } else {
        static const char *const triggers[] = {"prompt", "menu", NULL};
        return t && t->kind == TOK_WORD
                   ? menu_lex_unknown(&P->c, t, "trigger", triggers)
                   : menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                                    "expected 'prompt' or 'menu' after "
                                    "'when'");
    }
    if (parse_repeat(P, &r.nth) != IVR_OK)
        goto fail;
    if (menu_lex_is_word(menu_lex_peek(&P->c), "after")) {
        P->c.pos++;
        if (sp_parse_duration(P, "after", &r.after_ms) != IVR_OK)
            goto fail;
    }
    if (parse_action(P, &r.action, &r.text, &takes) != IVR_OK ||
        menu_lex_expect_end(&P->c) != IVR_OK)
        goto fail;
    r.takes_ms = takes;
    {
        script_rule *rules = realloc(s->rules, (size_t)(s->nrules + 1) *
                                                   sizeof *rules);
        if (!rules) {
            ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
            goto fail;
        }
        s->rules = rules;
        rules[s->nrules++] = r;
    }
    return IVR_OK;
fail:
    free(r.pattern);
    free(r.text);
    if (r.re) {
        regfree(r.re);
        free(r.re);
    }
    return IVR_EINPUT;
}

/* ------------------------------------------------------------------------
 * Lines
 */

static int set_string(sparser *P, char **field, const char *what)
{
    char *v = sp_string_arg(P, what, 1);

    if (!v)
        return IVR_EINPUT;
    free(*field);
    *field = v;
    return menu_lex_expect_end(&P->c);
}

static int parse_line(sparser *P, const char *raw)
{
    call_script *s = P->s;
    const menu_token *kw = menu_lex_take(&P->c);
    step_kind kind;
    char *text;
    double takes;


    if (kw->kind != TOK_WORD)
        return menu_lex_error(&P->c, kw->col,
                              "a line starts with a word (press, say, "
                              "expect, ...), not \"%s\"",
                              kw->text);
    if (menu_lex_is_word(kw, "menu")) {
        char *name = sp_string_arg(P, "the menu file", 1);
        if (!name)
            return IVR_EINPUT;
        free(s->menu_path);
        s->menu_path = resolve(P, name);
        free(name);
        if (!s->menu_path)
            return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
        tidy_path(&s->menu_path);
        return menu_lex_expect_end(&P->c);
    }
    if (menu_lex_is_word(kw, "http")) {
        /* the backend's answer to a request, beside the script */
        char dir[4096];
        const char *slash = strrchr(s->path, '/');
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - s->path) : 1,
                 slash ? s->path : ".");
        const menu_token *f = menu_lex_peek(&P->c);
        if (!s->fixtures && !(s->fixtures = http_fixtures_new()))
            return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
        if (menu_lex_is_word(f, "file")) {
            /* http file "backend.http": a file (or folder) of them */
            char *name, *path;
            int rc;
            P->c.pos++;
            if (!(name = sp_string_arg(P, "a fixture \"file\"", 1)))
                return IVR_EINPUT;
            path = resolve(P, name);
            free(name);
            if (!path)
                return ivr_error_set(P->c.err, IVR_EINTERNAL,
                                     "out of memory");
            rc = http_fixtures_load(s->fixtures, path, P->c.err);
            free(path);
            return rc == IVR_OK ? menu_lex_expect_end(&P->c) : rc;
        }
        P->c.pos = P->c.ln->n;
        return http_fixtures_add(s->fixtures, raw, s->path, P->c.line, dir,
                                 P->c.err);
    }
    if (menu_lex_is_word(kw, "caller"))
        return set_string(P, &s->caller, "the caller's number");
    if (menu_lex_is_word(kw, "called"))
        return set_string(P, &s->called, "the number called");
    if (menu_lex_is_word(kw, "var")) {
        const menu_token *n = menu_lex_take(&P->c);
        char *v, *pair, **vars;
        if (!n || n->kind != TOK_WORD)
            return menu_lex_error(&P->c, menu_lex_col_of(&P->c, n),
                                  "expected a variable name");
        if (!(v = sp_string_arg(P, "a \"value\"", 1)))
            return IVR_EINPUT;
        pair = malloc(strlen(n->text) + strlen(v) + 2);
        vars = realloc(s->vars, (size_t)(s->nvars + 2) * sizeof *vars);
        if (!pair || !vars) {
            free(pair);
            free(v);
            if (vars)
                s->vars = vars;
            return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
        }
        sprintf(pair, "%s=%s", n->text, v);
        free(v);
        s->vars = vars;
        s->vars[s->nvars++] = pair;
        s->vars[s->nvars] = NULL;
        return menu_lex_expect_end(&P->c);
    }
    if (menu_lex_is_word(kw, "seed")) {
        const menu_token *n = menu_lex_take(&P->c);
        char *end;
        unsigned long long v;
        if (!n || n->kind != TOK_WORD || !isdigit((unsigned char)n->text[0]) ||
            (v = strtoull(n->text, &end, 10), *end) || v == 0)
            return menu_lex_error(&P->c, menu_lex_col_of(&P->c, n),
                                  "expected a seed (a positive "
                                  "number)");
        s->seed = v;
        return menu_lex_expect_end(&P->c);
    }
    if (menu_lex_is_word(kw, "noise")) {
        const menu_token *n = menu_lex_take(&P->c);
        char *end;
        double v;
        if (!n || n->kind != TOK_WORD ||
            (v = strtod(n->text, &end), strcmp(end, "dBm0") != 0) ||
            v > 0 || v < -90)
            return menu_lex_error(&P->c, menu_lex_col_of(&P->c, n),
                                  "expected a noise level such as "
                                  "-50dBm0 (0 to -90)");
        s->noise = 1;
        s->noise_dbm0 = v;
        return menu_lex_expect_end(&P->c);
    }
    if (menu_lex_is_word(kw, "limit"))
        return sp_parse_duration(P, "limit", &s->limit_ms) == IVR_OK
                   ? menu_lex_expect_end(&P->c)
                   : IVR_EINPUT;
    if (menu_lex_is_word(kw, "at") && menu_lex_peek(&P->c) &&
        menu_lex_peek(&P->c)->kind == TOK_STRING) {
        /* at "2026-12-24 18:30": when the call takes place; checked
         * here as UTC (the menu's zone is known when the call runs) */
        char why[CALENDAR_WHY_MAX];
        time_t t;
        const menu_token *v = menu_lex_peek(&P->c);
        if (calendar_parse_local(v->text, "UTC", &t, why) != 0)
            return menu_lex_error(&P->c, v->col, "%s", why);
        s->at_line = P->c.line;
        return set_string(P, &s->at, "the date and time of the call");
    }
    if (menu_lex_is_word(kw, "at"))
        return sp_parse_duration(P, "at", &P->clock_ms) == IVR_OK
                   ? menu_lex_expect_end(&P->c)
                   : IVR_EINPUT;
    if (menu_lex_is_word(kw, "wait") || menu_lex_is_word(kw, "silence")) {
        double ms;
        if (sp_parse_duration(P, kw->text, &ms) != IVR_OK)
            return IVR_EINPUT;
        P->clock_ms += ms;
        return menu_lex_expect_end(&P->c);
    }
    if (menu_lex_is_word(kw, "press") || menu_lex_is_word(kw, "say") ||
        menu_lex_is_word(kw, "play") || menu_lex_is_word(kw, "hangup")) {
        P->c.pos--;
        if (parse_action(P, &kind, &text, &takes) != IVR_OK) {
            free(text);
            return IVR_EINPUT;
        }
        if (menu_lex_expect_end(&P->c) != IVR_OK) {
            free(text);
            return IVR_EINPUT;
        }
        if (add_step(P, kind, text, P->clock_ms) != IVR_OK)
            return IVR_EINTERNAL;
        P->clock_ms += takes;
        return IVR_OK;
    }
    if (menu_lex_is_word(kw, "when"))
        return parse_when(P);
    if (menu_lex_is_word(kw, "expect")) {
        /* the expectation as written, for reports (a line may end right
         * after the word: found by make fuzz) */
        const char *rest = raw + strspn(raw, " \t") + strlen("expect");
        return sp_parse_expect(P, rest + strspn(rest, " \t"));
    }
    return menu_lex_unknown(&P->c, kw, "word", words);
}

call_script *script_load(const char *path, ivr_error *err)
{
    call_script *s = calloc(1, sizeof *s);
    sparser P;
    FILE *f;
    char *line = NULL, *slash;
    size_t cap = 0;
    ssize_t len;
    int rc = IVR_OK;
    ivr_error local;

    memset(&P, 0, sizeof P);
    P.c.err = err ? err : &local;
    if (!s || !(s->path = strdup(path)) || !(P.dir = strdup(path))) {
        if (s)
            free(s->path);
        free(s);
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    slash = strrchr(P.dir, '/');
    if (slash)
        *slash = '\0';
    else
        P.dir[0] = '\0';
    P.s = s;
    P.c.file = s->path;
    if (!(f = fopen(path, "r"))) {
        ivr_error_set(err, IVR_EINPUT, "%s:", path);
        free(P.dir);
        script_free(s);
        return NULL;
    }
    while ((len = getline(&line, &cap, f)) >= 0) {
        menu_line ln;
        P.c.line++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (len > 0 && line[len - 1] == '\r')
            line[--len] = '\0';
        if (memchr(line, '\0', (size_t)len)) {
            rc = menu_lex_error(&P.c, 1,
                                "a NUL byte: this is not a call script");
            break;
        }
        if ((rc = menu_lex_line(line, P.c.file, P.c.line, &ln, P.c.err)) !=
            IVR_OK)
            break;
        if (ln.n > 0) {
            P.c.ln = &ln;
            P.c.pos = 0;
            rc = ln.indent ? menu_lex_error(&P.c, ln.tok[0].col,
                                            "a call script has no "
                                            "indented lines")
                           : parse_line(&P, line);
        }
        menu_line_free(&ln);
        if (rc != IVR_OK)
            break;
    }
    free(line);
    fclose(f);
    if (rc == IVR_OK && !s->menu_path)
        rc = ivr_error_set(P.c.err, IVR_EINPUT, "%s:1:1: the script names no "
                           "menu (a line 'menu FILE.ivr')", path);
    free(P.dir);
    if (rc != IVR_OK) {
        script_free(s);
        return NULL;
    }
    return s;
}

void script_free(call_script *s)
{
    int i;

    if (!s)
        return;
    for (i = 0; i < s->nsteps; i++)
        free(s->steps[i].text);
    free(s->steps);
    for (i = 0; i < s->nrules; i++) {
        free(s->rules[i].pattern);
        free(s->rules[i].text);
        if (s->rules[i].re) {
            regfree(s->rules[i].re);
            free(s->rules[i].re);
        }
    }
    free(s->rules);
    for (i = 0; i < s->nexpects; i++)
        sp_expect_free(&s->expects[i]);
    free(s->expects);
    for (i = 0; i < s->nvars; i++)
        free(s->vars[i]);
    free(s->vars);
    free(s->caller);
    free(s->called);
    free(s->at);
    http_fixtures_free(s->fixtures);
    free(s->menu_path);
    free(s->path);
    free(s);
}

const char *script_path(const call_script *s)
{
    return s->path;
}

const char *script_menu_path(const call_script *s)
{
    return s->menu_path;
}
