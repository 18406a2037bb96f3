/* eval.c - every rule of spec section 2 and every figure of sections 3-4.
 *
 * rota_evaluate() turns a roster into tours, legs, per-staff figures, the
 * six objective terms and a list of violations.  The solver and the checker
 * both call it, so a roster's figures have exactly one definition.
 *
 * A day of one staff member in one cycle week (rule 5):
 *
 *   segments = availability windows minus blocked intervals (staff.seg[d])
 *   visits sorted by start; visit i belongs to segment key(i) = the number
 *   of segments that end at or before its start, so consecutive visits of one
 *   key form one tour:  office -> v1 -> ... -> vn -> office.
 *   leg(a,b) = travel(a,b) + buffer, 0 when a == b
 *   first leg departs at start(v1) - leg >= segment start
 *   start(v[i+1]) >= end(v[i]) + leg(v[i], v[i+1])   (departs as late as possible)
 *   last leg departs at end(vn), arrives end(vn) + leg <= segment end
 *
 * Rule 6 counts the day's visits and leg minutes; rule 7 sums visit and leg
 * minutes over a cycle week against hours * 60 * consult_share.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rota/eval.h"
#include "rota/travel.h"

#define CAPACITY_EPS 1e-9

const char *rota_rule_name(rota_rule rule)
{
    switch (rule) {
    case ROTA_RULE_COVERAGE: return "coverage";
    case ROTA_RULE_ROLE: return "role";
    case ROTA_RULE_FIXED_SLOT: return "fixed slot";
    case ROTA_RULE_TIME: return "time";
    case ROTA_RULE_JOINT: return "joint visit";
    case ROTA_RULE_TOUR: return "tours";
    case ROTA_RULE_DAY: return "day limits";
    case ROTA_RULE_WEEK: return "week capacity";
    case ROTA_RULE_SITES: return "sites";
    }
    return "unknown rule";
}

static int span_contains(const rota_spans *s, int from, int to)
{
    for (int i = 0; i < s->n; i++)
        if (s->v[i].start <= from && to <= s->v[i].end)
            return 1;
    return 0;
}

int rota_visit_time_ok(const rota_instance *inst, int staff, int visit,
                       int day, int start)
{
    const rota_visit *v = &inst->visits[visit];
    if (day < 0 || day >= ROTA_DAYS || start < 0 ||
        start % inst->slot_minutes != 0)
        return 0;
    int end = start + v->minutes;
    return span_contains(&v->windows[day], start, end) &&
           span_contains(&inst->staff[staff].avail[day], start, end);
}

int rota_visit_preferred_ok(const rota_instance *inst, int visit, int day,
                            int start)
{
    const rota_visit *v = &inst->visits[visit];
    if (!v->has_preferred)
        return 1;
    if (day < 0 || day >= ROTA_DAYS)
        return 0;
    return span_contains(&v->preferred[day], start, start + v->minutes);
}

/* The segment a visit starting at `start` belongs to: the number of
 * segments that end at or before it.  Visits of one key share a tour. */
static int segment_key(const rota_spans *seg, int start)
{
    int k = 0;
    while (k < seg->n && seg->v[k].end <= start)
        k++;
    return k;
}

typedef struct walk {
    const rota_instance *inst;
    rota_day_problem first;
    rota_day_report report;
    void *user;
    rota_leg *legs;
    int *leg_tour;
    int n_legs;
    int travel;
} walk;

static void walk_problem(walk *w, rota_day_problem p, int item, int detail)
{
    if (w->first == ROTA_DAY_OK)
        w->first = p;
    if (w->report)
        w->report(w->user, p, item, detail);
}

static void walk_leg(walk *w, int tour, int from, int to, int depart,
                     int minutes)
{
    if (w->legs) {
        w->legs[w->n_legs] = (rota_leg){.from = from, .to = to,
                                        .depart = depart,
                                        .arrive = depart + minutes,
                                        .minutes = minutes};
        if (w->leg_tour)
            w->leg_tour[w->n_legs] = tour;
    }
    w->n_legs++;
    w->travel += minutes;
}

