/* load_sites.c - the loader's sites and visits (spec section 1): kinds,
 * locations, districts, need, and per visit its role, length, frequency,
 * windows, preferences, current slot, pin, allowed staff and joint partner.
 *
 * Visits are read in one pass; what depends on all visits of a site (one
 * visit per role, `with`) is checked in a second pass, when every role of
 * the file is known.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

static const char *const site_keys[] = {
    "id", "name", "kind", "location", "district", "need", "visits", NULL};
static const char *const visit_keys[] = {
    "role", "minutes", "every_weeks", "windows", "preferred", "current", "pin",
    "staff_allowed", "with", NULL};
static const char *const slot_keys[] = {"staff", "day", "start", NULL};
static const char *const kind_names[] = {
    "school", "daycare", "family_daycare", "other", NULL};

/* ---- one visit ---- */

/* current and pin: {staff, day, start}, any part. */
static void slot_ref(ld *L, const yt_node *m, const char *key, rota_slot_ref *r)
{
    char what[16];
    const yt_node *n;
    if (ld_is_map(L, m, key) < 0)
        return;
    snprintf(what, sizeof what, "in %s", key);
    ld_keys(L, m, what, slot_keys);
    if ((n = yt_get(m, "staff")))
        r->staff = ld_ref(L, n, "staff", 1);
    if ((n = yt_get(m, "day")))
        r->day = ld_day(L, n);
    if ((n = yt_get(m, "start")))
        r->start = ld_time(L, n, "start");
}

/* A pin names a staff member who could take the visit: of its role. */
static void check_pin_role(ld *L, const rota_visit *v, const yt_node *pin)
{
    const rota_instance *I = L->inst;
    if (v->pin.staff < 0 || v->role < 0)
        return;
    const rota_staff *k = &I->staff[v->pin.staff];
    if (k->role >= 0 && k->role != v->role)
        ld_err(L, yt_get(pin, "staff"), "pinned staff member '%s' is a %s, "
               "but this visit needs a %s", k->id, I->roles[k->role],
               I->roles[v->role]);
}

static void staff_allowed(ld *L, rota_visit *v, const yt_node *n)
{
    if (ld_is_seq(L, n, "staff_allowed") < 0)
        return;
    if (n->n == 0) {
        ld_err(L, n, "staff_allowed is empty: nobody could take this visit");
        return;
    }
    v->allowed = ld_calloc(L, (size_t)n->n, sizeof *v->allowed);
    if (!v->allowed)
        return;
    const yt_node **at = ld_calloc(L, (size_t)n->n, sizeof *at);
    if (!at)
        return;
    int m = 0;
    for (int i = 0; i < n->n; i++) {
        int k = ld_ref(L, n->kids[i], "staff", 1);
        if (k >= 0)
            at[m] = n->kids[i], v->allowed[m++] = k;
    }
    v->n_allowed = ld_unique(L, v->allowed, at, m, "staff member");
    free(at);
}

static void default_windows(ld *L, rota_visit *v)
{
    const rota_instance *I = L->inst;
    for (int d = 0; d < ROTA_DAYS; d++)
        if ((I->days_mask & (1u << d)) &&
            spans_add(&v->windows[d], I->day_start, I->day_end) < 0)
            L->oom = 1;
}

static void visit_weeks(ld *L, rota_visit *v, const yt_node *n)
{
    int cycle = L->inst->cycle_weeks;
    if (ld_weeks(L, n, "every_weeks", &v->every_weeks) < 0)
        return;
    if (cycle % v->every_weeks) {
        ld_err(L, n, "every_weeks %d must divide week.cycle_weeks %d",
               v->every_weeks, cycle);
        v->every_weeks = 1;
    }
}

/* `with` is resolved later (site_checks); its node is kept in withn. */
static void load_visit(ld *L, const yt_node *m, int site, const yt_node **withn)
{
    rota_instance *I = L->inst;
    int vi = I->n_visits++;
    rota_visit *v = &I->visits[vi];
    const yt_node *n;
    const char *s;
    v->site = site;
    v->role = v->with = v->partner = -1;
    v->every_weeks = 1;
    v->current = v->pin = (rota_slot_ref){-1, -1, -1};
    v->n_allowed = -1;
    v->pos = (rota_pos){m->line, m->col};
    if (ld_is_map(L, m, "a visit") < 0)
        return;
    ld_keys(L, m, "in visit", visit_keys);
    if ((n = ld_need(L, m, "role", "in visit")) && ld_word(L, n, "role", &s) == 0)
        v->role = ld_role(L, s);
    if ((n = ld_need(L, m, "minutes", "in visit")))
        ld_int(L, n, "minutes", 1, 1440, &v->minutes);
    if ((n = yt_get(m, "every_weeks")))
        visit_weeks(L, v, n);
    if ((n = yt_get(m, "windows")))
        ld_daymap(L, n, "windows", v->windows);
    else
        default_windows(L, v);
    if ((n = yt_get(m, "preferred"))) {
        v->has_preferred = 1;
        ld_daymap(L, n, "preferred", v->preferred);
    }
    if ((n = yt_get(m, "current")))
        slot_ref(L, n, "current", &v->current);
    if ((n = yt_get(m, "pin"))) {
        slot_ref(L, n, "pin", &v->pin);
        check_pin_role(L, v, n);
    }
    if ((n = yt_get(m, "staff_allowed")))
        staff_allowed(L, v, n);
    withn[vi] = yt_get(m, "with");
}

