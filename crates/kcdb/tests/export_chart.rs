//! Exports and the DoE chart: JSON-LD of a comparison with results and analysis, CSV tables,
//! and the SVG chart (parsed back with roxmltree: one marker per participant, nothing external).

use sevres_comparison::{analyse, Method, Options};
use sevres_kcdb::chart::{doe_svg, ChartError};
use sevres_kcdb::doe::DoeTable;
use sevres_kcdb::export::{doe_csv, results_csv, to_jsonld};
use sevres_kcdb::import::fair::import_fair;
use sevres_kcdb::import::nmid::import_nmid;
use sevres_kcdb::{import_json, Comparison, ComparisonId, Date, InstituteCode, Measurand, Status};

const KCDB: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/kcdb/comparisons_bipm_ri_ii"
);
const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/comparisons"
);

fn k30() -> (
    Comparison,
    Vec<sevres_kcdb::ResultEntry>,
    sevres_kcdb::ComparisonData,
) {
    let data =
        import_json(&std::fs::read_to_string(format!("{DATA}/ccqm_k30_pb_wine.json")).unwrap())
            .unwrap();
    let id = ComparisonId::parse("CCQM-K30").unwrap();
    let mut c = Comparison::new(
        id.clone(),
        "Lead in wine",
        InstituteCode::parse("LGC").unwrap(),
    );
    c.status = Status::Published;
    c.measurands.push(
        Measurand::new(
            "Pb",
            "mass fraction of lead in wine",
            data.unit.clone().unwrap(),
            None,
        )
        .unwrap(),
    );
    let results = data
        .results(&id, "Pb", "pilot", Date::parse("2004-06-01").unwrap())
        .unwrap();
    c.participants = results.iter().map(|r| r.institute.clone()).collect();
    (c, results, data)
}

#[test]
fn jsonld_document() {
    let (c, results, data) = k30();
    let options = Options::default();
    let analysis = analyse(&data.input, Method::WeightedMean, &options).unwrap();
    let doc = to_jsonld(&c, &[], &results, Some((&analysis, &options)));
    assert_eq!(doc["@context"]["@vocab"], "https://schema.org/");
    assert_eq!(doc["identifier"], "CCQM-K30");
    assert_eq!(doc["creativeWorkStatus"], "published");
    assert_eq!(doc["kcdb:consultativeCommittee"], "CCQM");
    assert_eq!(doc["@type"][1], "kcdb:KeyComparison");
    assert_eq!(doc["kcdb:result"].as_array().unwrap().len(), results.len());
    assert_eq!(doc["kcdb:result"][0]["unitText"], "mg kg^-1");
    assert_eq!(doc["kcdb:result"][0]["kcdb:unitSirp"], "mg.kg-1");
    let a = &doc["kcdb:analysis"];
    assert_eq!(a["kcdb:method"], "weighted-mean");
    assert_eq!(a["kcdb:kcrv"]["value"].as_f64().unwrap(), analysis.kcrv);
    assert_eq!(
        a["kcdb:degreeOfEquivalence"].as_array().unwrap().len(),
        results.len()
    );
    // Round-trips as JSON text.
    let text = serde_json::to_string_pretty(&doc).unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
}

#[test]
fn jsonld_institutes_from_nmid() {
    let fc =
        import_fair(&std::fs::read_to_string(format!("{KCDB}/Co-60_database_FAIR.xml")).unwrap())
            .unwrap();
    let table = import_nmid(&std::fs::read_to_string(format!("{KCDB}/NMId.csv")).unwrap()).unwrap();
    let doc = to_jsonld(&fc.comparison, &table.institutes, &[], None);
    assert_eq!(doc["provider"]["identifier"], "BIPM");
    assert_eq!(doc["provider"]["sameAs"], "https://ror.org/055vkyj43");
    assert_eq!(
        doc["citation"],
        "https://doi.org/10.1088/0026-1394/60/1A/06010"
    );
    let ptb = doc["contributor"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["identifier"] == "PTB")
        .unwrap();
    assert_eq!(ptb["address"]["addressCountry"], "Germany");
    assert_eq!(ptb["memberOf"]["identifier"], "EURAMET");
}

