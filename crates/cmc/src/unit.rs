//! Units as the KCDB writes them, read through `sevres-si`, and the SI scale of each.
//!
//! KCDB unit texts are typed by people: `µV/V`, `%`, `mΩ`, `degree`, `ohm`, `dimension 1`,
//! `°C`, `%RH`, `ppm`, `kPa`. [`KcdbUnit::parse`] reads them tolerantly: the text as given in SI
//! Brochure notation, then in UCUM, then after replacing the words and signs people use for
//! symbols (`ohm` → `Ω`, `degree` → `°`, `dimension 1` → `1`, `%RH` → `%`), each time through
//! `sevres_si::parse`; the first reading wins. Nothing is guessed beyond that list: `A/lx, V/lx,
//! reading/lx` (three units in one field, a real KCDB value) is refused, and the CMC that carries
//! it can still be found by text and facets.
//!
//! Every unit gets a [`Scale`]: the key of the kind of quantity it measures (dimension, plus the
//! reference of a logarithmic scale such as the decibel, plus arbitrary units) and the map of its
//! values to the coherent SI unit of that kind. Values are converted as the SI says: `u × a + b`,
//! with `a` the exact factor of `sevres-si` and `b` the offset of an affine scale (°C); when `a` is
//! an exact power of ten (every SI prefix) the decimal value is shifted in text and read once, so
//! that `0.01 kV` is exactly `10 V` and not `10.000000000000002 V` ([`Scale::to_si`]).
//! Differences (uncertainties) use the factor alone ([`Scale::interval_to_si`]).
//!
//! Logarithmic units (dB, Np, B) are kept on their own scale: a level in dB is compared with
//! levels in dB, B or Np of the same reference (values in bels or nepers), never converted to a
//! ratio.

use std::collections::HashMap;
use std::fmt;

use sevres_si::{Canonical, Conversion, Dimension, Factor, Notation, UnitExpr};

/// A unit text that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unit '{text}' not recognised (tried SI text and UCUM): {reason}")]
pub struct UnitError {
    /// The text (truncated to 100 characters).
    pub text: String,
    /// The SI text parser's reason on the normalised text.
    pub reason: String,
}

/// The kind of scale a unit belongs to: values on scales with equal keys are commensurable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScaleKey {
    /// The SI dimension (of the reference unit, for a logarithmic scale).
    pub dimension: Dimension,
    /// For a logarithmic scale (dB, Np), its function and the value of its reference unit in
    /// coherent SI (`Lg@1`); `None` on a ratio or affine scale.
    pub level: Option<String>,
    /// Arbitrary units (UCUM §24) with their exponents (`[iU]^1`), empty for SI units.
    pub arbitrary: String,
}

impl fmt::Display for ScaleKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.dimension)?;
        if let Some(l) = &self.level {
            write!(f, " ({l})")?;
        }
        if !self.arbitrary.is_empty() {
            write!(f, " [{}]", self.arbitrary)?;
        }
        Ok(())
    }
}

/// How the values of one unit map to the coherent SI unit of their kind: `si = u × a + b`.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// The kind of quantity.
    pub key: ScaleKey,
    /// The factor `a` (exact in `sevres-si`; here rounded once).
    pub factor: f64,
    /// The offset `b` (nonzero only on affine scales, °C: 273.15).
    pub offset: f64,
    /// `Some(e)` when the exact factor is `10^e`.
    pow10: Option<i32>,
}

