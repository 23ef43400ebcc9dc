//! The Getui push protocol: the [`PushApi`] trait and its legacy implementation.
//!
//! This is the only module that knows Getui's wire field names ([`wire`]), result codes
//! ([`codes`]) and the protobuf carried in `clientData` ([`proto`]). The emulator builds on
//! these types; nothing here knows about campaigns or YAML.

pub mod api;
pub mod apns;
pub mod client_data;
pub mod codes;
pub mod error;
pub mod legacy;
pub mod proto;
pub mod sign;
pub mod task_read;
pub mod template;
pub mod wire;

pub use api::PushApi;
pub use codes::{CidPnCode, ResultCode};
pub use error::Error;
pub use legacy::{LegacyClient, LegacyConfig};
pub use sign::{Secret, connect_sign, phone_hash};
pub use task_read::TaskRead;
