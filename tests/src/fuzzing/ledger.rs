//! The ledger harness: an arbitrary sequence of messages applied to a [`Ledger`] whose chain
//! starts with four validators, with every invariant checked after every step.
//!
//! Messages come from `stakehold`'s `Arbitrary` impls (feature `arbitrary`): account ids from
//! a small set so that messages collide on the same accounts, amounts around the values the
//! rules compare against, approvals from the council below and from outsiders — so valid and
//! invalid messages both occur. Time moves as the input says: not at all, a few seconds, exactly
//! the unlock period (so releases land on the boundary), days, or to any `u64` (backwards, or
//! to the end of time).
//!
//! After each step:
//! - a failed message changed nothing (snapshots before and after are equal);
//! - value is conserved: everything staked is staked, unlocking, withdrawn or slashed
//!   (deposits, withdrawals and slashes are summed from the events, in 512 bits);
//! - `total_staked` and `total_unlocked` are the sums over the accounts, `total_slashed` the sum
//!   of the slashes, and `balance` covers what is owed (and, the contract holding nothing
//!   else, equals it);
//! - the chain: its epoch and finalized epoch never go back, justified checkpoints are never
//!   behind the finalized one, Gwei are conserved (balances and pending deposits are the
//!   genesis deposits plus every deposit accepted), every effective balance is a multiple of
//!   the increment within the validator's maximum, and a validator's activation, exit and
//!   withdrawable epochs are in order;
//! - snapshot → restore → snapshot gives the same bytes and an equal ledger;
//! - the C library's `sh_apply`, given the records the message touches, returns the same status,
//!   event and records as the ledger (the binding holds no rule); a chain message, which needs
//!   the registry, is `ChainMessage` there.
//!
//! A `Block` step also applies its messages as one block (`Ledger::apply_block_bytes`) to a copy
//! of the ledger, which must end with the same results and the same snapshot.

use arbitrary::{Arbitrary, Unstructured};
use parity_scale_codec::Encode;
use primitive_types::U512;
use stakehold::error::StateError;
use stakehold::finality::Checkpoint;
use stakehold::ledger::{Chain, ChainGenesis};
use stakehold::msg::{Attesters, encode_block};
use stakehold::stake::{StakeAccount, StakeParams};
use stakehold::validator::{
    AttestationData, EpochTotals, FAR_FUTURE_EPOCH, Fork, IncludingBlock, Preset,
};
use stakehold::{AccountId, Context, Error, Event, Ledger, Msg, Slot, ValidatorIndex};
use stakehold_ffi::records::{
    SH_ACCOUNT_MAX_LEN, SH_EVENT_MAX_LEN, SH_GLOBALS_MAX_LEN, sh_apply, sh_context,
};

use crate::{Clock, chain_genesis, council_2of3};

/// The host relaying the chain's honest steps ([`Step::Vote`], [`Step::EndEpoch`]).
const HOST: AccountId = AccountId([0x40; 20]);

/// A fuzz input: the genesis parameters (invalid ones fall back to [`StakeParams::btfs`]), the
/// chain's fork, and the steps.
#[derive(Debug, Arbitrary)]
pub struct Input {
    /// Parameters of the genesis ledger.
    pub params: StakeParams,
    /// Whether the chain follows Electra's rules (else the seed chain's, Deneb's).
    pub electra: bool,
    /// What happens, in order.
    pub steps: Vec<Step>,
}

/// One step of a run (large: a message holds a council inline; steps are used one at a time).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Arbitrary)]
pub enum Step {
    /// A message, applied on its own.
    Send(Tx),
    /// Bytes that may not be a message at all, sent by `caller` in the current block.
    Raw {
        /// The sender.
        caller: AccountId,
        /// The bytes (`Ledger::apply_bytes`).
        bytes: Vec<u8>,
    },
    /// Messages applied one by one and, on a copy, as one block; the two must agree.
    Block(Vec<Tx>),
    /// An honest attestation, as the host relays one: the validators whose bits are set in
    /// `voters` (bit `i` is validator `i`) vote from the current justified checkpoint for the
    /// current epoch's checkpoint, with the root [`EndEpoch`](Step::EndEpoch) will give it.
    /// (Arbitrary [`Msg::Attest`]s cover the dishonest ones.)
    Vote {
        /// Which of the first eight validators vote.
        voters: u8,
    },
    /// The host ends the current epoch with its chain's roots ([`epoch_root`]).
    EndEpoch,
}

