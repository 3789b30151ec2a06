//! Round trips and translations between the notations, conversions with special units, and
//! error messages.

use sevres_si::{
    convert_str, notation, parse, print, si_text, translate, ucum, ConversionCache, Notation,
};

const DSI_VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/units/dsi/dsiunits_vectors.shared.tsv"
);

fn tr(from: Notation, to: Notation, s: &str) -> String {
    translate(from, to, s).unwrap_or_else(|e| format!("ERR {e}"))
}

#[test]
fn si_text_round_trips() {
    for (input, ascii, unicode) in [
        ("kg m s^-2", "kg m s^-2", "kg·m·s⁻²"),
        ("kg·m·s⁻²", "kg m s^-2", "kg·m·s⁻²"),
        ("kg⋅m/s²", "kg m s^-2", "kg·m·s⁻²"),
        ("m/s", "m s^-1", "m·s⁻¹"),
        ("μm", "μm", "μm"),
        ("µm", "μm", "μm"),
        ("°C", "°C", "°C"),
        ("℃", "°C", "°C"),
        ("Ω", "Ω", "Ω"),
        ("kΩ", "kΩ", "kΩ"),
        ("mol/(kg s)", "mol kg^-1 s^-1", "mol·kg⁻¹·s⁻¹"),
        ("m^(1/2)", "m^(1/2)", "m¹ᐟ²"),
        ("m^(-1/2)", "m^(-1/2)", "m⁻¹ᐟ²"),
        ("(m/s)^2", "m^2 s^-2", "m²·s⁻²"),
        ("Qm Rg rs qmol", "Qm Rg rs qmol", "Qm·Rg·rs·qmol"),
        (
            "min h d au ° ′ ″ ha L l t Da eV Np B dB",
            "min h d au ° ′ ″ ha L l t Da eV Np B dB",
            "min·h·d·au·°·′·″·ha·L·l·t·Da·eV·Np·B·dB",
        ),
        ("1/s", "s^-1", "s⁻¹"),
    ] {
        let e = si_text::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(si_text::print(&e).unwrap(), ascii, "{input}");
        assert_eq!(si_text::print_unicode(&e).unwrap(), unicode, "{input}");
        assert_eq!(si_text::parse(ascii).unwrap(), e, "{ascii}");
        assert_eq!(si_text::parse(unicode).unwrap(), e, "{unicode}");
    }
}

#[test]
fn si_text_errors_name_the_position() {
    for (input, position) in [
        ("kg m xyz", 5),
        ("J/kg K", 4),
        ("m/s/s", 3),
        ("kkg", 0),
        ("m^", 2),
        ("(m s", 4),
        ("m)", 1),
        ("", 0),
    ] {
        let e = si_text::parse(input).expect_err(input);
        assert_eq!(e.position, position, "{input}: {e}");
    }
    assert_eq!(
        si_text::parse("kg m xyz").unwrap_err().to_string(),
        "at 5: unknown unit 'xyz'"
    );
}

#[test]
fn sirp_round_trips_and_dsi_vectors() {
    for s in [
        "m.s-1",
        "km.h-1",
        "kg.mm2.ns-2.℃",
        "m1_2",
        "A2.Ω",
        "V.A",
        "J.s-1",
        "N.m.s-1",
    ] {
        let e = parse(Notation::Sirp, s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(print(Notation::Sirp, &e).unwrap(), s);
    }
    // The SIRP forms of the dsiunits test vectors must parse and print back.
    let tsv = std::fs::read_to_string(DSI_VECTORS).expect("vectors");
    let mut n = 0;
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (kind, input, sirp) = (f[1], f[2], f.get(6).copied().unwrap_or(""));
        let text = match kind {
            "sirp_parse_valid" => input,
            "representations" if !sirp.is_empty() => sirp,
            _ => continue,
        };
        let e = parse(Notation::Sirp, text).unwrap_or_else(|e| panic!("{text}: {e}"));
        if kind == "representations" {
            assert_eq!(print(Notation::Sirp, &e).unwrap(), text);
        }
        n += 1;
    }
    assert!(n >= 3);
}

