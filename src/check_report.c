/* check_report.c - rendering a check report (see rota/check.h): one line
 * per finding and a summary line for people, the verdict as a JSON
 * document (format "rota-check/1", docs/roster-json.md) for programs, and
 * the diagnostics of a malformed input in the same form.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json_pos.h"
#include "rota/check.h"

static const char *vlabel(const rota_instance *inst, int v, char *buf,
                          size_t n)
{
    const rota_visit *x = &inst->visits[v];
    snprintf(buf, n, "%s/%s", inst->sites[x->site].id, inst->roles[x->role]);
    return buf;
}

/* "sw1 week 2 tue" (the parts known), or "" */
static void context(const rota_instance *inst, const rota_finding *f,
                    char *buf, size_t n)
{
    size_t m = 0;
    buf[0] = '\0';
    if (f->staff >= 0 && f->staff < inst->n_staff) {
        snprintf(buf, n, "%s", inst->staff[f->staff].id);
        m = strlen(buf);
    } else if (f->visit >= 0 && f->visit < inst->n_visits) {
        vlabel(inst, f->visit, buf, n);
        m = strlen(buf);
    }
    if (f->week > 0 && m < n)
        m += (size_t)snprintf(buf + m, n - m, "%sweek %d", m ? " " : "",
                              f->week);
    if (f->day >= 0 && f->day < ROTA_DAYS && m < n)
        snprintf(buf + m, n - m, "%s%s", m ? " " : "", rota_day_names[f->day]);
}

char *rota_finding_format(const rota_instance *inst, const rota_finding *f,
                          char *buf, size_t n)
{
    char ctx[256];
    context(inst, f, ctx, sizeof ctx);
    if (f->kind == ROTA_FINDING_RULE)
        snprintf(buf, n, "rule %d (%s): %s%s%s", (int)f->rule,
                 rota_rule_name(f->rule), ctx, ctx[0] ? ": " : "", f->msg);
    else
        snprintf(buf, n, "figure %s: %s%s%s", f->field ? f->field : "?", ctx,
                 ctx[0] ? ": " : "", f->msg);
    return buf;
}

