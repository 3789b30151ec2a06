//! Renderings of a D-SI tree as the reference implementation `dsiunits` 3.1 writes them:
//! the D-SI string (`\kilo\metre\per\second`), compact UTF-8 (`km²/V`, `m¹ᐟ²`, numerator and
//! denominator joined by `/`, no separator between units) and LaTeX (`\frac{…}{…}`, roots for
//! fractional exponents, unknown identifiers and exponents in red).
//!
//! Deliberate differences from the reference, each a correction: a fractional exponent keeps
//! its numerator under a square root too (`\sqrt{\mathrm{m}^{3}}` for 3/2, where the reference
//! drops the 3); an exponent 0 is written (`m⁰`); the micro sign in UTF-8 is μ (U+03BC, SI
//! Brochure and SI Reference Point) and kibi is `Ki` (IEC 80000-13), where the reference writes
//! µ (U+00B5) and `ki`; the LaTeX of the atomic and natural units of time is balanced; text
//! (a non-D-SI unit) is always written after a bar, also when it starts with one.

use num_rational::Ratio;
use num_traits::One;

use super::parser::{exponent_text, Node, NodeExponent, Tree};
use super::units::{self, UNITS};

fn unit_def(name: &str) -> Option<&'static units::UnitDef> {
    UNITS.iter().find(|u| u.name == name)
}

/// The D-SI string of a tree (as the reference's `str()`): `\prefix\unit\tothe{e}` per node,
/// `\per` before the denominator; a text tree as `|text`.
pub(crate) fn dsi_string(tree: &Tree) -> String {
    match tree {
        Tree::Text(t) => bar(t),
        Tree::Fractions(sides) => {
            let mut out = String::new();
            for (i, side) in sides.iter().take(2).enumerate() {
                if i == 1 {
                    out.push_str("\\per");
                }
                for n in side {
                    node_dsi(n, &mut out);
                }
            }
            out
        }
    }
}

/// `|text`. (The reference leaves text that already starts with `|` alone, so that `||x`
/// would print as `|x`, another unit; we always write the bar.)
fn bar(t: &str) -> String {
    format!("|{t}")
}

fn node_dsi(n: &Node, out: &mut String) {
    if !n.prefix.is_empty() {
        out.push('\\');
        out.push_str(&n.prefix);
    }
    out.push('\\');
    out.push_str(&n.unit);
    match &n.exponent {
        NodeExponent::Value(e) if e.is_one() => {}
        NodeExponent::Value(e) => {
            out.push_str("\\tothe{");
            out.push_str(&exponent_text(*e));
            out.push('}');
        }
        NodeExponent::Text(t) => {
            out.push_str("\\tothe{");
            out.push_str(t);
            out.push('}');
        }
    }
}

/// Superscript form of an exponent text (`-1/2` → `⁻¹ᐟ²`), character by character as the
/// reference maps them.
fn superscript(text: &str, out: &mut String) {
    for c in text.chars() {
        out.push(match c {
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
            '-' => '⁻',
            '.' => '˙',
            '/' => 'ᐟ',
            '+' => '⁺',
            other => other,
        });
    }
}

/// The compact UTF-8 form (`kgm²/s³`, `km⁻²`, `m¹ᐟ²`, `A²Ω`); unknown identifiers between ⚠.
pub(crate) fn utf8(tree: &Tree) -> String {
    let sides = match tree {
        Tree::Text(t) => return bar(t),
        Tree::Fractions(sides) => sides,
    };
    let mut parts = Vec::new();
    for side in sides {
        let mut s = String::new();
        for n in side {
            if !n.prefix.is_empty() {
                match units::prefix(&n.prefix) {
                    Some(p) => s.push_str(&p.code),
                    None => {
                        s.push('⚠');
                        s.push_str(&n.prefix);
                        s.push('⚠');
                    }
                }
            }
            match unit_def(&n.unit) {
                Some(u) => s.push_str(u.utf),
                None => {
                    s.push('⚠');
                    s.push_str(&n.unit);
                    s.push('⚠');
                }
            }
            match &n.exponent {
                NodeExponent::Value(e) if e.is_one() => {}
                NodeExponent::Value(e) => {
                    let t = if e.is_integer() {
                        e.numer().to_string()
                    } else {
                        format!("{}/{}", e.numer(), e.denom())
                    };
                    superscript(&t, &mut s);
                }
                NodeExponent::Text(t) => superscript(t, &mut s),
            }
        }
        parts.push(s);
    }
    parts.join("/").replace(' ', "")
}

fn node_latex(n: &Node) -> String {
    let mut s = String::new();
    if !n.prefix.is_empty() {
        s.push_str(units::prefix_def(&n.prefix).map_or("", |p| p.latex));
    }
    match unit_def(&n.unit) {
        Some(u) => s.push_str(u.latex),
        None => {
            s.push_str("{\\color{red}\\mathrm{");
            s.push_str(&n.unit);
            s.push_str("}}");
        }
    }
    match &n.exponent {
        NodeExponent::Text(t) => {
            s.push_str("^{{\\color{red}\\mathrm{");
            s.push_str(t);
            s.push_str("}}}");
        }
        NodeExponent::Value(e) if e.is_one() => {}
        NodeExponent::Value(e) if e.is_integer() => {
            s.push_str(&format!("^{{{}}}", e.numer()));
        }
        NodeExponent::Value(e) => s = root(&s, *e),
    }
    if n.unit.is_empty() {
        s = format!("{{\\color{{red}}{s}}}");
    }
    s
}

/// `\sqrt{x}` for 1/2, `\sqrt[3]{x^{2}}` for 2/3: the root of index d of x^n.
fn root(base: &str, e: Ratio<i32>) -> String {
    let mut s = if *e.denom() == 2 {
        format!("\\sqrt{{{base}")
    } else {
        format!("\\sqrt[{}]{{{base}", e.denom())
    };
    if *e.numer() != 1 {
        s.push_str(&format!("^{{{}}}", e.numer()));
    }
    s.push('}');
    s
}

/// The LaTeX form wrapped in `$$` (`$$\frac{\mathrm{k}\mathrm{m}^{2}}{\mathrm{V}}$$`); more than
/// two sides are joined by a red `/`; a text tree is `$$\textpipe\mathrm{text}$$`; an empty
/// tree gives the empty string, as in the reference.
pub(crate) fn latex(tree: &Tree) -> String {
    let body = match tree {
        Tree::Text(t) => format!("\\textpipe\\mathrm{{{t}}}"),
        Tree::Fractions(sides) => {
            let side = |nodes: &Vec<Node>| nodes.iter().map(node_latex).collect::<String>();
            match sides.as_slice() {
                [] => return String::new(),
                [one] => side(one),
                [num, den] => format!("\\frac{{{}}}{{{}}}", side(num), side(den)),
                [first, rest @ ..] => {
                    let mut s = side(first);
                    for r in rest {
                        s.push_str("{\\color{red}/}");
                        s.push_str(&side(r));
                    }
                    s
                }
            }
        }
    };
    format!("$${body}$$")
}
