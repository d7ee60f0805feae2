//! Sign-in under pressure: the failure limit holds for parallel attempts, and password hashing is bounded.

use std::time::Duration;

use futures_util::future::join_all;
use ocf_tests::{PASSWORD, TestApp, expect_json, expect_problem};

#[tokio::test]
async fn forty_parallel_attempts_evaluate_at_most_the_limit() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    // 40 at once, the right password 30th: only 5 may be evaluated (the account limit), so the right one
    // cannot slip through a window between counting failures and recording them.
    let attempts = (0..40).map(|i| {
        let password = if i == 29 { PASSWORD } else { "wrong password!" };
        app.login(&citizen.email, password)
    });
    let statuses: Vec<u16> = join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.status().as_u16())
        .collect();
    let evaluated = statuses.iter().filter(|s| matches!(s, 200 | 401)).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert!(evaluated <= 5, "{evaluated} evaluated: {statuses:?}");
    assert_eq!(evaluated + throttled, 40, "{statuses:?}");
}

#[tokio::test]
async fn parallel_attempts_on_many_accounts_respect_the_address_limit() {
    let app = TestApp::spawn_with(|s| s.throttle.max_failures_per_ip = 10).await;
    let app = &app;
    let attempts =
        (0..40).map(|i| async move { app.login(&format!("ghost{i}@example.kr"), PASSWORD).await });
    let statuses: Vec<u16> = join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.status().as_u16())
        .collect();
    let evaluated = statuses.iter().filter(|s| **s == 401).count();
    assert!(evaluated <= 10, "{evaluated} evaluated: {statuses:?}");
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        40 - evaluated
    );
}

#[tokio::test]
async fn a_burst_of_logins_never_hashes_more_than_the_bound_at_once() {
    let app = TestApp::spawn_with(|s| {
        s.throttle.max_failures_per_ip = 10_000;
        s.throttle.max_failures_per_account = 10_000;
        s.password_hashing.concurrency = 2;
        s.password_hashing.queue_timeout = Duration::from_millis(300);
    })
    .await;
    let app = &app;
    let attempts = (0..200).map(|i| async move {
        app.login(&format!("burst{i}@example.kr"), "not the password")
            .await
    });
    let responses = join_all(attempts).await;
    let (mut refused, mut busy) = (0, 0);
    for response in responses {
        match response.status().as_u16() {
            401 => refused += 1,
            503 => {
                let retry: u64 = response.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(retry >= 1);
                expect_problem(response, 503, "service_unavailable").await;
                busy += 1;
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(refused + busy, 200);
    assert!(refused >= 2, "{refused}");
    assert!(app.passwords.peak_concurrent_hashes() <= 2);
    // Requests refused as busy were never evaluated, so they did not count as failures.
    let citizen = app.citizen().await;
    expect_json(app.login(&citizen.email, PASSWORD).await, 200).await;
}

#[tokio::test]
async fn responses_with_tokens_are_never_cached() {
    let app = TestApp::spawn().await;
    let citizen = app.citizen().await;
    let login = app.login(&citizen.email, PASSWORD).await;
    assert_eq!(login.headers()["cache-control"], "no-store");
    assert_eq!(login.headers()["pragma"], "no-cache");
    let tokens = expect_json(login, 200).await;
    let refreshed = app.refresh(tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(refreshed.headers()["cache-control"], "no-store");
    expect_json(refreshed, 200).await;
}
