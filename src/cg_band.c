/* cg_band.c - a Lagrangian bound that keeps the balance term integral.
 *
 * The LP bound loses most of the balance term: each person takes a
 * fractional mix of light and heavy days whose average load is everybody
 * else's.  Here only the rows R' = cover, capacity, sites and joint are
 * dualised (duals y, of the right signs); the pattern rows, the balance
 * rows with Umin and Umax, and the integrality of the columns stay in the
 * subproblem.  With rc'(c) = cost(c) - sum_{i in R'} a_ic y_i:
 *
 *   LB = sum_{i in R'} y_i b_i + sum_v min(0, cost(z_v) - pi_v)
 *      + min over 0 <= L <= H <= 1 of  B (H - L) + sum_k h_k(L, H)
 *   h_k(L, H) = min { sum_d rc'(c_d) : at most one column c_d of (k, d) per
 *                     day, u_k = sum_d total(c_d) / (W cap_k) in [L, H] }
 *
 * is a lower bound of every roster (Lagrangian relaxation: for any y the
 * subproblem's optimum is at most the objective of any feasible point).
 * u_k <= Umax <= 1 lets M = sum_d total <= W cap_k.
 *
 * h_k comes from f_kd(m) = the least rc' of a column of (k, d) with total
 * m minutes (m = 0: no column, rc' 0), by a knapsack over the days:
 * F_k(M) = min sum_d f_kd(m_d) with sum_d m_d = M.  Any lower bound of f
 * keeps the bound valid: a load pricing could not resolve gets the least
 * rc' of its (k, d) (cg_band_from_*).
 *
 * The outer minimum runs over a grid u = i delta: with i = floor(L/delta),
 * j = ceil(H/delta) the optimal (L, H) lies in [g_i, g_j], so
 *   min_{i <= j} B max(0, g_j - g_i - 2 delta) + sum_k h_k(g_i, g_j)
 * is still a lower bound (OPTIMISER.md's banding, as a Lagrangian bound).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cg_int.h"

#define BAND_GRID 1000          /* delta = 1 / BAND_GRID */

/* f[k][d] as sparse lists: loads and least rc' (m = 0 implicit). */
typedef struct band_f {
    int n, cap;
    int *m;
    double *v;
    int *col;                  /* store index of the column, -1 unknown */
} band_f;

struct cg_band {
    const rota_cg *cg;
    int K, maxM;               /* loads 0..maxM over the cycle */
    band_f *f;                 /* [k * 7 + d] */
    double *floor_kd;          /* [k * 7 + d]: a lower bound for loads not listed */
    /* the minimiser of the last cg_band_bound */
    int *choice;               /* [(k * 7 + d) * (maxM + 1) + M]: f entry
                                  taken on day d to reach M, -1 none, -2 floor */
    int *chosen;               /* [k * 7 + d]: column chosen, -1 none */
};

cg_band *cg_band_new(const rota_cg *cg)
{
    cg_band *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->cg = cg;
    b->K = cg->K;
    double cmax = 0;
    for (int k = 0; k < cg->K; k++)
        cmax = fmax(cmax, cg->inst->staff[k].capacity);
    b->maxM = (int)floor(cmax * cg->W) + 1;
    b->f = calloc((size_t)cg->K * ROTA_DAYS, sizeof *b->f);
    b->floor_kd = calloc((size_t)cg->K * ROTA_DAYS, sizeof *b->floor_kd);
    b->choice = malloc((size_t)cg->K * ROTA_DAYS * (b->maxM + 1) *
                       sizeof *b->choice);
    b->chosen = malloc((size_t)cg->K * ROTA_DAYS * sizeof *b->chosen);
    if (!b->f || !b->floor_kd || !b->choice || !b->chosen) {
        cg_band_free(b);
        return NULL;
    }
    return b;
}

void cg_band_free(cg_band *b)
{
    if (!b)
        return;
    if (b->f)
        for (int i = 0; i < b->K * ROTA_DAYS; i++) {
            free(b->f[i].m);
            free(b->f[i].v);
            free(b->f[i].col);
        }
    free(b->f);
    free(b->floor_kd);
    free(b->choice);
    free(b->chosen);
    free(b);
}

