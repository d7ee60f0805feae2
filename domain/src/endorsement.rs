//! Supports (of proposals) and votes (on topics) follow one rule: one per person, idempotent, never on
//! one's own content, only while it is open. This is the shared shape of both use cases.

use crate::RepoError;
use crate::error::UseCaseError;
use crate::uow::UnitOfWork;

/// Adds an endorsement. `add` is one guarded statement that checks the rule itself and says whether it
/// added one; only when it did not does `explain` read the content, to refuse in the domain's words or
/// to find the endorsement already there (`Ok(true)`). A concurrent withdrawal by the same person (two
/// tabs) can make both say no: then it tries again.
///
/// # Errors
/// Whatever `explain` refuses with; a conflict if the race kept repeating.
pub fn endorse(
    uow: &mut dyn UnitOfWork,
    what: &'static str,
    add: impl Fn(&mut dyn UnitOfWork) -> Result<bool, RepoError>,
    explain: impl Fn(&mut dyn UnitOfWork) -> Result<bool, UseCaseError>,
) -> Result<(), UseCaseError> {
    for _ in 0..3 {
        if add(uow)? || explain(uow)? {
            return Ok(());
        }
    }
    Err(RepoError::Conflict(what).into())
}

/// Withdraws an endorsement; idempotent. One that existed proves the content does; only without one is
/// there a "not found" to decide (`exists` loads the content as the actor may see it).
///
/// # Errors
/// Whatever `exists` fails with.
pub fn withdraw(
    uow: &mut dyn UnitOfWork,
    remove: impl Fn(&mut dyn UnitOfWork) -> Result<bool, RepoError>,
    exists: impl Fn(&mut dyn UnitOfWork) -> Result<(), UseCaseError>,
) -> Result<(), UseCaseError> {
    if !remove(uow)? {
        exists(uow)?;
    }
    Ok(())
}
