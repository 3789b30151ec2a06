//! The `sevres` binary as a user runs it: JSON Lines through stdin and stdout, exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn sevres(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sevres"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sevres starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn convert_answers_every_line_in_order() {
    let input = concat!(
        r#"{"value": 1.5, "from": "km", "to": "m"}"#,
        "\n",
        "not json\n",
        r#"{"value": 1, "from": "kg", "to": "s"}"#,
        "\n",
        r#"{"value": 100, "from": "Cel", "to": "K"}"#,
        "\n",
        r#"{"value": 1, "from": "m/", "to": "m"}"#,
        "\n",
    );
    let lines = json_lines(&sevres(&["units", "convert", "--notation", "ucum"], input));
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["value"], 1500.0);
    assert!(lines[1]["error"].is_string());
    assert!(
        lines[2]["error"].as_str().unwrap().contains("dimension")
            || lines[2]["error"]
                .as_str()
                .unwrap()
                .contains("commensurable"),
        "{}",
        lines[2]
    );
    assert!((lines[3]["value"].as_f64().unwrap() - 373.15).abs() < 1e-12);
    assert!(
        lines[4]["error"].as_str().unwrap().contains("at 2"),
        "{}",
        lines[4]
    );
}

#[test]
fn validate_reports_dimension_and_factor() {
    let lines = json_lines(&sevres(
        &["units", "validate", "--notation", "si"],
        "kg m s^-2\nkm/h\n°C\nm//s\n",
    ));
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[0]["dimension"], "T^-2 L M");
    assert_eq!(lines[0]["factor"], 1.0);
    assert_eq!(lines[1]["dimension"], "T^-1 L");
    // 1 km/h = 1000/3600 m/s.
    assert!((lines[1]["factor"].as_f64().unwrap() - 1000.0 / 3600.0).abs() < 1e-15);
    assert_eq!(lines[2]["valid"], true);
    assert_eq!(lines[3]["valid"], false);
    assert!(lines[3]["error"].as_str().unwrap().starts_with("at "));
}

#[test]
fn translate_between_notations() {
    let lines = json_lines(&sevres(
        &["units", "translate", "--from", "sirp", "--to", "si"],
        "km.h-1\nkg.m2.s-3\nnonsense-\n",
    ));
    assert!(lines[0]["expr"].is_string(), "{}", lines[0]);
    assert!(lines[1]["expr"].is_string(), "{}", lines[1]);
    assert!(lines[2]["error"].is_string());
}

#[test]
fn unknown_notation_is_a_usage_error() {
    let output = sevres(&["units", "convert", "--notation", "klingon"], "");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("klingon"));
}

#[test]
fn si_dump_verifies_against_its_digest_and_tampering_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let dump = sevres(&["si", "dump"], "");
    assert!(dump.status.success());
    let path = dir.path().join("si.json");
    std::fs::write(&path, &dump.stdout).unwrap();
    let ok = sevres(&["si", "verify", path.to_str().unwrap()], "");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );

    let mut tampered = dump.stdout.clone();
    let at = tampered.windows(9).position(|w| w == b"299792458").unwrap();
    tampered[at] = b'3';
    std::fs::write(&path, &tampered).unwrap();
    let bad = sevres(&["si", "verify", path.to_str().unwrap()], "");
    assert_eq!(bad.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(report["valid"], false);
}
