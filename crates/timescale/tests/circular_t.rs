//! Circular T section 1 against the published excerpts (Circular T 206 and
//! 229): dates, TAI − UTC, u = √(uA² + uB²), text and CSV rendering; the
//! other sections (2, 3, 5 and the leap second) against the simulation's
//! truth and their own figures.
use std::path::PathBuf;

use sevres_timescale::algos::{compute_month, month_dates, Config, Inputs, MonthResult, State};
use sevres_timescale::calendar::Date;
use sevres_timescale::circular_t::{combine_uncertainty, Section1};
use sevres_timescale::leap::{LeapStep, LeapTable};
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
    for title in [
        "2 - Difference between the normalized frequencies of EAL and TAI",
        "3 - Duration of the TAI scale interval",
        "5 - Time links used for the computation of TAI and their uncertainties",
    ] {
        assert!(text.contains(title), "{title} missing:\n{text}");
    }
    // The full CSV still reads back as section 1.
    let full = r.circular_t().render_csv();
    assert_eq!(
        Section1::parse_csv("full.csv", &full).unwrap(),
        Section1::parse_csv("s1.csv", &r.section1().render_csv()).unwrap()
    );
    let s = r.section1();
    assert_eq!(s.rows.len(), 6);
    assert_eq!(
        Section1::parse_csv("m.csv", &s.render_csv()).unwrap().mjds,
        r.mjds
    );
    // The pivot's [UTC − UTC(k)] starts at 0 (bootstrap: UTC = UTC(pivot)).
    assert_eq!(s.rows[0].values[0], Some(0.0));
}

/// Runs `months` months of a simulation whose fountains have systematic
/// errors, from January 2024.
fn months(sim: &Simulation, months: u32, leap: &LeapTable) -> Vec<MonthResult> {
    let mut state = State::new();
    (0..months)
        .map(|k| {
            let inputs = Inputs {
                year: 2024,
                month: k + 1,
                clocks: sim.clock_readings.clone(),
                links: sim.link_readings.clone(),
                psfs: sim.psfs.clone(),
                leap: leap.clone(),
                locations: Default::default(),
            };
            let (r, next) = compute_month(&inputs, &state, &Config::default()).unwrap();
            state = next;
            r
        })
        .collect()
}

fn split_sim() -> Simulation {
    Simulation::run(&SimConfig {
        seed: 7,
        labs: 8,
        clocks: 32,
        days: 200,
        fountain_u_b: (2e-16, 4e-16),
        ..SimConfig::default()
    })
}

#[test]
fn sections_2_3_and_5_hold_what_the_computation_found() {
    let sim = split_sim();
    let leap = LeapTable::parse(&data("leapseconds/leap-seconds.list")).unwrap();
    let res = months(&sim, 6, &leap);
    let mut z = Vec::new();
    for r in &res {
        let c = r.circular_t();
        // Section 2: one value per interval, and TAI − EAL moves by it.
        assert_eq!(c.section2.intervals.len(), r.mjds.len() - 1);
        for (k, (a, b, v)) in c.section2.intervals.iter().enumerate() {
            assert_eq!((*a, *b), (r.mjds[k], r.mjds[k + 1]));
            let moved = r.tai_minus_eal_ns[k + 1] - r.tai_minus_eal_ns[k];
            let want = -v * (b - a) as f64 * 86_400e9;
            assert!((moved - want).abs() < 1e-6, "{moved} vs {want}");
        }
        assert_eq!(c.section2.next.1, r.frequency.eal_minus_tai_next);
        // Section 3: every used evaluation's d against the truth of TAI.
        let n = r.mjds.len() - 1;
        assert_eq!(c.section3.period, (r.mjds[0], r.mjds[n]));
        let tai = |mjd: i64| -> f64 {
            // TAI − ideal = (TAI − EAL) + (EAL − R) + (R − ideal), the first
            // two interpolated between the dates.
            let k = r.mjds.partition_point(|&m| m <= mjd).clamp(1, n);
            let (m0, m1) = (r.mjds[k - 1], r.mjds[k]);
            let f = (mjd - m0) as f64 / (m1 - m0) as f64;
            let at = |i: usize| r.tai_minus_eal_ns[i] + r.eal_minus_pivot_ns[i];
            at(k - 1) + (at(k) - at(k - 1)) * f + sim.lab_truth_on(0, &[mjd])[0]
        };
        let mut weights = 0.0;
        for row in c.section3.rows.iter().filter(|row| row.note.is_none()) {
            let t = (row.mjd_end - row.mjd_start) as f64 * 86_400e9;
            let d_true = -(tai(row.mjd_end) - tai(row.mjd_start)) / t;
            let (d, u) = (row.d.unwrap(), row.u.unwrap());
            z.push((d - d_true) / u);
            // The components combine to u with the EAL transfer term.
            let parts = [row.u_a, row.u_b, row.u_l_lab, row.u_l_tai].map(Option::unwrap);
            let sum: f64 = parts.iter().map(|p| p * p).sum();
            assert!(u * u >= sum * (1.0 - 1e-12), "{row:?}");
            assert!(
                parts[1] > 0.0,
                "the simulated fountains report u_B: {row:?}"
            );
            weights += row.weight.unwrap();
        }
        assert!(weights <= 1.0 + 1e-9, "{weights}");
        // Section 5: one link per laboratory but the pivot, with its u_A and u_B.
        assert_eq!(c.section5.rows.len(), sim.labs.len() - 1);
        for row in &c.section5.rows {
            let l = sim.link_readings.iter().find(|l| l.lab == row.lab).unwrap();
            assert_eq!(row.pivot, sim.labs[0]);
            assert!((row.ua_ns - l.ua_ns).abs() < 1e-12 && (row.ub_ns - l.ub_ns).abs() < 1e-12);
        }
        // The CSV carries every row of every section.
        let csv = c.render_csv();
        let rows_after = |mark: &str| {
            csv.split(mark)
                .nth(1)
                .unwrap()
                .lines()
                .skip(1)
                .take_while(|l| !l.starts_with("#section="))
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .count()
        };
        assert_eq!(rows_after("#section=2"), c.section2.intervals.len() + 1);
        assert_eq!(rows_after("#section=3"), c.section3.rows.len() + 1);
        assert_eq!(rows_after("#section=5"), c.section5.rows.len() + 1);
    }
    assert!(z.len() >= 10, "{z:?}");
    let rms = (z.iter().map(|v| v * v).sum::<f64>() / z.len() as f64).sqrt();
    assert!(rms < 2.0, "normalised errors of the evaluations' d: {z:?}");
}

