/*
 * Host tests of the C library: every function, with good and bad inputs (NULL pointers,
 * short buffers, garbage bytes, wrong versions, indexes and pages out of range), then the
 * scenario corpus (replay.c), printed to stdout for the caller to compare with the corpus.
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

#include "replay.h"
#include "stakehold.h"

static int failures;

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                          \
    }                                                                      \
  } while (0)

#define CHECK_STATUS(expr, want)                                                    \
  do {                                                                              \
    sh_status got_ = (expr);                                                        \
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

/* BTFS defaults (7-day unlock, 1 BTT minimum, merged policy) governed by a 2-of-3 council
 * whose first member (0xc1…) is required: the genesis of the corpus. */
static const char GENESIS_GLOBALS[] =
    "803a090000000000000064a7b3b6e00d000000000000000000000000000000000000000000000000"
    "000cc1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c101c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2"
    "c2c2c200c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c300020000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000";
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
                             SH_NO_SUCH_PAGE, 100, 308, 410, 502, 707, 717, 807};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    CHECK_STATUS(sh_status_text(codes[i], text, sizeof text, &len), SH_OK);
    CHECK(strncmp(text, "Unknown", 7) != 0);
  }
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

  /* A new ledger's snapshot: version 1, the shared records, no accounts. */
  uint8_t snapshot[2048];
  size_t snapshot_len = 0, needed = 0;
  CHECK_STATUS(sh_ledger_snapshot(ledger, NULL, 0, &needed), SH_BUFFER_TOO_SMALL);
  CHECK(needed == 1 + globals_len + 1);
  memset(snapshot, UNTOUCHED, sizeof snapshot);
  CHECK_STATUS(sh_ledger_snapshot(ledger, snapshot, needed - 1, &snapshot_len),
               SH_BUFFER_TOO_SMALL);
  CHECK(untouched(snapshot, sizeof snapshot));
  CHECK_STATUS(sh_ledger_snapshot(ledger, snapshot, sizeof snapshot, &snapshot_len), SH_OK);
  CHECK(snapshot_len == needed && snapshot[0] == 1 &&
        memcmp(snapshot + 1, globals, globals_len) == 0 && snapshot[needed - 1] == 0);
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
  snapshot[0] = 2;
  CHECK_STATUS(sh_ledger_restore(snapshot, snapshot_len, &copy), UNSUPPORTED_VERSION);
  snapshot[0] = 1;
  CHECK_STATUS(sh_ledger_restore(snapshot, snapshot_len - 1, &copy), TRUNCATED);
  snapshot[1 + PARAMS_LEN + COUNCIL_LEN] ^= 1; /* the total staked is not the accounts' sum */
  CHECK_STATUS(sh_ledger_restore(snapshot, snapshot_len, &copy), 502);
  CHECK_STATUS(sh_ledger_restore(NULL, 0, &copy), TRUNCATED);
  CHECK_STATUS(sh_ledger_restore(snapshot, snapshot_len, NULL), SH_NULL_POINTER);
  CHECK(copy == NULL);
  sh_ledger_free(ledger);
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

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s tests/vectors/scenarios.txt\n", argv[0]);
    return 2;
  }
  globals_len = unhex(GENESIS_GLOBALS, globals, sizeof globals);
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
  fprintf(stderr, "API tests: %d failures\n", failures);
  int replay_failed = replay_file(argv[1]);
  return failures != 0 || replay_failed;
}
