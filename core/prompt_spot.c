/*
 * prompt_spot.c: phrases spotted in a remote IVR's audio (see
 * prompt_spot.h). The hard part is not the recogniser but the judging:
 * heard as a loop of a few dozen words, speech outside the phrases comes
 * back as those words in no order, so a phrase counts only when enough of
 * its words come in its order within little more than its own length.
 *
 * The words alone miss short phrases in voices the recogniser knows less
 * well: all of up to three words must come, and "are you still there"
 * came back as "start use still there". Such a phrase, half of it heard,
 * is checked by a second decoding in which it must appear (see
 * asr_listen_for). Measured by bench/spot.sh (the 54 prompts of the
 * sample menus spoken into a mu-law line, listening for the 41 phrases of
 * tests/calls at once): of 42 said phrases the voice rms had 35 heard
 * before, 41 after; kal and awb, which nothing was set on, 24 and 27
 * before, 33 and 31 after. Phrases heard where they were not said: 6, 6
 * and 3, before and after alike, all from the words, none from the check.
 *
 * A caller acts when the IVR's turn ends, but waiting for the turn's end
 * to decode all of it made a long turn known seconds late (a rule keyed
 * its number into the next no-input message): the speech is decoded a
 * sentence at a time and told, each phrase with where its words ended,
 * when the turn is over. On a later machine bench/spot.sh gave 39, 33 and
 * 29 heard and 5, 6 and 2 where not said before and after this, phrase
 * for phrase the same.
 */
#include "prompt_spot.h"
#include "tts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 8000
#define MAX_WORDS 64
#define PHRASE_MAX 1024   /* a phrase's text, in bytes */

/* ------------------------------------------------------------------------
 * Judging
 */

static int split_words(char *s, char **w, int max)
{
    int n = 0;
    char *save = NULL, *t;

    for (t = strtok_r(s, " ", &save); t && n < max;
         t = strtok_r(NULL, " ", &save))
        w[n++] = t;
    return n;
}

/* Words that sound the same are the same word to a listener: the
 * recogniser hears "for" where the IVR said "four" as often as not, and
 * numbers are what an IVR reads out most. */
static const char *const homophones[][2] = {
    {"four", "for"}, {"fore", "for"}, {"two", "to"}, {"too", "to"},
    {"won", "one"}, {"ate", "eight"}, {"know", "no"}, {"write", "right"},
    {"here", "hear"}, {"buy", "by"}, {"bye", "by"}, {"hour", "our"},
    {"their", "there"}, {"sea", "see"}, {"bee", "be"}, {"weight", "wait"},
    {"its", "it's"}};

static const char *sound_of(const char *w)
{
    size_t i;

    for (i = 0; i < sizeof homophones / sizeof *homophones; i++)
        if (!strcmp(w, homophones[i][0]))
            return homophones[i][1];
    return w;
}

static int sounds_same(const char *a, const char *b)
{
    return !strcmp(sound_of(a), sound_of(b));
}

/* Words every sentence has: matched, they say little about which
 * sentence it was ("to ... your ... now" is in half of what an IVR says),
 * so a phrase's other words must be heard on their own account. */
static const char *const function_words[] = {
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "her",
    "his", "if", "in", "is", "it", "its", "me", "my", "of", "on", "or",
    "our", "the", "their", "this", "that", "to", "us", "we", "with", "you",
    "your", NULL};

static int is_function_word(const char *w)
{
    int i;

    for (i = 0; function_words[i]; i++)
        if (!strcmp(w, function_words[i]))
            return 1;
    return 0;
}

/* In a phrase of four words or more, one short function word heard as
 * another counts: "a book" came back as "of with", "are you" as "our
 * use" from two voices at 8 kHz. A shorter phrase has no words to spare:
 * "for the balance" is not "for your balance". */
#define FUNCTION_SWAP_MIN 4

/* One word with an s more than the other: "agents are" came back as
 * "agent star" from a voice at 8 kHz, and an IVR's phrase is rarely told
 * from another by a plural alone. */
static int plural_of(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);

    return la == lb + 1 && la > 3 && a[la - 1] == 's' && !strncmp(a, b, lb);
}

