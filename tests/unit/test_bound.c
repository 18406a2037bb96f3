/* test_bound.c - presolve's lower bound (presolve.c, tour_bound.c) against
 * figures worked out by hand in the instances' comments, and never above
 * a proved optimum.
 *
 *   tour-bound.yaml   the tour bound 110 (optimum 114; the leg bound 28)
 *   tour-detour.yaml  a matrix with a shortcut: the bound 60 = the optimum
 *                     (with the matrix's own round trips it would be 220),
 *                     and the visit that fits no single-visit tour is not
 *                     declared infeasible
 *   tiny-1..3         below their optima
 *
 * Usage: test_bound UNIT_DIR INSTANCES_DIR
 */
#include <math.h>
#include <stdio.h>

#include "presolve.h"
#include "rota/instance.h"

static int failures;

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
            failures++;                                                      \
        }                                                                    \
    } while (0)

/* Presolve's bound of dir/name.yaml; NAN when it cannot load or presolve
 * calls it infeasible. */
static double bound_of(const char *dir, const char *name)
{
    char path[4096];
    rota_diags d = {0};
    rota_instance *inst = NULL;
    rota_presolve pre;
    double b = NAN;
    snprintf(path, sizeof path, "%s/%s.yaml", dir, name);
    if (rota_instance_load(path, &inst, &d) != ROTA_OK) {
        fprintf(stderr, "cannot load %s\n", path);
        goto out;
    }
    if (rota_presolve_run(inst, &pre) != ROTA_OK)
        goto out;
    if (pre.infeasible)
        fprintf(stderr, "%s: presolve says infeasible: %s\n", name,
                pre.reason);
    else
        b = pre.bound;
out:
    rota_instance_free(inst);
    rota_diags_free(&d);
    return b;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_bound UNIT_DIR INSTANCES_DIR\n");
        return 2;
    }
    double b = bound_of(argv[1], "tour-bound");
    fprintf(stderr, "tour-bound: %.9f\n", b);
    CHECK(b > 110 - 1e-6 && b <= 110);

    b = bound_of(argv[1], "tour-detour");
    fprintf(stderr, "tour-detour: %.9f\n", b);
    CHECK(b > 60 - 1e-6 && b <= 60);

    static const char *const tiny[3] = {"tiny-1", "tiny-2", "tiny-3"};
    static const double optimum[3] = {114.896897, 148.839840, 116.305305};
    for (int i = 0; i < 3; i++) {
        b = bound_of(argv[2], tiny[i]);
        fprintf(stderr, "%s: %.9f (optimum %.6f)\n", tiny[i], b, optimum[i]);
        CHECK(b > 0 && b <= optimum[i] - 1e-6);
    }
    if (failures)
        fprintf(stderr, "%d check(s) failed\n", failures);
    return failures ? 1 : 0;
}
