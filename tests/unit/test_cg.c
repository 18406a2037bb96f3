/* test_cg.c - column generation against independently proved optima.
 *
 * argv[1] is the instances directory.  On tiny-1..3 (optima proved by a
 * compact model: 114.896897, 148.839840, 116.305305):
 *   - the exact path (every column enumerated) proves the optimum, and the
 *     integer master's objective is rota_evaluate()'s;
 *   - column generation without enumeration, with exact and with heuristic
 *     pricing, converges to the enumerated master's LP value (pricing is
 *     exact), never bounds above the optimum, and its integer master gives
 *     a feasible roster no better than the optimum;
 *   - an optimal roster handed in as incumbent comes back;
 *   - with column generation only, the reduced-cost enumeration below the
 *     optimal roster's objective lets the integer master prove the optimum;
 *   - branch-and-price on the weekday of each visit (cg_bp.c), from the
 *     converged root without any enumeration and the optimum as the
 *     roster to beat, never bounds above the optimum and, once its tree
 *     is closed, proves it;
 *   - a roster that is not feasible is refused;
 *   - a GLPK error is caught: no abort, nothing on stdout, the master
 *     reports ROTA_EINTERNAL, and a new master works afterwards.
 * On twins.yaml (next to this file: tiny-1 with two interchangeable social
 * workers) the staff classes are {sw1, sw1b}, {sw2} and split when a visit
 * names one twin; the enumerated master's LP and proved optimum, and the
 * converged column generation LP, are the same with shared pricing as
 * with every staff member priced on its own (ROTA_CG_NO_SYMMETRY), and
 * branch-and-price closes at the optimum only by branching on one twin.
 * Subset-row cuts (cg_sr.c): route-triangle.yaml's LP by hand (58.5, 69
 * with its one cut); column generation with cuts reaches the complete
 * master's LP with the same cuts; pricing under random cut penalties
 * never misses a column enumeration finds; dominance under a cut by hand;
 * the trees above also close with cuts at the root.
 */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cg.h"
#include "cg_int.h"
#include "pricing_int.h"
#include "rota/eval.h"
#include "rota/instance.h"
#include "rota/travel.h"
#include "rota/solve.h"
#include "staff_class.h"

#include "unit.h"

#define TOL 1e-6

static const char *const names[3] = {"tiny-1", "tiny-2", "tiny-3"};
static const double optimum[3] = {114.896897, 148.839840, 116.305305};

/* The objective of a roster, or NAN when it breaks a rule. */
static double objective(const rota_instance *inst, const rota_roster *r)
{
    rota_eval e;
    if (rota_evaluate(inst, r, &e) != ROTA_OK)
        return NAN;
    double obj = e.n_viol ? NAN : e.objective;
    rota_eval_free(&e);
    return obj;
}

/* Root then integer; returns the root bound, the roster in *r. */
static double solve(rota_cg *cg, rota_roster *r, const rota_roster *inc,
                    int *found, int *proved, double *ibound)
{
    double bound;
    CHECK(rota_cg_root(cg, rota_now() + 60, NULL, &bound) == ROTA_OK);
    CHECK(rota_cg_integer(cg, rota_now() + 60, NULL, inc, r, found, proved,
                          ibound) == ROTA_OK);
    return bound;
}

/* Exact path; returns the enumerated master's LP value, the optimal
 * roster in *best. */
static double exact_path(const rota_instance *inst, int i, rota_roster *best)
{
    rota_cg *cg = rota_cg_new(inst);
    int found = 0, proved = 0;
    double ib, root = -INFINITY;
    rota_cg_stats st;
    CHECK(cg != NULL);
    if (!cg)
        return root;
    root = solve(cg, best, NULL, &found, &proved, &ib);
    rota_cg_get_stats(cg, &st);
    double obj = objective(inst, best);
    CHECK(st.exact == 1);
    CHECK(found && proved);
    CHECK(fabs(obj - optimum[i]) < TOL);
    CHECK(ib <= obj && obj - ib < 1e-5);
    CHECK(root <= optimum[i]);
    CHECK(root >= st.lp_value - 1e-3);  /* the band bound is no weaker */
    CHECK(st.ip_obj_diff < TOL);
    CHECK(st.bad_columns == 0);
    fprintf(stderr, "%s exact: LP %.6f, bound %.6f, optimum %.6f (%ld "
            "columns)\n", names[i], st.lp_value, root, obj,
            st.cols_generated);
    rota_cg_free(cg);
    return st.lp_value;
}

