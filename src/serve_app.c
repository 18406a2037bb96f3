/* serve_app.c - the rota serve application: opening and closing (store,
 * workers, tokens), bearer tokens, CORS, plan ids and the small cache of
 * loaded instances.  The endpoints are in serve_routes.c.
 */
#include <errno.h>
#include <jansson.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "rota/instance.h"
#include "serve_int.h"

#define CACHE_SLOTS 8
#define BODY_SLOTS 256
#define BODY_MAX_BYTES (64u << 20)   /* all kept bodies together */
#define BODY_MAX_ONE (8u << 20)

/* A kept answer about a finished plan. */
typedef struct body_slot {
    char *key, *body;
    size_t len;
    const char *type;
    unsigned long used;
} body_slot;
#define MAX_TOKENS 1024

/* Finished plans' instances, loaded once: a schedule GET then costs a
 * render, not a parse of the whole instance. */
struct app_cache {
    char id[CACHE_SLOTS][PLAN_ID_LEN + 1];
    rota_instance *inst[CACHE_SLOTS];
    unsigned long used[CACHE_SLOTS], clock;
    body_slot bodies[BODY_SLOTS];
    size_t body_bytes;
};

void rota_app_params_init(rota_app_params *p)
{
    memset(p, 0, sizeof *p);
    p->data_dir = "rota-data";
    p->workers = 1;
    p->max_queued = 64;
    p->time_limit = 60;
    p->max_time_limit = 3600;
    p->max_body = 8u << 20;
}

size_t rota_app_max_body(const rota_app *app)
{
    return app->p.max_body;
}

/* ---- tokens ---- */

static void free_tokens(rota_app *app)
{
    for (int i = 0; i < app->n_tokens; i++) {
        explicit_bzero(app->tokens[i], strlen(app->tokens[i]));
        free(app->tokens[i]);
    }
    free(app->tokens);
    app->tokens = NULL;
    app->n_tokens = 0;
}

/* Keeps one line of the tokens file (trimmed; '#' comments, blanks skipped). */
static int add_token(rota_app *app, char *line)
{
    char *e = line + strlen(line);
    while (e > line && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    while (*line == ' ' || *line == '\t')
        line++;
    if (!*line || *line == '#')
        return 0;
    if (app->n_tokens == MAX_TOKENS)
        return -1;
    char **t = realloc(app->tokens, (size_t)(app->n_tokens + 1) * sizeof *t);
    if (!t)
        return -1;
    app->tokens = t;
    if (!(t[app->n_tokens] = strdup(line)))
        return -1;
    app->n_tokens++;
    return 0;
}

static int read_tokens(rota_app *app, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read tokens file %s: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    while (rc == 0 && getline(&line, &cap, f) >= 0)
        rc = add_token(app, line);
    free(line);
    fclose(f);
    if (rc < 0)
        snprintf(err, errlen, "tokens file %s: out of memory or more than %d tokens",
                 path, MAX_TOKENS);
    else if (app->n_tokens == 0)
        snprintf(err, errlen, "tokens file %s has no token", path), rc = -1;
    return rc;
}

/* Constant-time comparison: the time depends on the lengths only, never on
 * where the first differing byte is. */
static int same_secret(const char *a, size_t la, const char *b, size_t lb)
{
    size_t n = la > lb ? la : lb;
    unsigned char d = la != lb;
    for (size_t i = 0; i < n; i++)
        d |= (unsigned char)((i < la ? a[i] : 0) ^ (i < lb ? b[i] : 0));
    return d == 0;
}

int app_auth(const rota_app *app, const rota_request *rq, int write)
{
    if (!app->n_tokens || (!write && !app->p.read_needs_token))
        return 0;
    const char *h = rq->authorization;
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return 401;
    const char *tok = h + 7;
    while (*tok == ' ')
        tok++;
    size_t len = strlen(tok);
    int ok = 0;
    for (int i = 0; i < app->n_tokens; i++)   /* all of them: no early exit */
        ok |= same_secret(tok, len, app->tokens[i], strlen(app->tokens[i]));
    return ok ? 0 : 403;
}

/* ---- plan ids ---- */

int serve_new_id(char out[PLAN_ID_LEN + 1])
{
    unsigned char b[PLAN_ID_LEN / 2];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
        return -1;
    for (size_t i = 0; i < sizeof b; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    return 0;
}

int serve_valid_id(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return 0;
    return n == PLAN_ID_LEN;
}

/* ---- the instance cache ---- */

const rota_instance *app_cached_instance(rota_app *app, const char *id,
                                         const plan_row *row)
{
    app_cache *c = app->cache;
    int victim = 0;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        if (c->inst[i] && strcmp(c->id[i], id) == 0) {
            c->used[i] = ++c->clock;
            return c->inst[i];
        }
        if (c->used[i] < c->used[victim])
            victim = i;
    }
    if (!row->instance)
        return NULL;
    rota_diags d;
    rota_diags_init(&d);
    rota_instance *inst = NULL;
    rota_instance_load_untrusted(row->instance, row->instance_len, "request",
                                 &inst, &d);
    rota_diags_free(&d);
    if (!inst)
        return NULL;
    rota_instance_free(c->inst[victim]);
    c->inst[victim] = inst;
    memcpy(c->id[victim], id, PLAN_ID_LEN + 1);
    c->used[victim] = ++c->clock;
    return inst;
}

static void body_drop(app_cache *c, body_slot *b)
{
    c->body_bytes -= b->len;
    free(b->key);
    free(b->body);
    memset(b, 0, sizeof *b);
}

static void cache_free(app_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < CACHE_SLOTS; i++)
        rota_instance_free(c->inst[i]);
    for (int i = 0; i < BODY_SLOTS; i++)
        body_drop(c, &c->bodies[i]);
    free(c);
}

