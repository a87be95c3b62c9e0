//! Shared helpers for the stakehold integration tests.
//!
//! - [`acct`]: account ids by number; [`btt`]: whole BTT in wei.
//! - [`council_2of3`] and [`genesis`]: the council and empty ledger most tests start from.
//! - [`Clock`]: a [`Context`] builder that moves time and block height forward together.
//! - [`to_hex`] / [`from_hex`]: lowercase hex without a `0x` prefix.
//! - [`SnapshotBody`]: the body of a ledger snapshot as a plain tuple, to craft snapshot bytes.
//! - [`load_json`] / [`save_json`] / [`bless_or_check`]: the JSON vector files in
//!   `tests/vectors/`, rewritten when `STAKEHOLD_BLESS=1`.
//! - [`corpus`]: the scenario corpus format of the cross-target replays (JSON and lines).
//! - [`fuzzing`]: the harnesses of the fuzz targets in `fuzz/`.

use std::path::PathBuf;

pub mod corpus;
pub mod fuzzing;

use parity_scale_codec::Compact;
use serde::Serialize;
use serde::de::DeserializeOwned;
use stakehold::governance::{Council, CouncilMember};
use stakehold::ledger::{Chain, ChainGenesis};
use stakehold::stake::{StakeAccount, StakeParams, StakeTotals};
use stakehold::validator::{
    DepositData, EpochState, Inclusion, ParticipationFlags, PendingDeposit, Preset, Validator,
};
use stakehold::wire::{self, SNAPSHOT_VERSION, WireError};
use stakehold::{AccountId, Context, Ledger, Timestamp, U256};

/// The error names a corpus of message sequences must reach (the scenario corpus and the ledger
/// fuzz corpus are both checked against it): every staking error, every parameter check, every
/// council check, overflow, and the byte-format errors a message can meet.
pub const CORPUS_ERRORS: [&str; 20] = [
    "BelowMinStake",
    "ZeroAmount",
    "ExceedsStaked",
    "StillLocked",
    "NothingToWithdraw",
    "TooManyUnlockChunks",
    "ExceedsUnlocking",
    "NothingToSlash",
    "ZeroMinStake",
    "InvalidChunkLimit",
    "UnlockPeriodTooLong",
    "NotCouncilMember",
    "DuplicateApproval",
    "BelowThreshold",
    "MissingRequiredSigner",
    "Overflow",
    "Truncated",
    "TrailingBytes",
    "UnsupportedVersion",
    "Malformed",
];

/// The account numbered `n`: twenty bytes of `n` (so ids sort like their numbers).
pub fn acct(n: u8) -> AccountId {
    AccountId([n; 20])
}

/// `n` whole BTT, in wei.
pub fn btt(n: u64) -> U256 {
    U256::from(n) * U256::exp10(18)
}

/// Council member numbers used by [`council_2of3`]; 0xc1 is required.
pub const COUNCIL: [u8; 3] = [0xc1, 0xc2, 0xc3];

/// A 2-of-3 council whose first member (`acct(0xc1)`) must approve every privileged message.
pub fn council_2of3() -> Council {
    Council::new(
        &[
            CouncilMember::required(acct(COUNCIL[0])),
            CouncilMember::member(acct(COUNCIL[1])),
            CouncilMember::member(acct(COUNCIL[2])),
        ],
        2,
    )
    .expect("a valid council")
}

/// Approvals from the council members numbered `ns`, in that order (duplicates kept).
pub fn approvals(ns: &[u8]) -> stakehold::governance::Approvals {
    let mut out = stakehold::governance::Approvals::new();
    for &n in ns {
        out.push(acct(n)).expect("at most 16 approvals");
    }
    out
}

/// An empty ledger with `params`, governed by [`council_2of3`].
pub fn genesis(params: StakeParams) -> Ledger {
    Ledger::new(params, council_2of3()).expect("valid parameters")
}

/// A [`Context`] builder: the current block time and height. Each [`Clock::advance`] moves to a
/// new block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    /// Seconds since the Unix epoch.
    pub now: u64,
    /// Block height.
    pub height: u64,
}

/// 2025-03-27 00:00:00 UTC, the day BTIP-85 was written.
pub const T0: u64 = 1_743_033_600;

impl Default for Clock {
    fn default() -> Self {
        Self::at(T0)
    }
}

impl Clock {
    /// A clock at `now`, block 1.
    pub const fn at(now: u64) -> Self {
        Self { now, height: 1 }
    }

    /// The context of a message from `caller` in the current block.
    pub const fn ctx(&self, caller: AccountId) -> Context {
        Context::new(caller, Timestamp(self.now), self.height)
    }

    /// Moves `secs` seconds and one block forward.
    pub fn advance(&mut self, secs: u64) -> &mut Self {
        self.now += secs;
        self.height += 1;
        self
    }

    /// Moves to time `now` (not backwards) in the next block.
    pub fn set(&mut self, now: u64) -> &mut Self {
        assert!(now >= self.now, "time never goes backwards");
        self.now = now;
        self.height += 1;
        self
    }
}

/// What follows the version byte of a [`Ledger::snapshot`]: the same SCALE bytes as the core's
/// private snapshot struct (a struct encodes as the tuple of its fields).
pub type SnapshotBody = (
    StakeParams,
    Council,
    StakeTotals,
    Vec<(AccountId, StakeAccount)>,
    ChainBody,
);