/* Column generation only; its converged bound equals the enumerated LP. */
static void cg_path(const rota_instance *inst, int i, double lp, int heur)
{
    rota_cg *cg = rota_cg_new(inst);
    rota_roster *r = rota_roster_new(inst);
    rota_cg_options o;
    int found = 0, proved = 0;
    double ib;
    CHECK(cg && r);
    if (!cg || !r)
        goto done;
    rota_cg_options_init(&o);
    o.enumerate = 0;
    o.heuristic_pricing = heur;
    o.cols_per_kd = 3;
    o.subset_row = 0;                   /* the LP itself, no cuts */
    rota_cg_set_options(cg, &o);
    double root = solve(cg, r, NULL, &found, &proved, &ib);
    rota_cg_stats st;
    rota_cg_get_stats(cg, &st);
    CHECK(st.exact == 0 && !proved);
    CHECK(root <= optimum[i]);
    CHECK(fabs(st.lp_value - lp) < 1e-6);   /* pricing is exact */
    CHECK(root <= lp && lp - root < 1e-3);  /* lowered by 1e-6 relative */
    CHECK(st.bad_columns == 0);
    if (found) {
        double obj = objective(inst, r);
        CHECK(obj >= optimum[i] - TOL);
        CHECK(st.ip_obj_diff < TOL);
    }
    fprintf(stderr, "%s cg (%s pricing): root %.6f, %ld iterations, %ld "
            "columns, %ld labels\n", names[i], heur ? "heuristic" : "exact",
            root, st.iterations, st.cols_generated, st.labels);
done:
    rota_roster_free(r);
    rota_cg_free(cg);
}

/* The optimal roster as incumbent of a master without enumeration. */
static void incumbent_path(const rota_instance *inst, int i,
                           const rota_roster *best)
{
    rota_cg *cg = rota_cg_new(inst);
    rota_roster *r = rota_roster_new(inst);
    rota_cg_options o;
    int found = 0, proved = 0;
    double ib;
    CHECK(cg && r);
    if (!cg || !r)
        goto done;
    rota_cg_options_init(&o);
    o.enumerate = 0;
    rota_cg_set_options(cg, &o);
    CHECK(rota_cg_add_roster(cg, best) == ROTA_OK);
    solve(cg, r, best, &found, &proved, &ib);
    CHECK(found);
    CHECK(fabs(objective(inst, r) - optimum[i]) < TOL);
    /* a broken roster: a visit on a day it cannot be */
    rota_roster *bad = rota_roster_copy(best);
    if (bad) {
        bad->a[0].start += 1;
        CHECK(rota_cg_add_roster(cg, bad) == ROTA_EINPUT);
        rota_roster_free(bad);
    }
done:
    rota_roster_free(r);
    rota_cg_free(cg);
}

/* Reduced-cost enumeration: column generation only (no listing of every
 * column), then the integer master with the construction's roster (the
 * search stopped after one iteration) as incumbent.  Every column within
 * (its objective - LB) of the converged duals enters, and the integer
 * master over them must find and prove the optimum - another way than the
 * exact path's, so both must agree with the compact model's. */
static void within_path(const rota_instance *inst, int i)
{
    rota_cg *cg = rota_cg_new(inst);
    rota_roster *r = rota_roster_new(inst);
    rota_solve_params sp;
    rota_solve_params_init(&sp);
    sp.max_iterations = 1;
    sp.use_cg = 0;
    rota_solver *s = rota_solver_new(inst, &sp);
    rota_cg_options o;
    int found = 0, proved = 0;
    double ib = -INFINITY;
    CHECK(cg && r && s);
    if (!cg || !r || !s || rota_solver_run(s) != ROTA_OK ||
        !rota_solver_roster(s)) {
        failures++;
        goto done;
    }
    const rota_roster *start = rota_solver_roster(s);
    double start_obj = objective(inst, start);
    CHECK(start_obj >= optimum[i] - TOL);
    rota_cg_options_init(&o);
    o.enumerate = 0;
    o.within_gap = 1.0;             /* whatever the gap */
    rota_cg_set_options(cg, &o);
    double root = solve(cg, r, start, &found, &proved, &ib);
    rota_cg_stats st;
    rota_cg_get_stats(cg, &st);
    CHECK(st.exact == 0 && isfinite(cg->within_ub));
    CHECK(fabs(cg->within_ub - start_obj) < 1e-5);
    CHECK(found && proved);
    double obj = objective(inst, r);
    CHECK(fabs(obj - optimum[i]) < TOL);
    CHECK(ib <= obj && obj - ib < 1e-5);
    CHECK(root <= optimum[i]);
    CHECK(st.bad_columns == 0);
    fprintf(stderr, "%s within: root %.6f, from %.6f proved %.6f with %ld "
            "columns\n", names[i], root, start_obj, ib, st.cols_generated);
done:
    rota_solver_free(s);
    rota_roster_free(r);
    rota_cg_free(cg);
}

