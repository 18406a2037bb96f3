/* instance_yaml.c - an instance written back as rota/1 YAML (see
 * rota/edit.h).
 *
 * What rota size and rota replan change is a model, not a text; to let
 * `rota check` judge a roster for a changed team, the model is written out
 * with every default made explicit (windows, availability, blocked time)
 * and reals with 17 significant digits, so that loading the text gives
 * the same capacities, travel estimates and objective weights.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rota/edit.h"
#include "rota/travel.h"
#include "strbuf.h"

/* A double-quoted YAML scalar. */
static void quoted(strbuf *o, const char *s)
{
    sb_printf(o, "\"");
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            sb_printf(o, "\\%c", c);
        else if (c < 0x20)
            sb_printf(o, "\\x%02x", c);
        else
            sb_printf(o, "%c", c);
    }
    sb_printf(o, "\"");
}

static void time_of(strbuf *o, int m)
{
    char b[6];
    sb_printf(o, "\"%s\"", rota_fmt_time(m, b));
}

/* {mon: ["08:00-12:00", ...], ...} over the days with spans. */
static void daymap(strbuf *o, const rota_spans *s)
{
    char a[6], b[6];
    int first = 1;
    sb_printf(o, "{");
    for (int d = 0; d < ROTA_DAYS; d++) {
        if (!s[d].n)
            continue;
        sb_printf(o, "%s%s: [", first ? "" : ", ", rota_day_names[d]);
        for (int i = 0; i < s[d].n; i++)
            sb_printf(o, "%s\"%s-%s\"", i ? ", " : "",
                rota_fmt_time(s[d].v[i].start, a), rota_fmt_time(s[d].v[i].end, b));
        sb_printf(o, "]");
        first = 0;
    }
    sb_printf(o, "}");
}

static void blocked_list(strbuf *o, const rota_spans *s)
{
    int first = 1;
    sb_printf(o, "[");
    for (int d = 0; d < ROTA_DAYS; d++)
        for (int i = 0; i < s[d].n; i++) {
            sb_printf(o, "%s{day: %s, from: ", first ? "" : ", ", rota_day_names[d]);
            time_of(o, s[d].v[i].start);
            sb_printf(o, ", to: ");
            time_of(o, s[d].v[i].end);
            sb_printf(o, "}");
            first = 0;
        }
    sb_printf(o, "]");
}

static int has_spans(const rota_spans *s)
{
    for (int d = 0; d < ROTA_DAYS; d++)
        if (s[d].n)
            return 1;
    return 0;
}

static void slot_ref(strbuf *o, const rota_instance *inst, const char *key,
                     rota_slot_ref r)
{
    if (r.staff < 0 && r.day < 0 && r.start < 0)
        return;
    const char *sep = "";
    sb_printf(o, ", %s: {", key);
    if (r.staff >= 0) {
        sb_printf(o, "staff: %s", inst->staff[r.staff].id);
        sep = ", ";
    }
    if (r.day >= 0) {
        sb_printf(o, "%sday: %s", sep, rota_day_names[r.day]);
        sep = ", ";
    }
    if (r.start >= 0) {
        sb_printf(o, "%sstart: ", sep);
        time_of(o, r.start);
    }
    sb_printf(o, "}");
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
static void inline_matrix(strbuf *o, const rota_instance *inst)
{
    int n = inst->n_places, rows = 0;
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++) {
            if (!from_matrix(inst, a, b) && !from_matrix(inst, b, a))
                continue;
            sb_printf(o, "%s\n    - [%s, %s, %d]\n    - [%s, %s, %d]",
                rows++ ? "" : "  matrix:", rota_place_id(inst, a),
                rota_place_id(inst, b), inst->travel[a * n + b],
                rota_place_id(inst, b), rota_place_id(inst, a),
                inst->travel[b * n + a]);
        }
    if (rows)
        sb_printf(o, "\n");
}

static void head(strbuf *o, const rota_instance *inst)
{
    sb_printf(o, "format: rota/1\nname: ");
    quoted(o, inst->name);
    sb_printf(o, "\nweek:\n  days: [");
    for (int d = 0, n = 0; d < ROTA_DAYS; d++)
        if (inst->days_mask & (1u << d))
            sb_printf(o, "%s%s", n++ ? ", " : "", rota_day_names[d]);
    sb_printf(o, "]\n  start: ");
    time_of(o, inst->day_start);
    sb_printf(o, "\n  end: ");
    time_of(o, inst->day_end);
    sb_printf(o, "\n  slot_minutes: %d\n  cycle_weeks: %d\n", inst->slot_minutes,
        inst->cycle_weeks);
    sb_printf(o, "travel:\n  speed_kmh: %.17g\n  detour_factor: %.17g\n"
        "  buffer_minutes: %d\n", inst->speed_kmh, inst->detour_factor,
        inst->buffer_minutes);
    if (inst->matrix_path) {
        /* absolute, so that the text can be written anywhere */
        char *abs = realpath(inst->matrix_path, NULL);
        sb_printf(o, "  matrix: ");
        quoted(o, abs ? abs : inst->matrix_path);
        sb_printf(o, "\n");
        free(abs);
    } else {
        inline_matrix(o, inst);
    }
    sb_printf(o, "rules:\n  consult_share: %.17g\n  max_visits_per_day: %d\n"
        "  max_travel_per_day: %d\n  blocked: ", inst->consult_share,
        inst->max_visits_per_day, inst->max_travel_per_day);
    blocked_list(o, inst->blocked);
    sb_printf(o, "\n  coverage: %s\n", inst->coverage_soft ? "soft" : "hard");
    sb_printf(o, "objective:\n  travel: %.17g\n  continuity: %.17g\n"
        "  slot_change: %.17g\n  preference: %.17g\n  balance: %.17g\n"
        "  uncovered: %.17g\n", inst->w_travel, inst->w_continuity,
        inst->w_slot_change, inst->w_preference, inst->w_balance,
        inst->w_uncovered);
}

