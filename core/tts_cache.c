/*
 * tts_cache.c: one file per prompt, named by a 128-bit hash of its key:
 *
 *   "IVRTTS01"  magic
 *   u32         key length, then the key itself (a hash match is checked
 *               against it, so a collision is a miss, never a wrong prompt)
 *   u64         sample count, then the samples as float32
 *   u32         CRC-32 of everything before it
 *
 * Native byte order: the cache belongs to one machine.
 */
#include "tts_cache.h"
#include "fs.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MAGIC "IVRTTS01"
#define MAX_SAMPLES (1u << 28) /* 9 hours at 8 kHz: anything more is damage */

/* CRC-32 (IEEE) by zlib, which folds with carry-less multiplies where the
 * CPU has them; the byte-at-a-time table it replaced cost 1.3% of a call.
 * The value is the same, so entries written before still check. */
static uint32_t crc32_update(uint32_t crc, const void *data, size_t n)
{
    const unsigned char *p = data;

    /* zlib takes lengths as uInt: a long entry goes in slices */
    while (n > 0) {
        uInt part = n > 0x40000000u ? 0x40000000u : (uInt)n;
        crc = (uint32_t)crc32(crc, p, part);
        p += part;
        n -= part;
    }
    return crc;
}

/* Two independent 64-bit FNV-1a variants: a 128-bit name. */
static void entry_path(const char *dir, const char *key, char *out,
                       size_t size)
{
    uint64_t a = 0xcbf29ce484222325ull, b = 0x84222325cbf29ce4ull;
    const unsigned char *p = (const unsigned char *)key;

    for (; *p; p++) {
        a = (a ^ *p) * 0x100000001b3ull;
        b = (b ^ *p) * 0x100000001b3ull;
        b ^= b >> 29;
    }
    snprintf(out, size, "%s/%016llx%016llx.prompt", dir, (unsigned long long)a,
             (unsigned long long)b);
}

int tts_cache_prepare(const char *dir)
{
    if (fs_make_dirs(dir) != 0)
        return -1;
    /* the directory may exist yet refuse writes */
    return access(dir, W_OK | X_OK);
}

int tts_cache_get(const char *dir, const char *key, float **samples,
                  size_t *n)
{
    char path[4200], magic[8];
    FILE *f;
    uint32_t key_len, crc_file, crc = 0;
    uint64_t count;
    char *stored = NULL;
    float *x = NULL;
    size_t klen = strlen(key);

    entry_path(dir, key, path, sizeof path);
    f = fopen(path, "rb");
    if (!f)
        return 0;
    if (fread(magic, 1, 8, f) != 8 || memcmp(magic, MAGIC, 8) ||
        fread(&key_len, 4, 1, f) != 1 || key_len > (1u << 24))
        goto damaged;
    stored = malloc(key_len + 1u);
    if (!stored || fread(stored, 1, key_len, f) != key_len)
        goto damaged;
    if (key_len != klen || memcmp(stored, key, klen)) {
        /* another prompt with the same hash: a miss, not damage */
        free(stored);
        fclose(f);
        return 0;
    }
    if (fread(&count, 8, 1, f) != 1 || count > MAX_SAMPLES)
        goto damaged;
    x = malloc((size_t)(count ? count : 1) * sizeof *x);
    if (!x || fread(x, sizeof *x, (size_t)count, f) != count ||
        fread(&crc_file, 4, 1, f) != 1 || fgetc(f) != EOF)
        goto damaged;
    crc = crc32_update(crc, MAGIC, 8);
    crc = crc32_update(crc, &key_len, 4);
    crc = crc32_update(crc, stored, key_len);
    crc = crc32_update(crc, &count, 8);
    crc = crc32_update(crc, x, (size_t)count * sizeof *x);
    if (crc != crc_file)
        goto damaged;
    free(stored);
    fclose(f);
    *samples = x;
    *n = (size_t)count;
    return 1;
damaged:
    free(stored);
    free(x);
    fclose(f);
    unlink(path);
    return -1;
}

int tts_cache_length(const char *dir, const char *key, size_t *n)
{
    char path[4200], magic[8];
    FILE *f;
    uint32_t key_len;
    uint64_t count;
    char *stored = NULL;
    size_t klen = strlen(key);
    struct stat st;
    int hit = 0;

    entry_path(dir, key, path, sizeof path);
    if (!(f = fopen(path, "rb")))
        return 0;
    if (fread(magic, 1, 8, f) == 8 && !memcmp(magic, MAGIC, 8) &&
        fread(&key_len, 4, 1, f) == 1 && key_len == klen &&
        (stored = malloc(klen + 1u)) && fread(stored, 1, klen, f) == klen &&
        !memcmp(stored, key, klen) && fread(&count, 8, 1, f) == 1 &&
        count <= MAX_SAMPLES && fstat(fileno(f), &st) == 0 &&
        (uint64_t)st.st_size == 8 + 4 + klen + 8 + count * 4 + 4) {
        *n = (size_t)count;
        hit = 1;
    }
    free(stored);
    fclose(f);
    return hit;
}

int tts_cache_put(const char *dir, const char *key, const float *samples,
                  size_t n)
{
    char path[4200], tmp[4200];
    uint32_t key_len = (uint32_t)strlen(key), crc = 0;
    uint64_t count = n;
    FILE *f;
    int fd, saved;

    entry_path(dir, key, path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s/.tmp.XXXXXX", dir);
    fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    fchmod(fd, 0644);
    f = fdopen(fd, "wb");
    if (!f) {
        saved = errno;
        close(fd);
        unlink(tmp);
        errno = saved;
        return -1;
    }
    crc = crc32_update(crc, MAGIC, 8);
    crc = crc32_update(crc, &key_len, 4);
    crc = crc32_update(crc, key, key_len);
    crc = crc32_update(crc, &count, 8);
    crc = crc32_update(crc, samples, n * sizeof *samples);
    if (fwrite(MAGIC, 1, 8, f) != 8 || fwrite(&key_len, 4, 1, f) != 1 ||
        fwrite(key, 1, key_len, f) != key_len || fwrite(&count, 8, 1, f) != 1 ||
        (n && fwrite(samples, sizeof *samples, n, f) != n) ||
        fwrite(&crc, 4, 1, f) != 1 || fflush(f) != 0) {
        saved = errno;
        fclose(f);
        unlink(tmp);
        errno = saved;
        return -1;
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        saved = errno;
        unlink(tmp);
        errno = saved;
        return -1;
    }
    return 0;
}
