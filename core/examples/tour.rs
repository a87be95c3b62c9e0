//! A narrated tour of stakehold: the BTIP-85 story of a storage miner, step by step, then a
//! proof-of-stake chain reaching finality, losing it and regaining it, and a slashed validator
//! followed from day 1 to day 36.
//!
//! Run with `cargo run --release --example tour`. Each step prints the time, who sends what,
//! and the events (or the typed error) that come back.

use stakehold::calendar::UtcDateTime;
use stakehold::estimate;
use stakehold::finality::Checkpoint;
use stakehold::governance::{Approvals, Council, CouncilMember};
use stakehold::ledger::{Chain, ChainGenesis};
use stakehold::msg::Attesters;
use stakehold::num::format_amount;
use stakehold::stake::{BTT_DECIMALS, SlashReason, StakeParams, UnlockPolicy};
use stakehold::validator::{
    AttestationData, AttesterSlashing, BeaconBlockHeader, DepositData, IncludingBlock,
    IndexedAttestation, Preset, ProposerSlashing, VoluntaryExit,
};
use stakehold::{
    AccountId, Context, Epoch, Event, Ledger, Msg, Slot, Timestamp, U256, ValidatorIndex,
};

const DAY: u64 = 86_400;
const GENESIS: u64 = 1_796_256_000; // 2026-12-03 00:00 UTC
/// Gwei per coin of the seed's chain.
const COIN: u64 = 1_000_000_000;

fn btt(whole: u64) -> U256 {
    U256::from(whole) * U256::exp10(usize::from(BTT_DECIMALS))
}

fn show(amount: U256) -> String {
    match format_amount(amount, BTT_DECIMALS) {
        Ok(text) => format!("{text} BTT"),
        Err(e) => format!("{amount} wei ({e})"),
    }
}

fn coins(gwei: u64) -> String {
    match format_amount(U256::from(gwei), 9) {
        Ok(text) => text.to_string(),
        Err(e) => format!("{gwei} Gwei ({e})"),
    }
}

/// A target balance as a share of the active balance, in whole percent (display only).
fn share(part: u64, total: u64) -> String {
    let percent = u128::from(part) * 100 / u128::from(total.max(1));
    format!("{percent}%")
}

/// The block root the host's chain has at the start of `epoch` in this tour.
fn root(epoch: u64) -> [u8; 32] {
    let mut root = [0x5e; 32];
    root[..8].copy_from_slice(&epoch.to_be_bytes());
    root
}

fn when(ts: Timestamp) -> String {
    UtcDateTime::from_timestamp(ts).to_string()
}

/// An honest attestation of `voters` to the current epoch of `chain`, at the epoch's first
/// slot, included one slot later by the first voter, in the tour's chain of roots.
fn honest_attestation(chain: &Chain, voters: &[ValidatorIndex]) -> Msg {
    let state = chain.epoch_state();
    let current = state.current_epoch.0;
    let head = root(current);
    Msg::Attest {
        data: AttestationData {
            slot: Slot(current * 32),
            index: 0,
            beacon_block_root: head,
            source: state.finality.current_justified,
            target: Checkpoint {
                epoch: Epoch(current),
                root: root(current),
            },
        },
        validators: Attesters::from_slice(voters).expect("at most 64 attesters"),
        block: IncludingBlock {
            slot: Slot(current * 32 + 1),
            proposer: voters.first().copied().unwrap_or(ValidatorIndex(0)),
            target_root: root(current),
            head_root: head,
        },
    }
}

struct Tour {
    ledger: Ledger,
    names: Vec<(AccountId, &'static str)>,
}

impl Tour {
    fn name(&self, id: &AccountId) -> String {
        self.names
            .iter()
            .find(|(a, _)| a == id)
            .map_or_else(|| id.to_string(), |(_, n)| (*n).to_owned())
    }

