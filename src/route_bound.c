/* route_bound.c - a lower bound of travel from the LP of tours without
 * time (a routing relaxation).
 *
 * Relaxation.  Drop every rule but these: each tour leaves an office and
 * comes back to it, holds at most max_visits_per_day visits, and belongs
 * to one (office, role) group whose staff may take its visits; visit v
 * needs occ(v) = W / every_weeks tour visits over the cycle.  Routes are
 * elementary up to 4 visits; beyond 4 (max_visits_per_day > 4) a visit
 * may come back, but not right after the one it left for (2-cycle
 * elimination).  Either way a superset of the tours, so
 *
 *   min sum_r legs(r) x_r   s.t.  sum_r a_vr x_r >= occ(v),  x >= 0
 *
 * (a_vr the times r holds v) is at most the leg minutes of any roster.
 * Column generation solves it; pricing is a dynamic programme over (visits
 * so far, last visit) with the best three predecessors (dp_levels), and
 * for exactly 4 visits a join of two-visit starts and ends (fourth_visit):
 * exact over those routes, O(groups x max_visits x visits^2) a round.
 *
 * Proof, also when cut short.  For duals y >= 0 (clamped) and m the least
 * reduced cost over all those routes (exact pricing), every route costs at
 * least c_min > 0 (a leg out of an office and one back), so scaling y by
 * theta = c_min / (c_min - m) makes every reduced cost >= 0 (Farley), and
 * theta * sum_v occ(v) y_v is a feasible dual value: a lower bound.  When
 * m >= 0, theta = 1 and the bound is the LP optimum.
 *
 * Soft coverage.  A visit may be left out: a column s_v (occ(v) in its
 * row) at w_uncovered need(v) W / w_travel, in leg minutes; and each
 * group's routes, legs plus visit minutes, fit its members' capacity
 * over the cycle (a row, dual mu <= 0: pricing counts a leg minute at
 * 1 - mu and lowers each visit's dual by -mu x its minutes).  The
 * scaling covers the s_v columns too (c_min the least of all costs).
 */
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "rota/eval.h"
#include "rota/travel.h"
#include "route_bound.h"

#define COLS_PER_GROUP 48     /* new columns per group and round */
#define RB_EPS 1e-7           /* reduced cost a column must beat */
#define MAX_ROUNDS 2000
#define ROUTE_MAX 16          /* visits a route may hold here */

/* An (office, role) group: its office place and the visits its staff
 * may take. */
typedef struct group {
    int office, role;
    int n;                    /* eligible visits */
    int *v;                   /* their indices */
    int cap_row;              /* soft coverage: its capacity row, else 0 */
    double cap;               /* its members' capacity over the cycle */
} group;

/* One DP entry: the best NSLOT (value, predecessor) with different
 * predecessors, best first; pred -1 is the office, from[] the slot of the
 * predecessor's entry the path came through. */
#define NSLOT 3
typedef struct entry {
    double val[NSLOT];
    int pred[NSLOT], from[NSLOT];
} entry;

/* A route pricing found. */
typedef struct found {
    double rc;
    int len;
    int path[ROUTE_MAX];
} found;

typedef struct rb {
    const rota_instance *inst;
    int V, M, n_group;
    group *g;
    glp_prob *lp;
    jmp_buf jb;
    double *y;                /* duals per visit */
    double *yg;               /* pricing's prize per visit for the group */
    double f;                 /* pricing's price per leg minute */
    double *mu;               /* [group]: capacity duals (<= 0), soft */
    double leave_scale;       /* soft: leg minutes per objective unit */
    int groups_apart, idle_staff;  /* group_facts */
    entry *dp;                /* [(j * V_g + i)] for the group being priced */
    int *ind;                 /* GLPK scratch, V + 1 */
    double *val;
    found best[COLS_PER_GROUP];  /* the group's most negative routes */
    int n_best;
    double *tail;             /* [x * 3 + k]: the best 2-visit ends (see
                                 fourth_visit) */
    int *tail_i;
    double c_min;
} rb;

static int swallow(void *info, const char *s)
{
    (void)info;
    (void)s;
    return 1;
}

static void on_error(void *info)
{
    rb *b = info;
    b->lp = NULL;
    glp_free_env();
    longjmp(b->jb, 1);
}

