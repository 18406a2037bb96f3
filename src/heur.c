/* heur.c - the heuristic's state and its moves: inserting and removing a
 * unit (a visit or a joint pair) with full feasibility, the cheapest
 * insertion of a unit, construction and single-unit descent.
 *
 * Inserting visit v (m minutes, place x) at start t into the day of staff k
 * (one cycle week): the day's segments are its availability minus blocked
 * intervals; t belongs to segment key = the number of segments ending at or
 * before t, which must contain [t, t + m].  With a the place before it in
 * the same tour (the office if none) and b the place after it (the office
 * if none):
 *
 *   t - leg(a, x) >= end of a's visit      (or the segment start)
 *   t + m + leg(x, b) <= start of b's visit (or the segment end)
 *   day travel + leg(a, x) + leg(x, b) - leg(a, b) <= max_travel_per_day
 *   visits of the day < max_visits_per_day
 *   week minutes + m + that leg change <= capacity
 *
 * which is rule 2.5-2.7 checked on the two neighbours only: every other leg
 * of the day is unchanged.  Removal is the mirror image; it is checked too,
 * because a travel matrix need not obey the triangle inequality.
 * h_check_state() recomputes everything with rota_day_walk for the tests.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "heur_int.h"
#include "rota/eval.h"
#include "rota/travel.h"

/* ---- random numbers: xorshift64*, seeded by splitmix64 ---------------- */

