//! Authentication material: the [`Secret`] wrapper and the md5 `connect` sign (A.6).
//!
//! The client signs with these and the emulator checks with the same function, so the two can
//! never disagree about the formula.

use std::fmt;

use md5::{Digest, Md5};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value that must never be printed: the master secret or an auth token.
///
/// `Debug` and `Display` print `***`; the only way to the text is [`Secret::expose`], which
/// names the intent at every call site. It serializes as the plain string because the wire
/// needs it (the `authToken` request field).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret text, for signing or for the wire only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string (no token yet).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_owned())
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::getui::lenient::string(deserializer).map(Secret)
    }
}

/// The `connect` sign: lower-case hex md5 of `app_key + timestamp_ms + master_secret` (A.6).
///
/// # Example
///
/// ```
/// use gtcamp::getui::{connect_sign, Secret};
/// let sign = connect_sign("APPKEY", 1_700_000_000_000, &Secret::new("MASTER"));
/// assert_eq!(sign.len(), 32);
/// ```
pub fn connect_sign(app_key: &str, timestamp_ms: i64, master_secret: &Secret) -> String {
    let mut md5 = Md5::new();
    md5.update(app_key.as_bytes());
    md5.update(timestamp_ms.to_string().as_bytes());
    md5.update(master_secret.expose().as_bytes());
    hex::encode(md5.finalize())
}

/// The md5 of a phone number as Getui expects it for cid–pn binding (32 lower-case hex).
pub fn phone_hash(phone: &str) -> String {
    hex::encode(Md5::digest(phone.trim().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_sign_is_md5_of_key_time_and_secret() {
        // md5("k" + "1" + "s") = md5("k1s")
        let expected = hex::encode(Md5::digest(b"k1s"));
        assert_eq!(connect_sign("k", 1, &Secret::new("s")), expected);
        assert_eq!(
            connect_sign("APPKEY", 1_425_462_022_000, &Secret::new("MS")),
            hex::encode(Md5::digest(b"APPKEY1425462022000MS"))
        );
    }

    #[test]
    fn secret_never_prints_its_value() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?} {secret}"), "*** ***");
    }
}
