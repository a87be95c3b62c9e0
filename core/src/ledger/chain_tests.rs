//! The proof-of-stake chain through [`Ledger::apply`]: genesis, deposits, exits, attestations and
//! epochs; finality reached, lost and regained; every error of the chain's messages leaving the
//! ledger unchanged; snapshots.

extern crate std;
use std::vec::Vec;

use super::*;
use crate::finality::{Checkpoint, FinalityError};
use crate::ids::{Epoch, Timestamp, ValidatorIndex};
use crate::msg::Attesters;
use crate::validator::{
    AttestationData, AttesterSlashing, BeaconBlockHeader, DepositData, FAR_FUTURE_EPOCH, Fork,
    IncludingBlock, Inclusion, IndexedAttestation, ParticipationFlags, Preset, PresetParameter,
    ProposerSlashing, SlashingIndices, Validator, ValidatorError, VoluntaryExit,
};

const ADMIN: AccountId = AccountId([0xad; 20]);
const HOST: AccountId = AccountId([0x40; 20]);
/// The seed chain's validator deposit: 1000 coins, in Gwei.
const FULL: u64 = 1_000_000_000_000;

fn key(n: u8) -> [u8; 48] {
    [n; 48]
}

fn deposit(n: u8, amount: u64) -> DepositData {
    let mut withdrawal_credentials = [0xaa; 32];
    withdrawal_credentials[0] = 0x01;
    DepositData {
        pubkey: key(n),
        withdrawal_credentials,
        amount,
        signature: [7; 96],
    }
}

fn ctx() -> Context {
    Context::new(HOST, Timestamp(1_800_000_000), 1)
}

/// A ledger whose seed chain starts with `n` full validators.
fn chain_of(n: u8, preset: Preset) -> Ledger {
    let genesis = ChainGenesis {
        preset,
        deposits: (1..=n).map(|i| deposit(i, FULL)).collect(),
    };
    Ledger::with_chain(
        StakeParams::btfs(),
        Council::single(ADMIN),
        Chain::genesis(&genesis).unwrap(),
    )
    .unwrap()
}

/// The root the host's chain has at the start of `epoch` in these tests.
fn root(epoch: u64) -> [u8; 32] {
    let mut r = [0x11; 32];
    r[..8].copy_from_slice(&epoch.to_le_bytes());
    r
}

fn checkpoint(epoch: u64) -> Checkpoint {
    Checkpoint {
        epoch: Epoch(epoch),
        root: root(epoch),
    }
}

fn attesters(indices: &[u64]) -> Attesters {
    Attesters::from_slice(
        &indices
            .iter()
            .map(|&i| ValidatorIndex(i))
            .collect::<Vec<_>>(),
    )
    .unwrap()
}

/// An attestation of `voters` to the current epoch's first slot with `source` and `target`,
/// included one slot later by validator 0 in the host's chain of [`root`]s.
fn attestation(ledger: &Ledger, voters: &[u64], source: Checkpoint, target: Checkpoint) -> Msg {
    let epoch = ledger.chain().epoch_state().current_epoch.0;
    let start = epoch * 32;
    Msg::Attest {
        data: AttestationData {
            slot: crate::ids::Slot(start),
            index: 0,
            beacon_block_root: [0xbe; 32],
            source,
            target,
        },
        validators: attesters(voters),
        block: IncludingBlock {
            slot: crate::ids::Slot(start + 1),
            proposer: ValidatorIndex(0),
            target_root: root(epoch),
            head_root: [0xbe; 32],
        },
    }
}

/// `voters` vote for the current epoch's checkpoint with the right source (the current
/// justified checkpoint), as an honest attester during the epoch does.
fn attest_current(ledger: &mut Ledger, voters: &[u64]) -> Result<Events, Error> {
    let state = ledger.chain().epoch_state();
    let msg = attestation(
        ledger,
        voters,
        state.finality.current_justified,
        checkpoint(state.current_epoch.0),
    );
    ledger.apply(&ctx(), &msg)
}

fn end_epoch(ledger: &mut Ledger) -> Events {
    let current = ledger.chain().epoch_state().current_epoch.0;
    let msg = Msg::ProcessEpoch {
        previous_epoch_root: root(current.saturating_sub(1)),
        current_epoch_root: root(current),
    };
    ledger.apply(&ctx(), &msg).unwrap()
}

/// Ends the current epoch after `voters` attested to it.
fn epoch_with(ledger: &mut Ledger, voters: &[u64]) -> Events {
    if !voters.is_empty() {
        attest_current(ledger, voters).unwrap();
    }
    end_epoch(ledger)
}

