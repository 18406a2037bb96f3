/* cg_ip.c - the integer master: a roster from the columns generated so far.
 *
 *   min  sum_c cost[c] l[c] + B (Umax - Umin) + sum_v U[v] z[v]
 *   (rows as in cg.c)   l[c] in {0, 1},  z[v] in {0, 1} (soft coverage)
 *                                        z[v] = 0        (hard coverage)
 *
 * At an integer point each (k, d) has at most one column, every visit one
 * column or z = 1, the joint rows tie partners to one slot, Umax and Umin
 * settle on max u and min u: the objective is exactly rota_evaluate()'s of
 * the roster it encodes (checked after every solve: st.ip_obj_diff).
 *
 * GLPK's branch-and-cut solves it (presolve off, so from an optimal LP
 * basis) with the caller's incumbent handed in through glp_ios_heur_sol at
 * the first GLP_IHEUR call, tm_lim from the deadline and the stop flag
 * turned into glp_ios_terminate.  When the master holds every column
 * (st.exact) a finished search proves the optimum; an unfinished one still
 * proves min(best open node, incumbent).  So does a master that holds
 * every column a roster cheaper than within_ub could use (reduced-cost
 * enumeration, cg.c), with within_ub as a third term.  GLPK prunes a node
 * whose bound is within tol_obj (1 + |incumbent|) of the incumbent, so
 * every bound handed out is lowered by that much.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg_int.h"
#include "rota/eval.h"

#define IP_TOL_OBJ 1e-9
/* Without a proof in reach (no exact or within_ub master) the integer
 * master is a heuristic: it gets this long, then the thread takes the
 * search's newer rosters (a solve to the deadline kept jammerbugt-1's
 * thread from ever using them). */
#define IP_HEUR_SECONDS 5.0
/* A heuristic round that finds nothing better than the best roster seen
 * halves the next one's time, down to this; one that does restores
 * IP_HEUR_SECONDS.  (jammerbugt-matrix-1: six rounds of 5 s took 33 of
 * the thread's 60 s, which the tree needed.) */
#define IP_HEUR_MIN_SECONDS 0.5
#define CLQ_MAX_COLS 20000  /* clique cuts over at most this many columns */

typedef struct ip_ctx {
    rota_cg *cg;
    double deadline;
    const volatile sig_atomic_t *stop;
    double *x;                /* incumbent, 1-based over GLPK columns; NULL */
    int given;
    int has_tree_bound;
    double tree_bound;        /* least bound of the open nodes */
    int local;                /* a branch-and-price node's: not global */
    double next_tell;         /* rota_now() after which to tell it again */
} ip_ctx;

static double lowered(double b)
{
    return b - IP_TOL_OBJ * (1 + fabs(b)) - 1e-9 * fmax(1.0, fabs(b));
}

/* Whether the master's integer solves bound every roster: it holds every
 * column (st.exact), or every column a roster cheaper than within_ub
 * could use (cg_enumerate_within). */
static int can_prove(const rota_cg *cg)
{
    return cg->st.exact || isfinite(cg->within_ub);
}

/* What a search over the master that got to x (the least of its open
 * nodes' bounds and its incumbent, or its optimum) proves of every
 * roster: x itself when the master holds every column, else min(x,
 * within_ub) - a roster cheaper than within_ub is a point of the master,
 * so it costs at least x. */
static double proved_bound(const rota_cg *cg, double x)
{
    return cg->st.exact ? x : fmin(x, cg->within_ub);
}

/* During the search: the bound so far, to the bound sink at once. */
static void tell_tree_bound(ip_ctx *c, glp_tree *T)
{
    rota_cg *cg = c->cg;
    if (!cg || !can_prove(cg) || c->local)
        return;
    double b = c->tree_bound;
    glp_prob *P = glp_ios_get_prob(T);
    if (glp_mip_status(P) == GLP_FEAS || glp_mip_status(P) == GLP_OPT)
        b = fmin(b, glp_mip_obj_val(P));
    b = lowered(proved_bound(cg, b));
    if (cg->trace > 1)
        fprintf(stderr, "cg ip: tree bound %.6f, best %.6f\n", b,
                cg->best_bound);
    cg_post_bound(cg, b);
}

static void ip_callback(glp_tree *T, void *info)
{
    ip_ctx *c = info;
    if ((c->stop && *c->stop) ||
        (c->deadline > 0 && rota_now() >= c->deadline)) {
        glp_ios_terminate(T);
        return;
    }
    int reason = glp_ios_reason(T);
    if (reason == GLP_IHEUR && c->x && !c->given) {
        c->given = 1;
        glp_ios_heur_sol(T, c->x);
    }
    if (reason == GLP_ISELECT || rota_now() >= c->next_tell) {
        int p = glp_ios_best_node(T);
        if (p) {
            c->tree_bound = glp_ios_node_bound(T, p);
            c->has_tree_bound = 1;
            tell_tree_bound(c, T);
            c->next_tell = rota_now() + 0.5;
        }
    }
}

