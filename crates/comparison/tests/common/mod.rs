//! Shared helpers of the integration tests: loading the external test data
//! (`shared/testdata/comparisons`, see its SOURCES.md) and building inputs.

#![allow(dead_code)] // each test binary uses a different subset of the helpers

use serde_json::Value;
use sevres_comparison::{ComparisonInput, Participant};

/// Directory of the shared comparison test data, beside the checkout.
pub(crate) const DATA_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/comparisons"
);

/// Parses one data file.
pub(crate) fn load(name: &str) -> Value {
    let path = format!("{DATA_DIR}/{name}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// All data files with a non-empty participant list.
pub(crate) fn files_with_participants() -> Vec<(String, Value)> {
    let mut names: Vec<String> = std::fs::read_dir(DATA_DIR)
        .expect("test data directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let v = load(&n);
            (n, v)
        })
        .filter(|(_, v)| v["participants"].as_array().is_some_and(|p| !p.is_empty()))
        .collect()
}

/// Participants of a data file as an input (all fields the schema defines).
pub(crate) fn input(v: &Value) -> ComparisonInput {
    let participants = v["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .map(|p| Participant {
            lab: p["lab"].as_str().expect("lab").into(),
            x: p["x"].as_f64().expect("x"),
            u: p["u"].as_f64().expect("u"),
            k: p["k"].as_f64(),
            expanded_u: p["U"].as_f64(),
            dof: p["dof"].as_f64(),
            in_reference: p["in_reference"].as_bool().unwrap_or(true),
        })
        .collect();
    ComparisonInput::new(participants)
}

/// A number from a JSON path.
pub(crate) fn num(v: &Value, path: &[&str]) -> f64 {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    cur.as_f64()
        .unwrap_or_else(|| panic!("missing number at {path:?}"))
}

/// Relative difference `|a − b| / |b|`.
pub(crate) fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

/// Asserts `|a − b| ≤ tol·|b|`.
#[track_caller]
pub(crate) fn assert_rel(what: &str, a: f64, b: f64, tol: f64) {
    assert!(
        rel(a, b) <= tol,
        "{what}: got {a:e}, expected {b:e} (relative difference {:e} > {tol:e})",
        rel(a, b)
    );
}

/// Asserts `|a − b| ≤ tol`.
#[track_caller]
pub(crate) fn assert_abs(what: &str, a: f64, b: f64, tol: f64) {
    assert!(
        (a - b).abs() <= tol,
        "{what}: got {a:e}, expected {b:e} (difference {:e} > {tol:e})",
        (a - b).abs()
    );
}

/// Half a unit in the last decimal shown by the shortest representation of a
/// published (rounded) figure, e.g. 0.13 → 0.005, 16 → 0.5.
pub(crate) fn half_unit(published: f64) -> f64 {
    let s = format!("{published}");
    let decimals = s.split('.').nth(1).map_or(0, str::len);
    0.5 * 10f64.powi(-(decimals as i32))
}
