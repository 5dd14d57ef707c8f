-- Labelled data sets of the analysis platform. A version is written once, with its rows,
-- its data card and its audit entry, in one transaction, and never updated or deleted: a
-- change is a new version. Its sha256 addresses the content (platform::content_hash).
CREATE TABLE datasets (
    name TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE dataset_versions (
    name TEXT NOT NULL,
    version BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    -- upload, shared:<folder> or rulings; with the uploaded file's name when there was one.
    source TEXT NOT NULL,
    filename TEXT,
    row_count BIGINT NOT NULL,
    -- The data card (platform::DataCard) as JSON.
    card TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (name, version),
    FOREIGN KEY (name) REFERENCES datasets (name)
);

-- The rows, in canonical order (position), each with the split its text's key gives it.
CREATE TABLE dataset_rows (
    name TEXT NOT NULL,
    version BIGINT NOT NULL,
    position BIGINT NOT NULL,
    row_id TEXT NOT NULL,
    text TEXT NOT NULL,
    code TEXT NOT NULL,
    source TEXT NOT NULL,
    split TEXT NOT NULL,
    PRIMARY KEY (name, version, position),
    FOREIGN KEY (name, version) REFERENCES dataset_versions (name, version)
);
CREATE INDEX dataset_rows_split ON dataset_rows (name, version, split, position);
