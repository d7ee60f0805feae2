use super::*;

#[test]
fn emails_are_case_insensitive() -> Result<(), EmailError> {
    assert_eq!(
        Email::parse(" Kim@Example.KR ")?,
        Email::parse("kim@example.kr")?
    );
    Ok(())
}

#[test]
fn malformed_emails_are_refused() {
    for bad in [
        "",
        "kim",
        "kim@",
        "@example.kr",
        "kim@example",
        "kim@.kr",
        "k m@example.kr",
    ] {
        assert!(Email::parse(bad).is_err(), "{bad} was accepted");
    }
    // A Korean local part is fine; an internationalised domain is written in its ASCII (`xn--`) form,
    // as the document's pattern says.
    assert!(Email::parse("김@xn--9n2bp8q.xn--3e0b707e").is_ok());
    assert!(Email::parse("김@예시.한국").is_err());
    assert!(Email::parse("\u{8c}r@example.kr").is_err());
}

#[test]
fn password_policy_counts_characters_and_rejects_the_email() -> Result<(), EmailError> {
    let email = Email::parse("citizen@example.kr")?;
    assert_eq!(
        NewPassword::parse("short", Some(&email)),
        Err(PasswordError::TooShort { min: 10 })
    );
    assert_eq!(
        NewPassword::parse(&"가".repeat(129), Some(&email)),
        Err(PasswordError::TooLong { max: 128 })
    );
    assert!(NewPassword::parse(&"가".repeat(10), Some(&email)).is_ok());
    assert_eq!(
        NewPassword::parse("Citizen@Example.kr", Some(&email)),
        Err(PasswordError::SameAsEmail)
    );
    Ok(())
}

#[test]
fn passwords_do_not_show_in_debug_output() {
    let p = NewPassword::parse("correct horse battery", None);
    assert!(!format!("{p:?}").contains("horse"));
}

#[test]
fn roles_parse_and_merge_repeats() {
    let roles = Roles::parse(&["official", "official", "citizen"]);
    assert_eq!(roles.map(|r| r.iter().count()), Ok(2));
    assert_eq!(Roles::parse::<&str>(&[]), Err(RolesError::Empty));
    assert!(matches!(
        Roles::parse(&["root"]),
        Err(RolesError::Unknown(_))
    ));
}

fn user(roles: Roles, org: Option<Id<Organization>>) -> Result<User, Box<dyn std::error::Error>> {
    Ok(User {
        id: Id::generate(),
        email: Email::parse("a@example.kr")?,
        display_name: DisplayName::parse("Kim")?,
        roles,
        organization_id: org,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    })
}

#[test]
fn an_official_needs_an_organization() -> Result<(), Box<dyn std::error::Error>> {
    let citizen = user(Roles::citizen(), None)?;
    let official = Roles::parse(&["official"])?;
    assert!(Assignment::change(&citizen, Some(official.clone()), None).is_err());
    let org = Id::generate();
    let ok = Assignment::change(&citizen, Some(official), Some(Some(org)))?;
    assert_eq!(ok.organization_id, Some(org));
    Ok(())
}

#[test]
fn demoting_an_official_requires_clearing_the_organization()
-> Result<(), Box<dyn std::error::Error>> {
    let official = user(Roles::parse(&["official"])?, Some(Id::generate()))?;
    assert!(Assignment::change(&official, Some(Roles::citizen()), None).is_err());
    assert!(Assignment::change(&official, Some(Roles::citizen()), Some(None)).is_ok());
    Ok(())
}
