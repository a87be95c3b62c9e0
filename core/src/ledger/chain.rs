//! [`Chain`]: the ledger's proof-of-stake chain — the validator registry and balances, the
//! epoch state (epoch, finality, exit queue), the participation of the previous and current
//! epochs, the inactivity scores, the slashings vector and Electra's pending deposits — and the
//! routing of the chain's messages to the pure functions of [`crate::validator`].
//!
//! Like the rest of the ledger it holds no rules: each message checks what the spec's block
//! processing would check, calls the transition, and stores the result only on success.
//!
//! | message | spec (phase0 … electra) | here |
//! |---|---|---|
//! | [`Msg::Deposit`] | `process_deposit` → `apply_deposit` | [`apply_deposit`] after the deposit contract's minimum ([`check_deposit_amount`]); the public-key lookup is this map |
//! | [`Msg::VoluntaryExit`] | `process_voluntary_exit` | [`process_voluntary_exit`] on the epoch's [`EpochView`] |
//! | [`Msg::ProposerSlashing`] | `process_proposer_slashing` → `slash_validator` | [`process_proposer_slashing`] on the epoch's [`EpochView`] and the slashings vector |
//! | [`Msg::AttesterSlashing`] | `process_attester_slashing` → `slash_validator` | [`process_attester_slashing`] |
//! | [`Msg::Attest`] | `process_attestation` | [`process_attestation`]: the participation flags (phase0: the folded attestations) and the proposer's reward |
//! | [`Msg::ProcessEpoch`] | `process_epoch`, then `process_slots` into the next epoch | [`process_epoch`]; Electra: then [`process_pending_deposits`] |
//!
//! The chain also keeps the [`EpochTotals`] (the active set, the participating balances and
//! the bounds the epoch transition reads), updated by each message, rebuilt from the records
//! at genesis and on restore, so no message rescans the registry.
//!
//! ## Deliberate deviations
//! - **The host is the slot clock.** The chain does not derive epochs from the context's time:
//!   the host ends each epoch with [`Msg::ProcessEpoch`], passing the block roots of its fork
//!   choice (which the chain could not know anyway), and gives each attestation its including
//!   block's slot, proposer and roots.
//! - **Electra's pending deposits run after the effective-balance updates**, not before them
//!   as in the spec's `process_epoch`: a deposit credited at an epoch's end reaches the
//!   effective balance one epoch later than on Ethereum.

use alloc::vec::Vec;

use hashbrown::HashMap;
use parity_scale_codec::{Compact, Decode, Encode};

use crate::error::{Error, StateError};
use crate::finality::Checkpoint;
use crate::ids::ValidatorIndex;
use crate::msg::{Attesters, Event, Msg};
use crate::num::NumError;
use crate::validator::{
    AttestationData, AttestationRecords, AttesterSlashing, BlsPubkey, DepositData, DepositOutcome,
    EpochRegistry, EpochRoots, EpochState, EpochTotals, EpochView, FAR_FUTURE_EPOCH, Fork,
    GENESIS_EPOCH, IncludingBlock, Inclusion, ParticipationFlags, PendingDeposit, Preset,
    ProposerSlashing, QueueState, Slashed, SlashingRegistry, Validator, ValidatorChange,
    ValidatorError, VoluntaryExit, apply_deposit, check_deposit_amount, process_attestation,
    process_attester_slashing, process_epoch, process_pending_deposits, process_proposer_slashing,
    process_voluntary_exit, round_to_increment,
};

use super::Events;

/// What a chain starts from: its preset and the deposits made before genesis (the spec's
/// `initialize_beacon_state_from_eth1` input). SCALE-encoded as the two fields in order —
/// what the bindings take to build a ledger with a chain.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ChainGenesis {
    /// The preset.
    pub preset: Preset,
    /// The genesis deposits, in order (amounts in Gwei).
    pub deposits: Vec<DepositData>,
}

