/* fuzz.h - the libFuzzer entry points every target in tests/fuzz defines.
 *
 * Built with clang -fsanitize=fuzzer (meson -Dfuzz=true) they are fuzzers;
 * linked with driver.c (any compiler) they replay a corpus as a plain test.
 * A target aborts when an invariant of the reader breaks (a rejection
 * without a positioned message); sanitizers catch the rest. */
#ifndef ROTA_FUZZ_H
#define ROTA_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "rota/diag.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with `what` unless every diagnostic has a line and a column and
 * there is at least one (called after a rejection). */
void fuzz_require_positions(const rota_diags *d, const char *what);

#endif