void cg_band_reset(cg_band *b)
{
    for (int i = 0; i < b->K * ROTA_DAYS; i++) {
        b->f[i].n = 0;
        b->floor_kd[i] = 0;
    }
}

/* Records a column (store index col, -1 unknown) of (k, d) with total
 * load m and reduced cost rc'. */
int cg_band_add(cg_band *b, int k, int d, int m, double rc, int col)
{
    band_f *f = &b->f[k * ROTA_DAYS + d];
    if (m <= 0 || m > b->maxM)
        return 0;
    for (int i = 0; i < f->n; i++)
        if (f->m[i] == m) {
            if (rc < f->v[i]) {
                f->v[i] = rc;
                f->col[i] = col;
            }
            return 0;
        }
    if (f->n == f->cap) {
        int cap = f->cap ? 2 * f->cap : 16;
        int *mm = realloc(f->m, (size_t)cap * sizeof *mm);
        if (!mm)
            return -1;
        f->m = mm;
        double *vv = realloc(f->v, (size_t)cap * sizeof *vv);
        if (!vv)
            return -1;
        f->v = vv;
        int *cc = realloc(f->col, (size_t)cap * sizeof *cc);
        if (!cc)
            return -1;
        f->col = cc;
        f->cap = cap;
    }
    f->m[f->n] = m;
    f->col[f->n] = col;
    f->v[f->n++] = rc;
    return 0;
}

/* Every column of (k, d) not recorded has rc' >= floor (<= 0 expected). */
void cg_band_floor(cg_band *b, int k, int d, double floor)
{
    b->floor_kd[k * ROTA_DAYS + d] = floor;
}

/* F_k over 0..maxM (the knapsack over the days), recording each day's
 * choice; F and G hold maxM + 1. */
static void knapsack(cg_band *b, int k, double *F, double *G)
{
    int M = b->maxM;
    for (int i = 0; i <= M; i++)
        F[i] = INFINITY;
    F[0] = 0;
    for (int d = 0; d < ROTA_DAYS; d++) {
        const band_f *f = &b->f[k * ROTA_DAYS + d];
        double fl = b->floor_kd[k * ROTA_DAYS + d];
        int *ch = b->choice + (size_t)(k * ROTA_DAYS + d) * (M + 1);
        memcpy(G, F, (size_t)(M + 1) * sizeof *G);   /* no column that day */
        for (int i = 0; i <= M; i++)
            ch[i] = -1;
        if (fl < 0) {
            /* unresolved loads: any m >= 1 at cost floor */
            double best = INFINITY;
            for (int i = 0; i < M; i++) {
                best = fmin(best, F[i]);
                if (best + fl < G[i + 1]) {
                    G[i + 1] = best + fl;
                    ch[i + 1] = -2;
                }
            }
        }
        for (int j = 0; j < f->n; j++)
            for (int i = 0; i + f->m[j] <= M; i++)
                if (F[i] + f->v[j] < G[i + f->m[j]]) {
                    G[i + f->m[j]] = F[i] + f->v[j];
                    ch[i + f->m[j]] = j;
                }
        memcpy(F, G, (size_t)(M + 1) * sizeof *F);
    }
}

/* Walks the choices back from load M of staff k into b->chosen. */
static void backtrack(cg_band *b, int k, int M)
{
    for (int d = ROTA_DAYS - 1; d >= 0; d--) {
        const band_f *f = &b->f[k * ROTA_DAYS + d];
        int ch = b->choice[(size_t)(k * ROTA_DAYS + d) * (b->maxM + 1) + M];
        b->chosen[k * ROTA_DAYS + d] = -1;
        if (ch >= 0) {
            b->chosen[k * ROTA_DAYS + d] = f->col[ch];
            M -= f->m[ch];
        } else if (ch == -2) {
            /* a floor step: some unknown load; find the predecessor */
            b->chosen[k * ROTA_DAYS + d] = -2;
            M = 0;             /* the subgradient ignores unknown columns */
        }
        if (M < 0)
            M = 0;
    }
}

