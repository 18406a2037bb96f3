/* serve_int.h - internals of rota serve shared by its files:
 * serve_store.c (plans in SQLite), serve_pool.c (the solving workers),
 * serve_app.c (open/close, tokens, CORS, the request entry point),
 * serve_routes.c (one function per endpoint), serve_http.c
 * (libmicrohttpd) and the generated serve_openapi.c.
 */
#ifndef ROTA_SERVE_INT_H
#define ROTA_SERVE_INT_H

#include <pthread.h>
#include <signal.h>
#include <stddef.h>

#include "rota/instance.h"
#include "rota/serve.h"

#define PLAN_ID_LEN 16          /* lowercase hex characters */

/* ---- store: serve_store.c ----
 * Plan statuses: queued, solving, done, cancelled, interrupted, failed.
 * Every function returns 0 on success and -1 when SQLite failed; a get
 * returns 1 when found and 0 when not. */
typedef struct store store;

typedef struct plan_row {
    char *id, *status, *created, *updated, *name;
    char *progress;             /* JSON object text or NULL */
    char *result;               /* "optimal", ... or NULL */
    char *reason;               /* why cancelled/interrupted/failed/infeasible */
    char *roster;               /* roster JSON text or NULL */
    char *instance;             /* only when asked for */
    size_t instance_len;
    double time_limit;
    unsigned seed;
} plan_row;

int store_open(const char *dir, store **out, char *err, size_t errlen);
void store_close(store *s);
/* solving -> interrupted (the previous server died); returns the count. */
int store_recover(store *s);
/* The ids of queued plans, oldest first (malloc'd array of PLAN_ID_LEN+1
 * strings). */
int store_queued(store *s, char (**ids)[PLAN_ID_LEN + 1], int *n);
int store_insert(store *s, const char *id, const char *instance, size_t len,
                 const char *name, double time_limit, unsigned seed);
int store_set_status(store *s, const char *id, const char *status,
                     const char *reason);
/* queued -> cancelled, and nothing else: a plan that a worker has taken
 * in the meantime is left to the worker. */
int store_cancel_queued(store *s, const char *id, const char *reason);
int store_progress(store *s, const char *id, const char *progress);
int store_finish(store *s, const char *id, const char *status,
                 const char *result, const char *reason, const char *roster,
                 const char *progress);
int store_get(store *s, const char *id, int with_instance, plan_row *out);
void plan_row_free(plan_row *r);
/* Plans in the store (for /v1/health). */
int store_count(store *s, const char *status, long *n);

/* ---- pool: serve_pool.c ---- */
typedef struct pool pool;

int pool_start(pool **out, store *st, int workers, int max_queued);
/* 0 queued, -1 the queue is full, -2 out of memory. */
int pool_submit(pool *p, const char *id);
/* 1: running, its stop flag set; 2: was waiting, removed; 0: not held. */
int pool_cancel(pool *p, const char *id);
/* Number running and waiting. */
void pool_load(pool *p, int *running, int *waiting);
/* Stops every solve (saved as interrupted), joins the workers, frees. */
void pool_stop(pool *p);

/* ---- the app: serve_app.c ---- */
typedef struct app_cache app_cache;

struct rota_app {
    rota_app_params p;
    char *data_dir, *cors_origin;
    store *st;
    pool *pl;
    char **tokens;
    int n_tokens;
    pthread_mutex_t cache_lock;
    app_cache *cache;
    double started;
};

/* Token checks: 0 allowed; otherwise the HTTP status to answer (401/403). */
int app_auth(const rota_app *app, const rota_request *rq, int write);

/* ---- responses: serve_routes.c ---- */
/* The resp_* functions and the handlers return 0, so that a handler can
 * end with `return resp_error(...)`. */
/* Sets rs to a JSON error {"error": msg}. */
int resp_error(rota_response *rs, int status, const char *msg);
/* Sets rs to a body it takes (malloc'd text). */
int resp_take(rota_response *rs, int status, const char *type, char *body);
/* Adds a header (value copied); silently skipped when full or OOM. */
int resp_header(rota_response *rs, const char *name, const char *value);

/* The router: every endpoint. */
int routes_handle(rota_app *app, const rota_request *rq, rota_response *rs);

/* A finished plan's instance, loaded once and kept in a small cache:
 * returns a borrowed pointer valid while cache_lock is held, or NULL. */
const rota_instance *app_cached_instance(rota_app *app, const char *id,
                                         const plan_row *row);

/* Finished plans' answers, by key (path and format): app_body_get copies a
 * kept body into rs (1) or returns 0; app_body_put keeps a copy of rs's
 * body (bounded in count and bytes, least recently used out). */
#define APP_KEY_LEN 1100
int app_body_get(rota_app *app, const char *key, rota_response *rs);
void app_body_put(rota_app *app, const char *key, const rota_response *rs);

/* ---- the OpenAPI document: generated serve_openapi.c ---- */
extern const char rota_openapi_json[];

/* Random plan id (PLAN_ID_LEN hex + NUL); -1 when no randomness. */
int serve_new_id(char out[PLAN_ID_LEN + 1]);
/* Whether s is a well-formed plan id. */
int serve_valid_id(const char *s);

#endif
