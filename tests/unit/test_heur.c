/* test_heur.c - the search's day swap (src/heur_swap.c) and its taking
 * over of a roster found elsewhere (src/heur_adopt.c).
 *
 * argv[1] is the directory of swap.yaml and swap-locked.yaml: two social
 * workers a and b with the same office and hours.  The test builds the
 * state by hand: s1 (90 min) on Monday 09:00 and s2 (60 min) on Tuesday
 * 09:00 with a, s3 (60 min) on Monday 09:00 with b.  Then a works 150
 * visit minutes a week and b 60.
 *   - swap.yaml: h_swap_days makes a trade; the balance term falls, travel
 *     stays (same office and hours: the tours move whole), and the state
 *     agrees with rota_day_walk (h_check_state) and with rota_evaluate:
 *     rules all kept, the objective rota_evaluate computes on the roster is
 *     h_objective's, and a and b work 60 + 60 and 90 visit minutes: the
 *     trade is Monday's, as s1 was b's (current: the continuity cost goes
 *     too; Tuesday's would even the load as well but keep that cost).
 *   - swap-locked.yaml: s1 and s2 are allowed to a only, so every trade
 *     would break rule 2.1: none is made and the state is unchanged.
 *   - rota_heur_adopt: a fresh search takes the unbalanced state's roster
 *     (its objective then rota_evaluate's, its figures h_check_state's),
 *     refuses it a second time (not better), and refuses a roster that
 *     gives s1 to b on a free Wednesday on swap-locked.yaml (rule 2.1
 *     only), keeping its state; on swap.yaml it makes the trade at once.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "heur_int.h"
#include "rota/eval.h"
#include "rota/roster.h"

#include "unit.h"

#define TOL 1e-6

/* Puts site's one visit with staff k on day d at t minutes. */
static void place(rota_heur *h, const char *site, const char *staff, int d,
                  int t)
{
    const rota_instance *inst = h->inst;
    int s = rota_find_site(inst, site), k = rota_find_staff(inst, staff);
    int v = inst->sites[s].first_visit;
    h_cand c = {k, d, t, 1, -1, -1, 0};
    h_insert(h, h->unit_of[v], &c);
}

/* rota_evaluate's objective of state s (NAN when it breaks a rule), the
 * visit minutes of staff a and b in ma and mb. */
static double evaluated(rota_heur *h, const h_state *s, double *ma,
                        double *mb)
{
    const rota_instance *inst = h->inst;
    rota_roster *r = rota_roster_new(inst);
    rota_eval e;
    double obj = NAN;
    if (!r)
        return NAN;
    h_to_roster(h, s, r);
    if (rota_evaluate(inst, r, &e) == ROTA_OK) {
        obj = e.n_viol ? NAN : e.objective;
        *ma = e.staff[rota_find_staff(inst, "a")].visit_minutes;
        *mb = e.staff[rota_find_staff(inst, "b")].visit_minutes;
        rota_eval_free(&e);
    }
    rota_roster_free(r);
    return obj;
}

/* Builds the unbalanced state of the top of the file in h->cur. */
static void unbalanced(rota_heur *h)
{
    place(h, "s1", "a", 0, 9 * 60);
    place(h, "s2", "a", 1, 9 * 60);
    place(h, "s3", "b", 0, 9 * 60);
    h->f_cur = h_objective(h, &h->cur);
}

/* dir/name.yaml in *inst and a search over it in the unbalanced state;
 * NULL (a failed check) when either cannot be made. */
static rota_heur *unbalanced_on(const char *dir, const char *name,
                                rota_instance **inst)
{
    *inst = unit_load(dir, name);
    rota_heur *h = *inst ? rota_heur_new(*inst, 1, 0) : NULL;
    CHECK(h != NULL);
    if (h)
        unbalanced(h);
    return h;
}

