/*
 * menu_gen_fixture.c: the `http` line a starter script needs for a fetch
 * on its path: an answer that has every field the fetch reads, or a
 * backend that fails (ivr-call(5)).
 */
#include "menu.h"
#include "menu_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Puts value at path in root, making the objects and arrays on the way. */
static void put_at(json_t *root, const char *path, const char *value)
{
    const char *p = !strncmp(path, "$.", 2) ? path + 2 : path;
    json_t *at = root;
    char name[256];

    while (*p) {
        size_t n = strcspn(p, ".[");
        json_t *next;
        if (n >= sizeof name)
            return;
        memcpy(name, p, n);
        name[n] = '\0';
        p += n;
        if (*p == '[') {
            long i = strtol(p + 1, NULL, 10);
            json_t *arr = json_object_get(at, name);
            if (!json_is_array(arr)) {
                arr = json_array();
                json_object_set_new(at, name, arr);
            }
            while ((long)json_array_size(arr) <= i)
                json_array_append_new(arr, json_object());
            p = strchr(p, ']') + 1;
            /* nested indexes ([0][1]) are rare in answers: one level */
            while (*p == '[')
                p = strchr(p, ']') + 1;
            if (!*p) {
                json_array_set_new(arr, (size_t)i, json_string(value));
                return;
            }
            next = json_array_get(arr, (size_t)i);
        } else if (*p == '.') {
            next = json_object_get(at, name);
            if (!json_is_object(next)) {
                next = json_object();
                json_object_set_new(at, name, next);
            }
        } else {
            json_object_set_new(at, name, json_string(value));
            return;
        }
        if (*p == '.')
            p++;
        at = next;
    }
}

/* The URL with each {value} as a star: the pattern a fixture matches. */
static void url_pattern(const char *url, char *out, size_t size)
{
    size_t o = 0;

    while (*url && o + 2 < size) {
        if (*url == '{' && url[1] != '{') {
            const char *close = strchr(url, '}');
            if (close) {
                out[o++] = '*';
                url = close + 1;
                continue;
            }
        }
        out[o++] = *url++;
    }
    out[o] = '\0';
}

/* Appends s to a growing buffer with " and \ escaped, as a string of a
 * script's line. */
static void add_quoted(char **buf, size_t *len, const char *s)
{
    size_t n = strlen(s), i, o = *len;
    char *grown = realloc(*buf, *len + 2 * n + 3);

    if (!grown)
        return;
    *buf = grown;
    grown[o++] = '"';
    for (i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\')
            grown[o++] = '\\';
        grown[o++] = s[i];
    }
    grown[o++] = '"';
    grown[o] = '\0';
    *len = o;
}

char *menu_fetch_fixture(const menu_fetch *f, int answered)
{
    char pattern[1024], *line, *json = NULL;
    size_t len;
    json_t *root = json_object();
    int i;

    url_pattern(f->url, pattern, sizeof pattern);
    for (i = 0; root && answered && i < f->nset; i++)
        put_at(root, f->set_paths[i], f->set_names[i]);
    if (root)
        json = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!json)
        return NULL;
    line = malloc(32);
    if (!line) {
        free(json);
        return NULL;
    }
    len = (size_t)snprintf(line, 32, "http %s ", f->npost ? "POST" : "GET");
    add_quoted(&line, &len, pattern);
    if (!answered) {
        char *grown = realloc(line, len + 16);
        if (grown) {
            line = grown;
            len += (size_t)snprintf(line + len, 16, " status 503");
        }
    }
    {
        char *grown = realloc(line, len + 16);
        if (grown) {
            line = grown;
            len += (size_t)snprintf(line + len, 16, " answer ");
        }
    }
    add_quoted(&line, &len, answered ? json : "{}");
    free(json);
    return line;
}
