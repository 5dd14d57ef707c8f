-- Imported vehicles as customs cleared them. The facts are the validated record as JSON
-- (field -> canonical text), so agencies' views can be cut field by field.
CREATE TABLE vehicles (
    vin TEXT PRIMARY KEY,
    certificate_number TEXT NOT NULL UNIQUE,
    facts TEXT NOT NULL,
    status TEXT NOT NULL,
    stolen BIGINT NOT NULL DEFAULT 0,
    stolen_note TEXT,
    stolen_by TEXT,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Every read by a partner agency, for its own access log (and the audit log).
CREATE TABLE vehicle_access (
    id TEXT PRIMARY KEY,
    agency TEXT NOT NULL,
    scope TEXT NOT NULL,
    vin TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX vehicle_access_agency ON vehicle_access (agency, at);
