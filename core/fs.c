/*
 * fs.c: mkdir -p, the user's folders, relative names.
 */
#include "fs.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

char *fs_join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);

    if (!path)
        return NULL;
    if (name[0] == '/' || !*dir)
        snprintf(path, n, "%s", name);
    else
        snprintf(path, n, "%s/%s", dir, name);
    return path;
}

int fs_user_path(fs_base base, const char *leaf, char *out, size_t size)
{
    static const struct {
        const char *var, *fallback;
    } bases[] = {
        [FS_CACHE] = {"XDG_CACHE_HOME", ".cache"},
        [FS_CONFIG] = {"XDG_CONFIG_HOME", ".config"},
        [FS_DATA] = {"XDG_DATA_HOME", ".local/share"},
        [FS_STATE] = {"XDG_STATE_HOME", ".local/state"},
    };
    const char *xdg = getenv(bases[base].var), *home = getenv("HOME");
    int n;

    if (xdg && *xdg == '/') {
        n = snprintf(out, size, "%s/ivrkit/%s", xdg, leaf);
    } else {
        if (!home || !*home) {
            const struct passwd *pw = getpwuid(getuid());
            home = pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : NULL;
        }
        if (!home) {
            errno = ENOENT;
            return -1;
        }
        n = snprintf(out, size, "%s/%s/ivrkit/%s", home,
                     bases[base].fallback, leaf);
    }
    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}
