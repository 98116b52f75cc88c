/*
 * ivr-sim: run a menu file as a call, against a caller's recording or
 * scripted keys and words, and show what the caller heard and where each
 * input led. See man/ivr-sim.1.
 */
#include "cli.h"
#include "sim.h"
#include "messaging.h"
#include "sip_line.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    OPT_CHECK = 2000, OPT_GRAPH, OPT_FAST, OPT_CALLER, OPT_CALLED, OPT_VAR,
    OPT_JSON, OPT_STEREO, OPT_RECORD_DIR, OPT_MAX, OPT_SEED,
    OPT_CALLER_VOICE, OPT_VOICE, OPT_TEST, OPT_TARGET, OPT_INBAND_KEYS,
    OPT_JUNIT, OPT_SHARD, OPT_COVERAGE,
    OPT_EVENTS, OPT_GEN_TESTS, OPT_LIVE, OPT_CONSOLE, OPT_LIST_DEVICES,
    OPT_NO_SOUND, OPT_SMS_BACKEND, OPT_DB, OPT_NO_SMS, OPT_SIP_LISTEN,
    OPT_CALLS_DIR, OPT_RECORD_CALLS, OPT_SIP_REGISTER, OPT_SIP_PASSWORD_FILE,
    OPT_MAX_CALLS, OPT_DIAL, OPT_RING_TIME, OPT_TRANSFER_TO, OPT_ALLOW_DIR,
    OPT_LAYOUT,
    OPT_AT, OPT_HTTP_FIXTURES
};

static const struct option long_opts[] = {
    {"check", no_argument, 0, OPT_CHECK},
    {"graph", no_argument, 0, OPT_GRAPH},
    {"test", no_argument, 0, OPT_TEST},
    {"voice", required_argument, 0, OPT_VOICE},
    {"target", required_argument, 0, OPT_TARGET},
    {"inband-keys", no_argument, 0, OPT_INBAND_KEYS},
    {"junit", required_argument, 0, OPT_JUNIT},
    {"jobs", required_argument, 0, 'j'},
    {"shard", required_argument, 0, OPT_SHARD},
    {"coverage", no_argument, 0, OPT_COVERAGE},
    {"events", required_argument, 0, OPT_EVENTS},
    {"gen-tests", required_argument, 0, OPT_GEN_TESTS},
    {"input", required_argument, 0, 'i'},
    {"layout", required_argument, 0, OPT_LAYOUT},
    {"live", no_argument, 0, OPT_LIVE},
    {"console", no_argument, 0, OPT_CONSOLE},
    {"device", required_argument, 0, 'd'},
    {"list-devices", no_argument, 0, OPT_LIST_DEVICES},
    {"no-sound", no_argument, 0, OPT_NO_SOUND},
    CLI_AUDIO_OPTIONS,
    {"keys", required_argument, 0, 'k'},
    {"say", required_argument, 0, 's'},
    {"caller-voice", required_argument, 0, OPT_CALLER_VOICE},
    {"fast", no_argument, 0, OPT_FAST},
    {"caller", required_argument, 0, OPT_CALLER},
    {"called", required_argument, 0, OPT_CALLED},
    {"var", required_argument, 0, OPT_VAR},
    {"transcript", required_argument, 0, 't'},
    {"json", no_argument, 0, OPT_JSON},
    {"output", required_argument, 0, 'o'},
    {"stereo-output", required_argument, 0, OPT_STEREO},
    {"record-dir", required_argument, 0, OPT_RECORD_DIR},
    {"force", no_argument, 0, 'f'},
    {"max-duration", required_argument, 0, OPT_MAX},
    {"seed", required_argument, 0, OPT_SEED},
    {"at", required_argument, 0, OPT_AT},
    {"http-fixtures", required_argument, 0, OPT_HTTP_FIXTURES},
    {"sms-backend", required_argument, 0, OPT_SMS_BACKEND},
    {"db", required_argument, 0, OPT_DB},
    {"sip-listen", required_argument, 0, OPT_SIP_LISTEN},
    {"calls-dir", required_argument, 0, OPT_CALLS_DIR},
    {"record-calls", no_argument, 0, OPT_RECORD_CALLS},
    {"sip-register", required_argument, 0, OPT_SIP_REGISTER},
    {"sip-password-file", required_argument, 0, OPT_SIP_PASSWORD_FILE},
    {"max-calls", required_argument, 0, OPT_MAX_CALLS},
    {"dial", required_argument, 0, OPT_DIAL},
    {"ring-time", required_argument, 0, OPT_RING_TIME},
    {"transfer-to", required_argument, 0, OPT_TRANSFER_TO},
    {"no-sms", no_argument, 0, OPT_NO_SMS},
    {"allow-dir", required_argument, 0, OPT_ALLOW_DIR},
    {"verbose", no_argument, 0, 'v'},
    {"quiet", no_argument, 0, 'q'},
    {"help", no_argument, 0, 'h'},
    {"version", no_argument, 0, 'V'},
    {0, 0, 0, 0}
};

