/* cli.c: messages, option values and --version for the ivr-* commands. */
#include "cli.h"
#include "device.h"
#include "menu.h"
#include "transcript.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <math.h>
#include <samplerate.h>
#include <sndfile.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef IVR_VERSION
#define IVR_VERSION "unknown"
#endif

static const char *progname = "ivrkit";

/* What a command printed is its result (a coupon's serial, a timeline, a
 * test run): if it could not all be written, the run failed, whatever the
 * command thought. Checked once, as the process exits. */
static void check_stdout(void)
{
    int failed;

    errno = 0;
    failed = fflush(stdout) != 0 || ferror(stdout);
    if (failed) {
        fprintf(stderr, "%s: standard output: %s\n", progname,
                errno ? strerror(errno) : "write error");
        _exit(IVR_EOUTPUT);
    }
}

void cli_init(const char *name)
{
    const char *slash = strrchr(name, '/');
    progname = slash ? slash + 1 : name;
    atexit(check_stdout);
}

const char *cli_progname(void)
{
    return progname;
}

static void vmessage(const char *kind, const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: %s", progname, kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("", fmt, ap);
    va_end(ap);
}

void cli_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("", fmt, ap);
    va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("warning: ", fmt, ap);
    va_end(ap);
}

int cli_report(const ivr_error *err)
{
    fprintf(stderr, "%s: %s\n", progname,
            err->message[0] ? err->message : ivr_status_name(err->status));
    return err->status ? err->status : IVR_EINTERNAL;
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("", fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try '%s --help' for more information.\n", progname);
    return IVR_EUSAGE;
}

/* Short letters that named another option until each letter came to mean
 * one thing in every command: an old script's failure says what to use. */
static const struct {
    const char *command;
    char letter;
    const char *now;
} retired[] = {
    {"ivr-tts", 'v', "--voice"},       {"ivr-tts", 's', "--speed"},
    {"ivr-dtmf", 't', "--twist"},      {"ivr-send-sms", 't', "--to"},
    {"ivr-send-sms", 'f', "--from"},
};

int cli_bad_option(int c, char *const *argv)
{
    const char *arg = argv[optind - 1];
    size_t i;

    if (c == ':')
        return cli_usage_error("option '%s' needs a value", arg);
    for (i = 0; optopt && i < sizeof retired / sizeof *retired; i++)
        if (retired[i].letter == optopt &&
            !strcmp(retired[i].command, progname))
            return cli_usage_error("unrecognized option '-%c' (use %s: a "
                                   "short letter means one thing in every "
                                   "ivrkit command)", optopt, retired[i].now);
    if (optopt && strncmp(arg, "--", 2) != 0)
        return cli_usage_error("unrecognized option '-%c'", optopt);
    return cli_usage_error("unrecognized option '%s'", arg);
}

int cli_parse_double(const char *opt, const char *arg, double min, double max,
                     double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(arg, &end);
    if (end == arg || *end != '\0' || errno == ERANGE || !isfinite(v))
        return cli_usage_error("%s: '%s' is not a number", opt, arg);
    if (v < min || v > max)
        return cli_usage_error("%s: %s is outside %g..%g", opt, arg, min, max);
    *out = v;
    return IVR_OK;
}

int cli_parse_int(const char *opt, const char *arg, long min, long max,
                  long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(arg, &end, 10);
    if (end == arg || *end != '\0' || errno == ERANGE)
        return cli_usage_error("%s: '%s' is not a whole number", opt, arg);
    if (v < min || v > max)
        return cli_usage_error("%s: %s is outside %ld..%ld", opt, arg, min,
                               max);
    *out = v;
    return IVR_OK;
}

int cli_audio_option(int c, const char *arg, audio_read_opts *ro)
{
    long v;
    int status;

    switch (c) {
    case 'c':
        status = cli_parse_int("--channel", arg, 1, 64, &v);
        if (status == IVR_OK)
            ro->channel = (int)v;
        return status;
    case CLI_OPT_RAW_RATE:
        status = cli_parse_int("--raw-rate", arg, AUDIO_RATE_MIN,
                               AUDIO_RATE_MAX, &v);
        if (status == IVR_OK)
            ro->raw_rate = (int)v;
        return status;
    case CLI_OPT_RAW_ENCODING:
        return cli_parse_encoding("--raw-encoding", arg, &ro->raw_encoding);
    case CLI_OPT_RAW_CHANNELS:
        status = cli_parse_int("--raw-channels", arg, 1, 64, &v);
        if (status == IVR_OK)
            ro->raw_channels = (int)v;
        return status;
    default:
        return -1;
    }
}

int cli_check_audio_output(const char *context, const char *output)
{
    if (!output)
        return cli_usage_error("%s--output FILE missing ('-' for standard "
                               "output)", context);
    if (!strcmp(output, "-") && isatty(STDOUT_FILENO))
        return cli_usage_error("%snot writing audio to a terminal; redirect "
                               "standard output or use -o FILE", context);
    return IVR_OK;
}

int cli_parse_encoding(const char *opt, const char *arg, audio_encoding *out)
{
    audio_encoding enc = audio_encoding_parse(arg);

    if (enc == AUDIO_ENC_DEFAULT)
        return cli_usage_error("%s: unknown encoding '%s' (s16, s24, s32, "
                               "f32, ulaw, alaw, u8)", opt, arg);
    *out = enc;
    return IVR_OK;
}

int cli_audio_check(const audio_read_opts *ro)
{
    if (ro->raw_encoding != AUDIO_ENC_DEFAULT && ro->raw_rate == 0)
        return cli_usage_error("--raw-encoding needs --raw-rate");
    return IVR_OK;
}

void cli_json_string(const char *s)
{
    transcript_json_string(stdout, s);
}

void cli_print_version(void)
{
    const char *src = src_get_version();  /* "libsamplerate-0.2.2 (c) ..." */
    int len = (int)strcspn(src, " ");

    printf("%s (ivrkit) %s\n", progname, IVR_VERSION);
    printf("%s, %.*s\n", sf_version_string(), len, src);
}

int cli_list_devices(void)
{
    device_info *list;
    ivr_error err;
    int n, i;

    if (device_list(&list, &n, &err) != IVR_OK)
        return cli_report(&err);
    if (n == 0)
        printf("no sound devices\n");
    for (i = 0; i < n; i++)
        printf("%3d  in %d  out %d  %6.0f Hz  %-8s %s%s%s\n", list[i].index,
               list[i].inputs, list[i].outputs, list[i].rate, list[i].api,
               list[i].name, list[i].default_input ? "  (default input)" : "",
               list[i].default_output ? "  (default output)" : "");
    free(list);
    return IVR_OK;
}

int cli_play(const float *x, size_t n, int rate, const char *device)
{
    ivr_error err;
    audio_device *d = device_open(0, NULL, 1, device, rate, &err);
    int rc;

    if (!d)
        return cli_report(&err);
    rc = device_write(d, x, n, &err);
    if (rc == IVR_OK)
        rc = device_drain(d, &err);
    device_close(d);
    return rc == IVR_OK ? IVR_OK : cli_report(&err);
}

int cli_parse_duration(const char *opt, const char *arg, double *secs)
{
    double ms;

    switch (menu_duration(arg, &ms)) {
    case -2:            /* a bare number: seconds */
        ms *= 1000.0;
        /* fall through */
    case 0:
        if (ms > 0) {
            *secs = ms / 1000.0;
            return IVR_OK;
        }
    }
    return cli_usage_error("%s: '%s' is not a duration (such as 90s, 10m, "
                           "1h or 1m30s)", opt, arg);
}

int cli_finish_output(audio_writer *w, const char *path, int status,
                      ivr_error *err)
{
    if (cli_interrupted()) {
        audio_writer_abort(w);
        cli_error("interrupted: %s not written", path);
        return 128 + cli_interrupted();
    }
    if (status != IVR_OK) {
        audio_writer_abort(w);
        return cli_report(err);
    }
    if (audio_writer_close(w, err) != IVR_OK)
        return cli_report(err);
    return IVR_OK;
}

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
    interrupted = sig;
}

