//! CGGTTS version 2E: read, check, write, and form common-view links.
//!
//! What: the GNSS time-transfer exchange format of the CCTF, version 2E
//! (P. Defraigne & G. Petit, "CGGTTS-Version 2E: an extended standard for
//! GNSS Time Transfer", Metrologia 52 (2015) G1, and the CGGTTS V2E format
//! document of the CCTF Working Group on GNSS). A file is a header of
//! `KEY = value` lines ending with `CKSUM = XX`, a blank line, two column
//! title lines, then one line per 780-s track: satellite, class, MJD, start
//! time hhmmss, track length, elevation and azimuth, REFSV and REFSYS
//! (0.1 ns: local reference − satellite clock / − GNSS system time), slopes,
//! DSG, IOE, troposphere and ionosphere terms, FR, HC, FRC and a checksum.
//!
//! Checks:
//! * track checksum CK: sum of the bytes of the line up to and including
//!   the space before CK, modulo 256, in hexadecimal;
//! * header checksum CKSUM: sum of the header bytes from "CGGTTS" through
//!   "CKSUM = ", modulo 256. Producers disagree on line ends — real GTR51
//!   files verify when CR/LF are *excluded*, real Gorgy SYREF25 files only
//!   when the LF bytes are *included* — so both conventions are accepted and
//!   the one that verified is reported ([`HeaderChecksum`]);
//! * the BIPM tracking schedule ([`check_schedule`]): 16-minute track slots
//!   starting at 00:02 UTC on MJD 50722, 89 per sidereal day of 1436
//!   minutes, so that they advance 4 minutes per day; each track 780 s.
//!
//! Why our own reader and not the `cggtts` crate: version 4.4 of that crate
//! rejects six of the eight real files in the test data ("VersionFormat":
//! a single space after "CGGTTS" in the Gorgy files; a checksum error in the
//! GLONASS example), does not check header checksums, and its errors carry no
//! line numbers, which this project's parsers must give.
//!
//! Tracks are parsed by white-space-separated fields, so column-misaligned
//! files still read; their checksums then fail and are reported
//! ([`Cggtts::bad_checksums`]) or rejected, as [`ReadOptions`] says.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Which header-checksum convention verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderChecksum {
    /// Sum without CR/LF bytes (CGGTTS V2E text; e.g. GTR51 receivers).
    ExcludingLineEnds,
    /// Sum including one LF byte per header line (e.g. Gorgy SYREF25).
    IncludingLineFeeds,
}

impl HeaderChecksum {
    /// The convention's name in reports (`ExcludingLineEnds`, `IncludingLineFeeds`).
    pub fn name(self) -> &'static str {
        match self {
            HeaderChecksum::ExcludingLineEnds => "ExcludingLineEnds",
            HeaderChecksum::IncludingLineFeeds => "IncludingLineFeeds",
        }
    }
}

/// Strictness of the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Reject the file when the header checksum verifies in neither convention.
    pub strict_header_checksum: bool,
    /// Reject the file at the first track whose CK does not verify
    /// (otherwise such tracks are dropped and listed).
    pub strict_track_checksums: bool,
}

impl Default for ReadOptions {
    /// Strict header, lenient tracks (a single corrupted track line should
    /// not lose a day of data; it is dropped and reported).
    fn default() -> Self {
        ReadOptions {
            strict_header_checksum: true,
            strict_track_checksums: false,
        }
    }
}

/// One track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Track {
    /// Satellite (system letter and PRN, e.g. `G05`, `E13`).
    pub sat: String,
    /// Common-view class (hex, e.g. `FF`).
    pub class: String,
    /// MJD of the track start.
    pub mjd: i64,
    /// Start time, seconds of the day (UTC).
    pub start_s: u32,
    /// Track length, s.
    pub trkl_s: i64,
    /// Elevation, 0.1°.
    pub elv: i64,
    /// Azimuth, 0.1°.
    pub azth: i64,
    /// REFSV, 0.1 ns.
    pub refsv: i64,
    /// SRSV, 0.1 ps/s.
    pub srsv: i64,
    /// REFSYS, 0.1 ns.
    pub refsys: i64,
    /// SRSYS, 0.1 ps/s.
    pub srsys: i64,
    /// DSG, 0.1 ns.
    pub dsg: i64,
    /// Issue of ephemeris.
    pub ioe: i64,
    /// Modelled tropospheric delay, 0.1 ns.
    pub mdtr: i64,
    /// Its slope, 0.1 ps/s.
    pub smdt: i64,
    /// Modelled ionospheric delay, 0.1 ns.
    pub mdio: i64,
    /// Its slope, 0.1 ps/s.
    pub smdi: i64,
    /// Measured ionospheric delay, its slope and ISG (dual-frequency files).
    pub msio: Option<(i64, i64, i64)>,
    /// GLONASS frequency channel.
    pub fr: i64,
    /// Receiver hardware channel.
    pub hc: i64,
    /// Frequency code (e.g. `L1C`, `E1`).
    pub frc: String,
    /// 1-based line in the file.
    pub line: usize,
}

