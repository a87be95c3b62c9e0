//! The epoch transition over the whole validator set in one pass: the spec's `process_epoch`
//! — justification and finalization, inactivity updates, rewards and penalties, registry
//! updates, slashings, effective-balance updates, the slashings reset and the participation
//! rotation — reading each validator once, as Lighthouse's single-pass epoch processing does.
//!
//! See [`process_epoch`] for the order of the steps, what is read from where, and why an error
//! leaves everything as it was.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use super::participation::{EpochTotals, Inclusion, add_flagged, counts_at};
use super::queue::{ActivationQueue, Selection};
use super::rewards::{
    Delta, ParticipationFlags, RewardEpoch, RewardStatus, TIMELY_HEAD_FLAG_INDEX,
    TIMELY_SOURCE_FLAG_INDEX, TIMELY_TARGET_FLAG_INDEX, apply_deltas, get_flag_index_deltas,
    get_inactivity_penalty_deltas, phase0,
};
use super::slashing::{SlashingsEpoch, check_slashings_length, slashings_step};
use super::transitions::activate_queue;
use super::{
    EffectiveBalanceChange, EpochView, FAR_FUTURE_EPOCH, Fork, Hysteresis, Preset, QueueState,
    RegistryEpoch, RegistryList, RegistryStep, RegistrySummary, SlashingsSummary, Validator,
    ValidatorError, activation_churn_limit, compute_activation_exit_epoch, effective_balance_step,
    get_activation_exit_churn_limit, get_validator_churn_limit, next_effective_balance,
    process_slashings_reset, registry_update_step,
};
use crate::error::Error;
use crate::finality::{
    FinalityOutcome, FinalityState, GENESIS_EPOCH, previous_epoch,
    process_justification_and_finalization,
};
use crate::ids::{Epoch, ValidatorIndex};
use crate::num::NumError;

/// What the epoch transition keeps from one epoch to the next besides the per-validator lists:
/// the spec's `BeaconState` fields that [`process_epoch`] reads and writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct EpochState {
    /// `get_current_epoch(state)`: the epoch whose end the next [`process_epoch`] processes.
    pub current_epoch: Epoch,
    /// `justification_bits` and the three checkpoints (phase0 `BeaconState`).
    pub finality: FinalityState,
    /// The exit queue (phase0 to Deneb: the summary of the registry's exit epochs, see
    /// [`QueueState`]) and Electra's churn fields.
    pub queue: QueueState,
}

impl EpochState {
    /// Genesis: epoch 0, [`FinalityState::GENESIS`], an empty exit queue (a genesis registry
    /// has no exits; an Electra genesis state has zero churn fields).
    pub const GENESIS: Self = Self {
        current_epoch: GENESIS_EPOCH,
        finality: FinalityState::GENESIS,
        queue: QueueState {
            latest_exit_epoch: GENESIS_EPOCH,
            exits_at_latest: 0,
            earliest_exit_epoch: GENESIS_EPOCH,
            exit_balance_to_consume: 0,
            deposit_balance_to_consume: 0,
        },
    };
}

/// The block roots the epoch's checkpoints take: `get_block_root(state, previous_epoch)` and
/// `get_block_root(state, current_epoch)`, as the host's chain has them (the same roots its
/// attestations' targets were judged against).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EpochRoots {
    /// The root of the block at the start of the previous epoch.
    pub previous_epoch_root: [u8; 32],
    /// The root of the block at the start of the current epoch.
    pub current_epoch_root: [u8; 32],
}

/// The state's per-validator lists and the slashings vector, as [`process_epoch`] takes them:
/// `state.validators`, `state.balances`, `state.inactivity_scores`,
/// `state.previous_epoch_participation`, `state.current_epoch_participation` and
/// `state.slashings`, with phase0's folded attestations.
///
/// Every list has one entry per validator, except the inclusions and the proposer credits,
/// which are phase0's (empty under the other forks); phase0 keeps its inactivity scores at 0.
/// The proposer credits are scratch space, overwritten.
pub struct EpochRegistry<'a> {
    /// `state.validators`.
    pub validators: &'a mut [Validator],
    /// `state.balances`, Gwei.
    pub balances: &'a mut [u64],
    /// `state.inactivity_scores` (altair on; zeros under phase0).
    pub inactivity_scores: &'a mut [u64],
    /// `state.previous_epoch_participation` (phase0: the matching source, target and head bits
    /// of the previous epoch's attestations).
    pub previous_epoch_participation: &'a mut [ParticipationFlags],
    /// `state.current_epoch_participation`.
    pub current_epoch_participation: &'a mut [ParticipationFlags],
    /// Phase0: the earliest inclusion of each validator's previous-epoch attestations.
    pub previous_epoch_inclusions: &'a mut [Inclusion],
    /// Phase0: the current epoch's.
    pub current_epoch_inclusions: &'a mut [Inclusion],
    /// Phase0: scratch for the proposer rewards each validator earned by including others'
    /// attestations.
    pub proposer_credits: &'a mut [u64],
    /// `state.slashings` (`EPOCHS_PER_SLASHINGS_VECTOR` entries), Gwei.
    pub slashings: &'a mut [u64],
}

impl EpochRegistry<'_> {
    /// Every list's length, as the fork needs it.
    fn check_lengths(&self, preset: &Preset) -> Result<(), Error> {
        let n = self.validators.len();
        let phase0 = preset.fork == Fork::Phase0;
        let lists = [
            (RegistryList::Balances, self.balances.len(), true),
            (
                RegistryList::InactivityScores,
                self.inactivity_scores.len(),
                true,
            ),
            (
                RegistryList::PreviousEpochParticipation,
                self.previous_epoch_participation.len(),
                true,
            ),
            (
                RegistryList::CurrentEpochParticipation,
                self.current_epoch_participation.len(),
                true,
            ),
            (
                RegistryList::PreviousEpochInclusions,
                self.previous_epoch_inclusions.len(),
                phase0,
            ),
            (
                RegistryList::CurrentEpochInclusions,
                self.current_epoch_inclusions.len(),
                phase0,
            ),
            (
                RegistryList::ProposerCredits,
                self.proposer_credits.len(),
                phase0,
            ),
        ];
        for (list, length, needed) in lists {
            if needed && length != n {
                return Err(ValidatorError::ListLength {
                    list,
                    length: length as u64,
                    validators: n as u64,
                }
                .into());
            }
        }
        check_slashings_length(preset, self.slashings)
    }
}

