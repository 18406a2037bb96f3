/* heur_adopt.c - the search takes over a roster found elsewhere.
 *
 * Column generation's integer master and branch-and-price find rosters of
 * their own (solve.c).  They are often better than the search's in travel
 * and worse in what the master averages away (balance): koebenhavn-1's
 * master rosters came with utilisations 17 points apart.  Taken over as
 * the search's current and best state, such a roster gets the day swaps
 * at once (a better roster from them goes to the on_best callback) and
 * the search's moves after; left aside, the search would go on from its
 * own.
 *
 * The state is built directly from the assignments (not by insertion: a
 * partial day need not be feasible when the travel matrix breaks the
 * triangle inequality), then every figure is recomputed by rota_day_walk
 * and checked (h_check_state).  Nothing changes unless all of it holds.
 */
#include <stdlib.h>
#include <string.h>

#include "heur_int.h"

/* Puts visit v as a assigns it into the days of s (unsorted); -1 when a
 * rule the state relies on does not hold. */
static int add_visit(const rota_heur *h, h_state *s, int v, const rota_assign *a)
{
    const rota_instance *inst = h->inst;
    int k = a->staff, p = rota_phase_of(h->every[v], a->weeks, h->W);
    if (k < 0 || k >= h->S || a->day < 0 || a->day >= ROTA_DAYS || p == 0 ||
        !h_may_take(h, v, k))
        return -1;
    for (int w = 0; w < h->W; w++) {
        if (!(a->weeks & (1u << w)))
            continue;
        int di = h_day_index(h, k, w, a->day);
        if (s->day[di].n >= h->maxv)
            return -1;
        s->item[(size_t)di * h->maxv + s->day[di].n++] = (h_item){
            v, a->start, a->start + h->minutes[v], h->place[v],
            h_seg_key(&inst->staff[k].seg[a->day], a->start)};
        s->used[k * h->W + w] += h->minutes[v];
        s->tot[k] += h->minutes[v];
    }
    s->asg[v] = (h_asg){k, a->day, a->start, p};
    s->nvis[k]++;
    s->soft += h_soft_cost(h, v, k, a->day, a->start);
    s->n_unc--;
    s->unc_need -= inst->sites[inst->visits[v].site].need;
    return 0;
}

static int cmp_start(const void *a, const void *b)
{
    const h_item *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* Sorts every day by start and adds its legs (rota_day_walk); -1 when a
 * day breaks a rule. */
static int walk_days(const rota_heur *h, h_state *s)
{
    for (int k = 0; k < h->S; k++)
        for (int w = 0; w < h->W; w++)
            for (int d = 0; d < ROTA_DAYS; d++) {
                int di = h_day_index(h, k, w, d), n = s->day[di].n;
                h_item *it = s->item + (size_t)di * h->maxv;
                qsort(it, (size_t)n, sizeof *it, cmp_start);
                int tr = h_walk_day(h, s, di, k, d);
                if (tr < 0)
                    return -1;
                s->day[di].travel = tr;
                s->used[k * h->W + w] += tr;
                s->tot[k] += tr;
                s->travel += tr;
            }
    return 0;
}

/* Joint pairs whole, max_sites kept. */
static int units_ok(const rota_heur *h, const h_state *s)
{
    for (int u = 0; u < h->n_units; u++) {
        int v2 = h->u_v2[u];
        if (v2 >= 0 && (s->asg[h->u_v1[u]].staff < 0) != (s->asg[v2].staff < 0))
            return 0;
    }
    for (int k = 0; k < h->S; k++) {
        int ms = h->inst->staff[k].max_sites;
        if (ms >= 0 && s->nvis[k] > ms)
            return 0;
    }
    return 1;
}

/* Builds r into h->save (scratch); 0 when it is a state the search can
 * work on. */
static int build(rota_heur *h, const rota_roster *r)
{
    h_state *s = &h->save;
    h_state_clear(h, s);
    for (int v = 0; v < h->V; v++)
        if (r->a[v].staff >= 0 && add_visit(h, s, v, &r->a[v]) < 0)
            return -1;
    if (walk_days(h, s) < 0 || !units_ok(h, s))
        return -1;
    return h_check_state(h, s) == 0 ? 0 : -1;
}

int rota_heur_adopt(rota_heur *h, const rota_roster *r)
{
    if (build(h, r) < 0)
        return 0;
    double f = h_objective(h, &h->save);
    if (!(f < h->f_best - 1e-9))
        return 0;
    h_state_copy(h, &h->cur, &h->save);
    h_state_copy(h, &h->best, &h->save);
    h->f_cur = h->f_best = f;
    h_balance_refresh(h);
    if (h_swap_days(h)) {               /* what the master averaged away */
        h->f_cur = h_objective(h, &h->cur);
        if (h->f_cur < h->f_best - 1e-9)
            h_new_best(h);
    }
    return 1;
}
