//! `UserRepository` on both backends.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use ocf_domain::account::{
    Assignment, Credentials, DisplayName, Email, NewUser, Role, Roles, User, UserId,
};
use ocf_domain::ports::UserRepository;
use ocf_domain::{Id, Page, PageRequest, RepoError};

use crate::db::{Database, DbConnection};
use crate::error::{TxError, corrupt, unique};
use crate::schema::{organizations, user_roles, users};
use crate::time::{from_db, to_db};

#[derive(Queryable)]
struct UserRow {
    id: String,
    email: String,
    password_hash: String,
    display_name: String,
    organization_id: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

fn to_user(row: UserRow, roles: &[String]) -> Result<(User, String), TxError> {
    let roles = Roles::parse(roles).map_err(|e| corrupt("user roles", e))?;
    let user = User {
        id: Id::parse(&row.id).map_err(|e| corrupt("user id", e))?,
        email: Email::parse(&row.email).map_err(|e| corrupt("user email", e))?,
        display_name: DisplayName::parse(&row.display_name)
            .map_err(|e| corrupt("display name", e))?,
        roles,
        organization_id: row
            .organization_id
            .as_deref()
            .map(Id::parse)
            .transpose()
            .map_err(|e| corrupt("organization id", e))?,
        created_at: from_db(row.created_at),
        updated_at: from_db(row.updated_at),
    };
    Ok((user, row.password_hash))
}

/// Loads the roles of many users in one query (no N+1).
fn roles_of(
    conn: &mut DbConnection,
    ids: &[String],
) -> Result<HashMap<String, Vec<String>>, TxError> {
    let rows: Vec<(String, String)> = user_roles::table
        .filter(user_roles::user_id.eq_any(ids))
        .select((user_roles::user_id, user_roles::role))
        .load(conn)?;
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for (user_id, role) in rows {
        map.entry(user_id).or_default().push(role);
    }
    Ok(map)
}

fn hydrate(conn: &mut DbConnection, rows: Vec<UserRow>) -> Result<Vec<(User, String)>, TxError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let roles = roles_of(conn, &ids)?;
    rows.into_iter()
        .map(|row| {
            let r = roles.get(&row.id).cloned().unwrap_or_default();
            to_user(row, &r)
        })
        .collect()
}

fn load_one(conn: &mut DbConnection, id: &str) -> Result<Option<(User, String)>, TxError> {
    let row = users::table.find(id).first::<UserRow>(conn).optional()?;
    Ok(match row {
        Some(row) => hydrate(conn, vec![row])?.pop(),
        None => None,
    })
}

fn insert_roles(conn: &mut DbConnection, user_id: &str, roles: &Roles) -> Result<(), TxError> {
    for role in roles.iter() {
        diesel::insert_into(user_roles::table)
            .values((
                user_roles::user_id.eq(user_id),
                user_roles::role.eq(role.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[derive(AsChangeset)]
#[diesel(table_name = users)]
struct ProfileChange<'a> {
    display_name: Option<&'a str>,
    password_hash: Option<&'a str>,
    updated_at: NaiveDateTime,
}

impl UserRepository for Database {
    fn create_user(&self, user: &NewUser) -> Result<User, RepoError> {
        self.write(|conn| {
            let id = user.id.to_string();
            diesel::insert_into(users::table)
                .values((
                    users::id.eq(&id),
                    users::email.eq(user.email.as_str()),
                    users::password_hash.eq(&user.password_hash),
                    users::display_name.eq(user.display_name.as_str()),
                    users::created_at.eq(to_db(user.created_at)),
                    users::updated_at.eq(to_db(user.created_at)),
                ))
                .execute(conn)
                .map_err(unique("email"))?;
            insert_roles(conn, &id, &user.roles)?;
            load_one(conn, &id)?
                .map(|(u, _)| u)
                .ok_or(TxError::Repo(RepoError::NotFound("user")))
        })
    }

    fn user_by_id(&self, id: UserId) -> Result<Option<User>, RepoError> {
        self.read(|conn| Ok(load_one(conn, &id.to_string())?.map(|(u, _)| u)))
    }

    fn credentials_by_email(&self, email: &Email) -> Result<Option<Credentials>, RepoError> {
        self.read(|conn| {
            let row = users::table
                .filter(users::email.eq(email.as_str()))
                .first::<UserRow>(conn)
                .optional()?;
            let Some(row) = row else { return Ok(None) };
            Ok(hydrate(conn, vec![row])?
                .pop()
                .map(|(user, password_hash)| Credentials {
                    user,
                    password_hash,
                }))
        })
    }

    fn password_hash(&self, id: UserId) -> Result<String, RepoError> {
        self.read(|conn| {
            users::table
                .find(id.to_string())
                .select(users::password_hash)
                .first::<String>(conn)
                .optional()?
                .ok_or(TxError::Repo(RepoError::NotFound("user")))
        })
    }

    fn update_profile(
        &self,
        id: UserId,
        display_name: Option<&DisplayName>,
        password_hash: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<User, RepoError> {
        self.write(|conn| {
            let id = id.to_string();
            let changed = diesel::update(users::table.find(&id))
                .set(ProfileChange {
                    display_name: display_name.map(DisplayName::as_str),
                    password_hash,
                    updated_at: to_db(now),
                })
                .execute(conn)?;
            if changed == 0 {
                return Err(RepoError::NotFound("user").into());
            }
            load_one(conn, &id)?
                .map(|(u, _)| u)
                .ok_or(TxError::Repo(RepoError::NotFound("user")))
        })
    }

    fn assign(
        &self,
        id: UserId,
        assignment: &Assignment,
        now: DateTime<Utc>,
    ) -> Result<User, RepoError> {
        self.write(|conn| {
            let id = id.to_string();
            if let Some(org) = assignment.organization_id {
                let exists = organizations::table
                    .find(org.to_string())
                    .count()
                    .get_result::<i64>(conn)?;
                if exists == 0 {
                    return Err(RepoError::NotFound("organization").into());
                }
            }
            let changed = diesel::update(users::table.find(&id))
                .set((
                    users::organization_id.eq(assignment.organization_id.map(|o| o.to_string())),
                    users::updated_at.eq(to_db(now)),
                ))
                .execute(conn)?;
            if changed == 0 {
                return Err(RepoError::NotFound("user").into());
            }
            diesel::delete(user_roles::table.filter(user_roles::user_id.eq(&id))).execute(conn)?;
            insert_roles(conn, &id, &assignment.roles)?;
            load_one(conn, &id)?
                .map(|(u, _)| u)
                .ok_or(TxError::Repo(RepoError::NotFound("user")))
        })
    }

    fn list_users(
        &self,
        role: Option<Role>,
        page: &PageRequest<UserId>,
    ) -> Result<Page<User, UserId>, RepoError> {
        self.read(|conn| {
            let mut query = users::table.into_boxed();
            if let Some(role) = role {
                query = query.filter(
                    users::id.eq_any(
                        user_roles::table
                            .filter(user_roles::role.eq(role.as_str()))
                            .select(user_roles::user_id),
                    ),
                );
            }
            if let Some(after) = page.after {
                query = query.filter(users::id.lt(after.to_string()));
            }
            let rows = query
                .order(users::id.desc())
                .limit(page.fetch_limit())
                .load::<UserRow>(conn)?;
            let users: Vec<User> = hydrate(conn, rows)?.into_iter().map(|(u, _)| u).collect();
            Ok(Page::from_rows(users, page, |u| u.id))
        })
    }
}
