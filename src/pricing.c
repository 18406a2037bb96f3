/* pricing.c - staff-day patterns: figures, candidates, the pricer.
 *
 * Candidates of (k, d): every (v, t, p) with rule 2.1 (role, staff_allowed,
 * districts, pin), rule 2.3 (slot grid, windows, availability), t inside
 * one tour segment s of (k, d) with room for the cheapest leg into the
 * visit's place and the cheapest leg out of it:
 *
 *   start(s) <= t - min_in(place),   t + minutes + min_out(place) <= end(s)
 *
 * (every visit of a feasible day is reached by a leg that departs in its
 * segment and left by one that arrives in it), and for a joint visit a
 * partner that some staff member could hold at (d, t) with the same weeks.
 * These are necessary conditions only, so no feasible column is lost; the
 * search (pricing_rcsp.c) enforces the rest.
 *
 * Column figures (pricing.h) come from the evaluator's own day walk.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pricing_int.h"
#include "staff_class.h"

/* ---- column figures -------------------------------------------------- */

int rota_item_cmp(const void *a, const void *b)
{
    const rota_item *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->visit != y->visit)
        return x->visit < y->visit ? -1 : 1;
    return (x->phase > y->phase) - (x->phase < y->phase);
}

double rota_item_soft_cost(const rota_instance *inst, int staff, int day,
                           const rota_item *it)
{
    const rota_visit *v = &inst->visits[it->visit];
    double c = 0;
    if (v->current.staff >= 0 && v->current.staff != staff)
        c += inst->w_continuity;
    if ((v->current.day >= 0 && v->current.day != day) ||
        (v->current.start >= 0 && v->current.start != it->start))
        c += inst->w_slot_change;
    if (!rota_visit_preferred_ok(inst, it->visit, day, it->start))
        c += inst->w_preference;
    return c;
}

/* Rules 2.1 and 2.3 for one item of (staff, day). */
static int item_ok(const rota_instance *inst, int staff, int day,
                   const rota_item *it)
{
    if (it->visit < 0 || it->visit >= inst->n_visits)
        return 0;
    const rota_visit *v = &inst->visits[it->visit];
    if (it->phase < 1 || it->phase > v->every_weeks)
        return 0;
    if (!rota_staff_may_take(inst, staff, it->visit))
        return 0;
    if ((v->pin.day >= 0 && v->pin.day != day) ||
        (v->pin.start >= 0 && v->pin.start != it->start))
        return 0;
    return rota_visit_time_ok(inst, staff, it->visit, day, it->start);
}

#define FIG_MAX_ITEMS 64

int rota_col_figures(const rota_instance *inst, int staff, int day,
                     rota_item *items, int n, rota_colfig *fig)
{
    int W = inst->cycle_weeks;
    rota_day_item di[FIG_MAX_ITEMS];
    if (n < 1 || n > FIG_MAX_ITEMS || staff < 0 || staff >= inst->n_staff ||
        day < 0 || day >= ROTA_DAYS)
        return -1;
    qsort(items, (size_t)n, sizeof *items, rota_item_cmp);
    memset(fig, 0, sizeof *fig);
    long trav = 0;
    for (int i = 0; i < n; i++) {
        if (!item_ok(inst, staff, day, &items[i]))
            return -1;
        for (int j = 0; j < i; j++)
            if (items[j].visit == items[i].visit)
                return -1;
        fig->cost += rota_item_soft_cost(inst, staff, day, &items[i]);
    }
    for (int w = 0; w < W; w++) {
        int m = 0, minutes = 0, t = 0;
        for (int i = 0; i < n; i++) {
            const rota_visit *v = &inst->visits[items[i].visit];
            if (!(rota_phase_weeks(v->every_weeks, items[i].phase, W) &
                  (1u << w)))
                continue;
            di[m++] = (rota_day_item){items[i].visit, items[i].start};
            minutes += v->minutes;
        }
        if (m && rota_day_walk(inst, staff, day, di, m, &t, NULL, NULL, NULL,
                               NULL, NULL) != ROTA_DAY_OK)
            return -1;
        fig->travel[w] = t;
        fig->load[w] = minutes + t;
        fig->total += minutes + t;
        trav += t;
    }
    fig->cost += inst->w_travel * (double)trav / W;
    return 0;
}