fn justified(events: &[Event]) -> Vec<u64> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Justified { epoch, .. } => Some(epoch.0),
            _ => None,
        })
        .collect()
}

fn finalized(events: &[Event]) -> Option<u64> {
    events.iter().find_map(|e| match e {
        Event::Finalized { epoch, .. } => Some(epoch.0),
        _ => None,
    })
}

/// Applies `msg`, expects `error`, and checks the ledger did not change.
fn refused(ledger: &mut Ledger, msg: Msg, error: impl Into<Error>) {
    let before = ledger.clone();
    assert_eq!(ledger.apply(&ctx(), &msg), Err(error.into()));
    assert_eq!(*ledger, before, "{msg:?} changed the ledger");
}

#[test]
fn genesis_activates_full_deposits_only() {
    let genesis = ChainGenesis {
        preset: Preset::seed_chain(),
        deposits: [
            deposit(1, FULL),
            deposit(2, FULL - 1),
            // Validator 3 deposits in two halves before genesis.
            deposit(3, FULL / 2),
            deposit(3, FULL / 2),
        ]
        .to_vec(),
    };
    let chain = Chain::genesis(&genesis).unwrap();
    let v: Vec<&Validator> = chain.validators().iter().collect();
    assert_eq!(v.len(), 3);
    // Full: active from epoch 0, effective balance the maximum.
    assert_eq!(v[0].activation_epoch, Epoch(0));
    assert_eq!(v[0].activation_eligibility_epoch, Epoch(0));
    assert_eq!(v[0].effective_balance, FULL);
    // One Gwei short: rounded down a whole increment (31.25 coins), not active, not queued.
    assert_eq!(v[1].effective_balance, FULL - 31_250_000_000);
    assert_eq!(v[1].activation_epoch, FAR_FUTURE_EPOCH);
    assert_eq!(v[1].activation_eligibility_epoch, FAR_FUTURE_EPOCH);
    // Two halves: the genesis loop sets the effective balance from the whole balance.
    assert_eq!(v[2].effective_balance, FULL);
    assert_eq!(v[2].activation_epoch, Epoch(0));
    assert_eq!(chain.balances(), [FULL, FULL - 1, FULL]);
    assert_eq!(chain.index_of(&key(3)), Some(ValidatorIndex(2)));
}

#[test]
fn a_genesis_refuses_what_a_deposit_refuses() {
    let small = ChainGenesis {
        preset: Preset::seed_chain(),
        deposits: [deposit(1, FULL), deposit(2, 1)].to_vec(),
    };
    assert_eq!(
        Chain::genesis(&small),
        Err(ValidatorError::BelowMinDeposit {
            amount: 1,
            min: 31_250_000_000
        }
        .into())
    );
    let broken = ChainGenesis {
        preset: Preset {
            slots_per_epoch: 0,
            ..Preset::seed_chain()
        },
        deposits: [deposit(1, FULL)].to_vec(),
    };
    assert_eq!(
        Chain::genesis(&broken),
        Err(ValidatorError::ZeroParameter {
            parameter: crate::validator::PresetParameter::SlotsPerEpoch
        }
        .into())
    );
}

#[test]
fn electra_genesis_credits_pending_deposits_and_activates_at_the_minimum() {
    let mut compounding = deposit(2, 2 * FULL);
    compounding.withdrawal_credentials[0] = 0x02;
    let genesis = ChainGenesis {
        preset: Preset {
            fork: Fork::Electra,
            ..Preset::seed_chain()
        },
        deposits: [deposit(1, FULL), compounding, deposit(3, FULL / 2)].to_vec(),
    };
    let chain = Chain::genesis(&genesis).unwrap();
    assert!(chain.pending_deposits().is_empty());
    assert_eq!(chain.balances(), [FULL, 2 * FULL, FULL / 2]);
    let effective: Vec<u64> = chain
        .validators()
        .iter()
        .map(|v| v.effective_balance)
        .collect();
    // A compounding validator keeps up to MAX_EFFECTIVE_BALANCE_ELECTRA.
    assert_eq!(effective, [FULL, 2 * FULL, FULL / 2]);
    let active: Vec<bool> = chain
        .validators()
        .iter()
        .map(|v| v.activation_epoch == Epoch(0))
        .collect();
    assert_eq!(active, [true, true, false]);
}

