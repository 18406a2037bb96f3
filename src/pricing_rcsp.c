/* pricing_rcsp.c - the label search of pricing and enumeration.
 *
 * Reduced cost.  With the master's duals (see cg.c) pi[v] (cover),
 * sigma[k,d] (pattern, <= 0), mu[k,w] (capacity, <= 0), nu[k] (sites, <= 0),
 * alpha[k] (sum of the two balance rows' duals) and rho (joint rows), and
 * a[k] = alpha[k] / (W cap[k]), the reduced cost of a column c of (k, d)
 * is a sum over its items and its legs:
 *
 *   rc(c) = -sigma[k,d]
 *         + sum over items (v,t,p):  price(v,t,p) = soft(v,t) - pi[v] - nu[k]
 *                                     - coef * rho[v,d,t,weeks(p)]
 *                                     - minutes[v] * sum_{w in weeks(p)} (mu[k,w] + a[k])
 *         + sum over legs of week w of L minutes:  L * gamma[w],
 *             gamma[w] = w_travel / W - mu[k,w] - a[k]
 *
 * Shortest path.  Candidates (v, t, p) are sorted by start; a label is a
 * path through them (each next candidate later in that order) and carries
 * one lane per cycle week w: the segment and place its tour is in, the
 * time it is ready (end of its last visit), its visit count and its leg
 * minutes.  A candidate extends the lanes of its weeks only.  In a lane, a
 * candidate in the lane's segment s is reached from the lane's place
 * (start >= ready + leg); one in a later segment first closes the lane's
 * tour (ready + leg to the office <= end of s) and then leaves the office
 * (start - leg >= start of its segment), exactly as rota_day_walk splits a
 * day into tours.  A label is a column when every open lane can return.
 *
 * Candidates of one (visit, phase, segment) differ only in start and
 * price; from a label it suffices to extend to the earliest feasible one
 * and to each later one whose price is lower than all before it (a later
 * start with no lower price is dominated).  This is exact: for every
 * column there is one built from such extensions with the same visits,
 * phases, segments and order (hence the same legs) and no larger price.
 *
 * Dominance (labels with the same (segment, place) in every lane): A
 * dominates B when A's last candidate is not after B's and, lane by lane,
 * ready, count and leg minutes are not larger, A's visits are a subset of
 * B's and cost(A) <= cost(B).  Every completion of B is then one of A, no
 * dearer.
 *
 * Bounding: lb(L) = cost(L) + the completion bound of pricing_lb.c.  A
 * label with lb >= the threshold (0, or the worst of the max_cols columns
 * kept once that many are kept) is dropped; so is the whole search when
 * the root's lb is >= 0.  The least reduced cost found is then exact.  A
 * search cut short (label budget, clock) still proves
 *   min rc >= min(best found, min over unprocessed labels of lb),
 * because every column is found, or cut by the threshold, or completes an
 * unprocessed label (a dominated label's completions are its dominator's).
 *
 * Before the search a few greedy dives (each step the child of least lb)
 * find good columns, so the threshold drops early.  Heuristic pricing
 * (relaxed dominance, pricing_dom.c) also looks only at the PR_HEUR_VISITS
 * visits of least price; it proves nothing beyond the root's bound.
 *
 * Enumeration uses the same search with neither dominance nor bounding,
 * prices = soft costs, and every start of a joint visit kept (its start
 * must match its partner's).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "pricing_int.h"

/* Once a column of reduced cost rc < 0 is known, labels that cannot reach
 * PR_RHO * rc are dropped: the least reduced cost stays exact, and the
 * columns returned are those below PR_RHO times the best. */
#define PR_RHO 0.5
/* Greedy dives before the search, to know a good column early. */
#define PR_DIVES 4
/* Visits heuristic pricing considers per (k, d): those of least price. */
#define PR_HEUR_VISITS 24

/* One search: a (k, d), its mode and its limits. */
typedef struct search {
    rota_pricer *p;
    kdata *kd;                /* the representative's (staff_class.h) */
    int staff, day;           /* whose duals, for whom the columns */
    const rota_spans *seg;
    int office;
    int enumerate;            /* 1: no dominance, no bounding, sink every column */
    int bounded;              /* with enumerate: bounding at a fixed threshold,
                                 sink every column below it */
    int relaxed;              /* heuristic dominance (no visit subsets) */
    double threshold;         /* bounding threshold (pricing) */
    double min_improve;
    int max_cols;
    long max_labels;
    double deadline;
    const volatile sig_atomic_t *stop;
    rota_col_sink sink;
    void *user;
    int aborted;              /* budget, time or stop: inexact */
    double open_lb;           /* when aborted: least lb left unexplored */
    int failed;               /* out of memory or the sink said stop */
    double min_rc;
} search;

