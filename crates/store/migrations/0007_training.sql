-- Training runs, the model registry and what serves. A run is a job in a persistent queue:
-- a worker claims it (status running, its name, a heartbeat), checkpoints each epoch, and a
-- run whose worker stopped beating is taken over from its last checkpoint or failed with the
-- reason. Every change of status, proposal, approval, promotion and rollback is audited.
CREATE TABLE training_runs (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    -- The config as submitted (TOML) and as resolved (JSON: data set versions with their
    -- sha256, recipe, hyperparameters, seed): what a rerun starts from.
    config TEXT NOT NULL,
    spec TEXT NOT NULL,
    -- queued, running, succeeded, failed, cancelled.
    status TEXT NOT NULL,
    rerun_of BIGINT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    worker TEXT,
    heartbeat_at TEXT,
    -- Epochs done and saved in the run's checkpoint (0: none).
    checkpoint_epoch BIGINT NOT NULL DEFAULT 0,
    attempts BIGINT NOT NULL DEFAULT 0,
    cancel_requested BIGINT NOT NULL DEFAULT 0,
    error TEXT,
    -- JSON: code revision, library versions, corpus version, encoder: how to reproduce it.
    environment TEXT,
    -- JSON: the training report and the model version it registered.
    result TEXT
);
CREATE INDEX training_runs_status ON training_runs (status, id);

-- What a run said while it ran: epochs (loss, development accuracy), progress and log lines.
CREATE TABLE run_events (
    run_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (run_id, seq),
    FOREIGN KEY (run_id) REFERENCES training_runs (id)
);

-- A model version: a trained head with the fusion tuned for it, its files under the state
-- directory, and its measurements. proposed_by/approved_by record the four eyes.
CREATE TABLE model_versions (
    version TEXT PRIMARY KEY,
    run_id BIGINT NOT NULL,
    dir TEXT NOT NULL,
    trained_for TEXT NOT NULL,
    metrics TEXT NOT NULL,
    -- registered, proposed, promoted (it served at some time), rejected.
    status TEXT NOT NULL,
    proposed_by TEXT,
    proposed_at TEXT,
    proposal_note TEXT,
    approved_by TEXT,
    approved_at TEXT,
    created_at TEXT NOT NULL,
    FOREIGN KEY (run_id) REFERENCES training_runs (id)
);

-- One line per evaluated case, so that two versions compare case by case.
CREATE TABLE model_results (
    version TEXT NOT NULL,
    eval_set TEXT NOT NULL,
    position BIGINT NOT NULL,
    case_id TEXT NOT NULL,
    text TEXT NOT NULL,
    gold TEXT NOT NULL,
    source TEXT NOT NULL,
    predicted TEXT NOT NULL,
    -- 1-based rank of the gold subheading among the top 10; 0 when absent.
    gold_rank BIGINT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (version, eval_set, position),
    FOREIGN KEY (version) REFERENCES model_versions (version)
);

-- The model version that serves (one row), and the one before it, for a rollback.
CREATE TABLE serving_model (
    id BIGINT PRIMARY KEY,
    version TEXT,
    previous TEXT,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL
);