/// What [`process_epoch`] did to one validator, reported through its `on_change` callback
/// (rewards and penalties, which touch nearly every validator, are summed in the
/// [`EpochOutcome`] instead).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValidatorChange {
    /// Activation eligibility, ejection, activation (`process_registry_updates`).
    pub registry: RegistryStep,
    /// The correlation penalty taken from the balance, Gwei (`process_slashings`), if the
    /// validator was due one (it may be 0).
    pub slashing_penalty: Option<u64>,
    /// The effective balance, if it moved (`process_effective_balance_updates`).
    pub effective_balance: Option<EffectiveBalanceChange>,
}

/// What one epoch transition did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EpochOutcome {
    /// The epoch processed; the state's current epoch is now the one after it.
    pub epoch: Epoch,
    /// The view the registry updates used: the processed epoch, the finalized epoch after
    /// justification and finalization, and the active set.
    pub view: EpochView,
    /// The previous epoch's target balance justification weighed (`get_total_balance` of the
    /// unslashed target participants, floored at the increment), Gwei.
    pub previous_target_balance: u64,
    /// The current epoch's.
    pub current_target_balance: u64,
    /// Newly justified and finalized checkpoints.
    pub finality: FinalityOutcome,
    /// Whether the chain was in an inactivity leak (`is_in_inactivity_leak`, after this
    /// epoch's finalization).
    pub inactivity_leak: bool,
    /// Rewards credited, Gwei (`process_rewards_and_penalties`; phase0 includes the proposers'
    /// inclusion rewards).
    pub rewards: u64,
    /// Penalties taken by `process_rewards_and_penalties`, Gwei (what the balances lost; a
    /// penalty beyond a balance takes only the balance).
    pub penalties: u64,
    /// How many validators became eligible for activation, were ejected, were activated.
    pub registry: RegistrySummary,
    /// The correlation penalties charged (`process_slashings`).
    pub slashings: SlashingsSummary,
    /// How many effective balances moved.
    pub effective_balance_changes: u64,
}

/// How many effective balances [`DeltaCache`] remembers (`1 << DELTA_CACHE_BITS`).
const DELTA_CACHE_BITS: u32 = 8;
const DELTA_CACHE: usize = 1 << DELTA_CACHE_BITS;

/// The flag deltas of one effective balance: when participating, when missing.
type FlagDeltas = [[Delta; 3]; 2];

/// One effective balance's flag deltas, and for each of the eight flag combinations their sum:
/// the rewards and the penalties (`get_flag_index_deltas` of the three flags).
#[derive(Clone, Copy)]
struct DeltaEntry {
    deltas: FlagDeltas,
    /// By flags (bit 0 source, 1 target, 2 head): `(Σ rewards, Σ penalties)`, or `None` if a
    /// sum overflows.
    sums: [Option<(u64, u64)>; 8],
}

impl DeltaEntry {
    fn new(deltas: FlagDeltas) -> Self {
        let [participating, missing] = deltas;
        let sums = core::array::from_fn(|flags| {
            let mut sum = Some((0u64, 0u64));
            for (flag_index, (reward, penalty)) in participating.iter().zip(&missing).enumerate() {
                let delta = if flags & (1 << flag_index) != 0 {
                    reward
                } else {
                    penalty
                };
                sum = sum.and_then(|(r, p)| {
                    Some((r.checked_add(delta.reward)?, p.checked_add(delta.penalty)?))
                });
            }
            sum
        });
        Self { deltas, sums }
    }
}

/// The altair flag deltas (when participating, when missing) of the effective balances met,
/// in a small direct-mapped table keyed by the effective balance. Nearly every validator has
/// one of a handful of effective balances (32 ETH, 31 ETH, …), so the divisions of
/// `get_flag_index_deltas` run a few times per epoch instead of once per validator. An error
/// is not kept: it fails the epoch, and is computed again wherever it is met.
struct DeltaCache {
    entries: [(u64, DeltaEntry); DELTA_CACHE],
    /// Bit `i % 64` of word `i / 64`: entry `i` holds a key.
    filled: [u64; DELTA_CACHE / 64],
}

impl Default for DeltaCache {
    fn default() -> Self {
        Self {
            entries: [(0, DeltaEntry::new([[Delta::default(); 3]; 2])); DELTA_CACHE],
            filled: [0; DELTA_CACHE / 64],
        }
    }
}

impl DeltaCache {
    /// The deltas of `effective_balance` (an eligible validator's), participating and missing.
    #[inline]
    fn get(&mut self, epoch: &RewardEpoch, effective_balance: u64) -> Result<&DeltaEntry, Error> {
        // splitmix64's finalizer spreads the multiples of the increment (whose low bits are
        // all alike) over the table; its top bits pick the entry.
        let mut z = effective_balance;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        let at = ((z ^ (z >> 31)) >> (64 - DELTA_CACHE_BITS)) as usize;
        let (word, bit) = (at / 64, 1u64 << (at % 64));
        let filled = self.filled.get(word).is_some_and(|w| w & bit != 0);
        let hit = filled
            && self
                .entries
                .get(at)
                .is_some_and(|(key, _)| *key == effective_balance);
        if !hit {
            let deltas = |unslashed_participating| {
                get_flag_index_deltas(
                    epoch,
                    &RewardStatus {
                        eligible: true,
                        effective_balance,
                        unslashed_participating,
                    },
                )
            };
            let value = [
                deltas(ParticipationFlags::ALL)?,
                deltas(ParticipationFlags::NONE)?,
            ];
            let slot = self.entries.get_mut(at).ok_or(NumError::Overflow)?;
            *slot = (effective_balance, DeltaEntry::new(value));
            if let Some(w) = self.filled.get_mut(word) {
                *w |= bit;
            }
        }
        self.entries
            .get(at)
            .map(|(_, deltas)| deltas)
            .ok_or_else(|| NumError::Overflow.into())
    }
}

