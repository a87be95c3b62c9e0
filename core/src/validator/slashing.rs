//! Slashing: the evidence of equivocation, `slash_validator`, and the correlation penalty of
//! `process_slashings` — the seed's "an immediate penalty (up to 1 BTCC) on Day 1, the
//! correlation penalty on Day 18, and finally, ejection from the network on Day 36".
//!
//! | seed / spec (fork) | here |
//! |---|---|
//! | `BeaconBlockHeader`, `ProposerSlashing` (phase0) | [`BeaconBlockHeader`], [`ProposerSlashing`] (the signed headers without their signatures) |
//! | `AttestationData`, `IndexedAttestation`, `AttesterSlashing` (phase0) | [`AttestationData`], [`IndexedAttestation`], [`AttesterSlashing`] (without the signature; at most [`MAX_SLASHING_INDICES`] indices) |
//! | `process_proposer_slashing` (phase0): same slot, same proposer, different headers, slashable proposer | [`process_proposer_slashing`] |
//! | `is_slashable_attestation_data` (phase0): double vote or surround vote | [`is_slashable_attestation_data`] |
//! | `is_valid_indexed_attestation` (phase0): indices non-empty, sorted and unique | [`is_valid_indexed_attestation`] (plus: every index names a validator) |
//! | `process_attester_slashing` (phase0): slash the slashable intersection, in index order; none is invalid | [`process_attester_slashing`] |
//! | `slash_validator` (phase0; altair; bellatrix; electra) | [`slash_validator`], [`SlashingPlan`]: exit, `slashed`, withdrawable `max(w, epoch + EPOCHS_PER_SLASHINGS_VECTOR)`, the slashings vector, the initial penalty, the whistleblower and proposer rewards, each fork's quotients |
//! | `process_slashings` (phase0; altair; bellatrix; electra's per-increment penalty) | [`process_slashings`], [`SlashingsEpoch`], [`slashings_step`] |
//! | `process_slashings_reset` (phase0) | [`process_slashings_reset`] |
//!
//! ## The three days
//! A validator slashed at epoch `e` gets, as [`slash_validator`] sets it, a withdrawable epoch
//! of at least `e + EPOCHS_PER_SLASHINGS_VECTOR` (8192 epochs, 36.4 days of 6.4-minute
//! epochs: the seed's Day 36). [`process_slashings`] charges the correlation penalty at the
//! epoch where `epoch + EPOCHS_PER_SLASHINGS_VECTOR / 2 == withdrawable_epoch` (Day 18), in
//! proportion to all the stake slashed in the last 8192 epochs ([`SlashingsEpoch`]): a lone
//! slashing costs (almost) nothing more, a third of the stake slashed together burns whole
//! effective balances.
//!
//! ## Deliberate deviations
//! - **Signatures are the host's.** The evidence types carry no signatures: the host checks
//!   the two headers' or attestations' BLS signatures (`verify_block_signature`,
//!   `is_valid_indexed_attestation`'s aggregate check) before passing the evidence; the core
//!   checks everything else, in the spec's order.
//! - **The block proposer is an input.** `get_beacon_proposer_index` needs RANDAO and the
//!   shuffling, which the host holds: the index of the proposer of the block carrying the
//!   evidence is a parameter, and must name a validator.
//! - **At most [`MAX_SLASHING_INDICES`] (16) attesting indices** per indexed attestation (the
//!   spec allows a committee, 2048; Electra 131 072): the evidence is a fixed-size value
//!   without a heap, small enough for a hardware wallet's message buffer. Having checked the
//!   signatures over the full lists, the host sends the validators in both attestations (or
//!   any sorted subsets containing them), 16 at a time.
//! - **An unknown index is an error** ([`ValidatorError::UnknownValidator`]), where the spec's
//!   list access would make the block invalid.
//! - **Atomic.** [`process_attester_slashing`] plans every slashing of the intersection on
//!   copies (the exit queue, the slashings vector's entry, the balances it touches) before it
//!   writes anything, so an error in the tenth leaves the first nine undone.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use super::rewards::{decrease_balance, increase_balance};
use super::transitions::{plan_exit, position, same_length};
use super::{
    EpochView, ExitScheduled, Fork, Preset, PresetParameter, QueueState, Validator, ValidatorError,
};
use crate::bounded::BoundedVec;
use crate::error::Error;
use crate::finality::Checkpoint;
use crate::ids::{Epoch, Slot, ValidatorIndex};
use crate::num::NumError;

