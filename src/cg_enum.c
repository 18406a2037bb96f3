/* cg_enum.c - every column of a small instance: the exact master.
 *
 * Two columns of (k, d) are equivalent when their items have the same
 * (visit, phase, segment) in the same order and the same starts for joint
 * visits.  They then have the same legs in every week (legs depend on the
 * places and the tours only), so the same coefficients in every row (cover,
 * pattern, capacity, sites, balance, joint); they differ only in the soft
 * costs of their starts.  An optimal roster that uses a column can use the
 * cheapest member of its class instead, so the integer master over one
 * cheapest member per class has the optimum of the whole problem, and its
 * LP (and the Lagrangian bound over it) is the full LP relaxation.
 *
 * rota_enumerate() yields at least one cheapest member per class (see
 * pricing.c); here each class keeps its cheapest, and all of them enter the
 * master when the budgets (labels, classes, time) suffice.  st.exact is set
 * only then.
 */
#include <stdlib.h>
#include <string.h>

#include "cg_int.h"

#define ENUM_MAX_LABELS 300000L   /* over all (k, d) */
#define ENUM_MAX_CLASSES 200000

typedef struct eclass {
    uint32_t hash;
    int staff, day, n;
    long first;               /* items in enum_state.items */
    double cost;
} eclass;

typedef struct enum_state {
    rota_cg *cg;
    eclass *cls;
    int n_cls, cap_cls;
    int *table;
    int mask;
    rota_item *items;
    long n_items, cap_items;
    int overflow;
} enum_state;

static int item_seg(const rota_instance *inst, int staff, int day,
                    const rota_item *it)
{
    const rota_spans *s = &inst->staff[staff].seg[day];
    int end = it->start + inst->visits[it->visit].minutes;
    for (int i = 0; i < s->n; i++)
        if (s->v[i].start <= it->start && end <= s->v[i].end)
            return i;
    return -1;
}

/* The start as far as the class is concerned: only joint visits' count. */
static int class_start(const rota_instance *inst, const rota_item *it)
{
    return inst->visits[it->visit].partner >= 0 ? it->start : -1;
}

static uint32_t class_hash(const rota_instance *inst, int staff, int day,
                           const rota_item *it, int n)
{
    uint32_t h = 2166136261u;
    h = (h ^ (uint32_t)staff) * 16777619u;
    h = (h ^ (uint32_t)day) * 16777619u;
    for (int i = 0; i < n; i++) {
        h = (h ^ (uint32_t)it[i].visit) * 16777619u;
        h = (h ^ (uint32_t)it[i].phase) * 16777619u;
        h = (h ^ (uint32_t)item_seg(inst, staff, day, &it[i])) * 16777619u;
        h = (h ^ (uint32_t)class_start(inst, &it[i])) * 16777619u;
    }
    return h;
}

static int same_class(const enum_state *e, const eclass *c, int staff,
                      int day, const rota_item *it, int n)
{
    const rota_instance *inst = e->cg->inst;
    if (c->staff != staff || c->day != day || c->n != n)
        return 0;
    const rota_item *a = e->items + c->first;
    for (int i = 0; i < n; i++)
        if (a[i].visit != it[i].visit || a[i].phase != it[i].phase ||
            item_seg(inst, staff, day, &a[i]) !=
                item_seg(inst, staff, day, &it[i]) ||
            class_start(inst, &a[i]) != class_start(inst, &it[i]))
            return 0;
    return 1;
}

