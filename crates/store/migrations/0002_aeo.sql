-- AEO certification: the application that becomes the certificate, and its history.
-- Same rules as 0001: TEXT and BIGINT only, times as sortable UTC text.

CREATE TABLE aeo_applications (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,     -- AEO-YYYY-NNNNNN
    company_id TEXT NOT NULL REFERENCES companies (id),
    created_by TEXT NOT NULL,
    status TEXT NOT NULL,
    operator_roles TEXT NOT NULL,       -- space-separated
    profile TEXT NOT NULL,              -- JSON object: company profile field -> value
    responses TEXT NOT NULL,            -- JSON: questionnaire answers, opaque here
    approved_responses TEXT,            -- JSON: responses at the last certification
    grant_kind TEXT,
    reasons TEXT,
    visit_date TEXT,
    findings TEXT,
    certificate_number TEXT UNIQUE,
    issued_on TEXT,
    expires_on TEXT,
    publish_consent BIGINT NOT NULL DEFAULT 0,
    assigned_to TEXT,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX aeo_applications_company ON aeo_applications (company_id);
CREATE INDEX aeo_applications_status ON aeo_applications (status, updated_at);

CREATE TABLE aeo_events (
    application_id TEXT NOT NULL REFERENCES aeo_applications (id),
    seq BIGINT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    message TEXT,
    on_date TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (application_id, seq)
);
