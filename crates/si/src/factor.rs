//! Exact positive scale factors.
//!
//! A [`Factor`] is the exact value of one unit in coherent SI units, e.g. `1/60` for the minute
//! expressed per second, `π/180` for the degree, `1.602176634e-19` for the electronvolt.
//! It is a product
//!
//! ```text
//!     r × π^k × b^(1/n)
//! ```
//!
//! of a positive rational `r`, a rational power of π and one radical `b^(1/n)` (positive rational
//! `b`, integer index `n ≥ 1`), which is enough for every unit definition of the SI Brochure,
//! UCUM, D-SI and QUDT (π enters through the degree and UCUM `[pi]`; radicals through rational
//! exponents such as D-SI `\tothe{0.5}` or SI text `m^(1/2)`).
//!
//! Why not floats: unit definitions are exact (the 2019 SI fixes the defining constants
//! exactly, the inch is exactly 0.0254 m, ...), and a conversion chain must not accumulate
//! rounding errors; the float is produced once, at the end, by [`Factor::to_f64`].
//! Why hand-written: no Rust crate offers exact arithmetic in this small field (rationals times
//! powers of π times radicals) with a canonical form that makes equality tests meaningful.
//!
//! The radical is kept in a normal form: integer powers are folded into the rational part
//! (`8^(1/2) = 2 × 2^(1/2)`), small prime factors are extracted, and the index is reduced when
//! the radicand is a perfect power. Equality of two factors is therefore equality of numbers
//! for every radicand whose prime factors are below 1000 or which is a perfect power; this
//! covers every unit definition in the tables.
//!
//! All operations are checked: results larger than [`MAX_BITS`] bits are refused with
//! [`FactorError::TooLarge`] so that no input (`10*999999999`) can exhaust memory or time.

use std::fmt;
use std::str::FromStr;

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_rational::{BigRational, Ratio};
use num_traits::{One, Signed, ToPrimitive, Zero};

/// Largest size, in bits, of any numerator, denominator or radicand a [`Factor`] may hold
/// (about 20 000 decimal digits). Far beyond any physical unit, small enough to stay fast.
pub const MAX_BITS: u64 = 1 << 16;

/// Largest radical index (the `n` of `b^(1/n)`) a [`Factor`] may hold.
const MAX_INDEX: u32 = 1 << 12;

/// π to 80 significant digits, used to evaluate integer powers of π in [`Factor::to_f64`]
/// so that the single final rounding dominates (the error of this approximation is below
/// 1e-79 relative).
const PI_80: &str =
    "31415926535897932384626433832795028841971693993751058209749445923078164062862090";

/// [`PI_80`] as a rational, built once.
fn pi_80() -> &'static BigRational {
    use std::sync::OnceLock;
    static PI: OnceLock<BigRational> = OnceLock::new();
    PI.get_or_init(|| {
        let n = BigInt::from_str(PI_80).unwrap_or_else(|_| BigInt::from(3));
        let d = num_traits::pow::pow(BigInt::from(10), PI_80.len() - 1);
        BigRational::new(n, d)
    })
}

/// An error of exact factor arithmetic or parsing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FactorError {
    /// The result would exceed [`MAX_BITS`] or the radical index limit.
    #[error("number too large to be represented exactly")]
    TooLarge,
    /// A factor must be strictly positive (zero or a negative number was given).
    #[error("a scale factor must be positive")]
    NotPositive,
    /// The text is not in the exact-number grammar; `position` is a character index.
    #[error("at {position}: {message}")]
    Syntax {
        /// Character index (0-based) where the problem was found.
        position: usize,
        /// What is wrong.
        message: String,
    },
}

/// An exact, strictly positive real number `r × π^k × b^(1/n)`; see the module documentation.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Factor {
    /// The rational part, strictly positive.
    rational: BigRational,
    /// Exponent of π.
    pi: Ratio<i32>,
    /// Radicand `b` (1 when there is no radical), in normal form.
    radicand: BigRational,
    /// Radical index `n` (1 when there is no radical).
    index: u32,
}

fn bits_of(r: &BigRational) -> u64 {
    r.numer().bits().max(r.denom().bits())
}

