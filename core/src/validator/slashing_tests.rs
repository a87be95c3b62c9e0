//! Slashing: each piece of evidence and each of its errors (with the registry unchanged),
//! `slash_validator`'s arithmetic per fork worked out by hand, the day-1/18/36 timeline, and
//! the correlation penalty's overflow, truncation and mass-slashing cases.

extern crate std;
use std::vec;
use std::vec::Vec;

use super::*;
use crate::finality::Checkpoint;
use crate::validator::{ETH1_ADDRESS_WITHDRAWAL_PREFIX, FAR_FUTURE_EPOCH};

const ETH: u64 = 1_000_000_000;

fn vi(n: u64) -> ValidatorIndex {
    ValidatorIndex(n)
}

fn active(n: u64) -> Validator {
    let mut pubkey = [0u8; 48];
    pubkey[..8].copy_from_slice(&n.to_le_bytes());
    let mut credentials = [0xaa; 32];
    credentials[0] = ETH1_ADDRESS_WITHDRAWAL_PREFIX;
    Validator {
        pubkey,
        withdrawal_credentials: credentials,
        effective_balance: 32 * ETH,
        slashed: false,
        activation_eligibility_epoch: Epoch(0),
        activation_epoch: Epoch(0),
        exit_epoch: FAR_FUTURE_EPOCH,
        withdrawable_epoch: FAR_FUTURE_EPOCH,
    }
}

/// A chain of `n` active 32-ETH validators (balances 32 ETH) at `epoch`, with the preset's
/// slashings vector.
struct Chain {
    preset: Preset,
    validators: Vec<Validator>,
    balances: Vec<u64>,
    slashings: Vec<u64>,
    queue: QueueState,
    epoch: Epoch,
}

impl Chain {
    fn new(preset: Preset, n: u64, epoch: u64) -> Self {
        let validators: Vec<Validator> = (0..n).map(active).collect();
        let balance = validators.first().map_or(0, |v| v.effective_balance);
        Self {
            preset,
            balances: vec![balance; n as usize],
            slashings: vec![0; preset.epochs_per_slashings_vector as usize],
            queue: QueueState::scan(&validators),
            validators,
            epoch: Epoch(epoch),
        }
    }

    fn view(&self) -> EpochView {
        EpochView::scan(&self.preset, &self.validators, self.epoch, Epoch(0)).expect("view")
    }

    fn registry(&mut self) -> SlashingRegistry<'_> {
        let view = self.view();
        SlashingRegistry {
            validators: &mut self.validators,
            balances: &mut self.balances,
            slashings: &mut self.slashings,
            queue: &mut self.queue,
            view,
        }
    }

    fn snapshot(&self) -> (Vec<Validator>, Vec<u64>, Vec<u64>, QueueState) {
        (
            self.validators.clone(),
            self.balances.clone(),
            self.slashings.clone(),
            self.queue,
        )
    }

    fn proposer_slashing(
        &mut self,
        evidence: &ProposerSlashing,
        proposer: u64,
    ) -> Result<Slashed, Error> {
        let preset = self.preset;
        process_proposer_slashing(&preset, &mut self.registry(), evidence, vi(proposer))
    }

    fn attester_slashing(
        &mut self,
        evidence: &AttesterSlashing,
        proposer: u64,
    ) -> Result<SlashedList, Error> {
        let preset = self.preset;
        process_attester_slashing(&preset, &mut self.registry(), evidence, vi(proposer))
    }

    /// Asserts `result` is `expected` and nothing changed.
    #[track_caller]
    fn refuses<T: core::fmt::Debug>(
        &mut self,
        expected: Error,
        f: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) {
        let before = self.snapshot();
        let result = f(self);
        assert_eq!(result.err(), Some(expected));
        assert_eq!(
            self.snapshot(),
            before,
            "a refused slashing changed the registry"
        );
    }
}

fn header(slot: u64, proposer: u64, body: u8) -> BeaconBlockHeader {
    BeaconBlockHeader {
        slot: Slot(slot),
        proposer_index: vi(proposer),
        parent_root: [1; 32],
        state_root: [2; 32],
        body_root: [body; 32],
    }
}