/// A block header (`BeaconBlockHeader`, phase0). SCALE bytes = SSZ bytes (112).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct BeaconBlockHeader {
    /// `slot`.
    pub slot: Slot,
    /// `proposer_index`.
    pub proposer_index: ValidatorIndex,
    /// `parent_root`.
    pub parent_root: [u8; 32],
    /// `state_root`.
    pub state_root: [u8; 32],
    /// `body_root`.
    pub body_root: [u8; 32],
}

/// Evidence that a proposer signed two different blocks for one slot (`ProposerSlashing`,
/// phase0; the host checked both signatures).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ProposerSlashing {
    /// `signed_header_1.message`.
    pub header_1: BeaconBlockHeader,
    /// `signed_header_2.message`.
    pub header_2: BeaconBlockHeader,
}

/// What an attestation votes for (`AttestationData`, phase0). SCALE bytes = SSZ bytes (128).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct AttestationData {
    /// `slot`.
    pub slot: Slot,
    /// `index`: the committee (0 from Electra on).
    pub index: u64,
    /// `beacon_block_root`: the head vote.
    pub beacon_block_root: [u8; 32],
    /// `source`: the FFG source.
    pub source: Checkpoint,
    /// `target`: the FFG target.
    pub target: Checkpoint,
}

/// An attestation with its attesters listed (`IndexedAttestation`, phase0; the host checked
/// the aggregate signature).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct IndexedAttestation {
    /// `attesting_indices`: sorted, unique, at most [`MAX_SLASHING_INDICES`].
    pub attesting_indices: SlashingIndices,
    /// `data`.
    pub data: AttestationData,
}

/// Evidence that validators signed two conflicting attestations (`AttesterSlashing`, phase0).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct AttesterSlashing {
    /// `attestation_1`.
    pub attestation_1: IndexedAttestation,
    /// `attestation_2`.
    pub attestation_2: IndexedAttestation,
}

/// The most attesting indices an [`IndexedAttestation`] of the evidence carries (the spec's
/// bound is a committee, `MAX_VALIDATORS_PER_COMMITTEE` = 2048). The host checks the
/// signatures over the full lists, then may send only the validators in both attestations,
/// 16 at a time: that keeps an [`AttesterSlashing`] message (523 bytes) within the largest
/// message a device already takes.
pub const MAX_SLASHING_INDICES: usize = 16;

/// The attesting indices of an [`IndexedAttestation`].
pub type SlashingIndices = BoundedVec<ValidatorIndex, MAX_SLASHING_INDICES>;

impl AttesterSlashing {
    /// How many validators the two attestations name in common: those the slashing accuses
    /// (the slashable among them are slashed). What a device shows before signing.
    pub fn common_indices(&self) -> usize {
        self.attestation_1
            .attesting_indices
            .iter()
            .filter(|i| self.attestation_2.attesting_indices.contains(i))
            .count()
    }
}

/// One validator slashed by [`slash_validator`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slashed {
    /// The slashed validator.
    pub index: ValidatorIndex,
    /// The exit `initiate_validator_exit` scheduled (`None` if it was already exiting).
    pub exit: Option<ExitScheduled>,
    /// Its withdrawable epoch now: at least the current epoch plus
    /// `EPOCHS_PER_SLASHINGS_VECTOR`.
    pub withdrawable_epoch: Epoch,
    /// The initial penalty taken from its balance, Gwei (`effective_balance //
    /// MIN_SLASHING_PENALTY_QUOTIENT…`, or the whole balance if that is less).
    pub penalty: u64,
    /// Its balance after the penalty (and after any reward it earned as the proposer).
    pub balance: u64,
    /// The block proposer.
    pub proposer: ValidatorIndex,
    /// The proposer's reward, Gwei.
    pub proposer_reward: u64,
    /// The whistleblower (the proposer unless named).
    pub whistleblower: ValidatorIndex,
    /// The whistleblower's reward beyond the proposer's (`whistleblower_reward -
    /// proposer_reward`), Gwei.
    pub whistleblower_reward: u64,
}