fn check_size(r: &BigRational) -> Result<(), FactorError> {
    if bits_of(r) > MAX_BITS {
        Err(FactorError::TooLarge)
    } else {
        Ok(())
    }
}

/// The parts of a rational when both fit in a `u64` (a positive rational, or its magnitude).
fn small_parts(r: &BigRational) -> Option<(u64, u64)> {
    Some((r.numer().magnitude().to_u64()?, r.denom().to_u64()?))
}

/// Exact product of two rationals, with a fast path in `u128` for the common small case
/// (`BigRational` reduces by big-integer gcds, which dominate the cost of a conversion).
fn rat_mul(a: &BigRational, b: &BigRational) -> BigRational {
    if let (Some((an, ad)), Some((bn, bd))) = (small_parts(a), small_parts(b)) {
        let n = u128::from(an) * u128::from(bn);
        let d = u128::from(ad) * u128::from(bd);
        let g = n.gcd(&d);
        if let (Some(n), Some(d)) = (n.checked_div(g), d.checked_div(g)) {
            let negative = a.numer().is_negative() != b.numer().is_negative();
            let n = BigInt::from(n);
            return BigRational::new_raw(if negative { -n } else { n }, BigInt::from(d));
        }
    }
    a * b
}

/// `r^e` for an integer `e`, refusing results larger than [`MAX_BITS`].
fn rat_powi(r: &BigRational, e: i64) -> Result<BigRational, FactorError> {
    if e == 0 {
        return Ok(BigRational::one());
    }
    if e == 1 {
        return Ok(r.clone());
    }
    if e == -1 {
        return Ok(r.recip());
    }
    let mag = e.unsigned_abs();
    if r.is_one() {
        return Ok(BigRational::one());
    }
    if bits_of(r).saturating_sub(1).saturating_mul(mag) > MAX_BITS {
        return Err(FactorError::TooLarge);
    }
    let exp = u32::try_from(mag).map_err(|_| FactorError::TooLarge)?;
    let n = num_traits::pow::pow(r.numer().clone(), exp as usize);
    let d = num_traits::pow::pow(r.denom().clone(), exp as usize);
    let out = if e > 0 {
        BigRational::new(n, d)
    } else {
        BigRational::new(d, n)
    };
    check_size(&out)?;
    Ok(out)
}

/// The primes below 1000, used to bring radicands to normal form.
fn small_primes() -> &'static [u32] {
    use std::sync::OnceLock;
    static PRIMES: OnceLock<Vec<u32>> = OnceLock::new();
    PRIMES.get_or_init(|| {
        let mut out = Vec::new();
        for n in 2u32..1000 {
            if out.iter().take_while(|p| *p * *p <= n).all(|p| n % p != 0) {
                out.push(n);
            }
        }
        out
    })
}

/// Splits a positive integer `m` into (`outside`, `inside`, `gcd` of the exponents left inside)
/// such that `m^(1/n) = outside × inside^(1/n)` with the small-prime part of `inside` free of
/// `n`-th powers. The cofactor without small primes is tested for being a perfect `n`-th power.
fn extract_root(m: &BigUint, n: u32) -> (BigUint, BigUint, u32, BigUint) {
    // returns (outside, small-prime part inside, gcd of small-prime exponents inside, cofactor)
    let mut rest = m.clone();
    let mut outside = BigUint::one();
    let mut inside = BigUint::one();
    let mut g = 0u32;
    for &p in small_primes() {
        if rest.is_one() {
            break;
        }
        let pb = BigUint::from(p);
        let mut e = 0u32;
        loop {
            let (q, r) = rest.div_rem(&pb);
            if !r.is_zero() {
                break;
            }
            rest = q;
            e += 1;
        }
        if e == 0 {
            continue;
        }
        let out_e = e / n;
        let in_e = e % n;
        if out_e > 0 {
            outside *= num_traits::pow::pow(pb.clone(), out_e as usize);
        }
        if in_e > 0 {
            inside *= num_traits::pow::pow(pb, in_e as usize);
            g = g.gcd(&in_e);
        }
    }
    // The cofactor has no prime factor below 1000; if it is a perfect n-th power, take it out.
    if !rest.is_one() {
        let root = rest.nth_root(n);
        if num_traits::pow::pow(root.clone(), n as usize) == rest {
            outside *= root;
            rest = BigUint::one();
        }
    }
    (outside, inside, g, rest)
}