/* Judging a phrase's content words (content), one heard as a function
 * word it sounds like is no sign of which sentence it was: "Welcome to
 * Tune Line. For this week's samples" held "2 for the next sample" with
 * its "two" in "to", and half of all sentences have a "to". */
static int word_matches(const char *p, const char *h, int swap, int content)
{
    if (content && strcmp(p, h) && is_function_word(h))
        return 0;
    return sounds_same(p, h) || plural_of(p, h) || plural_of(h, p) ||
           (swap && is_function_word(p) && is_function_word(h));
}

/* s's words, as split_words, with the times of day as a voice spells
 * them: the recogniser hears "8 AM" as "am" as often as "a m". of[i]
 * gets the index in s of the word w[i] came from. */
static int split_spoken(char *s, const char **w, int *of, int max)
{
    char *save = NULL, *t;
    int n = 0, i = 0;

    for (t = strtok_r(s, " ", &save); t && n < max;
         t = strtok_r(NULL, " ", &save), i++)
        if ((!strcmp(t, "am") || !strcmp(t, "pm")) && n + 1 < max) {
            of[n] = of[n + 1] = i;
            w[n++] = t[0] == 'a' ? "a" : "p";
            w[n++] = "m";
        } else {
            of[n] = i;
            w[n++] = t;
        }
    return n;
}

/* The longest run of p's words in order within h[from, to). */
static int in_order(const char **p, int np, const char **h, int from, int to,
                    int content)
{
    int swap = np >= FUNCTION_SWAP_MIN;
    int lcs[MAX_WORDS + 1][MAX_WORDS + 1], i, j;

    for (i = 0; i <= np; i++)
        lcs[i][0] = 0;
    for (j = 0; j <= to - from; j++)
        lcs[0][j] = 0;
    for (i = 1; i <= np; i++)
        for (j = 1; j <= to - from; j++)
            lcs[i][j] = word_matches(p[i - 1], h[from + j - 1], swap, content)
                            ? lcs[i - 1][j - 1] + 1
                        : lcs[i - 1][j] > lcs[i][j - 1] ? lcs[i - 1][j]
                                                        : lcs[i][j - 1];
    return lcs[np][to - from];
}

/* A phrase of k words may be heard stretched to k + max(2, k/2) words: a
 * word heard as two, a short word inserted, not a sentence around it. */
static int stretch(int k)
{
    return k + (k / 2 > 2 ? k / 2 : 2);
}

/* How many of the words of phrase come in order within a stretch of
 * heard no longer than window words; *end (may be NULL) gets the index in
 * heard of the last word of the earliest such stretch that is shortest. */
static int matched_at(const char *phrase, const char *heard, int window,
                      int content, int *end)
{
    char pb[1024], hb[4096];
    const char *p[MAX_WORDS], *h[4 * MAX_WORDS];
    int np, nh, best = 0, best_from = 0, best_to = 0, s;
    int pof[MAX_WORDS], hof[4 * MAX_WORDS];

    snprintf(pb, sizeof pb, "%s", phrase);
    snprintf(hb, sizeof hb, "%s", heard);
    np = split_spoken(pb, p, pof, MAX_WORDS);
    nh = split_spoken(hb, h, hof, 4 * MAX_WORDS);
    for (s = 0; s < nh; s++) {
        int to = s + window, m;
        if (to > nh)
            to = nh;
        if (to - s > MAX_WORDS)
            to = s + MAX_WORDS;
        m = in_order(p, np, h, s, to, content);
        if (m > best) {
            best = m;
            best_from = s;
            best_to = to;
        }
    }
    if (end) {
        while (best_to > best_from + 1 &&
               in_order(p, np, h, best_from, best_to - 1, content) == best)
            best_to--;
        *end = best_to > 0 ? hof[best_to - 1] : -1;
    }
    return best;
}

static int matched_in(const char *phrase, const char *heard, int window,
                      int content)
{
    return matched_at(phrase, heard, window, content, NULL);
}

/* Most of a phrase's words: all of up to three, three of four, and 60%
 * of longer ones (a long phrase has words to spare; a short one does not:
 * "for ... balance" is in "for the balance of account"). */
