//! The validator transitions: deposits, the churn limits, exits, the registry updates and the
//! effective-balance updates of each fork.
//!
//! Everything works on slices: `&mut [Validator]` and `&mut [u64]` (balances, the spec's
//! `state.balances`), plus the small records of the `records` module. Nothing allocates. Each
//! function checks and computes into locals first and writes only once nothing can fail, so
//! an `Err` leaves every record as it was.
//!
//! The epoch's per-validator rules come in two forms: a *step* for one validator
//! ([`registry_update_step`], [`effective_balance_step`]) that a single-pass epoch loop calls
//! for each validator in turn, and the whole-registry function ([`process_registry_updates`],
//! [`process_effective_balance_updates`]) that runs the steps over a slice — first as a dry
//! run on copies of the small records (to find any overflow before writing), then for real.

use super::queue::{ActivationQueue, Selection};
use super::{
    DepositData, EpochView, FAR_FUTURE_EPOCH, Fork, GENESIS_SLOT,
    MAX_PENDING_DEPOSITS_PER_EPOCH_CAP, PendingDeposit, Preset, PresetParameter, QueueState,
    Validator, ValidatorError, VoluntaryExit, round_to_increment,
};
use crate::bounded::BoundedVec;
use crate::error::Error;
use crate::ids::{Epoch, Slot, ValidatorIndex};
use crate::num::NumError;

fn zero(parameter: PresetParameter) -> Error {
    ValidatorError::ZeroParameter { parameter }.into()
}

fn plus(epoch: Epoch, epochs: u64) -> Result<Epoch, Error> {
    Ok(Epoch(
        epoch.0.checked_add(epochs).ok_or(NumError::Overflow)?,
    ))
}

pub(super) fn position(index: ValidatorIndex, count: usize) -> Result<usize, Error> {
    usize::try_from(index.0)
        .ok()
        .filter(|i| *i < count)
        .ok_or_else(|| {
            ValidatorError::UnknownValidator {
                index,
                count: count as u64,
            }
            .into()
        })
}

pub(crate) fn same_length(validators: usize, balances: usize) -> Result<(), Error> {
    if validators == balances {
        return Ok(());
    }
    Err(ValidatorError::LengthMismatch {
        validators: validators as u64,
        balances: balances as u64,
    }
    .into())
}

// ---------------------------------------------------------------------------------------
// Epochs and churn limits
// ---------------------------------------------------------------------------------------

/// `compute_activation_exit_epoch` (phase0): `epoch + 1 + MAX_SEED_LOOKAHEAD`, the epoch at
/// which activations and exits initiated in `epoch` take effect.
pub fn compute_activation_exit_epoch(preset: &Preset, epoch: Epoch) -> Result<Epoch, Error> {
    plus(plus(epoch, 1)?, preset.max_seed_lookahead)
}

/// `get_validator_churn_limit` (phase0): `max(MIN_PER_EPOCH_CHURN_LIMIT, active //
/// CHURN_LIMIT_QUOTIENT)` validators per epoch.
pub fn get_validator_churn_limit(preset: &Preset, active_validators: u64) -> Result<u64, Error> {
    let scaled = active_validators
        .checked_div(preset.churn_limit_quotient)
        .ok_or_else(|| zero(PresetParameter::ChurnLimitQuotient))?;
    Ok(preset.min_per_epoch_churn_limit.max(scaled))
}

/// `get_validator_activation_churn_limit` (deneb, EIP-7514): `min(
/// MAX_PER_EPOCH_ACTIVATION_CHURN_LIMIT, get_validator_churn_limit)`.
pub fn get_validator_activation_churn_limit(
    preset: &Preset,
    active_validators: u64,
) -> Result<u64, Error> {
    Ok(preset
        .max_per_epoch_activation_churn_limit
        .min(get_validator_churn_limit(preset, active_validators)?))
}

/// The number of activations per epoch under the preset's fork: phase0 to bellatrix
/// `get_validator_churn_limit`, deneb `get_validator_activation_churn_limit`. Electra limits
/// activations by balance instead ([`process_pending_deposits`]):
/// [`ValidatorError::WrongFork`].
pub fn activation_churn_limit(preset: &Preset, active_validators: u64) -> Result<u64, Error> {
    match preset.fork {
        Fork::Phase0 | Fork::Altair | Fork::Bellatrix => {
            get_validator_churn_limit(preset, active_validators)
        }
        Fork::Deneb => get_validator_activation_churn_limit(preset, active_validators),
        Fork::Electra => Err(ValidatorError::WrongFork { fork: preset.fork }.into()),
    }
}

/// `get_balance_churn_limit` (electra): `max(MIN_PER_EPOCH_CHURN_LIMIT_ELECTRA,
/// total_active_balance // CHURN_LIMIT_QUOTIENT)`, rounded down to a whole increment. Gwei.
pub fn get_balance_churn_limit(preset: &Preset, total_active_balance: u64) -> Result<u64, Error> {
    let scaled = total_active_balance
        .checked_div(preset.churn_limit_quotient)
        .ok_or_else(|| zero(PresetParameter::ChurnLimitQuotient))?;
    round_to_increment(preset, preset.min_per_epoch_churn_limit_electra.max(scaled))
}

/// `get_activation_exit_churn_limit` (electra): `min(MAX_PER_EPOCH_ACTIVATION_EXIT_CHURN_LIMIT,
/// get_balance_churn_limit)`. Gwei.
pub fn get_activation_exit_churn_limit(
    preset: &Preset,
    total_active_balance: u64,
) -> Result<u64, Error> {
    Ok(preset
        .max_per_epoch_activation_exit_churn_limit
        .min(get_balance_churn_limit(preset, total_active_balance)?))
}

