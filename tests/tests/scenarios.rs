//! The scenario corpus for cross-target determinism: `tests/vectors/scenarios.json`.
//!
//! Each scenario is a genesis snapshot, a list of steps (a context, a versioned message, and
//! either the encoded events or the error's code and name) and the final snapshot, all as hex.
//! This test builds the corpus by running the scenarios below, checks the file matches it (or
//! rewrites it with `STAKEHOLD_BLESS=1`), then replays the *file* with `Ledger::apply_bytes`
//! exactly as the JavaScript and C replays do. Times and heights stay below 2^53 so that
//! JavaScript's `JSON.parse` reads them exactly.

use std::collections::BTreeSet;

use parity_scale_codec::Encode;
use stakehold::finality::{Checkpoint, FinalityError};
use stakehold::governance::{Council, CouncilMember, GovernanceError};
use stakehold::msg::Attesters;
use stakehold::num::NumError;
use stakehold::stake::{MAX_UNLOCK_PERIOD, SlashReason, StakeError, StakeParams, UnlockPolicy};
use stakehold::validator::{
    AttestationData, IncludingBlock, ParticipationFlags, ValidatorError, VoluntaryExit,
};
use stakehold::wire::{WireError, decode_exact};
use stakehold::{
    AccountId, Context, Epoch, Error, Event, Ledger, Msg, Slot, Timestamp, U256, ValidatorIndex,
};
use stakehold_tests::corpus::{ErrorRef, MAX_SAFE_INTEGER, Scenario, Step};
use stakehold_tests::{
    CORPUS_ERRORS, Clock, FULL_DEPOSIT, acct, approvals, bless_or_check, btt, deposit, from_hex,
    genesis, genesis_with_chain, to_hex,
};

const FILE: &str = "scenarios.json";
const HOUR: u64 = 3_600;
const DAY: u64 = 24 * HOUR;
const WEEK: u64 = 7 * DAY;

// ---------------------------------------------------------------------------------------------
// Recording.

/// Runs messages on a ledger, checking each outcome, and records the steps.
struct Recorder {
    name: &'static str,
    ledger: Ledger,
    clock: Clock,
    genesis: Vec<u8>,
    steps: Vec<Step>,
}

impl Recorder {
    fn new(name: &'static str, ledger: Ledger) -> Self {
        Self {
            name,
            genesis: ledger.snapshot(),
            ledger,
            clock: Clock::default(),
            steps: Vec::new(),
        }
    }

    fn ctx(&self, who: AccountId) -> Context {
        self.clock.ctx(who)
    }

    fn record(&mut self, ctx: &Context, msg: &[u8]) -> Result<Vec<Event>, Error> {
        let before = self.ledger.snapshot();
        let result = self.ledger.apply_bytes(ctx, msg);
        if result.is_err() {
            assert_eq!(self.ledger.snapshot(), before, "{}: failed step", self.name);
        }
        self.steps.push(Step::new(ctx, msg, &result));
        result
    }

    /// `who` sends `msg`, which must succeed with `events`.
    fn ok(&mut self, who: AccountId, msg: Msg, events: &[Event]) {
        let ctx = self.ctx(who);
        let got = self.record(&ctx, &msg.to_bytes());
        assert_eq!(got.as_deref(), Ok(events), "{}: {msg:?}", self.name);
    }

    /// `who` sends `msg`, which must fail with `error`.
    fn err(&mut self, who: AccountId, msg: Msg, error: impl Into<Error>) {
        self.raw(who, &msg.to_bytes(), error);
    }

    /// `who` sends `bytes` (perhaps not a valid message), which must fail with `error`.
    fn raw(&mut self, who: AccountId, bytes: &[u8], error: impl Into<Error>) {
        let ctx = self.ctx(who);
        let got = self.record(&ctx, bytes);
        assert_eq!(got, Err(error.into()), "{}: {}", self.name, to_hex(bytes));
    }

    fn wait(&mut self, secs: u64) -> &mut Self {
        self.clock.advance(secs);
        self
    }

