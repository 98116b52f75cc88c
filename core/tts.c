/* tts.c: flite voices, synthesis at any rate, and the prompt cache. */
#include "tts.h"
#include "fs.h"
#include "audio.h"
#include "tts_cache.h"
#include "flite_api.h"
#include "lazy.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <flite/flite_version.h>
#include <stdarg.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Each voice is a library of its own (1 to 8 MB of data and relocations),
 * loaded the first time it speaks: a command whose prompts are all in the
 * cache, or that speaks with one voice, does not load the others. The
 * function that registers a voice has no header. */
static const struct {
    const char *name, *library, *register_fn, *about;
} builtin[] = {
    {"slt", "libflite_cmu_us_slt.so.1", "register_cmu_us_slt",
     "US English female, 16 kHz"},
    {"rms", "libflite_cmu_us_rms.so.1", "register_cmu_us_rms",
     "US English male, 16 kHz"},
    {"awb", "libflite_cmu_us_awb.so.1", "register_cmu_us_awb",
     "Scottish English male, 16 kHz"},
    {"kal", "libflite_cmu_us_kal.so.1", "register_cmu_us_kal",
     "US English male, diphone, 8 kHz"},
    {"kal16", "libflite_cmu_us_kal16.so.1", "register_cmu_us_kal16",
     "US English male, diphone, 16 kHz"},
    {"awb_time", "libflite_cmu_time_awb.so.1", "register_cmu_time_awb",
     "speaks clock times only, 16 kHz"},
};
#define NBUILTIN (sizeof builtin / sizeof builtin[0])

static cst_voice *loaded[NBUILTIN];

const char *const *tts_voice_names(void)
{
    static const char *names[NBUILTIN + 1];
    size_t i;

    for (i = 0; i < NBUILTIN; i++)
        names[i] = builtin[i].name;
    return names;
}

const char *tts_voice_description(const char *name)
{
    size_t i;

    for (i = 0; i < NBUILTIN; i++)
        if (!strcmp(name, builtin[i].name))
            return builtin[i].about;
    return NULL;
}

struct tts_engine {
    cst_voice *voice;     /* NULL until a built-in voice is first needed */
    int builtin;          /* its index in builtin[], or -1 for a file */
    char *voice_name;
    char *voice_id;       /* what goes into the cache key */
    int rate;
    double speed;
    char *cache_dir;      /* NULL: no cache */
    char warning[512];
    int has_warning;
};

/* flite keeps its voices and languages in globals, and a synthesis sets
 * the shared voice's speed: calls answered on threads of their own
 * (ivr-sim --sip-listen) take turns here. A prompt is synthesised once
 * and then cached, so the turns are short. */
static pthread_mutex_t flite_lock = PTHREAD_MUTEX_INITIALIZER;

/* flite itself, loaded and set up the first time a voice is needed (with
 * flite_lock held): IVR_OK, or IVR_EMISSING naming the package. */
static int flite_once(ivr_error *err)
{
    static int done;
    int status;

    if (!done) {
        if ((status = flite_api_load(err)) != IVR_OK)
            return status;
        flite_api.init();
        /* for .flitevox files, which name their language and lexicon */
        flite_api.add_lang("eng", flite_api.usenglish_init,
                           flite_api.cmu_lex_init);
        flite_api.add_lang("usenglish", flite_api.usenglish_init,
                           flite_api.cmu_lex_init);
        done = 1;
    }
    return IVR_OK;
}

/* flite's phones that the CMU set (pocketsphinx's) names otherwise */
static const char *cmu_phone(const char *p)
{
    static const char *const cmu[] = {
        "AA", "AE", "AH", "AO", "AW", "AY", "B",  "CH", "D",  "DH",
        "EH", "ER", "EY", "F",  "G",  "HH", "IH", "IY", "JH", "K",
        "L",  "M",  "N",  "NG", "OW", "OY", "P",  "R",  "S",  "SH",
        "T",  "TH", "UH", "UW", "V",  "W",  "Y",  "Z",  "ZH"};
    char up[3];
    size_t i, n = strcspn(p, "0123456789");

    if (!strncmp(p, "ax", n) && n == 2)
        return "AH";
    if (!strncmp(p, "axr", n) && n == 3)
        return "ER";
    if (n == 0 || n > 2)
        return NULL;
    for (i = 0; i < n; i++)
        up[i] = (char)toupper((unsigned char)p[i]);
    up[n] = '\0';
    for (i = 0; i < sizeof cmu / sizeof *cmu; i++)
        if (!strcmp(up, cmu[i]))
            return cmu[i];
    return NULL;
}