/// The proof-of-stake chain of a [`crate::Ledger`].
///
/// Two chains are equal when their records are: the key index and the running totals are
/// derived from them (the totals' bounds may differ between two equal chains: a bound is only
/// at least the maximum it bounds).
#[derive(Clone, Debug, Eq)]
pub struct Chain {
    pub(super) records: ChainRecords,
    /// `validator_pubkeys.index`: each public key's validator (derived from the registry).
    keys: HashMap<BlsPubkey, ValidatorIndex>,
    /// The running totals (derived from the records).
    totals: EpochTotals,
}

impl PartialEq for Chain {
    fn eq(&self, other: &Self) -> bool {
        self.records == other.records
    }
}

/// The chain's records as a snapshot holds them, after the staking state: the spec's
/// `BeaconState` fields the chain models, every per-validator list one entry per validator
/// (phase0's folded attestations only under phase0, empty otherwise).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub(super) struct ChainRecords {
    pub(super) preset: Preset,
    pub(super) epoch: EpochState,
    pub(super) validators: Vec<Validator>,
    pub(super) balances: Vec<u64>,
    pub(super) pending_deposits: Vec<PendingDeposit>,
    pub(super) inactivity_scores: Vec<u64>,
    pub(super) previous_epoch_participation: Vec<ParticipationFlags>,
    pub(super) current_epoch_participation: Vec<ParticipationFlags>,
    pub(super) previous_epoch_inclusions: Vec<Inclusion>,
    pub(super) current_epoch_inclusions: Vec<Inclusion>,
    pub(super) slashings: SlashingsVector,
}

/// The chain's records as a version-2 snapshot held them, with the FFG votes then kept until
/// their epoch's end.
#[derive(Decode)]
pub(super) struct ChainRecordsV2 {
    preset: Preset,
    epoch: EpochState,
    validators: Vec<Validator>,
    balances: Vec<u64>,
    pending_deposits: Vec<PendingDeposit>,
    votes: Vec<(ValidatorIndex, Checkpoint, Checkpoint)>,
}

impl ChainRecordsV2 {
    /// The records in today's form: no participation yet, zero inactivity scores, an empty
    /// slashings vector (version 2 had no slashing). The preset is checked first, as
    /// [`Chain::restore`] does, since the slashings vector's length comes from it. A snapshot
    /// with votes waiting is refused ([`StateError::ChainMismatch`]): they were judged only at
    /// their epoch's end, against roots the snapshot does not hold, so they cannot become
    /// participation.
    pub(super) fn upgrade(self) -> Result<ChainRecords, Error> {
        self.preset.validate()?;
        if !self.votes.is_empty() {
            return Err(StateError::ChainMismatch.into());
        }
        let n = self.validators.len();
        let phase0 = self.preset.fork == Fork::Phase0;
        Ok(ChainRecords {
            slashings: SlashingsVector::zero(&self.preset),
            inactivity_scores: alloc::vec![0; n],
            previous_epoch_participation: alloc::vec![ParticipationFlags::NONE; n],
            current_epoch_participation: alloc::vec![ParticipationFlags::NONE; n],
            previous_epoch_inclusions: alloc::vec![Inclusion::default(); if phase0 { n } else { 0 }],
            current_epoch_inclusions: alloc::vec![Inclusion::default(); if phase0 { n } else { 0 }],
            preset: self.preset,
            epoch: self.epoch,
            validators: self.validators,
            balances: self.balances,
            pending_deposits: self.pending_deposits,
        })
    }
}

impl ChainRecords {
    /// Appends a validator with its balance, no participation and a zero score.
    fn push_validator(&mut self, validator: Validator, balance: u64) {
        self.validators.push(validator);
        self.balances.push(balance);
        self.inactivity_scores.push(0);
        self.previous_epoch_participation
            .push(ParticipationFlags::NONE);
        self.current_epoch_participation
            .push(ParticipationFlags::NONE);
        if self.preset.fork == Fork::Phase0 {
            self.previous_epoch_inclusions.push(Inclusion::default());
            self.current_epoch_inclusions.push(Inclusion::default());
        }
    }

