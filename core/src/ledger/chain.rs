//! [`Chain`]: the ledger's proof-of-stake chain — the validator registry and balances, the
//! epoch state (epoch, finality, exit queue), Electra's pending deposits and the votes waiting
//! for their epoch's end — and the routing of the chain's four messages to the pure functions
//! of [`crate::validator`] and [`crate::finality`].
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
//! | [`Msg::Attest`] | `process_attestation`: the target epoch is the previous or the current one | that check and known validator indices; the votes wait in the chain until [`Msg::ProcessEpoch`] tallies them (sources and roots are judged there, as [`crate::finality::tally_votes`] counts them) |
//! | [`Msg::ProcessEpoch`] | `process_epoch`, then `process_slots` into the next epoch | [`process_epoch`]; Electra: then [`process_pending_deposits`] |
//!
//! ## Deliberate deviations
//! - **The host is the slot clock.** The chain does not derive epochs from the context's time:
//!   the host ends each epoch with [`Msg::ProcessEpoch`], passing the block roots of its fork
//!   choice (which the chain could not know anyway).
//! - **Electra's pending deposits run after the effective-balance updates**, not before them
//!   as in the spec's `process_epoch`: a deposit credited at an epoch's end reaches the
//!   effective balance one epoch later than on Ethereum. [`process_epoch`] does not take the
//!   pending deposits yet; the single-pass epoch of the next step folds them in, in order.
//! - **Votes are kept until their epoch is tallied.** The spec keeps attestations of the
//!   previous and current epochs in the state (phase0) or as participation flags (altair);
//!   here a vote is kept until the end of the epoch after its target's, then dropped, as the
//!   spec rotates `current_epoch_attestations` into `previous_epoch_attestations`.

use alloc::vec::Vec;

use hashbrown::HashMap;
use parity_scale_codec::{Compact, Decode, Encode};

use crate::error::{Error, StateError};
use crate::finality::{Checkpoint, FinalityError, Vote, previous_epoch, sort_votes};
use crate::ids::ValidatorIndex;
use crate::msg::{Attesters, Event, Msg};
use crate::num::NumError;
use crate::validator::{
    AttesterSlashing, BlsPubkey, DepositData, DepositOutcome, EpochState, EpochView, EpochVotes,
    FAR_FUTURE_EPOCH, Fork, GENESIS_EPOCH, PendingDeposit, Preset, ProposerSlashing, QueueState,
    Slashed, SlashingRegistry, Validator, ValidatorError, VoluntaryExit, apply_deposit,
    check_deposit_amount, process_attester_slashing, process_epoch, process_pending_deposits,
    process_proposer_slashing, process_voluntary_exit, round_to_increment,
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
/// Two chains are equal when their state is: the votes waiting are compared as a collection
/// (their arrival order is not state, and a snapshot does not keep it).
#[derive(Clone, Debug, Eq)]
pub struct Chain {
    pub(super) records: ChainRecords,
    /// `validator_pubkeys.index`: each public key's validator (derived from the registry).
    keys: HashMap<BlsPubkey, ValidatorIndex>,
}

impl PartialEq for Chain {
    fn eq(&self, other: &Self) -> bool {
        self.records() == other.records() && self.keys == other.keys
    }
}

/// The chain's records as a snapshot holds them, after the staking state.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub(super) struct ChainRecords {
    pub(super) preset: Preset,
    pub(super) epoch: EpochState,
    pub(super) validators: Vec<Validator>,
    pub(super) balances: Vec<u64>,
    pub(super) pending_deposits: Vec<PendingDeposit>,
    pub(super) votes: Vec<Vote>,
    pub(super) slashings: SlashingsVector,
}

/// The chain's records as a version-2 snapshot held them (before slashing): the same, without
/// the slashings vector, which restores as all zero.
#[derive(Decode)]
pub(super) struct ChainRecordsV2 {
    preset: Preset,
    epoch: EpochState,
    validators: Vec<Validator>,
    balances: Vec<u64>,
    pending_deposits: Vec<PendingDeposit>,
    votes: Vec<Vote>,
}

impl ChainRecordsV2 {
    /// The records with an empty slashings vector (none could have been slashed).
    pub(super) fn upgrade(self) -> ChainRecords {
        ChainRecords {
            slashings: SlashingsVector::zero(&self.preset),
            preset: self.preset,
            epoch: self.epoch,
            validators: self.validators,
            balances: self.balances,
            pending_deposits: self.pending_deposits,
            votes: self.votes,
        }
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
                votes: Vec::new(),
                slashings: SlashingsVector::zero(&preset),
            },
            keys: HashMap::new(),
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