    fn describe(&self, event: &Event) -> String {
        match event {
            Event::Staked { account, amount } => {
                format!("Staked: {} staked {}", self.name(account), show(*amount))
            }
            Event::Unstaked {
                account,
                amount,
                unlock_time,
            } => format!(
                "Unstaked: {} unlocks {} on {}",
                self.name(account),
                show(*amount),
                when(*unlock_time)
            ),
            Event::Withdrawn { account, amount } => {
                format!("Withdrawn: pay {} to {}", show(*amount), self.name(account))
            }
            Event::Rebonded { account, amount } => {
                format!(
                    "Rebonded: {} staked {} again",
                    self.name(account),
                    show(*amount)
                )
            }
            Event::ParametersUpdated {
                unlock_period,
                min_stake,
                unlock_policy,
            } => format!(
                "ParametersUpdated: unlock period {} days, minimum {}, policy {unlock_policy:?}",
                unlock_period / DAY,
                show(*min_stake)
            ),
            Event::Slashed {
                account,
                reason,
                requested,
                from_staked,
                from_unlocking,
            } => format!(
                "Slashed ({reason:?}): {} asked {}, took {} from stake and {} from unlocking",
                self.name(account),
                show(*requested),
                show(*from_staked),
                show(*from_unlocking)
            ),
            Event::CouncilUpdated {
                members,
                required,
                threshold,
            } => {
                format!("CouncilUpdated: {threshold} of {members}, {required} required")
            }
            Event::ValidatorDeposited {
                index,
                amount,
                balance,
            } => format!(
                "ValidatorDeposited: validator {} +{} coins, balance {} coins",
                index.0,
                coins(*amount),
                coins(*balance)
            ),
            Event::DepositQueued { index, amount } => format!(
                "DepositQueued: {} coins for validator {} wait for the churn",
                coins(*amount),
                index.0
            ),
            Event::ValidatorExiting {
                index,
                exit_epoch,
                withdrawable_epoch,
            } => format!(
                "ValidatorExiting: validator {} exits at epoch {}, withdrawable at {}",
                index.0, exit_epoch.0, withdrawable_epoch.0
            ),
            Event::ValidatorEjected {
                index,
                exit_epoch,
                withdrawable_epoch,
            } => format!(
                "ValidatorEjected: validator {} exits at epoch {}, withdrawable at {}",
                index.0, exit_epoch.0, withdrawable_epoch.0
            ),
            Event::ValidatorSlashed {
                index,
                penalty,
                exit_epoch,
                withdrawable_epoch,
                proposer,
                reward,
            } => format!(
                "ValidatorSlashed: validator {} pays {} coins now, exits at epoch {}, \
                 withdrawable at {}; proposer {} earns {} coins",
                index.0,
                coins(*penalty),
                exit_epoch.0,
                withdrawable_epoch.0,
                proposer.0,
                coins(*reward)
            ),
            Event::CorrelationPenalty { index, penalty } => format!(
                "CorrelationPenalty: validator {} pays {} coins more",
                index.0,
                coins(*penalty)
            ),
            Event::ValidatorActivated { index, epoch } => {
                format!(
                    "ValidatorActivated: validator {} from epoch {}",
                    index.0, epoch.0
                )
            }
            Event::Attested {
                target_epoch,
                attesters,
                flags,
                proposer_reward,
            } => {
                let names = ["source", "target", "head"];
                let timely: Vec<&str> = (0..3)
                    .filter(|f| flags.has_flag(*f))
                    .filter_map(|f| names.get(f).copied())
                    .collect();
                format!(
                    "Attested: {attesters} votes for epoch {} (timely {}); the proposer earns {} coins",
                    target_epoch.0,
                    timely.join(", "),
                    coins(*proposer_reward)
                )
            }
            Event::EpochProcessed {
                epoch,
                active_validators,
                total_active_balance,
                previous_target_balance,
                current_target_balance,
                inactivity_leak,
                rewards,
                penalties,
            } => {
                let leak = if *inactivity_leak {
                    "; INACTIVITY LEAK"
                } else {
                    ""
                };
                let votes = if epoch.0 < 2 {
                    "votes not tallied (genesis guard)".to_owned()
                } else {
                    format!(
                        "votes for epoch {}: {}, for epoch {}: {}",
                        epoch.0 - 1,
                        share(*previous_target_balance, *total_active_balance),
                        epoch.0,
                        share(*current_target_balance, *total_active_balance)
                    )
                };
                format!(
                    "EpochProcessed: epoch {} ended; {active_validators} active with {} coins; \
                     {votes}; rewards {} coins, penalties {} coins{leak}",
                    epoch.0,
                    coins(*total_active_balance),
                    coins(*rewards),
                    coins(*penalties),
                )
            }
            Event::Justified { epoch, .. } => format!("Justified: epoch {}", epoch.0),
            Event::Finalized { epoch, .. } => format!("Finalized: epoch {}", epoch.0),
        }
    }