    /// The totals of these records, summed afresh.
    fn scan_totals(&self) -> Result<EpochTotals, Error> {
        EpochTotals::scan(
            self.epoch.current_epoch,
            &self.validators,
            &self.balances,
            &self.inactivity_scores,
            &self.previous_epoch_participation,
            &self.current_epoch_participation,
        )
    }
}

/// The spec's `state.slashings`: `EPOCHS_PER_SLASHINGS_VECTOR` Gwei sums, one per epoch, held
/// whole in memory (as [`process_epoch`] takes it) and encoded sparsely — mostly zeros, 64 KiB
/// at mainnet size — as its length (compact), then each non-zero entry as its position
/// (compact) and value (`u64`), positions strictly increasing. The decoder accepts only that
/// canonical form, and a length up to [`crate::validator::MAX_EPOCHS_PER_SLASHINGS_VECTOR`]
/// (so a claimed length allocates at most 512 KiB).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct SlashingsVector(pub(super) Vec<u64>);

impl SlashingsVector {
    /// All zero, of the preset's length (at most
    /// [`crate::validator::MAX_EPOCHS_PER_SLASHINGS_VECTOR`] for a valid preset).
    pub(super) fn zero(preset: &Preset) -> Self {
        let len = usize::try_from(preset.epochs_per_slashings_vector).unwrap_or(0);
        Self(alloc::vec![0; len])
    }
}

impl Encode for SlashingsVector {
    fn encode_to<T: parity_scale_codec::Output + ?Sized>(&self, dest: &mut T) {
        let compact = |n: usize| Compact(u32::try_from(n).unwrap_or(u32::MAX));
        compact(self.0.len()).encode_to(dest);
        let entries = self.0.iter().filter(|x| **x != 0).count();
        compact(entries).encode_to(dest);
        for (at, value) in self.0.iter().enumerate().filter(|(_, x)| **x != 0) {
            compact(at).encode_to(dest);
            value.encode_to(dest);
        }
    }
}

impl Decode for SlashingsVector {
    fn decode<I: parity_scale_codec::Input>(
        input: &mut I,
    ) -> Result<Self, parity_scale_codec::Error> {
        let len = Compact::<u32>::decode(input)?.0;
        if u64::from(len) > crate::validator::MAX_EPOCHS_PER_SLASHINGS_VECTOR {
            return Err("slashings vector too long".into());
        }
        let mut vector = alloc::vec![0u64; len as usize];
        let entries = Compact::<u32>::decode(input)?.0;
        let mut next = 0usize;
        for _ in 0..entries {
            let at = Compact::<u32>::decode(input)?.0 as usize;
            let value = u64::decode(input)?;
            match vector.get_mut(at) {
                Some(slot) if at >= next && value != 0 => *slot = value,
                _ => return Err("slashings entry out of order, out of range or zero".into()),
            }
            next = at.saturating_add(1);
        }
        Ok(Self(vector))
    }
}

impl Chain {
    /// An empty registry at epoch 0 under a valid `preset`. Such a chain can take deposits
    /// but never activates anyone (activation waits for finality, which needs active
    /// validators): a chain that is to run starts from [`Chain::genesis`].
    pub fn new(preset: Preset) -> Result<Self, Error> {
        preset.validate()?;
        Ok(Self {
            records: ChainRecords {
                preset,
                epoch: EpochState::GENESIS,
                validators: Vec::new(),
                balances: Vec::new(),
                pending_deposits: Vec::new(),
                inactivity_scores: Vec::new(),
                previous_epoch_participation: Vec::new(),
                current_epoch_participation: Vec::new(),
                previous_epoch_inclusions: Vec::new(),
                current_epoch_inclusions: Vec::new(),
                slashings: SlashingsVector::zero(&preset),
            },
            keys: HashMap::new(),
            totals: EpochTotals::default(),
        })
    }

