/* load_yaml.c - rota_instance_load: the instance file (spec section 1) to a
 * resolved rota_instance.
 *
 * The file is parsed into a small tree (yaml_tree.c), then read section by
 * section in a fixed order whatever the order in the file: week, travel,
 * rules and objective first (their values are the defaults of what
 * follows), then offices, staff (they name offices), sites and visits (they
 * name staff), and last the travel table (matrix_csv.c).  Every reader
 * reports what it finds wrong and goes on with a default, so one run lists
 * every problem of a file; the instance is only handed out when there was
 * none.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

static const char *const top_keys[] = {
    "format", "name", "week", "travel", "offices", "staff", "sites", "rules",
    "objective", NULL};
static const char *const week_keys[] = {
    "days", "start", "end", "slot_minutes", "cycle_weeks", NULL};
static const char *const travel_keys[] = {
    "speed_kmh", "detour_factor", "buffer_minutes", "matrix", NULL};
static const char *const rules_keys[] = {
    "consult_share", "max_visits_per_day", "max_travel_per_day", "blocked",
    "coverage", NULL};
static const char *const objective_keys[] = {
    "travel", "continuity", "slot_change", "preference", "balance", "uncovered",
    NULL};
static const char *const office_keys[] = {"id", "name", "location", NULL};
static const char *const staff_keys[] = {
    "id", "name", "role", "hours", "office", "consult_share", "days",
    "blocked", "max_sites", "districts", NULL};
static const char *const location_keys[] = {"lat", "lon", NULL};
static const char *const blocked_keys[] = {"day", "from", "to", NULL};

static void set_defaults(rota_instance *I)
{
    I->days_mask = 0x1F;  /* mon..fri */
    I->day_start = 8 * 60;
    I->day_end = 16 * 60;
    I->slot_minutes = 15;
    I->cycle_weeks = 1;
    I->speed_kmh = 35;
    I->detour_factor = 1.3;
    I->buffer_minutes = 5;
    I->consult_share = 0.6;
    I->max_visits_per_day = 4;
    I->max_travel_per_day = 120;
    I->w_travel = 1;
    I->w_continuity = 60;
    I->w_slot_change = 20;
    I->w_preference = 10;
    I->w_balance = 2;
    I->w_uncovered = 1000;
}

/* A number in (0, hi]: hours and consult_share. */
static int positive_upto(ld *L, const yt_node *n, const char *key, double hi,
                         double *out)
{
    double v;
    if (ld_num(L, n, key, &v) < 0)
        return -1;
    if (!(v > 0 && v <= hi)) {
        ld_err(L, n, "%s must be greater than 0 and at most %g (got %s)", key,
               hi, n->str);
        return -1;
    }
    *out = v;
    return 0;
}

static int in_range(ld *L, const yt_node *n, const char *key, double lo,
                    double hi, double *out)
{
    double v;
    if (ld_num(L, n, key, &v) < 0)
        return -1;
    if (!(v >= lo && v <= hi)) {
        ld_err(L, n, "%s must be from %g to %g (got %s)", key, lo, hi, n->str);
        return -1;
    }
    *out = v;
    return 0;
}

static int nonneg(ld *L, const yt_node *n, const char *key, double *out)
{
    double v;
    if (ld_num(L, n, key, &v) < 0)
        return -1;
    if (v < 0) {
        ld_err(L, n, "%s must be at least 0 (got %s)", key, n->str);
        return -1;
    }
    *out = v;
    return 0;
}

/* ---- format and name ---- */

static void load_head(ld *L, const yt_node *root)
{
    const char *s;
    const yt_node *f = ld_need(L, root, "format", "at the top level (format: rota/1)");
    if (f && ld_str(L, f, "format", &s) == 0 && strcmp(s, "rota/1") != 0)
        ld_err(L, f, "format must be 'rota/1' (got '%s')", s);
    const yt_node *n = ld_need(L, root, "name", "at the top level");
    if (n && ld_str(L, n, "name", &s) == 0)
        L->inst->name = ld_strdup(L, s);
}