/* Makes the master integer (1) or continuous again (0). */
static void set_integer(rota_cg *cg, int on)
{
    glp_prob *lp = cg->lp;
    int hard = !cg->inst->coverage_soft;
    for (int v = 0; v < cg->V; v++) {
        int j = 1 + v;
        if (on && hard) {
            glp_set_col_bnds(lp, j, GLP_FX, 0.0, 0.0);
        } else if (on) {
            glp_set_col_kind(lp, j, GLP_BV);
        } else {
            glp_set_col_kind(lp, j, GLP_CV);
            glp_set_col_bnds(lp, j, GLP_DB, 0.0, 1.0);
        }
    }
    for (int c = 0; c < cg->store.n; c++) {
        int j = cg->store.col[c].j;
        if (j == 0)
            continue;
        if (on) {
            glp_set_col_kind(lp, j, GLP_BV);
        } else {
            glp_set_col_kind(lp, j, GLP_CV);
            glp_set_col_bnds(lp, j, GLP_LO, 0.0, 0.0);
        }
    }
}

/* The incumbent as a GLPK point: its columns at 1, z, Umax and Umin.
 * NULL when out of memory or when some day of it is not a column. */
static double *incumbent_point(rota_cg *cg, const rota_roster *r)
{
    const rota_instance *inst = cg->inst;
    int nkd = cg->K * ROTA_DAYS;
    int *cols = malloc((size_t)nkd * sizeof *cols);
    double *u = calloc((size_t)cg->K + 1, sizeof *u);
    double *x = NULL;
    if (!cols || !u)
        goto fail;
    for (int kd = 0; kd < nkd; kd++)     /* first every column in */
        if (cg_add_roster_day(cg, r, kd / ROTA_DAYS, kd % ROTA_DAYS,
                              &cols[kd]) < 0)
            goto fail;
    x = calloc((size_t)glp_get_num_cols(cg->lp) + 1, sizeof *x);
    if (!x)
        goto fail;
    for (int v = 0; v < cg->V; v++)
        if (r->a[v].staff < 0) {
            if (!inst->coverage_soft)
                goto fail;
            x[1 + v] = 1;
        }
    for (int kd = 0; kd < nkd; kd++) {
        if (cols[kd] < 0)
            continue;
        const cg_col *c = &cg->store.col[cols[kd]];
        int k = kd / ROTA_DAYS;
        x[c->j] = 1;
        u[k] += c->fig.total / (cg->W * inst->staff[k].capacity);
    }
    if (cg->col_umax) {
        double hi = -INFINITY, lo = INFINITY;
        for (int k = 0; k < cg->K; k++) {
            hi = fmax(hi, u[k]);
            lo = fmin(lo, u[k]);
        }
        x[cg->col_umax] = hi;
        x[cg->col_umin] = lo;
    }
    free(cols);
    free(u);
    return x;
fail:
    free(cols);
    free(x);
    free(u);
    return NULL;
}

/* The roster of the MIP solution (mip) or of an integral LP point. */
static void decode(rota_cg *cg, rota_roster *out, int mip)
{
    const rota_instance *inst = cg->inst;
    for (int v = 0; v < cg->V; v++)
        out->a[v] = (rota_assign){.staff = -1, .day = -1, .start = -1};
    for (int c = 0; c < cg->store.n; c++) {
        const cg_col *col = &cg->store.col[c];
        if (col->j == 0 || (mip ? glp_mip_col_val(cg->lp, col->j)
                                : glp_get_col_prim(cg->lp, col->j)) < 0.5)
            continue;
        const rota_item *it = cg->store.items + col->first;
        for (int i = 0; i < col->n; i++) {
            const rota_visit *v = &inst->visits[it[i].visit];
            out->a[it[i].visit] = (rota_assign){
                .staff = col->staff, .day = col->day, .start = it[i].start,
                .weeks = rota_phase_weeks(v->every_weeks, it[i].phase,
                                          cg->W)};
        }
    }
}

/* Evaluates the decoded roster; 1 when it has no violation.  Records how
 * far GLPK's objective is from the evaluator's. */