/// `get_consolidation_churn_limit` (electra): the balance churn left after activations and
/// exits. Gwei.
pub fn get_consolidation_churn_limit(
    preset: &Preset,
    total_active_balance: u64,
) -> Result<u64, Error> {
    let balance = get_balance_churn_limit(preset, total_active_balance)?;
    let activation_exit = get_activation_exit_churn_limit(preset, total_active_balance)?;
    Ok(balance
        .checked_sub(activation_exit)
        .ok_or(NumError::Underflow)?)
}

/// `compute_start_slot_at_epoch` (phase0): `epoch * SLOTS_PER_EPOCH`.
pub fn compute_start_slot_at_epoch(preset: &Preset, epoch: Epoch) -> Result<Slot, Error> {
    Ok(Slot(
        epoch
            .0
            .checked_mul(preset.slots_per_epoch)
            .ok_or(NumError::Overflow)?,
    ))
}

/// `compute_epoch_at_slot` (phase0): `slot // SLOTS_PER_EPOCH`.
pub fn compute_epoch_at_slot(preset: &Preset, slot: Slot) -> Result<Epoch, Error> {
    Ok(Epoch(
        slot.0
            .checked_div(preset.slots_per_epoch)
            .ok_or_else(|| zero(PresetParameter::SlotsPerEpoch))?,
    ))
}

// ---------------------------------------------------------------------------------------
// Deposits
// ---------------------------------------------------------------------------------------

/// The deposit contract's rule (not the beacon chain's): at least `MIN_DEPOSIT_AMOUNT`.
/// The spec's `process_deposit` does not check it (the contract already did); hosts that take
/// deposits directly can.
pub fn check_deposit_amount(preset: &Preset, amount: u64) -> Result<(), Error> {
    if amount < preset.min_deposit_amount {
        return Err(ValidatorError::BelowMinDeposit {
            amount,
            min: preset.min_deposit_amount,
        }
        .into());
    }
    Ok(())
}

/// What a deposit did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepositOutcome {
    /// A new validator (`add_validator_to_registry`): the host appends `validator` to the
    /// registry and `balance` to the balances; its index is the registry's length before.
    NewValidator {
        /// The record to append.
        validator: Validator,
        /// Its balance, Gwei.
        balance: u64,
    },
    /// A top-up (`increase_balance`): the balance of `index` is now `balance` (written).
    TopUp {
        /// The validator.
        index: ValidatorIndex,
        /// Its new balance, Gwei.
        balance: u64,
    },
    /// Electra (`apply_deposit` modified by EIP-7251): the amount waits in the pending
    /// deposits for the balance churn. The host appends `pending` to its pending-deposit
    /// queue and, for a new public key, first appends `new_validator` (effective balance and
    /// balance 0).
    Queued {
        /// A new validator to append with balance 0, if the public key was unknown.
        new_validator: Option<Validator>,
        /// The pending deposit to append to the queue.
        pending: PendingDeposit,
    },
}

/// `apply_deposit` (phase0; electra). The host has checked the deposit's Merkle proof, looked
/// the public key up (`existing`: its validator index, if any), and — for a new public key —
/// verified the signature: the spec ignores a new key with an invalid signature, so the host
/// then does not call this (the deposit is consumed with no effect).
///
/// - Phase0 to Deneb: a new key gives a [`DepositOutcome::NewValidator`] built by
///   `get_validator_from_deposit` (effective balance rounded down to the increment, capped
///   at `MAX_EFFECTIVE_BALANCE`) with the whole amount as balance; a known key's balance grows
///   by the amount ([`DepositOutcome::TopUp`]).
/// - Electra: a new key is registered with a zero balance, and the amount becomes a
///   [`PendingDeposit`] (slot [`GENESIS_SLOT`]) in both cases ([`DepositOutcome::Queued`]);
///   balances change later, in [`process_pending_deposits`].
///
/// Errors: [`ValidatorError::UnknownValidator`] for an `existing` index out of range;
/// [`ValidatorError::BalanceOverflow`]; a zero increment.
pub fn apply_deposit(
    preset: &Preset,
    balances: &mut [u64],
    existing: Option<ValidatorIndex>,
    deposit: &DepositData,
) -> Result<DepositOutcome, Error> {
    if preset.fork == Fork::Electra {
        let new_validator = match existing {
            Some(index) => {
                position(index, balances.len())?;
                None
            }
            None => Some(Validator::from_deposit(
                preset,
                deposit.pubkey,
                deposit.withdrawal_credentials,
                0,
            )?),
        };
        return Ok(DepositOutcome::Queued {
            new_validator,
            pending: PendingDeposit::from_request(deposit, GENESIS_SLOT),
        });
    }
    match existing {
        None => Ok(DepositOutcome::NewValidator {
            validator: Validator::from_deposit(
                preset,
                deposit.pubkey,
                deposit.withdrawal_credentials,
                deposit.amount,
            )?,
            balance: deposit.amount,
        }),
        Some(index) => {
            let slot = balances
                .get_mut(position(index, balances.len())?)
                .ok_or(NumError::Overflow)?;
            let balance = increased(index, *slot, deposit.amount)?;
            *slot = balance;
            Ok(DepositOutcome::TopUp { index, balance })
        }
    }
}

/// `increase_balance` (phase0): `balance + amount`, or [`ValidatorError::BalanceOverflow`].
fn increased(index: ValidatorIndex, balance: u64, amount: u64) -> Result<u64, Error> {
    balance.checked_add(amount).ok_or_else(|| {
        ValidatorError::BalanceOverflow {
            index,
            balance,
            amount,
        }
        .into()
    })
}

/// A validator created by [`process_pending_deposits`]: append `validator` and `balance`, in
/// order, after the existing registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewValidator {
    /// The record.
    pub validator: Validator,
    /// Its balance, Gwei.
    pub balance: u64,
}

