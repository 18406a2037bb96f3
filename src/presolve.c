/* presolve.c - infeasibility proofs and a simple lower bound.
 *
 * The simple bound.  Every occurrence of a covered visit v has one leg into
 * it and one leg out of it, each from or to a place its staff member can
 * be at: an office of a staff member who may take v, or another site with
 * a visit of v's role.  With in(v), out(v) the shortest such legs and
 * occ(v) = W / every_weeks its occurrences per cycle, the legs of a roster
 * (each counted once as the leg into its end, once as the leg out of its
 * start, the office's legs adding more) total at least
 *
 *     max(sum occ(v) in(v), sum occ(v) out(v))       over covered v
 *
 * and each covered visit costs at least its cheapest soft cost over the
 * places it fits alone (soft(v)).  So under hard coverage
 *
 *     LB = travel weight / W x max(sum occ in, sum occ out, tour) + sum soft(v)
 *
 * where tour is tour_bound.c's: every tour goes out to its farthest place
 * and back (with shortest paths, so also for a matrix that breaks the
 * triangle inequality), at most max_visits_per_day visits a tour.
 *
 * and under soft coverage, per visit covering it costs at least
 * cover(v) = travel weight / W x occ(v) (in(v) + out(v)) / 2 + soft(v) (a
 * weaker, per-visit form of the same count) and leaving it out costs
 * leave(v) = uncovered weight x need(v); the covered visits' minutes plus
 * legs into them must fit each role's capacity: a knapsack whose
 * fractional relaxation is the bound (soft_role_bound).
 *
 * Balance and the rest are >= 0.  Proved and cheap; column generation
 * does better where it converges (koebenhavn-all-1: 2,077.5 without the
 * tour bound, 4,103 with it, the best roster about 4,630).
 *
 * "Fits alone" (proof 2) is the evaluator's single-visit day walk unless
 * some walk through other places reaches the site, or the office from
 * it, faster than the direct leg (a matrix with a shortcut): then only
 * the shortest legs there and back are asked for (see tour_fits).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "presolve.h"
#include "rota/eval.h"
#include "rota/travel.h"
#include "tour_bound.h"

/* What one visit admits on its own. */
typedef struct vfit {
    int n_staff;         /* staff who may take it (2.1) */
    int fits;            /* some (staff, day, start) fits alone */
    int timed;           /* some (staff, day, start) passes rule 2.3 */
    double soft;         /* cheapest soft cost where it fits */
    int in, out;         /* shortest legs into and out of it */
} vfit;

static const char *label(const rota_instance *inst, int v, char *buf,
                         size_t n)
{
    const rota_visit *x = &inst->visits[v];
    snprintf(buf, n, "%s/%s", inst->sites[x->site].id, inst->roles[x->role]);
    return buf;
}

static double soft_cost(const rota_instance *inst, int v, int k, int d, int t)
{
    const rota_visit *x = &inst->visits[v];
    double c = 0;
    if (x->current.staff >= 0 && x->current.staff != k)
        c += inst->w_continuity;
    if ((x->current.day >= 0 && x->current.day != d) ||
        (x->current.start >= 0 && x->current.start != t))
        c += inst->w_slot_change;
    if (!rota_visit_preferred_ok(inst, v, d, t))
        c += inst->w_preference;
    return c;
}

/* Shortest legs between each office and every place (rota_shortest_
 * minutes, buffers included): to[o * n_places + p] from office o to p,
 * from[o * n_places + p] from p back to o. */
typedef struct reach {
    double *to, *from;
} reach;

static int reach_init(const rota_instance *inst, reach *r)
{
    size_t n = (size_t)inst->n_offices * inst->n_places + 1;
    r->to = malloc(n * sizeof *r->to);
    r->from = malloc(n * sizeof *r->from);
    if (!r->to || !r->from)
        return -1;
    for (int o = 0; o < inst->n_offices; o++)
        if (rota_shortest_minutes(inst, o, 1, inst->buffer_minutes,
                                  r->to + (size_t)o * inst->n_places) < 0 ||
            rota_shortest_minutes(inst, o, 0, inst->buffer_minutes,
                                  r->from + (size_t)o * inst->n_places) < 0)
            return -1;
    return 0;
}

static void reach_free(reach *r)
{
    free(r->to);
    free(r->from);
}

/* A single-visit tour at (k, d, t) when no tour through v can reach it or
 * leave it faster than the direct legs (always so when the legs obey the
 * triangle inequality): rota_day_walk, the evaluator's own check.  Else
 * (a matrix with a shortcut through another place) only what every tour
 * through v needs: the shortest legs there and back inside one segment,
 * within the day's travel limit and the week's capacity. */
