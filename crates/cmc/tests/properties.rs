//! Parsers never panic: on arbitrary text, and on text built from the characters of the
//! equation grammar (which reaches deeper into the parser than random Unicode).

use proptest::prelude::*;
use sevres_cmc::equation::{Context, Equation};
use sevres_cmc::{import_csv, import_json, KcdbCode, KcdbUnit, Quantity, UncertaintyMode};

/// Text from the pieces KCDB equations are made of.
fn equation_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Q[",
        "]",
        "(",
        ")",
        ", ",
        " + ",
        " - ",
        "*",
        "/",
        "^",
        "²",
        "⁻⁶",
        "√",
        "sqrt(",
        "0.5",
        "2",
        "1e-6",
        "10",
        " × 10^-6",
        "x",
        "V",
        "f",
        "l",
        " µV/V",
        " µV",
        " %",
        " mΩ",
        " nm",
        " dB",
        " °C",
        ", l in mm",
        " where f in kHz",
        "U = ",
        "±",
        ".",
        "e",
        "-",
        " ",
        "ppm",
        "[",
        "kV",
        "/(m·K)",
        "π",
    ]);
    prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
}

fn compile_and_eval(text: &str, x: f64) {
    if let Ok(eq) = Equation::parse(text) {
        for (m, u) in [
            ("V", Some("µV/V")),
            ("°C", None),
            ("dB", Some("dB")),
            ("1", Some("%")),
        ] {
            let m = KcdbUnit::parse(m).unwrap();
            let u = u.map(|u| KcdbUnit::parse(u).unwrap());
            for mode in [None, Some(UncertaintyMode::Relative)] {
                let ctx = Context {
                    measurand: Some(&m.scale),
                    uncertainty_unit: u.as_ref(),
                    mode,
                    comment: "x in mV",
                };
                if let Ok(p) = eq.compile(&ctx) {
                    let _ = p.eval(x);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn equation_parser_never_panics(text in ".{0,64}", x in any::<f64>()) {
        compile_and_eval(&text, x);
    }

    #[test]
    fn equation_grammar_never_panics(text in equation_like(), x in -1e6f64..1e6) {
        compile_and_eval(&text, x);
        if let Err(e) = Equation::parse(&text) {
            // The position is inside the text (or at its end).
            prop_assert!(e.position <= text.chars().count());
        }
    }

    #[test]
    fn units_quantities_and_codes_never_panic(text in ".{0,40}") {
        let _ = KcdbUnit::parse(&text);
        let _ = Quantity::parse(&text);
        let _ = KcdbCode::parse(&text);
    }

    #[test]
    fn importers_never_panic(text in ".{0,200}") {
        let _ = import_json(&text);
        let _ = import_csv(&text);
        let _ = import_csv(&format!("kcdbCode,cmcLowerLimit,cmcUnit,parameters\n{text}"));
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(Equation::parse(&deep).is_err());
    let signs = format!("{}1", "-".repeat(10_000));
    assert!(Equation::parse(&signs).is_err());
    let roots = format!("{}1", "√".repeat(1_000));
    assert!(Equation::parse(&roots).is_err());
    let wide = format!("Q[{}1]", "1, ".repeat(600));
    let _ = Equation::parse(&wide);
    // The longest chains of operators the length limit allows compile (or are refused) and
    // evaluate without exhausting the stack.
    let v = KcdbUnit::parse("V").unwrap();
    let u = KcdbUnit::parse("µV").unwrap();
    let ctx = Context {
        measurand: Some(&v.scale),
        uncertainty_unit: Some(&u),
        mode: None,
        comment: "",
    };
    for op in ["+", "*", "-", "/", "^"] {
        let chain = format!("{}1", format!("1{op}").repeat(999));
        if let Ok(eq) = Equation::parse(&chain) {
            if let Ok(p) = eq.compile(&ctx) {
                let _ = p.eval(1.0);
            }
        }
    }
}