static uint16_t *vis_of(rota_pricer *p, int l)
{
    return p->vis + (size_t)l * (size_t)p->nmax;
}

static int grow_labels(rota_pricer *p)
{
    long cap = p->cap_lab ? 2 * p->cap_lab : 4096;
    label *lab = realloc(p->lab, (size_t)cap * sizeof *lab);
    if (!lab)
        return -1;
    p->lab = lab;
    uint16_t *vis = realloc(p->vis, (size_t)cap * (size_t)p->nmax * sizeof *vis);
    if (!vis)
        return -1;
    p->vis = vis;
    p->cap_lab = cap;
    return 0;
}

static uint32_t lanes_hash(const lane *ln, int W)
{
    uint32_t h = 2166136261u;
    for (int w = 0; w < W; w++) {
        h = (h ^ (uint32_t)(uint16_t)ln[w].seg) * 16777619u;
        h = (h ^ (uint32_t)(uint16_t)ln[w].place) * 16777619u;
    }
    return h;
}

/* Closes every open lane of l: returns 0 and the closing legs' cost in
 * *close when the label is a column, -1 when some lane cannot return. */
static int closing(search *s, const label *L, double *close)
{
    rota_pricer *p = s->p;
    double c = 0;
    for (int w = 0; w < p->W; w++) {
        const lane *ln = &L->ln[w];
        if (ln->seg == NO_SEG)
            continue;
        int back = pr_leg(p->inst, ln->place, s->office);
        if (ln->ready + back > s->seg->v[ln->seg].end ||
            ln->trav + back > p->maxtrav)
            return -1;
        c += p->gamma[w] * back;
    }
    *close = c;
    return 0;
}

static void heap_swap(rota_pricer *p, int i, int j)
{
    int l = p->heap[i];
    double r = p->heap_rc[i];
    p->heap[i] = p->heap[j];
    p->heap_rc[i] = p->heap_rc[j];
    p->heap[j] = l;
    p->heap_rc[j] = r;
}

static void heap_down(rota_pricer *p, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < p->heap_n && p->heap_rc[l] > p->heap_rc[m])
            m = l;
        if (r < p->heap_n && p->heap_rc[r] > p->heap_rc[m])
            m = r;
        if (m == i)
            return;
        heap_swap(p, i, m);
        i = m;
    }
}

/* Keeps label l with reduced cost rc among the max_cols best. */
static void keep(search *s, int l, double rc)
{
    rota_pricer *p = s->p;
    if (p->heap_n < s->max_cols) {
        int i = p->heap_n++;
        p->heap[i] = l;
        p->heap_rc[i] = rc;
        while (i > 0 && p->heap_rc[(i - 1) / 2] < p->heap_rc[i]) {
            heap_swap(p, i, (i - 1) / 2);
            i = (i - 1) / 2;
        }
    } else if (rc < p->heap_rc[0]) {
        p->heap[0] = l;
        p->heap_rc[0] = rc;
        heap_down(p, 0);
    }
    if (p->heap_n == s->max_cols && p->heap_rc[0] < s->threshold)
        s->threshold = p->heap_rc[0];
}

/* The items of label l, sorted by start, into out (at most nmax). */
static int label_items(search *s, int l, rota_item *out)
{
    rota_pricer *p = s->p;
    int n = 0;
    for (; l >= 0 && p->lab[l].cand >= 0; l = p->lab[l].parent) {
        const cand *c = &s->kd->c[p->lab[l].cand];
        out[n++] = (rota_item){c->visit, c->start, c->phase};
    }
    qsort(out, (size_t)n, sizeof *out, rota_item_cmp);
    return n;
}

