/*
 * Host tests of the C library: every function, with good and bad inputs (NULL pointers,
 * short buffers, garbage bytes, wrong versions, indexes and pages out of range), the
 * proof-of-stake chain (presets, justification and finalization, chain messages, a ledger
 * handle whose four genesis validators reach finality with rewards, proposer and attester
 * slashings through a ledger handle), then the scenario corpus (replay.c),
 * printed to stdout for the caller to compare with the corpus.
 *
 *   test_ffi CORPUS_FILE > transcript      (exit status 0 when everything passed)
 *
 * Built with -Wall -Wextra -Werror -fsanitize=address,undefined and -DSH_FEATURE_ALLOC,
 * linked with libstakehold_ffi.a built with the `alloc` feature (scripts/test-ffi.sh).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_genesis.h"
#include "replay.h"
#include "stakehold.h"

static int checks, failures;

#define CHECK(cond)                                                        \
  do {                                                                     \
    checks++;                                                              \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                          \
    }                                                                      \
  } while (0)

#define CHECK_STATUS(expr, want)                                                    \
  do {                                                                              \
    sh_status got_ = (expr);                                                        \
    checks++;                                                                       \
    if (got_ != (sh_status)(want)) {                                                \
      fprintf(stderr, "%s:%d: %s returned %u, expected %u\n", __FILE__, __LINE__, #expr, \
              (unsigned)got_, (unsigned)(want));                                    \
      failures++;                                                                   \
    }                                                                               \
  } while (0)

/* Core error codes used below (the stable codes of stakehold::Error). */
enum {
  TRUNCATED = 200,
  TRAILING_BYTES = 201,
  UNSUPPORTED_VERSION = 202,
  MALFORMED = 203,
  DECIMALS_TOO_LARGE = 102,
  BELOW_MIN_STAKE = 400,
  EXCEEDS_STAKED = 402,
  ZERO_MIN_STAKE = 408,
};

/* A byte that output buffers are filled with, to see that failed calls leave them alone. */
#define UNTOUCHED 0xA5

static size_t unhex(const char *hex, uint8_t *out, size_t cap) {
  size_t n = strlen(hex) / 2;
  if (n > cap) abort();
  for (size_t i = 0; i < n; i++) {
    unsigned byte;
    if (sscanf(hex + 2 * i, "%2x", &byte) != 1) abort();
    out[i] = (uint8_t)byte;
  }
  return n;
}

static int untouched(const void *buf, size_t len) {
  const uint8_t *b = buf;
  for (size_t i = 0; i < len; i++)
    if (b[i] != UNTOUCHED) return 0;
  return 1;
}

#define PARAMS_LEN 41 /* the parameters, then the council (65 bytes), then the totals */
#define COUNCIL_LEN 65

static uint8_t globals[SH_GLOBALS_MAX_LEN];
static size_t globals_len;
static sh_context alice;

/* A staker's message: version 1, kind, a 32-byte little-endian amount of wei. */
static size_t amount_msg(uint8_t kind, uint64_t wei, uint8_t out[34]) {
  memset(out, 0, 34);
  out[0] = 1;
  out[1] = kind;
  for (int i = 0; i < 8; i++) out[2 + i] = (uint8_t)(wei >> (8 * i));
  return 34;
}

enum { STAKE = 0x10, UNSTAKE = 0x11, WITHDRAW = 0x12 };
#define BTT 1000000000000000000ull

static void test_version(void) {
  CHECK(sh_version() ==
        ((SH_VERSION_MAJOR << 16) | (SH_VERSION_MINOR << 8) | SH_VERSION_PATCH));
}

static void test_status_text(void) {
  char text[96];
  size_t len = 0;
  CHECK_STATUS(sh_status_text(BELOW_MIN_STAKE, text, sizeof text, &len), SH_OK);
  CHECK(strcmp(text, "BelowMinStake (400): the stake is below the minimum") == 0);
  CHECK(len == strlen(text));
  CHECK_STATUS(sh_status_text(SH_OK, text, sizeof text, &len), SH_OK);
  CHECK(strcmp(text, "Ok (0): success") == 0);
  CHECK_STATUS(sh_status_text(SH_NULL_POINTER, text, sizeof text, &len), SH_OK);
  CHECK(strcmp(text, "NullPointer (602): a pointer argument is NULL") == 0);
  const sh_status codes[] = {SH_BUFFER_TOO_SMALL, SH_INVALID_ARGUMENT, SH_NO_SUCH_ITEM,
                             SH_NO_SUCH_PAGE, 100, 308, 410, 502, 503, 504, 700, 707, 708,
                             717, 718, 721, 727, 800, 806, 808, 809, 810, 815};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    CHECK_STATUS(sh_status_text(codes[i], text, sizeof text, &len), SH_OK);
    CHECK(strncmp(text, "Unknown (", 9) != 0);
  }
  CHECK_STATUS(sh_status_text(503, text, sizeof text, &len), SH_OK);
  CHECK(strcmp(text, "ChainMessage (503): a proof-of-stake message needs the ledger's chain") == 0);
  CHECK_STATUS(sh_status_text(809, text, sizeof text, &len), SH_OK);
  CHECK(strcmp(text, "TargetEpochOutOfRange (809): the target epoch is neither the current nor "
                     "the previous") == 0);
  CHECK_STATUS(sh_status_text(814, text, sizeof text, &len), SH_OK);
  CHECK(strcmp(text, "WrongSource (814): the source is not the justified checkpoint") == 0);
  CHECK_STATUS(sh_status_text(505, text, sizeof text, &len), SH_OK);
  CHECK(strncmp(text, "Unknown (505)", 13) == 0);
  CHECK_STATUS(sh_status_text(807, text, sizeof text, &len), SH_OK); /* UnsortedVotes, retired */
  CHECK(strncmp(text, "Unknown (807)", 13) == 0);
  CHECK_STATUS(sh_status_text(12345, text, sizeof text, &len), SH_OK);
  CHECK(strcmp(text, "Unknown (12345): not a stakehold status") == 0);

  /* Asking for the length, and a short buffer: 204 with the capacity needed, text untouched. */
  size_t needed = 0;
  CHECK_STATUS(sh_status_text(BELOW_MIN_STAKE, NULL, 0, &needed), SH_BUFFER_TOO_SMALL);
  CHECK(needed == strlen("BelowMinStake (400): the stake is below the minimum") + 1);
  memset(text, UNTOUCHED, sizeof text);
  CHECK_STATUS(sh_status_text(BELOW_MIN_STAKE, text, needed - 1, &len), SH_BUFFER_TOO_SMALL);
  CHECK(len == needed && untouched(text, sizeof text));
  CHECK_STATUS(sh_status_text(BELOW_MIN_STAKE, text, needed, &len), SH_OK);
  CHECK(len == needed - 1);
  CHECK_STATUS(sh_status_text(BELOW_MIN_STAKE, NULL, 10, &len), SH_NULL_POINTER);
  CHECK_STATUS(sh_status_text(BELOW_MIN_STAKE, text, sizeof text, NULL), SH_NULL_POINTER);
}

static void test_msg_validate(void) {
  uint8_t msg[64];
  size_t len = amount_msg(STAKE, BTT, msg);
  CHECK_STATUS(sh_msg_validate(msg, len), SH_OK);
  CHECK_STATUS(sh_msg_validate(msg, len - 1), TRUNCATED);
  CHECK_STATUS(sh_msg_validate(msg, len + 1), TRAILING_BYTES);
  CHECK_STATUS(sh_msg_validate(NULL, 0), TRUNCATED);
  CHECK_STATUS(sh_msg_validate(NULL, 5), SH_NULL_POINTER);
  CHECK_STATUS(sh_msg_validate(msg, SIZE_MAX), SH_INVALID_ARGUMENT);
  msg[0] = 2;
  CHECK_STATUS(sh_msg_validate(msg, len), UNSUPPORTED_VERSION);
  const uint8_t unknown_kind[] = {1, 0x16};
  CHECK_STATUS(sh_msg_validate(unknown_kind, sizeof unknown_kind), MALFORMED);
  const uint8_t withdraw[] = {1, WITHDRAW};
  CHECK_STATUS(sh_msg_validate(withdraw, sizeof withdraw), SH_OK);
}

static void test_msg_account(void) {
  uint8_t msg[SH_MSG_MAX_LEN], id[SH_ACCOUNT_ID_LEN];
  size_t len = amount_msg(STAKE, BTT, msg), id_len = 0;
  CHECK_STATUS(sh_msg_account(msg, len, &alice, id, sizeof id, &id_len), SH_OK);
  CHECK(id_len == SH_ACCOUNT_ID_LEN && memcmp(id, alice.caller, sizeof id) == 0);

  /* A slash names its target: 0x02… slashed by 0xc1 and 0xc2. */
  size_t slash_len = unhex(
      "011502020202020202020202020202020202020202020000d01309468e15010000000000000000000000"
      "0000000000000000000000000008c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c2c2c2c2c2c2c2c2"
      "c2c2c2c2c2c2c2c2c2c2c2c2",
      msg, sizeof msg);
  CHECK_STATUS(sh_msg_validate(msg, slash_len), SH_OK);
  CHECK_STATUS(sh_msg_account(msg, slash_len, &alice, id, sizeof id, &id_len), SH_OK);
  CHECK(id_len == SH_ACCOUNT_ID_LEN && id[0] == 0x02 && id[19] == 0x02);

  /* A parameter update touches no account. */
  size_t params_len = unhex(
      "0114008d2700000000000000e8890423c78a000000000000000000000000000000000000000000000000"
      "0008c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3",
      msg, sizeof msg);
  CHECK_STATUS(sh_msg_validate(msg, params_len), SH_OK);
  CHECK_STATUS(sh_msg_account(msg, params_len, &alice, id, sizeof id, &id_len), SH_OK);
  CHECK(id_len == 0);

  len = amount_msg(STAKE, BTT, msg);
  memset(id, UNTOUCHED, sizeof id);
  CHECK_STATUS(sh_msg_account(msg, len, &alice, id, sizeof id - 1, &id_len),
               SH_BUFFER_TOO_SMALL);
  CHECK(id_len == SH_ACCOUNT_ID_LEN && untouched(id, sizeof id));
  CHECK_STATUS(sh_msg_account(msg, len, NULL, id, sizeof id, &id_len), SH_NULL_POINTER);
  CHECK_STATUS(sh_msg_account(msg, len, &alice, id, sizeof id, NULL), SH_NULL_POINTER);
  CHECK_STATUS(sh_msg_account(msg, 3, &alice, id, sizeof id, &id_len), TRUNCATED);
  CHECK(untouched(id, sizeof id));
}

/* Output buffers of sh_apply, filled with UNTOUCHED. */
typedef struct outputs {
  uint8_t globals[SH_GLOBALS_MAX_LEN], account[SH_ACCOUNT_MAX_LEN], event[SH_EVENT_MAX_LEN];
  size_t globals_len, account_len, event_len;
} outputs;

static sh_status apply(const uint8_t *account, size_t account_len, const uint8_t *msg,
                       size_t msg_len, outputs *o, size_t globals_cap) {
  memset(o, UNTOUCHED, sizeof *o);
  return sh_apply(globals, globals_len, account, account_len, &alice, msg, msg_len, o->globals,
                  globals_cap, &o->globals_len, o->account, sizeof o->account, &o->account_len,
                  o->event, sizeof o->event, &o->event_len);
}

static int outputs_untouched(const outputs *o) {
  return untouched(o->globals, sizeof o->globals) && untouched(o->account, sizeof o->account) &&
         untouched(o->event, sizeof o->event);
}

