/* instance_yaml.c - an instance written back as rota/1 YAML (see
 * rota/edit.h).
 *
 * What rota size and rota replan change is a model, not a text; to let
 * `rota check` judge a roster for a changed team, the model is written out
 * with every default made explicit (windows, availability, blocked time)
 * and reals with 17 significant digits, so that loading the text gives
 * the same capacities, travel estimates and objective weights.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rota/edit.h"
#include "rota/travel.h"

typedef struct out {
    char *s;
    size_t n, cap;
    int failed;
} out;

static void put(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (o->failed || len < 0)
        return;
    if (o->n + (size_t)len + 1 > o->cap) {
        size_t cap = o->cap * 2 + (size_t)len + 4096;
        char *s = realloc(o->s, cap);
        if (!s) {
            o->failed = 1;
            return;
        }
        o->s = s;
        o->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(o->s + o->n, o->cap - o->n, fmt, ap);
    va_end(ap);
    o->n += (size_t)len;
}

/* A double-quoted YAML scalar. */
static void quoted(out *o, const char *s)
{
    put(o, "\"");
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            put(o, "\\%c", c);
        else if (c < 0x20)
            put(o, "\\x%02x", c);
        else
            put(o, "%c", c);
    }
    put(o, "\"");
}

static void time_of(out *o, int m)
{
    char b[6];
    put(o, "\"%s\"", rota_fmt_time(m, b));
}

/* {mon: ["08:00-12:00", ...], ...} over the days with spans. */
static void daymap(out *o, const rota_spans *s)
{
    char a[6], b[6];
    int first = 1;
    put(o, "{");
    for (int d = 0; d < ROTA_DAYS; d++) {
        if (!s[d].n)
            continue;
        put(o, "%s%s: [", first ? "" : ", ", rota_day_names[d]);
        for (int i = 0; i < s[d].n; i++)
            put(o, "%s\"%s-%s\"", i ? ", " : "",
                rota_fmt_time(s[d].v[i].start, a), rota_fmt_time(s[d].v[i].end, b));
        put(o, "]");
        first = 0;
    }
    put(o, "}");
}

static void blocked_list(out *o, const rota_spans *s)
{
    int first = 1;
    put(o, "[");
    for (int d = 0; d < ROTA_DAYS; d++)
        for (int i = 0; i < s[d].n; i++) {
            put(o, "%s{day: %s, from: ", first ? "" : ", ", rota_day_names[d]);
            time_of(o, s[d].v[i].start);
            put(o, ", to: ");
            time_of(o, s[d].v[i].end);
            put(o, "}");
            first = 0;
        }
    put(o, "]");
}

static int has_spans(const rota_spans *s)
{
    for (int d = 0; d < ROTA_DAYS; d++)
        if (s[d].n)
            return 1;
    return 0;
}

static void slot_ref(out *o, const rota_instance *inst, const char *key,
                     rota_slot_ref r)
{
    if (r.staff < 0 && r.day < 0 && r.start < 0)
        return;
    const char *sep = "";
    put(o, ", %s: {", key);
    if (r.staff >= 0) {
        put(o, "staff: %s", inst->staff[r.staff].id);
        sep = ", ";
    }
    if (r.day >= 0) {
        put(o, "%sday: %s", sep, rota_day_names[r.day]);
        sep = ", ";
    }
    if (r.start >= 0) {
        put(o, "%sstart: ", sep);
        time_of(o, r.start);
    }
    put(o, "}");
}

static int place_loc(const rota_instance *inst, int p, double *lat, double *lon)
{
    if (p < inst->n_offices) {
        *lat = inst->offices[p].lat;
        *lon = inst->offices[p].lon;
        return inst->offices[p].has_loc;
    }
    const rota_site *s = &inst->sites[p - inst->n_offices];
    *lat = s->lat;
    *lon = s->lon;
    return s->has_loc;
}

/* Whether travel(a, b) is not what the coordinates give (or there are
 * none): such a pair came from a matrix. */
static int from_matrix(const rota_instance *inst, int a, int b)
{
    double la, oa, lb, ob;
    int t = inst->travel[a * inst->n_places + b];
    if (t < 0)
        return 0;
    if (!place_loc(inst, a, &la, &oa) || !place_loc(inst, b, &lb, &ob))
        return 1;
    return t != rota_travel_estimate(rota_haversine_km(la, oa, lb, ob),
                                     inst->detour_factor, inst->speed_kmh);
}

/* An inline matrix (the loader's [from, to, minutes] rows) with every pair
 * that differs from the estimate, both directions of it (a pair given one
 * way holds both ways). */
static void inline_matrix(out *o, const rota_instance *inst)
{
    int n = inst->n_places, rows = 0;
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++) {
            if (!from_matrix(inst, a, b) && !from_matrix(inst, b, a))
                continue;
            put(o, "%s\n    - [%s, %s, %d]\n    - [%s, %s, %d]",
                rows++ ? "" : "  matrix:", rota_place_id(inst, a),
                rota_place_id(inst, b), inst->travel[a * n + b],
                rota_place_id(inst, b), rota_place_id(inst, a),
                inst->travel[b * n + a]);
        }
    if (rows)
        put(o, "\n");
}