/// The epoch's rewards and penalties rule (one per epoch: its size does not matter).
#[allow(clippy::large_enum_variant)]
enum Rewards {
    /// The genesis epoch: none ("rewards are for work done in the previous epoch").
    Genesis,
    /// Altair to Electra.
    Altair { epoch: RewardEpoch },
    /// Phase0, with the proposers' inclusion rewards gathered first.
    Phase0 { epoch: phase0::RewardEpoch },
}

/// Everything the per-validator step reads that is fixed for the epoch.
struct Constants {
    preset: Preset,
    current: Epoch,
    previous: Epoch,
    next: Epoch,
    electra: bool,
    rewards: Rewards,
    /// `process_registry_updates`' constants and (phase0 to Deneb) the activation churn, or
    /// their error.
    registry: Result<(RegistryEpoch, u64), Error>,
    /// Phase0 to Deneb: `compute_activation_exit_epoch(current)` for the activations after the
    /// pass (`None` if it overflows: an error only if someone is activated).
    activation_epoch: Option<Epoch>,
    /// `process_slashings`' constants, or their error.
    slashings: Result<SlashingsEpoch, Error>,
    hysteresis: Hysteresis,
}

/// What the pass accumulates (and the flag deltas it has met).
#[derive(Default)]
struct Sums {
    deltas: DeltaCache,
    next: EpochTotals,
    rewards: u64,
    penalties: u64,
    registry: RegistrySummary,
    slashings: SlashingsSummary,
    effective_balance_changes: u64,
}

/// The altair flag deltas of `status` (`get_flag_index_deltas`, through the cache).
#[inline]
fn altair_deltas(
    epoch: &RewardEpoch,
    cache: &mut DeltaCache,
    status: &RewardStatus,
) -> Result<[Delta; 3], Error> {
    if !status.eligible {
        return Ok([Delta::default(); 3]);
    }
    let [participating, missing] = &cache.get(epoch, status.effective_balance)?.deltas;
    let mut deltas = *missing;
    for (flag_index, delta) in deltas.iter_mut().enumerate() {
        if status.unslashed_participating.has_flag(flag_index)
            && let Some(reward) = participating.get(flag_index)
        {
            *delta = *reward;
        }
    }
    Ok(deltas)
}

/// Phase0's record of a validator's previous-epoch attestations, from its folded bits.
fn phase0_record(
    flags: ParticipationFlags,
    earliest: Inclusion,
) -> Option<phase0::AttestationRecord> {
    flags
        .has_flag(TIMELY_SOURCE_FLAG_INDEX)
        .then_some(phase0::AttestationRecord {
            earliest,
            matching_target: flags.has_flag(TIMELY_TARGET_FLAG_INDEX),
            matching_head: flags.has_flag(TIMELY_HEAD_FLAG_INDEX),
        })
}

/// What the altair rules read of one validator (unused by the other rules).
#[inline]
fn reward_status(
    c: &Constants,
    validator: &Validator,
    previous: ParticipationFlags,
) -> Result<RewardStatus, Error> {
    match &c.rewards {
        Rewards::Altair { .. } => RewardStatus::new(validator, c.previous, previous),
        _ => Ok(RewardStatus::default()),
    }
}

/// `process_inactivity_updates` (altair on) for one validator: its new score.
#[inline]
fn inactivity_step(c: &Constants, status: &RewardStatus, score: u64) -> Result<u64, Error> {
    match &c.rewards {
        Rewards::Altair { epoch } => epoch.inactivity_score_step(status, score),
        _ => Ok(score),
    }
}

/// `process_rewards_and_penalties` for one validator (`score` after this epoch's update,
/// `credit` what it earned as a phase0 proposer): its new balance and the rewards credited.
#[inline]
#[allow(clippy::too_many_arguments)]
fn rewards_step(
    c: &Constants,
    cache: &mut DeltaCache,
    validator: &Validator,
    status: &RewardStatus,
    previous: ParticipationFlags,
    score: u64,
    (earliest, credit): (Inclusion, u64),
    balance: u64,
) -> Result<(u64, u64), Error> {
    match &c.rewards {
        Rewards::Genesis => Ok((balance, 0)),
        Rewards::Altair { epoch } => {
            let [source, target, head] = altair_deltas(epoch, cache, status)?;
            let inactivity = get_inactivity_penalty_deltas(epoch, status, score)?;
            let deltas = [source, target, head, inactivity];
            let gained = deltas
                .iter()
                .fold(0u64, |sum, d| sum.saturating_add(d.reward));
            Ok((apply_deltas(balance, &deltas)?, gained))
        }
        Rewards::Phase0 { epoch } => {
            let record = phase0_record(previous, earliest);
            let status = phase0::RewardStatus::new(validator, c.previous, record)?;
            let deltas = phase0::get_attestation_deltas(epoch, &status)?;
            let rewards = deltas
                .rewards()?
                .checked_add(credit)
                .ok_or(NumError::Overflow)?;
            let mut balance = balance;
            phase0::process_rewards_and_penalties_step(
                epoch,
                rewards,
                deltas.penalties()?,
                &mut balance,
            )?;
            Ok((balance, rewards))
        }
    }
}

/// `process_slashings` for one validator: `(new balance, taken)` if it is due.
#[inline]
fn correlation_step(
    c: &Constants,
    slashings: &SlashingsEpoch,
    validator: &Validator,
    balance: u64,
) -> Result<Option<(u64, u64)>, Error> {
    if !slashings.is_due(&c.preset, validator) {
        return Ok(None);
    }
    let mut balance = balance;
    let taken = slashings_step(&c.preset, slashings, validator, &mut balance)?;
    Ok(Some((balance, taken)))
}

