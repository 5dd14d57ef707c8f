-- One schema for SQLite and PostgreSQL: only TEXT and BIGINT columns, times as sortable
-- UTC text (YYYY-MM-DDTHH:MM:SS.ffffffZ), ids made by the application.

CREATE TABLE companies (
    id TEXT PRIMARY KEY,            -- the business ID (統一編號)
    name TEXT NOT NULL,
    kind TEXT NOT NULL,             -- trader | broker | agency
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    company_id TEXT REFERENCES companies (id),
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    company_id TEXT REFERENCES companies (id),
    scopes TEXT NOT NULL,           -- space-separated
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT
);

-- A broker acts for the traders whose company authorised it.
CREATE TABLE broker_mandates (
    broker_company TEXT NOT NULL REFERENCES companies (id),
    trader_company TEXT NOT NULL REFERENCES companies (id),
    granted_at TEXT NOT NULL,
    revoked_at TEXT,
    PRIMARY KEY (broker_company, trader_company)
);

-- Append-only and hash-chained: each entry's hash covers its fields and the previous hash.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    before_state TEXT,
    after_state TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_object ON audit_log (object);

-- The chain's head. Every write transaction updates it first, which serialises writers on
-- both engines (SQLite's write lock, PostgreSQL's row lock) and so keeps the chain linear.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies (id),
    filed_by_company TEXT REFERENCES companies (id),
    created_by TEXT NOT NULL,
    status TEXT NOT NULL,
    fields TEXT NOT NULL,           -- JSON object: field name -> normalised value
    assigned_to TEXT REFERENCES users (id),
    decision_code TEXT,
    decision_reasons TEXT,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX applications_company ON applications (company_id, updated_at);
CREATE INDEX applications_status ON applications (status, updated_at);

-- What happened to a case, in order; the legal clock is computed from it.
CREATE TABLE application_events (
    application_id TEXT NOT NULL REFERENCES applications (id),
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

CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    owner_kind TEXT NOT NULL,       -- application | aeo
    owner_id TEXT NOT NULL,
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    confidential BIGINT NOT NULL DEFAULT 0,
    uploaded_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX attachments_owner ON attachments (owner_kind, owner_id);

-- Content-addressed; base64 text keeps one column type on both engines.
CREATE TABLE attachment_blobs (
    sha256 TEXT PRIMARY KEY,
    content TEXT NOT NULL
);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    company_id TEXT,
    user_id TEXT,
    subject_ref TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_company ON notifications (company_id, created_at);

-- A mailer sends these and marks them; the service never sends mail inside a request.
CREATE TABLE email_outbox (
    id TEXT PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    attempts BIGINT NOT NULL DEFAULT 0
);

-- Customs' own decisions, fed back to the classification corpus.
CREATE TABLE labelled_examples (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    reference TEXT NOT NULL,
    description TEXT NOT NULL,
    code TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