static void test_apply(void) {
  uint8_t msg[64];
  outputs o, o2;
  size_t len = amount_msg(STAKE, 2 * BTT, msg);
  CHECK_STATUS(apply(NULL, 0, msg, len, &o, sizeof o.globals), SH_OK);
  CHECK(o.globals_len == globals_len);
  CHECK(o.account_len == 65);        /* staked, unlocked, no chunks */
  CHECK(o.event_len == 1 + 20 + 32); /* Staked { account, amount } */
  CHECK(o.event[0] == 0x10 && memcmp(o.event + 1, alice.caller, 20) == 0);

  /* Unstake 0.5 BTT from the new record: an Unstaked event with its unlock time. */
  len = amount_msg(UNSTAKE, BTT / 2, msg);
  CHECK_STATUS(sh_apply(o.globals, o.globals_len, o.account, o.account_len, &alice, msg, len,
                        o2.globals, sizeof o2.globals, &o2.globals_len, o2.account,
                        sizeof o2.account, &o2.account_len, o2.event, sizeof o2.event,
                        &o2.event_len),
               SH_OK);
  CHECK(o2.event[0] == 0x11 && o2.event_len == 1 + 20 + 32 + 8);
  uint64_t unlock = 0;
  for (int i = 0; i < 8; i++) unlock |= (uint64_t)o2.event[53 + i] << (8 * i);
  CHECK(unlock == alice.now + 7 * 86400);
  CHECK(o2.account_len == 65 + 40); /* one unlock chunk */

  /* Errors write nothing. */
  len = amount_msg(STAKE, BTT / 2, msg);
  CHECK_STATUS(apply(NULL, 0, msg, len, &o, sizeof o.globals), BELOW_MIN_STAKE);
  CHECK(outputs_untouched(&o));
  len = amount_msg(UNSTAKE, 1, msg);
  CHECK_STATUS(apply(NULL, 0, msg, len, &o, sizeof o.globals), EXCEEDS_STAKED);
  CHECK(outputs_untouched(&o));
  msg[0] = 9;
  CHECK_STATUS(apply(NULL, 0, msg, len, &o, sizeof o.globals), UNSUPPORTED_VERSION);
  CHECK(outputs_untouched(&o));
  const uint8_t garbage[] = {0xff, 0xff, 0xff};
  len = amount_msg(STAKE, BTT, msg);
  CHECK_STATUS(apply(garbage, sizeof garbage, msg, len, &o, sizeof o.globals), TRUNCATED);
  /* A record whose unlocked amount is not the sum of its chunks is malformed. */
  uint8_t bad_record[65] = {0};
  bad_record[32] = 1;
  CHECK_STATUS(apply(bad_record, sizeof bad_record, msg, len, &o, sizeof o.globals), MALFORMED);
  CHECK(outputs_untouched(&o));
  CHECK_STATUS(apply(NULL, 7, msg, len, &o, sizeof o.globals), SH_NULL_POINTER);

  /* A short buffer: every needed length reported, nothing written. */
  CHECK_STATUS(apply(NULL, 0, msg, len, &o, globals_len - 1), SH_BUFFER_TOO_SMALL);
  CHECK(o.globals_len == globals_len && o.account_len == 65 && o.event_len == 53);
  CHECK(untouched(o.globals, sizeof o.globals) && untouched(o.account, sizeof o.account) &&
        untouched(o.event, sizeof o.event));

  /* Garbage shared records, a NULL context, NULL outputs. */
  uint8_t bad_globals[SH_GLOBALS_MAX_LEN];
  memcpy(bad_globals, globals, globals_len);
  bad_globals[PARAMS_LEN + COUNCIL_LEN - 1] = 9; /* threshold 9 of 3 */
  CHECK_STATUS(sh_apply(bad_globals, globals_len, NULL, 0, &alice, msg, len, o.globals,
                        sizeof o.globals, &o.globals_len, o.account, sizeof o.account,
                        &o.account_len, o.event, sizeof o.event, &o.event_len),
               MALFORMED);
  CHECK_STATUS(sh_apply(globals, globals_len, NULL, 0, NULL, msg, len, o.globals,
                        sizeof o.globals, &o.globals_len, o.account, sizeof o.account,
                        &o.account_len, o.event, sizeof o.event, &o.event_len),
               SH_NULL_POINTER);
  CHECK_STATUS(sh_apply(globals, globals_len, NULL, 0, &alice, msg, len, NULL,
                        sizeof o.globals, &o.globals_len, o.account, sizeof o.account,
                        &o.account_len, o.event, sizeof o.event, &o.event_len),
               SH_NULL_POINTER);
  CHECK_STATUS(sh_apply(globals, globals_len, NULL, 0, &alice, msg, len, o.globals,
                        sizeof o.globals, &o.globals_len, o.account, sizeof o.account,
                        &o.account_len, o.event, sizeof o.event, NULL),
               SH_NULL_POINTER);
  CHECK_STATUS(sh_apply(NULL, 0, NULL, 0, &alice, msg, len, o.globals, sizeof o.globals,
                        &o.globals_len, o.account, sizeof o.account, &o.account_len, o.event,
                        sizeof o.event, &o.event_len),
               TRUNCATED);
}

static void test_format_amount(void) {
  char text[SH_VALUE_CAP];
  size_t len;
  uint64_t wei = 1500000000000000000ull;
  uint8_t le[33];
  for (int i = 0; i < 8; i++) le[i] = (uint8_t)(wei >> (8 * i));
  CHECK_STATUS(sh_format_amount(le, 8, 18, text, sizeof text, &len), SH_OK);
  CHECK(strcmp(text, "1.5") == 0 && len == 3);
  CHECK_STATUS(sh_format_amount(le, 8, 0, text, sizeof text, &len), SH_OK);
  CHECK(strcmp(text, "1500000000000000000") == 0);
  CHECK_STATUS(sh_format_amount(NULL, 0, 18, text, sizeof text, &len), SH_OK);
  CHECK(strcmp(text, "0") == 0);
  memset(le, 0xff, sizeof le);
  CHECK_STATUS(sh_format_amount(le, 32, 0, text, sizeof text, &len), SH_OK);
  CHECK(strcmp(text, "115792089237316195423570985008687907853269984665640564039457584007913129639935") == 0);
  CHECK_STATUS(sh_format_amount(le, 33, 0, text, sizeof text, &len), SH_INVALID_ARGUMENT);
  CHECK_STATUS(sh_format_amount(le, 32, 78, text, sizeof text, &len), DECIMALS_TOO_LARGE);
  memset(text, UNTOUCHED, sizeof text);
  CHECK_STATUS(sh_format_amount(le, 32, 0, text, 78, &len), SH_BUFFER_TOO_SMALL);
  CHECK(len == 79 && untouched(text, sizeof text));
  CHECK_STATUS(sh_format_amount(NULL, 1, 0, text, sizeof text, &len), SH_NULL_POINTER);
  CHECK_STATUS(sh_format_amount(le, 1, 0, NULL, 1, &len), SH_NULL_POINTER);
}

static void test_summary(void) {
  uint8_t msg[64];
  size_t len = amount_msg(UNSTAKE, 1500000000000000000ull, msg), count = 0;
  sh_context ctx = alice;
  ctx.now = 1795701720; /* 2026-11-26 14:02 UTC; unlocks 7 days later */
  CHECK_STATUS(sh_summary_item_count(msg, len, &ctx, globals, globals_len, &count), SH_OK);
  CHECK(count == 2);
  CHECK_STATUS(sh_summary_item_count(msg, len - 1, &ctx, globals, globals_len, &count),
               TRUNCATED);
  CHECK_STATUS(sh_summary_item_count(msg, len, &ctx, globals, 3, &count), TRUNCATED);
  CHECK_STATUS(sh_summary_item_count(msg, len, NULL, globals, globals_len, &count),
               SH_NULL_POINTER);
  CHECK_STATUS(sh_summary_item_count(msg, len, &ctx, globals, globals_len, NULL),
               SH_NULL_POINTER);

  char title[SH_TITLE_CAP], value[SH_VALUE_CAP];
  size_t title_len, value_len, pages;
#define ITEM(index, page, value_cap)                                                       \
  sh_summary_item(msg, len, &ctx, globals, globals_len, (index), (page), title, sizeof title, \
                  &title_len, value, (value_cap), &value_len, &pages)
  CHECK_STATUS(ITEM(0, 0, sizeof value), SH_OK);
  CHECK(strcmp(title, "Unstake") == 0 && strcmp(value, "1.5 BTT") == 0 && pages == 1);
  CHECK_STATUS(ITEM(1, 0, sizeof value), SH_OK);
  CHECK(strcmp(title, "Unlocks") == 0 && strcmp(value, "2026-12-03 14:02 UTC") == 0);
  CHECK(title_len == 7 && value_len == 20 && pages == 1);

  /* Pages of 8 bytes (a 9-byte buffer). */
  const char *const want[] = {"2026-12-", "03 14:02", " UTC"};
  for (size_t p = 0; p < 3; p++) {
    CHECK_STATUS(ITEM(1, p, 9), SH_OK);
    CHECK(strcmp(value, want[p]) == 0 && pages == 3 && value_len == strlen(want[p]));
  }
  /* Pages of 1 byte: 20 pages. */
  CHECK_STATUS(ITEM(1, 19, 2), SH_OK);
  CHECK(strcmp(value, "C") == 0 && pages == 20);

  /* Out of range, too small, NULL: nothing written. */
  memset(title, UNTOUCHED, sizeof title);
  memset(value, UNTOUCHED, sizeof value);
  pages = 77;
  CHECK_STATUS(ITEM(1, 3, 9), SH_NO_SUCH_PAGE);
  CHECK_STATUS(ITEM(2, 0, sizeof value), SH_NO_SUCH_ITEM);
  CHECK_STATUS(ITEM(SIZE_MAX, 0, sizeof value), SH_NO_SUCH_ITEM);
  CHECK(untouched(title, sizeof title) && untouched(value, sizeof value) && pages == 77);
  CHECK_STATUS(ITEM(1, 0, 1), SH_BUFFER_TOO_SMALL);
  CHECK(title_len == 8 && value_len == 2 && pages == 77);
  CHECK_STATUS(ITEM(1, 0, 0), SH_BUFFER_TOO_SMALL);
  CHECK(untouched(title, sizeof title) && untouched(value, sizeof value));
  CHECK_STATUS(sh_summary_item(msg, len, &ctx, globals, globals_len, 1, 0, title, 7, &title_len,
                               value, sizeof value, &value_len, &pages),
               SH_BUFFER_TOO_SMALL);
  CHECK(title_len == 8 && value_len == 21 && untouched(title, sizeof title));
  CHECK_STATUS(sh_summary_item(msg, len, &ctx, globals, globals_len, 1, 0, title, sizeof title,
                               &title_len, value, sizeof value, &value_len, NULL),
               SH_NULL_POINTER);
  CHECK_STATUS(sh_summary_item(msg, len, &ctx, globals, globals_len, 1, 0, NULL, sizeof title,
                               &title_len, value, sizeof value, &value_len, &pages),
               SH_NULL_POINTER);
  msg[0] = 0;
  CHECK_STATUS(ITEM(0, 0, sizeof value), UNSUPPORTED_VERSION);
  CHECK(untouched(title, sizeof title) && untouched(value, sizeof value));
#undef ITEM
}