/* One tour: items[lo..hi) all in segment `key` (which may not exist when a
 * visit lies after the last segment: then only the legs are computed). */
static void walk_tour(walk *w, int staff, int day, const rota_day_item *items,
                      int lo, int hi, int key, int tour)
{
    const rota_instance *inst = w->inst;
    const rota_staff *k = &inst->staff[staff];
    const rota_spans *seg = &k->seg[day];
    int has_seg = key < seg->n;
    int seg_lo = has_seg ? seg->v[key].start : 0;
    int seg_hi = has_seg ? seg->v[key].end : 24 * 60;
    int place = k->office, prev_end = -1;

    for (int i = lo; i < hi; i++) {
        const rota_visit *v = &inst->visits[items[i].visit];
        int start = items[i].start, end = start + v->minutes;
        if (!has_seg || start < seg_lo || end > seg_hi)
            walk_problem(w, ROTA_DAY_BLOCKED, i,
                         span_contains(&k->avail[day], start, end));
        int to = rota_visit_place(inst, items[i].visit);
        int leg = rota_leg_minutes(inst, place, to);
        if (i == lo) {
            if (has_seg && start - leg < seg_lo)
                walk_problem(w, ROTA_DAY_EARLY, i, leg);
        } else if (start - leg < prev_end) {
            walk_problem(w, ROTA_DAY_OVERLAP, i, leg);
        }
        walk_leg(w, tour, place, to, start - leg, leg);
        place = to;
        prev_end = end;
    }
    int leg = rota_leg_minutes(inst, place, k->office);
    if (has_seg && prev_end + leg > seg_hi)
        walk_problem(w, ROTA_DAY_LATE, hi - 1, leg);
    walk_leg(w, tour, place, k->office, prev_end, leg);
}

rota_day_problem rota_day_walk(const rota_instance *inst, int staff, int day,
                               const rota_day_item *items, int n,
                               int *travel, rota_leg *legs, int *n_legs,
                               int *leg_tour, rota_day_report report,
                               void *user)
{
    walk w = {.inst = inst, .first = ROTA_DAY_OK, .report = report,
              .user = user, .legs = legs, .leg_tour = leg_tour};
    const rota_spans *seg = &inst->staff[staff].seg[day];
    int tour = 0;
    for (int i = 0; i < n;) {
        int key = segment_key(seg, items[i].start);
        int j = i + 1;
        while (j < n && segment_key(seg, items[j].start) == key)
            j++;
        walk_tour(&w, staff, day, items, i, j, key, tour++);
        i = j;
    }
    if (n > inst->max_visits_per_day)
        walk_problem(&w, ROTA_DAY_TOO_MANY, -1, n);
    if (w.travel > inst->max_travel_per_day)
        walk_problem(&w, ROTA_DAY_TOO_MUCH_TRAVEL, -1, w.travel);
    if (travel)
        *travel = w.travel;
    if (n_legs)
        *n_legs = w.n_legs;
    return w.first;
}

/* ---- the whole roster ------------------------------------------------ */

/* One occurrence of a visit: a staff member's visit in one cycle week. */
typedef struct occurrence {
    int staff, week, day, start, visit;
} occurrence;

static int occurrence_cmp(const void *a, const void *b)
{
    const occurrence *x = a, *y = b;
    if (x->staff != y->staff) return x->staff < y->staff ? -1 : 1;
    if (x->week != y->week) return x->week < y->week ? -1 : 1;
    if (x->day != y->day) return x->day < y->day ? -1 : 1;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return (x->visit > y->visit) - (x->visit < y->visit);
}

typedef struct evaluator {
    const rota_instance *inst;
    const rota_roster *r;
    rota_eval *e;
    int viol_cap, tour_cap;
    int oom;
    /* the day being walked, for messages */
    int staff, week, day;
    const rota_day_item *items;
} evaluator;

static const char *visit_label(const rota_instance *inst, int v, char *buf,
                               size_t n)
{
    const rota_visit *x = &inst->visits[v];
    snprintf(buf, n, "%s/%s", inst->sites[x->site].id, inst->roles[x->role]);
    return buf;
}