fn equivocation(proposer: u64) -> ProposerSlashing {
    ProposerSlashing {
        header_1: header(7, proposer, 3),
        header_2: header(7, proposer, 4),
    }
}

fn checkpoint(epoch: u64, root: u8) -> Checkpoint {
    Checkpoint {
        epoch: Epoch(epoch),
        root: [root; 32],
    }
}

fn data(source: u64, target: u64, head: u8) -> AttestationData {
    AttestationData {
        slot: Slot(target * 32),
        index: 0,
        beacon_block_root: [head; 32],
        source: checkpoint(source, 1),
        target: checkpoint(target, 2),
    }
}

fn indexed(indices: &[u64], data: AttestationData) -> IndexedAttestation {
    let mut attesting_indices = SlashingIndices::new();
    for i in indices {
        attesting_indices.push(vi(*i)).expect("fits");
    }
    IndexedAttestation {
        attesting_indices,
        data,
    }
}

fn double_vote(one: &[u64], two: &[u64]) -> AttesterSlashing {
    AttesterSlashing {
        attestation_1: indexed(one, data(1, 3, 5)),
        attestation_2: indexed(two, data(1, 3, 6)),
    }
}

// --- slash_validator, per fork -------------------------------------------------------------

/// Slashes validator 3 of 64 by a proposer slashing included by validator 9, and returns what
/// happened.
fn slash_one(preset: Preset) -> (Chain, Slashed) {
    let mut chain = Chain::new(preset, 64, 10);
    let slashed = chain
        .proposer_slashing(&equivocation(3), 9)
        .expect("slashed");
    (chain, slashed)
}

#[test]
fn slash_validator_arithmetic_per_fork() {
    // (preset, initial penalty, proposer reward, whistleblower's rest); effective balance
    // 32 ETH = 32_000_000_000 Gwei (the seed chain's: 1000 coins = 10^12).
    let cases = [
        // phase0: 32e9 // 128 = 250_000_000; whistleblower 32e9 // 512 = 62_500_000, of which
        // the proposer 62_500_000 // 8 = 7_812_500, the rest 54_687_500.
        (
            Preset::phase0(),
            32 * ETH,
            250_000_000,
            7_812_500,
            54_687_500,
        ),
        // altair: 32e9 // 64 = 500_000_000; proposer 62_500_000 * 8 // 64 = 7_812_500.
        (
            Preset::altair(),
            32 * ETH,
            500_000_000,
            7_812_500,
            54_687_500,
        ),
        // bellatrix and deneb: 32e9 // 32 = 1_000_000_000 (one ETH).
        (
            Preset::bellatrix(),
            32 * ETH,
            1_000_000_000,
            7_812_500,
            54_687_500,
        ),
        (
            Preset::deneb(),
            32 * ETH,
            1_000_000_000,
            7_812_500,
            54_687_500,
        ),
        // electra: 32e9 // 4096 = 7_812_500; whistleblower 32e9 // 4096 = 7_812_500, the
        // proposer 7_812_500 * 8 // 64 = 976_562 (976_562.5 floored), the rest 6_835_938.
        (Preset::electra(), 32 * ETH, 7_812_500, 976_562, 6_835_938),
        // seed chain: 10^12 // 1000 = 10^9, one coin ("up to 1 BTCC"); whistleblower
        // 10^12 // 512 = 1_953_125_000, the proposer 1_953_125_000 * 8 // 64 = 244_140_625.
        (
            Preset::seed_chain(),
            1000 * ETH,
            ETH,
            244_140_625,
            1_708_984_375,
        ),
    ];
    for (preset, effective, penalty, proposer_reward, rest) in cases {
        let mut chain = Chain::new(preset, 64, 10);
        for v in &mut chain.validators {
            v.effective_balance = effective;
        }
        chain.balances.iter_mut().for_each(|b| *b = effective);
        let slashed = chain
            .proposer_slashing(&equivocation(3), 9)
            .expect("slashed");
        let fork = preset.fork;
        assert_eq!(slashed.penalty, penalty, "{fork:?}");
        assert_eq!(slashed.proposer_reward, proposer_reward, "{fork:?}");
        assert_eq!(slashed.whistleblower_reward, rest, "{fork:?}");
        assert_eq!(slashed.balance, effective - penalty, "{fork:?}");
        // The whistleblower is the proposer: it gets both parts.
        assert_eq!(
            chain.balances[9],
            effective + proposer_reward + rest,
            "{fork:?}"
        );
        assert_eq!(slashed.whistleblower, vi(9));
        // Every other balance is untouched.
        let untouched = chain
            .balances
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != 3 && *i != 9)
            .all(|(_, b)| *b == effective);
        assert!(untouched, "{fork:?}");
        // slashings[epoch % 8192] += effective balance.
        assert_eq!(chain.slashings[10], effective, "{fork:?}");
        assert_eq!(chain.slashings.iter().sum::<u64>(), effective, "{fork:?}");
        assert!(chain.validators[3].slashed);
    }
}