/* ---- week ---- */

static void week_days(ld *L, const yt_node *n)
{
    if (ld_is_seq(L, n, "days") < 0)
        return;
    if (n->n == 0) {
        ld_err(L, n, "days must name at least one day");
        return;
    }
    unsigned mask = 0;
    for (int i = 0; i < n->n; i++) {
        int d = ld_day(L, n->kids[i]);
        if (d >= 0 && (mask & (1u << d)))
            ld_err(L, n->kids[i], "day '%s' is listed twice", rota_day_names[d]);
        if (d >= 0)
            mask |= 1u << d;
    }
    L->inst->days_mask = mask;
}

/* cycle_weeks and every_weeks take exactly 1, 2 or 4. */
int ld_weeks(ld *L, const yt_node *n, const char *key, int *out)
{
    const char *s;
    if (ld_str(L, n, key, &s) < 0)
        return -1;
    if (n->quoted || (strcmp(s, "1") && strcmp(s, "2") && strcmp(s, "4"))) {
        ld_err(L, n, "%s must be 1, 2 or 4 (got '%s')", key, s);
        return -1;
    }
    *out = s[0] - '0';
    return 0;
}

static void load_week(ld *L, const yt_node *w)
{
    rota_instance *I = L->inst;
    const yt_node *n;
    if (ld_is_map(L, w, "week") < 0)
        return;
    ld_keys(L, w, "in week", week_keys);
    if ((n = yt_get(w, "days")))
        week_days(L, n);
    int t0 = I->day_start, t1 = I->day_end, t;
    if ((n = yt_get(w, "start")) && (t = ld_time(L, n, "start")) >= 0)
        t0 = t;
    const yt_node *end = yt_get(w, "end");
    if (end && (t = ld_time(L, end, "end")) >= 0)
        t1 = t;
    if (t1 <= t0)
        ld_err(L, end ? end : yt_get(w, "start"),
               "week end must be after week start");
    I->day_start = t0;
    I->day_end = t1;
    int v;
    if ((n = yt_get(w, "slot_minutes")) && ld_int(L, n, "slot_minutes", 1, 1440, &v) == 0) {
        if (1440 % v)
            ld_err(L, n, "slot_minutes must divide 1440, the minutes of a day (got %d)", v);
        else
            I->slot_minutes = v;
    }
    if ((n = yt_get(w, "cycle_weeks")))
        ld_weeks(L, n, "cycle_weeks", &I->cycle_weeks);
}

/* ---- travel ---- */

/* travel.matrix is relative to the instance file's directory. */
static char *matrix_path(ld *L, const char *file)
{
    const char *slash = L->path ? strrchr(L->path, '/') : NULL;
    if (file[0] == '/' || !slash)
        return ld_strdup(L, file);
    size_t dl = (size_t)(slash - L->path) + 1, fl = strlen(file);
    char *p = malloc(dl + fl + 1);
    if (!p) {
        L->oom = 1;
        return NULL;
    }
    memcpy(p, L->path, dl);
    memcpy(p + dl, file, fl + 1);
    return p;
}

/* travel.matrix: a CSV file name, or (rota's extension) the rows inline as
 * a list of [from, to, minutes].  Text from outside (rota serve) may not
 * name a file: the server would read its own disk on a client's behalf. */
static void load_matrix_ref(ld *L, const yt_node *n)
{
    const char *s;
    if (n->kind == YT_SEQ) {
        L->matrix_node = n;
        L->matrix_inline = 1;
        return;
    }
    if (n->kind == YT_SCALAR && L->no_files) {
        ld_err(L, n, "matrix must be given inline here, as a list of "
               "[from, to, minutes] (a file name is not read)");
        return;
    }
    if (ld_str(L, n, "matrix", &s) == 0) {
        L->inst->matrix_path = matrix_path(L, s);
        L->matrix_node = n;
    }
}

