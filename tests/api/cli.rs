//! What the `ocf-api admin create` and `seed` subcommands do, run against the server's own database.

use ocf_api::cli::{AdminError, create_admin};
use ocf_tests::{PASSWORD, TestApp, expect_json};

#[tokio::test]
async fn the_admin_subcommand_creates_an_admin_who_can_sign_in() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let me = expect_json(app.me(&admin.access_token).await, 200).await;
    assert_eq!(me["roles"], serde_json::json!(["admin"]));
}

#[tokio::test]
async fn the_admin_subcommand_refuses_bad_input_and_existing_accounts() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    let db = app.database();
    let outcome = tokio::task::spawn_blocking(move || {
        (
            create_admin(&db, "not-an-email", "Admin", PASSWORD),
            create_admin(&db, "ok@example.kr", "Admin", "short"),
            create_admin(&db, &citizen.email.to_uppercase(), "Admin", PASSWORD),
        )
    })
    .await
    .unwrap();
    assert!(matches!(outcome.0, Err(AdminError::Invalid(_))));
    assert!(matches!(outcome.1, Err(AdminError::Invalid(_))));
    assert!(matches!(outcome.2, Err(AdminError::Exists(_))));
}

#[tokio::test]
async fn seeding_loads_ministries_and_policy_areas_once() {
    let app = TestApp::spawn().await;
    let db = app.database();
    let (first, second) = tokio::task::spawn_blocking(move || {
        (
            ocf_api::seed::seed(&db).unwrap(),
            ocf_api::seed::seed(&db).unwrap(),
        )
    })
    .await
    .unwrap();
    assert_eq!(
        first.organizations_added,
        ocf_api::seed::ORGANIZATIONS.len()
    );
    assert_eq!(first.policy_areas_added, ocf_api::seed::POLICY_AREAS.len());
    assert_eq!(second.organizations_added + second.policy_areas_added, 0);
    let page = expect_json(app.get("/api/v1/organizations?limit=100", None).await, 200).await;
    let items = page["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|o| o["code"] == "MOIS" && o["name_ko"] == "행정안전부")
    );
}
