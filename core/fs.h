/*
 * fs.h: folders for the files the toolkit keeps (prompt cache, SMS and
 * coupon database, console history).
 */
#ifndef IVR_FS_H
#define IVR_FS_H

/* Makes dir and any missing parents. 0, or -1 with errno set. */
int fs_make_dirs(const char *dir);

/* Makes the folders a file's path lives in. 0, or -1 with errno set. */
int fs_make_parents(const char *file);

#endif
