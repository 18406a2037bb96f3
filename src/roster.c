/* roster.c - allocation of rosters (see rota/roster.h). */
#include <stdlib.h>
#include <string.h>

#include "rota/roster.h"

const char *rota_result_str(rota_result r)
{
    switch (r) {
    case ROTA_RESULT_OPTIMAL: return "optimal";
    case ROTA_RESULT_FEASIBLE: return "feasible";
    case ROTA_RESULT_INFEASIBLE: return "infeasible";
    case ROTA_RESULT_NO_SOLUTION: return "no_solution";
    case ROTA_RESULT_ERROR: return "error";
    }
    return "error";
}

static rota_roster *roster_alloc(int n)
{
    rota_roster *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->a = calloc(n > 0 ? (size_t)n : 1, sizeof *r->a);
    if (!r->a) {
        free(r);
        return NULL;
    }
    r->n_visits = n;
    return r;
}

rota_roster *rota_roster_new(const rota_instance *inst)
{
    rota_roster *r = roster_alloc(inst->n_visits);
    if (!r)
        return NULL;
    for (int v = 0; v < r->n_visits; v++)
        r->a[v] = (rota_assign){.staff = -1, .day = -1, .start = -1, .weeks = 0};
    return r;
}

rota_roster *rota_roster_copy(const rota_roster *src)
{
    rota_roster *r = roster_alloc(src->n_visits);
    if (r)
        rota_roster_assign(r, src);
    return r;
}

void rota_roster_assign(rota_roster *dst, const rota_roster *src)
{
    memcpy(dst->a, src->a, (size_t)src->n_visits * sizeof *dst->a);
}

void rota_roster_free(rota_roster *r)
{
    if (!r)
        return;
    free(r->a);
    free(r);
}
