//! Every platform endpoint declared once: method, path, who may call it and where it is
//! mounted. The router is built from this table, so no endpoint exists without its rule,
//! and the role-matrix test walks the same table.

use auth::{Access, Role};

/// Where an endpoint is mounted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deploy {
    /// Public and private instances.
    Both,
    /// Only the private (officers') instance: a public one does not mount it.
    Private,
}

#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub deploy: Deploy,
    /// One line for the OpenAPI document.
    pub summary: &'static str,
}

const APPLICANTS: &[Role] = &[Role::Trader, Role::Broker];
const CASEWORK: &[Role] = &[Role::Trader, Role::Broker, Role::Officer];
const OFFICERS: &[Role] = &[Role::Officer];
const STAFF: &[Role] = &[Role::Officer, Role::Admin];
const ADMINS: &[Role] = &[Role::Admin];
const TRADERS: &[Role] = &[Role::Trader];
const AEO_CASEWORK: &[Role] = &[Role::Trader, Role::Officer];
const AGENCIES: &[Role] = &[Role::Agency];
const VEHICLE_READERS: &[Role] = &[Role::Officer, Role::Agency];
const DATA_READERS: &[Role] = &[
    Role::DataScientist,
    Role::Reviewer,
    Role::Officer,
    Role::Admin,
];
const DATA_WRITERS: &[Role] = &[Role::DataScientist, Role::Admin];
const DATA_SCIENTISTS: &[Role] = &[Role::DataScientist];
const REVIEWERS: &[Role] = &[Role::Reviewer];
const ROLLBACK: &[Role] = &[Role::DataScientist, Role::Reviewer, Role::Admin];

const fn ep(
    method: &'static str,
    path: &'static str,
    access: Access,
    deploy: Deploy,
    summary: &'static str,
) -> Endpoint {
    Endpoint {
        method,
        path,
        access,
        deploy,
        summary,
    }
}

use Deploy::{Both, Private};

