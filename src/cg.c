/* cg.c - the restricted master problem, column generation at the root and
 * its Lagrangian bound.  (The integer master is in cg_ip.c, the columns'
 * coefficients in cg_cols.c, pricing in pricing.c.)
 *
 * Master (OPTIMISER.md), over columns c = staff k's weekday d (pricing.h):
 *
 *   min  sum_c cost[c] l[c] + B (Umax - Umin) + sum_v U[v] z[v]
 *   cover     sum_{c ∋ v} l[c] + z[v] = 1                 every visit v
 *   pattern   sum_{c in C(k,d)} l[c] <= 1                 every (k, d) worked
 *   capacity  sum_{c in C(k)} m[c,w] l[c] <= cap[k]       every k, week w
 *   sites     sum_{c in C(k)} n[c] l[c] <= max_sites[k]   where given
 *   balance   u[k] - Umax <= 0,  u[k] - Umin >= 0          every k (idle too)
 *             u[k] = sum_{c in C(k)} total[c] / (W cap[k]) l[c]
 *   joint     sum_{c ∋ (a,d,t,P)} l[c] - sum_{c ∋ (b,d,t,P)} l[c] = 0
 *   l >= 0,  0 <= z <= 1,  0 <= Umin, Umax <= 1
 *
 * B = balance weight * 100; U[v] = uncovered weight * need under soft
 * coverage.  Under hard coverage z[v] is an artificial with cost big_m at
 * the root (the LP with it is a relaxation of the hard problem, so every
 * bound below stays valid) and fixed to 0 in the integer master.  u <= 1
 * holds in every roster (capacity), so the bounds on Umin and Umax cut off
 * nothing.  At an integer point Umax = max u, Umin = min u, and the
 * objective is rota_evaluate()'s.
 *
 * Lagrangian bound.  For any duals y of the right signs (<= 0 on <= rows,
 * >= 0 on >= rows, free on = rows) and every feasible x of the full master
 * (all columns), c x >= c x + y (b - A x) = y b + rc x, and since each
 * pattern row keeps sum l <= 1 and 0 <= z, U <= 1:
 *
 *   LB(y) = sum_i y_i b_i + sum_{(k,d)} min(0, min_{c in C(k,d)} rc[c])
 *         + sum_v min(0, rc[z_v]) + min(0, rc[Umax]) + min(0, rc[Umin])
 *
 * is a lower bound of the master's LP (hence of every roster's objective).
 * It needs, per (k, d), a proved lower bound of min(0, min rc), which every
 * pricing round gives (pricing_rcsp.c): the exact minimum when the search
 * completed, else min(best found, least bound of the labels left), or for
 * a (k, d) not priced in the round (partial pricing) its completion bound
 * (pricing_lb.c).  LB is evaluated at the duals pricing used (the LP's,
 * clamped to their signs, or a stabilised mix of such duals) and lowered
 * by 1e-6 max(1, |LB|) for the floating point on the way.  The best LB
 * over all rounds is reported.
 *
 * Interchangeable staff members share their pricing (symmetrise below).
 * Rosters the search finds while the loop runs enter before every LP.
 *
 * Rounds.  Pricing visits the (k, d) most negative completion bound first
 * and stops the round at PARTIAL_COLS columns per staff member.  Heuristic
 * pricing (relaxed dominance, a few visits per (k, d)) runs while it finds
 * columns; then exact pricing, whose label budget grows while it is cut
 * short.  Converged: an exact round over every (k, d) finds no column.
 * When every column is enumerated (cg_enum.c) the LP is the full one at
 * once, and the band bound (cg_band.c) is tried on top.
 */
#include <limits.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cg_int.h"

#define BOUND_TOL 1e-6
#define BAND_STALL 20          /* band ascent: halve the step after this many */
#define BAND_ITERS 300         /* band ascent: subgradient steps at most */
#define RC_EPS 1e-6           /* a column enters when rc < -RC_EPS */
#define COLS_PER_KD 24         /* 8: koebenhavn-1's LP fell half as fast */
#define PARTIAL_COLS 10       /* a pricing round stops at this many columns per staff */
#define LABELS_PER_CALL 100000L
#define WITHIN_LABELS_CALL 1000000L  /* reduced-cost enumeration, per (k, d) */
#define WITHIN_LABELS 5000000L       /* and over all */
#define WITHIN_COLS 200000           /* columns it may add */
#define WITHIN_GAP 0.01              /* tried when ub is this close to LB */
#define WITHIN_RETRY 0.7             /* after one cut short by its budgets,
                                        again once ub - LB is this fraction
                                        of what it was then */
#define SPREAD_CLASS 10       /* larger classes: columns spread, not copied */
#define LABELS_MAX 1600000L    /* 6.4e6 took koebenhavn-all-1 to 1.6 GB */
#define BARRED 1e7             /* the cover dual of a visit barred from a day */

/* GLPK's state is per thread.  live_cgs counts this thread's masters
 * (glp_free_env when the last goes); glpk_generation changes whenever a
 * GLPK error freed the environment, which invalidates every master of the
 * thread, not just the one whose call failed. */
static _Thread_local int live_cgs;
static _Thread_local unsigned glpk_generation;

/* ---- GLPK hygiene ---------------------------------------------------- */

static void on_glpk_error(void *info)
{
    rota_cg *cg = info;
    cg->lp = NULL;
    cg->broken = 1;
    glpk_generation++;
    live_cgs = 0;
    glp_free_env();
    longjmp(cg->jb, 1);
}

static int swallow_output(void *info, const char *s)
{
    (void)info;
    (void)s;
    return 1;
}

static void glpk_hooks(rota_cg *cg)
{
    glp_term_hook(swallow_output, NULL);
    glp_error_hook(on_glpk_error, cg);
}

static void glpk_unhook(void)
{
    glp_error_hook(NULL, NULL);
}

/* tm_lim in ms for a deadline (0: none), clamped to GLPK's int. */
int cg_tm_lim(double deadline)
{
    if (deadline <= 0)
        return INT_MAX;
    double ms = (deadline - rota_now()) * 1000.0;
    if (ms < 1)
        return 1;
    return ms > INT_MAX - 1 ? INT_MAX - 1 : (int)ms;
}

int cg_usable(rota_cg *cg)
{
    if (cg->broken || cg->gen != glpk_generation)
        cg->broken = 1;
    return !cg->broken;
}

void cg_hooks(rota_cg *cg)
{
    glpk_hooks(cg);
}

void cg_unhook(void)
{
    glpk_unhook();
}

/* ---- building the master -------------------------------------------- */

static int add_row(glp_prob *lp, int type, double lb, double ub)
{
    int r = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, r, type, lb, ub);
    return r;
}

/* A cost larger than any column's, for the artificials of hard coverage. */
static double big_m(const rota_instance *inst)
{
    double m = inst->w_travel * 24 * 60 * ROTA_DAYS + inst->w_continuity +
               inst->w_slot_change + inst->w_preference +
               inst->w_balance * 100;
    return 10 * m + 1000;
}

static void build_rows(rota_cg *cg)
{
    const rota_instance *inst = cg->inst;
    glp_prob *lp = cg->lp;
    glp_set_obj_dir(lp, GLP_MIN);
    for (int v = 0; v < cg->V; v++)
        add_row(lp, GLP_FX, 1.0, 1.0);            /* row 1 + v */
    for (int k = 0; k < cg->K; k++) {
        const rota_staff *s = &inst->staff[k];
        for (int d = 0; d < ROTA_DAYS; d++)
            if (rota_pricer_candidates(cg->pricer, k, d) > 0)
                cg->row_pattern[k * ROTA_DAYS + d] = add_row(lp, GLP_UP, 0, 1);
        for (int w = 0; w < cg->W; w++)
            cg->row_cap[k * cg->W + w] = add_row(lp, GLP_UP, 0, s->capacity);
        if (s->max_sites >= 0)
            cg->row_sites[k] = add_row(lp, GLP_UP, 0, s->max_sites);
        if (inst->w_balance != 0) {
            cg->row_bmax[k] = add_row(lp, GLP_UP, 0, 0);
            cg->row_bmin[k] = add_row(lp, GLP_LO, 0, 0);
        }
    }
}

