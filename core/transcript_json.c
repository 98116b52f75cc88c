/*
 * transcript_json.c: JSON string quoting, in a file of its own so that
 * commands using only this (through cli.c) do not link the engine.
 */
#include "transcript.h"

void transcript_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(out, "\\u%04x", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}
