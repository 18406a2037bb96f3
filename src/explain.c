/* explain.c - why an uncovered visit is uncovered (see rota/explain.h).
 *
 * The explainer indexes the roster once: per staff member, cycle week and
 * day, the visits sorted by start, the day's travel, and per week the
 * visit + travel minutes, as rota_evaluate() counts them.  A placement is
 * then judged by walking the one day it changes with rota_day_walk(), so a
 * reason never disagrees with what `rota check` would say of the roster
 * with the visit added.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rota/explain.h"
#include "rota/travel.h"

struct rota_explainer {
    const rota_instance *inst;
    const rota_roster *r;
    int W, n_keys, max_day;
    int *off;                /* n_keys + 1: items of key (k, w, d) */
    rota_day_item *items;
    int *day_travel;         /* per key */
    int *load;               /* per staff and week: visit + travel minutes */
    int *n_sites;            /* per staff */
    unsigned char *serves;   /* n_staff x n_sites */
    rota_day_item *buf;      /* max_day + 1 items for a trial day */
};

/* One placement that got as far as its stage, with figures for the text. */
typedef struct attempt {
    int stage, staff, day, start, week;
    int a, b;                /* stage-specific figures (see describe) */
} attempt;

static const char *const kind_names[] = {
    "not_allowed", "no_window", "blocked", "busy", "day_visits",
    "travel_limit", "capacity", "max_sites", "joint", "placeable",
};

const char *rota_why_kind_str(rota_why_kind k)
{
    return (unsigned)k <= ROTA_WHY_PLACEABLE ? kind_names[k] : "unknown";
}

static int key_of(const rota_explainer *ex, int k, int w, int d)
{
    return (k * ex->W + w) * ROTA_DAYS + d;
}

static int item_cmp(const void *a, const void *b)
{
    const rota_day_item *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->visit > y->visit) - (x->visit < y->visit);
}

/* Counts, then fills, the per-key item lists. */
static int index_items(rota_explainer *ex)
{
    const rota_instance *inst = ex->inst;
    const rota_roster *r = ex->r;
    for (int pass = 0; pass < 2; pass++) {
        int *fill = pass ? calloc((size_t)ex->n_keys + 1, sizeof *fill) : NULL;
        if (pass && !fill)
            return -1;
        for (int v = 0; v < inst->n_visits; v++) {
            const rota_assign *a = &r->a[v];
            if (a->staff < 0 || a->staff >= inst->n_staff || a->day < 0 ||
                a->day >= ROTA_DAYS)
                continue;
            for (int w = 0; w < ex->W; w++) {
                if (!(a->weeks & (1u << w)))
                    continue;
                int key = key_of(ex, a->staff, w, a->day);
                if (pass)
                    ex->items[ex->off[key] + fill[key]++] =
                        (rota_day_item){v, a->start};
                else
                    ex->off[key + 1]++;
            }
        }
        if (!pass) {
            for (int i = 0; i < ex->n_keys; i++)
                ex->off[i + 1] += ex->off[i];
            ex->items = malloc(((size_t)ex->off[ex->n_keys] + 1) *
                               sizeof *ex->items);
            if (!ex->items)
                return -1;
        }
        free(fill);
    }
    return 0;
}

/* Day travel, week loads, sites served. */
static void index_figures(rota_explainer *ex)
{
    const rota_instance *inst = ex->inst;
    for (int key = 0; key < ex->n_keys; key++) {
        int lo = ex->off[key], n = ex->off[key + 1] - lo;
        int k = key / ROTA_DAYS / ex->W, w = key / ROTA_DAYS % ex->W;
        int d = key % ROTA_DAYS, travel = 0;
        if (n > ex->max_day)
            ex->max_day = n;
        qsort(ex->items + lo, (size_t)n, sizeof *ex->items, item_cmp);
        if (n)
            rota_day_walk(inst, k, d, ex->items + lo, n, &travel, NULL, NULL,
                          NULL, NULL, NULL);
        ex->day_travel[key] = travel;
        ex->load[k * ex->W + w] += travel;
        for (int i = lo; i < lo + n; i++)
            ex->load[k * ex->W + w] += inst->visits[ex->items[i].visit].minutes;
    }
    for (int v = 0; v < inst->n_visits; v++) {
        int k = ex->r->a[v].staff;
        if (k < 0 || k >= inst->n_staff)
            continue;
        unsigned char *s = &ex->serves[(size_t)k * inst->n_sites +
                                       inst->visits[v].site];
        if (!*s)
            ex->n_sites[k]++;
        *s = 1;
    }
}