impl Track {
    /// REFSYS in ns (local reference − GNSS system time).
    pub fn refsys_ns(&self) -> f64 {
        self.refsys as f64 / 10.0
    }

    /// Whether REFSYS holds a value (all-9 fields mean "no value").
    pub fn has_refsys(&self) -> bool {
        self.refsys.abs() < 9_999_999_999
    }
}

/// A CGGTTS file.
#[derive(Debug, Clone, PartialEq)]
pub struct Cggtts {
    /// `REV DATE`.
    pub rev_date: String,
    /// `RCVR`.
    pub rcvr: String,
    /// `CH`.
    pub ch: String,
    /// `IMS`.
    pub ims: String,
    /// `LAB`.
    pub lab: String,
    /// Antenna coordinates X, Y, Z (m).
    pub xyz_m: [f64; 3],
    /// `FRAME`.
    pub frame: String,
    /// `COMMENTS`.
    pub comments: String,
    /// Delay lines (`SYS DLY`, `INT DLY`, `TOT DLY`, `CAB DLY`, `REF DLY`), as written.
    pub delays: Vec<(String, String)>,
    /// `REF`.
    pub reference: String,
    /// Header checksum as stated.
    pub cksum: u8,
    /// The convention under which it verified (None: it did not).
    pub header_checksum: Option<HeaderChecksum>,
    /// Whether the file has the MSIO/SMSI/ISG columns.
    pub ionospheric: bool,
    /// Tracks whose checksum verified.
    pub tracks: Vec<Track>,
    /// Lines of tracks whose checksum did not verify (dropped).
    pub bad_checksums: Vec<usize>,
}

/// A file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct CggttsError {
    /// File name as given.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

fn byte_sum(s: &str) -> u32 {
    s.bytes().map(u32::from).sum()
}

const HEADER_KEYS: [&str; 10] = [
    "REV DATE", "RCVR", "CH", "IMS", "LAB", "X", "Y", "Z", "FRAME", "COMMENTS",
];

impl Cggtts {
    /// Reads a CGGTTS V2E file with the default [`ReadOptions`].
    pub fn parse(file: &str, text: &str) -> Result<Cggtts, CggttsError> {
        Self::parse_with(file, text, ReadOptions::default())
    }

