/* pricing_int.h - what pricing.c (candidates, figures), pricing_rcsp.c (the
 * label search) and pricing_lb.c (completion bounds) share.  Internal.
 */
#ifndef ROTA_PRICING_INT_H
#define ROTA_PRICING_INT_H

#include <stdint.h>

#include "pricing.h"
#include "rota/travel.h"

#define NO_SEG (-1)
#define PR_INF 1e30           /* "cannot complete" in the bound tables */
#define PR_NEAR 48            /* next visits the completion bound tries each */
#define PR_SR_WORDS ((ROTA_SR_MAX + 63) / 64)

/* The least value of a set of options and the least among those of
 * another tag than the first's (2-cycle elimination in the completion
 * bound, pricing_lb.c): tags are local visits, T2_STOP "no next visit",
 * T2_NONE "empty". */
typedef struct top2 {
    double v1, v2;
    int t1, t2;
} top2;

#define T2_STOP (-1)
#define T2_NONE (-2)

/* A candidate (v, t, p) of one (k, d). */
typedef struct cand {
    int visit, start, end, phase, seg, place, group, lv;
    unsigned weeks;
    int n_weeks;              /* popcount of weeks */
    int joint;                /* visit has a joint partner */
    double soft;              /* continuity + slot_change + preference */
} cand;

/* Candidates of one (visit, phase, segment), by start. */
typedef struct group {
    int first, n;             /* members are kd.gmem[first .. first+n) */
    int last_start;           /* start of its last member */
    int lv, seg, place, minutes;
    unsigned weeks;
} group;

/* The candidates of lane w grouped by (local visit, segment), each block
 * by start (for the completion bound). */
typedef struct lanelist {
    int *idx;                 /* candidate indices */
    int *off;                 /* block (lv, s) is idx[off[lv*n_seg+s] .. off[..+1]) */
    int *pos;                 /* candidate -> position in idx, -1: not in lane */
    int n;
} lanelist;

/* Everything static about one (staff, day). */
typedef struct kdata {
    int staff, day;
    int n_cand, n_group, n_lv, n_seg;
    cand *c;                  /* sorted by (start, visit, phase) */
    group *g;
    int *gmem;                /* candidate indices, grouped, by start */
    int *lv_visit;            /* local visit index -> visit */
    int *lv_place;            /* local visit index -> place */
    lanelist lane[ROTA_MAX_WEEKS];
    int n_near;               /* next visits the bound tries one by one */
    int *near;                /* [lv * n_near + i]: the nearest other visits */
    int *far_leg;             /* [lv]: least leg to a visit not near, -1 none */
} kdata;

/* One lane of a label: a cycle week's state of the day. */
typedef struct lane {
    int16_t seg;              /* segment of the open tour, NO_SEG: none yet */
    int16_t place;            /* where the lane is (office when none) */
    int16_t ready;            /* end of its last visit */
    int16_t trav;             /* leg minutes so far */
    int16_t cnt;              /* visits so far */
    int32_t last;             /* its last candidate, -1 none */
} lane;

typedef struct label {
    double cost;              /* reduced cost so far (closing legs excluded) */
    double lb;                /* cost + completion bound */
    int parent;               /* label index, -1 for the root */
    int cand;                 /* last candidate, -1 for the root */
    int next_bucket;          /* next label with the same last candidate */
    uint32_t hash;            /* of the lanes' (seg, place) */
    uint64_t bloom;           /* bit lv % 64 of each of its visits */
    uint64_t sr[PR_SR_WORDS]; /* bit i: an odd count of the visits of the
                                 search's cut i (rota_pricer.sr_pen) */
    uint8_t n;                /* items */
    uint8_t dead;             /* dominated */
    lane ln[ROTA_MAX_WEEKS];
} label;

/* A label's figures as dominance compares them (pricing_dom.c). */
typedef struct drec {
    double cost;
    int cand, label;
    uint64_t bloom, sr[PR_SR_WORDS];
    int16_t ready[ROTA_MAX_WEEKS], cnt[ROTA_MAX_WEEKS], trav[ROTA_MAX_WEEKS];
} drec;

