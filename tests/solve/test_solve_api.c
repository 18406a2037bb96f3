/* test_solve_api.c - the library entry point rota/solve.h, without the CLI.
 *
 * usage: test_solve_api INSTANCES_DIR
 *
 * Checks: parameter validation; a run's roster has no violation and its
 * objective is rota_evaluate's; bound <= objective; the progress callback
 * is called and can stop the run through the stop flag; a proved optimum
 * on tiny-2; no false bound, refused roster or bad column on the tiny
 * instances, whose optima are known; same seed and iteration limit give
 * the same roster.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rota/eval.h"
#include "rota/instance.h"
#include "rota/solve.h"

static int failures;

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,          \
                    __LINE__, #cond);                                       \
            failures++;                                                     \
        }                                                                   \
    } while (0)

static rota_instance *load(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.yaml", dir, name);
    rota_diags d = {0};
    rota_instance *inst = NULL;
    if (rota_instance_load(path, &inst, &d) != ROTA_OK) {
        fprintf(stderr, "cannot load %s\n", path);
        exit(2);
    }
    rota_diags_free(&d);
    return inst;
}

static void test_params(const rota_instance *inst)
{
    rota_solve_params p;
    rota_solve_params_init(&p);
    CHECK(p.time_limit == 60 && p.gap == 1e-4 && p.use_cg == 1);
    p.gap = -1;
    CHECK(rota_solver_new(inst, &p) == NULL);
    rota_solve_params_init(&p);
    p.time_limit = 0;
    CHECK(rota_solver_new(inst, &p) == NULL);
    p.time_limit = NAN;
    CHECK(rota_solver_new(inst, &p) == NULL);
}

/* The roster is feasible by rota_evaluate, with the solver's objective. */
static void check_roster(const rota_instance *inst, const rota_solver *s)
{
    const rota_roster *r = rota_solver_roster(s);
    CHECK(r != NULL);
    if (!r)
        return;
    rota_eval e;
    CHECK(rota_evaluate(inst, r, &e) == ROTA_OK);
    CHECK(e.n_viol == 0);
    CHECK(fabs(e.objective - rota_solver_objective(s)) < 1e-9);
    double b;
    if (rota_solver_bound(s, &b))
        CHECK(b <= e.objective + 1e-9);
    rota_eval_free(&e);
}

static volatile sig_atomic_t stop_flag;
static int calls;

static void on_progress(const rota_progress *p, void *user)
{
    (void)user;
    calls++;
    if (p->has_objective && p->elapsed > 1.0)
        stop_flag = 1;
}

/* The stop flag ends a 60-second run early, with a feasible roster. */
static void test_stop(const rota_instance *inst)
{
    rota_solve_params p;
    rota_solve_params_init(&p);
    p.progress = on_progress;
    p.stop = &stop_flag;
    rota_solver *s = rota_solver_new(inst, &p);
    CHECK(s && rota_solver_run(s) == ROTA_OK);
    CHECK(calls >= 2);
    CHECK(rota_solver_seconds(s) < 10);
    CHECK(rota_solver_result(s) == ROTA_RESULT_FEASIBLE);
    CHECK(rota_solver_first_seconds(s) >= 0);
    check_roster(inst, s);
    rota_solver_free(s);
}

/* No bound a roster shows false, no refused roster, no column pricing
 * got wrong; column generation's own bound and the routing relaxation's
 * (which these hard-coverage instances always get) are at most the
 * optimum. */
static void check_trust(const rota_solver *s, double optimum)
{
    rota_solve_stats st;
    rota_solver_stats(s, &st);
    CHECK(st.false_bounds == 0);
    CHECK(st.rejected == 0);
    CHECK(st.bad_columns == 0);
    CHECK(st.cg_bound <= optimum + 1e-6);
    CHECK(isfinite(st.route_bound) && st.route_bound > 0 &&
          st.route_bound <= optimum + 1e-6);
}

static void test_optimal(const rota_instance *inst, double optimum)
{
    rota_solve_params p;
    rota_solve_params_init(&p);
    p.time_limit = 90;  /* ends once proved (about a second) */
    rota_solver *s = rota_solver_new(inst, &p);
    CHECK(s && rota_solver_run(s) == ROTA_OK);
    CHECK(rota_solver_result(s) == ROTA_RESULT_OPTIMAL);
    CHECK(fabs(rota_solver_objective(s) - optimum) < 1e-6);
    check_roster(inst, s);
    check_trust(s, optimum);
    rota_solver_free(s);
}

/* The search alone on a short iteration budget, then column generation to
 * the time limit: the bounds it proves on the way (the Lagrangian bound of
 * every complete round, the band bound, the exact master) never exceed
 * the optimum, whatever the search has found by then. */
static void test_bounds_below_optimum(const rota_instance *inst,
                                      double optimum)
{
    for (unsigned seed = 1; seed <= 2; seed++) {
        rota_solve_params p;
        rota_solve_params_init(&p);
        p.time_limit = 5;
        p.seed = seed;
        p.max_iterations = 50 * seed;
        rota_solver *s = rota_solver_new(inst, &p);
        CHECK(s && rota_solver_run(s) == ROTA_OK);
        check_roster(inst, s);
        check_trust(s, optimum);
        double b;
        if (rota_solver_bound(s, &b))
            CHECK(b <= optimum + 1e-6);
        rota_solver_free(s);
    }
}

/* Same seed, same iteration limit, heuristics only: the same roster. */
static void test_same_seed(const rota_instance *inst)
{
    rota_roster *first = NULL;
    for (int run = 0; run < 2; run++) {
        rota_solve_params p;
        rota_solve_params_init(&p);
        p.seed = 42;
        p.max_iterations = 3000;
        p.use_cg = 0;
        rota_solver *s = rota_solver_new(inst, &p);
        CHECK(s && rota_solver_run(s) == ROTA_OK);
        check_roster(inst, s);
        const rota_roster *r = rota_solver_roster(s);
        if (run == 0 && r)
            first = rota_roster_copy(r);
        else if (r && first)
            CHECK(memcmp(first->a, r->a, (size_t)r->n_visits *
                                             sizeof *r->a) == 0);
        rota_solver_free(s);
    }
    rota_roster_free(first);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_solve_api INSTANCES_DIR\n");
        return 2;
    }
    rota_instance *tiny = load(argv[1], "tiny-2");
    rota_instance *rud = load(argv[1], "rudersdal-1");
    static const struct { const char *name; double opt; } tinies[] = {
        {"tiny-1", 114.896897}, {"tiny-2", 148.839840}, {"tiny-3", 116.305305},
    };
    for (int i = 0; i < 3; i++) {
        rota_instance *t = load(argv[1], tinies[i].name);
        test_bounds_below_optimum(t, tinies[i].opt);
        rota_instance_free(t);
    }
    test_params(tiny);
    test_optimal(tiny, 148.839840);
    test_stop(rud);
    test_same_seed(rud);
    rota_instance_free(tiny);
    rota_instance_free(rud);
    if (failures)
        fprintf(stderr, "%d check(s) failed\n", failures);
    return failures ? 1 : 0;
}
