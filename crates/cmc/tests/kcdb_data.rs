//! Real KCDB data: the shared test files (`../shared/testdata/kcdb/api/`) and the KCDB 2.0 API
//! result page of `tests/data/` (field values the msl-kcdb tests assert against the live API).
//! Expected figures come from the files, never from this crate.

use std::collections::BTreeMap;

use sevres_cmc::{
    capability::CoverageBasis, import_csv, import_json, to_jsonld, Domain, Facet, Flags, Grade,
    Issue, Quantity, Query, Registry, UncertaintyLimit, UncertaintyModel,
};

const SHARED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/kcdb/api"
);
const PAGE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/kcdb_api_page.json");

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The rows of the shared CSV, split by the test itself: (nmi, code, instrument).
fn csv_rows() -> Vec<(String, String, String)> {
    read(&format!("{SHARED}/physics_fibre_optic_cmc_codes.csv"))
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<String> = l
                .trim()
                .trim_matches('"')
                .split("\",\"")
                .map(String::from)
                .collect();
            assert_eq!(cells.len(), 3, "{l}");
            (cells[0].clone(), cells[1].clone(), cells[2].clone())
        })
        .collect()
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn fibre_optic_codes_import_and_search() {
    let rows = csv_rows();
    let import = import_csv(&read(&format!(
        "{SHARED}/physics_fibre_optic_cmc_codes.csv"
    )))
    .unwrap();
    assert!(import.rejected.is_empty(), "{:?}", import.rejected);
    assert!(import.warnings.is_empty(), "{:?}", import.warnings);
    assert_eq!(import.cmcs.len(), rows.len());
    for (c, (nmi, code, instrument)) in import.cmcs.iter().zip(&rows) {
        assert_eq!(c.kcdb_code.as_str(), code);
        assert_eq!(&c.institute.code, nmi);
        assert_eq!(&c.instrument, instrument);
        let parts: Vec<&str> = code.split('-').collect();
        assert_eq!(c.rmo, parts[0]);
        assert_eq!(c.metrology_area, parts[1]);
        assert_eq!(c.kcdb_code.country(), parts[2]);
        assert_eq!(c.domain, Some(Domain::Physics));
    }
    let registry = Registry::new(import.cmcs);

    // RMO facet counts equal the counts of the codes' first part.
    let mut expected: BTreeMap<String, usize> = BTreeMap::new();
    for (_, code, _) in &rows {
        *expected
            .entry(code.split('-').next().unwrap().to_string())
            .or_default() += 1;
    }
    let got: BTreeMap<String, usize> = registry.facet_values(Facet::Rmo).into_iter().collect();
    assert_eq!(got, expected);

    // Full text: both words in the instrument.
    let want: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, (_, _, i))| {
            let w = words(i);
            w.contains(&"power".to_string()) && w.contains(&"meter".to_string())
        })
        .map(|(k, _)| k)
        .collect();
    let r = registry
        .search(&Query::new().text("Power METER").limit(1000))
        .unwrap();
    assert_eq!(r.total, want.len());
    let mut got: Vec<usize> = r.hits.iter().map(|h| h.index).collect();
    got.sort_unstable();
    assert_eq!(got, want);

    // Institute facet with a name containing punctuation, combined with the country code.
    let (nmi, code, _) = &rows[8];
    let iso = code.split('-').nth(2).unwrap();
    let r = registry
        .search(
            &Query::new()
                .facet(Facet::Institute, nmi)
                .facet(Facet::Country, iso)
                .limit(1000),
        )
        .unwrap();
    assert_eq!(r.total, rows.iter().filter(|(n, _, _)| n == nmi).count());

    // No range or unit is published in this file: no unit-aware answer, and the flag says why.
    assert!(registry.flags(0).contains(Flags::NO_RANGE));
    let r = registry
        .search(&Query::new().at(Quantity::parse("1 mW").unwrap()))
        .unwrap();
    assert_eq!(r.total, 0);
}

