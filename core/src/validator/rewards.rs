//! Rewards, penalties and the inactivity leak, as per-validator *steps* for a single-pass
//! epoch loop — the spec's `process_inactivity_updates` and `process_rewards_and_penalties`
//! (altair to electra), phase0's attestation deltas ([`phase0`]), and the proposer's share of
//! an attestation (altair `process_attestation`).
//!
//! ## Shape
//! The spec computes each delta list over the whole registry and then walks the registry
//! again to apply them. Here what a rule reads from the rest of the registry is computed once
//! per epoch into a small record ([`RewardEpoch`], [`phase0::RewardEpoch`]): the total active
//! balance, the participating balances, the finality delay and the leak; a validator's part is
//! a [`RewardStatus`] (its eligibility, effective balance and previous-epoch participation).
//! The per-validator functions take those two and return `u64` Gwei amounts. Nothing
//! allocates; every operation is checked `u64` arithmetic in the spec's order of evaluation,
//! and a `uint64` overflow (which makes the spec's state transition invalid) is
//! [`NumError::Overflow`]. The only saturation is the spec's own: `decrease_balance` stops at
//! 0, and `x -= min(y, x)` in `process_inactivity_updates`.
//!
//! ## Why one pass over the registry gives the spec's result (altair to electra)
//! `process_epoch` runs `process_inactivity_updates` over every validator, then
//! `process_rewards_and_penalties`, which computes all four delta lists (`get_flag_index_deltas`
//! for source, target and head, then `get_inactivity_penalty_deltas`) before it applies any,
//! and applies them as "for each delta list, for each validator: `increase_balance`, then
//! `decrease_balance`".
//! - The deltas of a validator read only the epoch-wide values (fixed before the epoch's
//!   processing starts: effective balances change only later, in
//!   `process_effective_balance_updates`), its own record, its own participation flags and its
//!   own inactivity score — which `process_inactivity_updates` has already updated, and which
//!   nothing else changes. So computing a validator's deltas right after updating its score
//!   ([`inactivity_score_step`], then [`rewards_and_penalties_step`]) gives the spec's deltas.
//! - Applying a delta changes only that validator's balance, and no delta reads a balance.
//!   So the operations on one balance happen in the spec's order — source (increase,
//!   decrease), target (…), head (…), inactivity (…) — whatever the order of validators.
//!   The order within a balance matters, since `decrease_balance` saturates: a penalty that
//!   takes a balance to 0 before a later reward is not the same as netting them; so
//!   [`apply_deltas`] applies the four pairs one by one, never a sum.
//!
//! Phase 0 is different: see [`phase0`].
//!
//! ## What the caller must pass (the spec reads it from the state)
//! - The **finalized epoch after this epoch's `process_justification_and_finalization`**,
//!   which runs first in `process_epoch`: the leak and the finality delay read it.
//! - `get_total_active_balance` of the **current** epoch (the spec's total), and the
//!   participating balances of the **previous** epoch (`get_unslashed_participating_indices`:
//!   active in the previous epoch, unslashed, flag set). Either may be passed as the raw sum:
//!   both are floored at `EFFECTIVE_BALANCE_INCREMENT` here, as `get_total_balance` does.
//! - The validator's `previous_epoch_participation` flags and, for the rewards, its inactivity
//!   score **after** [`inactivity_score_step`].
//!
//! ## Errors the spec meets only inside its per-validator loops
//! `EFFECTIVE_BALANCE_INCREMENT * BASE_REWARD_FACTOR` overflowing, `active_increments *
//! WEIGHT_DENOMINATOR` overflowing or zero, and `INACTIVITY_SCORE_BIAS *
//! INACTIVITY_PENALTY_QUOTIENT` overflowing or zero are errors in the spec only once some
//! validator needs them; [`RewardEpoch::new`] keeps them and the step that needs the value
//! reports them, so an epoch without such a validator succeeds, as in the spec. (None of them
//! happens with a preset that passes [`Preset::validate`].)

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use super::{Fork, Preset, PresetParameter, Validator, ValidatorError};
use crate::error::Error;
use crate::finality::{GENESIS_EPOCH, previous_epoch};
use crate::ids::Epoch;
use crate::num::NumError;

fn zero(parameter: PresetParameter) -> Error {
    ValidatorError::ZeroParameter { parameter }.into()
}

fn overflow() -> Error {
    NumError::Overflow.into()
}

fn mul(a: u64, b: u64) -> Result<u64, Error> {
    a.checked_mul(b).ok_or_else(overflow)
}

fn add(a: u64, b: u64) -> Result<u64, Error> {
    a.checked_add(b).ok_or_else(overflow)
}

fn div(a: u64, b: u64, parameter: PresetParameter) -> Result<u64, Error> {
    a.checked_div(b).ok_or_else(|| zero(parameter))
}

// ---------------------------------------------------------------------------------------
// Math and shared helpers (phase0)
// ---------------------------------------------------------------------------------------

/// `UINT64_MAX_SQRT` (phase0 constant, `uint64(4294967295)`): what [`integer_squareroot`]
/// returns for `u64::MAX`.
pub const UINT64_MAX_SQRT: u64 = 4_294_967_295;

/// `integer_squareroot` (phase0): the largest `x` with `x² ≤ n`. The spec computes it by
/// Newton's iteration and special-cases `n == UINT64_MAX` (where its `x + 1` overflows) to
/// [`UINT64_MAX_SQRT`]; `core`'s exact integer square root gives the same value for every `n`
/// (tested against the definition, and at `u64::MAX`).
pub const fn integer_squareroot(n: u64) -> u64 {
    n.isqrt()
}

/// `increase_balance` (phase0) on one balance: `balance + delta`, or
/// [`NumError::Overflow`] (a `uint64` overflow invalidates the spec's transition).
#[inline]
pub fn increase_balance(balance: u64, delta: u64) -> Result<u64, Error> {
    add(balance, delta)
}

/// `decrease_balance` (phase0) on one balance: `0 if delta > balance else balance - delta` —
/// the spec's own "underflow protection", so it saturates at 0.
#[inline]
pub const fn decrease_balance(balance: u64, delta: u64) -> u64 {
    balance.saturating_sub(delta)
}

/// `get_finality_delay` (phase0): `previous_epoch - finalized_epoch`, with the state's
/// previous epoch and finalized checkpoint epoch passed in. A finalized epoch after the
/// previous epoch (never the case on a chain) is a `uint64` underflow:
/// [`NumError::Underflow`].
#[inline]
pub fn get_finality_delay(previous_epoch: Epoch, finalized_epoch: Epoch) -> Result<u64, Error> {
    Ok(previous_epoch
        .0
        .checked_sub(finalized_epoch.0)
        .ok_or(NumError::Underflow)?)
}

/// `is_in_inactivity_leak` (phase0, unchanged to electra): `get_finality_delay >
/// MIN_EPOCHS_TO_INACTIVITY_PENALTY` — strictly greater: with the mainnet 4, a delay of 4 is
/// no leak and 5 is. Errors as [`get_finality_delay`].
#[inline]
pub fn is_in_inactivity_leak(
    preset: &Preset,
    previous_epoch: Epoch,
    finalized_epoch: Epoch,
) -> Result<bool, Error> {
    Ok(get_finality_delay(previous_epoch, finalized_epoch)?
        > preset.min_epochs_to_inactivity_penalty)
}

