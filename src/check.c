/* check.c - reading a roster JSON and judging it (see rota/check.h).
 *
 * Three passes:
 *
 *   read    Jansson parses the text (duplicate keys rejected); a light
 *           second pass (json_pos.h) finds the line and column of every
 *           value, so that a wrong type or an unknown id is reported where
 *           it is.  Each visits[] entry becomes an assignment, each
 *           uncovered[] entry marks its visit, each staff[] entry becomes a
 *           st_staff with its tours and legs.  Any problem here makes the
 *           document malformed (ROTA_EINPUT), except the ones that are about
 *           the plan rather than the text: a visit listed twice or not at
 *           all (rule 0), a week outside the cycle or listed twice (rule 2).
 *   judge   rota_evaluate() on the roster read; every violation becomes a
 *           RULE finding.
 *   compare every stated figure against the evaluation: FIGURE findings.
 *
 * Rendering a report (lines, summary, JSON verdict) is in check_report.c.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "json_pos.h"
#include "rota/check.h"

#define TOL ROTA_CHECK_TOLERANCE

/* A stated leg, tour and staff entry.  Strings are borrowed from the
 * parsed document. */
typedef struct st_leg {
    const char *from, *to;
    int depart, arrive;    /* -1: null */
    int minutes;
    int node;
} st_leg;

typedef struct st_tour {
    int week, day;
    int first_leg, n_legs;
    int node;
} st_tour;

typedef struct st_staff {
    int node, index;       /* its entry in staff[]; node -1: not listed */
    double visit_minutes, travel_minutes, capacity, utilisation; /* NaN: null */
    int n_visits_node, n_sites_node;
    int first_tour, n_tours;
    long sites, visits;    /* -1: not stated */
} st_staff;

enum { T_TRAVEL, T_CONTINUITY, T_SLOT, T_PREF, T_BALANCE, T_UNCOVERED, N_TERMS };
static const char *const term_names[N_TERMS] = {
    "travel", "continuity", "slot_change", "preference", "balance", "uncovered"};

typedef struct reader {
    const rota_instance *inst;
    const char *path;
    rota_diags *diags;
    rota_check_report *rep;   /* NULL: read only, no findings */
    int bad, oom;
    jpos pos;
    json_t *doc;
    /* the header */
    const char *name;
    int status_ok;            /* status read */
    rota_result status;
    double objective, bound, gap, solve_seconds;  /* NaN: null */
    double terms[N_TERMS];
    int terms_null;
    int n_listed;             /* entries of visits[] */
    int node_name, node_status, node_obj, node_bound, node_gap, node_secs;
    int node_terms[N_TERMS];
    /* per visit */
    rota_roster *r;
    int *vnode, *vidx, *vend; /* its visits[] entry, stated end */
    int *unode, *uidx;        /* its uncovered[] entry */
    double *uneed;            /* stated need; NaN: null; -INFINITY: absent */
    unsigned char *unlisted;
    /* per staff member */
    st_staff *staff;
    st_tour *tours;
    int n_tours, cap_tours;
    st_leg *legs;
    int n_legs, cap_legs;
} reader;

/* ---- the report ------------------------------------------------------ */

void rota_check_report_init(rota_check_report *rep)
{
    memset(rep, 0, sizeof *rep);
    rep->has_roster = 1;
    rep->status = ROTA_RESULT_ERROR;
}

void rota_check_report_free(rota_check_report *rep)
{
    for (size_t i = 0; i < rep->n; i++) {
        free(rep->items[i].field);
        free(rep->items[i].msg);
    }
    free(rep->items);
    rota_check_report_init(rep);
}

int rota_check_feasible(const rota_check_report *rep)
{
    return rep->has_roster && rep->n_rule == 0;
}

int rota_check_ok(const rota_check_report *rep)
{
    return rota_check_feasible(rep) && rep->n_figure == 0 && !rep->oom;
}

static int report_push(rota_check_report *rep, const rota_finding *f)
{
    if (rep->n == rep->cap) {
        size_t cap = rep->cap ? 2 * rep->cap : 16;
        rota_finding *v = realloc(rep->items, cap * sizeof *v);
        if (!v)
            return -1;
        rep->items = v;
        rep->cap = cap;
    }
    rep->items[rep->n++] = *f;
    if (f->kind == ROTA_FINDING_RULE)
        rep->n_rule++;
    else
        rep->n_figure++;
    return 0;
}

/* Adds finding f (its field is copied, its msg formatted) at node. */
/* Counts a finding; keeps it unless the report holds
 * ROTA_CHECK_MAX_FINDINGS already. */
static void count_only(rota_check_report *rep, rota_finding_kind kind)
{
    if (kind == ROTA_FINDING_RULE)
        rep->n_rule++;
    else
        rep->n_figure++;
}

static void vfinding(reader *rd, int node, rota_finding f, const char *fmt,
                     va_list ap)
{
    if (!rd->rep)
        return;
    if (rd->rep->n >= ROTA_CHECK_MAX_FINDINGS) {
        count_only(rd->rep, f.kind);
        rd->rep->n_dropped++;
        return;
    }
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    jpos_where(&rd->pos, node, &f.line, &f.col);
    f.msg = strdup(buf);
    f.field = f.field ? strdup(f.field) : NULL;
    if (!f.msg || (f.kind == ROTA_FINDING_FIGURE && !f.field) ||
        report_push(rd->rep, &f) < 0) {
        /* the verdict must not turn "ok" by losing a finding */
        count_only(rd->rep, f.kind);
        rd->rep->oom = 1;
        free(f.msg);
        free(f.field);
    }
}

