//! The D-SI string parser: builds the tree of (prefix, unit, exponent) nodes the way the PTB
//! reference implementation `dsiunits` 3.1 does (module `dsi_parser`), with the same findings
//! in the same order, then applies the D-SI syntax rules that implementation checks only in
//! its regular expression (R010–R014, binary prefixes, exact `\tothe{…}` tokens).
//!
//! Why mirror the reference step by step rather than write a clean grammar: DCC validators
//! compare their messages and their rendering of invalid strings (red LaTeX markup around
//! unknown identifiers) with those of `dsiunits`, so the recovery behaviour matters as much as
//! acceptance. The steps, in order:
//!
//! 1. empty string: "Given D-SI string is empty!";
//! 2. every `\\` is read as `\`, with a finding per pass;
//! 3. a string that starts with neither `\` nor `|` is read as an SI Reference Point compound
//!    unit (`kg.mm2.ns-2.℃`, components `[letters][exponent]` joined by `.`);
//! 4. a string that starts with `|` is a non-D-SI unit, accepted as a whole;
//! 5. spaces are refused (and removed to carry on);
//! 6. the string is split at `\per` (not `\percent`): empty sides and more than one `\per` are
//!    findings;
//! 7. each side is split at `\` and read item by item: an optional prefix, an optional unit, an
//!    optional `\tothe{…}`; unknown items get "did you mean" suggestions.
//!
//! Positions are character indices in the original text.

use num_rational::Ratio;
use num_traits::One;

use super::fraction::{is_dsi_form, parse_exponent, ExponentError};
use super::units::{self, Rule, UNITS};
use super::{Finding, Severity};

/// The exponent of a node: a number, or the text that could not be read as one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NodeExponent {
    /// A rational exponent.
    Value(Ratio<i32>),
    /// Text that is not a number (rendered in red).
    Text(String),
}

/// One node of the tree: prefix name, unit name (or the unknown identifier, or empty when the
/// unit is missing), exponent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    pub(crate) prefix: String,
    pub(crate) unit: String,
    pub(crate) exponent: NodeExponent,
    /// The text inside `\tothe{…}` when an exponent was written (for rule R014 and the form of
    /// exponents).
    pub(crate) written: Option<String>,
    /// Whether the `\tothe{…}` item was exactly that (nothing after the closing brace).
    pub(crate) exact: bool,
    /// Character index where the node starts.
    pub(crate) position: usize,
}

impl Node {
    fn simple(prefix: &str, unit: &str, exponent: Ratio<i32>, position: usize) -> Node {
        Node {
            prefix: prefix.to_string(),
            unit: unit.to_string(),
            exponent: NodeExponent::Value(exponent),
            written: None,
            exact: true,
            position,
        }
    }
}

/// The parsed structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tree {
    /// Shown as text after a `|`: a non-D-SI unit (`|fluid ounce`), the empty string (shown as
    /// `NULL`), or an SI Reference Point string that could not be read.
    Text(String),
    /// Numerator and, after `\per`, denominator (more than two sides only in invalid strings).
    Fractions(Vec<Vec<Node>>),
}

/// What the parser found.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    pub(crate) tree: Tree,
    pub(crate) findings: Vec<Finding>,
    /// Whether the text is a non-D-SI unit (`|…`) that was accepted.
    pub(crate) non_dsi: bool,
}

/// A character with its index in the original text.
type Chars = Vec<(char, usize)>;

fn text_of(s: &[(char, usize)]) -> String {
    s.iter().map(|(c, _)| c).collect()
}

fn error(position: usize, message: String) -> Finding {
    Finding {
        severity: Severity::Error,
        position,
        message,
    }
}

fn warning(position: usize, message: String) -> Finding {
    Finding {
        severity: Severity::Warning,
        position,
        message,
    }
}

/// Whether `name` is a prefix item as the reference reads it (the empty item counts as the
/// empty prefix).
fn is_prefix_item(name: &str) -> bool {
    name.is_empty() || units::prefix_def(name).is_some()
}

fn is_unit_name(name: &str) -> bool {
    UNITS.iter().any(|u| u.name == name)
}

/// The names the suggestions are drawn from: prefixes (and the empty prefix), units, `tothe`,
/// `per`.
fn suggestion_names() -> impl Iterator<Item = &'static str> {
    std::iter::once("")
        .chain(units::PREFIXES.iter().map(|p| p.name))
        .chain(UNITS.iter().map(|u| u.name))
        .chain(["tothe", "per"])
}