/// The next epoch's totals: the validator's part of its active set, and this epoch's
/// participation becoming the previous epoch's (with the effective balance it now has).
#[inline]
fn next_totals_step(
    c: &Constants,
    validator: &Validator,
    current: ParticipationFlags,
    balance: u64,
    score: u64,
    next: &mut EpochTotals,
) -> Result<(), Error> {
    next.active.add(validator, c.next)?;
    if counts_at(validator, c.current) {
        add_flagged(&mut next.previous, current, validator.effective_balance)?;
    }
    next.max_effective_balance = next.max_effective_balance.max(validator.effective_balance);
    next.max_balance = next.max_balance.max(balance);
    next.max_inactivity_score = next.max_inactivity_score.max(score);
    Ok(())
}

/// The common validator's epoch, without the general steps' machinery: active from before
/// the previous epoch until after the next, not slashed, settled (queued, activated, above
/// the ejection balance: no registry update touches it, no correlation penalty is due), and
/// with an effective balance that stays. For it the epoch is its inactivity score, its
/// rewards and penalties (the same functions as [`validator_epoch`]: [`RewardStatus::new`],
/// [`RewardEpoch::inactivity_score_step`], the flag deltas, [`get_inactivity_penalty_deltas`],
/// [`apply_deltas`]) and its part of the next totals. Returns the new balance and score and
/// the rewards credited, with `next` updated — or `None`, having changed nothing, for any
/// other validator or if any operation would fail (the general step then runs and reports
/// the exact error).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn plain_epoch(
    c: &Constants,
    epoch: &RewardEpoch,
    cache: &mut DeltaCache,
    validator: &Validator,
    balance: u64,
    score: u64,
    (previous, current): (ParticipationFlags, ParticipationFlags),
    next: &mut EpochTotals,
) -> Option<(u64, u64, u64)> {
    let effective = validator.effective_balance;
    if validator.slashed
        || !validator.is_settled(&c.preset)
        || validator.activation_epoch > c.previous
        || validator.exit_epoch <= c.next
    {
        return None;
    }
    // Active at the previous epoch and unslashed: eligible, and its flags count as they are.
    let status = RewardStatus {
        eligible: true,
        effective_balance: effective,
        unslashed_participating: previous,
    };
    let score = epoch.inactivity_score_step(&status, score).ok()?;
    let flags = usize::from(previous.0 & ParticipationFlags::ALL.0);
    let (gained, mut lost) = (*cache.get(epoch, effective).ok()?.sums.get(flags)?)?;
    lost = lost.checked_add(
        get_inactivity_penalty_deltas(epoch, &status, score)
            .ok()?
            .penalty,
    )?;
    // A balance that covers every penalty is never floored at 0 along the way, so applying
    // the four (reward, penalty) pairs in turn comes to adding the rewards and taking the
    // penalties; a smaller balance takes the general step.
    if balance < lost {
        return None;
    }
    let after = balance.checked_add(gained)?.checked_sub(lost)?;
    if next_effective_balance(&c.preset, &c.hysteresis, validator, after)
        .ok()?
        .is_some_and(|to| to != effective)
    {
        return None;
    }
    // Active at the next epoch with the same effective balance; this epoch's flags count.
    let active = next.active.balance.checked_add(effective)?;
    let mut participating = next.previous;
    add_flagged(&mut participating, current, effective).ok()?;
    next.active.balance = active;
    next.active.count = next.active.count.saturating_add(1);
    next.previous = participating;
    next.max_balance = next.max_balance.max(after);
    next.max_inactivity_score = next.max_inactivity_score.max(score);
    next.max_effective_balance = next.max_effective_balance.max(effective);
    Some((after, score, gained))
}

/// One validator's whole epoch, in the spec's order: inactivity score, rewards and penalties,
/// registry update, correlation penalty, effective balance; then its part of the next epoch's
/// totals. Only called once every constant is known to be valid.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn validator_epoch(
    c: &Constants,
    (registry_epoch, slashings): (&RegistryEpoch, &SlashingsEpoch),
    index: ValidatorIndex,
    validator: &mut Validator,
    balance: &mut u64,
    score: &mut u64,
    (previous, current): (ParticipationFlags, ParticipationFlags),
    inclusion: (Inclusion, u64),
    queue: &mut QueueState,
    activation_queue: &mut ActivationQueue,
    sums: &mut Sums,
) -> Result<Option<ValidatorChange>, Error> {
    let preset = &c.preset;
    let status = reward_status(c, validator, previous)?;
    *score = inactivity_step(c, &status, *score)?;
    let before = *balance;
    let (after, gained) = rewards_step(
        c,
        &mut sums.deltas,
        validator,
        &status,
        previous,
        *score,
        inclusion,
        *balance,
    )?;
    *balance = after;
    sums.rewards = sums.rewards.saturating_add(gained);
    let lost = before.saturating_add(gained).saturating_sub(*balance);
    sums.penalties = sums.penalties.saturating_add(lost);

    // Most validators are settled: skip the call (and its large result) altogether.
    let registry = if validator.is_settled(preset) {
        RegistryStep::default()
    } else {
        let step = registry_update_step(preset, registry_epoch, index, validator, queue)?;
        sums.registry.count(&step);
        step
    };
    if !c.electra {
        activation_queue.offer(index, validator);
    }
    let slashing_penalty = match correlation_step(c, slashings, validator, *balance)? {
        Some((after, taken)) => {
            *balance = after;
            sums.slashings.count(taken);
            Some(taken)
        }
        None => None,
    };
    // [electra, later] the credits of process_pending_deposits and
    // process_pending_consolidations to its balance.
    let effective_balance = effective_balance_step(preset, &c.hysteresis, validator, *balance)?;
    next_totals_step(c, validator, current, *balance, *score, &mut sums.next)?;

    if effective_balance.is_some() {
        sums.effective_balance_changes = sums.effective_balance_changes.saturating_add(1);
    } else if slashing_penalty.is_none() && registry.is_none() {
        return Ok(None);
    }
    Ok(Some(ValidatorChange {
        registry,
        slashing_penalty,
        effective_balance,
    }))
}

