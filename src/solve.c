/* solve.c - the optimiser's orchestration (see rota/solve.h).
 *
 *   1. presolve: infeasibility proofs a person can read, a simple bound;
 *   2. construct + descend: a first roster within a second or so;
 *   3. large-neighbourhood search on this thread until the time limit, the
 *      stop flag, the iteration limit or a proved gap <= params.gap; every
 *      new best roster is checked by rota_evaluate and queued for
 *   4. column generation on a second thread: the root bound (proved), then
 *      the integer master over the columns (a roster; a proof when the
 *      master holds every column), again whenever new rosters arrive.
 *
 * The search's decisions depend on iteration counts only, never on the
 * clock or on the other thread: time only stops it.  So the search's
 * roster is a function of the instance, the seed and where it stopped;
 * the master's roster replaces it only when strictly better.
 *
 * Trust: a roster is kept only when rota_evaluate finds no violation, and
 * its objective is rota_evaluate's.  A bound is kept only when it comes
 * from a proof (presolve, column generation's bound, an exact integer
 * master), and never above a roster's objective.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cg.h"
#include "heur.h"
#include "presolve.h"
#include "route_bound.h"
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
    int has_pre_bound;
    double pre_bound;           /* presolve's, the fallback */
    double pre_soft;            /* its soft part (rota_presolve.soft) */
    int route_said;             /* the routing relaxation's bound was said */
    long false_bounds;          /* bounds a roster showed false (bugs) */
    double t0, deadline, first, total, last_progress;
    const char *phase;
    char reason[600];
    int has_reason;
    int ran;
    rota_heur *heur;
    long rejected;              /* rosters rota_evaluate refused */
    rota_solve_stats stats;
    struct cg_worker *cgw;      /* column generation thread, NULL if none */
};

static void worker_free(struct cg_worker *w);

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
    s->stats = (rota_solve_stats){.rows = -1, .cols = -1,
                                  .cols_generated = -1,
                                  .cg_bound = -INFINITY,
                                  .route_bound = -INFINITY};
    return s;
}

void rota_solver_free(rota_solver *s)
{
    if (!s)
        return;
    worker_free(s->cgw);
    rota_roster_free(s->best);
    rota_heur_free(s->heur);
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
            s->false_bounds++;
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

/* A new roster may show a bound taken earlier to be false (a bug in its
 * source): then only the presolve bound is kept.  Within rounding the
 * bound is lowered to the objective. */
static void recheck_bound(rota_solver *s)
{
    if (!s->has_bound || s->bound <= s->obj)
        return;
    if (s->bound > s->obj + 1e-6 * fmax(1.0, fabs(s->obj))) {
        if (s->p.verbosity > 0)
            fprintf(stderr, "rota: warning: bound %.9f above the objective "
                    "%.9f of a checked roster: dropped\n", s->bound, s->obj);
        s->bound = s->pre_bound;
        s->has_bound = s->has_pre_bound && s->pre_bound <= s->obj;
        s->false_bounds++;
        return;
    }
    s->bound = s->obj;
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
        recheck_bound(s);
    }
    return better;
}

/* ---- the column generation thread ------------------------------------
 *
 * Column generation runs on a second thread with its own GLPK state; the
 * search keeps the first core.  They talk through this struct only: the
 * search queues every new best roster (the thread turns them into
 * columns), the thread posts bounds and integer-master rosters, which the
 * search thread checks with rota_evaluate and takes when better.  The
 * search never continues from a master roster, so its trajectory is a
 * function of the seed and the iteration count; only the final choice
 * between its best and the master's depends on how far the thread got.
 */

#define CG_QUEUE_MAX 256
#define BRANCH_SLICE 2.0    /* seconds of branching between new rosters */
/* Seconds of GLPK's branch-and-cut per round when the tree can go on
 * after it: over a complete master (every column below the incumbent)
 * branching on days and people rather than single columns, with rosters
 * from integral nodes (jammerbugt-1: optimal in some runs, never when
 * GLPK held the thread to the deadline).  3 s, not 10: in eight 60 s
 * runs of jammerbugt-1 no 10 s round proved or found anything, and with
 * 3 s the tree proved the optimum in 16-35 s instead of 28-51 s (seeds
 * 1-8, seed 6 in neither); tiny-1..3 and koebenhavn-replan-1 are proved
 * as before, sooner.  Without a proof in reach cg_ip.c gives it 5 s
 * anyway. */
#define IP_ROUND 3.0

