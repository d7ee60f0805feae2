//! The committed `openapi.yaml` is the contract; it must match the code. Regenerate with
//! `UPDATE_OPENAPI=1 cargo test -p ocf-tests openapi`.

use serde_json::Value;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");

#[test]
fn the_committed_openapi_yaml_matches_the_code() {
    let generated = ocf_api::openapi::document_yaml().unwrap();
    if std::env::var("UPDATE_OPENAPI").is_ok_and(|v| !v.is_empty()) {
        std::fs::write(PATH, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi.yaml is out of date: run `UPDATE_OPENAPI=1 cargo test -p ocf-tests openapi` and commit it"
    );
}

#[test]
fn every_operation_is_fully_documented() {
    let doc: Value = serde_json::to_value(ocf_api::openapi::document()).unwrap();
    let mut ids = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let here = format!("{method} {path}");
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{here}: operationId"));
            ids.push(id.to_owned());
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{here}: tag"
            );
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{here}: summary"
            );
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("500"), "{here}: 500");
            // The documented exceptions to problem+json (docs/API-DESIGN.md, "Partner channels" and
            // "Transparency"): OAuth's token endpoint and GeoReport's Open311 view.
            let oauth = id == "issue_token" || id.starts_with("open311_");
            for (status, response) in responses {
                if (status.starts_with('4') && !oauth) || status.starts_with('5') {
                    assert!(
                        response["content"]["application/problem+json"].is_object(),
                        "{here} {status}: problem+json body"
                    );
                }
            }
            // Public operations declare no security at all; an optional token is `[{}, {bearer: []}]`.
            if let Some(security) = op.get("security") {
                let security = security.as_array().unwrap();
                let bearer = serde_json::json!({"bearer": []});
                // Partner operations take a machine token (`partner`, OAuth 2.0 client credentials)
                // and name the scope they need.
                let partner = security.len() == 1
                    && security[0]["partner"]
                        .as_array()
                        .is_some_and(|scopes| scopes.len() == 1);
                assert!(
                    security.contains(&bearer) || partner,
                    "{here}: security names bearer, or partner with its scope"
                );
                assert!(responses.contains_key("401"), "{here}: 401");
                // A user's token or a partner's: `[{bearer: []}, {partner: [scope]}]`.
                let either = security.len() == 2
                    && security.contains(&bearer)
                    && security.iter().any(|s| s["partner"].is_array());
                if security.len() > 1 && !either {
                    assert_eq!(security.len(), 2, "{here}: security");
                    assert!(
                        security.contains(&serde_json::json!({})),
                        "{here}: optional token"
                    );
                    assert!(
                        op["description"]
                            .as_str()
                            .is_some_and(|d| d.contains("token is optional")),
                        "{here}: an optional-token operation says so"
                    );
                }
            }
            for (status, response) in responses {
                assert!(
                    response["headers"]["X-Request-Id"].is_object(),
                    "{here} {status}: X-Request-Id"
                );
                let header = match status.as_str() {
                    "201" => Some("Location"),
                    "401" => Some("WWW-Authenticate"),
                    "429" | "503" => Some("Retry-After"),
                    _ => None,
                };
                if let Some(header) = header {
                    assert!(
                        response["headers"][header].is_object(),
                        "{here} {status}: {header}"
                    );
                }
                if oauth && status.starts_with('4') {
                    // RFC 6749 §5.2: the token endpoint's errors are OAuth's JSON, documented as such;
                    // the Open311 view's are GeoReport's array of errors.
                    let schema = &response["content"]["application/json"]["schema"];
                    let documented = if id.starts_with("open311_") {
                        schema["items"]["$ref"]
                            .as_str()
                            .is_some_and(|r| r.ends_with("/Open311Error"))
                    } else {
                        schema["$ref"]
                            .as_str()
                            .is_some_and(|r| r.ends_with("/OAuthError"))
                    };
                    assert!(documented, "{here} {status}: its own error schema");
                    continue;
                }
                if status.starts_with('4') || status.starts_with('5') {
                    let examples = response["content"]["application/problem+json"]["examples"]
                        .as_object()
                        .unwrap_or_else(|| panic!("{here} {status}: examples"));
                    assert!(!examples.is_empty(), "{here} {status}: examples");
                }
            }
            if op["requestBody"]["content"]["application/json"].is_object() {
                for status in ["400", "413", "415", "422"] {
                    assert!(responses.contains_key(status), "{here}: {status}");
                }
            }
        }
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "operation ids are unique");
}

