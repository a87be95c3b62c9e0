//! The fuzz harnesses: what each cargo-fuzz target in `fuzz/fuzz_targets/` does with the
//! fuzzer's bytes.
//!
//! They live here rather than in `fuzz/` so that the stable test suite runs the very same code
//! on the committed corpora and on every crash input ever found (`tests/tests/fuzz_corpus.rs`),
//! and so that the scenario corpus can turn ledger-target inputs into cross-target scenarios
//! (`tests/tests/scenarios.rs`). A harness returns normally on every input the crate handles
//! correctly and panics, saying which property broke, on any other.
//!
//! | target | harness | property |
//! |---|---|---|
//! | `decode_msg` | [`decode::messages`] | messages, contexts and blocks: no panic, decode∘encode is the identity, the C library agrees |
//! | `decode_records` | [`decode::records`] | every record type: no panic, decode∘encode is the identity |
//! | `decode_snapshot` | [`decode::snapshots`] | `Ledger::restore` then `snapshot` gives the same bytes, the C handle agrees |
//! | `decode_event` | [`decode::events`] | events and errors: no panic, round trip, descriptions render |
//! | `parse_text` | [`decode::text`] | amounts and addresses as text: parse∘format round trips, the C library formats alike |
//! | `ledger` | [`ledger::run`] | arbitrary message sequences keep every ledger invariant |
//! | `screen` | [`screen::run`] | every message that validates renders every item and page in C buffers |
//! | `decode_evidence` | [`evidence::run`] | slashing evidence: no panic, round trip, the slashings equal a plain reading of the spec's checks, errors change nothing, Gwei conserved |
//! | `finality` | [`finality::run`] | justification and finalization, the tally and the epoch transition: no panic, errors change nothing, results equal plain transcriptions of the spec, finality never goes back along increasing epochs, the registry invariants hold |

pub mod decode;
pub mod evidence;
pub mod finality;
pub mod ledger;
pub mod screen;

/// A harness: the fuzzer's bytes in, a panic if a property broke.
pub type Harness = fn(&[u8]);

/// Every fuzz target by name, with its harness.
pub const TARGETS: [(&str, Harness); 9] = [
    ("decode_msg", decode::messages),
    ("decode_records", decode::records),
    ("decode_snapshot", decode::snapshots),
    ("decode_event", decode::events),
    ("parse_text", decode::text),
    ("ledger", ledger::fuzz),
    ("screen", screen::run),
    ("finality", finality::run),
    ("decode_evidence", evidence::run),
];