typedef struct cg_worker {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    const rota_instance *inst;
    double deadline;
    double soft;                /* presolve's soft part (route bound) */
    volatile sig_atomic_t stop;  /* set by the search thread at the end */
    /* search -> thread */
    rota_roster *queue[CG_QUEUE_MAX];
    int n_queue;
    long dropped;
    /* thread -> search */
    int has_bound;
    double bound;               /* best root / Lagrangian bound */
    int has_proof;
    double proof;               /* optimum of an exact integer master */
    int has_route;
    double route;               /* the routing relaxation's bound */
    rota_roster *posted;        /* a master roster not yet taken, or NULL */
    int idle;                   /* waiting for rosters: all work done */
    int no_branch;              /* ROTA_CG_NO_BRANCH: no branch-and-price */
    double slice;               /* seconds of branching per call */
    int done;                   /* the thread has ended */
    int joined;                 /* pthread_join done */
    rota_status status;
    rota_cg_stats stats;
    double seconds;
    rota_roster *inc;           /* the thread's: the last roster taken */
    int have_inc;
    double inc_obj;             /* its objective; NAN: not evaluated yet */
} cg_worker;

static void worker_post_bound(cg_worker *w, double b, int proof)
{
    if (!isfinite(b))
        return;
    pthread_mutex_lock(&w->mu);
    if (proof && (!w->has_proof || b > w->proof)) {
        w->has_proof = 1;
        w->proof = b;
    } else if (!proof && (!w->has_bound || b > w->bound)) {
        w->has_bound = 1;
        w->bound = b;
    }
    pthread_mutex_unlock(&w->mu);
}

/* The roster source of the master's root loop: the next queued roster,
 * kept as the incumbent (the queue holds the search's improvements in
 * order, so the last one is the best). */
static const rota_roster *next_queued(void *user)
{
    cg_worker *w = user;
    rota_roster *r = NULL;
    pthread_mutex_lock(&w->mu);
    if (w->n_queue > 0 && !w->stop) {
        r = w->queue[0];
        memmove(w->queue, w->queue + 1,
                (size_t)(w->n_queue - 1) * sizeof *w->queue);
        w->n_queue--;
    }
    pthread_mutex_unlock(&w->mu);
    if (!r)
        return NULL;
    rota_roster_assign(w->inc, r);
    w->have_inc = 1;
    w->inc_obj = NAN;
    rota_roster_free(r);
    return w->inc;
}

/* Takes the queued rosters into the master (next_queued keeps the last,
 * the best, as the incumbent); *taken counts them.  Waits while there is
 * nothing to do and `wait` is set.  Returns 0 when asked to stop. */
static int worker_take(cg_worker *w, rota_cg *cg, int wait, int *taken)
{
    pthread_mutex_lock(&w->mu);
    while (wait && w->n_queue == 0 && !w->stop) {
        w->idle = 1;
        pthread_cond_broadcast(&w->cv);
        pthread_cond_wait(&w->cv, &w->mu);
    }
    w->idle = 0;
    pthread_mutex_unlock(&w->mu);
    const rota_roster *r;
    int go = 1;
    *taken = 0;
    while (go && (r = next_queued(w))) {
        go = rota_cg_add_roster(cg, r) == ROTA_OK;
        ++*taken;
    }
    return go && !w->stop && rota_now() < w->deadline;
}

static void worker_post_roster(cg_worker *w, const rota_roster *r)
{
    rota_roster *c = rota_roster_copy(r);
    if (!c)
        return;
    pthread_mutex_lock(&w->mu);
    rota_roster_free(w->posted);
    w->posted = c;
    pthread_mutex_unlock(&w->mu);
}

static void worker_post_stats(cg_worker *w, const rota_cg *cg)
{
    pthread_mutex_lock(&w->mu);
    rota_cg_get_stats(cg, &w->stats);
    pthread_mutex_unlock(&w->mu);
}

/* The objective of a feasible roster, +inf otherwise. */
static double roster_objective(const rota_instance *inst, const rota_roster *r)
{
    rota_eval e;
    if (rota_evaluate(inst, r, &e) != ROTA_OK)
        return INFINITY;
    double obj = e.n_viol ? INFINITY : e.objective;
    rota_eval_free(&e);
    return obj;
}

/* A roster of the master's (integer master or an integral node) goes to
 * the search; 1 when it is also better than the thread's incumbent, which
 * it then becomes. */