    fn finish(self) -> Scenario {
        Scenario {
            name: self.name.into(),
            genesis: to_hex(&self.genesis),
            steps: self.steps,
            final_: to_hex(&self.ledger.snapshot()),
        }
    }
}

// Council members (see `stakehold_tests::council_2of3`: 0xc1 required, 2 of 3).
const C1: u8 = 0xc1;
const C2: u8 = 0xc2;
const C3: u8 = 0xc3;

fn staked(n: u8, amount: U256) -> Event {
    Event::Staked {
        account: acct(n),
        amount,
    }
}

fn unstaked(n: u8, amount: U256, at: u64) -> Event {
    Event::Unstaked {
        account: acct(n),
        amount,
        unlock_time: Timestamp(at),
    }
}

fn withdrawn(n: u8, amount: U256) -> Event {
    Event::Withdrawn {
        account: acct(n),
        amount,
    }
}

fn slash(n: u8, amount: U256, by: &[u8]) -> Msg {
    Msg::Slash {
        account: acct(n),
        amount,
        reason: SlashReason::LostData,
        approvals: approvals(by),
    }
}

fn params_msg(params: StakeParams, by: &[u8]) -> Msg {
    Msg::UpdateStakeParams {
        params,
        approvals: approvals(by),
    }
}

fn params_event(p: &StakeParams) -> Event {
    Event::ParametersUpdated {
        unlock_period: p.unlock_period,
        min_stake: p.min_stake,
        unlock_policy: p.unlock_policy,
    }
}

fn still_locked(at: u64) -> StakeError {
    StakeError::StillLocked {
        unlock_time: Timestamp(at),
    }
}

// ---------------------------------------------------------------------------------------------
// The scenarios.

/// BTIP-85 as written: the merged unlock bucket, a slash, a parameter update.
fn btip85_story() -> Scenario {
    let params = StakeParams::btfs();
    let min = params.min_stake;
    let (a, b, admin) = (1u8, 2u8, C1);
    let mut r = Recorder::new("btip85_merged_story", genesis(params));

    r.err(
        acct(a),
        Msg::Stake { amount: min - 1 },
        StakeError::BelowMinStake {
            amount: min - 1,
            min,
        },
    );
    r.ok(acct(a), Msg::Stake { amount: min }, &[staked(a, min)]);
    r.ok(
        acct(a),
        Msg::Stake { amount: btt(99) },
        &[staked(a, btt(99))],
    );
    r.ok(
        acct(b),
        Msg::Stake { amount: btt(50) },
        &[staked(b, btt(50))],
    );

    r.wait(DAY);
    let t1 = r.clock.now + WEEK;
    r.ok(
        acct(a),
        Msg::Unstake { amount: btt(30) },
        &[unstaked(a, btt(30), t1)],
    );
    r.err(acct(a), Msg::Withdraw, still_locked(t1));
    r.clock.set(t1 - 1);
    r.err(acct(a), Msg::Withdraw, still_locked(t1));
    r.clock.set(t1);
    r.ok(acct(a), Msg::Withdraw, &[withdrawn(a, btt(30))]);
    r.err(acct(a), Msg::Withdraw, StakeError::NothingToWithdraw);

    // A second unstake re-locks matured funds (the seed's contract).
    let t2 = r.clock.now + WEEK;
    r.ok(
        acct(a),
        Msg::Unstake { amount: btt(10) },
        &[unstaked(a, btt(10), t2)],
    );
    r.clock.set(t2);
    let t3 = r.clock.now + WEEK;
    r.ok(
        acct(a),
        Msg::Unstake { amount: btt(5) },
        &[unstaked(a, btt(5), t3)],
    );
    r.err(acct(a), Msg::Withdraw, still_locked(t3));
    r.clock.set(t3);
    r.ok(acct(a), Msg::Withdraw, &[withdrawn(a, btt(15))]);

    // The council slashes a miner that lost data: stake first, then pending unlocks.
    let tb = r.clock.now + WEEK;
    r.ok(
        acct(b),
        Msg::Unstake { amount: btt(40) },
        &[unstaked(b, btt(40), tb)],
    );
    r.ok(
        acct(admin),
        slash(b, btt(20), &[C1, C2]),
        &[Event::Slashed {
            account: acct(b),
            reason: SlashReason::LostData,
            requested: btt(20),
            from_staked: btt(10),
            from_unlocking: btt(10),
        }],
    );

    // New parameters keep the pending deadline.
    let longer = StakeParams {
        unlock_period: 30 * DAY,
        min_stake: btt(10),
        ..params
    };
    r.wait(DAY);
    r.ok(
        acct(admin),
        params_msg(longer, &[C1, C3]),
        &[params_event(&longer)],
    );
    r.err(
        acct(a),
        Msg::Stake { amount: btt(9) },
        StakeError::BelowMinStake {
            amount: btt(9),
            min: btt(10),
        },
    );
    r.err(acct(b), Msg::Withdraw, still_locked(tb));
    r.clock.set(tb);
    r.ok(acct(b), Msg::Withdraw, &[withdrawn(b, btt(30))]);
    r.finish()
}

