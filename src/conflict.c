/* conflict.c - a small set of visits and rules that cannot hold together
 * (see rota/explain.h).
 *
 * Presolve proves infeasibility by reasons a person can read, but about
 * the whole instance: "the social_worker visits need more minutes than the
 * staff have" or "visit x fits nowhere".  To name what to change, the
 * explainer isolates a core: a deletion filter drops visits (in chunks,
 * halving, as in delta debugging) while presolve still proves the rest
 * infeasible, then relaxes rule groups one at a time (windows opened to the
 * whole week, blocked intervals removed, staff_allowed dropped, ...) and
 * keeps each relaxation that leaves the core infeasible.  What remains is
 * a set of visits and rule groups each of which is needed for the proof:
 * lift any one and presolve no longer finds a contradiction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "presolve.h"
#include "rota/edit.h"
#include "rota/explain.h"
#include "strbuf.h"

static const char *const group_names[ROTA_RG_COUNT] = {
    "pin", "joint", "max_sites", "max_visits_per_day", "max_travel_per_day",
    "travel", "staff_allowed", "districts", "blocked", "availability",
    "windows", "capacity",
};

const char *rota_rule_group_str(rota_rule_group g)
{
    return (unsigned)g < ROTA_RG_COUNT ? group_names[g] : "unknown";
}

static void free_spans(rota_spans *s)
{
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

static int full_day(rota_spans *s)
{
    free_spans(s);
    if (!(s->v = malloc(sizeof *s->v)))
        return -1;
    s->v[0] = (rota_span){0, 24 * 60};
    s->n = 1;
    return 0;
}

/* Relaxes one rule group of inst in place. */
static rota_status relax(rota_instance *inst, rota_rule_group g)
{
    for (int v = 0; v < inst->n_visits; v++) {
        rota_visit *x = &inst->visits[v];
        if (g == ROTA_RG_PIN)
            x->pin = (rota_slot_ref){-1, -1, -1};
        else if (g == ROTA_RG_JOINT)
            x->with = x->partner = -1;
        else if (g == ROTA_RG_STAFF_ALLOWED) {
            free(x->allowed);
            x->allowed = NULL;
            x->n_allowed = -1;
        } else if (g == ROTA_RG_WINDOWS)
            for (int d = 0; d < ROTA_DAYS; d++)
                if (full_day(&x->windows[d]) < 0)
                    return ROTA_ENOMEM;
    }
    for (int k = 0; k < inst->n_staff; k++) {
        rota_staff *s = &inst->staff[k];
        if (g == ROTA_RG_MAX_SITES)
            s->max_sites = -1;
        else if (g == ROTA_RG_DISTRICTS) {
            free(s->districts);
            s->districts = NULL;
            s->n_districts = -1;
        } else if (g == ROTA_RG_CAPACITY)
            s->capacity = 1e9;
        else if (g == ROTA_RG_BLOCKED || g == ROTA_RG_AVAILABILITY) {
            for (int d = 0; d < ROTA_DAYS; d++)
                if (g == ROTA_RG_BLOCKED)
                    free_spans(&s->blocked[d]);
                else if (full_day(&s->avail[d]) < 0)
                    return ROTA_ENOMEM;
            if (rota_instance_reseg(inst, k) != ROTA_OK)
                return ROTA_ENOMEM;
        }
    }
    if (g == ROTA_RG_DAY_VISITS)
        inst->max_visits_per_day = 1 << 20;
    else if (g == ROTA_RG_DAY_TRAVEL)
        inst->max_travel_per_day = 1 << 30;
    else if (g == ROTA_RG_TRAVEL) {
        inst->buffer_minutes = 0;
        for (int i = 0; i < inst->n_places * inst->n_places; i++)
            inst->travel[i] = 0;
    } else if (g == ROTA_RG_BLOCKED)
        for (int d = 0; d < ROTA_DAYS; d++)
            free_spans(&inst->blocked[d]);
    return ROTA_OK;
}

/* The search's state: the visits kept and the groups relaxed. */
typedef struct filter {
    const rota_instance *inst;
    unsigned char *keep;
    unsigned relaxed;
    double deadline;
    char reason[512];       /* presolve's reason at the last proof */
} filter;

/* 1: presolve proves the instance with these visits and relaxations
 * infeasible; 0: not; -1: out of memory. */
