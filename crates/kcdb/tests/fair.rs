//! The FAIR XML importer against the real BIPM.RI(II)-K1 files (read at run time from the shared
//! test data): every expectation is read from the file itself, by a deliberately naive reading
//! with `roxmltree` in this test, or is a literal copied from the file.
//!
//! The generic checks run over every `*_FAIR.xml` in the directory, so further nuclides dropped
//! there are checked the same way.

use std::path::PathBuf;

use sevres_kcdb::doe::DoeTable;
use sevres_kcdb::import::fair::{import_fair, FairError, Uncertainty};
use sevres_kcdb::{ComparisonId, Status, Unit};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/kcdb/comparisons_bipm_ri_ii"
);

fn fair_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(DIR)
        .expect("test data directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with("_FAIR.xml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 3,
        "expected the Co-60, Cs-137 and Ga-67 files"
    );
    files
}

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{name}")).expect("test file")
}

fn el<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    n.children()
        .filter(|c| c.is_element() && c.tag_name().name() == name)
        .collect()
}

fn txt(n: roxmltree::Node<'_, '_>, name: &str) -> Option<String> {
    el(n, name)
        .first()
        .and_then(|c| c.text())
        .map(|t| t.trim().to_string())
}

/// The last `<dsi:value>`-like number below `n` whose element is named `name`.
fn num_below(n: roxmltree::Node<'_, '_>, name: &str) -> Option<f64> {
    n.descendants()
        .find(|d| d.is_element() && d.tag_name().name() == name)
        .and_then(|d| d.text())
        .map(|t| t.trim().parse().expect("number in file"))
}

#[test]
fn every_file_imports_with_what_the_file_says() {
    for path in fair_files() {
        let xml = std::fs::read_to_string(&path).expect("file");
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let fc = import_fair(&xml).unwrap_or_else(|e| panic!("{name}: {e}"));
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let root = doc.root_element();
        let general = el(root, "generalInformation")[0];

        // Identifier and pilot.
        let code = txt(general, "comparisonCode").unwrap();
        assert_eq!(fc.comparison.id.as_str(), code, "{name}");
        let pilot = txt(el(general, "pilot")[0], "acronym").unwrap();
        assert_eq!(fc.comparison.pilot.as_str(), pilot, "{name}");
        assert_eq!(fc.comparison.status, Status::Published);

        // Releases: count, and the latest KCRV as written in the file's last release.
        let releases = el(el(root, "comparisonData")[0], "release");
        assert_eq!(fc.releases.len(), releases.len(), "{name}");
        let last = *releases.last().unwrap();
        let kcrv_node = el(last, "kcrv")[0];
        let latest = fc.latest_release().unwrap();
        assert_eq!(
            latest.kcrv.value,
            num_below(kcrv_node, "value").unwrap(),
            "{name}"
        );
        let u_file = num_below(kcrv_node, "valueStandardMU")
            .or_else(|| num_below(kcrv_node, "uncertainty"))
            .unwrap();
        assert_eq!(latest.kcrv.uncertainty.unwrap().stated(), u_file, "{name}");
        // The KCRV is an activity: commensurable with the becquerel.
        let bq = Unit::normalise("Bq").unwrap().0;
        assert!(latest.kcrv.unit.conversion_to(&bq).is_ok(), "{name}");

        // DoEs of the latest release, own and linked, in file order.
        let mut file_does = Vec::new();
        for block in el(last, "degreesOfEquivalence") {
            for d in el(block, "degreeOfEquivalence") {
                let lab = el(d, "laboratory")[0];
                let label = txt(lab, "acronym")
                    .or_else(|| txt(lab, "ror").map(|r| r.rsplit('/').next().unwrap().to_string()))
                    .unwrap();
                let result = el(d, "result")[0];
                file_does.push((
                    label,
                    num_below(result, "value").unwrap(),
                    num_below(result, "valueExpandedMU").unwrap(),
                    num_below(result, "coverageFactor").unwrap(),
                ));
            }
        }
        let imported: Vec<_> = latest
            .does
            .iter()
            .chain(latest.linked.iter().flat_map(|l| &l.does))
            .map(|d| {
                let Some(Uncertainty::Expanded {
                    expanded,
                    coverage_factor,
                    ..
                }) = d.result.uncertainty
                else {
                    panic!("{name}: DoE without expanded uncertainty")
                };
                (d.lab.label(), d.result.value, expanded, coverage_factor)
            })
            .collect();
        // Own blocks come first in the import, linked ones after; the file lists own first too.
        assert_eq!(imported, file_does, "{name}");

        // Submissions: count, lab and flags as written.
        let subs = el(el(root, "comparisonMetadata")[0], "submission");
        assert_eq!(fc.submissions.len(), subs.len(), "{name}");
        for (s, node) in fc.submissions.iter().zip(&subs) {
            let lab = el(*node, "laboratory")[0];
            assert_eq!(s.lab.acronym, txt(lab, "acronym").unwrap_or_default());
            assert_eq!(s.in_kcrv, txt(*node, "inKCRV").as_deref() == Some("true"));
            assert_eq!(
                s.doe_valid,
                txt(*node, "doeValid").as_deref() == Some("true")
            );
            assert_eq!(s.year, txt(*node, "year").map(|y| y.parse().unwrap()));
            let n_sir = node
                .descendants()
                .filter(|d| d.is_element() && d.tag_name().name() == "sirResult")
                .count();
            assert_eq!(s.sir_results.len(), n_sir, "{name}: {}", s.lab.acronym);
            let n_lab = node
                .descendants()
                .filter(|d| d.is_element() && d.tag_name().name() == "measurementResult")
                .count();
            assert_eq!(s.measurements.len(), n_lab, "{name}: {}", s.lab.acronym);
        }
        assert!(!fc.comparison.participants.is_empty());
        assert_eq!(fc.comparison.measurands.len(), 1);

        // A DoE table and chart can be made from the latest release when it has DoEs.
        if !file_does.is_empty() {
            let table = DoeTable::from_release(code.clone(), latest).expect("units convert");
            assert_eq!(table.points.len(), file_does.len());
            assert!(table.reference_band.unwrap() > 0.0);
        }
    }
}