char *rota_check_summary(const rota_check_report *rep, char *buf, size_t n)
{
    if (!rep->has_roster)
        snprintf(buf, n, "no roster: the document states status %s",
                 rota_result_str(rep->status));
    else if (rota_check_ok(rep))
        snprintf(buf, n, "feasible; objective %.15g matches", rep->objective);
    else
        snprintf(buf, n, "%d violation%s, %d figure mismatch%s; recomputed "
                 "objective %.15g", rep->n_rule, rep->n_rule == 1 ? "" : "s",
                 rep->n_figure, rep->n_figure == 1 ? "" : "es",
                 rep->objective);
    return buf;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *finding_json(const rota_instance *inst, const rota_finding *f)
{
    const rota_visit *x = f->visit >= 0 ? &inst->visits[f->visit] : NULL;
    char line[1600];
    json_t *o = json_object();
    if (!o)
        return NULL;
    int rc = 0;
    if (f->kind == ROTA_FINDING_RULE) {
        rc |= json_object_set_new(o, "rule", json_integer(f->rule));
        rc |= json_object_set_new(o, "name", json_string(rota_rule_name(f->rule)));
    } else {
        rc |= json_object_set_new(o, "field", str_or_null(f->field));
    }
    rc |= json_object_set_new(o, "site", str_or_null(x ? inst->sites[x->site].id : NULL));
    rc |= json_object_set_new(o, "role", str_or_null(x ? inst->roles[x->role] : NULL));
    rc |= json_object_set_new(o, "staff", str_or_null(f->staff >= 0 ? inst->staff[f->staff].id : NULL));
    rc |= json_object_set_new(o, "week", f->week > 0 ? json_integer(f->week) : json_null());
    rc |= json_object_set_new(o, "day", str_or_null(f->day >= 0 ? rota_day_names[f->day] : NULL));
    rc |= json_object_set_new(o, "line", f->line > 0 ? json_integer(f->line) : json_null());
    rc |= json_object_set_new(o, "column", f->col > 0 ? json_integer(f->col) : json_null());
    rc |= json_object_set_new(o, "message", json_string(f->msg));
    rc |= json_object_set_new(o, "text", json_string(rota_finding_format(inst, f, line, sizeof line)));
    if (rc) {
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
    static const char *const names[6] = {"travel", "continuity",
        "slot_change", "preference", "balance", "uncovered"};
    double v[6] = {t->travel, t->continuity, t->slot_change, t->preference,
                   t->balance, t->uncovered};
    for (int i = 0; i < 6; i++)
        if (json_object_set_new(o, names[i], isfinite(v[i]) ?
                                json_real(v[i]) : json_null()) < 0) {
            json_decref(o);
            return NULL;
        }
    return o;
}

/* violations[] and mismatches[] of the verdict. */
static int put_findings(json_t *doc, const rota_instance *inst,
                        const rota_check_report *rep)
{
    json_t *viol = json_array(), *mis = json_array();
    int rc = 0;
    for (size_t i = 0; viol && mis && i < rep->n && rc == 0; i++)
        rc = json_array_append_new(rep->items[i].kind == ROTA_FINDING_RULE ?
                                   viol : mis,
                                   finding_json(inst, &rep->items[i]));
    rc |= json_object_set_new(doc, "violations", viol);
    rc |= json_object_set_new(doc, "mismatches", mis);
    return rc;
}

char *rota_check_report_json(const rota_instance *inst,
                             const rota_check_report *rep,
                             const char *roster_path)
{
    char summary[256];
    char *text = NULL;
    rota_json_guard();
    json_t *doc = json_object();
    if (!doc)
        return NULL;
    int ok = rota_check_ok(rep), has = rep->has_roster;
    int rc = 0;
    rc |= json_object_set_new(doc, "format", json_string("rota-check/1"));
    rc |= json_object_set_new(doc, "instance", str_or_null(inst->name));
    rc |= json_object_set_new(doc, "roster", str_or_null(roster_path));
    rc |= json_object_set_new(doc, "verdict", json_string(
        ok ? "ok" : !has ? "no_roster" : rep->n_rule ? "infeasible" : "figures"));
    rc |= json_object_set_new(doc, "feasible", json_boolean(rota_check_feasible(rep)));
    rc |= json_object_set_new(doc, "figures_match", json_boolean(has && rep->n_figure == 0));
    rc |= json_object_set_new(doc, "status", json_string(rota_result_str(rep->status)));
    rc |= json_object_set_new(doc, "objective", has && isfinite(rep->objective) ?
                              json_real(rep->objective) : json_null());
    rc |= json_object_set_new(doc, "stated_objective", rep->has_objective ?
                              json_real(rep->stated_objective) : json_null());
    rc |= json_object_set_new(doc, "terms", has ? terms_json(&rep->terms) : json_null());
    rc |= json_object_set_new(doc, "covered", json_integer(rep->n_covered));
    rc |= json_object_set_new(doc, "uncovered", json_integer(rep->n_uncovered));
    rc |= json_object_set_new(doc, "n_violations", json_integer(rep->n_rule));
    rc |= json_object_set_new(doc, "n_mismatches", json_integer(rep->n_figure));
    rc |= json_object_set_new(doc, "dropped", json_integer((json_int_t)rep->n_dropped));
    rc |= put_findings(doc, inst, rep);
    rc |= json_object_set_new(doc, "summary", json_string(
        rota_check_summary(rep, summary, sizeof summary)));
    if (rc == 0)
        text = rota_json_dump(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                              JSON_REAL_PRECISION(15));
    json_decref(doc);
    return text;
}

char *rota_diags_json(const rota_diags *d)
{
    rota_json_guard();
    json_t *doc = json_object(), *list = json_array();
    char *text = NULL;
    int rc = !doc || !list;
    for (size_t i = 0; !rc && i < d->n; i++) {
        const rota_diag *g = &d->items[i];
        json_t *o = json_object();
        rc |= json_array_append_new(list, o);
        if (rc)
            break;
        rc |= json_object_set_new(o, "file", str_or_null(g->file));
        rc |= json_object_set_new(o, "line", g->line > 0 ? json_integer(g->line) : json_null());
        rc |= json_object_set_new(o, "column", g->col > 0 ? json_integer(g->col) : json_null());
        rc |= json_object_set_new(o, "message", json_string(g->msg));
    }
    if (!rc) {
        rc |= json_object_set_new(doc, "format", json_string("rota-check/1"));
        rc |= json_object_set_new(doc, "verdict", json_string("malformed"));
        rc |= json_object_set_new(doc, "dropped", json_integer((json_int_t)d->n_dropped));
        rc |= json_object_set_new(doc, "diagnostics", list);
        list = NULL;
    }
    if (!rc)
        text = rota_json_dump(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(list);
    json_decref(doc);
    return text;
}
