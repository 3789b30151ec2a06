//! Semantic checks in the spirit of PTB's Schematron rules (`dcc.sch`, dcclib 0.4.0), plus the
//! D-SI unit and uncertainty checks the Schematron leaves out.
//!
//! Each rule cites the `dcc.sch` pattern it implements (the file has no rule ids: patterns are
//! named here by their first `context`). Where this crate departs from the Schematron text it
//! says so next to the code. Codes are stable and listed in `docs/dcc.md`:
//!
//! | code | sev. | rule |
//! |---|---|---|
//! | `SCH-METHODS-MISSING` | error | pattern 1, `//dcc:result/dcc:data/dcc:quantity`, `//dcc:measurementResults//dcc:list` |
//! | `SCH-SOFTWARE-MISSING` | warning | pattern 2 (same contexts, `usedSoftware`) |
//! | `SCH-INFLUENCE-MISSING` | error | pattern 3 (same contexts, `influenceConditions`) |
//! | `SCH-VERSION-OUTDATED` | warning | pattern 4, `dcc:digitalCalibrationCertificate/@schemaVersion` |
//! | `SCH-ID-UNREFERENCED` | warning | pattern 5, `//@id` |
//! | `SCH-REFID-UNRESOLVED` | error | pattern 5, `//@refId` |
//! | `SCH-LANG-UNDECLARED` | error | pattern 6, `dcc:content[@lang]` |
//! | `SCH-LANG-INCOMPLETE`, `SCH-LANG-DUPLICATE` | warning (error in dcc.sch) | pattern 6, `//*[dcc:content[@lang]]` |
//! | `SCH-LANG-ATTRIBUTE-MISSING` | warning | pattern 6, `dcc:content` |
//! | `SCH-DATE-ORDER` | error | pattern 7, `dcc:coreData/dcc:endPerformanceDate` |
//! | `SCH-RELEASE-FORMAT` | warning (error in dcc.sch) | pattern 8, `//dcc:release` |
//! | `SCH-LANG-CODE`, `SCH-COUNTRY-CODE` | error | pattern 9 |
//! | `SCH-RELUNC-NO-EXPANDED`, `SCH-RELUNC-FORM`, `SCH-RELUNC-VALUE`, `SCH-RELUNC-COUNT` | error | pattern 10, `//dcc:quantity`, `//dcc:relativeUncertainty` |
//! | `SCH-UNC-COUNT` | error | pattern 10, `//si:realListXMLList` |
//! | `SCH-UNIT-SPACE`, `SCH-UNIT-COUNT` | error | pattern 11 |
//! | `SCH-UNIT-REDUNDANT` | warning | pattern 11 |
//! | `SCH-NONSI-UNDECLARED`, `SCH-NONSI-DEFINITION` | error | pattern 12 |
//! | `SCH-LANG-DECLARED-TWICE` | error | pattern 13 |
//! | `SCH-LIST-SPACING` | error | pattern 14 (XMLList spacing) |
//! | `DSI-UNIT` | error | D-SI unit not valid (sevres-si D-SI parser, PTB `dsiunits` behaviour) |
//! | `DSI-UNIT-CASE` | warning | not valid D-SI, but valid once lower-cased (`\\degreeCelsius`, PTB's own v3.0.0 example) |
//! | `DSI-UNIT-NONSTANDARD` | warning | D-SI unit read with a warning (non-D-SI `\|unit`, SIRP form) |
//! | `UNC-NEGATIVE`, `UNC-COVERAGE-FACTOR`, `UNC-PROBABILITY`, `UNC-INTERVAL` | error | expanded uncertainty / coverage interval well formed (D-SI guide §6) |
//! | `UNC-COVERAGE-FACTOR-SMALL` | warning | k < 1 |
//! | `LIST-LENGTH` | error | an XML list (label, dateTime, k, p, distribution, standardUnc, interval) has neither 1 nor n entries |

use std::collections::{HashMap, HashSet};

use roxmltree::Node;

use crate::iso_codes::{ISO_3166_1, ISO_639_1};
use crate::report::{Finding, Report};
use crate::{is_dcc, is_si, Dcc, SchemaVersion, NS_DCC, NS_SI};

struct Ctx<'r> {
    report: &'r mut Report,
    /// D-SI findings per distinct unit string (a DCC repeats few units many times):
    /// (code, is_error, message).
    units: HashMap<String, Vec<(&'static str, bool, String)>>,
}

impl Ctx<'_> {
    fn error(&mut self, code: &str, message: String, line: u32) {
        self.report
            .errors
            .push(Finding::new(code, message, Some(line)));
    }
    fn warning(&mut self, code: &str, message: String, line: u32) {
        self.report
            .warnings
            .push(Finding::new(code, message, Some(line)));
    }
}

