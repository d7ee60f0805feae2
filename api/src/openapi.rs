//! The OpenAPI 3.1 document. Paths come from the same `.service(...)` calls that register the routes
//! (utoipa-actix-web), so no endpoint can be served undocumented. `finish` then fills in what every
//! operation shares: the problem+json body of each error, 500 everywhere, 400/413/415 wherever a JSON body
//! is read, 401 wherever a token is required.

use actix_web::App;
use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::server::Server;
use utoipa::openapi::{Content, Ref, RefOr, Response};
use utoipa_actix_web::AppExt;

use crate::error::{FieldProblem, PROBLEM_JSON, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Open Communication Forum API",
        description = "The public JSON API of Open Communication Forum (OCF), the national on- and off-line \
citizen-participation platform: topics, forums, proposals, referrals to ministries and their answers, partner \
channels, and the public record of all of it.\n\nConventions: JSON with snake_case keys; RFC 3339 UTC times; \
cursor pagination (`limit`, `cursor` -> `items`, `next_cursor`); errors are RFC 9457 `application/problem+json` \
with a stable `code`; every response carries `X-Request-Id`.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    tags(
        (name = "accounts", description = "Registration, sign-in, tokens and one's own account"),
        (name = "admin", description = "Account administration (admins only)"),
        (name = "organizations", description = "Ministries and agencies that receive referrals"),
        (name = "policy-areas", description = "The subject list proposals and statistics are grouped by"),
        (name = "proposals", description = "Citizens' proposals: submit, support, search, review, merge, timeline"),
        (name = "moderation", description = "Reports, hiding and the public moderation log"),
        (name = "operations", description = "Liveness and readiness probes"),
    ),
    components(schemas(Problem, FieldProblem)),
)]
struct ApiDoc;

/// The complete document, as served at `/api-docs/openapi.json` and committed as `openapi.yaml`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::configure)
        .split_for_parts();
    finish(api)
}

fn problem_response(description: &str) -> Response {
    let mut response = Response::new(description);
    response.content.insert(
        PROBLEM_JSON.to_owned(),
        RefOr::T(Content::new(Some(Ref::from_schema_name("Problem")))),
    );
    response
}

fn operations_mut(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.options.as_mut(),
        item.head.as_mut(),
        item.patch.as_mut(),
        item.trace.as_mut(),
    ]
    .into_iter()
    .flatten()
}

fn finish(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    let mut server = Server::new("/");
    server.description = Some("The server that serves this document".to_owned());
    api.servers = Some(vec![server]);
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some(
                    "An access token from POST /api/v1/auth/login or /auth/refresh.",
                ))
                .build(),
        ),
    );
    for item in api.paths.paths.values_mut() {
        for op in operations_mut(item) {
            let mut add = |status: &str, description: &str| {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| RefOr::T(problem_response(description)));
            };
            if op.request_body.is_some() {
                add("400", "The body is not valid JSON (`malformed_json`)");
                add("413", "The body is too large (`payload_too_large`)");
                add("415", "The body is not JSON (`unsupported_media_type`)");
            }
            if op.security.is_some() {
                add(
                    "401",
                    "No valid access token (`unauthenticated`, `invalid_token`)",
                );
            }
            add(
                "500",
                "Unexpected failure; the body carries a request id (`internal_error`)",
            );
            // Public operations say so explicitly: an empty requirement means "no authentication".
            op.security
                .get_or_insert_with(|| vec![SecurityRequirement::default()]);
            for (status, response) in &mut op.responses.responses {
                let is_error = status.starts_with('4') || status.starts_with('5');
                if let (true, RefOr::T(response)) = (is_error, response)
                    && response.content.is_empty()
                {
                    response.content.insert(
                        PROBLEM_JSON.to_owned(),
                        RefOr::T(Content::new(Some(Ref::from_schema_name("Problem")))),
                    );
                }
            }
        }
    }
    prune_unused_schemas(&mut api);
    api
}

/// Every `#/components/schemas/<name>` that `value` refers to.
fn schema_refs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match (
                    key.as_str(),
                    v.as_str()
                        .and_then(|r| r.strip_prefix("#/components/schemas/")),
                ) {
                    ("$ref", Some(name)) => out.push(name.to_owned()),
                    _ => schema_refs(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| schema_refs(v, out)),
        _ => {}
    }
}

/// Drops component schemas that no operation reaches (utoipa registers the item types of generic pages
/// even where it inlines them), so the document lists only what is used.
fn prune_unused_schemas(api: &mut utoipa::openapi::OpenApi) {
    let mut pending = Vec::new();
    schema_refs(
        &serde_json::to_value(&api.paths).unwrap_or_default(),
        &mut pending,
    );
    let Some(components) = api.components.as_mut() else {
        return;
    };
    let mut keep = std::collections::BTreeSet::new();
    while let Some(name) = pending.pop() {
        if keep.insert(name.clone())
            && let Some(schema) = components.schemas.get(&name)
        {
            schema_refs(
                &serde_json::to_value(schema).unwrap_or_default(),
                &mut pending,
            );
        }
    }
    components.schemas.retain(|name, _| keep.contains(name));
}

/// Which methods each documented path accepts, for `405 Method Not Allowed` with an `Allow` header.
#[derive(Debug)]
pub struct MethodTable(Vec<(actix_web::dev::ResourceDef, Vec<String>)>);

impl MethodTable {
    pub fn from_document(api: &utoipa::openapi::OpenApi) -> Self {
        let rows = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(m, _)| m.to_owned())
                .collect();
                (actix_web::dev::ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        Self(rows)
    }

    /// The methods allowed on `path`, if any documented route matches it.
    pub fn allowed(&self, path: &str) -> Option<&[String]> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, methods)| methods.as_slice())
    }
}
