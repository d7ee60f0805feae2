//! The OpenAPI 3.1 document. Paths come from the same `.service(...)` calls that register the routes
//! (utoipa-actix-web), so no endpoint can be served undocumented. `finish` then fills in what every
//! operation shares: the problem+json body of each error, 500 everywhere, 400/413/415 wherever a JSON body
//! is read, 401 wherever a token is required.

use actix_web::App;
use utoipa::OpenApi;
use utoipa::openapi::example::{Example, ExampleBuilder};
use utoipa::openapi::header::Header;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{ArrayItems, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{
    ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme,
};
use utoipa::openapi::server::Server;
use utoipa::openapi::{Content, Ref, RefOr, Response};
use utoipa_actix_web::AppExt;

use crate::error::{ErrorCode, FieldProblem, PROBLEM_JSON, Problem};

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
        contact(name = "OCF maintainers"),
    ),
    tags(
        (name = "accounts", description = "Registration, sign-in, tokens and one's own account"),
        (name = "admin", description = "Account administration (admins only)"),
        (name = "organizations", description = "Ministries and agencies that receive referrals"),
        (name = "policy-areas", description = "The subject list proposals and statistics are grouped by"),
        (name = "proposals", description = "Citizens' proposals: submit, support, search, review, merge, timeline"),
        (name = "topics", description = "Citizens' agenda: suggest, vote on and search topics for public forums, and read their timelines"),
        (name = "forums", description = "Open communication forums, regional and policy conferences: plan and run them, register with a waitlist, publish their outcome, and read their timelines"),
        (name = "comments", description = "Threaded comments on proposals, topics and forums: post, reply, like, edit and delete"),
        (name = "moderation", description = "Reports, hiding and the public moderation log"),
        (name = "referrals", description = "The ledger: selected proposals and forum outcomes sent to ministries as official documents, with deadlines, answers, follow-ups, transfers and completion"),
        (name = "notifications", description = "What happened to what one follows"),
        (name = "channels", description = "Partner platforms (People's Idea Box, e-People, local government sites) and their machine credentials (admins only)"),
        (name = "partners", description = "What partner machines do: obtain a token (OAuth 2.0 client credentials), push proposals in and read their status out"),
        (name = "statistics", description = "The whole process in figures: the funnel of proposals, each organization's record with referrals, and the forums held"),
        (name = "open data", description = "Downloadable files of proposals, referrals, forums and comments (CSV and NDJSON), with their data dictionary; no personal data"),
        (name = "open311", description = "An Open311 GeoReport v2 status view of referred proposals, for civic clients that speak that standard (read-only; errors are GeoReport's `[{code, description}]`)"),
        (name = "operations", description = "Liveness and readiness probes"),
    ),
    // The sorts (ProposalSort, TopicSort, ForumSort, CommentSort, QuestionSort) are only named by a query parameter's `value_type`, which does not register it.
    components(schemas(Problem, FieldProblem, crate::vocab::ProposalSort, crate::vocab::TopicSort, crate::vocab::ForumSort, crate::vocab::CommentSort, crate::vocab::QuestionSort, crate::routes::reports::ReportFormat)),
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

/// The document as YAML (`openapi.yaml`, `ocf-api openapi`), readable alike by YAML 1.2 and YAML 1.1
/// loaders.
///
/// # Errors
/// When the document cannot be serialised (a bug).
pub fn document_yaml() -> Result<String, String> {
    document()
        .to_yaml()
        .map(|yaml| yaml_1_1_safe(&yaml))
        .map_err(|e| e.to_string())
}

mod links;
mod methods;
mod problems;
mod schemas;
mod yaml;

use links::*;
pub use methods::MethodTable;
use problems::*;
use schemas::*;
pub use yaml::yaml_1_1_safe;

