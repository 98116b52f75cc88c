/*
 * menu_gen.c: starter call scripts, one for every path through a menu.
 *
 * A depth-first walk from the start menu: at each menu, every entry the
 * caller can choose (its first key, or its first phrase when it has no
 * key; a valid value for a collection) is one branch, followed through its
 * actions to the menu it leads to. A path ends where the call ends
 * (hangup, transfer), where it would come back to a menu already on it,
 * or where it goes back, up or to the top. QA then edits the expectations
 * into what the menu must do; the paths are what it can do.
 *
 * An `if` on the clock (open, closed, holiday) is two paths: each script
 * gets an `at` line with a time that takes its branch, found by trying
 * the half hours of the days from a fixed Monday on, so the scripts are
 * the same every run. A path through several such ifs needs one time that
 * takes all of its branches; a branch no time takes is no path.
 *
 * A fetch is two paths too, the backend answering (an `http` line whose
 * answer has every field the fetch reads) and failing (a 503, the menu's
 * `on error`).
 */
#include "menu.h"
#include "menu_internal.h"
#include "fs.h"

#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 32
#define MAX_SCRIPTS 500

typedef struct step {
    const menu_node *menu;
    char input[72];       /* keys, or words */
    int speech;
} step;

typedef struct gen {
    const menu_file *m;
    const char *dir, *menu_ref, *base;
    int overwrite, written;
    ivr_error *err;
    step path[MAX_DEPTH];
    int depth;
    char at[64];          /* the path's clock ("" when none was needed) */
    /* the clock's ifs on the path, and the way each must go */
    const menu_cond *clock_if[MAX_DEPTH];
    int clock_want[MAX_DEPTH];
    int nclock;
    /* the fetches on the path, and whether the backend answers each */
    const menu_fetch *fetch[MAX_DEPTH];
    int fetch_ok[MAX_DEPTH];
    int nfetch;
    /* every fetch of the file: a path that goes on past its end may meet
     * one, and a script must not ask the real service */
    const menu_fetch *all_fetches[MAX_DEPTH];
    int nall;
    /* what the path has set that an `if` may ask: a value collected (and
     * that it was keyed) */
    const char *var_names[MAX_DEPTH], *var_values[MAX_DEPTH];
    int nvars;
} gen;

/* Where the search for a time starts: a Monday, the same every run. */
#define REF_YEAR 2027
#define REF_MONTH 1
#define REF_DAY 4
#define SEARCH_DAYS 400

/* Where a line of actions leads: a menu, or the end of the call; *iff
 * gets the `if` the line ends in, if it does. */
static const menu_node *leads_to(const menu_action *a, const char **end,
                                 const menu_action **iff)
{
    *end = NULL;
    *iff = NULL;
    for (; a; a = a->next) {
        switch (a->kind) {
        case ACT_GOTO:
        case ACT_GOSUB:
            return a->target;
        case ACT_HANGUP:
            *end = "hangup";
            return NULL;
        case ACT_TRANSFER:
            *end = "transfer";
            return NULL;
        case ACT_BACK:
            *end = "back";
            return NULL;
        case ACT_TOP:
            *end = "top";
            return NULL;
        case ACT_RETURN: case ACT_REPEAT:
            *end = "";
            return NULL;
        case ACT_IF:
            /* which way it goes depends on the call: the path stops here,
             * unless it is the clock (see follow) */
            *end = "if";
            *iff = a;
            return NULL;
        case ACT_FETCH:
            *end = "fetch";
            *iff = a;
            return NULL;
        default:
            break;
        }
    }
    *end = "";
    return NULL;
}

/* A value the collection accepts: the shortest of a few digit patterns
 * that fits min, max and the pattern. */
static int valid_value(const menu_collect *c, char *out, size_t size)
{
    static const char *const seeds[] = {"1234567890", "4111111111",
                                        "5555555555", "9876543210"};
    int s, len;

    for (len = c->min; len <= c->max && (size_t)len + 2 < size; len++)
        for (s = 0; s < 4; s++) {
            int i;
            for (i = 0; i < len; i++)
                out[i] = seeds[s][i % 10];
            out[len] = '\0';
            if (!c->regex || regexec(c->regex, out, 0, NULL, 0) == 0) {
                if (c->terminators[0] && len < c->max) {
                    out[len] = c->terminators[0];
                    out[len + 1] = '\0';
                }
                return 1;
            }
        }
    return 0;
}

