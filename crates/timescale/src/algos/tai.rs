//! From EAL to TAI: the frequency of EAL against the SI second from the
//! primary and secondary frequency standards (PSFS), the deviation d of the
//! TAI scale interval, and the frequency steering of TAI.
//!
//! Each PSFS report gives y_k, the fractional frequency of UTC(lab) against
//! the SI second over [t_s, t_e]. The engine knows EAL − UTC(lab) at the
//! grid dates (EAL − R minus the link), so the frequency of EAL follows:
//!
//!   y_EAL,k = y_k + [(EAL − UTC(lab))(t_e) − (EAL − UTC(lab))(t_s)] / (t_e − t_s),
//!
//! with uncertainty u_k² = u_y² + u_link² + u_EAL², where u_link comes from
//! the link's uA at both ends divided by the interval, and u_EAL accounts for
//! carrying an evaluation over part of the month to the month (the
//! "u_l/Lab"/"u_l/Tai" terms of Circular T section 4, after Azoubib,
//! Granveaud & Guinot, "Estimation of the scale unit duration of time
//! scales", Metrologia 13 (1977) 87–93). The month's estimate is the
//! weighted mean of the y_EAL,k (weights 1/u_k²), combined with the previous
//! estimate propagated as a random walk of the EAL frequency — the filter
//! idea of Azoubib et al. reduced to one state.
//!
//! TAI = EAL + steering: TAI − EAL changes at the rate s chosen one month
//! ahead, so the deviation of the TAI scale interval is d = −(y_EAL + s)
//! (a scale interval is longer when the frequency is lower). Each month s
//! moves towards −y_EAL by at most the configured limit (BIPM steers TAI by
//! announced monthly corrections of a few 10⁻¹⁶; Panfilo & Arias 2019).

/// Nanoseconds per day per unit fractional frequency.
pub(crate) const NS_PER_DAY: f64 = 86_400e9;

/// A PSFS report reduced to the frequency of EAL.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EalFrequency {
    pub(crate) y_eal: f64,
    pub(crate) u: f64,
}

/// Weighted mean and its standard uncertainty, with the Birge ratio
/// sqrt(χ²/(n−1)) when n > 1.
pub(crate) fn weighted_mean(v: &[EalFrequency]) -> Option<(f64, f64, Option<f64>)> {
    if v.is_empty() {
        return None;
    }
    let sw: f64 = v.iter().map(|e| 1.0 / (e.u * e.u)).sum();
    let m = v.iter().map(|e| e.y_eal / (e.u * e.u)).sum::<f64>() / sw;
    let birge = (v.len() > 1).then(|| {
        let chi2: f64 = v.iter().map(|e| ((e.y_eal - m) / e.u).powi(2)).sum();
        (chi2 / (v.len() - 1) as f64).sqrt()
    });
    Some((m, 1.0 / sw.sqrt(), birge))
}

/// Combines the propagated previous estimate with the month's measurement
/// (inverse-variance weighting: the update of a one-state Kalman filter).
pub(crate) fn combine(prior: Option<(f64, f64)>, meas: Option<(f64, f64)>) -> Option<(f64, f64)> {
    match (prior, meas) {
        (None, m) => m,
        (p, None) => p,
        (Some((yp, up)), Some((ym, um))) => {
            let (wp, wm) = (1.0 / (up * up), 1.0 / (um * um));
            Some(((yp * wp + ym * wm) / (wp + wm), 1.0 / (wp + wm).sqrt()))
        }
    }
}

/// The next steering rate (fractional): towards −y_EAL, changed by at most
/// `limit`; `initial` sets it fully (first alignment of TAI on the SI second).
pub(crate) fn next_steering(current: f64, y_eal: Option<f64>, limit: f64, initial: bool) -> f64 {
    match y_eal {
        None => current,
        Some(y) if initial => -y,
        Some(y) => current + (-y - current).clamp(-limit, limit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steering_is_limited() {
        assert_eq!(next_steering(0.0, Some(-1e-15), 3e-16, false), 3e-16);
        assert_eq!(next_steering(0.0, Some(1e-16), 3e-16, false), -1e-16);
        assert_eq!(next_steering(0.0, Some(-1e-15), 3e-16, true), 1e-15);
        assert_eq!(next_steering(2e-16, None, 3e-16, false), 2e-16);
    }

    #[test]
    fn weighted_mean_and_combination() {
        let v = [
            EalFrequency { y_eal: 1.0, u: 1.0 },
            EalFrequency { y_eal: 3.0, u: 1.0 },
        ];
        let (m, u, b) = weighted_mean(&v).unwrap();
        assert_eq!(m, 2.0);
        assert!((u - 0.5f64.sqrt()).abs() < 1e-15);
        assert!((b.unwrap() - 2f64.sqrt()).abs() < 1e-12);
        let (y, u) = combine(Some((0.0, 1.0)), Some((2.0, 1.0))).unwrap();
        assert_eq!(y, 1.0);
        assert!((u - 0.5f64.sqrt()).abs() < 1e-15);
    }
}
