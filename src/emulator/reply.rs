//! The JSON of an answer: a tree most handlers build, or text the report handlers write
//! straight from their typed answers.
//!
//! A report call names up to 200 tasks, each with its counters by channel: thousands of
//! fields. Built as a `Value` tree, then written out, such an answer cost the emulator more
//! than the rest of the call, under the store's lock, and so slowed every client that
//! shares the sandbox. Text written once from the typed answer costs a fraction of that.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::getui::ResultCode;
use crate::getui::wire::ResultOnly;

#[derive(Debug)]
pub(crate) enum Reply {
    Tree(Value),
    Text(Box<RawValue>),
}

impl Reply {
    /// `answer` written as text; a typed answer always serializes, and a failure is the
    /// generic error result rather than a panic.
    pub(crate) fn text(answer: &impl Serialize) -> Reply {
        serde_json::value::to_raw_value(answer)
            .or_else(|_| {
                serde_json::value::to_raw_value(&ResultOnly {
                    result: ResultCode::OtherError,
                })
            })
            .map_or(Reply::Tree(Value::Null), Reply::Text)
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Reply::Tree(Value::Null))
    }

    /// Reads `T` from the reply, such as its result code for the request log.
    pub(crate) fn read<T: for<'de> Deserialize<'de>>(&self) -> Option<T> {
        match self {
            Reply::Tree(value) => T::deserialize(value).ok(),
            Reply::Text(text) => serde_json::from_str(text.get()).ok(),
        }
    }

    /// The body to send.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        match self {
            // A `Value` always serializes; the empty body only keeps this free of panics.
            Reply::Tree(value) => serde_json::to_vec(value).unwrap_or_default(),
            Reply::Text(text) => text.get().as_bytes().to_vec(),
        }
    }
}

impl From<Value> for Reply {
    fn from(value: Value) -> Reply {
        Reply::Tree(value)
    }
}

impl Serialize for Reply {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Reply::Tree(value) => value.serialize(serializer),
            Reply::Text(text) => text.serialize(serializer),
        }
    }
}
