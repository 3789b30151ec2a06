//! The UCUM functional test suite (`UcumFunctionalTests.xml` of FHIR/Ucum-java, the shared part
//! vendored under `shared/testdata/units/ucum/`), read at run time: every validation case, every
//! display name, every conversion, multiplication and division case.
//!
//! Cases that fail by design are listed in [`EXCEPTIONS`] with the reason; the list is empty
//! when every case passes.

use sevres_si::{ucum, Conversion, Notation, UnitExpr};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/units/ucum/UcumFunctionalTests.shared.xml"
);

/// Cases that fail by design, as (section, case id, reason).
const EXCEPTIONS: &[(&str, &str, &str)] = &[];

fn excepted(section: &str, id: &str) -> bool {
    EXCEPTIONS.iter().any(|(s, i, _)| *s == section && *i == id)
}

/// The empty string stands for unity in the multiplication/division results.
fn parse(text: &str) -> Result<UnitExpr, sevres_si::ParseError> {
    if text.is_empty() {
        return Ok(UnitExpr::unity(Notation::Ucum));
    }
    ucum::parse(text)
}

/// Number of significant digits of a decimal outcome such as `0.160` (3) or `1e-7` (1).
fn significant_digits(s: &str) -> usize {
    let mantissa = s.split(['e', 'E']).next().unwrap_or(s);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let trimmed = digits.trim_start_matches('0');
    let trimmed = if mantissa.contains('.') {
        trimmed
    } else {
        trimmed.trim_end_matches('0')
    };
    trimmed.len().max(1)
}

/// Relative tolerance for comparing with an outcome. The file says the precision of outcomes
/// "may vary" (`1.6` for 6.3 / 4 = 1.575, `0.160` for 6.30 in = 0.16002 m): outcomes are
/// rounded to about the significant digits of the input value. We accept a deviation of one
/// unit in the last significant digit of the outcome, and never ask for better than 1e-12
/// relative, below which the rounding of `f64` dominates.
fn tolerance(outcome: &str) -> f64 {
    let sig = significant_digits(outcome) as i32;
    10f64.powi(1 - sig).max(1e-12)
}

fn close(got: f64, expected: f64, outcome: &str) -> bool {
    if expected == 0.0 {
        return got.abs() < 1e-300;
    }
    ((got - expected) / expected).abs() <= tolerance(outcome)
}

#[test]
fn ucum_functional_tests() {
    let xml = std::fs::read_to_string(FILE).expect("test file");
    let doc = roxmltree::Document::parse(&xml).expect("xml");
    let mut failures = Vec::new();
    let mut counts = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    for section in doc.root_element().children().filter(|n| n.is_element()) {
        let name = section.tag_name().name();
        for case in section.children().filter(|n| n.has_tag_name("case")) {
            let id = case.attribute("id").unwrap_or("?");
            let a = |k: &str| case.attribute(k).unwrap_or("");
            let result: Result<(), String> = match name {
                "validation" => {
                    let valid = a("valid") == "true";
                    match (ucum::parse(a("unit")), valid) {
                        (Ok(_), true) | (Err(_), false) => Ok(()),
                        (Ok(e), false) => Err(format!(
                            "'{}' accepted ({:?}), expected invalid: {}",
                            a("unit"),
                            e.canonical().map(|c| c.dimension.to_string()),
                            a("reason")
                        )),
                        (Err(e), true) => Err(format!("'{}' refused: {e}", a("unit"))),
                    }
                }
                "displayNameGeneration" => match ucum::display_name(a("unit")) {
                    Ok(d) if d == a("display") => Ok(()),
                    Ok(d) => Err(format!(
                        "'{}': got {d:?}, expected {:?}",
                        a("unit"),
                        a("display")
                    )),
                    Err(e) => Err(format!("'{}': {e}", a("unit"))),
                },
                "conversion" => {
                    let value: f64 = a("value").parse().expect("value");
                    let expected: f64 = a("outcome").parse().expect("outcome");
                    match (parse(a("srcUnit")), parse(a("dstUnit"))) {
                        (Ok(s), Ok(d)) => match Conversion::new(&s, &d) {
                            Ok(c) => {
                                let got = c.apply(value);
                                if close(got, expected, a("outcome")) {
                                    Ok(())
                                } else {
                                    Err(format!(
                                        "{value} {} → {} = {got}, expected {expected}",
                                        a("srcUnit"),
                                        a("dstUnit")
                                    ))
                                }
                            }
                            Err(e) => Err(e.to_string()),
                        },
                        (Err(e), _) | (_, Err(e)) => Err(e.to_string()),
                    }
                }
                "multiplication" | "division" => {
                    let v1: f64 = a("v1").parse().expect("v1");
                    let v2: f64 = a("v2").parse().expect("v2");
                    let expected: f64 = a("vRes").parse().expect("vRes");
                    match (parse(a("u1")), parse(a("u2")), parse(a("uRes"))) {
                        (Ok(u1), Ok(u2), Ok(ures)) => {
                            let (value, unit) = if name == "multiplication" {
                                (v1 * v2, u1.multiply(&u2))
                            } else {
                                (v1 / v2, u1.divide(&u2))
                            };
                            match Conversion::new(&unit, &ures) {
                                Ok(c) => {
                                    let got = c.apply(value);
                                    if close(got, expected, a("vRes")) {
                                        Ok(())
                                    } else {
                                        Err(format!("{got} {}, expected {expected}", a("uRes")))
                                    }
                                }
                                Err(e) => Err(e.to_string()),
                            }
                        }
                        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => Err(e.to_string()),
                    }
                }
                _ => continue,
            };
            let entry = counts.entry(name).or_default();
            entry.0 += 1;
            match result {
                Ok(()) => {
                    entry.1 += 1;
                    assert!(
                        !excepted(name, id),
                        "{name} {id} passes but is listed as an exception"
                    );
                }
                Err(e) if !excepted(name, id) => failures.push(format!("{name} {id}: {e}")),
                Err(_) => {}
            }
        }
    }
    for (section, (total, passed)) in &counts {
        eprintln!("{section}: {passed}/{total} pass");
    }
    assert!(counts.values().map(|c| c.0).sum::<usize>() >= 382);
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
}

#[test]
fn significant_digits_helper() {
    assert_eq!(significant_digits("0.160"), 3);
    assert_eq!(significant_digits("1.6"), 2);
    assert_eq!(significant_digits("1e-7"), 1);
    assert_eq!(significant_digits("6300000"), 2);
    assert_eq!(significant_digits("946073047258080000"), 14);
}
