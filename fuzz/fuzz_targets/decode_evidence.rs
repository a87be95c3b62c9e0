//! See `stakehold_tests::fuzzing::evidence::run`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stakehold_tests::fuzzing::evidence::run(data));