/* --check reports this many mistakes of a menu file before it stops */
#define CHECK_MAX_MISTAKES 20

static void report_mistake(const ivr_error *e, void *user)
{
    (void)user;
    cli_report(e);
}

/* Everything the command line says, parsed; checked whole before any file
 * is read. */
typedef struct sim_opts {
    /* what to do with the menu */
    int check, graph, live, console;
    const char *sip_listen, *calls_dir, *dial, *transfer_to;
    const char *sip_register, *sip_password_file;
    int record_calls;
    long max_calls;
    double ring_secs;
    const char *gen_dir;
    test_opts t;
    /* the caller */
    const char *input, *caller_voice, *device;
    audio_read_opts ro;
    legs_layout lay;
    const char **keys, **says;
    int nkeys, nsays;
    int no_sound;
    /* the call */
    engine_opts eo;
    const char **vars, **allow;
    int nvars, nallow;
    double max_secs;
    const char *at;
    const char *http_fixtures;
    const char *sms_backend;
    const char *db;
    int no_sms;
    /* what is kept of it */
    sim s;
    const char *transcript, *output, *stereo;
    int force;
    const char *menu;
} sim_opts;

/* Appends a repeated option's value to its NULL-terminated list. */
static int push_value(const char ***list, int *count, const char *value)
{
    const char **l = realloc(*list, (size_t)(*count + 2) * sizeof *l);

    if (!l) {
        cli_error("out of memory");
        return IVR_EINTERNAL;
    }
    l[(*count)++] = value;
    l[*count] = NULL;
    *list = l;
    return IVR_OK;
}

static void sim_opts_free(sim_opts *o)
{
    free(o->vars);
    free(o->keys);
    free(o->allow);
    free(o->says);
}

/* Returns IVR_OK, a status to exit with, or -1: done (--help, --version,
 * --list-devices ran). */
/* The options of --test and its suite; NOT_MINE for any other. */
#define NOT_MINE (-2)
static int suite_option(int c, const char *arg, sim_opts *o)
{
    long jobs;

    switch (c) {
    case OPT_TEST: o->t.test = 1; return IVR_OK;
    case OPT_JUNIT: o->t.junit = arg; return IVR_OK;
    case OPT_COVERAGE: o->t.coverage = 1; return IVR_OK;
    case OPT_EVENTS: o->t.events = arg; return IVR_OK;
    case OPT_TARGET:
        if (strncmp(arg, "sip:", 4) || !arg[4])
            return cli_usage_error("--target %s: a SIP URI, such as "
                                   "sip:ivr@pbx.example", arg);
        if (!sip_uri_port_ok(arg))
            return cli_usage_error("--target %s: the port is not 1 to "
                                   "65535", arg);
        o->t.target = arg;
        return IVR_OK;
    case OPT_INBAND_KEYS: o->t.inband_keys = 1; return IVR_OK;
    case 'j':
        if (cli_parse_int("--jobs", arg, 1, 64, &jobs) != 0)
            return IVR_EUSAGE;
        o->t.jobs = (int)jobs;
        return IVR_OK;
    case OPT_SHARD:
        if (sscanf(arg, "%d/%d%c", &o->t.shard_k, &o->t.shard_n,
                   (char[1]){0}) != 2 || o->t.shard_n < 1 ||
            o->t.shard_k < 1 || o->t.shard_k > o->t.shard_n)
            return cli_usage_error("--shard: '%s' is not K/N with 1 <= "
                                   "K <= N", arg);
        return IVR_OK;
    default: return NOT_MINE;
    }
}

