/* staff_class.c - interchangeable staff members (see staff_class.h).
 *
 * Quadratic in staff in the worst case (each member is compared with the
 * representatives found so far), plus one pass over the visits per
 * comparison that can still succeed: fine at ROTA_MAX_STAFF.
 */
#include <stdlib.h>
#include <string.h>

#include "staff_class.h"

static int same_spans(const rota_spans *a, const rota_spans *b)
{
    if (a->n != b->n)
        return 0;
    for (int i = 0; i < a->n; i++)
        if (a->v[i].start != b->v[i].start || a->v[i].end != b->v[i].end)
            return 0;
    return 1;
}

static int in_list(const int *list, int n, int x)
{
    for (int i = 0; i < n; i++)
        if (list[i] == x)
            return 1;
    return 0;
}

/* Same districts as sets (lists hold no repeats). */
static int same_districts(const rota_staff *a, const rota_staff *b)
{
    if (a->n_districts != b->n_districts)
        return 0;
    for (int i = 0; i < a->n_districts; i++)
        if (!in_list(b->districts, b->n_districts, a->districts[i]))
            return 0;
    return 1;
}

/* The staff member's own fields. */
static int same_staff(const rota_staff *a, const rota_staff *b)
{
    if (a->role != b->role || a->office != b->office ||
        a->hours != b->hours || a->consult_share != b->consult_share ||
        a->capacity != b->capacity || a->max_sites != b->max_sites ||
        !same_districts(a, b))
        return 0;
    for (int d = 0; d < ROTA_DAYS; d++)
        if (!same_spans(&a->avail[d], &b->avail[d]) ||
            !same_spans(&a->blocked[d], &b->blocked[d]) ||
            !same_spans(&a->seg[d], &b->seg[d]))
            return 0;
    return 1;
}

/* Whether some visit names staff member k (pin, current) or names exactly
 * one of a and b in staff_allowed. */
static int named(const rota_instance *inst, int k)
{
    for (int v = 0; v < inst->n_visits; v++) {
        const rota_visit *x = &inst->visits[v];
        if (x->pin.staff == k || x->current.staff == k)
            return 1;
    }
    return 0;
}

static int allowed_apart(const rota_instance *inst, int a, int b)
{
    for (int v = 0; v < inst->n_visits; v++) {
        const rota_visit *x = &inst->visits[v];
        if (x->n_allowed >= 0 && in_list(x->allowed, x->n_allowed, a) !=
                                     in_list(x->allowed, x->n_allowed, b))
            return 1;
    }
    return 0;
}

int rota_staff_classes(const rota_instance *inst, int *rep)
{
    int K = inst->n_staff, n_class = 0;
    char *alone = malloc((size_t)K + 1);
    if (!alone)
        return -1;
    for (int k = 0; k < K; k++)
        alone[k] = (char)named(inst, k);
    for (int k = 0; k < K; k++) {
        rep[k] = k;
        if (!alone[k])
            for (int r = 0; r < k; r++)
                if (rep[r] == r && !alone[r] &&
                    same_staff(&inst->staff[r], &inst->staff[k]) &&
                    !allowed_apart(inst, r, k)) {
                    rep[k] = r;
                    break;
                }
        n_class += rep[k] == k;
    }
    free(alone);
    return n_class;
}