/* cell[k][i]: least F_k(M) over the M whose u = M / (W cap_k) lies in
 * [i delta, (i+1) delta) (the last cell holds u = 1); arg[k][i] its M. */
static int cells(cg_band *b, double *cell, int *arg, double *F)
{
    const rota_cg *cg = b->cg;
    double *G = malloc((size_t)(b->maxM + 1) * sizeof *G);
    if (!G)
        return -1;
    for (int k = 0; k < b->K; k++) {
        double *c = cell + (size_t)k * (BAND_GRID + 1);
        int *a = arg + (size_t)k * (BAND_GRID + 1);
        double wc = cg->W * cg->inst->staff[k].capacity;
        for (int i = 0; i <= BAND_GRID; i++) {
            c[i] = INFINITY;
            a[i] = -1;
        }
        knapsack(b, k, F + (size_t)k * (b->maxM + 1), G);
        const double *Fk = F + (size_t)k * (b->maxM + 1);
        for (int M = 0; M <= b->maxM && M <= wc + 1e-9; M++) {
            int i = (int)floor(M / wc * BAND_GRID + 1e-12);
            if (i > BAND_GRID)
                i = BAND_GRID;
            if (Fk[M] < c[i]) {
                c[i] = Fk[M];
                a[i] = M;
            }
        }
    }
    free(G);
    return 0;
}

/* min over i <= j of B max(0, (j - i - 2) delta) + sum_k min_{i <= c <= j}
 * cell[k][c]: a band [g_i, g_j] holds the cells i .. j.  *bi, *bj get the
 * minimising band. */
static double outer(const cg_band *b, const double *cell, double B, int *bi,
                    int *bj)
{
    double best = INFINITY;
    double *run = malloc((size_t)b->K * sizeof *run);
    if (!run)
        return -INFINITY;
    for (int i = 0; i <= BAND_GRID; i++) {
        for (int k = 0; k < b->K; k++)
            run[k] = INFINITY;
        for (int j = i; j <= BAND_GRID; j++) {
            double s = B * fmax(0.0, (double)(j - i - 2) / BAND_GRID);
            for (int k = 0; k < b->K; k++) {
                double c = cell[(size_t)k * (BAND_GRID + 1) + j];
                if (c < run[k])
                    run[k] = c;
                s += run[k];
            }
            if (s < best) {
                best = s;
                *bi = i;
                *bj = j;
            }
        }
    }
    free(run);
    return best;
}

/* The minimiser's columns per staff: the best cell of the band. */
static void minimiser(cg_band *b, const double *cell, const int *arg, int bi,
                      int bj)
{
    for (int k = 0; k < b->K; k++) {
        int best = -1;
        for (int c = bi; c <= bj; c++) {
            int x = k * (BAND_GRID + 1) + c;
            if (arg[x] >= 0 && (best < 0 || cell[x] < cell[best]))
                best = x;
        }
        if (best >= 0)
            backtrack(b, k, arg[best]);
        else
            for (int d = 0; d < ROTA_DAYS; d++)
                b->chosen[k * ROTA_DAYS + d] = -1;
    }
}

double cg_band_bound(cg_band *b, double dual_part)
{
    const rota_cg *cg = b->cg;
    size_t nc = (size_t)b->K * (BAND_GRID + 1);
    double *cell = malloc(nc * sizeof *cell);
    int *arg = malloc(nc * sizeof *arg);
    double *F = malloc((size_t)b->K * (b->maxM + 1) * sizeof *F);
    double v = -INFINITY;
    int bi = 0, bj = 0;
    if (!cell || !arg || !F || cells(b, cell, arg, F) < 0)
        goto done;
    v = outer(b, cell, 100.0 * cg->inst->w_balance, &bi, &bj);
    if (isfinite(v))
        minimiser(b, cell, arg, bi, bj);
    v += dual_part;
done:
    free(cell);
    free(arg);
    free(F);
    return v;
}

const int *cg_band_chosen(const cg_band *b)
{
    return b->chosen;
}
