//! Proof-of-stake validators: presets, the registry, deposits, the activation queue, exits,
//! ejection and effective balances — the seed's *Proof-of-stake* validator lifecycle
//! (`seeds/proof-of-stake.md`), as Ethereum's consensus specs define it, fork by fork.
//!
//! The seed: "to participate as a validator, a user must deposit 1000 BTCC into the deposit
//! contract"; "the user joins an activation queue that limits the rate of new validators";
//! validators propose and attest in 12-second slots of 32-slot epochs; a slashed one faces
//! "ejection from the network"; finality needs two-thirds of the stake.
//! It gives no algorithm for the registry. The rules here are the consensus specs'
//! (`ethereum/consensus-specs`, `specs/{phase0,altair,bellatrix,deneb,electra}/beacon-chain.md`,
//! `presets/mainnet/*.yaml`, `configs/mainnet.yaml`), function by function: the same `u64`
//! Gwei arithmetic, the same order of checks, the same edge cases. Each function's docs name
//! the spec function and fork. A [`Preset`] carries every constant and the [`Fork`] whose
//! rules apply; [`Preset::seed_chain`] is the seed's own chain (1000-coin validators).
//!
//! All functions are pure and allocation-free (they build without `alloc`). They take the
//! registry as slices — `&mut [Validator]` and `&mut [u64]` balances, as the spec's
//! `state.validators` and `state.balances` — and the small records [`QueueState`] (the exit
//! queue, Electra's churn) and [`EpochView`] (the epoch, the finalized epoch, the active set).
//! Each checks everything before it writes: on `Err` nothing changed.
//!
//! ## The spec, rule by rule
//! | seed / spec (fork) | here |
//! |---|---|
//! | seed: 1000-coin deposit, 12 s slots, 32-slot epochs | [`Preset::seed_chain`] (each scaled constant documented there) |
//! | mainnet preset and config values (phase0 … electra yaml) | [`Preset::phase0`], [`Preset::altair`], [`Preset::bellatrix`], [`Preset::deneb`], [`Preset::electra`]; [`Preset::validate`] |
//! | fork-specific quotients "replace usage throughout" (altair, bellatrix, electra) | [`Preset::min_slashing_penalty_quotient`], [`Preset::proportional_slashing_multiplier`], [`Preset::inactivity_penalty_quotient`], [`Preset::whistleblower_reward_quotient`] |
//! | `Validator` container, `FAR_FUTURE_EPOCH` (phase0) | [`Validator`] (SCALE bytes = SSZ bytes), [`FAR_FUTURE_EPOCH`] |
//! | `is_active_validator`, `is_eligible_for_activation`, `is_slashable_validator` (phase0) | [`Validator::is_active_validator`], [`Validator::is_eligible_for_activation`] (finalized epoch as a parameter), [`Validator::is_slashable_validator`] |
//! | `is_eligible_for_activation_queue`: `== MAX_EFFECTIVE_BALANCE` (phase0), `>= MIN_ACTIVATION_BALANCE` (electra) | [`Validator::is_eligible_for_activation_queue`] |
//! | `get_max_effective_balance`, `has_compounding_withdrawal_credential` (electra) | [`Validator::max_effective_balance`], [`Validator::has_compounding_withdrawal_credential`] |
//! | `get_validator_from_deposit`: `min(amount - amount % INCREMENT, max)` (phase0; electra) | [`Validator::from_deposit`], [`round_to_increment`] |
//! | `apply_deposit`: new key → `add_validator_to_registry`, known key → `increase_balance` (phase0) | [`apply_deposit`] → [`DepositOutcome::NewValidator`] (the host appends) / [`DepositOutcome::TopUp`] |
//! | `apply_deposit` (electra): new key registered with 0, amount → `PendingDeposit`; `process_deposit_request` | [`DepositOutcome::Queued`]; [`PendingDeposit::from_request`] |
//! | `process_pending_deposits`, `apply_pending_deposit` (electra) | [`process_pending_deposits`] (see its docs for the mapping) |
//! | deposit contract: `MIN_DEPOSIT_AMOUNT` | [`check_deposit_amount`] (not a beacon-chain rule) |
//! | `compute_activation_exit_epoch`, `compute_start_slot_at_epoch`, `compute_epoch_at_slot` (phase0) | [`compute_activation_exit_epoch`], [`compute_start_slot_at_epoch`], [`compute_epoch_at_slot`] |
//! | `get_validator_churn_limit` (phase0), `get_validator_activation_churn_limit` (deneb) | [`get_validator_churn_limit`], [`get_validator_activation_churn_limit`], [`activation_churn_limit`] per fork |
//! | `get_balance_churn_limit`, `get_activation_exit_churn_limit`, `get_consolidation_churn_limit` (electra) | the functions of the same names |
//! | `get_active_validator_indices`, `get_total_active_balance` (phase0) | [`EpochView::scan`], [`ActiveTotals`] |
//! | `initiate_validator_exit`: exit queue epoch and churn from the registry (phase0) | [`initiate_validator_exit`], [`initiate_exit`], with the cached summary in [`QueueState`] (exactness argued there) |
//! | `initiate_validator_exit` via `compute_exit_epoch_and_update_churn` (electra) | [`compute_exit_epoch_and_update_churn`] on [`QueueState`]'s `earliest_exit_epoch`, `exit_balance_to_consume` |
//! | `upgrade_to_electra`: `earliest_exit_epoch`, `exit_balance_to_consume` | [`QueueState::upgrade_to_electra`] |
//! | `process_voluntary_exit` (phase0; deneb; electra) | [`process_voluntary_exit`]: same checks, same order; signatures are the host's |
//! | `process_registry_updates`: eligibility, ejection at `<= EJECTION_BALANCE`, activation queue sorted by `(eligibility epoch, index)`, first churn (phase0; deneb cap) | [`process_registry_updates`], [`registry_update_step`], [`ActivationQueue`] |
//! | `process_registry_updates` (electra): one `if`/`elif` loop, every eligible activated | the same functions under [`Fork::Electra`] |
//! | `process_effective_balance_updates` with hysteresis (phase0; electra max by `0x02` prefix) | [`process_effective_balance_updates`], [`effective_balance_step`], [`Hysteresis`] |
//! | `process_attestation` (phase0: `PendingAttestation`s; altair on: participation flags and the proposer's reward) | [`process_attestation`] with the including block as an [`IncludingBlock`]; phase0's attestations folded per validator ([`Inclusion`]) |
//! | `get_total_active_balance`, `get_unslashed_participating_indices` / `get_unslashed_attesting_indices` summed | [`EpochTotals`], kept by each message, equal to [`EpochTotals::scan`] |
//! | `ProposerSlashing`, `AttesterSlashing`, `process_proposer_slashing`, `process_attester_slashing`, `is_slashable_attestation_data`, `is_valid_indexed_attestation`, `slash_validator` (phase0; altair; bellatrix; electra) | [`slashing`]: [`process_proposer_slashing`], [`process_attester_slashing`], [`slash_validator`] |
//! | `process_slashings` (phase0 … deneb; electra's per-increment penalty), `process_slashings_reset` | [`process_slashings`], [`SlashingsEpoch`], [`slashings_step`], [`process_slashings_reset`] |
//! | `process_epoch` (phase0 … electra): justification and finalization, inactivity updates, rewards and penalties, registry updates, slashings, effective-balance updates, the slashings reset and the participation rotation, in that order; `process_slots` then enters the next epoch | [`process_epoch`] on an [`EpochState`] and an [`EpochRegistry`], in one pass over the registry (phase0: two, for the proposers' inclusion rewards); the steps not modelled are listed there |
//! | `integer_squareroot` with the `UINT64_MAX` special case (phase0) | [`rewards::integer_squareroot`] |
//! | `increase_balance`, `decrease_balance` (saturating), on one balance (phase0) | [`rewards::increase_balance`], [`rewards::decrease_balance`] |
//! | `get_finality_delay`, `is_in_inactivity_leak` (`> MIN_EPOCHS_TO_INACTIVITY_PENALTY`), `get_eligible_validator_indices` (phase0) | [`rewards::get_finality_delay`], [`rewards::is_in_inactivity_leak`], [`rewards::is_eligible_validator`] |
//! | `ParticipationFlags`, `TIMELY_*_FLAG_INDEX`, `PARTICIPATION_FLAG_WEIGHTS`, `has_flag`, `add_flag` (altair) | [`rewards::ParticipationFlags`], [`rewards::participation_flag_weights`] |
//! | `get_attestation_participation_flag_indices` (altair; deneb EIP-7045: target at any delay) | [`rewards::get_attestation_participation_flag_indices`] (`None` where the spec asserts) |
//! | `get_base_reward_per_increment`, `get_base_reward` (altair) | [`rewards::get_base_reward_per_increment`], [`rewards::get_base_reward`], [`rewards::RewardEpoch::get_base_reward`] |
//! | `process_attestation`: flag updates, `proposer_reward_numerator`, `proposer_reward_denominator` (altair; electra) | [`rewards::attestation_participation_update`], [`rewards::proposer_reward_denominator`], [`rewards::get_attestation_proposer_reward`] |
//! | `process_inactivity_updates` (altair) | [`rewards::inactivity_score_step`], [`rewards::RewardEpoch::inactivity_score_step`] |
//! | `get_flag_index_deltas`, `get_inactivity_penalty_deltas` (altair; bellatrix quotient), per validator on a [`rewards::RewardEpoch`] | [`rewards::get_flag_index_deltas`], [`rewards::get_inactivity_penalty_deltas`], [`rewards::get_validator_deltas`] |
//! | `process_rewards_and_penalties` (altair … electra): per delta list, increase then decrease | [`rewards::rewards_and_penalties_step`], [`rewards::apply_deltas`] (the four pairs in order; one-pass argument in [`rewards`]) |
//! | `get_base_reward`, `get_proposer_reward`, `get_attestation_component_deltas` (source, target, head), `get_inclusion_delay_deltas`, `get_inactivity_penalty_deltas`, `get_attestation_deltas` (phase0) | [`rewards::phase0`]: the functions of the same names on a [`rewards::phase0::RewardEpoch`] |
//! | `process_rewards_and_penalties` (phase0): summed rewards, then summed penalties, once | [`rewards::phase0::process_rewards_and_penalties_step`] (proposer credits summed in first) |
//! | `uint64` overflow invalidates the transition (phase0 "state transition function") | checked arithmetic: [`crate::num::NumError::Overflow`] or [`ValidatorError::BalanceOverflow`]; nothing changes |
//!
//! ## Design
//! - **Single pass.** The epoch's per-validator rules are *steps* ([`registry_update_step`],
//!   [`effective_balance_step`], [`slashings_step`], the [`rewards`] steps) that an epoch loop
//!   calls once per validator, so the epoch transition reads each validator once — at 1 M
//!   validators a second pass over the 121-byte records costs as much as the work. What the
//!   rules read from the rest of the registry is fixed for the epoch and kept as messages
//!   arrive ([`EpochTotals`]: the active set, the participating balances), so no pass is
//!   needed to find it. The whole-registry functions run the same steps; [`process_epoch`]
//!   proves from the totals' bounds that no step can fail before it writes, and is atomic
//!   without copying the registry.
//! - **The activation queue without a heap** ([`ActivationQueue`]): the smallest
//!   `(eligibility epoch, index)` keys kept in a 2 KiB buffer, compacted with
//!   `select_nth_unstable`, O(n) per pass. Because the finality filter cuts a prefix of that
//!   order, the queue can be built during the previous epoch's pass and filtered at use. A
//!   churn above [`ACTIVATION_QUEUE_CAPACITY`] (64; mainnet's is at most 15, 8 since Deneb)
//!   takes extra rounds.
//! - **The exit queue cache**: phase0's `initiate_validator_exit` scans the registry for the
//!   latest exit epoch and its count; [`QueueState`] keeps both, exactly (they only grow, and
//!   only this module writes exit epochs). Electra's queue fields are the spec's own.
//! - **Electra's pending deposits**: the queue is the host's list; [`process_pending_deposits`]
//!   reads its head and returns what to drop, re-append and add, with the churn carried in
//!   [`QueueState::deposit_balance_to_consume`].
//!
//! ## Deliberate deviations
//! - **The host supplies the state.** The current and finalized epochs and the active set
//!   come in an [`EpochView`]; public-key lookups and BLS verification (deposit proofs of
//!   possession, exit signatures) are the host's, as are Merkle proofs of deposits.
//! - **New validators are returned, not appended**: a slice cannot grow without a heap, so a
//!   deposit for a new key returns the record and balance for the host to append.
//! - **Atomic everywhere.** The spec's whole-state rollback on an invalid transition becomes:
//!   each function checks before it writes. Whole-registry functions dry-run first.
//! - **Electra's pending partial withdrawals are the host's**: [`process_voluntary_exit`]
//!   takes their sum for the validator. Withdrawals, consolidations and the rest of the fork
//!   upgrade are not modelled here.
//! - **Outcomes.** The spec returns nothing; the functions report what changed
//!   ([`ExitScheduled`], [`RegistryStep`], [`DepositOutcome`], …) so the host can emit
//!   events (`ValidatorActivated`, exits with their epochs).
//!
//! ## Invariants
//! For a registry changed only by these functions, with a valid preset (property-tested over
//! random deposits, exits, balance changes and epochs):
//! - every effective balance is a multiple of `EFFECTIVE_BALANCE_INCREMENT` and at most the
//!   validator's maximum;
//! - `activation_epoch ≤ exit_epoch ≤ withdrawable_epoch` whenever they are set, and
//!   `withdrawable_epoch = exit_epoch + MIN_VALIDATOR_WITHDRAWABILITY_DELAY` for an exit;
//! - no epoch receives more activations than the activation churn, nor (phase0 to Deneb) more
//!   exits than the exit churn;
//! - [`QueueState`]'s phase0 fields equal [`QueueState::scan`] of the registry.

