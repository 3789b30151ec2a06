//! `sevres serve`: opens (creating on first start) the database in the data folder, loads the
//! built-in reference data, and serves the API and the web pages until SIGINT or SIGTERM.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use sevres_server::AppState;
use sevres_store::SqliteStore;

/// Arguments of `sevres serve`.
#[derive(Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Folder of the embedded database (created on first start).
    #[arg(long, default_value = "./sevres-data")]
    data: PathBuf,
    /// Write logs as JSON lines instead of text.
    #[arg(long)]
    log_json: bool,
    /// A current leap-second table (IERS `leap-seconds.list`, tzdata `leapseconds` or NAIF LSK)
    /// for `/api/v1/time/leap`, instead of the built-in one, which expires.
    #[arg(long, value_name = "FILE")]
    leap: Option<PathBuf>,
    /// Folder of trusted certificates (PEM or DER, one or more per file) for
    /// `/api/v1/dcc/check` and the `/dcc` page: a DCC's signature is `valid` only if its signer
    /// chains to one of them (without it, signed DCCs are at best `untrusted`).
    #[arg(long, value_name = "DIR")]
    dcc_trust: Option<PathBuf>,
}

pub(crate) fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SEVRES_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info"));
    let subscriber = tracing_subscriber::fmt().with_env_filter(filter);
    if args.log_json {
        subscriber.json().init();
    } else {
        subscriber.init();
    }
    let leap = match &args.leap {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            let table = sevres_timescale::leap::LeapTable::parse(&text)
                .with_context(|| format!("in {}", file.display()))?;
            Some(table)
        }
        None => None,
    };
    let dcc_trust = args
        .dcc_trust
        .as_deref()
        .map(crate::dcc::read_trust_dir)
        .transpose()?;
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let store = SqliteStore::open(&args.data)
            .await
            .with_context(|| format!("opening the database in {}", args.data.display()))?;
        sevres_server::load_reference_data(&store)
            .await
            .context("loading the built-in reference data (SI, key comparisons)")?;
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("listening on {}", args.addr))?;
        tracing::info!(data = %args.data.display(), "database ready");
        eprintln!(
            "Sevres is serving on http://{}/ (Ctrl-C to stop)",
            listener.local_addr()?
        );
        let mut state = AppState::new(Arc::new(store));
        if let Some(table) = leap {
            state = state.with_leap_table(table);
        }
        if let Some(anchors) = dcc_trust {
            state = state.with_dcc_trust(anchors);
        }
        sevres_server::serve(state, listener, shutdown_signal()).await?;
        tracing::info!("stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