static int verify(rota_cg *cg, const rota_roster *r, double mip_obj,
                  double *obj)
{
    rota_eval e;
    if (rota_evaluate(cg->inst, r, &e) != ROTA_OK)
        return -1;
    int ok = e.n_viol == 0;
    *obj = e.objective;
    double diff = fabs(e.objective - mip_obj);
    if (diff > cg->st.ip_obj_diff)
        cg->st.ip_obj_diff = diff;
    rota_eval_free(&e);
    return ok;
}

int cg_take_roster(rota_cg *cg, rota_roster *out, int mip, double *obj)
{
    decode(cg, out, mip);
    int ok = verify(cg, out, mip ? glp_mip_obj_val(cg->lp)
                                 : glp_get_obj_val(cg->lp), obj);
    if (ok == 0)
        cg->st.bad_columns++;
    return ok;
}

/* Whether the incumbent is feasible (1), with its objective; -1 OOM. */
static int verify_incumbent(rota_cg *cg, const rota_roster *r, double *obj)
{
    rota_eval e;
    if (rota_evaluate(cg->inst, r, &e) != ROTA_OK)
        return -1;
    int ok = e.n_viol == 0;
    *obj = e.objective;
    rota_eval_free(&e);
    return ok;
}

/* Reduced-cost fixing: with the LP optimum z and reduced costs d >= 0 of
 * the (integer-kind) master, any integer point with l_c = 1 costs at least
 * z + d_c; a column with z + d_c > ub cannot be in a roster better than
 * ub, so it is fixed to 0 for this solve (set_integer(0) frees it). */
static void fix_by_reduced_cost(rota_cg *cg, double ub)
{
    double z = glp_get_obj_val(cg->lp);
    double tol = 1e-6 * fmax(1.0, fabs(ub));
    long fixed = 0;
    for (int c = 0; c < cg->store.n; c++) {
        int j = cg->store.col[c].j;
        if (j && z + glp_get_col_dual(cg->lp, j) > ub + tol &&
            glp_get_col_stat(cg->lp, j) != GLP_BS) {
            glp_set_col_bnds(cg->lp, j, GLP_FX, 0.0, 0.0);
            fixed++;
        }
    }
    cg->st.ip_fixed = fixed;
}

/* glp_intopt over the current columns; the caller guards and restores. */
static int run_intopt(rota_cg *cg, ip_ctx *ctx)
{
    glp_iocp p;
    glp_init_iocp(&p);
    p.msg_lev = GLP_MSG_OFF;
    p.presolve = GLP_OFF;
    p.tm_lim = cg_tm_lim(ctx->deadline);
    p.tol_obj = IP_TOL_OBJ;
    /* GLPK's clique separation does not look at the clock: over
     * jammerbugt-1's 130,000-170,000 enumerated columns it kept the thread
     * 13 s to over 40 s past its deadline (stack: glp_clq_cut) */
    p.clq_cuts = glp_get_num_cols(cg->lp) <= CLQ_MAX_COLS ? GLP_ON : GLP_OFF;
    p.gmi_cuts = GLP_ON;        /* without: 734.79 instead of 737.50 in 60 s
                                   on jammerbugt-1's 92,000 columns */
    p.cb_func = ip_callback;
    p.cb_info = ctx;
    return glp_intopt(cg->lp, &p);
}

/* Reads the MIP result into out and the proofs; the master is integer. */
static rota_status harvest(rota_cg *cg, int ret, ip_ctx *ctx, rota_roster *out,
                           int *found, int *proved, double *bound)
{
    int ms = glp_mip_status(cg->lp);
    if (ms != GLP_OPT && ms != GLP_FEAS)
        return ROTA_OK;
    double obj;
    int ok = cg_take_roster(cg, out, 1, &obj);
    if (ok < 0)
        return ROTA_ENOMEM;
    if (!ok)
        return ROTA_OK;
    *found = 1;
    if (obj < cg->best_upper)
        cg->best_upper = obj;
    if (!can_prove(cg))
        return ROTA_OK;
    if (ret == 0 && ms == GLP_OPT) {
        *proved = proved_bound(cg, obj) >= obj;
        *bound = lowered(proved_bound(cg, obj));
    } else if (ctx->has_tree_bound) {
        *bound = lowered(proved_bound(cg, fmin(ctx->tree_bound, obj)));
    }
    return ROTA_OK;
}

/* After a heuristic round: the next gets IP_HEUR_SECONDS when this one
 * found a roster below ub (harvest lowered best_upper), half of this
 * one's time otherwise. */
