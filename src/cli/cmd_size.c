/* cmd_size.c - `rota size INSTANCE.yaml [--role R] ...`: the least team
 * covering every visit, and a what-if table (library: rota/size.h).
 *
 * Stdout: the table (or --json, the rota-size/1 document); stderr: what is
 * being solved.  -o writes the covering roster at the least size, --team
 * the instance of that team, so that `rota check TEAM ROSTER` judges it.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opt.h"
#include "rota/edit.h"
#include "rota/eval.h"
#include "rota/roster_json.h"
#include "rota/size.h"

static volatile sig_atomic_t stop_flag;

static void on_sigint(int sig)
{
    (void)sig;
    stop_flag = 1;
}

typedef struct opts {
    const char *instance, *role, *tmpl, *office, *roster_out, *team_out;
    int json, quiet;
    rota_size_params p;
} opts;

static void usage(FILE *out)
{
    fprintf(out,
        "usage: rota size INSTANCE.yaml [--role R] [--min K] [--max K]\n"
        "                 [--template STAFF_ID | --hours H --office O]\n"
        "                 [--time-limit S] [--json] [-o ROSTER.json] [--team TEAM.yaml]\n\n"
        "Finds the least number of staff of a role that covers every visit, with a\n"
        "roster at that size and a proof that one fewer cannot (or says that it is\n"
        "unresolved), and prints a what-if table of team sizes.  Smaller teams drop\n"
        "the role's last staff in file order; larger ones add new positions copied\n"
        "from the template (contract hours, office, days, availability, districts)\n"
        "or, without one, full-time positions on the week's days and hours.\n\n"
        "  --role R          the role to size (needed when there are several)\n"
        "  --min K, --max K  the range of the table (default: least-2 .. least+1,\n"
        "                    and today's size)\n"
        "  --template ID     new positions copy this staff member\n"
        "  --hours H         contract hours of new positions (default 37 or the template's)\n"
        "  --office O        office of new positions\n"
        "  --time-limit S    seconds per solve, default 10\n"
        "  --seed N, --iterations N, --no-cg   as for rota solve, per solve\n"
        "  --json            the table as a rota-size/1 JSON document (docs/size.md)\n"
        "  -o FILE           write the roster covering everything at the least size\n"
        "  --team FILE       write the instance with that team (for rota check)\n"
        "  --quiet           nothing on stderr\n\n"
        "Exit codes: 0 a least size found, 1 internal error, 2 bad input or usage,\n"
        "4 no size in the range covers every visit within the time.\n");
}

static int bad(const char *opt, const char *v)
{
    return opt_bad("size", opt, v);
}

static int parse_int_opt(int argc, char **argv, int *i, const char *name, int *out)
{
    long n;
    const char *v = opt_value(argc, argv, i, name);
    if (!v || opt_long(v, &n) < 0 || n > 10000)
        return bad(name, v);
    *out = (int)n;
    return 0;
}

/* Options with a string value: 1 when argv[*i] is one (*rc: 0 or -1). */
static int string_opt(int argc, char **argv, int *i, opts *o, int *rc)
{
    const struct { const char *name; const char **dst; } t[] = {
        {"--role", &o->role}, {"--template", &o->tmpl}, {"--office", &o->office},
        {"--team", &o->team_out}, {"--output", &o->roster_out}, {"-o", &o->roster_out},
    };
    for (size_t j = 0; j < sizeof t / sizeof t[0]; j++) {
        if (!opt_is(argv[*i], t[j].name))
            continue;
        const char *v = opt_value(argc, argv, i, t[j].name);
        *rc = !v || !*v ? bad(t[j].name, v) : 0;
        if (*rc == 0)
            *t[j].dst = v;
        return 1;
    }
    return 0;
}