#if defined(__GNUC__)
__attribute__((format(printf, 7, 8)))
#endif
static void add_violation(evaluator *ev, rota_rule rule, int visit, int staff,
                          int week, int day, const char *fmt, ...)
{
    rota_eval *e = ev->e;
    if (e->n_viol == ev->viol_cap) {
        int cap = ev->viol_cap ? 2 * ev->viol_cap : 16;
        rota_violation *v = realloc(e->viol, (size_t)cap * sizeof *v);
        if (!v) {
            ev->oom = 1;
            return;
        }
        e->viol = v;
        ev->viol_cap = cap;
    }
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *msg = strdup(buf);
    if (!msg) {
        ev->oom = 1;
        return;
    }
    e->viol[e->n_viol++] = (rota_violation){.rule = rule, .visit = visit,
        .staff = staff, .week = week, .day = day, .msg = msg};
}

static int has(const int *xs, int n, int x)
{
    for (int i = 0; i < n; i++)
        if (xs[i] == x)
            return 1;
    return 0;
}

/* Rule 1: role, staff_allowed, districts, every given part of the pin. */
static void check_role(evaluator *ev, int v)
{
    const rota_instance *inst = ev->inst;
    const rota_assign *a = &ev->r->a[v];
    const rota_visit *x = &inst->visits[v];
    const rota_staff *k = &inst->staff[a->staff];
    char lb[160];
    visit_label(inst, v, lb, sizeof lb);
    if (k->role != x->role)
        add_violation(ev, ROTA_RULE_ROLE, v, a->staff, 0, a->day,
                      "visit %s needs a %s but %s is a %s", lb,
                      inst->roles[x->role], k->id, inst->roles[k->role]);
    if (x->n_allowed >= 0 && !has(x->allowed, x->n_allowed, a->staff))
        add_violation(ev, ROTA_RULE_ROLE, v, a->staff, 0, a->day,
                      "visit %s: %s is not in its staff_allowed", lb, k->id);
    int district = inst->sites[x->site].district;
    if (k->n_districts >= 0 && district >= 0 &&
        !has(k->districts, k->n_districts, district))
        add_violation(ev, ROTA_RULE_ROLE, v, a->staff, 0, a->day,
                      "visit %s: site is in district %s, which %s does not serve",
                      lb, inst->districts[district], k->id);
    if (x->pin.staff >= 0 && x->pin.staff != a->staff)
        add_violation(ev, ROTA_RULE_ROLE, v, a->staff, 0, a->day,
                      "visit %s is pinned to %s, not %s", lb,
                      inst->staff[x->pin.staff].id, k->id);
    if (x->pin.day >= 0 && x->pin.day != a->day)
        add_violation(ev, ROTA_RULE_ROLE, v, a->staff, 0, a->day,
                      "visit %s is pinned to %s, not %s", lb,
                      rota_day_names[x->pin.day], rota_day_names[a->day]);
    char t1[6], t2[6];
    if (x->pin.start >= 0 && x->pin.start != a->start)
        add_violation(ev, ROTA_RULE_ROLE, v, a->staff, 0, a->day,
                      "visit %s is pinned to start at %s, not %s", lb,
                      rota_fmt_time(x->pin.start, t1),
                      rota_fmt_time(a->start, t2));
}

/* Rule 2: the weeks are those of one phase p of every_weeks. */
static void check_weeks(evaluator *ev, int v)
{
    const rota_instance *inst = ev->inst;
    const rota_assign *a = &ev->r->a[v];
    int e = inst->visits[v].every_weeks;
    if (rota_phase_of(e, a->weeks, inst->cycle_weeks))
        return;
    char lb[160];
    add_violation(ev, ROTA_RULE_FIXED_SLOT, v, a->staff, 0, a->day,
                  "visit %s every %d week(s) of a %d-week cycle cannot occur "
                  "in these weeks (week mask %#x)", visit_label(inst, v, lb,
                  sizeof lb), e, inst->cycle_weeks, a->weeks);
}