    /// Reads a CGGTTS V2E file.
    pub fn parse_with(file: &str, text: &str, opts: ReadOptions) -> Result<Cggtts, CggttsError> {
        let err = |line: usize, reason: String| CggttsError {
            file: file.to_string(),
            line,
            reason,
        };
        let lines: Vec<&str> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        let first = lines.first().copied().unwrap_or("");
        let mut words = first.split_whitespace();
        if words.next() != Some("CGGTTS") {
            return Err(err(
                1,
                "not a CGGTTS file (line 1 must start with CGGTTS)".into(),
            ));
        }
        let rest: Vec<&str> = words.collect();
        if rest.join(" ") != "GENERIC DATA FORMAT VERSION = 2E" {
            return Err(err(
                1,
                format!("unsupported version line {first:?} (expected VERSION = 2E)"),
            ));
        }
        let mut fields: BTreeMap<String, String> = BTreeMap::new();
        let mut delays = Vec::new();
        let mut sum = byte_sum(first);
        let mut cksum_line = None;
        for (i, l) in lines.iter().enumerate().skip(1) {
            let line = i + 1;
            let Some((k, v)) = l.split_once('=') else {
                return Err(err(line, format!("header line {l:?} is not 'KEY = value'")));
            };
            let key = k.trim();
            if key == "CKSUM" {
                // The sum runs through "CKSUM = " (the key, spaces and '=').
                let upto = l.find('=').map_or(0, |p| p + 1);
                let upto = upto + l[upto..].len() - l[upto..].trim_start().len();
                sum += byte_sum(&l[..upto]);
                let stated = u8::from_str_radix(v.trim(), 16).map_err(|_| {
                    err(line, format!("CKSUM {:?} is not two hex digits", v.trim()))
                })?;
                cksum_line = Some((line, stated));
                break;
            }
            sum += byte_sum(l);
            if key.ends_with("DLY") {
                delays.push((key.to_string(), v.trim().to_string()));
            } else if HEADER_KEYS.contains(&key) || key == "REF" {
                fields.insert(key.to_string(), v.trim().to_string());
            } else {
                return Err(err(line, format!("unknown header key {key:?}")));
            }
        }
        let Some((ck_line, stated)) = cksum_line else {
            return Err(err(lines.len(), "header ends without a CKSUM line".into()));
        };
        let excl = (sum % 256) as u8;
        // One LF per line before the CKSUM line.
        let incl = ((sum + 10 * (ck_line as u32 - 1)) % 256) as u8;
        let header_checksum = if stated == excl {
            Some(HeaderChecksum::ExcludingLineEnds)
        } else if stated == incl {
            Some(HeaderChecksum::IncludingLineFeeds)
        } else {
            None
        };
        if header_checksum.is_none() && opts.strict_header_checksum {
            return Err(err(
                ck_line,
                format!(
                    "header checksum {stated:02X} does not verify (computed {excl:02X} without line ends, {incl:02X} with LF)"
                ),
            ));
        }
        let get = |k: &str, line: usize| -> Result<String, CggttsError> {
            fields
                .get(k)
                .cloned()
                .ok_or_else(|| err(line, format!("header has no {k} line")))
        };
        let coord = |k: &str| -> Result<f64, CggttsError> {
            let v = get(k, ck_line)?;
            let num = v.split_whitespace().next().unwrap_or("");
            num.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| err(ck_line, format!("{k} = {v:?} is not a coordinate in m")))
        };
        // Blank line, column titles, units.
        let mut i = ck_line; // 0-based index of the line after CKSUM
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
        let titles = lines.get(i).copied().unwrap_or("");
        if !titles.trim_start().starts_with("SAT") {
            return Err(err(
                i + 1,
                "expected the column title line 'SAT CL MJD ...'".into(),
            ));
        }
        let ionospheric = titles.split_whitespace().any(|w| w == "MSIO");
        let n_fields = if ionospheric { 24 } else { 21 };
        i += 1;
        if lines
            .get(i)
            .is_some_and(|l| l.split_whitespace().next() == Some("hhmmss"))
        {
            i += 1;
        } else {
            return Err(err(
                i + 1,
                "expected the units line 'hhmmss s .1dg ...'".into(),
            ));
        }
        let mut tracks = Vec::new();
        let mut bad = Vec::new();
        for (j, l) in lines.iter().enumerate().skip(i) {
            let line = j + 1;
            if l.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = l.split_whitespace().collect();
            if f.len() != n_fields {
                return Err(err(
                    line,
                    format!("track has {} fields, expected {n_fields}", f.len()),
                ));
            }
            let ck_tok = f[n_fields - 1];
            let ck = u8::from_str_radix(ck_tok, 16)
                .ok()
                .filter(|_| ck_tok.len() == 2)
                .ok_or_else(|| err(line, format!("checksum {ck_tok:?} is not two hex digits")))?;
            let body = l.trim_end();
            let body = &body[..body.len() - 2];
            let computed = (byte_sum(body) % 256) as u8;
            let int = |k: usize, name: &str| -> Result<i64, CggttsError> {
                f[k].parse::<i64>()
                    .map_err(|_| err(line, format!("{name} {:?} is not an integer", f[k])))
            };
            let st = f[3];
            if st.len() != 6 || !st.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(line, format!("STTIME {st:?} is not hhmmss")));
            }
            let (hh, mm, ss): (u32, u32, u32) = (
                st[0..2].parse().unwrap_or(99),
                st[2..4].parse().unwrap_or(99),
                st[4..6].parse().unwrap_or(99),
            );
            if hh > 23 || mm > 59 || ss > 59 {
                return Err(err(line, format!("STTIME {st:?} is not a time of day")));
            }
            let o = usize::from(ionospheric) * 3;
            let t = Track {
                sat: f[0].to_string(),
                class: f[1].to_string(),
                mjd: int(2, "MJD")?,
                start_s: hh * 3600 + mm * 60 + ss,
                trkl_s: int(4, "TRKL")?,
                elv: int(5, "ELV")?,
                azth: int(6, "AZTH")?,
                refsv: int(7, "REFSV")?,
                srsv: int(8, "SRSV")?,
                refsys: int(9, "REFSYS")?,
                srsys: int(10, "SRSYS")?,
                dsg: int(11, "DSG")?,
                ioe: int(12, "IOE")?,
                mdtr: int(13, "MDTR")?,
                smdt: int(14, "SMDT")?,
                mdio: int(15, "MDIO")?,
                smdi: int(16, "SMDI")?,
                msio: if ionospheric {
                    Some((int(17, "MSIO")?, int(18, "SMSI")?, int(19, "ISG")?))
                } else {
                    None
                },
                fr: int(17 + o, "FR")?,
                hc: int(18 + o, "HC")?,
                frc: f[19 + o].to_string(),
                line,
            };
            if computed != ck {
                if opts.strict_track_checksums {
                    return Err(err(
                        line,
                        format!(
                            "track checksum {ck:02X} does not verify (computed {computed:02X})"
                        ),
                    ));
                }
                bad.push(line);
                continue;
            }
            tracks.push(t);
        }
        Ok(Cggtts {
            rev_date: get("REV DATE", ck_line)?,
            rcvr: get("RCVR", ck_line)?,
            ch: get("CH", ck_line)?,
            ims: get("IMS", ck_line)?,
            lab: get("LAB", ck_line)?,
            xyz_m: [coord("X")?, coord("Y")?, coord("Z")?],
            frame: get("FRAME", ck_line)?,
            comments: get("COMMENTS", ck_line)?,
            delays,
            reference: get("REF", ck_line)?,
            cksum: stated,
            header_checksum,
            ionospheric,
            tracks,
            bad_checksums: bad,
        })
    }

    /// Writes the file in CGGTTS V2E layout with LF line ends, the header
    /// checksum computed in the given convention and every track checksum
    /// computed. Track fields use the V2E column widths (space padded,
    /// explicit signs on signed fields).
    pub fn to_text(&self, convention: HeaderChecksum) -> String {
        let mut head: Vec<String> = vec![
            "CGGTTS     GENERIC DATA FORMAT VERSION = 2E".into(),
            format!("REV DATE = {}", self.rev_date),
            format!("RCVR = {}", self.rcvr),
            format!("CH = {}", self.ch),
            format!("IMS = {}", self.ims),
            format!("LAB = {}", self.lab),
            format!("X = {:+.3} m", self.xyz_m[0]),
            format!("Y = {:+.3} m", self.xyz_m[1]),
            format!("Z = {:+.3} m", self.xyz_m[2]),
            format!("FRAME = {}", self.frame),
            format!("COMMENTS = {}", self.comments),
        ];
        for (k, v) in &self.delays {
            head.push(format!("{k} = {v}"));
        }
        head.push(format!("REF = {}", self.reference));
        let mut sum: u32 = head.iter().map(|l| byte_sum(l)).sum::<u32>() + byte_sum("CKSUM = ");
        if convention == HeaderChecksum::IncludingLineFeeds {
            sum += 10 * head.len() as u32;
        }
        let mut s = String::new();
        for l in &head {
            let _ = writeln!(s, "{l}");
        }
        let _ = writeln!(s, "CKSUM = {:02X}", sum % 256);
        let _ = writeln!(s);
        if self.ionospheric {
            s.push_str("SAT CL  MJD  STTIME TRKL ELV AZTH   REFSV      SRSV     REFSYS    SRSYS  DSG IOE MDTR SMDT MDIO SMDI MSIO SMSI ISG FR HC FRC CK\n");
            s.push_str("             hhmmss  s  .1dg .1dg    .1ns     .1ps/s     .1ns    .1ps/s .1ns     .1ns.1ps/s.1ns.1ps/s.1ns.1ps/s.1ns\n");
        } else {
            s.push_str("SAT CL  MJD  STTIME TRKL ELV AZTH   REFSV      SRSV     REFSYS    SRSYS  DSG IOE MDTR SMDT MDIO SMDI FR HC FRC CK\n");
            s.push_str("             hhmmss  s  .1dg .1dg    .1ns     .1ps/s     .1ns    .1ps/s .1ns     .1ns.1ps/s.1ns.1ps/s\n");
        }
        for t in &self.tracks {
            let line = track_line(t);
            let _ = writeln!(s, "{line}");
        }
        s
    }
}