#[test]
fn a_slashed_validator_exits_and_is_withdrawable_after_the_vector() {
    // Phase0 rules at epoch 10: the exit queue is empty, so the exit is at
    // compute_activation_exit_epoch(10) = 10 + 1 + 4 = 15, withdrawable 15 + 256 = 271 — then
    // max(271, 10 + 8192) = 8202.
    let (chain, slashed) = slash_one(Preset::phase0());
    let exit = slashed.exit.expect("an exit");
    assert_eq!(exit.exit_epoch, Epoch(15));
    assert_eq!(exit.withdrawable_epoch, Epoch(271));
    assert_eq!(slashed.withdrawable_epoch, Epoch(8202));
    let v = chain.validators[3];
    assert_eq!(
        (v.exit_epoch, v.withdrawable_epoch),
        (Epoch(15), Epoch(8202))
    );
    assert_eq!(
        (chain.queue.latest_exit_epoch, chain.queue.exits_at_latest),
        (Epoch(15), 1)
    );
    assert_eq!(chain.queue, QueueState::scan(&chain.validators));
}

#[test]
fn an_exiting_validator_keeps_its_exit_and_gets_the_later_withdrawable_epoch() {
    let mut chain = Chain::new(Preset::deneb(), 8, 300);
    chain.validators[2].exit_epoch = Epoch(310);
    chain.validators[2].withdrawable_epoch = Epoch(566);
    chain.queue = QueueState::scan(&chain.validators);
    let slashed = chain
        .proposer_slashing(&equivocation(2), 0)
        .expect("slashed");
    assert_eq!(slashed.exit, None);
    assert_eq!(chain.validators[2].exit_epoch, Epoch(310));
    // max(566, 300 + 8192).
    assert_eq!(slashed.withdrawable_epoch, Epoch(8492));
}

#[test]
fn the_initial_penalty_never_takes_more_than_the_balance() {
    let mut chain = Chain::new(Preset::bellatrix(), 8, 10);
    chain.balances[3] = 400_000_000; // 0.4 ETH left, the penalty is 1 ETH.
    let slashed = chain
        .proposer_slashing(&equivocation(3), 0)
        .expect("slashed");
    assert_eq!(slashed.penalty, 400_000_000);
    assert_eq!(chain.balances[3], 0);
}

#[test]
fn a_proposer_slashing_itself_gets_its_penalty_then_the_rewards() {
    // decrease_balance then increase_balance on the same index, in the spec's order.
    let mut chain = Chain::new(Preset::deneb(), 8, 10);
    let slashed = chain
        .proposer_slashing(&equivocation(4), 4)
        .expect("slashed");
    assert_eq!(chain.balances[4], 32 * ETH - ETH + 62_500_000);
    assert_eq!(slashed.balance, chain.balances[4]);
}

#[test]
fn a_named_whistleblower_gets_the_rest() {
    let mut chain = Chain::new(Preset::altair(), 8, 10);
    let preset = chain.preset;
    let slashed =
        slash_validator(&preset, &mut chain.registry(), vi(1), vi(2), Some(vi(5))).expect("ok");
    assert_eq!(chain.balances[2], 32 * ETH + 7_812_500);
    assert_eq!(chain.balances[5], 32 * ETH + 54_687_500);
    assert_eq!(slashed.whistleblower, vi(5));
}

