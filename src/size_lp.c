/* size_lp.c - a lower bound on the travel of any roster that covers every
 * visit of a role, for `rota size`'s proofs (internal: size_lp.h).
 *
 * In a roster each occurrence of a visit (a visit every e weeks occurs
 * W / e times in a W-week cycle) is entered by exactly one leg, from the
 * office or from another visit of the same staff member's tour that day,
 * and left by exactly one.  Relaxing tours to "every occurrence has one
 * predecessor and one successor" gives an assignment problem whose optimum
 * bounds the legs of the cycle from below - much tighter than the nearest
 * leg into each visit that presolve counts, since two visits cannot both
 * take the same nearest neighbour.  Arcs that no day allows (the first
 * cannot end, plus the leg, before the second's latest start on any common
 * day) are left out, and at least ceil(occurrences / max_visits_per_day)
 * tours leave the office.  The LP is solved with GLPK's simplex; its value
 * less a tolerance is the bound.
 */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "size_lp.h"
#include "rota/travel.h"

static int swallow(void *info, const char *s)
{
    (void)info;
    (void)s;
    return 1;
}

/* Earliest end and latest start of visit v on day d (slot grid); 0 when
 * it has no room that day. */
static int day_span(const rota_instance *t, int v, int d, int *end, int *start)
{
    const rota_visit *x = &t->visits[v];
    int sl = t->slot_minutes > 0 ? t->slot_minutes : 1, ok = 0;
    *end = 1 << 30;
    *start = -1;
    for (int i = 0; i < x->windows[d].n; i++) {
        rota_span w = x->windows[d].v[i];
        int first = (w.start + sl - 1) / sl * sl;
        int last = (w.end - x->minutes) / sl * sl;
        if (last < first)
            continue;
        ok = 1;
        *end = first + x->minutes < *end ? first + x->minutes : *end;
        *start = last > *start ? last : *start;
    }
    return ok;
}

/* Whether visit a can precede visit b in one tour on some day. */
static int arc_ok(const rota_instance *t, int a, int b)
{
    int leg = rota_leg_minutes(t, rota_visit_place(t, a), rota_visit_place(t, b));
    for (int d = 0; d < ROTA_DAYS; d++) {
        int ea, sa, eb, sb;
        if (day_span(t, a, d, &ea, &sa) && day_span(t, b, d, &eb, &sb) &&
            ea + leg <= sb)
            return 1;
    }
    return 0;
}

/* Shortest legs between visit v's site and an office of the role. */
static void office_legs(const rota_instance *t, int role, int v, int *out,
                        int *back)
{
    int p = rota_visit_place(t, v);
    *out = *back = 1 << 29;
    for (int k = 0; k < t->n_staff; k++) {
        if (t->staff[k].role != role)
            continue;
        int o = t->staff[k].office;
        int a = rota_leg_minutes(t, o, p), b = rota_leg_minutes(t, p, o);
        *out = a < *out ? a : *out;
        *back = b < *back ? b : *back;
    }
}

typedef struct lp {
    glp_prob *P;
    int *ia, *ja;
    double *ar;
    int nz, cap;
} lp;

static int add_col(lp *m, int out_row, int in_row, double cost)
{
    if (m->nz + 3 > m->cap) {
        int cap = m->cap * 2 + 1024;
        int *ia = realloc(m->ia, (size_t)cap * sizeof *ia);
        if (ia)
            m->ia = ia;
        int *ja = realloc(m->ja, (size_t)cap * sizeof *ja);
        if (ja)
            m->ja = ja;
        double *ar = realloc(m->ar, (size_t)cap * sizeof *ar);
        if (ar)
            m->ar = ar;
        if (!ia || !ja || !ar)
            return -1;
        m->cap = cap;
    }
    int j = glp_add_cols(m->P, 1);
    glp_set_col_bnds(m->P, j, GLP_LO, 0, 0);
    glp_set_obj_coef(m->P, j, cost);
    if (out_row) {
        m->nz++;
        m->ia[m->nz] = out_row;
        m->ja[m->nz] = j;
        m->ar[m->nz] = 1;
    }
    if (in_row) {
        m->nz++;
        m->ia[m->nz] = in_row;
        m->ja[m->nz] = j;
        m->ar[m->nz] = 1;
    }
    return 0;
}

/* Rows: 1..n out of occurrence i, n+1..2n into it, 2n+1 tours. */
static int build(lp *m, const rota_instance *t, int role, const int *occ, int n)
{
    glp_add_rows(m->P, 2 * n + 1);
    for (int r = 1; r <= 2 * n; r++)
        glp_set_row_bnds(m->P, r, GLP_FX, 1, 1);
    int per_day = t->max_visits_per_day > 0 ? t->max_visits_per_day : 1;
    glp_set_row_bnds(m->P, 2 * n + 1, GLP_LO, ceil((double)n / per_day), 0);
    for (int i = 0; i < n; i++) {
        int a = occ[i], out, back;
        office_legs(t, role, a, &out, &back);
        /* office -> i counts as a tour */
        if (add_col(m, 2 * n + 1, n + 1 + i, out) < 0 ||
            add_col(m, 1 + i, 0, back) < 0)
            return -1;
        for (int j = 0; j < n; j++) {
            int b = occ[j];
            if (a == b || !arc_ok(t, a, b))
                continue;
            int leg = rota_leg_minutes(t, rota_visit_place(t, a),
                                       rota_visit_place(t, b));
            if (add_col(m, 1 + i, n + 1 + j, leg) < 0)
                return -1;
        }
    }
    glp_load_matrix(m->P, m->nz, m->ia, m->ja, m->ar);
    return 0;
}

int rota_size_travel_lp(const rota_instance *t, int role, double seconds,
                        double *legs, long *occurrences)
{
    int W = t->cycle_weeks, n = 0, rc = -1;
    int *occ = malloc(((size_t)t->n_visits * ROTA_MAX_WEEKS + 1) * sizeof *occ);
    lp m = {0};
    if (!occ)
        return -1;
    for (int v = 0; v < t->n_visits; v++)
        if (t->visits[v].role == role)
            for (int c = 0; c < W / t->visits[v].every_weeks; c++)
                occ[n++] = v;
    *occurrences = n;
    *legs = 0;
    if (n == 0) {
        free(occ);
        return 0;
    }
    glp_term_hook(swallow, NULL);
    m.P = glp_create_prob();
    glp_set_obj_dir(m.P, GLP_MIN);
    if (build(&m, t, role, occ, n) == 0) {
        glp_smcp sp;
        glp_init_smcp(&sp);
        sp.msg_lev = GLP_MSG_OFF;
        sp.presolve = GLP_ON;
        double ms = fmin(fmax(seconds, 0.1) * 1000, 1e9);
        sp.tm_lim = (int)ms;
        rc = 0;
        if (glp_simplex(m.P, &sp) == 0 && glp_get_status(m.P) == GLP_OPT) {
            double z = glp_get_obj_val(m.P);
            *legs = fmax(0, z - 1e-6 * fmax(1, fabs(z)));
            rc = 1;
        }
    }
    glp_delete_prob(m.P);
    glp_term_hook(NULL, NULL);
    free(m.ia);
    free(m.ja);
    free(m.ar);
    free(occ);
    return rc;
}