static void load_travel(ld *L, const yt_node *t)
{
    rota_instance *I = L->inst;
    const yt_node *n;
    if (ld_is_map(L, t, "travel") < 0)
        return;
    ld_keys(L, t, "in travel", travel_keys);
    if ((n = yt_get(t, "speed_kmh")))
        in_range(L, n, "speed_kmh", 1, 1000, &I->speed_kmh);
    if ((n = yt_get(t, "detour_factor")))
        in_range(L, n, "detour_factor", 1, 10, &I->detour_factor);
    if ((n = yt_get(t, "buffer_minutes")))
        ld_int(L, n, "buffer_minutes", 0, 1440, &I->buffer_minutes);
    if ((n = yt_get(t, "matrix")))
        load_matrix_ref(L, n);
}

/* ---- rules and objective ---- */

/* [{day, from, to}] into per-day span lists (rules.blocked, staff blocked). */
static void load_blocked(ld *L, const yt_node *n, rota_spans out[ROTA_DAYS])
{
    if (ld_is_seq(L, n, "blocked") < 0)
        return;
    for (int i = 0; i < n->n; i++) {
        const yt_node *b = n->kids[i], *dn, *fn, *tn;
        if (ld_is_map(L, b, "a blocked interval") < 0)
            continue;
        ld_keys(L, b, "in blocked interval", blocked_keys);
        dn = ld_need(L, b, "day", "in blocked interval");
        fn = ld_need(L, b, "from", "in blocked interval");
        tn = ld_need(L, b, "to", "in blocked interval");
        int d = dn ? ld_day(L, dn) : -1;
        int t0 = fn ? ld_time(L, fn, "from") : -1;
        int t1 = tn ? ld_time(L, tn, "to") : -1;
        if (t0 >= 0 && t1 >= 0 && t1 <= t0)
            ld_err(L, tn, "blocked interval must end after it starts");
        else if (d >= 0 && t0 >= 0 && t1 >= 0 && spans_add(&out[d], t0, t1) < 0)
            L->oom = 1;
    }
}

static void load_rules(ld *L, const yt_node *r)
{
    rota_instance *I = L->inst;
    const yt_node *n;
    const char *s;
    if (ld_is_map(L, r, "rules") < 0)
        return;
    ld_keys(L, r, "in rules", rules_keys);
    if ((n = yt_get(r, "consult_share")))
        positive_upto(L, n, "consult_share", 1, &I->consult_share);
    if ((n = yt_get(r, "max_visits_per_day")))
        ld_int(L, n, "max_visits_per_day", 0, INT_MAX, &I->max_visits_per_day);
    if ((n = yt_get(r, "max_travel_per_day")))
        ld_int(L, n, "max_travel_per_day", 0, INT_MAX, &I->max_travel_per_day);
    if ((n = yt_get(r, "blocked"))) {
        load_blocked(L, n, I->blocked);
        for (int d = 0; d < ROTA_DAYS; d++)
            spans_merge(&I->blocked[d]);
    }
    if ((n = yt_get(r, "coverage")) && ld_str(L, n, "coverage", &s) == 0) {
        if (strcmp(s, "hard") == 0 || strcmp(s, "soft") == 0)
            I->coverage_soft = s[0] == 's';
        else
            ld_err(L, n, "coverage must be 'hard' or 'soft' (got '%s')", s);
    }
}

static void load_objective(ld *L, const yt_node *o)
{
    rota_instance *I = L->inst;
    double *w[] = {&I->w_travel, &I->w_continuity, &I->w_slot_change,
                   &I->w_preference, &I->w_balance, &I->w_uncovered};
    if (ld_is_map(L, o, "objective") < 0)
        return;
    ld_keys(L, o, "in objective", objective_keys);
    for (int i = 0; objective_keys[i]; i++) {
        const yt_node *n = yt_get(o, objective_keys[i]);
        if (n)
            nonneg(L, n, objective_keys[i], w[i]);
    }
}

/* ---- ids and references ---- */

/* Ids are unique across offices, staff and sites: one namespace of places
 * and people, so that a roster's "staff" or "site" field is never
 * ambiguous.  Returns 0 when `id` is new (and records it). */
