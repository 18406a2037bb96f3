/* test_bound.c - the lower bounds that need no column generation of
 * day patterns: presolve's (presolve.c, tour_bound.c) and the routing
 * relaxation's (route_bound.c), against figures worked out by hand in the
 * instances' comments, and never above a proved optimum.
 *
 *   tour-bound.yaml     tour bound 110, routing LP 114 (= the optimum;
 *                       presolve's leg bound alone 28)
 *   tour-detour.yaml    a matrix with a shortcut: both 60 = the optimum
 *                       (with the matrix's own round trips the tour bound
 *                       would be 220), and the visit that fits no
 *                       single-visit tour is not declared infeasible
 *   route-triangle.yaml routing LP 58.5 (three half tours), tour bound 65,
 *                       optimum 69
 *   route-weekly.yaml   routing LP 84 = the optimum with elementary
 *                       routes (68.25 if a route could come back to a
 *                       visit), tour bound 80
 *   route-balance.yaml  two districts' groups: routing LP 44 plus the
 *                       balance of their averages 11.5315... = the
 *                       optimum (presolve 40); 0 when the groups share
 *                       visits
 *   route-soft.yaml     soft coverage: routing LP with the capacity row
 *                       397.5 (optimum 1020, presolve's knapsack 132.5)
 *   tiny-1..3           below their optima; the routing relaxation cut
 *                       short after one round proves less than converged
 *
 * Usage: test_bound UNIT_DIR INSTANCES_DIR
 */
#include <math.h>
#include <stdio.h>

#include "presolve.h"
#include "route_bound.h"
#include "rota/instance.h"

#include "unit.h"

/* The routing relaxation's bound of the objective of dir/name.yaml
 * (travel weight / W x legs + its balance part + presolve's soft part)
 * after at most max_rounds rounds (0: converged); NAN when there is none.
 * *converged as it says; *shared (NULL: not asked) the balance part once
 * the last staff member may take every visit of their role (its districts
 * dropped: its group then shares visits with the others). */
static double route_of(const char *dir, const char *name, int max_rounds,
                       int *converged, double *shared)
{
    rota_instance *inst = unit_load(dir, name);
    rota_presolve pre;
    rota_route_result rr;
    double b = NAN;
    if (inst && rota_presolve_run(inst, &pre) == ROTA_OK && !pre.infeasible &&
        rota_route_bound(inst, 0, NULL, max_rounds, &rr) == 0) {
        b = inst->w_travel / inst->cycle_weeks * rr.legs + rr.balance +
            pre.soft;
        *converged = rr.converged;
        if (shared) {
            inst->staff[inst->n_staff - 1].n_districts = -1;
            *shared = rota_route_bound(inst, 0, NULL, 0, &rr) == 0
                          ? rr.balance : NAN;
        }
    }
    rota_instance_free(inst);
    return b;
}

/* Presolve's bound of dir/name.yaml; NAN when it cannot load or presolve
 * calls it infeasible. */
static double bound_of(const char *dir, const char *name)
{
    rota_instance *inst = unit_load(dir, name);
    rota_presolve pre;
    double b = NAN;
    if (inst && rota_presolve_run(inst, &pre) == ROTA_OK) {
        if (pre.infeasible)
            fprintf(stderr, "%s: presolve says infeasible: %s\n", name,
                    pre.reason);
        else
            b = pre.bound;
    }
    rota_instance_free(inst);
    return b;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_bound UNIT_DIR INSTANCES_DIR\n");
        return 2;
    }
    /* presolve's bound and the routing relaxation's LP as each instance's
     * comment works them out (presolve's lowered for the floating point,
     * never above); the balance part is 0 on the first four (one group
     * each) */
    static const char *const hand[6] = {"tour-bound", "tour-detour",
                                        "route-triangle", "route-weekly",
                                        "route-balance", "route-soft"};
    static const double pre[6] = {110, 60, 65, 80, 40, 132.5};
    static const double lp[6] = {114, 60, 58.5, 84, 44 + 200.0 * 64 / 1110,
                                 397.5};
    double b;
    for (int i = 0; i < 6; i++) {
        b = bound_of(argv[1], hand[i]);
        fprintf(stderr, "%s: %.9f\n", hand[i], b);
        CHECK(b > pre[i] - 1e-6 && b <= pre[i]);
    }
    for (int i = 0; i < 6; i++) {
        int conv = 0;
        b = route_of(argv[1], hand[i], 0, &conv, NULL);
        fprintf(stderr, "%s routing LP: %.9f\n", hand[i], b);
        CHECK(conv && fabs(b - lp[i]) < 1e-6);
    }

    static const char *const tiny[3] = {"tiny-1", "tiny-2", "tiny-3"};
    static const double optimum[3] = {114.896897, 148.839840, 116.305305};
    for (int i = 0; i < 3; i++) {
        b = bound_of(argv[2], tiny[i]);
        fprintf(stderr, "%s: %.9f (optimum %.6f)\n", tiny[i], b, optimum[i]);
        CHECK(b > 0 && b <= optimum[i] - 1e-6);
        int conv = 0, conv1 = 1;
        double r = route_of(argv[2], tiny[i], 0, &conv, NULL);
        double r1 = route_of(argv[2], tiny[i], 1, &conv1, NULL);
        fprintf(stderr, "%s routing: %.9f converged, %.9f after a round\n",
                tiny[i], r, r1);
        CHECK(conv && r > 0 && r <= optimum[i] - 1e-6);
        CHECK(!conv1 && r1 > 0 && r1 <= r + 1e-9);
    }

    /* more than 16 visits a day: tours longer than any route, so no
     * routing bound (capping the routes at 16 would overstate it) */
    rota_instance *inst = unit_load(argv[2], "tiny-1");
    rota_route_result rr;
    CHECK(inst != NULL);
    if (inst) {
        inst->max_visits_per_day = 17;
        CHECK(rota_route_bound(inst, 0, NULL, 0, &rr) == 1);
        inst->max_visits_per_day = 16;
        CHECK(rota_route_bound(inst, 0, NULL, 0, &rr) == 0);
        rota_instance_free(inst);
    }

    /* b1 without its districts may take n too: the groups share it, and
     * their averages say nothing about the highest and lowest
     * utilisation (b1's group alone would claim one) */
    int conv = 0;
    double shared = NAN;
    b = route_of(argv[1], "route-balance", 0, &conv, &shared);
    fprintf(stderr, "route-balance: balance part %.9f with shared visits\n",
            shared);
    CHECK(conv && shared == 0);
    if (failures)
        fprintf(stderr, "%d check(s) failed\n", failures);
    return failures ? 1 : 0;
}
