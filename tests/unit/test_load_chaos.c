/* test_load_chaos.c - fault injection for the loader (Jansson's
 * test_chaos.c, SQLite's fault.c): fail the n-th allocation, for n = 0, 1,
 * ... until a load runs without hitting the failure.  Every run must end in
 * ROTA_OK with an instance or in an error without one (ROTA_ENOMEM, or
 * ROTA_EINPUT/ROTA_EIO for a bad file), and leave no allocation behind.
 *
 * The allocator below replaces malloc for the whole process (libyaml and
 * stdio included), through glibc's __libc_* entry points.  Sanitizers and
 * valgrind bring their own allocator: meson leaves this test out of
 * sanitizer builds, and it skips itself (exit 77) under valgrind.
 *
 * usage: test_load_chaos INSTANCE.yaml... */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rota/instance.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static long countdown = -1;  /* allocations to let through; -1: all */
static long live;            /* allocations not yet freed */
static int fired;

static int fail_now(void)
{
    if (countdown < 0 || countdown-- > 0)
        return 0;
    fired = 1;
    errno = ENOMEM;
    return 1;
}

void *malloc(size_t n)
{
    void *p = fail_now() ? NULL : __libc_malloc(n);
    live += p != NULL;
    return p;
}

void *calloc(size_t a, size_t b)
{
    void *p = fail_now() ? NULL : __libc_calloc(a, b);
    live += p != NULL;
    return p;
}

void *realloc(void *q, size_t n)
{
    void *p = fail_now() ? NULL : __libc_realloc(q, n);
    live += p != NULL && q == NULL;
    return p;
}

void free(void *p)
{
    live -= p != NULL;
    __libc_free(p);
}

/* Returns the number of allocation points, or -1 after a message. */
static long chaos(const char *path)
{
    for (long n = 0;; n++) {
        rota_diags d;
        rota_diags_init(&d);
        rota_instance *inst = NULL;
        long before = live;
        fired = 0;
        countdown = n;
        rota_status st = rota_instance_load(path, &inst, &d);
        countdown = -1;
        int consistent = (st == ROTA_OK) == (inst != NULL);
        rota_instance_free(inst);
        rota_diags_free(&d);
        if (!consistent || live != before) {
            fprintf(stderr, "%s: failing allocation %ld: status %s, "
                    "instance %s, %ld blocks leaked\n", path, n,
                    rota_status_str(st), inst ? "set" : "NULL", live - before);
            return -1;
        }
        if (!fired)
            return n;
    }
}

int main(int argc, char **argv)
{
    const char *pre = getenv("LD_PRELOAD");
    if (pre && strstr(pre, "vgpreload"))
        return 77;
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        long n = chaos(argv[i]);
        if (n < 0)
            bad = 1;
        else
            printf("%s: %ld allocation points, each failure handled\n", argv[i], n);
    }
    return bad;
}