/// The chunked policy: matured chunks are never re-locked; rebond takes the newest first.
fn chunked_story() -> Scenario {
    let params = StakeParams {
        unlock_period: WEEK,
        min_stake: btt(1),
        unlock_policy: UnlockPolicy::Chunked { max: 3 },
    };
    let a = 1u8;
    let mut r = Recorder::new("chunked_story", genesis(params));
    let t = r.clock.now;
    r.ok(
        acct(a),
        Msg::Stake { amount: btt(20) },
        &[staked(a, btt(20))],
    );
    r.ok(
        acct(a),
        Msg::Unstake { amount: btt(1) },
        &[unstaked(a, btt(1), t + WEEK)],
    );
    r.clock.set(t + DAY);
    r.ok(
        acct(a),
        Msg::Unstake { amount: btt(2) },
        &[unstaked(a, btt(2), t + DAY + WEEK)],
    );
    // Same second: joins the chunk just made.
    r.ok(
        acct(a),
        Msg::Unstake { amount: btt(1) },
        &[unstaked(a, btt(1), t + DAY + WEEK)],
    );
    r.clock.set(t + 2 * DAY);
    r.ok(
        acct(a),
        Msg::Unstake { amount: btt(4) },
        &[unstaked(a, btt(4), t + 2 * DAY + WEEK)],
    );
    r.clock.set(t + 3 * DAY);
    r.err(
        acct(a),
        Msg::Unstake { amount: btt(1) },
        StakeError::TooManyUnlockChunks { max: 3 },
    );
    r.clock.set(t + WEEK - 1);
    r.err(acct(a), Msg::Withdraw, still_locked(t + WEEK));
    r.clock.set(t + WEEK);
    r.ok(acct(a), Msg::Withdraw, &[withdrawn(a, btt(1))]);
    r.err(acct(a), Msg::Withdraw, still_locked(t + DAY + WEEK));
    // Rebond takes from the newest chunk (4 BTT at t + 2d + 1w) first.
    r.ok(
        acct(a),
        Msg::Rebond { amount: btt(5) },
        &[Event::Rebonded {
            account: acct(a),
            amount: btt(5),
        }],
    );
    r.err(
        acct(a),
        Msg::Rebond { amount: btt(4) },
        StakeError::ExceedsUnlocking {
            requested: btt(4),
            unlocking: btt(2),
        },
    );
    // A shorter period puts a new chunk before the pending one, which keeps its deadline.
    let short = StakeParams {
        unlock_period: HOUR,
        ..params
    };
    r.ok(
        acct(C1),
        params_msg(short, &[C1, C2]),
        &[params_event(&short)],
    );
    let now = r.clock.now;
    r.ok(
        acct(a),
        Msg::Unstake { amount: btt(3) },
        &[unstaked(a, btt(3), now + HOUR)],
    );
    r.clock.set(now + HOUR);
    r.ok(acct(a), Msg::Withdraw, &[withdrawn(a, btt(3))]);
    r.clock.set(t + DAY + WEEK);
    r.ok(acct(a), Msg::Withdraw, &[withdrawn(a, btt(2))]);
    // A slash beyond what is held takes everything and drops the account.
    r.ok(
        acct(a),
        Msg::Unstake { amount: btt(2) },
        &[unstaked(a, btt(2), r.clock.now + HOUR)],
    );
    r.ok(
        acct(C2),
        Msg::Slash {
            account: acct(a),
            amount: U256::MAX,
            reason: SlashReason::Other { code: 7 },
            approvals: approvals(&[C2, C1]),
        },
        &[Event::Slashed {
            account: acct(a),
            reason: SlashReason::Other { code: 7 },
            requested: U256::MAX,
            from_staked: btt(12),
            from_unlocking: btt(2),
        }],
    );
    r.err(
        acct(C1),
        slash(a, 1.into(), &[C1, C2]),
        StakeError::NothingToSlash { account: acct(a) },
    );
    r.finish()
}