/* The heuristic integer master's time (cg_ip.c): without a proof in
 * reach (no enumeration, no reduced-cost enumeration) a round gets 5 s
 * when it finds a roster below the best seen, else half of the last
 * round's, down to 0.5 s. */
static void heur_budget_path(const rota_instance *inst, int i)
{
    rota_cg *cg = rota_cg_new(inst);
    rota_roster *r = rota_roster_new(inst);
    rota_cg_options o;
    int found = 0, proved = 0;
    double ib, root;
    const double next[5] = {2.5, 1.25, 0.625, 0.5, 0.5};
    CHECK(cg && r);
    if (!cg || !r)
        goto done;
    rota_cg_options_init(&o);
    o.enumerate = 0;
    o.within_gap = 0;
    rota_cg_set_options(cg, &o);
    CHECK(rota_cg_root(cg, rota_now() + 60, NULL, &root) == ROTA_OK);
    CHECK(root < optimum[i] - 1);       /* ub - LB > 0: no within_ub */
    CHECK(rota_cg_integer(cg, rota_now() + 60, NULL, NULL, r, &found,
                          &proved, &ib) == ROTA_OK);
    CHECK(found && !proved && !isfinite(cg->within_ub));
    CHECK(cg->ip_heur_seconds == 5.0);  /* below +inf */
    for (int t = 0; t < 5; t++) {
        CHECK(rota_cg_integer(cg, rota_now() + 60, NULL, r, r, &found,
                              &proved, &ib) == ROTA_OK);
        CHECK(cg->ip_heur_seconds == next[t]);
    }
    cg->best_upper = INFINITY;          /* the next roster is below it */
    CHECK(rota_cg_integer(cg, rota_now() + 60, NULL, NULL, r, &found,
                          &proved, &ib) == ROTA_OK);
    CHECK(found && cg->ip_heur_seconds == 5.0);
    fprintf(stderr, "%s heuristic master: 5 s, halved to 0.5 s, 5 s again\n",
            names[i]);
done:
    rota_roster_free(r);
    rota_cg_free(cg);
}

/* Every bound the tree posts, the highest in *top. */
static void keep_top(void *user, double b)
{
    double *top = user;
    if (b > *top)
        *top = b;
}

/* Branch-and-price below a roster of objective ub >= opt.  The root
 * alone stays well below the optimum here (LP 103, 139, 110, 188.7), so
 * the proof comes from the tree: with ub = opt every node whose bound
 * reaches it is pruned; with ub above, the optimum's own node is an
 * integral LP point, a roster the tree hands out (feasible, below ub, at
 * least the optimum), and its bound must count.  complete: the master
 * holds every column (enumeration), so nodes are LPs without pricing.
 * cuts: subset-row cuts at the root first (cg_sr.c); they raise the root
 * (tiny-3 110 -> 111, twins 103 -> 104, bp-joint 188.7 -> 193.9), and
 * the tree must still close with their rows in every node's LP and
 * their duals in every node's pricing. */
