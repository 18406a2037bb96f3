/* pin.c - a roster's assignments as pins or current assignments (see
 * rota/pin.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rota/edit.h"
#include "rota/pin.h"

void rota_pin_params_init(rota_pin_params *p)
{
    memset(p, 0, sizeof *p);
    p->parts = ROTA_PIN_STAFF | ROTA_PIN_DAY | ROTA_PIN_START;
}

static int listed(const char *const *xs, int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (strcmp(xs[i], id) == 0)
            return 1;
    return 0;
}

/* Whether visit v's assignment is to be written. */
static int selected(const rota_instance *inst, const rota_roster *r,
                    const rota_pin_params *p, int v)
{
    const rota_assign *a = &r->a[v];
    if (a->staff < 0)
        return 0;
    if (p->sites && !listed(p->sites, p->n_sites,
                            inst->sites[inst->visits[v].site].id))
        return 0;
    if (p->staff && !listed(p->staff, p->n_staff, inst->staff[a->staff].id))
        return 0;
    if (!p->as_current && listed(p->without, p->n_without, inst->staff[a->staff].id))
        return 0;
    return 1;
}

static rota_slot_ref ref_of(const rota_assign *a, unsigned parts)
{
    return (rota_slot_ref){parts & ROTA_PIN_STAFF ? a->staff : -1,
                           parts & ROTA_PIN_DAY ? a->day : -1,
                           parts & ROTA_PIN_START ? a->start : -1};
}

static int check_ids(const rota_instance *inst, const rota_pin_params *p,
                     rota_diags *d)
{
    int bad = 0;
    for (int i = 0; i < p->n_sites; i++)
        if (rota_find_site(inst, p->sites[i]) < 0) {
            rota_diags_add(d, inst->path, 0, 0, "no site '%s'", p->sites[i]);
            bad = 1;
        }
    for (int i = 0; i < p->n_staff; i++)
        if (rota_find_staff(inst, p->staff[i]) < 0) {
            rota_diags_add(d, inst->path, 0, 0, "no staff member '%s'", p->staff[i]);
            bad = 1;
        }
    for (int i = 0; i < p->n_without; i++) {
        int k = rota_find_staff(inst, p->without[i]);
        if (k < 0) {
            rota_diags_add(d, inst->path, 0, 0, "no staff member '%s'", p->without[i]);
            bad = 1;
            continue;
        }
        for (int v = 0; v < inst->n_visits; v++)
            if (inst->visits[v].pin.staff == k) {
                rota_diags_add(d, inst->path, inst->visits[v].pos.line,
                               inst->visits[v].pos.col, "%s cannot leave: "
                               "the visit here is pinned to them", p->without[i]);
                bad = 1;
            }
    }
    return bad;
}

rota_status rota_pin_apply(rota_instance *inst, const rota_roster *r,
                           const rota_pin_params *p, int *n_set,
                           rota_diags *diags)
{
    *n_set = 0;
    if (check_ids(inst, p, diags))
        return ROTA_EINPUT;
    for (int v = 0; v < inst->n_visits; v++) {
        if (!selected(inst, r, p, v))
            continue;
        rota_slot_ref ref = ref_of(&r->a[v], p->parts);
        if (p->as_current)
            inst->visits[v].current = ref;
        else
            inst->visits[v].pin = ref;
        (*n_set)++;
    }
    for (int i = 0; i < p->n_without; i++) {
        int k = rota_find_staff(inst, p->without[i]);
        if (k >= 0 && rota_instance_remove_staff(inst, k) != ROTA_OK)
            return ROTA_EINPUT;   /* checked above: not reached */
    }
    return ROTA_OK;
}

char *rota_pin_fragment(const rota_instance *inst, const rota_roster *r,
                        const rota_pin_params *p)
{
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
#define OUT(...)                                                            \
    do {                                                                    \
        int len_ = snprintf(NULL, 0, __VA_ARGS__);                          \
        if (n + (size_t)len_ + 1 > cap) {                                   \
            cap = 2 * cap + (size_t)len_;                                   \
            char *t_ = realloc(s, cap);                                     \
            if (!t_) { free(s); return NULL; }                              \
            s = t_;                                                         \
        }                                                                   \
        snprintf(s + n, cap - n, __VA_ARGS__);                              \
        n += (size_t)len_;                                                  \
    } while (0)
    OUT("# %s of a roster for %s: merge each visit's %s into the instance\n"
        "sites:\n", p->as_current ? "current assignments" : "pins",
        inst->path ? inst->path : "the instance", p->as_current ? "current" : "pin");
    for (int st = 0; st < inst->n_sites; st++) {
        const rota_site *site = &inst->sites[st];
        int head = 0;
        for (int v = site->first_visit; v < site->first_visit + site->n_visits; v++) {
            if (!selected(inst, r, p, v))
                continue;
            if (!head++)
                OUT("  - id: %s\n    visits:\n", site->id);
            rota_slot_ref ref = ref_of(&r->a[v], p->parts);
            const char *sep = "";
            char t[6];
            OUT("      - {role: %s, %s: {", inst->roles[inst->visits[v].role],
                p->as_current ? "current" : "pin");
            if (ref.staff >= 0 && !(p->as_current &&
                listed(p->without, p->n_without, inst->staff[ref.staff].id))) {
                OUT("staff: %s", inst->staff[ref.staff].id);
                sep = ", ";
            }
            if (ref.day >= 0) {
                OUT("%sday: %s", sep, rota_day_names[ref.day]);
                sep = ", ";
            }
            if (ref.start >= 0)
                OUT("%sstart: \"%s\"", sep, rota_fmt_time(ref.start, t));
            OUT("}}\n");
        }
    }
#undef OUT
    return s;
}
