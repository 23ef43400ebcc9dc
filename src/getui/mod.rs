//! The Getui push protocol: the [`PushApi`] trait and its two implementations, legacy and
//! REST V2 ([`v2`]).
//!
//! This is the only module that knows Getui's wire field names ([`wire`]), result codes
//! ([`codes`]) and the protobuf carried in `clientData` ([`proto`]). The emulator builds on
//! these types; nothing here knows about campaigns or YAML.

pub mod api;
pub mod apns;
pub mod client_data;
pub mod codes;
pub mod conditions;
pub mod error;
pub mod legacy;
pub mod lenient;
pub mod limits;
pub mod proto;
pub mod regions;
pub(crate) mod retry;
pub mod sign;
pub mod task_read;
pub mod template;
pub mod v2;
pub mod v2_codes;
pub mod vendor;
pub mod vendor_rules;
pub mod wire;

pub use api::PushApi;
pub use codes::{CidPnCode, ResultCode};
pub use error::Error;
pub use legacy::{LegacyClient, LegacyConfig};
pub use limits::{Limits, PushKind};
pub use regions::region_name;
pub use retry::RetryLimits;
pub use sign::{Secret, connect_sign, phone_hash};
pub use task_read::TaskRead;
pub use v2::{V2Client, V2Config};

/// How far ahead Getui accepts a scheduled task by default (`定时任务…7天内`). Targets may
/// narrow it with `max_push_ahead`; every default in gtcamp and the emulator is this one.
pub const MAX_PUSH_AHEAD: chrono::Duration = chrono::Duration::days(7);
