/* cg_int.h - what cg.c, cg_cols.c and cg_int.c share (internal).
 *
 * The column store keeps every staff-day pattern the master has, once:
 * its items, figures and GLPK column.  Columns are never removed.
 */
#ifndef ROTA_CG_INT_H
#define ROTA_CG_INT_H

#include <glpk.h>
#include <setjmp.h>
#include <stdint.h>

#include "cg.h"
#include "pricing.h"

/* One column of the master. */
typedef struct cg_col {
    int staff, day;
    int first, n;             /* items are store.items[first .. first+n) */
    int j;                    /* GLPK column */
    uint32_t hash;            /* of (staff, day, items) */
    rota_colfig fig;
} cg_col;

typedef struct cg_store {
    cg_col *col;
    int n, cap;
    rota_item *items;
    long n_items, cap_items;
    int *table;               /* open addressing: column index, -1 empty */
    int table_mask;
} cg_store;

/* A joint row: the slot (a, day, start, weeks) of the lower visit a of a
 * pair; its GLPK row. */
typedef struct cg_joint {
    int visit, day, start;
    unsigned weeks;
    int row;
} cg_joint;

#define CG_SR_MAX ROTA_SR_MAX  /* subset-row cuts (pricing.h) */
#define CG_SR_WORDS ((CG_SR_MAX + 63) / 64)

struct rota_cg {
    const rota_instance *inst;
    rota_pricer *pricer;
    const int *rep;           /* [k]: its class's representative (pricer's) */
    int *next_member;         /* [k]: next member of k's class, -1 none */
    int *class_size;          /* [k]: members of k's class */
    glp_prob *lp;
    int broken;               /* GLPK failed: every call returns EINTERNAL */
    unsigned gen;             /* glpk_generation when lp was made (cg.c) */
    jmp_buf jb;
    int W, K, V;
    double big_m;             /* cost of an artificial uncovered visit (hard) */

    /* rows (0: absent) */
    int *row_pattern;         /* [k * 7 + d] */
    int *row_cap;             /* [k * W + w] */
    int *row_sites;           /* [k] */
    int *row_bmax, *row_bmin; /* [k], u[k] - Umax <= 0, u[k] - Umin >= 0 */
    cg_joint *joint;          /* open addressing on the slot */
    int n_joint, joint_mask;
    /* subset-row cuts (cg_sr.c) */
    int n_sr;
    int sr_vis[CG_SR_MAX][3]; /* its visits, ascending */
    int sr_row[CG_SR_MAX];
    uint64_t *sr_of_visit;    /* [v * CG_SR_WORDS + w]: bit i of word w when
                                 cut 64 w + i holds v */
    double y_sr[CG_SR_MAX];   /* -dual of each cut (>= 0), as pricing sees it */
    int sr_enabled;           /* options.subset_row */
    /* structural columns */
    int col_umax, col_umin;   /* 0 when balance weight is 0 */
    /* z[v] is GLPK column 1 + v */

    cg_store store;

    /* duals, clamped to their signs (see rota_cg_root) */
    double *y_cover, *y_cap, *y_sites, *y_bal, *y_pattern;
    double *y_row;            /* per GLPK row, 1-based */
    int n_y_row, cap_y_row;
    double *y_center;         /* stabilisation centre: the y of the best bound */
    double *y_mix;            /* the stabilised duals pricing used */
    int cap_y_mix, center_rows, has_center, misprice;
    double center_lb, alpha;
    double *kd_order;         /* (bound, kd) pairs, scratch of price_all */
    double *kd_last;          /* [kd]: its bound of the last round (an order) */
    rota_cg_bound_fn on_bound; /* told every new best bound; may be NULL */
    void *on_bound_user;
    rota_cg_roster_fn next_roster; /* rosters arriving mid-loop; may be NULL */
    void *next_roster_user;
    int useful;               /* columns of the round negative at the LP's duals */

    /* pricing output waiting to enter the master */
    rota_item *pend_items;
    long n_pend_items, cap_pend_items;
    int *pend_staff, *pend_day, *pend_first, *pend_n;
    double *pend_rc;
    int n_pend, cap_pend;
    int pend_oom;

