/*
 * asr_search.c: what the recogniser listens for. A list of choices becomes
 * a JSGF grammar of their phrases (each word checked against the
 * dictionary first, so that a menu names the word it cannot use); a
 * grammar or a keyword list comes from a file; the free language model
 * takes anything.
 */
#include "asr_internal.h"

#include <ckd_alloc.h>
#include <fsg_model.h>
#include <jsgf.h>

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Lower case, letters, digits and apostrophes, single spaces. */
static char *normalise(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    int space = 1;

    if (!out)
        return NULL;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '\'') {
            *o++ = (char)tolower(c);
            space = 0;
        } else if (!space) {
            *o++ = ' ';
            space = 1;
        }
    }
    if (o > out && o[-1] == ' ')
        o--;
    *o = '\0';
    return out;
}

/* Splits "a,b|c" into phrases and choices; checks every word. */
static int parse_choices(asr_recognizer *a, const char *spec, ivr_error *err)
{
    const char *p = spec;
    int choice = 0;

    a->phrases = calloc(strlen(spec) + 1, sizeof *a->phrases);
    a->choice_names = calloc(strlen(spec) + 1, sizeof *a->choice_names);
    if (!a->phrases || !a->choice_names)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    while (*p) {
        size_t n = strcspn(p, ",|");
        char raw[512], *norm, *w, *save;
        int first = a->nphrases == 0 || p[-1] == '|';

        snprintf(raw, sizeof raw, "%.*s", (int)(n < 511 ? n : 511), p);
        if (!strncmp(raw, "<digits", 7)) {
            /* a value said as digits: a rule of the grammar, not a
             * phrase (see set_choices_grammar) */
            a->digits = 1 | (strstr(raw, " oh") ? 2 : 0) |
                        (strstr(raw, " double") ? 4 : 0);
            if (!(a->choice_names[a->nchoices++] = strdup(ASR_DIGITS_CHOICE)))
                return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
            p += n;
            if (*p)
                p++;
            continue;
        }
        norm = normalise(raw);
        if (!norm)
            return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        if (!*norm) {
            free(norm);
            return ivr_error_set(err, IVR_EINPUT, "choices \"%s\": an empty "
                                 "phrase", spec);
        }
        if (first) {
            a->choice_names[a->nchoices++] = strdup(norm);
            choice = a->nchoices - 1;
        }
        a->phrases[a->nphrases].words = norm;
        a->phrases[a->nphrases++].choice = choice;
        {
            char *copy = strdup(norm);
            if (!copy)
                return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
            for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ",
                                                                 &save)) {
                /* the pronunciation comes back allocated: ours to free */
                char *pron = ps_lookup_word(a->ps, w);
                if (!pron) {
                    ivr_error_set(err, IVR_EINPUT, "choice \"%s\": the word "
                                  "'%s' is not in the dictionary", norm, w);
                    free(copy);
                    return IVR_EINPUT;
                }
                ckd_free(pron);
            }
            free(copy);
        }
        p += n;
        if (*p)
            p++;
    }
    if (a->nphrases == 0 && !a->digits)
        return ivr_error_set(err, IVR_EINPUT, "no choices given");
    return IVR_OK;
}

/* pocketsphinx's JSGF scanner echoes what it cannot parse to standard
 * output, where it would mix with a command's results: it is hushed while
 * a grammar is read. Returns the real standard output, to give back. */
static int stdout_hush(void)
{
    int saved, devnull;

    fflush(stdout);
    saved = dup(STDOUT_FILENO);
    devnull = open("/dev/null", O_WRONLY);
    if (saved >= 0 && devnull >= 0)
        dup2(devnull, STDOUT_FILENO);
    if (devnull >= 0)
        close(devnull);
    return saved;
}

static void stdout_restore(int saved)
{
    fflush(stdout);
    if (saved >= 0) {
        dup2(saved, STDOUT_FILENO);
        close(saved);
    }
}

/* Makes g's public rule the search called name, and frees g (NULL: a parse that
 * failed). pocketsphinx 5prealpha's ps_set_jsgf_file and _string build the
 * search the same way but never free the parsed grammar: 8 to 15 KB a
 * grammar, so a worker changing menus over thousands of calls grew without
 * end. 0, or -1 when the grammar makes no search. */