static void test_ledger(void) {
  sh_ledger *ledger = NULL, *copy = NULL;
  sh_ledger_free(NULL);
  CHECK_STATUS(sh_ledger_new(globals, PARAMS_LEN, globals + PARAMS_LEN, COUNCIL_LEN, NULL),
               SH_NULL_POINTER);
  uint8_t zero_min[PARAMS_LEN];
  memcpy(zero_min, globals, PARAMS_LEN);
  memset(zero_min + 8, 0, 32);
  CHECK_STATUS(sh_ledger_new(zero_min, PARAMS_LEN, globals + PARAMS_LEN, COUNCIL_LEN, &ledger),
               ZERO_MIN_STAKE);
  CHECK(ledger == NULL);
  CHECK_STATUS(sh_ledger_new(globals, PARAMS_LEN - 1, globals + PARAMS_LEN, COUNCIL_LEN, &ledger),
               TRUNCATED);
  CHECK_STATUS(sh_ledger_new(globals, PARAMS_LEN, globals + PARAMS_LEN, COUNCIL_LEN, &ledger),
               SH_OK);

  /* A new ledger's snapshot: version 3, the shared records, no accounts, then the chain: the
   * seed's preset, the genesis epoch state, eight empty lists (validators, balances, pending
   * deposits, inactivity scores, the two epochs' participation and phase0's inclusions) and the
   * slashings vector: its length 8192 (a two-byte compact), no entry. */
  uint8_t snapshot[2048];
  size_t snapshot_len = 0, needed = 0;
  CHECK_STATUS(sh_ledger_snapshot(ledger, NULL, 0, &needed), SH_BUFFER_TOO_SMALL);
  CHECK(needed == 1 + globals_len + 1 + SH_PRESET_LEN + SH_EPOCH_STATE_LEN + 8 + 2 + 1);
  memset(snapshot, UNTOUCHED, sizeof snapshot);
  CHECK_STATUS(sh_ledger_snapshot(ledger, snapshot, needed - 1, &snapshot_len),
               SH_BUFFER_TOO_SMALL);
  CHECK(untouched(snapshot, sizeof snapshot));
  CHECK_STATUS(sh_ledger_snapshot(ledger, snapshot, sizeof snapshot, &snapshot_len), SH_OK);
  uint8_t seed_preset[SH_PRESET_LEN];
  size_t seed_preset_len = 0;
  CHECK_STATUS(sh_preset(SH_PRESET_SEED_CHAIN, seed_preset, sizeof seed_preset, &seed_preset_len),
               SH_OK);
  CHECK(snapshot_len == needed && snapshot[0] == 3 &&
        memcmp(snapshot + 1, globals, globals_len) == 0 && snapshot[1 + globals_len] == 0 &&
        memcmp(snapshot + 2 + globals_len, seed_preset, SH_PRESET_LEN) == 0 &&
        snapshot[needed - 1] == 0);
  CHECK_STATUS(sh_ledger_snapshot(NULL, snapshot, sizeof snapshot, &snapshot_len),
               SH_NULL_POINTER);

  uint8_t msg[64], events[SH_EVENT_MAX_LEN];
  size_t len = amount_msg(STAKE, BTT, msg), events_len = 0;
  /* A short event buffer is refused before the message is applied. */
  CHECK_STATUS(sh_ledger_apply(ledger, &alice, msg, len, events, SH_EVENT_MAX_LEN - 1,
                               &events_len),
               SH_BUFFER_TOO_SMALL);
  CHECK(events_len == SH_EVENT_MAX_LEN);
  size_t same_len = 0;
  uint8_t same[2048];
  CHECK_STATUS(sh_ledger_snapshot(ledger, same, sizeof same, &same_len), SH_OK);
  CHECK(same_len == snapshot_len && memcmp(same, snapshot, same_len) == 0);

  CHECK_STATUS(sh_ledger_apply(ledger, &alice, msg, len, events, sizeof events, &events_len),
               SH_OK);
  CHECK(events_len == 53 && events[0] == 0x10);
  CHECK_STATUS(sh_ledger_apply(ledger, &alice, msg, len - 1, events, sizeof events, &events_len),
               TRUNCATED);
  len = amount_msg(UNSTAKE, 2 * BTT, msg);
  CHECK_STATUS(sh_ledger_apply(ledger, &alice, msg, len, events, sizeof events, &events_len),
               EXCEEDS_STAKED);
  CHECK_STATUS(sh_ledger_apply(NULL, &alice, msg, len, events, sizeof events, &events_len),
               SH_NULL_POINTER);
  CHECK_STATUS(sh_ledger_apply(ledger, NULL, msg, len, events, sizeof events, &events_len),
               SH_NULL_POINTER);

  /* Snapshot and restore give an equal ledger; garbage snapshots are refused. */
  CHECK_STATUS(sh_ledger_snapshot(ledger, snapshot, sizeof snapshot, &snapshot_len), SH_OK);
  CHECK_STATUS(sh_ledger_restore(snapshot, snapshot_len, &copy), SH_OK);
  CHECK_STATUS(sh_ledger_snapshot(copy, same, sizeof same, &same_len), SH_OK);
  CHECK(same_len == snapshot_len && memcmp(same, snapshot, same_len) == 0);
  sh_ledger_free(copy);
  copy = NULL;
  snapshot[0] = 4;
  CHECK_STATUS(sh_ledger_restore(snapshot, snapshot_len, &copy), UNSUPPORTED_VERSION);
  /* Version 1 (staking only, no chain) is still read: here the chain is left over. */
  snapshot[0] = 1;
  CHECK_STATUS(sh_ledger_restore(snapshot, snapshot_len, &copy), TRAILING_BYTES);
  size_t v1_len = 1 + globals_len + 1 + SH_ACCOUNT_ID_LEN + 65; /* one account */
  CHECK_STATUS(sh_ledger_restore(snapshot, v1_len, &copy), SH_OK);
  sh_ledger_free(copy);
  copy = NULL;
  snapshot[0] = 3;
  CHECK_STATUS(sh_ledger_restore(snapshot, snapshot_len - 1, &copy), TRUNCATED);
  snapshot[1 + PARAMS_LEN + COUNCIL_LEN] ^= 1; /* the total staked is not the accounts' sum */
  CHECK_STATUS(sh_ledger_restore(snapshot, snapshot_len, &copy), 502);
  CHECK_STATUS(sh_ledger_restore(NULL, 0, &copy), TRUNCATED);
  CHECK_STATUS(sh_ledger_restore(snapshot, snapshot_len, NULL), SH_NULL_POINTER);
  CHECK(copy == NULL);
  sh_ledger_free(ledger);
}

/* ---- the proof-of-stake chain -------------------------------------------------------------- */

/* Chain messages and records are SCALE, built here by hand (integers little-endian):
 *   DepositData (184 bytes)  pubkey[48] withdrawal_credentials[32] amount:u64 (Gwei) signature[96]
 *   Checkpoint (40 bytes)    epoch:u64 root[32]
 *   AttestationData (128)    slot:u64 index:u64 beacon_block_root[32] source:Checkpoint
 *                            target:Checkpoint
 *   IncludingBlock (80)      slot:u64 proposer:u64 target_root[32] head_root[32]
 *   BeaconBlockHeader (112)  slot:u64 proposer_index:u64 parent_root[32] state_root[32]
 *                            body_root[32]
 *   IndexedAttestation       compact(n) n × index:u64 (1 to 16, increasing) AttestationData
 *   Deposit          01 40 DepositData                                     186 bytes
 *   VoluntaryExit    01 41 epoch:u64 validator_index:u64                    18 bytes
 *   ProposerSlashing 01 42 proposer:u64 header_1 header_2                  234 bytes
 *   AttesterSlashing 01 43 proposer:u64 attestation_1 attestation_2
 *   Attest           01 50 AttestationData compact(n) n × index:u64 IncludingBlock
 *   ProcessEpoch     01 51 previous_epoch_root[32] current_epoch_root[32]   66 bytes
 *   ChainGenesis     Preset (SH_PRESET_LEN bytes, from sh_preset) compact(n) n × DepositData
 * A compact count below 64 is one byte, n << 2. Events:
 *   ValidatorSlashed 45 index penalty exit_epoch withdrawable_epoch proposer reward (u64
 *                    each)                                                  49 bytes
 *   CorrelationPenalty 46 index:u64 penalty:u64                             17 bytes
 *   Attested         50 target_epoch:u64 attesters:u8 flags:u8 proposer_reward:u64  19 bytes
 *   EpochProcessed   51 epoch active_validators total_active_balance previous_target_balance
 *                    current_target_balance (u64 each) inactivity_leak:u8 rewards:u64
 *                    penalties:u64                                          58 bytes
 *   Justified, Finalized  52, 53 Checkpoint                                 41 bytes */
enum {
  DEPOSIT = 0x40,
  VOLUNTARY_EXIT = 0x41,
  PROPOSER_SLASHING = 0x42,
  ATTESTER_SLASHING = 0x43,
  ATTEST = 0x50,
  PROCESS_EPOCH = 0x51,
};
enum {
  CHAIN_MESSAGE = 503,
  PARAMETER_ZERO = 700,
  UNKNOWN_VALIDATOR = 708,
  EXIT_NOT_YET_VALID = 713,
  TOO_YOUNG_TO_EXIT = 714,
  BELOW_MIN_DEPOSIT = 717,
  PROPOSER_SLOT_MISMATCH = 718,
  PROPOSER_INDEX_MISMATCH = 719,
  IDENTICAL_HEADERS = 720,
  NOT_SLASHABLE = 721,
  NOT_SLASHABLE_ATTESTATIONS = 722,
  INVALID_ATTESTING_INDICES = 723,
  NO_SLASHABLE_VALIDATOR = 724,
  PREVIOUS_TARGET_OVERFLOW = 800,
  TOTAL_ACTIVE_OVERFLOW = 801,
  NO_ATTESTERS = 808,
  TARGET_EPOCH_OUT_OF_RANGE = 809,
  TARGET_EPOCH_MISMATCH = 810,
  INCLUSION_OUTSIDE_EPOCH = 811,
  INCLUSION_TOO_EARLY = 812,
  WRONG_SOURCE = 814,
};
#define EPOCH_PROCESSED_LEN 58
#define CHECKPOINT_EVENT_LEN 41
#define VALIDATOR_SLASHED_LEN 49
/* The seed chain's full deposit: 1000 coins in Gwei (its MAX_EFFECTIVE_BALANCE). */
#define FULL_DEPOSIT 1000000000000ull
#define DEPOSIT_DATA_LEN 184
#define CHECKPOINT_LEN 40
/* Offsets in an EpochState (sh_ledger_epoch_state): the current epoch, then the finality
 * record (justification bits, previous justified, current justified, finalized), the queue. */
#define EPOCH_FINALITY 8
#define EPOCH_CURRENT_JUSTIFIED (EPOCH_FINALITY + 1 + CHECKPOINT_LEN)
#define EPOCH_FINALIZED (EPOCH_CURRENT_JUSTIFIED + CHECKPOINT_LEN)
/* The same checkpoints in a FinalityState (sh_justify_and_finalize). */
#define FINALITY_PREVIOUS_JUSTIFIED 1
#define FINALITY_CURRENT_JUSTIFIED (1 + CHECKPOINT_LEN)
#define FINALITY_FINALIZED (1 + 2 * CHECKPOINT_LEN)

static size_t put_le(uint8_t *out, uint64_t v) {
  for (int i = 0; i < 8; i++) out[i] = (uint8_t)(v >> (8 * i));
  return 8;
}

static uint64_t get_le(const uint8_t *in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v |= (uint64_t)in[i] << (8 * i);
  return v;
}

/* The root of the host's block at the start of `epoch`: the epoch, then 0x11 bytes. */
static void root_of(uint64_t epoch, uint8_t root[SH_ROOT_LEN]) {
  memset(root, 0x11, SH_ROOT_LEN);
  put_le(root, epoch);
}

static size_t checkpoint(uint64_t epoch, uint8_t out[CHECKPOINT_LEN]) {
  put_le(out, epoch);
  root_of(epoch, out + 8);
  return CHECKPOINT_LEN;
}

/* Validator n's deposit: key n n n …, execution-address credentials 01 aa aa …, signature
 * 07 07 …. */
static size_t deposit_data(uint8_t key, uint64_t gwei, uint8_t out[DEPOSIT_DATA_LEN]) {
  memset(out, key, SH_PUBKEY_LEN);
  memset(out + 48, 0xaa, 32);
  out[48] = 0x01;
  put_le(out + 80, gwei);
  memset(out + 88, 0x07, 96);
  return DEPOSIT_DATA_LEN;
}

static size_t deposit_msg(uint8_t key, uint64_t gwei, uint8_t *out) {
  out[0] = 1;
  out[1] = DEPOSIT;
  return 2 + deposit_data(key, gwei, out + 2);
}

static size_t exit_msg(uint64_t epoch, uint64_t index, uint8_t *out) {
  out[0] = 1;
  out[1] = VOLUNTARY_EXIT;
  put_le(out + 2, epoch);
  put_le(out + 10, index);
  return 18;
}

/* The head block every honest vote here names: a root of 0xbe bytes. */
#define HEAD_BYTE 0xbe
/* Seed-chain slots per epoch. */
#define SLOTS 32

/* A compact count (one byte below 64, else two). */
static size_t compact(size_t n, uint8_t *out) {
  if (n >= 64) { /* two-byte compact: (n << 2) | 1 */
    out[0] = (uint8_t)((n << 2) | 1);
    out[1] = (uint8_t)(n >> 6);
    return 2;
  }
  out[0] = (uint8_t)(n << 2);
  return 1;
}

/* AttestationData: a vote at `slot` for the head `head` (a root of that byte) and the link from
 * `source` (a 40-byte checkpoint) to epoch `target`'s checkpoint. */
static size_t attestation_data(uint64_t slot, uint8_t head, const uint8_t source[CHECKPOINT_LEN],
                               uint64_t target, uint8_t *out) {
  size_t len = put_le(out, slot);
  len += put_le(out + len, 0); /* the committee index */
  memset(out + len, head, SH_ROOT_LEN);
  len += SH_ROOT_LEN;
  memcpy(out + len, source, CHECKPOINT_LEN);
  len += CHECKPOINT_LEN;
  return len + checkpoint(target, out + len);
}

/* Validators 0 to n - 1 vote at `slot` for the head block and the link from `source` to epoch
 * `target`'s checkpoint; validator 0's block at `inclusion_slot` includes the vote, with the
 * host's roots (the target's checkpoint root and the head). */
static size_t attest_msg_at(const uint8_t source[CHECKPOINT_LEN], uint64_t target, uint64_t slot,
                            uint64_t inclusion_slot, size_t n, uint8_t *out) {
  size_t len = 0;
  out[len++] = 1;
  out[len++] = ATTEST;
  len += attestation_data(slot, HEAD_BYTE, source, target, out + len);
  len += compact(n, out + len);
  for (size_t i = 0; i < n; i++) len += put_le(out + len, i);
  len += put_le(out + len, inclusion_slot);
  len += put_le(out + len, 0); /* the block's proposer */
  root_of(target, out + len);
  len += SH_ROOT_LEN;
  memset(out + len, HEAD_BYTE, SH_ROOT_LEN);
  return len + SH_ROOT_LEN;
}

/* The honest attestation: at the target epoch's first slot, included at the next one. */
static size_t attest_msg(const uint8_t source[CHECKPOINT_LEN], uint64_t target, size_t n,
                         uint8_t *out) {
  return attest_msg_at(source, target, target * SLOTS, target * SLOTS + 1, n, out);
}

/* A block header of validator `index` at `slot`, whose body root is `body` bytes. */
static size_t header(uint64_t slot, uint64_t index, uint8_t body, uint8_t *out) {
  size_t len = put_le(out, slot);
  len += put_le(out + len, index);
  memset(out + len, 0x0a, SH_ROOT_LEN); /* parent root */
  memset(out + len + SH_ROOT_LEN, 0x5e, SH_ROOT_LEN); /* state root */
  memset(out + len + 2 * SH_ROOT_LEN, body, SH_ROOT_LEN);
  return len + 3 * SH_ROOT_LEN;
}

