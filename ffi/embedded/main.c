/*
 * The firmware test program: replays the scenario corpus through libstakehold_ffi.a (built
 * for thumbv7em-none-eabihf without `alloc`) on qemu's mps2-an386, prints the transcript over
 * semihosting (byte for byte the corpus when every result agrees with the native run), and
 * reports the stack each library call used, measured by painting the stack before the call
 * and finding the deepest word overwritten after it. Lines starting with "% " are reports,
 * not transcript.
 *
 * It then runs the chain's pure finality function (sh_justify_and_finalize) over four epochs
 * of full participation, which must finalize epoch 2, and one overflowing balance, which must
 * be refused (800) and leave the record alone; its stack is measured the same way. Then the
 * screens of the chain's largest messages (the corpus's chain scenarios are left out of it):
 * an attestation of 64 validators, a proposer slashing and an attester slashing of 16 and 16,
 * every item and page on a 16-character line, with the stack measured. Last, the dashboard
 * estimates (sh_estimate_apr, sh_slashing_timeline, sh_proposal_probability), whose doubles are
 * software arithmetic on this FPU, against the host's figures.
 *
 * corpus.h is generated from tests/vectors/scenarios.txt at build time (scripts/test-ffi.sh).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "corpus.h"
#include "corpus_genesis.h"
#include "replay.h"
#include "semihosting.h"
#include "stakehold.h"

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

/* ---- the chain's finality record ----------------------------------------------------------- */

/* One epoch's justification and finalization on `state`, in place, with the stack measured. */
static sh_status justify(uint8_t state[SH_FINALITY_STATE_LEN], uint64_t epoch, uint64_t total,
                         uint64_t target, uint8_t outcome[SH_FINALITY_OUTCOME_MAX_LEN],
                         size_t *outcome_len) {
  /* The host's root at the start of epoch e: e + 1 in every byte. */
  uint8_t previous_root[SH_ROOT_LEN], current_root[SH_ROOT_LEN];
  memset(previous_root, (int)(epoch == 0 ? 1 : epoch), sizeof previous_root);
  memset(current_root, (int)(epoch + 1), sizeof current_root);
  size_t state_len = 0;
  paint();
  sh_status s = sh_justify_and_finalize(state, SH_FINALITY_STATE_LEN, epoch, total, target,
                                        target, previous_root, sizeof previous_root,
                                        current_root, sizeof current_root, state,
                                        SH_FINALITY_STATE_LEN, &state_len, outcome,
                                        SH_FINALITY_OUTCOME_MAX_LEN, outcome_len);
  measure("sh_justify_and_finalize");
  return s;
}

/* Epochs 0 to 3 with every validator's vote: epoch 3 justifies 3 and finalizes 2. Returns 0
 * when every result is right. */
static int check_finality(void) {
  const uint64_t total = 4000000000000u; /* four 1000-coin validators, in Gwei */
  uint8_t state[SH_FINALITY_STATE_LEN] = {0}, outcome[SH_FINALITY_OUTCOME_MAX_LEN];
  size_t outcome_len = 0;
  int failed = 0;
  for (uint64_t epoch = 0; epoch < 4; epoch++)
    failed |= justify(state, epoch, total, total, outcome, &outcome_len) != SH_OK;
  /* The outcome: no new previous-epoch checkpoint (0), epoch 3 (1, 40 bytes), the finalized
   * epoch 2 (1, its epoch and root 03 03 …), the rule FirstAndSecond (1, 3). */
  const uint8_t *finalized = outcome + 42;
  failed |= outcome_len != 85 || outcome[0] != 0 || outcome[1] != 1 || finalized[0] != 1 ||
            finalized[1] != 2 || finalized[9] != 3 || outcome[83] != 1 || outcome[84] != 3;
  /* The record: bits 0-2 set, and the finalized checkpoint (its last 40 bytes) is epoch 2. */
  failed |= state[0] != 0x07 || memcmp(state + 81, finalized + 1, 40) != 0;
  /* A balance whose triple overflows is refused, and the record stays as it was. */
  uint8_t before[SH_FINALITY_STATE_LEN];
  memcpy(before, state, sizeof before);
  failed |= justify(state, 4, total, UINT64_MAX, outcome, &outcome_len) != 800;
  failed |= memcmp(state, before, sizeof before) != 0;
  write_str(failed ? "% finality: FAILED\n"
                   : "% finality: epoch 2 finalized at the end of epoch 3\n");
  return failed;
}

