//! libFuzzer target: see `paperbloom_fuzz::digest`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| paperbloom_fuzz::digest(data));
