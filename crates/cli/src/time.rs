//! `sevres time ...`: the time services from the command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use serde_json::{json, Value};
use sevres_timescale::algos::{self, MonthResult, State};
use sevres_timescale::cggtts;
use sevres_timescale::leap::LeapTable;
use sevres_timescale::stability::{self, AveragingFactors, DataType, Kind};
use sevres_timescale::{calendar, inputs};

/// The `time` subcommands.
#[derive(Subcommand)]
pub(crate) enum TimeCommand {
    /// Frequency stability of a series: prints a JSON array of
    /// `{"tau", "dev", "n", "ci_low", "ci_high"}` (intervals at 68.3 %, as Stable32).
    Stability {
        /// adev, oadev, mdev, tdev, hdev, ohdev, totdev, mtotdev, ttotdev, htotdev, theo1,
        /// tierms or mtie.
        #[arg(long)]
        kind: Kind,
        /// `phase` (time error, seconds) or `freq` (fractional frequency).
        #[arg(long)]
        data: DataType,
        /// Sampling interval of the data, in seconds.
        #[arg(long)]
        tau0: f64,
        /// Averaging factors: octave, decade, all, or a comma-separated list such as 1,2,5,10.
        #[arg(long, default_value = "octave")]
        af: AveragingFactors,
        /// One value per line; `#` starts a comment; `nan` marks a gap.
        file: PathBuf,
    },
    /// The monthly UTC computation (ALGOS, TAI steering, UTC).
    #[command(subcommand)]
    Utc(UtcCommand),
    /// CGGTTS time-transfer files.
    #[command(subcommand)]
    Cggtts(CggttsCommand),
    /// TAI − UTC at a UTC date and time (23:59:60 accepted at a leap second): prints
    /// `{"tai_minus_utc": N}`.
    Leap {
        /// Leap-second table: IERS `leap-seconds.list`, tzdata `leapseconds` or NAIF LSK.
        #[arg(long)]
        table: PathBuf,
        /// UTC as ISO 8601, e.g. 2016-12-31T23:59:60.
        #[arg(long)]
        utc: String,
    },
}

/// `sevres time utc ...`.
#[derive(Subcommand)]
pub(crate) enum UtcCommand {
    /// Computes one month of EAL, TAI and UTC and prints Circular T.
    Compute {
        /// Clock readings: CSV `mjd,lab,clock,x_ns` (x = UTC(lab) − clock, ns) or the BIPM
        /// clock-data format (told apart by their first data line; see --clocks-format).
        #[arg(long)]
        clocks: PathBuf,
        /// Format of --clocks: auto (default), csv or bipm.
        #[arg(long, value_enum, default_value_t = ClocksFormat::Auto)]
        clocks_format: ClocksFormat,
        /// Laboratory acronym of a 5-digit code in BIPM clock data, CODE=LAB (repeatable);
        /// other codes take the acronym of the file's jump lines, or stay as the code.
        #[arg(long = "lab-code", value_name = "CODE=LAB")]
        lab_codes: Vec<String>,
        /// Time links, CSV `mjd,lab,pivot,x_ns,ua_ns,ub_ns` (x = UTC(lab) − UTC(pivot), ns).
        #[arg(long)]
        links: PathBuf,
        /// Frequency-standard evaluations, CSV `mjd_start,mjd_end,standard,lab,y,u_y`.
        #[arg(long)]
        psfs: PathBuf,
        /// Leap-second table (IERS list, tzdata or NAIF LSK).
        #[arg(long)]
        leap: PathBuf,
        /// The month, YYYY-MM.
        #[arg(long)]
        month: String,
        /// Folder holding the clocks' state between months (`state.txt`; read when present,
        /// then written for the next month).
        #[arg(long)]
        state: Option<PathBuf>,
        /// json (default), text (the published layout of Circular T) or csv (section 1, then
        /// sections 2, 3 and 5 after `#section=N` lines).
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

/// Format of the clock data of `utc compute`.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ClocksFormat {
    Auto,
    Csv,
    Bipm,
}

/// Output format of `utc compute`.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Json,
    Text,
    Csv,
}

/// `sevres time cggtts ...`.
#[derive(Subcommand)]
pub(crate) enum CggttsCommand {
    /// Checks a CGGTTS V2E file (format, header and track checksums, BIPM track schedule):
    /// prints `{"valid", "tracks", "errors": [{"line", "message"}]}`; exit 0 when valid.
    Check {
        /// The file.
        file: PathBuf,
    },
    /// Common-view time transfer between two stations' files: prints a JSON array of
    /// `{"mjd", "start_s", "satellites", "mean_ns", "std_ns"}`, REF(A) − REF(B) per track epoch
    /// (the mean over the satellites seen by both of REFSYS(A) − REFSYS(B)).
    CommonView {
        /// Station A's CGGTTS file.
        a: PathBuf,
        /// Station B's CGGTTS file.
        b: PathBuf,
    },
}

