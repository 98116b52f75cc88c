/*
 * asr_fillers.c: common English words that compete with a menu's choices.
 *
 * A grammar search always returns its best path, so a word outside the
 * menu comes back as the nearest choice; the phone loop (asr_loop.c)
 * judges how near, but a phone loop fits anything, and a human speaker's
 * off-menu word often lies as close to it as a right answer does. A word
 * the caller might say instead is a sharper yardstick: the choices are
 * decoded a second way, beside the commonest words of English, and a
 * word that fits better than every choice is evidence the caller said
 * something else.
 *
 * The words are the commonest of pocketsphinx's own en-us language model
 * (by unigram probability; letters only), so each is in its dictionary.
 */
#include "asr_internal.h"

#include <ckd_alloc.h>

#include <stdlib.h>
#include <string.h>

static const char *const FILLERS[] = {
    "the", "to", "i", "and", "a", "of", "you", "that", "in", "it", "is",
    "for", "but", "know", "was", "have", "they", "on", "like", "be", "not",
    "so", "with", "are", "one", "this", "yeah", "he", "just", "my", "we",
    "as", "what", "if", "do", "at", "or", "about", "all", "think", "there",
    "would", "from", "two", "me", "people", "can", "your", "get", "out",
    "no", "said", "up", "more", "when", "an", "had", "right", "well",
    "hundred", "really", "has", "thousand", "will", "oh", "because", "how",
    "time", "them", "she", "been", "by", "some", "who", "their", "his",
    "were", "now", "then", "go", "good", "mean", "than", "going", "her",
    "see", "could", "much", "other", "five", "got", "three", "even", "too",
    "only", "want", "did", "him", "something", "where", "very", "here",
    "way", "which", "nine", "lot", "make", "say", "first", "years", "back",
    "any", "new", "our", "also", "over", "into", "ah", "year", "thing",
    "still", "four", "should", "work", "things", "those", "take", "us",
    "most", "why", "these", "never", "twenty", "need", "after", "being",
    "okay", "little", "down", "kind", "point", "actually", "many", "day",
    "off", "come", "same", "six", "before", "last", "look", "sure", "eight",
    "money", "doing", "pretty", "around", "seven", "always", "guess",
    "life", "dollars", "long", "yes", "better", "probably", "every",
    "world", "does", "anything", "maybe", "school", "great", "find",
    "though", "made", "big", "feel", "through", "thirty", "cause", "game",
    "old", "put", "use", "different", "stuff", "ten", "home", "may",
    "might", "used", "am", "thought", "while", "best", "since", "man",
    "love", "own", "getting", "another", "fifty", "few", "bad", "give",
    "part", "percent", "live", "family", "tell", "ever", "gonna", "again",
    "went", "someone", "help", "keep", "everything", "try", "play", "hard",
    "done", "enough", "trying", "next", "end", "away", "its", "place",
    "far", "forty", "talk", "ninety", "both", "real", "says", "country",
    "kids", "times", "least", "person", "bit", "such", "million", "high",
    "exactly", "told", "nothing", "friends", "believe", "let", "call",
    "having", "able", "show", "else", "watch", "job", "ago", "nice",
    "start", "once", "whole", "house", "government", "problem", "looking",
    "change", "children", "each", "without", "days", "found", "true",
    "saying", "between", "less", "week", "seen", "already", "makes", "guy",
    "course", "care", "name", "second", "came", "sixty", "pay", "talking",
    "until", "making", "seems", "eighty", "thanks", "either", "idea",
    "seventy", "read",
};

#define NFILLERS (sizeof FILLERS / sizeof FILLERS[0])

/* Splits a pronunciation ("HH AH L OW") into phones; their count. */
static int split_phones(char *pron, char **phones, int max)
{
    int n = 0;
    char *save = NULL, *p;

    for (p = strtok_r(pron, " ", &save); p && n < max;
         p = strtok_r(NULL, " ", &save))
        phones[n++] = p;
    return n;
}

/* Phones to change, insert or drop to turn one pronunciation into the
 * other. */
static int phone_distance(char **x, int nx, char **y, int ny)
{
    int d[32][32], i, j;

    if (nx > 31 || ny > 31)
        return 99;
    for (i = 0; i <= nx; i++)
        d[i][0] = i;
    for (j = 0; j <= ny; j++)
        d[0][j] = j;
    for (i = 1; i <= nx; i++)
        for (j = 1; j <= ny; j++) {
            int sub = d[i - 1][j - 1] + (strcmp(x[i - 1], y[j - 1]) != 0);
            int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins)
                                : (del < ins ? del : ins);
        }
    return d[nx][ny];
}