#[test]
fn domains_match_the_reference_data() {
    let v: serde_json::Value =
        serde_json::from_str(&read(&format!("{SHARED}/referenceData_domain.json"))).unwrap();
    let domains = v["domains"].as_array().unwrap();
    assert_eq!(domains.len(), Domain::ALL.len());
    for d in domains {
        let code = d["code"].as_str().unwrap();
        let parsed: Domain = code.parse().unwrap();
        assert_eq!(parsed.code(), code);
        assert_eq!(parsed.name(), d["name"].as_str().unwrap());
    }
}

fn page() -> (serde_json::Value, sevres_cmc::Import) {
    let text = read(PAGE);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    (v, import_json(&text).unwrap())
}

#[test]
fn api_page_imports_every_field() {
    let (v, import) = page();
    let data = v["data"].as_array().unwrap();
    assert!(import.rejected.is_empty() && import.warnings.is_empty());
    assert_eq!(import.total_elements, v["totalElements"].as_u64());
    assert_eq!(import.cmcs.len(), data.len());
    for (c, r) in import.cmcs.iter().zip(data) {
        assert_eq!(c.kcdb_code.as_str(), r["kcdbCode"].as_str().unwrap());
        assert_eq!(c.id, r["id"].as_u64());
        assert_eq!(c.quantity, r["quantityValue"].as_str().unwrap());
        assert_eq!(c.institute.name, r["nmiName"].as_str().unwrap());
        assert_eq!(c.domain.map(|d| d.code()), r["domainCode"].as_str());
        assert_eq!(
            c.approval_date.map(|d| d.to_string()).as_deref(),
            r["approvalDate"].as_str()
        );
        assert_eq!(c.uncertainty.coverage_factor, r["coverageFactor"].as_f64());
        assert_eq!(
            c.parameters.len(),
            r["parameters"].as_array().map_or(0, Vec::len)
        );
    }
    // Fields not modelled are kept.
    let ri = &import.cmcs[2];
    assert_eq!(ri.extra["nuclideValue"], data[2]["nuclideValue"]);
    let qm = &import.cmcs[3];
    assert_eq!(qm.extra["analyteValue"], data[3]["analyteValue"]);
}

#[test]
fn api_page_units_agree_with_the_kcdb_base_units() {
    // The KCDB publishes the METAS range and uncertainty also in base units (rad): our exact
    // conversion of `degree` must agree to the last bits (the KCDB rounds π/180 once more).
    let (v, import) = page();
    let r = &v["data"][1];
    let metas = &import.cmcs[1];
    let cap = metas.capability();
    let m = cap.measurand.as_ref().unwrap();
    let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs();
    assert!(close(
        m.min,
        r["cmcBaseUnit"]["lowerLimit"].as_f64().unwrap()
    ));
    assert!(close(
        m.max,
        r["cmcBaseUnit"]["upperLimit"].as_f64().unwrap()
    ));
    let UncertaintyModel::Bounds {
        low,
        high,
        relative: false,
    } = cap.uncertainty
    else {
        panic!("{:?}", cap.uncertainty)
    };
    assert!(close(
        low,
        r["cmcUncertaintyBaseUnit"]["lowerLimit"].as_f64().unwrap()
    ));
    assert!(close(
        high,
        r["cmcUncertaintyBaseUnit"]["upperLimit"].as_f64().unwrap()
    ));
    assert!(cap.issues.contains(&Issue::Table));
    assert_eq!(cap.coverage, CoverageBasis::Stated95);

    // MSL: three units in one field, no range; k = 2.3 at 95 % is taken as stated.
    let msl = import.cmcs[0].capability();
    assert!(msl.measurand.is_none());
    assert!(msl
        .issues
        .iter()
        .any(|i| matches!(i, Issue::MeasurandUnit(_))));
    assert_eq!(msl.coverage, CoverageBasis::Stated95);

    // Chemistry: a dimensionless measurand (µg/kg) with relative limits 10 % at the lower end
    // and 1 % at the upper end. At the ends the expanded uncertainty lies between the limits
    // times the value (the KCDB gave 1e-13 and 1e-10 as base-unit uncertainties).
    let qm = &import.cmcs[3];
    let cap = qm.capability();
    let m = cap.measurand.as_ref().unwrap();
    let limits = qm.uncertainty.limits.as_ref().unwrap();
    let (lo, hi) = (limits.min.unwrap() / 100.0, limits.max.unwrap() / 100.0);
    let at_min = cap.uncertainty.at(m.min).unwrap();
    assert!(close(at_min.high, lo.max(hi) * m.min));
    assert!(close(at_min.low, lo.min(hi) * m.min));
}