static void offices_staff(strbuf *o, const rota_instance *inst)
{
    sb_printf(o, "offices:\n");
    for (int i = 0; i < inst->n_offices; i++) {
        const rota_office *f = &inst->offices[i];
        sb_printf(o, "  - {id: %s, name: ", f->id);
        quoted(o, f->name ? f->name : f->id);
        if (f->has_loc)
            sb_printf(o, ", location: {lat: %.17g, lon: %.17g}", f->lat, f->lon);
        sb_printf(o, "}\n");
    }
    sb_printf(o, "staff:\n");
    for (int k = 0; k < inst->n_staff; k++) {
        const rota_staff *s = &inst->staff[k];
        sb_printf(o, "  - {id: %s, name: ", s->id);
        quoted(o, s->name ? s->name : s->id);
        sb_printf(o, ", role: %s, hours: %.17g, office: %s, consult_share: %.17g, "
            "days: ", inst->roles[s->role], s->hours,
            inst->offices[s->office].id, s->consult_share);
        daymap(o, s->avail);
        if (has_spans(s->blocked)) {
            sb_printf(o, ", blocked: ");
            blocked_list(o, s->blocked);
        }
        if (s->max_sites >= 0)
            sb_printf(o, ", max_sites: %d", s->max_sites);
        if (s->n_districts >= 0) {
            sb_printf(o, ", districts: [");
            for (int i = 0; i < s->n_districts; i++)
                sb_printf(o, "%s%s", i ? ", " : "", inst->districts[s->districts[i]]);
            sb_printf(o, "]");
        }
        sb_printf(o, "}\n");
    }
}

static const char *const kinds[] = {"school", "daycare", "family_daycare", "other"};

static void visit(strbuf *o, const rota_instance *inst, int v)
{
    const rota_visit *x = &inst->visits[v];
    sb_printf(o, "      - {role: %s, minutes: %d, every_weeks: %d, windows: ",
        inst->roles[x->role], x->minutes, x->every_weeks);
    daymap(o, x->windows);
    if (x->has_preferred) {
        sb_printf(o, ", preferred: ");
        daymap(o, x->preferred);
    }
    slot_ref(o, inst, "current", x->current);
    slot_ref(o, inst, "pin", x->pin);
    if (x->n_allowed >= 0) {
        sb_printf(o, ", staff_allowed: [");
        for (int i = 0; i < x->n_allowed; i++)
            sb_printf(o, "%s%s", i ? ", " : "", inst->staff[x->allowed[i]].id);
        sb_printf(o, "]");
    }
    if (x->with >= 0)
        sb_printf(o, ", with: %s", inst->roles[inst->visits[x->with].role]);
    sb_printf(o, "}\n");
}

static void sites(strbuf *o, const rota_instance *inst)
{
    sb_printf(o, "sites:\n");
    for (int i = 0; i < inst->n_sites; i++) {
        const rota_site *s = &inst->sites[i];
        sb_printf(o, "  - id: %s\n    name: ", s->id);
        quoted(o, s->name ? s->name : s->id);
        sb_printf(o, "\n    kind: %s\n", kinds[s->kind]);
        if (s->has_loc)
            sb_printf(o, "    location: {lat: %.17g, lon: %.17g}\n", s->lat, s->lon);
        if (s->district >= 0)
            sb_printf(o, "    district: %s\n", inst->districts[s->district]);
        sb_printf(o, "    need: %.17g\n    visits:\n", s->need);
        for (int v = s->first_visit; v < s->first_visit + s->n_visits; v++)
            visit(o, inst, v);
    }
}

char *rota_instance_to_yaml(const rota_instance *inst)
{
    strbuf o = {0};
    sb_printf(&o, "# written by rota from %s\n", inst->path ? inst->path : "a model");
    head(&o, inst);
    offices_staff(&o, inst);
    sites(&o, inst);
    if (o.oom) {
        free(o.s);
        return NULL;
    }
    return o.s;
}