/// What [`process_pending_deposits`] did. The host then updates its queue as the spec's
/// `state.pending_deposits = state.pending_deposits[next_deposit_index:] +
/// deposits_to_postpone`: drop the first [`PendingDepositsOutcome::processed`] entries and
/// append the ones at [`PendingDepositsOutcome::postponed`] (positions in the old queue, in
/// order); it appends [`PendingDepositsOutcome::new_validators`] to the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingDepositsOutcome {
    /// `next_deposit_index`: how many deposits at the head of the queue were handled.
    pub processed: usize,
    /// Positions (below `processed`) of deposits for exiting validators, to re-append.
    pub postponed: BoundedVec<u16, MAX_PENDING_DEPOSITS_PER_EPOCH_CAP>,
    /// Validators created, in order (their indices follow the registry's length).
    pub new_validators: BoundedVec<NewValidator, MAX_PENDING_DEPOSITS_PER_EPOCH_CAP>,
    /// Deposits credited (to an existing or new validator), including ones for withdrawn
    /// validators, which take no churn.
    pub applied: u16,
    /// Deposits dropped because a new validator's signature was invalid (they still take
    /// churn, as in the spec).
    pub rejected_signatures: u16,
    /// `processed_amount`: Gwei of churn used.
    pub churn_used: u64,
    /// The new `deposit_balance_to_consume` (also written to the [`QueueState`]).
    pub deposit_balance_to_consume: u64,
}

/// A balance change planned by [`process_pending_deposits`].
#[derive(Clone, Copy)]
struct Credit {
    position: usize,
    balance: u64,
}

/// `process_pending_deposits` (electra, EIP-7251): applies deposits from the head of the
/// pending-deposit queue, within the balance churn.
///
/// **How the spec's queue maps onto a pure function.** The queue itself (a list of up to 2²⁷
/// deposits) is the host's. The function reads its head (`pending`), the registry and the
/// balances; it writes the balances of existing validators and
/// [`QueueState::deposit_balance_to_consume`]; and it returns what the host must do to the
/// queue and the registry ([`PendingDepositsOutcome`]). At most
/// `MAX_PENDING_DEPOSITS_PER_EPOCH` (≤ [`MAX_PENDING_DEPOSITS_PER_EPOCH_CAP`]) deposits are
/// handled per call, so the outcome has fixed-size lists. Validators the call creates are
/// kept in the outcome, so a second deposit for the same new key in the same call tops it up,
/// as the spec (which appends to the registry at once) does.
///
/// The host supplies `lookup` (public key → index among `validators`, the spec's
/// `validator_pubkeys.index`), `verify` (BLS proof of possession of a deposit for a new key,
/// `is_valid_deposit_signature`), and `eth1_bridge_pending` (the spec's `state.eth1_deposit_index
/// < state.deposit_requests_start_index`).
///
/// The spec's order, per deposit: stop at a request (slot > genesis) while bridge deposits
/// are pending; stop at a deposit not yet finalized (`slot > compute_start_slot_at_epoch(
/// finalized)`); stop after `MAX_PENDING_DEPOSITS_PER_EPOCH`; a withdrawn validator's deposit
/// is applied without churn; an exiting validator's is postponed; any other is applied if
/// `processed_amount + amount ≤ deposit_balance_to_consume + get_activation_exit_churn_limit`,
/// else processing stops and the unused churn is carried to the next epoch.
///
/// Errors: [`ValidatorError::WrongFork`] before Electra; [`ValidatorError::LengthMismatch`];
/// [`ValidatorError::UnknownValidator`] if `lookup` returns an index out of range;
/// [`ValidatorError::BalanceOverflow`]; overflow of the churn or epoch arithmetic.
#[allow(clippy::too_many_arguments)]
pub fn process_pending_deposits(
    preset: &Preset,
    validators: &[Validator],
    balances: &mut [u64],
    queue: &mut QueueState,
    view: &EpochView,
    pending: &[PendingDeposit],
    eth1_bridge_pending: bool,
    mut lookup: impl FnMut(&[u8; 48]) -> Option<ValidatorIndex>,
    mut verify: impl FnMut(&PendingDeposit) -> bool,
) -> Result<PendingDepositsOutcome, Error> {
    if preset.fork != Fork::Electra {
        return Err(ValidatorError::WrongFork { fork: preset.fork }.into());
    }
    same_length(validators.len(), balances.len())?;
    let next_epoch = plus(view.current, 1)?;
    let available = queue
        .deposit_balance_to_consume
        .checked_add(get_activation_exit_churn_limit(
            preset,
            view.total_active_balance,
        )?)
        .ok_or(NumError::Overflow)?;
    let finalized_slot = compute_start_slot_at_epoch(preset, view.finalized)?;
    let max_deposits = usize::try_from(preset.max_pending_deposits_per_epoch)
        .unwrap_or(usize::MAX)
        .min(MAX_PENDING_DEPOSITS_PER_EPOCH_CAP);

    let mut out = PendingDepositsOutcome {
        processed: 0,
        postponed: BoundedVec::new(),
        new_validators: BoundedVec::new(),
        applied: 0,
        rejected_signatures: 0,
        churn_used: 0,
        deposit_balance_to_consume: 0,
    };
    let mut credits: BoundedVec<Credit, MAX_PENDING_DEPOSITS_PER_EPOCH_CAP> = BoundedVec::new();
    let mut churn_limit_reached = false;

    for (at, deposit) in pending.iter().enumerate() {
        if deposit.slot > GENESIS_SLOT && eth1_bridge_pending {
            break;
        }
        if deposit.slot > finalized_slot {
            break;
        }
        if out.processed >= max_deposits {
            break;
        }
        // The validator the deposit is for: one created earlier in this call, one in the
        // registry, or none.
        let created = out
            .new_validators
            .iter()
            .position(|n| n.validator.pubkey == deposit.pubkey);
        let existing = match created {
            Some(_) => None,
            None => match lookup(&deposit.pubkey) {
                Some(index) => Some((index, position(index, validators.len())?)),
                None => None,
            },
        };
        let (exited, withdrawn) = match existing.and_then(|(_, at)| validators.get(at)) {
            Some(v) => (
                v.exit_epoch < FAR_FUTURE_EPOCH,
                v.withdrawable_epoch < next_epoch,
            ),
            None => (false, false),
        };

        if exited && !withdrawn {
            out.postponed
                .push(u16::try_from(at).unwrap_or(u16::MAX))
                .map_err(|_| NumError::Overflow)?;
        } else {
            if !withdrawn {
                let total = out
                    .churn_used
                    .checked_add(deposit.amount)
                    .ok_or(NumError::Overflow)?;
                churn_limit_reached = total > available;
                if churn_limit_reached {
                    break;
                }
                out.churn_used = total;
            }
            // apply_pending_deposit
            match (created, existing) {
                (Some(new), _) => {
                    if let Some(entry) = out.new_validators.get_mut(new) {
                        let index =
                            ValidatorIndex((validators.len() as u64).saturating_add(new as u64));
                        entry.balance = increased(index, entry.balance, deposit.amount)?;
                    }
                    out.applied = out.applied.saturating_add(1);
                }
                (None, Some((index, at))) => {
                    let current = match credits.iter().find(|c| c.position == at) {
                        Some(credit) => credit.balance,
                        None => balances.get(at).copied().ok_or(NumError::Overflow)?,
                    };
                    let balance = increased(index, current, deposit.amount)?;
                    match credits.iter_mut().find(|c| c.position == at) {
                        Some(credit) => credit.balance = balance,
                        None => credits
                            .push(Credit {
                                position: at,
                                balance,
                            })
                            .map_err(|_| NumError::Overflow)?,
                    }
                    out.applied = out.applied.saturating_add(1);
                }
                (None, None) => {
                    if verify(deposit) {
                        let validator = Validator::from_deposit(
                            preset,
                            deposit.pubkey,
                            deposit.withdrawal_credentials,
                            deposit.amount,
                        )?;
                        out.new_validators
                            .push(NewValidator {
                                validator,
                                balance: deposit.amount,
                            })
                            .map_err(|_| NumError::Overflow)?;
                        out.applied = out.applied.saturating_add(1);
                    } else {
                        out.rejected_signatures = out.rejected_signatures.saturating_add(1);
                    }
                }
            }
        }
        out.processed = out.processed.saturating_add(1);
    }

    out.deposit_balance_to_consume = if churn_limit_reached {
        available
            .checked_sub(out.churn_used)
            .ok_or(NumError::Underflow)?
    } else {
        0
    };

    for credit in credits.iter() {
        if let Some(balance) = balances.get_mut(credit.position) {
            *balance = credit.balance;
        }
    }
    queue.deposit_balance_to_consume = out.deposit_balance_to_consume;
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Exits
// ---------------------------------------------------------------------------------------

/// An exit that was scheduled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExitScheduled {
    /// The validator.
    pub index: ValidatorIndex,
    /// Its exit epoch.
    pub exit_epoch: Epoch,
    /// Its withdrawable epoch: `exit_epoch + MIN_VALIDATOR_WITHDRAWABILITY_DELAY`.
    pub withdrawable_epoch: Epoch,
}

