//! The transparency statistics over HTTP: a fixture of proposals walked through every stage, the
//! figures computed by hand and checked against the funnel, the organizations' records and the forums;
//! filters, invalid filters, and conditional GET.

use ocf_tests::{TestApp, expect_json, invalid_fields};
use reqwest::header::{ETAG, IF_NONE_MATCH};
use serde_json::{Value, json};

pub fn count(v: &Value, list: &str, key: &str, name: &str) -> u64 {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s[key] == name)
        .unwrap_or_else(|| panic!("{name} in {list}"))["count"]
        .as_u64()
        .unwrap()
}

fn stage(v: &Value, name: &str) -> u64 {
    count(v, "stages", "stage", name)
}

fn step<'a>(v: &'a Value, from: &str, to: &str) -> &'a Value {
    v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["from"] == from && s["to"] == to)
        .unwrap()
}

/// `GET /stats/funnel?{query}`, expected `200`.
pub async fn funnel(app: &TestApp, query: &str) -> Value {
    expect_json(
        app.get(&format!("/api/v1/stats/funnel?{query}"), None)
            .await,
        200,
    )
    .await
}

/// Six proposals: one only collected, one rejected, one merged, one referred and answered `accepted`
/// then implemented, one referred to a first organization, transferred, and answered `not_accepted`,
/// and one referred and left unanswered (in Busan).
pub struct Fixture {
    pub org_a: String,
    pub org_b: String,
    pub official_a: String,
    pub official_b: String,
}

pub async fn fixture(app: &TestApp) -> Fixture {
    app.seed().await;
    let m = app.moderator().await;
    let mt = m.access_token.as_str();
    let (official_a, org_a) = app.official().await;
    let (official_b, org_b) = app.official().await;
    let citizen = app.citizen().await;
    let body = "버스 노선을 늘려 주민의 통근 시간을 줄여 주세요. 배차 간격도 줄여야 합니다.";
    app.propose(&citizen.access_token, "그냥 모인 제안", body)
        .await;
    let rejected = app
        .propose(&citizen.access_token, "반려될 제안입니다", body)
        .await;
    expect_json(
        app.set_status(mt, &rejected, "under_review", None).await,
        200,
    )
    .await;
    expect_json(
        app.set_status(mt, &rejected, "rejected", Some("소관이 아닙니다"))
            .await,
        200,
    )
    .await;
    let merged = app
        .propose(&citizen.access_token, "합쳐질 제안입니다", body)
        .await;
    expect_json(app.set_status(mt, &merged, "under_review", None).await, 200).await;

    let (implemented, _) = app.selected_proposal(mt, "채택되어 이행될 제안").await;
    expect_json(app.merge(mt, &merged, &implemented).await, 200).await;
    let r = app.refer_proposal(mt, &implemented, &org_a).await;
    let rid = r["id"].as_str().unwrap();
    expect_json(app.acknowledge(&official_a.access_token, rid).await, 200).await;
    expect_json(
        app.answer(&official_a.access_token, rid, "accepted").await,
        200,
    )
    .await;
    let done =
        json!({"evidence_url": "https://www.korea.kr/news/1", "summary": "노선을 개편했습니다."});
    expect_json(
        app.referral_step(Some(&official_a.access_token), rid, "complete", &done)
            .await,
        200,
    )
    .await;

    let (transferred, _) = app.selected_proposal(mt, "이관된 뒤 답변된 제안").await;
    let r = app.refer_proposal(mt, &transferred, &org_a).await;
    let rid = r["id"].as_str().unwrap();
    expect_json(app.acknowledge(&official_a.access_token, rid).await, 200).await;
    let to_b = json!({"organization_id": org_b, "reason": "소관 기관으로 이관합니다"});
    expect_json(
        app.referral_step(Some(&official_a.access_token), rid, "transfer", &to_b)
            .await,
        200,
    )
    .await;
    expect_json(app.acknowledge(&official_b.access_token, rid).await, 200).await;
    expect_json(
        app.answer(&official_b.access_token, rid, "not_accepted")
            .await,
        200,
    )
    .await;

    let busan = json!({"title": "부산 해안 도로를 정비해 주세요", "body": body,
        "policy_area": "transport-logistics", "region": "busan"});
    let created = expect_json(
        app.create_proposal(&citizen.access_token, &busan).await,
        201,
    )
    .await;
    let waiting = created["id"].as_str().unwrap().to_owned();
    for s in ["under_review", "selected"] {
        expect_json(app.set_status(mt, &waiting, s, None).await, 200).await;
    }
    let r = app.refer_proposal(mt, &waiting, &org_b).await;
    // Overdue: its deadline has passed.
    app.set_due_at(
        r["id"].as_str().unwrap(),
        chrono::Utc::now() - chrono::Duration::days(1),
    )
    .await;
    Fixture {
        org_a,
        org_b,
        official_a: official_a.id,
        official_b: official_b.id,
    }
}

