//! `sevres-kcdb` is a pure library (ARCHITECTURE.md): it never depends, directly or
//! transitively, on an async runtime, a database driver or an HTTP framework. Checked on the
//! resolved dependency graph of `cargo metadata` (normal dependencies only).

use std::collections::{BTreeSet, HashMap};
use std::process::Command;

const FORBIDDEN: &[&str] = &["tokio", "sqlx", "axum", "hyper", "reqwest", "async-std"];

#[test]
fn kcdb_does_no_io() {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1"])
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
    let root = names
        .iter()
        .find(|(_, n)| **n == "sevres-kcdb")
        .map(|(id, _)| *id)
        .expect("sevres-kcdb in the workspace");
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
    assert!(bad.is_empty(), "sevres-kcdb depends on {bad:?}");
    // The source does no file, network or process I/O either.
    for file in [
        "lib.rs",
        "access.rs",
        "chart.rs",
        "doe.rs",
        "export.rs",
        "id.rs",
        "latex.rs",
        "model.rs",
        "unit.rs",
        "import/mod.rs",
        "import/fair.rs",
        "import/nmid.rs",
        "import/data.rs",
    ] {
        let text =
            std::fs::read_to_string(format!("{}/src/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        for io in [
            "std::fs",
            "std::net",
            "std::process",
            "File::open",
            "async fn",
        ] {
            assert!(!text.contains(io), "{file} uses {io}");
        }
    }
}