#[test]
fn finality_is_reached_lost_and_regained() {
    let mut l = chain_of(4, Preset::seed_chain());
    let all = [0, 1, 2, 3];
    // Epochs 0 and 1: the genesis guard, nothing is justified whatever the votes.
    for _ in 0..2 {
        let events = epoch_with(&mut l, &all);
        assert!(justified(&events).is_empty());
    }
    // Epoch 2: all voted for epochs 1 and 2 (the epoch-1 votes are now previous-epoch votes).
    let events = epoch_with(&mut l, &all);
    assert_eq!(justified(&events), [1, 2]);
    assert_eq!(finalized(&events), None);
    // Epoch 3: 2 and 3 justified in a row, 2 is finalized (bits 0 and 1, source + 1).
    let events = epoch_with(&mut l, &all);
    assert_eq!(justified(&events), [3]);
    assert_eq!(finalized(&events), Some(2));
    assert_eq!(
        l.chain().epoch_state().finality.finalized,
        checkpoint(2),
        "the finalized checkpoint carries the host's root"
    );

    // Two of four validators go quiet: half the balance is below two thirds.
    for _ in 0..3 {
        let events = epoch_with(&mut l, &[0, 1]);
        assert!(justified(&events).is_empty());
        assert_eq!(finalized(&events), None);
    }
    assert_eq!(l.chain().epoch_state().finality.finalized.epoch, Epoch(2));

    // Three of four is back above two thirds: epoch 7 is justified with source 3, too far
    // back to finalize anything; epoch 8 then finalizes 7.
    let events = epoch_with(&mut l, &[0, 1, 2]);
    assert_eq!(justified(&events), [7]);
    assert_eq!(finalized(&events), None);
    let events = epoch_with(&mut l, &[0, 1, 2]);
    assert_eq!(justified(&events), [8]);
    assert_eq!(finalized(&events), Some(7));
}

#[test]
fn exactly_two_thirds_justifies_and_one_validator_less_does_not() {
    // Three equal validators: 2 of 3 is exactly two thirds (3 · 2B ≥ 2 · 3B).
    let mut l = chain_of(3, Preset::seed_chain());
    for _ in 0..2 {
        epoch_with(&mut l, &[0, 1, 2]);
    }
    let events = epoch_with(&mut l, &[0, 1]);
    assert_eq!(
        justified(&events),
        [1, 2],
        "epoch 1 had three votes, epoch 2 exactly two thirds"
    );
    let Some(Event::EpochProcessed {
        total_active_balance,
        current_target_balance,
        ..
    }) = events.first().copied()
    else {
        panic!("EpochProcessed first: {events:?}")
    };
    assert_eq!(3 * current_target_balance, 2 * total_active_balance);
    // One validator short of two thirds: nothing new.
    let events = epoch_with(&mut l, &[0]);
    assert!(justified(&events).is_empty());
}

#[test]
fn attestation_errors() {
    let mut l = chain_of(4, Preset::seed_chain());
    for _ in 0..3 {
        end_epoch(&mut l);
    }
    let source = l.chain().epoch_state().finality.current_justified;
    // Epoch 3: a target of epoch 1 or 4 is refused.
    for target in [1, 4] {
        let mut msg = attestation(&l, &[0], source, checkpoint(target));
        if let Msg::Attest { data, .. } = &mut msg {
            data.slot = crate::ids::Slot(target * 32);
        }
        refused(
            &mut l,
            msg,
            FinalityError::TargetEpochOutOfRange {
                target: Epoch(target),
                current: Epoch(3),
            },
        );
    }
    let msg = attestation(&l, &[], source, checkpoint(3));
    refused(&mut l, msg, FinalityError::NoAttesters);
    let msg = attestation(&l, &[0, 4], source, checkpoint(3));
    refused(
        &mut l,
        msg,
        ValidatorError::UnknownValidator {
            index: ValidatorIndex(4),
            count: 4,
        },
    );
    let msg = attestation(&l, &[0], checkpoint(1), checkpoint(3));
    refused(
        &mut l,
        msg,
        FinalityError::WrongSource {
            expected: source.epoch,
            found: Epoch(1),
        },
    );
    // Timely source, target and head: the proposer earns its share.
    let events = l
        .apply(&ctx(), &attestation(&l, &[0, 1], source, checkpoint(3)))
        .unwrap();
    let [
        Event::Attested {
            target_epoch,
            attesters,
            flags,
            proposer_reward,
        },
    ] = events[..]
    else {
        panic!("{events:?}")
    };
    assert_eq!(
        (target_epoch, attesters, flags),
        (Epoch(3), 2, ParticipationFlags::ALL)
    );
    assert!(proposer_reward > 0);
}