#[tokio::test]
async fn the_funnel_and_the_records_match_the_fixture_counted_by_hand() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let f = funnel(&app, "").await;
    // Collected 6; reviewed: rejected, merged, implemented, transferred, waiting = 5; selected 3; rejected 1;
    // merged 1; referred 3; answered 2 (accepted 1, not_accepted 1); implemented 1.
    let expected = [
        ("collected", 6),
        ("under_review", 5),
        ("selected", 3),
        ("rejected", 1),
        ("merged", 1),
        ("referred", 3),
        ("answered", 2),
        ("implemented", 1),
    ];
    for (name, n) in expected {
        assert_eq!(stage(&f, name), n, "{name}");
    }
    assert_eq!(count(&f, "decisions", "decision", "accepted"), 1);
    assert_eq!(count(&f, "decisions", "decision", "partially_accepted"), 0);
    assert_eq!(count(&f, "decisions", "decision", "not_accepted"), 1);
    let review = step(&f, "collected", "under_review");
    assert_eq!(review["rate"], 0.8333);
    assert_eq!(review["sample"], 5);
    // Everything happened within the test's seconds.
    assert_eq!(review["median_days"], 0.0);
    assert_eq!(step(&f, "under_review", "selected")["rate"], 0.6);
    assert_eq!(step(&f, "under_review", "rejected")["rate"], 0.2);
    assert_eq!(step(&f, "selected", "referred")["rate"], 1.0);
    assert_eq!(step(&f, "referred", "answered")["rate"], 0.6667);
    let implement = step(&f, "answered", "implemented");
    assert_eq!(
        (implement["rate"].clone(), implement["sample"].clone()),
        (json!(0.5), json!(1))
    );

    // The same figures, narrowed: Busan has one proposal, referred and waiting.
    let busan = funnel(&app, "region=busan").await;
    assert_eq!(
        (stage(&busan, "collected"), stage(&busan, "referred")),
        (1, 1)
    );
    assert_eq!(stage(&busan, "answered"), 0);
    assert_eq!(
        step(&busan, "referred", "answered")["median_days"],
        Value::Null
    );
    // Referred to the first organization at any step: the implemented one and the transferred one.
    let a = funnel(&app, &format!("organization_id={}", fx.org_a)).await;
    assert_eq!((stage(&a, "collected"), stage(&a, "implemented")), (2, 1));
    let b = funnel(&app, &format!("organization_id={}", fx.org_b)).await;
    assert_eq!((stage(&b, "collected"), stage(&b, "answered")), (2, 1));
    let web = funnel(&app, "channel=web&policy_area=transport-logistics").await;
    assert_eq!(stage(&web, "collected"), 6);
    let none = funnel(&app, "channel=offline").await;
    assert_eq!(stage(&none, "collected"), 0);
    assert_eq!(
        step(&none, "collected", "under_review")["rate"],
        Value::Null
    );
    // Collection days are Korea Standard Time (UTC+9): the fixture's day there, a day either side.
    let seoul = chrono::Utc::now() + chrono::Duration::hours(9);
    let day = |d: i64| {
        (seoul + chrono::Duration::days(d))
            .format("%Y-%m-%d")
            .to_string()
    };
    let (yesterday, tomorrow) = (day(-1), day(1));
    assert_eq!(
        stage(
            &funnel(&app, &format!("from={yesterday}&to={tomorrow}")).await,
            "collected"
        ),
        6
    );
    assert_eq!(stage(&funnel(&app, "to=2020-01-01").await, "collected"), 0);

    let orgs = expect_json(app.get("/api/v1/stats/organizations", None).await, 200).await;
    let rec = |id: &str| {
        orgs["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["organization"]["id"] == id)
            .unwrap()
            .clone()
    };
    let a = rec(&fx.org_a);
    // a: received 2, acknowledged 2, answered 1 on time, transferred 1 away.
    for (k, n) in [
        ("received", 2),
        ("acknowledged", 2),
        ("answered_on_time", 1),
        ("answered_late", 0),
        ("overdue_now", 0),
        ("transferred_away", 1),
    ] {
        assert_eq!(a[k], n, "a {k}");
    }
    assert_eq!(count(&a, "decisions", "decision", "accepted"), 1);
    assert_eq!(a["median_days_to_answer"], 0.0);
    let b = rec(&fx.org_b);
    // b: the transfer and the waiting one arrived; it acknowledged the transfer and answered it; the
    // waiting one is overdue.
    for (k, n) in [
        ("received", 2),
        ("acknowledged", 1),
        ("answered_on_time", 1),
        ("answered_late", 0),
        ("overdue_now", 1),
        ("transferred_away", 0),
    ] {
        assert_eq!(b[k], n, "b {k}");
    }
    assert_eq!(count(&b, "decisions", "decision", "not_accepted"), 1);
    assert_eq!(orgs["items"].as_array().unwrap().len(), 2);
    // Officials' identities are not part of a record.
    let text = orgs.to_string();
    assert!(!text.contains(&fx.official_a) && !text.contains(&fx.official_b));
}

