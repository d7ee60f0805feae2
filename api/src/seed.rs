//! Reference data loaded by `ocf-api seed`: the central ministries of the Korean government and a standard
//! list of policy areas. Idempotent: entries whose code exists are left as they are (admins may have edited
//! them through the API).

use ocf_domain::organization::{Name, Organization, OrganizationCode, OrganizationKind};
use ocf_domain::policy_area::{PolicyArea, PolicyAreaCode};
use ocf_domain::ports::{OrganizationRepository, PolicyAreaRepository};
use ocf_domain::{Id, RepoError};
use ocf_persistence::Database;

/// The 19 ministries (부) of the Government Organization Act as of 2024, plus the two bodies the
/// participation process works with most: the Anti-Corruption and Civil Rights Commission (which runs
/// e-People) and the Ministry of Personnel Management. Reorganizations are applied through the API.
pub const ORGANIZATIONS: &[(&str, OrganizationKind, &str, &str)] = &[
    (
        "MOEF",
        OrganizationKind::Ministry,
        "기획재정부",
        "Ministry of Economy and Finance",
    ),
    (
        "MOE",
        OrganizationKind::Ministry,
        "교육부",
        "Ministry of Education",
    ),
    (
        "MSIT",
        OrganizationKind::Ministry,
        "과학기술정보통신부",
        "Ministry of Science and ICT",
    ),
    (
        "MOFA",
        OrganizationKind::Ministry,
        "외교부",
        "Ministry of Foreign Affairs",
    ),
    (
        "MOU",
        OrganizationKind::Ministry,
        "통일부",
        "Ministry of Unification",
    ),
    (
        "MOJ",
        OrganizationKind::Ministry,
        "법무부",
        "Ministry of Justice",
    ),
    (
        "MND",
        OrganizationKind::Ministry,
        "국방부",
        "Ministry of National Defense",
    ),
    (
        "MOIS",
        OrganizationKind::Ministry,
        "행정안전부",
        "Ministry of the Interior and Safety",
    ),
    (
        "MPVA",
        OrganizationKind::Ministry,
        "국가보훈부",
        "Ministry of Patriots and Veterans Affairs",
    ),
    (
        "MCST",
        OrganizationKind::Ministry,
        "문화체육관광부",
        "Ministry of Culture, Sports and Tourism",
    ),
    (
        "MAFRA",
        OrganizationKind::Ministry,
        "농림축산식품부",
        "Ministry of Agriculture, Food and Rural Affairs",
    ),
    (
        "MOTIE",
        OrganizationKind::Ministry,
        "산업통상자원부",
        "Ministry of Trade, Industry and Energy",
    ),
    (
        "MOHW",
        OrganizationKind::Ministry,
        "보건복지부",
        "Ministry of Health and Welfare",
    ),
    (
        "ME",
        OrganizationKind::Ministry,
        "환경부",
        "Ministry of Environment",
    ),
    (
        "MOEL",
        OrganizationKind::Ministry,
        "고용노동부",
        "Ministry of Employment and Labor",
    ),
    (
        "MOGEF",
        OrganizationKind::Ministry,
        "여성가족부",
        "Ministry of Gender Equality and Family",
    ),
    (
        "MOLIT",
        OrganizationKind::Ministry,
        "국토교통부",
        "Ministry of Land, Infrastructure and Transport",
    ),
    (
        "MOF",
        OrganizationKind::Ministry,
        "해양수산부",
        "Ministry of Oceans and Fisheries",
    ),
    (
        "MSS",
        OrganizationKind::Ministry,
        "중소벤처기업부",
        "Ministry of SMEs and Startups",
    ),
    (
        "ACRC",
        OrganizationKind::Committee,
        "국민권익위원회",
        "Anti-Corruption and Civil Rights Commission",
    ),
    (
        "MPM",
        OrganizationKind::Agency,
        "인사혁신처",
        "Ministry of Personnel Management",
    ),
];

/// The functional classification (16 분야) used in Korean central-government budgets, without the reserve
/// fund, so that proposals and statistics line up with how ministries account for policy.
pub const POLICY_AREAS: &[(&str, &str, &str)] = &[
    (
        "general-administration",
        "일반·지방행정",
        "General and local administration",
    ),
    (
        "public-order-safety",
        "공공질서 및 안전",
        "Public order and safety",
    ),
    (
        "unification-diplomacy",
        "통일·외교",
        "Unification and diplomacy",
    ),
    ("defense", "국방", "National defense"),
    ("education", "교육", "Education"),
    ("culture-tourism", "문화 및 관광", "Culture and tourism"),
    ("environment", "환경", "Environment"),
    ("social-welfare", "사회복지", "Social welfare"),
    ("health", "보건", "Health"),
    (
        "agriculture-fisheries",
        "농림수산",
        "Agriculture, forestry and fisheries",
    ),
    (
        "industry-sme-energy",
        "산업·중소기업 및 에너지",
        "Industry, SMEs and energy",
    ),
    (
        "transport-logistics",
        "교통 및 물류",
        "Transport and logistics",
    ),
    ("communications", "통신", "Communications"),
    (
        "land-regional-development",
        "국토 및 지역개발",
        "Land and regional development",
    ),
    ("science-technology", "과학기술", "Science and technology"),
];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub organizations_added: usize,
    pub policy_areas_added: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("invalid seed entry {0}: {1}")]
    Invalid(&'static str, String),
    #[error(transparent)]
    Repo(#[from] RepoError),
}

fn added(result: Result<(), RepoError>) -> Result<usize, SeedError> {
    match result {
        Ok(()) => Ok(1),
        Err(RepoError::Duplicate { .. }) => Ok(0),
        Err(e) => Err(e.into()),
    }
}

/// # Errors
/// [`SeedError`] when storage fails (or an entry above is invalid, which a unit test rules out).
pub fn seed(db: &Database) -> Result<SeedReport, SeedError> {
    let mut report = SeedReport::default();
    let now = ocf_domain::clock::now();
    for (code, kind, ko, en) in ORGANIZATIONS {
        let invalid = |e: &dyn std::fmt::Display| SeedError::Invalid(code, e.to_string());
        let org = Organization {
            id: Id::generate(),
            code: OrganizationCode::parse(code).map_err(|e| invalid(&e))?,
            kind: *kind,
            name_ko: Name::parse(ko).map_err(|e| invalid(&e))?,
            name_en: Name::parse(en).map_err(|e| invalid(&e))?,
            created_at: now,
            updated_at: now,
        };
        report.organizations_added += added(db.create_organization(&org))?;
    }
    for (code, ko, en) in POLICY_AREAS {
        let invalid = |e: &dyn std::fmt::Display| SeedError::Invalid(code, e.to_string());
        let area = PolicyArea {
            id: Id::generate(),
            code: PolicyAreaCode::parse(code).map_err(|e| invalid(&e))?,
            name_ko: Name::parse(ko).map_err(|e| invalid(&e))?,
            name_en: Name::parse(en).map_err(|e| invalid(&e))?,
            created_at: now,
        };
        report.policy_areas_added += added(db.create_policy_area(&area))?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_entry_is_valid() {
        for (code, _, ko, en) in ORGANIZATIONS {
            assert!(
                OrganizationCode::parse(code).is_ok()
                    && Name::parse(ko).is_ok()
                    && Name::parse(en).is_ok(),
                "{code}"
            );
        }
        for (code, ko, en) in POLICY_AREAS {
            assert!(
                PolicyAreaCode::parse(code).is_ok()
                    && Name::parse(ko).is_ok()
                    && Name::parse(en).is_ok(),
                "{code}"
            );
        }
    }
}
