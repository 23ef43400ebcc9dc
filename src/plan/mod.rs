//! Plan: desired × recorded × remote → the changes an apply will make.
//!
//! [`refresh`] asks Getui about every task state tracks; [`diff`] is a pure function from
//! the desired state, the recorded state and that refresh to a [`Plan`]. [`saved`] writes a
//! plan to a file and tells whether it is still fresh. Rendering lives in `render/` and never
//! decides anything.
//!
//! # Decision table
//!
//! What [`diff`] plans for one occurrence key. *Desired* is what compile made of the
//! workspace: the campaign, and the occurrence's [`Timing`](crate::compile::Timing) and
//! fingerprint. *Recorded* is state. *Remote* is what refresh found (it asks only about
//! tracked tasks; *not asked* is `--refresh=false`, or a key refresh has no answer for). In
//! each table the first row that matches decides. `plan/tests/diff.rs` runs these tables row
//! by row, and fails if its rows and these part ways.
//!
//! A task state tracks (it recorded a task id for the key):
//!
//! | # | desired | recorded | remote | action (reason) | note |
//! |---|---|---|---|---|---|
//! | T1 | any | tracked | unreachable | none: left alone | `Unreachable` |
//! | T2 | any | tracked | sent | `Forget` (`ForgetBecauseSent`) | `AlreadySent` |
//! | T3 | any | tracked | failed | `Forget` (`ForgetBecauseFailed`) | drift: moved to history, not sent again |
//! | T4 | any | tracked, push time passed | deleted | `Forget` (`ForgetBecauseDeletedRemotely`) | |
//! | T5 | any | tracked, push time passed | not asked, in sync, changed | `Forget` (`ForgetBecausePast`) | |
//! | T6 | schedulable | tracked | deleted | `Create` (`CreateBecauseDeletedOutOfBand`) | drift: created again |
//! | T7 | anything else | tracked | deleted | `Forget` (`ForgetBecauseDeletedRemotely`) | drift: forgotten, not created again |
//! | T8 | schedulable, any fingerprint | tracked | changed | `DeleteThenCreate` (`ReplaceBecauseChangedRemotely`) | drift: …; replaced |
//! | T9 | inside lead time, any fingerprint | tracked | changed | `Delete` (`DeleteBecauseChangedInsideLeadTime`) | drift: …; cancelled |
//! | T10 | deferred, any fingerprint | tracked | changed | `Delete` (`DeleteBecauseChangedAndDeferred`) | drift: …; cancelled |
//! | T11 | campaign removed | tracked | changed | `Delete` (`DeleteBecauseRemovedFromConfig`) | drift: …; cancelled |
//! | T12 | campaign disabled | tracked | changed | `Delete` (`DeleteBecauseCampaignDisabled`) | drift: …; cancelled |
//! | T13 | no longer scheduled | tracked | changed | `Delete` (`DeleteBecauseNoLongerScheduled`) | drift: …; cancelled |
//! | T14 | campaign removed | tracked | not asked, in sync | `Delete` (`DeleteBecauseRemovedFromConfig`) | |
//! | T15 | campaign disabled | tracked | not asked, in sync | `Delete` (`DeleteBecauseCampaignDisabled`) | |
//! | T16 | no longer scheduled | tracked | not asked, in sync | `Delete` (`DeleteBecauseNoLongerScheduled`) | |
//! | T17 | schedulable, inside lead time or deferred, same fingerprint | tracked | not asked, in sync | none: left as it is | |
//! | T18 | schedulable, new fingerprint, same push time | tracked | not asked, in sync | `DeleteThenCreate` (`ReplaceBecauseContentChanged`) | |
//! | T19 | schedulable, new fingerprint, new push time | tracked | not asked, in sync | `DeleteThenCreate` (`ReplaceBecauseTimeChanged`) | |
//! | T20 | inside lead time, new fingerprint | tracked | not asked, in sync | `Delete` (`DeleteBecauseChangedInsideLeadTime`) | `InsideLeadTime` |
//! | T21 | deferred, new fingerprint | tracked | not asked, in sync | `Delete` (`DeleteBecauseChangedAndDeferred`) | `Deferred` |
//! | T22 | campaign `Removed` with `cancel: false` | tracked | not asked, in sync, changed | `Release` (`ReleaseBecauseRemoved`) | |
//!
//! Before these tables, the pending renames (`Moved`) are followed on a copy of state
//! ([`renames::follow`]): a task tracked under an old campaign name is judged under its new
//! key, so a rename with nothing else changed plans only the rename. Protection changes
//! ([`renames::protection`]) are planned after the tables, and a partial plan
//! ([`select::select`]) keeps only its campaigns' changes.
//!
//! *No longer scheduled*: the campaign is enabled but compiles no occurrence with this key,
//! or compiles it as past or as a list push (which the next table then plans as well).
//! *Anything else* (T7): every desired side but schedulable. *Changed* drift notes start
//! with what refresh found different, such as `push time moved`.
//!
//! A desired occurrence state does not track, and every list push (the remote is not asked
//! about these). *Sent* means state's history or its fired list pushes hold the key;
//! *fired* means the fired list pushes do:
//!
//! | # | desired | recorded | remote | action (reason) | note |
//! |---|---|---|---|---|---|
//! | U1 | campaign disabled | not tracked | not asked | none | |
//! | U2 | schedulable, within `APPLY_PERIOD` (a day) of the push-ahead window's far edge | not sent; its campaign applied while it lay beyond the window | not asked | `Create` (`CreateBecauseNowInWindow`) | |
//! | U3 | schedulable | not sent | not asked | `Create` (`CreateBecauseNew`) | |
//! | U4 | schedulable | sent | not asked | none | `AlreadySent` |
//! | U5 | deferred | not tracked | not asked | none | `Deferred` |
//! | U6 | inside lead time | not tracked | not asked | none | `InsideLeadTime` |
//! | U7 | past | not sent | not asked | none | `PastOccurrenceSkipped` |
//! | U8 | past | sent | not asked | none | |
//! | U9 | list push due | not fired | not asked | `Fire` (`FireBecauseDue`) | |
//! | U10 | list push due | fired | not asked | none | |
//! | U11 | list push missed | not fired | not asked | `RecordMissed` (`MissedBecauseGraceWindowPassed`) | `Missed` |
//! | U12 | list push missed | fired | not asked | none | |
//! | U13 | list push not yet due | not tracked | not asked | none | |
//!
//! A disabled campaign is also noted once (`CampaignDisabled`), whatever it had scheduled.
//!
//! Phone bindings, by cid (never refreshed):
//!
//! | # | desired | recorded | action |
//! |---|---|---|---|
//! | B1 | a phone hash | not bound | `Bind` |
//! | B2 | a phone hash | bound to another hash | `Rebind` |
//! | B3 | a phone hash | bound to this hash | none |
//! | B4 | none | bound | `Unbind` |

