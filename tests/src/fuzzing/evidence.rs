//! Slashing evidence: arbitrary bytes as a proposer or attester slashing, decoded, then judged
//! against a small registry.
//!
//! The first byte picks the evidence type (even: proposer, odd: attester), the fork, the epoch
//! and the including proposer; the rest are the evidence's SCALE bytes. Whatever decodes must
//! encode back to the same bytes. Then the evidence goes to [`process_proposer_slashing`] or
//! [`process_attester_slashing`] on a registry of eight validators in every state a slashing can
//! meet (active, already slashed, exiting, withdrawable, not yet active, near-`u64::MAX`
//! balances), and the result must agree with a plain reading of the spec's `assert`s:
//! - it succeeds exactly when the spec's checks pass (same slot, same proposer, different
//!   headers, slashable proposer; slashable data, sorted unique non-empty indices, a slashable
//!   validator in both) and no balance overflows;
//! - on error nothing changed;
//! - on success exactly the slashable validators named are slashed, in index order, each
//!   exiting, and the Gwei held changed by the rewards minted less the penalties taken.

use parity_scale_codec::Encode;
use stakehold::validator::{
    AttesterSlashing, EpochView, FAR_FUTURE_EPOCH, Fork, Preset, ProposerSlashing, QueueState,
    SlashingRegistry, Validator, is_slashable_attestation_data, process_attester_slashing,
    process_proposer_slashing,
};
use stakehold::wire::decode_exact;
use stakehold::{Epoch, ValidatorIndex};

const ETH: u64 = 1_000_000_000;
const COUNT: u64 = 8;

/// The registry at `epoch`: 0–3 active, 4 already slashed, 5 exiting (withdrawable at 40),
/// 6 not yet active (from epoch 20), 7 exited and withdrawable since epoch 2. Validator 3's
/// balance is 0.1 ETH below `u64::MAX`, so a second reward to it overflows; validator 1's is
/// below the initial penalty.
fn registry() -> (Vec<Validator>, Vec<u64>) {
    let validators: Vec<Validator> = (0..COUNT)
        .map(|i| {
            let mut pubkey = [0u8; 48];
            pubkey[..8].copy_from_slice(&i.to_le_bytes());
            let mut v = Validator {
                pubkey,
                withdrawal_credentials: [1; 32],
                effective_balance: 32 * ETH,
                slashed: false,
                activation_eligibility_epoch: Epoch(0),
                activation_epoch: Epoch(0),
                exit_epoch: FAR_FUTURE_EPOCH,
                withdrawable_epoch: FAR_FUTURE_EPOCH,
            };
            match i {
                4 => {
                    v.slashed = true;
                    v.exit_epoch = Epoch(6);
                    v.withdrawable_epoch = Epoch(8192);
                }
                5 => {
                    v.exit_epoch = Epoch(12);
                    v.withdrawable_epoch = Epoch(40);
                }
                6 => v.activation_epoch = Epoch(20),
                7 => {
                    v.exit_epoch = Epoch(1);
                    v.withdrawable_epoch = Epoch(2);
                }
                _ => {}
            }
            v
        })
        .collect();
    let mut balances = vec![32 * ETH; COUNT as usize];
    balances[3] = u64::MAX - ETH / 10;
    balances[1] = ETH / 2;
    (validators, balances)
}

