//! `Application::build` opens the database, migrates it, binds the listener (port 0 works) and returns the
//! running server, so tests start exactly what production starts.

use std::net::TcpListener;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{Compress, Condition, Logger, from_fn};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use ocf_persistence::{Database, DbError};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::auth::{Passwords, TokenService};
use crate::cache::PublicCache;
use crate::error::ApiError;
use crate::extract::{BodyLimit, path_config, query_config};
use crate::jobs;
use crate::openapi::MethodTable;
use crate::settings::Settings;
use crate::state::{AppState, PolicyAreaCache, TermCountCache};
use crate::{openapi, request_id, routes};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start: {0}")]
    Other(String),
}

/// Opens the pool and applies pending migrations.
///
/// # Errors
/// [`DbError`] when the database is unreachable or a migration fails.
pub fn open_database(settings: &Settings) -> Result<Database, DbError> {
    let db = Database::connect(&settings.database_url, settings.database_pool_size)?
        .with_funnel_far_behind(settings.funnel_far_behind);
    let applied = db.migrate()?;
    if !applied.is_empty() {
        log::info!(
            "applied {} migration(s): {}",
            applied.len(),
            applied.join(", ")
        );
    }
    Ok(db)
}

pub struct Application {
    port: u16,
    server: Server,
    jobs: jobs::Supervisor,
    live: std::sync::Arc<crate::live::LiveHub>,
    passwords: Passwords,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

async fn fallback(
    req: HttpRequest,
    methods: web::Data<MethodTable>,
) -> Result<HttpResponse, ApiError> {
    Err(match methods.allowed(req.path()) {
        Some(allow) if !allow.is_empty() => ApiError::MethodNotAllowed {
            allow: allow.to_vec(),
        },
        _ => ApiError::RouteNotFound,
    })
}

fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("idempotency-key"),
            request_id::HEADER,
        ])
        .expose_headers([
            request_id::HEADER,
            header::RETRY_AFTER,
            header::WWW_AUTHENTICATE,
            header::LOCATION,
        ])
        .max_age(3600);
    if origins.iter().any(|o| o == "*") {
        cors = cors.allow_any_origin();
    } else {
        for origin in origins {
            cors = cors.allowed_origin(origin);
        }
        // Swagger UI served by this server sends its own origin; let it through too.
        cors = cors.allowed_origin_fn(|origin, req| {
            let host = req.headers.get(header::HOST).and_then(|h| h.to_str().ok());
            let origin = origin.to_str().unwrap_or_default();
            host.is_some_and(|h| {
                origin == format!("http://{h}") || origin == format!("https://{h}")
            })
        });
    }
    cors
}

