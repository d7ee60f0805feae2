//! The suggested competent organization over HTTP: it learns from answered referrals off the request
//! path (a transferred one teaches only the organization that answered), ranks with a score and the terms
//! behind it, and is for staff only.

use ocf_tests::{TestApp, TestUser, expect_json, expect_problem, invalid_fields};
use serde_json::{Value, json};

async fn suggestions(app: &TestApp, token: &str, proposal: &str) -> Value {
    expect_json(
        app.get(
            &format!("/api/v1/proposals/{proposal}/suggested-organizations"),
            Some(token),
        )
        .await,
        200,
    )
    .await
}

/// A selected proposal with this text, referred to `org` and answered there by `official`.
async fn answered(
    app: &TestApp,
    m: &TestUser,
    official: &TestUser,
    org: &str,
    title: &str,
    body: &str,
) {
    let author = app.citizen().await;
    let p = app.propose(&author.access_token, title, body).await;
    for s in ["under_review", "selected"] {
        expect_json(app.set_status(&m.access_token, &p, s, None).await, 200).await;
    }
    let r = app.refer_proposal(&m.access_token, &p, org).await;
    let rid = r["id"].as_str().unwrap();
    expect_json(app.acknowledge(&official.access_token, rid).await, 200).await;
    expect_json(
        app.answer(&official.access_token, rid, "accepted").await,
        200,
    )
    .await;
}

#[tokio::test]
async fn organizations_are_suggested_by_what_they_answered_before() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let m = app.moderator().await;
    let (transport, transport_org) = app.official().await;
    let (schools, schools_org) = app.official().await;
    let (elsewhere, elsewhere_org) = app.official().await;
    let author = app.citizen().await;
    let fresh = app
        .propose(
            &author.access_token,
            "마을버스 노선 연장",
            "마을버스 노선을 지하철역까지 연장하고 배차 간격을 줄여 주세요.",
        )
        .await;
    let none = suggestions(&app, &m.access_token, &fresh).await;
    assert_eq!(none, json!({"items": [], "learned_referrals": 0}));

    let bus = [
        (
            "버스 배차 간격 단축",
            "출퇴근 시간 버스 배차 간격이 너무 깁니다. 버스 노선을 늘려 주세요.",
        ),
        (
            "심야 버스 노선 신설",
            "밤늦게 귀가하는 시민을 위해 심야 버스 노선을 만들어 주세요.",
        ),
        (
            "버스 정류장 개선",
            "버스 정류장에 도착 안내판과 그늘막을 설치해 주세요. 버스 이용이 불편합니다.",
        ),
    ];
    let school = [
        (
            "초등학교 돌봄교실 확대",
            "맞벌이 가정을 위해 초등학교 돌봄교실 운영 시간을 늘려 주세요.",
        ),
        (
            "학교 급식 개선",
            "학교 급식의 질을 높이고 학생 의견을 반영해 주세요. 학교마다 차이가 큽니다.",
        ),
        (
            "학교 통학로 안전",
            "학교 앞 통학로에 안전 펜스를 설치해 학생들을 지켜 주세요.",
        ),
    ];
    for (t, b) in bus {
        answered(&app, &m, &transport, &transport_org, t, b).await;
    }
    for (t, b) in school {
        answered(&app, &m, &schools, &schools_org, t, b).await;
    }
    // Sent to a third organization first, which transferred it: only the one that answered learns.
    let (p, _) = app
        .selected_proposal(&m.access_token, "버스 요금 인하 요청")
        .await;
    let r = app
        .refer_proposal(&m.access_token, &p, &elsewhere_org)
        .await;
    let rid = r["id"].as_str().unwrap();
    let to = json!({"organization_id": transport_org, "reason": "소관 부처"});
    expect_json(
        app.referral_step(Some(&elsewhere.access_token), rid, "transfer", &to)
            .await,
        200,
    )
    .await;
    expect_json(app.acknowledge(&transport.access_token, rid).await, 200).await;
    expect_json(
        app.answer(&transport.access_token, rid, "accepted").await,
        200,
    )
    .await;

    // The routing job learns every couple of seconds.
    let mut ranked = Value::Null;
    for _ in 0..100 {
        ranked = suggestions(&app, &m.access_token, &fresh).await;
        if ranked["learned_referrals"] == 7 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(ranked["learned_referrals"], 7, "{ranked}");
    let items = ranked["items"].as_array().unwrap();
    assert_eq!(
        items.len(),
        2,
        "the organization that transferred learned nothing: {ranked}"
    );
    assert_eq!(items[0]["organization_id"], transport_org);
    assert!(items[0]["score"].as_f64().unwrap() > items[1]["score"].as_f64().unwrap());
    let terms: Vec<&str> = items[0]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(terms.contains(&"버스"), "{terms:?}");
    let sum: f64 = items.iter().map(|i| i["score"].as_f64().unwrap()).sum();
    assert!(sum <= 1.000_001, "{sum}");
    assert!(items[0]["code"].as_str().unwrap().starts_with("ORG-"));

    let school_one = app
        .propose(
            &author.access_token,
            "학교 도서관 개방",
            "주말에 학교 도서관을 학생과 주민에게 개방해 주세요.",
        )
        .await;
    let ranked = suggestions(&app, &m.access_token, &school_one).await;
    assert_eq!(ranked["items"][0]["organization_id"], schools_org);
    let one = expect_json(
        app.get(
            &format!("/api/v1/proposals/{school_one}/suggested-organizations?limit=1"),
            Some(&m.access_token),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(one["items"].as_array().unwrap().len(), 1);

    let path = format!("/api/v1/proposals/{fresh}/suggested-organizations");
    expect_problem(
        app.get(&path, Some(&author.access_token)).await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(
        app.get(&path, Some(&transport.access_token)).await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(app.get(&path, None).await, 401, "unauthenticated").await;
    assert_eq!(
        invalid_fields(
            app.get(&format!("{path}?limit=21"), Some(&m.access_token))
                .await
        )
        .await,
        ["limit"]
    );
    expect_problem(
        app.get(
            "/api/v1/proposals/0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11/suggested-organizations",
            Some(&m.access_token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}
