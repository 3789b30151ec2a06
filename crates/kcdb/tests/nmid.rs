//! `NMId.csv` (the BIPM institute table) read at run time: every institute of the file is
//! imported with the country, RMO, former acronyms and ROR the file gives, and LaTeX accents are
//! decoded.

use sevres_kcdb::import::nmid::import_nmid;
use sevres_kcdb::Rmo;

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/kcdb/comparisons_bipm_ri_ii/NMId.csv"
);

#[test]
fn institutes_as_the_file_lists_them() {
    let text = std::fs::read_to_string(FILE).expect("NMId.csv");
    let table = import_nmid(&text).unwrap();
    assert!(table.warnings.is_empty(), "{:?}", table.warnings);
    let lines: Vec<&str> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(table.institutes.len(), lines.len());
    // Lines without quotes can be split naively: compare every field the importer keeps.
    for line in lines
        .iter()
        .filter(|l| !l.contains('"') && !l.contains('\\'))
    {
        let f: Vec<&str> = line.split(';').collect();
        let inst = table.find(f[0]).unwrap_or_else(|| panic!("{}", f[0]));
        assert_eq!(inst.name, f[1].trim());
        let none =
            |s: &str| (!s.trim().is_empty() && s.trim() != "-").then(|| s.trim().to_string());
        assert_eq!(inst.country, none(f[3]), "{}", f[0]);
        assert_eq!(
            inst.rmo.map(|r| r.acronym().to_string()),
            none(f[4]),
            "{}",
            f[0]
        );
        assert_eq!(inst.ror.as_ref().map(|r| r.url()), none(f[7]), "{}", f[0]);
    }
    // PTB;Physikalisch-Technische Bundesanstalt;…;Germany;EURAMET;-;;https://ror.org/05r3f7h03
    let ptb = table.find("PTB").unwrap();
    assert_eq!(ptb.country.as_deref(), Some("Germany"));
    assert_eq!(ptb.rmo, Some(Rmo::Euramet));
    assert_eq!(ptb.ror.as_ref().unwrap().id(), "05r3f7h03");
    assert!(ptb.former_codes.is_empty());
    // BIPM has neither country nor RMO; LNE-LNHB has three former acronyms.
    let bipm = table.find("BIPM").unwrap();
    assert_eq!((bipm.country.as_ref(), bipm.rmo), (None, None));
    assert_eq!(
        table.find("LNE-LNHB").unwrap().former_codes,
        ["LMRI", "LPRI", "BNM-LNHB"]
    );
    // Found by a former acronym too (ANSTO was AAEC).
    assert_eq!(table.find("AAEC").unwrap().code.as_str(), "ANSTO");
}

#[test]
fn latex_escapes_are_decoded() {
    let table = import_nmid(&std::fs::read_to_string(FILE).unwrap()).unwrap();
    // "Amt f\""{u}r Standardisierung, Me\ss{}wesen und Warenpr\""{u}fung"
    assert_eq!(
        table.find("ASMW").unwrap().name,
        "Amt für Standardisierung, Meßwesen und Warenprüfung"
    );
    // Centro de Is\'{o}topos, Departamento de Metrolog\'{i}a de Radion\'{u}clidos
    assert_eq!(
        table.find("CENTIS-DMR").unwrap().name,
        "Centro de Isótopos, Departamento de Metrología de Radionúclidos"
    );
    assert_eq!(
        table.find("ASMW").unwrap().country.as_deref(),
        Some("former East Germany")
    );
    assert!(table
        .institutes
        .iter()
        .all(|i| !i.name.contains('\\') && !i.address.as_deref().unwrap_or("").contains('\\')));
}

#[test]
fn bad_rows_are_warnings_and_bad_tables_errors() {
    let text = "Accronym;Full name;Country;RMO;ROR\n\
                PTB;P;Germany;EURAMET;https://ror.org/05r3f7h03\n\
                ;empty acronym;;;\n\
                X;Bad RMO;Nowhere;XYZ;\n\
                Y;Bad ROR;;;https://ror.org/055vkyj44\n";
    let t = import_nmid(text).unwrap();
    assert_eq!(t.institutes.len(), 3);
    assert_eq!(t.warnings.len(), 3, "{:?}", t.warnings);
    assert!(t.warnings[0].at == "line 3");
    assert!(import_nmid("Name;Country\nA;B\n").is_err());
    // An unterminated quote runs to the end of the input: no panic, one odd row.
    let _ = import_nmid("Acronym;Full name\n\"unterminated;x\n");
}