/// Where an epoch stands against finality, the same in every fork: the epoch whose end is
/// processed, its previous epoch, `get_finality_delay` and `is_in_inactivity_leak` (with the
/// finalized epoch after this epoch's justification and finalization). Both forks' reward
/// constants ([`RewardEpoch`], [`phase0::RewardEpoch`]) hold one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FinalityDelay {
    current_epoch: Epoch,
    previous_epoch: Epoch,
    finality_delay: u64,
    in_leak: bool,
}

impl FinalityDelay {
    /// At the end of `current_epoch`, with `finalized_epoch` finalized. Errors as
    /// [`get_finality_delay`].
    pub fn new(
        preset: &Preset,
        current_epoch: Epoch,
        finalized_epoch: Epoch,
    ) -> Result<Self, Error> {
        let previous_epoch = previous_epoch(current_epoch);
        let finality_delay = get_finality_delay(previous_epoch, finalized_epoch)?;
        Ok(Self {
            current_epoch,
            previous_epoch,
            finality_delay,
            in_leak: finality_delay > preset.min_epochs_to_inactivity_penalty,
        })
    }

    /// `get_current_epoch(state)`: the epoch whose end is processed.
    pub fn current_epoch(&self) -> Epoch {
        self.current_epoch
    }

    /// Whether the current epoch is `GENESIS_EPOCH`: inactivity updates and rewards are
    /// skipped ("rewards are for work done in the previous epoch").
    pub fn is_genesis(&self) -> bool {
        self.current_epoch == GENESIS_EPOCH
    }

    /// `get_previous_epoch(state)`.
    pub fn previous_epoch(&self) -> Epoch {
        self.previous_epoch
    }

    /// `get_finality_delay(state)`.
    pub fn finality_delay(&self) -> u64 {
        self.finality_delay
    }

    /// `is_in_inactivity_leak(state)`.
    pub fn in_leak(&self) -> bool {
        self.in_leak
    }
}

/// Membership in `get_eligible_validator_indices` (phase0, unchanged to electra): active in
/// the previous epoch, or slashed and `previous_epoch + 1 < withdrawable_epoch` (slashed
/// validators keep being penalised until they are withdrawable).
///
/// Evaluated as Python's `or`/`and`: `previous_epoch + 1` is computed only for a slashed
/// validator that was not active, and its overflow is then [`NumError::Overflow`].
#[inline]
pub fn is_eligible_validator(validator: &Validator, previous_epoch: Epoch) -> Result<bool, Error> {
    if validator.is_active_validator(previous_epoch) {
        return Ok(true);
    }
    if !validator.slashed {
        return Ok(false);
    }
    Ok(add(previous_epoch.0, 1)? < validator.withdrawable_epoch.0)
}

/// A reward and a penalty for one validator, Gwei: one entry of the spec's `(rewards,
/// penalties)` lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Encode, Decode, MaxEncodedLen)]
pub struct Delta {
    /// Added with `increase_balance`.
    pub reward: u64,
    /// Taken with `decrease_balance` (saturating at 0).
    pub penalty: u64,
}

impl Delta {
    /// A reward alone.
    pub const fn reward(reward: u64) -> Self {
        Self { reward, penalty: 0 }
    }

    /// A penalty alone.
    pub const fn penalty(penalty: u64) -> Self {
        Self { reward: 0, penalty }
    }
}

/// `balance` after each `(reward, penalty)` pair of `deltas` in turn: `increase_balance(reward)`
/// (checked: [`NumError::Overflow`]), then `decrease_balance(penalty)` (saturating) — the
/// order in which altair's `process_rewards_and_penalties` touches one balance. Pure: the
/// caller writes the result.
#[inline]
pub fn apply_deltas(balance: u64, deltas: &[Delta]) -> Result<u64, Error> {
    deltas.iter().try_fold(balance, |balance, delta| {
        Ok(decrease_balance(
            increase_balance(balance, delta.reward)?,
            delta.penalty,
        ))
    })
}

// ---------------------------------------------------------------------------------------
// Participation flags (altair)
// ---------------------------------------------------------------------------------------

/// `TIMELY_SOURCE_FLAG_INDEX` (altair).
pub const TIMELY_SOURCE_FLAG_INDEX: usize = 0;
/// `TIMELY_TARGET_FLAG_INDEX` (altair).
pub const TIMELY_TARGET_FLAG_INDEX: usize = 1;
/// `TIMELY_HEAD_FLAG_INDEX` (altair).
pub const TIMELY_HEAD_FLAG_INDEX: usize = 2;
/// `len(PARTICIPATION_FLAG_WEIGHTS)` (altair): the flags that carry rewards.
pub const PARTICIPATION_FLAG_COUNT: usize = 3;

/// `PARTICIPATION_FLAG_WEIGHTS` (altair): `[TIMELY_SOURCE_WEIGHT, TIMELY_TARGET_WEIGHT,
/// TIMELY_HEAD_WEIGHT]`, indexed by flag index.
#[inline]
pub const fn participation_flag_weights(preset: &Preset) -> [u64; PARTICIPATION_FLAG_COUNT] {
    [
        preset.timely_source_weight,
        preset.timely_target_weight,
        preset.timely_head_weight,
    ]
}

/// `ParticipationFlags` (altair custom type, `uint8`): one validator's participation in an
/// epoch, one bit per flag index. Its SCALE byte equals its SSZ byte.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Encode, Decode, MaxEncodedLen,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ParticipationFlags(pub u8);

impl ParticipationFlags {
    /// No flag (`ParticipationFlags(0b0000_0000)`, a new validator's and every validator's
    /// at the start of an epoch).
    pub const NONE: Self = Self(0);
    /// Source, target and head.
    pub const ALL: Self = Self(0b0000_0111);

    /// `ParticipationFlags(2**flag_index)`, or `None` for a flag index of 8 or more (out of a
    /// `uint8`, an error in the spec; it only ever uses 0 to 2).
    const fn bit(flag_index: usize) -> Option<u8> {
        if flag_index < 8 {
            Some(1u8 << flag_index)
        } else {
            None
        }
    }

    /// `has_flag` (altair): `flags & 2**flag_index == 2**flag_index`. False for a flag index
    /// of 8 or more.
    #[inline]
    pub const fn has_flag(self, flag_index: usize) -> bool {
        match Self::bit(flag_index) {
            Some(bit) => self.0 & bit == bit,
            None => false,
        }
    }

    /// `add_flag` (altair): `flags | 2**flag_index`. Unchanged for a flag index of 8 or more.
    #[inline]
    #[must_use]
    pub const fn add_flag(self, flag_index: usize) -> Self {
        match Self::bit(flag_index) {
            Some(bit) => Self(self.0 | bit),
            None => self,
        }
    }
}

