/* fuzz_menu.c: the menu loader, with the lint and the graph of what loads,
 * and every mistake reported as --check does. */
#include "fuzz_io.h"
#include "menu.h"

static void drop(const ivr_error *e, void *user)
{
    (void)e;
    (void)user;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".ivr");
    menu_report report = {drop, NULL, 20, 0, {0, ""}};
    menu_load_opts o = {&report, NULL};
    ivr_error err;
    menu_file *m = menu_load_with(path, &o, &err);
    FILE *null = fopen("/dev/null", "w");

    if (m && null) {
        menu_lint(m, null);
        menu_write_dot(m, null);
    }
    if (null)
        fclose(null);
    menu_free(m);
    return 0;
}
