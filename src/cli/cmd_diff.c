/* cmd_diff.c - `rota diff OLD.json NEW.json [--json] [--all]`: what moved
 * between two rosters, per site and per staff member (library:
 * rota/diff.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rota/diff.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: rota diff OLD_ROSTER.json NEW_ROSTER.json [--json] [--all]\n\n"
        "Lists what changed between two rosters: per visit (site and role) its\n"
        "staff member, day, start and weeks before and after, visits newly covered\n"
        "or uncovered; per staff member the visits lost and gained; and the share\n"
        "of visits covered in both that kept staff, day, start and weeks.\n"
        "No instance is needed (a re-plan may name staff the new instance lacks).\n\n"
        "  --json   the rota-diff/1 document (docs/replan.md)\n"
        "  --all    list unchanged visits too\n\n"
        "Exit codes: 0 no change, 3 the rosters differ, 2 bad input or usage,\n"
        "1 internal error.\n");
}

int cmd_diff(int argc, char **argv)
{
    const char *paths[2] = {NULL, NULL};
    int json = 0, all = 0, n = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return EXIT_ROTA_OK;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--all")) {
            all = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "rota diff: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return EXIT_ROTA_INPUT;
        } else if (n < 2) {
            paths[n++] = argv[i];
        } else {
            fprintf(stderr, "rota diff: more than two rosters given\n");
            usage(stderr);
            return EXIT_ROTA_INPUT;
        }
    }
    if (n != 2) {
        fprintf(stderr, "rota diff: two rosters are needed\n");
        usage(stderr);
        return EXIT_ROTA_INPUT;
    }
    rota_diags diags;
    rota_diags_init(&diags);
    rota_diff d;
    rota_status st = rota_diff_files(paths[0], paths[1], &d, &diags);
    cli_print_diags(stderr, &diags);
    rota_diags_free(&diags);
    if (st != ROTA_OK) {
        if (st == ROTA_ENOMEM)
            fprintf(stderr, "rota diff: out of memory\n");
        return st == ROTA_ENOMEM ? EXIT_ROTA_INTERNAL : EXIT_ROTA_INPUT;
    }
    char *text = json ? rota_diff_json(&d, paths[0], paths[1]) : rota_diff_text(&d, all);
    int code = d.unchanged == d.n_items ? EXIT_ROTA_OK : EXIT_ROTA_INFEASIBLE;
    if (!text) {
        fprintf(stderr, "rota diff: out of memory\n");
        code = EXIT_ROTA_INTERNAL;
    } else if (fputs(text, stdout) < 0 || (json && fputc('\n', stdout) < 0) ||
               fflush(stdout) != 0) {
        fprintf(stderr, "rota diff: cannot write stdout\n");
        code = EXIT_ROTA_INTERNAL;
    }
    free(text);
    rota_diff_free(&d);
    return code;
}
