/* cg_bp.c - branch-and-price over the day-pattern master: branching on
 * the weekday each visit lies on.
 *
 * Why days.  Staff members of a class are interchangeable (staff_class.h):
 * a branch "visit v with person k" is undone by k's twin at no cost, and
 * the classes are what pricing shares.  Weekdays are not interchangeable
 * (blocked intervals, windows, availability, other visits' slots), every
 * roster puts a covered visit on exactly one, and barring v from day d
 * changes nothing but prices: pricing of (k, d) sees v's cover dual at
 * -BARRED (cg.c, node_cover), and the master's columns of day d holding v
 * are fixed at 0.  Both leave the classes symmetric.
 *
 * Days alone leave the gap that balance makes: at a root whose every
 * x_vd is integral (tiny-1..3) the LP still shares a visit between two
 * people and averages their utilisations.  So the tree also branches on
 * x_vC = sum of the columns of class C's members holding v: barring v
 * from every member of a class also keeps the classes symmetric.  Last,
 * when days and classes are integral, on x_vk of one member k of a class
 * (twins still share a visit): v off k, v with k only.  A node that tells
 * members apart is priced member by member (cg->split, cg.c).  While the
 * members of k's class are alike at the node, "v off k" is the image of
 * "v with k" under swapping k with the member that takes v, so only "v
 * with k" is kept (as in orbital fixing).
 *
 * A node is allow[v], the days visit v may lie on (a joint visit's
 * partner gets the same days: a pair shares its slot), and whether each
 * staff member may take v.  A node whose LP has some x_vd or x_vC
 * strictly between 0 and 1 (the nearest 1/2 is taken) gets two children:
 * v off d and v on d only, or v off C and v with C only (x_vk: above).  Every roster
 * lies in a child, so every roster costs at least the least of: the open
 * nodes' bounds, the bounds of the nodes that could not branch (every
 * x_vd, x_vC and x_vk integral: "flat"), and the best roster's objective (a
 * node whose bound reaches it holds no cheaper roster).  A node's bound is the best
 * Lagrangian bound of its column generation (cg.c: pricing minimises over
 * the node's own columns), and at least its parent's.  Best bound first.
 *
 * The tree lives between calls: rota_cg_branch returns at its deadline
 * with the master as at the root (every column free), so the caller can
 * take new rosters and run the integer master in between.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg_int.h"

#define ALL_DAYS 0x7f
#define FRAC_EPS 1e-6          /* x_vd within this of 0 or 1 is integral */
#define MAX_OPEN 200000        /* open nodes kept at most */
#define MAX_TREE_BYTES (256L << 20)  /* and their restrictions' bytes */
#define FLAT_MIP_SECONDS 2.0   /* GLPK's search on a flat node, at most */

typedef struct bp_node {
    double lb;
    unsigned char *allow;     /* [V + V K] as cg->allow (cg_int.h), owned */
    int *basis;               /* the parent's basic rows (i) and columns
                               * (rows + j), rows of them; owned; NULL */
    int root;                 /* the converged root: branch on its LP */
} bp_node;

/* A branching: visit v and day d, the class whose representative is c,
 * or staff member k (the others -1). */
typedef struct bp_branch {
    int v, d, class, k;
} bp_branch;

struct cg_bp {
    bp_node *open;
    int n_open, cap_open;
    double flat_lb;           /* least bound of the nodes that cannot branch */
    long nodes;               /* nodes solved */
    int broken;               /* an LP failed: no more branching */
    unsigned char *cur;       /* allow of the node being solved, owned */
    int *cur_basis;           /* and its basis, owned */
    double *x;                /* scratch: x_vd, [v * ROTA_DAYS + d] */
    double *xc;               /* scratch: x_vC, [v * K + rep of C] */
    double *xk;               /* scratch: x_vk, [v * K + k] */
    int *basis;               /* basis of the node just solved, owned */
    rota_roster *found;       /* an integral node's roster, owned */
    double found_obj;         /* its objective */
    int has_found;            /* found is new: not handed out yet */
    int rows;                 /* the master's rows (fixed after the root) */
    size_t size;              /* bytes of a node's allow */
    int max_open;             /* MAX_OPEN, or fewer for MAX_TREE_BYTES */
};