static int needed(int k)
{
    return k <= 3 ? k : k == 4 ? 3 : (k * 3 + 4) / 5;
}

/* Of a phrase's other words one may be misheard when it has three or
 * four, 60% of more; one or two must all be heard (with one of two, "the
 * balance of account" was heard in "sorry, our account system is not
 * answering"). */
static int needed_content(int kc)
{
    return kc <= 2 ? kc : kc <= 4 ? kc - 1 : needed(kc);
}

/* phrase's words other than function words, into content (PHRASE_MAX
 * bytes): how many there are; *k gets how many words phrase has. */
static int content_words(const char *phrase, char *content, int *k)
{
    char pb[PHRASE_MAX], *p[MAX_WORDS];
    size_t len = 0;
    int kc = 0, i;

    snprintf(pb, sizeof pb, "%s", phrase);
    *k = split_words(pb, p, MAX_WORDS);
    content[0] = '\0';
    for (i = 0; i < *k; i++)
        if (!is_function_word(p[i])) {
            len += (size_t)snprintf(content + len, PHRASE_MAX - len, "%s%s",
                                    len ? " " : "", p[i]);
            kc++;
        }
    return kc;
}

/* prompt_spot_heard, and where: *end gets the index in heard of the
 * phrase's last word heard. */
static int heard_at(const char *phrase, const char *heard, int *end)
{
    char content[PHRASE_MAX];
    int k, kc = content_words(phrase, content, &k), slack;

    /* a long phrase may lose a third of its words to its function words
     * ("that is not a" came back as "message" from a voice at 8 kHz)
     * when its other words are there */
    slack = k >= 6 ? (k - kc < k / 3 ? k - kc : k / 3) : 0;
    if (k == 0 ||
        matched_at(phrase, heard, stretch(k), 0, end) < needed(k) - slack)
        return 0;
    return kc == 0 ||
           matched_in(content, heard, stretch(k), 1) >= needed_content(kc);
}

int prompt_spot_heard(const char *phrase, const char *heard)
{
    return heard_at(phrase, heard, NULL);
}

/* Whether a phrase not heard in the words may still have been said: half
 * of its other words (or of all its words, when every one is a function
 * word) came in its order. The check that decides it is a decoding of its
 * own, as costly as the words' (see prompt_spotter_new), so it is spent
 * where a voice's mishearing is the likely story: "are you still there"
 * heard as "start use still there". */
int prompt_spot_near(const char *phrase, const char *heard)
{
    char content[PHRASE_MAX];
    int k, kc = content_words(phrase, content, &k);

    if (k == 0 || prompt_spot_heard(phrase, heard))
        return 0;
    return kc == 0 ? 2 * matched_in(phrase, heard, stretch(k), 0) >= k
                   : 2 * matched_in(content, heard, stretch(k), 0) >= kc;
}

/* ------------------------------------------------------------------------
 * The spotter
 */

/* What else the recogniser may hear: with the phrases' words alone, all
 * speech comes back as those words, and a phrase is soon "heard" in a
 * sentence that has none of it. Everyday words and an IVR's own give
 * other speech somewhere else to go: measured on tests/calls over SIP,
 * the phrases' words alone gave 8 false or missed prompts in 25 calls. */
static const char common_words[] =
    "a about after again all also am an and any are as at back be been "
    "before but by call calling can cancel card could day did do down "
    "each enter first for from get go goodbye had has have hear help her "
    "here his hold how i if in into is it its just key know last later let "
    "like line main make may me menu message minute more most my new next "
    "no not now number of on one only or other our out over please pound "
    "press repeat return said say see she should so some sorry star start "
    "that the their them then there these they this thank thanks time to "
    "today try two up us use very was way we welcome well were what "
    "when which who will with would yes you your zero";

/* The IVR's speech is decoded a sentence at a time, at pauses of this
 * length (flite's between sentences are 0.2 to 0.4 s), so that what it
 * said is known soon after it said it, not only when its whole turn ends
 * after a minute of prompts; what was heard is told when the turn ends
 * (see prompt_spotter_new). */
