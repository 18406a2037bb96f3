/* serve_routes.c - the endpoints of rota serve (docs/serve.md) and
 * rota_app_handle, the socket-free entry point: one request in, one
 * response out.
 *
 * Paths are matched segment by segment against fixed words; a plan id must
 * be 16 lowercase hex digits and staff and site ids are looked up in the
 * plan's instance, so no part of a path ever reaches the file system.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "rota/export.h"
#include "rota/instance.h"
#include "rota_config.h"
#include "serve_int.h"
#include "yaml_tree.h"

#define MAX_SEGS 6
#define JSON_FLAGS (JSON_REAL_PRECISION(15) | JSON_INDENT(1))

static const char type_json[] = "application/json";

/* ---- responses ---- */

int resp_take(rota_response *rs, int status, const char *type, char *body)
{
    rs->status = status;
    rs->content_type = type;
    free(rs->body);
    rs->body = body;
    rs->body_len = body ? strlen(body) : 0;
    return 0;
}

int resp_header(rota_response *rs, const char *name, const char *value)
{
    if (rs->n_headers == ROTA_RESPONSE_MAX_HEADERS)
        return 0;
    char *v = strdup(value);
    if (!v)
        return 0;
    rs->header_name[rs->n_headers] = name;
    rs->header_value[rs->n_headers++] = v;
    return 0;
}

/* A JSON body, stolen; 500 with no body when it cannot be rendered. */
static int resp_json(rota_response *rs, int status, json_t *j)
{
    char *text = j ? json_dumps(j, JSON_FLAGS) : NULL;
    json_decref(j);
    if (!text) {
        resp_take(rs, 500, type_json, NULL);
        return 0;
    }
    size_t n = strlen(text);
    char *t = realloc(text, n + 2);   /* a trailing newline, like the CLI */
    if (t) {
        t[n] = '\n';
        t[n + 1] = '\0';
        text = t;
    }
    resp_take(rs, status, type_json, text);
    return 0;
}

int resp_error(rota_response *rs, int status, const char *msg)
{
    resp_json(rs, status, json_pack("{s:s, s:i}", "error", msg, "status", status));
    return 0;
}

void rota_response_free(rota_response *rs)
{
    free(rs->body);
    for (int i = 0; i < rs->n_headers; i++)
        free(rs->header_value[i]);
    memset(rs, 0, sizeof *rs);
}

/* ---- request helpers ---- */

typedef struct route {
    const char *seg[MAX_SEGS];
    int n;
    int final;          /* the plan looked up has finished: its answers never change */
    char buf[1024];
} route;

/* Splits "/v1/plans/ID" into segments; -1 when too long, too deep or with
 * an empty segment (a double or trailing slash). */
static int split_path(const char *path, route *r)
{
    size_t n = strlen(path);
    r->n = 0;
    if (n == 0 || n >= sizeof r->buf || path[0] != '/')
        return -1;
    memcpy(r->buf, path + 1, n);
    char *p = r->buf;
    for (;;) {
        char *slash = strchr(p, '/');
        if (r->n == MAX_SEGS || !*p || slash == p)
            return -1;
        r->seg[r->n++] = p;
        if (!slash)
            return 0;
        *slash = '\0';
        p = slash + 1;
    }
    return 0;
}

static int seg_is(route *r, int i, const char *word)
{
    return i < r->n && strcmp(r->seg[i], word) == 0;
}

/* Strips `suffix` from segment i in place; 1 when it was there. */
static int strip_suffix(route *r, int i, const char *suffix)
{
    char *s = (char *)r->seg[i];
    size_t n = strlen(s), k = strlen(suffix);
    if (n <= k || strcmp(s + n - k, suffix) != 0)
        return 0;
    s[n - k] = '\0';
    return 1;
}

static int method_not_allowed(rota_response *rs, const char *allow)
{
    resp_error(rs, 405, "method not allowed");
    resp_header(rs, "Allow", allow);
    return 0;
}

static int deny(const rota_app *app, const rota_request *rq, rota_response *rs,
                int write)
{
    int code = app_auth(app, rq, write);
    if (code == 401) {
        resp_error(rs, 401, "a bearer token is required (Authorization: Bearer TOKEN)");
        resp_header(rs, "WWW-Authenticate", "Bearer realm=\"rota\"");
    } else if (code) {
        resp_error(rs, 403, "the token is not valid");
    }
    return code;
}