fn to_biguint(i: &BigInt) -> BigUint {
    i.magnitude().clone()
}

/// Brings `b^(1/n)` to normal form, returning (rational coefficient, radicand, index): the
/// radicand is an integer (`(p/q)^(1/n) = (p q^(n-1))^(1/n) / q`) free of `n`-th powers of
/// primes below 1000, and the index is reduced when the radicand is a perfect power.
fn normalize_radical(
    b: &BigRational,
    n: u32,
) -> Result<(BigRational, BigRational, u32), FactorError> {
    if n <= 1 {
        return Ok((b.clone(), BigRational::one(), 1));
    }
    if b.is_one() {
        return Ok((BigRational::one(), BigRational::one(), 1));
    }
    let q = to_biguint(b.denom());
    if q.bits().saturating_mul(u64::from(n - 1)) > MAX_BITS {
        return Err(FactorError::TooLarge);
    }
    let m = to_biguint(b.numer()) * num_traits::pow::pow(q.clone(), (n - 1) as usize);
    let (out, small, g, rest) = extract_root(&m, n);
    let coef = BigRational::new(BigInt::from(out), BigInt::from(q));
    let mut num = small * &rest;
    let mut index = n;
    if num.is_one() {
        return Ok((coef, BigRational::one(), 1));
    }
    // Reduce the index: (x^k)^(1/(k m)) = x^(1/m) for k dividing n and every exponent.
    let g = if g > 0 { n.gcd(&g) } else { n };
    let mut k = g;
    while k > 1 {
        if g % k == 0 {
            let r = num.nth_root(k);
            if num_traits::pow::pow(r.clone(), k as usize) == num {
                num = r;
                index /= k;
                break;
            }
        }
        k -= 1;
    }
    Ok((coef, BigRational::from_integer(BigInt::from(num)), index))
}

fn ratio_add(a: Ratio<i32>, b: Ratio<i32>) -> Result<Ratio<i32>, FactorError> {
    use num_traits::CheckedAdd;
    a.checked_add(&b).ok_or(FactorError::TooLarge)
}

fn ratio_mul(a: Ratio<i32>, b: Ratio<i32>) -> Result<Ratio<i32>, FactorError> {
    use num_traits::CheckedMul;
    a.checked_mul(&b).ok_or(FactorError::TooLarge)
}

impl Factor {
    /// The factor 1.
    pub fn one() -> Factor {
        Factor {
            rational: BigRational::one(),
            pi: Ratio::from_integer(0),
            radicand: BigRational::one(),
            index: 1,
        }
    }

    /// π.
    pub fn pi() -> Factor {
        Factor {
            pi: Ratio::from_integer(1),
            ..Factor::one()
        }
    }

    /// A positive rational factor; zero and negative numbers are refused.
    pub fn from_rational(r: BigRational) -> Result<Factor, FactorError> {
        if !r.is_positive() {
            return Err(FactorError::NotPositive);
        }
        check_size(&r)?;
        Ok(Factor {
            rational: r,
            ..Factor::one()
        })
    }

    /// A positive integer factor; 0 is refused.
    pub fn from_u64(n: u64) -> Result<Factor, FactorError> {
        Factor::from_rational(BigRational::from_integer(BigInt::from(n)))
    }

    /// A positive integer factor given as a big integer; 0 is refused.
    pub fn from_biguint(n: &BigUint) -> Result<Factor, FactorError> {
        Factor::from_rational(BigRational::from_integer(BigInt::from(n.clone())))
    }

    /// `10^e`, exactly.
    pub fn pow10(e: i32) -> Result<Factor, FactorError> {
        let r = rat_powi(&BigRational::from_integer(BigInt::from(10)), i64::from(e))?;
        Factor::from_rational(r)
    }

    /// The rational part `r`.
    pub fn rational(&self) -> &BigRational {
        &self.rational
    }

    /// The exponent `k` of π.
    pub fn pi_exponent(&self) -> Ratio<i32> {
        self.pi
    }

