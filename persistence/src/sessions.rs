//! `SessionRepository`: refresh-token families and login-failure counts, both in the database so that any
//! number of stateless API instances see the same sessions and the same throttling.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::dsl::{count_star, min};
use diesel::prelude::*;
use ocf_domain::account::UserId;
use ocf_domain::ports::{NewRefreshToken, Rotation, SessionRepository};
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

    fn record_login_failure(&self, keys: &[&str], now: DateTime<Utc>) -> Result<(), RepoError> {
        self.write(|conn| {
            for key in keys {
                diesel::insert_into(login_failures::table)
                    .values((
                        login_failures::id.eq(uuid::Uuid::now_v7().to_string()),
                        login_failures::throttle_key.eq(*key),
                        login_failures::failed_at.eq(to_db(now)),
                    ))
                    .execute(conn)?;
            }
            Ok(())
        })
    }

    fn login_failures(
        &self,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<(u32, Option<DateTime<Utc>>), RepoError> {
        self.read(|conn| {
            let (count, oldest): (i64, Option<NaiveDateTime>) = login_failures::table
                .filter(login_failures::throttle_key.eq(key))
                .filter(login_failures::failed_at.gt(to_db(since)))
                .select((count_star(), min(login_failures::failed_at)))
                .first(conn)?;
            Ok((
                u32::try_from(count).unwrap_or(u32::MAX),
                oldest.map(from_db),
            ))
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
