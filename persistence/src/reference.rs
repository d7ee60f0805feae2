//! Reference data: `OrganizationRepository` and `PolicyAreaRepository`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ocf_domain::organization::{Name, Organization, OrganizationCode, OrganizationId};
use ocf_domain::policy_area::{PolicyArea, PolicyAreaCode, PolicyAreaId};
use ocf_domain::ports::{OrganizationRepository, PolicyAreaRepository};
use ocf_domain::{Id, Page, PageRequest, RepoError};

use crate::db::Database;
use crate::error::{TxError, corrupt, unique};
use crate::schema::{organizations, policy_areas};
use crate::time::{from_db, to_db};

#[derive(Queryable)]
struct OrganizationRow {
    id: String,
    code: String,
    kind: String,
    name_ko: String,
    name_en: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl TryFrom<OrganizationRow> for Organization {
    type Error = TxError;
    fn try_from(r: OrganizationRow) -> Result<Self, TxError> {
        Ok(Organization {
            id: Id::parse(&r.id).map_err(|e| corrupt("organization id", e))?,
            code: OrganizationCode::parse(&r.code).map_err(|e| corrupt("organization code", e))?,
            kind: r
                .kind
                .parse()
                .map_err(|e| corrupt("organization kind", e))?,
            name_ko: Name::parse(&r.name_ko).map_err(|e| corrupt("organization name", e))?,
            name_en: Name::parse(&r.name_en).map_err(|e| corrupt("organization name", e))?,
            created_at: from_db(r.created_at),
            updated_at: from_db(r.updated_at),
        })
    }
}

impl OrganizationRepository for Database {
    fn create_organization(&self, org: &Organization) -> Result<(), RepoError> {
        self.write(|conn| {
            diesel::insert_into(organizations::table)
                .values((
                    organizations::id.eq(org.id.to_string()),
                    organizations::code.eq(org.code.as_str()),
                    organizations::kind.eq(org.kind.as_str()),
                    organizations::name_ko.eq(org.name_ko.as_str()),
                    organizations::name_en.eq(org.name_en.as_str()),
                    organizations::created_at.eq(to_db(org.created_at)),
                    organizations::updated_at.eq(to_db(org.updated_at)),
                ))
                .execute(conn)
                .map_err(unique("code"))?;
            Ok(())
        })
    }

    fn organization(&self, id: OrganizationId) -> Result<Option<Organization>, RepoError> {
        self.read(|conn| {
            organizations::table
                .find(id.to_string())
                .first::<OrganizationRow>(conn)
                .optional()?
                .map(Organization::try_from)
                .transpose()
        })
    }

    fn update_organization(&self, org: &Organization) -> Result<(), RepoError> {
        self.write(|conn| {
            let changed = diesel::update(organizations::table.find(org.id.to_string()))
                .set((
                    organizations::code.eq(org.code.as_str()),
                    organizations::kind.eq(org.kind.as_str()),
                    organizations::name_ko.eq(org.name_ko.as_str()),
                    organizations::name_en.eq(org.name_en.as_str()),
                    organizations::updated_at.eq(to_db(org.updated_at)),
                ))
                .execute(conn)
                .map_err(unique("code"))?;
            if changed == 0 {
                return Err(RepoError::NotFound("organization").into());
            }
            Ok(())
        })
    }

    fn list_organizations(
        &self,
        page: &PageRequest<String>,
    ) -> Result<Page<Organization, String>, RepoError> {
        self.read(|conn| {
            let mut query = organizations::table.into_boxed();
            if let Some(after) = &page.after {
                query = query.filter(organizations::code.gt(after));
            }
            let rows = query
                .order(organizations::code.asc())
                .limit(page.fetch_limit())
                .load::<OrganizationRow>(conn)?;
            let items = rows
                .into_iter()
                .map(Organization::try_from)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page::from_rows(items, page, |o| o.code.as_str().to_owned()))
        })
    }
}

#[derive(Queryable)]
struct PolicyAreaRow {
    id: String,
    code: String,
    name_ko: String,
    name_en: String,
    created_at: NaiveDateTime,
}

impl TryFrom<PolicyAreaRow> for PolicyArea {
    type Error = TxError;
    fn try_from(r: PolicyAreaRow) -> Result<Self, TxError> {
        Ok(PolicyArea {
            id: Id::parse(&r.id).map_err(|e| corrupt("policy area id", e))?,
            code: PolicyAreaCode::parse(&r.code).map_err(|e| corrupt("policy area code", e))?,
            name_ko: Name::parse(&r.name_ko).map_err(|e| corrupt("policy area name", e))?,
            name_en: Name::parse(&r.name_en).map_err(|e| corrupt("policy area name", e))?,
            created_at: from_db(r.created_at),
        })
    }
}

impl PolicyAreaRepository for Database {
    fn create_policy_area(&self, area: &PolicyArea) -> Result<(), RepoError> {
        self.write(|conn| {
            diesel::insert_into(policy_areas::table)
                .values((
                    policy_areas::id.eq(area.id.to_string()),
                    policy_areas::code.eq(area.code.as_str()),
                    policy_areas::name_ko.eq(area.name_ko.as_str()),
                    policy_areas::name_en.eq(area.name_en.as_str()),
                    policy_areas::created_at.eq(to_db(area.created_at)),
                ))
                .execute(conn)
                .map_err(unique("code"))?;
            Ok(())
        })
    }

    fn policy_area(&self, id: PolicyAreaId) -> Result<Option<PolicyArea>, RepoError> {
        self.read(|conn| {
            policy_areas::table
                .find(id.to_string())
                .first::<PolicyAreaRow>(conn)
                .optional()?
                .map(PolicyArea::try_from)
                .transpose()
        })
    }

    fn all_policy_areas(&self) -> Result<Vec<PolicyArea>, RepoError> {
        self.read(|conn| {
            policy_areas::table
                .order(policy_areas::code.asc())
                .load::<PolicyAreaRow>(conn)?
                .into_iter()
                .map(PolicyArea::try_from)
                .collect()
        })
    }

    fn list_policy_areas(
        &self,
        page: &PageRequest<String>,
    ) -> Result<Page<PolicyArea, String>, RepoError> {
        self.read(|conn| {
            let mut query = policy_areas::table.into_boxed();
            if let Some(after) = &page.after {
                query = query.filter(policy_areas::code.gt(after));
            }
            let rows = query
                .order(policy_areas::code.asc())
                .limit(page.fetch_limit())
                .load::<PolicyAreaRow>(conn)?;
            let items = rows
                .into_iter()
                .map(PolicyArea::try_from)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page::from_rows(items, page, |a| a.code.as_str().to_owned()))
        })
    }
}
