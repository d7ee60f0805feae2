//! `ChannelRepository` (channels and their credentials, outside any unit of work) and, in `records`,
//! `ChannelRecordStore` (partner records, inside one).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use ocf_domain::partner::credential::CredentialId;
use ocf_domain::partner::record::ChannelPresence;
use ocf_domain::partner::{
    ChannelCode, ChannelId, ChannelRepository, ChannelStatus, Credential, CredentialSecrets, Line,
    PartnerChannel, Scopes,
};
use ocf_domain::partner::{ChannelRecord, ExternalId};
use ocf_domain::proposal::ProposalId;
use ocf_domain::values::HttpsUrl;
use ocf_domain::{Id, Page, PageRequest, RepoError};

use crate::db::Database;
use crate::error::{TxError, corrupt, unique};
use crate::schema::{channel_credentials, channels, user_roles, users};
use crate::time::{from_db, to_db};

mod gate;
mod records;

#[derive(Queryable)]
struct ChannelRow {
    id: String,
    code: String,
    name: String,
    kind: String,
    base_url: String,
    contact: String,
    status: String,
    service_user_id: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl TryFrom<ChannelRow> for PartnerChannel {
    type Error = TxError;
    fn try_from(r: ChannelRow) -> Result<Self, TxError> {
        let bad = |what| move |e: String| corrupt(what, e);
        Ok(Self {
            id: Id::parse(&r.id).map_err(|e| corrupt("channel id", e))?,
            code: ChannelCode::parse(&r.code).map_err(bad("channel code"))?,
            name: Line::parse(&r.name).map_err(|e| corrupt("channel name", e))?,
            kind: r.kind.parse().map_err(bad("channel kind"))?,
            base_url: HttpsUrl::from_stored(r.base_url.clone()),
            contact: Line::parse(&r.contact).map_err(|e| corrupt("channel contact", e))?,
            status: r.status.parse().map_err(bad("channel status"))?,
            service_user_id: Id::parse(&r.service_user_id)
                .map_err(|e| corrupt("channel service account", e))?,
            created_at: from_db(r.created_at),
            updated_at: from_db(r.updated_at),
        })
    }
}

#[derive(Queryable)]
struct CredentialRow {
    id: String,
    channel_id: String,
    client_id: String,
    secret_hash: String,
    previous_secret_hash: Option<String>,
    previous_expires_at: Option<NaiveDateTime>,
    scopes: String,
    created_at: NaiveDateTime,
    rotated_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
    last_used_at: Option<NaiveDateTime>,
}

impl CredentialRow {
    fn split(self) -> Result<(Credential, CredentialSecrets), TxError> {
        let credential = Credential {
            id: Id::parse(&self.id).map_err(|e| corrupt("credential id", e))?,
            channel_id: Id::parse(&self.channel_id)
                .map_err(|e| corrupt("credential channel", e))?,
            client_id: self.client_id,
            scopes: Scopes::parse_delimited(&self.scopes)
                .map_err(|e| corrupt("credential scopes", e))?,
            created_at: from_db(self.created_at),
            rotated_at: self.rotated_at.map(from_db),
            previous_expires_at: self.previous_expires_at.map(from_db),
            revoked_at: self.revoked_at.map(from_db),
            last_used_at: self.last_used_at.map(from_db),
        };
        let secrets = CredentialSecrets {
            current_hash: self.secret_hash,
            previous_hash: self.previous_secret_hash,
            previous_expires_at: credential.previous_expires_at,
        };
        Ok((credential, secrets))
    }
}

fn load_credential(
    conn: &mut crate::db::DbConnection,
    id: &str,
) -> Result<Option<Credential>, TxError> {
    channel_credentials::table
        .find(id)
        .first::<CredentialRow>(conn)
        .optional()?
        .map(|r| r.split().map(|(c, _)| c))
        .transpose()
}

/// The service account's sign-in email: on the reserved `.invalid` domain (RFC 2606), so no person can
/// hold it, with a password hash no password matches.
fn service_email(code: &ChannelCode) -> String {
    format!("channel+{}@partners.ocf.invalid", code.as_str())
}

impl ChannelRepository for Database {
    fn create_channel(&self, c: &PartnerChannel) -> Result<(), RepoError> {
        self.write(|conn| {
            let user_id = c.service_user_id.to_string();
            diesel::insert_into(users::table)
                .values((
                    users::id.eq(&user_id),
                    users::email.eq(service_email(&c.code)),
                    users::password_hash.eq("!channel-service-account"),
                    users::display_name.eq(c.code.as_str()),
                    users::created_at.eq(to_db(c.created_at)),
                    users::updated_at.eq(to_db(c.created_at)),
                ))
                .execute(conn)
                .map_err(unique("code"))?;
            diesel::insert_into(user_roles::table)
                .values((
                    user_roles::user_id.eq(&user_id),
                    user_roles::role.eq("citizen"),
                ))
                .execute(conn)?;
            diesel::insert_into(channels::table)
                .values((
                    channels::id.eq(c.id.to_string()),
                    channels::code.eq(c.code.as_str()),
                    channels::name.eq(c.name.as_str()),
                    channels::kind.eq(c.kind.as_str()),
                    channels::base_url.eq(c.base_url.as_str()),
                    channels::contact.eq(c.contact.as_str()),
                    channels::status.eq(c.status.as_str()),
                    channels::service_user_id.eq(&user_id),
                    channels::created_at.eq(to_db(c.created_at)),
                    channels::updated_at.eq(to_db(c.updated_at)),
                ))
                .execute(conn)
                .map_err(unique("code"))?;
            Ok(())
        })
    }

