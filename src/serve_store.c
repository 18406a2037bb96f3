/* serve_store.c - the plans of rota serve in SQLite (DATA_DIR/rota.db).
 *
 * One table, one row per plan: its instance text, status, progress and
 * roster.  Why SQLite: every change is one transaction, so a kill -9 at any
 * moment leaves each row either before or after the change, never half
 * written; the file survives restarts and is readable with the sqlite3
 * shell.  Settings:
 *   - journal_mode=WAL: readers (GETs) never wait for a worker's write;
 *   - synchronous=FULL: a commit is on disk before the server answers 202,
 *     so an accepted plan survives a power cut too (writes are few: a plan,
 *     and one progress row a second per worker, so the fsyncs cost little);
 *   - busy_timeout: another process (a backup, the sqlite3 shell) holding a
 *     lock makes a call wait up to 5 s instead of failing at once.
 * One connection shared by every thread under one mutex; every statement
 * is prepared once.
 */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "serve_int.h"

enum {
    Q_INSERT, Q_STATUS, Q_PROGRESS, Q_FINISH, Q_GET, Q_GET_INST, Q_QUEUED,
    Q_COUNT, Q_COUNT_ALL, Q_CANCEL_QUEUED, N_Q
};

static const char *const sql_text[N_Q] = {
    [Q_INSERT] = "INSERT INTO plans(id, status, created, updated, name, "
                 "time_limit, seed, instance) VALUES(?1, 'queued', ?2, ?2, ?3, ?4, ?5, ?6)",
    [Q_STATUS] = "UPDATE plans SET status = ?2, reason = ?3, updated = ?4 WHERE id = ?1",
    [Q_PROGRESS] = "UPDATE plans SET progress = ?2, updated = ?3 WHERE id = ?1",
    [Q_FINISH] = "UPDATE plans SET status = ?2, result = ?3, reason = ?4, "
                 "roster = ?5, progress = ?6, updated = ?7 WHERE id = ?1",
    [Q_GET] = "SELECT id, status, created, updated, name, progress, result, "
              "reason, roster, time_limit, seed, NULL FROM plans WHERE id = ?1",
    [Q_GET_INST] = "SELECT id, status, created, updated, name, progress, result, "
                   "reason, roster, time_limit, seed, instance FROM plans WHERE id = ?1",
    [Q_QUEUED] = "SELECT id FROM plans WHERE status = 'queued' ORDER BY created, rowid",
    [Q_COUNT] = "SELECT count(*) FROM plans WHERE status = ?1",
    [Q_COUNT_ALL] = "SELECT count(*) FROM plans",
    [Q_CANCEL_QUEUED] = "UPDATE plans SET status = 'cancelled', reason = ?2, "
                        "updated = ?3 WHERE id = ?1 AND status = 'queued'",
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS plans ("
    " id TEXT PRIMARY KEY,"
    " status TEXT NOT NULL,"
    " created TEXT NOT NULL,"
    " updated TEXT NOT NULL,"
    " name TEXT,"
    " time_limit REAL NOT NULL,"
    " seed INTEGER NOT NULL,"
    " instance BLOB NOT NULL,"
    " progress TEXT,"
    " result TEXT,"
    " reason TEXT,"
    " roster TEXT);";

struct store {
    sqlite3 *db;
    sqlite3_stmt *q[N_Q];
    pthread_mutex_t lock;
};

/* UTC time as 2025-01-31T12:00:00Z. */
static void now_iso(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int exec(store *s, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    snprintf(err, errlen, "database: %s", msg ? msg : sqlite3_errmsg(s->db));
    sqlite3_free(msg);
    return -1;
}

static int prepare_all(store *s, char *err, size_t errlen)
{
    for (int i = 0; i < N_Q; i++)
        if (sqlite3_prepare_v2(s->db, sql_text[i], -1, &s->q[i], NULL) != SQLITE_OK) {
            snprintf(err, errlen, "database: %s", sqlite3_errmsg(s->db));
            return -1;
        }
    return 0;
}

static int make_dir(const char *dir, char *err, size_t errlen)
{
    if (mkdir(dir, 0700) == 0 || errno == EEXIST)
        return 0;
    snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
    return -1;
}

int store_open(const char *dir, store **out, char *err, size_t errlen)
{
    *out = NULL;
    if (make_dir(dir, err, errlen) < 0)
        return -1;
    store *s = calloc(1, sizeof *s);
    size_t n = strlen(dir) + 16;
    char *path = malloc(n);
    if (!s || !path) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    snprintf(path, n, "%s/rota.db", dir);
    pthread_mutex_init(&s->lock, NULL);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    if (exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", err, errlen) < 0 ||
        exec(s, schema, err, errlen) < 0 || prepare_all(s, err, errlen) < 0)
        goto fail;
    free(path);
    *out = s;
    return 0;
fail:
    free(path);
    store_close(s);
    return -1;
}

void store_close(store *s)
{
    if (!s)
        return;
    for (int i = 0; i < N_Q; i++)
        sqlite3_finalize(s->q[i]);
    sqlite3_close(s->db);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* Runs a prepared statement that returns no rows, then resets it.  The
 * caller holds the lock and has bound the parameters. */
static int step_done(store *s, sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    (void)s;
    return rc == SQLITE_DONE ? 0 : -1;
}

static void bind_text(sqlite3_stmt *q, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(q, i);
}

int store_recover(store *s)
{
    char now[32];
    now_iso(now);
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *q = NULL;
    int n = -1;
    if (sqlite3_prepare_v2(s->db, "UPDATE plans SET status = 'interrupted', "
            "reason = 'the server stopped while this plan was solving', "
            "updated = ?1 WHERE status = 'solving'", -1, &q, NULL) == SQLITE_OK) {
        bind_text(q, 1, now);
        if (sqlite3_step(q) == SQLITE_DONE)
            n = sqlite3_changes(s->db);
    }
    sqlite3_finalize(q);
    pthread_mutex_unlock(&s->lock);
    return n;
}

int store_queued(store *s, char (**ids)[PLAN_ID_LEN + 1], int *n)
{
    int cap = 0, rc = 0;
    *ids = NULL;
    *n = 0;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *q = s->q[Q_QUEUED];
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(q, 0);
        if (!id || strlen(id) != PLAN_ID_LEN)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            void *p = realloc(*ids, (size_t)cap * sizeof **ids);
            if (!p) {
                rc = -1;
                break;
            }
            *ids = p;
        }
        memcpy((*ids)[(*n)++], id, PLAN_ID_LEN + 1);
    }
    if (r != SQLITE_DONE)
        rc = -1;
    sqlite3_reset(q);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int store_insert(store *s, const char *id, const char *instance, size_t len,
                 const char *name, double time_limit, unsigned seed)
{
    char now[32];
    now_iso(now);
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *q = s->q[Q_INSERT];
    bind_text(q, 1, id);
    bind_text(q, 2, now);
    bind_text(q, 3, name);
    sqlite3_bind_double(q, 4, time_limit);
    sqlite3_bind_int64(q, 5, seed);
    sqlite3_bind_blob64(q, 6, instance ? instance : "", len, SQLITE_TRANSIENT);
    int rc = step_done(s, q);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int store_set_status(store *s, const char *id, const char *status,
                     const char *reason)
{
    char now[32];
    now_iso(now);
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *q = s->q[Q_STATUS];
    bind_text(q, 1, id);
    bind_text(q, 2, status);
    bind_text(q, 3, reason);
    bind_text(q, 4, now);
    int rc = step_done(s, q);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int store_cancel_queued(store *s, const char *id, const char *reason)
{
    char now[32];
    now_iso(now);
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *q = s->q[Q_CANCEL_QUEUED];
    bind_text(q, 1, id);
    bind_text(q, 2, reason);
    bind_text(q, 3, now);
    int rc = step_done(s, q);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int store_progress(store *s, const char *id, const char *progress)
{
    char now[32];
    now_iso(now);
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *q = s->q[Q_PROGRESS];
    bind_text(q, 1, id);
    bind_text(q, 2, progress);
    bind_text(q, 3, now);
    int rc = step_done(s, q);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int store_finish(store *s, const char *id, const char *status,
                 const char *result, const char *reason, const char *roster,
                 const char *progress)
{
    char now[32];
    now_iso(now);
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *q = s->q[Q_FINISH];
    bind_text(q, 1, id);
    bind_text(q, 2, status);
    bind_text(q, 3, result);
    bind_text(q, 4, reason);
    bind_text(q, 5, roster);
    bind_text(q, 6, progress);
    bind_text(q, 7, now);
    int rc = step_done(s, q);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* A text column copied (NULL stays NULL); *oom set when a copy failed. */
static char *col_dup(sqlite3_stmt *q, int i, size_t *len, int *oom)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    if (!t)
        return NULL;
    size_t n = (size_t)sqlite3_column_bytes(q, i);
    char *c = malloc(n + 1);
    if (!c) {
        *oom = 1;
        return NULL;
    }
    memcpy(c, t, n);
    c[n] = '\0';
    if (len)
        *len = n;
    return c;
}

static int read_row(sqlite3_stmt *q, plan_row *r)
{
    int oom = 0;
    r->id = col_dup(q, 0, NULL, &oom);
    r->status = col_dup(q, 1, NULL, &oom);
    r->created = col_dup(q, 2, NULL, &oom);
    r->updated = col_dup(q, 3, NULL, &oom);
    r->name = col_dup(q, 4, NULL, &oom);
    r->progress = col_dup(q, 5, NULL, &oom);
    r->result = col_dup(q, 6, NULL, &oom);
    r->reason = col_dup(q, 7, NULL, &oom);
    r->roster = col_dup(q, 8, NULL, &oom);
    r->time_limit = sqlite3_column_double(q, 9);
    r->seed = (unsigned)sqlite3_column_int64(q, 10);
    r->instance = col_dup(q, 11, &r->instance_len, &oom);
    if (oom || !r->id || !r->status)
        return -1;
    return 1;
}

int store_get(store *s, const char *id, int with_instance, plan_row *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *q = s->q[with_instance ? Q_GET_INST : Q_GET];
    bind_text(q, 1, id);
    int r = sqlite3_step(q), rc;
    if (r == SQLITE_ROW)
        rc = read_row(q, out);
    else
        rc = r == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    pthread_mutex_unlock(&s->lock);
    if (rc < 0)
        plan_row_free(out);
    return rc;
}

void plan_row_free(plan_row *r)
{
    free(r->id);
    free(r->status);
    free(r->created);
    free(r->updated);
    free(r->name);
    free(r->progress);
    free(r->result);
    free(r->reason);
    free(r->roster);
    free(r->instance);
    memset(r, 0, sizeof *r);
}

int store_count(store *s, const char *status, long *n)
{
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *q = s->q[status ? Q_COUNT : Q_COUNT_ALL];
    if (status)
        bind_text(q, 1, status);
    int rc = -1;
    if (sqlite3_step(q) == SQLITE_ROW) {
        *n = (long)sqlite3_column_int64(q, 0);
        rc = 0;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    pthread_mutex_unlock(&s->lock);
    return rc;
}