/// The slashings of one piece of evidence: one for a proposer slashing, up to
/// [`MAX_SLASHING_INDICES`] for an attester slashing, in index order.
pub type SlashedList = BoundedVec<Slashed, MAX_SLASHING_INDICES>;

/// Balances as a sequence of slashings leaves them, kept beside the registry's until every
/// slashing is known to succeed: each slashing touches at most three balances (the slashed
/// validator, the proposer, the whistleblower), and the slashed validators are distinct.
struct BalanceOverlay {
    entries: BoundedVec<(usize, u64), { MAX_SLASHING_INDICES + 2 }>,
}

impl BalanceOverlay {
    fn new() -> Self {
        Self {
            entries: BoundedVec::new(),
        }
    }

    fn get(&self, balances: &[u64], at: usize) -> Result<u64, Error> {
        match self.entries.iter().find(|(i, _)| *i == at) {
            Some((_, value)) => Ok(*value),
            None => balances
                .get(at)
                .copied()
                .ok_or_else(|| NumError::Overflow.into()),
        }
    }

    fn set(&mut self, at: usize, value: u64) -> Result<(), Error> {
        if let Some(entry) = self.entries.iter_mut().find(|(i, _)| *i == at) {
            entry.1 = value;
            return Ok(());
        }
        // At most MAX_SLASHING_INDICES slashed validators, one proposer, one whistleblower.
        self.entries
            .push((at, value))
            .map_err(|_| NumError::Overflow.into())
    }

    /// [`increase_balance`]: an overflow makes the transition invalid.
    fn increase(&mut self, balances: &[u64], at: usize, delta: u64) -> Result<(), Error> {
        let value = increase_balance(self.get(balances, at)?, delta)?;
        self.set(at, value)
    }

    /// [`decrease_balance`]; returns the amount taken.
    fn decrease(&mut self, balances: &[u64], at: usize, delta: u64) -> Result<u64, Error> {
        let before = self.get(balances, at)?;
        let after = decrease_balance(before, delta);
        self.set(at, after)?;
        Ok(before.saturating_sub(after))
    }

    fn write(&self, balances: &mut [u64]) {
        for (at, value) in self.entries.iter() {
            if let Some(balance) = balances.get_mut(*at) {
                *balance = *value;
            }
        }
    }
}

/// What [`slash_validator`] will write to one validator, computed without writing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlashingPlan {
    /// The exit and the exit queue after it (`None` if already exiting).
    exit: Option<(ExitScheduled, QueueState)>,
    /// `max(withdrawable_epoch, epoch + EPOCHS_PER_SLASHINGS_VECTOR)`.
    withdrawable_epoch: Epoch,
    /// The initial penalty: `effective_balance // MIN_SLASHING_PENALTY_QUOTIENT…`.
    penalty: u64,
    /// `effective_balance // WHISTLEBLOWER_REWARD_QUOTIENT…`.
    whistleblower_reward: u64,
    /// phase0: `whistleblower_reward // PROPOSER_REWARD_QUOTIENT`; altair on:
    /// `whistleblower_reward * PROPOSER_WEIGHT // WEIGHT_DENOMINATOR`.
    proposer_reward: u64,
}