/* Index of the segment of (staff, day) holding [t, end], -1 when none. */
static int seg_of(const rota_spans *seg, int t, int end)
{
    for (int s = 0; s < seg->n; s++)
        if (seg->v[s].start <= t && end <= seg->v[s].end)
            return s;
    return -1;
}

/* Whether the joint partner of v could be at (day, start, weeks) at all. */
static int partner_possible(const rota_instance *inst, int v, int day,
                            int start)
{
    int u = inst->visits[v].partner;
    if (u < 0)
        return 1;
    const rota_visit *pv = &inst->visits[u];
    if (pv->every_weeks != inst->visits[v].every_weeks)
        return 0;
    if ((pv->pin.day >= 0 && pv->pin.day != day) ||
        (pv->pin.start >= 0 && pv->pin.start != start))
        return 0;
    for (int k = 0; k < inst->n_staff; k++)
        if (rota_staff_may_take(inst, k, u) &&
            rota_visit_time_ok(inst, k, u, day, start) &&
            seg_of(&inst->staff[k].seg[day], start, start + pv->minutes) >= 0)
            return 1;
    return 0;
}

static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->visit != y->visit)
        return x->visit < y->visit ? -1 : 1;
    return (x->phase > y->phase) - (x->phase < y->phase);
}

/* Whether (staff, visit) may hold `start` on `day`: rules 2.1 and 2.3, a
 * segment that holds the visit with room for the cheapest legs in and out
 * (min_in, min_out), and a possible partner. */
static int start_ok(const rota_pricer *p, int k, int d, int v, int t,
                    int min_in, int *seg)
{
    const rota_instance *inst = p->inst;
    const rota_visit *x = &inst->visits[v];
    if (x->pin.start >= 0 && x->pin.start != t)
        return 0;
    if (!rota_visit_time_ok(inst, k, v, d, t))
        return 0;
    const rota_spans *sg = &inst->staff[k].seg[d];
    int s = seg_of(sg, t, t + x->minutes);
    int place = rota_visit_place(inst, v);
    if (s < 0 || t - min_in < sg->v[s].start ||
        t + x->minutes + p->min_out[place] > sg->v[s].end)
        return 0;
    *seg = s;
    return partner_possible(inst, v, d, t);
}

/* Appends the candidates of visit v to kd (grows *cap). */
static int add_visit_cands(rota_pricer *p, kdata *kd, int v, int min_in,
                           int *cap)
{
    const rota_instance *inst = p->inst;
    const rota_visit *x = &inst->visits[v];
    int k = kd->staff, d = kd->day;
    for (int t = 0; t + x->minutes <= 24 * 60; t += inst->slot_minutes) {
        int s;
        if (!start_ok(p, k, d, v, t, min_in, &s))
            continue;
        for (int ph = 1; ph <= x->every_weeks; ph++) {
            if (kd->n_cand == *cap) {
                int nc = *cap ? 2 * *cap : 64;
                cand *c = realloc(kd->c, (size_t)nc * sizeof *c);
                if (!c)
                    return -1;
                kd->c = c;
                *cap = nc;
            }
            rota_item it = {v, t, ph};
            kd->c[kd->n_cand++] = (cand){
                .visit = v, .start = t, .end = t + x->minutes, .phase = ph,
                .seg = s, .place = rota_visit_place(inst, v),
                .weeks = rota_phase_weeks(x->every_weeks, ph, inst->cycle_weeks),
                .n_weeks = __builtin_popcount(
                    rota_phase_weeks(x->every_weeks, ph, inst->cycle_weeks)),
                .joint = x->partner >= 0,
                .soft = rota_item_soft_cost(inst, k, d, &it)};
        }
    }
    return 0;
}

