//! Follows (inside a unit of work) and notifications: the fan-out writes each event's notifications set
//! by set (one `INSERT ... SELECT` per audience, so 50,000 followers are one statement) together with
//! the reader's cursor, in one transaction.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};
use ocf_domain::account::UserId;
use ocf_domain::event::{AggregateKind, Event, LogCursor};
use ocf_domain::follow::{
    Audience, Delivery, FollowKind, FollowStore, MarkRead, NOTIFY_READER, Notification,
    NotificationKey, Notifications,
};
use ocf_domain::{Page, PageRequest, RepoError};

use crate::db::Database;
use crate::error::{TxError, corrupt};
use crate::schema::{follows, notifications};

use crate::time::{from_db, to_db};
use crate::uow::Tx;

impl FollowStore for Tx<'_> {
    fn follow(
        &mut self,
        user: UserId,
        kind: FollowKind,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        self.run(|conn, _| {
            Ok(diesel::sql_query(
                "INSERT INTO follows (subject_type, subject_id, user_id, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind::<Text, _>(kind.as_str())
            .bind::<Text, _>(id)
            .bind::<Text, _>(user.to_string())
            .bind::<Timestamp, _>(to_db(now))
            .execute(conn)?
                == 1)
        })
    }

    fn unfollow(&mut self, user: UserId, kind: FollowKind, id: &str) -> Result<bool, RepoError> {
        self.run(|conn, _| {
            Ok(diesel::delete(
                follows::table
                    .filter(follows::subject_type.eq(kind.as_str()))
                    .filter(follows::subject_id.eq(id))
                    .filter(follows::user_id.eq(user.to_string())),
            )
            .execute(conn)?
                == 1)
        })
    }
}

/// Where an audience's people come from: `FROM ... WHERE ...` selecting `user_id`, bound to `$10` (the
/// audience's key) and `$11` (the actor to skip).
fn source(a: &Audience) -> (&'static str, &str, Option<&'static str>) {
    match a {
        // A hidden proposal or topic is told only to its author, who can still see it.
        Audience::Followers(FollowKind::Proposal, id) => (
            "SELECT f.user_id AS uid FROM follows f WHERE f.subject_id = $10 AND f.user_id <> $11 \
             AND f.subject_type = $12 AND NOT EXISTS (SELECT 1 FROM proposals s \
             WHERE s.id = f.subject_id AND s.hidden AND s.author_id <> f.user_id)",
            id.as_str(),
            Some(FollowKind::Proposal.as_str()),
        ),
        Audience::Followers(FollowKind::Topic, id) => (
            "SELECT f.user_id AS uid FROM follows f WHERE f.subject_id = $10 AND f.user_id <> $11 \
             AND f.subject_type = $12 AND NOT EXISTS (SELECT 1 FROM topics s \
             WHERE s.id = f.subject_id AND s.hidden AND s.author_id <> f.user_id)",
            id.as_str(),
            Some(FollowKind::Topic.as_str()),
        ),
        Audience::Followers(kind, id) => (
            "SELECT user_id AS uid FROM follows WHERE subject_id = $10 AND user_id <> $11 \
             AND subject_type = $12",
            id.as_str(),
            Some(kind.as_str()),
        ),
        Audience::Registrants(forum) => (
            "SELECT user_id AS uid FROM forum_registrations WHERE forum_id = $10 AND user_id <> $11 \
             AND status IN ('registered', 'waitlisted')",
            forum.as_str(),
            None,
        ),
        Audience::RegistrationHolder(id) => (
            "SELECT user_id AS uid FROM forum_registrations WHERE id = $10 AND user_id <> $11",
            id.as_str(),
            None,
        ),
        Audience::ParentAuthor(comment) => (
            // The comment answered: `in_reply_to` below the deepest level, else the parent.
            "SELECT p.author_id AS uid FROM comments c \
             JOIN comments p ON p.id = COALESCE(c.in_reply_to, c.parent_id) \
             WHERE c.id = $10 AND p.author_id <> $11",
            comment.as_str(),
            None,
        ),
    }
}

