/* cmd_export.c - `rota export INSTANCE.yaml ROSTER.json --format F ...`:
 * a roster as iCalendar, CSV, text or HTML (docs/export.md).
 *
 * The roster JSON names its instance only by name; names, coordinates and
 * rules live in the instance, so the instance is required (positionally
 * or with --instance).  ROSTER "-" reads standard input.  The output goes
 * to stdout, or atomically to -o FILE.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opt.h"
#include "rota/check.h"
#include "rota/export.h"

typedef struct export_opts {
    const char *instance, *roster, *output;
    rota_export_params p;
} export_opts;

static void usage(FILE *out)
{
    fprintf(out,
        "usage: rota export INSTANCE.yaml ROSTER.json [--format F] [--staff ID]\n"
        "                   [--site ID] [--from YYYY-MM-DD] [--what visits|staff]\n"
        "                   [--width N] [-o FILE]\n"
        "       rota export ROSTER.json --instance INSTANCE.yaml ...\n\n"
        "Renders a roster for people and systems.  ROSTER.json '-' reads stdin.\n\n"
        "  --format F      ics (iCalendar), csv, text (default) or html\n"
        "  --staff ID      only this staff member's visits\n"
        "  --site ID       only this site's visits\n"
        "  --from DATE     week 1 of the cycle begins on the Monday on or after\n"
        "                  DATE; default: the first Monday after today\n"
        "  --what T        csv only: 'visits' (default, one row per visit) or\n"
        "                  'staff' (one row per staff member: the week's figures)\n"
        "  --width N       text only: columns to fit, 60..400 (default 100)\n"
        "  -o FILE         write to FILE (atomically) instead of stdout\n"
        "  --instance F    the instance the roster was planned for\n\n"
        "Times are local to Europe/Copenhagen.  SOURCE_DATE_EPOCH, when set,\n"
        "stands for the clock (today's date and the iCalendar DTSTAMP).\n"
        "Exit codes: 0 written, 1 internal error, 2 bad input or usage.\n");
}

static int bad_value(const char *opt, const char *v)
{
    fprintf(stderr, "rota export: bad value for %s: '%s'\n", opt,
            v ? v : "");
    return -1;
}

/* One option taking a value; returns 1 if argv[*i] was it, -1 on error. */
static int string_opt(int argc, char **argv, int *i, const char *name,
                      const char **dst)
{
    if (!opt_is(argv[*i], name))
        return 0;
    const char *v = opt_value(argc, argv, i, name);
    if (!v || !*v)
        return bad_value(name, v);
    *dst = v;
    return 1;
}

static int parse_opt(int argc, char **argv, int *i, export_opts *o,
                     const char **pos, int *npos)
{
    const char *a = argv[*i], *v = NULL;
    int rc;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
        return 1;
    if ((rc = string_opt(argc, argv, i, "--staff", &o->p.staff)) ||
        (rc = string_opt(argc, argv, i, "--site", &o->p.site)) ||
        (rc = string_opt(argc, argv, i, "--from", &o->p.from)) ||
        (rc = string_opt(argc, argv, i, "--instance", &o->instance)) ||
        (rc = string_opt(argc, argv, i, "--output", &o->output)))
        return rc < 0 ? -1 : 0;
    if (strcmp(a, "-o") == 0) {
        if (!(v = opt_value(argc, argv, i, "-o")) || !*v)
            return bad_value("-o", v);
        o->output = v;
    } else if ((rc = string_opt(argc, argv, i, "--format", &v)) != 0) {
        int f = rc > 0 ? rota_export_format_from_name(v) : -1;
        if (f < 0)
            return rc < 0 ? -1 : bad_value("--format (ics, csv, text, html)", v);
        o->p.format = (rota_export_format)f;
    } else if ((rc = string_opt(argc, argv, i, "--what", &v)) != 0) {
        if (rc < 0)
            return -1;
        if (strcmp(v, "visits") == 0)
            o->p.csv_table = ROTA_EXPORT_CSV_VISITS;
        else if (strcmp(v, "staff") == 0)
            o->p.csv_table = ROTA_EXPORT_CSV_STAFF;
        else
            return bad_value("--what (visits, staff)", v);
    } else if ((rc = string_opt(argc, argv, i, "--width", &v)) != 0) {
        char *end;
        long n = rc > 0 ? strtol(v, &end, 10) : 0;
        if (rc < 0 || *end || n < 60 || n > 400)
            return rc < 0 ? -1 : bad_value("--width (60..400)", v);
        o->p.width = (int)n;
    } else if (a[0] == '-' && a[1]) {
        fprintf(stderr, "rota export: unknown option '%s'\n", a);
        return -1;
    } else if (*npos < 2) {
        pos[(*npos)++] = a;
    } else {
        fprintf(stderr, "rota export: unexpected argument '%s'\n", a);
        return -1;
    }
    return 0;
}