/// The root of the block at the start of `epoch` on the host's chain in fuzzed runs: `[0; 32]`,
/// `[1; 32]` or `[2; 32]` in turn, among the roots arbitrary messages draw
/// ([`stakehold::fuzz::root`]), so dishonest votes meet them too.
pub fn epoch_root(epoch: u64) -> [u8; 32] {
    [(epoch % 3) as u8; 32]
}

/// A message, its sender and how far time moves before it.
#[derive(Debug, Arbitrary)]
pub struct Tx {
    /// The sender.
    pub caller: AccountId,
    /// The time before it.
    pub tick: Tick,
    /// The message.
    pub msg: Msg,
}

/// How the block time moves before a message (each message is in a new block).
#[derive(Clone, Copy, Debug, Arbitrary)]
pub enum Tick {
    /// Not at all.
    Same,
    /// A few seconds.
    Seconds(u8),
    /// Exactly the unlock period in force, plus `-1`, `0` or `+1` seconds (by the value mod 3).
    Period(u8),
    /// Whole days.
    Days(u16),
    /// To any time at all.
    To(u64),
}

/// What a run did, for the scenario corpus: the genesis ledger and each message applied (a
/// block's messages one by one, as they give the same results).
pub struct Transcript {
    /// The ledger before the first step.
    pub genesis: Ledger,
    /// Each message in order.
    pub steps: Vec<Sent>,
}

/// A message applied in a run.
pub struct Sent {
    /// The context it was applied in.
    pub ctx: Context,
    /// Its bytes (perhaps not a message).
    pub msg: Vec<u8>,
    /// What the ledger returned.
    pub outcome: Result<Vec<Event>, Error>,
}

/// The ledger runs start from: default parameters, the tests' 2-of-3 council (whose members
/// are among the ids `Arbitrary` draws, [`stakehold::fuzz::ACCOUNTS`]) and a chain of four
/// genesis validators (public keys `[1; 48]` … `[4; 48]`, among the keys it draws).
pub fn genesis() -> Ledger {
    genesis_with(StakeParams::btfs(), false)
}

/// The seed chain's preset, Deneb or Electra, with a minimum active age of two epochs instead
/// of 256, so that a fuzzed run reaches voluntary exits, and a slashed validator withdrawable
/// eight epochs after its slashing instead of 8192, so that it reaches the correlation penalty
/// (four epochs after the slashing).
fn fuzz_preset(electra: bool) -> Preset {
    Preset {
        fork: if electra { Fork::Electra } else { Fork::Deneb },
        shard_committee_period: 2,
        // withdrawable = max(exit + 2, slashed at + 8), and the exit is at least 5 epochs
        // after the slashing: the vector decides.
        epochs_per_slashings_vector: 8,
        min_validator_withdrawability_delay: 2,
        ..Preset::seed_chain()
    }
}

fn genesis_with(params: StakeParams, electra: bool) -> Ledger {
    let genesis = ChainGenesis {
        preset: fuzz_preset(electra),
        ..chain_genesis(4)
    };
    let chain = || Chain::genesis(&genesis).expect("a valid genesis");
    Ledger::with_chain(params, council_2of3(), chain())
        .or_else(|_| Ledger::with_chain(StakeParams::btfs(), council_2of3(), chain()))
        .expect("default parameters are valid")
}

/// The `ledger` fuzz target.
pub fn fuzz(bytes: &[u8]) {
    run(bytes);
}

/// Runs the input in `bytes` (if it parses as one) with every check; returns what it did.
pub fn run(bytes: &[u8]) -> Option<Transcript> {
    let input = Input::arbitrary_take_rest(Unstructured::new(bytes)).ok()?;
    let mut run = Run::new(genesis_with(input.params, input.electra));
    for step in input.steps {
        run.step(step);
    }
    Some(run.transcript)
}

/// The value that entered and left the contract, summed from the events, and the Gwei
/// deposited to the chain, summed from the deposits accepted.
#[derive(Default)]
struct Flows {
    deposited: U512,
    withdrawn: U512,
    slashed: U512,
    chain_deposits: u128,
}

