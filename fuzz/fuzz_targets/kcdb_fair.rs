//! Fuzzes the BIPM FAIR key-comparison XML reader and the `NMId.csv` institute table reader:
//! typed errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = sevres_kcdb::import_fair(text);
        let _ = sevres_kcdb::import_nmid(text);
    }
});