    /// The radical as (radicand `b`, index `n`); `(1, 1)` when there is none.
    pub fn radical(&self) -> (&BigRational, u32) {
        (&self.radicand, self.index)
    }

    /// Whether this factor is a rational number (no π, no radical).
    pub fn is_rational(&self) -> bool {
        self.pi.is_zero() && self.index == 1
    }

    /// Whether this factor is exactly 1.
    pub fn is_one(&self) -> bool {
        self.is_rational() && self.rational.is_one()
    }

    fn combine_radicals(
        b1: &BigRational,
        n1: u32,
        b2: &BigRational,
        n2: u32,
    ) -> Result<(BigRational, BigRational, u32), FactorError> {
        if n2 == 1 {
            return Ok((BigRational::one(), b1.clone(), n1));
        }
        if n1 == 1 {
            return Ok((BigRational::one(), b2.clone(), n2));
        }
        let l = n1.lcm(&n2);
        if l > MAX_INDEX {
            return Err(FactorError::TooLarge);
        }
        let p1 = rat_powi(b1, i64::from(l / n1))?;
        let p2 = rat_powi(b2, i64::from(l / n2))?;
        let prod = p1 * p2;
        check_size(&prod)?;
        normalize_radical(&prod, l)
    }

    /// The exact product `self × other`.
    pub fn checked_mul(&self, other: &Factor) -> Result<Factor, FactorError> {
        let (coef, radicand, index) =
            Factor::combine_radicals(&self.radicand, self.index, &other.radicand, other.index)?;
        let mut rational = rat_mul(&self.rational, &other.rational);
        if !coef.is_one() {
            rational = rat_mul(&rational, &coef);
        }
        check_size(&rational)?;
        Ok(Factor {
            rational,
            pi: ratio_add(self.pi, other.pi)?,
            radicand,
            index,
        })
    }

    /// The exact quotient `self / other`.
    pub fn checked_div(&self, other: &Factor) -> Result<Factor, FactorError> {
        self.checked_mul(&other.recip()?)
    }

    /// The exact reciprocal `1 / self` (fallible only for radicals too large to invert:
    /// `1/b^(1/n) = (b^(n-1))^(1/n) / b`).
    pub fn recip(&self) -> Result<Factor, FactorError> {
        let (coef, radicand, index) = normalize_radical(&self.radicand.recip(), self.index)?;
        let rational = self.rational.recip() * coef;
        check_size(&rational)?;
        Ok(Factor {
            rational,
            pi: -self.pi,
            radicand,
            index,
        })
    }

    /// The exact power `self^e` for a rational exponent `e`.
    pub fn checked_pow(&self, e: Ratio<i32>) -> Result<Factor, FactorError> {
        if e.is_one() {
            return Ok(self.clone());
        }
        let p = i64::from(*e.numer());
        let q = u32::try_from(*e.denom()).map_err(|_| FactorError::TooLarge)?;
        if q > MAX_INDEX {
            return Err(FactorError::TooLarge);
        }
        // r^(p/q): integer part of the power goes to the rational, the root to the radical.
        let rp = rat_powi(&self.rational, p)?;
        let (coef_a, rad_a, idx_a) = if q == 1 {
            (rp, BigRational::one(), 1)
        } else {
            normalize_radical(&rp, q)?
        };
        // (b^(1/n))^(p/q) = (b^p)^(1/(n q)).
        let (coef_b, rad_b, idx_b) = if self.index == 1 {
            (BigRational::one(), BigRational::one(), 1)
        } else {
            let bp = rat_powi(&self.radicand, p)?;
            let nq = self.index.checked_mul(q).ok_or(FactorError::TooLarge)?;
            if nq > MAX_INDEX {
                return Err(FactorError::TooLarge);
            }
            normalize_radical(&bp, nq)?
        };
        let (coef_c, radicand, index) = Factor::combine_radicals(&rad_a, idx_a, &rad_b, idx_b)?;
        let mut rational = coef_a;
        for c in [coef_b, coef_c] {
            if !c.is_one() {
                rational = rat_mul(&rational, &c);
            }
        }
        check_size(&rational)?;
        Ok(Factor {
            rational,
            pi: ratio_mul(self.pi, e)?,
            radicand,
            index,
        })
    }

