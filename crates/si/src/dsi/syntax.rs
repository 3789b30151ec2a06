//! The D-SI syntax check of the reference implementation's regular expression
//! (`dsiunits` 3.1, `regex_generator.generate_regex` / `generate_list_regex`, anchored at both
//! ends): a D-SI string is one or more unit elements, optionally `\per` and one or more unit
//! elements; a unit element is `[\prefix]\unit[\tothe{-?d+([._]d+)?}]` under the rules R010
//! (no prefix on `\day`, `\decibel`, `\degreecelsius`, `\hectare`, `\hour`, `\kilogram`,
//! `\minute`, `\mmHg`), R011 (`\gram` not with `\kilo`), R012 (`\bel` not with `\deci`), R014
//! (`\one`, `\percent`, `\ppm` without prefix or exponent), binary prefixes only on `\bit` and
//! `\byte`, which take no other; or the whole string is a non-D-SI unit `|…`.
//!
//! Why not a regex: every alternative of that expression starts with a backslash and no name
//! contains one, so splitting at `\` gives the same language with a small state machine, in
//! linear time and without a regex engine.

use super::fraction::is_dsi_form;
use super::units::{self, Rule, UNITS};

/// Whether `text` matches the D-SI unit pattern (a single unit, `si:unit` of a DCC).
pub(crate) fn is_valid(text: &str) -> bool {
    match text.strip_prefix('|') {
        Some(rest) => !rest.contains('\n'),
        None => is_dsi(text),
    }
}

/// Whether `text` matches the D-SI unit-list pattern (`si:unitXMLList`): units separated by
/// single whitespace characters, non-D-SI units without whitespace.
pub(crate) fn is_valid_list(text: &str) -> bool {
    text.split(char::is_whitespace)
        .all(|unit| match unit.strip_prefix('|') {
            Some(_) => true,
            None => is_dsi(unit),
        })
}

fn is_dsi(text: &str) -> bool {
    let mut tokens = text.split('\\');
    if tokens.next() != Some("") {
        return false;
    }
    let tokens: Vec<&str> = tokens.collect();
    let mut i = 0;
    let mut elements = 0;
    let mut pers = 0;
    while let Some(&token) = tokens.get(i) {
        if token == "per" {
            if elements == 0 || pers > 0 {
                return false;
            }
            pers += 1;
            elements = 0;
            i += 1;
            continue;
        }
        let (prefix, unit) = match units::prefix_def(token) {
            Some(p) => {
                i += 1;
                (Some(p), tokens.get(i).copied().unwrap_or(""))
            }
            None => (None, token),
        };
        i += 1;
        let Some(def) = UNITS.iter().find(|u| u.name == unit) else {
            return false;
        };
        let prefix_ok = match (def.rule, prefix) {
            (_, None) => true,
            (Rule::NoPrefix | Rule::Bare, Some(_)) => false,
            (Rule::Binary, Some(p)) => p.binary,
            (Rule::NotPrefix(not), Some(p)) => !p.binary && p.name != not,
            (Rule::Any, Some(p)) => !p.binary,
        };
        if !prefix_ok {
            return false;
        }
        if let Some(t) = tokens.get(i).filter(|t| t.starts_with("tothe")) {
            let exponent_ok = t
                .strip_prefix("tothe{")
                .and_then(|r| r.strip_suffix('}'))
                .is_some_and(is_dsi_form);
            if !exponent_ok || def.rule == Rule::Bare {
                return false;
            }
            i += 1;
        }
        elements += 1;
    }
    elements > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        for ok in [
            r"\metre",
            r"\milli\metre\tothe{2}",
            r"\kilo\metre\per\second",
            r"\one",
            r"\metre\tothe{2_3}",
            r"\metre\tothe{-0.5}",
            r"\kibi\bit",
            r"\percent",
            r"|ounce",
            r"\kilogram\tothe{2}",
        ] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in [
            r"\metre\per\second\per\gram",
            r"\ounce",
            r"\kilo\gram",
            r"\deci\bel",
            r"\kibi\metre",
            r"\kilo\bit",
            r"\one\tothe{1}",
            r"\deca\hour",
            r"\metre\tothe{1/2}",
            r"\metre\",
            r"\per\metre",
            r"\metre\per",
            r"metre",
            "",
            r"\gram\kilo",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
        assert!(is_valid_list(r"|ounce \metre\kilogram"));
        assert!(!is_valid_list(r"\metre  \gram"));
        assert!(!is_valid_list(r" \metre"));
    }
}
