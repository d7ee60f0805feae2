//! `ocf-bench`: fills a fresh database with deterministic national-scale data, starts the real `ocf-api`
//! server on it, drives every workload over loopback and prints the figures (Markdown) for BENCHMARKS.md.
//!
//! `bench/run` builds in release mode and runs it on SQLite and on a throwaway PostgreSQL.

mod args;
mod burst;
mod data;
mod export;
mod followers;
mod history;
mod intake;
mod live;
mod live_run;
mod live_viewer;
mod load;
mod routing;
mod setup;
mod threads;
mod webhooks;

use setup::*;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use args::Args;
use clap::Parser;
use ocf_api::auth::{HashingSettings, Passwords, TokenService};
use ocf_api::settings::JwtSecret;
use ocf_domain::account::User;
use ocf_domain::clock;
use ocf_domain::ports::PolicyAreaRepository;
use ocf_persistence::{Database, DatabaseUrl};

pub(crate) const JWT_SECRET: &str = "ocf-bench-secret-that-is-long-enough-0123456789";

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let args = Args::parse();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("ocf-bench: some requests failed (see above)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("ocf-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<bool, String> {
    if args.routing {
        let n = args
            .proposals
            .unwrap_or(if args.quick { 2_000 } else { 20_000 });
        println!("{}", routing::evaluate(args.seed, n));
        return Ok(true);
    }
    let proposals_n = args
        .proposals
        .unwrap_or(if args.quick { 2_000 } else { 180_705 });
    let connections = args.connections.unwrap_or(if args.quick { 8 } else { 64 });
    let duration = Duration::from_secs(args.duration.unwrap_or(if args.quick { 2 } else { 10 }));
    let warmup = Duration::from_secs(args.warmup.unwrap_or(if args.quick { 1 } else { 3 }));
    let (url, dir) = bench_database(args.database_url.as_deref(), args.reuse)?;
    let reused = if args.reuse {
        loaded_at(&url, args.seed, proposals_n)?
    } else {
        None
    };
    if args.reuse && reused.is_none() {
        // Nothing to reuse: start from an empty database.
        bench_database(args.database_url.as_deref(), false)?;
    }
    let backend = match url {
        DatabaseUrl::Sqlite(_) => "SQLite",
        DatabaseUrl::Postgres(_) => "PostgreSQL",
    };
    if args.webhooks {
        println!(
            "## {backend}: webhook deliveries (--webhooks), seed {}",
            args.seed
        );
    } else if args.intake {
        println!(
            "## {backend}: partner intake of {proposals_n} records (--intake), seed {}",
            args.seed
        );
    } else if let Some(n) = args.followers {
        println!(
            "## {backend}: {n} followers (--followers), seed {}",
            args.seed
        );
    } else if args.live {
        println!("## {backend}: one live forum (--live), seed {}", args.seed);
    } else {
        println!("## {backend}: {proposals_n} proposals, seed {}", args.seed);
    }

    // ---- load ----
    let db = Database::connect(&url, 4).map_err(|e| e.to_string())?;
    db.migrate().map_err(|e| e.to_string())?;
    ocf_api::seed::seed(&db).map_err(|e| e.to_string())?;
    if args.webhooks {
        let count = args
            .proposals
            .unwrap_or(if args.quick { 500 } else { 20_000 });
        let clean = webhooks::run(count, args.seed, &url, &db)?;
        if let Some(dir) = dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        return Ok(clean);
    }
    if args.intake {
        let intake = intake::IntakeArgs {
            proposals: proposals_n,
            connections,
            duration,
            seed: args.seed,
        };
        let clean = intake::run(&intake, &url, &db)?;
        if let Some(dir) = dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        return Ok(clean);
    }
    if let Some(n) = args.followers {
        let clean = followers::run(n, args.settle, &url, &db, args.seed)?;
        if let Some(dir) = dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        return Ok(clean);
    }
    if args.live {
        let live = live_run::LiveArgs {
            viewers: args
                .viewers
                .unwrap_or(if args.quick { 200 } else { 10_000 }),
            rate: args.rate.unwrap_or(if args.quick { 20 } else { 50 }),
            instances: args.instances.max(1),
            duration: Duration::from_secs(args.duration.unwrap_or(if args.quick { 3 } else { 30 })),
            ceiling: args.ceiling,
            seed: args.seed,
        };
        let clean = live_run::run(live, &url, &db)?;
        if let Some(dir) = dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        return Ok(clean);
    }
    let areas = db.all_policy_areas().map_err(|e| e.to_string())?;
    let now = reused.unwrap_or_else(clock::now);
    let mut rng = data::rng(args.seed);
    let password_hash = Passwords::new(HashingSettings::default())
        .and_then(|p| p.slot_blocking()?.hash(data::PASSWORD))
        .map_err(|e| e.to_string())?;
    let users_n = (proposals_n / 2).max(2_000);
    let top = (users_n * 3 / 5).min(50_000);

    let t = Instant::now();
    let users = data::users(users_n, &password_hash, now, &mut rng)?;
    let user_ids: Vec<_> = users.iter().map(|u| u.id).collect();
    let area_ids: Vec<_> = areas.iter().map(|a| a.id).collect();
    let proposals = data::proposals(proposals_n, &user_ids, &area_ids, now, &mut rng)?;
    let supports = data::supports(&proposals, &user_ids, top, now, &mut rng);
    let generated = t.elapsed();

    if reused.is_some() {
        println!("\nreusing the data loaded at {now} (--reuse)");
    } else {
        let t = Instant::now();
        db.bulk_insert_users(&users).map_err(|e| e.to_string())?;
        let users_secs = t.elapsed();
        let t = Instant::now();
        for chunk in proposals.chunks(20_000) {
            db.bulk_insert_proposals(chunk).map_err(|e| e.to_string())?;
        }
        let proposals_secs = t.elapsed();
        let t = Instant::now();
        db.bulk_insert_supports(&supports, now)
            .map_err(|e| e.to_string())?;
        let supports_secs = t.elapsed();
        let max_supports = {
            let mut counts = std::collections::HashMap::new();
            for (p, _, _) in &supports {
                *counts.entry(*p).or_insert(0usize) += 1;
            }
            counts.values().max().copied().unwrap_or(0)
        };
        println!();
        println!("| load step | rows | seconds |");
        println!("|---|---:|---:|");
        println!(
            "| generate in memory | {} | {:.1} |",
            proposals_n + users_n + supports.len(),
            generated.as_secs_f64()
        );
        println!("| users | {users_n} | {:.1} |", users_secs.as_secs_f64());
        println!(
            "| **proposals** (with tags, events, search index) | {proposals_n} | **{:.1}** |",
            proposals_secs.as_secs_f64()
        );
        println!(
            "| supports (+ recount) | {} (max {max_supports} on one proposal) | {:.1} |",
            supports.len(),
            supports_secs.as_secs_f64()
        );
        // Its own random stream, so the data after it is the same as without it.
        let past = history::load(
            &db,
            &proposals,
            users[0].id,
            now,
            &mut data::rng(args.seed ^ 0x4849),
        )?;
        println!(
            "| review history: status changes, referrals ({} answered, {} implemented) | {} + {} | {:.1} |",
            past.answered,
            past.implemented,
            past.changes,
            past.referrals,
            past.secs.as_secs_f64()
        );
        let sizes = threads::Sizes {
            forums: args.forums.unwrap_or(if args.quick { 20 } else { 2_000 }),
            comments: args
                .comments
                .unwrap_or(if args.quick { 10_000 } else { 2_000_000 }),
            thread: args
                .thread
                .unwrap_or(if args.quick { 2_500 } else { 50_000 }),
        };
        let org = {
            use ocf_domain::ports::OrganizationRepository;
            let page = ocf_domain::PageRequest::new(Some(1), None).map_err(|e| e.to_string())?;
            db.list_organizations(&page)
                .map_err(|e| e.to_string())?
                .items
                .first()
                .map(|o| o.id)
                .ok_or("the seed has no organizations")?
        };
        let proposal_ids: Vec<_> = proposals.iter().map(|p| p.id()).collect();
        let loaded = threads::load(
            &db,
            sizes,
            &users,
            &proposal_ids,
            &area_ids,
            org,
            now,
            &mut rng,
        )?;
        println!(
            "| forums (with {} registrations) | {} | {:.1} |",
            loaded.registrations,
            sizes.forums,
            loaded.forums_secs.as_secs_f64()
        );
        println!(
            "| comments ({} on one proposal) | {} | {:.1} |",
            sizes.thread,
            sizes.comments,
            loaded.comments_secs.as_secs_f64()
        );
        let t = Instant::now();
        db.analyze().map_err(|e| e.to_string())?;
        let analyze_secs = t.elapsed();
        println!("| ANALYZE | | {:.1} |", analyze_secs.as_secs_f64());
        let size_mib = db.storage_bytes().map_err(|e| e.to_string())? as f64 / 1_048_576.0;
        println!("\ndatabase size after load: {size_mib:.0} MiB");
        record_load(&url, args.seed, proposals_n, now)?;
    }
    if args.load_only {
        return Ok(true);
    }

    // ---- server ----
    let port = free_port()?;
    let (server, log_path) = spawn_server(
        &url,
        port,
        // The login burst below measures hashing, not throttling.
        &[("LOGIN_MAX_FAILURES_PER_IP", "100000")],
    )?;
    let pid = server.0.id();
    let (peak_private, stop_sampling) = sample_private_memory(pid);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let base = format!("http://127.0.0.1:{port}");
    runtime.block_on(wait_ready(&base, &log_path))?;
    funnel_caught_up(&db)?;

    // ---- tokens and targets ----
    let secret = JwtSecret::new(JWT_SECRET.as_bytes().to_vec())?;
    let tokens_service = TokenService::new(&secret);
    let token_users = &users[..users.len().min(5_000)];
    let tokens = token_users
        .iter()
        .map(|u| {
            let user = User {
                id: u.id,
                email: u.email.clone(),
                display_name: u.display_name.clone(),
                roles: u.roles.clone(),
                organization_id: None,
                created_at: u.created_at,
                updated_at: u.created_at,
            };
            tokens_service
                .issue_access(&user, clock::now())
                .map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    let index_of: std::collections::HashMap<_, _> = token_users
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id, i))
        .collect();
    let thread = proposals
        .first()
        .map(|p| p.id().to_string())
        .unwrap_or_default();
    // Only workload 12 reads the long thread's 100th page (and a run without the thread has none).
    let thread_page_100 = if args.only.is_empty() || args.only.contains(&12) {
        runtime.block_on(load::page_cursor(
            &base,
            &format!("/api/v1/proposals/{thread}/comments?limit=20"),
            100,
        ))?
    } else {
        String::new()
    };
    let target = Arc::new(load::Target {
        base,
        seed: args.seed,
        proposals: proposals
            .iter()
            .map(|p| {
                (
                    p.id().to_string(),
                    index_of.get(&p.author_id()).copied().unwrap_or(usize::MAX),
                    p.status().is_open(),
                )
            })
            .collect(),
        tokens,
        policy_areas: areas.iter().map(|a| a.code.as_str().to_owned()).collect(),
        korean_queries: data::korean_queries(),
        english_queries: data::english_queries(),
        drafts: data::drafts(500, args.seed),
        thread,
        thread_page_100,
    });
    drop(proposals);
    drop(supports);

    // ---- workloads ----
    println!(
        "\n{connections} connections, {}s warm-up, {}s measured per workload; server and load generator share the machine.\n",
        warmup.as_secs(),
        duration.as_secs()
    );
    println!("| # | workload | req/s | p50 ms | p95 ms | p99 ms | errors | vs /healthz |");
    println!("|---:|---|---:|---:|---:|---:|---:|---:|");
    let mut healthz_rps = None;
    let mut clean = true;
    for (n, workload) in load::Workload::ALL.into_iter().enumerate() {
        if !args.only.is_empty()
            && !args.only.contains(&(n + 1))
            && workload != load::Workload::Healthz
        {
            continue;
        }
        let outcome = runtime.block_on(load::run(
            target.clone(),
            workload,
            connections,
            warmup,
            duration,
        ))?;
        let rps = outcome.rps();
        if workload == load::Workload::Healthz {
            healthz_rps = Some(rps);
        }
        let ratio = healthz_rps.map_or("".to_owned(), |h| format!("{:.0} %", 100.0 * rps / h));
        println!(
            "| {} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {} | {} |",
            n + 1,
            workload.name(),
            rps,
            outcome.ms(0.50),
            outcome.ms(0.95),
            outcome.ms(0.99),
            outcome.errors,
            ratio
        );
        if outcome.errors > 0 || outcome.requests == 0 {
            clean = false;
            eprintln!(
                "  {}: {} errors of {}; first: {}",
                workload.name(),
                outcome.errors,
                outcome.requests,
                outcome.first_error.unwrap_or_default()
            );
        }
    }
    let export = runtime.block_on(export::proposals_csv(&target.base, pid))?;
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!(
        "\nopen data: GET /exports/proposals as CSV, {:.1} MB ({} lines) in {:.2} s: {:.1} MB/s; server private memory {:.0} MiB before, {:.0} MiB peak, {:.0} MiB after",
        export.bytes as f64 / 1e6,
        export.rows,
        export.seconds,
        export.mb_per_s(),
        mib(export.before_kib),
        mib(export.peak_kib),
        mib(export.after_kib),
    );
    for format in ["json", "html"] {
        let (bytes, seconds) = runtime.block_on(export::annual_report(&target.base, format))?;
        println!(
            "annual report: GET /reports/annual/(this year)?format={format}, {:.1} kB in {:.2} s (uncached, once)",
            bytes as f64 / 1e3,
            seconds
        );
    }
    stop_sampling.store(true, std::sync::atomic::Ordering::Relaxed);
    let private = peak_private.load(std::sync::atomic::Ordering::Relaxed);
    let burst = runtime.block_on(burst::logins(&target.base, 200, move || {
        status_kib(pid, "RssAnon:")
    }))?;
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!(
        "
login burst: 200 concurrent wrong-password sign-ins in {:.1} s: {} refused (401), {} told to retry (503), {} other; server private memory {:.0} MiB before, {:.0} MiB peak, {:.0} MiB after",
        burst.elapsed.as_secs_f64(),
        burst.refused,
        burst.busy,
        burst.other,
        mib(burst.before_kib),
        mib(burst.peak_kib),
        mib(burst.after_kib),
    );
    if burst.other > 0 {
        clean = false;
        eprintln!(
            "  login burst: {} answers were neither 401 nor 503",
            burst.other
        );
    }
    let rss = if private == 0 {
        "unknown".to_owned()
    } else {
        format!("{:.0} MiB", private as f64 / 1024.0)
    };
    let size_mib = db.storage_bytes().map_err(|e| e.to_string())? as f64 / 1_048_576.0;
    println!(
        "\nserver peak private memory (RssAnon): {rss}; database size after the runs: {size_mib:.0} MiB"
    );
    drop(server);
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    Ok(clean)
}