/* Evidence that validator `index` signed two headers (slots `slot_1`, `slot_2`, body roots of
 * bytes `body_1`, `body_2`), included by `proposer`; `index_2` is the second header's
 * proposer index. */
static size_t proposer_slashing_msg(uint64_t proposer, uint64_t index, uint64_t slot_1,
                                    uint8_t body_1, uint64_t index_2, uint64_t slot_2,
                                    uint8_t body_2, uint8_t *out) {
  size_t len = 0;
  out[len++] = 1;
  out[len++] = PROPOSER_SLASHING;
  len += put_le(out + len, proposer);
  len += header(slot_1, index, body_1, out + len);
  return len + header(slot_2, index_2, body_2, out + len);
}

/* One attestation of an attester slashing: `n` indices, and a vote at the target epoch's
 * first slot for the head `head` and the link from epoch `source` to epoch `target`. */
static size_t indexed_attestation(const uint64_t *indices, size_t n, uint64_t source,
                                  uint64_t target, uint8_t head, uint8_t *out) {
  uint8_t source_checkpoint[CHECKPOINT_LEN];
  checkpoint(source, source_checkpoint);
  size_t len = compact(n, out);
  for (size_t i = 0; i < n; i++) len += put_le(out + len, indices[i]);
  return len + attestation_data(target * SLOTS, head, source_checkpoint, target, out + len);
}

typedef struct vote {
  const uint64_t *indices;
  size_t n;
  uint64_t source, target;
  uint8_t head;
} vote;

/* Evidence of two conflicting votes, included by `proposer`. */
static size_t attester_slashing_msg(uint64_t proposer, vote one, vote two, uint8_t *out) {
  size_t len = 0;
  out[len++] = 1;
  out[len++] = ATTESTER_SLASHING;
  len += put_le(out + len, proposer);
  len += indexed_attestation(one.indices, one.n, one.source, one.target, one.head, out + len);
  return len + indexed_attestation(two.indices, two.n, two.source, two.target, two.head, out + len);
}

static size_t epoch_msg(uint64_t epoch, uint8_t *out) {
  out[0] = 1;
  out[1] = PROCESS_EPOCH;
  root_of(epoch == 0 ? 0 : epoch - 1, out + 2);
  root_of(epoch, out + 34);
  return 66;
}

/* The seed chain's preset and `n` full deposits from keys 1, 2, …. */
static size_t genesis_bytes(size_t n, uint8_t *out) {
  size_t len = 0;
  CHECK_STATUS(sh_preset(SH_PRESET_SEED_CHAIN, out, SH_PRESET_LEN, &len), SH_OK);
  out[len++] = (uint8_t)(n << 2);
  for (size_t i = 0; i < n; i++) len += deposit_data((uint8_t)(i + 1), FULL_DEPOSIT, out + len);
  return len;
}

static void test_preset(void) {
  uint8_t preset[SH_PRESET_LEN + 1];
  size_t len = 0;
  for (sh_preset_id id = SH_PRESET_PHASE0; id <= SH_PRESET_SEED_CHAIN; id++) {
    CHECK_STATUS(sh_preset(id, preset, sizeof preset, &len), SH_OK);
    CHECK(len == SH_PRESET_LEN);
  }
  /* The seed chain: Deneb rules (fork 3), 12 s slots, 32-slot epochs. */
  CHECK(preset[0] == 3 && get_le(preset + 1) == 12 && get_le(preset + 9) == 32);
  CHECK_STATUS(sh_preset(SH_PRESET_ELECTRA, preset, sizeof preset, &len), SH_OK);
  CHECK(preset[0] == 4);
  memset(preset, UNTOUCHED, sizeof preset);
  CHECK_STATUS(sh_preset(SH_PRESET_SEED_CHAIN + 1, preset, sizeof preset, &len),
               SH_INVALID_ARGUMENT);
  CHECK_STATUS(sh_preset(SH_PRESET_DENEB, preset, SH_PRESET_LEN - 1, &len), SH_BUFFER_TOO_SMALL);
  CHECK(len == SH_PRESET_LEN && untouched(preset, sizeof preset));
  CHECK_STATUS(sh_preset(SH_PRESET_DENEB, NULL, 0, &len), SH_BUFFER_TOO_SMALL);
  CHECK_STATUS(sh_preset(SH_PRESET_DENEB, NULL, 5, &len), SH_NULL_POINTER);
  CHECK_STATUS(sh_preset(SH_PRESET_DENEB, preset, sizeof preset, NULL), SH_NULL_POINTER);
}

/* sh_justify_and_finalize with full participation: returns the status, the outcome in `out`. */
static sh_status justify(uint8_t state[SH_FINALITY_STATE_LEN], uint64_t epoch, uint64_t total,
                         uint64_t previous, uint64_t current, uint8_t *outcome,
                         size_t *outcome_len) {
  uint8_t previous_root[SH_ROOT_LEN], current_root[SH_ROOT_LEN];
  root_of(epoch == 0 ? 0 : epoch - 1, previous_root);
  root_of(epoch, current_root);
  size_t state_len = 0;
  sh_status s = sh_justify_and_finalize(state, SH_FINALITY_STATE_LEN, epoch, total, previous,
                                        current, previous_root, sizeof previous_root,
                                        current_root, sizeof current_root, state,
                                        SH_FINALITY_STATE_LEN, &state_len, outcome,
                                        SH_FINALITY_OUTCOME_MAX_LEN, outcome_len);
  if (s == SH_OK) CHECK(state_len == SH_FINALITY_STATE_LEN);
  return s;
}

static void test_justify_and_finalize(void) {
  const uint64_t total = 4 * FULL_DEPOSIT;
  uint8_t state[SH_FINALITY_STATE_LEN] = {0}; /* genesis: no bits, every checkpoint (0, 0…) */
  uint8_t outcome[SH_FINALITY_OUTCOME_MAX_LEN], want[CHECKPOINT_LEN];
  size_t outcome_len = 0;
  /* Epochs 0 and 1: the genesis guard. An outcome of nothing is four `None`s. */
  for (uint64_t epoch = 0; epoch < 2; epoch++) {
    CHECK_STATUS(justify(state, epoch, total, total, total, outcome, &outcome_len), SH_OK);
    CHECK(outcome_len == 4 && memcmp(outcome, "\0\0\0\0", 4) == 0);
    uint8_t zero[SH_FINALITY_STATE_LEN] = {0};
    CHECK(memcmp(state, zero, sizeof zero) == 0);
  }
  /* Epoch 2: epochs 1 and 2 justified (bits 0 and 1), nothing finalized. */
  CHECK_STATUS(justify(state, 2, total, total, total, outcome, &outcome_len), SH_OK);
  CHECK(outcome_len == 1 + CHECKPOINT_LEN + 1 + CHECKPOINT_LEN + 1 + 1);
  checkpoint(1, want);
  CHECK(outcome[0] == 1 && memcmp(outcome + 1, want, CHECKPOINT_LEN) == 0);
  checkpoint(2, want);
  CHECK(outcome[41] == 1 && memcmp(outcome + 42, want, CHECKPOINT_LEN) == 0);
  CHECK(outcome[82] == 0 && outcome[83] == 0);
  CHECK(state[0] == 0x03 && memcmp(state + FINALITY_CURRENT_JUSTIFIED, want, CHECKPOINT_LEN) == 0);
  /* Epoch 3: epoch 3 justified, 2 finalized by the fourth rule (FirstAndSecond, 3). */
  CHECK_STATUS(justify(state, 3, total, total, total, outcome, &outcome_len), SH_OK);
  CHECK(outcome_len == 1 + 1 + CHECKPOINT_LEN + 1 + CHECKPOINT_LEN + 2);
  CHECK(outcome[0] == 0 && outcome[1] == 1);
  checkpoint(2, want);
  CHECK(outcome[42] == 1 && memcmp(outcome + 43, want, CHECKPOINT_LEN) == 0);
  CHECK(outcome[83] == 1 && outcome[84] == 3);
  CHECK(state[0] == 0x07 && memcmp(state + FINALITY_FINALIZED, want, CHECKPOINT_LEN) == 0 &&
        memcmp(state + FINALITY_PREVIOUS_JUSTIFIED, want, CHECKPOINT_LEN) == 0);
  /* Epoch 4 with a third of the balance: nothing justified, the bits shift; the second rule
   * (SecondAndThird, 1) holds but finalizes epoch 2 again, which is no news. */
  CHECK_STATUS(justify(state, 4, total, total / 3, total / 3, outcome, &outcome_len), SH_OK);
  CHECK(outcome_len == 5 && memcmp(outcome, "\0\0\0\1\1", 5) == 0 && state[0] == 0x0e);

  /* Errors write nothing. */
  uint8_t before[SH_FINALITY_STATE_LEN], out[SH_FINALITY_STATE_LEN];
  memcpy(before, state, sizeof before);
  memset(outcome, UNTOUCHED, sizeof outcome);
  CHECK_STATUS(justify(state, 5, total, UINT64_MAX, 0, outcome, &outcome_len),
               PREVIOUS_TARGET_OVERFLOW);
  CHECK_STATUS(justify(state, 5, UINT64_MAX, 0, 0, outcome, &outcome_len), TOTAL_ACTIVE_OVERFLOW);
  CHECK(memcmp(state, before, sizeof before) == 0 && untouched(outcome, sizeof outcome));
  uint8_t root[SH_ROOT_LEN + 1] = {0};
  size_t state_len = 0;
#define JF(in, in_len, root_len, state_buf, state_cap, outcome_cap)                          \
  sh_justify_and_finalize((in), (in_len), 5, total, total, total, root, SH_ROOT_LEN, root,   \
                          (root_len), (state_buf), (state_cap), &state_len, outcome,         \
                          (outcome_cap), &outcome_len)
  memset(out, UNTOUCHED, sizeof out);
  CHECK_STATUS(JF(state, sizeof state, SH_ROOT_LEN - 1, out, sizeof out, sizeof outcome),
               SH_INVALID_ARGUMENT);
  CHECK_STATUS(JF(state, sizeof state, SH_ROOT_LEN + 1, out, sizeof out, sizeof outcome),
               SH_INVALID_ARGUMENT);
  CHECK_STATUS(JF(state, sizeof state - 1, SH_ROOT_LEN, out, sizeof out, sizeof outcome),
               TRUNCATED);
  CHECK_STATUS(JF(NULL, 0, SH_ROOT_LEN, out, sizeof out, sizeof outcome), TRUNCATED);
  CHECK_STATUS(JF(NULL, sizeof state, SH_ROOT_LEN, out, sizeof out, sizeof outcome),
               SH_NULL_POINTER);
  uint8_t longer[SH_FINALITY_STATE_LEN + 1] = {0};
  CHECK_STATUS(JF(longer, sizeof longer, SH_ROOT_LEN, out, sizeof out, sizeof outcome),
               TRAILING_BYTES);
  longer[0] = 0x10; /* a fifth justification bit */
  CHECK_STATUS(JF(longer, SH_FINALITY_STATE_LEN, SH_ROOT_LEN, out, sizeof out, sizeof outcome),
               MALFORMED);
  CHECK(untouched(out, sizeof out) && untouched(outcome, sizeof outcome));
  /* Short buffers: both lengths reported, nothing written. */
  CHECK_STATUS(JF(state, sizeof state, SH_ROOT_LEN, out, sizeof out, 3), SH_BUFFER_TOO_SMALL);
  CHECK(state_len == SH_FINALITY_STATE_LEN && outcome_len == SH_FINALITY_OUTCOME_MAX_LEN);
  CHECK_STATUS(JF(state, sizeof state, SH_ROOT_LEN, out, sizeof out - 1, sizeof outcome),
               SH_BUFFER_TOO_SMALL);
  CHECK(untouched(out, sizeof out) && untouched(outcome, sizeof outcome));
  CHECK_STATUS(JF(state, sizeof state, SH_ROOT_LEN, NULL, sizeof out, sizeof outcome),
               SH_NULL_POINTER);
  CHECK_STATUS(sh_justify_and_finalize(state, sizeof state, 5, total, total, total, NULL,
                                       SH_ROOT_LEN, root, SH_ROOT_LEN, out, sizeof out,
                                       &state_len, outcome, sizeof outcome, &outcome_len),
               SH_NULL_POINTER);
  CHECK_STATUS(sh_justify_and_finalize(state, sizeof state, 5, total, total, total, root,
                                       SH_ROOT_LEN, root, SH_ROOT_LEN, out, sizeof out, NULL,
                                       outcome, sizeof outcome, &outcome_len),
               SH_NULL_POINTER);
  CHECK(untouched(out, sizeof out) && memcmp(state, before, sizeof before) == 0);
  /* Into another buffer: the input stays, the output is the new record. Epoch 5 justifies
   * 4 and 5 (zero roots) and finalizes 3 by the third rule (FirstToThird, 2): every part of
   * the outcome is there, SH_FINALITY_OUTCOME_MAX_LEN bytes. */
  CHECK_STATUS(JF(state, sizeof state, SH_ROOT_LEN, out, sizeof out, sizeof outcome), SH_OK);
  CHECK(memcmp(state, before, sizeof before) == 0 && out[0] == 0x0f);
  CHECK(outcome_len == SH_FINALITY_OUTCOME_MAX_LEN && outcome[0] == 1 && get_le(outcome + 1) == 4 &&
        outcome[41] == 1 && get_le(outcome + 42) == 5 && outcome[82] == 1 &&
        get_le(outcome + 83) == 3 && outcome[123] == 1 && outcome[124] == 2);
#undef JF
}

