//! The process logger: env_logger (filtered by `RUST_LOG`, `info` by default), with one adjustment.
//!
//! actix-http logs every request it cannot parse at ERROR (`stream error: request parse error: ...`)
//! before the application sees it: a raw 0xFF byte in the path, a 64 KB URL, a 2 MB header. Any client can
//! write those lines, so at ERROR they would drown real failures and could fill a disk; they are the
//! client's mistake, not the server's. They are logged at DEBUG instead.

use log::{Level, Log, Metadata, Record};

/// Where actix-http reports requests it could not parse.
const DISPATCHER: &str = "actix_http::h1::dispatcher";

#[derive(Debug)]
struct Logger {
    inner: env_logger::Logger,
}

/// Installs the logger for the whole process.
///
/// # Errors
/// When a logger was installed already.
pub fn init() -> Result<(), log::SetLoggerError> {
    let inner =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).build();
    log::set_max_level(inner.filter());
    log::set_boxed_logger(Box::new(Logger { inner }))
}

/// Whether `record` is actix-http refusing a request that a client malformed.
fn is_client_parse_error(record: &Record<'_>) -> bool {
    record.target() == DISPATCHER
        && record.level() == Level::Error
        && record
            .args()
            .to_string()
            .starts_with("stream error: request parse error")
}

impl Log for Logger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        self.inner.enabled(metadata)
    }

    fn log(&self, record: &Record<'_>) {
        if is_client_parse_error(record) {
            let demoted = Record::builder()
                .args(*record.args())
                .level(Level::Debug)
                .target(record.target())
                .module_path(record.module_path())
                .file(record.file())
                .line(record.line())
                .build();
            self.inner.log(&demoted);
        } else {
            self.inner.log(record);
        }
    }

    fn flush(&self) {
        self.inner.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record<'a>(target: &'a str, level: Level, args: std::fmt::Arguments<'a>) -> Record<'a> {
        Record::builder()
            .target(target)
            .level(level)
            .args(args)
            .build()
    }

    #[test]
    fn only_actix_parse_errors_are_demoted() {
        assert!(is_client_parse_error(&record(
            DISPATCHER,
            Level::Error,
            format_args!("stream error: request parse error: URI error: uri too long")
        )));
        assert!(!is_client_parse_error(&record(
            DISPATCHER,
            Level::Error,
            format_args!("something else")
        )));
        assert!(!is_client_parse_error(&record(
            "ocf_api::error",
            Level::Error,
            format_args!("stream error: request parse error")
        )));
    }
}
