//! See `stakehold_tests::fuzzing::screen::run`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stakehold_tests::fuzzing::screen::run(data));