/// `v × 10^e`, correctly rounded from the shortest decimal form of `v` (no double rounding):
/// the digits of `v` are printed, the exponent shifted, and the text read once. Works in stack
/// buffers (no allocation).
fn shift_decimal(v: f64, e: i32) -> f64 {
    use std::io::Write;
    if e == 0 || !v.is_finite() || v == 0.0 {
        return v;
    }
    let fallback = v * 10f64.powi(e);
    let mut digits = [0u8; 40];
    let mut cur = std::io::Cursor::new(&mut digits[..]);
    if write!(cur, "{v:e}").is_err() {
        return fallback;
    }
    let len = cur.position() as usize;
    let text = &digits[..len];
    let Some(at) = text.iter().position(|&b| b == b'e') else {
        return fallback;
    };
    let Some(exp) = std::str::from_utf8(&text[at + 1..])
        .ok()
        .and_then(|x| x.parse::<i32>().ok())
    else {
        return fallback;
    };
    let mut out = [0u8; 48];
    let mut cur = std::io::Cursor::new(&mut out[..]);
    let mantissa = std::str::from_utf8(&text[..at]).unwrap_or("");
    if write!(cur, "{mantissa}e{}", i64::from(exp) + i64::from(e)).is_err() {
        return fallback;
    }
    let len = cur.position() as usize;
    std::str::from_utf8(&out[..len])
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(fallback)
}

/// `Some(e)` when the factor is exactly `10^e`.
fn power_of_ten(f: &Factor) -> Option<i32> {
    if !f.is_rational() {
        return None;
    }
    let r = f.rational();
    let digits = |s: String| -> Option<i32> {
        let rest = s.strip_prefix('1')?;
        rest.bytes().all(|b| b == b'0').then_some(rest.len() as i32)
    };
    let n = digits(r.numer().to_string())?;
    let d = digits(r.denom().to_string())?;
    if n > 0 && d > 0 {
        return None;
    }
    Some(n - d)
}

impl Scale {
    /// The scale of a unit expression.
    pub(crate) fn of(expr: &UnitExpr) -> Result<Scale, String> {
        let c: Canonical = expr.canonical().map_err(|e| e.to_string())?;
        let arbitrary = c
            .arbitrary
            .iter()
            .map(|(code, e)| format!("{code}^{e}"))
            .collect::<Vec<_>>()
            .join(" ");
        let ratio = |factor: &Factor, offset: f64, level: Option<String>| Scale {
            key: ScaleKey {
                dimension: c.dimension,
                level,
                arbitrary: arbitrary.clone(),
            },
            factor: factor.to_f64(),
            offset,
            pow10: power_of_ten(factor),
        };
        match &c.special {
            None => Ok(ratio(&c.factor, 0.0, None)),
            Some(s) if s.function.is_affine() => {
                // Affine scale (°C): convert to the coherent unit of its dimension (K).
                let base = sevres_si::notation::base_units(Notation::Si, &c.dimension)
                    .map_err(|e| e.to_string())?;
                let target = sevres_si::parse(Notation::Si, &base).map_err(|e| e.to_string())?;
                let conv = Conversion::new(expr, &target).map_err(|e| e.to_string())?;
                let factor = conv.exact_scale().cloned().unwrap_or(c.factor.clone());
                Ok(ratio(&factor, conv.apply(0.0), None))
            }
            Some(s) => Ok(ratio(
                &s.prefix,
                0.0,
                Some(format!("{:?}@{}", s.function, s.reference.to_f64())),
            )),
        }
    }

    /// A value in this unit, in the coherent SI unit of its kind (`u × a + b`).
    pub fn to_si(&self, u: f64) -> f64 {
        let scaled = match self.pow10 {
            Some(e) => shift_decimal(u, e),
            None => u * self.factor,
        };
        if self.offset == 0.0 {
            scaled
        } else {
            scaled + self.offset
        }
    }

    /// A difference (an uncertainty) in this unit, in the coherent SI unit (`Δu × a`).
    pub fn interval_to_si(&self, du: f64) -> f64 {
        match self.pow10 {
            Some(e) => shift_decimal(du, e),
            None => du * self.factor,
        }
    }

    /// The value in this unit of an SI value (`(si − b) / a`).
    pub fn from_si(&self, si: f64) -> f64 {
        (si - self.offset) / self.factor
    }
}

/// A KCDB unit text with its reading.
#[derive(Debug, Clone, PartialEq)]
pub struct KcdbUnit {
    /// The text as given.
    pub text: String,
    /// The notation that read it.
    pub notation: Notation,
    /// The parsed expression.
    pub expr: UnitExpr,
    /// Its SI scale.
    pub scale: Scale,
}