#if defined(__GNUC__)
__attribute__((format(printf, 8, 9)))
#endif
static void rule_at(reader *rd, int node, rota_rule rule, int visit,
                    int staff, int week, int day, const char *fmt, ...)
{
    rota_finding f = {.kind = ROTA_FINDING_RULE, .rule = rule,
                      .visit = visit, .staff = staff, .week = week,
                      .day = day};
    va_list ap;
    va_start(ap, fmt);
    vfinding(rd, node, f, fmt, ap);
    va_end(ap);
}

#if defined(__GNUC__)
__attribute__((format(printf, 8, 9)))
#endif
static void figure_at(reader *rd, int node, const char *field, int visit,
                      int staff, int week, int day, const char *fmt, ...)
{
    rota_finding f = {.kind = ROTA_FINDING_FIGURE, .field = (char *)field,
                      .visit = visit, .staff = staff, .week = week,
                      .day = day};
    va_list ap;
    va_start(ap, fmt);
    vfinding(rd, node, f, fmt, ap);
    va_end(ap);
}

/* ---- reading: typed fields with positions ----------------------------- */

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void bad(reader *rd, int node, const char *fmt, ...)
{
    char buf[1024];
    int line, col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    jpos_where(&rd->pos, node, &line, &col);
    rota_diags_add(rd->diags, rd->path, line, col, "%s", buf);
    rd->bad++;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

/* obj[key] and its node (the object's node when the key cannot be
 * located).  A missing required key is reported at the object. */
static json_t *field(reader *rd, json_t *obj, int node, const char *where,
                     const char *key, int required, int *vnode)
{
    json_t *v = json_object_get(obj, key);
    int k = jpos_key(&rd->pos, node, key);
    *vnode = k >= 0 ? k : node;
    if (!v && required)
        bad(rd, node, "%s: missing key \"%s\"", where, key);
    return v;
}

static int get_str(reader *rd, json_t *obj, int node, const char *where,
                   const char *key, const char **out, int *vnode)
{
    int at;
    json_t *v = field(rd, obj, node, where, key, 1, &at);
    if (vnode)
        *vnode = at;
    if (!v)
        return -1;
    if (!json_is_string(v)) {
        bad(rd, at, "%s.%s: expected a string, not %s", where, key,
            type_name(v));
        return -1;
    }
    *out = json_string_value(v);
    return 0;
}

/* A number, or null (NaN) when allow_null. */
static int get_num(reader *rd, json_t *obj, int node, const char *where,
                   const char *key, int allow_null, double *out, int *vnode)
{
    int at;
    json_t *v = field(rd, obj, node, where, key, 1, &at);
    if (vnode)
        *vnode = at;
    if (!v)
        return -1;
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return 0;
    }
    if (allow_null && json_is_null(v)) {
        *out = NAN;
        return 0;
    }
    bad(rd, at, "%s.%s: expected a number%s, not %s", where, key,
        allow_null ? " or null" : "", type_name(v));
    return -1;
}

static int get_int(reader *rd, json_t *obj, int node, const char *where,
                   const char *key, int *out, int *vnode)
{
    int at;
    json_t *v = field(rd, obj, node, where, key, 1, &at);
    if (vnode)
        *vnode = at;
    if (!v)
        return -1;
    json_int_t x = json_is_integer(v) ? json_integer_value(v) : 0;
    if (!json_is_integer(v) || x < -1000000000 || x > 1000000000) {
        bad(rd, at, "%s.%s: expected an integer, not %s", where, key,
            json_is_integer(v) ? "one this large" : type_name(v));
        return -1;
    }
    *out = (int)x;
    return 0;
}

/* "HH:MM" as minutes; null gives -1 when allow_null. */
static int get_time(reader *rd, json_t *obj, int node, const char *where,
                    const char *key, int allow_null, int *out)
{
    int at;
    json_t *v = field(rd, obj, node, where, key, 1, &at);
    if (!v)
        return -1;
    if (allow_null && json_is_null(v)) {
        *out = -1;
        return 0;
    }
    int t = json_is_string(v) ? rota_parse_time(json_string_value(v)) : -1;
    if (t < 0) {
        if (json_is_string(v))
            bad(rd, at, "%s.%s: \"%s\" is not a time \"HH:MM\"", where, key,
                json_string_value(v));
        else
            bad(rd, at, "%s.%s: expected a time \"HH:MM\", not %s", where,
                key, type_name(v));
        return -1;
    }
    *out = t;
    return 0;
}

static int get_day(reader *rd, json_t *obj, int node, const char *where,
                   int *out)
{
    const char *s;
    int at;
    if (get_str(rd, obj, node, where, "day", &s, &at) < 0)
        return -1;
    *out = rota_day_from_name(s);
    if (*out < 0) {
        bad(rd, at, "%s.day: \"%s\" is not a day (mon tue wed thu fri sat sun)",
            where, s);
        return -1;
    }
    return 0;
}

/* An array member; an element that is not an object is reported by the
 * caller's loop through need_object. */
static json_t *get_array(reader *rd, json_t *obj, int node, const char *key,
                         int *vnode)
{
    json_t *v = field(rd, obj, node, "roster", key, 1, vnode);
    if (v && !json_is_array(v)) {
        bad(rd, *vnode, "%s: expected an array, not %s", key, type_name(v));
        return NULL;
    }
    return v;
}