    int cols_per_kd;          /* columns pricing returns per (k, d) */
    long labels_per_call;     /* pricing's label budget */
    double lp_value;          /* last restricted master LP optimum */
    double best_upper;        /* least objective of a roster seen */
    double ip_heur_seconds;   /* the next heuristic integer master's time
                                 (cg_ip.c); 0 before the first */
    int last_exact;           /* the last pricing round was exact */
    int heur_pricing;         /* next round prices heuristically */
    int heur_allowed;         /* options.heuristic_pricing */
    int full_exact;           /* exact rounds price every (k, d) */
    int trace;                /* ROTA_CG_TRACE set: a line per iteration on stderr */
    double *ip_x;             /* the incumbent point during rota_cg_integer */

    int enum_tried;
    /* branching (cg_bp.c): the node being solved, NULL at the root */
    const unsigned char *allow; /* [v]: days v may lie on (bit d); then
                                 [V + v * K + k]: 1 when k may take v */
    double *y_node_cover;     /* scratch: y_cover with barred visits at -BIG */
    double node_lb;           /* best bound proved at the node */
    int split;                /* the node tells members of a class apart:
                                 each is priced on its own, duals as the LP's */
    struct cg_bp *bp;         /* the tree, kept between calls; NULL none */
    /* the last converged root round (cg_enumerate_within) */
    int conv_ok;
    double conv_lb;           /* its LB(y), not lowered */
    double *y_conv;           /* its duals, rows 1..conv_rows */
    int conv_rows;
    double *conv_m;           /* [kd]: least reduced cost under them, <= 0 */
    double within_gap;        /* options.within_gap */
    double within_ub;         /* the master holds every column of every roster
                                 cheaper than this (-inf: no such claim) */
    double within_failed;     /* ub - LB of the last enumeration cut short
                                 (+inf: none) */
    double best_bound;
    rota_cg_stats st;
    int *sparse_ind;          /* scratch for glp_set_mat_col */
    double *sparse_val;
    int sparse_cap;
};

/* cg_cols.c */
int cg_store_find(const cg_store *s, int staff, int day, const rota_item *it,
                  int n, uint32_t hash);
uint32_t cg_items_hash(int staff, int day, const rota_item *it, int n);
int cg_store_add(cg_store *s, int staff, int day, const rota_item *it, int n,
                 uint32_t hash, const rota_colfig *fig);
void cg_store_free(cg_store *s);
/* Adds a column (items sorted) to the master, with its joint rows; returns
 * its store index, -2 when infeasible, -1 when out of memory.  *added is 1
 * when it was new. */
int cg_add_column(rota_cg *cg, int staff, int day, rota_item *items, int n,
                  int *added);
/* cg_add_column for staff and for every other member of its class (the
 * master stays symmetric, see cg.c); returns staff's column as
 * cg_add_column does, *added counts the new columns. */
int cg_add_column_class(rota_cg *cg, int staff, int day, rota_item *items,
                        int n, int *added);
/* Adds the column (items sorted) for the first member of staff's class
 * that lacks it (cg.c, "Symmetry"); as cg_add_column otherwise. */
int cg_add_column_spread(rota_cg *cg, int staff, int day, rota_item *items,
                         int n, int *added);
/* The joint row of slot (visit, day, start, weeks) (visit the lower one of
 * its pair), 0 when absent. */
int cg_joint_row(const rota_cg *cg, int visit, int day, int start,
                 unsigned weeks);

/* cg.c */
/* Whether the master is still usable (no GLPK error since it was made). */
int cg_usable(rota_cg *cg);
/* Installs the error hook (longjmp to cg->jb) and the silent terminal. */
void cg_hooks(rota_cg *cg);
void cg_unhook(void);

/* Every public entry that calls GLPK starts with this: it refuses a broken
 * master and returns `failed` when GLPK reports an error (the environment
 * is then freed, every master of the thread broken). */
#define CG_GUARD(cg, failed)           \
    do {                               \
        if (!cg_usable(cg))            \
            return failed;             \
        if (setjmp((cg)->jb))          \
            return failed;             \
        cg_hooks(cg);                  \
    } while (0)

