/* util.c - helpers shared by the subcommands. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

void cli_print_diags(FILE *out, const rota_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const rota_diag *g = &d->items[i];
        if (g->file)
            fprintf(out, "%s:", g->file);
        if (g->line > 0) {
            fprintf(out, "%d:", g->line);
            if (g->col > 0)
                fprintf(out, "%d:", g->col);
        }
        fprintf(out, "%s%s\n", (g->file || g->line > 0) ? " " : "", g->msg);
    }
    if (d->n_dropped)
        fprintf(out, "(%zu more problems not shown)\n", d->n_dropped);
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/* A device or a pipe (/dev/stdout, /dev/null, a FIFO) is written in place:
 * a rename would replace the node itself (as root, /dev/null would become a
 * plain file). */
static int write_in_place(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_TRUNC);
    if (fd < 0)
        return -1;
    if (write_all(fd, data, len) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return close(fd);
}

/* Why a temporary file and rename: a reader (or a crash) never sees a
 * half-written roster; the old file stays whole until the new one is. */
int cli_write_atomic(const char *path, const char *data, size_t len)
{
    if (strcmp(path, "-") == 0)
        return write_all(STDOUT_FILENO, data, len);
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return write_in_place(path, data, len);
    char *copy = strdup(path);
    if (!copy)
        return -1;
    const char *dir = dirname(copy);
    size_t n = strlen(dir) + 32;
    char *tmp = malloc(n);
    int fd = -1, saved = 0;
    if (!tmp)
        goto fail;
    snprintf(tmp, n, "%s/.rota-XXXXXX", dir);
    fd = mkstemp(tmp);
    if (fd < 0)
        goto fail;
    fchmod(fd, 0644);
    if (write_all(fd, data, len) < 0 || fsync(fd) < 0)
        goto fail;
    if (close(fd) < 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) < 0)
        goto fail;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(tmp);
    free(copy);
    return 0;
fail:
    saved = errno;
    if (fd >= 0)
        close(fd);
    if (tmp && tmp[0])
        unlink(tmp);
    free(tmp);
    free(copy);
    errno = saved;
    return -1;
}

int cli_load_instance(const char *cmd, const char *path, rota_instance **out)
{
    rota_diags d;
    rota_diags_init(&d);
    *out = NULL;
    rota_status st = rota_instance_load(path, out, &d);
    if (st != ROTA_OK) {
        cli_print_diags(stderr, &d);
        if (d.n == 0)
            fprintf(stderr, "rota %s: %s: %s\n", cmd, path,
                    rota_status_str(st));
    }
    rota_diags_free(&d);
    if (st == ROTA_OK)
        return EXIT_ROTA_OK;
    return st == ROTA_ENOMEM ? EXIT_ROTA_INTERNAL : EXIT_ROTA_INPUT;
}