/// `compute_exit_epoch_and_update_churn` (electra, EIP-7251): the exit epoch of `exit_balance`
/// Gwei leaving, consuming the per-epoch activation/exit churn; updates
/// `earliest_exit_epoch` and `exit_balance_to_consume`. On error `queue` is unchanged.
pub fn compute_exit_epoch_and_update_churn(
    preset: &Preset,
    queue: &mut QueueState,
    exit_balance: u64,
    view: &EpochView,
) -> Result<Epoch, Error> {
    let mut earliest_exit_epoch = queue
        .earliest_exit_epoch
        .max(compute_activation_exit_epoch(preset, view.current)?);
    let per_epoch_churn = get_activation_exit_churn_limit(preset, view.total_active_balance)?;
    // New epoch for exits.
    let mut exit_balance_to_consume = if queue.earliest_exit_epoch < earliest_exit_epoch {
        per_epoch_churn
    } else {
        queue.exit_balance_to_consume
    };
    // Exit doesn't fit in the current earliest epoch.
    if exit_balance > exit_balance_to_consume {
        let balance_to_process = exit_balance
            .checked_sub(exit_balance_to_consume)
            .ok_or(NumError::Underflow)?;
        let additional_epochs = balance_to_process
            .checked_sub(1)
            .ok_or(NumError::Underflow)?
            .checked_div(per_epoch_churn)
            .ok_or_else(|| {
                zero(if preset.max_per_epoch_activation_exit_churn_limit == 0 {
                    PresetParameter::MaxPerEpochActivationExitChurnLimit
                } else {
                    PresetParameter::MinPerEpochChurnLimitElectra
                })
            })?
            .checked_add(1)
            .ok_or(NumError::Overflow)?;
        earliest_exit_epoch = plus(earliest_exit_epoch, additional_epochs)?;
        exit_balance_to_consume = additional_epochs
            .checked_mul(per_epoch_churn)
            .and_then(|more| exit_balance_to_consume.checked_add(more))
            .ok_or(NumError::Overflow)?;
    }
    // Consume the balance and update state variables.
    let left = exit_balance_to_consume
        .checked_sub(exit_balance)
        .ok_or(NumError::Underflow)?;
    queue.exit_balance_to_consume = left;
    queue.earliest_exit_epoch = earliest_exit_epoch;
    Ok(earliest_exit_epoch)
}