#define PHONES_MAX 64

/* A pronunciation split into phones (phones point into text). */
typedef struct pron {
    char *text;
    char *phones[PHONES_MAX];
    int n;
} pron;

/* The pronunciation of words (one word, or a phrase whose words' phones
 * run together) into p; 0, or -1 when a word is unknown or out of
 * memory. */
static int pron_of(asr_recognizer *a, const char *words, pron *p)
{
    char *copy = strdup(words), *w, *save = NULL;
    size_t len = 0, cap = 1;

    p->text = NULL;
    p->n = 0;
    if (!copy)
        return -1;
    for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        /* the pronunciation comes back allocated: ours to free */
        char *ph = ps_lookup_word(a->ps, w), *grown;
        if (!ph || !(grown = realloc(p->text, cap + strlen(ph) + 1))) {
            if (ph)
                ckd_free(ph);
            free(copy);
            free(p->text);
            p->text = NULL;
            return -1;
        }
        p->text = grown;
        len += (size_t)sprintf(p->text + len, "%s%s", len ? " " : "", ph);
        cap = len + 1;
        ckd_free(ph);
    }
    free(copy);
    if (!p->text)
        return -1;
    p->n = split_phones(p->text, p->phones, PHONES_MAX);
    return 0;
}

int asr_choices_have_word(const asr_recognizer *a, const char *w)
{
    static const char *const digit_words[] = {
        "zero", "one", "two", "three", "four", "five", "six", "seven",
        "eight", "nine", "oh", "double", "triple"
    };
    size_t len = strlen(w), i;
    int p;

    for (p = 0; p < a->nphrases; p++) {
        const char *s = a->phrases[p].words;
        while ((s = strstr(s, w))) {
            if ((s == a->phrases[p].words || s[-1] == ' ') &&
                (s[len] == ' ' || s[len] == '\0'))
                return 1;
            s += len;
        }
    }
    for (i = 0; a->digits && i < sizeof digit_words / sizeof *digit_words;
         i++)
        if (!strcmp(w, digit_words[i]))
            return 1;
    return 0;
}

/* The choices' pronunciations: each phrase whole and each of its words;
 * their count, or -1 when out of memory. */
static int choice_prons(asr_recognizer *a, pron **out)
{
    int max = 0, n = 0, i;
    pron *l;

    for (i = 0; i < a->nphrases; i++) {
        const char *s = a->phrases[i].words;
        max += 2;
        while ((s = strchr(s, ' ')))
            max++, s++;
    }
    if (!(l = calloc((size_t)max + 1, sizeof *l)))
        return -1;
    for (i = 0; i < a->nphrases; i++) {
        char *copy = strdup(a->phrases[i].words), *w, *save = NULL;
        if (!copy)
            break;
        if (pron_of(a, a->phrases[i].words, &l[n]) == 0)
            n++;
        /* a phrase of one word is already in */
        for (w = strchr(copy, ' ') ? strtok_r(copy, " ", &save) : NULL; w;
             w = strtok_r(NULL, " ", &save))
            if (pron_of(a, w, &l[n]) == 0)
                n++;
        free(copy);
    }
    *out = l;
    return n;
}

char *asr_filler_rule(asr_recognizer *a, int max, int near)
{
    size_t cap = sizeof "<filler> =;\n", len, i;
    pron *choices;
    char *rule;
    int nchoices = choice_prons(a, &choices), k, n = 0;

    if (nchoices < 0)
        return NULL;
    for (i = 0; i < NFILLERS; i++)
        cap += strlen(FILLERS[i]) + 3;
    if (!(rule = malloc(cap))) {
        for (k = 0; k < nchoices; k++)
            free(choices[k].text);
        free(choices);
        return NULL;
    }
    len = (size_t)snprintf(rule, cap, "<filler> =");
    for (i = 0; i < NFILLERS && n < max; i++) {
        pron f;
        int close = 0;
        if (asr_choices_have_word(a, FILLERS[i]) ||
            pron_of(a, FILLERS[i], &f) != 0)
            continue;
        for (k = 0; k < nchoices && !close; k++)
            close = phone_distance(f.phones, f.n, choices[k].phones,
                                   choices[k].n) <= near;
        free(f.text);
        if (!close) {
            len += (size_t)snprintf(rule + len, cap - len, "%s %s",
                                    n ? " |" : "", FILLERS[i]);
            n++;
        }
    }
    snprintf(rule + len, cap - len, ";\n");
    for (k = 0; k < nchoices; k++)
        free(choices[k].text);
    free(choices);
    if (n == 0) {
        free(rule);
        return NULL;
    }
    return rule;
}