    /// The nearest `f64` (to within about one unit in the last place; the rational part and
    /// integer powers of π are rounded only once, radicals and fractional powers of π add at
    /// most an ulp or two). Values beyond the `f64` range give `inf` or `0`.
    pub fn to_f64(&self) -> f64 {
        // Fast path: numerator and denominator exact in f64, one correctly rounded division.
        if self.is_rational() {
            if let Some((n, d)) = small_parts(&self.rational) {
                if n < (1 << 53) && d < (1 << 53) {
                    return n as f64 / d as f64;
                }
            }
        }
        // Integer powers of π join the rational part through an 80-digit approximation.
        let mut rational = self.rational.clone();
        let mut pi_frac = self.pi;
        if !self.pi.is_zero() {
            let whole = self.pi.to_integer();
            if whole != 0 {
                if let Ok(pw) = rat_powi(pi_80(), i64::from(whole)) {
                    rational *= pw;
                    pi_frac = self.pi - Ratio::from_integer(whole);
                }
            }
        }
        let (mut mant, mut exp2) = rational_to_parts(&rational);
        if !pi_frac.is_zero() {
            let k = f64::from(*pi_frac.numer()) / f64::from(*pi_frac.denom());
            let (m, e) = frexp(std::f64::consts::PI.powf(k));
            mant *= m;
            exp2 += e;
        }
        if self.index > 1 {
            let (bm, be) = rational_to_parts(&self.radicand);
            let n = i64::from(self.index);
            // (bm 2^be)^(1/n) = bm^(1/n) 2^(be div n) 2^((be mod n)/n)
            let q = be.div_euclid(n);
            let r = be.rem_euclid(n);
            let f = bm.powf(1.0 / n as f64) * ((r as f64) / (n as f64)).exp2();
            let (m, e) = frexp(f);
            mant *= m;
            exp2 += q + e;
        }
        ldexp(mant, exp2)
    }

    /// Parses the exact-number grammar of the reference tables: integers, decimals with an
    /// optional `e` exponent, `pi` (or `π`), products (`*`, `×`, `·`, or a space) and quotients
    /// (`/`) of those, parentheses, and powers `^n`, `^-n`, `^(p/q)`. Examples: `1/60`,
    /// `pi/180`, `1.602176634e-19`, `(pi/180)^2`, `250×π^-1`, `10^-3`.
    pub fn parse(text: &str) -> Result<Factor, FactorError> {
        let chars: Vec<char> = text.chars().collect();
        let mut p = FactorParser {
            chars: &chars,
            pos: 0,
            depth: 0,
        };
        p.skip_ws();
        let f = p.expr()?;
        p.skip_ws();
        if p.pos < chars.len() {
            return Err(p.err("unexpected character"));
        }
        Ok(f)
    }
}

/// Splits a positive rational into (mantissa in [1, 2) rounded correctly to 53 bits, exponent).
fn rational_to_parts(r: &BigRational) -> (f64, i64) {
    let n = r.numer().magnitude();
    let d = r.denom().magnitude();
    if n.is_zero() {
        return (0.0, 0);
    }
    let k = n.bits() as i64 - d.bits() as i64;
    // Scale so that the quotient has 65 or 66 bits, then one rounding by the u128 → f64 cast,
    // with a sticky bit for a nonzero remainder (the sticky bit is far below the rounding bit).
    let s = 65 - k;
    let (num, den) = if s >= 0 {
        (n << (s as usize), d.clone())
    } else {
        (n.clone(), d << ((-s) as usize))
    };
    let (q, rem) = num.div_rem(&den);
    let mut q128 = q.to_u128().unwrap_or(u128::MAX);
    if !rem.is_zero() {
        q128 |= 1;
    }
    let f = q128 as f64; // exact power-of-two scaling below
    let (m, e) = frexp(f);
    (m, e - s)
}

/// Splits a finite positive `x` into (`m` in [1, 2), `e`) with `x = m 2^e`.
fn frexp(x: f64) -> (f64, i64) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    if exp == 0 {
        // subnormal: scale up first
        let (m, e) = frexp(x * 2f64.powi(64));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1023 << 52));
    (m, exp - 1023)
}