/// `get_attestation_participation_flag_indices` (altair; deneb, EIP-7045; unchanged in
/// electra): the flags an attestation included `inclusion_delay` slots after its slot earns,
/// as a [`ParticipationFlags`] (the spec returns the list of their indices).
///
/// The spec defines the matches as nested — `is_matching_target = is_matching_source and
/// <target root matches>`, `is_matching_head = is_matching_target and <head root matches>` —
/// and so does this function: `is_matching_target` counts only with `is_matching_source`, and
/// `is_matching_head` only with both. The caller may pass the spec's nested values or the bare
/// root comparisons; the result is the same.
///
/// - source: matching source and `inclusion_delay ≤ integer_squareroot(SLOTS_PER_EPOCH)`;
/// - target: matching target and `inclusion_delay ≤ SLOTS_PER_EPOCH` — from Deneb on any
///   delay (EIP-7045: `process_attestation` no longer bounds it either);
/// - head: matching head and `inclusion_delay == MIN_ATTESTATION_INCLUSION_DELAY`.
///
/// `None` when the source does not match: the spec's `assert is_matching_source` fails, and
/// the attestation (and its block) is invalid. Phase 0 has no participation flags; under
/// [`Fork::Phase0`] the altair rule is applied.
#[inline]
pub fn get_attestation_participation_flag_indices(
    preset: &Preset,
    is_matching_source: bool,
    is_matching_target: bool,
    is_matching_head: bool,
    inclusion_delay: u64,
) -> Option<ParticipationFlags> {
    let is_matching_target = is_matching_source && is_matching_target;
    let is_matching_head = is_matching_target && is_matching_head;
    if !is_matching_source {
        return None;
    }
    let mut flags = ParticipationFlags::NONE;
    if inclusion_delay <= integer_squareroot(preset.slots_per_epoch) {
        flags = flags.add_flag(TIMELY_SOURCE_FLAG_INDEX);
    }
    let target_in_time = match preset.fork {
        Fork::Phase0 | Fork::Altair | Fork::Bellatrix => inclusion_delay <= preset.slots_per_epoch,
        Fork::Deneb | Fork::Electra => true,
    };
    if is_matching_target && target_in_time {
        flags = flags.add_flag(TIMELY_TARGET_FLAG_INDEX);
    }
    if is_matching_head && inclusion_delay == preset.min_attestation_inclusion_delay {
        flags = flags.add_flag(TIMELY_HEAD_FLAG_INDEX);
    }
    Some(flags)
}

// ---------------------------------------------------------------------------------------
// Base rewards and the proposer's share of an attestation (altair)
// ---------------------------------------------------------------------------------------

/// `get_base_reward_per_increment` (altair): `EFFECTIVE_BALANCE_INCREMENT *
/// BASE_REWARD_FACTOR // integer_squareroot(get_total_active_balance(state))`, Gwei.
///
/// `total_active_balance` is floored at `EFFECTIVE_BALANCE_INCREMENT`, as
/// `get_total_balance` returns it (so the raw sum may be passed). Errors: the product
/// overflows ([`NumError::Overflow`]); a zero increment with a zero total
/// ([`ValidatorError::ZeroParameter`] `EFFECTIVE_BALANCE_INCREMENT`).
pub fn get_base_reward_per_increment(
    preset: &Preset,
    total_active_balance: u64,
) -> Result<u64, Error> {
    let increment = preset.effective_balance_increment;
    let total = total_active_balance.max(increment);
    div(
        mul(increment, preset.base_reward_factor)?,
        integer_squareroot(total),
        PresetParameter::EffectiveBalanceIncrement,
    )
}

/// `get_base_reward` (altair): `effective_balance // EFFECTIVE_BALANCE_INCREMENT *
/// base_reward_per_increment`, Gwei. "On average an optimally performing validator earns one
/// base reward per epoch."
#[inline]
pub fn get_base_reward(
    preset: &Preset,
    base_reward_per_increment: u64,
    effective_balance: u64,
) -> Result<u64, Error> {
    let increments = div(
        effective_balance,
        preset.effective_balance_increment,
        PresetParameter::EffectiveBalanceIncrement,
    )?;
    mul(increments, base_reward_per_increment)
}

/// The flag update and the proposer-reward numerator of one attester in altair's
/// `process_attestation`: for each flag index in order (source, target, head) that
/// `participation_flag_indices` holds and `epoch_participation` lacks, the flag is added and
/// `get_base_reward * weight` joins the numerator.
///
/// Returns the attester's new flags and its contribution to `proposer_reward_numerator`
/// (0 if no flag is new; the base reward is then not computed, as in the spec). Only the
/// three reward flags are looked at. The caller sums the contributions of one attestation's
/// attesting indices (checked: an overflow is [`NumError::Overflow`]) and divides once per
/// attestation with [`get_attestation_proposer_reward`].
///
/// `base_reward_per_increment` is [`get_base_reward_per_increment`] of the block's state (the
/// current epoch's total active balance).
pub fn attestation_participation_update(
    preset: &Preset,
    base_reward_per_increment: u64,
    effective_balance: u64,
    epoch_participation: ParticipationFlags,
    participation_flag_indices: ParticipationFlags,
) -> Result<(ParticipationFlags, u64), Error> {
    let mut flags = epoch_participation;
    let mut numerator = 0u64;
    let mut base_reward = None;
    for (flag_index, weight) in participation_flag_weights(preset).into_iter().enumerate() {
        if participation_flag_indices.has_flag(flag_index) && !flags.has_flag(flag_index) {
            flags = flags.add_flag(flag_index);
            let base = match base_reward {
                Some(base) => base,
                None => {
                    let base =
                        get_base_reward(preset, base_reward_per_increment, effective_balance)?;
                    base_reward = Some(base);
                    base
                }
            };
            numerator = add(numerator, mul(base, weight)?)?;
        }
    }
    Ok((flags, numerator))
}

/// `proposer_reward_denominator` of altair's `process_attestation`: `(WEIGHT_DENOMINATOR -
/// PROPOSER_WEIGHT) * WEIGHT_DENOMINATOR // PROPOSER_WEIGHT` (mainnet 56 · 64 // 8 = 448).
///
/// Errors: `PROPOSER_WEIGHT > WEIGHT_DENOMINATOR` ([`NumError::Underflow`]), the product
/// overflows ([`NumError::Overflow`]), `PROPOSER_WEIGHT` is 0, or the denominator comes out 0
/// (then reported as [`ValidatorError::ZeroParameter`] `WEIGHT_DENOMINATOR`: the spec's
/// division by it fails).
pub fn proposer_reward_denominator(preset: &Preset) -> Result<u64, Error> {
    let rest = preset
        .weight_denominator
        .checked_sub(preset.proposer_weight)
        .ok_or(NumError::Underflow)?;
    let denominator = div(
        mul(rest, preset.weight_denominator)?,
        preset.proposer_weight,
        PresetParameter::ProposerWeight,
    )?;
    if denominator == 0 {
        return Err(zero(PresetParameter::WeightDenominator));
    }
    Ok(denominator)
}