void cg_bp_free(struct cg_bp *bp)
{
    if (!bp)
        return;
    for (int i = 0; i < bp->n_open; i++) {
        free(bp->open[i].allow);
        free(bp->open[i].basis);
    }
    free(bp->open);
    free(bp->cur);
    free(bp->cur_basis);
    free(bp->basis);
    rota_roster_free(bp->found);
    free(bp->x);
    free(bp->xc);
    free(bp->xk);
    free(bp);
}

/* Adds an open node with a copy of allow and of basis (NULL: none); -1
 * out of memory. */
static int push_node(struct cg_bp *bp, double lb, const unsigned char *allow,
                     const int *basis)
{
    if (bp->n_open == bp->cap_open) {
        int cap = bp->cap_open ? 2 * bp->cap_open : 64;
        bp_node *a = realloc(bp->open, (size_t)cap * sizeof *a);
        if (!a)
            return -1;
        bp->open = a;
        bp->cap_open = cap;
    }
    unsigned char *c = malloc(bp->size);
    if (!c)
        return -1;
    memcpy(c, allow, bp->size);
    int *b = NULL;
    if (basis && !(b = malloc((size_t)bp->rows * sizeof *b))) {
        free(c);
        return -1;
    }
    if (b)
        memcpy(b, basis, (size_t)bp->rows * sizeof *b);
    bp->open[bp->n_open++] = (bp_node){.lb = lb, .allow = c, .basis = b};
    return 0;
}

/* The tree with its root node (bound: the root's). */
static struct cg_bp *bp_new(rota_cg *cg)
{
    struct cg_bp *bp = calloc(1, sizeof *bp);
    size_t V = (size_t)cg->V, K = (size_t)cg->K;
    unsigned char *all = malloc(V * (1 + K) + 1);
    if (!bp || !all ||
        !(bp->x = malloc(V * ROTA_DAYS * sizeof *bp->x + 1)) ||
        !(bp->xc = malloc(V * K * sizeof *bp->xc + 1)) ||
        !(bp->xk = malloc(V * K * sizeof *bp->xk + 1)))
        goto fail;
    bp->flat_lb = INFINITY;
    bp->size = V * (1 + K) + 1;
    bp->rows = glp_get_num_rows(cg->lp);
    if (!(bp->basis = malloc((size_t)bp->rows * sizeof *bp->basis + 1)) ||
        !(bp->found = rota_roster_new(cg->inst)))
        goto fail;
    bp->max_open = (int)fmin(MAX_OPEN, (double)MAX_TREE_BYTES /
                             (bp->size + (size_t)bp->rows * sizeof(int)));
    memset(all, ALL_DAYS, V);
    memset(all + V, 1, V * K + 1);
    if (push_node(bp, cg->best_bound, all, NULL) < 0)
        goto fail;
    bp->open[0].root = 1;
    free(all);
    return bp;
fail:
    free(all);
    cg_bp_free(bp);
    return NULL;
}

/* Whether column c holds a visit the node bars from c's day. */
static int col_barred(const rota_cg *cg, const cg_col *c,
                      const unsigned char *allow)
{
    const rota_item *it = cg->store.items + c->first;
    const unsigned char *ok = allow + cg->V + c->staff;
    for (int i = 0; i < c->n; i++) {
        int v = it[i].visit;
        if (!(allow[v] >> c->day & 1) || !ok[v * cg->K])
            return 1;
    }
    return 0;
}

/* Whether allow treats member k unlike its class's representative. */
static int member_apart(const rota_cg *cg, const unsigned char *allow, int k)
{
    const unsigned char *ok = allow + cg->V;
    int r = cg->rep[k];
    for (int v = 0; v < cg->V; v++)
        if (ok[v * cg->K + k] != ok[v * cg->K + r])
            return 1;
    return 0;
}

/* Whether allow tells the members of k's class apart. */
static int class_apart(const rota_cg *cg, const unsigned char *allow, int k)
{
    for (int m = 0; m < cg->K; m++)
        if (cg->rep[m] == cg->rep[k] && member_apart(cg, allow, m))
            return 1;
    return 0;
}