impl Flows {
    fn record(&mut self, event: &Event) {
        match *event {
            Event::Staked { amount, .. } => self.deposited += U512::from(amount),
            Event::Withdrawn { amount, .. } => self.withdrawn += U512::from(amount),
            Event::Slashed {
                from_staked,
                from_unlocking,
                ..
            } => self.slashed += U512::from(from_staked) + U512::from(from_unlocking),
            // A slashing burns the penalty and mints the proposer's reward; the correlation
            // penalty burns.
            Event::ValidatorSlashed {
                penalty, reward, ..
            } => {
                self.chain_deposits = self
                    .chain_deposits
                    .checked_sub(u128::from(penalty))
                    .expect("a penalty larger than the Gwei held")
                    + u128::from(reward);
            }
            Event::CorrelationPenalty { penalty, .. } => {
                self.chain_deposits = self
                    .chain_deposits
                    .checked_sub(u128::from(penalty))
                    .expect("a penalty larger than the Gwei held");
            }
            // Attestations pay their proposer; epochs pay rewards and take penalties.
            Event::Attested {
                proposer_reward, ..
            } => self.chain_deposits += u128::from(proposer_reward),
            Event::EpochProcessed {
                rewards, penalties, ..
            } => {
                self.chain_deposits = (self.chain_deposits + u128::from(rewards))
                    .checked_sub(u128::from(penalties))
                    .expect("penalties larger than the Gwei held");
            }
            _ => {}
        }
    }
}

struct Run {
    ledger: Ledger,
    clock: Clock,
    flows: Flows,
    transcript: Transcript,
    /// The chain's epoch and finalized epoch after the previous step.
    chain_epochs: (u64, u64),
}

impl Run {
    fn new(ledger: Ledger) -> Self {
        let genesis_gwei = ledger
            .chain()
            .balances()
            .iter()
            .map(|&b| u128::from(b))
            .sum();
        Self {
            chain_epochs: (0, 0),
            transcript: Transcript {
                genesis: ledger.clone(),
                steps: Vec::new(),
            },
            ledger,
            clock: Clock::default(),
            flows: Flows {
                chain_deposits: genesis_gwei,
                ..Flows::default()
            },
        }
    }

    fn step(&mut self, step: Step) {
        match step {
            Step::Send(tx) => {
                let ctx = self.next(&tx);
                let _ = self.apply(ctx, tx.msg.to_bytes());
            }
            Step::Raw { caller, bytes } => {
                let ctx = self.clock.ctx(caller);
                let _ = self.apply(ctx, bytes);
            }
            Step::Vote { voters } => {
                let chain = self.ledger.chain();
                let state = chain.epoch_state();
                let current = state.current_epoch;
                // The voters active now (a committee holds only active validators).
                let validators = (0..8u64)
                    .filter(|i| voters & (1 << i) != 0)
                    .filter(|i| {
                        chain
                            .validator(ValidatorIndex(*i))
                            .is_some_and(|(v, _)| v.is_active_validator(current))
                    })
                    .map(ValidatorIndex)
                    .collect::<Vec<_>>();
                let start = current.0.saturating_mul(32);
                let head = epoch_root(current.0);
                let msg = Msg::Attest {
                    data: AttestationData {
                        slot: Slot(start),
                        index: 0,
                        beacon_block_root: head,
                        source: state.finality.current_justified,
                        target: Checkpoint {
                            epoch: current,
                            root: epoch_root(current.0),
                        },
                    },
                    validators: Attesters::from_slice(&validators).expect("at most 8"),
                    block: IncludingBlock {
                        slot: Slot(start.saturating_add(1)),
                        proposer: ValidatorIndex(u64::from(voters % 4)),
                        target_root: epoch_root(current.0),
                        head_root: head,
                    },
                };
                let ctx = self.clock.ctx(HOST);
                let _ = self.apply(ctx, msg.to_bytes());
            }
            Step::EndEpoch => {
                let current = self.ledger.chain().epoch_state().current_epoch.0;
                let msg = Msg::ProcessEpoch {
                    previous_epoch_root: epoch_root(current.saturating_sub(1)),
                    current_epoch_root: epoch_root(current),
                };
                let ctx = self.clock.ctx(HOST);
                let _ = self.apply(ctx, msg.to_bytes());
            }
            Step::Block(txs) => {
                let mut copy = self.ledger.clone();
                let mut block = Vec::with_capacity(txs.len());
                let mut one_by_one = Vec::with_capacity(txs.len());
                for tx in txs {
                    let ctx = self.next(&tx);
                    one_by_one.push(self.apply(ctx, tx.msg.to_bytes()));
                    block.push((ctx, tx.msg));
                }
                let together = copy
                    .apply_block_bytes(&encode_block(&block))
                    .expect("an encoded block decodes");
                assert_eq!(together, one_by_one, "a block and its messages disagree");
                assert_eq!(copy.snapshot(), self.ledger.snapshot(), "block end state");
            }
        }
    }