/// One track line with its checksum (V2E column widths).
pub fn track_line(t: &Track) -> String {
    let mut l = format!(
        "{:<3} {:>2} {:05} {:02}{:02}{:02} {:>4} {:>3} {:>4} {:>+11} {:>+6} {:>+11} {:>+6} {:>4} {:03} {:>4} {:>+4} {:>4} {:>+4}",
        t.sat,
        t.class,
        t.mjd,
        t.start_s / 3600,
        t.start_s / 60 % 60,
        t.start_s % 60,
        t.trkl_s,
        t.elv,
        t.azth,
        t.refsv,
        t.srsv,
        t.refsys,
        t.srsys,
        t.dsg,
        t.ioe,
        t.mdtr,
        t.smdt,
        t.mdio,
        t.smdi
    );
    if let Some((msio, smsi, isg)) = t.msio {
        let _ = write!(l, " {msio:>4} {smsi:>+4} {isg:>3}");
    }
    let _ = write!(l, " {:>2} {:>2} {:>3} ", t.fr, t.hc, t.frc);
    let ck = byte_sum(&l) % 256;
    let _ = write!(l, "{ck:02X}");
    l
}

/// A track off the BIPM schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleIssue {
    /// Line of the track.
    pub line: usize,
    /// Satellite.
    pub sat: String,
    /// Start (s of day).
    pub start_s: u32,
    /// Minutes past the nearest earlier scheduled start.
    pub offset_min: u32,
    /// What is wrong.
    pub reason: &'static str,
}