static void next_heur_seconds(rota_cg *cg, double ub)
{
    double tol = isfinite(ub) ? IP_TOL_OBJ * (1 + fabs(ub)) : 0;
    if (cg->best_upper < ub - tol)
        cg->ip_heur_seconds = IP_HEUR_SECONDS;
    else
        cg->ip_heur_seconds = fmax(IP_HEUR_MIN_SECONDS,
                                   cg->ip_heur_seconds / 2);
}

/* The body of rota_cg_integer, inside the guard. */
static rota_status integer(rota_cg *cg, ip_ctx *ctx,
                           const rota_roster *incumbent, rota_roster *out,
                           int *found, int *proved, double *bound)
{
    rota_status st = ROTA_OK;
    if (!cg->enum_tried && cg_enumerate(cg, ctx->deadline) < 0)
        return ROTA_ENOMEM;
    free(cg->ip_x);                      /* left by a GLPK error */
    cg->ip_x = NULL;
    double ub = cg->best_upper;
    int inc_ok = 0;
    if (incumbent && incumbent->n_visits == cg->V) {
        double obj;
        inc_ok = verify_incumbent(cg, incumbent, &obj);
        if (inc_ok < 0)
            return ROTA_ENOMEM;
        if (inc_ok) {
            ub = fmin(ub, obj);
            cg->best_upper = ub;
        }
    }
    if (!cg->st.exact &&
        cg_enumerate_within(cg, ub, ctx->deadline, ctx->stop) < 0)
        return ROTA_ENOMEM;
    if (inc_ok)     /* after every column is in: the point spans them all */
        ctx->x = cg->ip_x = incumbent_point(cg, incumbent);
    int heuristic = !can_prove(cg);
    if (heuristic && cg->ip_heur_seconds <= 0)
        cg->ip_heur_seconds = IP_HEUR_SECONDS;
    if (heuristic && ctx->deadline > 0)
        ctx->deadline = fmin(ctx->deadline, rota_now() + cg->ip_heur_seconds);
    set_integer(cg, 1);
    if (cg_solve_lp(cg, ctx->deadline) == 0) {
        if (isfinite(ub))
            fix_by_reduced_cost(cg, ub);
        int ret = run_intopt(cg, ctx);
        st = harvest(cg, ret, ctx, out, found, proved, bound);
        if (heuristic)
            next_heur_seconds(cg, ub);
    }
    set_integer(cg, 0);
    free(cg->ip_x);
    cg->ip_x = NULL;
    return st;
}

rota_status rota_cg_integer(rota_cg *cg, double deadline,
                            const volatile sig_atomic_t *stop,
                            const rota_roster *incumbent, rota_roster *out,
                            int *found, int *proved_optimal, double *bound)
{
    *found = 0;
    *proved_optimal = 0;
    *bound = -INFINITY;
    CG_GUARD(cg, ROTA_EINTERNAL);
    ip_ctx ctx = {.cg = cg, .deadline = deadline, .stop = stop};
    double t0 = rota_now();
    rota_status st = integer(cg, &ctx, incumbent, out, found, proved_optimal,
                             bound);
    cg->st.ip_seconds += rota_now() - t0;
    if (cg->trace)
        fprintf(stderr, "cg integer master: %.2fs, roster %d, proved %d, "
                "next heuristic round %.2fs\n", rota_now() - t0, *found,
                *proved_optimal, cg->ip_heur_seconds);
    cg_unhook();
    return st;
}

rota_status cg_node_integer(rota_cg *cg, double deadline,
                            const volatile sig_atomic_t *stop,
                            rota_roster *out, int *found, double *obj,
                            double *bound)
{
    ip_ctx ctx = {.cg = cg, .deadline = deadline, .stop = stop, .local = 1};
    rota_status st = ROTA_OK;
    *found = 0;
    *bound = -INFINITY;
    set_integer(cg, 1);
    if (cg_solve_lp_by(cg, deadline, GLP_DUALP) != 0)
        goto done;
    int ret = run_intopt(cg, &ctx);
    int ms = glp_mip_status(cg->lp);
    if (ret == 0 && ms == GLP_OPT)
        *bound = lowered(glp_mip_obj_val(cg->lp));
    else if (ret == 0 && ms == GLP_NOFEAS)
        *bound = INFINITY;
    else if (ctx.has_tree_bound)
        *bound = lowered(ms == GLP_FEAS ? fmin(ctx.tree_bound,
                                              glp_mip_obj_val(cg->lp))
                                        : ctx.tree_bound);
    if (ms == GLP_OPT || ms == GLP_FEAS) {
        int ok = cg_take_roster(cg, out, 1, obj);
        if (ok < 0)
            st = ROTA_ENOMEM;
        *found = ok > 0;
    }
done:
    set_integer(cg, 0);
    return st;
}
