//! A seeded generator of realistic synthetic CMCs, and of questions about them.
//!
//! The KCDB holds about 25 000 published CMCs and no bulk export; tests and benchmarks need more,
//! with known content. The generator draws CMCs from templates that follow real KCDB services
//! across the nine metrology areas (DC voltage and resistance, AC voltage, RF power, gauge
//! blocks, mass, pressure, temperature, humidity, frequency, fibre-optic power, sound pressure
//! level, activity, air kerma, mass and amount fractions, ...), with the units people write
//! (`µV/V`, `%`, `mΩ`, `°C`, `dB`, `dimension 1`), measurand ranges of one to four decades or
//! single levels, and the uncertainty forms of the KCDB: constant or ranging relative and
//! absolute limits, `Q[a, b/V] µV/V`, `Q[a µV/V, b µV]`, `a µΩ/Ω + b µΩ`, `(a + b/f) %`,
//! `Q[a, b*l] nm, l in mm`, tables, and malformed equations. Institutes are real (code, name,
//! country, RMO) and codes follow the KCDB format. The same seed gives the same CMCs
//! (ChaCha8).
//!
//! [`Generator::query`] draws questions from the same templates: a measured value in one of
//! the template's units, often an uncertainty limit (relative or absolute), sometimes a facet or
//! words.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::{
    Classification, Cmc, Date, Domain, EquationText, Institute, KcdbCode, Parameter, Range,
    UncertaintyMode, UncertaintyTable,
};
use crate::search::{Facet, Query, UncertaintyLimit};
use crate::unit::Quantity;

/// How the measurand range of a template is drawn.
#[derive(Debug, Clone, Copy)]
enum Span {
    /// log10 of the least and greatest values, in the template's base unit.
    Log(f64, f64),
    /// Least and greatest values in the single unit (°C, dB, %).
    Linear(f64, f64),
}

/// The uncertainty forms (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Form {
    ConstRel,
    RangeRel,
    RssRel,
    RssMixed,
    LinearMixed,
    Reciprocal,
    RssBound,
    ConstAbs,
    RangeAbs,
    Table,
    Bad,
}

struct Template {
    area: &'static str,
    branch: &'static str,
    service: &'static str,
    sub_service: &'static str,
    individual: &'static str,
    quantity: &'static str,
    instruments: &'static [&'static str],
    methods: &'static [&'static str],
    /// Units with the power of ten of their factor relative to the base unit (first).
    units: &'static [(&'static str, i32)],
    span: Span,
    /// Relative uncertainty unit and its power of ten.
    rel_unit: (&'static str, i32),
    /// log10 of the least and greatest relative expanded uncertainty.
    rel: (f64, f64),
    /// Absolute uncertainty units with their powers of ten (relative to the base unit).
    abs_units: &'static [(&'static str, i32)],
    forms: &'static [Form],
    var: &'static str,
    params: &'static [(&'static str, &'static str)],
    comparisons: &'static [&'static str],
    weight: u32,
}

use Form::*;

const V_UNITS: &[(&str, i32)] = &[("mV", -3), ("V", 0), ("kV", 3)];

