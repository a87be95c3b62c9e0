//! Validator records: the spec's `Validator` container, deposits, and the small records the
//! registry keeps between calls (the exit queue and Electra's churn, the epoch's view of the
//! active set).

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use super::{Fork, Preset, PresetParameter, ValidatorError};
use crate::error::Error;
use crate::ids::{Epoch, Slot, ValidatorIndex};
use crate::num::NumError;

/// `FAR_FUTURE_EPOCH` (phase0 constant `Epoch(2**64 - 1)`): "not scheduled".
pub const FAR_FUTURE_EPOCH: Epoch = Epoch(u64::MAX);
/// `GENESIS_EPOCH` (phase0 constant).
pub const GENESIS_EPOCH: Epoch = Epoch(0);
/// `GENESIS_SLOT` (phase0 constant); Electra marks pending deposits from the deposit contract
/// (not from execution-layer requests) with it.
pub const GENESIS_SLOT: Slot = Slot(0);
/// `BLS_WITHDRAWAL_PREFIX` (phase0).
pub const BLS_WITHDRAWAL_PREFIX: u8 = 0x00;
/// `ETH1_ADDRESS_WITHDRAWAL_PREFIX` (phase0).
pub const ETH1_ADDRESS_WITHDRAWAL_PREFIX: u8 = 0x01;
/// `COMPOUNDING_WITHDRAWAL_PREFIX` (electra): the validator's maximum effective balance is
/// `MAX_EFFECTIVE_BALANCE_ELECTRA`.
pub const COMPOUNDING_WITHDRAWAL_PREFIX: u8 = 0x02;

/// A BLS12-381 public key (`BLSPubkey`, `Bytes48`).
pub type BlsPubkey = [u8; 48];
/// A BLS12-381 signature (`BLSSignature`, `Bytes96`).
pub type BlsSignature = [u8; 96];

/// One validator: the spec's `Validator` container (phase0, unchanged to electra), field for
/// field. Its SCALE bytes equal its SSZ serialization (121 bytes: fixed-size fields in order,
/// little-endian integers, a `0`/`1` byte for `slashed`). Its balance is kept apart, one `u64`
/// per validator, as the spec's `state.balances`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Validator {
    /// `pubkey: BLSPubkey`.
    pub pubkey: BlsPubkey,
    /// `withdrawal_credentials: Bytes32`; the first byte is the prefix (`0x00` BLS, `0x01`
    /// execution address, `0x02` compounding).
    pub withdrawal_credentials: [u8; 32],
    /// `effective_balance: Gwei`: a multiple of the increment, at most the maximum; changed
    /// only with hysteresis.
    pub effective_balance: u64,
    /// `slashed: boolean`.
    pub slashed: bool,
    /// `activation_eligibility_epoch`: when it entered the activation queue.
    pub activation_eligibility_epoch: Epoch,
    /// `activation_epoch`.
    pub activation_epoch: Epoch,
    /// `exit_epoch`.
    pub exit_epoch: Epoch,
    /// `withdrawable_epoch`.
    pub withdrawable_epoch: Epoch,
}

impl Validator {
    /// `is_active_validator` (phase0): `activation_epoch <= epoch < exit_epoch`.
    #[inline]
    pub fn is_active_validator(&self, epoch: Epoch) -> bool {
        self.activation_epoch <= epoch && epoch < self.exit_epoch
    }

    /// `is_eligible_for_activation_queue`: not yet in the queue, and the effective balance
    /// qualifies — phase0 (to deneb): `== MAX_EFFECTIVE_BALANCE`; electra (EIP-7251):
    /// `>= MIN_ACTIVATION_BALANCE`.
    #[inline]
    pub fn is_eligible_for_activation_queue(&self, preset: &Preset) -> bool {
        self.activation_eligibility_epoch == FAR_FUTURE_EPOCH
            && match preset.fork {
                Fork::Electra => self.effective_balance >= preset.min_activation_balance,
                _ => self.effective_balance == preset.max_effective_balance,
            }
    }

