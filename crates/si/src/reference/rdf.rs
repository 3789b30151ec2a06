//! Linked-data views of the reference data in the vocabulary of the BIPM SI Reference Point
//! (ontology `https://si-digital-framework.org/SI#`, file `si.ttl`): a JSON-LD context for our
//! JSON and a Turtle serialization of the whole data.
//!
//! Why: the SI Reference Point is the BIPM's machine-actionable SI; by using its persistent
//! identifiers and its own predicates (`si:hasSymbol`, `si:hasExponent`, `si:hasUnit`,
//! `skos:prefLabel`, ...) our data merges with its graphs instead of living beside them.

use num_bigint::BigUint;

use super::{UnitDef, CONSTANTS, PREFIXES, QUANTITIES, RELEASE, SIRP_VERSION, UNITS};

/// The JSON-LD 1.1 context.
const CONTEXT: &str = r#"{
  "@version": 1.1,
  "si": "https://si-digital-framework.org/SI#",
  "skos": "http://www.w3.org/2004/02/skos/core#",
  "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
  "owl": "http://www.w3.org/2002/07/owl#",
  "dcterms": "http://purl.org/dc/terms/",
  "xsd": "http://www.w3.org/2001/XMLSchema#",
  "pid": "@id",
  "class": {
    "@id": "rdf:type",
    "@type": "@vocab",
    "@context": {
      "base": "si:SIBaseUnit",
      "special-named": "si:SISpecialNamedUnit",
      "non-si-accepted": "si:nonSIUnit",
      "other": "si:MeasurementUnit"
    }
  },
  "label": { "@id": "skos:prefLabel", "@container": "@language" },
  "symbol": { "@id": "si:hasSymbol", "@type": "xsd:string" },
  "symbol_latex": { "@id": "si:hasSymbol", "@type": "xsd:string" },
  "alt_symbols": { "@id": "si:hasAltSymbol", "@type": "xsd:string" },
  "exponent": { "@id": "si:hasExponent" },
  "value": { "@id": "si:hasValue" },
  "resolution": {
    "@id": "si:hasDefiningResolution",
    "@type": "@vocab",
    "@context": { "@vocab": "https://si-digital-framework.org/bodies/CGPM#" }
  },
  "url": { "@id": "rdfs:seeAlso", "@type": "@id" },
  "release": { "@id": "owl:versionInfo" },
  "units": { "@id": "dcterms:hasPart" },
  "prefixes": { "@id": "dcterms:hasPart" },
  "constants": { "@id": "dcterms:hasPart" },
  "quantities": { "@id": "dcterms:hasPart" }
}"#;

/// The JSON-LD 1.1 context for our JSON (the [`super::canonical_json`] fields; the API's
/// objects use the same names), to be used as the value of `@context`. It maps `pid` to `@id`;
/// `class` to `rdf:type` with the SI Reference Point classes (`base` → `si:SIBaseUnit`, ...);
/// `label: {en, fr}` to `skos:prefLabel` with language tags; `symbol` and `symbol_latex` to
/// `si:hasSymbol` and `alt_symbols` to `si:hasAltSymbol`, as `xsd:string` like the reference
/// point; `exponent` to `si:hasExponent`; `value`
/// to `si:hasValue`; `resolution` (e.g. `CGPM26-Res1`) to `si:hasDefiningResolution` with the
/// IRI `https://si-digital-framework.org/bodies/CGPM#CGPM26-Res1`; `url` to `rdfs:seeAlso`;
/// `release` to `owl:versionInfo`; the four tables to `dcterms:hasPart`.
///
/// Fields that have no counterpart in the SI Reference Point vocabulary are left unmapped, so
/// JSON-LD processing drops them: `id`, `dimension`, `factor`, `factor_unit`,
/// `factor_uncertainty`, `offset` (`si:hasConversionFactor` is for non-SI units only and takes
/// no `pi/180`), `prefixable` (the negation of `si:prefixRestriction`), `unit` and
/// `unit_from_sirp` (our units are SI text, `si:hasUnit` wants a unit node), `dsi`, `ucum`,
/// `sirp_version`. Since `pid` is `@id`, an object must not carry both `pid` and `@id`.
pub fn jsonld_context() -> &'static str {
    CONTEXT
}

/// Digits of π, 50 after the point (π × 10⁵⁰, truncated).
const PI_DIGITS: &str = "314159265358979323846264338327950288419716939937510";

/// Significant digits of the decimal approximations of `pi/N` factors, truncated, as in the SI
/// Reference Point's `si:hasNumericFactor` (e.g. 0.017453292519943295769236907684886 for the
/// degree, 0.0000048481368110953599358991410235794 for the arcsecond).
const PI_SIGNIFICANT_DIGITS: usize = 32;

/// An exact decimal as `digits × 10^exponent` (`digits` without sign; none of ours is negative).
struct Decimal {
    digits: BigUint,
    exponent: i64,
}