static int still_infeasible(filter *f, const unsigned char *keep,
                            unsigned relaxed)
{
    rota_instance *c = rota_instance_clone(f->inst);
    int rc = -1;
    if (!c || rota_instance_keep_visits(c, keep) != ROTA_OK)
        goto done;
    c->coverage_soft = 0;
    for (int g = 0; g < ROTA_RG_COUNT; g++)
        if ((relaxed & (1u << g)) && relax(c, (rota_rule_group)g) != ROTA_OK)
            goto done;
    rota_presolve pre;
    if (rota_presolve_run(c, &pre) != ROTA_OK)
        goto done;
    rc = pre.infeasible;
    if (rc)
        memcpy(f->reason, pre.reason, sizeof f->reason);
done:
    rota_instance_free(c);
    return rc;
}

/* Deletion filter over the visits, in chunks that halve.  Returns 1 when
 * it ran to the end, 0 when the deadline cut it, -1 out of memory. */
static int filter_visits(filter *f)
{
    int n = f->inst->n_visits;
    unsigned char *trial = malloc((size_t)n + 1);
    int *kept = malloc(((size_t)n + 1) * sizeof *kept);
    int rc = -1;
    if (!trial || !kept)
        goto done;
    for (int c = n / 2 > 0 ? n / 2 : 1;; c /= 2) {
        int m = 0;
        for (int v = 0; v < n; v++)
            if (f->keep[v])
                kept[m++] = v;
        for (int i = 0; i < m;) {
            if (rota_now() > f->deadline) {
                rc = 0;
                goto done;
            }
            memcpy(trial, f->keep, (size_t)n);
            int hi = i + c < m ? i + c : m;
            for (int j = i; j < hi; j++)
                trial[kept[j]] = 0;
            int r = still_infeasible(f, trial, 0);
            if (r < 0)
                goto done;
            if (r) {
                memcpy(f->keep, trial, (size_t)n);
                memmove(kept + i, kept + hi, (size_t)(m - hi) * sizeof *kept);
                m -= hi - i;
            } else {
                i = hi;
            }
        }
        if (c == 1)
            break;
    }
    rc = 1;
done:
    free(trial);
    free(kept);
    return rc;
}

/* Deletion filter over the rule groups: twelve proofs, run whatever the
 * time (the conflict names rule groups only when each is needed). */
static int filter_groups(filter *f)
{
    for (int g = 0; g < ROTA_RG_COUNT; g++) {
        int r = still_infeasible(f, f->keep, f->relaxed | (1u << g));
        if (r < 0)
            return -1;
        if (r)
            f->relaxed |= 1u << g;
    }
    return 1;
}

static void sb_windows(strbuf *b, const rota_spans *w)
{
    char t1[6], t2[6];
    int n = 0;
    for (int d = 0; d < ROTA_DAYS; d++)
        for (int i = 0; i < w[d].n; i++)
            sb_printf(b, "%s%s %s-%s", n++ ? ", " : "", rota_day_names[d],
                   rota_fmt_time(w[d].v[i].start, t1),
                   rota_fmt_time(w[d].v[i].end, t2));
    if (!n)
        sb_printf(b, "no day");
}

/* Days on which some conflict visit has a window (bit d). */
static unsigned window_days(const rota_instance *inst, const rota_conflict *c)
{
    unsigned days = 0;
    for (int i = 0; i < c->n_visits; i++)
        for (int d = 0; d < ROTA_DAYS; d++)
            if (inst->visits[c->visits[i]].windows[d].n)
                days |= 1u << d;
    return days;
}

static int role_in(const rota_instance *inst, const rota_conflict *c, int role)
{
    for (int i = 0; i < c->n_visits; i++)
        if (inst->visits[c->visits[i]].role == role)
            return 1;
    return 0;
}

/* The staff members of the conflict visits' roles; details name them. */
static int pick_staff(const rota_instance *inst, rota_conflict *c)
{
    c->staff = malloc(((size_t)inst->n_staff + 1) * sizeof *c->staff);
    if (!c->staff)
        return -1;
    for (int k = 0; k < inst->n_staff; k++)
        if (role_in(inst, c, inst->staff[k].role))
            c->staff[c->n_staff++] = k;
    return 0;
}