#[test]
fn electra_slashing_exits_through_the_balance_churn() {
    // Electra: compute_exit_epoch_and_update_churn with 64 · 32 ETH active: the churn is
    // max(128 ETH, 2048 ETH // 65536 rounded) = 128 ETH, capped at 256: 128 ETH per epoch.
    let mut chain = Chain::new(Preset::electra(), 64, 10);
    let view = chain.view();
    let preset = chain.preset;
    chain
        .queue
        .upgrade_to_electra(&preset, &chain.validators, &view)
        .expect("upgrade");
    let list = chain
        .attester_slashing(&double_vote(&[1, 2, 3, 4, 5], &[1, 2, 3, 4, 5]), 0)
        .expect("slashed");
    let exits: Vec<u64> = list
        .iter()
        .map(|s| s.exit.expect("exit").exit_epoch.0)
        .collect();
    // earliest_exit_epoch after the upgrade is 16 (15 + 1) with 128 ETH to consume: four
    // 32-ETH exits fit at 16, the fifth goes to 17.
    assert_eq!(exits, vec![16, 16, 16, 16, 17]);
}

// --- proposer slashing: every check, in order ----------------------------------------------

#[test]
fn proposer_slashing_refusals_leave_everything_unchanged() {
    let mut chain = Chain::new(Preset::deneb(), 8, 10);
    let mut other_slot = equivocation(3);
    other_slot.header_2.slot = Slot(8);
    // The slot is checked first, even with the proposers differing too.
    let mut both = other_slot;
    both.header_2.proposer_index = vi(4);
    for evidence in [other_slot, both] {
        chain.refuses(
            ValidatorError::ProposerSlotMismatch {
                slot_1: Slot(7),
                slot_2: Slot(8),
            }
            .into(),
            |c| c.proposer_slashing(&evidence, 0),
        );
    }
    let mut other_proposer = equivocation(3);
    other_proposer.header_2.proposer_index = vi(4);
    chain.refuses(
        ValidatorError::ProposerIndexMismatch {
            index_1: vi(3),
            index_2: vi(4),
        }
        .into(),
        |c| c.proposer_slashing(&other_proposer, 0),
    );
    let same = ProposerSlashing {
        header_1: header(7, 3, 3),
        header_2: header(7, 3, 3),
    };
    chain.refuses(ValidatorError::IdenticalHeaders.into(), |c| {
        c.proposer_slashing(&same, 0)
    });
    chain.refuses(
        ValidatorError::UnknownValidator {
            index: vi(8),
            count: 8,
        }
        .into(),
        |c| c.proposer_slashing(&equivocation(8), 0),
    );
    // The including proposer must exist too.
    chain.refuses(
        ValidatorError::UnknownValidator {
            index: vi(99),
            count: 8,
        }
        .into(),
        |c| c.proposer_slashing(&equivocation(3), 99),
    );
}

#[test]
fn only_slashable_validators_are_slashed() {
    let mut chain = Chain::new(Preset::deneb(), 8, 10);
    chain.proposer_slashing(&equivocation(3), 0).expect("first");
    // Already slashed.
    chain.refuses(
        ValidatorError::NotSlashable {
            index: vi(3),
            slashed: true,
            activation_epoch: Epoch(0),
            withdrawable_epoch: Epoch(8202),
        }
        .into(),
        |c| c.proposer_slashing(&equivocation(3), 0),
    );
    // Not active yet: activation_epoch 11 > 10.
    chain.validators[4].activation_epoch = Epoch(11);
    chain.refuses(
        ValidatorError::NotSlashable {
            index: vi(4),
            slashed: false,
            activation_epoch: Epoch(11),
            withdrawable_epoch: FAR_FUTURE_EPOCH,
        }
        .into(),
        |c| c.proposer_slashing(&equivocation(4), 0),
    );
    // Withdrawable exactly now: epoch 10 < 10 is false.
    chain.validators[5].exit_epoch = Epoch(5);
    chain.validators[5].withdrawable_epoch = Epoch(10);
    chain.queue = QueueState::scan(&chain.validators);
    chain.refuses(
        ValidatorError::NotSlashable {
            index: vi(5),
            slashed: false,
            activation_epoch: Epoch(0),
            withdrawable_epoch: Epoch(10),
        }
        .into(),
        |c| c.proposer_slashing(&equivocation(5), 0),
    );
    // One epoch before withdrawable, an exited validator is still slashable.
    chain.validators[5].withdrawable_epoch = Epoch(11);
    assert!(chain.proposer_slashing(&equivocation(5), 0).is_ok());
}

