/*
 * The scenario corpus replayed through the C library: see replay.h.
 *
 * Lines that are inputs (comments, scenario, genesis_*, step, final_snapshot, end) are printed
 * as read. Lines that are results (screen, screen_err, item, ok, err, final_globals,
 * final_account) are not printed as read: the replay prints its own, computed through the
 * library, and compares them with the corpus's. Records live in a small table, one buffer per
 * account, updated in place by sh_apply; with SH_FEATURE_ALLOC every step also goes through a
 * ledger handle, which must agree with the pure surface and end at the corpus's snapshot.
 * The chain's messages (deposits, exits, attestations, epoch ends) need the validator
 * registry: sh_apply refuses them (503 ChainMessage), so their results come from the ledger
 * handle alone (a build without it prints the 503 and so differs from such a corpus).
 */
#include "replay.h"

#include <stdint.h>
#include <string.h>

#include "stakehold.h"

#define MAX_ACCOUNTS 16
#define MSG_CAP 1024
#define SECTION_CAP 8192
#define SNAPSHOT_CAP 8192
/* Values are paged as on a 16-character display line (and its NUL). */
#define PAGE_CAP 17
/* The ledger handle's events: an epoch end has one per validator it changes. */
#define EVENTS_CAP 4096
/* sh_apply's status for the chain's messages, which only a ledger handle applies. */
#define CHAIN_MESSAGE 503

typedef struct text {
  char buf[SECTION_CAP];
  size_t len;
  int overflow;
} text;

typedef struct account_slot {
  int used;
  uint8_t id[SH_ACCOUNT_ID_LEN];
  uint8_t record[SH_ACCOUNT_MAX_LEN];
  size_t len;
} account_slot;

static struct {
  const replay_io *io;
  replay_stats stats;
  uint8_t globals[SH_GLOBALS_MAX_LEN];
  size_t globals_len;
  account_slot accounts[MAX_ACCOUNTS];
  /* The results computed for the current step or final section, and the corpus's. */
  text got, want;
  int pending;
#if defined(SH_FEATURE_ALLOC)
  sh_ledger *ledger;
  uint8_t snapshot[SNAPSHOT_CAP];
#endif
} st;

/* ---- output ------------------------------------------------------------------------------ */

static void emit(const char *s, size_t len) { st.io->write(s, len); }

static void put(text *t, const char *s, size_t len) {
  if (len > sizeof t->buf - t->len) {
    t->overflow = 1;
    return;
  }
  memcpy(t->buf + t->len, s, len);
  t->len += len;
}

static void put_str(text *t, const char *s) { put(t, s, strlen(s)); }