static void detail_staff(strbuf *b, const rota_instance *inst,
                         const rota_conflict *c, rota_rule_group g)
{
    unsigned days = window_days(inst, c);
    char t1[6], t2[6];
    for (int i = 0; i < c->n_staff && i < 8; i++) {
        const rota_staff *s = &inst->staff[c->staff[i]];
        sb_printf(b, "%s%s", i ? "; " : "", s->id);
        if (g == ROTA_RG_CAPACITY) {
            sb_printf(b, " %.0f min/week", s->capacity);
            continue;
        }
        if (g == ROTA_RG_DISTRICTS) {
            sb_printf(b, " serves ");
            if (s->n_districts < 0)
                sb_printf(b, "every district");
            for (int j = 0; j < s->n_districts; j++)
                sb_printf(b, "%s%s", j ? ", " : "", inst->districts[s->districts[j]]);
            continue;
        }
        const rota_spans *sp = g == ROTA_RG_BLOCKED ? s->blocked : s->avail;
        int n = 0;
        for (int d = 0; d < ROTA_DAYS; d++) {
            if (!(days & (1u << d)))
                continue;
            if (!sp[d].n && g == ROTA_RG_AVAILABILITY)
                sb_printf(b, "%s%s off", n++ ? ", " : " ", rota_day_names[d]);
            for (int j = 0; j < sp[d].n; j++)
                sb_printf(b, "%s%s %s-%s", n++ ? ", " : " ", rota_day_names[d],
                       rota_fmt_time(sp[d].v[j].start, t1),
                       rota_fmt_time(sp[d].v[j].end, t2));
        }
        if (!n)
            sb_printf(b, " none on those days");
    }
    if (c->n_staff > 8)
        sb_printf(b, "; and %d more", c->n_staff - 8);
}

/* One clause per rule group of the conflict. */
static void detail_group(strbuf *b, const rota_instance *inst,
                         const rota_conflict *c, rota_rule_group g)
{
    sb_printf(b, "\n  %s: ", rota_rule_group_str(g));
    switch (g) {
    case ROTA_RG_WINDOWS:
    case ROTA_RG_STAFF_ALLOWED:
    case ROTA_RG_PIN:
    case ROTA_RG_JOINT:
        for (int i = 0; i < c->n_visits; i++) {
            const rota_visit *x = &inst->visits[c->visits[i]];
            if (i == 8) {
                sb_printf(b, "; and %d more", c->n_visits - 8);
                break;
            }
            sb_printf(b, "%s%s/%s ", i ? "; " : "", inst->sites[x->site].id,
                   inst->roles[x->role]);
            if (g == ROTA_RG_WINDOWS)
                sb_windows(b, x->windows);
            else if (g == ROTA_RG_STAFF_ALLOWED) {
                sb_printf(b, "staff_allowed [");
                for (int j = 0; j < x->n_allowed; j++)
                    sb_printf(b, "%s%s", j ? ", " : "", inst->staff[x->allowed[j]].id);
                sb_printf(b, "]");
                if (x->n_allowed < 0)
                    sb_printf(b, "(none given)");
            } else if (g == ROTA_RG_PIN) {
                char t[6];
                sb_printf(b, "pin {staff: %s, day: %s, start: %s}",
                       x->pin.staff >= 0 ? inst->staff[x->pin.staff].id : "-",
                       x->pin.day >= 0 ? rota_day_names[x->pin.day] : "-",
                       x->pin.start >= 0 ? rota_fmt_time(x->pin.start, t) : "-");
            } else
                sb_printf(b, "with %s", x->partner >= 0 ?
                       inst->roles[inst->visits[x->partner].role] : "-");
        }
        break;
    case ROTA_RG_BLOCKED: {
        char t1[6], t2[6];
        int n = 0;
        for (int d = 0; d < ROTA_DAYS; d++)
            for (int j = 0; j < inst->blocked[d].n; j++)
                sb_printf(b, "%s%s %s-%s", n++ ? ", " : "everyone (rules.blocked) ",
                       rota_day_names[d],
                       rota_fmt_time(inst->blocked[d].v[j].start, t1),
                       rota_fmt_time(inst->blocked[d].v[j].end, t2));
        sb_printf(b, "%sblocked per staff member: ", n ? "; " : "");
        detail_staff(b, inst, c, g);
        break;
    }
    case ROTA_RG_DISTRICTS: {
        for (int i = 0; i < c->n_visits && i < 8; i++) {
            const rota_site *s = &inst->sites[inst->visits[c->visits[i]].site];
            sb_printf(b, "%s%s is in district %s", i ? "; " : "", s->id,
                   s->district >= 0 ? inst->districts[s->district] : "(none)");
        }
        sb_printf(b, "; ");
        detail_staff(b, inst, c, g);
        break;
    }
    case ROTA_RG_AVAILABILITY:
    case ROTA_RG_CAPACITY:
        detail_staff(b, inst, c, g);
        break;
    case ROTA_RG_MAX_SITES:
        for (int i = 0; i < c->n_staff && i < 8; i++)
            sb_printf(b, "%s%s %d", i ? "; " : "", inst->staff[c->staff[i]].id,
                   inst->staff[c->staff[i]].max_sites);
        break;
    case ROTA_RG_DAY_VISITS:
        sb_printf(b, "at most %d visits a day", inst->max_visits_per_day);
        break;
    case ROTA_RG_DAY_TRAVEL:
        sb_printf(b, "at most %d minutes of travel a day", inst->max_travel_per_day);
        break;
    case ROTA_RG_TRAVEL:
        sb_printf(b, "the legs between offices and sites (buffer %d minutes)",
               inst->buffer_minutes);
        break;
    default:
        break;
    }
}