/// `proposer_reward` of altair's `process_attestation`: `proposer_reward_numerator //
/// proposer_reward_denominator`, Gwei — the numerator summed over one attestation's
/// attesters with [`attestation_participation_update`]. The proposer's balance then gets
/// `increase_balance` of it.
pub fn get_attestation_proposer_reward(
    preset: &Preset,
    proposer_reward_numerator: u64,
) -> Result<u64, Error> {
    div(
        proposer_reward_numerator,
        proposer_reward_denominator(preset)?,
        PresetParameter::WeightDenominator,
    )
}

// ---------------------------------------------------------------------------------------
// The epoch's rewards and penalties (altair to electra)
// ---------------------------------------------------------------------------------------

/// The spec's name for the inactivity penalty quotient the fork uses.
fn inactivity_quotient_parameter(fork: Fork) -> PresetParameter {
    match fork {
        Fork::Phase0 => PresetParameter::InactivityPenaltyQuotient,
        Fork::Altair => PresetParameter::InactivityPenaltyQuotientAltair,
        Fork::Bellatrix | Fork::Deneb | Fork::Electra => {
            PresetParameter::InactivityPenaltyQuotientBellatrix
        }
    }
}

/// What altair's (to electra's) `process_inactivity_updates` and
/// `process_rewards_and_penalties` read from the whole state, computed once per epoch.
///
/// See the [module docs](self) for what the arguments must be (the finalized epoch after this
/// epoch's justification and finalization; the current epoch's total active balance; the
/// previous epoch's participating balances) and for the errors kept until a validator needs
/// the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RewardEpoch {
    finality: FinalityDelay,
    total_active_balance: u64,
    active_increments: u64,
    unslashed_participating_increments: [u64; PARTICIPATION_FLAG_COUNT],
    /// `get_base_reward_per_increment`, or its error.
    base_reward_per_increment: Result<u64, Error>,
    /// `active_increments * WEIGHT_DENOMINATOR`, or its error.
    reward_denominator: Result<u64, Error>,
    /// `INACTIVITY_SCORE_BIAS * INACTIVITY_PENALTY_QUOTIENT_<fork>`, or its error.
    inactivity_penalty_denominator: Result<u64, Error>,
    increment: u64,
    weights: [u64; PARTICIPATION_FLAG_COUNT],
    weight_denominator: u64,
    inactivity_score_bias: u64,
    inactivity_score_recovery_rate: u64,
}

impl RewardEpoch {
    /// The epoch's values at the end of `current_epoch`:
    /// - `previous_epoch` = `get_previous_epoch`; `finality_delay` = `get_finality_delay`
    ///   and `in_leak` = `is_in_inactivity_leak` with `finalized_epoch` (after this epoch's
    ///   `process_justification_and_finalization`);
    /// - `total_active_balance` = `get_total_active_balance` (floored at the increment) and
    ///   `active_increments` = it `// EFFECTIVE_BALANCE_INCREMENT`;
    /// - per flag index, `unslashed_participating_increments` =
    ///   `get_total_balance(get_unslashed_participating_indices(flag, previous_epoch)) //
    ///   EFFECTIVE_BALANCE_INCREMENT` (balances floored at the increment);
    /// - `get_base_reward_per_increment`.
    ///
    /// Errors: [`ValidatorError::WrongFork`] under [`Fork::Phase0`] (use
    /// [`phase0::RewardEpoch`]); [`ValidatorError::ZeroParameter`]
    /// `EFFECTIVE_BALANCE_INCREMENT` (the spec divides by it in `get_flag_index_deltas` in
    /// every epoch but the genesis epoch); a finalized epoch after the previous epoch
    /// ([`NumError::Underflow`], from `get_finality_delay`).
    pub fn new(
        preset: &Preset,
        current_epoch: Epoch,
        finalized_epoch: Epoch,
        total_active_balance: u64,
        unslashed_participating_balances: [u64; PARTICIPATION_FLAG_COUNT],
    ) -> Result<Self, Error> {
        if preset.fork == Fork::Phase0 {
            return Err(ValidatorError::WrongFork { fork: preset.fork }.into());
        }
        let increment = preset.effective_balance_increment;
        let in_increments = |balance: u64| {
            div(
                balance.max(increment),
                increment,
                PresetParameter::EffectiveBalanceIncrement,
            )
        };
        let active_increments = in_increments(total_active_balance)?;
        let [source, target, head] = unslashed_participating_balances;
        let unslashed_participating_increments = [
            in_increments(source)?,
            in_increments(target)?,
            in_increments(head)?,
        ];
        let finality = FinalityDelay::new(preset, current_epoch, finalized_epoch)?;
        let weight_denominator = preset.weight_denominator;
        let reward_denominator = active_increments
            .checked_mul(weight_denominator)
            .ok_or_else(overflow)
            .and_then(|d| match d {
                0 => Err(zero(PresetParameter::WeightDenominator)),
                d => Ok(d),
            });
        let quotient = preset.inactivity_penalty_quotient();
        let inactivity_penalty_denominator = preset
            .inactivity_score_bias
            .checked_mul(quotient)
            .ok_or_else(overflow)
            .and_then(|d| match d {
                0 if preset.inactivity_score_bias == 0 => {
                    Err(zero(PresetParameter::InactivityScoreBias))
                }
                0 => Err(zero(inactivity_quotient_parameter(preset.fork))),
                d => Ok(d),
            });
        Ok(Self {
            finality,
            total_active_balance: total_active_balance.max(increment),
            active_increments,
            unslashed_participating_increments,
            base_reward_per_increment: get_base_reward_per_increment(preset, total_active_balance),
            reward_denominator,
            inactivity_penalty_denominator,
            increment,
            weights: participation_flag_weights(preset),
            weight_denominator,
            inactivity_score_bias: preset.inactivity_score_bias,
            inactivity_score_recovery_rate: preset.inactivity_score_recovery_rate,
        })
    }

    /// Where the epoch stands against finality.
    pub fn finality(&self) -> &FinalityDelay {
        &self.finality
    }

    /// `get_total_active_balance(state)`, floored at the increment, Gwei.
    pub fn total_active_balance(&self) -> u64 {
        self.total_active_balance
    }

    /// `active_increments` of `get_flag_index_deltas`.
    pub fn active_increments(&self) -> u64 {
        self.active_increments
    }

    /// `unslashed_participating_increments` of `get_flag_index_deltas`, by flag index.
    pub fn unslashed_participating_increments(&self) -> [u64; PARTICIPATION_FLAG_COUNT] {
        self.unslashed_participating_increments
    }

    /// `get_base_reward_per_increment(state)`, or its error (see [`get_base_reward_per_increment`]).
    pub fn base_reward_per_increment(&self) -> Result<u64, Error> {
        self.base_reward_per_increment
    }

    /// `get_base_reward` (altair) for a validator with `effective_balance`.
    #[inline]
    pub fn get_base_reward(&self, effective_balance: u64) -> Result<u64, Error> {
        let increments = div(
            effective_balance,
            self.increment,
            PresetParameter::EffectiveBalanceIncrement,
        )?;
        mul(increments, self.base_reward_per_increment?)
    }

