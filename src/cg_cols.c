/* cg_cols.c - the master's columns: the store, and how a column enters
 * the GLPK problem.
 *
 * A column c of (k, d) with figures m[c,w] (visit + leg minutes in week w),
 * total[c] = sum_w m[c,w], n[c] items and cost[c] has the coefficients
 *
 *   cover row v        +1 for every item of visit v
 *   pattern row (k,d)  +1
 *   capacity row (k,w) m[c,w]
 *   sites row k        n[c]                      (when max_sites is given)
 *   balance rows k     total[c] / (W cap[k])     (both of them)
 *   joint row (a,d,t,weeks)  +1 for an item (a,t,p) with weeks(p) = weeks,
 *                      -1 for an item of a's partner b in that slot
 *                      (a < b; the row is created with the first column
 *                      that uses the slot, so every column is in every row
 *                      it belongs to, and a row that does not exist has no
 *                      column in it: its dual is 0)
 */
#include <stdlib.h>
#include <string.h>

#include "cg_int.h"

uint32_t cg_items_hash(int staff, int day, const rota_item *it, int n)
{
    uint32_t h = 2166136261u;
    h = (h ^ (uint32_t)staff) * 16777619u;
    h = (h ^ (uint32_t)day) * 16777619u;
    for (int i = 0; i < n; i++) {
        h = (h ^ (uint32_t)it[i].visit) * 16777619u;
        h = (h ^ (uint32_t)it[i].start) * 16777619u;
        h = (h ^ (uint32_t)it[i].phase) * 16777619u;
    }
    return h;
}

static int same_items(const cg_store *s, const cg_col *c, int staff, int day,
                      const rota_item *it, int n)
{
    if (c->staff != staff || c->day != day || c->n != n)
        return 0;
    const rota_item *a = s->items + c->first;
    for (int i = 0; i < n; i++)
        if (a[i].visit != it[i].visit || a[i].start != it[i].start ||
            a[i].phase != it[i].phase)
            return 0;
    return 1;
}

int cg_store_find(const cg_store *s, int staff, int day, const rota_item *it,
                  int n, uint32_t hash)
{
    if (!s->table)
        return -1;
    for (uint32_t i = hash & (uint32_t)s->table_mask;;
         i = (i + 1) & (uint32_t)s->table_mask) {
        int c = s->table[i];
        if (c < 0)
            return -1;
        if (s->col[c].hash == hash && same_items(s, &s->col[c], staff, day, it, n))
            return c;
    }
}

static void table_put(cg_store *s, int c)
{
    uint32_t i = s->col[c].hash & (uint32_t)s->table_mask;
    while (s->table[i] >= 0)
        i = (i + 1) & (uint32_t)s->table_mask;
    s->table[i] = c;
}

/* Keeps the table at most half full. */
static int table_grow(cg_store *s)
{
    if (s->table && 2 * (s->n + 1) <= s->table_mask + 1)
        return 0;
    int size = s->table ? 2 * (s->table_mask + 1) : 1024;
    int *t = malloc((size_t)size * sizeof *t);
    if (!t)
        return -1;
    free(s->table);
    s->table = t;
    s->table_mask = size - 1;
    memset(t, 0xff, (size_t)size * sizeof *t);
    for (int c = 0; c < s->n; c++)
        table_put(s, c);
    return 0;
}

int cg_store_add(cg_store *s, int staff, int day, const rota_item *it, int n,
                 uint32_t hash, const rota_colfig *fig)
{
    if (table_grow(s) < 0)
        return -1;
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 256;
        cg_col *c = realloc(s->col, (size_t)cap * sizeof *c);
        if (!c)
            return -1;
        s->col = c;
        s->cap = cap;
    }
    if (s->n_items + n > s->cap_items) {
        long cap = s->cap_items ? 2 * s->cap_items : 1024;
        while (cap < s->n_items + n)
            cap *= 2;
        rota_item *x = realloc(s->items, (size_t)cap * sizeof *x);
        if (!x)
            return -1;
        s->items = x;
        s->cap_items = cap;
    }
    memcpy(s->items + s->n_items, it, (size_t)n * sizeof *it);
    s->col[s->n] = (cg_col){.staff = staff, .day = day,
                            .first = (int)s->n_items, .n = n, .j = 0,
                            .hash = hash, .fig = *fig};
    s->n_items += n;
    table_put(s, s->n);
    return s->n++;
}