// --- attester slashing ---------------------------------------------------------------------

#[test]
fn double_and_surround_votes_are_slashable_and_nothing_else() {
    // Double vote: same target epoch, different data.
    assert!(is_slashable_attestation_data(
        &data(1, 3, 5),
        &data(1, 3, 6)
    ));
    assert!(is_slashable_attestation_data(
        &data(1, 3, 5),
        &data(2, 3, 5)
    ));
    // The same data twice is not.
    assert!(!is_slashable_attestation_data(
        &data(1, 3, 5),
        &data(1, 3, 5)
    ));
    // Surround: 1 → 10 surrounds 2 → 9 (in that order only).
    assert!(is_slashable_attestation_data(
        &data(1, 10, 5),
        &data(2, 9, 5)
    ));
    assert!(!is_slashable_attestation_data(
        &data(2, 9, 5),
        &data(1, 10, 5)
    ));
    // Sharing a source, or touching targets, is not a surround.
    assert!(!is_slashable_attestation_data(
        &data(1, 10, 5),
        &data(1, 9, 5)
    ));
    // Same target epoch with another source: a double vote, whichever comes first.
    assert!(is_slashable_attestation_data(
        &data(2, 10, 5),
        &data(1, 10, 5)
    ));
    // Consecutive links (1 → 4, 4 → 8) are honest.
    assert!(!is_slashable_attestation_data(
        &data(1, 4, 5),
        &data(4, 8, 5)
    ));
    assert!(!is_slashable_attestation_data(
        &data(4, 8, 5),
        &data(1, 4, 5)
    ));
}

#[test]
fn an_attester_slashing_slashes_the_slashable_intersection_in_order() {
    let mut chain = Chain::new(Preset::deneb(), 16, 10);
    chain
        .proposer_slashing(&equivocation(6), 0)
        .expect("6 is slashed already");
    let evidence = double_vote(&[1, 2, 6, 7, 9, 12], &[0, 2, 6, 9, 12, 15]);
    let list = chain.attester_slashing(&evidence, 0).expect("slashed");
    let slashed: Vec<u64> = list.iter().map(|s| s.index.0).collect();
    // In both: 2, 6, 9, 12; 6 is no longer slashable.
    assert_eq!(slashed, vec![2, 9, 12]);
    for i in [2, 9, 12] {
        assert!(chain.validators[i].slashed);
        assert_eq!(chain.balances[i], 31 * ETH);
    }
    for i in [1, 7, 15] {
        assert!(!chain.validators[i].slashed);
    }
    // The proposer got three rewards (and one from the first slashing).
    assert_eq!(chain.balances[0], 32 * ETH + 4 * 62_500_000);
    assert_eq!(chain.slashings[10], 4 * 32 * ETH);
    // Each reported balance is the final one.
    assert!(
        list.iter()
            .all(|s| s.balance == chain.balances[s.index.0 as usize])
    );
}

