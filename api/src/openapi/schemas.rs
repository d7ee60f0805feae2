//! Passes over the component schemas that utoipa cannot express: `$ref` list items, nullable references,
//! rules between fields, the URL rule, and pruning what nothing uses.

use super::*;

/// For an `Option<SomeEnum>` field utoipa writes `oneOf: [{$ref, description}, {type: null}]`; the
/// description belongs to the field, so it moves up to the `oneOf`.
pub(super) fn describe_nullable_refs(api: &mut utoipa::openapi::OpenApi) {
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

/// A URL field's attribute says `pattern = "^https://"` (attributes take only literals); the document states
/// the whole rule that `HttpsUrl` enforces, from the one place it is written.
pub(super) fn https_url_patterns(api: &mut utoipa::openapi::OpenApi) {
    const MARK: &str = "^https://";
    let Some(components) = api.components.as_mut() else {
        return;
    };
    for schema in components.schemas.values_mut() {
        let RefOr::T(Schema::Object(object)) = schema else {
            continue;
        };
        for property in object.properties.values_mut() {
            if let RefOr::T(Schema::Object(field)) = property
                && field.pattern.as_deref() == Some(MARK)
            {
                field.pattern = Some(ocf_domain::values::HttpsUrl::PATTERN.to_owned());
            }
        }
    }
}

/// utoipa inlines the item schema into each `Paginated_<Item>`; point it at the named `<Item>` schema
/// instead, so a client generates one type for an item whether it comes in a list or alone.
pub(super) fn page_items_as_refs(api: &mut utoipa::openapi::OpenApi) {
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
pub(super) fn add_conditional_requirements(api: &mut utoipa::openapi::OpenApi) {
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
        (
            "TopicStatusRequest",
            serde_json::json!([{
                "if": {"properties": {"status": {"const": "declined"}}, "required": ["status"]},
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
pub(super) fn schema_refs(value: &serde_json::Value, out: &mut Vec<String>) {
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
pub(super) fn prune_unused_schemas(api: &mut utoipa::openapi::OpenApi) {
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
