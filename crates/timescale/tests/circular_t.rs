//! Circular T section 1 against the published excerpts (Circular T 206 and
//! 229): dates, TAI − UTC, u = √(uA² + uB²), text and CSV rendering.
use std::path::PathBuf;

use sevres_timescale::algos::{compute_month, month_dates, Config, Inputs, State};
use sevres_timescale::calendar::Date;
use sevres_timescale::circular_t::{combine_uncertainty, Section1};
use sevres_timescale::leap::LeapTable;
use sevres_timescale::sim::{SimConfig, Simulation};

fn data(rel: &str) -> String {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata/time/"
    ))
    .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// (file, year and month the issue covers).
const ISSUES: [(&str, i32, u32); 2] = [
    ("circular_t/cirt206_section1_excerpt.csv", 2005, 2),
    ("circular_t/cirt229_section1_excerpt.csv", 2007, 1),
];

fn published(file: &str) -> Section1 {
    Section1::parse_csv(file, &data(file)).unwrap()
}

#[test]
fn the_5_day_dates_are_those_published() {
    for (file, year, month) in ISSUES {
        assert_eq!(
            month_dates(year, month).unwrap(),
            published(file).mjds,
            "{file}"
        );
    }
}

#[test]
fn tai_minus_utc_is_that_published() {
    let leap = LeapTable::parse(&data("leapseconds/leap-seconds.list")).unwrap();
    for (file, _, _) in ISSUES {
        let s = published(file);
        for m in &s.mjds {
            assert_eq!(leap.tai_minus_utc_mjd(*m).unwrap(), s.tai_minus_utc_s);
        }
    }
}

#[test]
fn published_u_is_the_quadratic_sum_of_ua_and_ub() {
    let mut n = 0;
    for (file, _, _) in ISSUES {
        for r in published(file).rows {
            let (Some(ua), Some(ub), Some(u)) = (r.ua_ns, r.ub_ns, r.u_ns) else {
                assert!(r.values.iter().all(Option::is_none), "{}", r.lab);
                continue;
            };
            // Published components are rounded to 0.1 ns.
            assert!(
                (combine_uncertainty(ua, ub) - u).abs() <= 0.1 + 1e-9,
                "{file} {}: {ua} {ub} {u}",
                r.lab
            );
            n += 1;
        }
    }
    assert_eq!(n, 9 + 18);
}

#[test]
fn text_layout_carries_the_published_numbers() {
    for (file, _, _) in ISSUES {
        let s = published(file);
        let text = s.render_text();
        assert!(text.contains(&s.tai_minus_utc_note), "{text}");
        // Header: month/day labels and MJDs.
        let mjd_line = text
            .lines()
            .find(|l| l.trim_start().starts_with("MJD"))
            .unwrap();
        let mjds: Vec<i64> = mjd_line
            .split_whitespace()
            .filter_map(|t| t.parse().ok())
            .collect();
        assert_eq!(mjds, s.mjds);
        let first = Date::from_mjd(s.mjds[0]);
        assert!(text.contains(&format!(
            "{} {:>2}",
            ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
                [first.month as usize - 1],
            first.day
        )));
        // Each laboratory line: values, then uA uB u, as published.
        for r in &s.rows {
            let line = text
                .lines()
                .find(|l| l.split_whitespace().next() == Some(r.lab.as_str()))
                .unwrap_or_else(|| panic!("{} missing", r.lab));
            let after = line.split_once(')').unwrap().1;
            let mut toks: Vec<&str> = after.split_whitespace().collect();
            if r.note.is_some() {
                assert_eq!(toks.pop(), r.note.as_deref());
            }
            let want: Vec<String> = r
                .values
                .iter()
                .chain([&r.ua_ns, &r.ub_ns, &r.u_ns])
                .map(|v| v.map_or("-".to_string(), |v| format!("{v:.1}")))
                .collect();
            assert_eq!(toks, want, "{}", r.lab);
        }
    }
}

#[test]
fn csv_round_trip() {
    for (file, _, _) in ISSUES {
        let s = published(file);
        let again = Section1::parse_csv("again.csv", &s.render_csv()).unwrap();
        assert_eq!(again, s);
    }
    let e = Section1::parse_csv(
        "x.csv",
        "lab,location,mjd_1,uA_ns,uB_ns,u_ns,note\nA,\"B\",1.0,x,1,1,\n",
    )
    .unwrap_err();
    assert_eq!(e.line, 2);
}

#[test]
fn a_computed_month_renders_as_circular_t() {
    let sim = Simulation::run(&SimConfig {
        labs: 6,
        clocks: 18,
        days: 40,
        ..SimConfig::default()
    });
    let leap = LeapTable::parse(&data("leapseconds/leap-seconds.list")).unwrap();
    let inputs = Inputs {
        year: 2024,
        month: 1,
        clocks: sim.clock_readings.clone(),
        links: sim.link_readings.clone(),
        psfs: sim.psfs.clone(),
        leap,
        locations: [("L000".to_string(), "Pivot town".to_string())].into(),
    };
    let (r, _) = compute_month(&inputs, &State::new(), &Config::default()).unwrap();
    let text = r.circular_t_text();
    assert!(
        text.contains("From 2017 January 1, 0h UTC, TAI-UTC = 37 s."),
        "{text}"
    );
    assert!(text.contains("L000  (Pivot town)"), "{text}");
    assert!(text.contains("2 - Frequency of EAL and TAI"));
    let s = r.section1();
    assert_eq!(s.rows.len(), 6);
    assert_eq!(
        Section1::parse_csv("m.csv", &s.render_csv()).unwrap().mjds,
        r.mjds
    );
    // The pivot's [UTC − UTC(k)] starts at 0 (bootstrap: UTC = UTC(pivot)).
    assert_eq!(s.rows[0].values[0], Some(0.0));
}