#[test]
fn co60_latest_kcrv_and_normalised_units() {
    let fc = import_fair(&read("Co-60_database_FAIR.xml")).unwrap();
    assert_eq!(
        fc.comparison.id,
        ComparisonId::parse("BIPM.RI(II)-K1.Co-60").unwrap()
    );
    // The file's last release: <dsi:value>7062.0</dsi:value> <dsi:unit>kBq</dsi:unit>,
    // expandedUnc 2.3 with coverage factor 1, year 2022, DOI 10.1088/0026-1394/60/1A/06010.
    let latest = fc.latest_release().unwrap();
    assert_eq!(latest.kcrv.value, 7062.0);
    assert!(latest.kcrv.unit.same_as(&Unit::normalise("kBq").unwrap().0));
    assert_eq!(latest.kcrv.uncertainty.unwrap().standard(), 2.3);
    assert_eq!(latest.year, Some(2022));
    assert_eq!(
        fc.comparison.report_doi.as_ref().unwrap().as_str(),
        "10.1088/0026-1394/60/1A/06010"
    );
    assert_eq!(fc.radionuclide.as_deref(), Some("Co-60"));
    // " kBq " (releases 4 and 5) and " kBq" (release 6) are normalised, with a warning each.
    let normalised: Vec<_> = fc
        .warnings
        .iter()
        .filter(|w| w.message.contains("normalised") && w.at.contains("kcrv"))
        .collect();
    assert!(
        normalised.iter().any(|w| w.message.contains("\" kBq \"")),
        "{normalised:?}"
    );
    assert!(normalised.iter().any(|w| w.message.contains("\" kBq\"")));
    for r in &fc.releases {
        assert!(r.kcrv.unit.same_as(&latest.kcrv.unit));
    }
}