rota_explainer *rota_explainer_new(const rota_instance *inst,
                                   const rota_roster *r)
{
    rota_explainer *ex = calloc(1, sizeof *ex);
    if (!ex)
        return NULL;
    ex->inst = inst;
    ex->r = r;
    ex->W = inst->cycle_weeks;
    ex->n_keys = inst->n_staff * ex->W * ROTA_DAYS;
    size_t ns = (size_t)inst->n_staff + 1;
    ex->off = calloc((size_t)ex->n_keys + 1, sizeof *ex->off);
    ex->day_travel = calloc((size_t)ex->n_keys + 1, sizeof *ex->day_travel);
    ex->load = calloc(ns * (size_t)ex->W, sizeof *ex->load);
    ex->n_sites = calloc(ns, sizeof *ex->n_sites);
    ex->serves = calloc(ns * ((size_t)inst->n_sites + 1), 1);
    if (!ex->off || !ex->day_travel || !ex->load || !ex->n_sites ||
        !ex->serves || index_items(ex) < 0)
        goto fail;
    index_figures(ex);
    ex->buf = malloc(((size_t)ex->max_day + 2) * sizeof *ex->buf);
    if (!ex->buf)
        goto fail;
    return ex;
fail:
    rota_explainer_free(ex);
    return NULL;
}

void rota_explainer_free(rota_explainer *ex)
{
    if (!ex)
        return;
    free(ex->off);
    free(ex->items);
    free(ex->day_travel);
    free(ex->load);
    free(ex->n_sites);
    free(ex->serves);
    free(ex->buf);
    free(ex);
}

static void note_problem(void *user, rota_day_problem p, int item, int detail)
{
    (void)item;
    (void)detail;
    *(unsigned *)user |= 1u << p;
}

/* Stage 2.5/2.6 of the visit alone on staff k's day: the walk's problems
 * as a mask, its travel in *travel. */
static unsigned walk_alone(const rota_explainer *ex, int v, int k, int d,
                           int t, int *travel)
{
    unsigned mask = 0;
    rota_day_item it = {v, t};
    rota_day_walk(ex->inst, k, d, &it, 1, travel, NULL, NULL, NULL,
                  note_problem, &mask);
    return mask;
}

/* The same with the roster's visits of that day and week; *delta receives
 * the day's travel change. */
static unsigned walk_with(const rota_explainer *ex, int v, int k, int w,
                          int d, int t, int *delta)
{
    int key = key_of(ex, k, w, d), lo = ex->off[key];
    int n = ex->off[key + 1] - lo, m = 0, travel = 0;
    rota_day_item *b = ex->buf;
    int placed = 0;
    for (int i = 0; i < n; i++) {
        if (!placed && ex->items[lo + i].start > t) {
            b[m++] = (rota_day_item){v, t};
            placed = 1;
        }
        b[m++] = ex->items[lo + i];
    }
    if (!placed)
        b[m++] = (rota_day_item){v, t};
    unsigned mask = 0;
    rota_day_walk(ex->inst, k, d, b, m, &travel, NULL, NULL, NULL,
                  note_problem, &mask);
    *delta = travel - ex->day_travel[key];
    return mask;
}

#define BIT(p) (1u << (p))

/* The first rule that refuses v at (k, d, t) in the given weeks; fills
 * at with the figures of that stage.  Rule 2.1 and the time (2.3) are
 * checked by the caller. */