/// The D-SI names closest to `word` (at most three, similarity at least 0.66, best first), as
/// the reference's "Did you mean one of these" suggestions.
pub(crate) fn suggestions(word: &str) -> Vec<&'static str> {
    super::difflib::close_matches(word, suggestion_names())
}

/// Parses a D-SI string (or an SI Reference Point string, or a `|` non-D-SI unit).
pub(crate) fn parse_tree(text: &str) -> Raw {
    let mut findings = Vec::new();
    if text.is_empty() {
        findings.push(error(0, "Given D-SI string is empty!".to_string()));
        return Raw {
            tree: Tree::Text("NULL".to_string()),
            findings,
            non_dsi: false,
        };
    }
    let mut s: Chars = text.chars().enumerate().map(|(i, c)| (c, i)).collect();
    // 2. double backslashes
    while let Some(at) = s.windows(2).position(|w| w[0].0 == '\\' && w[1].0 == '\\') {
        findings.push(error(
            s.get(at).map_or(0, |x| x.1),
            format!(
                "Double backslash found in string, treating as one backslash: «{}»",
                text_of(&s)
            ),
        ));
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while let Some(&x) = s.get(i) {
            out.push(x);
            i += if x.0 == '\\' && s.get(i + 1).is_some_and(|y| y.0 == '\\') {
                2
            } else {
                1
            };
        }
        s = out;
    }
    match s.first().map(|x| x.0) {
        Some('\\') => {}
        Some('|') => {
            findings.push(warning(
                0,
                "Parsing a correctly marked non D-SI unit!".to_string(),
            ));
            return Raw {
                tree: Tree::Text(text_of(s.get(1..).unwrap_or_default())),
                findings,
                non_dsi: true,
            };
        }
        _ => return parse_rp(&s, findings),
    }
    // 5. spaces
    if let Some(&(_, at)) = s.iter().find(|x| x.0 == ' ') {
        findings.push(error(
            at,
            "Given D-SI string contains spaces! If this is a space-separated list, please parse \
             each unit separately. Removing spaces and assuming single unit."
                .to_string(),
        ));
        s.retain(|x| x.0 != ' ');
    }
    // 6. \per
    let whole = text_of(&s);
    let mut sides: Vec<(Chars, usize)> = Vec::new();
    let mut current: Chars = Vec::new();
    let mut side_start = s.first().map_or(0, |x| x.1);
    let mut pers = Vec::new();
    let mut i = 0;
    while let Some(&x) = s.get(i) {
        let is_per = x.0 == '\\'
            && s.get(i + 1..i + 4).is_some_and(|w| text_of(w) == "per")
            && s.get(i + 4..i + 8).is_none_or(|w| text_of(w) != "cent");
        if is_per {
            sides.push((std::mem::take(&mut current), side_start));
            pers.push(x.1);
            side_start = x.1;
            i += 4;
        } else {
            current.push(x);
            i += 1;
        }
    }
    sides.push((current, side_start));
    let before = sides.len();
    sides.retain(|(side, _)| !side.is_empty());
    for _ in sides.len()..before {
        findings.push(error(
            pers.first().copied().unwrap_or(0),
            format!(
                "The dsi string contains a \\per missing a numerator or denominator! Given \
                 string: {whole}"
            ),
        ));
    }
    if sides.len() > 2 {
        findings.push(error(
            pers.get(1).copied().unwrap_or(0),
            format!(
                "The dsi string contains more than one \\per, does not match specs! Given \
                 string: {whole}"
            ),
        ));
    }
    // 7. the sides
    let end = s.last().map_or(0, |x| x.1 + 1);
    let mut tree = Vec::new();
    for (side, start) in &sides {
        tree.push(parse_side(side, *start, end, &mut findings));
    }
    if !findings.iter().any(|f| f.severity == Severity::Error) {
        if s.last().is_some_and(|x| x.0 == '\\') {
            findings.push(error(
                end.saturating_sub(1),
                "The D-SI string ends with a stray backslash".to_string(),
            ));
        }
        for node in tree.iter().flatten() {
            check_node(node, true, &mut findings);
        }
    }
    Raw {
        tree: Tree::Fractions(tree),
        findings,
        non_dsi: false,
    }
}

/// One `\`-separated item of a side.
struct Item {
    text: String,
    position: usize,
}

