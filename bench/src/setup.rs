//! The harness around the workloads: the server process, its memory, the database to load, and how long
//! each load step took.

use std::path::PathBuf;
use std::process::Child;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::{Connection, RunQueryDsl};
use ocf_persistence::DatabaseUrl;

pub(crate) struct Server(pub(crate) Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `kB` figure of `/proc/PID/status`.
pub(crate) fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Samples the server's private memory (`RssAnon`) while the workloads run and keeps the peak. `VmHWM`
/// would also count the SQLite file's pages mapped by each pooled connection (`mmap_size`), once per
/// mapping, although they are shared page cache.
pub(crate) fn sample_private_memory(
    pid: u32,
) -> (
    Arc<std::sync::atomic::AtomicU64>,
    Arc<std::sync::atomic::AtomicBool>,
) {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    let peak = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (p, s) = (peak.clone(), stop.clone());
    std::thread::spawn(move || {
        while !s.load(Ordering::Relaxed) {
            if let Some(kib) = status_kib(pid, "RssAnon:") {
                p.fetch_max(kib, Ordering::Relaxed);
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    (peak, stop)
}

pub(crate) fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

/// The bench database: the `ocf_bench` schema of the given PostgreSQL, a given SQLite file, or a new SQLite
/// file in a temporary folder (returned, to be removed after the run). Emptied unless `keep`.
pub(crate) fn bench_database(
    url: Option<&str>,
    keep: bool,
) -> Result<(DatabaseUrl, Option<PathBuf>), String> {
    match url
        .map(DatabaseUrl::parse)
        .transpose()
        .map_err(|e| e.to_string())?
    {
        Some(DatabaseUrl::Postgres(base)) => {
            let mut conn = diesel::PgConnection::establish(&base).map_err(|e| e.to_string())?;
            let statements: &[&str] = if keep {
                &["CREATE SCHEMA IF NOT EXISTS ocf_bench"]
            } else {
                &[
                    "DROP SCHEMA IF EXISTS ocf_bench CASCADE",
                    "CREATE SCHEMA ocf_bench",
                ]
            };
            for statement in statements {
                diesel::sql_query(*statement)
                    .execute(&mut conn)
                    .map_err(|e| e.to_string())?;
            }
            let sep = if base.contains('?') { '&' } else { '?' };
            let url = DatabaseUrl::parse(&format!("{base}{sep}options=-csearch_path%3Docf_bench"))
                .map_err(|e| e.to_string())?;
            Ok((url, None))
        }
        Some(DatabaseUrl::Sqlite(path)) => {
            if !keep {
                remove_sqlite(&path);
            }
            Ok((DatabaseUrl::Sqlite(path), None))
        }
        None => {
            let dir = std::env::temp_dir().join(format!("ocf-bench-{}", std::process::id()));
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            let path = dir.join("bench.db");
            remove_sqlite(&path);
            Ok((DatabaseUrl::Sqlite(path), Some(dir)))
        }
    }
}

pub(crate) fn remove_sqlite(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm", ".jwt-secret"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// What a finished load leaves in the bench database, so `--reuse` can regenerate the same data in memory
/// (ids and times derive from the seed and the load's `now`).
pub(crate) fn loaded_at(
    url: &DatabaseUrl,
    seed: u64,
    proposals: usize,
) -> Result<Option<DateTime<Utc>>, String> {
    #[derive(diesel::QueryableByName)]
    struct Meta {
        #[diesel(sql_type = diesel::sql_types::Text)]
        loaded_at: String,
    }
    let query = format!(
        "SELECT loaded_at FROM ocf_bench_load WHERE seed = '{seed}' AND proposals = '{proposals}'"
    );
    let meta: Vec<Meta> = match url {
        DatabaseUrl::Postgres(raw) => diesel::PgConnection::establish(raw)
            .map_err(|e| e.to_string())
            .map(|mut c| diesel::sql_query(query).load(&mut c).unwrap_or_default())?,
        DatabaseUrl::Sqlite(path) if path.exists() => {
            diesel::SqliteConnection::establish(&path.display().to_string())
                .map_err(|e| e.to_string())
                .map(|mut c| diesel::sql_query(query).load(&mut c).unwrap_or_default())?
        }
        DatabaseUrl::Sqlite(_) => Vec::new(),
    };
    Ok(meta
        .first()
        .and_then(|m| DateTime::parse_from_rfc3339(&m.loaded_at).ok())
        .map(|t| t.with_timezone(&Utc)))
}

pub(crate) fn record_load(
    url: &DatabaseUrl,
    seed: u64,
    proposals: usize,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let statements = [
        "CREATE TABLE IF NOT EXISTS ocf_bench_load (seed TEXT NOT NULL, proposals TEXT NOT NULL, loaded_at TEXT NOT NULL)".to_owned(),
        "DELETE FROM ocf_bench_load".to_owned(),
        format!(
            "INSERT INTO ocf_bench_load VALUES ('{seed}', '{proposals}', '{}')",
            now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
        ),
    ];
    let run = |conn: &mut dyn FnMut(&str) -> diesel::QueryResult<usize>| {
        statements
            .iter()
            .try_for_each(|s| conn(s).map(|_| ()))
            .map_err(|e| e.to_string())
    };
    match url {
        DatabaseUrl::Postgres(raw) => {
            let mut c = diesel::PgConnection::establish(raw).map_err(|e| e.to_string())?;
            run(&mut |s| diesel::sql_query(s).execute(&mut c))
        }
        DatabaseUrl::Sqlite(path) => {
            let mut c = diesel::SqliteConnection::establish(&path.display().to_string())
                .map_err(|e| e.to_string())?;
            run(&mut |s| diesel::sql_query(s).execute(&mut c))
        }
    }
}

/// The URL as given (its `Display` hides a PostgreSQL password; the server needs it).
pub(crate) fn raw_url(url: &DatabaseUrl) -> String {
    match url {
        DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
        DatabaseUrl::Postgres(raw) => raw.clone(),
    }
}

/// Starts the release `ocf-api` beside this binary on `url`, port `port`, with `env` on top of the
/// bench's settings; its log goes to a temporary file (returned).
///
/// # Errors
/// When the binary is missing or does not start.
pub(crate) fn spawn_server(
    url: &DatabaseUrl,
    port: u16,
    env: &[(&str, &str)],
) -> Result<(Server, PathBuf), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let server_bin = exe.with_file_name("ocf-api");
    if !server_bin.exists() {
        return Err(format!(
            "{} not found: build it with `cargo build --release -p ocf-api`",
            server_bin.display()
        ));
    }
    let log_path = std::env::temp_dir().join(format!(
        "ocf-bench-server-{}-{port}.log",
        std::process::id()
    ));
    let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
    let mut cmd = std::process::Command::new(&server_bin);
    cmd.env("DATABASE_URL", raw_url(url))
        .env("BIND_ADDRESS", format!("127.0.0.1:{port}"))
        .env("JWT_SECRET", crate::JWT_SECRET)
        .env("DATABASE_POOL_SIZE", "16")
        .env("RUST_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| e.to_string())?;
    Ok((Server(child), log_path))
}

/// Waits up to 30 s for the server at `base` to answer `/readyz`.
///
/// # Errors
/// When it does not.
pub(crate) async fn wait_ready(base: &str, log: &std::path::Path) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| e.to_string())?;
    for _ in 0..300 {
        if client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!(
        "the server did not become ready; see {}",
        log.display()
    ))
}

/// Waits until the server's funnel reader has projected the whole log (a fresh load is all history),
/// prints how long that took, and vacuums the new rows (`Database::vacuum_funnel`).
pub(crate) fn funnel_caught_up(db: &ocf_persistence::Database) -> Result<(), String> {
    use ocf_domain::event::{EventReader, LogReaders};
    let started = std::time::Instant::now();
    let head = db.log_head().map_err(|e| e.to_string())?;
    loop {
        let at = db
            .reader_cursor(ocf_domain::stats::FUNNEL_READER)
            .map_err(|e| e.to_string())?;
        if at.is_some_and(|c| c >= head) {
            break;
        }
        if started.elapsed() > Duration::from_secs(3_600) {
            return Err("the funnel reader did not catch up in an hour".into());
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let caught_up = started.elapsed();
    db.vacuum_funnel().map_err(|e| e.to_string())?;
    println!(
        "\nfunnel projection built by the server's reader (whole log) in {:.1} s; VACUUM ANALYZE after it {:.1} s",
        caught_up.as_secs_f64(),
        (started.elapsed() - caught_up).as_secs_f64()
    );
    Ok(())
}
