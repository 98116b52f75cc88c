/* fs_output.c: outputs written beside their target, then renamed. */
#include "fs_output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Past this many characters the temporary gets a short name of its own:
 * ".NAME.XXXXXX" must itself fit the file system's 255. */
#define LONGEST_NAMED_TMP 200

static mode_t new_file_mode(void)
{
    mode_t mask = umask(0);

    umask(mask);
    return 0666 & ~mask;
}

int fs_output_open(fs_output *o, const char *path, int overwrite,
                   ivr_error *err)
{
    struct stat st, lst;
    const char *target = path, *slash, *base;
    char real[PATH_MAX];
    size_t dirlen;
    mode_t mode;

    memset(o, 0, sizeof o[0]);
    o->fd = -1;
    o->overwrite = overwrite;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode))
            return ivr_error_set(err, IVR_EOUTPUT, "%s: is a folder", path);
        /* a device or a FIFO: written into, never replaced */
        o->fd = open(path, O_WRONLY | O_CLOEXEC);
        if (o->fd < 0 || !(o->path = strdup(path))) {
            fs_output_abort(o, 1);
            return ivr_error_set(err, IVR_EOUTPUT, "%s:", path);
        }
        o->seekable = lseek(o->fd, 0, SEEK_CUR) == 0 && !S_ISFIFO(st.st_mode);
        return IVR_OK;
    }
    if (lstat(path, &lst) == 0) {
        if (!overwrite)
            return ivr_error_set(err, IVR_EOUTPUT, "%s: exists; not replacing "
                                 "it", path);
        if (S_ISLNK(lst.st_mode)) {
            /* the link stays; the file it names is replaced */
            if (!realpath(path, real))
                return ivr_error_set(err, IVR_EOUTPUT, "%s: a link to "
                                     "nothing; not replacing it", path);
            target = real;
        }
    }
    mode = stat(target, &st) == 0 ? st.st_mode & 07777 : new_file_mode();
    slash = strrchr(target, '/');
    dirlen = slash ? (size_t)(slash - target) + 1 : 0;
    base = target + dirlen;
    o->path = strdup(target);
    o->tmp = malloc(dirlen + 32 + (strlen(base) <= LONGEST_NAMED_TMP
                                   ? strlen(base) : 0));
    if (!o->path || !o->tmp) {
        fs_output_abort(o, 0);
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    }
    if (strlen(base) <= LONGEST_NAMED_TMP)
        sprintf(o->tmp, "%.*s.%s.XXXXXX", (int)dirlen, target, base);
    else
        sprintf(o->tmp, "%.*s.ivrkit-output.XXXXXX", (int)dirlen, target);
    o->fd = mkstemp(o->tmp);
    if (o->fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        fs_output_abort(o, 0);
        errno = e;
        return ivr_error_set(err, IVR_EOUTPUT, "%s:", path);
    }
    fchmod(o->fd, mode);
    o->seekable = 1;
    return IVR_OK;
}

int fs_output_commit(fs_output *o, ivr_error *err)
{
    int status = IVR_OK;

    o->fd = -1;
    if (o->tmp) {
        if (o->overwrite ? rename(o->tmp, o->path) != 0
                         /* link() refuses a file that appeared meanwhile */
                         : link(o->tmp, o->path) != 0)
            status = ivr_error_set(err, IVR_EOUTPUT, "%s:", o->path);
    }
    fs_output_abort(o, 0);
    return status;
}

void fs_output_abort(fs_output *o, int close_fd)
{
    if (close_fd && o->fd >= 0)
        close(o->fd);
    o->fd = -1;
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
}