/* ---- one site ---- */

static void site_kind(ld *L, rota_site *s, const yt_node *n)
{
    const char *w;
    if (ld_str(L, n, "kind", &w) < 0)
        return;
    for (int i = 0; kind_names[i]; i++)
        if (strcmp(w, kind_names[i]) == 0) {
            s->kind = (rota_site_kind)i;
            return;
        }
    const char *near = ld_closest(w, kind_names, 4);
    if (near)
        ld_err(L, n, "unknown kind '%s'; did you mean '%s'?", w, near);
    else
        ld_err(L, n, "unknown kind '%s' (kinds are school, daycare, "
               "family_daycare, other)", w);
}

static void site_visits(ld *L, rota_site *s, int idx, const yt_node *m,
                        const yt_node **withn)
{
    const yt_node *n = ld_need(L, m, "visits", "in site");
    if (!n || ld_is_seq(L, n, "visits") < 0)
        return;
    if (n->n == 0) {
        ld_err(L, n, "visits is empty: a site needs at least one visit");
        return;
    }
    for (int i = 0; i < n->n && !L->oom; i++)
        load_visit(L, n->kids[i], idx, withn);
    s->n_visits = L->inst->n_visits - s->first_visit;
}

static void load_site(ld *L, const yt_node *m, int idx, const yt_node **withn)
{
    rota_instance *I = L->inst;
    rota_site *s = &I->sites[idx];
    unsigned char *bad = &L->place_bad[I->n_offices + idx];
    const yt_node *n;
    const char *w;
    s->pos = (rota_pos){m->line, m->col};
    s->kind = ROTA_KIND_OTHER;
    s->district = -1;
    s->need = 1;
    s->first_visit = I->n_visits;
    if (ld_is_map(L, m, "a site") < 0) {
        *bad = 1;
        return;
    }
    ld_keys(L, m, "in site", site_keys);
    if ((n = ld_need(L, m, "id", "in site")) && ld_id(L, n, "id", &w) == 0 &&
        ld_claim_id(L, n, w, &L->site_ids, idx) == 0)
        s->id = ld_strdup(L, w);
    if (!s->id)
        *bad = 1;
    if ((n = yt_get(m, "name")) && ld_str(L, n, "name", &w) == 0)
        s->name = ld_strdup(L, w);
    else if (s->id)
        s->name = ld_strdup(L, s->id);
    if ((n = yt_get(m, "kind")))
        site_kind(L, s, n);
    if ((n = yt_get(m, "location")) &&
        ld_location(L, n, &s->has_loc, &s->lat, &s->lon) < 0)
        *bad = 1;
    if ((n = yt_get(m, "district")) && ld_word(L, n, "district", &w) == 0)
        s->district = ld_district(L, w);
    if ((n = yt_get(m, "need")) && ld_num(L, n, "need", &s->need) == 0 &&
        s->need < 0) {
        ld_err(L, n, "need must be at least 0 (got %s)", n->str);
        s->need = 1;
    }
    site_visits(L, s, idx, m, withn);
}

/* ---- per-site checks: one visit per role, joint visits ---- */

typedef struct role_index {
    int *site;    /* per role: the last site seen with a visit of it */
    int *visit;   /* per role: that visit */
} role_index;

static void one_per_role(ld *L, int s, role_index *ri)
{
    const rota_instance *I = L->inst;
    const rota_site *site = &I->sites[s];
    for (int v = site->first_visit; v < site->first_visit + site->n_visits; v++) {
        int r = I->visits[v].role;
        if (r < 0)
            continue;
        if (ri->site[r] == s)
            ld_err_at(L, I->visits[v].pos.line, I->visits[v].pos.col,
                      "site '%s' has two visits of role '%s' (first at line %d)",
                      site->id ? site->id : "?", I->roles[r],
                      I->visits[ri->visit[r]].pos.line);
        else
            ri->site[r] = s, ri->visit[r] = v;
    }
}