#[test]
fn attester_slashing_refusals_leave_everything_unchanged() {
    let mut chain = Chain::new(Preset::deneb(), 8, 10);
    let same = AttesterSlashing {
        attestation_1: indexed(&[1], data(1, 3, 5)),
        attestation_2: indexed(&[1], data(1, 3, 5)),
    };
    chain.refuses(ValidatorError::NotSlashableAttestations.into(), |c| {
        c.attester_slashing(&same, 0)
    });
    // Not slashable data is checked before the indices.
    let same_bad = AttesterSlashing {
        attestation_1: indexed(&[], data(1, 3, 5)),
        attestation_2: indexed(&[], data(1, 3, 5)),
    };
    chain.refuses(ValidatorError::NotSlashableAttestations.into(), |c| {
        c.attester_slashing(&same_bad, 0)
    });
    for (one, two, which) in [
        (&[][..], &[1u64][..], 1u8),
        (&[1], &[], 2),
        (&[2, 1], &[1, 2], 1),
        (&[1, 2], &[1, 1, 2], 2),
    ] {
        chain.refuses(
            ValidatorError::InvalidAttestingIndices { attestation: which }.into(),
            |c| c.attester_slashing(&double_vote(one, two), 0),
        );
    }
    chain.refuses(
        ValidatorError::UnknownValidator {
            index: vi(8),
            count: 8,
        }
        .into(),
        |c| c.attester_slashing(&double_vote(&[1, 8], &[1]), 0),
    );
    // No validator in both.
    chain.refuses(ValidatorError::NoSlashableValidator.into(), |c| {
        c.attester_slashing(&double_vote(&[1, 3], &[2, 4]), 0)
    });
    // In both, but none slashable.
    chain
        .proposer_slashing(&equivocation(1), 0)
        .expect("slashed");
    chain.refuses(ValidatorError::NoSlashableValidator.into(), |c| {
        c.attester_slashing(&double_vote(&[1, 3], &[1, 4]), 0)
    });
}

#[test]
fn an_attester_slashing_is_atomic() {
    // The proposer's balance can take the first reward but not the second: nothing at all
    // may change, not even the first slashing.
    let mut chain = Chain::new(Preset::deneb(), 8, 10);
    chain.balances[0] = u64::MAX - 62_500_000;
    chain.refuses(NumError::Overflow.into(), |c| {
        c.attester_slashing(&double_vote(&[2, 3], &[2, 3]), 0)
    });
    // With one, it fits exactly.
    assert!(chain.attester_slashing(&double_vote(&[2], &[2]), 0).is_ok());
    assert_eq!(chain.balances[0], u64::MAX);
}

#[test]
fn a_slashings_vector_of_the_wrong_length_is_refused() {
    let mut chain = Chain::new(Preset::deneb(), 8, 10);
    chain.slashings.pop();
    chain.refuses(
        ValidatorError::SlashingsLength {
            length: 8191,
            expected: 8192,
        }
        .into(),
        |c| c.proposer_slashing(&equivocation(1), 0),
    );
}

// --- process_slashings: day 1, day 18, day 36 ----------------------------------------------

/// Runs `process_slashings` at `epoch` and returns what it charged, by index.
fn correlation(chain: &mut Chain, epoch: u64) -> Vec<(u64, u64)> {
    chain.epoch = Epoch(epoch);
    let view = chain.view();
    let mut charged = Vec::new();
    process_slashings(
        &chain.preset,
        &chain.validators,
        &mut chain.balances,
        &chain.slashings,
        &view,
        |i, amount| charged.push((i.0, amount)),
    )
    .expect("process_slashings");
    charged
}

#[test]
fn the_seed_timeline_day_1_day_18_day_36() {
    // The seed chain: 6.4-minute epochs (12 s · 32). Slashed at epoch 100 (day 1): one coin.
    let preset = Preset::seed_chain();
    let mut chain = Chain::new(preset, 30, 100);
    for v in &mut chain.validators {
        v.effective_balance = 1000 * ETH;
    }
    chain.balances.iter_mut().for_each(|b| *b = 1000 * ETH);
    let slashed = chain
        .proposer_slashing(&equivocation(7), 0)
        .expect("slashed");
    assert_eq!(
        slashed.penalty, ETH,
        "day 1: an immediate penalty of one coin"
    );
    // Withdrawable at 100 + 8192 = 8292: 8192 epochs · 384 s = 36.4 days.
    assert_eq!(slashed.withdrawable_epoch, Epoch(8292));
    assert_eq!(8192 * 384 / 86_400, 36);
    // The correlation penalty falls at 8292 - 4096 = 4196 (4096 · 384 s = 18.2 days), and
    // only then.
    assert!(correlation(&mut chain, 4195).is_empty());
    // One validator of 30 slashed: adjusted = min(1000 coins · 3, 30 000 coins) = 3000
    // coins; penalty = 32 increments · 3000 // 30 000 · increment = 3.2 → 3 increments of
    // 31.25 coins = 93.75 coins.
    let charged = correlation(&mut chain, 4196);
    assert_eq!(charged, vec![(7, 93_750_000_000)]);
    assert_eq!(chain.balances[7], 1000 * ETH - ETH - 93_750_000_000);
    assert!(correlation(&mut chain, 4197).is_empty());
    // Day 36: withdrawable.
    let v = chain.validators[7];
    assert!(v.withdrawable_epoch <= Epoch(8292) && Epoch(8291) < v.withdrawable_epoch);
    assert!(!v.is_slashable_validator(Epoch(8292)));
}

