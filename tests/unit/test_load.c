/* test_load.c - the loader fills every default and resolves every value of
 * a small instance (instances/tiny-1.yaml, path in argv[1]), and reports a
 * broken buffer with positions and no instance. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rota/instance.h"
#include "rota/travel.h"

#include "unit.h"

static int one_span(const rota_spans *s, int start, int end)
{
    return s->n == 1 && s->v[0].start == start && s->v[0].end == end;
}

static void check_defaults(const rota_instance *I)
{
    CHECK(strcmp(I->name, "tiny 1") == 0);
    CHECK(I->days_mask == 0x1F);
    CHECK(I->day_start == 8 * 60 && I->day_end == 16 * 60);
    CHECK(I->slot_minutes == 15);
    CHECK(I->cycle_weeks == 1);
    CHECK(I->speed_kmh == 35 && I->detour_factor == 1.3);
    CHECK(I->buffer_minutes == 5);
    CHECK(I->matrix_path == NULL);
    CHECK(I->consult_share == 0.6);
    CHECK(I->max_visits_per_day == 4);
    CHECK(I->max_travel_per_day == 120);
    CHECK(I->coverage_soft == 0);
    CHECK(I->w_travel == 1 && I->w_continuity == 60 && I->w_slot_change == 20);
    CHECK(I->w_preference == 10 && I->w_balance == 2 && I->w_uncovered == 1000);
    for (int d = 0; d < ROTA_DAYS; d++)
        CHECK(I->blocked[d].n == 0);
}

static void check_staff(const rota_instance *I)
{
    CHECK(I->n_offices == 1 && I->n_staff == 2 && I->n_sites == 6);
    CHECK(I->n_visits == 6 && I->n_roles == 1 && I->n_districts == 0);
    int sw1 = rota_find_staff(I, "sw1"), sw2 = rota_find_staff(I, "sw2");
    CHECK(sw1 == 0 && sw2 == 1);
    const rota_staff *a = &I->staff[sw1], *b = &I->staff[sw2];
    CHECK(fabs(a->capacity - 37 * 60 * 0.6) < 1e-9);
    CHECK(fabs(b->capacity - 30 * 60 * 0.6) < 1e-9);
    CHECK(a->consult_share == 0.6 && a->max_sites == -1 && a->n_districts == -1);
    CHECK(a->office == 0 && a->role == 0 && b->role == 0);
    for (int d = 0; d < 5; d++) {   /* sw1: the week default */
        CHECK(one_span(&a->avail[d], 480, 960));
        CHECK(one_span(&a->seg[d], 480, 960));
    }
    for (int d = 0; d < 4; d++) {   /* sw2: mon-thu 08:00-15:00 */
        CHECK(one_span(&b->avail[d], 8 * 60, 15 * 60));
        CHECK(one_span(&b->seg[d], 8 * 60, 15 * 60));
    }
    for (int d = 4; d < ROTA_DAYS; d++) {
        CHECK(b->avail[d].n == 0 && b->seg[d].n == 0);
        CHECK(d == 4 || a->avail[d].n == 0);
    }
}

static void check_visits(const rota_instance *I)
{
    int s2 = rota_find_site(I, "s2");
    CHECK(s2 == 1);
    const rota_site *s = &I->sites[s2];
    CHECK(s->kind == ROTA_KIND_DAYCARE && s->need == 1 && s->district == -1);
    CHECK(s->n_visits == 1 && s->first_visit == 1);
    const rota_visit *v = &I->visits[s->first_visit];
    CHECK(v->site == s2 && v->minutes == 60 && v->every_weeks == 1);
    for (int d = 0; d < 5; d++) {   /* ["08:00-10:30", "12:30-14:30"] */
        CHECK(v->windows[d].n == 2);
        if (v->windows[d].n == 2) {
            CHECK(v->windows[d].v[0].start == 480 && v->windows[d].v[0].end == 630);
            CHECK(v->windows[d].v[1].start == 750 && v->windows[d].v[1].end == 870);
        }
    }
    CHECK(v->windows[5].n == 0 && v->windows[6].n == 0);
    CHECK(v->has_preferred && one_span(&v->preferred[3], 480, 600));
    CHECK(v->preferred[0].n == 0);
    CHECK(v->current.staff == -1 && v->pin.day == -1 && v->n_allowed == -1);
    CHECK(v->with == -1 && v->partner == -1);
    CHECK(v->pos.line == 53 && v->pos.col == 9);  /* "role:" after "- " */
    CHECK(s->pos.line == 48 && s->pos.col == 5);
    /* s1's visit has no windows: the week default, every weekday. */
    const rota_visit *v1 = &I->visits[0];
    CHECK(!v1->has_preferred && one_span(&v1->windows[0], 480, 960));
}

