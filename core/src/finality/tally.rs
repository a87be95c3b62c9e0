//! The attestation tally: votes in, the two target balances out.

use parity_scale_codec::{Decode, Encode, MaxEncodedLen};

use super::{Checkpoint, FinalityError, FinalityState, previous_epoch};
use crate::ids::{Epoch, ValidatorIndex};

/// One validator's vote (the FFG part of an attestation's `AttestationData`, phase0): a link
/// from the `source` checkpoint to the `target` checkpoint. The host has checked the
/// signature, the committee and the inclusion window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Encode, Decode, MaxEncodedLen)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Vote {
    /// The voting validator.
    pub validator: ValidatorIndex,
    /// The justified checkpoint the vote builds on.
    pub source: Checkpoint,
    /// The checkpoint the vote justifies.
    pub target: Checkpoint,
}

impl Vote {
    /// The order [`tally_votes`] needs: by target epoch, then by validator.
    pub fn order_key(&self) -> (Epoch, ValidatorIndex) {
        (self.target.epoch, self.validator)
    }

    /// A total order on votes that refines [`Vote::order_key`]: target epoch, validator, then
    /// the source and the target root. Votes sorted by it are in the order [`tally_votes`]
    /// needs, and equal collections of votes sort to the same sequence (a ledger snapshot
    /// keeps its votes so).
    pub fn canonical_key(&self) -> (Epoch, ValidatorIndex, Epoch, [u8; 32], [u8; 32]) {
        (
            self.target.epoch,
            self.validator,
            self.source.epoch,
            self.source.root,
            self.target.root,
        )
    }
}

/// Sorts votes into the order [`tally_votes`] needs, in place, without allocating (`core`'s
/// unstable sort; O(n log n)), by [`Vote::canonical_key`], so that equal collections of votes
/// sort alike.
pub fn sort_votes(votes: &mut [Vote]) {
    votes.sort_unstable_by_key(Vote::canonical_key);
}

/// What [`tally_votes`] made of the votes. Every vote lands in exactly one of the six
/// counters, so they sum to the number of votes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Encode, Decode, MaxEncodedLen)]
pub struct TallyReport {
    /// Votes whose weight was added to a target balance (one per validator and target epoch).
    pub counted: u64,
    /// Votes for the previous or current epoch whose source is not the matching justified
    /// checkpoint (`process_attestation` would reject them).
    pub wrong_source: u64,
    /// Votes with the right source whose target root is not the block root of the target
    /// epoch (not in `get_matching_target_attestations`).
    pub wrong_target: u64,
    /// Votes whose target epoch is neither the previous nor the current epoch
    /// (`process_attestation` would reject them).
    pub wrong_epoch: u64,
    /// Matching votes of a validator that already had a matching vote for the same target
    /// epoch (a set counts each validator once).
    pub duplicate: u64,
    /// Matching votes of validators that do not count: the weight function returned `None`
    /// (slashed, not active at the target epoch, or unknown).
    pub not_counted: u64,
    /// The previous epoch's target balance, Gwei, floored at the increment: the spec's
    /// `previous_target_balance`.
    pub previous_target_balance: u64,
    /// The current epoch's target balance, Gwei, floored at the increment: the spec's
    /// `current_target_balance`.
    pub current_target_balance: u64,
}

