/*
 * script.h: scripted calls for QA (ivr-call(5)).
 *
 * A call script names a menu, who calls, what the caller does (timed steps:
 * press, say, play, wait, hangup; reactive steps: "when a prompt contains X,
 * press Y") and what must have happened (expectations on prompts, menus,
 * variables, SMS, transfers, recordings, how the call ended, the path, the
 * duration). script_run() plays the call through the engine and keeps its
 * events in a call_log; script_check() holds the expectations against a
 * log, which may also come from a saved transcript (call_log_read_jsonl),
 * so a run can be re-checked without audio.
 */
#ifndef IVR_SCRIPT_H
#define IVR_SCRIPT_H

#include <stdio.h>

#include "asr.h"
#include "engine.h"
#include "error.h"
#include "menu.h"

/* ------------------------------------------------------------------------
 * The events of one call
 */

typedef struct logged_event {
    engine_event_kind kind;
    double t, confidence, duration;
    int count;
    char *menu, *text, *name, *reason;   /* never NULL ("" for none) */
} logged_event;

typedef struct call_log {
    logged_event *ev;
    int n, cap;
} call_log;

/* Appends a copy of ev; returns -1 when out of memory. */
int call_log_add(call_log *log, const engine_event *ev);
void call_log_clear(call_log *log);   /* empties it, keeps nothing */

/* Reads a JSON Lines transcript written by ivr-sim (-t) into log (which
 * should be empty). A line that is not one of its events is IVR_EINPUT
 * with "file:line: ...". */
int call_log_read_jsonl(call_log *log, const char *path, ivr_error *err);

/* The event as a line of the timeline (no newline), into buf. */
void call_log_format(const logged_event *e, char *buf, size_t size);

/* ------------------------------------------------------------------------
 * Scripts
 */

typedef struct call_script call_script;

/* Parses path; errors are "file:line:col: message" (IVR_EINPUT). The menu
 * is named relative to the script. */
call_script *script_load(const char *path, ivr_error *err);
void script_free(call_script *s);

const char *script_path(const call_script *s);
const char *script_menu_path(const call_script *s);

typedef struct script_run_opts {
    int fast;                 /* events only, no audio */
    asr_recognizer **asr;     /* reused across calls (may be NULL); the
                               * first full-audio call fills it */
    const char *tts_cache;
    double default_limit;     /* seconds a call may last without `limit`
                               * (0: 600) */
} script_run_opts;

/* Runs the call of s through menu m (loaded from script_menu_path(s)) and
 * appends its events to log. Returns IVR_OK when the call ran to its end,
 * whatever the expectations say. */
int script_run(const call_script *s, const menu_file *m,
               const script_run_opts *o, call_log *log, ivr_error *err);

typedef struct expect_result {
    int line;                 /* in the script */
    int passed;
    const char *skipped;      /* why it was not judged (a remote IVR's
                               * variables are not heard), or NULL */
    char what[300];           /* the expectation as written */
    char detail[512];         /* on failure: expected and actual */
} expect_result;

typedef struct script_report {
    expect_result *r;
    int n, failed;
} script_report;

/* Holds every expectation of s against log. Returns 0, or -1 when out of
 * memory. */
int script_check(const call_script *s, const call_log *log,
                 script_report *rep);
void script_report_free(script_report *rep);

/* ------------------------------------------------------------------------
 * Scripts against an IVR elsewhere, over SIP
 */

typedef struct script_remote_opts {
    const char *target;       /* the IVR: "sip:ivr@pbx.example" */
    int inband_keys;          /* keys as tones in the audio, not RFC 4733
                               * events */
    const char *tts_cache;
    double default_limit;     /* as in script_run_opts */
    double ring_seconds;      /* how long the call may ring (0: 30) */
} script_remote_opts;

/* Calls o->target and plays the caller of s: keys as RFC 4733 events,
 * words as speech. What the IVR says is listened for, not transcribed:
 * the phrases of the script's prompt rules and expectations, and for a
 * `when menu` rule the first words the menu says each time (from m, the
 * script's menu; may be NULL when no rule names a menu). A phrase heard
 * is logged as a prompt (EV_PROMPT_START and _END) when the IVR pauses
 * after it; a REFER is a transfer, the IVR's BYE a hangup. Returns IVR_OK
 * when the call was made and ended; a rule that cannot be followed there
 * (a pattern, a menu that says nothing) is IVR_EINPUT naming its line,
 * a call not answered IVR_EOUTPUT with the SIP status. */
int script_run_remote(const call_script *s, const menu_file *m,
                      const script_remote_opts *o, call_log *log,
                      ivr_error *err);

/* script_check for a call made by script_run_remote: what cannot be heard
 * over the line (menus, variables, SMS, patterns, the IVR's own reasons)
 * is skipped, with why. */
int script_check_remote(const call_script *s, const call_log *log,
                        script_report *rep);

#endif