impl SlashingPlan {
    /// `slash_validator`'s arithmetic for `validator` at `view.current`, with the exit queue
    /// as `queue` has it. Reads the fork's quotients ([`Preset::min_slashing_penalty_quotient`],
    /// [`Preset::whistleblower_reward_quotient`]).
    fn new(
        preset: &Preset,
        index: ValidatorIndex,
        validator: &Validator,
        queue: &QueueState,
        view: &EpochView,
    ) -> Result<Self, Error> {
        let exit = plan_exit(preset, index, validator, queue, view)?;
        let after_exit = exit.map_or(validator.withdrawable_epoch, |(e, _)| e.withdrawable_epoch);
        let vector_end = view
            .current
            .0
            .checked_add(preset.epochs_per_slashings_vector)
            .ok_or(NumError::Overflow)?;
        let effective_balance = validator.effective_balance;
        let penalty = effective_balance
            .checked_div(preset.min_slashing_penalty_quotient())
            .ok_or_else(|| zero(slashing_quotient_parameter(preset.fork)))?;
        let whistleblower_reward = effective_balance
            .checked_div(preset.whistleblower_reward_quotient())
            .ok_or_else(|| {
                zero(if preset.fork == Fork::Electra {
                    PresetParameter::WhistleblowerRewardQuotientElectra
                } else {
                    PresetParameter::WhistleblowerRewardQuotient
                })
            })?;
        let proposer_reward = if preset.fork == Fork::Phase0 {
            whistleblower_reward
                .checked_div(preset.proposer_reward_quotient)
                .ok_or_else(|| zero(PresetParameter::ProposerRewardQuotient))?
        } else {
            whistleblower_reward
                .checked_mul(preset.proposer_weight)
                .ok_or(NumError::Overflow)?
                .checked_div(preset.weight_denominator)
                .ok_or_else(|| zero(PresetParameter::WeightDenominator))?
        };
        Ok(Self {
            exit,
            withdrawable_epoch: after_exit.max(Epoch(vector_end)),
            penalty,
            whistleblower_reward,
            proposer_reward,
        })
    }
}

fn zero(parameter: PresetParameter) -> Error {
    ValidatorError::ZeroParameter { parameter }.into()
}

fn slashing_quotient_parameter(fork: Fork) -> PresetParameter {
    match fork {
        Fork::Phase0 => PresetParameter::MinSlashingPenaltyQuotient,
        Fork::Altair => PresetParameter::MinSlashingPenaltyQuotientAltair,
        Fork::Bellatrix | Fork::Deneb => PresetParameter::MinSlashingPenaltyQuotientBellatrix,
        Fork::Electra => PresetParameter::MinSlashingPenaltyQuotientElectra,
    }
}

/// The slot of the slashings vector for `epoch`: `epoch % EPOCHS_PER_SLASHINGS_VECTOR`, after
/// checking that `slashings` is the vector (`EPOCHS_PER_SLASHINGS_VECTOR` entries).
fn vector_slot(preset: &Preset, slashings: &[u64], epoch: Epoch) -> Result<usize, Error> {
    check_slashings_length(preset, slashings)?;
    let slot = epoch
        .0
        .checked_rem(preset.epochs_per_slashings_vector)
        .ok_or_else(|| zero(PresetParameter::EpochsPerSlashingsVector))?;
    usize::try_from(slot).map_err(|_| NumError::Overflow.into())
}

/// `state.slashings` has `EPOCHS_PER_SLASHINGS_VECTOR` entries.
pub(super) fn check_slashings_length(preset: &Preset, slashings: &[u64]) -> Result<(), Error> {
    if slashings.len() as u64 == preset.epochs_per_slashings_vector {
        return Ok(());
    }
    Err(ValidatorError::SlashingsLength {
        length: slashings.len() as u64,
        expected: preset.epochs_per_slashings_vector,
    }
    .into())
}

/// The registry a slashing writes to: the spec's `state.validators`, `state.balances`,
/// `state.slashings` and the exit queue, with the epoch's view (current epoch, active set).
pub struct SlashingRegistry<'a> {
    /// `state.validators`.
    pub validators: &'a mut [Validator],
    /// `state.balances` (as many as validators).
    pub balances: &'a mut [u64],
    /// `state.slashings` (`EPOCHS_PER_SLASHINGS_VECTOR` entries, Gwei).
    pub slashings: &'a mut [u64],
    /// The exit queue.
    pub queue: &'a mut QueueState,
    /// The current epoch and its active set (the churn of the exit).
    pub view: EpochView,
}