void cg_store_free(cg_store *s)
{
    free(s->col);
    free(s->items);
    free(s->table);
    memset(s, 0, sizeof *s);
}

/* ---- joint rows ------------------------------------------------------ */

static uint32_t slot_hash(int visit, int day, int start, unsigned weeks)
{
    uint32_t h = 2166136261u;
    h = (h ^ (uint32_t)visit) * 16777619u;
    h = (h ^ (uint32_t)day) * 16777619u;
    h = (h ^ (uint32_t)start) * 16777619u;
    h = (h ^ weeks) * 16777619u;
    return h;
}

static cg_joint *joint_slot(const rota_cg *cg, int visit, int day, int start,
                            unsigned weeks)
{
    if (!cg->joint)
        return NULL;
    uint32_t i = slot_hash(visit, day, start, weeks) & (uint32_t)cg->joint_mask;
    for (;; i = (i + 1) & (uint32_t)cg->joint_mask) {
        cg_joint *j = &cg->joint[i];
        if (j->row == 0 || (j->visit == visit && j->day == day &&
                            j->start == start && j->weeks == weeks))
            return j;
    }
}

int cg_joint_row(const rota_cg *cg, int visit, int day, int start,
                 unsigned weeks)
{
    const cg_joint *j = joint_slot(cg, visit, day, start, weeks);
    return j ? j->row : 0;
}

static int joint_grow(rota_cg *cg)
{
    if (cg->joint && 2 * (cg->n_joint + 1) <= cg->joint_mask + 1)
        return 0;
    int size = cg->joint ? 2 * (cg->joint_mask + 1) : 256;
    cg_joint *old = cg->joint;
    int old_size = old ? cg->joint_mask + 1 : 0;
    cg->joint = calloc((size_t)size, sizeof *cg->joint);
    if (!cg->joint) {
        cg->joint = old;
        return -1;
    }
    cg->joint_mask = size - 1;
    for (int i = 0; i < old_size; i++)
        if (old[i].row)
            *joint_slot(cg, old[i].visit, old[i].day, old[i].start,
                        old[i].weeks) = old[i];
    free(old);
    return 0;
}

/* The joint row of an item's slot, created when missing; its coefficient
 * for the item goes to *coef.  0 when the item is not joint, -1 on OOM. */
static int joint_row_for(rota_cg *cg, int day, const rota_item *it, int *coef)
{
    const rota_instance *inst = cg->inst;
    const rota_visit *v = &inst->visits[it->visit];
    if (v->partner < 0)
        return 0;
    int a = it->visit < v->partner ? it->visit : v->partner;
    unsigned weeks = rota_phase_weeks(v->every_weeks, it->phase, cg->W);
    *coef = it->visit == a ? 1 : -1;
    if (joint_grow(cg) < 0)
        return -1;
    cg_joint *j = joint_slot(cg, a, day, it->start, weeks);
    if (j->row == 0) {
        int r = glp_add_rows(cg->lp, 1);
        glp_set_row_bnds(cg->lp, r, GLP_FX, 0.0, 0.0);
        *j = (cg_joint){a, day, it->start, weeks, r};
        cg->n_joint++;
    }
    return j->row;
}

/* ---- a column enters the master ------------------------------------- */

static int sparse_room(rota_cg *cg, int n)
{
    if (n <= cg->sparse_cap)
        return 0;
    int cap = n * 2;
    int *ind = realloc(cg->sparse_ind, (size_t)(cap + 1) * sizeof *ind);
    if (!ind)
        return -1;
    cg->sparse_ind = ind;
    double *val = realloc(cg->sparse_val, (size_t)(cap + 1) * sizeof *val);
    if (!val)
        return -1;
    cg->sparse_val = val;
    cg->sparse_cap = cap;
    return 0;
}

/* Writes the column's coefficients (see the top of the file) into the
 * 1-based sparse arrays; returns their count, -1 on OOM. */
