/* fuzz_matrix.c - the travel matrix CSV reader.
 *
 * The input becomes the matrix file of a fixed instance whose places have
 * ids found in the seeds (o1, a, b, c; b and c without a location, so the
 * matrix matters), then the instance is loaded from a buffer.  Rejections
 * must name a line and a column. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "rota/instance.h"

static const char instance[] =
    "format: rota/1\n"
    "name: fuzz matrix\n"
    "travel: {matrix: fuzz.csv}\n"
    "offices:\n"
    "  - {id: o1, location: {lat: 55.0, lon: 12.0}}\n"
    "  - {id: o2}\n"
    "staff:\n"
    "  - {id: s1, role: social_worker, hours: 20, office: o1}\n"
    "  - {id: s2, role: social_worker, hours: 20, office: o2}\n"
    "sites:\n"
    "  - {id: a, location: {lat: 55.1, lon: 12.0}, visits: [{role: social_worker, minutes: 60}]}\n"
    "  - {id: b, visits: [{role: social_worker, minutes: 60}]}\n"
    "  - {id: c, visits: [{role: social_worker, minutes: 30}]}\n";

static char yaml_path[4096], csv_path[4096];
static char dir[] = "/tmp/rota-fuzz-matrix-XXXXXX";

static void remove_dir(void)
{
    unlink(csv_path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (!mkdtemp(dir)) {
        perror("fuzz_matrix: mkdtemp");
        abort();
    }
    atexit(remove_dir);
    snprintf(yaml_path, sizeof yaml_path, "%s/fuzz.yaml", dir);
    snprintf(csv_path, sizeof csv_path, "%s/fuzz.csv", dir);
    return 0;
}

static void write_all(const uint8_t *data, size_t size)
{
    int fd = open(csv_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        perror("fuzz_matrix: open");
        abort();
    }
    while (size > 0) {
        ssize_t w = write(fd, data, size);
        if (w <= 0) {
            perror("fuzz_matrix: write");
            abort();
        }
        data += w, size -= (size_t)w;
    }
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rota_diags d;
    rota_instance *inst = NULL;
    write_all(data, size);
    rota_diags_init(&d);
    rota_status st = rota_instance_load_buffer(instance, sizeof instance - 1,
                                               yaml_path, &inst, &d);
    if ((st == ROTA_OK) != (inst != NULL))
        abort();
    if (st == ROTA_EINPUT)
        fuzz_require_positions(&d, "the matrix reader");
    if (inst && inst->travel)
        for (int p = 0; p < inst->n_places * inst->n_places; p++)
            if (inst->travel[p] < -1 || inst->travel[p] > 1440)
                abort();
    rota_instance_free(inst);
    rota_diags_free(&d);
    unlink(csv_path);
    return 0;
}