int app_body_get(rota_app *app, const char *key, rota_response *rs)
{
    int hit = 0;
    pthread_mutex_lock(&app->cache_lock);
    app_cache *c = app->cache;
    for (int i = 0; i < BODY_SLOTS && !hit; i++) {
        body_slot *b = &c->bodies[i];
        if (!b->key || strcmp(b->key, key) != 0)
            continue;
        char *copy = malloc(b->len + 1);
        if (copy) {
            memcpy(copy, b->body, b->len + 1);
            resp_take(rs, 200, b->type, copy);
            rs->body_len = b->len;
            b->used = ++c->clock;
            hit = 1;
        }
    }
    pthread_mutex_unlock(&app->cache_lock);
    return hit;
}

/* The least recently used slot (an empty one first). */
static body_slot *body_victim(app_cache *c)
{
    body_slot *v = &c->bodies[0];
    for (int i = 0; i < BODY_SLOTS; i++) {
        if (!c->bodies[i].key)
            return &c->bodies[i];
        if (c->bodies[i].used < v->used)
            v = &c->bodies[i];
    }
    return v;
}

/* The least recently used kept body; NULL when none is kept. */
static body_slot *body_victim_used(app_cache *c)
{
    body_slot *v = NULL;
    for (int i = 0; i < BODY_SLOTS; i++)
        if (c->bodies[i].key && (!v || c->bodies[i].used < v->used))
            v = &c->bodies[i];
    return v;
}

void app_body_put(rota_app *app, const char *key, const rota_response *rs)
{
    if (!rs->body || rs->body_len > BODY_MAX_ONE || rs->n_headers)
        return;
    char *k = strdup(key), *body = malloc(rs->body_len + 1);
    if (!k || !body) {
        free(k);
        free(body);
        return;
    }
    memcpy(body, rs->body, rs->body_len + 1);
    pthread_mutex_lock(&app->cache_lock);
    app_cache *c = app->cache;
    body_slot *b = body_victim(c);
    body_drop(c, b);
    body_slot *old;
    while (c->body_bytes + rs->body_len > BODY_MAX_BYTES && (old = body_victim_used(c)))
        body_drop(c, old);
    *b = (body_slot){k, body, rs->body_len, rs->content_type, ++c->clock};
    c->body_bytes += rs->body_len;
    pthread_mutex_unlock(&app->cache_lock);
}

/* ---- open and close ---- */

static int check_params(const rota_app_params *p, char *err, size_t errlen)
{
    if (p->workers < 1 || p->workers > 64)
        snprintf(err, errlen, "workers must be 1 to 64");
    else if (p->max_queued < 1)
        snprintf(err, errlen, "max_queued must be at least 1");
    else if (!(p->time_limit > 0) || !(p->max_time_limit >= p->time_limit))
        snprintf(err, errlen, "time limit must be > 0 and at most the maximum");
    else if (p->max_body < 1)
        snprintf(err, errlen, "max_body must be at least 1");
    else
        return 0;
    return -1;
}

/* Plans queued when the last server stopped go back to the workers. */
static void requeue(rota_app *app)
{
    char (*ids)[PLAN_ID_LEN + 1] = NULL;
    int n = 0;
    if (store_queued(app->st, &ids, &n) == 0)
        for (int i = 0; i < n; i++)
            if (pool_submit(app->pl, ids[i]) == -1)
                store_set_status(app->st, ids[i], "failed",
                                 "the queue was full when the server restarted");
    free(ids);
}

static char *dup_or_null(const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *c = strdup(s);
    *oom |= !c;
    return c;
}

rota_status rota_app_open(const rota_app_params *p, rota_app **out,
                          char *err, size_t errlen)
{
    *out = NULL;
    if (errlen)
        err[0] = '\0';
    if (check_params(p, err, errlen) < 0)
        return ROTA_EINPUT;
    rota_app *app = calloc(1, sizeof *app);
    if (!app) {
        snprintf(err, errlen, "out of memory");
        return ROTA_ENOMEM;
    }
    int oom = 0;
    rota_status st = ROTA_EIO;
    app->p = *p;
    app->data_dir = dup_or_null(p->data_dir ? p->data_dir : "rota-data", &oom);
    app->cors_origin = dup_or_null(p->cors_origin, &oom);
    app->cache = calloc(1, sizeof *app->cache);
    pthread_mutex_init(&app->cache_lock, NULL);
    if (oom || !app->cache) {
        snprintf(err, errlen, "out of memory");
        st = ROTA_ENOMEM;
        goto fail;
    }
    if (p->tokens_file && read_tokens(app, p->tokens_file, err, errlen) < 0)
        goto fail;
    if (store_open(app->data_dir, &app->st, err, errlen) < 0 ||
        store_recover(app->st) < 0) {
        if (!*err)
            snprintf(err, errlen, "database: cannot mark interrupted plans");
        goto fail;
    }
    json_object_seed(0);   /* Jansson: seed its hash before threads use it */
    if (pool_start(&app->pl, app->st, p->workers, p->max_queued) < 0) {
        snprintf(err, errlen, "cannot start the worker threads");
        goto fail;
    }
    requeue(app);
    *out = app;
    return ROTA_OK;
fail:
    rota_app_close(app);
    return st;
}

void rota_app_close(rota_app *app)
{
    if (!app)
        return;
    pool_stop(app->pl);
    store_close(app->st);
    free_tokens(app);
    cache_free(app->cache);
    pthread_mutex_destroy(&app->cache_lock);
    free(app->data_dir);
    free(app->cors_origin);
    free(app);
}
