//! See `stakehold_tests::fuzzing::ledger::fuzz`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stakehold_tests::fuzzing::ledger::fuzz(data));
