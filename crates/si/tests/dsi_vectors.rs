//! The D-SI notation against the test vectors of PTB's reference implementation `dsiunits`
//! 3.1.3 (`dsiunits_vectors.shared.tsv`, harvested from its pytest parameters; see
//! `testdata/units/SOURCES.md`) and against the D-SI strings found in real DCC and key-comparison
//! files (`dsi_unit_strings_in_the_wild.tsv`).
//!
//! Every case of every kind is asserted. The file is read at run time, so that the held-out
//! cases of the same kinds run through the same checks. Cases the reference gets wrong are
//! listed in [`QUIRKS`] with the reason and checked in a weaker, stated form instead; there are
//! no silent skips.

use std::collections::BTreeMap;

use num_rational::Ratio;
use sevres_si::dsi::{self, Severity};
use sevres_si::UnitExpr;

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/units/dsi/dsiunits_vectors.shared.tsv"
);
const WILD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/units/dsi/dsi_unit_strings_in_the_wild.tsv"
);

/// Relative tolerance of `scale_factor` cases. Our factor is exact and rounded once to `f64`;
/// the reference multiplies `f64` prefix factors and constants, which accumulates a few ulps
/// (below 1e-15 relative). 1e-9 leaves room for that and for expected values written to ten
/// significant digits, while any wrong definition (a wrong prefix, 60 for 3600, a constant
/// with a wrong digit) is far outside it.
const REL_TOL: f64 = 1e-9;

/// Cases where the reference's own expectation is not what the SI says. Each is keyed by
/// (kind, input, other) and checked in the weaker form given by [`Quirk`].
const QUIRKS: &[(&str, &str, &str, Quirk, &str)] = &[
    (
        "scale_factor",
        r"\joule",
        r"\electronvolt",
        Quirk::Tolerance(2e-3),
        "the reference's test writes 1 eV = 1.6e-19 J (two digits) and compares with an absolute \
         tolerance of machine epsilon, which any value near 1e-19 passes; the exact value is \
         1.602176634e-19 J (SI Brochure Table 8), 0.14 % away",
    ),
    (
        "power",
        r"\milli\metre",
        "2",
        Quirk::CommensurableOnly,
        "(mm)² = 10⁻⁶ m² while (μm)² = 10⁻¹² m²: the reference compares units through its SI \
         Reference Point string, in which the overall factor 10⁻⁶ of (mm)² reappears as the \
         prefix μ on the first unit; we check only that both are areas",
    ),
];

/// How a case listed in [`QUIRKS`] is checked instead.
#[derive(Debug, Clone, Copy)]
enum Quirk {
    /// A scale factor within this relative tolerance.
    Tolerance(f64),
    /// Only that the result and the expected unit are commensurable.
    CommensurableOnly,
}

fn quirk(kind: &str, input: &str, other: &str) -> Option<Quirk> {
    QUIRKS
        .iter()
        .find(|q| q.0 == kind && q.1 == input && q.2 == other)
        .map(|q| q.3)
}

struct Case {
    id: String,
    kind: String,
    input: String,
    other: String,
    expected: String,
    utf8: String,
    sirp: String,
    latex: String,
    note: String,
}

/// The vectors file; `SEVRES_DSI_VECTORS` may name another file of the same format (e.g. the
/// held-out part of the vectors).
fn cases() -> Vec<Case> {
    let path = std::env::var("SEVRES_DSI_VECTORS").unwrap_or_else(|_| VECTORS.to_string());
    let text = std::fs::read_to_string(path).expect("D-SI vectors");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    assert_eq!(
        header,
        [
            "case_id",
            "kind",
            "input",
            "other",
            "expected",
            "expected_utf8",
            "expected_sirp",
            "expected_latex",
            "note"
        ]
    );
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let g = |i: usize| f.get(i).copied().unwrap_or("").to_string();
            Case {
                id: g(0),
                kind: g(1),
                input: g(2),
                other: g(3),
                expected: g(4),
                utf8: g(5),
                sirp: g(6),
                latex: g(7),
                note: g(8),
            }
        })
        .collect()
}