/* z[v] (columns 1..V), then Umax and Umin. */
static void build_fixed_cols(rota_cg *cg)
{
    const rota_instance *inst = cg->inst;
    glp_prob *lp = cg->lp;
    glp_add_cols(lp, cg->V);
    for (int v = 0; v < cg->V; v++) {
        int j = 1 + v, row[2] = {0, 1 + v};
        double one[2] = {0, 1.0};
        glp_set_col_bnds(lp, j, GLP_DB, 0.0, 1.0);
        glp_set_obj_coef(lp, j, inst->coverage_soft
            ? inst->w_uncovered * inst->sites[inst->visits[v].site].need
            : cg->big_m);
        glp_set_mat_col(lp, j, 1, row, one);
    }
    if (inst->w_balance == 0)
        return;
    cg->col_umax = glp_add_cols(lp, 2);
    cg->col_umin = cg->col_umax + 1;
    int *ind = cg->sparse_ind;
    double *val = cg->sparse_val;
    for (int pass = 0; pass < 2; pass++) {
        int j = pass ? cg->col_umin : cg->col_umax;
        int len = 0;
        for (int k = 0; k < cg->K; k++) {
            ind[++len] = pass ? cg->row_bmin[k] : cg->row_bmax[k];
            val[len] = -1.0;
        }
        glp_set_col_bnds(lp, j, GLP_DB, 0.0, 1.0);
        glp_set_obj_coef(lp, j, (pass ? -100.0 : 100.0) * inst->w_balance);
        glp_set_mat_col(lp, j, len, ind, val);
    }
}

static int alloc_arrays(rota_cg *cg)
{
    int K = cg->K, W = cg->W;
    cg->row_pattern = calloc((size_t)K * ROTA_DAYS + 1, sizeof(int));
    cg->row_cap = calloc((size_t)K * W + 1, sizeof(int));
    cg->row_sites = calloc((size_t)K + 1, sizeof(int));
    cg->row_bmax = calloc((size_t)K + 1, sizeof(int));
    cg->row_bmin = calloc((size_t)K + 1, sizeof(int));
    cg->y_cover = calloc((size_t)cg->V + 1, sizeof(double));
    cg->y_node_cover = calloc((size_t)cg->V + 1, sizeof(double));
    cg->y_cap = calloc((size_t)K * W + 1, sizeof(double));
    cg->y_sites = calloc((size_t)K + 1, sizeof(double));
    cg->y_bal = calloc((size_t)K + 1, sizeof(double));
    cg->y_pattern = calloc((size_t)K * ROTA_DAYS + 1, sizeof(double));
    cg->kd_order = malloc((size_t)K * ROTA_DAYS * 2 * sizeof(double) + 1);
    cg->kd_last = calloc((size_t)K * ROTA_DAYS + 1, sizeof(double));
    cg->next_member = malloc((size_t)(K + 1) * sizeof(int));
    cg->class_size = malloc((size_t)(K + 1) * sizeof(int));
    cg->sr_of_visit = calloc(((size_t)cg->V + 1) * CG_SR_WORDS,
                             sizeof(uint64_t));
    cg->sparse_cap = K + 8;
    cg->sparse_ind = malloc((size_t)(cg->sparse_cap + 1) * sizeof(int));
    cg->sparse_val = malloc((size_t)(cg->sparse_cap + 1) * sizeof(double));
    if (!cg->next_member || !cg->class_size)
        return -1;
    cg->rep = rota_pricer_classes(cg->pricer);
    for (int k = 0; k < K; k++)
        cg->next_member[k] = -1;
    for (int k = K - 1; k >= 0; k--)       /* each class's list by index */
        if (cg->rep[k] != k) {
            cg->next_member[k] = cg->next_member[cg->rep[k]];
            cg->next_member[cg->rep[k]] = k;
        }
    for (int k = 0; k < K; k++) {
        int n = 0;
        for (int m = cg->rep[k]; m >= 0; m = cg->next_member[m])
            n++;
        cg->class_size[k] = n;
    }
    return cg->kd_order && cg->kd_last && cg->row_pattern && cg->row_cap && cg->row_sites && cg->row_bmax &&
           cg->row_bmin && cg->y_cover && cg->y_node_cover && cg->y_cap &&
           cg->y_sites &&
           cg->y_bal && cg->y_pattern && cg->sparse_ind && cg->sparse_val &&
           cg->sr_of_visit
               ? 0 : -1;
}

static void free_arrays(rota_cg *cg)
{
    free(cg->kd_order);
    free(cg->kd_last);
    free(cg->next_member);
    free(cg->class_size);
    free(cg->row_pattern);
    free(cg->row_cap);
    free(cg->row_sites);
    free(cg->row_bmax);
    free(cg->row_bmin);
    free(cg->sr_of_visit);
    free(cg->y_cover);
    free(cg->y_node_cover);
    cg_bp_free(cg->bp);
    free(cg->y_cap);
    free(cg->y_sites);
    free(cg->y_bal);
    free(cg->y_pattern);
    free(cg->y_row);
    free(cg->y_center);
    free(cg->y_mix);
    free(cg->sparse_ind);
    free(cg->sparse_val);
    free(cg->joint);
    free(cg->pend_items);
    free(cg->pend_staff);
    free(cg->pend_day);
    free(cg->pend_first);
    free(cg->pend_n);
    free(cg->pend_rc);
    free(cg->ip_x);
    free(cg->y_conv);
    free(cg->conv_m);
    cg_store_free(&cg->store);
}

/* The GLPK problem with its fixed rows and columns; -1 on a GLPK error. */
static int build_lp(rota_cg *cg)
{
    cg->gen = glpk_generation;
    if (setjmp(cg->jb))
        return -1;
    glpk_hooks(cg);
    cg->lp = glp_create_prob();
    live_cgs++;
    build_rows(cg);
    build_fixed_cols(cg);
    glpk_unhook();
    return 0;
}

rota_cg *rota_cg_new(const rota_instance *inst)
{
    rota_cg *cg = calloc(1, sizeof *cg);
    if (!cg)
        return NULL;
    cg->inst = inst;
    cg->W = inst->cycle_weeks;
    cg->K = inst->n_staff;
    cg->V = inst->n_visits;
    cg->big_m = big_m(inst);
    cg->best_bound = -INFINITY;
    cg->best_upper = INFINITY;
    cg->within_ub = -INFINITY;
    cg->within_failed = INFINITY;
    cg->within_gap = WITHIN_GAP;
    cg->cols_per_kd = COLS_PER_KD;
    cg->labels_per_call = LABELS_PER_CALL;
    cg->heur_pricing = 1;
    cg->heur_allowed = 1;
    cg->trace = getenv("ROTA_CG_TRACE") ? atoi(getenv("ROTA_CG_TRACE")) : 0;
    if (getenv("ROTA_CG_TRACE") && cg->trace < 1)
        cg->trace = 1;
    cg->full_exact = getenv("ROTA_CG_FULL") != NULL;
    cg->sr_enabled = getenv("ROTA_CG_NO_SR") == NULL;
    double t0 = rota_now();
    cg->pricer = rota_pricer_new(inst);
    if (!cg->pricer || alloc_arrays(cg) < 0 || build_lp(cg) < 0) {
        rota_cg_free(cg);
        return NULL;
    }
    if (cg->trace)
        fprintf(stderr, "cg new: %.2fs (pricer and master)\n",
                rota_now() - t0);
    return cg;
}