/// Every council check on every privileged message, a council change, and bytes that are not a
/// message.
fn governance() -> Scenario {
    let mut r = Recorder::new("governance", genesis(StakeParams::btfs()));
    let chunked = StakeParams {
        unlock_policy: UnlockPolicy::Chunked { max: 8 },
        ..StakeParams::btfs()
    };
    let auth_errors: [(&[u8], GovernanceError); 5] = [
        (
            &[C2, C3],
            GovernanceError::MissingRequiredSigner { account: acct(C1) },
        ),
        (
            &[C1],
            GovernanceError::BelowThreshold {
                approvals: 1,
                threshold: 2,
            },
        ),
        (
            &[],
            GovernanceError::BelowThreshold {
                approvals: 0,
                threshold: 2,
            },
        ),
        (
            &[C1, C1],
            GovernanceError::DuplicateApproval { account: acct(C1) },
        ),
        (
            &[C1, 9],
            GovernanceError::NotCouncilMember { account: acct(9) },
        ),
    ];
    r.ok(acct(1), Msg::Stake { amount: btt(5) }, &[staked(1, btt(5))]);
    let next = Council::new(
        &[
            CouncilMember::required(acct(0xd1)),
            CouncilMember::required(acct(0xd2)),
            CouncilMember::member(acct(0xd3)),
            CouncilMember::member(acct(C3)),
        ],
        3,
    )
    .unwrap();
    for (by, e) in auth_errors {
        r.err(acct(C1), params_msg(chunked, by), e);
        r.err(acct(C1), slash(1, btt(1), by), e);
        r.err(
            acct(C1),
            Msg::UpdateCouncil {
                council: next.clone(),
                approvals: approvals(by),
            },
            e,
        );
    }
    // Parameters are checked after the approvals.
    let zero_min = StakeParams {
        min_stake: U256::zero(),
        ..chunked
    };
    r.err(acct(C1), params_msg(zero_min, &[]), auth_errors[2].1);
    r.err(
        acct(C1),
        params_msg(zero_min, &[C1, C2]),
        StakeError::ZeroMinStake,
    );
    for max in [0u8, 9] {
        let p = StakeParams {
            unlock_policy: UnlockPolicy::Chunked { max },
            ..chunked
        };
        r.err(
            acct(C1),
            params_msg(p, &[C1, C2]),
            StakeError::InvalidChunkLimit { max, limit: 8 },
        );
    }
    // Anyone may deliver an approved message; the caller is not an approval.
    r.ok(
        acct(7),
        params_msg(chunked, &[C3, C1]),
        &[params_event(&chunked)],
    );
    r.err(
        acct(C1),
        slash(1, U256::zero(), &[C1, C2]),
        StakeError::ZeroAmount,
    );
    r.ok(
        acct(C1),
        slash(1, btt(1), &[C1, C2, C3]),
        &[Event::Slashed {
            account: acct(1),
            reason: SlashReason::LostData,
            requested: btt(1),
            from_staked: btt(1),
            from_unlocking: U256::zero(),
        }],
    );

    // The council replaces itself; the old members lose their power.
    r.ok(
        acct(C2),
        Msg::UpdateCouncil {
            council: next.clone(),
            approvals: approvals(&[C1, C2]),
        },
        &[Event::CouncilUpdated {
            members: 4,
            required: 2,
            threshold: 3,
        }],
    );
    r.err(
        acct(C1),
        slash(1, btt(1), &[C1, C2]),
        GovernanceError::NotCouncilMember { account: acct(C1) },
    );
    r.err(
        acct(C1),
        slash(1, btt(1), &[0xd1, 0xd3, C3]),
        GovernanceError::MissingRequiredSigner {
            account: acct(0xd2),
        },
    );
    r.err(
        acct(C1),
        slash(1, btt(1), &[0xd1, 0xd2]),
        GovernanceError::BelowThreshold {
            approvals: 2,
            threshold: 3,
        },
    );
    r.ok(
        acct(C3),
        slash(1, btt(1), &[0xd2, C3, 0xd1]),
        &[Event::Slashed {
            account: acct(1),
            reason: SlashReason::LostData,
            requested: btt(1),
            from_staked: btt(1),
            from_unlocking: U256::zero(),
        }],
    );

    // Bytes that are not a message change nothing.
    let valid = Msg::UpdateCouncil {
        council: Council::single(acct(0xd1)),
        approvals: approvals(&[0xd1, 0xd2, 0xd3]),
    }
    .to_bytes();
    let threshold_at = 1 + 1 + 1 + 21;
    assert_eq!(valid[threshold_at], 1);
    let mut zero_threshold = valid.clone();
    zero_threshold[threshold_at] = 0;
    r.raw(acct(0xd1), &zero_threshold, WireError::Malformed);
    r.raw(acct(0xd1), &valid[..valid.len() - 1], WireError::Truncated);
    let mut trailing = valid.clone();
    trailing.push(0);
    r.raw(acct(0xd1), &trailing, WireError::TrailingBytes { extra: 1 });
    let mut v2 = valid.clone();
    v2[0] = 2;
    r.raw(
        acct(0xd1),
        &v2,
        WireError::UnsupportedVersion {
            found: 2,
            supported: 1,
        },
    );
    r.raw(acct(0xd1), &[1, 0x16], WireError::Malformed);
    r.raw(acct(0xd1), &[], WireError::Truncated);
    r.ok(
        acct(0xd1),
        Msg::decode_bytes(&valid).unwrap(),
        &[Event::CouncilUpdated {
            members: 1,
            required: 1,
            threshold: 1,
        }],
    );
    r.finish()
}

