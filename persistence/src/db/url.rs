//! Where the data lives: the backend chosen by the scheme of `DATABASE_URL`, printed without its password.

use std::fmt;
use std::path::PathBuf;

use super::DbError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the data lives, parsed from `DATABASE_URL`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://ocf.db`, `sqlite:///var/lib/ocf/ocf.db` or `sqlite:ocf.db`.
    Sqlite(PathBuf),
    /// `postgres://user:password@host:port/db` (or `postgresql://`), passed to libpq as is.
    Postgres(String),
}

impl DatabaseUrl {
    /// # Errors
    /// [`DbError::Url`] when the scheme is neither `sqlite:` nor `postgres://`/`postgresql://`.
    pub fn parse(raw: &str) -> Result<Self, DbError> {
        let raw = raw.trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_owned()));
        }
        let path = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
            .ok_or_else(|| {
                DbError::Url(
                    "must start with sqlite: or postgres:// (e.g. sqlite://ocf.db)".to_owned(),
                )
            })?;
        if path.is_empty() || path.contains('?') || path == ":memory:" {
            return Err(DbError::Url(
                "a SQLite URL needs a file path (e.g. sqlite://ocf.db); in-memory databases are not shared between pooled connections"
                    .to_owned(),
            ));
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }
}

/// Never prints a PostgreSQL password.
impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            Self::Postgres(url) => {
                let redacted = match (url.find("://"), url.rfind('@')) {
                    (Some(scheme_end), Some(at)) if at > scheme_end => {
                        let userinfo = &url[scheme_end + 3..at];
                        let user = userinfo.split(':').next().unwrap_or_default();
                        format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..])
                    }
                    _ => url.clone(),
                };
                f.write_str(&redacted)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend_by_scheme() -> Result<(), DbError> {
        assert_eq!(
            DatabaseUrl::parse("sqlite://ocf.db")?,
            DatabaseUrl::Sqlite("ocf.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/ocf.db")?,
            DatabaseUrl::Sqlite("/var/ocf.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:data/ocf.db")?,
            DatabaseUrl::Sqlite("data/ocf.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u:p@h/db")?.backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://h/db")?.backend(),
            Backend::Postgres
        );
        assert!(DatabaseUrl::parse("mysql://h/db").is_err());
        assert!(DatabaseUrl::parse("sqlite::memory:").is_err());
        Ok(())
    }

    #[test]
    fn postgres_passwords_are_not_printed() -> Result<(), DbError> {
        let url = DatabaseUrl::parse("postgres://ocf:s3cret@db.internal:5432/ocf")?;
        assert_eq!(url.to_string(), "postgres://ocf:***@db.internal:5432/ocf");
        assert!(!format!("{url:?}").contains("s3cret"));
        Ok(())
    }
}
