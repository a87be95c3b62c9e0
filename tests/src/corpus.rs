//! The scenario corpus format shared by the cross-target replays: scenarios as JSON (what the
//! npm package's tests read) and as plain lines (what the C replays read).
//!
//! A scenario is a genesis snapshot, steps (a context, a versioned message, and either the
//! encoded events or the error's code and name) and the final snapshot, all as hex. Two corpora
//! use it: the hand-written scenarios (`tests/vectors/scenarios.json` and `.txt`, committed) and
//! the ledger fuzz target's corpus turned into scenarios at test time (`tests/tests/fuzz_corpus.rs`
//! writes them under `target/`).

use std::fmt::Write as _;

use parity_scale_codec::Encode;
use serde::{Deserialize, Serialize};
use stakehold::screen::Summary;
use stakehold::{AccountId, Context, Error, Event, Ledger, Msg, Timestamp};

use crate::fuzzing::ledger::Transcript;
use crate::{from_hex, to_hex};

/// JavaScript's `Number.MAX_SAFE_INTEGER`: times and heights in a corpus stay at or below it
/// so that `JSON.parse` reads them exactly.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// One scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Unique within its corpus.
    pub name: String,
    /// The ledger snapshot before the first step.
    pub genesis: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// The ledger snapshot after the last step.
    #[serde(rename = "final")]
    pub final_: String,
}

/// One message applied, and what it did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The context.
    pub ctx: Ctx,
    /// The message bytes (perhaps not a valid message).
    pub msg: String,
    /// The encoded events, if it succeeded.
    pub events: Option<Vec<String>>,
    /// The error, if it failed.
    pub error: Option<ErrorRef>,
}

/// A context in a corpus.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ctx {
    /// `0x` and 40 lowercase hex digits.
    pub caller: String,
    /// Block time.
    pub now: u64,
    /// Block height.
    pub height: u64,
}

/// An error in a corpus: its stable code and name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorRef {
    /// [`Error::code`].
    pub code: u16,
    /// [`Error::name`].
    pub name: String,
}

impl From<&Error> for ErrorRef {
    fn from(e: &Error) -> Self {
        Self {
            code: e.code(),
            name: e.name().into(),
        }
    }
}

impl Scenario {
    /// Whether a step sends a proof-of-stake chain message (which only a ledger can apply).
    pub fn has_chain_messages(&self) -> bool {
        self.steps.iter().any(|step| {
            Msg::decode_bytes(&crate::from_hex(&step.msg)).is_ok_and(|m| m.is_chain_message())
        })
    }
}

impl Step {
    /// The step for `msg` applied in `ctx` with `result`.
    pub fn new(ctx: &Context, msg: &[u8], result: &Result<Vec<Event>, Error>) -> Self {
        Self {
            ctx: Ctx {
                caller: ctx.caller.to_string(),
                now: ctx.now.0,
                height: ctx.height.0,
            },
            msg: to_hex(msg),
            events: result
                .as_ref()
                .ok()
                .map(|es| es.iter().map(|e| to_hex(&e.encode())).collect()),
            error: result.as_ref().err().map(ErrorRef::from),
        }
    }

    /// The context, parsed.
    pub fn context(&self) -> Context {
        let caller: AccountId = self.ctx.caller.parse().expect("a caller address");
        Context::new(caller, Timestamp(self.ctx.now), self.ctx.height)
    }
}

impl Scenario {
    /// A ledger fuzz run as a scenario, or `None` if a time or height is beyond
    /// [`MAX_SAFE_INTEGER`] (JavaScript could not read it exactly).
    pub fn from_transcript(name: String, run: &Transcript) -> Option<Self> {
        let mut ledger = run.genesis.clone();
        let mut steps = Vec::with_capacity(run.steps.len());
        for sent in &run.steps {
            if sent.ctx.now.0 > MAX_SAFE_INTEGER || sent.ctx.height.0 > MAX_SAFE_INTEGER {
                return None;
            }
            let result = ledger.apply_bytes(&sent.ctx, &sent.msg);
            assert_eq!(result, sent.outcome, "{name}: the run does not replay");
            steps.push(Step::new(&sent.ctx, &sent.msg, &result));
        }
        Some(Self {
            name,
            genesis: to_hex(&run.genesis.snapshot()),
            steps,
            final_: to_hex(&ledger.snapshot()),
        })
    }
}

/// The explanation at the top of a line corpus: `source` names what it was generated from,
/// `regenerate` the command that does it.
pub fn line_header(source: &str, regenerate: &str) -> String {
    format!(
        "\
# stakehold scenario corpus for the C replays (ffi/tests, ffi/embedded), one record per line.
# Generated from {source}; do not edit. To regenerate:
#   {regenerate}
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
"
    )
}

/// The scenarios as a line corpus: [`line_header`], then each scenario replayed natively and
/// spelled out as lines (checking every step against the scenario as it goes).
pub fn line_corpus(header: &str, scenarios: &[Scenario]) -> String {
    let mut out = String::from(header);
    for s in scenarios {
        scenario_lines(&mut out, s);
    }
    out
}

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
            writeln!(out, "screen_err {}", Error::from(e).code()).unwrap();
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

fn scenario_lines(out: &mut String, s: &Scenario) {
    let mut ledger = Ledger::restore(&from_hex(&s.genesis)).unwrap();
    writeln!(out, "scenario {}", s.name).unwrap();
    writeln!(out, "genesis_snapshot {}", s.genesis).unwrap();
    records(out, "genesis", &ledger);
    for (i, step) in s.steps.iter().enumerate() {
        let ctx = step.context();
        let msg = from_hex(&step.msg);
        writeln!(
            out,
            "step {} {} {} {}",
            to_hex(&ctx.caller.0),
            step.ctx.now,
            step.ctx.height,
            hex_or_dash(&msg)
        )
        .unwrap();
        screen(out, &ledger, &ctx, &msg);
        let result = ledger.apply_bytes(&ctx, &msg);
        assert_eq!(
            Step::new(&ctx, &msg, &result),
            *step,
            "{} step {i}: not what the scenario says",
            s.name
        );
        match result {
            Ok(events) => {
                let events: Vec<String> = events.iter().map(|e| to_hex(&e.encode())).collect();
                writeln!(out, "ok {}", events.concat()).unwrap();
            }
            Err(e) => writeln!(out, "err {}", e.code()).unwrap(),
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