/// Every staking error, and both overflows.
fn stake_errors() -> Scenario {
    let params = StakeParams {
        unlock_period: DAY,
        min_stake: U256::from(100u8),
        unlock_policy: UnlockPolicy::Chunked { max: 2 },
    };
    let a = 1u8;
    let mut r = Recorder::new("stake_errors", genesis(params));
    let hundred = U256::from(100u8);
    r.err(
        acct(a),
        Msg::Stake {
            amount: U256::zero(),
        },
        StakeError::BelowMinStake {
            amount: U256::zero(),
            min: hundred,
        },
    );
    r.err(
        acct(a),
        Msg::Stake { amount: 99.into() },
        StakeError::BelowMinStake {
            amount: 99.into(),
            min: hundred,
        },
    );
    r.err(acct(a), Msg::Withdraw, StakeError::NothingToWithdraw);
    r.err(
        acct(a),
        Msg::Unstake { amount: 1.into() },
        StakeError::ExceedsStaked {
            requested: 1.into(),
            staked: U256::zero(),
        },
    );
    r.err(
        acct(a),
        Msg::Rebond { amount: 1.into() },
        StakeError::ExceedsUnlocking {
            requested: 1.into(),
            unlocking: U256::zero(),
        },
    );
    r.err(
        acct(C1),
        slash(a, 1.into(), &[C1, C2]),
        StakeError::NothingToSlash { account: acct(a) },
    );
    r.ok(
        acct(a),
        Msg::Stake { amount: hundred },
        &[staked(a, hundred)],
    );
    r.err(
        acct(a),
        Msg::Unstake { amount: 0.into() },
        StakeError::ZeroAmount,
    );
    r.err(
        acct(a),
        Msg::Rebond { amount: 0.into() },
        StakeError::ZeroAmount,
    );
    r.err(
        acct(a),
        Msg::Unstake { amount: 101.into() },
        StakeError::ExceedsStaked {
            requested: 101.into(),
            staked: hundred,
        },
    );
    let t = r.clock.now;
    r.ok(
        acct(a),
        Msg::Unstake { amount: 10.into() },
        &[unstaked(a, 10.into(), t + DAY)],
    );
    r.err(acct(a), Msg::Withdraw, still_locked(t + DAY));
    r.wait(1);
    r.ok(
        acct(a),
        Msg::Unstake { amount: 10.into() },
        &[unstaked(a, 10.into(), t + 1 + DAY)],
    );
    r.wait(1);
    r.err(
        acct(a),
        Msg::Unstake { amount: 10.into() },
        StakeError::TooManyUnlockChunks { max: 2 },
    );
    r.err(
        acct(a),
        Msg::Rebond { amount: 21.into() },
        StakeError::ExceedsUnlocking {
            requested: 21.into(),
            unlocking: 20.into(),
        },
    );
    r.err(
        acct(C1),
        params_msg(
            StakeParams {
                min_stake: U256::zero(),
                ..params
            },
            &[C1, C2],
        ),
        StakeError::ZeroMinStake,
    );
    r.err(
        acct(C1),
        params_msg(
            StakeParams {
                unlock_policy: UnlockPolicy::Chunked { max: 0 },
                ..params
            },
            &[C1, C2],
        ),
        StakeError::InvalidChunkLimit { max: 0, limit: 8 },
    );

    // U256 overflow: the totals cannot pass U256::MAX.
    let b = 2u8;
    let room = U256::MAX - U256::from(100u8);
    r.ok(acct(b), Msg::Stake { amount: room }, &[staked(b, room)]);
    r.err(acct(b), Msg::Stake { amount: hundred }, NumError::Overflow);
    r.err(
        acct(3),
        Msg::Stake { amount: U256::MAX },
        NumError::Overflow,
    );
    // The unlock period is bounded, so no parameter change can make every unstake overflow
    // (the overflow itself needs `now` near u64::MAX: see btip85.rs).
    let too_long = StakeParams {
        unlock_period: MAX_UNLOCK_PERIOD + 1,
        ..params
    };
    r.err(
        acct(C1),
        params_msg(too_long, &[C1, C2]),
        StakeError::UnlockPeriodTooLong {
            period: MAX_UNLOCK_PERIOD + 1,
            max: MAX_UNLOCK_PERIOD,
        },
    );
    let longest = StakeParams {
        unlock_period: MAX_UNLOCK_PERIOD,
        ..params
    };
    r.ok(
        acct(C1),
        params_msg(longest, &[C1, C2]),
        &[params_event(&longest)],
    );
    let release = r.clock.now + MAX_UNLOCK_PERIOD;
    r.ok(
        acct(b),
        Msg::Unstake { amount: 1.into() },
        &[unstaked(b, 1.into(), release)],
    );
    r.finish()
}