static int need_object(reader *rd, json_t *v, int node, const char *where)
{
    if (json_is_object(v))
        return 0;
    bad(rd, node, "%s: expected an object, not %s", where, type_name(v));
    return -1;
}

/* The visit a (site, role) pair names; -1 after reporting. */
static int get_visit(reader *rd, json_t *o, int node, const char *where)
{
    const rota_instance *inst = rd->inst;
    const char *site, *role;
    int ns, nr;
    int bad_before = rd->bad;
    get_str(rd, o, node, where, "site", &site, &ns);
    get_str(rd, o, node, where, "role", &role, &nr);
    if (rd->bad != bad_before)
        return -1;
    int s = rota_find_site(inst, site), r = rota_find_role(inst, role);
    if (s < 0)
        bad(rd, ns, "%s.site: unknown site \"%s\"", where, site);
    if (r < 0)
        bad(rd, nr, "%s.role: unknown role \"%s\"", where, role);
    if (s < 0 || r < 0)
        return -1;
    int v = rota_find_visit(inst, s, r);
    if (v < 0)
        bad(rd, nr, "%s: site %s has no %s visit", where, site, role);
    return v;
}

/* ---- reading: visits[] and uncovered[] -------------------------------- */

/* weeks: [w, ...] as a mask; weeks outside the cycle or listed twice are
 * rule 2 findings (and left out of the mask). */
static int get_weeks(reader *rd, json_t *o, int node, const char *where,
                     int visit, unsigned *mask)
{
    int at;
    json_t *a = field(rd, o, node, where, "weeks", 1, &at);
    if (!a)
        return -1;
    if (!json_is_array(a)) {
        bad(rd, at, "%s.weeks: expected an array of weeks, not %s", where,
            type_name(a));
        return -1;
    }
    *mask = 0;
    int xn = jpos_index(&rd->pos, at, 0);
    for (size_t i = 0; i < json_array_size(a); i++, xn = jpos_next(&rd->pos, xn)) {
        json_t *x = json_array_get(a, i);
        if (!json_is_integer(x)) {
            bad(rd, xn >= 0 ? xn : at, "%s.weeks[%zu]: expected an integer, "
                "not %s", where, i, type_name(x));
            return -1;
        }
        json_int_t w = json_integer_value(x);
        if (w < 1 || w > rd->inst->cycle_weeks)
            rule_at(rd, xn, ROTA_RULE_FIXED_SLOT, visit, -1, 0, -1,
                    "%s.weeks: week %lld is outside the %d-week cycle",
                    where, (long long)w, rd->inst->cycle_weeks);
        else if (*mask & (1u << (w - 1)))
            rule_at(rd, xn, ROTA_RULE_FIXED_SLOT, visit, -1, 0, -1,
                    "%s.weeks: week %lld is listed twice", where,
                    (long long)w);
        else
            *mask |= 1u << (w - 1);
    }
    return 0;
}

static const char *vlabel(const rota_instance *inst, int v, char *buf,
                          size_t n)
{
    const rota_visit *x = &inst->visits[v];
    snprintf(buf, n, "%s/%s", inst->sites[x->site].id, inst->roles[x->role]);
    return buf;
}

static void read_visit(reader *rd, json_t *o, int node, size_t i)
{
    char where[48], lb[160];
    snprintf(where, sizeof where, "visits[%zu]", i);
    if (need_object(rd, o, node, where) < 0)
        return;
    int b0 = rd->bad, v = get_visit(rd, o, node, where);
    const char *sid = NULL;
    int sn = node, day = -1, start = -1, end = -1, k = -1;
    if (get_str(rd, o, node, where, "staff", &sid, &sn) == 0 &&
        (k = rota_find_staff(rd->inst, sid)) < 0)
        bad(rd, sn, "%s.staff: unknown staff member \"%s\"", where, sid);
    get_day(rd, o, node, where, &day);
    get_time(rd, o, node, where, "start", 0, &start);
    get_time(rd, o, node, where, "end", 1, &end);   /* null: past 24:00 */
    unsigned mask = 0;
    if (rd->bad != b0 || get_weeks(rd, o, node, where, v, &mask) < 0)
        return;
    if (rd->vnode[v] >= 0) {
        rule_at(rd, node, ROTA_RULE_COVERAGE, v, k, 0, day,
                "visit %s is listed twice in visits (visits[%d] and %s)",
                vlabel(rd->inst, v, lb, sizeof lb), rd->vidx[v], where);
        return;
    }
    rd->r->a[v] = (rota_assign){.staff = k, .day = day, .start = start,
                                .weeks = mask};
    rd->vnode[v] = node;
    rd->vidx[v] = (int)i;
    rd->vend[v] = end;
}

static void read_uncovered(reader *rd, json_t *o, int node, size_t i)
{
    char where[48], lb[160];
    snprintf(where, sizeof where, "uncovered[%zu]", i);
    if (need_object(rd, o, node, where) < 0)
        return;
    int v = get_visit(rd, o, node, where);
    if (v < 0)
        return;
    double need = -INFINITY;
    if (json_object_get(o, "need") &&
        get_num(rd, o, node, where, "need", 1, &need, NULL) < 0)
        return;
    if (rd->unode[v] >= 0) {
        rule_at(rd, node, ROTA_RULE_COVERAGE, v, -1, 0, -1,
                "visit %s is listed twice in uncovered (uncovered[%d] and %s)",
                vlabel(rd->inst, v, lb, sizeof lb), rd->uidx[v], where);
        return;
    }
    rd->unode[v] = node;
    rd->uidx[v] = (int)i;
    rd->uneed[v] = need;
}

