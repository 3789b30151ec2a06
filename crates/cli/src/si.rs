//! `sevres si dump|verify`: the canonical serialization of the built-in SI reference data, and a
//! check of a downloaded dump against its SHA-256 digest.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use sevres_si::reference;

/// The `si` subcommands.
#[derive(Subcommand)]
pub(crate) enum SiCommand {
    /// Print the canonical serialization of the built-in release (what its digest is over).
    Dump,
    /// Print the built-in release's version and digest as JSON.
    Digest,
    /// Check FILE (a dump, e.g. from GET /api/v1/si/releases/{version}) against a digest:
    /// `--digest HEX`, or by default the built-in release's. Exit 0 when it matches, 1 otherwise.
    Verify {
        /// The downloaded dump.
        file: PathBuf,
        /// Expected SHA-256 in hex.
        #[arg(long)]
        digest: Option<String>,
    },
}

pub(crate) fn run(command: SiCommand) -> anyhow::Result<ExitCode> {
    match command {
        SiCommand::Dump => {
            // No trailing newline: the digest is over these exact bytes.
            print!("{}", reference::canonical_json());
            Ok(ExitCode::SUCCESS)
        }
        SiCommand::Digest => {
            println!(
                "{}",
                serde_json::json!({ "release": reference::RELEASE, "digest": reference::digest() })
            );
            Ok(ExitCode::SUCCESS)
        }
        SiCommand::Verify { file, digest } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let expected = digest.unwrap_or_else(reference::digest);
            let actual = reference::sha256_hex(&bytes);
            let ok = actual.eq_ignore_ascii_case(expected.trim());
            println!(
                "{}",
                serde_json::json!({ "file": file.display().to_string(), "valid": ok, "digest": actual, "expected": expected })
            );
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