#define SENTENCE_PAUSE_MS 300
/* Some voices hardly pause at all: rms leaves 50 ms between sentences, so
 * a menu's prompts came as one stretch of 10 s, and a prompt followed by
 * a song as one of 15 s, decoded as one, the song's notes as words beside
 * the prompt's ("Here is Night Drive" came back as "your is like drive";
 * decoded apart, as "hear is my key drive"). A stretch that has gone on this long ends at a
 * shorter pause: the 130 ms flite leaves after its last word, before a
 * song. Taken from a stretch's start, a pause that short cut ordinary
 * sentences at a stop's closure ("account number" came back as three
 * stretches of one word). */
#define LONG_STRETCH_MS 3000
#define SHORT_PAUSE_MS 120
/* a stretch's end is its last loud sound plus the recogniser's post-roll */
#define POST_ROLL_MS 200
#define HELD_MAX 64

/* A stretch heard, held until the IVR's turn ends. */
typedef struct held_stretch {
    char *heard;
    int64_t start, end;       /* samples */
    int *found;
    double *ends;
} held_stretch;

struct prompt_spotter {
    asr_recognizer *asr;
    char **phrases;           /* as heard: dictionary words only */
    int n;
    prompt_spot_fn fn;
    void *user;
    int64_t pos;              /* samples pushed */
    int64_t turn_end;         /* silence after a stretch that ends the
                               * IVR's turn, in samples past its end */
    held_stretch held[HELD_MAX];   /* the turn's stretches so far */
    int nheld;
    int failed;               /* out of memory holding a stretch */
};

/* A phrase is heard across the turn's pauses within its last JOIN_WORDS
 * words. The last max words of text, into out (size bytes): how many. */
#define JOIN_WORDS 32
static int last_words(const char *text, int max, char *out, size_t size)
{
    const char *p = text + strlen(text), *word_end;
    int n = 0;

    while (n < max) {
        while (p > text && p[-1] == ' ')
            p--;
        word_end = p;
        while (p > text && p[-1] != ' ')
            p--;
        if (p == word_end)
            break;
        n++;
    }
    snprintf(out, size, "%s", p);
    return n;
}

/* The last JOIN_WORDS words the turn's held stretches heard, into out
 * (size bytes): how many; *first gets the earliest stretch they come
 * from. A phrase may cross more than one pause: a voice that pauses
 * within a sentence cuts it in three. */
static int turn_words(const prompt_spotter *s, char *out, size_t size,
                      int *first)
{
    char part[JOIN_WORDS * 48];
    int n = 0, k;

    out[0] = '\0';
    *first = s->nheld;
    for (k = s->nheld - 1; k >= 0 && n < JOIN_WORDS; k--) {
        int m = last_words(s->held[k].heard, JOIN_WORDS - n, part,
                           sizeof part);
        size_t lp = strlen(part), lo = strlen(out);
        if (m == 0)
            continue;
        if (lp + lo + 2 > size)
            break;
        memmove(out + lp + (lo ? 1 : 0), out, lo + 1);
        memcpy(out, part, lp);
        if (lo)
            out[lp] = ' ';
        n += m;
        *first = k;
    }
    return n;
}

/* Whether phrase i was heard in the held stretches from first on. */
static int found_since(const prompt_spotter *s, int first, int i)
{
    for (; first < s->nheld; first++)
        if (s->held[first].found[i])
            return 1;
    return 0;
}

static void held_free(held_stretch *h)
{
    free(h->heard);
    free(h->found);
    free(h->ends);
    memset(h, 0, sizeof *h);
}

/* Where each phrase was heard in r, into found and ends; a phrase across
 * the pauses from the stretches before in the same turn (not heard there)
 * is heard in them and this one together, ending in this one. */
