//! Staff-only endpoints answer in one order everywhere: 401 without a valid token, then 403 for the wrong
//! role, and only then 422 for the body. A citizen never learns the shape of an admin-only body.

use ocf_tests::{TestApp, expect_json, expect_problem};
use reqwest::Method;
use serde_json::{Value, json};

/// Who may call an endpoint.
#[derive(Clone, Copy, PartialEq)]
enum Needs {
    Admin,
    Staff,
}

struct Endpoint {
    method: Method,
    path: String,
    needs: Needs,
    /// A body that the right role could send successfully (or `None` for a GET).
    body: Option<Value>,
}

async fn staff_only_endpoints(app: &TestApp) -> Vec<Endpoint> {
    let admin = app.admin().await;
    let author = app.citizen().await;
    let org = expect_json(
        app.create_organization(&admin.access_token, "OCFTEST")
            .await,
        201,
    )
    .await;
    let org = org["id"].as_str().unwrap().to_owned();
    let proposal = app
        .propose(
            &author.access_token,
            "동네 놀이터에 그늘막을 설치해 주세요",
            "여름마다 놀이터가 너무 뜨거워서 아이들이 놀 수가 없습니다. 그늘막이 필요합니다.",
        )
        .await;
    let other = app
        .propose(
            &author.access_token,
            "놀이터 그늘막 설치를 요청합니다",
            "한낮에는 미끄럼틀이 뜨거워 화상 위험이 있습니다. 그늘막을 설치해 주세요.",
        )
        .await;
    let report = app
        .report(
            &app.citizen().await.access_token,
            &proposal,
            "광고성 게시물입니다",
        )
        .await;
    let report = expect_json(report, 201).await;
    let report = report["id"].as_str().unwrap().to_owned();
    let e = |method: Method, path: String, needs, body: Option<Value>| Endpoint {
        method,
        path,
        needs,
        body,
    };
    vec![
        e(Method::GET, "/api/v1/users".into(), Needs::Admin, None),
        e(
            Method::PATCH,
            format!("/api/v1/users/{}", author.id),
            Needs::Admin,
            Some(json!({"roles": ["citizen", "moderator"]})),
        ),
        e(
            Method::POST,
            "/api/v1/organizations".into(),
            Needs::Admin,
            Some(
                json!({"code": "OCFNEW", "kind": "agency", "name_ko": "새 기관", "name_en": "A new agency"}),
            ),
        ),
        e(
            Method::PATCH,
            format!("/api/v1/organizations/{org}"),
            Needs::Admin,
            Some(json!({"name_en": "Ministry of the Interior and Safety"})),
        ),
        e(
            Method::POST,
            "/api/v1/policy-areas".into(),
            Needs::Admin,
            Some(json!({"code": "SPACE", "name_ko": "우주", "name_en": "Space"})),
        ),
        e(
            Method::GET,
            "/api/v1/moderation/reports".into(),
            Needs::Staff,
            None,
        ),
        e(
            Method::POST,
            format!("/api/v1/moderation/reports/{report}/resolve"),
            Needs::Staff,
            Some(json!({"decision": "dismiss", "reason": "규칙 위반이 아닙니다"})),
        ),
        e(
            Method::POST,
            format!("/api/v1/moderation/proposals/{proposal}/hide"),
            Needs::Staff,
            Some(json!({"reason": "개인정보가 포함되어 있습니다"})),
        ),
        e(
            Method::POST,
            format!("/api/v1/moderation/proposals/{proposal}/unhide"),
            Needs::Staff,
            Some(json!({"reason": "개인정보를 지웠습니다"})),
        ),
        e(
            Method::POST,
            format!("/api/v1/proposals/{proposal}/status"),
            Needs::Staff,
            Some(json!({"status": "under_review"})),
        ),
        e(
            Method::POST,
            format!("/api/v1/proposals/{other}/merge"),
            Needs::Staff,
            Some(json!({"into": proposal, "reason": "같은 제안입니다"})),
        ),
    ]
}

async fn send(app: &TestApp, e: &Endpoint, token: Option<&str>, body: Option<&Value>) -> u16 {
    let mut request = app.request(e.method.clone(), &e.path, token);
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn the_wrong_role_is_403_whether_the_body_is_well_formed_or_not() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let endpoints = staff_only_endpoints(&app).await;
    let citizen = app.citizen().await;
    let moderator = app.moderator().await;
    let malformed = json!({"not_a_field": ["x", "y"], "roles": 42});
    for e in &endpoints {
        for who in [
            Some(&citizen),
            (e.needs == Needs::Admin).then_some(&moderator),
        ]
        .into_iter()
        .flatten()
        {
            let token = Some(who.access_token.as_str());
            let mut request = app.request(e.method.clone(), &e.path, token);
            if let Some(body) = &e.body {
                request = request.json(body);
            }
            let problem = expect_problem(request.send().await.unwrap(), 403, "forbidden").await;
            assert!(problem["detail"].as_str().unwrap().contains("role"));
            if e.body.is_some() {
                assert_eq!(
                    send(&app, e, token, Some(&malformed)).await,
                    403,
                    "{}",
                    e.path
                );
                // Not JSON at all: still 403, not 400 or 415.
                let raw = app
                    .request(e.method.clone(), &e.path, token)
                    .header("content-type", "text/plain")
                    .body("{oops")
                    .send()
                    .await
                    .unwrap();
                assert_eq!(raw.status().as_u16(), 403, "{}", e.path);
            }
        }
        // No token at all is 401 first, even with a malformed body.
        assert_eq!(
            send(&app, e, None, Some(&malformed)).await,
            401,
            "{}",
            e.path
        );
        assert_eq!(
            send(&app, e, Some("not-a-jwt"), Some(&malformed)).await,
            401,
            "{}",
            e.path
        );
    }
}

#[tokio::test]
async fn the_right_role_with_a_malformed_body_gets_the_validation_error() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let endpoints = staff_only_endpoints(&app).await;
    let admin = app.admin().await;
    let malformed = json!({"not_a_field": true});
    for e in endpoints.iter().filter(|e| e.body.is_some()) {
        let mut request = app.request(e.method.clone(), &e.path, Some(&admin.access_token));
        request = request.json(&malformed);
        expect_problem(request.send().await.unwrap(), 422, "validation_failed").await;
    }
}