#[test]
fn ga67_empty_unit_is_inherited_with_a_warning() {
    let fc = import_fair(&read("Ga-67_database_FAIR.xml")).unwrap();
    let latest = fc.latest_release().unwrap();
    // The 2024 release has <dsi:unit></dsi:unit>; the previous one says kBq.
    assert_eq!(latest.year, Some(2024));
    assert!(latest.kcrv.unit.same_as(&Unit::normalise("kBq").unwrap().0));
    assert!(fc
        .warnings
        .iter()
        .any(|w| w.message.contains("empty unit") && w.at.contains("release[4]")));
    // The latest release has no DOI yet: the report DOI is the previous one's.
    assert!(latest.doi.is_none());
    assert_eq!(
        fc.comparison.report_doi.as_ref().unwrap().as_str(),
        "10.1088/0026-1394/58/1A/06017"
    );
}

#[test]
fn cs137_linked_comparisons_and_lab_references() {
    let fc = import_fair(&read("Cs-137_database_FAIR.xml")).unwrap();
    let latest = fc.latest_release().unwrap();
    assert_eq!(latest.linked.len(), 1);
    let linked = &latest.linked[0];
    assert_eq!(linked.code, "COOMET.RI(II)-K2.Cs-137(2007)");
    assert!(linked.id.is_some());
    assert_eq!(linked.rmo.as_deref(), Some("COOMET.RI"));
    // <kc:acronym>TENMAK-NUKEN</kc:acronym> <kc:pastAcronyms>TAEK</kc:pastAcronyms>
    // <kc:ror>https://ror.org/05hp77p11</kc:ror>
    let tenmak = latest
        .does
        .iter()
        .find(|d| d.lab.acronym == "TENMAK-NUKEN")
        .unwrap();
    assert_eq!(tenmak.lab.ror.as_ref().unwrap().id(), "05hp77p11");
    assert_eq!(tenmak.lab.past_acronyms, ["TAEK"]);
    assert!(tenmak.lab.code.is_some());
    // Methods joined by '&' are split.
    assert!(fc
        .submissions
        .iter()
        .flat_map(|s| &s.measurements)
        .all(|m| m.methods.iter().all(|x| !x.contains('&'))));
}

#[test]
fn doctype_and_entities_are_refused() {
    let billion_laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<comparison>&lol2;</comparison>"#;
    assert!(matches!(
        import_fair(billion_laughs),
        Err(FairError::Doctype { .. })
    ));
    let external = r#"<?xml version="1.0"?>
<!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><comparison>&xxe;</comparison>"#;
    assert!(matches!(
        import_fair(external),
        Err(FairError::Doctype { .. })
    ));
}

#[test]
fn errors_name_the_place() {
    let e = import_fair("<comparison><generalInformation></generalInformation>").unwrap_err();
    assert!(matches!(e, FairError::Xml { line: 1, .. }), "{e}");
    let e = import_fair(
        "<comparison>\n  <generalInformation>\n    <pilot><acronym>BIPM</acronym></pilot>\n  </generalInformation>\n</comparison>",
    )
    .unwrap_err();
    match e {
        FairError::Missing {
            line,
            element,
            ref path,
            ..
        } => {
            assert_eq!(line, 2);
            assert_eq!(element, "comparisonCode");
            assert_eq!(path, "comparison/generalInformation");
        }
        other => panic!("{other}"),
    }
    // A KCRV value that is not a number, on line 7.
    let xml = read("Co-60_database_FAIR.xml").replacen(
        "<dsi:value>7064.6</dsi:value>",
        "<dsi:value>7O64.6</dsi:value>",
        1,
    );
    match import_fair(&xml).unwrap_err() {
        FairError::Invalid { line, path, .. } => {
            assert_eq!(line, 19);
            assert!(path.ends_with("release[1]/kcrv/value"), "{path}");
        }
        other => panic!("{other}"),
    }
}

#[test]
fn truncated_and_mangled_inputs_do_not_panic() {
    let xml = read("Ga-67_database_FAIR.xml");
    let mut cut = 0;
    while cut < xml.len() {
        if xml.is_char_boundary(cut) {
            let _ = import_fair(&xml[..cut]);
        }
        cut += 1_237;
    }
    for (from, to) in [
        ("<dsi:value>", "<dsi:value>NaN"),
        ("<dsi:value>", "<dsi:value>1e999"),
        ("<dsi:unit>", "<dsi:unit>\\no\\such"),
        ("<kc:acronym>", "<kc:acronym> "),
        ("<kc:ror>", "<kc:ror>x"),
        ("<kc:year>", "<kc:year>-"),
        ("<dsi:valueStandardMU>", "<dsi:valueStandardMU>-"),
        ("<dsi:coverageFactor>", "<dsi:coverageFactor>0"),
        ("<kc:release>", "<kc:release><kc:release>"),
    ] {
        let _ = import_fair(&xml.replace(from, to));
    }
}