/// The epoch transition at the end of `state.current_epoch`: the spec's `process_epoch`
/// (phase0; altair … electra) in one pass over the registry, then the epoch advances by one
/// (the spec's `process_slots` crossing an epoch boundary).
///
/// | spec step (`process_epoch`) | here |
/// |---|---|
/// | `process_justification_and_finalization` (phase0; altair) | [`process_justification_and_finalization`] on the target balances `totals` holds (the spec's `get_total_balance` of the unslashed target participants) |
/// | `process_inactivity_updates` (altair …) | [`RewardEpoch::inactivity_score_step`] per validator |
/// | `process_rewards_and_penalties` (phase0; altair …) | altair: the four delta pairs per validator ([`super::rewards::rewards_and_penalties_step`]'s rule, with each effective balance's flag deltas computed once); phase0: [`phase0::get_attestation_deltas`] per validator plus its proposer credits, gathered in a first pass |
/// | `process_registry_updates` (phase0; deneb; electra) | [`registry_update_step`] per validator; phase0 to Deneb activate the [`ActivationQueue`]'s choice after the pass, as the spec does after its first loop |
/// | `process_slashings` (phase0; altair; bellatrix; electra) | [`slashings_step`] per validator |
/// | `process_eth1_data_reset` | not modelled (no eth1 data) |
/// | `process_pending_deposits`, `process_pending_consolidations` (electra) | the host's, with [`super::process_pending_deposits`], after this function |
/// | `process_effective_balance_updates` (phase0; electra) | [`effective_balance_step`] per validator |
/// | `process_slashings_reset` (phase0) | [`process_slashings_reset`], after the pass |
/// | `process_participation_record_updates` (phase0), `process_participation_flag_updates` (altair) | per validator: the current epoch's participation becomes the previous epoch's, the current is cleared |
/// | `process_randao_mixes_reset`, `process_historical_*`, `process_sync_committee_updates` | not modelled (the host's) |
/// | `process_slots`: `state.slot += 1` into the next epoch | `state.current_epoch + 1` |
///
/// `totals` must be the [`EpochTotals`] of the registry (what [`EpochTotals::scan`] gives, or
/// bounds above it for the maxima): its target balances are the ones justification weighs,
/// its total active balance the one rewards read, its maxima what proves the pass safe. On
/// success it holds the next epoch's totals. `on_change` hears of each validator whose
/// registry record, effective balance or correlation penalty changed, in index order —
/// except that under phase0 to Deneb the activations are reported after the pass.
///
/// ## One pass
/// Reading 1 M validator records (128 bytes each) costs as much as the rules, so every rule
/// runs in one loop over the registry, each validator's steps in the spec's order. What a rule
/// reads from the rest of the registry is fixed before the loop: the target and participating
/// balances and the active set (kept in `totals` as attestations arrive), the finalized epoch
/// (justification runs first), the flag deltas of each effective balance (computed once), the
/// slashings vector's sum. Phase0 is the exception: a proposer's reward includes those it
/// earned by including other validators' attestations, so a first pass over the previous
/// epoch's inclusions gathers them into `proposer_credits`.
///
/// ## Atomic without copying the registry
/// On `Err`, `state`, the registry and `totals` are exactly as they were. Everything that can
/// fail is checked before the first write: the preset ([`Preset::validate`]), the lengths, the
/// last epoch, justification (on a copy), the registry's epoch constants and the activation
/// epoch. The per-validator arithmetic can only overflow for balances, effective balances or
/// scores within reach of `u64::MAX`: with the maxima in `totals`, the largest reward,
/// penalty product, score, threshold and sum are computed up front, and if they fit, no
/// validator's can fail (each grows with the effective balance, the balance and the score).
/// Only when they do not fit (a crafted registry) does a dry run of every validator's step on
/// copies find the exact answer first — one more read of the registry. Ejections are bounded
/// the same way, by the number of validators.
///
/// Errors come in the order the spec's steps would raise them.
///
/// ## Deviations
/// Those of the step functions, and: the preset must be valid; Electra's pending deposits are
/// credited after this function (see [`crate::ledger`]).
pub fn process_epoch(
    preset: &Preset,
    state: &mut EpochState,
    registry: &mut EpochRegistry<'_>,
    totals: &mut EpochTotals,
    roots: &EpochRoots,
    mut on_change: impl FnMut(ValidatorIndex, &ValidatorChange),
) -> Result<EpochOutcome, Error> {
    preset.validate()?;
    registry.check_lengths(preset)?;
    let current = state.current_epoch;
    let next = Epoch(current.0.checked_add(1).ok_or(NumError::Overflow)?);
    let previous = previous_epoch(current);
    let increment = preset.effective_balance_increment;
    let floor = |balance: u64| balance.max(increment);
    let hysteresis = Hysteresis::new(preset)?;

    // process_justification_and_finalization, on a copy.
    let total_active_balance = floor(totals.active.balance);
    let previous_target_balance = floor(totals.previous[TIMELY_TARGET_FLAG_INDEX]);
    let current_target_balance = floor(totals.current[TIMELY_TARGET_FLAG_INDEX]);
    let mut finality = state.finality;
    let finality_outcome = process_justification_and_finalization(
        &mut finality,
        current,
        total_active_balance,
        previous_target_balance,
        current_target_balance,
        roots.previous_epoch_root,
        roots.current_epoch_root,
    )?;
    let finalized = finality.finalized.epoch;

    // process_inactivity_updates and process_rewards_and_penalties: the epoch's constants.
    let rewards = if current == GENESIS_EPOCH {
        Rewards::Genesis
    } else if preset.fork == Fork::Phase0 {
        Rewards::Phase0 {
            epoch: phase0::RewardEpoch::new(
                preset,
                current,
                finalized,
                totals.active.balance,
                totals.previous,
            )?,
        }
    } else {
        let epoch = RewardEpoch::new(
            preset,
            current,
            finalized,
            totals.active.balance,
            totals.previous,
        )?;
        Rewards::Altair { epoch }
    };
    let inactivity_leak = match &rewards {
        Rewards::Genesis => false,
        Rewards::Altair { epoch } => epoch.finality().in_leak(),
        Rewards::Phase0 { epoch } => epoch.finality().in_leak(),
    };

    // process_registry_updates and process_slashings: their constants, kept with their errors
    // until the spec's order would raise them (after the rewards).
    let view = totals.view(preset, current, finalized);
    let electra = preset.fork == Fork::Electra;
    let registry_epoch = (if electra {
        Ok(0)
    } else {
        activation_churn_limit(preset, view.active_validators)
    })
    .and_then(|churn| Ok((RegistryEpoch::new(preset, view, Selection::empty())?, churn)));
    let slashings_epoch = SlashingsEpoch::new(
        preset,
        current,
        view.total_active_balance,
        registry.slashings,
    );

    let c = Constants {
        preset: *preset,
        current,
        previous,
        next,
        electra,
        rewards,
        registry: registry_epoch,
        activation_epoch: compute_activation_exit_epoch(preset, current).ok(),
        slashings: slashings_epoch,
        hysteresis,
    };

    // Phase0: the proposers' inclusion rewards, gathered first; the spec's loops find the
    // first error if there is one.
    let max_credit = match &c.rewards {
        Rewards::Phase0 { epoch } => match gather_proposer_credits(epoch, registry) {
            Ok(largest) => largest,
            Err(gathered) => {
                check_phase0_rewards(epoch, c.previous, registry)?;
                return Err(gathered);
            }
        },
        _ => 0,
    };

    if !cannot_fail(
        &c,
        state,
        totals,
        registry.validators.len() as u64,
        max_credit,
    ) {
        if let Rewards::Phase0 { epoch } = &c.rewards {
            check_phase0_rewards(epoch, c.previous, registry)?;
            gather_proposer_credits(epoch, registry)?;
        }
        dry_run(&c, state, registry, finalized)?;
    }
    let (Ok((registry_epoch, churn)), Ok(slashings_epoch)) = (&c.registry, &c.slashings) else {
        // The dry run has raised the constants' errors.
        return Err(NumError::Overflow.into());
    };

    // The pass. Nothing below can fail (see the docs): the `?`s only carry the types.
    let EpochRegistry {
        validators,
        balances,
        inactivity_scores,
        previous_epoch_participation,
        current_epoch_participation,
        previous_epoch_inclusions,
        current_epoch_inclusions,
        proposer_credits,
        slashings,
    } = registry;
    let mut queue = state.queue;
    let mut activation_queue = ActivationQueue::new();
    let mut sums = Sums::default();
    let lists = validators
        .iter_mut()
        .zip(balances.iter_mut())
        .zip(inactivity_scores.iter_mut())
        .zip(
            previous_epoch_participation
                .iter_mut()
                .zip(current_epoch_participation.iter_mut()),
        );
    for (at, (((validator, balance), score), (previous_flags, current_flags))) in lists.enumerate()
    {
        let index = ValidatorIndex(at as u64);
        let earliest = previous_epoch_inclusions
            .get(at)
            .copied()
            .unwrap_or_default();
        let credit = proposer_credits.get(at).copied().unwrap_or_default();
        let plain = match &c.rewards {
            Rewards::Altair { epoch } => plain_epoch(
                &c,
                epoch,
                &mut sums.deltas,
                validator,
                *balance,
                *score,
                (*previous_flags, *current_flags),
                &mut sums.next,
            ),
            _ => None,
        };
        let change = if let Some((after, new_score, gained)) = plain {
            sums.rewards = sums.rewards.saturating_add(gained);
            let lost = balance.saturating_add(gained).saturating_sub(after);
            sums.penalties = sums.penalties.saturating_add(lost);
            *balance = after;
            *score = new_score;
            None
        } else {
            validator_epoch(
                &c,
                (registry_epoch, slashings_epoch),
                index,
                validator,
                balance,
                score,
                (*previous_flags, *current_flags),
                (earliest, credit),
                &mut queue,
                &mut activation_queue,
                &mut sums,
            )?
        };
        // process_participation_flag_updates / process_participation_record_updates.
        *previous_flags = *current_flags;
        *current_flags = ParticipationFlags::NONE;
        if let (Some(previous_inclusion), Some(current_inclusion)) = (
            previous_epoch_inclusions.get_mut(at),
            current_epoch_inclusions.get_mut(at),
        ) {
            *previous_inclusion = *current_inclusion;
            *current_inclusion = Inclusion::default();
        }
        if let Some(change) = change {
            on_change(index, &change);
        }
    }

    // Phase0 to Deneb: the activation queue's first `churn`, after the first loop as in the
    // spec (its queue is sorted after the eligibility updates).
    if let (false, Some(activation_epoch)) = (electra, c.activation_epoch) {
        let first = activation_queue.select(finalized, *churn);
        if !first.is_empty() {
            activate_queue(
                validators,
                first,
                finalized,
                *churn,
                activation_epoch,
                &mut sums.registry,
                |index, step| {
                    on_change(
                        index,
                        &ValidatorChange {
                            registry: *step,
                            ..ValidatorChange::default()
                        },
                    )
                },
            );
        }
    }

    // process_slashings_reset: cannot fail (the length and `current + 1` are checked).
    process_slashings_reset(preset, slashings, current)?;
    state.finality = finality;
    state.queue = queue;
    state.current_epoch = next;
    *totals = sums.next;
    Ok(EpochOutcome {
        epoch: current,
        view,
        previous_target_balance,
        current_target_balance,
        finality: finality_outcome,
        inactivity_leak,
        rewards: sums.rewards,
        penalties: sums.penalties,
        registry: sums.registry,
        slashings: sums.slashings,
        effective_balance_changes: sums.effective_balance_changes,
    })
}