static void judge_stretch(prompt_spotter *s, const asr_result *r, int *found,
                          double *ends)
{
    char joined[4096] = "";
    int before = 0, first = 0, i;

    if (*r->text) {
        before = turn_words(s, joined, sizeof joined / 2, &first);
        snprintf(joined + strlen(joined), sizeof joined - strlen(joined),
                 "%s%s", before ? " " : "", r->text);
    }
    for (i = 0; i < s->n; i++) {
        int end = -1;
        found[i] = *r->text && heard_at(s->phrases[i], r->text, &end);
        if (!found[i] && before > 0 && !found_since(s, first, i) &&
            heard_at(s->phrases[i], joined, &end) && end >= before) {
            found[i] = 1;
            end -= before;
        }
        /* where its last word ended, which a caller who waits a while
         * after a prompt counts from; the stretch's end when not known */
        ends[i] = (double)r->end / RATE;
        if (found[i] && end >= 0 && end < r->nwords)
            ends[i] = (double)(r->start + r->word_end[end]) / RATE;
        else if (!found[i] && r->phrases_said && r->phrases_said[i]) {
            found[i] = 1;
            if (r->phrases_end)
                ends[i] = (double)(r->start + r->phrases_end[i]) / RATE;
        }
    }
}

/* Tells the stretches held, in order. */
static void tell_held(prompt_spotter *s)
{
    int i;

    for (i = 0; i < s->nheld; i++) {
        prompt_spot_result res;
        res.heard = s->held[i].heard;
        res.start = (double)s->held[i].start / RATE;
        res.end = (double)s->held[i].end / RATE;
        res.found = s->held[i].found;
        res.ends = s->held[i].ends;
        s->fn(&res, s->user);
        held_free(&s->held[i]);
    }
    s->nheld = 0;
}

static void on_stretch(const asr_result *r, void *user)
{
    prompt_spotter *s = user;
    held_stretch *h;

    /* a turn of that many sentences has gone on long enough to tell */
    if (s->nheld == HELD_MAX)
        tell_held(s);
    h = &s->held[s->nheld];
    if (!(h->heard = strdup(r->text)) ||
        !(h->found = calloc((size_t)s->n + 1, sizeof *h->found)) ||
        !(h->ends = calloc((size_t)s->n + 1, sizeof *h->ends))) {
        held_free(h);
        s->failed = 1;
        return;
    }
    h->start = r->start;
    h->end = r->end;
    judge_stretch(s, r, h->found, h->ends);
    s->nheld++;
}

static int worth_checking(int i, const char *heard, void *user)
{
    const prompt_spotter *s = user;

    return prompt_spot_near(s->phrases[i], heard);
}

/* Whether the recogniser can hear word: in its dictionary, or added as
 * flite says it. An IVR's prompts name what the dictionary lacks (the
 * artist "Marram", a bank, a street), and a phrase that lost such a word
 * was heard by its other words only; flite's letter-to-sound rules are
 * how the IVR's own voice would say it, when it is flite. */
static int can_hear(asr_recognizer *a, const char *word)
{
    char phones[256];
    ivr_error err;

    return asr_has_word(a, word) ||
           (tts_word_phones(word, phones, sizeof phones, &err) == IVR_OK &&
            asr_add_word(a, word, phones, &err) == IVR_OK);
}

/* The words of phrase the recogniser can hear, into a new string. */
static char *known_words(asr_recognizer *a, const char *phrase)
{
    char buf[1024], *w[MAX_WORDS], *out;
    int n, i;
    size_t len = 0;

    if (prompt_spot_words(phrase, buf, sizeof buf) != 0)
        return NULL;
    n = split_words(buf, w, MAX_WORDS);
    if (!(out = malloc(sizeof buf)))
        return NULL;
    out[0] = '\0';
    for (i = 0; i < n; i++)
        if (can_hear(a, w[i]))
            len += (size_t)snprintf(out + len, sizeof buf - len, "%s%s",
                                    len ? " " : "", w[i]);
    return out;
}

