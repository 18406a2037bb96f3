/* test_json_chaos.c - fault injection for the roster writer and checker:
 * fail the n-th allocation, for n = 0, 1, ... until a call runs without
 * hitting the failure.  Every run must end in a clean result or a clean
 * ROTA_ENOMEM / NULL (never a wrong verdict, a crash or a leak).  The
 * writer checks every Jansson set call: a dropped key would show here as a
 * document that checks differently.
 *
 * Like test_load_chaos.c, malloc is replaced process-wide (glibc __libc_*
 * entry points); meson leaves this test out of sanitizer builds, and it
 * skips itself (exit 77) under valgrind.
 *
 * Jansson 2.14's parser itself aborts on some allocation failures (an
 * assert in load.c lex_unget_unsave / lex_scan_string), so the checker's
 * failures start after the allocations json_loadb makes.
 *
 * usage: test_json_chaos INSTANCE.yaml ROSTER.json */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "rota/check.h"
#include "rota/roster_json.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static long countdown = -1;  /* allocations to let through; -1: all */
static long live;            /* allocations not yet freed */
static long calls;           /* allocation calls */
static int fired;

static int fail_now(void)
{
    calls++;
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

typedef struct ctx {
    const rota_instance *inst;
    const char *text;
    size_t len;
    const rota_roster *r;
    const rota_eval *e;
    char *good;              /* the writer's output without failures */
    int good_ok;             /* the checker's verdict without failures */
} ctx;

/* One writer run: NULL or exactly the good text. */
static int run_writer(ctx *c)
{
    rota_roster_meta meta;
    rota_roster_meta_init(&meta);
    char *t = rota_roster_to_json(c->inst, c->r, c->e, &meta);
    int ok = !t || !c->good || strcmp(t, c->good) == 0;
    if (!c->good && countdown < 0)
        c->good = t;
    else
        free(t);
    return ok ? 0 : -1;
}

/* One checker run: ENOMEM, or the good verdict. */
static int run_checker(ctx *c)
{
    rota_diags d;
    rota_diags_init(&d);
    rota_check_report rep;
    rota_check_report_init(&rep);
    rota_status st = rota_check_buffer(c->inst, c->text, c->len, "r.json", &rep, &d);
    int ok = st == ROTA_ENOMEM ||
             (st == ROTA_OK && (rep.oom || rota_check_ok(&rep) == c->good_ok));
    if (st == ROTA_OK) {
        char *j = rota_check_report_json(c->inst, &rep, "r.json");
        free(j);
    }
    rota_check_report_free(&rep);
    rota_diags_free(&d);
    return ok ? 0 : -1;
}

/* Fails allocation n = from, from + 1, ... in run(); returns the number
 * of allocation points or -1. */
static long chaos(ctx *c, int (*run)(ctx *), long from, const char *what)
{
    for (long n = from;; n++) {
        long before = live;
        fired = 0;
        countdown = n;
        int rc = run(c);
        countdown = -1;
        if (rc < 0 || live != before) {
            fprintf(stderr, "%s: failing allocation %ld: %s\n", what, n,
                    rc < 0 ? "wrong result" : "leak");
            return -1;
        }
        if (!fired)
            return n;
    }
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[1 << 20];
    *len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

int main(int argc, char **argv)
{
    if (getenv("LD_PRELOAD") && strstr(getenv("LD_PRELOAD"), "valgrind"))
        return 77;
    if (argc != 3)
        return 2;
    rota_diags d;
    rota_diags_init(&d);
    rota_instance *inst = NULL;
    rota_roster *r = NULL;
    rota_eval e;
    ctx c = {0};
    int rc = 1;
    c.text = slurp(argv[2], &c.len);
    if (!c.text || rota_instance_load(argv[1], &inst, &d) != ROTA_OK ||
        rota_roster_read(inst, c.text, c.len, argv[2], &r, &d) != ROTA_OK ||
        rota_evaluate(inst, r, &e) != ROTA_OK) {
        fprintf(stderr, "cannot set up\n");
        return 1;
    }
    c.inst = inst;
    c.r = r;
    c.e = &e;
    run_writer(&c);        /* the good text */
    rota_check_report rep;
    rota_check_report_init(&rep);
    rota_check_buffer(inst, c.text, c.len, "r.json", &rep, &d);
    c.good_ok = rota_check_ok(&rep);
    rota_check_report_free(&rep);
    long before = calls;
    json_error_t err;
    json_t *doc = json_loadb(c.text, c.len, JSON_REJECT_DUPLICATES, &err);
    long n_load = calls - before;
    json_decref(doc);
    long nw = chaos(&c, run_writer, 0, "writer");
    printf("writer: %ld allocation points\n", nw);
    long nc = chaos(&c, run_checker, n_load, "checker");
    printf("checker: %ld allocation points (after %ld in json_loadb)\n",
           nc, n_load);
    rc = nw >= 0 && nc >= 0 ? 0 : 1;
    free(c.good);
    rota_eval_free(&e);
    rota_roster_free(r);
    rota_instance_free(inst);
    rota_diags_free(&d);
    return rc;
}
