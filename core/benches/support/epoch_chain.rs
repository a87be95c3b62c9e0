//! The benchmarked chain of `benches/epoch.rs`, shared with `examples/epoch_timing.rs` (the same
//! workload timed without criterion, for wasm under Node): 1,000,000 validators and the
//! participation of each epoch; see `benches/epoch.rs` for the workload.

use std::hint::black_box;

use stakehold::finality::{Checkpoint, previous_epoch};
use stakehold::validator::{
    COMPOUNDING_WITHDRAWAL_PREFIX, ETH1_ADDRESS_WITHDRAWAL_PREFIX, EpochOutcome, EpochRegistry,
    EpochRoots, EpochState, EpochTotals, EpochView, FAR_FUTURE_EPOCH, Fork, Inclusion,
    ParticipationFlags, Preset, QueueState, Validator, process_epoch,
};
use stakehold::{Epoch, ValidatorIndex};

/// Active validators.
pub const ACTIVE: usize = 1_000_000;
/// Validators queued for activation since genesis (extra records).
pub const QUEUED: usize = 10_000;
/// Deposits not yet in the activation queue (extra records).
pub const NEW: usize = 100;
/// Active validators with an exit epoch set.
pub const EXITING: usize = 1_000;
/// Active validators whose balance fell below the ejection balance.
pub const FALLING: usize = 50;
/// Slashed validators due a correlation penalty during the timed epochs; the slashings vector
/// holds their effective balances.
pub const SLASHED: usize = 100;
/// One validator in `SILENT` does not attest.
pub const SILENT: u64 = 100;
/// One balance in `MOVED` changes before each epoch.
pub const MOVED: u64 = 100;
pub const ETH: u64 = 1_000_000_000;

/// splitmix64, as in the ledger benchmark.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

fn root(epoch: Epoch) -> [u8; 32] {
    let mut r = [0xb0; 32];
    r[..8].copy_from_slice(&epoch.0.to_le_bytes());
    r
}

/// The chain under test.
pub struct Chain {
    pub preset: Preset,
    pub state: EpochState,
    pub validators: Vec<Validator>,
    pub balances: Vec<u64>,
    pub scores: Vec<u64>,
    pub previous: Vec<ParticipationFlags>,
    pub current: Vec<ParticipationFlags>,
    pub previous_inclusions: Vec<Inclusion>,
    pub current_inclusions: Vec<Inclusion>,
    pub credits: Vec<u64>,
    pub slashings: Vec<u64>,
    pub totals: EpochTotals,
    rng: SplitMix64,
    /// Totals over the timed epochs, printed at the end.
    pub epochs: u64,
    pub activated: u64,
    pub ejected: u64,
    pub eligible: u64,
    pub effective_balance_changes: u64,
    pub finalized: u64,
    pub rewards: u64,
    pub penalties: u64,
}