static int min_leg_in(const rota_instance *inst, int place)
{
    int best = INT32_MAX;
    for (int q = 0; q < inst->n_places; q++)
        if (q != place && inst->travel[q * inst->n_places + place] >= 0)
            best = best < pr_leg(inst, q, place) ? best : pr_leg(inst, q, place);
    return best == INT32_MAX ? 0 : best;
}

/* Local visit indices: lv of every candidate, lv_visit, lv_place. */
static int local_visits(const rota_instance *inst, kdata *kd)
{
    int n = kd->n_cand;
    int *lv_of = malloc((size_t)inst->n_visits * sizeof *lv_of);
    kd->lv_visit = malloc((size_t)(n ? n : 1) * sizeof *kd->lv_visit);
    kd->lv_place = malloc((size_t)(n ? n : 1) * sizeof *kd->lv_place);
    if (!lv_of || !kd->lv_visit || !kd->lv_place) {
        free(lv_of);
        return -1;
    }
    for (int v = 0; v < inst->n_visits; v++)
        lv_of[v] = -1;
    for (int i = 0; i < n; i++) {
        cand *c = &kd->c[i];
        if (lv_of[c->visit] < 0) {
            lv_of[c->visit] = kd->n_lv;
            kd->lv_place[kd->n_lv] = c->place;
            kd->lv_visit[kd->n_lv++] = c->visit;
        }
        c->lv = lv_of[c->visit];
    }
    free(lv_of);
    return 0;
}

/* Groups candidates by (local visit, phase, segment), members by start. */
static int build_groups(kdata *kd)
{
    int n = kd->n_cand, nkey = kd->n_lv * ROTA_MAX_WEEKS * kd->n_seg;
    int *gid = malloc((size_t)(nkey ? nkey : 1) * sizeof *gid);
    kd->g = malloc((size_t)(n ? n : 1) * sizeof *kd->g);
    kd->gmem = malloc((size_t)(n ? n : 1) * sizeof *kd->gmem);
    if (!gid || !kd->g || !kd->gmem) {
        free(gid);
        return -1;
    }
    for (int i = 0; i < nkey; i++)
        gid[i] = -1;
    for (int i = 0; i < n; i++) {
        cand *c = &kd->c[i];
        int key = (c->lv * ROTA_MAX_WEEKS + c->phase - 1) * kd->n_seg + c->seg;
        if (gid[key] < 0) {
            gid[key] = kd->n_group;
            kd->g[kd->n_group++] = (group){.lv = c->lv, .seg = c->seg,
                .place = c->place, .minutes = c->end - c->start,
                .weeks = c->weeks};
        }
        c->group = gid[key];
        kd->g[c->group].n++;
    }
    int pos = 0;
    for (int g = 0; g < kd->n_group; g++) {
        kd->g[g].first = pos;
        pos += kd->g[g].n;
        kd->g[g].n = 0;
    }
    for (int i = 0; i < n; i++) {       /* candidates are by start already */
        group *g = &kd->g[kd->c[i].group];
        kd->gmem[g->first + g->n++] = i;
        g->last_start = kd->c[i].start;
    }
    free(gid);
    return 0;
}

