-- Open data releases. A release is written once, in one transaction with its files and its
-- audit entry, and never updated or deleted: a correction is a new version. The primary keys
-- make a second writer of the same version fail instead of overwriting.
CREATE TABLE opendata_releases (
    dataset TEXT NOT NULL,
    version BIGINT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    -- sha256 of the CSV file: the next publication compares against it to skip no-op releases.
    csv_sha256 TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    -- The signed manifest (opendata::Manifest as JSON): files, hashes, schema, signature.
    manifest TEXT NOT NULL,
    -- What changed since the previous version (counts and a bounded sample), as JSON.
    changes TEXT NOT NULL,
    PRIMARY KEY (dataset, version)
);

-- The files of each release, base64 like attachment blobs; re-hashed when read.
CREATE TABLE opendata_files (
    dataset TEXT NOT NULL,
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (dataset, version, name),
    FOREIGN KEY (dataset, version) REFERENCES opendata_releases (dataset, version)
);

-- Use of the classification service, counted per day: the top HS6 code of each request and
-- the words of its description that belong to the public tariff vocabulary. No request rows,
-- no client, no free text; the open dataset publishes monthly sums of at least k.
CREATE TABLE classification_usage (
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    item TEXT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (day, kind, item)
);
