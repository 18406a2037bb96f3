/* serve_pool.c - the solving workers of rota serve.
 *
 * A fixed number of threads take plan ids from a bounded FIFO queue.  Why
 * not solve on the request thread: a solve takes seconds to minutes and
 * the HTTP threads must keep answering (progress, schedules).  Each running
 * job has its own stop flag, handed to the solver (solve.h): DELETE sets
 * it, and so does pool_stop; the solver then returns its best roster,
 * which is saved.  The store is the truth about a plan; the pool only
 * holds ids and flags.
 */
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rota/eval.h"
#include "rota/roster_json.h"
#include "rota/solve.h"
#include "serve_int.h"

typedef struct job {
    char id[PLAN_ID_LEN + 1];
    volatile sig_atomic_t stop;
    int cancelled;              /* stop came from DELETE (else: shutdown) */
    struct job *next;
} job;

struct pool {
    store *st;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    job *head, *tail;           /* waiting, oldest first */
    int n_waiting, max_queued;
    job **running;              /* per worker, NULL when idle */
    int n_workers, n_started;
    int stopping;
    pthread_t *threads;
};

typedef struct worker_arg {
    pool *p;
    int index;
} worker_arg;

/* ---- one solve ---- */

typedef struct progress_ctx {
    store *st;
    const char *id;
} progress_ctx;

static void put_num(char *buf, size_t n, const char *key, int has, double v)
{
    size_t l = strlen(buf);
    if (has && isfinite(v))
        snprintf(buf + l, n - l, ", \"%s\": %.15g", key, v);
    else
        snprintf(buf + l, n - l, ", \"%s\": null", key);
}

/* Progress as a JSON object (the "progress" of GET /v1/plans/{id}). */
static void progress_json(const rota_progress *pr, char *buf, size_t n)
{
    snprintf(buf, n, "{\"elapsed\": %.3f, \"phase\": \"%s\", \"iterations\": %ld",
             pr->elapsed, pr->phase ? pr->phase : "", pr->iterations);
    put_num(buf, n, "objective", pr->has_objective, pr->objective);
    put_num(buf, n, "bound", pr->has_bound, pr->bound);
    put_num(buf, n, "gap", pr->gap >= 0, pr->gap);
    size_t l = strlen(buf);
    snprintf(buf + l, n - l, "}");
}

static void on_progress(const rota_progress *pr, void *user)
{
    progress_ctx *c = user;
    char buf[512];
    progress_json(pr, buf, sizeof buf);
    store_progress(c->st, c->id, buf);
}

/* The final progress, from the solver's figures. */
static void final_progress(rota_solver *s, char *buf, size_t n)
{
    rota_progress pr = {.elapsed = rota_solver_seconds(s), .phase = "done",
                        .gap = -1};
    rota_solve_stats st;
    rota_solver_stats(s, &st);
    pr.iterations = st.iterations;
    pr.objective = rota_solver_objective(s);
    pr.has_objective = rota_solver_roster(s) != NULL;
    pr.has_bound = rota_solver_bound(s, &pr.bound);
    if (pr.has_objective && pr.has_bound)
        pr.gap = (pr.objective - pr.bound) / fmax(1.0, fabs(pr.objective));
    progress_json(&pr, buf, n);
}

/* The roster JSON of what the solver found (NULL when out of memory). */
static char *roster_text(const rota_instance *inst, rota_solver *s,
                         const plan_row *row)
{
    const rota_roster *r = rota_solver_roster(s);
    rota_eval e;
    memset(&e, 0, sizeof e);
    if (r && rota_evaluate(inst, r, &e) != ROTA_OK)
        return NULL;
    rota_roster_meta m;
    rota_solve_stats st;
    rota_roster_meta_init(&m);
    rota_solver_stats(s, &st);
    m.status = rota_solver_result(s);
    m.has_bound = rota_solver_bound(s, &m.bound);
    m.solve_seconds = rota_solver_seconds(s);
    m.first_seconds = rota_solver_first_seconds(s);
    m.seed = row->seed;
    m.time_limit = row->time_limit;
    m.reason = rota_solver_reason(s);
    m.rows = st.rows;
    m.cols = st.cols;
    m.cols_generated = st.cols_generated;
    m.branch_nodes = st.cols_generated >= 0 ? st.bp_nodes : -1;
    char *text = rota_roster_to_json(inst, r, &e, &m);
    rota_eval_free(&e);
    return text;
}

/* The status a finished job is saved with, and why. */
static const char *end_status(const job *j, const char **reason)
{
    if (j->cancelled) {
        *reason = "cancelled by a DELETE request; the best roster found is kept";
        return "cancelled";
    }
    if (j->stop) {
        *reason = "the server was stopped while this plan was solving; the "
                  "best roster found is kept";
        return "interrupted";
    }
    return "done";
}

/* Solves a loaded instance and saves the outcome. */
static void solve_loaded(pool *p, job *j, const rota_instance *inst,
                         const plan_row *row)
{
    rota_solve_params sp;
    rota_solve_params_init(&sp);
    sp.time_limit = row->time_limit;
    sp.seed = row->seed;
    progress_ctx pc = {p->st, j->id};
    sp.progress = on_progress;
    sp.progress_user = &pc;
    sp.stop = &j->stop;
    rota_solver *s = rota_solver_new(inst, &sp);
    if (!s) {
        store_finish(p->st, j->id, "failed", "error", "out of memory", NULL, NULL);
        return;
    }
    rota_status rs = rota_solver_run(s);
    char prog[512];
    final_progress(s, prog, sizeof prog);
    char *text = roster_text(inst, s, row);
    const char *reason = NULL;
    pthread_mutex_lock(&p->lock);
    const char *status = end_status(j, &reason);
    pthread_mutex_unlock(&p->lock);
    if (!reason)
        reason = rota_solver_reason(s);
    if (rs != ROTA_OK || !text)
        status = "failed", reason = text ? rota_status_str(rs) : "out of memory";
    store_finish(p->st, j->id, status, rota_result_str(rota_solver_result(s)),
                 reason, text, prog);
    free(text);
    rota_solver_free(s);
}