impl SlashingRegistry<'_> {
    /// Plans then writes the slashing of `targets` (distinct, existing indices, in order) as
    /// consecutive `slash_validator` calls would, with the block `proposer` and an optional
    /// `whistleblower`. Nothing is written unless every one succeeds.
    fn slash_all(
        &mut self,
        preset: &Preset,
        targets: &[ValidatorIndex],
        proposer: ValidatorIndex,
        whistleblower: Option<ValidatorIndex>,
    ) -> Result<SlashedList, Error> {
        same_length(self.validators.len(), self.balances.len())?;
        let proposer_at = position(proposer, self.validators.len())?;
        let whistleblower = whistleblower.unwrap_or(proposer);
        let whistleblower_at = position(whistleblower, self.validators.len())?;
        let slot = vector_slot(preset, self.slashings, self.view.current)?;
        let mut slashings_entry = self
            .slashings
            .get(slot)
            .copied()
            .ok_or(NumError::Overflow)?;
        let mut queue = *self.queue;
        let mut overlay = BalanceOverlay::new();
        let mut plans: BoundedVec<(usize, SlashingPlan), MAX_SLASHING_INDICES> = BoundedVec::new();
        let mut list = SlashedList::new();
        for &index in targets {
            let at = position(index, self.validators.len())?;
            let validator = self.validators.get(at).ok_or(NumError::Overflow)?;
            let plan = SlashingPlan::new(preset, index, validator, &queue, &self.view)?;
            if let Some((_, next)) = plan.exit {
                queue = next;
            }
            // state.slashings[epoch % EPOCHS_PER_SLASHINGS_VECTOR] += effective_balance
            slashings_entry = slashings_entry
                .checked_add(validator.effective_balance)
                .ok_or(NumError::Overflow)?;
            let penalty = overlay.decrease(self.balances, at, plan.penalty)?;
            overlay.increase(self.balances, proposer_at, plan.proposer_reward)?;
            let rest = plan
                .whistleblower_reward
                .checked_sub(plan.proposer_reward)
                .ok_or(NumError::Underflow)?;
            overlay.increase(self.balances, whistleblower_at, rest)?;
            plans.push((at, plan)).map_err(|_| NumError::Overflow)?;
            list.push(Slashed {
                index,
                exit: plan.exit.map(|(exit, _)| exit),
                withdrawable_epoch: plan.withdrawable_epoch,
                penalty,
                balance: 0,
                proposer,
                proposer_reward: plan.proposer_reward,
                whistleblower,
                whistleblower_reward: rest,
            })
            .map_err(|_| NumError::Overflow)?;
        }
        // Everything is known to succeed: write.
        for (at, plan) in plans.iter() {
            if let Some(validator) = self.validators.get_mut(*at) {
                if let Some((exit, _)) = plan.exit {
                    validator.exit_epoch = exit.exit_epoch;
                }
                validator.slashed = true;
                validator.withdrawable_epoch = plan.withdrawable_epoch;
            }
        }
        *self.queue = queue;
        if let Some(entry) = self.slashings.get_mut(slot) {
            *entry = slashings_entry;
        }
        overlay.write(self.balances);
        for slashed in list.iter_mut() {
            slashed.balance = usize::try_from(slashed.index.0)
                .ok()
                .and_then(|at| self.balances.get(at))
                .copied()
                .unwrap_or_default();
        }
        Ok(list)
    }
}

/// `slash_validator` (phase0; altair; bellatrix; electra): slashes validator `index` at the
/// current epoch.
///
/// In the spec's order: `initiate_validator_exit`; `slashed = True`; `withdrawable_epoch =
/// max(withdrawable_epoch, epoch + EPOCHS_PER_SLASHINGS_VECTOR)`; `slashings[epoch %
/// EPOCHS_PER_SLASHINGS_VECTOR] += effective_balance`; the initial penalty
/// `effective_balance // MIN_SLASHING_PENALTY_QUOTIENT` (128; altair 64; bellatrix to deneb
/// 32; electra 4096) taken with `decrease_balance` (never below 0); the whistleblower reward
/// `effective_balance // WHISTLEBLOWER_REWARD_QUOTIENT` (512; electra 4096), of which the
/// proposer gets `// PROPOSER_REWARD_QUOTIENT` (phase0) or `* PROPOSER_WEIGHT //
/// WEIGHT_DENOMINATOR` (altair on) and the whistleblower (the proposer if `None`) the rest.
///
/// The spec does not check that the validator is slashable: its callers do
/// ([`process_proposer_slashing`], [`process_attester_slashing`]). Errors:
/// [`ValidatorError::UnknownValidator`] (either index), [`ValidatorError::LengthMismatch`],
/// [`ValidatorError::SlashingsLength`], overflow (an epoch, the slashings entry, a reward);
/// nothing changes on error.
pub fn slash_validator(
    preset: &Preset,
    registry: &mut SlashingRegistry<'_>,
    index: ValidatorIndex,
    proposer: ValidatorIndex,
    whistleblower: Option<ValidatorIndex>,
) -> Result<Slashed, Error> {
    registry
        .slash_all(preset, &[index], proposer, whistleblower)?
        .first()
        .copied()
        .ok_or_else(|| NumError::Overflow.into())
}

