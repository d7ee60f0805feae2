//! The command line of `ocf-bench`.

use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    name = "ocf-bench",
    about = "Load OCF with national-scale data and measure it."
)]
pub(crate) struct Args {
    /// Small data and short runs (seconds): a smoke test for CI; the figures mean little.
    #[arg(long)]
    pub(crate) quick: bool,
    /// `postgres://...` to run on PostgreSQL (a schema `ocf_bench` is recreated there), or
    /// `sqlite://PATH` for a SQLite file that is kept; default: a fresh SQLite file in a temporary folder,
    /// removed after the run.
    #[arg(long, env = "BENCH_DATABASE_URL")]
    pub(crate) database_url: Option<String>,
    /// Keep the data of an earlier run on the same `--database-url` with the same seed and size, and only
    /// run the workloads (a 1M load takes minutes). Loads afresh when there is no such data.
    #[arg(long)]
    pub(crate) reuse: bool,
    /// How many proposals to generate (default 180,705; 2,000 with --quick).
    #[arg(long)]
    pub(crate) proposals: Option<usize>,
    /// Seed of the generator: the same seed gives the same data.
    #[arg(long, default_value_t = 2017)]
    pub(crate) seed: u64,
    /// Concurrent connections of the load generator.
    #[arg(long)]
    pub(crate) connections: Option<usize>,
    /// Measured seconds per workload (default 10; 2 with --quick).
    #[arg(long)]
    pub(crate) duration: Option<u64>,
    /// Warm-up seconds per workload, not measured (default 3; 1 with --quick).
    #[arg(long)]
    pub(crate) warmup: Option<u64>,
    /// Only load the data and report how long it took.
    #[arg(long)]
    pub(crate) load_only: bool,
    /// How many forums to generate, each with 50-150 registrations for 100 seats (default 2,000; 20 with
    /// --quick).
    #[arg(long)]
    pub(crate) forums: Option<usize>,
    /// How many comments to generate (default 2,000,000; 10,000 with --quick).
    #[arg(long)]
    pub(crate) comments: Option<usize>,
    /// Top-level comments on one proposal, the long thread (default 50,000; 2,500 with --quick).
    #[arg(long)]
    pub(crate) thread: Option<usize>,
    /// Only these workloads (by number, 1-14, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub(crate) only: Vec<usize>,
    /// Instead of the workloads: SSE viewers of one live forum while comments are posted (`live.rs`).
    #[arg(long)]
    pub(crate) live: bool,
    /// With --live: concurrent viewers (default 10,000; 200 with --quick).
    #[arg(long)]
    pub(crate) viewers: Option<usize>,
    /// With --live: comments posted per second (default 50; 20 with --quick).
    #[arg(long)]
    pub(crate) rate: Option<u32>,
    /// With --live: server instances on the one database, viewers spread across them (PostgreSQL).
    #[arg(long, default_value_t = 1)]
    pub(crate) instances: usize,
    /// With --live: then raise the viewers of one instance until p99 passes 1 s.
    #[arg(long)]
    pub(crate) ceiling: bool,
    /// Instead of the workloads: the suggested-organization model on synthetic referrals, learned from
    /// 80 % and measured on 20 % of --proposals (default 20,000; 2,000 with --quick). No database.
    #[arg(long)]
    pub(crate) routing: bool,
    /// Instead of the workloads: a referral answered on proposals with this many followers each; the
    /// answer's latency and the time until every follower has the notification (`followers.rs`).
    #[arg(long)]
    pub(crate) followers: Option<usize>,
    /// Instead of the workloads: partner intake, --proposals records (default 180,705) through the bulk
    /// NDJSON import in 100,000-line requests, then single PUT upserts at --connections (`intake.rs`).
    #[arg(long)]
    pub(crate) intake: bool,
    /// Instead of the workloads: webhook delivery to a loopback receiver of --proposals records imported
    /// in bulk (default 20,000; 500 with --quick): throughput and event-to-arrival latency (`webhooks.rs`).
    #[arg(long)]
    pub(crate) webhooks: bool,
    /// With --followers: wait 5 s after the earlier steps' fan-out before answering.
    #[arg(long)]
    pub(crate) settle: bool,
}