#[test]
fn translations() {
    use Notation::{Si, Sirp, Ucum};
    assert_eq!(tr(Ucum, Si, "kg.m/s2"), "kg m s^-2");
    assert_eq!(tr(Ucum, Si, "Cel"), "°C");
    assert_eq!(tr(Ucum, Si, "mL"), "mL");
    assert_eq!(tr(Ucum, Si, "l"), "l");
    assert_eq!(tr(Ucum, Si, "Ohm"), "Ω");
    assert_eq!(tr(Ucum, Si, "uOhm"), "μΩ");
    assert_eq!(tr(Ucum, Si, "har"), "ha");
    assert_eq!(tr(Ucum, Si, "deg"), "°");
    assert_eq!(tr(Ucum, Si, "'"), "′");
    assert_eq!(tr(Ucum, Si, "dB"), "dB");
    assert_eq!(tr(Ucum, Si, "mol/L"), "mol L^-1");
    assert!(tr(Ucum, Si, "[in_i]").contains("'[in_i]' has no equivalent in si"));
    // UCUM's AU (IAU 1976) is not the SI astronomical unit (IAU 2012)
    assert!(tr(Ucum, Si, "AU").starts_with("ERR"));
    assert_eq!(tr(Si, Ucum, "kg m s^-2"), "kg.m/s2");
    assert_eq!(tr(Si, Ucum, "°C"), "Cel");
    assert_eq!(tr(Si, Ucum, "ha"), "har");
    assert_eq!(tr(Si, Ucum, "μm"), "um");
    assert_eq!(tr(Si, Ucum, "Ω"), "Ohm");
    assert_eq!(tr(Si, Ucum, "°"), "deg");
    assert_eq!(tr(Si, Ucum, "au"), "1495978707.10*2.m");
    assert_eq!(tr(Si, Ucum, "Qm"), "10*30.m");
    assert_eq!(tr(Si, Ucum, "dB"), "dB");
    assert!(tr(Si, Ucum, "m^(1/2)").starts_with("ERR"));
    assert_eq!(tr(Si, Sirp, "km/h"), "km.h-1");
    assert_eq!(tr(Sirp, Si, "kg.mm2.ns-2.℃"), "kg mm^2 ns^-2 °C");
    assert_eq!(tr(Ucum, Sirp, "m/s"), "m.s-1");
    assert_eq!(tr(Sirp, Ucum, "m1_2").get(..3), Some("ERR"));
}

#[test]
fn base_units() {
    let c = ucum::parse("N").unwrap().canonical().unwrap();
    assert_eq!(
        notation::base_units(Notation::Si, &c.dimension).unwrap(),
        "kg m s^-2"
    );
    assert_eq!(
        notation::base_units(Notation::Ucum, &c.dimension).unwrap(),
        "kg.m/s2"
    );
    assert_eq!(
        notation::base_units(Notation::Sirp, &c.dimension).unwrap(),
        "kg.m.s-2"
    );
    assert_eq!(c.dimension.to_string(), "T^-2 L M");
}

fn close(a: f64, b: f64) -> bool {
    ((a - b) / b).abs() < 1e-12
}

