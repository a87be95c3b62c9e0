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
//! The format is `stakehold_tests::corpus`.
//!
//! Scenarios with proof-of-stake chain messages are left out: the firmware holds no chain (its
//! `sh_apply` answers `ChainMessage`), so it could not replay them. The JavaScript replay reads
//! them from `scenarios.json`, and the host C replay meets chain messages in the ledger fuzz
//! corpus (`tests/tests/fuzz_corpus.rs`).

use stakehold_tests::corpus::{Scenario, line_corpus, line_header};
use stakehold_tests::{blessing, load_json, vector_path};

const FILE: &str = "scenarios.txt";

#[test]
fn the_line_corpus_matches_the_json_corpus() {
    let mut scenarios: Vec<Scenario> =
        load_json("scenarios.json").expect("tests/vectors/scenarios.json");
    scenarios.retain(|s| !s.has_chain_messages());
    assert!(
        scenarios.len() >= 4,
        "the staking scenarios stay in the line corpus"
    );
    let header = line_header(
        "scenarios.json by tests/tests/corpus_text.rs",
        "STAKEHOLD_BLESS=1 cargo test -p stakehold-tests --test corpus_text",
    );
    let text = line_corpus(&header, &scenarios);
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