int ld_claim_id(ld *L, const yt_node *n, const char *id, strmap *kind, int idx)
{
    rota_instance *I = L->inst;
    int i, line = 0;
    if ((i = strmap_get(&L->office_ids, id)) >= 0)
        line = I->offices[i].pos.line;
    else if ((i = strmap_get(&L->staff_ids, id)) >= 0)
        line = I->staff[i].pos.line;
    else if ((i = strmap_get(&L->site_ids, id)) >= 0)
        line = I->sites[i].pos.line;
    if (i >= 0) {
        ld_err(L, n, "duplicate id '%s' (first used at line %d)", id, line);
        return -1;
    }
    if (strmap_put(kind, id, idx) < 0) {
        L->oom = 1;
        return -1;
    }
    return 0;
}

/* A reference to an office (kind 0) or a staff member (kind 1) by id;
 * the index, or -1 after a message with the closest id. */
int ld_ref(ld *L, const yt_node *n, const char *key, int kind)
{
    rota_instance *I = L->inst;
    const char *id;
    if (ld_str(L, n, key, &id) < 0)
        return -1;
    int i = strmap_get(kind ? &L->staff_ids : &L->office_ids, id);
    if (i >= 0)
        return i;
    int m = kind ? I->n_staff : I->n_offices;
    if (ld_quiet(L))
        m = 0;   /* not shown anyway: no n^2 search on a hostile file */
    const char **c = malloc((size_t)(m ? m : 1) * sizeof *c);
    int k = 0;
    for (int j = 0; c && j < m; j++) {
        const char *s = kind ? I->staff[j].id : I->offices[j].id;
        if (s)
            c[k++] = s;
    }
    const char *near = c ? ld_closest(id, c, k) : NULL;
    const char *what = kind ? "staff member" : "office";
    if (near)
        ld_err(L, n, "unknown %s '%s'; did you mean '%s'?", what, id, near);
    else
        ld_err(L, n, "unknown %s '%s'", what, id);
    free(c);
    return -1;
}

/* {lat, lon}; 0 with has_loc set, or -1 after a message. */
int ld_location(ld *L, const yt_node *n, int *has_loc, double *lat, double *lon)
{
    if (ld_is_map(L, n, "location") < 0)
        return -1;
    ld_keys(L, n, "in location", location_keys);
    const yt_node *a = ld_need(L, n, "lat", "in location");
    const yt_node *b = ld_need(L, n, "lon", "in location");
    int bad = !a || !b;
    bad |= a && in_range(L, a, "lat", -90, 90, lat) < 0;
    bad |= b && in_range(L, b, "lon", -180, 180, lon) < 0;
    *has_loc = !bad;
    return bad ? -1 : 0;
}

/* ---- offices ---- */

static void load_office(ld *L, const yt_node *m, int idx)
{
    rota_office *o = &L->inst->offices[idx];
    const yt_node *n;
    const char *s;
    o->pos = (rota_pos){m->line, m->col};
    if (ld_is_map(L, m, "an office") < 0) {
        L->place_bad[idx] = 1;
        return;
    }
    ld_keys(L, m, "in office", office_keys);
    if ((n = ld_need(L, m, "id", "in office")) && ld_id(L, n, "id", &s) == 0 &&
        ld_claim_id(L, n, s, &L->office_ids, idx) == 0)
        o->id = ld_strdup(L, s);
    if (!o->id)
        L->place_bad[idx] = 1;
    if ((n = yt_get(m, "name")) && ld_str(L, n, "name", &s) == 0)
        o->name = ld_strdup(L, s);
    else if (o->id)
        o->name = ld_strdup(L, o->id);
    if ((n = yt_get(m, "location")) &&
        ld_location(L, n, &o->has_loc, &o->lat, &o->lon) < 0)
        L->place_bad[idx] = 1;
}

/* A required, non-empty list: offices, staff, sites. */
const yt_node *ld_list(ld *L, const yt_node *root, const char *key,
                                const char *one)
{
    const yt_node *n = ld_need(L, root, key, "at the top level");
    if (!n || ld_is_seq(L, n, key) < 0)
        return NULL;
    if (n->n == 0) {
        ld_err(L, n, "%s is empty: at least one %s is needed", key, one);
        return NULL;
    }
    return n;
}

