/*
 * script_parse.c: call scripts (ivr-call(5)) into a call_script.
 *
 * The same lexer as menu files, so strings, words and comments behave the
 * same. Timed steps are laid out on the script's own clock as they are
 * read: `at` sets it, `wait` moves it on, and each press, say and play
 * moves it on by as long as it takes, so "press 1" then "say billing" never
 * overlap.
 */
#include "script_internal.h"
#include "menu_lex.h"
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

typedef struct sparser {
    call_script *s;
    const char *file;
    char *dir;
    int line;
    menu_line *ln;
    int pos;
    double clock_ms;
    ivr_error *err;
} sparser;

static const char *const words[] = {
    "menu", "caller", "called", "var", "seed", "limit", "noise", "at",
    "wait",
    "silence", "press", "say", "play", "hangup", "when", "expect", NULL
};
static const char *const expect_words[] = {
    "prompt", "menu", "path", "var", "sms", "transfer", "record", "end",
    "confirmed", "duration", "noinput", "nomatch", NULL
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int serr(sparser *P, int col, const char *fmt, ...)
{
    char msg[IVR_ERROR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ivr_error_set(P->err, IVR_EINPUT, "%s:%d:%d: %s", P->file, P->line,
                         col, msg);
}

static const menu_token *peek(const sparser *P)
{
    return P->pos < P->ln->n ? &P->ln->tok[P->pos] : NULL;
}

static const menu_token *take(sparser *P)
{
    return P->pos < P->ln->n ? &P->ln->tok[P->pos++] : NULL;
}

static int end_col(const sparser *P)
{
    const menu_token *t;

    if (P->ln->n == 0)
        return 1;
    t = &P->ln->tok[P->ln->n - 1];
    return t->col + (int)strlen(t->text) + (t->kind == TOK_STRING ? 2 : 0);
}

static int col_of(const sparser *P, const menu_token *t)
{
    return t ? t->col : end_col(P);
}

static int is_word(const menu_token *t, const char *w)
{
    return t && t->kind == TOK_WORD && !strcmp(t->text, w);
}

static int expect_end(sparser *P)
{
    const menu_token *t = peek(P);

    return t ? serr(P, t->col, "unexpected '%s' at the end of the line",
                    t->text)
             : IVR_OK;
}

static int unknown(sparser *P, const menu_token *t, const char *what,
                   const char *const *known)
{
    const char *near = menu_suggest(t->text, known);

    if (near)
        return serr(P, t->col, "unknown %s '%s' (did you mean '%s'?)", what,
                    t->text, near);
    return serr(P, t->col, "unknown %s '%s'", what, t->text);
}

static int parse_duration(sparser *P, const char *what, double *ms)
{
    const menu_token *t = take(P);
    double total = 0;
    const char *s;

    if (!t || t->kind != TOK_WORD)
        return serr(P, col_of(P, t), "expected a time after '%s' (such as "
                    "2s or 1500ms)", what);
    for (s = t->text; *s;) {
        char *end;
        double v;
        errno = 0;
        v = strtod(s, &end);
        if (end == s || errno || v < 0)
            break;
        if (!strncmp(end, "ms", 2)) {
            total += v;
            end += 2;
        } else if (*end == 's') {
            total += v * 1000;
            end++;
        } else if (*end == 'm') {
            total += v * 60000;
            end++;
        } else {
            break;
        }
        s = end;
    }
    if (*s || s == t->text)
        return serr(P, t->col, "'%s' is not a time (such as 2s, 1500ms or "
                    "1m5s)", t->text);
    *ms = total;
    return IVR_OK;
}

static char *string_arg(sparser *P, const char *what, int allow_word)
{
    const menu_token *t = take(P);
    char *s;

    if (!t || (t->kind != TOK_STRING && !(allow_word && t->kind == TOK_WORD))) {
        serr(P, col_of(P, t), "expected %s", what);
        return NULL;
    }
    if (!(s = strdup(t->text)))
        ivr_error_set(P->err, IVR_EINTERNAL, "out of memory");
    return s;
}

static regex_t *compile(sparser *P, const menu_token *t)
{
    regex_t *re = malloc(sizeof *re);
    int rc;

    if (!re) {
        ivr_error_set(P->err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    rc = regcomp(re, t->text, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char msg[128];
        regerror(rc, re, msg, sizeof msg);
        free(re);
        serr(P, t->col, "bad regular expression: %s", msg);
        return NULL;
    }
    return re;
}

static char *resolve(sparser *P, const char *name)
{
    size_t n = strlen(P->dir) + strlen(name) + 2;
    char *p = malloc(n);

    if (!p)
        return NULL;
    if (name[0] == '/' || !*P->dir)
        snprintf(p, n, "%s", name);
    else
        snprintf(p, n, "%s/%s", P->dir, name);
    return p;
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
    const menu_token *t = take(P);

    *text = NULL;
    *takes_ms = 0;
    if (is_word(t, "press")) {
        const menu_token *k = peek(P);
        char digits[256];
        size_t n;
        *kind = STEP_PRESS;
        if (!(*text = string_arg(P, "keys after 'press'", 1)))
            return IVR_EINPUT;
        n = dtmf_dial_digits(*text, digits, sizeof digits);
        if (dtmf_dial_check(*text, NULL) != IVR_OK || n == 0)
            return serr(P, k->col, "'%s' is not a string of keys (0-9 * # "
                        "A-D)", k->text);
        *takes_ms = KEY_MS * (double)n;
        return IVR_OK;
    }
    if (is_word(t, "say")) {
        const menu_token *w = peek(P);
        *kind = STEP_SAY;
        if (!(*text = string_arg(P, "the \"words\" to say", 0)))
            return IVR_EINPUT;
        if (!**text)
            return serr(P, w->col, "nothing to say");
        *takes_ms = SAY_MS_PER_CHAR * (double)strlen(*text) + SAY_END_MS;
        return IVR_OK;
    }
    if (is_word(t, "play")) {
        const menu_token *f = peek(P);
        audio_read_opts ro;
        audio_reader *r;
        ivr_error e;
        char *name = string_arg(P, "a sound file after 'play'", 1);
        *kind = STEP_PLAY;
        if (!name)
            return IVR_EINPUT;
        *text = resolve(P, name);
        free(name);
        if (!*text)
            return ivr_error_set(P->err, IVR_EINTERNAL, "out of memory");
        memset(&ro, 0, sizeof ro);
        r = audio_reader_open(*text, &ro, &e);
        if (!r)
            return serr(P, f->col, "%s", e.message);
        *takes_ms = audio_reader_file_frames(r) > 0
                        ? (double)audio_reader_file_frames(r) * 1000.0 /
                              audio_reader_file_rate(r)
                        : 0;
        audio_reader_close(r);
        return IVR_OK;
    }
    if (is_word(t, "hangup")) {
        *kind = STEP_HANGUP;
        return IVR_OK;
    }
    if (t && t->kind == TOK_WORD) {
        static const char *const acts[] = {"press", "say", "play", "hangup",
                                           NULL};
        return unknown(P, t, "caller action", acts);
    }
    return serr(P, col_of(P, t), "expected press, say, play or hangup");
}

static int add_step(sparser *P, step_kind kind, char *text, double at)
{
    call_script *s = P->s;
    script_step *st = realloc(s->steps, (size_t)(s->nsteps + 1) * sizeof *st);

    if (!st) {
        free(text);
        return ivr_error_set(P->err, IVR_EINTERNAL, "out of memory");
    }
    s->steps = st;
    st[s->nsteps].kind = kind;
    st[s->nsteps].at_ms = at;
    st[s->nsteps].text = text;
    st[s->nsteps].line = P->line;
    s->nsteps++;
    return IVR_OK;
}

/* when prompt [is|contains|matches] "x" [after DUR] ACTION
 * when menu NAME [after DUR] ACTION */
static int parse_when(sparser *P)
{
    call_script *s = P->s;
    script_rule r;
    const menu_token *t = take(P);
    double takes;

    memset(&r, 0, sizeof r);
    r.line = P->line;
    if (is_word(t, "prompt")) {
        const menu_token *how = peek(P), *x;
        r.trigger = WHEN_PROMPT_IS;
        if (is_word(how, "contains") || is_word(how, "matches") ||
            is_word(how, "is")) {
            P->pos++;
            r.trigger = is_word(how, "contains") ? WHEN_PROMPT_CONTAINS
                      : is_word(how, "matches") ? WHEN_PROMPT_MATCHES
                      : WHEN_PROMPT_IS;
        }
        x = peek(P);
        if (!(r.pattern = string_arg(P, "the prompt's \"text\"", 0)))
            return IVR_EINPUT;
        if (r.trigger == WHEN_PROMPT_MATCHES && !(r.re = compile(P, x))) {
            free(r.pattern);
            return IVR_EINPUT;
        }
    } else if (is_word(t, "menu")) {
        r.trigger = WHEN_MENU;
        if (!(r.pattern = string_arg(P, "a menu name after 'menu'", 1)))
            return IVR_EINPUT;
    } else {
        static const char *const triggers[] = {"prompt", "menu", NULL};
        return t && t->kind == TOK_WORD ? unknown(P, t, "trigger", triggers)
               : serr(P, col_of(P, t), "expected 'prompt' or 'menu' after "
                      "'when'");
    }
    if (is_word(peek(P), "after")) {
        P->pos++;
        if (parse_duration(P, "after", &r.after_ms) != IVR_OK)
            goto fail;
    }
    if (parse_action(P, &r.action, &r.text, &takes) != IVR_OK ||
        expect_end(P) != IVR_OK)
        goto fail;
    {
        script_rule *rules = realloc(s->rules, (size_t)(s->nrules + 1) *
                                                   sizeof *rules);
        if (!rules) {
            ivr_error_set(P->err, IVR_EINTERNAL, "out of memory");
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
 * Expectations
 */

static int parse_op(sparser *P, cmp_op *op)
{
    static const char *const ops[] = {"==", "<", "<=", ">", ">=", NULL};
    const menu_token *t = peek(P);
    int i;

    *op = OP_EQ;
    if (!t || t->kind != TOK_WORD)
        return IVR_OK;
    for (i = 0; ops[i]; i++)
        if (!strcmp(t->text, ops[i])) {
            static const cmp_op map[] = {OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE};
            *op = map[i];
            P->pos++;
            return IVR_OK;
        }
    return IVR_OK;
}

static int parse_expect(sparser *P, const char *text)
{
    call_script *s = P->s;
    script_expect x;
    const menu_token *t;
    int i;

    memset(&x, 0, sizeof x);
    x.line = P->line;
    snprintf(x.what, sizeof x.what, "%s", text);
    if (is_word(peek(P), "not")) {
        P->pos++;
        x.negate = 1;
    }
    t = take(P);
    for (i = 0; expect_words[i]; i++)
        if (is_word(t, expect_words[i]))
            break;
    if (!expect_words[i]) {
        if (t && t->kind == TOK_WORD)
            return unknown(P, t, "expectation", expect_words);
        return serr(P, col_of(P, t), "expected what to expect (prompt, "
                    "menu, path, var, sms, ...)");
    }
    switch (i) {
    case 0: {   /* prompt */
        const menu_token *how = peek(P), *v;
        x.kind = EXP_PROMPT_IS;
        if (is_word(how, "contains") || is_word(how, "matches") ||
            is_word(how, "is")) {
            P->pos++;
            x.kind = is_word(how, "contains") ? EXP_PROMPT_CONTAINS
                   : is_word(how, "matches") ? EXP_PROMPT_MATCHES
                   : EXP_PROMPT_IS;
        }
        v = peek(P);
        if (!(x.a = string_arg(P, "the prompt's \"text\"", 0)))
            goto fail;
        if (x.kind == EXP_PROMPT_MATCHES && !(x.re = compile(P, v)))
            goto fail;
        break;
    }
    case 1:     /* menu */
        x.kind = EXP_MENU;
        if (!(x.a = string_arg(P, "a menu name", 1)))
            goto fail;
        break;
    case 2:     /* path */
        x.kind = EXP_PATH;
        for (;;) {
            char *name, **p;
            if (is_word(peek(P), "...")) {
                P->pos++;
                x.path_prefix = 1;
                break;
            }
            if (!(name = string_arg(P, "a menu name", 1)))
                goto fail;
            p = realloc(x.path, (size_t)(x.npath + 1) * sizeof *p);
            if (!p) {
                free(name);
                goto fail;
            }
            x.path = p;
            x.path[x.npath++] = name;
            if (!peek(P) || peek(P)->kind != TOK_COMMA)
                break;
            P->pos++;
        }
        break;
    case 3: {   /* var NAME "v" | var NAME contains|matches "x" */
        const menu_token *how, *v;
        x.kind = EXP_VAR_IS;
        if (!(x.a = string_arg(P, "a variable name", 1)))
            goto fail;
        how = peek(P);
        if (is_word(how, "contains") || is_word(how, "matches") ||
            is_word(how, "is") || is_word(how, "==")) {
            P->pos++;
            x.kind = is_word(how, "contains") ? EXP_VAR_CONTAINS
                   : is_word(how, "matches") ? EXP_VAR_MATCHES : EXP_VAR_IS;
        }
        v = peek(P);
        if (!(x.b = string_arg(P, "the \"value\"", 1)))
            goto fail;
        if (x.kind == EXP_VAR_MATCHES && !(x.re = compile(P, v)))
            goto fail;
        break;
    }
    case 4:     /* sms [to "N"] [contains "x" | matches "re"] */
        x.kind = EXP_SMS;
        while (peek(P)) {
            const menu_token *k = take(P), *v = peek(P);
            if (is_word(k, "to")) {
                if (!(x.a = string_arg(P, "a number after 'to'", 1)))
                    goto fail;
            } else if (is_word(k, "contains")) {
                if (!(x.contains = string_arg(P, "the \"text\"", 0)))
                    goto fail;
            } else if (is_word(k, "matches")) {
                if (!(x.b = string_arg(P, "a \"regular expression\"", 0)) ||
                    !(x.re = compile(P, v)))
                    goto fail;
            } else {
                static const char *const o[] = {"to", "contains", "matches",
                                                NULL};
                if (k->kind == TOK_WORD)
                    unknown(P, k, "sms condition", o);
                else
                    serr(P, k->col, "expected to, contains or matches");
                goto fail;
            }
        }
        break;
    case 5:     /* transfer ["target"] */
    case 6:     /* record [NAME] */
        x.kind = i == 5 ? EXP_TRANSFER : EXP_RECORD;
        if (peek(P) && !(x.a = string_arg(P, "a name", 1)))
            goto fail;
        break;
    case 7:     /* end "reason" */
        x.kind = EXP_END;
        if (!(x.a = string_arg(P, "how the call ends (hangup, transfer, "
                               "\"caller hung up\", ...)", 1)))
            goto fail;
        break;
    case 8:
        x.kind = EXP_CONFIRMED;
        break;
    case 9:     /* duration OP TIME */
        x.kind = EXP_DURATION;
        parse_op(P, &x.op);
        if (parse_duration(P, "duration", &x.num) != IVR_OK)
            goto fail;
        x.num /= 1000.0;
        break;
    default: {  /* noinput / nomatch [OP] N */
        const menu_token *n;
        char *end;
        x.kind = i == 10 ? EXP_NOINPUT : EXP_NOMATCH;
        parse_op(P, &x.op);
        n = take(P);
        if (!n || n->kind != TOK_WORD || (x.num = strtod(n->text, &end), *end))
            return serr(P, col_of(P, n), "expected a count after '%s'",
                        expect_words[i]);
        break;
    }
    }
    if (expect_end(P) != IVR_OK)
        goto fail;
    {
        script_expect *e = realloc(s->expects, (size_t)(s->nexpects + 1) *
                                                   sizeof *e);
        if (!e) {
            ivr_error_set(P->err, IVR_EINTERNAL, "out of memory");
            goto fail;
        }
        s->expects = e;
        e[s->nexpects++] = x;
    }
    return IVR_OK;
fail:
    free(x.a);
    free(x.b);
    free(x.contains);
    for (i = 0; i < x.npath; i++)
        free(x.path[i]);
    free(x.path);
    if (x.re) {
        regfree(x.re);
        free(x.re);
    }
    return P->err->status ? P->err->status : IVR_EINPUT;
}

/* ------------------------------------------------------------------------
 * Lines
 */

static int set_string(sparser *P, char **field, const char *what)
{
    char *v = string_arg(P, what, 1);

    if (!v)
        return IVR_EINPUT;
    free(*field);
    *field = v;
    return expect_end(P);
}

static int parse_line(sparser *P, const char *raw)
{
    call_script *s = P->s;
    const menu_token *kw = take(P);
    step_kind kind;
    char *text;
    double takes;

    (void)raw;
    if (kw->kind != TOK_WORD)
        return serr(P, kw->col, "a line starts with a word (press, say, "
                    "expect, ...), not \"%s\"", kw->text);
    if (is_word(kw, "menu")) {
        char *name = string_arg(P, "the menu file", 1);
        if (!name)
            return IVR_EINPUT;
        free(s->menu_path);
        s->menu_path = resolve(P, name);
        free(name);
        if (!s->menu_path)
            return ivr_error_set(P->err, IVR_EINTERNAL, "out of memory");
        tidy_path(&s->menu_path);
        return expect_end(P);
    }
    if (is_word(kw, "caller"))
        return set_string(P, &s->caller, "the caller's number");
    if (is_word(kw, "called"))
        return set_string(P, &s->called, "the number called");
    if (is_word(kw, "var")) {
        const menu_token *n = take(P);
        char *v, *pair, **vars;
        if (!n || n->kind != TOK_WORD)
            return serr(P, col_of(P, n), "expected a variable name");
        if (!(v = string_arg(P, "a \"value\"", 1)))
            return IVR_EINPUT;
        pair = malloc(strlen(n->text) + strlen(v) + 2);
        vars = realloc(s->vars, (size_t)(s->nvars + 2) * sizeof *vars);
        if (!pair || !vars) {
            free(pair);
            free(v);
            if (vars)
                s->vars = vars;
            return ivr_error_set(P->err, IVR_EINTERNAL, "out of memory");
        }
        sprintf(pair, "%s=%s", n->text, v);
        free(v);
        s->vars = vars;
        s->vars[s->nvars++] = pair;
        s->vars[s->nvars] = NULL;
        return expect_end(P);
    }
    if (is_word(kw, "seed")) {
        const menu_token *n = take(P);
        char *end;
        unsigned long long v;
        if (!n || n->kind != TOK_WORD || !isdigit((unsigned char)n->text[0]) ||
            (v = strtoull(n->text, &end, 10), *end) || v == 0)
            return serr(P, col_of(P, n), "expected a seed (a positive "
                        "number)");
        s->seed = v;
        return expect_end(P);
    }
    if (is_word(kw, "noise")) {
        const menu_token *n = take(P);
        char *end;
        double v;
        if (!n || n->kind != TOK_WORD ||
            (v = strtod(n->text, &end), strcmp(end, "dBm0") != 0) ||
            v > 0 || v < -90)
            return serr(P, col_of(P, n), "expected a noise level such as "
                        "-50dBm0 (0 to -90)");
        s->noise = 1;
        s->noise_dbm0 = v;
        return expect_end(P);
    }
    if (is_word(kw, "limit"))
        return parse_duration(P, "limit", &s->limit_ms) == IVR_OK
                   ? expect_end(P) : IVR_EINPUT;
    if (is_word(kw, "at"))
        return parse_duration(P, "at", &P->clock_ms) == IVR_OK
                   ? expect_end(P) : IVR_EINPUT;
    if (is_word(kw, "wait") || is_word(kw, "silence")) {
        double ms;
        if (parse_duration(P, kw->text, &ms) != IVR_OK)
            return IVR_EINPUT;
        P->clock_ms += ms;
        return expect_end(P);
    }
    if (is_word(kw, "press") || is_word(kw, "say") || is_word(kw, "play") ||
        is_word(kw, "hangup")) {
        P->pos--;
        if (parse_action(P, &kind, &text, &takes) != IVR_OK) {
            free(text);
            return IVR_EINPUT;
        }
        if (expect_end(P) != IVR_OK) {
            free(text);
            return IVR_EINPUT;
        }
        if (add_step(P, kind, text, P->clock_ms) != IVR_OK)
            return IVR_EINTERNAL;
        P->clock_ms += takes;
        return IVR_OK;
    }
    if (is_word(kw, "when"))
        return parse_when(P);
    if (is_word(kw, "expect")) {
        /* the expectation as written, for reports */
        return parse_expect(P, raw + strspn(raw, " \t") + 7);
    }
    return unknown(P, kw, "word", words);
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
    P.err = err ? err : &local;
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
    P.file = s->path;
    if (!(f = fopen(path, "r"))) {
        ivr_error_set(err, IVR_EINPUT, "%s:", path);
        free(P.dir);
        script_free(s);
        return NULL;
    }
    while ((len = getline(&line, &cap, f)) >= 0) {
        menu_line ln;
        P.line++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (len > 0 && line[len - 1] == '\r')
            line[--len] = '\0';
        if (memchr(line, '\0', (size_t)len)) {
            rc = serr(&P, 1, "a NUL byte: this is not a call script");
            break;
        }
        if ((rc = menu_lex_line(line, P.file, P.line, &ln, P.err)) != IVR_OK)
            break;
        if (ln.n > 0) {
            P.ln = &ln;
            P.pos = 0;
            rc = ln.indent ? serr(&P, ln.tok[0].col, "a call script has no "
                                  "indented lines") : parse_line(&P, line);
        }
        menu_line_free(&ln);
        if (rc != IVR_OK)
            break;
    }
    free(line);
    fclose(f);
    if (rc == IVR_OK && !s->menu_path)
        rc = ivr_error_set(P.err, IVR_EINPUT, "%s:1:1: the script names no "
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
    int i, j;

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
    for (i = 0; i < s->nexpects; i++) {
        script_expect *x = &s->expects[i];
        free(x->a);
        free(x->b);
        free(x->contains);
        for (j = 0; j < x->npath; j++)
            free(x->path[j]);
        free(x->path);
        if (x->re) {
            regfree(x->re);
            free(x->re);
        }
    }
    free(s->expects);
    for (i = 0; i < s->nvars; i++)
        free(s->vars[i]);
    free(s->vars);
    free(s->caller);
    free(s->called);
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
