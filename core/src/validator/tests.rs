//! Unit tests: each preset against values worked out by hand from the spec, every error
//! variant, every boundary (hysteresis thresholds, churn limits, finality), and property
//! tests of the invariants over random deposit / exit / epoch sequences.

extern crate std;
use std::vec;
use std::vec::Vec;

use super::*;
use crate::error::Error;
use crate::ids::{Epoch, Slot, ValidatorIndex};
use crate::num::NumError;

const ETH: u64 = 1_000_000_000;
const FAR: Epoch = FAR_FUTURE_EPOCH;

fn ep(n: u64) -> Epoch {
    Epoch(n)
}

fn vi(n: u64) -> ValidatorIndex {
    ValidatorIndex(n)
}

fn pubkey(n: u64) -> BlsPubkey {
    let mut key = [0u8; 48];
    key[..8].copy_from_slice(&n.to_le_bytes());
    key
}

fn credentials(prefix: u8) -> [u8; 32] {
    let mut c = [0xaa; 32];
    c[0] = prefix;
    c
}

/// An active validator (activated at `activation`), not exiting.
fn active(n: u64, effective_balance: u64, activation: u64) -> Validator {
    Validator {
        pubkey: pubkey(n),
        withdrawal_credentials: credentials(ETH1_ADDRESS_WITHDRAWAL_PREFIX),
        effective_balance,
        slashed: false,
        activation_eligibility_epoch: ep(0),
        activation_epoch: ep(activation),
        exit_epoch: FAR,
        withdrawable_epoch: FAR,
    }
}

/// A validator in the activation queue since `eligibility` (or not yet queued with `FAR`).
fn queued(n: u64, effective_balance: u64, eligibility: Epoch) -> Validator {
    Validator {
        activation_eligibility_epoch: eligibility,
        activation_epoch: FAR,
        ..active(n, effective_balance, 0)
    }
}

fn view(current: u64, finalized: u64, active_validators: u64, total: u64) -> EpochView {
    EpochView {
        current: ep(current),
        finalized: ep(finalized),
        active_validators,
        total_active_balance: total,
    }
}

fn deposit(n: u64, amount: u64, prefix: u8) -> DepositData {
    DepositData {
        pubkey: pubkey(n),
        withdrawal_credentials: credentials(prefix),
        amount,
        signature: [7; 96],
    }
}

fn verr(e: ValidatorError) -> Result<(), Error> {
    Err(e.into())
}

/// Runs `f` on copies; on error, asserts the copies are untouched.
fn atomic<T>(
    validators: &[Validator],
    balances: &[u64],
    queue: &QueueState,
    f: impl FnOnce(&mut [Validator], &mut [u64], &mut QueueState) -> Result<T, Error>,
) -> Result<(Vec<Validator>, Vec<u64>, QueueState, T), Error> {
    let (mut v, mut b, mut q) = (validators.to_vec(), balances.to_vec(), *queue);
    match f(&mut v, &mut b, &mut q) {
        Ok(out) => Ok((v, b, q, out)),
        Err(e) => {
            assert_eq!(v, validators, "{e:?} changed the validators");
            assert_eq!(b, balances, "{e:?} changed the balances");
            assert_eq!(q, *queue, "{e:?} changed the queue");
            Err(e)
        }
    }
}

// ---------------------------------------------------------------------------------------
// Presets
// ---------------------------------------------------------------------------------------

#[test]
fn every_named_preset_is_valid() {
    for p in [
        Preset::phase0(),
        Preset::altair(),
        Preset::bellatrix(),
        Preset::deneb(),
        Preset::electra(),
        Preset::seed_chain(),
    ] {
        assert_eq!(p.validate(), Ok(()), "{:?}", p.fork);
        assert_eq!(p.validated(), Ok(p));
    }
}

/// Mainnet values shared by every Ethereum preset (phase0.yaml, configs/mainnet.yaml).
fn assert_mainnet_common(p: &Preset) {
    assert_eq!(p.seconds_per_slot, 12);
    assert_eq!(p.slots_per_epoch, 32);
    assert_eq!(p.seconds_per_epoch(), Some(384)); // 12 · 32
    assert_eq!(p.max_effective_balance, 32 * ETH); // 2**5 * 10**9
    assert_eq!(p.effective_balance_increment, ETH); // 2**0 * 10**9
    assert_eq!(p.ejection_balance, 16 * ETH); // 2**4 * 10**9
    assert_eq!(p.min_deposit_amount, ETH);
    // compute_activation_exit_epoch(10) = 10 + 1 + MAX_SEED_LOOKAHEAD (4) = 15
    assert_eq!(compute_activation_exit_epoch(p, ep(10)), Ok(ep(15)));
    // HYSTERESIS_INCREMENT = 10**9 // 4 = 250_000_000; down · 1, up · 5
    assert_eq!(
        Hysteresis::new(p),
        Ok(Hysteresis {
            downward: 250_000_000,
            upward: 1_250_000_000
        })
    );
    // get_validator_churn_limit: max(4, 1_000_000 // 65_536 = 15) = 15; max(4, 100_000 // 65_536 = 1) = 4
    assert_eq!(get_validator_churn_limit(p, 1_000_000), Ok(15));
    assert_eq!(get_validator_churn_limit(p, 100_000), Ok(4));
    // compute_start_slot_at_epoch(3) = 96; compute_epoch_at_slot(95) = 2
    assert_eq!(compute_start_slot_at_epoch(p, ep(3)), Ok(Slot(96)));
    assert_eq!(compute_epoch_at_slot(p, Slot(95)), Ok(ep(2)));
    assert_eq!(p.min_validator_withdrawability_delay, 256);
    assert_eq!(p.shard_committee_period, 256);
    assert_eq!(p.epochs_per_slashings_vector, 8192);
    assert_eq!(
        p.timely_source_weight
            + p.timely_target_weight
            + p.timely_head_weight
            + p.sync_reward_weight
            + p.proposer_weight,
        64
    ); // 14 + 26 + 14 + 2 + 8
}

#[test]
fn phase0_preset_table() {
    let p = Preset::phase0();
    assert_mainnet_common(&p);
    assert_eq!(p.min_slashing_penalty_quotient(), 128);
    assert_eq!(p.proportional_slashing_multiplier(), 1);
    assert_eq!(p.inactivity_penalty_quotient(), 67_108_864); // 2**26
    assert_eq!(p.whistleblower_reward_quotient(), 512);
    // No activation cap before Deneb: 15 at 1M active validators.
    assert_eq!(activation_churn_limit(&p, 1_000_000), Ok(15));
    // A deposit of 32 ETH makes a validator eligible for the queue (== MAX_EFFECTIVE_BALANCE).
    let v = Validator::from_deposit(&p, pubkey(1), credentials(0), 32 * ETH).unwrap();
    assert_eq!(v.effective_balance, 32 * ETH);
    assert!(v.is_eligible_for_activation_queue(&p));
    // A compounding credential means nothing before Electra: capped at 32 ETH.
    let v = Validator::from_deposit(&p, pubkey(1), credentials(2), 100 * ETH).unwrap();
    assert_eq!(v.effective_balance, 32 * ETH);
}

#[test]
fn altair_preset_table() {
    let p = Preset::altair();
    assert_mainnet_common(&p);
    assert_eq!(p.min_slashing_penalty_quotient(), 64);
    assert_eq!(p.proportional_slashing_multiplier(), 2);
    assert_eq!(p.inactivity_penalty_quotient(), 50_331_648); // 3 * 2**24
    assert_eq!(p.inactivity_score_bias, 4);
    assert_eq!(p.inactivity_score_recovery_rate, 16);
    assert_eq!(activation_churn_limit(&p, 1_000_000), Ok(15));
}

#[test]
fn bellatrix_preset_table() {
    let p = Preset::bellatrix();
    assert_mainnet_common(&p);
    assert_eq!(p.min_slashing_penalty_quotient(), 32);
    assert_eq!(p.proportional_slashing_multiplier(), 3);
    assert_eq!(p.inactivity_penalty_quotient(), 16_777_216); // 2**24
    assert_eq!(activation_churn_limit(&p, 1_000_000), Ok(15));
}

#[test]
fn deneb_preset_table() {
    let p = Preset::deneb();
    assert_mainnet_common(&p);
    assert_eq!(p.min_slashing_penalty_quotient(), 32);
    // get_validator_activation_churn_limit = min(8, max(4, 1_000_000 // 65_536 = 15)) = 8
    assert_eq!(get_validator_activation_churn_limit(&p, 1_000_000), Ok(8));
    assert_eq!(activation_churn_limit(&p, 1_000_000), Ok(8));
    // min(8, max(4, 300_000 // 65_536 = 4)) = 4: the cap does not bind.
    assert_eq!(activation_churn_limit(&p, 300_000), Ok(4));
    // Exits keep the uncapped churn: 15.
    assert_eq!(get_validator_churn_limit(&p, 1_000_000), Ok(15));
}

