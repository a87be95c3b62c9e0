//! The epoch benchmark's workload (`benches/epoch.rs`: 1,000,000 validators, one epoch per
//! timed call) timed without criterion, so that it also runs as WebAssembly under Node
//! (`scripts/bench-epoch.sh` builds it for `wasm32-wasip1` and runs it with Node's WASI).
//! Prints, per preset, the median and the fastest of the timed epochs.
//!
//! Run: `cargo run --release --example epoch_timing -- [epochs]` (default 15).

use std::time::Instant;

use stakehold::validator::Preset;

#[path = "../benches/support/epoch_chain.rs"]
mod support;
use support::Chain;

fn main() {
    let epochs: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(15);
    for (name, preset) in [("deneb", Preset::deneb()), ("electra", Preset::electra())] {
        let mut chain = Chain::new(preset);
        let mut times = Vec::with_capacity(epochs);
        for _ in 0..epochs {
            chain.prepare();
            let start = Instant::now();
            let out = chain.epoch();
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            chain.record(&out);
        }
        times.sort_by(f64::total_cmp);
        let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
        let fastest = times.first().copied().unwrap_or(0.0);
        println!(
            "{name}: {epochs} epochs of 1,000,000 validators: median {median:.1} ms, fastest {fastest:.1} ms"
        );
        chain.report(name);
    }
}