fn text<'a>(n: Node<'a, '_>) -> &'a str {
    n.text().unwrap_or("")
}

fn child<'a, 'i>(n: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| {
        c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(ns)
    })
}

fn has_child(n: Node<'_, '_>, ns: &str, name: &str) -> bool {
    child(n, ns, name).is_some()
}

fn has_ancestor(n: Node<'_, '_>, name: &str) -> bool {
    n.ancestors().skip(1).any(|a| is_dcc(a, name))
}

/// `^([^\s]+\s)*([^\s]+)$` of dcc.sch pattern 14: non-empty, no leading or trailing whitespace,
/// entries separated by exactly one whitespace character.
pub(crate) fn well_spaced(s: &str) -> bool {
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    if s.is_empty() || s.starts_with(ws) || s.ends_with(ws) {
        return false;
    }
    let mut prev_ws = false;
    for c in s.chars() {
        let w = ws(c);
        if w && prev_ws {
            return false;
        }
        prev_ws = w;
    }
    true
}

fn tokens(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

/// A decimal as written, with half a unit in its last place (the rounding it carries).
pub(crate) fn decimal(s: &str) -> Option<(f64, f64)> {
    let s = s.trim();
    let v: f64 = s.parse().ok()?;
    if !v.is_finite() {
        return None;
    }
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => (s, 0),
    };
    let decimals = mantissa.find('.').map_or(0, |i| mantissa.len() - i - 1) as i32;
    let half_ulp = 0.5 * 10f64.powi(exp - decimals);
    Some((v, half_ulp))
}

/// `xs:date` (optionally with a time-zone suffix) as (year, month, day).
fn date(s: &str) -> Option<(i64, u32, u32)> {
    let s = s.trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let mut it = body.splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let rest = it.next()?;
    let d: u32 = rest.get(..2)?.parse().ok()?;
    Some((if neg { -y } else { y }, m, d))
}

