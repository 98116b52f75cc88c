/* cli.c: messages, option values and --version for the ivr-* commands. */
#include "cli.h"
#include "transcript.h"

#include <errno.h>
#include <getopt.h>
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

void cli_init(const char *name)
{
    const char *slash = strrchr(name, '/');
    progname = slash ? slash + 1 : name;
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

int cli_bad_option(int c, char *const *argv)
{
    const char *arg = argv[optind - 1];

    if (c == ':')
        return cli_usage_error("option '%s' needs a value", arg);
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