/* with: ROLE -> the index of that role's visit at this site, or -1. */
static int resolve_with(ld *L, int s, int v, const yt_node *n, role_index *ri)
{
    const rota_site *site = &L->inst->sites[s];
    const char *w;
    if (ld_word(L, n, "with", &w) < 0)
        return -1;
    int r = strmap_get(&L->roles, w);
    if (r < 0 || ri->site[r] != s) {
        ld_err(L, n, "with: site '%s' has no visit of role '%s'",
               site->id ? site->id : "?", w);
        return -1;
    }
    if (ri->visit[r] == v) {
        ld_err(L, n, "with: a visit cannot be joint with itself");
        return -1;
    }
    return ri->visit[r];
}

/* Joint visits come in pairs: the target of a `with` has no `with` of its
 * own and no other partner, and both happen equally often. */
static void pair_up(ld *L, int v, const yt_node *n)
{
    rota_visit *a = &L->inst->visits[v];
    rota_visit *b = &L->inst->visits[a->with];
    const char *r = L->inst->roles[b->role];
    if (b->with >= 0)
        ld_err(L, n, "with: the %s visit is itself joint with another "
               "visit; join both to the same one", r);
    else if (b->partner >= 0)
        ld_err(L, n, "with: the %s visit already has a joint visit", r);
    else if (a->every_weeks != b->every_weeks)
        ld_err(L, n, "with: joint visits must have the same every_weeks "
               "(%d here, %d for the %s visit)", a->every_weeks,
               b->every_weeks, r);
    else
        a->partner = a->with, b->partner = v;
}

static void site_checks(ld *L, const yt_node **withn)
{
    rota_instance *I = L->inst;
    role_index ri;
    ri.site = ld_calloc(L, (size_t)I->n_roles, sizeof(int));
    ri.visit = ld_calloc(L, (size_t)I->n_roles, sizeof(int));
    if (!ri.site || !ri.visit)
        goto done;
    for (int r = 0; r < I->n_roles; r++)
        ri.site[r] = -1;
    for (int s = 0; s < I->n_sites; s++) {
        const rota_site *site = &I->sites[s];
        int v0 = site->first_visit, v1 = v0 + site->n_visits;
        one_per_role(L, s, &ri);
        for (int v = v0; v < v1; v++)
            if (withn[v])
                I->visits[v].with = resolve_with(L, s, v, withn[v], &ri);
        for (int v = v0; v < v1; v++)
            if (I->visits[v].with >= 0)
                pair_up(L, v, withn[v]);
    }
done:
    free(ri.site);
    free(ri.visit);
}

/* ---- all sites ---- */

static int count_visits(const yt_node *list)
{
    int n = 0;
    for (int i = 0; i < list->n; i++) {
        const yt_node *v = yt_get(list->kids[i], "visits");
        if (v && v->kind == YT_SEQ)
            n += v->n;
    }
    return n;
}

void ld_sites(ld *L, const yt_node *root)
{
    rota_instance *I = L->inst;
    const yt_node *list = ld_list(L, root, "sites", "site");
    if (!list)
        return;
    int nv = count_visits(list);
    const yt_node **withn = ld_calloc(L, (size_t)nv, sizeof *withn);
    I->sites = ld_calloc(L, (size_t)list->n, sizeof *I->sites);
    I->visits = ld_calloc(L, (size_t)nv, sizeof *I->visits);
    if (!withn || !I->sites || !I->visits)
        goto done;
    for (int i = 0; i < list->n && !L->oom; i++) {
        I->n_sites = i + 1;
        load_site(L, list->kids[i], i, withn);
    }
    if (!L->oom)
        site_checks(L, withn);
done:
    free(withn);
}

/* A staff member's districts must be words some site uses: a misspelt
 * district would otherwise silently leave that person without sites. */
void ld_check_staff_districts(ld *L, const yt_node *root)
{
    const rota_instance *I = L->inst;
    const yt_node *list = yt_get(root, "staff");
    if (!list || list->kind != YT_SEQ || I->n_sites == 0)
        return;
    char *used = ld_calloc(L, (size_t)I->n_districts, 1);
    if (!used)
        return;
    for (int s = 0; s < I->n_sites; s++)
        if (I->sites[s].district >= 0)
            used[I->sites[s].district] = 1;
    for (int i = 0; i < list->n; i++) {
        const yt_node *ds = yt_get(list->kids[i], "districts");
        for (int j = 0; ds && ds->kind == YT_SEQ && j < ds->n; j++) {
            const yt_node *w = ds->kids[j];
            int d = w->kind == YT_SCALAR ? strmap_get(&L->districts, w->str) : -1;
            if (d >= 0 && !used[d])
                ld_err(L, w, "no site is in district '%s'", w->str);
        }
    }
    free(used);
}
