/* fuzz.h: the two entry points every fuzz target defines, with libFuzzer's
 * signatures, so that one target source links both into a libFuzzer binary (clang,
 * -fsanitize=fuzzer) and into the replay test (replay.c, any compiler).  A target
 * reports a broken invariant by aborting, which both drivers count as a failure.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

G_BEGIN_DECLS

/* Called once before any input; may read and change the command line. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
/* Runs one input; returns 0.  Aborts when the code under test breaks a contract. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints "fuzz: <message>" on stderr and aborts. */
G_GNUC_NORETURN G_GNUC_PRINTF(1, 2) static inline void fuzz_fail(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  fputs("fuzz: ", stderr);
  vfprintf(stderr, fmt, args);
  fputc('\n', stderr);
  va_end(args);
  fflush(stderr);
  abort();
}

/* A GLib log writer for fuzzing: warnings, criticals (a g_return_if_fail() that
 * fired) and errors are printed and abort; messages and debug output are dropped,
 * so a long run is not slowed down by logging. */
static inline GLogWriterOutput fuzz_log_writer(GLogLevelFlags level, const GLogField *fields,
                                               gsize n_fields, gpointer user_data) {
  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0)
    return G_LOG_WRITER_HANDLED;
  g_log_writer_standard_streams(level, fields, n_fields, user_data);
  fuzz_fail("a GLib warning or critical was logged");
}

G_END_DECLS
