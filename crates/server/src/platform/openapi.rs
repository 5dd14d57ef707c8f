//! The platform's half of the OpenAPI document, written from the endpoint table: every
//! mounted API endpoint with its summary, who may call it, and how callers authenticate.

use auth::Access;
use settings::Profile;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{Components, OpenApi, Required};

use super::{Deploy, ENDPOINTS};

fn method(m: &str) -> HttpMethod {
    match m {
        "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        "PUT" => HttpMethod::Put,
        _ => HttpMethod::Delete,
    }
}

fn who(access: Access) -> String {
    match access {
        Access::Public => "Anyone.".into(),
        Access::Authenticated => "Any signed-in caller.".into(),
        Access::Roles(roles, scope) => {
            let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            let scope = scope.map_or(String::new(), |s| {
                format!(" API keys need the scope `{s}`.")
            });
            format!("Roles: {}.{scope}", names.join(", "))
        }
    }
}

/// Adds the mounted platform endpoints and the two ways to authenticate.
pub fn extend(doc: &mut OpenApi, profile: Profile) {
    let components = doc.components.get_or_insert_with(Components::new);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    components.add_security_scheme(
        "session_cookie",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(super::SESSION_COOKIE))),
    );
    for e in ENDPOINTS.iter().filter(|e| e.path.starts_with("/api/")) {
        if e.deploy == Deploy::Private && !profile.mounts_internal_routes() {
            continue;
        }
        let mut op = OperationBuilder::new()
            .summary(Some(e.summary))
            .description(Some(format!(
                "{}{} Errors are application/problem+json.",
                who(e.access),
                if e.deploy == Deploy::Private {
                    " Private deployment only."
                } else {
                    ""
                }
            )))
            .tag(if e.path.starts_with("/api/v1/aeo") {
                "aeo"
            } else if e.path.starts_with("/api/v1/opendata") {
                "open-data"
            } else if e.path.starts_with("/api/v1/datasets") {
                "data-sets"
            } else if e.path.contains("application")
                || e.path.contains("review")
                || e.path.contains("rulings")
            {
                "e-application"
            } else {
                "accounts"
            })
            .response("200", ResponseBuilder::new().description("Success").build())
            .response(
                "401",
                ResponseBuilder::new()
                    .description("Not signed in, or bad credentials")
                    .build(),
            )
            .response(
                "403",
                ResponseBuilder::new()
                    .description("The caller's role or key scope may not do this")
                    .build(),
            )
            .response(
                "429",
                ResponseBuilder::new()
                    .description("Rate limited; see Retry-After")
                    .build(),
            );
        for param in e
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        {
            op = op.parameter(
                ParameterBuilder::new()
                    .name(param)
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True),
            );
        }
        if e.access != Access::Public {
            op = op
                .security(SecurityRequirement::new("bearer", Vec::<String>::new()))
                .security(SecurityRequirement::new(
                    "session_cookie",
                    Vec::<String>::new(),
                ));
        }
        doc.paths
            .add_path_operation(e.path, vec![method(e.method)], op.build());
    }
}