pub(crate) fn check(dcc: &Dcc<'_>, report: &mut Report) {
    let doc = dcc.document();
    let root = doc.root_element();
    let mut cx = Ctx {
        report,
        units: HashMap::new(),
    };
    let line = |n: Node<'_, '_>| dcc.line(n);

    // Pattern 4: schema version (warning).
    if dcc.version() != SchemaVersion::V3_3_0 {
        cx.warning(
            "SCH-VERSION-OUTDATED",
            format!(
                "schema version {} is outdated; the latest released version is 3.3.0",
                dcc.version()
            ),
            line(root),
        );
    }

    // Languages declared (pattern 6, 9, 13).
    let langs = dcc.languages();
    let mut ids: HashMap<&str, Node<'_, '_>> = HashMap::new();
    let mut referenced: HashSet<&str> = HashSet::new();
    let mut ref_attrs: Vec<(Node<'_, '_>, &str)> = Vec::new();
    let mut non_si_declared: HashSet<&str> = HashSet::new();
    let mut hybrid_units: Vec<Node<'_, '_>> = Vec::new();

    for n in doc.descendants().filter(|n| n.is_element()) {
        // Pattern 5 (ids and refIds) and pattern 14 (@refType/@refId spacing).
        for a in n.attributes() {
            if a.namespace().is_some() {
                continue;
            }
            match a.name() {
                "id" => {
                    ids.insert(a.value(), n);
                }
                "refId" => {
                    referenced.extend(a.value().split_whitespace());
                    ref_attrs.push((n, a.value()));
                    if !well_spaced(a.value()) {
                        cx.error(
                            "SCH-LIST-SPACING",
                            format!(
                                "@refId '{}' is not a list separated by single spaces",
                                a.value()
                            ),
                            line(n),
                        );
                    }
                }
                "refType" if !well_spaced(a.value()) => {
                    cx.error(
                        "SCH-LIST-SPACING",
                        format!(
                            "@refType '{}' is not a list separated by single spaces",
                            a.value()
                        ),
                        line(n),
                    );
                }
                _ => {}
            }
        }
        let ns = n.tag_name().namespace();
        let name = n.tag_name().name();
        if ns == Some(NS_DCC) {
            match name {
                "content" => content_rules(&mut cx, dcc, n, &langs),
                "usedLangCodeISO639_1" | "mandatoryLangCodeISO639_1" => {
                    let t = text(n).trim();
                    if ISO_639_1.binary_search(&t).is_err() {
                        cx.error(
                            "SCH-LANG-CODE",
                            format!("'{t}' is not an ISO 639-1 language code"),
                            line(n),
                        );
                    }
                    if name == "usedLangCodeISO639_1" {
                        let dup = n
                            .parent()
                            .into_iter()
                            .flat_map(|p| p.children())
                            .filter(|s| is_dcc(*s, "usedLangCodeISO639_1") && text(*s).trim() == t)
                            .count();
                        if dup > 1 {
                            cx.error(
                                "SCH-LANG-DECLARED-TWICE",
                                format!("language code '{t}' is declared more than once"),
                                line(n),
                            );
                        }
                    }
                }
                "countryCodeISO3166_1" => {
                    let t = text(n).trim();
                    if ISO_3166_1.binary_search(&t).is_err() {
                        cx.error(
                            "SCH-COUNTRY-CODE",
                            format!("'{t}' is not an ISO 3166-1 country code"),
                            line(n),
                        );
                    }
                }
                "endPerformanceDate" => {
                    if let Some(begin) = n
                        .parent()
                        .and_then(|p| child(p, NS_DCC, "beginPerformanceDate"))
                    {
                        if let (Some(b), Some(e)) = (date(text(begin)), date(text(n))) {
                            if b > e {
                                cx.error(
                                    "SCH-DATE-ORDER",
                                    format!(
                                        "endPerformanceDate {} is before beginPerformanceDate {}",
                                        text(n).trim(),
                                        text(begin).trim()
                                    ),
                                    line(n),
                                );
                            }
                        }
                    }
                }
                "release" => {
                    let t = text(n);
                    if !release_format(t) {
                        // dcc.sch reports an error; the XSD allows any string and real PTB
                        // certificates name releases by commit hash (ptb_vacuumlab-*), which
                        // identifies a release exactly: reported as a warning here.
                        cx.warning(
                            "SCH-RELEASE-FORMAT",
                            format!(
                                "software release '{}' does not follow the form 'v1.2.3' or 'A 1.0'",
                                t.trim()
                            ),
                            line(n),
                        );
                    }
                }
                "quantity" => quantity_rules(&mut cx, dcc, n),
                "list" if has_ancestor(n, "measurementResults") && !has_ancestor(n, "metaData") => {
                    list_presence(&mut cx, dcc, n);
                }
                "statement" => {
                    for u in n.children().filter(|c| is_dcc(*c, "nonSIUnit")) {
                        non_si_declared.insert(text(u).trim());
                    }
                }
                "nonSIUnit" => {
                    let defs = n
                        .prev_siblings()
                        .skip(1)
                        .filter(|s| is_dcc(*s, "nonSIDefinition"))
                        .count();
                    if defs != 1 {
                        cx.error(
                            "SCH-NONSI-DEFINITION",
                            format!(
                                "non-SI unit '{}' must be preceded by exactly one dcc:nonSIDefinition",
                                text(n).trim()
                            ),
                            line(n),
                        );
                    }
                }
                "nonSIDefinition" => {
                    let units = n
                        .next_siblings()
                        .skip(1)
                        .filter(|s| is_dcc(*s, "nonSIUnit"))
                        .count();
                    if units != 1 {
                        cx.error(
                            "SCH-NONSI-DEFINITION",
                            "a dcc:nonSIDefinition must be followed by exactly one dcc:nonSIUnit"
                                .into(),
                            line(n),
                        );
                    }
                }
                "relativeUncertainty" => relative_count(&mut cx, dcc, n),
                _ => {}
            }
        } else if ns == Some(NS_SI) {
            if SPACED_LISTS.contains(&name) && !well_spaced(text(n)) {
                cx.error(
                    "SCH-LIST-SPACING",
                    format!(
                        "si:{name} is not a list separated by single spaces (no leading, trailing or repeated whitespace)"
                    ),
                    line(n),
                );
            }
            match name {
                "unit" | "unitPhase" => {
                    let t = text(n);
                    if name == "unit"
                        && n.parent().is_some_and(|p| is_si(p, "real"))
                        && t.trim().contains(' ')
                    {
                        cx.error(
                            "SCH-UNIT-SPACE",
                            format!("unit '{t}' contains a space"),
                            line(n),
                        );
                    }
                    if n.parent()
                        .and_then(|p| p.parent())
                        .is_some_and(|g| is_si(g, "hybrid"))
                        && t.trim_start().starts_with('|')
                    {
                        hybrid_units.push(n);
                    }
                    dsi_unit(&mut cx, t.trim(), line(n));
                }
                "unitXMLList" | "unitPhaseXMLList" => {
                    for t in tokens(text(n)) {
                        dsi_unit(&mut cx, t, line(n));
                    }
                    if name == "unitXMLList" {
                        unit_list_rules(&mut cx, dcc, n);
                    }
                }
                "realListXMLList" => real_list_rules(&mut cx, dcc, n),
                "expandedUnc" => expanded_single(&mut cx, dcc, n),
                "coverageInterval" => interval_single(&mut cx, dcc, n),
                _ => {}
            }
        }
    }

    // Pattern 5: every refId token resolves. dcc.sch only requires that *some* token of a
    // refId resolves; "references resolve" is read strictly here: each token must.
    for (n, value) in &ref_attrs {
        for token in value.split_whitespace() {
            if !ids.contains_key(token) {
                cx.error(
                    "SCH-REFID-UNRESOLVED",
                    format!("refId '{token}' does not match any id in the document"),
                    line(*n),
                );
            }
        }
    }
    let mut unreferenced: Vec<(&str, Node<'_, '_>)> = ids
        .iter()
        .filter(|(id, _)| !referenced.contains(*id))
        .map(|(id, n)| (*id, *n))
        .collect();
    unreferenced.sort_by_key(|(_, n)| n.range().start);
    for (id, n) in unreferenced {
        cx.warning(
            "SCH-ID-UNREFERENCED",
            format!("id '{id}' is not referenced by any refId"),
            line(n),
        );
    }

    // Pattern 12: non-SI units in hybrids are declared.
    for n in hybrid_units {
        let t = text(n).trim();
        if !non_si_declared.contains(t) {
            cx.error(
                "SCH-NONSI-UNDECLARED",
                format!("non-SI unit '{t}' is not declared in a dcc:statement/dcc:nonSIUnit"),
                line(n),
            );
        }
    }
}