void rota_cg_options_init(rota_cg_options *o)
{
    *o = (rota_cg_options){.enumerate = 1, .cols_per_kd = COLS_PER_KD,
                           .labels_per_call = LABELS_PER_CALL,
                           .heuristic_pricing = 1, .smoothing = 0,
                           .within_gap = WITHIN_GAP, .subset_row = 1};
}

void rota_cg_set_options(rota_cg *cg, const rota_cg_options *o)
{
    cg->enum_tried = !o->enumerate;
    cg->cols_per_kd = o->cols_per_kd > 0 ? o->cols_per_kd : COLS_PER_KD;
    cg->labels_per_call = o->labels_per_call > 0 ? o->labels_per_call
                                                 : LABELS_PER_CALL;
    cg->heur_allowed = o->heuristic_pricing;
    cg->heur_pricing = o->heuristic_pricing;
    cg->alpha = o->smoothing >= 0 && o->smoothing < 1 ? o->smoothing : 0;
    cg->within_gap = o->within_gap >= 0 ? o->within_gap : WITHIN_GAP;
    cg->sr_enabled = o->subset_row;
}

void rota_cg_free(rota_cg *cg)
{
    if (!cg)
        return;
    if (cg->lp && !cg->broken && cg->gen == glpk_generation) {
        if (setjmp(cg->jb) == 0) {
            glpk_hooks(cg);
            glp_delete_prob(cg->lp);
            glpk_unhook();
            if (--live_cgs == 0)
                glp_free_env();
        }
    }
    rota_pricer_free(cg->pricer);
    free_arrays(cg);
    free(cg);
}

void rota_cg_get_stats(const rota_cg *cg, rota_cg_stats *out)
{
    *out = cg->st;
    out->lp_value = cg->lp_value;
    out->cols = cg->store.n;
    out->sr_cuts = cg->n_sr;
    if (cg->lp && !cg->broken && cg->gen == glpk_generation) {
        out->rows = glp_get_num_rows(cg->lp);
        out->cols = glp_get_num_cols(cg->lp);
    }
}

rota_status cg_provoke_glpk_error(rota_cg *cg)
{
    CG_GUARD(cg, ROTA_EINTERNAL);
    glp_set_col_bnds(cg->lp, glp_get_num_cols(cg->lp) + 1, GLP_LO, 0, 0);
    glpk_unhook();
    return ROTA_OK;
}

static int stopped(double deadline, const volatile sig_atomic_t *stop)
{
    return (stop && *stop) || (deadline > 0 && rota_now() >= deadline);
}

/* ---- adding rosters ------------------------------------------------- */

int cg_roster_items(const rota_instance *inst, const rota_roster *r,
                    int staff, int day, rota_item *out, int max)
{
    int n = 0;
    for (int v = 0; v < inst->n_visits; v++) {
        const rota_assign *a = &r->a[v];
        if (a->staff != staff || a->day != day)
            continue;
        if (n == max)
            return -1;
        int phase = rota_phase_of(inst->visits[v].every_weeks, a->weeks,
                                  inst->cycle_weeks);
        out[n++] = (rota_item){v, a->start, phase};
    }
    return n;
}

/* Adds the column of (k, d) in r; its store index via *col (-1 if none).
 * Returns 0, -1 OOM, -2 when the pattern is not a feasible column. */
int cg_add_roster_day(rota_cg *cg, const rota_roster *r, int k, int d,
                      int *col)
{
    rota_item items[64];
    int added;
    *col = -1;
    int n = cg_roster_items(cg->inst, r, k, d, items, 64);
    if (n == 0)
        return 0;
    if (n < 0)
        return -2;
    int c = cg->class_size[k] > SPREAD_CLASS
                ? cg_add_column(cg, k, d, items, n, &added)
                : cg_add_column_class(cg, k, d, items, n, &added);
    if (c < 0)
        return c;
    *col = c;
    return 0;
}

static rota_status add_roster(rota_cg *cg, const rota_roster *r)
{
    rota_status st = ROTA_OK;
    if (r->n_visits != cg->V)
        return ROTA_EINPUT;
    for (int k = 0; k < cg->K; k++)
        for (int d = 0; d < ROTA_DAYS; d++) {
            int col, x = cg_add_roster_day(cg, r, k, d, &col);
            if (x == -1)
                return ROTA_ENOMEM;
            if (x == -2)
                st = ROTA_EINPUT;
        }
    return st;
}

rota_status rota_cg_add_roster(rota_cg *cg, const rota_roster *r)
{
    CG_GUARD(cg, ROTA_EINTERNAL);
    rota_status st = add_roster(cg, r);
    glpk_unhook();
    return st;
}

/* ---- the LP ---------------------------------------------------------- */

/* Solves the restricted master from the current basis.  Returns 0 when
 * optimal, 1 otherwise (time, numerical trouble, infeasible). */
int cg_solve_lp(rota_cg *cg, double deadline)
{
    return cg_solve_lp_by(cg, deadline, GLP_PRIMAL);
}

int cg_solve_lp_by(rota_cg *cg, double deadline, int meth)
{
    glp_smcp p;
    glp_init_smcp(&p);
    p.msg_lev = GLP_MSG_OFF;
    p.presolve = GLP_OFF;
    p.meth = meth;
    p.tm_lim = cg_tm_lim(deadline);
    double t0 = rota_now();
    int r = glp_simplex(cg->lp, &p);
    if (r == GLP_EBADB || r == GLP_ESING || r == GLP_ECOND) {
        glp_std_basis(cg->lp);
        p.meth = GLP_DUALP;
        p.tm_lim = cg_tm_lim(deadline);
        r = glp_simplex(cg->lp, &p);
    }
    cg->st.lp_seconds += rota_now() - t0;
    if (r != 0 || glp_get_status(cg->lp) != GLP_OPT)
        return 1;
    return 0;
}

/* Row y[r] of every member of k's class := their mean (r_of(m) the row). */
static void class_mean(rota_cg *cg, double *y, int k, const int *rows,
                       int stride, int off)
{
    double s = 0;
    for (int m = k; m >= 0; m = cg->next_member[m])
        s += rows[m * stride + off] ? y[rows[m * stride + off]] : 0;
    s /= cg->class_size[k];
    for (int m = k; m >= 0; m = cg->next_member[m])
        if (rows[m * stride + off])
            y[rows[m * stride + off]] = s;
}

/* Symmetry.  Swapping two interchangeable staff members (staff_class.h)
 * maps the master onto itself when every column of one has its twin for
 * the other (cg_add_column_class) - their rows have the same bounds.  The
 * duals y' with each staff row replaced by its mean over the class are
 * then still optimal for the restricted master (a mean of optimal duals,
 * permuted, of a symmetric LP).  In any case y' is sign-feasible and
 * y'b = yb (b is symmetric), so LB(y') is a bound and equals z_RMP when no
 * column prices negative.  Members have the same prices under y': pricing
 * prices one per class and day, and counts its bound once per member.
 *
 * Classes of more than SPREAD_CLASS members (koebenhavn-all: 30) would
 * make the master 30 times wider and its LP the bottleneck (53 of 60 s),
 * so there a priced column goes to the first member lacking it
 * (cg_add_column_spread).  The master is then not symmetric, but a column
 * negative under y' is one some member lacks: rc under y' is the mean of
 * its twins' rc under y, and twins in the master have rc >= 0.  So the
 * loop still adds a new column every round until LB(y') = z_RMP. */
