//! Comparison data sets: the JSON test data (read at run time), the same data written as CSV
//! and as an Excel workbook (built here with `rust_xlsxwriter`), and the bad inputs the issue
//! lists. Expected participants are read from the JSON files themselves.

use rust_xlsxwriter::Workbook;
use serde_json::Value;
use sevres_comparison::{analyse, Method, Options};
use sevres_kcdb::import::data::{import_csv, import_json, import_xlsx, DataError};
use sevres_kcdb::{ComparisonId, Date};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/comparisons"
);

fn json_files() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(DIR)
        .expect("test data")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(out.len() >= 10);
    out
}

#[test]
fn every_json_file_imports_as_the_file_says() {
    for (name, text) in json_files() {
        let file: Value = serde_json::from_str(&text).unwrap();
        let listed = file["participants"].as_array().unwrap();
        let result = import_json(&text);
        if listed.len() < 2 {
            assert!(
                matches!(result, Err(DataError::TooFewParticipants { found }) if found == listed.len()),
                "{name}"
            );
            continue;
        }
        let data = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(data.id, file["id"].as_str().unwrap(), "{name}");
        assert_eq!(data.unit_text.as_deref(), file["unit"].as_str(), "{name}");
        let ps = &data.input.participants;
        assert_eq!(ps.len(), listed.len(), "{name}");
        for (p, f) in ps.iter().zip(listed) {
            assert_eq!(&*p.lab, f["lab"].as_str().unwrap(), "{name}");
            assert_eq!(p.x, f["x"].as_f64().unwrap(), "{name}");
            assert_eq!(p.u, f["u"].as_f64().unwrap(), "{name}");
            assert_eq!(p.k, f["k"].as_f64(), "{name}");
            assert_eq!(p.expanded_u, f["U"].as_f64(), "{name}");
            assert_eq!(p.dof, f["dof"].as_f64(), "{name}");
            assert_eq!(
                p.in_reference,
                f["in_reference"].as_bool().unwrap_or(true),
                "{name}"
            );
        }
        // Units sevres-si reads are kept; descriptive ones ("(as in paper)") give a warning.
        if data.unit.is_none() {
            assert!(data.warnings.iter().any(|w| w.at == "unit"), "{name}");
        }
        // A text note in "correlations" is reported, not silently dropped.
        if file["correlations"].is_string() {
            assert!(
                data.warnings.iter().any(|w| w.at == "correlations"),
                "{name}"
            );
        }
    }
}

#[test]
fn ccqm_k30_feeds_the_analysis_engine() {
    let text = std::fs::read_to_string(format!("{DIR}/ccqm_k30_pb_wine.json")).unwrap();
    let data = import_json(&text).unwrap();
    assert_eq!(data.comparison_id().unwrap().as_str(), "CCQM-K30");
    // "unit": "mg/kg"
    assert_eq!(
        data.unit
            .as_ref()
            .unwrap()
            .to_notation(sevres_si::Notation::Ucum),
        "mg/kg"
    );
    let analysis = analyse(&data.input, Method::Mean, &Options::default()).unwrap();
    assert_eq!(analysis.doe.len(), data.input.participants.len());
    // The report's KCRV (2.99 mg/kg) is the mean of the labs flagged in_reference.
    assert!((analysis.kcrv - 2.99).abs() < 5e-3, "{}", analysis.kcrv);
    let results = data
        .results(
            &ComparisonId::parse("CCQM-K30").unwrap(),
            "Pb in wine",
            "pilot",
            Date::parse("2008-01-01").unwrap(),
        )
        .unwrap();
    assert_eq!(results.len(), 11);
    assert!(results.iter().all(|r| r.validate().is_ok()));
}