static void head(out *o, const rota_instance *inst)
{
    put(o, "format: rota/1\nname: ");
    quoted(o, inst->name);
    put(o, "\nweek:\n  days: [");
    for (int d = 0, n = 0; d < ROTA_DAYS; d++)
        if (inst->days_mask & (1u << d))
            put(o, "%s%s", n++ ? ", " : "", rota_day_names[d]);
    put(o, "]\n  start: ");
    time_of(o, inst->day_start);
    put(o, "\n  end: ");
    time_of(o, inst->day_end);
    put(o, "\n  slot_minutes: %d\n  cycle_weeks: %d\n", inst->slot_minutes,
        inst->cycle_weeks);
    put(o, "travel:\n  speed_kmh: %.17g\n  detour_factor: %.17g\n"
        "  buffer_minutes: %d\n", inst->speed_kmh, inst->detour_factor,
        inst->buffer_minutes);
    if (inst->matrix_path) {
        /* absolute, so that the text can be written anywhere */
        char *abs = realpath(inst->matrix_path, NULL);
        put(o, "  matrix: ");
        quoted(o, abs ? abs : inst->matrix_path);
        put(o, "\n");
        free(abs);
    } else {
        inline_matrix(o, inst);
    }
    put(o, "rules:\n  consult_share: %.17g\n  max_visits_per_day: %d\n"
        "  max_travel_per_day: %d\n  blocked: ", inst->consult_share,
        inst->max_visits_per_day, inst->max_travel_per_day);
    blocked_list(o, inst->blocked);
    put(o, "\n  coverage: %s\n", inst->coverage_soft ? "soft" : "hard");
    put(o, "objective:\n  travel: %.17g\n  continuity: %.17g\n"
        "  slot_change: %.17g\n  preference: %.17g\n  balance: %.17g\n"
        "  uncovered: %.17g\n", inst->w_travel, inst->w_continuity,
        inst->w_slot_change, inst->w_preference, inst->w_balance,
        inst->w_uncovered);
}

static void offices_staff(out *o, const rota_instance *inst)
{
    put(o, "offices:\n");
    for (int i = 0; i < inst->n_offices; i++) {
        const rota_office *f = &inst->offices[i];
        put(o, "  - {id: %s, name: ", f->id);
        quoted(o, f->name ? f->name : f->id);
        if (f->has_loc)
            put(o, ", location: {lat: %.17g, lon: %.17g}", f->lat, f->lon);
        put(o, "}\n");
    }
    put(o, "staff:\n");
    for (int k = 0; k < inst->n_staff; k++) {
        const rota_staff *s = &inst->staff[k];
        put(o, "  - {id: %s, name: ", s->id);
        quoted(o, s->name ? s->name : s->id);
        put(o, ", role: %s, hours: %.17g, office: %s, consult_share: %.17g, "
            "days: ", inst->roles[s->role], s->hours,
            inst->offices[s->office].id, s->consult_share);
        daymap(o, s->avail);
        if (has_spans(s->blocked)) {
            put(o, ", blocked: ");
            blocked_list(o, s->blocked);
        }
        if (s->max_sites >= 0)
            put(o, ", max_sites: %d", s->max_sites);
        if (s->n_districts >= 0) {
            put(o, ", districts: [");
            for (int i = 0; i < s->n_districts; i++)
                put(o, "%s%s", i ? ", " : "", inst->districts[s->districts[i]]);
            put(o, "]");
        }
        put(o, "}\n");
    }
}

static const char *const kinds[] = {"school", "daycare", "family_daycare", "other"};

static void visit(out *o, const rota_instance *inst, int v)
{
    const rota_visit *x = &inst->visits[v];
    put(o, "      - {role: %s, minutes: %d, every_weeks: %d, windows: ",
        inst->roles[x->role], x->minutes, x->every_weeks);
    daymap(o, x->windows);
    if (x->has_preferred) {
        put(o, ", preferred: ");
        daymap(o, x->preferred);
    }
    slot_ref(o, inst, "current", x->current);
    slot_ref(o, inst, "pin", x->pin);
    if (x->n_allowed >= 0) {
        put(o, ", staff_allowed: [");
        for (int i = 0; i < x->n_allowed; i++)
            put(o, "%s%s", i ? ", " : "", inst->staff[x->allowed[i]].id);
        put(o, "]");
    }
    if (x->with >= 0)
        put(o, ", with: %s", inst->roles[inst->visits[x->with].role]);
    put(o, "}\n");
}

static void sites(out *o, const rota_instance *inst)
{
    put(o, "sites:\n");
    for (int i = 0; i < inst->n_sites; i++) {
        const rota_site *s = &inst->sites[i];
        put(o, "  - id: %s\n    name: ", s->id);
        quoted(o, s->name ? s->name : s->id);
        put(o, "\n    kind: %s\n", kinds[s->kind]);
        if (s->has_loc)
            put(o, "    location: {lat: %.17g, lon: %.17g}\n", s->lat, s->lon);
        if (s->district >= 0)
            put(o, "    district: %s\n", inst->districts[s->district]);
        put(o, "    need: %.17g\n    visits:\n", s->need);
        for (int v = s->first_visit; v < s->first_visit + s->n_visits; v++)
            visit(o, inst, v);
    }
}

char *rota_instance_to_yaml(const rota_instance *inst)
{
    out o = {0};
    put(&o, "# written by rota from %s\n", inst->path ? inst->path : "a model");
    head(&o, inst);
    offices_staff(&o, inst);
    sites(&o, inst);
    if (o.failed) {
        free(o.s);
        return NULL;
    }
    return o.s;
}
