/* unit.h - what the unit tests share: assertions (a failed check says
 * where and what, counts in `failures`, and the test goes on; main
 * returns failures != 0) and loading an instance.  Include once, in the
 * test's one source file. */
#ifndef ROTA_TEST_UNIT_H
#define ROTA_TEST_UNIT_H

#include <stdio.h>

#include "rota/instance.h"

static int failures;

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
            failures++;                                                      \
        }                                                                    \
    } while (0)

/* The same with a printf-style message after it. */
#define CHECKF(cond, ...)                                                    \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, \
                    #cond);                                                  \
            fprintf(stderr, __VA_ARGS__);                                    \
            fprintf(stderr, "\n");                                           \
            failures++;                                                      \
        }                                                                    \
    } while (0)

/* dir/name.yaml, or NULL (said on stderr).  The caller frees it. */
static inline rota_instance *unit_load(const char *dir, const char *name)
{
    char path[4096];
    rota_diags d = {0};
    rota_instance *inst = NULL;
    snprintf(path, sizeof path, "%s/%s.yaml", dir, name);
    if (rota_instance_load(path, &inst, &d) != ROTA_OK)
        fprintf(stderr, "cannot load %s\n", path);
    rota_diags_free(&d);
    return inst;
}

#endif
