//! `sevres units convert|validate|translate`: JSON Lines in on stdin, one JSON line out per input
//! line, in order. A bad line gets an `{"error": ...}` line and never stops the stream.

use std::borrow::Cow;
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

/// One conversion request; the unit strings are borrowed from the line unless they contain
/// JSON escapes (the hot path of `units convert` allocates nothing per line).
#[derive(Deserialize)]
struct ConvertLine<'a> {
    value: f64,
    #[serde(borrow)]
    from: Cow<'a, str>,
    #[serde(borrow)]
    to: Cow<'a, str>,
}

pub(crate) fn run(command: UnitsCommand) -> anyhow::Result<ExitCode> {
    let stdin = || io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    match command {
        UnitsCommand::Convert(NotationArg { notation }) => {
            convert_lines(notation, io::stdin(), &mut out)?;
        }
        UnitsCommand::Validate(NotationArg { notation }) => {
            for_each_line(stdin(), &mut out, |line| validate(notation, line))?;
        }
        UnitsCommand::Translate { from, to } => {
            for_each_line(stdin(), &mut out, |line| {
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

/// Lines per chunk handed from the reading thread to the converting thread.
const CHUNK_LINES: usize = 1024;

/// A parsed conversion request, owned so that it can cross threads, or the error for its line.
type Request = Result<(f64, Box<str>, Box<str>), String>;

/// `units convert`: one thread reads and parses the JSON lines, the calling thread converts and
/// writes, so that on two cores JSON parsing (about half the work) overlaps the rest. Chunks
/// keep the order of the lines; the bounded channel keeps memory constant on any input size.
fn convert_lines(notation: Notation, input: io::Stdin, out: &mut impl Write) -> io::Result<()> {
    let (sender, receiver) = std::sync::mpsc::sync_channel::<io::Result<Vec<Request>>>(4);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut input = input.lock();
            let mut line = String::new();
            let mut chunk = Vec::with_capacity(CHUNK_LINES);
            loop {
                line.clear();
                match input.read_line(&mut line) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(error) => {
                        let _ = sender.send(Err(error));
                        return;
                    }
                }
                let request = serde_json::from_str::<ConvertLine>(without_line_end(&line))
                    .map(|r| (r.value, r.from.into(), r.to.into()))
                    .map_err(|e| format!("bad input line: {e}"));
                chunk.push(request);
                if chunk.len() == CHUNK_LINES {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_LINES));
                    if sender.send(Ok(full)).is_err() {
                        return; // the writer stopped (its error is reported there)
                    }
                }
            }
            let _ = sender.send(Ok(chunk));
        });
        let mut cache = ConversionCache::new();
        for chunk in receiver {
            for request in chunk? {
                let converted = request.and_then(|(value, from, to)| {
                    cache
                        .convert(notation, value, &from, &to)
                        .map_err(|e| e.to_string())
                });
                match converted {
                    // Written by hand rather than through a `json!` map: this is the hot path.
                    Ok(value) => {
                        out.write_all(b"{\"value\":")?;
                        serde_json::to_writer(&mut *out, &value)?;
                        out.write_all(b"}\n")?;
                    }
                    Err(error) => {
                        serde_json::to_writer(&mut *out, &json!({ "error": error }))?;
                        out.write_all(b"\n")?;
                    }
                }
            }
        }
        Ok(())
    })
}

/// A line without its `\n` or `\r\n`.
fn without_line_end(line: &str) -> &str {
    let text = line.strip_suffix('\n').unwrap_or(line);
    text.strip_suffix('\r').unwrap_or(text)
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
        serde_json::to_writer(&mut *out, &answer(without_line_end(&line)))?;
        out.write_all(b"\n")?;
    }
}