/// `m × 2^e` with a single final rounding when the result is subnormal.
fn ldexp(m: f64, e: i64) -> f64 {
    let (m, e2) = frexp(m);
    let e = e.saturating_add(e2);
    if e > 1023 {
        return f64::INFINITY;
    }
    if e < -1100 {
        return 0.0;
    }
    if e >= -1022 {
        return m * f64::from_bits(((e + 1023) as u64) << 52);
    }
    // subnormal range: two exact-ish steps
    m * 2f64.powi(-1022) * 2f64.powi((e + 1022) as i32)
}

impl fmt::Debug for Factor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Factor({self})")
    }
}

/// Writes a positive rational exactly: as a decimal (plain or scientific) when its denominator
/// is of the form 2^a 5^b, otherwise as `p/q`.
fn write_rational(out: &mut String, r: &BigRational) {
    use std::fmt::Write;
    let d = r.denom().magnitude();
    let mut rest = d.clone();
    let two = BigUint::from(2u32);
    let five = BigUint::from(5u32);
    let mut a = 0u64;
    let mut b = 0u64;
    while (&rest % &two).is_zero() {
        rest /= &two;
        a += 1;
    }
    while (&rest % &five).is_zero() {
        rest /= &five;
        b += 1;
    }
    if !rest.is_one() {
        let _ = write!(out, "{}/{}", r.numer(), r.denom());
        return;
    }
    // value = m × 10^-k
    let k = a.max(b);
    let m = r.numer().magnitude()
        * num_traits::pow::pow(two, (k - a) as usize)
        * num_traits::pow::pow(five, (k - b) as usize);
    let mut digits = m.to_str_radix(10);
    let mut exp10: i64 = -(k as i64);
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
        exp10 += 1;
    }
    let len = digits.len() as i64;
    if r.numer().sign() == Sign::Minus {
        out.push('-');
    }
    if exp10 >= 0 && len + exp10 <= 21 {
        out.push_str(&digits);
        for _ in 0..exp10 {
            out.push('0');
        }
    } else if exp10 < 0 && -exp10 <= len + 6 {
        let point = len + exp10; // digits before the decimal point
        if point > 0 {
            out.push_str(&digits[..point as usize]);
            out.push('.');
            out.push_str(&digits[point as usize..]);
        } else {
            out.push_str("0.");
            for _ in 0..(-point) {
                out.push('0');
            }
            out.push_str(&digits);
        }
    } else {
        // scientific: d.ddd e(exp10 + len - 1)
        out.push_str(&digits[..1]);
        if len > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}", exp10 + len - 1);
    }
}

fn write_exponent(out: &mut String, e: Ratio<i32>) {
    use std::fmt::Write;
    if e.is_integer() {
        let _ = write!(out, "^{}", e.numer());
    } else {
        let _ = write!(out, "^({}/{})", e.numer(), e.denom());
    }
}

impl fmt::Display for Factor {
    /// Exact text in the grammar of [`Factor::parse`]: `1/60`, `1.602176634e-19`,
    /// `1/180×π`, `250×π^-1`, `10×10^(1/2)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        let show_rational = !self.rational.is_one() || self.is_rational();
        if show_rational {
            write_rational(&mut out, &self.rational);
        }
        if !self.pi.is_zero() {
            if !out.is_empty() {
                out.push('×');
            }
            out.push('π');
            if !self.pi.is_one() {
                write_exponent(&mut out, self.pi);
            }
        }
        if self.index > 1 {
            if !out.is_empty() {
                out.push('×');
            }
            let bracket = !self.radicand.is_integer();
            if bracket {
                out.push('(');
            }
            write_rational(&mut out, &self.radicand);
            if bracket {
                out.push(')');
            }
            write_exponent(&mut out, Ratio::new(1, self.index as i32));
        }
        f.write_str(&out)
    }
}

impl FromStr for Factor {
    type Err = FactorError;

    fn from_str(s: &str) -> Result<Factor, FactorError> {
        Factor::parse(s)
    }
}