    /// `is_eligible_for_activation` (phase0): "Placement in queue is finalized"
    /// (`activation_eligibility_epoch <= finalized_checkpoint.epoch`) and "Has not yet been
    /// activated". The finalized epoch is a parameter (the spec reads the state's).
    #[inline]
    pub fn is_eligible_for_activation(&self, finalized_epoch: Epoch) -> bool {
        self.activation_eligibility_epoch <= finalized_epoch
            && self.activation_epoch == FAR_FUTURE_EPOCH
    }

    /// Whether no registry update can touch this validator this epoch, from three fields:
    /// already in the activation queue (so not eligible for it), already activated (so not
    /// eligible for activation), and above `EJECTION_BALANCE` (so not ejected). True for
    /// nearly every validator of a live chain: [`super::registry_update_step`] returns at once
    /// for it, and the epoch loop does not even call the step (at 1 M validators the fused
    /// registry and effective-balance steps went from about 29 to 18 ms).
    #[inline]
    pub fn is_settled(&self, preset: &Preset) -> bool {
        self.activation_eligibility_epoch != FAR_FUTURE_EPOCH
            && self.activation_epoch != FAR_FUTURE_EPOCH
            && self.effective_balance > preset.ejection_balance
    }

    /// `is_slashable_validator` (phase0): not slashed, and `activation_epoch <= epoch <
    /// withdrawable_epoch`.
    #[inline]
    pub fn is_slashable_validator(&self, epoch: Epoch) -> bool {
        !self.slashed && self.activation_epoch <= epoch && epoch < self.withdrawable_epoch
    }

    /// `has_compounding_withdrawal_credential` (electra): the `0x02` prefix.
    #[inline]
    pub fn has_compounding_withdrawal_credential(&self) -> bool {
        self.withdrawal_credentials.first() == Some(&COMPOUNDING_WITHDRAWAL_PREFIX)
    }

    /// The effective balance cap for this validator: `MAX_EFFECTIVE_BALANCE` before electra;
    /// electra's `get_max_effective_balance`: `MAX_EFFECTIVE_BALANCE_ELECTRA` with a
    /// compounding (`0x02`) credential, else `MIN_ACTIVATION_BALANCE`.
    #[inline]
    pub fn max_effective_balance(&self, preset: &Preset) -> u64 {
        match preset.fork {
            Fork::Electra if self.has_compounding_withdrawal_credential() => {
                preset.max_effective_balance_electra
            }
            Fork::Electra => preset.min_activation_balance,
            _ => preset.max_effective_balance,
        }
    }

    /// `get_validator_from_deposit` (phase0; electra): a new validator, every epoch
    /// `FAR_FUTURE_EPOCH`, effective balance `min(amount - amount % EFFECTIVE_BALANCE_INCREMENT,
    /// max)` where the max is [`Validator::max_effective_balance`] of the new record (electra
    /// looks at the deposit's withdrawal credentials).
    pub fn from_deposit(
        preset: &Preset,
        pubkey: BlsPubkey,
        withdrawal_credentials: [u8; 32],
        amount: u64,
    ) -> Result<Self, Error> {
        let mut validator = Self {
            pubkey,
            withdrawal_credentials,
            effective_balance: 0,
            slashed: false,
            activation_eligibility_epoch: FAR_FUTURE_EPOCH,
            activation_epoch: FAR_FUTURE_EPOCH,
            exit_epoch: FAR_FUTURE_EPOCH,
            withdrawable_epoch: FAR_FUTURE_EPOCH,
        };
        validator.effective_balance =
            round_to_increment(preset, amount)?.min(validator.max_effective_balance(preset));
        Ok(validator)
    }
}

/// `amount - amount % EFFECTIVE_BALANCE_INCREMENT`: rounded down to a whole increment.
pub fn round_to_increment(preset: &Preset, amount: u64) -> Result<u64, Error> {
    let rest = amount
        .checked_rem(preset.effective_balance_increment)
        .ok_or(ValidatorError::ZeroParameter {
            parameter: PresetParameter::EffectiveBalanceIncrement,
        })?;
    // `rest <= amount`, so this never fails.
    Ok(amount.checked_sub(rest).ok_or(NumError::Underflow)?)
}