#[test]
fn a_third_of_the_stake_slashed_burns_whole_effective_balances() {
    // 30 validators of 32 ETH (960 ETH), 10 slashed in one epoch: the vector sums 320 ETH;
    // under PROPORTIONAL_SLASHING_MULTIPLIER_BELLATRIX = 3, 960 ETH = the total, so each
    // slashed validator loses 32 · 960 // 960 = 32 ETH: its whole effective balance.
    for preset in [Preset::bellatrix(), Preset::deneb(), Preset::electra()] {
        let mut chain = Chain::new(preset, 30, 10);
        if preset.fork == Fork::Electra {
            let view = chain.view();
            chain
                .queue
                .upgrade_to_electra(&preset, &chain.validators, &view)
                .expect("upgrade");
        }
        let list = chain
            .attester_slashing(
                &double_vote(&(0..10).collect::<Vec<_>>(), &(0..10).collect::<Vec<_>>()),
                20,
            )
            .expect("slashed");
        assert_eq!(list.len(), 10);
        let after_initial: Vec<u64> = chain.balances[..10].to_vec();
        let charged = correlation(&mut chain, 10 + 4096);
        assert_eq!(charged.len(), 10, "{:?}", preset.fork);
        for (i, amount) in charged {
            // The penalty is the whole effective balance; the balance (32 ETH less the
            // initial penalty) cannot cover it, so it goes to zero.
            assert_eq!(amount, after_initial[i as usize], "{:?}", preset.fork);
            assert_eq!(chain.balances[i as usize], 0, "{:?}", preset.fork);
        }
    }
}

#[test]
fn below_a_third_phase0_to_deneb_truncate_to_whole_increments_and_electra_does_not() {
    // 9 of 30 slashed: adjusted = min(288 · 3, 960) = 864 ETH.
    // Deneb: 32 · 864e9 // 960e9 = 28 (28.8 truncated), · 1e9 = 28 ETH.
    // Electra: per increment 864e9 // (960e9 // 1e9) = 900_000_000; · 32 = 28.8 ETH exactly.
    for (preset, expected) in [
        (Preset::deneb(), 28 * ETH),
        (Preset::electra(), 28_800_000_000),
    ] {
        let mut chain = Chain::new(preset, 30, 10);
        if preset.fork == Fork::Electra {
            let view = chain.view();
            chain
                .queue
                .upgrade_to_electra(&preset, &chain.validators, &view)
                .expect("upgrade");
        }
        let nine: Vec<u64> = (0..9).collect();
        chain
            .attester_slashing(&double_vote(&nine, &nine), 20)
            .expect("slashed");
        let epoch = SlashingsEpoch::new(&preset, Epoch(10 + 4096), 960 * ETH, &chain.slashings)
            .expect("epoch");
        assert_eq!(epoch.adjusted_total_slashing_balance, 864 * ETH);
        let due = chain.validators[0];
        assert_eq!(
            epoch.penalty(&preset, &due),
            Ok(expected),
            "{:?}",
            preset.fork
        );
    }
}

