/* cmd_serve.c - `rota serve`: the HTTP API of docs/serve.md.
 *
 * Parses options, opens the app (store, workers) and the HTTP layer, says
 * where it listens on stderr ("rota serve: listening on http://ADDR:PORT"),
 * then waits for SIGINT or SIGTERM.  On either it stops accepting, stops
 * the running solves (their best rosters are saved) and exits 0.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "opt.h"
#include "rota/serve.h"

typedef struct serve_opts {
    rota_app_params app;
    rota_http_params http;
    int allow_open_writes;
} serve_opts;

static void usage(FILE *out)
{
    fprintf(out,
        "usage: rota serve [--listen ADDR:PORT] [--data DIR] [--workers N]\n"
        "                  [--tokens FILE] [--read-token] [--time-limit S]\n"
        "                  [--max-time-limit S] [--max-body BYTES] [--max-queued N]\n"
        "                  [--cors-origin ORIGIN] [--timeout S]\n"
        "                  [--max-connections N] [--max-per-ip N] [--help]\n\n"
        "Serves the HTTP API of docs/serve.md: submit instances, follow their\n"
        "solves, fetch rosters and calendars.  Plans are kept in DIR/rota.db.\n\n"
        "  --listen ADDR:PORT   where to listen, default 127.0.0.1:8080; port 0 picks\n"
        "                       a free port (the address is printed on stderr)\n"
        "  --data DIR           the database directory, default ./rota-data\n"
        "  --workers N          solves at the same time, default 1\n"
        "  --tokens FILE        bearer tokens, one a line ('#' comments): POST and\n"
        "                       DELETE need one.  Without it writes are open, which\n"
        "                       is allowed only on a loopback address\n"
        "  --read-token         GETs of plans need a token too (health and the\n"
        "                       OpenAPI document stay open)\n"
        "  --time-limit S       seconds per solve unless the request asks\n"
        "                       (?time_limit=S), default 60\n"
        "  --max-time-limit S   the most a request may ask, default 3600\n"
        "  --max-body BYTES     largest request body, default 8388608 (413 above)\n"
        "  --max-queued N       plans waiting for a worker, default 64 (503 above)\n"
        "  --cors-origin ORIGIN allow this browser origin ('*' for any); default none\n"
        "  --timeout S          idle connection timeout, default 30\n"
        "  --max-connections N  default 256;  --max-per-ip N  default 64\n\n"
        "Exit codes: 0 stopped by SIGINT or SIGTERM, 1 internal error,\n"
        "2 bad usage or a database or address that cannot be used.\n");
}

/* A number in [lo, hi]; -1 when malformed. */
static int num(const char *s, double lo, double hi, double *out)
{
    char *end;
    if (!s)
        return -1;
    errno = 0;
    double x = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(x) || x < lo || x > hi)
        return -1;
    *out = x;
    return 0;
}

static int bad(const char *opt, const char *v)
{
    fprintf(stderr, "rota serve: bad value for %s: '%s'\n", opt, v ? v : "");
    return -1;
}

/* Numeric options; 1 when `a` is none of them. */
static int parse_num_opt(int argc, char **argv, int *i, serve_opts *o)
{
    static const struct { const char *name; double lo, hi; } t[] = {
        {"--workers", 1, 64}, {"--time-limit", 0.01, 1e6},
        {"--max-time-limit", 0.01, 1e6}, {"--max-body", 1, 1 << 30},
        {"--max-queued", 1, 100000}, {"--timeout", 1, 3600},
        {"--max-connections", 1, 100000}, {"--max-per-ip", 1, 100000}};
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
        if (!opt_is(argv[*i], t[k].name))
            continue;
        const char *v = opt_value(argc, argv, i, t[k].name);
        double x;
        if (num(v, t[k].lo, t[k].hi, &x) < 0)
            return bad(t[k].name, v);
        switch (k) {
        case 0: o->app.workers = (int)x; break;
        case 1: o->app.time_limit = x; break;
        case 2: o->app.max_time_limit = x; break;
        case 3: o->app.max_body = (size_t)x; break;
        case 4: o->app.max_queued = (int)x; break;
        case 5: o->http.timeout = (unsigned)x; break;
        case 6: o->http.max_connections = (unsigned)x; break;
        default: o->http.max_per_ip = (unsigned)x; break;
        }
        return 0;
    }
    return 1;
}

