/* pricing_lb.c - a lower bound of whatever completes a label.
 *
 * Relaxation: each lane (cycle week) is priced on its own; a candidate of
 * weeks M counts price/|M| in each lane of M; order between lanes, the
 * travel limit and elementarity (except "not the same visit twice in a
 * row") are dropped.  For lane w, a candidate c just done (the lane is at
 * place P_c, ready at e_c, in segment s_c) and j more visits allowed in it:
 *
 *   g(c, j) = min of
 *     gamma_w back(c)                       stop: the leg home fits in s_c
 *     gamma_w leg(P_c, P') + V(c', j-1)     c' of lane w in s_c, another
 *                                           visit, t' >= e_c + leg(P_c, P')
 *     gamma_w back(c) + H(s', j-1)          go home, then any later s'
 *   V(c, j)  = price(c) / |M_c| + g(c, j)
 *   H(s, j)  = min over c' of lane w in s with t' - leg(o, P') >= start(s)
 *              of gamma_w leg(o, P') + V(c', j)
 *   g0(j)    = min(0, min_s H(s, j-1))      the lane not used yet
 *
 * (+infinity when no option exists: the lane cannot be completed.)  Every
 * completion of a label restricted to lane w is one of the paths this
 * recursion minimises over, and the price parts add up to the full prices,
 * so the completion costs at least sum_w g(last_w, maxpd - cnt_w).
 *
 * Computed backwards over the candidates in start order: when c is done,
 * every candidate that could follow it (a later start) already has its V,
 * kept as suffix minima per block (visit, segment) of lane w, so each
 * "next visit" option is one binary search per other visit.  Only the
 * PR_NEAR nearest visits get that; the rest share one relaxed option
 * (see lane_g): the cheapest leg to any of them, then the least V over the
 * candidates of the segment that start late enough after that leg.
 */
#include <math.h>

#include "pricing_int.h"

/* ---- top-2 by tag ----------------------------------------------------- */

static void t2_clear(top2 *t)
{
    *t = (top2){PR_INF, PR_INF, T2_NONE, T2_NONE};
}

/* Adds an option of value v and tag t: v1 stays the least value, v2 the
 * least of another tag than t1's. */
static void t2_add(top2 *x, double v, int t)
{
    if (v >= PR_INF)
        return;
    if (t == x->t1) {
        if (v < x->v1)
            x->v1 = v;
    } else if (v < x->v1) {
        x->v2 = x->v1;
        x->t2 = x->t1;
        x->v1 = v;
        x->t1 = t;
    } else if (t == x->t2 || v < x->v2) {
        if (v < x->v2) {
            x->v2 = v;
            x->t2 = t;
        }
    }
}

/* x = the options of x and y together (exact: y's best of any other tag
 * than a given one is y.v1 or y.v2). */
static void t2_merge(top2 *x, const top2 *y)
{
    t2_add(x, y->v1, y->t1);
    t2_add(x, y->v2, y->t2);
}

/* The least option whose tag is not `not`; its tag in *tag. */
static double t2_get(const top2 *x, int not, int *tag)
{
    if (x->t1 != not) {
        *tag = x->t1;
        return x->v1;
    }
    *tag = x->t2;
    return x->v2;
}

static top2 *g_at(const rota_pricer *p, int c, int w)
{
    return p->lb_g + ((size_t)c * p->W + w) * p->P1;
}

static top2 *sm_at(const rota_pricer *p, int w, int pos)
{
    return p->lb_sm + ((size_t)w * p->max_cand + pos) * p->P1;
}

/* First position in block [a, b) of lane L whose start is >= tau. */
static int lower_start(const kdata *kd, const lanelist *L, int a, int b,
                       int tau)
{
    while (a < b) {
        int m = (a + b) / 2;
        if (kd->c[L->idx[m]].start < tau)
            a = m + 1;
        else
            b = m;
    }
    return a;
}

/* The time grid of the far option: per segment s and slot q (start q *
 * slot_minutes), cell = least V of a candidate done so far starting at q,
 * suf = least V over the slots >= q, final for every slot above the one
 * being processed (processing goes backwards in start).  Tags: the
 * candidates' visits. */
static top2 *cell_at(const rota_pricer *p, int s, int q)
{
    return p->lb_cell + ((size_t)s * p->n_slots + q) * p->P1;
}

static top2 *suf_at(const rota_pricer *p, int s, int q)
{
    return p->lb_suf + ((size_t)s * (p->n_slots + 1) + q) * p->P1;
}

/* Least V over candidates of segment s starting at or after tau; NULL
 * when none can. */
