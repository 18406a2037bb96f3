/* cmd_solve.c - `rota solve INSTANCE.yaml [-o ROSTER.json] ...`
 *
 * Stdout carries the roster JSON and nothing else (or nothing, with -o);
 * progress (about once a second) and a summary go to stderr.  SIGINT stops
 * the search and writes the best roster found; a second SIGINT exits at
 * once with 130.  Exit codes: spec section 5.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cg.h"
#include "cli.h"
#include "opt.h"
#include "rota/eval.h"
#include "rota/explain.h"
#include "rota/export.h"
#include "rota/roster_json.h"
#include "rota/solve.h"

static volatile sig_atomic_t stop_flag;

static void on_sigint(int sig)
{
    (void)sig;
    if (stop_flag)
        _exit(130);
    stop_flag = 1;
}

typedef struct opts {
    const char *instance, *output;
    int quiet, verbose;
    int format;            /* -1: the roster JSON; else rota_export_format */
    rota_solve_params p;
} opts;

static void usage(FILE *out)
{
    fprintf(out,
        "usage: rota solve INSTANCE.yaml [-o ROSTER.json] [--time-limit S]\n"
        "                  [--gap G] [--seed N] [--quiet] [--help]\n\n"
        "Plans a roster and writes it as JSON (stdout without -o).\n\n"
        "  -o FILE           write the roster to FILE (atomically)\n"
        "  --format F        json (default), ics, csv, text or html: the roster\n"
        "                    as `rota export` renders it (docs/export.md)\n"
        "  --time-limit S    seconds of search, default 60\n"
        "  --gap G           stop when the relative gap is at most G, default 1e-4\n"
        "  --seed N          seed of the search's random choices, default 1\n"
        "  --iterations N    stop the local search after N iterations\n"
        "                    (reproducible runs; default: no limit)\n"
        "  --no-cg           heuristics only: no column generation\n"
        "  --quiet           no progress and no summary on stderr\n"
        "  --verbose         phases on stderr\n\n"
        "Exit codes: 0 roster written, 1 internal error, 2 bad input or usage,\n"
        "3 proved infeasible, 4 no solution within the time limit.\n");
}

static int bad_value(const char *opt, const char *v)
{
    return opt_bad("solve", opt, v);
}

/* One option at argv[*i]; returns 0, 1 for --help, -1 on error. */
static int parse_opt(int argc, char **argv, int *i, opts *o)
{
    const char *a = argv[*i], *v;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
        return 1;
    if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)
        o->quiet = 1;
    else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0)
        o->verbose++;
    else if (strcmp(a, "--no-cg") == 0)
        o->p.use_cg = 0;
    else if (strcmp(a, "-o") == 0 || opt_is(a, "--output")) {
        if (!(v = opt_value(argc, argv, i, a[1] == 'o' ? "-o" : "--output")) || !*v)
            return bad_value(a, v);
        o->output = v;
    } else if (opt_is(a, "--format")) {
        v = opt_value(argc, argv, i, "--format");
        if (v && strcmp(v, "json") == 0)
            o->format = -1;
        else if (!v || (o->format = rota_export_format_from_name(v)) < 0)
            return bad_value("--format", v);
    } else if (opt_is(a, "--gap")) {
        v = opt_value(argc, argv, i, "--gap");
        if (!v || opt_double(v, &o->p.gap) < 0 || o->p.gap < 0)
            return bad_value("--gap", v);
    } else {
        int r = opt_search("solve", argc, argv, i, &o->p.time_limit,
                           &o->p.seed, &o->p.max_iterations);
        if (r != 0)
            return r < 0 ? -1 : 0;
        return opt_instance("solve", a, &o->instance);
    }
    return 0;
}

static int parse_args(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    o->format = -1;
    rota_solve_params_init(&o->p);
    for (int i = 1; i < argc; i++) {
        int rc = parse_opt(argc, argv, &i, o);
        if (rc != 0)
            return rc;
    }
    if (!o->instance) {
        fprintf(stderr, "rota solve: no instance given\n");
        return -1;
    }
    return 0;
}

static void print_progress(const rota_progress *p, void *user)
{
    (void)user;
    fprintf(stderr, "rota: %7.1fs %-9s", p->elapsed, p->phase);
    if (p->has_objective)
        fprintf(stderr, "  objective %.3f", p->objective);
    if (p->has_bound)
        fprintf(stderr, "  bound %.3f", p->bound);
    if (p->gap >= 0)
        fprintf(stderr, "  gap %.2f%%", 100 * p->gap);
    fprintf(stderr, "  iterations %ld\n", p->iterations);
}