/* A label is a column: hand it on (enumeration) or keep it (pricing). */
static void consider(search *s, int l)
{
    double close;
    const label *L = &s->p->lab[l];
    if (L->n == 0 || closing(s, L, &close) < 0)
        return;
    double rc = L->cost + close;
    if (s->enumerate) {
        rota_item items[256];
        if (s->bounded && rc >= s->threshold)
            return;
        int n = label_items(s, l, items);
        if (s->sink(s->user, s->staff, s->day, items, n, rc))
            s->failed = 1;
        return;
    }
    if (rc < s->min_rc) {
        s->min_rc = rc;
        if (PR_RHO * rc < s->threshold)
            s->threshold = PR_RHO * rc;
    }
    if (rc < -s->min_improve)
        keep(s, l, rc);
}

/* The new lanes and leg cost of extending L by group g, independent of the
 * start; returns the earliest feasible start, or -1 when none. */
static int group_step(search *s, const label *L, const group *g, lane *ln,
                      double *dcost)
{
    rota_pricer *p = s->p;
    const rota_instance *inst = p->inst;
    int tmin = 0;
    double dc = 0;
    memcpy(ln, L->ln, sizeof L->ln);
    for (int w = 0; w < p->W; w++) {
        if (!(g->weeks & (1u << w)))
            continue;
        lane *x = &ln[w];
        int t, legs;
        if (x->cnt >= p->maxpd || x->seg > g->seg)
            return -1;
        if (x->seg == g->seg) {
            legs = pr_leg(inst, x->place, g->place);
            t = x->ready + legs;
        } else {
            int back = 0;
            if (x->seg != NO_SEG) {
                back = pr_leg(inst, x->place, s->office);
                if (x->ready + back > s->seg->v[x->seg].end)
                    return -1;
            }
            int out = pr_leg(inst, s->office, g->place);
            legs = back + out;
            t = s->seg->v[g->seg].start + out;
        }
        if (x->trav + legs + p->min_out[g->place] > p->maxtrav)
            return -1;
        x->trav = (int16_t)(x->trav + legs);
        x->cnt++;
        x->seg = (int16_t)g->seg;
        x->place = (int16_t)g->place;
        dc += p->gamma[w] * legs;
        tmin = t > tmin ? t : tmin;
    }
    *dcost = dc;
    return tmin;
}

/* First member of g at or after tmin that comes after candidate `after`
 * in the order; -1 when none. */
static int first_member(const kdata *kd, const group *g, int tmin, int after)
{
    int lo = 0, hi = g->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (kd->c[kd->gmem[g->first + mid]].start < tmin)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo < g->n && kd->gmem[g->first + lo] <= after)
        lo++;
    return lo < g->n ? kd->gmem[g->first + lo] : -1;
}

/* Creates the label of parent `pl` extended by candidate ci with lanes ln
 * (ready still to set) and cost; links it into its bucket. */
/* Writes label n_lab: parent pl extended by candidate ci with lanes ln
 * (ready and last still to set), cost and bound.  Does not commit it. */
static int make_label(search *s, int pl, int ci, const lane *ln, double cost,
                      double lb)
{
    rota_pricer *p = s->p;
    if (p->n_lab == p->cap_lab && grow_labels(p) < 0) {
        s->failed = 1;
        return -1;
    }
    int x = (int)p->n_lab;
    const cand *c = &s->kd->c[ci];
    label *X = &p->lab[x], *P = &p->lab[pl];
    *X = (label){.cost = cost, .lb = lb, .parent = pl, .cand = ci,
                 .next_bucket = -1, .n = (uint8_t)(P->n + 1),
                 .bloom = P->bloom | (1ull << (c->lv & 63))};
    memcpy(X->ln, ln, sizeof X->ln);
    for (int w = 0; w < p->W; w++)
        if (c->weeks & (1u << w)) {
            X->ln[w].ready = (int16_t)c->end;
            X->ln[w].last = ci;
        }
    /* visits: parent's plus c->lv, sorted */
    const uint16_t *pv = vis_of(p, pl);
    uint16_t *xv = vis_of(p, x);
    int i = 0, j = 0;
    while (i < P->n && pv[i] < c->lv)
        xv[j++] = pv[i++];
    xv[j++] = (uint16_t)c->lv;
    while (i < P->n)
        xv[j++] = pv[i++];
    /* subset-row cuts: an odd count of a cut's visits becoming even pays
     * its penalty */
    const uint64_t *bits = p->lv_sr + (size_t)c->lv * PR_SR_WORDS;
    for (int w = 0; w < p->sr_words; w++) {
        X->sr[w] = P->sr[w] ^ bits[w];
        for (uint64_t m = P->sr[w] & bits[w]; m; m &= m - 1) {
            double pen = p->sr_pen[64 * w + __builtin_ctzll(m)];
            X->cost += pen;
            X->lb += pen;
        }
    }
    X->hash = lanes_hash(X->ln, p->W);
    return 0;
}