/* Rule 3: slot grid, the visit's windows, the staff member's availability. */
static void check_time(evaluator *ev, int v)
{
    const rota_instance *inst = ev->inst;
    const rota_assign *a = &ev->r->a[v];
    const rota_visit *x = &inst->visits[v];
    char lb[160], t1[6], t2[6];
    int end = a->start + x->minutes;
    visit_label(inst, v, lb, sizeof lb);
    rota_fmt_time(a->start, t1);
    rota_fmt_time(end, t2);
    if (a->start % inst->slot_minutes != 0)
        add_violation(ev, ROTA_RULE_TIME, v, a->staff, 0, a->day,
                      "visit %s starts at %s, not a multiple of %d minutes",
                      lb, t1, inst->slot_minutes);
    if (!span_contains(&x->windows[a->day], a->start, end))
        add_violation(ev, ROTA_RULE_TIME, v, a->staff, 0, a->day,
                      "visit %s %s-%s on %s is outside its windows", lb, t1,
                      t2, rota_day_names[a->day]);
    if (!span_contains(&inst->staff[a->staff].avail[a->day], a->start, end))
        add_violation(ev, ROTA_RULE_TIME, v, a->staff, 0, a->day,
                      "visit %s %s-%s on %s is outside the availability of %s",
                      lb, t1, t2, rota_day_names[a->day],
                      inst->staff[a->staff].id);
}

/* Rule 4, checked once per pair from the visit that carries `with`. */
static void check_joint(evaluator *ev, int v)
{
    const rota_instance *inst = ev->inst;
    int u = inst->visits[v].with;
    if (u < 0)
        return;
    const rota_assign *a = &ev->r->a[v], *b = &ev->r->a[u];
    char l1[160], l2[160];
    visit_label(inst, v, l1, sizeof l1);
    visit_label(inst, u, l2, sizeof l2);
    if ((a->staff < 0) != (b->staff < 0)) {
        add_violation(ev, ROTA_RULE_JOINT, v, a->staff >= 0 ? a->staff : b->staff,
                      0, -1, "joint visits %s and %s: one is covered, the other not",
                      l1, l2);
        return;
    }
    if (a->staff >= 0 && (a->day != b->day || a->start != b->start ||
                          a->weeks != b->weeks))
        add_violation(ev, ROTA_RULE_JOINT, v, a->staff, 0, a->day,
                      "joint visits %s and %s differ in day, start or weeks",
                      l1, l2);
}

static void check_visits(evaluator *ev)
{
    const rota_instance *inst = ev->inst;
    for (int v = 0; v < inst->n_visits; v++) {
        const rota_assign *a = &ev->r->a[v];
        if (a->staff < 0) {
            if (!inst->coverage_soft) {
                char lb[160];
                add_violation(ev, ROTA_RULE_COVERAGE, v, -1, 0, -1,
                              "visit %s is not covered (coverage is hard)",
                              visit_label(inst, v, lb, sizeof lb));
            }
        } else {
            check_role(ev, v);
            check_weeks(ev, v);
            check_time(ev, v);
        }
        check_joint(ev, v);
    }
}

/* Gathers every occurrence of every covered visit, sorted by staff, week,
 * day and start.  *n receives the count; NULL when out of memory. */
static occurrence *gather(const rota_instance *inst, const rota_roster *r,
                          int *n)
{
    int total = 0;
    for (int v = 0; v < inst->n_visits; v++)
        if (r->a[v].staff >= 0)
            total += __builtin_popcount(r->a[v].weeks &
                                        ((1u << inst->cycle_weeks) - 1));
    occurrence *occ = malloc((size_t)(total ? total : 1) * sizeof *occ);
    if (!occ)
        return NULL;
    int m = 0;
    for (int v = 0; v < inst->n_visits; v++) {
        const rota_assign *a = &r->a[v];
        if (a->staff < 0)
            continue;
        for (int w = 1; w <= inst->cycle_weeks; w++)
            if (a->weeks & (1u << (w - 1)))
                occ[m++] = (occurrence){a->staff, w, a->day, a->start, v};
    }
    qsort(occ, (size_t)m, sizeof *occ, occurrence_cmp);
    *n = m;
    return occ;
}

