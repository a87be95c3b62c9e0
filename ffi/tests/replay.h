/*
 * Replays the scenario corpus (tests/vectors/scenarios.txt) through the C library and prints
 * it back from the library's own results, so that the output is byte for byte the corpus when
 * every result agrees with the native Rust run. Shared by the host test (ffi/tests/test_ffi.c)
 * and the bare-metal program (ffi/embedded/main.c); uses no heap and no stdio.
 */
#ifndef REPLAY_H
#define REPLAY_H

#include <stddef.h>

typedef struct replay_io {
  /* Writes output text (pieces of lines). */
  void (*write)(const char *text, size_t len);
  /* Called around every library call (NULL when not needed): the firmware measures stack. */
  void (*before_call)(void);
  void (*after_call)(const char *function);
} replay_io;

typedef struct replay_stats {
  unsigned scenarios, steps, mismatches;
} replay_stats;

/* Replays `corpus` (`len` bytes of scenarios.txt). Mismatches are counted, and explained on
 * lines starting with "% ". */
replay_stats replay_corpus(const char *corpus, size_t len, const replay_io *io);

#endif
