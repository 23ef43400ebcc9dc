//! The users file (`gtcamp emulator --users FILE`): who is in the emulated app.
//!
//! JSON or YAML (chosen by extension: `.json` is JSON, anything else YAML):
//!
//! ```yaml
//! users:
//!   - cid: cid-android-zj-1          # required
//!     phone_type: ANDROID           # ANDROID (default) or IOS
//!     region: 浙江省                 # a province, or a prefecture-level city (杭州市)
//!     tags: [vip, new]
//!     alias: alice                  # at most 10 cids per alias
//!     pn: 0123456789abcdef0123456789abcdef  # md5 of the phone number
//!     pn_level: 2                   # binding level (default 1 = API level)
//!     activity: 80                  # how active (default 0)
//!     online: true                  # default false
//!     maker: vv                     # Android only: hw, ho, xm, op, vv, mz or other
//!     app_id: other-app             # default: the emulator's app
//! ```
//!
//! `maker` is the phone's maker, by Getui's vendor code: it decides which maker's channel
//! reaches the device when Getui's own connection does not (see `delivery`). An Android
//! device without one is `other`: a maker without a channel of its own (or one Getui does
//! not integrate), so it is reached only over Getui's channel while online. An iOS device
//! has no maker (APNs reaches it), and one that names a maker is refused rather than
//! silently ignored.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::getui::vendor::Vendor;

/// One user of the users file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSeed {
    pub cid: String,
    #[serde(default)]
    pub app_id: Option<String>,
    #[serde(default = "default_phone_type")]
    pub phone_type: String,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub alias: Option<String>,
    #[serde(default)]
    pub pn: Option<String>,
    #[serde(default = "default_pn_level")]
    pub pn_level: u8,
    #[serde(default)]
    pub activity: u32,
    #[serde(default)]
    pub online: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maker: Option<Maker>,
}

/// The maker of an Android device, by Getui's vendor code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Maker {
    Hw,
    Ho,
    Xm,
    Op,
    Vv,
    Mz,
    /// Any other maker: no vendor channel, Getui's own only.
    Other,
}

impl Maker {
    /// Every maker, in [`Vendor`] order, `Other` last.
    pub const ALL: [Maker; 7] = [
        Maker::Hw,
        Maker::Ho,
        Maker::Xm,
        Maker::Op,
        Maker::Vv,
        Maker::Mz,
        Maker::Other,
    ];

    /// The vendor channel of the maker; `None` for `Other`.
    pub fn vendor(self) -> Option<Vendor> {
        match self {
            Maker::Hw => Some(Vendor::Hw),
            Maker::Ho => Some(Vendor::Ho),
            Maker::Xm => Some(Vendor::Xm),
            Maker::Op => Some(Vendor::Op),
            Maker::Vv => Some(Vendor::Vv),
            Maker::Mz => Some(Vendor::Mz),
            Maker::Other => None,
        }
    }

    /// The code written in the users file and the store (`hw`, …, `other`).
    pub fn code(self) -> &'static str {
        self.vendor().map_or("other", Vendor::strategy_key)
    }

    /// The maker of `code`, as [`Maker::code`] writes it.
    pub fn of_code(code: &str) -> Option<Maker> {
        Maker::ALL.into_iter().find(|maker| maker.code() == code)
    }

    /// The maker a device has: none on iOS, `given` or else [`Maker::Other`] on Android.
    pub fn of_device(phone_type: &str, given: Option<Maker>) -> Option<Maker> {
        if is_ios(phone_type) {
            None
        } else {
            Some(given.unwrap_or(Maker::Other))
        }
    }
}

/// Whether a phone type is iOS (Getui writes `IOS`; conditions compare without case).
pub(crate) fn is_ios(phone_type: &str) -> bool {
    phone_type.eq_ignore_ascii_case("IOS")
}