    /// Moves the clock as `tx` says and gives its context.
    fn next(&mut self, tx: &Tx) -> Context {
        let now = self.clock.now;
        let period = self.ledger.params().unlock_period;
        self.clock.now = match tx.tick {
            Tick::Same => now,
            Tick::Seconds(s) => now.saturating_add(s.into()),
            Tick::Period(p) => now
                .saturating_add(period)
                .saturating_add((p % 3).into())
                .saturating_sub(1),
            Tick::Days(d) => now.saturating_add(u64::from(d) * 86_400),
            Tick::To(t) => t,
        };
        self.clock.height = self.clock.height.saturating_add(1);
        self.clock.ctx(tx.caller)
    }

    /// Applies one message's bytes with every check; returns the ledger's result.
    fn apply(&mut self, ctx: Context, bytes: Vec<u8>) -> Result<Vec<Event>, Error> {
        let before = self.ledger.clone();
        let result = self.ledger.apply_bytes(&ctx, &bytes);
        match &result {
            Ok(events) => {
                events.iter().for_each(|e| self.flows.record(e));
                if let Ok(Msg::Deposit { deposit }) = Msg::decode_bytes(&bytes) {
                    self.flows.chain_deposits += u128::from(deposit.amount);
                }
            }
            Err(e) => assert_eq!(
                self.ledger.snapshot(),
                before.snapshot(),
                "failed with {e:?} but changed the state"
            ),
        }
        check_c_surface(&before, &self.ledger, &ctx, &bytes, &result);
        self.check_invariants();
        self.transcript.steps.push(Sent {
            ctx,
            msg: bytes,
            outcome: result.clone(),
        });
        result
    }

    fn check_invariants(&mut self) {
        let totals = self.ledger.totals();
        let (mut staked, mut unlocked) = (U512::zero(), U512::zero());
        for (id, account) in self.ledger.accounts() {
            assert!(!account.is_empty(), "{id} is kept though empty");
            staked += U512::from(account.staked());
            unlocked += U512::from(account.unlocked());
        }
        assert_eq!(staked, U512::from(totals.total_staked), "total_staked");
        assert_eq!(
            unlocked,
            U512::from(totals.total_unlocked),
            "total_unlocked"
        );
        assert_eq!(
            self.flows.slashed,
            U512::from(totals.total_slashed),
            "total_slashed"
        );
        assert!(totals.is_solvent(), "insolvent: {totals:?}");
        let Flows {
            deposited,
            withdrawn,
            slashed,
            ..
        } = self.flows;
        assert_eq!(
            deposited,
            staked + unlocked + withdrawn + slashed,
            "value not conserved"
        );
        assert_eq!(U512::from(totals.balance), staked + unlocked, "balance");

        self.check_chain();
        let snapshot = self.ledger.snapshot();
        let restored = Ledger::restore(&snapshot).expect("a snapshot restores");
        assert_eq!(restored, self.ledger, "restore gives another ledger");
        assert_eq!(restored.snapshot(), snapshot, "snapshot round trip");
    }
}

