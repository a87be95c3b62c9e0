//! The epoch transition (`validator::process_epoch`: justification and finalization,
//! inactivity scores, rewards and penalties, registry updates, correlation penalties,
//! effective-balance updates, the participation rotation) over 1,000,000 validators, on the
//! deneb, electra and phase0 presets.
//!
//! Run: `cargo bench -p stakehold --bench epoch -- --measurement-time 10`
//!
//! The registry (built once, untimed; see [`Chain::new`]):
//! - 1,000,000 validators, all active since genesis, 32 ETH effective (Electra: 1% of them
//!   compounding, `0x02`, with 64 ETH);
//! - balances 32 ETH ± 1 ETH (uniform), so about one in eight moves its effective balance in
//!   the first epoch; before each later epoch 1% of the balances move by up to ±0.5 ETH
//!   (untimed), so each epoch has hysteresis changes;
//! - 1,000 validators exiting (exit epochs spread over the next 10,000 epochs), 50 whose
//!   balance fell to 15.5 ETH (ejected in the first epochs), 100 slashed ones paying their
//!   correlation penalty during the timed epochs, 10,000 queued for activation (eligible since
//!   genesis; activated at the churn) and 100 deposits not yet eligible — the queued and new
//!   ones are extra records, not active;
//! - participation: before each epoch (untimed), 99% of the active validators attested timely
//!   to it (source, target and head flags; phase0: the matching bits and an inclusion at delay
//!   1), as the chain records attestations, and the totals are summed afresh; so every epoch
//!   justifies and finalizes, and every validator gets rewards or penalties.
//!
//! Each timed call processes one epoch of the evolving chain.
//!
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use stakehold::validator::Preset;

#[path = "support/epoch_chain.rs"]
mod support;
use support::{ACTIVE, Chain};

fn bench_epoch(c: &mut Criterion) {
    let mut group = c.benchmark_group("epoch_1m_validators");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.throughput(Throughput::Elements(ACTIVE as u64));
    for (name, preset) in [
        ("deneb", Preset::deneb()),
        ("electra", Preset::electra()),
        ("phase0", Preset::phase0()),
    ] {
        let mut chain = Chain::new(preset);
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    chain.prepare();
                    let start = Instant::now();
                    let out = chain.epoch();
                    timed += start.elapsed();
                    chain.record(&out);
                }
                timed
            });
        });
        chain.report(name);
    }
    group.finish();
}

criterion_group!(benches, bench_epoch);
criterion_main!(benches, floor);

/// The memory floor ([`Chain::memory_floor`]).
fn bench_floor(c: &mut Criterion) {
    let mut chain = Chain::new(Preset::deneb());
    let mut group = c.benchmark_group("memory_floor_1m_validators");
    group.sample_size(10);
    group.bench_function("read_write", |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                chain.prepare();
                let start = Instant::now();
                chain.memory_floor();
                timed += start.elapsed();
            }
            timed
        });
    });
    group.finish();
}
criterion_group!(floor, bench_floor);
