/*
 * http_fixtures.c: canned answers to a menu's fetch, matched by method and
 * URL (see http.h for the lines).
 */
#include "http.h"
#include "menu.h"
#include "menu_lex.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* answers bigger than this are no fixture anyone meant to write */
#define MAX_ANSWER_BYTES (4 << 20)
#define MAX_FIXTURE_DELAY_MS 600000

typedef struct fixture {
    char *method, *url;      /* url: a pattern, * matches anything */
    int status;
    double delay_ms;
    char *answer;            /* NULL with fail */
    char *fail;              /* no answer: why */
} fixture;

struct http_fixtures {
    fixture *f;
    int n;
};

http_fixtures *http_fixtures_new(void)
{
    return calloc(1, sizeof(http_fixtures));
}

void http_fixtures_free(http_fixtures *f)
{
    int i;

    if (!f)
        return;
    for (i = 0; i < f->n; i++) {
        free(f->f[i].method);
        free(f->f[i].url);
        free(f->f[i].answer);
        free(f->f[i].fail);
    }
    free(f->f);
    free(f);
}

int http_fixtures_count(const http_fixtures *f)
{
    return f ? f->n : 0;
}

void http_response_free(http_response *rs)
{
    free(rs->body);
    rs->body = NULL;
}

/* The whole of a small file, or NULL with err set. */
static char *read_answer(const char *path, menu_lex_cursor *c, int col)
{
    FILE *in = fopen(path, "rb");
    char *buf = NULL;
    long len;

    if (!in) {
        menu_lex_error(c, col, "'%s' cannot be read (%s)", path,
                       strerror(errno));
        return NULL;
    }
    if (fseek(in, 0, SEEK_END) != 0 || (len = ftell(in)) < 0 ||
        len > MAX_ANSWER_BYTES || fseek(in, 0, SEEK_SET) != 0) {
        menu_lex_error(c, col, "'%s' is not an answer (over 4 MB, or not a "
                       "file)", path);
    } else if (!(buf = malloc((size_t)len + 1)) ||
               fread(buf, 1, (size_t)len, in) != (size_t)len) {
        menu_lex_error(c, col, "'%s' cannot be read", path);
        free(buf);
        buf = NULL;
    } else {
        buf[len] = '\0';
    }
    fclose(in);
    return buf;
}

static int parse_options(menu_lex_cursor *c, fixture *x, const char *dir)
{
    static const char *const opts[] = {"status", "delay", "answer", "fail",
                                       NULL};
    const menu_token *t;

    x->status = 200;
    while ((t = menu_lex_take(c))) {
        const menu_token *v = menu_lex_take(c);
        if (menu_lex_is_word(t, "status")) {
            char *end;
            long s = v && v->kind == TOK_WORD ? strtol(v->text, &end, 10) : 0;
            if (!v || v->kind != TOK_WORD || *end || s < 100 || s > 599)
                return menu_lex_error(c, menu_lex_col_of(c, v),
                                      "expected an HTTP status (100-599) "
                                      "after 'status'");
            x->status = (int)s;
        } else if (menu_lex_is_word(t, "delay")) {
            if (!v || v->kind != TOK_WORD ||
                menu_duration(v->text, &x->delay_ms) != 0 ||
                x->delay_ms > MAX_FIXTURE_DELAY_MS)
                return menu_lex_error(c, menu_lex_col_of(c, v),
                                      "expected a time after 'delay' (such "
                                      "as 4s, at most 10m)");
        } else if (menu_lex_is_word(t, "answer") && menu_lex_is_word(v,
                                                                     "file")) {
            const menu_token *p = menu_lex_take(c);
            char path[4096];
            if (!p || p->kind != TOK_STRING)
                return menu_lex_error(c, menu_lex_col_of(c, p),
                                      "expected a \"file\" after 'answer "
                                      "file'");
            if (p->text[0] == '/')
                snprintf(path, sizeof path, "%s", p->text);
            else
                snprintf(path, sizeof path, "%s/%s", dir, p->text);
            /* the last answer given counts (found by make fuzz: the one
             * before it leaked) */
            free(x->answer);
            if (!(x->answer = read_answer(path, c, p->col)))
                return IVR_EINPUT;
        } else if (menu_lex_is_word(t, "answer") || menu_lex_is_word(t,
                                                                     "fail")) {
            if (!v || v->kind != TOK_STRING)
                return menu_lex_error(c, menu_lex_col_of(c, v),
                                      "expected a \"text\" after '%s'",
                                      t->text);
            char **to = t->text[0] == 'a' ? &x->answer : &x->fail;
            free(*to);
            if (!(*to = strdup(v->text)))
                return ivr_error_set(c->err, IVR_EINTERNAL, "out of memory");
        } else {
            return menu_lex_unknown(c, t, "fixture option", opts);
        }
    }
    if (!x->answer && !x->fail)
        return menu_lex_error(c, menu_lex_col_of(c, NULL),
                              "a fixture needs an answer \"...\", answer "
                              "file \"...\" or fail \"...\"");
    return IVR_OK;
}

