/*
 * menu_lint_internal.h: what the lint's files share (internal to
 * core/menu_lint*.c).
 */
#ifndef IVR_MENU_LINT_INTERNAL_H
#define IVR_MENU_LINT_INTERNAL_H

#include "menu.h"

#include <stdio.h>

typedef struct lint {
    const menu_file *m;
    FILE *out;
    int count;
    char *reached;      /* per menu */
    char *ends;         /* per menu: can reach a hangup or transfer */
    const char **set_names;   /* every variable something sets */
    int nset;
} lint;

/* One warning, "file:line:col: warning: ...", counted. */
void lint_warn(lint *L, menu_loc loc, const char *fmt, ...)
    IVR_MENU_PRINTF(3, 4);

/* The checks of menu_lint_keys.c, each over one menu. */
void lint_check_keys(lint *L, const menu_node *n);
void lint_check_prompt_keys(lint *L, const menu_node *n);
void lint_check_global_off(lint *L, const menu_node *n);
void lint_check_sms_numbers(lint *L, const menu_node *n);

#endif
