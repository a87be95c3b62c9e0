//! The fuzz corpora on the stable toolchain: every committed corpus input and every input that
//! ever crashed a target (`fuzz/regressions/`, one file per finding) goes through the same
//! harness as in `cargo fuzz` (`stakehold_tests::fuzzing`), so a fixed bug stays fixed without
//! nightly. The ledger corpus also becomes a scenario corpus that the npm package and the C
//! library replay byte for byte (`target/tmp/fuzz-vectors/`, read by `scripts/test-wasm.sh` and
//! `scripts/test-ffi.sh`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use stakehold::Event;
use stakehold_tests::CORPUS_ERRORS;
use stakehold_tests::corpus::{Scenario, line_corpus, line_header};
use stakehold_tests::fuzzing::{TARGETS, ledger};

fn fuzz_dir(kind: &str, target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz")
        .join(kind)
        .join(target)
}

/// The files of a corpus directory, by name (none if it does not exist).
fn inputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("a readable input"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_and_regression_input_passes_its_harness() {
    for (target, harness) in TARGETS {
        let corpus = inputs(&fuzz_dir("corpus", target));
        assert!(!corpus.is_empty(), "fuzz/corpus/{target} is empty");
        let regressions = inputs(&fuzz_dir("regressions", target));
        for (name, bytes) in corpus.iter().chain(&regressions) {
            let outcome = std::panic::catch_unwind(|| harness(bytes));
            assert!(outcome.is_ok(), "{target}: input {name} fails");
        }
        eprintln!(
            "{target}: {} corpus inputs, {} regressions",
            corpus.len(),
            regressions.len()
        );
    }
}

/// The ledger corpus is only worth its name if its runs reach every kind of outcome.
#[test]
fn the_ledger_corpus_reaches_every_event_and_corpus_error() {
    let mut events = BTreeSet::new();
    let mut errors = BTreeSet::new();
    for (_, bytes) in inputs(&fuzz_dir("corpus", "ledger")) {
        let Some(run) = ledger::run(&bytes) else {
            continue;
        };
        for sent in run.steps {
            match sent.outcome {
                Ok(list) => events.extend(list.iter().map(|e| e.describe().name)),
                Err(e) => drop(errors.insert(e.name())),
            }
        }
    }
    // Every event but `ValidatorEjected`: an ejection needs an active, not exiting validator's
    // balance to fall by half, and a slashed validator is exiting already; missed votes and the
    // inactivity leak take hundreds of epochs to halve a balance, more than a fuzzed run has.
    let every_event = [
        "CouncilUpdated",
        "Staked",
        "Unstaked",
        "Withdrawn",
        "Rebonded",
        "ParametersUpdated",
        "Slashed",
        "ValidatorDeposited",
        "DepositQueued",
        "ValidatorExiting",
        "ValidatorActivated",
        "ValidatorSlashed",
        "CorrelationPenalty",
        "Attested",
        "EpochProcessed",
        "Justified",
        "Finalized",
    ];
    assert_eq!(events, BTreeSet::from(every_event), "events reached");
    // TrailingBytes needs a whole valid message followed by more bytes, which the ledger
    // target's raw steps seldom build; `decode_msg` covers it (`decode_msg` corpus).
    let missing: Vec<&str> = CORPUS_ERRORS
        .into_iter()
        .chain(CHAIN_CORPUS_ERRORS)
        .filter(|e| *e != "TrailingBytes" && !errors.contains(e))
        .collect();
    assert!(
        missing.is_empty(),
        "no ledger corpus run fails with {missing:?}"
    );
    // `Event::describe` names every variant; this list is all of them.
    let _: fn(Event) = |e| match e {
        Event::CouncilUpdated { .. }
        | Event::Staked { .. }
        | Event::Unstaked { .. }
        | Event::Withdrawn { .. }
        | Event::Rebonded { .. }
        | Event::ParametersUpdated { .. }
        | Event::Slashed { .. }
        | Event::ValidatorDeposited { .. }
        | Event::DepositQueued { .. }
        | Event::ValidatorExiting { .. }
        | Event::ValidatorEjected { .. }
        | Event::ValidatorActivated { .. }
        | Event::ValidatorSlashed { .. }
        | Event::CorrelationPenalty { .. }
        | Event::Attested { .. }
        | Event::EpochProcessed { .. }
        | Event::Justified { .. }
        | Event::Finalized { .. } => {}
    };
}

/// The errors of the chain's messages a ledger corpus must reach: each check of an attestation,
/// a deposit, a voluntary exit and a slashing that a message can fail.
const CHAIN_CORPUS_ERRORS: [&str; 15] = [
    "TargetEpochOutOfRange",
    "NoAttesters",
    "UnknownValidator",
    "BelowMinDeposit",
    "NotActive",
    "ExitAlreadyInitiated",
    "ExitNotYetValid",
    "TooYoungToExit",
    "ProposerSlotMismatch",
    "ProposerIndexMismatch",
    "IdenticalHeaders",
    "NotSlashable",
    "NotSlashableAttestations",
    "InvalidAttestingIndices",
    "NoSlashableValidator",
];

/// Writes the ledger corpus as scenarios (JSON and lines) for the JavaScript and C replays.
#[test]
fn the_ledger_corpus_as_cross_target_scenarios() {
    let mut scenarios = Vec::new();
    let mut beyond_javascript = 0;
    for (name, bytes) in inputs(&fuzz_dir("corpus", "ledger")) {
        let Some(run) = ledger::run(&bytes) else {
            continue;
        };
        match Scenario::from_transcript(format!("fuzz-ledger-{name}"), &run) {
            Some(s) if !s.steps.is_empty() => scenarios.push(s),
            Some(_) => {}
            None => beyond_javascript += 1,
        }
    }
    assert!(scenarios.len() >= 50, "only {} scenarios", scenarios.len());
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-vectors");
    std::fs::create_dir_all(&dir).unwrap();
    let mut json = serde_json::to_string_pretty(&scenarios).unwrap();
    json.push('\n');
    std::fs::write(dir.join("ledger.json"), json).unwrap();
    let header = line_header(
        "fuzz/corpus/ledger by tests/tests/fuzz_corpus.rs",
        "cargo test -p stakehold-tests --test fuzz_corpus",
    );
    std::fs::write(dir.join("ledger.txt"), line_corpus(&header, &scenarios)).unwrap();
    eprintln!(
        "{} scenarios from fuzz/corpus/ledger in {} ({beyond_javascript} runs skipped: times \
         beyond 2^53)",
        scenarios.len(),
        dir.display()
    );
}