static int worker_offer(cg_worker *w, const rota_roster *r)
{
    worker_post_roster(w, r);
    double obj = roster_objective(w->inst, r);
    if (w->have_inc && isnan(w->inc_obj))
        w->inc_obj = roster_objective(w->inst, w->inc);
    if (w->have_inc && !(obj < w->inc_obj - 1e-9))
        return 0;
    rota_roster_assign(w->inc, r);
    w->have_inc = 1;
    w->inc_obj = obj;
    return 1;
}

/* One round: the root bound, then the integer master.  A master roster
 * better than the incumbent becomes the incumbent, and *again asks for
 * another round at once: the search does not hand it back, and with the
 * lower objective the reduced-cost enumeration may now apply (cg.c). */
static rota_status worker_round(cg_worker *w, rota_cg *cg, rota_roster *out,
                                int *again)
{
    *again = 0;
    double b = -INFINITY;
    rota_status st = rota_cg_root(cg, w->deadline, &w->stop, &b);
    if (st != ROTA_OK)
        return st;
    worker_post_bound(w, b, 0);
    worker_post_stats(w, cg);
    if (w->stop || rota_now() >= w->deadline)
        return ROTA_OK;
    int found = 0, proved = 0;
    b = -INFINITY;
    /* with branching on, the tree goes on where GLPK stops (cg_bp.c) */
    double until = w->no_branch ? w->deadline
                                : fmin(w->deadline, rota_now() + IP_ROUND);
    st = rota_cg_integer(cg, until, &w->stop,
                         w->have_inc ? w->inc : NULL, out, &found, &proved,
                         &b);
    if (st != ROTA_OK)
        return st;
    if (found)
        *again = worker_offer(w, out);
    if (proved)
        worker_post_bound(w, b, 1);
    else
        worker_post_bound(w, b, 0);     /* -inf: nothing */
    worker_post_stats(w, cg);
    return ROTA_OK;
}

/* One slice of branch-and-price (cg_bp.c) below the incumbent; *more is
 * 1 while the tree has open nodes to solve. */
static rota_status worker_branch(cg_worker *w, rota_cg *cg, rota_roster *out,
                                 int *more)
{
    *more = 0;
    if (!w->have_inc)
        return ROTA_OK;
    if (isnan(w->inc_obj))
        w->inc_obj = roster_objective(w->inst, w->inc);
    if (w->slice < BRANCH_SLICE)
        w->slice = BRANCH_SLICE;
    long before = w->stats.bp_nodes;
    double until = fmin(w->deadline, rota_now() + w->slice);
    int found = 0;
    rota_status st = rota_cg_branch(cg, until, &w->stop, w->inc_obj, out,
                                    &found, more);
    if (found)
        worker_offer(w, out);
    worker_post_stats(w, cg);
    if (w->stats.bp_nodes == before)    /* a node needs longer: a pricing */
        w->slice *= 2;                  /* round of rudersdal-cycle2: 2.5 s */
    return st;
}

/* The bound sink of the master: every new bound goes to the search at
 * once, so a round cut by the clock loses nothing it proved. */
static void on_cg_bound(void *user, double b)
{
    worker_post_bound(user, b, 0);
}

/* The routing relaxation's bound (route_bound.h), before the thread makes
 * any other GLPK object. */
static void worker_route_bound(cg_worker *w)
{
    const rota_instance *inst = w->inst;
    rota_route_result rr;
    if (rota_route_bound(inst, w->deadline, &w->stop, 0, &rr) != 0)
        return;
    double b = rota_bound_step_down(inst->w_travel / inst->cycle_weeks *
                                    rr.legs + rr.balance + w->soft);
    pthread_mutex_lock(&w->mu);
    w->has_route = 1;
    w->route = b;
    pthread_mutex_unlock(&w->mu);
}

static void *worker_main(void *arg)
{
    cg_worker *w = arg;
    double t0 = rota_now();
    rota_status st = ROTA_ENOMEM;
    worker_route_bound(w);
    rota_cg *cg = rota_cg_new(w->inst);
    w->inc = rota_roster_new(w->inst);
    rota_roster *out = rota_roster_new(w->inst);
    w->have_inc = 0;
    if (cg) {
        rota_cg_set_bound_sink(cg, on_cg_bound, w);
        rota_cg_set_roster_source(cg, next_queued, w);
    }
    if (cg && w->inc && out) {
        st = ROTA_OK;
        /* first round as soon as the first roster is there; new
         * rosters get a round (root and integer master: its rosters
         * matter, jammerbugt-1 got 743.96 instead of 738-739 with a round
         * at most every 10 s); in between, the thread branches while the
         * tree has work */
        int again = 0, more = 0, taken = 0, rounds = 0;
        while (st == ROTA_OK && worker_take(w, cg, !again && !more, &taken)) {
            if (again || taken || rounds == 0) {
                st = worker_round(w, cg, out, &again);
                rounds++;
                more = !w->no_branch;
            } else {
                st = worker_branch(w, cg, out, &more);
            }
        }
    }
    pthread_mutex_lock(&w->mu);
    if (cg)
        rota_cg_get_stats(cg, &w->stats);
    w->status = st;
    w->seconds = rota_now() - t0;
    w->done = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    rota_cg_free(cg);
    rota_roster_free(w->inc);
    w->inc = NULL;
    rota_roster_free(out);
    return NULL;
}

