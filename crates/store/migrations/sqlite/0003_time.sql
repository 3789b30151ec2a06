-- The world time scale (Circular T): the laboratories that contribute clocks, and one row per
-- computed month with the figures of its Circular T — [UTC − UTC(k)] at the 5-day dates with
-- uA, uB and u per laboratory (section 1), the EAL and TAI frequency figures, the published text —
-- and the characteristics of every clock that month (phase, frequency, drift, weight).
-- A month is written once, in one transaction, and never changed. Frequencies are fractional,
-- times in ns; nullable numbers are "no value" ('-' in Circular T).

CREATE TABLE time_labs (
    code      TEXT PRIMARY KEY NOT NULL,
    name      TEXT NOT NULL,
    location  TEXT,
    -- 1 for the laboratories of the built-in simulated ensemble.
    simulated INTEGER NOT NULL CHECK (simulated IN (0, 1))
) STRICT;

CREATE TABLE time_months (
    year                INTEGER NOT NULL,
    month               INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    simulated           INTEGER NOT NULL CHECK (simulated IN (0, 1)),
    tai_minus_utc_s     INTEGER NOT NULL,
    tai_minus_utc_note  TEXT NOT NULL,
    mjds                TEXT NOT NULL,  -- JSON array of the dates (MJD)
    pivot               TEXT NOT NULL,
    tai_minus_eal_ns    TEXT NOT NULL,  -- JSON array, one value per date
    eal_minus_tai       REAL NOT NULL,  -- f(EAL) − f(TAI) applied this month
    eal_minus_tai_next  REAL NOT NULL,  -- f(EAL) − f(TAI) for the next month
    y_eal_month         REAL,           -- frequency of EAL from this month's PSFS
    u_y_eal_month       REAL,
    y_eal               REAL,           -- filtered estimate of the frequency of EAL
    u_y_eal             REAL,
    d                   REAL,           -- TAI scale interval − SI second, fractional
    u_d                 REAL,
    birge_ratio         REAL,
    weighted_clocks     INTEGER NOT NULL,
    max_relative_weight REAL NOT NULL,
    circular_t          TEXT NOT NULL,  -- the text in the published layout
    software_version    TEXT NOT NULL,
    computed_by         TEXT NOT NULL,
    computed_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (year, month),
    CHECK ((y_eal_month IS NULL) = (u_y_eal_month IS NULL)),
    CHECK ((y_eal IS NULL) = (u_y_eal IS NULL)),
    CHECK ((d IS NULL) = (u_d IS NULL))
) STRICT;

-- Circular T section 1: one line per laboratory and month...
CREATE TABLE time_lab_months (
    year     INTEGER NOT NULL,
    month    INTEGER NOT NULL,
    lab      TEXT NOT NULL REFERENCES time_labs (code),
    position INTEGER NOT NULL,  -- order of the line in the section
    ua_ns    REAL,
    ub_ns    REAL,
    u_ns     REAL,
    note     TEXT,
    clocks   INTEGER NOT NULL,  -- the laboratory's clocks with data
    weight   REAL NOT NULL,     -- sum of their relative weights
    PRIMARY KEY (year, month, lab),
    FOREIGN KEY (year, month) REFERENCES time_months (year, month)
) STRICT;

CREATE INDEX time_lab_months_lab ON time_lab_months (lab);

-- ... with [UTC − UTC(k)] at each date of the month.
CREATE TABLE time_utc_offsets (
    year     INTEGER NOT NULL,
    month    INTEGER NOT NULL,
    lab      TEXT NOT NULL,
    mjd      INTEGER NOT NULL,
    value_ns REAL,
    PRIMARY KEY (year, month, lab, mjd),
    FOREIGN KEY (year, month, lab) REFERENCES time_lab_months (year, month, lab)
) STRICT;

-- Clock characteristics: every clock, every month.
CREATE TABLE time_clock_months (
    year             INTEGER NOT NULL,
    month            INTEGER NOT NULL,
    lab              TEXT NOT NULL REFERENCES time_labs (code),
    clock            TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('weighted', 'probation', 'abnormal',
                                                     'reentry', 'incomplete', 'jump')),
    weight           REAL NOT NULL CHECK (weight >= 0),
    capped           INTEGER NOT NULL CHECK (capped IN (0, 1)),
    phase_mjd        INTEGER,  -- date of phase_ns
    phase_ns         REAL,     -- EAL − clock
    frequency        REAL,     -- fractional frequency against EAL over the month
    drift_per_day    REAL NOT NULL,
    sigma            REAL,     -- predictability used for the weight
    prediction_error REAL,     -- observed − predicted frequency
    PRIMARY KEY (year, month, lab, clock),
    FOREIGN KEY (year, month) REFERENCES time_months (year, month),
    CHECK ((phase_mjd IS NULL) = (phase_ns IS NULL))
) STRICT;

CREATE INDEX time_clock_months_lab ON time_clock_months (lab);