// One line per endpoint reads as a table; keep rustfmt from unfolding it.
#[rustfmt::skip]
pub const ENDPOINTS: &[Endpoint] = &[
    // Accounts and sessions.
    ep("POST", "/api/v1/auth/login", Access::Public, Both, "Sign in with e-mail and password; returns a session token and sets the session cookie"),
    ep("POST", "/api/v1/auth/logout", Access::Authenticated, Both, "End the current session"),
    ep("POST", "/api/v1/auth/register", Access::Public, Both, "Register a company (by business ID) and its first user"),
    ep("GET", "/api/v1/me", Access::Authenticated, Both, "Who the caller is: role, company, CSRF token of a cookie session"),
    ep("GET", "/api/v1/notifications", Access::Roles(APPLICANTS, None), Both, "The caller's company's notifications, newest first"),
    ep("POST", "/api/v1/mandates", Access::Roles(TRADERS, None), Both, "Authorise a customs broker to file for the caller's company"),
    ep("DELETE", "/api/v1/mandates/{broker}", Access::Roles(TRADERS, None), Both, "Withdraw a broker's authorisation"),
    ep("POST", "/api/v1/admin/users", Access::Roles(ADMINS, None), Private, "Create a user of any role"),
    ep("POST", "/api/v1/admin/companies", Access::Roles(ADMINS, None), Private, "Register a company"),
    ep("POST", "/api/v1/admin/api-keys", Access::Roles(ADMINS, None), Private, "Issue a scoped API key (the secret is shown once)"),
    ep("DELETE", "/api/v1/admin/api-keys/{id}", Access::Roles(ADMINS, None), Private, "Revoke an API key"),
    ep("GET", "/api/v1/audit", Access::Roles(STAFF, None), Private, "Audit entries, newest first or for one object"),
    ep("GET", "/api/v1/audit/verify", Access::Roles(STAFF, None), Private, "Recompute the audit hash chain and report the first broken entry"),
    // Customs e-Application.
    ep("GET", "/api/v1/application-types", Access::Public, Both, "Application types with their form schemas and legal deadlines"),
    ep("GET", "/api/v1/applications", Access::Roles(CASEWORK, Some("applications:read")), Both, "Applications the caller may see"),
    ep("POST", "/api/v1/applications", Access::Roles(APPLICANTS, Some("applications:write")), Both, "Open a draft application"),
    ep("GET", "/api/v1/applications/{id}", Access::Roles(CASEWORK, Some("applications:read")), Both, "One application with its clock, history, attachments and next actions (ETag = version)"),
    ep("PUT", "/api/v1/applications/{id}", Access::Roles(APPLICANTS, Some("applications:write")), Both, "Replace a draft's form (version or If-Match required)"),
    ep("POST", "/api/v1/applications/{id}/actions", Access::Roles(CASEWORK, Some("applications:write")), Both, "Apply a workflow action (submit, start_review, request_info, respond, approve, reject, withdraw)"),
    ep("POST", "/api/v1/applications/{id}/attachments", Access::Roles(APPLICANTS, Some("applications:write")), Both, "Attach a file (raw body; PDF, PNG, JPEG, text or CSV; at most 10 MiB, 10 per case)"),
    ep("GET", "/api/v1/applications/{id}/attachments/{attachment}", Access::Roles(CASEWORK, Some("applications:read")), Both, "Download an attachment"),
    ep("POST", "/api/v1/applications/{id}/assign", Access::Roles(OFFICERS, None), Private, "Assign a case to an officer, or release it"),
    ep("GET", "/api/v1/review-queue", Access::Roles(OFFICERS, None), Private, "Open cases sorted by legal deadline, with their clocks"),
    ep("GET", "/api/v1/rulings", Access::Public, Both, "Approved advance rulings as precedents, confidential parts removed"),
    // AEO certification.
    ep("GET", "/api/v1/aeo/questionnaire", Access::Public, Both, "The AEO self-assessment questionnaire"),
    ep("GET", "/api/v1/aeo/partners", Access::Public, Both, "Mutual-recognition partners of the AEO programme"),
    ep("GET", "/api/v1/aeo/register", Access::Public, Both, "Valid certificates of holders who consented to publication"),
    ep("GET", "/api/v1/aeo/certificates/{number}", Access::Public, Both, "Verify a certificate by number: valid, expired, suspended, revoked or unknown"),
    ep("GET", "/api/v1/aeo/applications", Access::Roles(AEO_CASEWORK, Some("aeo:read")), Both, "AEO applications the caller may see"),
    ep("POST", "/api/v1/aeo/applications", Access::Roles(TRADERS, None), Both, "Apply for AEO status with the self-assessment"),
    ep("GET", "/api/v1/aeo/applications/{id}", Access::Roles(AEO_CASEWORK, Some("aeo:read")), Both, "One AEO case with its assessment, changes since certification and next actions"),
    ep("POST", "/api/v1/aeo/applications/{id}/actions", Access::Roles(AEO_CASEWORK, None), Both, "Apply an AEO workflow action (accept, schedule_visit, certify, suspend, revoke…)"),
    ep("POST", "/api/v1/aeo/evidence", Access::Roles(TRADERS, None), Both, "Upload a document to cite as evidence in the self-assessment"),
    ep("GET", "/api/v1/aeo/applications/{id}/evidence/{attachment}", Access::Roles(AEO_CASEWORK, Some("aeo:read")), Both, "Download evidence a case cites"),
    // Cross-agency vehicle exchange.
    ep("POST", "/api/v1/vehicles", Access::Roles(OFFICERS, None), Private, "Record a vehicle clearance (VIN checked; anomalies flagged)"),
    ep("PUT", "/api/v1/vehicles/{vin}", Access::Roles(OFFICERS, None), Private, "Amend a clearance or change its status (version or If-Match required)"),
    ep("GET", "/api/v1/vehicles/{vin}", Access::Roles(VEHICLE_READERS, None), Both, "A clearance by VIN or certificate number; agencies see their scope's fields, and each read is logged"),
    ep("POST", "/api/v1/vehicles/{vin}/stolen", Access::Roles(AGENCIES, Some("vehicles:police")), Both, "Flag a vehicle as reported stolen (police scope)"),
    ep("GET", "/api/v1/vehicles/access-log", Access::Roles(AGENCIES, None), Both, "The calling agency's own reads"),
    ep("POST", "/api/v1/vehicles/import", Access::Roles(OFFICERS, None), Private, "Import clearances from CSV (text/csv): all rows or none, with a per-line report of rejected rows"),
    ep("GET", "/api/v1/vehicles/{vin}/history", Access::Roles(OFFICERS, None), Private, "A vehicle's timeline: every change and every agency read"),
    ep("GET", "/api/v1/vehicles/changes", Access::Roles(VEHICLE_READERS, None), Both, "The change feed: events after a cursor (`after`), oldest first"),
    ep("GET", "/api/v1/vehicles/webhooks", Access::Roles(AGENCIES, None), Both, "The calling agency's webhooks and their delivery counts"),
    ep("POST", "/api/v1/vehicles/webhooks", Access::Roles(AGENCIES, None), Both, "Register a webhook for the change feed; the signing secret is shown once"),
    ep("DELETE", "/api/v1/vehicles/webhooks/{id}", Access::Roles(AGENCIES, None), Both, "Remove one of the calling agency's webhooks"),
    // Open data.
    ep("GET", "/api/v1/opendata", Access::Public, Both, "The open data catalogue: every dataset with its metadata and latest release (`?format=dcat` for DCAT-AP JSON-LD)"),
    ep("GET", "/api/v1/opendata/catalog.jsonld", Access::Public, Both, "The catalogue as DCAT-AP JSON-LD, for data portals to harvest"),
    ep("GET", "/api/v1/opendata/{dataset}", Access::Public, Both, "A dataset: metadata, columns, versions and quality badges"),
    ep("GET", "/api/v1/opendata/{dataset}/rows", Access::Public, Both, "Query a release: filters (column, column__gte, __lte, __contains, __in, __isnull), _sort or _sort_desc, _size, the _next cursor, _format (json, csv, jsonl, parquet), _version"),
    ep("GET", "/api/v1/opendata/{dataset}/changes", Access::Public, Both, "Every version of a dataset with what changed since the one before"),
    ep("GET", "/api/v1/opendata/{dataset}/{version}/manifest.json", Access::Public, Both, "A release's signed manifest: files with sizes and sha256, rows, schema"),
    ep("GET", "/api/v1/opendata/{dataset}/{version}/{file}", Access::Public, Both, "Download a release file (CSV, JSON, JSON Lines or Parquet); immutable, ETag = sha256"),
    ep("POST", "/api/v1/opendata/{dataset}/releases", Access::Roles(STAFF, None), Private, "Publish a dataset now: a new version when its data changed since the latest release"),
    // Data analysis platform: labelled data sets.
    ep("GET", "/api/v1/datasets", Access::Roles(DATA_READERS, None), Private, "Labelled data sets with their newest versions, and the sources one may register"),
    ep("POST", "/api/v1/datasets", Access::Roles(DATA_WRITERS, None), Private, "Register a version: CSV or JSON Lines as the body (`?name=`) or a multipart form (`name`, `file`), at most 10 MiB and 100,000 rows; or JSON {\"name\", \"source\": \"shared:<folder>\" | \"rulings\"}. Identical content adds no version (200); bad rows are a 422 naming each line"),
    ep("GET", "/api/v1/datasets/{name}", Access::Roles(DATA_READERS, None), Private, "A data set's versions, oldest first"),
    ep("GET", "/api/v1/datasets/{name}/versions/{version}", Access::Roles(DATA_READERS, None), Private, "A version's data card: rows, languages, labels by section and chapter, invalid codes, conflicts, duplicates, leakage, a sample"),
    ep("GET", "/api/v1/datasets/{name}/versions/{version}/rows", Access::Roles(DATA_READERS, None), Private, "A version's rows as JSON Lines, all or one split (`?split=train|dev|test`)"),
    ep("GET", "/api/v1/datasets/{name}/versions/{version}/leakage", Access::Roles(DATA_READERS, None), Private, "Near-duplicate pairs that fall into different splits, with the threshold"),
    // Pages.
    ep("GET", "/login", Access::Public, Both, "Sign-in page"),
    ep("POST", "/login", Access::Public, Both, "Sign in from the page"),
    ep("POST", "/logout", Access::Authenticated, Both, "Sign out from a page"),
    ep("GET", "/applications", Access::Roles(CASEWORK, None), Both, "Applications page"),
    ep("GET", "/applications/new", Access::Roles(APPLICANTS, None), Both, "New application form"),
    ep("POST", "/applications/new", Access::Roles(APPLICANTS, None), Both, "Save or submit the form"),
    ep("GET", "/applications/{id}", Access::Roles(CASEWORK, None), Both, "Application page"),
    ep("POST", "/applications/{id}/edit", Access::Roles(APPLICANTS, None), Both, "Save the form"),
    ep("POST", "/applications/{id}/act", Access::Roles(CASEWORK, None), Both, "Apply an action from the page"),
    ep("POST", "/applications/{id}/assign", Access::Roles(OFFICERS, None), Private, "Take or release a case from the page"),
    ep("POST", "/applications/{id}/attach", Access::Roles(APPLICANTS, None), Both, "Attach a file from the page"),
    ep("GET", "/review-queue", Access::Roles(OFFICERS, None), Private, "Officers' review queue page"),
    ep("GET", "/vehicles", Access::Roles(OFFICERS, None), Private, "Officers' vehicle clearances: search, record, import"),
    ep("POST", "/vehicles", Access::Roles(OFFICERS, None), Private, "Record a clearance from the page"),
    ep("POST", "/vehicles/import", Access::Roles(OFFICERS, None), Private, "Import clearances from an uploaded CSV file"),
    ep("GET", "/vehicles/{vin}", Access::Roles(OFFICERS, None), Private, "A vehicle's page: facts, status, timeline"),
    ep("POST", "/vehicles/{vin}/status", Access::Roles(OFFICERS, None), Private, "Change a clearance's status from the page"),
    ep("POST", "/vehicles/{vin}/amend", Access::Roles(OFFICERS, None), Private, "Amend a clearance's facts from the page (version-checked)"),
    ep("GET", "/api/v1/runs", Access::Roles(DATA_READERS, None), Private, "Training runs, newest first, with status, progress and results"),
    ep("POST", "/api/v1/runs", Access::Roles(DATA_WRITERS, None), Private, "Queue a training run: its TOML config as the body (Content-Type application/toml) or JSON {\"config\": \"<toml>\"}, at most 64 KiB; data set names resolve to versions now; a bad config is a 422 naming each field; 202 with the run"),
    ep("GET", "/api/v1/runs/{id}", Access::Roles(DATA_READERS, None), Private, "A run: config, resolved data versions, environment (code revision, libraries, corpus), epochs, log and result"),
    ep("GET", "/api/v1/runs/{id}/events", Access::Roles(DATA_READERS, None), Private, "A run's events as server-sent events (status, progress, epoch, log) from `?after=` or Last-Event-ID; ends with `end` when the run has finished"),
    ep("POST", "/api/v1/runs/{id}/cancel", Access::Roles(DATA_WRITERS, None), Private, "Cancel a queued run, or stop a running one at its next heartbeat"),
    ep("POST", "/api/v1/runs/{id}/rerun", Access::Roles(DATA_WRITERS, None), Private, "Queue the same config on the same data set versions: the same seed gives the same model"),
    ep("GET", "/api/v1/models", Access::Roles(DATA_READERS, None), Private, "Model versions with their metrics per evaluation set, speed and memory, and which one serves"),
    ep("GET", "/api/v1/models/compare", Access::Roles(DATA_READERS, None), Private, "Two versions side by side on one set (`?a=&b=&set=development`): top-1 difference with a paired bootstrap 95% interval, per chapter and source, the cases that flipped"),
    ep("GET", "/api/v1/models/{version}", Access::Roles(DATA_READERS, None), Private, "One model version"),
    ep("POST", "/api/v1/models/{version}/propose", Access::Roles(DATA_SCIENTISTS, None), Private, "Propose a version for promotion, with a note"),
    ep("POST", "/api/v1/models/{version}/approve", Access::Roles(REVIEWERS, None), Private, "Approve a proposal (not your own): the version serves from now on, swapped without a restart"),
    ep("POST", "/api/v1/models/{version}/reject", Access::Roles(REVIEWERS, None), Private, "Turn a proposal down, with a note"),
    ep("GET", "/api/v1/models/{version}/errors", Access::Roles(DATA_READERS, None), Private, "A version's misclassified cases on a set (`?set=development&chapter=&source=&confidence=low|mid|high`), with the chapters and sources to filter by"),
    ep("POST", "/api/v1/models/{version}/errors/correct", Access::Roles(DATA_WRITERS, None), Private, "Correct a case: {\"set\", \"case_id\", \"action\": \"relabel\" (with \"code\") | \"vague\"}; the change becomes the next version of the case's data set (a shared folder is registered first)"),
    ep("POST", "/api/v1/models/rollback", Access::Roles(ROLLBACK, None), Private, "Serve the version that served before the current one, at once"),
    ep("GET", "/runs", Access::Roles(DATA_READERS, None), Private, "Training runs page: the list and a form to queue a run from TOML"),
    ep("POST", "/runs", Access::Roles(DATA_WRITERS, None), Private, "Queue a run from the page"),
    ep("GET", "/runs/{id}", Access::Roles(DATA_READERS, None), Private, "A run's page: live progress (server-sent events), loss and accuracy curves, figures, what reproduces it, the log"),
    ep("POST", "/runs/{id}/cancel", Access::Roles(DATA_WRITERS, None), Private, "Cancel a run from its page"),
    ep("POST", "/runs/{id}/rerun", Access::Roles(DATA_WRITERS, None), Private, "Run it again from its page"),
    ep("GET", "/models", Access::Roles(DATA_READERS, None), Private, "Model registry page: versions with their figures, what serves, propose, approve, reject, roll back, compare"),
    ep("GET", "/models/compare", Access::Roles(DATA_READERS, None), Private, "Two versions compared: the interval, per chapter and source, flipped cases explained by each version"),
    ep("GET", "/models/{version}/errors", Access::Roles(DATA_READERS, None), Private, "Error analysis page: misclassified cases filtered by chapter, source and confidence, each explained by the version"),
    ep("POST", "/models/{version}/errors/correct", Access::Roles(DATA_WRITERS, None), Private, "Relabel a case or mark it too vague from the error analysis page"),
    ep("POST", "/models/rollback", Access::Roles(ROLLBACK, None), Private, "Roll back from the registry page"),
    ep("POST", "/models/{version}/{action}", Access::Roles(ROLLBACK, None), Private, "Propose (data scientists), approve or reject (reviewers) from the registry page; the action's own rule is checked too"),
    ep("GET", "/datasets", Access::Roles(DATA_READERS, None), Private, "Data sets page: the list, an upload form and a register-from-source form"),
    ep("POST", "/datasets", Access::Roles(DATA_WRITERS, None), Private, "Upload a data set version from the page"),
    ep("POST", "/datasets/register", Access::Roles(DATA_WRITERS, None), Private, "Register a version from a shared folder or the approved rulings"),
    ep("GET", "/datasets/{name}", Access::Roles(DATA_READERS, None), Private, "A data set's versions"),
    ep("GET", "/datasets/{name}/{version}", Access::Roles(DATA_READERS, None), Private, "A version's data card with charts"),
    ep("GET", "/aeo/verify", Access::Public, Both, "Public certificate verification page"),
    ep("GET", "/open-data", Access::Public, Both, "Open data catalogue page"),
    ep("GET", "/open-data/{dataset}", Access::Public, Both, "A dataset's page: statistics, charts, query builder, downloads and versions"),
    ep("GET", "/aeo", Access::Roles(AEO_CASEWORK, None), Both, "AEO cases and evidence page"),
    ep("POST", "/aeo/evidence", Access::Roles(TRADERS, None), Both, "Upload evidence from the page"),
    ep("GET", "/aeo/apply", Access::Roles(TRADERS, None), Both, "AEO self-assessment form"),
    ep("POST", "/aeo/apply", Access::Roles(TRADERS, None), Both, "Submit the self-assessment"),
    ep("GET", "/aeo/cases/{id}", Access::Roles(AEO_CASEWORK, None), Both, "AEO case page"),
    ep("POST", "/aeo/cases/{id}/act", Access::Roles(AEO_CASEWORK, None), Both, "Apply an AEO action from the page"),
];

/// The declared rule for a matched route, if any.
pub fn endpoint(method: &str, path: &str) -> Option<&'static Endpoint> {
    ENDPOINTS
        .iter()
        .find(|e| e.method == method && e.path == path)
}