/* The caller's options: where its audio comes from and what it does. */
static int caller_option(int c, const char *arg, sim_opts *o)
{
    int status;

    switch (c) {
    case 'i': o->input = arg; return IVR_OK;
    case OPT_LAYOUT:
        if (!strcmp(arg, "auto"))
            o->lay = LEGS_AUTO;
        else if (!strcmp(arg, "mix"))
            o->lay = LEGS_MIX;
        else if (!strcmp(arg, "caller"))
            o->lay = LEGS_CALLER;
        else
            return cli_usage_error("--layout: '%s' is not auto, mix or "
                                   "caller", arg);
        return IVR_OK;
    case OPT_LIVE: o->live = 1; return IVR_OK;
    case OPT_SIP_LISTEN: o->sip_listen = arg; return IVR_OK;
    case OPT_CALLS_DIR: o->calls_dir = arg; return IVR_OK;
    case OPT_RECORD_CALLS: o->record_calls = 1; return IVR_OK;
    case OPT_SIP_REGISTER: o->sip_register = arg; return IVR_OK;
    case OPT_SIP_PASSWORD_FILE: o->sip_password_file = arg; return IVR_OK;
    case OPT_MAX_CALLS:
        return cli_parse_int("--max-calls", arg, 1, 1000, &o->max_calls) != 0
                   ? IVR_EUSAGE : IVR_OK;
    case OPT_DIAL: o->dial = arg; return IVR_OK;
    case OPT_TRANSFER_TO:
        if (!strstr(arg, "{target}") || strncmp(arg, "sip", 3))
            return cli_usage_error("--transfer-to %s: a SIP URI with "
                                   "{target} in it, such as "
                                   "sip:{target}@pbx.example", arg);
        o->transfer_to = arg;
        return IVR_OK;
    case OPT_RING_TIME:
        return cli_parse_duration("--ring-time", arg, &o->ring_secs) != 0
                   ? IVR_EUSAGE : IVR_OK;
    case OPT_CONSOLE: o->console = 1; return IVR_OK;
    case 'd': o->device = arg; return IVR_OK;
    case OPT_NO_SOUND: o->no_sound = 1; return IVR_OK;
    case 'k': return push_value(&o->keys, &o->nkeys, arg);
    case 's': return push_value(&o->says, &o->nsays, arg);
    case OPT_CALLER_VOICE: o->caller_voice = arg; return IVR_OK;
    case OPT_VOICE: o->eo.voice = arg; return IVR_OK;
    case OPT_CALLER: o->eo.caller = arg; return IVR_OK;
    case OPT_CALLED: o->eo.called = arg; return IVR_OK;
    case OPT_AT: o->at = arg; return IVR_OK;
    case OPT_HTTP_FIXTURES: o->http_fixtures = arg; return IVR_OK;
    default: /* the audio options (--channel, --raw-rate, ...) */
        status = cli_audio_option(c, arg, &o->ro);
        return status < 0 ? NOT_MINE : status;
    }
}