impl Decimal {
    /// Parses `digits[.digits][e[-]digits]`.
    fn parse(text: &str) -> Option<Decimal> {
        let (mantissa, exp) = match text.split_once(['e', 'E']) {
            Some((m, e)) => (m, e.parse::<i64>().ok()?),
            None => (text, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all = format!("{int}{frac}");
        if all.is_empty() || !all.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Decimal {
            digits: all.parse().ok()?,
            exponent: exp - frac.len() as i64,
        })
    }

    /// The value of an exact factor string: a decimal, or `pi/N` with `N` a positive integer
    /// (truncated to [`PI_SIGNIFICANT_DIGITS`] significant digits).
    fn of_factor(factor: &str) -> Option<Decimal> {
        let Some(n) = factor.strip_prefix("pi/") else {
            return Decimal::parse(factor);
        };
        let n: BigUint = n.parse().ok()?;
        if n == BigUint::ZERO {
            return None;
        }
        let guard = 20;
        let pi: BigUint = PI_DIGITS.parse().ok()?;
        let q = pi * BigUint::from(10u32).pow(guard) / n;
        let drop = q.to_string().len().checked_sub(PI_SIGNIFICANT_DIGITS)?;
        Some(Decimal {
            digits: q / BigUint::from(10u32).pow(drop as u32),
            exponent: drop as i64 - 50 - i64::from(guard),
        })
    }

    /// The plain positional form of XML Schema `xsd:integer` / `xsd:decimal` (no exponent),
    /// e.g. `0.000000000000000000000000000000000662607015`, `602214076000000000000000`.
    fn plain(&self) -> String {
        let digits = self.digits.to_string();
        if self.exponent >= 0 {
            if self.digits == BigUint::ZERO {
                return "0".into();
            }
            return format!("{digits}{}", "0".repeat(self.exponent as usize));
        }
        let point = digits.len() as i64 + self.exponent;
        let (int, frac) = if point <= 0 {
            (
                "0".to_owned(),
                format!("{}{digits}", "0".repeat((-point) as usize)),
            )
        } else {
            let (i, f) = digits.split_at(point as usize);
            (i.to_owned(), f.to_owned())
        };
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            int
        } else {
            format!("{int}.{frac}")
        }
    }

    fn is_integer(&self) -> bool {
        !self.plain().contains('.')
    }
}

/// A Turtle string literal (`"..."`), escaped.
fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `skos:prefLabel "en"@en, "fr"@fr`.
fn labels(en: &str, fr: &str) -> String {
    format!("skos:prefLabel {}@en, {}@fr", literal(en), literal(fr))
}

fn resolution_iri(resolution: &str) -> String {
    format!("<https://si-digital-framework.org/bodies/CGPM#{resolution}>")
}

/// The unit of the tables with this symbol, as `units:<id>`; `None` for a symbol of no unit
/// with a PID.
fn unit_node(symbol: &str) -> Option<String> {
    UNITS
        .iter()
        .find(|u| u.symbol == symbol && !u.pid.is_empty())
        .map(|u| format!("units:{}", u.id))
}

/// A unit in SI text (`J K^-1 mol^-1`: unit symbols of the tables, no prefixes, separated by
/// spaces, each with an optional `^exponent`) as an SI Reference Point unit node: a unit, a
/// `si:UnitPower`, or right-nested `si:UnitProduct`s as in the reference point's own graphs.
/// `None` if a symbol is not in [`UNITS`].
fn unit_expression(text: &str) -> Option<String> {
    let mut terms = Vec::new();
    for token in text.split_whitespace() {
        let (symbol, exponent) = match token.split_once('^') {
            Some((s, e)) => (s, e.parse::<i16>().ok()?),
            None => (token, 1),
        };
        let node = unit_node(symbol)?;
        terms.push(if exponent == 1 {
            node
        } else {
            format!(
                "[ a si:UnitPower ; si:hasNumericExponent \"{exponent}\"^^xsd:short ; \
                 si:hasUnitBase {node} ]"
            )
        });
    }
    let mut expr = terms.pop()?;
    while let Some(left) = terms.pop() {
        expr = format!(
            "[ a si:UnitProduct ; si:hasLeftUnitTerm {left} ; si:hasRightUnitTerm {expr} ]"
        );
    }
    Some(expr)
}

/// The Turtle statements about one unit.
fn unit_turtle(u: &UnitDef, out: &mut String) {
    let mut props = vec![labels(u.label_en, u.label_fr)];
    for alt in u.alt_symbols {
        props.push(format!("si:hasAltSymbol {}^^xsd:string", literal(alt)));
    }
    if !u.resolution.is_empty() {
        props.push(format!(
            "si:hasDefiningResolution {}",
            resolution_iri(u.resolution)
        ));
    }
    props.push(format!("si:hasSymbol {}^^xsd:string", literal(u.symbol)));
    if u.factor != "1" {
        if let (Some(value), Some(term)) =
            (Decimal::of_factor(u.factor), unit_expression(u.factor_unit))
        {
            props.push(format!(
                "si:inOtherSIUnits [ a si:UnitMultiple ; si:hasNumericFactor {} ; \
                 si:hasNumericFactorAsString {}^^xsd:string ; si:hasUnitTerm {term} ]",
                value.plain(),
                literal(u.factor),
            ));
        }
    }
    if !u.is_exact() {
        props.push(format!(
            "rdfs:comment {}@en",
            literal(&format!(
                "Measured value: standard uncertainty {} {} (CODATA 2022).",
                u.factor_uncertainty, u.factor_unit
            ))
        ));
    }
    props.push(format!("si:prefixRestriction {}", !u.prefixable));
    statement(
        &format!("units:{}", u.id),
        &format!("si:{}", u.class.sirp_class()),
        &props,
        out,
    );
}

