//! The annual report over HTTP: the same figures as the statistics for the year, the forums held, the
//! most voted topics (hidden ones left out), the implemented proposal's whole journey; JSON and HTML by
//! `format` or `Accept`, escaping, conditional GET, and the years and formats refused.

use chrono::{Datelike, Duration, Utc};
use ocf_tests::{TestApp, expect_json, expect_problem, invalid_fields};
use reqwest::header::{ACCEPT, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY};
use serde_json::{Value, json};

/// The year in Korea now.
pub fn this_year() -> i32 {
    (Utc::now() + Duration::hours(9)).year()
}

/// What the report's fixture made beyond the statistics' fixture.
pub struct ReportFixture {
    pub stats: crate::stats::Fixture,
    /// Whether the forum starts this year (it starts in two days, so not on 30 and 31 December).
    pub forum_this_year: bool,
}

/// The statistics' fixture, plus a forum held where one of two registered came, and four topics: voted
/// 3, 2 (with markup in its title), 1 and 4 (hidden by a moderator).
pub async fn report_fixture(app: &TestApp) -> ReportFixture {
    let stats = crate::stats::fixture(app).await;
    let (official, _) = app.official().await;
    let t = official.access_token.as_str();
    let body = ocf_tests::forum::offline_forum(Some(10));
    let start: chrono::DateTime<Utc> = body["starts_at"].as_str().unwrap().parse().unwrap();
    let forum = app.plan_forum(t, &body).await;
    app.walk_forum(t, &forum, &["scheduled"]).await;
    let mut registrations = Vec::new();
    let mut voters = Vec::new();
    for _ in 0..4 {
        voters.push(app.citizen().await);
    }
    for v in &voters[..2] {
        let r = expect_json(app.register_for(Some(&v.access_token), &forum).await, 201).await;
        registrations.push(r["id"].clone());
    }
    app.walk_forum(t, &forum, &["live"]).await;
    let present = json!({"registration_ids": [registrations[0]], "attended": true});
    expect_json(app.mark_attendance(t, &forum, &present).await, 200).await;
    app.walk_forum(t, &forum, &["ended"]).await;

    let author = app.citizen().await;
    let author = &author.access_token;
    let titles = [
        ("세 표를 받은 주제입니다", 3),
        ("<b>두 표</b> & \"따옴표\" 주제", 2),
        ("한 표를 받은 주제입니다", 1),
        ("숨겨질 주제이지만 표가 가장 많습니다", 4),
    ];
    let mut hidden = String::new();
    for (title, votes) in titles {
        let id = app.suggest(author, title).await;
        for v in &voters[..votes] {
            let r = app.vote(Some(&v.access_token), &id, true).await;
            assert!(r.status().is_success(), "{}", r.status());
        }
        hidden = id;
    }
    let m = app.moderator().await;
    let hide = json!({"reason": "개인정보가 담겨 있습니다"});
    let r = app
        .post(
            &format!("/api/v1/moderation/topics/{hidden}/hide"),
            &hide,
            Some(&m.access_token),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    ReportFixture {
        stats,
        forum_this_year: (start + Duration::hours(9)).year() == this_year(),
    }
}

pub async fn report_json(app: &TestApp, year: i32) -> Value {
    expect_json(
        app.get(&format!("/api/v1/reports/annual/{year}"), None)
            .await,
        200,
    )
    .await
}

#[tokio::test]
async fn the_report_has_the_years_figures_and_the_implemented_proposals_journey() {
    let app = TestApp::spawn().await;
    let fx = report_fixture(&app).await;
    let year = this_year();
    let r = report_json(&app, year).await;
    assert_eq!(r["year"], year);
    assert_eq!(
        r["period"],
        json!({"from": format!("{year}-01-01"), "to": format!("{year}-12-31")})
    );
    // The same figures as the statistics, for the same year.
    let funnel = expect_json(
        app.get(
            &format!("/api/v1/stats/funnel?from={year}-01-01&to={year}-12-31"),
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(r["funnel"], funnel);
    assert_eq!(
        crate::stats::count(&r["funnel"], "stages", "stage", "collected"),
        6
    );
    let records = expect_json(app.get("/api/v1/stats/organizations", None).await, 200).await;
    assert_eq!(
        r["organizations"], records["items"],
        "every referral was sent this year"
    );
    let forums = expect_json(
        app.get(
            &format!("/api/v1/stats/forums?from={year}-01-01&to={year}-12-31"),
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(r["forums"], forums);
    if fx.forum_this_year {
        assert_eq!(
            (r["forums"]["held"].clone(), r["forums"]["attended"].clone()),
            (json!(1), json!(1))
        );
        let held = r["forums_held"].as_array().unwrap();
        assert_eq!(held.len(), 1);
        assert_eq!(
            (
                held[0]["registered"].clone(),
                held[0]["attended"].clone(),
                held[0]["status"].clone()
            ),
            (json!(2), json!(1), json!("ended"))
        );
    }
    // Most votes first; the hidden topic with the most is left out.
    let topics: Vec<(String, i64)> = r["top_topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["title"].as_str().unwrap().to_owned(),
                t["votes"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        topics,
        [
            ("세 표를 받은 주제입니다".to_owned(), 3),
            ("<b>두 표</b> & \"따옴표\" 주제".to_owned(), 2),
            ("한 표를 받은 주제입니다".to_owned(), 1),
        ]
    );
    // The implemented proposal, with its policy task and every step dated, in order.
    let done = r["implemented"].as_array().unwrap();
    assert_eq!(done.len(), 1);
    let p = &done[0];
    assert_eq!(p["title"], "채택되어 이행될 제안");
    assert_eq!(p["policy_task"], "국정과제 12");
    assert_eq!(p["evidence_url"], "https://www.korea.kr/news/1");
    assert_eq!(p["organization"]["id"], fx.stats.org_a.as_str());
    assert!(
        p["referral_number"]
            .as_str()
            .unwrap()
            .contains(&year.to_string())
    );
    let j = &p["journey"];
    assert_eq!(j["decision"], "accepted");
    let steps = [
        "collected_at",
        "reviewed_at",
        "selected_at",
        "referred_at",
        "acknowledged_at",
        "answered_at",
        "implemented_at",
    ];
    let dates: Vec<chrono::DateTime<Utc>> = steps
        .iter()
        .map(|s| {
            j[s].as_str()
                .unwrap_or_else(|| panic!("{s}"))
                .parse()
                .unwrap()
        })
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    // A hidden proposal's title is not published.
    let m = app.moderator().await;
    let pid = p["proposal_id"].as_str().unwrap().to_owned();
    let hidden = app
        .hide(&m.access_token, &pid, "개인정보가 담겨 있습니다")
        .await;
    assert!(hidden.status().is_success(), "{}", hidden.status());
    assert_eq!(report_json(&app, year).await["implemented"], json!([]));
    // Another year has none of it.
    let before = report_json(&app, year - 1).await;
    assert_eq!(
        crate::stats::count(&before["funnel"], "stages", "stage", "collected"),
        0
    );
    assert_eq!(before["implemented"], json!([]));
    assert_eq!(before["top_topics"], json!([]));
    assert_eq!(before["organizations"], json!([]));
}

#[tokio::test]
async fn the_page_is_html_by_format_or_accept_with_every_value_escaped() {
    let app = TestApp::spawn().await;
    report_fixture(&app).await;
    let year = this_year();
    let path = format!("/api/v1/reports/annual/{year}");
    let by_format = app.get(&format!("{path}?format=html"), None).await;
    assert_eq!(by_format.status(), 200);
    assert_eq!(
        by_format.headers()[CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    let vary = by_format.headers()[VARY].to_str().unwrap().to_owned();
    assert!(vary.split(',').any(|v| v.trim() == "Accept"), "{vary}");
    let page = by_format.text().await.unwrap();
    assert!(
        page.starts_with("<!DOCTYPE html><html lang=\"ko\">"),
        "{}",
        &page[..80]
    );
    assert!(page.contains("The funnel") && page.contains("제안의 흐름"));
    assert!(page.contains("&lt;b&gt;두 표&lt;/b&gt; &amp; &quot;따옴표&quot; 주제"));
    assert!(!page.contains("<b>두 표</b>"));
    // Nothing is loaded from elsewhere.
    for outside in ["<link", "<script", "<img", "src=", "@import", "url("] {
        assert!(!page.contains(outside), "{outside}");
    }
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let by_accept = app
        .request(reqwest::Method::GET, &path, None)
        .header(ACCEPT, browser)
        .send()
        .await
        .unwrap();
    assert_eq!(
        by_accept.headers()[CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    for (accept, query) in [
        ("application/json", ""),
        ("*/*", ""),
        (browser, "?format=json"),
        // `q=0` refuses a type.
        ("text/html;q=0, */*;q=0.1", ""),
        ("text/html;q=0", ""),
    ] {
        let r = app
            .request(reqwest::Method::GET, &format!("{path}{query}"), None)
            .header(ACCEPT, accept)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.headers()[CONTENT_TYPE],
            "application/json",
            "{accept} {query}"
        );
    }
}

#[tokio::test]
async fn the_report_answers_304_while_nothing_changed() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let year = this_year();
    for query in ["", "?format=html"] {
        let path = format!("/api/v1/reports/annual/{year}{query}");
        let first = app.get(&path, None).await;
        assert_eq!(first.status(), 200);
        let tag = first.headers()[ETAG].to_str().unwrap().to_owned();
        let again = app
            .request(reqwest::Method::GET, &path, None)
            .header(IF_NONE_MATCH, &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{query}");
        assert_eq!(again.headers()[ETAG].to_str().unwrap(), tag);
    }
    let json_tag = app
        .get(&format!("/api/v1/reports/annual/{year}"), None)
        .await
        .headers()[ETAG]
        .clone();
    let html_tag = app
        .get(&format!("/api/v1/reports/annual/{year}?format=html"), None)
        .await
        .headers()[ETAG]
        .clone();
    assert_ne!(json_tag, html_tag, "each format has its own tag");
    let citizen = app.citizen().await;
    app.propose(
        &citizen.access_token,
        "보고서를 바꾸는 새 제안",
        "버스 노선을 늘려 주민의 통근 시간을 줄여 주세요. 배차 간격도 줄여야 합니다.",
    )
    .await;
    let changed = app
        .request(
            reqwest::Method::GET,
            &format!("/api/v1/reports/annual/{year}"),
            None,
        )
        .header(IF_NONE_MATCH, json_tag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
}

#[tokio::test]
async fn years_without_a_report_and_unknown_formats_are_refused() {
    let app = TestApp::spawn().await;
    let next = this_year() + 1;
    for year in [
        "2016".to_owned(),
        next.to_string(),
        "twenty".to_owned(),
        "99999999999".to_owned(),
        "-1".to_owned(),
        format!("+{}", this_year()),
        format!("0{}", this_year()),
    ] {
        expect_problem(
            app.get(&format!("/api/v1/reports/annual/{year}"), None)
                .await,
            404,
            "not_found",
        )
        .await;
    }
    assert_eq!(report_json(&app, 2017).await["year"], 2017);
    let path = format!("/api/v1/reports/annual/{}", this_year());
    assert_eq!(
        invalid_fields(app.get(&format!("{path}?format=pdf"), None).await).await,
        ["format"]
    );
    let unknown = app.get(&format!("{path}?yaer=2026"), None).await;
    assert_eq!(unknown.status(), 400);
}
