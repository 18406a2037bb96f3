/* size.c - the least team that covers every visit (see rota/size.h).
 *
 * The search: cheap proofs (presolve, forced simultaneous visits) on teams
 * of 0, 1, 2, ... give a first size worth solving; solves upward from
 * there find the least size whose roster covers everything; the size just
 * below gets the solver's bound on uncovered visits when the cheap proofs
 * did not settle it.  Teams grow by inclusion, so "cannot" at k holds for
 * every smaller k.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "presolve.h"
#include "size_lp.h"
#include "rota/edit.h"
#include "rota/eval.h"
#include "rota/size.h"
#include "rota/solve.h"

/* Weight of an uncovered visit (times need) in the table's solves: above
 * what covering one visit can cost in travel, continuity, slot change,
 * preference and balance on the instances rota is meant for. */
#define COVER_FIRST 10000.0

static const char *const proof_names[] = {
    "unresolved", "covers", "presolve", "interval", "bound", "travel",
};

const char *rota_size_proof_str(rota_size_proof p)
{
    return (unsigned)p <= ROTA_SIZE_TRAVEL ? proof_names[p] : "unknown";
}

void rota_size_params_init(rota_size_params *p)
{
    memset(p, 0, sizeof *p);
    p->role = -1;
    p->min_k = p->max_k = -1;
    p->tmpl = -1;
    p->office = -1;
    p->time_limit = 10;
    p->seed = 1;
    p->use_cg = 1;
}

static int count_role(const rota_instance *inst, int role)
{
    int n = 0;
    for (int k = 0; k < inst->n_staff; k++)
        n += inst->staff[k].role == role;
    return n;
}

/* The last staff member of the role that no pin or staff_allowed names. */
static int removable(const rota_instance *inst, int role)
{
    for (int k = inst->n_staff - 1; k >= 0; k--)
        if (inst->staff[k].role == role && !rota_staff_referenced(inst, k))
            return k;
    return -1;
}

/* A fresh position: the week's days and hours, rules.blocked, every
 * district, no max_sites, rules.consult_share. */
static int make_fresh(rota_instance *t, int k, int role)
{
    rota_staff *s = &t->staff[k];
    s->role = role;
    s->hours = 37;
    s->consult_share = t->consult_share;
    s->max_sites = -1;
    free(s->districts);
    s->districts = NULL;
    s->n_districts = -1;
    for (int d = 0; d < ROTA_DAYS; d++) {
        free(s->avail[d].v);
        free(s->blocked[d].v);
        s->avail[d] = (rota_spans){0, NULL};
        s->blocked[d] = (rota_spans){0, NULL};
        if (t->days_mask & (1u << d)) {
            if (!(s->avail[d].v = malloc(sizeof *s->avail[d].v)))
                return -1;
            s->avail[d].v[0] = (rota_span){t->day_start, t->day_end};
            s->avail[d].n = 1;
        }
        if (t->blocked[d].n) {
            size_t n = (size_t)t->blocked[d].n * sizeof *t->blocked[d].v;
            if (!(s->blocked[d].v = malloc(n)))
                return -1;
            memcpy(s->blocked[d].v, t->blocked[d].v, n);
            s->blocked[d].n = t->blocked[d].n;
        }
    }
    return rota_instance_reseg(t, k) == ROTA_OK ? 0 : -1;
}

/* Adds one new position "new-ROLE-N" (N the first free number). */
static int add_position(rota_instance *t, const rota_size_params *p, int n)
{
    char id[160];
    const char *role = t->roles[p->role];
    for (;; n++) {
        snprintf(id, sizeof id, "new-%s-%d", role, n);
        if (rota_find_staff(t, id) < 0 && rota_find_site(t, id) < 0)
            break;
    }
    int base = p->tmpl;
    for (int k = 0; base < 0 && k < t->n_staff; k++)
        if (t->staff[k].role == p->role)
            base = k;       /* a fresh position keeps this one's office */
    if (base < 0)
        base = 0;
    int k = rota_instance_add_staff(t, base, id, id);
    if (k < 0 || (p->tmpl < 0 && make_fresh(t, k, p->role) < 0))
        return -1;
    rota_staff *s = &t->staff[k];
    if (p->hours > 0)
        s->hours = p->hours;
    if (p->office >= 0)
        s->office = p->office;
    s->capacity = s->hours * 60 * s->consult_share;
    return 0;
}