    /// [`inactivity_score_step`] for `status` in this epoch.
    #[inline]
    pub fn inactivity_score_step(&self, status: &RewardStatus, score: u64) -> Result<u64, Error> {
        update_inactivity_score(
            self.inactivity_score_bias,
            self.inactivity_score_recovery_rate,
            self.finality.is_genesis(),
            self.finality.in_leak,
            status.eligible,
            status.is_target_participant(),
            score,
        )
    }
}

/// What the altair rules read of one validator: its eligibility, its effective balance and
/// which of its previous-epoch flags count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RewardStatus {
    /// In `get_eligible_validator_indices` ([`is_eligible_validator`]).
    pub eligible: bool,
    /// `validator.effective_balance`, Gwei.
    pub effective_balance: u64,
    /// The `previous_epoch_participation` flags that put it in
    /// `get_unslashed_participating_indices(state, flag_index, previous_epoch)`: its flags if
    /// it is unslashed and was active in the previous epoch, else none.
    pub unslashed_participating: ParticipationFlags,
}

impl RewardStatus {
    /// The status of `validator` with `previous_epoch_participation` flags. Errors as
    /// [`is_eligible_validator`].
    #[inline]
    pub fn new(
        validator: &Validator,
        previous_epoch: Epoch,
        previous_epoch_participation: ParticipationFlags,
    ) -> Result<Self, Error> {
        let counts = !validator.slashed && validator.is_active_validator(previous_epoch);
        Ok(Self {
            eligible: is_eligible_validator(validator, previous_epoch)?,
            effective_balance: validator.effective_balance,
            unslashed_participating: if counts {
                previous_epoch_participation
            } else {
                ParticipationFlags::NONE
            },
        })
    }

    /// In `get_unslashed_participating_indices(state, TIMELY_TARGET_FLAG_INDEX,
    /// previous_epoch)`: the set the inactivity rules test.
    #[inline]
    pub fn is_target_participant(&self) -> bool {
        self.unslashed_participating
            .has_flag(TIMELY_TARGET_FLAG_INDEX)
    }
}

/// `process_inactivity_updates` (altair, unchanged to electra) for one validator: its new
/// inactivity score.
///
/// Unchanged at the genesis epoch ("score updates are based on the previous epoch
/// participation") and for a validator not in `get_eligible_validator_indices`. Otherwise a
/// target participant (unslashed, active in the previous epoch, `TIMELY_TARGET` flag set in it)
/// loses `min(1, score)`, any other gains `INACTIVITY_SCORE_BIAS` (checked:
/// [`NumError::Overflow`]); then, outside an inactivity leak, every eligible validator loses
/// `min(INACTIVITY_SCORE_RECOVERY_RATE, score)`. Scores never go below 0.
///
/// [`RewardEpoch::inactivity_score_step`] passes the epoch's and the validator's values.
/// Errors: [`ValidatorError::WrongFork`] under [`Fork::Phase0`] (no inactivity scores).
#[inline]
pub fn inactivity_score_step(
    preset: &Preset,
    epoch_is_genesis: bool,
    in_leak: bool,
    eligible: bool,
    is_target_participant: bool,
    score: u64,
) -> Result<u64, Error> {
    if preset.fork == Fork::Phase0 {
        return Err(ValidatorError::WrongFork { fork: preset.fork }.into());
    }
    update_inactivity_score(
        preset.inactivity_score_bias,
        preset.inactivity_score_recovery_rate,
        epoch_is_genesis,
        in_leak,
        eligible,
        is_target_participant,
        score,
    )
}

fn update_inactivity_score(
    bias: u64,
    recovery_rate: u64,
    epoch_is_genesis: bool,
    in_leak: bool,
    eligible: bool,
    is_target_participant: bool,
    score: u64,
) -> Result<u64, Error> {
    if epoch_is_genesis || !eligible {
        return Ok(score);
    }
    let score = if is_target_participant {
        // `score -= min(1, score)`
        score.saturating_sub(1)
    } else {
        add(score, bias)?
    };
    Ok(if in_leak {
        score
    } else {
        // `score -= min(INACTIVITY_SCORE_RECOVERY_RATE, score)`
        score.saturating_sub(recovery_rate)
    })
}

/// `get_flag_index_deltas` (altair, unchanged to electra) for one validator, for the three
/// flag indices (source, target, head), indexed by flag index.
///
/// For an eligible validator and each flag with weight `w`: a participant
/// (`status.unslashed_participating` has the flag) gets, outside an inactivity leak,
/// `base_reward * w * unslashed_participating_increments // (active_increments *
/// WEIGHT_DENOMINATOR)` — nothing in a leak; a non-participant is penalised `base_reward * w
/// // WEIGHT_DENOMINATOR`, except for the head flag (no head penalty). A validator that is not
/// eligible gets nothing. Products are checked in the spec's order (left to right).
pub fn get_flag_index_deltas(
    epoch: &RewardEpoch,
    status: &RewardStatus,
) -> Result<[Delta; PARTICIPATION_FLAG_COUNT], Error> {
    let mut deltas = [Delta::default(); PARTICIPATION_FLAG_COUNT];
    if !status.eligible {
        return Ok(deltas);
    }
    let base_reward = epoch.get_base_reward(status.effective_balance)?;
    let flags = epoch
        .weights
        .iter()
        .zip(&epoch.unslashed_participating_increments)
        .zip(deltas.iter_mut())
        .enumerate();
    for (flag_index, ((weight, participating_increments), delta)) in flags {
        if status.unslashed_participating.has_flag(flag_index) {
            if !epoch.finality.in_leak {
                let numerator = mul(mul(base_reward, *weight)?, *participating_increments)?;
                delta.reward = div(
                    numerator,
                    epoch.reward_denominator?,
                    PresetParameter::WeightDenominator,
                )?;
            }
        } else if flag_index != TIMELY_HEAD_FLAG_INDEX {
            delta.penalty = div(
                mul(base_reward, *weight)?,
                epoch.weight_denominator,
                PresetParameter::WeightDenominator,
            )?;
        }
    }
    Ok(deltas)
}

/// `get_inactivity_penalty_deltas` (altair; bellatrix and on with
/// `INACTIVITY_PENALTY_QUOTIENT_BELLATRIX`) for one validator: an eligible validator that is
/// not a target participant is penalised `effective_balance * inactivity_score //
/// (INACTIVITY_SCORE_BIAS * INACTIVITY_PENALTY_QUOTIENT_<fork>)` — in or out of a leak (the
/// score is what leaks). Never a reward.
///
/// `inactivity_score` is the score after this epoch's [`inactivity_score_step`] (the spec
/// updates scores first). Errors: the product overflows ([`NumError::Overflow`]); the
/// denominator overflows or is 0 (see [`RewardEpoch`]).
pub fn get_inactivity_penalty_deltas(
    epoch: &RewardEpoch,
    status: &RewardStatus,
    inactivity_score: u64,
) -> Result<Delta, Error> {
    if !status.eligible || status.is_target_participant() {
        return Ok(Delta::default());
    }
    let numerator = mul(status.effective_balance, inactivity_score)?;
    let denominator = epoch.inactivity_penalty_denominator?;
    Ok(Delta::penalty(div(
        numerator,
        denominator,
        PresetParameter::InactivityScoreBias,
    )?))
}