/// A deposit as the spec's `DepositData` (phase0): the message the depositor signed and the
/// signature. The host checks the Merkle proof and, for a new public key, the signature (proof
/// of possession); the core never verifies BLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct DepositData {
    /// `pubkey`.
    pub pubkey: BlsPubkey,
    /// `withdrawal_credentials`.
    pub withdrawal_credentials: [u8; 32],
    /// `amount`, Gwei.
    pub amount: u64,
    /// `signature` over the `DepositMessage` (checked by the host; kept for Electra's
    /// pending deposits).
    pub signature: BlsSignature,
}

/// Electra's `PendingDeposit` container: a deposit waiting for the balance churn in
/// `state.pending_deposits`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct PendingDeposit {
    /// `pubkey`.
    pub pubkey: BlsPubkey,
    /// `withdrawal_credentials`.
    pub withdrawal_credentials: [u8; 32],
    /// `amount`, Gwei.
    pub amount: u64,
    /// `signature` (checked by the host when a new validator would be created).
    pub signature: BlsSignature,
    /// `slot`: [`GENESIS_SLOT`] for deposits through the deposit contract (and fork-upgrade
    /// and excess-balance placeholders); the block's slot for execution-layer deposit
    /// requests (`process_deposit_request`).
    pub slot: Slot,
}

impl PendingDeposit {
    /// `process_deposit_request` (electra): the pending deposit an execution-layer deposit
    /// request at `slot` appends to the queue. (The host also sets the state's
    /// `deposit_requests_start_index` on the first request.)
    pub fn from_request(deposit: &DepositData, slot: Slot) -> Self {
        Self {
            pubkey: deposit.pubkey,
            withdrawal_credentials: deposit.withdrawal_credentials,
            amount: deposit.amount,
            signature: deposit.signature,
            slot,
        }
    }
}

/// A signed voluntary exit's message (`VoluntaryExit`, phase0). The host verifies the
/// signature (domain `DOMAIN_VOLUNTARY_EXIT`, with the Capella fork version from Deneb on);
/// the core never verifies BLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct VoluntaryExit {
    /// `epoch`: the exit is not valid before it.
    pub epoch: Epoch,
    /// `validator_index`.
    pub validator_index: ValidatorIndex,
}

/// The exit queue and Electra's churn: the registry's state between calls.
///
/// **Phase0 to Deneb** (`initiate_validator_exit` scans the registry for `max(exit_epochs)` and
/// the number of validators exiting then): [`QueueState::latest_exit_epoch`] and
/// [`QueueState::exits_at_latest`] are that scan, kept up to date instead of recomputed. They
/// are exact as long as every exit epoch is written by this module (exits, ejections and
/// slashings all go through `initiate_validator_exit`): the maximum only grows, and an exit
/// assigned at the maximum adds one to its count. [`QueueState::scan`] builds them from a
/// registry; tests check that the kept values always equal a fresh scan.
///
/// **Electra** keeps the spec's own state fields: `earliest_exit_epoch`,
/// `exit_balance_to_consume`, `deposit_balance_to_consume`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct QueueState {
    /// Phase0–Deneb: the largest exit epoch other than `FAR_FUTURE_EPOCH` in the registry, or
    /// 0 if none (0 is never the exit queue epoch: that is at least
    /// `compute_activation_exit_epoch(current) ≥ 1`).
    pub latest_exit_epoch: Epoch,
    /// Phase0–Deneb: how many validators exit at [`QueueState::latest_exit_epoch`].
    pub exits_at_latest: u64,
    /// Electra `state.earliest_exit_epoch`.
    pub earliest_exit_epoch: Epoch,
    /// Electra `state.exit_balance_to_consume`, Gwei.
    pub exit_balance_to_consume: u64,
    /// Electra `state.deposit_balance_to_consume`, Gwei.
    pub deposit_balance_to_consume: u64,
}

impl QueueState {
    /// The phase0–deneb exit summary of a registry (`max(exit_epochs)` and how many exit
    /// then), with Electra's fields zero (an Electra genesis state's values).
    pub fn scan(validators: &[Validator]) -> Self {
        let mut state = Self::default();
        for validator in validators {
            state.note_exit(validator.exit_epoch);
        }
        state
    }

