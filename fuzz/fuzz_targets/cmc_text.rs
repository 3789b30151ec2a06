//! Fuzzes the CMC readers: uncertainty equations, KCDB units and quantities, and the KCDB 2.0
//! JSON and CSV importers; whatever imports must give its capability (the evaluable
//! uncertainty) and answer a unit-aware question. Typed errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sevres_cmc::{Equation, KcdbUnit, Quantity};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Equation::parse(text);
    let _ = KcdbUnit::parse(text);
    let _ = Quantity::parse(text);
    let value = Quantity::parse("10 V").expect("a valid quantity");
    for import in [sevres_cmc::import_json(text), sevres_cmc::import_csv(text)]
        .into_iter()
        .flatten()
    {
        for cmc in &import.cmcs {
            let _ = cmc.capability().uncertainty_at(&value);
        }
    }
});
