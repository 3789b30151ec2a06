//! `sevres units convert|validate|translate`: JSON Lines in on stdin, one JSON line out per input
//! line, in order. A bad line gets an `{"error": ...}` line and never stops the stream.

use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde::Deserialize;
use serde_json::json;
use sevres_si::{ConversionCache, Notation};

/// The `units` subcommands.
#[derive(Subcommand)]
pub(crate) enum UnitsCommand {
    /// Convert values: reads `{"value": 1, "from": "km", "to": "m"}` lines, writes `{"value": ...}`
    /// or `{"error": ...}` lines.
    Convert(NotationArg),
    /// Validate expressions: reads one expression a line, writes `{"valid": true, "canonical",
    /// "dimension", "factor"}` or `{"valid": false, "error"}`.
    Validate(NotationArg),
    /// Translate expressions from one notation to another: one expression a line in, `{"expr"}` or
    /// `{"error"}` out.
    Translate {
        /// Notation of the input: ucum, dsi, si, sirp or qudt.
        #[arg(long)]
        from: Notation,
        /// Notation of the output.
        #[arg(long)]
        to: Notation,
    },
}

/// The notation of every expression of the input.
#[derive(Args)]
pub(crate) struct NotationArg {
    /// ucum, dsi, si, sirp or qudt.
    #[arg(long, default_value = "ucum")]
    notation: Notation,
}

#[derive(Deserialize)]
struct ConvertLine {
    value: f64,
    from: String,
    to: String,
}

pub(crate) fn run(command: UnitsCommand) -> anyhow::Result<ExitCode> {
    let stdin = io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    match command {
        UnitsCommand::Convert(NotationArg { notation }) => {
            let mut cache = ConversionCache::new();
            for_each_line(stdin, &mut out, |line| {
                let request: ConvertLine = match serde_json::from_str(line) {
                    Ok(r) => r,
                    Err(e) => return json!({ "error": format!("bad input line: {e}") }),
                };
                match cache.get(notation, &request.from, &request.to) {
                    Ok(conversion) => json!({ "value": conversion.apply(request.value) }),
                    Err(e) => json!({ "error": e.to_string() }),
                }
            })?;
        }
        UnitsCommand::Validate(NotationArg { notation }) => {
            for_each_line(stdin, &mut out, |line| validate(notation, line))?;
        }
        UnitsCommand::Translate { from, to } => {
            for_each_line(stdin, &mut out, |line| {
                match sevres_si::translate(from, to, line) {
                    Ok(expr) => json!({ "expr": expr }),
                    Err(e) => json!({ "error": e.to_string() }),
                }
            })?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn validate(notation: Notation, line: &str) -> serde_json::Value {
    let checked = sevres_si::parse(notation, line)
        .map_err(|e| e.to_string())
        .and_then(|expr| {
            let scaled = expr.canonical().map_err(|e| e.to_string())?;
            let canonical = sevres_si::notation::canonical_expression(notation, &scaled)
                .map_err(|e| e.to_string())?;
            Ok((canonical, scaled))
        });
    match checked {
        // "canonical" is the expression's coherent SI base-unit form in the same notation, and
        // "factor" the number of those in one of the expression (UCUM's "canonical units").
        Ok((canonical, scaled)) => json!({
            "valid": true,
            "canonical": canonical,
            "dimension": scaled.dimension.to_string(),
            "factor": scaled.factor.to_f64(),
        }),
        Err(error) => json!({ "valid": false, "error": error }),
    }
}

/// Applies `answer` to every line of `input` (without its line ending) and writes each answer as a
/// JSON line.
fn for_each_line(
    mut input: impl BufRead,
    out: &mut impl Write,
    mut answer: impl FnMut(&str) -> serde_json::Value,
) -> io::Result<()> {
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let text = line.strip_suffix('\n').unwrap_or(&line);
        let text = text.strip_suffix('\r').unwrap_or(text);
        serde_json::to_writer(&mut *out, &answer(text))?;
        out.write_all(b"\n")?;
    }
}
