//! Leap seconds against the real IERS `leap-seconds.list`, cross-checked
//! with independent publications: the tempo2 `utc2tai.clk` table (from IERS
//! and USNO tai-utc.dat) and the TAI − UTC stated in Circular T headers.
use std::path::PathBuf;

use sevres_timescale::calendar::Date;
use sevres_timescale::leap::{LeapError, LeapFormat, LeapTable};

fn data(rel: &str) -> String {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata/time/"
    ))
    .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn iers() -> LeapTable {
    LeapTable::parse_iers_list(&data("leapseconds/leap-seconds.list")).unwrap()
}

#[test]
fn iers_list_reads_and_its_sha1_verifies() {
    let t = iers();
    assert_eq!(t.format(), LeapFormat::IersList);
    // SOURCES.md: expires 2026-06-28, last entry 37 s from 2017-01-01.
    assert_eq!(t.expires_mjd(), Some(Date::new(2026, 6, 28).unwrap().mjd()));
    let last = *t.steps().last().unwrap();
    assert_eq!(last.tai_minus_utc, 37);
    assert_eq!(last.mjd, Date::new(2017, 1, 1).unwrap().mjd());
    assert_eq!(t.steps()[0].tai_minus_utc, 10);
    assert_eq!(t.steps()[0].mjd, Date::new(1972, 1, 1).unwrap().mjd());
    // Auto-detection picks the same reader.
    assert_eq!(
        LeapTable::parse(&data("leapseconds/leap-seconds.list")).unwrap(),
        t
    );
}