/// The seed chain with four genesis validators: finality reached, lost and regained; a
/// deposit; and each check of an attestation and a voluntary exit.
fn chain_story() -> Scenario {
    let mut r = Recorder::new("chain_finality", genesis_with_chain(StakeParams::btfs(), 4));
    let host = acct(0x40);
    let root = |epoch: u64| [u8::try_from(epoch).unwrap() + 1; 32];
    let target = |epoch: u64| Checkpoint {
        epoch: Epoch(epoch),
        root: root(epoch),
    };
    let voters = |ids: &[u64]| {
        Attesters::from_slice(&ids.iter().map(|&i| ValidatorIndex(i)).collect::<Vec<_>>()).unwrap()
    };
    // An attestation of `ids` to `target_epoch`'s first slot from `source`, included one slot
    // into the chain's current epoch by validator 0.
    let attestation =
        |current: u64, ids: &[u64], source: Checkpoint, target_epoch: u64| Msg::Attest {
            data: AttestationData {
                slot: Slot(target_epoch * 32),
                index: 0,
                beacon_block_root: root(target_epoch),
                source,
                target: target(target_epoch),
            },
            validators: voters(ids),
            block: IncludingBlock {
                slot: Slot(current * 32 + 1),
                proposer: ValidatorIndex(0),
                target_root: root(target_epoch),
                head_root: root(target_epoch),
            },
        };
    let epoch = |r: &mut Recorder, ids: &[u64], justified: &[u64], finalized: Option<u64>| {
        let state = *r.ledger.chain().epoch_state();
        let current = state.current_epoch.0;
        if !ids.is_empty() {
            let attest = attestation(current, ids, state.finality.current_justified, current);
            let ctx = r.ctx(host);
            let events = r.record(&ctx, &attest.to_bytes()).unwrap();
            let attesters = u8::try_from(ids.len()).unwrap();
            assert!(
                matches!(
                    events[..],
                    [Event::Attested { target_epoch, attesters: a, flags, proposer_reward }]
                        if target_epoch == Epoch(current) && a == attesters
                            && flags == ParticipationFlags::ALL && proposer_reward > 0
                ),
                "{events:?}"
            );
        }
        let end = Msg::ProcessEpoch {
            previous_epoch_root: root(current.saturating_sub(1)),
            current_epoch_root: root(current),
        };
        let ctx = r.ctx(host);
        let events = r.record(&ctx, &end.to_bytes()).unwrap();
        let got: Vec<u64> = events
            .iter()
            .filter_map(|e| match e {
                Event::Justified { epoch, .. } => Some(epoch.0),
                _ => None,
            })
            .collect();
        assert_eq!(got, justified, "epoch {current}");
        let got = events.iter().find_map(|e| match e {
            Event::Finalized { epoch, .. } => Some(epoch.0),
            _ => None,
        });
        assert_eq!(got, finalized, "epoch {current}");
    };
    let all = [0, 1, 2, 3];
    epoch(&mut r, &all, &[], None);
    epoch(&mut r, &all, &[], None);
    epoch(&mut r, &all, &[1, 2], None);
    epoch(&mut r, &all, &[3], Some(2));
    r.ok(
        host,
        Msg::Deposit {
            deposit: deposit(5, FULL_DEPOSIT),
        },
        &[Event::ValidatorDeposited {
            index: ValidatorIndex(4),
            amount: FULL_DEPOSIT,
            balance: FULL_DEPOSIT,
        }],
    );
    r.err(
        host,
        Msg::Deposit {
            deposit: deposit(6, 1),
        },
        ValidatorError::BelowMinDeposit {
            amount: 1,
            min: 31_250_000_000,
        },
    );
    epoch(&mut r, &[0, 1], &[], None);
    epoch(&mut r, &[0, 1], &[], None);
    epoch(&mut r, &[0, 1, 2], &[6], None);
    epoch(&mut r, &[0, 1, 2], &[7], Some(6));
    // Epoch 8: attestations for epoch 6 or 9 are out of the window; an empty one and an
    // unknown validator are refused.
    for wrong in [6, 9] {
        r.err(
            host,
            attestation(8, &[0], Checkpoint::GENESIS, wrong),
            FinalityError::TargetEpochOutOfRange {
                target: Epoch(wrong),
                current: Epoch(8),
            },
        );
    }
    r.err(
        host,
        attestation(8, &[], Checkpoint::GENESIS, 8),
        FinalityError::NoAttesters,
    );
    r.err(
        host,
        attestation(8, &[9], Checkpoint::GENESIS, 8),
        ValidatorError::UnknownValidator {
            index: ValidatorIndex(9),
            count: 5,
        },
    );
    let justified = r.ledger.chain().epoch_state().finality.current_justified;
    r.err(
        host,
        attestation(8, &[0], Checkpoint::GENESIS, 8),
        FinalityError::WrongSource {
            expected: justified.epoch,
            found: Epoch(0),
        },
    );
    let Msg::Attest {
        data,
        validators,
        block,
    } = attestation(8, &[0], justified, 8)
    else {
        unreachable!()
    };
    r.err(
        host,
        Msg::Attest {
            data,
            validators,
            block: IncludingBlock {
                slot: data.slot,
                ..block
            },
        },
        FinalityError::InclusionTooEarly {
            slot: data.slot,
            inclusion_slot: data.slot,
        },
    );
    let exit = |index: u64| Msg::VoluntaryExit {
        exit: VoluntaryExit {
            epoch: Epoch(8),
            validator_index: ValidatorIndex(index),
        },
    };
    r.err(
        host,
        exit(0),
        ValidatorError::TooYoungToExit {
            index: ValidatorIndex(0),
            allowed_from: Epoch(256),
        },
    );
    r.finish()
}