    fn channel(&self, id: ChannelId) -> Result<Option<PartnerChannel>, RepoError> {
        self.read(|conn| {
            channels::table
                .find(id.to_string())
                .first::<ChannelRow>(conn)
                .optional()?
                .map(PartnerChannel::try_from)
                .transpose()
        })
    }

    fn update_channel(&self, c: &PartnerChannel) -> Result<(), RepoError> {
        self.write(|conn| {
            let changed = diesel::update(channels::table.find(c.id.to_string()))
                .set((
                    channels::name.eq(c.name.as_str()),
                    channels::kind.eq(c.kind.as_str()),
                    channels::base_url.eq(c.base_url.as_str()),
                    channels::contact.eq(c.contact.as_str()),
                    channels::status.eq(c.status.as_str()),
                    channels::updated_at.eq(to_db(c.updated_at)),
                ))
                .execute(conn)?;
            if changed == 0 {
                return Err(TxError::Repo(RepoError::NotFound("channel")));
            }
            Ok(())
        })
    }

    fn list_channels(
        &self,
        page: &PageRequest<String>,
    ) -> Result<Page<PartnerChannel, String>, RepoError> {
        self.read(|conn| {
            let mut query = channels::table.into_boxed();
            if let Some(after) = &page.after {
                query = query.filter(channels::code.gt(after));
            }
            let items = query
                .order(channels::code.asc())
                .limit(page.fetch_limit())
                .load::<ChannelRow>(conn)?
                .into_iter()
                .map(PartnerChannel::try_from)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page::from_rows(items, page, |c| c.code.as_str().to_owned()))
        })
    }

