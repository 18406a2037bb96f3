/* cg_sr.c - subset-row cuts on triples of visits (Jepsen et al. 2008).
 *
 * Every visit lies in at most one column of a roster (its cover row), so
 * for any three visits S at most one column of a roster holds two or
 * more of them:
 *
 *   sum over columns c of floor(|c ∩ S| / 2) x_c <= 1.
 *
 * The master's LP breaks it where fractional day patterns share visits
 * in odd cycles (koebenhavn-1's converged root: 55 triples, the worst at
 * 1.5).  A cut is a row of the master; its dual sigma <= 0 costs a column
 * -sigma each time its count of S reaches an even number, so pricing
 * (pricing_rcsp.c) carries one parity bit per cut and dominance pays for
 * the bits one label has and the other lacks.  The completion bound
 * ignores the cuts: their costs are >= 0, so it stays a lower bound.
 *
 * Cuts are separated only at the root, before a branching tree exists
 * (the tree keeps bases of the master's rows), at most CG_SR_MAX of them
 * (a parity bit per cut in every label).
 */
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg_int.h"

#define SR_MIN_VIOLATION 0.05  /* a cut enters above 1 + this */
#define SR_PER_ROUND 16        /* cuts one separation adds at most */
#define SR_PER_VISIT 4         /* cuts one round may put on one visit */

int cg_sr_rows(const rota_cg *cg, const cg_col *c, int *rows)
{
    const rota_item *it = cg->store.items + c->first;
    int words = (cg->n_sr + 63) / 64, n = 0;
    uint64_t once[CG_SR_WORDS] = {0}, twice[CG_SR_WORDS] = {0};
    for (int i = 0; i < c->n; i++) {
        const uint64_t *b = cg->sr_of_visit + (size_t)it[i].visit * CG_SR_WORDS;
        for (int w = 0; w < words; w++) {
            twice[w] |= once[w] & b[w];
            once[w] |= b[w];
        }
    }
    for (int w = 0; w < words; w++)
        for (uint64_t m = twice[w]; m; m &= m - 1)
            rows[n++] = cg->sr_row[64 * w + __builtin_ctzll(m)];
    return n;
}

/* A violated triple and how far. */
typedef struct sr_cand {
    double viol;
    int v[3];
} sr_cand;

static int cand_cmp(const void *a, const void *b)
{
    const sr_cand *x = a, *y = b;
    return (x->viol < y->viol) - (x->viol > y->viol);
}

static int known(const rota_cg *cg, const int *v)
{
    for (int i = 0; i < cg->n_sr; i++)
        if (!memcmp(cg->sr_vis[i], v, sizeof cg->sr_vis[i]))
            return 1;
    return 0;
}

/* How many of the visits S[0..2] column c holds (-1: none). */
static int holds(const rota_cg *cg, const cg_col *c, const int *S)
{
    const rota_item *it = cg->store.items + c->first;
    int n = 0;
    for (int j = 0; j < c->n; j++)
        n += it[j].visit == S[0] || it[j].visit == S[1] || it[j].visit == S[2];
    return n;
}

/* The LP value of the cut on S (ascending): the columns holding two of
 * its visits or more, from the columns of S[0] and of S[1] (every such
 * column holds one of them); those of S[1] holding S[0] counted once. */
static double cut_lhs(const rota_cg *cg, const double *x, const int *first,
                      const int *list, const int *S)
{
    const int a3[3] = {S[0], -1, -1};
    double s = 0;
    for (int i = first[S[0]]; i < first[S[0] + 1]; i++)
        if (holds(cg, &cg->store.col[list[i]], S) >= 2)
            s += x[list[i]];
    for (int i = first[S[1]]; i < first[S[1] + 1]; i++) {
        const cg_col *col = &cg->store.col[list[i]];
        if (!holds(cg, col, a3) && holds(cg, col, S) >= 2)
            s += x[list[i]];
    }
    return s;
}

int cg_add_sr(rota_cg *cg, const int *v)
{
    if (cg->n_sr >= CG_SR_MAX)
        return 0;
    int i = cg->n_sr;
    memcpy(cg->sr_vis[i], v, sizeof cg->sr_vis[i]);
    int *ind = malloc((size_t)(cg->store.n + 1) * sizeof *ind);
    double *val = malloc((size_t)(cg->store.n + 1) * sizeof *val);
    if (!ind || !val) {
        free(ind);
        free(val);
        return -1;
    }
    for (int k = 0; k < 3; k++)
        cg->sr_of_visit[(size_t)v[k] * CG_SR_WORDS + i / 64] |= 1ull << (i % 64);
    cg->n_sr++;
    int len = 0;
    for (int c = 0; c < cg->store.n; c++) {
        const cg_col *col = &cg->store.col[c];
        if (col->j > 0 && holds(cg, col, v) >= 2) {
            ind[++len] = col->j;
            val[len] = 1.0;
        }
    }
    int r = glp_add_rows(cg->lp, 1);
    glp_set_row_bnds(cg->lp, r, GLP_UP, 0.0, 1.0);
    glp_set_mat_row(cg->lp, r, len, ind, val);
    cg->sr_row[i] = r;
    free(ind);
    free(val);
    return 1;
}

