//! `sevres comparison analyse` as a pilot runs it, checked against the peer figures stored with
//! the test data (`../shared/testdata/comparisons/`, see SOURCES.md there).

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn testdata(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/testdata/comparisons/")
        .join(name)
}

fn analyse(file: &std::path::Path, extra: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_sevres"))
        .args(["comparison", "analyse"])
        .arg(file)
        .args(extra)
        .output()
        .expect("sevres starts");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON object")
}

fn close(actual: &Value, expected: &Value, relative: f64) {
    let (a, e) = (actual.as_f64().unwrap(), expected.as_f64().unwrap());
    assert!(
        (a - e).abs() <= relative * e.abs().max(1e-300),
        "{a} differs from {e}"
    );
}

#[test]
fn weighted_mean_reproduces_the_peer_figures() {
    let file = testdata("kacker2004_example.json");
    let data: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let peer = &data["peer_outputs"]["procedure_a_numpy"];
    let out = analyse(&file, &["--method", "weighted-mean"]);
    assert_eq!(out["method"], "weighted-mean");
    close(&out["kcrv"], &peer["weighted_mean"], 1e-12);
    close(&out["u_kcrv"], &peer["u_weighted_mean"], 1e-12);
    close(&out["chi2"], &peer["chi2_obs"], 1e-9);
    close(&out["p_value"], &peer["p_value"], 1e-7);
    close(&out["birge_ratio"], &peer["birge_ratio"], 1e-9);
    assert_eq!(out["dof"], peer["dof"]);
    assert_eq!(out["consistent"], false);
    let doe = out["doe"].as_array().unwrap();
    let participants = data["participants"].as_array().unwrap();
    assert_eq!(doe.len(), participants.len());
    for ((ours, theirs), participant) in doe
        .iter()
        .zip(peer["doe"].as_array().unwrap())
        .zip(participants)
    {
        assert_eq!(ours["lab"], participant["lab"]);
        close(&ours["d"], &theirs["d"], 1e-9);
        close(&ours["u_d"], &theirs["u_d"], 1e-9);
        close(
            &ours["U_d"],
            &Value::from(2.0 * theirs["u_d"].as_f64().unwrap()),
            1e-9,
        );
    }
    let bilateral = &out["bilateral"];
    assert_eq!(
        bilateral["labs"].as_array().unwrap().len(),
        participants.len()
    );
    let d01 = participants[0]["x"].as_f64().unwrap() - participants[1]["x"].as_f64().unwrap();
    close(&bilateral["d"][0][1], &Value::from(d01), 1e-12);
}

#[test]
fn dl_uses_the_truncated_tau() {
    let file = testdata("kacker2004_example.json");
    let data: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let peer = &data["peer_outputs"]["dl_truncated_numpy"];
    let out = analyse(&file, &["--method", "dl"]);
    close(&out["kcrv"], &peer["mean"], 1e-9);
    close(&out["u_kcrv"], &peer["se"], 1e-9);
    close(
        &out["tau"],
        &Value::from(peer["tau2"].as_f64().unwrap().sqrt()),
        1e-9,
    );
}

#[test]
fn an_excluded_participant_keeps_its_degree_of_equivalence() {
    let file = testdata("kacker2004_example.json");
    let all = analyse(&file, &["--method", "weighted-mean"]);
    let out = analyse(&file, &["--method", "weighted-mean", "--exclude", "L1"]);
    assert_eq!(out["excluded"], serde_json::json!(["L1"]));
    assert_ne!(out["kcrv"], all["kcrv"]);
    let first = &out["doe"][0];
    assert_eq!(first["lab"], "L1");
    assert_eq!(first["in_reference"], false);
    // Outside the reference: u_d² = u_i² + u_ref².
    let u_ref = out["u_kcrv"].as_f64().unwrap();
    let expected = (0.45f64.powi(2) + u_ref * u_ref).sqrt();
    close(&first["u_d"], &Value::from(expected), 1e-12);
}

#[test]
fn csv_gives_the_same_figures_as_json() {
    let file = testdata("kacker2004_example.json");
    let data: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let mut csv = String::from("lab,x,u\n");
    for p in data["participants"].as_array().unwrap() {
        csv += &format!("{},{},{}\n", p["lab"].as_str().unwrap(), p["x"], p["u"]);
    }
    let dir = tempfile::tempdir().unwrap();
    let csv_file = dir.path().join("kacker.csv");
    std::fs::write(&csv_file, csv).unwrap();
    let from_json = analyse(&file, &["--method", "pm"]);
    let from_csv = analyse(&csv_file, &["--method", "pm"]);
    assert_eq!(from_json["kcrv"], from_csv["kcrv"]);
    assert_eq!(from_json["doe"], from_csv["doe"]);
}

#[test]
fn monte_carlo_is_reproducible_with_a_seed() {
    let file = testdata("kacker2004_example.json");
    let args = ["--method", "procedure-b", "--draws", "20000", "--seed", "7"];
    let a = analyse(&file, &args);
    let b = analyse(&file, &args);
    assert_eq!(a, b);
    assert_eq!(a["draws"], 20000);
}

#[test]
fn bad_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(
        &file,
        r#"{"participants": [{"lab": "A", "x": 1, "u": -1}]}"#,
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sevres"))
        .args(["comparison", "analyse"])
        .arg(&file)
        .args(["--method", "mean"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.json"), "{stderr}");
    let output = Command::new(env!("CARGO_BIN_EXE_sevres"))
        .args(["comparison", "analyse"])
        .arg(testdata("kacker2004_example.json"))
        .args(["--method", "mean", "--exclude", "NOPE"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("NOPE"));
}

#[test]
fn batch_answers_every_line_in_order() {
    let file = testdata("kacker2004_example.json");
    let one_line: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let input = format!("{one_line}\nnot json\n{one_line}\n");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sevres"))
        .args(["comparison", "batch", "--method", "dl", "--bilateral"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let lines: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let single = analyse(&file, &["--method", "dl"]);
    assert_eq!(lines[0], single);
    assert!(lines[1]["error"].as_str().unwrap().starts_with("line 2"));
    assert_eq!(lines[2], single);
}
