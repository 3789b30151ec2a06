-- Releases of the SI reference data: every release stays retrievable, identified by its version,
-- with the SHA-256 digest of its canonical serialization (issue 2, "Integrity").
CREATE TABLE si_releases (
    version      TEXT PRIMARY KEY NOT NULL,
    digest       TEXT NOT NULL,
    loaded_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    dump         TEXT NOT NULL
) STRICT;
