//! CGGTTS V2E on the real receiver files of the test data.
use std::path::PathBuf;

use proptest::prelude::*;
use sevres_timescale::cggtts::{
    check_schedule, common_view, first_track_minute, schedule, track_line, Cggtts, HeaderChecksum,
    ReadOptions,
};

fn data(name: &str) -> String {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata/time/cggtts/"
    ))
    .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

const SY82: [&str; 6] = [
    "GZSY8259.506",
    "GZSY8259.507",
    "GZSY8259.508",
    "GZSY8259.509",
    "GZSY8259.554",
    "GZSY8259.565",
];

#[test]
fn gtr_file_reads_with_line_ends_excluded_from_the_header_sum() {
    let f = Cggtts::parse("EZGTR60.258", &data("EZGTR60.258")).unwrap();
    assert_eq!(f.header_checksum, Some(HeaderChecksum::ExcludingLineEnds));
    assert_eq!(f.cksum, 0xD7);
    assert!(f.ionospheric);
    // SOURCES.md: all 2236 tracks verify.
    assert_eq!(f.tracks.len(), 2236);
    assert!(f.bad_checksums.is_empty());
    assert_eq!(f.lab, "LAB");
    assert_eq!(f.xyz_m, [3_970_727.80, 1_018_888.02, 4_870_276.84]);
    assert_eq!(f.delays[1].0, "CAB DLY");
    let t = &f.tracks[0];
    assert_eq!(
        (t.sat.as_str(), t.mjd, t.start_s, t.trkl_s),
        ("E03", 60_258, 600, 780)
    );
    assert_eq!((t.refsv, t.refsys, t.frc.as_str()), (723_788, -302, "E1"));
    assert_eq!(t.msio, Some((20, 20, 3)));
}

#[test]
fn gorgy_files_read_with_line_feeds_included() {
    for name in SY82 {
        let f = Cggtts::parse(name, &data(name)).unwrap();
        assert_eq!(
            f.header_checksum,
            Some(HeaderChecksum::IncludingLineFeeds),
            "{name}"
        );
        assert_eq!(f.lab, "SY82");
        assert!(!f.ionospheric);
    }
    // SOURCES.md: 81 of the 82 tracks of GZSY8259.506 verify.
    let f = Cggtts::parse("GZSY8259.506", &data("GZSY8259.506")).unwrap();
    assert_eq!(f.tracks.len() + f.bad_checksums.len(), 82);
    assert_eq!(f.bad_checksums.len(), 1);
    let strict = ReadOptions {
        strict_track_checksums: true,
        ..ReadOptions::default()
    };
    let e = Cggtts::parse_with("GZSY8259.506", &data("GZSY8259.506"), strict).unwrap_err();
    assert_eq!(e.line, f.bad_checksums[0]);
    assert!(e.to_string().contains("track checksum"), "{e}");
}

#[test]
fn collapsed_whitespace_glonass_example_fails_its_checksums() {
    let text = data("RZSY8257.000");
    let e = Cggtts::parse("RZSY8257.000", &text).unwrap_err();
    assert_eq!(e.line, 16, "{e}");
    assert!(e.to_string().contains("header checksum"));
    let lenient = ReadOptions {
        strict_header_checksum: false,
        strict_track_checksums: false,
    };
    let f = Cggtts::parse_with("RZSY8257.000", &text, lenient).unwrap();
    assert_eq!(f.header_checksum, None);
    assert!(f.tracks.is_empty());
    assert_eq!(f.bad_checksums, vec![20, 21, 22, 23]);
}

#[test]
fn bipm_schedule() {
    // The Gorgy files follow it: first tracks at 00:02, 00:14, 00:10, 00:06
    // on MJD 59506…59509 (4 minutes earlier each day, modulo 16), and the
    // slots move back by 4 minutes once a day, where a 1436-minute cycle ends
    // (12:46 on MJD 59506, 4 minutes earlier each following day).
    for name in SY82 {
        let f = Cggtts::parse(name, &data(name)).unwrap();
        assert!(
            check_schedule(&f).is_empty(),
            "{name}: {:?}",
            check_schedule(&f).first()
        );
        let first = f.tracks.iter().map(|t| t.start_s).min().unwrap();
        assert_eq!(first / 60, first_track_minute(f.tracks[0].mjd), "{name}");
    }
    let s = schedule(59_506);
    assert_eq!(s[0], 2);
    assert!(s.contains(&(12 * 60 + 18)) && s.contains(&(12 * 60 + 46)));
    assert!(!s.contains(&(12 * 60 + 34)));
    // The GTR51 file (Galileo, MJD 60258) follows it too: 00:10 first, the
    // cycle ending at 10:30.
    let f = Cggtts::parse("EZGTR60.258", &data("EZGTR60.258")).unwrap();
    assert_eq!(first_track_minute(60_258), 10);
    assert_eq!(f.tracks[0].start_s, 600);
    assert!(check_schedule(&f).is_empty());
    // A track moved by 5 minutes, or shortened, is reported at its line.
    let mut g = f.clone();
    g.tracks[7].start_s += 300;
    g.tracks[9].trkl_s = 600;
    let issues = check_schedule(&g);
    assert_eq!(issues.len(), 2);
    assert_eq!(
        (issues[0].line, issues[0].offset_min),
        (g.tracks[7].line, 5)
    );
    assert_eq!(issues[1].line, g.tracks[9].line);
}

