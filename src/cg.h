/* cg.h - column generation over staff-day patterns (internal).
 *
 * A column is one staff member's weekday over the whole cycle: the visits it
 * holds, each with start and weeks.  The master problem (set partitioning
 * with capacity, max_sites, balance and joint rows) and its pricing are in
 * cg.c / pricing.c; the formulas are written out on top of cg.c.
 *
 * Contract with solve.c: solve.c owns the time budget and the incumbent;
 * cg only proves bounds and proposes rosters.  Every roster cg proposes is
 * re-evaluated by rota_evaluate() before anybody believes its objective.
 *
 * Ownership: rota_cg_new allocates, rota_cg_free frees.
 */
#ifndef ROTA_CG_H
#define ROTA_CG_H

#include <signal.h>

#include "rota/instance.h"
#include "rota/roster.h"

typedef struct rota_cg rota_cg;

typedef struct rota_cg_stats {
    long rows, cols;            /* current master size */
    long cols_generated;        /* columns added by pricing (all time) */
    long pricing_calls;
    long labels;                /* labels created by pricing (all time) */
    double lp_seconds, pricing_seconds, ip_seconds;
    int exact;                  /* 1: every feasible column is in the master
                                   (enumerated); then the integer master is
                                   the whole problem and its optimum is proved */
    /* extensions (cg.c): */
    long iterations;            /* column generation iterations */
    long max_labels_call;       /* most labels one pricing call created */
    long bad_columns;           /* pricing disagreed with the evaluator: a bug */
    double lp_value;            /* the restricted master's last LP optimum */
    long ip_fixed;              /* columns the last integer solve fixed to 0
                                   by reduced cost */
    double ip_obj_diff;         /* largest |GLPK objective - rota_evaluate's|
                                   of an integer master solution */
    long bp_nodes;              /* branch-and-price nodes solved (cg_bp.c) */
    long bp_open;               /* and open */
    long sr_cuts;               /* subset-row cuts in the master (cg_sr.c) */
} rota_cg_stats;

/* Knobs, for tests and benchmarks; rota_cg_new starts from the defaults
 * of rota_cg_options_init. */
typedef struct rota_cg_options {
    int enumerate;              /* 1 (default): try to list every column of a
                                   small instance (then stats.exact) */
    int cols_per_kd;            /* columns a pricing call returns; default 24 */
    long labels_per_call;       /* first label budget of exact pricing; it
                                   grows when cut short; default 100000 */
    int heuristic_pricing;      /* 1 (default): relaxed dominance first */
    double smoothing;           /* dual smoothing (Wentges) weight in [0, 1);
                                   default 0: measured not to help here */
    double within_gap;          /* reduced-cost enumeration once the best
                                   roster is within this fraction of the
                                   converged bound; default 0.01 */
    int subset_row;             /* 1 (default): subset-row cuts at the root
                                   once it has converged (cg_sr.c) */
} rota_cg_options;

void rota_cg_options_init(rota_cg_options *o);

/* NULL when out of memory. */
rota_cg *rota_cg_new(const rota_instance *inst);
/* Call before the first rota_cg_root / rota_cg_integer. */
void rota_cg_set_options(rota_cg *cg, const rota_cg_options *o);
void rota_cg_free(rota_cg *cg);

/* Called on the calling thread with every new best proved bound, as soon
 * as it is found (a long rota_cg_root need not end for its bound to be
 * used). */
typedef void (*rota_cg_bound_fn)(void *user, double bound);
void rota_cg_set_bound_sink(rota_cg *cg, rota_cg_bound_fn fn, void *user);

/* Rosters that arrive while the root loop runs: fn returns the next one
 * (borrowed until the next call) or NULL; the loop adds each one's
 * columns before every LP.  NULL fn: none. */
typedef const rota_roster *(*rota_cg_roster_fn)(void *user);
void rota_cg_set_roster_source(rota_cg *cg, rota_cg_roster_fn fn, void *user);

/* Adds the staff-day patterns of a roster as columns (duplicates ignored).
 * The roster must be feasible. */
rota_status rota_cg_add_roster(rota_cg *cg, const rota_roster *r);

/* Column generation at the root until convergence, `deadline` (seconds on
 * the monotonic clock of rota_now()) or *stop.  On return *bound is the
 * best proved lower bound found (-INFINITY when none was proved).
 * Returns ROTA_OK even when stopped early. */
rota_status rota_cg_root(rota_cg *cg, double deadline,
                         const volatile sig_atomic_t *stop, double *bound);

/* Solves the integer master over the columns generated so far, starting
 * from `incumbent` (may be NULL) and stopping at deadline/stop.  When it
 * finds a roster it writes it to *out, sets *found = 1.  If the master
 * holds every column (stats.exact) and the solve finished, *proved_optimal
 * is set to 1 and *bound to the optimum. */
rota_status rota_cg_integer(rota_cg *cg, double deadline,
                            const volatile sig_atomic_t *stop,
                            const rota_roster *incumbent, rota_roster *out,
                            int *found, int *proved_optimal, double *bound);

/* Branch-and-price after the root has converged (cg_bp.c): solves nodes
 * of the tree, best bound first, until deadline or *stop, and tells the
 * bound sink what the tree proves of every roster (ub: the objective of
 * a roster; a node whose bound reaches it is pruned).  The tree is kept
 * for the next call; the master is left as at the root.  A node whose
 * LP point is integral and cheaper than ub is a roster: the cheapest goes
 * to *out with *found = 1.  *more is 1 when open nodes below ub remain.
 * Does nothing (*more = 0) before the root has converged.  Over a
 * complete master (every column, or every column a roster below the
 * enumeration's bound can use) nodes are solved without pricing. */
rota_status rota_cg_branch(rota_cg *cg, double deadline,
                           const volatile sig_atomic_t *stop, double ub,
                           rota_roster *out, int *found, int *more);

void rota_cg_get_stats(const rota_cg *cg, rota_cg_stats *out);

/* Monotonic clock in seconds. */
double rota_now(void);

/* GLPK's tm_lim in ms for a deadline in rota_now() seconds (0: none),
 * clamped to GLPK's int, at least 1. */
int cg_tm_lim(double deadline);

#endif