static int compose(const rota_instance *inst, rota_conflict *c)
{
    strbuf b = {0};
    if (c->n_visits == 1)
        sb_printf(&b, "%s.\nThis visit cannot be covered:", c->proof);
    else
        sb_printf(&b, "%s.\nThese %d visits cannot all be covered:", c->proof,
               c->n_visits);
    for (int i = 0; i < c->n_visits && i < 12; i++) {
        const rota_visit *x = &inst->visits[c->visits[i]];
        sb_printf(&b, "%s%s/%s", i ? ", " : " ", inst->sites[x->site].id,
               inst->roles[x->role]);
    }
    if (c->n_visits > 12)
        sb_printf(&b, " and %d more", c->n_visits - 12);
    if (c->rules) {
        sb_printf(&b, "\nunder these rules (lifting any one of them removes "
               "this contradiction):");
        for (int g = 0; g < ROTA_RG_COUNT; g++)
            if (c->rules & (1u << g))
                detail_group(&b, inst, c, (rota_rule_group)g);
    } else {
        sb_printf(&b, "\nwhatever the rules that can be lifted (role alone)");
    }
    if (!c->minimal)
        sb_printf(&b, "\n(the search for fewer visits ran out of time)");
    if (b.oom) {
        free(b.s);
        return -1;
    }
    c->message = b.s;
    return 0;
}

rota_status rota_explain_infeasible(const rota_instance *inst, double seconds,
                                    rota_conflict *out)
{
    memset(out, 0, sizeof *out);
    filter f = {.inst = inst, .deadline = rota_now() + seconds};
    rota_status st = ROTA_ENOMEM;
    f.keep = malloc((size_t)inst->n_visits + 1);
    if (!f.keep)
        return ROTA_ENOMEM;
    memset(f.keep, 1, (size_t)inst->n_visits + 1);
    int r = still_infeasible(&f, f.keep, 0);
    if (r <= 0) {
        st = r < 0 ? ROTA_ENOMEM : ROTA_OK;
        goto done;
    }
    out->proved = 1;
    int a = filter_visits(&f);
    int b = a < 0 ? -1 : filter_groups(&f);
    /* the proof read out is that of the core with every rule in force */
    if (a < 0 || b < 0 || still_infeasible(&f, f.keep, 0) < 0)
        goto done;
    out->minimal = a == 1 && b == 1;
    out->rules = ~f.relaxed & ((1u << ROTA_RG_COUNT) - 1);
    out->visits = malloc(((size_t)inst->n_visits + 1) * sizeof *out->visits);
    out->proof = strdup(f.reason);
    if (!out->visits || !out->proof)
        goto done;
    for (int v = 0; v < inst->n_visits; v++)
        if (f.keep[v])
            out->visits[out->n_visits++] = v;
    if (pick_staff(inst, out) < 0 || compose(inst, out) < 0)
        goto done;
    st = ROTA_OK;
done:
    free(f.keep);
    if (st != ROTA_OK)
        rota_conflict_free(out);
    return st;
}

void rota_conflict_free(rota_conflict *c)
{
    free(c->visits);
    free(c->staff);
    free(c->proof);
    free(c->message);
    memset(c, 0, sizeof *c);
}