static void load_offices(ld *L, const yt_node *root)
{
    const yt_node *list = ld_list(L, root, "offices", "office");
    if (!list)
        return;
    rota_instance *I = L->inst;
    I->offices = ld_calloc(L, (size_t)list->n, sizeof *I->offices);
    if (!I->offices)
        return;
    for (int i = 0; i < list->n && !L->oom; i++) {
        I->n_offices = i + 1;
        load_office(L, list->kids[i], i);
    }
}

/* ---- staff ---- */

static void staff_districts(ld *L, rota_staff *k, const yt_node *n)
{
    if (ld_is_seq(L, n, "districts") < 0)
        return;
    if (n->n == 0) {
        ld_err(L, n, "districts is empty: leave it out to serve every district");
        return;
    }
    k->districts = ld_calloc(L, (size_t)n->n, sizeof *k->districts);
    if (!k->districts)
        return;
    const yt_node **at = ld_calloc(L, (size_t)n->n, sizeof *at);
    if (!at)
        return;
    int m = 0;
    for (int i = 0; i < n->n; i++) {
        const char *w;
        int d = ld_word(L, n->kids[i], "district", &w) == 0 ? ld_district(L, w) : -1;
        if (d >= 0)
            at[m] = n->kids[i], k->districts[m++] = d;
    }
    k->n_districts = ld_unique(L, k->districts, at, m, "district");
    free(at);
}

/* Availability: `days` replaces the week's days and window. Blocked:
 * rules.blocked plus the staff member's own, merged.  Tour segments are
 * what remains of the availability outside blocked time. */
static void staff_time(ld *L, rota_staff *k, const yt_node *m)
{
    rota_instance *I = L->inst;
    const yt_node *n;
    if ((n = yt_get(m, "days")))
        ld_daymap(L, n, "days", k->avail);
    else
        for (int d = 0; d < ROTA_DAYS; d++)
            if ((I->days_mask & (1u << d)) &&
                spans_add(&k->avail[d], I->day_start, I->day_end) < 0)
                L->oom = 1;
    if ((n = yt_get(m, "blocked")))
        load_blocked(L, n, k->blocked);
    for (int d = 0; d < ROTA_DAYS; d++) {
        if (spans_copy(&k->blocked[d], &I->blocked[d]) < 0) {
            L->oom = 1;
            return;
        }
        spans_merge(&k->blocked[d]);
        if (spans_subtract(&k->seg[d], &k->avail[d], &k->blocked[d]) < 0)
            L->oom = 1;
    }
}

static void load_one_staff(ld *L, const yt_node *m, int idx)
{
    rota_instance *I = L->inst;
    rota_staff *k = &I->staff[idx];
    const yt_node *n;
    const char *s;
    k->pos = (rota_pos){m->line, m->col};
    k->role = k->office = -1;
    k->max_sites = k->n_districts = -1;
    k->consult_share = I->consult_share;
    if (ld_is_map(L, m, "a staff member") < 0)
        return;
    ld_keys(L, m, "in staff member", staff_keys);
    if ((n = ld_need(L, m, "id", "in staff member")) && ld_id(L, n, "id", &s) == 0 &&
        ld_claim_id(L, n, s, &L->staff_ids, idx) == 0)
        k->id = ld_strdup(L, s);
    if ((n = yt_get(m, "name")) && ld_str(L, n, "name", &s) == 0)
        k->name = ld_strdup(L, s);
    else if (k->id)
        k->name = ld_strdup(L, k->id);
    if ((n = ld_need(L, m, "role", "in staff member")) && ld_word(L, n, "role", &s) == 0)
        k->role = ld_role(L, s);
    if ((n = ld_need(L, m, "hours", "in staff member")))
        positive_upto(L, n, "hours", 60, &k->hours);
    if ((n = ld_need(L, m, "office", "in staff member")))
        k->office = ld_ref(L, n, "office", 0);
    if ((n = yt_get(m, "consult_share")))
        positive_upto(L, n, "consult_share", 1, &k->consult_share);
    k->capacity = k->hours * 60.0 * k->consult_share;
    staff_time(L, k, m);
    if ((n = yt_get(m, "max_sites")))
        ld_int(L, n, "max_sites", 0, INT_MAX, &k->max_sites);
    if ((n = yt_get(m, "districts")))
        staff_districts(L, k, n);
}

