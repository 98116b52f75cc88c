/*
 * test_menu.c: menu files: what parses into what, every class of error
 * with its exact text, the lint's findings, and the sample menus.
 */
#include "menu.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/ivr-test-menu.XXXXXX";
static char path[512];

/* Writes text to dir/name and returns the path. */
static const char *put(const char *name, const char *text)
{
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

/* Loads text as x.ivr; returns the error message ("" when it loaded). */
static const char *error_of(const char *text)
{
    static ivr_error err;
    menu_file *m;

    ivr_error_clear(&err);
    m = menu_load(put("x.ivr", text), &err);
    if (m) {
        menu_free(m);
        return "";
    }
    /* messages name files by their paths: drop the temporary dir */
    {
        static char out[IVR_ERROR_MAX];
        char prefix[64];
        const char *p = err.message;
        size_t o = 0, n;
        snprintf(prefix, sizeof prefix, "%s/", dir);
        n = strlen(prefix);
        while (*p && o + 1 < sizeof out) {
            if (!strncmp(p, prefix, n)) {
                p += n;
                continue;
            }
            out[o++] = *p++;
        }
        out[o] = '\0';
        return out;
    }
}

static void expect_error(const char *text, const char *want, const char *what)
{
    const char *got = error_of(text);

    if (!ok(!strcmp(got, want), "%s", what)) {
        diag("want: %s", want);
        diag("got:  %s", got);
    }
}

static void test_structure(void)
{
    ivr_error err;
    menu_file *m;
    menu_node *n;
    const menu_entry *in[16];

    m = menu_load(put("s.ivr",
        "# a comment\n"
        "start main\n"
        "timeout 4s\n"
        "set shop \"Corner\"\n"
        "global\n"
        "  on 0, \"operator\"  transfer \"op\"\n"
        "menu other\n"
        "  say \"x\"\n"
        "  on 1 back\n"
        "menu main\n"
        "  interdigit 1500ms\n"
        "  tries noinput 2 nomatch 4\n"
        "  bargein dtmf\n"
        "  greeting \"Hello {shop}\", silence 250ms\n"
        "  prompt \"Press 1\" bargein off\n"
        "  prompt 2 \"Short\"\n"
        "  on 1, 12, \"sales\", \"buy\"  goto other\n"
        "  on noinput 2  say \"Still there?\" then repeat\n"
        "  on #  if {shop} == \"Corner\" goto other else hangup\n"), &err);
    if (!ok(m != NULL, "a menu with most constructs loads")) {
        diag("%s", err.message);
        return;
    }
    n = menu_find(m, "main");
    ok(m->start == n, "start names the start menu");
    ok(n->settings.timeout_ms == 4000 && n->settings.interdigit_ms == 1500,
       "timeout from the file, interdigit from the menu (%g, %g)",
       n->settings.timeout_ms, n->settings.interdigit_ms);
    ok(n->settings.tries_noinput == 2 && n->settings.tries_nomatch == 4,
       "tries noinput and nomatch apart");
    ok(n->settings.bargein == BARGEIN_DTMF, "barge-in mode of the menu");
    ok(n->nprompts == 3 && n->prompts[0].kind == PROMPT_GREETING &&
       n->prompts[0].nitems == 2 && n->prompts[0].items[1].kind ==
       ITEM_SILENCE && n->prompts[0].items[1].ms == 250,
       "a greeting of two items, the second a silence of 250 ms");
    ok(n->prompts[1].bargein == BARGEIN_NONE && n->prompts[2].attempt == 2,
       "a prompt's own barge-in, and a prompt for the second attempt");
    ok(n->entries[0].nkeys == 2 && !strcmp(n->entries[0].keys[1], "12") &&
       n->entries[0].nphrases == 2 &&
       !strcmp(n->entries[0].phrases[1], "buy"),
       "keys and phrases in one entry");
    ok(n->entries[0].action->kind == ACT_GOTO &&
       n->entries[0].action->target == menu_find(m, "other"),
       "goto resolved to a menu defined before");
    ok(n->entries[1].kind == ENTRY_NOINPUT && n->entries[1].count == 2 &&
       n->entries[1].action->next->kind == ACT_REPEAT,
       "on noinput 2, with actions chained by then");
    ok(n->entries[2].action->kind == ACT_IF &&
       n->entries[2].action->then_act->kind == ACT_GOTO &&
       n->entries[2].action->else_act->kind == ACT_HANGUP,
       "if ... else ...");
    ok(n->choices && !strcmp(n->choices, "sales,buy|operator"),
       "the recogniser's choices, global ones included (%s)",
       n->choices ? n->choices : "(none)");
    ok(menu_inputs(m, n, in, 16) == 3 && in[2] == &m->globals[0],
       "a global entry is one of every menu's inputs");
    ok(m->nvars == 1 && !strcmp(m->var_values[0], "Corner"),
       "top-level set");
    menu_free(m);
}

static void test_errors(void)
{
    expect_error("mneu main\n",
                 "x.ivr:1:1: unknown word 'mneu' (did you mean 'menu'?)",
                 "a misspelt keyword: the nearest word suggested");
    expect_error("menu main\n  say \"hello\n",
                 "x.ivr:2:7: this string has no closing quote",
                 "an unterminated string, at its quote");
    expect_error("menu main\n  on 1 goto mian\n",
                 "x.ivr:2:13: no menu named 'mian' (did you mean 'main'?)",
                 "a goto to a missing menu, with the nearest name");
    expect_error("menu main\n  on 1 gotto main\n",
                 "x.ivr:2:8: unknown action 'gotto' (did you mean 'goto'?)",
                 "a misspelt action");
    expect_error("timeout 5\nmenu main\n",
                 "x.ivr:1:9: '5' needs a unit: 5s or 5ms",
                 "a duration without a unit");
    expect_error("menu main\n  on 1 hangup\n  on 2, 1 hangup\n",
                 "x.ivr:3:3: key '1' is already handled in menu 'main' "
                 "(line 2)", "a key two entries claim");
    expect_error("menu main\n  on \"sales\" hangup\n  on \"Sales!\" hangup\n",
                 "x.ivr:3:3: phrase \"sales\" is already handled in menu "
                 "'main' (line 2)", "a phrase two entries claim");
    {
        char sub[600];
        snprintf(sub, sizeof sub, "%s/folder", dir);
        if (mkdir(sub, 0700) != 0)
            diag("could not make %s", sub);
    }
    expect_error("menu main\n  play folder\n",
                 "x.ivr:2:8: audio file 'folder' cannot be read (Is a "
                 "directory)", "a folder is no audio file (make fuzz)");
    expect_error("menu main\n  play nope.wav\n",
                 "x.ivr:2:8: audio file 'nope.wav' cannot be read (No such "
                 "file or directory)", "a missing audio file");
    {
        char file[600];
        FILE *f;
        snprintf(file, sizeof file, "%s/notes.wav", dir);
        if ((f = fopen(file, "w"))) {
            fputs("not a sound\n", f);
            fclose(f);
        }
        snprintf(file, sizeof file, "%s/empty.wav", dir);
        if ((f = fopen(file, "w")))
            fclose(f);
        snprintf(file, sizeof file, "%s/prompt.ul", dir);
        if ((f = fopen(file, "w"))) {
            fputs("\x7f\xff\x7f\xff", f);
            fclose(f);
        }
    }
    expect_error("menu main\n  play notes.wav\n",
                 "x.ivr:2:8: audio file 'notes.wav' cannot be played (not a "
                 "sound file that can be read (Format not recognised.))",
                 "a text file named .wav is found when the menu loads, not "
                 "when it plays");
    expect_error("menu main\n  play empty.wav\n",
                 "x.ivr:2:8: audio file 'empty.wav' cannot be played (empty "
                 "file)", "an empty audio file is the menu's mistake");
    expect_error("menu main\n  play prompt.ul\n",
                 "x.ivr:2:8: audio file 'prompt.ul' cannot be played "
                 "(headerless audio: its sample rate is not known (use a WAV "
                 "file))", "a headerless file has no rate a menu could give");
    expect_error("  say \"x\"\n",
                 "x.ivr:1:3: this line is indented but no 'menu' or "
                 "'global' block is open", "an indented line outside a menu");
    expect_error("prompt \"x\"\nmenu main\n",
                 "x.ivr:1:1: 'prompt' belongs inside a menu (indent it "
                 "under a 'menu NAME' line)", "a menu line at the top");
    expect_error("menu main\n  during 9 hangup\n",
                 "x.ivr:2:3: 'during' must be indented under the say, play "
                 "or prompt line it belongs to",
                 "during without a message above it");
    expect_error("menu main\n  say \"x\"\n    during 9 say \"y\"\n",
                 "x.ivr:3:14: a key pressed during a message cannot 'say' "
                 "(the message keeps playing); use 'on' for that",
                 "during cannot speak");
    expect_error("menu main\n  on collected hangup\n",
                 "x.ivr:2:3: 'on collected' needs a 'collect' line in menu "
                 "'main'", "on collected without collect");
    expect_error("menu main\n  collect acct\n",
                 "x.ivr:2:3: menu 'main' collects into 'acct' but has no 'on "
                 "collected' line to say what comes next",
                 "collect without on collected");
    expect_error("menu main\n  collect acct min 9 max 4\n",
                 "x.ivr:2:3: collect min 9 is more than max 4",
                 "collect min above max");
    expect_error("menu main\n  collect zip 5 digits\n",
                 "x.ivr:2:15: unknown collect option '5' (one of: min, max, "
                 "terminator, pattern, keys, speech)",
                 "a word like no option: the options, all of them");
    expect_error("menu main\n  global 0\n",
                 "x.ivr:2:10: expected 'off' after 'global' in a menu "
                 "('global off 0' turns the global key 0 off here)",
                 "global in a menu without off");
    expect_error("menu main\n  collect acct pattern \"^([0-9]{99}){99}$\"\n",
                 "x.ivr:2:24: regular expression too large (at most 256 "
                 "characters, and repetitions such as {8} and + that "
                 "together copy it at most 4096 times)", "a pattern that "
                 "would not compile in time");
    expect_error("menu main\n  collect acct keys none\n",
                 "x.ivr:2:16: a value needs at least one key after 'keys'",
                 "collect keys none");
    expect_error("menu main\n  collect a pattern \"[0-\"\n",
                 "x.ivr:2:21: bad regular expression: Unmatched [, [^, [:, [., or [=",
                 "a bad pattern");
    expect_error("menu main\n  say \"Hi {name\"\n",
                 "x.ivr:2:11: '{' without a closing '}'",
                 "an unclosed template brace");
    expect_error("menu main\n  say \"{acct:digts}\"\n",
                 "x.ivr:2:14: unknown format 'digts' (did you mean "
                 "'digits'?) (known: digits)", "an unknown template format");
    expect_error("start mian\nmenu main\n",
                 "x.ivr:1:7: no menu named 'mian' (did you mean 'main'?)",
                 "a missing start menu");
    expect_error("# nothing\n",
                 "x.ivr:1:1: no menu in this file (a menu starts with a "
                 "line 'menu NAME')", "a file without menus");
    expect_error("", "x.ivr:1:1: no menu in this file (a menu starts with a "
                 "line 'menu NAME')", "an empty file");
    expect_error("menu main\nmenu main\n",
                 "x.ivr:2:6: menu 'main' is already defined at x.ivr:1",
                 "a menu defined twice");
    expect_error("menu main\n  on 1 say \"x\" hangup\n",
                 "x.ivr:2:16: expected 'then' before 'hangup'",
                 "two actions without then");
    expect_error("voice slr\nmenu main\n",
                 "x.ivr:1:7: unknown voice 'slr' (did you mean 'slt'?)",
                 "an unknown voice");
    expect_error("menu main\n  tries 0\n",
                 "x.ivr:2:9: tries 0 is outside 1..99", "tries out of range");
    expect_error("menu main\n  on 1\n",
                 "x.ivr:2:7: expected an action (goto, say, hangup, ...)",
                 "an entry without an action");
    expect_error("menu main\n  on 1 \"sales\" goto main\n",
                 "x.ivr:2:8: expected an action (goto, say, hangup, ...), "
                 "not \"sales\" (a comma goes between the keys and phrases "
                 "of an entry: 1, \"sales\")",
                 "a phrase after a key, its comma left out");
    expect_error("menu main\n  on 2, \"hours\" \"opening hours\" hangup\n",
                 "x.ivr:2:17: expected an action (goto, say, hangup, ...), "
                 "not \"opening hours\" (a comma goes between the keys and "
                 "phrases of an entry: \"hours\", \"opening hours\")",
                 "a synonym after a phrase, its comma left out");
    expect_error("menu main\n  on noinput 2 \"Are you there?\"\n",
                 "x.ivr:2:16: expected an action (goto, say, hangup, ...), "
                 "not \"Are you there?\" (to speak it: say \"Are you "
                 "there?\")",
                 "text where an action goes: say it (not a comma: 2 counts "
                 "no-inputs)");
    expect_error("menu main\n  on frobnicate hangup\n",
                 "x.ivr:2:6: expected a key (0-9 * # A-D), a \"phrase\" or "
                 "one of noinput, nomatch, exhausted, enter, played, "
                 "collected, error; not 'frobnicate'", "an entry on nothing known");
    expect_error("menu main\n  on nomatc hangup\n",
                 "x.ivr:2:6: expected a key (0-9 * # A-D), a \"phrase\" or "
                 "one of noinput, nomatch, exhausted, enter, played, "
                 "collected, error; not 'nomatc' (did you mean 'nomatch'?)",
                 "a misspelt entry kind");
    expect_error("menu Main\n",
                 "x.ivr:1:6: 'Main' is not a valid menu name (lower-case "
                 "letters, digits and _)", "a bad menu name");
    expect_error("menu main\n  say \"a\\q\"\n",
                 "x.ivr:2:9: unknown escape '\\q' (only \\\" and \\\\ exist)",
                 "a bad escape");
    expect_error("menu main\n  on 1 if {a} =~ \"x\" hangup\n",
                 "x.ivr:2:15: unknown comparison '=~' (did you mean '=='?)",
                 "an unknown comparison");
    expect_error("global\n  on played hangup\nmenu main\n",
                 "x.ivr:2:6: 'on played' belongs in a menu; a global block "
                 "holds keys, phrases, noinput, nomatch, exhausted and error",
                 "played in the global block");
}

/* A few errors contain the temporary directory: compare their start. */
static void test_error_prefixes(void)
{
    const char *got;

    put("loop.ivr", "include \"x.ivr\"\n");
    got = error_of("include \"loop.ivr\"\nmenu main\n");
    ok(!strcmp(got, "loop.ivr:1:9: 'x.ivr' includes itself (through "
                    "loop.ivr)"), "an include cycle, at the include that "
       "closes it (%s)", got);
    got = error_of("include \"gone.ivr\"\nmenu main\n");
    ok(!strcmp(got, "x.ivr:1:9: cannot include 'gone.ivr': No such file or "
                    "directory"), "a missing include says why (%s)", got);
    put("inc.ivr", "menu shared\n  on 1 mneu\n");
    got = error_of("include \"inc.ivr\"\nmenu main\n");
    ok(!strcmp(got, "inc.ivr:2:8: unknown action 'mneu' (did you mean "
                    "'menu'?)") || !strcmp(got, "inc.ivr:2:8: unknown action "
                                                "'mneu'"),
       "an error inside an included file names that file (%s)", got);
    ok(!strcmp(error_of("\xEF\xBB\xBFmenu main\r\n  on 1 hangup\r\n"), ""),
       "a byte-order mark and CRLF line ends are accepted");
}

static int lint_of(const char *text, char *out, size_t size)
{
    ivr_error err;
    menu_file *m = menu_load(put("l.ivr", text), &err);
    FILE *f;
    int n;

    out[0] = '\0';
    if (!m) {
        snprintf(out, size, "%s", err.message);
        return -1;
    }
    f = fmemopen(out, size, "w");
    n = menu_lint(m, f);
    fclose(f);
    menu_free(m);
    return n;
}

static void test_lint(void)
{
    char out[4096];
    int n;

    n = lint_of("menu main\n  on 1 goto a\nmenu a\n  on 1 goto main\n"
                "  on exhausted goto main\nmenu lost\n  on 1 hangup\n",
                out, sizeof out);
    ok(n >= 1 && strstr(out, "l.ivr:6:6: warning: menu 'lost' is never "
                        "reached from the start menu 'main'"),
       "an unreachable menu");
    ok(strstr(out, "l.ivr:3:6: warning: menu 'a' has no way out") == NULL,
       "a menu whose way out runs through another is fine");
    n = lint_of("menu main\n  on 1 goto a\n  on exhausted goto a\n"
                "menu a\n  on 1 goto main\n  on exhausted goto main\n",
                out, sizeof out);
    ok(n == 2 && strstr(out, "l.ivr:1:6: warning: menu 'main' has no way "
                        "out: no path from it reaches a hangup or a "
                        "transfer"),
       "two menus that only send the caller to each other (%d)", n);
    n = lint_of("menu main\n  on 1 hangup\n  on 12 hangup\n", out, sizeof out);
    ok(n == 1 && strstr(out, "l.ivr:2:3: warning: in menu 'main', key '1' is "
                        "the start of key '12': a caller who means '1' waits "
                        "out the inter-digit timeout (3s)"),
       "a key that is the prefix of another");
    n = lint_of("menu main\n  say \"Press 4 for news, press star to go "
                "back.\"\n  on * hangup\n", out, sizeof out);
    ok(n == 1 && strstr(out, "warning: the prompt says \"Press 4 for news\" "
                        "but menu 'main' has no entry for key 4"),
       "a prompt promising a key nobody handles");
    n = lint_of("menu main\n  say \"Hello {nmae}\"\n  on 1 hangup\n", out,
                sizeof out);
    ok(n == 1 && strstr(out, "warning: variable 'nmae' is never set in the "
                        "menu (give it with --var nmae=VALUE)"),
       "a variable nothing sets");
    n = lint_of("global\n  on 0 transfer \"operator\"\n"
                "menu main\n  global off 0\n  collect acct\n"
                "  on collected hangup\n", out, sizeof out);
    ok(n == 0, "a global key turned off in a collecting menu no longer "
       "clashes with its values (%d: %s)", n, out);
    n = lint_of("menu main\n  say \"Press 9 to get it by text.\"\n"
                "  on 9 sms {caller} \"Hello\" then hangup\n", out,
                sizeof out);
    ok(n == 1 && strstr(out, "l.ivr:3:8: warning: in menu 'main', the SMS "
                        "goes to {caller}, which is empty when the number is "
                        "withheld or unknown: test it first"),
       "an SMS to a caller who may have withheld the number (%s)", out);
    n = lint_of("menu main\n  on enter if {caller} == \"\" hangup\n"
                "  on 9 sms {caller} \"Hello\" then hangup\n"
                "  on 8 if {caller} != \"\" sms {caller} \"Hi\"\n", out,
                sizeof out);
    ok(n == 0, "an SMS after the menu or the line tested the number (%s)",
       out);
    n = lint_of("global\n  on 0 transfer \"operator\"\n"
                "menu main\n  global off 9\n  on 1 hangup\n", out,
                sizeof out);
    ok(n == 1 && strstr(out, "l.ivr:4:3: warning: in menu 'main', 'global "
                        "off' names '9', which no global entry takes"),
       "'global off' naming what no global entry takes");
    n = lint_of("menu main\n  collect acct\n  on 5 hangup\n"
                "  on collected hangup\n", out, sizeof out);
    ok(n == 1 && strstr(out, "key '5' is taken as the key, so no value "
                        "collected into 'acct' can start with it"),
       "a key that clashes with a collected value");
    n = lint_of("menu main\n  collect acct pattern \"^[1-9]\"\n"
                "  on 0 hangup\n  on collected hangup\n", out, sizeof out);
    ok(n == 0, "no clash when the pattern rules that key out (%s)", out);
    n = lint_of("global\n  on 0 transfer \"desk\"\n"
                "menu main\n  collect dob min 8 max 8 pattern "
                "\"^(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])(19|20)[0-9]{2}$\"\n"
                "  on collected hangup\n", out, sizeof out);
    ok(n == 1 && strstr(out, "l.ivr:4:3: warning: in menu 'main', the "
                        "global key '0' (line 2) is taken as the key, so no "
                        "value collected into 'dob' can start with it: "
                        "'global off 0' in the menu lets it"),
       "a global key that takes the first digit of a date of birth (MMDDYYYY, "
       "whose values counting runs never match) is found, at the menu's "
       "collect");
    n = lint_of("menu main\n  say \"Leave a message. Press pound when you "
                "are done.\"\n  on played record msg then hangup\n", out,
                sizeof out);
    ok(n == 0, "a prompt's 'press pound' before a recording that # ends is "
       "kept (%s)", out);
    n = lint_of("menu main\n  say \"Leave a message. Press pound when you "
                "are done.\"\n  on played record msg terminator * then "
                "hangup\n", out, sizeof out);
    ok(n == 1 && strstr(out, "has no entry for key #"), "... but not when "
       "the recording ends on * only");
}

static void test_samples(void)
{
    static const char *const menus[] = {
        "menus/tunes.ivr", "menus/coupon.ivr", "menus/notify.ivr",
        "menus/bank.ivr", NULL
    };
    int i;

    for (i = 0; menus[i]; i++) {
        ivr_error err;
        menu_file *m = menu_load(menus[i], &err);
        char out[2048] = "";
        FILE *f;
        int n = -1;
        if (m) {
            f = fmemopen(out, sizeof out, "w");
            n = menu_lint(m, f);
            fclose(f);
        }
        if (!ok(m && n == 0, "%s loads and lints clean", menus[i]))
            diag("%s%s", m ? "" : err.message, out);
        menu_free(m);
    }
}

static void test_suggest(void)
{
    static const char *const words[] = {"goto", "gosub", "hangup", NULL};

    ok(menu_suggest("hnagup", words) &&
       !strcmp(menu_suggest("hnagup", words), "hangup"),
       "a swap of two letters is one edit");
    ok(menu_suggest("xyz", words) == NULL, "nothing near: no suggestion");
    {
        char *p = menu_normalise_phrase("  Lost   Card! ");
        ok(!strcmp(p, "lost card"), "phrases compare lower-case, without "
           "punctuation (%s)", p);
        free(p);
    }
}

/* The clock: local times in a zone, spans of hours, dates, and the
 * menu lines about them. */
static void test_time(void)
{
    char why[CALENDAR_WHY_MAX], text[64];
    calendar_span sp;
    calendar_time t;
    time_t when;
    int y, mo, d;
    menu_file *m;
    ivr_error err;

    ok(calendar_parse_local("2026-12-24 18:30", "America/New_York", &when,
                            why) == 0 &&
       when == 1798155000, "18:30 in New York on Christmas Eve is 23:30 UTC");
    calendar_local(when, "Europe/Paris", &t);
    calendar_format(&t, text, sizeof text);
    ok(!strcmp(text, "2026-12-25 00:30:00") && t.weekday == 5,
       "... and half past midnight on a Friday in Paris: %s", text);
    ok(calendar_parse_local("2026-03-08 02:30", "America/New_York", &when,
                            why) == -1 &&
       !strcmp(why, "'2026-03-08 02:30' does not exist in America/New_York "
                    "(the clocks skip it)"),
       "a time the clocks skip is refused: %s", why);
    ok(calendar_parse_local("2026-11-31 10:00", NULL, &when, why) == -1 &&
       !strcmp(why, "'2026-11-31': November has no day 31"),
       "a day the month has not is refused: %s", why);
    ok(calendar_parse_date("02-29", &y, &mo, &d, why) == 0 && y == 0 &&
       mo == 2 && d == 29, "29 February every year is a date (of leap years)");
    ok(calendar_parse_date("2027-02-29", &y, &mo, &d, why) == -1,
       "29 February 2027 is not");
    ok(calendar_parse_span("fri-mon 22:00-2:00", &sp, why) == 0 &&
       sp.days == 0x63 && sp.from == 1320 && sp.to == 1560,
       "a span past midnight, days wrapping the week's end");
    t.weekday = 2;          /* Tuesday 01:30: Monday night's span */
    t.minute = 90;
    ok(calendar_span_open(&sp, &t), "Monday night's span is open at 01:30 "
                                     "on Tuesday");
    t.weekday = 3;
    ok(!calendar_span_open(&sp, &t), "... and not on Wednesday");
    ok(calendar_parse_span("mon-fry 9:00-17:00", &sp, why) == -1 &&
       !strcmp(why, "'mon-fry' is not a day or days (mon, tue, ..., sun, "
                    "mon-fri, sat,sun or daily)"),
       "a misspelt day: %s", why);
    ok(calendar_parse_span("daily 9:00-25:00", &sp, why) == -1 &&
       !strcmp(why, "'9:00-25:00' is not a time of day span (such as "
                    "9:00-17:30; 24:00 ends at midnight)"),
       "an hour past 24: %s", why);
    ok(calendar_weekday(2000, 2, 29) == 2 && calendar_weekday(2026, 12, 2)
       == 3, "weekdays of a leap day and of a Wednesday");
    ok(!calendar_zone_known("Mars/Olympus") &&
       !calendar_zone_known("../../etc/passwd") &&
       calendar_zone_known("Europe/Paris"), "zones: known, unknown, a path");

    expect_error("timezone \"Mars/Olympus\"\nmenu main\n",
                 "x.ivr:1:10: unknown time zone \"Mars/Olympus\" (a name from "
                 "/usr/share/zoneinfo, such as \"Europe/Paris\")",
                 "an unknown time zone is an error, not UTC");
    expect_error("hours office \"mon-fri 9:00-17:61\"\nmenu main\n",
                 "x.ivr:1:14: '9:00-17:61' is not a time of day span (such "
                 "as 9:00-17:30; 24:00 ends at midnight)",
                 "a bad span points at its string");
    expect_error("holiday \"2026-13-01\"\nmenu main\n",
                 "x.ivr:1:9: '2026-13-01' has no month 13",
                 "a holiday on a month that is not");
    expect_error("holiday \"12-25\"\nholiday \"12-25\" \"Xmas\"\nmenu main\n",
                 "x.ivr:2:9: \"12-25\" is already a holiday at x.ivr:1",
                 "a holiday given twice");
    expect_error("hours office \"daily 9:00-17:00\"\nmenu main\n"
                 "  on enter if open ofice hangup\n",
                 "x.ivr:3:12: no hours named 'ofice' (did you mean 'office'?)",
                 "if open on hours that are not: the nearest name");
    expect_error("menu main\n  on enter if closed office hangup\n",
                 "x.ivr:2:12: no hours named 'office' (define them with a "
                 "line such as: hours office \"mon-fri 9:00-17:00\")",
                 "if closed without any hours: how to define them");

    m = menu_load(put("t.ivr", "timezone \"Asia/Tokyo\"\n"
                               "hours shop \"mon-sat 10:00-19:00\"\n"
                               "holiday \"01-01\" \"New Year's Day\"\n"
                               "menu main\n"
                               "  on enter if open shop hangup\n"), &err);
    ok(m && !strcmp(m->timezone, "Asia/Tokyo") && m->nhours == 1 &&
       m->hours[0].nspans == 1 && m->nholidays == 1 && menu_uses_time(m),
       "timezone, hours and holiday lines parse");
    if (m) {
        calendar_time at = {2027, 1, 1, 5, 12 * 60, 0};
        ok(!menu_hours_open(m, &m->hours[0], &at) &&
           !strcmp(menu_holiday_on(m, &at)->name, "New Year's Day"),
           "closed on a holiday that falls on an opening day");
        at.day = 2;
        at.weekday = 6;
        ok(menu_hours_open(m, &m->hours[0], &at), "open the day after");
        menu_free(m);
    }
}

/* fetch: what parses, and each mistake with its exact text. */
static void test_fetch(void)
{
    menu_file *m;
    ivr_error err;

    m = menu_load(put("f.ivr", "menu main\n"
                               "  on enter fetch \"{api}/a/{x}\" post x "
                               "\"{x}\", why \"lost\" timeout 2s set a "
                               "\"a.b\", c \"list[2].id\" then hangup\n"
                               "  on error hangup\n"), &err);
    ok(m && m->menus[0]->entries[0].action->kind == ACT_FETCH &&
       m->menus[0]->entries[0].action->fetch->npost == 2 &&
       m->menus[0]->entries[0].action->fetch->nset == 2 &&
       m->menus[0]->entries[0].action->fetch->timeout_ms == 2000 &&
       m->menus[0]->entries[0].action->next->kind == ACT_HANGUP &&
       m->menus[0]->entries[1].kind == ENTRY_ERROR,
       "fetch with post, timeout and set, then an action; on error");
    menu_free(m);
    expect_error("menu main\n  on enter fetch \"ftp://x\" hangup\n",
                 "x.ivr:2:18: expected a \"URL\" after 'fetch' (http:// or "
                 "https://)", "a URL that is no web address");
    expect_error("menu main\n  on enter fetch \"http://x\" set a \"b..c\"\n",
                 "x.ivr:2:35: \"b..c\" is not a path in a JSON answer (such "
                 "as \"balance\", \"owner.name\" or \"cards[0].last4\")",
                 "a path that is no path");
    expect_error("menu main\n  on enter fetch \"http://x\" timeout 2m\n",
                 "x.ivr:2:29: a fetch's timeout is more than 0 and at most "
                 "60s", "a timeout past a minute");
    expect_error("menu main\n  on enter fetch \"http://x\" set a \"b\" "
                 "set c \"d\"\n",
                 "x.ivr:2:39: 'set' is given twice (list its fields with "
                 "commas)", "set twice");
    expect_error("menu main\n  on enter fetch \"http://x\" sett a \"b\"\n",
                 "x.ivr:2:29: unknown fetch option 'sett' (did you mean "
                 "'set'?)", "a misspelt option: the nearest");
    expect_error("menu main\n  say \"x\"\n    during 9 fetch \"http://x\"\n",
                 "x.ivr:3:14: a key pressed during a message cannot 'fetch' "
                 "(the message keeps playing); use 'on' for that",
                 "no fetch while a message plays");
}

/* A value said as words: the ways a designer takes, and what is not. */
static void test_digits_said(void)
{
    char out[32];
    const int all = MENU_DIGITS_SAID | MENU_DIGITS_OH | MENU_DIGITS_DOUBLE;

    ok(menu_digits_from_words("four one two three", MENU_DIGITS_SAID, out,
                              sizeof out) == 0 && !strcmp(out, "4123"),
       "digits said one by one");
    ok(menu_digits_from_words("four oh double two triple nine", all, out,
                              sizeof out) == 0 && !strcmp(out, "4022999"),
       "oh, double and triple: %s", out);
    ok(menu_digits_from_words("four oh one", MENU_DIGITS_SAID, out,
                              sizeof out) == -1, "oh is no digit unless taken");
    ok(menu_digits_from_words("double two", MENU_DIGITS_SAID | MENU_DIGITS_OH,
                              out, sizeof out) == -1,
       "double is no digit unless taken");
    ok(menu_digits_from_words("four double", all, out, sizeof out) == -1 &&
       menu_digits_from_words("", all, out, sizeof out) == -1,
       "double with nothing after it, and nothing, are no value");
    ok(menu_digits_from_words("one two three four", all, out, 4) == -1,
       "a value longer than its room is refused, not cut");
    expect_error("menu main\n  collect pin keys 0123456789* speech\n",
                 "x.ivr:2:32: a value said as words is made of digits only "
                 "(keys 0123456789*)", "speech with a key that is no digit");
}

/* Languages: what parses, the mistakes, and what --check finds. */
static void test_languages(void)
{
    char out[4096];
    int n;

    expect_error("menu main\n  prompt es \"Hola\"\n",
                 "x.ivr:2:10: 'es' is not one of the file's languages (add "
                 "it to a line such as: languages en, es)",
                 "a prompt in a language the file does not list");
    expect_error("languages en, es\nmenu main\n  prompt en \"Hello\"\n",
                 "x.ivr:3:10: 'en' is the file's first language: its prompts "
                 "need no tag", "the first language needs no tag");
    expect_error("languages en, spanish\nmenu main\n",
                 "x.ivr:1:15: expected a language code after ',' (such as "
                 "en, es or pt-BR)", "a language that is no code");
    expect_error("languages en, es\nmenu main\n  on 1 language fr\n",
                 "x.ivr:3:17: 'fr' is not one of the file's languages (add "
                 "it to a line such as: languages en, fr)",
                 "the language action checks its language");
    n = lint_of("languages en, es, pt-BR\nmenu main\n"
                "  prompt \"Press 1.\"\n  prompt es \"Oprima uno.\"\n"
                "  on 1 language es then hangup\n", out, sizeof out);
    ok(n == 3 &&
       strstr(out, "l.ivr:2:6: warning: language 'pt-BR' is never chosen (no "
                   "'language pt-BR' action)") &&
       strstr(out, "l.ivr:3:3: warning: menu 'main': this prompt has none in "
                   "'pt-BR' (a caller in 'pt-BR' hears it as it is)") &&
       strstr(out, "l.ivr:4:13: warning: text in 'es', but the voices speak "
                   "English: record it and play the file"),
       "a language never chosen, a prompt missing in one, Spanish text (%d)",
       n);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    test_structure();
    test_errors();
    test_error_prefixes();
    test_lint();
    test_samples();
    test_suggest();
    test_time();
    test_fetch();
    test_digits_said();
    test_languages();
    {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            diag("could not remove %s", dir);
    }
    return tap_done();
}