    fn create_credential(&self, c: &Credential, secret_hash: &str) -> Result<(), RepoError> {
        self.write_statement(|conn| {
            diesel::insert_into(channel_credentials::table)
                .values((
                    channel_credentials::id.eq(c.id.to_string()),
                    channel_credentials::channel_id.eq(c.channel_id.to_string()),
                    channel_credentials::client_id.eq(&c.client_id),
                    channel_credentials::secret_hash.eq(secret_hash),
                    channel_credentials::scopes.eq(c.scopes.delimited()),
                    channel_credentials::created_at.eq(to_db(c.created_at)),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    fn credentials(&self, channel: ChannelId) -> Result<Vec<Credential>, RepoError> {
        self.read(|conn| {
            channel_credentials::table
                .filter(channel_credentials::channel_id.eq(channel.to_string()))
                .order((
                    channel_credentials::created_at.desc(),
                    channel_credentials::id.desc(),
                ))
                .load::<CredentialRow>(conn)?
                .into_iter()
                .map(|r| r.split().map(|(c, _)| c))
                .collect()
        })
    }

    fn credential(&self, id: CredentialId) -> Result<Option<Credential>, RepoError> {
        self.read(|conn| load_credential(conn, &id.to_string()))
    }

    fn credential_for_client(
        &self,
        client_id: &str,
    ) -> Result<Option<(Credential, CredentialSecrets, ChannelStatus)>, RepoError> {
        self.read(|conn| {
            let row = channel_credentials::table
                .inner_join(channels::table)
                .filter(channel_credentials::client_id.eq(client_id))
                .select((channel_credentials::all_columns, channels::status))
                .first::<(CredentialRow, String)>(conn)
                .optional()?;
            let Some((row, status)) = row else {
                return Ok(None);
            };
            let (credential, secrets) = row.split()?;
            let status = status
                .parse()
                .map_err(|e: String| corrupt("channel status", e))?;
            Ok(Some((credential, secrets, status)))
        })
    }

    fn rotate_credential(
        &self,
        id: CredentialId,
        new_hash: &str,
        previous_until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Credential, RepoError> {
        self.write(|conn| {
            let id = id.to_string();
            let current: Option<String> = channel_credentials::table
                .find(&id)
                .filter(channel_credentials::revoked_at.is_null())
                .select(channel_credentials::secret_hash)
                .first(conn)
                .optional()?;
            let Some(current) = current else {
                return Err(TxError::Repo(RepoError::NotFound("credential")));
            };
            diesel::update(channel_credentials::table.find(&id))
                .set((
                    channel_credentials::previous_secret_hash.eq(current),
                    channel_credentials::previous_expires_at.eq(to_db(previous_until)),
                    channel_credentials::secret_hash.eq(new_hash),
                    channel_credentials::rotated_at.eq(to_db(now)),
                ))
                .execute(conn)?;
            load_credential(conn, &id)?.ok_or(TxError::Repo(RepoError::NotFound("credential")))
        })
    }

    fn revoke_credential(
        &self,
        id: CredentialId,
        now: DateTime<Utc>,
    ) -> Result<Option<Credential>, RepoError> {
        self.write(|conn| {
            let id = id.to_string();
            diesel::update(
                channel_credentials::table
                    .find(&id)
                    .filter(channel_credentials::revoked_at.is_null()),
            )
            .set(channel_credentials::revoked_at.eq(to_db(now)))
            .execute(conn)?;
            load_credential(conn, &id)
        })
    }

    fn touch_credential(&self, id: CredentialId, now: DateTime<Utc>) -> Result<(), RepoError> {
        self.write_statement(|conn| {
            diesel::update(channel_credentials::table.find(id.to_string()))
                .set(channel_credentials::last_used_at.eq(to_db(now)))
                .execute(conn)?;
            Ok(())
        })
    }

    fn token_standing(
        &self,
        credential: CredentialId,
    ) -> Result<Option<(ChannelStatus, bool)>, RepoError> {
        self.read(|conn| {
            let row: Option<(String, Option<NaiveDateTime>)> = channel_credentials::table
                .inner_join(channels::table)
                .filter(channel_credentials::id.eq(credential.to_string()))
                .select((channels::status, channel_credentials::revoked_at))
                .first(conn)
                .optional()?;
            row.map(|(status, revoked)| {
                status
                    .parse()
                    .map(|s| (s, revoked.is_some()))
                    .map_err(|e: String| corrupt("channel status", e))
            })
            .transpose()
        })
    }

    fn record(
        &self,
        channel: ChannelId,
        external_id: &ExternalId,
    ) -> Result<Option<ChannelRecord>, RepoError> {
        self.read(|conn| records::record(conn, channel, external_id))
    }

    fn presence(&self, proposal: ProposalId) -> Result<Vec<ChannelPresence>, RepoError> {
        self.read(|conn| records::presence(conn, proposal))
    }
}