/* Makes the label and files it (dominance, then its bucket). */
static int new_label(search *s, int pl, int ci, const lane *ln, double cost,
                     double lb)
{
    rota_pricer *p = s->p;
    if (make_label(s, pl, ci, ln, cost, lb) < 0)
        return -1;
    int x = (int)p->n_lab;
    if ((!s->enumerate || s->bounded) && p->lab[x].lb >= s->threshold)
        return 0;                       /* a cut's penalty put it out */
    if (!s->enumerate) {
        int r = pr_dom_insert(p, x, s->relaxed);
        if (r < 0) {
            s->failed = 1;
            return -1;
        }
        if (r == 0)
            return 0;
    }
    p->lab[x].next_bucket = p->bucket[ci];
    p->bucket[ci] = x;
    p->n_lab++;
    return 0;
}

/* Whether label l holds local visit lv. */
static int in_label(const rota_pricer *p, int l, int lv)
{
    const uint16_t *v = vis_of((rota_pricer *)p, l);
    if (!(p->lab[l].bloom & (1ull << (lv & 63))))
        return 0;
    for (int i = 0; i < p->lab[l].n; i++)
        if (v[i] == lv)
            return 1;
    return 0;
}

/* The completion bound of the lanes of `weeks` just after member m, whose
 * counts ln already holds. */
static double member_lb(const rota_pricer *p, int m, unsigned weeks,
                        const lane *ln)
{
    lane x[ROTA_MAX_WEEKS];
    double lb = 0;
    for (int w = 0; w < p->W; w++)
        if (weeks & (1u << w)) {
            x[w] = ln[w];
            x[w].last = m;
            lb += pr_lb_lane(p, x, w);
        }
    return lb;
}

/* Extends label l by every group it can take (see the top of the file). */
/* Whether label L could reach below the threshold through group gi at
 * all: its lanes outside the group's weeks keep their bounds comp[w]; a
 * member starts no earlier than L's last candidate and the ready times of
 * the group's lanes, and adds at least the group's suffix minimum from
 * there (pricing_lb.c), with as many visits left as the freest lane has. */
static int group_hopeful(const search *s, const label *L, const double *comp,
                         int gi)
{
    const rota_pricer *p = s->p;
    const kdata *kd = s->kd;
    const group *g = &kd->g[gi];
    int tlow = L->cand >= 0 ? kd->c[L->cand].start : 0, cmin = p->maxpd;
    double lb = L->cost + p->lb_group[gi];
    for (int w = 0; w < p->W; w++) {
        if (!(g->weeks & (1u << w))) {
            lb += comp[w];
            continue;
        }
        if (L->ln[w].seg != NO_SEG && L->ln[w].ready > tlow)
            tlow = L->ln[w].ready;
        if (L->ln[w].cnt < cmin)
            cmin = L->ln[w].cnt;
    }
    int j = p->maxpd - 1 - cmin;
    if (j < 0)
        return 0;
    int lo = 0, hi = g->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (kd->c[kd->gmem[g->first + mid]].start < tlow)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == g->n)
        return 0;
    return lb + p->lb_gsuf[(size_t)(g->first + lo) * p->P1 + j] < s->threshold;
}

