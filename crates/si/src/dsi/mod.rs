//! PTB D-SI unit notation: `\kilo\metre\per\second`, `\metre\tothe{2}`, `\tothe{1_2}`,
//! non-D-SI units marked `|fluid ounce`, as used in Digital Calibration Certificates (DCC).
//!
//! Source: D. Hutzschenreuter et al., *SmartCom Digital System of Units (D-SI) Guide for the use
//! of the metadata-format used in metrology for the easy-to-use, safe, harmonised and
//! unambiguous digital transfer of metrological data*, PTB 2019/2020,
//! DOI 10.5281/zenodo.3522631; behaviour (unit list, messages, renderings, syntax rules
//! R010–R014) as in PTB's reference implementation, the `dsiunits` package 3.1.
//!
//! * [`parse()`] and [`print()`] are the contract with [`crate::notation`]: a string is valid when
//!   the reference implementation reads it without warning *and* it obeys the D-SI syntax rules
//!   the reference checks only with its regular expression ([`is_valid_syntax`]); the printed
//!   form is canonical D-SI without `\per` (`\kilo\metre\tothe{-2}`, `\metre\tothe{1_2}`).
//! * [`parse_with_warnings`] reports every finding as the reference does, in its order and
//!   wording, for DCC validation, and keeps the tree with its `\per` for the reference's
//!   renderings ([`Parsed::to_utf8`] `km²/V`, [`Parsed::to_latex`], [`Parsed::to_sirp`]).
//!   Accepted with a warning: non-D-SI units (`|fluid ounce`, an arbitrary unit commensurable
//!   only with itself), SI Reference Point strings (`kg.mm2.ns-2.℃`, which the reference reads
//!   too), and exponents not in D-SI form (`\tothe{1/2}`).
//! * [`scale_factor`] and [`is_dimensionless`] answer as the reference does, through the exact
//!   conversion of this crate: the radian, the steradian and the bit count as base units of
//!   their own, so that `\one` and `\radian` are not scalable into each other.
//!
//! Units of the SI Brochure are the atoms of [`crate::si_text`]; the other D-SI units (percent,
//! ppm, bit, byte, bar, mmHg, the atomic units, ...) have atoms defined here (see `units`).

mod difflib;
mod fraction;
mod parser;
mod render;
mod syntax;
mod units;

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use num_rational::Ratio;
use num_traits::{CheckedAdd, One, Zero};

use crate::convert::Conversion;
use crate::dimension::Dimension;
use crate::expr::{Atom, Term, TermUnit, UnitExpr};
use crate::factor::Factor;
use crate::notation::{Notation, ParseError, PrintError};

use parser::{Node, NodeExponent, Tree};
use units::{Kind, Rule};

pub(crate) use units::binary_prefixes;

/// How serious a [`Finding`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// The string is not valid D-SI (the reference implementation marks it invalid, or it breaks
    /// a D-SI syntax rule).
    Error,
    /// The string is read, but is not plain D-SI: a non-D-SI unit (`|…`), an SI Reference Point
    /// string, an exponent not in D-SI form.
    Warning,
}

/// One finding of the D-SI parser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// Character index (0-based) in the text.
    pub position: usize,
    /// The message, worded as the reference implementation words it where it has one
    /// (`The identifier «foo» does not match any D-SI units!`).
    pub message: String,
}

/// A D-SI string read with every finding: the expression when the string is valid, the
/// findings, and the tree as written (with its `\per`) for the reference renderings.
#[derive(Debug, Clone)]
pub struct Parsed {
    expr: Option<UnitExpr>,
    findings: Vec<Finding>,
    tree: Tree,
}

impl Parsed {
    /// The expression, when there is no [`Severity::Error`] finding.
    pub fn expr(&self) -> Option<&UnitExpr> {
        self.expr.as_ref()
    }

    /// Every finding, in the order found.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Whether the string is valid (no [`Severity::Error`] finding).
    pub fn is_valid(&self) -> bool {
        self.expr.is_some()
    }

    /// The expression, or the first error as a [`ParseError`].
    pub fn into_result(self) -> Result<UnitExpr, ParseError> {
        match self.expr {
            Some(e) => Ok(e),
            None => Err(self
                .findings
                .iter()
                .find(|f| f.severity == Severity::Error)
                .map_or_else(
                    || ParseError::new(0, "invalid D-SI string"),
                    |f| ParseError::new(f.position, f.message.clone()),
                )),
        }
    }

