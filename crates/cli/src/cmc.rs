//! `sevres cmc ...`: the CMC registry from the command line.
//!
//! * `search`: asks a registry — a KCDB 2.0 API JSON or CSV file, or a Sevres database — the
//!   questions of the API (words, facets, the value to be measured, the greatest acceptable
//!   expanded uncertainty, in any unit of their kind) and prints one JSON object.
//! * `convert`: KCDB 2.0 API JSON or CSV (or a database) to JSON, JSON-LD or CSV.
//! * `generate`: synthetic CMCs from the seeded generator of `sevres-cmc`.
//! * `import`: a JSON or CSV file into a server's database (one audited transaction).
//!
//! [`open_index`] reads any of those sources into a search index; it is what every command that
//! takes `--cmcs` uses.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Subcommand, ValueEnum};
use serde_json::{json, Value};
use sevres_cmc::export::record;
use sevres_cmc::{
    import_csv, import_json, to_csv, to_json, to_jsonld, Cmc, Facet, Grade, Import, Quantity,
    Query, Registry, UncertaintyLimit,
};
use sevres_store::{load_cmc_index, Actor, CmcIndex, CmcSource, SqliteStore, Store};

/// The `cmc` subcommands.
#[derive(Subcommand)]
pub(crate) enum CmcCommand {
    /// Search CMCs: prints `{"total", "hits": [{"kcdbCode", "grade", "uncertainty", "flags",
    /// "synthetic", "record"}], "facets"}`, the best first.
    Search {
        /// The CMCs: a KCDB 2.0 API JSON or CSV file, or a Sevres database (a data folder or its
        /// `sevres.db`).
        #[arg(long = "cmcs", visible_alias = "file", value_name = "PATH")]
        cmcs: PathBuf,
        /// Words that must all occur (a trailing `*` matches a prefix).
        #[arg(long)]
        text: Option<String>,
        /// A facet value, `quantity=DC voltage` (facets: area, branch, service, quantity,
        /// country, rmo, institute); repeat for several.
        #[arg(long = "facet", value_name = "NAME=VALUE", value_parser = parse_facet)]
        facets: Vec<(Facet, String)>,
        /// The value to be measured, `10 V`.
        #[arg(long)]
        at: Option<String>,
        /// The greatest acceptable expanded uncertainty at that value: `1 µV/V` (relative) or
        /// `10 µV` (absolute), at k = 2.
        #[arg(long = "max-u", value_name = "AMOUNT")]
        max_u: Option<String>,
        /// Leave out CMCs that only may meet the limit (limits without an equation).
        #[arg(long)]
        guaranteed_only: bool,
        /// Count the facet values over all matches.
        #[arg(long)]
        facet_counts: bool,
        /// Hits printed (the best first).
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Convert CMCs between formats; prints to stdout unless `--out` is given.
    Convert {
        /// KCDB 2.0 API JSON or CSV (by extension, else by content), or a Sevres database.
        input: PathBuf,
        /// The format written.
        #[arg(long)]
        to: Format,
        /// Write here instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Generate synthetic CMCs (the same seed gives the same CMCs); prints them.
    Generate {
        /// How many.
        #[arg(long, default_value_t = 1000)]
        count: usize,
        /// The seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The format written.
        #[arg(long, default_value = "json")]
        to: Format,
    },
    /// Import a KCDB 2.0 API JSON or CSV file into a server's database (new codes added, known
    /// ones replaced; one transaction, audited as the command line); prints what was done.
    Import {
        /// The file.
        file: PathBuf,
        /// Folder of the database, as for `sevres serve`.
        #[arg(long, default_value = "./sevres-data")]
        data: PathBuf,
        /// What the import is recorded as (default: the file name).
        #[arg(long)]
        source: Option<String>,
        /// The CMCs are synthetic (generated), not published by the KCDB.
        #[arg(long)]
        synthetic: bool,
    },
}

/// A CMC file format.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// KCDB 2.0 API records.
    Json,
    /// JSON-LD (schema.org Services).
    Jsonld,
    /// One row per CMC.
    Csv,
}

fn parse_facet(text: &str) -> Result<(Facet, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?}: expected NAME=VALUE"))?;
    let facet = Facet::from_name(name).ok_or_else(|| {
        format!("unknown facet {name:?}: use area, branch, service, quantity, country, rmo or institute")
    })?;
    Ok((facet, value.trim().to_string()))
}