/// The four `(reward, penalty)` pairs `process_rewards_and_penalties` (altair) applies to one
/// validator, in its order: `get_flag_index_deltas` for source, target and head, then
/// `get_inactivity_penalty_deltas`.
pub fn get_validator_deltas(
    epoch: &RewardEpoch,
    status: &RewardStatus,
    inactivity_score: u64,
) -> Result<[Delta; 4], Error> {
    let [source, target, head] = get_flag_index_deltas(epoch, status)?;
    let inactivity = get_inactivity_penalty_deltas(epoch, status, inactivity_score)?;
    Ok([source, target, head, inactivity])
}

/// `process_rewards_and_penalties` (altair, unchanged to electra) for one validator: its four
/// delta pairs ([`get_validator_deltas`]) applied to `balance` one pair at a time —
/// `increase_balance(reward)` then `decrease_balance(penalty)` for source, target, head and
/// inactivity — which is what the spec's "for each delta list, for each validator" loop does
/// to this balance (see the [module docs](self)). Returns the deltas.
///
/// A no-op at the genesis epoch (the deltas returned are then all zero). `inactivity_score`
/// is the score after [`inactivity_score_step`]. On `Err` (an overflow: the spec's
/// transition is invalid) `balance` is unchanged.
pub fn rewards_and_penalties_step(
    epoch: &RewardEpoch,
    status: &RewardStatus,
    inactivity_score: u64,
    balance: &mut u64,
) -> Result<[Delta; 4], Error> {
    if epoch.finality.is_genesis() {
        return Ok([Delta::default(); 4]);
    }
    let deltas = get_validator_deltas(epoch, status, inactivity_score)?;
    *balance = apply_deltas(*balance, &deltas)?;
    Ok(deltas)
}

// ---------------------------------------------------------------------------------------
// Phase 0
// ---------------------------------------------------------------------------------------

pub mod phase0 {
    //! Phase 0's attestation rewards and penalties (`specs/phase0/beacon-chain.md`,
    //! *Rewards and penalties*): `get_attestation_deltas` per validator.
    //!
    //! Phase 0 records attestations, not flags: a validator's part in the previous epoch is
    //! which of its `PendingAttestation`s match the source (all of them:
    //! `process_attestation` asserts it), the target and the head, and the earliest of them
    //! by inclusion delay — an [`AttestationRecord`].
    //!
    //! **Not one pass.** `process_rewards_and_penalties` (phase0) sums each validator's
    //! rewards — source, target, head and inclusion delay, *including the proposer rewards it
    //! earned for including other validators' attestations* — and its penalties — source,
    //! target, head and inactivity — and then applies `increase_balance(rewards)` followed by
    //! `decrease_balance(penalties)` once. A validator's total therefore depends on other
    //! validators' attestations (those it included as proposer): the caller must gather every
    //! [`InclusionReward::proposer_reward`] into its proposer's sum (a first pass, or a running
    //! sum kept as attestations are processed) before applying any balance with
    //! [`process_rewards_and_penalties_step`]. Netting is the spec's rule here (unlike altair):
    //! a penalty never zeroes a balance before a reward of the same epoch.

    use super::{
        Delta, FinalityDelay, NumError, Preset, PresetParameter, Validator, ValidatorError, add,
        decrease_balance, div, increase_balance, integer_squareroot, is_eligible_validator, mul,
    };
    use crate::error::Error;
    use crate::ids::{Epoch, ValidatorIndex};
    use crate::validator::Fork;