static void day_report(void *user, rota_day_problem p, int item, int detail)
{
    evaluator *ev = user;
    const rota_instance *inst = ev->inst;
    int v = item >= 0 ? ev->items[item].visit : -1;
    int st = ev->staff, wk = ev->week, d = ev->day;
    const char *who = inst->staff[st].id;
    char lb[160] = "", t1[6], t2[6];
    if (v >= 0) {
        visit_label(inst, v, lb, sizeof lb);
        rota_fmt_time(ev->items[item].start, t1);
    }
    switch (p) {
    case ROTA_DAY_OK:
        break;
    case ROTA_DAY_BLOCKED:
        if (detail) /* outside availability altogether is rule 3's */
            add_violation(ev, ROTA_RULE_TOUR, v, st, wk, d,
                          "visit %s at %s overlaps a blocked interval or a "
                          "gap in the availability of %s", lb, t1, who);
        break;
    case ROTA_DAY_EARLY:
        add_violation(ev, ROTA_RULE_TOUR, v, st, wk, d,
                      "the %d-minute leg to visit %s at %s departs before %s "
                      "may leave the office", detail, lb, t1, who);
        break;
    case ROTA_DAY_OVERLAP: {
        int pv = ev->items[item - 1].visit;
        char lp[160];
        rota_fmt_time(ev->items[item - 1].start + inst->visits[pv].minutes, t2);
        add_violation(ev, ROTA_RULE_TOUR, v, st, wk, d,
                      "visit %s at %s starts before %s ends (%s) plus the "
                      "%d-minute leg", lb, t1,
                      visit_label(inst, pv, lp, sizeof lp), t2, detail);
        break;
    }
    case ROTA_DAY_LATE: {
        const rota_spans *seg = &inst->staff[st].seg[d];
        int key = segment_key(seg, ev->items[item].start);
        char t3[6];
        rota_fmt_time(ev->items[item].start + inst->visits[v].minutes + detail,
                      t2);
        rota_fmt_time(key < seg->n ? seg->v[key].end : 0, t3);
        add_violation(ev, ROTA_RULE_TOUR, v, st, wk, d,
                      "after visit %s the %d-minute leg back to the office "
                      "arrives at %s, after %s must be back (%s: end of "
                      "availability or start of a blocked interval)",
                      lb, detail, t2, who, t3);
        break;
    }
    case ROTA_DAY_TOO_MANY:
        add_violation(ev, ROTA_RULE_DAY, -1, st, wk, d,
                      "%s has %d visits, more than max_visits_per_day %d",
                      who, detail, inst->max_visits_per_day);
        break;
    case ROTA_DAY_TOO_MUCH_TRAVEL:
        add_violation(ev, ROTA_RULE_DAY, -1, st, wk, d,
                      "%s travels %d minutes, more than max_travel_per_day %d",
                      who, detail, inst->max_travel_per_day);
        break;
    }
}

static int push_tour(evaluator *ev, int staff, int week, int day, int first,
                     int n)
{
    rota_eval *e = ev->e;
    if (e->n_tours == ev->tour_cap) {
        int cap = ev->tour_cap ? 2 * ev->tour_cap : 64;
        rota_tour *t = realloc(e->tours, (size_t)cap * sizeof *t);
        if (!t)
            return -1;
        e->tours = t;
        ev->tour_cap = cap;
    }
    e->tours[e->n_tours++] = (rota_tour){staff, week, day, first, n};
    return 0;
}

/* Walks one (staff, week, day) group occ[lo..hi): legs, tours, rule 5/6,
 * and adds its minutes to the staff member's week. */