#[test]
fn electra_preset_table() {
    let p = Preset::electra();
    assert_mainnet_common(&p);
    assert_eq!(p.min_activation_balance, 32 * ETH);
    assert_eq!(p.max_effective_balance_electra, 2048 * ETH); // 2**11 * 10**9
    assert_eq!(p.min_slashing_penalty_quotient(), 4096);
    assert_eq!(p.whistleblower_reward_quotient(), 4096);
    assert_eq!(p.proportional_slashing_multiplier(), 3); // bellatrix's, per electra process_slashings
    assert_eq!(p.max_pending_deposits_per_epoch, 16);
    // 1M validators of 32 ETH: total 32_000_000 ETH = 3.2e16 Gwei.
    // get_balance_churn_limit: 3.2e16 // 65_536 = 488_281_250_000 (488.28125 ETH, > 128 ETH),
    // rounded down to the increment (10**9): 488_000_000_000.
    let total = 1_000_000 * 32 * ETH;
    assert_eq!(get_balance_churn_limit(&p, total), Ok(488 * ETH));
    // get_activation_exit_churn_limit = min(256 ETH, 488 ETH) = 256 ETH
    assert_eq!(get_activation_exit_churn_limit(&p, total), Ok(256 * ETH));
    // get_consolidation_churn_limit = 488 - 256 = 232 ETH
    assert_eq!(get_consolidation_churn_limit(&p, total), Ok(232 * ETH));
    // 100 validators: 3.2e12 // 65_536 = 48_828_125 < 128 ETH → 128 ETH; consolidation 0.
    assert_eq!(get_balance_churn_limit(&p, 100 * 32 * ETH), Ok(128 * ETH));
    assert_eq!(
        get_activation_exit_churn_limit(&p, 100 * 32 * ETH),
        Ok(128 * ETH)
    );
    assert_eq!(get_consolidation_churn_limit(&p, 100 * 32 * ETH), Ok(0));
    // Electra has no count churn for activations.
    assert_eq!(
        activation_churn_limit(&p, 1),
        Err(ValidatorError::WrongFork {
            fork: Fork::Electra
        }
        .into())
    );
    // Compounding (0x02) credentials raise the cap to 2048 ETH; others get 32 ETH.
    let v = Validator::from_deposit(&p, pubkey(1), credentials(2), 100 * ETH + 5).unwrap();
    assert_eq!(v.effective_balance, 100 * ETH);
    assert_eq!(v.max_effective_balance(&p), 2048 * ETH);
    let v = Validator::from_deposit(&p, pubkey(1), credentials(1), 100 * ETH).unwrap();
    assert_eq!(v.effective_balance, 32 * ETH);
    // Queue eligibility is ">= 32 ETH" in Electra.
    let big = Validator::from_deposit(&p, pubkey(1), credentials(2), 40 * ETH).unwrap();
    assert!(big.is_eligible_for_activation_queue(&p));
    assert!(!big.is_eligible_for_activation_queue(&Preset::deneb()));
}

#[test]
fn seed_chain_preset_table() {
    let p = Preset::seed_chain();
    assert_eq!(p.fork, Fork::Deneb);
    assert_eq!(p.seconds_per_slot, 12);
    assert_eq!(p.slots_per_epoch, 32);
    // 1000 coins of 10**9 base units; 32 increments of 1000 / 32 = 31.25 coins.
    assert_eq!(p.max_effective_balance, 1000 * ETH);
    assert_eq!(p.effective_balance_increment, 31_250_000_000);
    assert_eq!(p.max_effective_balance / p.effective_balance_increment, 32);
    // Ejection at 16 increments = 500 coins.
    assert_eq!(p.ejection_balance, 500 * ETH);
    // Hysteresis: 31.25 coins // 4 = 7.8125 coins; · 1 and · 5 = 39.0625 coins.
    assert_eq!(
        Hysteresis::new(&p),
        Ok(Hysteresis {
            downward: 7_812_500_000,
            upward: 39_062_500_000
        })
    );
    // A 1000-coin deposit makes a full validator, eligible for the queue.
    let v = Validator::from_deposit(&p, pubkey(1), credentials(1), 1000 * ETH).unwrap();
    assert_eq!(v.effective_balance, 1000 * ETH);
    assert!(v.is_eligible_for_activation_queue(&p));
    // 999 coins: 999 - 999 % 31.25 = 999 - 30.25 = 968.75 coins (31 increments): not eligible.
    let v = Validator::from_deposit(&p, pubkey(1), credentials(1), 999 * ETH).unwrap();
    assert_eq!(v.effective_balance, 968_750_000_000);
    assert!(!v.is_eligible_for_activation_queue(&p));
    // The seed's immediate slashing penalty "up to 1 coin": 1000 coins // 1000.
    assert_eq!(p.min_slashing_penalty_quotient(), 1000);
    assert_eq!(
        p.max_effective_balance / p.min_slashing_penalty_quotient(),
        ETH
    );
    // Day 36 and day 18: 8192 epochs · 384 s = 3_145_728 s = 36.4 days; half is 18.2 days.
    let vector_seconds = p.epochs_per_slashings_vector * p.seconds_per_epoch().unwrap();
    assert_eq!(vector_seconds, 3_145_728);
    assert_eq!(vector_seconds / 86_400, 36);
    assert_eq!(vector_seconds / 2 / 86_400, 18);
    // Deneb's activation cap and count churn are Ethereum's.
    assert_eq!(activation_churn_limit(&p, 1_000_000), Ok(8));
    // Electra's balance values are scaled too (multiples of the increment, 128 / 256 increments).
    assert_eq!(
        p.min_per_epoch_churn_limit_electra / p.effective_balance_increment,
        128
    );
    assert_eq!(
        p.max_per_epoch_activation_exit_churn_limit / p.effective_balance_increment,
        256
    );
    assert_eq!(p.base_reward_factor, 358); // 64 · √31.25 = 357.77
}

#[test]
fn inconsistent_presets_are_rejected() {
    use PresetParameter as P;
    let base = Preset::phase0();
    let check = |p: Preset, e: ValidatorError| assert_eq!(p.validate(), Err(e));
    check(
        Preset {
            slots_per_epoch: 0,
            ..base
        },
        ValidatorError::ZeroParameter {
            parameter: P::SlotsPerEpoch,
        },
    );
    check(
        Preset {
            effective_balance_increment: 0,
            ..base
        },
        ValidatorError::ZeroParameter {
            parameter: P::EffectiveBalanceIncrement,
        },
    );
    check(
        Preset {
            churn_limit_quotient: 0,
            ..base
        },
        ValidatorError::ZeroParameter {
            parameter: P::ChurnLimitQuotient,
        },
    );
    check(
        Preset {
            min_slashing_penalty_quotient_electra: 0,
            ..base
        },
        ValidatorError::ZeroParameter {
            parameter: P::MinSlashingPenaltyQuotientElectra,
        },
    );
    check(
        Preset {
            max_effective_balance: 32 * ETH + 1,
            ..base
        },
        ValidatorError::NotMultipleOfIncrement {
            parameter: P::MaxEffectiveBalance,
            value: 32 * ETH + 1,
            increment: ETH,
        },
    );
    check(
        Preset {
            ejection_balance: 32 * ETH,
            ..base
        },
        ValidatorError::EjectionNotBelowMax {
            ejection: 32 * ETH,
            max: 32 * ETH,
        },
    );
    check(
        Preset {
            min_activation_balance: 4096 * ETH,
            ..base
        },
        ValidatorError::ActivationAboveMax {
            min_activation: 4096 * ETH,
            max: 2048 * ETH,
        },
    );
    check(
        Preset {
            min_per_epoch_churn_limit_electra: ETH - 1,
            ..base
        },
        ValidatorError::ChurnBelowIncrement {
            parameter: P::MinPerEpochChurnLimitElectra,
            value: ETH - 1,
            increment: ETH,
        },
    );
    check(
        Preset {
            hysteresis_upward_multiplier: u64::MAX,
            ..base
        },
        ValidatorError::ParameterOverflow {
            parameter: P::HysteresisUpwardMultiplier,
        },
    );
    check(
        Preset {
            timely_head_weight: 15,
            ..base
        },
        ValidatorError::WeightsMismatch {
            sum: 65,
            denominator: 64,
        },
    );
    check(
        Preset {
            max_pending_deposits_per_epoch: 17,
            ..base
        },
        ValidatorError::TooManyPendingDepositsPerEpoch { value: 17, max: 16 },
    );
    assert_eq!(
        Preset {
            slots_per_epoch: 0,
            ..base
        }
        .validated(),
        Err(ValidatorError::ZeroParameter {
            parameter: P::SlotsPerEpoch
        })
    );
}