static void symmetrise(rota_cg *cg, double *y)
{
    for (int k = 0; k < cg->K; k++) {
        if (cg->rep[k] != k || cg->class_size[k] == 1)
            continue;
        for (int d = 0; d < ROTA_DAYS; d++)
            class_mean(cg, y, k, cg->row_pattern, ROTA_DAYS, d);
        for (int w = 0; w < cg->W; w++)
            class_mean(cg, y, k, cg->row_cap, cg->W, w);
        class_mean(cg, y, k, cg->row_sites, 1, 0);
        class_mean(cg, y, k, cg->row_bmax, 1, 0);
        class_mean(cg, y, k, cg->row_bmin, 1, 0);
    }
}

/* Reads the row duals into y_row, clamped to their signs, and the views
 * pricing uses. */
static int read_duals(rota_cg *cg)
{
    int m = glp_get_num_rows(cg->lp);
    if (m + 1 > cg->cap_y_row) {
        double *y = realloc(cg->y_row, (size_t)(2 * m + 2) * sizeof *y);
        if (!y)
            return -1;
        cg->y_row = y;
        cg->cap_y_row = 2 * m + 2;
    }
    for (int i = 1; i <= m; i++) {
        double y = glp_get_row_dual(cg->lp, i);
        int t = glp_get_row_type(cg->lp, i);
        if (t == GLP_UP)
            y = y < 0 ? y : 0;
        else if (t == GLP_LO)
            y = y > 0 ? y : 0;
        cg->y_row[i] = y;
    }
    cg->n_y_row = m;
    if (!cg->split)
        symmetrise(cg, cg->y_row);
    return 0;
}

/* The per-visit, per-staff views of y_row. */
static void dual_views(rota_cg *cg, const double *y)
{
    for (int v = 0; v < cg->V; v++)
        cg->y_cover[v] = y[1 + v];
    for (int k = 0; k < cg->K; k++) {
        for (int d = 0; d < ROTA_DAYS; d++) {
            int r = cg->row_pattern[k * ROTA_DAYS + d];
            cg->y_pattern[k * ROTA_DAYS + d] = r ? y[r] : 0;
        }
        for (int w = 0; w < cg->W; w++)
            cg->y_cap[k * cg->W + w] = y[cg->row_cap[k * cg->W + w]];
        cg->y_sites[k] = cg->row_sites[k] ? y[cg->row_sites[k]] : 0;
        cg->y_bal[k] = cg->row_bmax[k]
            ? y[cg->row_bmax[k]] + y[cg->row_bmin[k]] : 0;
    }
}

typedef struct joint_view {
    const rota_cg *cg;
    const double *y;
    int n_rows;               /* rows y has; later ones count as dual 0 */
} joint_view;

static double joint_dual(void *user, int visit, int day, int start,
                         unsigned weeks)
{
    const joint_view *jv = user;
    const rota_cg *cg = jv->cg;
    int partner = cg->inst->visits[visit].partner;
    int a = visit < partner ? visit : partner;
    int r = cg_joint_row(cg, a, day, start, weeks);
    if (r == 0 || r > jv->n_rows)
        return 0;
    return (visit == a ? 1.0 : -1.0) * jv->y[r];
}

/* sum_i y_i b_i + the z, Umax, Umin terms of LB(y) (top of the file). */
static double dual_objective(rota_cg *cg, const double *y)
{
    glp_prob *lp = cg->lp;
    double s = 0;
    for (int i = 1; i <= cg->n_y_row; i++) {
        int t = glp_get_row_type(lp, i);
        double b = t == GLP_UP ? glp_get_row_ub(lp, i) : glp_get_row_lb(lp, i);
        s += y[i] * b;
    }
    for (int v = 0; v < cg->V; v++) {
        double rc = glp_get_obj_coef(lp, 1 + v) - y[1 + v];
        s += rc < 0 ? rc : 0;
    }
    if (cg->col_umax) {
        double rmax = glp_get_obj_coef(lp, cg->col_umax);
        double rmin = glp_get_obj_coef(lp, cg->col_umin);
        for (int k = 0; k < cg->K; k++) {
            rmax += y[cg->row_bmax[k]];
            rmin += y[cg->row_bmin[k]];
        }
        s += (rmax < 0 ? rmax : 0) + (rmin < 0 ? rmin : 0);
    }
    return s;
}

/* The duals pricing sees, from y's rows 1..n_rows (later rows, made
 * after y was read, count as dual 0). */
static void set_duals(rota_cg *cg, rota_duals *d, joint_view *jv,
                      const double *y, int n_rows)
{
    dual_views(cg, y);
    jv->cg = cg;
    jv->y = y;
    jv->n_rows = n_rows;
    for (int i = 0; i < cg->n_sr; i++)
        cg->y_sr[i] = cg->sr_row[i] <= n_rows ? fmax(0, -y[cg->sr_row[i]]) : 0;
    *d = (rota_duals){.cover = cg->y_cover, .cap = cg->y_cap,
                      .sites = cg->y_sites, .bal = cg->y_bal,
                      .pattern = cg->y_pattern, .joint = joint_dual,
                      .joint_user = jv, .n_sr = cg->n_sr,
                      .sr_vis = &cg->sr_vis[0][0], .sr_pen = cg->y_sr};
}

/* Reduced cost of a stored column under y (the row vector). */
double cg_col_rc(const rota_cg *cg, const cg_col *c, const double *y)
{
    const rota_instance *inst = cg->inst;
    const rota_item *it = cg->store.items + c->first;
    int k = c->staff;
    double rc = c->fig.cost - y[cg->row_pattern[k * ROTA_DAYS + c->day]];
    for (int i = 0; i < c->n; i++) {
        rc -= y[1 + it[i].visit];
        const rota_visit *v = &inst->visits[it[i].visit];
        if (v->partner >= 0) {
            int a = it[i].visit < v->partner ? it[i].visit : v->partner;
            unsigned wk = rota_phase_weeks(v->every_weeks, it[i].phase, cg->W);
            int r = cg_joint_row(cg, a, c->day, it[i].start, wk);
            if (r && r <= cg->n_y_row)  /* a row newer than y: dual 0 */
                rc -= (it[i].visit == a ? 1.0 : -1.0) * y[r];
        }
    }
    for (int w = 0; w < cg->W; w++)
        rc -= c->fig.load[w] * y[cg->row_cap[k * cg->W + w]];
    if (cg->row_sites[k])
        rc -= c->n * y[cg->row_sites[k]];
    if (cg->row_bmax[k])
        rc -= c->fig.total / (cg->W * inst->staff[k].capacity) *
              (y[cg->row_bmax[k]] + y[cg->row_bmin[k]]);
    int cut[CG_SR_MAX], n_cut = cg_sr_rows(cg, c, cut);
    for (int i = 0; i < n_cut; i++)
        if (cut[i] <= cg->n_y_row)      /* a row newer than y: dual 0 */
            rc -= y[cut[i]];
    return rc;
}

/* ---- pricing --------------------------------------------------------- */

static int pend_room(rota_cg *cg, int n)
{
    if (cg->n_pend == cg->cap_pend) {
        int cap = cg->cap_pend ? 2 * cg->cap_pend : 256;
        int *a = realloc(cg->pend_staff, (size_t)cap * sizeof *a);
        if (!a)
            return -1;
        cg->pend_staff = a;
        if (!(a = realloc(cg->pend_day, (size_t)cap * sizeof *a)))
            return -1;
        cg->pend_day = a;
        if (!(a = realloc(cg->pend_first, (size_t)cap * sizeof *a)))
            return -1;
        cg->pend_first = a;
        if (!(a = realloc(cg->pend_n, (size_t)cap * sizeof *a)))
            return -1;
        cg->pend_n = a;
        double *r = realloc(cg->pend_rc, (size_t)cap * sizeof *r);
        if (!r)
            return -1;
        cg->pend_rc = r;
        cg->cap_pend = cap;
    }
    if (cg->n_pend_items + n > cg->cap_pend_items) {
        long cap = cg->cap_pend_items ? 2 * cg->cap_pend_items : 1024;
        while (cap < cg->n_pend_items + n)
            cap *= 2;
        rota_item *x = realloc(cg->pend_items, (size_t)cap * sizeof *x);
        if (!x)
            return -1;
        cg->pend_items = x;
        cg->cap_pend_items = cap;
    }
    return 0;
}

