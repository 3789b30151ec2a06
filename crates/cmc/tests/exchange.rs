//! Export then import gives back the same CMCs (JSON and CSV), and malformed input is refused
//! with its place.

use sevres_cmc::generate::generate;
use sevres_cmc::{import_csv, import_json, to_csv, to_json, to_jsonld, ImportError};

#[test]
fn json_round_trip() {
    let cmcs = generate(21, 3_000);
    let back = import_json(&to_json(&cmcs)).unwrap();
    assert!(back.rejected.is_empty() && back.warnings.is_empty());
    assert_eq!(back.cmcs, cmcs);
}

#[test]
fn csv_round_trip() {
    let mut cmcs = generate(22, 3_000);
    // Text that a spreadsheet would take for a formula, and CSV metacharacters.
    cmcs[0].comments = "=HYPERLINK(\"x\")".into();
    cmcs[1].comments = "-80 dB, \"quoted\"\nsecond line".into();
    cmcs[2].extra.insert("nuclideValue".into(), "Co-60".into());
    let text = to_csv(&cmcs);
    assert!(text.contains("'=HYPERLINK"));
    let back = import_csv(&text).unwrap();
    assert!(back.rejected.is_empty(), "{:?}", back.rejected);
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    assert_eq!(back.cmcs, cmcs);
}

#[test]
fn json_ld_is_a_graph_of_services() {
    let cmcs = generate(23, 50);
    let doc: serde_json::Value = serde_json::from_str(&to_jsonld(&cmcs)).unwrap();
    let graph = doc["@graph"].as_array().unwrap();
    assert_eq!(graph.len(), cmcs.len());
    for (n, c) in graph.iter().zip(&cmcs) {
        assert_eq!(n["identifier"], c.kcdb_code.as_str());
        assert_eq!(n["@type"][0], "Service");
        assert_eq!(n["name"], c.quantity.as_str());
    }
}

#[test]
fn malformed_input_names_the_place() {
    match import_json("{\"data\": [\n  {\"kcdbCode\": }]}") {
        Err(ImportError::Json { line, column, .. }) => assert_eq!((line, column), (2, 16)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(import_json("42"), Err(ImportError::Shape(_))));
    assert!(matches!(
        import_csv("a,b\n1,2\n"),
        Err(ImportError::NoCodeColumn)
    ));
    let r = import_json(
        r#"[{"kcdbCode": "EURAMET-EM-XX-1-1"}, {"nmiCode": "PTB"},
            {"kcdbCode": "EURAMET-EM-DE-00000001-1", "approvalDate": "2020-02-30",
             "coverageFactor": "two", "uncertaintyMode": "sideways"}]"#,
    )
    .unwrap();
    assert_eq!(r.cmcs.len(), 1);
    assert_eq!(
        r.rejected.iter().map(|x| x.record).collect::<Vec<_>>(),
        [0, 1]
    );
    assert_eq!(r.rejected[1].reason, "missing");
    let fields: Vec<&str> = r.warnings.iter().map(|w| w.field.as_str()).collect();
    assert_eq!(
        fields,
        ["coverageFactor", "uncertaintyMode", "approvalDate"]
    );
    assert!(r.warnings.iter().all(|w| w.record == 2));
    // CSV rows name their line.
    let r = import_csv("kcdbCode,nmiCode\nEURAMET-EM-DE-00000001-1,PTB\nbad,PTB\n").unwrap();
    assert_eq!(r.rejected[0].line, Some(3));
}
