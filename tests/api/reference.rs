use ocf_tests::{TestApp, error_fields, expect_json, expect_problem};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn an_admin_creates_reads_and_renames_an_organization() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let response = app.create_organization(&admin.access_token, "mois").await;
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created = expect_json(response, 201).await;
    assert_eq!(created["code"], "MOIS");
    assert_eq!(
        location,
        format!("/api/v1/organizations/{}", created["id"].as_str().unwrap())
    );

    // Public read, no token.
    let read = expect_json(app.get(&location, None).await, 200).await;
    assert_eq!(read["name_ko"], "행정안전부");

    let renamed = expect_json(
        app.patch(
            &location,
            &json!({"name_en": "Ministry of the Interior and Safety (MOIS)"}),
            Some(&admin.access_token),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        renamed["name_en"],
        "Ministry of the Interior and Safety (MOIS)"
    );
    assert_eq!(renamed["name_ko"], "행정안전부");
    let read = expect_json(app.get(&location, None).await, 200).await;
    assert_eq!(
        read["name_en"],
        "Ministry of the Interior and Safety (MOIS)"
    );
}

#[tokio::test]
async fn organization_codes_are_unique_in_any_case() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    expect_json(
        app.create_organization(&admin.access_token, "MOIS").await,
        201,
    )
    .await;
    expect_problem(
        app.create_organization(&admin.access_token, "mois").await,
        409,
        "already_exists",
    )
    .await;

    let other = expect_json(
        app.create_organization(&admin.access_token, "MOLIT").await,
        201,
    )
    .await;
    let path = format!("/api/v1/organizations/{}", other["id"].as_str().unwrap());
    expect_problem(
        app.patch(&path, &json!({"code": "MOIS"}), Some(&admin.access_token))
            .await,
        409,
        "already_exists",
    )
    .await;
    let unchanged = expect_json(app.get(&path, None).await, 200).await;
    assert_eq!(unchanged["code"], "MOLIT");
}

#[tokio::test]
async fn organization_fields_are_validated() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let body = json!({"code": "행정", "kind": "empire", "name_ko": "", "name_en": "x".repeat(201)});
    let problem = expect_problem(
        app.post("/api/v1/organizations", &body, Some(&admin.access_token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        vec!["code", "kind", "name_ko", "name_en"]
    );

    let created = expect_json(
        app.create_organization(&admin.access_token, "MOE").await,
        201,
    )
    .await;
    let path = format!("/api/v1/organizations/{}", created["id"].as_str().unwrap());
    let problem = expect_problem(
        app.patch(&path, &json!({}), Some(&admin.access_token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["body"]);
    let problem = expect_problem(
        app.patch(&path, &json!({"kind": "empire"}), Some(&admin.access_token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["kind"]);
}

#[tokio::test]
async fn only_admins_change_organizations() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let citizen = app.citizen().await;
    expect_problem(
        app.create_organization(&citizen.access_token, "MOIS").await,
        403,
        "forbidden",
    )
    .await;
    let response = app
        .request(Method::POST, "/api/v1/organizations", None)
        .json(&json!({"code": "MOIS", "kind": "ministry", "name_ko": "행정안전부", "name_en": "MOIS"}))
        .send()
        .await
        .unwrap();
    expect_problem(response, 401, "unauthenticated").await;
    let created = expect_json(
        app.create_organization(&admin.access_token, "MOIS").await,
        201,
    )
    .await;
    let path = format!("/api/v1/organizations/{}", created["id"].as_str().unwrap());
    expect_problem(
        app.patch(
            &path,
            &json!({"name_en": "Hijacked"}),
            Some(&citizen.access_token),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_missing_organization_is_404() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    expect_problem(
        app.get(
            "/api/v1/organizations/0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11",
            None,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    expect_problem(
        app.get("/api/v1/organizations/abc", None).await,
        404,
        "not_found",
    )
    .await;
    let response = app
        .patch(
            "/api/v1/organizations/0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11",
            &json!({"name_en": "X"}),
            Some(&admin.access_token),
        )
        .await;
    expect_problem(response, 404, "not_found").await;
}

#[tokio::test]
async fn organizations_list_by_code_in_pages() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for code in ["MOLIT", "MOE", "ACRC", "MOIS", "MOF"] {
        expect_json(
            app.create_organization(&admin.access_token, code).await,
            201,
        )
        .await;
    }
    let first = expect_json(app.get("/api/v1/organizations?limit=3", None).await, 200).await;
    let codes: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["ACRC", "MOE", "MOF"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = expect_json(
        app.get(
            &format!("/api/v1/organizations?limit=3&cursor={cursor}"),
            None,
        )
        .await,
        200,
    )
    .await;
    let codes: Vec<&str> = second["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["MOIS", "MOLIT"]);
    assert!(second["next_cursor"].is_null());
}

#[tokio::test]
async fn policy_areas_are_created_by_admins_and_listed_publicly() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let citizen = app.citizen().await;
    let created = expect_json(
        app.create_policy_area(&admin.access_token, "transport")
            .await,
        201,
    )
    .await;
    assert_eq!(created["code"], "transport");
    expect_problem(
        app.create_policy_area(&admin.access_token, "transport")
            .await,
        409,
        "already_exists",
    )
    .await;
    expect_problem(
        app.create_policy_area(&citizen.access_token, "health")
            .await,
        403,
        "forbidden",
    )
    .await;
    let problem = expect_problem(
        app.create_policy_area(&admin.access_token, "Bad Code")
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["code"]);
    let body = json!({"code": "health", "name_ko": "보건"});
    let problem = expect_problem(
        app.post("/api/v1/policy-areas", &body, Some(&admin.access_token))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["name_en"]);

    let list = expect_json(app.get("/api/v1/policy-areas", None).await, 200).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["name_ko"], "교통");
    expect_problem(
        app.get("/api/v1/policy-areas?limit=500", None).await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn a_cursor_works_only_on_the_list_that_issued_it() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let areas = expect_json(app.get("/api/v1/policy-areas?limit=1", None).await, 200).await;
    let area_cursor = areas["next_cursor"].as_str().unwrap().to_owned();
    let orgs = expect_json(app.get("/api/v1/organizations?limit=1", None).await, 200).await;
    let org_cursor = orgs["next_cursor"].as_str().unwrap().to_owned();
    // Each works where it came from...
    expect_json(
        app.get(
            &format!("/api/v1/policy-areas?limit=1&cursor={area_cursor}"),
            None,
        )
        .await,
        200,
    )
    .await;
    // ...and nowhere else; nor does one made up.
    let made_up = "djF8b3JnYW5pemF0aW9uc3xaWlo"; // base64url of an older, unscoped format
    for (path, cursor) in [
        ("/api/v1/organizations", area_cursor.as_str()),
        ("/api/v1/policy-areas", org_cursor.as_str()),
        ("/api/v1/organizations", made_up),
        ("/api/v1/policy-areas", "bm90LWEtY3Vyc29y"),
    ] {
        let problem = expect_problem(
            app.get(&format!("{path}?cursor={cursor}"), None).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), ["cursor"], "{path} {cursor}");
    }
}

#[tokio::test]
async fn a_created_policy_area_comes_with_its_location() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let response = app
        .create_policy_area(&admin.access_token, "digital-government")
        .await;
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created = expect_json(response, 201).await;
    assert_eq!(
        location,
        format!("/api/v1/policy-areas/{}", created["id"].as_str().unwrap())
    );
}
