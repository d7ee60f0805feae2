//! Readers of the whole log: each keeps its cursor in `log_readers`, and moves it in the transaction
//! that records its work, so a batch is done exactly once across restarts and instances.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};
use ocf_domain::RepoError;
use ocf_domain::event::{LogCursor, LogReaders};

use crate::db::{Database, DbConnection};
use crate::error::TxError;
use crate::schema::log_readers;
use crate::time::to_db;

/// Moves reader `name` from `from` to `to`; `false` when it is no longer at `from` (another instance
/// did the batch). Call first in the transaction: the row stays locked until it ends, so a second
/// instance doing the same batch waits, then finds the cursor moved.
pub(crate) fn advance(
    conn: &mut DbConnection,
    name: &str,
    from: LogCursor,
    to: LogCursor,
    now: DateTime<Utc>,
) -> Result<bool, TxError> {
    let moved = diesel::update(
        log_readers::table
            .filter(log_readers::name.eq(name))
            .filter(log_readers::tx.eq(from.tx))
            .filter(log_readers::seq.eq(from.seq)),
    )
    .set((
        log_readers::tx.eq(to.tx),
        log_readers::seq.eq(to.seq),
        log_readers::updated_at.eq(to_db(now)),
    ))
    .execute(conn)?;
    Ok(moved == 1)
}

impl LogReaders for Database {
    fn reader_cursor(&self, name: &str) -> Result<Option<LogCursor>, RepoError> {
        self.read(|conn| {
            let row: Option<(i64, i64)> = log_readers::table
                .filter(log_readers::name.eq(name))
                .select((log_readers::tx, log_readers::seq))
                .first(conn)
                .optional()?;
            Ok(row.map(|(tx, seq)| LogCursor { tx, seq }))
        })
    }

    fn start_reader(&self, name: &str, at: LogCursor, now: DateTime<Utc>) -> Result<(), RepoError> {
        self.write_statement(|conn| {
            diesel::sql_query(
                "INSERT INTO log_readers (name, tx, seq, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT DO NOTHING",
            )
            .bind::<Text, _>(name)
            .bind::<BigInt, _>(at.tx)
            .bind::<BigInt, _>(at.seq)
            .bind::<Timestamp, _>(to_db(now))
            .execute(conn)?;
            Ok(())
        })
    }
}