static int parse_options(int argc, char **argv, sim_opts *o)
{
    long seed;
    int c, status;

    memset(o, 0, sizeof *o);
    o->max_secs = 3600;
    o->ring_secs = 30;
    o->ro.raw_rate_option = "--raw-rate";
    o->lay = LEGS_AUTO;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":i:c:k:s:t:o:j:d:fvqhV", long_opts,
                            NULL)) != -1) {
        if ((status = suite_option(c, optarg, o)) == NOT_MINE &&
            (status = caller_option(c, optarg, o)) == NOT_MINE) {
            status = IVR_OK;
            switch (c) {
            case OPT_CHECK: o->check = 1; break;
            case OPT_GRAPH: o->graph = 1; break;
            case OPT_GEN_TESTS: o->gen_dir = optarg; break;
            case OPT_SMS_BACKEND: o->sms_backend = optarg; break;
            case OPT_DB: o->db = optarg; break;
            case OPT_NO_SMS: o->no_sms = 1; break;
            case OPT_VAR:
                status = push_value(&o->vars, &o->nvars, optarg);
                break;
            case OPT_ALLOW_DIR:
                status = push_value(&o->allow, &o->nallow, optarg);
                break;
            case OPT_FAST: o->eo.fast = 1; break;
            case 't': o->transcript = optarg; break;
            case OPT_JSON: o->s.json = 1; break;
            case 'o': o->output = optarg; break;
            case OPT_STEREO: o->stereo = optarg; break;
            case OPT_RECORD_DIR: o->eo.record_dir = optarg; break;
            case 'f': o->force = 1; break;
            case OPT_MAX:
                if (cli_parse_duration("--max-duration", optarg,
                                       &o->max_secs) != 0)
                    return IVR_EUSAGE;
                break;
            case OPT_SEED:
                if (cli_parse_int("--seed", optarg, 1, 2147483647L,
                                  &seed) != 0)
                    return IVR_EUSAGE;
                o->eo.seed = (uint64_t)seed;
                break;
            case 'v': o->s.verbose = 1; break;
            case 'q': o->s.quiet = 1; break;
            case OPT_LIST_DEVICES:
                status = cli_list_devices();
                return status == IVR_OK ? -1 : status;
            case 'h':
                sim_usage(stdout);
                return -1;
            case 'V': cli_print_version(); return -1;
            default: return cli_bad_option(c, argv);
            }
        }
        if (status != IVR_OK)
            return status;
    }
    return IVR_OK;
}

/* Every combination of options, before any file is read: a mistake on
 * the command line is exit 2 whatever else is wrong. Sets o->menu. */
static int check_options(sim_opts *o, int argc, char **argv)
{
    int caller_given = o->input || o->nkeys || o->nsays;

    if (o->t.junit || o->t.jobs || o->t.shard_n || o->t.coverage ||
        o->t.events || o->t.target || o->t.inband_keys)
        return cli_usage_error("--junit, --jobs, --shard, --coverage, "
                               "--events, --target and --inband-keys go "
                               "with --test");
    if (optind != argc - 1)
        return cli_usage_error(optind == argc ? "no menu file given"
                               : "one menu file at a time ('%s' is extra)",
                               argv[optind + 1 < argc ? optind + 1 : optind]);
    o->menu = argv[optind];
    if (cli_audio_check(&o->ro) != 0)
        return IVR_EUSAGE;
    if (o->at) {
        /* the form now; the menu's zone is known once it is read */
        char why[CALENDAR_WHY_MAX];
        time_t t;
        if (calendar_parse_local(o->at, "UTC", &t, why) != 0)
            return cli_usage_error("--at: %s", why);
    }
    if (o->eo.fast && o->input)
        return cli_usage_error("--fast runs without audio: it cannot read "
                               "--input %s", o->input);
    if (o->eo.fast && (o->output || o->stereo))
        return cli_usage_error("--fast runs without audio: --output and "
                               "--stereo-output need a full run");
    if (o->live + o->console + !!(o->sip_listen || o->dial) > 1 ||
        ((o->live || o->console || o->sip_listen || o->dial) && caller_given))
        return cli_usage_error("--live, --console, --sip-listen (or --dial) "
                               "and --input/--keys/--say are different "
                               "callers: choose one");
    if ((o->sip_listen || o->dial) && (o->eo.fast || o->output ||
                                       o->stereo || o->transcript))
        return cli_usage_error("--sip-listen answers many calls in real "
                               "time: --calls-dir keeps each one's events "
                               "(not --fast, --output or --transcript)");
    if (o->calls_dir && !o->sip_listen && !o->dial)
        return cli_usage_error("--calls-dir is for the calls of "
                               "--sip-listen and --dial");
    if (o->sip_register && !o->sip_listen)
        return cli_usage_error("--sip-register makes --sip-listen's line "
                               "reachable: give --sip-listen ADDR:PORT too");
    if (o->max_calls && !o->sip_listen)
        return cli_usage_error("--max-calls is for the calls --sip-listen "
                               "answers");
    if (o->sip_password_file && !o->sip_register)
        return cli_usage_error("--sip-password-file is the password of "
                               "--sip-register");
    if (o->record_calls && !o->calls_dir)
        return cli_usage_error("--record-calls needs --calls-dir DIR: the "
                               "folder the recordings go to");
    /* on a terminal, with no caller given, the designer is the caller; on
     * a pipe, the commands come line by line */
    if (!o->live && !o->sip_listen && !o->dial && !caller_given &&
        !o->output &&
        !o->stereo &&
        (isatty(STDIN_FILENO) ? !o->eo.fast : 1))
        o->console = 1;
    if (!o->live && !o->console && !o->sip_listen && !o->dial &&
        ((o->output && cli_check_audio_output("--output", o->output) != 0) ||
         (o->stereo &&
          cli_check_audio_output("--stereo-output", o->stereo) != 0)))
        return IVR_EUSAGE;
    return IVR_OK;
}

