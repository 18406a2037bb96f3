/* fuzz_check.c - the roster reader of `rota check` against a fixed small
 * instance (tests/check/hand/hand.yaml, whose ids the seeds use).
 *
 * rota_check_buffer either judges the document (then every finding and
 * the JSON verdict are rendered) or rejects it with positioned messages;
 * rota_roster_read must agree on what is readable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "rota/check.h"

#ifndef ROTA_FUZZ_INSTANCE
#error "ROTA_FUZZ_INSTANCE: the path of tests/check/hand/hand.yaml"
#endif

static rota_instance *inst;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    rota_diags d;
    rota_diags_init(&d);
    if (rota_instance_load(ROTA_FUZZ_INSTANCE, &inst, &d) != ROTA_OK) {
        fprintf(stderr, "fuzz_check: cannot load %s\n", ROTA_FUZZ_INSTANCE);
        abort();
    }
    rota_diags_free(&d);
    return 0;
}

static void render(const rota_check_report *rep)
{
    char buf[512];
    for (size_t i = 0; i < rep->n; i++)
        rota_finding_format(inst, &rep->items[i], buf, sizeof buf);
    rota_check_summary(rep, buf, sizeof buf);
    free(rota_check_report_json(inst, rep, "fuzz.json"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    rota_check_report rep;
    rota_diags d;
    rota_check_report_init(&rep);
    rota_diags_init(&d);
    rota_status st = rota_check_buffer(inst, text, size, "fuzz.json", &rep, &d);
    if (st == ROTA_OK)
        render(&rep);
    else if (st == ROTA_EINPUT)
        fuzz_require_positions(&d, "rota_check_buffer");
    else if (st != ROTA_ENOMEM)
        abort();
    free(rota_diags_json(&d));
    rota_check_report_free(&rep);
    rota_diags_free(&d);

    rota_roster *r = NULL;
    rota_diags_init(&d);
    rota_status st2 = rota_roster_read(inst, text, size, "fuzz.json", &r, &d);
    if ((st2 == ROTA_OK) != (r != NULL))
        abort();
    if (st == ROTA_OK && st2 != ROTA_OK && st2 != ROTA_ENOMEM) {
        fprintf(stderr, "fuzz_check: judged, but rota_roster_read refuses it\n");
        abort();
    }
    rota_roster_free(r);
    rota_diags_free(&d);
    return 0;
}
