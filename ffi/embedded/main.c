/*
 * The firmware test program: replays the scenario corpus through libstakehold_ffi.a (built
 * for thumbv7em-none-eabihf without `alloc`) on qemu's mps2-an386, prints the transcript over
 * semihosting (byte for byte the corpus when every result agrees with the native run), and
 * reports the stack each library call used, measured by painting the stack before the call
 * and finding the deepest word overwritten after it. Lines starting with "% " are reports,
 * not transcript.
 *
 * corpus.h is generated from tests/vectors/scenarios.txt at build time (scripts/test-ffi.sh).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "corpus.h"
#include "replay.h"
#include "semihosting.h"

extern uint32_t __stack_bottom, __stack_top;

/* ---- output: buffered into NUL-terminated chunks for SYS_WRITE0 --------------------------- */

static char chunk[256];
static size_t chunk_len;

static void flush_output(void) {
  chunk[chunk_len] = '\0';
  semihost_write0(chunk);
  chunk_len = 0;
}

static void write_out(const char *text, size_t len) {
  for (size_t i = 0; i < len; i++) {
    chunk[chunk_len++] = text[i];
    if (chunk_len == sizeof chunk - 1) flush_output();
  }
}

static void write_str(const char *text) { write_out(text, strlen(text)); }

static void write_u32(uint32_t v) {
  char digits[10];
  size_t n = 0;
  do {
    digits[sizeof digits - 1 - n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  write_out(digits + sizeof digits - n, n);
}

/* ---- stack painting ------------------------------------------------------------------------ */

#define PAINT 0xC0FFEE11u
/* Words just below the painter's own frame are left alone. */
#define MARGIN 64

#define MAX_FUNCTIONS 16
static struct {
  const char *name;
  uint32_t max;
} usage[MAX_FUNCTIONS];
static uintptr_t call_sp, deepest = (uintptr_t)-1;

static inline uintptr_t stack_pointer(void) {
  uintptr_t sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  return sp;
}

/* Paints the free stack below the caller, just before a library call. */
static void paint(void) {
  call_sp = stack_pointer();
  for (volatile uint32_t *p = &__stack_bottom; (uintptr_t)p < call_sp - MARGIN; p++) *p = PAINT;
}

/* After the call: the deepest word it overwrote, recorded per function. */
static void measure(const char *function) {
  const uint32_t *p = &__stack_bottom;
  while ((uintptr_t)p < call_sp - MARGIN && *p == PAINT) p++;
  if ((uintptr_t)p < deepest) deepest = (uintptr_t)p;
  uint32_t used = (uint32_t)(call_sp - (uintptr_t)p);
  for (size_t i = 0; i < MAX_FUNCTIONS; i++) {
    if (usage[i].name == NULL || strcmp(usage[i].name, function) == 0) {
      usage[i].name = function;
      if (used > usage[i].max) usage[i].max = used;
      return;
    }
  }
}

static void report(replay_stats stats) {
  uint32_t worst = 0;
  for (size_t i = 0; i < MAX_FUNCTIONS && usage[i].name != NULL; i++) {
    write_str("% stack ");
    write_str(usage[i].name);
    write_str(": ");
    write_u32(usage[i].max);
    write_str(" bytes\n");
    if (usage[i].max > worst) worst = usage[i].max;
  }
  write_str("% stack worst call: ");
  write_u32(worst);
  write_str(" bytes; whole program high-water mark: ");
  write_u32((uint32_t)((uintptr_t)&__stack_top - deepest));
  write_str(" of ");
  write_u32((uint32_t)((uintptr_t)&__stack_top - (uintptr_t)&__stack_bottom));
  write_str(" bytes\n% corpus: ");
  write_u32(stats.scenarios);
  write_str(" scenarios, ");
  write_u32(stats.steps);
  write_str(" steps, ");
  write_u32(stats.mismatches);
  write_str(" mismatches\n");
}

int main(void) {
  const replay_io io = {write_out, paint, measure};
  replay_stats stats = replay_corpus(corpus, sizeof corpus - 1, &io);
  report(stats);
  flush_output();
  return stats.mismatches != 0 || stats.steps == 0 || deepest <= (uintptr_t)&__stack_bottom;
}
