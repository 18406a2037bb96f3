/* test_json_roundtrip.c - the roster writer against the reader and checker.
 *
 * For every (instance, roster) pair given: read the roster's assignments,
 * evaluate them, write the roster with rota_roster_to_json, and check the
 * written text.  The written figures must all match (whatever the rules
 * say), the roster read back must equal the one written, and the rule
 * findings must be those of checking the original.  Also: a document
 * without a roster, bound and gap, NaN never written, and what
 * rota_roster_read does with duplicates.
 *
 * usage: test_json_roundtrip INSTANCE.yaml ROSTER.json [INSTANCE ROSTER]...
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "rota/check.h"
#include "rota/eval.h"
#include "rota/roster_json.h"

#include "unit.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void print_diags(const rota_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        fprintf(stderr, "  %s:%d:%d: %s\n", d->items[i].file ? d->items[i].file : "",
                d->items[i].line, d->items[i].col, d->items[i].msg);
}

/* Checks text; returns the report (caller frees) or fails the test. */
static int check_text(const rota_instance *inst, const char *text,
                      rota_check_report *rep, const char *what)
{
    rota_diags d;
    rota_diags_init(&d);
    rota_check_report_init(rep);
    rota_status st = rota_check_buffer(inst, text, strlen(text), what, rep, &d);
    CHECKF(st == ROTA_OK, "%s: check returned %s", what, rota_status_str(st));
    if (st != ROTA_OK)
        print_diags(&d);
    rota_diags_free(&d);
    return st == ROTA_OK ? 0 : -1;
}

static int same_roster(const rota_roster *a, const rota_roster *b)
{
    for (int v = 0; v < a->n_visits; v++) {
        const rota_assign *x = &a->a[v], *y = &b->a[v];
        if (x->staff != y->staff)
            return 0;
        if (x->staff >= 0 && (x->day != y->day || x->start != y->start ||
                              x->weeks != y->weeks))
            return 0;
    }
    return 1;
}

/* Writes r, checks the text, reads it back. */
static void roundtrip(const rota_instance *inst, const rota_roster *r,
                      int rules_expected, const char *what)
{
    rota_eval e;
    rota_roster_meta meta;
    rota_roster_meta_init(&meta);
    meta.solve_seconds = 1.5;
    CHECKF(rota_evaluate(inst, r, &e) == ROTA_OK, "%s: evaluate", what);
    char *text = rota_roster_to_json(inst, r, &e, &meta);
    CHECKF(text != NULL, "%s: writer returned NULL", what);
    if (!text) {
        rota_eval_free(&e);
        return;
    }
    CHECKF(strstr(text, "NaN") == NULL && strstr(text, "nan") == NULL,
          "%s: NaN written", what);
    rota_check_report rep;
    if (check_text(inst, text, &rep, what) == 0) {
        CHECKF(rep.n_figure == 0, "%s: %d figure mismatches in the writer's "
              "own output (first: %s)", what, rep.n_figure,
              rep.n ? rep.items[0].msg : "");
        CHECKF(rep.n_rule == rules_expected, "%s: %d rule findings, %d expected",
              what, rep.n_rule, rules_expected);
        CHECKF(rep.n_rule > 0 || fabs(rep.objective - e.objective) < 1e-9,
              "%s: objective", what);
    }
    rota_check_report_free(&rep);
    rota_diags d;
    rota_diags_init(&d);
    rota_roster *back = NULL;
    CHECKF(rota_roster_read(inst, text, strlen(text), what, &back, &d) == ROTA_OK,
          "%s: read back", what);
    CHECKF(back && same_roster(r, back), "%s: roster read back differs", what);
    rota_roster_free(back);
    rota_diags_free(&d);
    free(text);
    rota_eval_free(&e);
}

static void one_pair(const char *ipath, const char *rpath)
{
    rota_diags d;
    rota_diags_init(&d);
    rota_instance *inst = NULL;
    size_t len = 0;
    char *text = slurp(rpath, &len);
    CHECKF(text != NULL, "cannot read %s", rpath);
    CHECKF(rota_instance_load(ipath, &inst, &d) == ROTA_OK, "cannot load %s", ipath);
    if (!text || !inst)
        goto done;
    rota_check_report orig;
    rota_check_report_init(&orig);
    rota_status st = rota_check_buffer(inst, text, len, rpath, &orig, &d);
    CHECKF(st == ROTA_OK, "%s: %s", rpath, rota_status_str(st));
    rota_roster *r = NULL;
    CHECKF(rota_roster_read(inst, text, len, rpath, &r, &d) == ROTA_OK,
          "%s: rota_roster_read", rpath);
    /* the rule findings of the reading pass do not survive a rewrite (the
     * writer lists every visit once), except that a visit listed nowhere
     * is then listed as uncovered: a violation under hard coverage */
    int reading_rules = 0;
    for (size_t i = 0; i < orig.n; i++) {
        const char *m = orig.items[i].msg;
        if (orig.items[i].kind == ROTA_FINDING_RULE &&
            (strstr(m, "listed twice") || strstr(m, "listed both") ||
             (strstr(m, "listed neither") && inst->coverage_soft)))
            reading_rules++;
    }
    if (r)
        roundtrip(inst, r, orig.n_rule - reading_rules, rpath);
    rota_roster_free(r);
    rota_check_report_free(&orig);
done:
    free(text);
    rota_instance_free(inst);
    rota_diags_free(&d);
}