impl Chain {
    pub fn new(preset: Preset) -> Self {
        let mut rng = SplitMix64(0x5eed);
        let template = |n: usize| {
            let mut pubkey = [0u8; 48];
            pubkey[..8].copy_from_slice(&(n as u64).to_le_bytes());
            let mut withdrawal_credentials = [0xaa; 32];
            withdrawal_credentials[0] = ETH1_ADDRESS_WITHDRAWAL_PREFIX;
            Validator {
                pubkey,
                withdrawal_credentials,
                effective_balance: 32 * ETH,
                slashed: false,
                activation_eligibility_epoch: Epoch(0),
                activation_epoch: Epoch(0),
                exit_epoch: FAR_FUTURE_EPOCH,
                withdrawable_epoch: FAR_FUTURE_EPOCH,
            }
        };
        let total = ACTIVE + QUEUED + NEW;
        let mut validators = Vec::with_capacity(total);
        let mut balances = Vec::with_capacity(total);
        for n in 0..ACTIVE {
            let mut v = template(n);
            let mut balance = 31 * ETH + rng.below(2 * ETH);
            if preset.fork == Fork::Electra && n % 100 == 7 {
                v.withdrawal_credentials[0] = COMPOUNDING_WITHDRAWAL_PREFIX;
                v.effective_balance = 64 * ETH;
                balance += 32 * ETH;
            }
            if n % (ACTIVE / EXITING) == 3 {
                v.exit_epoch = Epoch(10 + rng.below(10_000));
                v.withdrawable_epoch =
                    Epoch(v.exit_epoch.0 + preset.min_validator_withdrawability_delay);
            }
            // Slashed validators whose correlation penalties fall in the timed epochs (10 to
            // 25): withdrawable 4096 epochs after.
            if n % (ACTIVE / SLASHED) == 17 {
                v.slashed = true;
                v.exit_epoch = Epoch(30 + rng.below(100));
                v.withdrawable_epoch = Epoch(10 + 4096 + rng.below(16));
            }
            if n % (ACTIVE / FALLING) == 11 {
                v.effective_balance = 16 * ETH;
                balance = 15 * ETH + ETH / 2;
            }
            validators.push(v);
            balances.push(balance);
        }
        for n in ACTIVE..ACTIVE + QUEUED {
            let mut v = template(n);
            v.activation_epoch = FAR_FUTURE_EPOCH;
            validators.push(v);
            balances.push(32 * ETH);
        }
        for n in ACTIVE + QUEUED..total {
            let mut v = template(n);
            v.activation_epoch = FAR_FUTURE_EPOCH;
            v.activation_eligibility_epoch = FAR_FUTURE_EPOCH;
            validators.push(v);
            balances.push(32 * ETH);
        }
        // A chain past genesis, justified and finalized up to epoch 9.
        let current = Epoch(10);
        let mut state = EpochState {
            current_epoch: current,
            queue: QueueState::scan(&validators),
            ..EpochState::GENESIS
        };
        let justified = Checkpoint {
            epoch: Epoch(9),
            root: root(Epoch(9)),
        };
        state.finality.previous_justified = Checkpoint {
            epoch: Epoch(8),
            root: root(Epoch(8)),
        };
        state.finality.current_justified = justified;
        state.finality.finalized = state.finality.previous_justified;
        if preset.fork == Fork::Electra {
            let view = EpochView::scan(&preset, &validators, current, Epoch(8)).expect("view");
            state
                .queue
                .upgrade_to_electra(&preset, &validators, &view)
                .expect("upgrade");
        }
        let phase0 = preset.fork == Fork::Phase0;
        let inclusions = if phase0 { total } else { 0 };
        let mut chain = Self {
            preset,
            state,
            validators,
            balances,
            scores: vec![0; total],
            previous: vec![ParticipationFlags::NONE; total],
            current: vec![ParticipationFlags::NONE; total],
            previous_inclusions: vec![Inclusion::default(); inclusions],
            current_inclusions: vec![Inclusion::default(); inclusions],
            credits: vec![0; inclusions],
            slashings: {
                let mut vector = vec![0; preset.epochs_per_slashings_vector as usize];
                vector[3] = SLASHED as u64 * 32 * ETH;
                vector
            },
            totals: EpochTotals::default(),
            rng,
            epochs: 0,
            activated: 0,
            ejected: 0,
            eligible: 0,
            effective_balance_changes: 0,
            finalized: 0,
            rewards: 0,
            penalties: 0,
        };
        // The previous epoch's participation, as the current one will be.
        chain.participate();
        std::mem::swap(&mut chain.previous, &mut chain.current);
        std::mem::swap(
            &mut chain.previous_inclusions,
            &mut chain.current_inclusions,
        );
        chain
    }

    /// 99% of the active validators attested timely to the current epoch.
    fn participate(&mut self) {
        let current = self.state.current_epoch;
        let phase0 = self.preset.fork == Fork::Phase0;
        for (i, v) in self.validators.iter().enumerate() {
            if i as u64 % SILENT != 5 && v.is_active_validator(current) {
                self.current[i] = ParticipationFlags::ALL;
                if phase0 {
                    self.current_inclusions[i] = Inclusion {
                        inclusion_delay: 1,
                        proposer_index: ValidatorIndex(i as u64 % 32),
                    };
                }
            }
        }
    }

