//! Fuzzes the time-data readers: CGGTTS (then its schedule check and a common view with
//! itself), TFEX, leap-second tables (then a TAI − UTC lookup), clock/link/PSFS CSV, the
//! TT(BIPM) files, the State text and stability series. Typed errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sevres_timescale::{algos, cggtts, inputs, leap, stability, tfex, tt};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(file) = cggtts::Cggtts::parse("fuzz", text) {
        let _ = cggtts::check_schedule(&file);
        let _ = cggtts::common_view(&file, &file);
    }
    let _ = tfex::Tfex::parse("fuzz", text);
    if let Ok(table) = leap::LeapTable::parse(text) {
        let _ = table.tai_minus_utc("2016-12-31T23:59:60");
    }
    let _ = inputs::read_clocks("fuzz", text);
    let _ = inputs::read_links("fuzz", text);
    let _ = inputs::read_psfs("fuzz", text);
    let _ = tt::ClockSeries::parse(text);
    let _ = tt::Extension::parse(text);
    let _ = algos::State::from_text(text);
    let _ = stability::parse_series(text);
});