/* dir/../menu: how a script in dir names the menu file. */
static void relative(const char *dir, const char *file, char *out,
                     size_t size)
{
    char d[PATH_MAX], f[PATH_MAX];
    const char *p, *q;
    size_t len = 0;

    if (!realpath(dir, d) || !realpath(file, f)) {
        snprintf(out, size, "%s", file);
        return;
    }
    p = d;
    q = f;
    /* the common leading components */
    {
        const char *last_d = d, *last_f = f;
        while (*p && *p == *q) {
            if (*p == '/') {
                last_d = p;
                last_f = q;
            }
            p++;
            q++;
        }
        if (*p == '\0' && *q == '/') {
            last_d = p;
            last_f = q;
        }
        p = last_d;
        q = last_f + 1;
    }
    out[0] = '\0';
    for (; *p; p++)
        if (*p == '/')
            len += (size_t)snprintf(out + len, size - len, "../");
    snprintf(out + len, size - len, "%s", q);
}

/* then: a menu the call goes on to after the path (NULL: none known);
 * end: how the call ends there ("hangup", "transfer"; "" when it goes on,
 * and the path is then only the start of what happens). */
static int write_script(gen *G, const menu_node *then, const char *end,
                        int silent)
{
    char name[PATH_MAX], last[64];
    FILE *f;
    int i;

    snprintf(last, sizeof last, "%s",
             silent ? "silent" : G->path[G->depth - 1].menu->name);
    snprintf(name, sizeof name, "%s/%s-%02d-%s.call", G->dir, G->base,
             G->written + 1, last);
    if (!G->overwrite && access(name, F_OK) == 0) {
        ivr_error_set(G->err, IVR_EOUTPUT, "%s: exists; not replacing it "
                      "(--force replaces it)", name);
        return -1;
    }
    if (!(f = fopen(name, "w"))) {
        ivr_error_set(G->err, IVR_EOUTPUT, "%s:", name);
        return -1;
    }
    fprintf(f, "# %s: a starter script made by ivr-sim --gen-tests; make "
            "its\n# expectations say what the menu must do.\n", name +
            strlen(G->dir) + 1);
    fprintf(f, "menu %s\ncaller +15550100000\ncalled +18005550100\n"
            "limit 10m\n", G->menu_ref);
    /* a menu that depends on the time runs each script at a set time */
    if (menu_uses_time(G->m))
        fprintf(f, "at \"%s\"\n", G->at[0] ? G->at : "2027-01-04 12:00");
    for (i = 0; i < G->nfetch + G->nall; i++) {
        const menu_fetch *x = i < G->nfetch ? G->fetch[i]
                                            : G->all_fetches[i - G->nfetch];
        char *line = menu_fetch_fixture(x, i < G->nfetch ? G->fetch_ok[i] : 1);
        int j, seen = 0;
        /* the path's own outcome first: the first line that matches wins */
        for (j = 0; j < i; j++)
            seen |= (j < G->nfetch ? G->fetch[j]
                                   : G->all_fetches[j - G->nfetch]) == x;
        if (line && !seen)
            fprintf(f, "%s\n", line);
        free(line);
    }
    fputc('\n', f);
    if (silent) {
        fprintf(f, "# the caller says and presses nothing\n");
        /* a start menu that moves on at once waits for nobody */
        if (menu_waits(G->m, G->m->start))
            fprintf(f, "expect noinput >= 1\n");
        fprintf(f, "expect menu %s\n", G->m->start->name);
    } else {
        for (i = 0; i < G->depth; i++) {
            /* a moment into the menu; after a collected value, past the
             * inter-digit time in which a terminator is still the value's */
            double after = 1.0;
            if (i > 0 && G->path[i - 1].menu->collect)
                after += G->path[i - 1].menu->settings.interdigit_ms / 1000.0;
            if (G->path[i].input[0])
                fprintf(f, "when menu %s after %gs %s \"%s\"\n",
                        G->path[i].menu->name, after,
                        G->path[i].speech ? "say" : "press",
                        G->path[i].input);
        }
        fprintf(f, "\nexpect path ");
        for (i = 0; i < G->depth; i++)
            fprintf(f, "%s%s", i ? ", " : "", G->path[i].menu->name);
        if (then)
            fprintf(f, ", %s", then->name);
        fprintf(f, "%s\n", end && (!strcmp(end, "hangup") ||
                                   !strcmp(end, "transfer")) ? "" : ", ...");
        if (end && (!strcmp(end, "hangup") || !strcmp(end, "transfer")))
            fprintf(f, "expect end %s\n", end);
        fprintf(f, "expect nomatch 0\n");
    }
    if (fclose(f) != 0) {
        ivr_error_set(G->err, IVR_EOUTPUT, "%s:", name);
        return -1;
    }
    G->written++;
    return 0;
}