void cli_catch_interrupts(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cli_interrupted(void)
{
    return interrupted;
}

int cli_listen(const char *device, int rate, double seconds, cli_chunk_fn fn,
               void *user)
{
    size_t chunk = (size_t)rate / 50;
    float *x = malloc(chunk * sizeof *x);
    double heard = 0;
    struct sigaction sa, old_int, old_term;
    ivr_error err;
    audio_device *d;
    long over, under;
    int rc = IVR_OK;

    if (!x) {
        cli_error("out of memory");
        return IVR_EINTERNAL;
    }
    if (!(d = device_open(1, device, 0, NULL, rate, &err))) {
        free(x);
        return cli_report(&err);
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    interrupted = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    while (!interrupted && (seconds <= 0 || heard < seconds)) {
        if (device_read(d, x, chunk, &err) != IVR_OK) {
            rc = cli_report(&err);
            break;
        }
        heard += (double)chunk / rate;
        if (fn(x, chunk, user) != 0)
            break;
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    device_xruns(d, &over, &under);
    if (over)
        cli_warn("%s: %ld input over-runs (audio was lost)",
                 device_input_name(d), over);
    device_close(d);
    free(x);
    return rc;
}

int cli_mic_option(int c, const char *arg, cli_mic *m)
{
    switch (c) {
    case CLI_OPT_MIC:
        m->on = 1;
        return IVR_OK;
    case 'd':
        m->device = arg;
        return IVR_OK;
    case CLI_OPT_MAX_DURATION:
        return cli_parse_duration("--max-duration", arg, &m->seconds);
    case CLI_OPT_LIST_DEVICES:
        m->done = 1;
        return cli_list_devices();
    }
    return -1;
}

int cli_input_option(int c, const char *arg, cli_mic *m,
                     audio_read_opts *ro)
{
    int status = cli_mic_option(c, arg, m);

    return status < 0 ? cli_audio_option(c, arg, ro) : status;
}

char *cli_gather_text(int argc, char **argv, int first, size_t max)
{
    size_t len = 0, cap = 0;
    char *text = NULL;
    int i;

    if (first < argc) {
        for (i = first; i < argc; i++)
            cap += strlen(argv[i]) + 1;
        text = malloc(cap + 1);
        if (!text)
            return NULL;
        text[0] = '\0';
        for (i = first; i < argc; i++) {
            if (i > first)
                strcat(text, " ");
            strcat(text, argv[i]);
        }
        return text;
    }
    cap = 4096;
    text = malloc(cap);
    while (text) {
        size_t got = fread(text + len, 1, cap - len - 1, stdin);
        len += got;
        if (got == 0 || len >= max)
            break;
        if (len + 1 == cap) {
            char *more = realloc(text, cap * 2);
            if (!more) {
                free(text);
                return NULL;
            }
            text = more;
            cap *= 2;
        }
    }
    if (text) {
        /* a NUL would end the text early (or leave it empty): marked
         * instead, as the control character it is, for the check that
         * refuses binary input to name its place */
        char *nul;
        while ((nul = memchr(text, '\0', len)))
            *nul = 0x7F;
        text[len] = '\0';
    }
    return text;
}