static void load_staff(ld *L, const yt_node *root)
{
    const yt_node *list = ld_list(L, root, "staff", "staff member");
    if (!list)
        return;
    rota_instance *I = L->inst;
    I->staff = ld_calloc(L, (size_t)list->n, sizeof *I->staff);
    if (!I->staff)
        return;
    for (int i = 0; i < list->n && !L->oom; i++) {
        I->n_staff = i + 1;
        load_one_staff(L, list->kids[i], i);
    }
}

/* ---- the whole document ---- */

/* Sizes the per-place flags before offices and sites are read. */
static void alloc_places(ld *L, const yt_node *root)
{
    const yt_node *o = yt_get(root, "offices"), *s = yt_get(root, "sites");
    size_t n = (o && o->kind == YT_SEQ ? (size_t)o->n : 0) +
               (s && s->kind == YT_SEQ ? (size_t)s->n : 0);
    L->place_bad = ld_calloc(L, n, 1);
}

static int list_len(const yt_node *root, const char *key)
{
    const yt_node *n = yt_get(root, key);
    return n && n->kind == YT_SEQ ? n->n : 0;
}

/* The size limits of rota/instance.h, checked on the tree before anything
 * is built in proportion to them.  -1 (after a message at the list) when
 * one is exceeded. */
static int check_sizes(ld *L, const yt_node *root)
{
    int no = list_len(root, "offices"), nk = list_len(root, "staff");
    int ns = list_len(root, "sites"), nv = 0, bad = 0;
    const yt_node *sites = yt_get(root, "sites");
    for (int i = 0; i < ns; i++)
        nv += list_len(sites->kids[i], "visits");
    if (nk > ROTA_MAX_STAFF) {
        ld_err(L, yt_get(root, "staff"), "too many staff: %d (at most %d)", nk,
               ROTA_MAX_STAFF);
        bad = 1;
    }
    if ((long)no + ns > ROTA_MAX_PLACES) {
        ld_err(L, yt_get(root, ns > no ? "sites" : "offices"), "too many places: "
               "%d offices and %d sites (at most %d in all)", no, ns, ROTA_MAX_PLACES);
        bad = 1;
    }
    if (nv > ROTA_MAX_VISITS) {
        ld_err(L, sites, "too many visits: %d (at most %d)", nv, ROTA_MAX_VISITS);
        bad = 1;
    }
    if (!bad && (long)nk * nv > ROTA_MAX_PAIRS) {
        ld_err(L, yt_get(root, "staff"), "the model is too large: %d staff x %d "
               "visits = %ld pairs (at most %ld)", nk, nv, (long)nk * nv,
               ROTA_MAX_PAIRS);
        bad = 1;
    }
    return bad ? -1 : 0;
}

static void load_root(ld *L, const yt_node *root)
{
    const yt_node *n;
    if (root->kind == YT_SCALAR && root->null) {
        ld_err(L, root, "the file is empty: an instance starts with 'format: rota/1'");
        return;
    }
    if (root->kind != YT_MAP) {
        if (root->kind != YT_BAD)
            ld_err(L, root, "an instance must be a mapping of keys "
                   "(format, name, offices, staff, sites, ...)");
        return;
    }
    ld_keys(L, root, "at the top level", top_keys);
    if (check_sizes(L, root) < 0)
        return;
    load_head(L, root);
    if ((n = yt_get(root, "week")))
        load_week(L, n);
    if ((n = yt_get(root, "travel")))
        load_travel(L, n);
    if ((n = yt_get(root, "rules")))
        load_rules(L, n);
    if ((n = yt_get(root, "objective")))
        load_objective(L, n);
    alloc_places(L, root);
    if (L->oom)
        return;
    load_offices(L, root);
    load_staff(L, root);
    ld_sites(L, root);
    if (L->oom)
        return;
    ld_check_staff_districts(L, root);
    ld_travel_table(L);
}

