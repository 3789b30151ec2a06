//! `sevres cmc` end to end: generate synthetic CMCs, convert them between JSON, CSV and JSON-LD,
//! ask the DC-voltage question of a file and of a database the CMCs were imported into.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn sevres(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_sevres"))
        .args(args)
        .output()
        .expect("sevres starts");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

const QUESTION: [&str; 6] = [
    "--facet",
    "quantity=DC voltage",
    "--at",
    "0.01 kV",
    "--max-u",
    "1 µV/V",
];

#[test]
fn generate_convert_search_and_import() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("cmcs.json");
    let csv = dir.path().join("cmcs.csv");
    std::fs::write(
        &json,
        sevres(&["cmc", "generate", "--count", "3000", "--seed", "9"]),
    )
    .unwrap();
    sevres(&[
        "cmc",
        "convert",
        path(&json),
        "--to",
        "csv",
        "--out",
        path(&csv),
    ]);
    let ld: Value =
        serde_json::from_str(&sevres(&["cmc", "convert", path(&csv), "--to", "jsonld"])).unwrap();
    assert_eq!(ld["@graph"].as_array().unwrap().len(), 3000);

    // The same answer from JSON and from CSV.
    let search = |source: &str| -> Value {
        let mut args = vec!["cmc", "search", "--cmcs", source, "--limit", "1000"];
        args.extend(QUESTION);
        serde_json::from_str(&sevres(&args)).unwrap()
    };
    let from_json = search(path(&json));
    assert!(from_json["total"].as_u64().unwrap() > 0, "{from_json}");
    assert_eq!(search(path(&csv))["total"], from_json["total"]);
    for hit in from_json["hits"].as_array().unwrap() {
        assert_eq!(hit["record"]["quantityValue"], "DC voltage");
        assert_eq!(hit["uncertainty"]["unit"], "kV");
    }

    // Imported into a database (as synthetic), then asked of the database folder and file.
    let data = dir.path().join("data");
    let import: Value = serde_json::from_str(&sevres(&[
        "cmc",
        "import",
        path(&json),
        "--data",
        path(&data),
        "--synthetic",
    ]))
    .unwrap();
    assert_eq!(
        (import["count"].as_u64(), import["added"].as_u64()),
        (Some(3000), Some(3000))
    );
    let from_db = search(path(&data));
    assert_eq!(from_db["total"], from_json["total"]);
    assert_eq!(from_db["hits"][0]["synthetic"], true);
    assert_eq!(
        search(path(&data.join("sevres.db")))["total"],
        from_json["total"]
    );

    // A facet that does not exist is refused by name.
    let out = Command::new(env!("CARGO_BIN_EXE_sevres"))
        .args([
            "cmc",
            "search",
            "--cmcs",
            path(&json),
            "--facet",
            "colour=red",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("colour"));
}
