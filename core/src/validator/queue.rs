//! The activation queue of phase0 to Deneb, selected without a heap.
//!
//! `process_registry_updates` (phase0; deneb) sorts every validator "eligible for activation"
//! by `(activation_eligibility_epoch, index)` and activates the first `churn`. Sorting a
//! million indices needs a heap; the churn is small (4 to 15 on mainnet, at most 8 since
//! Deneb). So [`ActivationQueue`] keeps only the smallest keys, in a fixed buffer of
//! `2 · ACTIVATION_QUEUE_CAPACITY` entries: a key is appended; when the buffer is full,
//! `select_nth_unstable` (core, no allocation) moves the `ACTIVATION_QUEUE_CAPACITY` smallest
//! to the front and the rest are dropped, and from then on any key above the largest kept one
//! is refused at once. Each compaction is linear in the buffer and happens at most once per
//! `ACTIVATION_QUEUE_CAPACITY` accepted keys, so offering `n` validators is O(n) time and the
//! memory is constant (2 KiB).
//!
//! **Why keeping the smallest keys of all candidates is enough.** The spec's queue is
//! filtered by `activation_eligibility_epoch <= finalized_epoch`, a condition on the first
//! part of the sort key, so the filtered queue is a *prefix* of the sorted list of all
//! candidates (validators with no activation epoch; one never queued has the eligibility epoch
//! `FAR_FUTURE_EPOCH`, sorts last and passes the filter only if the finalized epoch is
//! `FAR_FUTURE_EPOCH` too — never on a chain, but the spec's `is_eligible_for_activation` then
//! takes it, and so does this queue). Its first
//! `churn` entries are therefore the first `churn` candidates, cut at the finalized epoch.
//! So a queue built before the finalized epoch is known — during the previous epoch's pass
//! over the registry, as Lighthouse does — still gives the spec's answer
//! ([`ActivationQueue::select`]). The answer is incomplete only when the churn exceeds
//! [`ACTIVATION_QUEUE_CAPACITY`], the kept keys all pass the filter and some candidates were
//! dropped; [`Selection::exact`] says so, and the caller runs another round (the full
//! [`super::process_registry_updates`] does).

use super::{FAR_FUTURE_EPOCH, Validator};
use crate::ids::{Epoch, ValidatorIndex};

/// Most activations one [`Selection`] holds; a larger churn takes several rounds.
pub const ACTIVATION_QUEUE_CAPACITY: usize = 64;
const BUFFER: usize = 2 * ACTIVATION_QUEUE_CAPACITY;

/// A queue key: `(activation_eligibility_epoch, index)`, the spec's sort order.
type Key = (u64, u64);

/// The smallest activation-queue keys offered so far (see the module docs).
#[derive(Clone, Debug)]
pub struct ActivationQueue {
    keys: [Key; BUFFER],
    len: usize,
    /// Once keys have been dropped: the largest kept key; larger ones are refused.
    threshold: Option<Key>,
    /// Candidates offered, kept or not.
    offered: u64,
}

impl Default for ActivationQueue {
    fn default() -> Self {
        Self::new()
    }
}

impl ActivationQueue {
    /// An empty queue.
    pub const fn new() -> Self {
        Self {
            keys: [(0, 0); BUFFER],
            len: 0,
            threshold: None,
            offered: 0,
        }
    }

    /// A queue of every candidate in `validators` (one pass).
    pub fn scan(validators: &[Validator]) -> Self {
        let mut queue = Self::new();
        for (index, validator) in (0u64..).zip(validators) {
            queue.offer(ValidatorIndex(index), validator);
        }
        queue
    }

    /// Offers validator `index` in its current state: it is a candidate if it has no
    /// activation epoch, with the key `(activation eligibility epoch, index)`. Offer each
    /// validator once, after the registry updates of its epoch.
    #[inline]
    pub fn offer(&mut self, index: ValidatorIndex, validator: &Validator) {
        if validator.activation_epoch != FAR_FUTURE_EPOCH {
            return;
        }
        self.offered = self.offered.saturating_add(1);
        let key = (validator.activation_eligibility_epoch.0, index.0);
        if self.threshold.is_some_and(|largest| key > largest) {
            return;
        }
        if self.len >= BUFFER {
            self.compact();
        }
        if let Some(slot) = self.keys.get_mut(self.len) {
            *slot = key;
            self.len = self.len.saturating_add(1);
        }
    }

    /// Keeps the `ACTIVATION_QUEUE_CAPACITY` smallest keys and records the largest of them.
    fn compact(&mut self) {
        let Some(held) = self.keys.get_mut(..self.len) else {
            return;
        };
        if held.len() <= ACTIVATION_QUEUE_CAPACITY {
            return;
        }
        held.select_nth_unstable(ACTIVATION_QUEUE_CAPACITY);
        self.len = ACTIVATION_QUEUE_CAPACITY;
        self.threshold = held
            .get(..ACTIVATION_QUEUE_CAPACITY)
            .and_then(|kept| kept.iter().max().copied());
    }

    /// Candidates offered so far (kept or not).
    pub fn offered(&self) -> u64 {
        self.offered
    }

    /// The validators to activate: the first `churn` candidates in `(eligibility epoch,
    /// index)` order whose eligibility epoch is at most `finalized`, as
    /// `process_registry_updates` takes `activation_queue[:churn]`.
    pub fn select(&self, finalized: Epoch, churn: u64) -> Selection {
        let mut sorted = self.clone();
        sorted.compact();
        let held = sorted.keys.get_mut(..sorted.len).unwrap_or_default();
        held.sort_unstable();
        let mut selection = Selection::empty();
        let mut stopped_by_finality = false;
        for &(eligibility, index) in held.iter() {
            if selection.len() as u64 >= churn {
                break;
            }
            if eligibility > finalized.0 {
                stopped_by_finality = true;
                break;
            }
            selection.push(index);
        }
        let all_held = self.offered <= held.len() as u64;
        selection.exact = selection.len() as u64 >= churn || stopped_by_finality || all_held;
        selection.indices_sorted();
        selection
    }
}

/// Validators chosen for activation by [`ActivationQueue::select`], sorted by index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    indices: [u64; ACTIVATION_QUEUE_CAPACITY],
    len: usize,
    /// Whether this is the spec's whole choice. `false` when the churn exceeds
    /// [`ACTIVATION_QUEUE_CAPACITY`] and more candidates may follow: activate these, then
    /// select again from a fresh scan for the rest of the churn.
    pub exact: bool,
}

impl Selection {
    /// No activations (exact).
    pub const fn empty() -> Self {
        Self {
            indices: [0; ACTIVATION_QUEUE_CAPACITY],
            len: 0,
            exact: true,
        }
    }

    fn push(&mut self, index: u64) {
        if let Some(slot) = self.indices.get_mut(self.len) {
            *slot = index;
            self.len = self.len.saturating_add(1);
        }
    }

    fn indices_sorted(&mut self) {
        if let Some(chosen) = self.indices.get_mut(..self.len) {
            chosen.sort_unstable();
        }
    }

    /// How many are chosen.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether none is chosen.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The chosen indices, ascending.
    pub fn indices(&self) -> impl Iterator<Item = ValidatorIndex> + '_ {
        self.indices
            .get(..self.len)
            .unwrap_or_default()
            .iter()
            .map(|i| ValidatorIndex(*i))
    }

    /// Whether `index` is chosen (binary search, O(log churn)).
    #[inline]
    pub fn contains(&self, index: ValidatorIndex) -> bool {
        self.indices
            .get(..self.len)
            .is_some_and(|chosen| chosen.binary_search(&index.0).is_ok())
    }
}