/// Phase0's `get_inclusion_delay_deltas`, proposer side: each unslashed previous-epoch attester
/// credits `get_proposer_reward` to the proposer of its earliest inclusion, into
/// `registry.proposer_credits` (cleared first). Returns the largest credit. Checked, before any
/// balance is written: an unknown proposer, an overflow or an inclusion delay of 0 (which the
/// attester's own reward divides by) is an error — not necessarily the spec's first, which
/// [`check_phase0_rewards`] finds.
fn gather_proposer_credits(
    epoch: &phase0::RewardEpoch,
    registry: &mut EpochRegistry<'_>,
) -> Result<u64, Error> {
    registry.proposer_credits.fill(0);
    let mut largest = 0u64;
    let attesters = registry
        .validators
        .iter()
        .zip(registry.previous_epoch_participation.iter())
        .zip(registry.previous_epoch_inclusions.iter());
    for ((validator, flags), earliest) in attesters {
        if validator.slashed || !flags.has_flag(TIMELY_SOURCE_FLAG_INDEX) {
            continue;
        }
        if earliest.inclusion_delay == 0 {
            return Err(NumError::Underflow.into());
        }
        let reward = epoch.get_proposer_reward(validator.effective_balance)?;
        let credit = usize::try_from(earliest.proposer_index.0)
            .ok()
            .and_then(|proposer| registry.proposer_credits.get_mut(proposer))
            .ok_or(ValidatorError::UnknownValidator {
                index: earliest.proposer_index,
                count: registry.validators.len() as u64,
            })?;
        *credit = credit.checked_add(reward).ok_or(NumError::Overflow)?;
        largest = largest.max(*credit);
    }
    Ok(largest)
}

