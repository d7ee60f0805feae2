//! The Open311 GeoReport v2 view over HTTP: the spec's field lists, codes as strings, statuses that
//! follow the referral, the filters, paging, and GeoReport's own errors.

use ocf_tests::{TestApp, expect_json};
use serde_json::{Value, json};

/// GeoReport v2's `GET services` fields.
const SERVICE_FIELDS: [&str; 7] = [
    "description",
    "group",
    "keywords",
    "metadata",
    "service_code",
    "service_name",
    "type",
];
/// GeoReport v2's `GET service requests` fields.
const REQUEST_FIELDS: [&str; 17] = [
    "address",
    "address_id",
    "agency_responsible",
    "description",
    "expected_datetime",
    "lat",
    "long",
    "media_url",
    "requested_datetime",
    "service_code",
    "service_name",
    "service_notice",
    "service_request_id",
    "status",
    "status_notes",
    "updated_datetime",
    "zipcode",
];

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

async fn list(app: &TestApp, query: &str) -> Vec<Value> {
    let v = expect_json(
        app.get(&format!("/open311/v2/requests.json?{query}"), None)
            .await,
        200,
    )
    .await;
    v.as_array().unwrap().clone()
}

async fn open311_error(app: &TestApp, path: &str, status: u16) -> Value {
    let r = app.get(path, None).await;
    assert_eq!(r.status(), status, "{path}");
    let v: Value = r.json().await.unwrap();
    let e = &v.as_array().expect("an array of errors")[0];
    assert_eq!(e["code"], status);
    assert!(e["description"].as_str().is_some_and(|d| !d.is_empty()));
    v
}

#[tokio::test]
async fn services_are_the_policy_areas_with_the_spec_fields() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let v = expect_json(app.get("/open311/v2/services.json", None).await, 200).await;
    let services = v.as_array().unwrap();
    let areas = expect_json(app.get("/api/v1/policy-areas?limit=100", None).await, 200).await;
    assert_eq!(services.len(), areas["items"].as_array().unwrap().len());
    for s in services {
        assert_eq!(keys(s), SERVICE_FIELDS);
        assert!(s["service_code"].is_string());
        assert_eq!(
            (s["metadata"].clone(), s["type"].clone()),
            (json!(false), json!("batch"))
        );
    }
    assert!(
        services
            .iter()
            .any(|s| s["service_code"] == "transport-logistics")
    );
    let ok = app
        .get("/open311/v2/services.json?jurisdiction_id=ocf.go.kr", None)
        .await;
    assert_eq!(ok.status(), 200);
    open311_error(&app, "/open311/v2/services.json?colour=red", 400).await;
}

