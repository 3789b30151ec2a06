//! A human-readable HTML page of a DCC, in one of the languages it declares.
//!
//! A pure function of the parsed document: administrative data (core data, items, laboratory,
//! responsible persons, customer, statements) and measurement results (methods, influence
//! conditions, and each result's quantities as a table of values, units printed readably through
//! the D-SI renderer of `sevres-si` (`\kilo\metre\per\second` → `km/s`), and expanded
//! uncertainties with their coverage). Texts are chosen by `lang` among the `dcc:content`
//! variants: the one in `lang`, else one without `lang`, else the mandatory language's, else the
//! first. Everything taken from the document is HTML-escaped.

use std::fmt::Write;

use roxmltree::Node;

use crate::{is_dcc, is_si, Dcc, NS_DCC, NS_SI};

/// Escapes text for HTML element content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

struct R<'d, 'a> {
    dcc: &'d Dcc<'a>,
    lang: String,
    fallback: Option<String>,
    out: String,
}

fn child<'a, 'i>(n: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| {
        c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(ns)
    })
}

fn children<'a, 'i>(n: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children().filter(move |c| is_dcc(*c, name))
}

fn plain<'a>(n: Node<'a, '_>) -> &'a str {
    n.text().unwrap_or("").trim()
}

/// A D-SI unit printed readably in SI notation with superscript exponents
/// (`\degreecelsius` → `°C`, `\kilogram\metre\tothe{-1}` → `kg·m⁻¹`); the string itself
/// when it is not valid D-SI.
fn unit_text(dsi: &str) -> String {
    let Some(si) = sevres_si::dsi::parse(dsi)
        .ok()
        .and_then(|e| sevres_si::print(sevres_si::Notation::Si, &e).ok())
    else {
        return dsi.to_string();
    };
    let mut out = String::with_capacity(si.len());
    let mut exponent = false;
    for c in si.chars() {
        match c {
            '^' => exponent = true,
            ' ' => {
                exponent = false;
                out.push('·');
            }
            c if exponent => out.push(match c {
                '-' => '⁻',
                '0' => '⁰',
                '1' => '¹',
                '2' => '²',
                '3' => '³',
                '4' => '⁴',
                '5' => '⁵',
                '6' => '⁶',
                '7' => '⁷',
                '8' => '⁸',
                '9' => '⁹',
                '/' => 'ᐟ',
                other => other,
            }),
            c => out.push(c),
        }
    }
    out
}

impl R<'_, '_> {
    /// The text of a `dcc:textType`/`richContentType` element in the chosen language.
    fn txt(&self, n: Option<Node<'_, '_>>) -> String {
        let Some(n) = n else { return String::new() };
        let contents: Vec<Node<'_, '_>> = children(n, "content").collect();
        let by = |l: Option<&str>| contents.iter().find(|c| c.attribute("lang") == l);
        let pick = by(Some(self.lang.as_str()))
            .or_else(|| by(None))
            .or_else(|| self.fallback.as_deref().and_then(|f| by(Some(f))))
            .or(contents.first());
        pick.map(|c| c.text().unwrap_or("").trim().to_string())
            .unwrap_or_default()
    }

    fn row(&mut self, label: &str, value: &str) {
        if !value.is_empty() {
            let _ = write!(
                self.out,
                "<tr><th>{}</th><td>{}</td></tr>",
                esc(label),
                esc(value)
            );
        }
    }

    fn contact(&mut self, title: &str, n: Node<'_, '_>) {
        let _ = write!(self.out, "<h3>{}</h3><table>", esc(title));
        let name = self.txt(child(n, NS_DCC, "name"));
        self.row("Name", &name);
        for what in ["eMail", "phone", "fax"] {
            if let Some(v) = child(n, NS_DCC, what) {
                self.row(what, plain(v));
            }
        }
        if let Some(loc) = child(n, NS_DCC, "location") {
            let parts: Vec<&str> = ["street", "streetNo", "postCode", "city", "countryCode"]
                .iter()
                .filter_map(|w| child(loc, NS_DCC, w).map(plain))
                .collect();
            self.row("Location", &parts.join(" "));
        }
        self.out.push_str("</table>");
    }

