/*
 * transcript_json.c: JSON string quoting (jansson's), in a file of its own
 * so that commands using only this (through cli.c) do not link the engine.
 */
#include "transcript.h"

#include <jansson.h>

void transcript_json_string(FILE *out, const char *s)
{
    /* nocheck: a menu's text in another encoding is written as it is,
     * not dropped (the old writer's behaviour) */
    json_t *v = json_string_nocheck(s);

    if (!v || json_dumpf(v, out, JSON_ENCODE_ANY) != 0)
        fputs("\"\"", out);
    json_decref(v);
}