/// MJD of the schedule's reference: a track starts at 00:02 UTC.
const SCHEDULE_MJD: i64 = 50_722;
/// Minutes per schedule cycle (a sidereal day, rounded to whole minutes).
const CYCLE_MIN: i64 = 1436;
/// Tracks per cycle, 16 minutes apart (89 × 16 = 1424, then a 12-minute gap).
const TRACKS_PER_CYCLE: i64 = 89;

/// Position of an absolute minute (since 0h of the reference MJD) in the
/// schedule: minutes since the cycle's first track.
fn cycle_offset(minute: i64) -> i64 {
    (minute - 2).rem_euclid(CYCLE_MIN)
}

/// The scheduled track starts of a day, in minutes after 0h UTC. The BIPM
/// schedule: 16-minute slots (13-minute tracks with 3 minutes between them),
/// 89 per cycle of 1436 minutes (a sidereal day, so that satellites recur at
/// the same slots), the first cycle starting at 00:02 UTC on MJD 50722.
/// Within a UTC day the slots therefore advance by 4 minutes per day, with
/// one 28-minute gap where a cycle ends.
pub fn schedule(mjd: i64) -> Vec<u32> {
    let day0 = (mjd - SCHEDULE_MJD) * 1440;
    (0..1440)
        .filter(|m| {
            let off = cycle_offset(day0 + m);
            off % 16 == 0 && off / 16 < TRACKS_PER_CYCLE
        })
        .map(|m| m as u32)
        .collect()
}

/// Minute of the day of the first scheduled track on `mjd`.
pub fn first_track_minute(mjd: i64) -> u32 {
    schedule(mjd).first().copied().unwrap_or(0)
}

/// Tracks that do not start at a scheduled slot ([`schedule`]) on a whole
/// minute, or do not last 780 s.
pub fn check_schedule(file: &Cggtts) -> Vec<ScheduleIssue> {
    let mut out = Vec::new();
    for t in &file.tracks {
        let minute = (t.mjd - SCHEDULE_MJD) * 1440 + i64::from(t.start_s / 60);
        let off = cycle_offset(minute);
        let (offset, in_gap) = if off / 16 < TRACKS_PER_CYCLE {
            ((off % 16) as u32, false)
        } else {
            ((off - 16 * (TRACKS_PER_CYCLE - 1)) as u32, true)
        };
        if in_gap {
            out.push(ScheduleIssue {
                line: t.line,
                sat: t.sat.clone(),
                start_s: t.start_s,
                offset_min: offset,
                reason: "start falls in the gap between two schedule cycles",
            });
        } else if t.start_s % 60 != 0 || offset != 0 {
            out.push(ScheduleIssue {
                line: t.line,
                sat: t.sat.clone(),
                start_s: t.start_s,
                offset_min: offset,
                reason: "start is not on a 16-minute schedule slot",
            });
        } else if t.trkl_s != 780 {
            out.push(ScheduleIssue {
                line: t.line,
                sat: t.sat.clone(),
                start_s: t.start_s,
                offset_min: 0,
                reason: "track length is not 780 s",
            });
        }
    }
    out
}