/* Makes the master the node's (allow) or the root's (NULL): barred
 * columns fixed at 0, the others free. */
static void set_node(rota_cg *cg, const unsigned char *allow)
{
    cg->allow = allow;
    cg->split = 0;
    for (int k = 0; allow && k < cg->K && !cg->split; k++)
        cg->split = member_apart(cg, allow, k);
    for (int c = 0; c < cg->store.n; c++) {
        const cg_col *col = &cg->store.col[c];
        if (col->j == 0)
            continue;
        if (allow && col_barred(cg, col, allow))
            glp_set_col_bnds(cg->lp, col->j, GLP_FX, 0.0, 0.0);
        else
            glp_set_col_bnds(cg->lp, col->j, GLP_LO, 0.0, 0.0);
    }
}

/* Copies the master's basis into bp->basis; 0 when it is not one of
 * bp->rows basic rows and columns (rows added since the root). */
static int save_basis(rota_cg *cg, struct cg_bp *bp)
{
    int m = glp_get_num_rows(cg->lp), n = glp_get_num_cols(cg->lp), nb = 0;
    if (m != bp->rows)
        return 0;
    for (int i = 1; i <= m && nb < m; i++)
        if (glp_get_row_stat(cg->lp, i) == GLP_BS)
            bp->basis[nb++] = i;
    for (int j = 1; j <= n && nb < m; j++)
        if (glp_get_col_stat(cg->lp, j) == GLP_BS)
            bp->basis[nb++] = m + j;
    return nb == m;
}

/* Makes basis (save_basis) the master's: the child starts where its
 * parent ended, so the dual simplex has one bound to repair instead of
 * the distance between two nodes of a best-first tree (jammerbugt-1: 1-4
 * s a node from the previous node's basis).  Nonbasic rows and columns
 * go to a bound GLPK picks by their type. */
static void restore_basis(rota_cg *cg, const struct cg_bp *bp,
                          const int *basis)
{
    int m = glp_get_num_rows(cg->lp), n = glp_get_num_cols(cg->lp);
    if (m != bp->rows)
        return;
    for (int i = 1; i <= m; i++)
        glp_set_row_stat(cg->lp, i, GLP_NL);
    for (int j = 1; j <= n; j++)
        glp_set_col_stat(cg->lp, j, GLP_NL);
    for (int b = 0; b < m; b++) {
        if (basis[b] <= m)
            glp_set_row_stat(cg->lp, basis[b], GLP_BS);
        else if (basis[b] - m <= n)
            glp_set_col_stat(cg->lp, basis[b] - m, GLP_BS);
    }
}

/* The branching of the node's LP point whose x_vd or x_vC is nearest
 * 1/2; 0 when every one is integral. */
static int pick_branch(rota_cg *cg, struct cg_bp *bp, bp_branch *b)
{
    double *x = bp->x, *xc = bp->xc, *xk = bp->xk;
    int K = cg->K;
    memset(x, 0, (size_t)cg->V * ROTA_DAYS * sizeof *x);
    memset(xc, 0, (size_t)cg->V * K * sizeof *xc);
    memset(xk, 0, (size_t)cg->V * K * sizeof *xk);
    for (int c = 0; c < cg->store.n; c++) {
        const cg_col *col = &cg->store.col[c];
        if (col->j == 0)
            continue;
        double l = glp_get_col_prim(cg->lp, col->j);
        if (l <= FRAC_EPS)
            continue;
        const rota_item *it = cg->store.items + col->first;
        for (int i = 0; i < col->n; i++) {
            x[it[i].visit * ROTA_DAYS + col->day] += l;
            xc[it[i].visit * K + cg->rep[col->staff]] += l;
            xk[it[i].visit * K + col->staff] += l;
        }
    }
    double best = FRAC_EPS;
    for (int i = 0; i < cg->V * ROTA_DAYS; i++) {
        double f = fmin(x[i], 1 - x[i]);
        if (f > best) {
            best = f;
            *b = (bp_branch){.v = i / ROTA_DAYS, .d = i % ROTA_DAYS,
                             .class = -1, .k = -1};
        }
    }
    for (int i = 0; i < cg->V * K; i++) {
        double f = fmin(xc[i], 1 - xc[i]);
        if (f > best) {
            best = f;
            *b = (bp_branch){.v = i / K, .d = -1, .class = i % K, .k = -1};
        }
    }
    for (int i = 0; best <= FRAC_EPS && i < cg->V * K; i++) {
        double f = fmin(xk[i], 1 - xk[i]);
        if (f > best && cg->class_size[i % K] > 1) {
            best = f;
            *b = (bp_branch){.v = i / K, .d = -1, .class = -1, .k = i % K};
        }
    }
    return best > FRAC_EPS;
}