static int try_weeks(const rota_explainer *ex, int v, int k, int d, int t,
                     unsigned weeks, attempt *at)
{
    const rota_instance *inst = ex->inst;
    const rota_staff *s = &inst->staff[k];
    int minutes = inst->visits[v].minutes, travel = 0;
    unsigned m = walk_alone(ex, v, k, d, t, &travel);
    *at = (attempt){ROTA_WHY_PLACEABLE, k, d, t, 0, 0, 0};
    if (m & (BIT(ROTA_DAY_BLOCKED) | BIT(ROTA_DAY_EARLY) | BIT(ROTA_DAY_LATE))) {
        at->stage = ROTA_WHY_BLOCKED;
        at->a = !!(m & BIT(ROTA_DAY_BLOCKED));
        return at->stage;
    }
    if (m & BIT(ROTA_DAY_TOO_MANY)) {
        at->stage = ROTA_WHY_DAY_VISITS;
        return at->stage;
    }
    if (m & BIT(ROTA_DAY_TOO_MUCH_TRAVEL)) {
        at->stage = ROTA_WHY_TRAVEL_LIMIT;
        at->a = travel;
        return at->stage;
    }
    int worst = ROTA_WHY_PLACEABLE;
    for (int w = 0; w < ex->W; w++) {
        if (!(weeks & (1u << w)))
            continue;
        int delta = 0, stage = ROTA_WHY_PLACEABLE, a = 0, b = 0;
        m = walk_with(ex, v, k, w, d, t, &delta);
        int used = ex->load[k * ex->W + w];
        if (m & (BIT(ROTA_DAY_BLOCKED) | BIT(ROTA_DAY_EARLY) |
                 BIT(ROTA_DAY_LATE) | BIT(ROTA_DAY_OVERLAP)))
            stage = ROTA_WHY_BUSY;
        else if (m & BIT(ROTA_DAY_TOO_MANY))
            stage = ROTA_WHY_DAY_VISITS;
        else if (m & BIT(ROTA_DAY_TOO_MUCH_TRAVEL)) {
            stage = ROTA_WHY_TRAVEL_LIMIT;
            a = ex->day_travel[key_of(ex, k, w, d)] + delta;
        } else if (used + minutes + delta > s->capacity + 1e-9) {
            stage = ROTA_WHY_CAPACITY;
            a = used;
            b = minutes + delta;
        }
        if (stage < worst) {
            worst = stage;
            *at = (attempt){stage, k, d, t, w + 1, a, b};
        }
    }
    if (worst == ROTA_WHY_PLACEABLE && s->max_sites >= 0 &&
        !ex->serves[(size_t)k * inst->n_sites + inst->visits[v].site] &&
        ex->n_sites[k] >= s->max_sites) {
        *at = (attempt){ROTA_WHY_MAX_SITES, k, d, t, 0, ex->n_sites[k], 0};
        worst = ROTA_WHY_MAX_SITES;
    }
    return worst;
}

/* Whether visit u can be placed at (d, t) in exactly these weeks by any
 * staff member (its joint partner's side of rule 2.4). */
static int partner_fits(const rota_explainer *ex, int u, int d, int t,
                        unsigned weeks)
{
    const rota_instance *inst = ex->inst;
    const rota_visit *x = &inst->visits[u];
    if (!rota_phase_of(x->every_weeks, weeks, inst->cycle_weeks) ||
        (x->pin.day >= 0 && x->pin.day != d) ||
        (x->pin.start >= 0 && x->pin.start != t))
        return 0;
    for (int k = 0; k < inst->n_staff; k++) {
        attempt at;
        if (rota_staff_may_take(inst, k, u) &&
            rota_visit_time_ok(inst, k, u, d, t) &&
            try_weeks(ex, u, k, d, t, weeks, &at) == ROTA_WHY_PLACEABLE)
            return 1;
    }
    return 0;
}

static void keep(attempt *best, const attempt *at)
{
    if (at->stage > best->stage)
        *best = *at;
}