/// The exit of `validator` as `initiate_validator_exit` would set it, and the queue after it,
/// computed without writing; `None` if it is already exiting.
pub(super) fn plan_exit(
    preset: &Preset,
    index: ValidatorIndex,
    validator: &Validator,
    queue: &QueueState,
    view: &EpochView,
) -> Result<Option<(ExitScheduled, QueueState)>, Error> {
    // Return if validator already initiated exit.
    if validator.exit_epoch != FAR_FUTURE_EPOCH {
        return Ok(None);
    }
    let mut next = *queue;
    let exit_epoch = if preset.fork == Fork::Electra {
        compute_exit_epoch_and_update_churn(preset, &mut next, validator.effective_balance, view)?
    } else {
        // exit_queue_epoch = max(exit_epochs + [compute_activation_exit_epoch(current)]);
        // the registry's exit epochs are summarised by `latest_exit_epoch`/`exits_at_latest`.
        let mut exit_queue_epoch = queue
            .latest_exit_epoch
            .max(compute_activation_exit_epoch(preset, view.current)?);
        let exit_queue_churn = if exit_queue_epoch == queue.latest_exit_epoch {
            queue.exits_at_latest
        } else {
            0
        };
        if exit_queue_churn >= get_validator_churn_limit(preset, view.active_validators)? {
            exit_queue_epoch = plus(exit_queue_epoch, 1)?;
        }
        if exit_queue_epoch == next.latest_exit_epoch {
            next.exits_at_latest = next
                .exits_at_latest
                .checked_add(1)
                .ok_or(NumError::Overflow)?;
        } else {
            next.latest_exit_epoch = exit_queue_epoch;
            next.exits_at_latest = 1;
        }
        exit_queue_epoch
    };
    let withdrawable_epoch = plus(exit_epoch, preset.min_validator_withdrawability_delay)?;
    Ok(Some((
        ExitScheduled {
            index,
            exit_epoch,
            withdrawable_epoch,
        },
        next,
    )))
}

fn write_exit(
    validator: &mut Validator,
    queue: &mut QueueState,
    plan: (ExitScheduled, QueueState),
) {
    let (exit, next) = plan;
    validator.exit_epoch = exit.exit_epoch;
    validator.withdrawable_epoch = exit.withdrawable_epoch;
    *queue = next;
}

/// `initiate_validator_exit` for one validator record (phase0 to deneb: the exit queue with
/// `get_validator_churn_limit`; electra: `compute_exit_epoch_and_update_churn`), for callers
/// holding the record (the epoch loop, slashing). Returns `None` — and changes nothing — if
/// the validator is already exiting, as the spec returns early.
pub fn initiate_exit(
    preset: &Preset,
    index: ValidatorIndex,
    validator: &mut Validator,
    queue: &mut QueueState,
    view: &EpochView,
) -> Result<Option<ExitScheduled>, Error> {
    let Some(plan) = plan_exit(preset, index, validator, queue, view)? else {
        return Ok(None);
    };
    let exit = plan.0;
    write_exit(validator, queue, plan);
    Ok(Some(exit))
}

/// `initiate_validator_exit` (phase0; electra): schedules the exit of validator `index`.
///
/// Phase0 to Deneb: the exit queue epoch is the latest exit epoch in the registry or
/// `compute_activation_exit_epoch(current)`, whichever is later, plus one if
/// `get_validator_churn_limit` validators already exit then. Electra: the epoch at which the
/// validator's effective balance fits in the balance churn
/// ([`compute_exit_epoch_and_update_churn`]). Either way the withdrawable epoch is the exit
/// epoch plus `MIN_VALIDATOR_WITHDRAWABILITY_DELAY`.
///
/// Errors: [`ValidatorError::UnknownValidator`]; overflow of an epoch.
pub fn initiate_validator_exit(
    preset: &Preset,
    validators: &mut [Validator],
    index: ValidatorIndex,
    queue: &mut QueueState,
    view: &EpochView,
) -> Result<Option<ExitScheduled>, Error> {
    let at = position(index, validators.len())?;
    let validator = validators.get_mut(at).ok_or(NumError::Overflow)?;
    initiate_exit(preset, index, validator, queue, view)
}

/// `process_voluntary_exit` (phase0; deneb; electra), checks in the spec's order:
///
/// 1. the validator exists ([`ValidatorError::UnknownValidator`]);
/// 2. it is active at the current epoch ([`ValidatorError::NotActive`]);
/// 3. its exit has not been initiated ([`ValidatorError::ExitAlreadyInitiated`]);
/// 4. the current epoch has reached the exit's epoch ([`ValidatorError::ExitNotYetValid`]);
/// 5. it has been active `SHARD_COMMITTEE_PERIOD` epochs ([`ValidatorError::TooYoungToExit`]);
/// 6. Electra: no partial withdrawal is pending (`get_pending_balance_to_withdraw == 0`; the
///    host sums its pending partial withdrawals for the validator and passes the sum —
///    ignored before Electra) ([`ValidatorError::PendingWithdrawals`]);
/// 7. the signature (the host's job, before calling);
///
/// then `initiate_validator_exit`.
pub fn process_voluntary_exit(
    preset: &Preset,
    validators: &mut [Validator],
    queue: &mut QueueState,
    view: &EpochView,
    exit: &VoluntaryExit,
    pending_balance_to_withdraw: u64,
) -> Result<ExitScheduled, Error> {
    let index = exit.validator_index;
    let at = position(index, validators.len())?;
    let validator = validators.get_mut(at).ok_or(NumError::Overflow)?;
    let current = view.current;
    if !validator.is_active_validator(current) {
        return Err(ValidatorError::NotActive {
            index,
            activation_epoch: validator.activation_epoch,
            exit_epoch: validator.exit_epoch,
        }
        .into());
    }
    if validator.exit_epoch != FAR_FUTURE_EPOCH {
        return Err(ValidatorError::ExitAlreadyInitiated {
            index,
            exit_epoch: validator.exit_epoch,
        }
        .into());
    }
    if current < exit.epoch {
        return Err(ValidatorError::ExitNotYetValid {
            index,
            valid_from: exit.epoch,
        }
        .into());
    }
    let allowed_from = plus(validator.activation_epoch, preset.shard_committee_period)?;
    if current < allowed_from {
        return Err(ValidatorError::TooYoungToExit {
            index,
            allowed_from,
        }
        .into());
    }
    if preset.fork == Fork::Electra && pending_balance_to_withdraw != 0 {
        return Err(ValidatorError::PendingWithdrawals {
            index,
            amount: pending_balance_to_withdraw,
        }
        .into());
    }
    // Not yet exiting (checked above), so the plan is always `Some`.
    let plan = plan_exit(preset, index, validator, queue, view)?.ok_or(
        ValidatorError::ExitAlreadyInitiated {
            index,
            exit_epoch: validator.exit_epoch,
        },
    )?;
    let scheduled = plan.0;
    write_exit(validator, queue, plan);
    Ok(scheduled)
}

