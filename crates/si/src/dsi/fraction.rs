//! Exponents as the D-SI reference implementation reads them: the text inside `\tothe{…}`,
//! with `_` standing for `/`, parsed by the rules of Python's `fractions.Fraction` from a
//! string (an optional sign, then an integer, `n/d`, or a decimal with an optional `e`
//! exponent), then reduced to the nearest fraction with a denominator of at most 10⁶
//! (`Fraction.limit_denominator()`), so that `0.333333333333333` reads as 1/3 and `0.5` as 1/2.
//!
//! Why exact big integers: the decimal may be long, and the best rational approximation
//! (continued fractions) must be computed on its exact value to give the same result as the
//! reference. Work is bounded: at most [`MAX_LEN`] characters and a decimal exponent of at
//! most [`MAX_EXP`] in magnitude.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::{BigRational, Ratio};
use num_traits::{One, ToPrimitive, Zero};

/// Longest exponent text read.
const MAX_LEN: usize = 200;

/// Largest magnitude of the `e` exponent of a decimal.
const MAX_EXP: i64 = 400;

/// Largest denominator kept (Python's default for `limit_denominator`).
const MAX_DENOMINATOR: u32 = 1_000_000;

/// Why an exponent text is not a usable exponent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExponentError {
    /// Not a number in the grammar (`1_-2`, `(2)`, `x`).
    NotANumber,
    /// A zero denominator (`1_0`).
    ZeroDenominator,
    /// A number whose reduced fraction does not fit the exponent range (±2³¹).
    OutOfRange,
}

fn digits(s: &[char], pos: &mut usize) -> Option<BigInt> {
    let start = *pos;
    while s.get(*pos).is_some_and(char::is_ascii_digit) {
        *pos += 1;
    }
    if *pos == start {
        return None;
    }
    let text: String = s.get(start..*pos)?.iter().collect();
    text.parse().ok()
}

/// Parses a number by the grammar of Python's `Fraction(str)` (ASCII digits only).
fn parse_exact(text: &str) -> Result<BigRational, ExponentError> {
    let s: Vec<char> = text.trim().chars().collect();
    if s.len() > MAX_LEN {
        return Err(ExponentError::OutOfRange);
    }
    let mut pos = 0;
    let negative = match s.first() {
        Some('-') => {
            pos = 1;
            true
        }
        Some('+') => {
            pos = 1;
            false
        }
        _ => false,
    };
    // lookahead: a digit, or '.' then a digit
    let starts = match s.get(pos) {
        Some(c) if c.is_ascii_digit() => true,
        Some('.') => s.get(pos + 1).is_some_and(char::is_ascii_digit),
        _ => false,
    };
    if !starts {
        return Err(ExponentError::NotANumber);
    }
    let num = digits(&s, &mut pos).unwrap_or_else(BigInt::zero);
    let mut value;
    // n / d (whitespace allowed around the slash)
    let mut look = pos;
    while s.get(look).is_some_and(|c| c.is_whitespace()) {
        look += 1;
    }
    if s.get(look) == Some(&'/') {
        pos = look + 1;
        while s.get(pos).is_some_and(|c| c.is_whitespace()) {
            pos += 1;
        }
        let den = digits(&s, &mut pos).ok_or(ExponentError::NotANumber)?;
        if den.is_zero() {
            return Err(ExponentError::ZeroDenominator);
        }
        value = BigRational::new(num, den);
    } else {
        value = BigRational::from_integer(num);
        if s.get(pos) == Some(&'.') {
            pos += 1;
            let start = pos;
            let frac = digits(&s, &mut pos);
            if let Some(f) = frac {
                let scale = num_traits::pow::pow(BigInt::from(10), pos - start);
                value += BigRational::new(f, scale);
            }
        }
        if matches!(s.get(pos), Some('e' | 'E')) {
            pos += 1;
            let neg_exp = match s.get(pos) {
                Some('-') => {
                    pos += 1;
                    true
                }
                Some('+') => {
                    pos += 1;
                    false
                }
                _ => false,
            };
            let e = digits(&s, &mut pos).ok_or(ExponentError::NotANumber)?;
            if !value.is_zero() {
                match (e.to_i64().filter(|e| *e <= MAX_EXP), neg_exp) {
                    (Some(e), false) => value *= BigRational::from_integer(ten_pow(e)),
                    (Some(e), true) => value /= BigRational::from_integer(ten_pow(e)),
                    // beyond 10^400 no exponent fits; below 10^-400 the nearest fraction with a
                    // denominator of at most 10^6 is 0
                    (None, false) => return Err(ExponentError::OutOfRange),
                    (None, true) => value = BigRational::zero(),
                }
            }
        }
    }
    while s.get(pos).is_some_and(|c| c.is_whitespace()) {
        pos += 1;
    }
    if pos != s.len() {
        return Err(ExponentError::NotANumber);
    }
    Ok(if negative { -value } else { value })
}

fn ten_pow(e: i64) -> BigInt {
    num_traits::pow::pow(BigInt::from(10), usize::try_from(e).unwrap_or(0))
}

