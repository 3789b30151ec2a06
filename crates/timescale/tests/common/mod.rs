//! Shared helpers for the Stable32 reference tests: locating and reading the
//! external reference data (Stable32 result tables and the data files).
#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;

use sevres_timescale::stability::parse_series;

/// Root of the stability reference data (outside the repository).
pub fn data_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata/time/stability"
    ))
}

/// Reads a data file (one value per line, `#` comments), decompressing
/// `.gz` files with the system `gzip` (test-only; the library does no I/O).
pub fn read_series(rel: &str) -> Vec<f64> {
    let path = data_dir().join(rel);
    let text = if rel.ends_with(".gz") {
        let out = std::process::Command::new("gzip")
            .arg("-dc")
            .arg(&path)
            .output()
            .unwrap_or_else(|e| panic!("gzip {}: {e}", path.display()));
        assert!(out.status.success(), "gzip failed on {}", path.display());
        String::from_utf8(out.stdout).expect("utf-8 data")
    } else {
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    parse_series(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One row of a Stable32 result table.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub af: usize,
    pub tau: f64,
    /// "#" column (may be printed in exponent form, e.g. Théo1).
    pub n: usize,
    /// Noise exponent column (absent for TIE/MTIE tables).
    pub alpha: Option<i32>,
    /// Min Sigma (None when Stable32 printed 0 = not computed).
    pub lo: Option<f64>,
    pub dev: f64,
    pub hi: Option<f64>,
}

/// Parses a Stable32 result table: `AF Tau # Alpha Min Sigma Max` rows, or
/// `AF Tau # Value` rows (TIE rms, MTIE). `#` lines are skipped.
pub fn read_stable32(rel: &str) -> Vec<Row> {
    let path = data_dir().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<f64> = l
                .split_whitespace()
                .map(|t| {
                    t.parse::<f64>()
                        .unwrap_or_else(|_| panic!("{rel}: bad field {t:?}"))
                })
                .collect();
            let nz = |v: f64| (v != 0.0).then_some(v);
            match f.len() {
                4 => Row {
                    af: f[0] as usize,
                    tau: f[1],
                    n: f[2].round() as usize,
                    alpha: None,
                    lo: None,
                    dev: f[3],
                    hi: None,
                },
                7 => Row {
                    af: f[0] as usize,
                    tau: f[1],
                    n: f[2].round() as usize,
                    alpha: Some(f[3] as i32),
                    lo: nz(f[4]),
                    dev: f[5],
                    hi: nz(f[6]),
                },
                k => panic!("{rel}: unexpected row with {k} fields: {l}"),
            }
        })
        .collect()
}

/// Half a unit in the last of the 5 significant digits Stable32 prints
/// (x.xxxxe±yy): the largest difference rounding alone can explain.
pub fn half_ulp5(printed: f64) -> f64 {
    let e = printed.abs().log10().floor();
    0.5 * 10f64.powf(e - 4.0)
}