/* Every visit is listed exactly once, in visits or in uncovered. */
static void account_visits(reader *rd)
{
    char lb[160];
    for (int v = 0; v < rd->inst->n_visits; v++) {
        vlabel(rd->inst, v, lb, sizeof lb);
        if (rd->vnode[v] >= 0 && rd->unode[v] >= 0)
            rule_at(rd, rd->unode[v], ROTA_RULE_COVERAGE, v,
                    rd->r->a[v].staff, 0, -1, "visit %s is listed both in "
                    "visits[%d] and in uncovered[%d]", lb, rd->vidx[v],
                    rd->uidx[v]);
        if (rd->vnode[v] < 0 && rd->unode[v] < 0) {
            rd->unlisted[v] = 1;
            rule_at(rd, -1, ROTA_RULE_COVERAGE, v, -1, 0, -1,
                    "visit %s is listed neither in visits nor in uncovered",
                    lb);
        }
    }
}

/* ---- reading: staff[] with tours and legs ----------------------------- */

static int grow(void **v, int *cap, int n, size_t size)
{
    if (n < *cap)
        return 0;
    int c = *cap ? 2 * *cap : 64;
    void *p = realloc(*v, (size_t)c * size);
    if (!p)
        return -1;
    *v = p;
    *cap = c;
    return 0;
}

static void read_leg(reader *rd, json_t *o, int node, const char *where)
{
    st_leg l = {.node = node};
    if (need_object(rd, o, node, where) < 0)
        return;
    int b0 = rd->bad;
    get_str(rd, o, node, where, "from", &l.from, NULL);
    get_str(rd, o, node, where, "to", &l.to, NULL);
    get_time(rd, o, node, where, "depart", 1, &l.depart);
    get_time(rd, o, node, where, "arrive", 1, &l.arrive);
    get_int(rd, o, node, where, "minutes", &l.minutes, NULL);
    if (rd->bad != b0)
        return;
    if (grow((void **)&rd->legs, &rd->cap_legs, rd->n_legs, sizeof l) < 0) {
        rd->oom = 1;
        return;
    }
    rd->legs[rd->n_legs++] = l;
}

static void read_tour(reader *rd, json_t *o, int node, const char *where)
{
    st_tour t = {.node = node, .first_leg = rd->n_legs};
    char lw[128];
    if (need_object(rd, o, node, where) < 0)
        return;
    int b0 = rd->bad, at;
    get_int(rd, o, node, where, "week", &t.week, NULL);
    get_day(rd, o, node, where, &t.day);
    json_t *legs = field(rd, o, node, where, "legs", 1, &at);
    if (legs && !json_is_array(legs))
        bad(rd, at, "%s.legs: expected an array, not %s", where,
            type_name(legs));
    if (rd->bad != b0)
        return;
    int ln = jpos_index(&rd->pos, at, 0);
    for (size_t i = 0; i < json_array_size(legs); i++, ln = jpos_next(&rd->pos, ln)) {
        snprintf(lw, sizeof lw, "%s.legs[%zu]", where, i);
        read_leg(rd, json_array_get(legs, i), ln >= 0 ? ln : at, lw);
    }
    t.n_legs = rd->n_legs - t.first_leg;
    if (grow((void **)&rd->tours, &rd->cap_tours, rd->n_tours, sizeof t) < 0) {
        rd->oom = 1;
        return;
    }
    rd->tours[rd->n_tours++] = t;
}

/* "sites" and "visits" of a staff entry, when stated (extensions). */
static void read_counts(reader *rd, json_t *o, int node, const char *where,
                        st_staff *s)
{
    int x;
    s->sites = s->visits = -1;
    if (json_object_get(o, "sites") &&
        get_int(rd, o, node, where, "sites", &x, &s->n_sites_node) == 0)
        s->sites = x;
    if (json_object_get(o, "visits") &&
        get_int(rd, o, node, where, "visits", &x, &s->n_visits_node) == 0)
        s->visits = x;
}

static void read_staff(reader *rd, json_t *o, int node, size_t i)
{
    char where[48], tw[80];
    st_staff s = {.node = node, .index = (int)i};
    snprintf(where, sizeof where, "staff[%zu]", i);
    if (need_object(rd, o, node, where) < 0)
        return;
    const char *id;
    int b0 = rd->bad, at, k = -1;
    if (get_str(rd, o, node, where, "id", &id, &at) == 0 &&
        (k = rota_find_staff(rd->inst, id)) < 0)
        bad(rd, at, "%s.id: unknown staff member \"%s\"", where, id);
    get_num(rd, o, node, where, "visit_minutes", 1, &s.visit_minutes, NULL);
    get_num(rd, o, node, where, "travel_minutes", 1, &s.travel_minutes, NULL);
    get_num(rd, o, node, where, "capacity_minutes", 1, &s.capacity, NULL);
    get_num(rd, o, node, where, "utilisation", 1, &s.utilisation, NULL);
    read_counts(rd, o, node, where, &s);
    json_t *tours = field(rd, o, node, where, "tours", 1, &at);
    if (tours && !json_is_array(tours))
        bad(rd, at, "%s.tours: expected an array, not %s", where,
            type_name(tours));
    if (rd->bad != b0)
        return;
    s.first_tour = rd->n_tours;
    int tn = jpos_index(&rd->pos, at, 0);
    for (size_t j = 0; j < json_array_size(tours); j++, tn = jpos_next(&rd->pos, tn)) {
        snprintf(tw, sizeof tw, "%s.tours[%zu]", where, j);
        read_tour(rd, json_array_get(tours, j), tn >= 0 ? tn : at, tw);
    }
    s.n_tours = rd->n_tours - s.first_tour;
    if (rd->staff[k].node >= 0) {
        figure_at(rd, node, "staff", -1, k, 0, -1, "%s is listed twice "
                  "(staff[%d] and %s)", id, rd->staff[k].index, where);
        return;
    }
    rd->staff[k] = s;
}