static cg_worker *worker_start(const rota_instance *inst, double deadline,
                               double soft)
{
    cg_worker *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->inst = inst;
    w->deadline = deadline;
    w->soft = soft;
    w->no_branch = getenv("ROTA_CG_NO_BRANCH") != NULL;
    w->stats.rows = w->stats.cols = w->stats.cols_generated = -1;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        free(w);
        return NULL;
    }
    return w;
}

/* Queues a roster for the master (the oldest goes when the queue is full:
 * later rosters are better). */
static void worker_queue(cg_worker *w, const rota_roster *r)
{
    rota_roster *c = rota_roster_copy(r);
    if (!c)
        return;
    pthread_mutex_lock(&w->mu);
    if (w->n_queue == CG_QUEUE_MAX) {
        rota_roster_free(w->queue[0]);
        memmove(w->queue, w->queue + 1, (CG_QUEUE_MAX - 1) * sizeof *w->queue);
        w->n_queue--;
        w->dropped++;
    }
    w->queue[w->n_queue++] = c;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

static void worker_stop(cg_worker *w)
{
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

static void worker_free(cg_worker *w)
{
    if (!w)
        return;
    worker_stop(w);
    if (!w->joined)
        pthread_join(w->thread, NULL);
    for (int i = 0; i < w->n_queue; i++)
        rota_roster_free(w->queue[i]);
    rota_roster_free(w->posted);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}

/* ---- heuristic callbacks ---------------------------------------------- */

static void on_best(void *user, const rota_roster *r, int covered)
{
    rota_solver *s = user;
    if (!covered)
        return;
    if (take_roster(s, r) && s->cgw)
        worker_queue(s->cgw, r);
    progress(s, 0);
}

static void on_tick(void *user)
{
    progress(user, 0);
}

/* ---- phases ----------------------------------------------------------- */

#define SEARCH_CHUNK 200
#define WORKER_GRACE 0.25   /* seconds the thread may take to stop */
#define WORKER_LEAD 0.3     /* it aims to stop this much before the search */

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
    s->has_pre_bound = 1;
    s->pre_bound = pre.bound;
    s->pre_soft = pre.soft;
    take_bound(s, pre.bound, "presolve");
    say(s, 1, "presolved");
    return ROTA_OK;
}

/* The thread's own deadline: a little before the search's, so that it is
 * usually done (its last bound posted) when the search ends, instead of
 * being waited for (WORKER_GRACE) or left behind. */
static double worker_deadline(const rota_solver *s)
{
    double lead = fmin(WORKER_LEAD, 0.05 * s->p.time_limit);
    return s->deadline - lead;
}

static rota_status run_construct(rota_solver *s)
{
    s->phase = "construct";
    s->heur = rota_heur_new(s->inst, s->p.seed, s->p.verbosity);
    if (!s->heur)
        return ROTA_ENOMEM;
    rota_heur_limits lim = {s->deadline, s->p.stop, on_best, on_tick, s};
    rota_heur_set_limits(s->heur, &lim);
    if (s->p.use_cg && !(s->cgw = worker_start(s->inst, worker_deadline(s),
                                             s->pre_soft)) &&
        s->p.verbosity > 0)  /* no thread: search alone */
        fprintf(stderr, "rota: cannot start column generation; searching "
                "without it\n");
    rota_heur_construct(s->heur);
    rota_heur_descend(s->heur);
    say(s, 1, rota_heur_best_missing(s->heur) ? "constructed (incomplete)"
                                              : "constructed");
    progress(s, 1);
    return ROTA_OK;
}

/* Iterations left under params.max_iterations (2^60 when none). */
static long iterations_left(const rota_solver *s)
{
    if (s->p.max_iterations <= 0)
        return 1L << 60;
    long done = rota_heur_iterations(s->heur);
    return done < s->p.max_iterations ? s->p.max_iterations - done : 0;
}

/* Takes what the thread posted: bounds, and a roster when it is better. */
static void poll_worker(rota_solver *s)
{
    cg_worker *w = s->cgw;
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    int hb = w->has_bound, hp = w->has_proof, hr = w->has_route;
    double b = w->bound, p = w->proof, rb = w->route;
    rota_roster *r = w->posted;
    w->posted = NULL;
    pthread_mutex_unlock(&w->mu);
    if (r && take_roster(s, r)) {
        say(s, 1, "integer master improved");
        if (s->heur && rota_heur_adopt(s->heur, r))
            say(s, 2, "the search goes on from the master's roster");
    }
    rota_roster_free(r);
    if (hb)
        take_bound(s, b, "column generation");
    if (hp)
        take_bound(s, p, "exact integer master");
    if (hr) {
        take_bound(s, rb, "routing relaxation");
        if (!s->route_said) {
            s->route_said = 1;
            say(s, 1, "routing relaxation");
        }
    }
}

/* Whether the thread has finished all it can do (idle or ended). */
static int worker_finished(cg_worker *w)
{
    pthread_mutex_lock(&w->mu);
    int f = w->done || (w->idle && w->n_queue == 0);
    pthread_mutex_unlock(&w->mu);
    return f;
}


/* Waits until the thread has ended or `until` (rota_now() seconds); 1 when
 * it has ended. */
static int worker_wait(cg_worker *w, double until)
{
    pthread_mutex_lock(&w->mu);
    while (!w->done) {
        double left = until - rota_now();
        if (left <= 0)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        long ns = ts.tv_nsec + (long)((left < 0.05 ? left : 0.05) * 1e9);
        ts.tv_sec += ns / 1000000000L;
        ts.tv_nsec = ns % 1000000000L;
        pthread_cond_timedwait(&w->cv, &w->mu, &ts);
    }
    int done = w->done;
    pthread_mutex_unlock(&w->mu);
    return done;
}

static void run_search(rota_solver *s)
{
    s->phase = "search";
    double t = rota_now();
    while (!stopped(s) && !gap_closed(s)) {
        long n = iterations_left(s);
        if (n <= 0)
            break;
        rota_heur_search(s->heur, n < SEARCH_CHUNK ? n : SEARCH_CHUNK);
        poll_worker(s);
    }
    s->stats.search_seconds += rota_now() - t;
    say(s, 1, "searched");
}

/* After the search: with an iteration limit, let the thread finish its
 * work (to the time limit); then stop it and take its last results. */
static void run_finish_cg(rota_solver *s)
{
    cg_worker *w = s->cgw;
    if (!w)
        return;
    s->phase = "bound";
    while (!stopped(s) && !gap_closed(s) && !worker_finished(w)) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
        poll_worker(s);
        progress(s, 0);
    }
    worker_stop(w);
    if (worker_wait(w, rota_now() + WORKER_GRACE)) {
        pthread_join(w->thread, NULL);
        w->joined = 1;
    } else if (s->p.verbosity > 0) {
        fprintf(stderr, "rota: column generation did not stop in time; "
                "its results are left out\n");
    }
    poll_worker(s);
    pthread_mutex_lock(&w->mu);
    s->stats.rows = w->stats.rows;
    s->stats.cols = w->stats.cols;
    s->stats.cols_generated = w->stats.cols_generated;
    s->stats.bp_nodes = w->stats.bp_nodes;
    s->stats.bad_columns = w->stats.bad_columns;
    if (w->has_bound)
        s->stats.cg_bound = w->bound;
    if (w->has_proof && w->proof > s->stats.cg_bound)
        s->stats.cg_bound = w->proof;
    if (w->has_route)
        s->stats.route_bound = w->route;
    s->stats.cg_seconds = w->done ? w->seconds : rota_now() - s->t0;
    pthread_mutex_unlock(&w->mu);
    if (w->status != ROTA_OK && s->p.verbosity > 0)
        fprintf(stderr, "rota: column generation failed: %s\n",
                rota_status_str(w->status));
}

static void finish(rota_solver *s)
{
    s->stats.false_bounds = s->false_bounds;
    s->stats.rejected = s->rejected;
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
            run_search(s);
        run_finish_cg(s);
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

int rota_solver_busy(const rota_solver *s)
{
    return s->cgw && !s->cgw->joined;
}

const char *rota_solver_reason(const rota_solver *s)
{
    return s->has_reason ? s->reason : NULL;
}

void rota_solver_stats(const rota_solver *s, rota_solve_stats *out)
{
    *out = s->stats;
}
