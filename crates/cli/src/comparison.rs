//! `sevres comparison ...`: key-comparison analysis from the command line.
//!
//! Reads a comparison data set (JSON in the format of the test data, CSV, or an Excel workbook),
//! runs one reference-value estimator of `sevres-comparison` on it and prints one JSON object.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Subcommand;
use serde::Serialize;
use serde_json::json;
use sevres_comparison::{analyse, bilateral, Analysis, BilateralMatrix, Label, Method, Options};
use sevres_kcdb::{import_csv, import_json, import_xlsx, ComparisonData};

/// The `comparison` subcommands.
#[derive(Subcommand)]
pub(crate) enum ComparisonCommand {
    /// Reference value, consistency and degrees of equivalence of one data set: prints one JSON
    /// object (`method`, `kcrv`, `u_kcrv`, `tau`, `chi2`, `dof`, `p_value`, `birge_ratio`,
    /// `consistent`, `excluded`, `doe`, `bilateral`).
    Analyse {
        /// JSON (`id`, `unit`, `participants`: `lab`, `x`, `u`, ...), CSV (one row per
        /// participant, header `lab,x,u,...`) or Excel (.xlsx, first sheet, same columns).
        file: PathBuf,
        /// mean, weighted-mean, procedure-a, median, procedure-b, dl, pm, pmm or linear-pool.
        #[arg(long)]
        method: Method,
        /// Leave this participant out of the reference value (it still gets its DoE).
        #[arg(long = "exclude", value_name = "LAB")]
        excluded: Vec<String>,
        /// Monte Carlo draws for procedure-b and linear-pool.
        #[arg(long, default_value_t = Options::default().draws)]
        draws: usize,
        /// Seed of the Monte Carlo generator: the same seed gives the same figures.
        #[arg(long, default_value_t = Options::default().seed)]
        seed: u64,
        /// Knapp–Hartung adjustment for dl and pm.
        #[arg(long)]
        knapp_hartung: bool,
        /// Coverage factor of the expanded uncertainties U_d.
        #[arg(long, default_value_t = Options::default().coverage_factor)]
        coverage_factor: f64,
    },
    /// Many data sets at once: reads JSON Lines on stdin (one data set per line, in the JSON
    /// format of `analyse`) and writes one line per input line, in order: the analysis, as
    /// `analyse` prints it (without `bilateral` unless asked), or `{"error": "..."}`.
    Batch {
        /// The estimator, as for `analyse`.
        #[arg(long)]
        method: Method,
        /// Monte Carlo draws for procedure-b and linear-pool.
        #[arg(long, default_value_t = Options::default().draws)]
        draws: usize,
        /// Seed of the Monte Carlo generator.
        #[arg(long, default_value_t = Options::default().seed)]
        seed: u64,
        /// Include the bilateral DoE matrices (n² entries per data set; left out by default).
        #[arg(long)]
        bilateral: bool,
    },
}