impl Run {
    fn check_chain(&mut self) {
        let chain = self.ledger.chain();
        let state = chain.epoch_state();
        let epochs = (state.current_epoch.0, state.finality.finalized.epoch.0);
        assert!(epochs.0 >= self.chain_epochs.0, "the epoch went back");
        assert!(
            epochs.1 >= self.chain_epochs.1,
            "the finalized epoch went back"
        );
        self.chain_epochs = epochs;
        assert!(
            state.finality.is_ordered(),
            "justified behind finalized: {state:?}"
        );
        // The kept totals are the sums over the records; the bounds at least the maxima.
        let (previous, current) = chain.participation();
        let scan = EpochTotals::scan(
            state.current_epoch,
            chain.validators(),
            chain.balances(),
            chain.inactivity_scores(),
            previous,
            current,
        )
        .expect("the sums of a fuzzed chain fit");
        let kept = chain.totals();
        assert_eq!(
            (kept.active, kept.previous, kept.current),
            (scan.active, scan.previous, scan.current),
            "the kept totals drifted from the records"
        );
        assert!(
            kept.max_balance >= scan.max_balance
                && kept.max_effective_balance >= scan.max_effective_balance
                && kept.max_inactivity_score >= scan.max_inactivity_score,
            "a bound below the registry's maximum"
        );

        let held: u128 = chain
            .balances()
            .iter()
            .map(|&b| u128::from(b))
            .sum::<u128>()
            + chain
                .pending_deposits()
                .iter()
                .map(|d| u128::from(d.amount))
                .sum::<u128>();
        assert_eq!(held, self.flows.chain_deposits, "Gwei not conserved");

        let preset = chain.preset();
        for v in chain.validators() {
            assert_eq!(v.effective_balance % preset.effective_balance_increment, 0);
            assert!(
                v.effective_balance <= v.max_effective_balance(preset),
                "{v:?}"
            );
            if v.slashed {
                assert_ne!(v.exit_epoch, FAR_FUTURE_EPOCH, "a slashed validator exits");
            }
            if v.exit_epoch != FAR_FUTURE_EPOCH {
                assert!(v.activation_epoch <= v.exit_epoch, "{v:?}");
                assert!(v.exit_epoch <= v.withdrawable_epoch, "{v:?}");
            }
        }
    }
}

/// `sh_apply` on the records the message touches in `before` gives what the ledger gave.
fn check_c_surface(
    before: &Ledger,
    after: &Ledger,
    ctx: &Context,
    bytes: &[u8],
    result: &Result<Vec<Event>, Error>,
) {
    let msg = Msg::decode_bytes(bytes).ok();
    let chain_message = msg.as_ref().is_some_and(Msg::is_chain_message);
    let id = msg.and_then(|m| m.account(ctx));
    let record = |ledger: &Ledger| {
        id.map(|id| ledger.account(&id))
            .filter(|a| !a.is_empty())
            .map_or_else(Vec::new, StakeAccount::encode)
    };
    let globals = before.globals().encode();
    let account = record(before);
    let c_ctx = sh_context {
        caller: ctx.caller.0,
        now: ctx.now.0,
        height: ctx.height.0,
    };
    let mut globals_out = [0u8; SH_GLOBALS_MAX_LEN];
    let mut account_out = [0u8; SH_ACCOUNT_MAX_LEN];
    let mut event_out = [0u8; SH_EVENT_MAX_LEN];
    let (mut globals_len, mut account_len, mut event_len) = (0, 0, 0);
    // SAFETY: every pointer is a live buffer of the length passed with it.
    let status = unsafe {
        sh_apply(
            globals.as_ptr(),
            globals.len(),
            account.as_ptr(),
            account.len(),
            &c_ctx,
            bytes.as_ptr(),
            bytes.len(),
            globals_out.as_mut_ptr(),
            globals_out.len(),
            &mut globals_len,
            account_out.as_mut_ptr(),
            account_out.len(),
            &mut account_len,
            event_out.as_mut_ptr(),
            event_out.len(),
            &mut event_len,
        )
    };
    if chain_message {
        let code = Error::from(StateError::ChainMessage).code();
        assert_eq!(status, u32::from(code), "sh_apply on a chain message");
        return;
    }
    match result {
        Err(e) => assert_eq!(status, u32::from(e.code()), "sh_apply status for {e:?}"),
        Ok(events) => {
            assert_eq!(status, 0, "sh_apply failed where the ledger did not");
            let event: Vec<u8> = events.iter().flat_map(Encode::encode).collect();
            assert_eq!(
                event_out.get(..event_len),
                Some(&event[..]),
                "sh_apply event"
            );
            let globals = after.globals().encode();
            assert_eq!(
                globals_out.get(..globals_len),
                Some(&globals[..]),
                "sh_apply globals"
            );
            let account = record(after);
            assert_eq!(
                account_out.get(..account_len),
                Some(&account[..]),
                "sh_apply record"
            );
        }
    }
}