impl UserSeed {
    /// A user of the emulator's own app with nothing but a cid.
    pub fn new(cid: impl Into<String>) -> UserSeed {
        UserSeed {
            cid: cid.into(),
            app_id: None,
            phone_type: default_phone_type(),
            region: None,
            tags: Vec::new(),
            alias: None,
            pn: None,
            pn_level: default_pn_level(),
            activity: 0,
            online: false,
            maker: None,
        }
    }
}

fn default_phone_type() -> String {
    "ANDROID".to_owned()
}

fn default_pn_level() -> u8 {
    1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UsersFile {
    users: Vec<UserSeed>,
}

/// Why the users file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("cannot read users file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("users file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("users file {path}: cid `{cid}` appears twice")]
    DuplicateCid { path: PathBuf, cid: String },
}

/// Reads a users file (format in the module docs).
pub fn load_users(path: &Path) -> Result<Vec<UserSeed>, SeedError> {
    let text = std::fs::read_to_string(path).map_err(|source| SeedError::Read {
        path: path.to_owned(),
        source,
    })?;
    let is_json = path.extension().is_some_and(|ext| ext == "json");
    let parsed: Result<UsersFile, String> = if is_json {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        serde_saphyr::from_str(&text).map_err(|e| e.to_string())
    };
    let users = parsed
        .map_err(|message| SeedError::Parse {
            path: path.to_owned(),
            message,
        })?
        .users;
    let mut seen = std::collections::HashSet::new();
    for user in &users {
        if user.cid.trim().is_empty() {
            return Err(SeedError::Parse {
                path: path.to_owned(),
                message: "a user has an empty cid".into(),
            });
        }
        if user.maker.is_some() && is_ios(&user.phone_type) {
            return Err(SeedError::Parse {
                path: path.to_owned(),
                message: format!(
                    "iOS device `{}` names a maker; only Android devices have one",
                    user.cid
                ),
            });
        }
        if !seen.insert(user.cid.as_str()) {
            return Err(SeedError::DuplicateCid {
                path: path.to_owned(),
                cid: user.cid.clone(),
            });
        }
    }
    Ok(users)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_file_reads_yaml_with_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users.yaml");
        std::fs::write(
            &path,
            "users:\n  - cid: a\n    region: 浙江省\n    tags: [vip]\n  - cid: b\n    phone_type: IOS\n",
        )
        .unwrap();
        let users = load_users(&path).unwrap();
        assert_eq!(users.len(), 2);
        assert_eq!(users[0].phone_type, "ANDROID");
        assert_eq!(users[0].pn_level, 1);
        assert_eq!(users[1].phone_type, "IOS");
    }

    #[test]
    fn users_file_reads_makers_and_refuses_one_on_ios() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users.yaml");
        std::fs::write(&path, "users:\n  - cid: a\n    maker: vv\n  - cid: b\n").unwrap();
        let users = load_users(&path).unwrap();
        assert_eq!(users[0].maker, Some(Maker::Vv));
        assert_eq!(
            Maker::of_device(&users[1].phone_type, users[1].maker),
            Some(Maker::Other)
        );
        assert_eq!(Maker::of_device("IOS", None), None);
        std::fs::write(
            &path,
            "users:\n  - cid: a\n    phone_type: IOS\n    maker: hw\n",
        )
        .unwrap();
        let err = load_users(&path).unwrap_err().to_string();
        assert!(err.contains("names a maker"), "{err}");
        std::fs::write(&path, "users:\n  - cid: a\n    maker: nokia\n").unwrap();
        assert!(load_users(&path).is_err());
    }

    #[test]
    fn users_file_rejects_unknown_keys_and_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users.json");
        std::fs::write(&path, r#"{"users":[{"cid":"a","colour":"red"}]}"#).unwrap();
        let err = load_users(&path).unwrap_err().to_string();
        assert!(err.contains("colour"), "{err}");
        std::fs::write(&path, r#"{"users":[{"cid":"a"},{"cid":"a"}]}"#).unwrap();
        let err = load_users(&path).unwrap_err().to_string();
        assert!(err.contains("appears twice"), "{err}");
    }
}
