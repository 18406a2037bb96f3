/* roster_json.c - the roster JSON of spec section 4: writing it, and
 * locating values in a JSON text for the reader's messages.
 *
 * Every figure written comes from a rota_eval (so `rota check`, which calls
 * rota_evaluate() on what it reads, recomputes exactly these numbers).
 * Every json_*_set_new / append_new call is checked: Jansson drops a NULL
 * value (a failed allocation, or json_real(NaN)) silently otherwise.  A
 * non-finite real is written as null.  Keys come in the order of the spec,
 * then the extensions (docs/roster-json.md).
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json_pos.h"
#include "rota/explain.h"
#include "rota/roster_json.h"

#define DUMP_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

void rota_roster_meta_init(rota_roster_meta *meta)
{
    memset(meta, 0, sizeof *meta);
    meta->status = ROTA_RESULT_FEASIBLE;
    meta->has_bound = 0;
    meta->first_seconds = -1;
    meta->time_limit = -1;
    meta->reason = NULL;
    meta->rows = meta->cols = meta->cols_generated = meta->branch_nodes = -1;
}

/* ---- small builders; each returns a new reference or NULL ------------ */

static json_t *real_or_null(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *time_str(int minutes)
{
    char buf[6];
    if (minutes < 0 || minutes > 24 * 60)
        return json_null();
    return json_string(rota_fmt_time(minutes, buf));
}

/* Sets obj[key] = val (stolen).  A NULL val (a failed constructor) fails. */
static int put(json_t *obj, const char *key, json_t *val)
{
    return json_object_set_new(obj, key, val);
}

static int push(json_t *arr, json_t *val)
{
    return json_array_append_new(arr, val);
}

static json_t *weeks_array(unsigned weeks, int cycle_weeks)
{
    json_t *a = json_array();
    if (!a)
        return NULL;
    for (int w = 1; w <= cycle_weeks; w++)
        if ((weeks & (1u << (w - 1))) && push(a, json_integer(w)) < 0)
            goto fail;
    return a;
fail:
    json_decref(a);
    return NULL;
}

/* {"site", "role", "staff", "day", "start", "end", "weeks"} of a covered
 * visit. */
static json_t *visit_json(const rota_instance *inst, const rota_roster *r,
                          int v)
{
    const rota_visit *x = &inst->visits[v];
    const rota_assign *a = &r->a[v];
    json_t *o = json_object();
    if (!o)
        return NULL;
    int day_ok = a->day >= 0 && a->day < ROTA_DAYS;
    int staff_ok = a->staff >= 0 && a->staff < inst->n_staff;
    if (put(o, "site", json_string(inst->sites[x->site].id)) < 0 ||
        put(o, "role", json_string(inst->roles[x->role])) < 0 ||
        put(o, "staff", staff_ok ? json_string(inst->staff[a->staff].id)
                                 : json_null()) < 0 ||
        put(o, "day", day_ok ? json_string(rota_day_names[a->day])
                             : json_null()) < 0 ||
        put(o, "start", time_str(a->start)) < 0 ||
        put(o, "end", time_str(a->start + x->minutes)) < 0 ||
        put(o, "weeks", weeks_array(a->weeks, inst->cycle_weeks)) < 0)
        goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}

/* Why a visit can stay uncovered when the reason is plain from the
 * instance alone; NULL when it is a matter of capacity or time. */
static const char *uncovered_reason(const rota_instance *inst, int v)
{
    for (int k = 0; k < inst->n_staff; k++)
        if (rota_staff_may_take(inst, k, v))
            return NULL;
    return "no staff member may take it (role, staff_allowed, districts, pin)";
}

/* {"site", "role", "need", "reason"?, "reason_kind"?} of an uncovered
 * visit; ex (may be NULL: a roster that breaks a rule) explains it. */
static json_t *uncovered_json(const rota_instance *inst, int v,
                              rota_explainer *ex)
{
    const rota_visit *x = &inst->visits[v];
    rota_why why;
    int explained = ex && rota_explain_visit(ex, v, &why) == ROTA_OK;
    const char *text = explained ? why.msg : uncovered_reason(inst, v);
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (put(o, "site", json_string(inst->sites[x->site].id)) < 0 ||
        put(o, "role", json_string(inst->roles[x->role])) < 0 ||
        put(o, "need", real_or_null(inst->sites[x->site].need)) < 0 ||
        (text && put(o, "reason", json_string(text)) < 0) ||
        (explained && put(o, "reason_kind",
                          json_string(rota_why_kind_str(why.kind))) < 0))
        goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}

static json_t *leg_json(const rota_instance *inst, const rota_leg *l)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (put(o, "from", json_string(rota_place_id(inst, l->from))) < 0 ||
        put(o, "to", json_string(rota_place_id(inst, l->to))) < 0 ||
        put(o, "depart", time_str(l->depart)) < 0 ||
        put(o, "arrive", time_str(l->arrive)) < 0 ||
        put(o, "minutes", json_integer(l->minutes)) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *tour_json(const rota_instance *inst, const rota_eval *e,
                         const rota_tour *t)
{
    json_t *o = json_object(), *legs = json_array();
    if (!o || !legs)
        goto fail;
    for (int i = 0; i < t->n_legs; i++)
        if (push(legs, leg_json(inst, &e->legs[t->first_leg + i])) < 0)
            goto fail;
    if (put(o, "week", json_integer(t->week)) < 0 ||
        put(o, "day", json_string(rota_day_names[t->day])) < 0)
        goto fail;
    if (put(o, "legs", legs) < 0) {
        legs = NULL;
        goto fail;
    }
    return o;
fail:
    json_decref(legs);
    json_decref(o);
    return NULL;
}

/* The tours of staff member k: e->tours is sorted by staff, so they are
 * one run of it. */
static json_t *tours_json(const rota_instance *inst, const rota_eval *e, int k)
{
    json_t *a = json_array();
    if (!a)
        return NULL;
    for (int i = 0; i < e->n_tours; i++)
        if (e->tours[i].staff == k &&
            push(a, tour_json(inst, e, &e->tours[i])) < 0)
            goto fail;
    return a;
fail:
    json_decref(a);
    return NULL;
}

static json_t *staff_json(const rota_instance *inst, const rota_eval *e, int k)
{
    const rota_staff_figures *f = &e->staff[k];
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (put(o, "id", json_string(inst->staff[k].id)) < 0 ||
        put(o, "visit_minutes", real_or_null(f->visit_minutes)) < 0 ||
        put(o, "travel_minutes", real_or_null(f->travel_minutes)) < 0 ||
        put(o, "capacity_minutes", real_or_null(f->capacity)) < 0 ||
        put(o, "utilisation", real_or_null(f->utilisation)) < 0 ||
        put(o, "tours", tours_json(inst, e, k)) < 0 ||
        put(o, "role", json_string(inst->roles[inst->staff[k].role])) < 0 ||
        put(o, "sites", json_integer(f->n_sites)) < 0 ||
        put(o, "visits", json_integer(f->n_visits)) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *terms_json(const rota_terms *t)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (put(o, "travel", real_or_null(t->travel)) < 0 ||
        put(o, "continuity", real_or_null(t->continuity)) < 0 ||
        put(o, "slot_change", real_or_null(t->slot_change)) < 0 ||
        put(o, "preference", real_or_null(t->preference)) < 0 ||
        put(o, "balance", real_or_null(t->balance)) < 0 ||
        put(o, "uncovered", real_or_null(t->uncovered)) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* visits[], uncovered[] and staff[] of a roster (all empty without one). */
static int put_lists(json_t *doc, const rota_instance *inst,
                     const rota_roster *r, const rota_eval *e)
{
    json_t *vis = json_array(), *unc = json_array(), *st = json_array();
    rota_explainer *ex = NULL;
    int rc = -1;
    if (!vis || !unc || !st)
        goto done;
    if (r && e->n_viol == 0 && e->n_uncovered > 0 &&
        !(ex = rota_explainer_new(inst, r)))
        goto done;
    for (int v = 0; r && v < inst->n_visits; v++) {
        json_t *item = r->a[v].staff >= 0 ? visit_json(inst, r, v)
                                           : uncovered_json(inst, v, ex);
        if (push(r->a[v].staff >= 0 ? vis : unc, item) < 0)
            goto done;
    }
    for (int k = 0; r && k < inst->n_staff; k++)
        if (push(st, staff_json(inst, e, k)) < 0)
            goto done;
    /* each put steals its value, also when it fails */
    rc = put(doc, "visits", vis);
    vis = NULL;
    if (rc == 0) {
        rc = put(doc, "uncovered", unc);
        unc = NULL;
    }
    if (rc == 0) {
        rc = put(doc, "staff", st);
        st = NULL;
    }
done:
    rota_explainer_free(ex);
    json_decref(vis);
    json_decref(unc);
    json_decref(st);
    return rc;
}

/* objective, bound, gap: gap = (objective - bound) / max(1, |objective|),
 * null when either is missing. */
static int put_figures(json_t *doc, const rota_roster *r, const rota_eval *e,
                       const rota_roster_meta *m)
{
    int has_obj = r && isfinite(e->objective);
    int has_bound = m->has_bound && isfinite(m->bound);
    double obj = has_obj ? e->objective : 0;
    json_t *gap = json_null();
    if (has_obj && has_bound)
        gap = real_or_null((obj - m->bound) / fmax(1.0, fabs(obj)));
    if (put(doc, "objective", has_obj ? json_real(obj) : json_null()) < 0 ||
        put(doc, "bound", has_bound ? json_real(m->bound) : json_null()) < 0)
        goto fail;
    if (put(doc, "gap", gap) < 0)
        return -1;
    return 0;
fail:
    json_decref(gap);
    return -1;
}

static json_t *model_json(const rota_roster_meta *m)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    if ((m->rows >= 0 && put(o, "rows", json_integer(m->rows)) < 0) ||
        (m->cols >= 0 && put(o, "cols", json_integer(m->cols)) < 0) ||
        (m->cols_generated >= 0 &&
         put(o, "columns_generated", json_integer(m->cols_generated)) < 0) ||
        (m->branch_nodes >= 0 &&
         put(o, "branch_nodes", json_integer(m->branch_nodes)) < 0)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *violations_json(const rota_instance *inst, const rota_eval *e)
{
    json_t *a = json_array();
    for (int i = 0; a && i < e->n_viol; i++) {
        const rota_violation *v = &e->viol[i];
        json_t *o = json_object();
        if (push(a, o) < 0 ||
            put(o, "rule", json_integer(v->rule)) < 0 ||
            put(o, "name", json_string(rota_rule_name(v->rule))) < 0 ||
            (v->staff >= 0 &&
             put(o, "staff", json_string(inst->staff[v->staff].id)) < 0) ||
            put(o, "message", json_string(v->msg)) < 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* {"visits": [{site, role}], "rules": [...], "staff": [...], "minimal",
 * "proof", "message"} of an infeasibility conflict. */
static json_t *conflict_json(const rota_instance *inst, const rota_conflict *c)
{
    json_t *o = json_object(), *vis = json_array(), *rules = json_array(),
           *staff = json_array();
    if (!o || !vis || !rules || !staff)
        goto fail;
    for (int i = 0; i < c->n_visits; i++) {
        const rota_visit *x = &inst->visits[c->visits[i]];
        json_t *v = json_object();
        if (push(vis, v) < 0 ||
            put(v, "site", json_string(inst->sites[x->site].id)) < 0 ||
            put(v, "role", json_string(inst->roles[x->role])) < 0)
            goto fail;
    }
    for (int g = 0; g < ROTA_RG_COUNT; g++)
        if ((c->rules & (1u << g)) &&
            push(rules, json_string(rota_rule_group_str((rota_rule_group)g))) < 0)
            goto fail;
    for (int i = 0; i < c->n_staff; i++)
        if (push(staff, json_string(inst->staff[c->staff[i]].id)) < 0)
            goto fail;
    /* each put steals its value, also when it fails */
    int rc = put(o, "visits", vis) | put(o, "rules", rules) |
             put(o, "staff", staff);
    vis = rules = staff = NULL;
    if (rc < 0 || put(o, "minimal", json_boolean(c->minimal)) < 0 ||
        put(o, "proof", json_string(c->proof)) < 0 ||
        put(o, "message", json_string(c->message)) < 0)
        goto fail;
    return o;
fail:
    json_decref(o);
    json_decref(vis);
    json_decref(rules);
    json_decref(staff);
    return NULL;
}

/* The extensions of docs/roster-json.md after the spec's fields. */
static int put_extensions(json_t *doc, const rota_instance *inst,
                          const rota_roster *r, const rota_eval *e,
                          const rota_roster_meta *m)
{
    if (put(doc, "cycle_weeks", json_integer(inst->cycle_weeks)) < 0 ||
        (m->first_seconds >= 0 &&
         put(doc, "first_seconds", real_or_null(m->first_seconds)) < 0) ||
        (m->time_limit >= 0 &&
         put(doc, "time_limit", real_or_null(m->time_limit)) < 0) ||
        put(doc, "seed", json_integer(m->seed)) < 0 ||
        (m->reason && put(doc, "reason", json_string(m->reason)) < 0))
        return -1;
    if ((m->rows >= 0 || m->cols >= 0 || m->cols_generated >= 0 ||
         m->branch_nodes >= 0) &&
        put(doc, "model", model_json(m)) < 0)
        return -1;
    if (m->conflict && m->conflict->proved &&
        put(doc, "conflict", conflict_json(inst, m->conflict)) < 0)
        return -1;
    if (r && (put(doc, "covered", json_integer(e->n_covered)) < 0 ||
              put(doc, "uncovered_count", json_integer(e->n_uncovered)) < 0))
        return -1;
    if (r && e->n_viol > 0 &&
        put(doc, "violations", violations_json(inst, e)) < 0)
        return -1;
    return 0;
}

/* ---- Jansson's allocation failures (json_pos.h) ----------------------- */

static json_malloc_t prev_malloc;
static json_free_t prev_free;
static _Thread_local int json_failed;
static pthread_once_t guard_once = PTHREAD_ONCE_INIT;

static void *guarded_malloc(size_t n)
{
    void *p = prev_malloc(n);
    if (!p)
        json_failed = 1;
    return p;
}

static void guarded_free(void *p)
{
    prev_free(p);
}

static void guard_install(void)
{
    json_get_alloc_funcs(&prev_malloc, &prev_free);
    if (!prev_malloc || !prev_free) {
        prev_malloc = malloc;
        prev_free = free;
    }
    json_set_alloc_funcs(guarded_malloc, guarded_free);
}

void rota_json_guard(void)
{
    pthread_once(&guard_once, guard_install);
}

void rota_json_oom_reset(void)
{
    json_failed = 0;
}

int rota_json_oom(void)
{
    return json_failed;
}

char *rota_json_dump(const json_t *doc, size_t flags)
{
    rota_json_guard();
    rota_json_oom_reset();
    char *body = json_dumps(doc, flags);
    char *text = NULL;
    if (body && !rota_json_oom()) {
        size_t n = strlen(body);
        text = malloc(n + 2);
        if (text) {
            memcpy(text, body, n);
            memcpy(text + n, "\n", 2);
        }
    }
    if (body)
        guarded_free(body);
    return text;
}

char *rota_roster_to_json(const rota_instance *inst, const rota_roster *r,
                          const rota_eval *e, const rota_roster_meta *meta)
{
    char *text = NULL;
    rota_json_guard();
    json_t *doc = json_object();
    if (!doc)
        return NULL;
    if (put(doc, "format", json_string("rota-roster/1")) < 0 ||
        put(doc, "instance", json_string(inst->name ? inst->name : "")) < 0 ||
        put(doc, "status", json_string(rota_result_str(meta->status))) < 0 ||
        put_figures(doc, r, e, meta) < 0 ||
        put(doc, "solve_seconds", real_or_null(meta->solve_seconds)) < 0 ||
        put(doc, "terms", r ? terms_json(&e->terms) : json_null()) < 0 ||
        put_lists(doc, inst, r, e) < 0 ||
        put_extensions(doc, inst, r, e, meta) < 0)
        goto done;
    text = rota_json_dump(doc, DUMP_FLAGS);
done:
    json_decref(doc);
    return text;
}

/* ---- positions of values in a JSON text (json_pos.h) ---------------- */

typedef struct scan {
    const char *s;
    size_t i, n;
    int line, col;
    int depth;
    jpos *t;
} scan;

static void sc_adv(scan *c)
{
    unsigned char ch = (unsigned char)c->s[c->i++];
    if (ch == '\n') {
        c->line++;
        c->col = 1;
    } else if ((ch & 0xC0) != 0x80) {
        c->col++;
    }
}

static int is_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static void sc_ws(scan *c)
{
    while (c->i < c->n && is_ws(c->s[c->i]))
        sc_adv(c);
}

static int sc_peek(const scan *c)
{
    return c->i < c->n ? (unsigned char)c->s[c->i] : -1;
}

/* Skips a string at c->i (on its opening quote); *start and *len receive
 * its raw content. */
static void sc_string(scan *c, const char **start, int *len)
{
    sc_adv(c);
    size_t from = c->i;
    while (c->i < c->n && c->s[c->i] != '"') {
        if (c->s[c->i] == '\\' && c->i + 1 < c->n)
            sc_adv(c);
        sc_adv(c);
    }
    if (start) {
        *start = c->s + from;
        *len = (int)(c->i - from);
    }
    if (c->i < c->n)
        sc_adv(c);
}

/* Appends a node for the value at the current position under parent. */
static int sc_node(scan *c, int parent, const char *key, int key_len)
{
    jpos *t = c->t;
    if (t->n == t->cap) {
        int cap = t->cap ? 2 * t->cap : 256;
        jpos_node *v = realloc(t->v, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        t->v = v;
        t->cap = cap;
    }
    int id = t->n++;
    t->v[id] = (jpos_node){.line = c->line, .col = c->col, .first_kid = -1,
                           .next = -1, .last_kid = -1, .key = key,
                           .key_len = key_len};
    if (parent >= 0) {
        jpos_node *p = &t->v[parent];
        if (p->last_kid < 0)
            p->first_kid = id;
        else
            t->v[p->last_kid].next = id;
        p->last_kid = id;
    }
    return id;
}

static int sc_value(scan *c, int parent, const char *key, int key_len);

/* The members of an object or elements of an array after its opening
 * bracket, up to and including the closing one. */
static int sc_container(scan *c, int node, int is_obj)
{
    int close = is_obj ? '}' : ']';
    sc_adv(c);
    for (;;) {
        sc_ws(c);
        int ch = sc_peek(c);
        if (ch < 0 || ch == close)
            break;
        const char *k = NULL;
        int kl = 0;
        if (is_obj) {
            if (ch != '"')
                return 0;
            sc_string(c, &k, &kl);
            sc_ws(c);
            if (sc_peek(c) != ':')
                return 0;
            sc_adv(c);
        }
        if (sc_value(c, node, k, kl) < 0)
            return -1;
        sc_ws(c);
        if (sc_peek(c) == ',')
            sc_adv(c);
        else if (sc_peek(c) != close)
            return 0;
    }
    if (sc_peek(c) == close)
        sc_adv(c);
    return 0;
}

/* One value; -1 only when out of memory (malformed text just stops). */
static int sc_value(scan *c, int parent, const char *key, int key_len)
{
    sc_ws(c);
    int ch = sc_peek(c);
    if (ch < 0 || c->depth > 4096)
        return 0;
    int node = sc_node(c, parent, key, key_len);
    if (node < 0)
        return -1;
    if (ch == '{' || ch == '[') {
        c->depth++;
        int rc = sc_container(c, node, ch == '{');
        c->depth--;
        return rc;
    }
    if (ch == '"') {
        sc_string(c, NULL, NULL);
        return 0;
    }
    while (c->i < c->n && !is_ws(c->s[c->i]) && c->s[c->i] != ',' &&
           c->s[c->i] != ']' && c->s[c->i] != '}')
        sc_adv(c);
    return 0;
}

int jpos_build(jpos *t, const char *text, size_t len)
{
    memset(t, 0, sizeof *t);
    scan c = {.s = text, .n = len, .line = 1, .col = 1, .t = t};
    if (sc_value(&c, -1, NULL, 0) < 0) {
        jpos_free(t);
        return -1;
    }
    return 0;
}

void jpos_free(jpos *t)
{
    free(t->v);
    memset(t, 0, sizeof *t);
}

int jpos_key(const jpos *t, int node, const char *key)
{
    if (node < 0 || node >= t->n)
        return -1;
    size_t kl = strlen(key);
    for (int k = t->v[node].first_kid; k >= 0; k = t->v[k].next)
        if (t->v[k].key && (size_t)t->v[k].key_len == kl &&
            memcmp(t->v[k].key, key, kl) == 0)
            return k;
    return -1;
}

int jpos_index(const jpos *t, int node, size_t i)
{
    if (node < 0 || node >= t->n)
        return -1;
    int k = t->v[node].first_kid;
    while (k >= 0 && i-- > 0)
        k = t->v[k].next;
    return k;
}

int jpos_next(const jpos *t, int node)
{
    return node < 0 || node >= t->n ? -1 : t->v[node].next;
}

void jpos_where(const jpos *t, int node, int *line, int *col)
{
    if (node < 0 || node >= t->n) {
        *line = *col = 0;
        return;
    }
    *line = t->v[node].line;
    *col = t->v[node].col;
}
