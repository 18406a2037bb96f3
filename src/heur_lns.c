/* heur_lns.c - large-neighbourhood search over the heuristic's state.
 *
 * One iteration: save the state, destroy q units (q random in
 * [2, q_max]) with one of six operators, repair every removed unit and
 * every uncovered one with one of three insertions, then accept the result
 * by simulated annealing:
 *
 *   accept when f_new <= f_cur, else with probability exp(-(f_new - f_cur) / T)
 *   T = T0 * (1/200)^(i / L) within a cycle of L = 5000 iterations, T0 the
 *   best objective per unit (a typical move's size); each cycle starts
 *   again from the best state.  (Measured on the shipped instances against
 *   T0 = 0.0005-0.01 x objective and L = 500-30000: within noise of the
 *   best on all, clearly better on the small ones.)
 *
 * Operators are drawn by adaptive weights (ALNS, Ropke & Pisinger 2006):
 * every 100 iterations w = 0.8 w + 0.2 (score / uses), score 33 for a new
 * best, 9 for an improvement, 3 for an accepted worse state.  All random
 * choices come from the seeded stream, so a run is a function of the seed
 * and the iteration count.
 */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "heur_int.h"

enum { D_RANDOM, D_RELATED, D_STAFFDAY, D_WORST, D_BUSY, D_UNCOVERED, N_DESTROY };
enum { R_GREEDY, R_NOISY, R_REGRET, N_REPAIR };

#define CYCLE_LEN 5000
#define SEGMENT 100

/* ---- repair ------------------------------------------------------------ */

