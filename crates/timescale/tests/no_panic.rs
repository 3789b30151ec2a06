//! Every text reader returns a value or a typed error on arbitrary input;
//! none panics.
use proptest::prelude::*;
use sevres_timescale::algos::State;
use sevres_timescale::calendar::parse_datetime;
use sevres_timescale::cggtts::Cggtts;
use sevres_timescale::circular_t::Section1;
use sevres_timescale::inputs::{read_bipm_clocks, read_clocks, read_links, read_psfs};
use sevres_timescale::leap::LeapTable;
use sevres_timescale::tfex::Tfex;
use sevres_timescale::tt::{ClockSeries, Extension};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn text_readers(text in "[ -~\\t\\n]{0,400}") {
        let _ = LeapTable::parse(&text);
        let _ = LeapTable::parse_iers_list(&text);
        let _ = LeapTable::parse_tzdata(&text);
        let _ = LeapTable::parse_naif_lsk(&text);
        let _ = State::from_text(&text);
        let _ = Section1::parse_csv("f", &text);
        let _ = Tfex::parse("f", &text);
        let _ = ClockSeries::parse(&text);
        let _ = Extension::parse(&text);
        let _ = parse_datetime(&text);
        let _ = read_bipm_clocks("f", &text, &Default::default());
        let _ = read_links("f", &text);
        let _ = read_psfs("f", &text);
    }

    #[test]
    fn bipm_clock_lines(lines in proptest::collection::vec("[0-9 .+-]{0,110}", 0..6)) {
        let _ = read_bipm_clocks("f", &lines.join("\n"), &Default::default());
    }

    #[test]
    fn unicode_text(text in "\\PC{0,300}") {
        let _ = LeapTable::parse(&text);
        let _ = State::from_text(&text);
        let _ = Section1::parse_csv("f", &text);
        let _ = Tfex::parse("f", &text);
        let _ = ClockSeries::parse(&text);
        let _ = parse_datetime(&text);
        let _ = Cggtts::parse("f", &text);
        let _ = Cggtts::parse("f", &format!("CGGTTS GENERIC DATA FORMAT VERSION = 2E\n{text}"));
        let _ = read_clocks("f", &text);
        let _ = read_bipm_clocks("f", &text, &Default::default());
        let _ = read_bipm_clocks("f", &format!("60309 00001 {text}"), &Default::default());
    }

    #[test]
    fn structured_leap_and_lsk_text(
        rows in prop::collection::vec((0i64..5_000_000_000, -5i32..60), 0..8),
        lsk in prop::collection::vec(("[0-9DE.+-]{1,6}", "@[0-9A-Z-]{0,12}"), 0..6),
    ) {
        let list: String = rows.iter().map(|(x, d)| format!("{x} {d}\n")).collect();
        let _ = LeapTable::parse_iers_list(&format!("#$ 3960835200\n#@ 3991593600\n{list}#h 1 2 3 4 5\n"));
        let body: String = lsk.iter().map(|(v, d)| format!("{v}, {d}\n")).collect();
        let _ = LeapTable::parse_naif_lsk(&format!("\\begindata\nDELTET/DELTA_AT = ( {body} )\n"));
    }

    #[test]
    fn datetimes(y in 0u32..10_000, mo in 0u32..14, d in 0u32..33, h in 0u32..25, mi in 0u32..61, s in 0.0f64..62.0) {
        let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:06.3}");
        let _ = parse_datetime(&text);
    }
}