    /// The D-SI string as the reference writes it back (`\kilo\metre\per\second`,
    /// `\metre\tothe{1_2}` for `\tothe{0.5}`; `|fluid ounce`).
    pub fn to_dsi_string(&self) -> String {
        render::dsi_string(&self.tree)
    }

    /// Compact UTF-8 as the reference writes it: `km²/V`, `km⁻²`, `m¹ᐟ²`, `A²Ω`, `Nm/s`
    /// (unknown identifiers between ⚠ signs).
    pub fn to_utf8(&self) -> String {
        render::utf8(&self.tree)
    }

    /// LaTeX as the reference writes it, also for invalid strings:
    /// `$$\frac{\mathrm{k}\mathrm{m}^{2}}{\mathrm{V}}$$`, `$$\sqrt{\mathrm{m}}$$`,
    /// `$${\color{red}\mathrm{foo}}$$`, `$$\textpipe\mathrm{fluid ounce}$$`.
    pub fn to_latex(&self) -> String {
        render::latex(&self.tree)
    }

    /// The SI Reference Point compound unit (`km2.V-1`, `m1_2`, `A2.Ω`) of a valid string.
    pub fn to_sirp(&self) -> Result<String, PrintError> {
        match &self.expr {
            Some(e) => print_sirp(e),
            None => Err(PrintError::new("the D-SI string is not valid")),
        }
    }
}

/// Reads a D-SI string (or an SI Reference Point string, or a `|` non-D-SI unit) with every
/// finding; see the module documentation.
pub fn parse_with_warnings(text: &str) -> Parsed {
    let raw = parser::parse_tree(text);
    let mut findings = raw.findings;
    let expr = if findings.iter().any(|f| f.severity == Severity::Error) {
        None
    } else {
        match build_expr(&raw.tree, raw.non_dsi) {
            Ok(e) => Some(e),
            Err(e) => {
                findings.push(Finding {
                    severity: Severity::Error,
                    position: e.position,
                    message: e.message,
                });
                None
            }
        }
    };
    Parsed {
        expr,
        findings,
        tree: raw.tree,
    }
}

/// Parses a D-SI unit string: `Ok` when it is valid (warnings allowed), else the first error.
pub fn parse(text: &str) -> Result<UnitExpr, ParseError> {
    parse_with_warnings(text).into_result()
}

/// Whether `text` matches the D-SI syntax of the reference's regular expression for a DCC
/// `si:unit` (rules R010–R014; a non-D-SI unit `|…` matches).
pub fn is_valid_syntax(text: &str) -> bool {
    syntax::is_valid(text)
}

/// Whether `text` matches the reference's pattern for a DCC `si:unitXMLList`: D-SI units (or
/// `|` units without whitespace) separated by single whitespace characters.
pub fn is_valid_syntax_list(text: &str) -> bool {
    syntax::is_valid_list(text)
}

/// The D-SI names (prefixes, units, `tothe`, `per`) closest to `word`, at most three, best
/// first, as in the reference's "Did you mean one of these" (`molli` → `milli`, `mole`).
pub fn suggestions(word: &str) -> Vec<&'static str> {
    parser::suggestions(word)
}

/// Longest name of a non-D-SI unit (`|…`), in bytes.
const MAX_NON_DSI_LEN: usize = 256;

/// Most distinct non-D-SI units kept per process (their atoms live as long as the process).
const MAX_NON_DSI: usize = 4096;

static NON_DSI: OnceLock<Mutex<HashMap<String, &'static Atom>>> = OnceLock::new();

/// The atom of a non-D-SI unit `|name`: an arbitrary unit (value 1, dimension one) named
/// `|name`, commensurable only with itself. Atoms are interned, so that a name always gives
/// the same atom; their number and length are bounded.
fn non_dsi_atom(name: &str) -> Result<&'static Atom, String> {
    if name.len() > MAX_NON_DSI_LEN {
        return Err(format!(
            "a non-D-SI unit name is limited to {MAX_NON_DSI_LEN} bytes"
        ));
    }
    let mut map = NON_DSI
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(a) = map.get(name) {
        return Ok(a);
    }
    if map.len() >= MAX_NON_DSI {
        return Err(format!(
            "too many distinct non-D-SI units (at most {MAX_NON_DSI} per process)"
        ));
    }
    let atom: &'static Atom = Box::leak(Box::new(Atom {
        code: name.to_string(),
        name: name.to_string(),
        notation: Notation::Dsi,
        value: Factor::one(),
        dimension: Dimension::ONE,
        metric: false,
        arbitrary: Some(format!("|{name}")),
        special: None,
        ucum_hint: None,
    }));
    map.insert(name.to_string(), atom);
    Ok(atom)
}

