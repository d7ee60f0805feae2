use ocf_tests::{TestApp, error_fields, expect_json, expect_problem};
use serde_json::{Value, json};

async fn organization_id(app: &TestApp, admin_token: &str, code: &str) -> String {
    let org = expect_json(app.create_organization(admin_token, code).await, 201).await;
    org["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_citizen_cannot_use_admin_endpoints() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    let other = app.citizen().await;
    let token = Some(citizen.access_token.as_str());
    expect_problem(app.get("/api/v1/users", token).await, 403, "forbidden").await;
    expect_problem(
        app.assign(
            &citizen.access_token,
            &other.id,
            &json!({"roles": ["admin"]}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    // Not even on their own account.
    expect_problem(
        app.assign(
            &citizen.access_token,
            &citizen.id,
            &json!({"roles": ["admin"]}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let me = expect_json(app.me(&citizen.access_token).await, 200).await;
    assert_eq!(me["roles"], json!(["citizen"]));
}

#[tokio::test]
async fn a_moderator_or_official_is_not_an_admin_either() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let moderator = app.citizen().await;
    expect_json(
        app.assign(
            &admin.access_token,
            &moderator.id,
            &json!({"roles": ["moderator"]}),
        )
        .await,
        200,
    )
    .await;
    let refreshed = expect_json(app.refresh(&moderator.refresh_token).await, 200).await;
    let token = refreshed["access_token"].as_str().unwrap();
    expect_problem(
        app.get("/api/v1/users", Some(token)).await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(
        app.create_organization(token, "MOIS").await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn admin_endpoints_need_a_token() {
    let app = TestApp::spawn().await;
    expect_problem(app.get("/api/v1/users", None).await, 401, "unauthenticated").await;
    let response = app
        .patch(
            "/api/v1/users/0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11",
            &json!({"roles": ["admin"]}),
            None,
        )
        .await;
    expect_problem(response, 401, "unauthenticated").await;
}

#[tokio::test]
async fn an_admin_makes_a_citizen_an_official_of_a_ministry() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let citizen = app.citizen().await;
    let org = organization_id(&app, &admin.access_token, "MOIS").await;

    let problem = expect_problem(
        app.assign(
            &admin.access_token,
            &citizen.id,
            &json!({"roles": ["official"]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["organization_id"]);

    let updated = expect_json(
        app.assign(
            &admin.access_token,
            &citizen.id,
            &json!({"roles": ["official"], "organization_id": org}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(updated["roles"], json!(["official"]));
    assert_eq!(updated["organization_id"], json!(org));

    // Demoting needs the organization cleared explicitly.
    let problem = expect_problem(
        app.assign(
            &admin.access_token,
            &citizen.id,
            &json!({"roles": ["citizen"]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["organization_id"]);
    let updated = expect_json(
        app.assign(
            &admin.access_token,
            &citizen.id,
            &json!({"roles": ["citizen"], "organization_id": null}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(updated["organization_id"], Value::Null);
}

#[tokio::test]
async fn assignments_are_validated() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let citizen = app.citizen().await;
    let t = &admin.access_token;
    let id = &citizen.id;
    for (body, field) in [
        (json!({"roles": ["overlord"]}), "roles"),
        (json!({"roles": []}), "roles"),
        (json!({"roles": "admin"}), "roles"),
        (json!({"organization_id": "not-an-id"}), "organization_id"),
        (
            json!({"roles": ["official"], "organization_id": "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11"}),
            "organization_id",
        ),
        (
            json!({"roles": ["citizen"], "email": "x@example.kr"}),
            "email",
        ),
        (json!({}), "body"),
    ] {
        let problem =
            expect_problem(app.assign(t, id, &body).await, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), vec![field], "{body}");
    }
    let org = organization_id(&app, t, "MOLIT").await;
    let problem = expect_problem(
        app.assign(t, id, &json!({"organization_id": org})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        vec!["organization_id"],
        "a citizen cannot belong to a ministry"
    );
}

#[tokio::test]
async fn assigning_to_a_missing_account_is_404() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let body = json!({"roles": ["moderator"]});
    expect_problem(
        app.assign(
            &admin.access_token,
            "0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11",
            &body,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    expect_problem(
        app.assign(&admin.access_token, "42", &body).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn an_admin_cannot_remove_their_own_admin_role() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let body = json!({"roles": ["citizen"]});
    expect_problem(
        app.assign(&admin.access_token, &admin.id, &body).await,
        409,
        "cannot_remove_own_admin",
    )
    .await;
    let me = expect_json(app.me(&admin.access_token).await, 200).await;
    assert_eq!(me["roles"], json!(["admin"]));
    // Adding a role to oneself is fine.
    expect_json(
        app.assign(
            &admin.access_token,
            &admin.id,
            &json!({"roles": ["admin", "moderator"]}),
        )
        .await,
        200,
    )
    .await;
}

#[tokio::test]
async fn admins_list_accounts_by_role_page_by_page_without_gaps_or_repeats() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut citizens = Vec::new();
    for _ in 0..5 {
        citizens.push(app.citizen().await.id);
    }
    expect_json(
        app.assign(
            &admin.access_token,
            &citizens[0],
            &json!({"roles": ["moderator"]}),
        )
        .await,
        200,
    )
    .await;

    let token = Some(admin.access_token.as_str());
    let mut seen = Vec::new();
    let mut path = "/api/v1/users?limit=2".to_owned();
    loop {
        let page = expect_json(app.get(&path, token).await, 200).await;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|u| u["id"].as_str().unwrap().to_owned()));
        // An account created mid-walk is newer than the cursor, so it never shows up in later pages.
        if seen.len() == 2 {
            app.citizen().await;
        }
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/users?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 6, "5 citizens and the admin: {seen:?}");
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no repeats");
    let mut newest_first = seen.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, newest_first);

    let moderators = expect_json(app.get("/api/v1/users?role=moderator", token).await, 200).await;
    assert_eq!(moderators["items"].as_array().unwrap().len(), 1);
    assert_eq!(moderators["items"][0]["id"], json!(citizens[0]));
    assert_eq!(moderators["next_cursor"], Value::Null);
}

#[tokio::test]
async fn bad_list_parameters_are_rejected() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let token = Some(admin.access_token.as_str());
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("cursor=garbage", "cursor"),
        ("role=king", "role"),
    ] {
        let problem = expect_problem(
            app.get(&format!("/api/v1/users?{query}"), token).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), vec![field], "{query}");
    }
    expect_problem(
        app.get("/api/v1/users?limit=-1", token).await,
        400,
        "invalid_query",
    )
    .await;
    expect_problem(
        app.get("/api/v1/users?sort=name", token).await,
        400,
        "invalid_query",
    )
    .await;
}