/// The harness.
pub fn run(bytes: &[u8]) {
    let Some((&head, body)) = bytes.split_first() else {
        return;
    };
    let preset = match (head >> 1) % 4 {
        0 => Preset::phase0(),
        1 => Preset::altair(),
        2 => Preset::deneb(),
        _ => Preset::electra(),
    };
    let epoch = Epoch(u64::from((head >> 3) % 4) * 5 + 1);
    let proposer = ValidatorIndex(u64::from(head >> 5) + 1); // 1 to 8: 8 is unknown
    if head % 2 == 0 {
        if let Ok(evidence) = decode_exact::<ProposerSlashing>(body) {
            assert_eq!(
                evidence.encode(),
                body,
                "{evidence:?} re-encodes differently"
            );
            judge(&preset, epoch, proposer, |preset, registry| {
                let one = &evidence.header_1;
                let valid = one.slot == evidence.header_2.slot
                    && one.proposer_index == evidence.header_2.proposer_index
                    && evidence.header_1 != evidence.header_2
                    && slashable(registry, one.proposer_index);
                let named = if valid {
                    vec![one.proposer_index]
                } else {
                    Vec::new()
                };
                let result = process_proposer_slashing(preset, registry, &evidence, proposer)
                    .map(|s| vec![s]);
                (named, result)
            });
        }
    } else if let Ok(evidence) = decode_exact::<AttesterSlashing>(body) {
        assert_eq!(
            evidence.encode(),
            body,
            "{evidence:?} re-encodes differently"
        );
        judge(&preset, epoch, proposer, |preset, registry| {
            let (one, two) = (&evidence.attestation_1, &evidence.attestation_2);
            let well_formed = |indices: &[ValidatorIndex]| {
                !indices.is_empty()
                    && indices.windows(2).all(|w| w[0] < w[1])
                    && indices.iter().all(|i| i.0 < COUNT)
            };
            let named: Vec<ValidatorIndex> = if is_slashable_attestation_data(&one.data, &two.data)
                && well_formed(&one.attesting_indices)
                && well_formed(&two.attesting_indices)
            {
                one.attesting_indices
                    .iter()
                    .filter(|i| two.attesting_indices.contains(i) && slashable(registry, **i))
                    .copied()
                    .collect()
            } else {
                Vec::new()
            };
            let result = process_attester_slashing(preset, registry, &evidence, proposer)
                .map(|list| list.to_vec());
            (named, result)
        });
    }
}

fn slashable(registry: &SlashingRegistry<'_>, index: ValidatorIndex) -> bool {
    usize::try_from(index.0)
        .ok()
        .and_then(|at| registry.validators.get(at))
        .is_some_and(|v| v.is_slashable_validator(registry.view.current))
}

type Outcome = Result<Vec<stakehold::validator::Slashed>, stakehold::Error>;

/// Runs `slash` on the registry at `epoch`; `slash` returns the validators the spec would
/// slash (empty if the evidence is invalid) and what the core did.
fn judge(
    preset: &Preset,
    epoch: Epoch,
    proposer: ValidatorIndex,
    slash: impl FnOnce(&Preset, &mut SlashingRegistry<'_>) -> (Vec<ValidatorIndex>, Outcome),
) {
    let (mut validators, mut balances) = registry();
    let mut slashings = vec![0u64; preset.epochs_per_slashings_vector as usize];
    let mut queue = QueueState::scan(&validators);
    let view = EpochView::scan(preset, &validators, epoch, Epoch(0)).expect("a small registry");
    if preset.fork == Fork::Electra {
        queue
            .upgrade_to_electra(preset, &validators, &view)
            .expect("small epochs");
    }
    let before = (validators.clone(), balances.clone(), queue);
    let mut registry = SlashingRegistry {
        validators: &mut validators,
        balances: &mut balances,
        slashings: &mut slashings,
        queue: &mut queue,
        view,
    };
    let (named, result) = slash(preset, &mut registry);
    let held = |b: &[u64]| b.iter().map(|&x| u128::from(x)).sum::<u128>();
    match result {
        Err(e) => {
            assert_eq!(
                (validators, balances, queue),
                before,
                "{e:?} changed the registry"
            );
            assert!(slashings.iter().all(|x| *x == 0), "{e:?} wrote slashings");
            // The evidence was invalid, or valid with a reward that overflows a balance (only
            // validator 3's can) or a proposer that does not exist.
            assert!(
                named.is_empty() || proposer.0 >= COUNT || proposer.0 == 3,
                "refused valid evidence for {named:?}: {e:?}"
            );
        }
        Ok(list) => {
            let slashed: Vec<ValidatorIndex> = list.iter().map(|s| s.index).collect();
            assert_eq!(slashed, named, "slashed other validators than the spec");
            let mut change: i128 = 0;
            for s in &list {
                let at = s.index.0 as usize;
                let v = &validators[at];
                assert!(v.slashed && v.exit_epoch != FAR_FUTURE_EPOCH, "{v:?}");
                assert!(v.withdrawable_epoch.0 >= epoch.0 + preset.epochs_per_slashings_vector);
                change -= i128::from(s.penalty);
                change += i128::from(s.proposer_reward) + i128::from(s.whistleblower_reward);
            }
            assert_eq!(
                held(&balances) as i128 - held(&before.1) as i128,
                change,
                "Gwei not conserved"
            );
            let slot = (epoch.0 % preset.epochs_per_slashings_vector) as usize;
            let sum: u64 = list
                .iter()
                .map(|s| before.0[s.index.0 as usize].effective_balance)
                .sum();
            assert_eq!(slashings[slot], sum, "the slashings vector");
        }
    }
}