static int tour_fits(const rota_instance *inst, const reach *r, int v, int k,
                     int d, int t, int *travel)
{
    const rota_staff *s = &inst->staff[k];
    int p = rota_visit_place(inst, v), o = s->office;
    double to = r->to[(size_t)o * inst->n_places + p];
    double from = r->from[(size_t)o * inst->n_places + p];
    if (to >= rota_leg_minutes(inst, o, p) &&
        from >= rota_leg_minutes(inst, p, o)) {
        rota_day_item it = {v, t};
        return rota_day_walk(inst, k, d, &it, 1, travel, NULL, NULL, NULL,
                             NULL, NULL) == ROTA_DAY_OK;
    }
    *travel = (int)(to + from);
    if (to + from > inst->max_travel_per_day)
        return 0;
    int end = t + inst->visits[v].minutes;
    for (int i = 0; i < s->seg[d].n; i++)
        if (s->seg[d].v[i].start + to <= t && end + from <= s->seg[d].v[i].end)
            return 1;
    return 0;
}

/* Whether v fits alone at (k, d, t): rules 2.1 (pin day/start), 2.3, a
 * single-visit tour (2.5, 2.6; see tour_fits), and the week's capacity
 * (2.7). */
static int fits_alone(const rota_instance *inst, const reach *r, int v,
                      int k, int d, int t)
{
    const rota_visit *x = &inst->visits[v];
    if ((x->pin.day >= 0 && x->pin.day != d) ||
        (x->pin.start >= 0 && x->pin.start != t))
        return 0;
    if (inst->max_visits_per_day < 1 || !rota_visit_time_ok(inst, k, v, d, t))
        return 0;
    int travel = 0;
    if (!tour_fits(inst, r, v, k, d, t, &travel))
        return 0;
    return x->minutes + travel <= inst->staff[k].capacity + 1e-9;
}

static int eligible(const rota_instance *inst, int k, int v)
{
    return rota_staff_may_take(inst, k, v) && inst->staff[k].max_sites != 0;
}

/* Scans every (staff, day, start) of visit v. */
static void scan_visit(const rota_instance *inst, const reach *r, int v,
                       vfit *f)
{
    const rota_visit *x = &inst->visits[v];
    int sl = inst->slot_minutes > 0 ? inst->slot_minutes : 1;
    f->soft = INFINITY;
    for (int k = 0; k < inst->n_staff; k++) {
        if (!eligible(inst, k, v))
            continue;
        f->n_staff++;
        for (int d = 0; d < ROTA_DAYS; d++)
            for (int i = 0; i < x->windows[d].n; i++) {
                rota_span w = x->windows[d].v[i];
                for (int t = (w.start + sl - 1) / sl * sl;
                     t + x->minutes <= w.end; t += sl) {
                    f->timed |= rota_visit_time_ok(inst, k, v, d, t);
                    if (fits_alone(inst, r, v, k, d, t)) {
                        f->fits = 1;
                        f->soft = fmin(f->soft, soft_cost(inst, v, k, d, t));
                    }
                }
            }
    }
}

/* Shortest legs into and out of v from the places a tour through it can
 * come from or go to. */
static void scan_legs(const rota_instance *inst, int v, vfit *f)
{
    int pv = rota_visit_place(inst, v), role = inst->visits[v].role;
    f->in = f->out = 1 << 30;
    for (int k = 0; k < inst->n_staff; k++) {
        if (!eligible(inst, k, v))
            continue;
        int o = inst->staff[k].office;
        f->in = f->in < rota_leg_minutes(inst, o, pv) ? f->in : rota_leg_minutes(inst, o, pv);
        f->out = f->out < rota_leg_minutes(inst, pv, o) ? f->out : rota_leg_minutes(inst, pv, o);
    }
    for (int u = 0; u < inst->n_visits; u++) {
        if (u == v || inst->visits[u].role != role)
            continue;
        int pu = rota_visit_place(inst, u);
        int a = rota_leg_minutes(inst, pu, pv), b = rota_leg_minutes(inst, pv, pu);
        if (a < f->in)
            f->in = a;
        if (b < f->out)
            f->out = b;
    }
    if (f->in == 1 << 30)
        f->in = f->out = 0;
}

/* Whether some staff member may take v at (d, t) alone. */
static int fits_any(const rota_instance *inst, const reach *r, int v, int d,
                    int t)
{
    for (int k = 0; k < inst->n_staff; k++)
        if (eligible(inst, k, v) && fits_alone(inst, r, v, k, d, t))
            return 1;
    return 0;
}

static int same_weeks_exist(const rota_instance *inst, int a, int b)
{
    int ea = inst->visits[a].every_weeks, eb = inst->visits[b].every_weeks;
    for (int p = 1; p <= ea; p++)
        for (int q = 1; q <= eb; q++)
            if (rota_phase_weeks(ea, p, inst->cycle_weeks) ==
                rota_phase_weeks(eb, q, inst->cycle_weeks))
                return 1;
    return 0;
}