/// Phase0's `process_rewards_and_penalties` in the spec's loops
/// ([`phase0::check_rewards_and_penalties`]), for its first error: the proposer credits are its
/// scratch (gather them again after an `Ok`).
fn check_phase0_rewards(
    epoch: &phase0::RewardEpoch,
    previous: Epoch,
    registry: &mut EpochRegistry<'_>,
) -> Result<(), Error> {
    let (validators, balances) = (&*registry.validators, &*registry.balances);
    let (flags, inclusions) = (
        &*registry.previous_epoch_participation,
        &*registry.previous_epoch_inclusions,
    );
    let status = |at: usize| {
        let validator = validators.get(at).copied().unwrap_or(BOUND_VALIDATOR);
        let record = phase0_record(
            flags.get(at).copied().unwrap_or_default(),
            inclusions.get(at).copied().unwrap_or_default(),
        );
        phase0::RewardStatus::new(&validator, previous, record)
    };
    let balance = |at: usize| balances.get(at).copied().unwrap_or_default();
    phase0::check_rewards_and_penalties(
        epoch,
        validators.len(),
        status,
        balance,
        registry.proposer_credits,
    )
}

/// Whether no validator's step can fail this epoch (see [`process_epoch`], *Atomic*), from the
/// maxima in `totals`: `false` means "not proven", not "will fail".
fn cannot_fail(
    c: &Constants,
    state: &EpochState,
    totals: &EpochTotals,
    validators: u64,
    max_credit: u64,
) -> bool {
    let preset = &c.preset;
    let max_effective = totals.max_effective_balance;
    // The registry's and the slashings' constants, and (phase0 to Deneb, which activate after
    // the pass) the activation epoch.
    let (Ok((registry_epoch, _)), Ok(slashings)) = (&c.registry, &c.slashings) else {
        return false;
    };
    if !c.electra && c.activation_epoch.is_none() {
        return false;
    }
    // Rewards: the largest any validator can get, on the largest balance.
    let (max_reward, max_score) = match &c.rewards {
        Rewards::Genesis => (Some(0), Some(totals.max_inactivity_score)),
        Rewards::Altair { epoch, .. } => {
            let all = RewardStatus {
                eligible: true,
                effective_balance: max_effective,
                unslashed_participating: ParticipationFlags::ALL,
            };
            let none = RewardStatus {
                unslashed_participating: ParticipationFlags::NONE,
                ..all
            };
            let max_score = totals
                .max_inactivity_score
                .checked_add(preset.inactivity_score_bias);
            let rewards = get_flag_index_deltas(epoch, &all)
                .ok()
                .and_then(|d| d.iter().try_fold(0u64, |sum, x| sum.checked_add(x.reward)));
            let penalties_compute = get_flag_index_deltas(epoch, &none).is_ok()
                && max_score.is_some_and(|score| {
                    get_inactivity_penalty_deltas(epoch, &none, score).is_ok()
                });
            (rewards.filter(|_| penalties_compute), max_score)
        }
        Rewards::Phase0 { epoch } => {
            // A validator's own rewards are at most four base rewards (three components and
            // the inclusion reward); the penalties of an absent one are the largest products.
            let absent = phase0::RewardStatus {
                eligible: true,
                slashed: false,
                effective_balance: max_effective,
                attestations: None,
            };
            let penalties_compute = phase0::get_attestation_deltas(epoch, &absent)
                .ok()
                .is_some_and(|d| d.penalties().is_ok());
            let rewards = epoch
                .get_base_reward(max_effective)
                .ok()
                .and_then(|base| base.checked_mul(4))
                .and_then(|own| own.checked_add(max_credit));
            (rewards.filter(|_| penalties_compute), Some(0))
        }
    };
    let Some(max_reward) = max_reward else {
        return false;
    };
    let Some(max_balance) = totals.max_balance.checked_add(max_reward) else {
        return false;
    };
    if max_score.is_none() {
        return false;
    }
    // Effective balances: both hysteresis comparisons, and the totals' sums.
    let thresholds = max_balance.checked_add(c.hysteresis.downward).is_some()
        && max_effective.checked_add(c.hysteresis.upward).is_some();
    // The next totals sum effective balances as updated: at most the largest maximum.
    let next_effective = max_effective
        .max(preset.max_effective_balance)
        .max(preset.max_effective_balance_electra);
    let sums = next_effective.checked_mul(validators).is_some();
    // The correlation penalty of the largest effective balance.
    let slashing = {
        let due = Validator {
            effective_balance: max_effective,
            slashed: true,
            withdrawable_epoch: Epoch(
                c.current
                    .0
                    .saturating_add(preset.epochs_per_slashings_vector / 2),
            ),
            ..BOUND_VALIDATOR
        };
        slashings.penalty(preset, &due).is_ok()
    };
    thresholds
        && sums
        && slashing
        && ejections_cannot_fail(preset, &state.queue, &registry_epoch.view, validators)
}