static int set_grammar(asr_recognizer *a, const char *name, jsgf_t *g)
{
    jsgf_rule_t *rule = g ? jsgf_get_public_rule(g) : NULL;
    float lw = (float)cmd_ln_float_r(ps_get_config(a->ps), "-lw");
    fsg_model_t *fsg;
    int rc = -1;

    if (rule && (fsg = jsgf_build_fsg(g, rule, ps_get_logmath(a->ps), lw))) {
        rc = ps_set_fsg(a->ps, name, fsg) == 0 ? 0 : -1;
        fsg_model_free(fsg);   /* the search keeps its own reference */
    }
    if (g)
        jsgf_grammar_free(g);
    return rc;
}

/* A user's grammar is most often a loop (digits, a PIN, an account
 * number: "( one | two | ... )+"), where pocketsphinx's default word
 * insertion penalty (0.65) lets a short noise or a word's onset pass for
 * one more word: Asterisk's recorded digits read out as strings came back
 * with a "two" before every "zero" and "six" as "two eight", 28% word
 * errors on the tuning half of tests/human. A penalty of 0.01 per word
 * takes that to 6% (0.1: 18%, 0.001: 5% clean but 12% with line noise,
 * 1e-5: 38%, words dropped). A choices grammar says one phrase, where
 * insertions cannot happen; its confidence was calibrated at the default,
 * so the default stays for it. The penalty is read when a search is
 * built, hence set around the building. */
#define GRAMMAR_WIP 0.01
#define DEFAULT_WIP 0.65

static int set_jsgf_quietly(asr_recognizer *a, const char *path)
{
    int saved = stdout_hush(), rc;

    cmd_ln_set_float_r(ps_get_config(a->ps), "-wip", GRAMMAR_WIP);
    rc = set_grammar(a, "main", jsgf_parse_file(path, NULL));
    cmd_ln_set_float_r(ps_get_config(a->ps), "-wip", DEFAULT_WIP);
    stdout_restore(saved);
    return rc;
}

/* pocketsphinx refuses a grammar with a word its dictionary lacks without
 * saying which: the grammar is parsed again to find the word, so that the
 * error names it as a menu's does. NULL when every word is known. */
static char *jsgf_unknown_word(asr_recognizer *a, const char *path)
{
    jsgf_t *g;
    jsgf_rule_t *rule;
    fsg_model_t *fsg;
    char *unknown = NULL;
    int saved = stdout_hush(), i;

    g = jsgf_parse_file(path, NULL);
    stdout_restore(saved);
    if (!g)
        return NULL;
    rule = jsgf_get_public_rule(g);
    fsg = rule ? jsgf_build_fsg(g, rule, ps_get_logmath(a->ps), 1.0) : NULL;
    for (i = 0; fsg && !unknown && i < fsg_model_n_word(fsg); i++) {
        const char *w = fsg_model_word_str(fsg, i);
        char *pron;
        if (!w || w[0] == '<' || w[0] == '+')
            continue;
        if ((pron = ps_lookup_word(a->ps, w)))
            ckd_free(pron);
        else
            unknown = strdup(w);
    }
    if (fsg)
        fsg_model_free(fsg);
    jsgf_grammar_free(g);
    return unknown;
}

