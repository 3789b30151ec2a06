//! Parsing a plain data file: one value per line, `#` comments.
//!
//! Why in the library: the format is part of the contract of the stability
//! command (the Stable32 / allantools test files use it), and keeping it pure
//! (`&str` in) leaves I/O to the caller.

/// A line of a data file that is not a number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}: {content:?}")]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// The offending text (trimmed, comment removed).
    pub content: String,
    /// What is wrong with it.
    pub message: String,
}

/// Parses one value per line. Blank lines and everything after `#` are
/// ignored; when a line holds several whitespace- or comma-separated
/// columns the last one is the value (so `MJD value` files also work).
/// `nan` (any case) is accepted and marks a gap.
pub fn parse_series(text: &str) -> Result<Vec<f64>, ParseError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let body = raw.find('#').map_or(raw, |hash| &raw[..hash]).trim();
        if body.is_empty() {
            continue;
        }
        // Hot path (10⁷-line files): a single column is parsed as it is; only lines with a
        // separator are split.
        let separator = |c: char| c.is_whitespace() || c == ',' || c == ';';
        let field = if body.contains(separator) {
            body.split(separator)
                .rfind(|f| !f.is_empty())
                .unwrap_or(body)
        } else {
            body
        };
        match field.parse::<f64>() {
            Ok(v) if !v.is_infinite() => out.push(v),
            Ok(_) => {
                return Err(ParseError {
                    line: i + 1,
                    content: body.to_string(),
                    message: "value is infinite".to_string(),
                })
            }
            Err(_) => {
                return Err(ParseError {
                    line: i + 1,
                    content: body.to_string(),
                    message: "not a number".to_string(),
                })
            }
        }
    }
    Ok(out)
}
