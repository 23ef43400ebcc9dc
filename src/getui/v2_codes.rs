//! REST API V2 result codes: the `code` of every answer's envelope. Read them as
//! `getui::v2::codes` (this leaf sits beside `error`, which names them, to keep `getui`'s
//! modules free of cycles).
//!
//! The table is Getui's V2 code page (基础返回码, 10000 权限相关, 20000 参数相关, 30000
//! 套餐相关) as far as gtcamp reads it, one row a code, each with where it is known from
//! ([`Code::source`], letters as in `getui-protocol.md` F.7):
//!
//! | letter | source |
//! | --- | --- |
//! | T | Getui's error table, as mirrored in `dcloudio/unidocs-zh` `docs/uniCloud/uni-cloud-push/api.md` (before Dec 2023) |
//! | J | the official Java SDK, `GetuiLaboratory/getui-pushapi-java-client-v2` |
//! | P | the official PHP SDK, `GetuiLaboratory/getui-pushapi-php-client-v2` |
//! | L | live answers pasted by `suxianjia/xianjia_getui_sdk` `demo/*.php` (July 2025; one source) |
//!
//! A code not in the table is kept as it came ([`Code::Other`]), so an error message can
//! always quote what the server said. The enum serializes to the bare number, so the
//! emulator answers with the same type the client reads. [`Code::http_status`] is the HTTP
//! status each code goes out with \[T\].
//!
//! Two readings matter for "never send twice":
//!
//! - A task that does not exist: Getui answers GET and DELETE `/task/schedule/{id}` of a
//!   deleted or unknown task with 20001 and the sentence "taskid is invalid or taskid is
//!   deleted" \[L\]. Only that sentence under that code means gone ([`means_no_such_task`]);
//!   20001 is also every other bad parameter.
//! - 22002 is "task invalid or schedule time invalid" \[T\]. Nothing shows Getui answering
//!   it to a read, so on a read it proves nothing: taking it for "gone" would make gtcamp
//!   create a live task again, and the push would go out twice. It stays a refusal.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! v2_codes {
    ($($variant:ident => $wire:literal, $meaning:literal, $source:literal;)*) => {
        /// A V2 result code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code {
            $(#[doc = concat!($meaning, " (source: ", $source, ")")] $variant,)*
            /// A code not in the table, kept as it came.
            Other(i64),
        }

        impl Code {
            /// The number on the wire.
            pub fn as_i64(self) -> i64 {
                match self {
                    $(Code::$variant => $wire,)*
                    Code::Other(code) => code,
                }
            }

            /// What the code means, in plain words.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)*
                    Code::Other(_) => "a REST V2 code gtcamp does not know",
                }
            }

            /// Where the code and its meaning are known from: letters of the module doc's
            /// table (`"T"`, `"J P"`, …), or `""` for a code not in it.
            pub fn source(self) -> &'static str {
                match self {
                    $(Code::$variant => $source,)*
                    Code::Other(_) => "",
                }
            }

            /// Reads a wire number; unknown numbers become [`Code::Other`].
            pub fn from_i64(code: i64) -> Code {
                match code {
                    $($wire => Code::$variant,)*
                    other => Code::Other(other),
                }
            }
        }
    };
}

v2_codes! {
    Success => 0, "success", "T";
    Failed => 1, "failed: the body is not the JSON the call expects", "T";
    Starting => 2, "the service is starting; wait", "T";
    WrongHost => 301, "wrong domain for this app id: switch to the hosts in `host_list`", "J P";
    NotFound => 404, "wrong URL path", "T";
    MethodNotAllowed => 405, "the call does not take this HTTP method", "T";
    TokenInvalid => 10001, "the token is wrong or expired", "T";
    Blacklisted => 10002, "the app id or the caller's IP is blacklisted", "T";
    AuthFlowLimit => 10003, "too many `/auth` calls this minute", "T";
    NoDetailPermission => 10004, "no permission to read message details", "T";
    FlowLimit => 10005, "too many calls this minute", "T";
    InvalidParameter => 20001, "a parameter is invalid, missing, of the wrong type or too long (also a wrong `/auth` sign, and a task id that names no task)", "T L";
    ScheduleAlreadyRun => 22001, "the scheduled task has run, or fires within a minute, and cannot be deleted", "T";
    InvalidTaskOrTime => 22002, "the task is invalid or its schedule time is invalid", "T";
    TagOperationFailed => 23001, "the tag operation failed", "T";
    NoFastCustomTagPermission => 30000, "no permission to push by fast_custom_tag", "T";
    NoCustomTagPermission => 30001, "no permission to change or delete custom tags", "T";
    FeatureNotEnabled => 30002, "a feature this call needs is not enabled for the app id (such as `schedule_time`, a VIP feature)", "T";
    NoTagPushPermission => 30003, "no permission for push/tag, or the tag is invalid", "T";
    TagDailyLimit => 30004, "the daily number of tag pushes is spent", "T";
    TagTooLong => 30005, "a tag is too long (under 32 characters)", "T";
    FastCustomTagDailyLimit => 30006, "the daily number of fast_custom_tag pushes is spent", "T";
    AllDailyLimit => 30007, "the daily number of push/all pushes is spent", "T";
    ListDailyLimit => 30008, "the daily number of list pushes is spent", "T";
    PushDailyLimit => 30009, "the daily number of pushes is spent", "T";
    TagPushDailyLimit => 30010, "the daily number of push/tag pushes (shared with push/all) is spent", "T";
    SetTagDailyLimit => 30011, "the daily number of tag settings is spent", "T";
    TagChangeFlowLimit => 30012, "too many tag changes this minute", "T";
    FastCustomTagFlowLimit => 30013, "too many fast_custom_tag pushes this minute", "T";
    AppPushFlowLimit => 30014, "too many app pushes this minute", "T";
    ListPushFlowLimit => 30015, "too many list pushes this minute", "T";
    TooManyTags => 30016, "push/tag names too many tags", "T";
    NoSingleReportPermission => 30017, "no permission to read single-push reports", "T";
    SingleReportFlowLimit => 30018, "too many single-push report reads this minute", "T";
    Busy => 30019, "the system is busy; try again later", "T";
}

