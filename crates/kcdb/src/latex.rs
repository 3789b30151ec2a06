//! Decoding of the LaTeX accent escapes found in BIPM tables (`NMId.csv` writes
//! `Amt f\"{u}r Standardisierung, Me\ss{}wesen` and `Ho\`{a}ng Qu\^oc Vi\^{e}t`).
//!
//! Covers the text-mode accent commands of LaTeX (`\'` `` \` `` `\^` `\"` `\~` `\=` `\.` `\c`
//! `\v` `\u` `\r` `\H` `\k`, braced or not, with `\i` for a dotless i) and the special letters
//! (`\ss`, `\o`, `\O`, `\aa`, `\AA`, `\ae`, `\AE`, `\oe`, `\OE`, `\l`, `\L`), plus `\&` and
//! `\%`. Accented letters are composed to their precomposed Unicode form when one exists
//! (NFC-like for these Latin letters), otherwise the combining mark follows the base letter.
//! Anything else is kept as written.

/// (accent command, base letters, precomposed letters, combining mark)
const ACCENTS: &[(char, &str, &str, char)] = &[
    (
        '\'',
        "AEIOUYaeiouyCcNnSsZzLlRrGg",
        "ÁÉÍÓÚÝáéíóúýĆćŃńŚśŹźĹĺŔŕǴǵ",
        '\u{301}',
    ),
    ('`', "AEIOUaeiouNn", "ÀÈÌÒÙàèìòùǸǹ", '\u{300}'),
    (
        '^',
        "AEIOUaeiouCcGgHhJjSsWwYy",
        "ÂÊÎÔÛâêîôûĈĉĜĝĤĥĴĵŜŝŴŵŶŷ",
        '\u{302}',
    ),
    ('"', "AEIOUaeiouyY", "ÄËÏÖÜäëïöüÿŸ", '\u{308}'),
    ('~', "ANOanoIiUu", "ÃÑÕãñõĨĩŨũ", '\u{303}'),
    ('=', "AEIOUaeiou", "ĀĒĪŌŪāēīōū", '\u{304}'),
    ('.', "CcEeGgIZz", "ĊċĖėĠġİŻż", '\u{307}'),
    ('c', "CcSsTtGgKkLlNnRr", "ÇçŞşŢţĢģĶķĻļŅņŖŗ", '\u{327}'),
    ('v', "CcDdEeNnRrSsTtZz", "ČčĎďĚěŇňŘřŠšŤťŽž", '\u{30C}'),
    ('u', "AaEeGgIiOoUu", "ĂăĔĕĞğĬĭŎŏŬŭ", '\u{306}'),
    ('r', "AaUu", "ÅåŮů", '\u{30A}'),
    ('H', "OoUu", "ŐőŰű", '\u{30B}'),
    ('k', "AaEeIiUu", "ĄąĘęĮįŲų", '\u{328}'),
];

const LETTERS: &[(&str, &str)] = &[
    ("ss", "ß"),
    ("aa", "å"),
    ("AA", "Å"),
    ("ae", "æ"),
    ("AE", "Æ"),
    ("oe", "œ"),
    ("OE", "Œ"),
    ("o", "ø"),
    ("O", "Ø"),
    ("l", "ł"),
    ("L", "Ł"),
    ("i", "ı"),
];

fn compose(accent: char, base: char) -> Option<String> {
    let (_, bases, composed, mark) = ACCENTS.iter().find(|(a, ..)| *a == accent)?;
    let base = if base == 'ı' { 'i' } else { base };
    Some(match bases.chars().position(|b| b == base) {
        Some(i) => composed
            .chars()
            .nth(i)
            .map(String::from)
            .unwrap_or_default(),
        None => format!("{base}{mark}"),
    })
}

/// Reads the argument of an accent: `{x}`, `{\i}`, `x`, `\i`. Returns the letter and the
/// number of characters consumed.
fn argument(rest: &[char]) -> Option<(char, usize)> {
    match rest {
        ['{', '\\', 'i', '}', ..] => Some(('ı', 4)),
        ['{', c, '}', ..] if c.is_alphabetic() => Some((*c, 3)),
        ['\\', 'i', ..] if !rest.get(2).is_some_and(|c| c.is_alphabetic()) => Some(('ı', 2)),
        [' ', c, ..] if c.is_alphabetic() => Some((*c, 2)),
        [c, ..] if c.is_alphabetic() => Some((*c, 1)),
        _ => None,
    }
}

/// Replaces LaTeX accent escapes by Unicode letters.
pub(crate) fn decode(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '\\' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let rest = &chars[i + 1..];
        // Accent command followed by its argument.
        if let Some(&accent) = rest.first() {
            let is_accent = ACCENTS.iter().any(|(a, ..)| *a == accent);
            // Letter-named accents (\c, \v, …) must not be the start of a longer command.
            let letter_ok =
                !accent.is_alphabetic() || !rest.get(1).is_some_and(|c| c.is_alphabetic());
            if is_accent && letter_ok {
                if let Some((base, used)) = argument(&rest[1..]) {
                    if let Some(s) = compose(accent, base) {
                        out.push_str(&s);
                        i += 2 + used;
                        continue;
                    }
                }
            }
        }
        if let Some(&c @ ('&' | '%' | '$' | '#' | '_')) = rest.first() {
            out.push(c);
            i += 2;
            continue;
        }
        // Named letters: \ss{}, \o, \aa …, terminated by {}, a space or a non-letter.
        let name: String = rest
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        if let Some((_, letter)) = LETTERS.iter().find(|(n, _)| *n == name) {
            out.push_str(letter);
            i += 1 + name.len();
            if chars.get(i) == Some(&'{') && chars.get(i + 1) == Some(&'}') {
                i += 2;
            } else if chars.get(i) == Some(&' ') {
                i += 1;
            }
            continue;
        }
        out.push('\\');
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn accents_and_letters() {
        assert_eq!(
            decode(r#"Amt f\"{u}r Standardisierung, Me\ss{}wesen und Warenpr\"{u}fung"#),
            "Amt für Standardisierung, Meßwesen und Warenprüfung"
        );
        assert_eq!(
            decode(r"Ho\`{a}ng Qu\^oc Vi\^{e}t, Ngh\~{i}a D\^{o}, C\^{a}u Gi\^{a}y"),
            "Hoàng Quôc Viêt, Nghĩa Dô, Câu Giây"
        );
        assert_eq!(
            decode(r"Metrolog\'{i}a, Radion\'{u}clidos"),
            "Metrología, Radionúclidos"
        );
        assert_eq!(decode(r"\'{\i}\c{c}\v{s}\o \AA"), "íçšøÅ");
        assert_eq!(decode(r"\v{q}"), "q\u{30C}");
        assert_eq!(decode(r"plain \unknown \"), r"plain \unknown \");
        assert_eq!(decode(r"R\&D"), "R&D");
    }
}