/* Writes v in decimal at the end of out[20]; returns where it starts. */
static const char *decimal_text(uint64_t v, char out[20], size_t *len) {
  size_t n = 0;
  do {
    out[19 - n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  *len = n;
  return out + 20 - n;
}

static void put_u64(text *t, uint64_t v) {
  char digits[20];
  size_t len;
  const char *start = decimal_text(v, digits, &len);
  put(t, start, len);
}

static void put_hex(text *t, const uint8_t *bytes, size_t len) {
  static const char digits[] = "0123456789abcdef";
  if (len == 0) put_str(t, "-");
  for (size_t i = 0; i < len; i++) {
    char pair[2] = {digits[bytes[i] >> 4], digits[bytes[i] & 15]};
    put(t, pair, 2);
  }
}

/* Reports a mismatch on a line of its own (outside the transcript). */
static void mismatch(const char *what, sh_status status) {
  char digits[20];
  size_t len;
  const char *start = decimal_text(status, digits, &len);
  emit("% mismatch: ", 12);
  emit(what, strlen(what));
  emit(" (status ", 9);
  emit(start, len);
  emit(")\n", 2);
  st.stats.mismatches++;
}

/* ---- calls ------------------------------------------------------------------------------- */

static void before(void) {
  if (st.io->before_call) st.io->before_call();
}

static void after(const char *function) {
  if (st.io->after_call) st.io->after_call(function);
}

#define CALL(status, function, ...)      \
  do {                                   \
    before();                            \
    (status) = function(__VA_ARGS__);    \
    after(#function);                    \
  } while (0)

/* ---- input ------------------------------------------------------------------------------- */

typedef struct token {
  const char *s;
  size_t len;
} token;

/* The next space-separated token of [*p, end). */
static token next(const char **p, const char *end) {
  while (*p < end && **p == ' ') (*p)++;
  token t = {*p, 0};
  while (*p < end && **p != ' ') (*p)++;
  t.len = (size_t)(*p - t.s);
  return t;
}

static int is(token t, const char *word) {
  return t.len == strlen(word) && memcmp(t.s, word, t.len) == 0;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* Hex (or "-" for no bytes) into out; 0 on success. */
static int unhex(token t, uint8_t *out, size_t cap, size_t *len) {
  if (is(t, "-")) {
    *len = 0;
    return 0;
  }
  if (t.len % 2 != 0 || t.len / 2 > cap) return -1;
  for (size_t i = 0; i < t.len / 2; i++) {
    int hi = hex_value(t.s[2 * i]), lo = hex_value(t.s[2 * i + 1]);
    if (hi < 0 || lo < 0) return -1;
    out[i] = (uint8_t)(hi << 4 | lo);
  }
  *len = t.len / 2;
  return 0;
}

static int decimal(token t, uint64_t *out) {
  uint64_t v = 0;
  if (t.len == 0) return -1;
  for (size_t i = 0; i < t.len; i++) {
    if (t.s[i] < '0' || t.s[i] > '9') return -1;
    v = v * 10 + (uint64_t)(t.s[i] - '0');
  }
  *out = v;
  return 0;
}

/* ---- the account table ------------------------------------------------------------------- */

static account_slot *find(const uint8_t id[SH_ACCOUNT_ID_LEN]) {
  for (size_t i = 0; i < MAX_ACCOUNTS; i++)
    if (st.accounts[i].used && memcmp(st.accounts[i].id, id, SH_ACCOUNT_ID_LEN) == 0)
      return &st.accounts[i];
  return NULL;
}

/* The slot of `id`, or a free one for it (not yet marked used), or NULL when full. */
static account_slot *slot_for(const uint8_t id[SH_ACCOUNT_ID_LEN]) {
  account_slot *slot = find(id);
  for (size_t i = 0; slot == NULL && i < MAX_ACCOUNTS; i++)
    if (!st.accounts[i].used) {
      slot = &st.accounts[i];
      memcpy(slot->id, id, SH_ACCOUNT_ID_LEN);
      slot->len = 0;
    }
  return slot;
}

/* ---- a step ------------------------------------------------------------------------------ */

/* The summary as the device shows it: each value paged at 16 bytes and joined again. */
static void screen(const sh_context *ctx, const uint8_t *msg, size_t msg_len) {
  sh_status s;
  size_t count;
  CALL(s, sh_summary_item_count, msg, msg_len, ctx, st.globals, st.globals_len, &count);
  if (s != SH_OK) {
    put_str(&st.got, "screen_err ");
    put_u64(&st.got, s);
    put_str(&st.got, "\n");
    return;
  }
  put_str(&st.got, "screen ");
  put_u64(&st.got, count);
  put_str(&st.got, "\n");
  for (size_t i = 0; i < count; i++) {
    char title[SH_TITLE_CAP], value[SH_VALUE_CAP], page[PAGE_CAP], joined[SH_VALUE_CAP];
    size_t title_len, value_len, page_len, pages, joined_len = 0;
    CALL(s, sh_summary_item, msg, msg_len, ctx, st.globals, st.globals_len, i, 0, title,
         sizeof title, &title_len, value, sizeof value, &value_len, &pages);
    if (s != SH_OK || pages != 1) {
      mismatch("a whole item", s);
      return;
    }
    size_t n = 1;
    for (size_t p = 0; p < n; p++) {
      CALL(s, sh_summary_item, msg, msg_len, ctx, st.globals, st.globals_len, i, p, title,
           sizeof title, &title_len, page, sizeof page, &page_len, &n);
      if (s != SH_OK || page_len > sizeof joined - joined_len || page[page_len] != '\0') {
        mismatch("a page", s);
        return;
      }
      memcpy(joined + joined_len, page, page_len);
      joined_len += page_len;
    }
    if (joined_len != value_len || memcmp(joined, value, value_len) != 0)
      mismatch("the pages do not join into the value", SH_OK);
    put_str(&st.got, "item ");
    put(&st.got, title, title_len);
    put_str(&st.got, "\t");
    put(&st.got, joined, joined_len);
    put_str(&st.got, "\n");
  }
}

/* Applies the message to the table's records, in place. */
static void apply(const sh_context *ctx, const uint8_t *msg, size_t msg_len) {
  static uint8_t scratch[SH_ACCOUNT_MAX_LEN];
  uint8_t id[SH_ACCOUNT_ID_LEN], event[SH_EVENT_MAX_LEN];
  size_t id_len = 0, event_len = 0;
  sh_status s;
  CALL(s, sh_msg_account, msg, msg_len, ctx, id, sizeof id, &id_len);
  account_slot *slot = NULL;
  if (s == SH_OK && id_len == SH_ACCOUNT_ID_LEN) {
    slot = slot_for(id);
    if (slot == NULL) mismatch("the account table is full", s);
  }
  uint8_t *record = slot ? slot->record : scratch;
  size_t record_len = slot && slot->used ? slot->len : 0;
  size_t globals_len = st.globals_len, new_len = record_len;
  CALL(s, sh_apply, st.globals, st.globals_len, record, record_len, ctx, msg, msg_len,
       st.globals, sizeof st.globals, &globals_len, record, SH_ACCOUNT_MAX_LEN, &new_len, event,
       sizeof event, &event_len);
  const uint8_t *result = event;
  size_t result_len = event_len;
#if defined(SH_FEATURE_ALLOC)
  static uint8_t events[EVENTS_CAP];
  size_t events_len = 0;
  sh_status ls;
  CALL(ls, sh_ledger_apply, st.ledger, ctx, msg, msg_len, events, sizeof events, &events_len);
  if (s == CHAIN_MESSAGE && id_len == 0) {
    /* A chain message: the ledger's result is the step's. */
    s = ls;
    result = events;
    result_len = events_len;
  } else if (ls != s ||
             (s == SH_OK && (events_len != event_len || memcmp(events, event, event_len)))) {
    mismatch("the ledger handle and sh_apply disagree", ls);
  }
#endif
  if (s == SH_OK) {
    if (result == event) {
      st.globals_len = globals_len;
      if (slot) {
        slot->len = new_len;
        slot->used = new_len > 0;
      }
    }
    put_str(&st.got, "ok ");
    put_hex(&st.got, result, result_len);
  } else {
    put_str(&st.got, "err ");
    put_u64(&st.got, s);
  }
  put_str(&st.got, "\n");
}

static void step(const char *p, const char *end) {
  static uint8_t msg[MSG_CAP];
  uint8_t caller[SH_ACCOUNT_ID_LEN];
  size_t caller_len, msg_len;
  sh_context ctx;
  if (unhex(next(&p, end), caller, sizeof caller, &caller_len) != 0 ||
      caller_len != SH_ACCOUNT_ID_LEN || decimal(next(&p, end), &ctx.now) != 0 ||
      decimal(next(&p, end), &ctx.height) != 0 ||
      unhex(next(&p, end), msg, sizeof msg, &msg_len) != 0) {
    mismatch("an unreadable step line", SH_OK);
    return;
  }
  memcpy(ctx.caller, caller, sizeof ctx.caller);
  st.stats.steps++;
  screen(&ctx, msg, msg_len);
  apply(&ctx, msg, msg_len);
}

/* The final records: the shared ones and each account, ascending. */
static void final_records(void) {
  put_str(&st.got, "final_globals ");
  put_hex(&st.got, st.globals, st.globals_len);
  put_str(&st.got, "\n");
  const account_slot *last = NULL;
  for (;;) {
    const account_slot *next_slot = NULL;
    for (size_t i = 0; i < MAX_ACCOUNTS; i++) {
      const account_slot *a = &st.accounts[i];
      if (a->used && (last == NULL || memcmp(a->id, last->id, SH_ACCOUNT_ID_LEN) > 0) &&
          (next_slot == NULL || memcmp(a->id, next_slot->id, SH_ACCOUNT_ID_LEN) < 0))
        next_slot = a;
    }
    if (next_slot == NULL) return;
    put_str(&st.got, "final_account ");
    put_hex(&st.got, next_slot->id, SH_ACCOUNT_ID_LEN);
    put_str(&st.got, " ");
    put_hex(&st.got, next_slot->record, next_slot->len);
    put_str(&st.got, "\n");
    last = next_slot;
  }
}

/* ---- sections ---------------------------------------------------------------------------- */

/* Prints the computed results of the section just ended, after comparing them. */
static void flush(void) {
  if (!st.pending) return;
  if (st.got.overflow || st.want.overflow || st.got.len != st.want.len ||
      memcmp(st.got.buf, st.want.buf, st.got.len) != 0)
    mismatch("results differ from the corpus", SH_OK);
  emit(st.got.buf, st.got.len);
  st.pending = 0;
}

static void begin_section(void) {
  flush();
  st.got.len = st.want.len = 0;
  st.got.overflow = st.want.overflow = 0;
  st.pending = 1;
}

static int is_result(token keyword) {
  static const char *const results[] = {"screen", "screen_err", "item", "ok", "err",
                                        "final_globals", "final_account"};
  for (size_t i = 0; i < sizeof results / sizeof results[0]; i++)
    if (is(keyword, results[i])) return 1;
  return 0;
}

#if defined(SH_FEATURE_ALLOC)
static void ledger_begin(token snapshot) {
  size_t len;
  sh_status s = SH_NULL_POINTER;
  if (unhex(snapshot, st.snapshot, sizeof st.snapshot, &len) == 0)
    CALL(s, sh_ledger_restore, st.snapshot, len, &st.ledger);
  if (s != SH_OK) mismatch("sh_ledger_restore of the genesis snapshot", s);
}

static void ledger_end(token expected) {
  static uint8_t want[SNAPSHOT_CAP];
  size_t len = 0, want_len = 0;
  sh_status s;
  CALL(s, sh_ledger_snapshot, st.ledger, st.snapshot, sizeof st.snapshot, &len);
  if (s != SH_OK || unhex(expected, want, sizeof want, &want_len) != 0 || len != want_len ||
      memcmp(st.snapshot, want, len) != 0)
    mismatch("the ledger's final snapshot", s);
}
#endif

static void line(const char *p, const char *end) {
  const char *rest = p;
  token keyword = next(&rest, end);
  if (is_result(keyword)) {
    if (is(keyword, "final_globals")) {
      begin_section();
      final_records();
    }
    put(&st.want, p, (size_t)(end - p));
    put_str(&st.want, "\n");
    return;
  }
  flush();
  emit(p, (size_t)(end - p));
  emit("\n", 1);
  if (is(keyword, "scenario")) {
    memset(st.accounts, 0, sizeof st.accounts);
    st.globals_len = 0;
    st.stats.scenarios++;
  } else if (is(keyword, "genesis_globals")) {
    if (unhex(next(&rest, end), st.globals, sizeof st.globals, &st.globals_len) != 0)
      mismatch("unreadable genesis globals", SH_OK);
  } else if (is(keyword, "genesis_account")) {
    uint8_t id[SH_ACCOUNT_ID_LEN];
    size_t id_len;
    account_slot *slot = NULL;
    if (unhex(next(&rest, end), id, sizeof id, &id_len) == 0 && id_len == sizeof id)
      slot = slot_for(id);
    if (slot == NULL || unhex(next(&rest, end), slot->record, sizeof slot->record, &slot->len))
      mismatch("unreadable genesis account", SH_OK);
    else
      slot->used = 1;
  } else if (is(keyword, "step")) {
    begin_section();
    step(rest, end);
  }
#if defined(SH_FEATURE_ALLOC)
  else if (is(keyword, "genesis_snapshot")) {
    ledger_begin(next(&rest, end));
  } else if (is(keyword, "final_snapshot")) {
    ledger_end(next(&rest, end));
  } else if (is(keyword, "end")) {
    sh_ledger_free(st.ledger);
    st.ledger = NULL;
  }
#endif
}

replay_stats replay_corpus(const char *corpus, size_t len, const replay_io *io) {
  memset(&st, 0, sizeof st);
  st.io = io;
  const char *p = corpus, *end = corpus + len;
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (eol == NULL) eol = end;
    line(p, eol);
    p = eol + 1;
  }
  flush();
  return st.stats;
}