    fn step(&mut self, who: AccountId, day: u64, what: &str, msg: Msg) {
        let ctx = Context::new(who, Timestamp(GENESIS + day * DAY), day + 1);
        println!("[{}] {} — {what}", when(ctx.now), self.name(&who));
        match self.ledger.apply(&ctx, &msg) {
            Ok(events) => events
                .iter()
                .for_each(|e| println!("    ✓ {}", self.describe(e))),
            Err(e) => println!("    ✗ error {} {}: {e}", e.code(), e.name()),
        }
    }

    fn account(&self, who: AccountId, day: u64) {
        let view = self
            .ledger
            .account(&who)
            .view(Timestamp(GENESIS + day * DAY));
        let unlock = view.unlock_time.map_or_else(|| "—".to_owned(), when);
        println!(
            "    {}: staked {}, unlocking {} (all free {unlock}), withdrawable now {}",
            self.name(&who),
            show(view.staked),
            show(view.unlocked),
            show(view.withdrawable)
        );
    }
}

fn main() {
    let foundation = AccountId([0xf0; 20]);
    let (carol, dave) = (AccountId([0xc0; 20]), AccountId([0xd0; 20]));
    let (alice, bob) = (AccountId([0xa1; 20]), AccountId([0xb0; 20]));
    let council = Council::new(
        &[
            CouncilMember::required(foundation),
            CouncilMember::member(carol),
            CouncilMember::member(dave),
        ],
        2,
    )
    .expect("a valid council");
    let ledger = Ledger::new(StakeParams::btfs(), council).expect("valid parameters");
    let mut tour = Tour {
        ledger,
        names: vec![
            (foundation, "Foundation"),
            (carol, "Carol"),
            (dave, "Dave"),
            (alice, "Alice"),
            (bob, "Bob"),
        ],
    };
    let approvals = |who: &[AccountId]| Approvals::from_slice(who).expect("at most 16 approvals");

    println!("stakehold tour — BTIP-85 staking for BTFS storage miners\n");
    println!(
        "Council: 2 of Foundation (required), Carol, Dave. Unlock period 7 days, minimum 1 BTT,"
    );
    println!("merged unlocks (the BTIP-85 contract exactly).\n");

    println!("1. Miners stake.");
    tour.step(alice, 0, "stake 1000 BTT", Msg::Stake { amount: btt(1000) });
    tour.step(bob, 0, "stake 0.5 BTT", Msg::Stake { amount: btt(1) / 2 });
    tour.step(bob, 0, "stake 50 BTT", Msg::Stake { amount: btt(50) });

    println!(
        "\n2. Unstaking under the seed's merged bucket: a second unstake re-locks matured funds."
    );
    tour.step(
        alice,
        0,
        "unstake 300 BTT",
        Msg::Unstake { amount: btt(300) },
    );
    tour.step(alice, 6, "withdraw (one day early)", Msg::Withdraw);
    tour.step(
        alice,
        8,
        "unstake 100 BTT more",
        Msg::Unstake { amount: btt(100) },
    );
    tour.account(alice, 8);
    tour.step(
        alice,
        8,
        "withdraw the 300 that had matured on day 7",
        Msg::Withdraw,
    );
    tour.step(alice, 15, "withdraw", Msg::Withdraw);

    println!("\n3. The council switches to chunked unlocks: each unstake keeps its own date.");
    let chunked = StakeParams {
        unlock_policy: UnlockPolicy::Chunked { max: 4 },
        ..StakeParams::btfs()
    };
    tour.step(
        carol,
        15,
        "update params, approved by Carol alone",
        Msg::UpdateStakeParams {
            params: chunked,
            approvals: approvals(&[carol]),
        },
    );
    tour.step(
        carol,
        15,
        "update params, approved by Carol and Dave",
        Msg::UpdateStakeParams {
            params: chunked,
            approvals: approvals(&[carol, dave]),
        },
    );
    tour.step(
        carol,
        15,
        "update params, approved by Carol and Foundation",
        Msg::UpdateStakeParams {
            params: chunked,
            approvals: approvals(&[carol, foundation]),
        },
    );
    tour.step(
        alice,
        15,
        "unstake 100 BTT",
        Msg::Unstake { amount: btt(100) },
    );
    tour.step(
        alice,
        20,
        "unstake 100 BTT",
        Msg::Unstake { amount: btt(100) },
    );
    tour.account(alice, 22);
    tour.step(alice, 22, "withdraw", Msg::Withdraw);
    tour.step(
        alice,
        23,
        "rebond 100 BTT (changed her mind)",
        Msg::Rebond { amount: btt(100) },
    );
    tour.step(alice, 23, "withdraw", Msg::Withdraw);

    println!("\n4. Bob's node loses data; the council slashes him.");
    tour.step(
        bob,
        24,
        "unstake 40 BTT (trying to leave first)",
        Msg::Unstake { amount: btt(40) },
    );
    let slash = |approvals| Msg::Slash {
        account: bob,
        amount: btt(45),
        reason: SlashReason::LostData,
        approvals,
    };
    tour.step(
        dave,
        25,
        "slash Bob 45 BTT, approved by Dave twice",
        slash(approvals(&[dave, dave])),
    );
    tour.step(
        dave,
        25,
        "slash Bob 45 BTT, approved by Dave and Foundation",
        slash(approvals(&[dave, foundation])),
    );
    tour.account(bob, 25);

    println!("\n5. The council renews itself: Erin joins, 3 of 4 must now approve.");
    let erin = AccountId([0xe0; 20]);
    tour.names.push((erin, "Erin"));
    let renewed = Council::new(
        &[
            CouncilMember::required(foundation),
            CouncilMember::member(carol),
            CouncilMember::member(dave),
            CouncilMember::member(erin),
        ],
        3,
    )
    .expect("a valid council");
    tour.step(
        erin,
        26,
        "add Erin, approved by Erin",
        Msg::UpdateCouncil {
            council: renewed.clone(),
            approvals: approvals(&[erin]),
        },
    );
    tour.step(
        carol,
        26,
        "add Erin, approved by Carol and Foundation",
        Msg::UpdateCouncil {
            council: renewed,
            approvals: approvals(&[carol, foundation]),
        },
    );
    tour.step(
        dave,
        27,
        "slash Bob again, approved by Dave and Foundation",
        slash(approvals(&[dave, foundation])),
    );

    println!("\n6. The books.");
    let totals = *tour.ledger.totals();
    println!(
        "    total staked {}, unlocking {}, slashed {}, held {}",
        show(totals.total_staked),
        show(totals.total_unlocked),
        show(totals.total_slashed),
        show(totals.balance)
    );
    println!(
        "    solvent (held ≥ staked + unlocking): {}",
        totals.is_solvent()
    );
    let snapshot = tour.ledger.snapshot();
    let restored = Ledger::restore(&snapshot).expect("a snapshot restores");
    println!(
        "    snapshot: {} bytes, {} accounts; restores to an identical ledger: {}",
        snapshot.len(),
        tour.ledger.account_count(),
        restored == tour.ledger
    );

    println!("\n7. A block of transactions, and a wallet that holds one record.");
    let at = |who, day: u64| Context::new(who, Timestamp(GENESIS + day * DAY), day + 1);
    let block = stakehold::msg::encode_block(&[
        (at(carol, 28), Msg::Stake { amount: btt(5) }),
        (at(dave, 28), Msg::Withdraw),
    ]);
    let results = tour
        .ledger
        .apply_block_bytes(&block)
        .expect("the block decodes");
    for result in &results {
        match result {
            Ok(events) => {
                for event in events {
                    println!("    block: {}", tour.describe(event));
                }
            }
            Err(e) => println!("    block: refused, {} ({}): {e}", e.name(), e.code()),
        }
    }
    // A hardware wallet keeps no ledger: it applies a message to the shared records and the one
    // account record the message names, as the C library's `sh_apply` does.
    let mut globals = tour.ledger.globals().clone();
    let mut record = tour.ledger.account(&carol).clone();
    let event = globals
        .apply(
            &mut record,
            &at(carol, 28),
            &Msg::Unstake { amount: btt(1) },
        )
        .expect("Carol has stake to unstake");
    println!(
        "    on a device: {}; Carol now has {} staked",
        tour.describe(&event),
        show(record.staked())
    );

    chain_chapter();
    slashing_chapter();
}

/// Chapter 8: validators of the seed's chain (1000-coin deposits, 32-slot epochs) reach
/// finality, lose it when half of them go offline — long enough for the inactivity leak —
/// and regain it, which ends the leak.
fn chain_chapter() {
    println!("\n8. A proof-of-stake chain: finality reached, lost and regained.");
    let credentials = {
        let mut c = [0xaa; 32];
        c[0] = 0x01;
        c
    };
    let validator = |n: u8, coins: u64| DepositData {
        pubkey: [n; 48],
        withdrawal_credentials: credentials,
        amount: coins * COIN,
        signature: [0; 96],
    };
    let genesis = ChainGenesis {
        preset: Preset::seed_chain(),
        deposits: (1..=4).map(|n| validator(n, 1000)).collect(),
    };
    let chain = Chain::genesis(&genesis).expect("a valid genesis");
    let council = Council::single(AccountId([0xf0; 20]));
    let ledger = Ledger::with_chain(StakeParams::btfs(), council, chain).expect("valid parameters");
    let host = AccountId([0x40; 20]);
    let mut tour = Tour {
        ledger,
        names: vec![(host, "Host")],
    };
    println!("    Genesis: four validators of 1000 coins each, active from epoch 0.");

    let epoch_with = |tour: &mut Tour, voters: &[u64], note: &str| {
        let state = *tour.ledger.chain().epoch_state();
        let current = state.current_epoch.0;
        let day = 30;
        // The committees hold only the validators active now.
        let indices: Vec<ValidatorIndex> = voters
            .iter()
            .map(|&i| ValidatorIndex(i))
            .filter(|i| {
                tour.ledger
                    .chain()
                    .validator(*i)
                    .is_some_and(|(v, _)| v.is_active_validator(Epoch(current)))
            })
            .collect();
        if !indices.is_empty() {
            let msg = honest_attestation(tour.ledger.chain(), &indices);
            tour.step(
                host,
                day,
                &format!("{} validators attest to epoch {current}", indices.len()),
                msg,
            );
        }
        tour.step(
            host,
            day,
            &format!("end epoch {current} ({note})"),
            Msg::ProcessEpoch {
                previous_epoch_root: root(current.saturating_sub(1)),
                current_epoch_root: root(current),
            },
        );
    };
    let all = [0, 1, 2, 3];
    epoch_with(&mut tour, &all, "the genesis guard: no justification yet");
    epoch_with(&mut tour, &all, "still the genesis guard");
    epoch_with(&mut tour, &all, "all four vote: epochs 1 and 2 justified");
    epoch_with(
        &mut tour,
        &all,
        "2 and 3 justified in a row: 2 is finalized",
    );
    tour.step(
        host,
        30,
        "deposit 1000 coins for a fifth validator",
        Msg::Deposit {
            deposit: validator(5, 1000),
        },
    );
    for _ in 0..3 {
        epoch_with(&mut tour, &[0, 1, 2], "three of four vote");
    }
    epoch_with(
        &mut tour,
        &[0, 1],
        "validators 2 and 3 go offline: 50% < 2/3",
    );
    for _ in 8..11 {
        epoch_with(
            &mut tour,
            &[0, 1],
            "no justification: finality falls behind",
        );
    }
    epoch_with(
        &mut tour,
        &[0, 1, 4],
        "validator 4 is active now (60%); finality is five epochs old: the inactivity leak",
    );
    epoch_with(
        &mut tour,
        &[0, 1, 4],
        "in the leak, the absent lose stake; nobody earns attestation rewards",
    );
    let show = |tour: &Tour, note: &str| {
        let chain = tour.ledger.chain();
        let line: Vec<String> = [0u64, 3]
            .iter()
            .map(|&i| {
                let (_, balance) = chain.validator(ValidatorIndex(i)).expect("a validator");
                let score = chain
                    .inactivity_scores()
                    .get(i as usize)
                    .copied()
                    .unwrap_or(0);
                format!(
                    "validator {i}: {} coins, inactivity score {score}",
                    coins(balance)
                )
            })
            .collect();
        println!("    {note}: {}.", line.join("; "));
    };
    show(&tour, "In the leak");
    epoch_with(
        &mut tour,
        &[0, 1, 2, 4],
        "validator 2 is back: 80%, justified again",
    );
    epoch_with(
        &mut tour,
        &[0, 1, 2, 4],
        "finality is regained: the leak ends",
    );
    epoch_with(&mut tour, &[0, 1, 2, 3, 4], "all five vote");
    show(&tour, "After the leak");

    // A validator must have been active for SHARD_COMMITTEE_PERIOD (256 epochs) to leave.
    let exit = |epoch: u64| Msg::VoluntaryExit {
        exit: VoluntaryExit {
            epoch: Epoch(epoch),
            validator_index: ValidatorIndex(3),
        },
    };
    tour.step(host, 30, "validator 3 asks to exit at epoch 12", exit(12));
    println!("    … 244 more epochs, every validator voting …");
    let everyone: Vec<ValidatorIndex> = (0..5).map(ValidatorIndex).collect();
    while tour.ledger.chain().epoch_state().current_epoch.0 < 256 {
        let current = tour.ledger.chain().epoch_state().current_epoch.0;
        let ctx = Context::new(host, Timestamp(GENESIS + 30 * DAY), 31);
        let attest = honest_attestation(tour.ledger.chain(), &everyone);
        let end = Msg::ProcessEpoch {
            previous_epoch_root: root(current.saturating_sub(1)),
            current_epoch_root: root(current),
        };
        for msg in [attest, end] {
            tour.ledger.apply(&ctx, &msg).expect("an honest epoch");
        }
    }
    tour.step(host, 30, "validator 3 asks to exit at epoch 256", exit(256));
    let state = tour.ledger.chain().epoch_state();
    println!(
        "    Now at epoch {}: justified {}, finalized {}; {} validators, {} of them active.",
        state.current_epoch.0,
        state.finality.current_justified.epoch.0,
        state.finality.finalized.epoch.0,
        tour.ledger.chain().validators().len(),
        tour.ledger
            .chain()
            .validators()
            .iter()
            .filter(|v| v.is_active_validator(state.current_epoch))
            .count()
    );
}

/// Chapter 9: one validator equivocates and is followed from day 1 (the immediate penalty and
/// the exit) to day 18 (the correlation penalty) and day 36 (withdrawable); two more sign a
/// double vote together.
fn slashing_chapter() {
    println!("\n9. Slashing: an equivocating validator from day 1 to day 36.");
    let preset = Preset::seed_chain();
    let deposit = |n: u8| DepositData {
        pubkey: [n; 48],
        withdrawal_credentials: [0x01; 32],
        amount: 1000 * COIN,
        signature: [0; 96],
    };
    let genesis = ChainGenesis {
        preset,
        deposits: (1..=8).map(deposit).collect(),
    };
    let chain = Chain::genesis(&genesis).expect("a valid genesis");
    let council = Council::single(AccountId([0xf0; 20]));
    let ledger = Ledger::with_chain(StakeParams::btfs(), council, chain).expect("valid parameters");
    let host = AccountId([0x40; 20]);
    let mut tour = Tour {
        ledger,
        names: vec![(host, "Host")],
    };
    let seconds_per_epoch = preset.seconds_per_epoch().expect("a valid preset");
    let day_of = |epoch: u64| epoch * seconds_per_epoch / DAY;
    // Every validator not slashed votes, then the epoch ends; quietly, `epochs` times.
    let run = |tour: &mut Tour, epochs: u64| {
        for _ in 0..epochs {
            let chain = tour.ledger.chain();
            let state = *chain.epoch_state();
            let current = state.current_epoch.0;
            let voters: Vec<ValidatorIndex> = (0u64..)
                .zip(chain.validators())
                .filter(|(_, v)| !v.slashed)
                .map(|(i, _)| ValidatorIndex(i))
                .collect();
            let ctx = Context::new(host, Timestamp(GENESIS + day_of(current) * DAY), 1);
            let attest = honest_attestation(chain, &voters);
            let end = Msg::ProcessEpoch {
                previous_epoch_root: root(current.saturating_sub(1)),
                current_epoch_root: root(current),
            };
            for msg in [attest, end] {
                for event in tour.ledger.apply(&ctx, &msg).expect("an honest epoch") {
                    if let Event::CorrelationPenalty { .. } = event {
                        println!(
                            "    [epoch {current}, day {}] ✓ {}",
                            day_of(current),
                            tour.describe(&event)
                        );
                    }
                }
            }
        }
    };
    println!("    Genesis: eight validators of 1000 coins each; 6.4-minute epochs.");
    run(&mut tour, 4);
    let header = |body: u8| BeaconBlockHeader {
        slot: Slot(4 * 32 + 5),
        proposer_index: ValidatorIndex(5),
        parent_root: [0x0a; 32],
        state_root: [0x0b; 32],
        body_root: [body; 32],
    };
    let equivocation = ProposerSlashing {
        header_1: header(1),
        header_2: header(2),
    };
    tour.step(
        host,
        0,
        "day 1, epoch 4: validator 0 includes proof that validator 5 signed two blocks for slot 133",
        Msg::ProposerSlashing {
            proposer: ValidatorIndex(0),
            evidence: equivocation,
        },
    );
    tour.step(
        host,
        0,
        "the same evidence again",
        Msg::ProposerSlashing {
            proposer: ValidatorIndex(1),
            evidence: equivocation,
        },
    );
    let vote = |head: u8| IndexedAttestation {
        attesting_indices: [ValidatorIndex(6), ValidatorIndex(7)].into_iter().collect(),
        data: AttestationData {
            slot: Slot(4 * 32 + 9),
            index: 0,
            beacon_block_root: [head; 32],
            source: tour.ledger.chain().epoch_state().finality.current_justified,
            target: Checkpoint {
                epoch: Epoch(4),
                root: root(4),
            },
        },
    };
    tour.step(
        host,
        0,
        "validators 6 and 7 signed two different votes for epoch 4 (a double vote)",
        Msg::AttesterSlashing {
            proposer: ValidatorIndex(2),
            evidence: AttesterSlashing {
                attestation_1: vote(0xa1),
                attestation_2: vote(0xa2),
            },
        },
    );
    println!(
        "    The slashings vector now holds {} coins slashed at epoch 4.",
        coins(tour.ledger.chain().slashings()[4])
    );
    // A dashboard's view (f64 estimates, for display only).
    let chain = tour.ledger.chain();
    let now = chain.epoch_state().current_epoch;
    if let Some((slashed, _)) = chain.validator(ValidatorIndex(5))
        && let Some(timeline) = estimate::slashing_timeline(&preset, slashed, now)
    {
        println!(
            "    Dashboard: validator 5's correlation penalty in {:.1} days, withdrawable in {:.1} \
             days; an honest validator earns about {:.0}% a year on this tiny chain (issuance \
             falls with the square root of the stake: {:.1}% with 1,000,000 validators).",
            timeline.days_to_correlation_penalty(),
            timeline.days_to_withdrawable(),
            100.0 * estimate::apr(&preset, chain.view().total_active_balance, 1.0),
            100.0 * estimate::apr(&preset, 1_000_000 * 1000 * COIN, 1.0)
        );
    }
    println!("    … 4096 epochs (18.2 days), the five others voting …");
    run(&mut tour, 4096 + 1);
    println!(
        "    Three of eight slashed together: 3000 coins · 3 exceed the 5000 coins still \
         active, so each pays its whole effective balance (lowered since day 1 by the \
         penalties a slashed validator keeps paying for the duties it no longer does)."
    );
    let (slashed, balance) = tour
        .ledger
        .chain()
        .validator(ValidatorIndex(5))
        .expect("validator 5");
    let withdrawable = slashed.withdrawable_epoch.0;
    println!(
        "    … to epoch {withdrawable} (day {}) …",
        day_of(withdrawable)
    );
    let now = tour.ledger.chain().epoch_state().current_epoch.0;
    run(&mut tour, withdrawable - now);
    let (v, _) = tour
        .ledger
        .chain()
        .validator(ValidatorIndex(5))
        .expect("validator 5");
    println!(
        "    Day {}: validator 5 is withdrawable (epoch {}), exited since epoch {}, with {} coins \
         left of 1000; it can no longer be slashed.",
        day_of(withdrawable),
        v.withdrawable_epoch.0,
        v.exit_epoch.0,
        coins(balance)
    );
}