fn parse(s: &str) -> Result<UnitExpr, String> {
    dsi::parse(s).map_err(|e| format!("{s:?} does not parse: {e}"))
}

/// Whether a finding contains the expected fragment. The fragments are the `match=` patterns
/// of the reference's `pytest.warns`, i.e. regular expressions: `\\` stands for a backslash
/// and a final `?` makes the character before it optional; no other metacharacter occurs.
fn fragment_found(messages: &[String], pattern: &str) -> bool {
    let literal = pattern.replace(r"\\", "\\");
    let candidates = match literal.strip_suffix('?') {
        Some(stem) => {
            let mut shorter = stem.to_string();
            shorter.pop();
            vec![stem.to_string(), shorter]
        }
        None => vec![literal],
    };
    messages
        .iter()
        .any(|m| candidates.iter().any(|c| m.contains(c.as_str())))
}

fn close(ours: f64, expected: f64, rel: f64) -> bool {
    (ours - expected).abs() <= rel * expected.abs()
}

/// A rational exponent as the vectors write it: `2`, `-2`, `1/3`, `0.5`.
fn exponent(s: &str) -> Result<Ratio<i32>, String> {
    let bad = || format!("exponent {s:?}");
    if let Some((n, d)) = s.split_once('/') {
        return Ok(Ratio::new(
            n.trim().parse().map_err(|_| bad())?,
            d.trim().parse().map_err(|_| bad())?,
        ));
    }
    if let Some((int, frac)) = s.split_once('.') {
        let den = 10i32.pow(u32::try_from(frac.len()).map_err(|_| bad())?);
        let sign = if int.starts_with('-') { -1 } else { 1 };
        let whole: i32 = int.parse().map_err(|_| bad())?;
        let part: i32 = frac.parse().map_err(|_| bad())?;
        return Ok(Ratio::new(whole * den + sign * part, den));
    }
    Ok(Ratio::from_integer(s.parse().map_err(|_| bad())?))
}

