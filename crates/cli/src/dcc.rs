//! `sevres dcc ...`: Digital Calibration Certificates from the command line — check them
//! (schema, semantic rules, signature, traceability to CMCs) and render them as HTML.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Subcommand;
use sevres_dcc::{Limits, Options, Report, Timestamp, TrustAnchors};

/// The `dcc` subcommands.
#[derive(Subcommand)]
pub(crate) enum DccCommand {
    /// Checks DCC files: prints one JSON object per file on its own line
    /// (`file`, `schema_version`, `valid`, `xsd_valid`, `errors`, `warnings`, `signature`,
    /// `traceability`); exit 0 when every file is valid, 1 otherwise.
    Check {
        /// Folder of trusted certificates (PEM or DER, one or more per file): a signature is
        /// `valid` only if its signer chains to one of them.
        #[arg(long)]
        trust: Option<PathBuf>,
        /// CMCs to check traceability against: a Sevres database (folder or `sevres.db`) or a
        /// KCDB 2.0 JSON or CSV file.
        #[arg(long)]
        cmcs: Option<PathBuf>,
        /// Time at which certificates must be valid (xs:dateTime, e.g. 2026-12-01T00:00:00Z);
        /// default: the signing time the signature declares.
        #[arg(long)]
        at: Option<String>,
        /// Largest file accepted, in MiB (larger files are refused without being read).
        #[arg(long, default_value_t = 64)]
        max_size_mib: usize,
        /// DCC files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Renders a DCC as an HTML page (to stdout) in one of the languages it declares.
    Render {
        /// ISO 639-1 language code; default: the DCC's first declared language.
        #[arg(long)]
        lang: Option<String>,
        /// The DCC file.
        file: PathBuf,
    },
}

pub(crate) fn run(command: DccCommand) -> anyhow::Result<ExitCode> {
    match command {
        DccCommand::Check {
            trust,
            cmcs,
            at,
            max_size_mib,
            files,
        } => {
            let anchors = trust.as_deref().map(read_trust_dir).transpose()?;
            let index = cmcs.as_deref().map(crate::cmc::open_index).transpose()?;
            let validation_time = at
                .as_deref()
                .map(|t| {
                    Timestamp::parse_xsd_datetime(t)
                        .with_context(|| format!("--at {t:?} is not an xs:dateTime"))
                })
                .transpose()?;
            let options = Options {
                limits: Limits {
                    max_size: max_size_mib.saturating_mul(1 << 20),
                    ..Limits::default()
                },
                cmcs: index.as_ref().map(|i| &i.registry),
                trust: anchors.as_ref(),
                validation_time,
                ..Options::default()
            };
            check_files(&files, &options)
        }
        DccCommand::Render { lang, file } => {
            let bytes = read_file(&file, &Limits::default())
                .map_err(|r| anyhow::anyhow!("{}: {}", file.display(), r.errors[0].message))?;
            let dcc = sevres_dcc::parse(&bytes, &Limits::default())
                .with_context(|| format!("reading {}", file.display()))?;
            let lang = match dcc.rendering_language(lang.as_deref()) {
                Ok(l) => l,
                Err(declared) => bail!(
                    "{} declares the languages {declared:?}, not {:?}",
                    file.display(),
                    lang.unwrap_or_default()
                ),
            };
            std::io::stdout().write_all(sevres_dcc::render_html(&dcc, &lang).as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Checks every file, on all cores, and prints the reports in the order of the arguments.
fn check_files(files: &[PathBuf], options: &Options<'_>) -> anyhow::Result<ExitCode> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len());
    let chunk = files.len().div_ceil(threads.max(1));
    let reports: Vec<Report> = std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(chunk.max(1))
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|f| check_file(f, options))
                        .collect::<Vec<Report>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect::<Vec<Report>>()
    });
    let mut out = std::io::stdout().lock();
    let mut all_valid = true;
    for (file, report) in files.iter().zip(&reports) {
        all_valid &= report.valid();
        writeln!(out, "{}", report.to_json(&file.display().to_string()))?;
    }
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn check_file(path: &Path, options: &Options<'_>) -> Report {
    match read_file(path, &options.limits) {
        Ok(bytes) => sevres_dcc::check_report(&bytes, options),
        Err(report) => report,
    }
}

/// Reads a file, refusing one larger than the limit before reading it (and, if it grew
/// meanwhile, after reading only the limit); a failure is an invalid report naming it.
fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, Report> {
    let refuse = |e: &sevres_dcc::InputError| Report::from_input_error(e);
    let file = std::fs::File::open(path)
        .map_err(|e| refuse(&sevres_dcc::InputError::Read(e.to_string())))?;
    if let Ok(meta) = file.metadata() {
        if meta.len() > limits.max_size as u64 {
            return Err(refuse(&sevres_dcc::InputError::TooLarge {
                size: usize::try_from(meta.len()).unwrap_or(usize::MAX),
                limit: limits.max_size,
            }));
        }
    }
    sevres_dcc::read_limited(file, limits.max_size).map_err(|e| refuse(&e))
}

/// Every certificate in the files of `dir` (PEM, possibly several per file, or DER): the
/// `--trust DIR` of `sevres dcc check` and the `--dcc-trust DIR` of `sevres serve`.
pub(crate) fn read_trust_dir(dir: &Path) -> anyhow::Result<TrustAnchors> {
    let mut anchors = TrustAnchors::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading the trust folder {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries.iter().filter(|p| p.is_file()) {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        anchors
            .add_pem_or_der(&bytes)
            .with_context(|| format!("{} holds no usable certificate", path.display()))?;
    }
    if anchors.is_empty() {
        bail!("the trust folder {} holds no certificate", dir.display());
    }
    Ok(anchors)
}
