/* pricing_dom.c - dominance between labels of one pricing search.
 *
 * Labels are filed by signature: the (segment, place) of every lane.  Only
 * labels of one signature can dominate each other: A dominates B when
 *
 *   cand(A) <= cand(B),  cost(A) <= cost(B),  and in every lane w
 *   ready_w(A) <= ready_w(B),  cnt_w(A) <= cnt_w(B),  trav_w(A) <= trav_w(B),
 *   visits(A) ⊆ visits(B),
 *   cost(A) + the penalties of the subset-row cuts odd in A, even in B
 *   <= cost(B)
 *
 * (every completion of B is then one of A, no dearer; see pricing_rcsp.c).
 * The relaxed test of heuristic pricing drops the visit subsets and keeps
 * only the DOM_RELAXED_KEEP labels of least bound per signature: it may
 * lose columns, never make a wrong one (extensions check elementarity).
 *
 * Each signature keeps its live labels' figures in one contiguous array of
 * records, so a test scans memory in order; a 64-bit mask of the visits
 * (local index mod 64) rejects most non-subsets before the exact test.
 */
#include <stdlib.h>
#include <string.h>

#include "pricing_int.h"

/* Heuristic pricing keeps at most this many labels per signature. */
#define DOM_RELAXED_KEEP 3

static int same_sig(const lane *a, const lane *b, int W)
{
    for (int w = 0; w < W; w++)
        if (a[w].seg != b[w].seg || a[w].place != b[w].place)
            return 0;
    return 1;
}

void pr_dom_reset(rota_pricer *p)
{
    if (p->dsig)
        memset(p->dsig, 0xff, (size_t)(p->dsig_mask + 1) * sizeof *p->dsig);
    p->n_dsig = 0;
    p->n_drec = 0;
}

/* The slot of x's signature in the table (an empty one: label0 < 0). */
static dsig *sig_slot(rota_pricer *p, const label *X)
{
    uint32_t i = X->hash & (uint32_t)p->dsig_mask;
    for (;; i = (i + 1) & (uint32_t)p->dsig_mask) {
        dsig *s = &p->dsig[i];
        if (s->label0 < 0 ||
            (s->hash == X->hash && same_sig(p->lab[s->label0].ln, X->ln, p->W)))
            return s;
    }
}

static int sig_grow(rota_pricer *p)
{
    if (p->dsig && 2 * (p->n_dsig + 1) <= p->dsig_mask + 1)
        return 0;
    int size = p->dsig ? 2 * (p->dsig_mask + 1) : 4096;
    dsig *old = p->dsig;
    int old_size = old ? p->dsig_mask + 1 : 0;
    p->dsig = malloc((size_t)size * sizeof *p->dsig);
    if (!p->dsig) {
        p->dsig = old;
        return -1;
    }
    p->dsig_mask = size - 1;
    memset(p->dsig, 0xff, (size_t)size * sizeof *p->dsig);
    for (int i = 0; i < old_size; i++)
        if (old[i].label0 >= 0)
            *sig_slot(p, &p->lab[old[i].label0]) = old[i];
    free(old);
    return 0;
}

/* Room for one more record in signature s (moves its array when full). */
static int rec_room(rota_pricer *p, dsig *s)
{
    if (s->n < s->cap)
        return 0;
    int cap = s->cap ? 2 * s->cap : 4;
    if (p->n_drec + cap > p->cap_drec) {
        long nc = p->cap_drec ? 2 * p->cap_drec : 65536;
        while (nc < p->n_drec + cap)
            nc *= 2;
        drec *r = realloc(p->drec, (size_t)nc * sizeof *r);
        if (!r)
            return -1;
        p->drec = r;
        p->cap_drec = nc;
    }
    if (s->n)
        memcpy(p->drec + p->n_drec, p->drec + s->first,
               (size_t)s->n * sizeof *p->drec);
    s->first = p->n_drec;
    s->cap = cap;
    p->n_drec += cap;
    return 0;
}

static void make_rec(const rota_pricer *p, int x, drec *r)
{
    const label *X = &p->lab[x];
    r->cost = X->cost;
    r->cand = X->cand;
    r->label = x;
    r->bloom = X->bloom;
    memcpy(r->sr, X->sr, sizeof r->sr);
    for (int w = 0; w < p->W; w++) {
        r->ready[w] = X->ln[w].ready;
        r->cnt[w] = X->ln[w].cnt;
        r->trav[w] = X->ln[w].trav;
    }
}

/* Sorted subset test of two labels' visit lists. */
static int subset(const rota_pricer *p, int a, int b)
{
    const uint16_t *x = p->vis + (size_t)a * p->nmax;
    const uint16_t *y = p->vis + (size_t)b * p->nmax;
    int na = p->lab[a].n, nb = p->lab[b].n, j = 0;
    for (int i = 0; i < na; i++) {
        while (j < nb && y[j] < x[i])
            j++;
        if (j == nb || y[j] != x[i])
            return 0;
        j++;
    }
    return 1;
}

/* What A may still pay B does not: a cut whose count is odd in A and
 * even in B costs A its penalty at A's next visit of it, B maybe never. */
static double sr_extra(const rota_pricer *p, const drec *a, const drec *b)
{
    double s = 0;
    for (int w = 0; w < p->sr_words; w++)
        for (uint64_t m = a->sr[w] & ~b->sr[w]; m; m &= m - 1)
            s += p->sr_pen[64 * w + __builtin_ctzll(m)];
    return s;
}

/* Whether record a dominates record b (same signature). */
static int rec_dominates(const rota_pricer *p, const drec *a, const drec *b,
                         int relaxed)
{
    if (a->cand > b->cand || a->cost > b->cost)
        return 0;
    for (int w = 0; w < p->W; w++)
        if (a->ready[w] > b->ready[w] || a->cnt[w] > b->cnt[w] ||
            a->trav[w] > b->trav[w])
            return 0;
    if (p->sr_words && a->cost + sr_extra(p, a, b) > b->cost)
        return 0;
    if (relaxed)
        return 1;
    if (a->bloom & ~b->bloom)
        return 0;
    return subset(p, a->label, b->label);
}

int pr_dom_insert(rota_pricer *p, int x, int relaxed)
{
    if (sig_grow(p) < 0)
        return -1;
    dsig *s = sig_slot(p, &p->lab[x]);
    if (s->label0 < 0) {
        *s = (dsig){.hash = p->lab[x].hash, .label0 = x};
        p->n_dsig++;
    }
    drec rx;
    make_rec(p, x, &rx);
    drec *r = p->drec + s->first;
    for (int i = 0; i < s->n; i++)
        if (rec_dominates(p, &r[i], &rx, relaxed))
            return 0;
    for (int i = 0; i < s->n;) {
        if (rec_dominates(p, &rx, &r[i], relaxed)) {
            p->lab[r[i].label].dead = 1;
            r[i] = r[--s->n];
        } else {
            i++;
        }
    }
    if (relaxed && s->n >= DOM_RELAXED_KEEP) {
        /* heuristic: a signature keeps its few best labels by bound */
        int worst = 0;
        r = p->drec + s->first;
        for (int i = 1; i < s->n; i++)
            if (p->lab[r[i].label].lb > p->lab[r[worst].label].lb)
                worst = i;
        if (p->lab[r[worst].label].lb <= p->lab[x].lb)
            return 0;
        p->lab[r[worst].label].dead = 1;
        r[worst] = rx;
        return 1;
    }
    if (rec_room(p, s) < 0)
        return -1;
    p->drec[s->first + s->n++] = rx;
    return 1;
}