#[test]
fn a_wrong_root_earns_fewer_flags_and_no_target_weight() {
    let mut l = chain_of(3, Preset::seed_chain());
    for _ in 0..2 {
        epoch_with(&mut l, &[0, 1, 2]);
    }
    // At epoch 2, validator 1 names a target root that is not the chain's: a timely source
    // only, so its vote does not count for justification.
    let wrong_root = attestation(
        &l,
        &[1],
        Checkpoint::GENESIS,
        Checkpoint {
            epoch: Epoch(2),
            root: [0xee; 32],
        },
    );
    let events = l.apply(&ctx(), &wrong_root).unwrap();
    assert!(matches!(
        events[..],
        [Event::Attested { flags, .. }] if flags == ParticipationFlags::NONE.add_flag(0)
    ));
    let events = epoch_with(&mut l, &[0]);
    let Some(Event::EpochProcessed {
        current_target_balance,
        previous_target_balance,
        ..
    }) = events.first().copied()
    else {
        panic!("{events:?}")
    };
    assert_eq!(current_target_balance, FULL);
    assert_eq!(previous_target_balance, 3 * FULL);
    assert_eq!(justified(&events), [1]);
}

#[test]
fn deposits_create_and_top_up_validators_who_activate_after_finality() {
    let mut l = chain_of(4, Preset::seed_chain());
    let events = l
        .apply(
            &ctx(),
            &Msg::Deposit {
                deposit: deposit(9, FULL / 2),
            },
        )
        .unwrap();
    assert_eq!(
        events,
        [Event::ValidatorDeposited {
            index: ValidatorIndex(4),
            amount: FULL / 2,
            balance: FULL / 2
        }]
    );
    let events = l
        .apply(
            &ctx(),
            &Msg::Deposit {
                deposit: deposit(9, FULL / 2),
            },
        )
        .unwrap();
    assert_eq!(
        events,
        [Event::ValidatorDeposited {
            index: ValidatorIndex(4),
            amount: FULL / 2,
            balance: FULL
        }]
    );
    refused(
        &mut l,
        Msg::Deposit {
            deposit: deposit(10, 31_250_000_000 - 1),
        },
        ValidatorError::BelowMinDeposit {
            amount: 31_250_000_000 - 1,
            min: 31_250_000_000,
        },
    );
    // End of epoch 0: the effective balance catches up with the balance; epoch 1: it joins
    // the queue (eligibility epoch 2); it is activated once epoch 2 is finalized (end of
    // epoch 3), at compute_activation_exit_epoch(3) = 3 + 1 + 4 = 8.
    let mut activated = None;
    for _ in 0..4 {
        let events = epoch_with(&mut l, &[0, 1, 2, 3]);
        activated = activated.or(events.iter().find_map(|e| match e {
            Event::ValidatorActivated { index, epoch } => Some((index.0, epoch.0)),
            _ => None,
        }));
    }
    assert_eq!(
        l.chain().validators()[4].activation_eligibility_epoch,
        Epoch(2)
    );
    assert_eq!(activated, Some((4, 8)));
}

#[test]
fn electra_deposits_wait_in_the_queue_and_are_credited_at_an_epoch_end() {
    let mut l = chain_of(
        4,
        Preset {
            fork: Fork::Electra,
            ..Preset::seed_chain()
        },
    );
    let events = l
        .apply(
            &ctx(),
            &Msg::Deposit {
                deposit: deposit(1, FULL),
            },
        )
        .unwrap();
    assert_eq!(
        events,
        [Event::DepositQueued {
            index: ValidatorIndex(0),
            amount: FULL
        }]
    );
    let events = l
        .apply(
            &ctx(),
            &Msg::Deposit {
                deposit: deposit(9, FULL),
            },
        )
        .unwrap();
    assert_eq!(
        events,
        [Event::DepositQueued {
            index: ValidatorIndex(4),
            amount: FULL
        }]
    );
    assert_eq!(l.chain().balances()[4], 0, "registered with a zero balance");
    assert_eq!(l.chain().pending_deposits().len(), 2);
    let events = end_epoch(&mut l);
    let credited: Vec<(u64, u64)> = events
        .iter()
        .filter_map(|e| match e {
            Event::ValidatorDeposited { index, amount, .. } => Some((index.0, *amount)),
            _ => None,
        })
        .collect();
    assert_eq!(credited, [(0, FULL), (4, FULL)]);
    assert!(l.chain().pending_deposits().is_empty());
    assert_eq!(l.chain().balances()[0], 2 * FULL);
}