#[test]
fn unchecked_presets_give_errors_not_panics() {
    let p = Preset {
        churn_limit_quotient: 0,
        effective_balance_increment: 0,
        slots_per_epoch: 0,
        hysteresis_quotient: 0,
        ..Preset::phase0()
    };
    fn zero<T>(parameter: PresetParameter) -> Result<T, Error> {
        Err(ValidatorError::ZeroParameter { parameter }.into())
    }
    assert_eq!(
        get_validator_churn_limit(&p, 5),
        zero(PresetParameter::ChurnLimitQuotient)
    );
    assert_eq!(
        round_to_increment(&p, 5),
        zero(PresetParameter::EffectiveBalanceIncrement)
    );
    assert_eq!(
        compute_epoch_at_slot(&p, Slot(5)),
        zero(PresetParameter::SlotsPerEpoch)
    );
    assert_eq!(
        Hysteresis::new(&p),
        zero(PresetParameter::HysteresisQuotient)
    );
    // The spec computes the thresholds inside its loop: nothing to compute, no error.
    assert_eq!(process_effective_balance_updates(&p, &mut [], &[]), Ok(0));
    let mut one = [active(0, 32 * ETH, 0)];
    assert_eq!(
        process_effective_balance_updates(&p, &mut one, &[32 * ETH]),
        zero(PresetParameter::HysteresisQuotient)
    );
    // An Electra exit with a zero churn names the constant.
    let p = Preset {
        max_per_epoch_activation_exit_churn_limit: 0,
        ..Preset::electra()
    };
    let mut v = [active(0, 32 * ETH, 0)];
    assert_eq!(
        initiate_validator_exit(
            &p,
            &mut v,
            vi(0),
            &mut QueueState::default(),
            &view(10, 8, 1, 32 * ETH)
        ),
        zero(PresetParameter::MaxPerEpochActivationExitChurnLimit)
    );
}

#[test]
fn validator_scale_bytes_are_its_ssz_bytes() {
    use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
    let v = Validator {
        pubkey: [1; 48],
        withdrawal_credentials: [2; 32],
        effective_balance: 0x0102_0304_0506_0708,
        slashed: true,
        activation_eligibility_epoch: ep(3),
        activation_epoch: ep(4),
        exit_epoch: FAR,
        withdrawable_epoch: ep(6),
    };
    let bytes = v.encode();
    assert_eq!(bytes.len(), 121); // 48 + 32 + 8 + 1 + 4·8
    assert_eq!(Validator::max_encoded_len(), 121);
    assert_eq!(&bytes[80..88], &0x0102_0304_0506_0708u64.to_le_bytes());
    assert_eq!(bytes[88], 1);
    assert_eq!(&bytes[105..113], &[0xff; 8]);
    assert_eq!(Validator::decode(&mut &bytes[..]), Ok(v));
    for p in [Preset::electra(), Preset::seed_chain()] {
        assert_eq!(Preset::decode(&mut &p.encode()[..]), Ok(p));
    }
}

#[test]
fn predicates_follow_the_spec() {
    let mut v = active(0, 32 * ETH, 5);
    v.exit_epoch = ep(10);
    v.withdrawable_epoch = ep(20);
    // activation_epoch <= epoch < exit_epoch
    assert!(!v.is_active_validator(ep(4)));
    assert!(v.is_active_validator(ep(5)));
    assert!(v.is_active_validator(ep(9)));
    assert!(!v.is_active_validator(ep(10)));
    // not slashed and activation_epoch <= epoch < withdrawable_epoch
    assert!(v.is_slashable_validator(ep(19)));
    assert!(!v.is_slashable_validator(ep(20)));
    v.slashed = true;
    assert!(!v.is_slashable_validator(ep(12)));
    // eligible for activation: eligibility <= finalized, not activated
    let q = queued(1, 32 * ETH, ep(7));
    assert!(!q.is_eligible_for_activation(ep(6)));
    assert!(q.is_eligible_for_activation(ep(7)));
    assert!(!v.is_eligible_for_activation(ep(7)));
    // eligible for the queue: not queued, and == MAX (phase0) / >= MIN_ACTIVATION (electra)
    let fresh = queued(2, 32 * ETH, FAR);
    assert!(fresh.is_eligible_for_activation_queue(&Preset::phase0()));
    assert!(!q.is_eligible_for_activation_queue(&Preset::phase0()));
    let short = queued(3, 31 * ETH, FAR);
    assert!(!short.is_eligible_for_activation_queue(&Preset::phase0()));
    assert!(!short.is_eligible_for_activation_queue(&Preset::electra()));
}

// ---------------------------------------------------------------------------------------
// Deposits
// ---------------------------------------------------------------------------------------

#[test]
fn a_new_deposit_rounds_down_and_caps_the_effective_balance() {
    let p = Preset::phase0();
    let mut balances = [5 * ETH];
    for (amount, effective) in [
        (32 * ETH, 32 * ETH),
        (33 * ETH - 1, 32 * ETH), // 32.999999999 → 32
        (32 * ETH - 1, 31 * ETH), // 31.999999999 → 31
        (40 * ETH, 32 * ETH),     // capped
        (ETH - 1, 0),             // below one increment
    ] {
        let out = apply_deposit(&p, &mut balances, None, &deposit(9, amount, 1)).unwrap();
        let DepositOutcome::NewValidator { validator, balance } = out else {
            panic!("{out:?}")
        };
        assert_eq!(validator.effective_balance, effective, "{amount}");
        assert_eq!(balance, amount);
        assert_eq!(validator.pubkey, pubkey(9));
        assert_eq!(validator.activation_eligibility_epoch, FAR);
        assert_eq!(validator.activation_epoch, FAR);
        assert_eq!(validator.exit_epoch, FAR);
        assert_eq!(validator.withdrawable_epoch, FAR);
        assert!(!validator.slashed);
    }
    assert_eq!(balances, [5 * ETH], "a new validator writes nothing");
}

#[test]
fn a_top_up_adds_to_the_balance_only() {
    let p = Preset::phase0();
    let validators = [active(0, 16 * ETH, 0)];
    let (_, b, _, out) = atomic(
        &validators,
        &[16 * ETH],
        &QueueState::default(),
        |_, b, _| apply_deposit(&p, b, Some(vi(0)), &deposit(0, 3 * ETH, 1)),
    )
    .unwrap();
    assert_eq!(
        out,
        DepositOutcome::TopUp {
            index: vi(0),
            balance: 19 * ETH
        }
    );
    assert_eq!(b, [19 * ETH]);
    // The effective balance waits for the epoch's hysteresis.
    assert_eq!(validators[0].effective_balance, 16 * ETH);

    let over = atomic(
        &validators,
        &[u64::MAX - 1],
        &QueueState::default(),
        |_, b, _| apply_deposit(&p, b, Some(vi(0)), &deposit(0, 2, 1)),
    );
    assert_eq!(
        over.map(|r| r.3),
        Err(ValidatorError::BalanceOverflow {
            index: vi(0),
            balance: u64::MAX - 1,
            amount: 2
        }
        .into())
    );
    let unknown = atomic(&validators, &[1], &QueueState::default(), |_, b, _| {
        apply_deposit(&p, b, Some(vi(1)), &deposit(0, 2, 1))
    });
    assert_eq!(
        unknown.map(|r| r.3),
        Err(ValidatorError::UnknownValidator {
            index: vi(1),
            count: 1
        }
        .into())
    );
}

#[test]
fn electra_deposits_wait_in_the_pending_queue() {
    let p = Preset::electra();
    let mut balances = [32 * ETH];
    let d = deposit(5, 40 * ETH, COMPOUNDING_WITHDRAWAL_PREFIX);
    let out = apply_deposit(&p, &mut balances, None, &d).unwrap();
    let DepositOutcome::Queued {
        new_validator: Some(v),
        pending,
    } = out
    else {
        panic!("{out:?}")
    };
    // add_validator_to_registry(…, Gwei(0)): effective balance 0 until the deposit is applied.
    assert_eq!(v.effective_balance, 0);
    assert_eq!(v.pubkey, pubkey(5));
    assert_eq!(pending.amount, 40 * ETH);
    assert_eq!(pending.slot, GENESIS_SLOT);
    assert_eq!(pending.signature, [7; 96]);
    // A top-up is queued too; no balance changes.
    let out = apply_deposit(&p, &mut balances, Some(vi(0)), &d).unwrap();
    assert!(matches!(
        out,
        DepositOutcome::Queued {
            new_validator: None,
            ..
        }
    ));
    assert_eq!(balances, [32 * ETH]);
    // process_deposit_request: the request's slot.
    assert_eq!(PendingDeposit::from_request(&d, Slot(77)).slot, Slot(77));
}

#[test]
fn the_deposit_contract_minimum() {
    let p = Preset::phase0();
    assert_eq!(check_deposit_amount(&p, ETH), Ok(()));
    assert_eq!(
        check_deposit_amount(&p, ETH - 1),
        verr(ValidatorError::BelowMinDeposit {
            amount: ETH - 1,
            min: ETH
        })
    );
}

// ---------------------------------------------------------------------------------------
// Effective balances
// ---------------------------------------------------------------------------------------

/// The effective balance after one update of a validator at `effective` with `balance`.
fn updated(p: &Preset, mut v: Validator, balance: u64) -> u64 {
    let mut vs = [v];
    process_effective_balance_updates(p, &mut vs, &[balance]).unwrap();
    v = vs[0];
    v.effective_balance
}