rota_instance *rota_size_team(const rota_instance *inst,
                              const rota_size_params *p, int k)
{
    rota_instance *t = rota_instance_clone(inst);
    if (!t)
        return NULL;
    int n = count_role(t, p->role);
    for (; n > k; n--) {
        int x = removable(t, p->role);
        if (x < 0 || rota_instance_remove_staff(t, x) != ROTA_OK)
            goto fail;
    }
    for (int i = 1; n < k; n++, i++)
        if (add_position(t, p, i) < 0)
            goto fail;
    return t;
fail:
    rota_instance_free(t);
    return NULL;
}

/* ---- proofs that a team cannot cover everything ------------------------ */

/* Presolve under hard coverage: 1 proved (why filled), 0 not, -1 no memory. */
static int presolve_proof(const rota_instance *team, char *why, size_t n)
{
    rota_instance *h = rota_instance_clone(team);
    rota_presolve pre;
    if (!h)
        return -1;
    h->coverage_soft = 0;
    int rc = rota_presolve_run(h, &pre) == ROTA_OK ? pre.infeasible : -1;
    if (rc == 1)
        snprintf(why, n, "%s", pre.reason);
    rota_instance_free(h);
    return rc;
}

/* The part of visit v that is under way wherever it goes, when it occurs
 * every week on one day: [start, end) with start < end; 0 when none. */
static int forced_part(const rota_instance *inst, int v, int *day,
                       rota_span *part)
{
    const rota_visit *x = &inst->visits[v];
    if (x->every_weeks != 1)
        return 0;
    int d0 = -1, lo = 0, hi = 0;
    for (int d = 0; d < ROTA_DAYS; d++) {
        if (!x->windows[d].n || (x->pin.day >= 0 && x->pin.day != d))
            continue;
        if (d0 >= 0)
            return 0;
        d0 = d;
        lo = x->windows[d].v[0].start;
        hi = x->windows[d].v[x->windows[d].n - 1].end;
        for (int i = 0; i < x->windows[d].n; i++) {
            lo = x->windows[d].v[i].start < lo ? x->windows[d].v[i].start : lo;
            hi = x->windows[d].v[i].end > hi ? x->windows[d].v[i].end : hi;
        }
    }
    if (d0 < 0)
        return 0;
    int start = hi - x->minutes, end = lo + x->minutes;
    if (x->pin.start >= 0) {
        start = x->pin.start;
        end = x->pin.start + x->minutes;
    }
    if (start >= end)
        return 0;
    *day = d0;
    *part = (rota_span){start, end};
    return 1;
}

/* Interval proof for the role: on some day more visits are forced to be
 * under way at one moment than the team has members working that day.
 * (Each visit needs its own staff member: one cannot be in two places.) */
static int interval_proof(const rota_instance *t, int role, char *why,
                          size_t n)
{
    for (int d = 0; d < ROTA_DAYS; d++) {
        int working = 0;
        for (int k = 0; k < t->n_staff; k++)
            working += t->staff[k].role == role && t->staff[k].avail[d].n > 0;
        for (int v = 0; v < t->n_visits; v++) {
            int dv;
            rota_span a;
            if (t->visits[v].role != role || !forced_part(t, v, &dv, &a) ||
                dv != d)
                continue;
            /* the visits under way at a's start: the maximum is at some start */
            int count = 0;
            for (int u = 0; u < t->n_visits; u++) {
                int du;
                rota_span b;
                if (t->visits[u].role == role && forced_part(t, u, &du, &b) &&
                    du == d && b.start <= a.start && a.start < b.end)
                    count++;
            }
            if (count > working) {
                char t1[6];
                snprintf(why, n, "on %s at %s, %d %s visits are under way "
                         "whatever their start (their windows force it), but "
                         "only %d %s staff work that day",
                         rota_day_names[d], rota_fmt_time(a.start, t1), count,
                         t->roles[role], working, t->roles[role]);
                return 1;
            }
        }
    }
    return 0;
}

/* The role's visit minutes plus the assignment bound on its travel
 * against the role's capacity, over the cycle. */
