//! See `stakehold_tests::fuzzing::finality::run`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stakehold_tests::fuzzing::finality::run(data));