/* Every day, start and phase of v for staff k. */
static void try_staff(const rota_explainer *ex, int v, int k, attempt *best)
{
    const rota_instance *inst = ex->inst;
    const rota_visit *x = &inst->visits[v];
    int sl = inst->slot_minutes > 0 ? inst->slot_minutes : 1;
    for (int d = 0; d < ROTA_DAYS; d++) {
        if (x->pin.day >= 0 && x->pin.day != d)
            continue;
        for (int i = 0; i < x->windows[d].n; i++) {
            rota_span win = x->windows[d].v[i];
            for (int t = (win.start + sl - 1) / sl * sl;
                 t + x->minutes <= win.end; t += sl) {
                if (x->pin.start >= 0 && x->pin.start != t)
                    continue;
                if (!rota_visit_time_ok(inst, k, v, d, t))
                    continue;
                for (int p = 1; p <= x->every_weeks; p++) {
                    unsigned weeks = rota_phase_weeks(x->every_weeks, p,
                                                      inst->cycle_weeks);
                    attempt at;
                    if (try_weeks(ex, v, k, d, t, weeks, &at) ==
                            ROTA_WHY_PLACEABLE && x->partner >= 0 &&
                        !partner_fits(ex, x->partner, d, t, weeks))
                        at.stage = ROTA_WHY_JOINT;
                    keep(best, &at);
                    if (best->stage == ROTA_WHY_PLACEABLE)
                        return;
                }
            }
        }
    }
}

static const char *label(const rota_instance *inst, int v, char *buf, size_t n)
{
    const rota_visit *x = &inst->visits[v];
    snprintf(buf, n, "%s/%s", inst->sites[x->site].id, inst->roles[x->role]);
    return buf;
}

/* Appends formatted text to out->msg. */
static void say(rota_why *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(rota_why *out, const char *fmt, ...)
{
    size_t len = strlen(out->msg);
    if (len + 1 >= sizeof out->msg)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->msg + len, sizeof out->msg - len, fmt, ap);
    va_end(ap);
}

static int has(const int *xs, int n, int x)
{
    for (int i = 0; i < n; i++)
        if (xs[i] == x)
            return 1;
    return 0;
}

/* Rule 2.1 in words: which part excludes the staff of the visit's role. */
static void describe_not_allowed(const rota_instance *inst, int v,
                                 rota_why *out)
{
    const rota_visit *x = &inst->visits[v];
    const char *role = inst->roles[x->role];
    int district = inst->sites[x->site].district, n_role = 0;
    int n_allowed = 0, n_district = 0, n_pin = 0;
    for (int k = 0; k < inst->n_staff; k++) {
        const rota_staff *s = &inst->staff[k];
        if (s->role != x->role)
            continue;
        n_role++;
        if (x->n_allowed >= 0 && !has(x->allowed, x->n_allowed, k))
            n_allowed++;
        else if (s->n_districts >= 0 && district >= 0 &&
                 !has(s->districts, s->n_districts, district))
            n_district++;
        else if (x->pin.staff >= 0 && x->pin.staff != k)
            n_pin++;
    }
    if (n_role == 0) {
        say(out, "no staff member may take it: there is no %s on the staff",
            role);
        return;
    }
    say(out, "no staff member may take it: of the %d %s staff,", n_role, role);
    if (n_allowed)
        say(out, " %d %s not in its staff_allowed", n_allowed,
            n_allowed == 1 ? "is" : "are");
    if (n_district)
        say(out, "%s %d %s not serve district %s", n_allowed ? "," : "",
            n_district, n_district == 1 ? "does" : "do",
            inst->districts[district]);
    if (n_pin)
        say(out, "%s %d %s not the pinned %s", n_allowed || n_district ? "," : "",
            n_pin, n_pin == 1 ? "is" : "are", inst->staff[x->pin.staff].id);
}

/* Its windows as "tue 08:00-09:00, thu 10:00-12:00" (at most 6). */
static void say_windows(const rota_instance *inst, int v, rota_why *out)
{
    const rota_visit *x = &inst->visits[v];
    int n = 0;
    char a[6], b[6];
    for (int d = 0; d < ROTA_DAYS; d++)
        for (int i = 0; i < x->windows[d].n; i++, n++) {
            if (n == 6) {
                say(out, ", ...");
                return;
            }
            say(out, "%s%s %s-%s", n ? ", " : "", rota_day_names[d],
                rota_fmt_time(x->windows[d].v[i].start, a),
                rota_fmt_time(x->windows[d].v[i].end, b));
        }
}

