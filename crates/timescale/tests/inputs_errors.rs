//! CSV readers and the engine's typed errors: every bad input names its
//! file and line, and nothing panics (proptest on arbitrary text).
use std::path::PathBuf;

use proptest::prelude::*;
use sevres_timescale::algos::{compute_month, ClockStatus, Config, Error, Inputs, Policy, State};
use sevres_timescale::inputs::{
    read_clocks, read_links, read_psfs, write_clocks, write_links, write_psfs,
};
use sevres_timescale::leap::LeapTable;
use sevres_timescale::sim::{SimConfig, Simulation};

fn leap() -> LeapTable {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata/time/leapseconds/leap-seconds.list"
    ));
    LeapTable::parse(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn sim() -> Simulation {
    Simulation::run(&SimConfig {
        labs: 4,
        clocks: 12,
        days: 70,
        ..SimConfig::default()
    })
}

/// January 2024 from CSV texts.
fn january(clocks: &str, links: &str, psfs: &str) -> Result<Inputs, String> {
    Ok(Inputs {
        year: 2024,
        month: 1,
        clocks: read_clocks("clocks.csv", clocks).map_err(|e| e.to_string())?,
        links: read_links("links.csv", links).map_err(|e| e.to_string())?,
        psfs: read_psfs("psfs.csv", psfs).map_err(|e| e.to_string())?,
        leap: leap(),
        locations: Default::default(),
    })
}

#[test]
fn csv_round_trip_through_the_readers() {
    let s = sim();
    let c = read_clocks("c", &write_clocks(&s.clock_readings)).unwrap();
    let l = read_links("l", &write_links(&s.link_readings)).unwrap();
    let p = read_psfs("p", &write_psfs(&s.psfs)).unwrap();
    assert_eq!(c.len(), s.clock_readings.len());
    assert_eq!(l.len(), s.link_readings.len());
    assert_eq!(p.len(), s.psfs.len());
    for (a, b) in c.iter().zip(&s.clock_readings) {
        assert_eq!((a.mjd, &a.lab, &a.clock), (b.mjd, &b.lab, &b.clock));
        assert!((a.x_ns - b.x_ns).abs() < 1e-4);
        assert_eq!(
            a.source.line, b.source.line,
            "line numbers follow the header"
        );
    }
    for (a, b) in p.iter().zip(&s.psfs) {
        assert_eq!(a.y, b.y);
        assert_eq!(a.u_y, b.u_y);
    }
    // The month computes the same from the CSV text as from memory.
    let inputs = january(
        &write_clocks(&s.clock_readings),
        &write_links(&s.link_readings),
        &write_psfs(&s.psfs),
    )
    .unwrap();
    let (r, _) = compute_month(&inputs, &State::new(), &Config::default()).unwrap();
    assert_eq!(
        r.mjds,
        vec![60_309, 60_314, 60_319, 60_324, 60_329, 60_334, 60_339]
    );
    assert_eq!(r.weighted_clocks, 12);
}

#[test]
fn reader_errors_name_file_and_line() {
    let cases: [(&str, &str, usize, &str); 9] = [
        (
            "c",
            "mjd,lab,clock,x_ns\n60309,PTB,H1,1.0\n60314,PTB,H1\n",
            3,
            "expected 4 fields",
        ),
        ("c", "# comment\n\n60309,PTB,H1,nan\n", 3, "not finite"),
        ("c", "60309,PTB,H1,inf\n", 1, "not finite"),
        ("c", "60309.5,PTB,H1,1\n", 1, "whole MJD"),
        ("c", "60309,,H1,1\n", 1, "lab is empty"),
        ("c", "mjd,lab,x_ns,clock\n", 1, "header"),
        ("l", "60309,AOS,PTB,1.0,-0.5,2\n", 1, "negative"),
        (
            "p",
            "60309,60300,F1,PTB,1e-16,2e-16\n",
            1,
            "after mjd_start",
        ),
        ("p", "60309,60329,F1,PTB,1e-16,0\n", 1, "positive"),
    ];
    for (kind, text, line, needle) in cases {
        let e = match kind {
            "c" => read_clocks("in.csv", text).unwrap_err(),
            "l" => read_links("in.csv", text).unwrap_err(),
            _ => read_psfs("in.csv", text).unwrap_err(),
        };
        assert_eq!(e.line, line, "{text:?}: {e}");
        assert_eq!(e.file, "in.csv");
        assert!(e.to_string().contains(needle), "{e}");
        assert!(e.to_string().starts_with(&format!("in.csv:{line}:")), "{e}");
    }
}

#[test]
fn clock_jump_is_a_typed_error_at_its_line() {
    let s = sim();
    let mut clocks = s.clock_readings.clone();
    // C0005 steps in time by 250 ns from MJD 60324 on.
    for r in clocks
        .iter_mut()
        .filter(|r| r.clock == "C0005" && r.mjd >= 60_324)
    {
        r.x_ns += 250.0;
    }
    let text = write_clocks(&clocks);
    let line = text
        .lines()
        .position(|l| l.starts_with("60324,") && l.contains(",C0005,"))
        .unwrap()
        + 1;
    let inputs = january(&text, &write_links(&s.link_readings), "").unwrap();
    match compute_month(&inputs, &State::new(), &Config::default()) {
        Err(Error::ClockJump {
            at,
            clock,
            mjd,
            jump_ns,
            ..
        }) => {
            assert_eq!((&*at.file, at.line), ("clocks.csv", line));
            assert_eq!((clock.as_str(), mjd), ("C0005", 60_324));
            assert!((jump_ns - 250.0).abs() < 20.0, "{jump_ns}");
        }
        other => panic!("{other:?}"),
    }
    // With Policy::Exclude the clock is set aside and reported.
    let config = Config {
        on_jump: Policy::Exclude,
        ..Config::default()
    };
    let (r, st) = compute_month(&inputs, &State::new(), &config).unwrap();
    let c = r.clocks.iter().find(|c| c.clock == "C0005").unwrap();
    assert_eq!((c.status, c.weight), (ClockStatus::Jump, 0.0));
    assert!(!st.clocks.keys().any(|k| k.clock == "C0005"));
}

#[test]
fn gaps_links_duplicates_and_order_are_typed_errors() {
    let s = sim();
    let links = write_links(&s.link_readings);
    // A gap inside the month.
    let gap: Vec<_> = s
        .clock_readings
        .iter()
        .filter(|r| !(r.clock == "C0002" && r.mjd == 60_319))
        .cloned()
        .collect();
    let inputs = january(&write_clocks(&gap), &links, "").unwrap();
    match compute_month(&inputs, &State::new(), &Config::default()) {
        Err(Error::MissingEpoch {
            file, clock, mjd, ..
        }) => {
            assert_eq!(
                (file.as_str(), clock.as_str(), mjd),
                ("clocks.csv", "C0002", 60_319)
            )
        }
        other => panic!("{other:?}"),
    }
    let config = Config {
        on_missing: Policy::Exclude,
        ..Config::default()
    };
    let (r, _) = compute_month(&inputs, &State::new(), &config).unwrap();
    let c = r.clocks.iter().find(|c| c.clock == "C0002").unwrap();
    assert_eq!(c.status, ClockStatus::Incomplete);
    // A missing link for a lab with clocks.
    let no_link: Vec<_> = s
        .link_readings
        .iter()
        .filter(|l| !(l.lab == "L002" && l.mjd == 60_329))
        .cloned()
        .collect();
    let clocks = write_clocks(&s.clock_readings);
    let inputs = january(&clocks, &write_links(&no_link), "").unwrap();
    match compute_month(&inputs, &State::new(), &Config::default()) {
        Err(Error::MissingLink { at, lab, mjd }) => {
            assert_eq!((lab.as_str(), mjd), ("L002", 60_329));
            assert_eq!(&*at.file, "clocks.csv");
            assert!(clocks
                .lines()
                .nth(at.line - 1)
                .unwrap()
                .starts_with("60329,L002,"));
        }
        other => panic!("{other:?}"),
    }
    // A duplicated reading.
    let dup = format!("{clocks}60309,L001,C0001,5.0\n");
    let inputs = january(&dup, &links, "").unwrap();
    match compute_month(&inputs, &State::new(), &Config::default()) {
        Err(Error::Duplicate { at, first, .. }) => {
            assert_eq!(at.line, dup.lines().count());
            assert!(first.line < at.line);
        }
        other => panic!("{other:?}"),
    }
    // Two pivots.
    let two = format!("{links}60309,L003,L001,1.0,0.5,2.0\n");
    let inputs = january(&clocks, &two, "").unwrap();
    assert!(matches!(
        compute_month(&inputs, &State::new(), &Config::default()),
        Err(Error::PivotMismatch { .. })
    ));
    // Months out of order.
    let inputs = january(&clocks, &links, "").unwrap();
    let (_, st) = compute_month(&inputs, &State::new(), &Config::default()).unwrap();
    assert!(matches!(
        compute_month(&inputs, &st, &Config::default()),
        Err(Error::StateMismatch { .. })
    ));
    // Non-finite values built in memory (not through a reader).
    let mut inputs = january(&clocks, &links, "").unwrap();
    inputs.clocks[3].x_ns = f64::NAN;
    assert!(matches!(
        compute_month(&inputs, &State::new(), &Config::default()),
        Err(Error::NonFinite { .. })
    ));
    // An expired leap-second table.
    let mut inputs = january(&clocks, &links, "").unwrap();
    inputs.year = 2030;
    assert!(matches!(
        compute_month(&inputs, &State::new(), &Config::default()),
        Err(Error::Leap(_))
    ));
    // A bad configuration.
    let bad = Config {
        max_weight_a: 0.5,
        ..Config::default()
    };
    assert!(matches!(
        compute_month(&january(&clocks, &links, "").unwrap(), &State::new(), &bad),
        Err(Error::InvalidConfig(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn readers_never_panic(text in "[-0-9a-zA-Z,.#\" \\n\\t]{0,300}") {
        let _ = read_clocks("f", &text);
        let _ = read_links("f", &text);
        let _ = read_psfs("f", &text);
    }

    #[test]
    fn garbled_clock_files_give_errors_or_results_never_panics(
        cut in 0usize..4000,
        junk in "[-0-9,.e ]{0,12}",
    ) {
        let s = sim();
        let mut text = write_clocks(&s.clock_readings);
        let cut = cut.min(text.len());
        text.insert_str(cut, &junk);
        if let Ok(inputs) = january(&text, &write_links(&s.link_readings), "") {
            let _ = compute_month(&inputs, &State::new(), &Config::default());
        }
    }
}

#[test]
fn optional_columns_link_type_and_psfs_components() {
    // Links: the seventh column names the technique; `-` or nothing is none.
    let links = read_links(
        "l.csv",
        "mjd,lab,pivot,x_ns,ua_ns,ub_ns,type\n60309,B,A,1.0,0.3,2.0,TWSTFT\n60314,B,A,1.0,0.3,2.0,-\n60319,B,A,1.0,0.3,2.0\n",
    )
    .unwrap();
    let kinds: Vec<Option<&str>> = links.iter().map(|l| l.kind.as_deref()).collect();
    assert_eq!(kinds, [Some("TWSTFT"), None, None]);
    assert_eq!(read_links("l.csv", &write_links(&links)).unwrap(), {
        let mut l = links.clone();
        for (i, r) in l.iter_mut().enumerate() {
            r.source.line = i + 2;
        }
        l
    });
    // PSFS: the components come together and combine to u_y.
    let p = read_psfs(
        "p.csv",
        "mjd_start,mjd_end,standard,lab,y,u_y,u_a,u_b,u_l_lab\n60312,60332,F1,A,1e-15,5e-16,3e-16,4e-16,0\n",
    )
    .unwrap();
    let c = p[0].components.unwrap();
    assert_eq!((c.u_a, c.u_b, c.u_l_lab), (3e-16, 4e-16, 0.0));
    assert_eq!(
        read_psfs("p.csv", &write_psfs(&p)).unwrap()[0].components,
        Some(c)
    );
    for (row, why) in [
        (
            "60312,60332,F1,A,1e-15,5e-16,3e-16,4e-16",
            "all of u_a, u_b, u_l_lab",
        ),
        (
            "60312,60332,F1,A,1e-15,9e-16,3e-16,4e-16,0",
            "does not combine",
        ),
        (
            "60312,60332,F1,A,1e-15,5e-16,3e-16,-4e-16,0",
            "u_b must not be negative",
        ),
        (
            "60312,60332,F1,A,1e-15,5e-16,3e-16,4e-16,0,9",
            "expected 6 to 9 fields",
        ),
    ] {
        let e = read_psfs("p.csv", &format!("# c\n{row}\n")).unwrap_err();
        assert_eq!(e.line, 2, "{row}");
        assert!(e.reason.contains(why), "{row}: {e}");
    }
}