#[test]
fn section_3_columns_line_up_under_their_titles() {
    let sim = split_sim();
    let leap = LeapTable::parse(&data("leapseconds/leap-seconds.list")).unwrap();
    let r = months(&sim, 2, &leap).pop().unwrap();
    let text = r.circular_t_text();
    let sec3: Vec<&str> = text
        .split("3 - Duration of the TAI scale interval")
        .nth(1)
        .unwrap()
        .split("5 - Time links")
        .next()
        .unwrap()
        .lines()
        .collect();
    let header = sec3.iter().find(|l| l.contains("Standard")).unwrap();
    let end = header.find("Weight").unwrap() + "Weight".len();
    let rows: Vec<&&str> = sec3
        .iter()
        .filter(|l| {
            r.psfs
                .iter()
                .any(|p| l.trim_start().starts_with(&p.standard))
        })
        .collect();
    assert!(!rows.is_empty(), "{text}");
    for row in rows {
        if !row.contains("not used") {
            assert_eq!(row.len(), end, "{row:?} vs {header:?}");
        }
    }
    assert!(text.contains("d = "), "{text}");
}

#[test]
fn an_announced_leap_second_is_stated() {
    let sim = Simulation::run(&SimConfig {
        labs: 4,
        clocks: 8,
        days: 40,
        ..SimConfig::default()
    });
    // A table that announces a leap second at the end of June 2024.
    let july = Date::new(2024, 7, 1).unwrap().mjd();
    let leap = LeapTable::from_steps(
        vec![
            LeapStep {
                mjd: Date::new(2017, 1, 1).unwrap().mjd(),
                tai_minus_utc: 37,
            },
            LeapStep {
                mjd: july,
                tai_minus_utc: 38,
            },
        ],
        None,
    )
    .unwrap();
    let r = months(&sim, 1, &leap).pop().unwrap();
    let notice = r.leap_second.unwrap();
    assert_eq!(
        (notice.mjd, notice.tai_minus_utc_s, notice.previous_s),
        (july, 38, 37)
    );
    let text = r.circular_t_text();
    assert!(
        text.contains("a positive leap second will be introduced at the end of 2024 June 30; from 2024 July 1, 0h UTC, TAI-UTC = 38 s."),
        "{text}"
    );
    assert!(r.circular_t().render_csv().contains("# leap_second mjd="));
    // The IERS table announces nothing after 2017: no notice.
    let iers = LeapTable::parse(&data("leapseconds/leap-seconds.list")).unwrap();
    assert_eq!(months(&sim, 1, &iers)[0].leap_second, None);
}