static int column_coefs(rota_cg *cg, const cg_col *c)
{
    const rota_instance *inst = cg->inst;
    const rota_item *it = cg->store.items + c->first;
    int k = c->staff, len = 0;
    if (sparse_room(cg, 2 * c->n + cg->W + 4 + CG_SR_MAX) < 0)
        return -1;
    int *ind = cg->sparse_ind;
    double *val = cg->sparse_val;
    for (int i = 0; i < c->n; i++) {
        ind[++len] = 1 + it[i].visit;
        val[len] = 1.0;
    }
    ind[++len] = cg->row_pattern[k * ROTA_DAYS + c->day];
    val[len] = 1.0;
    for (int w = 0; w < cg->W; w++)
        if (c->fig.load[w] > 0) {
            ind[++len] = cg->row_cap[k * cg->W + w];
            val[len] = c->fig.load[w];
        }
    if (cg->row_sites[k]) {
        ind[++len] = cg->row_sites[k];
        val[len] = c->n;
    }
    if (cg->row_bmax[k]) {
        double u = c->fig.total / (cg->W * inst->staff[k].capacity);
        ind[++len] = cg->row_bmax[k];
        val[len] = u;
        ind[++len] = cg->row_bmin[k];
        val[len] = u;
    }
    for (int i = 0; i < c->n; i++) {
        int coef, r = joint_row_for(cg, c->day, &it[i], &coef);
        if (r < 0)
            return -1;
        if (r > 0) {
            ind[++len] = r;
            val[len] = coef;
        }
    }
    int cuts = cg_sr_rows(cg, c, ind + len + 1);
    for (int i = 0; i < cuts; i++)
        val[++len] = 1.0;
    return len;
}

int cg_add_column(rota_cg *cg, int staff, int day, rota_item *items, int n,
                  int *added)
{
    rota_colfig fig;
    *added = 0;
    if (cg->row_pattern[staff * ROTA_DAYS + day] == 0 ||
        rota_col_figures(cg->inst, staff, day, items, n, &fig) < 0)
        return -2;
    uint32_t h = cg_items_hash(staff, day, items, n);
    int c = cg_store_find(&cg->store, staff, day, items, n, h);
    if (c < 0 && (c = cg_store_add(&cg->store, staff, day, items, n, h,
                                   &fig)) < 0)
        return -1;
    if (cg->store.col[c].j > 0)
        return c;
    /* new, or stored earlier by a call that ran out of memory here */
    int len = column_coefs(cg, &cg->store.col[c]);
    if (len < 0)
        return -1;
    int j = glp_add_cols(cg->lp, 1);
    glp_set_col_bnds(cg->lp, j, GLP_LO, 0.0, 0.0);
    glp_set_obj_coef(cg->lp, j, fig.cost);
    glp_set_mat_col(cg->lp, j, len, cg->sparse_ind, cg->sparse_val);
    cg->store.col[c].j = j;
    *added = 1;
    return c;
}

int cg_add_column_class(rota_cg *cg, int staff, int day, rota_item *items,
                        int n, int *added)
{
    int c = cg_add_column(cg, staff, day, items, n, added);
    if (c < 0)
        return c;
    for (int m = cg->rep[staff]; m >= 0; m = cg->next_member[m]) {
        int more;
        if (m == staff)
            continue;
        int x = cg_add_column(cg, m, day, items, n, &more);
        if (x == -1)
            return -1;
        if (x == -2)
            cg->st.bad_columns++;   /* a member refused its twin: a bug */
        *added += more;
    }
    return c;
}

int cg_add_column_spread(rota_cg *cg, int staff, int day, rota_item *items,
                         int n, int *added)
{
    *added = 0;
    for (int m = cg->rep[staff]; m >= 0; m = cg->next_member[m]) {
        uint32_t h = cg_items_hash(m, day, items, n);
        int c = cg_store_find(&cg->store, m, day, items, n, h);
        if (c >= 0 && cg->store.col[c].j > 0)
            continue;
        return cg_add_column(cg, m, day, items, n, added);
    }
    return cg_add_column(cg, staff, day, items, n, added);  /* all have it */
}
