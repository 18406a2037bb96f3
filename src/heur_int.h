/* heur_int.h - the heuristic's state, shared by heur.c (state, insertion,
 * construction) and heur_lns.c (large-neighbourhood search).  Not a public
 * interface: see heur.h.
 *
 * The state keeps, for every staff member k, cycle week w and day d, the
 * visits of that day sorted by start with their segment (tour) keys, and the
 * day's leg minutes; per (k, w) the visit + travel minutes; per k the total
 * over the cycle and the number of visits (= distinct sites, since a person
 * has one role and a site at most one visit per role).  With these figures
 * the cost and feasibility of inserting or removing one visit occurrence
 * is a look at its two neighbours: O(1) per week.
 *
 * Search objective f = travel weight x travel / W + soft costs
 *                      + uncovered weight x need of uncovered visits
 *                      + balance weight x 100 x (max u - min u)
 *                      + HARD_PENALTY x uncovered visits (hard coverage only)
 */
#ifndef ROTA_HEUR_INT_H
#define ROTA_HEUR_INT_H

#include <signal.h>
#include <stdint.h>

#include "heur.h"
#include "rota/instance.h"

/* Per uncovered visit under hard coverage: larger than any objective. */
#define HEUR_HARD_PENALTY 1e7
#define HEUR_EPS 1e-9
/* Most visits the heuristic puts in one staff-day (max_visits_per_day is
 * 4 in practice; this only bounds fixed arrays). */
#define HEUR_MAX_DAY 64

typedef struct h_item {
    int visit, start, end;  /* end = start + minutes */
    int place;              /* the visit's place */
    int key;                /* segment (tour) index of the day */
} h_item;

typedef struct h_day {
    int n;                  /* items in use */
    int travel;             /* leg minutes of the day */
} h_day;

typedef struct h_asg {
    int staff;              /* -1: uncovered */
    int day, start, phase;  /* phase 1..every_weeks */
} h_asg;

/* Everything that changes during the search; copied whole to save and
 * restore (a few hundred kB at most). */
typedef struct h_state {
    h_day *day;             /* [(k * W + w) * 7 + d] */
    h_item *item;           /* day i holds item[i * maxv .. + n) by start */
    h_asg *asg;             /* per visit */
    int *used;              /* [k * W + w]: visit + leg minutes */
    int *tot;               /* [k]: visit + leg minutes over the cycle */
    int *nvis;              /* [k]: visits held */
    long travel;            /* leg minutes over the cycle */
    double soft;            /* continuity + slot change + preference */
    double unc_need;        /* sum of need over uncovered visits */
    int n_unc;              /* uncovered visits */
} h_state;

/* An insertion of a unit: one visit, or a joint pair (second fields). */
typedef struct h_cand {
    int k, d, t, p;         /* staff, day, start, phase of the first visit */
    int k2, p2;             /* the partner's staff and phase, -1 single */
    double cost;            /* change of f without the uncovered part */
} h_cand;

/* Where a visit fits into one day: starts [lo, hi], leg change dt. */
typedef struct h_gap {
    int lo, hi, dt;
} h_gap;

/* A start of a visit on a day on the slot grid inside its windows. */
typedef struct h_start {
    int t;
    float cost;             /* slot change + preference cost at (d, t) */
} h_start;

struct rota_heur {
    const rota_instance *inst;
    int S, V, W, maxv;
    int hard;               /* coverage hard */
    double w_travel_w;      /* travel weight / W */
    double w_bal;           /* balance weight x 100 */

    /* per visit */
    int *minutes, *place, *every, *unit_of;
    double *cap_inv;        /* per staff: 1 / (W * capacity) */
    int *elig_off, *elig;   /* staff that may take visit v (rule 2.1) */
    int *st_off;            /* [v * 7 + d] .. [v * 7 + d + 1] into st */
    h_start *st;
    int *near_off, *near;   /* same-role visits by leg minutes, nearest first */

    /* units: a visit, or a joint pair (v1 carries the lower index) */
    int n_units;
    int *u_v1, *u_v2;       /* u_v2 -1 for a single visit */
    int *u_ncand;           /* feasible insertions into the empty roster */
    double *u_need;

    /* states */
    h_state cur, best, save;
    h_state trial;          /* cur traded (heur_lns.c: polished best) */
    double f_cur, f_best;

    /* balance cache of cur: the three highest and lowest u */
    int top[3], bot[3];

    /* search */
    uint64_t rng;
    long iter, improvements;
    rota_heur_limits lim;
    rota_roster *tmp;       /* scratch roster for callbacks */
    int *scratch;           /* V + units ints */
    h_cand *cands;          /* per unit scratch */
    double *rbest;          /* regret cache: units x S */
    h_cand *rcand;
    h_gap *gaps;            /* W x gmax, for sweeps */
    struct h_lane *lanes;   /* 2 x S, for joint sweeps */
    h_gap *lgaps;           /* 2 x S x W x gmax, the lanes' gaps */
    int gmax;
    int verbosity;
    int staff_matters;      /* who takes a visit changes its soft cost
                               (continuity weight and some current.staff) */
    int selftest;           /* ROTA_HEUR_SELFTEST set: cross-check sweeps
                               and the state after every iteration (slow) */
};

/* Index of staff k's day d in cycle week w in h_state.day. */
static inline int h_day_index(const rota_heur *h, int k, int w, int d)
{
    return (k * h->W + w) * ROTA_DAYS + d;
}

/* heur.c */
int h_may_take(const rota_heur *h, int v, int k);
int h_state_init(const rota_heur *h, h_state *s);
/* Empties s: every visit uncovered, no minutes. */
void h_state_clear(const rota_heur *h, h_state *s);
void h_state_free(h_state *s);
void h_state_copy(const rota_heur *h, h_state *dst, const h_state *src);
double h_objective(const rota_heur *h, const h_state *s);
double h_balance(const rota_heur *h, const h_state *s);
void h_balance_refresh(rota_heur *h);
double h_balance_delta(const rota_heur *h, int k1, int tot1, int k2, int tot2);
double h_soft_cost(const rota_heur *h, int v, int k, int d, int t);
int h_seg_key(const rota_spans *seg, int t);
int h_best_insert(rota_heur *h, int u, int only_k, h_cand *out, double noise);
void h_insert(rota_heur *h, int u, const h_cand *c);
int h_can_remove(const rota_heur *h, int u);
void h_remove(rota_heur *h, int u);
void h_to_roster(const rota_heur *h, const h_state *s, rota_roster *r);
double h_unit_cost(const rota_heur *h, int u);
int h_stopped(const rota_heur *h);
uint64_t h_rand(rota_heur *h);
double h_rand01(rota_heur *h);
int h_randint(rota_heur *h, int n);
void h_new_best(rota_heur *h);
int h_walk_day(const rota_heur *h, const h_state *s, int di, int k, int d);
int h_check_state(const rota_heur *h, const h_state *s);

/* heur_swap.c: trades whole days between staff members while that lowers
 * f (balance, continuity); returns the trades made (f_cur is the
 * caller's to update). */
int h_swap_days(rota_heur *h);

/* heur_lns.c */
int h_repair_greedy(rota_heur *h, int *units, int n, int order, double noise);
int h_repair_regret(rota_heur *h, int *units, int n, double noise);

#endif
