-- The change feed of the vehicle exchange: one row per created or changed clearance, numbered
-- in commit order (writers are serialised by the audit head), so `seq` is a stable cursor.
CREATE TABLE vehicle_changes (
    seq BIGINT PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    vin TEXT NOT NULL,
    kind TEXT NOT NULL,
    version BIGINT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX vehicle_changes_vin ON vehicle_changes (vin, seq);

-- Agencies' webhook endpoints. The signing secret is kept in clear because HMAC needs it;
-- it is shown to the agency once and never logged.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    scope TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    removed_at TEXT
);
CREATE INDEX webhooks_owner ON webhooks (owner);

-- The outbox: one delivery per (webhook, event), written in the change's transaction and
-- sent by the dispatcher with retries. The unique pair is the deduplication.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    webhook_id TEXT NOT NULL REFERENCES webhooks (id),
    event_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    delivered_at TEXT,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