/* travel(office, s1) by hand, haversine on a 6371.0 km sphere:
 *   office (55.7, 12.5), s1 (55.735305, 12.449159)
 *   dlat = 0.035305 deg = 6.16188e-4 rad, dlon = -0.050841 deg = -8.87343e-4 rad
 *   a = sin^2(dlat/2) + cos(55.7) cos(55.735305) sin^2(dlon/2)
 *     = 9.49221e-8 + 0.317275 * 1.96844e-7 = 1.57376e-7
 *   d = 2 * 6371.0 * atan2(sqrt(a), sqrt(1 - a)) = 5.05483 km
 *   minutes = ceil(60 * 5.05483 * 1.3 / 35 - 1e-9) = ceil(11.2650) = 12 */
static void check_travel(const rota_instance *I)
{
    int office = 0, s1 = rota_site_place(I, rota_find_site(I, "s1"));
    CHECK(I->n_places == 7);
    CHECK(I->travel[office * I->n_places + s1] == 12);
    CHECK(I->travel[s1 * I->n_places + office] == 12);
    CHECK(rota_leg_minutes(I, office, s1) == 17);
    CHECK(rota_leg_minutes(I, s1, s1) == 0);
    for (int p = 0; p < I->n_places; p++)
        CHECK(I->travel[p * I->n_places + p] == 0);
}

/* Three problems in one buffer: all reported, sorted, no instance. */
static void check_errors(void)
{
    const char *text =
        "format: rota/1\n"
        "name: broken\n"
        "offices: [{id: o, location: {lat: 55, lon: 12}}]\n"
        "staff: [{id: a, role: sw, hours: 0, office: o}]\n"
        "sites:\n"
        "  - id: s\n"
        "    location: {lat: 55, lon: 12}\n"
        "    visits: [{role: sw, minuts: 60}]\n";
    rota_diags d;
    rota_diags_init(&d);
    rota_instance *I = (rota_instance *)&d;  /* must be overwritten */
    rota_status st = rota_instance_load_buffer(text, strlen(text), "mem.yaml", &I, &d);
    CHECK(st == ROTA_EINPUT && I == NULL);
    CHECK(d.n == 3);
    if (d.n == 3) {
        CHECK(d.items[0].line == 4 && d.items[0].col == 34);
        CHECK(strstr(d.items[0].msg, "hours") != NULL);
        CHECK(d.items[1].line == 8 && d.items[1].col == 14);
        CHECK(strcmp(d.items[1].msg, "missing key 'minutes' in visit") == 0);
        CHECK(d.items[2].line == 8 && d.items[2].col == 25);
        CHECK(strcmp(d.items[2].msg, "unknown key 'minuts' in visit; "
                                     "did you mean 'minutes'?") == 0);
        CHECK(strcmp(d.items[2].file, "mem.yaml") == 0);
    }
    rota_diags_free(&d);
}

/* Blocked time splits a day into tour segments. */
static void check_segments(void)
{
    const char *text =
        "format: rota/1\nname: seg\n"
        "rules: {blocked: [{day: mon, from: '12:00', to: '13:00'}]}\n"
        "offices: [{id: o, location: {lat: 55, lon: 12}}]\n"
        "staff:\n"
        "  - {id: a, role: sw, hours: 37, office: o,\n"
        "     days: {mon: ['08:00-10:00', '09:00-16:00']},\n"
        "     blocked: [{day: mon, from: '12:30', to: '14:00'},\n"
        "               {day: mon, from: '15:00', to: '16:30'}]}\n"
        "sites: [{id: s, location: {lat: 55.1, lon: 12}, visits: [{role: sw, minutes: 30}]}]\n";
    rota_diags d;
    rota_diags_init(&d);
    rota_instance *I = NULL;
    CHECK(rota_instance_load_buffer(text, strlen(text), NULL, &I, &d) == ROTA_OK);
    if (!I)
        return;
    const rota_staff *k = &I->staff[0];
    CHECK(k->avail[0].n == 2 && k->blocked[0].n == 2);
    CHECK(k->blocked[0].v[0].start == 720 && k->blocked[0].v[0].end == 840);
    CHECK(k->seg[0].n == 2);
    CHECK(k->seg[0].v[0].start == 480 && k->seg[0].v[0].end == 720);
    CHECK(k->seg[0].v[1].start == 840 && k->seg[0].v[1].end == 900);
    CHECK(one_span(&I->blocked[0], 720, 780));
    rota_instance_free(I);
    rota_diags_free(&d);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_load instances/tiny-1.yaml\n");
        return 2;
    }
    rota_diags d;
    rota_diags_init(&d);
    rota_instance *I = NULL;
    rota_status st = rota_instance_load(argv[1], &I, &d);
    CHECK(st == ROTA_OK && I && d.n == 0);
    if (I) {
        check_defaults(I);
        check_staff(I);
        check_visits(I);
        check_travel(I);
    }
    rota_instance_free(I);
    rota_diags_free(&d);
    check_errors();
    check_segments();
    if (failures)
        fprintf(stderr, "%d checks failed\n", failures);
    return failures ? 1 : 0;
}