prompt_spotter *prompt_spotter_new(const char *const *phrases, int n,
                                   const char *context,
                                   double end_silence_ms, prompt_spot_fn fn,
                                   void *user, int *bad, ivr_error *err)
{
    prompt_spotter *s = calloc(1, sizeof *s);
    asr_opts o;
    char *vocab = NULL, *v;
    size_t len = 0;
    int i;

    if (!s || !(s->phrases = calloc((size_t)n + 1, sizeof *s->phrases))) {
        prompt_spotter_free(s);
        ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        return NULL;
    }
    s->fn = fn;
    s->user = user;
    /* a recogniser with no search yet, to ask its dictionary: the
     * vocabulary is what is left of the phrases */
    memset(&o, 0, sizeof o);
    o.mode = ASR_WORDS;
    o.spec = "the";
    o.end_silence_ms = end_silence_ms < SENTENCE_PAUSE_MS
                           ? end_silence_ms : SENTENCE_PAUSE_MS;
    o.long_speech_ms = LONG_STRETCH_MS;
    o.short_silence_ms = SHORT_PAUSE_MS;
    s->turn_end = (int64_t)((end_silence_ms - POST_ROLL_MS) * RATE / 1000.0);
    if (!(s->asr = asr_new(RATE, &o, on_stretch, s, err))) {
        prompt_spotter_free(s);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if (!(s->phrases[i] = known_words(s->asr, phrases[i])))
            break;
        s->n = i + 1;
        if (!*s->phrases[i]) {
            if (bad)
                *bad = i;
            ivr_error_set(err, IVR_EINPUT, "\"%.60s\": none of its words "
                          "is in the recogniser's dictionary or spelled in "
                          "letters a-z", phrases[i]);
            free(vocab);
            prompt_spotter_free(s);
            return NULL;
        }
        v = realloc(vocab, len + strlen(s->phrases[i]) + 2);
        if (!v)
            break;
        vocab = v;
        len += (size_t)sprintf(vocab + len, "%s%s", len ? " " : "",
                               s->phrases[i]);
    }
    if (i == n && (v = realloc(vocab, len + sizeof common_words + 2 +
                                   (context ? strlen(context) + 1 : 0)))) {
        vocab = v;
        len += (size_t)sprintf(vocab + len, "%s%s", len ? " " : "",
                               common_words);
        if (context)
            sprintf(vocab + len, " %s", context);
    } else {
        i = -1;
    }
    if (i < n || asr_set_words(s->asr, vocab, err) != IVR_OK ||
        asr_listen_for(s->asr, s->phrases, s->n, worth_checking, s, err) !=
            IVR_OK) {
        if (i < n)
            ivr_error_set(err, IVR_EINTERNAL, "out of memory");
        free(vocab);
        prompt_spotter_free(s);
        return NULL;
    }
    free(vocab);
    return s;
}

/* A stretch that could not be held (out of memory): said once. */
static int held_failed(prompt_spotter *s, ivr_error *err)
{
    s->failed = 0;
    return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
}

/* 10 ms at a time, so that the turn's end is seen within 10 ms of it */
#define PUSH_SAMPLES (RATE / 100)

int prompt_spotter_push(prompt_spotter *s, const float *x, size_t n,
                        ivr_error *err)
{
    while (n > 0) {
        size_t take = n < PUSH_SAMPLES ? n : PUSH_SAMPLES;
        if (asr_push(s->asr, x, take, err) != IVR_OK)
            return err ? err->status : IVR_EINTERNAL;
        if (s->failed)
            return held_failed(s, err);
        s->pos += (int64_t)take;
        x += take;
        n -= take;
        /* the IVR's turn is over: it has been quiet long enough after
         * what it said last */
        if (s->nheld > 0 && !asr_in_speech(s->asr) &&
            s->pos >= s->held[s->nheld - 1].end + s->turn_end)
            tell_held(s);
    }
    return IVR_OK;
}

int prompt_spotter_flush(prompt_spotter *s, ivr_error *err)
{
    if (asr_flush(s->asr, err) != IVR_OK)
        return err ? err->status : IVR_EINTERNAL;
    if (s->failed)
        return held_failed(s, err);
    tell_held(s);
    return IVR_OK;
}

void prompt_spotter_free(prompt_spotter *s)
{
    int i;

    if (!s)
        return;
    asr_free(s->asr);
    for (i = 0; i < s->n; i++)
        free(s->phrases[i]);
    free(s->phrases);
    for (i = 0; i < s->nheld; i++)
        held_free(&s->held[i]);
    free(s);
}