const TEMPLATES: &[Template] = &[
    Template {
        area: "EM",
        branch: "DC voltage, current and resistance",
        service: "DC voltage",
        sub_service: "DC voltage sources",
        individual: "Zener diode reference standards",
        quantity: "DC voltage",
        instruments: &[
            "Zener reference",
            "DC voltage calibrator",
            "Digital multimeter",
        ],
        methods: &[
            "Comparison with Josephson voltage standard",
            "Direct measurement with DVM",
        ],
        units: &[("V", 0), ("µV", -6), ("mV", -3), ("kV", 3)],
        span: Span::Log(-3.0, 3.0),
        rel_unit: ("µV/V", -6),
        rel: (-7.7, -5.0),
        abs_units: &[("nV", -9), ("µV", -6), ("mV", -3)],
        forms: &[
            ConstRel,
            RangeRel,
            RssRel,
            RssMixed,
            LinearMixed,
            RssBound,
            Bad,
        ],
        var: "V",
        params: &[],
        comparisons: &["CCEM-K8", "EURAMET.EM-K8", "APMP.EM-K8", "SIM.EM-K8"],
        weight: 8,
    },
    Template {
        area: "EM",
        branch: "DC voltage, current and resistance",
        service: "Resistance",
        sub_service: "Standard resistors",
        individual: "Fixed value",
        quantity: "DC resistance",
        instruments: &["Standard resistor", "Resistance bridge"],
        methods: &[
            "Cryogenic current comparator",
            "Direct current comparator bridge",
        ],
        units: &[
            ("Ω", 0),
            ("µΩ", -6),
            ("mΩ", -3),
            ("kΩ", 3),
            ("MΩ", 6),
            ("GΩ", 9),
        ],
        span: Span::Log(-4.0, 12.0),
        rel_unit: ("µΩ/Ω", -6),
        rel: (-8.3, -4.0),
        abs_units: &[("nΩ", -9), ("µΩ", -6), ("mΩ", -3), ("Ω", 0)],
        forms: &[
            ConstRel,
            RangeRel,
            RssRel,
            LinearMixed,
            RssMixed,
            Table,
            Bad,
        ],
        var: "R",
        params: &[("Current", "1 mA to 100 mA")],
        comparisons: &["CCEM-K2", "EURAMET.EM-K2", "CCEM-K10"],
        weight: 8,
    },
    Template {
        area: "EM",
        branch: "DC voltage, current and resistance",
        service: "DC current",
        sub_service: "DC current meters",
        individual: "Ammeters",
        quantity: "DC current",
        instruments: &["Digital multimeter", "Picoammeter", "Current source"],
        methods: &[
            "Ohm's law with standard resistor",
            "Ultrastable low-noise current amplifier",
        ],
        units: &[("A", 0), ("pA", -12), ("nA", -9), ("µA", -6), ("mA", -3)],
        span: Span::Log(-13.0, 2.0),
        rel_unit: ("µA/A", -6),
        rel: (-7.0, -3.0),
        abs_units: &[("fA", -15), ("pA", -12), ("nA", -9), ("µA", -6)],
        forms: &[ConstRel, RangeRel, RssRel, RssMixed, LinearMixed],
        var: "I",
        params: &[],
        comparisons: &["CCEM-K3", "EURAMET.EM-S24"],
        weight: 5,
    },
    Template {
        area: "EM",
        branch: "AC voltage, current and power",
        service: "AC voltage",
        sub_service: "AC-DC transfer",
        individual: "Thermal converters",
        quantity: "AC voltage",
        instruments: &["AC voltage calibrator", "Thermal converter", "AC voltmeter"],
        methods: &["AC-DC transfer with thermal converter", "Sampling"],
        units: V_UNITS,
        span: Span::Log(-3.0, 3.0),
        rel_unit: ("µV/V", -6),
        rel: (-6.0, -3.5),
        abs_units: &[("µV", -6), ("mV", -3)],
        forms: &[ConstRel, RangeRel, Table, RssRel, Bad],
        var: "V",
        params: &[("Frequency", "10 Hz to 1 MHz")],
        comparisons: &["CCEM-K6.a", "EURAMET.EM-K6.a"],
        weight: 6,
    },
    Template {
        area: "EM",
        branch: "Impedance up to the megahertz range",
        service: "Capacitance",
        sub_service: "Standard capacitors",
        individual: "Fixed value",
        quantity: "Capacitance",
        instruments: &["Standard capacitor", "Capacitance bridge"],
        methods: &["Coaxial bridge", "Comparison with calculable capacitor"],
        units: &[("F", 0), ("pF", -12), ("nF", -9), ("µF", -6), ("mF", -3)],
        span: Span::Log(-12.0, -1.0),
        rel_unit: ("µF/F", -6),
        rel: (-7.0, -4.0),
        abs_units: &[("fF", -15), ("pF", -12)],
        forms: &[ConstRel, RangeRel, RssRel],
        var: "C",
        params: &[("Frequency", "1 kHz")],
        comparisons: &["CCEM-K4"],
        weight: 4,
    },
    Template {
        area: "EM",
        branch: "Radio frequency measurements",
        service: "Power",
        sub_service: "Thermistor mounts",
        individual: "Coaxial",
        quantity: "RF power",
        instruments: &["Thermistor mount", "Power sensor"],
        methods: &["Microcalorimeter", "Direct comparison transfer"],
        units: &[("W", 0), ("µW", -6), ("mW", -3)],
        span: Span::Log(-6.0, 1.0),
        rel_unit: ("%", -2),
        rel: (-3.0, -1.5),
        abs_units: &[("µW", -6)],
        forms: &[ConstRel, RangeRel, Table],
        var: "P",
        params: &[
            ("Frequency", "10 MHz to 50 GHz"),
            ("Connector", "Type-N 50 ohm"),
        ],
        comparisons: &["CCEM.RF-K25.W"],
        weight: 4,
    },
    Template {
        area: "L",
        branch: "Dimensional metrology",
        service: "Length",
        sub_service: "Gauge blocks",
        individual: "Mechanical comparison",
        quantity: "Length, gauge block",
        instruments: &["Gauge block", "Long gauge block"],
        methods: &["Interferometry", "Mechanical comparison"],
        units: &[("mm", -3), ("µm", -6), ("m", 0)],
        span: Span::Log(-4.0, 0.0),
        rel_unit: ("µm/m", -6),
        rel: (-7.0, -5.5),
        abs_units: &[("nm", -9), ("µm", -6)],
        forms: &[ConstAbs, RssBound, RssMixed, RangeAbs],
        var: "l",
        params: &[("Material", "steel, ceramic")],
        comparisons: &["CCL-K1", "EURAMET.L-K1"],
        weight: 6,
    },
    Template {
        area: "L",
        branch: "Laser frequency",
        service: "Wavelength",
        sub_service: "Stabilised lasers",
        individual: "Iodine-stabilised He-Ne",
        quantity: "Vacuum wavelength",
        instruments: &["Stabilised laser"],
        methods: &["Beat frequency with frequency comb"],
        units: &[("nm", -9), ("µm", -6)],
        span: Span::Log(-6.7, -5.5),
        rel_unit: ("dimension 1", 0),
        rel: (-11.0, -8.0),
        abs_units: &[("fm", -15)],
        forms: &[ConstRel],
        var: "λ",
        params: &[],
        comparisons: &["CCL-K11"],
        weight: 2,
    },
    Template {
        area: "L",
        branch: "Dimensional metrology",
        service: "Angle",
        sub_service: "Angle standards",
        individual: "Polygons",
        quantity: "Plane angle",
        instruments: &["Polygon", "Autocollimator"],
        methods: &["Angle comparator"],
        units: &[("rad", 0), ("µrad", -6), ("mrad", -3)],
        span: Span::Log(-5.0, 0.7),
        rel_unit: ("µrad/rad", -6),
        rel: (-6.0, -4.0),
        abs_units: &[("µrad", -6), ("nrad", -9)],
        forms: &[ConstAbs, RssBound, RangeAbs],
        var: "θ",
        params: &[],
        comparisons: &["CCL-K3"],
        weight: 2,
    },
    Template {
        area: "M",
        branch: "Mass standards",
        service: "Mass",
        sub_service: "Weights",
        individual: "Stainless steel weights",
        quantity: "Mass",
        instruments: &["Weight", "Set of weights"],
        methods: &["Subdivision", "Comparison with national prototype copy"],
        units: &[("kg", 0), ("mg", -6), ("g", -3)],
        span: Span::Log(-6.0, 3.7),
        rel_unit: ("mg/kg", -6),
        rel: (-8.0, -5.5),
        abs_units: &[("µg", -9), ("mg", -6), ("g", -3)],
        forms: &[ConstAbs, RssBound, RssMixed, RangeAbs],
        var: "m",
        params: &[("Density", "7950 kg/m³")],
        comparisons: &["CCM.M-K1", "EURAMET.M.M-K4"],
        weight: 6,
    },
    Template {
        area: "M",
        branch: "Pressure",
        service: "Gauge pressure",
        sub_service: "Pressure balances",
        individual: "Gas medium",
        quantity: "Pressure, gauge",
        instruments: &["Pressure balance", "Pressure transducer"],
        methods: &["Cross-float with primary pressure balance"],
        units: &[("Pa", 0), ("kPa", 3), ("MPa", 6)],
        span: Span::Log(0.0, 8.3),
        rel_unit: ("%", -2),
        rel: (-5.0, -3.5),
        abs_units: &[("mPa", -3), ("Pa", 0)],
        forms: &[ConstRel, RangeRel, RssMixed, LinearMixed, RssRel],
        var: "p",
        params: &[("Medium", "nitrogen")],
        comparisons: &["CCM.P-K1.c", "EURAMET.M.P-K1.b"],
        weight: 5,
    },
    Template {
        area: "M",
        branch: "Force",
        service: "Static force",
        sub_service: "Force transducers",
        individual: "Compression",
        quantity: "Force",
        instruments: &["Force transducer", "Proving ring"],
        methods: &["Deadweight machine", "Hydraulic amplification machine"],
        units: &[("N", 0), ("kN", 3), ("MN", 6)],
        span: Span::Log(0.0, 7.0),
        rel_unit: ("%", -2),
        rel: (-5.0, -3.0),
        abs_units: &[("mN", -3), ("N", 0)],
        forms: &[ConstRel, RangeRel],
        var: "F",
        params: &[],
        comparisons: &["CCM.F-K1.a"],
        weight: 3,
    },
    Template {
        area: "M",
        branch: "Torque",
        service: "Torque",
        sub_service: "Torque transducers",
        individual: "Static torque",
        quantity: "Torque",
        instruments: &["Torque transducer", "Torque wrench"],
        methods: &["Deadweight lever arm"],
        units: &[("N·m", 0), ("kN·m", 3)],
        span: Span::Log(-1.0, 4.0),
        rel_unit: ("%", -2),
        rel: (-4.5, -3.0),
        abs_units: &[("mN·m", -3)],
        forms: &[ConstRel, RangeRel],
        var: "M",
        params: &[],
        comparisons: &["CCM.T-K1"],
        weight: 2,
    },
    Template {
        area: "T",
        branch: "Temperature",
        service: "Resistance thermometers",
        sub_service: "Standard platinum resistance thermometers",
        individual: "Fixed points",
        quantity: "Temperature",
        instruments: &["Standard platinum resistance thermometer"],
        methods: &["Fixed points of ITS-90", "Comparison in stirred bath"],
        units: &[("°C", 0)],
        span: Span::Linear(-200.0, 960.0),
        rel_unit: ("%", -2),
        rel: (-5.0, -4.0),
        abs_units: &[("mK", -3), ("K", 0)],
        forms: &[ConstAbs, RangeAbs, Bad],
        var: "t",
        params: &[("Immersion depth", "> 150 mm")],
        comparisons: &["CCT-K3", "EURAMET.T-K3"],
        weight: 5,
    },
    Template {
        area: "T",
        branch: "Temperature",
        service: "Thermocouples",
        sub_service: "Noble metal thermocouples",
        individual: "Type S",
        quantity: "Temperature",
        instruments: &["Thermocouple"],
        methods: &["Comparison with SPRT", "Fixed points"],
        units: &[("°C", 0)],
        span: Span::Linear(0.0, 1600.0),
        rel_unit: ("%", -2),
        rel: (-4.0, -3.0),
        abs_units: &[("K", 0), ("mK", -3)],
        forms: &[ConstAbs, RangeAbs],
        var: "t",
        params: &[],
        comparisons: &["CCT-K9"],
        weight: 3,
    },
    Template {
        area: "T",
        branch: "Humidity",
        service: "Relative humidity",
        sub_service: "Hygrometers",
        individual: "Capacitive sensors",
        quantity: "Relative humidity",
        instruments: &["Hygrometer"],
        methods: &["Two-pressure generator"],
        units: &[("%RH", 0)],
        span: Span::Linear(5.0, 95.0),
        rel_unit: ("%", -2),
        rel: (-2.5, -1.5),
        abs_units: &[("%RH", 0)],
        forms: &[ConstAbs, RangeAbs],
        var: "h",
        params: &[("Temperature", "23 °C")],
        comparisons: &["CCT-K6"],
        weight: 2,
    },
    Template {
        area: "TF",
        branch: "Frequency",
        service: "Frequency",
        sub_service: "Frequency standards",
        individual: "Caesium beam",
        quantity: "Frequency",
        instruments: &["Frequency standard", "Frequency counter"],
        methods: &["Comparison with UTC(k) via GNSS"],
        units: &[("Hz", 0), ("kHz", 3), ("MHz", 6), ("GHz", 9)],
        span: Span::Log(-2.0, 11.0),
        rel_unit: ("dimension 1", 0),
        rel: (-15.0, -10.0),
        abs_units: &[("µHz", -6)],
        forms: &[ConstRel, RangeRel],
        var: "f",
        params: &[],
        comparisons: &["CCTF-K001.UTC"],
        weight: 3,
    },
    Template {
        area: "TF",
        branch: "Time interval",
        service: "Time interval",
        sub_service: "Time interval generators",
        individual: "Pulse generators",
        quantity: "Time interval",
        instruments: &["Time interval counter", "Pulse generator"],
        methods: &["Time interval counter with reference"],
        units: &[("s", 0), ("ns", -9), ("µs", -6), ("ms", -3)],
        span: Span::Log(-9.0, 4.0),
        rel_unit: ("ns/s", -9),
        rel: (-12.0, -8.0),
        abs_units: &[("ps", -12), ("ns", -9)],
        forms: &[ConstAbs, RssMixed, RssBound],
        var: "T",
        params: &[],
        comparisons: &[],
        weight: 2,
    },
    Template {
        area: "PR",
        branch: "Fibre optics",
        service: "Fibre optic power",
        sub_service: "Power meters",
        individual: "Responsivity",
        quantity: "Fibre optic power",
        instruments: &["Fibre optic power meter"],
        methods: &["Comparison with calibrated detector"],
        units: &[("mW", 0), ("nW", -6), ("µW", -3)],
        span: Span::Log(-6.0, 2.0),
        rel_unit: ("%", -2),
        rel: (-2.5, -1.5),
        abs_units: &[("nW", -6)],
        forms: &[ConstRel, RangeRel, Reciprocal],
        var: "P",
        params: &[("Wavelength", "1310 nm, 1550 nm")],
        comparisons: &["CCPR-K1.b"],
        weight: 3,
    },
    Template {
        area: "PR",
        branch: "Photometry",
        service: "Luminous intensity",
        sub_service: "Standard lamps",
        individual: "Tungsten source",
        quantity: "Luminous intensity",
        instruments: &["Standard lamp"],
        methods: &["Photometric bench"],
        units: &[("cd", 0)],
        span: Span::Log(-1.0, 4.0),
        rel_unit: ("%", -2),
        rel: (-2.3, -1.7),
        abs_units: &[("mcd", -3)],
        forms: &[ConstRel, RangeRel],
        var: "I",
        params: &[("Correlated colour temperature", "2700 K to 3000 K")],
        comparisons: &["CCPR-K3.a"],
        weight: 2,
    },
    Template {
        area: "PR",
        branch: "Radiometry",
        service: "Spectral irradiance",
        sub_service: "Standard lamps",
        individual: "FEL lamps",
        quantity: "Spectral irradiance",
        instruments: &["FEL lamp", "Deuterium lamp"],
        methods: &["Comparison with high-temperature blackbody"],
        units: &[("W/(m²·nm)", 0)],
        span: Span::Log(-4.0, 0.0),
        rel_unit: ("%", -2),
        rel: (-2.2, -1.0),
        abs_units: &[("W/(m²·nm)", 0)],
        forms: &[ConstRel, RangeRel, Table],
        var: "E",
        params: &[("Wavelength", "250 nm to 2500 nm")],
        comparisons: &["CCPR-K1.a"],
        weight: 2,
    },
    Template {
        area: "AUV",
        branch: "Sound in air",
        service: "Sound pressure level",
        sub_service: "Sound calibrators",
        individual: "Multifrequency calibrators",
        quantity: "Sound pressure level",
        instruments: &["Sound calibrator", "Pistonphone"],
        methods: &["Comparison with laboratory standard microphone"],
        units: &[("dB", 0)],
        span: Span::Linear(20.0, 140.0),
        rel_unit: ("%", -2),
        rel: (-3.0, -2.0),
        abs_units: &[("dB", 0)],
        forms: &[ConstAbs, RangeAbs],
        var: "L",
        params: &[("Frequency", "31.5 Hz to 16 kHz")],
        comparisons: &["CCAUV.A-K5"],
        weight: 2,
    },
    Template {
        area: "AUV",
        branch: "Vibration",
        service: "Acceleration",
        sub_service: "Accelerometers",
        individual: "Charge sensitivity",
        quantity: "Charge sensitivity",
        instruments: &["Accelerometer"],
        methods: &["Primary laser interferometry", "Back-to-back comparison"],
        units: &[("pC/(m/s²)", 0)],
        span: Span::Log(-1.0, 2.0),
        rel_unit: ("%", -2),
        rel: (-2.7, -1.5),
        abs_units: &[("pC/(m/s²)", 0)],
        forms: &[ConstRel, RangeRel, Table],
        var: "S",
        params: &[("Frequency", "10 Hz to 10 kHz")],
        comparisons: &["CCAUV.V-K5"],
        weight: 2,
    },
    Template {
        area: "RI",
        branch: "Radioactivity",
        service: "Activity",
        sub_service: "Radionuclide solutions",
        individual: "Gamma emitters",
        quantity: "Activity",
        instruments: &["Radionuclide solution", "Multiple nuclide source, solution"],
        methods: &["Ionization chamber", "Ge detector, multichannel analyzer"],
        units: &[("Bq", 0), ("kBq", 3), ("MBq", 6), ("GBq", 9)],
        span: Span::Log(2.0, 11.0),
        rel_unit: ("%", -2),
        rel: (-2.5, -1.3),
        abs_units: &[("Bq", 0)],
        forms: &[ConstRel, RangeRel],
        var: "A",
        params: &[],
        comparisons: &["BIPM.RI(II)-K1.Co-60", "BIPM.RI(II)-K1.Cs-137"],
        weight: 4,
    },
    Template {
        area: "RI",
        branch: "Dosimetry",
        service: "Air kerma",
        sub_service: "Photons, high energy",
        individual: "Co-60 gamma radiation",
        quantity: "Air kerma",
        instruments: &["Ionization chamber"],
        methods: &["Cavity ionization chamber"],
        units: &[("Gy", 0), ("µGy", -6), ("mGy", -3)],
        span: Span::Log(-6.0, 1.0),
        rel_unit: ("%", -2),
        rel: (-2.5, -2.0),
        abs_units: &[("µGy", -6)],
        forms: &[ConstRel, RangeRel],
        var: "K",
        params: &[],
        comparisons: &["BIPM.RI(I)-K1"],
        weight: 3,
    },
    Template {
        area: "QM",
        branch: "Inorganic solutions",
        service: "Elemental solutions",
        sub_service: "Single element",
        individual: "Metals",
        quantity: "Mass fraction",
        instruments: &["Certified reference material"],
        methods: &["Gravimetry", "ICP-MS"],
        units: &[("mg/kg", 0), ("µg/kg", -3), ("g/kg", 3)],
        span: Span::Log(-3.0, 5.0),
        rel_unit: ("%", -2),
        rel: (-2.5, -0.5),
        abs_units: &[("µg/kg", -3)],
        forms: &[ConstRel, RangeRel],
        var: "w",
        params: &[],
        comparisons: &["CCQM-K87"],
        weight: 4,
    },
    Template {
        area: "QM",
        branch: "Gases",
        service: "Gas mixtures",
        sub_service: "Greenhouse gases",
        individual: "Carbon dioxide in air",
        quantity: "Amount fraction",
        instruments: &["Gas mixture in cylinder"],
        methods: &["Gravimetric preparation", "NDIR comparison"],
        units: &[("µmol/mol", 0), ("nmol/mol", -3), ("mmol/mol", 3)],
        span: Span::Log(-3.0, 5.0),
        rel_unit: ("%", -2),
        rel: (-3.0, -1.0),
        abs_units: &[("nmol/mol", -3)],
        forms: &[ConstRel, RangeRel],
        var: "x",
        params: &[("Matrix", "synthetic air")],
        comparisons: &["CCQM-K120.a"],
        weight: 3,
    },
];

