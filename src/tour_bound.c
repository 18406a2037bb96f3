/* tour_bound.c - a lower bound of the travel of hard coverage from the
 * fact that every tour starts and ends at its staff member's office.
 *
 * Let T* be the shortest-path closure of the travel minutes (it obeys the
 * triangle inequality even when a matrix does not) and beta the buffer.  A
 * tour of office o through the places p_1 .. p_m (m distinct places) has
 * at least m + 1 legs between different places, each at least T* + beta,
 * and they lead from o out to its farthest place f and back, so
 *
 *   B(t) = R(f) + beta (m + 1),     R(v) = min over offices o of a staff
 *                                          member who may take v of
 *                                          T*(o, p_v) + T*(p_v, o)
 *
 * bounds its travel from below.  So does A(t) = sum of in(v) over its
 * visits + the least leg back to an office (in(v) as presolve.c: the
 * shortest leg into v from where a tour can come from), and the mirror
 * A'(t) with out(v) and the least leg out of an office.  For lambda in
 * [0, 1] the tour travels at least lambda A(t) + (1 - lambda) B(t), and
 * summed over the tours of one role (a tour belongs to one person, hence
 * one role):
 *
 *   lambda sum in(v) + (1 - lambda) beta sum_t m_t
 *   + sum_t [lambda back + (1 - lambda) (R(f_t) + beta)]
 *
 * sum_t m_t is at least the (place, week) pairs some occurrence must hit:
 * at a place, the visit with the most occurrences hits that many weeks.
 * The last sum is least when the occurrences, sorted by R from the
 * largest, go in consecutive groups of max_visits_per_day (a tour holds
 * no more): the largest R is some group's, and that group can take the
 * next largest without raising another's.  The bound is the best of a
 * grid of lambda, per role, for A and A'.
 */
#include <stdlib.h>
#include <string.h>

#include "rota/eval.h"
#include "rota/travel.h"
#include "tour_bound.h"

#define LAMBDA_STEPS 20

/* R(v) for every visit: the least round trip of the closure between v's
 * place and the office of someone who may take it (-1: nobody). */
static int round_trips(const rota_instance *inst, double *R)
{
    int n = inst->n_places, rc = -1;
    double *out = malloc((size_t)n * sizeof *out);
    double *back = malloc((size_t)n * sizeof *back);
    if (!out || !back)
        goto fail;
    for (int v = 0; v < inst->n_visits; v++)
        R[v] = -1;
    for (int o = 0; o < inst->n_offices; o++) {
        if (rota_shortest_minutes(inst, o, 1, 0, out) < 0 ||
            rota_shortest_minutes(inst, o, 0, 0, back) < 0)
            goto fail;
        for (int v = 0; v < inst->n_visits; v++) {
            int p = rota_visit_place(inst, v), may = 0;
            for (int k = 0; k < inst->n_staff && !may; k++)
                may = inst->staff[k].office == o &&
                      inst->staff[k].max_sites != 0 &&
                      rota_staff_may_take(inst, k, v);
            double r = out[p] + back[p];
            if (may && (R[v] < 0 || r < R[v]))
                R[v] = r;
        }
    }
    rc = 0;
fail:
    free(out);
    free(back);
    return rc;
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* The bound for one role (see the top of the file); 0 when it has no
 * visit.  occR: scratch for its occurrences' R. */
static double role_bound(const rota_instance *inst, int role,
                         const int *in, const int *out, const double *R,
                         double *occR)
{
    int W = inst->cycle_weeks, M = inst->max_visits_per_day, n = 0;
    double sum_in = 0, sum_out = 0, hits = 0;
    double back = 1e18, leave = 1e18;
    for (int s = 0; s < inst->n_sites; s++) {
        const rota_site *site = &inst->sites[s];
        int h = 0;
        for (int v = site->first_visit;
             v < site->first_visit + site->n_visits; v++) {
            const rota_visit *x = &inst->visits[v];
            if (x->role != role)
                continue;
            int occ = W / x->every_weeks;
            h = occ > h ? occ : h;
            sum_in += (double)occ * in[v];
            sum_out += (double)occ * out[v];
            for (int i = 0; i < occ; i++)
                occR[n++] = R[v];
            for (int k = 0; k < inst->n_staff; k++) {
                if (inst->staff[k].role != role)
                    continue;
                int o = inst->staff[k].office, p = rota_visit_place(inst, v);
                int b = rota_leg_minutes(inst, p, o);
                int l = rota_leg_minutes(inst, o, p);
                back = b < back ? b : back;
                leave = l < leave ? l : leave;
            }
        }
        hits += h;
    }
    if (n == 0 || M < 1)
        return 0;
    qsort(occR, (size_t)n, sizeof *occR, cmp_desc);
    double best = 0, beta = inst->buffer_minutes;
    for (int i = 0; i <= LAMBDA_STEPS; i++) {
        double lam = (double)i / LAMBDA_STEPS;
        double a_in = lam * sum_in, a_out = lam * sum_out;
        for (int g = 0; g < n; g += M) {
            double b = (1 - lam) * (occR[g] + beta);
            a_in += lam * back + b;
            a_out += lam * leave + b;
        }
        a_in += (1 - lam) * beta * hits;
        a_out += (1 - lam) * beta * hits;
        best = a_in > best ? a_in : best;
        best = a_out > best ? a_out : best;
    }
    return best;
}

double rota_tour_travel_bound(const rota_instance *inst, const int *in,
                              const int *out)
{
    double total = 0, *R = NULL, *occR = NULL;
    int W = inst->cycle_weeks;
    R = malloc(((size_t)inst->n_visits + 1) * sizeof *R);
    occR = malloc(((size_t)inst->n_visits * W + 1) * sizeof *occR);
    if (!R || !occR || round_trips(inst, R) < 0)
        goto fail;
    for (int v = 0; v < inst->n_visits; v++)
        if (R[v] < 0)
            goto fail;      /* nobody may take it: presolve says so */
    for (int r = 0; r < inst->n_roles; r++)
        total += role_bound(inst, r, in, out, R, occR);
    free(R);
    free(occR);
    return total;
fail:
    free(R);
    free(occR);
    return -1;
}
