//! Inputs that once panicked under `cargo fuzz` (see `fuzz/`): each must now parse to an
//! expression or a typed error in every notation, and whatever parses must print in every
//! notation, canonicalise and convert to itself without panicking.

use sevres_si::{Conversion, Notation};

/// (found by target, input)
const INPUTS: &[(&str, &str)] = &[
    // units_dsi: printing to UCUM raised an exponent 888888889 to a power (Ratio<i32> overflow).
    ("units_dsi", "\u{3bc}b888888889"),
];

#[test]
fn former_fuzz_crashes_give_values_or_errors() {
    for (_target, input) in INPUTS {
        for notation in Notation::ALL {
            if let Ok(expr) = sevres_si::parse(notation, input) {
                for target in Notation::ALL {
                    let _ = sevres_si::print(target, &expr);
                }
                let _ = expr.canonical();
                if let Ok(conversion) = Conversion::new(&expr, &expr) {
                    let _ = conversion.apply(1.0);
                }
            }
        }
    }
}
