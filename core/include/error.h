/*
 * error.h: status codes and the error record every core module fills.
 *
 * A status is also the exit code of every ivr-* command, so one number means
 * the same thing in a library call, in a script's $? and in the man pages.
 * The values are stable: add new ones at the end, never renumber.
 */
#ifndef IVR_ERROR_H
#define IVR_ERROR_H

enum ivr_status {
    IVR_OK = 0,          /* success */
    IVR_EFAIL = 1,       /* ran, but a check or expectation failed */
    IVR_EUSAGE = 2,      /* bad command line */
    IVR_EINPUT = 3,      /* bad input: file, format, value inside a file */
    IVR_EMISSING = 4,    /* a device, model or package is missing */
    IVR_EOUTPUT = 5,     /* cannot write an output */
    IVR_EINTERNAL = 6    /* out of memory or a bug */
};

#define IVR_ERROR_MAX 512

/* Filled by a failing call; callers may pass NULL when they only want the
 * status. The message is one line without a trailing newline and names the
 * file, option or value at fault. */
typedef struct ivr_error {
    int status;
    char message[IVR_ERROR_MAX];
} ivr_error;

/* Records status and a printf-style message in err (when err is not NULL)
 * and returns status, so a failing path reads `return ivr_error_set(...)`.
 * A format that ends in ':' gets ": strerror(errno)" appended, the sbase
 * convention, so every system error reads the same way. */
int ivr_error_set(ivr_error *err, int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Clears err to IVR_OK and an empty message; NULL is allowed. */
void ivr_error_clear(ivr_error *err);

/* A short fixed description of a status ("bad input", ...). */
const char *ivr_status_name(int status);

#endif