/// Every few minutes, lets supports older than 7 days fall out of the trending scores. Idempotent, so
/// several instances doing it at once is harmless.
impl Application {
    /// # Errors
    /// [`StartError`] when the database cannot be opened or migrated, or the address cannot be bound.
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        Self::build_with_clock(settings, Arc::new(std::time::Instant::now)).await
    }

    /// As [`Application::build`], with the public cache reading the time from `clock` (tests move it).
    ///
    /// # Errors
    /// As [`Application::build`].
    pub async fn build_with_clock(
        settings: Settings,
        clock: crate::cache::Clock,
    ) -> Result<Self, StartError> {
        let db = open_database(&settings)?;
        let listener =
            TcpListener::bind(settings.bind_address).map_err(|source| StartError::Bind {
                address: settings.bind_address.to_string(),
                source,
            })?;
        let port = listener
            .local_addr()
            .map_err(|e| StartError::Other(e.to_string()))?
            .port();
        let passwords = Passwords::new(settings.password_hashing)
            .map_err(|e| StartError::Other(e.to_string()))?;
        let state = web::Data::new(AppState {
            policy_areas: PolicyAreaCache::default(),
            term_counts: TermCountCache::default(),
            public_cache: PublicCache::with_clock(
                settings.public_cache_ttl,
                PublicCache::DEFAULT_BUDGET_BYTES,
                clock,
            ),
            db: Arc::new(db),
            tokens: TokenService::new(&settings.jwt_secret),
            passwords,
            throttle: settings.throttle,
            trust_forwarded_for: settings.trust_forwarded_for,
            live: crate::live::LiveHub::new(settings.streams),
            standings: crate::auth::StandingCache::default(),
            partner_quota_per_minute: settings.partner_quota_per_minute,
            webhooks: crate::webhook::Sender::new(settings.webhooks).map_err(StartError::Other)?,
        });
        if state.db.backend() == ocf_persistence::Backend::Sqlite {
            // One process writes SQLite: its commits wake its own streams (PostgreSQL uses NOTIFY).
            let hub = state.live.clone();
            state.db.on_stream_commit(move || hub.wake());
        }
        let live = state.live.clone();
        let jobs = jobs::Supervisor::start(jobs::server_jobs(&state));
        let passwords = state.passwords.clone();
        let document = openapi::document();
        let methods = web::Data::new(MethodTable::from_document(&document));
        let origins = settings.cors_allowed_origins.clone();
        let mut server = HttpServer::new(move || {
            App::new()
                .into_utoipa_app()
                .app_data(state.clone())
                .app_data(methods.clone())
                .app_data(BodyLimit::default())
                .app_data(query_config())
                .app_data(path_config())
                .configure(routes::configure)
                .into_app()
                .service(
                    SwaggerUi::new("/docs/{_:.*}")
                        .url("/api-docs/openapi.json", document.clone())
                        // A token entered under "Authorize" survives a reload of the page.
                        .config(Config::default().persist_authorization(true)),
                )
                .route(
                    "/docs",
                    web::get().to(|| async {
                        HttpResponse::PermanentRedirect()
                            .insert_header((header::LOCATION, "/docs/"))
                            .finish()
                    }),
                )
                .default_service(web::to(fallback))
                .wrap(Condition::new(!origins.is_empty(), cors(&origins)))
                .wrap(from_fn(crate::auth::rate_limit_headers))
                .wrap(from_fn(request_id::middleware))
                .wrap(Logger::new(r#"%{x-request-id}o %a "%r" %s %b %Dms"#))
                .wrap(Compress::default())
        })
        .listen(listener)
        .map_err(|source| StartError::Bind {
            address: settings.bind_address.to_string(),
            source,
        })?
        .shutdown_timeout(15);
        if let Some(workers) = settings.workers {
            server = server.workers(workers);
        }
        // Blocking work (queries, password hashes) waits for one of the pool's connections or hashing
        // slots anyway: more threads than that only cost memory (actix's default is 512 per worker,
        // which a crowd of stream openings fills: each thread keeps its stack and allocator arena).
        let blocking_threads =
            settings.database_pool_size as usize + settings.password_hashing.concurrency + 8;
        server = server
            .worker_max_blocking_threads(blocking_threads)
            // A streaming response (a live stream) stops being read from once this much waits for a slow
            // client, instead of buffering up to actix's 32 KiB per connection; whole responses (JSON)
            // are written as one piece either way.
            .h1_write_buffer_size(8 * 1024);
        Ok(Self {
            port,
            server: server.run(),
            jobs,
            passwords,
            live,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// This instance's live streams (tests read its instance id and listener).
    pub fn live(&self) -> std::sync::Arc<crate::live::LiveHub> {
        self.live.clone()
    }

    /// The server's password hasher, to observe its bound (tests, benchmarks).
    pub fn passwords(&self) -> &Passwords {
        &self.passwords
    }

    /// Serves until SIGTERM or SIGINT, then finishes the requests in flight (up to 15 s), stops the
    /// background jobs (a run in progress finishes first), and returns; the database pool closes after.
    ///
    /// # Errors
    /// An IO error from the server.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // Open streams never finish on their own: end them when the server is told to stop, so the
        // graceful shutdown does not wait its whole timeout for them.
        let live = self.live.clone();
        let closer = tokio::spawn(async move {
            stop_signal().await;
            live.close();
        });
        let served = self.server.await;
        closer.abort();
        self.live.close();
        self.jobs.stop().await;
        served
    }
}

/// SIGTERM or SIGINT (Ctrl-C), as actix-web stops on.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
