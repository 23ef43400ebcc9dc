//! `Audience`: who receives a push.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Who receives a push.
///
/// Either filters (`phone_types`, `regions`, `tags`; a user must pass every filter given),
/// or an explicit list of `aliases` or `cids`, or `all_users: true`. Filters become Getui
/// conditions and can be scheduled; alias and cid lists are sent as list pushes when due.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    /// The document's kind; accepted here so a document can be read straight into this type.
    #[serde(rename = "kind", default, skip_serializing)]
    #[schemars(skip)]
    pub document_kind: Option<String>,
    /// Unique among audiences: lowercase letters, digits and `-`, at most 40 characters.
    #[serde(default)]
    #[schemars(example = &"zhejiang-shoppers")]
    pub name: String,
    /// Who this audience is, for reviewers; never sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"Shoppers in Zhejiang who did not opt out of promotions.")]
    pub description: Option<String>,
    /// Every user of the app. Must be said explicitly, so that a forgotten filter never
    /// turns into a push to everyone.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[schemars(example = true)]
    pub all_users: bool,
    /// Operating systems: `android`, `ios`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"any": ["android"]}))]
    pub phone_types: Option<Selector<PhoneType>>,
    /// Regions of China by Chinese name: provinces, with or without 省/市/自治区 (`浙江`, `上海市`), and prefecture-level cities (`广州`, `深圳市`, `延边朝鲜族自治州`). A name a province shares is the province (`吉林`); write the city in full (`吉林市`). Cities need REST API V2: the legacy protocol (a `getui` target, a legacy sandbox) takes provinces only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"any": ["浙江", "上海"]}))]
    pub regions: Option<Selector<String>>,
    /// Custom tags set by the app (`setTag`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"any": ["shopper"], "none": ["promo-opt-out"]}))]
    pub tags: Option<Selector<String>>,
    /// Users by alias: letters, digits, `_` or CJK, at most 40 UTF-8 bytes each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = ["vip-10086", "vip-10087"])]
    pub aliases: Option<Vec<String>>,
    /// Devices by Getui client id. Meant for test audiences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = ["de30c1d0000000000000000000000001"])]
    pub cids: Option<Vec<String>>,
}

/// How the values of one filter combine. When several are given, a user must pass each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(bound(deserialize = "T: Deserialize<'de>", serialize = "T: Serialize"))]
#[schemars(rename = "{T}Selector")]
pub struct Selector<T> {
    /// The user has at least one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any: Vec<T>,
    /// The user has every one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub all: Vec<T>,
    /// The user has none of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub none: Vec<T>,
}

impl<T> Default for Selector<T> {
    fn default() -> Self {
        Selector {
            any: Vec::new(),
            all: Vec::new(),
            none: Vec::new(),
        }
    }
}

impl<T> Selector<T> {
    pub fn is_empty(&self) -> bool {
        self.any.is_empty() && self.all.is_empty() && self.none.is_empty()
    }

    /// Every value named, whatever its combinator.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.any.iter().chain(&self.all).chain(&self.none)
    }
}

/// A phone's operating system.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
#[schemars(transparent)]
pub struct PhoneType(
    /// `android` or `ios`.
    #[schemars(extend("enum" = ["android", "ios"]))]
    pub String,
);

impl PhoneType {
    /// The valid spellings, lowercase as written in YAML.
    pub const KNOWN: [&'static str; 2] = ["android", "ios"];

    pub fn is_known(&self) -> bool {
        Self::KNOWN.contains(&self.0.as_str())
    }
}