    fn admin(&mut self, a: Node<'_, '_>) {
        self.out.push_str("<section><h2>Administrative data</h2>");
        if let Some(core) = child(a, NS_DCC, "coreData") {
            self.out.push_str("<h3>Core data</h3><table>");
            for (label, name) in [
                ("Certificate", "uniqueIdentifier"),
                ("Country", "countryCodeISO3166_1"),
                ("Receipt date", "receiptDate"),
                ("Begin of calibration", "beginPerformanceDate"),
                ("End of calibration", "endPerformanceDate"),
                ("Performance location", "performanceLocation"),
                ("Issue date", "issueDate"),
            ] {
                if let Some(v) = child(core, NS_DCC, name) {
                    self.row(label, plain(v));
                }
            }
            self.row("Languages", &self.dcc.languages().join(", "));
            self.out.push_str("</table>");
        }
        if let Some(items) = child(a, NS_DCC, "items") {
            self.out.push_str("<h3>Items</h3><table>");
            for item in children(items, "item") {
                let name = self.txt(child(item, NS_DCC, "name"));
                let mut detail = Vec::new();
                if let Some(m) = child(item, NS_DCC, "manufacturer") {
                    detail.push(self.txt(child(m, NS_DCC, "name")));
                }
                if let Some(m) = child(item, NS_DCC, "model") {
                    detail.push(plain(m).to_string());
                }
                if let Some(ids) = child(item, NS_DCC, "identifications") {
                    for id in children(ids, "identification") {
                        let label = self.txt(child(id, NS_DCC, "name"));
                        let value = child(id, NS_DCC, "value").map(plain).unwrap_or("");
                        detail.push(format!("{label}: {value}"));
                    }
                }
                self.row(&name, &detail.join("; "));
            }
            self.out.push_str("</table>");
        }
        if let Some(lab) = child(a, NS_DCC, "calibrationLaboratory") {
            if let Some(c) = child(lab, NS_DCC, "contact") {
                self.contact("Calibration laboratory", c);
            }
        }
        if let Some(persons) = child(a, NS_DCC, "respPersons") {
            self.out.push_str("<h3>Responsible persons</h3><ul>");
            for p in children(persons, "respPerson") {
                let name =
                    self.txt(child(p, NS_DCC, "person").and_then(|p| child(p, NS_DCC, "name")));
                let main = child(p, NS_DCC, "mainSigner").is_some_and(|m| plain(m) == "true");
                let _ = write!(
                    self.out,
                    "<li>{}{}</li>",
                    esc(&name),
                    if main { " (main signer)" } else { "" }
                );
            }
            self.out.push_str("</ul>");
        }
        if let Some(c) = child(a, NS_DCC, "customer") {
            self.contact("Customer", c);
        }
        if let Some(st) = child(a, NS_DCC, "statements") {
            self.out.push_str("<h3>Statements</h3>");
            for s in children(st, "statement") {
                self.out.push_str("<div class=\"statement\">");
                let decl = self.txt(child(s, NS_DCC, "declaration"));
                let _ = write!(self.out, "<p>{}</p>", esc(&decl));
                if let Some(norm) = child(s, NS_DCC, "norm") {
                    let _ = write!(self.out, "<p class=\"norm\">{}</p>", esc(plain(norm)));
                }
                if let Some(d) = child(s, NS_DCC, "data") {
                    self.data(d);
                }
                self.out.push_str("</div>");
            }
        }
        self.out.push_str("</section>");
    }

