/* test_check_pos.c - small facts the checker relies on.
 *
 *  - rota_haversine_km and the travel estimate against values computed by
 *    hand (tests/check/hand/README.md);
 *  - json_pos: line and column (in characters) of values in a text with
 *    escapes, UTF-8 and nesting, and lookups by key and index;
 *  - rota_check_buffer reports a wrong type at the value's position and a
 *    missing key at its object's.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_pos.h"
#include "rota/check.h"
#include "rota/travel.h"

#include "unit.h"

/* By hand: on a parallel at 55 deg, 0.1 deg of longitude is
 * 6371 * cos(55 deg) * 0.1 * pi / 180 = 6371 * 0.5735764 * 0.0017453293
 * = 6.37787 km (haversine agrees to 1e-6 km at this size); 0.05 deg of
 * latitude is 6371 * 0.00087266463 = 5.55975 km.  At 30 km/h with detour
 * 1.5 the minutes are ceil(3 d): 20 and 17. */
static void haversine(void)
{
    double a = rota_haversine_km(55.0, 12.0, 55.0, 12.1);
    double b = rota_haversine_km(55.0, 12.0, 55.05, 12.0);
    double c = rota_haversine_km(55.0, 12.0, 55.1, 12.0);
    CHECKF(fabs(a - 6.37787) < 1e-4, "a = %.6f", a);
    CHECKF(fabs(b - 5.55975) < 1e-4, "b = %.6f", b);
    CHECKF(fabs(c - 11.11949) < 1e-4, "c = %.6f", c);
    CHECKF(rota_travel_estimate(a, 1.5, 30) == 20, "%d", rota_travel_estimate(a, 1.5, 30));
    CHECKF(rota_travel_estimate(b, 1.5, 30) == 17, "%d", rota_travel_estimate(b, 1.5, 30));
    CHECKF(rota_travel_estimate(c, 1.5, 30) == 34, "%d", rota_travel_estimate(c, 1.5, 30));
    /* an exact integer does not round up: 10 km at 60 km/h, detour 1 */
    CHECKF(rota_travel_estimate(10.0, 1.0, 60) == 10, "exact");
}

static void where(const jpos *t, int node, int line, int col, const char *what)
{
    int l, c;
    jpos_where(t, node, &l, &c);
    CHECKF(l == line && c == col, "%s at %d:%d, expected %d:%d", what, l, c,
          line, col);
}

static void positions(void)
{
    const char *text =
        "{\"a\": \"x\\\"}\", \"\xc3\xa6\xc3\xb8\": [1, {\"k\": null}],\n"
        "  \"b\": [true,\n    {\"c\": -1.5e3, \"d\": \"\xe2\x80\x93\"}, []],\n"
        "\"e\":{}}";
    jpos t;
    CHECKF(jpos_build(&t, text, strlen(text)) == 0, "build");
    where(&t, 0, 1, 1, "root");
    where(&t, jpos_key(&t, 0, "a"), 1, 7, "a");
    int ae = jpos_key(&t, 0, "\xc3\xa6\xc3\xb8");
    where(&t, ae, 1, 21, "ae-o");
    where(&t, jpos_index(&t, ae, 1), 1, 25, "ae-o[1]");
    where(&t, jpos_key(&t, jpos_index(&t, ae, 1), "k"), 1, 31, "k");
    int b = jpos_key(&t, 0, "b");
    where(&t, b, 2, 8, "b");
    int b1 = jpos_index(&t, b, 1);
    where(&t, b1, 3, 5, "b[1]");
    where(&t, jpos_key(&t, b1, "c"), 3, 11, "c");
    where(&t, jpos_key(&t, b1, "d"), 3, 24, "d");
    where(&t, jpos_index(&t, b, 2), 3, 30, "b[2]");
    where(&t, jpos_key(&t, 0, "e"), 4, 5, "e");
    CHECKF(jpos_key(&t, 0, "zz") < 0, "missing key");
    CHECKF(jpos_index(&t, b, 3) < 0, "index past the end");
    CHECKF(jpos_key(&t, -1, "a") < 0, "no node");
    jpos_free(&t);
    /* a truncated text: no crash, fewer nodes */
    CHECKF(jpos_build(&t, text, 20) == 0, "truncated");
    jpos_free(&t);
}

static void reported(const rota_instance *inst, const char *text, int line,
                     int col, const char *msg)
{
    rota_diags d;
    rota_diags_init(&d);
    rota_check_report rep;
    rota_check_report_init(&rep);
    rota_status st = rota_check_buffer(inst, text, strlen(text), "t.json",
                                       &rep, &d);
    CHECKF(st == ROTA_EINPUT, "status %s", rota_status_str(st));
    int found = 0;
    for (size_t i = 0; i < d.n; i++)
        if (d.items[i].line == line && d.items[i].col == col &&
            strstr(d.items[i].msg, msg))
            found = 1;
    CHECKF(found, "no '%s' at %d:%d (first: %d:%d %s)", msg, line, col,
          d.n ? d.items[0].line : 0, d.n ? d.items[0].col : 0,
          d.n ? d.items[0].msg : "none");
    rota_check_report_free(&rep);
    rota_diags_free(&d);
}

static void messages(const char *instance)
{
    rota_diags d;
    rota_diags_init(&d);
    rota_instance *inst = NULL;
    CHECKF(rota_instance_load(instance, &inst, &d) == ROTA_OK, "load %s", instance);
    rota_diags_free(&d);
    if (!inst)
        return;
    const char *head = "{\"format\": \"rota-roster/1\", \"instance\": \"hand\",\n"
                       " \"status\": \"feasible\", \"objective\": 1, \"bound\": null,\n"
                       " \"gap\": null, \"solve_seconds\": 0, \"terms\": null,\n";
    char buf[1024];
    snprintf(buf, sizeof buf, "%s \"visits\": [\n  {\"site\": \"a\", \"role\": "
             "\"social_worker\", \"staff\": 7, \"day\": \"mon\", \"start\": "
             "\"09:00\", \"end\": \"10:00\", \"weeks\": [1]}],\n"
             " \"uncovered\": [], \"staff\": []}", head);
    reported(inst, buf, 5, 51, "visits[0].staff: expected a string, not an integer");
    snprintf(buf, sizeof buf, "%s \"visits\": [\n  {\"site\": \"a\"}],"
             " \"uncovered\": [], \"staff\": []}", head);
    reported(inst, buf, 5, 3, "visits[0]: missing key \"role\"");
    snprintf(buf, sizeof buf, "%s \"visits\": {}, \"uncovered\": [], \"staff\": []}",
             head);
    reported(inst, buf, 4, 12, "visits: expected an array, not an object");
    rota_instance_free(inst);
}

int main(int argc, char **argv)
{
    haversine();
    positions();
    if (argc > 1)
        messages(argv[1]);
    if (failures)
        fprintf(stderr, "%d failures\n", failures);
    return failures ? 1 : 0;
}