    /// Counts one more exit at `exit_epoch` (ignores `FAR_FUTURE_EPOCH`). Saturating: a count
    /// cannot reach `u64::MAX` with fewer validators than that.
    fn note_exit(&mut self, exit_epoch: Epoch) {
        if exit_epoch == FAR_FUTURE_EPOCH {
            return;
        }
        if exit_epoch > self.latest_exit_epoch {
            self.latest_exit_epoch = exit_epoch;
            self.exits_at_latest = 1;
        } else if exit_epoch == self.latest_exit_epoch {
            self.exits_at_latest = self.exits_at_latest.saturating_add(1);
        }
    }

    /// Electra's churn fields as `upgrade_to_electra` (electra `fork.md`) sets them:
    /// `earliest_exit_epoch` one past the latest of `compute_activation_exit_epoch(current)`
    /// and every exit epoch; `exit_balance_to_consume` the full activation/exit churn;
    /// `deposit_balance_to_consume` 0. (The upgrade's moving of pre-activation balances into
    /// pending deposits is the host's.)
    pub fn upgrade_to_electra(
        &mut self,
        preset: &Preset,
        validators: &[Validator],
        view: &EpochView,
    ) -> Result<(), Error> {
        let mut earliest = super::compute_activation_exit_epoch(preset, view.current)?;
        for validator in validators {
            if validator.exit_epoch != FAR_FUTURE_EPOCH && validator.exit_epoch > earliest {
                earliest = validator.exit_epoch;
            }
        }
        let earliest = Epoch(earliest.0.checked_add(1).ok_or(NumError::Overflow)?);
        let churn = super::get_activation_exit_churn_limit(preset, view.total_active_balance)?;
        self.earliest_exit_epoch = earliest;
        self.exit_balance_to_consume = churn;
        self.deposit_balance_to_consume = 0;
        Ok(())
    }
}

/// What the epoch's rules read from the state besides the validator being processed: the
/// current and finalized epochs, and the active set at the current epoch
/// (`get_active_validator_indices`, `get_total_active_balance`).
///
/// The active set of an epoch is fixed once the epoch starts: activations and exits only ever
/// take effect at `compute_activation_exit_epoch(current)` or later, and effective balances
/// change only in `process_effective_balance_updates`, after the registry updates. So one
/// view serves a whole epoch, and a single-pass epoch loop can build the next epoch's view
/// with [`ActiveTotals`] as it goes (as Lighthouse does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct EpochView {
    /// `get_current_epoch(state)`.
    pub current: Epoch,
    /// `state.finalized_checkpoint.epoch`.
    pub finalized: Epoch,
    /// `len(get_active_validator_indices(state, current))`.
    pub active_validators: u64,
    /// `get_total_active_balance(state)`, Gwei (at least one increment).
    pub total_active_balance: u64,
}

impl EpochView {
    /// Scans `validators` for the active set at `current`.
    pub fn scan(
        preset: &Preset,
        validators: &[Validator],
        current: Epoch,
        finalized: Epoch,
    ) -> Result<Self, Error> {
        let mut totals = ActiveTotals::default();
        for validator in validators {
            totals.add(validator, current)?;
        }
        Ok(Self {
            current,
            finalized,
            active_validators: totals.count,
            total_active_balance: totals.total_active_balance(preset),
        })
    }
}

/// Running count and effective-balance sum of the validators active at an epoch, for building
/// an [`EpochView`] during a pass over the registry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActiveTotals {
    /// Active validators seen.
    pub count: u64,
    /// Sum of their effective balances, Gwei.
    pub balance: u64,
}

impl ActiveTotals {
    /// Adds `validator` if it is active at `epoch`. The sum overflowing `u64` is an error, as
    /// in the spec's `get_total_balance` ("Math safe up to ~10B ETH").
    pub fn add(&mut self, validator: &Validator, epoch: Epoch) -> Result<(), Error> {
        if validator.is_active_validator(epoch) {
            self.balance = self
                .balance
                .checked_add(validator.effective_balance)
                .ok_or(NumError::Overflow)?;
            self.count = self.count.saturating_add(1);
        }
        Ok(())
    }

    /// `get_total_balance`'s floor: `max(EFFECTIVE_BALANCE_INCREMENT, sum)`.
    pub fn total_active_balance(&self, preset: &Preset) -> u64 {
        self.balance.max(preset.effective_balance_increment)
    }
}