/* ---- reading: the document ------------------------------------------ */

static int parse_status(const char *s, rota_result *out)
{
    for (int r = ROTA_RESULT_OPTIMAL; r <= ROTA_RESULT_ERROR; r++)
        if (strcmp(s, rota_result_str((rota_result)r)) == 0) {
            *out = (rota_result)r;
            return 0;
        }
    return -1;
}

static void read_terms(reader *rd, json_t *doc)
{
    int at;
    json_t *t = field(rd, doc, 0, "roster", "terms", 1, &at);
    rd->terms_null = t && json_is_null(t);
    for (int i = 0; i < N_TERMS; i++)
        rd->terms[i] = NAN;
    if (!t || rd->terms_null)
        return;
    if (need_object(rd, t, at, "terms") < 0)
        return;
    for (int i = 0; i < N_TERMS; i++)
        get_num(rd, t, at, "terms", term_names[i], 1, &rd->terms[i],
                &rd->node_terms[i]);
}

static void read_header(reader *rd, json_t *doc)
{
    const char *s;
    int at;
    if (get_str(rd, doc, 0, "roster", "format", &s, &at) == 0 &&
        strcmp(s, "rota-roster/1") != 0)
        bad(rd, at, "format: \"%s\" is not \"rota-roster/1\"", s);
    get_str(rd, doc, 0, "roster", "instance", &rd->name, &rd->node_name);
    if (get_str(rd, doc, 0, "roster", "status", &s, &rd->node_status) == 0) {
        if (parse_status(s, &rd->status) < 0)
            bad(rd, rd->node_status, "status: \"%s\" is not one of optimal, "
                "feasible, infeasible, no_solution, error", s);
        else
            rd->status_ok = 1;
    }
    get_num(rd, doc, 0, "roster", "objective", 1, &rd->objective, &rd->node_obj);
    get_num(rd, doc, 0, "roster", "bound", 1, &rd->bound, &rd->node_bound);
    get_num(rd, doc, 0, "roster", "gap", 1, &rd->gap, &rd->node_gap);
    get_num(rd, doc, 0, "roster", "solve_seconds", 0, &rd->solve_seconds,
            &rd->node_secs);
    read_terms(rd, doc);
}

/* Reads one of the three lists with `each` on every element. */
static void read_list(reader *rd, json_t *doc, const char *key,
                      void (*each)(reader *, json_t *, int, size_t))
{
    int at;
    json_t *a = get_array(rd, doc, 0, key, &at);
    int n = jpos_index(&rd->pos, at, 0);
    for (size_t i = 0; a && i < json_array_size(a) && !rd->oom;
         i++, n = jpos_next(&rd->pos, n))
        each(rd, json_array_get(a, i), n >= 0 ? n : at, i);
    if (a && strcmp(key, "visits") == 0)
        rd->n_listed = (int)json_array_size(a);
}

static void read_doc(reader *rd)
{
    json_t *doc = rd->doc;
    if (!json_is_object(doc)) {
        bad(rd, 0, "a roster is a JSON object, not %s", type_name(doc));
        return;
    }
    read_header(rd, doc);
    read_list(rd, doc, "visits", read_visit);
    read_list(rd, doc, "uncovered", read_uncovered);
    read_list(rd, doc, "staff", read_staff);
}

static int reader_alloc(reader *rd)
{
    const rota_instance *inst = rd->inst;
    size_t nv = (size_t)(inst->n_visits ? inst->n_visits : 1);
    size_t ns = (size_t)(inst->n_staff ? inst->n_staff : 1);
    rd->r = rota_roster_new(inst);
    rd->vnode = malloc(nv * sizeof *rd->vnode);
    rd->vidx = malloc(nv * sizeof *rd->vidx);
    rd->vend = malloc(nv * sizeof *rd->vend);
    rd->unode = malloc(nv * sizeof *rd->unode);
    rd->uidx = malloc(nv * sizeof *rd->uidx);
    rd->uneed = malloc(nv * sizeof *rd->uneed);
    rd->unlisted = calloc(nv, 1);
    rd->staff = malloc(ns * sizeof *rd->staff);
    if (!rd->r || !rd->vnode || !rd->vidx || !rd->vend || !rd->unode ||
        !rd->uidx || !rd->uneed || !rd->unlisted || !rd->staff)
        return -1;
    for (int v = 0; v < inst->n_visits; v++)
        rd->vnode[v] = rd->unode[v] = -1;
    for (int k = 0; k < inst->n_staff; k++)
        rd->staff[k] = (st_staff){.node = -1};
    return 0;
}

static void reader_free(reader *rd)
{
    rota_roster_free(rd->r);
    free(rd->vnode);
    free(rd->vidx);
    free(rd->vend);
    free(rd->unode);
    free(rd->uidx);
    free(rd->uneed);
    free(rd->unlisted);
    free(rd->staff);
    free(rd->tours);
    free(rd->legs);
    jpos_free(&rd->pos);
    json_decref(rd->doc);
}