#[test]
fn every_problem_example_has_the_status_of_its_response() {
    let doc: Value = serde_json::to_value(ocf_api::openapi::document()).unwrap();
    let examples = &doc["components"]["examples"];
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap() {
                let Some(refs) =
                    response["content"]["application/problem+json"]["examples"].as_object()
                else {
                    continue;
                };
                for (code, reference) in refs {
                    let name = reference["$ref"]
                        .as_str()
                        .and_then(|r| r.strip_prefix("#/components/examples/"))
                        .unwrap_or_else(|| panic!("{method} {path} {status}: {code} is a $ref"));
                    let value = &examples[name]["value"];
                    assert_eq!(value["code"], code.as_str(), "{method} {path} {status}");
                    assert_eq!(
                        value["status"].to_string(),
                        *status,
                        "{method} {path} {status}: {code}"
                    );
                }
            }
        }
    }
}

/// The committed YAML, read by a YAML loader, is exactly the JSON document the server serves: no value
/// turned into a date, a boolean or a number on the way.
#[test]
fn the_committed_yaml_reads_back_as_the_served_json() {
    let committed = std::fs::read_to_string(PATH).unwrap();
    let parsed: Value = yaml_serde::from_str(&committed).unwrap();
    let served: Value = serde_json::to_value(ocf_api::openapi::document()).unwrap();
    assert!(
        parsed == served,
        "openapi.yaml does not read back as the served document"
    );
}

#[test]
fn every_reference_resolves() {
    fn refs<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v.as_str()) {
                        ("$ref", Some(r)) => out.push(r),
                        _ => refs(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let doc: Value = serde_json::to_value(ocf_api::openapi::document()).unwrap();
    let mut found = Vec::new();
    refs(&doc, &mut found);
    for r in found {
        let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("{r}: local"));
        let pointer = pointer.replace("~1", "/");
        assert!(doc.pointer(&pointer).is_some(), "{r} resolves");
    }
}

#[test]
fn lists_refer_to_their_item_schema() {
    let doc: Value = serde_json::to_value(ocf_api::openapi::document()).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut pages = 0;
    for (name, schema) in schemas {
        if let Some(item) = name.strip_prefix("Paginated_") {
            pages += 1;
            assert_eq!(
                schema["properties"]["items"]["items"]["$ref"],
                format!("#/components/schemas/{item}"),
                "{name}"
            );
        }
    }
    assert!(pages > 0);
}

#[test]
fn every_schema_field_has_a_description() {
    let doc: Value = serde_json::to_value(ocf_api::openapi::document()).unwrap();
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        if let Some(props) = schema["properties"].as_object() {
            for (field, prop) in props {
                assert!(
                    prop["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{name}.{field}: description"
                );
            }
        }
    }
}

/// Every URL field states the rule that `HttpsUrl` enforces (the patterns are literals in the attributes).
#[test]
fn every_url_pattern_is_the_parsers_rule() {
    fn patterns<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
        match value {
            Value::Object(map) => {
                map.iter()
                    .for_each(|(key, v)| match (key.as_str(), v.as_str()) {
                        ("pattern", Some(p)) if p.starts_with("^https://") => out.push(p),
                        _ => patterns(v, out),
                    })
            }
            Value::Array(items) => items.iter().for_each(|v| patterns(v, out)),
            _ => {}
        }
    }
    let doc: Value = serde_json::to_value(ocf_api::openapi::document()).unwrap();
    let mut found = Vec::new();
    patterns(&doc, &mut found);
    assert!(found.len() >= 9, "{} URL fields", found.len());
    for p in found {
        assert_eq!(p, ocf_domain::values::HttpsUrl::PATTERN);
    }
}