/// The participants of a JSON file as CSV lines `lab,x,u,k,U,dof,in_reference`.
fn csv_of(file: &Value, sep: &str) -> String {
    let mut out = format!("lab{sep}x{sep}u{sep}k{sep}U{sep}dof{sep}in_reference\n");
    for p in file["participants"].as_array().unwrap() {
        let n = |k: &str| p[k].as_f64().map(|v| v.to_string()).unwrap_or_default();
        out.push_str(
            &[
                p["lab"].as_str().unwrap().to_string(),
                n("x"),
                n("u"),
                n("k"),
                n("U"),
                n("dof"),
                p["in_reference"]
                    .as_bool()
                    .map(|b| b.to_string())
                    .unwrap_or_default(),
            ]
            .join(sep),
        );
        out.push('\n');
    }
    out
}

#[test]
fn csv_gives_the_same_data_as_json() {
    for (name, text) in json_files() {
        let file: Value = serde_json::from_str(&text).unwrap();
        let Ok(from_json) = import_json(&text) else {
            continue;
        };
        for sep in [",", ";", "\t"] {
            let csv = csv_of(&file, sep);
            let from_csv = import_csv(&name, &csv).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(from_csv.input, from_json.input, "{name} with {sep:?}");
        }
    }
}

#[test]
fn csv_conventions() {
    // Title rows, a decimal comma with ';', a unit column, notes after a blank line.
    let csv = "CCQM-K30 results\n\nLaboratory;Value;u;Unit;In KCRV\nA;2,99;0,05;mg/kg;yes\nB;3,01;0,04; mg/kg ;no\n\nKCRV;3,00\n";
    let d = import_csv("k30", csv).unwrap();
    assert_eq!(d.input.participants.len(), 2);
    assert_eq!(d.input.participants[0].x, 2.99);
    assert!(!d.input.participants[1].in_reference);
    assert!(d.unit.is_some());
    // U and k without u: u = U/k, with a warning.
    let d = import_csv("x", "lab,x,U,k\nA,1,0.2,2\nB,2,0.4,2\n").unwrap();
    assert_eq!(d.input.participants[1].u, 0.2);
    assert_eq!(d.warnings.len(), 2);
}