static int travel_proof(const rota_instance *t, int role, double seconds,
                        char *why, size_t n)
{
    double legs = 0, minutes = 0, cap = 0;
    long occ = 0;
    int W = t->cycle_weeks;
    int rc = rota_size_travel_lp(t, role, seconds, &legs, &occ);
    if (rc <= 0)
        return rc;
    for (int v = 0; v < t->n_visits; v++)
        if (t->visits[v].role == role)
            minutes += (double)(W / t->visits[v].every_weeks) * t->visits[v].minutes;
    for (int k = 0; k < t->n_staff; k++)
        if (t->staff[k].role == role)
            cap += W * t->staff[k].capacity;
    if (minutes + legs <= cap + 1e-6)
        return 0;
    snprintf(why, n, "the %s visits take %.0f minutes a week and any tours "
             "through them at least %.1f minutes of travel (an assignment "
             "bound over their %ld occurrences in the cycle), more than the "
             "%.0f minutes of capacity a week of the team", t->roles[role],
             minutes / W, legs / W, occ, cap / W);
    return 1;
}

/* The solver's bound on the number of uncovered visits. */
static int bound_proof(const rota_instance *team, const rota_size_params *p,
                       char *why, size_t n)
{
    rota_instance *f = rota_instance_clone(team);
    if (!f)
        return -1;
    f->coverage_soft = 1;
    f->w_travel = f->w_continuity = f->w_slot_change = 0;
    f->w_preference = f->w_balance = 0;
    f->w_uncovered = 1;
    for (int s = 0; s < f->n_sites; s++)
        f->sites[s].need = 1;
    rota_solve_params sp;
    rota_solve_params_init(&sp);
    sp.time_limit = p->time_limit;
    sp.seed = p->seed;
    sp.use_cg = 1;
    sp.stop = p->stop;
    sp.max_iterations = p->max_iterations;
    rota_solver *s = rota_solver_new(f, &sp);
    int rc = -1;
    double b = 0;
    if (s && rota_solver_run(s) == ROTA_OK) {
        rc = rota_solver_bound(s, &b) && b > 1e-6;
        if (rc)
            snprintf(why, n, "column generation proves at least %.4g visit(s) "
                     "stay uncovered (%s)", b,
                     rota_result_str(rota_solver_result(s)));
    }
    rota_solver_free(s);
    rota_instance_free(f);
    return rc;
}

/* ---- the table ---------------------------------------------------------- */

/* Figures of a roster on the team, with the instance's own weights. */
static int figures(const rota_instance *team, int role, const rota_roster *r,
                   rota_size_row *row)
{
    rota_instance *soft = rota_instance_clone(team);
    rota_eval e;
    memset(&e, 0, sizeof e);
    if (!soft)
        return -1;
    soft->coverage_soft = 1;
    int rc = rota_evaluate(soft, r, &e) == ROTA_OK ? 0 : -1;
    if (rc == 0) {
        row->objective = e.objective;
        row->covered = e.n_covered;
        row->uncovered = e.n_uncovered;
        double legs = 0, sum = 0, max = 0;
        int n = 0;
        for (int k = 0; k < team->n_staff; k++) {
            legs += e.staff[k].travel_minutes;
            if (team->staff[k].role != role)
                continue;
            sum += e.staff[k].utilisation;
            max = fmax(max, e.staff[k].utilisation);
            n++;
        }
        row->travel_week = legs;
        row->mean_util = n ? sum / n : 0;
        row->max_util = max;
        for (int v = 0; v < team->n_visits; v++) {
            double need = team->sites[team->visits[v].site].need;
            if (r->a[v].staff >= 0)
                row->covered_need += need;
            else
                row->uncovered_need += need;
        }
    }
    rota_eval_free(&e);
    rota_instance_free(soft);
    return rc;
}

/* Solves the team with uncovered visits weighted first; keeps the roster
 * in *keep when it covers everything and keep is non-NULL. */