pub mod budget;
pub(crate) mod diff;
mod estimate;
mod model;
mod refresh;
pub mod renames;
pub mod render;
pub mod saved;
pub mod select;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

pub use budget::{OverLimit, PushBudget};
pub use diff::diff;
pub use estimate::estimate;
pub use model::*;
pub use refresh::refresh;
pub use saved::{Stale, check_fresh};

use crate::compile::OccurrenceKey;

/// What Getui said about each tracked task.
#[derive(Debug, Clone, Default)]
pub struct Refresh {
    pub tasks: BTreeMap<OccurrenceKey, RemoteView>,
}

/// One tracked task as Getui sees it, compared with state.
#[derive(Debug, Clone, PartialEq)]
pub enum RemoteView {
    InSync,
    DeletedRemotely,
    AlreadySent,
    Failed,
    /// Getui holds it with another push time or content; `what` says which, for the reviewer.
    ChangedRemotely {
        what: String,
    },
    /// Getui could not be asked; the plan leaves the task alone and says so.
    Unreachable {
        error: String,
    },
}

/// What diff needs besides the three states.
#[derive(Debug, Clone)]
pub struct DiffContext {
    pub now: DateTime<Utc>,
    pub meta: PlanMeta,
    /// The target's `max_push_ahead` (the same value compile used). Display only: a create
    /// whose push time is within `diff::APPLY_PERIOD` of the window's far edge is shown as
    /// "now inside the window" rather than "new".
    pub max_push_ahead: chrono::Duration,
}