int cg_solve_lp(rota_cg *cg, double deadline);
/* The same with GLPK's method meth (GLP_DUALP after bounds changed). */
int cg_solve_lp_by(rota_cg *cg, double deadline, int meth);
/* The roster in *out of the master's integer point: GLPK's MIP solution
 * (mip = 1) or an LP point whose columns are 0 or 1 (cg_ip.c), checked by
 * the evaluator: 1 feasible (*obj its objective; how far the master's
 * own objective was goes to st.ip_obj_diff), 0 when it breaks a rule (a
 * bad column: st.bad_columns), -1 out of memory. */
int cg_take_roster(rota_cg *cg, rota_roster *out, int mip, double *obj);
/* GLPK's branch-and-cut over the master as a branch-and-price node left
 * it (barred columns at 0), until deadline: *bound what it proved of the
 * node's rosters (its optimum when solved, +inf when it has none, -inf
 * when nothing), a feasible roster in *out with *found = 1 and *obj.
 * Leaves every column free and continuous (set_node again after).  Only
 * over a complete master does *bound bound the node (cg_bp.c). */
rota_status cg_node_integer(rota_cg *cg, double deadline,
                            const volatile sig_atomic_t *stop,
                            rota_roster *out, int *found, double *obj,
                            double *bound);
double cg_col_rc(const rota_cg *cg, const cg_col *c, const double *y);
int cg_roster_items(const rota_instance *inst, const rota_roster *r,
                    int staff, int day, rota_item *out, int max);
int cg_add_roster_day(rota_cg *cg, const rota_roster *r, int k, int d,
                      int *col);

/* For tests: makes GLPK fail (a column index out of range) inside the
 * guard; returns ROTA_EINTERNAL and leaves the master broken. */
rota_status cg_provoke_glpk_error(rota_cg *cg);

/* cg.c: column generation at the node cg->allow describes (cg_bp.c):
 * until an exact round finds no column, the clock or stop.  *lb gets the
 * best bound of the node proved (-INFINITY none).  Returns 0 converged
 * (or pricing stuck at its budget), 1 cut short, -1 out of memory, -2
 * the LP failed. */
int cg_node_loop(rota_cg *cg, double deadline,
                 const volatile sig_atomic_t *stop, double *lb);
/* cg_bp.c */
void cg_bp_free(struct cg_bp *bp);

/* cg_band.c: the balance-band Lagrangian bound */
typedef struct cg_band cg_band;
cg_band *cg_band_new(const rota_cg *cg);
void cg_band_free(cg_band *b);
void cg_band_reset(cg_band *b);
int cg_band_add(cg_band *b, int k, int d, int m, double rc, int col);
void cg_band_floor(cg_band *b, int k, int d, double floor);
/* The bound from the recorded f and dual_part = sum_{i in R'} y_i b_i +
 * the z terms; -INFINITY when out of memory. */
double cg_band_bound(cg_band *b, double dual_part);
/* The minimiser of the last bound: per (k, d) the store index of its
 * column, -1 none, -2 an unresolved load. */
const int *cg_band_chosen(const cg_band *b);

/* cg.c: keeps lb as the best bound when it is, and tells the bound sink
 * at once (lb already lowered for the floating point on its way). */
void cg_post_bound(rota_cg *cg, double lb);

/* cg.c: adds every column that a roster cheaper than ub could use, by
 * the last converged round's reduced costs; sets within_ub when complete.
 * 0, or -1 out of memory. */
int cg_enumerate_within(rota_cg *cg, double ub, double deadline,
                        const volatile sig_atomic_t *stop);

/* cg_sr.c */
/* The rows of the cuts column c holds two visits or more of (its
 * coefficient 1 there, 0 in the other cuts) into rows (room for
 * CG_SR_MAX); returns how many. */
int cg_sr_rows(const rota_cg *cg, const cg_col *c, int *rows);
/* Adds the cut on visits v[0] < v[1] < v[2] as a row of the master, with
 * its coefficients in every column there; 1 added, 0 when CG_SR_MAX are
 * there, -1 out of memory. */
int cg_add_sr(rota_cg *cg, const int *v);
/* Separates subset-row cuts violated by the master's LP point and adds
 * their rows (only at the root, before any branching); returns how many,
 * -1 out of memory. */
int cg_separate_sr(rota_cg *cg);

/* cg_enum.c */
/* Lists every column up to equivalence into the master when that takes at
 * most the budgets; sets st.exact.  Returns 0, -1 out of memory. */
int cg_enumerate(rota_cg *cg, double deadline);

#endif