static int walk_group(evaluator *ev, const occurrence *occ, int lo, int hi,
                      rota_day_item *items, int *leg_tour)
{
    const rota_instance *inst = ev->inst;
    rota_eval *e = ev->e;
    int n = hi - lo;
    for (int i = 0; i < n; i++)
        items[i] = (rota_day_item){occ[lo + i].visit, occ[lo + i].start};
    ev->staff = occ[lo].staff;
    ev->week = occ[lo].week;
    ev->day = occ[lo].day;
    ev->items = items;
    int travel = 0, n_legs = 0, first = e->n_legs;
    rota_day_walk(inst, ev->staff, ev->day, items, n, &travel,
                  e->legs + first, &n_legs, leg_tour, day_report, ev);
    e->n_legs += n_legs;
    for (int i = 0; i < n_legs;) {
        int j = i;
        while (j < n_legs && leg_tour[j] == leg_tour[i])
            j++;
        if (push_tour(ev, ev->staff, ev->week, ev->day, first + i, j - i) < 0)
            return -1;
        i = j;
    }
    rota_staff_figures *f = &e->staff[ev->staff];
    for (int i = 0; i < n; i++)
        f->visit_minutes_week[ev->week - 1] += inst->visits[items[i].visit].minutes;
    f->travel_minutes_week[ev->week - 1] += travel;
    return 0;
}

static int walk_days(evaluator *ev, const occurrence *occ, int n_occ)
{
    rota_eval *e = ev->e;
    int rc = -1;
    rota_day_item *items = malloc((size_t)(n_occ ? n_occ : 1) * sizeof *items);
    int *leg_tour = malloc((size_t)(2 * n_occ + 1) * sizeof *leg_tour);
    e->legs = malloc((size_t)(2 * n_occ + 1) * sizeof *e->legs);
    if (!items || !leg_tour || !e->legs)
        goto fail;
    for (int i = 0; i < n_occ;) {
        int j = i + 1;
        while (j < n_occ && occ[j].staff == occ[i].staff &&
               occ[j].week == occ[i].week && occ[j].day == occ[i].day)
            j++;
        if (walk_group(ev, occ, i, j, items, leg_tour) < 0)
            goto fail;
        i = j;
    }
    rc = 0;
fail:
    free(items);
    free(leg_tour);
    return rc;
}

/* Rules 7 and 8, and each staff member's averaged figures. */
static void staff_figures(evaluator *ev)
{
    const rota_instance *inst = ev->inst;
    rota_eval *e = ev->e;
    int W = inst->cycle_weeks;
    for (int k = 0; k < inst->n_staff; k++) {
        const rota_staff *s = &inst->staff[k];
        rota_staff_figures *f = &e->staff[k];
        long vis = 0, trav = 0;
        for (int w = 0; w < W; w++) {
            vis += f->visit_minutes_week[w];
            trav += f->travel_minutes_week[w];
            int used = f->visit_minutes_week[w] + f->travel_minutes_week[w];
            if (used > s->capacity + CAPACITY_EPS)
                add_violation(ev, ROTA_RULE_WEEK, -1, k, w + 1, -1,
                              "%s has %d visit and travel minutes in week %d, "
                              "more than the capacity of %g", s->id, used,
                              w + 1, s->capacity);
        }
        f->visit_minutes = (double)vis / W;
        f->travel_minutes = (double)trav / W;
        f->capacity = s->capacity;
        f->utilisation = (double)(vis + trav) / W / s->capacity;
        if (s->max_sites >= 0 && f->n_sites > s->max_sites)
            add_violation(ev, ROTA_RULE_SITES, -1, k, 0, -1,
                          "%s serves %d sites, more than max_sites %d",
                          s->id, f->n_sites, s->max_sites);
    }
}

/* Counts distinct sites per staff member (a site may be served by several
 * staff of different roles, and a malformed roster may repeat one). */
static int count_sites(evaluator *ev)
{
    const rota_instance *inst = ev->inst;
    int *last = malloc((size_t)(inst->n_sites ? inst->n_sites : 1) * sizeof *last);
    if (!last)
        return -1;
    for (int k = 0; k < inst->n_staff; k++) {
        for (int s = 0; s < inst->n_sites; s++)
            last[s] = 0;
        for (int v = 0; v < inst->n_visits; v++) {
            if (ev->r->a[v].staff != k)
                continue;
            ev->e->staff[k].n_visits++;
            int s = inst->visits[v].site;
            if (!last[s]) {
                last[s] = 1;
                ev->e->staff[k].n_sites++;
            }
        }
    }
    free(last);
    return 0;
}