fn is_non_dsi(atom: &Atom) -> bool {
    atom.notation == Notation::Dsi
        && atom
            .arbitrary
            .as_deref()
            .is_some_and(|a| a.starts_with('|'))
}

/// The expression of a tree read without error.
fn build_expr(tree: &Tree, non_dsi: bool) -> Result<UnitExpr, ParseError> {
    let mut terms = Vec::new();
    match tree {
        Tree::Text(name) if non_dsi => {
            let atom = non_dsi_atom(name).map_err(|m| ParseError::new(0, m))?;
            terms.push(Term::atom(None, atom, Ratio::one()));
        }
        Tree::Text(_) => return Err(ParseError::new(0, "not a D-SI string")),
        Tree::Fractions(sides) => {
            if sides.is_empty() || sides.len() > 2 {
                return Err(ParseError::new(0, "a D-SI string has one \\per at most"));
            }
            for (i, side) in sides.iter().enumerate() {
                for node in side {
                    let mut term = node_term(node)?;
                    if i == 1 {
                        term.exponent = -term.exponent;
                    }
                    terms.push(term);
                }
            }
        }
    }
    Ok(UnitExpr {
        notation: Notation::Dsi,
        terms,
    })
}

fn node_term(node: &Node) -> Result<Term, ParseError> {
    let at = node.position;
    let entry = units::entry(&node.unit)
        .ok_or_else(|| ParseError::new(at, format!("unknown D-SI unit \\{}", node.unit)))?;
    let NodeExponent::Value(e) = node.exponent else {
        return Err(ParseError::new(at, "the exponent is not a number"));
    };
    let prefix = match (node.prefix.as_str(), entry.prefix) {
        ("", p) => p,
        (name, None) => Some(
            units::prefix(name)
                .ok_or_else(|| ParseError::new(at, format!("unknown D-SI prefix \\{name}")))?,
        ),
        (name, Some(_)) => {
            return Err(ParseError::new(
                at,
                format!("\\{} takes no prefix (\\{name})", node.unit),
            ))
        }
    };
    Ok(Term::atom(prefix, entry.atom, e))
}

/// One term of an expression in D-SI names.
struct DsiTerm {
    prefix: Option<&'static str>,
    entry: &'static units::Entry,
    exponent: Ratio<i32>,
}

/// The expression in D-SI names, or the name of its non-D-SI unit.
enum DsiExpr {
    Terms(Vec<DsiTerm>),
    NonDsi(String),
}

fn dsi_terms(expr: &UnitExpr) -> Result<DsiExpr, PrintError> {
    let mut out = Vec::new();
    for t in &expr.terms {
        match &t.unit {
            TermUnit::Unity if t.annotation.is_none() => {}
            TermUnit::Atom { prefix, atom } if t.annotation.is_none() => {
                if is_non_dsi(atom) {
                    if expr.terms.len() == 1 && prefix.is_none() && t.exponent.is_one() {
                        return Ok(DsiExpr::NonDsi(atom.code.clone()));
                    }
                    return Err(PrintError::new(format!(
                        "the non-D-SI unit '|{}' cannot be combined with other units",
                        atom.code
                    )));
                }
                let (prefix_name, entry) = units::lookup(*prefix, atom).ok_or_else(|| {
                    let mut s = prefix.map(|p| p.code.clone()).unwrap_or_default();
                    s.push_str(&atom.code);
                    PrintError::new(format!("the unit '{s}' has no equivalent in D-SI"))
                })?;
                out.push(DsiTerm {
                    prefix: prefix_name,
                    entry,
                    exponent: t.exponent,
                });
            }
            _ => {
                return Err(PrintError::new(
                    "D-SI has no numeric factors or annotations",
                ))
            }
        }
    }
    Ok(DsiExpr::Terms(out))
}

