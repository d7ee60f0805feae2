//! The open data over HTTP: the dictionary, every file in CSV and NDJSON against it, no personal data
//! in any column, `since`, conditional GET, and the refusals.

use ocf_tests::{TestApp, expect_json, expect_problem, invalid_fields};
use reqwest::header::{ACCEPT, ETAG, IF_NONE_MATCH};
use serde_json::Value;

const FILES: [&str; 4] = ["proposals", "referrals", "forums", "comments"];

async fn get(app: &TestApp, path: &str, accept: Option<&str>) -> reqwest::Response {
    let mut r = app.request(reqwest::Method::GET, path, None);
    if let Some(a) = accept {
        r = r.header(ACCEPT, a);
    }
    r.send().await.unwrap()
}

/// The rows of a CSV file as maps from the header, checking the BOM and the header.
async fn csv_rows(app: &TestApp, file: &str, query: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let r = get(app, &format!("/api/v1/exports/{file}?{query}"), None).await;
    assert_eq!(r.status(), 200, "{file}");
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"ocf-{file}.csv\"")
    );
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "{file}: no BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

async fn ndjson_rows(app: &TestApp, file: &str, accept: Option<&str>, query: &str) -> Vec<Value> {
    let r = get(app, &format!("/api/v1/exports/{file}?{query}"), accept).await;
    assert_eq!(r.status(), 200, "{file}");
    assert_eq!(r.headers()["content-type"], "application/x-ndjson");
    let text = r.text().await.unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn columns(dictionary: &Value, file: &str) -> Vec<String> {
    let f = dictionary["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == file)
        .unwrap();
    f["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Every kind of row, made by people whose identities must not leak.
async fn fixture(app: &TestApp) -> Vec<String> {
    app.seed().await;
    let name = "홍길순개인정보";
    let email = "hong.gilsun.private@example.kr";
    let account = expect_json(
        app.register(email, "correct horse battery staple", name)
            .await,
        201,
    )
    .await;
    let login = expect_json(app.login(email, "correct horse battery staple").await, 200).await;
    let token = login["access_token"].as_str().unwrap().to_owned();
    let m = app.moderator().await;
    let (official, org) = app.official().await;
    let pid = app
        .propose(
            &token,
            "심야 버스를 늘려 주세요",
            "심야 시간대 버스 배차를 늘려 통근 부담을 줄여 주세요.",
        )
        .await;
    for s in ["under_review", "selected"] {
        expect_json(app.set_status(&m.access_token, &pid, s, None).await, 200).await;
    }
    let r = app.refer_proposal(&m.access_token, &pid, &org).await;
    // The acknowledgement's contact is an official's name and number: it stays out.
    expect_json(
        app.acknowledge(&official.access_token, r["id"].as_str().unwrap())
            .await,
        200,
    )
    .await;
    let fid = app
        .plan_forum(
            &official.access_token,
            &ocf_tests::forum::offline_forum(None),
        )
        .await;
    app.walk_forum(&official.access_token, &fid, &["scheduled"])
        .await;
    app.post_comment(
        &token,
        "proposals",
        &pid,
        "좋은 제안입니다. 꼭 반영되면 좋겠습니다.",
        None,
    )
    .await;
    let mut secrets = vec![
        name.to_owned(),
        email.to_owned(),
        account["id"].as_str().unwrap().to_owned(),
        m.id.clone(),
        m.email.clone(),
        official.id.clone(),
        official.email.clone(),
        "홍길동".to_owned(),
        "044-000-0000".to_owned(),
    ];
    // The forum's panel lists speakers by name.
    secrets.push("김민지".to_owned());
    secrets
}

#[tokio::test]
async fn every_file_matches_the_dictionary_in_both_formats_and_holds_no_personal_data() {
    let app = TestApp::spawn().await;
    let secrets = fixture(&app).await;
    let dictionary = expect_json(app.get("/api/v1/exports", None).await, 200).await;
    assert!(
        dictionary["licence_ko"]
            .as_str()
            .unwrap()
            .contains("공공누리 제1유형")
    );
    assert!(
        dictionary["licence_en"]
            .as_str()
            .unwrap()
            .contains("CC BY 4.0")
    );
    assert!(dictionary["updated_at"].is_string());
    for f in dictionary["files"].as_array().unwrap() {
        for c in f["columns"].as_array().unwrap() {
            assert!(!c["description_ko"].as_str().unwrap().is_empty());
            assert!(!c["description_en"].as_str().unwrap().is_empty());
            let name = c["name"].as_str().unwrap();
            for personal in [
                "author_id",
                "user_id",
                "email",
                "name",
                "contact",
                "_by",
                "participant",
            ] {
                assert!(!name.contains(personal), "{name} looks personal");
            }
        }
    }
    let expected_rows = [
        ("proposals", 1),
        ("referrals", 1),
        ("forums", 1),
        ("comments", 1),
    ];
    for (file, n) in expected_rows {
        let (header, rows) = csv_rows(&app, file, "").await;
        assert_eq!(header, columns(&dictionary, file), "{file}");
        assert_eq!(rows.len(), n, "{file}");
        for row in &rows {
            assert_eq!(row.len(), header.len());
            for (column, cell) in header.iter().zip(row) {
                for s in &secrets {
                    assert!(
                        !cell.contains(s.as_str()),
                        "{file}.{column} holds personal data: {cell}"
                    );
                }
            }
        }
        let lines = ndjson_rows(&app, file, None, "format=ndjson").await;
        assert_eq!(lines.len(), n);
        // Each object's keys come in the dictionary's order, as the CSV's columns do.
        let raw = get(&app, &format!("/api/v1/exports/{file}?format=ndjson"), None)
            .await
            .text()
            .await
            .unwrap();
        let first = raw.lines().next().unwrap();
        let at: Vec<usize> = columns(&dictionary, file)
            .iter()
            .map(|c| {
                first
                    .find(&format!("\"{c}\":"))
                    .unwrap_or_else(|| panic!("{file}.{c}"))
            })
            .collect();
        assert!(
            at.windows(2).all(|w| w[0] < w[1]),
            "{file}: keys out of order"
        );
        for line in &lines {
            let mut keys: Vec<String> = line.as_object().unwrap().keys().cloned().collect();
            let mut want = columns(&dictionary, file);
            keys.sort();
            want.sort();
            assert_eq!(keys, want, "{file}");
            for s in &secrets {
                assert!(!line.to_string().contains(s.as_str()), "{file} holds {s}");
            }
        }
    }
    // The same cells in both formats; integers are numbers in NDJSON.
    let p = &ndjson_rows(&app, "proposals", Some("application/x-ndjson"), "").await[0];
    assert_eq!(p["title"], "심야 버스를 늘려 주세요");
    assert_eq!(p["status"], "referred");
    assert_eq!(p["support_count"], 0);
    assert_eq!(p["region"], Value::Null);
    let r = &ndjson_rows(&app, "referrals", None, "format=ndjson").await[0];
    assert_eq!(r["status"], "acknowledged");
    assert!(r["number"].as_str().unwrap().starts_with("OCF-"));
}

#[tokio::test]
async fn since_pulls_only_what_changed_and_etags_follow_the_log() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let citizen = app.citizen().await;
    let body = "심야 시간대 버스 배차를 늘려 통근 부담을 줄여 주세요.";
    app.propose(&citizen.access_token, "첫 번째 제안입니다", body)
        .await;
    let mark = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    app.propose(&citizen.access_token, "두 번째 제안입니다", body)
        .await;
    let since = mark.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let (_, all) = csv_rows(&app, "proposals", "").await;
    assert_eq!(all.len(), 2);
    let (_, newer) = csv_rows(&app, "proposals", &format!("since={since}")).await;
    assert_eq!(newer.len(), 1);
    assert_eq!(newer[0][1], "두 번째 제안입니다");
    // Nothing since: the header alone.
    let (header, none) = csv_rows(&app, "proposals", "since=2099-01-01T00:00:00Z").await;
    assert!(none.is_empty() && !header.is_empty());

    let first = get(&app, "/api/v1/exports/proposals", None).await;
    let tag = first.headers()[ETAG].to_str().unwrap().to_owned();
    let again = app
        .request(reqwest::Method::GET, "/api/v1/exports/proposals", None)
        .header(IF_NONE_MATCH, &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    // Another format is another file.
    let ndjson = get(&app, "/api/v1/exports/proposals?format=ndjson", None).await;
    assert_ne!(ndjson.headers()[ETAG].to_str().unwrap(), tag);
    app.propose(&citizen.access_token, "세 번째 제안입니다", body)
        .await;
    let changed = app
        .request(reqwest::Method::GET, "/api/v1/exports/proposals", None)
        .header(IF_NONE_MATCH, &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    let dict = app.get("/api/v1/exports", None).await;
    let dtag = dict.headers()[ETAG].to_str().unwrap().to_owned();
    let dict_again = app
        .request(reqwest::Method::GET, "/api/v1/exports", None)
        .header(IF_NONE_MATCH, &dtag)
        .send()
        .await
        .unwrap();
    assert_eq!(dict_again.status(), 304);
}

#[tokio::test]
async fn a_file_larger_than_one_page_streams_whole() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let citizen = app.citizen().await;
    // More rows than one read (1000), written straight into the database.
    let n = ocf_tests::proposal::seed_proposals(app.database(), &citizen.id, 2_500).await;
    let (_, rows) = csv_rows(&app, "proposals", "").await;
    assert_eq!(rows.len(), n);
    let ids: std::collections::HashSet<&String> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(ids.len(), n, "no row twice");
}

#[tokio::test]
async fn unknown_files_formats_and_parameters_are_refused() {
    let app = TestApp::spawn().await;
    app.seed().await;
    expect_problem(
        app.get("/api/v1/exports/users", None).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        invalid_fields(app.get("/api/v1/exports/proposals?format=xlsx", None).await).await,
        ["format"]
    );
    assert_eq!(
        invalid_fields(
            app.get("/api/v1/exports/proposals?since=yesterday", None)
                .await
        )
        .await,
        ["since"]
    );
    for path in [
        "/api/v1/exports/proposals?colour=red",
        "/api/v1/exports?x=1",
    ] {
        assert_eq!(app.get(path, None).await.status(), 400, "{path}");
    }
    for file in FILES {
        let r = get(&app, &format!("/api/v1/exports/{file}"), Some("text/csv")).await;
        assert_eq!(r.status(), 200);
    }
}