static int on_path(const gen *G, const menu_node *n)
{
    int i;

    for (i = 0; i < G->depth; i++)
        if (G->path[i].menu == n)
            return 1;
    return 0;
}

static int walk(gen *G, const menu_node *n);
static int follow(gen *G, const menu_action *a);

static int is_clock_cond(const menu_action *a)
{
    return a && (a->cond.op == COND_OPEN || a->cond.op == COND_CLOSED ||
                 a->cond.op == COND_HOLIDAY);
}

static void next_day(int *y, int *m, int *d)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    int leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;

    if (++*d > days[*m - 1] + (*m == 2 && leap)) {
        *d = 1;
        if (++*m > 12) {
            *m = 1;
            ++*y;
        }
    }
}

/* A time at which each of the path's clock ifs goes its way, and still
 * does an hour on (a call takes a while to reach an if), into G->at; 0
 * when there is none. */
static int find_time(gen *G)
{
    calendar_time t;
    int day, slot, y = REF_YEAR, mo = REF_MONTH, d = REF_DAY;

    for (day = 0; day < SEARCH_DAYS; day++, next_day(&y, &mo, &d))
        for (slot = 0; slot + 2 < 48; slot++) {
            int k, ok = 1;
            t.year = y;
            t.month = mo;
            t.day = d;
            t.weekday = calendar_weekday(y, mo, d);
            t.second = 0;
            for (k = 0; k < 3 * G->nclock && ok; k++) {
                t.minute = slot * 30 + k % 3 * 30 - (k % 3 == 2);
                ok = menu_cond_at(G->m, G->clock_if[k / 3], &t) ==
                     G->clock_want[k / 3];
            }
            if (ok) {
                snprintf(G->at, sizeof G->at, "%04d-%02d-%02d %02d:%02d", y,
                         mo, d, slot / 2, slot % 2 * 30);
                return 1;
            }
        }
    return 0;
}

/* An `if` on the clock: both ways, each at a time that takes it (and the
 * path's earlier clock ifs their ways). */
static int follow_clock(gen *G, const menu_action *iff)
{
    char before[sizeof G->at];
    int want, rc = 0;

    if (G->nclock >= MAX_DEPTH)
        return 0;
    memcpy(before, G->at, sizeof before);
    for (want = 1; want >= 0 && !rc; want--) {
        G->clock_if[G->nclock] = &iff->cond;
        G->clock_want[G->nclock++] = want;
        if (find_time(G))
            rc = follow(G, want ? iff->then_act : iff->else_act);
        G->nclock--;
        memcpy(G->at, before, sizeof before);
    }
    return rc;
}

/* The value of a template the path knows: a literal, or one {variable} it
 * set (or the file's `set` gives); NULL when it does not know. */
