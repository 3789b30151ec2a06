//! TT(BIPM) against the BIPM product file, and the TFEX reader on the
//! BIPM UTClib fixture.
use std::path::PathBuf;

use sevres_timescale::tfex::{Tfex, Value};
use sevres_timescale::tt::{tt_minus_tai_from_d, ClockSeries, Extension, TT_MINUS_TAI_S};

fn data(rel: &str) -> String {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata/time/"
    ))
    .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn extension_formula_matches_tt_bipm24() {
    let text = data("bipm_products/tai2tt_bipm2024.clk");
    let series = ClockSeries::parse(&text).unwrap();
    let published = series.published();
    // SOURCES.md: BIPM data end at MJD 60669, then the generator's rows.
    assert_eq!(published.last().unwrap().0, 60_669.0);
    assert_eq!(series.rows[series.extrapolation_from.unwrap()].0, 60_670.0);
    // Header: "TT(BIPM23) = TAI + 32.184 s + 27671.3 ns + 0.02x(MJD-60669) ns".
    let ext = Extension::parse(&text).unwrap();
    assert_eq!(
        ext,
        Extension {
            mjd0: 60_669.0,
            offset_ns: 27_671.3,
            rate_ns_per_day: 0.02
        }
    );
    // At its reference date the formula gives the last BIPM value
    // (published with 0.1 ns resolution).
    let (m, v) = *published.last().unwrap();
    assert!((ext.tt_minus_tai_s(m) - v).abs() < 0.05e-9);
    // The rows after the marker are the formula (printed to 1 ps).
    for &(m, v) in &series.rows[series.extrapolation_from.unwrap()..] {
        assert!((ext.tt_minus_tai_s(m) - v).abs() < 1e-12, "MJD {m}");
    }
    // The rate agrees with the slope of the last 60 days of BIPM data
    // (0.9 ns over MJD 60609–60669) within 0.01 ns/day.
    let first = published.iter().find(|r| r.0 == 60_609.0).unwrap();
    let slope = (v - first.1) * 1e9 / (m - first.0);
    assert!((slope - ext.rate_ns_per_day).abs() < 0.01, "{slope}");
}

#[test]
fn integrating_d_reproduces_tt_bipm() {
    // d per segment from the published series, integrated back from the
    // first row, reproduces every row; TT − TAI rises where d > 0.
    let series = ClockSeries::parse(&data("bipm_products/tai2tt_bipm2024.clk")).unwrap();
    let p = series.published();
    let ns = |v: f64| (v - TT_MINUS_TAI_S) * 1e9;
    let segments: Vec<(f64, f64)> = p
        .windows(2)
        .map(|w| {
            (
                w[0].0,
                (ns(w[1].1) - ns(w[0].1)) / ((w[1].0 - w[0].0) * 86_400e9),
            )
        })
        .collect();
    for &(m, v) in p.iter().step_by(37) {
        let got = tt_minus_tai_from_d(p[0].0, ns(p[0].1), &segments, m);
        assert!((got - ns(v)).abs() < 1e-6, "MJD {m}: {got} vs {}", ns(v));
    }
    // Backwards too.
    let last = p.len() - 1;
    let back = tt_minus_tai_from_d(p[last].0, ns(p[last].1), &segments, p[0].0);
    assert!((back - ns(p[0].1)).abs() < 1e-6);
    // 1977: TT − TAI fell by 0.82 µs in 10 days (d ≈ −9.5e-13, TAI fast).
    assert!(segments[0].1 < -9e-13 && segments[0].1 > -1e-12);
}

#[test]
fn other_bipm_product_files_read() {
    for f in ["ptb2tai.clk", "gps2utc_c0p.clk", "utc2tai.clk"] {
        let s = ClockSeries::parse(&data(&format!("bipm_products/{f}"))).unwrap();
        assert!(s.rows.len() > 50, "{f}");
        assert!(s.extrapolation_from.is_none());
    }
    let e = ClockSeries::parse("1 2\n3 x\n").unwrap_err();
    assert_eq!(e.line, 2);
    assert_eq!(ClockSeries::parse("5 1\n4 2\n").unwrap_err().line, 2);
}

#[test]
fn tfex_fixture() {
    let t = Tfex::parse("input.tfex", &data("tfex/input.tfex")).unwrap();
    assert_eq!(t.version, "0.2");
    let labels: Vec<&str> = t.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["MJD", "SoD", "delta_t"]);
    assert!(t.columns[0].timetag && t.columns[1].timetag && !t.columns[2].timetag);
    assert_eq!(t.columns[2].trip, ["AB", "CE"]);
    assert_eq!(t.columns[2].unit.as_deref(), Some("si:nanosecond"));
    assert_eq!(t.columns[0].scale.as_deref(), Some("gpstime"));
    let Some(Value::Array(refs)) = t.header.get("REFPOINTS") else {
        panic!("REFPOINTS");
    };
    assert_eq!(refs.len(), 5);
    let Some(Value::Array(delays)) = t.header.get("CONSTANT_DELAYS") else {
        panic!("CONSTANT_DELAYS");
    };
    let Value::Table(d) = &delays[0] else {
        panic!()
    };
    assert_eq!(d.get("value"), Some(&Value::Num(102.7)));
    assert_eq!(t.header.get("AUTHOR"), Some(&Value::Str("BIPM".into())));
    assert_eq!(
        t.header.get("SAMPLING_INTERVAL_s"),
        Some(&Value::Num(7200.0))
    );
    assert!(t
        .header
        .get("COMMENT")
        .unwrap()
        .as_str()
        .unwrap()
        .contains("kfmldlskmfk"));
    assert_eq!(
        t.column("delta_t").unwrap(),
        [Some(-595.187), Some(-595.271), Some(-595.531), None]
    );
    let ep = t.epochs_mjd().unwrap();
    assert_eq!(ep[0], Some(60_250.0));
    assert!((ep[1].unwrap() - (60_250.0 + 5.0 / 86_400.0)).abs() < 1e-12);
    // The fixture declares NDATA = 1511 and MISSING_EPOCHS = false but has
    // four rows, the last with '*'.
    let issues = t.check();
    assert!(
        issues.iter().any(|i| i.contains("NDATA = 1511")),
        "{issues:?}"
    );
    assert!(
        issues.iter().any(|i| i.contains("MISSING_EPOCHS")),
        "{issues:?}"
    );
}

#[test]
fn tfex_errors_name_lines() {
    let text = data("tfex/input.tfex");
    let bad_row = format!("{text}60250 20.000\n");
    let n = bad_row.lines().count();
    assert_eq!(Tfex::parse("f", &bad_row).unwrap_err().line, n);
    let bad_num = format!("{text}60250 20.000 abc\n");
    assert!(Tfex::parse("f", &bad_num)
        .unwrap_err()
        .to_string()
        .contains("delta_t"));
    let bad_header = text.replacen("AUTHOR = \"BIPM\"", "AUTHOR = \"BIPM", 1);
    let e = Tfex::parse("f", &bad_header).unwrap_err();
    assert_eq!(e.line, 9, "{e}");
    let no_cols = "# TFEXVER = 0.2\n1 2\n";
    assert!(Tfex::parse("f", no_cols).is_err());
    for cut in (0..text.len()).step_by(7) {
        let _ = Tfex::parse("f", &text[..cut]);
    }
}