/// Whole texts that name unity or a unit people write in words (compared case-insensitively).
const WHOLE: &[(&str, &str)] = &[
    ("dimension 1", "1"),
    ("dimensionless", "1"),
    ("unity", "1"),
    ("one", "1"),
    ("ratio", "1"),
    ("%rh", "%"),
    ("% rh", "%"),
    ("percent", "%"),
    ("ppm", "[ppm]"),
    ("ppb", "[ppb]"),
    ("ppt", "[pptr]"),
];

/// Words replaced inside a text, with the prefixes they take (`kohm`, `µohm`).
const WORDS: &[(&str, &str)] = &[
    ("ohms", "Ω"),
    ("ohm", "Ω"),
    ("Ohm", "Ω"),
    ("degrees", "°"),
    ("degree", "°"),
    ("deg", "°"),
    ("arcsec", "″"),
    ("arcmin", "′"),
];

/// SI unit names (SI Brochure Tables 2, 4 and 8) with their symbols, for texts such as
/// `f in kilohertz` or `V in volts`.
const NAMES: &[(&str, &str)] = &[
    ("volt", "V"),
    ("ampere", "A"),
    ("amp", "A"),
    ("ohm", "Ω"),
    ("hertz", "Hz"),
    ("metre", "m"),
    ("meter", "m"),
    ("second", "s"),
    ("kelvin", "K"),
    ("gram", "g"),
    ("pascal", "Pa"),
    ("watt", "W"),
    ("newton", "N"),
    ("joule", "J"),
    ("farad", "F"),
    ("henry", "H"),
    ("siemens", "S"),
    ("tesla", "T"),
    ("weber", "Wb"),
    ("coulomb", "C"),
    ("litre", "L"),
    ("liter", "L"),
    ("candela", "cd"),
    ("lux", "lx"),
    ("becquerel", "Bq"),
    ("gray", "Gy"),
    ("sievert", "Sv"),
    ("radian", "rad"),
    ("mole", "mol"),
    ("degree", "°"),
];

/// SI prefix names (SI Brochure Table 7) with their symbols.
const PREFIX_NAMES: &[(&str, &str)] = &[
    ("quetta", "Q"),
    ("ronna", "R"),
    ("yotta", "Y"),
    ("zetta", "Z"),
    ("exa", "E"),
    ("peta", "P"),
    ("tera", "T"),
    ("giga", "G"),
    ("mega", "M"),
    ("kilo", "k"),
    ("hecto", "h"),
    ("deca", "da"),
    ("deci", "d"),
    ("centi", "c"),
    ("milli", "m"),
    ("micro", "µ"),
    ("nano", "n"),
    ("pico", "p"),
    ("femto", "f"),
    ("atto", "a"),
    ("zepto", "z"),
    ("yocto", "y"),
    ("ronto", "r"),
    ("quecto", "q"),
];

/// The symbol of a unit written as one (possibly prefixed, possibly plural) English name:
/// `volts` → `V`, `kilohertz` → `kHz`, `millimetres` → `mm`.
fn named_unit(text: &str) -> Option<String> {
    let lower = text.trim().to_lowercase();
    let find = |w: &str| -> Option<&'static str> {
        NAMES
            .iter()
            .find(|(n, _)| *n == w || (w.len() > n.len() && w.strip_suffix('s') == Some(n)))
            .map(|(_, s)| *s)
    };
    if let Some(s) = find(&lower) {
        return Some(s.to_string());
    }
    PREFIX_NAMES.iter().find_map(|(p, ps)| {
        let rest = lower.strip_prefix(p)?;
        find(rest).map(|s| format!("{ps}{s}"))
    })
}