static void shuffle(rota_heur *h, int *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = h_randint(h, i + 1), t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* Under soft coverage the neediest go first (stable: ties stay shuffled),
 * so that a needier uncovered visit takes the room a destroy made. */
static void sort_by_need(const rota_heur *h, int *a, int n)
{
    for (int i = 1; i < n; i++) {
        int u = a[i], j = i - 1;
        while (j >= 0 && h->u_need[a[j]] < h->u_need[u]) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = u;
    }
}

/* Inserts units in the given order (order 1: shuffled first, and by need
 * under soft coverage), each at its cheapest place.  Returns how many
 * found no place. */
int h_repair_greedy(rota_heur *h, int *units, int n, int order, double noise)
{
    if (order == 1) {
        shuffle(h, units, n);
        if (!h->hard)
            sort_by_need(h, units, n);
    }
    int failed = 0;
    for (int i = 0; i < n; i++) {
        h_cand c;
        if (h->cur.asg[h->u_v1[units[i]]].staff >= 0)
            continue;
        if ((i & 15) == 15 && h_stopped(h)) {
            failed += n - i;
            break;
        }
        if (h_best_insert(h, units[i], -1, &c, noise))
            h_insert(h, units[i], &c);
        else
            failed++;
    }
    return failed;
}

/* Regret cache row of unit units[i]: its cheapest place on each staff
 * member (INFINITY where none). */
static void regret_fill(rota_heur *h, int i, int u, int only_k)
{
    double *row = h->rbest + (size_t)i * h->S;
    h_cand *crow = h->rcand + (size_t)i * h->S;
    int v = h->u_v1[u];
    for (int j = h->elig_off[v]; j < h->elig_off[v + 1]; j++) {
        int k = h->elig[j];
        if (only_k >= 0 && k != only_k)
            continue;
        h_cand c;
        row[k] = h_best_insert(h, u, k, &c, 0) ? c.cost : INFINITY;
        crow[k] = c;
    }
}

/* Regret of a single unit from its cache row: second best minus best on
 * another staff member; *k1 the best staff. */
static double regret_of(const rota_heur *h, int i, int u, int *k1)
{
    const double *row = h->rbest + (size_t)i * h->S;
    double b1 = INFINITY, b2 = INFINITY;
    int v = h->u_v1[u];
    *k1 = -1;
    for (int j = h->elig_off[v]; j < h->elig_off[v + 1]; j++) {
        int k = h->elig[j];
        if (row[k] < b1) {
            b2 = b1;
            b1 = row[k];
            *k1 = k;
        } else if (row[k] < b2) {
            b2 = row[k];
        }
    }
    if (b1 == INFINITY)
        return -INFINITY;
    /* soft coverage: leaving a unit out costs its need, first of all */
    double leave = h->hard ? 0 : h->inst->w_uncovered * h->u_need[u];
    return (b2 == INFINITY ? 1e12 - b1 : b2 - b1) + leave;
}

/* Regret-2 insertion: joint pairs first (greedily), then repeatedly the
 * single unit whose best place beats its best place on any other staff
 * member by the most.  Cached per (unit, staff); after an insertion on
 * staff k only column k is recomputed.  Returns units left out. */
int h_repair_regret(rota_heur *h, int *units, int n, double noise)
{
    int failed = 0, m = 0;
    for (int i = 0; i < n; i++) {
        int u = units[i];
        if (h->cur.asg[h->u_v1[u]].staff >= 0)
            continue;
        if (h->u_v2[u] >= 0)
            failed += h_repair_greedy(h, &units[i], 1, 0, noise);
        else
            units[m++] = u;
    }
    for (int i = 0; i < m; i++) {
        for (int k = 0; k < h->S; k++)
            h->rbest[(size_t)i * h->S + k] = INFINITY;
        regret_fill(h, i, units[i], -1);
    }
    while (m > 0 && !h_stopped(h)) {
        int pick = -1, kp = -1;
        double best = -INFINITY;
        for (int i = 0; i < m; i++) {
            int k1;
            double r = regret_of(h, i, units[i], &k1);
            if (r != -INFINITY && noise > 0)
                r += noise * h_rand01(h);
            if (r > best) {
                best = r;
                pick = i;
                kp = k1;
            }
        }
        if (pick < 0 || best == -INFINITY)
            break;
        h_cand c = h->rcand[(size_t)pick * h->S + kp];
        h_insert(h, units[pick], &c);
        m--;
        int tu = units[pick];
        units[pick] = units[m];
        units[m] = tu;
        memcpy(h->rbest + (size_t)pick * h->S, h->rbest + (size_t)m * h->S,
               (size_t)h->S * sizeof *h->rbest);
        memcpy(h->rcand + (size_t)pick * h->S, h->rcand + (size_t)m * h->S,
               (size_t)h->S * sizeof *h->rcand);
        for (int i = 0; i < m; i++)
            regret_fill(h, i, units[i], c.k);
    }
    return failed + m;
}

/* ---- destroy ----------------------------------------------------------- */

typedef struct pick {
    int *list, n, q;
    int *mark;              /* per unit: 1 when in list */
} pick;

static int take(rota_heur *h, pick *pk, int u)
{
    if (pk->n >= pk->q || pk->mark[u] || !h_can_remove(h, u))
        return 0;
    h_remove(h, u);
    pk->mark[u] = 1;
    pk->list[pk->n++] = u;
    return 1;
}

static int random_covered(rota_heur *h)
{
    for (int tries = 0; tries < 64; tries++) {
        int u = h_randint(h, h->n_units);
        if (h->cur.asg[h->u_v1[u]].staff >= 0)
            return u;
    }
    for (int u = 0; u < h->n_units; u++)
        if (h->cur.asg[h->u_v1[u]].staff >= 0)
            return u;
    return -1;
}

static void destroy_random(rota_heur *h, pick *pk)
{
    for (int tries = 0; pk->n < pk->q && tries < 4 * pk->q; tries++) {
        int u = random_covered(h);
        if (u < 0)
            return;
        take(h, pk, u);
    }
}

/* Neighbours of a seed visit, then of the last one taken: a compact
 * region whose visits can trade places. */
static void related_from(rota_heur *h, pick *pk, int seed_unit)
{
    int v = h->u_v1[seed_unit];
    take(h, pk, seed_unit);
    for (int round = 0; pk->n < pk->q && round < 4; round++) {
        for (int j = h->near_off[v]; j < h->near_off[v + 1] && pk->n < pk->q; j++) {
            int x = h->near[j];
            if (h->cur.asg[x].staff >= 0 && h_rand01(h) < 0.6)
                take(h, pk, h->unit_of[x]);
        }
        if (pk->n > 0)
            v = h->u_v1[pk->list[pk->n - 1]];
    }
}

static void destroy_related(rota_heur *h, pick *pk)
{
    int u = random_covered(h);
    if (u >= 0)
        related_from(h, pk, u);
}

/* Every unit of one staff-day (all weeks), and of a neighbour's day. */
static void take_day(rota_heur *h, pick *pk, int k, int d)
{
    for (int w = 0; w < h->W; w++) {
        int di = (k * h->W + w) * ROTA_DAYS + d;
        for (int i = h->cur.day[di].n - 1; i >= 0; i--) {
            int q = pk->q;
            pk->q = h->n_units;   /* a whole day, whatever q says */
            take(h, pk, h->unit_of[h->cur.item[(size_t)di * h->maxv + i].visit]);
            pk->q = q;
        }
    }
}

static void destroy_staffday(rota_heur *h, pick *pk)
{
    int u = random_covered(h);
    if (u < 0)
        return;
    h_asg a = h->cur.asg[h->u_v1[u]];
    take_day(h, pk, a.staff, a.day);
    int v = h->u_v1[u];
    for (int j = h->near_off[v]; j < h->near_off[v + 1]; j++) {
        h_asg b = h->cur.asg[h->near[j]];
        if (b.staff >= 0 && b.staff != a.staff) {
            take_day(h, pk, b.staff, b.day);
            break;
        }
    }
}

/* The most expensive units, drawn with a bias y^4 over their ranking. */
static void destroy_worst(rota_heur *h, pick *pk)
{
    int n = 0;
    double *cost = h->rbest;  /* free outside regret repair */
    int *ids = h->scratch + h->V + 64;
    for (int u = 0; u < h->n_units; u++)
        if (h->cur.asg[h->u_v1[u]].staff >= 0) {
            cost[n] = h_unit_cost(h, u);
            ids[n++] = u;
        }
    for (int i = 1; i < n; i++) {  /* insertion sort, descending */
        double c = cost[i];
        int id = ids[i], j = i - 1;
        while (j >= 0 && cost[j] < c) {
            cost[j + 1] = cost[j];
            ids[j + 1] = ids[j];
            j--;
        }
        cost[j + 1] = c;
        ids[j + 1] = id;
    }
    for (int tries = 0; pk->n < pk->q && tries < 4 * pk->q && n > 0; tries++) {
        double y = h_rand01(h);
        take(h, pk, ids[(int)(y * y * y * y * n)]);
    }
}

/* Units of one of the three busiest people: room for the balance term. */
static void destroy_busy(rota_heur *h, pick *pk)
{
    int k = h->top[h_randint(h, h->S < 3 ? h->S : 3)];
    if (k < 0)
        return;
    int n = 0, *ids = h->scratch + h->V + 64;
    for (int u = 0; u < h->n_units; u++) {
        int v1 = h->u_v1[u], v2 = h->u_v2[u];
        if (h->cur.asg[v1].staff == k || (v2 >= 0 && h->cur.asg[v2].staff == k))
            ids[n++] = u;
    }
    shuffle(h, ids, n);
    for (int i = 0; i < n && pk->n < pk->q; i++)
        take(h, pk, ids[i]);
    if (pk->n > 0 && pk->n < pk->q)
        related_from(h, pk, pk->list[0]);
}

/* The neighbours of a random uncovered unit: room where it could go (any
 * unit when every one is covered). */
static void destroy_uncovered(rota_heur *h, pick *pk)
{
    int n = 0, *ids = h->scratch + h->V + 64;
    for (int u = 0; u < h->n_units; u++)
        if (h->cur.asg[h->u_v1[u]].staff < 0)
            ids[n++] = u;
    int u = n ? ids[h_randint(h, n)] : random_covered(h);
    if (u >= 0)
        related_from(h, pk, u);
}

/* ---- the search loop --------------------------------------------------- */

static int pick_op(rota_heur *h, const double *w, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += w[i];
    double r = h_rand01(h) * sum;
    for (int i = 0; i < n; i++) {
        if (r < w[i])
            return i;
        r -= w[i];
    }
    return n - 1;
}

/* The objective proper of the best state (penalty left out): scale of the
 * temperature and the noise. */
static double scale(const rota_heur *h)
{
    double f = h->f_best;
    if (h->hard)
        f -= HEUR_HARD_PENALTY * h->best.n_unc;
    return fmax(f, 1.0);
}

typedef struct alns {
    double wd[N_DESTROY], wr[N_REPAIR];
    double sd[N_DESTROY], sr[N_REPAIR];
    int nd[N_DESTROY], nr[N_REPAIR];
} alns;

static void alns_update(alns *a)
{
    for (int i = 0; i < N_DESTROY; i++) {
        if (a->nd[i])
            a->wd[i] = fmax(0.05, 0.8 * a->wd[i] + 0.2 * a->sd[i] / a->nd[i]);
        a->sd[i] = 0;
        a->nd[i] = 0;
    }
    for (int i = 0; i < N_REPAIR; i++) {
        if (a->nr[i])
            a->wr[i] = fmax(0.05, 0.8 * a->wr[i] + 0.2 * a->sr[i] / a->nr[i]);
        a->sr[i] = 0;
        a->nr[i] = 0;
    }
}

static int q_max(const rota_heur *h)
{
    int q = h->n_units / 5;
    if (q < 4)
        q = 4;
    if (q > 30)
        q = 30;
    return q < h->n_units ? q : h->n_units;
}

/* Destroys with operator op and repairs with rp; returns 0 when nothing
 * was removed and nothing is uncovered (no move). */
static int lns_move(rota_heur *h, int op, int rp, double noise)
{
    int *mark = h->scratch + 2 * (h->V + 64);
    pick pk = {h->scratch, 0, 2 + h_randint(h, q_max(h) - 1), mark};
    if (pk.q > h->n_units)
        pk.q = h->n_units;
    switch (op) {
    case D_RANDOM: destroy_random(h, &pk); break;
    case D_RELATED: destroy_related(h, &pk); break;
    case D_STAFFDAY: destroy_staffday(h, &pk); break;
    case D_WORST: destroy_worst(h, &pk); break;
    case D_BUSY: destroy_busy(h, &pk); break;
    default: destroy_uncovered(h, &pk); break;
    }
    int n = pk.n;
    for (int u = 0; u < h->n_units; u++)
        if (!mark[u] && h->cur.asg[h->u_v1[u]].staff < 0)
            pk.list[n++] = u;
    for (int i = 0; i < pk.n; i++)
        mark[pk.list[i]] = 0;
    if (n == 0)
        return 0;
    if (rp == R_REGRET)
        h_repair_regret(h, pk.list, n, noise);
    else
        h_repair_greedy(h, pk.list, n, 1, rp == R_NOISY ? noise : 0);
    return 1;
}

/* Days traded between people (heur_swap.c).  With every visit covered
 * the search walks on traded states: a move that improves but for the
 * balance term gets its trades at once (koebenhavn-1 at 60 s: 1,580 with,
 * 1,587 with traded copies only, 1,600 without).  With visits uncovered
 * it does not: evened loads leave nobody the slack for one more visit
 * (koebenhavn-short-1, soft coverage: 20,500 instead of 18,500 in 10 s,
 * three seeds of four).  There only a traded copy of cur may become the
 * best state: this function, which leaves cur and f_cur as they are. */
static void traded_best(rota_heur *h)
{
    double f_cur = h->f_cur;
    h_state_copy(h, &h->trial, &h->cur);
    if (h_swap_days(h)) {
        h->f_cur = h_objective(h, &h->cur);
        if (h->f_cur < h->f_best - 1e-7)
            h_new_best(h);
        h_state_copy(h, &h->cur, &h->trial);
        h_balance_refresh(h);
    }
    h->f_cur = f_cur;
}

/* One iteration; returns the ALNS score. */
static double lns_step(rota_heur *h, alns *a, double temp, double noise)
{
    int op = pick_op(h, a->wd, N_DESTROY), rp = pick_op(h, a->wr, N_REPAIR);
    h_state_copy(h, &h->save, &h->cur);
    double f0 = h->f_cur, score = 0;
    if (!lns_move(h, op, rp, noise))
        return 0;
    double f1 = h_objective(h, &h->cur), bal = h_balance(h, &h->cur);
    if (h->cur.n_unc == 0 && f1 - bal < f0 - 1e-9) {
        if (h_swap_days(h))             /* an improving move but for balance */
            f1 = h_objective(h, &h->cur);
    } else if (f1 - bal < h->f_best - 1e-7) {
        traded_best(h);
    }
    if (f1 < h->f_best - 1e-7) {
        h->f_cur = f1;
        h_new_best(h);
        score = 33;
    } else if (f1 < f0 - 1e-9) {
        h->f_cur = f1;
        score = 9;
    } else if (f1 < f0 + 1e-9 ||
               (temp > 0 && h_rand01(h) < exp(-(f1 - f0) / temp))) {
        h->f_cur = f1;
        score = 3;
    } else {
        h_state_copy(h, &h->cur, &h->save);
        h_balance_refresh(h);
    }
    a->sd[op] += score;
    a->nd[op]++;
    a->sr[rp] += score;
    a->nr[rp]++;
    return score;
}

long rota_heur_search(rota_heur *h, long n)
{
    alns a;
    for (int i = 0; i < N_DESTROY; i++)
        a.wd[i] = 1, a.sd[i] = 0, a.nd[i] = 0;
    for (int i = 0; i < N_REPAIR; i++)
        a.wr[i] = 1, a.sr[i] = 0, a.nr[i] = 0;
    memset(h->scratch + 2 * (h->V + 64), 0, ((size_t)h->V + 64) * sizeof *h->scratch);
    long done = 0;
    while (done < n && !h_stopped(h)) {
        long i = h->iter % CYCLE_LEN;
        if (i == 0 && h->iter > 0 && h->f_cur > h->f_best) {
            h_state_copy(h, &h->cur, &h->best);
            h->f_cur = h->f_best;
            h_balance_refresh(h);
        }
        double t0 = scale(h) / (h->n_units ? h->n_units : 1);
        double temp = t0 * pow(1.0 / 200, (double)i / CYCLE_LEN);
        double noise = 0.1 * scale(h) / (h->n_units ? h->n_units : 1);
        lns_step(h, &a, temp, noise);
        if (h->selftest && h_check_state(h, &h->cur) != 0) {
            fprintf(stderr, "SELFTEST: state broken at iteration %ld\n", h->iter);
            abort();
        }
        h->iter++;
        done++;
        if (h->iter % SEGMENT == 0) {
            if (h->verbosity > 1 && h->iter % (50 * SEGMENT) == 0)
                fprintf(stderr, "rota: lns %ld: f %.3f best %.3f  destroy "
                        "%.2f %.2f %.2f %.2f %.2f %.2f  repair %.2f %.2f "
                        "%.2f\n", h->iter, h->f_cur, h->f_best, a.wd[0],
                        a.wd[1], a.wd[2], a.wd[3], a.wd[4], a.wd[5], a.wr[0],
                        a.wr[1], a.wr[2]);
            alns_update(&a);
            if (h->lim.tick)
                h->lim.tick(h->lim.user);
        }
    }
    return done;
}
