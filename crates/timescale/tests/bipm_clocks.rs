//! The BIPM clock-data format (the column layout of the BIPM's checker,
//! TheBIPM/check_bipm_data): reading, writing, detection, errors naming
//! line and field, and a month computed from it.
use std::collections::BTreeMap;
use std::path::PathBuf;

use sevres_timescale::algos::{compute_month, Config, Inputs, State};
use sevres_timescale::inputs::{
    looks_like_bipm_clocks, read_bipm_clocks, read_clocks, write_bipm_clocks, ClockReading,
};
use sevres_timescale::leap::LeapTable;
use sevres_timescale::sim::{SimConfig, Simulation};

/// A file in the layout: header lines, two clock lines for one date (six
/// clocks), one for the next, and a declared step.
const FILE: &str = "\
LAB XYZ  CLOCK DATA  MJD 60309-60314
  MJD  LAB   CLOCK     UTC(k)-CLOCK/ns
60309 00042 1412345     -12.3 1412346   10045.6 4010001      -0.4 4010002       3.0 1412347  -99999.9
60309 00042 4010003     123.4
60314 00042 1412345     -12.8
60311.50 4010001      12.0       0.5    XYZ  00042
";

#[test]
fn a_file_in_the_column_layout_reads() {
    assert!(looks_like_bipm_clocks(FILE));
    let f = read_bipm_clocks("clk.dat", FILE, &BTreeMap::new()).unwrap();
    let got: Vec<(i64, &str, &str, f64, usize)> = f
        .readings
        .iter()
        .map(|r| {
            (
                r.mjd,
                r.lab.as_str(),
                r.clock.as_str(),
                r.x_ns,
                r.source.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (60309, "XYZ", "1412345", -12.3, 3),
            (60309, "XYZ", "1412346", 10045.6, 3),
            (60309, "XYZ", "4010001", -0.4, 3),
            (60309, "XYZ", "4010002", 3.0, 3),
            (60309, "XYZ", "1412347", -99999.9, 3),
            (60309, "XYZ", "4010003", 123.4, 4),
            (60314, "XYZ", "1412345", -12.8, 5),
        ]
    );
    assert_eq!(f.jumps.len(), 1);
    let j = &f.jumps[0];
    assert_eq!(
        (j.mjd, j.clock.as_str(), j.lab.as_str(), j.lab_code.as_str()),
        (60311.5, "4010001", "XYZ", "00042")
    );
    assert_eq!(
        (j.time_step, j.frequency_step, j.source.line),
        (12.0, 0.5, 6)
    );
    // An explicit name wins over the jump line's acronym.
    let names = BTreeMap::from([("00042".to_string(), "LAB-K".to_string())]);
    let f = read_bipm_clocks("clk.dat", FILE, &names).unwrap();
    assert!(f.readings.iter().all(|r| r.lab == "LAB-K"));
    // Without either, the code stands for the laboratory.
    let no_jump: String = FILE.lines().take(5).collect::<Vec<_>>().join("\n");
    let f = read_bipm_clocks("clk.dat", &no_jump, &BTreeMap::new()).unwrap();
    assert!(f.readings.iter().all(|r| r.lab == "00042"));
    // CSV is not taken for it.
    assert!(!looks_like_bipm_clocks(
        "mjd,lab,clock,x_ns\n60309,PTB,H1,1.0\n"
    ));
    assert!(!looks_like_bipm_clocks(""));
}

#[test]
fn a_bad_field_is_named_with_its_line_and_columns() {
    let cases = [
        ("60309 0042X 1412345     -12.3", "laboratory code (columns 7-11)"),
        ("60309 00042 141234X     -12.3", "clock 1 code (columns 13-19)"),
        ("60309 00042 1412345     -12.3 1412346     12.x5", "clock 2 value (columns 39-47)"),
        ("60309 00042 1412345         ", "clock 1 value (columns 21-29)"),
        ("60309 00042", "at least one clock"),
        ("60309-00042 1412345     -12.3", "column 6 must be blank"),
        ("60309 00042 1412345X    -12.3", "clock 1 (column 20) must be blank"),
        ("60311.50 401000X      12.0       0.5    XYZ  00042", "clock code (columns 10-16)"),
        ("60311.50 4010001      12.0       x.5    XYZ  00042", "frequency step (columns 28-36)"),
        ("60311.50 4010001      12.0       0.5    XYZ  0042", "laboratory code (columns 46-50)"),
        (
            "60309 00042 1412345      -1.0 1412345      -1.0 1412345      -1.0 1412345      -1.0 1412345      -1.0 9",
            "more than five clocks",
        ),
        ("60309 00042 1412345     -12.3 é", "ASCII"),
    ];
    for (line, field) in cases {
        let text = format!("header\n{line}\n");
        let e = read_bipm_clocks("clk.dat", &text, &BTreeMap::new()).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("clk.dat", 2), "{line}: {e}");
        assert!(e.reason.contains(field), "{line}: {e}");
    }
}

fn leap() -> LeapTable {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata/time/leapseconds/leap-seconds.list"
    ));
    LeapTable::parse(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn a_month_computes_the_same_from_the_bipm_format() {
    let sim = Simulation::run(&SimConfig {
        labs: 4,
        clocks: 16,
        days: 40,
        ..SimConfig::default()
    });
    // Clock codes: 7 digits; values to the format's 0.1 ns.
    let code = |name: &str| {
        format!(
            "40{:05}",
            name.trim_start_matches('C').parse::<u32>().unwrap()
        )
    };
    let rounded: Vec<ClockReading> = sim
        .clock_readings
        .iter()
        .map(|r| ClockReading {
            clock: code(&r.clock),
            x_ns: (r.x_ns * 10.0).round() / 10.0,
            ..r.clone()
        })
        .collect();
    // One BIPM file per laboratory, as the laboratories send them.
    let mut names = BTreeMap::new();
    let mut from_files = Vec::new();
    for (i, lab) in sim.labs.iter().enumerate() {
        let lab_code = format!("{:05}", i + 1);
        names.insert(lab_code.clone(), lab.clone());
        let mine: Vec<ClockReading> = rounded.iter().filter(|r| &r.lab == lab).cloned().collect();
        let text = write_bipm_clocks(&lab_code, &mine).unwrap();
        assert!(looks_like_bipm_clocks(&text));
        from_files.extend(read_bipm_clocks(lab, &text, &names).unwrap().readings);
    }
    let month = |clocks: Vec<ClockReading>| {
        let inputs = Inputs {
            year: 2024,
            month: 1,
            clocks,
            links: sim.link_readings.clone(),
            psfs: sim.psfs.clone(),
            leap: leap(),
            locations: Default::default(),
        };
        compute_month(&inputs, &State::new(), &Config::default())
            .unwrap()
            .0
    };
    let a = month(rounded.clone());
    let b = month(from_files);
    assert_eq!(a.labs, b.labs);
    assert_eq!(a.clocks, b.clocks);
    // And the CSV reader of the same values agrees.
    let csv = sevres_timescale::inputs::write_clocks(&rounded);
    assert_eq!(month(read_clocks("c.csv", &csv).unwrap()).labs, a.labs);
    // Values that do not fit the format are refused by the writer.
    let mut wide = rounded[0].clone();
    wide.x_ns = 1e9;
    assert_eq!(write_bipm_clocks("00001", &[wide]), None);
    assert_eq!(write_bipm_clocks("1", &rounded[..1]), None);
}
