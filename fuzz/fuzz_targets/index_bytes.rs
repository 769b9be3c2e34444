//! libFuzzer target: see `paperbloom_fuzz::index_bytes`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| paperbloom_fuzz::index_bytes(data));