/* Returns 0, 1 for --help, -1 on a usage error (said on stderr). */
static int parse_args(int argc, char **argv, export_opts *o)
{
    const char *pos[2] = {NULL, NULL};
    int npos = 0;
    memset(o, 0, sizeof *o);
    rota_export_params_init(&o->p);
    for (int i = 1; i < argc; i++) {
        int rc = parse_opt(argc, argv, &i, o, pos, &npos);
        if (rc != 0)
            return rc;
    }
    if (o->instance && npos == 1) {
        o->roster = pos[0];
    } else if (!o->instance && npos == 2) {
        o->instance = pos[0];
        o->roster = pos[1];
    } else if (npos == 0) {
        fprintf(stderr, "rota export: no roster given\n");
        return -1;
    } else if (!o->instance) {
        fprintf(stderr, "rota export: need the instance the roster was "
                "planned for (names, coordinates and\nrules live there, the "
                "roster names it only): rota export INSTANCE.yaml ROSTER.json\n");
        return -1;
    } else {
        fprintf(stderr, "rota export: --instance given and two positional "
                "arguments\n");
        return -1;
    }
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) {
        char *end;
        errno = 0;
        long long t = strtoll(epoch, &end, 10);
        if (errno || *end || t <= 0) {
            fprintf(stderr, "rota export: bad SOURCE_DATE_EPOCH '%s'\n", epoch);
            return -1;
        }
        o->p.now = t;
    }
    return 0;
}

/* Reads a whole file ("-": stdin) up to ROTA_CHECK_MAX_BYTES. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            if (cap > ROTA_CHECK_MAX_BYTES)
                break;
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int err = ferror(f);
    if (f != stdin)
        fclose(f);
    if (!buf || err || n > ROTA_CHECK_MAX_BYTES) {
        fprintf(stderr, "%s: %s\n", path, !buf ? "out of memory"
                : err ? "read error" : "larger than 16 MiB");
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

static void print_diags(const rota_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (!d->items[i].file && d->items[i].line == 0)
            fprintf(stderr, "rota export: %s\n", d->items[i].msg);
    rota_diags sub = *d;
    size_t n = 0;
    rota_diag *keep = malloc((d->n ? d->n : 1) * sizeof *keep);
    if (!keep)
        return;
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].file || d->items[i].line)
            keep[n++] = d->items[i];
    sub.items = keep;
    sub.n = n;
    cli_print_diags(stderr, &sub);
    free(keep);
}

static int run(const export_opts *o, const rota_instance *inst)
{
    size_t len = 0, out_len = 0;
    char *text = slurp(o->roster, &len), *out = NULL;
    if (!text)
        return EXIT_ROTA_INPUT;
    rota_diags d;
    rota_diags_init(&d);
    const char *name = strcmp(o->roster, "-") == 0 ? "<stdin>" : o->roster;
    rota_status st = rota_export_json(inst, text, len, name, &o->p, &out,
                                      &out_len, &d);
    int rc = EXIT_ROTA_OK;
    if (st != ROTA_OK) {
        rota_diags_sort(&d);
        print_diags(&d);
        if (d.n == 0)
            fprintf(stderr, "rota export: %s\n", rota_status_str(st));
        rc = st == ROTA_EINPUT || st == ROTA_EIO ? EXIT_ROTA_INPUT
                                                 : EXIT_ROTA_INTERNAL;
    } else if (cli_write_atomic(o->output ? o->output : "-", out,
                                out_len) < 0) {
        fprintf(stderr, "rota export: cannot write %s: %s\n",
                o->output ? o->output : "stdout", strerror(errno));
        rc = EXIT_ROTA_INTERNAL;
    }
    free(out);
    free(text);
    rota_diags_free(&d);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    export_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0) {
        usage(rc > 0 ? stdout : stderr);
        return rc > 0 ? EXIT_ROTA_OK : EXIT_ROTA_INPUT;
    }
    rota_instance *inst;
    if ((rc = cli_load_instance("export", o.instance, &inst)) != EXIT_ROTA_OK)
        return rc;
    rc = run(&o, inst);
    rota_instance_free(inst);
    return rc;
}