/// The tree of an expression (one side, no `\per`), checked against the D-SI syntax rules.
fn expr_tree(expr: &UnitExpr) -> Result<Tree, PrintError> {
    let terms = match dsi_terms(expr)? {
        DsiExpr::NonDsi(name) => return Ok(Tree::Text(name)),
        DsiExpr::Terms(t) => t,
    };
    let mut nodes = Vec::new();
    for t in &terms {
        let name = t.entry.def.name;
        let binary = t
            .prefix
            .and_then(units::prefix_def)
            .is_some_and(|p| p.binary);
        let broken = match (t.entry.def.rule, t.prefix) {
            (Rule::Bare, _) if !t.exponent.is_one() => Some("R014: it takes no exponent"),
            (Rule::NoPrefix | Rule::Bare, Some(_)) => Some("R010: it takes no prefix"),
            (Rule::Binary, Some(_)) if !binary => Some("it takes only binary prefixes"),
            (Rule::Any | Rule::NotPrefix(_), Some(_)) if binary => {
                Some("binary prefixes apply only to \\bit and \\byte")
            }
            _ => None,
        };
        if let Some(why) = broken {
            return Err(PrintError::new(format!(
                "\\{}{name} cannot be written in D-SI (rule {why})",
                t.prefix.map(|p| format!("{p}\\")).unwrap_or_default()
            )));
        }
        nodes.push(Node {
            prefix: t.prefix.unwrap_or("").to_string(),
            unit: name.to_string(),
            exponent: NodeExponent::Value(t.exponent),
            written: None,
            exact: true,
            position: 0,
        });
    }
    if nodes.is_empty() {
        nodes.push(Node {
            prefix: String::new(),
            unit: "one".to_string(),
            exponent: NodeExponent::Value(Ratio::one()),
            written: None,
            exact: true,
            position: 0,
        });
    }
    Ok(Tree::Fractions(vec![nodes]))
}

/// Prints an expression in canonical D-SI: one `\prefix\unit\tothe{e}` per term, in order,
/// without `\per` (`\kilo\metre\tothe{-2}`, `\metre\tothe{1_2}`); `\one` for unity;
/// `|name` for a non-D-SI unit. Atoms of other notations are mapped by their SI identity
/// (`kg` is `\kilogram`, `dB` `\decibel`); a term D-SI cannot write is an error.
pub fn print(expr: &UnitExpr) -> Result<String, PrintError> {
    Ok(render::dsi_string(&expr_tree(expr)?))
}

/// Prints an expression in the reference's compact UTF-8 form (`km⁻²`, `m¹ᐟ²`, `A²Ω`).
pub fn print_utf8(expr: &UnitExpr) -> Result<String, PrintError> {
    Ok(render::utf8(&expr_tree(expr)?))
}

/// Prints an expression in the reference's LaTeX form (`$$\mathrm{k}\mathrm{m}^{-2}$$`,
/// `$$\sqrt{\mathrm{m}}$$`).
pub fn print_latex(expr: &UnitExpr) -> Result<String, PrintError> {
    Ok(render::latex(&expr_tree(expr)?))
}

/// Prints an expression as an SI Reference Point compound unit with the D-SI symbols
/// (`km-2`, `m1_2`, `A2.Ω`, `℃`), through [`crate::sirp::print`].
pub fn print_sirp(expr: &UnitExpr) -> Result<String, PrintError> {
    let terms = match dsi_terms(expr)? {
        DsiExpr::NonDsi(name) => {
            return Err(PrintError::new(format!(
                "the non-D-SI unit '|{name}' has no SI Reference Point form"
            )))
        }
        DsiExpr::Terms(t) => t,
    };
    let mut out = UnitExpr::unity(Notation::Dsi);
    for t in terms {
        let prefix = match (t.prefix, t.entry.prefix) {
            (None, p) => p,
            (Some(name), _) => units::prefix(name),
        };
        out.terms.push(Term::atom(prefix, t.entry.atom, t.exponent));
    }
    crate::sirp::print(&out)
}

/// The exponents of the radian, the steradian and the bit in an expression (units that the
/// reference resolves to themselves rather than to one); `None` on overflow.
fn kinds(expr: &UnitExpr) -> Option<[Ratio<i32>; 3]> {
    let mut k = [Ratio::zero(); 3];
    for t in &expr.terms {
        let TermUnit::Atom { prefix, atom } = &t.unit else {
            continue;
        };
        let slot = match units::lookup(*prefix, atom).map(|(_, e)| e.def.kind) {
            Some(Kind::Angle) => 0,
            Some(Kind::SolidAngle) => 1,
            Some(Kind::Information) => 2,
            Some(Kind::Plain) | None => continue,
        };
        if let Some(v) = k.get_mut(slot) {
            *v = v.checked_add(&t.exponent)?;
        }
    }
    Some(k)
}

