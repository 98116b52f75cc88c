/*
 * fs.h: paths and folders: where the toolkit keeps its files for a user
 * (prompt cache, settings, the SMS and coupon record, console history), and
 * names relative to the file that names them.
 */
#ifndef IVR_FS_H
#define IVR_FS_H

#include <stddef.h>

/* The XDG base directories the toolkit uses. */
typedef enum fs_base {
    FS_CACHE,   /* $XDG_CACHE_HOME, else ~/.cache */
    FS_CONFIG,  /* $XDG_CONFIG_HOME, else ~/.config */
    FS_DATA,    /* $XDG_DATA_HOME, else ~/.local/share */
    FS_STATE    /* $XDG_STATE_HOME, else ~/.local/state */
} fs_base;

/* base/ivrkit/leaf into out. As the XDG spec says, a variable that is not
 * an absolute path is ignored; without $HOME the password database names
 * the home folder. 0, or -1 with errno set (no home, or out too small). */
int fs_user_path(fs_base base, const char *leaf, char *out, size_t size);

/* name relative to dir ("" for the working directory), unless absolute;
 * malloc'ed, NULL when out of memory. */
char *fs_join_path(const char *dir, const char *name);

/* Makes dir and any missing parents. 0, or -1 with errno set. */
int fs_make_dirs(const char *dir);

/* Makes the folders a file's path lives in. 0, or -1 with errno set. */
int fs_make_parents(const char *file);

#endif
