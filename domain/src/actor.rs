//! Who acts: the signed-in person a use case runs for, how the public record names them, and which hidden
//! content they may see.

use crate::account::{Role, Roles, UserId};
use crate::organization::OrganizationId;

/// The person a use case acts for: who they are, what they may do, and (officials) their organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub roles: Roles,
    pub organization_id: Option<OrganizationId>,
}

impl Actor {
    pub fn new(user_id: UserId, roles: Roles) -> Self {
        Self {
            user_id,
            roles,
            organization_id: None,
        }
    }

    /// The same person, as a member of `organization` (officials).
    #[must_use]
    pub fn in_organization(mut self, organization: Option<OrganizationId>) -> Self {
        self.organization_id = organization;
        self
    }

    /// Whether this person manages what `organization` hosts: moderators and admins always, officials
    /// of that organization.
    pub fn manages(&self, organization: OrganizationId) -> bool {
        self.is_staff()
            || (self.roles.contains(Role::Official) && self.organization_id == Some(organization))
    }

    /// Moderators and admins: they review, moderate and see hidden content.
    pub fn is_staff(&self) -> bool {
        self.roles.is_staff()
    }

    /// How this person's staff action is shown on the public record.
    pub fn staff_role(&self) -> ActorRole {
        ActorRole::of_staff(&self.roles)
    }
}

/// Which hidden (moderated) content a viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// The public: nothing hidden.
    Public,
    /// A signed-in person: their own hidden content too.
    PublicAndOwn(UserId),
    /// Moderators and admins: everything.
    Everything,
}

impl Visibility {
    pub fn for_viewer(viewer: Option<&Actor>) -> Self {
        match viewer {
            None => Self::Public,
            Some(a) if a.is_staff() => Self::Everything,
            Some(a) => Self::PublicAndOwn(a.user_id),
        }
    }

    /// Whether content by `author`, `hidden` or not, is shown to this viewer.
    pub fn shows(self, hidden: bool, author: UserId) -> bool {
        match self {
            Self::Everything => true,
            Self::PublicAndOwn(me) => !hidden || me == author,
            Self::Public => !hidden,
        }
    }
}

/// Who did something, as the public timeline shows it: never a citizen's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorRole {
    Author,
    Moderator,
    Admin,
    Official,
    System,
}

impl ActorRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Author => "author",
            Self::Moderator => "moderator",
            Self::Admin => "admin",
            Self::Official => "official",
            Self::System => "system",
        }
    }

    /// How a staff member's action is shown: as admin when they are one, else as moderator, else official.
    pub fn of_staff(roles: &Roles) -> Self {
        if roles.contains(Role::Admin) {
            Self::Admin
        } else if roles.contains(Role::Moderator) {
            Self::Moderator
        } else if roles.contains(Role::Official) {
            Self::Official
        } else {
            Self::Author
        }
    }

    /// # Errors
    /// A message for an unknown role name.
    pub fn parse(raw: &str) -> Result<Self, String> {
        [
            Self::Author,
            Self::Moderator,
            Self::Admin,
            Self::Official,
            Self::System,
        ]
        .into_iter()
        .find(|r| r.as_str() == raw)
        .ok_or_else(|| format!("unknown actor role '{raw}'"))
    }
}
