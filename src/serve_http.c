/* serve_http.c - libmicrohttpd around a rota_app.
 *
 * This file owns sockets and nothing else: it collects a request (headers,
 * query, body) and hands it whole to rota_app_handle.  What libmicrohttpd
 * leaves unsafe by default is set here (ENGINEERING.md): an idle timeout,
 * a total and a per-IP connection limit, a per-connection memory limit,
 * and the body size, counted as the bytes arrive (413 at once for a
 * declared Content-Length over it, else at the end of the body, with only
 * the first max_body bytes kept).  No connection is ever suspended, so
 * MHD_stop_daemon never waits for one.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "serve_int.h"

struct rota_http {
    rota_app *app;
    struct MHD_Daemon *d;
    unsigned port;
};

/* What one request collects between the handler's calls. */
typedef struct conn_ctx {
    char *body;
    size_t len, cap;
    size_t seen;        /* body bytes received, kept or not */
    int too_big;
    char query[512];
    size_t qlen;
    int query_overflow;
} conn_ctx;

void rota_http_params_init(rota_http_params *p)
{
    memset(p, 0, sizeof *p);
    p->listen = "127.0.0.1:8080";
    p->timeout = 30;
    p->max_connections = 256;
    p->max_per_ip = 64;
    p->threads = 2;
}

/* ---- listening address ---- */

/* "127.0.0.1:8080" or "[::1]:8080" into a socket address; -1 if malformed. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, int *v6)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof host)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end || port < 0 || port > 65535)
        return -1;
    memset(ss, 0, sizeof *ss);
    size_t hl = strlen(host);
    *v6 = hl >= 2 && host[0] == '[' && host[hl - 1] == ']';
    if (*v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        host[hl - 1] = '\0';
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((unsigned short)port);
        return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1 ? 0 : -1;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((unsigned short)port);
    return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
}

/* ---- one request ---- */

/* Collects the query arguments back into "k=v&k=v" (values decoded). */
static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value)
{
    conn_ctx *c = cls;
    (void)kind;
    int n = snprintf(c->query + c->qlen, sizeof c->query - c->qlen, "%s%s%s%s",
                     c->qlen ? "&" : "", key, value ? "=" : "", value ? value : "");
    if (n < 0 || (size_t)n >= sizeof c->query - c->qlen) {
        c->query_overflow = 1;
        return MHD_NO;
    }
    c->qlen += (size_t)n;
    return MHD_YES;
}

/* Appends upload bytes, or only counts them once over the limit. */
static void take_upload(conn_ctx *c, const char *data, size_t n, size_t max)
{
    if (c->too_big)
        return;
    if (n > max - c->len) {
        c->too_big = 1;
        free(c->body);
        c->body = NULL;
        c->len = c->cap = 0;
        return;
    }
    if (c->len + n + 1 > c->cap) {
        size_t cap = c->cap ? c->cap : 16384;
        while (cap < c->len + n + 1)
            cap *= 2;
        char *b = realloc(c->body, cap);
        if (!b) {
            c->too_big = 1;   /* answered 413: we cannot hold it */
            return;
        }
        c->body = b;
        c->cap = cap;
    }
    memcpy(c->body + c->len, data, n);
    c->len += n;
    c->body[c->len] = '\0';
}

static enum MHD_Result send_response(struct MHD_Connection *conn, rota_response *rs)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        rs->body_len, rs->body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        rota_response_free(rs);
        return MHD_NO;
    }
    rs->body = NULL;   /* MHD frees it */
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            rs->content_type ? rs->content_type : "application/json");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    for (int i = 0; i < rs->n_headers; i++)
        MHD_add_response_header(r, rs->header_name[i], rs->header_value[i]);
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)rs->status, r);
    MHD_destroy_response(r);
    rota_response_free(rs);
    return ok;
}

static enum MHD_Result send_413(struct MHD_Connection *conn)
{
    rota_response rs;
    memset(&rs, 0, sizeof rs);
    resp_error(&rs, 413, "the body is larger than the server accepts");
    return send_response(conn, &rs);
}

static const char *header(struct MHD_Connection *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* The first call: sets up the context and refuses a declared oversize body
 * before reading it. */
static enum MHD_Result first_call(rota_http *h, struct MHD_Connection *conn,
                                  void **con_cls)
{
    conn_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return MHD_NO;
    *con_cls = c;
    const char *cl = header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl) {
        char *end;
        unsigned long long n = strtoull(cl, &end, 10);
        if (*end == '\0' && n > rota_app_max_body(h->app)) {
            c->too_big = 1;
            return send_413(conn);
        }
    }
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    rota_http *h = cls;
    conn_ctx *c = *con_cls;
    (void)version;
    if (!c)
        return first_call(h, conn, con_cls);
    if (*upload_size) {
        take_upload(c, upload, *upload_size, rota_app_max_body(h->app));
        c->seen += *upload_size;
        *upload_size = 0;
        /* libmicrohttpd queues a response only before or after the body:
         * an oversize body of unknown length is drained, up to as much
         * again, and answered 413 at its end; beyond that, cut off */
        return c->seen / 2 > rota_app_max_body(h->app) ? MHD_NO : MHD_YES;
    }
    if (c->too_big)
        return send_413(conn);
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_arg, c);
    rota_request rq = {
        .method = method, .path = url,
        .query = c->query_overflow ? "overflow=1" : (c->qlen ? c->query : NULL),
        .authorization = header(conn, MHD_HTTP_HEADER_AUTHORIZATION),
        .content_type = header(conn, MHD_HTTP_HEADER_CONTENT_TYPE),
        .origin = header(conn, "Origin"),
        .accept = header(conn, MHD_HTTP_HEADER_ACCEPT),
        .body = c->body, .body_len = c->len,
    };
    rota_response rs;
    rota_app_handle(h->app, &rq, &rs);
    return send_response(conn, &rs);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    conn_ctx *c = *con_cls;
    (void)cls, (void)conn, (void)toe;
    if (c) {
        free(c->body);
        free(c);
        *con_cls = NULL;
    }
}

/* ---- start and stop ---- */

rota_status rota_http_start(rota_app *app, const rota_http_params *p,
                            rota_http **out, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    int v6;
    *out = NULL;
    if (parse_listen(p->listen, &ss, &v6) < 0) {
        snprintf(err, errlen, "bad listen address '%s' (ADDR:PORT or [ADDR6]:PORT)",
                 p->listen);
        return ROTA_EINPUT;
    }
    rota_http *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "out of memory");
        return ROTA_ENOMEM;
    }
    h->app = app;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
                     (v6 ? MHD_USE_IPv6 : 0);
    h->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)p->timeout,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)p->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)p->max_per_ip,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(p->threads ? p->threads : 1),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
        MHD_OPTION_END);
    if (!h->d) {
        snprintf(err, errlen, "cannot listen on %s (address in use or not available)",
                 p->listen);
        free(h);
        return ROTA_EIO;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = info ? info->port : 0;
    *out = h;
    return ROTA_OK;
}

unsigned rota_http_port(const rota_http *h)
{
    return h->port;
}

void rota_http_stop(rota_http *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d);
    free(h);
}
