use ocf_tests::{TestApp, error_fields, expect_json, expect_problem};
use serde_json::json;

async fn app_with_proposals() -> (TestApp, Vec<String>) {
    let app = TestApp::spawn().await;
    app.seed().await;
    let author = app.citizen().await;
    let mut ids = Vec::new();
    for (title, body) in [
        (
            "아파트 주차장을 낮 시간에 이웃과 공유해요",
            "낮 시간에 비어 있는 아파트 주차장을 인근 주민에게 개방하면 골목 주차 문제가 줄어듭니다.",
        ),
        (
            "어린이 보호구역 과속 단속 카메라 확대",
            "학교 앞 어린이 보호구역에 과속 단속 카메라를 더 설치해서 아이들의 안전을 지켜 주세요.",
        ),
        (
            "Free public wifi in every city park",
            "Every public park should offer free wifi so that people can work and study outdoors.",
        ),
        (
            "More bicycle parking at subway stations",
            "Commuters who cycle to the subway have nowhere safe to lock their bikes near the exits.",
        ),
    ] {
        ids.push(app.propose(&author.access_token, title, body).await);
    }
    (app, ids)
}

#[tokio::test]
async fn a_two_syllable_korean_query_finds_words_that_contain_it() {
    let (app, ids) = app_with_proposals().await;
    assert_eq!(app.list_ids("q=주차", None).await, vec![ids[0].clone()]);
    assert_eq!(app.list_ids("q=주차장", None).await, vec![ids[0].clone()]);
    assert_eq!(app.list_ids("q=보호구역", None).await, vec![ids[1].clone()]);
    assert_eq!(
        app.list_ids("q=%EC%95%88%EC%A0%84", None).await,
        vec![ids[1].clone()],
        "안전 in the body"
    );
    assert!(app.list_ids("q=국립공원", None).await.is_empty());
}

#[tokio::test]
async fn english_search_is_case_insensitive_and_needs_every_word() {
    let (app, ids) = app_with_proposals().await;
    assert_eq!(app.list_ids("q=WiFi", None).await, vec![ids[2].clone()]);
    assert_eq!(app.list_ids("q=parking", None).await, vec![ids[3].clone()]);
    assert_eq!(
        app.list_ids("q=bicycle%20subway", None).await,
        vec![ids[3].clone()]
    );
    assert!(app.list_ids("q=bicycle%20wifi", None).await.is_empty());
}

#[tokio::test]
async fn search_combines_with_filters_and_follows_edits() {
    let (app, ids) = app_with_proposals().await;
    assert_eq!(
        app.list_ids("q=주차&policy_area=transport-logistics", None)
            .await,
        vec![ids[0].clone()]
    );
    assert!(
        app.list_ids("q=주차&policy_area=environment", None)
            .await
            .is_empty()
    );
    assert!(
        app.list_ids("q=주차&status=selected", None)
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn an_edited_proposal_is_found_by_its_new_words_only() {
    let app = TestApp::spawn().await;
    app.seed().await;
    let author = app.citizen().await;
    let id = app
        .propose(
            &author.access_token,
            "아파트 주차장 공유",
            "낮 시간에 비어 있는 아파트 주차장을 개방해 주세요.",
        )
        .await;
    expect_json(
        app.edit(
            Some(&author.access_token),
            &id,
            &json!({"title": "공공 와이파이 확대", "body": "모든 공원에 무료 와이파이를 설치해 주세요. 야외에서도 일할 수 있습니다."}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(app.list_ids("q=와이파이", None).await, vec![id]);
    assert!(app.list_ids("q=주차", None).await.is_empty());
}

#[tokio::test]
async fn the_similar_check_finds_reworded_drafts_in_korean_and_english() {
    let (app, ids) = app_with_proposals().await;
    let korean = expect_json(
        app.similar(&json!({"title": "아파트 주차장 이웃 공유 제안", "body": "비어 있는 주차장을 주민에게 개방"})).await,
        200,
    )
    .await;
    let items = korean["items"].as_array().unwrap();
    assert_eq!(items[0]["proposal"]["id"], json!(ids[0]));
    assert!(items[0]["score"].as_f64().unwrap() > 0.3, "{korean}");
    assert!(
        items.iter().all(|i| i["proposal"]["id"] != json!(ids[2])),
        "unrelated proposals are left out"
    );

    let english = expect_json(
        app.similar(&json!({"title": "free wi-fi in public parks"}))
            .await,
        200,
    )
    .await;
    assert_eq!(english["items"][0]["proposal"]["id"], json!(ids[2]));

    let nothing = expect_json(
        app.similar(&json!({"title": "국립공원 입장료 폐지"})).await,
        200,
    )
    .await;
    assert!(nothing["items"].as_array().unwrap().is_empty(), "{nothing}");
}

#[tokio::test]
async fn the_similar_check_leaves_out_withdrawn_and_hidden_proposals() {
    let (app, ids) = app_with_proposals().await;
    let moderator = app.moderator().await;
    expect_json(
        app.hide(&moderator.access_token, &ids[0], "테스트").await,
        200,
    )
    .await;
    let result = expect_json(
        app.similar(&json!({"title": "아파트 주차장 이웃 공유"}))
            .await,
        200,
    )
    .await;
    assert!(
        result["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["proposal"]["id"] != json!(ids[0]))
    );
}

#[tokio::test]
async fn the_similar_check_validates_the_draft() {
    let app = TestApp::spawn().await;
    let problem = expect_problem(
        app.similar(&json!({"title": " "})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["title"]);
    let problem = expect_problem(
        app.similar(&json!({"body": "본문만"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["title"]);
    let problem = expect_problem(
        app.similar(&json!({"title": "제목입니다", "body": "가".repeat(10_001)}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), vec!["body"]);
}

#[tokio::test]
async fn a_query_with_nothing_searchable_matches_nothing_on_proposals_and_topics() {
    let (app, _ids) = app_with_proposals().await;
    let author = app.citizen().await;
    app.suggest(
        &author.access_token,
        "골목길 불법 주차로 소방차가 못 지나갑니다",
    )
    .await;
    // What the document allows (2-200 characters) is answered: punctuation alone finds nothing.
    for q in ["!!", "%20%20%21", "%F3%87%9E%82%F1%A9%AA%99"] {
        assert!(
            app.list_ids(&format!("q={q}"), None).await.is_empty(),
            "{q}"
        );
        assert!(
            app.topic_ids(&format!("q={q}"), None).await.is_empty(),
            "{q}"
        );
    }
    assert_eq!(
        app.list_ids("q=%20%20parking", None).await.len(),
        1,
        "spaces count, then trim"
    );
}