int http_fixtures_add(http_fixtures *f, const char *line, const char *file,
                      int line_no, const char *dir, ivr_error *err)
{
    menu_line ln;
    menu_lex_cursor c = {file, line_no, &ln, 0, err};
    const menu_token *kw, *m, *u;
    fixture x, *grown;
    int rc;

    memset(&x, 0, sizeof x);
    if (menu_lex_line(line, file, line_no, &ln, err) != IVR_OK)
        return IVR_EINPUT;
    if (ln.n == 0) {
        menu_line_free(&ln);
        return IVR_OK;
    }
    kw = menu_lex_take(&c);
    m = menu_lex_take(&c);
    u = menu_lex_take(&c);
    if (!menu_lex_is_word(kw, "http"))
        rc = menu_lex_error(&c, kw->col, "a fixture line starts with "
                            "'http', not \"%s\"", kw->text);
    else if (!m || (!menu_lex_is_word(m, "GET") &&
                    !menu_lex_is_word(m, "POST")))
        rc = menu_lex_error(&c, menu_lex_col_of(&c, m), "expected GET or "
                            "POST after 'http'");
    else if (!u || u->kind != TOK_STRING)
        rc = menu_lex_error(&c, menu_lex_col_of(&c, u), "expected the "
                            "\"URL\" it answers");
    else if (!(x.method = strdup(m->text)) || !(x.url = strdup(u->text)))
        rc = ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    else
        rc = parse_options(&c, &x, dir);
    menu_line_free(&ln);
    if (rc == IVR_OK &&
        !(grown = realloc(f->f, (size_t)(f->n + 1) * sizeof *grown)))
        rc = ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    if (rc != IVR_OK) {
        free(x.method);
        free(x.url);
        free(x.answer);
        free(x.fail);
        return rc;
    }
    f->f = grown;
    f->f[f->n++] = x;
    return IVR_OK;
}

static int load_file(http_fixtures *f, const char *path, ivr_error *err)
{
    FILE *in = fopen(path, "r");
    char line[8192], dir[4096];
    const char *slash = strrchr(path, '/');
    int n = 0, rc = IVR_OK;

    if (!in)
        return ivr_error_set(err, IVR_EINPUT, "%s:", path);
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1,
             slash ? path : ".");
    while (rc == IVR_OK && fgets(line, sizeof line, in)) {
        size_t len = strlen(line);
        n++;
        if (len && line[len - 1] == '\n')
            line[--len] = '\0';
        else if (!feof(in))
            rc = ivr_error_set(err, IVR_EINPUT, "%s:%d: line too long "
                               "(over 8 KB: put the answer in a file)",
                               path, n);
        if (rc == IVR_OK)
            rc = http_fixtures_add(f, line, path, n, dir, err);
    }
    fclose(in);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int http_fixtures_load(http_fixtures *f, const char *path, ivr_error *err)
{
    struct stat sb;
    struct dirent *de;
    char **names = NULL, full[4096];
    int n = 0, i, rc = IVR_OK;
    DIR *d;

    if (stat(path, &sb) != 0)
        return ivr_error_set(err, IVR_EINPUT, "%s:", path);
    if (!S_ISDIR(sb.st_mode))
        return load_file(f, path, err);
    if (!(d = opendir(path)))
        return ivr_error_set(err, IVR_EINPUT, "%s:", path);
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        char **grown;
        if (len < 6 || strcmp(de->d_name + len - 5, ".http"))
            continue;
        grown = realloc(names, (size_t)(n + 1) * sizeof *grown);
        if (!grown || !(grown[n] = strdup(de->d_name))) {
            if (grown)
                names = grown;
            rc = ivr_error_set(err, IVR_EINTERNAL, "out of memory");
            break;
        }
        names = grown;
        n++;
    }
    closedir(d);
    if (rc == IVR_OK && n == 0)
        rc = ivr_error_set(err, IVR_EINPUT, "%s: no fixture files (*.http) "
                           "in this folder", path);
    if (n)
        qsort(names, (size_t)n, sizeof *names, by_name);
    for (i = 0; i < n; i++) {
        if (rc == IVR_OK) {
            snprintf(full, sizeof full, "%s/%s", path, names[i]);
            rc = load_file(f, full, err);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int http_url_matches(const char *pattern, const char *url)
{
    char plain[4096];
    size_t i = 0;

    if (fnmatch(pattern, url, 0) == 0)
        return 1;
    if (!strchr(url, '%') || strlen(url) >= sizeof plain)
        return 0;
    for (; *url; url++) {
        int hi, lo;
        if (url[0] == '%' && (hi = hex_value(url[1])) >= 0 &&
            (lo = hex_value(url[2])) >= 0 && (hi || lo)) {
            plain[i++] = (char)(hi * 16 + lo);
            url += 2;
        } else {
            plain[i++] = *url;
        }
    }
    plain[i] = '\0';
    return fnmatch(pattern, plain, 0) == 0;
}

int http_fixtures_fetch(const http_fixtures *f, const http_request *rq,
                        http_response *rs, ivr_error *err)
{
    int i;

    memset(rs, 0, sizeof *rs);
    for (i = 0; f && i < f->n; i++) {
        const fixture *x = &f->f[i];
        if (strcmp(x->method, rq->method) ||
            !http_url_matches(x->url, rq->url))
            continue;
        if (x->delay_ms > rq->timeout_ms) {
            rs->ms = rq->timeout_ms;
            ivr_error_set(err, IVR_EFAIL, "timeout after %gs",
                          rq->timeout_ms / 1000.0);
            return HTTP_NO_ANSWER;
        }
        rs->ms = x->delay_ms;
        if (x->fail) {
            ivr_error_set(err, IVR_EFAIL, "%s", x->fail);
            return HTTP_NO_ANSWER;
        }
        rs->status = x->status;
        if (!(rs->body = strdup(x->answer))) {
            ivr_error_set(err, IVR_EINTERNAL, "out of memory");
            return HTTP_NO_ANSWER;
        }
        return HTTP_ANSWERED;
    }
    ivr_error_set(err, IVR_EINPUT, "no fixture answers %s %s (add a line "
                  "such as: http %s \"%s\" answer \"{}\")",
                  rq->method, rq->url, rq->method, rq->url);
    return HTTP_NO_FIXTURE;
}

int http_fixtures_hook(void *user, const http_request *rq, http_response *rs,
                       ivr_error *err)
{
    return http_fixtures_fetch(user, rq, rs, err);
}