/* No roster: objective, terms null; the checker says "no roster". */
static void no_roster(const rota_instance *inst)
{
    rota_roster_meta meta;
    rota_roster_meta_init(&meta);
    meta.status = ROTA_RESULT_NO_SOLUTION;
    meta.reason = "time limit";
    char *text = rota_roster_to_json(inst, NULL, NULL, &meta);
    CHECKF(text && strstr(text, "\"objective\": null") &&
          strstr(text, "\"terms\": null") && strstr(text, "\"reason\": \"time limit\""),
          "no-roster document: %s", text ? text : "(null)");
    rota_check_report rep;
    if (text && check_text(inst, text, &rep, "no roster") == 0) {
        CHECKF(!rep.has_roster && !rota_check_ok(&rep), "no roster judged");
        rota_check_report_free(&rep);
    }
    free(text);
}

/* bound and gap; a NaN bound or solve time is written as null. */
static void bound_gap(const rota_instance *inst, const rota_roster *r)
{
    rota_eval e;
    rota_roster_meta meta;
    rota_roster_meta_init(&meta);
    if (rota_evaluate(inst, r, &e) != ROTA_OK)
        return;
    meta.has_bound = 1;
    meta.bound = e.objective - 10;
    meta.status = ROTA_RESULT_OPTIMAL;
    meta.rows = 3;
    meta.cols_generated = 7;
    meta.branch_nodes = 0;
    char *text = rota_roster_to_json(inst, r, &e, &meta);
    json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
    double gap = json_real_value(json_object_get(doc, "gap"));
    CHECKF(fabs(gap - 10 / fmax(1, fabs(e.objective))) < 1e-12, "gap %g", gap);
    CHECKF(json_integer_value(json_object_get(json_object_get(doc, "model"),
                                             "columns_generated")) == 7, "model");
    CHECKF(json_object_get(json_object_get(doc, "model"), "cols") == NULL,
          "unknown model size written");
    CHECKF(json_integer_value(json_object_get(json_object_get(doc, "model"),
                                             "branch_nodes")) == 0 &&
           json_object_get(json_object_get(doc, "model"), "branch_nodes"),
           "branch_nodes 0 left out");
    rota_check_report rep;
    if (text && check_text(inst, text, &rep, "bound") == 0) {
        CHECKF(rep.n_figure == 0, "bound/gap judged wrong");
        rota_check_report_free(&rep);
    }
    json_decref(doc);
    free(text);
    meta.bound = NAN;
    meta.solve_seconds = NAN;
    text = rota_roster_to_json(inst, r, &e, &meta);
    doc = text ? json_loads(text, 0, NULL) : NULL;
    CHECKF(doc && json_is_null(json_object_get(doc, "bound")) &&
          json_is_null(json_object_get(doc, "gap")) &&
          json_is_null(json_object_get(doc, "solve_seconds")),
          "NaN bound / seconds not null");
    json_decref(doc);
    free(text);
    rota_eval_free(&e);
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc % 2 == 0) {
        fprintf(stderr, "usage: %s INSTANCE ROSTER [INSTANCE ROSTER]...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i + 1 < argc; i += 2)
        one_pair(argv[i], argv[i + 1]);
    rota_diags d;
    rota_diags_init(&d);
    rota_instance *inst = NULL;
    if (rota_instance_load(argv[1], &inst, &d) == ROTA_OK) {
        rota_roster *empty = rota_roster_new(inst);
        no_roster(inst);
        bound_gap(inst, empty);
        roundtrip(inst, empty, inst->coverage_soft ? 0 : inst->n_visits,
                  "all uncovered");
        rota_roster_free(empty);
    }
    rota_instance_free(inst);
    rota_diags_free(&d);
    if (failures)
        fprintf(stderr, "%d failures\n", failures);
    return failures ? 1 : 0;
}