/* Groups of the staff who may take anything, with their visits. */
static int make_groups(rb *b)
{
    const rota_instance *inst = b->inst;
    b->g = calloc((size_t)inst->n_staff + 1, sizeof *b->g);
    if (!b->g)
        return -1;
    for (int k = 0; k < inst->n_staff; k++) {
        const rota_staff *s = &inst->staff[k];
        if (s->max_sites == 0)
            continue;
        int gi = 0;
        while (gi < b->n_group && (b->g[gi].office != s->office ||
                                   b->g[gi].role != s->role))
            gi++;
        if (gi == b->n_group) {
            b->g[gi] = (group){.office = s->office, .role = s->role};
            b->g[gi].v = malloc(((size_t)b->V + 1) * sizeof(int));
            if (!b->g[gi].v)
                return -1;
            b->n_group++;
        }
        b->g[gi].cap += inst->cycle_weeks * s->capacity;
    }
    for (int gi = 0; gi < b->n_group; gi++) {
        group *g = &b->g[gi];
        for (int v = 0; v < b->V; v++) {
            int may = 0;
            for (int k = 0; k < inst->n_staff && !may; k++)
                may = inst->staff[k].office == g->office &&
                      inst->staff[k].role == g->role &&
                      inst->staff[k].max_sites != 0 &&
                      rota_staff_may_take(inst, k, v);
            if (may)
                g->v[g->n++] = v;
        }
    }
    return 0;
}

/* For group_balance: whether every visit is in exactly one group's list
 * (groups_apart), and whether some staff member may take no visit at all
 * (idle_staff: their utilisation is 0 in every roster). */
static void group_facts(rb *b)
{
    const rota_instance *inst = b->inst;
    int *lists = calloc((size_t)b->V + 1, sizeof *lists);
    b->groups_apart = lists != NULL;
    for (int gi = 0; gi < b->n_group && lists; gi++)
        for (int i = 0; i < b->g[gi].n; i++)
            lists[b->g[gi].v[i]]++;
    for (int v = 0; v < b->V && lists; v++)
        b->groups_apart &= lists[v] == 1;
    free(lists);
    for (int k = 0; k < inst->n_staff && !b->idle_staff; k++) {
        int may = 0;
        for (int v = 0; v < b->V && !may && inst->staff[k].max_sites != 0; v++)
            may = rota_staff_may_take(inst, k, v);
        b->idle_staff = !may;
    }
}

static int leg(const rb *b, int from, int to)
{
    return rota_leg_minutes(b->inst, from, to);
}

/* A leg's minutes as pricing counts them (b->f: 1 + the group's
 * capacity price under soft coverage). */
static double pleg(const rb *b, int from, int to)
{
    return b->f * leg(b, from, to);
}

/* Adds the route path[0..n) of group g as a column. */
static void add_route(rb *b, const group *g, const int *path, int n)
{
    const rota_instance *inst = b->inst;
    double cost = 0;
    int prev = g->office, nz = 0;
    for (int i = 0; i < n; i++) {
        int p = rota_visit_place(inst, path[i]);
        cost += leg(b, prev, p);
        prev = p;
        int j = 1;
        while (j <= nz && b->ind[j] != path[i] + 1)
            j++;
        if (j > nz) {
            b->ind[++nz] = path[i] + 1;
            b->val[nz] = 0;
        }
        b->val[j] += 1;
    }
    cost += leg(b, prev, g->office);
    if (g->cap_row) {                   /* soft: legs + visit minutes */
        double load = cost;
        for (int i = 0; i < n; i++)
            load += inst->visits[path[i]].minutes;
        b->ind[++nz] = g->cap_row;
        b->val[nz] = load;
    }
    int c = glp_add_cols(b->lp, 1);
    glp_set_col_bnds(b->lp, c, GLP_LO, 0, 0);
    glp_set_obj_coef(b->lp, c, cost);
    glp_set_mat_col(b->lp, c, nz, b->ind, b->val);
}

static void entry_clear(entry *e)
{
    for (int k = 0; k < NSLOT; k++) {
        e->val[k] = INFINITY;
        e->pred[k] = -2;
        e->from[k] = 0;
    }
}

/* Offers (v, pred, from) to e: kept if among the NSLOT best of distinct
 * predecessors. */