/* Lane w's candidates in blocks of (local visit, segment), by start. */
static int build_lane(kdata *kd, int w)
{
    lanelist *L = &kd->lane[w];
    int n = kd->n_cand, nb = kd->n_lv * kd->n_seg;
    L->idx = malloc((size_t)(n ? n : 1) * sizeof *L->idx);
    L->pos = malloc((size_t)(n ? n : 1) * sizeof *L->pos);
    L->off = calloc((size_t)nb + 2, sizeof *L->off);
    if (!L->idx || !L->pos || !L->off)
        return -1;
    for (int i = 0; i < n; i++)
        if (kd->c[i].weeks & (1u << w))
            L->off[kd->c[i].lv * kd->n_seg + kd->c[i].seg + 1]++;
    for (int b = 0; b < nb; b++)
        L->off[b + 1] += L->off[b];
    L->n = L->off[nb];
    for (int i = 0; i < n; i++) {
        const cand *c = &kd->c[i];
        L->pos[i] = -1;
        if (!(c->weeks & (1u << w)))
            continue;
        int b = c->lv * kd->n_seg + c->seg;
        L->pos[i] = L->off[b];
        L->idx[L->off[b]++] = i;
    }
    for (int b = nb; b > 0; b--)        /* shift the offsets back */
        L->off[b] = L->off[b - 1];
    L->off[0] = 0;
    return 0;
}

/* (leg, place) pairs by leg, then place. */
static int leg_cmp(const void *x, const void *y)
{
    const int *a = x, *b = y;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return (a[1] > b[1]) - (a[1] < b[1]);
}

/* order[a * P + i]: the places by leg from place a, least first (ties to
 * the lower index), for every place a; NULL when out of memory. */
static int *places_by_leg(const rota_instance *inst)
{
    int P = inst->n_places;
    int *order = malloc((size_t)P * P * sizeof *order + 1);
    int *pair = malloc((size_t)(2 * P + 2) * sizeof *pair);
    if (!order || !pair) {
        free(order);
        free(pair);
        return NULL;
    }
    for (int a = 0; a < P; a++) {
        for (int b = 0; b < P; b++) {
            pair[2 * b] = pr_leg(inst, a, b);
            pair[2 * b + 1] = b;
        }
        if (P > 1)
            qsort(pair, (size_t)P, 2 * sizeof *pair, leg_cmp);
        for (int i = 0; i < P; i++)
            order[(size_t)a * P + i] = pair[2 * i + 1];
    }
    free(pair);
    return order;
}

/* For every local visit: its PR_NEAR nearest other visits (by leg) and
 * the least leg to any other one.  Walks the places by leg from its own
 * (`order`, shared by every (k, d)): PR_NEAR selection passes over all
 * visits per visit took a quarter of a 15 s run on national-600, before
 * the column generation thread could look at its clock. */
static int build_near(const rota_instance *inst, kdata *kd, const int *order)
{
    int n = kd->n_lv, P = inst->n_places;
    kd->n_near = n - 1 < PR_NEAR ? n - 1 : PR_NEAR;
    if (kd->n_near < 0)
        kd->n_near = 0;
    kd->near = malloc((size_t)(n * kd->n_near + 1) * sizeof *kd->near);
    kd->far_leg = malloc((size_t)(n + 1) * sizeof *kd->far_leg);
    int *head = malloc((size_t)(P + 1) * sizeof *head);
    int *next = malloc((size_t)(n + 1) * sizeof *next);
    if (!kd->near || !kd->far_leg || !head || !next) {
        free(head);
        free(next);
        return -1;
    }
    for (int q = 0; q < P; q++)
        head[q] = -1;
    for (int b = n - 1; b >= 0; b--) {  /* lists by place, lower lv first */
        next[b] = head[kd->lv_place[b]];
        head[kd->lv_place[b]] = b;
    }
    for (int a = 0; a < n; a++) {
        const int *row = order + (size_t)kd->lv_place[a] * P;
        int found = 0;
        kd->far_leg[a] = -1;
        for (int i = 0; i < P && found <= kd->n_near; i++)
            for (int b = head[row[i]]; b >= 0 && found <= kd->n_near;
                 b = next[b]) {
                if (b == a)
                    continue;
                if (found < kd->n_near)
                    kd->near[a * kd->n_near + found] = b;
                else
                    kd->far_leg[a] = pr_leg(inst, kd->lv_place[a], row[i]);
                found++;
            }
    }
    free(head);
    free(next);
    return 0;
}