/* One option; 0, 1 for --help, -1 on error. */
static int parse_opt(int argc, char **argv, int *i, serve_opts *o)
{
    const char *a = argv[*i], *v;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
        return 2;
    int rc = parse_num_opt(argc, argv, i, o);
    if (rc <= 0)
        return rc;
    if (strcmp(a, "--read-token") == 0) {
        o->app.read_needs_token = 1;
        return 0;
    }
    static const char *const str_opts[] = {"--listen", "--data", "--tokens",
                                           "--cors-origin"};
    const char **dst[] = {&o->http.listen, &o->app.data_dir, &o->app.tokens_file,
                          &o->app.cors_origin};
    for (int k = 0; k < 4; k++)
        if (opt_is(a, str_opts[k])) {
            if (!(v = opt_value(argc, argv, i, str_opts[k])) || !*v)
                return bad(str_opts[k], v);
            *dst[k] = v;
            return 0;
        }
    fprintf(stderr, "rota serve: unknown argument '%s'\n", a);
    return -1;
}

static int is_loopback(const char *listen)
{
    return strncmp(listen, "127.", 4) == 0 || strncmp(listen, "[::1]:", 6) == 0 ||
           strncmp(listen, "localhost:", 10) == 0;
}

static int parse_args(int argc, char **argv, serve_opts *o)
{
    rota_app_params_init(&o->app);
    rota_http_params_init(&o->http);
    for (int i = 1; i < argc; i++) {
        int rc = parse_opt(argc, argv, &i, o);
        if (rc)
            return rc;
    }
    if (o->app.time_limit > o->app.max_time_limit) {
        fprintf(stderr, "rota serve: --time-limit is above --max-time-limit\n");
        return -1;
    }
    if (!o->app.tokens_file && !is_loopback(o->http.listen)) {
        fprintf(stderr, "rota serve: listening on %s needs --tokens FILE (without "
                "tokens anyone could submit and cancel plans)\n", o->http.listen);
        return -1;
    }
    if (o->app.read_needs_token && !o->app.tokens_file) {
        fprintf(stderr, "rota serve: --read-token needs --tokens FILE\n");
        return -1;
    }
    return 0;
}

/* Waits for SIGINT or SIGTERM, blocked in every thread and taken here with
 * sigwait: no handler runs in the middle of libmicrohttpd or SQLite. */
static void wait_for_signal(const sigset_t *set)
{
    int sig;
    while (sigwait(set, &sig) != 0)
        ;
    fprintf(stderr, "rota serve: %s: stopping (running solves keep their best roster)\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
}

int cmd_serve(int argc, char **argv)
{
    serve_opts o;
    memset(&o, 0, sizeof o);
    int rc = parse_args(argc, argv, &o);
    if (rc == 2) {
        usage(stdout);
        return EXIT_ROTA_OK;
    }
    if (rc) {
        usage(stderr);
        return EXIT_ROTA_INPUT;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);   /* before any thread starts */
    signal(SIGPIPE, SIG_IGN);
    char err[512] = "";
    rota_app *app = NULL;
    rota_http *http = NULL;
    rota_status st = rota_app_open(&o.app, &app, err, sizeof err);
    if (st == ROTA_OK)
        st = rota_http_start(app, &o.http, &http, err, sizeof err);
    if (st != ROTA_OK) {
        fprintf(stderr, "rota serve: %s\n", err);
        rota_app_close(app);
        return st == ROTA_ENOMEM ? EXIT_ROTA_INTERNAL : EXIT_ROTA_INPUT;
    }
    const char *colon = strrchr(o.http.listen, ':');
    fprintf(stderr, "rota serve: listening on http://%.*s:%u\n",
            (int)(colon - o.http.listen), o.http.listen, rota_http_port(http));
    wait_for_signal(&set);
    rota_http_stop(http);
    rota_app_close(app);
    fprintf(stderr, "rota serve: stopped\n");
    return EXIT_ROTA_OK;
}
