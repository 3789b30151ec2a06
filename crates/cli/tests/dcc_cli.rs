//! `sevres dcc` end to end on the real DCC examples (`../shared/testdata/dcc/examples/`): one
//! JSON line per file in argument order, the exit code, signatures against the real test chain,
//! traceability against a CMC file, and the HTML rendering.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn examples(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/testdata/dcc/examples")
        .join(rel)
        .display()
        .to_string()
}

fn sevres(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sevres"))
        .args(args)
        .output()
        .expect("sevres starts")
}

fn lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

const SIGNED: &str = "signed/dcc_gp_temperature_typical_v12_v3.2.0_signed.xml";
const MANIPULATED: &str = "signed/dcc_gp_temperature_typical_v12_v3.2.0_signed_manipulated.xml";

#[test]
fn check_reports_every_file_in_order_with_its_signature() {
    let trust = examples("signed/trusted_certs");
    let files = [
        examples("valid/dcc_gp_temperature_typical_v12.xml"),
        examples(SIGNED),
        examples(MANIPULATED),
        examples("invalid/dfm_template_temperature_v3.1.2.xml"),
        examples("v2.4.0/siliziumkugel_2_4_0.xml"),
    ];
    let mut args = vec!["dcc", "check", "--trust", trust.as_str()];
    args.extend(files.iter().map(String::as_str));
    let out = sevres(&args);
    assert_eq!(out.status.code(), Some(1), "some files are invalid");
    let reports = lines(&out);
    assert_eq!(reports.len(), files.len());
    for (report, file) in reports.iter().zip(&files) {
        assert_eq!(report["file"], file.as_str());
        for key in ["schema_version", "errors", "warnings", "traceability"] {
            assert!(report.get(key).is_some(), "{key} missing: {report}");
        }
    }
    let verdicts: Vec<(&Value, &Value)> = reports
        .iter()
        .map(|r| (&r["valid"], &r["signature"]))
        .collect();
    assert_eq!(
        verdicts,
        [
            (&Value::Bool(true), &Value::from("none")),
            (&Value::Bool(true), &Value::from("valid")),
            (&Value::Bool(false), &Value::from("invalid")),
            (&Value::Bool(false), &Value::from("none")),
            (&Value::Bool(false), &Value::from("none")),
        ]
    );
    // Every placeholder of the template is listed, not only the first.
    let placeholders = reports[3]["errors"].as_array().unwrap();
    assert!(placeholders.len() > 1, "{placeholders:?}");
    assert!(placeholders.iter().any(|e| e["line"] == 375));

    // Without the trust folder the same signature is untrusted, and the file is not valid.
    let out = sevres(&["dcc", "check", &examples(SIGNED)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out)[0]["signature"], "untrusted");

    // Every file valid: exit 0.
    let out = sevres(&[
        "dcc",
        "check",
        &examples("valid/ptb_vacuumlab-CDG_v3.1.0.xml"),
    ]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn hostile_and_missing_files_get_a_report_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let laughs = dir.path().join("laughs.xml");
    std::fs::write(
        &laughs,
        "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>\
         <l>&b;</l>",
    )
    .unwrap();
    let big = dir.path().join("big.xml");
    std::fs::write(&big, vec![b' '; 2 << 20]).unwrap();
    let missing = dir.path().join("missing.xml");
    let out = sevres(&[
        "dcc",
        "check",
        "--max-size-mib",
        "1",
        laughs.to_str().unwrap(),
        big.to_str().unwrap(),
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let codes: Vec<Value> = lines(&out)
        .iter()
        .map(|r| r["errors"][0]["code"].clone())
        .collect();
    assert_eq!(
        codes,
        ["INPUT-DOCTYPE", "INPUT-TOO-LARGE", "INPUT-READ"].map(Value::from)
    );
}

#[test]
fn traceability_runs_against_a_cmc_file() {
    let dir = tempfile::tempdir().unwrap();
    let cmcs = dir.path().join("cmcs.json");
    let generated = sevres(&["cmc", "generate", "--count", "200", "--seed", "7"]);
    assert!(generated.status.success());
    std::fs::write(&cmcs, &generated.stdout).unwrap();
    let out = sevres(&[
        "dcc",
        "check",
        "--cmcs",
        cmcs.to_str().unwrap(),
        &examples("valid/ptb_vacuumlab-CDG_v3.1.0.xml"),
    ]);
    let report = &lines(&out)[0];
    let trace = report["traceability"].as_array().unwrap();
    assert!(!trace.is_empty(), "{report}");
    assert!(trace.iter().all(|t| t["status"].is_string()), "{trace:?}");
}

#[test]
fn render_writes_html_in_a_declared_language() {
    let file = examples("valid/dcc_gp_temperature_typical_v12.xml");
    for lang in ["de", "en"] {
        let out = sevres(&["dcc", "render", "--lang", lang, &file]);
        assert!(out.status.success());
        let html = String::from_utf8(out.stdout).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..60]);
        assert!(html.contains(&format!("lang=\"{lang}\"")));
    }
    let out = sevres(&["dcc", "render", "--lang", "fr", &file]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"fr\""));
}