/* allow with v barred from member k (on = 0) or from everyone else (on =
 * 1). */
static void restrict_member(rota_cg *cg, unsigned char *allow, int v, int k,
                            int on)
{
    unsigned char *ok = allow + cg->V + (size_t)v * cg->K;
    for (int m = 0; m < cg->K; m++)
        if ((m == k) != on)
            ok[m] = 0;
}

/* allow with v (and its partner) barred from day d (on = 0) or kept to d
 * (on = 1); undone by calling it again with the masks it saved. */
static void restrict_day(rota_cg *cg, unsigned char *allow, int v, int d,
                         int on)
{
    int p = cg->inst->visits[v].partner;
    unsigned char m = (unsigned char)(1u << d);
    allow[v] = on ? allow[v] & m : allow[v] & (unsigned char)~m;
    if (p >= 0)
        allow[p] = on ? allow[p] & m : allow[p] & (unsigned char)~m;
}

/* allow with v barred from class c's members (on = 0) or from everyone
 * else (on = 1). */
static void restrict_class(rota_cg *cg, unsigned char *allow, int v, int c,
                           int on)
{
    unsigned char *ok = allow + cg->V + (size_t)v * cg->K;
    for (int k = 0; k < cg->K; k++)
        if ((cg->rep[k] == c) != on)
            ok[k] = 0;
}

/* The two children of a node (allow, changed) by branching b. */
static int push_children(rota_cg *cg, struct cg_bp *bp, double lb,
                         unsigned char *allow, const bp_branch *b,
                         const int *basis)
{
    unsigned char *child = malloc(bp->size);
    int r = -1;
    if (!child)
        return -1;
    /* members alike: "v off k" is "v with k" with k swapped (top) */
    int first = b->k >= 0 && !class_apart(cg, allow, b->k);
    for (int on = first; on <= 1; on++) {
        memcpy(child, allow, bp->size);
        if (b->k >= 0)
            restrict_member(cg, child, b->v, b->k, on);
        else if (b->class < 0)
            restrict_day(cg, child, b->v, b->d, on);
        else
            restrict_class(cg, child, b->v, b->class, on);
        if ((r = push_node(bp, lb, child, basis)) < 0)
            break;
    }
    free(child);
    return r;
}

/* What the tree proves of every roster: min(open, flat, ub). */
static double tree_bound(const struct cg_bp *bp, double ub)
{
    double b = fmin(bp->flat_lb, ub);
    for (int i = 0; i < bp->n_open; i++)
        b = fmin(b, bp->open[i].lb);
    return b;
}

/* Index of the open node of least bound (the later on ties: depth). */
static int best_open(const struct cg_bp *bp)
{
    int b = -1;
    for (int i = 0; i < bp->n_open; i++)
        if (b < 0 || bp->open[i].lb <= bp->open[b].lb)
            b = i;
    return b;
}

/* Whether the master holds every column a roster below the incumbent can
 * use (cg_enum.c: every column, or every one within reach of the
 * incumbent by reduced cost): a node's LP over them is then its bound, and
 * pricing at the node could add nothing such a roster uses. */
static int complete(const rota_cg *cg)
{
    return cg->st.exact || isfinite(cg->within_ub);
}

/* bp->found, just taken with objective obj, is the tree's roster to hand
 * out when it beats *ub, which it then becomes. */
static void keep_found(struct cg_bp *bp, double obj, double *ub)
{
    if (obj < *ub - 1e-9) {
        *ub = obj;
        bp->found_obj = obj;
        bp->has_found = 1;
    }
}