/* Parses and reads the document.  ROTA_EINPUT after diagnostics. */
static rota_status reader_run(reader *rd, const char *text, size_t len)
{
    json_error_t err;
    if (len > ROTA_CHECK_MAX_BYTES) {
        rota_diags_add(rd->diags, rd->path, 0, 0, "the roster is larger than "
                       "%u bytes", ROTA_CHECK_MAX_BYTES);
        return ROTA_EINPUT;
    }
    rota_json_guard();
    rota_json_oom_reset();
    rd->doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    /* an allocation failure inside Jansson may look like a syntax error */
    if (!rd->doc && rota_json_oom())
        return ROTA_ENOMEM;
    if (!rd->doc) {
        /* Jansson gives column 0 at the end of the input: say 1 */
        int line = err.line > 0 ? err.line : 0;
        int col = line > 0 ? (err.column > 0 ? err.column : 1) : 0;
        rota_diags_add(rd->diags, rd->path, line, col, "%s", err.text);
        return ROTA_EINPUT;
    }
    if (jpos_build(&rd->pos, text, len) < 0 || reader_alloc(rd) < 0)
        return ROTA_ENOMEM;
    read_doc(rd);
    if (rd->oom)
        return ROTA_ENOMEM;
    return rd->bad ? ROTA_EINPUT : ROTA_OK;
}

rota_status rota_roster_read(const rota_instance *inst, const char *text,
                             size_t len, const char *path, rota_roster **out,
                             rota_diags *diags)
{
    reader rd = {.inst = inst, .path = path, .diags = diags};
    *out = NULL;
    rota_status st = reader_run(&rd, text, len);
    if (st == ROTA_OK) {
        *out = rd.r;
        rd.r = NULL;
    }
    reader_free(&rd);
    return st;
}

/* ---- judging: the rules --------------------------------------------- */

/* Where a finding about visit v points: its entry in visits or uncovered. */
static int visit_node(const reader *rd, int v)
{
    if (v < 0)
        return -1;
    return rd->vnode[v] >= 0 ? rd->vnode[v] : rd->unode[v];
}

static void add_violations(reader *rd, const rota_eval *e)
{
    for (int i = 0; i < e->n_viol; i++) {
        const rota_violation *x = &e->viol[i];
        /* already reported as "listed neither in visits nor in uncovered" */
        if (x->rule == ROTA_RULE_COVERAGE && x->visit >= 0 &&
            rd->unlisted[x->visit])
            continue;
        rule_at(rd, visit_node(rd, x->visit), x->rule, x->visit, x->staff,
                x->week, x->day, "%s", x->msg);
    }
}

/* ---- comparing: the figures ------------------------------------------ */

/* Equal within the tolerance; null (any non-finite) equals only null. */
static int same(double stated, double computed)
{
    if (!isfinite(stated) || !isfinite(computed))
        return !isfinite(stated) && !isfinite(computed);
    return fabs(stated - computed) <= TOL;
}

static const char *num(double x, char *buf, size_t n)
{
    if (isfinite(x))
        snprintf(buf, n, "%.15g", x);
    else
        snprintf(buf, n, "null");
    return buf;
}

static void cmp_real(reader *rd, int node, const char *field, int staff,
                     double stated, double computed)
{
    char a[40], b[40];
    if (!same(stated, computed))
        figure_at(rd, node, field, -1, staff, 0, -1, "states %s, recomputed %s",
                  num(stated, a, sizeof a), num(computed, b, sizeof b));
}

static void compare_terms(reader *rd, const rota_eval *e)
{
    const rota_terms *t = &e->terms;
    double c[N_TERMS] = {t->travel, t->continuity, t->slot_change,
                         t->preference, t->balance, t->uncovered};
    char field[32];
    if (rd->terms_null) {
        figure_at(rd, jpos_key(&rd->pos, 0, "terms"), "terms", -1, -1, 0, -1,
                  "states null, but the document holds a roster");
        return;
    }
    for (int i = 0; i < N_TERMS; i++) {
        snprintf(field, sizeof field, "terms.%s", term_names[i]);
        cmp_real(rd, rd->node_terms[i], field, -1, rd->terms[i], c[i]);
    }
}

/* bound is a lower bound of the (recomputed) objective; gap is
 * (objective - bound) / max(1, |objective|) with the stated objective. */
static void compare_bound(reader *rd, const rota_eval *e)
{
    char a[40], b[40];
    double obj = isfinite(rd->objective) ? rd->objective : e->objective;
    if (!isfinite(rd->bound)) {
        if (isfinite(rd->gap))
            figure_at(rd, rd->node_gap, "gap", -1, -1, 0, -1, "states %s "
                      "without a bound (null expected)", num(rd->gap, a, 40));
        return;
    }
    if (rd->bound > e->objective + TOL * fmax(1.0, fabs(e->objective)))
        figure_at(rd, rd->node_bound, "bound", -1, -1, 0, -1, "states %s, "
                  "more than the objective %s: not a lower bound",
                  num(rd->bound, a, 40), num(e->objective, b, 40));
    cmp_real(rd, rd->node_gap, "gap", -1, rd->gap,
             (obj - rd->bound) / fmax(1.0, fabs(obj)));
}

