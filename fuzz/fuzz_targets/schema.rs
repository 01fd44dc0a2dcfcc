#![no_main]
//! cargo-fuzz target `schema`: the shared target in tests/it/fuzz/targets.rs on any UTF-8 input.

#[path = "../../tests/it/fuzz/targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        targets::run("schema", text);
    }
});
