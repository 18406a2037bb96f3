/* main.c - `rota`: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rota_config.h"

static const struct {
    const char *name;
    int (*run)(int, char **);
    const char *what;
} commands[] = {
    {"solve", cmd_solve, "plan a roster for an instance"},
    {"check", cmd_check, "check a roster against an instance"},
    {"diff", cmd_diff, "what moved between two rosters, per site and per counsellor"},
    {"pin", cmd_pin, "write a roster's assignments into the instance as pins or current"},
    {"size", cmd_size, "the least team covering every visit, and a what-if table"},
    {"export", cmd_export, "render a roster as iCalendar, CSV, text or HTML"},
    {"validate", cmd_validate, "load an instance and report every problem in it"},
    {"serve", cmd_serve, "serve the HTTP API: plans, rosters, calendars"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: rota COMMAND [OPTIONS] ...\n\n"
                 "Plans the weekly rosters of outreach counsellors.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].what);
    fprintf(out, "\n'rota COMMAND --help' tells more.  Exit codes: 0 ok, 1 internal error,\n"
                 "2 bad input or usage, 3 infeasible (or, for check, a broken roster),\n"
                 "4 no solution within the time limit.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_ROTA_INPUT;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EXIT_ROTA_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("rota %s\n", ROTA_VERSION);
        return EXIT_ROTA_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "rota: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_ROTA_INPUT;
}