#[test]
fn voluntary_exit_after_the_minimum_active_age() {
    let mut l = chain_of(4, Preset::seed_chain());
    let exit = |epoch: u64| Msg::VoluntaryExit {
        exit: VoluntaryExit {
            epoch: Epoch(epoch),
            validator_index: ValidatorIndex(1),
        },
    };
    // SHARD_COMMITTEE_PERIOD is 256 epochs: too young at epoch 0.
    refused(
        &mut l,
        exit(0),
        ValidatorError::TooYoungToExit {
            index: ValidatorIndex(1),
            allowed_from: Epoch(256),
        },
    );
    refused(
        &mut l,
        Msg::VoluntaryExit {
            exit: VoluntaryExit {
                epoch: Epoch(0),
                validator_index: ValidatorIndex(7),
            },
        },
        ValidatorError::UnknownValidator {
            index: ValidatorIndex(7),
            count: 4,
        },
    );
    for _ in 0..256 {
        end_epoch(&mut l);
    }
    refused(
        &mut l,
        exit(257),
        ValidatorError::ExitNotYetValid {
            index: ValidatorIndex(1),
            valid_from: Epoch(257),
        },
    );
    let events = l.apply(&ctx(), &exit(256)).unwrap();
    // compute_activation_exit_epoch(256) = 261; withdrawable 256 epochs later.
    assert_eq!(
        events,
        [Event::ValidatorExiting {
            index: ValidatorIndex(1),
            exit_epoch: Epoch(261),
            withdrawable_epoch: Epoch(261 + 256),
        }]
    );
    refused(
        &mut l,
        exit(256),
        ValidatorError::ExitAlreadyInitiated {
            index: ValidatorIndex(1),
            exit_epoch: Epoch(261),
        },
    );
}

#[test]
fn the_pure_globals_refuse_chain_messages() {
    let mut globals = Globals::new(StakeParams::btfs(), Council::single(ADMIN)).unwrap();
    let mut account = StakeAccount::EMPTY;
    let msg = Msg::ProcessEpoch {
        previous_epoch_root: [0; 32],
        current_epoch_root: [0; 32],
    };
    assert_eq!(
        globals.apply(&mut account, &ctx(), &msg),
        Err(StateError::ChainMessage.into())
    );
}

#[test]
fn a_failed_epoch_changes_nothing() {
    // An epoch at the end of time: the next epoch does not exist.
    let mut l = chain_of(4, Preset::seed_chain());
    attest_current(&mut l, &[0, 1]).unwrap();
    let mut records = l.chain.records();
    records.epoch.current_epoch = Epoch(u64::MAX);
    l.chain = Chain::restore(records).unwrap();
    refused(
        &mut l,
        Msg::ProcessEpoch {
            previous_epoch_root: [0; 32],
            current_epoch_root: [0; 32],
        },
        crate::num::NumError::Overflow,
    );
}

#[test]
fn snapshots_carry_the_chain() {
    let mut l = chain_of(4, Preset::seed_chain());
    for _ in 0..4 {
        epoch_with(&mut l, &[0, 1, 2, 3]);
    }
    attest_current(&mut l, &[3, 1]).unwrap();
    attest_current(&mut l, &[0]).unwrap();
    let bytes = l.snapshot();
    assert_eq!(bytes[0], SNAPSHOT_VERSION);
    let restored = Ledger::restore(&bytes).unwrap();
    assert_eq!(restored.snapshot(), bytes);
    assert_eq!(restored.chain().epoch_state(), l.chain().epoch_state());
    assert_eq!(restored.chain().index_of(&key(4)), Some(ValidatorIndex(3)));
    // The running totals are rebuilt from the records, equal to the kept ones.
    assert_eq!(restored.chain().totals(), l.chain().totals());
    assert_eq!(restored.chain().participation(), l.chain().participation());
}

#[test]
fn a_version_1_snapshot_restores_with_a_genesis_chain() {
    let l = Ledger::new(StakeParams::btfs(), Council::single(ADMIN)).unwrap();
    let mut v1 = alloc::vec![1u8];
    l.globals().encode_to(&mut v1);
    Vec::<(AccountId, StakeAccount)>::new().encode_to(&mut v1);
    let restored = Ledger::restore(&v1).unwrap();
    assert_eq!(restored, l);
    assert_eq!(restored.chain().preset(), &Preset::seed_chain());
}

