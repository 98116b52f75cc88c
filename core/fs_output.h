/*
 * fs_output.h: a file the toolkit writes for the user (audio, JUnit, ...),
 * written so that nothing the user has is lost or broken:
 *
 *  - a regular file, or a new one, is written to a temporary file beside
 *    it and takes its name only when complete (renamed over it with
 *    overwrite, linked to it without: a file that appeared meanwhile is
 *    not replaced); an interrupted run leaves the old file as it was;
 *  - a symbolic link keeps pointing where it did: the file it names is
 *    the one replaced;
 *  - a device or a FIFO (/dev/null, a pipe someone reads) is written
 *    straight into and never replaced: as root, renaming a file over
 *    /dev/null breaks the machine;
 *  - a new file's mode follows the umask; a replaced file keeps its mode.
 */
#ifndef IVR_FS_OUTPUT_H
#define IVR_FS_OUTPUT_H

#include "error.h"

typedef struct fs_output {
    int fd;             /* write here */
    int seekable;       /* a file, not a FIFO */
    char *path;         /* the file named (a link resolved) */
    char *tmp;          /* the temporary, or NULL when written straight */
    int overwrite;
} fs_output;

/* Opens path for writing. An existing regular file is IVR_EOUTPUT ("exists;
 * not replacing it") unless overwrite; a folder is IVR_EOUTPUT. */
int fs_output_open(fs_output *o, const char *path, int overwrite,
                   ivr_error *err);

/* After o->fd has been closed by whoever wrote into it: gives the file its
 * name. IVR_EOUTPUT when that fails (the temporary is removed). */
int fs_output_commit(fs_output *o, ivr_error *err);

/* Drops what was written (the temporary; a device keeps what it got);
 * closes o->fd when close_fd. */
void fs_output_abort(fs_output *o, int close_fd);

#endif
