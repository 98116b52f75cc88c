/*
 * asr_others.c: the words a caller says instead of a menu's choices.
 *
 * A menu's grammar holds only its choices, so whatever a caller says is
 * heard as the choice it sounds least unlike; the phone loop's margin
 * (asr.c) rejects what fits no word at all, but on human speech half of
 * the English words outside a menu, and of Spanish, French, Italian and
 * Russian ones, fit a choice as well as the menu's own words do. A word is
 * better judged against other words: the utterance is decoded again with
 * the choices beside common words, one of them or one choice, and a choice
 * that loses to a word scoring near it was not said (asr.c,
 * OTHERS_MARGIN).
 *
 * The words are the everyday English a caller uses (the commonest words
 * of written English, and a call's own: numbers, money, yes and no, help,
 * agent), written here by hand and not read from any test set; a word of
 * a menu's own phrases is left out. A loop of them ("<w> <w>*") fits
 * anything, as the phone loop does: it beat 10 of the 12 menu words of
 * tests/human's tuning half. Rejecting a choice whenever a word beat it,
 * whatever the scores, lost 2 of those 12 and took the held-out replays
 * of bench/replay.sh (synthetic callers) from 91% of paths right to 60%.
 * The second search runs only for a choice the first accepted.
 */
#include "asr_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const others[] = {
    "a", "about", "account", "address", "after", "again", "agent", "all",
    "also", "already", "always", "an", "and", "another", "answer", "any",
    "are", "area", "as", "ask", "at", "back", "bad", "balance", "be",
    "because", "been", "begin", "believe", "between", "big", "bill",
    "black", "blue", "box", "break", "bring", "build", "but", "buy", "by",
    "bye", "call", "can", "card", "carry", "change", "check", "city",
    "close", "code", "cold", "come", "cost", "could", "country", "coupon",
    "credit", "cut", "day", "deal", "debit", "did", "do", "down", "drink",
    "drive", "early", "easy", "eat", "email", "end", "even", "every",
    "fact", "fast", "feel", "find", "finish", "first", "fix", "fly",
    "follow", "food", "for", "free", "from", "get", "give", "go", "good",
    "goodbye", "great", "green", "grow", "had", "hand", "happy", "hard",
    "has", "hate", "have", "he", "hear", "hello", "help", "her", "here",
    "hey", "hi", "high", "his", "hold", "home", "hot", "hour", "house",
    "how", "human", "i", "if", "in", "interest", "into", "is", "it", "its",
    "join", "just", "keep", "know", "large", "last", "late", "lead",
    "learn", "leave", "left", "less", "life", "like", "line", "listen",
    "live", "loan", "long", "look", "lose", "love", "low", "mail", "make",
    "many", "market", "may", "maybe", "me", "mean", "meet", "menu",
    "message", "might", "minute", "miss", "money", "month", "more",
    "morning", "most", "move", "much", "music", "my", "name", "need",
    "never", "new", "next", "night", "no", "not", "now", "number", "of",
    "off", "offer", "often", "okay", "old", "on", "one", "only", "open",
    "operator", "option", "or", "order", "other", "our", "out", "over",
    "own", "part", "password", "pay", "payment", "people", "person",
    "phone", "pin", "place", "play", "please", "point", "press", "price",
    "pull", "push", "put", "question", "rate", "read", "really",
    "receive", "red", "reply", "right", "run", "sad", "said", "sale",
    "same", "savings", "say", "says", "second", "see", "seem", "sell",
    "send", "service", "set", "she", "shop", "short", "should", "show",
    "sit", "sleep", "slow", "small", "so", "some", "sometimes", "song",
    "sorry", "speak", "stand", "start", "state", "stay", "still", "stop",
    "store", "street", "study", "support", "sure", "take", "talk", "teach",
    "tell", "text", "than", "thank", "thanks", "that", "the", "their",
    "them", "then", "there", "these", "they", "thing", "think", "this",
    "those", "time", "to", "today", "tomorrow", "transfer", "try", "turn",
    "two", "under", "up", "us", "use", "very", "voice", "wait", "walk",
    "want", "was", "watch", "water", "way", "we", "week", "welcome",
    "well", "were", "what", "when", "where", "which", "while", "white",
    "who", "why", "will", "win", "with", "word", "work", "world", "would",
    "write", "year", "yes", "you", "young", "your", "zip",
};

/* word is one of the words of the menu's phrases */
static int in_phrases(const asr_recognizer *a, const char *word)
{
    size_t n = strlen(word);
    int i;

    for (i = 0; i < a->nphrases; i++) {
        const char *p = a->phrases[i].words;
        while ((p = strstr(p, word))) {
            int starts = p == a->phrases[i].words || p[-1] == ' ';
            if (starts && (p[n] == ' ' || p[n] == '\0'))
                return 1;
            p += n;
        }
    }
    return 0;
}

char *asr_others_grammar(const asr_recognizer *a)
{
    size_t cap = 64, len, i;
    char *g;
    int k, n = 0;

    for (k = 0; k < a->nphrases; k++)
        cap += strlen(a->phrases[k].words) + 3;
    for (i = 0; i < sizeof others / sizeof *others; i++)
        cap += strlen(others[i]) + 3;
    cap += 128;
    if (!(g = malloc(cap)))
        return NULL;
    len = (size_t)snprintf(g, cap, "#JSGF V1.0;\ngrammar others;\n"
                                   "public <s> = <choice> | <w>;\n"
                                   "<choice> = ");
    for (k = 0; k < a->nphrases; k++)
        len += (size_t)snprintf(g + len, cap - len, "%s%s", k ? " | " : "",
                                a->phrases[k].words);
    len += (size_t)snprintf(g + len, cap - len, ";\n<w> = ");
    for (i = 0; i < sizeof others / sizeof *others; i++) {
        if (in_phrases(a, others[i]))
            continue;
        len += (size_t)snprintf(g + len, cap - len, "%s%s", n ? " | " : "",
                                others[i]);
        n++;
    }
    snprintf(g + len, cap - len, ";\n");
    return g;
}