/* Sink of pricing: the column waits in the pending list. */
static int on_priced(void *user, int staff, int day, const rota_item *it,
                     int n, double rc)
{
    rota_cg *cg = user;
    if (pend_room(cg, n) < 0) {
        cg->pend_oom = 1;
        return 1;
    }
    int i = cg->n_pend++;
    cg->pend_staff[i] = staff;
    cg->pend_day[i] = day;
    cg->pend_first[i] = (int)cg->n_pend_items;
    cg->pend_n[i] = n;
    cg->pend_rc[i] = rc;
    memcpy(cg->pend_items + cg->n_pend_items, it, (size_t)n * sizeof *it);
    cg->n_pend_items += n;
    return 0;
}

static int kd_cmp(const void *a, const void *b)
{
    const double *x = a, *y = b;
    return (x[0] > y[0]) - (x[0] < y[0]);
}

/* The worked (k, d) by the bound their last round left them (pricing's
 * or the completion bound), most negative first, in cg->kd_order as
 * (bound, kd) pairs; returns how many.  Last round's figures are only an
 * order: every (k, d) gets this round's bound from one table computation
 * (rota_price or rota_price_bound), never two. */
static int order_kd(rota_cg *cg)
{
    int n = 0;
    for (int kd = 0; kd < cg->K * ROTA_DAYS; kd++) {
        if (!cg->row_pattern[kd] ||
            (!cg->split && cg->rep[kd / ROTA_DAYS] != kd / ROTA_DAYS))
            continue;
        cg->kd_order[2 * n] = cg->kd_last[kd];
        cg->kd_order[2 * n + 1] = kd;
        n++;
    }
    qsort(cg->kd_order, (size_t)n, 2 * sizeof *cg->kd_order, kd_cmp);
    return n;
}

/* The cover duals pricing sees for staff member k on day d.  At a node
 * of the branching (cg_bp.c) a visit barred from d or from k has dual
 * -BARRED there, which prices every column of (k, d) holding it far above
 * 0: pricing then minimises over the node's own columns, and its bounds
 * are the node's.  (The tree bars a visit from a whole class at once, so
 * k may stand for its class.) */
static const double *node_cover(rota_cg *cg, int k, int d)
{
    if (!cg->allow)
        return cg->y_cover;
    const unsigned char *ok = cg->allow + cg->V + k;
    for (int v = 0; v < cg->V; v++)
        cg->y_node_cover[v] = cg->allow[v] >> d & 1 && ok[v * cg->K]
                                  ? cg->y_cover[v] : -BARRED;
    return cg->y_node_cover;
}

/* How many staff members a pricing of k's (k, d) stands for: its class,
 * or k alone at a node that tells the members apart. */
static int priced_for(const rota_cg *cg, int k)
{
    return cg->split ? 1 : cg->class_size[k];
}

/* Prices the (k, d) under duals y, most promising first (partial pricing:
 * the round stops pricing once PARTIAL_COLS columns per staff member
 * wait; the (k, d) not priced count with their completion bound).
 * *sum_min gets the sum of proved lower bounds of min(0, least reduced
 * cost) (exact minima when the calls were exact); *complete is 0 when the
 * clock or the stop flag ended the round before every (k, d) had a bound
 * (then *sum_min proves nothing).  Returns 1 when every (k, d) was priced
 * exactly, 0 otherwise, -1 out of memory. */
static int price_all(rota_cg *cg, const double *y, int heuristic,
                     double deadline, const volatile sig_atomic_t *stop,
                     double *sum_min, int *complete)
{
    rota_duals d;
    joint_view jv;
    set_duals(cg, &d, &jv, y, cg->n_y_row);
    rota_price_opts o = {.max_cols = cg->cols_per_kd,
                         .max_labels = cg->labels_per_call,
                         .deadline = deadline, .stop = stop,
                         .min_improve = RC_EPS, .heuristic = heuristic};
    int exact = 1;
    double t0 = rota_now();
    *sum_min = 0;
    *complete = 0;
    cg->n_pend = 0;
    cg->n_pend_items = 0;
    cg->pend_oom = 0;
    int n = order_kd(cg), i;
    long cap = heuristic || !cg->full_exact ? (long)PARTIAL_COLS * cg->K
                                            : LONG_MAX;
    for (i = 0; i < n && cg->n_pend < cap; i++) {
        rota_price_result res;
        int kd = (int)cg->kd_order[2 * i + 1];
        if (stopped(deadline, stop))
            goto out;
        d.cover = node_cover(cg, kd / ROTA_DAYS, kd % ROTA_DAYS);
        if (rota_price(cg->pricer, kd / ROTA_DAYS, kd % ROTA_DAYS, &d, &o,
                       on_priced, cg, &res) < 0 || cg->pend_oom) {
            cg->st.pricing_seconds += rota_now() - t0;
            return -1;
        }
        cg->st.pricing_calls++;
        cg->st.labels += res.labels;
        if (res.labels > cg->st.max_labels_call)
            cg->st.max_labels_call = res.labels;
        exact &= res.exact;
        *sum_min += res.lb * priced_for(cg, kd / ROTA_DAYS);
        cg->kd_last[kd] = res.lb;
        if (cg->trace > 1)
            fprintf(stderr, "  kd %3d %s lb %10.4f min %10.4f labels %7ld "
                    "cols %d\n", kd, res.exact ? "exact" : "cut  ", res.lb,
                    res.min_rc, res.labels, res.n_cols);
    }
    for (; i < n; i++) {
        int kd = (int)cg->kd_order[2 * i + 1];
        if (stopped(deadline, stop))
            goto out;
        d.cover = node_cover(cg, kd / ROTA_DAYS, kd % ROTA_DAYS);
        double b = rota_price_bound(cg->pricer, kd / ROTA_DAYS,
                                    kd % ROTA_DAYS, &d);
        exact &= b >= 0;
        *sum_min += b * priced_for(cg, kd / ROTA_DAYS);
        cg->kd_last[kd] = b;
        if (cg->trace > 1)
            fprintf(stderr, "  kd %3d table lb %10.4f\n", kd, b);
    }
    *complete = 1;
out:
    cg->st.pricing_seconds += rota_now() - t0;
    return *complete ? exact : 0;
}

/* Adds pending column i: for every member of its class, or (priced
 * columns of classes over SPREAD_CLASS, unless `every`) for the first
 * member lacking it; as cg_add_column otherwise. */
static int add_pend(rota_cg *cg, int i, int every, int *added)
{
    int k = cg->pend_staff[i], d = cg->pend_day[i], n = cg->pend_n[i];
    rota_item *it = cg->pend_items + cg->pend_first[i];
    if (cg->split)                      /* members apart: k's own column */
        return cg_add_column(cg, k, d, it, n, added);
    if (!every && cg->class_size[k] > SPREAD_CLASS)
        return cg_add_column_spread(cg, k, d, it, n, added);
    return cg_add_column_class(cg, k, d, it, n, added);
}

/* Moves the pending columns into the master; returns how many were new,
 * -1 out of memory.  A column pricing got wrong (infeasible, or another
 * reduced cost than the master gives it) is counted in st.bad_columns. */