static void branch_path(const rota_instance *inst, const char *name,
                        double opt, double lp, double ub, int complete,
                        int cuts)
{
    rota_cg *cg = rota_cg_new(inst);
    rota_roster *out = rota_roster_new(inst);
    rota_cg_options o;
    double root = -INFINITY, top = -INFINITY, best = INFINITY;
    int more = 1, calls = 0, found = 0;
    CHECK(cg != NULL && out != NULL);
    if (!cg || !out)
        goto done;
    rota_cg_options_init(&o);
    o.enumerate = complete;
    o.within_gap = 0;                   /* no reduced-cost enumeration */
    o.subset_row = cuts;
    rota_cg_set_options(cg, &o);
    rota_cg_set_bound_sink(cg, keep_top, &top);
    CHECK(rota_cg_root(cg, rota_now() + 60, NULL, &root) == ROTA_OK);
    /* a complete master's root also has the band bound (cg_band.c) */
    CHECK((complete || cuts || root <= lp + 1e-6) && opt - root > 0.5);
    CHECK(!cuts || complete || root >= lp - 1e-3);
    double t0 = rota_now();
    while (more && rota_now() < t0 + 60 && calls++ < 1000) {
        CHECK(rota_cg_branch(cg, rota_now() + 1, NULL, ub, out, &found,
                             &more) == ROTA_OK);
        if (found) {
            double obj = objective(inst, out);
            CHECK(obj >= opt - TOL && obj < ub - 1e-9);
            best = fmin(best, obj);
        }
    }
    rota_cg_stats st;
    rota_cg_get_stats(cg, &st);
    CHECK(st.exact == complete);
    CHECK(!more);                       /* the tree closed */
    CHECK(top <= opt + TOL);
    CHECK(top >= opt - 2e-6 * opt);     /* bounds are lowered 1e-6 rel. */
    CHECK(st.bad_columns == 0);
    if (ub > opt + 1)                   /* the tree met the optimum */
        CHECK(fabs(best - opt) < TOL);
    fprintf(stderr, "%s branch below %.6f%s%s: root %.6f, tree %.6f, optimum "
            "%.6f, roster %.6f, %ld nodes, %ld cuts, %.2fs\n", name, ub,
            complete ? " (complete)" : "", cuts ? " (cuts)" : "", root, top,
            opt, best, st.bp_nodes, st.sr_cuts, rota_now() - t0);
done:
    rota_roster_free(out);
    rota_cg_free(cg);
}

/* GLPK's branch-and-cut over a complete master as branch-and-price
 * leaves a flat node (cg_bp.c, solve_flat): at the root of tiny-i, with
 * nothing barred, the node is the whole problem, so it must give the
 * optimum as its bound and a roster of that objective. */
static void node_integer_path(const rota_instance *inst, int i)
{
    rota_cg *cg = rota_cg_new(inst);
    rota_roster *r = rota_roster_new(inst);
    double root = -INFINITY, obj = NAN, b = -INFINITY;
    int found = 0;
    rota_status st = ROTA_EINTERNAL;
    CHECK(cg != NULL && r != NULL);
    if (!cg || !r)
        goto done;
    CHECK(rota_cg_root(cg, rota_now() + 60, NULL, &root) == ROTA_OK);
    rota_cg_stats cs;
    rota_cg_get_stats(cg, &cs);
    CHECK(cs.exact);
    if (setjmp(cg->jb) == 0) {
        cg_hooks(cg);
        st = cg_node_integer(cg, rota_now() + 30, NULL, r, &found, &obj, &b);
    }
    cg_unhook();
    CHECK(st == ROTA_OK && found);
    CHECK(fabs(obj - optimum[i]) < TOL);
    CHECK(fabs(objective(inst, r) - optimum[i]) < TOL);
    CHECK(b <= optimum[i] + TOL && b >= optimum[i] - 2e-6 * optimum[i]);
done:
    rota_roster_free(r);
    rota_cg_free(cg);
}

/* A GLPK error: caught, silent on stdout, the master broken, GLPK usable
 * again by a new master. */
static void glpk_error_path(const rota_instance *inst, int i)
{
    fflush(stdout);
    FILE *tmp = tmpfile();
    int saved = dup(STDOUT_FILENO);
    CHECK(tmp && saved >= 0);
    if (!tmp || saved < 0)
        return;
    dup2(fileno(tmp), STDOUT_FILENO);
    rota_cg *cg = rota_cg_new(inst);
    CHECK(cg != NULL);
    if (cg) {
        double b;
        CHECK(cg_provoke_glpk_error(cg) == ROTA_EINTERNAL);
        CHECK(rota_cg_root(cg, rota_now() + 10, NULL, &b) == ROTA_EINTERNAL);
        rota_cg_free(cg);
    }
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    CHECK(ftell(tmp) == 0);
    fclose(tmp);
    rota_roster *r = rota_roster_new(inst);
    rota_roster *unused = rota_roster_new(inst);
    if (r && unused) {
        rota_cg *again = rota_cg_new(inst);
        int found = 0, proved = 0;
        double ib;
        CHECK(again != NULL);
        if (again) {
            solve(again, r, NULL, &found, &proved, &ib);
            CHECK(found && proved);
            CHECK(fabs(objective(inst, r) - optimum[i]) < TOL);
            rota_cg_free(again);
        }
    }
    rota_roster_free(r);
    rota_roster_free(unused);
}

/* Exact path and column generation on twins.yaml, one way; returns the
 * enumerated LP value, the proved optimum in *opt and the converged column
 * generation LP in *cg_lp. */
