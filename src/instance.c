/* instance.c - the instance model's helpers: freeing, lookups, small
 * derived facts.  Loading is in load_yaml.c and matrix_csv.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rota/instance.h"

const char *const rota_day_names[ROTA_DAYS] = {
    "mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static void spans_free(rota_spans *s, int n)
{
    for (int i = 0; i < n; i++)
        free(s[i].v);
}

void rota_instance_free(rota_instance *inst)
{
    if (!inst)
        return;
    free(inst->path);
    free(inst->name);
    free(inst->matrix_path);
    spans_free(inst->blocked, ROTA_DAYS);
    for (int i = 0; i < inst->n_offices; i++) {
        free(inst->offices[i].id);
        free(inst->offices[i].name);
    }
    free(inst->offices);
    for (int i = 0; i < inst->n_staff; i++) {
        rota_staff *s = &inst->staff[i];
        free(s->id);
        free(s->name);
        spans_free(s->avail, ROTA_DAYS);
        spans_free(s->blocked, ROTA_DAYS);
        spans_free(s->seg, ROTA_DAYS);
        free(s->districts);
    }
    free(inst->staff);
    for (int i = 0; i < inst->n_sites; i++) {
        free(inst->sites[i].id);
        free(inst->sites[i].name);
    }
    free(inst->sites);
    for (int i = 0; i < inst->n_visits; i++) {
        rota_visit *v = &inst->visits[i];
        spans_free(v->windows, ROTA_DAYS);
        spans_free(v->preferred, ROTA_DAYS);
        free(v->allowed);
    }
    free(inst->visits);
    for (int i = 0; i < inst->n_roles; i++)
        free(inst->roles[i]);
    free(inst->roles);
    for (int i = 0; i < inst->n_districts; i++)
        free(inst->districts[i]);
    free(inst->districts);
    free(inst->travel);
    free(inst);
}

int rota_find_staff(const rota_instance *inst, const char *id)
{
    for (int i = 0; i < inst->n_staff; i++)
        if (strcmp(inst->staff[i].id, id) == 0)
            return i;
    return -1;
}

int rota_find_site(const rota_instance *inst, const char *id)
{
    for (int i = 0; i < inst->n_sites; i++)
        if (strcmp(inst->sites[i].id, id) == 0)
            return i;
    return -1;
}

int rota_find_role(const rota_instance *inst, const char *word)
{
    for (int i = 0; i < inst->n_roles; i++)
        if (strcmp(inst->roles[i], word) == 0)
            return i;
    return -1;
}

int rota_find_visit(const rota_instance *inst, int site, int role)
{
    const rota_site *s = &inst->sites[site];
    for (int v = s->first_visit; v < s->first_visit + s->n_visits; v++)
        if (inst->visits[v].role == role)
            return v;
    return -1;
}

int rota_day_from_name(const char *s)
{
    for (int d = 0; d < ROTA_DAYS; d++)
        if (strcmp(rota_day_names[d], s) == 0)
            return d;
    return -1;
}

unsigned rota_phase_weeks(int every_weeks, int phase, int cycle_weeks)
{
    unsigned m = 0;
    for (int w = phase; w <= cycle_weeks; w += every_weeks)
        m |= 1u << (w - 1);
    return m;
}

int rota_phase_of(int every_weeks, unsigned weeks, int cycle_weeks)
{
    for (int p = 1; p <= every_weeks; p++)
        if (rota_phase_weeks(every_weeks, p, cycle_weeks) == weeks)
            return p;
    return 0;
}

static int in_list(const int *xs, int n, int x)
{
    for (int i = 0; i < n; i++)
        if (xs[i] == x)
            return 1;
    return 0;
}

int rota_staff_may_take(const rota_instance *inst, int staff, int visit)
{
    const rota_staff *k = &inst->staff[staff];
    const rota_visit *v = &inst->visits[visit];
    if (k->role != v->role)
        return 0;
    if (v->n_allowed >= 0 && !in_list(v->allowed, v->n_allowed, staff))
        return 0;
    int district = inst->sites[v->site].district;
    if (k->n_districts >= 0 && district >= 0 &&
        !in_list(k->districts, k->n_districts, district))
        return 0;
    if (v->pin.staff >= 0 && v->pin.staff != staff)
        return 0;
    return 1;
}

const char *rota_fmt_time(int minutes, char buf[6])
{
    if (minutes < 0 || minutes > 24 * 60)
        snprintf(buf, 6, "??:??");
    else
        snprintf(buf, 6, "%02d:%02d", minutes / 60, minutes % 60);
    return buf;
}

int rota_parse_time(const char *s)
{
    if (!s || strlen(s) != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return -1;
    return h * 60 + m;
}