fn corpus() -> Vec<Scenario> {
    vec![
        btip85_story(),
        chunked_story(),
        governance(),
        stake_errors(),
        chain_story(),
    ]
}

// ---------------------------------------------------------------------------------------------
// Replaying the file.

/// Replays a scenario from its hex, as the other targets do; returns the error names seen.
fn replay(s: &Scenario) -> Vec<String> {
    let mut ledger = Ledger::restore(&from_hex(&s.genesis))
        .unwrap_or_else(|e| panic!("{}: genesis: {e:?}", s.name));
    assert_eq!(to_hex(&ledger.snapshot()), s.genesis, "{}: genesis", s.name);
    let mut errors = Vec::new();
    for (i, step) in s.steps.iter().enumerate() {
        let at = format!("{} step {i}", s.name);
        assert!(step.ctx.now <= MAX_SAFE_INTEGER, "{at}: now");
        assert!(step.ctx.height <= MAX_SAFE_INTEGER, "{at}: height");
        let caller: AccountId = step.ctx.caller.parse().unwrap();
        assert_eq!(
            caller.to_string(),
            step.ctx.caller,
            "{at}: lowercase caller"
        );
        let ctx = Context::new(caller, Timestamp(step.ctx.now), step.ctx.height);
        let before = ledger.snapshot();
        match (
            ledger.apply_bytes(&ctx, &from_hex(&step.msg)),
            &step.events,
            &step.error,
        ) {
            (Ok(events), Some(expected), None) => {
                let got: Vec<String> = events.iter().map(|e| to_hex(&e.encode())).collect();
                assert_eq!(&got, expected, "{at}: events");
                for e in expected {
                    decode_exact::<Event>(&from_hex(e)).unwrap();
                }
            }
            (Err(e), None, Some(expected)) => {
                assert_eq!(&ErrorRef::from(&e), expected, "{at}: error {e:?}");
                assert_eq!(
                    ledger.snapshot(),
                    before,
                    "{at}: a failed step changed the state"
                );
                errors.push(expected.name.clone());
            }
            (got, events, error) => {
                panic!("{at}: got {got:?}, expected events {events:?} / error {error:?}")
            }
        }
    }
    let last = ledger.snapshot();
    assert_eq!(to_hex(&last), s.final_, "{}: final snapshot", s.name);
    assert_eq!(Ledger::restore(&last).unwrap().snapshot(), last);
    errors
}