static void entry_add(entry *e, double v, int pred, int from)
{
    int k = 0;
    while (k < NSLOT && e->pred[k] != pred)
        k++;
    if (k < NSLOT) {
        if (v >= e->val[k])
            return;
    } else {
        k = NSLOT - 1;
        if (v >= e->val[k])
            return;
    }
    while (k > 0 && e->val[k - 1] > v) {
        e->val[k] = e->val[k - 1];
        e->pred[k] = e->pred[k - 1];
        e->from[k] = e->from[k - 1];
        k--;
    }
    e->val[k] = v;
    e->pred[k] = pred;
    e->from[k] = from;
}

/* Keeps the COLS_PER_GROUP most negative routes offered (rc < -RB_EPS). */
static void offer(rb *b, double rc, const int *path, int len)
{
    if (rc >= -RB_EPS)
        return;
    int k = b->n_best;
    if (k == COLS_PER_GROUP) {
        if (rc >= b->best[k - 1].rc)
            return;
        k--;
    } else {
        b->n_best++;
    }
    while (k > 0 && b->best[k - 1].rc > rc) {
        b->best[k] = b->best[k - 1];
        k--;
    }
    b->best[k].rc = rc;
    b->best[k].len = len;
    memcpy(b->best[k].path, path, (size_t)len * sizeof *path);
}

/* Whether the offer list would take a route of reduced cost rc. */
static int wanted(const rb *b, double rc)
{
    return rc < -RB_EPS &&
           (b->n_best < COLS_PER_GROUP || rc < b->best[b->n_best - 1].rc);
}

/* The levels of the DP: f(j, i) = least rc of a route's start office ->
 * ... -> i with j + 1 visits, where no visit follows the one it came from
 * (2-cycle elimination; up to 3 visits that is elementary), its NSLOT best
 * predecessors kept.  A route is a start and the leg home. */
static void dp_levels(rb *b, const group *g, int levels)
{
    const rota_instance *inst = b->inst;
    int n = g->n;
    entry *dp = b->dp;
    for (int j = 0; j < levels; j++)
        for (int i = 0; i < n; i++)
            entry_clear(&dp[j * n + i]);
    for (int i = 0; i < n; i++) {
        int p = rota_visit_place(inst, g->v[i]);
        entry_add(&dp[i], pleg(b, g->office, p) - b->yg[g->v[i]], -1, 0);
    }
    for (int j = 1; j < levels; j++)
        for (int i = 0; i < n; i++) {
            int pi = rota_visit_place(inst, g->v[i]);
            double yi = b->yg[g->v[i]];
            entry *e = &dp[j * n + i];
            for (int u = 0; u < n; u++) {
                if (u == i)
                    continue;
                const entry *f = &dp[(j - 1) * n + u];
                int s = f->pred[0] != i ? 0 : 1;
                if (!isfinite(f->val[s]))
                    continue;
                int pu = rota_visit_place(inst, g->v[u]);
                entry_add(e, f->val[s] + pleg(b, pu, pi) - yi, u, s);
            }
        }
}

/* The route of entry (j, i) slot s, walked back into path[0..j]. */
static void walk_back(const rb *b, const group *g, int j, int i, int s,
                      int *path)
{
    int n = g->n;
    while (j >= 0) {
        const entry *e = &b->dp[j * n + i];
        path[j] = i;
        int pred = e->pred[s], from = e->from[s];
        i = pred;
        s = from;
        j--;
    }
}

/* Routes of exactly four visits v w x i, elementary: for each leg w -> x,
 * the best two-visit start (v, w) from level 1 of the DP (its 3 best v)
 * and the best two-visit end (x, i) (its 3 best i), all four distinct.
 * Three of each suffice: of the best three v one is neither x nor the
 * chosen i, and the same for i.  O(visits^2). */