// ---------------------------------------------------------------------------------------
// Registry updates
// ---------------------------------------------------------------------------------------

/// What the registry updates read for one epoch, computed once: the view, the activation
/// epoch, and (phase0 to Deneb) the validators the activation queue chose.
#[derive(Clone, Debug)]
pub struct RegistryEpoch {
    /// The epoch's view of the state.
    pub view: EpochView,
    /// `get_current_epoch(state) + 1`, the eligibility epoch given this epoch (`None` if it
    /// overflows: an error only if some validator becomes eligible, as in the spec).
    eligibility_epoch: Option<Epoch>,
    /// `compute_activation_exit_epoch(current)` (`None` if it overflows; phase0 computes it
    /// per activation, electra up front).
    activation_epoch: Option<Epoch>,
    /// Phase0 to Deneb: the validators to activate this epoch.
    selection: Selection,
}

impl RegistryEpoch {
    /// The epoch's constants. `selection` is the activation queue's choice for phase0 to Deneb
    /// (from [`ActivationQueue::select`] with [`activation_churn_limit`]); ignored by Electra,
    /// which activates every validator eligible for activation.
    ///
    /// For the spec's result the selection must be [`Selection::exact`] (else run
    /// [`process_registry_updates`] for this epoch), and its queue must hold the registry as
    /// the spec's queue sees it: after this epoch's eligibility updates. A queue offered every
    /// validator after the previous epoch's steps qualifies whenever the finalized epoch is at
    /// most the current one (always so on a chain): validators entering the queue this epoch
    /// get eligibility `current + 1`, beyond the finalized epoch, so they cannot be chosen.
    ///
    /// Errors (Electra): `compute_activation_exit_epoch(current)` overflows — electra's
    /// `process_registry_updates` computes it first.
    pub fn new(preset: &Preset, view: EpochView, selection: Selection) -> Result<Self, Error> {
        let activation_epoch = compute_activation_exit_epoch(preset, view.current);
        let activation_epoch = match preset.fork {
            Fork::Electra => Some(activation_epoch?),
            _ => activation_epoch.ok(),
        };
        Ok(Self {
            eligibility_epoch: view.current.0.checked_add(1).map(Epoch),
            activation_epoch,
            view,
            selection,
        })
    }

    /// The activation selection in use.
    pub fn selection(&self) -> &Selection {
        &self.selection
    }
}

/// What [`registry_update_step`] did to one validator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegistryStep {
    /// It entered the activation queue: its activation eligibility epoch is now this.
    pub eligible: Option<Epoch>,
    /// It was ejected (effective balance at or below `EJECTION_BALANCE`).
    pub ejected: Option<ExitScheduled>,
    /// It was activated: its activation epoch is now this.
    pub activated: Option<Epoch>,
}

impl RegistryStep {
    /// Whether nothing changed.
    pub fn is_none(&self) -> bool {
        self.eligible.is_none() && self.ejected.is_none() && self.activated.is_none()
    }
}

/// `process_registry_updates` for one validator, for a single-pass epoch loop.
///
/// - Phase0 to Deneb (`process_registry_updates`, phase0; deneb): if eligible for the
///   activation queue, its eligibility epoch becomes `current + 1`; independently, if active
///   with an effective balance at most `EJECTION_BALANCE`, `initiate_validator_exit`; and if
///   the epoch's [`Selection`] chose it (and it is still eligible for activation), its
///   activation epoch becomes `compute_activation_exit_epoch(current)`.
/// - Electra (`process_registry_updates`, electra): the same three, as one `if`/`elif`
///   chain — eligibility, else ejection, else activation of any validator eligible for
///   activation (no count churn: Electra limits activations through the deposit churn).
///
/// A [`Validator::is_settled`] validator (queued, activated, above the ejection balance) is
/// untouched by all three, and returned at once.
///
/// Checks first, then writes: on `Err` the validator and the queue are unchanged.
#[inline]
pub fn registry_update_step(
    preset: &Preset,
    epoch: &RegistryEpoch,
    index: ValidatorIndex,
    validator: &mut Validator,
    queue: &mut QueueState,
) -> Result<RegistryStep, Error> {
    if validator.is_settled(preset) {
        return Ok(RegistryStep::default());
    }
    let view = &epoch.view;
    let overflow = || Error::from(NumError::Overflow);
    let eligible = validator.is_eligible_for_activation_queue(preset);
    let ejectable = validator.is_active_validator(view.current)
        && validator.effective_balance <= preset.ejection_balance;
    let mut step = RegistryStep::default();
    let mut exit_plan = None;
    if preset.fork == Fork::Electra {
        if eligible {
            step.eligible = Some(epoch.eligibility_epoch.ok_or_else(overflow)?);
        } else if ejectable {
            exit_plan = plan_exit(preset, index, validator, queue, view)?;
        } else if validator.is_eligible_for_activation(view.finalized) {
            step.activated = Some(epoch.activation_epoch.ok_or_else(overflow)?);
        }
    } else {
        if eligible {
            step.eligible = Some(epoch.eligibility_epoch.ok_or_else(overflow)?);
        }
        if ejectable {
            exit_plan = plan_exit(preset, index, validator, queue, view)?;
        }
        // The eligibility test first: it is cheap and false for nearly every validator.
        if validator.is_eligible_for_activation(view.finalized) && epoch.selection.contains(index) {
            step.activated = Some(epoch.activation_epoch.ok_or_else(overflow)?);
        }
    }

    if let Some(e) = step.eligible {
        validator.activation_eligibility_epoch = e;
    }
    if let Some(plan) = exit_plan {
        step.ejected = Some(plan.0);
        write_exit(validator, queue, plan);
    }
    if let Some(e) = step.activated {
        validator.activation_epoch = e;
    }
    Ok(step)
}

