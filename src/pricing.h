/* pricing.h - staff-day patterns: their figures, their pricing and their
 * enumeration (internal to cg.c).
 *
 * A pattern (column) is one staff member k's weekday d over the whole cycle:
 * a set of items (visit v, start t, phase p).  Week w of the cycle holds the
 * items whose phase weeks contain w; each week must be a feasible day by
 * rules 2.3, 2.5 and 2.6 (checked by rota_day_walk, the evaluator's own
 * code).  Figures of a column c:
 *
 *   travel[c,w] = leg minutes of day d in week w
 *   m[c,w]      = visit minutes + travel[c,w]           (capacity rows)
 *   n[c]        = number of items                        (max_sites row)
 *   cost[c]     = w_travel * sum_w travel[c,w] / W
 *               + sum over items of continuity, slot_change, preference
 *
 * Pricing finds the columns of least reduced cost for one (k, d) by an
 * elementary resource-constrained shortest path (formulas on top of
 * pricing.c); enumeration lists every column up to equivalence (same items'
 * (visit, phase, segment) in the same order, same starts of joint visits:
 * only the starts, hence only the soft costs, differ).
 */
#ifndef ROTA_PRICING_H
#define ROTA_PRICING_H

#include <signal.h>

#include "rota/eval.h"
#include "rota/instance.h"

/* One visit of a column. */
typedef struct rota_item {
    int visit;
    int start;          /* minutes after 00:00 */
    int phase;          /* 1..every_weeks */
} rota_item;

/* What a column costs and weighs (see the formulas above). */
typedef struct rota_colfig {
    int travel[ROTA_MAX_WEEKS];  /* leg minutes per cycle week */
    int load[ROTA_MAX_WEEKS];    /* visit + leg minutes per cycle week */
    int total;                   /* sum of load over the cycle */
    double cost;                 /* objective part of the column */
} rota_colfig;

/* Sorts items by start (then visit) and checks that they form a feasible
 * column of (staff, day): rule 2.1 (rota_staff_may_take, pin day/start),
 * phases in range, each visit once, rule 2.3 (rota_visit_time_ok) and rules
 * 2.5/2.6 in every week (rota_day_walk).  Returns 0 and fills *fig when
 * feasible, -1 otherwise.  Allocates nothing. */
int rota_col_figures(const rota_instance *inst, int staff, int day,
                     rota_item *items, int n, rota_colfig *fig);

/* qsort order of items: by start, then visit, then phase. */
int rota_item_cmp(const void *a, const void *b);

/* The soft cost (continuity + slot_change + preference) of one item. */
double rota_item_soft_cost(const rota_instance *inst, int staff, int day,
                           const rota_item *it);

/* ---- duals, as pricing sees them ------------------------------------- */

/* Joint rows: returns coef * rho of the row of (visit, day, start, weeks),
 * coef +1 for the lower visit of the pair and -1 for the other; 0 when the
 * row does not exist. */
typedef double (*rota_joint_dual_fn)(void *user, int visit, int day,
                                     int start, unsigned weeks);

#define ROTA_SR_MAX 256        /* subset-row cuts pricing can carry */

typedef struct rota_duals {
    const double *cover;      /* pi[v] */
    const double *cap;        /* mu[k * W + w], <= 0 */
    const double *sites;      /* nu[k], <= 0 (0 without a row) */
    const double *bal;        /* alpha[k]: sum of both balance rows' duals */
    const double *pattern;    /* sigma[k * 7 + d], <= 0 */
    rota_joint_dual_fn joint; /* NULL: no joint rows */
    void *joint_user;
    /* subset-row cuts (cg_sr.c): a column pays sr_pen[i] >= 0 (minus the
     * dual of cut i) once for every two of cut i's visits it holds */
    int n_sr;                 /* at most ROTA_SR_MAX */
    const int *sr_vis;        /* [3 * i .. 3 * i + 2]: cut i's visits */
    const double *sr_pen;
} rota_duals;

/* ---- the pricer ------------------------------------------------------ */

typedef struct rota_pricer rota_pricer;

/* Builds the candidates (v, t, p) of every (k, d).  NULL when out of
 * memory.  inst is borrowed. */
rota_pricer *rota_pricer_new(const rota_instance *inst);
void rota_pricer_free(rota_pricer *p);

/* rep[k]: the representative of staff member k's class of interchangeable
 * members (staff_class.h); the pricer's own array, n_staff entries. */
const int *rota_pricer_classes(const rota_pricer *p);

/* Candidates of (staff, day); 0 when the person does not work that day. */
long rota_pricer_candidates(const rota_pricer *p, int staff, int day);

/* Receives one column: items sorted by start, rc its reduced cost (pricing)
 * or its cost (enumeration).  Return non-zero to abort the search. */
typedef int (*rota_col_sink)(void *user, int staff, int day,
                             const rota_item *items, int n, double rc);

typedef struct rota_price_opts {
    int max_cols;             /* columns to return (the most negative) */
    long max_labels;          /* label budget; beyond it the call is inexact */
    double deadline;          /* rota_now() seconds; 0: none */
    const volatile sig_atomic_t *stop;
    double min_improve;       /* return only columns with rc < -min_improve */
    int heuristic;            /* 1: relaxed dominance (faster, inexact) */
} rota_price_opts;

typedef struct rota_price_result {
    int exact;                /* 1: the search was complete */
    double min_rc;            /* min(0, least reduced cost found); the exact
                                 minimum when exact */
    double lb;                /* a proved lower bound of min(0, least reduced
                                 cost), also when not exact (= min_rc when
                                 exact) */
    long labels;              /* labels created */
    int n_cols;               /* columns handed to the sink */
} rota_price_result;

/* Prices (staff, day) under the duals: hands the max_cols columns of least
 * negative reduced cost to sink (most negative first).  Returns 0, or -1
 * when out of memory (then nothing is known). */
int rota_price(rota_pricer *p, int staff, int day, const rota_duals *y,
               const rota_price_opts *o, rota_col_sink sink, void *user,
               rota_price_result *res);

/* A proved lower bound of min(0, least reduced cost) of (staff, day) under
 * y, from the completion bound alone (no search): cheap. */
double rota_price_bound(rota_pricer *p, int staff, int day,
                        const rota_duals *y);

/* Every column of (staff, day) of reduced cost below theta under y, up to
 * equivalence (at least one cheapest member of every class with a member
 * below theta): the label search without dominance, bounded by the
 * completion bound at the fixed threshold theta.  Uses o's max_labels,
 * deadline and stop.  Returns 0 when complete, 1 when cut short (the list
 * is incomplete), -1 out of memory or when the sink aborted. */
int rota_enumerate_below(rota_pricer *p, int staff, int day,
                         const rota_duals *y, double theta,
                         const rota_price_opts *o, rota_col_sink sink,
                         void *user, long *labels);

/* Enumerates every column of (staff, day) up to equivalence (at least one
 * cheapest member of every class; see above), handing each to sink with
 * rc = its cost.  Stops after max_labels labels: returns 1 then (the list
 * is incomplete), 0 when complete, -1 when out of memory or the sink
 * aborted. */
int rota_enumerate(rota_pricer *p, int staff, int day, long max_labels,
                   rota_col_sink sink, void *user, long *labels);

#endif
