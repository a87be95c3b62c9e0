//! Tests of the epoch transition: a 64-validator chain that finalizes, loses finality and
//! regains it; activations after finality within the churn; exits and ejections; hysteresis
//! inside the pass; every error leaving everything unchanged; and property tests that the
//! two-pass transition equals the spec's steps run one after another with the whole-registry
//! functions (and its merged tally equals `tally_votes`).

extern crate std;

use std::collections::BTreeMap;
use std::vec;
use std::vec::Vec;

use proptest::prelude::*;

use super::*;
use crate::finality::{Checkpoint, FinalityError, FinalityState, JustificationBits, sort_votes};
use crate::validator::reference::{Transition, merge_change, reference_epoch};
use crate::validator::{
    ETH1_ADDRESS_WITHDRAWAL_PREFIX, ExitScheduled, ValidatorError, VoluntaryExit,
    process_voluntary_exit,
};

const ETH: u64 = 1_000_000_000;
const FAR: Epoch = FAR_FUTURE_EPOCH;

fn ep(n: u64) -> Epoch {
    Epoch(n)
}

fn vi(n: u64) -> ValidatorIndex {
    ValidatorIndex(n)
}

/// The root of the block at the start of `epoch`: distinct per epoch, never the genesis stub.
fn root(epoch: Epoch) -> [u8; 32] {
    let mut r = [0xb0; 32];
    r[..8].copy_from_slice(&epoch.0.to_le_bytes());
    r
}

fn validator(n: u64, effective_balance: u64, activation: Epoch, eligibility: Epoch) -> Validator {
    let mut pubkey = [0u8; 48];
    pubkey[..8].copy_from_slice(&n.to_le_bytes());
    let mut credentials = [0xaa; 32];
    credentials[0] = ETH1_ADDRESS_WITHDRAWAL_PREFIX;
    Validator {
        pubkey,
        withdrawal_credentials: credentials,
        effective_balance,
        slashed: false,
        activation_eligibility_epoch: eligibility,
        activation_epoch: activation,
        exit_epoch: FAR,
        withdrawable_epoch: FAR,
    }
}

fn active(n: u64) -> Validator {
    validator(n, 32 * ETH, ep(0), ep(0))
}

/// A deposit not yet in the activation queue.
fn pending(n: u64) -> Validator {
    validator(n, 32 * ETH, FAR, FAR)
}

/// A vote of `validator` for `target_epoch`, built on the state's matching justified
/// checkpoint and the right root, as an honest validator casts it.
fn honest_vote(state: &EpochState, validator: u64, target_epoch: Epoch) -> Vote {
    let source = if target_epoch == state.current_epoch {
        state.finality.current_justified
    } else {
        state.finality.previous_justified
    };
    Vote {
        validator: vi(validator),
        source,
        target: Checkpoint {
            epoch: target_epoch,
            root: root(target_epoch),
        },
    }
}

/// A chain: the state, the registry and the balances, run epoch by epoch.
struct Chain {
    preset: Preset,
    state: EpochState,
    validators: Vec<Validator>,
    balances: Vec<u64>,
    slashings: Vec<u64>,
    /// Every change reported, by epoch processed.
    changes: Vec<(Epoch, ValidatorIndex, ValidatorChange)>,
}

impl Chain {
    fn new(preset: Preset, validators: Vec<Validator>) -> Self {
        let balances = validators.iter().map(|v| v.effective_balance).collect();
        Self {
            preset,
            state: EpochState::GENESIS,
            validators,
            balances,
            slashings: vec![0; preset.epochs_per_slashings_vector as usize],
            changes: Vec::new(),
        }
    }

    /// Processes the current epoch with votes for the previous and the current epoch from
    /// every validator `voters` picks.
    fn epoch(&mut self, voters: impl Fn(u64) -> bool) -> EpochOutcome {
        let current = self.state.current_epoch;
        let previous = crate::finality::previous_epoch(current);
        let mut votes = Vec::new();
        for i in 0..self.validators.len() as u64 {
            if voters(i) {
                votes.push(honest_vote(&self.state, i, previous));
                if previous != current {
                    votes.push(honest_vote(&self.state, i, current));
                }
            }
        }
        sort_votes(&mut votes);
        self.run(&votes).unwrap()
    }

    fn run(&mut self, votes: &[Vote]) -> Result<EpochOutcome, Error> {
        let current = self.state.current_epoch;
        let input = EpochVotes {
            votes,
            previous_epoch_root: root(crate::finality::previous_epoch(current)),
            current_epoch_root: root(current),
        };
        let changes = &mut self.changes;
        process_epoch(
            &self.preset,
            &mut self.state,
            &mut self.validators,
            &mut self.balances,
            &mut self.slashings,
            &input,
            |i, c: &ValidatorChange| changes.push((current, i, *c)),
        )
    }

    fn finalized(&self) -> u64 {
        self.state.finality.finalized.epoch.0
    }

    fn justified(&self) -> u64 {
        self.state.finality.current_justified.epoch.0
    }