/// Turns votes into the previous and current epochs' target balances, as the spec's
/// `process_justification_and_finalization` finds them.
///
/// `state` is the finality state during `current_epoch`, before its justification and
/// finalization: its justified checkpoints are the ones `process_attestation` compared the
/// votes' sources with when they were included.
///
/// Rules, from the spec:
/// 1. `process_attestation` (phase0, altair): a target epoch must be the previous or the
///    current epoch, else the vote is [`TallyReport::wrong_epoch`]. A vote for the current
///    epoch must have `source == state.current_justified`, one for the previous epoch
///    `source == state.previous_justified`, else [`TallyReport::wrong_source`]. At genesis
///    the two epochs are one (epoch 0) and the current-epoch rule applies, as in the spec,
///    which tests `target.epoch == get_current_epoch(state)` first.
/// 2. `get_matching_target_attestations` (phase0) / the `TIMELY_TARGET` flag (altair):
///    `target.root` must be the root of the block at the start of the target epoch
///    (`previous_epoch_root` or `current_epoch_root`, as the host's `get_block_root` gives
///    them; at genesis `current_epoch_root`), else [`TallyReport::wrong_target`].
/// 3. `get_unslashed_attesting_indices` (phase0) / `get_unslashed_participating_indices`
///    (altair) build a *set*: a validator counts once per target epoch; a further matching
///    vote is [`TallyReport::duplicate`]. The set keeps only unslashed validators (and, in
///    altair, those active at the target epoch): `weight(validator, target_epoch)` returns the
///    validator's effective balance if it counts, `None` if not
///    ([`TallyReport::not_counted`]). It is called once per validator and target epoch.
/// 4. `get_total_balance` (phase0): the weights are summed in `u64` (an overflow is
///    [`FinalityError::PreviousTargetSumOverflow`] or
///    [`FinalityError::CurrentTargetSumOverflow`]: "math safe up to ~10B ETH"), and the sum is
///    floored at `effective_balance_increment` (the spec's `EFFECTIVE_BALANCE_INCREMENT`, 10^9
///    Gwei on Ethereum). At genesis both balances are the one epoch's (the spec's
///    `get_matching_source_attestations` returns the current epoch's attestations for both).
///
/// The checks of a vote run in that order, and the first that fails names its counter.
///
/// **Duplicates without a heap.** `votes` must be sorted by [`Vote::order_key`] (target epoch,
/// then validator; [`sort_votes`] does it in place): then all votes of one validator for one
/// target epoch are adjacent, and remembering the last counted (epoch, validator) pair finds
/// every duplicate in one pass, O(n) time and O(1) memory, with no bound on the number of
/// validators. Unsorted input is refused ([`FinalityError::UnsortedVotes`], naming the first
/// vote out of order) rather than tallied wrongly; equal keys may repeat.
pub fn tally_votes<W>(
    state: &FinalityState,
    current_epoch: Epoch,
    previous_epoch_root: [u8; 32],
    current_epoch_root: [u8; 32],
    votes: &[Vote],
    effective_balance_increment: u64,
    mut weight: W,
) -> Result<TallyReport, FinalityError>
where
    W: FnMut(ValidatorIndex, Epoch) -> Option<u64>,
{
    let rules = VoteRules::new(
        state,
        current_epoch,
        previous_epoch_root,
        current_epoch_root,
    );
    let mut report = TallyReport::default();
    let (mut previous_sum, mut current_sum) = (0u64, 0u64);
    let mut last_key: Option<(Epoch, ValidatorIndex)> = None;
    let mut last_matching: Option<(Epoch, ValidatorIndex)> = None;

    for (position, vote) in votes.iter().enumerate() {
        let key = vote.order_key();
        if last_key.is_some_and(|last| key < last) {
            let position = u32::try_from(position).unwrap_or(u32::MAX);
            return Err(FinalityError::UnsortedVotes { position });
        }
        last_key = Some(key);

        let verdict = rules.judge(vote);
        let Verdict::Matching { is_current } = verdict else {
            report.note(verdict);
            continue;
        };
        if last_matching == Some(key) {
            bump(&mut report.duplicate);
            continue;
        }
        last_matching = Some(key);

        let Some(balance) = weight(vote.validator, vote.target.epoch) else {
            bump(&mut report.not_counted);
            continue;
        };
        if is_current {
            current_sum = current_sum
                .checked_add(balance)
                .ok_or(FinalityError::CurrentTargetSumOverflow)?;
        } else {
            previous_sum = previous_sum
                .checked_add(balance)
                .ok_or(FinalityError::PreviousTargetSumOverflow)?;
        }
        bump(&mut report.counted);
    }

    report.finish(
        &rules,
        previous_sum,
        current_sum,
        effective_balance_increment,
    );
    Ok(report)
}