static double twins_solve(const rota_instance *inst, double *opt,
                          double *cg_lp)
{
    rota_cg *cg = rota_cg_new(inst), *cg2 = rota_cg_new(inst);
    rota_roster *r = rota_roster_new(inst);
    int found = 0, proved = 0;
    double ib, lp = NAN;
    rota_cg_stats st;
    rota_cg_options o;
    *opt = *cg_lp = NAN;
    CHECK(cg && cg2 && r);
    if (!cg || !cg2 || !r)
        goto done;
    double root = solve(cg, r, NULL, &found, &proved, &ib);
    rota_cg_get_stats(cg, &st);
    CHECK(st.exact == 1 && found && proved && st.bad_columns == 0);
    *opt = objective(inst, r);
    CHECK(root <= *opt + TOL);
    lp = st.lp_value;
    rota_cg_options_init(&o);
    o.enumerate = 0;
    o.cols_per_kd = 3;
    o.subset_row = 0;
    rota_cg_set_options(cg2, &o);
    CHECK(rota_cg_root(cg2, rota_now() + 60, NULL, &root) == ROTA_OK);
    rota_cg_get_stats(cg2, &st);
    CHECK(st.bad_columns == 0 && root <= *opt + TOL);
    *cg_lp = st.lp_value;
done:
    rota_roster_free(r);
    rota_cg_free(cg);
    rota_cg_free(cg2);
    return lp;
}

/* tests/unit/NAME (dir is the instances directory beside tests/); NULL
 * (a failure counted) when it does not load.  The caller frees it. */
static rota_instance *load_beside(const char *dir, const char *name)
{
    char path[4096];
    rota_diags d = {0};
    rota_instance *inst = NULL;
    snprintf(path, sizeof path, "%s/../tests/unit/%s", dir, name);
    if (rota_instance_load(path, &inst, &d) != ROTA_OK) {
        fprintf(stderr, "cannot load %s\n", path);
        failures++;
        inst = NULL;
    }
    rota_diags_free(&d);
    return inst;
}

/* bp-joint.yaml (next to this file): the tree must move a joint pair's
 * days together; the optimum comes from the enumerated master. */
static void joint_branch_path(const char *dir)
{
    rota_instance *inst = load_beside(dir, "bp-joint.yaml");
    if (!inst)
        return;
    rota_cg *cg = rota_cg_new(inst);
    rota_roster *r = rota_roster_new(inst);
    int found = 0, proved = 0;
    double ib;
    rota_cg_stats st;
    CHECK(cg && r);
    if (cg && r) {
        solve(cg, r, NULL, &found, &proved, &ib);
        rota_cg_get_stats(cg, &st);
        CHECK(st.exact == 1 && found && proved);
        double opt = objective(inst, r);
        CHECK(fabs(opt - 200.6) < TOL);  /* as rota solve proves it */
        branch_path(inst, "bp-joint", opt, st.lp_value, opt, 0, 0);
        branch_path(inst, "bp-joint", opt, st.lp_value, opt + 5, 0, 0);
        branch_path(inst, "bp-joint", opt, st.lp_value, opt + 5, 0, 1);
    }
    rota_roster_free(r);
    rota_cg_free(cg);
    rota_instance_free(inst);
}

static void twins_path(const char *dir)
{
    int rep[3] = {-1, -1, -1};
    rota_instance *inst = load_beside(dir, "twins.yaml");
    if (!inst)
        return;
    CHECK(inst->n_staff == 3);
    CHECK(rota_staff_classes(inst, rep) == 2);
    CHECK(rep[0] == 0 && rep[1] == 0 && rep[2] == 2);
    inst->visits[3].current.staff = 1;          /* names sw1b: apart */
    CHECK(rota_staff_classes(inst, rep) == 3 && rep[1] == 1);
    inst->visits[3].current.staff = -1;
    double opt_sym, cg_sym, opt_one, cg_one;
    double lp_sym = twins_solve(inst, &opt_sym, &cg_sym);
    /* the tree must tell the twins apart (x_vk) to close */
    branch_path(inst, "twins", opt_sym, lp_sym, opt_sym, 0, 0);
    branch_path(inst, "twins", opt_sym, lp_sym, opt_sym + 5, 0, 0);
    branch_path(inst, "twins", opt_sym, lp_sym, opt_sym + 5, 0, 1);
    setenv("ROTA_CG_NO_SYMMETRY", "1", 1);
    double lp_one = twins_solve(inst, &opt_one, &cg_one);
    unsetenv("ROTA_CG_NO_SYMMETRY");
    CHECK(fabs(lp_sym - lp_one) < 1e-6);
    CHECK(fabs(opt_sym - opt_one) < TOL);
    CHECK(fabs(cg_sym - lp_one) < 1e-6 && fabs(cg_one - lp_one) < 1e-6);
    fprintf(stderr, "twins: LP %.6f / %.6f, optimum %.6f / %.6f, cg LP %.6f "
            "/ %.6f (shared / own pricing)\n", lp_sym, lp_one, opt_sym,
            opt_one, cg_sym, cg_one);
    rota_instance_free(inst);
}

