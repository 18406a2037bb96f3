/* solve.h - the optimiser: from an instance to the best roster it can find
 * and a proved lower bound.
 *
 * Shaped like GLPK's and HiGHS' C APIs: parameters in a struct filled by an
 * init function, an opaque solver object, a run call whose return value says
 * only whether the call worked (rota_status), and getters for what the
 * solver concluded (rota_result) and found.
 *
 *     rota_solve_params p;
 *     rota_solve_params_init(&p);
 *     p.time_limit = 10;
 *     rota_solver *s = rota_solver_new(inst, &p);
 *     if (s && rota_solver_run(s) == ROTA_OK &&
 *         rota_solver_result(s) <= ROTA_RESULT_FEASIBLE)
 *         use(rota_solver_roster(s));
 *     rota_solver_free(s);
 *
 * Guarantees: every roster the solver returns has no violation by
 * rota_evaluate() and its objective is rota_evaluate()'s; a bound is
 * reported only when it is proved; the result is ROTA_RESULT_OPTIMAL only
 * when (objective - bound) / max(1, |objective|) <= params.gap.  Same
 * instance, same parameters and same seed give the same roster, except
 * where the time limit or the stop flag cut the search at a different
 * point (the iteration limit makes runs reproducible).
 *
 * Ownership: rota_solver_new allocates and borrows inst (which must outlive
 * the solver); rota_solver_free frees.  Pointers returned by getters stay
 * valid until rota_solver_free.
 */
#ifndef ROTA_SOLVE_H
#define ROTA_SOLVE_H

#include <signal.h>

#include "rota/diag.h"
#include "rota/instance.h"
#include "rota/roster.h"

/* What the progress callback is told, about once a second. */
typedef struct rota_progress {
    double elapsed;          /* seconds since rota_solver_run began */
    int has_objective;       /* 0: no roster yet */
    double objective;        /* best roster's objective */
    int has_bound;           /* 0: no proved bound yet */
    double bound;            /* best proved lower bound */
    double gap;              /* (objective - bound) / max(1, |objective|); < 0 unknown */
    const char *phase;       /* "presolve", "construct", "search", "bound", "integer" */
    long iterations;         /* local search iterations so far */
} rota_progress;

typedef struct rota_solve_params {
    double time_limit;       /* seconds of wall-clock time; default 60 */
    double gap;              /* stop when the relative gap is at most this; default 1e-4 */
    unsigned seed;           /* of the search's random choices; default 1 */
    int verbosity;           /* 0 quiet (default); 1 phases; 2 detail, on stderr */
    long max_iterations;     /* local search iterations in all; 0 (default): no limit */
    int use_cg;              /* 1 (default): column generation for bounds and rosters */
    /* Called about once a second from the solving thread; may be NULL. */
    void (*progress)(const rota_progress *p, void *user);
    void *progress_user;
    /* When non-NULL and set non-zero (e.g. by a signal handler), the search
     * stops as soon as it can and keeps the best roster found. */
    const volatile sig_atomic_t *stop;
} rota_solve_params;

/* Model and search figures, for benchmarks (-1: not known). */
typedef struct rota_solve_stats {
    long rows, cols;          /* master problem size */
    long cols_generated;      /* columns added by pricing */
    long iterations;          /* local search iterations */
    long improvements;        /* new best rosters found by the search */
    double search_seconds, cg_seconds;
    /* Trust counters: each should stay 0 (anything else is a bug, caught
     * and survived): bounds a checked roster showed false (refused or
     * dropped), rosters rota_evaluate refused, columns pricing got wrong. */
    long false_bounds;
    long rejected;
    long bad_columns;
    double cg_bound;          /* column generation's best proved bound, or
                                 -INFINITY when it proved none */
    double route_bound;       /* the routing relaxation's bound (tours
                                 without time, hard coverage), or
                                 -INFINITY when none */
    long bp_nodes;            /* branch-and-price nodes solved */
} rota_solve_stats;

typedef struct rota_solver rota_solver;

void rota_solve_params_init(rota_solve_params *p);

/* A solver for inst; NULL when out of memory or the parameters are out of
 * range (time_limit < 0 or NaN, gap < 0). */
rota_solver *rota_solver_new(const rota_instance *inst,
                             const rota_solve_params *p);

/* Runs the search to its end (proved optimal, infeasible, time limit, stop
 * flag or iteration limit).  Returns ROTA_OK when the call worked, whatever
 * the result; ROTA_ENOMEM or ROTA_EINTERNAL otherwise (then the result is
 * ROTA_RESULT_ERROR, but a roster found before the failure stays
 * readable).  Call it once per solver. */
rota_status rota_solver_run(rota_solver *s);

rota_result rota_solver_result(const rota_solver *s);
/* The best roster, NULL when none (no_solution, infeasible, error). */
const rota_roster *rota_solver_roster(const rota_solver *s);
/* Its objective by rota_evaluate; NaN when there is no roster. */
double rota_solver_objective(const rota_solver *s);
/* 1 and *bound set when a lower bound is proved, else 0. */
int rota_solver_bound(const rota_solver *s, double *bound);
/* Seconds from the start of the run to the first roster (< 0: none). */
double rota_solver_first_seconds(const rota_solver *s);
/* Seconds the run took. */
double rota_solver_seconds(const rota_solver *s);
/* Why the instance is infeasible or no roster was found; NULL otherwise. */
const char *rota_solver_reason(const rota_solver *s);
void rota_solver_stats(const rota_solver *s, rota_solve_stats *out);
/* 1 when a helper thread (column generation inside a long GLPK call) did
 * not stop within a quarter of a second after the search: rota_solver_run has
 * returned without its results, and rota_solver_free will wait for it.  A
 * program about to exit may skip rota_solver_free then. */
int rota_solver_busy(const rota_solver *s);

void rota_solver_free(rota_solver *s);

#endif