/* All candidates of (k, d). */
static int build_kd(rota_pricer *p, kdata *kd, const int *min_in,
                    const int *order)
{
    const rota_instance *inst = p->inst;
    int cap = 0;
    if (inst->staff[kd->staff].seg[kd->day].n == 0)
        return 0;
    for (int v = 0; v < inst->n_visits; v++) {
        const rota_visit *x = &inst->visits[v];
        if (!rota_staff_may_take(inst, kd->staff, v) ||
            (x->pin.day >= 0 && x->pin.day != kd->day) ||
            x->windows[kd->day].n == 0)
            continue;
        if (add_visit_cands(p, kd, v, min_in[rota_visit_place(inst, v)],
                            &cap) < 0)
            return -1;
    }
    if (kd->n_cand > 1) /* qsort(NULL, 0, ...) is undefined */
        qsort(kd->c, (size_t)kd->n_cand, sizeof *kd->c, cand_cmp);
    kd->n_seg = inst->staff[kd->staff].seg[kd->day].n;
    if (local_visits(inst, kd) < 0 || build_groups(kd) < 0 ||
        build_near(inst, kd, order) < 0)
        return -1;
    for (int w = 0; w < p->W; w++)
        if (build_lane(kd, w) < 0)
            return -1;
    return 0;
}

static void kd_free(kdata *kd)
{
    free(kd->c);
    free(kd->g);
    free(kd->gmem);
    free(kd->lv_visit);
    free(kd->lv_place);
    free(kd->near);
    free(kd->far_leg);
    for (int w = 0; w < ROTA_MAX_WEEKS; w++) {
        free(kd->lane[w].idx);
        free(kd->lane[w].off);
        free(kd->lane[w].pos);
    }
}

void rota_pricer_free(rota_pricer *p)
{
    if (!p)
        return;
    if (p->kd)
        for (int i = 0; i < p->inst->n_staff * ROTA_DAYS; i++)
            kd_free(&p->kd[i]);
    free(p->kd);
    free(p->rep);
    free(p->min_out);
    free(p->lab);
    free(p->vis);
    free(p->dsig);
    free(p->drec);
    free(p->bucket);
    free(p->price);
    free(p->next_better);
    free(p->mark);
    free(p->active);
    free(p->lv_best);
    free(p->lv_sr);
    free(p->visit_lv);
    free(p->lb_g);
    free(p->lb_sm);
    free(p->lb_h);
    free(p->lb_cell);
    free(p->lb_suf);
    free(p->lb_g0);
    free(p->lb_group);
    free(p->lb_gsuf);
    free(p->heap);
    free(p->heap_rc);
    free(p);
}

/* Per-call scratch sized for the largest (k, d). */
static int alloc_scratch(rota_pricer *p)
{
    int max_c = 1, max_lv = 1, max_s = 1, W = p->W, P1 = p->P1;
    for (int i = 0; i < p->inst->n_staff * ROTA_DAYS; i++) {
        kdata *kd = &p->kd[i];
        max_c = kd->n_cand > max_c ? kd->n_cand : max_c;
        max_lv = kd->n_lv > max_lv ? kd->n_lv : max_lv;
        max_s = kd->n_seg > max_s ? kd->n_seg : max_s;
    }
    p->max_cand = max_c;
    p->max_seg = max_s;
    p->bucket = malloc((size_t)max_c * sizeof *p->bucket);
    p->price = malloc((size_t)max_c * sizeof *p->price);
    p->next_better = malloc((size_t)max_c * sizeof *p->next_better);
    p->mark = calloc((size_t)max_lv, 1);
    p->active = calloc((size_t)max_lv, 1);
    p->lv_best = malloc((size_t)max_lv * sizeof *p->lv_best);
    p->lv_sr = calloc(((size_t)max_lv + 1) * PR_SR_WORDS, sizeof *p->lv_sr);
    p->visit_lv = malloc(((size_t)p->inst->n_visits + 1) * sizeof *p->visit_lv);
    for (int v = 0; p->visit_lv && v < p->inst->n_visits; v++)
        p->visit_lv[v] = -1;
    p->lb_g = malloc((size_t)max_c * W * P1 * sizeof *p->lb_g);
    p->lb_sm = malloc((size_t)max_c * W * P1 * sizeof *p->lb_sm);
    p->lb_h = malloc((size_t)max_s * P1 * sizeof *p->lb_h);
    p->n_slots = 24 * 60 / p->inst->slot_minutes + 1;
    p->lb_cell = malloc((size_t)max_s * p->n_slots * P1 * sizeof *p->lb_cell);
    p->lb_suf = malloc((size_t)max_s * (p->n_slots + 1) * P1 *
                       sizeof *p->lb_suf);
    p->lb_g0 = malloc((size_t)W * P1 * sizeof *p->lb_g0);
    p->lb_group = malloc((size_t)max_c * sizeof *p->lb_group);
    p->lb_gsuf = malloc((size_t)max_c * P1 * sizeof *p->lb_gsuf);
    return p->lv_sr && p->visit_lv && p->lb_cell && p->lb_suf && p->active && p->lv_best && p->lb_group && p->lb_gsuf && p->bucket && p->price && p->next_better &&
           p->mark && p->lb_g && p->lb_sm && p->lb_h && p->lb_g0 ? 0 : -1;
}