/// The closest fraction to `x` with a denominator of at most `max_den`, by the algorithm of
/// Python 3.12 `Fraction.limit_denominator` (continued fractions; of the two final candidates
/// the bound `p1/q1` wins ties).
fn limit_denominator(x: &BigRational, max_den: &BigInt) -> BigRational {
    if x.denom() <= max_den {
        return x.clone();
    }
    let (mut p0, mut q0, mut p1, mut q1) =
        (BigInt::zero(), BigInt::one(), BigInt::one(), BigInt::zero());
    let (mut n, mut d) = (x.numer().clone(), x.denom().clone());
    loop {
        let a = n.div_floor(&d);
        let q2 = &q0 + &a * &q1;
        if q2 > *max_den {
            break;
        }
        let p2 = &p0 + &a * &p1;
        p0 = std::mem::replace(&mut p1, p2);
        q0 = std::mem::replace(&mut q1, q2);
        let r = &n - &a * &d;
        n = std::mem::replace(&mut d, r);
        if d.is_zero() {
            break;
        }
    }
    if q1.is_zero() {
        return x.clone();
    }
    let k = (max_den - &q0).div_floor(&q1);
    let two = BigInt::from(2);
    if &two * &d * (&q0 + &k * &q1) <= *x.denom() {
        BigRational::new(p1, q1)
    } else {
        BigRational::new(&p0 + &k * &p1, &q0 + &k * &q1)
    }
}

/// Reads an exponent written inside `\tothe{…}` (`2`, `-1`, `0.5`, `1_2`, `1/2`, `2_3`) the way
/// the D-SI reference implementation does.
pub(crate) fn parse_exponent(text: &str) -> Result<Ratio<i32>, ExponentError> {
    let slashed = text.replace('_', "/");
    let exact = parse_exact(&slashed)?;
    let limited = limit_denominator(&exact, &BigInt::from(MAX_DENOMINATOR));
    let n = limited.numer().to_i32().ok_or(ExponentError::OutOfRange)?;
    let d = limited.denom().to_i32().ok_or(ExponentError::OutOfRange)?;
    if n == i32::MIN || d.is_negative() {
        return Err(ExponentError::OutOfRange);
    }
    Ok(Ratio::new(n, d))
}

/// Whether an exponent text has the form of the D-SI syntax, `-?\d+([._]\d+)?` (ASCII digits).
pub(crate) fn is_dsi_form(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match body.find(['.', '_']) {
        Some(i) => (body.get(..i).unwrap_or(""), body.get(i + 1..)),
        None => (body, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    all_digits(int) && frac.is_none_or(all_digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i32, d: i32) -> Result<Ratio<i32>, ExponentError> {
        Ok(Ratio::new(n, d))
    }

    #[test]
    fn python_fraction_rules() {
        assert_eq!(parse_exponent("2"), r(2, 1));
        assert_eq!(parse_exponent("0.5"), r(1, 2));
        assert_eq!(parse_exponent("1_2"), r(1, 2));
        assert_eq!(parse_exponent("1/2"), r(1, 2));
        assert_eq!(parse_exponent("0.6666666"), r(2, 3));
        assert_eq!(parse_exponent("0.333333333333333"), r(1, 3));
        assert_eq!(parse_exponent("0.666666666666666"), r(2, 3));
        assert_eq!(parse_exponent("-1_2"), r(-1, 2));
        assert_eq!(parse_exponent("+3"), r(3, 1));
        assert_eq!(parse_exponent(".5"), r(1, 2));
        assert_eq!(parse_exponent("5."), r(5, 1));
        assert_eq!(parse_exponent("1e2"), r(100, 1));
        assert_eq!(parse_exponent("1e-999"), r(0, 1));
        assert_eq!(parse_exponent("3.14159"), r(314159, 100000));
        assert_eq!(parse_exponent("1_-2"), Err(ExponentError::NotANumber));
        assert_eq!(parse_exponent("-1_-2"), Err(ExponentError::NotANumber));
        assert_eq!(parse_exponent("1_2_3"), Err(ExponentError::NotANumber));
        assert_eq!(parse_exponent("(2)"), Err(ExponentError::NotANumber));
        assert_eq!(parse_exponent(""), Err(ExponentError::NotANumber));
        assert_eq!(parse_exponent("."), Err(ExponentError::NotANumber));
        assert_eq!(parse_exponent("1_0"), Err(ExponentError::ZeroDenominator));
        assert_eq!(parse_exponent("1e999"), Err(ExponentError::OutOfRange));
        assert_eq!(
            parse_exponent("99999999999"),
            Err(ExponentError::OutOfRange)
        );
        assert!(is_dsi_form("-1_2") && is_dsi_form("0.5") && is_dsi_form("2"));
        assert!(!is_dsi_form("1/2") && !is_dsi_form("+2") && !is_dsi_form("1e2"));
        assert!(!is_dsi_form("1.") && !is_dsi_form("") && !is_dsi_form("-"));
    }
}