/* Runs one job: read the plan, load its instance, solve, save. */
static void run_job(pool *p, job *j)
{
    plan_row row;
    if (store_get(p->st, j->id, 1, &row) != 1)
        return;
    if (strcmp(row.status, "queued") != 0 ||
        store_set_status(p->st, j->id, "solving", NULL) < 0) {
        plan_row_free(&row);
        return;
    }
    rota_diags d;
    rota_diags_init(&d);
    rota_instance *inst = NULL;
    if (rota_instance_load_untrusted(row.instance, row.instance_len, "request",
                                     &inst, &d) != ROTA_OK)
        store_finish(p->st, j->id, "failed", "error",
                     "the stored instance no longer loads", NULL, NULL);
    else
        solve_loaded(p, j, inst, &row);
    rota_instance_free(inst);
    rota_diags_free(&d);
    plan_row_free(&row);
}

/* ---- the queue ---- */

/* Takes the oldest waiting job, blocking; NULL when the pool stops. */
static job *take(pool *p, int index)
{
    pthread_mutex_lock(&p->lock);
    while (!p->head && !p->stopping)
        pthread_cond_wait(&p->wake, &p->lock);
    job *j = NULL;
    if (!p->stopping) {
        j = p->head;
        p->head = j->next;
        if (!p->head)
            p->tail = NULL;
        p->n_waiting--;
        p->running[index] = j;
    }
    pthread_mutex_unlock(&p->lock);
    return j;
}

static void *worker(void *arg)
{
    worker_arg *a = arg;
    pool *p = a->p;
    job *j;
    while ((j = take(p, a->index))) {
        run_job(p, j);
        pthread_mutex_lock(&p->lock);
        p->running[a->index] = NULL;
        pthread_mutex_unlock(&p->lock);
        free(j);
    }
    free(a);
    glp_free_env();   /* GLPK state is per thread */
    return NULL;
}

int pool_start(pool **out, store *st, int workers, int max_queued)
{
    pool *p = calloc(1, sizeof *p);
    *out = NULL;
    if (!p)
        return -1;
    p->st = st;
    p->max_queued = max_queued;
    p->n_workers = workers;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    p->running = calloc((size_t)workers, sizeof *p->running);
    p->threads = calloc((size_t)workers, sizeof *p->threads);
    if (!p->running || !p->threads)
        goto fail;
    for (; p->n_started < workers; p->n_started++) {
        worker_arg *a = malloc(sizeof *a);
        if (!a)
            goto fail;
        *a = (worker_arg){p, p->n_started};
        if (pthread_create(&p->threads[p->n_started], NULL, worker, a) != 0) {
            free(a);
            goto fail;
        }
    }
    *out = p;
    return 0;
fail:
    pool_stop(p);
    return -1;
}

int pool_submit(pool *p, const char *id)
{
    job *j = calloc(1, sizeof *j);
    if (!j)
        return -2;
    memcpy(j->id, id, PLAN_ID_LEN);
    pthread_mutex_lock(&p->lock);
    int rc = 0;
    if (p->n_waiting >= p->max_queued || p->stopping) {
        rc = -1;
        free(j);
    } else {
        if (p->tail)
            p->tail->next = j;
        else
            p->head = j;
        p->tail = j;
        p->n_waiting++;
        pthread_cond_signal(&p->wake);
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

/* Unlinks a waiting job by id; 1 when it was there. */
static int unlink_waiting(pool *p, const char *id)
{
    for (job **pp = &p->head, *prev = NULL; *pp; prev = *pp, pp = &(*pp)->next) {
        if (strcmp((*pp)->id, id) != 0)
            continue;
        job *j = *pp;
        *pp = j->next;
        if (p->tail == j)
            p->tail = prev;
        p->n_waiting--;
        free(j);
        return 1;
    }
    return 0;
}

int pool_cancel(pool *p, const char *id)
{
    int rc = 0;
    pthread_mutex_lock(&p->lock);
    for (int i = 0; i < p->n_workers && !rc; i++)
        if (p->running[i] && strcmp(p->running[i]->id, id) == 0) {
            p->running[i]->cancelled = 1;
            p->running[i]->stop = 1;
            rc = 1;
        }
    if (!rc && unlink_waiting(p, id))
        rc = 2;
    pthread_mutex_unlock(&p->lock);
    return rc;
}

void pool_load(pool *p, int *running, int *waiting)
{
    pthread_mutex_lock(&p->lock);
    *running = 0;
    for (int i = 0; i < p->n_workers; i++)
        *running += p->running[i] != NULL;
    *waiting = p->n_waiting;
    pthread_mutex_unlock(&p->lock);
}

void pool_stop(pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    for (int i = 0; i < p->n_workers; i++)
        if (p->running && p->running[i])
            p->running[i]->stop = 1;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->n_started; i++)
        pthread_join(p->threads[i], NULL);
    while (p->head) {   /* still queued in the store: taken up at the next start */
        job *j = p->head;
        p->head = j->next;
        free(j);
    }
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    free(p->running);
    free(p->threads);
    free(p);
}