#[test]
fn tampered_list_fails_its_hash() {
    let text =
        data("leapseconds/leap-seconds.list").replace("3692217600      37", "3692217600      38");
    assert!(matches!(
        LeapTable::parse_iers_list(&text),
        Err(LeapError::HashMismatch { .. })
    ));
    let no_hash: String = data("leapseconds/leap-seconds.list")
        .lines()
        .filter(|l| !l.starts_with("#h"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        LeapTable::parse_iers_list(&no_hash),
        Err(LeapError::MissingHash)
    );
    let garbled = data("leapseconds/leap-seconds.list").replace("2871676800", "28716x6800");
    match LeapTable::parse_iers_list(&garbled) {
        Err(LeapError::Parse { line, .. }) => assert!(line > 80),
        other => panic!("{other:?}"),
    }
}

#[test]
fn agrees_with_tempo2_utc2tai_table() {
    // utc2tai.clk rows "MJD value" give TAI − UTC; from 1972 on the values
    // are whole seconds, sampled just before and at each step.
    let t = iers();
    let mut n = 0;
    for l in data("bipm_products/utc2tai.clk").lines() {
        let f: Vec<f64> = l
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if l.starts_with('#') || f.len() != 2 || f[0] < 41_317.0 {
            continue;
        }
        let mjd = f[0].floor() as i64;
        if t.expires_mjd().is_some_and(|e| mjd >= e) {
            continue;
        }
        assert_eq!(
            f64::from(t.tai_minus_utc_mjd(mjd).unwrap()),
            f[1],
            "MJD {mjd}"
        );
        n += 1;
    }
    assert!(n > 50, "only {n} rows compared");
}

#[test]
fn agrees_with_circular_t_headers() {
    // "From 1999 January 1, 0h UTC, TAI-UTC = 32 s" (Circular T 206, MJD 53399…)
    // "From 2006 January 1, 0h UTC, TAI-UTC = 33 s" (Circular T 229, MJD 54099…)
    for (file, mjd, dat) in [
        ("circular_t/cirt206_section1_excerpt.csv", 53_399, 32),
        ("circular_t/cirt229_section1_excerpt.csv", 54_099, 33),
    ] {
        let head = data(file);
        assert!(head.contains(&format!("tai_minus_utc_s={dat}")));
        assert_eq!(iers().tai_minus_utc_mjd(mjd).unwrap(), dat);
    }
}

#[test]
fn leap_second_labels() {
    let t = iers();
    assert_eq!(t.tai_minus_utc("2016-12-31T23:59:59").unwrap(), 36);
    assert_eq!(t.tai_minus_utc("2016-12-31T23:59:60").unwrap(), 36);
    assert_eq!(t.tai_minus_utc("2016-12-31T23:59:60.999").unwrap(), 36);
    assert_eq!(t.tai_minus_utc("2017-01-01T00:00:00").unwrap(), 37);
    assert_eq!(t.tai_minus_utc("1972-06-30 23:59:60").unwrap(), 10);
    assert_eq!(t.tai_minus_utc("2015-06-30T23:59:60Z").unwrap(), 35);
    for bad in [
        "2015-12-31T23:59:60",
        "2017-06-30T23:59:60",
        "2016-12-30T23:59:60",
    ] {
        assert!(
            matches!(t.tai_minus_utc(bad), Err(LeapError::NoSuchSecond { .. })),
            "{bad}"
        );
    }
    assert!(matches!(
        t.tai_minus_utc("2016-12-31T23:58:60"),
        Err(LeapError::Label(_))
    ));
    assert!(matches!(
        t.tai_minus_utc("1971-12-31T00:00:00"),
        Err(LeapError::BeforeTable { .. })
    ));
    assert!(matches!(
        t.tai_minus_utc("2026-06-28T00:00:00"),
        Err(LeapError::Expired { .. })
    ));
    assert_eq!(t.tai_minus_utc("2026-06-27T23:59:59").unwrap(), 37);
}

#[test]
fn continuous_utc_freezes_delta_at() {
    let t = iers().with_continuous_after(Date::new(2026, 1, 1).unwrap().mjd());
    assert_eq!(t.tai_minus_utc("2040-01-01T00:00:00").unwrap(), 37);
    assert!(t.tai_minus_utc("2040-12-31T23:59:60").is_err());
    // A cut-off in the past drops later steps.
    let early = iers().with_continuous_after(Date::new(2010, 1, 1).unwrap().mjd());
    assert_eq!(early.tai_minus_utc("2020-01-01T00:00:00").unwrap(), 34);
    assert!(early.tai_minus_utc("2016-12-31T23:59:60").is_err());
    // A cut-off after the expiry cannot be answered past the expiry.
    let late = iers().with_continuous_after(Date::new(2030, 1, 1).unwrap().mjd());
    assert!(matches!(
        late.tai_minus_utc_mjd(Date::new(2031, 1, 1).unwrap().mjd()),
        Err(LeapError::Expired { .. })
    ));
}

/// Rows in the tz database `leapseconds` layout (zic(8)), as distributed.
const TZ: &str = "# Allowance for leap seconds added to each time zone from 1972 on.
Leap\t1972\tJun\t30\t23:59:60\t+\tS
Leap\t1972\tDec\t31\t23:59:60\t+\tS
Leap\t1973\tDec\t31\t23:59:60\t+\tS
Leap\t2005\tDec\t31\t23:59:60\t+\tS
Leap\t2008\tDec\t31\t23:59:60\t+\tS
Leap\t2012\tJun\t30\t23:59:60\t+\tS
Leap\t2015\tJun\t30\t23:59:60\t+\tS
Leap\t2016\tDec\t31\t23:59:60\t+\tS
#Expires 2026\tJun\t28\t00:00:00
#updated 1736208000 (2025-01-07 00:00:00 UTC)
#expires 1782604800 (2026-06-28 00:00:00 UTC)
";

#[test]
fn tzdata_rows_agree_with_iers_dates() {
    let tz = LeapTable::parse(TZ).unwrap();
    assert_eq!(tz.format(), LeapFormat::Tzdata);
    assert_eq!(tz.expires_mjd(), iers().expires_mjd());
    // Every step date of the excerpt is a step date of the IERS list.
    let full = iers();
    for s in &tz.steps()[1..] {
        assert!(full.steps().iter().any(|f| f.mjd == s.mjd), "MJD {}", s.mjd);
    }
    assert!(LeapTable::parse_tzdata("Leap 2016 Dec 31 23:59:59 + S\n").is_err());
    match LeapTable::parse_tzdata("Leap 2016 Dec 31 23:59:60 + S\nLeap 2016 Foo 1 23:59:60 + S\n") {
        Err(LeapError::Parse { line: 2, .. }) => {}
        other => panic!("{other:?}"),
    }
}

/// The DELTA_AT block of a NAIF leap-seconds kernel (naif0012.tls layout).
const LSK: &str = "KPL/LSK

\\begindata

DELTET/DELTA_T_A       =   32.184
DELTET/K               =    1.657D-3
DELTET/DELTA_AT        = ( 10,   @1972-JAN-1
                           11,   @1972-JUL-1
                           12,   @1973-JAN-1
                           13,   @1974-JAN-1
                           36,   @2015-JUL-1
                           37,   @2017-JAN-1 )

\\begintext
";

#[test]
fn naif_kernel() {
    let t = LeapTable::parse(LSK);
    // 13 → 36 is not a one-second step: the excerpt is not a valid table.
    assert!(matches!(t, Err(LeapError::Inconsistent { .. })));
    let lsk = LSK.replace(
        "                           36,   @2015-JUL-1\n                           37,   @2017-JAN-1 )",
        "                           14,   @1975-JAN-1 )",
    );
    let t = LeapTable::parse(&lsk).unwrap();
    assert_eq!(t.format(), LeapFormat::NaifLsk);
    for s in t.steps() {
        assert_eq!(iers().tai_minus_utc_mjd(s.mjd).unwrap(), s.tai_minus_utc);
    }
    match LeapTable::parse_naif_lsk(
        "\\begindata\nDELTET/DELTA_AT = ( 10, @1972-JAN-1\n 11 @1972-XXX-1 )\n",
    ) {
        Err(LeapError::Parse { line: 3, .. }) => {}
        other => panic!("{other:?}"),
    }
}