#[test]
fn csv_tables() {
    let (c, results, data) = k30();
    let csv = results_csv(&c, &results);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), results.len() + 1);
    assert!(lines[0].starts_with("comparison,measurand,institute,x,unit,u"));
    assert!(lines[1].starts_with("CCQM-K30,Pb,INMETRO,1.62,mg kg^-1,0.044,2,0.088,,false,"));
    // The CSV reads back into the same participants.
    let back = sevres_kcdb::import_csv("back", &csv).unwrap();
    assert_eq!(back.input.participants, data.input.participants);

    let options = Options::default();
    let analysis = analyse(&data.input, Method::Mean, &options).unwrap();
    let table = DoeTable::from_analysis("CCQM-K30", data.unit.as_ref(), &analysis, &options);
    let doe = doe_csv(&table);
    assert_eq!(doe.lines().count(), analysis.doe.len() + 1);
    assert!(doe.starts_with("lab,d,U,k,unit,in_reference,via\r\n"));
}

fn check_svg(svg: &str, table: &DoeTable) {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let circles = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "circle")
        .count();
    assert_eq!(circles, table.points.len());
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "text")
        .map(|n| n.text().unwrap_or_default().trim().to_string())
        .collect();
    for p in &table.points {
        assert!(texts.contains(&p.lab), "label {} missing", p.lab);
    }
    assert!(texts.contains(&table.title));
    assert!(texts.iter().any(|t| t.contains(&table.unit)), "{texts:?}");
    // Self-contained: no links, no external resources, no embedded fonts.
    for forbidden in ["href", "url(", "@import", "<image", "@font-face", "<script"] {
        assert!(!svg.contains(forbidden), "{forbidden}");
    }
}

#[test]
fn doe_chart_of_published_releases() {
    for file in ["Cs-137_database_FAIR.xml", "Ga-67_database_FAIR.xml"] {
        let fc = import_fair(&std::fs::read_to_string(format!("{KCDB}/{file}")).unwrap()).unwrap();
        let release = fc.latest_release().unwrap();
        let table = DoeTable::from_release(fc.comparison.id.as_str(), release).unwrap();
        // The file's DoEs are in MBq (\mega\becquerel).
        assert_eq!(table.unit, "MBq");
        let svg = doe_svg(&table).unwrap();
        check_svg(&svg, &table);
        // The reference band is drawn: one filled rectangle with opacity.
        assert!(svg.contains("<rect") && svg.contains("opacity=\"0.3\""));
    }
}

#[test]
fn doe_chart_of_an_analysis() {
    let (_, _, data) = k30();
    let options = Options::default();
    let analysis = analyse(&data.input, Method::PauleMandel, &options).unwrap();
    let table = DoeTable::from_analysis(
        "CCQM-K30 <Pb> & more",
        data.unit.as_ref(),
        &analysis,
        &options,
    );
    let svg = doe_svg(&table).unwrap();
    check_svg(&svg, &table);
}

#[test]
fn chart_refuses_bad_values() {
    let mut table = DoeTable {
        title: "t".into(),
        unit: String::new(),
        coverage_factor: 2.0,
        reference_band: None,
        points: vec![],
    };
    assert_eq!(doe_svg(&table), Err(ChartError::Empty));
    table.points.push(sevres_kcdb::doe::DoePoint {
        lab: "A".into(),
        d: f64::NAN,
        expanded: 1.0,
        in_reference: None,
        via: None,
    });
    assert!(matches!(doe_svg(&table), Err(ChartError::BadValue(_))));
    table.points[0].d = 0.0;
    table.points[0].expanded = 0.0;
    // All zero: still a chart.
    assert!(doe_svg(&table).is_ok());
    table.points[0].d = f64::MAX;
    table.points[0].expanded = f64::MAX;
    assert!(doe_svg(&table).is_err());
}
