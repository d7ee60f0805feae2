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
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
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
        (name = "moderation", description = "Reports, hiding and the public moderation log"),
        (name = "operations", description = "Liveness and readiness probes"),
    ),
    // ProposalSort is only named by a query parameter's `value_type`, which does not register it.
    components(schemas(Problem, FieldProblem, crate::vocab::ProposalSort)),
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

/// Quotes the plain scalars a YAML 1.1 loader (PyYAML and most of the Python and Ruby world) would not
/// read as strings: timestamps such as `2026-11-27T09:30:00Z`, `yes`/`no`/`on`/`off`, sexagesimal
/// numbers. The serializer already quotes what YAML 1.2 would misread, so any plain scalar that is not a
/// number was a string; numbers stay as they are.
pub fn yaml_1_1_safe(yaml: &str) -> String {
    fn indent(line: &str) -> usize {
        line.len() - line.trim_start_matches(' ').len()
    }
    fn is_number(v: &str) -> bool {
        let digits = v.strip_prefix('-').unwrap_or(v);
        let (mantissa, exponent) = match digits.split_once(['e', 'E']) {
            Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
            None => (digits, None),
        };
        let (whole, fraction) = match mantissa.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (mantissa, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        all_digits(whole)
            && (whole == "0" || !whole.starts_with('0'))
            && fraction.is_none_or(all_digits)
            && exponent.is_none_or(all_digits)
    }
    fn needs_quotes(v: &str) -> bool {
        const WORDS: &[&str] = &[
            "y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off",
            "Off", "OFF", "=", "<<",
        ];
        let first = v.as_bytes().first().copied().unwrap_or(b'\'');
        let second = v.as_bytes().get(1).copied().unwrap_or(b' ');
        let starts_numeric = first.is_ascii_digit()
            || (matches!(first, b'-' | b'+' | b'.') && second.is_ascii_digit());
        let plain = !matches!(
            first,
            b'\'' | b'"' | b'|' | b'>' | b'[' | b'{' | b'&' | b'*' | b'!'
        );
        plain && ((starts_numeric && !is_number(v)) || WORDS.contains(&v))
    }
    fn quote(v: &str) -> String {
        format!("'{}'", v.replace('\'', "''"))
    }
    let mut out = String::with_capacity(yaml.len() + yaml.len() / 20);
    let mut block: Option<usize> = None;
    for line in yaml.lines() {
        if let Some(parent) = block {
            if line.trim().is_empty() || indent(line) > parent {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            block = None;
        }
        let mut start = indent(line);
        while line[start..].starts_with("- ") {
            start += 2;
        }
        let (prefix, rest) = line.split_at(start);
        let (key, value) = if let Some(quoted) = rest.strip_prefix('\'') {
            match quoted.find('\'') {
                Some(end) => {
                    let (k, v) = rest.split_at(end + 2);
                    match v.strip_prefix(": ") {
                        Some(v) => (k.to_owned(), Some(v.to_owned())),
                        None => (format!("{k}{v}"), None),
                    }
                }
                None => (String::new(), Some(rest.to_owned())),
            }
        } else if let Some((k, v)) = rest.split_once(": ") {
            (
                if needs_quotes(k) {
                    quote(k)
                } else {
                    k.to_owned()
                },
                Some(v.to_owned()),
            )
        } else if let Some(k) = rest.strip_suffix(':') {
            (
                format!(
                    "{}:",
                    if needs_quotes(k) {
                        quote(k)
                    } else {
                        k.to_owned()
                    }
                ),
                None,
            )
        } else {
            (String::new(), Some(rest.to_owned()))
        };
        out.push_str(prefix);
        out.push_str(&key);
        if let Some(value) = value {
            if !key.is_empty() {
                out.push_str(": ");
            }
            if value.starts_with('|') || value.starts_with('>') {
                block = Some(indent(line));
            }
            if needs_quotes(&value) {
                out.push_str(&quote(&value));
            } else {
                out.push_str(&value);
            }
        }
        out.push('\n');
    }
    out
}

fn problem_content() -> Content {
    Content::new(Some(Ref::from_schema_name("Problem")))
}

fn problem_response(description: &str) -> Response {
    let mut response = Response::new(description);
    response
        .content
        .insert(PROBLEM_JSON.to_owned(), RefOr::T(problem_content()));
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

/// Whether an operation checks a bearer token (required, or optional next to an empty requirement).
fn takes_token(op: &Operation) -> bool {
    op.security.iter().flatten().any(|requirement| {
        serde_json::to_value(requirement)
            .is_ok_and(|v| v.as_object().is_some_and(|m| !m.is_empty()))
    })
}

/// A sample `detail` for each code, for the examples of the document.
fn sample_detail(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::MalformedJson => "the body is not valid JSON: EOF while parsing an object",
        ErrorCode::InvalidQuery => "the query string is invalid: unknown field `page`",
        ErrorCode::BadRequest => "Bad request",
        ErrorCode::Unauthenticated => "this operation needs an access token",
        ErrorCode::InvalidToken => "the access token has expired",
        ErrorCode::InvalidCredentials => "the email or password is incorrect",
        ErrorCode::InvalidRefreshToken => "the refresh token has expired",
        ErrorCode::RefreshTokenReused => {
            "this refresh token was already used; every session from the same sign-in is now revoked"
        }
        ErrorCode::Forbidden => "this needs the admin role",
        ErrorCode::NotAuthor => "only the author may change a proposal",
        ErrorCode::OwnProposal => "authors cannot support their own proposal",
        ErrorCode::NotFound => "proposal not found",
        ErrorCode::RouteNotFound => "no route for this path",
        ErrorCode::MethodNotAllowed => "method not allowed",
        ErrorCode::AlreadyExists => "a record with this code already exists",
        ErrorCode::CannotRemoveOwnAdmin => {
            "admins cannot remove their own admin role; ask another admin"
        }
        ErrorCode::InvalidTransition => "a proposal cannot move from submitted to selected",
        ErrorCode::ProposalNotEditable => {
            "the proposal can no longer be edited: review has started"
        }
        ErrorCode::ProposalMerged => "the proposal was merged into another; support that one",
        ErrorCode::ProposalClosed => "the proposal is closed (rejected or withdrawn)",
        ErrorCode::MergeTargetClosed => "the proposal to merge into is not open",
        ErrorCode::ReportAlreadyResolved => "the report is already resolved",
        ErrorCode::AlreadyHidden => "the proposal is already hidden",
        ErrorCode::NotHidden => "the proposal is not hidden",
        ErrorCode::ConcurrentUpdate => {
            "the proposal was changed by someone else meanwhile; read it again and retry"
        }
        ErrorCode::PayloadTooLarge => "the request body is larger than 65536 bytes",
        ErrorCode::UnsupportedMediaType => {
            "the request body must be JSON (Content-Type: application/json)"
        }
        ErrorCode::ValidationFailed => "password: must be at least 10 characters",
        ErrorCode::TooManyRequests => "too many requests; retry after 60 seconds",
        ErrorCode::InternalError => {
            "An unexpected error occurred; quote the request id when you report it."
        }
        ErrorCode::ServiceUnavailable => {
            "The database is overloaded or unreachable right now; retry shortly."
        }
    }
}

/// The example problem body of `code`, stored once under `#/components/examples/<code>`.
fn problem_example(code: ErrorCode) -> Example {
    let mut value = serde_json::json!({
        "type": format!("urn:ocf:problem:{code}"),
        "title": code.title(),
        "status": code.status().as_u16(),
        "detail": sample_detail(code),
        "code": code,
        "request_id": "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11",
    });
    if code == ErrorCode::ValidationFailed {
        value["errors"] = serde_json::json!([
            {"field": "password", "message": "must be at least 10 characters"}
        ]);
    }
    ExampleBuilder::new()
        .summary(format!("{} ({code})", code.title()))
        .value(Some(value))
        .build()
}

/// The codes a response can carry: those its description names in backticks (and `concurrent_update` when
/// it speaks of a concurrent change), else the usual ones of its status.
fn codes_of(status: &str, description: &str, has_body: bool) -> Vec<ErrorCode> {
    let Ok(status) = status.parse::<u16>() else {
        return Vec::new();
    };
    let mut codes: Vec<ErrorCode> = description
        .split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|word| ErrorCode::ALL.iter().copied().find(|c| c.as_str() == word))
        .collect();
    if description.contains("concurrent") {
        codes.push(ErrorCode::ConcurrentUpdate);
    }
    codes.retain(|c| c.status().as_u16() == status);
    if codes.is_empty() {
        codes = match status {
            400 if has_body => vec![ErrorCode::MalformedJson],
            400 => vec![ErrorCode::InvalidQuery],
            401 => vec![ErrorCode::Unauthenticated, ErrorCode::InvalidToken],
            _ => ErrorCode::ALL
                .iter()
                .copied()
                .filter(|c| c.status().as_u16() == status)
                .take(1)
                .collect(),
        };
    }
    codes.dedup();
    codes
}

fn header_ref(name: &str) -> RefOr<Header> {
    RefOr::Ref(Ref::new(format!("#/components/headers/{name}")))
}

fn string_header(description: &str) -> Header {
    let mut header = Header::new(ObjectBuilder::new().schema_type(Type::String));
    header.description = Some(description.to_owned());
    header
}

/// Links Schemathesis (and people) can follow: from an answer carrying an id to the operations on it.
/// `(link name, target operation)`.
type Target = (&'static str, &'static str);

const LINKS: &[(&str, &str, &[Target], &str)] = &[
    // (operation, status, [(link name, target operation)], where the id is)
    (
        "create_proposal",
        "201",
        &[
            ("GetProposal", "get_proposal"),
            ("UpdateProposal", "update_proposal"),
            ("WithdrawProposal", "withdraw_proposal"),
            ("SupportProposal", "support_proposal"),
            ("UnsupportProposal", "unsupport_proposal"),
            ("GetProposalTimeline", "get_proposal_timeline"),
            ("ReportProposal", "report_proposal"),
        ],
        "$response.body#/id",
    ),
    (
        "get_proposal",
        "200",
        &[
            ("GetProposalTimeline", "get_proposal_timeline"),
            ("SupportProposal", "support_proposal"),
        ],
        "$response.body#/id",
    ),
    (
        "list_proposals",
        "200",
        &[("GetFirstProposal", "get_proposal")],
        "$response.body#/items/0/id",
    ),
    (
        "merge_proposal",
        "200",
        &[("GetSurvivor", "get_proposal")],
        "$response.body#/merged_into",
    ),
    (
        "hide_proposal",
        "200",
        &[("UnhideProposal", "unhide_proposal")],
        "$response.body#/id",
    ),
    (
        "unhide_proposal",
        "200",
        &[("HideProposal", "hide_proposal")],
        "$response.body#/id",
    ),
    (
        "report_proposal",
        "201",
        &[("ResolveReport", "resolve_report")],
        "$response.body#/id",
    ),
    (
        "list_reports",
        "200",
        &[("ResolveFirstReport", "resolve_report")],
        "$response.body#/items/0/id",
    ),
    (
        "create_organization",
        "201",
        &[
            ("GetOrganization", "get_organization"),
            ("UpdateOrganization", "update_organization"),
        ],
        "$response.body#/id",
    ),
    (
        "list_organizations",
        "200",
        &[("GetFirstOrganization", "get_organization")],
        "$response.body#/items/0/id",
    ),
    (
        "list_users",
        "200",
        &[("UpdateFirstUser", "update_user")],
        "$response.body#/items/0/id",
    ),
];

fn add_links(op: &mut Operation) {
    let Some(id) = op.operation_id.clone() else {
        return;
    };
    for (source, status, targets, expression) in LINKS {
        if *source != id {
            continue;
        }
        if let Some(RefOr::T(response)) = op.responses.responses.get_mut(*status) {
            for (name, target) in *targets {
                let link = LinkBuilder::new()
                    .operation_id(*target)
                    .parameter("id", *expression)
                    .description(format!(
                        "`{target}` on this one: its `id` path parameter is `{expression}`"
                    ))
                    .build();
                response.links.insert((*name).to_owned(), RefOr::T(link));
            }
        }
    }
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
            let has_body = op.request_body.is_some();
            let token = takes_token(op);
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
                if !is_error {
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
    add_conditional_requirements(&mut api);
    prune_unused_schemas(&mut api);
    api
}

/// For an `Option<SomeEnum>` field utoipa writes `oneOf: [{$ref, description}, {type: null}]`; the
/// description belongs to the field, so it moves up to the `oneOf`.
fn describe_nullable_refs(api: &mut utoipa::openapi::OpenApi) {
    let Some(components) = api.components.as_mut() else {
        return;
    };
    for schema in components.schemas.values_mut() {
        let RefOr::T(Schema::Object(object)) = schema else {
            continue;
        };
        for property in object.properties.values_mut() {
            let RefOr::T(Schema::OneOf(one_of)) = property else {
                continue;
            };
            if one_of.description.is_some() {
                continue;
            }
            for item in &mut one_of.items {
                if let RefOr::Ref(r) = item
                    && !r.description.is_empty()
                {
                    one_of.description = Some(std::mem::take(&mut r.description));
                }
            }
        }
    }
}

/// utoipa inlines the item schema into each `Paginated_<Item>`; point it at the named `<Item>` schema
/// instead, so a client generates one type for an item whether it comes in a list or alone.
fn page_items_as_refs(api: &mut utoipa::openapi::OpenApi) {
    let Some(components) = api.components.as_mut() else {
        return;
    };
    let names: Vec<String> = components.schemas.keys().cloned().collect();
    for name in names {
        let Some(item) = name.strip_prefix("Paginated_") else {
            continue;
        };
        if !components.schemas.contains_key(item) {
            continue;
        }
        if let Some(RefOr::T(Schema::Object(page))) = components.schemas.get_mut(&name)
            && let Some(RefOr::T(Schema::Array(items))) = page.properties.get_mut("items")
        {
            items.items = ArrayItems::RefOrSchema(Box::new(RefOr::Ref(Ref::from_schema_name(
                item.to_owned(),
            ))));
        }
    }
}

/// Rules between fields that utoipa cannot derive, as JSON Schema `if`/`then`, so that generated data (and
/// clients that validate) know them: a change to one's account names a name or a password, a new password
/// needs the current one, officials (and only they) have an organization, and rejecting needs a reason.
fn add_conditional_requirements(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::Schema;
    // Each subschema that requires a property also names it (`{}`: whatever the object's own
    // `properties` say), as Redocly's `no-required-schema-properties-undefined` asks.
    let rules = [
        (
            "UpdateMeRequest",
            serde_json::json!([
                {"anyOf": [
                    {"required": ["display_name"], "properties": {"display_name": {}}},
                    {"required": ["password"], "properties": {"password": {}}},
                ]},
                {
                    "if": {"required": ["password"], "properties": {"password": {}}},
                    "then": {"required": ["current_password"], "properties": {"current_password": {}}},
                },
            ]),
        ),
        (
            "UpdateUserRequest",
            serde_json::json!([
                {
                    "if": {
                        "required": ["roles", "organization_id"],
                        "properties": {
                            "roles": {"contains": {"const": "official"}},
                            "organization_id": {},
                        },
                    },
                    "then": {"properties": {"organization_id": {"type": "string"}}},
                },
                {
                    "if": {
                        "required": ["roles", "organization_id"],
                        "properties": {
                            "roles": {"not": {"contains": {"const": "official"}}},
                            "organization_id": {},
                        },
                    },
                    "then": {"properties": {"organization_id": {"type": "null"}}},
                },
            ]),
        ),
        (
            "ChangeStatusRequest",
            serde_json::json!([{
                "if": {"properties": {"status": {"const": "rejected"}}, "required": ["status"]},
                "then": {"required": ["reason"], "properties": {"reason": {}}},
            }]),
        ),
    ];
    let Some(components) = api.components.as_mut() else {
        return;
    };
    for (name, rule) in rules {
        if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(name) {
            // One key (`allOf`), so the document's key order does not depend on a hash map's.
            object
                .extensions
                .get_or_insert_with(Default::default)
                .insert("allOf".to_owned(), rule);
        }
    }
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