static double fourth_visit(rb *b, const group *g)
{
    const rota_instance *inst = b->inst;
    int n = g->n;
    double m = 0;
    for (int x = 0; x < n; x++) {
        int px = rota_visit_place(inst, g->v[x]);
        double *t = b->tail + 3 * x;
        int *ti = b->tail_i + 3 * x;
        for (int k = 0; k < 3; k++) {
            t[k] = INFINITY;
            ti[k] = -1;
        }
        for (int i = 0; i < n; i++) {
            if (i == x)
                continue;
            int pi = rota_visit_place(inst, g->v[i]);
            double v = -b->yg[g->v[x]] + pleg(b, px, pi) - b->yg[g->v[i]] +
                       pleg(b, pi, g->office);
            int k = 2;
            if (v >= t[k])
                continue;
            while (k > 0 && t[k - 1] > v) {
                t[k] = t[k - 1];
                ti[k] = ti[k - 1];
                k--;
            }
            t[k] = v;
            ti[k] = i;
        }
    }
    for (int w = 0; w < n; w++) {
        const entry *a = &b->dp[1 * n + w];
        int pw = rota_visit_place(inst, g->v[w]);
        for (int x = 0; x < n; x++) {
            if (x == w)
                continue;
            double lwx = pleg(b, pw, rota_visit_place(inst, g->v[x]));
            for (int ka = 0; ka < NSLOT; ka++) {
                int v = a->pred[ka];
                if (!isfinite(a->val[ka]) || v == x)
                    continue;
                for (int kb = 0; kb < 3; kb++) {
                    int i = b->tail_i[3 * x + kb];
                    if (i < 0 || i == w || i == v)
                        continue;
                    double rc = a->val[ka] + lwx + b->tail[3 * x + kb];
                    m = rc < m ? rc : m;
                    if (wanted(b, rc)) {
                        int path[4] = {v, w, x, i};
                        offer(b, rc, path, 4);
                    }
                    break;
                }
            }
        }
    }
    return m;
}

/* Prices group g under b->y: the least reduced cost of its routes (see
 * the top of the file) into *min_rc; adds the COLS_PER_GROUP most
 * negative as columns.  Returns the number added. */
static int price_group(rb *b, const group *g, double *min_rc)
{
    const rota_instance *inst = b->inst;
    int n = g->n, M = b->M, levels = M == 4 ? 3 : M;
    int path[ROUTE_MAX];
    double m = 0, mu = g->cap_row ? b->mu[g - b->g] : 0;
    b->n_best = 0;
    b->f = 1 - mu;
    for (int i = 0; i < n; i++)
        b->yg[g->v[i]] = b->y[g->v[i]] + mu * inst->visits[g->v[i]].minutes;
    dp_levels(b, g, levels);
    for (int j = 0; j < levels; j++)
        for (int i = 0; i < n; i++) {
            const entry *e = &b->dp[j * n + i];
            if (!isfinite(e->val[0]))
                continue;
            int pi = rota_visit_place(inst, g->v[i]);
            double rc = e->val[0] + pleg(b, pi, g->office);
            m = rc < m ? rc : m;
            if (wanted(b, rc)) {
                walk_back(b, g, j, i, 0, path);
                offer(b, rc, path, j + 1);
            }
        }
    if (M == 4) {
        double m4 = fourth_visit(b, g);
        m = m4 < m ? m4 : m;
    }
    for (int c = 0; c < b->n_best; c++) {
        for (int k = 0; k < b->best[c].len; k++)
            path[k] = g->v[b->best[c].path[k]];
        add_route(b, g, path, b->best[c].len);
    }
    *min_rc = m;
    return b->n_best;
}

/* The least cost of any route: a leg out of an office and one back. */
static double least_route(const rb *b)
{
    double c = INFINITY;
    for (int gi = 0; gi < b->n_group; gi++) {
        const group *g = &b->g[gi];
        int out = 1 << 30, in = 1 << 30;
        for (int i = 0; i < g->n; i++) {
            int p = rota_visit_place(b->inst, g->v[i]);
            out = leg(b, g->office, p) < out ? leg(b, g->office, p) : out;
            in = leg(b, p, g->office) < in ? leg(b, p, g->office) : in;
        }
        if (g->n && out + in < c)
            c = out + in;
    }
    return c;
}

/* Soft coverage: the cost of leaving visit v out, in leg minutes. */
static double leave_cost(const rb *b, int v)
{
    const rota_instance *inst = b->inst;
    return inst->w_uncovered * inst->sites[inst->visits[v].site].need *
           b->leave_scale;
}

/* Soft coverage: each group's capacity row, and per visit the column
 * s_v of leaving it out (cost w_uncovered need(v) in leg minutes, each
 * of its occ(v) occurrences covered). */
static void add_soft(rb *b)
{
    const rota_instance *inst = b->inst;
    for (int gi = 0; gi < b->n_group; gi++) {
        group *g = &b->g[gi];
        g->cap_row = glp_add_rows(b->lp, 1);
        glp_set_row_bnds(b->lp, g->cap_row, GLP_UP, 0, g->cap);
    }
    for (int v = 0; v < b->V; v++) {
        int occ = inst->cycle_weeks / inst->visits[v].every_weeks;
        int row[2] = {0, v + 1};
        double val[2] = {0, occ};
        int c = glp_add_cols(b->lp, 1);
        glp_set_col_bnds(b->lp, c, GLP_LO, 0, 0);
        glp_set_obj_coef(b->lp, c, leave_cost(b, v));
        glp_set_mat_col(b->lp, c, 1, row, val);
    }
}

