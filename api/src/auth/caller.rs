//! Who is asking: taken from `Authorization: Bearer <access token>`.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use ocf_domain::account::{Role, Roles, UserId};
use ocf_domain::organization::OrganizationId;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: UserId,
    pub roles: Roles,
    pub organization_id: Option<OrganizationId>,
}

impl Caller {
    /// # Errors
    /// [`ApiError::Forbidden`] unless the caller holds `role`.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.roles.contains(role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "this action requires the {role} role"
            )))
        }
    }
}

fn authenticate(req: &HttpRequest) -> Result<Caller, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal("application state missing".into()))?;
    let value = req.headers().get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::unauthenticated("this endpoint needs an access token (Authorization: Bearer ...)")
    })?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::invalid_token("the Authorization header is not valid text"))?;
    let (scheme, token) = value.split_once(' ').ok_or_else(|| {
        ApiError::invalid_token("the Authorization header must be 'Bearer <token>'")
    })?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::invalid_token(
            "the Authorization header must be 'Bearer <token>'",
        ));
    }
    state.tokens.verify(token.trim())
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

/// A caller who holds the admin role. As an extractor placed before the body, it answers `401` and then
/// `403` before the body is read, so a citizen learns "not allowed", not the shape of an admin-only body.
#[derive(Debug, Clone)]
pub struct Admin(pub Caller);

/// A caller who is a moderator or an admin (staff), checked before the body like [`Admin`].
#[derive(Debug, Clone)]
pub struct Staff(pub Caller);

impl std::ops::Deref for Admin {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.0
    }
}

impl std::ops::Deref for Staff {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.0
    }
}

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req).and_then(|c| c.require(Role::Admin).map(|()| Self(c))))
    }
}

impl FromRequest for Staff {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req).and_then(|c| c.require_staff().map(|()| Self(c))))
    }
}

/// The caller when a token is sent, `None` when none is: for public reads that show more to some people.
/// A token that is sent but invalid is still `401`: a client should learn its token is bad.
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequest for MaybeCaller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if req.headers().contains_key(header::AUTHORIZATION) {
            ready(authenticate(req).map(|c| Self(Some(c))))
        } else {
            ready(Ok(Self(None)))
        }
    }
}

impl Caller {
    /// Moderators and admins act on proposals and reports (`Roles::is_staff`).
    pub fn is_staff(&self) -> bool {
        self.roles.is_staff()
    }

    /// The caller as the domain's use cases see them.
    pub fn actor(&self) -> ocf_domain::actor::Actor {
        ocf_domain::actor::Actor::new(self.user_id, self.roles.clone())
            .in_organization(self.organization_id)
    }

    /// # Errors
    /// [`ApiError::Forbidden`] unless the caller is a moderator or an admin.
    pub fn require_staff(&self) -> Result<(), ApiError> {
        if self.is_staff() {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "this action requires the moderator or admin role".to_owned(),
            ))
        }
    }
}