int tts_word_phones(const char *word, char *out, size_t size, ivr_error *err)
{
    static const cst_lexicon *lex;
    const cst_val *v;
    cst_val *phones;
    size_t len = 0;
    const char *c;
    int status = IVR_OK;

    out[0] = '\0';
    for (c = word; *c; c++)
        if (!islower((unsigned char)*c) && *c != '\'')
            return ivr_error_set(err, IVR_EINPUT, "'%s': not a word of "
                                 "letters", word);
    if (!*word)
        return ivr_error_set(err, IVR_EINPUT, "an empty word");
    pthread_mutex_lock(&flite_lock);
    if ((status = flite_once(err)) == IVR_OK) {
        if (!lex)
            lex = flite_api.cmu_lex_init();
        phones = flite_api.lex_lookup(lex, word, NULL, NULL);
        for (v = phones; v && status == IVR_OK; v = flite_api.val_cdr(v)) {
            const char *p = cmu_phone(flite_api.val_string(flite_api.val_car(v)));
            if (!p)
                status = ivr_error_set(err, IVR_EINPUT, "'%s': flite says it "
                                       "with a phone the recogniser lacks",
                                       word);
            else if (len + strlen(p) + 2 > size)
                status = ivr_error_set(err, IVR_EINPUT, "'%s': its phones "
                                       "take more than %zu bytes", word, size);
            else
                len += (size_t)snprintf(out + len, size - len, "%s%s",
                                        len ? " " : "", p);
        }
        if (phones)
            flite_api.delete_val(phones);
        if (status == IVR_OK && len == 0)
            status = ivr_error_set(err, IVR_EINPUT, "'%s': flite says "
                                   "nothing for it", word);
    }
    pthread_mutex_unlock(&flite_lock);
    return status;
}

static int is_voice_file(const char *v)
{
    size_t n = strlen(v);
    return strchr(v, '/') || (n > 9 && !strcmp(v + n - 9, ".flitevox"));
}