/* ---- the chain's messages on the screen ----------------------------------------------------- */


static uint8_t nibble(char c) { return (uint8_t)(c <= '9' ? c - '0' : c - 'a' + 10); }

static size_t put_le(uint8_t *out, uint64_t v) {
  for (int i = 0; i < 8; i++) out[i] = (uint8_t)(v >> (8 * i));
  return 8;
}

/* AttestationData (128 bytes): a vote at epoch `target`'s first slot, from epoch `source`. */
static size_t put_vote(uint8_t *out, uint64_t source, uint64_t target, uint8_t head) {
  size_t len = put_le(out, target * 32);
  len += put_le(out + len, 0);
  memset(out + len, head, 32);
  len += 32;
  len += put_le(out + len, source);
  memset(out + len, 0x11, 32);
  len += 32;
  len += put_le(out + len, target);
  memset(out + len, 0x22, 32);
  return len + 32;
}

/* Validators first, first + 1, … (n of them) after a compact count. */
static size_t put_indices(uint8_t *out, uint64_t first, size_t n) {
  size_t len = 0;
  if (n >= 64) {
    out[len++] = (uint8_t)((n << 2) | 1);
    out[len++] = (uint8_t)(n >> 6);
  } else {
    out[len++] = (uint8_t)(n << 2);
  }
  for (size_t i = 0; i < n; i++) len += put_le(out + len, first + i);
  return len;
}

/* A message's summary on a 16-character line: every item and page, the stack of each call
 * measured. Returns 0 when it has `items` items, the first titled `first_title`. */
static int screen(const uint8_t *msg, size_t msg_len, const uint8_t *globals, size_t globals_len,
                  size_t items, const char *first_title) {
  static const sh_context ctx = {{0xa1}, 1743033600u, 1};
  size_t count = 0;
  paint();
  sh_status s = sh_summary_item_count(msg, msg_len, &ctx, globals, globals_len, &count);
  measure("sh_summary_item_count");
  int failed = s != SH_OK || count != items;
  for (size_t i = 0; i < count; i++) {
    size_t pages = 1;
    for (size_t page = 0; page < pages; page++) {
      char title[SH_TITLE_CAP], line[17];
      size_t title_len = 0, line_len = 0;
      paint();
      s = sh_summary_item(msg, msg_len, &ctx, globals, globals_len, i, page, title, sizeof title,
                          &title_len, line, sizeof line, &line_len, &pages);
      measure("sh_summary_item");
      failed |= s != SH_OK || title_len == 0 || (i == 0 && strcmp(title, first_title) != 0);
    }
  }
  /* sh_apply refuses a chain message (503), as the device's flow would learn. */
  static uint8_t out_globals[SH_GLOBALS_MAX_LEN], out_account[SH_ACCOUNT_MAX_LEN],
      out_event[SH_EVENT_MAX_LEN];
  size_t globals_written = 0, account_written = 0, event_written = 0;
  paint();
  s = sh_apply(globals, globals_len, NULL, 0, &ctx, msg, msg_len, out_globals, sizeof out_globals,
               &globals_written, out_account, sizeof out_account, &account_written, out_event,
               sizeof out_event, &event_written);
  measure("sh_apply");
  return failed | (s != 503) | (sh_msg_validate(msg, msg_len) != SH_OK);
}

/* The three largest chain messages: an attestation of 64 validators (724 bytes), a proposer
 * slashing (234) and an attester slashing of 16 and 16 (524). Returns 0 when every screen is
 * right. */
