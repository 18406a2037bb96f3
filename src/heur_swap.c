/* heur_swap.c - trading whole days between two staff members.
 *
 * Two people can trade their day-d visits (every cycle week at once), each
 * visit keeping its start, and any set of days at once: of all the sets
 * the one that lowers the objective most (one day's trade may break the
 * weekly capacity or overshoot the balance where two days' do not).  With
 * the same office and the same working hours that day each tour stays as
 * it is, legs included; otherwise each traded day is walked again as the
 * other person's (rota_day_walk: tours, legs, rules 2.5-2.6).  What else
 * may change is the weekly capacity (2.8), max_sites, who may take which
 * visit (2.1), the continuity cost and the balance term.
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

/* Most passes per call (a pass tries its pairs once). */
#define SWAP_PASSES 8

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
        int di = h_day_index(h, k_from, w, d);
        const h_item *it = s->item + (size_t)di * h->maxv;
        for (int i = 0; i < s->day[di].n; i++) {
            int v = it[i].visit;
            unsigned wk = rota_phase_weeks(h->every[v], s->asg[v].phase, h->W);
            if ((wk & ((1u << w) - 1)) != 0)
                continue;               /* counted in an earlier week */
            if (!h_may_take(h, v, k_to))
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
    int dm1[ROTA_MAX_WEEKS];    /* change of k1's minutes in week w */
    int dm2[ROTA_MAX_WEEKS];    /* and of k2's */
    long dtravel;               /* change of the leg minutes */
} swap_effect;

/* What trading day d between k1 and k2 does, in *e; 0 when a rule of
 * the day or rule 2.1 forbids it or both days are empty.  (The weekly
 * capacity, max_sites and the objective depend on which other days are
 * traded too: best_trade.) */
static int day_effect(const rota_heur *h, int k1, int k2, int d,
                      swap_effect *e)
{
    const h_state *s = &h->cur;
    int busy = 0;
    *e = (swap_effect){.same = same_day(h->inst, k1, k2, d)};
    for (int w = 0; w < h->W; w++) {
        int a = h_day_index(h, k1, w, d), b = h_day_index(h, k2, w, d);
        busy |= s->day[a].n | s->day[b].n;
        e->to2[w] = e->same ? s->day[a].travel : h_walk_day(h, s, a, k2, d);
        e->to1[w] = e->same ? s->day[b].travel : h_walk_day(h, s, b, k1, d);
        if (e->to1[w] < 0 || e->to2[w] < 0)
            return 0;
        int dt1 = e->to1[w] - s->day[b].travel;   /* k2's day, now k1's */
        int dt2 = e->to2[w] - s->day[a].travel;
        e->dm1[w] = day_minutes(h, s, b) + dt1 - day_minutes(h, s, a);
        e->dm2[w] = day_minutes(h, s, a) + dt2 - day_minutes(h, s, b);
        e->dtravel += dt1 + dt2;
    }
    return busy && hand_over(h, k1, k2, d, &e->soft, &e->n1) &&
           hand_over(h, k2, k1, d, &e->soft, &e->n2);
}

/* The change of the search objective if k1 and k2 trade the days of mask
 * (their effects in e); INFINITY when capacity or max_sites forbids it. */
static double trade_delta(const rota_heur *h, int k1, int k2, unsigned mask,
                          const swap_effect *e)
{
    const h_state *s = &h->cur;
    const rota_instance *inst = h->inst;
    int dm1[ROTA_MAX_WEEKS] = {0}, dm2[ROTA_MAX_WEEKS] = {0}, dn = 0;
    int tot1 = s->tot[k1], tot2 = s->tot[k2];
    double soft = 0;
    long dtravel = 0;
    for (int d = 0; d < ROTA_DAYS; d++) {
        if (!(mask & (1u << d)))
            continue;
        for (int w = 0; w < h->W; w++) {
            dm1[w] += e[d].dm1[w];
            dm2[w] += e[d].dm2[w];
        }
        dn += e[d].n2 - e[d].n1;
        soft += e[d].soft;
        dtravel += e[d].dtravel;
    }
    for (int w = 0; w < h->W; w++) {
        if (s->used[k1 * h->W + w] + dm1[w] > inst->staff[k1].capacity + 1e-9 ||
            s->used[k2 * h->W + w] + dm2[w] > inst->staff[k2].capacity + 1e-9)
            return INFINITY;
        tot1 += dm1[w];
        tot2 += dm2[w];
    }
    if (!sites_ok(h, k1, s->nvis[k1] + dn) || !sites_ok(h, k2, s->nvis[k2] - dn))
        return INFINITY;
    return h->w_travel_w * (double)dtravel + soft +
           h_balance_delta(h, k1, tot1, k2, tot2);
}

/* The set of days whose trade between k1 and k2 lowers the objective most
 * (every subset of the tradable days: 31 in a five-day week), their
 * effects in e; 0 when none lowers it. */
static unsigned best_trade(const rota_heur *h, int k1, int k2, swap_effect *e)
{
    unsigned ok = 0, best = 0;
    double best_delta = -1e-9;
    for (int d = 0; d < ROTA_DAYS; d++)
        if (day_effect(h, k1, k2, d, &e[d]))
            ok |= 1u << d;
    /* every non-empty subset of ok: m = (m - 1) & ok walks them down */
    for (unsigned m = ok; m; m = (m - 1) & ok) {
        double delta = trade_delta(h, k1, k2, m, e);
        if (delta < best_delta) {
            best_delta = delta;
            best = m;
        }
    }
    return best;
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

/* Trades day d between k1 and k2 in cur (best_trade chose it). */
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
        int a = h_day_index(h, k1, w, d), b = h_day_index(h, k2, w, d);
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

/* Makes k1's best trade with each other person in turn; returns how many
 * people k1 traded with. */
static int swaps_of(rota_heur *h, int k1)
{
    int swaps = 0;
    swap_effect e[ROTA_DAYS];
    for (int k2 = 0; k2 < h->S; k2++) {
        unsigned m = k2 == k1 ? 0 : best_trade(h, k1, k2, e);
        if (!m)
            continue;
        for (int d = 0; d < ROTA_DAYS; d++)
            if (m & (1u << d))
                swap_apply(h, k1, k2, d, &e[d]);
        h_balance_refresh(h);
        swaps++;
    }
    return swaps;
}

/* Without continuity a trade lowers f through the balance term (or, between
 * different offices or hours, travel, which is rarer): only the two people
 * at the extremes of utilisation are tried against everyone, so a pass
 * looks at 2 S pairs, not S^2 / 2; with continuity at every pair. */
int h_swap_days(rota_heur *h)
{
    int swaps = 0;
    if (h->S < 2)
        return 0;
    for (int pass = 0; pass < SWAP_PASSES; pass++) {
        int before = swaps;
        if (h->staff_matters) {
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