static void extend(search *s, int l)
{
    rota_pricer *p = s->p;
    kdata *kd = s->kd;
    const label *L = &p->lab[l];
    double comp[ROTA_MAX_WEEKS];
    if (L->n >= p->nmax)
        return;
    int tau = L->cand >= 0 ? kd->c[L->cand].start : 0;
    const uint16_t *lv = vis_of(p, l);
    for (int i = 0; i < L->n; i++)
        p->mark[lv[i]] = 1;
    int bounding = !s->enumerate || s->bounded;
    for (int w = 0; w < p->W; w++)
        comp[w] = bounding ? pr_lb_lane(p, L->ln, w) : 0;
    for (int gi = 0; gi < kd->n_group && !s->failed; gi++) {
        const group *g = &kd->g[gi];
        lane ln[ROTA_MAX_WEEKS];
        double dc;
        if (p->mark[g->lv] || g->last_start < tau ||
            (s->relaxed && !p->active[g->lv]))
            continue;
        if (bounding && !group_hopeful(s, &p->lab[l], comp, gi))
            continue;
        int tmin = group_step(s, &p->lab[l], g, ln, &dc);
        if (tmin < 0)
            continue;
        int m = first_member(kd, g, tmin > tau ? tmin : tau, p->lab[l].cand);
        double rest = 0;
        for (int w = 0; w < p->W; w++)
            if (!(g->weeks & (1u << w)))
                rest += comp[w];
        for (; m >= 0 && !s->failed; m = p->next_better[m]) {
            double cost = p->lab[l].cost + dc + p->price[m], lb = 0;
            if (bounding) {
                lb = cost + rest + member_lb(p, m, g->weeks, ln);
                if (lb >= s->threshold)
                    continue;
            }
            new_label(s, l, m, ln, cost, lb);
        }
    }
    L = &p->lab[l];
    for (int i = 0; i < L->n; i++)
        p->mark[vis_of(p, l)[i]] = 0;
}

/* The child of label l of least bound, skipping first steps into the
 * groups in `skip` (dives differ in their first step); -1 when none is
 * below the threshold.  The child is made (not filed) and considered. */
static int dive_step(search *s, int l, const int *skip, int n_skip,
                     int *first_group)
{
    rota_pricer *p = s->p;
    kdata *kd = s->kd;
    const label *L = &p->lab[l];
    double comp[ROTA_MAX_WEEKS], best = s->threshold;
    lane best_ln[ROTA_MAX_WEEKS];
    int best_m = -1, best_g = -1, tau = L->cand >= 0 ? kd->c[L->cand].start : 0;
    double best_cost = 0;
    if (L->n >= p->nmax)
        return -1;
    for (int w = 0; w < p->W; w++)
        comp[w] = pr_lb_lane(p, L->ln, w);
    for (int gi = 0; gi < kd->n_group; gi++) {
        const group *g = &kd->g[gi];
        lane ln[ROTA_MAX_WEEKS];
        double dc, rest = 0;
        int skipped = 0;
        for (int i = 0; i < n_skip; i++)
            skipped |= skip[i] == gi;
        if (skipped || g->last_start < tau || in_label(p, l, g->lv) ||
            (s->relaxed && !p->active[g->lv]))
            continue;
        int tmin = group_step(s, L, g, ln, &dc);
        if (tmin < 0)
            continue;
        for (int w = 0; w < p->W; w++)
            if (!(g->weeks & (1u << w)))
                rest += comp[w];
        int m = first_member(kd, g, tmin > tau ? tmin : tau, L->cand);
        for (; m >= 0; m = p->next_better[m]) {
            double cost = L->cost + dc + p->price[m];
            double lb = cost + rest + member_lb(p, m, g->weeks, ln);
            if (lb < best) {
                best = lb;
                best_m = m;
                best_g = gi;
                best_cost = cost;
                memcpy(best_ln, ln, sizeof best_ln);
            }
        }
    }
    if (best_m < 0)
        return -1;
    *first_group = best_g;
    int x = (int)p->n_lab;
    if (make_label(s, l, best_m, best_ln, best_cost, best) < 0)
        return -1;
    p->n_lab++;
    consider(s, x);
    return x;
}

/* A few greedy dives from the root, each first step into another group,
 * so that good columns (and a low threshold) are known early. */
static void dives(search *s)
{
    int used[PR_DIVES];
    for (int d = 0; d < PR_DIVES && !s->failed; d++) {
        int l = 0, first = -1;
        for (int depth = 0; l >= 0 && !s->failed; depth++) {
            int g;
            l = dive_step(s, l, used, depth == 0 ? d : 0, &g);
            if (depth == 0) {
                if (l < 0)
                    return;
                first = g;
            }
        }
        used[d] = first;
    }
}

/* next_better[i]: the next member of i's group with a strictly lower price
 * (every next member for joint visits when enumerating). */