/// The operation whose errors are OAuth's JSON, not problem+json.
const OAUTH_TOKEN_OPERATION: &str = "issue_token";
/// The prefix of the Open311 operations, whose errors are GeoReport's.
const OPEN311_OPERATIONS: &str = "open311_";

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
    components.add_security_scheme(
        "partner",
        SecurityScheme::OAuth2(OAuth2::with_description(
            [Flow::ClientCredentials(ClientCredentials::new(
                "/api/v1/oauth/token",
                Scopes::from_iter([
                    (
                        "proposals:write",
                        "Create and update the channel's proposals",
                    ),
                    ("proposals:read", "Read the status of the channel's records"),
                    ("webhooks:manage", "Manage the channel's webhooks"),
                ]),
            ))],
            "A partner machine's token from POST /api/v1/oauth/token (client credentials). User \
             endpoints refuse it, and partner endpoints refuse users' tokens.",
        )),
    );
    components.headers.insert(
        "RateLimit-Policy".to_owned(),
        RefOr::T(string_header(
            "A partner channel's quota (IETF httpapi ratelimit headers draft): `\"partner\";q=<requests>;w=60`, \
             per channel across every instance (`PARTNER_QUOTA_PER_MINUTE`, 6000 by default)",
        )),
    );
    components.headers.insert(
        "RateLimit".to_owned(),
        RefOr::T(string_header(
            "What is left of the quota: `\"partner\";r=<remaining>;t=<seconds until the window ends>`",
        )),
    );
    components.headers.insert(
        "X-Request-Id".to_owned(),
        RefOr::T(string_header(
            "The id of this request: the client's `X-Request-Id` when it is 1-128 characters of \
             `[A-Za-z0-9-_.:]`, otherwise a new UUIDv7. Also in the server log and in problem bodies.",
        )),
    );
    components.headers.insert(
        "WWW-Authenticate".to_owned(),
        RefOr::T(string_header(
            "`Bearer realm=\"ocf\"`, with `error=\"invalid_token\"` when a token was sent but is not valid",
        )),
    );
    components.headers.insert(
        "Retry-After".to_owned(),
        RefOr::T({
            let mut header = Header::new(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(0)),
            );
            header.description = Some("Seconds to wait before trying again".to_owned());
            header
        }),
    );
    let mut examples = std::collections::BTreeSet::new();
    for item in api.paths.paths.values_mut() {
        for op in operations_mut(item) {
            // The token endpoint answers OAuth's own errors (RFC 6749 §5.2), not problem+json.
            // So does the Open311 view (GeoReport's `[{code, description}]`), but for a 500.
            let oauth = op.operation_id.as_deref() == Some(OAUTH_TOKEN_OPERATION)
                || op
                    .operation_id
                    .as_deref()
                    .is_some_and(|id| id.starts_with(OPEN311_OPERATIONS));
            // A JSON body's errors; the token endpoint's form and the bulk import's NDJSON have their own.
            let has_body = op
                .request_body
                .as_ref()
                .and_then(|b| serde_json::to_value(b).ok())
                .is_some_and(|b| b["content"]["application/json"].is_object())
                && !oauth;
            let token = takes_token(op);
            let partner = takes_machine_token(op);
            let mut add = |status: &str, description: &str| {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| RefOr::T(problem_response(description)));
            };
            if has_body {
                add("400", "The body is not valid JSON (`malformed_json`)");
                add("413", "The body is too large (`payload_too_large`)");
                add("415", "The body is not JSON (`unsupported_media_type`)");
            }
            if token {
                add(
                    "401",
                    "No valid access token (`unauthenticated`, `invalid_token`)",
                );
            }
            if partner {
                add(
                    "429",
                    "The channel's quota for this minute is spent (`too_many_requests`); see `Retry-After`",
                );
            }
            add(
                "500",
                "Unexpected failure; the body carries a request id (`internal_error`)",
            );
            for (status, response) in &mut op.responses.responses {
                let RefOr::T(response) = response else {
                    continue;
                };
                response
                    .headers
                    .insert("X-Request-Id".to_owned(), header_ref("X-Request-Id"));
                if partner {
                    for name in ["RateLimit-Policy", "RateLimit"] {
                        response.headers.insert(name.to_owned(), header_ref(name));
                    }
                }
                match status.as_str() {
                    "401" => {
                        response.headers.insert(
                            "WWW-Authenticate".to_owned(),
                            header_ref("WWW-Authenticate"),
                        );
                    }
                    "429" | "503" => {
                        response
                            .headers
                            .insert("Retry-After".to_owned(), header_ref("Retry-After"));
                    }
                    _ => {}
                }
                let is_error = status.starts_with('4') || status.starts_with('5');
                if !is_error || (oauth && status != "500") {
                    continue;
                }
                let mut content = problem_content();
                for code in codes_of(status, &response.description, has_body) {
                    content.examples.insert(
                        code.as_str().to_owned(),
                        RefOr::Ref(Ref::new(format!("#/components/examples/{code}"))),
                    );
                    examples.insert(code.as_str());
                }
                response.content.clear();
                response
                    .content
                    .insert(PROBLEM_JSON.to_owned(), RefOr::T(content));
            }
            add_links(op);
        }
    }
    let components = api.components.get_or_insert_with(Default::default);
    for code in ErrorCode::ALL {
        if examples.contains(code.as_str()) {
            components
                .examples
                .insert(code.as_str().to_owned(), RefOr::T(problem_example(*code)));
        }
    }
    page_items_as_refs(&mut api);
    describe_nullable_refs(&mut api);
    https_url_patterns(&mut api);
    add_conditional_requirements(&mut api);
    prune_unused_schemas(&mut api);
    api
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_1_1_look_alikes_are_quoted_and_numbers_are_not() {
        let yaml = "a:\n  example: 2026-11-27T09:30:00Z\n  count: 128\n  f: 0.62\n  id: 0192f5c4-7a8e\n\
                    \x20 b: on\n  list:\n  - 2026-01-01\n  - - 12:30\n  - plain words\n\
                    \x20 text: |-\n    2026-11-27T09:30:00Z stays in a block\n  after: yes\n  '200': x\n  '201':\n    a: b\n";
        let expected = "a:\n  example: '2026-11-27T09:30:00Z'\n  count: 128\n  f: 0.62\n  id: '0192f5c4-7a8e'\n\
                        \x20 b: 'on'\n  list:\n  - '2026-01-01'\n  - - '12:30'\n  - plain words\n\
                        \x20 text: |-\n    2026-11-27T09:30:00Z stays in a block\n  after: 'yes'\n  '200': x\n  '201':\n    a: b\n";
        assert_eq!(yaml_1_1_safe(yaml), expected);
    }
}
