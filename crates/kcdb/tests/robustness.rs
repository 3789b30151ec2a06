//! Every parser of user input returns a value or an error, never panics: a small deterministic
//! random-input sweep (a stand-in for the fuzz targets) over identifiers, dates, units, LaTeX
//! text, CSV, JSON, XML and workbook bytes.

use sevres_kcdb::{
    import_csv, import_fair, import_json, import_nmid, import_xlsx, ComparisonId, Date, Doi,
    InstituteCode, Ror, Unit,
};

/// xorshift64*: reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn text(&mut self, alphabet: &[&str], max: usize) -> String {
        let n = (self.next() % max as u64) as usize;
        (0..n)
            .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize])
            .collect()
    }
}

const PIECES: &[&str] = &[
    "C",
    "CM",
    "CCM",
    "BIPM",
    "EURAMET",
    ".",
    "-",
    "K",
    "S",
    "1",
    "0",
    "(",
    ")",
    "II",
    "a",
    " ",
    "é",
    "\\",
    "{",
    "}",
    "\"",
    "'",
    "`",
    "^",
    "~",
    ",",
    ";",
    "\n",
    "\r\n",
    "\t",
    "lab",
    "x",
    "u",
    "U",
    "k",
    "dof",
    "NaN",
    "inf",
    "-1",
    "1e308",
    "2,5",
    "true",
    "<",
    ">",
    "/",
    "&",
    "=",
    "kBq",
    "\\kilo",
    "\\becquerel",
    "ror.org/",
    "10.",
    "2024-02-29",
    "T",
    ":",
    "[",
    "]",
    "null",
    "#",
    "participants",
    "in_reference",
    "correlations",
    "\u{feff}",
    "\u{0}",
];

#[test]
fn parsers_never_panic() {
    let mut rng = Rng(0x5EED_2024);
    for _ in 0..4000 {
        let s = rng.text(PIECES, 24);
        let _ = ComparisonId::parse(&s);
        let _ = InstituteCode::parse(&s);
        let _ = Ror::parse(&s);
        let _ = Doi::parse(&s);
        let _ = Date::parse(&s);
        let _ = Unit::normalise(&s);
        let _ = import_nmid(&format!("Acronym;Full name;RMO;ROR\n{s}\n"));
        let _ = import_csv("t", &format!("lab,x,u,k,U,dof,in_reference,unit\n{s}\n{s}"));
        let _ = import_csv("t", &s);
        let _ = import_json(&format!(
            r#"{{"participants":[{{"lab":"A","x":1,"u":{s}}}]}}"#
        ));
        let _ = import_json(&s);
        let _ = import_fair(&format!("<comparison>{s}</comparison>"));
        let _ = import_xlsx("t", s.as_bytes());
    }
}

#[test]
fn nmid_latex_sweep() {
    let mut rng = Rng(7);
    let latex = [
        "\\", "\"", "{", "}", "'", "`", "^", "~", "=", ".", "c", "v", "u", "r", "H", "k", "ss",
        "i", "o", "a", "A", " ", "é", ";", "\n",
    ];
    for _ in 0..3000 {
        let s = rng.text(&latex, 16);
        let _ = import_nmid(&format!("Acronym;Full name;Address\nPTB;{s};{s}\n"));
    }
}