/* The master with one single-visit route per visit (its cheapest
 * group's), and under soft coverage add_soft's rows and columns; -1 when
 * some visit has no group under hard coverage. */
static int build_master(rb *b)
{
    const rota_instance *inst = b->inst;
    b->lp = glp_create_prob();
    glp_set_obj_dir(b->lp, GLP_MIN);
    glp_add_rows(b->lp, b->V);
    if (inst->coverage_soft)
        add_soft(b);
    for (int v = 0; v < b->V; v++) {
        int occ = inst->cycle_weeks / inst->visits[v].every_weeks;
        glp_set_row_bnds(b->lp, v + 1, GLP_LO, occ, 0);
        int best = -1;
        double bc = INFINITY;
        for (int gi = 0; gi < b->n_group; gi++) {
            const group *g = &b->g[gi];
            for (int i = 0; i < g->n; i++)
                if (g->v[i] == v) {
                    int p = rota_visit_place(inst, v);
                    double c = leg(b, g->office, p) + leg(b, p, g->office);
                    if (c < bc) {
                        bc = c;
                        best = gi;
                    }
                }
        }
        if (best < 0 && !inst->coverage_soft)
            return -1;
        if (best >= 0)
            add_route(b, &b->g[best], &v, 1);
    }
    return 0;
}

static int lp_solve(rb *b, double deadline)
{
    glp_smcp p;
    glp_init_smcp(&p);
    p.msg_lev = GLP_MSG_OFF;
    p.presolve = GLP_OFF;
    p.tm_lim = cg_tm_lim(deadline);
    int r = glp_simplex(b->lp, &p);
    if (r == GLP_EBADB || r == GLP_ESING || r == GLP_ECOND) {
        glp_std_basis(b->lp);
        r = glp_simplex(b->lp, &p);
    }
    return r != 0 || glp_get_status(b->lp) != GLP_OPT;
}

/* Balance from the groups' own travel.  When every visit's staff (who
 * may take it) lie in one (office, role) group (districts keep
 * municipalities apart), group g's visits go to its members, so the
 * highest utilisation is at least g's average U_g = (V_g + T_g) / C_g
 * (V visit minutes, T leg minutes and C its members' capacity, over the
 * cycle) and the lowest at most h's.  T_g is at least the sum of
 * occ(v) theta y[v] over g's visits: routes of g hold only g's visits, so
 * the scaled duals restricted to them are dual feasible for g alone.  A
 * larger T_g only raises both terms; a larger T_h lowers the balance by
 * less than it raises travel when w_travel C_h / W >= 100 w_balance.  So
 * travel + balance is at least w_travel / W sum_g T_g + 100 w_balance
 * (U_g - U_h) at those T, for such an h, or for a staff member who may
 * take nothing (u = 0).  Returns the balance part; 0 under soft coverage
 * (visits may be left out) or when groups share a visit. */
static double group_balance(const rb *b, double theta)
{
    const rota_instance *inst = b->inst;
    if (inst->coverage_soft || !b->groups_apart)
        return 0;
    double hi = -INFINITY, lo = b->idle_staff ? 0 : INFINITY;
    for (int gi = 0; gi < b->n_group; gi++) {
        const group *g = &b->g[gi];
        if (!(g->cap > 0))
            continue;
        double load = 0;
        for (int i = 0; i < g->n; i++) {
            const rota_visit *x = &inst->visits[g->v[i]];
            int occ = inst->cycle_weeks / x->every_weeks;
            load += occ * (x->minutes + theta * b->y[g->v[i]]);
        }
        double u = load / g->cap;
        hi = fmax(hi, u);
        if (inst->w_travel * g->cap / inst->cycle_weeks >=
            100 * inst->w_balance)
            lo = fmin(lo, u);
    }
    return isfinite(hi) && isfinite(lo) && hi > lo
               ? 100 * inst->w_balance * (hi - lo) : 0;
}

