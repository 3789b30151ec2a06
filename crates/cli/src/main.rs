//! `sevres`: the command-line face of every Sevres service.
//!
//! This binary only parses arguments, reads and writes the terminal and files, and maps results to
//! exit codes; the work is done by the library crates (ripgrep's "thin main" habit).

mod accounts;
mod cmc;
mod comparison;
mod dcc;
mod serve;
mod si;
mod time;
mod units;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Sevres: the SI Reference Point, key comparisons, CMCs, time and calibration certificates.
#[derive(Parser)]
#[command(name = "sevres", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (API and web pages) on its embedded SQLite database.
    Serve(serve::ServeArgs),
    /// Unit expressions: convert, validate, translate (JSON Lines on stdin and stdout).
    #[command(subcommand)]
    Units(units::UnitsCommand),
    /// The SI reference data: dump it, verify a downloaded dump.
    #[command(subcommand)]
    Si(si::SiCommand),
    /// Accounts of the server's database: create one and get its API token.
    #[command(subcommand)]
    Accounts(accounts::AccountsCommand),
    /// Key comparisons: reference values and degrees of equivalence.
    #[command(subcommand)]
    Comparison(comparison::ComparisonCommand),
    /// Time: UTC computation, leap seconds, CGGTTS, frequency stability.
    #[command(subcommand)]
    Time(time::TimeCommand),
    /// CMCs (KCDB 2.0): unit-aware search, format conversion, synthetic CMCs, import.
    #[command(subcommand)]
    Cmc(cmc::CmcCommand),
    /// Digital Calibration Certificates: check (schema, rules, signature, CMCs), render.
    #[command(subcommand)]
    Dcc(dcc::DccCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Units(command) => units::run(command),
        Command::Si(command) => si::run(command),
        Command::Accounts(command) => accounts::run(command),
        Command::Comparison(command) => comparison::run(command),
        Command::Time(command) => time::run(command),
        Command::Cmc(command) => cmc::run(command),
        Command::Dcc(command) => dcc::run(command),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("sevres: {error:#}");
            ExitCode::from(2)
        }
    }
}