/// Reads one side of `\per` (step 7).
fn parse_side(
    side: &[(char, usize)],
    start: usize,
    end: usize,
    findings: &mut Vec<Finding>,
) -> Vec<Node> {
    let mut items: std::collections::VecDeque<Item> = std::collections::VecDeque::new();
    let mut text = String::new();
    let mut position = start;
    for &(c, at) in side {
        if c == '\\' {
            items.push_back(Item {
                text: std::mem::take(&mut text),
                position,
            });
            position = at;
        } else {
            text.push(c);
        }
    }
    items.push_back(Item { text, position });
    if items.front().is_some_and(|i| i.text.is_empty()) {
        items.pop_front();
    } else {
        findings.push(error(
            start,
            format!(
                "String should start with \\, string given was «{}»",
                text_of(side)
            ),
        ));
    }
    let pop = |items: &mut std::collections::VecDeque<Item>| {
        items.pop_front().unwrap_or(Item {
            text: String::new(),
            position: end,
        })
    };
    let mut nodes = Vec::new();
    // The reference keeps the text of the last exponent across nodes (it appears in the
    // "missing the base unit" message of a later node).
    let mut exponent_text = String::new();
    let mut item = pop(&mut items);
    loop {
        let node_start = item.position;
        let mut prefix = String::new();
        let mut unit = String::new();
        let mut exponent: Option<NodeExponent> = None;
        let mut written = None;
        let mut exact = true;
        if is_prefix_item(&item.text) {
            prefix = std::mem::take(&mut item.text);
            item = pop(&mut items);
        }
        if is_unit_name(&item.text) {
            unit = std::mem::take(&mut item.text);
            item = pop(&mut items);
        }
        if item.text.starts_with("tothe") {
            let braced = item
                .text
                .strip_prefix("tothe{")
                .and_then(|rest| {
                    rest.find(['{', '}'])
                        .map(|i| rest.get(i..i + 1) == Some("}"))
                })
                .unwrap_or(false);
            if braced {
                // item.split("{")[1].split("}"): the exponent, then what follows the brace
                let segment = item.text.split('{').nth(1).unwrap_or("");
                let mut parts = segment.split('}');
                exponent_text = parts.next().unwrap_or("").to_string();
                let rest = parts.next().unwrap_or("");
                exact =
                    segment.len() == exponent_text.len() + 1 && item.text.matches('{').count() == 1;
                if !rest.is_empty() {
                    findings.push(error(
                        item.position,
                        format!(
                            "The fragment {} contained something after the }} that could not \
                             be parsed! You most likely forgot a \\, inserting as new fragment…",
                            item.text
                        ),
                    ));
                    items.push_front(Item {
                        text: rest.to_string(),
                        position: item.position,
                    });
                }
            } else {
                exponent_text = item.text.replace("tothe", "");
                exact = false;
                findings.push(error(
                    item.position,
                    format!(
                        "The fragment {} looks like an exponent, but does not contain {{ }}! \
                         Treating {exponent_text} as the exponent!",
                        item.text
                    ),
                ));
            }
            written = Some(exponent_text.clone());
            exponent = Some(match parse_exponent(&exponent_text) {
                Ok(e) => NodeExponent::Value(e),
                Err(e) => {
                    let why = match e {
                        ExponentError::NotANumber => "is not a number",
                        ExponentError::ZeroDenominator => "has a zero denominator",
                        ExponentError::OutOfRange => "is out of range",
                    };
                    findings.push(error(
                        item.position,
                        format!("The exponent «{exponent_text}» {why}!"),
                    ));
                    NodeExponent::Text(exponent_text.clone())
                }
            });
            item = pop(&mut items);
        }
        let no_exponent = match &exponent {
            None => true,
            Some(NodeExponent::Text(t)) => t.is_empty(),
            Some(NodeExponent::Value(_)) => false,
        };
        if prefix.is_empty() && unit.is_empty() && no_exponent {
            unit = std::mem::take(&mut item.text);
            let at = item.position;
            item = pop(&mut items);
            let close = suggestions(&unit);
            let message = if close.is_empty() {
                format!("The identifier «{unit}» does not match any D-SI units!")
            } else {
                format!(
                    "The identifier «{unit}» does not match any D-SI units! Did you mean one of \
                     these «\\{}»?",
                    close.join(", \\")
                )
            };
            findings.push(error(at, message));
        } else if unit.is_empty() {
            let mut shown = String::new();
            if !prefix.is_empty() {
                shown.push('\\');
                shown.push_str(&prefix);
            }
            if !exponent_text.is_empty() {
                shown.push_str("\\tothe{");
                shown.push_str(&exponent_text);
                shown.push('}');
            }
            findings.push(error(
                node_start,
                format!("This D-SI unit seems to be missing the base unit! «{shown}»"),
            ));
        }
        // An empty text exponent reads as 1, as in the reference's node constructor.
        let exponent = match exponent {
            None => NodeExponent::Value(Ratio::one()),
            Some(NodeExponent::Text(t)) if t.is_empty() => NodeExponent::Value(Ratio::one()),
            Some(e) => e,
        };
        nodes.push(Node {
            prefix,
            unit,
            exponent,
            written,
            exact,
            position: node_start,
        });
        if items.is_empty() && item.text.is_empty() {
            break;
        }
    }
    nodes
}