/// `subject a class ; p1 ; p2 .` with one predicate-object list per line.
fn statement(subject: &str, class: &str, props: &[String], out: &mut String) {
    out.push_str(&format!("{subject} a {class}"));
    for p in props {
        out.push_str(" ;\n    ");
        out.push_str(p);
    }
    out.push_str(" .\n\n");
}

/// The whole reference data as Turtle, with the SI Reference Point's identifiers, classes and
/// predicates (`si.ttl`): constants (`si:Constant` with `si:hasValue`, `si:hasSymbol` in LaTeX,
/// `si:hasUnit`, `si:hasDefiningResolution`), prefixes (`si:SIPrefix` with `si:hasExponent`,
/// `si:hasScalingFactor`), units (`si:SIBaseUnit`, `si:SISpecialNamedUnit`, `si:nonSIUnit`,
/// `si:MeasurementUnit` with `si:hasSymbol`, `si:prefixRestriction` and, when not 1, the factor
/// as `si:inOtherSIUnits [ a si:UnitMultiple ... ]`) and quantity kinds (`si:QuantityKind` with
/// `skos:altLabel` code and `si:hasUnit`). Numbers are exact `xsd:integer` / `xsd:decimal`
/// literals; π multiples are written to 32 significant digits (truncated) as in the reference
/// point. The
/// decibel, which has no PID in the reference point, is left out. Deterministic: the same data
/// gives the same text.
pub fn turtle() -> String {
    let mut out = format!(
        "# The SI reference data of Sevres, release {RELEASE}: SI Brochure 9th edition (2019, \
         v2.01 2022),\n# with the identifiers and vocabulary of the BIPM SI Reference Point \
         {SIRP_VERSION} (CC BY 3.0 IGO).\n"
    );
    for (prefix, iri) in [
        ("constants", "https://si-digital-framework.org/constants/"),
        ("prefixes", "https://si-digital-framework.org/SI/prefixes/"),
        ("quantities", "https://si-digital-framework.org/quantities/"),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("si", "https://si-digital-framework.org/SI#"),
        ("skos", "http://www.w3.org/2004/02/skos/core#"),
        ("units", "https://si-digital-framework.org/SI/units/"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ] {
        out.push_str(&format!("@prefix {prefix}: <{iri}> .\n"));
    }
    out.push('\n');

    for c in CONSTANTS {
        let mut props = vec![labels(c.label_en, c.label_fr)];
        if let Some(value) = Decimal::parse(c.value) {
            let datatype = if value.is_integer() {
                "integer"
            } else {
                "decimal"
            };
            props.push(format!("si:hasDatatype xsd:{datatype}"));
            props.push(format!("si:hasValue {}", value.plain()));
        }
        props.push(format!(
            "si:hasDefiningResolution {}",
            resolution_iri(c.resolution)
        ));
        props.push(format!(
            "si:hasSymbol {}^^xsd:string",
            literal(c.symbol_latex)
        ));
        if let Some(unit) = unit_expression(c.unit) {
            props.push(format!("si:hasUnit {unit}"));
        }
        statement(
            &format!("constants:{}", c.id),
            "si:Constant",
            &props,
            &mut out,
        );
    }

    for p in PREFIXES {
        let factor = Decimal {
            digits: BigUint::from(1u32),
            exponent: i64::from(p.exponent),
        };
        let datatype = if p.exponent >= 0 {
            "integer"
        } else {
            "decimal"
        };
        let props = vec![
            labels(p.label_en, p.label_fr),
            format!("si:hasDatatype xsd:{datatype}"),
            format!("si:hasDefiningResolution {}", resolution_iri(p.resolution)),
            format!("si:hasExponent {}", p.exponent),
            format!("si:hasScalingFactor {}", factor.plain()),
            format!("si:hasSymbol {}^^xsd:string", literal(p.symbol)),
        ];
        statement(
            &format!("prefixes:{}", p.id),
            "si:SIPrefix",
            &props,
            &mut out,
        );
    }

    for u in UNITS.iter().filter(|u| !u.pid.is_empty()) {
        unit_turtle(u, &mut out);
    }

    for q in QUANTITIES {
        let mut props = vec![
            format!("skos:altLabel {}^^xsd:string", literal(q.id)),
            labels(q.label_en, q.label_fr),
        ];
        if let Some(unit) = unit_expression(q.unit) {
            props.push(format!("si:hasUnit {unit}"));
        }
        statement(
            &format!("quantities:{}", q.id),
            "si:QuantityKind",
            &props,
            &mut out,
        );
    }
    out
}