/// The record the bounds are computed on (only its effective balance and slashing matter).
const BOUND_VALIDATOR: Validator = Validator {
    pubkey: [0; 48],
    withdrawal_credentials: [0; 32],
    effective_balance: 0,
    slashed: false,
    activation_eligibility_epoch: FAR_FUTURE_EPOCH,
    activation_epoch: FAR_FUTURE_EPOCH,
    exit_epoch: FAR_FUTURE_EPOCH,
    withdrawable_epoch: FAR_FUTURE_EPOCH,
};

/// The epoch's steps on copies, for the exact error when [`cannot_fail`] could not prove
/// there is none: each step over every validator in turn, in the spec's order (inactivity
/// scores, rewards and penalties, the registry's constants and updates and the activations,
/// the slashings' constants and penalties, effective balances, then the next totals), each
/// validator's records recomputed from the start for each step (nothing is stored). The first
/// error of the first failing step, by index, is the spec's.
fn dry_run(
    c: &Constants,
    state: &EpochState,
    registry: &EpochRegistry<'_>,
    finalized: Epoch,
) -> Result<(), Error> {
    let n = registry.validators.len();
    let at_index = |at: usize| {
        let flags = |list: &[ParticipationFlags]| list.get(at).copied().unwrap_or_default();
        (
            registry
                .validators
                .get(at)
                .copied()
                .unwrap_or(BOUND_VALIDATOR),
            registry.balances.get(at).copied().unwrap_or_default(),
            registry
                .inactivity_scores
                .get(at)
                .copied()
                .unwrap_or_default(),
            flags(registry.previous_epoch_participation),
            flags(registry.current_epoch_participation),
            (
                registry
                    .previous_epoch_inclusions
                    .get(at)
                    .copied()
                    .unwrap_or_default(),
                registry
                    .proposer_credits
                    .get(at)
                    .copied()
                    .unwrap_or_default(),
            ),
        )
    };
    // The balance after the rewards, recomputed.
    let mut cache = DeltaCache::default();
    let mut rewarded = |at: usize| -> Result<(Validator, u64, u64), Error> {
        let (validator, balance, score, previous, _, inclusion) = at_index(at);
        let status = reward_status(c, &validator, previous)?;
        let score = inactivity_step(c, &status, score)?;
        let (balance, _) = rewards_step(
            c, &mut cache, &validator, &status, previous, score, inclusion, balance,
        )?;
        Ok((validator, balance, score))
    };
    for at in 0..n {
        let (validator, _, score, previous, _, _) = at_index(at);
        inactivity_step(c, &reward_status(c, &validator, previous)?, score)?;
    }
    for at in 0..n {
        rewarded(at)?;
    }
    let (registry_epoch, churn) = c.registry.clone()?;
    let mut queue = state.queue;
    let mut activation_queue = ActivationQueue::new();
    let updated = |at: usize, queue: &mut QueueState| -> Result<Validator, Error> {
        let (mut validator, ..) = at_index(at);
        if !validator.is_settled(&c.preset) {
            registry_update_step(
                &c.preset,
                &registry_epoch,
                ValidatorIndex(at as u64),
                &mut validator,
                queue,
            )?;
        }
        Ok(validator)
    };
    for at in 0..n {
        let validator = updated(at, &mut queue)?;
        if !c.electra {
            activation_queue.offer(ValidatorIndex(at as u64), &validator);
        }
    }
    if !c.electra
        && c.activation_epoch.is_none()
        && !activation_queue.select(finalized, churn).is_empty()
    {
        return Err(NumError::Overflow.into());
    }
    let slashings = c.slashings?;
    for at in 0..n {
        let (validator, balance, _) = rewarded(at)?;
        correlation_step(c, &slashings, &validator, balance)?;
    }
    // The records as the registry step leaves them (its queue replayed), then the balance
    // after the correlation penalty, then the effective balance and the totals.
    let mut queue = state.queue;
    let mut next = EpochTotals::default();
    for at in 0..n {
        let (_, balance, score) = rewarded(at)?;
        let mut validator = updated(at, &mut queue)?;
        let balance = correlation_step(c, &slashings, &validator, balance)?
            .map_or(balance, |(after, _)| after);
        effective_balance_step(&c.preset, &c.hysteresis, &mut validator, balance)?;
        let (.., current, _) = at_index(at);
        next_totals_step(c, &validator, current, balance, score, &mut next)?;
    }
    Ok(())
}

/// Whether `ejections` exits in this epoch certainly fit in `u64` epochs. `false` means "not
/// proven", not "will fail".
fn ejections_cannot_fail(
    preset: &Preset,
    queue: &QueueState,
    view: &EpochView,
    ejections: u64,
) -> bool {
    last_withdrawable_bound(preset, queue, view, ejections).is_some()
}

/// An upper bound on the withdrawable epoch of the last of `ejections` exits, if it fits.
fn last_withdrawable_bound(
    preset: &Preset,
    queue: &QueueState,
    view: &EpochView,
    ejections: u64,
) -> Option<u64> {
    let earliest = compute_activation_exit_epoch(preset, view.current).ok()?;
    let last_exit = if preset.fork == Fork::Electra {
        // compute_exit_epoch_and_update_churn: each exit of b ≤ EJECTION_BALANCE Gwei adds at
        // most (b - 1) // churn + 1 epochs, and its sums stay below b + churn.
        let churn = get_activation_exit_churn_limit(preset, view.total_active_balance).ok()?;
        preset.ejection_balance.checked_add(churn)?;
        let per_exit = preset.ejection_balance.checked_div(churn)?.checked_add(1)?;
        queue
            .earliest_exit_epoch
            .max(earliest)
            .0
            .checked_add(ejections.checked_mul(per_exit)?)?
    } else {
        // initiate_validator_exit: each exit is at most one epoch past the latest.
        get_validator_churn_limit(preset, view.active_validators).ok()?;
        queue
            .latest_exit_epoch
            .max(earliest)
            .0
            .checked_add(ejections)?
    };
    last_exit.checked_add(preset.min_validator_withdrawability_delay)
}

#[cfg(test)]
#[path = "epoch_tests.rs"]
mod tests;