static int set_choices_grammar(asr_recognizer *a, ivr_error *err)
{
    size_t cap = 1024, len;
    char *g;
    int i;

    for (i = 0; i < a->nphrases; i++)
        cap += strlen(a->phrases[i].words) + 8;
    g = malloc(cap);
    if (!g)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    len = (size_t)snprintf(g, cap, "#JSGF V1.0;\ngrammar choices;\n"
                                   "public <choice> = ");
    for (i = 0; i < a->nphrases; i++)
        len += (size_t)snprintf(g + len, cap - len, "%s%s",
                                i ? " | " : "", a->phrases[i].words);
    /* digits said one by one, "oh" and "double four" when taken. The
     * loop is "<item> <item>*", not "<item>+": sphinxbase builds a + (and
     * a right recursion) with a way back to the state it starts from,
     * which here is the start of every choice, so that "two november"
     * became a sentence of the grammar (4 of 13 menu words of
     * tests/human's held-out half heard with a digit before them) */
    if (a->digits)
        len += (size_t)snprintf(g + len, cap - len,
                                "%s<item> <item>*;\n<digit> = zero | one | "
                                "two | three | four | five | six | seven | "
                                "eight | nine%s;\n<item> = <digit>%s",
                                a->nphrases ? " | " : "",
                                a->digits & 2 ? " | oh" : "",
                                a->digits & 4 ? " | double <digit> | "
                                                "triple <digit>"
                                              : "");
    snprintf(g + len, cap - len, ";\n");
    /* a value said digit by digit is a loop, as a user's grammar often
     * is: the same insertion penalty (see GRAMMAR_WIP). Measured on the
     * tuning half of tests/human with its choices and the digit rule
     * (0.65 / 0.1 / 0.01): digit word errors 27% / 13% / 5%, off-menu
     * words rejected 20% / 51% / 65% (the rest heard as digits, which a
     * collection's length and pattern then refuse), menu words 10 / 10 /
     * 9 of 12 */
    if (a->digits)
        cmd_ln_set_float_r(ps_get_config(a->ps), "-wip", GRAMMAR_WIP);
    i = set_grammar(a, "main", jsgf_parse_string(g, NULL));
    cmd_ln_set_float_r(ps_get_config(a->ps), "-wip", DEFAULT_WIP);
    free(g);
    if (i != 0)
        return ivr_error_set(err, IVR_EINTERNAL, "the choices did not make "
                             "a grammar");
    return IVR_OK;
}

/* Any sequence of the words of spec that the dictionary has: a loop, with
 * a loop's insertion penalty (GRAMMAR_WIP), written "<w> <w>*" for the
 * reason set_choices_grammar gives. No phone-loop pass follows (score_part
 * scores only choices and grammars): a spotter reads which words came in
 * what order, not how sure each was. */
static int set_words_grammar(asr_recognizer *a, const char *spec,
                             ivr_error *err)
{
    char *words = normalise(spec), *w, *save = NULL, *g;
    size_t cap, len;
    int n = 0, rc;

    if (!words)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    cap = 3 * strlen(words) + 128;
    if (!(g = malloc(cap))) {
        free(words);
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    }
    len = (size_t)snprintf(g, cap, "#JSGF V1.0;\ngrammar words;\n"
                                   "public <s> = <w> <w>*;\n<w> =");
    /* "<w> = a | b | c": each word once */
    for (w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char item[128];
        snprintf(item, sizeof item, " %s |", w);
        if (strlen(w) < 100 && !strstr(g, item) && asr_has_word(a, w)) {
            len += (size_t)snprintf(g + len, cap - len, "%s", item);
            n++;
        }
    }
    if (n)
        len -= 2;   /* the last " |" */
    snprintf(g + len, cap - len, ";\n");
    free(words);
    if (n == 0) {
        free(g);
        return ivr_error_set(err, IVR_EINPUT, "words \"%.60s\": none of "
                             "them is in the dictionary", spec);
    }
    /* phrases listened for were built on the loop before: asked again */
    a->nlisten = 0;
    free(a->words_rule);
    if (!(a->words_rule = strdup(strstr(g, "<w> =")))) {
        free(g);
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    }
    cmd_ln_set_float_r(ps_get_config(a->ps), "-wip", GRAMMAR_WIP);
    rc = set_grammar(a, "main", jsgf_parse_string(g, NULL));
    cmd_ln_set_float_r(ps_get_config(a->ps), "-wip", DEFAULT_WIP);
    free(g);
    return rc == 0 ? IVR_OK : ivr_error_set(err, IVR_EINTERNAL, "the words "
                                            "did not make a grammar");
}

int asr_has_word(const asr_recognizer *a, const char *word)
{
    char *pron;

    if (!a->ps || !*word || !(pron = ps_lookup_word(a->ps, word)))
        return 0;
    ckd_free(pron);
    return 1;
}

int asr_add_word(asr_recognizer *a, const char *word, const char *phones,
                 ivr_error *err)
{
    if (asr_has_word(a, word))
        return IVR_OK;
    if (!a->ps || ps_add_word(a->ps, word, phones, 0) < 0)
        return ivr_error_set(err, IVR_EINPUT, "'%s' said as %s: the "
                             "recogniser cannot take it", word, phones);
    return IVR_OK;
}

/* pocketsphinx takes an empty or garbled keyword list without a word and
 * then spots nothing: each line must be a phrase of dictionary words,
 * with at most a /threshold/ after it, and there must be one. */