static void compare_header(reader *rd, const rota_eval *e)
{
    if (strcmp(rd->name, rd->inst->name ? rd->inst->name : "") != 0)
        figure_at(rd, rd->node_name, "instance", -1, -1, 0, -1,
                  "states \"%s\", but the instance is \"%s\"", rd->name,
                  rd->inst->name ? rd->inst->name : "");
    if (rd->status != ROTA_RESULT_OPTIMAL && rd->status != ROTA_RESULT_FEASIBLE)
        figure_at(rd, rd->node_status, "status", -1, -1, 0, -1,
                  "states %s, but the document holds a roster",
                  rota_result_str(rd->status));
    cmp_real(rd, rd->node_obj, "objective", -1, rd->objective, e->objective);
    compare_terms(rd, e);
    compare_bound(rd, e);
    if (!(rd->solve_seconds >= 0))
        figure_at(rd, rd->node_secs, "solve_seconds", -1, -1, 0, -1,
                  "states %.15g: negative", rd->solve_seconds);
}

/* A computed time as the writer prints it: -1 for null. */
static int as_written(int t)
{
    return t < 0 || t > 24 * 60 ? -1 : t;
}

/* end = start + minutes; an uncovered visit's need is its site's. */
static void compare_visits(reader *rd)
{
    const rota_instance *inst = rd->inst;
    char field[64], t1[6], t2[6], a[40], b[40];
    for (int v = 0; v < inst->n_visits; v++) {
        const rota_assign *x = &rd->r->a[v];
        int end = as_written(x->start + inst->visits[v].minutes);
        if (rd->vnode[v] >= 0 && rd->vend[v] != end) {
            snprintf(field, sizeof field, "visits[%d].end", rd->vidx[v]);
            figure_at(rd, jpos_key(&rd->pos, rd->vnode[v], "end"), field, v,
                      x->staff, 0, x->day, "states %s, but the visit starts "
                      "at %s and lasts %d minutes", rd->vend[v] < 0 ? "null" :
                      rota_fmt_time(rd->vend[v], t1), rota_fmt_time(x->start, t2),
                      inst->visits[v].minutes);
        }
        double need = inst->sites[inst->visits[v].site].need;
        if (rd->unode[v] >= 0 && rd->uneed[v] != -INFINITY &&
            !same(rd->uneed[v], need)) {
            snprintf(field, sizeof field, "uncovered[%d].need", rd->uidx[v]);
            figure_at(rd, jpos_key(&rd->pos, rd->unode[v], "need"), field, v,
                      -1, 0, -1, "states %s, but the site's need is %s",
                      num(rd->uneed[v], a, 40), num(need, b, 40));
        }
    }
}

static const char *leg_str(const char *from, const char *to, int depart,
                           int arrive, int minutes, char *buf, size_t n)
{
    char t1[6], t2[6];
    snprintf(buf, n, "%s %s -> %s %s (%d min)", from,
             depart < 0 ? "null" : rota_fmt_time(depart, t1), to,
             arrive < 0 ? "null" : rota_fmt_time(arrive, t2), minutes);
    return buf;
}

/* The first difference between stated tour `st` and computed tour `ct`. */
static void compare_tour(reader *rd, const rota_eval *e, const st_tour *st,
                         const rota_tour *ct, const char *field)
{
    const rota_instance *inst = rd->inst;
    int k = ct->staff;
    if (st->week != ct->week || st->day != ct->day) {
        figure_at(rd, st->node, field, -1, k, ct->week, ct->day,
                  "states a tour in week %d on %s, recomputed week %d %s",
                  st->week, rota_day_names[st->day], ct->week,
                  rota_day_names[ct->day]);
        return;
    }
    if (st->n_legs != ct->n_legs) {
        figure_at(rd, st->node, field, -1, k, ct->week, ct->day,
                  "states %d legs, recomputed %d", st->n_legs, ct->n_legs);
        return;
    }
    for (int i = 0; i < st->n_legs; i++) {
        const st_leg *s = &rd->legs[st->first_leg + i];
        const rota_leg *c = &e->legs[ct->first_leg + i];
        const char *from = rota_place_id(inst, c->from);
        const char *to = rota_place_id(inst, c->to);
        int dep = as_written(c->depart), arr = as_written(c->arrive);
        if (strcmp(s->from, from) || strcmp(s->to, to) || s->depart != dep ||
            s->arrive != arr || s->minutes != c->minutes) {
            char a[160], b[160];
            figure_at(rd, s->node, field, -1, k, ct->week, ct->day,
                      "leg %d states %s, recomputed %s", i + 1,
                      leg_str(s->from, s->to, s->depart, s->arrive,
                              s->minutes, a, sizeof a),
                      leg_str(from, to, dep, arr, c->minutes, b, sizeof b));
            return;
        }
    }
}

static void compare_tours(reader *rd, const rota_eval *e, int k)
{
    const st_staff *s = &rd->staff[k];
    char field[64];
    int lo = 0;
    while (lo < e->n_tours && e->tours[lo].staff != k)
        lo++;
    int m = 0;
    while (lo + m < e->n_tours && e->tours[lo + m].staff == k)
        m++;
    if (s->n_tours != m) {
        snprintf(field, sizeof field, "staff[%d].tours", s->index);
        figure_at(rd, jpos_key(&rd->pos, s->node, "tours"), field, -1, k, 0,
                  -1, "states %d tours, recomputed %d", s->n_tours, m);
    }
    for (int j = 0; j < s->n_tours && j < m; j++) {
        snprintf(field, sizeof field, "staff[%d].tours[%d]", s->index, j);
        compare_tour(rd, e, &rd->tours[s->first_tour + j], &e->tours[lo + j],
                     field);
    }
}

