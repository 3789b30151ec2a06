//! `sevres time ...`: the time services from the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use serde_json::json;
use sevres_timescale::stability::{self, AveragingFactors, DataType, Kind};

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
    }
}
