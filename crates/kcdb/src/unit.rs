//! Units of measurands and results, validated through `sevres-si`.
//!
//! A [`Unit`] keeps the text as written and the notation it was read in (D-SI in the BIPM FAIR
//! files, SI text or UCUM in pilots' spreadsheets), and the parsed expression, so that two units
//! can be compared by their SI value ([`Unit::same_as`]) and values converted
//! ([`Unit::conversion_to`]).
//!
//! [`Unit::normalise`] is the tolerant reader used by the importers: real files carry units such
//! as `" kBq "`, `"kBq"` and `\kilo\becquerel` for the same thing; it trims the text, tries D-SI
//! (the notation of the FAIR schema), then SI text, then UCUM, and says what it changed so that
//! the importer can report it.

use std::fmt;

use serde::{Deserialize, Serialize};
use sevres_si::{Conversion, ConvertError, Notation, UnitExpr};

/// A unit that `sevres-si` could not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unit '{text}' is not a valid {notation} unit: {reason}")]
pub struct UnitError {
    /// The text (truncated to 100 characters).
    pub text: String,
    /// The notation(s) tried.
    pub notation: String,
    /// The parser's reason (for the last notation tried).
    pub reason: String,
}

/// A validated unit: its text in a notation and the parsed expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "UnitRepr", into = "UnitRepr")]
pub struct Unit {
    text: String,
    notation: Notation,
    expr: UnitExpr,
}

/// Serialised form of a [`Unit`]: `{"text": "\\kilo\\becquerel", "notation": "dsi"}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct UnitRepr {
    text: String,
    notation: String,
}

impl TryFrom<UnitRepr> for Unit {
    type Error = UnitError;
    fn try_from(r: UnitRepr) -> Result<Unit, UnitError> {
        let notation = r.notation.parse::<Notation>().map_err(|e| UnitError {
            text: r.text.chars().take(100).collect(),
            notation: r.notation.chars().take(20).collect(),
            reason: e.to_string(),
        })?;
        Unit::parse(notation, &r.text)
    }
}

impl From<Unit> for UnitRepr {
    fn from(u: Unit) -> UnitRepr {
        UnitRepr {
            text: u.text,
            notation: u.notation.name().to_string(),
        }
    }
}

/// What [`Unit::normalise`] changed in a unit text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalisation {
    /// The text as found.
    pub original: String,
    /// The notation that read it.
    pub read_as: Notation,
    /// The D-SI text it was rewritten to.
    pub normalised: String,
}

impl fmt::Display for Normalisation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unit {:?} (read as {}) normalised to {:?}",
            self.original, self.read_as, self.normalised
        )
    }
}

impl Unit {
    /// Parses `text` in `notation` (the text is kept exactly as given).
    pub fn parse(notation: Notation, text: &str) -> Result<Unit, UnitError> {
        match sevres_si::parse(notation, text) {
            Ok(expr) => Ok(Unit {
                text: text.to_string(),
                notation,
                expr,
            }),
            Err(e) => Err(UnitError {
                text: text.chars().take(100).collect(),
                notation: notation.name().to_string(),
                reason: e.to_string(),
            }),
        }
    }

    /// Reads a messy unit text: trims it, tries D-SI, SI text, then UCUM, and rewrites it in
    /// D-SI (falling back to the trimmed text when the expression has no D-SI form). Returns the
    /// unit and, when the stored text differs from the input, what was done.
    pub fn normalise(text: &str) -> Result<(Unit, Option<Normalisation>), UnitError> {
        let trimmed = text.trim();
        let mut last = None;
        for notation in [Notation::Dsi, Notation::Si, Notation::Ucum] {
            match sevres_si::parse(notation, trimmed) {
                Ok(expr) => {
                    // The D-SI text is read back, so that the unit equals the one its serialised
                    // form (text and notation) deserialises to.
                    let dsi = sevres_si::print(Notation::Dsi, &expr)
                        .ok()
                        .and_then(|t| Some((sevres_si::parse(Notation::Dsi, &t).ok()?, t)));
                    let (text_out, notation_out, expr) = match dsi {
                        Some((dsi_expr, t)) => (t, Notation::Dsi, dsi_expr),
                        None => (trimmed.to_string(), notation, expr),
                    };
                    let change = (text_out != text).then(|| Normalisation {
                        original: text.to_string(),
                        read_as: notation,
                        normalised: text_out.clone(),
                    });
                    let unit = Unit {
                        text: text_out,
                        notation: notation_out,
                        expr,
                    };
                    return Ok((unit, change));
                }
                Err(e) => last = Some(e),
            }
        }
        Err(UnitError {
            text: text.chars().take(100).collect(),
            notation: "D-SI, SI or UCUM".into(),
            reason: last.map(|e| e.to_string()).unwrap_or_default(),
        })
    }

    /// The text as stored.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The notation of [`Unit::text`].
    pub fn notation(&self) -> Notation {
        self.notation
    }

    /// The parsed expression.
    pub fn expr(&self) -> &UnitExpr {
        &self.expr
    }

    /// The unit in another notation (`kBq` in SI text); the stored text when it has no form there.
    pub fn to_notation(&self, notation: Notation) -> String {
        if notation == self.notation {
            return self.text.clone();
        }
        sevres_si::print(notation, &self.expr).unwrap_or_else(|_| self.text.clone())
    }

    /// Whether both units are the same SI unit (`kBq` and `\kilo\becquerel`): an exact conversion
    /// factor of one.
    pub fn same_as(&self, other: &Unit) -> bool {
        if self.expr == other.expr {
            return true;
        }
        Conversion::new(&self.expr, &other.expr)
            .ok()
            .filter(Conversion::is_linear)
            .is_some_and(|c| c.apply(1.0) == 1.0 && c.apply(0.0) == 0.0)
    }

    /// The conversion of values from this unit to `to`.
    pub fn conversion_to(&self, to: &Unit) -> Result<Conversion, ConvertError> {
        Conversion::new(&self.expr, &to.expr)
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_messy_units() {
        let (k1, n1) = Unit::normalise(" kBq ").unwrap();
        let (k2, n2) = Unit::normalise("\\kilo\\becquerel").unwrap();
        assert!(n1.is_some());
        assert!(n2.is_none());
        assert!(k1.same_as(&k2));
        assert_eq!(k1.text(), "\\kilo\\becquerel");
        let (m, _) = Unit::normalise("MBq").unwrap();
        assert!(!m.same_as(&k1));
        assert_eq!(k1.conversion_to(&m).unwrap().apply(1000.0), 1.0);
        assert!(Unit::normalise("").is_err());
        assert!(Unit::normalise("no such unit").is_err());
    }

    #[test]
    fn normalised_units_survive_serialisation() {
        for text in ["mg/kg", " kBq ", "\\kilo\\becquerel", "mg.kg-1", "°C"] {
            let (unit, _) = Unit::normalise(text).unwrap();
            let back: Unit = serde_json::from_str(&serde_json::to_string(&unit).unwrap()).unwrap();
            assert_eq!(back, unit, "{text}");
        }
    }

    #[test]
    fn serde_round_trip_validates() {
        let u = Unit::parse(Notation::Si, "mg/kg").unwrap();
        let json = serde_json::to_string(&u).unwrap();
        let back: Unit = serde_json::from_str(&json).unwrap();
        assert_eq!(back, u);
        assert!(serde_json::from_str::<Unit>(r#"{"text":"zz","notation":"si"}"#).is_err());
    }
}