#[tokio::test]
async fn statistics_answer_304_while_nothing_changed_and_a_new_tag_after() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let citizen = app.citizen().await;
    let body = "버스 노선을 늘려 주민의 통근 시간을 줄여 주세요. 배차 간격도 줄여야 합니다.";
    app.propose(&citizen.access_token, "첫 번째 제안입니다", body)
        .await;
    for path in [
        "/api/v1/stats/funnel",
        "/api/v1/stats/organizations",
        "/api/v1/stats/forums",
    ] {
        let first = app.get(path, None).await;
        assert_eq!(first.status(), 200);
        assert_eq!(first.headers()["cache-control"], "no-cache");
        let tag = first.headers()[ETAG].to_str().unwrap().to_owned();
        assert!(tag.starts_with('"') && tag.ends_with('"'), "{tag}");
        let again = app
            .request(reqwest::Method::GET, path, None)
            .header(IF_NONE_MATCH, &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()[ETAG].to_str().unwrap(), tag);
        assert!(again.bytes().await.unwrap().is_empty());
        let other = app
            .request(reqwest::Method::GET, path, None)
            .header(IF_NONE_MATCH, "\"something-else\"")
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), 200);
    }
    let before = app.get("/api/v1/stats/funnel", None).await.headers()[ETAG].clone();
    app.propose(&citizen.access_token, "두 번째 제안입니다", body)
        .await;
    let after = app
        .request(reqwest::Method::GET, "/api/v1/stats/funnel", None)
        .header(IF_NONE_MATCH, before.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 200);
    assert_ne!(after.headers()[ETAG], before);
}

#[tokio::test]
async fn invalid_filters_are_refused_with_every_field_named() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let fields = invalid_fields(
        app.get(
            "/api/v1/stats/funnel?from=2026-13-01&to=yesterday&channel=fax&region=mars&topic_id=1&forum_id=x&organization_id=y",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(
        fields,
        [
            "from",
            "to",
            "channel",
            "region",
            "topic_id",
            "forum_id",
            "organization_id"
        ]
    );
    assert_eq!(
        invalid_fields(
            app.get("/api/v1/stats/funnel?from=2026-02-01&to=2026-01-01", None)
                .await
        )
        .await,
        ["to"]
    );
    assert_eq!(
        invalid_fields(
            app.get("/api/v1/stats/funnel?policy_area=nowhere", None)
                .await
        )
        .await,
        ["policy_area"]
    );
    assert_eq!(
        invalid_fields(app.get("/api/v1/stats/forums?from=01-01-2026", None).await).await,
        ["from"]
    );
    for path in [
        "/api/v1/stats/funnel?colour=red",
        "/api/v1/stats/organizations?x=1",
        "/api/v1/stats/forums?year=2026",
    ] {
        let r = app.get(path, None).await;
        assert_eq!(r.status(), 400, "{path}");
    }
}
