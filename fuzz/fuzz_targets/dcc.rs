//! Fuzzes the DCC checker end to end: the input guard, XSD validation (libxml2), the semantic
//! rules, the JSON report and the HTML rendering in every declared language. Typed findings,
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sevres_dcc::fuzz_check(data));
