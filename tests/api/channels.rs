//! Partner channels and their credentials, as admins manage them: registration, changes, secrets shown
//! once and rotated with an overlap, revocation, and who may do any of it.

use ocf_tests::partner::form;
use ocf_tests::{TestApp, expect_json, expect_problem, invalid_fields};
use reqwest::Method;
use serde_json::json;

async fn app() -> TestApp {
    let app = TestApp::spawn().await;
    app.seed().await;
    app
}

#[tokio::test]
async fn admins_register_list_read_and_change_channels() {
    let app = app().await;
    let admin = app.admin().await;
    let created = expect_json(
        app.create_channel(&admin.access_token, "idea_box").await,
        201,
    )
    .await;
    assert_eq!(created["code"], "idea_box");
    assert_eq!(created["kind"], "idea_box");
    assert_eq!(created["status"], "active");
    assert!(created["service_user_id"].is_string());
    let id = created["id"].as_str().unwrap();
    expect_json(
        app.create_channel(&admin.access_token, "e-people").await,
        201,
    )
    .await;

    let list = expect_json(
        app.get("/api/v1/channels?limit=1", Some(&admin.access_token))
            .await,
        200,
    )
    .await;
    assert_eq!(list["items"][0]["code"], "e-people");
    let cursor = list["next_cursor"].as_str().unwrap();
    let next = expect_json(
        app.get(
            &format!("/api/v1/channels?limit=1&cursor={cursor}"),
            Some(&admin.access_token),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(next["items"][0]["code"], "idea_box");

    let path = format!("/api/v1/channels/{id}");
    let changed = expect_json(
        app.patch(
            &path,
            &json!({"name": "People's Idea Box", "kind": "e_people"}),
            Some(&admin.access_token),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(changed["name"], "People's Idea Box");
    assert_eq!(changed["kind"], "e_people");
    assert_eq!(changed["code"], "idea_box");
    let read = expect_json(app.get(&path, Some(&admin.access_token)).await, 200).await;
    assert_eq!(read, changed);
}

#[tokio::test]
async fn bad_channels_are_refused_with_every_field_named() {
    let app = app().await;
    let admin = app.admin().await;
    let t = Some(admin.access_token.as_str());
    let bad = json!({"code": "Idea Box", "name": "", "kind": "blog", "base_url": "http://x.kr", "contact": "a\nb"});
    let mut fields = invalid_fields(app.post("/api/v1/channels", &bad, t).await).await;
    fields.sort();
    assert_eq!(fields, ["base_url", "code", "contact", "kind", "name"]);
    expect_json(app.create_channel(&admin.access_token, "dup").await, 201).await;
    expect_problem(
        app.create_channel(&admin.access_token, "dup").await,
        409,
        "already_exists",
    )
    .await;
    let unknown = json!({"code": "x1", "name": "n", "kind": "other", "base_url": "https://x.kr", "contact": "c", "extra": 1});
    expect_problem(
        app.post("/api/v1/channels", &unknown, t).await,
        422,
        "validation_failed",
    )
    .await;

    let id = expect_json(app.create_channel(&admin.access_token, "patchy").await, 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/channels/{id}");
    assert_eq!(
        invalid_fields(app.patch(&path, &json!({}), t).await).await,
        ["body"]
    );
    assert_eq!(
        invalid_fields(app.patch(&path, &json!({"status": "paused"}), t).await).await,
        ["status"]
    );
    expect_problem(
        app.patch(&path, &json!({"code": "renamed"}), t).await,
        422,
        "validation_failed",
    )
    .await;
    let missing = "/api/v1/channels/0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11";
    expect_problem(app.get(missing, t).await, 404, "not_found").await;
    expect_problem(app.get("/api/v1/channels/nope", t).await, 404, "not_found").await;
    expect_problem(
        app.patch(missing, &json!({"name": "x"}), t).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn only_admins_manage_channels() {
    let app = app().await;
    let citizen = app.citizen().await;
    let moderator = app.moderator().await;
    for token in [&citizen.access_token, &moderator.access_token] {
        expect_problem(app.create_channel(token, "sneaky").await, 403, "forbidden").await;
        expect_problem(
            app.get("/api/v1/channels", Some(token)).await,
            403,
            "forbidden",
        )
        .await;
    }
    expect_problem(
        app.get("/api/v1/channels", None).await,
        401,
        "unauthenticated",
    )
    .await;
    let p = app.partner().await;
    // A partner's machine token is not an admin's.
    expect_problem(
        app.get("/api/v1/channels", Some(&p.token)).await,
        401,
        "invalid_token",
    )
    .await;
    let path = format!("/api/v1/channels/{}/credentials", p.channel_id);
    expect_problem(
        app.post(&path, &json!({}), Some(&citizen.access_token))
            .await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(
        app.get(&path, Some(&moderator.access_token)).await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_secret_is_shown_once_and_listed_never() {
    let app = app().await;
    let p = app.partner_with(Some(&["proposals:read"])).await;
    let path = format!("/api/v1/channels/{}/credentials", p.channel_id);
    let issued = app
        .create_credential(&p.admin_token, &p.channel_id, None)
        .await;
    assert_eq!(issued.headers()["cache-control"], "no-store");
    let location = issued.headers()["location"].to_str().unwrap().to_owned();
    let issued = expect_json(issued, 201).await;
    let one = expect_json(app.get(&location, Some(&p.admin_token)).await, 200).await;
    assert_eq!(one, issued["credential"]);
    assert!(
        issued["client_secret"]
            .as_str()
            .unwrap()
            .starts_with("ocfs_")
    );
    assert_eq!(
        issued["credential"]["scopes"],
        json!(["proposals:read", "proposals:write", "webhooks:manage"])
    );
    let list = expect_json(app.get(&path, Some(&p.admin_token)).await, 200).await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["scopes"], json!(["proposals:read"]));
    assert!(
        items[1]["last_used_at"].is_string(),
        "the first one obtained a token"
    );
    let text = list.to_string();
    assert!(!text.contains(&p.client_secret) && !text.contains("secret_hash"));
    assert!(!text.contains(issued["client_secret"].as_str().unwrap()));

    for bad in [
        json!({"scopes": []}),
        json!({"scopes": ["admin"]}),
        json!({"scopes": ["proposals:read", "proposals:read"]}),
    ] {
        assert_eq!(
            invalid_fields(app.post(&path, &bad, Some(&p.admin_token)).await).await,
            ["scopes"]
        );
    }
    let missing = "/api/v1/channels/0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11/credentials";
    expect_problem(
        app.post(missing, &json!({}), Some(&p.admin_token)).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_rotated_secret_keeps_working_for_its_overlap_only() {
    let app = app().await;
    let p = app.partner().await;
    let rotate = format!(
        "/api/v1/channels/{}/credentials/{}/rotate",
        p.channel_id, p.credential_id
    );
    let first = expect_json(
        app.post(&rotate, &json!({}), Some(&p.admin_token)).await,
        200,
    )
    .await;
    let second_secret = first["client_secret"].as_str().unwrap().to_owned();
    assert!(first["credential"]["previous_secret_expires_at"].is_string());
    let grant = form(&[("grant_type", "client_credentials")]);
    // Within the default day, the replaced secret and the new one both work.
    for secret in [&p.client_secret, &second_secret] {
        expect_json(
            app.token_request(Some((&p.client_id, secret)), &grant)
                .await,
            200,
        )
        .await;
    }
    // Without overlap, the replaced one stops at once.
    let third = expect_json(
        app.post(
            &rotate,
            &json!({"overlap_seconds": 0}),
            Some(&p.admin_token),
        )
        .await,
        200,
    )
    .await;
    let third_secret = third["client_secret"].as_str().unwrap();
    expect_json(
        app.token_request(Some((&p.client_id, third_secret)), &grant)
            .await,
        200,
    )
    .await;
    let refused = app
        .token_request(Some((&p.client_id, &second_secret)), &grant)
        .await;
    assert_eq!(refused.status(), 401);
    let refused = app
        .token_request(Some((&p.client_id, &p.client_secret)), &grant)
        .await;
    assert_eq!(refused.status(), 401);
    assert_eq!(
        invalid_fields(
            app.post(
                &rotate,
                &json!({"overlap_seconds": 604_801}),
                Some(&p.admin_token)
            )
            .await
        )
        .await,
        ["overlap_seconds"]
    );
    let other = format!(
        "/api/v1/channels/{}/credentials/0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11/rotate",
        p.channel_id
    );
    expect_problem(
        app.post(&other, &json!({}), Some(&p.admin_token)).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_revoked_credential_stops_its_tokens_at_once() {
    let app = app().await;
    let p = app.partner().await;
    let ext = "IB-1";
    let body = ocf_tests::partner::record("밤늦게까지 여는 도서관", 3);
    expect_json(
        app.put_record(&p.token, &p.channel_id, ext, &body).await,
        201,
    )
    .await;
    let path = format!(
        "/api/v1/channels/{}/credentials/{}",
        p.channel_id, p.credential_id
    );
    let revoke = || {
        app.request(Method::DELETE, &path, Some(&p.admin_token))
            .send()
    };
    assert_eq!(revoke().await.unwrap().status(), 204);
    assert_eq!(
        revoke().await.unwrap().status(),
        204,
        "revoking again changes nothing"
    );
    expect_problem(
        app.get_record(&p.token, &p.channel_id, ext).await,
        401,
        "invalid_token",
    )
    .await;
    let grant = form(&[("grant_type", "client_credentials")]);
    let refused = app
        .token_request(Some((&p.client_id, &p.client_secret)), &grant)
        .await;
    assert_eq!(refused.status(), 401);
    let rotate = format!("{path}/rotate");
    expect_problem(
        app.post(&rotate, &json!({}), Some(&p.admin_token)).await,
        404,
        "not_found",
    )
    .await;
    // Another channel's credential is not found under this one.
    let q = app.partner().await;
    let foreign = format!(
        "/api/v1/channels/{}/credentials/{}",
        p.channel_id, q.credential_id
    );
    let r = app
        .request(Method::DELETE, &foreign, Some(&p.admin_token))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // ... and that channel's token still works: its unknown record is merely not found.
    expect_problem(
        app.get_record(&q.token, &q.channel_id, "none").await,
        404,
        "not_found",
    )
    .await;
}