fn check(c: &Case) -> Result<(), String> {
    let expect_eq = |what: &str, ours: &str, expected: &str| {
        if ours == expected {
            Ok(())
        } else {
            Err(format!("{what}: ours {ours:?}, expected {expected:?}"))
        }
    };
    match c.kind.as_str() {
        "parse_valid" | "sirp_parse_valid" => {
            let p = dsi::parse_with_warnings(&c.input);
            if !p.is_valid() {
                return Err(format!("not valid: {:?}", p.findings()));
            }
            if !c.latex.is_empty() {
                expect_eq("LaTeX", &p.to_latex(), &c.latex)?;
            }
            Ok(())
        }
        "parse_invalid" => {
            let p = dsi::parse_with_warnings(&c.input);
            if p.is_valid() {
                return Err("accepted".into());
            }
            let messages: Vec<String> = p
                .findings()
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| f.message.clone())
                .collect();
            let fragment = c
                .note
                .strip_prefix("warning contains: ")
                .ok_or("note without fragment")?;
            if !fragment_found(&messages, fragment) {
                return Err(format!("no finding contains {fragment:?}: {messages:?}"));
            }
            expect_eq("LaTeX", &p.to_latex(), &c.latex)
        }
        "representations" => {
            let p = dsi::parse_with_warnings(&c.input);
            if !p.is_valid() {
                return Err(format!("not valid: {:?}", p.findings()));
            }
            expect_eq("UTF-8", &p.to_utf8(), &c.utf8)?;
            expect_eq("SIRP", &p.to_sirp().map_err(|e| e.to_string())?, &c.sirp)?;
            expect_eq("LaTeX", &p.to_latex(), &c.latex)?;
            // the SIRP form reads back as the same unit
            let back = parse(&c.sirp)?;
            match dsi::scale_factor(&parse(&c.input)?, &back) {
                Some(f) if f.is_one() => Ok(()),
                other => Err(format!("SIRP form reads back with factor {other:?}")),
            }
        }
        "exponent_canonical" => expect_eq(
            "canonical D-SI",
            &dsi::print(&parse(&c.input)?).map_err(|e| e.to_string())?,
            &c.expected,
        ),
        "scale_factor" => {
            let ours = dsi::scale_factor(&parse(&c.input)?, &parse(&c.other)?);
            match (ours, c.expected.as_str()) {
                (None, "NaN") => Ok(()),
                (Some(f), "NaN") => Err(format!("scalable with factor {f}, expected NaN")),
                (None, e) => Err(format!("not scalable, expected {e}")),
                (Some(f), e) => {
                    let expected: f64 = e.parse().map_err(|_| format!("expected {e:?}"))?;
                    let tol = match quirk(&c.kind, &c.input, &c.other) {
                        Some(Quirk::Tolerance(t)) => t,
                        _ => REL_TOL,
                    };
                    if close(f.to_f64(), expected, tol) {
                        Ok(())
                    } else {
                        Err(format!("factor {} ({f}), expected {expected}", f.to_f64()))
                    }
                }
            }
        }
        "not_commensurable" => match dsi::scale_factor(&parse(&c.input)?, &parse(&c.other)?) {
            None => Ok(()),
            Some(f) => Err(format!("scalable with factor {f}")),
        },
        "multiply" | "divide" | "power" => {
            let a = parse(&c.input)?;
            let result = match c.kind.as_str() {
                "multiply" => a.multiply(&parse(&c.other)?),
                "divide" => a.divide(&parse(&c.other)?),
                _ => a.pow(exponent(&c.other)?).ok_or("exponent overflow")?,
            };
            let expected = parse(&c.expected)?;
            match (
                dsi::scale_factor(&result, &expected),
                quirk(&c.kind, &c.input, &c.other),
            ) {
                (Some(_), Some(Quirk::CommensurableOnly)) => Ok(()),
                (Some(f), _) if f.is_one() => Ok(()),
                (f, _) => Err(format!(
                    "result {} is {f:?} × the expected unit",
                    dsi::print(&result).unwrap_or_default()
                )),
            }
        }
        "dimensionless" => {
            let ours = dsi::is_dimensionless(&parse(&c.input)?);
            expect_eq("dimensionless", &ours.to_string(), &c.expected)
        }
        "syntax_valid" => expect_eq(
            "syntax",
            &dsi::is_valid_syntax(&c.input).to_string(),
            &c.expected,
        ),
        "syntax_valid_list" => expect_eq(
            "list syntax",
            &dsi::is_valid_syntax_list(&c.input).to_string(),
            &c.expected,
        ),
        "suggestion" => {
            let ours = format!(
                "[{}]",
                dsi::suggestions(&c.input)
                    .iter()
                    .map(|s| format!("'{s}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            expect_eq("suggestions", &ours, &c.expected)
        }
        other => Err(format!("unknown kind {other}")),
    }
}

#[test]
fn dsiunits_vectors() {
    let all = cases();
    assert!(!all.is_empty(), "no cases");
    let mut passed: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for c in &all {
        let entry = passed.entry(c.kind.clone()).or_default();
        entry.1 += 1;
        match check(c) {
            Ok(()) => entry.0 += 1,
            Err(e) => failures.push(format!(
                "{} {} {:?} {:?}: {e}",
                c.id, c.kind, c.input, c.other
            )),
        }
    }
    for (kind, (ok, n)) in &passed {
        println!("{kind:20} {ok:3} / {n:3}");
    }
    for (kind, input, other, _, why) in QUIRKS {
        println!("quirk {kind} {input} {other}: {why}");
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Strings of real files that are not D-SI, with the reason.
const NOT_DSI_IN_THE_WILD: &[(&str, &str)] = &[
    ("kBq", "SI symbol notation, not D-SI (\\kilo\\becquerel); read as an SI Reference Point unit with a warning, as the reference does"),
    (" kBq ", "the same with surrounding spaces, which the reference strips"),
    (" kBq", "the same with a leading space"),
    ("MBq", "SI symbol notation (\\mega\\becquerel), read as an SI Reference Point unit with a warning"),
    (r"\Mega\becquerel", "D-SI names are lower case: \\mega"),
    (r"\degreeCelsius", "D-SI names are lower case: \\degreecelsius (the SI Reference Point writes degreeCelsius)"),
];

#[test]
fn strings_in_the_wild() {
    let text = std::fs::read_to_string(WILD).expect("wild strings");
    let mut n = 0;
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let (element, unit) = (f[0], f[1]);
        let p = dsi::parse_with_warnings(unit);
        n += 1;
        match NOT_DSI_IN_THE_WILD.iter().find(|(s, _)| *s == unit) {
            None => {
                let syntax = if element == "unitXMLList" {
                    dsi::is_valid_syntax_list(unit)
                } else {
                    dsi::is_valid_syntax(unit)
                };
                assert!(syntax, "{unit:?} should be D-SI syntax");
                assert!(
                    p.is_valid() && p.findings().is_empty(),
                    "{unit:?}: {:?}",
                    p.findings()
                );
                let expr = p.expr().expect("valid");
                // it prints back and parses to the same unit
                let printed = dsi::print(expr).expect("prints");
                let back = dsi::parse(&printed).expect("reparses");
                assert!(
                    dsi::scale_factor(expr, &back).is_some_and(|f| f.is_one()),
                    "{unit:?} → {printed:?}"
                );
            }
            Some((_, why)) => {
                assert!(!dsi::is_valid_syntax(unit), "{unit:?} ({why})");
                if unit.contains('\\') {
                    assert!(!p.is_valid(), "{unit:?} ({why})");
                    let wanted = if unit.contains("Mega") {
                        "mega"
                    } else {
                        "degreecelsius"
                    };
                    assert!(
                        p.findings()
                            .iter()
                            .any(|f| f.message.contains(&format!("\\{wanted}"))),
                        "{unit:?}: {:?}",
                        p.findings()
                    );
                } else {
                    assert!(p.is_valid(), "{unit:?}: {:?}", p.findings());
                    assert!(p.findings().iter().all(|f| f.severity == Severity::Warning));
                    assert!(!p.findings().is_empty(), "{unit:?} must be flagged");
                    let expected = if unit.contains('k') {
                        r"\kilo\becquerel"
                    } else {
                        r"\mega\becquerel"
                    };
                    assert_eq!(p.to_dsi_string(), expected);
                }
            }
        }
    }
    assert!(n >= 30, "only {n} strings");
}

/// Nothing panics and work stays bounded on hostile input (the fuzz targets run the same).
#[test]
fn hostile_inputs() {
    let long = "\\metre".repeat(10_000);
    let unknown = "x".repeat(100_000);
    let inputs = [
        "\\",
        "\\\\",
        "\\\\\\\\\\",
        "|",
        "\\per",
        "\\per\\per",
        "\\tothe{}",
        "\\metre\\tothe{}",
        "\\metre\\tothe{1e999}",
        "\\metre\\tothe{99999999999}",
        "\\metre\\tothe{1_0}",
        "\\metre\\tothe{2}}",
        "\\metre\\tothe{2{3}",
        "\\metre\\tothe{2}tothe{3}tothe{4}",
        "\\kilo\\kilo",
        "é\\mètre",
        "m.",
        ".",
        "m1_0",
        "kg2147483648",
        long.as_str(),
        unknown.as_str(),
        "\u{0}",
        "\\metre\\per\\tothe{2}",
    ];
    for s in inputs {
        let p = dsi::parse_with_warnings(s);
        let _ = (p.to_latex(), p.to_utf8(), p.to_dsi_string(), p.to_sirp());
        if let Some(e) = p.expr() {
            let _ = (
                dsi::print(e),
                dsi::print_utf8(e),
                dsi::print_latex(e),
                dsi::print_sirp(e),
            );
            let _ = dsi::scale_factor(e, e);
        }
        let _ = (dsi::is_valid_syntax(s), dsi::is_valid_syntax_list(s));
    }
}
