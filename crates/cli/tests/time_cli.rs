//! `sevres time utc compute | leap | cggtts check` as a UTC laboratory runs them, on the real
//! files of `../shared/testdata/time/` and on a simulated clock ensemble written as CSV.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use sevres_timescale::inputs;
use sevres_timescale::sim::{SimConfig, Simulation};

fn testdata(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/testdata/time/")
        .join(path)
}

fn sevres(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sevres"))
        .args(args)
        .output()
        .expect("sevres starts")
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn leap_reads_the_iers_table() {
    let table = testdata("leapseconds/leap-seconds.list");
    // The table's last entry, read from the file itself: "<NTP seconds> <TAI-UTC> # 1 Jan 2017".
    let text = std::fs::read_to_string(&table).unwrap();
    let last: i64 = text
        .lines()
        .rfind(|l| !l.starts_with('#') && !l.trim().is_empty())
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap()
        .parse()
        .unwrap();
    let ask = |utc: &str| {
        let out = sevres(&["time", "leap", "--table", path(&table), "--utc", utc]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["tai_minus_utc"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(ask("2017-01-01T00:00:00"), last);
    // 23:59:60 is the last second of the day before the new offset holds.
    assert_eq!(ask("2016-12-31T23:59:60"), last - 1);
    // No leap second at the end of 2017: 23:59:60 does not exist.
    let out = sevres(&[
        "time",
        "leap",
        "--table",
        path(&table),
        "--utc",
        "2017-12-31T23:59:60",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("23:59:60"));
}

#[test]
fn cggtts_check_reports_every_problem_with_its_line() {
    let good = testdata("cggtts/EZGTR60.258");
    let out = sevres(&["time", "cggtts", "check", path(&good)]);
    assert!(out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["valid"], true);
    assert!(report["tracks"].as_u64().unwrap() > 0);
    // The GLONASS example has its columns collapsed: its header checksum cannot verify.
    let bad = testdata("cggtts/RZSY8257.000");
    let out = sevres(&["time", "cggtts", "check", path(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["valid"], false);
    assert!(report["errors"][0]["line"].as_u64().unwrap() > 0);
}

#[test]
fn utc_compute_carries_the_state_from_month_to_month() {
    let sim = Simulation::run(&SimConfig {
        days: 70,
        ..SimConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let clocks = write("clocks.csv", inputs::write_clocks(&sim.clock_readings));
    let links = write("links.csv", inputs::write_links(&sim.link_readings));
    let psfs = write("psfs.csv", inputs::write_psfs(&sim.psfs));
    let leap = testdata("leapseconds/leap-seconds.list");
    let state = dir.path().join("state");
    let compute = |month: &str, format: &str| {
        let out = sevres(&[
            "time",
            "utc",
            "compute",
            "--clocks",
            path(&clocks),
            "--links",
            path(&links),
            "--psfs",
            path(&psfs),
            "--leap",
            path(&leap),
            "--month",
            month,
            "--state",
            path(&state),
            "--format",
            format,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let january: Value = serde_json::from_str(&compute("2024-01", "json")).unwrap();
    let rows = january["section1"].as_array().unwrap();
    assert_eq!(rows.len(), sim.labs.len());
    for mjd in january["mjd"].as_array().unwrap() {
        assert_eq!(
            mjd.as_i64().unwrap() % 5,
            4,
            "Circular T dates are MJD ≡ 4 mod 5"
        );
    }
    let after_january = std::fs::read_to_string(state.join("state.txt")).unwrap();
    let text = compute("2024-02", "text");
    let after_february = std::fs::read_to_string(state.join("state.txt")).unwrap();
    assert_ne!(after_january, after_february);
    for lab in &sim.labs {
        assert!(text.contains(lab.as_str()), "{lab} missing from Circular T");
    }
    // A missing input file is an error naming it.
    let out = sevres(&[
        "time",
        "utc",
        "compute",
        "--clocks",
        "nope.csv",
        "--links",
        path(&links),
        "--psfs",
        path(&psfs),
        "--leap",
        path(&leap),
        "--month",
        "2024-03",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.csv"));
}

#[test]
fn common_view_of_a_station_with_itself_is_zero() {
    let file = testdata("cggtts/EZGTR60.258");
    let out = sevres(&["time", "cggtts", "common-view", path(&file), path(&file)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let epochs: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!epochs.is_empty());
    for e in &epochs {
        assert_eq!(e["mean_ns"].as_f64(), Some(0.0));
        assert!(e["satellites"].as_u64().unwrap() >= 1);
    }
}