/// `process_proposer_slashing` (phase0), checks in the spec's order:
/// 1. the headers' slots are equal ([`ValidatorError::ProposerSlotMismatch`]);
/// 2. their proposers are equal ([`ValidatorError::ProposerIndexMismatch`]);
/// 3. the headers differ ([`ValidatorError::IdenticalHeaders`]);
/// 4. the proposer is a validator ([`ValidatorError::UnknownValidator`]) and slashable at the
///    current epoch ([`ValidatorError::NotSlashable`]);
/// 5. (the signatures: the host's);
///
/// then [`slash_validator`] with the block `proposer` as whistleblower.
pub fn process_proposer_slashing(
    preset: &Preset,
    registry: &mut SlashingRegistry<'_>,
    evidence: &ProposerSlashing,
    proposer: ValidatorIndex,
) -> Result<Slashed, Error> {
    let (one, two) = (&evidence.header_1, &evidence.header_2);
    if one.slot != two.slot {
        return Err(ValidatorError::ProposerSlotMismatch {
            slot_1: one.slot,
            slot_2: two.slot,
        }
        .into());
    }
    if one.proposer_index != two.proposer_index {
        return Err(ValidatorError::ProposerIndexMismatch {
            index_1: one.proposer_index,
            index_2: two.proposer_index,
        }
        .into());
    }
    if one == two {
        return Err(ValidatorError::IdenticalHeaders.into());
    }
    let index = one.proposer_index;
    check_slashable(registry, index)?;
    slash_validator(preset, registry, index, proposer, None)
}

fn check_slashable(registry: &SlashingRegistry<'_>, index: ValidatorIndex) -> Result<(), Error> {
    let at = position(index, registry.validators.len())?;
    let validator = registry.validators.get(at).ok_or(NumError::Overflow)?;
    if validator.is_slashable_validator(registry.view.current) {
        return Ok(());
    }
    Err(ValidatorError::NotSlashable {
        index,
        slashed: validator.slashed,
        activation_epoch: validator.activation_epoch,
        withdrawable_epoch: validator.withdrawable_epoch,
    }
    .into())
}

/// `is_slashable_attestation_data` (phase0): a *double vote* (different data, same target
/// epoch) or a *surround vote* (the first's source before the second's, and the second's
/// target before the first's).
pub fn is_slashable_attestation_data(one: &AttestationData, two: &AttestationData) -> bool {
    let double = one != two && one.target.epoch == two.target.epoch;
    let surround = one.source.epoch < two.source.epoch && two.target.epoch < one.target.epoch;
    double || surround
}

/// `is_valid_indexed_attestation` (phase0) without the signature (the host's): the indices
/// are not empty and strictly increasing (`indices == sorted(set(indices))`); here also every
/// index names a validator (`count` of them), where the spec's list access would fail.
/// `which` (1 or 2) names the attestation in the error.
pub fn is_valid_indexed_attestation(
    attestation: &IndexedAttestation,
    count: usize,
    which: u8,
) -> Result<(), Error> {
    let indices = &attestation.attesting_indices;
    let increasing = indices
        .windows(2)
        .all(|pair| matches!(pair, [a, b] if a < b));
    if indices.is_empty() || !increasing {
        return Err(ValidatorError::InvalidAttestingIndices { attestation: which }.into());
    }
    for index in indices.iter() {
        position(*index, count)?;
    }
    Ok(())
}