    /// The genesis state of `genesis.deposits` (`initialize_beacon_state_from_eth1`, phase0;
    /// electra): every deposit applied in order as at any epoch (Electra's, then credited at
    /// once, as its genesis does with `state.pending_deposits`); then each validator's
    /// effective balance set from its balance (rounded down to the increment, capped at its
    /// maximum), and those eligible for the activation queue (a full `MAX_EFFECTIVE_BALANCE`
    /// before Electra, at least `MIN_ACTIVATION_BALANCE` since) active from epoch 0.
    pub fn genesis(genesis: &ChainGenesis) -> Result<Self, Error> {
        let mut chain = Self::new(genesis.preset)?;
        for deposit in &genesis.deposits {
            chain.deposit(deposit)?;
        }
        let ChainRecords {
            preset,
            validators,
            balances,
            pending_deposits,
            ..
        } = &mut chain.records;
        for pending in pending_deposits.drain(..) {
            let index = chain.keys.get(&pending.pubkey).copied();
            let slot = index
                .and_then(|i| usize::try_from(i.0).ok())
                .and_then(|at| balances.get_mut(at))
                .ok_or(NumError::Overflow)?;
            *slot = slot.checked_add(pending.amount).ok_or_else(|| {
                ValidatorError::BalanceOverflow {
                    index: index.unwrap_or(ValidatorIndex(0)),
                    balance: *slot,
                    amount: pending.amount,
                }
            })?;
        }
        for (validator, balance) in validators.iter_mut().zip(balances.iter()) {
            validator.effective_balance =
                round_to_increment(preset, *balance)?.min(validator.max_effective_balance(preset));
            if validator.is_eligible_for_activation_queue(preset) {
                validator.activation_eligibility_epoch = GENESIS_EPOCH;
                validator.activation_epoch = GENESIS_EPOCH;
            }
        }
        chain.totals = chain.records.scan_totals()?;
        Ok(chain)
    }

    /// The preset in force.
    pub fn preset(&self) -> &Preset {
        &self.records.preset
    }

    /// The current epoch, the finality checkpoints and the exit queue.
    pub fn epoch_state(&self) -> &EpochState {
        &self.records.epoch
    }

    /// The registry, by index (the spec's `state.validators`).
    pub fn validators(&self) -> &[Validator] {
        &self.records.validators
    }

    /// The balances, Gwei, by index (the spec's `state.balances`).
    pub fn balances(&self) -> &[u64] {
        &self.records.balances
    }

    /// Validator `index` and its balance.
    pub fn validator(&self, index: ValidatorIndex) -> Option<(&Validator, u64)> {
        let at = usize::try_from(index.0).ok()?;
        Some((
            self.records.validators.get(at)?,
            *self.records.balances.get(at)?,
        ))
    }

    /// The index of the validator with this public key.
    pub fn index_of(&self, pubkey: &BlsPubkey) -> Option<ValidatorIndex> {
        self.keys.get(pubkey).copied()
    }

    /// Electra's deposits waiting for the balance churn, oldest first.
    pub fn pending_deposits(&self) -> &[PendingDeposit] {
        &self.records.pending_deposits
    }

    /// The spec's `state.slashings`: the effective balance slashed at each of the last
    /// `EPOCHS_PER_SLASHINGS_VECTOR` epochs (at `epoch % EPOCHS_PER_SLASHINGS_VECTOR`), Gwei.
    pub fn slashings(&self) -> &[u64] {
        &self.records.slashings.0
    }

    /// The spec's `state.inactivity_scores`, by index (all zero under phase0).
    pub fn inactivity_scores(&self) -> &[u64] {
        &self.records.inactivity_scores
    }

    /// The participation of the previous and the current epoch, by index (the spec's
    /// `previous_epoch_participation`, `current_epoch_participation`; phase0: the matching
    /// source, target and head bits of each validator's attestations).
    pub fn participation(&self) -> (&[ParticipationFlags], &[ParticipationFlags]) {
        (
            &self.records.previous_epoch_participation,
            &self.records.current_epoch_participation,
        )
    }

    /// The running totals: the active set, the participating balances, the bounds.
    pub fn totals(&self) -> &EpochTotals {
        &self.totals
    }