pub mod epoch;
mod error;
mod participation;
mod preset;
mod queue;
mod records;
#[cfg(any(test, feature = "arbitrary"))]
pub mod reference;
pub mod rewards;
pub mod slashing;
pub mod transitions;

pub use epoch::{
    EpochOutcome, EpochRegistry, EpochRoots, EpochState, ValidatorChange, process_epoch,
};
pub use error::{RegistryList, ValidatorError};
pub use participation::{
    AttestationOutcome, AttestationRecords, EpochTotals, IncludingBlock, Inclusion,
    process_attestation,
};
pub use preset::{
    Fork, MAX_EPOCHS_PER_SLASHINGS_VECTOR, MAX_PENDING_DEPOSITS_PER_EPOCH_CAP, Preset,
    PresetParameter,
};
pub use queue::{ACTIVATION_QUEUE_CAPACITY, ActivationQueue, Selection};
pub use records::{
    ActiveTotals, BLS_WITHDRAWAL_PREFIX, BlsPubkey, BlsSignature, COMPOUNDING_WITHDRAWAL_PREFIX,
    DepositData, ETH1_ADDRESS_WITHDRAWAL_PREFIX, EpochView, FAR_FUTURE_EPOCH, GENESIS_EPOCH,
    GENESIS_SLOT, PendingDeposit, QueueState, Validator, VoluntaryExit, round_to_increment,
};
pub use rewards::ParticipationFlags;
pub use slashing::{
    AttestationData, AttesterSlashing, BeaconBlockHeader, IndexedAttestation, MAX_SLASHING_INDICES,
    ProposerSlashing, Slashed, SlashedList, SlashingIndices, SlashingRegistry, SlashingsEpoch,
    SlashingsSummary, is_slashable_attestation_data, is_valid_indexed_attestation,
    process_attester_slashing, process_proposer_slashing, process_slashings,
    process_slashings_reset, slash_validator, slashings_step,
};
pub use transitions::{
    DepositOutcome, EffectiveBalanceChange, ExitScheduled, Hysteresis, NewValidator,
    PendingDepositsOutcome, RegistryEpoch, RegistryStep, RegistrySummary, activation_churn_limit,
    apply_deposit, check_deposit_amount, compute_activation_exit_epoch, compute_epoch_at_slot,
    compute_exit_epoch_and_update_churn, compute_start_slot_at_epoch, effective_balance_step,
    get_activation_exit_churn_limit, get_balance_churn_limit, get_consolidation_churn_limit,
    get_validator_activation_churn_limit, get_validator_churn_limit, initiate_exit,
    initiate_validator_exit, next_effective_balance, process_effective_balance_updates,
    process_pending_deposits, process_registry_updates, process_voluntary_exit,
    registry_update_step,
};

#[cfg(test)]
mod tests;