#[test]
fn minimal_document_with_a_ror_only_laboratory() {
    let xml = r#"<kc:comparison xmlns:kc="KC_Schema" xmlns:dsi="https://ptb.de/si">
  <kc:generalInformation>
    <kc:comparisonCode>BIPM.RI(II)-K1.Xx-1</kc:comparisonCode>
    <kc:pilot><kc:acronym>BIPM</kc:acronym></kc:pilot>
  </kc:generalInformation>
  <kc:comparisonData>
    <kc:release>
      <kc:year>2024</kc:year>
      <kc:kcrv><dsi:value>100</dsi:value><dsi:unit>\kilo\becquerel</dsi:unit>
        <dsi:measurementUncertaintyUnivariate><dsi:standardMU>
          <dsi:valueStandardMU>1</dsi:valueStandardMU></dsi:standardMU>
        </dsi:measurementUncertaintyUnivariate></kc:kcrv>
      <kc:degreesOfEquivalence>
        <kc:degreeOfEquivalence>
          <kc:laboratory><kc:ror>https://ror.org/05hp77p11</kc:ror></kc:laboratory>
          <kc:result><dsi:value>0.5</dsi:value><dsi:unit>kBq</dsi:unit>
            <dsi:measurementUncertaintyUnivariate><dsi:expandedMU>
              <dsi:valueExpandedMU>2</dsi:valueExpandedMU><dsi:coverageFactor>2</dsi:coverageFactor>
            </dsi:expandedMU></dsi:measurementUncertaintyUnivariate></kc:result>
        </kc:degreeOfEquivalence>
      </kc:degreesOfEquivalence>
    </kc:release>
  </kc:comparisonData>
</kc:comparison>"#;
    let fc = import_fair(xml).unwrap();
    let doe = &fc.latest_release().unwrap().does[0];
    assert_eq!(doe.lab.label(), "05hp77p11");
    assert!(doe.lab.code.is_none());
    assert_eq!(doe.result.uncertainty.unwrap().standard(), 1.0);
    assert!(fc.submissions.is_empty());
    assert_eq!(fc.radionuclide.as_deref(), Some("Xx-1"));
    let table = DoeTable::from_release("x", fc.latest_release().unwrap()).unwrap();
    assert_eq!(table.reference_band, Some(2.0));
}

#[test]
fn published_figures_of_every_file_keep_the_release() {
    use sevres_kcdb::export::published_jsonld;
    use sevres_kcdb::PublishedReference;
    for path in fair_files() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let fc = import_fair(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let latest = fc.latest_release().unwrap();
        let p = PublishedReference::from_release("m", name.as_str(), latest).unwrap();
        p.validate().unwrap();
        assert_eq!(p.kcrv, latest.kcrv.value, "{name}");
        assert_eq!(p.u_kcrv, latest.kcrv.uncertainty.unwrap().standard());
        assert_eq!(p.year, latest.year);
        // The same table as the release's, through either route.
        let direct = DoeTable::from_release("t", latest).unwrap();
        let via = p.doe_table("t").unwrap();
        assert_eq!(via.points, direct.points, "{name}");
        assert_eq!(via.unit, direct.unit);
        let band = (via.reference_band.unwrap() - direct.reference_band.unwrap()).abs();
        assert!(band <= 1e-12 * direct.reference_band.unwrap(), "{name}");
        // Serialisation keeps everything (the store keeps it as JSON).
        let back: PublishedReference =
            serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
        let node = published_jsonld(&p);
        assert_eq!(node["kcdb:kcrv"]["value"].as_f64(), Some(latest.kcrv.value));
        assert_eq!(
            node["kcdb:degreeOfEquivalence"].as_array().unwrap().len(),
            direct.points.len()
        );
    }
}