    /// The epoch's view as block processing sees it: the current epoch, the finalized epoch
    /// and the active set.
    pub fn view(&self) -> EpochView {
        let epoch = &self.records.epoch;
        self.totals.view(
            &self.records.preset,
            epoch.current_epoch,
            epoch.finality.finalized.epoch,
        )
    }

    /// Applies a chain message ([`Msg::is_chain_message`]); `None` for any other. On error the
    /// chain is unchanged.
    pub(super) fn apply(&mut self, msg: &Msg) -> Option<Result<Events, Error>> {
        Some(match msg {
            Msg::Deposit { deposit } => self.deposit(deposit).map(|e| alloc::vec![e]),
            Msg::VoluntaryExit { exit } => self.exit(exit).map(|e| alloc::vec![e]),
            Msg::ProposerSlashing { proposer, evidence } => {
                self.slash(*proposer, Evidence::Proposer(evidence))
            }
            Msg::AttesterSlashing { proposer, evidence } => {
                self.slash(*proposer, Evidence::Attester(evidence))
            }
            Msg::Attest {
                data,
                validators,
                block,
            } => self.attest(data, validators, block).map(|e| alloc::vec![e]),
            Msg::ProcessEpoch {
                previous_epoch_root,
                current_epoch_root,
            } => self.process_epoch(&EpochRoots {
                previous_epoch_root: *previous_epoch_root,
                current_epoch_root: *current_epoch_root,
            }),
            _ => return None,
        })
    }

    fn deposit(&mut self, deposit: &DepositData) -> Result<Event, Error> {
        let records = &mut self.records;
        check_deposit_amount(&records.preset, deposit.amount)?;
        let existing = self.keys.get(&deposit.pubkey).copied();
        let next = ValidatorIndex(
            u64::try_from(records.validators.len()).map_err(|_| NumError::Overflow)?,
        );
        // `apply_deposit` writes only a top-up's balance, and only on success.
        match apply_deposit(&records.preset, &mut records.balances, existing, deposit)? {
            DepositOutcome::NewValidator { validator, balance } => {
                records.push_validator(validator, balance);
                self.keys.insert(validator.pubkey, next);
                self.totals.note_balance(balance);
                self.totals.max_effective_balance = self
                    .totals
                    .max_effective_balance
                    .max(validator.effective_balance);
                Ok(Event::ValidatorDeposited {
                    index: next,
                    amount: deposit.amount,
                    balance,
                })
            }
            DepositOutcome::TopUp { index, balance } => {
                self.totals.note_balance(balance);
                Ok(Event::ValidatorDeposited {
                    index,
                    amount: deposit.amount,
                    balance,
                })
            }
            DepositOutcome::Queued {
                new_validator,
                pending,
            } => {
                let index = existing.unwrap_or(next);
                if let Some(validator) = new_validator {
                    records.push_validator(validator, 0);
                    self.keys.insert(validator.pubkey, next);
                }
                records.pending_deposits.push(pending);
                Ok(Event::DepositQueued {
                    index,
                    amount: deposit.amount,
                })
            }
        }
    }

    fn exit(&mut self, exit: &VoluntaryExit) -> Result<Event, Error> {
        let view = self.view();
        let ChainRecords {
            preset,
            epoch,
            validators,
            ..
        } = &mut self.records;
        // Electra's pending partial withdrawals are not modelled: none is ever pending.
        let scheduled =
            process_voluntary_exit(preset, validators, &mut epoch.queue, &view, exit, 0)?;
        Ok(Event::ValidatorExiting {
            index: scheduled.index,
            exit_epoch: scheduled.exit_epoch,
            withdrawable_epoch: scheduled.withdrawable_epoch,
        })
    }