static int parse_opt(int argc, char **argv, int *i, opts *o)
{
    const char *a = argv[*i], *v;
    int rc = 0;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
        return 1;
    if (strcmp(a, "--json") == 0)
        o->json = 1;
    else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)
        o->quiet = 1;
    else if (strcmp(a, "--no-cg") == 0)
        o->p.use_cg = 0;
    else if (opt_is(a, "--min"))
        return parse_int_opt(argc, argv, i, "--min", &o->p.min_k);
    else if (opt_is(a, "--max"))
        return parse_int_opt(argc, argv, i, "--max", &o->p.max_k);
    else if (string_opt(argc, argv, i, o, &rc))
        return rc;
    else if (opt_is(a, "--hours")) {
        v = opt_value(argc, argv, i, "--hours");
        if (!v || opt_double(v, &o->p.hours) < 0 || !(o->p.hours > 0) ||
            o->p.hours > 60)
            return bad("--hours", v);
    } else {
        int r = opt_search("size", argc, argv, i, &o->p.time_limit,
                           &o->p.seed, &o->p.max_iterations);
        if (r != 0)
            return r < 0 ? -1 : 0;
        return opt_instance("size", a, &o->instance);
    }
    return 0;
}

static int parse_args(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    rota_size_params_init(&o->p);
    for (int i = 1; i < argc; i++) {
        int rc = parse_opt(argc, argv, &i, o);
        if (rc != 0)
            return rc;
    }
    if (!o->instance) {
        fprintf(stderr, "rota size: no instance given\n");
        return -1;
    }
    return 0;
}

/* Names to indices; messages name the instance.  0 or -1. */
static int resolve(opts *o, const rota_instance *inst)
{
    if (o->role) {
        o->p.role = rota_find_role(inst, o->role);
        if (o->p.role < 0) {
            fprintf(stderr, "rota size: %s: no staff member or visit has role '%s'\n",
                    o->instance, o->role);
            return -1;
        }
    } else if (inst->n_roles == 1) {
        o->p.role = 0;
    } else {
        fprintf(stderr, "rota size: %s has %d roles: say which with --role\n",
                o->instance, inst->n_roles);
        return -1;
    }
    if (o->tmpl) {
        o->p.tmpl = rota_find_staff(inst, o->tmpl);
        if (o->p.tmpl < 0 || inst->staff[o->p.tmpl].role != o->p.role) {
            fprintf(stderr, "rota size: %s: --template '%s' is not a %s on the staff\n",
                    o->instance, o->tmpl, inst->roles[o->p.role]);
            return -1;
        }
    }
    if (o->office) {
        o->p.office = -1;
        for (int i = 0; i < inst->n_offices; i++)
            if (strcmp(inst->offices[i].id, o->office) == 0)
                o->p.office = i;
        if (o->p.office < 0) {
            fprintf(stderr, "rota size: %s: no office '%s'\n", o->instance, o->office);
            return -1;
        }
    }
    return 0;
}

static void print_table(FILE *f, const rota_instance *inst,
                        const rota_size_result *r)
{
    const char *role = inst->roles[r->role];
    fprintf(f, "role %s: %d on the staff now\n", role, r->n_now);
    if (r->least >= 0)
        fprintf(f, "least team covering every visit: %d %s (%s)\n", r->least,
                role, r->proved ? (r->least == 0 ? "proved" :
                "proved: a roster at this size, and one fewer cannot")
                : "a roster at this size; one fewer is unresolved");
    else
        fprintf(f, "no team size in the range covers every visit within the time\n");
    fprintf(f, "\n%4s %6s %-11s %8s %10s %10s %10s %6s %6s %12s  %-10s %s\n",
            "k", "staff", "status", "covered", "need cov", "need unc",
            "travel/wk", "util", "max", "objective", "covers all", "proof");
    for (int i = 0; i < r->n_rows; i++) {
        const rota_size_row *w = &r->rows[i];
        const char *all = w->proof == ROTA_SIZE_COVERS ? "yes" :
            w->proof == ROTA_SIZE_UNRESOLVED ? "?" : "no";
        if (w->solved && w->has_roster)
            fprintf(f, "%4d %6d %-11s %4d/%-3d %10.1f %10.1f %10.1f %5.1f%% %5.1f%% %12.2f  %-10s %s\n",
                    w->k, w->n_staff, rota_result_str(w->result), w->covered,
                    w->covered + w->uncovered, w->covered_need,
                    w->uncovered_need, w->travel_week, 100 * w->mean_util,
                    100 * w->max_util, w->objective, all,
                    rota_size_proof_str(w->proof));
        else
            fprintf(f, "%4d %6s %-11s %8s %10s %10s %10s %6s %6s %12s  %-10s %s\n",
                    w->k, "-", w->solved ? "no_solution" : "not_solved", "-",
                    "-", "-", "-", "-", "-", "-", all,
                    rota_size_proof_str(w->proof));
    }
    fprintf(f, "\n");
    for (int i = 0; i < r->n_rows; i++)
        if (r->rows[i].why[0])
            fprintf(f, "k=%d: %s\n", r->rows[i].k, r->rows[i].why);
}