/* Every chain message decodes, names no account, is refused by sh_apply and has a summary. */
static void test_chain_messages(void) {
  enum { KINDS = 6 };
  uint8_t msg[SH_MSG_MAX_LEN], source[CHECKPOINT_LEN] = {0}, id[SH_ACCOUNT_ID_LEN];
  size_t lens[KINDS], id_len = 99;
  uint8_t msgs[KINDS][SH_MSG_MAX_LEN];
  const uint64_t both[] = {1, 3};
  const vote double_1 = {both, 2, 0, 3, HEAD_BYTE}, double_2 = {both, 2, 0, 3, 0x0f};
  lens[0] = deposit_msg(5, FULL_DEPOSIT, msgs[0]);
  lens[1] = exit_msg(7, 3, msgs[1]);
  lens[2] = attest_msg(source, 3, 4, msgs[2]);
  lens[3] = epoch_msg(3, msgs[3]);
  lens[4] = proposer_slashing_msg(0, 2, 5, 0xb1, 2, 5, 0xb2, msgs[4]);
  lens[5] = attester_slashing_msg(1, double_1, double_2, msgs[5]);
  CHECK(lens[0] == 186 && lens[2] == 2 + 128 + 1 + 4 * 8 + 80);
  CHECK(lens[4] == 234 && lens[5] == 2 + 8 + 2 * (1 + 2 * 8 + 128));
  for (size_t i = 0; i < KINDS; i++) {
    CHECK_STATUS(sh_msg_validate(msgs[i], lens[i]), SH_OK);
    CHECK_STATUS(sh_msg_validate(msgs[i], lens[i] - 1), TRUNCATED);
    CHECK_STATUS(sh_msg_account(msgs[i], lens[i], &alice, id, sizeof id, &id_len), SH_OK);
    CHECK(id_len == 0);
    outputs o;
    CHECK_STATUS(apply(NULL, 0, msgs[i], lens[i], &o, sizeof o.globals), CHAIN_MESSAGE);
    CHECK(outputs_untouched(&o));
  }
  /* An attestation names at most 64 validators, an attester slashing's attestations 16 each;
   * the largest attestation is SH_MSG_MAX_LEN - 3 bytes (its count is bounded at 5 bytes, it
   * takes 2); unknown kinds are malformed. */
  size_t len = attest_msg(source, 3, 64, msg);
  CHECK(len == 724 && len <= SH_MSG_MAX_LEN);
  CHECK_STATUS(sh_msg_validate(msg, len), SH_OK);
  uint8_t longer[SH_MSG_MAX_LEN + 8];
  len = attest_msg(source, 3, 65, longer);
  CHECK(len == 732);
  CHECK_STATUS(sh_msg_validate(longer, len), MALFORMED);
  const uint64_t many[17] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  len = attester_slashing_msg(1, (vote){many, 16, 0, 3, 1}, (vote){many, 16, 0, 3, 2}, msg);
  CHECK_STATUS(sh_msg_validate(msg, len), SH_OK);
  len = attester_slashing_msg(1, (vote){many, 16, 0, 3, 1}, (vote){many, 17, 0, 3, 2}, msg);
  CHECK_STATUS(sh_msg_validate(msg, len), MALFORMED);
  /* Evidence is judged when applied: unsorted indices and identical headers decode. */
  const uint64_t unsorted[] = {3, 1};
  len = attester_slashing_msg(1, (vote){unsorted, 2, 0, 3, 1}, double_2, msg);
  CHECK_STATUS(sh_msg_validate(msg, len), SH_OK);
  len = proposer_slashing_msg(0, 2, 5, 0xb1, 2, 5, 0xb1, msg);
  CHECK_STATUS(sh_msg_validate(msg, len), SH_OK);
  const uint8_t unknown_kind[] = {1, 0x52};
  CHECK_STATUS(sh_msg_validate(unknown_kind, sizeof unknown_kind), MALFORMED);

  /* The screens. */
  char title[SH_TITLE_CAP], value[SH_VALUE_CAP], line[17];
  size_t count = 0, title_len, value_len, pages;
  const size_t want_count[KINDS] = {3, 2, 7, 3, 5, 6};
  for (size_t i = 0; i < KINDS; i++) {
    CHECK_STATUS(sh_summary_item_count(msgs[i], lens[i], &alice, globals, globals_len, &count),
                 SH_OK);
    CHECK(count == want_count[i]);
  }
#define ITEM(m, index, page, buf, cap)                                                       \
  sh_summary_item(msgs[m], lens[m], &alice, globals, globals_len, (index), (page), title,    \
                  sizeof title, &title_len, (buf), (cap), &value_len, &pages)
#define SHOWS(m, index, want_title, want_value)                                              \
  do {                                                                                       \
    CHECK_STATUS(ITEM(m, index, 0, value, sizeof value), SH_OK);                             \
    CHECK(strcmp(title, want_title) == 0 && strcmp(value, want_value) == 0);                 \
  } while (0)
  SHOWS(0, 0, "Deposit", "1000000000000 Gwei");
  /* The public key, 0x and 96 hex digits, fits a value buffer of SH_VALUE_CAP on one page… */
  char key[99] = "0x";
  for (int i = 0; i < 48; i++) memcpy(key + 2 + 2 * i, "05", 3);
  CHECK_STATUS(ITEM(0, 1, 0, value, sizeof value), SH_OK);
  CHECK(strcmp(title, "Validator key") == 0 && strcmp(value, key) == 0 && value_len == 98 &&
        pages == 1);
  /* …takes two pages of 97 bytes, and seven on a 16-character line, the last "05". */
  CHECK_STATUS(ITEM(0, 1, 1, value, SH_VALUE_CAP - 1), SH_OK);
  CHECK(pages == 2 && strcmp(value, "5") == 0);
  CHECK_STATUS(ITEM(0, 1, 6, line, sizeof line), SH_OK);
  CHECK(pages == 7 && strcmp(line, "05") == 0);
  CHECK_STATUS(ITEM(0, 1, 7, line, sizeof line), SH_NO_SUCH_PAGE);
  CHECK_STATUS(ITEM(0, 2, 0, value, sizeof value), SH_OK);
  CHECK(strcmp(title, "Withdrawal to") == 0 && strncmp(value, "0x01aaaa", 8) == 0 &&
        value_len == 66);
  CHECK_STATUS(ITEM(0, 3, 0, value, sizeof value), SH_NO_SUCH_ITEM);
  SHOWS(1, 0, "Exit validator", "3");
  SHOWS(1, 1, "Valid from epoch", "7");
  CHECK(title_len == 16);
  /* The attestation: its attesters, slot, head, source, target, and the including block. */
  char head[67] = "0x", epoch_3[80] = "epoch 3, 0x0300000000000000", epoch_0[80];
  for (int i = 0; i < 32; i++) strcat(head, "be");
  for (int i = 0; i < 24; i++) strcat(epoch_3, "11");
  strcpy(epoch_0, "epoch 0, 0x");
  for (int i = 0; i < 32; i++) strcat(epoch_0, "00");
  SHOWS(2, 0, "Attesters", "4");
  SHOWS(2, 1, "Slot", "96");
  SHOWS(2, 2, "Head", head);
  SHOWS(2, 3, "Source", epoch_0);
  SHOWS(2, 4, "Target", epoch_3);
  CHECK(value_len == 75);
  SHOWS(2, 5, "Included at slot", "97");
  CHECK(title_len == SH_TITLE_CAP - 1);
  SHOWS(2, 6, "Proposer", "0");
  CHECK_STATUS(ITEM(2, 7, 0, value, sizeof value), SH_NO_SUCH_ITEM);
  SHOWS(3, 0, "End epoch", "justify, finalize, update registry");
  CHECK_STATUS(ITEM(3, 2, 0, value, sizeof value), SH_OK);
  CHECK(strcmp(title, "Current root") == 0 && strncmp(value, "0x03000000000000001111", 22) == 0);
  /* The proposer slashing: who, which slot, the two blocks' body roots, who reports it. */
  char body_1[67] = "0x", body_2[67] = "0x";
  for (int i = 0; i < 32; i++) strcat(body_1, "b1"), strcat(body_2, "b2");
  SHOWS(4, 0, "Slash proposer", "2");
  SHOWS(4, 1, "Slot", "5");
  SHOWS(4, 2, "Block 1", body_1);
  SHOWS(4, 3, "Block 2", body_2);
  SHOWS(4, 4, "Reported by", "0");
  CHECK_STATUS(ITEM(4, 5, 0, value, sizeof value), SH_NO_SUCH_ITEM);
  /* The attester slashing: how many attesters (the first attestation's), both votes' links,
   * who reports it. The source checkpoints here are (0, root_of(0)). */
  char source_0[80] = "epoch 0, 0x0000000000000000";
  for (int i = 0; i < 24; i++) strcat(source_0, "11");
  SHOWS(5, 0, "Slash attesters", "2");
  SHOWS(5, 1, "Vote 1 source", source_0);
  SHOWS(5, 2, "Vote 1 target", epoch_3);
  SHOWS(5, 3, "Vote 2 source", source_0);
  SHOWS(5, 4, "Vote 2 target", epoch_3);
  SHOWS(5, 5, "Reported by", "1");
  CHECK_STATUS(ITEM(5, 6, 0, value, sizeof value), SH_NO_SUCH_ITEM);
#undef SHOWS
#undef ITEM
}

/* The ledger's epoch state. */
static void epoch_state(sh_ledger *ledger, uint8_t out[SH_EPOCH_STATE_LEN]) {
  size_t len = 0;
  CHECK_STATUS(sh_ledger_epoch_state(ledger, out, SH_EPOCH_STATE_LEN, &len), SH_OK);
  CHECK(len == SH_EPOCH_STATE_LEN);
}

/* Rewards on the seed chain with four validators of 1000 coins active: the base reward per
 * increment is 31.25e9 · BASE_REWARD_FACTOR 358 // √4e12 = 5,593,750 Gwei, a validator has 32
 * increments. A block proposer earns Σ base_reward · weight // 448 over the flags it includes
 * (timely source 14, target 26, head 14 of 64); each flag earns its attesters
 * base_reward · weight // 64 at the next epoch's end. */
#define BASE_REWARD (32ull * 5593750ull)
#define PROPOSER_REWARD_ALL_FOUR (4 * BASE_REWARD * (14 + 26 + 14) / 448)
#define EPOCH_REWARD (BASE_REWARD * 14 / 64 + BASE_REWARD * 26 / 64 + BASE_REWARD * 14 / 64)

/* All four validators attest to the current epoch, with the current justified checkpoint as
 * their source, as honest attesters do, included at the next slot by validator 0. */
static void attest_all(sh_ledger *ledger) {
  uint8_t state[SH_EPOCH_STATE_LEN], msg[SH_MSG_MAX_LEN], events[SH_EVENT_MAX_LEN];
  epoch_state(ledger, state);
  uint64_t epoch = get_le(state);
  size_t len = attest_msg(state + EPOCH_CURRENT_JUSTIFIED, epoch, 4, msg), events_len = 0;
  CHECK_STATUS(sh_ledger_apply(ledger, &alice, msg, len, events, sizeof events, &events_len),
               SH_OK);
  /* Attested { target_epoch: u64, attesters: u8, flags: u8, proposer_reward: u64 }: all four,
   * every flag (timely source, target, head). */
  CHECK(events_len == 19 && events[0] == 0x50 && get_le(events + 1) == epoch && events[9] == 4 &&
        events[10] == 0x07 && get_le(events + 11) == PROPOSER_REWARD_ALL_FOUR);
}

/* Ends the current epoch; returns its events' length. */
static size_t end_epoch(sh_ledger *ledger, uint8_t *events, size_t cap) {
  uint8_t state[SH_EPOCH_STATE_LEN], msg[SH_MSG_MAX_LEN];
  epoch_state(ledger, state);
  size_t len = epoch_msg(get_le(state), msg), events_len = 0;
  CHECK_STATUS(sh_ledger_apply(ledger, &alice, msg, len, events, cap, &events_len), SH_OK);
  /* EpochProcessed { epoch, active_validators, total_active_balance, previous_target_balance,
   * current_target_balance, inactivity_leak, rewards, penalties }: 58 bytes, first. */
  CHECK(events[0] == 0x51 && get_le(events + 1) == get_le(state) && get_le(events + 9) == 4 &&
        get_le(events + 17) == 4 * FULL_DEPOSIT && events[41] == 0);
  return events_len;
}