/// Applies the D-SI syntax rules to a node read without finding: exact `\tothe{…}` items,
/// the form of exponents (a warning), R010 (no prefix), R011 (no `\kilo\gram`), R012 (no
/// `\deci\bel`), R014 (`\one`, `\percent`, `\ppm` take neither prefix nor exponent), binary
/// prefixes only on `\bit` and `\byte` and only binary prefixes on them.
fn check_node(node: &Node, dsi_syntax: bool, findings: &mut Vec<Finding>) {
    let at = node.position;
    let Some(def) = UNITS.iter().find(|u| u.name == node.unit) else {
        return;
    };
    let unit = node.unit.as_str();
    if let (Some(w), true) = (&node.written, dsi_syntax) {
        if !node.exact {
            findings.push(error(
                at,
                format!("Unexpected characters around the exponent «\\tothe{{{w}}}» of \\{unit}"),
            ));
        } else if !is_dsi_form(w) {
            let read = match &node.exponent {
                NodeExponent::Value(e) => exponent_text(*e),
                NodeExponent::Text(t) => t.clone(),
            };
            findings.push(warning(
                at,
                format!(
                    "The exponent «{w}» of \\{unit} is not in D-SI form (an integer, a decimal \
                     such as 0.5, or n_d such as 1_2); read as \\tothe{{{read}}}"
                ),
            ));
        }
    }
    let prefix = node.prefix.as_str();
    let binary = units::prefix_def(prefix).is_some_and(|p| p.binary);
    let shown = format!("\\{prefix}\\{unit}");
    let message = match def.rule {
        Rule::NoPrefix | Rule::Bare if !prefix.is_empty() => Some(format!(
            "D-SI rule R010: \\{unit} takes no prefix («{shown}»)"
        )),
        Rule::Bare if node.written.is_some() => Some(format!(
            "D-SI rule R014: \\{unit} takes no exponent («\\{unit}\\tothe{{{}}}»)",
            node.written.as_deref().unwrap_or("")
        )),
        Rule::NotPrefix(p) if p == prefix => Some(match unit {
            "gram" => "D-SI rule R011: write \\kilogram, not \\kilo\\gram".to_string(),
            _ => format!("D-SI rule R012: write \\{p}{unit}, not \\{p}\\{unit}"),
        }),
        Rule::Binary if !prefix.is_empty() && !binary => Some(format!(
            "\\{unit} takes only the binary prefixes \\kibi … \\yobi («{shown}»)"
        )),
        Rule::Any | Rule::NotPrefix(_) if binary => Some(format!(
            "The binary prefix \\{prefix} applies only to \\bit and \\byte («{shown}»)"
        )),
        _ => None,
    };
    if let Some(m) = message {
        findings.push(error(at, m));
    }
}

/// `2`, `-2`, `1_2`: an exponent as the D-SI writes it (Python's `str(Fraction)` with `_`).
pub(crate) fn exponent_text(e: Ratio<i32>) -> String {
    if e.is_integer() {
        e.numer().to_string()
    } else {
        format!("{}_{}", e.numer(), e.denom())
    }
}

/// Unit names by UTF-8 symbol for SI Reference Point strings: the D-SI symbols, `L` for the
/// litre and, as in the reference, `B` for the byte (not the bel).
fn unit_by_symbol(symbol: &str) -> Option<&'static str> {
    match symbol {
        "B" => return Some("byte"),
        "L" => return Some("litre"),
        "°C" => return Some("degreecelsius"),
        _ => {}
    }
    UNITS.iter().find(|u| u.utf == symbol).map(|u| u.name)
}

/// Prefix names by symbol for SI Reference Point strings (both micro signs, `Ki` and the
/// reference's `ki` for kibi).
fn prefix_by_symbol(symbol: &str) -> Option<&'static str> {
    match symbol {
        "µ" | "μ" => return Some("micro"),
        "ki" => return Some("kibi"),
        _ => {}
    }
    units::PREFIXES
        .iter()
        .find(|p| units::prefix(p.name).is_some_and(|q| q.code == symbol))
        .map(|p| p.name)
}