static int check_chain_screens(void) {
  static uint8_t globals[sizeof CORPUS_GENESIS_GLOBALS_HEX / 2], msg[SH_MSG_MAX_LEN];
  size_t globals_len = sizeof CORPUS_GENESIS_GLOBALS_HEX / 2;
  for (size_t i = 0; i < globals_len; i++)
    globals[i] = (uint8_t)(nibble(CORPUS_GENESIS_GLOBALS_HEX[2 * i]) << 4 |
                           nibble(CORPUS_GENESIS_GLOBALS_HEX[2 * i + 1]));

  size_t len = 0;
  msg[len++] = 1;
  msg[len++] = 0x50; /* Attest: data, 64 validators, the including block */
  len += put_vote(msg + len, 2, 3, 0xbe);
  len += put_indices(msg + len, 0, 64);
  len += put_le(msg + len, 3 * 32 + 1);
  len += put_le(msg + len, 0);
  memset(msg + len, 0x22, 32);
  memset(msg + len + 32, 0xbe, 32);
  len += 64;
  int failed = len != 724 || screen(msg, len, globals, globals_len, 7, "Attesters");

  len = 0;
  msg[len++] = 1;
  msg[len++] = 0x42; /* ProposerSlashing: the reporter, two headers of validator 2 at slot 5 */
  len += put_le(msg + len, 0);
  for (int h = 0; h < 2; h++) {
    len += put_le(msg + len, 5);
    len += put_le(msg + len, 2);
    memset(msg + len, 0x0a, 64);
    memset(msg + len + 64, 0xb1 + h, 32);
    len += 96;
  }
  failed |= len != 234 || screen(msg, len, globals, globals_len, 5, "Slash proposer");

  len = 0;
  msg[len++] = 1;
  msg[len++] = 0x43; /* AttesterSlashing: validators 100–115 voted 0 → 3 and 1 → 2 */
  len += put_le(msg + len, 7);
  len += put_indices(msg + len, 100, 16);
  len += put_vote(msg + len, 0, 3, 0xbe);
  len += put_indices(msg + len, 100, 16);
  len += put_vote(msg + len, 1, 2, 0xbe);
  failed |= len != 524 || screen(msg, len, globals, globals_len, 6, "Slash attesters");

  write_str(failed ? "% chain screens: FAILED\n"
                   : "% chain screens: an attestation of 64, a proposer slashing, an attester "
                     "slashing of 16\n");
  return failed;
}

/* ---- dashboard estimates -------------------------------------------------------------------- */

/* |a - b| <= rel * |b|, without libm. */
static int near(double a, double b, double rel) {
  double d = a > b ? a - b : b - a;
  return d <= rel * (b < 0 ? -b : b);
}

/* The three estimates in software double arithmetic (the M4F's FPU is single precision), each
 * with its stack measured: mainnet APR 2.94 %, a slashed validator's day 18 / day 36, and the
 * odds of proposing in a day, as the host tests and the core's tests compute them. Returns 0
 * when every result is right. */
static int check_estimates(void) {
  uint8_t preset[SH_PRESET_LEN];
  size_t preset_len = 0;
  int failed = sh_preset(SH_PRESET_DENEB, preset, sizeof preset, &preset_len) != SH_OK;
  const uint64_t total = 1000000ull * 32000000000ull; /* 1 M validators of 32 ETH, Gwei */

  double apr = 0;
  paint();
  sh_status s = sh_estimate_apr(preset, preset_len, total, 1.0, &apr);
  measure("sh_estimate_apr");
  failed |= s != SH_OK || !near(apr, 0.02940205783614474, 1e-9);

  uint8_t validator[SH_VALIDATOR_LEN];
  memset(validator, 0, sizeof validator);
  validator[88] = 1; /* slashed; withdrawable epoch (the last 8 bytes) 1000 + 8192 */
  const uint64_t withdrawable = 1000 + 8192;
  for (int i = 0; i < 8; i++) validator[113 + i] = (uint8_t)(withdrawable >> (8 * i));
  sh_slashing_schedule t;
  paint();
  s = sh_slashing_timeline(preset, preset_len, validator, sizeof validator, 1000, &t);
  measure("sh_slashing_timeline");
  failed |= s != SH_OK || t.correlation_penalty_epoch != 1000 + 4096 ||
            t.seconds_to_withdrawable != 8192.0 * 384.0 || (int)t.days_to_correlation_penalty != 18 ||
            (int)t.days_to_withdrawable != 36;

  double day = 0;
  paint();
  s = sh_proposal_probability(32000000000ull, total, 7200, &day);
  measure("sh_proposal_probability");
  failed |= s != SH_OK || !near(day, 0.007174145670362115, 1e-12);

  write_str(failed ? "% estimates: FAILED\n"
                   : "% estimates: APR 2.94 %, penalty day 18, withdrawable day 36, proposal odds "
                     "a day 0.72 %\n");
  return failed;
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
  int finality_failed = check_finality();
  int screens_failed = check_chain_screens();
  int estimates_failed = check_estimates();
  report(stats);
  flush_output();
  return stats.mismatches != 0 || stats.steps == 0 || finality_failed || screens_failed ||
         estimates_failed || deepest <= (uintptr_t)&__stack_bottom;
}