/* Pair weights: w[a * V + b] (a < b) = the LP value of the columns
 * holding both a and b; and per visit the columns of positive value
 * holding it (first/list). */
static int pair_weights(const rota_cg *cg, const double *x, double *w,
                        int *first, int *list)
{
    int V = cg->V;
    memset(first, 0, (size_t)(V + 1) * sizeof *first);
    for (int c = 0; c < cg->store.n; c++) {
        const cg_col *col = &cg->store.col[c];
        if (x[c] <= 1e-9)
            continue;
        const rota_item *it = cg->store.items + col->first;
        for (int i = 0; i < col->n; i++) {
            first[it[i].visit + 1]++;
            for (int j = 0; j < col->n; j++) {
                int a = it[i].visit, b = it[j].visit;
                if (a < b)
                    w[(size_t)a * V + b] += x[c];
            }
        }
    }
    for (int v = 0; v < V; v++)
        first[v + 1] += first[v];
    int *pos = malloc((size_t)(V + 1) * sizeof *pos);
    if (!pos)
        return -1;
    memcpy(pos, first, (size_t)(V + 1) * sizeof *pos);
    for (int c = 0; c < cg->store.n; c++) {
        const cg_col *col = &cg->store.col[c];
        if (x[c] <= 1e-9)
            continue;
        const rota_item *it = cg->store.items + col->first;
        for (int i = 0; i < col->n; i++)
            list[pos[it[i].visit]++] = c;
    }
    free(pos);
    return 0;
}

/* Triples a < b < c with w(a,b) > 0 whose cut the LP point x breaks by
 * more than SR_MIN_VIOLATION, into *out (grown); returns how many, -1 on
 * OOM.  A triple is violated only if two of its pairs carry weight, so c
 * runs over the visits paired with a or b. */
static int violated(const rota_cg *cg, const double *x, const double *w,
                    const int *first, const int *list, sr_cand **out)
{
    int V = cg->V, n = 0, cap = 0;
    *out = NULL;
    for (int a = 0; a < V; a++)
        for (int b = a + 1; b < V; b++) {
            double ab = w[(size_t)a * V + b];
            if (ab <= 1e-9)
                continue;
            for (int c = b + 1; c < V; c++) {
                double ac = w[(size_t)a * V + c], bc = w[(size_t)b * V + c];
                if (ab + ac + bc <= 1 + SR_MIN_VIOLATION)
                    continue;
                const int S[3] = {a, b, c};
                double lhs = cut_lhs(cg, x, first, list, S);
                if (lhs <= 1 + SR_MIN_VIOLATION)
                    continue;
                if (n == cap) {
                    cap = cap ? 2 * cap : 256;
                    sr_cand *g = realloc(*out, (size_t)cap * sizeof *g);
                    if (!g)
                        return -1;
                    *out = g;
                }
                (*out)[n++] = (sr_cand){lhs - 1, {a, b, c}};
            }
        }
    return n;
}

int cg_separate_sr(rota_cg *cg)
{
    int V = cg->V, added = 0, n = 0, ret = -1;
    if (cg->bp || cg->allow || cg->n_sr >= CG_SR_MAX || !cg->sr_of_visit)
        return 0;
    double *x = calloc((size_t)cg->store.n + 1, sizeof *x);
    double *w = calloc((size_t)V * (size_t)V, sizeof *w);
    int *first = malloc((size_t)(V + 1) * sizeof *first);
    int *list = NULL, *per_visit = calloc((size_t)V, sizeof *per_visit);
    sr_cand *cand = NULL;
    if (!x || !w || !first || !per_visit)
        goto fail;
    long n_items = 0;
    for (int c = 0; c < cg->store.n; c++) {
        const cg_col *col = &cg->store.col[c];
        if (col->j > 0)
            x[c] = glp_get_col_prim(cg->lp, col->j);
        if (x[c] > 1e-9)
            n_items += col->n;
    }
    if (!(list = malloc((size_t)(n_items + 1) * sizeof *list)) ||
        pair_weights(cg, x, w, first, list) < 0 ||
        (n = violated(cg, x, w, first, list, &cand)) < 0)
        goto fail;
    if (n > 0)
        qsort(cand, (size_t)n, sizeof *cand, cand_cmp);
    for (int i = 0; i < n && added < SR_PER_ROUND && cg->n_sr < CG_SR_MAX; i++) {
        const int *v = cand[i].v;
        if (per_visit[v[0]] >= SR_PER_VISIT || per_visit[v[1]] >= SR_PER_VISIT ||
            per_visit[v[2]] >= SR_PER_VISIT || known(cg, v))
            continue;
        if (cg_add_sr(cg, v) < 0)
            goto fail;
        per_visit[v[0]]++;
        per_visit[v[1]]++;
        per_visit[v[2]]++;
        added++;
    }
    if (cg->trace && n)
        fprintf(stderr, "cg subset-row: %d violated, worst %.3f, %d added "
                "(%d in all)\n", n, 1 + cand[0].viol, added, cg->n_sr);
    ret = added;
fail:
    free(x);
    free(w);
    free(first);
    free(list);
    free(per_visit);
    free(cand);
    return ret;
}