#[test]
fn scenario_corpus() {
    let file = bless_or_check(FILE, "scenarios", &corpus());
    let scenarios: Vec<Scenario> = serde_json::from_value(file).unwrap();
    let names: BTreeSet<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names.len(), scenarios.len(), "scenario names are unique");

    let mut errors = BTreeSet::new();
    let mut events = BTreeSet::new();
    for s in &scenarios {
        errors.extend(replay(s));
        for step in &s.steps {
            for e in step.events.iter().flatten() {
                let event = decode_exact::<Event>(&from_hex(e)).unwrap();
                let debug = format!("{event:?}");
                events.insert(debug.split(' ').next().unwrap().to_owned());
            }
        }
    }

    // The corpus exercises every staking error, every council check, every staking event and
    // the chain's life: deposits, votes, epochs, justification, finality, activation.
    for name in CORPUS_ERRORS {
        assert!(errors.contains(name), "no scenario step fails with {name}");
    }
    let expected = [
        "Attested",
        "CouncilUpdated",
        "EpochProcessed",
        "Finalized",
        "Justified",
        "ParametersUpdated",
        "Rebonded",
        "Slashed",
        "Staked",
        "Unstaked",
        "ValidatorActivated",
        "ValidatorDeposited",
        "Withdrawn",
    ];
    assert_eq!(events, BTreeSet::from(expected.map(String::from)));
}