static void test_chain_ledger(void) {
  static uint8_t genesis[SH_PRESET_LEN + 1 + 8 * DEPOSIT_DATA_LEN];
  const uint8_t *params = globals, *council = globals + PARAMS_LEN;
  sh_ledger *ledger = NULL;
  size_t genesis_len = genesis_bytes(4, genesis);
  CHECK(genesis_len == SH_PRESET_LEN + 1 + 4 * DEPOSIT_DATA_LEN);

  /* Refused geneses leave *out alone. */
#define NEW(g, g_len, out) \
  sh_ledger_new_with_chain(params, PARAMS_LEN, council, COUNCIL_LEN, (g), (g_len), (out))
  CHECK_STATUS(NEW(genesis, genesis_len, NULL), SH_NULL_POINTER);
  CHECK_STATUS(NEW(NULL, genesis_len, &ledger), SH_NULL_POINTER);
  CHECK_STATUS(NEW(NULL, 0, &ledger), TRUNCATED);
  CHECK_STATUS(NEW(genesis, genesis_len - 1, &ledger), TRUNCATED);
  CHECK_STATUS(NEW(genesis, genesis_len + 1, &ledger), TRAILING_BYTES);
  CHECK_STATUS(sh_ledger_new_with_chain(params, PARAMS_LEN, council, COUNCIL_LEN - 1, genesis,
                                        genesis_len, &ledger),
               TRUNCATED);
  static uint8_t bad[sizeof genesis];
  memcpy(bad, genesis, genesis_len);
  memset(bad + 9, 0, 8); /* SLOTS_PER_EPOCH 0 */
  CHECK_STATUS(NEW(bad, genesis_len, &ledger), PARAMETER_ZERO);
  memcpy(bad, genesis, genesis_len);
  put_le(bad + SH_PRESET_LEN + 1 + DEPOSIT_DATA_LEN + 80, 1); /* the second deposit: 1 Gwei */
  CHECK_STATUS(NEW(bad, genesis_len, &ledger), BELOW_MIN_DEPOSIT);
  bad[SH_PRESET_LEN] = 0x14; /* five deposits announced, four present */
  CHECK_STATUS(NEW(bad, genesis_len, &ledger), TRUNCATED);
  /* 2^32 - 1 deposits announced (a four-byte compact count): refused without allocating them. */
  memcpy(bad + SH_PRESET_LEN, "\x03\xff\xff\xff\xff", 5);
  CHECK_STATUS(NEW(bad, genesis_len, &ledger), TRUNCATED);
  CHECK(ledger == NULL);
  /* No deposits: a chain without validators. */
  memcpy(bad, genesis, SH_PRESET_LEN);
  bad[SH_PRESET_LEN] = 0;
  CHECK_STATUS(NEW(bad, SH_PRESET_LEN + 1, &ledger), SH_OK);
  uint64_t count = 99;
  CHECK_STATUS(sh_ledger_validator_count(ledger, &count), SH_OK);
  CHECK(count == 0);
  sh_ledger_free(ledger);
  ledger = NULL;
  CHECK_STATUS(NEW(genesis, genesis_len, &ledger), SH_OK);
#undef NEW

  /* The preset and the registry: four full validators, active from epoch 0. */
  uint8_t preset[SH_PRESET_LEN], want_preset[SH_PRESET_LEN];
  size_t len = 0;
  CHECK_STATUS(sh_ledger_preset(ledger, preset, sizeof preset, &len), SH_OK);
  CHECK(len == SH_PRESET_LEN && memcmp(preset, genesis, SH_PRESET_LEN) == 0);
  CHECK_STATUS(sh_ledger_preset(ledger, preset, sizeof preset - 1, &len), SH_BUFFER_TOO_SMALL);
  CHECK(len == SH_PRESET_LEN);
  CHECK_STATUS(sh_ledger_preset(NULL, preset, sizeof preset, &len), SH_NULL_POINTER);
  CHECK_STATUS(sh_ledger_validator_count(ledger, &count), SH_OK);
  CHECK(count == 4);
  CHECK_STATUS(sh_ledger_validator_count(NULL, &count), SH_NULL_POINTER);
  CHECK_STATUS(sh_ledger_validator_count(ledger, NULL), SH_NULL_POINTER);

  uint8_t validator[SH_VALIDATOR_LEN + 1], key[SH_PUBKEY_LEN + 1];
  uint64_t balance = 0;
  CHECK_STATUS(sh_ledger_validator(ledger, 2, validator, sizeof validator, &len, &balance), SH_OK);
  memset(key, 3, sizeof key);
  /* pubkey[48] credentials[32] effective_balance slashed, then the activation eligibility,
   * activation, exit and withdrawable epochs. */
  CHECK(len == SH_VALIDATOR_LEN && balance == FULL_DEPOSIT);
  CHECK(memcmp(validator, key, SH_PUBKEY_LEN) == 0 && validator[48] == 0x01);
  CHECK(get_le(validator + 80) == FULL_DEPOSIT && validator[88] == 0);
  CHECK(get_le(validator + 89) == 0 && get_le(validator + 97) == 0);
  CHECK(get_le(validator + 105) == UINT64_MAX && get_le(validator + 113) == UINT64_MAX);
  memset(validator, UNTOUCHED, sizeof validator);
  balance = 77;
  CHECK_STATUS(sh_ledger_validator(ledger, 4, validator, sizeof validator, &len, &balance),
               UNKNOWN_VALIDATOR);
  CHECK_STATUS(sh_ledger_validator(ledger, UINT64_MAX, validator, sizeof validator, &len, &balance),
               UNKNOWN_VALIDATOR);
  CHECK_STATUS(sh_ledger_validator(ledger, 0, validator, SH_VALIDATOR_LEN - 1, &len, &balance),
               SH_BUFFER_TOO_SMALL);
  CHECK(len == SH_VALIDATOR_LEN && balance == 77 && untouched(validator, sizeof validator));
  CHECK_STATUS(sh_ledger_validator(ledger, 0, validator, sizeof validator, &len, NULL),
               SH_NULL_POINTER);
  CHECK_STATUS(sh_ledger_validator(ledger, 0, NULL, sizeof validator, &len, &balance),
               SH_NULL_POINTER);
  CHECK_STATUS(sh_ledger_validator(NULL, 0, validator, sizeof validator, &len, &balance),
               SH_NULL_POINTER);
  CHECK(balance == 77 && untouched(validator, sizeof validator));

  uint64_t index = 99;
  CHECK_STATUS(sh_ledger_validator_index(ledger, key, SH_PUBKEY_LEN, &index), SH_OK);
  CHECK(index == 2);
  index = 99;
  memset(key, 9, sizeof key);
  CHECK_STATUS(sh_ledger_validator_index(ledger, key, SH_PUBKEY_LEN, &index), UNKNOWN_VALIDATOR);
  CHECK_STATUS(sh_ledger_validator_index(ledger, key, SH_PUBKEY_LEN - 1, &index),
               SH_INVALID_ARGUMENT);
  CHECK_STATUS(sh_ledger_validator_index(ledger, key, SH_PUBKEY_LEN + 1, &index),
               SH_INVALID_ARGUMENT);
  CHECK_STATUS(sh_ledger_validator_index(ledger, NULL, SH_PUBKEY_LEN, &index), SH_NULL_POINTER);
  CHECK_STATUS(sh_ledger_validator_index(ledger, key, SH_PUBKEY_LEN, NULL), SH_NULL_POINTER);
  CHECK_STATUS(sh_ledger_validator_index(NULL, key, SH_PUBKEY_LEN, &index), SH_NULL_POINTER);
  CHECK(index == 99);

  /* Genesis epoch state: epoch 0, no bits, every checkpoint (0, 0…), an empty exit queue. */
  uint8_t state[SH_EPOCH_STATE_LEN + 1], zero[SH_EPOCH_STATE_LEN] = {0};
  epoch_state(ledger, state);
  CHECK(memcmp(state, zero, SH_EPOCH_STATE_LEN) == 0);
  memset(state, UNTOUCHED, sizeof state);
  CHECK_STATUS(sh_ledger_epoch_state(ledger, state, SH_EPOCH_STATE_LEN - 1, &len),
               SH_BUFFER_TOO_SMALL);
  CHECK(len == SH_EPOCH_STATE_LEN && untouched(state, sizeof state));
  CHECK_STATUS(sh_ledger_epoch_state(NULL, state, sizeof state, &len), SH_NULL_POINTER);
  CHECK_STATUS(sh_ledger_epoch_state(ledger, state, sizeof state, NULL), SH_NULL_POINTER);

  /* Four epochs with every validator attesting: epochs 1 and 2 are justified at the end of
   * epoch 2, then 3 at the end of epoch 3, which finalizes 2. Each epoch's end pays the
   * previous epoch's rewards (none at the end of the genesis epoch); nobody is penalized. */
  static uint8_t events[4096];
  uint8_t want[CHECKPOINT_LEN];
  for (int epoch = 0; epoch < 2; epoch++) {
    attest_all(ledger);
    CHECK(end_epoch(ledger, events, sizeof events) == EPOCH_PROCESSED_LEN); /* alone */
    CHECK(get_le(events + 33) == 4 * FULL_DEPOSIT); /* the current target: all four */
    CHECK(get_le(events + 42) == (epoch == 0 ? 0 : 4 * EPOCH_REWARD) && get_le(events + 50) == 0);
  }
  CHECK(4 * EPOCH_REWARD == 604125000ull);
  CHECK_STATUS(sh_ledger_validator(ledger, 0, validator, sizeof validator, &len, &balance), SH_OK);
  CHECK(balance == FULL_DEPOSIT + 2 * PROPOSER_REWARD_ALL_FOUR + EPOCH_REWARD);
  CHECK_STATUS(sh_ledger_validator(ledger, 1, validator, sizeof validator, &len, &balance), SH_OK);
  CHECK(balance == FULL_DEPOSIT + EPOCH_REWARD);
  attest_all(ledger);
  /* Epoch 2 ends with three events, 140 bytes: more than SH_EVENT_MAX_LEN. With that buffer
   * the epoch is refused and the ledger unchanged; with a larger one it goes through. */
  uint8_t msg[SH_MSG_MAX_LEN], before[SH_EPOCH_STATE_LEN], after[SH_EPOCH_STATE_LEN];
  size_t msg_len = epoch_msg(2, msg), events_len = 0;
  epoch_state(ledger, before);
  memset(events, UNTOUCHED, SH_EVENT_MAX_LEN);
  CHECK_STATUS(sh_ledger_apply(ledger, &alice, msg, msg_len, events, SH_EVENT_MAX_LEN, &events_len),
               SH_BUFFER_TOO_SMALL);
  const size_t three = EPOCH_PROCESSED_LEN + 2 * CHECKPOINT_EVENT_LEN;
  CHECK(events_len == three && untouched(events, SH_EVENT_MAX_LEN));
  epoch_state(ledger, after);
  CHECK(memcmp(before, after, sizeof before) == 0);
  events_len = end_epoch(ledger, events, sizeof events);
  /* EpochProcessed (58), Justified { epoch 1, root }, Justified { epoch 2, root } (41 each). */
  CHECK(events_len == three && get_le(events + 25) == 4 * FULL_DEPOSIT &&
        get_le(events + 33) == 4 * FULL_DEPOSIT && get_le(events + 42) == 4 * EPOCH_REWARD);
  const size_t second = EPOCH_PROCESSED_LEN + CHECKPOINT_EVENT_LEN;
  checkpoint(1, want);
  CHECK(events[EPOCH_PROCESSED_LEN] == 0x52 &&
        memcmp(events + EPOCH_PROCESSED_LEN + 1, want, CHECKPOINT_LEN) == 0);
  checkpoint(2, want);
  CHECK(events[second] == 0x52 && memcmp(events + second + 1, want, CHECKPOINT_LEN) == 0);
  attest_all(ledger);
  events_len = end_epoch(ledger, events, sizeof events);
  /* EpochProcessed, Justified { epoch 3 }, Finalized { epoch 2, root }. */
  CHECK(events_len == three && events[EPOCH_PROCESSED_LEN] == 0x52 &&
        get_le(events + EPOCH_PROCESSED_LEN + 1) == 3);
  CHECK(events[second] == 0x53 && memcmp(events + second + 1, want, CHECKPOINT_LEN) == 0);
  epoch_state(ledger, state);
  CHECK(get_le(state) == 4 && memcmp(state + EPOCH_FINALIZED, want, CHECKPOINT_LEN) == 0);

  /* The chain's errors leave the ledger as it was. */
  uint8_t checkpoint_now[CHECKPOINT_LEN];
  memcpy(checkpoint_now, state + EPOCH_CURRENT_JUSTIFIED, CHECKPOINT_LEN);
  enum { REFUSED = 13 };
  struct {
    size_t len;
    sh_status want;
  } refused[REFUSED];
  uint8_t bad_msgs[REFUSED][SH_MSG_MAX_LEN];
  refused[0].len = attest_msg(checkpoint_now, 9, 4, bad_msgs[0]);
  refused[0].want = TARGET_EPOCH_OUT_OF_RANGE;
  refused[1].len = attest_msg(checkpoint_now, 4, 0, bad_msgs[1]);
  refused[1].want = NO_ATTESTERS;
  refused[2].len = attest_msg(checkpoint_now, 4, 5, bad_msgs[2]); /* validators 0 to 4 */
  refused[2].want = UNKNOWN_VALIDATOR;
  refused[8].len = attest_msg_at(checkpoint_now, 4, 3 * SLOTS, 4 * SLOTS + 1, 4, bad_msgs[8]);
  refused[8].want = TARGET_EPOCH_MISMATCH; /* a vote of epoch 3's slot for epoch 4 */
  refused[9].len = attest_msg_at(checkpoint_now, 4, 4 * SLOTS, 5 * SLOTS, 4, bad_msgs[9]);
  refused[9].want = INCLUSION_OUTSIDE_EPOCH; /* a block of epoch 5 */
  refused[10].len = attest_msg_at(checkpoint_now, 4, 4 * SLOTS, 4 * SLOTS, 4, bad_msgs[10]);
  refused[10].want = INCLUSION_TOO_EARLY; /* in the block of its own slot */
  uint8_t old_source[CHECKPOINT_LEN];
  checkpoint(2, old_source); /* the current justified checkpoint is epoch 3's */
  refused[11].len = attest_msg(old_source, 4, 4, bad_msgs[11]);
  refused[11].want = WRONG_SOURCE;
  refused[12].len = proposer_slashing_msg(0, 2, 5, 0xb1, 2, 5, 0xb1, bad_msgs[12]);
  refused[12].want = IDENTICAL_HEADERS;
  refused[3].len = deposit_msg(9, 1000, bad_msgs[3]);
  refused[3].want = BELOW_MIN_DEPOSIT;
  refused[4].len = exit_msg(0, 0, bad_msgs[4]); /* active for 4 epochs, 256 needed */
  refused[4].want = TOO_YOUNG_TO_EXIT;
  refused[5].len = exit_msg(100, 0, bad_msgs[5]);
  refused[5].want = EXIT_NOT_YET_VALID;
  refused[6].len = exit_msg(0, 4, bad_msgs[6]);
  refused[6].want = UNKNOWN_VALIDATOR;
  refused[7].len = epoch_msg(4, bad_msgs[7]);
  refused[7].want = TRUNCATED;
  refused[7].len -= 1;
  static uint8_t snapshot[8192], same[8192];
  size_t snapshot_len = 0, same_len = 0;
  CHECK_STATUS(sh_ledger_snapshot(ledger, snapshot, sizeof snapshot, &snapshot_len), SH_OK);
  for (size_t i = 0; i < REFUSED; i++) {
    memset(events, UNTOUCHED, SH_EVENT_MAX_LEN);
    CHECK_STATUS(sh_ledger_apply(ledger, &alice, bad_msgs[i], refused[i].len, events,
                                 sizeof events, &events_len),
                 refused[i].want);
    CHECK(untouched(events, SH_EVENT_MAX_LEN));
  }
  CHECK_STATUS(sh_ledger_snapshot(ledger, same, sizeof same, &same_len), SH_OK);
  CHECK(same_len == snapshot_len && memcmp(same, snapshot, same_len) == 0);

  /* A new validator's deposit, then a top-up: ValidatorDeposited { index, amount, balance }. */
  msg_len = deposit_msg(5, FULL_DEPOSIT, msg);
  CHECK_STATUS(sh_ledger_apply(ledger, &alice, msg, msg_len, events, sizeof events, &events_len),
               SH_OK);
  CHECK(events_len == 25 && events[0] == 0x40 && get_le(events + 1) == 4 &&
        get_le(events + 9) == FULL_DEPOSIT && get_le(events + 17) == FULL_DEPOSIT);
  msg_len = deposit_msg(5, 31250000000ull, msg);
  CHECK_STATUS(sh_ledger_apply(ledger, &alice, msg, msg_len, events, sizeof events, &events_len),
               SH_OK);
  CHECK(events_len == 25 && get_le(events + 1) == 4 &&
        get_le(events + 17) == FULL_DEPOSIT + 31250000000ull);
  CHECK_STATUS(sh_ledger_validator_count(ledger, &count), SH_OK);
  memset(key, 5, sizeof key);
  CHECK_STATUS(sh_ledger_validator_index(ledger, key, SH_PUBKEY_LEN, &index), SH_OK);
  CHECK(count == 5 && index == 4);
  CHECK_STATUS(sh_ledger_validator(ledger, 4, validator, sizeof validator, &len, &balance), SH_OK);
  CHECK(balance == FULL_DEPOSIT + 31250000000ull && get_le(validator + 97) == UINT64_MAX);

  /* A snapshot (version 3) carries the chain. */
  CHECK_STATUS(sh_ledger_snapshot(ledger, snapshot, sizeof snapshot, &snapshot_len), SH_OK);
  CHECK(snapshot[0] == 3);
  sh_ledger *copy = NULL;
  CHECK_STATUS(sh_ledger_restore(snapshot, snapshot_len, &copy), SH_OK);
  uint8_t copy_state[SH_EPOCH_STATE_LEN];
  epoch_state(ledger, state);
  epoch_state(copy, copy_state);
  CHECK(memcmp(state, copy_state, SH_EPOCH_STATE_LEN) == 0);
  CHECK_STATUS(sh_ledger_validator_count(copy, &count), SH_OK);
  CHECK(count == 5);
  sh_ledger_free(copy);

  /* sh_ledger_new: the seed's preset, no validator, so nothing to finalize. */
  sh_ledger_free(ledger);
  ledger = NULL;
  CHECK_STATUS(sh_ledger_new(params, PARAMS_LEN, council, COUNCIL_LEN, &ledger), SH_OK);
  CHECK_STATUS(sh_preset(SH_PRESET_SEED_CHAIN, want_preset, sizeof want_preset, &len), SH_OK);
  CHECK_STATUS(sh_ledger_preset(ledger, preset, sizeof preset, &len), SH_OK);
  CHECK(memcmp(preset, want_preset, SH_PRESET_LEN) == 0);
  CHECK_STATUS(sh_ledger_validator_count(ledger, &count), SH_OK);
  CHECK(count == 0);
  CHECK_STATUS(sh_ledger_validator(ledger, 0, validator, sizeof validator, &len, &balance),
               UNKNOWN_VALIDATOR);
  epoch_state(ledger, state);
  CHECK(memcmp(state, zero, SH_EPOCH_STATE_LEN) == 0);
  sh_ledger_free(ledger);
}

