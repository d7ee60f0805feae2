//! Who may take an organization-side step of a referral, checked before its body is read: an extractor
//! for the receiving official (`Receiver`), one for the official and the body in that order
//! (`StepRequest`), and the runner of a step (`step`).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use ocf_domain::UseCaseError;
use ocf_domain::actor::Actor;
use ocf_domain::referral::query::ReferralQueries;
use ocf_domain::referral::{Referral, ReferralId};

use super::{ReferralView, parse_id, view_for};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::state::{AppState, blocking};

/// An official of the organization holding the referral of the path's `{id}`: checked as an extractor
/// placed before the body, so anyone else learns `403` (or `404` for no such referral), not the shape of
/// the body.
pub struct Receiver {
    caller: Caller,
    id: ReferralId,
}

impl std::fmt::Debug for Receiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl FromRequest for Receiver {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = Caller::from_request(req, payload).into_inner();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let raw = req.match_info().get("id").unwrap_or_default().to_owned();
        Box::pin(async move {
            let caller = caller?;
            let state =
                state.ok_or_else(|| ApiError::Internal("application state missing".into()))?;
            let id = parse_id(&raw)?;
            let actor = caller.actor();
            blocking(move || {
                let r = state
                    .db
                    .referral(id)?
                    .ok_or_else(|| ApiError::NotFound("referral not found".to_owned()))?;
                r.check_receiver(&actor)
                    .map_err(|e| ApiError::from(UseCaseError::from(e)))
            })
            .await?;
            Ok(Self { caller, id })
        })
    }
}

/// The receiving official and the step's body, checked in that order: the body is read only once the
/// caller may take the step.
pub struct StepRequest<T> {
    pub receiver: Receiver,
    pub body: T,
}

impl<T> std::fmt::Debug for StepRequest<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StepRequest")
            .field("receiver", &self.receiver)
            .finish_non_exhaustive()
    }
}

impl<T: serde::de::DeserializeOwned + 'static> FromRequest for StepRequest<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let receiver = Receiver::from_request(req, payload);
        let body = ApiJson::<T>::from_request(req, payload);
        Box::pin(async move {
            let receiver = receiver.await?;
            let ApiJson(body) = body.await?;
            Ok(Self { receiver, body })
        })
    }
}

/// Runs one organization-side step for `receiver`: `step` parses the body and runs the use case, then
/// the referral's view for the caller.
pub(super) async fn step(
    state: web::Data<AppState>,
    receiver: Receiver,
    step: impl FnOnce(&AppState, &Actor, ReferralId) -> Result<Referral, ApiError> + Send + 'static,
) -> Result<ReferralView, ApiError> {
    let Receiver { caller, id } = receiver;
    blocking(move || {
        let actor = caller.actor();
        let r = step(&state, &actor, id)?;
        Ok(view_for(r, Some(&caller)))
    })
    .await
}