#[test]
fn inconsistent_chain_records_are_refused() {
    let l = chain_of(3, Preset::seed_chain());
    let tamper = |change: &dyn Fn(&mut ChainRecords)| {
        let mut records = l.chain.records();
        change(&mut records);
        let snapshot = Snapshot {
            globals: l.globals.clone(),
            accounts: Vec::new(),
            chain: records,
        };
        Ledger::restore(&wire::to_bytes(SNAPSHOT_VERSION, &snapshot))
    };
    let mismatch = Err(StateError::ChainMismatch.into());
    assert!(tamper(&|_| {}).is_ok());
    assert_eq!(tamper(&|r| r.balances.truncate(2)), mismatch);
    assert_eq!(tamper(&|r| r.slashings.0.truncate(8191)), mismatch);
    assert_eq!(
        tamper(&|r| r.validators[1].pubkey = r.validators[0].pubkey),
        mismatch
    );
    assert_eq!(
        tamper(&|r| r.validators[1].exit_epoch = Epoch(9)),
        mismatch,
        "an exit the queue summary does not know"
    );
    assert_eq!(
        tamper(&|r| r.epoch.finality.finalized.epoch = Epoch(1)),
        mismatch
    );
    assert_eq!(tamper(&|r| r.inactivity_scores.push(0)), mismatch);
    assert_eq!(
        tamper(&|r| {
            r.current_epoch_participation.pop();
        }),
        mismatch
    );
    assert_eq!(
        tamper(&|r| r.previous_epoch_participation[0] = ParticipationFlags(0b1000)),
        mismatch,
        "a flag beyond the three defined"
    );
    assert_eq!(
        tamper(&|r| r.previous_epoch_inclusions.push(Inclusion::default())),
        mismatch,
        "inclusions are phase0's"
    );
    assert_eq!(
        tamper(&|r| r.preset.slots_per_epoch = 0),
        Err(ValidatorError::ZeroParameter {
            parameter: crate::validator::PresetParameter::SlotsPerEpoch
        }
        .into())
    );
}

// ---------------------------------------------------------------------------------------
// Slashing
// ---------------------------------------------------------------------------------------

fn equivocation(proposer: u64) -> Msg {
    let header = |body: u8| BeaconBlockHeader {
        slot: crate::ids::Slot(70),
        proposer_index: ValidatorIndex(proposer),
        parent_root: [1; 32],
        state_root: [2; 32],
        body_root: [body; 32],
    };
    Msg::ProposerSlashing {
        proposer: ValidatorIndex(0),
        evidence: ProposerSlashing {
            header_1: header(3),
            header_2: header(4),
        },
    }
}

fn double_vote(indices: &[u64]) -> Msg {
    let attestation = |head: u8| IndexedAttestation {
        attesting_indices: indices
            .iter()
            .map(|&i| ValidatorIndex(i))
            .collect::<SlashingIndices>(),
        data: AttestationData {
            slot: crate::ids::Slot(64),
            index: 0,
            beacon_block_root: [head; 32],
            source: Checkpoint::GENESIS,
            target: checkpoint(2),
        },
    };
    Msg::AttesterSlashing {
        proposer: ValidatorIndex(0),
        evidence: AttesterSlashing {
            attestation_1: attestation(5),
            attestation_2: attestation(6),
        },
    }
}