static int add_pending(rota_cg *cg, const double *y)
{
    int added_total = 0;
    for (int i = 0; i < cg->n_pend; i++) {
        int added;
        int c = add_pend(cg, i, 0, &added);
        if (c == -1)
            return -1;
        if (c == -2) {
            cg->st.bad_columns++;
            if (cg->trace)
                fprintf(stderr, "cg bad column: infeasible\n");
            continue;
        }
        double rc = cg_col_rc(cg, &cg->store.col[c], y);
        if (fabs(rc - cg->pend_rc[i]) > 1e-6 * (1 + fabs(rc))) {
            cg->st.bad_columns++;
            if (cg->trace)
                fprintf(stderr, "cg bad column: rc %.9f, pricing said %.9f\n",
                        rc, cg->pend_rc[i]);
        }
        added_total += added;
        if (added && cg_col_rc(cg, &cg->store.col[c], cg->y_row) < -RC_EPS)
            cg->useful += added;
    }
    cg->st.cols_generated += added_total;
    return added_total;
}

/* sum over the rows R' (not pattern, not balance) of y_i b_i, plus the z
 * terms: the constant part of the band bound (cg_band.c). */
static double band_dual_part(rota_cg *cg, const double *y)
{
    glp_prob *lp = cg->lp;
    double s = 0;
    char *skip = calloc((size_t)cg->n_y_row + 1, 1);
    if (!skip)
        return NAN;
    for (int i = 0; i < cg->K * ROTA_DAYS; i++)
        skip[cg->row_pattern[i]] = 1;
    for (int k = 0; k < cg->K; k++) {
        skip[cg->row_bmax[k]] = 1;
        skip[cg->row_bmin[k]] = 1;
    }
    skip[0] = 0;
    for (int i = 1; i <= cg->n_y_row; i++) {
        if (skip[i])
            continue;
        int t = glp_get_row_type(lp, i);
        s += y[i] * (t == GLP_UP ? glp_get_row_ub(lp, i) : glp_get_row_lb(lp, i));
    }
    for (int v = 0; v < cg->V; v++) {
        double rc = glp_get_obj_coef(lp, 1 + v) - y[1 + v];
        s += rc < 0 ? rc : 0;
    }
    free(skip);
    return s;
}

/* rc'(c): the reduced cost without the pattern and balance duals. */
static double band_rc(const rota_cg *cg, const cg_col *c, const double *y)
{
    int k = c->staff;
    double rc = cg_col_rc(cg, c, y) + y[cg->row_pattern[k * ROTA_DAYS + c->day]];
    if (cg->row_bmax[k])
        rc += c->fig.total / (cg->W * cg->inst->staff[k].capacity) *
              (y[cg->row_bmax[k]] + y[cg->row_bmin[k]]);
    return rc;
}

/* skip[i] = 1 for the pattern and balance rows (and row 0). */
static char *band_skip(const rota_cg *cg)
{
    char *skip = calloc((size_t)cg->n_y_row + 1, 1);
    if (!skip)
        return NULL;
    for (int i = 0; i < cg->K * ROTA_DAYS; i++)
        skip[cg->row_pattern[i]] = 1;
    for (int k = 0; k < cg->K; k++) {
        skip[cg->row_bmax[k]] = 1;
        skip[cg->row_bmin[k]] = 1;
    }
    skip[0] = 1;
    return skip;
}

/* g -= the column's coefficients in the rows of R'. */
static void sub_coefs(const rota_cg *cg, const cg_col *c, double *g)
{
    const rota_instance *inst = cg->inst;
    const rota_item *it = cg->store.items + c->first;
    int k = c->staff;
    for (int i = 0; i < c->n; i++) {
        g[1 + it[i].visit] -= 1;
        const rota_visit *v = &inst->visits[it[i].visit];
        if (v->partner >= 0) {
            int a = it[i].visit < v->partner ? it[i].visit : v->partner;
            unsigned wk = rota_phase_weeks(v->every_weeks, it[i].phase, cg->W);
            int r = cg_joint_row(cg, a, c->day, it[i].start, wk);
            if (r)
                g[r] -= it[i].visit == a ? 1.0 : -1.0;
        }
    }
    for (int w = 0; w < cg->W; w++)
        g[cg->row_cap[k * cg->W + w]] -= c->fig.load[w];
    if (cg->row_sites[k])
        g[cg->row_sites[k]] -= c->n;
    int cut[CG_SR_MAX], n_cut = cg_sr_rows(cg, c, cut);
    for (int i = 0; i < n_cut; i++)
        g[cut[i]] -= 1;
}

/* The band bound at y over the master's columns (all of them when exact);
 * the minimiser stays in b. */
static double band_eval(rota_cg *cg, cg_band *b, const double *y)
{
    cg_band_reset(b);
    for (int c = 0; c < cg->store.n; c++) {
        const cg_col *col = &cg->store.col[c];
        if (col->j && cg_band_add(b, col->staff, col->day, col->fig.total,
                                  band_rc(cg, col, y), c) < 0)
            return -INFINITY;
    }
    return cg_band_bound(b, band_dual_part(cg, y));
}

/* A subgradient of the band bound at y (rows of R' only) into g; returns
 * its squared norm. */
static double band_subgradient(rota_cg *cg, const cg_band *b, const double *y,
                               const char *skip, double *g)
{
    glp_prob *lp = cg->lp;
    const int *chosen = cg_band_chosen(b);
    for (int i = 1; i <= cg->n_y_row; i++) {
        int t = glp_get_row_type(lp, i);
        g[i] = skip[i] ? 0
             : t == GLP_UP ? glp_get_row_ub(lp, i) : glp_get_row_lb(lp, i);
    }
    for (int v = 0; v < cg->V; v++)
        if (glp_get_obj_coef(lp, 1 + v) - y[1 + v] < 0)
            g[1 + v] -= 1;                  /* z_v = 1 */
    for (int kd = 0; kd < cg->K * ROTA_DAYS; kd++)
        if (chosen[kd] >= 0)
            sub_coefs(cg, &cg->store.col[chosen[kd]], g);
    double norm = 0;
    for (int i = 1; i <= cg->n_y_row; i++) {
        if (skip[i])
            g[i] = 0;
        int t = glp_get_row_type(lp, i);
        /* a dual at its sign limit cannot move further out */
        if ((t == GLP_UP && y[i] >= 0 && g[i] > 0) ||
            (t == GLP_LO && y[i] <= 0 && g[i] < 0))
            g[i] = 0;
        norm += g[i] * g[i];
    }
    return norm;
}

/* Subgradient ascent on the band bound from the duals y0 (Polyak steps
 * towards the best known objective ub); returns the best bound seen. */
static double band_ascent(rota_cg *cg, const double *y0, double ub, int iters,
                          double deadline, const volatile sig_atomic_t *stop)
{
    int m = cg->n_y_row;
    double *y = malloc((size_t)(m + 1) * sizeof *y);
    double *g = malloc((size_t)(m + 1) * sizeof *g);
    char *skip = band_skip(cg);
    cg_band *b = cg_band_new(cg);
    double best = -INFINITY, step = 1.0;
    int stall = 0;
    if (!y || !g || !skip || !b)
        goto done;
    memcpy(y, y0, (size_t)(m + 1) * sizeof *y);
    for (int it = 0; it < iters && !stopped(deadline, stop); it++) {
        double L = band_eval(cg, b, y);
        if (!isfinite(L))
            break;
        if (L > best + 1e-9) {
            best = L;
            stall = 0;
        } else if (++stall >= BAND_STALL) {
            step /= 2;
            stall = 0;
        }
        double norm = band_subgradient(cg, b, y, skip, g);
        if (norm < 1e-12 || ub <= L)
            break;
        double theta = step * (ub - L) / norm;
        for (int i = 1; i <= m; i++) {
            y[i] += theta * g[i];
            int t = glp_get_row_type(cg->lp, i);
            if (t == GLP_UP && y[i] > 0)
                y[i] = 0;
            else if (t == GLP_LO && y[i] < 0)
                y[i] = 0;
        }
        if (cg->trace && it % 10 == 0)
            fprintf(stderr, "band %3d L %.6f best %.6f step %.4f\n", it, L,
                    best, step);
    }
done:
    free(y);
    free(g);
    free(skip);
    cg_band_free(b);
    return best;
}