/* Proof 3 for the pair (v, its `with`). */
static int joint_ok(const rota_instance *inst, const reach *r, int v,
                    char *why, size_t n)
{
    int u = inst->visits[v].with;
    char a[160], b[160];
    if (u < 0)
        return 1;
    label(inst, v, a, sizeof a);
    label(inst, u, b, sizeof b);
    if (!same_weeks_exist(inst, v, u)) {
        snprintf(why, n, "joint visits %s (every %d weeks) and %s (every %d "
                 "weeks) can never occur in the same weeks", a,
                 inst->visits[v].every_weeks, b, inst->visits[u].every_weeks);
        return 0;
    }
    int sl = inst->slot_minutes > 0 ? inst->slot_minutes : 1;
    for (int d = 0; d < ROTA_DAYS; d++)
        for (int t = 0; t < 24 * 60; t += sl)
            if (fits_any(inst, r, v, d, t) && fits_any(inst, r, u, d, t))
                return 1;
    snprintf(why, n, "joint visits %s and %s have no common day and start "
             "that both fit (windows, availability, tours)", a, b);
    return 0;
}

static int visit_ok(const rota_instance *inst, int v, const vfit *f,
                    char *why, size_t n)
{
    char lb[160];
    label(inst, v, lb, sizeof lb);
    const char *role = inst->roles[inst->visits[v].role];
    if (f->n_staff == 0) {
        snprintf(why, n, "visit %s: no staff member may take it (no %s "
                 "passes its role, staff_allowed, districts, pin and "
                 "max_sites)", lb, role);
        return 0;
    }
    if (!f->timed) {
        snprintf(why, n, "visit %s: none of its windows holds its %d minutes "
                 "inside the availability of a %s who may take it (rule 2.3)",
                 lb, inst->visits[v].minutes, role);
        return 0;
    }
    if (!f->fits) {
        snprintf(why, n, "visit %s: no staff member, day and start fit it "
                 "even alone (its %d minutes in its windows and a staff "
                 "member's availability, a tour office-site-office inside "
                 "one segment, max_travel_per_day %d, week capacity)",
                 lb, inst->visits[v].minutes, inst->max_travel_per_day);
        return 0;
    }
    return 1;
}

/* Proof 4 for one role: minutes, visits per day, sites. */
static int role_ok(const rota_instance *inst, int role, const vfit *fit,
                   char *why, size_t n)
{
    int W = inst->cycle_weeks;
    double need = 0, in = 0, out = 0, cap = 0, slots = 0, sites = 0;
    long visits = 0;
    int unlimited = 0;
    for (int v = 0; v < inst->n_visits; v++) {
        if (inst->visits[v].role != role)
            continue;
        int occ = W / inst->visits[v].every_weeks;
        need += (double)occ * inst->visits[v].minutes;
        in += (double)occ * fit[v].in;
        out += (double)occ * fit[v].out;
        visits += occ;
        sites++;
    }
    for (int k = 0; k < inst->n_staff; k++) {
        const rota_staff *s = &inst->staff[k];
        if (s->role != role)
            continue;
        cap += W * s->capacity;
        for (int d = 0; d < ROTA_DAYS; d++)
            slots += s->avail[d].n ? (double)W * inst->max_visits_per_day : 0;
        if (s->max_sites < 0)
            unlimited = 1;
        else
            sites -= s->max_sites;
    }
    const char *r = inst->roles[role];
    double travel = fmax(in, out);
    if (need + travel > cap + 1e-6) {
        snprintf(why, n, "the %s visits need at least %.0f minutes a week "
                 "(%.0f of visits and at least %.0f of travel) but the %s "
                 "staff have %.0f minutes of capacity a week", r,
                 (need + travel) / W, need / W, travel / W, r, cap / W);
        return 0;
    }
    if (visits > slots) {
        snprintf(why, n, "the %s visits occur %ld times in the %d-week cycle "
                 "but the %s staff's working days hold at most %.0f "
                 "(max_visits_per_day %d)", r, visits, W, r, slots,
                 inst->max_visits_per_day);
        return 0;
    }
    if (!unlimited && sites > 0) {
        snprintf(why, n, "there are more %s visits than the max_sites of "
                 "all %s staff together allow", r, r);
        return 0;
    }
    return 1;
}

/* One visit of the soft-coverage knapsack below. */
typedef struct kitem {
    double load;     /* minutes it needs over the cycle: occ (minutes + in) */
    double extra;    /* cost of leaving it out minus the least cost of covering it */
} kitem;

static int cmp_ratio(const void *a, const void *b)
{
    const kitem *x = a, *y = b;
    double rx = x->extra / x->load, ry = y->extra / y->load;
    return (rx > ry) - (rx < ry);
}

