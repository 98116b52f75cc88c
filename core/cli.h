/*
 * cli.h: what every ivr-* command does the same way: messages prefixed with
 * the command's name, option values checked with the option named in the
 * error, --version, and exit codes (the ivr_status values of error.h).
 *
 * Messages are one line on standard error: "ivr-dtmf: call.wav: empty file".
 */
#ifndef IVR_CLI_H
#define IVR_CLI_H

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

/* Prints "prog (ivrkit) VERSION" and the versions of the libraries linked,
 * to stdout. */
void cli_print_version(void);

#endif
