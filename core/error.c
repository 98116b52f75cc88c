/* error.c: the error record shared by every core module. */
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ivr_error_set(ivr_error *err, int status, const char *fmt, ...)
{
    int saved_errno = errno;
    va_list ap;
    size_t len;

    if (!err)
        return status;
    err->status = status;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    len = strlen(err->message);
    if (len > 0 && err->message[len - 1] == ':')
        snprintf(err->message + len, sizeof err->message - len, " %s",
                 strerror(saved_errno));
    return status;
}

void ivr_error_clear(ivr_error *err)
{
    if (!err)
        return;
    err->status = IVR_OK;
    err->message[0] = '\0';
}

const char *ivr_status_name(int status)
{
    switch (status) {
    case IVR_OK: return "success";
    case IVR_EFAIL: return "check failed";
    case IVR_EUSAGE: return "usage error";
    case IVR_EINPUT: return "bad input";
    case IVR_EMISSING: return "missing device or model";
    case IVR_EOUTPUT: return "cannot write output";
    case IVR_EINTERNAL: return "internal error";
    default: return "unknown status";
    }
}