static int solve_row(const rota_instance *team, const rota_size_params *p,
                     rota_size_row *row, rota_roster **keep)
{
    rota_instance *s = rota_instance_clone(team);
    if (!s)
        return -1;
    s->coverage_soft = 1;
    s->w_uncovered = fmax(s->w_uncovered, COVER_FIRST);
    rota_solve_params sp;
    rota_solve_params_init(&sp);
    sp.time_limit = p->time_limit;
    sp.seed = p->seed;
    sp.use_cg = p->use_cg;
    sp.stop = p->stop;
    sp.max_iterations = p->max_iterations;
    rota_solver *sv = rota_solver_new(s, &sp);
    int rc = -1;
    if (sv && rota_solver_run(sv) == ROTA_OK) {
        const rota_roster *r = rota_solver_roster(sv);
        row->result = rota_solver_result(sv);
        rc = 0;
        if (r) {
            row->has_roster = 1;
            rc = figures(team, p->role, r, row);
            if (rc == 0 && row->uncovered == 0) {
                row->proof = ROTA_SIZE_COVERS;
                snprintf(row->why, sizeof row->why, "a roster covers every "
                         "visit (%s)", rota_result_str(row->result));
                if (keep && !(*keep = rota_roster_copy(r)))
                    rc = -1;
            }
        }
    }
    rota_solver_free(sv);
    rota_instance_free(s);
    return rc;
}

/* The cheap proofs on the team of size k: 1 proved, 0 not, -1 error. */
static int cheap_proof(const rota_instance *inst, const rota_size_params *p,
                       int k, rota_size_row *row)
{
    rota_instance *t = rota_size_team(inst, p, k);
    if (!t)
        return -1;
    int rc = presolve_proof(t, row->why, sizeof row->why);
    if (rc == 1)
        row->proof = ROTA_SIZE_PRESOLVE;
    else if (rc == 0 && (rc = interval_proof(t, p->role, row->why,
                                             sizeof row->why)) == 1)
        row->proof = ROTA_SIZE_INTERVAL;
    else if (rc == 0 && (rc = travel_proof(t, p->role, p->time_limit, row->why,
                                           sizeof row->why)) == 1)
        row->proof = ROTA_SIZE_TRAVEL;
    rota_instance_free(t);
    return rc;
}

static rota_size_row *row_at(rota_size_result *out, int k)
{
    for (int i = 0; i < out->n_rows; i++)
        if (out->rows[i].k == k)
            return &out->rows[i];
    rota_size_row *rows = realloc(out->rows, ((size_t)out->n_rows + 1) *
                                             sizeof *rows);
    if (!rows)
        return NULL;
    out->rows = rows;
    int i = out->n_rows++;
    while (i > 0 && rows[i - 1].k > k) {
        rows[i] = rows[i - 1];
        i--;
    }
    memset(&rows[i], 0, sizeof rows[i]);
    rows[i].k = k;
    return &rows[i];
}

static int stopped(const rota_size_params *p)
{
    return p->stop && *p->stop;
}

/* Solves row k (once) and reports it; keeps the covering roster at k. */
static int fill_row(const rota_instance *inst, const rota_size_params *p,
                    rota_size_result *out, int k, rota_roster **keep)
{
    rota_size_row *row = row_at(out, k);
    if (!row)
        return -1;
    if (row->solved)
        return 0;
    rota_instance *t = rota_size_team(inst, p, k);
    if (!t)
        return -1;
    row->solved = 1;
    row->n_staff = t->n_staff;
    rota_size_proof proof = row->proof;
    char why[512];
    memcpy(why, row->why, sizeof why);
    int rc = solve_row(t, p, row, keep);
    if (proof != ROTA_SIZE_UNRESOLVED) {
        row->proof = proof;
        memcpy(row->why, why, sizeof why);
    }
    rota_instance_free(t);
    return rc;
}

static int check_params(const rota_instance *inst, const rota_size_params *p,
                        rota_diags *d)
{
    int bad = 0;
    if (p->role < 0 || p->role >= inst->n_roles) {
        rota_diags_add(d, inst->path, 0, 0, "no such role");
        bad = 1;
    }
    if (p->tmpl >= inst->n_staff || p->office >= inst->n_offices ||
        (p->tmpl >= 0 && p->role >= 0 && inst->staff[p->tmpl].role != p->role)) {
        rota_diags_add(d, inst->path, 0, 0, "the template must be a staff "
                       "member of the role");
        bad = 1;
    }
    if (!(p->time_limit > 0) || p->hours < 0 || p->hours > 60 ||
        (p->min_k >= 0 && p->max_k >= 0 && p->min_k > p->max_k)) {
        rota_diags_add(d, inst->path, 0, 0, "time limit, hours or range out "
                       "of range");
        bad = 1;
    }
    return bad;
}