static const char *known_value(const gen *G, const char *t, char *buf,
                               size_t size)
{
    size_t n = strlen(t);
    int i;

    if (!strchr(t, '{'))
        return t;
    if (t[0] != '{' || t[n - 1] != '}' || strchr(t + 1, '{') ||
        n - 2 >= size)
        return NULL;
    memcpy(buf, t + 1, n - 2);
    buf[n - 2] = '\0';
    for (i = G->nvars - 1; i >= 0; i--)
        if (!strcmp(G->var_names[i], buf))
            return G->var_values[i];
    for (i = 0; i < G->m->nvars; i++)
        if (!strcmp(G->m->var_names[i], buf) &&
            !strchr(G->m->var_values[i], '{'))
            return G->m->var_values[i];
    return NULL;
}

/* 1 or 0 when an `if` on values the path knows goes that way; -1 when it
 * depends on the call. Numbers compare as numbers, as in a call. */
static int known_cond(const gen *G, const menu_cond *c)
{
    char lb[64], rb[64], *le, *re;
    const char *l, *r;
    double a, b;
    int cmp;

    if (c->op == COND_OPEN || c->op == COND_CLOSED || c->op == COND_HOLIDAY ||
        !(l = known_value(G, c->left, lb, sizeof lb)))
        return -1;
    if (c->op == COND_MATCHES)
        return regexec(c->regex, l, 0, NULL, 0) == 0;
    if (!(r = known_value(G, c->right, rb, sizeof rb)))
        return -1;
    a = strtod(l, &le);
    b = strtod(r, &re);
    cmp = *l && *r && !*le && !*re ? (a > b) - (a < b) : strcmp(l, r);
    switch (c->op) {
    case COND_EQ: return cmp == 0;
    case COND_NE: return cmp != 0;
    case COND_LT: return cmp < 0;
    case COND_GT: return cmp > 0;
    case COND_LE: return cmp <= 0;
    case COND_GE: return cmp >= 0;
    default: return -1;
    }
}

/* A fetch: the backend answers (the line goes on; with rest NULL, the
 * path's walk goes on in the menu), and it fails (the menu's `on
 * error`). */
static int follow_fetch(gen *G, const menu_action *fetch, int *stays)
{
    const menu_entry *x = menu_event_entry(G->m, G->path[G->depth - 1].menu,
                                           ENTRY_ERROR, 1);
    int rc = 0;

    if (G->nfetch >= MAX_DEPTH)
        return 0;
    if (x) {
        G->fetch[G->nfetch] = fetch->fetch;
        G->fetch_ok[G->nfetch++] = 0;
        rc = follow(G, x->action);
        G->nfetch--;
    }
    G->fetch[G->nfetch] = fetch->fetch;
    G->fetch_ok[G->nfetch++] = 1;
    if (stays) {
        *stays = 1;   /* the caller's walk pops it */
        return rc;
    }
    if (!rc)
        rc = follow(G, fetch->next);
    G->nfetch--;
    return rc;
}

/* The caller chose something in the menu at the top of the path. */
static int follow(gen *G, const menu_action *a)
{
    const char *end;
    const menu_action *iff;
    const menu_node *next = leads_to(a, &end, &iff);

    if (G->written >= MAX_SCRIPTS)
        return 0;
    if (iff && iff->kind == ACT_FETCH)
        return follow_fetch(G, iff, NULL);
    if (is_clock_cond(iff))
        return follow_clock(G, iff);
    if (iff && iff->kind == ACT_IF) {
        int holds = known_cond(G, &iff->cond);
        if (holds >= 0)
            return follow(G, holds ? iff->then_act : iff->else_act);
    }
    if (!next && end && !strcmp(end, "back"))
        next = G->depth >= 2 ? G->path[G->depth - 2].menu : G->m->start;
    else if (!next && end && !strcmp(end, "top"))
        next = G->m->start;
    else if (next && !on_path(G, next) && G->depth < MAX_DEPTH)
        return walk(G, next);
    return write_script(G, next, next ? "" : end, 0);
}