    /// Untimed: moves 1% of the balances, records this epoch's participation, sums the totals.
    pub fn prepare(&mut self) {
        for _ in 0..ACTIVE as u64 / MOVED {
            let at = self.rng.below(ACTIVE as u64) as usize;
            let delta = self.rng.below(ETH) as i64 - (ETH / 2) as i64;
            self.balances[at] = self.balances[at].saturating_add_signed(delta);
        }
        self.participate();
        self.totals = EpochTotals::scan(
            self.state.current_epoch,
            &self.validators,
            &self.balances,
            &self.scores,
            &self.previous,
            &self.current,
        )
        .expect("totals");
    }

    /// Timed: one epoch.
    ///
    /// Never inlined: WebAssembly engines swap in optimised code only between calls (V8 has no
    /// on-stack replacement for wasm), so the timed loop must sit in a function called once per
    /// epoch, as `Ledger::apply` is in a page.
    #[inline(never)]
    pub fn epoch(&mut self) -> EpochOutcome {
        let current = self.state.current_epoch;
        process_epoch(
            &self.preset,
            &mut self.state,
            &mut EpochRegistry {
                validators: &mut self.validators,
                balances: &mut self.balances,
                inactivity_scores: &mut self.scores,
                previous_epoch_participation: &mut self.previous,
                current_epoch_participation: &mut self.current,
                previous_epoch_inclusions: &mut self.previous_inclusions,
                current_epoch_inclusions: &mut self.current_inclusions,
                proposer_credits: &mut self.credits,
                slashings: &mut self.slashings,
            },
            &mut self.totals,
            &EpochRoots {
                previous_epoch_root: root(previous_epoch(current)),
                current_epoch_root: root(current),
            },
            |i, c| {
                black_box((i, c));
            },
        )
        .expect("a valid epoch")
    }

    /// The memory floor: a bare loop over the same records and lists as the epoch (each
    /// validator's record read, its balance, score and flags written), with nothing of the
    /// rules — what no single pass can go below on this host. Changes the chain like an epoch
    /// would not: call [`Chain::prepare`] before the next epoch.
    #[inline(never)]
    pub fn memory_floor(&mut self) {
        let mut sum = 0u64;
        let current = self.state.current_epoch;
        for (((v, bal), score), (p, cur)) in self
            .validators
            .iter_mut()
            .zip(self.balances.iter_mut())
            .zip(self.scores.iter_mut())
            .zip(self.previous.iter_mut().zip(self.current.iter_mut()))
        {
            if v.is_active_validator(current) && !v.slashed {
                sum = sum.wrapping_add(v.effective_balance);
                *bal = bal.wrapping_add(p.0 as u64);
                *score = score.saturating_sub(1);
            }
            *p = *cur;
            *cur = ParticipationFlags::NONE;
        }
        black_box(sum);
    }

    pub fn record(&mut self, out: &EpochOutcome) {
        self.epochs += 1;
        self.activated += out.registry.activated;
        self.ejected += out.registry.ejected;
        self.eligible += out.registry.eligible;
        self.effective_balance_changes += out.effective_balance_changes;
        self.finalized += u64::from(out.finality.finalized.is_some());
        self.rewards += out.rewards;
        self.penalties += out.penalties;
    }

    pub fn report(&self, name: &str) {
        if self.epochs == 0 {
            return;
        }
        println!(
            "{name}: {} epochs; per epoch {:.1} effective-balance changes, {:.2} activations, \
             {:.0} ETH rewards, {:.2} ETH penalties; in all {} ejected, {} eligible, {} \
             finalizations; now at epoch {}",
            self.epochs,
            self.effective_balance_changes as f64 / self.epochs as f64,
            self.activated as f64 / self.epochs as f64,
            self.rewards as f64 / self.epochs as f64 / ETH as f64,
            self.penalties as f64 / self.epochs as f64 / ETH as f64,
            self.ejected,
            self.eligible,
            self.finalized,
            self.state.current_epoch,
        );
    }
}