/// Replaces the unit words of [`WORDS`] when they stand at the end of a run of letters
/// (`kohm` → `kΩ`, `degree` → `°`), leaving other words alone.
fn replace_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let mut replaced = None;
            for (w, sym) in WORDS {
                if let Some(prefix) = word.strip_suffix(w) {
                    if prefix.chars().count() <= 2 {
                        replaced = Some(format!("{prefix}{sym}"));
                        break;
                    }
                }
            }
            out.push_str(replaced.as_deref().unwrap_or(&word));
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The UCUM spelling of SI-text signs (`µ` → `u`, `Ω` → `Ohm`, `°C` → `Cel`, `²` → `2`).
fn ucum_spelling(text: &str) -> String {
    let mut s = text
        .replace("°C", "Cel")
        .replace('℃', "Cel")
        .replace('°', "deg")
        .replace(['\u{00B5}', '\u{03BC}'], "u")
        .replace(['\u{03A9}', '\u{2126}'], "Ohm")
        .replace(['·', '⋅', '*'], ".")
        .replace('⁻', "-")
        .replace('²', "2")
        .replace('³', "3")
        .replace('¹', "1");
    s.retain(|c| c != ' ');
    s
}

impl KcdbUnit {
    /// Reads a KCDB unit text (see the module documentation for what is tried, in order).
    pub fn parse(text: &str) -> Result<KcdbUnit, UnitError> {
        let trimmed = text.trim();
        let err = |reason: String| UnitError {
            text: text.chars().take(100).collect(),
            reason,
        };
        if trimmed.is_empty() {
            return Err(err("no unit given".into()));
        }
        if trimmed.chars().count() > 200 {
            return Err(err("longer than 200 characters".into()));
        }
        let whole = WHOLE
            .iter()
            .find(|(w, _)| w.eq_ignore_ascii_case(trimmed))
            .map(|(_, s)| s.to_string());
        let worded = replace_words(trimmed);
        let mut candidates: Vec<(Notation, String)> = Vec::new();
        if let Some(w) = &whole {
            candidates.push((Notation::Si, w.clone()));
            candidates.push((Notation::Ucum, w.clone()));
        }
        candidates.push((Notation::Si, trimmed.to_string()));
        candidates.push((Notation::Si, worded.clone()));
        if let Some(n) = named_unit(trimmed) {
            candidates.push((Notation::Si, n));
        }
        candidates.push((Notation::Ucum, trimmed.to_string()));
        candidates.push((Notation::Ucum, ucum_spelling(&worded)));
        let mut first_error = None;
        for (notation, candidate) in candidates {
            match sevres_si::parse(notation, &candidate) {
                Ok(expr) => match Scale::of(&expr) {
                    Ok(scale) => {
                        return Ok(KcdbUnit {
                            text: trimmed.to_string(),
                            notation,
                            expr,
                            scale,
                        })
                    }
                    Err(e) => return Err(err(e)),
                },
                Err(e) => {
                    if first_error.is_none() && notation == Notation::Si && candidate == worded {
                        first_error = Some(e.to_string());
                    }
                }
            }
        }
        Err(err(first_error.unwrap_or_else(|| "not a unit".into())))
    }

    /// Whether the unit is dimensionless on a ratio scale (`%`, `µV/V`, `1`): the unit of a
    /// relative uncertainty.
    pub fn is_ratio_one(&self) -> bool {
        self.scale.key.dimension.is_dimensionless()
            && self.scale.key.level.is_none()
            && self.scale.key.arbitrary.is_empty()
    }
}

/// Memoises [`KcdbUnit::parse`] by text: a registry of a million CMCs uses a few hundred unit
/// texts, each read once.
#[derive(Debug, Default)]
pub struct UnitCache {
    map: HashMap<String, Result<KcdbUnit, UnitError>, foldhash::fast::RandomState>,
}

impl UnitCache {
    /// An empty cache.
    pub fn new() -> UnitCache {
        UnitCache::default()
    }

    /// The reading of `text` (parsed on first use).
    pub fn get(&mut self, text: &str) -> Result<&KcdbUnit, &UnitError> {
        if !self.map.contains_key(text) {
            if self.map.len() > 100_000 {
                self.map.clear();
            }
            self.map.insert(text.to_string(), KcdbUnit::parse(text));
        }
        // Present: inserted above when missing.
        self.map[text].as_ref()
    }
}