/* One signature: its live labels' records drec[first .. first+n). */
typedef struct dsig {
    uint32_t hash;
    int label0;               /* a label of this signature (its key); -1 empty */
    long first;
    int n, cap;
} dsig;

struct rota_pricer {
    const rota_instance *inst;
    int W, maxpd, maxtrav, nmax;
    int P1;                   /* maxpd + 1: counts 0..maxpd in the tables */
    kdata *kd;                /* n_staff * 7; built for representatives only */
    int *rep;                 /* [k]: its class's representative
                                 (staff_class.h) */
    int *min_out;             /* per place: cheapest leg out of it */
    /* per call */
    label *lab;
    uint16_t *vis;            /* nmax sorted local visits per label */
    long n_lab, cap_lab;
    dsig *dsig;               /* open addressing on the signature */
    int n_dsig, dsig_mask;
    drec *drec;
    long n_drec, cap_drec;
    int *bucket;              /* per candidate: labels ending there */
    double *price;            /* per candidate */
    int *next_better;         /* per candidate */
    uint8_t *mark;            /* per local visit */
    uint8_t *active;          /* per local visit: heuristic pricing uses it */
    double *lv_best;          /* per local visit: scratch */
    /* the subset-row cuts of one search: those with a dual and two or
     * more visits of the (k, d), numbered 0 .. n_sr - 1 */
    int n_sr, sr_words;       /* and the words of their bits in use */
    uint64_t *lv_sr;          /* [lv * PR_SR_WORDS + w]: the cuts holding lv */
    double sr_pen[ROTA_SR_MAX]; /* per cut: what reaching an even count of
                                 its visits costs (-dual, >= 0) */
    int *visit_lv;            /* per visit: its local index, -1 (scratch) */
    double gamma[ROTA_MAX_WEEKS];
    /* completion bound tables (pricing_lb.c) */
    top2 *lb_g;               /* [(c * W + w) * P1 + j], tag: next visit */
    top2 *lb_sm;              /* [(w * max_cand + pos) * P1 + j], tag: next visit */
    top2 *lb_h;               /* [s * P1 + j], tag: its first visit */
    top2 *lb_cell, *lb_suf;   /* time grids of the far option (pricing_lb.c),
                                 tag: the candidate's visit */
    int n_slots;              /* start slots of a day: 1440 / slot_minutes + 1 */
    double *lb_g0;            /* [w * P1 + j]: a lane not used yet */
    double *lb_group;         /* per group: the least its legs can cost */
    double *lb_gsuf;          /* [(gmem position) * P1 + j]: least over the
                                 group's members from this one on of
                                 price + sum_{w in weeks} g(m, j) */
    int max_cand, max_seg;
    /* the kept columns: a max-heap on rc of label indices */
    int *heap;
    double *heap_rc;
    int heap_n, heap_cap;
};

static inline int pr_leg(const rota_instance *inst, int a, int b)
{
    return rota_leg_minutes(inst, a, b);
}

/* pricing_dom.c */
void pr_dom_reset(rota_pricer *p);
/* Files label x under its signature unless a filed label dominates it
 * (relaxed: without the visit-subset condition).  Marks the labels x
 * dominates dead.  Returns 1 filed, 0 dominated, -1 out of memory. */
int pr_dom_insert(rota_pricer *p, int x, int relaxed);

/* pricing_lb.c */
/* Fills the completion bound tables of kd for the current prices and
 * gamma; returns the root's bound (sum over lanes of g0). */
double pr_lb_tables(rota_pricer *p, const kdata *kd);
/* The bound of a label's completions from its lanes. */
double pr_lb_lanes(const rota_pricer *p, const lane *ln);
/* Lane w's part of it. */
double pr_lb_lane(const rota_pricer *p, const lane *ln, int w);
/* lb_group and lb_gsuf of every group of kd (after pr_lb_tables). */
void pr_lb_groups(rota_pricer *p, const kdata *kd);

#endif