static void install_sigint(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

/* The human summary on stderr. */
static void summary(const rota_instance *inst, rota_solver *s,
                    const rota_roster *r, const rota_eval *e, int verbose)
{
    double b;
    int hb = rota_solver_bound(s, &b);
    fprintf(stderr, "\nstatus %s", rota_result_str(rota_solver_result(s)));
    if (r)
        fprintf(stderr, "  objective %.6f", e->objective);
    if (hb)
        fprintf(stderr, "  bound %.6f", b);
    if (r && hb)
        fprintf(stderr, "  gap %.4f%%", 100 * (e->objective - b) /
                fmax(1.0, fabs(e->objective)));
    fprintf(stderr, "  (%.2fs", rota_solver_seconds(s));
    if (rota_solver_first_seconds(s) >= 0)
        fprintf(stderr, ", first roster %.2fs", rota_solver_first_seconds(s));
    fprintf(stderr, ")\n");
    if (rota_solver_reason(s))
        fprintf(stderr, "reason: %s\n", rota_solver_reason(s));
    if (verbose) {
        rota_solve_stats st;
        rota_solver_stats(s, &st);
        fprintf(stderr, "search: %ld iterations, %ld improvements; routing "
                "relaxation: bound %.6f; column generation: bound %.6f, "
                "%ld rows, %ld columns (%ld generated), %ld branch-and-price "
                "nodes; trust: %ld false bounds, %ld refused rosters, %ld "
                "bad columns\n",
                st.iterations, st.improvements, st.route_bound, st.cg_bound,
                st.rows, st.cols, st.cols_generated, st.bp_nodes,
                st.false_bounds,
                st.rejected, st.bad_columns);
    }
    if (!r)
        return;
    const rota_terms *t = &e->terms;
    fprintf(stderr, "terms: travel %.2f, continuity %.0f, slot change %.0f, "
            "preference %.0f, balance %.2f, uncovered %.0f\n", t->travel,
            t->continuity, t->slot_change, t->preference, t->balance,
            t->uncovered);
    fprintf(stderr, "%-16s %5s %14s %15s %6s\n", "staff", "sites",
            "visit min/wk", "travel min/wk", "util");
    for (int k = 0; k < inst->n_staff; k++) {
        const rota_staff_figures *f = &e->staff[k];
        fprintf(stderr, "%-16s %5d %14.1f %15.1f %5.1f%%\n", inst->staff[k].id,
                f->n_sites, f->visit_minutes, f->travel_minutes,
                100 * f->utilisation);
    }
    for (int v = 0; v < inst->n_visits; v++)
        if (r->a[v].staff < 0)
            fprintf(stderr, "uncovered: %s/%s\n",
                    inst->sites[inst->visits[v].site].id,
                    inst->roles[inst->visits[v].role]);
}

static int exit_code(rota_result res)
{
    switch (res) {
    case ROTA_RESULT_OPTIMAL:
    case ROTA_RESULT_FEASIBLE: return EXIT_ROTA_OK;
    case ROTA_RESULT_INFEASIBLE: return EXIT_ROTA_INFEASIBLE;
    case ROTA_RESULT_NO_SOLUTION: return EXIT_ROTA_NO_SOLUTION;
    default: return EXIT_ROTA_INTERNAL;
    }
}

/* Renders the roster in an export format (--format); NULL (said on
 * stderr) when there is no roster or on failure. */
static char *render_export(const opts *o, const rota_instance *inst,
                           rota_solver *s, const rota_roster *r,
                           const rota_eval *e, size_t *len)
{
    rota_export_params ep;
    rota_diags d;
    char *out = NULL;
    if (!r) {
        fprintf(stderr, "rota solve: no roster to write as %s\n",
                rota_export_format_name((rota_export_format)o->format));
        return NULL;
    }
    rota_export_params_init(&ep);
    ep.format = (rota_export_format)o->format;
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch)
        ep.now = strtoll(epoch, NULL, 10);
    rota_diags_init(&d);
    rota_status st = rota_export_roster(inst, r, e, rota_solver_result(s),
                                        &ep, &out, len, &d);
    if (st != ROTA_OK) {
        cli_print_diags(stderr, &d);
        fprintf(stderr, "rota solve: cannot render the roster as %s: %s\n",
                rota_export_format_name(ep.format), rota_status_str(st));
    }
    rota_diags_free(&d);
    return out;
}

/* Renders and writes the roster JSON (or the --format); returns 0 or -1
 * (said on stderr). */