static void compare_count(reader *rd, const st_staff *s, const char *key,
                          long stated, int computed)
{
    char field[64];
    if (stated < 0 || stated == computed)
        return;
    snprintf(field, sizeof field, "staff[%d].%s", s->index, key);
    figure_at(rd, jpos_key(&rd->pos, s->node, key), field, -1,
              (int)(s - rd->staff), 0, -1, "states %ld, recomputed %d",
              stated, computed);
}

static void compare_staff(reader *rd, const rota_eval *e)
{
    static const char *const keys[4] = {"visit_minutes", "travel_minutes",
                                        "capacity_minutes", "utilisation"};
    char field[64];
    for (int k = 0; k < rd->inst->n_staff; k++) {
        const st_staff *s = &rd->staff[k];
        const rota_staff_figures *f = &e->staff[k];
        if (s->node < 0) {
            figure_at(rd, jpos_key(&rd->pos, 0, "staff"), "staff", -1, k, 0,
                      -1, "%s is not listed", rd->inst->staff[k].id);
            continue;
        }
        double st[4] = {s->visit_minutes, s->travel_minutes, s->capacity,
                        s->utilisation};
        double c[4] = {f->visit_minutes, f->travel_minutes, f->capacity,
                       f->utilisation};
        for (int i = 0; i < 4; i++) {
            snprintf(field, sizeof field, "staff[%d].%s", s->index, keys[i]);
            cmp_real(rd, jpos_key(&rd->pos, s->node, keys[i]), field, k,
                     st[i], c[i]);
        }
        compare_count(rd, s, "sites", s->sites, f->n_sites);
        compare_count(rd, s, "visits", s->visits, f->n_visits);
        compare_tours(rd, e, k);
    }
}

/* A document that says there is no roster (status infeasible,
 * no_solution or error, no visits, objective null) is not judged. */
static int holds_no_roster(const reader *rd)
{
    return rd->status != ROTA_RESULT_OPTIMAL &&
           rd->status != ROTA_RESULT_FEASIBLE && rd->n_listed == 0 &&
           !isfinite(rd->objective);
}

static rota_status judge(reader *rd, rota_check_report *rep)
{
    rota_eval e;
    rep->status = rd->status;
    rep->has_objective = isfinite(rd->objective);
    rep->stated_objective = rd->objective;
    if (holds_no_roster(rd)) {
        rep->has_roster = 0;
        return ROTA_OK;
    }
    account_visits(rd);
    if (rota_evaluate(rd->inst, rd->r, &e) != ROTA_OK)
        return ROTA_ENOMEM;
    rep->objective = e.objective;
    rep->terms = e.terms;
    rep->n_covered = e.n_covered;
    rep->n_uncovered = e.n_uncovered;
    add_violations(rd, &e);
    compare_header(rd, &e);
    compare_visits(rd);
    compare_staff(rd, &e);
    rota_eval_free(&e);
    return ROTA_OK;
}

rota_status rota_check_buffer(const rota_instance *inst, const char *text,
                              size_t len, const char *path,
                              rota_check_report *rep, rota_diags *diags)
{
    reader rd = {.inst = inst, .path = path, .diags = diags, .rep = rep};
    size_t n0 = rep->n, d0 = rep->n_dropped;
    int r0 = rep->n_rule, f0 = rep->n_figure;
    rota_status st = reader_run(&rd, text, len);
    if (st == ROTA_OK)
        st = judge(&rd, rep);
    if (st != ROTA_OK) {
        /* a malformed document has no verdict: drop what reading found */
        for (size_t i = n0; i < rep->n; i++) {
            free(rep->items[i].field);
            free(rep->items[i].msg);
        }
        rep->n = n0;
        rep->n_rule = r0;
        rep->n_figure = f0;
        rep->n_dropped = d0;
    }
    reader_free(&rd);
    return st;
}

/* Reads a whole file into a malloc'd buffer (NUL-terminated). */
static rota_status slurp(const char *path, char **out, size_t *len,
                         rota_diags *diags)
{
    struct stat sb;
    FILE *f = fopen(path, "rb");
    *out = NULL;
    if (!f || fstat(fileno(f), &sb) < 0) {
        rota_diags_add(diags, path, 0, 0, "cannot read: %s", strerror(errno));
        if (f)
            fclose(f);
        return ROTA_EIO;
    }
    if (sb.st_size > (off_t)ROTA_CHECK_MAX_BYTES) {
        rota_diags_add(diags, path, 0, 0, "the roster is larger than %u bytes",
                       ROTA_CHECK_MAX_BYTES);
        fclose(f);
        return ROTA_EINPUT;
    }
    size_t cap = (size_t)sb.st_size + 1, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return ROTA_ENOMEM;
    }
    n = fread(buf, 1, cap - 1, f);
    int err = ferror(f);
    fclose(f);
    if (err) {
        rota_diags_add(diags, path, 0, 0, "cannot read: input/output error");
        free(buf);
        return ROTA_EIO;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return ROTA_OK;
}

rota_status rota_check_file(const rota_instance *inst, const char *path,
                            rota_check_report *rep, rota_diags *diags)
{
    char *text;
    size_t len;
    rota_status st = slurp(path, &text, &len, diags);
    if (st != ROTA_OK)
        return st;
    st = rota_check_buffer(inst, text, len, path, rep, diags);
    free(text);
    return st;
}
