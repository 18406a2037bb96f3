/* cmd_check.c - `rota check INSTANCE.yaml ROSTER.json`: the referee.
 *
 * Loads the instance, reads the roster, prints every rule violation and
 * every wrong figure (one line each) and a summary line on stdout.
 * Exit 0: feasible and every figure right; 3: a rule broken or a figure
 * wrong (or no roster in the document); 2: malformed input or usage;
 * 1: internal error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rota/check.h"
#include "rota/instance.h"

typedef struct check_opts {
    const char *instance, *roster;
    int json, quiet;
} check_opts;

static void usage(FILE *out)
{
    fprintf(out,
        "usage: rota check INSTANCE.yaml ROSTER.json [--json] [--quiet]\n\n"
        "Re-checks a roster against every rule of the instance and recomputes\n"
        "its objective, terms, per-staff minutes, utilisation, tours and legs.\n"
        "Prints each violation and each wrong figure, then a summary line.\n\n"
        "  --json   print the verdict as a JSON document (rota-check/1)\n"
        "  --quiet  print nothing on stdout; the exit status tells\n"
        "  --help   this text\n\n"
        "Exit status: 0 feasible and every figure right, 3 a rule broken or a\n"
        "figure wrong, 2 malformed instance or roster (FILE:LINE:COLUMN:\n"
        "messages on stderr) or usage, 1 internal error.\n");
}

/* Returns -1 to exit 2 (usage printed), 1 for --help, 0 to go on. */
static int parse_args(int argc, char **argv, check_opts *o)
{
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return 1;
        if (strcmp(a, "--json") == 0)
            o->json = 1;
        else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)
            o->quiet = 1;
        else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "rota check: unknown option '%s'\n", a);
            return -1;
        } else if (npos == 0) {
            o->instance = a;
            npos++;
        } else if (npos == 1) {
            o->roster = a;
            npos++;
        } else {
            fprintf(stderr, "rota check: unexpected argument '%s'\n", a);
            return -1;
        }
    }
    if (npos != 2) {
        fprintf(stderr, "rota check: need an instance and a roster\n");
        return -1;
    }
    return 0;
}

static int exit_for(rota_status st)
{
    return st == ROTA_EINPUT || st == ROTA_EIO ? EXIT_ROTA_INPUT
                                               : EXIT_ROTA_INTERNAL;
}

static int report_malformed(const check_opts *o, rota_diags *d, rota_status st)
{
    rota_diags_sort(d);
    cli_print_diags(stderr, d);
    if (o->json && !o->quiet) {
        char *text = rota_diags_json(d);
        if (text)
            fputs(text, stdout);
        free(text);
    }
    return exit_for(st);
}

static int print_text(const rota_instance *inst, const rota_check_report *rep,
                      const char *path)
{
    char line[2048], sum[256];
    for (size_t i = 0; i < rep->n; i++) {
        const rota_finding *f = &rep->items[i];
        if (f->line > 0)
            printf("%s:%d:%d: ", path, f->line, f->col);
        printf("%s\n", rota_finding_format(inst, f, line, sizeof line));
    }
    if (rep->n_dropped)
        printf("(%zu more findings not shown)\n", rep->n_dropped);
    if (rep->oom)
        printf("(some findings were lost: out of memory)\n");
    printf("%s\n", rota_check_summary(rep, sum, sizeof sum));
    return 0;
}

static int print_report(const check_opts *o, const rota_instance *inst,
                        const rota_check_report *rep)
{
    if (o->quiet)
        return 0;
    if (!o->json)
        return print_text(inst, rep, o->roster);
    char *text = rota_check_report_json(inst, rep, o->roster);
    if (!text)
        return -1;
    fputs(text, stdout);
    free(text);
    return 0;
}

int cmd_check(int argc, char **argv)
{
    check_opts o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc != 0) {
        usage(rc > 0 ? stdout : stderr);
        return rc > 0 ? EXIT_ROTA_OK : EXIT_ROTA_INPUT;
    }
    rota_diags d;
    rota_diags_init(&d);
    rota_instance *inst = NULL;
    rota_check_report rep;
    rota_check_report_init(&rep);
    rota_status st = rota_instance_load(o.instance, &inst, &d);
    if (st == ROTA_OK)
        st = rota_check_file(inst, o.roster, &rep, &d);
    if (st != ROTA_OK) {
        rc = report_malformed(&o, &d, st);
    } else if (print_report(&o, inst, &rep) < 0 || fflush(stdout) != 0) {
        fprintf(stderr, "rota check: cannot write the verdict\n");
        rc = EXIT_ROTA_INTERNAL;
    } else {
        rc = rota_check_ok(&rep) ? EXIT_ROTA_OK : EXIT_ROTA_INFEASIBLE;
    }
    rota_check_report_free(&rep);
    rota_instance_free(inst);
    rota_diags_free(&d);
    return rc;
}