pub(crate) fn run(command: TimeCommand) -> anyhow::Result<ExitCode> {
    match command {
        TimeCommand::Stability {
            kind,
            data,
            tau0,
            af,
            file,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let series =
                stability::parse_series(&text).with_context(|| format!("in {}", file.display()))?;
            let points = stability::deviation(kind, &series, data, tau0, &af)?;
            let rows: Vec<_> = points
                .iter()
                .map(|p| {
                    json!({
                        "tau": p.tau,
                        "dev": p.dev,
                        "n": p.n,
                        "ci_low": p.ci_low,
                        "ci_high": p.ci_high,
                    })
                })
                .collect();
            println!("{}", serde_json::Value::Array(rows));
            Ok(ExitCode::SUCCESS)
        }
        TimeCommand::Utc(UtcCommand::Compute {
            clocks,
            clocks_format,
            lab_codes,
            links,
            psfs,
            leap,
            month,
            state,
            format,
        }) => utc_compute(
            &clocks,
            clocks_format,
            &lab_codes,
            &links,
            &psfs,
            &leap,
            &month,
            state.as_deref(),
            format,
        ),
        TimeCommand::Cggtts(CggttsCommand::Check { file }) => {
            let text = read(&file)?;
            let report = cggtts::check(&file.display().to_string(), &text);
            let errors: Vec<Value> = report
                .problems
                .iter()
                .map(|p| json!({ "line": p.line, "message": p.message }))
                .collect();
            let out = json!({
                "valid": report.valid,
                "tracks": report.tracks,
                "header_checksum": report.header_checksum.map(|c| c.name()),
                "errors": errors,
            });
            println!("{out}");
            Ok(if report.valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        TimeCommand::Cggtts(CggttsCommand::CommonView { a, b }) => {
            let read_cggtts = |file: &Path| -> anyhow::Result<cggtts::Cggtts> {
                Ok(cggtts::Cggtts::parse(
                    &file.display().to_string(),
                    &read(file)?,
                )?)
            };
            let epochs = cggtts::common_view(&read_cggtts(&a)?, &read_cggtts(&b)?);
            let rows: Vec<Value> = epochs
                .iter()
                .map(|e| {
                    json!({
                        "mjd": e.mjd,
                        "start_s": e.start_s,
                        "satellites": e.n,
                        "mean_ns": e.mean_ns,
                        "std_ns": e.std_ns,
                    })
                })
                .collect();
            println!("{}", Value::Array(rows));
            Ok(ExitCode::SUCCESS)
        }
        TimeCommand::Leap { table, utc } => {
            let table = LeapTable::parse(&read(&table)?)
                .with_context(|| format!("in {}", table.display()))?;
            let seconds = table.tai_minus_utc(&utc)?;
            println!("{}", json!({ "tai_minus_utc": seconds }));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn read(file: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))
}

/// The state file inside `--state DIR`.
const STATE_FILE: &str = "state.txt";

/// Clock readings from CSV or the BIPM clock-data format.
fn read_clock_data(
    file: &Path,
    format: ClocksFormat,
    lab_codes: &[String],
) -> anyhow::Result<Vec<inputs::ClockReading>> {
    let text = read(file)?;
    let name = file.display().to_string();
    let bipm = match format {
        ClocksFormat::Auto => inputs::looks_like_bipm_clocks(&text),
        ClocksFormat::Csv => false,
        ClocksFormat::Bipm => true,
    };
    if !bipm {
        return Ok(inputs::read_clocks(&name, &text)?);
    }
    let names = lab_codes
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(code, lab)| (code.trim().to_string(), lab.trim().to_string()))
                .ok_or_else(|| anyhow::anyhow!("--lab-code {pair}: expected CODE=LAB"))
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(inputs::read_bipm_clocks(&name, &text, &names)?.readings)
}

#[allow(clippy::too_many_arguments)]
fn utc_compute(
    clocks: &Path,
    clocks_format: ClocksFormat,
    lab_codes: &[String],
    links: &Path,
    psfs: &Path,
    leap: &Path,
    month: &str,
    state_dir: Option<&Path>,
    format: Format,
) -> anyhow::Result<ExitCode> {
    let (year, month_number) = calendar::parse_year_month(month)
        .with_context(|| format!("--month {month}: expected YYYY-MM"))?;
    let name = |p: &Path| p.display().to_string();
    let month_inputs = algos::Inputs {
        year,
        month: month_number,
        clocks: read_clock_data(clocks, clocks_format, lab_codes)?,
        links: inputs::read_links(&name(links), &read(links)?)?,
        psfs: inputs::read_psfs(&name(psfs), &read(psfs)?)?,
        leap: LeapTable::parse(&read(leap)?).with_context(|| format!("in {}", leap.display()))?,
        locations: Default::default(),
    };
    let state_file = state_dir.map(|d| d.join(STATE_FILE));
    let state = match &state_file {
        Some(file) if file.exists() => {
            State::from_text(&read(file)?).with_context(|| format!("in {}", file.display()))?
        }
        _ => State::new(),
    };
    let (result, next) = algos::compute_month(&month_inputs, &state, &algos::Config::default())?;
    if let (Some(dir), Some(file)) = (state_dir, &state_file) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        // Written to a temporary file then renamed, so a crash never leaves a torn state.
        let partial = file.with_extension("txt.partial");
        std::fs::write(&partial, next.to_text())
            .with_context(|| format!("writing {}", partial.display()))?;
        std::fs::rename(&partial, file).with_context(|| format!("writing {}", file.display()))?;
    }
    match format {
        Format::Json => println!("{}", circular_t_json(&result)),
        Format::Text => print!("{}", result.circular_t_text()),
        Format::Csv => print!("{}", result.circular_t().render_csv()),
    }
    Ok(ExitCode::SUCCESS)
}

/// Circular T as JSON: section 1 ([UTC − UTC(k)] per laboratory and date, with uA, uB, u), the
/// EAL/TAI frequency figures, sections 2, 3 (with the PSFS evaluations) and 5, the leap second,
/// the clocks and the steps found.
fn circular_t_json(r: &MonthResult) -> Value {
    let ct = r.circular_t();
    let section1 = &ct.section1;
    let pair = |p: Option<(f64, f64)>| p.map(|(value, u)| json!({ "value": value, "u": u }));
    json!({
        "year": r.year,
        "month": r.month,
        "mjd": r.mjds,
        "tai_minus_utc_s": section1.tai_minus_utc_s,
        "tai_minus_utc_note": section1.tai_minus_utc_note,
        "pivot": r.pivot,
        "eal_minus_pivot_ns": r.eal_minus_pivot_ns,
        "tai_minus_eal_ns": r.tai_minus_eal_ns,
        "section1": section1.rows.iter().map(|row| json!({
            "lab": row.lab,
            "utc_minus_utck_ns": row.values,
            "ua_ns": row.ua_ns,
            "ub_ns": row.ub_ns,
            "u_ns": row.u_ns,
        })).collect::<Vec<_>>(),
        "frequency": {
            "eal_minus_tai": r.frequency.eal_minus_tai,
            "eal_minus_tai_next": r.frequency.eal_minus_tai_next,
            "y_eal_month": pair(r.frequency.y_eal_month),
            "y_eal": pair(r.frequency.y_eal),
            "d": pair(r.frequency.d),
            "birge_ratio": r.frequency.birge_ratio,
            "evaluations": r.frequency.evaluations,
        },
        "section2": {
            "intervals": ct.section2.intervals.iter().map(|(a, b, v)| json!({
                "mjd_start": a, "mjd_end": b, "eal_minus_tai": v,
            })).collect::<Vec<_>>(),
            "next": { "mjd": ct.section2.next.0, "eal_minus_tai": ct.section2.next.1 },
        },
        "section3": {
            "mjd_start": ct.section3.period.0, "mjd_end": ct.section3.period.1,
            "d": pair(ct.section3.d), "birge_ratio": ct.section3.birge_ratio,
            "evaluations": ct.section3.evaluations,
        },
        "section5": ct.section5.rows.iter().map(|l| json!({
            "lab": l.lab, "pivot": l.pivot, "type": l.kind, "ua_ns": l.ua_ns, "ub_ns": l.ub_ns,
        })).collect::<Vec<_>>(),
        "leap_second": ct.leap_second.map(|l| json!({
            "mjd": l.mjd, "tai_minus_utc_s": l.tai_minus_utc_s, "previous_s": l.previous_s,
        })),
        "psfs": r.psfs.iter().map(|p| json!({
            "standard": p.standard, "lab": p.lab, "mjd_start": p.mjd_start, "mjd_end": p.mjd_end,
            "y": p.y_lab, "u_y": p.u_y, "y_eal": p.y_eal, "u_total": p.u_total,
            "u_a": p.u_a, "u_b": p.u_b, "u_l_lab": p.u_l_lab, "u_l_tai": p.u_l_tai,
            "d": p.d, "weight": p.weight, "unused_reason": p.unused_reason,
        })).collect::<Vec<_>>(),
        "clocks": r.clocks.iter().map(|c| json!({
            "lab": c.lab, "clock": c.clock, "status": format!("{:?}", c.status).to_lowercase(),
            "weight": c.weight, "capped": c.capped, "frequency": c.frequency,
            "drift_per_day": c.drift_per_day, "sigma": c.sigma,
        })).collect::<Vec<_>>(),
        "steps": r.steps.iter().map(|s| json!({
            "lab": s.lab, "clock": s.clock, "mjd": s.mjd, "size": s.size,
            "significance": s.significance,
        })).collect::<Vec<_>>(),
        "max_relative_weight": r.max_relative_weight,
        "weighted_clocks": r.weighted_clocks,
    })
}
