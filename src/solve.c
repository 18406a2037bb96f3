/* solve.c - the optimiser's orchestration (see rota/solve.h).
 *
 *   1. presolve: infeasibility proofs a person can read, a simple bound;
 *   2. construct + descend: a first roster within a second or so;
 *   3. rounds until the time limit, the stop flag, the iteration limit or
 *      a proved gap <= params.gap:
 *        large-neighbourhood search for a number of iterations that grows
 *        each round (every new best roster is checked by rota_evaluate and
 *        its day patterns go to column generation);
 *        column generation at the root (a proved bound);
 *        the integer master over the columns (a roster, which the search
 *        continues from when it is better; a proof when the master holds
 *        every column).
 *
 * Decisions depend on iteration counts only, never on the clock: time only
 * stops a phase.  So a run that is not cut by the time limit is a function
 * of the instance and the seed.
 *
 * Trust: a roster is kept only when rota_evaluate finds no violation, and
 * its objective is rota_evaluate's.  A bound is kept only when it comes
 * from a proof (presolve, a converged or Lagrangian column generation
 * bound, an exact integer master), and never above a roster's objective.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "heur.h"
#include "presolve.h"
#include "rota/eval.h"
#include "rota/solve.h"

struct rota_solver {
    const rota_instance *inst;
    rota_solve_params p;
    rota_result result;
    rota_roster *best;          /* NULL until a feasible roster is found */
    double obj;                 /* its objective by rota_evaluate */
    int has_bound;
    double bound;
    double t0, deadline, first, total, last_progress;
    const char *phase;
    char reason[600];
    int has_reason;
    int ran;
    rota_heur *heur;
    rota_cg *cg;
    rota_roster *tmp;           /* scratch for the integer master */
    long rejected;              /* heuristic rosters rota_evaluate refused */
    rota_solve_stats stats;
};

void rota_solve_params_init(rota_solve_params *p)
{
    memset(p, 0, sizeof *p);
    p->time_limit = 60;
    p->gap = 1e-4;
    p->seed = 1;
    p->verbosity = 0;
    p->max_iterations = 0;
    p->use_cg = 1;
}

rota_solver *rota_solver_new(const rota_instance *inst,
                             const rota_solve_params *p)
{
    if (!inst || !p || !(p->time_limit > 0) || !(p->gap >= 0) ||
        p->max_iterations < 0)
        return NULL;
    rota_solver *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->inst = inst;
    s->p = *p;
    s->result = ROTA_RESULT_NO_SOLUTION;
    s->obj = NAN;
    s->first = -1;
    s->phase = "presolve";
    s->stats = (rota_solve_stats){-1, -1, -1, 0, 0, 0, 0};
    return s;
}

void rota_solver_free(rota_solver *s)
{
    if (!s)
        return;
    rota_roster_free(s->best);
    rota_roster_free(s->tmp);
    rota_heur_free(s->heur);
    rota_cg_free(s->cg);
    free(s);
}

/* ---- figures ---------------------------------------------------------- */

static double gap_of(const rota_solver *s)
{
    if (!s->best || !s->has_bound)
        return -1;
    return (s->obj - s->bound) / fmax(1.0, fabs(s->obj));
}

static int gap_closed(const rota_solver *s)
{
    double g = gap_of(s);
    return g >= 0 && g <= s->p.gap;
}

static int stopped(const rota_solver *s)
{
    return (s->p.stop && *s->p.stop) || rota_now() >= s->deadline;
}

static void progress(rota_solver *s, int force)
{
    double now = rota_now();
    if (!s->p.progress || (!force && now - s->last_progress < 1.0))
        return;
    s->last_progress = now;
    rota_progress pr = {
        .elapsed = now - s->t0,
        .has_objective = s->best != NULL,
        .objective = s->obj,
        .has_bound = s->has_bound,
        .bound = s->bound,
        .gap = gap_of(s),
        .phase = s->phase,
        .iterations = s->heur ? rota_heur_iterations(s->heur) : 0,
    };
    s->p.progress(&pr, s->p.progress_user);
}

static void say(const rota_solver *s, int level, const char *what)
{
    if (s->p.verbosity < level)
        return;
    fprintf(stderr, "rota: %6.2fs %-9s %s  objective %.6f  bound %.6f\n",
            rota_now() - s->t0, s->phase, what, s->best ? s->obj : NAN,
            s->has_bound ? s->bound : NAN);
}

/* Takes a proved lower bound.  One above the best roster's objective (by
 * more than rounding) would be a false proof: it is refused and said. */
