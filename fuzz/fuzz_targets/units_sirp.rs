//! Fuzzes the sirp unit parser: any input must give a unit expression or a typed error, never a
//! panic; whatever parses must print, canonicalise and convert to itself without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sevres_si::{Conversion, Notation};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(expr) = sevres_si::parse(Notation::Sirp, text) {
        let _ = sevres_si::print(Notation::Sirp, &expr);
        let _ = expr.canonical();
        if let Ok(conversion) = Conversion::new(&expr, &expr) {
            let _ = conversion.apply(1.0);
        }
        for target in Notation::ALL {
            let _ = sevres_si::print(target, &expr);
        }
    }
});