static int write_roster(const opts *o, const rota_instance *inst,
                        rota_solver *s, const rota_roster *r,
                        const rota_eval *e, double user_limit,
                        const rota_conflict *conflict)
{
    if (o->format >= 0) {
        size_t len = 0;
        char *out = render_export(o, inst, s, r, e, &len);
        if (!out)
            return r ? -1 : 0;
        int rc = cli_write_atomic(o->output ? o->output : "-", out, len);
        if (rc < 0)
            fprintf(stderr, "rota solve: cannot write %s: %s\n",
                    o->output ? o->output : "stdout", strerror(errno));
        free(out);
        return rc;
    }
    rota_roster_meta m;
    rota_solve_stats st;
    rota_roster_meta_init(&m);
    rota_solver_stats(s, &st);
    m.status = rota_solver_result(s);
    m.has_bound = rota_solver_bound(s, &m.bound);
    m.solve_seconds = rota_solver_seconds(s);
    m.first_seconds = rota_solver_first_seconds(s);
    m.seed = o->p.seed;
    m.time_limit = user_limit;
    m.reason = rota_solver_reason(s);
    m.rows = st.rows;
    m.cols = st.cols;
    m.cols_generated = st.cols_generated;
    m.branch_nodes = st.cols_generated >= 0 ? st.bp_nodes : -1;
    m.conflict = conflict;
    char *text = rota_roster_to_json(inst, r, e, &m);
    if (!text) {
        fprintf(stderr, "rota solve: out of memory writing the roster\n");
        return -1;
    }
    const char *path = o->output ? o->output : "-";
    int rc = cli_write_atomic(path, text, strlen(text));
    if (rc < 0)
        fprintf(stderr, "rota solve: cannot write %s: %s\n",
                o->output ? o->output : "stdout", strerror(errno));
    free(text);
    return rc;
}

/* ROTA_SOLVE_STRICT=1 in the environment (the tests set it): a trust
 * counter above 0 (a bound a roster showed false, a roster the evaluator
 * refused, a column pricing got wrong) makes the command fail (exit 1)
 * after writing the roster.  The solver survives such bugs; tests must
 * not. */
static int trust_failed(const rota_solver *s)
{
    const char *e = getenv("ROTA_SOLVE_STRICT");
    if (!e || strcmp(e, "1") != 0)
        return 0;
    rota_solve_stats st;
    rota_solver_stats(s, &st);
    if (st.false_bounds == 0 && st.rejected == 0 && st.bad_columns == 0)
        return 0;
    fprintf(stderr, "rota solve: trust check failed: %ld false bound(s), "
            "%ld refused roster(s), %ld bad column(s)\n", st.false_bounds,
            st.rejected, st.bad_columns);
    return 1;
}

/* Solves, writes, summarises; returns the exit code. */
static int solve_and_write(const opts *o, const rota_instance *inst,
                           double user_limit)
{
    rota_solve_params p = o->p;
    p.stop = &stop_flag;
    p.verbosity = o->verbose;
    if (!o->quiet)
        p.progress = print_progress;
    rota_solver *s = rota_solver_new(inst, &p);
    if (!s) {
        fprintf(stderr, "rota solve: out of memory\n");
        return EXIT_ROTA_INTERNAL;
    }
    rota_status st = rota_solver_run(s);
    if (st != ROTA_OK)
        fprintf(stderr, "rota solve: %s\n", rota_status_str(st));
    const rota_roster *r = rota_solver_roster(s);
    rota_eval e;
    rota_conflict conflict;
    memset(&e, 0, sizeof e);
    memset(&conflict, 0, sizeof conflict);
    int code = exit_code(rota_solver_result(s));
    if (r && rota_evaluate(inst, r, &e) != ROTA_OK) {
        fprintf(stderr, "rota solve: out of memory\n");
        code = EXIT_ROTA_INTERNAL;
        goto done;
    }
    /* proved infeasible: isolate the visits and rules that clash */
    if (rota_solver_result(s) == ROTA_RESULT_INFEASIBLE &&
        rota_explain_infeasible(inst, fmin(10, o->p.time_limit), &conflict) != ROTA_OK) {
        fprintf(stderr, "rota solve: out of memory\n");
        code = EXIT_ROTA_INTERNAL;
        goto done;
    }
    if (write_roster(o, inst, s, r, &e, user_limit, &conflict) < 0) {
        code = EXIT_ROTA_INTERNAL;
        goto done;
    }
    if (!o->quiet)
        summary(inst, s, r, &e, o->verbose);
    else if (rota_solver_reason(s) && !r)
        fprintf(stderr, "rota solve: %s\n", rota_solver_reason(s));
    if (conflict.proved)
        fprintf(stderr, "%s\n", conflict.message);
    if (trust_failed(s))
        code = EXIT_ROTA_INTERNAL;
done:
    rota_conflict_free(&conflict);
    rota_eval_free(&e);
    if (rota_solver_busy(s)) {
        /* column generation is stuck in a GLPK call past the time limit:
         * the roster is written, so leave without waiting for it */
        fflush(stderr);
        _exit(code);
    }
    rota_solver_free(s);
    return code;
}

int cmd_solve(int argc, char **argv)
{
    double t_start = rota_now();
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
    int lc = cli_load_instance("solve", o.instance, &inst);
    if (lc != EXIT_ROTA_OK)
        return lc;
    install_sigint();
    /* the time limit is the command's: loading counts */
    double user_limit = o.p.time_limit;
    o.p.time_limit = fmax(0.05, user_limit - (rota_now() - t_start));
    int code = solve_and_write(&o, inst, user_limit);
    rota_instance_free(inst);
    return code;
}