#[tokio::test]
async fn a_referred_proposal_is_a_request_whose_status_follows_its_referral() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let m = app.moderator().await;
    let mt = m.access_token.as_str();
    let (official, org) = app.official().await;
    let ot = official.access_token.as_str();
    // Not referred: not a request.
    let (unreferred, _) = app.selected_proposal(mt, "아직 송부되지 않은 제안").await;
    let (pid, _) = app.selected_proposal(mt, "심야 버스를 늘려 주세요").await;
    let r = app.refer_proposal(mt, &pid, &org).await;
    let rid = r["id"].as_str().unwrap().to_owned();
    let number = r["number"].as_str().unwrap().to_owned();

    let one = expect_json(
        app.get(&format!("/open311/v2/requests/{pid}.json"), None)
            .await,
        200,
    )
    .await;
    let req = &one.as_array().unwrap()[0];
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert_eq!(keys(req), REQUEST_FIELDS);
    assert_eq!(req["service_request_id"], pid.as_str());
    assert_eq!(req["status"], "open");
    assert_eq!(req["service_code"], "transport-logistics");
    assert!(req["service_name"].as_str().unwrap().len() > 1);
    assert!(
        req["description"]
            .as_str()
            .unwrap()
            .starts_with("심야 버스를 늘려 주세요\n\n")
    );
    assert!(req["status_notes"].as_str().unwrap().contains(&number));
    assert!(req["status_notes"].as_str().unwrap().contains("송부"));
    let due = r["due_at"]
        .as_str()
        .unwrap()
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap();
    let expected = req["expected_datetime"].as_str().unwrap();
    assert!(expected.ends_with("+09:00"), "{expected}");
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(expected)
            .unwrap()
            .timestamp(),
        due.timestamp()
    );
    assert!(
        req["requested_datetime"]
            .as_str()
            .unwrap()
            .ends_with("+09:00")
    );
    assert_eq!(req["address"], Value::Null);
    for absent in [
        "lat",
        "long",
        "media_url",
        "zipcode",
        "address_id",
        "service_notice",
    ] {
        assert_eq!(req[absent], Value::Null, "{absent}");
    }
    let agency = req["agency_responsible"].as_str().unwrap().to_owned();
    assert!(!agency.is_empty());

    expect_json(app.acknowledge(ot, &rid).await, 200).await;
    let acked = &list(&app, &format!("service_request_id={pid}")).await[0];
    assert!(acked["status_notes"].as_str().unwrap().contains("접수"));
    expect_json(app.answer(ot, &rid, "accepted").await, 200).await;
    let answered = &list(&app, &format!("service_request_id={pid}")).await[0];
    assert_eq!(answered["status"], "open");
    // Now the expected completion of the answer (2027-06-30, end of day in Seoul).
    assert_eq!(answered["expected_datetime"], "2027-06-30T23:59:59+09:00");
    let done =
        json!({"evidence_url": "https://www.korea.kr/news/1", "summary": "노선을 개편했습니다."});
    expect_json(
        app.referral_step(Some(ot), &rid, "complete", &done).await,
        200,
    )
    .await;
    let closed = &list(&app, &format!("service_request_id={pid}")).await[0];
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["expected_datetime"], Value::Null);
    assert!(closed["status_notes"].as_str().unwrap().contains("완료"));

    // Lists: filters by status, service and dates; the unreferred proposal is never listed.
    let all = list(&app, "").await;
    assert_eq!(all.len(), 1);
    assert!(
        all.iter()
            .all(|r| r["service_request_id"] != unreferred.as_str())
    );
    assert_eq!(list(&app, "status=closed").await.len(), 1);
    assert!(list(&app, "status=open").await.is_empty());
    assert_eq!(list(&app, "status=open,closed").await.len(), 1);
    assert_eq!(list(&app, "status=closed,closed").await.len(), 1);
    assert_eq!(
        list(&app, "service_code=transport-logistics").await.len(),
        1
    );
    assert!(list(&app, "service_code=social-welfare").await.is_empty());
    assert!(
        list(&app, "start_date=2099-01-01T00:00:00%2B09:00")
            .await
            .is_empty()
    );
    assert!(list(&app, "end_date=2020-01-01T00:00:00Z").await.is_empty());
    assert_eq!(list(&app, "page_size=1&page=1").await.len(), 1);
    assert!(list(&app, "page_size=1&page=2").await.is_empty());
    open311_error(
        &app,
        &format!("/open311/v2/requests/{unreferred}.json"),
        404,
    )
    .await;
}

#[tokio::test]
async fn bad_parameters_get_georeport_errors() {
    let app = TestApp::spawn().await;
    app.seed().await;
    for q in [
        "status=pending",
        "start_date=yesterday",
        "end_date=2026-01-01",
        "page=0",
        "page_size=1001",
        "page_size=ten",
        "service_request_id=123",
        "colour=red",
        "service_request_id=0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11&start_date=yesterday",
        "service_request_id=0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11&status=pending",
        "jurisdiction_id=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ] {
        open311_error(&app, &format!("/open311/v2/requests.json?{q}"), 400).await;
    }
    open311_error(&app, "/open311/v2/requests.json?service_code=nowhere", 404).await;
    let reversed = app
        .get("/open311/v2/requests.json?start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", None)
        .await;
    assert_eq!(reversed.status(), 200);
    open311_error(&app, "/open311/v2/requests/not-an-id.json", 404).await;
    open311_error(
        &app,
        "/open311/v2/requests/0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11.json",
        404,
    )
    .await;
    open311_error(
        &app,
        "/open311/v2/requests/0192f5c4-7a8e-7c1a-9a57-6f3b2f0c9d11.json?x=1",
        400,
    )
    .await;
}