/// The exact factor `x` with 1 `other` = `x` × `input`, when the two are scalable into each
/// other as the reference implementation understands it: same dimension, same exponents of the
/// radian, steradian and bit, no offset between them (°C and K are not scalable), the same
/// arbitrary unit; logarithmic units only into the same logarithmic unit (`\decibel` into
/// `\bel`: 1 dB = 0.1 B). `None` otherwise ("NaN" in the reference).
///
/// Example: `\metre\per\second` and `\kilo\metre\per\hour` give 5/18.
pub fn scale_factor(input: &UnitExpr, other: &UnitExpr) -> Option<Factor> {
    if kinds(input)? != kinds(other)? {
        return None;
    }
    let a = input.canonical().ok()?;
    let b = other.canonical().ok()?;
    match (&a.special, &b.special) {
        (Some(sa), Some(sb)) if !sa.function.is_affine() || !sb.function.is_affine() => {
            let same = sa.function == sb.function
                && sa.reference == sb.reference
                && a.dimension == b.dimension;
            return if same {
                sb.prefix.checked_div(&sa.prefix).ok()
            } else {
                None
            };
        }
        (Some(s), _) | (_, Some(s)) if !s.function.is_affine() => return None,
        _ => {}
    }
    let conversion = Conversion::from_canonical(&b, &a, String::new, String::new).ok()?;
    if !conversion.is_linear()
        || conversion.exact_offset().is_some()
        || conversion.apply(0.0) != 0.0
    {
        return None;
    }
    conversion.exact_scale().cloned()
}

/// Whether an expression is dimensionless as the reference implementation understands it:
/// it reduces to the unit one (`\volt\per\volt`, `\joule\per\newton\metre`, `\percent`,
/// `\milli\volt\per\volt`), with no radian, steradian or bit left and no logarithmic or
/// non-D-SI unit.
pub fn is_dimensionless(expr: &UnitExpr) -> bool {
    let Some(k) = kinds(expr) else {
        return false;
    };
    match expr.canonical() {
        Ok(c) => {
            c.special.is_none()
                && c.arbitrary.is_empty()
                && c.dimension.is_dimensionless()
                && k.iter().all(Zero::is_zero)
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> UnitExpr {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn round_trips() {
        for (input, canonical) in [
            (r"\kilo\metre\tothe{-2}", r"\kilo\metre\tothe{-2}"),
            (r"\metre\per\second", r"\metre\second\tothe{-1}"),
            (r"\metre\tothe{0.5}", r"\metre\tothe{1_2}"),
            (r"\decibel", r"\decibel"),
            (r"\kilogram", r"\kilogram"),
            (r"\milli\gram", r"\milli\gram"),
            (r"\kibi\byte", r"\kibi\byte"),
            (r"\percent", r"\percent"),
            (r"|fluid ounce", r"|fluid ounce"),
            (
                "kg.mm2.ns-2.℃",
                r"\kilogram\milli\metre\tothe{2}\nano\second\tothe{-2}\degreecelsius",
            ),
        ] {
            assert_eq!(print(&p(input)).unwrap(), canonical, "{input}");
        }
    }

    #[test]
    fn translations() {
        let ucum = |s: &str| crate::ucum::parse(s).unwrap();
        assert_eq!(
            print(&ucum("kg.m/s2")).unwrap(),
            r"\kilogram\metre\second\tothe{-2}"
        );
        assert_eq!(print(&ucum("dB")).unwrap(), r"\decibel");
        assert_eq!(print(&ucum("Cel")).unwrap(), r"\degreecelsius");
        assert_eq!(print(&ucum("KiBy")).unwrap(), r"\kibi\byte");
        assert_eq!(print(&ucum("%")).unwrap(), r"\percent");
        assert!(print(&ucum("%2")).is_err());
        assert!(print(&ucum("[in_i]")).is_err());
        assert_eq!(
            crate::notation::print(Notation::Ucum, &p(r"\kilo\metre\per\hour")).unwrap(),
            "km/h"
        );
    }

    #[test]
    fn scale() {
        let f = |a: &str, b: &str| scale_factor(&p(a), &p(b)).map(|f| f.to_f64());
        assert_eq!(
            f(r"\metre\per\second", r"\kilo\metre\per\hour"),
            Some(5.0 / 18.0)
        );
        assert_eq!(f(r"\one", r"\radian"), None);
        assert_eq!(
            f(r"\radian", r"\degree"),
            Some(std::f64::consts::PI / 180.0)
        );
        assert_eq!(f(r"\bel", r"\decibel"), Some(0.1));
        assert_eq!(f(r"\bel", r"\neper"), None);
        assert_eq!(f(r"\kelvin", r"\degreecelsius"), None);
        assert_eq!(f(r"\bit", r"\byte"), Some(8.0));
        assert_eq!(f(r"\one", r"\bit"), None);
        assert_eq!(f(r"|a", r"|a"), Some(1.0));
        assert_eq!(f(r"|a", r"|b"), None);
        assert!(is_dimensionless(&p(r"\milli\volt\per\volt")));
        assert!(!is_dimensionless(&p(r"\radian")));
    }
}
