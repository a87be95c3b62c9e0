//! Tests of the epoch transition: a 64-validator chain that finalizes, loses finality and
//! regains it; the inactivity leak from delay 5 (not 4) and its end; rewards per fork worked
//! out by hand; activations after finality within the churn; exits and ejections; hysteresis
//! inside the pass; the correlation penalty inside the pass; every error leaving everything
//! unchanged; and property tests that the single pass equals the spec's steps run one after
//! another with whole-registry loops and sums taken afresh.

extern crate std;

use std::collections::BTreeMap;
use std::vec;
use std::vec::Vec;

use proptest::prelude::*;

use super::*;
use crate::finality::{Checkpoint, FinalityError, JustificationBits};
use crate::ids::Slot;
use crate::validator::reference::{Lists, Transition, merge_change, reference_epoch};
use crate::validator::{
    AttestationData, AttestationRecords, ETH1_ADDRESS_WITHDRAWAL_PREFIX, ExitScheduled,
    IncludingBlock, VoluntaryExit, process_attestation, process_voluntary_exit,
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

fn roots(current: Epoch) -> EpochRoots {
    EpochRoots {
        previous_epoch_root: root(previous_epoch(current)),
        current_epoch_root: root(current),
    }
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

/// The lists of a registry with balances equal to the effective balances, nothing recorded.
fn lists_of(preset: &Preset, validators: Vec<Validator>) -> Lists {
    let n = validators.len();
    let phase0 = preset.fork == Fork::Phase0;
    Lists {
        balances: validators.iter().map(|v| v.effective_balance).collect(),
        inactivity_scores: vec![0; n],
        previous: vec![ParticipationFlags::NONE; n],
        current: vec![ParticipationFlags::NONE; n],
        previous_inclusions: vec![Inclusion::default(); if phase0 { n } else { 0 }],
        current_inclusions: vec![Inclusion::default(); if phase0 { n } else { 0 }],
        slashings: vec![0; preset.epochs_per_slashings_vector as usize],
        validators,
    }
}

fn scan(current: Epoch, lists: &Lists) -> EpochTotals {
    EpochTotals::scan(
        current,
        &lists.validators,
        &lists.balances,
        &lists.inactivity_scores,
        &lists.previous,
        &lists.current,
    )
    .unwrap()
}

/// Runs [`process_epoch`] on `lists` (with a proposer-credit scratch) and reports each change.
fn run_on(
    preset: &Preset,
    state: &mut EpochState,
    lists: &mut Lists,
    totals: &mut EpochTotals,
    mut on_change: impl FnMut(ValidatorIndex, &ValidatorChange),
) -> Result<EpochOutcome, Error> {
    let mut credits = if preset.fork == Fork::Phase0 {
        vec![0; lists.validators.len()]
    } else {
        Vec::new()
    };
    let current = state.current_epoch;
    process_epoch(
        preset,
        state,
        &mut EpochRegistry {
            validators: &mut lists.validators,
            balances: &mut lists.balances,
            inactivity_scores: &mut lists.inactivity_scores,
            previous_epoch_participation: &mut lists.previous,
            current_epoch_participation: &mut lists.current,
            previous_epoch_inclusions: &mut lists.previous_inclusions,
            current_epoch_inclusions: &mut lists.current_inclusions,
            proposer_credits: &mut credits,
            slashings: &mut lists.slashings,
        },
        totals,
        &roots(current),
        |i, c| on_change(i, c),
    )
}

/// A chain: the state, the lists and the totals, run epoch by epoch.
struct Chain {
    preset: Preset,
    state: EpochState,
    lists: Lists,
    totals: EpochTotals,
    /// Every change reported, by epoch processed.
    changes: Vec<(Epoch, ValidatorIndex, ValidatorChange)>,
}

impl Chain {
    fn new(preset: Preset, validators: Vec<Validator>) -> Self {
        let lists = lists_of(&preset, validators);
        Self {
            preset,
            state: EpochState::GENESIS,
            totals: scan(ep(0), &lists),
            lists,
            changes: Vec::new(),
        }
    }

    /// The validators `voters` picks that are active now attest honestly to the current
    /// epoch, included one slot later by validator 0: timely source, target and head.
    fn attest(&mut self, voters: impl Fn(u64) -> bool) {
        let current = self.state.current_epoch;
        let start = current.0 * self.preset.slots_per_epoch;
        let data = AttestationData {
            slot: Slot(start),
            index: 0,
            beacon_block_root: [0xbe; 32],
            source: self.state.finality.current_justified,
            target: Checkpoint {
                epoch: current,
                root: root(current),
            },
        };
        let block = IncludingBlock {
            slot: Slot(start + 1),
            proposer: vi(0),
            target_root: root(current),
            head_root: [0xbe; 32],
        };
        let attesters: Vec<ValidatorIndex> = (0u64..)
            .zip(&self.lists.validators)
            .filter(|(i, v)| voters(*i) && v.is_active_validator(current))
            .map(|(i, _)| vi(i))
            .collect();
        for chunk in attesters.chunks(64) {
            process_attestation(
                &self.preset,
                &self.state,
                &mut AttestationRecords {
                    validators: &self.lists.validators,
                    balances: &mut self.lists.balances,
                    previous_epoch_participation: &mut self.lists.previous,
                    current_epoch_participation: &mut self.lists.current,
                    previous_epoch_inclusions: &mut self.lists.previous_inclusions,
                    current_epoch_inclusions: &mut self.lists.current_inclusions,
                    totals: &mut self.totals,
                },
                &data,
                chunk,
                &block,
            )
            .unwrap();
        }
    }

    /// The current epoch with `voters` attesting, then its end.
    fn epoch(&mut self, voters: impl Fn(u64) -> bool) -> EpochOutcome {
        self.attest(voters);
        self.run().unwrap()
    }

    fn run(&mut self) -> Result<EpochOutcome, Error> {
        let current = self.state.current_epoch;
        let changes = &mut self.changes;
        let out = run_on(
            &self.preset,
            &mut self.state,
            &mut self.lists,
            &mut self.totals,
            |i, c| changes.push((current, i, *c)),
        )?;
        // The kept totals always equal a fresh sum (the bounds are the maxima).
        assert_eq!(self.totals, scan(self.state.current_epoch, &self.lists));
        Ok(out)
    }

    fn validators(&self) -> &[Validator] {
        &self.lists.validators
    }

    fn finalized(&self) -> u64 {
        self.state.finality.finalized.epoch.0
    }

    fn justified(&self) -> u64 {
        self.state.finality.current_justified.epoch.0
    }

    fn activated_at(&self, epoch: u64) -> Vec<u64> {
        (0u64..)
            .zip(self.validators())
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
    for preset in [
        Preset::phase0(),
        Preset::altair(),
        Preset::deneb(),
        Preset::electra(),
    ] {
        let mut chain = Chain::new(preset, (0..64).map(active).collect());
        let everyone = |_| true;
        let fork = preset.fork;

        // Epochs 0 and 1: the genesis guard, nothing justified.
        for e in 0..2 {
            let out = chain.epoch(everyone);
            assert_eq!(out.epoch, ep(e));
            assert_eq!(out.finality, FinalityOutcome::NONE);
            assert_eq!(out.view.active_validators, 64);
            assert_eq!(out.view.total_active_balance, 64 * 32 * ETH);
        }
        assert_eq!(chain.state.current_epoch, ep(2));
        assert_eq!(chain.state.finality, FinalityState::GENESIS);

        // Epoch 2: both epochs justified, nothing final yet.
        let out = chain.epoch(everyone);
        assert_eq!(out.previous_target_balance, 64 * 32 * ETH, "{fork:?}");
        assert_eq!(out.current_target_balance, 64 * 32 * ETH);
        assert_eq!((chain.justified(), chain.finalized()), (2, 0));
        assert_eq!(out.finality.finalized, None);

        // From epoch 3 on, each epoch finalizes the one before it (bits 0 and 1, `+1` rule).
        for e in 3..8 {
            let out = chain.epoch(everyone);
            assert_eq!((chain.justified(), chain.finalized()), (e, e - 1));
            assert_eq!(out.view.finalized, ep(e - 1));
            assert!(!out.inactivity_leak);
        }

        // 42 of 64 is below two thirds (42·3 = 126 < 128): nothing justified, finality stalls.
        for _ in 8..12 {
            let out = chain.epoch(|i| i < 42);
            assert_eq!(out.current_target_balance, 42 * 32 * ETH);
            assert_eq!(out.finality.current_epoch_justified, None);
            assert_eq!(out.finality.previous_epoch_justified, None);
            assert_eq!(out.finality.finalized, None);
            assert_eq!((chain.justified(), chain.finalized()), (7, 6));
        }

        // 43 of 64 is two thirds (129 ≥ 128): justified again at once, final one epoch later.
        // (Epoch 11's participation stays below: only epoch 12 is justified.)
        let out = chain.epoch(|i| i < 43); // epoch 12
        assert_eq!(
            out.finality.current_epoch_justified.map(|c| c.epoch),
            Some(ep(12))
        );
        assert_eq!(out.finality.previous_epoch_justified, None);
        chain.epoch(|i| i < 43); // epoch 13
        assert_eq!((chain.justified(), chain.finalized()), (13, 12), "{fork:?}");
    }
}

#[test]
fn votes_that_do_not_match_earn_less_or_are_refused() {
    let preset = Preset::deneb();
    let mut chain = Chain::new(preset, (0..8).map(active).collect());
    for _ in 0..3 {
        chain.epoch(|_| true);
    }
    let current = chain.state.current_epoch; // 3
    let start = current.0 * 32;
    let honest = AttestationData {
        slot: Slot(start),
        index: 0,
        beacon_block_root: [0xbe; 32],
        source: chain.state.finality.current_justified,
        target: Checkpoint {
            epoch: current,
            root: root(current),
        },
    };
    let block = |delay: u64| IncludingBlock {
        slot: Slot(start + delay),
        proposer: vi(7),
        target_root: root(current),
        head_root: [0xbe; 32],
    };
    let attest =
        |chain: &mut Chain, data: &AttestationData, who: &[u64], block: &IncludingBlock| {
            let who: Vec<ValidatorIndex> = who.iter().map(|&i| vi(i)).collect();
            process_attestation(
                &chain.preset,
                &chain.state,
                &mut AttestationRecords {
                    validators: &chain.lists.validators,
                    balances: &mut chain.lists.balances,
                    previous_epoch_participation: &mut chain.lists.previous,
                    current_epoch_participation: &mut chain.lists.current,
                    previous_epoch_inclusions: &mut chain.lists.previous_inclusions,
                    current_epoch_inclusions: &mut chain.lists.current_inclusions,
                    totals: &mut chain.totals,
                },
                data,
                &who,
                block,
            )
        };
    // A wrong head, included late (6 > √32 = 5): target only.
    let wrong_head = AttestationData {
        beacon_block_root: [0x0e; 32],
        ..honest
    };
    let out = attest(&mut chain, &wrong_head, &[0, 1], &block(6)).unwrap();
    assert_eq!(out.flags, ParticipationFlags::NONE.add_flag(1));
    // A wrong target: source only (timely at delay 1), and no head.
    let wrong_target = AttestationData {
        target: Checkpoint {
            epoch: current,
            root: [0xee; 32],
        },
        ..honest
    };
    let out = attest(&mut chain, &wrong_target, &[2], &block(1)).unwrap();
    assert_eq!(out.flags, ParticipationFlags::NONE.add_flag(0));
    // Honest and timely, twice: the second changes nothing and pays the proposer nothing.
    let first = attest(&mut chain, &honest, &[3, 3, 4], &block(1)).unwrap();
    assert_eq!(
        (first.flags, first.newly_participating),
        (ParticipationFlags::ALL, 2)
    );
    assert!(first.proposer_reward > 0);
    let again = attest(&mut chain, &honest, &[4, 3], &block(2)).unwrap();
    assert_eq!((again.newly_participating, again.proposer_reward), (0, 0));
    assert_eq!(chain.totals, scan(current, &chain.lists));
    // Target balance: validators 0, 1, 3, 4.
    assert_eq!(chain.totals.current[1], 4 * 32 * ETH);

    // Refused, nothing changed: each check.
    let before = (chain.lists.clone(), chain.totals);
    let wrong_source = AttestationData {
        source: Checkpoint::GENESIS,
        ..honest
    };
    let cases: [(AttestationData, Vec<u64>, IncludingBlock, Error); 6] = [
        (
            wrong_source,
            vec![5],
            block(1),
            FinalityError::WrongSource {
                expected: honest.source.epoch,
                found: Epoch(0),
            }
            .into(),
        ),
        (
            honest,
            vec![5],
            block(0),
            FinalityError::InclusionTooEarly {
                slot: Slot(start),
                inclusion_slot: Slot(start),
            }
            .into(),
        ),
        (honest, vec![], block(1), FinalityError::NoAttesters.into()),
        (
            honest,
            vec![5, 8],
            block(1),
            ValidatorError::UnknownValidator {
                index: vi(8),
                count: 8,
            }
            .into(),
        ),
        (
            AttestationData {
                slot: Slot(start - 1),
                ..honest
            },
            vec![5],
            block(1),
            FinalityError::TargetEpochMismatch {
                target: current,
                slot: Slot(start - 1),
            }
            .into(),
        ),
        (
            honest,
            vec![5],
            IncludingBlock {
                slot: Slot(start + 32),
                ..block(1)
            },
            FinalityError::InclusionOutsideEpoch {
                inclusion_slot: Slot(start + 32),
                current,
            }
            .into(),
        ),
    ];
    for (data, who, block, error) in cases {
        assert_eq!(attest(&mut chain, &data, &who, &block), Err(error));
        assert_eq!((chain.lists.clone(), chain.totals), before);
    }
}

// ---------------------------------------------------------------------------------------
// Rewards and the inactivity leak
// ---------------------------------------------------------------------------------------

#[test]
fn rewards_per_fork_worked_out_by_hand() {
    // Four validators of 32 ETH (128 ETH active); at epoch 2 validators 0–2 attested timely
    // to epoch 1 (in the previous epoch's flags), validator 3 did not. The epoch processed is
    // 2: rewards are for the previous epoch.
    //
    // Altair on: integer_squareroot(128e9) = 357_770; base reward per increment
    // 1e9 · 64 // 357_770 = 178_885; base reward 32 · 178_885 = 5_724_320.
    // Participating increments 96 of 128 active. Per flag reward (participant):
    //   source 5_724_320 · 14 · 96 // (128 · 64) = 939_146 (939_146.25 floored)
    //   target 5_724_320 · 26 · 96 // 8192     = 1_744_128 (…128.75)
    //   head   5_724_320 · 14 · 96 // 8192     = 939_146
    // so a participant gains 3_622_421. Validator 3 (absent) is penalised
    //   source 5_724_320 · 14 // 64 = 1_252_195, target · 26 // 64 = 2_325_505, head none,
    // and its inactivity score goes 0 + 4 - 16 → 0 (not in a leak): no inactivity penalty.
    //
    // Phase0: base reward 32e9 · 64 // 357_770 // 4 = 1_431_087 (5_724_348 // 4); proposer
    // reward 1_431_087 // 8 = 178_885. Attester components 1_431_087 · 96 // 128 = 1_073_315
    // each (three); inclusion at delay 1: 1_431_087 - 178_885 = 1_252_202. Validator 0
    // included all three attestations: + 3 · 178_885 = 536_655. Validator 3: −3 · 1_431_087.
    let altair_gain = 939_146 + 1_744_128 + 939_146;
    let altair_loss = 1_252_195 + 2_325_505;
    let phase0_gain = 3 * 1_073_315 + 1_252_202;
    for preset in [
        Preset::phase0(),
        Preset::altair(),
        Preset::bellatrix(),
        Preset::deneb(),
        Preset::electra(),
    ] {
        let mut chain = Chain::new(preset, (0..4).map(active).collect());
        chain.state.current_epoch = ep(1);
        chain.totals = scan(ep(1), &chain.lists);
        chain.attest(|i| i < 3);
        chain.run().unwrap(); // epoch 1: rewards for epoch 0 (nobody attested then)
        let after_1 = chain.lists.balances.clone();
        let out = chain.run().unwrap(); // epoch 2: rewards for epoch 1
        let delta: Vec<i128> = chain
            .lists
            .balances
            .iter()
            .zip(&after_1)
            .map(|(a, b)| *a as i128 - *b as i128)
            .collect();
        let fork = preset.fork;
        if fork == Fork::Phase0 {
            assert_eq!(delta[1], phase0_gain, "{fork:?}");
            assert_eq!(delta[0], phase0_gain + 3 * 178_885, "{fork:?}");
            assert_eq!(delta[3], -3 * 1_431_087, "{fork:?}");
        } else {
            assert_eq!(delta[0], altair_gain, "{fork:?}");
            assert_eq!(delta[1], altair_gain, "{fork:?}");
            assert_eq!(delta[3], -altair_loss, "{fork:?}");
            assert_eq!(chain.lists.inactivity_scores, [0, 0, 0, 0], "{fork:?}");
        }
        assert_eq!(
            out.rewards as i128 - out.penalties as i128,
            delta.iter().sum::<i128>(),
            "{fork:?}"
        );
    }
}

#[test]
fn the_leak_starts_at_a_finality_delay_of_5_not_4_and_ends_with_finality() {
    // Deneb, 8 validators; finalized up to epoch 5 at the end of epoch 6, then only five of
    // eight vote (5·3 = 15 < 16): no justification. At the end of epoch e the finality delay
    // is (e - 1) - 5.
    let preset = Preset::deneb();
    let mut chain = Chain::new(preset, (0..8).map(active).collect());
    for _ in 0..7 {
        chain.epoch(|_| true);
    }
    assert_eq!(chain.finalized(), 5);
    let five = |i| i < 5;
    // Epoch 7: delay 1 … epoch 10: delay 4 — not a leak; validators 5–7 gain 4 and recover
    // 16 each epoch, staying at 0.
    for e in 7..=10 {
        let out = chain.epoch(five);
        assert_eq!(out.epoch, ep(e));
        assert!(!out.inactivity_leak, "delay {} is not a leak", e - 1 - 5);
        assert_eq!(chain.lists.inactivity_scores[7], 0);
    }
    // Epoch 11: delay 5 — a leak. The absent gain 4 (no recovery); flag rewards stop.
    let out = chain.epoch(five);
    assert!(out.inactivity_leak);
    assert_eq!(chain.lists.inactivity_scores[7], 4);
    assert_eq!(chain.lists.inactivity_scores[0], 0);
    let before = chain.lists.balances.clone();
    let out = chain.epoch(five); // epoch 12
    assert!(out.inactivity_leak);
    assert_eq!(chain.lists.inactivity_scores[7], 8);
    // Participants earn no flag rewards in a leak (and pay no penalty); validator 0 only
    // earns its proposer rewards.
    assert_eq!(chain.lists.balances[1], before[1]);
    // The absent pay the source and target penalties and the inactivity penalty:
    // 32e9 · 8 // (4 · 2^24) = 3_814 Gwei for the score of 8.
    let base = 32 * (ETH * 64 / crate::validator::rewards::integer_squareroot(256 * ETH));
    let flag_penalty = base * 14 / 64 + base * 26 / 64;
    assert_eq!(
        before[7] - chain.lists.balances[7],
        flag_penalty + 32 * ETH * 8 / (4 << 24)
    );
    // Everyone votes again: justified (13), then finalized (14); the leak ends when the delay
    // drops back to 4 or less, and the scores recover.
    chain.epoch(|_| true); // 13
    let out = chain.epoch(|_| true); // 14: finalizes 13
    assert_eq!(chain.finalized(), 13);
    assert!(!out.inactivity_leak);
    assert_eq!(chain.lists.inactivity_scores[7], 0);
}

// ---------------------------------------------------------------------------------------
// Activations, exits, hysteresis, correlation penalties
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
        chain.validators()[64..]
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
    let view = chain.totals.view(&preset, ep(4), ep(3));
    let exit = VoluntaryExit {
        epoch: ep(0),
        validator_index: vi(0),
    };
    let scheduled = process_voluntary_exit(
        &preset,
        &mut chain.lists.validators,
        &mut chain.state.queue,
        &view,
        &exit,
        0,
    )
    .unwrap();
    assert_eq!(scheduled.exit_epoch, ep(9));
    chain.lists.balances[1] = 15 * ETH + ETH / 2;
    chain.totals = scan(ep(4), &chain.lists);
    let out = chain.epoch(|_| true); // epoch 4
    assert_eq!(out.registry.ejected, 0);
    assert_eq!(chain.validators()[1].effective_balance, 15 * ETH);
    let out = chain.epoch(|_| true); // epoch 5
    assert_eq!(out.registry.ejected, 1);
    // The exit queue at 10 (after validator 0's at 9), withdrawable 256 epochs later.
    assert_eq!(chain.validators()[1].exit_epoch, ep(10));
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
    assert_eq!(chain.state.queue, QueueState::scan(chain.validators()));
    // The active set shrinks when the exits take effect.
    while chain.state.current_epoch < ep(9) {
        assert_eq!(chain.epoch(|_| true).view.active_validators, 64);
    }
    assert_eq!(chain.epoch(|_| true).view.active_validators, 63); // epoch 9
    assert_eq!(chain.epoch(|_| true).view.active_validators, 62); // epoch 10
}

#[test]
fn effective_balances_move_with_hysteresis_inside_the_pass() {
    // At epoch 0 (no rewards: they are for the previous epoch).
    let mut chain = Chain::new(Preset::phase0(), (0..6).map(active).collect());
    chain.lists.validators[5].effective_balance = 30 * ETH;
    chain.lists.balances = vec![
        32 * ETH - ETH / 4,     // 31.75: at the downward threshold, stays
        32 * ETH - ETH / 4 - 1, // just below: drops to 31
        40 * ETH,               // above the cap: stays at 32
        20 * ETH + 1,           // drops to 20
        32 * ETH,               // unchanged
        31 * ETH + ETH / 4 + 1, // 30 + 1.25 < 31.25…: rises to 31
    ];
    chain.totals = scan(ep(0), &chain.lists);
    let out = chain.epoch(|_| true);
    assert_eq!(out.effective_balance_changes, 3);
    let effective: Vec<u64> = chain
        .validators()
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
}

/// `process_slashings` inside the epoch: the validator slashed at epoch 1 pays its correlation
/// penalty at the end of epoch 1 + 8192 / 2 = 4097, the change is reported, the effective
/// balance follows the lowered balance in the same epoch, and the vector's next entry is
/// cleared.
#[test]
fn the_epoch_charges_the_correlation_penalty_then_moves_the_effective_balance() {
    // Phase0 (multiplier 1), 4 validators of 32 ETH, one slashed at epoch 1: the vector holds
    // 32 ETH; penalty = 32 · min(32, 128) ETH // 128 ETH = 8 increments = 8 ETH.
    let mut chain = Chain::new(Preset::phase0(), (0..4).map(active).collect());
    chain.lists.validators[2].slashed = true;
    chain.lists.validators[2].exit_epoch = ep(5000); // still active, in the total
    chain.lists.validators[2].withdrawable_epoch = ep(1 + 8192);
    chain.lists.slashings[1] = 32 * ETH;
    chain.state.current_epoch = ep(4097);
    chain.lists.slashings[4098] = 5; // cleared at the end of 4097
    chain.totals = scan(ep(4097), &chain.lists);
    let before = chain.lists.balances[2];
    let out = chain.run().unwrap();
    assert_eq!(out.slashings.charged, 1);
    assert_eq!(out.slashings.burned, 8 * ETH);
    // Missed-vote penalties (nobody attested) come first, then the 8 ETH: the effective
    // balance drops below 24 (hysteresis: far more than 0.25 ETH below 32).
    // (Missed-vote and leak penalties, about 0.012 ETH here, come first.)
    let after = chain.lists.balances[2];
    assert!(after < before - 8 * ETH && after > before - 8 * ETH - ETH / 50);
    assert_eq!(chain.validators()[2].effective_balance, 23 * ETH);
    let (_, index, change) = chain.changes.last().copied().unwrap();
    assert_eq!(index, vi(2));
    assert_eq!(change.slashing_penalty, Some(8 * ETH));
    assert_eq!(chain.lists.slashings[4098], 0);
    assert_eq!(chain.lists.slashings[1], 32 * ETH);
    // One epoch later nothing more is charged.
    let out = chain.run().unwrap();
    assert_eq!(out.slashings, SlashingsSummary::default());
}

// ---------------------------------------------------------------------------------------
// Atomicity
// ---------------------------------------------------------------------------------------

/// Runs the epoch and asserts it fails with `expected` and changes nothing.
fn fails_unchanged(chain: &mut Chain, expected: Error) {
    let before = (chain.state, chain.lists.clone(), chain.totals);
    let mut reported = 0;
    let result = run_on(
        &chain.preset,
        &mut chain.state,
        &mut chain.lists,
        &mut chain.totals,
        |_, _| reported += 1,
    );
    assert_eq!(result, Err(expected));
    assert_eq!((chain.state, chain.lists.clone(), chain.totals), before);
    assert_eq!(reported, 0, "no change reported");
}

/// A chain at epoch 5 where something changes in every pass: an eligibility, an effective
/// balance move, an ejection due, rewards and penalties.
fn busy_chain(preset: Preset) -> Chain {
    let mut validators: Vec<Validator> = (0..8).map(active).collect();
    validators.push(pending(8));
    validators[2].effective_balance = 16 * ETH;
    let mut chain = Chain::new(preset, validators);
    chain.lists.balances[3] = 20 * ETH;
    chain.state.current_epoch = ep(5);
    chain.lists.previous = vec![ParticipationFlags::ALL; 9];
    if preset.fork == Fork::Phase0 {
        chain.lists.previous_inclusions = vec![
            Inclusion {
                inclusion_delay: 1,
                proposer_index: vi(0),
            };
            9
        ];
    }
    chain.totals = scan(ep(5), &chain.lists);
    chain
}

#[test]
fn every_error_leaves_everything_unchanged() {
    let p = Preset::phase0();
    let d = Preset::deneb();
    let overflow: Error = NumError::Overflow.into();

    // An invalid preset; mismatched lengths.
    let mut chain = busy_chain(Preset {
        churn_limit_quotient: 0,
        ..p
    });
    fails_unchanged(
        &mut chain,
        ValidatorError::ZeroParameter {
            parameter: crate::validator::PresetParameter::ChurnLimitQuotient,
        }
        .into(),
    );
    let mut chain = busy_chain(d);
    chain.lists.inactivity_scores.pop();
    fails_unchanged(
        &mut chain,
        ValidatorError::ListLength {
            list: RegistryList::InactivityScores,
            length: 8,
            validators: 9,
        }
        .into(),
    );
    let mut chain = busy_chain(d);
    chain.lists.slashings.pop();
    fails_unchanged(
        &mut chain,
        ValidatorError::SlashingsLength {
            length: 8191,
            expected: 8192,
        }
        .into(),
    );

    // The last epoch.
    let mut chain = busy_chain(p);
    chain.state.current_epoch = ep(u64::MAX);
    fails_unchanged(&mut chain, overflow);

    // Total active balance · 2 past u64 (justification).
    let mut chain = busy_chain(p);
    chain.totals.active.balance = u64::MAX / 2 + 1;
    fails_unchanged(
        &mut chain,
        FinalityError::TotalActiveOverflow {
            balance: u64::MAX / 2 + 1,
        }
        .into(),
    );

    // A finalization case past the last epoch.
    let mut chain = busy_chain(p);
    chain.state.finality.justification_bits = JustificationBits::new(0b0011).unwrap();
    chain.state.finality.current_justified.epoch = ep(u64::MAX);
    chain.totals.current = [chain.totals.active.balance; 3];
    fails_unchanged(
        &mut chain,
        FinalityError::CurrentJustifiedEpochOverflow.into(),
    );

    // An ejection into an exit queue at the end of time: the bound fails, the dry run finds
    // the overflow of the withdrawable epoch.
    let mut chain = busy_chain(p);
    chain.state.queue.latest_exit_epoch = ep(u64::MAX - 100);
    chain.state.queue.exits_at_latest = 1;
    fails_unchanged(&mut chain, overflow);
    // …and near it but not past it, it succeeds (the dry run says so).
    let mut chain = busy_chain(p);
    chain.state.queue.latest_exit_epoch = ep(u64::MAX - 300);
    chain.state.queue.exits_at_latest = 1;
    let out = chain.run().unwrap();
    assert_eq!(out.registry.ejected, 1);
    assert_eq!(chain.validators()[2].exit_epoch, ep(u64::MAX - 300));

    // Electra: the same through the balance churn.
    let e = Preset::electra();
    let mut chain = busy_chain(e);
    chain.state.queue.earliest_exit_epoch = ep(u64::MAX - 100);
    fails_unchanged(&mut chain, overflow);

    // Phase0: the activation epoch past u64, with someone to activate (and no ejection).
    let mut chain = busy_chain(p);
    chain.lists.validators[2].effective_balance = 32 * ETH;
    chain.state.current_epoch = ep(u64::MAX - 3);
    chain.state.finality.finalized.epoch = ep(u64::MAX - 4);
    chain.lists.validators[8].activation_eligibility_epoch = ep(1);
    chain.totals = scan(chain.state.current_epoch, &chain.lists);
    fails_unchanged(&mut chain, overflow);
    // Electra computes it up front, whoever is queued.
    let mut chain = busy_chain(e);
    chain.state.current_epoch = ep(u64::MAX - 3);
    fails_unchanged(&mut chain, overflow);

    // A reward past u64 (the last validator's balance): the bound fails, the dry run finds
    // it, although every validator before it would have been written.
    for preset in [p, d] {
        let mut chain = busy_chain(preset);
        chain.lists.balances[7] = u64::MAX - 10;
        chain.totals = scan(ep(5), &chain.lists);
        fails_unchanged(&mut chain, overflow);
    }
    // An inactivity score past u64: the score update of an absent validator.
    let mut chain = busy_chain(d);
    chain.lists.previous[6] = ParticipationFlags::NONE;
    chain.lists.inactivity_scores[6] = u64::MAX - 1;
    chain.totals = scan(ep(5), &chain.lists);
    fails_unchanged(&mut chain, overflow);
    // …and far below it, the product with the effective balance in the penalty (the score
    // after this epoch's +4 and −16 recovery, times 32 ETH, passes u64).
    let mut chain = busy_chain(d);
    chain.lists.previous[6] = ParticipationFlags::NONE;
    chain.lists.inactivity_scores[6] = u64::MAX / (32 * ETH) + 20;
    chain.totals = scan(ep(5), &chain.lists);
    fails_unchanged(&mut chain, overflow);

    // Phase0: a proposer of the previous epoch's attestations that does not exist.
    let mut chain = busy_chain(p);
    chain.lists.previous_inclusions[4] = Inclusion {
        inclusion_delay: 1,
        proposer_index: vi(99),
    };
    fails_unchanged(
        &mut chain,
        ValidatorError::UnknownValidator {
            index: vi(99),
            count: 9,
        }
        .into(),
    );
    // …but a base reward past u64 of a later validator fails first: the spec's source deltas
    // run over every validator before the inclusion delays.
    let mut chain = busy_chain(p);
    chain.lists.previous_inclusions[4].proposer_index = vi(99);
    chain.lists.validators[7].effective_balance = u64::MAX / 64 + 1; // · BASE_REWARD_FACTOR
    chain.totals = scan(ep(5), &chain.lists);
    fails_unchanged(&mut chain, overflow);
    // An inclusion delay of 0 (the attester's reward divides by it), never recorded by
    // `process_attestation`: the pass refuses it before writing anything…
    let mut chain = busy_chain(p);
    chain.lists.previous_inclusions[6].inclusion_delay = 0;
    fails_unchanged(&mut chain, NumError::Underflow.into());
    // …and an unknown proposer of an earlier attester is the spec's first error.
    chain.lists.previous_inclusions[5].proposer_index = vi(9);
    fails_unchanged(
        &mut chain,
        ValidatorError::UnknownValidator {
            index: vi(9),
            count: 9,
        }
        .into(),
    );
}

// ---------------------------------------------------------------------------------------
// Property tests: equal to the spec's steps one after another
// ---------------------------------------------------------------------------------------

/// `process_epoch` on copies; on error, asserts the copies are untouched.
fn single_pass(
    p: &Preset,
    state: &EpochState,
    lists: &Lists,
    totals: &EpochTotals,
) -> Result<Transition, Error> {
    let (mut s, mut l, mut t) = (*state, lists.clone(), *totals);
    let mut changes = BTreeMap::new();
    match run_on(p, &mut s, &mut l, &mut t, |i, c| {
        merge_change(&mut changes, i, c)
    }) {
        Ok(out) => {
            assert_eq!(out.epoch, state.current_epoch);
            Ok(Transition {
                state: s,
                lists: l,
                totals: t,
                finality: out.finality,
                targets: (out.previous_target_balance, out.current_target_balance),
                inactivity_leak: out.inactivity_leak,
                rewards: (out.rewards, out.penalties),
                registry: out.registry,
                slashings: out.slashings,
                effective_balance_changes: out.effective_balance_changes,
                changes,
            })
        }
        Err(e) => {
            assert_eq!(s, *state, "{e:?} changed the state");
            assert_eq!(&l, lists, "{e:?} changed the lists");
            assert_eq!(t, *totals, "{e:?} changed the totals");
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

/// A random epoch: a registry, balances around the effective balances, random participation
/// (phase0: random inclusions), scores and slashings, a finality state (ordered, with random
/// bits, at most the previous epoch), an exit queue consistent with the registry, and the
/// totals of all that.
#[derive(Debug, Clone)]
struct Case {
    preset: Preset,
    state: EpochState,
    lists: Lists,
    totals: EpochTotals,
}

fn case() -> impl Strategy<Value = Case> {
    (
        0usize..5,
        prop::bool::weighted(0.2),
        prop::collection::vec(kind(), 0..80),
        2u64..24,
        (0u8..16, 0u64..4, 0u64..4, 0u64..4),
        prop::collection::vec(
            (
                prop_oneof![2000 => -2_000_000_000i64..2_000_000_000, 1 => Just(i64::MIN)],
                any::<(u8, u8)>(),
                prop_oneof![8 => 0u64..40, 1 => Just(u64::MAX - 2)],
                (1u64..40, 0u64..90),
            ),
            80,
        ),
        any::<u64>(),
    )
        .prop_map(|(fork, big_churn, kinds, current, fin, extras, seed)| {
            let base = [
                Preset::phase0(),
                Preset::deneb(),
                Preset::electra(),
                Preset::altair(),
                Preset::bellatrix(),
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
            let n = validators.len();
            let mut lists = lists_of(&preset, validators);
            for (at, (delta, (previous, now), score, (delay, proposer))) in
                extras.iter().take(n).enumerate()
            {
                lists.balances[at] = if *delta == i64::MIN {
                    u64::MAX - (seed % 3)
                } else {
                    lists.validators[at]
                        .effective_balance
                        .saturating_add_signed(*delta)
                };
                lists.previous[at] = ParticipationFlags(previous & 0b111);
                lists.current[at] = ParticipationFlags(now & 0b111);
                if preset.fork == Fork::Phase0 {
                    // Phase0's bits are nested (a head match is a target match is a source
                    // match); an attestation has an inclusion, by a proposer that exists (or,
                    // rarely, not).
                    for (flags, inclusions) in [
                        (&mut lists.previous, &mut lists.previous_inclusions),
                        (&mut lists.current, &mut lists.current_inclusions),
                    ] {
                        let f = flags[at].0;
                        let nested = if f & 1 == 0 {
                            0
                        } else if f & 2 == 0 {
                            1
                        } else {
                            f
                        };
                        flags[at] = ParticipationFlags(nested);
                        if nested != 0 {
                            inclusions[at] = Inclusion {
                                inclusion_delay: *delay,
                                proposer_index: vi(proposer % (n as u64 + 1)),
                            };
                        }
                    }
                } else {
                    lists.inactivity_scores[at] = *score;
                }
            }
            // The vector: a few slashings (of up to 64 ETH), sometimes sums past u64.
            lists.slashings = (0..8)
                .map(|k| (seed.rotate_left(k * 8) % 4) * 16 * ETH)
                .collect();
            if seed % 23 == 0 {
                lists.slashings[3] = u64::MAX / 2;
                lists.slashings[5] = u64::MAX / 2 + 2;
            }
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
            let mut queue = QueueState::scan(&lists.validators);
            if preset.fork == Fork::Electra {
                let view = EpochView::scan(&preset, &lists.validators, current, ep(fin_e))
                    .unwrap_or(EpochView {
                        current,
                        finalized: ep(fin_e),
                        active_validators: 0,
                        total_active_balance: ETH,
                    });
                queue
                    .upgrade_to_electra(&preset, &lists.validators, &view)
                    .unwrap();
            }
            let totals = EpochTotals::scan(
                current,
                &lists.validators,
                &lists.balances,
                &lists.inactivity_scores,
                &lists.previous,
                &lists.current,
            )
            .unwrap_or_default();
            Case {
                preset,
                state: EpochState {
                    current_epoch: current,
                    finality,
                    queue,
                },
                lists,
                totals,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn the_single_pass_equals_the_spec_steps_one_after_another(case in case()) {
        let roots = roots(case.state.current_epoch);
        let want = reference_epoch(&case.preset, &case.state, &case.lists, &roots);
        let got = single_pass(&case.preset, &case.state, &case.lists, &case.totals);
        // A registry whose sums do not fit u64 has no totals (the reference reports it).
        if EpochTotals::scan(
            case.state.current_epoch,
            &case.lists.validators,
            &case.lists.balances,
            &case.lists.inactivity_scores,
            &case.lists.previous,
            &case.lists.current,
        )
        .is_err()
        {
            prop_assert!(want.is_err());
            return Ok(());
        }
        prop_assert_eq!(got, want);
    }

    /// Epoch after epoch, from genesis, with random voters and balance moves: the registry
    /// invariants hold, the finalized epoch never decreases, the totals stay exact.
    #[test]
    fn chains_keep_the_invariants(
        fork in 0usize..4,
        size in 1u64..40,
        epochs in prop::collection::vec((0u64..=100, prop::collection::vec((0u64..40, -3_000_000_000i64..3_000_000_000), 0..6)), 1..24),
    ) {
        let base = [Preset::phase0(), Preset::deneb(), Preset::electra(), Preset::altair()][fork];
        let preset = Preset { min_per_epoch_churn_limit: 2, max_per_epoch_activation_churn_limit: 1, ..base };
        let mut validators: Vec<Validator> = (0..size).map(active).collect();
        validators.extend((size..size + 6).map(pending));
        let mut chain = Chain::new(preset, validators);
        for (turnout, moves) in epochs {
            for (i, delta) in moves {
                if let Some(b) = chain.lists.balances.get_mut(i as usize) {
                    *b = b.saturating_add_signed(delta);
                }
            }
            chain.totals = scan(chain.state.current_epoch, &chain.lists);
            let finalized = chain.finalized();
            let n = chain.validators().len() as u64;
            let out = chain.epoch(|i| i * 100 < turnout * n);
            prop_assert!(chain.finalized() >= finalized);
            prop_assert!(chain.state.finality.is_ordered());
            prop_assert_eq!(out.view.finalized.0, chain.finalized());
            for v in chain.validators() {
                prop_assert_eq!(v.effective_balance % ETH, 0);
                prop_assert!(v.effective_balance <= v.max_effective_balance(&preset));
                if v.exit_epoch != FAR {
                    prop_assert!(v.activation_epoch <= v.exit_epoch || v.activation_epoch == FAR);
                    prop_assert!(v.exit_epoch <= v.withdrawable_epoch);
                }
            }
            if preset.fork != Fork::Electra {
                prop_assert_eq!(chain.state.queue, QueueState::scan(chain.validators()));
            }
        }
    }
}

/// A finalized epoch of `FAR_FUTURE_EPOCH` (no chain reaches it; an arbitrary state can hold
/// it): the spec's `is_eligible_for_activation` then holds for every validator not yet
/// activated, even one never queued, and so it does here (found by the `finality` fuzz target,
/// whose input is kept in fuzz/regressions/finality/). At the genesis epoch (no rewards);
/// later, `get_finality_delay` underflows first, as in the spec.
#[test]
fn a_finalized_epoch_at_far_future_as_the_spec_reads_it() {
    let p = Preset::phase0();
    let mut validators: Vec<Validator> = (0..8).map(active).collect();
    validators.push(validator(8, 20 * ETH, FAR, FAR)); // never queued
    validators.push(pending(9)); // enters the queue now
    let lists = lists_of(&p, validators);
    let mut state = EpochState::GENESIS;
    state.finality.finalized.epoch = FAR;
    let got = single_pass(&p, &state, &lists, &scan(ep(0), &lists));
    assert_eq!(got, reference_epoch(&p, &state, &lists, &roots(ep(0))));
    let after = got.unwrap().lists.validators;
    assert_eq!(after[8].activation_epoch, ep(5));
    assert_eq!(after[9].activation_epoch, ep(5));

    // At epoch 10, the rewards' finality delay (9 - FAR) underflows.
    state.current_epoch = ep(10);
    let got = single_pass(&p, &state, &lists, &scan(ep(10), &lists));
    assert_eq!(got, Err(NumError::Underflow.into()));
    assert_eq!(got, reference_epoch(&p, &state, &lists, &roots(ep(10))));
}