    fn activated_at(&self, epoch: u64) -> Vec<u64> {
        (0u64..)
            .zip(&self.validators)
            .filter(|(_, v)| v.activation_epoch == ep(epoch))
            .map(|(i, _)| i)
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// Finality over a chain of 64 validators
// ---------------------------------------------------------------------------------------

#[test]
fn a_chain_finalizes_loses_finality_and_regains_it() {
    let mut chain = Chain::new(Preset::phase0(), (0..64).map(active).collect());
    let everyone = |_| true;

    // Epochs 0 and 1: the genesis guard, nothing tallied or justified.
    for e in 0..2 {
        let out = chain.epoch(everyone);
        assert_eq!(out.epoch, ep(e));
        assert_eq!(out.tally, TallyReport::default());
        assert_eq!(out.finality, FinalityOutcome::NONE);
        assert_eq!(out.view.active_validators, 64);
        assert_eq!(out.view.total_active_balance, 64 * 32 * ETH);
    }
    assert_eq!(chain.state.current_epoch, ep(2));
    assert_eq!(chain.state.finality, FinalityState::GENESIS);

    // Epoch 2: both epochs justified, nothing final yet.
    let out = chain.epoch(everyone);
    assert_eq!(out.tally.counted, 128);
    assert_eq!(out.tally.previous_target_balance, 64 * 32 * ETH);
    assert_eq!(out.tally.current_target_balance, 64 * 32 * ETH);
    assert_eq!((chain.justified(), chain.finalized()), (2, 0));
    assert_eq!(
        out.finality.current_epoch_justified.map(|c| c.epoch),
        Some(ep(2))
    );
    assert_eq!(out.finality.finalized, None);

    // From epoch 3 on, each epoch finalizes the one before it (bits 0 and 1, `+1` rule).
    for e in 3..8 {
        let out = chain.epoch(everyone);
        assert_eq!((chain.justified(), chain.finalized()), (e, e - 1));
        assert_eq!(out.finality.finalized.map(|c| c.epoch), Some(ep(e - 1)));
        assert_eq!(out.view.finalized, ep(e - 1));
    }

    // 42 of 64 is below two thirds (42·3 = 126 < 128): nothing justified, finality stalls.
    let below = |i| i < 42;
    for _ in 8..12 {
        let out = chain.epoch(below);
        assert_eq!(out.tally.counted, 84);
        assert_eq!(out.finality.current_epoch_justified, None);
        assert_eq!(out.finality.previous_epoch_justified, None);
        assert_eq!(out.finality.finalized, None);
        assert_eq!((chain.justified(), chain.finalized()), (7, 6));
    }

    // 43 of 64 is two thirds (129 ≥ 128): justified again at once, final one epoch later.
    let enough = |i| i < 43;
    let out = chain.epoch(enough); // epoch 12
    assert_eq!(
        out.finality.current_epoch_justified.map(|c| c.epoch),
        Some(ep(12))
    );
    assert_eq!(
        out.finality.previous_epoch_justified.map(|c| c.epoch),
        Some(ep(11))
    );
    assert_eq!(out.finality.finalized, None);
    assert_eq!((chain.justified(), chain.finalized()), (12, 6));
    chain.epoch(enough); // epoch 13
    assert_eq!((chain.justified(), chain.finalized()), (13, 12));
    chain.epoch(everyone); // epoch 14
    assert_eq!((chain.justified(), chain.finalized()), (14, 13));

    // Votes that repeat, point elsewhere or come from the wrong source are counted apart and
    // do not count: only 40 honest voters here (plus junk) — no justification.
    let current = chain.state.current_epoch;
    let mut votes = Vec::new();
    for i in 0..40 {
        votes.push(honest_vote(&chain.state, i, current));
        votes.push(honest_vote(&chain.state, i, current)); // duplicate
    }
    for i in 40..64 {
        let mut wrong = honest_vote(&chain.state, i, current);
        wrong.target.root = [0xee; 32];
        votes.push(wrong);
    }
    votes.push(honest_vote(&chain.state, 99, current)); // no such validator
    sort_votes(&mut votes);
    let out = chain.run(&votes).unwrap();
    assert_eq!(out.tally.counted, 40);
    assert_eq!(out.tally.duplicate, 40);
    assert_eq!(out.tally.wrong_target, 24);
    assert_eq!(out.tally.not_counted, 1);
    assert_eq!(out.finality.current_epoch_justified, None);
    assert_eq!(chain.finalized(), 13);
}

// ---------------------------------------------------------------------------------------
// Activations, exits, hysteresis
// ---------------------------------------------------------------------------------------

#[test]
fn activations_wait_for_finality_and_the_churn() {
    // 64 active validators and 10 deposits: phase0's churn is max(4, 64 // 65536) = 4.
    let mut validators: Vec<Validator> = (0..64).map(active).collect();
    validators.extend((64..74).map(pending));
    let mut chain = Chain::new(Preset::phase0(), validators);
    let everyone = |i| i < 64;

    // Epoch 0: the ten enter the queue (eligibility 1), none activated.
    let out = chain.epoch(everyone);
    assert_eq!(out.registry.eligible, 10);
    assert_eq!(out.registry.activated, 0);
    assert!(
        chain.validators[64..]
            .iter()
            .all(|v| v.activation_eligibility_epoch == ep(1))
    );

    // Epoch 1 has finalized nothing (genesis guard); epoch 2 only justifies.
    for _ in 1..3 {
        assert_eq!(chain.epoch(everyone).registry.activated, 0);
    }
    // Epoch 3 finalizes epoch 2 ≥ 1: the first four by index, active at 3 + 5 = 8.
    let out = chain.epoch(everyone);
    assert_eq!(out.view.finalized, ep(2));
    assert_eq!(out.registry.activated, 4);
    assert_eq!(chain.activated_at(8), [64, 65, 66, 67]);
    // Finality stalls (no votes), but the eligibility epoch (1) is final already: the rest go
    // at the churn.
    let out = chain.epoch(|_| false);
    assert_eq!(out.registry.activated, 4);
    assert_eq!(chain.activated_at(9), [68, 69, 70, 71]);
    let out = chain.epoch(|_| false);
    assert_eq!(out.registry.activated, 2);
    assert_eq!(chain.activated_at(10), [72, 73]);
    // Each activation was reported once, after the pass.
    let reported: Vec<u64> = chain
        .changes
        .iter()
        .filter(|(_, _, c)| c.registry.activated.is_some())
        .map(|(_, i, _)| i.0)
        .collect();
    assert_eq!(reported, (64..74).collect::<Vec<_>>());

    // New deposits while finality stalls: eligible at once, activated only once their
    // eligibility epoch is final.
    let stalled_at = chain.state.current_epoch.0; // 6
    chain.validators.extend((74..76).map(pending));
    chain.balances.extend([32 * ETH; 2]);
    chain.epoch(|_| false); // eligibility = 7
    for _ in 0..3 {
        assert_eq!(chain.epoch(|_| false).registry.activated, 0);
    }
    assert_eq!(chain.finalized(), 2);
    // Votes return (64 of the 74 active): justified at once, finalized one epoch later, and
    // only then activated.
    let out = chain.epoch(everyone);
    assert_eq!(out.registry.activated, 0);
    let out = chain.epoch(everyone);
    assert!(out.view.finalized.0 > stalled_at); // the eligibility epoch is final
    assert_eq!(out.registry.activated, 2);
}

#[test]
fn deneb_and_electra_activation_limits() {
    // 40 pending validators, 64 active. Deneb: min(8, max(4, 0)) = 4 per epoch. Electra: every
    // eligible one at once (its churn is on deposits).
    for (preset, per_epoch) in [(Preset::deneb(), 4), (Preset::electra(), 40)] {
        let mut validators: Vec<Validator> = (0..64).map(active).collect();
        validators.extend((64..104).map(pending));
        let mut chain = Chain::new(preset, validators);
        for _ in 0..3 {
            chain.epoch(|i| i < 64);
        }
        let out = chain.epoch(|i| i < 64); // epoch 3 finalizes 2
        assert_eq!(out.registry.activated, per_epoch, "{:?}", preset.fork);
    }
}

#[test]
fn a_churn_above_the_queue_capacity_takes_rounds_inside_the_epoch() {
    let preset = Preset {
        min_per_epoch_churn_limit: 100,
        ..Preset::phase0()
    };
    let mut validators: Vec<Validator> = (0..64).map(active).collect();
    validators.extend((64..214).map(pending));
    let mut chain = Chain::new(preset, validators);
    for _ in 0..3 {
        chain.epoch(|i| i < 64);
    }
    let out = chain.epoch(|i| i < 64);
    assert_eq!(out.registry.activated, 100);
    assert_eq!(chain.activated_at(8), (64..164).collect::<Vec<_>>());
    let out = chain.epoch(|i| i < 64);
    assert_eq!(out.registry.activated, 50);
}

#[test]
fn exits_and_ejections_go_through_the_exit_queue() {
    let preset = Preset {
        shard_committee_period: 0,
        ..Preset::phase0()
    };
    let mut chain = Chain::new(preset, (0..64).map(active).collect());
    for _ in 0..4 {
        chain.epoch(|_| true);
    }
    // Validator 0 exits voluntarily at epoch 4 (exit at 4 + 5 = 9); validator 1's balance
    // falls to 15.5 ETH: its effective balance drops to 15 in this epoch's pass, and the next
    // epoch ejects it (the registry step reads the effective balance before the update).
    let view = EpochView::scan(&preset, &chain.validators, ep(4), ep(3)).unwrap();
    let exit = VoluntaryExit {
        epoch: ep(0),
        validator_index: vi(0),
    };
    let scheduled = process_voluntary_exit(
        &preset,
        &mut chain.validators,
        &mut chain.state.queue,
        &view,
        &exit,
        0,
    )
    .unwrap();
    assert_eq!(scheduled.exit_epoch, ep(9));
    chain.balances[1] = 15 * ETH + ETH / 2;
    let out = chain.epoch(|_| true); // epoch 4
    assert_eq!(out.registry.ejected, 0);
    assert_eq!(out.effective_balance_changes, 1);
    assert_eq!(chain.validators[1].effective_balance, 15 * ETH);
    let out = chain.epoch(|_| true); // epoch 5
    assert_eq!(out.registry.ejected, 1);
    // The exit queue at 10 (after validator 0's at 9), withdrawable 256 epochs later.
    assert_eq!(chain.validators[1].exit_epoch, ep(10));
    assert_eq!(chain.validators[1].withdrawable_epoch, ep(266));
    let ejection = chain
        .changes
        .iter()
        .find_map(|(_, _, c)| c.registry.ejected)
        .unwrap();
    assert_eq!(
        ejection,
        ExitScheduled {
            index: vi(1),
            exit_epoch: ep(10),
            withdrawable_epoch: ep(266)
        }
    );
    assert_eq!(chain.state.queue, QueueState::scan(&chain.validators));
    // The active set shrinks when the exits take effect.
    while chain.state.current_epoch < ep(9) {
        assert_eq!(chain.epoch(|_| true).view.active_validators, 64);
    }
    assert_eq!(chain.epoch(|_| true).view.active_validators, 63); // epoch 9
    assert_eq!(chain.epoch(|_| true).view.active_validators, 62); // epoch 10
    // Votes of exited validators no longer count.
    let out = chain.epoch(|_| true);
    assert_eq!(out.tally.not_counted, 4);
}

#[test]
fn effective_balances_move_with_hysteresis_inside_the_pass() {
    let mut chain = Chain::new(Preset::phase0(), (0..6).map(active).collect());
    chain.validators[5].effective_balance = 30 * ETH;
    chain.balances = vec![
        32 * ETH - ETH / 4,     // 31.75: at the downward threshold, stays
        32 * ETH - ETH / 4 - 1, // just below: drops to 31
        40 * ETH,               // above the cap: stays at 32
        20 * ETH + 1,           // drops to 20
        32 * ETH,               // unchanged
        31 * ETH + ETH / 4 + 1, // 30 + 1.25 < 31.25…: rises to 31
    ];
    let out = chain.epoch(|_| true);
    assert_eq!(out.effective_balance_changes, 3);
    let effective: Vec<u64> = chain
        .validators
        .iter()
        .map(|v| v.effective_balance / ETH)
        .collect();
    assert_eq!(effective, [32, 31, 32, 20, 32, 31]);
    let moved: Vec<(u64, u64, u64)> = chain
        .changes
        .iter()
        .filter_map(|(_, i, c)| c.effective_balance.map(|m| (i.0, m.from / ETH, m.to / ETH)))
        .collect();
    assert_eq!(moved, [(1, 32, 31), (3, 32, 20), (5, 30, 31)]);
    // The next epoch: at rest (31.75 vs 31 is within 1.25 up).
    assert_eq!(chain.epoch(|_| true).effective_balance_changes, 0);
}

// ---------------------------------------------------------------------------------------
// Atomicity
// ---------------------------------------------------------------------------------------

/// Runs `process_epoch` on `chain` with `votes` and asserts it fails with `expected` and
/// changes nothing.
fn fails_unchanged(chain: &mut Chain, votes: &[Vote], expected: Error) {
    let before = (
        chain.state,
        chain.validators.clone(),
        chain.balances.clone(),
    );
    assert_eq!(chain.run(votes), Err(expected));
    assert_eq!(chain.state, before.0);
    assert_eq!(chain.validators, before.1);
    assert_eq!(chain.balances, before.2);
    assert!(chain.changes.is_empty(), "no change reported");
}

/// A chain at epoch 5 where something changes in every pass: an eligibility, an effective
/// balance move, an ejection due.
fn busy_chain(preset: Preset) -> Chain {
    let mut validators: Vec<Validator> = (0..8).map(active).collect();
    validators.push(pending(8));
    validators[2].effective_balance = 16 * ETH;
    let mut chain = Chain::new(preset, validators);
    chain.balances[3] = 20 * ETH;
    chain.state.current_epoch = ep(5);
    chain
}

#[test]
fn every_error_leaves_everything_unchanged() {
    let p = Preset::phase0();
    let overflow: Error = NumError::Overflow.into();

    // An invalid preset; mismatched lengths.
    let mut chain = busy_chain(Preset {
        churn_limit_quotient: 0,
        ..p
    });
    fails_unchanged(
        &mut chain,
        &[],
        ValidatorError::ZeroParameter {
            parameter: crate::validator::PresetParameter::ChurnLimitQuotient,
        }
        .into(),
    );
    let mut chain = busy_chain(p);
    chain.balances.pop();
    fails_unchanged(
        &mut chain,
        &[],
        ValidatorError::LengthMismatch {
            validators: 9,
            balances: 8,
        }
        .into(),
    );

    // The last epoch.
    let mut chain = busy_chain(p);
    chain.state.current_epoch = ep(u64::MAX);
    fails_unchanged(&mut chain, &[], overflow);

    // The total active balance past u64.
    let mut chain = busy_chain(p);
    chain.validators[0].effective_balance = u64::MAX;
    fails_unchanged(&mut chain, &[], overflow);

    // Total active balance · 2 past u64 (justification): validator 0's u64::MAX / 2, six of
    // 32 ETH and validator 2's 16 ETH.
    let mut chain = busy_chain(p);
    chain.validators[0].effective_balance = u64::MAX / 2;
    fails_unchanged(
        &mut chain,
        &[],
        FinalityError::TotalActiveOverflow {
            balance: u64::MAX / 2 + 6 * 32 * ETH + 16 * ETH,
        }
        .into(),
    );

    // Unsorted votes.
    let mut chain = busy_chain(p);
    let votes = [
        honest_vote(&chain.state, 3, ep(5)),
        honest_vote(&chain.state, 1, ep(5)),
    ];
    fails_unchanged(
        &mut chain,
        &votes,
        FinalityError::UnsortedVotes { position: 1 }.into(),
    );

    // A target balance past u64: two validators that exit at this epoch (so they are not in
    // the total) voted for the previous one with u64::MAX / 2 + 1 each. The merged tally hands
    // over to tally_votes, which names the sum.
    let mut chain = busy_chain(p);
    for i in [6, 7] {
        chain.validators[i].effective_balance = u64::MAX / 2 + 1;
        chain.validators[i].exit_epoch = ep(5);
        chain.validators[i].withdrawable_epoch = ep(261);
    }
    let votes: Vec<Vote> = [6, 7]
        .iter()
        .map(|&i| honest_vote(&chain.state, i, ep(4)))
        .collect();
    fails_unchanged(
        &mut chain,
        &votes,
        FinalityError::PreviousTargetSumOverflow.into(),
    );

    // A finalization case past the last epoch.
    let mut chain = busy_chain(p);
    chain.state.finality.justification_bits = JustificationBits::new(0b0011).unwrap();
    chain.state.finality.current_justified.epoch = ep(u64::MAX);
    let everyone: Vec<Vote> = (0..8)
        .map(|i| honest_vote(&chain.state, i, ep(5)))
        .collect();
    fails_unchanged(
        &mut chain,
        &everyone,
        FinalityError::CurrentJustifiedEpochOverflow.into(),
    );

    // An ejection into an exit queue at the end of time: the bound fails, the dry run finds
    // the overflow of the withdrawable epoch.
    let mut chain = busy_chain(p);
    chain.state.queue.latest_exit_epoch = ep(u64::MAX - 100);
    chain.state.queue.exits_at_latest = 1;
    fails_unchanged(&mut chain, &[], overflow);
    // …and near it but not past it, it succeeds (the dry run says so).
    let mut chain = busy_chain(p);
    chain.state.queue.latest_exit_epoch = ep(u64::MAX - 300);
    chain.state.queue.exits_at_latest = 1;
    let out = chain.run(&[]).unwrap();
    assert_eq!(out.registry.ejected, 1);
    assert_eq!(chain.validators[2].exit_epoch, ep(u64::MAX - 300));

    // Electra: the same through the balance churn.
    let e = Preset::electra();
    let mut chain = busy_chain(e);
    chain.state.queue.earliest_exit_epoch = ep(u64::MAX - 100);
    fails_unchanged(&mut chain, &[], overflow);

    // Phase0: the activation epoch past u64, with someone to activate (and no ejection).
    let mut chain = busy_chain(p);
    chain.validators[2].effective_balance = 32 * ETH;
    chain.state.current_epoch = ep(u64::MAX - 3);
    chain.state.finality.finalized.epoch = ep(u64::MAX - 3);
    chain.validators[8].activation_eligibility_epoch = ep(1);
    fails_unchanged(&mut chain, &[], overflow);
    // Electra computes it up front, whoever is queued.
    let mut chain = busy_chain(e);
    chain.state.current_epoch = ep(u64::MAX - 3);
    fails_unchanged(&mut chain, &[], overflow);

    // An effective-balance update past u64 (balance + downward threshold), found after the
    // registry checks although validator 8 comes last.
    let mut chain = busy_chain(p);
    chain.balances[8] = u64::MAX;
    fails_unchanged(&mut chain, &[], overflow);
}

// ---------------------------------------------------------------------------------------
// Property tests: equal to the spec's steps one after another
// ---------------------------------------------------------------------------------------

/// `process_epoch` on copies; on error, asserts the copies are untouched.
fn two_pass(
    p: &Preset,
    state: &EpochState,
    validators: &[Validator],
    balances: &[u64],
    slashings: &[u64],
    votes: &EpochVotes<'_>,
) -> Result<Transition, Error> {
    let (mut s, mut vs, mut bs) = (*state, validators.to_vec(), balances.to_vec());
    let mut ss = slashings.to_vec();
    let mut changes = BTreeMap::new();
    match process_epoch(p, &mut s, &mut vs, &mut bs, &mut ss, votes, |i, c| {
        merge_change(&mut changes, i, c)
    }) {
        Ok(out) => {
            assert_eq!(out.epoch, state.current_epoch);
            Ok(Transition {
                state: s,
                validators: vs,
                balances: bs,
                slashings: ss,
                tally: out.tally,
                finality: out.finality,
                registry: out.registry,
                slashings_summary: out.slashings,
                effective_balance_changes: out.effective_balance_changes,
                changes,
            })
        }
        Err(e) => {
            assert_eq!(s, *state, "{e:?} changed the state");
            assert_eq!(vs, validators, "{e:?} changed the validators");
            assert_eq!(bs, balances, "{e:?} changed the balances");
            assert_eq!(ss, slashings, "{e:?} changed the slashings");
            assert!(changes.is_empty(), "{e:?} reported changes");
            Err(e)
        }
    }
}

fn kind() -> impl Strategy<Value = (u8, u64, u8, bool, u8)> {
    (0u8..6, 0u64..16, 0u8..8, prop::bool::weighted(0.1), 0u8..4)
}

fn build_validator(i: u64, (kind, e, eb, slashed, prefix): (u8, u64, u8, bool, u8)) -> Validator {
    let effective = [32, 32, 32, 16, 17, 31, 0, 2048][eb as usize] * ETH;
    let mut v = match kind {
        0 => validator(i, effective, FAR, FAR),
        1 => validator(i, effective, FAR, ep(e)),
        2 | 3 => validator(i, effective, ep(e), ep(e.saturating_sub(1))),
        4 => {
            let mut v = validator(i, effective, ep(0), ep(0));
            v.exit_epoch = ep(e + 2);
            v.withdrawable_epoch = ep(e + 258);
            v
        }
        _ => validator(i, effective, ep(e), ep(0)),
    };
    v.slashed = slashed;
    v.withdrawal_credentials[0] = [0, 1, 1, 2][prefix as usize];
    v.effective_balance = v
        .effective_balance
        .min(v.max_effective_balance(&Preset::electra()));
    v
}

prop_compose! {
    fn vote_for(n: u64, current: u64)(
        validator in prop_oneof![8 => 0..n.max(1), 1 => n..n + 3],
        target_back in prop_oneof![4 => Just(0u64), 4 => Just(1u64), 1 => Just(2u64), 1 => Just(u64::MAX)],
        source_kind in prop_oneof![8 => Just(0u8), 1 => Just(1u8)],
        right_root in prop::bool::weighted(0.9),
    ) -> (u64, u64, u8, bool) {
        let target = if target_back == u64::MAX { current + 1 } else { current.saturating_sub(target_back) };
        (validator, target, source_kind, right_root)
    }
}

/// A random epoch: a registry, balances around the effective balances, a finality state
/// (ordered, with random bits, at most the previous epoch), an exit queue consistent with the
/// registry, and votes (sorted, or — one case in eight — not).
#[derive(Debug, Clone)]
struct Case {
    preset: Preset,
    state: EpochState,
    validators: Vec<Validator>,
    balances: Vec<u64>,
    slashings: Vec<u64>,
    votes: Vec<Vote>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        0usize..4,
        prop::bool::weighted(0.2),
        prop::collection::vec(kind(), 0..80),
        2u64..24,
        (0u8..16, 0u64..4, 0u64..4, 0u64..4),
        prop::collection::vec(
            prop_oneof![2000 => -2_000_000_000i64..2_000_000_000, 1 => Just(i64::MIN)],
            80,
        ),
        prop::bool::weighted(0.125),
        any::<u64>(),
    )
        .prop_flat_map(
            |(fork, big_churn, kinds, current, fin, deltas, shuffle, seed)| {
                let n = kinds.len() as u64;
                (
                    Just((fork, big_churn, kinds, current, fin, deltas, shuffle, seed)),
                    prop::collection::vec(vote_for(n, current), 0..200),
                )
            },
        )
        .prop_map(
            |((fork, big_churn, kinds, current, fin, deltas, shuffle, seed), raw_votes)| {
                let base = [
                    Preset::phase0(),
                    Preset::deneb(),
                    Preset::electra(),
                    Preset::altair(),
                ][fork];
                let preset = Preset {
                    min_per_epoch_churn_limit: if big_churn { 70 } else { 2 },
                    max_per_epoch_activation_churn_limit: 3,
                    min_per_epoch_churn_limit_electra: 40 * ETH,
                    max_per_epoch_activation_exit_churn_limit: 64 * ETH,
                    // A short slashings window: slashed validators come due for the
                    // correlation penalty at `current + 4`.
                    epochs_per_slashings_vector: 8,
                    ..base
                };
                let mut validators: Vec<Validator> = (0u64..)
                    .zip(kinds)
                    .map(|(i, k)| build_validator(i, k))
                    .collect();
                // Half the slashed validators are due now (exiting, withdrawable at
                // current + 8 / 2).
                for (i, v) in (0u64..).zip(validators.iter_mut()) {
                    if v.slashed && (seed >> (i % 64)) & 1 == 1 {
                        if v.exit_epoch == FAR {
                            v.exit_epoch = ep(current + 1);
                        }
                        v.withdrawable_epoch = ep(current + 4);
                    }
                }
                // The vector: a few slashings (of up to 64 ETH), sometimes sums past u64.
                let mut slashings: Vec<u64> = (0..8)
                    .map(|k| (seed.rotate_left(k * 8) % 4) * 16 * ETH)
                    .collect();
                if seed % 23 == 0 {
                    slashings[3] = u64::MAX / 2;
                    slashings[5] = u64::MAX / 2 + 2;
                }
                let balances: Vec<u64> = validators
                    .iter()
                    .zip(&deltas)
                    .map(|(v, d)| {
                        if *d == i64::MIN {
                            u64::MAX - (seed % 3)
                        } else {
                            v.effective_balance.saturating_add_signed(*d)
                        }
                    })
                    .collect();
                let (bits, back_c, back_p, back_f) = fin;
                let cur_j = (current - 1).saturating_sub(back_c);
                let prev_j = cur_j.saturating_sub(back_p);
                let fin_e = prev_j.saturating_sub(back_f);
                let cp = |e: u64| Checkpoint {
                    epoch: ep(e),
                    root: root(ep(e)),
                };
                let finality = FinalityState {
                    justification_bits: JustificationBits::new(bits).unwrap(),
                    previous_justified: cp(prev_j),
                    current_justified: cp(cur_j),
                    finalized: cp(fin_e),
                };
                let current = ep(current);
                let mut queue = QueueState::scan(&validators);
                if preset.fork == Fork::Electra {
                    let view =
                        EpochView::scan(&preset, &validators, current, finality.finalized.epoch)
                            .unwrap_or(EpochView {
                                current,
                                finalized: finality.finalized.epoch,
                                active_validators: 0,
                                total_active_balance: ETH,
                            });
                    queue
                        .upgrade_to_electra(&preset, &validators, &view)
                        .unwrap();
                }
                let state = EpochState {
                    current_epoch: current,
                    finality,
                    queue,
                };
                let mut votes: Vec<Vote> = raw_votes
                    .iter()
                    .map(|&(validator, target, source_kind, right_root)| {
                        let target = ep(target);
                        let mut vote = honest_vote(&state, validator, target);
                        if source_kind == 1 {
                            vote.source = finality.finalized;
                        }
                        if !right_root {
                            vote.target.root = [0xee; 32];
                        }
                        vote
                    })
                    .collect();
                sort_votes(&mut votes);
                if shuffle && votes.len() > 1 {
                    let k = (seed as usize) % votes.len();
                    votes.rotate_left(k.max(1));
                }
                Case {
                    preset,
                    state,
                    validators,
                    balances,
                    slashings,
                    votes,
                }
            },
        )
}

fn input(case: &Case) -> EpochVotes<'_> {
    let current = case.state.current_epoch;
    EpochVotes {
        votes: &case.votes,
        previous_epoch_root: root(crate::finality::previous_epoch(current)),
        current_epoch_root: root(current),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn two_passes_equal_the_spec_steps_one_after_another(case in case()) {
        let votes = input(&case);
        let want = reference_epoch(&case.preset, &case.state, &case.validators, &case.balances, &case.slashings, &votes);
        let got = two_pass(&case.preset, &case.state, &case.validators, &case.balances, &case.slashings, &votes);
        prop_assert_eq!(got, want);
    }

    #[test]
    fn the_merged_tally_equals_tally_votes(case in case()) {
        let votes = input(&case);
        let hysteresis = Hysteresis::new(&case.preset).unwrap();
        let next = ep(case.state.current_epoch.0 + 1);
        let Ok(survey) = survey(&case.preset, &case.state, &case.validators, &case.balances, &votes, &hysteresis, next) else {
            return Ok(());
        };
        let want = tally_votes(
            &case.state.finality,
            case.state.current_epoch,
            votes.previous_epoch_root,
            votes.current_epoch_root,
            &case.votes,
            case.preset.effective_balance_increment,
            |i, e| vote_weight(&case.validators, i, e),
        );
        match survey.tally {
            // Regular votes: the same report.
            Some(report) => prop_assert_eq!(Ok(report), want),
            // Irregular: unsorted or overflowing, and tally_votes says so.
            None => prop_assert!(want.is_err()),
        }
    }

    /// Epoch after epoch, from genesis, with random voters and balance moves: the registry
    /// invariants hold and the finalized epoch never decreases.
    #[test]
    fn chains_keep_the_invariants(
        fork in 0usize..3,
        size in 1u64..40,
        epochs in prop::collection::vec((0u64..=100, prop::collection::vec((0u64..40, -3_000_000_000i64..3_000_000_000), 0..6)), 1..24),
    ) {
        let base = [Preset::phase0(), Preset::deneb(), Preset::electra()][fork];
        let preset = Preset { min_per_epoch_churn_limit: 2, max_per_epoch_activation_churn_limit: 1, ..base };
        let mut validators: Vec<Validator> = (0..size).map(active).collect();
        validators.extend((size..size + 6).map(pending));
        let mut chain = Chain::new(preset, validators);
        for (turnout, moves) in epochs {
            for (i, delta) in moves {
                if let Some(b) = chain.balances.get_mut(i as usize) {
                    *b = b.saturating_add_signed(delta);
                }
            }
            let finalized = chain.finalized();
            let n = chain.validators.len() as u64;
            let out = chain.epoch(|i| i * 100 < turnout * n);
            prop_assert!(chain.finalized() >= finalized);
            prop_assert!(chain.state.finality.is_ordered());
            prop_assert_eq!(out.view.finalized.0, chain.finalized());
            for v in &chain.validators {
                prop_assert_eq!(v.effective_balance % ETH, 0);
                prop_assert!(v.effective_balance <= v.max_effective_balance(&preset));
                if v.exit_epoch != FAR {
                    prop_assert!(v.activation_epoch <= v.exit_epoch || v.activation_epoch == FAR);
                    prop_assert!(v.exit_epoch <= v.withdrawable_epoch);
                }
            }
            if preset.fork != Fork::Electra {
                prop_assert_eq!(chain.state.queue, QueueState::scan(&chain.validators));
            }
        }
    }
}

/// A finalized epoch of `FAR_FUTURE_EPOCH` (no chain reaches it; an arbitrary state can hold
/// it): the spec's `is_eligible_for_activation` then holds for every validator not yet
/// activated, even one never queued, and so it does here (found by the `finality` fuzz target,
/// whose input is kept in fuzz/regressions/finality/).
#[test]
fn a_finalized_epoch_at_far_future_as_the_spec_reads_it() {
    let p = Preset::phase0();
    let mut validators: Vec<Validator> = (0..8).map(active).collect();
    validators.push(validator(8, 20 * ETH, FAR, FAR)); // never queued
    validators.push(pending(9)); // enters the queue now
    let balances: Vec<u64> = validators.iter().map(|v| v.effective_balance).collect();
    let mut state = EpochState {
        current_epoch: ep(10),
        ..EpochState::GENESIS
    };
    state.finality.finalized.epoch = FAR;
    let votes = EpochVotes {
        votes: &[],
        previous_epoch_root: root(ep(9)),
        current_epoch_root: root(ep(10)),
    };
    let slashings = vec![0; 8192];
    let got = two_pass(&p, &state, &validators, &balances, &slashings, &votes);
    assert_eq!(
        got,
        reference_epoch(&p, &state, &validators, &balances, &slashings, &votes)
    );
    let after = got.unwrap().validators;
    assert_eq!(after[8].activation_epoch, ep(15));
    assert_eq!(after[9].activation_epoch, ep(15));

    // One epoch before the last: the eligibility epoch given now is FAR_FUTURE_EPOCH itself,
    // final by the same reading, and its activation epoch overflows — an error, as in the
    // spec (the fuzz target's input).
    state.current_epoch = ep(u64::MAX - 1);
    let validators = vec![active(0), pending(1)];
    let balances = vec![32 * ETH; 2];
    let got = two_pass(&p, &state, &validators, &balances, &slashings, &votes);
    assert_eq!(got, Err(NumError::Overflow.into()));
    assert_eq!(
        got,
        reference_epoch(&p, &state, &validators, &balances, &slashings, &votes)
    );
}

/// `process_slashings` inside the epoch: the validator slashed at epoch 1 pays its correlation
/// penalty at the end of epoch 1 + 8192 / 2 = 4097, the change is reported, the effective balance
/// follows the lowered balance in the same epoch, and the vector's next entry is cleared.
#[test]
fn the_epoch_charges_the_correlation_penalty_then_moves_the_effective_balance() {
    // Phase0 (multiplier 1), 4 validators of 32 ETH, one slashed at epoch 1: the vector holds
    // 32 ETH; penalty = 32 · min(32, 128) ETH // 128 ETH = 8 increments = 8 ETH.
    let mut chain = Chain::new(Preset::phase0(), (0..4).map(active).collect());
    chain.validators[2].slashed = true;
    chain.validators[2].exit_epoch = ep(5000); // still active, in the total
    chain.validators[2].withdrawable_epoch = ep(1 + 8192);
    chain.slashings[1] = 32 * ETH;
    chain.state.current_epoch = ep(4097);
    chain.slashings[4098] = 5; // cleared at the end of 4097
    let out = chain.run(&[]).unwrap();
    assert_eq!(out.slashings.charged, 1);
    assert_eq!(out.slashings.burned, 8 * ETH);
    assert_eq!(chain.balances[2], 24 * ETH);
    // Hysteresis: 24 ETH is more than 0.25 ETH below 32, so the effective balance drops now.
    assert_eq!(chain.validators[2].effective_balance, 24 * ETH);
    let (_, index, change) = chain.changes.last().copied().unwrap();
    assert_eq!(index, vi(2));
    assert_eq!(change.slashing_penalty, Some(8 * ETH));
    assert_eq!(
        change.effective_balance,
        Some(EffectiveBalanceChange {
            from: 32 * ETH,
            to: 24 * ETH
        })
    );
    assert_eq!(chain.slashings[4098], 0);
    assert_eq!(chain.slashings[1], 32 * ETH);
    // One epoch later nothing more is charged.
    let out = chain.run(&[]).unwrap();
    assert_eq!(out.slashings, SlashingsSummary::default());
}