/// Whether `c` may appear in the unit part of an SI Reference Point component (the letters of
/// the reference's pattern `[a-zA-ZµΩ℃°]`, plus μ U+03BC, the SI Brochure's micro sign).
fn is_rp_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, 'µ' | 'μ' | 'Ω' | '℃' | '°')
}

/// Reads an SI Reference Point compound unit (step 3): `kg.mm2.ns-2.℃`, exponents `2`, `-1`,
/// `+3` or `1_2`; a component is a unit symbol or D-SI name, or a prefix symbol (longest first)
/// and a unit symbol.
fn parse_rp(s: &[(char, usize)], mut findings: Vec<Finding>) -> Raw {
    let original = text_of(s);
    let fail = |findings: Vec<Finding>| Raw {
        tree: Tree::Text(original.clone()),
        findings,
        non_dsi: false,
    };
    let mut lo = 0;
    let mut hi = s.len();
    while s.get(lo).is_some_and(|x| x.0.is_whitespace()) {
        lo += 1;
    }
    while hi > lo && s.get(hi - 1).is_some_and(|x| x.0.is_whitespace()) {
        hi -= 1;
    }
    let trimmed = s.get(lo..hi).unwrap_or_default();
    let mut nodes = Vec::new();
    for comp in trimmed.split(|x| x.0 == '.') {
        let at = comp
            .first()
            .map_or_else(|| s.get(lo).map_or(0, |x| x.1), |x| x.1);
        let text = text_of(comp);
        let letters = comp.iter().take_while(|x| is_rp_letter(x.0)).count();
        let symbol: String = text.chars().take(letters).collect();
        let exp: String = text.chars().skip(letters).collect();
        if symbol.is_empty() || !is_rp_exponent(&exp) {
            findings.push(error(at, format!("Invalid BIPM-RP component: «{text}»")));
            return fail(findings);
        }
        let exponent = if exp.is_empty() {
            Ok(Ratio::one())
        } else if let Some((n, d)) = exp.split_once('_') {
            match (n.parse::<i32>(), d.parse::<i32>()) {
                (Ok(n), Ok(d)) if d != 0 && n != i32::MIN => Ok(Ratio::new(n, d)),
                _ => Err(()),
            }
        } else {
            exp.parse::<i32>()
                .ok()
                .filter(|n| *n != i32::MIN)
                .map(Ratio::from_integer)
                .ok_or(())
        };
        let Ok(exponent) = exponent else {
            findings.push(error(
                at,
                format!("Invalid fraction format in exponent: «{exp}»"),
            ));
            return fail(findings);
        };
        let resolved = unit_by_symbol(&symbol)
            .or_else(|| UNITS.iter().find(|u| u.name == symbol).map(|u| u.name))
            .map(|u| ("", u))
            .or_else(|| {
                // prefix symbols have one or two characters; the longer is tried first
                [2, 1].into_iter().find_map(|k| {
                    let p: String = symbol.chars().take(k).collect();
                    let rest: String = symbol.chars().skip(k).collect();
                    Some((prefix_by_symbol(&p)?, unit_by_symbol(&rest)?))
                })
            });
        let Some((prefix, unit)) = resolved else {
            findings.push(error(
                at,
                format!("Unknown unit in BIPM-RP string: «{symbol}»"),
            ));
            return fail(findings);
        };
        let mut node = Node::simple(prefix, unit, exponent, at);
        node.written = (!exp.is_empty()).then_some(exp);
        nodes.push(node);
    }
    let start = s.first().map_or(0, |x| x.1);
    if !findings.iter().any(|f| f.severity == Severity::Error) {
        for node in &nodes {
            check_node(node, false, &mut findings);
        }
    }
    let tree = Tree::Fractions(vec![nodes]);
    findings.push(warning(
        start,
        format!(
            "«{original}» is an SI Reference Point compound unit, not a D-SI string; read as {}",
            super::render::dsi_string(&tree)
        ),
    ));
    Raw {
        tree,
        findings,
        non_dsi: false,
    }
}

/// `[-+]?[0-9]+(_[0-9]+)?` or nothing.
fn is_rp_exponent(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    match body.split_once('_') {
        Some((n, d)) => digits(n) && digits(d),
        None => digits(body),
    }
}
