/* cmd_pin.c - `rota pin INSTANCE.yaml ROSTER.json [...]`: the instance with
 * the roster's assignments as pins or current assignments (library:
 * rota/pin.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opt.h"
#include "rota/check.h"
#include "rota/edit.h"
#include "rota/pin.h"

#define MAX_IDS 4096

typedef struct opts {
    const char *instance, *roster, *output;
    int fragment;
    const char *sites[MAX_IDS], *staff[MAX_IDS], *without[MAX_IDS];
    rota_pin_params p;
} opts;

static void usage(FILE *out)
{
    fprintf(out,
        "usage: rota pin INSTANCE.yaml ROSTER.json [--as pin|current]\n"
        "                [--site ID]... [--staff ID]... [--parts staff,day,start]\n"
        "                [--without STAFF_ID]... [--fragment] [-o FILE]\n\n"
        "Writes the instance with the roster's assignments as pins (hard: keep\n"
        "these parts unchanged) or as current assignments (soft: a re-plan pays\n"
        "continuity and slot_change for each change).  Every default is written\n"
        "out; comments are not kept.  See docs/replan.md.\n\n"
        "  --as pin|current  what to write, default pin\n"
        "  --site ID         only the visits at this site (repeatable)\n"
        "  --staff ID        only the visits of this staff member (repeatable)\n"
        "  --parts LIST      which parts, default staff,day,start\n"
        "  --without ID      this staff member leaves: removed from the team, their\n"
        "                    visits get no pin (as current: day and start only)\n"
        "  --fragment        only a sites: fragment with the visits set, to merge\n"
        "                    into the instance by hand\n"
        "  -o FILE           write to FILE (atomically) instead of stdout\n\n"
        "Exit codes: 0 written, 1 internal error, 2 bad input or usage.\n");
}

static int add_id(const char **xs, int *n, const char *v, const char *opt)
{
    if (!v || !*v || *n >= MAX_IDS) {
        fprintf(stderr, "rota pin: bad value for %s\n", opt);
        return -1;
    }
    xs[(*n)++] = v;
    return 0;
}

static int parse_parts(const char *v, unsigned *parts)
{
    *parts = 0;
    char buf[64];
    if (!v || strlen(v) >= sizeof buf)
        return -1;
    strcpy(buf, v);
    for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
        if (!strcmp(t, "staff"))
            *parts |= ROTA_PIN_STAFF;
        else if (!strcmp(t, "day"))
            *parts |= ROTA_PIN_DAY;
        else if (!strcmp(t, "start"))
            *parts |= ROTA_PIN_START;
        else
            return -1;
    }
    return *parts ? 0 : -1;
}

static int parse_opt(int argc, char **argv, int *i, opts *o)
{
    const char *a = argv[*i], *v;
    if (!strcmp(a, "--help") || !strcmp(a, "-h"))
        return 1;
    if (!strcmp(a, "--fragment"))
        o->fragment = 1;
    else if (opt_is(a, "--site"))
        return add_id(o->sites, &o->p.n_sites, opt_value(argc, argv, i, "--site"), a);
    else if (opt_is(a, "--staff"))
        return add_id(o->staff, &o->p.n_staff, opt_value(argc, argv, i, "--staff"), a);
    else if (opt_is(a, "--without"))
        return add_id(o->without, &o->p.n_without, opt_value(argc, argv, i, "--without"), a);
    else if (opt_is(a, "--as")) {
        v = opt_value(argc, argv, i, "--as");
        if (!v || (strcmp(v, "pin") && strcmp(v, "current"))) {
            fprintf(stderr, "rota pin: --as takes pin or current\n");
            return -1;
        }
        o->p.as_current = !strcmp(v, "current");
    } else if (opt_is(a, "--parts")) {
        v = opt_value(argc, argv, i, "--parts");
        if (parse_parts(v, &o->p.parts) < 0) {
            fprintf(stderr, "rota pin: --parts takes a list of staff, day, start\n");
            return -1;
        }
    } else if (!strcmp(a, "-o") || opt_is(a, "--output")) {
        v = opt_value(argc, argv, i, a[1] == 'o' ? "-o" : "--output");
        if (!v || !*v) {
            fprintf(stderr, "rota pin: -o needs a file\n");
            return -1;
        }
        o->output = v;
    } else if (a[0] == '-' && a[1]) {
        fprintf(stderr, "rota pin: unknown option '%s'\n", a);
        return -1;
    } else if (!o->instance) {
        o->instance = a;
    } else if (!o->roster) {
        o->roster = a;
    } else {
        fprintf(stderr, "rota pin: too many arguments\n");
        return -1;
    }
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16;
    char *buf = malloc(cap);
    *len = 0;
    while (buf) {
        size_t got = fread(buf + *len, 1, cap - *len, f);
        *len += got;
        if (got == 0 || *len > (16u << 20))
            break;
        if (*len == cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                buf = NULL;
            } else {
                buf = b;
            }
        }
    }
    if (ferror(f) || *len > (16u << 20)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

/* Loads both inputs and renders the output; returns the exit code. */
static int run(opts *o, rota_diags *diags)
{
    rota_instance *inst = NULL;
    rota_roster *r = NULL;
    char *text = NULL, *out = NULL;
    size_t len = 0;
    int code = EXIT_ROTA_INPUT;
    rota_status st = rota_instance_load(o->instance, &inst, diags);
    if (st != ROTA_OK)
        goto done;
    errno = 0;
    if (!(text = slurp(o->roster, &len))) {
        fprintf(stderr, "rota pin: cannot read %s: %s\n", o->roster,
                errno ? strerror(errno) : "too large");
        goto done;
    }
    if ((st = rota_roster_read(inst, text, len, o->roster, &r, diags)) != ROTA_OK)
        goto done;
    o->p.sites = o->p.n_sites ? o->sites : NULL;
    o->p.staff = o->p.n_staff ? o->staff : NULL;
    o->p.without = o->without;
    int n_set = 0;
    if (o->fragment) {
        rota_instance *probe = rota_instance_clone(inst);
        st = probe ? rota_pin_apply(probe, r, &o->p, &n_set, diags) : ROTA_ENOMEM;
        rota_instance_free(probe);
        if (st == ROTA_OK && !(out = rota_pin_fragment(inst, r, &o->p)))
            st = ROTA_ENOMEM;
    } else if ((st = rota_pin_apply(inst, r, &o->p, &n_set, diags)) == ROTA_OK &&
               !(out = rota_instance_to_yaml(inst))) {
        st = ROTA_ENOMEM;
    }
    if (st != ROTA_OK)
        goto done;
    code = EXIT_ROTA_OK;
    if (cli_write_atomic(o->output ? o->output : "-", out, strlen(out)) < 0) {
        fprintf(stderr, "rota pin: cannot write %s: %s\n",
                o->output ? o->output : "stdout", strerror(errno));
        code = EXIT_ROTA_INTERNAL;
    } else {
        fprintf(stderr, "rota pin: %d visit(s) %s%s\n", n_set,
                o->p.as_current ? "with current assignments" : "pinned",
                o->p.n_without ? ", staff removed" : "");
    }
done:
    if (st == ROTA_ENOMEM) {
        fprintf(stderr, "rota pin: out of memory\n");
        code = EXIT_ROTA_INTERNAL;
    }
    free(out);
    free(text);
    rota_roster_free(r);
    rota_instance_free(inst);
    return code;
}

int cmd_pin(int argc, char **argv)
{
    opts *o = calloc(1, sizeof *o);
    if (!o) {
        fprintf(stderr, "rota pin: out of memory\n");
        return EXIT_ROTA_INTERNAL;
    }
    rota_pin_params_init(&o->p);
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++)
        rc = parse_opt(argc, argv, &i, o);
    if (rc == 0 && (!o->instance || !o->roster)) {
        fprintf(stderr, "rota pin: an instance and a roster are needed\n");
        rc = -1;
    }
    if (rc != 0) {
        usage(rc > 0 ? stdout : stderr);
        free(o);
        return rc > 0 ? EXIT_ROTA_OK : EXIT_ROTA_INPUT;
    }
    rota_diags diags;
    rota_diags_init(&diags);
    int code = run(o, &diags);
    cli_print_diags(stderr, &diags);
    rota_diags_free(&diags);
    free(o);
    return code;
}