/// Counts of what [`process_registry_updates`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegistrySummary {
    /// Validators that entered the activation queue.
    pub eligible: u64,
    /// Validators ejected.
    pub ejected: u64,
    /// Validators activated.
    pub activated: u64,
}

impl RegistrySummary {
    pub(crate) fn count(&mut self, step: &RegistryStep) {
        if step.eligible.is_some() {
            self.eligible = self.eligible.saturating_add(1);
        }
        if step.ejected.is_some() {
            self.ejected = self.ejected.saturating_add(1);
        }
        if step.activated.is_some() {
            self.activated = self.activated.saturating_add(1);
        }
    }
}

/// `process_registry_updates` (phase0; deneb; electra) over the whole registry: activation
/// eligibility, ejections and activations. `on_change` hears of each validator that changed
/// (for the host's events, e.g. `ValidatorActivated`), in index order; under phase0 to Deneb
/// activations are reported after the eligibility and ejection changes, as the spec applies
/// them after its first loop.
///
/// Phase0 to Deneb activate the first [`activation_churn_limit`] validators of the queue in
/// `(activation_eligibility_epoch, index)` order whose eligibility epoch is finalized; the
/// queue is selected without a heap by [`ActivationQueue`], in rounds of at most
/// [`super::ACTIVATION_QUEUE_CAPACITY`] (one round unless the churn exceeds it).
///
/// Atomic: a dry run on copies of the small records finds any error first; the writes
/// cannot fail. Cost: two passes over the registry (the dry run and the writes), plus, before
/// Electra, one scan for the activation queue per round (one round unless the churn exceeds
/// [`super::ACTIVATION_QUEUE_CAPACITY`]). A single-pass epoch loop uses
/// [`registry_update_step`] instead.
pub fn process_registry_updates(
    preset: &Preset,
    validators: &mut [Validator],
    queue: &mut QueueState,
    view: &EpochView,
    mut on_change: impl FnMut(ValidatorIndex, &RegistryStep),
) -> Result<RegistrySummary, Error> {
    let churn = match preset.fork {
        Fork::Electra => 0,
        _ => activation_churn_limit(preset, view.active_validators)?,
    };
    let epoch = RegistryEpoch::new(preset, *view, Selection::empty())?;

    // Dry run: every step on a copy, to find any error before writing.
    let mut scratch_queue = *queue;
    for (i, validator) in (0u64..).zip(validators.iter()) {
        let mut copy = *validator;
        registry_update_step(
            preset,
            &epoch,
            ValidatorIndex(i),
            &mut copy,
            &mut scratch_queue,
        )?;
    }
    // The activation epoch (phase0 to Deneb compute it per activation) is checked here when
    // there may be activations, so the writes below cannot fail.
    if preset.fork != Fork::Electra && churn > 0 && epoch.activation_epoch.is_none() {
        // Queued after this epoch's eligibility updates: already queued, or entering now.
        let queued = |v: &Validator| {
            if v.is_eligible_for_activation_queue(preset) {
                let entering = Validator {
                    activation_eligibility_epoch: epoch
                        .eligibility_epoch
                        .unwrap_or(FAR_FUTURE_EPOCH),
                    ..*v
                };
                entering.is_eligible_for_activation(view.finalized)
            } else {
                v.is_eligible_for_activation(view.finalized)
            }
        };
        if validators.iter().any(queued) {
            return Err(NumError::Overflow.into());
        }
    }

    let mut summary = RegistrySummary::default();
    for (i, validator) in (0u64..).zip(validators.iter_mut()) {
        let step = registry_update_step(preset, &epoch, ValidatorIndex(i), validator, queue)?;
        if !step.is_none() {
            summary.count(&step);
            on_change(ValidatorIndex(i), &step);
        }
    }
    if preset.fork == Fork::Electra {
        return Ok(summary);
    }

    // Activations: the first `churn` of the queue, in rounds.
    let Some(activation_epoch) = epoch.activation_epoch else {
        return Ok(summary);
    };
    let first = ActivationQueue::scan(validators).select(view.finalized, churn);
    activate_queue(
        validators,
        first,
        view.finalized,
        churn,
        activation_epoch,
        &mut summary,
        on_change,
    );
    Ok(summary)
}