/// Real institutes: code, name, country, ISO code, RMO.
const INSTITUTES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "PTB",
        "Physikalisch-Technische Bundesanstalt",
        "Germany",
        "DE",
        "EURAMET",
    ),
    (
        "NPL",
        "National Physical Laboratory",
        "United Kingdom",
        "GB",
        "EURAMET",
    ),
    (
        "LNE",
        "Laboratoire national de métrologie et d'essais",
        "France",
        "FR",
        "EURAMET",
    ),
    (
        "METAS",
        "Federal Institute of Metrology",
        "Switzerland",
        "CH",
        "EURAMET",
    ),
    (
        "INRIM",
        "Istituto Nazionale di Ricerca Metrologica",
        "Italy",
        "IT",
        "EURAMET",
    ),
    ("VSL", "VSL", "Netherlands", "NL", "EURAMET"),
    (
        "CMI",
        "Czech Metrology Institute",
        "Czechia",
        "CZ",
        "EURAMET",
    ),
    (
        "DFM",
        "Danish Fundamental Metrology",
        "Denmark",
        "DK",
        "EURAMET",
    ),
    ("IO-CSIC", "Instituto de Óptica", "Spain", "ES", "EURAMET"),
    (
        "CEM",
        "Centro Español de Metrología",
        "Spain",
        "ES",
        "EURAMET",
    ),
    (
        "GUM",
        "Central Office of Measures",
        "Poland",
        "PL",
        "EURAMET",
    ),
    (
        "BEV",
        "Bundesamt für Eich- und Vermessungswesen",
        "Austria",
        "AT",
        "EURAMET",
    ),
    (
        "UME",
        "TÜBİTAK Ulusal Metroloji Enstitüsü",
        "Türkiye",
        "TR",
        "EURAMET",
    ),
    (
        "VTT MIKES",
        "VTT Technical Research Centre of Finland",
        "Finland",
        "FI",
        "EURAMET",
    ),
    (
        "RISE",
        "Research Institutes of Sweden",
        "Sweden",
        "SE",
        "EURAMET",
    ),
    (
        "NIST",
        "National Institute of Standards and Technology",
        "United States",
        "US",
        "SIM",
    ),
    (
        "NRC",
        "National Research Council Canada",
        "Canada",
        "CA",
        "SIM",
    ),
    (
        "CENAM",
        "Centro Nacional de Metrología",
        "Mexico",
        "MX",
        "SIM",
    ),
    (
        "INMETRO",
        "Instituto Nacional de Metrologia, Qualidade e Tecnologia",
        "Brazil",
        "BR",
        "SIM",
    ),
    (
        "INTI",
        "Instituto Nacional de Tecnología Industrial",
        "Argentina",
        "AR",
        "SIM",
    ),
    (
        "LAMETRO-ICE",
        "Laboratorio Costarricense de Metrología",
        "Costa Rica",
        "CR",
        "SIM",
    ),
    (
        "NMIJ AIST",
        "National Metrology Institute of Japan",
        "Japan",
        "JP",
        "APMP",
    ),
    (
        "NIM",
        "National Institute of Metrology",
        "China",
        "CN",
        "APMP",
    ),
    (
        "KRISS",
        "Korea Research Institute of Standards and Science",
        "Korea, Republic of",
        "KR",
        "APMP",
    ),
    (
        "NMIA",
        "National Measurement Institute, Australia",
        "Australia",
        "AU",
        "APMP",
    ),
    (
        "MSL",
        "Measurement Standards Laboratory",
        "New Zealand",
        "NZ",
        "APMP",
    ),
    (
        "NPLI",
        "CSIR-National Physical Laboratory",
        "India",
        "IN",
        "APMP",
    ),
    (
        "A*STAR",
        "National Metrology Centre",
        "Singapore",
        "SG",
        "APMP",
    ),
    (
        "CMS",
        "Center for Measurement Standards / ITRI",
        "Chinese Taipei",
        "TW",
        "APMP",
    ),
    (
        "NIMT",
        "National Institute of Metrology (Thailand)",
        "Thailand",
        "TH",
        "APMP",
    ),
    (
        "VNIIM",
        "D.I. Mendeleyev Institute for Metrology",
        "Russian Federation",
        "RU",
        "COOMET",
    ),
    (
        "BelGIM",
        "Belarusian State Institute of Metrology",
        "Belarus",
        "BY",
        "COOMET",
    ),
    (
        "NSC IM",
        "National Scientific Centre Institute of Metrology",
        "Ukraine",
        "UA",
        "COOMET",
    ),
    (
        "NMISA",
        "National Metrology Institute of South Africa",
        "South Africa",
        "ZA",
        "AFRIMETS",
    ),
    (
        "NIS",
        "National Institute of Standards",
        "Egypt",
        "EG",
        "AFRIMETS",
    ),
    (
        "KEBS",
        "Kenya Bureau of Standards",
        "Kenya",
        "KE",
        "AFRIMETS",
    ),
    (
        "EMI",
        "Emirates Metrology Institute",
        "United Arab Emirates",
        "AE",
        "GULFMET",
    ),
    (
        "SASO-NMCC",
        "Saudi Standards, Metrology and Quality Organization",
        "Saudi Arabia",
        "SA",
        "GULFMET",
    ),
];