/* --check: every mistake of the file in one run, not only the first, then
 * what the menu does that a caller would trip on. */
static int run_check(const sim_opts *o)
{
    menu_report report = {report_mistake, NULL, CHECK_MAX_MISTAKES, 0,
                          {0, ""}};
    menu_load_opts lo = {&report, o->allow};
    ivr_error err;
    menu_file *m;
    int n;

    ivr_error_clear(&err);
    if (!(m = menu_load_with(o->menu, &lo, &err))) {
        if (!report.count)
            cli_report(&err);
        else if (report.count >= CHECK_MAX_MISTAKES)
            cli_warn("stopped after %d mistakes", report.count);
        return err.status;
    }
    n = menu_lint(m, stdout);
    if (n == 0 && !o->s.quiet)
        printf("%s: no problems found\n", o->menu);
    menu_free(m);
    return n ? IVR_EFAIL : IVR_OK;
}

static int run_gen_tests(const menu_file *m, const sim_opts *o)
{
    ivr_error err;
    int n = menu_gen_tests(m, o->menu, o->gen_dir, o->force, &err);

    if (n < 0)
        return cli_report(&err);
    if (!o->s.quiet)
        printf("%d call scripts written to %s\n", n, o->gen_dir);
    return IVR_OK;
}

/* The outputs open around a call, and close whole unless it failed (an
 * interrupted call ended as a hang-up: its files are whole too). */
static int finish_outputs(outputs *o, int rc)
{
    int whole = rc == IVR_OK || rc == 128 + cli_interrupted();
    int rc2 = sim_close_outputs(o, whole);

    return rc == IVR_OK || rc2 != IVR_OK ? (rc2 != IVR_OK ? rc2 : rc) : rc;
}

static int run_live_call(const menu_file *m, sim_opts *o)
{
    outputs out = {0};
    ivr_error err;
    int rc;

    o->eo.vars = o->vars;
    o->eo.max_seconds = o->max_secs;
    if ((rc = sim_open_transcript(&o->s, o->transcript, o->force)) != IVR_OK)
        return rc;
    if (sim_open_outputs(&out, o->output, o->stereo, o->force, &err) != 0)
        return cli_report(&err);
    rc = sim_run_live(m, &o->eo, &o->s, o->device, &out);
    return finish_outputs(&out, rc);
}

/* A caller made of a recording, keys and words at given times. */
static int run_scripted_call(const menu_file *m, sim_opts *o)
{
    outputs out = {0};
    caller *who;
    ivr_error err;
    int i, rc = IVR_OK;

    if (!(who = caller_new(o->caller_voice, NULL, &err)))
        return cli_report(&err);
    for (i = 0; i < o->nkeys && rc == IVR_OK; i++)
        if (caller_add_keys(who, o->keys[i], &err) != IVR_OK)
            rc = cli_report(&err);
    for (i = 0; i < o->nsays && rc == IVR_OK; i++)
        if (caller_add_say(who, o->says[i], &err) != IVR_OK)
            rc = cli_report(&err);
    if (rc == IVR_OK && o->input)
        rc = sim_open_recording(o->input, &o->ro, o->lay, who, &o->eo);
    if (rc == IVR_OK)
        rc = sim_open_transcript(&o->s, o->transcript, o->force);
    if (rc == IVR_OK &&
        sim_open_outputs(&out, o->output, o->stereo, o->force, &err) != 0)
        rc = cli_report(&err);
    if (rc == IVR_OK) {
        o->eo.vars = o->vars;
        o->eo.max_seconds = o->max_secs;
        o->eo.overwrite = o->force;
        rc = finish_outputs(&out, sim_run_call(m, &o->eo, who, &out, &o->s));
    }
    caller_free(who);
    return rc;
}