#[test]
fn bad_input_gets_a_clear_error() {
    let cases: &[(&str, &str)] = &[
        ("lab,x,u\nA,1,0.1\nB,NaN,0.1\n", "not a finite number"),
        ("lab,x,u\nA,1,0.1\nB,2,inf\n", "not a finite number"),
        ("lab,x,u\nA,1,0.1\nB,2,0\n", "must be positive"),
        ("lab,x,u\nA,1,0.1\nB,2,-0.1\n", "must be positive"),
        ("lab,x,u\nA,1,0.1\n", "at least two"),
        ("lab,x,u\nA,1,0.1\nA,2,0.1\n", "appears twice"),
        ("lab,x,u,unit\nA,1,0.1,kBq\nB,2,0.1,kg\n", "differs"),
        ("lab,x,u\nA,1,0.1\nB,two,0.1\n", "not a number"),
        ("lab,x\nA,1\nB,2\n", "no header row with a 'u' column"),
        ("name,value\n", "no header row with a 'lab' column"),
        ("lab,x,u,k\nA,1,0.1,0\nB,2,0.1,2\n", "must be positive"),
    ];
    for (csv, message) in cases {
        let e = import_csv("t", csv).unwrap_err().to_string();
        assert!(e.contains(message), "{csv:?}: {e}");
    }
    // The place is named.
    let e = import_csv("t", "lab,x,u\nA,1,0.1\nB,2,0\n")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("line 3, field 3"), "{e}");
    // kBq and \kilo\becquerel are the same unit.
    assert!(import_csv(
        "t",
        "lab,x,u,unit\nA,1,0.1,kBq\nB,2,0.1,\\kilo\\becquerel\n"
    )
    .is_ok());

    let json = |corr: &str| {
        format!(
            r#"{{"id":"t","unit":"kg","participants":[{{"lab":"A","x":1,"u":0.1}},{{"lab":"B","x":1.1,"u":0.2}},{{"lab":"C","x":0.9,"u":0.1}}],"correlations":{corr}}}"#
        )
    };
    assert!(import_json(&json("[[1,0.5,0],[0.5,1,0],[0,0,1]]")).is_ok());
    let e = import_json(&json("[[1,0.9,0.9],[0.9,1,-0.9],[0.9,-0.9,1]]")).unwrap_err();
    assert!(matches!(e, DataError::NotPositiveDefinite { .. }), "{e}");
    let e = import_json(&json("[[1,0.5],[0.5,1]]")).unwrap_err();
    assert!(matches!(e, DataError::Matrix { .. }), "{e}");
    let e = import_json(&json("[[1,0.5,0],[0.4,1,0],[0,0,1]]")).unwrap_err();
    assert!(e.to_string().contains("not symmetric"), "{e}");
    let e = import_json(&json(
        r#"{"covariance":[[0.01,0,0],[0,0.04,0],[0,0,0.02]]}"#,
    ))
    .unwrap_err();
    assert!(e.to_string().contains("diagonal"), "{e}");
    assert!(import_json(&json(
        r#"{"covariance":[[0.01,0.001,0],[0.001,0.04,0],[0,0,0.01]]}"#
    ))
    .is_ok());
    let e = import_json(r#"{"participants":[{"lab":"A","x":1,"u":0.1},"#).unwrap_err();
    assert!(matches!(e, DataError::Json { line: 1, .. }), "{e}");
    let e =
        import_json(r#"{"participants":[{"lab":"A","x":1,"u":"NaN"},{"lab":"B","x":1,"u":1}]}"#)
            .unwrap_err();
    assert!(matches!(e, DataError::NonFinite { .. }), "{e}");
    assert!(e.to_string().contains("participants[0].u"), "{e}");
}

fn workbook(rows: &[Vec<Option<&str>>], numeric: bool) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Results").unwrap();
    ws.write_string(0, 0, "Pilot's results table").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let Some(v) = cell else { continue };
            let (r, c) = (r as u32 + 2, c as u16);
            match v.parse::<f64>() {
                Ok(x) if numeric && r > 2 => {
                    ws.write_number(r, c, x).unwrap();
                }
                _ if *v == "true" || *v == "false" => {
                    ws.write_boolean(r, c, *v == "true").unwrap();
                }
                _ => {
                    ws.write_string(r, c, *v).unwrap();
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn xlsx_gives_the_same_data_as_json() {
    let text = std::fs::read_to_string(format!("{DIR}/ccqm_k30_pb_wine.json")).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    let from_json = import_json(&text).unwrap();
    let csv = csv_of(&file, ",");
    let rows: Vec<Vec<Option<&str>>> = csv
        .lines()
        .map(|l| l.split(',').map(|c| (!c.is_empty()).then_some(c)).collect())
        .collect();
    for numeric in [true, false] {
        let bytes = workbook(&rows, numeric);
        let d = import_xlsx("CCQM-K30", &bytes).unwrap();
        assert_eq!(d.input, from_json.input, "numeric cells: {numeric}");
    }
}

#[test]
fn xlsx_errors_name_the_cell() {
    let rows = vec![
        vec![Some("lab"), Some("x"), Some("u")],
        vec![Some("A"), Some("1"), Some("0.1")],
        vec![Some("B"), Some("2"), Some("big")],
    ];
    let e = import_xlsx("t", &workbook(&rows, true))
        .unwrap_err()
        .to_string();
    // Title in row 1, blank row 2, header row 3: B's u is C5.
    assert!(e.starts_with("Results!C5"), "{e}");
    assert!(matches!(
        import_xlsx("t", b"not a zip"),
        Err(DataError::Workbook(_))
    ));
    assert!(matches!(import_xlsx("t", &[]), Err(DataError::Workbook(_))));
    let mut bytes = workbook(&rows, true);
    bytes.truncate(bytes.len() / 2);
    assert!(import_xlsx("t", &bytes).is_err());
}