#[test]
fn api_page_questions() {
    let (v, import) = page();
    let registry = Registry::new(import.cmcs);
    // Facet aliases: the ISO code for a country, the name for an institute.
    for q in [
        Query::new().facet(Facet::Country, "JP"),
        Query::new().facet(Facet::Institute, "National Metrology Institute of Japan"),
    ] {
        let r = registry.search(&q).unwrap();
        let want = v["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["countryValue"] == "Japan")
            .count();
        assert_eq!(r.total, want);
    }
    // Activity: 4 % at k = 2 over 2 kBq to 200 kBq.
    let ri = &v["data"][2];
    let pct = ri["cmcUncertainty"]["upperLimit"].as_f64().unwrap();
    let ask = |value: &str, limit: String| {
        registry
            .search(
                &Query::new()
                    .at(Quantity::parse(value).unwrap())
                    .max_uncertainty(UncertaintyLimit::new(Quantity::parse(&limit).unwrap())),
            )
            .unwrap()
    };
    let r = ask("50 kBq", format!("{pct} %"));
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].grade, Grade::Meets);
    assert_eq!(
        registry.cmcs()[r.hits[0].index].kcdb_code.as_str(),
        ri["kcdbCode"]
    );
    assert_eq!(ask("50 kBq", format!("{} %", pct * 0.9)).total, 0);
    // Absolute limit in Bq: 4 % of 50 kBq.
    assert_eq!(
        ask("0.05 MBq", format!("{} Bq", pct / 100.0 * 50e3)).total,
        1
    );
    assert_eq!(ask("500 kBq", format!("{pct} %")).total, 0, "out of range");

    // METAS phase: limits 0.2° to 1.4° without equation: a limit of 1° may be met.
    let r = ask("90 degree", "1 degree".into());
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].grade, Grade::MayMeet);
    assert!(r.hits[0].flags.contains(Flags::TABLE));
    let mut q = Query::new()
        .at(Quantity::parse("90 °").unwrap())
        .max_uncertainty(UncertaintyLimit::new(Quantity::parse("1 °").unwrap()));
    q.guaranteed_only = true;
    assert_eq!(registry.search(&q).unwrap().total, 0);
}

#[test]
fn api_page_json_ld() {
    let (v, import) = page();
    let doc: serde_json::Value = serde_json::from_str(&to_jsonld(&import.cmcs)).unwrap();
    let graph = doc["@graph"].as_array().unwrap();
    assert_eq!(graph.len(), v["data"].as_array().unwrap().len());
    for (n, r) in graph.iter().zip(v["data"].as_array().unwrap()) {
        assert_eq!(n["identifier"], r["kcdbCode"]);
        assert_eq!(n["provider"]["identifier"], r["nmiCode"]);
        assert_eq!(n["provider"]["memberOf"]["identifier"], r["rmo"]);
    }
    // The readable unit carries its SI spellings.
    assert_eq!(graph[2]["cmc:measurand"]["cmc:unitSi"], "Bq");
    assert!(doc["@context"]["@vocab"].is_string());
}