/* LB(y) over the master's own columns (they are all of them when exact). */
static double bound_over_master(rota_cg *cg, const double *y)
{
    int nkd = cg->K * ROTA_DAYS;
    double *best = calloc((size_t)nkd, sizeof *best);
    if (!best)
        return -INFINITY;
    for (int c = 0; c < cg->store.n; c++) {
        const cg_col *col = &cg->store.col[c];
        if (col->j == 0)
            continue;
        double rc = cg_col_rc(cg, col, y);
        int kd = col->staff * ROTA_DAYS + col->day;
        if (rc < best[kd])
            best[kd] = rc;
    }
    double s = dual_objective(cg, y);
    for (int i = 0; i < nkd; i++)
        s += best[i];
    free(best);
    return s;
}

/* Keeps lb (lowered for the floating point on the way) when it is the
 * best, and tells the bound sink at once; at a node of the branching it
 * is the node's bound only (cg_bp.c decides what the tree proves). */
static void record_bound(rota_cg *cg, double lb)
{
    if (!isfinite(lb))
        return;
    lb -= BOUND_TOL * fmax(1.0, fabs(lb));
    if (cg->allow)
        cg->node_lb = fmax(cg->node_lb, lb);
    else
        cg_post_bound(cg, lb);
}

void cg_post_bound(rota_cg *cg, double lb)
{
    if (isfinite(lb) && lb > cg->best_bound) {
        cg->best_bound = lb;
        if (cg->on_bound)
            cg->on_bound(cg->on_bound_user, lb);
    }
}

void rota_cg_set_roster_source(rota_cg *cg, rota_cg_roster_fn fn, void *user)
{
    cg->next_roster = fn;
    cg->next_roster_user = user;
}

void rota_cg_set_bound_sink(rota_cg *cg, rota_cg_bound_fn fn, void *user)
{
    cg->on_bound = fn;
    cg->on_bound_user = user;
}


/* The duals pricing uses: the LP's, or (stabilisation, Wentges) their
 * mix alpha y_center + (1 - alpha) y_LP with the duals of the best bound
 * so far.  Any mix of sign-feasible duals is sign-feasible, so LB(y) of
 * the mix is a bound as well.  Returns the vector to use. */
static const double *pricing_duals(rota_cg *cg, double alpha)
{
    int m = cg->n_y_row;
    if (alpha <= 0 || !cg->has_center)
        return cg->y_row;
    for (int i = 1; i <= m; i++)
        cg->y_mix[i] = alpha * cg->y_center[i] + (1 - alpha) * cg->y_row[i];
    return cg->y_mix;
}

/* Keeps y as the stabilisation centre when its bound is the best. */
static void update_center(rota_cg *cg, const double *y, double lb)
{
    if (cg->has_center && lb <= cg->center_lb)
        return;
    memcpy(cg->y_center, y, (size_t)(cg->n_y_row + 1) * sizeof *y);
    cg->center_rows = cg->n_y_row;
    cg->center_lb = lb;
    cg->has_center = 1;
}

/* Room for y_mix and y_center at the current row count (new joint rows
 * get centre dual 0). */
static int dual_room(rota_cg *cg)
{
    int m = cg->n_y_row;
    if (m + 1 > cg->cap_y_mix) {
        double *a = realloc(cg->y_mix, (size_t)(2 * m + 2) * sizeof *a);
        if (!a)
            return -1;
        cg->y_mix = a;
        double *b = realloc(cg->y_center, (size_t)(2 * m + 2) * sizeof *b);
        if (!b)
            return -1;
        cg->y_center = b;
        cg->cap_y_mix = 2 * m + 2;
    }
    for (int i = cg->center_rows + 1; i <= m; i++)
        cg->y_center[i] = 0;
    cg->center_rows = m;
    return 0;
}

/* Keeps what a converged round proved: its duals y, LB(y) and the least
 * reduced cost m[kd] of every (k, d) under them (cg_enumerate_within). */
static int keep_converged(rota_cg *cg, const double *y, double lb)
{
    int m = cg->n_y_row, nkd = cg->K * ROTA_DAYS;
    double *a = realloc(cg->y_conv, (size_t)(m + 1) * sizeof *a);
    if (!a)
        return -1;
    cg->y_conv = a;
    if (!cg->conv_m && !(cg->conv_m = malloc((size_t)nkd * sizeof(double))))
        return -1;
    memcpy(cg->y_conv, y, (size_t)(m + 1) * sizeof *a);
    memcpy(cg->conv_m, cg->kd_last, (size_t)nkd * sizeof(double));
    cg->conv_rows = m;
    cg->conv_lb = lb;
    cg->conv_ok = isfinite(lb);
    return 0;
}

/* Reduced-cost enumeration.  At duals y with LB(y) = D(y) + sum_kd m_kd
 * (m_kd the least reduced cost of (k, d), or 0), every roster x costs
 *   z(x) >= D(y) + sum_kd rc(x_kd) >= LB(y) + rc(c) - m_kd
 * for each column c = x_kd it uses.  So a roster cheaper than ub uses only
 * columns with rc(c) < ub - LB(y) + m_kd.  When the master holds all of
 * them (every (k, d) enumerated below that, complete), the integer
 * master over it is exact for every roster cheaper than ub: cg->within_ub
 * = ub, and cg_ip.c may prove.  Columns go to every member of a class.
 * Returns 0 (complete or not), -1 out of memory. */
int cg_enumerate_within(rota_cg *cg, double ub, double deadline,
                        const volatile sig_atomic_t *stop)
{
    if (!cg->conv_ok || !isfinite(ub) || cg->within_ub >= ub ||
        ub - cg->conv_lb > cg->within_gap * fmax(1.0, fabs(ub)) ||
        ub - cg->conv_lb > WITHIN_RETRY * cg->within_failed)
        return 0;
    double t0 = rota_now();
    double gap = fmax(0, ub - cg->conv_lb);
    double tol = 1e-6 * fmax(1.0, fabs(ub));
    rota_duals d;
    joint_view jv;
    set_duals(cg, &d, &jv, cg->y_conv, cg->conv_rows);
    rota_price_opts o = {.max_labels = WITHIN_LABELS_CALL,
                         .deadline = deadline, .stop = stop};
    long left = WITHIN_LABELS;
    int complete = 1;
    cg->n_pend = 0;
    cg->n_pend_items = 0;
    cg->pend_oom = 0;
    for (int kd = 0; kd < cg->K * ROTA_DAYS && complete; kd++) {
        int k = kd / ROTA_DAYS;
        if (!cg->row_pattern[kd] || cg->rep[k] != k)
            continue;
        long labels = 0;
        int r = rota_enumerate_below(cg->pricer, k, kd % ROTA_DAYS, &d,
                                     gap + cg->conv_m[kd] + tol, &o,
                                     on_priced, cg, &labels);
        cg->st.labels += labels;
        left -= labels;
        if (cg->trace > 1)
            fprintf(stderr, "  within kd %3d theta %.4f: %s, %ld labels, "
                    "%d columns so far\n", kd, gap + cg->conv_m[kd] + tol,
                    r == 0 ? "complete" : "cut", labels, cg->n_pend);
        if (r < 0)
            return -1;                  /* out of memory */
        if (r != 0 || left <= 0 || cg->n_pend > WITHIN_COLS)
            complete = 0;
    }
    long added = 0;
    if (!complete) {
        /* no claim to make: its columns would only slow every LP
         * (jammerbugt-matrix-1: 175,000 of them, 19 nodes in 60 s
         * instead of 330); past the budgets, again only once the gap
         * has shrunk (the clock or the stop flag: next time) */
        if (!stopped(deadline, stop))
            cg->within_failed = fmax(0, ub - cg->conv_lb);
        cg->n_pend = 0;
    }
    for (int i = 0; i < cg->n_pend; i++) {
        int more, c = add_pend(cg, i, 1, &more);
        if (c == -1)
            return -1;
        if (c == -2) {
            cg->st.bad_columns++;
            complete = 0;
        }
        added += more;
    }
    cg->st.cols_generated += added;
    if (complete)
        cg->within_ub = ub;
    if (cg->trace)
        fprintf(stderr, "cg within %.4f of LB %.4f: %d columns (%ld new), "
                "%s, %.2fs\n", gap, cg->conv_lb, cg->n_pend, added,
                complete ? "complete" : "cut short", rota_now() - t0);
    cg->n_pend = 0;
    return 0;
}

