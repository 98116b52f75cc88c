/*
 * fuzz_io.h: what the harnesses share: the fuzzer's bytes as a file, for
 * the loaders that read paths. One file per process, rewritten each run.
 */
#ifndef IVR_FUZZ_IO_H
#define IVR_FUZZ_IO_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes data to a file of this process named with suffix; its path. */
static inline const char *fuzz_file(const uint8_t *data, size_t size,
                             const char *suffix)
{
    static char path[256];
    FILE *f;

    snprintf(path, sizeof path, "/tmp/ivr-fuzz-%d%s", (int)getpid(), suffix);
    f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    return path;
}

/* The bytes as a C string (NUL-terminated, malloc'ed). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