/* Soft coverage, one role: each visit is covered (cost at least cover(v),
 * load at least occ (minutes + in)) or left out (cost leave(v)), and the
 * covered load fits the role's capacity over the cycle.  Relaxing "covered"
 * to a fraction gives a knapsack solved greedily: cover everything worth
 * covering, then leave out the cheapest cost per minute until it fits. */
static double soft_role_bound(const rota_instance *inst, int role,
                              const vfit *fit)
{
    int W = inst->cycle_weeks, n = 0;
    double wt = inst->w_travel / W, lb = 0, load = 0, cap = 0;
    kitem *it = malloc(((size_t)inst->n_visits + 1) * sizeof *it);
    if (!it)
        return 0;
    for (int v = 0; v < inst->n_visits; v++) {
        if (inst->visits[v].role != role)
            continue;
        double leave = inst->w_uncovered * inst->sites[inst->visits[v].site].need;
        int occ = W / inst->visits[v].every_weeks;
        double cover = fit[v].fits ? wt * occ * 0.5 * (fit[v].in + fit[v].out) +
                                     fit[v].soft : INFINITY;
        if (leave <= cover) {
            lb += leave;
            continue;
        }
        lb += cover;
        it[n].load = (double)occ * (inst->visits[v].minutes + fit[v].in);
        it[n].extra = leave - cover;
        load += it[n++].load;
    }
    for (int k = 0; k < inst->n_staff; k++)
        if (inst->staff[k].role == role)
            cap += W * inst->staff[k].capacity;
    qsort(it, (size_t)n, sizeof *it, cmp_ratio);
    for (int i = 0; i < n && load > cap; i++) {
        double drop = fmin(it[i].load, load - cap);
        lb += it[i].extra * drop / it[i].load;
        load -= drop;
    }
    free(it);
    return lb;
}

/* tour_bound.c's bound of the cycle's leg minutes; 0 when it has none. */
static double tour_travel(const rota_instance *inst, const vfit *fit)
{
    int n = inst->n_visits;
    double b = -1;
    int *in = malloc(((size_t)n + 1) * sizeof *in);
    int *out = malloc(((size_t)n + 1) * sizeof *out);
    if (in && out) {
        for (int v = 0; v < n; v++) {
            in[v] = fit[v].in;
            out[v] = fit[v].out;
        }
        b = rota_tour_travel_bound(inst, in, out);
    }
    free(in);
    free(out);
    return b > 0 ? b : 0;
}

static double simple_bound(const rota_instance *inst, const vfit *fit,
                           double *soft_sum)
{
    int W = inst->cycle_weeks;
    double wt = inst->w_travel / W;
    if (!inst->coverage_soft) {
        double in = 0, out = 0, soft = 0;
        for (int v = 0; v < inst->n_visits; v++) {
            int occ = W / inst->visits[v].every_weeks;
            in += (double)occ * fit[v].in;
            out += (double)occ * fit[v].out;
            soft += fit[v].soft;
        }
        *soft_sum = soft;
        return wt * fmax(fmax(in, out), tour_travel(inst, fit)) + soft;
    }
    double lb = 0;
    for (int r = 0; r < inst->n_roles; r++)
        lb += soft_role_bound(inst, r, fit);
    return lb;
}

double rota_bound_step_down(double lb)
{
    double b = lb > 0 ? lb * (1 - 1e-12) - 1e-9 : 0;
    return b > 0 ? b : 0;
}

rota_status rota_presolve_run(const rota_instance *inst, rota_presolve *out)
{
    memset(out, 0, sizeof *out);
    reach rc = {0};
    vfit *fit = calloc((size_t)inst->n_visits + 1, sizeof *fit);
    if (!fit || reach_init(inst, &rc) < 0) {
        free(fit);
        reach_free(&rc);
        return ROTA_ENOMEM;
    }
    for (int v = 0; v < inst->n_visits; v++) {
        scan_visit(inst, &rc, v, &fit[v]);
        scan_legs(inst, v, &fit[v]);
    }
    char *why = out->reason;
    size_t n = sizeof out->reason;
    if (!inst->coverage_soft) {
        for (int v = 0; v < inst->n_visits && !out->infeasible; v++)
            out->infeasible = !visit_ok(inst, v, &fit[v], why, n);
        for (int v = 0; v < inst->n_visits && !out->infeasible; v++)
            out->infeasible = !joint_ok(inst, &rc, v, why, n);
        for (int r = 0; r < inst->n_roles && !out->infeasible; r++)
            out->infeasible = !role_ok(inst, r, fit, why, n);
    }
    if (!out->infeasible) {
        out->bound = rota_bound_step_down(simple_bound(inst, fit, &out->soft));
    }
    free(fit);
    reach_free(&rc);
    return ROTA_OK;
}