static void chain_groups(search *s)
{
    rota_pricer *p = s->p;
    kdata *kd = s->kd;
    for (int gi = 0; gi < kd->n_group; gi++) {
        const group *g = &kd->g[gi];
        int all = s->enumerate && kd->c[kd->gmem[g->first]].joint;
        for (int a = g->n - 1; a >= 0; a--) {
            int i = kd->gmem[g->first + a], nb = -1;
            for (int b = a + 1; b < g->n && !all; b++) {
                int j = kd->gmem[g->first + b];
                if (p->price[j] < p->price[i]) {
                    nb = j;
                    break;
                }
            }
            if (all && a + 1 < g->n)
                nb = kd->gmem[g->first + a + 1];
            p->next_better[i] = nb;
        }
    }
}

/* Heuristic pricing looks at the PR_HEUR_VISITS visits of least price
 * only (active[lv]); the others cannot enter its columns. */
static void choose_active(search *s)
{
    rota_pricer *p = s->p;
    const kdata *kd = s->kd;
    double *best = p->lv_best;
    for (int v = 0; v < kd->n_lv; v++) {
        best[v] = PR_INF;
        p->active[v] = 0;
    }
    for (int i = 0; i < kd->n_cand; i++)
        if (p->price[i] < best[kd->c[i].lv])
            best[kd->c[i].lv] = p->price[i];
    for (int n = 0; n < PR_HEUR_VISITS && n < kd->n_lv; n++) {
        int arg = -1;
        for (int v = 0; v < kd->n_lv; v++)
            if (!p->active[v] && (arg < 0 || best[v] < best[arg]))
                arg = v;
        p->active[arg] = 1;
    }
}

/* The subset-row cuts of y that can cost a column of kd something (a
 * dual, two visits or more in kd), numbered for the labels' bits. */
static void set_cuts(rota_pricer *p, const kdata *kd, const rota_duals *y)
{
    memset(p->lv_sr, 0, (size_t)kd->n_lv * PR_SR_WORDS * sizeof *p->lv_sr);
    p->n_sr = 0;
    for (int lv = 0; lv < kd->n_lv; lv++)
        p->visit_lv[kd->lv_visit[lv]] = lv;
    for (int i = 0; i < y->n_sr && i < ROTA_SR_MAX; i++) {
        const int *v = y->sr_vis + 3 * i;
        int lv[3], n = 0;
        for (int j = 0; j < 3; j++)
            if (p->visit_lv[v[j]] >= 0)
                lv[n++] = p->visit_lv[v[j]];
        if (y->sr_pen[i] <= 0 || n < 2)
            continue;
        int b = p->n_sr++;
        p->sr_pen[b] = y->sr_pen[i];
        for (int j = 0; j < n; j++)
            p->lv_sr[(size_t)lv[j] * PR_SR_WORDS + b / 64] |= 1ull << (b % 64);
    }
    p->sr_words = (p->n_sr + 63) / 64;
    for (int lv = 0; lv < kd->n_lv; lv++)
        p->visit_lv[kd->lv_visit[lv]] = -1;
}

/* Candidate prices and leg prices under the duals y. */
static void set_prices(search *s, const rota_duals *y)
{
    rota_pricer *p = s->p;
    const rota_instance *inst = p->inst;
    kdata *kd = s->kd;
    int k = s->staff, W = p->W;
    double a = y->bal[k] / (W * inst->staff[k].capacity);
    double mu[ROTA_MAX_WEEKS];
    for (int w = 0; w < W; w++) {
        mu[w] = y->cap[k * W + w] + a;
        p->gamma[w] = inst->w_travel / W - mu[w];
    }
    for (int i = 0; i < kd->n_cand; i++) {
        const cand *c = &kd->c[i];
        double m = 0;
        for (int w = 0; w < W; w++)
            if (c->weeks & (1u << w))
                m += mu[w];
        double pr = c->soft - y->cover[c->visit] - y->sites[k] -
                    (c->end - c->start) * m;
        if (c->joint && y->joint)
            pr -= y->joint(y->joint_user, c->visit, kd->day, c->start, c->weeks);
        p->price[i] = pr;
    }
    set_cuts(p, kd, y);
}

static void set_soft_prices(search *s)
{
    rota_pricer *p = s->p;
    p->n_sr = p->sr_words = 0;
    for (int w = 0; w < p->W; w++)
        p->gamma[w] = p->inst->w_travel / p->W;
    for (int i = 0; i < s->kd->n_cand; i++)
        p->price[i] = s->kd->c[i].soft;
}