/* Column generation with cuts against the complete master with the same
 * cuts: pricing with the cuts' duals (parity bits, dominance that pays
 * for them) must reach the LP over every column, not stop above it. */
static void cut_lp_path(const rota_instance *inst, int i)
{
    rota_cg *cg = rota_cg_new(inst), *full = rota_cg_new(inst);
    rota_cg_options o;
    rota_cg_stats st, fs;
    double root = -INFINITY, froot = -INFINITY;
    CHECK(cg && full);
    if (!cg || !full)
        goto done;
    rota_cg_options_init(&o);
    o.enumerate = 0;
    o.cols_per_kd = 3;
    rota_cg_set_options(cg, &o);
    CHECK(rota_cg_root(cg, rota_now() + 60, NULL, &root) == ROTA_OK);
    rota_cg_get_stats(cg, &st);
    CHECK(st.bad_columns == 0);
    rota_cg_options_init(&o);
    o.subset_row = 0;
    rota_cg_set_options(full, &o);
    CHECK(rota_cg_root(full, rota_now() + 60, NULL, &froot) == ROTA_OK);
    rota_cg_get_stats(full, &fs);
    CHECK(fs.exact);
    volatile int ok = 0;
    if (setjmp(full->jb) == 0) {
        cg_hooks(full);
        ok = 1;
        for (int c = 0; c < cg->n_sr; c++)
            ok &= cg_add_sr(full, cg->sr_vis[c]) == 1;
        ok &= cg_solve_lp(full, rota_now() + 60) == 0;
    }
    cg_unhook();
    CHECK(ok);
    double lp = glp_get_obj_val(full->lp);
    CHECK(fabs(lp - st.lp_value) < 1e-6);
    CHECK(root <= lp + 1e-9 && lp - root < 1e-3);
    fprintf(stderr, "%s cuts: %ld, column generation LP %.6f, complete "
            "master with them %.6f\n", names[i], st.sr_cuts, st.lp_value, lp);
done:
    rota_cg_free(cg);
    rota_cg_free(full);
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Sink of the enumeration: the least reduced cost it lists. */
static int least_rc(void *user, int staff, int day, const rota_item *it,
                    int n, double rc)
{
    (void)staff;
    (void)day;
    (void)it;
    (void)n;
    double *m = user;
    if (rc < *m)
        *m = rc;
    return 0;
}

/* The cuts of cut_pricing_path: every triple of visits (small
 * instances), or each visit with its two nearest (by leg) others. */
static int cut_triples(const rota_instance *inst, int near, int *vis)
{
    int V = inst->n_visits, n = 0;
    for (int a = 0; a < V && n < ROTA_SR_MAX; a++) {
        if (!near) {
            for (int b = a + 1; b < V; b++)
                for (int c = b + 1; c < V && n < ROTA_SR_MAX; c++, n++) {
                    int *t = vis + 3 * n;
                    t[0] = a;
                    t[1] = b;
                    t[2] = c;
                }
            continue;
        }
        int pa = rota_visit_place(inst, a), t[3] = {a, -1, -1};
        int lb = INT_MAX, lc = INT_MAX;         /* legs to t[1], t[2] */
        for (int x = 0; x < V; x++) {
            int lx = rota_leg_minutes(inst, pa, rota_visit_place(inst, x));
            if (x == a || lx >= lc)
                continue;
            if (lx < lb) {
                t[2] = t[1], lc = lb;
                t[1] = x, lb = lx;
            } else {
                t[2] = x, lc = lx;
            }
        }
        qsort(t, 3, sizeof *t, int_cmp);
        memcpy(vis + 3 * n++, t, sizeof t);
    }
    return n;
}

/* A uniform double in [0, scale) from the generator state *seed. */
static double uniform(unsigned long *seed, double scale)
{
    *seed = *seed * 6364136223846793005ul + 1442695040888963407ul;
    return (double)(*seed >> 40) / (1ul << 24) * scale;
}

/* Pricing under subset-row cuts against enumeration (no dominance):
 * random cover duals, cuts with random penalties (cut_triples), and for
 * every (k, d) no column may lie below the least reduced cost pricing
 * proves, which must be a column's.  A dominance that forgot what a
 * label's odd cuts may still cost it drops columns and prices above. */
static void cut_pricing_path(const rota_instance *inst, const char *name,
                             int near, int rounds, double max_dual)
{
    int V = inst->n_visits, K = inst->n_staff, W = inst->cycle_weeks;
    int n_sr, trials = 0, below = 0, inexact = 0;
    int *vis = malloc((size_t)ROTA_SR_MAX * 3 * sizeof *vis);
    double *pen = malloc((size_t)ROTA_SR_MAX * sizeof *pen);
    double *cover = calloc((size_t)V, sizeof *cover);
    double *zero = calloc((size_t)K * (ROTA_DAYS + W + 1) + 1, sizeof *zero);
    rota_pricer *p = rota_pricer_new(inst);
    unsigned long seed = 12345;
    CHECK(vis && pen && cover && zero && p);
    if (!vis || !pen || !cover || !zero || !p)
        goto done;
    n_sr = cut_triples(inst, near, vis);
    for (int round = 0; round < rounds; round++) {
        for (int v = 0; v < V; v++)
            cover[v] = uniform(&seed, max_dual);
        for (int c = 0; c < n_sr; c++)      /* a quarter of them 0 */
            pen[c] = uniform(&seed, 1) < 0.25 ? 0 : uniform(&seed, max_dual);
        rota_duals y = {.cover = cover, .cap = zero, .sites = zero,
                        .bal = zero, .pattern = zero, .n_sr = n_sr,
                        .sr_vis = vis, .sr_pen = pen};
        for (int k = 0; k < K; k++)
            for (int d = 0; d < ROTA_DAYS; d++) {
                if (!rota_pricer_candidates(p, k, d))
                    continue;
                rota_price_opts o = {.max_cols = 1, .max_labels = 20000000};
                rota_price_result res;
                double found = 0, under = INFINITY;
                long labels;
                CHECK(rota_price(p, k, d, &y, &o, least_rc, &found, &res) == 0);
                inexact += !res.exact;
                CHECK(res.min_rc == 0 || fabs(found - res.min_rc) < 1e-9);
                CHECK(rota_enumerate_below(p, k, d, &y, res.min_rc - 1e-6,
                                           &o, least_rc, &under,
                                           &labels) == 0);
                trials++;
                below += under < INFINITY;
            }
    }
    CHECK(trials > 0 && below == 0 && inexact == 0);
    fprintf(stderr, "%s pricing with %d cuts: %d of %d (k, d) have a column "
            "below it\n", name, n_sr, below, trials);
done:
    rota_pricer_free(p);
    free(vis);
    free(pen);
    free(cover);
    free(zero);
}

/* Files label x: one visit list (sorted), cost, parity of cut 0. */
static int file_label(rota_pricer *p, int x, const uint16_t *vis, int n,
                      double cost, uint64_t sr)
{
    label *L = &p->lab[x];
    *L = (label){.cost = cost, .cand = 7, .parent = -1, .n = (uint8_t)n};
    for (int w = 0; w < ROTA_MAX_WEEKS; w++)
        L->ln[w] = (lane){.seg = 0, .place = 3, .ready = 600, .last = 7};
    L->sr[0] = sr;
    for (int i = 0; i < n; i++) {
        p->vis[(size_t)x * p->nmax + i] = vis[i];
        L->bloom |= 1ull << (vis[i] & 63);
    }
    p->n_lab = x + 1;
    return pr_dom_insert(p, x, 0);
}

/* Dominance under a cut (pricing_dom.c), by hand: A = {0} odd in cut 0
 * (penalty 10), B = {0, 1} even, same place and resources.  A's
 * completions through the cut's third visit pay 10 more than B's, so A
 * dominates B only when cost(A) + 10 <= cost(B); without the cut
 * (penalty 0) whenever cost(A) <= cost(B). */
static void cut_dominance_path(const rota_instance *inst)
{
    rota_pricer *p = rota_pricer_new(inst);
    CHECK(p != NULL && p->nmax >= 2);
    if (!p || p->nmax < 2)
        goto done;
    p->lab = calloc(4, sizeof *p->lab);
    p->vis = calloc(4 * (size_t)p->nmax, sizeof *p->vis);
    p->cap_lab = 4;
    CHECK(p->lab && p->vis);
    if (!p->lab || !p->vis)
        goto done;
    const uint16_t a[1] = {0}, b[2] = {0, 1};
    const double cost_b[3] = {5, 15, 5};
    const double pen[3] = {10, 10, 0};
    const int filed[3] = {1, 0, 0};     /* B filed: 5 < 0 + 10 only */
    for (int t = 0; t < 3; t++) {
        pr_dom_reset(p);
        p->sr_words = 1;
        p->sr_pen[0] = pen[t];
        CHECK(file_label(p, 0, a, 1, 0, 1) == 1);
        CHECK(file_label(p, 1, b, 2, cost_b[t], 0) == filed[t]);
    }
done:
    rota_pricer_free(p);
}

/* route-triangle.yaml (next to this file), by hand: one person, three
 * visits 10 minutes from the office and 4 from each other, at most 2 a
 * day.  A pair's tour travels 15 + 9 + 15 = 39 minutes, a single visit's
 * 30.  The day-pattern LP takes the three pairs half each: 58.5.  The
 * subset-row cut on {a, b, c} allows one pair at most, P <= 1; the pairs
 * cover 2P visits, singles the rest: 39 P + 30 (3 - 2P) = 90 - 21 P, so
 * with the cut the LP is 69, the optimum (a pair and a single).  One cut
 * closes the gap; column generation must then price with its dual. */
static void triangle_cut_path(const char *dir)
{
    rota_instance *inst = load_beside(dir, "route-triangle.yaml");
    if (!inst)
        return;
    for (int cuts = 0; cuts <= 1; cuts++) {
        rota_cg *cg = rota_cg_new(inst);
        rota_cg_options o;
        double root = -INFINITY;
        rota_cg_stats st;
        CHECK(cg != NULL);
        if (!cg)
            continue;
        rota_cg_options_init(&o);
        o.enumerate = 0;
        o.subset_row = cuts;
        rota_cg_set_options(cg, &o);
        CHECK(rota_cg_root(cg, rota_now() + 60, NULL, &root) == ROTA_OK);
        rota_cg_get_stats(cg, &st);
        double want = cuts ? 69 : 58.5;
        CHECK(fabs(st.lp_value - want) < 1e-6);
        CHECK(root <= want && want - root < 1e-3);
        CHECK(st.sr_cuts == cuts);
        CHECK(st.bad_columns == 0);
        fprintf(stderr, "triangle%s: LP %.6f, root %.6f, %ld cuts\n",
                cuts ? " with cuts" : "", st.lp_value, root, st.sr_cuts);
        rota_cg_free(cg);
    }
    rota_instance_free(inst);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_cg INSTANCE_DIR\n");
        return 2;
    }
    for (int i = 0; i < 3; i++) {
        rota_instance *inst = unit_load(argv[1], names[i]);
        CHECK(inst != NULL);
        if (!inst)
            continue;
        rota_roster *best = rota_roster_new(inst);
        double lp = exact_path(inst, i, best);
        cg_path(inst, i, lp, 0);
        cg_path(inst, i, lp, 1);
        incumbent_path(inst, i, best);
        within_path(inst, i);
        branch_path(inst, names[i], optimum[i], lp, optimum[i], 0, 0);
        branch_path(inst, names[i], optimum[i], lp, optimum[i] + 5, 0, 0);
        branch_path(inst, names[i], optimum[i], lp, optimum[i] + 5, 1, 0);
        branch_path(inst, names[i], optimum[i], lp, optimum[i] + 5, 0, 1);
        branch_path(inst, names[i], optimum[i], lp, optimum[i], 0, 1);
        node_integer_path(inst, i);
        heur_budget_path(inst, i);
        cut_lp_path(inst, i);
        cut_pricing_path(inst, names[i], 0, 20, 80);
        if (i == 0)
            glpk_error_path(inst, i);
        rota_roster_free(best);
        rota_instance_free(inst);
    }
    twins_path(argv[1]);
    joint_branch_path(argv[1]);
    triangle_cut_path(argv[1]);
    rota_instance *jb = unit_load(argv[1], "jammerbugt-1");
    CHECK(jb != NULL);
    if (jb) {
        cut_pricing_path(jb, "jammerbugt-1", 1, 1, 20);
        cut_dominance_path(jb);
    }
    rota_instance_free(jb);
    if (failures)
        fprintf(stderr, "%d check(s) failed\n", failures);
    return failures ? 1 : 0;
}
