/*
 * menu_internal.h: what the parts of core/menu share (not public).
 */
#ifndef IVR_MENU_INTERNAL_H
#define IVR_MENU_INTERNAL_H

#include "menu.h"

#include <stddef.h>

#if defined(__GNUC__)
#define IVR_MENU_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define IVR_MENU_PRINTF(a, b)
#endif

/* Reads path into m (menu_parse.c). */
int menu_parse(menu_file *m, const char *path, ivr_error *err);

/* Ownership helpers (menu.c): each returns NULL when out of memory. */
const char *menu_keep_file(menu_file *m, const char *path);
const char *menu_keep_string(menu_file *m, char *s);   /* takes s */
const char *menu_set_start(menu_file *m, const char *name, menu_loc loc);
int menu_add_var(menu_file *m, char *name, char *value); /* takes both */
/* Appends n to the file's menus (it must have its name); -1: no memory. */
int menu_add_node(menu_file *m, menu_node *n);

void menu_fetch_free(menu_fetch *f);
/* The fixture line a starter script gives for fetch f: an answer with each
 * field it reads (the variable's name as the value), or (answered 0) a
 * backend that fails. Malloc'ed; NULL when out of memory. */
char *menu_fetch_fixture(const menu_fetch *f, int answered);
/* 1 when p is a path into a JSON answer ("owner.name", "cards[0].id"). */
int menu_json_path_valid(const char *p);

/* Resolves names and settings once every file is read (menu_resolve.c). */
int menu_resolve(menu_file *m, ivr_error *err);

/* Calls fn on every action of the file (inside ifs too), with the menu it
 * belongs to (NULL for the global block); stops when fn returns non-zero
 * and returns that. */
typedef int (*menu_action_fn)(const menu_file *m, menu_node *n,
                              menu_action *a, void *user);
int menu_walk_actions(const menu_file *m, menu_action_fn fn, void *user);

#endif