/// `process_attester_slashing` (phase0), checks in the spec's order:
/// 1. the two attestations' data are slashable together ([`is_slashable_attestation_data`];
///    else [`ValidatorError::NotSlashableAttestations`]);
/// 2. each attestation is valid ([`is_valid_indexed_attestation`]);
/// 3. of the validators in both, in index order, each one slashable at the current epoch is
///    slashed ([`slash_validator`], the block `proposer` as whistleblower); if none is,
///    [`ValidatorError::NoSlashableValidator`].
///
/// Returns the slashings in index order. Atomic: all of them or none.
pub fn process_attester_slashing(
    preset: &Preset,
    registry: &mut SlashingRegistry<'_>,
    evidence: &AttesterSlashing,
    proposer: ValidatorIndex,
) -> Result<SlashedList, Error> {
    let (one, two) = (&evidence.attestation_1, &evidence.attestation_2);
    if !is_slashable_attestation_data(&one.data, &two.data) {
        return Err(ValidatorError::NotSlashableAttestations.into());
    }
    let count = registry.validators.len();
    is_valid_indexed_attestation(one, count, 1)?;
    is_valid_indexed_attestation(two, count, 2)?;
    // The intersection of two strictly increasing lists, in order.
    let mut slashable: BoundedVec<ValidatorIndex, MAX_SLASHING_INDICES> = BoundedVec::new();
    for index in one.attesting_indices.iter() {
        if two.attesting_indices.binary_search(index).is_ok()
            && check_slashable(registry, *index).is_ok()
        {
            slashable.push(*index).map_err(|_| NumError::Overflow)?;
        }
    }
    if slashable.is_empty() {
        return Err(ValidatorError::NoSlashableValidator.into());
    }
    registry.slash_all(preset, &slashable, proposer, None)
}

/// The epoch's constants of `process_slashings`: `adjusted_total_slashing_balance =
/// min(sum(state.slashings) * PROPORTIONAL_SLASHING_MULTIPLIER…, total_balance)` and the total
/// active balance; Electra's `penalty_per_effective_balance_increment`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlashingsEpoch {
    /// The current epoch.
    pub epoch: Epoch,
    /// `get_total_active_balance(state)`, Gwei.
    pub total_balance: u64,
    /// `min(sum(slashings) * multiplier, total_balance)`, Gwei.
    pub adjusted_total_slashing_balance: u64,
    /// Electra: `adjusted_total_slashing_balance // (total_balance // increment)`.
    pub penalty_per_increment: u64,
}

impl SlashingsEpoch {
    /// The constants for `epoch` (the epoch being processed). The sum of the vector and its
    /// product with the multiplier are checked (`uint64` overflow invalidates the transition).
    pub fn new(
        preset: &Preset,
        epoch: Epoch,
        total_balance: u64,
        slashings: &[u64],
    ) -> Result<Self, Error> {
        check_slashings_length(preset, slashings)?;
        let sum = slashings
            .iter()
            .try_fold(0u64, |sum, x| sum.checked_add(*x))
            .ok_or(NumError::Overflow)?;
        let adjusted_total_slashing_balance = sum
            .checked_mul(preset.proportional_slashing_multiplier())
            .ok_or(NumError::Overflow)?
            .min(total_balance);
        let penalty_per_increment = if preset.fork == Fork::Electra {
            let increments = total_balance
                .checked_div(preset.effective_balance_increment)
                .ok_or_else(|| zero(PresetParameter::EffectiveBalanceIncrement))?;
            // A total below one increment: the spec divides by zero (the total active balance
            // is floored at one increment, so a real state never gets here).
            adjusted_total_slashing_balance
                .checked_div(increments)
                .ok_or(NumError::Overflow)?
        } else {
            0
        };
        Ok(Self {
            epoch,
            total_balance,
            adjusted_total_slashing_balance,
            penalty_per_increment,
        })
    }

    /// Whether `process_slashings` charges `validator` this epoch: slashed, and `epoch +
    /// EPOCHS_PER_SLASHINGS_VECTOR // 2 == withdrawable_epoch`.
    #[inline]
    pub fn is_due(&self, preset: &Preset, validator: &Validator) -> bool {
        validator.slashed
            && self
                .epoch
                .0
                .checked_add(preset.epochs_per_slashings_vector / 2)
                == Some(validator.withdrawable_epoch.0)
    }