/// The chain part of a [`SnapshotBody`]: preset, epoch state, validators, balances, pending
/// deposits, inactivity scores, the previous and current epochs' participation and phase0
/// inclusions, and the slashings vector (sparse: its length, then its non-zero entries as
/// position and Gwei).
pub type ChainBody = (
    Preset,
    EpochState,
    Vec<Validator>,
    Vec<u64>,
    Vec<PendingDeposit>,
    Vec<u64>,
    (Vec<ParticipationFlags>, Vec<ParticipationFlags>),
    (Vec<Inclusion>, Vec<Inclusion>),
    (Compact<u32>, Vec<(Compact<u32>, u64)>),
);

/// A full validator deposit on the seed's chain: 1000 coins, in Gwei.
pub const FULL_DEPOSIT: u64 = 1_000_000_000_000;

/// Validator `n`'s deposit of `amount` Gwei: public key `[n; 48]`, an execution-address
/// (`0x01`) withdrawal credential.
pub fn deposit(n: u8, amount: u64) -> DepositData {
    let mut withdrawal_credentials = [0xaa; 32];
    withdrawal_credentials[0] = 0x01;
    DepositData {
        pubkey: [n; 48],
        withdrawal_credentials,
        amount,
        signature: [0x5a; 96],
    }
}

/// The seed chain's genesis with validators `1..=n`, each a full deposit.
pub fn chain_genesis(n: u8) -> ChainGenesis {
    ChainGenesis {
        preset: Preset::seed_chain(),
        deposits: (1..=n).map(|i| deposit(i, FULL_DEPOSIT)).collect(),
    }
}

/// An empty ledger with `params`, the 2-of-3 council and a seed chain of `n` genesis
/// validators.
pub fn genesis_with_chain(params: StakeParams, n: u8) -> Ledger {
    let chain = Chain::genesis(&chain_genesis(n)).expect("a valid genesis");
    Ledger::with_chain(params, council_2of3(), chain).expect("valid parameters")
}

/// Decodes a snapshot's body (no consistency checks beyond the records' own).
pub fn decode_snapshot(bytes: &[u8]) -> Result<SnapshotBody, WireError> {
    wire::decode_versioned(SNAPSHOT_VERSION, bytes)
}

/// Snapshot bytes from a body, as written by [`Ledger::snapshot`] (whether consistent or not).
pub fn encode_snapshot(body: &SnapshotBody) -> Vec<u8> {
    wire::to_bytes(SNAPSHOT_VERSION, body)
}

/// Lowercase hex, no prefix.
pub fn to_hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Bytes from hex (an optional `0x` prefix is accepted). Panics on invalid hex.
pub fn from_hex(text: &str) -> Vec<u8> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    hex::decode(digits).unwrap_or_else(|e| panic!("invalid hex {text:?}: {e}"))
}

/// `tests/vectors/<file>`.
pub fn vector_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("vectors")
        .join(file)
}

/// Whether `STAKEHOLD_BLESS=1`: tests rewrite their vector files instead of checking them.
pub fn blessing() -> bool {
    std::env::var("STAKEHOLD_BLESS").is_ok_and(|v| v == "1")
}

/// The vector file `file`, parsed; `None` when it does not exist. Panics on invalid JSON.
pub fn load_json<T: DeserializeOwned>(file: &str) -> Option<T> {
    let path = vector_path(file);
    let text = std::fs::read_to_string(&path).ok()?;
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// Writes `value` to the vector file `file` as pretty JSON with a final newline.
pub fn save_json<T: Serialize>(file: &str, value: &T) {
    let path = vector_path(file);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create vectors/");
    let mut text = serde_json::to_string_pretty(value).expect("serializable");
    text.push('\n');
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// With `STAKEHOLD_BLESS=1`, writes `expected` to `file`. Otherwise checks that `file` holds
/// exactly `expected` (as JSON values), failing with a message that says how to bless.
/// Returns the file's contents (`expected` when blessing).
pub fn bless_or_check<T>(file: &str, test: &str, expected: &T) -> serde_json::Value
where
    T: Serialize,
{
    if blessing() {
        // Saved from `expected` itself (not a `Value`) so the fields keep their order.
        save_json(file, expected);
        return serde_json::to_value(expected).expect("serializable");
    }
    let expected = serde_json::to_value(expected).expect("serializable");
    let how = format!(
        "if the change is intended, run `STAKEHOLD_BLESS=1 cargo test -p stakehold-tests \
         --test {test}` and review the diff of tests/vectors/{file}"
    );
    let Some(found) = load_json::<serde_json::Value>(file) else {
        panic!("tests/vectors/{file} is missing; {how}");
    };
    if found != expected {
        let (found_items, expected_items) = (as_items(&found), as_items(&expected));
        let first_diff = found_items
            .iter()
            .zip(&expected_items)
            .position(|(a, b)| a != b);
        match first_diff {
            Some(i) => panic!(
                "tests/vectors/{file} differs from the current code at entry {i}:\n  file: \
                 {}\n  code: {}\n{how}",
                found_items[i], expected_items[i]
            ),
            None => panic!(
                "tests/vectors/{file} has {} entries, the current code gives {}; {how}",
                found_items.len(),
                expected_items.len()
            ),
        }
    }
    found
}

fn as_items(value: &serde_json::Value) -> Vec<serde_json::Value> {
    match value {
        serde_json::Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    }
}