#[test]
fn hysteresis_boundaries() {
    let p = Preset::phase0();
    let full = active(0, 32 * ETH, 0);
    // Downward: moves only when balance + 0.25 ETH < effective balance.
    assert_eq!(updated(&p, full, 31_750_000_000), 32 * ETH); // 31.75 + 0.25 = 32, not < 32
    assert_eq!(updated(&p, full, 31_750_000_000 - 1), 31 * ETH); // one Gwei past: 31.749999999 → 31
    // Upward: moves only when effective balance + 1.25 ETH < balance.
    let low = active(0, 31 * ETH, 0);
    assert_eq!(updated(&p, low, 32_250_000_000), 31 * ETH); // 31 + 1.25 = 32.25, not < 32.25
    assert_eq!(updated(&p, low, 32_250_000_000 + 1), 32 * ETH); // one Gwei past → 32
    // Capped at MAX_EFFECTIVE_BALANCE: just below and at one increment above the cap.
    assert_eq!(updated(&p, full, 100 * ETH), 32 * ETH);
    let thirty = active(0, 30 * ETH, 0);
    assert_eq!(updated(&p, thirty, 33 * ETH - 1), 32 * ETH); // 32.999999999 → 32
    assert_eq!(updated(&p, thirty, 33 * ETH), 32 * ETH);
    assert_eq!(updated(&p, thirty, 32 * ETH - 1), 31 * ETH); // 30 + 1.25 < 31.999999999 → 31
    // A large drop rounds down to the increment.
    assert_eq!(updated(&p, full, 20_900_000_000), 20 * ETH);
    // Reported changes only.
    let h = Hysteresis::new(&p).unwrap();
    let mut v = full;
    assert_eq!(effective_balance_step(&p, &h, &mut v, 100 * ETH), Ok(None));
    assert_eq!(
        next_effective_balance(&p, &h, &v, 100 * ETH),
        Ok(Some(32 * ETH))
    );
    assert_eq!(
        effective_balance_step(&p, &h, &mut v, 30 * ETH),
        Ok(Some(EffectiveBalanceChange {
            from: 32 * ETH,
            to: 30 * ETH
        }))
    );
}

#[test]
fn electra_hysteresis_caps_by_withdrawal_credentials() {
    let p = Preset::electra();
    let mut compounding = active(0, 32 * ETH, 0);
    compounding.withdrawal_credentials = credentials(COMPOUNDING_WITHDRAWAL_PREFIX);
    assert_eq!(updated(&p, compounding, 40 * ETH), 40 * ETH);
    assert_eq!(updated(&p, compounding, 3000 * ETH), 2048 * ETH);
    // 0x01: get_max_effective_balance = MIN_ACTIVATION_BALANCE.
    assert_eq!(updated(&p, active(0, 32 * ETH, 0), 40 * ETH), 32 * ETH);
    // The same compounding validator before Electra: 32 ETH.
    assert_eq!(updated(&Preset::deneb(), compounding, 40 * ETH), 32 * ETH);
}

#[test]
fn effective_balance_updates_are_atomic() {
    let p = Preset::phase0();
    let validators = [active(0, 32 * ETH, 0), active(1, 32 * ETH, 0)];
    // The second balance overflows `balance + DOWNWARD_THRESHOLD`: nothing changes.
    let r = atomic(
        &validators,
        &[20 * ETH, u64::MAX],
        &QueueState::default(),
        |v, b, _| process_effective_balance_updates(&p, v, b),
    );
    assert_eq!(r.map(|r| r.3), Err(NumError::Overflow.into()));
    // An effective balance near the top overflows the upward test (evaluated only when the
    // downward one is false, as Python's `or`).
    let mut top = active(0, u64::MAX - ETH, 0);
    let h = Hysteresis::new(&p).unwrap();
    assert_eq!(
        next_effective_balance(&p, &h, &top, u64::MAX - ETH),
        Err(NumError::Overflow.into())
    );
    top.effective_balance = u64::MAX;
    assert_eq!(next_effective_balance(&p, &h, &top, 0), Ok(Some(0)));
    let r = atomic(&validators, &[1], &QueueState::default(), |v, b, _| {
        process_effective_balance_updates(&p, v, b)
    });
    assert_eq!(
        r.map(|r| r.3),
        Err(ValidatorError::LengthMismatch {
            validators: 2,
            balances: 1
        }
        .into())
    );
}

// ---------------------------------------------------------------------------------------
// Exits
// ---------------------------------------------------------------------------------------

#[test]
fn exit_queue_churn_spills_into_the_next_epoch() {
    let p = Preset::phase0();
    let validators: Vec<_> = (0..6).map(|n| active(n, 32 * ETH, 0)).collect();
    let mut vs = validators.clone();
    let mut queue = QueueState::scan(&vs);
    // 10 active validators: churn max(4, 10 // 65_536) = 4.
    let v = view(10, 8, 10, 320 * ETH);
    let mut exits = Vec::new();
    for i in 0..6 {
        exits.push(
            initiate_validator_exit(&p, &mut vs, vi(i), &mut queue, &v)
                .unwrap()
                .unwrap(),
        );
    }
    // compute_activation_exit_epoch(10) = 15: four exits at 15, then the churn is full.
    let epochs: Vec<_> = exits.iter().map(|e| e.exit_epoch.0).collect();
    assert_eq!(epochs, [15, 15, 15, 15, 16, 16]);
    // withdrawable = exit + MIN_VALIDATOR_WITHDRAWABILITY_DELAY (256)
    assert!(
        exits
            .iter()
            .all(|e| e.withdrawable_epoch.0 == e.exit_epoch.0 + 256)
    );
    assert_eq!(vs[5].withdrawable_epoch, ep(272));
    assert_eq!(queue, QueueState::scan(&vs));
    assert_eq!(
        (queue.latest_exit_epoch, queue.exits_at_latest),
        (ep(16), 2)
    );
    // Already exiting: the spec returns early; nothing changes.
    let before = (vs.clone(), queue);
    assert_eq!(
        initiate_validator_exit(&p, &mut vs, vi(0), &mut queue, &v),
        Ok(None)
    );
    assert_eq!((vs.clone(), queue), before);
    // An unknown index is an error.
    assert_eq!(
        initiate_validator_exit(&p, &mut vs, vi(6), &mut queue, &v),
        Err(ValidatorError::UnknownValidator {
            index: vi(6),
            count: 6
        }
        .into())
    );
}

#[test]
fn the_exit_queue_follows_the_latest_exit_in_the_registry() {
    let p = Preset::phase0();
    let mut vs: Vec<_> = (0..3).map(|n| active(n, 32 * ETH, 0)).collect();
    // A validator already exits at epoch 40 (later than 10 + 5).
    vs[0].exit_epoch = ep(40);
    vs[0].withdrawable_epoch = ep(296);
    let mut queue = QueueState::scan(&vs);
    let v = view(10, 8, 3, 96 * ETH);
    let e = initiate_validator_exit(&p, &mut vs, vi(1), &mut queue, &v)
        .unwrap()
        .unwrap();
    assert_eq!(e.exit_epoch, ep(40));
    // A past exit epoch (below 15) does not hold the queue back.
    let mut vs2: Vec<_> = (0..2).map(|n| active(n, 32 * ETH, 0)).collect();
    vs2[0].exit_epoch = ep(3);
    let mut q2 = QueueState::scan(&vs2);
    let e = initiate_validator_exit(&p, &mut vs2, vi(1), &mut q2, &v)
        .unwrap()
        .unwrap();
    assert_eq!(e.exit_epoch, ep(15));
    assert_eq!(q2, QueueState::scan(&vs2));
}

#[test]
fn electra_exits_consume_the_balance_churn() {
    let p = Preset::electra();
    let mut vs: Vec<_> = (0..5).map(|n| active(n, 32 * ETH, 0)).collect();
    let mut big = active(5, 300 * ETH, 0);
    big.withdrawal_credentials = credentials(COMPOUNDING_WITHDRAWAL_PREFIX);
    vs.push(big);
    let mut queue = QueueState::default();
    // Small total: per-epoch churn = max(128 ETH, total // 65_536) = 128 ETH.
    let v = view(10, 8, 6, 460 * ETH);
    let mut epochs = Vec::new();
    for i in 0..5 {
        let e = initiate_validator_exit(&p, &mut vs, vi(i), &mut queue, &v)
            .unwrap()
            .unwrap();
        epochs.push((e.exit_epoch.0, queue.exit_balance_to_consume / ETH));
    }
    // Epoch 15 is new: to consume 128; four 32-ETH exits fit (96, 64, 32, 0 left). The fifth
    // does not: (32 - 0 - 1) // 128 + 1 = 1 more epoch → 16; to consume 0 + 1·128 = 128,
    // left 128 - 32 = 96.
    assert_eq!(epochs, [(15, 96), (15, 64), (15, 32), (15, 0), (16, 96)]);
    // 300 ETH: 300 - 96 = 204 to process; (204 - 1) // 128 + 1 = 2 more epochs → 18;
    // to consume 96 + 2·128 = 352; left 352 - 300 = 52.
    let e = initiate_validator_exit(&p, &mut vs, vi(5), &mut queue, &v)
        .unwrap()
        .unwrap();
    assert_eq!(e.exit_epoch, ep(18));
    assert_eq!(e.withdrawable_epoch, ep(18 + 256));
    assert_eq!(queue.earliest_exit_epoch, ep(18));
    assert_eq!(queue.exit_balance_to_consume, 52 * ETH);
    // Later in time, the earliest epoch moves up to compute_activation_exit_epoch(current)
    // and the churn restarts full.
    let mut q = queue;
    assert_eq!(
        compute_exit_epoch_and_update_churn(&p, &mut q, 10 * ETH, &view(30, 28, 6, 460 * ETH)),
        Ok(ep(35))
    );
    assert_eq!(q.exit_balance_to_consume, 118 * ETH);
}