    /// The correlation penalty of `validator` (0 unless [`SlashingsEpoch::is_due`]).
    ///
    /// Phase0 to Deneb: `effective_balance // increment * adjusted_total_slashing_balance //
    /// total_balance * increment` — the increment "factored out from penalty numerator to
    /// avoid uint64 overflow" (the first formula, `effective_balance *
    /// adjusted_total_slashing_balance`, overflowed at mainnet sizes), and the result
    /// truncated to whole increments. Electra: `penalty_per_effective_balance_increment *
    /// (effective_balance // increment)`, truncating once per epoch rather than per
    /// validator.
    pub fn penalty(&self, preset: &Preset, validator: &Validator) -> Result<u64, Error> {
        if !self.is_due(preset, validator) {
            return Ok(0);
        }
        let increment = preset.effective_balance_increment;
        let increments = validator
            .effective_balance
            .checked_div(increment)
            .ok_or_else(|| zero(PresetParameter::EffectiveBalanceIncrement))?;
        if preset.fork == Fork::Electra {
            return Ok(self
                .penalty_per_increment
                .checked_mul(increments)
                .ok_or(NumError::Overflow)?);
        }
        let numerator = increments
            .checked_mul(self.adjusted_total_slashing_balance)
            .ok_or(NumError::Overflow)?;
        // total_balance ≥ one increment in a real state; 0 would be the spec's ZeroDivision.
        Ok(numerator
            .checked_div(self.total_balance)
            .ok_or(NumError::Overflow)?
            .checked_mul(increment)
            .ok_or(NumError::Overflow)?)
    }
}

/// `process_slashings` for one validator: takes its correlation penalty (if due) from its
/// balance with `decrease_balance`. Returns the amount taken. On error nothing changes.
pub fn slashings_step(
    preset: &Preset,
    epoch: &SlashingsEpoch,
    validator: &Validator,
    balance: &mut u64,
) -> Result<u64, Error> {
    let penalty = epoch.penalty(preset, validator)?;
    let after = decrease_balance(*balance, penalty);
    let taken = balance.saturating_sub(after);
    *balance = after;
    Ok(taken)
}

/// What [`process_slashings`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SlashingsSummary {
    /// Validators charged (slashed, half-way to withdrawable).
    pub charged: u64,
    /// Gwei taken from their balances.
    pub burned: u64,
}

impl SlashingsSummary {
    /// Counts one validator charged, `taken` Gwei.
    pub fn count(&mut self, taken: u64) {
        self.charged = self.charged.saturating_add(1);
        self.burned = self.burned.saturating_add(taken);
    }
}

/// `process_slashings` (phase0; altair; bellatrix; electra) over the whole registry at
/// `view.current`: the correlation penalty of every validator half-way through its slashing
/// window ([`SlashingsEpoch::penalty`]). `on_charge` hears of each (index, amount taken).
/// Checks every penalty before writing: on error nothing changes.
pub fn process_slashings(
    preset: &Preset,
    validators: &[Validator],
    balances: &mut [u64],
    slashings: &[u64],
    view: &EpochView,
    mut on_charge: impl FnMut(ValidatorIndex, u64),
) -> Result<SlashingsSummary, Error> {
    same_length(validators.len(), balances.len())?;
    let epoch = SlashingsEpoch::new(preset, view.current, view.total_active_balance, slashings)?;
    for validator in validators {
        epoch.penalty(preset, validator)?;
    }
    let mut summary = SlashingsSummary::default();
    for (index, (validator, balance)) in (0u64..).zip(validators.iter().zip(balances.iter_mut())) {
        let taken = slashings_step(preset, &epoch, validator, balance)?;
        if epoch.is_due(preset, validator) {
            summary.count(taken);
            on_charge(ValidatorIndex(index), taken);
        }
    }
    Ok(summary)
}

/// `process_slashings_reset` (phase0): clears the vector's entry for the next epoch
/// (`slashings[(current + 1) % EPOCHS_PER_SLASHINGS_VECTOR] = 0`), so the vector always sums
/// the last `EPOCHS_PER_SLASHINGS_VECTOR` epochs' slashings.
pub fn process_slashings_reset(
    preset: &Preset,
    slashings: &mut [u64],
    current: Epoch,
) -> Result<(), Error> {
    let next = Epoch(current.0.checked_add(1).ok_or(NumError::Overflow)?);
    let slot = vector_slot(preset, slashings, next)?;
    if let Some(entry) = slashings.get_mut(slot) {
        *entry = 0;
    }
    Ok(())
}

#[cfg(test)]
#[path = "slashing_tests.rs"]
mod tests;