/* Resets the per-call state and makes label 0 the root. */
static int start_search(search *s, double root_cost)
{
    rota_pricer *p = s->p;
    p->n_lab = 0;
    p->heap_n = 0;
    pr_dom_reset(p);
    for (int i = 0; i < s->kd->n_cand; i++)
        p->bucket[i] = -1;
    if (p->cap_lab == 0 && grow_labels(p) < 0)
        return -1;
    label *R = &p->lab[0];
    *R = (label){.cost = root_cost, .parent = -1, .cand = -1,
                 .next_bucket = -1};
    for (int w = 0; w < ROTA_MAX_WEEKS; w++)
        R->ln[w] = (lane){.seg = NO_SEG, .place = (int16_t)s->office,
                          .last = -1};
    p->n_lab = 1;
    return 0;
}

/* Whether the budget, the clock or the stop flag ends the search. */
static int out_of_budget(search *s)
{
    if (s->p->n_lab > s->max_labels)
        return 1;
    if ((s->p->n_lab & 1023) == 0) {
        if (s->stop && *s->stop)
            return 1;
        if (s->deadline > 0 && rota_now() > s->deadline)
            return 1;
    }
    return 0;
}

/* After a cut-short search: the least lb of the labels not processed
 * from bucket j on (the label l of bucket j included). */
static double unprocessed_lb(search *s, int j, int l)
{
    rota_pricer *p = s->p;
    double lb = PR_INF;
    for (; l >= 0; l = p->lab[l].next_bucket)
        if (!p->lab[l].dead)
            lb = fmin(lb, p->lab[l].lb);
    for (j++; j < s->kd->n_cand; j++)
        for (l = p->bucket[j]; l >= 0; l = p->lab[l].next_bucket)
            if (!p->lab[l].dead)
                lb = fmin(lb, p->lab[l].lb);
    return lb;
}

/* The label-setting loop: the root, then the buckets in candidate order.
 * When cut short, s->open_lb bounds what was left unexplored. */
static void run(search *s)
{
    rota_pricer *p = s->p;
    extend(s, 0);
    for (int j = 0; j < s->kd->n_cand && !s->failed; j++)
        for (int l = p->bucket[j]; l >= 0 && !s->failed;
             l = p->lab[l].next_bucket) {
            if (p->lab[l].dead)
                continue;
            if (out_of_budget(s)) {
                s->aborted = 1;
                if (!s->enumerate && !s->relaxed)
                    s->open_lb = unprocessed_lb(s, j, l);
                return;
            }
            consider(s, l);
            if (!s->failed)
                extend(s, l);
        }
}

static int ensure_heap(rota_pricer *p, int n)
{
    if (n <= p->heap_cap)
        return 0;
    int *h = realloc(p->heap, (size_t)n * sizeof *h);
    if (!h)
        return -1;
    p->heap = h;
    double *r = realloc(p->heap_rc, (size_t)n * sizeof *r);
    if (!r)
        return -1;
    p->heap_rc = r;
    p->heap_cap = n;
    return 0;
}

/* Hands the kept columns to the sink, most negative first. */
static int hand_over(search *s)
{
    rota_pricer *p = s->p;
    int n = p->heap_n;
    /* heap sort in place: ascending rc */
    for (int i = n - 1; i > 0; i--) {
        heap_swap(p, 0, i);
        p->heap_n = i;
        heap_down(p, 0);
    }
    p->heap_n = n;
    rota_item *items = malloc((size_t)p->nmax * sizeof *items);
    if (!items)
        return -1;
    int given = 0;
    for (int i = 0; i < n; i++) {
        int m = label_items(s, p->heap[i], items);
        given++;
        if (s->sink(s->user, s->staff, s->day, items, m,
                    p->heap_rc[i]))
            break;
    }
    free(items);
    return given;
}

