//! The scenario corpus as plain lines for C: `tests/vectors/scenarios.txt`, derived from
//! `scenarios.json`.
//!
//! C on a device cannot conveniently read JSON, and a device holds records one by one rather
//! than a ledger snapshot, so this file spells out what the C replays need: the shared records
//! and each account's record at genesis and at the end, each step's context and message, its
//! events or error code, and the screen summary the device shows for it (computed with the
//! shared records in force before the step). The C harnesses (`ffi/tests`, `ffi/embedded`)
//! replay it and print it back from their own results, so a byte-for-byte `diff` with this file
//! is the cross-target check. This test rebuilds the file natively, checks every step against
//! `scenarios.json`, and fails if the committed file is stale (`STAKEHOLD_BLESS=1` rewrites it).

use std::fmt::Write as _;

use parity_scale_codec::Encode;
use serde::Deserialize;
use stakehold::screen::Summary;
use stakehold::{AccountId, Context, Ledger, Msg, Timestamp};
use stakehold_tests::{blessing, from_hex, load_json, to_hex, vector_path};

const FILE: &str = "scenarios.txt";

#[derive(Deserialize)]
struct Scenario {
    name: String,
    genesis: String,
    steps: Vec<Step>,
    #[serde(rename = "final")]
    final_: String,
}

#[derive(Deserialize)]
struct Step {
    ctx: Ctx,
    msg: String,
    events: Option<Vec<String>>,
    error: Option<ErrorRef>,
}

#[derive(Deserialize)]
struct Ctx {
    caller: String,
    now: u64,
    height: u64,
}

#[derive(Deserialize)]
struct ErrorRef {
    code: u16,
}

const HEADER: &str = "\
# stakehold scenario corpus for the C replays (ffi/tests, ffi/embedded), one record per line.
# Generated from scenarios.json by tests/tests/corpus_text.rs; do not edit. To regenerate:
#   STAKEHOLD_BLESS=1 cargo test -p stakehold-tests --test corpus_text
# Hex is lowercase without 0x; `-` is no bytes. Each scenario is:
#   scenario NAME
#   genesis_snapshot HEX        the ledger snapshot (sh_ledger_restore)
#   genesis_globals HEX         the shared records (Globals)
#   genesis_account ID HEX      an account's record, by address in ascending order
#   then per step:
#   step CALLER NOW HEIGHT MSG  the context and the versioned message
#   screen COUNT                the summary's item count, then COUNT lines:
#   item TITLE<tab>VALUE
#   screen_err CODE             (instead) why the message has no summary
#   ok EVENTS                   the events, concatenated; or
#   err CODE                    the error code
#   and at the end:
#   final_globals HEX
#   final_account ID HEX        each account that holds something, ascending
#   final_snapshot HEX
#   end
";

fn hex_or_dash(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        "-".into()
    } else {
        to_hex(bytes)
    }
}

/// The records of a ledger as `<prefix>_globals` and `<prefix>_account` lines.
fn records(out: &mut String, prefix: &str, ledger: &Ledger) {
    writeln!(
        out,
        "{prefix}_globals {}",
        to_hex(&ledger.globals().encode())
    )
    .unwrap();
    let mut accounts: Vec<_> = ledger.accounts().collect();
    accounts.sort_by_key(|(id, _)| **id);
    for (id, account) in accounts {
        writeln!(
            out,
            "{prefix}_account {} {}",
            to_hex(&id.0),
            to_hex(&account.encode())
        )
        .unwrap();
    }
}

/// The summary lines of a message, as the device would show it before the step.
fn screen(out: &mut String, ledger: &Ledger, ctx: &Context, msg: &[u8]) {
    let msg = match Msg::decode_bytes(msg) {
        Ok(msg) => msg,
        Err(e) => {
            writeln!(out, "screen_err {}", stakehold::Error::from(e).code()).unwrap();
            return;
        }
    };
    let summary = Summary::new(&msg, ctx, ledger.globals());
    writeln!(out, "screen {}", summary.item_count()).unwrap();
    for index in 0..summary.item_count() {
        let item = summary.item(index).unwrap();
        for text in [&item.title[..], &item.value[..]] {
            assert!(!text.contains(['\t', '\n']), "{text:?}");
        }
        writeln!(out, "item {}\t{}", item.title, item.value).unwrap();
    }
}

fn scenario_text(out: &mut String, s: &Scenario) {
    let mut ledger = Ledger::restore(&from_hex(&s.genesis)).unwrap();
    writeln!(out, "scenario {}", s.name).unwrap();
    writeln!(out, "genesis_snapshot {}", s.genesis).unwrap();
    records(out, "genesis", &ledger);
    for (i, step) in s.steps.iter().enumerate() {
        let caller: AccountId = step.ctx.caller.parse().unwrap();
        let ctx = Context::new(caller, Timestamp(step.ctx.now), step.ctx.height);
        let msg = from_hex(&step.msg);
        writeln!(
            out,
            "step {} {} {} {}",
            to_hex(&caller.0),
            step.ctx.now,
            step.ctx.height,
            hex_or_dash(&msg)
        )
        .unwrap();
        screen(out, &ledger, &ctx, &msg);
        match (ledger.apply_bytes(&ctx, &msg), &step.events, &step.error) {
            (Ok(events), Some(expected), None) => {
                let events: Vec<String> = events.iter().map(|e| to_hex(&e.encode())).collect();
                assert_eq!(&events, expected, "{} step {i}", s.name);
                writeln!(out, "ok {}", events.concat()).unwrap();
            }
            (Err(e), None, Some(expected)) => {
                assert_eq!(e.code(), expected.code, "{} step {i}", s.name);
                writeln!(out, "err {}", e.code()).unwrap();
            }
            (got, _, _) => panic!(
                "{} step {i}: {got:?} is not what scenarios.json says",
                s.name
            ),
        }
    }
    records(out, "final", &ledger);
    assert_eq!(
        to_hex(&ledger.snapshot()),
        s.final_,
        "{}: final snapshot",
        s.name
    );
    writeln!(out, "final_snapshot {}", s.final_).unwrap();
    writeln!(out, "end").unwrap();
}

#[test]
fn the_line_corpus_matches_the_json_corpus() {
    let scenarios: Vec<Scenario> =
        load_json("scenarios.json").expect("tests/vectors/scenarios.json");
    let mut text = String::from(HEADER);
    for s in &scenarios {
        scenario_text(&mut text, s);
    }
    let path = vector_path(FILE);
    if blessing() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let found = std::fs::read_to_string(&path).unwrap_or_default();
    if found != text {
        let line = found
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| found.lines().count().min(text.lines().count()));
        panic!(
            "tests/vectors/{FILE} is stale from line {}; if the change is intended, run \
             `STAKEHOLD_BLESS=1 cargo test -p stakehold-tests --test corpus_text` and review \
             the diff",
            line + 1
        );
    }
}