    /// What phase 0's `get_attestation_deltas` reads from the whole state, computed once per
    /// epoch.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct RewardEpoch {
        finality: FinalityDelay,
        total_balance: u64,
        total_increments: u64,
        attesting_increments: [u64; 3],
        sqrt_total_balance: u64,
        increment: u64,
        base_reward_factor: u64,
        base_rewards_per_epoch: u64,
        proposer_reward_quotient: u64,
        inactivity_penalty_quotient: u64,
    }

    impl RewardEpoch {
        /// The epoch's values at the end of `current_epoch`:
        /// `get_previous_epoch`; `get_finality_delay` and `is_in_inactivity_leak` with
        /// `finalized_epoch` (after this epoch's `process_justification_and_finalization`);
        /// `total_balance` = `get_total_active_balance` (current epoch); and
        /// `attesting_balances` = `get_attesting_balance` of the previous epoch's matching
        /// source, target and head attestations (unslashed attesters only). All balances are
        /// floored at `EFFECTIVE_BALANCE_INCREMENT`, as `get_total_balance` does, so raw sums
        /// may be passed.
        ///
        /// Errors: [`ValidatorError::WrongFork`] unless [`Fork::Phase0`];
        /// [`ValidatorError::ZeroParameter`] `EFFECTIVE_BALANCE_INCREMENT`; a finalized epoch
        /// after the previous epoch ([`NumError::Underflow`]).
        pub fn new(
            preset: &Preset,
            current_epoch: Epoch,
            finalized_epoch: Epoch,
            total_active_balance: u64,
            attesting_balances: [u64; 3],
        ) -> Result<Self, Error> {
            if preset.fork != Fork::Phase0 {
                return Err(ValidatorError::WrongFork { fork: preset.fork }.into());
            }
            let increment = preset.effective_balance_increment;
            let in_increments = |balance: u64| {
                div(
                    balance.max(increment),
                    increment,
                    PresetParameter::EffectiveBalanceIncrement,
                )
            };
            let total_balance = total_active_balance.max(increment);
            let [source, target, head] = attesting_balances;
            Ok(Self {
                finality: FinalityDelay::new(preset, current_epoch, finalized_epoch)?,
                total_balance,
                total_increments: in_increments(total_balance)?,
                attesting_increments: [
                    in_increments(source)?,
                    in_increments(target)?,
                    in_increments(head)?,
                ],
                sqrt_total_balance: integer_squareroot(total_balance),
                increment,
                base_reward_factor: preset.base_reward_factor,
                base_rewards_per_epoch: preset.base_rewards_per_epoch,
                proposer_reward_quotient: preset.proposer_reward_quotient,
                inactivity_penalty_quotient: preset.inactivity_penalty_quotient(),
            })
        }

        /// Where the epoch stands against finality.
        pub fn finality(&self) -> &FinalityDelay {
            &self.finality
        }

        /// `get_total_active_balance(state)`, floored at the increment, Gwei.
        pub fn total_balance(&self) -> u64 {
            self.total_balance
        }

        /// `attesting_balance // increment` for source, target and head.
        pub fn attesting_increments(&self) -> [u64; 3] {
            self.attesting_increments
        }

        /// `get_base_reward` (phase0): `effective_balance * BASE_REWARD_FACTOR //
        /// integer_squareroot(total_balance) // BASE_REWARDS_PER_EPOCH`, Gwei.
        #[inline]
        pub fn get_base_reward(&self, effective_balance: u64) -> Result<u64, Error> {
            let scaled = div(
                mul(effective_balance, self.base_reward_factor)?,
                self.sqrt_total_balance,
                PresetParameter::EffectiveBalanceIncrement,
            )?;
            div(
                scaled,
                self.base_rewards_per_epoch,
                PresetParameter::BaseRewardsPerEpoch,
            )
        }

        /// `get_proposer_reward` (phase0) for an attester with `effective_balance`:
        /// `get_base_reward // PROPOSER_REWARD_QUOTIENT`, Gwei.
        #[inline]
        pub fn get_proposer_reward(&self, effective_balance: u64) -> Result<u64, Error> {
            div(
                self.get_base_reward(effective_balance)?,
                self.proposer_reward_quotient,
                PresetParameter::ProposerRewardQuotient,
            )
        }
    }

    /// The inclusion of a validator's earliest previous-epoch attestation (phase0
    /// `PendingAttestation`): the one `get_inclusion_delay_deltas` picks with `min(…,
    /// key=lambda a: a.inclusion_delay)` — the first in the state's list among equal delays.
    /// The all-zero value (`Default`) stands for "none": a recorded delay is at least 1.
    #[derive(
        Clone,
        Copy,
        Debug,
        Default,
        PartialEq,
        Eq,
        Hash,
        parity_scale_codec::Encode,
        parity_scale_codec::Decode,
        parity_scale_codec::MaxEncodedLen,
    )]
    #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
    pub struct Inclusion {
        /// `inclusion_delay`, slots: at least `MIN_ATTESTATION_INCLUSION_DELAY` (1) for an
        /// attestation `process_attestation` accepted.
        pub inclusion_delay: u64,
        /// `proposer_index` of the block that included it.
        pub proposer_index: ValidatorIndex,
    }

    /// One validator's previous-epoch attestations (phase0), as the host's attestation index
    /// finds them in `state.previous_epoch_attestations`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct AttestationRecord {
        /// The earliest of its attestations by inclusion delay. Every previous-epoch
        /// attestation matches the source (`get_matching_source_attestations`), so having one
        /// makes it a source attester.
        pub earliest: Inclusion,
        /// One of them matches the target (`get_matching_target_attestations`).
        pub matching_target: bool,
        /// One of them matches the head (`get_matching_head_attestations`, a subset of the
        /// target-matching ones: counted only with `matching_target`).
        pub matching_head: bool,
    }

    /// What phase 0's rules read of one validator.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct RewardStatus {
        /// In `get_eligible_validator_indices` ([`super::is_eligible_validator`]).
        pub eligible: bool,
        /// `validator.slashed`: a slashed validator is in no `get_unslashed_attesting_indices`.
        pub slashed: bool,
        /// `validator.effective_balance`, Gwei.
        pub effective_balance: u64,
        /// Its previous-epoch attestations, if any.
        pub attestations: Option<AttestationRecord>,
    }

    impl RewardStatus {
        /// The status of `validator` with its previous-epoch `attestations`. Errors as
        /// [`super::is_eligible_validator`].
        #[inline]
        pub fn new(
            validator: &Validator,
            previous_epoch: Epoch,
            attestations: Option<AttestationRecord>,
        ) -> Result<Self, Error> {
            Ok(Self {
                eligible: is_eligible_validator(validator, previous_epoch)?,
                slashed: validator.slashed,
                effective_balance: validator.effective_balance,
                attestations,
            })
        }

        /// In `get_unslashed_attesting_indices` of the matching source, target and head
        /// attestations (nested: target only with source, head only with target).
        #[inline]
        pub fn unslashed_attester(&self) -> [bool; 3] {
            match self.attestations {
                Some(record) if !self.slashed => {
                    let target = record.matching_target;
                    [true, target, target && record.matching_head]
                }
                _ => [false; 3],
            }
        }
    }

    /// `get_source_deltas`, `get_target_deltas` and `get_head_deltas` (phase0), through
    /// `get_attestation_component_deltas`, for one validator: source, target, head.
    ///
    /// For an eligible validator and each component: an unslashed attester gets the full
    /// base reward in an inactivity leak ("since full base reward will be canceled out by
    /// inactivity penalty deltas"), else `base_reward * (attesting_balance // increment) //
    /// (total_balance // increment)`; any other eligible validator is penalised one base
    /// reward. A validator that is not eligible gets nothing.
    pub fn get_attestation_component_deltas(
        epoch: &RewardEpoch,
        status: &RewardStatus,
    ) -> Result<[Delta; 3], Error> {
        let mut deltas = [Delta::default(); 3];
        if !status.eligible {
            return Ok(deltas);
        }
        let base_reward = epoch.get_base_reward(status.effective_balance)?;
        let components = status
            .unslashed_attester()
            .into_iter()
            .zip(epoch.attesting_increments)
            .zip(deltas.iter_mut());
        for ((attester, attesting_increments), delta) in components {
            *delta = if !attester {
                Delta::penalty(base_reward)
            } else if epoch.finality.in_leak {
                Delta::reward(base_reward)
            } else {
                Delta::reward(div(
                    mul(base_reward, attesting_increments)?,
                    epoch.total_increments,
                    PresetParameter::EffectiveBalanceIncrement,
                )?)
            };
        }
        Ok(deltas)
    }

    /// What `get_inclusion_delay_deltas` (phase0) gives for one attester.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct InclusionReward {
        /// The attester's own reward: `(base_reward - proposer_reward) // inclusion_delay`.
        pub attester_reward: u64,
        /// The proposer that included its earliest attestation: credit it with
        /// [`InclusionReward::proposer_reward`] before applying its balance.
        pub proposer_index: ValidatorIndex,
        /// `get_proposer_reward(state, attester)`, for the proposer.
        pub proposer_reward: u64,
    }

    /// `get_inclusion_delay_deltas` (phase0) for one validator: `None` unless it is an
    /// unslashed source attester. Its earliest attestation's proposer earns
    /// `get_proposer_reward` (`base_reward // PROPOSER_REWARD_QUOTIENT`), and the attester
    /// `(base_reward - proposer_reward) // inclusion_delay` — the whole remainder at delay 1.
    /// No penalties.
    ///
    /// Errors: an inclusion delay of 0 is [`NumError::Underflow`] (a delay below its minimum
    /// of 1: the spec's division by it fails, and no error variant names it better;
    /// `process_attestation` never records such an attestation with a valid preset).
    pub fn get_inclusion_delay_deltas(
        epoch: &RewardEpoch,
        status: &RewardStatus,
    ) -> Result<Option<InclusionReward>, Error> {
        let Some(record) = status.attestations else {
            return Ok(None);
        };
        if status.slashed {
            return Ok(None);
        }
        let base_reward = epoch.get_base_reward(status.effective_balance)?;
        let proposer_reward = epoch.get_proposer_reward(status.effective_balance)?;
        let max_attester_reward = base_reward
            .checked_sub(proposer_reward)
            .ok_or(NumError::Underflow)?;
        let attester_reward = max_attester_reward
            .checked_div(record.earliest.inclusion_delay)
            .ok_or(NumError::Underflow)?;
        Ok(Some(InclusionReward {
            attester_reward,
            proposer_index: record.earliest.proposer_index,
            proposer_reward,
        }))
    }

    /// `get_inactivity_penalty_deltas` (phase0) for one validator: in an inactivity leak,
    /// an eligible validator is penalised `BASE_REWARDS_PER_EPOCH * base_reward -
    /// get_proposer_reward` ("if validator is performing optimally this cancels all
    /// rewards for a neutral balance"), plus, unless it is an unslashed target attester,
    /// `effective_balance * finality_delay // INACTIVITY_PENALTY_QUOTIENT`. Nothing outside a
    /// leak. Returns the penalty.
    pub fn get_inactivity_penalty_deltas(
        epoch: &RewardEpoch,
        status: &RewardStatus,
    ) -> Result<u64, Error> {
        if !epoch.finality.in_leak || !status.eligible {
            return Ok(0);
        }
        let base_reward = epoch.get_base_reward(status.effective_balance)?;
        let proposer_reward = epoch.get_proposer_reward(status.effective_balance)?;
        let mut penalty = mul(epoch.base_rewards_per_epoch, base_reward)?
            .checked_sub(proposer_reward)
            .ok_or(NumError::Underflow)?;
        let [_, target, _] = status.unslashed_attester();
        if !target {
            let leak = div(
                mul(status.effective_balance, epoch.finality.finality_delay)?,
                epoch.inactivity_penalty_quotient,
                PresetParameter::InactivityPenaltyQuotient,
            )?;
            penalty = add(penalty, leak)?;
        }
        Ok(penalty)
    }

    /// One validator's share of `get_attestation_deltas` (phase0).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct AttestationDeltas {
        /// `get_source_deltas`, `get_target_deltas`, `get_head_deltas`.
        pub components: [Delta; 3],
        /// `get_inclusion_delay_deltas`: its own reward and its proposer's credit.
        pub inclusion: Option<InclusionReward>,
        /// `get_inactivity_penalty_deltas`.
        pub inactivity_penalty: u64,
    }

    impl AttestationDeltas {
        /// `source + target + head + inclusion_delay` rewards of this validator as attester
        /// (checked) — *without* the proposer rewards other validators' attestations earn it,
        /// which the caller adds before applying.
        pub fn rewards(&self) -> Result<u64, Error> {
            let own = self.inclusion.map_or(0, |i| i.attester_reward);
            self.components
                .iter()
                .try_fold(own, |sum, delta| add(sum, delta.reward))
        }

        /// `source + target + head + inactivity` penalties (checked).
        pub fn penalties(&self) -> Result<u64, Error> {
            self.components
                .iter()
                .try_fold(self.inactivity_penalty, |sum, delta| {
                    add(sum, delta.penalty)
                })
        }
    }

    /// `get_attestation_deltas` (phase0) for one validator: the three component deltas,
    /// the inclusion-delay reward (with its proposer's credit) and the inactivity penalty.
    pub fn get_attestation_deltas(
        epoch: &RewardEpoch,
        status: &RewardStatus,
    ) -> Result<AttestationDeltas, Error> {
        Ok(AttestationDeltas {
            components: get_attestation_component_deltas(epoch, status)?,
            inclusion: get_inclusion_delay_deltas(epoch, status)?,
            inactivity_penalty: get_inactivity_penalty_deltas(epoch, status)?,
        })
    }

    /// `process_rewards_and_penalties` (phase0) over the whole registry in the spec's order,
    /// for its first error only: `get_source_deltas`, `get_target_deltas` and
    /// `get_head_deltas` over every validator, then `get_inclusion_delay_deltas` over the
    /// attesters by index (for each: its proposer looked up — an unknown one is
    /// [`ValidatorError::UnknownValidator`] —, credited, then its own reward), then
    /// `get_inactivity_penalty_deltas`, the sums, and each balance's increase. The per-
    /// validator functions above give the same values in fewer passes; only the order of
    /// their errors needs the spec's loops. (The spec iterates the attesters as a Python set;
    /// ascending index order is ours.)
    ///
    /// `status(i)` and `balance(i)` describe validator `i < count`; `inclusion_rewards` is
    /// scratch for the spec's inclusion-delay rewards, one per validator (overwritten).
    pub fn check_rewards_and_penalties(
        epoch: &RewardEpoch,
        count: usize,
        status: impl Fn(usize) -> Result<RewardStatus, Error>,
        balance: impl Fn(usize) -> u64,
        inclusion_rewards: &mut [u64],
    ) -> Result<(), Error> {
        for at in 0..count {
            get_attestation_component_deltas(epoch, &status(at)?)?;
        }
        inclusion_rewards.fill(0);
        for at in 0..count {
            let attester = status(at)?;
            let Some(record) = attester.attestations.filter(|_| !attester.slashed) else {
                continue;
            };
            let proposer = record.earliest.proposer_index;
            let credit = usize::try_from(proposer.0)
                .ok()
                .and_then(|p| inclusion_rewards.get_mut(p))
                .ok_or(ValidatorError::UnknownValidator {
                    index: proposer,
                    count: count as u64,
                })?;
            *credit = add(
                *credit,
                epoch.get_proposer_reward(attester.effective_balance)?,
            )?;
            if let (Some(own), Some(reward)) = (
                inclusion_rewards.get_mut(at),
                get_inclusion_delay_deltas(epoch, &attester)?,
            ) {
                *own = add(*own, reward.attester_reward)?;
            }
        }
        for at in 0..count {
            get_inactivity_penalty_deltas(epoch, &status(at)?)?;
        }
        // The sums and the balances: every error here is an overflow, whatever the order.
        for at in 0..count {
            let status = status(at)?;
            let deltas = AttestationDeltas {
                components: get_attestation_component_deltas(epoch, &status)?,
                inclusion: None,
                inactivity_penalty: get_inactivity_penalty_deltas(epoch, &status)?,
            };
            let inclusion = inclusion_rewards.get(at).copied().unwrap_or_default();
            let rewards = add(deltas.rewards()?, inclusion)?;
            let mut balance = balance(at);
            process_rewards_and_penalties_step(epoch, rewards, deltas.penalties()?, &mut balance)?;
        }
        Ok(())
    }

    /// `process_rewards_and_penalties` (phase0) for one validator: `increase_balance(rewards)`
    /// then `decrease_balance(penalties)`, once, with the sums of `get_attestation_deltas` —
    /// `rewards` must already include every proposer reward the validator earned for
    /// including other validators' attestations ([`InclusionReward::proposer_reward`], see
    /// the [module docs](self)). A no-op at the genesis epoch. On `Err` (the reward overflows
    /// the balance) `balance` is unchanged.
    pub fn process_rewards_and_penalties_step(
        epoch: &RewardEpoch,
        rewards: u64,
        penalties: u64,
        balance: &mut u64,
    ) -> Result<(), Error> {
        if epoch.finality.is_genesis() {
            return Ok(());
        }
        *balance = decrease_balance(increase_balance(*balance, rewards)?, penalties);
        Ok(())
    }
}

#[cfg(test)]
#[path = "rewards_tests.rs"]
mod tests;
