/* serve.h - `rota serve`: plans kept in SQLite, solved by a worker pool,
 * served over HTTP (docs/serve.md).
 *
 * Two layers, so that the request logic can be tested and fuzzed without
 * sockets:
 *
 *   rota_app        the application: the plan store (SQLite), the worker
 *                   pool and rota_app_handle(), which maps one whole request
 *                   (method, path, a few headers, body) to one response.
 *   rota_http       libmicrohttpd around an app: sockets, limits, body
 *                   counting (413), timeouts.
 *
 *     rota_app_params p;
 *     rota_app_params_init(&p);
 *     p.data_dir = "rota-data";
 *     rota_app *app;
 *     if (rota_app_open(&p, &app, err, sizeof err) == ROTA_OK) {
 *         rota_http_params h; rota_http_params_init(&h);
 *         rota_http *srv;
 *         if (rota_http_start(app, &h, &srv, err, sizeof err) == ROTA_OK) {
 *             ... wait for a signal ...
 *             rota_http_stop(srv);
 *         }
 *         rota_app_close(app);
 *     }
 *
 * Ownership: rota_app_open and rota_http_start allocate; rota_app_close and
 * rota_http_stop free (stop the HTTP layer before closing its app).
 * rota_app_handle fills a response whose body the caller frees with
 * rota_response_free.  The app is thread-safe: rota_app_handle may be
 * called from several threads at once.
 */
#ifndef ROTA_SERVE_H
#define ROTA_SERVE_H

#include <stddef.h>

#include "rota/diag.h"

typedef struct rota_app_params {
    const char *data_dir;      /* directory of rota.db; created; default "rota-data" */
    int workers;               /* solving threads, 1..64; default 1 */
    int max_queued;            /* plans waiting for a worker; over it: 503; default 64 */
    double time_limit;         /* default seconds per plan; default 60 */
    double max_time_limit;     /* a request may ask at most this; default 3600 */
    const char *tokens_file;   /* bearer tokens, one a line; NULL: writes open */
    int read_needs_token;      /* 1: GETs of plans need a token too; default 0 */
    const char *cors_origin;   /* allowed origin ("*" or one origin); NULL: no CORS */
    size_t max_body;           /* bytes of a request body; default 8 MiB */
} rota_app_params;

void rota_app_params_init(rota_app_params *p);

typedef struct rota_app rota_app;

/* Opens (or creates) DATA_DIR/rota.db, marks plans that were solving when
 * the last server died as interrupted, reads the tokens file and starts
 * the workers (which take up plans still queued).  On failure returns
 * ROTA_EIO / ROTA_EINPUT / ROTA_ENOMEM with a sentence in err. */
rota_status rota_app_open(const rota_app_params *p, rota_app **out,
                          char *err, size_t errlen);

/* Stops every running solve (each keeps its best roster and is saved as
 * interrupted: the server stopped), waits for the workers and closes the
 * database.  NULL is a no-op. */
void rota_app_close(rota_app *app);

/* One request as the HTTP layer (or a test, or a fuzzer) hands it over.
 * Strings are NUL-terminated; NULL means the header is absent.  `path` is
 * the path without the query string; `query` is what follows '?' (NULL:
 * none), still percent-encoded. */
typedef struct rota_request {
    const char *method;
    const char *path;
    const char *query;
    const char *authorization;
    const char *content_type;
    const char *origin;
    const char *accept;
    const char *body;          /* may be NULL when body_len is 0 */
    size_t body_len;
} rota_request;

/* Headers beyond Content-Type that a response may carry. */
#define ROTA_RESPONSE_MAX_HEADERS 8

typedef struct rota_response {
    int status;                  /* HTTP status code */
    const char *content_type;    /* static string */
    char *body;                  /* malloc'd, NUL-terminated; may be NULL (empty) */
    size_t body_len;
    int n_headers;
    const char *header_name[ROTA_RESPONSE_MAX_HEADERS];  /* static strings */
    char *header_value[ROTA_RESPONSE_MAX_HEADERS];       /* malloc'd */
} rota_response;

/* Answers one request: routing, authorisation, validation, the plan
 * store.  Never blocks on a solve (solving happens in the workers) and
 * never fails visibly: out of memory becomes a 500 or 503 response with an
 * empty body.  The request's bytes may be anything (it is the fuzzing
 * entry point); rs is overwritten. */
void rota_app_handle(rota_app *app, const rota_request *rq, rota_response *rs);

/* Frees what rota_app_handle allocated in rs; rs is zeroed. */
void rota_response_free(rota_response *rs);

/* The largest body the app accepts (the HTTP layer answers 413 above it). */
size_t rota_app_max_body(const rota_app *app);

typedef struct rota_http_params {
    const char *listen;        /* "ADDR:PORT" or "[ADDR6]:PORT"; default "127.0.0.1:8080" */
    unsigned timeout;          /* seconds of idle connection; default 30 */
    unsigned max_connections;  /* default 256 */
    unsigned max_per_ip;       /* default 64 */
    unsigned threads;          /* polling threads; default 2 */
} rota_http_params;

void rota_http_params_init(rota_http_params *p);

typedef struct rota_http rota_http;

/* Binds and starts serving app on its own threads.  On failure returns
 * ROTA_EIO (address in use, bad address) with a sentence in err. */
rota_status rota_http_start(rota_app *app, const rota_http_params *p,
                            rota_http **out, char *err, size_t errlen);
/* The port bound (useful when the listen port was 0). */
unsigned rota_http_port(const rota_http *h);
/* Stops accepting, finishes or drops open connections, frees.  NULL: no-op. */
void rota_http_stop(rota_http *h);

#endif