pub(crate) fn run(command: CmcCommand) -> anyhow::Result<ExitCode> {
    match command {
        CmcCommand::Search {
            cmcs,
            text,
            facets,
            at,
            max_u,
            guaranteed_only,
            facet_counts,
            limit,
        } => {
            let mut q = Query::new().limit(limit.max(1));
            q.text = text;
            q.facets = facets;
            q.guaranteed_only = guaranteed_only;
            q.facet_counts = facet_counts;
            if let Some(at) = &at {
                q.measurand = Some(Quantity::parse(at).with_context(|| format!("--at {at:?}"))?);
            }
            if let Some(u) = &max_u {
                let amount = Quantity::parse(u).with_context(|| format!("--max-u {u:?}"))?;
                q.uncertainty = Some(UncertaintyLimit::new(amount));
            }
            let index = open_index(&cmcs)?;
            let answer = index.registry.search(&q).context("the question")?;
            let unit = q.measurand.as_ref().map(|m| {
                (
                    m.unit.text.clone(),
                    m.unit.scale.interval_to_si(1.0),
                    m.to_si().abs(),
                )
            });
            let hits: Vec<Value> = answer
                .hits
                .iter()
                .filter_map(|h| {
                    let c = index.registry.get(h.index)?;
                    let uncertainty =
                        h.uncertainty.zip(unit.as_ref()).map(|(u, (text, one, x))| {
                            let rel = |v: f64| (*x > 0.0).then(|| v / x);
                            json!({"low": u.low / one, "high": u.high / one, "unit": text,
                               "relativeLow": rel(u.low), "relativeHigh": rel(u.high)})
                        });
                    Some(json!({
                        "kcdbCode": c.kcdb_code.as_str(),
                        "grade": match h.grade {
                            Grade::Meets => "meets",
                            Grade::MayMeet => "may-meet",
                            Grade::Unassessed => "unassessed",
                        },
                        "uncertainty": uncertainty,
                        "synthetic": index.is_synthetic(h.index),
                        "record": Value::Object(record(c)),
                    }))
                })
                .collect();
            let mut out = json!({"total": answer.total, "hits": hits});
            if facet_counts {
                out["facets"] = answer
                    .facets
                    .iter()
                    .map(|(f, v)| (f.name().to_string(), json!(v)))
                    .collect::<serde_json::Map<_, _>>()
                    .into();
            }
            println!("{out}");
            Ok(ExitCode::SUCCESS)
        }
        CmcCommand::Convert { input, to, out } => {
            let cmcs = open_index(&input)?.registry.cmcs().to_vec();
            write(&cmcs, to, out.as_deref())
        }
        CmcCommand::Generate { count, seed, to } => {
            write(&sevres_cmc::generate::generate(seed, count), to, None)
        }
        CmcCommand::Import {
            file,
            data,
            source,
            synthetic,
        } => {
            let read = read_file(&file)?;
            if read.cmcs.is_empty() {
                bail!("{}: no CMC could be read", file.display());
            }
            let source = CmcSource {
                description: source.unwrap_or_else(|| {
                    file.file_name().map_or_else(
                        || file.display().to_string(),
                        |n| n.to_string_lossy().into(),
                    )
                }),
                synthetic,
            };
            let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
            let import = runtime.block_on(async {
                let store = SqliteStore::open(&data)
                    .await
                    .with_context(|| format!("opening the database in {}", data.display()))?;
                let actor = Actor::System("command line".into());
                anyhow::Ok(store.put_cmcs(&actor, &source, &read.cmcs).await?)
            })?;
            println!(
                "{}",
                json!({
                    "import": import.id,
                    "source": import.source,
                    "synthetic": import.synthetic,
                    "count": import.count,
                    "added": import.added,
                    "replaced": import.replaced,
                    "generation": import.generation,
                    "rejected": read.rejected.iter().map(|r| json!({
                        "record": r.record, "line": r.line, "field": r.field, "reason": r.reason,
                    })).collect::<Vec<_>>(),
                    "warnings": read.warnings.len(),
                })
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn write(cmcs: &[Cmc], to: Format, out: Option<&Path>) -> anyhow::Result<ExitCode> {
    let text = match to {
        Format::Json => to_json(cmcs),
        Format::Jsonld => to_jsonld(cmcs),
        Format::Csv => to_csv(cmcs),
    };
    match out {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            if !text.ends_with('\n') {
                stdout.write_all(b"\n")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The first bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// Reads a KCDB 2.0 API JSON or CSV file (by extension, else JSON when it starts with `{` or
/// `[`); fails when the file does not read at all, reports rejected records otherwise.
fn read_file(path: &Path) -> anyhow::Result<Import> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let text = text.trim_start_matches('\u{feff}');
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let json = match ext.as_deref() {
        Some("json") => true,
        Some("csv") => false,
        _ => text.trim_start().starts_with(['{', '[']),
    };
    let read = if json {
        import_json(text)
    } else {
        import_csv(text)
    };
    read.with_context(|| format!("in {}", path.display()))
}

/// Opens the CMCs at `path` as a search index: a Sevres database (a data folder holding
/// `sevres.db`, or the database file itself; read as stored, synthetic flags included) or a KCDB
/// 2.0 API JSON or CSV file (its CMCs counted as published, generation 0).
pub(crate) fn open_index(path: &Path) -> anyhow::Result<CmcIndex> {
    let database = if path.is_dir() {
        let file = path.join("sevres.db");
        if !file.is_file() {
            bail!("{} holds no Sevres database (sevres.db)", path.display());
        }
        Some(file)
    } else {
        let mut head = [0u8; 16];
        let n = std::io::Read::read(
            &mut std::fs::File::open(path)
                .with_context(|| format!("opening {}", path.display()))?,
            &mut head,
        )?;
        (head[..n] == *SQLITE_MAGIC).then(|| path.to_path_buf())
    };
    match database {
        Some(file) => {
            let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
            runtime.block_on(async {
                let store = SqliteStore::open_file(&file)
                    .await
                    .with_context(|| format!("opening the database {}", file.display()))?;
                let index = load_cmc_index(&store as &dyn Store)
                    .await
                    .with_context(|| format!("reading the CMCs of {}", file.display()))?;
                Ok(index)
            })
        }
        None => {
            let read = read_file(path)?;
            let n = read.cmcs.len();
            Ok(CmcIndex {
                generation: 0,
                registry: Registry::new(read.cmcs),
                synthetic: vec![false; n],
            })
        }
    }
}