/* Marks every row below a proved one as proved by it. */
static void propagate(rota_size_result *out)
{
    for (int i = out->n_rows - 1; i > 0; i--) {
        rota_size_row *a = &out->rows[i - 1], *b = &out->rows[i];
        if (a->proof == ROTA_SIZE_UNRESOLVED &&
            b->proof >= ROTA_SIZE_PRESOLVE) {
            a->proof = b->proof;
            snprintf(a->why, sizeof a->why, "a team of %d cannot, so neither "
                     "can a smaller one", b->k);
        }
    }
}

rota_status rota_size_run(const rota_instance *inst, const rota_size_params *p,
                          rota_size_result *out, rota_diags *diags)
{
    memset(out, 0, sizeof *out);
    out->least = out->lower = -1;
    if (check_params(inst, p, diags))
        return ROTA_EINPUT;
    out->role = p->role;
    out->n_now = count_role(inst, p->role);
    int cap = p->max_k >= 0 ? p->max_k : 3 * out->n_now + 20;
    /* cheap proofs upward */
    rota_size_row probe;
    int k = 0;
    for (; k <= cap; k++) {
        memset(&probe, 0, sizeof probe);
        int rc = cheap_proof(inst, p, k, &probe);
        if (rc < 0)
            goto nomem;
        if (!rc)
            break;
        out->lower = k;
        rota_size_row *row = row_at(out, k);
        if (!row)
            goto nomem;
        row->proof = probe.proof;
        memcpy(row->why, probe.why, sizeof row->why);
    }
    /* solves upward */
    for (; k <= cap && !stopped(p); k++) {
        if (fill_row(inst, p, out, k, &out->roster) < 0)
            goto nomem;
        if (row_at(out, k)->proof == ROTA_SIZE_COVERS) {
            out->least = k;
            break;
        }
    }
    if (out->least >= 0) {
        if (!(out->team = rota_size_team(inst, p, out->least)))
            goto nomem;
        out->proved = out->least == 0 || out->lower == out->least - 1;
        if (!out->proved && !stopped(p)) {
            rota_size_row *row = row_at(out, out->least - 1);
            rota_instance *t = row ? rota_size_team(inst, p, out->least - 1) : NULL;
            int rc = t ? bound_proof(t, p, row->why, sizeof row->why) : -1;
            rota_instance_free(t);
            if (rc < 0)
                goto nomem;
            if (rc) {
                row->proof = ROTA_SIZE_BOUND;
                out->proved = 1;
                out->lower = out->least - 1;
            }
        }
    }
    /* the what-if table */
    int centre = out->least >= 0 ? out->least : out->n_now;
    /* by default around the least size, and today's size too */
    int lo = p->min_k >= 0 ? p->min_k : (centre >= 2 ? centre - 2 : 0);
    int hi = p->max_k >= 0 ? p->max_k : centre + 1;
    if (p->min_k < 0 && out->n_now < lo)
        lo = out->n_now;
    if (p->max_k < 0 && out->n_now > hi)
        hi = out->n_now;
    for (k = lo; k <= hi && !stopped(p); k++)
        if (fill_row(inst, p, out, k, NULL) < 0)
            goto nomem;
    propagate(out);
    for (int i = 0; i < out->n_rows; i++) {
        rota_size_row *row = &out->rows[i];
        if (!row->solved) {
            /* proved, never solved: drop from the table unless asked */
            if (row->k < lo || row->k > hi) {
                memmove(row, row + 1, (size_t)(out->n_rows - i - 1) * sizeof *row);
                out->n_rows--;
                i--;
                continue;
            }
        }
        if (p->progress)
            p->progress(row, p->progress_user);
    }
    return ROTA_OK;
nomem:
    rota_size_result_free(out);
    return ROTA_ENOMEM;
}

void rota_size_result_free(rota_size_result *r)
{
    free(r->rows);
    rota_roster_free(r->roster);
    rota_instance_free(r->team);
    memset(r, 0, sizeof *r);
}