#[test]
fn upgrade_to_electra_sets_the_exit_churn() {
    let p = Preset::electra();
    let mut vs: Vec<_> = (0..3).map(|n| active(n, 32 * ETH, 0)).collect();
    vs[1].exit_epoch = ep(50);
    let mut queue = QueueState::scan(&vs);
    queue
        .upgrade_to_electra(&p, &vs, &view(10, 8, 3, 96 * ETH))
        .unwrap();
    // max(15, 50) + 1
    assert_eq!(queue.earliest_exit_epoch, ep(51));
    assert_eq!(queue.exit_balance_to_consume, 128 * ETH);
    assert_eq!(queue.deposit_balance_to_consume, 0);
}

#[test]
fn voluntary_exit_checks_in_spec_order() {
    let p = Preset::phase0();
    let mut young = active(2, 32 * ETH, 100);
    young.activation_eligibility_epoch = ep(90);
    let mut exiting = active(3, 32 * ETH, 0);
    exiting.exit_epoch = ep(400);
    exiting.withdrawable_epoch = ep(656);
    let validators = [
        active(0, 32 * ETH, 0),
        queued(1, 32 * ETH, ep(5)),
        young,
        exiting,
    ];
    let balances = [32 * ETH; 4];
    let queue = QueueState::scan(&validators);
    let v = view(300, 298, 3, 96 * ETH);
    let run = |exit: VoluntaryExit, p: &Preset, pending: u64| {
        atomic(&validators, &balances, &queue, |vs, _, q| {
            process_voluntary_exit(p, vs, q, &v, &exit, pending)
        })
        .map(|r| (r.0, r.2, r.3))
    };
    let exit = |epoch: u64, index: u64| VoluntaryExit {
        epoch: ep(epoch),
        validator_index: vi(index),
    };
    assert_eq!(
        run(exit(0, 9), &p, 0).map(|r| r.2),
        Err(ValidatorError::UnknownValidator {
            index: vi(9),
            count: 4
        }
        .into())
    );
    assert_eq!(
        run(exit(0, 1), &p, 0).map(|r| r.2),
        Err(ValidatorError::NotActive {
            index: vi(1),
            activation_epoch: FAR,
            exit_epoch: FAR
        }
        .into())
    );
    // Exit at 400 > 300: still active, but already exiting.
    assert_eq!(
        run(exit(0, 3), &p, 0).map(|r| r.2),
        Err(ValidatorError::ExitAlreadyInitiated {
            index: vi(3),
            exit_epoch: ep(400)
        }
        .into())
    );
    // Both not yet valid (epoch 301 > 300) and too young: the epoch check comes first.
    assert_eq!(
        run(exit(301, 2), &p, 0).map(|r| r.2),
        Err(ValidatorError::ExitNotYetValid {
            index: vi(2),
            valid_from: ep(301)
        }
        .into())
    );
    // Active since 100: may exit from 100 + 256 = 356.
    assert_eq!(
        run(exit(300, 2), &p, 0).map(|r| r.2),
        Err(ValidatorError::TooYoungToExit {
            index: vi(2),
            allowed_from: ep(356)
        }
        .into())
    );
    // Pending withdrawals block Electra exits only.
    assert_eq!(
        run(exit(300, 0), &Preset::electra(), 5).map(|r| r.2),
        Err(ValidatorError::PendingWithdrawals {
            index: vi(0),
            amount: 5
        }
        .into())
    );
    let (vs, q, done) = run(exit(300, 0), &p, 5).unwrap();
    // exit queue epoch: max(400, 300 + 5) = 400, one exit there < churn 4 → 400.
    assert_eq!(
        done,
        ExitScheduled {
            index: vi(0),
            exit_epoch: ep(400),
            withdrawable_epoch: ep(656)
        }
    );
    assert_eq!(vs[0].exit_epoch, ep(400));
    assert_eq!(q, QueueState::scan(&vs));
    // Exactly at the boundaries: current == exit epoch, current == activation + 256.
    let at = view(356, 350, 3, 96 * ETH);
    let mut vs = validators;
    let mut q = queue;
    assert!(process_voluntary_exit(&p, &mut vs, &mut q, &at, &exit(356, 2), 0).is_ok());
}

// ---------------------------------------------------------------------------------------
// Registry updates
// ---------------------------------------------------------------------------------------

/// The registry, the queue, the changes reported and the summary.
type Updated = (
    Vec<Validator>,
    QueueState,
    Vec<(u64, RegistryStep)>,
    RegistrySummary,
);

/// Runs `process_registry_updates` on copies (checking atomicity on error).
fn registry(p: &Preset, validators: &[Validator], v: &EpochView) -> Result<Updated, Error> {
    let queue = QueueState::scan(validators);
    let balances = vec![0; validators.len()];
    atomic(validators, &balances, &queue, |vs, _, q| {
        let mut changes = Vec::new();
        let summary = process_registry_updates(p, vs, q, v, |i, s| changes.push((i.0, *s)))?;
        Ok((changes, summary))
    })
    .map(|(vs, _, q, (changes, summary))| (vs, q, changes, summary))
}

