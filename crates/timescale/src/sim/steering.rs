//! How the simulated laboratories steer their UTC(k) towards UTC.
//!
//! The simulator's UTC(k) is a free-running maser, which drifts microseconds away from UTC within
//! a year; real laboratories steer UTC(k) month by month from what Circular T tells them.
//! [`Steering`] models that: UTC(k) = master clock + s_k(t), with s_k piecewise linear and
//! continuous, applied to the free-running readings ([`Steering::apply`]) and updated from each
//! month's result ([`Steering::follow`]). Only the laboratories' local time scales change: the
//! clocks, and hence EAL, are the simulator's.

use std::collections::BTreeMap;

use crate::algos::{self, MonthResult};

/// Nanoseconds per day.
const NS_PER_DAY: f64 = 86_400e9;

/// How fast a laboratory brings its UTC(k) back to UTC: it steers so that the offset it sees at
/// the end of a month would be gone this many days later (a choice; laboratories steer gently,
/// over weeks, to keep UTC(k) smooth).
pub const STEERING_DAYS: f64 = 45.0;

/// One piece of a laboratory's steering: from `from` on, UTC(k) runs `rate` ns/day faster than
/// its free-running clock, starting from `offset_ns`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Segment {
    from: i64,
    offset_ns: f64,
    rate: f64,
}

/// One laboratory's steering and what it has learnt of its free-running clock.
#[derive(Debug, Default)]
struct LabSteering {
    segments: Vec<Segment>,
    /// The rate of [UTC − free-running clock] seen in the last month, ns/day.
    free_rate: Option<f64>,
}

/// The steering of every laboratory: UTC(k) = master clock + s(t), s piecewise linear and
/// continuous.
#[derive(Debug, Default)]
pub struct Steering {
    labs: BTreeMap<String, LabSteering>,
}

impl Steering {
    /// The segment of `lab` in force on `mjd`.
    fn segment(&self, lab: &str, mjd: i64) -> Option<&Segment> {
        self.labs
            .get(lab)
            .and_then(|l| l.segments.iter().rev().find(|s| s.from <= mjd))
    }

    /// s(t) of `lab`, ns (0 before its first segment).
    pub fn at(&self, lab: &str, mjd: i64) -> f64 {
        self.segment(lab, mjd)
            .map_or(0.0, |s| s.offset_ns + s.rate * (mjd - s.from) as f64)
    }

    /// From `from` on, `lab` runs `rate` ns/day faster than its free-running clock (the phase
    /// stays continuous).
    pub fn set_rate(&mut self, lab: &str, from: i64, rate: f64) {
        let offset_ns = self.at(lab, from);
        self.labs
            .entry(lab.to_string())
            .or_default()
            .segments
            .push(Segment {
                from,
                offset_ns,
                rate,
            });
    }

    /// The free-running data as the steered UTC(k) would have produced them: clock comparisons
    /// UTC(k) − clock gain s_k(t), links UTC(k) − UTC(pivot) gain s_k(t) − s_pivot(t), and a
    /// fountain's frequency of UTC(k) gains the mean rate of s_k over its interval.
    pub fn apply(&self, free: &algos::Inputs, month: u32) -> algos::Inputs {
        let mut inputs = free.clone();
        inputs.month = month;
        for r in &mut inputs.clocks {
            r.x_ns += self.at(&r.lab, r.mjd);
        }
        for l in &mut inputs.links {
            l.x_ns += self.at(&l.lab, l.mjd) - self.at(&l.pivot, l.mjd);
        }
        for p in &mut inputs.psfs {
            let days = (p.mjd_end - p.mjd_start) as f64;
            if days > 0.0 {
                let ds = self.at(&p.lab, p.mjd_end) - self.at(&p.lab, p.mjd_start);
                p.y += ds / (days * NS_PER_DAY);
            }
        }
        inputs
    }

    /// What each laboratory does on reading a month's Circular T. D = [UTC − UTC(k)] ends the
    /// month at o and changed at r ns/day while UTC(k) ran s ns/day faster than its clock, so
    /// [UTC − clock] changed at r + s; with the change of that rate since the previous month
    /// (the clock's drift, and changes of UTC's own frequency) it predicts the next month's and
    /// sets the steering so that D would reach zero T = [`STEERING_DAYS`] later.
    pub fn follow(&mut self, result: &MonthResult) {
        for lab in &result.labs {
            let known: Vec<(i64, f64)> = result
                .mjds
                .iter()
                .zip(&lab.utc_minus_utck_ns)
                .filter_map(|(&mjd, v)| v.map(|v| (mjd, v)))
                .collect();
            let (Some(&(m0, d0)), Some(&(m1, d1))) = (known.first(), known.last()) else {
                continue;
            };
            if m1 <= m0 {
                continue;
            }
            let r = (d1 - d0) / (m1 - m0) as f64;
            let steered = self.segment(&lab.lab, m0).map_or(0.0, |s| s.rate);
            let free = r + steered;
            let entry = self.labs.entry(lab.lab.clone()).or_default();
            let change = entry.free_rate.map_or(0.0, |previous| free - previous);
            entry.free_rate = Some(free);
            self.set_rate(&lab.lab, m1, free + change + d1 / STEERING_DAYS);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Steering;

    #[test]
    fn steering_is_continuous_and_piecewise_linear() {
        let mut s = Steering::default();
        assert_eq!(s.at("SIM-B", 60_309), 0.0);
        s.set_rate("SIM-B", 60_309, 2.0);
        s.set_rate("SIM-B", 60_339, -1.0);
        assert_eq!(s.at("SIM-B", 60_300), 0.0);
        assert_eq!(s.at("SIM-B", 60_319), 20.0);
        assert_eq!(s.at("SIM-B", 60_339), 60.0);
        assert_eq!(s.at("SIM-B", 60_349), 50.0);
        assert_eq!(s.at("SIM-C", 60_349), 0.0);
    }
}