/* ---- query strings ---- */

typedef struct submit_opts {
    double time_limit;
    unsigned seed;
} submit_opts;

/* Value of key=value pairs: "time_limit=5&seed=2".  Returns NULL on
 * success or a message naming what is wrong. */
static const char *parse_query(const rota_app *app, const char *q, submit_opts *o)
{
    char buf[256], *save = NULL;
    if (!q || !*q)
        return NULL;
    if (strlen(q) >= sizeof buf)
        return "the query string is too long";
    strcpy(buf, q);
    for (char *kv = strtok_r(buf, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '='), *end;
        if (!eq)
            return "query parameters are key=value";
        *eq = '\0';
        double v = strtod(eq + 1, &end);
        if (end == eq + 1 || *end || !isfinite(v))
            return "query parameters must be numbers";
        if (strcmp(kv, "time_limit") == 0) {
            if (!(v > 0 && v <= app->p.max_time_limit))
                return "time_limit must be greater than 0 and at most the server's maximum";
            o->time_limit = v;
        } else if (strcmp(kv, "seed") == 0) {
            if (!(v >= 0 && v <= 4294967295.0 && v == floor(v)))
                return "seed must be a whole number from 0 to 4294967295";
            o->seed = (unsigned)v;
        } else {
            return "unknown query parameter (known: time_limit, seed)";
        }
    }
    return NULL;
}

/* ---- plans as JSON ---- */