rota_pricer *rota_pricer_new(const rota_instance *inst)
{
    rota_pricer *p = calloc(1, sizeof *p);
    int *min_in = NULL, *order = NULL;
    if (!p)
        return NULL;
    p->inst = inst;
    p->W = inst->cycle_weeks;
    p->maxpd = inst->max_visits_per_day;
    p->maxtrav = inst->max_travel_per_day;
    p->nmax = p->maxpd * p->W;
    if (p->nmax > 255)
        p->nmax = 255;
    if (p->nmax < 1)
        p->nmax = 1;
    p->P1 = p->maxpd + 1;
    p->kd = calloc((size_t)inst->n_staff * ROTA_DAYS, sizeof *p->kd);
    p->rep = malloc((size_t)(inst->n_staff + 1) * sizeof *p->rep);
    p->min_out = malloc((size_t)inst->n_places * sizeof *p->min_out);
    min_in = malloc((size_t)inst->n_places * sizeof *min_in);
    order = places_by_leg(inst);
    if (!p->kd || !p->rep || !p->min_out || !min_in || !order ||
        rota_staff_classes(inst, p->rep) < 0)
        goto fail;
    if (getenv("ROTA_CG_NO_SYMMETRY"))      /* tests compare both ways */
        for (int k = 0; k < inst->n_staff; k++)
            p->rep[k] = k;
    for (int a = 0; a < inst->n_places; a++) {
        int best = INT32_MAX;
        for (int b = 0; b < inst->n_places; b++)
            if (b != a && inst->travel[a * inst->n_places + b] >= 0 &&
                pr_leg(inst, a, b) < best)
                best = pr_leg(inst, a, b);
        p->min_out[a] = best == INT32_MAX ? 0 : best;
        min_in[a] = min_leg_in(inst, a);
    }
    for (int k = 0; k < inst->n_staff; k++)
        for (int d = 0; d < ROTA_DAYS; d++) {
            kdata *kd = &p->kd[k * ROTA_DAYS + d];
            kd->staff = k;
            kd->day = d;
            if (p->rep[k] == k && build_kd(p, kd, min_in, order) < 0)
                goto fail;
        }
    if (alloc_scratch(p) < 0)
        goto fail;
    free(min_in);
    free(order);
    return p;
fail:
    free(min_in);
    free(order);
    rota_pricer_free(p);
    return NULL;
}

const int *rota_pricer_classes(const rota_pricer *p)
{
    return p->rep;
}

long rota_pricer_candidates(const rota_pricer *p, int staff, int day)
{
    return p->kd[p->rep[staff] * ROTA_DAYS + day].n_cand;
}