static void test_swap(const char *dir)
{
    rota_instance *inst;
    rota_heur *h = unbalanced_on(dir, "swap", &inst);
    if (!h)
        goto out;
    double ma, mb;
    double f0 = h_objective(h, &h->cur), bal0 = h_balance(h, &h->cur);
    long travel0 = h->cur.travel;
    CHECKF(fabs(evaluated(h, &h->cur, &ma, &mb) - f0) < TOL,
           "before: evaluate and the search disagree");
    CHECK(ma == 150 && mb == 60);
    int swaps = h_swap_days(h);
    double f1 = h_objective(h, &h->cur), bal1 = h_balance(h, &h->cur);
    CHECKF(swaps == 1, "%d trades", swaps);
    CHECKF(bal1 < bal0 - TOL && f1 < f0 - TOL, "balance %.6f -> %.6f",
           bal0, bal1);
    CHECK(h->cur.travel == travel0);
    CHECK(h_check_state(h, &h->cur) == 0);
    double obj = evaluated(h, &h->cur, &ma, &mb);
    CHECKF(fabs(obj - f1) < TOL, "evaluate %.9f, search %.9f", obj, f1);
    CHECKF(ma == 120 && mb == 90, "visit minutes %g and %g", ma, mb);
    CHECK(fabs(h->cur.soft) < TOL && fabs(f0 - f1 - (bal0 - bal1) -
                                          inst->w_continuity) < TOL);
    CHECK(h_swap_days(h) == 0);
out:
    rota_heur_free(h);
    rota_instance_free(inst);
}

static void test_locked(const char *dir)
{
    rota_instance *inst;
    rota_heur *h = unbalanced_on(dir, "swap-locked", &inst);
    if (!h)
        goto out;
    double f0 = h_objective(h, &h->cur), ma, mb;
    CHECK(h_swap_days(h) == 0);
    CHECK(fabs(h_objective(h, &h->cur) - f0) < TOL);
    CHECK(fabs(evaluated(h, &h->cur, &ma, &mb) - f0) < TOL);
    CHECK(ma == 150 && mb == 60);
out:
    rota_heur_free(h);
    rota_instance_free(inst);
}

/* rota_heur_adopt on `name` (top of the file): a fresh search takes the
 * unbalanced state's roster and refuses it a second time.  On
 * swap-locked.yaml the state is the roster's (objective, figures), and a
 * roster breaking rule 2.1 only is refused; on swap.yaml the trade is
 * made at once, so the search's best is below the roster handed in. */
static void test_adopt(const char *dir, const char *name)
{
    rota_instance *inst;
    rota_heur *h = unbalanced_on(dir, name, &inst);
    rota_heur *fresh = h ? rota_heur_new(inst, 2, 0) : NULL;
    rota_roster *r = h ? rota_roster_new(inst) : NULL;
    CHECK(fresh && r);
    if (!h || !fresh || !r)
        goto out;
    h_to_roster(h, &h->cur, r);
    double ma, mb, given = evaluated(h, &h->cur, &ma, &mb);
    CHECK(rota_heur_adopt(fresh, r) == 1);
    CHECK(h_check_state(fresh, &fresh->cur) == 0);
    CHECK(rota_heur_adopt(fresh, r) == 0);
    double best = rota_heur_best_objective(fresh);
    CHECK(fabs(evaluated(fresh, &fresh->best, &ma, &mb) - best) < TOL);
    if (strcmp(name, "swap") == 0) {
        CHECKF(best < given - TOL, "best %.9f, handed in %.9f", best, given);
        CHECK(ma == 120 && mb == 90);
        goto out;
    }
    CHECKF(fabs(best - given) < TOL, "adopted %.9f, evaluate %.9f", best,
           given);
    CHECK(fresh->cur.travel == h->cur.travel && fresh->cur.n_unc == 0);
    int v1 = inst->sites[rota_find_site(inst, "s1")].first_visit;
    r->a[v1].staff = rota_find_staff(inst, "b");
    r->a[v1].day = 2;                        /* Wednesday: b is free then */
    fresh->f_best = INFINITY;                /* anything would be better */
    CHECK(rota_heur_adopt(fresh, r) == 0);
    CHECK(fabs(h_objective(fresh, &fresh->cur) - given) < TOL);
out:
    rota_roster_free(r);
    rota_heur_free(fresh);
    rota_heur_free(h);
    rota_instance_free(inst);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_heur DIR\n");
        return 2;
    }
    test_swap(argv[1]);
    test_locked(argv[1]);
    test_adopt(argv[1], "swap-locked");
    test_adopt(argv[1], "swap");
    if (failures == 0)
        printf("test_heur: ok\n");
    return failures != 0;
}
