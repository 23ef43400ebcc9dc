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
    /// may have been made for any target. A state made for another app that holds nothing
    /// (no task, list push, binding, history or open intent) is given to this app: nothing
    /// in it could be sent twice or lost, and refusing it would only trap the person who
    /// fixed a wrong app id. Returns what to tell them when that happened.
    pub async fn claim(&self, owner: Owner<'_>) -> Result<Option<String>, Error> {
        let snapshot = self.snapshot();
        let holds_nothing = is_empty(&snapshot) && self.open_intents().is_empty();
        let note = match stamp(&snapshot, owner, holds_nothing)? {
            Stamp::Kept => return Ok(None),
            Stamp::New => None,
            Stamp::Retied { from } => Some(format!(
                "the state of target `{}` was made for Getui app `{from}` but holds nothing: it now belongs to app `{}`",
                owner.target, owner.app_id
            )),
        };
        let mut state = State::clone(&snapshot);
        state.target = Some(owner.target.to_owned());
        state.app_id = Some(owner.app_id.to_owned());
        self.replace(state).await?;
        Ok(note)
    }
}

/// What a state needs to record its owner.
#[derive(Debug, PartialEq, Eq)]
enum Stamp {
    /// It records this owner already.
    Kept,
    /// It records no owner (or no app) yet.
    New,
    /// It was made for app `from`, and holds nothing: it changes hands.
    Retied { from: String },
}

/// What `state` needs to record `owner`; an error when it belongs to another. `holds_nothing`
/// says that neither the state nor its journal records anything done on Getui.
fn stamp(state: &State, owner: Owner<'_>, holds_nothing: bool) -> Result<Stamp, Error> {
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
        if holds_nothing {
            return Ok(Stamp::Retied {
                from: recorded.clone(),
            });
        }
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
    if state.target.is_none() || state.app_id.is_none() {
        Ok(Stamp::New)
    } else {
        Ok(Stamp::Kept)
    }
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
        let fresh = super::super::file::fresh();
        assert_eq!(stamp(&fresh, SANDBOX, true).ok(), Some(Stamp::New));
        let own = used(Some("sandbox"), Some("demo"));
        assert_eq!(stamp(&own, SANDBOX, false).ok(), Some(Stamp::Kept));
    }

    #[test]
    fn another_targets_or_apps_state_is_refused() {
        let production = used(Some("production"), Some("demo"));
        let error = stamp(&production, SANDBOX, false).unwrap_err();
        assert!(matches!(error, Error::OtherTarget { .. }), "{error}");
        let other_app = used(Some("sandbox"), Some("shop-2"));
        let error = stamp(&other_app, SANDBOX, false).unwrap_err();
        assert!(error.to_string().contains("`shop-2`"), "{error}");
        assert!(error.to_string().contains("nothing was planned"), "{error}");
    }

    #[test]
    fn another_apps_state_that_holds_nothing_changes_hands() {
        let mut empty = super::super::file::fresh();
        empty.target = Some("sandbox".to_owned());
        empty.app_id = Some("shop-2".to_owned());
        let from = "shop-2".to_owned();
        assert_eq!(
            stamp(&empty, SANDBOX, true).ok(),
            Some(Stamp::Retied { from })
        );
        // Another target's stays refused, empty or not: a shared `state.path` is the fix.
        empty.target = Some("production".to_owned());
        assert!(stamp(&empty, SANDBOX, true).is_err());
    }

    #[test]
    fn an_earlier_versions_state_is_never_guessed_into_a_target() {
        let error = stamp(&used(None, None), SANDBOX, false).unwrap_err();
        assert!(
            error.to_string().contains("gtcamp state assign --target"),
            "{error}"
        );
    }
}
