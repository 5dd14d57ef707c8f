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
}

const APPLICANTS: &[Role] = &[Role::Trader, Role::Broker];
const CASEWORK: &[Role] = &[Role::Trader, Role::Broker, Role::Officer];
const OFFICERS: &[Role] = &[Role::Officer];
const STAFF: &[Role] = &[Role::Officer, Role::Admin];
const ADMINS: &[Role] = &[Role::Admin];
const TRADERS: &[Role] = &[Role::Trader];
const AEO_CASEWORK: &[Role] = &[Role::Trader, Role::Officer];

const fn ep(method: &'static str, path: &'static str, access: Access, deploy: Deploy) -> Endpoint {
    Endpoint {
        method,
        path,
        access,
        deploy,
    }
}

use Deploy::{Both, Private};

// One line per endpoint reads as a table; keep rustfmt from unfolding it.
#[rustfmt::skip]
pub const ENDPOINTS: &[Endpoint] = &[
    // Accounts and sessions.
    ep("POST", "/api/v1/auth/login", Access::Public, Both),
    ep("POST", "/api/v1/auth/logout", Access::Authenticated, Both),
    ep("POST", "/api/v1/auth/register", Access::Public, Both),
    ep("GET", "/api/v1/me", Access::Authenticated, Both),
    ep("GET", "/api/v1/notifications", Access::Roles(APPLICANTS, None), Both),
    ep("POST", "/api/v1/mandates", Access::Roles(TRADERS, None), Both),
    ep("DELETE", "/api/v1/mandates/{broker}", Access::Roles(TRADERS, None), Both),
    ep("POST", "/api/v1/admin/users", Access::Roles(ADMINS, None), Private),
    ep("POST", "/api/v1/admin/companies", Access::Roles(ADMINS, None), Private),
    ep("POST", "/api/v1/admin/api-keys", Access::Roles(ADMINS, None), Private),
    ep("DELETE", "/api/v1/admin/api-keys/{id}", Access::Roles(ADMINS, None), Private),
    ep("GET", "/api/v1/audit", Access::Roles(STAFF, None), Private),
    ep("GET", "/api/v1/audit/verify", Access::Roles(STAFF, None), Private),
    // Customs e-Application.
    ep("GET", "/api/v1/application-types", Access::Public, Both),
    ep("GET", "/api/v1/applications", Access::Roles(CASEWORK, Some("applications:read")), Both),
    ep("POST", "/api/v1/applications", Access::Roles(APPLICANTS, Some("applications:write")), Both),
    ep("GET", "/api/v1/applications/{id}", Access::Roles(CASEWORK, Some("applications:read")), Both),
    ep("PUT", "/api/v1/applications/{id}", Access::Roles(APPLICANTS, Some("applications:write")), Both),
    ep("POST", "/api/v1/applications/{id}/actions", Access::Roles(CASEWORK, Some("applications:write")), Both),
    ep("POST", "/api/v1/applications/{id}/attachments", Access::Roles(APPLICANTS, Some("applications:write")), Both),
    ep("GET", "/api/v1/applications/{id}/attachments/{attachment}", Access::Roles(CASEWORK, Some("applications:read")), Both),
    ep("POST", "/api/v1/applications/{id}/assign", Access::Roles(OFFICERS, None), Private),
    ep("GET", "/api/v1/review-queue", Access::Roles(OFFICERS, None), Private),
    ep("GET", "/api/v1/rulings", Access::Public, Both),
    // AEO certification.
    ep("GET", "/api/v1/aeo/questionnaire", Access::Public, Both),
    ep("GET", "/api/v1/aeo/partners", Access::Public, Both),
    ep("GET", "/api/v1/aeo/register", Access::Public, Both),
    ep("GET", "/api/v1/aeo/certificates/{number}", Access::Public, Both),
    ep("GET", "/api/v1/aeo/applications", Access::Roles(AEO_CASEWORK, Some("aeo:read")), Both),
    ep("POST", "/api/v1/aeo/applications", Access::Roles(TRADERS, None), Both),
    ep("GET", "/api/v1/aeo/applications/{id}", Access::Roles(AEO_CASEWORK, Some("aeo:read")), Both),
    ep("POST", "/api/v1/aeo/applications/{id}/actions", Access::Roles(AEO_CASEWORK, None), Both),
    // Pages.
    ep("GET", "/login", Access::Public, Both),
    ep("POST", "/login", Access::Public, Both),
    ep("POST", "/logout", Access::Authenticated, Both),
    ep("GET", "/applications", Access::Roles(CASEWORK, None), Both),
    ep("GET", "/applications/new", Access::Roles(APPLICANTS, None), Both),
    ep("POST", "/applications/new", Access::Roles(APPLICANTS, None), Both),
    ep("GET", "/applications/{id}", Access::Roles(CASEWORK, None), Both),
    ep("POST", "/applications/{id}/edit", Access::Roles(APPLICANTS, None), Both),
    ep("POST", "/applications/{id}/act", Access::Roles(CASEWORK, None), Both),
    ep("GET", "/review-queue", Access::Roles(OFFICERS, None), Private),
    ep("GET", "/aeo/verify", Access::Public, Both),
];

/// The declared rule for a matched route, if any.
pub fn endpoint(method: &str, path: &str) -> Option<&'static Endpoint> {
    ENDPOINTS
        .iter()
        .find(|e| e.method == method && e.path == path)
}