/// The seed's timeline through the ledger: slashed at epoch 3 (day 1: one coin, an exit, a
/// reward for the proposer), the correlation penalty at 3 + 4096 (day 18), withdrawable at
/// 3 + 8192 (day 36); the slashings vector and its snapshot.
#[test]
fn a_slashed_validator_from_day_1_to_day_36() {
    let mut l = chain_of(6, Preset::seed_chain());
    for _ in 0..3 {
        epoch_with(&mut l, &[0, 1, 2, 3, 4, 5]);
    }
    let proposer_before = l.chain().validator(ValidatorIndex(0)).unwrap().1;
    let events = l.apply(&ctx(), &equivocation(4)).unwrap();
    // 10^12 // 1000 = 10^9; whistleblower 10^12 // 512 = 1_953_125_000, all to the proposer;
    // exit at 3 + 1 + 4 = 8; withdrawable max(8 + 256, 3 + 8192).
    assert_eq!(
        events,
        alloc::vec![Event::ValidatorSlashed {
            index: ValidatorIndex(4),
            penalty: 1_000_000_000,
            exit_epoch: Epoch(8),
            withdrawable_epoch: Epoch(8195),
            proposer: ValidatorIndex(0),
            reward: 1_953_125_000,
        }]
    );
    assert_eq!(l.chain().slashings()[3], FULL);
    assert_eq!(
        l.chain().validator(ValidatorIndex(0)).unwrap().1,
        proposer_before + 1_953_125_000
    );
    // Slashed twice: refused, nothing changes.
    refused(
        &mut l,
        equivocation(4),
        ValidatorError::NotSlashable {
            index: ValidatorIndex(4),
            slashed: true,
            activation_epoch: Epoch(0),
            withdrawable_epoch: Epoch(8195),
        },
    );
    // The snapshot keeps the vector (sparsely) and restores it.
    let bytes = l.snapshot();
    let restored = Ledger::restore(&bytes).unwrap();
    assert_eq!(restored, l);
    assert_eq!(restored.chain().slashings()[3], FULL);
    // The sparse vector: a few bytes, not 64 KiB.
    assert!(bytes.len() < 4_000, "{}", bytes.len());

    // Day 18: the end of epoch 3 + 4096 charges the correlation penalty, once. Validator 4
    // has been paying missed-vote penalties as a slashed validator (eligible until
    // withdrawable), so its effective balance is lower by then: the penalty is its
    // increments · min(1000 coins · 3, total) // total, in whole increments of 31.25 coins.
    let mut charged = Vec::new();
    let mut due = None;
    while l.chain().epoch_state().current_epoch.0 <= 4099 {
        if l.chain().epoch_state().current_epoch.0 == 4099 {
            let (v, balance) = l.chain().validator(ValidatorIndex(4)).unwrap();
            due = Some((
                v.effective_balance,
                balance,
                l.chain().view().total_active_balance,
            ));
        }
        let events = epoch_with(&mut l, &[0, 1, 2, 3, 5]);
        charged.extend(events.iter().filter_map(|e| match e {
            Event::CorrelationPenalty { index, penalty } => Some((
                l.chain().epoch_state().current_epoch.0 - 1,
                index.0,
                *penalty,
            )),
            _ => None,
        }));
    }
    let (effective, balance, total) = due.unwrap();
    let increment = 31_250_000_000;
    let penalty = effective / increment * (3 * FULL).min(total) / total * increment;
    assert!(penalty > 0 && effective < FULL, "{effective} {total}");
    assert_eq!(charged, alloc::vec![(4099, 4, penalty)]);
    // (The epoch's own missed-vote penalty came first.)
    let after = l.chain().validator(ValidatorIndex(4)).unwrap().1;
    assert!(after < balance - penalty && after > balance - penalty - FULL / 100);
    // Day 36: not slashable any more, withdrawable.
    let v = *l.chain().validator(ValidatorIndex(4)).unwrap().0;
    assert_eq!(v.withdrawable_epoch, Epoch(8195));
    assert!(v.slashed && v.exit_epoch == Epoch(8));
}

#[test]
fn an_attester_slashing_slashes_each_validator_in_both_votes() {
    let mut l = chain_of(8, Preset::seed_chain());
    epoch_with(&mut l, &[0, 1, 2, 3, 4, 5, 6, 7]);
    let events = l.apply(&ctx(), &double_vote(&[2, 5, 6])).unwrap();
    let slashed: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            Event::ValidatorSlashed { index, .. } => Some(index.0),
            _ => None,
        })
        .collect();
    assert_eq!(slashed, alloc::vec![2, 5, 6]);
    assert_eq!(l.chain().slashings()[1], 3 * FULL);
    // Slashed validators' votes no longer count.
    assert!(l.chain().validator(ValidatorIndex(5)).unwrap().0.slashed);
}

#[test]
fn slashing_errors_leave_the_ledger_unchanged() {
    let mut l = chain_of(4, Preset::seed_chain());
    epoch_with(&mut l, &[0, 1, 2, 3]);
    refused(
        &mut l,
        equivocation(9),
        ValidatorError::UnknownValidator {
            index: ValidatorIndex(9),
            count: 4,
        },
    );
    let Msg::ProposerSlashing { evidence, .. } = equivocation(1) else {
        unreachable!()
    };
    refused(
        &mut l,
        Msg::ProposerSlashing {
            proposer: ValidatorIndex(4),
            evidence,
        },
        ValidatorError::UnknownValidator {
            index: ValidatorIndex(4),
            count: 4,
        },
    );
    refused(
        &mut l,
        double_vote(&[]),
        ValidatorError::InvalidAttestingIndices { attestation: 1 },
    );
    refused(
        &mut l,
        double_vote(&[3, 1]),
        ValidatorError::InvalidAttestingIndices { attestation: 1 },
    );
    let Msg::AttesterSlashing { evidence, .. } = double_vote(&[1]) else {
        unreachable!()
    };
    let same = AttesterSlashing {
        attestation_2: evidence.attestation_1.clone(),
        ..evidence
    };
    refused(
        &mut l,
        Msg::AttesterSlashing {
            proposer: ValidatorIndex(0),
            evidence: same,
        },
        ValidatorError::NotSlashableAttestations,
    );
    l.apply(&ctx(), &double_vote(&[1])).unwrap();
    refused(
        &mut l,
        double_vote(&[1]),
        ValidatorError::NoSlashableValidator,
    );
}

