//! `SessionRepository`: refresh-token families and login-failure counts, both in the database so that any
//! number of stateless API instances see the same sessions and the same throttling.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::dsl::{count_star, min};
use diesel::prelude::*;
use ocf_domain::account::UserId;
use ocf_domain::ports::{
    AttemptReservation, LoginAttempt, NewRefreshToken, Rotation, SessionRepository, ThrottleLimit,
};
use ocf_domain::{Id, RepoError};

use crate::db::{Database, DbConnection};
use crate::error::{TxError, corrupt};
use crate::schema::{login_failures, refresh_tokens};
use crate::time::{from_db, to_db};

fn insert_token(
    conn: &mut DbConnection,
    family_id: &str,
    user_id: &str,
    token: &NewRefreshToken,
) -> Result<(), TxError> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(token.id.to_string()),
            refresh_tokens::family_id.eq(family_id),
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::token_hash.eq(&token.token_hash),
            refresh_tokens::issued_at.eq(to_db(token.issued_at)),
            refresh_tokens::expires_at.eq(to_db(token.expires_at)),
        ))
        .execute(conn)?;
    Ok(())
}

fn revoke_family(
    conn: &mut DbConnection,
    family_id: &str,
    now: NaiveDateTime,
) -> Result<(), TxError> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)?;
    Ok(())
}

type TokenState = (
    String,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

impl SessionRepository for Database {
    fn start_session(&self, user_id: UserId, token: &NewRefreshToken) -> Result<(), RepoError> {
        // A new login starts a new family; the first token's id names it.
        self.write(|conn| insert_token(conn, &token.id.to_string(), &user_id.to_string(), token))
    }

    fn rotate(
        &self,
        token_hash: &str,
        replacement: &NewRefreshToken,
        now: DateTime<Utc>,
    ) -> Result<Rotation, RepoError> {
        let now = to_db(now);
        self.write(|conn| {
            let state: Option<TokenState> = refresh_tokens::table
                .filter(refresh_tokens::token_hash.eq(token_hash))
                .select((
                    refresh_tokens::id,
                    refresh_tokens::family_id,
                    refresh_tokens::user_id,
                    refresh_tokens::expires_at,
                    refresh_tokens::used_at,
                    refresh_tokens::revoked_at,
                ))
                .first(conn)
                .optional()?;
            let Some((id, family_id, user_id, expires_at, used_at, revoked_at)) = state else {
                return Ok(Rotation::Unknown);
            };
            if used_at.is_some() {
                revoke_family(conn, &family_id, now)?;
                return Ok(Rotation::Reused);
            }
            if revoked_at.is_some() {
                return Ok(Rotation::Revoked);
            }
            if expires_at <= now {
                return Ok(Rotation::Expired);
            }
            // The `used_at IS NULL` guard makes a concurrent second use lose (it then counts as reuse).
            let consumed = diesel::update(
                refresh_tokens::table
                    .filter(refresh_tokens::id.eq(&id))
                    .filter(refresh_tokens::used_at.is_null()),
            )
            .set(refresh_tokens::used_at.eq(now))
            .execute(conn)?;
            if consumed == 0 {
                revoke_family(conn, &family_id, now)?;
                return Ok(Rotation::Reused);
            }
            insert_token(conn, &family_id, &user_id, replacement)?;
            let user_id = Id::parse(&user_id).map_err(|e| corrupt("refresh token user", e))?;
            Ok(Rotation::Rotated { user_id })
        })
    }

    fn end_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<bool, RepoError> {
        self.write(|conn| {
            let family: Option<String> = refresh_tokens::table
                .filter(refresh_tokens::token_hash.eq(token_hash))
                .select(refresh_tokens::family_id)
                .first(conn)
                .optional()?;
            match family {
                Some(family_id) => {
                    revoke_family(conn, &family_id, to_db(now))?;
                    Ok(true)
                }
                None => Ok(false),
            }
        })
    }

    fn end_all_sessions(&self, user_id: UserId, now: DateTime<Utc>) -> Result<(), RepoError> {
        self.write(|conn| {
            diesel::update(
                refresh_tokens::table
                    .filter(refresh_tokens::user_id.eq(user_id.to_string()))
                    .filter(refresh_tokens::revoked_at.is_null()),
            )
            .set(refresh_tokens::revoked_at.eq(to_db(now)))
            .execute(conn)?;
            Ok(())
        })
    }

    fn reserve_login_attempt(
        &self,
        limits: &[ThrottleLimit<'_>],
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<LoginAttempt, RepoError> {
        // Keys are locked in one order, so two attempts sharing both keys cannot deadlock.
        let mut limits = limits.to_vec();
        limits.sort_by_key(|l| l.key);
        self.write(|conn| {
            for limit in &limits {
                // SQLite's writers already take turns (one transaction at a time, in-process); on
                // PostgreSQL a transaction-scoped advisory lock per key makes the count and the insert
                // below one step for concurrent attempts on any instance. The count then runs after the
                // previous holder committed, and READ COMMITTED gives it a snapshot that sees its row.
                if let DbConnection::Postgresql(pg) = conn {
                    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))")
                        .bind::<diesel::sql_types::Text, _>(limit.key)
                        .execute(pg)?;
                }
            }
            for limit in &limits {
                let (count, oldest): (i64, Option<NaiveDateTime>) = login_failures::table
                    .filter(login_failures::throttle_key.eq(limit.key))
                    .filter(login_failures::failed_at.gt(to_db(since)))
                    .select((count_star(), min(login_failures::failed_at)))
                    .first(conn)?;
                if count >= i64::from(limit.max_failures) {
                    return Ok(LoginAttempt::Throttled {
                        oldest: oldest.map(from_db),
                    });
                }
            }
            let mut ids = Vec::with_capacity(limits.len());
            for limit in &limits {
                let id = uuid::Uuid::now_v7().to_string();
                diesel::insert_into(login_failures::table)
                    .values((
                        login_failures::id.eq(&id),
                        login_failures::throttle_key.eq(limit.key),
                        login_failures::failed_at.eq(to_db(now)),
                    ))
                    .execute(conn)?;
                ids.push(id);
            }
            Ok(LoginAttempt::Reserved(AttemptReservation { ids }))
        })
    }

    fn release_login_attempt(&self, reservation: &AttemptReservation) -> Result<(), RepoError> {
        self.write_statement(|conn| {
            diesel::delete(
                login_failures::table.filter(login_failures::id.eq_any(&reservation.ids)),
            )
            .execute(conn)?;
            Ok(())
        })
    }

    fn clear_login_failures(&self, key: &str, before: DateTime<Utc>) -> Result<(), RepoError> {
        self.write(|conn| {
            diesel::delete(
                login_failures::table.filter(
                    login_failures::throttle_key
                        .eq(key)
                        .or(login_failures::failed_at.lt(to_db(before))),
                ),
            )
            .execute(conn)?;
            Ok(())
        })
    }
}