    fn slash(&mut self, proposer: ValidatorIndex, evidence: Evidence<'_>) -> Result<Events, Error> {
        let view = self.view();
        let ChainRecords {
            preset,
            epoch,
            validators,
            balances,
            slashings,
            previous_epoch_participation,
            current_epoch_participation,
            ..
        } = &mut self.records;
        let mut registry = SlashingRegistry {
            validators,
            balances,
            slashings: &mut slashings.0,
            queue: &mut epoch.queue,
            view,
        };
        let slashed = match evidence {
            Evidence::Proposer(evidence) => {
                alloc::vec![process_proposer_slashing(
                    preset,
                    &mut registry,
                    evidence,
                    proposer
                )?]
            }
            Evidence::Attester(evidence) => {
                process_attester_slashing(preset, &mut registry, evidence, proposer)?.to_vec()
            }
        };
        let mut events = Vec::with_capacity(slashed.len());
        for s in &slashed {
            let at = usize::try_from(s.index.0).map_err(|_| NumError::Overflow)?;
            let after = *validators.get(at).ok_or(NumError::Overflow)?;
            // As it was: unslashed, and exiting only if it already was.
            let before = Validator {
                slashed: false,
                exit_epoch: if s.exit.is_some() {
                    FAR_FUTURE_EPOCH
                } else {
                    after.exit_epoch
                },
                ..after
            };
            let flags = |list: &[ParticipationFlags]| list.get(at).copied().unwrap_or_default();
            self.totals.on_slashed(
                &before,
                view.current,
                flags(previous_epoch_participation),
                flags(current_epoch_participation),
            );
            self.totals.note_balance(s.balance);
            events.push(slashed_event(s, after.exit_epoch));
        }
        if let Some(proposer) = usize::try_from(proposer.0)
            .ok()
            .and_then(|at| balances.get(at))
        {
            self.totals.note_balance(*proposer);
        }
        Ok(events)
    }

    fn attest(
        &mut self,
        data: &AttestationData,
        attesters: &Attesters,
        block: &IncludingBlock,
    ) -> Result<Event, Error> {
        let records = &mut self.records;
        let outcome = process_attestation(
            &records.preset,
            &records.epoch,
            &mut AttestationRecords {
                validators: &records.validators,
                balances: &mut records.balances,
                previous_epoch_participation: &mut records.previous_epoch_participation,
                current_epoch_participation: &mut records.current_epoch_participation,
                previous_epoch_inclusions: &mut records.previous_epoch_inclusions,
                current_epoch_inclusions: &mut records.current_epoch_inclusions,
                totals: &mut self.totals,
            },
            data,
            attesters,
            block,
        )?;
        Ok(Event::Attested {
            target_epoch: data.target.epoch,
            attesters: u8::try_from(outcome.newly_participating).unwrap_or(u8::MAX),
            flags: outcome.flags,
            proposer_reward: outcome.proposer_reward,
        })
    }

