-- Calibration and Measurement Capabilities (KCDB 2.0 CMCs).
--
-- Each CMC is kept whole as its KCDB 2.0 API record (JSON text, the shape `sevres-cmc` imports
-- and exports), keyed by its KCDB code, with the few columns that lists and lookups need beside
-- it. Every import is one row of `cmc_imports` (where the CMCs came from, whether they are
-- synthetic) and one audit entry, written in the same transaction as the CMCs.
--
-- `cmc_state.generation` increases with every import: a server that holds a search index
-- derived from these rows compares the generation it was built from with this one (one
-- primary-key read) and rebuilds when they differ, so several servers on one database agree.

CREATE TABLE cmc_imports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- What was imported: a file name, `KCDB 2.0 API JSON upload`, the generator and its seed.
    source      TEXT NOT NULL,
    -- 1 when the CMCs are synthetic (generated, not published by the KCDB).
    synthetic   INTEGER NOT NULL CHECK (synthetic IN (0, 1)),
    -- CMCs in the import; how many were new and how many replaced a stored one (same code).
    count       INTEGER NOT NULL,
    added       INTEGER NOT NULL,
    replaced    INTEGER NOT NULL,
    -- The generation this import made.
    generation  INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE cmcs (
    kcdb_code      TEXT PRIMARY KEY NOT NULL,
    -- The import that last wrote the CMC.
    import_id      INTEGER NOT NULL REFERENCES cmc_imports (id),
    synthetic      INTEGER NOT NULL CHECK (synthetic IN (0, 1)),
    metrology_area TEXT NOT NULL,
    nmi_code       TEXT NOT NULL,
    quantity       TEXT NOT NULL,
    -- The KCDB 2.0 API record (JSON).
    record         TEXT NOT NULL
) STRICT;

CREATE TABLE cmc_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
) STRICT;

INSERT INTO cmc_state (id, generation) VALUES (1, 0);
