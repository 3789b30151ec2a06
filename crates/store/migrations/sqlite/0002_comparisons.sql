-- The Key Comparison Database (KCDB 3.0, part 1): institutes, comparisons with their measurands,
-- participants and results, analyses with everything needed to recompute them, published
-- reference values and degrees of equivalence, accounts with hashed tokens, and the append-only
-- audit log. Timestamps are RFC 3339 UTC text; JSON columns hold serde_json text.

CREATE TABLE institutes (
    code         TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    country      TEXT,
    rmo          TEXT,
    ror          TEXT,
    former_codes TEXT NOT NULL DEFAULT '[]',  -- JSON array of former acronyms
    address      TEXT
) STRICT;

CREATE TABLE comparisons (
    id            TEXT PRIMARY KEY NOT NULL,
    title         TEXT NOT NULL,
    -- Read from the identifier; stored for searching.
    kind          TEXT NOT NULL CHECK (kind IN ('key', 'supplementary')),
    scope         TEXT NOT NULL,  -- 'CIPM' or the RMO acronym
    committee     TEXT,
    area          TEXT,
    pilot         TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('registered', 'measurements', 'draft-a',
                                                  'draft-b', 'approved', 'published')),
    -- The CIPM comparison an RMO comparison is linked to; it need not be stored here.
    parent        TEXT,
    report_doi    TEXT,
    registered_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX comparisons_committee ON comparisons (committee);
CREATE INDEX comparisons_status ON comparisons (status);

CREATE TABLE measurands (
    comparison    TEXT NOT NULL REFERENCES comparisons (id),
    position      INTEGER NOT NULL,
    id            TEXT NOT NULL,
    quantity      TEXT NOT NULL,
    unit_text     TEXT NOT NULL,
    unit_notation TEXT NOT NULL,
    nominal       REAL,
    PRIMARY KEY (comparison, id)
) STRICT;

CREATE TABLE participants (
    comparison TEXT NOT NULL REFERENCES comparisons (id),
    position   INTEGER NOT NULL,
    institute  TEXT NOT NULL,
    PRIMARY KEY (comparison, institute)
) STRICT;

CREATE TABLE results (
    comparison           TEXT NOT NULL,
    measurand            TEXT NOT NULL,
    institute            TEXT NOT NULL,
    value                REAL NOT NULL,
    standard_uncertainty REAL NOT NULL CHECK (standard_uncertainty > 0),
    coverage_factor      REAL CHECK (coverage_factor > 0),
    expanded_uncertainty REAL CHECK (expanded_uncertainty > 0),
    dof                  REAL CHECK (dof > 0),
    in_reference         INTEGER NOT NULL CHECK (in_reference IN (0, 1)),
    submitted_by         TEXT NOT NULL,
    date                 TEXT NOT NULL,
    PRIMARY KEY (comparison, measurand, institute),
    FOREIGN KEY (comparison, measurand) REFERENCES measurands (comparison, id),
    FOREIGN KEY (comparison, institute) REFERENCES participants (comparison, institute)
) STRICT;

CREATE TABLE analyses (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    comparison       TEXT NOT NULL REFERENCES comparisons (id),
    measurand        TEXT NOT NULL,
    method           TEXT NOT NULL,
    unit_text        TEXT NOT NULL,
    unit_notation    TEXT NOT NULL,
    input            TEXT NOT NULL,  -- JSON: sevres_comparison::ComparisonInput
    options          TEXT NOT NULL,  -- JSON: sevres_comparison::Options (draws and seed included)
    result           TEXT NOT NULL,  -- JSON: sevres_comparison::Analysis
    software_version TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    FOREIGN KEY (comparison, measurand) REFERENCES measurands (comparison, id)
) STRICT;

CREATE INDEX analyses_comparison ON analyses (comparison);

CREATE TABLE published_references (
    comparison   TEXT NOT NULL REFERENCES comparisons (id),
    measurand    TEXT NOT NULL,
    analysis     INTEGER REFERENCES analyses (id),
    body         TEXT NOT NULL,  -- JSON: sevres_kcdb::PublishedReference
    published_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (comparison, measurand),
    FOREIGN KEY (comparison, measurand) REFERENCES measurands (comparison, id)
) STRICT;

CREATE TABLE accounts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('administrator', 'pilot', 'participant')),
    institute    TEXT,
    comparison   TEXT,
    -- SHA-256 (hex) of the bearer token; the token itself is never stored.
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((role = 'administrator') = (institute IS NULL)),
    CHECK ((role = 'pilot') = (comparison IS NOT NULL))
) STRICT;

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor   TEXT NOT NULL,
    account INTEGER,
    action  TEXT NOT NULL,
    entity  TEXT NOT NULL,
    before  TEXT,  -- JSON
    after   TEXT   -- JSON
) STRICT;

CREATE INDEX audit_log_entity ON audit_log (entity);

-- Append-only: entries are never changed or removed.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
