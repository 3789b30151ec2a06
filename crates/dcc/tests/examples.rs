//! Checks against the shared DCC examples (`../shared/testdata/dcc/`, real public files whose
//! XSD verdicts were measured with xmllint, lxml and xmlschema), hand-made mutations of them that
//! trip each rule, hostile inputs, traceability against hand-built PTB CMCs, and rendering.

use std::path::PathBuf;

use sevres_dcc::{
    check, check_report, parse, read_limited, render_html, InputError, Limits, Options, Report,
    SignatureStatus, TraceStatus, TrustAnchors,
};

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/testdata/dcc/examples")
        .join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(data(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn run(xml: &str) -> Report {
    check(xml.as_bytes(), &Options::default()).expect("accepted by the input guard")
}

const VALID: &[&str] = &[
    "valid/ptb_vacuumlab-CDG_v3.1.0.xml",
    "valid/ptb_vacuumlab-SRG_v3.1.0.xml",
    "valid/ptb_vacuumlab-CDG_v3.1.1.xml",
    "valid/dcc_gp_temperature_typical_v12.xml",
    "valid/dcc_gp_temperature_simplified_v12.xml",
    "valid/dcc_gp_temperature_typical_adjustment_v12.xml",
    "valid/dcc_gp_temperatur_resistance_v12.xml",
    "v3.0.0/ptb_example_v3.0.0.xml",
    "v3.0.0/ptb_vacuumlab-CDG_v3.0.0.xml",
    "v3.0.0/ptb_vacuumlab-SRG_v3.0.0.xml",
];

const GP: &str = "valid/dcc_gp_temperature_typical_v12.xml";

#[test]
fn every_schema_version_compiles() {
    sevres_dcc::warm_up().unwrap();
}

#[test]
fn valid_examples_are_valid_without_errors() {
    for f in VALID {
        let r = run(&read(f));
        assert!(r.xsd_valid(), "{f}: {:?}", r.errors);
        assert!(r.errors.is_empty(), "{f}: {:?}", r.errors);
        assert!(r.valid(), "{f}");
        assert_eq!(r.signature(), SignatureStatus::None);
    }
}

#[test]
fn real_files_trip_documented_warnings() {
    // PTB's Good Practice DCCs tag an English declaration `lang="de"` (lines 175 and 221).
    let r = run(&read(GP));
    let dup: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.code == "SCH-LANG-DUPLICATE")
        .collect();
    assert_eq!(
        dup.iter().map(|w| w.line).collect::<Vec<_>>(),
        vec![Some(175), Some(221)]
    );
    // The vacuum laboratory DCCs name software releases by commit hash and give English-only
    // names in a de/en certificate.
    let r = run(&read("valid/ptb_vacuumlab-CDG_v3.1.0.xml"));
    assert!(r.warnings.iter().any(|w| w.code == "SCH-RELEASE-FORMAT"));
    assert!(r.warnings.iter().any(|w| w.code == "SCH-LANG-INCOMPLETE"));
    // PTB's 3.0.0 example writes \degreeCelsius.
    let r = run(&read("v3.0.0/ptb_example_v3.0.0.xml"));
    assert!(r
        .warnings
        .iter()
        .any(|w| w.code == "DSI-UNIT-CASE" && w.message.contains("degreeCelsius")));
    assert!(r.warnings.iter().any(|w| w.code == "SCH-VERSION-OUTDATED"));
}

#[test]
fn signature_before_3_2_is_a_schema_error_at_line_474() {
    let r = run(&read("invalid/dcc_gp_temperature_typical_v12_signed.xml"));
    assert!(!r.valid() && !r.xsd_valid());
    let sig = r
        .errors
        .iter()
        .find(|e| e.message.contains("Signature"))
        .expect("ds:Signature rejected");
    assert_eq!(sig.line, Some(474));
    assert!(sig.code.starts_with("XSD"));
}

#[test]
fn template_placeholders_are_schema_errors_all_listed() {
    let r = run(&read("invalid/dfm_template_temperature_v3.1.2.xml"));
    assert!(!r.xsd_valid());
    let xsd: Vec<_> = r
        .errors
        .iter()
        .filter(|e| e.code.starts_with("XSD"))
        .collect();
    assert!(
        xsd.len() > 20,
        "every finding, not only the first: {}",
        xsd.len()
    );
    assert!(xsd.iter().any(|e| e.line == Some(375)));
    assert!(xsd
        .iter()
        .any(|e| e.line == Some(71) && e.message.contains("xs:date")));
    // The placeholder units are not D-SI either.
    assert!(r.errors.iter().any(|e| e.code == "DSI-UNIT"));
}

/// The public test chain that signed the real 3.2.0 example (`signed/trusted_certs/`).
fn test_chain() -> TrustAnchors {
    let mut anchors = TrustAnchors::new();
    for name in ["root.crt", "sub.crt", "signer.crt"] {
        let pem = std::fs::read(data(&format!("signed/trusted_certs/{name}"))).unwrap();
        anchors.add_pem_or_der(&pem).unwrap();
    }
    anchors
}

const SIGNED: &str = "signed/dcc_gp_temperature_typical_v12_v3.2.0_signed.xml";
const MANIPULATED: &str = "signed/dcc_gp_temperature_typical_v12_v3.2.0_signed_manipulated.xml";

#[test]
fn a_signed_dcc_is_valid_only_with_a_trusted_unaltered_signature() {
    let anchors = test_chain();
    let trusted = Options {
        trust: Some(&anchors),
        ..Options::default()
    };
    let r = check(read(SIGNED).as_bytes(), &trusted).unwrap();
    assert!(r.xsd_valid() && r.is_signed());
    assert_eq!(r.signature(), SignatureStatus::Valid, "{:?}", r.errors);
    assert!(r.valid(), "{:?}", r.errors);
    assert_eq!(r.to_json(SIGNED)["signature"], "valid");

    // Altered after signing: schema-valid, but the document digest no longer matches.
    let r = check(read(MANIPULATED).as_bytes(), &trusted).unwrap();
    assert!(r.xsd_valid());
    assert_eq!(r.signature(), SignatureStatus::Invalid);
    assert!(!r.valid());
    assert!(
        r.errors
            .iter()
            .any(|e| e.code.starts_with("SIG-") && e.line.is_some()),
        "{:?}",
        r.errors
    );

    // Without trust anchors the signature verifies but nobody vouches for the signer.
    let r = check(read(SIGNED).as_bytes(), &Options::default()).unwrap();
    assert_eq!(r.signature(), SignatureStatus::Untrusted);
    assert!(!r.valid());

    // Not verified at all (signature checking off): untrusted, with a warning saying so.
    let unverified = Options {
        signature: false,
        ..Options::default()
    };
    let mut r = check(read(SIGNED).as_bytes(), &unverified).unwrap();
    assert_eq!(r.signature(), SignatureStatus::Untrusted);
    assert!(r
        .warnings
        .iter()
        .any(|w| w.code == sevres_dcc::SIG_NOT_VERIFIED));
    r.set_signature(SignatureStatus::Valid);
    assert!(r.valid());
}

#[test]
fn version_2_is_unsupported() {
    for f in [
        "v2.4.0/siliziumkugel_2_4_0.xml",
        "v2.4.0/signed_siliziumkugel.xml",
    ] {
        let bytes = std::fs::read(data(f)).unwrap();
        let e = check(&bytes, &Options::default()).unwrap_err();
        assert_eq!(e, InputError::UnsupportedVersion("2.4.0".into()));
        let j = check_report(&bytes, &Options::default()).to_json(f);
        assert_eq!(j["valid"], false);
        assert_eq!(j["errors"][0]["code"], "INPUT-UNSUPPORTED-VERSION");
        assert!(j["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("unsupported version"));
    }
}

#[test]
fn json_shape() {
    let j = check_report(read(GP).as_bytes(), &Options::default()).to_json("gp.xml");
    for key in [
        "file",
        "schema_version",
        "valid",
        "errors",
        "warnings",
        "signature",
        "traceability",
    ] {
        assert!(j.get(key).is_some(), "{key}");
    }
    assert_eq!(j["schema_version"], "3.1.1");
    assert_eq!(j["signature"], "none");
    let w = &j["warnings"][0];
    assert!(w["code"].is_string() && w["message"].is_string() && w["line"].is_number());
}

// ---------------------------------------------------------------- hostile input

const BILLION_LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<dcc:digitalCalibrationCertificate xmlns:dcc="https://ptb.de/dcc" schemaVersion="3.1.1">&lol3;</dcc:digitalCalibrationCertificate>"#;

const XXE: &str = r#"<?xml version="1.0"?>
<!-- a comment first -->
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<dcc:digitalCalibrationCertificate xmlns:dcc="https://ptb.de/dcc" schemaVersion="3.1.1">&xxe;</dcc:digitalCalibrationCertificate>"#;

#[test]
fn billion_laughs_and_external_entities_are_refused() {
    let e = check(BILLION_LAUGHS.as_bytes(), &Options::default()).unwrap_err();
    assert_eq!(e, InputError::Doctype { line: 2 });
    assert!(e.to_string().contains("DOCTYPE"));
    let e = check(XXE.as_bytes(), &Options::default()).unwrap_err();
    assert_eq!(e, InputError::Doctype { line: 3 });
    assert_eq!(e.code(), "INPUT-DOCTYPE");
    // A "DOCTYPE" inside a comment is no declaration.
    let ok = read(GP).replacen(
        "<dcc:digitalCalibrationCertificate",
        "<!-- <!DOCTYPE x> --><dcc:digitalCalibrationCertificate",
        1,
    );
    assert!(check(ok.as_bytes(), &Options::default()).is_ok());
}

#[test]
fn one_gigabyte_is_refused_without_reading_it() {
    let gig = std::io::repeat(b' ').take(1 << 30);
    let e = read_limited(gig, sevres_dcc::DEFAULT_MAX_SIZE).unwrap_err();
    assert_eq!(
        e,
        InputError::TooLarge {
            size: sevres_dcc::DEFAULT_MAX_SIZE + 1,
            limit: sevres_dcc::DEFAULT_MAX_SIZE
        }
    );
    // A slice over the limit is refused before parsing.
    let xml = read(GP);
    let opts = Options {
        limits: Limits {
            max_size: 1000,
            ..Limits::default()
        },
        ..Options::default()
    };
    assert!(matches!(
        check(xml.as_bytes(), &opts),
        Err(InputError::TooLarge { limit: 1000, .. })
    ));
}

use std::io::Read;

#[test]
fn depth_encoding_and_shape_are_bounded() {
    let deep = format!(
        "<dcc:digitalCalibrationCertificate xmlns:dcc=\"https://ptb.de/dcc\" schemaVersion=\"3.1.1\">{}{}</dcc:digitalCalibrationCertificate>",
        "<a>".repeat(300),
        "</a>".repeat(300)
    );
    assert!(matches!(
        check(deep.as_bytes(), &Options::default()),
        Err(InputError::TooDeep { limit: 128, .. })
    ));
    assert!(matches!(
        check(b"<a><b></a>", &Options::default()),
        Err(InputError::Malformed { line: 1, .. })
    ));
    assert!(matches!(
        check(b"\xff\xfe<\x00a\x00", &Options::default()),
        Err(InputError::Encoding(_))
    ));
    assert!(matches!(
        check(b"<a>\xff</a>", &Options::default()),
        Err(InputError::Encoding(_))
    ));
    assert!(matches!(
        check(
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>",
            &Options::default()
        ),
        Err(InputError::Encoding(_))
    ));
    assert_eq!(
        check(b"<a/>", &Options::default()).unwrap_err(),
        InputError::NotDcc("a".into())
    );
    assert_eq!(
        check(
            b"<d:digitalCalibrationCertificate xmlns:d=\"https://ptb.de/dcc\"/>",
            &Options::default()
        )
        .unwrap_err(),
        InputError::MissingVersion
    );
    assert!(matches!(
        check(b"<d:digitalCalibrationCertificate xmlns:d=\"https://ptb.de/dcc\" schemaVersion=\"3.4.0-rc.2\"/>", &Options::default()),
        Err(InputError::UnsupportedVersion(_))
    ));
}

#[test]
fn fuzz_entry_survives_garbage_and_mutations() {
    let gp = read(GP);
    sevres_dcc::fuzz_check(b"");
    sevres_dcc::fuzz_check(b"\0\0\0");
    sevres_dcc::fuzz_check(BILLION_LAUGHS.as_bytes());
    // Truncations of a real file at many points: never a panic.
    for cut in (0..gp.len()).step_by(997) {
        if gp.is_char_boundary(cut) {
            sevres_dcc::fuzz_check(&gp.as_bytes()[..cut]);
        }
    }
    sevres_dcc::fuzz_check(gp.as_bytes());
}

// ---------------------------------------------------------------- mutations, one per rule

/// Applies `from → to` once to the GP example (asserting it applied) and checks.
fn mutate(from: &str, to: &str) -> Report {
    let base = read(GP);
    assert!(base.contains(from), "mutation anchor not found: {from}");
    run(&base.replacen(from, to, 1))
}

fn has(r: &Report, code: &str) -> bool {
    r.errors.iter().chain(&r.warnings).any(|f| f.code == code)
}

fn is_error(r: &Report, code: &str) -> bool {
    r.errors.iter().any(|f| f.code == code)
}

#[test]
fn mutations_trip_each_rule() {
    let cases: &[(&str, &str, &str, bool)] = &[
        // (from, to, code, is an error)
        ("<dcc:quantity refType=\"basic_measurementError\">", "<dcc:quantity refType=\"basic_measurementError\" refId=\"nowhere\">", "SCH-REFID-UNRESOLVED", true),
        ("<dcc:quantity refType=\"basic_measurementError\">", "<dcc:quantity refType=\"basic_measurementError\" id=\"q1\">", "SCH-ID-UNREFERENCED", false),
        ("<dcc:content lang=\"en\">Temperature sensor</dcc:content>", "<dcc:content lang=\"fr\">Temperature sensor</dcc:content>", "SCH-LANG-UNDECLARED", true),
        ("<dcc:content lang=\"en\">Temperature sensor</dcc:content>", "", "SCH-LANG-INCOMPLETE", false),
        ("<dcc:endPerformanceDate>1957-08-13", "<dcc:endPerformanceDate>1957-08-01", "SCH-DATE-ORDER", true),
        ("<dcc:release>v 8.2</dcc:release>", "<dcc:release>8.2 final</dcc:release>", "SCH-RELEASE-FORMAT", false),
        ("<dcc:usedLangCodeISO639_1>en<", "<dcc:usedLangCodeISO639_1>xx<", "SCH-LANG-CODE", true),
        ("<dcc:countryCodeISO3166_1>DE<", "<dcc:countryCodeISO3166_1>XY<", "SCH-COUNTRY-CODE", true),
        (
            "<dcc:usedLangCodeISO639_1>en</dcc:usedLangCodeISO639_1>",
            "<dcc:usedLangCodeISO639_1>en</dcc:usedLangCodeISO639_1><dcc:usedLangCodeISO639_1>en</dcc:usedLangCodeISO639_1>",
            "SCH-LANG-DECLARED-TWICE",
            true,
        ),
        ("<si:uncertaintyXMLList>0.061<", "<si:uncertaintyXMLList>0.061 0.05<", "SCH-UNC-COUNT", true),
        ("<si:unitXMLList>\\kelvin</si:unitXMLList>", "<si:unitXMLList>\\kelvin \\metre</si:unitXMLList>", "SCH-UNIT-COUNT", true),
        ("<si:unitXMLList>\\kelvin</si:unitXMLList>", "<si:unitXMLList>\\kelvin \\kelvin \\kelvin \\kelvin \\kelvin</si:unitXMLList>", "SCH-UNIT-REDUNDANT", false),
        ("<si:unit>\\kelvin</si:unit>", "<si:unit>\\kelvin \\metre</si:unit>", "SCH-UNIT-SPACE", true),
        ("306.248 373.121", "306.248  373.121", "SCH-LIST-SPACING", true),
        ("<si:valueXMLList>306.248", "<si:valueXMLList> 306.248", "SCH-LIST-SPACING", true),
        ("refType=\"basic_measurementError\"", "refType=\"basic_measurementError \"", "SCH-LIST-SPACING", true),
        ("<si:unit>\\metre</si:unit>", "<si:unit>\\meter</si:unit>", "DSI-UNIT", true),
        ("<si:unit>\\metre</si:unit>", "<si:unit>\\Metre</si:unit>", "DSI-UNIT-CASE", false),
        ("<si:uncertaintyXMLList>0.061<", "<si:uncertaintyXMLList>-0.061<", "UNC-NEGATIVE", true),
        ("<si:coverageFactorXMLList>2<", "<si:coverageFactorXMLList>0<", "UNC-COVERAGE-FACTOR", true),
        ("<si:coverageFactorXMLList>2<", "<si:coverageFactorXMLList>0.5<", "UNC-COVERAGE-FACTOR-SMALL", false),
        ("<si:coverageProbabilityXMLList>0.95<", "<si:coverageProbabilityXMLList>0<", "UNC-PROBABILITY", true),
        ("<si:coverageFactorXMLList>2<", "<si:coverageFactorXMLList>2 2<", "LIST-LENGTH", true),
        ("<dcc:usedSoftware>", "<dcc:usedSoftware>", "SCH-SOFTWARE-MISSING", false),
    ];
    for (from, to, code, error) in cases {
        if *code == "SCH-SOFTWARE-MISSING" {
            // The GP file declares no software for its results: a real warning.
            assert!(has(&run(&read(GP)), code));
            continue;
        }
        let r = mutate(from, to);
        assert!(
            has(&r, code),
            "{code}: not reported; got {:?} / {:?}",
            r.errors,
            r.warnings
        );
        assert_eq!(is_error(&r, code), *error, "{code}: severity");
        // ... and the unmutated file does not have it (except the warnings it really has).
        if *error {
            assert!(
                !has(&run(&read(GP)), code),
                "{code} already in the original"
            );
        }
    }
}

#[test]
fn missing_methods_and_influence_conditions() {
    let base = read(GP);
    let no_methods = base.replace("dcc:usedMethods>", "dcc:usedMethodsGone>");
    assert!(is_error(&run(&no_methods), "SCH-METHODS-MISSING"));
    let no_conditions = base.replace("dcc:influenceConditions>", "dcc:influenceConditionsGone>");
    assert!(is_error(&run(&no_conditions), "SCH-INFLUENCE-MISSING"));
}

#[test]
fn non_si_units() {
    let base = read(GP);
    // A non-SI unit in a hybrid, not declared.
    let undeclared = base.replacen(
        "<dcc:data>",
        "<dcc:data><dcc:quantity><si:hybrid><si:real><si:value>1</si:value><si:unit>|furlong</si:unit></si:real></si:hybrid></dcc:quantity>",
        1,
    );
    let r = run(&undeclared);
    assert!(is_error(&r, "SCH-NONSI-UNDECLARED"), "{:?}", r.errors);
    assert!(has(&r, "DSI-UNIT-NONSTANDARD") || has(&r, "DSI-UNIT"));
    // A dcc:nonSIUnit without its definition.
    let lonely = base.replacen(
        "<dcc:statements>",
        "<dcc:statements><dcc:statement><dcc:nonSIUnit>|furlong</dcc:nonSIUnit></dcc:statement>",
        1,
    );
    assert!(is_error(&run(&lonely), "SCH-NONSI-DEFINITION"));
    let defined = base.replacen(
        "<dcc:statements>",
        "<dcc:statements><dcc:statement><dcc:nonSIDefinition><si:real><si:value>201.168</si:value><si:unit>\\metre</si:unit></si:real></dcc:nonSIDefinition><dcc:nonSIUnit>|furlong</dcc:nonSIUnit></dcc:statement>",
        1,
    );
    assert!(!has(&run(&defined), "SCH-NONSI-DEFINITION"));
}

#[test]
fn relative_uncertainties() {
    let base = read(GP);
    // Single value 306 K with U = 0.5 K: 0.5/306 = 0.001634.
    let single = |rel: &str, with_u: bool| {
        let u = if with_u {
            "<si:expandedUnc><si:uncertainty>0.5</si:uncertainty><si:coverageFactor>2</si:coverageFactor><si:coverageProbability>0.95</si:coverageProbability></si:expandedUnc>"
        } else {
            ""
        };
        base.replacen(
            "<si:value>306</si:value>\n\t\t\t\t\t\t\t<si:unit>\\kelvin</si:unit>\n\t\t\t\t\t\t</si:real>",
            &format!(
                "<si:value>306</si:value><si:unit>\\kelvin</si:unit>{u}</si:real><dcc:relativeUncertainty><dcc:relativeUncertaintySingle><si:value>{rel}</si:value><si:unit>\\one</si:unit></dcc:relativeUncertaintySingle></dcc:relativeUncertainty>"
            ),
            1,
        )
    };
    let ok = single("0.001634", true);
    assert_ne!(ok, base, "anchor");
    assert!(!has(&run(&ok), "SCH-RELUNC-VALUE"));
    assert!(is_error(&run(&single("0.01", true)), "SCH-RELUNC-VALUE"));
    assert!(is_error(
        &run(&single("0.001634", false)),
        "SCH-RELUNC-NO-EXPANDED"
    ));
    // Percent: 0.1634 % is consistent.
    let pct = single("0.1634", true).replace(
        "<si:value>0.1634</si:value><si:unit>\\one</si:unit>",
        "<si:value>0.1634</si:value><si:unit>\\percent</si:unit>",
    );
    assert!(!has(&run(&pct), "SCH-RELUNC-VALUE"));
    // A list of 2 relative uncertainties for 5 values.
    let list = base.replacen(
        "<si:distributionXMLList>normal</si:distributionXMLList>\n\t\t\t\t\t\t\t\t\t</si:expandedUncXMLList>\n\t\t\t\t\t\t\t\t</si:realListXMLList>",
        "<si:distributionXMLList>normal</si:distributionXMLList></si:expandedUncXMLList></si:realListXMLList><dcc:relativeUncertainty><dcc:relativeUncertaintyXmlList><si:valueXMLList>0.5 0.5</si:valueXMLList><si:unitXMLList>\\one</si:unitXMLList></dcc:relativeUncertaintyXmlList></dcc:relativeUncertainty>",
        1,
    );
    assert_ne!(list, base, "anchor");
    assert!(is_error(&run(&list), "SCH-RELUNC-COUNT"));
}

// ---------------------------------------------------------------- traceability

fn ptb_cmc(code: &str, min_c: f64, max_c: f64, u_k: f64, k: f64) -> sevres_cmc::Cmc {
    let mut c = sevres_cmc::Cmc::new(sevres_cmc::KcdbCode::parse(code).expect("code"));
    c.institute = sevres_cmc::Institute {
        code: "PTB".into(),
        name: "Physikalisch-Technische Bundesanstalt".into(),
    };
    c.country = "Germany".into();
    c.quantity = "Temperature".into();
    c.measurand = Some(sevres_cmc::Range {
        min: Some(min_c),
        max: Some(max_c),
        unit: "°C".into(),
    });
    c.uncertainty = sevres_cmc::Uncertainty {
        limits: Some(sevres_cmc::Range {
            min: Some(u_k),
            max: Some(u_k),
            unit: "mK".into(),
        }),
        mode: Some(sevres_cmc::UncertaintyMode::Absolute),
        coverage_factor: Some(k),
        // A level of ≈95 % would be taken as stated whatever k (sevres-cmc coverage rule 1).
        confidence_level: if k == 2.0 { Some(95.0) } else { None },
        ..Default::default()
    };
    c
}

#[test]
fn traceability_against_ptb_cmcs() {
    // The GP example, issued by PTB instead of "Kalibrierfirma GmbH".
    let xml = read(GP).replacen(
        "<dcc:content>Kalibrierfirma GmbH</dcc:content>",
        "<dcc:content>Physikalisch-Technische Bundesanstalt (PTB)</dcc:content>",
        1,
    );
    let registry = sevres_cmc::Registry::new(vec![
        // 0 … 200 °C, U = 30 mK (k = 2): covers the first two points (33 °C, 100 °C).
        ptb_cmc("EURAMET-T-DE-00000T01-1", 0.0, 200.0, 30.0, 2.0),
        // 200 … 420 °C, U = 50 mK at k = 1, i.e. 100 mK at k = 2: more than the claimed 61 mK.
        ptb_cmc("EURAMET-T-DE-00000T02-1", 200.0, 420.0, 50.0, 1.0),
    ]);
    let opts = Options {
        cmcs: Some(&registry),
        ..Options::default()
    };
    let r = check(xml.as_bytes(), &opts).unwrap();
    let errors: Vec<_> = r
        .traceability
        .iter()
        .filter(|t| t.quantity == "Messabweichung")
        .collect();
    assert_eq!(errors.len(), 5, "{:#?}", r.traceability);
    let first = errors[0];
    assert_eq!(first.lab.institute.as_deref(), Some("PTB"));
    assert!(first.lab.how.starts_with("name"), "{}", first.lab.how);
    assert!(
        first.value_source.starts_with("reference value"),
        "{}",
        first.value_source
    );
    assert_eq!(first.evaluated_at, (306.248, "\\kelvin".to_string()));
    assert!(first.in_range);
    assert_eq!(first.cmcs[0].code, "EURAMET-T-DE-00000T01-1");
    assert!((first.cmcs[0].uncertainty_low - 0.03).abs() < 1e-12);
    assert!((first.claimed_k2_si.unwrap() - 0.061).abs() < 1e-12);
    assert_eq!(first.status, TraceStatus::Ok);
    // 448 K = 175 °C: first CMC; 523 K = 250 °C and 593 K = 320 °C: second CMC, whose 100 mK at
    // k = 2 exceeds the claimed 61 mK.
    assert_eq!(errors[2].status, TraceStatus::Ok);
    assert_eq!(errors[3].status, TraceStatus::BelowCmc);
    assert_eq!(errors[3].cmcs[0].ok, Some(false));
    assert_eq!(errors[4].status, TraceStatus::BelowCmc);
    let j = r.to_json("gp.xml");
    assert_eq!(j["traceability"][3]["status"], "below_cmc");

    // Out of range, and another laboratory.
    let narrow = sevres_cmc::Registry::new(vec![ptb_cmc(
        "EURAMET-T-DE-00000T01-1",
        0.0,
        20.0,
        30.0,
        2.0,
    )]);
    let r = check(
        xml.as_bytes(),
        &Options {
            cmcs: Some(&narrow),
            ..Options::default()
        },
    )
    .unwrap();
    assert!(r
        .traceability
        .iter()
        .filter(|t| t.quantity == "Messabweichung")
        .all(|t| t.status == TraceStatus::OutOfRange));
    let r = check(
        read(GP).as_bytes(),
        &Options {
            cmcs: Some(&registry),
            ..Options::default()
        },
    )
    .unwrap();
    assert!(r
        .traceability
        .iter()
        .all(|t| t.status == TraceStatus::NoInstitute));
    assert!(r.traceability[0].lab.how.contains("Kalibrierfirma"));
}

#[test]
fn traceability_matches_ptb_vacuum_lab_by_acronym() {
    let mut c = ptb_cmc("EURAMET-M-DE-00000P01-1", 0.0, 1.0, 1.0, 2.0);
    c.institute.name = "Some other spelling".into();
    let registry = sevres_cmc::Registry::new(vec![c]);
    let xml = read("valid/ptb_vacuumlab-CDG_v3.1.0.xml");
    let r = check(
        xml.as_bytes(),
        &Options {
            cmcs: Some(&registry),
            ..Options::default()
        },
    )
    .unwrap();
    assert!(!r.traceability.is_empty());
    let t = &r.traceability[0];
    assert_eq!(t.lab.institute.as_deref(), Some("PTB"), "{}", t.lab.how);
    assert!(t.lab.how.starts_with("acronym"), "{}", t.lab.how);
    // Pressure values against a temperature CMC: no CMC of that dimension.
    assert!(r
        .traceability
        .iter()
        .all(|t| t.status == TraceStatus::NoCmc || t.status == TraceStatus::NotEvaluable));
}

// ---------------------------------------------------------------- rendering

#[test]
fn renders_in_two_languages_and_escapes() {
    let xml = read(GP);
    let dcc = parse(xml.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(dcc.languages(), vec!["de".to_string(), "en".to_string()]);
    let de = render_html(&dcc, "de");
    let en = render_html(&dcc, "en");
    assert!(de.contains("Temperatur-Fühler") && !de.contains("Temperature sensor"));
    assert!(en.contains("Temperature sensor") && !en.contains("Temperatur-Fühler"));
    assert!(de.starts_with("<!DOCTYPE html><html lang=\"de\">"));
    assert!(en.contains("Measurement error"));
    // Units printed readably, values and uncertainties in the tables.
    assert!(en.contains("°C"), "degree Celsius printed");
    assert!(en.contains("0.072 ± 0.061 (k = 2, p = 0.95)"));
    // A language not declared falls back to the mandatory one.
    assert!(render_html(&dcc, "fr").contains("lang=\"de\""));

    let hostile = xml
        .replacen(
            "Temperature sensor",
            "<script>alert(\"x\")</script> &amp; co",
            1,
        )
        .replacen("Temperature sensor", "x", 0);
    let hostile = hostile.replace(
        "<script>alert(\"x\")</script>",
        "&lt;script&gt;alert(\"x\")&lt;/script&gt;",
    );
    let dcc = parse(hostile.as_bytes(), &Limits::default()).unwrap();
    let en = render_html(&dcc, "en");
    assert!(!en.contains("<script>"));
    assert!(en.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"));

    // The vacuum laboratory DCC renders too (English names only).
    let xml = read("valid/ptb_vacuumlab-CDG_v3.1.0.xml");
    let dcc = parse(xml.as_bytes(), &Limits::default()).unwrap();
    let html = render_html(&dcc, "en");
    assert!(html.contains("Physikalisch-Technische Bundesanstalt (PTB)"));
    assert!(html.contains("kg·m⁻¹·s⁻²"), "D-SI unit printed readably");
}
