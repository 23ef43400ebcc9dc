//! Which target, and which Getui app, a state belongs to.
//!
//! Each target keeps its own state: the sandbox's task ids mean nothing to production, and a
//! binding made on the sandbox is not made on production. A state records the target and the
//! app id it was made for the first time it is used, and is refused afterwards for any other,
//! before anything is called. Earlier versions kept one state for every target and recorded
//! neither; such a state is never guessed into a target: the person says which, once, with
//! `gtcamp state assign --target NAME`.

use super::{Error, LockedState, State};

/// The target a run uses and the app id it reaches there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner<'a> {
    pub target: &'a str,
    pub app_id: &'a str,
}

impl LockedState {
    /// Records `owner` in a state that records none yet, or refuses a state made for another
    /// target or app. A state of an earlier version that holds anything is refused too: it
    /// may have been made for any target.
    pub async fn claim(&self, owner: Owner<'_>) -> Result<(), Error> {
        let snapshot = self.snapshot();
        if !needs_stamp(&snapshot, owner)? {
            return Ok(());
        }
        let mut state = State::clone(&snapshot);
        state.target = Some(owner.target.to_owned());
        state.app_id = Some(owner.app_id.to_owned());
        self.replace(state).await
    }
}

/// Whether `state` still has to record `owner`; an error when it belongs to another.
fn needs_stamp(state: &State, owner: Owner<'_>) -> Result<bool, Error> {
    if let Some(recorded) = &state.target
        && recorded != owner.target
    {
        return Err(Error::OtherTarget {
            recorded: recorded.clone(),
            wanted: owner.target.to_owned(),
        });
    }
    if let Some(recorded) = &state.app_id
        && recorded != owner.app_id
    {
        return Err(Error::OtherApp {
            target: owner.target.to_owned(),
            recorded: recorded.clone(),
            wanted: owner.app_id.to_owned(),
        });
    }
    if state.target.is_none() && !is_empty(state) {
        return Err(Error::Unassigned {
            target: owner.target.to_owned(),
        });
    }
    Ok(state.target.is_none() || state.app_id.is_none())
}

/// Whether a state records nothing done on Getui.
pub(crate) fn is_empty(state: &State) -> bool {
    state.tasks.is_empty()
        && state.bindings.is_empty()
        && state.fired.is_empty()
        && state.history.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::PhoneHash;
    use crate::state::TrackedBinding;

    const SANDBOX: Owner<'static> = Owner {
        target: "sandbox",
        app_id: "demo",
    };

    fn used(target: Option<&str>, app_id: Option<&str>) -> State {
        let mut state = super::super::file::fresh();
        state.target = target.map(str::to_owned);
        state.app_id = app_id.map(str::to_owned);
        let binding = TrackedBinding::new(PhoneHash("0".repeat(32)));
        state.bindings.insert("c-1".into(), binding);
        state
    }

    #[test]
    fn a_fresh_state_is_stamped_and_its_own_passes() {
        assert!(matches!(
            needs_stamp(&super::super::file::fresh(), SANDBOX),
            Ok(true)
        ));
        assert!(matches!(
            needs_stamp(&used(Some("sandbox"), Some("demo")), SANDBOX),
            Ok(false)
        ));
    }

    #[test]
    fn another_targets_or_apps_state_is_refused() {
        let production = used(Some("production"), Some("demo"));
        let error = needs_stamp(&production, SANDBOX).unwrap_err();
        assert!(matches!(error, Error::OtherTarget { .. }), "{error}");
        let other_app = used(Some("sandbox"), Some("shop-2"));
        let error = needs_stamp(&other_app, SANDBOX).unwrap_err();
        assert!(error.to_string().contains("`shop-2`"), "{error}");
        assert!(error.to_string().contains("nothing was planned"), "{error}");
    }

    #[test]
    fn an_earlier_versions_state_is_never_guessed_into_a_target() {
        let error = needs_stamp(&used(None, None), SANDBOX).unwrap_err();
        assert!(
            error.to_string().contains("gtcamp state assign --target"),
            "{error}"
        );
    }
}