#[test]
fn a_version_2_snapshot_restores_only_without_waiting_votes() {
    // A chain at epoch 2 with no participation recorded, as version 2 wrote it.
    let mut l = chain_of(4, Preset::seed_chain());
    end_epoch(&mut l);
    end_epoch(&mut l);
    let records = l.chain.records();
    let v2_with = |preset: &Preset, votes: &[(ValidatorIndex, Checkpoint, Checkpoint)]| {
        let mut v2 = alloc::vec![2u8];
        l.globals().encode_to(&mut v2);
        Vec::<(AccountId, StakeAccount)>::new().encode_to(&mut v2);
        preset.encode_to(&mut v2);
        records.epoch.encode_to(&mut v2);
        records.validators.encode_to(&mut v2);
        records.balances.encode_to(&mut v2);
        records.pending_deposits.encode_to(&mut v2);
        votes.to_vec().encode_to(&mut v2);
        v2
    };
    let v2 = |votes: &[(ValidatorIndex, Checkpoint, Checkpoint)]| v2_with(&records.preset, votes);
    let restored = Ledger::restore(&v2(&[])).unwrap();
    assert_eq!(restored, l);
    assert!(restored.chain().slashings().iter().all(|x| *x == 0));
    assert_eq!(restored.chain().slashings().len(), 8192);
    // Votes waiting cannot become participation (their roots are not in the snapshot).
    let vote = (ValidatorIndex(0), Checkpoint::GENESIS, checkpoint(2));
    assert_eq!(
        Ledger::restore(&v2(&[vote])),
        Err(StateError::ChainMismatch.into())
    );
    // The preset is checked before the slashings vector is sized from it (fuzz finding 6: a
    // claimed length of 2^64 - 1 epochs was allocated).
    let unbounded = Preset {
        epochs_per_slashings_vector: u64::MAX,
        ..records.preset
    };
    assert_eq!(
        Ledger::restore(&v2_with(&unbounded, &[])),
        Err(ValidatorError::ParameterTooLarge {
            parameter: PresetParameter::EpochsPerSlashingsVector,
            value: u64::MAX,
            max: crate::validator::MAX_EPOCHS_PER_SLASHINGS_VECTOR,
        }
        .into())
    );
}

#[test]
fn the_sparse_slashings_vector_decodes_only_its_canonical_form() {
    let vector = |len: u32, entries: &[(u32, u64)]| {
        let mut bytes = Vec::new();
        parity_scale_codec::Compact(len).encode_to(&mut bytes);
        parity_scale_codec::Compact(entries.len() as u32).encode_to(&mut bytes);
        for (at, value) in entries {
            parity_scale_codec::Compact(*at).encode_to(&mut bytes);
            value.encode_to(&mut bytes);
        }
        bytes
    };
    let decode = |bytes: &[u8]| chain::SlashingsVector::decode(&mut &bytes[..]).map(|v| v.0);
    let mut want = alloc::vec![0u64; 8];
    want[2] = 7;
    want[5] = 9;
    let canonical = vector(8, &[(2, 7), (5, 9)]);
    assert_eq!(decode(&canonical), Ok(want.clone()));
    assert_eq!(chain::SlashingsVector(want).encode(), canonical);
    assert!(
        decode(&vector(8, &[(5, 9), (2, 7)])).is_err(),
        "out of order"
    );
    assert!(decode(&vector(8, &[(2, 7), (2, 7)])).is_err(), "repeated");
    assert!(decode(&vector(8, &[(8, 1)])).is_err(), "out of range");
    assert!(decode(&vector(8, &[(1, 0)])).is_err(), "a zero entry");
    assert!(decode(&vector((1 << 16) + 1, &[])).is_err(), "too long");
    assert_eq!(decode(&vector(1 << 16, &[])).map(|v| v.len()), Ok(1 << 16));
}