/* Slashings through a ledger handle: a proposer slashing and attester slashings (a double
 * vote, a surround vote), their events and records, the events of several validators in a
 * short buffer, and refused evidence leaving the ledger as it was. */
static void test_chain_slashing(void) {
  static uint8_t genesis[SH_PRESET_LEN + 1 + 4 * DEPOSIT_DATA_LEN];
  static uint8_t snapshot[8192], same[8192], events[4096];
  size_t genesis_len = genesis_bytes(4, genesis), len = 0, msg_len = 0, events_len = 0,
         snapshot_len = 0, same_len = 0;
  sh_ledger *ledger = NULL;
  CHECK_STATUS(sh_ledger_new_with_chain(globals, PARAMS_LEN, globals + PARAMS_LEN, COUNCIL_LEN,
                                        genesis, genesis_len, &ledger),
               SH_OK);
  uint8_t msg[SH_MSG_MAX_LEN], validator[SH_VALIDATOR_LEN];
  uint64_t balance = 0;
  /* The seed chain's slash_validator at epoch 0 for 1000 coins: the initial penalty
   * 1000 // MIN_SLASHING_PENALTY_QUOTIENT_BELLATRIX (the seed's 1000) = 1 coin; the reporting
   * proposer's reward 1000 // WHISTLEBLOWER_REWARD_QUOTIENT 512; exit at 0 + 1 + 4; withdrawable
   * at 0 + EPOCHS_PER_SLASHINGS_VECTOR 8192. */
  const uint64_t penalty = FULL_DEPOSIT / 1000, reward = FULL_DEPOSIT / 512;
#define SLASHED_EVENT(at, index, proposer)                                                    \
  ((at)[0] == 0x45 && get_le((at) + 1) == (index) && get_le((at) + 9) == penalty &&           \
   get_le((at) + 17) == 5 && get_le((at) + 25) == 8192 && get_le((at) + 33) == (proposer) &&  \
   get_le((at) + 41) == reward)

  /* Refused evidence: the status says why, no event is written, the ledger stays. */
  const uint64_t one[] = {1}, three[] = {3}, unsorted[] = {3, 1}, both[] = {1, 3};
  const uint64_t all[] = {0, 1, 3};
  enum { REFUSED = 9 };
  struct {
    size_t len;
    sh_status want;
  } refused[REFUSED];
  static uint8_t bad_msgs[REFUSED][SH_MSG_MAX_LEN];
  refused[0].len = proposer_slashing_msg(0, 2, 5, 0xb1, 2, 6, 0xb2, bad_msgs[0]);
  refused[0].want = PROPOSER_SLOT_MISMATCH;
  refused[1].len = proposer_slashing_msg(0, 2, 5, 0xb1, 3, 5, 0xb2, bad_msgs[1]);
  refused[1].want = PROPOSER_INDEX_MISMATCH;
  refused[2].len = proposer_slashing_msg(0, 2, 5, 0xb1, 2, 5, 0xb1, bad_msgs[2]);
  refused[2].want = IDENTICAL_HEADERS;
  refused[3].len = proposer_slashing_msg(0, 9, 5, 0xb1, 9, 5, 0xb2, bad_msgs[3]);
  refused[3].want = UNKNOWN_VALIDATOR;
  refused[4].len = attester_slashing_msg(0, (vote){both, 2, 0, 3, 1}, (vote){both, 2, 0, 3, 1},
                                         bad_msgs[4]);
  refused[4].want = NOT_SLASHABLE_ATTESTATIONS; /* the same vote twice */
  refused[5].len = attester_slashing_msg(0, (vote){both, 2, 0, 1, 1}, (vote){both, 2, 0, 2, 1},
                                         bad_msgs[5]);
  refused[5].want = NOT_SLASHABLE_ATTESTATIONS; /* 0 → 1 and 0 → 2: neither */
  refused[6].len = attester_slashing_msg(0, (vote){both, 2, 1, 2, 1}, (vote){both, 2, 0, 3, 1},
                                         bad_msgs[6]);
  refused[6].want = NOT_SLASHABLE_ATTESTATIONS; /* surrounded first: the wrong order */
  refused[7].len = attester_slashing_msg(0, (vote){unsorted, 2, 0, 3, 1},
                                         (vote){both, 2, 0, 3, 2}, bad_msgs[7]);
  refused[7].want = INVALID_ATTESTING_INDICES;
  refused[8].len = attester_slashing_msg(0, (vote){one, 1, 0, 3, 1}, (vote){three, 1, 0, 3, 2},
                                         bad_msgs[8]);
  refused[8].want = NO_SLASHABLE_VALIDATOR; /* nobody in both */
  CHECK_STATUS(sh_ledger_snapshot(ledger, snapshot, sizeof snapshot, &snapshot_len), SH_OK);
  for (size_t i = 0; i < REFUSED; i++) {
    memset(events, UNTOUCHED, sizeof events);
    CHECK_STATUS(sh_ledger_apply(ledger, &alice, bad_msgs[i], refused[i].len, events,
                                 sizeof events, &events_len),
                 refused[i].want);
    CHECK(untouched(events, sizeof events));
  }
  CHECK_STATUS(sh_ledger_snapshot(ledger, same, sizeof same, &same_len), SH_OK);
  CHECK(same_len == snapshot_len && memcmp(same, snapshot, same_len) == 0);

  /* Validator 2 signed two blocks for slot 5; validator 0's block reports it. */
  msg_len = proposer_slashing_msg(0, 2, 5, 0xb1, 2, 5, 0xb2, msg);
  CHECK_STATUS(sh_ledger_apply(ledger, &alice, msg, msg_len, events, SH_EVENT_MAX_LEN, &events_len),
               SH_OK);
  CHECK(events_len == VALIDATOR_SLASHED_LEN && SLASHED_EVENT(events, 2, 0));
  CHECK_STATUS(sh_ledger_validator(ledger, 2, validator, sizeof validator, &len, &balance), SH_OK);
  CHECK(validator[88] == 1 && get_le(validator + 105) == 5 && get_le(validator + 113) == 8192);
  CHECK(balance == FULL_DEPOSIT - penalty);
  CHECK_STATUS(sh_ledger_validator(ledger, 0, validator, sizeof validator, &len, &balance), SH_OK);
  CHECK(balance == FULL_DEPOSIT + reward);
  /* Slashed once only. */
  msg_len = proposer_slashing_msg(1, 2, 5, 0xb1, 2, 5, 0xb3, msg);
  CHECK_STATUS(sh_ledger_apply(ledger, &alice, msg, msg_len, events, sizeof events, &events_len),
               NOT_SLASHABLE);

  /* Validators 0, 1 and 3 voted twice for epoch 3's target (a double vote), reported by
   * validator 2: three ValidatorSlashed events, 147 bytes. With a buffer of SH_EVENT_MAX_LEN
   * bytes the slashing is refused (204, the length needed), the ledger unchanged. */
  msg_len = attester_slashing_msg(2, (vote){all, 3, 0, 3, 1}, (vote){all, 3, 0, 3, 2}, msg);
  CHECK_STATUS(sh_ledger_snapshot(ledger, snapshot, sizeof snapshot, &snapshot_len), SH_OK);
  memset(events, UNTOUCHED, sizeof events);
  CHECK_STATUS(sh_ledger_apply(ledger, &alice, msg, msg_len, events, SH_EVENT_MAX_LEN, &events_len),
               SH_BUFFER_TOO_SMALL);
  CHECK(events_len == 3 * VALIDATOR_SLASHED_LEN && untouched(events, sizeof events));
  CHECK_STATUS(sh_ledger_snapshot(ledger, same, sizeof same, &same_len), SH_OK);
  CHECK(same_len == snapshot_len && memcmp(same, snapshot, same_len) == 0);
  CHECK_STATUS(sh_ledger_apply(ledger, &alice, msg, msg_len, events, events_len, &events_len), SH_OK);
  CHECK(events_len == 3 * VALIDATOR_SLASHED_LEN && SLASHED_EVENT(events, 0, 2) &&
        SLASHED_EVENT(events + VALIDATOR_SLASHED_LEN, 1, 2) &&
        SLASHED_EVENT(events + 2 * VALIDATOR_SLASHED_LEN, 3, 2));
  /* Exits at epoch 5 (the churn allows 4 an epoch), each reward to validator 2. */
  CHECK_STATUS(sh_ledger_validator(ledger, 2, validator, sizeof validator, &len, &balance), SH_OK);
  CHECK(balance == FULL_DEPOSIT - penalty + 3 * reward);
  /* Nobody left to slash. */
  CHECK_STATUS(sh_ledger_apply(ledger, &alice, msg, msg_len, events, sizeof events, &events_len),
               NO_SLASHABLE_VALIDATOR);
  sh_ledger_free(ledger);

  /* A surround vote (0 → 3 around 1 → 2) of validator 1 in a fresh chain: with a buffer of
   * SH_EVENT_MAX_LEN bytes and two indices, the slashing goes through a copy and fits. */
  ledger = NULL;
  CHECK_STATUS(sh_ledger_new_with_chain(globals, PARAMS_LEN, globals + PARAMS_LEN, COUNCIL_LEN,
                                        genesis, genesis_len, &ledger),
               SH_OK);
  const uint64_t one_and_two[] = {1, 2}, one_only[] = {1};
  msg_len = attester_slashing_msg(3, (vote){one_and_two, 2, 0, 3, 1}, (vote){one_only, 1, 1, 2, 1},
                              msg);
  CHECK_STATUS(sh_ledger_apply(ledger, &alice, msg, msg_len, events, SH_EVENT_MAX_LEN, &events_len),
               SH_OK);
  CHECK(events_len == VALIDATOR_SLASHED_LEN && SLASHED_EVENT(events, 1, 3));
  CHECK_STATUS(sh_ledger_validator(ledger, 1, validator, sizeof validator, &len, &balance), SH_OK);
  CHECK(validator[88] == 1 && balance == FULL_DEPOSIT - penalty);
  sh_ledger_free(ledger);
#undef SLASHED_EVENT
}