static const top2 *time_min(const rota_pricer *p, int s, int tau)
{
    int q = (tau + p->inst->slot_minutes - 1) / p->inst->slot_minutes;
    if (q >= p->n_slots)
        return NULL;
    return suf_at(p, s, q);
}

/* Makes suf final for every slot above q (candidates before q come next). */
static void finalize_above(rota_pricer *p, int n_seg, int q, int *fin)
{
    for (; *fin > q + 1; (*fin)--)
        for (int s = 0; s < n_seg; s++) {
            const top2 *c = cell_at(p, s, *fin - 1);
            const top2 *next = suf_at(p, s, *fin);
            top2 *x = suf_at(p, s, *fin - 1);
            for (int j = 0; j < p->P1; j++) {
                x[j] = next[j];
                t2_merge(&x[j], &c[j]);
            }
        }
}

/* g(c, .) for lane w (see the top of the file), as top-2 by the next
 * visit (T2_STOP when none).  The next visit is never c's own: among the
 * PR_NEAR places nearest to c's exactly (and what follows it never comes
 * back to c's visit next: the block minima's second option); the farther
 * ones are bounded together by the cheapest leg to any of them plus the
 * least V of any candidate of another visit of the segment done so far (a
 * superset of the feasible ones): still a lower bound. */
static void lane_g(const rota_pricer *p, const kdata *kd, int w, int ci,
                   int office, const rota_spans *seg, top2 *g)
{
    const rota_instance *inst = p->inst;
    const lanelist *L = &kd->lane[w];
    const cand *c = &kd->c[ci];
    double gam = p->gamma[w];
    int P1 = p->P1, back = pr_leg(inst, c->place, office), tag;
    int closable = c->end + back <= seg->v[c->seg].end;
    for (int j = 0; j < P1; j++) {
        t2_clear(&g[j]);
        if (closable)
            t2_add(&g[j], gam * back, T2_STOP);
    }
    if (closable)
        for (int s = c->seg + 1; s < kd->n_seg; s++)
            for (int j = 1; j < P1; j++) {
                double h = t2_get(&p->lb_h[s * P1 + j - 1], c->lv, &tag);
                if (h < PR_INF)
                    t2_add(&g[j], gam * back + h, tag);
            }
    const int *near = kd->near + (size_t)c->lv * kd->n_near;
    for (int x = 0; x < kd->n_near; x++) {
        int lv = near[x];
        int b = lv * kd->n_seg + c->seg;
        int a = L->off[b], e = L->off[b + 1];
        if (a == e)
            continue;
        int l = pr_leg(inst, c->place, kd->lv_place[lv]);
        int q = lower_start(kd, L, a, e, c->end + l);
        if (q == e)
            continue;
        const top2 *sm = sm_at(p, w, q);
        for (int j = 1; j < P1; j++) {
            double v = t2_get(&sm[j - 1], c->lv, &tag);
            if (v < PR_INF)
                t2_add(&g[j], gam * l + v, lv);
        }
    }
    if (kd->far_leg[c->lv] >= 0) {
        double legs = gam >= 0 ? gam * kd->far_leg[c->lv] : gam * p->maxtrav;
        int tau = c->end + (gam >= 0 ? kd->far_leg[c->lv] : 0);
        const top2 *m = time_min(p, c->seg, tau);
        for (int j = 1; m && j < P1; j++) {
            double v = t2_get(&m[j - 1], c->lv, &tag);
            if (v < PR_INF)
                t2_add(&g[j], legs + v, tag);
        }
    }
}

/* Records V(c, .) in the suffix minima of its block (by c's next visit),
 * in the far option's grid and in H (by c's visit). */
static void lane_record(const rota_pricer *p, const kdata *kd, int w, int ci,
                        int office, const rota_spans *seg, const top2 *g)
{
    const lanelist *L = &kd->lane[w];
    const cand *c = &kd->c[ci];
    int P1 = p->P1, pos = L->pos[ci];
    int block_end = L->off[c->lv * kd->n_seg + c->seg + 1];
    double pw = p->price[ci] / c->n_weeks;
    top2 *sm = sm_at(p, w, pos);
    const top2 *next = pos + 1 < block_end ? sm_at(p, w, pos + 1) : NULL;
    int out = pr_leg(p->inst, office, c->place);
    int from_office = c->start - out >= seg->v[c->seg].start;
    top2 *cell = cell_at(p, c->seg, c->start / p->inst->slot_minutes);
    for (int j = 0; j < P1; j++) {
        if (next)
            sm[j] = next[j];
        else
            t2_clear(&sm[j]);
        if (g[j].v1 >= PR_INF)
            continue;
        double v = pw + g[j].v1;
        t2_add(&sm[j], v, g[j].t1);
        if (g[j].v2 < PR_INF)
            t2_add(&sm[j], pw + g[j].v2, g[j].t2);
        t2_add(&cell[j], v, c->lv);
        if (from_office)
            t2_add(&p->lb_h[c->seg * P1 + j], p->gamma[w] * out + v, c->lv);
    }
}