/* Runs the call the options describe on a loaded menu. */
static int run_menu(const menu_file *m, sim_opts *o)
{
    http_fixtures *fixtures = NULL;
    messaging *msg = NULL;
    ivr_error err;
    int rc;

    if (o->graph) {
        menu_write_dot(m, stdout);
        return IVR_OK;
    }
    if (o->gen_dir)
        return run_gen_tests(m, o);
    if (o->at) {
        char why[CALENDAR_WHY_MAX];
        if (calendar_parse_local(o->at, m->timezone, &o->eo.start_time, why)
                != 0) {
            return cli_usage_error("--at: %s", why);
        }
    }
    if (o->http_fixtures) {
        if (!(fixtures = http_fixtures_new()))
            return cli_report(&(ivr_error){IVR_EINTERNAL, "out of memory"});
        if (http_fixtures_load(fixtures, o->http_fixtures, &err) != IVR_OK) {
            http_fixtures_free(fixtures);
            return cli_report(&err);
        }
        o->eo.fetch = http_fixtures_hook;
        o->eo.fetch_user = fixtures;
    }
    if (!o->no_sms) {
        /* --seed: serials the same every run, so kept out of the store */
        if (!(msg = messaging_open(o->sms_backend, o->db, !o->eo.seed, &err))) {
            http_fixtures_free(fixtures);
            return cli_report(&err);
        }
        messaging_attach(msg, &o->eo);
    }
    if (o->console)
        rc = sim_run_console(m, &o->eo, &o->s, o->device, o->no_sound,
                             o->transcript, o->force, o->vars, o->max_secs);
    else if (o->live)
        rc = run_live_call(m, o);
    else if (o->sip_listen || o->dial) {
        /* a call placed goes out from loopback to loopback, else from the
         * machine's address, on a port the system picks */
        sip_opts so = {o->sip_listen, o->calls_dir, o->record_calls, o->dial,
                       o->transfer_to, o->ring_secs, o->sip_register,
                       o->sip_password_file, (int)o->max_calls};
        if (!so.listen)
            so.listen = strstr(o->dial, "@127.") ? "127.0.0.1:0"
                                                  : "0.0.0.0:0";
        o->eo.vars = o->vars;
        o->eo.max_seconds = o->max_secs;
        rc = sim_run_sip(m, &o->eo, &o->s, &so);
    }
    else
        rc = run_scripted_call(m, o);
    messaging_close(msg);
    http_fixtures_free(fixtures);
    return rc;
}

int main(int argc, char **argv)
{
    sim_opts o;
    menu_file *m;
    ivr_error err;
    int rc;

    cli_init(argv[0]);
    rc = parse_options(argc, argv, &o);
    if (rc == IVR_OK && o.t.test && o.at) {
        rc = cli_usage_error("--at sets one call's clock; a call script "
                             "sets its own (at \"2026-12-24 18:30\")");
    } else if (rc == IVR_OK && o.t.test) {
        o.t.fast = o.eo.fast;
        o.t.allow_dirs = o.allow;
        rc = sim_run_tests(&o.t, argv + optind, argc - optind);
    } else if (rc == IVR_OK && (rc = check_options(&o, argc, argv)) ==
                                   IVR_OK) {
        if (o.check) {
            rc = run_check(&o);
        } else if (!(m = menu_load_with(o.menu, &(menu_load_opts){NULL,
                                                                 o.allow},
                                        &err))) {
            rc = cli_report(&err);
        } else {
            rc = run_menu(m, &o);
            menu_free(m);
        }
    }
    if (o.s.transcript && o.s.transcript != stdout &&
        fclose(o.s.transcript) != 0 && rc == IVR_OK) {
        ivr_error_set(&err, IVR_EOUTPUT, "%s:", o.transcript);
        rc = cli_report(&err);
    }
    sim_opts_free(&o);
    return rc < 0 ? IVR_OK : rc;
}
