/*
 * menu_parse_values.c: the values on a menu file's lines: durations,
 * counts, names, {templates}, keys, audio files, barge-in modes, voices.
 */
#include "audio.h"
#include "fs.h"
#include "menu_parse.h"
#include "tts.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const bargein_words[] = {
    "on", "off", "dtmf", "speech", "both", "none", NULL
};

char *mp_dup_or_fail(parser *P, const char *s)
{
    char *d = strdup(s);

    if (!d)
        ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
    return d;
}

/* Grows an array of n elements to n + 1, zeroing the new one. */
void *mp_grow(parser *P, void *arr, int n, size_t size)
{
    char *p = realloc(arr, (size_t)(n + 1) * size);

    if (!p) {
        ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    memset(p + (size_t)n * size, 0, size);
    return p;
}

menu_loc mp_loc_of(const parser *P, const menu_token *t)
{
    menu_loc l;

    l.file = P->c.file;
    l.line = P->c.line;
    l.col = menu_lex_col_of(&P->c, t);
    return l;
}

int mp_parse_duration(parser *P, const char *what, double *ms)
{
    const menu_token *t = menu_lex_take(&P->c);

    if (!t || t->kind != TOK_WORD)
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                              "expected a duration "
                              "after '%s' (such as 5s or 500ms)",
                              what);
    switch (menu_duration(t->text, ms)) {
    case -2:
        return menu_lex_error(&P->c, t->col, "'%s' needs a unit: %ss or %sms",
                              t->text, t->text, t->text);
    case -1:
        return menu_lex_error(&P->c, t->col,
                              "'%s' is not a duration (such as 5s, "
                              "500ms or 1m30s)",
                              t->text);
    }
    if (*ms > 24.0 * 3600.0 * 1000.0)
        return menu_lex_error(&P->c, t->col, "'%s' is longer than a day",
                              t->text);
    return IVR_OK;
}

int mp_parse_count(parser *P, const char *what, int min, int max, int *out)
{
    const menu_token *t = menu_lex_take(&P->c);
    char *end;
    long v;

    if (!t || t->kind != TOK_WORD)
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                              "expected a number after '%s'", what);
    errno = 0;
    v = strtol(t->text, &end, 10);
    if (*end || errno || end == t->text)
        return menu_lex_error(&P->c, t->col, "'%s' is not a whole number",
                              t->text);
    if (v < min || v > max)
        return menu_lex_error(&P->c, t->col, "%s %ld is outside %d..%d", what,
                              v, min, max);
    *out = (int)v;
    return IVR_OK;
}

int mp_valid_name(const char *s)
{
    if (!(islower((unsigned char)*s) || *s == '_'))
        return 0;
    for (s++; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
              *s == '_'))
            return 0;
    return 1;
}

int mp_parse_name(parser *P, const char *what, char **out)
{
    const menu_token *t = menu_lex_take(&P->c);

    if (!t || t->kind != TOK_WORD)
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t), "expected %s",
                              what);
    if (!mp_valid_name(t->text))
        return menu_lex_error(&P->c, t->col,
                              "'%s' is not a valid name (lower-case "
                              "letters, digits and _, starting with a letter)",
                              t->text);
    *out = mp_dup_or_fail(P, t->text);
    return *out ? IVR_OK : IVR_EINTERNAL;
}

/* Checks the {name} and {name:format} references of a template. */
static int check_template(parser *P, const menu_token *t)
{
    const char *s = t->text, *p;
    int base = t->col + (t->kind == TOK_STRING ? 1 : 0);

    for (p = s; *p; p++) {
        const char *q, *colon;
        if (*p == '}' && p[1] == '}') {
            p++;
            continue;
        }
        if (*p == '}')
            return menu_lex_error(&P->c, base + (int)(p - s),
                                  "'}' without '{' (write "
                                  "{{ and }} for braces)");
        if (*p != '{')
            continue;
        if (p[1] == '{') {
            p++;
            continue;
        }
        q = strchr(p, '}');
        if (!q)
            return menu_lex_error(&P->c, base + (int)(p - s),
                                  "'{' without a closing "
                                  "'}'");
        colon = memchr(p, ':', (size_t)(q - p));
        {
            char name[64];
            size_t n = (size_t)((colon ? colon : q) - p - 1);
            if (n == 0 || n >= sizeof name)
                return menu_lex_error(&P->c, base + (int)(p - s),
                                      "'{' needs a variable "
                                      "name");
            memcpy(name, p + 1, n);
            name[n] = '\0';
            if (!mp_valid_name(name))
                return menu_lex_error(&P->c, base + (int)(p - s) + 1,
                                      "'%s' is not a "
                                      "variable name",
                                      name);
            if (menu_clock_variable(name))
                P->m->uses_clock = 1;
        }
        if (colon) {
            static const char *const formats[] = {"digits", NULL};
            char fmt[32];
            size_t n = (size_t)(q - colon - 1);
            snprintf(fmt, sizeof fmt, "%.*s", (int)(n < 31 ? n : 31),
                     colon + 1);
            if (strcmp(fmt, "digits")) {
                const char *near = menu_suggest(fmt, formats);
                return menu_lex_error(&P->c, base + (int)(colon - s) + 1,
                                      "unknown "
                                      "format '%s'%s%s%s (known: digits)",
                                      fmt, near ? " (did you mean '" : "",
                                      near ? near : "", near ? "'?)" : "");
            }
        }
        p = q;
    }
    return IVR_OK;
}

