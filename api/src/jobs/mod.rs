//! Background jobs under one supervisor.
//!
//! Each job has a name and a period. The supervisor runs it on its own task, once per period: a run that
//! fails (an error, or a panic in its blocking work) is logged at ERROR with the job's name and the job is
//! run again after the next period, so one bad run never ends the job. [`Supervisor::stop`] tells every job
//! to stop, waits for a run in progress to finish, and returns; the server calls it after HTTP has
//! stopped and before the database pool is dropped. Jobs that follow the event log (outbox delivery, live
//! fan-out, deadline scans) join here.

pub mod funnel;
pub mod intake_similar;
pub mod notify;
pub mod routing;
mod trending;
pub mod webhooks;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::state::AppState;

/// What one run of a job reports: a line for the log, if there is anything worth saying.
pub type RunOutcome = Result<Option<String>, String>;

type Run = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = RunOutcome> + Send>> + Send + Sync>;

/// A named, periodic job.
pub struct Job {
    pub name: &'static str,
    pub period: Duration,
    run: Run,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("name", &self.name)
            .field("period", &self.period)
            .finish_non_exhaustive()
    }
}

impl Job {
    pub fn new<F, Fut>(name: &'static str, period: Duration, run: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = RunOutcome> + Send + 'static,
    {
        Self {
            name,
            period,
            run: Arc::new(move || Box::pin(run())),
        }
    }

    /// A job whose work is blocking (diesel): each run goes to the blocking pool, and a panic there is
    /// caught and reported as a failed run.
    pub fn blocking<F>(name: &'static str, period: Duration, work: F) -> Self
    where
        F: Fn() -> RunOutcome + Send + Sync + 'static,
    {
        let work = Arc::new(work);
        Self::new(name, period, move || {
            let work = work.clone();
            async move {
                tokio::task::spawn_blocking(move || work())
                    .await
                    .unwrap_or_else(|e| Err(format!("the run panicked: {e}")))
            }
        })
    }
}

/// The jobs of one server instance.
pub fn server_jobs(state: &web::Data<AppState>) -> Vec<Job> {
    let mut jobs = vec![
        trending::job(state.clone()),
        notify::job(state.clone()),
        routing::job(state.clone()),
        intake_similar::job(state.clone()),
        funnel::job(state.clone()),
    ];
    jobs.extend(crate::live::dispatch::jobs(state));
    jobs.extend(webhooks::jobs(state));
    jobs
}

/// Runs jobs until stopped.
#[derive(Debug)]
pub struct Supervisor {
    stop: watch::Sender<bool>,
    tasks: Vec<(&'static str, JoinHandle<()>)>,
}

impl Supervisor {
    /// Starts every job on a task of its own (on the current Tokio runtime). The first run of each comes
    /// one period after the start.
    pub fn start(jobs: Vec<Job>) -> Self {
        let (stop, stopped) = watch::channel(false);
        let tasks = jobs
            .into_iter()
            .map(|job| {
                let name = job.name;
                (name, tokio::spawn(supervise(job, stopped.clone())))
            })
            .collect();
        Self { stop, tasks }
    }

    /// Stops every job, letting a run in progress finish, and waits for them all.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for (name, task) in self.tasks {
            if let Err(e) = task.await {
                log::error!("job {name}: its supervisor task failed: {e}");
            }
        }
    }
}

async fn supervise(job: Job, mut stopped: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(job.period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticks.tick().await; // the first tick is immediate
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            _ = ticks.tick() => {}
        }
        // A run that panics on the async side is contained too: it runs on a task of its own.
        let outcome = tokio::spawn((job.run)())
            .await
            .unwrap_or_else(|e| Err(format!("the run panicked: {e}")));
        match outcome {
            Ok(Some(line)) => log::info!("job {}: {line}", job.name),
            Ok(None) => {}
            Err(e) => log::error!(
                "job {}: run failed ({e}); it runs again in {:?}",
                job.name,
                job.period
            ),
        }
        if *stopped.borrow() {
            break;
        }
    }
    log::debug!("job {}: stopped", job.name);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_failing_or_panicking_run_does_not_end_the_job_and_stop_waits_for_all() {
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        let flaky = Job::blocking("flaky", Duration::from_millis(5), move || {
            match counted.fetch_add(1, Ordering::SeqCst) {
                0 => Err("the database is away".to_owned()),
                1 => panic!("a bug in one run"),
                _ => Ok(None),
            }
        });
        let supervisor = Supervisor::start(vec![flaky]);
        while runs.load(Ordering::SeqCst) < 5 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        supervisor.stop().await;
        let after_stop = runs.load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert_eq!(runs.load(Ordering::SeqCst), after_stop, "no run after stop");
    }
}