static void ld_free(ld *L)
{
    strmap_free(&L->office_ids);
    strmap_free(&L->staff_ids);
    strmap_free(&L->site_ids);
    strmap_free(&L->roles);
    strmap_free(&L->districts);
    free(L->place_bad);
}

/* Runs the reader over a parsed tree; the instance or NULL. */
static rota_status load_tree(const yt_node *root, const char *path, int had_errors,
                             int no_files, rota_instance **out, rota_diags *diags)
{
    ld L = {.path = path, .diags = diags, .nerr = had_errors, .no_files = no_files};
    rota_instance *I = calloc(1, sizeof *I);
    if (!I)
        return ROTA_ENOMEM;
    L.inst = I;
    set_defaults(I);
    if (path && !(I->path = strdup(path)))
        L.oom = 1;
    if (!L.oom)
        load_root(&L, root);
    ld_free(&L);
    if (L.oom || L.nerr) {
        rota_instance_free(I);
        return L.oom ? ROTA_ENOMEM : ROTA_EINPUT;
    }
    *out = I;
    return ROTA_OK;
}

static rota_status load_text(const char *data, size_t len, const char *path,
                             int no_files, rota_instance **out, rota_diags *diags)
{
    yt_node *root = NULL;
    *out = NULL;
    rota_status st = yt_parse(data, len, path, diags, &root);
    if (st == ROTA_OK && !root) {
        rota_diags_add(diags, path, 1, 1, "the file is empty: an instance "
                       "starts with 'format: rota/1'");
        st = ROTA_EINPUT;
    }
    if (root && st != ROTA_ENOMEM)
        st = load_tree(root, path, st != ROTA_OK, no_files, out, diags);
    yt_free(root);
    rota_diags_sort(diags);
    return st;
}

_Static_assert(YT_MAX_FILE == ROTA_MAX_FILE_BYTES, "one file limit");

rota_status rota_instance_load_buffer(const char *data, size_t len,
                                      const char *path, rota_instance **out,
                                      rota_diags *diags)
{
    return load_text(data, len, path, 0, out, diags);
}

rota_status rota_instance_load_untrusted(const char *data, size_t len,
                                         const char *name, rota_instance **out,
                                         rota_diags *diags)
{
    return load_text(data, len, name, 1, out, diags);
}

/* Reads a whole file, refusing more than YT_MAX_FILE bytes. */
static rota_status read_file(const char *path, char **data, size_t *len,
                             rota_diags *diags)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 0, n = 0;
    char *buf = NULL;
    if (!f && errno == ENOMEM)
        return ROTA_ENOMEM;
    if (!f)
        goto io_fail;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            char *b = realloc(buf, cap + 1);
            if (!b) {
                free(buf);
                fclose(f);
                return ROTA_ENOMEM;
            }
            buf = b;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n > YT_MAX_FILE) {
            rota_diags_add(diags, path, 0, 0, "file larger than 64 MiB");
            free(buf);
            fclose(f);
            return ROTA_EINPUT;
        }
        if (r == 0)
            break;
    }
    if (ferror(f))
        goto io_fail;
    fclose(f);
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return ROTA_OK;
io_fail:
    rota_diags_add(diags, path, 0, 0, "cannot read: %s", strerror(errno));
    free(buf);
    if (f)
        fclose(f);
    return ROTA_EIO;
}

rota_status rota_instance_load(const char *path, rota_instance **out,
                               rota_diags *diags)
{
    char *data = NULL;
    size_t len = 0;
    *out = NULL;
    rota_status st = read_file(path, &data, &len, diags);
    if (st != ROTA_OK)
        return st;
    st = rota_instance_load_buffer(data, len, path, out, diags);
    free(data);
    return st;
}
