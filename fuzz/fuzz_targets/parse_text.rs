//! See `stakehold_tests::fuzzing::decode::text`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stakehold_tests::fuzzing::decode::text(data));
