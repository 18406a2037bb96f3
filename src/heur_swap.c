/* heur_swap.c - swapping whole days between two staff members.
 *
 * Two people can trade their day-d visits (every cycle week at once), each
 * visit keeping its start.  With the same office and the same working
 * hours that day each tour stays as it is, legs included; otherwise each
 * traded day is walked again as the other person's (rota_day_walk: tours,
 * legs, rules 2.5-2.6).  What else may change is the weekly capacity
 * (2.8), max_sites, who may take which visit (2.1), the continuity cost
 * and the balance term.
 *
 * The search's single-unit moves pay travel to move load from one person to
 * another, so they leave the balance term high: koebenhavn-1's rosters had
 * balance 22 of 1,601 after 60 s, koebenhavn-all-1's utilisations ran from
 * 68 % to 85 %.  A day swap moves a whole day's load, for free when the two
 * people start from the same office at the same hours.
 */
#include <math.h>
#include <string.h>

#include "heur_int.h"
#include "rota/eval.h"

/* Most day-swap passes per call (each pass tries every pair). */
#define SWAP_PASSES 8

static inline int day_index(const rota_heur *h, int k, int w, int d)
{
    return (k * h->W + w) * ROTA_DAYS + d;
}

/* Same office, same spans on day d: the tours of one fit the other. */
static int same_day(const rota_instance *inst, int k1, int k2, int d)
{
    const rota_staff *a = &inst->staff[k1], *b = &inst->staff[k2];
    if (a->office != b->office || a->seg[d].n != b->seg[d].n)
        return 0;
    for (int i = 0; i < a->seg[d].n; i++)
        if (a->seg[d].v[i].start != b->seg[d].v[i].start ||
            a->seg[d].v[i].end != b->seg[d].v[i].end)
            return 0;
    return 1;
}

static int may_take(const rota_heur *h, int v, int k)
{
    for (int i = h->elig_off[v]; i < h->elig_off[v + 1]; i++)
        if (h->elig[i] == k)
            return 1;
    return 0;
}

/* Minutes of day di: its visits and its legs. */
static int day_minutes(const rota_heur *h, const h_state *s, int di)
{
    const h_item *it = s->item + (size_t)di * h->maxv;
    int m = s->day[di].travel;
    for (int i = 0; i < s->day[di].n; i++)
        m += it[i].end - it[i].start;
    return m;
}

/* What handing k_from's day-d visits to k_to changes in the soft costs,
 * in *soft; their number (each visit once, not per week) in *n.  Returns
 * 0 when k_to may not take one of them. */
static int hand_over(const rota_heur *h, int k_from, int k_to, int d,
                     double *soft, int *n)
{
    const h_state *s = &h->cur;
    for (int w = 0; w < h->W; w++) {
        int di = day_index(h, k_from, w, d);
        const h_item *it = s->item + (size_t)di * h->maxv;
        for (int i = 0; i < s->day[di].n; i++) {
            int v = it[i].visit;
            unsigned wk = rota_phase_weeks(h->every[v], s->asg[v].phase, h->W);
            if ((wk & ((1u << w) - 1)) != 0)
                continue;               /* counted in an earlier week */
            if (!may_take(h, v, k_to))
                return 0;
            *soft += h_soft_cost(h, v, k_to, d, it[i].start) -
                     h_soft_cost(h, v, k_from, d, it[i].start);
            (*n)++;
        }
    }
    return 1;
}

static int sites_ok(const rota_heur *h, int k, int nvis)
{
    int ms = h->inst->staff[k].max_sites;
    return ms < 0 || nvis <= ms;
}

/* What a trade changes besides the minutes: soft costs, sites held. */
typedef struct swap_effect {
    double soft;
    int n1, n2;                 /* visits k1 and k2 hand over */
    int same;                   /* same office and hours: tours unchanged */
    int to1[ROTA_MAX_WEEKS];    /* leg minutes of k2's day walked by k1 */
    int to2[ROTA_MAX_WEEKS];    /* and of k1's day walked by k2 */
    long dtravel;               /* change of the leg minutes */
} swap_effect;

/* The leg minutes of day di's visits walked as staff k's day d; -1 when
 * that breaks a rule of the day. */
static int walk_as(const rota_heur *h, int di, int k, int d)
{
    const h_state *s = &h->cur;
    const h_item *it = s->item + (size_t)di * h->maxv;
    rota_day_item items[HEUR_MAX_DAY];
    int n = s->day[di].n, travel = 0;
    if (n == 0)
        return 0;
    for (int i = 0; i < n; i++)
        items[i] = (rota_day_item){it[i].visit, it[i].start};
    if (rota_day_walk(h->inst, k, d, items, n, &travel, NULL, NULL, NULL,
                      NULL, NULL) != ROTA_DAY_OK)
        return -1;
    return travel;
}

/* The change of the search objective if k1 and k2 trade day d, with the
 * rest of the effect in *e; INFINITY when a rule forbids it or both days
 * are empty. */
