/*
 * transcript.h: a call's events written for people (a timeline) and for
 * programs (JSON Lines, one object per event).
 *
 * JSON fields are named for what they hold in each kind of event: a "dtmf"
 * event has "key", an "sms" has "to", "text" and "status", and so on (see
 * ivr-sim(1)); every event has "t" (seconds), "event" and "menu".
 */
#ifndef IVR_TRANSCRIPT_H
#define IVR_TRANSCRIPT_H

#include <stdio.h>

#include "engine.h"

/* s as a JSON string, quotes included. */
void transcript_json_string(FILE *out, const char *s);

/* One event as a line of JSON. */
void transcript_write_json(FILE *out, const engine_event *ev);

/* One event as a line of the timeline ("  12.34  main       key 1");
 * without verbose, the end of a prompt that simply finished, and prompts
 * of silence, are left out. */
void transcript_write_text(FILE *out, const engine_event *ev, int verbose);

/* Which string of an event a JSON key of its kind holds: 0 text, 1 name,
 * 2 reason, -1 none (for reading transcripts back). */
int transcript_field_slot(engine_event_kind kind, const char *key);

#endif