fn write_batch(
    conn: &mut crate::db::DbConnection,
    batch: &[(i64, &Event, Delivery)],
) -> Result<i64, TxError> {
    let mut written = 0;
    for (seq, e, d) in batch {
        let referral = (e.aggregate == AggregateKind::Referral).then(|| e.aggregate_id.clone());
        let skip = d.skip.map(|u| u.to_string()).unwrap_or_default();
        for a in &d.audiences {
            let (from, key, kind) = source(a);
            // `$n` placeholders read the same on both backends; SQLite numbers them by first
            // appearance, so they appear in order. The `WHERE` keeps SQLite's parser from reading
            // `ON CONFLICT` as a join's `ON`.
            let sql = format!(
                "INSERT INTO notifications (event_seq, event_type, subject_type, subject_id, \
                 referral_id, from_status, to_status, decision, occurred_at, user_id) \
                 SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, uid FROM ({from}) AS people WHERE true \
                 ON CONFLICT (user_id, event_seq) DO NOTHING"
            );
            let q = diesel::sql_query(sql)
                .bind::<BigInt, _>(seq)
                .bind::<Text, _>(e.event_type.as_str())
                .bind::<Text, _>(d.subject.0.as_str())
                .bind::<Text, _>(&d.subject.1)
                .bind::<Nullable<Text>, _>(referral.as_deref())
                .bind::<Nullable<Text>, _>(e.payload.from_status.as_deref())
                .bind::<Nullable<Text>, _>(e.payload.to_status.as_deref())
                .bind::<Nullable<Text>, _>(e.payload.decision.as_deref())
                .bind::<Timestamp, _>(to_db(e.occurred_at))
                .bind::<Text, _>(key)
                .bind::<Text, _>(&skip);
            written += match kind {
                Some(k) => q.bind::<Text, _>(k).execute(conn)?,
                None => q.execute(conn)?,
            } as i64;
        }
    }
    Ok(written)
}

type NotificationRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    NaiveDateTime,
    bool,
    Option<NaiveDateTime>,
);

fn to_notification(r: NotificationRow) -> Result<(NotificationKey, Notification), TxError> {
    let (seq, t, kind, id, referral_id, from_status, to_status, decision, at, read, read_at) = r;
    Ok((
        NotificationKey {
            read,
            position: seq,
        },
        Notification {
            id: seq,
            event_type: t
                .parse()
                .map_err(|e: String| corrupt("notification type", e))?,
            subject: (
                kind.parse()
                    .map_err(|e: String| corrupt("notification subject", e))?,
                id,
            ),
            referral_id,
            from_status,
            to_status,
            decision,
            occurred_at: from_db(at),
            read_at: read_at.map(from_db),
        },
    ))
}

impl Notifications for Database {
    fn notifications(
        &self,
        user: UserId,
        page: &PageRequest<NotificationKey>,
    ) -> Result<Page<Notification, NotificationKey>, RepoError> {
        self.read(|conn| {
            use notifications as n;
            let mut q = n::table
                .filter(n::user_id.eq(user.to_string()))
                .select((
                    n::seq,
                    n::event_type,
                    n::subject_type,
                    n::subject_id,
                    n::referral_id,
                    n::from_status,
                    n::to_status,
                    n::decision,
                    n::occurred_at,
                    n::is_read,
                    n::read_at,
                ))
                .into_boxed();
            // Unread first, newest first within each.
            if let Some(k) = page.after {
                let later = n::is_read.eq(k.read).and(n::seq.lt(k.position));
                q = if k.read {
                    q.filter(later)
                } else {
                    q.filter(later.or(n::is_read.eq(true)))
                };
            }
            let rows: Vec<NotificationRow> = q
                .order((n::is_read.asc(), n::seq.desc()))
                .limit(page.fetch_limit())
                .load(conn)?;
            let items = rows
                .into_iter()
                .map(to_notification)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page::from_rows(items, page, |(k, _)| *k).map(|(_, n)| n))
        })
    }

    fn unread_count(&self, user: UserId) -> Result<i64, RepoError> {
        self.read(|conn| {
            Ok(notifications::table
                .filter(notifications::user_id.eq(user.to_string()))
                .filter(notifications::is_read.eq(false))
                .count()
                .get_result(conn)?)
        })
    }

    fn mark_read(
        &self,
        user: UserId,
        which: &MarkRead,
        now: DateTime<Utc>,
    ) -> Result<i64, RepoError> {
        self.write_statement(|conn| {
            use notifications as n;
            let mine = n::table
                .filter(n::user_id.eq(user.to_string()))
                .filter(n::is_read.eq(false));
            let read = (n::is_read.eq(true), n::read_at.eq(Some(to_db(now))));
            let changed = match which {
                MarkRead::All => diesel::update(mine).set(read).execute(conn)?,
                MarkRead::Ids(ids) => diesel::update(mine.filter(n::seq.eq_any(ids)))
                    .set(read)
                    .execute(conn)?,
            };
            Ok(changed as i64)
        })
    }

    fn fan_out(
        &self,
        batch: &[(i64, &Event, Delivery)],
        from: LogCursor,
        to: LogCursor,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, RepoError> {
        self.write(|conn| {
            if !crate::readers::advance(conn, NOTIFY_READER, from, to, now)? {
                return Ok(None);
            }
            write_batch(conn, batch).map(Some)
        })
    }
}