static int load_voice(tts_engine *t, const char *name, ivr_error *err)
{
    char id[PATH_MAX + 64], list[256] = "";
    struct stat st;
    size_t i;

    if (is_voice_file(name)) {
        char real[PATH_MAX];
        if (stat(name, &st) != 0)
            return ivr_error_set(err, IVR_EINPUT, "voice file %s:", name);
        t->voice = flite_api.voice_load(name);
        if (!t->voice)
            return ivr_error_set(err, IVR_EINPUT, "voice file %s: flite "
                                 "cannot load it", name);
        if (!realpath(name, real))
            snprintf(real, sizeof real, "%s", name);
        /* a changed voice file must not hit the old entries */
        snprintf(id, sizeof id, "file:%s:%lld:%lld", real,
                 (long long)st.st_size, (long long)st.st_mtime);
    } else {
        for (i = 0; i < NBUILTIN; i++)
            if (!strcmp(name, builtin[i].name))
                break;
        if (i == NBUILTIN) {
            for (i = 0; i < NBUILTIN; i++) {
                strcat(list, i ? ", " : "");
                strcat(list, builtin[i].name);
            }
            return ivr_error_set(err, IVR_EUSAGE, "unknown voice '%s' "
                                 "(voices: %s; or a .flitevox file)", name,
                                 list);
        }
        /* registered when first needed: a prompt found in the cache
         * needs no voice, and a voice takes tens of milliseconds */
        t->builtin = (int)i;
        snprintf(id, sizeof id, "builtin:%s", name);
    }
    if (!t->voice && t->builtin < 0)
        return ivr_error_set(err, IVR_EINTERNAL, "voice %s did not load",
                             name);
    t->voice_name = strdup(name);
    t->voice_id = strdup(id);
    if (!t->voice_name || !t->voice_id)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    return IVR_OK;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void set_warning(tts_engine *t, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(t->warning, sizeof t->warning, fmt, ap);
    va_end(ap);
    t->has_warning = 1;
}

static void open_cache(tts_engine *t, const char *dir)
{
    char def[PATH_MAX];

    if (dir && !*dir)
        return;
    if (!dir) {
        if (fs_user_path(FS_CACHE, "tts", def, sizeof def) != 0)
            return;
        dir = def;
    }
    if (tts_cache_prepare(dir) != 0) {
        set_warning(t, "prompt cache %s: %s; working without it", dir,
                    strerror(errno));
        return;
    }
    t->cache_dir = strdup(dir);
}

tts_engine *tts_new(const tts_opts *opts, ivr_error *err)
{
    static const tts_opts defaults = {0};
    const tts_opts *o = opts ? opts : &defaults;
    tts_engine *t;
    int voice_file, status;

    if (o->rate && (o->rate < AUDIO_RATE_MIN || o->rate > AUDIO_RATE_MAX)) {
        ivr_error_set(err, IVR_EUSAGE, "rate %d Hz is outside %d..%d",
                      o->rate, AUDIO_RATE_MIN, AUDIO_RATE_MAX);
        return NULL;
    }
    if (o->speed && (o->speed < 0.25 || o->speed > 4.0)) {
        ivr_error_set(err, IVR_EUSAGE, "speed %g is outside 0.25..4",
                      o->speed);
        return NULL;
    }
    t = calloc(1, sizeof *t);
    if (!t) {
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    t->builtin = -1;
    t->rate = o->rate ? o->rate : TTS_DEFAULT_RATE;
    t->speed = o->speed ? o->speed : 1.0;
    /* a built-in voice is only named here: a call's engine made while
     * another call synthesises does not wait for it */
    voice_file = is_voice_file(o->voice ? o->voice : TTS_DEFAULT_VOICE);
    if (voice_file)
        pthread_mutex_lock(&flite_lock);
    status = voice_file ? flite_once(err) : IVR_OK;
    if (status == IVR_OK)
        status = load_voice(t, o->voice ? o->voice : TTS_DEFAULT_VOICE, err);
    if (voice_file)
        pthread_mutex_unlock(&flite_lock);
    if (status != IVR_OK) {
        tts_free(t);
        return NULL;
    }
    open_cache(t, o->cache_dir);
    return t;
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

/* Everything that changes the audio, and the text last. */
static char *cache_key(const tts_engine *t, const char *text)
{
    size_t n = strlen(text) + strlen(t->voice_id) + 128;
    char *key = malloc(n);

    /* "halfband": prompts resampled before the rate halving of
     * audio_resample.c differ a little, and are not reused */
    if (key)
        snprintf(key, n, "flite %s|halfband|voice %s|rate %d|speed %.4f|"
                 "text %s", FLITE_PROJECT_VERSION, t->voice_id, t->rate,
                 t->speed, text);
    return key;
}

/* Built-in voice i, registered on first use (and kept: flite's voices
 * are process-wide). NULL with IVR_EMISSING when its library is not
 * there. */
typedef struct voice_library {
    cst_voice *(*reg)(const char *voxdir);
} voice_library;

static cst_voice *builtin_voice(int i, ivr_error *err)
{
    voice_library fn;
    lazy_symbol sym;

    if (loaded[i])
        return loaded[i];
    sym.name = builtin[i].register_fn;
    sym.offset = offsetof(voice_library, reg);
    if (lazy_load(builtin[i].library, "flite", &sym, 1, &fn, err) != IVR_OK)
        return NULL;
    if (!(loaded[i] = fn.reg(NULL)))
        ivr_error_set(err, IVR_EINTERNAL, "voice %s did not load",
                      builtin[i].name);
    return loaded[i];
}

static int synthesise(tts_engine *t, const char *text, float **samples,
                      size_t *n, ivr_error *err)
{
    cst_wave *w;
    float *x;
    int i, status;

    pthread_mutex_lock(&flite_lock);
    if (flite_once(err) != IVR_OK ||
        (!t->voice && !(t->voice = builtin_voice(t->builtin, err)))) {
        pthread_mutex_unlock(&flite_lock);
        return err ? err->status : IVR_EMISSING;
    }
    flite_api.feat_set_float(t->voice->features, "duration_stretch",
                             (float)(1.0 / t->speed));
    w = flite_api.text_to_wave(text, t->voice);
    pthread_mutex_unlock(&flite_lock);
    if (!w)
        return ivr_error_set(err, IVR_EINTERNAL, "flite could not speak "
                             "the text");
    x = malloc((size_t)(w->num_samples ? w->num_samples : 1) * sizeof *x);
    if (!x) {
        flite_api.delete_wave(w);
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    }
    for (i = 0; i < w->num_samples; i++)
        x[i] = (float)w->samples[i] * (1.0f / 32768.0f);
    status = audio_resample(x, (size_t)w->num_samples, w->sample_rate,
                            t->rate, samples, n, err);
    free(x);
    flite_api.delete_wave(w);
    return status;
}

int tts_speak(tts_engine *t, const char *text, float **samples, size_t *n,
              int *cached, ivr_error *err)
{
    char *key = NULL;
    int status, hit = 0;
    size_t bad;

    *samples = NULL;
    *n = 0;
    if (cached)
        *cached = 0;
    if (blank(text))
        return ivr_error_set(err, IVR_EINPUT, "nothing to say: the text is "
                             "empty");
    if ((bad = utf8_text_check(text)) != 0)
        return ivr_error_set(err, IVR_EINPUT, "the text is not UTF-8 text "
                             "(byte %zu): a binary file?", bad);
    if (t->cache_dir) {
        key = cache_key(t, text);
        if (!key)
            return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        hit = tts_cache_get(t->cache_dir, key, samples, n);
        if (hit < 0)
            set_warning(t, "prompt cache %s: a damaged entry was made "
                        "again", t->cache_dir);
    }
    if (hit == 1) {
        free(key);
        if (cached)
            *cached = 1;
        return IVR_OK;
    }
    status = synthesise(t, text, samples, n, err);
    if (status == IVR_OK && key &&
        tts_cache_put(t->cache_dir, key, *samples, *n) != 0)
        set_warning(t, "prompt cache %s: %s; working without it",
                    t->cache_dir, strerror(errno));
    free(key);
    return status;
}

int tts_recall(tts_engine *t, const char *text, float **samples, size_t *n)
{
    char *key;
    int hit;

    *samples = NULL;
    *n = 0;
    if (!t->cache_dir || !(key = cache_key(t, text)))
        return 0;
    hit = tts_cache_get(t->cache_dir, key, samples, n);
    free(key);
    if (hit != 1) {
        free(*samples);
        *samples = NULL;
        *n = 0;
    }
    return hit == 1;
}

/* Lengths known in this process, by cache key: a suite of calls times the
 * same prompts over and over. Open addressing, grown at half full. */
static struct {
    char **keys;
    size_t *lengths;
    size_t cap, used;
} known;

static size_t key_hash(const char *key)
{
    uint64_t h = 0xcbf29ce484222325ull;

    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 0x100000001b3ull;
    return (size_t)h;
}

static int known_find(const char *key, size_t *n)
{
    size_t i;

    if (!known.cap)
        return 0;
    for (i = key_hash(key) & (known.cap - 1); known.keys[i];
         i = (i + 1) & (known.cap - 1))
        if (!strcmp(known.keys[i], key)) {
            *n = known.lengths[i];
            return 1;
        }
    return 0;
}

/* Takes key (malloc'ed) or frees it. */
static void known_add(char *key, size_t n)
{
    size_t i;

    if (2 * (known.used + 1) > known.cap) {
        size_t cap = known.cap ? known.cap * 2 : 64, j;
        char **keys = calloc(cap, sizeof *keys);
        size_t *lengths = calloc(cap, sizeof *lengths);
        if (!keys || !lengths) {
            free(keys);
            free(lengths);
            free(key);
            return;
        }
        for (j = 0; j < known.cap; j++)
            if (known.keys[j]) {
                for (i = key_hash(known.keys[j]) & (cap - 1); keys[i];
                     i = (i + 1) & (cap - 1))
                    ;
                keys[i] = known.keys[j];
                lengths[i] = known.lengths[j];
            }
        free(known.keys);
        free(known.lengths);
        known.keys = keys;
        known.lengths = lengths;
        known.cap = cap;
    }
    for (i = key_hash(key) & (known.cap - 1); known.keys[i];
         i = (i + 1) & (known.cap - 1))
        ;
    known.keys[i] = key;
    known.lengths[i] = n;
    known.used++;
}

int tts_length(tts_engine *t, const char *text, size_t *n, ivr_error *err)
{
    char *key = cache_key(t, text);
    float *x;
    int status;

    if (!key)
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    if (known_find(key, n)) {
        free(key);
        return IVR_OK;
    }
    if (t->cache_dir && tts_cache_length(t->cache_dir, key, n)) {
        known_add(key, *n);
        return IVR_OK;
    }
    status = tts_speak(t, text, &x, n, NULL, err);
    free(x);
    if (status == IVR_OK)
        known_add(key, *n);
    else
        free(key);
    return status;
}

int tts_rate(const tts_engine *t)
{
    return t->rate;
}

const char *tts_voice(const tts_engine *t)
{
    return t->voice_name;
}

const char *tts_cache_dir(const tts_engine *t)
{
    return t->cache_dir;
}

const char *tts_warning(tts_engine *t)
{
    if (!t->has_warning)
        return NULL;
    t->has_warning = 0;
    return t->warning;
}

void tts_free(tts_engine *t)
{
    if (!t)
        return;
    /* built-in voices stay registered for the process: flite keeps them */
    if (t->voice_id && !strncmp(t->voice_id, "file:", 5) && t->voice)
        flite_api.delete_voice(t->voice);
    free(t->voice_name);
    free(t->voice_id);
    free(t->cache_dir);
    free(t);
}
