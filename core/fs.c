/*
 * fs.c: mkdir -p.
 */
#include "fs.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

int fs_make_dirs(const char *dir)
{
    char path[4096];
    size_t i, len = strlen(dir);

    if (len == 0 || len >= sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(path, dir, len + 1);
    for (i = 1; i <= len; i++) {
        if (path[i] == '/' || path[i] == '\0') {
            char saved = path[i];
            path[i] = '\0';
            if (mkdir(path, 0755) != 0 && errno != EEXIST)
                return -1;
            path[i] = saved;
        }
    }
    return 0;
}

int fs_make_parents(const char *file)
{
    char dir[4096];
    char *slash;
    size_t len = strlen(file);

    if (len >= sizeof dir) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(dir, file, len + 1);
    slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    return fs_make_dirs(dir);
}