static int check_keywords(asr_recognizer *a, const char *path,
                          ivr_error *err)
{
    FILE *f = fopen(path, "r");
    char *line = NULL, *p, *slash, *w, *save;
    size_t cap = 0;
    ssize_t len;
    int n = 0, phrases = 0, rc = IVR_OK;

    if (!f)
        return ivr_error_set(err, IVR_EINPUT, "%s:", path);
    while (rc == IVR_OK && (len = getline(&line, &cap, f)) >= 0) {
        int words = 0;
        n++;
        for (p = line; *p && (isprint((unsigned char)*p) || *p == '\t' ||
                              *p == '\r' || *p == '\n'); p++)
            ;
        if ((size_t)len != strlen(line) || len > 1000 || *p) {
            rc = ivr_error_set(err, IVR_EINPUT, "%s:%d: not a keyword line",
                               path, n);
            break;
        }
        if ((slash = strchr(line, '/'))) {
            double t;
            int used = 0;
            if (sscanf(slash, "/%lf/%n", &t, &used) != 1 || used == 0 ||
                slash[used + strspn(slash + used, " \t\r\n")] != '\0') {
                rc = ivr_error_set(err, IVR_EINPUT, "%s:%d: expected a "
                                   "threshold such as /1e-20/ after the "
                                   "phrase", path, n);
                break;
            }
            *slash = '\0';
        }
        for (p = line; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        for (w = strtok_r(line, " \t\r\n", &save); w && rc == IVR_OK;
             w = strtok_r(NULL, " \t\r\n", &save), words++) {
            char *pron = ps_lookup_word(a->ps, w);   /* ours to free */
            if (!pron)
                rc = ivr_error_set(err, IVR_EINPUT, "%s:%d: the word '%.40s' "
                                   "is not in the dictionary", path, n, w);
            ckd_free(pron);
        }
        phrases += words > 0;
    }
    free(line);
    fclose(f);
    if (rc == IVR_OK && phrases == 0)
        rc = ivr_error_set(err, IVR_EINPUT, "%s: no keywords in it (a line "
                           "each: 'phrase /1e-20/')", path);
    return rc;
}

int asr_search_init(asr_recognizer *a, const asr_opts *o, const char *model,
                    ivr_error *err)
{
    char path[4096];
    struct stat st;

    switch (o->mode) {
    case ASR_CHOICES:
        if (!o->spec)
            return ivr_error_set(err, IVR_EUSAGE, "no choices given");
        if (parse_choices(a, o->spec, err) != IVR_OK ||
            set_choices_grammar(a, err) != IVR_OK)
            return err ? err->status : IVR_EINPUT;
        a->spec = strdup(o->spec);
        return a->spec ? IVR_OK : ivr_error_set(err, IVR_EINTERNAL,
                                                "out of memory");
    case ASR_GRAMMAR:
    case ASR_KEYWORDS:
        if (!o->spec || stat(o->spec, &st) != 0)
            return ivr_error_set(err, IVR_EINPUT, "%s:",
                                 o->spec ? o->spec : "(no file)");
        if (!S_ISREG(st.st_mode))
            return ivr_error_set(err, IVR_EINPUT, "%s: not a %s file (a "
                                 "folder?)", o->spec, o->mode == ASR_GRAMMAR
                                 ? "grammar" : "keyword");
        if (o->mode == ASR_KEYWORDS && check_keywords(a, o->spec, err) !=
                                           IVR_OK)
            return err->status;
        if (o->mode == ASR_GRAMMAR && set_jsgf_quietly(a, o->spec) != 0) {
            char *w = jsgf_unknown_word(a, o->spec);
            if (w) {
                ivr_error_set(err, IVR_EINPUT, "%s: the word '%.40s' is not "
                              "in the dictionary", o->spec, w);
                free(w);
                return IVR_EINPUT;
            }
            return ivr_error_set(err, IVR_EINPUT, "%s: not a JSGF grammar "
                                 "(a syntax error?)", o->spec);
        }
        if (o->mode == ASR_KEYWORDS && ps_set_kws(a->ps, "main",
                                                  o->spec) != 0)
            return ivr_error_set(err, IVR_EINPUT, "%s: not a keyword list "
                                 "this dictionary can use", o->spec);
        return IVR_OK;
    case ASR_WORDS:
        if (!o->spec)
            return ivr_error_set(err, IVR_EUSAGE, "no words given");
        return set_words_grammar(a, o->spec, err);
    case ASR_FREE:
        snprintf(path, sizeof path, "%s/en-us.lm.bin", model);
        if (ps_set_lm_file(a->ps, "main", path) != 0)
            return ivr_error_set(err, IVR_EMISSING, "%s: cannot load the "
                                 "language model (package %s)", path,
                                 MODEL_PACKAGE);
        return IVR_OK;
    }
    return ivr_error_set(err, IVR_EUSAGE, "unknown recognition mode");
}

static void free_choices(asr_recognizer *a)
{
    int i;

    for (i = 0; i < a->nphrases; i++)
        free(a->phrases[i].words);
    for (i = 0; i < a->nchoices; i++)
        free(a->choice_names[i]);
    free(a->phrases);
    free(a->choice_names);
    a->phrases = NULL;
    a->choice_names = NULL;
    a->nphrases = a->nchoices = 0;
    a->digits = 0;
}

int asr_set_choices(asr_recognizer *a, const char *spec, ivr_error *err)
{
    if (!spec)
        return ivr_error_set(err, IVR_EUSAGE, "no choices given");
    if (!a->ps)
        return IVR_OK;
    /* the grammar is the decoding thread's until its decode ends */
    asr_async_wait(a);
    if (a->mode == ASR_CHOICES && a->spec && !strcmp(a->spec, spec))
        return IVR_OK;
    free_choices(a);
    free(a->spec);
    a->spec = NULL;
    if (parse_choices(a, spec, err) != IVR_OK ||
        set_choices_grammar(a, err) != IVR_OK)
        return err ? err->status : IVR_EINPUT;
    a->mode = ASR_CHOICES;
    a->spec = strdup(spec);
    return a->spec ? IVR_OK : ivr_error_set(err, IVR_EINTERNAL,
                                            "out of memory");
}

int asr_set_words(asr_recognizer *a, const char *spec, ivr_error *err)
{
    if (!spec)
        return ivr_error_set(err, IVR_EUSAGE, "no words given");
    asr_async_wait(a);
    if (set_words_grammar(a, spec, err) != IVR_OK)
        return err ? err->status : IVR_EINPUT;
    free_choices(a);
    free(a->spec);
    a->spec = NULL;
    a->mode = ASR_WORDS;
    return IVR_OK;
}

const char *asr_choice_of(const asr_recognizer *a, const char *hyp)
{
    int i;

    for (i = 0; i < a->nphrases; i++)
        if (!strcmp(a->phrases[i].words, hyp))
            return a->choice_names[a->phrases[i].choice];
    /* not a phrase: the digit rule's, when there is one */
    if (a->digits && *hyp)
        return ASR_DIGITS_CHOICE;
    return hyp;
}

static void free_listening(asr_recognizer *a)
{
    int i;

    for (i = 0; a->listen_phrases && i < a->nlisten; i++)
        free(a->listen_phrases[i]);
    free(a->listen_phrases);
    free(a->listen_said);
    free(a->listen_end);
    a->listen_phrases = NULL;
    a->listen_said = NULL;
    a->listen_end = NULL;
    a->nlisten = 0;
}

void asr_search_free(asr_recognizer *a)
{
    free_choices(a);
    free(a->spec);
    a->spec = NULL;
    free(a->words_rule);
    a->words_rule = NULL;
    free_listening(a);
}

/* The search that checks phrase i: "said<i>". */
static void said_search_name(int i, char *name, size_t size)
{
    snprintf(name, size, "said%d", i);
}

int asr_listen_for(asr_recognizer *a, char *const *phrases, int n,
                   asr_phrase_worth_fn worth, void *user, ivr_error *err)
{
    int i, rc = IVR_OK;

    if (a->mode != ASR_WORDS || !a->words_rule)
        return ivr_error_set(err, IVR_EUSAGE, "phrases are listened for "
                             "in a loop of words only");
    for (i = 0; i < n; i++) {
        char *w, *save = NULL, *copy = strdup(phrases[i]);
        if (!copy)
            return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        for (w = strtok_r(copy, " ", &save); w && rc == IVR_OK;
             w = strtok_r(NULL, " ", &save))
            if (!asr_has_word(a, w))
                rc = ivr_error_set(err, IVR_EINPUT, "\"%.60s\": '%s' is "
                                   "not in the dictionary", phrases[i], w);
        free(copy);
        if (rc != IVR_OK)
            return rc;
    }
    free_listening(a);
    if (!(a->listen_said = calloc((size_t)n + 1, sizeof *a->listen_said)) ||
        !(a->listen_end = calloc((size_t)n + 1, sizeof *a->listen_end)) ||
        !(a->listen_phrases = calloc((size_t)n + 1,
                                     sizeof *a->listen_phrases))) {
        free_listening(a);
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    }
    for (i = 0; i < n; i++)
        if (!(a->listen_phrases[i] = strdup(phrases[i]))) {
            a->nlisten = n;
            free_listening(a);
            return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        }
    /* the loop's own insertion penalty, so that the phrase's path and the
     * loop's compete on their sounds */
    cmd_ln_set_float_r(ps_get_config(a->ps), "-wip", GRAMMAR_WIP);
    for (i = 0; i < n && rc == IVR_OK; i++) {
        size_t cap = strlen(a->words_rule) + strlen(phrases[i]) + 128;
        char *g = malloc(cap), name[24];

        if (!g) {
            rc = ivr_error_set(err, IVR_EINTERNAL, "out of memory");
            break;
        }
        snprintf(g, cap, "#JSGF V1.0;\ngrammar said;\n"
                 "public <s> = <w>* ( %s ) <w>*;\n%s", phrases[i],
                 a->words_rule);
        said_search_name(i, name, sizeof name);
        if (set_grammar(a, name, jsgf_parse_string(g, NULL)) != 0)
            rc = ivr_error_set(err, IVR_EINTERNAL, "\"%.60s\" did not make "
                               "a grammar", phrases[i]);
        free(g);
    }
    cmd_ln_set_float_r(ps_get_config(a->ps), "-wip", DEFAULT_WIP);
    if (rc != IVR_OK)
        return rc;
    a->nlisten = n;
    a->listen_worth = worth;
    a->listen_user = user;
    return IVR_OK;
}

/* Where a phrase (words) ended in a checking search's hypothesis said
 * (its words ending at frames ends[0..nw)): at its last word, its words
 * matched in order from the first, the phrase being one path through loop
 * words that may repeat its own (the earliest such end: a caller acts no
 * later). */
static int64_t phrase_end(const char *said, const char *words,
                          const int *ends, int nw, int frame_len)
{
    char sb[1024], pb[1024], *sw[ASR_MAX_WORDS], *pw, *save = NULL, *s2;
    int n = 0, j = 0, last = nw - 1;

    snprintf(sb, sizeof sb, "%s", said);
    snprintf(pb, sizeof pb, "%s", words);
    for (s2 = strtok_r(sb, " ", &save); s2 && n < ASR_MAX_WORDS;
         s2 = strtok_r(NULL, " ", &save))
        sw[n++] = s2;
    if (n == nw)
        for (pw = strtok_r(pb, " ", &save); pw;
             pw = strtok_r(NULL, " ", &save)) {
            while (j < n && strcmp(sw[j], pw))
                j++;
            if (j == n)
                break;
            last = j++;
        }
    return (int64_t)(ends[last] + 1) * frame_len;
}

void asr_check_phrases(asr_recognizer *a, const int16_t *pcm, size_t n,
                       const char *heard)
{
    int i;

    for (i = 0; i < a->nlisten; i++) {
        char name[24], said[1024];
        int ends[ASR_MAX_WORDS], nw;
        a->listen_said[i] = 0;
        a->listen_end[i] = (int64_t)(n / (DECODE_RATE / 100)) * a->frame_len;
        if (a->listen_worth && !a->listen_worth(i, heard, a->listen_user))
            continue;
        said_search_name(i, name, sizeof name);
        /* no path at all: the phrase fell out of the beam somewhere */
        asr_run_search(a->ps, name, pcm, n, said, sizeof said, NULL);
        a->listen_said[i] = *said != '\0';
        nw = asr_word_ends(a->ps, ends, ASR_MAX_WORDS);
        if (a->listen_said[i] && nw > 0)
            a->listen_end[i] = phrase_end(said, a->listen_phrases[i], ends,
                                          nw, a->frame_len);
    }
}