/// Activates the activation queue's first `churn` validators at `activation_epoch`
/// (`process_registry_updates`, phase0 to Deneb: after its first loop), starting from
/// `first`, the queue's [`Selection`] for `churn`. A selection that is not exact (more than
/// [`super::ACTIVATION_QUEUE_CAPACITY`] to activate) is followed by another round from a fresh
/// scan, which no longer holds the ones just activated.
pub(super) fn activate_queue(
    validators: &mut [Validator],
    first: Selection,
    finalized: Epoch,
    churn: u64,
    activation_epoch: Epoch,
    summary: &mut RegistrySummary,
    mut on_change: impl FnMut(ValidatorIndex, &RegistryStep),
) {
    let mut selection = first;
    let mut remaining = churn;
    loop {
        for index in selection.indices() {
            let chosen = usize::try_from(index.0)
                .ok()
                .and_then(|at| validators.get_mut(at));
            if let Some(validator) = chosen {
                validator.activation_epoch = activation_epoch;
                let step = RegistryStep {
                    activated: Some(activation_epoch),
                    ..RegistryStep::default()
                };
                summary.count(&step);
                on_change(index, &step);
            }
        }
        remaining = remaining.saturating_sub(selection.len() as u64);
        if selection.exact || selection.is_empty() || remaining == 0 {
            break;
        }
        selection = ActivationQueue::scan(validators).select(finalized, remaining);
    }
}

// ---------------------------------------------------------------------------------------
// Effective balances
// ---------------------------------------------------------------------------------------

/// The hysteresis thresholds of `process_effective_balance_updates` (phase0):
/// `HYSTERESIS_INCREMENT = EFFECTIVE_BALANCE_INCREMENT // HYSTERESIS_QUOTIENT`, downward
/// `HYSTERESIS_INCREMENT · HYSTERESIS_DOWNWARD_MULTIPLIER`, upward `… · UPWARD_MULTIPLIER`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hysteresis {
    /// `DOWNWARD_THRESHOLD`, Gwei (mainnet 0.25 ETH).
    pub downward: u64,
    /// `UPWARD_THRESHOLD`, Gwei (mainnet 1.25 ETH).
    pub upward: u64,
}

impl Hysteresis {
    /// The thresholds of `preset`.
    pub fn new(preset: &Preset) -> Result<Self, Error> {
        let step = preset
            .effective_balance_increment
            .checked_div(preset.hysteresis_quotient)
            .ok_or_else(|| zero(PresetParameter::HysteresisQuotient))?;
        Ok(Self {
            downward: step
                .checked_mul(preset.hysteresis_downward_multiplier)
                .ok_or(NumError::Overflow)?,
            upward: step
                .checked_mul(preset.hysteresis_upward_multiplier)
                .ok_or(NumError::Overflow)?,
        })
    }
}

/// An effective balance that changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EffectiveBalanceChange {
    /// Before, Gwei.
    pub from: u64,
    /// After, Gwei.
    pub to: u64,
}

/// The effective balance `process_effective_balance_updates` gives a validator with `balance`,
/// or `None` if it stays: it moves only when `balance + DOWNWARD_THRESHOLD <
/// effective_balance` or `effective_balance + UPWARD_THRESHOLD < balance` (evaluated in that
/// order, the second only if the first is false, as Python's `or`), and then to `min(balance
/// - balance % EFFECTIVE_BALANCE_INCREMENT, max)` — `MAX_EFFECTIVE_BALANCE` (phase0), or
/// electra's `get_max_effective_balance` (by the `0x02` credential).
#[inline]
pub fn next_effective_balance(
    preset: &Preset,
    hysteresis: &Hysteresis,
    validator: &Validator,
    balance: u64,
) -> Result<Option<u64>, Error> {
    let effective = validator.effective_balance;
    let below = balance
        .checked_add(hysteresis.downward)
        .ok_or(NumError::Overflow)?
        < effective;
    let moves = below
        || effective
            .checked_add(hysteresis.upward)
            .ok_or(NumError::Overflow)?
            < balance;
    if !moves {
        return Ok(None);
    }
    let max = validator.max_effective_balance(preset);
    // A balance at least one increment above the cap rounds to at least the cap: skip the
    // division (the common case of an upward move at the cap).
    let increment = preset.effective_balance_increment;
    if increment != 0 && balance.saturating_sub(increment) >= max {
        return Ok(Some(max));
    }
    Ok(Some(round_to_increment(preset, balance)?.min(max)))
}

/// `process_effective_balance_updates` for one validator (phase0; electra), for a
/// single-pass epoch loop. On `Err` the validator is unchanged.
#[inline]
pub fn effective_balance_step(
    preset: &Preset,
    hysteresis: &Hysteresis,
    validator: &mut Validator,
    balance: u64,
) -> Result<Option<EffectiveBalanceChange>, Error> {
    let Some(to) = next_effective_balance(preset, hysteresis, validator, balance)? else {
        return Ok(None);
    };
    let from = validator.effective_balance;
    if from == to {
        // Not written: an untouched record stays clean in the cache (1 M validators).
        return Ok(None);
    }
    validator.effective_balance = to;
    Ok(Some(EffectiveBalanceChange { from, to }))
}

/// `process_effective_balance_updates` (phase0; electra) over the whole registry: returns how
/// many effective balances changed. Atomic (a checking pass, then a writing pass). With an
/// empty registry nothing is computed, as in the spec (whose thresholds are computed inside
/// its loop).
pub fn process_effective_balance_updates(
    preset: &Preset,
    validators: &mut [Validator],
    balances: &[u64],
) -> Result<u64, Error> {
    same_length(validators.len(), balances.len())?;
    if validators.is_empty() {
        return Ok(0);
    }
    let hysteresis = Hysteresis::new(preset)?;
    for (validator, balance) in validators.iter().zip(balances) {
        next_effective_balance(preset, &hysteresis, validator, *balance)?;
    }
    let mut changed = 0u64;
    for (validator, balance) in validators.iter_mut().zip(balances) {
        if effective_balance_step(preset, &hysteresis, validator, *balance)?.is_some() {
            changed = changed.saturating_add(1);
        }
    }
    Ok(changed)
}
