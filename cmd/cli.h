/*
 * cli.h: what every ivr-* command does the same way: messages prefixed with
 * the command's name, option values checked with the option named in the
 * error, --version, and exit codes (the ivr_status values of error.h).
 *
 * Messages are one line on standard error: "ivr-dtmf: call.wav: empty file".
 */
#ifndef IVR_CLI_H
#define IVR_CLI_H

#include "audio.h"
#include "error.h"

#if defined(__GNUC__)
#define IVR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define IVR_PRINTF(a, b)
#endif

/* Sets the name used in messages (the basename of argv[0] is fine). */
void cli_init(const char *progname);
const char *cli_progname(void);

/* "prog: message" on stderr. */
void cli_error(const char *fmt, ...) IVR_PRINTF(1, 2);
/* "prog: message" on stderr: what a command found out and the user must
 * know, besides its output (not an error). */
void cli_note(const char *fmt, ...) IVR_PRINTF(1, 2);
/* "prog: warning: message" on stderr. */
void cli_warn(const char *fmt, ...) IVR_PRINTF(1, 2);
/* Prints err's message ("prog: message") and returns its status. */
int cli_report(const ivr_error *err);

/* "prog: message" and a pointer to --help, for a bad command line; returns
 * IVR_EUSAGE so that callers can `return cli_usage_error(...)`. */
int cli_usage_error(const char *fmt, ...) IVR_PRINTF(1, 2);

/* For getopt_long run with opterr = 0 and an optstring that starts with
 * ':': reports the option getopt just refused (c is what it returned:
 * '?' unknown, ':' value missing) as a usage error; returns IVR_EUSAGE. */
int cli_bad_option(int c, char *const *argv);

/* Parses arg, the value of option opt ("--level"), as a number within
 * [min, max]. On error prints a usage error naming the option and returns
 * IVR_EUSAGE; out is untouched. */
int cli_parse_double(const char *opt, const char *arg, double min, double max,
                     double *out);
int cli_parse_int(const char *opt, const char *arg, long min, long max,
                  long *out);

/* The options of every command that reads sound files, for its
 * getopt_long table (which must include <getopt.h>): --channel (-c),
 * --raw-rate, --raw-encoding, --raw-channels. cli_audio_option() takes the
 * code getopt returned: IVR_OK when it was one of these and its value is
 * good, IVR_EUSAGE (message printed) when the value is bad, -1 when c is
 * not an audio option. cli_audio_check() runs after all options. */
enum {
    CLI_OPT_RAW_RATE = 1000,
    CLI_OPT_RAW_ENCODING,
    CLI_OPT_RAW_CHANNELS
};
#define CLI_AUDIO_OPTIONS                                             \
    {"channel", required_argument, 0, 'c'},                           \
    {"raw-rate", required_argument, 0, CLI_OPT_RAW_RATE},             \
    {"raw-encoding", required_argument, 0, CLI_OPT_RAW_ENCODING},     \
    {"raw-channels", required_argument, 0, CLI_OPT_RAW_CHANNELS}
#define CLI_AUDIO_HELP                                                   \
    "  -c, --channel N          use channel N of a multi-channel file\n" \
    "                           (1 = left; default: mix all channels)\n" \
    "      --raw-rate HZ        headerless input at this rate\n"          \
    "      --raw-encoding ENC   headerless input encoding (s16)\n"        \
    "      --raw-channels N     headerless input channels (1)\n"
int cli_audio_option(int c, const char *arg, audio_read_opts *ro);
int cli_audio_check(const audio_read_opts *ro);

/* Writes s as a JSON string, quoted and escaped, to stdout. */
void cli_json_string(const char *s);

/* Checks the --output of a command that writes audio: given, and not a
 * terminal when it is '-'. context ("gen: " or "") starts the message of
 * the usage error; returns IVR_OK or IVR_EUSAGE. */
int cli_check_audio_output(const char *context, const char *output);

/* Ends an audio output opened with audio_writer_open: whole, or not at all
 * (status an error, or Ctrl-C came: an existing file stays as it was).
 * Returns the exit status, the error reported (err: status's). */
int cli_finish_output(audio_writer *w, const char *path, int status,
                      ivr_error *err);

/* Parses arg as a sample encoding for option opt ("--encoding"): IVR_OK,
 * or IVR_EUSAGE with a message listing the encodings. */
int cli_parse_encoding(const char *opt, const char *arg, audio_encoding *out);

/* Prints "prog (ivrkit) VERSION" and the versions of the libraries linked,
 * to stdout. */
void cli_print_version(void);

/* The words argv[first..] joined by spaces or, without any, standard input
 * (at most about max bytes of it): malloc'ed, NULL when out of memory. */
char *cli_gather_text(int argc, char **argv, int first, size_t max);

/* "90s", "10m", "1h", "500ms", or seconds: *secs > 0; a usage error
 * naming opt otherwise. */
int cli_parse_duration(const char *opt, const char *arg, double *secs);

/* --mic, --device, --max-duration, --list-devices: listening commands
 * share them. cli_mic_option() returns -1 when c is not one of them, else
 * a status; with --list-devices it lists them and sets m->done. */
enum {
    CLI_OPT_MIC = 1100,
    CLI_OPT_MAX_DURATION,
    CLI_OPT_LIST_DEVICES
};
#define CLI_MIC_OPTIONS                                               \
    {"mic", no_argument, 0, CLI_OPT_MIC},                             \
    {"device", required_argument, 0, 'd'},                            \
    {"max-duration", required_argument, 0, CLI_OPT_MAX_DURATION},     \
    {"list-devices", no_argument, 0, CLI_OPT_LIST_DEVICES}
#define CLI_MIC_HELP                                                        \
    "      --mic                listen to the microphone instead of files\n" \
    "  -d, --device NAME        the input device for --mic\n"                \
    "      --max-duration TIME  stop listening after TIME (default: Ctrl-C)\n"\
    "      --list-devices       list the sound devices and exit\n"
typedef struct cli_mic {
    int on, done;
    const char *device;
    double seconds;
} cli_mic;
int cli_mic_option(int c, const char *arg, cli_mic *m);
/* A listening command's input options: the microphone's, then the audio
 * file's (cli_audio_option). -1 when c is neither. */
int cli_input_option(int c, const char *arg, cli_mic *m,
                     audio_read_opts *ro);

/* Reads the microphone (device NULL: the default) in 20 ms chunks at rate
 * and hands each to fn, until seconds have passed (0: until Ctrl-C) or fn
 * returns non-zero; over-runs are reported at the end. Returns an exit
 * status, the error reported. */
typedef int (*cli_chunk_fn)(const float *x, size_t n, void *user);
/* Ctrl-C and SIGTERM no longer kill the command: they set a flag that its
 * loop checks (cli_interrupted: the signal, or 0), so that it can finish
 * or remove what it was writing. Only for commands whose loops check. */
void cli_catch_interrupts(void);
int cli_interrupted(void);

int cli_listen(const char *device, int rate, double seconds, cli_chunk_fn fn,
               void *user);

/* --list-devices: the sound devices, one a line; returns an exit status. */
int cli_list_devices(void);

/* Plays n samples at rate on the output device named (NULL: the default)
 * and waits until they have been heard; returns an exit status, the error
 * reported. */
int cli_play(const float *x, size_t n, int rate, const char *device);

#endif
