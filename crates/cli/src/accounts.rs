//! `sevres accounts create`: makes an account in the server's database and prints its API token
//! once (only the token's SHA-256 is stored). This is how the first administrator gets a token;
//! later accounts can also be made over the API by an administrator.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use serde_json::json;
use sevres_store::SqliteStore;

/// The `accounts` subcommands.
#[derive(Subcommand)]
pub(crate) enum AccountsCommand {
    /// Create an account and print `{"id", "name", "role", "token"}`; keep the token, it is not
    /// shown again.
    Create {
        /// Who the account is for (a person or a service).
        #[arg(long)]
        name: String,
        /// administrator, pilot or participant.
        #[arg(long)]
        role: String,
        /// The institute (KCDB acronym such as PTB), for pilot and participant.
        #[arg(long)]
        institute: Option<String>,
        /// The comparison piloted, for pilot.
        #[arg(long)]
        comparison: Option<String>,
        /// Folder of the database, as for `sevres serve`.
        #[arg(long, default_value = "./sevres-data")]
        data: PathBuf,
    },
}

pub(crate) fn run(command: AccountsCommand) -> anyhow::Result<ExitCode> {
    let AccountsCommand::Create {
        name,
        role,
        institute,
        comparison,
        data,
    } = command;
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let store = SqliteStore::open(&data)
            .await
            .with_context(|| format!("opening the database in {}", data.display()))?;
        // Pilot accounts name a comparison, which must exist: load the built-in comparisons first,
        // as `serve` would on its first start.
        sevres_server::load_reference_data(&store)
            .await
            .context("loading the built-in reference data")?;
        let created = sevres_server::create_account(
            &store,
            &name,
            &role,
            institute.as_deref(),
            comparison.as_deref(),
        )
        .await?;
        println!(
            "{}",
            json!({
                "id": created.account.id,
                "name": created.account.name,
                "role": role,
                "token": created.token,
            })
        );
        Ok(ExitCode::SUCCESS)
    })
}