static double swap_delta(const rota_heur *h, int k1, int k2, int d,
                         swap_effect *e)
{
    const h_state *s = &h->cur;
    const rota_instance *inst = h->inst;
    int tot1 = s->tot[k1], tot2 = s->tot[k2], busy = 0;
    *e = (swap_effect){.same = same_day(inst, k1, k2, d)};
    for (int w = 0; w < h->W; w++) {
        int a = day_index(h, k1, w, d), b = day_index(h, k2, w, d);
        int m1 = day_minutes(h, s, a), m2 = day_minutes(h, s, b);
        busy |= m1 | m2;
        e->to2[w] = e->same ? s->day[a].travel : walk_as(h, a, k2, d);
        e->to1[w] = e->same ? s->day[b].travel : walk_as(h, b, k1, d);
        if (e->to1[w] < 0 || e->to2[w] < 0)
            return INFINITY;
        int dt1 = e->to1[w] - s->day[b].travel;   /* k2's day, now k1's */
        int dt2 = e->to2[w] - s->day[a].travel;
        int n1 = m2 + dt1, n2 = m1 + dt2;         /* the days' new minutes */
        if (s->used[k1 * h->W + w] - m1 + n1 > inst->staff[k1].capacity + 1e-9 ||
            s->used[k2 * h->W + w] - m2 + n2 > inst->staff[k2].capacity + 1e-9)
            return INFINITY;
        tot1 += n1 - m1;
        tot2 += n2 - m2;
        e->dtravel += dt1 + dt2;
    }
    if (!busy)
        return INFINITY;
    if (!hand_over(h, k1, k2, d, &e->soft, &e->n1) ||
        !hand_over(h, k2, k1, d, &e->soft, &e->n2))
        return INFINITY;
    if (!sites_ok(h, k1, s->nvis[k1] - e->n1 + e->n2) ||
        !sites_ok(h, k2, s->nvis[k2] - e->n2 + e->n1))
        return INFINITY;
    return h->w_travel_w * (double)e->dtravel + e->soft +
           h_balance_delta(h, k1, tot1, k2, tot2);
}

/* Gives day di's items to staff k: the new owner in the assignments, the
 * tour keys of k's hours. */
static void take_over(rota_heur *h, int di, int k, int d)
{
    h_state *s = &h->cur;
    h_item *it = s->item + (size_t)di * h->maxv;
    for (int i = 0; i < s->day[di].n; i++) {
        s->asg[it[i].visit].staff = k;
        it[i].key = h_seg_key(&h->inst->staff[k].seg[d], it[i].start);
    }
}

/* Trades day d between k1 and k2 in cur (swap_delta said it may). */
static void swap_apply(rota_heur *h, int k1, int k2, int d,
                       const swap_effect *e)
{
    h_state *s = &h->cur;
    h_item tmp[HEUR_MAX_DAY];
    size_t bytes = (size_t)h->maxv * sizeof *tmp;
    s->soft += e->soft;
    s->nvis[k1] += e->n2 - e->n1;
    s->nvis[k2] += e->n1 - e->n2;
    s->travel += e->dtravel;
    for (int w = 0; w < h->W; w++) {
        int a = day_index(h, k1, w, d), b = day_index(h, k2, w, d);
        int ma = day_minutes(h, s, a), mb = day_minutes(h, s, b);
        h_item *ia = s->item + (size_t)a * h->maxv;
        h_item *ib = s->item + (size_t)b * h->maxv;
        memcpy(tmp, ia, bytes);
        memcpy(ia, ib, bytes);
        memcpy(ib, tmp, bytes);
        h_day t = s->day[a];
        s->day[a] = s->day[b];
        s->day[b] = t;
        s->day[a].travel = e->to1[w];
        s->day[b].travel = e->to2[w];
        take_over(h, a, k1, d);
        take_over(h, b, k2, d);
        int na = day_minutes(h, s, a), nb = day_minutes(h, s, b);
        s->used[k1 * h->W + w] += na - ma;
        s->used[k2 * h->W + w] += nb - mb;
        s->tot[k1] += na - ma;
        s->tot[k2] += nb - mb;
    }
}

/* Tries k1's trades with everyone, day by day; returns those made. */
static int swaps_of(rota_heur *h, int k1)
{
    int swaps = 0;
    for (int d = 0; d < ROTA_DAYS; d++)
        for (int k2 = 0; k2 < h->S; k2++) {
            swap_effect e;
            if (k2 == k1 || swap_delta(h, k1, k2, d, &e) >= -1e-9)
                continue;
            swap_apply(h, k1, k2, d, &e);
            h_balance_refresh(h);
            swaps++;
        }
    return swaps;
}

/* Whether who takes a visit changes its soft cost (rule 3's continuity). */
static int staff_matters(const rota_heur *h)
{
    if (h->inst->w_continuity == 0)
        return 0;
    for (int v = 0; v < h->V; v++)
        if (h->inst->visits[v].current.staff >= 0)
            return 1;
    return 0;
}

/* Without continuity a trade lowers f through the balance term (or, between
 * different offices or hours, travel, which is rarer): only the two people
 * at the extremes of utilisation are tried against everyone, so a call
 * costs 2 x S x days trades, not S^2 / 2 x days; with continuity every
 * pair. */
int h_swap_days(rota_heur *h)
{
    int swaps = 0;
    if (h->S < 2)
        return 0;
    int every = staff_matters(h);
    for (int pass = 0; pass < SWAP_PASSES; pass++) {
        int before = swaps;
        if (every) {
            for (int k = 0; k < h->S; k++)
                swaps += swaps_of(h, k);
        } else {
            swaps += swaps_of(h, h->top[0]);
            swaps += swaps_of(h, h->bot[0]);
        }
        if (swaps == before)
            break;
    }
    return swaps;
}
