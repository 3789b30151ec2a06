//! Fuzzes the XML-DSig verifier: signed documents, trust anchors (PEM or DER) and every
//! canonicalization method read untrusted bytes; each returns a report or a typed error,
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sevres_xmldsig::fuzz_one_input(data));
