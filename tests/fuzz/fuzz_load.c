/* fuzz_load.c - the instance loader (YAML) from a buffer, as the CLI
 * calls it (rota_instance_load_buffer) and as rota serve does
 * (rota_instance_load_untrusted: no file is read, the matrix is inline).
 *
 * Every input either loads or is rejected with at least one message, each
 * with a line and a column.  A loaded instance is freed (leaks show under
 * ASan).  Relative travel.matrix paths resolve against a private empty
 * directory, so an input cannot make the target read the corpus. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "rota/instance.h"

static char yaml_path[4096];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char dir[] = "/tmp/rota-fuzz-load-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("fuzz_load: mkdtemp");
        abort();
    }
    rmdir(dir);   /* nothing to find there: every matrix is missing */
    snprintf(yaml_path, sizeof yaml_path, "%s/fuzz.yaml", dir);
    return 0;
}

static void load(const uint8_t *data, size_t size, int untrusted)
{
    rota_diags d;
    rota_instance *inst = NULL;
    rota_diags_init(&d);
    rota_status st = untrusted
        ? rota_instance_load_untrusted((const char *)data, size, "fuzz.yaml", &inst, &d)
        : rota_instance_load_buffer((const char *)data, size, yaml_path, &inst, &d);
    if ((st == ROTA_OK) != (inst != NULL))
        abort();
    if (st == ROTA_EINPUT)
        fuzz_require_positions(&d, untrusted ? "the untrusted loader" : "the loader");
    rota_instance_free(inst);
    rota_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load(data, size, 0);
    load(data, size, 1);
    return 0;
}
