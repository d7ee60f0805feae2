use jsonwebtoken::{Algorithm, EncodingKey, Header};
use ocf_tests::{JWT_SECRET, TestApp, expect_json, expect_problem};
use serde_json::{Value, json};

fn claims(sub: &str) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "iss": "ocf", "aud": "ocf-api", "sub": sub, "exp": now + 600, "nbf": now, "iat": now,
        "jti": uuid::Uuid::new_v4().to_string(), "roles": ["admin"],
    })
}

fn sign(claims: &Value, secret: &str, alg: Algorithm) -> String {
    jsonwebtoken::encode(
        &Header::new(alg),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn rejected(app: &TestApp, token: &str) -> Value {
    let response = app.get("/api/v1/users", Some(token)).await;
    assert_eq!(
        response.headers()["www-authenticate"],
        r#"Bearer realm="ocf", error="invalid_token""#
    );
    expect_problem(response, 401, "invalid_token").await
}

#[tokio::test]
async fn a_well_formed_token_from_this_server_is_accepted() {
    // The control case for the forgeries below: the same claims, properly signed, get through.
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let token = sign(&claims(&admin.id), JWT_SECRET, Algorithm::HS256);
    expect_json(app.get("/api/v1/users", Some(&token)).await, 200).await;
}

#[tokio::test]
async fn a_token_signed_with_another_key_is_rejected() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    let forged = sign(
        &claims(&citizen.id),
        "some-other-secret-also-32-bytes-long!!",
        Algorithm::HS256,
    );
    rejected(&app, &forged).await;
}

#[tokio::test]
async fn an_expired_token_is_rejected() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    let mut c = claims(&citizen.id);
    let past = chrono::Utc::now().timestamp() - 3600;
    c["exp"] = json!(past);
    c["iat"] = json!(past - 900);
    c["nbf"] = json!(past - 900);
    let problem = rejected(&app, &sign(&c, JWT_SECRET, Algorithm::HS256)).await;
    assert!(problem["detail"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn a_token_for_another_audience_or_issuer_is_rejected() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    let mut c = claims(&citizen.id);
    c["aud"] = json!("people-idea-box");
    rejected(&app, &sign(&c, JWT_SECRET, Algorithm::HS256)).await;
    let mut c = claims(&citizen.id);
    c["iss"] = json!("someone-else");
    rejected(&app, &sign(&c, JWT_SECRET, Algorithm::HS256)).await;
}

#[tokio::test]
async fn a_token_not_yet_valid_is_rejected() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    let mut c = claims(&citizen.id);
    c["nbf"] = json!(chrono::Utc::now().timestamp() + 3600);
    rejected(&app, &sign(&c, JWT_SECRET, Algorithm::HS256)).await;
}

#[tokio::test]
async fn a_token_missing_a_required_claim_is_rejected() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    for claim in ["jti", "sub", "iat", "nbf"] {
        let mut c = claims(&citizen.id);
        c.as_object_mut().unwrap().remove(claim);
        rejected(&app, &sign(&c, JWT_SECRET, Algorithm::HS256)).await;
    }
}

#[tokio::test]
async fn the_signing_algorithm_is_pinned() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    rejected(
        &app,
        &sign(&claims(&citizen.id), JWT_SECRET, Algorithm::HS512),
    )
    .await;
    // "alg": "none" with no signature.
    use base64::Engine;
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let unsigned = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&claims(&citizen.id))
    );
    rejected(&app, &unsigned).await;
}

#[tokio::test]
async fn garbage_in_the_authorization_header_is_rejected() {
    let app = TestApp::spawn().await;
    rejected(&app, "not-a-jwt").await;
    let response = app
        .request(reqwest::Method::GET, "/api/v1/me", None)
        .header("authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .unwrap();
    expect_problem(response, 401, "invalid_token").await;
}

#[tokio::test]
async fn a_refresh_token_rotates_and_works_once() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    let next = expect_json(app.refresh(&citizen.refresh_token).await, 200).await;
    let new_refresh = next["refresh_token"].as_str().unwrap();
    assert_ne!(new_refresh, citizen.refresh_token);
    expect_json(app.me(next["access_token"].as_str().unwrap()).await, 200).await;
    // The next one in the chain works too.
    expect_json(app.refresh(new_refresh).await, 200).await;
}

#[tokio::test]
async fn reusing_a_refresh_token_revokes_the_whole_family() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    let next = expect_json(app.refresh(&citizen.refresh_token).await, 200).await;
    let legit = next["refresh_token"].as_str().unwrap().to_owned();

    // An attacker replays the first token...
    expect_problem(
        app.refresh(&citizen.refresh_token).await,
        401,
        "refresh_token_reused",
    )
    .await;
    // ...and the legitimate descendant is revoked with it.
    expect_problem(app.refresh(&legit).await, 401, "invalid_refresh_token").await;
    // Other sign-ins of the same person are separate families and keep working.
    let other = expect_json(app.login(&citizen.email, &citizen.password).await, 200).await;
    expect_json(
        app.refresh(other["refresh_token"].as_str().unwrap()).await,
        200,
    )
    .await;
}

#[tokio::test]
async fn an_unknown_refresh_token_is_rejected() {
    let app = TestApp::spawn().await;
    expect_problem(
        app.refresh("made-up-token").await,
        401,
        "invalid_refresh_token",
    )
    .await;
    expect_problem(
        app.post("/api/v1/auth/refresh", &json!({}), None).await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn logout_revokes_the_refresh_token_and_is_idempotent() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    let response = app.logout(&citizen.refresh_token).await;
    assert_eq!(response.status(), 204);
    expect_problem(
        app.refresh(&citizen.refresh_token).await,
        401,
        "invalid_refresh_token",
    )
    .await;
    assert_eq!(app.logout(&citizen.refresh_token).await.status(), 204);
    assert_eq!(app.logout("never-issued").await.status(), 204);
}

#[tokio::test]
async fn new_roles_reach_the_token_at_the_next_refresh() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let citizen = app.citizen().await;
    expect_json(
        app.assign(
            &admin.access_token,
            &citizen.id,
            &json!({"roles": ["citizen", "moderator"]}),
        )
        .await,
        200,
    )
    .await;
    let next = expect_json(app.refresh(&citizen.refresh_token).await, 200).await;
    let token = next["access_token"].as_str().unwrap();
    let me = expect_json(app.me(token).await, 200).await;
    assert_eq!(me["roles"], json!(["citizen", "moderator"]));
    // The token itself now carries the role (checked without the database).
    let payload = token.split('.').nth(1).unwrap();
    use base64::Engine;
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["roles"], json!(["citizen", "moderator"]));
}

#[tokio::test]
async fn a_token_with_critical_extensions_we_do_not_understand_is_rejected() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    // Properly signed with the right key, but its header demands an extension (RFC 7515 §4.1.11).
    let mut header = Header::new(Algorithm::HS256);
    header.crit = Some(vec!["exp".to_owned()]);
    let token = jsonwebtoken::encode(
        &header,
        &claims(&admin.id),
        &EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .unwrap();
    let problem = rejected(&app, &token).await;
    assert!(problem["detail"].as_str().unwrap().contains("critical"));
}