/* The tables of lane w; returns g0(maxpd). */
static double lane_tables(rota_pricer *p, const kdata *kd, int w)
{
    const rota_staff *k = &p->inst->staff[kd->staff];
    const rota_spans *seg = &k->seg[kd->day];
    int P1 = p->P1;
    for (int i = 0; i < kd->n_seg * P1; i++)
        t2_clear(&p->lb_h[i]);
    for (size_t i = 0; i < (size_t)kd->n_seg * p->n_slots * P1; i++)
        t2_clear(&p->lb_cell[i]);
    for (size_t i = 0; i < (size_t)kd->n_seg * (p->n_slots + 1) * P1; i++)
        t2_clear(&p->lb_suf[i]);
    int fin = p->n_slots;
    for (int ci = kd->n_cand - 1; ci >= 0; ci--) {
        if (kd->lane[w].pos[ci] < 0)
            continue;
        finalize_above(p, kd->n_seg, kd->c[ci].start / p->inst->slot_minutes,
                       &fin);
        top2 *g = g_at(p, ci, w);
        lane_g(p, kd, w, ci, k->office, seg, g);
        lane_record(p, kd, w, ci, k->office, seg, g);
    }
    double *g0 = p->lb_g0 + (size_t)w * P1;
    g0[0] = 0;
    for (int j = 1; j < P1; j++) {
        g0[j] = 0;
        for (int s = 0; s < kd->n_seg; s++)
            g0[j] = fmin(g0[j], p->lb_h[s * P1 + j - 1].v1);
    }
    return g0[P1 - 1];
}

double pr_lb_tables(rota_pricer *p, const kdata *kd)
{
    double root = 0;
    for (int w = 0; w < p->W; w++)
        root += lane_tables(p, kd, w);
    return root;
}

double pr_lb_lane(const rota_pricer *p, const lane *ln, int w)
{
    int j = p->maxpd - ln[w].cnt;
    if (j < 0)
        return PR_INF;
    if (ln[w].last < 0)
        return p->lb_g0[w * p->P1 + j];
    return g_at(p, ln[w].last, w)[j].v1;
}

/* For each group: the least its legs can cost (0, or gamma_w * the travel
 * limit for the lanes with gamma_w < 0), and, member by member from the
 * last, the suffix minima of what a member adds with the lanes of its
 * weeks:  price(m) + sum_{w in M} g(m, j).  A label whose other lanes'
 * bounds plus these cannot go below the threshold need not try the group
 * (pricing_rcsp.c). */
void pr_lb_groups(rota_pricer *p, const kdata *kd)
{
    int P1 = p->P1;
    for (int gi = 0; gi < kd->n_group; gi++) {
        const group *g = &kd->g[gi];
        double legs = 0;
        for (int w = 0; w < p->W; w++)
            if ((g->weeks & (1u << w)) && p->gamma[w] < 0)
                legs += p->gamma[w] * p->maxtrav;
        p->lb_group[gi] = legs;
        for (int i = g->n - 1; i >= 0; i--) {
            int m = kd->gmem[g->first + i];
            double *suf = p->lb_gsuf + (size_t)(g->first + i) * P1;
            const double *next = i + 1 < g->n ? suf + P1 : NULL;
            for (int j = 0; j < P1; j++) {
                double v = p->price[m];
                for (int w = 0; w < p->W && v < PR_INF; w++)
                    if (g->weeks & (1u << w)) {
                        double gw = g_at(p, m, w)[j].v1;
                        v = gw >= PR_INF ? PR_INF : v + gw;
                    }
                suf[j] = next && next[j] < v ? next[j] : v;
            }
        }
    }
}

double pr_lb_lanes(const rota_pricer *p, const lane *ln)
{
    double lb = 0;
    for (int w = 0; w < p->W; w++) {
        int j = p->maxpd - ln[w].cnt;
        if (j < 0)
            return PR_INF;
        if (ln[w].last < 0)
            lb += p->lb_g0[w * p->P1 + j];
        else
            lb += g_at(p, ln[w].last, w)[j].v1;
        if (lb >= PR_INF)
            return PR_INF;
    }
    return lb;
}