/* A template argument: a "string" or a single word such as {caller}. */
int mp_parse_template(parser *P, const char *what, int allow_word,
                          char **out)
{
    const menu_token *t = menu_lex_take(&P->c);

    if (!t || !(t->kind == TOK_STRING || (allow_word && t->kind == TOK_WORD)))
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t), "expected %s",
                              what);
    if (check_template(P, t) != IVR_OK)
        return IVR_EINPUT;
    *out = mp_dup_or_fail(P, t->text);
    return *out ? IVR_OK : IVR_EINTERNAL;
}

int mp_is_dtmf_string(const char *s)
{
    if (!*s || strlen(s) > 16)
        return 0;
    for (; *s; s++)
        if (!strchr("0123456789*#ABCD", *s))
            return 0;
    return 1;
}

int mp_parse_keys(parser *P, const char *what, char out[17])
{
    const menu_token *t = menu_lex_take(&P->c);

    if (!t || t->kind != TOK_WORD)
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t), "expected %s",
                              what);
    if (!strcmp(t->text, "none")) {
        out[0] = '\0';
        return IVR_OK;
    }
    if (!mp_is_dtmf_string(t->text))
        return menu_lex_error(
            &P->c, t->col, "'%s' is not a set of keys (0-9 * # A-D)", t->text);
    strcpy(out, t->text);
    return IVR_OK;
}

/* An audio file named in the menu: relative to the menu file, and it must
 * be there now rather than be found missing mid-call. */
static int is_folder(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Its header read now, so that an empty, headerless or not-a-sound file
 * is the menu's mistake at its line, not a call that ends in an error
 * when it comes to play (a text file named .wav passed --check). */
static int check_audio_file(parser *P, const menu_token *t, const char *path)
{
    audio_read_opts ro = {0};
    ivr_error e;
    audio_reader *r;

    ivr_error_clear(&e);
    if (!(r = audio_reader_open(path, &ro, &e))) {
        /* the reader's message begins with the path, named here already */
        const char *why = e.message;
        size_t n = strlen(path);
        if (!strncmp(why, path, n) && !strncmp(why + n, ": ", 2))
            why += n + 2;
        return menu_lex_error(&P->c, t->col, "audio file '%s' cannot be "
                              "played (%s)", path, why);
    }
    audio_reader_close(r);
    return IVR_OK;
}

int mp_parse_audio_path(parser *P, char **out)
{
    const menu_token *t = menu_lex_take(&P->c);
    char *path;

    if (!t)
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, NULL),
                              "expected an audio file");
    if (!(path = fs_join_path(P->dir, t->text)))
        return ivr_error_set(P->c.err, IVR_EINTERNAL, "out of memory");
    if (access(path, R_OK) != 0 || is_folder(path)) {
        /* a folder passes access(), and plays nothing (found by make
         * fuzz: "play r" beside /tmp/r) */
        int e = is_folder(path) ? EISDIR : errno;
        menu_lex_error(&P->c, t->col, "audio file '%s' cannot be read (%s)",
                       path, strerror(e));
        free(path);
        return IVR_EINPUT;
    }
    if (mp_confined(P, path, t, "audio file") != IVR_OK ||
        check_audio_file(P, t, path) != IVR_OK) {
        free(path);
        return IVR_EINPUT;
    }
    *out = path;
    return IVR_OK;
}

int mp_parse_bargein_value(parser *P, menu_bargein *out)
{
    const menu_token *t = menu_lex_take(&P->c);

    if (!t || t->kind != TOK_WORD)
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, t),
                              "expected on, off, dtmf or speech "
                              "after 'bargein'");
    if (!strcmp(t->text, "on") || !strcmp(t->text, "both"))
        *out = BARGEIN_BOTH;
    else if (!strcmp(t->text, "off") || !strcmp(t->text, "none"))
        *out = BARGEIN_NONE;
    else if (!strcmp(t->text, "dtmf"))
        *out = BARGEIN_DTMF;
    else if (!strcmp(t->text, "speech"))
        *out = BARGEIN_SPEECH;
    else
        return menu_lex_unknown(&P->c, t, "barge-in mode", bargein_words);
    return IVR_OK;
}

int mp_parse_voice(parser *P, const char **out)
{
    const menu_token *t = menu_lex_take(&P->c);
    const char *const *names = tts_voice_names();
    int i;

    if (!t)
        return menu_lex_error(&P->c, menu_lex_col_of(&P->c, NULL),
                              "expected a voice name");
    for (i = 0; names[i]; i++)
        if (!strcmp(names[i], t->text)) {
            *out = names[i];
            return IVR_OK;
        }
    if (strstr(t->text, ".flitevox")) {
        char *path;
        P->c.pos--;
        if (mp_parse_audio_path(P, &path) != IVR_OK)
            return IVR_EINPUT;
        *out = menu_keep_string(P->m, path);
        return *out ? IVR_OK : ivr_error_set(P->c.err, IVR_EINTERNAL,
                                             "out of memory");
    }
    return menu_lex_unknown(&P->c, t, "voice", names);
}

