//! The epoch benchmark's workload (`benches/epoch.rs`: 1,000,000 validators, one epoch per
//! timed call) timed without criterion, so that it also runs as WebAssembly under Node
//! (`scripts/bench-epoch.sh` builds it for `wasm32-wasip1` and runs it with Node's WASI).
//! Prints, per preset, the median and the fastest of the timed epochs (after three untimed
//! ones), then the same for the
//! memory floor (a bare loop over the same lists, see `Chain::memory_floor`).
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
        let times = timed(epochs, &mut chain, |chain| {
            let out = chain.epoch();
            move |chain: &mut Chain| chain.record(&out)
        });
        print(name, epochs, &times);
        chain.report(name);
    }
    let mut chain = Chain::new(Preset::deneb());
    let times = timed(epochs, &mut chain, |chain| {
        chain.memory_floor();
        |_: &mut Chain| {}
    });
    print("memory floor", epochs, &times);
}

/// Epochs run before the timed ones and not counted: as criterion's warm-up, and so that a
/// WebAssembly engine that compiles in tiers (V8's Liftoff, then TurboFan) times its optimised
/// code, as a long-running page does.
const WARM_UP: usize = 3;

/// Times `run` after each untimed [`Chain::prepare`] (and before its untimed follow-up), after
/// [`WARM_UP`] untimed runs: milliseconds, sorted.
fn timed<F: FnOnce(&mut Chain)>(
    epochs: usize,
    chain: &mut Chain,
    run: impl Fn(&mut Chain) -> F,
) -> Vec<f64> {
    let mut times = Vec::with_capacity(epochs);
    for n in 0..WARM_UP + epochs {
        chain.prepare();
        let start = Instant::now();
        let then = run(chain);
        if n >= WARM_UP {
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        then(chain);
    }
    times.sort_by(f64::total_cmp);
    times
}

fn print(name: &str, epochs: usize, times: &[f64]) {
    let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
    let fastest = times.first().copied().unwrap_or(0.0);
    println!(
        "{name}: {epochs} epochs of 1,000,000 validators: median {median:.1} ms, fastest {fastest:.1} ms"
    );
}