/* The sentence for the furthest stage reached. */
static void describe(const rota_explainer *ex, int v, const attempt *b,
                     rota_why *out)
{
    const rota_instance *inst = ex->inst;
    const rota_visit *x = &inst->visits[v];
    const char *role = inst->roles[x->role];
    const char *who = b->staff >= 0 ? inst->staff[b->staff].id : "";
    const char *day = b->day >= 0 ? rota_day_names[b->day] : "";
    char t[6] = "";
    if (b->start >= 0)
        rota_fmt_time(b->start, t);
    int n = out->n_candidates;
    switch (b->stage) {
    case ROTA_WHY_NOT_ALLOWED:
        describe_not_allowed(inst, v, out);
        break;
    case ROTA_WHY_NO_WINDOW:
        say(out, "no start puts its %d minutes inside its windows (",
            x->minutes);
        say_windows(inst, v, out);
        say(out, ")%s and the availability of one of the %d %s staff who "
            "may take it", x->pin.day >= 0 || x->pin.start >= 0 ?
            ", its pin" : "", n, role);
        break;
    case ROTA_WHY_BLOCKED:
        say(out, "in its windows (");
        say_windows(inst, v, out);
        say(out, ") each of the %d %s staff who may take it is in a blocked "
            "interval (team meeting) or cannot travel there and back within "
            "their availability (e.g. %s %s %s: %s)", n, role, who, day, t,
            b->a ? "blocked" : "no time for the legs");
        break;
    case ROTA_WHY_BUSY:
        say(out, "every start in its windows that suits one of the %d %s "
            "staff who may take it collides with their other visits or the "
            "travel between them (e.g. %s %s %s week %d)", n, role, who, day,
            t, b->week);
        break;
    case ROTA_WHY_DAY_VISITS:
        say(out, "the %d %s staff who may take it already have "
            "max_visits_per_day (%d) visits on each day it could go (e.g. %s "
            "%s week %d)", n, role, inst->max_visits_per_day, who, day,
            b->week);
        break;
    case ROTA_WHY_TRAVEL_LIMIT:
        say(out, "it would take the day's travel past max_travel_per_day "
            "(%d minutes) for each of the %d %s staff who may take it (e.g. "
            "%s %s %s: %d minutes)", inst->max_travel_per_day, n, role, who,
            day, t, b->a);
        break;
    case ROTA_WHY_CAPACITY:
        say(out, "no capacity left: where it fits a day of the %d %s staff "
            "who may take it, the week is full (e.g. %s %s %s week %d: %d of "
            "%.0f minutes used, it needs %d more)", n, role, who, day, t,
            b->week, b->a, inst->staff[b->staff].capacity, b->b);
        break;
    case ROTA_WHY_MAX_SITES:
        say(out, "where it fits, the staff member serves max_sites sites "
            "already (e.g. %s: %d of %d)", who, b->a,
            inst->staff[b->staff].max_sites);
        break;
    case ROTA_WHY_JOINT: {
        char lb[160];
        say(out, "it fits (e.g. %s %s %s) but its joint visit %s fits at "
            "none of the days, starts and weeks where it does", who, day, t,
            label(inst, x->partner, lb, sizeof lb));
        break;
    }
    default:
        say(out, "it fits (e.g. %s %s %s%s): covering it was not found or "
            "costs more than its need x the uncovered weight", who, day, t,
            x->partner >= 0 ? " with its joint visit" : "");
        break;
    }
}

rota_status rota_explain_visit(rota_explainer *ex, int v, rota_why *out)
{
    const rota_instance *inst = ex->inst;
    memset(out, 0, sizeof *out);
    attempt best = {ROTA_WHY_NOT_ALLOWED, -1, -1, -1, 0, 0, 0};
    for (int k = 0; k < inst->n_staff; k++) {
        if (!rota_staff_may_take(inst, k, v))
            continue;
        out->n_candidates++;
        keep(&best, &(attempt){ROTA_WHY_NO_WINDOW, k, -1, -1, 0, 0, 0});
        try_staff(ex, v, k, &best);
        if (best.stage == ROTA_WHY_PLACEABLE)
            break;
    }
    out->kind = (rota_why_kind)best.stage;
    out->staff = best.staff;
    out->day = best.day;
    out->start = best.start;
    out->week = best.week;
    if (best.stage == ROTA_WHY_NO_WINDOW)
        out->staff = out->day = out->start = -1;
    describe(ex, v, &best, out);
    return ROTA_OK;
}