static int walk(gen *G, const menu_node *n)
{
    const menu_entry *in[256];
    step *st = &G->path[G->depth++];
    int k, i, rc = 0, choices = 0, answered = 0;

    memset(st, 0, sizeof *st);
    st->menu = n;
    /* a menu that moves on by itself */
    for (i = 0; i < n->nentries && !rc; i++)
        if (n->entries[i].kind == ENTRY_ENTER ||
            n->entries[i].kind == ENTRY_PLAYED) {
            const char *end;
            const menu_action *iff;
            const menu_node *to = leads_to(n->entries[i].action, &end, &iff);
            /* an if on the clock that stays either way ("if holiday say
             * ...") leaves the caller in the menu */
            if (is_clock_cond(iff) && !menu_chain_leaves(iff->then_act) &&
                !menu_chain_leaves(iff->else_act))
                continue;
            /* a fetch that stays when answered ("on enter fetch ... set
             * balance ..."): the failing way is a path of its own, the
             * answered one goes on with the menu's choices */
            if (!to && iff && iff->kind == ACT_FETCH &&
                !menu_chain_leaves(iff->next)) {
                int stays = 0;
                rc = follow_fetch(G, iff, &stays);
                answered += stays;
                continue;
            }
            if (to || (end && *end)) {
                rc = follow(G, n->entries[i].action);
                G->depth--;
                G->nfetch -= answered;
                return rc;
            }
        }
    k = menu_inputs(G->m, n, in, 256);
    for (i = 0; i < k && !rc; i++) {
        st->speech = in[i]->nkeys == 0;
        snprintf(st->input, sizeof st->input, "%s",
                 in[i]->nkeys ? in[i]->keys[0] : in[i]->phrases[0]);
        rc = follow(G, in[i]->action);
        choices++;
    }
    if (n->collect && !rc) {
        for (i = 0; i < n->nentries; i++)
            if (n->entries[i].kind == ENTRY_COLLECTED &&
                valid_value(n->collect, st->input, sizeof st->input) &&
                G->nvars + 2 <= MAX_DEPTH) {
                /* the value and how it came, for the ifs that follow */
                char value[72];
                snprintf(value, sizeof value, "%.*s",
                         (int)strspn(st->input, n->collect->keys),
                         st->input);
                st->speech = 0;
                G->var_names[G->nvars] = n->collect->var;
                G->var_values[G->nvars++] = value;
                G->var_names[G->nvars] = "collected_by";
                G->var_values[G->nvars++] = "keys";
                rc = follow(G, n->entries[i].action);
                G->nvars -= 2;
                choices++;
            }
    }
    if (!choices && !rc) {
        st->input[0] = '\0';
        rc = write_script(G, NULL, "", 0);
    }
    G->depth--;
    G->nfetch -= answered;
    return rc;
}

static int note_fetch(const menu_file *m, menu_node *n, menu_action *a,
                      void *user)
{
    gen *G = user;

    (void)m;
    (void)n;
    if (a->kind == ACT_FETCH && G->nall < MAX_DEPTH)
        G->all_fetches[G->nall++] = a->fetch;
    return 0;
}

int menu_gen_tests(const menu_file *m, const char *menu_path, const char *dir,
                   int overwrite, ivr_error *err)
{
    gen G;
    struct stat sb;
    char ref[PATH_MAX], base[128];
    const char *slash = strrchr(menu_path, '/');
    char *dot;

    /* a new suite's folder is made, as mkdir -p would */
    if (stat(dir, &sb) != 0 && fs_make_dirs(dir) != 0) {
        ivr_error_set(err, IVR_EOUTPUT, "%s: cannot create: %s", dir,
                      strerror(errno));
        return -1;
    }
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        ivr_error_set(err, IVR_EOUTPUT, "%s: not a directory", dir);
        return -1;
    }
    snprintf(base, sizeof base, "%s", slash ? slash + 1 : menu_path);
    if ((dot = strrchr(base, '.')))
        *dot = '\0';
    relative(dir, menu_path, ref, sizeof ref);
    memset(&G, 0, sizeof G);
    G.m = m;
    G.dir = dir;
    G.menu_ref = ref;
    G.base = base;
    G.overwrite = overwrite;
    G.err = err;
    menu_walk_actions(m, note_fetch, &G);
    if (walk(&G, m->start) != 0)
        return -1;
    G.depth = 0;
    if (write_script(&G, NULL, "", 1) != 0)
        return -1;
    return G.written;
}