uint64_t h_rand(rota_heur *h)
{
    uint64_t x = h->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    h->rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

double h_rand01(rota_heur *h)
{
    return (double)(h_rand(h) >> 11) * (1.0 / 9007199254740992.0);
}

int h_randint(rota_heur *h, int n)
{
    return n <= 1 ? 0 : (int)(h_rand(h) % (uint64_t)n);
}

static uint64_t splitmix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

int h_stopped(const rota_heur *h)
{
    if (h->lim.stop && *h->lim.stop)
        return 1;
    return h->lim.deadline > 0 && rota_now() >= h->lim.deadline;
}

/* ---- state ------------------------------------------------------------ */

static size_t n_days(const rota_heur *h)
{
    return (size_t)h->S * h->W * ROTA_DAYS;
}

int h_state_init(const rota_heur *h, h_state *s)
{
    memset(s, 0, sizeof *s);
    size_t nd = n_days(h);
    s->day = calloc(nd ? nd : 1, sizeof *s->day);
    s->item = calloc(nd * h->maxv + 1, sizeof *s->item);
    s->asg = calloc((size_t)h->V + 1, sizeof *s->asg);
    s->used = calloc((size_t)h->S * h->W + 1, sizeof *s->used);
    s->tot = calloc((size_t)h->S + 1, sizeof *s->tot);
    s->nvis = calloc((size_t)h->S + 1, sizeof *s->nvis);
    if (!s->day || !s->item || !s->asg || !s->used || !s->tot || !s->nvis)
        return -1;
    h_state_clear(h, s);
    return 0;
}

void h_state_clear(const rota_heur *h, h_state *s)
{
    memset(s->day, 0, n_days(h) * sizeof *s->day);
    memset(s->used, 0, (size_t)h->S * h->W * sizeof *s->used);
    memset(s->tot, 0, (size_t)h->S * sizeof *s->tot);
    memset(s->nvis, 0, (size_t)h->S * sizeof *s->nvis);
    s->travel = 0;
    s->soft = 0;
    s->unc_need = 0;
    for (int v = 0; v < h->V; v++) {
        s->asg[v] = (h_asg){-1, -1, -1, 0};
        s->unc_need += h->inst->sites[h->inst->visits[v].site].need;
    }
    s->n_unc = h->V;
}

void h_state_free(h_state *s)
{
    free(s->day);
    free(s->item);
    free(s->asg);
    free(s->used);
    free(s->tot);
    free(s->nvis);
    memset(s, 0, sizeof *s);
}

void h_state_copy(const rota_heur *h, h_state *dst, const h_state *src)
{
    size_t nd = n_days(h);
    memcpy(dst->day, src->day, nd * sizeof *dst->day);
    for (size_t i = 0; i < nd; i++)
        if (src->day[i].n)
            memcpy(dst->item + i * h->maxv, src->item + i * h->maxv,
                   (size_t)src->day[i].n * sizeof *dst->item);
    memcpy(dst->asg, src->asg, (size_t)h->V * sizeof *dst->asg);
    memcpy(dst->used, src->used, (size_t)h->S * h->W * sizeof *dst->used);
    memcpy(dst->tot, src->tot, (size_t)h->S * sizeof *dst->tot);
    memcpy(dst->nvis, src->nvis, (size_t)h->S * sizeof *dst->nvis);
    dst->travel = src->travel;
    dst->soft = src->soft;
    dst->unc_need = src->unc_need;
    dst->n_unc = src->n_unc;
}

static inline double util(const rota_heur *h, const h_state *s, int k)
{
    return s->tot[k] * h->cap_inv[k];
}

double h_balance(const rota_heur *h, const h_state *s)
{
    if (h->S == 0)
        return 0;
    double hi = -INFINITY, lo = INFINITY;
    for (int k = 0; k < h->S; k++) {
        double u = util(h, s, k);
        hi = fmax(hi, u);
        lo = fmin(lo, u);
    }
    return h->w_bal * (hi - lo);
}

double h_objective(const rota_heur *h, const h_state *s)
{
    const rota_instance *inst = h->inst;
    double f = h->w_travel_w * (double)s->travel + s->soft +
               inst->w_uncovered * s->unc_need + h_balance(h, s);
    if (h->hard)
        f += HEUR_HARD_PENALTY * s->n_unc;
    return f;
}

/* Keeps the three highest and lowest utilisations of cur, so that the
 * balance after changing one or two people's load is O(1). */
void h_balance_refresh(rota_heur *h)
{
    for (int i = 0; i < 3; i++)
        h->top[i] = h->bot[i] = -1;
    for (int k = 0; k < h->S; k++) {
        double u = util(h, &h->cur, k);
        for (int i = 0; i < 3; i++) {
            if (h->top[i] < 0 || u > util(h, &h->cur, h->top[i])) {
                for (int j = 2; j > i; j--)
                    h->top[j] = h->top[j - 1];
                h->top[i] = k;
                break;
            }
        }
        for (int i = 0; i < 3; i++) {
            if (h->bot[i] < 0 || u < util(h, &h->cur, h->bot[i])) {
                for (int j = 2; j > i; j--)
                    h->bot[j] = h->bot[j - 1];
                h->bot[i] = k;
                break;
            }
        }
    }
}

/* Change of the balance term when k1 (and k2 >= 0) get new totals. */
double h_balance_delta(const rota_heur *h, int k1, int tot1, int k2,
                       int tot2)
{
    const h_state *s = &h->cur;
    if (h->w_bal == 0 || h->S < 2)
        return 0;
    double hi = -INFINITY, lo = INFINITY;
    for (int i = 0; i < 3; i++) {
        int k = h->top[i];
        if (k >= 0 && k != k1 && k != k2) {
            hi = util(h, s, k);
            break;
        }
    }
    for (int i = 0; i < 3; i++) {
        int k = h->bot[i];
        if (k >= 0 && k != k1 && k != k2) {
            lo = util(h, s, k);
            break;
        }
    }
    double u1 = tot1 * h->cap_inv[k1];
    hi = fmax(hi, u1);
    lo = fmin(lo, u1);
    if (k2 >= 0) {
        double u2 = tot2 * h->cap_inv[k2];
        hi = fmax(hi, u2);
        lo = fmin(lo, u2);
    }
    double now = util(h, s, h->top[0]) - util(h, s, h->bot[0]);
    return h->w_bal * ((hi - lo) - now);
}

/* ---- one day ---------------------------------------------------------- */

int h_seg_key(const rota_spans *seg, int t)
{
    int k = 0;
    while (k < seg->n && seg->v[k].end <= t)
        k++;
    return k;
}

static inline int leg(const rota_instance *inst, int a, int b)
{
    return rota_leg_minutes(inst, a, b);
}

/* Where visit v at t would go into day (k, w, d) of state s, with the leg
 * change in *dt; -1 when rules 2.5-2.7 forbid it. */
static int day_ins(const rota_heur *h, const h_state *s, int k, int w, int d,
                   int v, int t, int *dt)
{
    const rota_instance *inst = h->inst;
    int di = h_day_index(h, k, w, d);
    const h_day *D = &s->day[di];
    if (D->n >= h->maxv)
        return -1;
    const rota_spans *seg = &inst->staff[k].seg[d];
    int m = h->minutes[v], end = t + m;
    int key = h_seg_key(seg, t);
    if (key >= seg->n || t < seg->v[key].start || end > seg->v[key].end)
        return -1;
    const h_item *it = s->item + (size_t)di * h->maxv;
    int i = 0;
    while (i < D->n && it[i].start < t)
        i++;
    int office = inst->staff[k].office, x = h->place[v];
    int a = office, lo = seg->v[key].start;
    if (i > 0 && it[i - 1].key == key) {
        a = it[i - 1].place;
        lo = it[i - 1].end;
    }
    int b = office, hi = seg->v[key].end;
    if (i < D->n && it[i].key == key) {
        b = it[i].place;
        hi = it[i].start;
    }
    int l1 = leg(inst, a, x), l2 = leg(inst, x, b);
    if (t - l1 < lo || end + l2 > hi)
        return -1;
    int delta = l1 + l2 - leg(inst, a, b);
    if (D->travel + delta > inst->max_travel_per_day)
        return -1;
    if (s->used[k * h->W + w] + m + delta > inst->staff[k].capacity + 1e-9)
        return -1;
    *dt = delta;
    return i;
}

/* Index of visit v in day di, or -1. */
static int day_find(const rota_heur *h, const h_state *s, int di, int v)
{
    const h_item *it = s->item + (size_t)di * h->maxv;
    for (int i = 0; i < s->day[di].n; i++)
        if (it[i].visit == v)
            return i;
    return -1;
}

/* Whether taking item i out of day (k, w, d) keeps the day and week
 * feasible; the leg change in *dt. */
static int day_rem_ok(const rota_heur *h, const h_state *s, int k, int w,
                      int d, int i, int *dt)
{
    const rota_instance *inst = h->inst;
    int di = h_day_index(h, k, w, d);
    const h_day *D = &s->day[di];
    const h_item *it = s->item + (size_t)di * h->maxv;
    const rota_spans *seg = &inst->staff[k].seg[d];
    int key = it[i].key, office = inst->staff[k].office, x = it[i].place;
    int a = office, lo = seg->v[key].start;
    if (i > 0 && it[i - 1].key == key) {
        a = it[i - 1].place;
        lo = it[i - 1].end;
    }
    int b = office, hi = seg->v[key].end;
    if (i + 1 < D->n && it[i + 1].key == key) {
        b = it[i + 1].place;
        hi = it[i + 1].start;
    }
    int lab = leg(inst, a, b);
    *dt = lab - leg(inst, a, x) - leg(inst, x, b);
    if (lo + lab > hi)
        return 0;
    if (D->travel + *dt > inst->max_travel_per_day)
        return 0;
    return s->used[k * h->W + w] - h->minutes[it[i].visit] + *dt <=
           inst->staff[k].capacity + 1e-9;
}

/* ---- costs ------------------------------------------------------------ */

double h_soft_cost(const rota_heur *h, int v, int k, int d, int t)
{
    const rota_instance *inst = h->inst;
    const rota_visit *x = &inst->visits[v];
    double c = 0;
    if (x->current.staff >= 0 && x->current.staff != k)
        c += inst->w_continuity;
    if ((x->current.day >= 0 && x->current.day != d) ||
        (x->current.start >= 0 && x->current.start != t))
        c += inst->w_slot_change;
    if (x->has_preferred && !rota_visit_preferred_ok(inst, v, d, t))
        c += inst->w_preference;
    return c;
}

static inline unsigned weeks_of(const rota_heur *h, int v, int p)
{
    return rota_phase_weeks(h->every[v], p, h->W);
}

static int span_has(const rota_spans *s, int from, int to)
{
    for (int i = 0; i < s->n; i++)
        if (s->v[i].start <= from && to <= s->v[i].end)
            return 1;
    return 0;
}

/* Cost of visit v at (k, d, t, p) in cur, balance left out; the total
 * leg change in *dt.  INFINITY when infeasible. */
static double place_cost(const rota_heur *h, int v, int k, int d, int t,
                         int p, int *dt)
{
    const h_state *s = &h->cur;
    unsigned wk = weeks_of(h, v, p);
    int sum = 0;
    for (int w = 0; w < h->W; w++) {
        if (!(wk & (1u << w)))
            continue;
        int x;
        if (day_ins(h, s, k, w, d, v, t, &x) < 0)
            return INFINITY;
        sum += x;
    }
    *dt = sum;
    return h->w_travel_w * sum + h_soft_cost(h, v, k, d, t);
}

static int may_add_site(const rota_heur *h, int k)
{
    int ms = h->inst->staff[k].max_sites;
    return ms < 0 || h->cur.nvis[k] < ms;
}

/* The start intervals where visit v fits into day (k, w, d) of cur, one
 * per gap between the day's items (and tour ends), each with its leg
 * change: the same conditions as day_ins, computed once per day so that a
 * sweep over the starts costs a comparison per start.  Returns how many. */
static int day_gaps(const rota_heur *h, int k, int w, int d, int v,
                    h_gap *g)
{
    const rota_instance *inst = h->inst;
    const h_state *s = &h->cur;
    int di = h_day_index(h, k, w, d);
    const h_day *D = &s->day[di];
    if (D->n >= h->maxv)
        return 0;
    const h_item *it = s->item + (size_t)di * h->maxv;
    const rota_spans *seg = &inst->staff[k].seg[d];
    int office = inst->staff[k].office, x = h->place[v], m = h->minutes[v];
    double room = inst->staff[k].capacity + 1e-9 - s->used[k * h->W + w] - m;
    int travel_room = inst->max_travel_per_day - D->travel;
    int n = 0, i = 0;
    for (int sg = 0; sg < seg->n; sg++) {
        while (i < D->n && it[i].key < sg)
            i++;
        int a = office, lo = seg->v[sg].start;
        for (;; i++) {
            int last = !(i < D->n && it[i].key == sg);
            int b = last ? office : it[i].place;
            int hi = last ? seg->v[sg].end : it[i].start;
            int l1 = leg(inst, a, x), l2 = leg(inst, x, b);
            int dt = l1 + l2 - leg(inst, a, b);
            int tl = lo + l1, th = hi - l2 - m;
            if (tl <= th && dt <= travel_room && dt <= room)
                g[n++] = (h_gap){tl, th, dt};
            if (last)
                break;
            a = it[i].place;
            lo = it[i].end;
        }
    }
    return n;
}

/* The balance term around staff k: the highest and lowest utilisation of
 * everybody else, and the term now. */
typedef struct bal_ctx {
    double hi, lo, now, inv;
    int tot;
} bal_ctx;

static void bal_prepare(const rota_heur *h, int k, bal_ctx *b)
{
    const h_state *s = &h->cur;
    b->hi = -INFINITY;
    b->lo = INFINITY;
    for (int i = 0; i < 3; i++)
        if (h->top[i] >= 0 && h->top[i] != k) {
            b->hi = util(h, s, h->top[i]);
            break;
        }
    for (int i = 0; i < 3; i++)
        if (h->bot[i] >= 0 && h->bot[i] != k) {
            b->lo = util(h, s, h->bot[i]);
            break;
        }
    b->now = h->S ? util(h, s, h->top[0]) - util(h, s, h->bot[0]) : 0;
    b->inv = h->cap_inv[k];
    b->tot = s->tot[k];
}

static inline double bal_after(const rota_heur *h, const bal_ctx *b, int add)
{
    if (h->w_bal == 0 || h->S < 2)
        return 0;
    double u = (b->tot + add) * b->inv;
    double hi = u > b->hi ? u : b->hi, lo = u < b->lo ? u : b->lo;
    return h->w_bal * ((hi - lo) - b->now);
}

/* Sweeps the starts of v on (k, d) for every phase against the gaps of
 * each week; updates *c when a place is cheaper. */
static void sweep_day(rota_heur *h, int v, int k, int d, double base,
                      const bal_ctx *b, h_cand *c, double noise)
{
    h_gap *g[ROTA_MAX_WEEKS];
    int ng[ROTA_MAX_WEEKS], m = h->minutes[v];
    const rota_spans *av = &h->inst->staff[k].avail[d];
    for (int w = 0; w < h->W; w++) {
        g[w] = h->gaps + (size_t)w * h->gmax;
        ng[w] = day_gaps(h, k, w, d, v, g[w]);
    }
    for (int p = 1; p <= h->every[v]; p++) {
        unsigned wk = weeks_of(h, v, p);
        int occ = __builtin_popcount(wk), ptr[ROTA_MAX_WEEKS] = {0};
        for (int j = h->st_off[v * 7 + d]; j < h->st_off[v * 7 + d + 1]; j++) {
            int t = h->st[j].t, dt = 0, ok = 1;
            for (int w = 0; w < h->W && ok; w++) {
                if (!(wk & (1u << w)))
                    continue;
                while (ptr[w] < ng[w] && g[w][ptr[w]].hi < t)
                    ptr[w]++;
                if (ptr[w] == ng[w] || g[w][ptr[w]].lo > t)
                    ok = 0;
                else
                    dt += g[w][ptr[w]].dt;
            }
            if (!ok || !span_has(av, t, t + m))
                continue;
            double cost = base + h->st[j].cost + h->w_travel_w * dt +
                          bal_after(h, b, occ * m + dt);
            if (noise > 0)
                cost += noise * (2 * h_rand01(h) - 1);
            if (cost < c->cost)
                *c = (h_cand){k, d, t, p, -1, -1, cost};
        }
    }
}

static void best_single_k_slow(rota_heur *h, int v, int k, h_cand *c);

/* Best place of single visit v on staff k; updates *c when cheaper. */
static void best_single_k(rota_heur *h, int v, int k, h_cand *c,
                          double noise)
{
    const rota_instance *inst = h->inst;
    if (!may_add_site(h, k))
        return;
    const rota_visit *x = &inst->visits[v];
    double base = (x->current.staff >= 0 && x->current.staff != k)
                      ? inst->w_continuity : 0;
    bal_ctx b;
    bal_prepare(h, k, &b);
    for (int d = 0; d < ROTA_DAYS; d++) {
        if (inst->staff[k].avail[d].n == 0 ||
            h->st_off[v * 7 + d] == h->st_off[v * 7 + d + 1])
            continue;
        sweep_day(h, v, k, d, base, &b, c, noise);
    }
    if (h->selftest && noise == 0) {
        h_cand c2 = *c;
        c2.cost = INFINITY;
        h_cand c1 = c2;
        best_single_k_slow(h, v, k, &c2);
        for (int d = 0; d < ROTA_DAYS; d++)
            if (inst->staff[k].avail[d].n)
                sweep_day(h, v, k, d, base, &b, &c1, 0);
        if (fabs(c1.cost - c2.cost) > 1e-6 && !(c1.cost == INFINITY && c2.cost == INFINITY)) {
            fprintf(stderr, "SELFTEST mismatch v%d k%d: %g (%d %d %d) vs %g (%d %d %d)\n", v, k,
                    c1.cost, c1.d, c1.t, c1.p, c2.cost, c2.d, c2.t, c2.p);
            abort();
        }
    }
}


/* The sweep's reference: every start evaluated on its own with day_ins.
 * Only the self-test (ROTA_HEUR_SELFTEST set) calls it. */
static void best_single_k_slow(rota_heur *h, int v, int k, h_cand *c)
{
    const rota_instance *inst = h->inst;
    if (!may_add_site(h, k))
        return;
    int m = h->minutes[v];
    for (int d = 0; d < ROTA_DAYS; d++) {
        const rota_spans *av = &inst->staff[k].avail[d];
        if (av->n == 0)
            continue;
        for (int p = 1; p <= h->every[v]; p++) {
            int occ = __builtin_popcount(weeks_of(h, v, p));
            for (int j = h->st_off[v * 7 + d]; j < h->st_off[v * 7 + d + 1]; j++) {
                int t = h->st[j].t, dt;
                if (!span_has(av, t, t + m))
                    continue;
                double cost = place_cost(h, v, k, d, t, p, &dt);
                if (cost == INFINITY)
                    continue;
                cost += h_balance_delta(h, k, h->cur.tot[k] + occ * m + dt, -1, 0);
                if (cost < c->cost)
                    *c = (h_cand){k, d, t, p, -1, -1, cost};
            }
        }
    }
}

/* Cheapest staff for visit v at (d, t, p); INFINITY when none. */
static double best_staff_at(rota_heur *h, int v, int d, int t, int p,
                            int *kbest, int *totbest)
{
    double best = INFINITY;
    int m = h->minutes[v];
    int occ = __builtin_popcount(weeks_of(h, v, p));
    for (int j = h->elig_off[v]; j < h->elig_off[v + 1]; j++) {
        int k = h->elig[j], dt;
        if (!may_add_site(h, k) ||
            !span_has(&h->inst->staff[k].avail[d], t, t + m))
            continue;
        double c = place_cost(h, v, k, d, t, p, &dt);
        if (c == INFINITY)
            continue;
        int tot = h->cur.tot[k] + occ * m + dt;
        c += h_balance_delta(h, k, tot, -1, 0);
        if (c < best) {
            best = c;
            *kbest = k;
            *totbest = tot;
        }
    }
    return best;
}

/* Phase pairs of a joint unit with the same weeks; returns how many. */
static int joint_phases(const rota_heur *h, int v1, int v2, int pp[][2])
{
    int n = 0;
    for (int p1 = 1; p1 <= h->every[v1]; p1++)
        for (int p2 = 1; p2 <= h->every[v2]; p2++)
            if (weeks_of(h, v1, p1) == weeks_of(h, v2, p2)) {
                pp[n][0] = p1;
                pp[n][1] = p2;
                n++;
            }
    return n;
}

static int start_in(const rota_heur *h, int v, int d, int t)
{
    int lo = h->st_off[v * 7 + d], hi = h->st_off[v * 7 + d + 1] - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (h->st[mid].t == t)
            return 1;
        if (h->st[mid].t < t)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return 0;
}

/* best_joint's reference: every (d, t, weeks) and staff member evaluated
 * on its own with day_ins.  Only the self-test calls it. */
static void best_joint_slow(rota_heur *h, int v1, int v2, h_cand *c)
{
    int pp[16][2];
    int np = joint_phases(h, v1, v2, pp);
    for (int d = 0; d < ROTA_DAYS; d++) {
        for (int j = h->st_off[v1 * 7 + d]; j < h->st_off[v1 * 7 + d + 1]; j++) {
            int t = h->st[j].t;
            if (!start_in(h, v2, d, t))
                continue;
            for (int q = 0; q < np; q++) {
                int k1 = -1, k2 = -1, t1 = 0, t2 = 0;
                double c1 = best_staff_at(h, v1, d, t, pp[q][0], &k1, &t1);
                if (c1 == INFINITY)
                    continue;
                double c2 = best_staff_at(h, v2, d, t, pp[q][1], &k2, &t2);
                if (c2 == INFINITY)
                    continue;
                double cost = c1 + c2 -
                              h_balance_delta(h, k1, t1, -1, 0) -
                              h_balance_delta(h, k2, t2, -1, 0) +
                              h_balance_delta(h, k1, t1, k2, t2);
                if (cost < c->cost)
                    *c = (h_cand){k1, d, t, pp[q][0], k2, pp[q][1], cost};
            }
        }
    }
}

/* One staff member's lane in a joint sweep: its gaps on the day in each
 * week, a pointer per week into them (starts only grow), its balance. */
typedef struct h_lane {
    int k;
    double base;            /* continuity cost */
    bal_ctx b;
    h_gap *g[ROTA_MAX_WEEKS];
    int ng[ROTA_MAX_WEEKS], ptr[ROTA_MAX_WEEKS];
} h_lane;

/* The lanes of every staff member who may take v on day d. */
static int lanes_prepare(rota_heur *h, int v, int d, h_lane *L, h_gap *buf)
{
    const rota_instance *inst = h->inst;
    const rota_visit *x = &inst->visits[v];
    int n = 0;
    for (int j = h->elig_off[v]; j < h->elig_off[v + 1]; j++) {
        int k = h->elig[j];
        if (!may_add_site(h, k) || inst->staff[k].avail[d].n == 0)
            continue;
        h_lane *l = &L[n];
        l->k = k;
        l->base = (x->current.staff >= 0 && x->current.staff != k)
                      ? inst->w_continuity : 0;
        bal_prepare(h, k, &l->b);
        for (int w = 0; w < h->W; w++) {
            l->g[w] = buf + ((size_t)n * h->W + w) * h->gmax;
            l->ng[w] = day_gaps(h, k, w, d, v, l->g[w]);
        }
        n++;
    }
    return n;
}

/* The cheapest lane for v at start t in weeks wk (occ of them): its cost
 * (continuity, travel, balance alone), index *li and added minutes *add. */
static double lanes_best(const rota_heur *h, int v, h_lane *L, int n, int d,
                         int t, unsigned wk, int occ, int *li, int *add)
{
    double best = INFINITY;
    int m = h->minutes[v];
    for (int i = 0; i < n; i++) {
        h_lane *l = &L[i];
        int dt = 0, ok = 1;
        for (int w = 0; w < h->W && ok; w++) {
            if (!(wk & (1u << w)))
                continue;
            while (l->ptr[w] < l->ng[w] && l->g[w][l->ptr[w]].hi < t)
                l->ptr[w]++;
            if (l->ptr[w] == l->ng[w] || l->g[w][l->ptr[w]].lo > t)
                ok = 0;
            else
                dt += l->g[w][l->ptr[w]].dt;
        }
        if (!ok || !span_has(&h->inst->staff[l->k].avail[d], t, t + m))
            continue;
        double c = l->base + h->w_travel_w * dt + bal_after(h, &l->b, occ * m + dt);
        if (c < best) {
            best = c;
            *li = i;
            *add = occ * m + dt;
        }
    }
    return best;
}

static void lanes_rewind(h_lane *L, int n)
{
    for (int i = 0; i < n; i++)
        memset(L[i].ptr, 0, sizeof L[i].ptr);
}

/* One phase pair of a joint pair on day d: a sweep over the common starts,
 * the cheapest staff of each role at each, the balance of both changes
 * taken together. */
static void joint_sweep(rota_heur *h, int v1, int v2, int d, int p1, int p2,
                        h_lane *L1, int n1, h_lane *L2, int n2, h_cand *c,
                        double noise)
{
    unsigned wk = weeks_of(h, v1, p1);
    int occ = __builtin_popcount(wk);
    int j2 = h->st_off[v2 * 7 + d], e2 = h->st_off[v2 * 7 + d + 1];
    lanes_rewind(L1, n1);
    lanes_rewind(L2, n2);
    for (int j = h->st_off[v1 * 7 + d]; j < h->st_off[v1 * 7 + d + 1]; j++) {
        int t = h->st[j].t, i1 = -1, i2 = -1, a1 = 0, a2 = 0;
        while (j2 < e2 && h->st[j2].t < t)
            j2++;
        if (j2 == e2 || h->st[j2].t != t)
            continue;
        double c1 = lanes_best(h, v1, L1, n1, d, t, wk, occ, &i1, &a1);
        if (c1 == INFINITY)
            continue;
        double c2 = lanes_best(h, v2, L2, n2, d, t, wk, occ, &i2, &a2);
        if (c2 == INFINITY)
            continue;
        const h_lane *l1 = &L1[i1], *l2 = &L2[i2];
        double cost = c1 + c2 + h->st[j].cost + h->st[j2].cost -
                      bal_after(h, &l1->b, a1) - bal_after(h, &l2->b, a2) +
                      h_balance_delta(h, l1->k, l1->b.tot + a1, l2->k,
                                    l2->b.tot + a2);
        if (noise > 0)
            cost += noise * (2 * h_rand01(h) - 1);
        if (cost < c->cost)
            *c = (h_cand){l1->k, d, t, p1, l2->k, p2, cost};
    }
}

/* Best place of a joint pair over every day and phase pair. */
static void best_joint(rota_heur *h, int v1, int v2, h_cand *c, double noise)
{
    int pp[16][2];
    int np = joint_phases(h, v1, v2, pp);
    h_lane *L1 = h->lanes, *L2 = h->lanes + h->S;
    h_gap *g2 = h->lgaps + (size_t)h->S * h->W * h->gmax;
    for (int d = 0; d < ROTA_DAYS && np > 0; d++) {
        if (h->st_off[v1 * 7 + d] == h->st_off[v1 * 7 + d + 1] ||
            h->st_off[v2 * 7 + d] == h->st_off[v2 * 7 + d + 1])
            continue;
        int n1 = lanes_prepare(h, v1, d, L1, h->lgaps);
        int n2 = n1 ? lanes_prepare(h, v2, d, L2, g2) : 0;
        for (int q = 0; q < np && n2 > 0; q++)
            joint_sweep(h, v1, v2, d, pp[q][0], pp[q][1], L1, n1, L2, n2, c,
                        noise);
    }
    if (h->selftest && noise == 0) {
        h_cand ref = {-1, -1, -1, -1, -1, -1, INFINITY};
        best_joint_slow(h, v1, v2, &ref);
        if (fabs(ref.cost - c->cost) > 1e-6 &&
            !(ref.cost == INFINITY && c->cost == INFINITY)) {
            fprintf(stderr, "SELFTEST joint mismatch v%d+v%d: %g vs %g\n",
                    v1, v2, c->cost, ref.cost);
            abort();
        }
    }
}

/* The cheapest insertion of unit u into cur (on staff only_k when >= 0, for
 * single visits); 1 and *out when there is one.  noise > 0 perturbs each
 * candidate's cost by up to +-noise (diversification). */
int h_best_insert(rota_heur *h, int u, int only_k, h_cand *out, double noise)
{
    h_cand c = {-1, -1, -1, -1, -1, -1, INFINITY};
    int v1 = h->u_v1[u], v2 = h->u_v2[u];
    if (v2 >= 0) {
        best_joint(h, v1, v2, &c, noise);
    } else if (only_k >= 0) {
        best_single_k(h, v1, only_k, &c, noise);
    } else {
        for (int j = h->elig_off[v1]; j < h->elig_off[v1 + 1]; j++)
            best_single_k(h, v1, h->elig[j], &c, noise);
    }
    *out = c;
    return c.k >= 0;
}

/* ---- commits ---------------------------------------------------------- */

static void put_visit(rota_heur *h, int v, int k, int d, int t, int p)
{
    h_state *s = &h->cur;
    const rota_instance *inst = h->inst;
    unsigned wk = weeks_of(h, v, p);
    int m = h->minutes[v];
    int key = h_seg_key(&inst->staff[k].seg[d], t);
    for (int w = 0; w < h->W; w++) {
        if (!(wk & (1u << w)))
            continue;
        int dt = 0, i = day_ins(h, s, k, w, d, v, t, &dt);
        if (i < 0) {
            fprintf(stderr, "rota: internal: infeasible insertion committed\n");
            abort();
        }
        int di = h_day_index(h, k, w, d);
        h_item *it = s->item + (size_t)di * h->maxv;
        memmove(it + i + 1, it + i, (size_t)(s->day[di].n - i) * sizeof *it);
        it[i] = (h_item){v, t, t + m, h->place[v], key};
        s->day[di].n++;
        s->day[di].travel += dt;
        s->used[k * h->W + w] += m + dt;
        s->tot[k] += m + dt;
        s->travel += dt;
    }
    s->nvis[k]++;
    s->soft += h_soft_cost(h, v, k, d, t);
    s->asg[v] = (h_asg){k, d, t, p};
    s->n_unc--;
    s->unc_need -= inst->sites[inst->visits[v].site].need;
}

void h_insert(rota_heur *h, int u, const h_cand *c)
{
    put_visit(h, h->u_v1[u], c->k, c->d, c->t, c->p);
    if (h->u_v2[u] >= 0)
        put_visit(h, h->u_v2[u], c->k2, c->d, c->t, c->p2);
    h_balance_refresh(h);
}

static int visit_can_remove(const rota_heur *h, int v)
{
    const h_state *s = &h->cur;
    const h_asg *a = &s->asg[v];
    unsigned wk = weeks_of(h, v, a->phase);
    for (int w = 0; w < h->W; w++) {
        if (!(wk & (1u << w)))
            continue;
        int di = h_day_index(h, a->staff, w, a->day), dt;
        int i = day_find(h, s, di, v);
        if (i < 0 || !day_rem_ok(h, s, a->staff, w, a->day, i, &dt))
            return 0;
    }
    return 1;
}

int h_can_remove(const rota_heur *h, int u)
{
    int v1 = h->u_v1[u], v2 = h->u_v2[u];
    if (h->cur.asg[v1].staff < 0)
        return 0;
    return visit_can_remove(h, v1) && (v2 < 0 || visit_can_remove(h, v2));
}

static void take_visit(rota_heur *h, int v)
{
    h_state *s = &h->cur;
    const rota_instance *inst = h->inst;
    h_asg a = s->asg[v];
    unsigned wk = weeks_of(h, v, a.phase);
    int m = h->minutes[v];
    for (int w = 0; w < h->W; w++) {
        if (!(wk & (1u << w)))
            continue;
        int di = h_day_index(h, a.staff, w, a.day), dt = 0;
        int i = day_find(h, s, di, v);
        day_rem_ok(h, s, a.staff, w, a.day, i, &dt);
        h_item *it = s->item + (size_t)di * h->maxv;
        memmove(it + i, it + i + 1, (size_t)(s->day[di].n - i - 1) * sizeof *it);
        s->day[di].n--;
        s->day[di].travel += dt;
        s->used[a.staff * h->W + w] += dt - m;
        s->tot[a.staff] += dt - m;
        s->travel += dt;
    }
    s->nvis[a.staff]--;
    s->soft -= h_soft_cost(h, v, a.staff, a.day, a.start);
    s->asg[v] = (h_asg){-1, -1, -1, 0};
    s->n_unc++;
    s->unc_need += inst->sites[inst->visits[v].site].need;
}

/* Removes unit u from cur; the caller checked h_can_remove. */
void h_remove(rota_heur *h, int u)
{
    take_visit(h, h->u_v1[u]);
    if (h->u_v2[u] >= 0)
        take_visit(h, h->u_v2[u]);
    h_balance_refresh(h);
}

/* What unit u costs where it is (travel it causes, soft costs), balance
 * left out: the "worst" destroy operator's ranking. */
double h_unit_cost(const rota_heur *h, int u)
{
    double c = 0;
    for (int j = 0; j < 2; j++) {
        int v = j ? h->u_v2[u] : h->u_v1[u];
        if (v < 0)
            continue;
        const h_asg *a = &h->cur.asg[v];
        if (a->staff < 0)
            continue;
        unsigned wk = weeks_of(h, v, a->phase);
        for (int w = 0; w < h->W; w++) {
            if (!(wk & (1u << w)))
                continue;
            int di = h_day_index(h, a->staff, w, a->day), dt = 0;
            int i = day_find(h, &h->cur, di, v);
            day_rem_ok(h, &h->cur, a->staff, w, a->day, i, &dt);
            c -= h->w_travel_w * dt;
        }
        c += h_soft_cost(h, v, a->staff, a->day, a->start);
    }
    return c;
}

void h_to_roster(const rota_heur *h, const h_state *s, rota_roster *r)
{
    for (int v = 0; v < h->V; v++) {
        const h_asg *a = &s->asg[v];
        if (a->staff < 0)
            r->a[v] = (rota_assign){-1, -1, -1, 0};
        else
            r->a[v] = (rota_assign){a->staff, a->day, a->start,
                                    weeks_of(h, v, a->phase)};
    }
}

/* Records cur as the new best and tells the callback. */
void h_new_best(rota_heur *h)
{
    h_state_copy(h, &h->best, &h->cur);
    h->f_best = h->f_cur;
    h->improvements++;
    if (h->lim.on_best) {
        h_to_roster(h, &h->best, h->tmp);
        h->lim.on_best(h->lim.user, h->tmp, !h->hard || h->best.n_unc == 0);
    }
}

/* The leg minutes of day di of s (sorted by start) walked as staff k's day
 * d, which need not be its owner's; -1 when that breaks a rule of the
 * day (rota_day_walk). */
int h_walk_day(const rota_heur *h, const h_state *s, int di, int k, int d)
{
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

/* ---- checking a state from scratch ------------------------------------ */

/* Recomputes every figure of s with rota_day_walk and compares; returns
 * the number of disagreements or broken rules (0: consistent, feasible
 * but for coverage). */
int h_check_state(const rota_heur *h, const h_state *s)
{
    const rota_instance *inst = h->inst;
    int bad = 0;
    long travel = 0;
    rota_day_item items[64];
    for (int k = 0; k < h->S; k++) {
        int tot = 0;
        for (int w = 0; w < h->W; w++) {
            int used = 0;
            for (int d = 0; d < ROTA_DAYS; d++) {
                int di = h_day_index(h, k, w, d), n = s->day[di].n, tr = 0;
                const h_item *it = s->item + (size_t)di * h->maxv;
                for (int i = 0; i < n && i < 64; i++) {
                    items[i] = (rota_day_item){it[i].visit, it[i].start};
                    used += h->minutes[it[i].visit];
                    if (i > 0 && it[i].start <= it[i - 1].start)
                        bad++;
                }
                if (rota_day_walk(inst, k, d, items, n, &tr, NULL, NULL,
                                  NULL, NULL, NULL) != ROTA_DAY_OK)
                    bad++;
                if (tr != s->day[di].travel)
                    bad++;
                used += tr;
                travel += tr;
            }
            if (used != s->used[k * h->W + w] ||
                used > inst->staff[k].capacity + 1e-9)
                bad++;
            tot += used;
        }
        if (tot != s->tot[k])
            bad++;
    }
    if (travel != s->travel)
        bad++;
    return bad;
}

/* ---- precomputation --------------------------------------------------- */

static int grow(void **p, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return 0;
    int c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, (size_t)c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Slot change and preference cost of visit v at (d, t). */
static double start_cost(const rota_heur *h, int v, int d, int t)
{
    return h_soft_cost(h, v, -1, d, t) -
           (h->inst->visits[v].current.staff >= 0 ? h->inst->w_continuity : 0);
}

/* The slot-grid starts of visit v on each day inside its windows (and its
 * pin), sorted and without duplicates. */
static int build_starts(rota_heur *h)
{
    const rota_instance *inst = h->inst;
    int cap = 0, n = 0, sl = inst->slot_minutes > 0 ? inst->slot_minutes : 1;
    h->st_off = malloc(((size_t)h->V * 7 + 1) * sizeof *h->st_off);
    if (!h->st_off)
        return -1;
    for (int v = 0; v < h->V; v++) {
        const rota_visit *x = &inst->visits[v];
        for (int d = 0; d < ROTA_DAYS; d++) {
            h->st_off[v * 7 + d] = n;
            if (x->pin.day >= 0 && x->pin.day != d)
                continue;
            int first = n;
            for (int i = 0; i < x->windows[d].n; i++) {
                rota_span sp = x->windows[d].v[i];
                for (int t = (sp.start + sl - 1) / sl * sl;
                     t + x->minutes <= sp.end; t += sl) {
                    if (x->pin.start >= 0 && t != x->pin.start)
                        continue;
                    if (grow((void **)&h->st, &cap, n + 1, sizeof *h->st) < 0)
                        return -1;
                    h->st[n++] = (h_start){t, (float)start_cost(h, v, d, t)};
                }
            }
            qsort(h->st + first, (size_t)(n - first), sizeof *h->st, cmp_int);
            int m = first;
            for (int j = first; j < n; j++)
                if (m == first || h->st[j].t != h->st[m - 1].t)
                    h->st[m++] = h->st[j];
            n = m;
        }
    }
    h->st_off[h->V * 7] = n;
    return 0;
}

/* Whether staff k may take visit v (rule 2.1, and k may hold a site). */
int h_may_take(const rota_heur *h, int v, int k)
{
    for (int i = h->elig_off[v]; i < h->elig_off[v + 1]; i++)
        if (h->elig[i] == k)
            return 1;
    return 0;
}

static int build_elig(rota_heur *h)
{
    const rota_instance *inst = h->inst;
    int n = 0, cap = 0;
    h->elig_off = malloc(((size_t)h->V + 1) * sizeof *h->elig_off);
    if (!h->elig_off)
        return -1;
    for (int v = 0; v < h->V; v++) {
        h->elig_off[v] = n;
        for (int k = 0; k < h->S; k++) {
            if (!rota_staff_may_take(inst, k, v) ||
                inst->staff[k].max_sites == 0)
                continue;
            if (grow((void **)&h->elig, &cap, n + 1, sizeof *h->elig) < 0)
                return -1;
            h->elig[n++] = k;
        }
    }
    h->elig_off[h->V] = n;
    if (!h->elig && !(h->elig = malloc(sizeof *h->elig)))
        return -1;
    return 0;
}

/* A visit and its distance from another, sorted by (dist, visit). */
typedef struct h_pair {
    int dist, id;
} h_pair;

static int cmp_pair(const void *a, const void *b)
{
    const h_pair *x = a, *y = b;
    if (x->dist != y->dist)
        return x->dist < y->dist ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

#define NEAR_K 24

/* For each visit, the NEAR_K nearest other visits (by legs both ways):
 * the "related" destroy operator removes neighbourhoods. */
static int build_near(rota_heur *h)
{
    int V = h->V, K = V - 1 < NEAR_K ? V - 1 : NEAR_K;
    if (K < 0)
        K = 0;
    h->near_off = malloc(((size_t)V + 1) * sizeof *h->near_off);
    h->near = malloc(((size_t)V * K + 1) * sizeof *h->near);
    h_pair *all = malloc(((size_t)V + 1) * sizeof *all);
    if (!h->near_off || !h->near || !all) {
        free(all);
        return -1;
    }
    const rota_instance *inst = h->inst;
    for (int v = 0; v < V; v++) {
        int n = 0, p = h->place[v];
        for (int x = 0; x < V; x++)
            if (x != v)
                all[n++] = (h_pair){leg(inst, p, h->place[x]) +
                                    leg(inst, h->place[x], p), x};
        qsort(all, (size_t)n, sizeof *all, cmp_pair);
        h->near_off[v] = v * K;
        for (int i = 0; i < K; i++)
            h->near[(size_t)v * K + i] = all[i].id;
    }
    h->near_off[V] = V * K;
    free(all);
    return 0;
}

static int build_units(rota_heur *h)
{
    const rota_instance *inst = h->inst;
    h->unit_of = malloc(((size_t)h->V + 1) * sizeof *h->unit_of);
    h->u_v1 = malloc(((size_t)h->V + 1) * sizeof *h->u_v1);
    h->u_v2 = malloc(((size_t)h->V + 1) * sizeof *h->u_v2);
    h->u_ncand = calloc((size_t)h->V + 1, sizeof *h->u_ncand);
    h->u_need = malloc(((size_t)h->V + 1) * sizeof *h->u_need);
    if (!h->unit_of || !h->u_v1 || !h->u_v2 || !h->u_ncand || !h->u_need)
        return -1;
    for (int v = 0; v < h->V; v++)
        h->unit_of[v] = -1;
    for (int v = 0; v < h->V; v++) {
        if (h->unit_of[v] >= 0)
            continue;
        int p = inst->visits[v].partner;
        int u = h->n_units++;
        h->u_v1[u] = v;
        h->u_v2[u] = (p >= 0 && p != v && h->unit_of[p] < 0) ? p : -1;
        h->unit_of[v] = u;
        if (h->u_v2[u] >= 0)
            h->unit_of[p] = u;
        h->u_need[u] = inst->sites[inst->visits[v].site].need;
    }
    return 0;
}

/* Counts each unit's feasible insertions into the empty roster: the
 * construction's "least flexible first". */
static void count_candidates(rota_heur *h)
{
    for (int u = 0; u < h->n_units; u++) {
        int v1 = h->u_v1[u], v2 = h->u_v2[u], n = 0;
        if (v2 >= 0) {
            h_cand c = {-1, -1, -1, -1, -1, -1, INFINITY};
            best_joint(h, v1, v2, &c, 0);
            int pp[16][2], np = joint_phases(h, v1, v2, pp);
            if (c.k >= 0)
                for (int d = 0; d < ROTA_DAYS; d++)
                    for (int j = h->st_off[v1 * 7 + d]; j < h->st_off[v1 * 7 + d + 1]; j++)
                        n += start_in(h, v2, d, h->st[j].t) ? np : 0;
        } else {
            for (int j = h->elig_off[v1]; j < h->elig_off[v1 + 1]; j++) {
                int k = h->elig[j];
                for (int d = 0; d < ROTA_DAYS; d++)
                    for (int i = h->st_off[v1 * 7 + d]; i < h->st_off[v1 * 7 + d + 1]; i++)
                        for (int p = 1; p <= h->every[v1]; p++) {
                            int dt, t = h->st[i].t;
                            if (span_has(&h->inst->staff[k].avail[d], t,
                                         t + h->minutes[v1]) &&
                                place_cost(h, v1, k, d, t, p, &dt) < INFINITY)
                                n++;
                        }
            }
        }
        h->u_ncand[u] = n;
    }
}

static int alloc_visit_arrays(rota_heur *h)
{
    const rota_instance *inst = h->inst;
    size_t V = (size_t)h->V + 1;
    h->minutes = malloc(V * sizeof *h->minutes);
    h->place = malloc(V * sizeof *h->place);
    h->every = malloc(V * sizeof *h->every);
    h->cap_inv = malloc(((size_t)h->S + 1) * sizeof *h->cap_inv);
    if (!h->minutes || !h->place || !h->every || !h->cap_inv)
        return -1;
    for (int v = 0; v < h->V; v++) {
        h->minutes[v] = inst->visits[v].minutes;
        h->place[v] = rota_visit_place(inst, v);
        h->every[v] = inst->visits[v].every_weeks;
    }
    for (int k = 0; k < h->S; k++)
        h->cap_inv[k] = 1.0 / (h->W * inst->staff[k].capacity);
    return 0;
}

/* Most visits one day can hold: max_visits_per_day, but no more than fit
 * in a day by their minutes (bounds the item arrays). */
static int max_per_day(const rota_instance *inst)
{
    int shortest = 24 * 60;
    for (int v = 0; v < inst->n_visits; v++)
        if (inst->visits[v].minutes < shortest)
            shortest = inst->visits[v].minutes;
    int fit = 24 * 60 / (shortest > 0 ? shortest : 1) + 1;
    int m = inst->max_visits_per_day;
    if (m > fit)
        m = fit;
    if (m > inst->n_visits)
        m = inst->n_visits;
    if (m > HEUR_MAX_DAY)
        m = HEUR_MAX_DAY;
    return m > 0 ? m : 1;
}

/* Whether who takes a visit changes its soft cost (continuity). */
static int staff_matters(const rota_instance *inst)
{
    if (inst->w_continuity == 0)
        return 0;
    for (int v = 0; v < inst->n_visits; v++)
        if (inst->visits[v].current.staff >= 0)
            return 1;
    return 0;
}

rota_heur *rota_heur_new(const rota_instance *inst, unsigned seed,
                         int verbosity)
{
    rota_heur *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->inst = inst;
    h->S = inst->n_staff;
    h->V = inst->n_visits;
    h->W = inst->cycle_weeks;
    h->maxv = max_per_day(inst);
    h->hard = !inst->coverage_soft;
    h->w_travel_w = inst->w_travel / h->W;
    h->w_bal = inst->w_balance * 100.0;
    h->verbosity = verbosity;
    h->selftest = getenv("ROTA_HEUR_SELFTEST") != NULL;
    h->staff_matters = staff_matters(inst);
    h->rng = splitmix(seed) | 1;
    h->f_cur = h->f_best = INFINITY;
    if (alloc_visit_arrays(h) < 0 || build_elig(h) < 0 ||
        build_starts(h) < 0 || build_near(h) < 0 || build_units(h) < 0 ||
        h_state_init(h, &h->cur) < 0 || h_state_init(h, &h->best) < 0 ||
        h_state_init(h, &h->save) < 0 || h_state_init(h, &h->trial) < 0)
        goto fail;
    h->gmax = h->maxv + 1;
    for (int k = 0; k < h->S; k++)
        for (int d = 0; d < ROTA_DAYS; d++)
            if (inst->staff[k].seg[d].n + h->maxv + 1 > h->gmax)
                h->gmax = inst->staff[k].seg[d].n + h->maxv + 1;
    h->gaps = malloc((size_t)h->gmax * h->W * sizeof *h->gaps);
    h->lanes = malloc(2 * ((size_t)h->S + 1) * sizeof *h->lanes);
    h->lgaps = malloc(2 * ((size_t)h->S + 1) * h->W * h->gmax * sizeof *h->lgaps);
    h->tmp = rota_roster_new(inst);
    h->scratch = malloc(3 * ((size_t)h->V + 64) * sizeof *h->scratch);
    h->cands = malloc(((size_t)h->n_units + 1) * sizeof *h->cands);
    h->rbest = malloc(((size_t)h->n_units * (h->S + 1) + 1) * sizeof *h->rbest);
    h->rcand = malloc(((size_t)h->n_units * (h->S + 1) + 1) * sizeof *h->rcand);
    if (!h->gaps || !h->lanes || !h->lgaps || !h->tmp || !h->scratch || !h->cands || !h->rbest || !h->rcand)
        goto fail;
    h_balance_refresh(h);
    count_candidates(h);
    h->f_cur = h_objective(h, &h->cur);
    return h;
fail:
    rota_heur_free(h);
    return NULL;
}

void rota_heur_free(rota_heur *h)
{
    if (!h)
        return;
    free(h->minutes);
    free(h->place);
    free(h->every);
    free(h->unit_of);
    free(h->cap_inv);
    free(h->elig_off);
    free(h->elig);
    free(h->st_off);
    free(h->st);
    free(h->near_off);
    free(h->near);
    free(h->u_v1);
    free(h->u_v2);
    free(h->u_ncand);
    free(h->u_need);
    h_state_free(&h->cur);
    h_state_free(&h->best);
    h_state_free(&h->save);
    h_state_free(&h->trial);
    rota_roster_free(h->tmp);
    free(h->scratch);
    free(h->gaps);
    free(h->lanes);
    free(h->lgaps);
    free(h->cands);
    free(h->rbest);
    free(h->rcand);
    free(h);
}

void rota_heur_set_limits(rota_heur *h, const rota_heur_limits *lim)
{
    h->lim = *lim;
}

/* ---- construction and descent ----------------------------------------- */

/* Construction order: joint pairs first, then (soft coverage) the
 * neediest, then the fewest feasible insertions, then the longest visit;
 * folded into one integer key per unit so the sort needs no context. */
static int construct_key(const rota_heur *h, int u)
{
    int key = h->u_v2[u] >= 0 ? 0 : 1 << 29;
    if (!h->hard) {
        int need = (int)fmin(99, fmax(0, h->u_need[u] * 4));
        key += (99 - need) << 22;
    }
    int nc = h->u_ncand[u] < (1 << 15) ? h->u_ncand[u] : (1 << 15) - 1;
    key += nc << 7;
    int m = h->minutes[h->u_v1[u]];
    return key + (m < 127 ? 127 - m : 0);
}

void rota_heur_construct(rota_heur *h)
{
    h_pair *key = malloc(((size_t)h->n_units + 1) * sizeof *key);
    int *order = h->scratch;
    for (int u = 0; u < h->n_units; u++)
        order[u] = u;
    if (key) {
        for (int u = 0; u < h->n_units; u++)
            key[u] = (h_pair){construct_key(h, u), u};
        qsort(key, (size_t)h->n_units, sizeof *key, cmp_pair);
        for (int u = 0; u < h->n_units; u++)
            order[u] = key[u].id;
        free(key);
    }
    h_repair_greedy(h, order, h->n_units, -1, 0);
    h->f_cur = h_objective(h, &h->cur);
    if (h->f_cur < h->f_best)
        h_new_best(h);
}

/* One pass of single-unit moves: each unit goes to its best place if that
 * is better than where it is.  Returns the number of moves. */
static int descend_pass(rota_heur *h)
{
    int moved = 0;
    for (int u = 0; u < h->n_units && !h_stopped(h); u++) {
        int v1 = h->u_v1[u], v2 = h->u_v2[u];
        h_cand old = {-1, -1, -1, -1, -1, -1, 0}, c;
        double f0 = h->f_cur;
        if (h->cur.asg[v1].staff >= 0) {
            if (!h_can_remove(h, u))
                continue;
            h_asg a = h->cur.asg[v1];
            old = (h_cand){a.staff, a.day, a.start, a.phase, -1, -1, 0};
            if (v2 >= 0) {
                old.k2 = h->cur.asg[v2].staff;
                old.p2 = h->cur.asg[v2].phase;
            }
            h_remove(h, u);
        }
        double f1 = h_objective(h, &h->cur);
        if (h_best_insert(h, u, -1, &c, 0) && f1 + c.cost < f0 - 1e-7) {
            h_insert(h, u, &c);
            moved++;
        } else if (old.k >= 0) {
            h_insert(h, u, &old);
        }
        h->f_cur = h_objective(h, &h->cur);
    }
    return moved;
}

void rota_heur_descend(rota_heur *h)
{
    for (int pass = 0; pass < 20 && !h_stopped(h); pass++)
        if (descend_pass(h) == 0) {
            if (h_swap_days(h) == 0)
                break;
            h->f_cur = h_objective(h, &h->cur);
        }
    if (h->f_cur < h->f_best - 1e-9)
        h_new_best(h);
}

void rota_heur_best(const rota_heur *h, rota_roster *out)
{
    h_to_roster(h, &h->best, out);
}

double rota_heur_best_objective(const rota_heur *h)
{
    return h->f_best;
}

int rota_heur_best_missing(const rota_heur *h)
{
    return h->hard ? h->best.n_unc : 0;
}

long rota_heur_iterations(const rota_heur *h)
{
    return h->iter;
}

long rota_heur_improvements(const rota_heur *h)
{
    return h->improvements;
}