/* An LP point with every column at 0 or 1 (and no artificial in use
 * under hard coverage) is a roster: when the evaluator finds it feasible
 * and cheaper than *ub it becomes bp->found and *ub.  Best-first search
 * otherwise finds rosters only through the integer master between slices
 * (jammerbugt-1 kept 739.23 for 50 s above a tree at 737.5 whose nodes
 * held 738.14).  Returns 1 when the point is integral, 0 when not, -1
 * out of memory. */
static int take_integral(rota_cg *cg, struct cg_bp *bp, double *ub)
{
    for (int v = 0; v < cg->V; v++) {
        double z = glp_get_col_prim(cg->lp, 1 + v);
        if (z > FRAC_EPS && (!cg->inst->coverage_soft || z < 1 - FRAC_EPS))
            return 0;
    }
    for (int c = 0; c < cg->store.n; c++) {
        int j = cg->store.col[c].j;
        double l = j ? glp_get_col_prim(cg->lp, j) : 0;
        if (l > FRAC_EPS && l < 1 - FRAC_EPS)
            return 0;
    }
    if (cg->lp_value >= *ub - 1e-9)
        return 1;
    double obj;
    int ok = cg_take_roster(cg, bp->found, 0, &obj);
    if (ok < 0)
        return -1;
    if (ok)
        keep_found(bp, obj, ub);
    return 1;
}

/* A node of a complete master whose x_vd, x_vC and x_vk are integral but
 * whose columns are not (the same visits in different orders or starts):
 * no branching of ours separates it, and left alone its LP value holds
 * the tree's bound down for good (jammerbugt-1: 737.5 below a 738.14
 * optimum).  GLPK's branch-and-cut solves it for a while instead; what
 * it proves raises the node's bound, its roster may lower *ub.  Returns
 * the node's bound, NAN when out of memory. */
static double solve_flat(rota_cg *cg, struct cg_bp *bp, double lb, double *ub,
                         double deadline, const volatile sig_atomic_t *stop)
{
    int found = 0;
    double obj = INFINITY, b = -INFINITY;
    double until = fmin(deadline, rota_now() + FLAT_MIP_SECONDS);
    if (cg_node_integer(cg, until, stop, bp->found, &found, &obj, &b) !=
        ROTA_OK)
        return NAN;
    if (found)
        keep_found(bp, obj, ub);
    if (cg->trace)
        fprintf(stderr, "cg bp flat node: lp %.4f, integer master %.4f%s\n",
                lb, b, found ? " (roster)" : "");
    return fmax(lb, b);
}

/* Solves open node i: its column generation, then prune, flat or branch;
 * an integral node's roster lowers *ub.  Returns 0, 1 when the clock cut
 * it (the node stays open with what it proved), -1 out of memory, -2 the
 * LP failed. */
