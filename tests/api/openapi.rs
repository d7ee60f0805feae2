//! The committed `openapi.yaml` is the contract; it must match the code. Regenerate with
//! `UPDATE_OPENAPI=1 cargo test -p ocf-tests openapi`.

use serde_json::Value;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");

#[test]
fn the_committed_openapi_yaml_matches_the_code() {
    let generated = ocf_api::openapi::document().to_yaml().unwrap();
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
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(
                        response["content"]["application/problem+json"].is_object(),
                        "{here} {status}: problem+json body"
                    );
                }
            }
            let security = op["security"]
                .as_array()
                .unwrap_or_else(|| panic!("{here}: security"));
            if security
                .iter()
                .any(|req| req.as_object().is_some_and(|r| !r.is_empty()))
            {
                assert!(responses.contains_key("401"), "{here}: 401");
            }
            if op.get("requestBody").is_some() {
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