/// What the rules of [`tally_votes`] make of one vote on its own, before duplicates and
/// weights: rules 1 and 2 of its docs, in that order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The target epoch is neither the previous nor the current epoch.
    WrongEpoch,
    /// The source is not the matching justified checkpoint.
    WrongSource,
    /// The target root is not the block root of the target epoch.
    WrongTarget,
    /// A matching target vote, for the current epoch or the previous one.
    Matching {
        /// Whether the target is the current epoch (at genesis, always).
        is_current: bool,
    },
}

/// The per-vote rules of [`tally_votes`] for one epoch, computed once: shared with the epoch
/// transition's single pass (`crate::validator::process_epoch`), which tallies while it walks
/// the registry and must judge each vote exactly as [`tally_votes`] does.
#[derive(Clone, Copy, Debug)]
pub(crate) struct VoteRules {
    current_epoch: Epoch,
    previous_epoch: Epoch,
    current_source: Checkpoint,
    previous_source: Checkpoint,
    current_root: [u8; 32],
    previous_root: [u8; 32],
}

impl VoteRules {
    /// The rules during `current_epoch` of a chain in `state` (see [`tally_votes`]).
    pub(crate) fn new(
        state: &FinalityState,
        current_epoch: Epoch,
        previous_epoch_root: [u8; 32],
        current_epoch_root: [u8; 32],
    ) -> Self {
        Self {
            current_epoch,
            previous_epoch: previous_epoch(current_epoch),
            current_source: state.current_justified,
            previous_source: state.previous_justified,
            current_root: current_epoch_root,
            previous_root: previous_epoch_root,
        }
    }

    /// The previous epoch (`get_previous_epoch`).
    pub(crate) fn previous_epoch(&self) -> Epoch {
        self.previous_epoch
    }

    /// The current epoch.
    pub(crate) fn current_epoch(&self) -> Epoch {
        self.current_epoch
    }

    /// Rules 1 and 2 of [`tally_votes`] for `vote`, in order; the current epoch is tested
    /// first (at genesis the two epochs are one).
    #[inline]
    pub(crate) fn judge(&self, vote: &Vote) -> Verdict {
        let target_epoch = vote.target.epoch;
        let is_current = target_epoch == self.current_epoch;
        let (justified, root) = if is_current {
            (&self.current_source, &self.current_root)
        } else if target_epoch == self.previous_epoch {
            (&self.previous_source, &self.previous_root)
        } else {
            return Verdict::WrongEpoch;
        };
        if vote.source != *justified {
            return Verdict::WrongSource;
        }
        if vote.target.root != *root {
            return Verdict::WrongTarget;
        }
        Verdict::Matching { is_current }
    }
}

impl TallyReport {
    /// Counts a vote the rules rejected (a [`Verdict::Matching`] is counted by the caller,
    /// once its duplicate test and weight are known).
    #[inline]
    pub(crate) fn note(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::WrongEpoch => bump(&mut self.wrong_epoch),
            Verdict::WrongSource => bump(&mut self.wrong_source),
            Verdict::WrongTarget => bump(&mut self.wrong_target),
            Verdict::Matching { .. } => {}
        }
    }

    /// Sets the target balances from the sums (rule 4 of [`tally_votes`]): at genesis the
    /// previous epoch's is the current one's; both are floored at the increment.
    pub(crate) fn finish(
        &mut self,
        rules: &VoteRules,
        previous_sum: u64,
        current_sum: u64,
        effective_balance_increment: u64,
    ) {
        let previous_sum = if rules.previous_epoch == rules.current_epoch {
            current_sum
        } else {
            previous_sum
        };
        self.previous_target_balance = previous_sum.max(effective_balance_increment);
        self.current_target_balance = current_sum.max(effective_balance_increment);
    }
}

/// One more vote in a counter (a count never exceeds the number of votes, a `usize`, so it
/// cannot saturate).
pub(crate) fn bump(counter: &mut u64) {
    *counter = counter.saturating_add(1);
}