static void take_bound(rota_solver *s, double b, const char *from)
{
    if (!isfinite(b) || (s->has_bound && b <= s->bound))
        return;
    if (s->best && b > s->obj) {
        if (b > s->obj + 1e-6 * fmax(1.0, fabs(s->obj))) {
            if (s->p.verbosity > 0)
                fprintf(stderr, "rota: warning: %s bound %.9f above the "
                        "objective %.9f of a checked roster: ignored\n",
                        from, b, s->obj);
            return;
        }
        b = s->obj;
    }
    s->has_bound = 1;
    s->bound = b;
}

/* Takes a roster if rota_evaluate finds it feasible and better. Returns 1
 * when it became the best. */
static int take_roster(rota_solver *s, const rota_roster *r)
{
    rota_eval e;
    if (rota_evaluate(s->inst, r, &e) != ROTA_OK)
        return 0;
    int ok = e.n_viol == 0, better = 0;
    double obj = e.objective;
    rota_eval_free(&e);
    if (!ok) {
        s->rejected++;
        if (s->p.verbosity > 0)
            fprintf(stderr, "rota: warning: a roster with violations was "
                    "proposed and refused\n");
        return 0;
    }
    if (!s->best) {
        s->best = rota_roster_copy(r);
        if (!s->best)
            return 0;
        s->first = rota_now() - s->t0;
        better = 1;
    } else if (obj < s->obj - 1e-9) {
        rota_roster_assign(s->best, r);
        better = 1;
    }
    if (better) {
        s->obj = obj;
        if (s->has_bound && s->bound > s->obj)
            s->bound = s->obj;  /* rounding only: take_bound refused more */
    }
    return better;
}

/* ---- heuristic callbacks ---------------------------------------------- */

static void on_best(void *user, const rota_roster *r, int covered)
{
    rota_solver *s = user;
    if (!covered)
        return;
    if (take_roster(s, r) && s->cg)
        rota_cg_add_roster(s->cg, r);
    progress(s, 0);
}

static void on_tick(void *user)
{
    progress(user, 0);
}

/* ---- phases ----------------------------------------------------------- */

static rota_status run_presolve(rota_solver *s)
{
    rota_presolve pre;
    rota_status st = rota_presolve_run(s->inst, &pre);
    if (st != ROTA_OK)
        return st;
    if (pre.infeasible) {
        s->result = ROTA_RESULT_INFEASIBLE;
        snprintf(s->reason, sizeof s->reason, "%s", pre.reason);
        s->has_reason = 1;
        return ROTA_OK;
    }
    take_bound(s, pre.bound, "presolve");
    say(s, 1, "presolved");
    return ROTA_OK;
}

static rota_status run_construct(rota_solver *s)
{
    s->phase = "construct";
    s->heur = rota_heur_new(s->inst, s->p.seed, s->p.verbosity);
    if (!s->heur)
        return ROTA_ENOMEM;
    rota_heur_limits lim = {s->deadline, s->p.stop, on_best, on_tick, s};
    rota_heur_set_limits(s->heur, &lim);
    rota_heur_construct(s->heur);
    rota_heur_descend(s->heur);
    say(s, 1, rota_heur_best_missing(s->heur) ? "constructed (incomplete)"
                                              : "constructed");
    progress(s, 1);
    return ROTA_OK;
}

/* Iterations left under params.max_iterations (LONG_MAX-ish when none). */
static long iterations_left(const rota_solver *s)
{
    if (s->p.max_iterations <= 0)
        return 1L << 60;
    long done = rota_heur_iterations(s->heur);
    return done < s->p.max_iterations ? s->p.max_iterations - done : 0;
}

static void run_search(rota_solver *s, long n)
{
    s->phase = "search";
    if (n > iterations_left(s))
        n = iterations_left(s);
    if (n <= 0)
        return;
    double t = rota_now();
    rota_heur_search(s->heur, n);
    s->stats.search_seconds += rota_now() - t;
    say(s, 1, "searched");
}

/* Starts column generation with every roster found so far. */
static rota_status cg_start(rota_solver *s)
{
    if (!s->p.use_cg || s->cg)
        return ROTA_OK;
    s->cg = rota_cg_new(s->inst);
    s->tmp = rota_roster_new(s->inst);
    if (!s->cg || !s->tmp)
        return ROTA_ENOMEM;
    if (s->best)
        return rota_cg_add_roster(s->cg, s->best);
    return ROTA_OK;
}

static rota_status run_root(rota_solver *s)
{
    double b = -INFINITY, t = rota_now();
    s->phase = "bound";
    progress(s, 0);
    rota_status st = rota_cg_root(s->cg, s->deadline, s->p.stop, &b);
    s->stats.cg_seconds += rota_now() - t;
    if (st != ROTA_OK)
        return st;
    take_bound(s, b, "column generation");
    say(s, 1, "root bound");
    return ROTA_OK;
}

/* The integer master: a roster (checked, and handed to the search when it
 * is better) and, with every column present, a proof. */