/// Pattern 8: `^[a-zA-Z]{1}( )?([0-9]{1,3}\.){0,3}([0-9]{1,3})$`.
fn release_format(t: &str) -> bool {
    let mut chars = t.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let rest = chars.as_str();
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let parts: Vec<&str> = rest.split('.').collect();
    (1..=4).contains(&parts.len())
        && parts
            .iter()
            .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Pattern 6 for one `dcc:content`, and, on the first content child of its parent, the
/// per-parent completeness and duplicate rules.
fn content_rules(cx: &mut Ctx<'_>, dcc: &Dcc<'_>, n: Node<'_, '_>, langs: &[String]) {
    match n.attribute("lang") {
        Some(l) => {
            if !langs.iter().any(|d| d == l) {
                cx.error(
                    "SCH-LANG-UNDECLARED",
                    format!(
                        "language '{l}' is not declared in dcc:usedLangCodeISO639_1 (declared: {})",
                        langs.join(", ")
                    ),
                    dcc.line(n),
                );
            }
        }
        None => {
            let g = n.parent().and_then(|p| p.parent());
            let exempt = g.is_some_and(|g| {
                has_child(g, NS_DCC, "name")
                    || has_child(g, NS_DCC, "further")
                    || has_child(g, NS_DCC, "referral")
            });
            if !exempt {
                cx.warning(
                    "SCH-LANG-ATTRIBUTE-MISSING",
                    "dcc:content without a lang attribute".into(),
                    dcc.line(n),
                );
            }
        }
    }
    // Per parent: run once, at its first dcc:content child that has @lang.
    let Some(parent) = n.parent() else { return };
    let first = parent
        .children()
        .find(|c| is_dcc(*c, "content") && c.attribute("lang").is_some());
    if first != Some(n) {
        return;
    }
    let local: Vec<&str> = parent
        .children()
        .filter(|c| is_dcc(*c, "content"))
        .filter_map(|c| c.attribute("lang"))
        .collect();
    let distinct: HashSet<&str> = local.iter().copied().collect();
    // dcc.sch: role="error" for both rules below. Reported as warnings: the XSD allows any
    // combination, the text stays readable in another language, and PTB's own published
    // examples break them (the Good Practice DCCs tag an English sentence `de`; the vacuum
    // laboratory DCCs give English-only names in a de/en certificate).
    if distinct.len() != local.len() {
        cx.warning(
            "SCH-LANG-DUPLICATE",
            format!(
                "dcc:{} has several dcc:content with the same lang: [{}]",
                parent.tag_name().name(),
                local.join(", ")
            ),
            dcc.line(n),
        );
    }
    if local.len() != langs.len() {
        cx.warning(
            "SCH-LANG-INCOMPLETE",
            format!(
                "dcc:{} gives the languages [{}] of the declared [{}]",
                parent.tag_name().name(),
                local.join(", "),
                langs.join(", ")
            ),
            dcc.line(n),
        );
    }
}

/// Patterns 1–3 for a `dcc:list` in the measurement results (not in metadata).
fn list_presence(cx: &mut Ctx<'_>, dcc: &Dcc<'_>, n: Node<'_, '_>) {
    let quantities: Vec<Node<'_, '_>> = n.children().filter(|c| is_dcc(*c, "quantity")).collect();
    for (what, code, error) in PRESENCE {
        let global = n
            .ancestors()
            .filter(|a| is_dcc(*a, "measurementResult"))
            .any(|a| has_child(a, NS_DCC, what));
        let covered = quantities
            .iter()
            .filter(|q| has_child(**q, NS_DCC, what))
            .count();
        if !has_child(n, NS_DCC, what) && !global && quantities.len() > covered {
            let msg = format!(
                "no dcc:{what} declared for this list, its quantities or the measurement result"
            );
            if *error {
                cx.error(code, msg, dcc.line(n));
            } else {
                cx.warning(code, msg, dcc.line(n));
            }
        }
    }
}

/// The list elements of dcc.sch pattern 14 (the containers such as `si:realListXMLList` hold
/// elements, not text, and are not checked).
const SPACED_LISTS: &[&str] = &[
    "valueXMLList",
    "unitXMLList",
    "labelXMLList",
    "dateTimeXMLList",
    "uncertaintyXMLList",
    "coverageFactorXMLList",
    "coverageProbabilityXMLList",
    "distributionXMLList",
    "standardUncXMLList",
    "intervalMinXMLList",
    "intervalMaxXMLList",
];

const PRESENCE: &[(&str, &str, bool)] = &[
    ("usedMethods", "SCH-METHODS-MISSING", true),
    ("usedSoftware", "SCH-SOFTWARE-MISSING", false),
    ("influenceConditions", "SCH-INFLUENCE-MISSING", true),
];

fn quantity_rules(cx: &mut Ctx<'_>, dcc: &Dcc<'_>, q: Node<'_, '_>) {
    // Patterns 1–3 for //dcc:result/dcc:data/dcc:quantity.
    if q.parent().is_some_and(|d| is_dcc(d, "data"))
        && q.parent()
            .and_then(|d| d.parent())
            .is_some_and(|r| is_dcc(r, "result"))
    {
        for (what, code, error) in PRESENCE {
            let global = q
                .ancestors()
                .filter(|a| is_dcc(*a, "measurementResult"))
                .any(|a| has_child(a, NS_DCC, what));
            if !has_child(q, NS_DCC, what) && !global {
                let msg =
                    format!("no dcc:{what} declared for this quantity or its measurement result");
                if *error {
                    cx.error(code, msg, dcc.line(q));
                } else {
                    cx.warning(code, msg, dcc.line(q));
                }
            }
        }
    }

    // Pattern 10, //dcc:quantity: relative uncertainty against the expanded uncertainty.
    // dcc.sch names the single form dcc:relativeUncertainty/dcc:relativeUncertainty, which the
    // 3.3.0 XSD calls dcc:relativeUncertaintySingle (si:realQuantityType): the XSD name is used.
    let Some(rel) = child(q, NS_DCC, "relativeUncertainty") else {
        return;
    };
    let rel_list = child(rel, NS_DCC, "relativeUncertaintyXmlList");
    let rel_single = child(rel, NS_DCC, "relativeUncertaintySingle");
    let real = child(q, NS_SI, "real");
    let real_list = child(q, NS_SI, "realListXMLList");
    let exp_list = real_list.and_then(|r| child(r, NS_SI, "expandedUncXMLList"));
    let exp_single = real.and_then(|r| child(r, NS_SI, "expandedUnc"));
    let line = dcc.line(rel);
    if rel_list.is_some() && exp_list.is_none() || rel_single.is_some() && exp_single.is_none() {
        cx.error(
            "SCH-RELUNC-NO-EXPANDED",
            "a relative uncertainty is given without the corresponding expanded uncertainty".into(),
            line,
        );
    }
    if rel_list.is_none() && rel_single.is_some() && real_list.is_some() && real.is_none() {
        cx.error(
            "SCH-RELUNC-FORM",
            "a list of values needs a list of relative uncertainties, not a single one".into(),
            line,
        );
    }
    if rel_list.is_some() && rel_single.is_none() && real_list.is_none() && real.is_some() {
        cx.error(
            "SCH-RELUNC-FORM",
            "a single value needs a single relative uncertainty, not a list".into(),
            line,
        );
    }
    // Value consistency: dcc.sch compares `rel != U div value` exactly; here within the rounding
    // of the stated numbers (half a unit in the last place of the relative uncertainty and of U,
    // propagated), with the relative uncertainty's unit (\one, \percent, \ppm) applied.
    if let (Some(rs), Some(r), Some(eu)) = (rel_single, real, exp_single) {
        let value = child(r, NS_SI, "value").and_then(|v| decimal(text(v)));
        let u = child(eu, NS_SI, "uncertainty").and_then(|v| decimal(text(v)));
        let rv = child(rs, NS_SI, "value").and_then(|v| decimal(text(v)));
        let unit = child(rs, NS_SI, "unit")
            .map(|u| text(u).trim())
            .unwrap_or("\\one");
        if let (Some(value), Some(u), Some(rv), Some(f)) = (value, u, rv, ratio_factor(unit)) {
            relative_consistent(cx, (value, u, rv, f), line);
        }
    }
    if let (Some(rl), Some(r), Some(eu)) = (rel_list, real_list, exp_list) {
        let values: Vec<Option<(f64, f64)>> = child(r, NS_SI, "valueXMLList")
            .map(|v| tokens(text(v)).into_iter().map(decimal).collect())
            .unwrap_or_default();
        let us: Vec<Option<(f64, f64)>> = child(eu, NS_SI, "uncertaintyXMLList")
            .map(|v| tokens(text(v)).into_iter().map(decimal).collect())
            .unwrap_or_default();
        let rels: Vec<Option<(f64, f64)>> = child(rl, NS_SI, "valueXMLList")
            .map(|v| tokens(text(v)).into_iter().map(decimal).collect())
            .unwrap_or_default();
        let unit = child(rl, NS_SI, "unitXMLList")
            .and_then(|u| tokens(text(u)).first().map(|s| s.to_string()))
            .unwrap_or_else(|| "\\one".into());
        let Some(f) = ratio_factor(&unit) else { return };
        let pick = |v: &[Option<(f64, f64)>], i: usize| {
            if v.len() == 1 {
                v[0]
            } else {
                v.get(i).copied().flatten()
            }
        };
        for i in 0..values.len().max(rels.len()) {
            if let (Some(value), Some(u), Some(rv)) =
                (pick(&values, i), pick(&us, i), pick(&rels, i))
            {
                if !relative_consistent(cx, (value, u, rv, f), line) {
                    break; // one finding per quantity is enough
                }
            }
        }
    }
}

/// The factor that brings a dimensionless D-SI unit (`\one`, `\percent`, `\ppm`) to one.
fn ratio_factor(unit: &str) -> Option<f64> {
    let expr = sevres_si::dsi::parse(unit).ok()?;
    let c = expr.canonical().ok()?;
    (c.dimension.is_dimensionless() && c.special.is_none() && c.arbitrary.is_empty())
        .then(|| c.factor.to_f64())
}

/// A stated decimal and half a unit in its last place.
type Stated = (f64, f64);

/// Reports `SCH-RELUNC-VALUE` when the relative uncertainty does not equal U/|value| within the
/// rounding of the stated numbers; returns whether it was consistent.
fn relative_consistent(
    cx: &mut Ctx<'_>,
    (value, u, rel, f): (Stated, Stated, Stated, f64),
    line: u32,
) -> bool {
    let (x, _) = value;
    if x == 0.0 {
        return true;
    }
    let expected = u.0 / x.abs();
    let stated = rel.0 * f;
    let tolerance =
        rel.1 * f + u.1 / x.abs() + expected * (value.1 / x.abs()) + 1e-12 * expected.abs();
    if (stated - expected).abs() > tolerance {
        cx.error(
            "SCH-RELUNC-VALUE",
            format!(
                "relative uncertainty {} does not match U/|value| = {}/{} = {expected:e}",
                rel.0, u.0, x
            ),
            line,
        );
        return false;
    }
    true
}

/// Pattern 10, //dcc:relativeUncertainty: counts of relative uncertainties and values.
fn relative_count(cx: &mut Ctx<'_>, dcc: &Dcc<'_>, rel: Node<'_, '_>) {
    let Some(rl) = child(rel, NS_DCC, "relativeUncertaintyXmlList")
        .and_then(|r| child(r, NS_SI, "valueXMLList"))
    else {
        return;
    };
    let n_rel = tokens(text(rl)).len();
    let n_val = rel
        .prev_siblings()
        .find(|s| is_si(*s, "realListXMLList"))
        .and_then(|r| child(r, NS_SI, "valueXMLList"))
        .map(|v| tokens(text(v)).len())
        .unwrap_or(0);
    if n_rel > 1 && n_rel != n_val {
        cx.error(
            "SCH-RELUNC-COUNT",
            format!("{n_rel} relative uncertainties for {n_val} values"),
            dcc.line(rel),
        );
    }
}

/// Pattern 11 for `si:unitXMLList`.
fn unit_list_rules(cx: &mut Ctx<'_>, dcc: &Dcc<'_>, n: Node<'_, '_>) {
    let units = tokens(text(n));
    if units.len() <= 1 {
        return;
    }
    let n_val = n
        .prev_siblings()
        .find(|s| is_si(*s, "valueXMLList"))
        .map(|v| tokens(text(v)).len())
        .unwrap_or(0);
    if units.len() != n_val {
        cx.error(
            "SCH-UNIT-COUNT",
            format!(
                "{} units for {n_val} values: give one unit, or one per value",
                units.len()
            ),
            dcc.line(n),
        );
    }
    if units.iter().all(|u| *u == units[0]) {
        cx.warning(
            "SCH-UNIT-REDUNDANT",
            format!(
                "all {} units in the list are '{}': one would do",
                units.len(),
                units[0]
            ),
            dcc.line(n),
        );
    }
}

/// Every D-SI unit string valid, through `sevres-si` (PTB `dsiunits` behaviour).
fn dsi_unit(cx: &mut Ctx<'_>, unit: &str, line: u32) {
    if !cx.units.contains_key(unit) {
        let findings = dsi_findings(unit);
        cx.units.insert(unit.to_string(), findings);
    }
    let findings = cx.units.get(unit).cloned().unwrap_or_default();
    for (code, error, message) in findings {
        if error {
            cx.error(code, message, line);
        } else {
            cx.warning(code, message, line);
        }
    }
}

fn dsi_findings(unit: &str) -> Vec<(&'static str, bool, String)> {
    let parsed = sevres_si::dsi::parse_with_warnings(unit);
    if !parsed.is_valid() {
        let lower = unit.to_lowercase();
        if lower != unit && sevres_si::dsi::parse_with_warnings(&lower).is_valid() {
            // Unambiguous intent, wrong letter case: PTB's own 3.0.0 example writes
            // `\degreeCelsius`. A warning, not an error.
            return vec![(
                "DSI-UNIT-CASE",
                false,
                format!("unit '{unit}' is not valid D-SI as written; D-SI identifiers are lower case: '{lower}'"),
            )];
        }
    }
    let mut out = Vec::new();
    for f in parsed.findings() {
        match f.severity {
            sevres_si::dsi::Severity::Error => out.push((
                "DSI-UNIT",
                true,
                format!("unit '{unit}' is not valid D-SI: {}", f.message),
            )),
            sevres_si::dsi::Severity::Warning => out.push((
                "DSI-UNIT-NONSTANDARD",
                false,
                format!("unit '{unit}': {}", f.message),
            )),
        }
    }
    if !parsed.is_valid() && !out.iter().any(|(_, e, _)| *e) {
        out.push(("DSI-UNIT", true, format!("unit '{unit}' is not valid D-SI")));
    }
    out
}

/// Pattern 10 (`SCH-UNC-COUNT`) and the list-length and uncertainty rules for one
/// `si:realListXMLList`.
fn real_list_rules(cx: &mut Ctx<'_>, dcc: &Dcc<'_>, r: Node<'_, '_>) {
    let line = dcc.line(r);
    let n_val = child(r, NS_SI, "valueXMLList")
        .map(|v| tokens(text(v)).len())
        .unwrap_or(0);
    let list_len = |cx: &mut Ctx<'_>, parent: Node<'_, '_>, name: &str| -> Option<usize> {
        let l = child(parent, NS_SI, name)?;
        let k = tokens(text(l)).len();
        if k != 1 && k != n_val {
            cx.error(
                "LIST-LENGTH",
                format!("si:{name} has {k} entries for {n_val} values (give 1 or {n_val})"),
                dcc.line(l),
            );
        }
        Some(k)
    };
    list_len(cx, r, "labelXMLList");
    list_len(cx, r, "dateTimeXMLList");
    if let Some(eu) = child(r, NS_SI, "expandedUncXMLList") {
        if let Some(ul) = child(eu, NS_SI, "uncertaintyXMLList") {
            let us = tokens(text(ul));
            if us.len() > 1 && us.len() != n_val {
                cx.error(
                    "SCH-UNC-COUNT",
                    format!("{} expanded uncertainties for {n_val} values", us.len()),
                    dcc.line(ul),
                );
            }
            nonnegative(cx, &us, "uncertainty", dcc.line(ul));
        }
        list_len(cx, eu, "coverageFactorXMLList");
        list_len(cx, eu, "coverageProbabilityXMLList");
        list_len(cx, eu, "distributionXMLList");
        if let Some(k) = child(eu, NS_SI, "coverageFactorXMLList") {
            for t in tokens(text(k)) {
                coverage_factor(cx, t, dcc.line(k));
            }
        }
        if let Some(p) = child(eu, NS_SI, "coverageProbabilityXMLList") {
            for t in tokens(text(p)) {
                probability(cx, t, dcc.line(p));
            }
        }
    }
    if let Some(ci) = child(r, NS_SI, "coverageIntervalXMLList") {
        for name in [
            "standardUncXMLList",
            "intervalMinXMLList",
            "intervalMaxXMLList",
            "coverageProbabilityXMLList",
            "distributionXMLList",
        ] {
            list_len(cx, ci, name);
        }
        if let Some(s) = child(ci, NS_SI, "standardUncXMLList") {
            nonnegative(cx, &tokens(text(s)), "standard uncertainty", dcc.line(s));
        }
        let mins: Vec<f64> = child(ci, NS_SI, "intervalMinXMLList")
            .map(|l| {
                tokens(text(l))
                    .iter()
                    .filter_map(|t| t.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        let maxs: Vec<f64> = child(ci, NS_SI, "intervalMaxXMLList")
            .map(|l| {
                tokens(text(l))
                    .iter()
                    .filter_map(|t| t.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        if mins.iter().zip(&maxs).any(|(a, b)| a > b) {
            cx.error(
                "UNC-INTERVAL",
                "a coverage interval's minimum exceeds its maximum".into(),
                dcc.line(ci),
            );
        }
        if let Some(p) = child(ci, NS_SI, "coverageProbabilityXMLList") {
            for t in tokens(text(p)) {
                probability(cx, t, dcc.line(p));
            }
        }
    }
    let _ = line;
}

fn nonnegative(cx: &mut Ctx<'_>, values: &[&str], what: &str, line: u32) {
    if let Some(bad) = values
        .iter()
        .find(|t| t.parse::<f64>().is_ok_and(|v| v < 0.0))
    {
        cx.error("UNC-NEGATIVE", format!("{what} {bad} is negative"), line);
    }
}

fn coverage_factor(cx: &mut Ctx<'_>, t: &str, line: u32) {
    if let Ok(k) = t.parse::<f64>() {
        if k <= 0.0 || !k.is_finite() {
            cx.error(
                "UNC-COVERAGE-FACTOR",
                format!("coverage factor {t} is not positive"),
                line,
            );
        } else if k < 1.0 {
            cx.warning(
                "UNC-COVERAGE-FACTOR-SMALL",
                format!("coverage factor {t} is below 1: an expanded uncertainty smaller than the standard uncertainty"),
                line,
            );
        }
    }
}

fn probability(cx: &mut Ctx<'_>, t: &str, line: u32) {
    if let Ok(p) = t.parse::<f64>() {
        if !(p > 0.0 && p <= 1.0) {
            cx.error(
                "UNC-PROBABILITY",
                format!("coverage probability {t} is not in (0, 1]"),
                line,
            );
        }
    }
}

fn expanded_single(cx: &mut Ctx<'_>, dcc: &Dcc<'_>, eu: Node<'_, '_>) {
    if let Some(u) = child(eu, NS_SI, "uncertainty") {
        nonnegative(cx, &[text(u).trim()], "uncertainty", dcc.line(u));
    }
    if let Some(k) = child(eu, NS_SI, "coverageFactor") {
        coverage_factor(cx, text(k).trim(), dcc.line(k));
    }
    if let Some(p) = child(eu, NS_SI, "coverageProbability") {
        probability(cx, text(p).trim(), dcc.line(p));
    }
}

fn interval_single(cx: &mut Ctx<'_>, dcc: &Dcc<'_>, ci: Node<'_, '_>) {
    if let Some(s) = child(ci, NS_SI, "standardUnc") {
        nonnegative(cx, &[text(s).trim()], "standard uncertainty", dcc.line(s));
    }
    let num = |name: &str| child(ci, NS_SI, name).and_then(|n| text(n).trim().parse::<f64>().ok());
    if let (Some(a), Some(b)) = (num("intervalMin"), num("intervalMax")) {
        if a > b {
            cx.error(
                "UNC-INTERVAL",
                format!("coverage interval minimum {a} exceeds maximum {b}"),
                dcc.line(ci),
            );
        }
    }
    if let Some(p) = child(ci, NS_SI, "coverageProbability") {
        probability(cx, text(p).trim(), dcc.line(p));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing() {
        assert!(well_spaced("1 2 3"));
        assert!(well_spaced("a"));
        assert!(!well_spaced(""));
        assert!(!well_spaced(" 1"));
        assert!(!well_spaced("1 "));
        assert!(!well_spaced("1  2"));
        assert!(well_spaced("1\n2"));
    }

    #[test]
    fn releases() {
        assert!(release_format("v 8.2"));
        assert!(release_format("v1.2.3"));
        assert!(release_format("A 1.0"));
        assert!(!release_format("2416bd170ff715ab933fbff02956e7269fb91021"));
        assert!(!release_format("v1.2.3.4.5"));
    }

    #[test]
    fn decimals() {
        assert_eq!(decimal("0.061"), Some((0.061, 0.0005)));
        let (v, h) = decimal("1.5e-3").unwrap();
        assert!((v - 0.0015).abs() < 1e-15 && (h - 0.00005).abs() < 1e-15);
        assert_eq!(decimal("x"), None);
    }

    #[test]
    fn dates() {
        assert!(date("2020-01-02") < date("2020-01-10"));
        assert!(date("2020-01-02+01:00").is_some());
        assert_eq!(date("§x§"), None);
    }
}