    /// Ends the current epoch. Works on a copy when Electra's pending deposits follow the
    /// epoch transition (they can fail after it), so an error leaves the chain as it was.
    fn process_epoch(&mut self, roots: &EpochRoots) -> Result<Events, Error> {
        let electra_deposits =
            self.records.preset.fork == Fork::Electra && !self.records.pending_deposits.is_empty();
        let mut next = if electra_deposits {
            Some((self.records.clone(), self.totals))
        } else {
            None
        };
        let (records, totals) = match next.as_mut() {
            Some((records, totals)) => (records, totals),
            None => (&mut self.records, &mut self.totals),
        };
        let mut credits = if records.preset.fork == Fork::Phase0 {
            alloc::vec![0u64; records.validators.len()]
        } else {
            Vec::new()
        };

        let mut events = Events::new();
        let mut activations = Vec::new();
        let ChainRecords {
            preset,
            epoch,
            validators,
            balances,
            inactivity_scores,
            previous_epoch_participation,
            current_epoch_participation,
            previous_epoch_inclusions,
            current_epoch_inclusions,
            slashings,
            ..
        } = &mut *records;
        let outcome = process_epoch(
            preset,
            epoch,
            &mut EpochRegistry {
                validators,
                balances,
                inactivity_scores,
                previous_epoch_participation,
                current_epoch_participation,
                previous_epoch_inclusions,
                current_epoch_inclusions,
                proposer_credits: &mut credits,
                slashings: &mut slashings.0,
            },
            totals,
            roots,
            |index, change: &ValidatorChange| {
                if let Some(penalty) = change.slashing_penalty {
                    events.push(Event::CorrelationPenalty { index, penalty });
                }
                if let Some(exit) = change.registry.ejected {
                    events.push(Event::ValidatorEjected {
                        index,
                        exit_epoch: exit.exit_epoch,
                        withdrawable_epoch: exit.withdrawable_epoch,
                    });
                }
                if let Some(epoch) = change.registry.activated {
                    activations.push(Event::ValidatorActivated { index, epoch });
                }
            },
        )?;
        events.extend(activations);
        let justified = [
            outcome.finality.previous_epoch_justified,
            outcome.finality.current_epoch_justified,
        ];
        let mut summary = alloc::vec![Event::EpochProcessed {
            epoch: outcome.epoch,
            active_validators: outcome.view.active_validators,
            total_active_balance: outcome.view.total_active_balance,
            previous_target_balance: outcome.previous_target_balance,
            current_target_balance: outcome.current_target_balance,
            inactivity_leak: outcome.inactivity_leak,
            rewards: outcome.rewards,
            penalties: outcome.penalties,
        }];
        summary.extend(justified.into_iter().flatten().map(|c| Event::Justified {
            epoch: c.epoch,
            root: c.root,
        }));
        summary.extend(outcome.finality.finalized.map(|c| Event::Finalized {
            epoch: c.epoch,
            root: c.root,
        }));
        summary.append(&mut events);

        if let Some((mut records, mut totals)) = next {
            let (credited, created) =
                credit_pending_deposits(&mut records, &mut totals, &self.keys, &outcome.view)?;
            summary.extend(credited);
            self.records = records;
            self.totals = totals;
            self.keys.extend(created);
        }
        Ok(summary)
    }

    /// The records of a snapshot.
    pub(super) fn records(&self) -> ChainRecords {
        self.records.clone()
    }

    /// A chain from a snapshot's records, checked: a valid preset; every per-validator list
    /// one entry per validator (phase0's inclusions only under phase0); distinct public keys;
    /// participation flags within the three defined bits (phase0: an inclusion exactly for
    /// each recorded attestation, by a known proposer); finality checkpoints in order; the
    /// slashings vector of the preset's length; and (before Electra) the exit queue summary
    /// equal to the registry's. The totals are summed afresh.
    pub(super) fn restore(records: ChainRecords) -> Result<Self, Error> {
        records.preset.validate()?;
        let mismatch = || Error::from(StateError::ChainMismatch);
        let n = records.validators.len();
        let phase0 = records.preset.fork == Fork::Phase0;
        let inclusions = if phase0 { n } else { 0 };
        let lengths = [
            records.balances.len() == n,
            records.inactivity_scores.len() == n,
            records.previous_epoch_participation.len() == n,
            records.current_epoch_participation.len() == n,
            records.previous_epoch_inclusions.len() == inclusions,
            records.current_epoch_inclusions.len() == inclusions,
            records.slashings.0.len() as u64 == records.preset.epochs_per_slashings_vector,
        ];
        if lengths.contains(&false) || !records.epoch.finality.is_ordered() {
            return Err(mismatch());
        }
        let defined = |f: &ParticipationFlags| f.0 & !ParticipationFlags::ALL.0 == 0;
        let flags_ok = records
            .previous_epoch_participation
            .iter()
            .chain(&records.current_epoch_participation)
            .all(defined);
        let inclusions_ok = !phase0
            || [
                (
                    &records.previous_epoch_participation,
                    &records.previous_epoch_inclusions,
                ),
                (
                    &records.current_epoch_participation,
                    &records.current_epoch_inclusions,
                ),
            ]
            .into_iter()
            .all(|(flags, inclusions)| {
                flags.iter().zip(inclusions).all(|(f, i)| {
                    f.has_flag(0) == (i.inclusion_delay != 0)
                        && (i.inclusion_delay == 0 || i.proposer_index.0 < n as u64)
                })
            });
        if !flags_ok || !inclusions_ok || (!phase0 && records.inactivity_scores.len() != n) {
            return Err(mismatch());
        }
        if records.preset.fork != Fork::Electra {
            let scan = QueueState::scan(&records.validators);
            let queue = &records.epoch.queue;
            if (queue.latest_exit_epoch, queue.exits_at_latest)
                != (scan.latest_exit_epoch, scan.exits_at_latest)
                || !records.pending_deposits.is_empty()
            {
                return Err(mismatch());
            }
        }
        let keys = index_keys(&records.validators)?;
        let totals = records.scan_totals()?;
        Ok(Self {
            records,
            keys,
            totals,
        })
    }
}