/* The six terms of spec section 3. */
static void objective_terms(evaluator *ev)
{
    const rota_instance *inst = ev->inst;
    rota_eval *e = ev->e;
    rota_terms *t = &e->terms;
    long legs = 0;
    for (int i = 0; i < e->n_legs; i++)
        legs += e->legs[i].minutes;
    t->travel = inst->w_travel * (double)legs / inst->cycle_weeks;
    double need = 0;
    int cont = 0, slot = 0, pref = 0;
    for (int v = 0; v < inst->n_visits; v++) {
        const rota_assign *a = &ev->r->a[v];
        const rota_visit *x = &inst->visits[v];
        if (a->staff < 0) {
            need += inst->sites[x->site].need;
            e->n_uncovered++;
            continue;
        }
        e->n_covered++;
        if (x->current.staff >= 0 && x->current.staff != a->staff)
            cont++;
        if ((x->current.day >= 0 && x->current.day != a->day) ||
            (x->current.start >= 0 && x->current.start != a->start))
            slot++;
        if (!rota_visit_preferred_ok(inst, v, a->day, a->start))
            pref++;
    }
    t->continuity = inst->w_continuity * cont;
    t->slot_change = inst->w_slot_change * slot;
    t->preference = inst->w_preference * pref;
    t->uncovered = inst->w_uncovered * need;
    double umax = -INFINITY, umin = INFINITY;
    for (int k = 0; k < inst->n_staff; k++) {
        umax = fmax(umax, e->staff[k].utilisation);
        umin = fmin(umin, e->staff[k].utilisation);
    }
    t->balance = inst->n_staff ? inst->w_balance * 100.0 * (umax - umin) : 0;
    e->objective = t->travel + t->continuity + t->slot_change + t->preference +
                   t->balance + t->uncovered;
}

/* Rejects assignments no evaluation can make sense of (day out of range,
 * weeks outside the cycle); they are reported and treated as uncovered. */
static int sane_assignments(evaluator *ev, rota_roster *copy)
{
    const rota_instance *inst = ev->inst;
    unsigned all = (1u << inst->cycle_weeks) - 1;
    for (int v = 0; v < inst->n_visits; v++) {
        rota_assign *a = &copy->a[v];
        if (a->staff < 0)
            continue;
        char lb[160];
        visit_label(inst, v, lb, sizeof lb);
        if (a->staff >= inst->n_staff || a->day < 0 || a->day >= ROTA_DAYS ||
            a->start < 0 || a->start > 24 * 60 || (a->weeks & ~all) ||
            a->weeks == 0) {
            add_violation(ev, ROTA_RULE_FIXED_SLOT, v, -1, 0, -1,
                          "visit %s has an impossible assignment", lb);
            a->staff = -1;
        }
    }
    return ev->oom ? -1 : 0;
}

rota_status rota_evaluate(const rota_instance *inst, const rota_roster *r,
                          rota_eval *out)
{
    memset(out, 0, sizeof *out);
    evaluator ev = {.inst = inst, .r = r, .e = out};
    occurrence *occ = NULL;
    rota_roster *copy = rota_roster_copy(r);
    out->staff = calloc((size_t)(inst->n_staff ? inst->n_staff : 1),
                        sizeof *out->staff);
    if (!copy || !out->staff || sane_assignments(&ev, copy) < 0)
        goto fail;
    ev.r = copy;
    int n_occ = 0;
    occ = gather(inst, copy, &n_occ);
    if (!occ)
        goto fail;
    check_visits(&ev);
    if (walk_days(&ev, occ, n_occ) < 0 || count_sites(&ev) < 0)
        goto fail;
    staff_figures(&ev);
    objective_terms(&ev);
    if (ev.oom)
        goto fail;
    free(occ);
    rota_roster_free(copy);
    return ROTA_OK;
fail:
    free(occ);
    rota_roster_free(copy);
    rota_eval_free(out);
    return ROTA_ENOMEM;
}

void rota_eval_free(rota_eval *e)
{
    if (!e)
        return;
    for (int i = 0; i < e->n_viol; i++)
        free(e->viol[i].msg);
    free(e->viol);
    free(e->staff);
    free(e->tours);
    free(e->legs);
    memset(e, 0, sizeof *e);
}
