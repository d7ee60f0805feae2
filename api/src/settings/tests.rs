use super::*;
use std::collections::HashMap;

fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Settings::from_lookup(|k| map.get(k).cloned())
}

const SECRET: (&str, &str) = ("JWT_SECRET", "0123456789abcdef0123456789abcdef");

#[test]
fn errors_name_the_variable() {
    let e = settings(&[SECRET, ("BIND_ADDRESS", "nowhere")])
        .err()
        .map(|e| e.var);
    assert_eq!(e, Some("BIND_ADDRESS"));
    let e = settings(&[("JWT_SECRET", "short")]).err().map(|e| e.var);
    assert_eq!(e, Some("JWT_SECRET"));
    let e = settings(&[SECRET, ("DATABASE_URL", "mysql://x")])
        .err()
        .map(|e| e.var);
    assert_eq!(e, Some("DATABASE_URL"));
    let e = settings(&[SECRET, ("CORS_ALLOWED_ORIGINS", "https://a.kr/path")])
        .err()
        .map(|e| e.var);
    assert_eq!(e, Some("CORS_ALLOWED_ORIGINS"));
    let e = settings(&[SECRET, ("DATABASE_POOL_SIZE", "0")])
        .err()
        .map(|e| e.var);
    assert_eq!(e, Some("DATABASE_POOL_SIZE"));
    let e = settings(&[SECRET, ("PUBLIC_CACHE_TTL_MS", "61000")])
        .err()
        .map(|e| e.var);
    assert_eq!(e, Some("PUBLIC_CACHE_TTL_MS"));
}

#[test]
fn the_public_cache_keeps_a_second_by_default_and_can_be_off() -> Result<(), ConfigError> {
    assert_eq!(
        settings(&[SECRET])?.public_cache_ttl,
        Duration::from_secs(1)
    );
    let off = settings(&[SECRET, ("PUBLIC_CACHE_TTL_MS", "0")])?;
    assert_eq!(off.public_cache_ttl, Duration::ZERO);
    Ok(())
}

#[test]
fn postgres_requires_an_explicit_secret() {
    let e = settings(&[("DATABASE_URL", "postgres://localhost/ocf")])
        .err()
        .map(|e| e.var);
    assert_eq!(e, Some("JWT_SECRET"));
}

#[test]
fn processes_starting_together_on_a_fresh_file_agree_on_one_secret()
-> Result<(), Box<dyn std::error::Error>> {
    for _ in 0..10 {
        let dir = tempfile_dir()?;
        let url = format!("sqlite://{}/ocf.db", dir.display());
        let starts: Vec<_> = (0..8)
            .map(|_| {
                let url = url.clone();
                std::thread::spawn(move || {
                    settings(&[("DATABASE_URL", &url)]).map(|s| s.jwt_secret.expose().to_vec())
                })
            })
            .collect();
        let mut keys = Vec::new();
        for start in starts {
            keys.push(start.join().map_err(|_| "a start panicked")??);
        }
        assert!(keys.windows(2).all(|w| w[0] == w[1]), "one key for all");
        let leftovers = std::fs::read_dir(&dir)?.count();
        assert_eq!(leftovers, 1, "only the key file remains");
        std::fs::remove_dir_all(dir)?;
    }
    Ok(())
}

#[test]
fn a_missing_secret_is_generated_beside_the_sqlite_file_once()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile_dir()?;
    let url = format!("sqlite://{}/ocf.db", dir.display());
    let first = settings(&[("DATABASE_URL", &url)])?;
    let second = settings(&[("DATABASE_URL", &url)])?;
    assert_eq!(first.jwt_secret.expose(), second.jwt_secret.expose());
    let file = dir.join("ocf.db.jwt-secret");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file)?.permissions().mode() & 0o777,
            0o600
        );
    }
    std::fs::remove_dir_all(dir)?;
    Ok(())
}

fn tempfile_dir() -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("ocf-settings-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

#[test]
fn secrets_are_not_printed() -> Result<(), ConfigError> {
    let s = settings(&[SECRET])?;
    assert!(!format!("{s:?}").contains("0123456789abcdef"));
    Ok(())
}

#[test]
fn partner_and_webhook_settings_are_checked() {
    let ok = settings(&[SECRET]).ok();
    assert!(
        ok.as_ref()
            .is_some_and(|s| s.partner_quota_per_minute == 6_000
                && !s.webhooks.allow_private_targets
                && (s.webhooks.retry_scale - 1.0).abs() < f64::EPSILON)
    );
    let set = settings(&[
        SECRET,
        ("PARTNER_QUOTA_PER_MINUTE", "120"),
        ("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true"),
        ("WEBHOOK_RETRY_SCALE", "0.01"),
    ])
    .ok();
    assert!(
        set.as_ref()
            .is_some_and(|s| s.partner_quota_per_minute == 120
                && s.webhooks.allow_private_targets
                && (s.webhooks.retry_scale - 0.01).abs() < f64::EPSILON)
    );
    for (var, bad) in [
        ("PARTNER_QUOTA_PER_MINUTE", "0"),
        ("WEBHOOK_ALLOW_PRIVATE_TARGETS", "yes"),
        ("WEBHOOK_RETRY_SCALE", "2"),
        ("WEBHOOK_RETRY_SCALE", "fast"),
    ] {
        let e = settings(&[SECRET, (var, bad)]).err().map(|e| e.var);
        assert_eq!(e, Some(var), "{var}={bad}");
    }
}

#[test]
fn stream_settings_default_parse_and_name_a_bad_value() {
    let ok = settings(&[SECRET]).ok();
    assert_eq!(ok.map(|s| s.streams), Some(StreamSettings::default()));
    let set = settings(&[
        SECRET,
        ("STREAM_HEARTBEAT_SECONDS", "30"),
        ("STREAM_RETRY_MS", "500"),
        ("STREAM_BATCH_MS", "0"),
    ])
    .ok()
    .map(|s| s.streams);
    assert!(set.is_some_and(|s| s.heartbeat == Duration::from_secs(30)
        && s.retry == Duration::from_millis(500)
        && s.batch == Duration::ZERO
        && s.safety_poll == StreamSettings::default().safety_poll));
    for (var, bad) in [
        ("STREAMS_MAX_OPEN", "0"),
        ("STREAM_HEARTBEAT_SECONDS", "0"),
        ("STREAM_RETRY_MS", "99"),
        ("STREAM_POLL_MS", "soon"),
        ("STREAM_BATCH_MS", "5001"),
    ] {
        let e = settings(&[SECRET, (var, bad)]).err().map(|e| e.var);
        assert_eq!(e, Some(var), "{var}={bad}");
    }
}