    /// One numeric representation as display columns: (header suffix, cells).
    fn columns(&self, q: Node<'_, '_>) -> Vec<(String, Vec<String>)> {
        let mut reps: Vec<Node<'_, '_>> = q.children().collect();
        if let Some(h) = child(q, NS_SI, "hybrid") {
            reps.extend(h.children());
        }
        let mut cols = Vec::new();
        for r in reps.into_iter().filter(|r| r.is_element()) {
            if is_si(r, "real") {
                let v = child(r, NS_SI, "value").map(plain).unwrap_or("");
                let u = child(r, NS_SI, "unit").map(plain).unwrap_or("");
                let mut cell = v.to_string();
                if let Some(eu) = child(r, NS_SI, "expandedUnc") {
                    let g = |n: &str| child(eu, NS_SI, n).map(plain).unwrap_or("");
                    cell = format!(
                        "{v} ± {} (k = {}, p = {})",
                        g("uncertainty"),
                        g("coverageFactor"),
                        g("coverageProbability")
                    );
                } else if let Some(ci) = child(r, NS_SI, "coverageInterval") {
                    let g = |n: &str| child(ci, NS_SI, n).map(plain).unwrap_or("");
                    cell = format!(
                        "{v} [{}, {}] (p = {})",
                        g("intervalMin"),
                        g("intervalMax"),
                        g("coverageProbability")
                    );
                }
                cols.push((unit_text(u), vec![cell]));
            } else if is_si(r, "realListXMLList") {
                let vals: Vec<&str> = child(r, NS_SI, "valueXMLList")
                    .map(|v| plain(v).split_whitespace().collect())
                    .unwrap_or_default();
                let units: Vec<&str> = child(r, NS_SI, "unitXMLList")
                    .map(|v| plain(v).split_whitespace().collect())
                    .unwrap_or_default();
                let eu = child(r, NS_SI, "expandedUncXMLList");
                let list = |n: &str| -> Vec<&str> {
                    eu.and_then(|e| child(e, NS_SI, n))
                        .map(|v| plain(v).split_whitespace().collect())
                        .unwrap_or_default()
                };
                let (us, ks, ps) = (
                    list("uncertaintyXMLList"),
                    list("coverageFactorXMLList"),
                    list("coverageProbabilityXMLList"),
                );
                let at = |v: &[&str], i: usize| -> String {
                    if v.len() == 1 {
                        v[0].to_string()
                    } else {
                        v.get(i).map(|s| s.to_string()).unwrap_or_default()
                    }
                };
                let same_unit = units.len() <= 1;
                let cells = (0..vals.len())
                    .map(|i| {
                        let mut c = vals[i].to_string();
                        if !same_unit {
                            c = format!("{c} {}", unit_text(&at(&units, i)));
                        }
                        if !us.is_empty() {
                            c = format!(
                                "{c} ± {} (k = {}, p = {})",
                                at(&us, i),
                                at(&ks, i),
                                at(&ps, i)
                            );
                        }
                        c
                    })
                    .collect();
                let header = if same_unit {
                    units.first().map(|u| unit_text(u)).unwrap_or_default()
                } else {
                    String::new()
                };
                cols.push((header, cells));
            } else if is_dcc(r, "noQuantity") || is_dcc(r, "charsXMLList") {
                cols.push((
                    String::new(),
                    vec![self.txt(Some(r)).to_string() + plain(r)],
                ));
            }
        }
        cols
    }

    /// A `dcc:data` element: quantities as a table (one column per representation, one row per
    /// list index), nested lists recursively.
    fn data(&mut self, d: Node<'_, '_>) {
        let quantities: Vec<Node<'_, '_>> = children(d, "quantity").collect();
        if !quantities.is_empty() {
            self.table(&quantities);
        }
        for l in children(d, "list") {
            self.list(l);
        }
    }

    fn list(&mut self, l: Node<'_, '_>) {
        let name = self.txt(child(l, NS_DCC, "name"));
        if !name.is_empty() {
            let _ = write!(self.out, "<h5>{}</h5>", esc(&name));
        }
        let quantities: Vec<Node<'_, '_>> = children(l, "quantity").collect();
        if !quantities.is_empty() {
            self.table(&quantities);
        }
        for sub in children(l, "list") {
            self.list(sub);
        }
    }

