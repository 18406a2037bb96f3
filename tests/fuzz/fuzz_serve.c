/* fuzz_serve.c - rota serve's request handling without sockets
 * (rota_app_handle, include/rota/serve.h).
 *
 * An input is one request written as text:
 *     METHOD PATH[?QUERY]\n
 *     Name: value\n          (authorization, content-type, origin, accept)
 *     \n
 *     BODY
 * A '@' in the path stands for the id of the last plan accepted (ids are
 * random), so that the seeds reach a plan's endpoints.
 * The app is opened once on a scratch directory with a token file (the
 * seeds carry "Authorization: Bearer fuzz"), one worker and tiny time
 * limits, so that a plan that is accepted is solved in the background
 * without holding the fuzzer up.  Every response must have a status
 * between 100 and 599 and a body NUL-terminated at its stated length. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fuzz.h"
#include "rota/serve.h"

static rota_app *app;
static int verbose;   /* FUZZ_VERBOSE=1: each response's status and body */
static char last_id[64] = "none";

/* Remembers the id of a plan just accepted ("id": "..." in a 202 body). */
static void remember_id(const rota_response *rs)
{
    const char *p = rs->status == 202 && rs->body ? strstr(rs->body, "\"id\": \"") : NULL;
    if (!p)
        return;
    p += 7;
    size_t n = strcspn(p, "\"");
    if (n > 0 && n < sizeof last_id) {
        memcpy(last_id, p, n);
        last_id[n] = '\0';
    }
}

/* The path with its first '@' replaced by last_id; malloc'd (NULL: out of
 * memory). */
static char *expand_path(const char *path)
{
    const char *at = strchr(path, '@');
    size_t n = strlen(path) + (at ? strlen(last_id) : 0) + 1;
    char *out = malloc(n);
    if (!out)
        return NULL;
    if (at)
        snprintf(out, n, "%.*s%s%s", (int)(at - path), path, last_id, at + 1);
    else
        memcpy(out, path, n);
    return out;
}
static char dir[] = "/tmp/rota-fuzz-serve-XXXXXX";

/* At exit: the app, then the scratch directory (its database files). */
static void close_app(void)
{
    static const char *const files[] = {"rota.db", "rota.db-wal", "rota.db-shm",
                                        "rota.db-journal", "tokens"};
    char path[sizeof dir + 32];
    rota_app_close(app);
    app = NULL;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char tokens[sizeof dir + 16], err[256];
    if (!mkdtemp(dir)) {
        perror("fuzz_serve: mkdtemp");
        abort();
    }
    snprintf(tokens, sizeof tokens, "%s/tokens", dir);
    FILE *f = fopen(tokens, "w");
    if (!f || fputs("fuzz\n", f) < 0 || fclose(f) != 0) {
        perror(tokens);
        abort();
    }
    rota_app_params p;
    rota_app_params_init(&p);
    p.data_dir = dir;
    p.workers = 1;
    p.max_queued = 4;
    p.time_limit = 0.05;
    p.max_time_limit = 0.1;
    p.tokens_file = tokens;
    p.cors_origin = "https://example.org";
    p.max_body = 1 << 20;
    if (rota_app_open(&p, &app, err, sizeof err) != ROTA_OK) {
        fprintf(stderr, "fuzz_serve: %s\n", err);
        abort();
    }
    atexit(close_app);
    verbose = getenv("FUZZ_VERBOSE") != NULL;
    return 0;
}

/* Cuts the next line (up to '\n', which becomes NUL) off *p; NULL at the
 * end of the head. */
static char *next_line(char **p, char *end)
{
    if (*p >= end)
        return NULL;
    char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));
    if (!nl)
        nl = end;
    *nl = '\0';
    *p = nl + 1;
    return s;
}

static void header(rota_request *rq, char *line)
{
    char *colon = strchr(line, ':');
    if (!colon)
        return;
    *colon = '\0';
    char *v = colon + 1;
    while (*v == ' ')
        v++;
    if (strcasecmp(line, "authorization") == 0)
        rq->authorization = v;
    else if (strcasecmp(line, "content-type") == 0)
        rq->content_type = v;
    else if (strcasecmp(line, "origin") == 0)
        rq->origin = v;
    else if (strcasecmp(line, "accept") == 0)
        rq->accept = v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *p = buf, *end = buf + size;
    rota_request rq = {.method = "GET", .path = "/"};
    char *first = next_line(&p, end);
    if (first) {
        char *sp = strchr(first, ' ');
        if (sp) {
            *sp = '\0';
            rq.path = sp + 1;
            char *q = strchr(sp + 1, '?');
            if (q) {
                *q = '\0';
                rq.query = q + 1;
            }
        }
        rq.method = first;
    }
    char *line;
    while ((line = next_line(&p, end)) && *line)
        header(&rq, line);
    if (p < end) {
        rq.body = p;
        rq.body_len = (size_t)(end - p);
    }
    char *path = expand_path(rq.path);
    if (!path) {
        free(buf);
        return 0;
    }
    rq.path = path;
    rota_response rs;
    rota_app_handle(app, &rq, &rs);
    remember_id(&rs);
    if (rs.status < 100 || rs.status > 599) {
        fprintf(stderr, "fuzz_serve: status %d\n", rs.status);
        abort();
    }
    if (rs.body && rs.body[rs.body_len] != '\0') {
        fprintf(stderr, "fuzz_serve: body not NUL-terminated at its length\n");
        abort();
    }
    if (verbose)
        fprintf(stderr, "%s %s: %d %.200s\n", rq.method, rq.path, rs.status,
                rs.body ? rs.body : "");
    rota_response_free(&rs);
    free(path);
    free(buf);
    return 0;
}