/* One iteration: price, bound, add.  Heuristic pricing (relaxed
 * dominance) runs while it finds columns; then exact pricing, whose label
 * budget grows while it is cut short.  Pricing uses stabilised duals
 * until they misprice (no column negative for the LP's own duals).
 * Returns the columns added (0: converged or stuck), -1 out of memory. */
static int cg_iteration(rota_cg *cg, double deadline,
                        const volatile sig_atomic_t *stop)
{
    double sum_min;
    int heur = cg->heur_pricing;
    if (dual_room(cg) < 0)
        return -1;
    double alpha = cg->misprice ? 0 : cg->alpha;
    const double *y = pricing_duals(cg, alpha);
    int complete;
    int exact = price_all(cg, y, heur, deadline, stop, &sum_min, &complete);
    if (exact < 0)
        return -1;
    double lb = complete ? dual_objective(cg, y) + sum_min : -INFINITY;
    if (complete) {
        record_bound(cg, lb);
        update_center(cg, y, lb);
    }
    cg->last_exact = exact;
    cg->useful = 0;
    int added = add_pending(cg, y);
    if (added < 0)
        return -1;
    cg->st.iterations++;
    if (cg->trace)
        fprintf(stderr, "cg %4ld %s a %.2f lp %.4f lb %.4f best %.4f added %d "
                "exact %d budget %ld labels %ld t %.2f/%.2f\n",
                cg->st.iterations, heur ? "heur " : "exact", alpha,
                cg->lp_value, lb, cg->best_bound, added, exact,
                cg->labels_per_call, cg->st.labels, cg->st.lp_seconds,
                cg->st.pricing_seconds);
    if (!complete)
        return 0;                       /* the clock or the stop flag */
    cg->misprice = 0;
    if (exact && cg->useful == 0 && !cg->allow &&
        keep_converged(cg, y, lb) < 0)
        return -1;
    if (cg->useful == 0 && alpha > 0) {
        cg->misprice = 1;               /* price at the LP's duals now */
        return cg_iteration(cg, deadline, stop);
    }
    added = cg->useful;
    if (heur && added == 0) {
        cg->heur_pricing = 0;           /* try the exact search now */
        return cg_iteration(cg, deadline, stop);
    }
    if (!heur && added > 0)
        cg->heur_pricing = cg->heur_allowed;
    if (!heur && !exact && added == 0) {
        if (cg->labels_per_call >= LABELS_MAX)
            return 0;                   /* stuck: the budget is spent */
        cg->labels_per_call *= 4;
        return cg_iteration(cg, deadline, stop);
    }
    return added;
}

/* The column generation loop of rota_cg_root. */
static rota_status root_loop(rota_cg *cg, double deadline,
                             const volatile sig_atomic_t *stop)
{
    double t0 = rota_now();
    if (!cg->enum_tried && cg_enumerate(cg, deadline) < 0)
        return ROTA_ENOMEM;
    if (cg->trace)
        fprintf(stderr, "cg enumeration tried: %.2fs\n", rota_now() - t0);
    while (!stopped(deadline, stop)) {
        const rota_roster *r;
        while (cg->next_roster && (r = cg->next_roster(cg->next_roster_user)))
            if (add_roster(cg, r) == ROTA_ENOMEM)
                return ROTA_ENOMEM;
        t0 = rota_now();
        if (cg_solve_lp(cg, deadline) != 0)
            break;
        if (cg->trace > 1)
            fprintf(stderr, "cg lp: %.2fs\n", rota_now() - t0);
        cg->lp_value = glp_get_obj_val(cg->lp);
        if (read_duals(cg) < 0)
            return ROTA_ENOMEM;
        if (cg->st.exact) {
            record_bound(cg, bound_over_master(cg, cg->y_row));
            double ub = isfinite(cg->best_upper) ? cg->best_upper
                                                 : 1.1 * cg->lp_value + 1;
            double bb = band_ascent(cg, cg->y_row, ub, BAND_ITERS, deadline,
                                    stop);
            if (cg->trace)
                fprintf(stderr, "cg exact: lp %.6f band %.6f\n",
                        cg->lp_value, bb);
            record_bound(cg, bb);
            break;
        }
        if (cg->trace && cg->col_umax)
            fprintf(stderr, "cg lp balance part %.4f\n",
                    100 * cg->inst->w_balance *
                    (glp_get_col_prim(cg->lp, cg->col_umax) -
                     glp_get_col_prim(cg->lp, cg->col_umin)));
        int added = cg_iteration(cg, deadline, stop);
        if (added == 0 && cg->last_exact && cg->sr_enabled &&
            !stopped(deadline, stop))
            added = cg_separate_sr(cg);     /* converged: cut, go on */
        if (added < 0)
            return ROTA_ENOMEM;
        if (added == 0)
            break;
    }
    return ROTA_OK;
}

int cg_node_loop(rota_cg *cg, double deadline,
                 const volatile sig_atomic_t *stop, double *lb)
{
    int ret = 0;
    cg->node_lb = -INFINITY;
    cg->has_center = 0;                 /* the parent's centre is not ours */
    cg->misprice = 0;
    /* the node starts from its parent's basis with a bound changed: dual
     * simplex; after new columns the basis is primal feasible */
    int meth = GLP_DUALP;
    for (;;) {
        if (stopped(deadline, stop)) {
            ret = 1;
            break;
        }
        int r = cg_solve_lp_by(cg, deadline, meth);
        meth = GLP_PRIMAL;
        if (r != 0) {
            ret = stopped(deadline, stop) ? 1 : -2;
            break;
        }
        cg->lp_value = glp_get_obj_val(cg->lp);
        if (read_duals(cg) < 0) {
            ret = -1;
            break;
        }
        int added = cg_iteration(cg, deadline, stop);
        if (added <= 0) {
            ret = added < 0 ? -1 : stopped(deadline, stop);
            break;
        }
    }
    *lb = cg->node_lb;
    return ret;
}

rota_status rota_cg_root(rota_cg *cg, double deadline,
                         const volatile sig_atomic_t *stop, double *bound)
{
    *bound = -INFINITY;
    CG_GUARD(cg, ROTA_EINTERNAL);
    rota_status st = root_loop(cg, deadline, stop);
    *bound = cg->best_bound;
    glpk_unhook();
    return st;
}