static rota_status run_integer(rota_solver *s)
{
    int found = 0, proved = 0;
    double b = -INFINITY, t = rota_now();
    s->phase = "integer";
    progress(s, 0);
    rota_status st = rota_cg_integer(s->cg, s->deadline, s->p.stop, s->best,
                                     s->tmp, &found, &proved, &b);
    s->stats.cg_seconds += rota_now() - t;
    if (st != ROTA_OK)
        return st;
    if (found && take_roster(s, s->tmp)) {
        rota_heur_load(s->heur, s->best);
        say(s, 1, "integer master improved");
    }
    if (proved)
        take_bound(s, b, "exact integer master");
    return ROTA_OK;
}

static void finish(rota_solver *s)
{
    if (s->cg) {
        rota_cg_stats cs;
        rota_cg_get_stats(s->cg, &cs);
        s->stats.rows = cs.rows;
        s->stats.cols = cs.cols;
        s->stats.cols_generated = cs.cols_generated;
    }
    if (s->heur) {
        s->stats.iterations = rota_heur_iterations(s->heur);
        s->stats.improvements = rota_heur_improvements(s->heur);
    }
    if (s->result != ROTA_RESULT_INFEASIBLE && s->result != ROTA_RESULT_ERROR)
        s->result = !s->best ? ROTA_RESULT_NO_SOLUTION
                    : gap_closed(s) ? ROTA_RESULT_OPTIMAL
                                    : ROTA_RESULT_FEASIBLE;
    if (s->result == ROTA_RESULT_NO_SOLUTION && !s->has_reason) {
        int miss = s->heur ? rota_heur_best_missing(s->heur) : -1;
        if (miss > 0)
            snprintf(s->reason, sizeof s->reason, "no roster covering every "
                     "visit found in the time limit (the best left %d "
                     "visit(s) uncovered)", miss);
        else
            snprintf(s->reason, sizeof s->reason,
                     "no roster found in the time limit");
        s->has_reason = 1;
    }
    s->total = rota_now() - s->t0;
    s->phase = "done";
    progress(s, 1);
}

/* LNS iterations of round r: grows with the instance and the round, so
 * that column generation gets good columns early and the search most of
 * a long run. */
static long round_iterations(const rota_solver *s, int r)
{
    long base = 10L * s->inst->n_visits + 500;
    return base << (r < 6 ? r : 6);
}

static rota_status run_rounds(rota_solver *s)
{
    rota_status st = ROTA_OK;
    for (int r = 0; !stopped(s) && !gap_closed(s); r++) {
        long before = rota_heur_iterations(s->heur);
        run_search(s, round_iterations(s, r));
        int searched = rota_heur_iterations(s->heur) > before;
        if (stopped(s) || gap_closed(s))
            break;
        if (!s->p.use_cg) {
            if (!searched)
                break;
            continue;
        }
        if ((st = cg_start(s)) != ROTA_OK || (st = run_root(s)) != ROTA_OK)
            return st;
        if (stopped(s) || gap_closed(s))
            break;
        if ((st = run_integer(s)) != ROTA_OK)
            return st;
        if (!searched && r > 0)
            break;  /* iteration limit reached and the master was solved */
    }
    return st;
}

rota_status rota_solver_run(rota_solver *s)
{
    if (s->ran)
        return ROTA_EINTERNAL;
    s->ran = 1;
    s->t0 = s->last_progress = rota_now();
    s->deadline = s->t0 + s->p.time_limit;
    progress(s, 1);
    rota_status st = run_presolve(s);
    if (st == ROTA_OK && s->result != ROTA_RESULT_INFEASIBLE) {
        st = run_construct(s);
        if (st == ROTA_OK)
            st = run_rounds(s);
    }
    if (st != ROTA_OK)
        s->result = ROTA_RESULT_ERROR;
    finish(s);
    return st;
}

/* ---- getters ---------------------------------------------------------- */

rota_result rota_solver_result(const rota_solver *s)
{
    return s->result;
}

const rota_roster *rota_solver_roster(const rota_solver *s)
{
    return s->best;
}

double rota_solver_objective(const rota_solver *s)
{
    return s->best ? s->obj : NAN;
}

int rota_solver_bound(const rota_solver *s, double *bound)
{
    if (s->has_bound && bound)
        *bound = s->bound;
    return s->has_bound;
}

double rota_solver_first_seconds(const rota_solver *s)
{
    return s->first;
}

double rota_solver_seconds(const rota_solver *s)
{
    return s->total;
}

const char *rota_solver_reason(const rota_solver *s)
{
    return s->has_reason ? s->reason : NULL;
}

void rota_solver_stats(const rota_solver *s, rota_solve_stats *out)
{
    *out = s->stats;
}