    /// The votes waiting to be tallied, in the order they arrived.
    pub fn votes(&self) -> &[Vote] {
        &self.records.votes
    }

    /// The epoch's view as block processing sees it: the current epoch, the finalized epoch
    /// and the active set.
    pub fn view(&self) -> Result<EpochView, Error> {
        let epoch = &self.records.epoch;
        EpochView::scan(
            &self.records.preset,
            &self.records.validators,
            epoch.current_epoch,
            epoch.finality.finalized.epoch,
        )
    }

    /// Applies a chain message ([`Msg::Deposit`], [`Msg::VoluntaryExit`], [`Msg::Attest`],
    /// [`Msg::ProcessEpoch`]); `None` for any other. On error the chain is unchanged.
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
                source,
                target,
                validators,
            } => self
                .attest(source, target, validators)
                .map(|e| alloc::vec![e]),
            Msg::ProcessEpoch {
                previous_epoch_root,
                current_epoch_root,
            } => self.process_epoch(*previous_epoch_root, *current_epoch_root),
            _ => return None,
        })
    }

    fn deposit(&mut self, deposit: &DepositData) -> Result<Event, Error> {
        let ChainRecords {
            preset,
            validators,
            balances,
            pending_deposits,
            ..
        } = &mut self.records;
        check_deposit_amount(preset, deposit.amount)?;
        let existing = self.keys.get(&deposit.pubkey).copied();
        let next = ValidatorIndex(u64::try_from(validators.len()).map_err(|_| NumError::Overflow)?);
        // `apply_deposit` writes only a top-up's balance, and only on success.
        match apply_deposit(preset, balances, existing, deposit)? {
            DepositOutcome::NewValidator { validator, balance } => {
                validators.push(validator);
                balances.push(balance);
                self.keys.insert(validator.pubkey, next);
                Ok(Event::ValidatorDeposited {
                    index: next,
                    amount: deposit.amount,
                    balance,
                })
            }
            DepositOutcome::TopUp { index, balance } => Ok(Event::ValidatorDeposited {
                index,
                amount: deposit.amount,
                balance,
            }),
            DepositOutcome::Queued {
                new_validator,
                pending,
            } => {
                let index = existing.unwrap_or(next);
                if let Some(validator) = new_validator {
                    validators.push(validator);
                    balances.push(0);
                    self.keys.insert(validator.pubkey, next);
                }
                pending_deposits.push(pending);
                Ok(Event::DepositQueued {
                    index,
                    amount: deposit.amount,
                })
            }
        }
    }

    fn exit(&mut self, exit: &VoluntaryExit) -> Result<Event, Error> {
        let view = self.view()?;
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
        let view = self.view()?;
        let ChainRecords {
            preset,
            epoch,
            validators,
            balances,
            slashings,
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
        Ok(slashed
            .iter()
            .map(|s| slashed_event(s, &self.records.validators))
            .collect())
    }

    fn attest(
        &mut self,
        source: &Checkpoint,
        target: &Checkpoint,
        attesters: &Attesters,
    ) -> Result<Event, Error> {
        let current = self.records.epoch.current_epoch;
        if target.epoch != current && target.epoch != previous_epoch(current) {
            return Err(FinalityError::TargetEpochOutOfRange {
                target: target.epoch,
                current,
            }
            .into());
        }
        if attesters.is_empty() {
            return Err(FinalityError::NoAttesters.into());
        }
        let count = u64::try_from(self.records.validators.len()).map_err(|_| NumError::Overflow)?;
        if let Some(unknown) = attesters.iter().find(|index| index.0 >= count) {
            return Err(ValidatorError::UnknownValidator {
                index: *unknown,
                count,
            }
            .into());
        }
        self.records
            .votes
            .extend(attesters.iter().map(|&validator| Vote {
                validator,
                source: *source,
                target: *target,
            }));
        Ok(Event::Attested {
            target_epoch: target.epoch,
            attesters: u8::try_from(attesters.len()).unwrap_or(u8::MAX),
        })
    }

    /// Ends the current epoch. Works on copies of what can fail midway (the votes always,
    /// the registry only when Electra's pending deposits follow the epoch transition), so an
    /// error leaves the chain as it was.
    fn process_epoch(
        &mut self,
        previous_epoch_root: [u8; 32],
        current_epoch_root: [u8; 32],
    ) -> Result<Events, Error> {
        let mut votes = self.records.votes.clone();
        sort_votes(&mut votes);
        let electra_deposits =
            self.records.preset.fork == Fork::Electra && !self.records.pending_deposits.is_empty();
        let mut next = if electra_deposits {
            Some(self.records.clone())
        } else {
            None
        };
        let records = next.as_mut().unwrap_or(&mut self.records);

        let mut events = Events::new();
        let mut activations = Vec::new();
        let outcome = process_epoch(
            &records.preset,
            &mut records.epoch,
            &mut records.validators,
            &mut records.balances,
            &mut records.slashings.0,
            &EpochVotes {
                votes: &votes,
                previous_epoch_root,
                current_epoch_root,
            },
            |index, change: &crate::validator::ValidatorChange| {
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
        let tally = &outcome.tally;
        let justified = [
            outcome.finality.previous_epoch_justified,
            outcome.finality.current_epoch_justified,
        ];
        let mut summary = alloc::vec![Event::EpochProcessed {
            epoch: outcome.epoch,
            active_validators: outcome.view.active_validators,
            total_active_balance: outcome.view.total_active_balance,
            previous_target_balance: tally.previous_target_balance,
            current_target_balance: tally.current_target_balance,
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

        if electra_deposits {
            let credited = credit_pending_deposits(records, &self.keys, &outcome.view)?;
            summary.extend(credited);
        }
        // The votes for the epoch just ended now vote for the previous epoch; older ones go.
        votes.retain(|vote| vote.target.epoch == outcome.epoch);
        if let Some(next) = next {
            self.records = next;
            self.keys = index_keys(&self.records.validators)?;
        }
        self.records.votes = votes;
        Ok(summary)
    }

    /// The records of a snapshot.
    pub(super) fn records(&self) -> ChainRecords {
        let mut records = self.records.clone();
        // Canonical: the same votes in any order give the same bytes.
        sort_votes(&mut records.votes);
        records
    }

    /// A chain from a snapshot's records, checked: a valid preset, as many balances as
    /// validators, distinct public keys, votes by known validators for the previous or current
    /// epoch in the snapshot's order, finality checkpoints in order, and (before Electra) the
    /// exit queue summary equal to the registry's.
    pub(super) fn restore(records: ChainRecords) -> Result<Self, Error> {
        records.preset.validate()?;
        let mismatch = || Error::from(StateError::ChainMismatch);
        if records.validators.len() != records.balances.len()
            || records.slashings.0.len() as u64 != records.preset.epochs_per_slashings_vector
            || !records.epoch.finality.is_ordered()
        {
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
        let count = records.validators.len() as u64;
        let current = records.epoch.current_epoch;
        let bad_vote = |vote: &Vote| {
            vote.validator.0 >= count
                || (vote.target.epoch != current && vote.target.epoch != previous_epoch(current))
        };
        let sorted = records
            .votes
            .windows(2)
            .all(|pair| matches!(pair, [a, b] if a.canonical_key() <= b.canonical_key()));
        if !sorted || records.votes.iter().any(bad_vote) {
            return Err(mismatch());
        }
        let keys = index_keys(&records.validators)?;
        Ok(Self { records, keys })
    }
}

/// The evidence of a slashing message.
enum Evidence<'a> {
    Proposer(&'a ProposerSlashing),
    Attester(&'a AttesterSlashing),
}

/// The event of one slashing: the proposer's reward is both its parts (the proposer is the
/// whistleblower).
fn slashed_event(slashed: &Slashed, validators: &[Validator]) -> Event {
    let exit_epoch = usize::try_from(slashed.index.0)
        .ok()
        .and_then(|at| validators.get(at))
        .map_or(FAR_FUTURE_EPOCH, |v| v.exit_epoch);
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

/// Electra's `process_pending_deposits` at the end of an epoch, on `records`: credits what the
/// churn allows, appends the validators it creates, and rewrites the queue as the spec does
/// (`pending_deposits[next_deposit_index:] + deposits_to_postpone`). Returns a
/// [`Event::ValidatorDeposited`] per credit.
fn credit_pending_deposits(
    records: &mut ChainRecords,
    keys: &HashMap<BlsPubkey, ValidatorIndex>,
    view: &EpochView,
) -> Result<Vec<Event>, Error> {
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
    let mut events: Vec<Event> = (0u64..)
        .zip(before.iter().zip(&records.balances))
        .filter(|(_, (old, new))| old != new)
        .map(|(index, (old, new))| Event::ValidatorDeposited {
            index: ValidatorIndex(index),
            amount: new.saturating_sub(*old),
            balance: *new,
        })
        .collect();
    for created in outcome.new_validators.iter() {
        let index = ValidatorIndex(records.validators.len() as u64);
        records.validators.push(created.validator);
        records.balances.push(created.balance);
        events.push(Event::ValidatorDeposited {
            index,
            amount: created.balance,
            balance: created.balance,
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
    Ok(events)
}