#[test]
fn a_lone_slashing_costs_nothing_more_before_electra_and_a_little_after() {
    // 1,000,000 validators of 32 ETH (32e15 Gwei), one slashed. Deneb: adjusted = 96 ETH;
    // 32 · 96e9 // 32e15 = 0 → no correlation penalty (whole-ETH truncation). Electra:
    // 96e9 // (32e15 // 1e9 = 32e6) = 3000 Gwei per increment, · 32 = 96_000 Gwei.
    let mut slashings = vec![0u64; 8192];
    slashings[5] = 32 * ETH;
    let mut due = active(0);
    due.slashed = true;
    due.withdrawable_epoch = Epoch(5 + 8192);
    for (preset, expected) in [(Preset::deneb(), 0), (Preset::electra(), 96_000)] {
        let epoch =
            SlashingsEpoch::new(&preset, Epoch(5 + 4096), 32_000_000 * ETH, &slashings).expect("e");
        assert_eq!(
            epoch.penalty(&preset, &due),
            Ok(expected),
            "{:?}",
            preset.fork
        );
    }
}

#[test]
fn the_historic_u64_overflow_is_avoided_and_a_real_one_is_an_error() {
    // The first phase0 formula multiplied effective_balance by adjusted_total_slashing_balance:
    // at mainnet size (32 ETH, 10M ETH slashed ·3 capped by a 32M ETH total) that is
    // 32e9 · 30e15 ≈ 9.6e26, far past u64 (1.8e19).
    let total = 32_000_000 * ETH;
    let mut slashings = vec![0u64; 8192];
    slashings[0] = 10_000_000 * ETH;
    let mut due = active(0);
    due.slashed = true;
    due.withdrawable_epoch = Epoch(8192);
    assert_eq!((32 * ETH).checked_mul(30_000_000 * ETH), None);
    let preset = Preset::deneb();
    let epoch = SlashingsEpoch::new(&preset, Epoch(4096), total, &slashings).expect("epoch");
    // With the increment factored out: 32 · 30e15 = 9.6e17 fits; // 32e15 = 30, · 1e9.
    assert_eq!(epoch.penalty(&preset, &due), Ok(30 * ETH));
    // A sum of the vector past u64 is an overflow (the spec's uint64), not a wrap.
    slashings[1] = u64::MAX;
    assert_eq!(
        SlashingsEpoch::new(&preset, Epoch(4096), total, &slashings),
        Err(NumError::Overflow.into())
    );
    // So is the product with the multiplier.
    slashings[1] = u64::MAX / 3;
    assert_eq!(
        SlashingsEpoch::new(&preset, Epoch(4096), total, &slashings),
        Err(NumError::Overflow.into())
    );
}

#[test]
fn process_slashings_checks_every_penalty_before_writing() {
    // A crafted validator whose increments times the adjusted balance overflow.
    let preset = Preset::deneb();
    let mut chain = Chain::new(preset, 4, 4096);
    chain.slashings[0] = u64::MAX / 4;
    for i in [1usize, 3] {
        chain.validators[i].slashed = true;
        chain.validators[i].withdrawable_epoch = Epoch(8192);
    }
    chain.validators[3].effective_balance = u64::MAX;
    let before = chain.balances.clone();
    let view = EpochView {
        current: Epoch(4096),
        finalized: Epoch(0),
        active_validators: 4,
        total_active_balance: u64::MAX,
    };
    let result = process_slashings(
        &preset,
        &chain.validators,
        &mut chain.balances,
        &chain.slashings,
        &view,
        |_, _| {},
    );
    assert_eq!(result, Err(NumError::Overflow.into()));
    assert_eq!(chain.balances, before);
}

#[test]
fn the_reset_clears_the_next_epochs_entry_only() {
    let preset = Preset::phase0();
    let mut slashings: Vec<u64> = (1..=8192).collect();
    process_slashings_reset(&preset, &mut slashings, Epoch(8191)).expect("reset");
    // (8191 + 1) % 8192 = 0.
    assert_eq!(slashings[0], 0);
    assert_eq!(slashings[1..].iter().filter(|x| **x == 0).count(), 0);
    process_slashings_reset(&preset, &mut slashings, Epoch(9)).expect("reset");
    assert_eq!(slashings[10], 0);
    assert_eq!(
        process_slashings_reset(&preset, &mut slashings, Epoch(u64::MAX)),
        Err(NumError::Overflow.into())
    );
    assert_eq!(
        process_slashings_reset(&preset, &mut slashings[1..], Epoch(1)),
        Err(ValidatorError::SlashingsLength {
            length: 8191,
            expected: 8192
        }
        .into())
    );
}