pub(crate) fn run(command: ComparisonCommand) -> anyhow::Result<ExitCode> {
    match command {
        ComparisonCommand::Analyse {
            file,
            method,
            excluded,
            draws,
            seed,
            knapp_hartung,
            coverage_factor,
        } => {
            let mut data = read_data(&file)?;
            for lab in &excluded {
                let Some(participant) =
                    data.input.participants.iter_mut().find(|p| *p.lab == **lab)
                else {
                    bail!(
                        "--exclude {lab}: no participant of that name in {}",
                        file.display()
                    );
                };
                participant.in_reference = false;
            }
            let options = Options {
                draws,
                seed,
                knapp_hartung,
                coverage_factor,
                ..Options::default()
            };
            let analysis = analyse(&data.input, method, &options)?;
            let matrix = bilateral(&data.input, &options)?;
            for warning in &data.warnings {
                eprintln!("sevres: warning: {warning}");
            }
            let out = AnalysisOut::new(&analysis, Some(&matrix), &options);
            println!("{}", serde_json::to_string(&out)?);
            Ok(ExitCode::SUCCESS)
        }
        ComparisonCommand::Batch {
            method,
            draws,
            seed,
            bilateral: with_bilateral,
        } => {
            let options = Options {
                draws,
                seed,
                ..Options::default()
            };
            let stdin = std::io::stdin().lock();
            let mut out_buffer = std::io::BufWriter::new(std::io::stdout().lock());
            for (index, line) in stdin.lines().enumerate() {
                let line = line.context("reading stdin")?;
                let evaluated = import_json(&line)
                    .map_err(|e| e.to_string())
                    .and_then(|data| {
                        let analysis =
                            analyse(&data.input, method, &options).map_err(|e| e.to_string())?;
                        let matrix = with_bilateral
                            .then(|| bilateral(&data.input, &options))
                            .transpose()
                            .map_err(|e| e.to_string())?;
                        Ok((analysis, matrix))
                    });
                match &evaluated {
                    Ok((analysis, matrix)) => {
                        let out = AnalysisOut::new(analysis, matrix.as_ref(), &options);
                        serde_json::to_writer(&mut out_buffer, &out)?;
                    }
                    Err(error) => {
                        let line = json!({ "error": format!("line {}: {error}", index + 1) });
                        serde_json::to_writer(&mut out_buffer, &line)?;
                    }
                }
                out_buffer.write_all(b"\n")?;
            }
            out_buffer.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Reads a data set, choosing the reader from the file's extension (JSON when unknown).
fn read_data(file: &Path) -> anyhow::Result<ComparisonData> {
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let id = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("comparison");
    let data = match extension.as_str() {
        "xlsx" | "xlsm" => {
            let bytes =
                std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            import_xlsx(id, &bytes)
        }
        _ => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            if extension == "csv" {
                import_csv(id, &text)
            } else {
                import_json(&text)
            }
        }
    };
    data.with_context(|| format!("in {}", file.display()))
}

/// The stable JSON shape of an analysis (README, "key comparisons"), serialised straight from
/// these borrowed views. Non-finite numbers (an `E_n` with `U_d = 0`) become `null`.
#[derive(Serialize)]
struct AnalysisOut<'a> {
    method: &'static str,
    kcrv: f64,
    u_kcrv: f64,
    tau: f64,
    chi2: f64,
    dof: usize,
    p_value: f64,
    birge_ratio: f64,
    consistent: bool,
    excluded: &'a [Label],
    dropped: &'a [Label],
    coverage_interval: Option<CoverageOut>,
    draws: Option<usize>,
    seed: Option<u64>,
    doe: Vec<DoeOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bilateral: Option<BilateralOut<'a>>,
}

#[derive(Serialize)]
struct CoverageOut {
    low: f64,
    high: f64,
    probability: f64,
}

#[derive(Serialize)]
struct DoeOut<'a> {
    lab: &'a str,
    in_reference: bool,
    d: f64,
    u_d: f64,
    #[serde(rename = "U_d")]
    expanded_u_d: f64,
    en: f64,
}

/// The bilateral degrees of equivalence as row-major matrices.
#[derive(Serialize)]
struct BilateralOut<'a> {
    labs: &'a [Label],
    coverage_factor: f64,
    d: Vec<Vec<Option<f64>>>,
    u_d: Vec<Vec<Option<f64>>>,
    #[serde(rename = "U_d")]
    expanded_u_d: Vec<Vec<Option<f64>>>,
}

impl<'a> AnalysisOut<'a> {
    fn new(
        analysis: &'a Analysis,
        matrix: Option<&'a BilateralMatrix>,
        options: &Options,
    ) -> AnalysisOut<'a> {
        let monte_carlo = analysis.method.is_monte_carlo();
        AnalysisOut {
            method: analysis.method.name(),
            kcrv: analysis.kcrv,
            u_kcrv: analysis.u_kcrv,
            tau: analysis.tau,
            chi2: analysis.chi2,
            dof: analysis.dof,
            p_value: analysis.p_value,
            birge_ratio: analysis.birge_ratio,
            consistent: analysis.consistent,
            excluded: &analysis.excluded,
            dropped: &analysis.dropped,
            coverage_interval: analysis.coverage_interval.map(|c| CoverageOut {
                low: c.low,
                high: c.high,
                probability: c.probability,
            }),
            draws: monte_carlo.then_some(options.draws),
            seed: monte_carlo.then_some(options.seed),
            doe: analysis
                .doe
                .iter()
                .map(|d| DoeOut {
                    lab: &d.lab,
                    in_reference: d.in_reference,
                    d: d.d,
                    u_d: d.u_d,
                    expanded_u_d: d.expanded_u_d,
                    en: d.en,
                })
                .collect(),
            bilateral: matrix.map(|m| {
                let grid = |cell: &dyn Fn(usize, usize) -> Option<f64>| {
                    (0..m.len())
                        .map(|i| (0..m.len()).map(|j| cell(i, j)).collect())
                        .collect()
                };
                BilateralOut {
                    labs: &m.labs,
                    coverage_factor: m.coverage_factor,
                    d: grid(&|i, j| m.d(i, j)),
                    u_d: grid(&|i, j| m.u(i, j)),
                    expanded_u_d: grid(&|i, j| m.expanded(i, j)),
                }
            }),
        }
    }
}