fn activated(vs: &[Validator], epoch: u64) -> Vec<u64> {
    (0u64..)
        .zip(vs)
        .filter(|(_, v)| v.activation_epoch == ep(epoch))
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn activation_churn_at_the_limit_in_queue_order() {
    let p = Preset::phase0();
    // Five queued validators, eligibility epochs out of index order; churn 4.
    let vs = [
        queued(0, 32 * ETH, ep(3)),
        queued(1, 32 * ETH, ep(1)),
        queued(2, 32 * ETH, ep(2)),
        queued(3, 32 * ETH, ep(1)),
        queued(4, 32 * ETH, ep(2)),
    ];
    // Queue order (eligibility, index): (1,1) (1,3) (2,2) (2,4) (3,0); the first 4 go.
    let (vs, _, changes, summary) = registry(&p, &vs, &view(10, 3, 10, 320 * ETH)).unwrap();
    assert_eq!(summary.activated, 4);
    assert_eq!(activated(&vs, 15), [1, 2, 3, 4]);
    // Reported after the first loop, in index order.
    let order: Vec<_> = changes.iter().map(|(i, _)| *i).collect();
    assert_eq!(order, [1, 2, 3, 4]);
    assert_eq!(vs[0].activation_epoch, FAR);
    // Next epoch: the rest.
    let (vs, _, _, summary) = registry(&p, &vs, &view(11, 3, 10, 320 * ETH)).unwrap();
    assert_eq!(summary.activated, 1);
    assert_eq!(activated(&vs, 16), [0]);
}

#[test]
fn activation_waits_for_finality() {
    let p = Preset::phase0();
    let vs = [queued(0, 32 * ETH, ep(5))];
    let (after, _, _, s) = registry(&p, &vs, &view(10, 4, 10, 320 * ETH)).unwrap();
    assert_eq!(s.activated, 0);
    assert_eq!(after[0].activation_epoch, FAR);
    let (after, _, _, s) = registry(&p, &vs, &view(10, 5, 10, 320 * ETH)).unwrap();
    assert_eq!(s.activated, 1);
    assert_eq!(after[0].activation_epoch, ep(15));
    // Electra too.
    let e = Preset::electra();
    let (after, _, _, _) = registry(&e, &vs, &view(10, 4, 10, 320 * ETH)).unwrap();
    assert_eq!(after[0].activation_epoch, FAR);
    let (after, _, _, _) = registry(&e, &vs, &view(10, 5, 10, 320 * ETH)).unwrap();
    assert_eq!(after[0].activation_epoch, ep(15));
}

#[test]
fn eligibility_is_the_next_epoch_and_not_activated_at_once() {
    let p = Preset::phase0();
    let vs = [queued(0, 32 * ETH, FAR), queued(1, 31 * ETH, FAR)];
    let (after, _, changes, s) = registry(&p, &vs, &view(10, 9, 10, 320 * ETH)).unwrap();
    assert_eq!(after[0].activation_eligibility_epoch, ep(11));
    assert_eq!(after[0].activation_epoch, FAR);
    assert_eq!(after[1].activation_eligibility_epoch, FAR);
    assert_eq!(s.eligible, 1);
    assert_eq!(changes[0].1.eligible, Some(ep(11)));
}

#[test]
fn deneb_caps_the_activation_churn() {
    // 20 queued; 1_000_000 active: phase0 activates max(4, 15) = 15, deneb min(8, 15) = 8.
    let vs: Vec<_> = (0..20).map(|n| queued(n, 32 * ETH, ep(n % 3))).collect();
    let v = view(10, 5, 1_000_000, 1_000_000 * 32 * ETH);
    for (p, n) in [
        (Preset::phase0(), 15),
        (Preset::bellatrix(), 15),
        (Preset::deneb(), 8),
        (Preset::seed_chain(), 8),
    ] {
        let (after, _, _, s) = registry(&p, &vs, &v).unwrap();
        assert_eq!(s.activated, n, "{:?}", p.fork);
        // The first n in (eligibility, index) order: all with n % 3 == 0, then 1, then 2.
        let mut expected: Vec<u64> = (0..20).collect();
        expected.sort_by_key(|i| (i % 3, *i));
        let mut chosen = expected[..n as usize].to_vec();
        chosen.sort();
        assert_eq!(activated(&after, 15), chosen);
    }
    // Electra activates every eligible validator: its churn is on deposits.
    let (after, _, _, s) = registry(&Preset::electra(), &vs, &v).unwrap();
    assert_eq!(s.activated, 20);
    assert_eq!(activated(&after, 15).len(), 20);
}

#[test]
fn a_churn_above_the_queue_capacity_takes_rounds() {
    let p = Preset {
        min_per_epoch_churn_limit: 100,
        ..Preset::phase0()
    };
    // 150 queued, eligibility epochs in reverse: the 100 smallest keys are the last 100
    // indices with the lowest epochs.
    let vs: Vec<_> = (0..150).map(|n| queued(n, 32 * ETH, ep(200 - n))).collect();
    let (after, _, _, s) = registry(&p, &vs, &view(300, 299, 10, 320 * ETH)).unwrap();
    assert_eq!(s.activated, 100);
    assert_eq!(activated(&after, 305), (50..150).collect::<Vec<_>>());
    // A single selection from a queue holding 64 cannot cover a churn of 100.
    let selection = ActivationQueue::scan(&vs).select(ep(299), 100);
    assert_eq!(selection.len(), ACTIVATION_QUEUE_CAPACITY);
    assert!(!selection.exact);
    // Eligibility 200 - n ≤ 60 ⇔ n ≥ 140: ten validators, all held, so exact.
    let selection = ActivationQueue::scan(&vs).select(ep(60), 100);
    assert_eq!(selection.len(), 10);
    assert!(selection.exact);
}

#[test]
fn ejection_at_the_ejection_balance() {
    let p = Preset::phase0();
    let vs = [
        active(0, 16 * ETH, 0),     // == EJECTION_BALANCE: ejected
        active(1, 17 * ETH, 0),     // above: stays
        queued(2, 16 * ETH, ep(1)), // not active: not ejected
    ];
    let (after, q, changes, s) = registry(&p, &vs, &view(10, 8, 2, 33 * ETH)).unwrap();
    assert_eq!(s.ejected, 1);
    assert_eq!(after[0].exit_epoch, ep(15));
    assert_eq!(after[0].withdrawable_epoch, ep(271));
    assert_eq!(after[1].exit_epoch, FAR);
    assert_eq!(after[2].exit_epoch, FAR);
    assert_eq!(
        changes[0],
        (
            0,
            RegistryStep {
                ejected: Some(ExitScheduled {
                    index: vi(0),
                    exit_epoch: ep(15),
                    withdrawable_epoch: ep(271)
                }),
                ..RegistryStep::default()
            }
        )
    );
    assert_eq!(q, QueueState::scan(&after));
    // Electra: the same, through the balance churn.
    let (after, q, _, _) = registry(&Preset::electra(), &vs, &view(10, 8, 2, 33 * ETH)).unwrap();
    assert_eq!(after[0].exit_epoch, ep(15));
    assert_eq!(q.earliest_exit_epoch, ep(15));
    assert_eq!(q.exit_balance_to_consume, 112 * ETH); // 128 - 16
}

#[test]
fn registry_updates_are_atomic() {
    let p = Preset::phase0();
    // Ejecting into an exit queue at the top of the epoch range overflows the withdrawable
    // epoch: nothing is written, not even the eligibility of validator 0.
    let mut late = active(1, 16 * ETH, 0);
    late.activation_epoch = ep(0);
    let mut exited = active(2, 32 * ETH, 0);
    exited.exit_epoch = ep(u64::MAX - 10);
    let vs = [queued(0, 32 * ETH, FAR), late, exited];
    assert_eq!(
        registry(&p, &vs, &view(10, 8, 2, 64 * ETH)).map(|r| r.3),
        Err(NumError::Overflow.into())
    );
    // The eligibility epoch overflows only if someone becomes eligible (the spec computes
    // `current + 1` per validator).
    let last = u64::MAX;
    let quiet = [active(0, 32 * ETH, 0)];
    assert!(registry(&p, &quiet, &view(last, 1, 1, 32 * ETH)).is_ok());
    assert_eq!(
        registry(&p, &[queued(0, 32 * ETH, FAR)], &view(last, 1, 1, 32 * ETH)).map(|r| r.3),
        Err(NumError::Overflow.into())
    );
    // Electra computes the activation epoch first: an error even with nobody to activate.
    assert_eq!(
        registry(&Preset::electra(), &quiet, &view(last - 2, 1, 1, 32 * ETH)).map(|r| r.3),
        Err(NumError::Overflow.into())
    );
    // Phase0 computes it per activation: fine with nobody to activate…
    assert!(registry(&p, &quiet, &view(last - 2, 1, 1, 32 * ETH)).is_ok());
    // …an error with someone.
    assert_eq!(
        registry(
            &p,
            &[queued(0, 32 * ETH, ep(1))],
            &view(last - 2, 1, 1, 32 * ETH)
        )
        .map(|r| r.3),
        Err(NumError::Overflow.into())
    );
}

/// The single-pass form (a queue built beforehand, one step per validator) gives the same
/// registry as `process_registry_updates`.
fn single_pass(
    p: &Preset,
    validators: &[Validator],
    queue: &QueueState,
    v: &EpochView,
) -> Option<(Vec<Validator>, QueueState)> {
    let selection = if p.fork == Fork::Electra {
        Selection::empty()
    } else {
        let churn = activation_churn_limit(p, v.active_validators).unwrap();
        let s = ActivationQueue::scan(validators).select(v.finalized, churn);
        if !s.exact {
            return None;
        }
        s
    };
    let epoch = RegistryEpoch::new(p, *v, selection).unwrap();
    let mut vs = validators.to_vec();
    let mut q = *queue;
    let mut next = ActivationQueue::new();
    for (i, validator) in (0u64..).zip(vs.iter_mut()) {
        registry_update_step(p, &epoch, vi(i), validator, &mut q).unwrap();
        next.offer(vi(i), validator);
    }
    Some((vs, q))
}

// ---------------------------------------------------------------------------------------
// Electra pending deposits
// ---------------------------------------------------------------------------------------

fn pending(n: u64, amount: u64, slot: u64) -> PendingDeposit {
    PendingDeposit {
        slot: Slot(slot),
        ..PendingDeposit::from_request(&deposit(n, amount, 1), Slot(0))
    }
}

struct Pending {
    validators: Vec<Validator>,
    balances: Vec<u64>,
    queue: QueueState,
}

impl Pending {
    fn new(n: u64) -> Self {
        let validators: Vec<_> = (0..n).map(|i| active(i, 32 * ETH, 0)).collect();
        Self {
            balances: vec![32 * ETH; validators.len()],
            queue: QueueState::default(),
            validators,
        }
    }

    fn run(
        &mut self,
        p: &Preset,
        v: &EpochView,
        deposits: &[PendingDeposit],
        bridge: bool,
    ) -> Result<PendingDepositsOutcome, Error> {
        let keys: Vec<_> = self.validators.iter().map(|v| v.pubkey).collect();
        let vs = self.validators.clone();
        let (_, b, q, out) = atomic(&self.validators, &self.balances, &self.queue, |_, b, q| {
            process_pending_deposits(
                p,
                &vs,
                b,
                q,
                v,
                deposits,
                bridge,
                |key| keys.iter().position(|k| k == key).map(|i| vi(i as u64)),
                |d| d.signature == [7; 96],
            )
        })?;
        self.balances = b;
        self.queue = q;
        Ok(out)
    }
}

#[test]
fn pending_deposits_stop_at_the_balance_churn_and_carry_it() {
    let p = Preset::electra();
    let mut s = Pending::new(3);
    // Churn 128 ETH (small total): 50 + 50 fit, the third 50 does not.
    let v = view(10, 8, 3, 96 * ETH);
    let deposits = [
        pending(0, 50 * ETH, 0),
        pending(1, 50 * ETH, 0),
        pending(2, 50 * ETH, 0),
    ];
    let out = s.run(&p, &v, &deposits, false).unwrap();
    assert_eq!(out.processed, 2);
    assert_eq!(out.churn_used, 100 * ETH);
    assert_eq!(out.applied, 2);
    // Churn reached: 128 - 100 = 28 ETH carried.
    assert_eq!(out.deposit_balance_to_consume, 28 * ETH);
    assert_eq!(s.queue.deposit_balance_to_consume, 28 * ETH);
    assert_eq!(s.balances, [82 * ETH, 82 * ETH, 32 * ETH]);
    // Next epoch: 28 + 128 = 156 available; 50 fits; not reached → carry 0.
    let out = s
        .run(&p, &view(11, 9, 3, 96 * ETH), &deposits[2..], false)
        .unwrap();
    assert_eq!(out.processed, 1);
    assert_eq!(out.deposit_balance_to_consume, 0);
    assert_eq!(s.balances[2], 82 * ETH);
    // Exactly at the churn: 128 fits (not >).
    let mut s = Pending::new(1);
    let out = s.run(&p, &v, &[pending(0, 128 * ETH, 0)], false).unwrap();
    assert_eq!(out.processed, 1);
    let out = s
        .run(&p, &v, &[pending(0, 128 * ETH + 1, 0)], false)
        .unwrap();
    assert_eq!(out.processed, 0);
    assert_eq!(out.deposit_balance_to_consume, 128 * ETH);
}

#[test]
fn pending_deposits_wait_for_finality_the_bridge_and_the_epoch_limit() {
    let p = Preset::electra();
    let mut s = Pending::new(1);
    // Finalized epoch 2: slots up to 64 are finalized.
    let v = view(4, 2, 1, 32 * ETH);
    let out = s
        .run(&p, &v, &[pending(0, ETH, 64), pending(0, ETH, 65)], false)
        .unwrap();
    assert_eq!(out.processed, 1);
    // Requests (slot > 0) wait while bridge deposits are pending; bridge deposits do not.
    let out = s
        .run(&p, &v, &[pending(0, ETH, 0), pending(0, ETH, 3)], true)
        .unwrap();
    assert_eq!(out.processed, 1);
    // At most MAX_PENDING_DEPOSITS_PER_EPOCH (16).
    let many = [pending(0, 1, 0); 20];
    let out = s.run(&p, &v, &many, false).unwrap();
    assert_eq!(out.processed, 16);
}

#[test]
fn pending_deposits_postpone_exiting_and_skip_churn_for_withdrawn() {
    let p = Preset::electra();
    let mut s = Pending::new(3);
    s.validators[0].exit_epoch = ep(20);
    s.validators[0].withdrawable_epoch = ep(276);
    s.validators[1].exit_epoch = ep(3);
    s.validators[1].withdrawable_epoch = ep(10); // < next epoch 11: withdrawn
    let v = view(10, 8, 1, 32 * ETH);
    let deposits = [
        pending(0, 200 * ETH, 0),
        pending(1, 200 * ETH, 0),
        pending(2, 100 * ETH, 0),
    ];
    let out = s.run(&p, &v, &deposits, false).unwrap();
    assert_eq!(out.processed, 3);
    assert_eq!(&out.postponed[..], &[0]);
    // Withdrawn: applied without churn; only validator 2's 100 ETH used churn.
    assert_eq!(out.churn_used, 100 * ETH);
    assert_eq!(s.balances, [32 * ETH, 232 * ETH, 132 * ETH]);
}

#[test]
fn pending_deposits_create_validators() {
    let p = Preset::electra();
    let mut s = Pending::new(1);
    let v = view(10, 8, 1, 32 * ETH);
    let mut bad = pending(8, 10 * ETH, 0);
    bad.signature = [0; 96];
    let deposits = [
        pending(5, 40 * ETH, 0),
        pending(5, 2 * ETH, 0), // tops up the validator created just before
        bad,                    // invalid proof of possession: dropped, churn still used
    ];
    let out = s.run(&p, &v, &deposits, false).unwrap();
    assert_eq!(out.processed, 3);
    assert_eq!(out.new_validators.len(), 1);
    let new = out.new_validators[0];
    assert_eq!(new.validator.pubkey, pubkey(5));
    assert_eq!(new.validator.effective_balance, 32 * ETH); // 0x01: min(40, 32)
    assert_eq!(new.balance, 42 * ETH);
    assert_eq!(out.rejected_signatures, 1);
    assert_eq!(out.applied, 2);
    assert_eq!(out.churn_used, 52 * ETH);
}

#[test]
fn pending_deposit_errors() {
    let mut s = Pending::new(1);
    let v = view(10, 8, 1, 32 * ETH);
    assert_eq!(
        s.run(&Preset::deneb(), &v, &[], false),
        Err(ValidatorError::WrongFork { fork: Fork::Deneb }.into())
    );
    s.balances[0] = u64::MAX - 1;
    let p = Preset {
        max_per_epoch_activation_exit_churn_limit: u64::MAX / 2,
        min_per_epoch_churn_limit_electra: u64::MAX / 2,
        ..Preset::electra()
    };
    // Two deposits to one validator: the second overflows; the first is not written either.
    assert_eq!(
        s.run(&p, &v, &[pending(0, 1, 0), pending(0, 1, 0)], false),
        Err(ValidatorError::BalanceOverflow {
            index: vi(0),
            balance: u64::MAX,
            amount: 1
        }
        .into())
    );
    assert_eq!(s.balances[0], u64::MAX - 1);
    let mut short = Pending::new(2);
    short.balances.pop();
    let keys = [pubkey(0)];
    let (vs, mut b, mut q) = (
        short.validators.clone(),
        short.balances.clone(),
        short.queue,
    );
    assert_eq!(
        process_pending_deposits(
            &Preset::electra(),
            &vs,
            &mut b,
            &mut q,
            &v,
            &[],
            false,
            |k| keys.iter().position(|x| x == k).map(|i| vi(i as u64)),
            |_| true
        ),
        Err(ValidatorError::LengthMismatch {
            validators: 2,
            balances: 1
        }
        .into())
    );
    // A lookup answering out of range.
    let vs1 = [active(0, 32 * ETH, 0)];
    let mut b1 = [32 * ETH];
    assert_eq!(
        process_pending_deposits(
            &Preset::electra(),
            &vs1,
            &mut b1,
            &mut q,
            &v,
            &[pending(0, 1, 0)],
            false,
            |_| Some(vi(5)),
            |_| true
        ),
        Err(ValidatorError::UnknownValidator {
            index: vi(5),
            count: 1
        }
        .into())
    );
}

// ---------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------

mod props {
    use proptest::prelude::*;

    use super::*;

    /// The reference queue: every candidate sorted, filtered, cut at the churn.
    fn reference(vs: &[Validator], finalized: Epoch, churn: u64) -> Vec<u64> {
        let mut q: Vec<(u64, u64)> = (0u64..)
            .zip(vs)
            .filter(|(_, v)| v.is_eligible_for_activation(finalized))
            .map(|(i, v)| (v.activation_eligibility_epoch.0, i))
            .collect();
        q.sort();
        let mut chosen: Vec<u64> = q.iter().take(churn as usize).map(|k| k.1).collect();
        chosen.sort();
        chosen
    }

    proptest! {
        #[test]
        fn the_queue_selects_the_spec_prefix(
            epochs in proptest::collection::vec(prop_oneof![0u64..40, Just(u64::MAX)], 0..400),
            activated in proptest::collection::vec(any::<bool>(), 400),
            finalized in 0u64..45,
            churn in 0u64..150,
        ) {
            let vs: Vec<Validator> = (0u64..).zip(&epochs).map(|(i, e)| {
                let mut v = queued(i, 32 * ETH, ep(*e));
                if activated[i as usize] { v.activation_epoch = ep(3); }
                v
            }).collect();
            let selection = ActivationQueue::scan(&vs).select(ep(finalized), churn);
            let got: Vec<u64> = selection.indices().map(|i| i.0).collect();
            let want = reference(&vs, ep(finalized), churn);
            if selection.exact {
                prop_assert_eq!(got, want);
            } else {
                // A full round of the smallest keys, and more to come.
                prop_assert_eq!(got.len(), ACTIVATION_QUEUE_CAPACITY);
                prop_assert!(want.len() >= ACTIVATION_QUEUE_CAPACITY);
                let mut q: Vec<(u64, u64)> = want.iter().map(|i| (vs[*i as usize].activation_eligibility_epoch.0, *i)).collect();
                q.sort();
                let mut first: Vec<u64> = q[..ACTIVATION_QUEUE_CAPACITY].iter().map(|k| k.1).collect();
                first.sort();
                prop_assert_eq!(got, first);
            }
        }

        #[test]
        fn single_pass_equals_the_whole_registry_function(
            kinds in proptest::collection::vec((0u8..4, 0u64..12, any::<bool>()), 0..60),
            current in 6u64..20,
            lag in 0u64..4,
            fork in 0usize..3,
            big_churn in any::<bool>(),
        ) {
            let p = [Preset::phase0(), Preset::deneb(), Preset::electra()][fork];
            let p = Preset { min_per_epoch_churn_limit: if big_churn { 70 } else { 3 }, max_per_epoch_activation_churn_limit: 2, ..p };
            let vs: Vec<Validator> = (0u64..).zip(&kinds).map(|(i, (kind, e, full))| {
                let eb = if *full { 32 * ETH } else { 16 * ETH };
                match kind {
                    0 => queued(i, eb, FAR),
                    1 => queued(i, eb, ep(*e)),
                    2 => active(i, eb, *e),
                    _ => { let mut v = active(i, eb, 0); v.exit_epoch = ep(e + 5); v.withdrawable_epoch = ep(e + 261); v }
                }
            }).collect();
            let finalized = current - lag;
            let v = EpochView::scan(&p, &vs, ep(current), ep(finalized)).unwrap();
            let mut queue = QueueState::scan(&vs);
            if p.fork == Fork::Electra { queue.upgrade_to_electra(&p, &vs, &v).unwrap(); }
            let (whole, _, whole_q, _) = {
                let balances = vec![0; vs.len()];
                atomic(&vs, &balances, &queue, |x, _, q| process_registry_updates(&p, x, q, &v, |_, _| {})).unwrap()
            };
            if let Some((single, single_q)) = single_pass(&p, &vs, &queue, &v) {
                prop_assert_eq!(single, whole);
                prop_assert_eq!(single_q, whole_q);
            } else {
                prop_assert!(big_churn);
            }
        }
    }

    #[derive(Clone, Debug)]
    enum Op {
        Deposit { key: u64, amount: u64 },
        Exit { index: u64 },
        Balance { index: u64, delta: i64 },
        Epoch { lag: u64 },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (0u64..14, prop_oneof![Just(32 * ETH), 1u64..40 * ETH, Just(16 * ETH + 1)])
                .prop_map(|(key, amount)| Op::Deposit { key, amount }),
            1 => (0u64..14).prop_map(|index| Op::Exit { index }),
            2 => (0u64..14, prop_oneof![3 => -4_000_000_000i64..4_000_000_000, 1 => Just(-17_000_000_000i64)])
                .prop_map(|(index, delta)| Op::Balance { index, delta }),
            4 => (0u64..3).prop_map(|lag| Op::Epoch { lag }),
        ]
    }

    struct Chain {
        p: Preset,
        validators: Vec<Validator>,
        balances: Vec<u64>,
        queue: QueueState,
        pending: Vec<PendingDeposit>,
        current: u64,
        finalized: u64,
        /// Activation churn of each epoch in which validators were activated.
        activation_churn: Vec<(u64, u64)>,
    }

    impl Chain {
        fn lookup(&self, key: &[u8; 48]) -> Option<ValidatorIndex> {
            self.validators
                .iter()
                .position(|v| &v.pubkey == key)
                .map(|i| vi(i as u64))
        }

        fn view(&self) -> EpochView {
            EpochView::scan(
                &self.p,
                &self.validators,
                ep(self.current),
                ep(self.finalized),
            )
            .unwrap()
        }

        fn apply(&mut self, op: &Op) {
            match *op {
                Op::Deposit { key, amount } => {
                    let d = deposit(key, amount, 1);
                    let existing = self.lookup(&d.pubkey);
                    match apply_deposit(&self.p, &mut self.balances, existing, &d).unwrap() {
                        DepositOutcome::NewValidator { validator, balance } => {
                            self.validators.push(validator);
                            self.balances.push(balance);
                        }
                        DepositOutcome::TopUp { .. } => {}
                        DepositOutcome::Queued {
                            new_validator,
                            pending,
                        } => {
                            if let Some(v) = new_validator {
                                self.validators.push(v);
                                self.balances.push(0);
                            }
                            self.pending.push(pending);
                        }
                    }
                }
                Op::Exit { index } => {
                    let v = self.view();
                    let exit = VoluntaryExit {
                        epoch: ep(0),
                        validator_index: vi(index),
                    };
                    let before = (self.validators.clone(), self.queue);
                    if process_voluntary_exit(
                        &self.p,
                        &mut self.validators,
                        &mut self.queue,
                        &v,
                        &exit,
                        0,
                    )
                    .is_err()
                    {
                        assert_eq!((self.validators.clone(), self.queue), before);
                    }
                }
                Op::Balance { index, delta } => {
                    if let Some(b) = self.balances.get_mut(index as usize) {
                        *b = b.saturating_add_signed(delta);
                    }
                }
                Op::Epoch { lag } => self.epoch(lag),
            }
        }

        fn epoch(&mut self, lag: u64) {
            let v = self.view();
            let carried = self.queue.deposit_balance_to_consume;
            let before: Vec<Epoch> = self.validators.iter().map(|v| v.activation_epoch).collect();
            process_registry_updates(
                &self.p,
                &mut self.validators,
                &mut self.queue,
                &v,
                |_, _| {},
            )
            .unwrap();
            let newly = self
                .validators
                .iter()
                .zip(&before)
                .filter(|(v, b)| v.activation_epoch != **b)
                .count() as u64;
            if self.p.fork != Fork::Electra {
                let churn = activation_churn_limit(&self.p, v.active_validators).unwrap();
                assert!(newly <= churn, "{newly} activations, churn {churn}");
                self.activation_churn.push((self.current + 5, churn));
            } else {
                let keys: Vec<[u8; 48]> = self.validators.iter().map(|v| v.pubkey).collect();
                let out = process_pending_deposits(
                    &self.p,
                    &self.validators.clone(),
                    &mut self.balances,
                    &mut self.queue,
                    &v,
                    &self.pending,
                    false,
                    |k| keys.iter().position(|x| x == k).map(|i| vi(i as u64)),
                    |_| true,
                )
                .unwrap();
                let postponed: Vec<PendingDeposit> = out
                    .postponed
                    .iter()
                    .map(|at| self.pending[*at as usize])
                    .collect();
                self.pending.drain(..out.processed);
                self.pending.extend(postponed);
                for n in out.new_validators.iter() {
                    self.validators.push(n.validator);
                    self.balances.push(n.balance);
                }
                // At most the churn plus what was carried was used.
                let limit =
                    get_activation_exit_churn_limit(&self.p, v.total_active_balance).unwrap();
                assert!(
                    out.churn_used <= carried + limit,
                    "{} > {carried} + {limit}",
                    out.churn_used
                );
            }
            process_effective_balance_updates(&self.p, &mut self.validators, &self.balances)
                .unwrap();
            self.current += 1;
            self.finalized = self.finalized.max(self.current.saturating_sub(1 + lag));
        }

        fn check(&self) {
            let p = &self.p;
            for v in &self.validators {
                assert_eq!(
                    v.effective_balance % p.effective_balance_increment,
                    0,
                    "{v:?}"
                );
                assert!(v.effective_balance <= v.max_effective_balance(p), "{v:?}");
                if v.exit_epoch != FAR {
                    assert!(v.activation_epoch <= v.exit_epoch, "{v:?}");
                    assert_eq!(
                        v.withdrawable_epoch.0,
                        v.exit_epoch.0 + p.min_validator_withdrawability_delay,
                        "{v:?}"
                    );
                    assert!(v.exit_epoch <= v.withdrawable_epoch);
                } else {
                    assert_eq!(v.withdrawable_epoch, FAR);
                }
                if v.activation_epoch != FAR {
                    assert!(
                        v.activation_eligibility_epoch < v.activation_epoch
                            || v.activation_eligibility_epoch == ep(0)
                    );
                }
            }
            if p.fork != Fork::Electra {
                let scanned = QueueState::scan(&self.validators);
                assert_eq!(
                    (self.queue.latest_exit_epoch, self.queue.exits_at_latest),
                    (scanned.latest_exit_epoch, scanned.exits_at_latest)
                );
                // No exit epoch holds more exits than the (minimum) churn: few validators here.
                let mut epochs: Vec<u64> = self
                    .validators
                    .iter()
                    .filter(|v| v.exit_epoch != FAR)
                    .map(|v| v.exit_epoch.0)
                    .collect();
                epochs.sort();
                for w in epochs.chunk_by(|a, b| a == b) {
                    assert!(
                        w.len() as u64 <= p.min_per_epoch_churn_limit,
                        "{} exits at epoch {}",
                        w.len(),
                        w[0]
                    );
                }
                // No activation epoch holds more activations than that epoch's churn.
                for (epoch, churn) in &self.activation_churn {
                    let n = self
                        .validators
                        .iter()
                        .filter(|v| v.activation_epoch == ep(*epoch))
                        .count() as u64;
                    assert!(n <= *churn, "{n} activations at {epoch}, churn {churn}");
                }
            } else {
                for v in &self.validators {
                    if v.exit_epoch != FAR {
                        assert!(v.exit_epoch <= self.queue.earliest_exit_epoch);
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        #[test]
        fn random_lifecycles_keep_the_invariants(
            fork in 0usize..4,
            ops in proptest::collection::vec(op(), 1..120),
        ) {
            let base = [Preset::phase0(), Preset::deneb(), Preset::electra(), Preset::altair()][fork];
            let p = Preset {
                min_per_epoch_churn_limit: 2,
                max_per_epoch_activation_churn_limit: 1,
                shard_committee_period: 2,
                min_per_epoch_churn_limit_electra: 40 * ETH,
                max_per_epoch_activation_exit_churn_limit: 64 * ETH,
                ..base
            };
            prop_assert_eq!(p.validate(), Ok(()));
            let mut chain = Chain {
                p,
                validators: Vec::new(),
                balances: Vec::new(),
                queue: QueueState::default(),
                pending: Vec::new(),
                current: 0,
                finalized: 0,
                activation_churn: Vec::new(),
            };
            for op in &ops {
                chain.apply(op);
                chain.check();
            }
            for _ in 0..12 {
                chain.epoch(0);
                chain.check();
            }
        }
    }
}