/// One common-view epoch: the mean over satellites of
/// REFSYS(a) − REFSYS(b) = REF(a) − REF(b).
#[derive(Debug, Clone, PartialEq)]
pub struct CommonViewEpoch {
    /// MJD.
    pub mjd: i64,
    /// Track start, s of day.
    pub start_s: u32,
    /// Number of satellites in common view.
    pub n: usize,
    /// Mean of REFSYS(a) − REFSYS(b), ns.
    pub mean_ns: f64,
    /// Standard deviation over satellites, ns (0 for one satellite).
    pub std_ns: f64,
}

/// Common view between two stations' files: tracks matched by satellite,
/// MJD, start time and frequency code; per epoch, the mean and standard
/// deviation over satellites of REFSYS(a) − REFSYS(b), which is
/// REF(a) − REF(b) as the GNSS time cancels (Allan & Weiss, "Accurate time
/// and frequency transfer during common-view of a GPS satellite", Proc.
/// 34th Frequency Control Symposium, 1980). Tracks without a REFSYS value
/// are skipped. Epochs are in time order.
pub fn common_view(a: &Cggtts, b: &Cggtts) -> Vec<CommonViewEpoch> {
    type Key<'a> = (i64, u32, &'a str, &'a str);
    let index: BTreeMap<Key, &Track> = b
        .tracks
        .iter()
        .filter(|t| t.has_refsys())
        .map(|t| ((t.mjd, t.start_s, t.sat.as_str(), t.frc.as_str()), t))
        .collect();
    let mut epochs: BTreeMap<(i64, u32), Vec<f64>> = BTreeMap::new();
    for t in a.tracks.iter().filter(|t| t.has_refsys()) {
        if let Some(u) = index.get(&(t.mjd, t.start_s, t.sat.as_str(), t.frc.as_str())) {
            epochs
                .entry((t.mjd, t.start_s))
                .or_default()
                .push((t.refsys - u.refsys) as f64 / 10.0);
        }
    }
    epochs
        .into_iter()
        .map(|((mjd, start_s), d)| {
            let n = d.len();
            let mean = d.iter().sum::<f64>() / n as f64;
            let std = if n > 1 {
                (d.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
            } else {
                0.0
            };
            CommonViewEpoch {
                mjd,
                start_s,
                n,
                mean_ns: mean,
                std_ns: std,
            }
        })
        .collect()
}

/// One problem found by [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// What [`check`] finds in a file: every problem, not only the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// No problem found.
    pub valid: bool,
    /// Tracks read (those whose checksum verified).
    pub tracks: usize,
    /// The header-checksum convention that verified.
    pub header_checksum: Option<HeaderChecksum>,
    /// The problems, in file order within each kind (format, track checksums, schedule).
    pub problems: Vec<Problem>,
}

/// Checks a CGGTTS V2E file: its format and header checksum (either convention), each track's
/// checksum, and the BIPM track schedule ([`check_schedule`]). What `sevres time cggtts check`
/// and `POST /api/v1/time/cggtts/check` report.
pub fn check(file: &str, text: &str) -> CheckReport {
    match Cggtts::parse(file, text) {
        Err(e) => CheckReport {
            valid: false,
            tracks: 0,
            header_checksum: None,
            problems: vec![Problem {
                line: e.line,
                message: e.reason,
            }],
        },
        Ok(parsed) => {
            let mut problems: Vec<Problem> = parsed
                .bad_checksums
                .iter()
                .map(|&line| Problem {
                    line,
                    message: "track checksum (CK) does not verify".into(),
                })
                .collect();
            problems.extend(check_schedule(&parsed).into_iter().map(|issue| Problem {
                line: issue.line,
                message: format!("{} at {} s: {}", issue.sat, issue.start_s, issue.reason),
            }));
            CheckReport {
                valid: problems.is_empty(),
                tracks: parsed.tracks.len(),
                header_checksum: parsed.header_checksum,
                problems,
            }
        }
    }
}
