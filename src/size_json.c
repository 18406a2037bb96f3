/* size_json.c - the `rota size --json` document (docs/size.md). */
#include <math.h>
#include <stdlib.h>

#include <jansson.h>

#include "rota/size.h"

static int put(json_t *o, const char *k, json_t *v)
{
    return json_object_set_new(o, k, v);
}

static json_t *real(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *row_json(const rota_size_row *r)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    int solved = r->solved && r->has_roster;
    if (put(o, "k", json_integer(r->k)) < 0 ||
        put(o, "staff", r->solved ? json_integer(r->n_staff) : json_null()) < 0 ||
        put(o, "status", r->solved ? json_string(r->has_roster ?
            rota_result_str(r->result) : "no_solution") : json_string("not_solved")) < 0 ||
        put(o, "covered", solved ? json_integer(r->covered) : json_null()) < 0 ||
        put(o, "uncovered", solved ? json_integer(r->uncovered) : json_null()) < 0 ||
        put(o, "covered_need", solved ? real(r->covered_need) : json_null()) < 0 ||
        put(o, "uncovered_need", solved ? real(r->uncovered_need) : json_null()) < 0 ||
        put(o, "travel_minutes_week", solved ? real(r->travel_week) : json_null()) < 0 ||
        put(o, "mean_utilisation", solved ? real(r->mean_util) : json_null()) < 0 ||
        put(o, "max_utilisation", solved ? real(r->max_util) : json_null()) < 0 ||
        put(o, "objective", solved ? real(r->objective) : json_null()) < 0 ||
        put(o, "covers_all", r->proof == ROTA_SIZE_COVERS ? json_true() :
            r->proof == ROTA_SIZE_UNRESOLVED ? json_null() : json_false()) < 0 ||
        put(o, "proved", json_boolean(r->proof != ROTA_SIZE_UNRESOLVED)) < 0 ||
        put(o, "proof", json_string(rota_size_proof_str(r->proof))) < 0 ||
        put(o, "why", r->why[0] ? json_string(r->why) : json_null()) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

char *rota_size_to_json(const rota_instance *inst, const rota_size_result *r)
{
    json_t *doc = json_object(), *rows = json_array();
    char *text = NULL;
    if (!doc || !rows)
        goto done;
    for (int i = 0; i < r->n_rows; i++)
        if (json_array_append_new(rows, row_json(&r->rows[i])) < 0)
            goto done;
    int rc = put(doc, "format", json_string("rota-size/1")) |
        put(doc, "instance", json_string(inst->name)) |
        put(doc, "role", json_string(inst->roles[r->role])) |
        put(doc, "now", json_integer(r->n_now)) |
        put(doc, "least", r->least >= 0 ? json_integer(r->least) : json_null()) |
        put(doc, "proved", json_boolean(r->proved)) |
        put(doc, "lower", r->lower >= 0 ? json_integer(r->lower) : json_null()) |
        put(doc, "rows", rows);
    rows = NULL;
    if (rc == 0)
        text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                          JSON_REAL_PRECISION(15));
done:
    json_decref(rows);
    json_decref(doc);
    return text;
}