/// A value with a unit, as a question gives it (`0.01 kV`, `10 µV`, `1e-6`).
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The number.
    pub value: f64,
    /// The unit.
    pub unit: KcdbUnit,
}

/// A malformed quantity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    /// The number part is missing or malformed.
    #[error("'{0}' does not start with a number")]
    Number(String),
    /// The unit cannot be read.
    #[error("{0}")]
    Unit(#[from] UnitError),
}

impl Quantity {
    /// A quantity from a number and a unit text.
    pub fn new(value: f64, unit: &str) -> Result<Quantity, QuantityError> {
        if !value.is_finite() {
            return Err(QuantityError::Number(value.to_string()));
        }
        Ok(Quantity {
            value,
            unit: KcdbUnit::parse(unit)?,
        })
    }

    /// Parses `<number> [unit]`; no unit means the unit one (`1e-6`).
    pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
        let t = text.trim();
        let end = t
            .char_indices()
            .find(|&(i, c)| {
                !(c.is_ascii_digit()
                    || c == '.'
                    || ((c == '-' || c == '+') && (i == 0 || t[..i].ends_with(['e', 'E'])))
                    || ((c == 'e' || c == 'E')
                        && i > 0
                        && t[i + 1..]
                            .starts_with(|d: char| d.is_ascii_digit() || d == '-' || d == '+')))
            })
            .map_or(t.len(), |(i, _)| i);
        let number: f64 = t[..end]
            .parse()
            .map_err(|_| QuantityError::Number(text.chars().take(60).collect()))?;
        let unit = t[end..].trim();
        Quantity::new(number, if unit.is_empty() { "1" } else { unit })
    }

    /// The value in the coherent SI unit of its kind.
    pub fn to_si(&self) -> f64 {
        self.unit.scale.to_si(self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn si(text: &str, v: f64) -> f64 {
        KcdbUnit::parse(text).unwrap().scale.to_si(v)
    }

    #[test]
    fn kcdb_spellings() {
        // The reading of each spelling must equal that of the SI symbol it stands for.
        for (kcdb, symbol) in [
            ("degree", "°"),
            ("ohm", "Ω"),
            ("kohm", "kΩ"),
            ("µohm/ohm", "µΩ/Ω"),
            ("dimension 1", "1"),
            ("%RH", "%"),
            ("uV/V", "µV/V"),
            ("volts", "V"),
            ("kilohertz", "kHz"),
            ("millimetres", "mm"),
        ] {
            let a = KcdbUnit::parse(kcdb).unwrap().scale;
            let b = KcdbUnit::parse(symbol).unwrap().scale;
            assert_eq!(a, b, "{kcdb} vs {symbol}");
        }
        assert!(KcdbUnit::parse("A/lx, V/lx, reading/lx").is_err());
        assert!(KcdbUnit::parse("").is_err());
    }

    #[test]
    fn decimal_shift_is_exact() {
        assert_eq!(si("kV", 0.01), 10.0);
        assert_eq!(si("mV", 0.3), "0.3e-3".parse::<f64>().unwrap());
        assert_eq!(shift_decimal(1.5, -6), 1.5e-6);
        let c = KcdbUnit::parse("°C").unwrap().scale;
        assert_eq!(c.interval_to_si(0.5), 0.5);
        assert_eq!(c.from_si(c.to_si(20.0)), 20.0);
    }

    #[test]
    fn quantities() {
        let q = Quantity::parse("0.01 kV").unwrap();
        assert_eq!(q.to_si(), 10.0);
        assert_eq!(Quantity::parse("1e-6").unwrap().to_si(), 1e-6);
        assert_eq!(Quantity::parse("-5 °C").unwrap().value, -5.0);
        assert_eq!(Quantity::parse("2.5e3µV").unwrap().to_si(), 2.5e-3);
        assert!(Quantity::parse("kV").is_err());
        assert!(Quantity::parse("1 zorg").is_err());
    }
}