/* The column generation loop (see the top of the file). */
static int run(rb *b, double deadline, const volatile sig_atomic_t *stop,
               int max_rounds, rota_route_result *res)
{
    const rota_instance *inst = b->inst;
    if (build_master(b) < 0)
        return 1;
    for (int it = 0; it < max_rounds; it++) {
        if ((stop && *stop) || (deadline > 0 && rota_now() >= deadline))
            break;
        if (lp_solve(b, deadline))
            break;
        double yb = 0, m = 0;
        for (int v = 0; v < b->V; v++) {
            double y = glp_get_row_dual(b->lp, v + 1);
            int occ = inst->cycle_weeks / inst->visits[v].every_weeks;
            b->y[v] = y > 0 ? y : 0;
            yb += b->y[v] * occ;
            if (inst->coverage_soft)    /* s_v's reduced cost */
                m = fmin(m, leave_cost(b, v) - occ * b->y[v]);
        }
        for (int gi = 0; gi < b->n_group && inst->coverage_soft; gi++) {
            double mu = glp_get_row_dual(b->lp, b->g[gi].cap_row);
            b->mu[gi] = mu < 0 ? mu : 0;
            yb += b->mu[gi] * b->g[gi].cap;
        }
        int added = 0;
        for (int gi = 0; gi < b->n_group; gi++) {
            double mg;
            added += price_group(b, &b->g[gi], &mg);
            m = mg < m ? mg : m;
        }
        double theta = b->c_min / (b->c_min - m);
        double lb = theta * yb;
        res->rounds = it + 1;
        res->lp = glp_get_obj_val(b->lp);
        if (lb > res->legs) {
            res->legs = lb;
            res->balance = group_balance(b, theta);
        }
        res->proved = 1;
        if (added == 0) {
            res->converged = 1;
            break;
        }
    }
    res->columns = glp_get_num_cols(b->lp);
    return 0;
}

int rota_route_bound(const rota_instance *inst, double deadline,
                     const volatile sig_atomic_t *stop, int max_rounds,
                     rota_route_result *res)
{
    memset(res, 0, sizeof *res);
    if ((inst->coverage_soft && !(inst->w_travel > 0)) ||
        inst->max_visits_per_day < 1 || inst->n_visits == 0 ||
        inst->max_visits_per_day > ROUTE_MAX)   /* longer tours: no routes */
        return 1;
    rb *b = calloc(1, sizeof *b);
    int rc = -1;
    if (!b)
        return -1;
    b->inst = inst;
    b->V = inst->n_visits;
    b->M = inst->max_visits_per_day;
    b->y = calloc((size_t)b->V + 1, sizeof *b->y);
    b->yg = calloc((size_t)b->V + 1, sizeof *b->yg);
    b->mu = calloc((size_t)inst->n_staff + 1, sizeof *b->mu);
    b->leave_scale = inst->cycle_weeks / inst->w_travel;
    b->dp = malloc((size_t)b->M * ((size_t)b->V + 1) * sizeof *b->dp);
    b->ind = malloc(((size_t)b->V + 2) * sizeof *b->ind);
    b->val = malloc(((size_t)b->V + 2) * sizeof *b->val);
    b->tail = malloc(3 * ((size_t)b->V + 1) * sizeof *b->tail);
    b->tail_i = malloc(3 * ((size_t)b->V + 1) * sizeof *b->tail_i);
    if (!b->y || !b->yg || !b->mu || !b->dp || !b->ind || !b->val ||
        !b->tail || !b->tail_i || make_groups(b) < 0)
        goto out;
    group_facts(b);
    b->c_min = least_route(b);
    for (int v = 0; v < b->V && inst->coverage_soft; v++)
        b->c_min = fmin(b->c_min, leave_cost(b, v));
    rc = 1;
    if (!(b->c_min > 0) || !isfinite(b->c_min))
        goto out;
    glp_term_hook(swallow, NULL);
    if (setjmp(b->jb)) {
        memset(res, 0, sizeof *res);
        rc = -1;
        goto unhook;
    }
    glp_error_hook(on_error, b);
    rc = run(b, deadline, stop, max_rounds > 0 ? max_rounds : MAX_ROUNDS,
             res);
    if (res->proved)
        rc = 0;
unhook:
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    if (b->lp)
        glp_delete_prob(b->lp);
    b->lp = NULL;
out:
    for (int gi = 0; gi < b->n_group; gi++)
        free(b->g[gi].v);
    free(b->g);
    free(b->y);
    free(b->yg);
    free(b->mu);
    free(b->dp);
    free(b->ind);
    free(b->val);
    free(b->tail);
    free(b->tail_i);
    free(b);
    return rc;
}