#[test]
fn conversions() {
    use Notation::{Si, Ucum};
    let c = |n, v, a, b| convert_str(n, v, a, b).unwrap_or_else(|e| panic!("{a} → {b}: {e}"));
    assert!(close(c(Si, 36.0, "km/h", "m/s"), 10.0));
    assert!(close(c(Si, 25.0, "°C", "K"), 298.15));
    assert!(close(c(Si, 300.0, "K", "°C"), 26.85));
    assert!(close(c(Ucum, 98.6, "[degF]", "Cel"), 37.0));
    assert!(close(c(Ucum, 0.0, "Cel", "[degF]"), 32.0));
    assert!(
        close(c(Ucum, 0.0, "Cel", "[degRe]"), 0.0 + 1e-300)
            || c(Ucum, 0.0, "Cel", "[degRe]").abs() < 1e-12
    );
    assert!(close(c(Ucum, 80.0, "[degRe]", "Cel"), 100.0));
    assert!(close(c(Ucum, 1000.0, "mCel", "K"), 274.15));
    assert!(close(c(Ucum, 7.0, "[pH]", "mol/l"), 1e-7));
    assert!(close(c(Ucum, 1e-7, "mol/l", "[pH]"), 7.0));
    assert!(close(c(Ucum, 0.0, "B[SPL]", "Pa"), 2e-5));
    assert!(close(c(Ucum, 20.0, "dB[SPL]", "Pa"), 2e-4));
    assert!(close(c(Ucum, 2e-4, "Pa", "dB[SPL]"), 20.0));
    assert!(close(c(Ucum, 1.0, "B", "Np"), 10f64.ln()));
    assert!(close(c(Ucum, 100.0, "%[slope]", "deg"), 45.0));
    assert!(close(c(Ucum, 45.0, "deg", "%[slope]"), 100.0));
    assert!(close(c(Ucum, 3.0, "bit_s", "1"), 8.0));
    assert!(close(c(Ucum, 3.0, "[m/s2/Hz^(1/2)]", "m2/s3"), 9.0));
    assert!(close(c(Ucum, 2.0, "[hp'_C]", "1"), 1e-4));
    assert!(close(c(Ucum, 1.0, "[IU]/L", "m[IU]/mL"), 1.0));
    assert!(close(c(Ucum, 1.0, "[IU]", "[iU]"), 1.0));
    assert!(close(c(Ucum, 1.0, "mol", "mmol"), 1000.0));
    assert!(close(
        c(Si, 1.0, "m^(1/2)", "km^(1/2)"),
        1.0 / 1000f64.sqrt()
    ));
    assert!(close(c(Ucum, 1.0, "[ly]", "m"), 9460730472580800.0));
    // incommensurable and arbitrary
    let e = convert_str(Ucum, 1.0, "m", "s").unwrap_err().to_string();
    assert_eq!(
        e,
        "cannot convert 'm' (dimension L) to 's' (dimension T): the dimensions differ"
    );
    let e = convert_str(Ucum, 1.0, "[IU]", "[arb'U]")
        .unwrap_err()
        .to_string();
    assert!(e.contains("arbitrary unit"), "{e}");
    let e = convert_str(Ucum, 1.0, "B.m", "m").unwrap_err().to_string();
    assert!(e.contains("'B'"), "{e}");
    let e = convert_str(Ucum, 1.0, "m", "xyz").unwrap_err().to_string();
    assert_eq!(e, "to unit: at 0: unknown unit 'xyz'");
}

#[test]
fn cache() {
    let mut cache = ConversionCache::new();
    for i in 0..1000 {
        let v = cache
            .convert(Notation::Ucum, f64::from(i), "mg/dL", "g/L")
            .unwrap();
        assert!((v - f64::from(i) / 100.0).abs() < 1e-12);
    }
    assert!(cache.convert(Notation::Ucum, 1.0, "m", "s").is_err());
    assert!(cache.convert(Notation::Ucum, 1.0, "m", "s").is_err());
    assert!(cache.convert(Notation::Ucum, 1.0, "m/", "s").is_err());
}

#[test]
fn ucum_errors_name_the_position() {
    for (input, position, reason) in [
        ("m/", 2, "'/' is not followed by a term"),
        ("kg.xyz", 3, "unknown unit 'xyz'"),
        (
            "g/12h",
            4,
            "a number cannot be followed directly by a unit (write '12.h')",
        ),
        (
            "ug(8.h)",
            2,
            "missing operator: terms must be joined by '.' or '/'",
        ),
        (
            "rad2{錠}",
            5,
            "non-ASCII character '錠' in annotation (UCUM annotations are ASCII)",
        ),
        (
            "{a}rad2{b}",
            3,
            "missing operator: terms must be joined by '.' or '/'",
        ),
        ("m s", 1, "blank in expression (UCUM allows no spaces)"),
        ("(m", 2, "missing ')'"),
        ("m)", 1, "')' without matching '('"),
        (
            "kmin",
            0,
            "the unit 'min' in 'kmin' is not metric and takes no prefix",
        ),
        ("m{a", 1, "missing '}' after annotation"),
        (
            "m-",
            2,
            "a sign must be followed by the digits of an exponent",
        ),
        ("", 0, "empty expression"),
    ] {
        let e = ucum::parse(input).expect_err(input);
        assert_eq!(
            (e.position, e.message.as_str()),
            (position, reason),
            "{input}"
        );
    }
    // deep nesting is refused, not a stack overflow
    let deep = format!("{}m{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(ucum::parse(&deep).is_err());
}

#[test]
fn display_names() {
    assert_eq!(
        ucum::display_name("4.[pi].10*-7.N/A2").unwrap(),
        "4 * (the number pi) * (the number ten for arbitrary powers ^ -7) * (newton) / (ampère ^ 2)"
    );
    assert_eq!(ucum::display_name("/min").unwrap(), " / (minute)");
}