    fn table(&mut self, quantities: &[Node<'_, '_>]) {
        let mut headers = Vec::new();
        let mut cols: Vec<Vec<String>> = Vec::new();
        for q in quantities {
            let name = self.txt(child(*q, NS_DCC, "name"));
            let name = if name.is_empty() {
                q.attribute("refType").unwrap_or("").to_string()
            } else {
                name
            };
            for (unit, cells) in self.columns(*q) {
                headers.push(if unit.is_empty() {
                    name.clone()
                } else {
                    format!("{name} / {unit}")
                });
                cols.push(cells);
            }
        }
        let rows = cols.iter().map(Vec::len).max().unwrap_or(0);
        self.out.push_str("<table class=\"results\"><thead><tr>");
        for h in &headers {
            let _ = write!(self.out, "<th>{}</th>", esc(h));
        }
        self.out.push_str("</tr></thead><tbody>");
        for i in 0..rows {
            self.out.push_str("<tr>");
            for c in &cols {
                let cell = if c.len() == 1 {
                    &c[0]
                } else {
                    c.get(i).map_or("", String::as_str)
                };
                let _ = write!(self.out, "<td>{}</td>", esc(cell));
            }
            self.out.push_str("</tr>");
        }
        self.out.push_str("</tbody></table>");
    }

    fn results(&mut self, m: Node<'_, '_>) {
        self.out.push_str("<section><h2>Measurement results</h2>");
        for mr in children(m, "measurementResult") {
            let name = self.txt(child(mr, NS_DCC, "name"));
            let _ = write!(self.out, "<h3>{}</h3>", esc(&name));
            if let Some(methods) = child(mr, NS_DCC, "usedMethods") {
                self.out.push_str("<h4>Methods</h4><ul>");
                for um in children(methods, "usedMethod") {
                    let n = self.txt(child(um, NS_DCC, "name"));
                    let norm = child(um, NS_DCC, "norm").map(plain).unwrap_or("");
                    let _ = write!(
                        self.out,
                        "<li>{}{}</li>",
                        esc(&n),
                        if norm.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", esc(norm))
                        }
                    );
                }
                self.out.push_str("</ul>");
            }
            if let Some(ics) = child(mr, NS_DCC, "influenceConditions") {
                self.out.push_str("<h4>Influence conditions</h4>");
                for ic in children(ics, "influenceCondition") {
                    let n = self.txt(child(ic, NS_DCC, "name"));
                    let _ = write!(self.out, "<p>{}</p>", esc(&n));
                    if let Some(d) = child(ic, NS_DCC, "data") {
                        self.data(d);
                    }
                }
            }
            if let Some(results) = child(mr, NS_DCC, "results") {
                for r in children(results, "result") {
                    let n = self.txt(child(r, NS_DCC, "name"));
                    let _ = write!(self.out, "<h4>{}</h4>", esc(&n));
                    if let Some(d) = child(r, NS_DCC, "data") {
                        self.data(d);
                    }
                }
            }
        }
        self.out.push_str("</section>");
    }
}

/// Renders `dcc` as a complete HTML page in `lang`. A `lang` the DCC does not declare falls
/// back to its mandatory language, then to its first declared language.
pub fn render_html(dcc: &Dcc<'_>, lang: &str) -> String {
    let declared = dcc.languages();
    let mandatory = dcc.mandatory_languages();
    let lang = if declared.iter().any(|l| l == lang) {
        lang.to_string()
    } else {
        mandatory
            .first()
            .or(declared.first())
            .cloned()
            .unwrap_or_default()
    };
    let fallback = mandatory.first().cloned();
    let root = dcc.document().root_element();
    let title = root
        .descendants()
        .find(|n| is_dcc(*n, "uniqueIdentifier"))
        .map(plain)
        .unwrap_or("Digital Calibration Certificate")
        .to_string();
    let mut r = R {
        dcc,
        lang: lang.clone(),
        fallback,
        out: String::with_capacity(16 * 1024),
    };
    let _ = write!(
        r.out,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
<style>body{{font-family:sans-serif;max-width:70em;margin:auto}}table{{border-collapse:collapse;margin:.5em 0}}\
th,td{{border:1px solid #bbb;padding:.2em .5em;text-align:left}}</style></head><body>\
<h1>{}</h1><p>DCC schema version {}</p>",
        esc(&lang),
        esc(&title),
        esc(&title),
        esc(dcc.version().as_str())
    );
    if let Some(a) = child(root, NS_DCC, "administrativeData") {
        r.admin(a);
    }
    if let Some(m) = child(root, NS_DCC, "measurementResults") {
        r.results(m);
    }
    r.out.push_str("</body></html>");
    r.out
}