impl Code {
    pub fn is_success(self) -> bool {
        self == Code::Success
    }

    /// A per-minute limit or a busy server: the request was refused, not applied, and the
    /// same request may succeed a little later. Daily limits are not here: waiting seconds
    /// does not refill them.
    pub fn is_flow_limit(self) -> bool {
        matches!(
            self,
            Code::Starting
                | Code::AuthFlowLimit
                | Code::FlowLimit
                | Code::TagChangeFlowLimit
                | Code::FastCustomTagFlowLimit
                | Code::AppPushFlowLimit
                | Code::ListPushFlowLimit
                | Code::SingleReportFlowLimit
                | Code::Busy
        )
    }

    /// The HTTP status Getui sends the code with \[T\]: 401 for 1xxxx, 400 for 2xxxx, 403
    /// for 3xxxx; 200 for the rest (success, 1, 2, and 301, which the SDKs read from a 200
    /// \[J\]\[P\]).
    pub fn http_status(self) -> u16 {
        match self.as_i64() {
            10_000..=19_999 => 401,
            20_000..=29_999 => 400,
            30_000..=39_999 => 403,
            _ => 200,
        }
    }

    /// Whether Getui refused the token, which only the app key and master secret get
    /// (10001). A refused sign on `/auth` comes as 20001 and is read where `/auth` is
    /// called; a blacklist (10002) is not about the credentials.
    pub fn refuses_credentials(self) -> bool {
        self == Code::TokenInvalid
    }
}

/// Getui's sentence for a task id that names no task (any more) \[L\].
pub const NO_SUCH_TASK_MSG: &str = "taskid is invalid or taskid is deleted";

/// Getui's sentence for a refused `/auth` sign \[L\].
pub const INVALID_SIGN_MSG: &str = "sign is invalid";

/// Whether Getui's answer to a task read or delete says the task does not exist: code 20001
/// with [`NO_SUCH_TASK_MSG`], in any case and spacing, and a final full stop allowed. Any
/// other 20001 is a bad request, and any other code (22002 included, see the module doc)
/// proves nothing about the task.
pub fn means_no_such_task(code: Code, msg: &str) -> bool {
    code == Code::InvalidParameter && same_sentence(msg, NO_SUCH_TASK_MSG)
}

/// `said` is `sentence` but for case, spacing and a final full stop.
fn same_sentence(said: &str, sentence: &str) -> bool {
    let said = said.trim().trim_end_matches(['.', '。']);
    let words = |text: &str| {
        text.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    words(said) == words(sentence)
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_i64())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.as_i64())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::getui::lenient::i64(deserializer).map(Code::from_i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn codes_round_trip_known_and_unknown_numbers() {
        for wire in [0, 301, 10001, 10005, 22002, 30014, 424242] {
            let code: Code = serde_json::from_value(json!(wire)).unwrap();
            assert_eq!(serde_json::to_value(code).unwrap(), json!(wire));
        }
        let text: Code = serde_json::from_value(json!("10001")).unwrap();
        assert_eq!(text, Code::TokenInvalid);
        assert_eq!(Code::from_i64(424242), Code::Other(424242));
    }

    #[test]
    fn every_known_code_names_its_source_and_goes_out_with_its_documented_status() {
        for wire in [0, 1, 2, 301, 404, 405, 10001, 20001, 22002, 30002, 30019] {
            let code = Code::from_i64(wire);
            assert!(!code.source().is_empty(), "{wire}");
            assert!(code.meaning() != Code::Other(0).meaning(), "{wire}");
        }
        assert_eq!(Code::Other(7).source(), "");
        let statuses: Vec<u16> = [0, 1, 2, 301, 404, 405, 10001, 10005, 20001, 22002, 30002]
            .into_iter()
            .map(|wire| Code::from_i64(wire).http_status())
            .collect();
        assert_eq!(
            statuses,
            [200, 200, 200, 200, 200, 200, 401, 401, 400, 400, 403]
        );
    }

    #[test]
    fn only_getuis_own_sentence_under_20001_says_a_task_is_gone() {
        let gone = Code::InvalidParameter;
        for msg in [
            "taskid is invalid or taskid is deleted",
            "  TaskId is invalid or  taskid is deleted. ",
            "taskid is invalid\tor taskid is deleted",
        ] {
            assert!(means_no_such_task(gone, msg), "{msg:?}");
        }
        for msg in [
            "",
            "taskid is invalid",
            "request_id is invalid or taskid is deleted",
            "taskid is invalid or taskid is deleted, and more",
            "sign is invalid",
        ] {
            assert!(!means_no_such_task(gone, msg), "{msg:?}");
        }
        for code in [
            Code::InvalidTaskOrTime,
            Code::ScheduleAlreadyRun,
            Code::Other(20002),
        ] {
            assert!(!means_no_such_task(code, NO_SUCH_TASK_MSG), "{code}");
        }
    }

    #[test]
    fn only_per_minute_limits_are_worth_waiting_for() {
        assert!(Code::FlowLimit.is_flow_limit());
        assert!(Code::AppPushFlowLimit.is_flow_limit());
        assert!(!Code::AllDailyLimit.is_flow_limit());
        assert!(!Code::InvalidParameter.is_flow_limit());
    }
}
