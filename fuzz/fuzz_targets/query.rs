//! libFuzzer target: see `paperbloom_fuzz::query`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| paperbloom_fuzz::query(data));