/* -o and --team: the least team's roster and instance. */
static int write_outputs(const opts *o, const rota_size_result *r)
{
    if (!o->roster_out && !o->team_out)
        return 0;
    if (!r->roster) {
        fprintf(stderr, "rota size: no roster covers every visit: nothing written\n");
        return 0;
    }
    int rc = 0;
    if (o->team_out) {
        char *y = rota_instance_to_yaml(r->team);
        if (!y || cli_write_atomic(o->team_out, y, strlen(y)) < 0) {
            fprintf(stderr, "rota size: cannot write %s: %s\n", o->team_out,
                    y ? strerror(errno) : "out of memory");
            rc = -1;
        }
        free(y);
    }
    if (o->roster_out) {
        rota_eval e;
        rota_roster_meta m;
        rota_roster_meta_init(&m);
        char *text = NULL;
        if (rota_evaluate(r->team, r->roster, &e) == ROTA_OK) {
            text = rota_roster_to_json(r->team, r->roster, &e, &m);
            rota_eval_free(&e);
        }
        if (!text || cli_write_atomic(o->roster_out, text, strlen(text)) < 0) {
            fprintf(stderr, "rota size: cannot write %s: %s\n", o->roster_out,
                    text ? strerror(errno) : "out of memory");
            rc = -1;
        }
        free(text);
    }
    return rc;
}

int cmd_size(int argc, char **argv)
{
    opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc == 1) {
        usage(stdout);
        return EXIT_ROTA_OK;
    }
    if (rc < 0) {
        usage(stderr);
        return EXIT_ROTA_INPUT;
    }
    rota_instance *inst;
    int lc = cli_load_instance("size", o.instance, &inst);
    if (lc != EXIT_ROTA_OK)
        return lc;
    rota_diags diags;
    rota_diags_init(&diags);
    rota_status st;
    int code = EXIT_ROTA_INPUT;
    rota_size_result res;
    memset(&res, 0, sizeof res);
    if (resolve(&o, inst) < 0)
        goto done;
    signal(SIGINT, on_sigint);
    o.p.stop = &stop_flag;
    if (!o.quiet)
        fprintf(stderr, "rota size: %s, role %s, %.0f s per solve\n", o.instance,
                inst->roles[o.p.role], o.p.time_limit);
    st = rota_size_run(inst, &o.p, &res, &diags);
    if (st != ROTA_OK) {
        cli_print_diags(stderr, &diags);
        if (st == ROTA_ENOMEM)
            fprintf(stderr, "rota size: out of memory\n");
        code = st == ROTA_ENOMEM ? EXIT_ROTA_INTERNAL : EXIT_ROTA_INPUT;
        goto done;
    }
    code = res.least >= 0 ? EXIT_ROTA_OK : EXIT_ROTA_NO_SOLUTION;
    if (o.json) {
        char *text = rota_size_to_json(inst, &res);
        size_t len = text ? strlen(text) : 0;
        char *t2 = text ? realloc(text, len + 2) : NULL;
        if (!t2) {
            free(text);
            fprintf(stderr, "rota size: out of memory\n");
            code = EXIT_ROTA_INTERNAL;
            goto done;
        }
        t2[len] = '\n';
        t2[len + 1] = 0;
        if (cli_write_atomic("-", t2, len + 1) < 0)
            code = EXIT_ROTA_INTERNAL;
        free(t2);
    } else {
        print_table(stdout, inst, &res);
        if (fflush(stdout) != 0)
            code = EXIT_ROTA_INTERNAL;
    }
    if (write_outputs(&o, &res) < 0)
        code = EXIT_ROTA_INTERNAL;
done:
    rota_size_result_free(&res);
    rota_diags_free(&diags);
    rota_instance_free(inst);
    return code;
}
