//! Checks the layering invariants of ARCHITECTURE.md from `cargo metadata`: the pure library
//! crates never depend, directly or transitively, on an async runtime, a database driver or an
//! HTTP framework.

use std::collections::{BTreeSet, HashMap};
use std::process::Command;

const PURE_CRATES: &[&str] = &[
    "sevres-si",
    "sevres-comparison",
    "sevres-timescale",
    "sevres-kcdb",
    "sevres-cmc",
    "sevres-dcc",
    "sevres-xmldsig",
];
const FORBIDDEN: &[&str] = &["tokio", "sqlx", "axum", "hyper", "reqwest", "async-std"];

#[test]
fn pure_crates_do_no_io() {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let names: HashMap<&str, &str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    // Normal (non-dev, non-build) dependency edges of the resolved graph.
    let edges: HashMap<&str, Vec<&str>> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| {
            let deps = node["deps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| {
                    d["dep_kinds"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|k| k["kind"].is_null())
                })
                .map(|d| d["pkg"].as_str().unwrap())
                .collect();
            (node["id"].as_str().unwrap(), deps)
        })
        .collect();
    for pure in PURE_CRATES {
        let root = names.iter().find(|(_, n)| *n == pure).map(|(id, _)| *id);
        let Some(root) = root else {
            panic!("{pure} is not in the workspace")
        };
        let mut seen = BTreeSet::new();
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            if seen.insert(id) {
                stack.extend(edges.get(id).into_iter().flatten().copied());
            }
        }
        let bad: Vec<_> = seen
            .iter()
            .map(|id| names[id])
            .filter(|n| FORBIDDEN.contains(n))
            .collect();
        assert!(bad.is_empty(), "{pure} depends on {bad:?}");
    }
}