/* ---- the corpus ---------------------------------------------------------------------------- */

static void write_stdout(const char *text, size_t len) { fwrite(text, 1, len, stdout); }

static int replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    perror(path);
    return 1;
  }
  static char corpus[1 << 24]; /* the ledger fuzz corpus as scenarios is a few MB */
  size_t len = fread(corpus, 1, sizeof corpus, f);
  int too_long = !feof(f);
  fclose(f);
  if (too_long) {
    fprintf(stderr, "%s: longer than %zu bytes\n", path, sizeof corpus);
    return 1;
  }
  const replay_io io = {write_stdout, NULL, NULL};
  replay_stats stats = replay_corpus(corpus, len, &io);
  fflush(stdout);
  fprintf(stderr, "corpus: %u scenarios, %u steps, %u mismatches\n", stats.scenarios,
          stats.steps, stats.mismatches);
  return stats.mismatches != 0 || stats.steps == 0;
}

/* ---- dashboard estimates (display-only doubles) ------------------------------------------- */

/* sh_estimate_apr, sh_slashing_timeline and sh_proposal_probability: the anchors of the core's
 * tests (mainnet 2.94 %, day 18 / day 36, 1 - e^-0.0072 a day), and every error writing
 * nothing. */
static void test_estimates(void) {
#define NEAR(a, b, rel) (((a) - (b)) <= (rel) * ((b) < 0 ? -(b) : (b)) && \
                         ((b) - (a)) <= (rel) * ((b) < 0 ? -(b) : (b)))
  uint8_t deneb[SH_PRESET_LEN + 1], seed[SH_PRESET_LEN];
  size_t deneb_len = 0, seed_len = 0;
  CHECK_STATUS(sh_preset(SH_PRESET_DENEB, deneb, SH_PRESET_LEN, &deneb_len), SH_OK);
  CHECK_STATUS(sh_preset(SH_PRESET_SEED_CHAIN, seed, sizeof seed, &seed_len), SH_OK);
  const uint64_t mainnet_total = 1000000ull * 32000000000ull; /* 1 M validators of 32 ETH */
  const uint64_t seed_total = 1000000ull * FULL_DEPOSIT;       /* 1 M of 1000 coins */

  /* APR: B = 10^9 · 64 / √(32·10^15) = 357.77 Gwei, times 82,181.25 epochs a year. */
  double apr = -1, seed_apr = -1, none = 1, nan_apr = 1;
  CHECK_STATUS(sh_estimate_apr(deneb, deneb_len, mainnet_total, 1.0, &apr), SH_OK);
  CHECK(NEAR(apr, 0.02940205783614474, 1e-9));
  CHECK_STATUS(sh_estimate_apr(seed, seed_len, seed_total, 1.0, &seed_apr), SH_OK);
  CHECK(NEAR(seed_apr, apr, 0.002) && !NEAR(seed_apr, apr, 0.0001)); /* 358 ≈ 64·√31.25 */
  CHECK_STATUS(sh_estimate_apr(deneb, deneb_len, mainnet_total, 0.0, &none), SH_OK);
  CHECK(NEAR(none, -40.0 / 64.0 * apr, 1e-9)); /* the source and target penalties */
  volatile double zero = 0.0;
  CHECK_STATUS(sh_estimate_apr(deneb, deneb_len, mainnet_total, zero / zero, &nan_apr), SH_OK);
  CHECK(nan_apr == none); /* NaN participation counts as 0 */
  CHECK_STATUS(sh_estimate_apr(deneb, deneb_len, 0, 1.0, &apr), SH_OK);
  CHECK(apr == 0.0);
  apr = 7.5;
  CHECK_STATUS(sh_estimate_apr(deneb, deneb_len - 1, mainnet_total, 1.0, &apr), TRUNCATED);
  CHECK_STATUS(sh_estimate_apr(deneb, deneb_len + 1, mainnet_total, 1.0, &apr), TRAILING_BYTES);
  CHECK_STATUS(sh_estimate_apr(NULL, deneb_len, mainnet_total, 1.0, &apr), SH_NULL_POINTER);
  CHECK(apr == 7.5);
  CHECK_STATUS(sh_estimate_apr(deneb, deneb_len, mainnet_total, 1.0, NULL), SH_NULL_POINTER);

  /* A validator slashed at epoch 1000: withdrawable at 1000 + 8192, the correlation penalty at
   * 1000 + 4096, 18.2 and 36.4 days away (epochs of 32 × 12 s). */
  uint8_t validator[SH_VALIDATOR_LEN];
  memset(validator, 0x33, 80); /* public key, withdrawal credentials */
  put_le(validator + 80, FULL_DEPOSIT);
  validator[88] = 1; /* slashed */
  put_le(validator + 89, 0);
  put_le(validator + 97, 1);
  put_le(validator + 105, 1005);
  put_le(validator + 113, 1000 + 8192);
  sh_slashing_schedule t, before;
  memset(&t, UNTOUCHED, sizeof t);
  CHECK_STATUS(sh_slashing_timeline(seed, seed_len, validator, sizeof validator, 1000, &t), SH_OK);
  CHECK(t.correlation_penalty_epoch == 1000 + 4096 && t.withdrawable_epoch == 1000 + 8192);
  CHECK(t.seconds_to_correlation_penalty == 4096.0 * 384.0);
  CHECK(t.seconds_to_withdrawable == 8192.0 * 384.0);
  CHECK(t.days_to_correlation_penalty == 4096.0 * 384.0 / 86400.0);
  CHECK((int)t.days_to_correlation_penalty == 18 && (int)t.days_to_withdrawable == 36);
  /* Past the penalty epoch: 0 to it, and less to go. */
  CHECK_STATUS(sh_slashing_timeline(deneb, deneb_len, validator, sizeof validator, 6000, &t), SH_OK);
  CHECK(t.seconds_to_correlation_penalty == 0.0);
  CHECK(t.seconds_to_withdrawable == (9192.0 - 6000.0) * 384.0);
  /* No timeline: not slashed, or not scheduled. Nothing is written on any error. */
  memset(&t, UNTOUCHED, sizeof t);
  memcpy(&before, &t, sizeof t);
  validator[88] = 0;
  CHECK_STATUS(sh_slashing_timeline(seed, seed_len, validator, sizeof validator, 1000, &t),
               SH_INVALID_ARGUMENT);
  validator[88] = 1;
  put_le(validator + 113, UINT64_MAX);
  CHECK_STATUS(sh_slashing_timeline(seed, seed_len, validator, sizeof validator, 1000, &t),
               SH_INVALID_ARGUMENT);
  validator[88] = 2; /* not a boolean */
  CHECK_STATUS(sh_slashing_timeline(seed, seed_len, validator, sizeof validator, 1000, &t),
               MALFORMED);
  validator[88] = 1;
  CHECK_STATUS(sh_slashing_timeline(seed, seed_len, validator, sizeof validator - 1, 1000, &t),
               TRUNCATED);
  CHECK_STATUS(sh_slashing_timeline(seed, seed_len, NULL, sizeof validator, 1000, &t),
               SH_NULL_POINTER);
  CHECK(memcmp(&t, &before, sizeof t) == 0);
  CHECK_STATUS(sh_slashing_timeline(seed, seed_len, validator, sizeof validator, 1000, NULL),
               SH_NULL_POINTER);

  /* Proposal odds: one slot is the balance share; a day (7200 slots) with 1 M equal validators
   * is 1 - (1 - 10^-6)^7200 ≈ 1 - e^-0.0072. */
  double p = -1, day = -1, always = -1, never = -1;
  CHECK_STATUS(sh_proposal_probability(32000000000ull, mainnet_total, 1, &p), SH_OK);
  CHECK(NEAR(p, 1e-6, 1e-9));
  CHECK_STATUS(sh_proposal_probability(32000000000ull, mainnet_total, 7200, &day), SH_OK);
  CHECK(NEAR(day, 0.007174145670362115, 1e-12) && NEAR(day, 0.007174142096186609, 1e-5));
  CHECK_STATUS(sh_proposal_probability(FULL_DEPOSIT, FULL_DEPOSIT, 1, &always), SH_OK);
  CHECK(always == 1.0);
  CHECK_STATUS(sh_proposal_probability(FULL_DEPOSIT, seed_total, 0, &never), SH_OK);
  CHECK(never == 0.0);
  CHECK_STATUS(sh_proposal_probability(1, UINT64_MAX, UINT64_MAX, &p), SH_OK);
  CHECK(p > 0.0 && p < 1.0);
  CHECK_STATUS(sh_proposal_probability(1, 2, 3, NULL), SH_NULL_POINTER);
#undef NEAR
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s tests/vectors/scenarios.txt\n", argv[0]);
    return 2;
  }
  globals_len = unhex(CORPUS_GENESIS_GLOBALS_HEX, globals, sizeof globals);
  memset(alice.caller, 0xa1, sizeof alice.caller);
  alice.now = 1743033600;
  alice.height = 1;

  test_version();
  test_status_text();
  test_msg_validate();
  test_msg_account();
  test_apply();
  test_format_amount();
  test_summary();
  test_ledger();
  test_preset();
  test_justify_and_finalize();
  test_chain_messages();
  test_chain_ledger();
  test_chain_slashing();
  test_estimates();
  fprintf(stderr, "API tests: %d checks, %d failures\n", checks, failures);
  int replay_failed = replay_file(argv[1]);
  return failures != 0 || replay_failed;
}
