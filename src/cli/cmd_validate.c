/* cmd_validate.c - `rota validate INSTANCE.yaml`: load an instance and
 * report every problem in it, or a one-line summary when there is none. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rota/instance.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: rota validate INSTANCE.yaml\n\n"
            "Loads an instance (spec section 1) and prints every problem found as\n"
            "FILE:LINE:COLUMN: message on stderr.  Exit codes: 0 the instance is\n"
            "fine (a one-line summary goes to stderr), 1 internal error, 2 bad\n"
            "input or usage.\n");
}

static void summary(const rota_instance *inst)
{
    fprintf(stderr, "%d staff, %d sites, %d visits, cycle %d weeks, coverage %s\n",
            inst->n_staff, inst->n_sites, inst->n_visits, inst->cycle_weeks,
            inst->coverage_soft ? "soft" : "hard");
}

int cmd_validate(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return EXIT_ROTA_OK;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "rota validate: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return EXIT_ROTA_INPUT;
        }
        if (path) {
            fprintf(stderr, "rota validate: one instance at a time\n");
            usage(stderr);
            return EXIT_ROTA_INPUT;
        }
        path = argv[i];
    }
    if (!path) {
        usage(stderr);
        return EXIT_ROTA_INPUT;
    }
    rota_diags diags;
    rota_diags_init(&diags);
    rota_instance *inst = NULL;
    rota_status st = rota_instance_load(path, &inst, &diags);
    cli_print_diags(stderr, &diags);
    rota_diags_free(&diags);
    if (st != ROTA_OK) {
        if (st == ROTA_ENOMEM || st == ROTA_EINTERNAL) {
            fprintf(stderr, "rota validate: %s\n", rota_status_str(st));
            return EXIT_ROTA_INTERNAL;
        }
        return EXIT_ROTA_INPUT;
    }
    summary(inst);
    rota_instance_free(inst);
    return EXIT_ROTA_OK;
}