#[test]
fn writer_reproduces_the_track_lines() {
    // The GTR51 file is column-aligned V2E: each written track line equals
    // the file's, checksum included.
    let text = data("EZGTR60.258");
    let lines: Vec<&str> = text.lines().collect();
    let f = Cggtts::parse("EZGTR60.258", &text).unwrap();
    for t in &f.tracks {
        assert_eq!(track_line(t), lines[t.line - 1].trim_end_matches('\r'));
    }
    // Whole files round-trip through the writer, in both conventions.
    for name in ["EZGTR60.258", "GZSY8259.509"] {
        let f = Cggtts::parse(name, &data(name)).unwrap();
        for conv in [
            HeaderChecksum::ExcludingLineEnds,
            HeaderChecksum::IncludingLineFeeds,
        ] {
            let g = Cggtts::parse("written", &f.to_text(conv)).unwrap();
            assert_eq!(g.header_checksum, Some(conv));
            assert_eq!(g.tracks.len(), f.tracks.len());
            for (a, b) in f.tracks.iter().zip(&g.tracks) {
                assert_eq!(
                    Track {
                        line: 0,
                        ..a.clone()
                    },
                    Track {
                        line: 0,
                        ..b.clone()
                    }
                );
            }
        }
    }
}

use sevres_timescale::cggtts::Track;

#[test]
fn common_view_recovers_a_known_offset() {
    let a = Cggtts::parse("EZGTR60.258", &data("EZGTR60.258")).unwrap();
    // Station b: the same tracks with REF(b) = REF(a) − 12.3 ns, every
    // third track missing.
    let mut b = a.clone();
    b.tracks = a
        .tracks
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(_, t)| Track {
            refsys: t.refsys - 123,
            ..t.clone()
        })
        .collect();
    let b = Cggtts::parse("b", &b.to_text(HeaderChecksum::ExcludingLineEnds)).unwrap();
    let cv = common_view(&a, &b);
    assert!(!cv.is_empty());
    assert_eq!(cv.iter().map(|e| e.n).sum::<usize>(), b.tracks.len());
    for e in &cv {
        assert!((e.mean_ns - 12.3).abs() < 1e-9, "{e:?}");
        assert!(e.std_ns < 1e-9);
    }
    assert!(cv
        .windows(2)
        .all(|w| (w[0].mjd, w[0].start_s) < (w[1].mjd, w[1].start_s)));
    // Different days have nothing in common.
    let d1 = Cggtts::parse("1", &data("GZSY8259.506")).unwrap();
    let d2 = Cggtts::parse("2", &data("GZSY8259.507")).unwrap();
    assert!(common_view(&d1, &d2).is_empty());
}

#[test]
fn truncated_and_garbled_lines_are_errors_with_lines() {
    let text = data("EZGTR60.258");
    // Truncate a track line.
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[30].truncate(40);
    let e = Cggtts::parse("t", &lines.join("\n")).unwrap_err();
    assert_eq!(e.line, 31);
    assert!(e.to_string().starts_with("t:31:"), "{e}");
    // Garble a number.
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[40] = lines[40].replacen("60258", "6O258", 1);
    assert_eq!(Cggtts::parse("t", &lines.join("\n")).unwrap_err().line, 41);
    // Break the header checksum.
    let e = Cggtts::parse("t", &text.replacen("LAB = LAB", "LAB = LAX", 1)).unwrap_err();
    assert_eq!(e.line, 16);
    // Not CGGTTS, other version, missing CKSUM.
    assert_eq!(Cggtts::parse("t", "hello").unwrap_err().line, 1);
    assert!(Cggtts::parse("t", &text.replacen("= 2E", "= 01", 1)).is_err());
    assert!(Cggtts::parse("t", "CGGTTS GENERIC DATA FORMAT VERSION = 2E\nLAB = X\n").is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn no_panic_on_corrupted_files(cut in 0usize..12_000, junk in "[ -~\\n]{0,20}") {
        let mut text = data("GZSY8259.506");
        let cut = cut.min(text.len());
        text.insert_str(cut, &junk);
        let _ = Cggtts::parse("x", &text);
        let _ = Cggtts::parse("x", &text[..cut]);
    }
}