static int solve_node(rota_cg *cg, struct cg_bp *bp, int i, double *ub,
                      double deadline, const volatile sig_atomic_t *stop)
{
    bp_node n = bp->open[i];
    bp->open[i] = bp->open[--bp->n_open];
    bp->cur = n.allow;                  /* freed by cg_bp_free if GLPK fails */
    bp->cur_basis = n.basis;
    double t0 = rota_now();
    set_node(cg, n.allow);
    if (n.basis)
        restore_basis(cg, bp, n.basis);
    double t1 = rota_now();
    double lb = -INFINITY;
    int r;
    if (n.root || complete(cg))  /* pricing would prove nothing more */
        r = cg_solve_lp_by(cg, deadline, GLP_DUALP) == 0 ? 0
            : rota_now() < deadline ? -2 : 1;
    else
        r = cg_node_loop(cg, deadline, stop, &lb);
    if (r == 0 && (n.root || complete(cg)))
        cg->lp_value = glp_get_obj_val(cg->lp);
    if (r == 0 && complete(cg))
        lb = cg->lp_value - 1e-9 * fmax(1.0, fabs(cg->lp_value));
    lb = fmax(lb, n.lb);
    int ret = 0, branched = 0, integral = 0;
    bp_branch b;
    if (r < 0) {
        ret = r;
    } else if (r == 1) {
        ret = push_node(bp, lb, n.allow, n.basis) < 0 ? -1 : 1;
        if (ret == 1)
            bp->open[bp->n_open - 1].root = n.root;
    } else if ((integral = take_integral(cg, bp, ub)) < 0) {
        ret = -1;
    } else {
        bp->nodes++;
        if (lb < *ub && !(branched = pick_branch(cg, bp, &b)) &&
            !integral && complete(cg))
            lb = solve_flat(cg, bp, lb, ub, deadline, stop);
        if (isnan(lb))
            ret = -1;
        else if (lb < *ub && !branched)
            bp->flat_lb = fmin(bp->flat_lb, lb);
        else if (lb < *ub &&
                 push_children(cg, bp, lb, n.allow, &b,
                               save_basis(cg, bp) ? bp->basis : NULL) < 0)
            ret = -1;
        if (cg->trace)
            fprintf(stderr, "cg bp node %ld: lb %.4f lp %.4f %s open %d"
                    " %.3fs (set %.3fs)\n", bp->nodes, lb, cg->lp_value,
                    lb >= *ub ? "pruned" : !branched ? "flat"
                    : b.k >= 0 ? "branched (member)"
                    : b.class < 0 ? "branched (day)" : "branched (class)",
                    bp->n_open, rota_now() - t0, t1 - t0);
    }
    free(n.allow);
    free(n.basis);
    bp->cur = NULL;
    bp->cur_basis = NULL;
    return ret;
}

/* The body of rota_cg_branch, inside the guard. */
static rota_status branch(rota_cg *cg, double deadline,
                          const volatile sig_atomic_t *stop, double ub,
                          int *more)
{
    struct cg_bp *bp = cg->bp;
    rota_status st = ROTA_OK;
    while (!(stop && *stop) && rota_now() < deadline) {
        int i = best_open(bp);
        if (i < 0 || bp->open[i].lb >= ub || bp->n_open > bp->max_open)
            break;
        int r = solve_node(cg, bp, i, &ub, deadline, stop);
        if (r == -1)
            st = ROTA_ENOMEM;
        if (r == -2)
            bp->broken = 1;
        if (r < 0)
            break;
        double b = tree_bound(bp, ub);
        if (isfinite(b))
            cg_post_bound(cg, b - 1e-9 * fmax(1.0, fabs(b)));
        if (r == 1)
            break;
    }
    int i = best_open(bp);
    *more = !bp->broken && st == ROTA_OK && i >= 0 && bp->open[i].lb < ub &&
            bp->n_open <= bp->max_open;
    return st;
}

rota_status rota_cg_branch(rota_cg *cg, double deadline,
                           const volatile sig_atomic_t *stop, double ub,
                           rota_roster *out, int *found, int *more)
{
    *more = 0;
    *found = 0;
    ub = fmin(ub, cg->best_upper);
    /* the root must have converged, or the master be complete (every
     * column, or every column a roster below within_ub uses: the tree
     * prunes at within_ub at most) */
    if (isfinite(cg->within_ub))
        ub = fmin(ub, cg->within_ub);
    if ((!cg->conv_ok && !complete(cg)) || !isfinite(ub) ||
        (cg->bp && cg->bp->broken))
        return ROTA_OK;
    if (!cg->bp && !(cg->bp = bp_new(cg)))
        return ROTA_ENOMEM;
    if (!cg_usable(cg))
        return ROTA_EINTERNAL;
    if (setjmp(cg->jb)) {               /* GLPK failed: the master is gone */
        cg->allow = NULL;
        return ROTA_EINTERNAL;
    }
    cg_hooks(cg);
    rota_status st = branch(cg, deadline, stop, ub, more);
    set_node(cg, NULL);
    if (cg->bp->has_found) {
        rota_roster_assign(out, cg->bp->found);
        *found = 1;
        cg->bp->has_found = 0;
        cg->best_upper = fmin(cg->best_upper, cg->bp->found_obj);
    }
    cg->st.bp_nodes = cg->bp->nodes;
    cg->st.bp_open = cg->bp->n_open;
    cg_unhook();
    return st;
}