const BASE36: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// `v` rounded to two significant digits, read back from its decimal text (so that it prints
/// short and is exactly that decimal).
fn nice(v: f64) -> f64 {
    format!("{v:.1e}").parse().unwrap_or(v)
}

/// A number as KCDB equations write it: plain decimals, exponent form when very small or large.
fn num(v: f64) -> String {
    if v != 0.0 && (v.abs() < 1e-4 || v.abs() >= 1e6) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// `m × 10^e` read from decimal text.
fn decimal(m: f64, e: i32) -> f64 {
    format!("{m}e{e}").parse().unwrap_or(m * 10f64.powi(e))
}

/// The seeded generator.
#[derive(Debug, Clone)]
pub struct Generator {
    rng: ChaCha8Rng,
    serial: u64,
    total_weight: u32,
}

impl Generator {
    /// A generator; the same seed gives the same sequence.
    pub fn new(seed: u64) -> Generator {
        Generator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            serial: 0,
            total_weight: TEMPLATES.iter().map(|t| t.weight).sum(),
        }
    }

    fn template(&mut self) -> &'static Template {
        let mut r = self.rng.gen_range(0..self.total_weight.max(1));
        for t in TEMPLATES {
            if r < t.weight {
                return t;
            }
            r -= t.weight;
        }
        &TEMPLATES[0]
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        if items.is_empty() {
            None
        } else {
            Some(items[self.rng.gen_range(0..items.len())])
        }
    }

    fn date(&mut self, from: i32) -> Date {
        let year = self.rng.gen_range(from..=2025);
        Date {
            year,
            month: self.rng.gen_range(1..=12),
            day: self.rng.gen_range(1..=28),
        }
    }

    /// The next CMC.
    pub fn cmc(&mut self) -> Cmc {
        let t = self.template();
        self.serial += 1;
        let inst = self.pick(INSTITUTES).unwrap_or(INSTITUTES[0]);
        let mut id = [b'0'; 8];
        let mut n = self.serial;
        for slot in id.iter_mut().rev() {
            *slot = BASE36[(n % 36) as usize];
            n /= 36;
        }
        let code = format!(
            "{}-{}-{}-{}-{}",
            inst.4,
            t.area,
            inst.3,
            String::from_utf8_lossy(&id),
            self.rng.gen_range(1..=4)
        );
        // Every part comes from the tables above, in the KCDB format.
        let kcdb_code = KcdbCode::from_valid(code);
        let mut c = Cmc::new(kcdb_code);
        c.id = Some(self.serial);
        c.domain = Domain::of_area(t.area);
        c.classification = Classification {
            branch: t.branch.into(),
            service: t.service.into(),
            sub_service: t.sub_service.into(),
            individual_service: t.individual.into(),
        };
        c.quantity = t.quantity.into();
        c.instrument = self.pick(t.instruments).unwrap_or_default().into();
        c.instrument_method = self.pick(t.methods).unwrap_or_default().into();
        c.institute = Institute {
            code: inst.0.into(),
            name: inst.1.into(),
        };
        c.country = inst.2.into();
        c.rmo = inst.4.into();
        c.status = "Published".into();
        let approval = self.date(2000);
        c.approval_date = Some(approval);
        c.publication_date = Some(approval);
        c.status_date = Some(approval);
        c.nmi_service_code = format!("{}/{}", inst.0, self.serial % 1000);
        c.parameters = t
            .params
            .iter()
            .map(|(n, v)| Parameter {
                name: (*n).into(),
                value: (*v).into(),
            })
            .collect();
        if !t.comparisons.is_empty() && self.rng.gen_bool(0.6) {
            let k = self.rng.gen_range(1..=t.comparisons.len().min(2));
            for _ in 0..k {
                if let Some(cmp) = self.pick(t.comparisons) {
                    if !c.comparisons.iter().any(|x| x == cmp) {
                        c.comparisons.push(cmp.into());
                    }
                }
            }
        }
        self.measurand_and_uncertainty(t, &mut c);
        c
    }

    /// Draws the range, the unit and the uncertainty of a CMC of template `t`.
    fn measurand_and_uncertainty(&mut self, t: &Template, c: &mut Cmc) {
        // Range in the base unit, then expressed in the unit that suits its upper end.
        let (unit, unit_e, min_u, max_u) = match t.span {
            Span::Log(lo, hi) => {
                let decades = self.rng.gen_range(0..=4i32);
                let top = (hi.floor() as i32 - decades).max(lo.ceil() as i32);
                let start = self
                    .rng
                    .gen_range(lo.ceil() as i32..=top.max(lo.ceil() as i32));
                let m = self.pick(&[1.0, 2.0, 5.0]).unwrap_or(1.0);
                let single = self.rng.gen_bool(0.1);
                let end = if single {
                    start
                } else {
                    start + decades.max(1)
                };
                let (u, ue) = t
                    .units
                    .iter()
                    .copied()
                    .filter(|(_, e)| *e <= end)
                    .max_by_key(|(_, e)| *e)
                    .unwrap_or(t.units[0]);
                (u, ue, decimal(m, start - ue), decimal(m, end - ue))
            }
            Span::Linear(lo, hi) => {
                let a = (self.rng.gen_range(lo..hi) / 10.0).round() * 10.0;
                let b = (self.rng.gen_range(a..=hi) / 10.0).round() * 10.0;
                (t.units[0].0, t.units[0].1, a.min(b), a.max(b).max(a))
            }
        };
        c.measurand = Some(Range {
            min: Some(min_u),
            max: Some(max_u),
            unit: unit.into(),
        });
        // Relative expanded uncertainty level and an absolute floor (in the base unit).
        let r = 10f64.powf(self.rng.gen_range(t.rel.0..t.rel.1));
        let min_base = decimal(min_u, unit_e);
        let floor =
            (r * min_base.abs().max(decimal(1.0, unit_e)) * self.rng.gen_range(0.3..3.0)).abs();
        let (ru, re) = t.rel_unit;
        let (au, ae) = self.pick(t.abs_units).unwrap_or((unit, unit_e));
        let a = nice(r / 10f64.powi(re));
        let b = nice(floor / 10f64.powi(ae)).max(decimal(1.0, -3));
        let form = self.pick(t.forms).unwrap_or(ConstRel);
        let u = &mut c.uncertainty;
        let (k, p) = match self.rng.gen_range(0..100) {
            0..=84 => (Some(2.0), Some(95.0)),
            85..=91 => (Some(2.0), None),
            92..=94 => (None, Some(95.0)),
            95..=96 => (Some(2.3), Some(95.0)),
            97..=98 => (Some(1.0), Some(68.27)),
            _ => (None, None),
        };
        u.coverage_factor = k;
        u.confidence_level = p;
        // Values at the two ends of the range, as the KCDB lists them.
        let ends = [min_u, max_u];
        let limits = |unit: &str, f: &dyn Fn(f64) -> f64| Range {
            min: Some(nice(f(ends[0]))),
            max: Some(nice(f(ends[1]))),
            unit: unit.to_string(),
        };
        // Value in the base unit of a value in the range's unit.
        let base = |x: f64| x * 10f64.powi(unit_e);
        match form {
            ConstRel => {
                u.mode = Some(UncertaintyMode::Relative);
                u.limits = Some(limits(ru, &|_| a));
            }
            RangeRel | Table => {
                u.mode = Some(UncertaintyMode::Relative);
                let f = self.rng.gen_range(1.5..5.0);
                u.limits = Some(Range {
                    min: Some(nice(a * f)),
                    max: Some(a),
                    unit: ru.into(),
                });
                if form == Table {
                    u.table = Some(UncertaintyTable {
                        name: format!("Matrix {}", self.rng.gen_range(1..20)),
                        rows: 3,
                        cols: 2,
                        comment: String::new(),
                        contents: format!(
                            r#"{{"row_1":{{"col_1":"Level","col_2":"U / {ru}"}},"row_2":{{"col_1":"{min_u} {unit}","col_2":"{}"}},"row_3":{{"col_1":"{max_u} {unit}","col_2":"{a}"}}}}"#,
                            nice(a * f)
                        ),
                    });
                }
            }
            RssRel | Reciprocal => {
                // Relative: √(a² + (c/x)²) or (a + c/x), c/x the floor relative to x.
                let c_coef = nice(floor / 10f64.powi(unit_e + re));
                u.mode = Some(UncertaintyMode::Relative);
                let (text, f): (String, Box<dyn Fn(f64) -> f64>) = if form == RssRel {
                    (
                        format!("Q[{}, {}/{}] {ru}", num(a), num(c_coef), t.var),
                        Box::new(move |x: f64| (a * a + (c_coef / x) * (c_coef / x)).sqrt()),
                    )
                } else {
                    (
                        format!("({} + {}/{}) {ru}", num(a), num(c_coef), t.var),
                        Box::new(move |x: f64| a + c_coef / x),
                    )
                };
                u.limits = Some(limits(ru, &*f));
                u.equation = Some(EquationText {
                    equation: text,
                    comment: String::new(),
                });
            }
            RssMixed | LinearMixed => {
                u.mode = Some(UncertaintyMode::Absolute);
                // In the absolute unit: a·10^re · x_base / 10^ae and b.
                let rel_abs = move |x: f64| a * 10f64.powi(re) * base(x).abs() / 10f64.powi(ae);
                let (text, f): (String, Box<dyn Fn(f64) -> f64>) = if form == RssMixed {
                    (
                        format!("Q[{} {ru}, {} {au}]", num(a), num(b)),
                        Box::new(move |x| (rel_abs(x).powi(2) + b * b).sqrt()),
                    )
                } else {
                    (
                        format!("{} {ru} + {} {au}", num(a), num(b)),
                        Box::new(move |x| rel_abs(x) + b),
                    )
                };
                u.limits = Some(limits(au, &*f));
                u.equation = Some(EquationText {
                    equation: text,
                    comment: String::new(),
                });
            }
            RssBound => {
                u.mode = Some(UncertaintyMode::Absolute);
                // √(b² + (d·x)²) in the absolute unit, x in the range's unit.
                let d = nice(r * 10f64.powi(unit_e - ae));
                let in_comment = self.rng.gen_bool(0.3);
                let text = if in_comment {
                    format!("Q[{}, {}*{}] {au}", num(b), num(d), t.var)
                } else {
                    format!(
                        "Q[{}, {}*{}] {au}, {} in {unit}",
                        num(b),
                        num(d),
                        t.var,
                        t.var
                    )
                };
                u.limits = Some(limits(au, &|x| (b * b + (d * x) * (d * x)).sqrt()));
                u.equation = Some(EquationText {
                    equation: text,
                    comment: if in_comment {
                        format!("{} is the measured value in {unit}", t.var)
                    } else {
                        String::new()
                    },
                });
            }
            ConstAbs => {
                u.mode = Some(UncertaintyMode::Absolute);
                u.limits = Some(limits(au, &|_| b));
            }
            RangeAbs => {
                u.mode = Some(UncertaintyMode::Absolute);
                let f = self.rng.gen_range(1.5..4.0);
                u.limits = Some(Range {
                    min: Some(b),
                    max: Some(nice(b * f)),
                    unit: au.into(),
                });
            }
            Bad => {
                u.mode = Some(UncertaintyMode::Relative);
                u.limits = Some(limits(ru, &|_| a));
                let text = match self.rng.gen_range(0..3) {
                    0 => "see uncertainty matrix".to_string(),
                    1 => format!("Q[{}, {}/{}", num(a), num(b), t.var),
                    _ => format!("{} {ru} + {}", num(a), num(b)),
                };
                u.equation = Some(EquationText {
                    equation: text,
                    comment: String::new(),
                });
            }
        }
    }

    /// A question drawn from the same templates: a value in one of the template's units, an
    /// uncertainty limit (60 %: half relative, half absolute), the quantity as a facet (40 %),
    /// a country (10 %) or words (10 %).
    pub fn query(&mut self) -> Query {
        let t = self.template();
        let (unit, ue) = self.pick(t.units).unwrap_or(t.units[0]);
        let x_base = match t.span {
            Span::Log(lo, hi) => 10f64.powf(self.rng.gen_range(lo..hi)),
            Span::Linear(lo, hi) => self.rng.gen_range(lo..hi),
        };
        let value = nice(x_base / 10f64.powi(ue));
        let mut q = Query::new().limit(20);
        if let Ok(v) = Quantity::new(value, unit) {
            q.measurand = Some(v);
        }
        if self.rng.gen_bool(0.6) {
            let r = nice(10f64.powf(self.rng.gen_range(t.rel.0..t.rel.1)));
            let amount = if self.rng.gen_bool(0.5) {
                Quantity::new(nice(r / 10f64.powi(t.rel_unit.1)), t.rel_unit.0)
            } else {
                let (au, ae) = self.pick(t.abs_units).unwrap_or((unit, ue));
                Quantity::new(nice(r * x_base.abs() / 10f64.powi(ae)), au)
            };
            if let Ok(a) = amount {
                q.uncertainty = Some(UncertaintyLimit::new(a));
            }
        }
        if self.rng.gen_bool(0.4) {
            q = q.facet(Facet::Quantity, t.quantity);
        }
        if self.rng.gen_bool(0.1) {
            let inst = self.pick(INSTITUTES).unwrap_or(INSTITUTES[0]);
            q = q.facet(Facet::Country, inst.3);
        }
        if self.rng.gen_bool(0.1) {
            if let Some(i) = self.pick(t.instruments) {
                q = q.text(i);
            }
        }
        q
    }
}

impl Iterator for Generator {
    type Item = Cmc;
    fn next(&mut self) -> Option<Cmc> {
        Some(self.cmc())
    }
}

/// `n` CMCs from `seed`.
pub fn generate(seed: u64, n: usize) -> Vec<Cmc> {
    Generator::new(seed).take(n).collect()
}
