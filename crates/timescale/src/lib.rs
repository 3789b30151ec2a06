//! Sevres timescale: pure time-scale computations for the metrology
//! community (no I/O, no async; strings, slices and values in, values out).
//!
//! Modules:
//! * [`stability`] — frequency-stability statistics (Allan family, total and
//!   Théo variances, TIE/MTIE) with Stable32-compatible confidence intervals.
//! * [`calendar`] — civil dates ↔ MJD, UTC labels (23:59:60 included).
//! * [`leap`] — leap-second tables (IERS list, tzdata, NAIF LSK), TAI − UTC,
//!   continuous-UTC mode.
//! * [`inputs`] — CSV readers/writers for clock, link and PSFS data, and the
//!   BIPM clock-data format.
//! * [`algos`] — the monthly computation: EAL (ALGOS), TAI steering and d,
//!   UTC and [UTC − UTC(k)] with uncertainties; UTCr on a daily grid.
//! * [`circular_t`] — Circular T (sections 1, 2, 3, 5 and the leap second) as
//!   data, text and CSV.
//! * [`sim`] — seeded clock-ensemble simulator with known truth.
//! * [`cggtts`] — CGGTTS V2E read/check/write, BIPM schedule, common view.
//! * [`tfex`] — reader for the BIPM TFEX exchange format.
//! * [`tt`] — TT(BIPMyy) from TAI: extension formula, integration of d.
//!
//! Entry points for `sevres time utc compute --clocks F --links F --psfs F
//! --leap F --month YYYY-MM [--state DIR]`:
//!
//! ```
//! use sevres_timescale::{algos, inputs, leap};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let (clocks_csv, links_csv, psfs_csv) = (
//! #     "mjd,lab,clock,x_ns\n60309,PTB,H1,0\n60314,PTB,H1,1\n60319,PTB,H1,2\n60324,PTB,H1,3\n60329,PTB,H1,4\n60334,PTB,H1,5\n60339,PTB,H1,6\n",
//! #     "mjd,lab,pivot,x_ns,ua_ns,ub_ns\n60309,PTB,PTB,0,0,0\n",
//! #     "mjd_start,mjd_end,standard,lab,y,u_y\n");
//! # let leap_text = "Leap 2016 Dec 31 23:59:60 + S\n";
//! let (year, month) = sevres_timescale::calendar::parse_year_month("2024-01").unwrap();
//! let month_inputs = algos::Inputs {
//!     year,
//!     month,
//!     clocks: inputs::read_clocks("clocks.csv", clocks_csv)?,
//!     links: inputs::read_links("links.csv", links_csv)?,
//!     psfs: inputs::read_psfs("psfs.csv", psfs_csv)?,
//!     leap: leap::LeapTable::parse(leap_text)?,
//!     locations: Default::default(),
//! };
//! let state = algos::State::new(); // or State::from_text(previous state file)
//! let (result, next) = algos::compute_month(&month_inputs, &state, &algos::Config::default())?;
//! let _circular_t: String = result.circular_t_text();
//! let _csv: String = result.section1().render_csv();
//! let _state_file: String = next.to_text();
//! # Ok(())
//! # }
//! ```

pub mod algos;
pub mod calendar;
pub mod cggtts;
pub mod circular_t;
pub mod inputs;
pub mod leap;
pub mod sim;
pub mod stability;
pub mod tfex;
pub mod tt;