/* Text that is JSON (ours) as a value; null when absent or unreadable. */
static json_t *json_or_null(const char *text)
{
    json_t *j = text ? json_loads(text, 0, NULL) : NULL;
    return j ? j : json_null();
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *plan_json(const plan_row *r, int with_roster)
{
    char self[64], roster[80];
    snprintf(self, sizeof self, "/v1/plans/%s", r->id);
    snprintf(roster, sizeof roster, "/v1/plans/%s/roster", r->id);
    return json_pack("{s:s, s:s, s:o, s:s, s:s, s:f, s:I, s:o, s:o, s:o, s:o, s:{s:s, s:s}}",
        "id", r->id, "status", r->status, "name", str_or_null(r->name),
        "created", r->created, "updated", r->updated,
        "time_limit", r->time_limit, "seed", (json_int_t)r->seed,
        "progress", json_or_null(r->progress),
        "result", str_or_null(r->result),
        "reason", str_or_null(r->reason),
        "roster", with_roster ? json_or_null(r->roster) : json_null(),
        "links", "self", self, "roster", roster);
}

static int is_final(const char *status)
{
    return strcmp(status, "queued") != 0 && strcmp(status, "solving") != 0;
}

/* Looks a plan up by the id in segment 2; answers 404 itself. */
static int find_plan(rota_app *app, route *r, int with_instance,
                     plan_row *row, rota_response *rs)
{
    if (!serve_valid_id(r->seg[2])) {
        resp_error(rs, 404, "no such plan");
        return -1;
    }
    int rc = store_get(app->st, r->seg[2], with_instance, row);
    if (rc == 1) {
        r->final = is_final(row->status);
        return 0;
    }
    if (rc == 0)
        resp_error(rs, 404, "no such plan");
    else
        resp_error(rs, 500, "database error");
    return -1;
}

/* ---- POST /v1/plans ---- */

static int acceptable_type(const char *ct)
{
    static const char *const ok[] = {"application/json", "application/yaml",
        "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain", NULL};
    if (!ct)
        return 1;
    for (int i = 0; ok[i]; i++) {
        size_t n = strlen(ok[i]);
        if (strncasecmp(ct, ok[i], n) == 0 && (ct[n] == 0 || ct[n] == ';' || ct[n] == ' '))
            return 1;
    }
    return 0;
}

/* 400 (not YAML or JSON at all) or 422 (an instance with problems), with
 * every diagnostic as the CLI prints it: request:LINE:COLUMN: message. */
static void resp_diags(rota_response *rs, int status, const rota_diags *d)
{
    json_t *list = json_array();
    for (size_t i = 0; i < d->n; i++) {
        const rota_diag *g = &d->items[i];
        char text[1200];
        snprintf(text, sizeof text, "%s:%d:%d: %s", g->file ? g->file : "request",
                 g->line, g->col, g->msg);
        json_array_append_new(list, json_pack("{s:s, s:i, s:i, s:s, s:s}",
            "file", g->file ? g->file : "request", "line", g->line, "column",
            g->col, "message", g->msg, "text", text));
    }
    resp_json(rs, status, json_pack("{s:s, s:i, s:o, s:I}", "error",
        status == 400 ? "the body is not readable YAML or JSON"
                      : "the instance has problems",
        "status", status, "diagnostics", list, "dropped", (json_int_t)d->n_dropped));
}

/* 0 when the body loads as an instance; else the response is set. */
static int check_instance(const rota_request *rq, rota_response *rs, char **name)
{
    rota_diags d;
    rota_diags_init(&d);
    yt_node *root = NULL;
    const char *body = rq->body ? rq->body : "";
    rota_status st = yt_parse(body, rq->body_len, "request", &d, &root);
    yt_free(root);
    if (st == ROTA_OK) {
        rota_diags_free(&d);
        rota_instance *inst = NULL;
        st = rota_instance_load_untrusted(body, rq->body_len, "request", &inst, &d);
        if (inst && inst->name && !(*name = strdup(inst->name)))
            st = ROTA_ENOMEM;
        rota_instance_free(inst);
        if (st == ROTA_EINPUT)
            resp_diags(rs, 422, &d);
    } else if (st == ROTA_EINPUT) {
        resp_diags(rs, 400, &d);
    }
    if (st == ROTA_ENOMEM)
        resp_error(rs, 503, "out of memory");
    rota_diags_free(&d);
    return st == ROTA_OK ? 0 : -1;
}

static int post_plan(rota_app *app, const rota_request *rq, rota_response *rs)
{
    submit_opts o = {app->p.time_limit, 1};
    const char *bad = parse_query(app, rq->query, &o);
    char id[PLAN_ID_LEN + 1], *name = NULL;
    int running, waiting;
    if (bad)
        return resp_error(rs, 400, bad);
    if (!acceptable_type(rq->content_type))
        return resp_error(rs, 415, "send the instance as application/yaml or application/json");
    if (rq->body_len > app->p.max_body)
        return resp_error(rs, 413, "the body is larger than the server accepts");
    pool_load(app->pl, &running, &waiting);
    if (waiting >= app->p.max_queued) {
        resp_error(rs, 503, "too many plans are waiting; try again later");
        return resp_header(rs, "Retry-After", "30");
    }
    if (check_instance(rq, rs, &name) < 0)
        return 0;
    if (serve_new_id(id) < 0 ||
        store_insert(app->st, id, rq->body, rq->body_len, name, o.time_limit, o.seed) < 0) {
        free(name);
        return resp_error(rs, 500, "cannot store the plan");
    }
    free(name);
    if (pool_submit(app->pl, id) < 0) {
        store_set_status(app->st, id, "failed", "the queue was full");
        resp_error(rs, 503, "too many plans are waiting; try again later");
        return resp_header(rs, "Retry-After", "30");
    }
    plan_row row;
    if (store_get(app->st, id, 0, &row) != 1)
        return resp_error(rs, 500, "database error");
    resp_json(rs, 202, plan_json(&row, 0));
    char loc[64];
    snprintf(loc, sizeof loc, "/v1/plans/%s", id);
    resp_header(rs, "Location", loc);
    plan_row_free(&row);
    return 0;
}

/* ---- GET and DELETE /v1/plans/{id} ---- */

static int get_plan(rota_app *app, route *r, rota_response *rs)
{
    plan_row row;
    if (find_plan(app, r, 0, &row, rs) < 0)
        return 0;
    resp_json(rs, 200, plan_json(&row, 1));
    plan_row_free(&row);
    return 0;
}


/* Cancels: a running solve stops and keeps its best roster (the worker
 * saves it as cancelled); a waiting plan is cancelled at once; a finished
 * plan is left as it is. */
static int delete_plan(rota_app *app, route *r, rota_response *rs)
{
    plan_row row;
    if (find_plan(app, r, 0, &row, rs) < 0)
        return 0;
    int status = 200;
    if (!is_final(row.status)) {
        int held = pool_cancel(app->pl, row.id);
        if (held == 1)
            status = 202;
        else
            store_cancel_queued(app->st, row.id,
                                "cancelled by a DELETE request before it started");
        char id[PLAN_ID_LEN + 1];
        memcpy(id, row.id, sizeof id);
        plan_row_free(&row);
        if (store_get(app->st, id, 0, &row) != 1)
            return resp_error(rs, 500, "database error");
    }
    resp_json(rs, status, plan_json(&row, 0));
    plan_row_free(&row);
    return 0;
}

/* ---- rosters and schedules ---- */

/* A finished plan with a roster, or the response says why not. */
static int finished_plan(rota_app *app, route *r, plan_row *row,
                         rota_response *rs)
{
    if (find_plan(app, r, 1, row, rs) < 0)
        return -1;
    if (row->roster)
        return 0;
    if (!is_final(row->status))
        resp_error(rs, 409, "the plan is still being solved: poll GET /v1/plans/{id}");
    else
        resp_error(rs, 409, "the plan has no roster");
    plan_row_free(row);
    return -1;
}

static int get_roster_json(rota_app *app, route *r, rota_response *rs)
{
    plan_row row;
    if (finished_plan(app, r, &row, rs) < 0)
        return 0;
    resp_take(rs, 200, type_json, row.roster);
    row.roster = NULL;
    plan_row_free(&row);
    return 0;
}

/* Seconds since the epoch of a stored "YYYY-MM-DDTHH:MM:SSZ"; 0 if not. */
static long long created_epoch(const char *iso)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!iso || sscanf(iso, "%d-%d-%dT%d:%d:%dZ", &tm.tm_year, &tm.tm_mon,
                       &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (long long)timegm(&tm);
}

/* A calendar or CSV of a finished plan, rendered by export.h.  The
 * calendar is anchored at the plan's creation (week 1 begins on the first
 * Monday after it; DTSTAMP is its time), so every fetch of a subscription
 * gives the same bytes, also after a restart. */
static int get_export(rota_app *app, route *r, rota_response *rs,
                      rota_export_format f, const char *staff, const char *site)
{
    plan_row row;
    if (finished_plan(app, r, &row, rs) < 0)
        return 0;
    rota_export_params p;
    rota_export_params_init(&p);
    p.format = f;
    p.staff = staff;
    p.site = site;
    p.now = created_epoch(row.created);
    pthread_mutex_lock(&app->cache_lock);
    const rota_instance *inst = app_cached_instance(app, row.id, &row);
    char *out = NULL;
    size_t len = 0;
    rota_diags d;
    rota_diags_init(&d);
    if (!inst)
        resp_error(rs, 500, "the stored instance does not load");
    else if ((staff && rota_find_staff(inst, staff) < 0) ||
             (site && rota_find_site(inst, site) < 0))
        resp_error(rs, 404, staff ? "no such staff member in this plan"
                                  : "no such site in this plan");
    else {
        rota_status st = rota_export_json(inst, row.roster, strlen(row.roster),
                                          "roster", &p, &out, &len, &d);
        if (st == ROTA_OK)
            resp_take(rs, 200, rota_export_mime_type(f), out);
        else if (st == ROTA_EINPUT)
            resp_error(rs, 409, "the plan has no roster");
        else
            resp_error(rs, 503, "out of memory");
    }
    pthread_mutex_unlock(&app->cache_lock);
    rota_diags_free(&d);
    plan_row_free(&row);
    return 0;
}

/* /roster: JSON unless Accept asks for a calendar or CSV. */
static int get_roster(rota_app *app, const rota_request *rq, route *r,
                      rota_response *rs)
{
    const char *a = rq->accept;
    if (a && strstr(a, "text/calendar"))
        return get_export(app, r, rs, ROTA_EXPORT_ICS, NULL, NULL);
    if (a && strstr(a, "text/csv"))
        return get_export(app, r, rs, ROTA_EXPORT_CSV, NULL, NULL);
    return get_roster_json(app, r, rs);
}

/* The visits of one site in a roster JSON: who, when, which weeks. */
static json_t *site_slots(const rota_instance *inst, int site, const char *roster)
{
    json_t *ro = json_loads(roster, 0, NULL), *slots = json_array(), *v;
    size_t i;
    const char *id = inst->sites[site].id;
    json_array_foreach(json_object_get(ro, "visits"), i, v) {
        const char *s = json_string_value(json_object_get(v, "site"));
        if (s && strcmp(s, id) == 0)
            json_array_append(slots, v);
    }
    json_t *unc = json_array();
    json_array_foreach(json_object_get(ro, "uncovered"), i, v) {
        const char *s = json_string_value(json_object_get(v, "site"));
        if (s && strcmp(s, id) == 0)
            json_array_append(unc, v);
    }
    json_t *out = json_pack("{s:s, s:s, s:o, s:o}", "site", id, "name",
                            inst->sites[site].name ? inst->sites[site].name : id,
                            "slots", slots, "uncovered", unc);
    json_decref(ro);
    return out;
}

static int get_site(rota_app *app, route *r, rota_response *rs)
{
    plan_row row;
    if (finished_plan(app, r, &row, rs) < 0)
        return 0;
    pthread_mutex_lock(&app->cache_lock);
    const rota_instance *inst = app_cached_instance(app, row.id, &row);
    int site = inst ? rota_find_site(inst, r->seg[4]) : -1;
    if (!inst)
        resp_error(rs, 500, "the stored instance does not load");
    else if (site < 0)
        resp_error(rs, 404, "no such site in this plan");
    else
        resp_json(rs, 200, site_slots(inst, site, row.roster));
    pthread_mutex_unlock(&app->cache_lock);
    plan_row_free(&row);
    return 0;
}

/* ---- small endpoints ---- */

static int get_health(rota_app *app, rota_response *rs)
{
    long n = 0;
    int running, waiting;
    pool_load(app->pl, &running, &waiting);
    if (store_count(app->st, NULL, &n) < 0)
        return resp_error(rs, 503, "database error");
    resp_json(rs, 200, json_pack("{s:s, s:s, s:I, s:i, s:i}", "status", "ok",
        "version", ROTA_VERSION, "plans", (json_int_t)n, "solving", running,
        "queued", waiting));
    return 0;
}

static int get_openapi(rota_response *rs)
{
    char *copy = strdup(rota_openapi_json);
    if (!copy)
        return resp_take(rs, 503, type_json, NULL);
    resp_take(rs, 200, type_json, copy);
    return 0;
}

/* ---- the router ---- */

static int is(const rota_request *rq, const char *m)
{
    return strcmp(rq->method, m) == 0;
}

static int cached_get(rota_app *app, const rota_request *rq, route *r,
                      rota_response *rs);
static int below_plan(rota_app *app, const rota_request *rq, route *r,
                      rota_response *rs);

/* /v1/plans/{id}/... below a plan. */
static int plan_routes(rota_app *app, const rota_request *rq, route *r,
                        rota_response *rs)
{
    if (r->n == 3) {
        if (is(rq, "GET") || is(rq, "HEAD"))
            return deny(app, rq, rs, 0) ? 0 : cached_get(app, rq, r, rs);
        if (is(rq, "DELETE"))
            return deny(app, rq, rs, 1) ? 0 : delete_plan(app, r, rs);
        return method_not_allowed(rs, "GET, HEAD, DELETE, OPTIONS");
    }
    if (!is(rq, "GET") && !is(rq, "HEAD"))
        return method_not_allowed(rs, "GET, HEAD, OPTIONS");
    if (deny(app, rq, rs, 0))
        return 0;
    return cached_get(app, rq, r, rs);
}

/* The GETs below a plan.  Answers about a finished plan never change, so
 * they are kept (app_body_put) and served from memory the next time: a
 * calendar subscription costs a copy, not a render. */
static int cached_get(rota_app *app, const rota_request *rq, route *r,
                      rota_response *rs)
{
    char key[APP_KEY_LEN];
    const char *a = rq->accept ? rq->accept : "";
    snprintf(key, sizeof key, "%s#%s", rq->path, strstr(a, "text/calendar") ? "ics"
             : strstr(a, "text/csv") ? "csv" : "json");
    if (app_body_get(app, key, rs))
        return 0;
    r->final = 0;
    below_plan(app, rq, r, rs);
    if (r->final && rs->status == 200)
        app_body_put(app, key, rs);
    return 0;
}

static int below_plan(rota_app *app, const rota_request *rq, route *r,
                      rota_response *rs)
{
    if (r->n == 3)
        return get_plan(app, r, rs);
    if (r->n == 4 && seg_is(r, 3, "roster"))
        return get_roster(app, rq, r, rs);
    if (r->n == 4 && seg_is(r, 3, "roster.json"))
        return get_roster_json(app, r, rs);
    if (r->n == 4 && seg_is(r, 3, "roster.ics"))
        return get_export(app, r, rs, ROTA_EXPORT_ICS, NULL, NULL);
    if (r->n == 4 && seg_is(r, 3, "roster.csv"))
        return get_export(app, r, rs, ROTA_EXPORT_CSV, NULL, NULL);
    if (r->n == 5 && seg_is(r, 3, "staff") && strip_suffix(r, 4, ".ics"))
        return get_export(app, r, rs, ROTA_EXPORT_ICS, r->seg[4], NULL);
    if (r->n == 5 && seg_is(r, 3, "sites") && strip_suffix(r, 4, ".ics"))
        return get_export(app, r, rs, ROTA_EXPORT_ICS, NULL, r->seg[4]);
    if (r->n == 5 && seg_is(r, 3, "sites"))
        return get_site(app, r, rs);
    resp_error(rs, 404, "no such resource");
    return 0;
}

int routes_handle(rota_app *app, const rota_request *rq, rota_response *rs)
{
    route r;
    if (split_path(rq->path, &r) < 0 || !seg_is(&r, 0, "v1"))
        return resp_error(rs, 404, "no such resource");
    if (r.n == 2 && (seg_is(&r, 1, "health") || seg_is(&r, 1, "openapi.json"))) {
        if (!is(rq, "GET") && !is(rq, "HEAD"))
            return method_not_allowed(rs, "GET, HEAD, OPTIONS");
        return seg_is(&r, 1, "health") ? get_health(app, rs) : get_openapi(rs);
    }
    if (r.n == 2 && seg_is(&r, 1, "plans")) {
        if (!is(rq, "POST"))
            return method_not_allowed(rs, "POST, OPTIONS");
        return deny(app, rq, rs, 1) ? 0 : post_plan(app, rq, rs);
    }
    if (r.n >= 3 && seg_is(&r, 1, "plans"))
        return plan_routes(app, rq, &r, rs);
    resp_error(rs, 404, "no such resource");
    return 0;
}

/* ---- the entry point: CORS around the router ---- */

/* The origin to allow for this request, or NULL. */
static const char *cors_allow(const rota_app *app, const rota_request *rq)
{
    if (!app->cors_origin || !rq->origin)
        return NULL;
    if (strcmp(app->cors_origin, "*") == 0)
        return "*";
    return strcmp(app->cors_origin, rq->origin) == 0 ? rq->origin : NULL;
}

static int preflight(const rota_app *app, const rota_request *rq, rota_response *rs)
{
    resp_take(rs, 204, "text/plain", NULL);
    resp_header(rs, "Allow", "GET, HEAD, POST, DELETE, OPTIONS");
    if (!cors_allow(app, rq))
        return 0;
    resp_header(rs, "Access-Control-Allow-Methods", "GET, HEAD, POST, DELETE, OPTIONS");
    resp_header(rs, "Access-Control-Allow-Headers", "Authorization, Content-Type");
    resp_header(rs, "Access-Control-Max-Age", "600");
    return 0;
}

void rota_app_handle(rota_app *app, const rota_request *rq, rota_response *rs)
{
    memset(rs, 0, sizeof *rs);
    if (!rq->method || !rq->path)
    if (!rq->method || !rq->path) {
        resp_error(rs, 400, "bad request");
        return;
    }
    if (is(rq, "OPTIONS"))
        preflight(app, rq, rs);
    else
        routes_handle(app, rq, rs);
    const char *origin = cors_allow(app, rq);
    if (origin) {
        resp_header(rs, "Access-Control-Allow-Origin", origin);
        resp_header(rs, "Access-Control-Expose-Headers", "Location");
        if (strcmp(origin, "*") != 0)
            resp_header(rs, "Vary", "Origin");
    }
}