static int room(enum_state *e, int n)
{
    if (e->n_cls == e->cap_cls) {
        int cap = e->cap_cls ? 2 * e->cap_cls : 1024;
        eclass *c = realloc(e->cls, (size_t)cap * sizeof *c);
        if (!c)
            return -1;
        e->cls = c;
        e->cap_cls = cap;
        int *t = malloc((size_t)(2 * cap) * sizeof *t);
        if (!t)
            return -1;
        free(e->table);
        e->table = t;
        e->mask = 2 * cap - 1;
        memset(t, 0xff, (size_t)(2 * cap) * sizeof *t);
        for (int i = 0; i < e->n_cls; i++) {
            uint32_t h = e->cls[i].hash & (uint32_t)e->mask;
            while (e->table[h] >= 0)
                h = (h + 1) & (uint32_t)e->mask;
            e->table[h] = i;
        }
    }
    if (e->n_items + n > e->cap_items) {
        long cap = e->cap_items ? 2 * e->cap_items : 4096;
        while (cap < e->n_items + n)
            cap *= 2;
        rota_item *x = realloc(e->items, (size_t)cap * sizeof *x);
        if (!x)
            return -1;
        e->items = x;
        e->cap_items = cap;
    }
    return 0;
}

/* Sink: keeps the cheapest column of each class. */
static int on_column(void *user, int staff, int day, const rota_item *it,
                     int n, double cost)
{
    enum_state *e = user;
    const rota_instance *inst = e->cg->inst;
    uint32_t h = class_hash(inst, staff, day, it, n);
    if (e->table) {
        for (uint32_t i = h & (uint32_t)e->mask;; i = (i + 1) & (uint32_t)e->mask) {
            int c = e->table[i];
            if (c < 0)
                break;
            eclass *x = &e->cls[c];
            if (x->hash == h && same_class(e, x, staff, day, it, n)) {
                if (cost < x->cost) {
                    x->cost = cost;
                    memcpy(e->items + x->first, it, (size_t)n * sizeof *it);
                }
                return 0;
            }
        }
    }
    if (e->n_cls >= ENUM_MAX_CLASSES) {
        e->overflow = 1;
        return 1;
    }
    if (room(e, n) < 0)
        return 1;
    e->cls[e->n_cls] = (eclass){h, staff, day, n, e->n_items, cost};
    memcpy(e->items + e->n_items, it, (size_t)n * sizeof *it);
    e->n_items += n;
    uint32_t i = h & (uint32_t)e->mask;
    while (e->table[i] >= 0)
        i = (i + 1) & (uint32_t)e->mask;
    e->table[i] = e->n_cls++;
    return 0;
}

/* Runs the enumeration of every (k, d); 0 complete, 1 over budget, -1 OOM. */
static int enumerate_all(enum_state *e, double deadline)
{
    rota_cg *cg = e->cg;
    long left = ENUM_MAX_LABELS;
    for (int k = 0; k < cg->K; k++)
        for (int d = 0; d < ROTA_DAYS; d++) {
            long labels = 0;
            if (cg->row_pattern[k * ROTA_DAYS + d] == 0 || cg->rep[k] != k)
                continue;               /* members get their rep's columns */
            if (deadline > 0 && rota_now() > deadline)
                return 1;
            int r = rota_enumerate(cg->pricer, k, d, left, on_column, e,
                                   &labels);
            cg->st.labels += labels;
            left -= labels;
            if (r != 0)
                return e->overflow || r == 1 ? 1 : -1;
            if (left <= 0)
                return 1;
        }
    return 0;
}

int cg_enumerate(rota_cg *cg, double deadline)
{
    enum_state e = {.cg = cg};
    int rc = 0;
    cg->enum_tried = 1;
    double t0 = rota_now();
    int r = enumerate_all(&e, deadline);
    cg->st.pricing_seconds += rota_now() - t0;
    if (r < 0) {
        rc = -1;
        goto done;
    }
    if (r > 0)
        goto done;          /* too big: column generation instead */
    int bad = 0;
    for (int i = 0; i < e.n_cls; i++) {
        int added;
        eclass *c = &e.cls[i];
        int x = cg_add_column_class(cg, c->staff, c->day, e.items + c->first,
                                    c->n, &added);
        if (x == -1) {
            rc = -1;
            goto done;
        }
        if (x == -2)
            bad++;
        cg->st.cols_generated += added;
    }
    cg->st.exact = bad == 0;
done:
    free(e.cls);
    free(e.table);
    free(e.items);
    return rc;
}