int rota_price(rota_pricer *p, int staff, int day, const rota_duals *y,
               const rota_price_opts *o, rota_col_sink sink, void *user,
               rota_price_result *res)
{
    kdata *kd = &p->kd[p->rep[staff] * ROTA_DAYS + day];
    search s = {.p = p, .kd = kd, .staff = staff, .day = day,
                .seg = &p->inst->staff[staff].seg[day],
                .office = p->inst->staff[staff].office, .threshold = 0,
                .min_improve = o->min_improve,
                .max_cols = o->max_cols > 0 ? o->max_cols : 1,
                .max_labels = o->max_labels > 0 ? o->max_labels : 1000000,
                .deadline = o->deadline, .stop = o->stop, .sink = sink,
                .user = user, .min_rc = 0, .open_lb = PR_INF,
                .relaxed = o->heuristic};
    memset(res, 0, sizeof *res);
    res->exact = 1;
    if (kd->n_cand == 0)
        return 0;
    double root = -y->pattern[staff * ROTA_DAYS + day];
    if (ensure_heap(p, s.max_cols) < 0 || start_search(&s, root) < 0)
        return -1;
    set_prices(&s, y);
    p->lab[0].lb = root + pr_lb_tables(p, kd);
    res->lb = fmin(0, p->lab[0].lb);
    if (p->lab[0].lb >= 0)
        return 0;                       /* no column can be negative */
    pr_lb_groups(p, kd);
    chain_groups(&s);
    if (s.relaxed)
        choose_active(&s);
    dives(&s);
    run(&s);
    if (s.failed)
        return -1;
    res->labels = p->n_lab;
    res->exact = !s.aborted && !s.relaxed;
    res->min_rc = s.min_rc;
    if (s.relaxed)                      /* only the root's bound holds */
        res->lb = fmin(res->lb, s.min_rc);
    else
        res->lb = fmin(0, fmin(s.min_rc, s.aborted ? s.open_lb : 0));
    int given = hand_over(&s);
    if (given < 0)
        return -1;
    res->n_cols = given;
    return 0;
}

double rota_price_bound(rota_pricer *p, int staff, int day,
                        const rota_duals *y)
{
    kdata *kd = &p->kd[p->rep[staff] * ROTA_DAYS + day];
    search s = {.p = p, .kd = kd, .staff = staff, .day = day,
                .seg = &p->inst->staff[staff].seg[day],
                .office = p->inst->staff[staff].office};
    if (kd->n_cand == 0)
        return 0;
    set_prices(&s, y);
    return fmin(0, -y->pattern[staff * ROTA_DAYS + day] + pr_lb_tables(p, kd));
}

int rota_enumerate_below(rota_pricer *p, int staff, int day,
                         const rota_duals *y, double theta,
                         const rota_price_opts *o, rota_col_sink sink,
                         void *user, long *labels)
{
    kdata *kd = &p->kd[p->rep[staff] * ROTA_DAYS + day];
    search s = {.p = p, .kd = kd, .staff = staff, .day = day,
                .seg = &p->inst->staff[staff].seg[day],
                .office = p->inst->staff[staff].office, .enumerate = 1,
                .bounded = 1, .threshold = theta, .max_cols = 1,
                .max_labels = o->max_labels > 0 ? o->max_labels : 1000000,
                .deadline = o->deadline, .stop = o->stop, .sink = sink,
                .user = user};
    *labels = 0;
    if (kd->n_cand == 0)
        return 0;
    double root = -y->pattern[staff * ROTA_DAYS + day];
    if (start_search(&s, root) < 0)
        return -1;
    set_prices(&s, y);
    p->lab[0].lb = root + pr_lb_tables(p, kd);
    if (p->lab[0].lb >= theta)
        return 0;                       /* no column gets below theta */
    pr_lb_groups(p, kd);
    chain_groups(&s);
    run(&s);
    *labels = p->n_lab;
    if (s.failed)
        return -1;
    return s.aborted ? 1 : 0;
}

int rota_enumerate(rota_pricer *p, int staff, int day, long max_labels,
                   rota_col_sink sink, void *user, long *labels)
{
    kdata *kd = &p->kd[p->rep[staff] * ROTA_DAYS + day];
    search s = {.p = p, .kd = kd, .staff = staff, .day = day,
                .seg = &p->inst->staff[staff].seg[day],
                .office = p->inst->staff[staff].office, .enumerate = 1,
                .threshold = INFINITY, .max_cols = 1,
                .max_labels = max_labels > 0 ? max_labels : 1000000,
                .sink = sink, .user = user};
    *labels = 0;
    if (kd->n_cand == 0)
        return 0;
    if (start_search(&s, 0) < 0)
        return -1;
    set_soft_prices(&s);
    chain_groups(&s);
    run(&s);
    *labels = p->n_lab;
    if (s.failed)
        return -1;
    return s.aborted ? 1 : 0;
}