/// The evidence of a slashing message.
enum Evidence<'a> {
    Proposer(&'a ProposerSlashing),
    Attester(&'a AttesterSlashing),
}

/// The event of one slashing: the proposer's reward is both its parts (the proposer is the
/// whistleblower).
fn slashed_event(slashed: &Slashed, exit_epoch: crate::ids::Epoch) -> Event {
    Event::ValidatorSlashed {
        index: slashed.index,
        penalty: slashed.penalty,
        exit_epoch,
        withdrawable_epoch: slashed.withdrawable_epoch,
        proposer: slashed.proposer,
        reward: slashed
            .proposer_reward
            .saturating_add(slashed.whistleblower_reward),
    }
}

/// The public-key index of a registry; two validators with one key are a mismatch.
fn index_keys(validators: &[Validator]) -> Result<HashMap<BlsPubkey, ValidatorIndex>, Error> {
    let mut keys = HashMap::with_capacity(validators.len());
    for (index, validator) in (0u64..).zip(validators) {
        if keys
            .insert(validator.pubkey, ValidatorIndex(index))
            .is_some()
        {
            return Err(StateError::ChainMismatch.into());
        }
    }
    Ok(keys)
}

/// A new validator's public key and index.
type NewKey = (BlsPubkey, ValidatorIndex);

/// Electra's `process_pending_deposits` at the end of an epoch, on `records`: credits what the
/// churn allows, appends the validators it creates, and rewrites the queue as the spec does
/// (`pending_deposits[next_deposit_index:] + deposits_to_postpone`). Returns a
/// [`Event::ValidatorDeposited`] per credit, and the new validators' keys.
fn credit_pending_deposits(
    records: &mut ChainRecords,
    totals: &mut EpochTotals,
    keys: &HashMap<BlsPubkey, ValidatorIndex>,
    view: &EpochView,
) -> Result<(Vec<Event>, Vec<NewKey>), Error> {
    let before: Vec<u64> = records.balances.clone();
    let outcome = process_pending_deposits(
        &records.preset,
        &records.validators,
        &mut records.balances,
        &mut records.epoch.queue,
        view,
        &records.pending_deposits,
        false,
        |pubkey| keys.get(pubkey).copied(),
        // The host checked every deposit's signature before sending it.
        |_| true,
    )?;
    let mut events: Vec<Event> = Vec::new();
    for (index, (old, new)) in (0u64..).zip(before.iter().zip(&records.balances)) {
        if old != new {
            totals.note_balance(*new);
            events.push(Event::ValidatorDeposited {
                index: ValidatorIndex(index),
                amount: new.saturating_sub(*old),
                balance: *new,
            });
        }
    }
    let mut created = Vec::new();
    for new in outcome.new_validators.iter() {
        let index = ValidatorIndex(records.validators.len() as u64);
        records.push_validator(new.validator, new.balance);
        totals.note_balance(new.balance);
        totals.max_effective_balance = totals
            .max_effective_balance
            .max(new.validator.effective_balance);
        created.push((new.validator.pubkey, index));
        events.push(Event::ValidatorDeposited {
            index,
            amount: new.balance,
            balance: new.balance,
        });
    }
    let postponed: Vec<PendingDeposit> = outcome
        .postponed
        .iter()
        .filter_map(|&at| records.pending_deposits.get(usize::from(at)).copied())
        .collect();
    records
        .pending_deposits
        .drain(..outcome.processed.min(records.pending_deposits.len()));
    records.pending_deposits.extend(postponed);
    Ok((events, created))
}