/// Maximum nesting of parentheses in [`Factor::parse`].
const MAX_DEPTH: usize = 32;

struct FactorParser<'a> {
    chars: &'a [char],
    pos: usize,
    depth: usize,
}

impl FactorParser<'_> {
    fn err(&self, message: &str) -> FactorError {
        FactorError::Syntax {
            position: self.pos,
            message: message.to_string(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|c| c == ' ') {
            self.pos += 1;
        }
    }

    /// expr := power (op power)*
    fn expr(&mut self) -> Result<Factor, FactorError> {
        let mut acc = self.power()?;
        loop {
            let save = self.pos;
            self.skip_ws();
            match self.peek() {
                Some('*' | '×' | '·' | '⋅') => {
                    self.pos += 1;
                    self.skip_ws();
                    let rhs = self.power()?;
                    acc = acc.checked_mul(&rhs)?;
                }
                Some('/') => {
                    self.pos += 1;
                    self.skip_ws();
                    let rhs = self.power()?;
                    acc = acc.checked_div(&rhs)?;
                }
                Some(c)
                    if self.pos > save
                        && (c.is_ascii_digit() || c == 'p' || c == 'π' || c == '(') =>
                {
                    // juxtaposition separated by a space is a product
                    let rhs = self.power()?;
                    acc = acc.checked_mul(&rhs)?;
                }
                _ => {
                    self.pos = save;
                    return Ok(acc);
                }
            }
        }
    }

    /// power := primary ('^' exponent)?
    fn power(&mut self) -> Result<Factor, FactorError> {
        let base = self.primary()?;
        if self.peek() == Some('^') {
            self.pos += 1;
            let e = self.exponent()?;
            return base.checked_pow(e);
        }
        Ok(base)
    }

    fn integer(&mut self) -> Result<i32, FactorError> {
        let start = self.pos;
        let neg = match self.peek() {
            Some('-' | '−') => {
                self.pos += 1;
                true
            }
            Some('+') => {
                self.pos += 1;
                false
            }
            _ => false,
        };
        let ds = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if ds == self.pos {
            return Err(self.err("expected an integer"));
        }
        let s: String = self.chars[ds..self.pos].iter().collect();
        let v: i32 = s.parse().map_err(|_| FactorError::Syntax {
            position: start,
            message: "exponent out of range".to_string(),
        })?;
        Ok(if neg { -v } else { v })
    }

    /// exponent := integer | '(' integer ('/' integer)? ')'
    fn exponent(&mut self) -> Result<Ratio<i32>, FactorError> {
        if self.peek() == Some('(') {
            self.pos += 1;
            let n = self.integer()?;
            let mut d = 1;
            if self.peek() == Some('/') {
                self.pos += 1;
                d = self.integer()?;
            }
            if self.peek() != Some(')') {
                return Err(self.err("expected ')'"));
            }
            self.pos += 1;
            if d <= 0 {
                return Err(self.err("exponent denominator must be positive"));
            }
            return Ok(Ratio::new(n, d));
        }
        Ok(Ratio::from_integer(self.integer()?))
    }

    fn primary(&mut self) -> Result<Factor, FactorError> {
        match self.peek() {
            Some('(') => {
                if self.depth >= MAX_DEPTH {
                    return Err(self.err("parentheses nested too deeply"));
                }
                self.depth += 1;
                self.pos += 1;
                self.skip_ws();
                let f = self.expr()?;
                self.skip_ws();
                if self.peek() != Some(')') {
                    return Err(self.err("expected ')'"));
                }
                self.pos += 1;
                self.depth -= 1;
                Ok(f)
            }
            Some('π') => {
                self.pos += 1;
                Ok(Factor::pi())
            }
            Some('p') if self.chars.get(self.pos + 1) == Some(&'i') => {
                self.pos += 2;
                Ok(Factor::pi())
            }
            Some(c) if c.is_ascii_digit() || c == '.' => {
                let r = self.number()?;
                Factor::from_rational(r).map_err(|e| match e {
                    FactorError::NotPositive => self.err("a scale factor must be positive"),
                    other => other,
                })
            }
            None => Err(self.err("expected a number")),
            Some(_) => Err(self.err("expected a number, 'pi' or '('")),
        }
    }

    /// number := digits ('.' digits?)? (('e'|'E') sign? digits)?
    fn number(&mut self) -> Result<BigRational, FactorError> {
        let mut mant = String::new();
        let mut frac_digits: i64 = 0;
        let mut seen_point = false;
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() {
                mant.push(c);
                if seen_point {
                    frac_digits += 1;
                }
            } else if c == '.' && !seen_point {
                seen_point = true;
            } else {
                break;
            }
            self.pos += 1;
        }
        if mant.is_empty() {
            self.pos = start;
            return Err(self.err("expected digits"));
        }
        let mut exp10: i64 = 0;
        if matches!(self.peek(), Some('e' | 'E')) {
            self.pos += 1;
            exp10 = i64::from(self.integer()?);
        }
        let m = BigInt::from_str(&mant).map_err(|_| self.err("bad number"))?;
        let e = exp10 - frac_digits;
        let ten = BigRational::from_integer(BigInt::from(10));
        let scale = rat_powi(&ten, e)?;
        let r = BigRational::from_integer(m) * scale;
        check_size(&r)?;
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> Factor {
        Factor::parse(s).unwrap()
    }

    #[test]
    fn parse_and_display() {
        assert_eq!(f("1/60").to_string(), "1/60");
        assert_eq!(f("1.602176634e-19").to_string(), "1.602176634e-19");
        assert_eq!(f("0.001").to_string(), "0.001");
        assert_eq!(f("1e24").to_string(), "1e24");
        assert_eq!(f("pi/180").to_string(), "1/180×π");
        assert_eq!(f("250×π^-1").to_string(), "250×π^-1");
        assert_eq!(f("1000^(1/2)").to_string(), "10×10^(1/2)");
        assert_eq!(f("8^(1/2)").to_string(), "2×2^(1/2)");
        assert_eq!(f("(4/9)^(1/2)").to_string(), "2/3");
        assert_eq!(f("(2/3)^(1/2)").to_string(), "1/3×6^(1/2)");
        for s in [
            "1/180×π",
            "250×π^-1",
            "10×10^(1/2)",
            "1.602176634e-19",
            "1/3×6^(1/2)",
        ] {
            assert_eq!(f(s).to_string(), f(&f(s).to_string()).to_string(), "{s}");
        }
    }

    #[test]
    fn radicals_fold() {
        let r2 = f("2^(1/2)");
        assert_eq!(r2.checked_mul(&r2).unwrap(), f("2"));
        let c2 = f("2^(1/3)");
        assert_eq!(r2.checked_mul(&c2).unwrap(), f("2^(5/6)"));
        assert_eq!(
            f("2^(5/6)").checked_pow(Ratio::from_integer(6)).unwrap(),
            f("32")
        );
        assert_eq!(
            f("2^(1/2)").recip().unwrap().checked_mul(&r2).unwrap(),
            Factor::one()
        );
        assert_eq!(f("42^(2/3)").to_string(), "1764^(1/3)");
        assert_eq!(f("(196/3)^(1/3)×3"), f("1764^(1/3)"));
    }

    #[test]
    fn to_f64_accuracy() {
        assert_eq!(f("1/3").to_f64(), 1.0 / 3.0);
        assert_eq!(f("pi").to_f64(), std::f64::consts::PI);
        assert_eq!(f("pi/180").to_f64(), std::f64::consts::PI / 180.0);
        assert_eq!(f("1e-300").to_f64(), 1e-300);
        assert_eq!(f("1.602176634e-19").to_f64(), 1.602176634e-19);
        assert_eq!(f("2^(1/2)").to_f64(), std::f64::consts::SQRT_2);
        assert_eq!(f("1e400").to_f64(), f64::INFINITY);
        assert_eq!(f("1e-400").to_f64(), 0.0);
        assert_eq!(f("5e-324").to_f64(), 5e-324);
    }

    #[test]
    fn refuses_huge() {
        assert_eq!(Factor::pow10(i32::MAX), Err(FactorError::TooLarge));
        assert!(Factor::parse("0").is_err());
        assert!(Factor::parse("1e99999999").is_err());
    }
}
