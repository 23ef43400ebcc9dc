//! REST API V2 result codes: the `code` of every answer's envelope. Read them as
//! `getui::v2::codes` (this leaf sits beside `error`, which names them, to keep `getui`'s
//! modules free of cycles).
//!
//! The table is Getui's V2 code page (基础返回码, 10000 权限相关, 20000 参数相关, 30000
//! 套餐相关) as far as gtcamp reads it. A code not in it is kept as it came
//! ([`Code::Other`]), so an error message can always quote what the server said. The enum
//! serializes to the bare number, so the emulator answers with the same type the client reads.
//!
//! One reading is gtcamp's own: Getui documents 22002 as "任务无效或定时任务时间不合法" (task
//! invalid, or an invalid schedule time). A task read or delete carries no time, so on those
//! calls gtcamp takes 22002 to mean the task does not exist ([`Code::means_no_such_task`]);
//! on a create it stays a refusal of the time.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! v2_codes {
    ($($variant:ident => $wire:literal, $meaning:literal;)*) => {
        /// A V2 result code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code {
            $(#[doc = $meaning] $variant,)*
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
    Success => 0, "success";
    Failed => 1, "failed: the body is not the JSON the call expects";
    Starting => 2, "the service is starting; wait";
    WrongHost => 301, "wrong domain for this app id: switch to the hosts in `host_list`";
    NotFound => 404, "wrong URL path";
    MethodNotAllowed => 405, "the call does not take this HTTP method";
    TokenInvalid => 10001, "the token is wrong or expired";
    Blacklisted => 10002, "the app id or the caller's IP is blacklisted";
    AuthFlowLimit => 10003, "too many `/auth` calls this minute";
    NoDetailPermission => 10004, "no permission to read message details";
    FlowLimit => 10005, "too many calls this minute";
    InvalidParameter => 20001, "a parameter is invalid, missing, of the wrong type or too long";
    ScheduleAlreadyRun => 22001, "the scheduled task has already run and cannot be deleted";
    InvalidTaskOrTime => 22002, "the task is invalid (does not exist) or the schedule time is invalid";
    TagOperationFailed => 23001, "the tag operation failed";
    NoFastCustomTagPermission => 30000, "no permission to push by fast_custom_tag";
    NoCustomTagPermission => 30001, "no permission to change or delete custom tags";
    NoSchedulePermission => 30002, "no permission to create scheduled tasks";
    NoTagPushPermission => 30003, "no permission for push/tag, or the tag is invalid";
    TagDailyLimit => 30004, "the daily number of tag pushes is spent";
    TagTooLong => 30005, "a tag is too long (under 32 characters)";
    FastCustomTagDailyLimit => 30006, "the daily number of fast_custom_tag pushes is spent";
    AllDailyLimit => 30007, "the daily number of push/all pushes is spent";
    ListDailyLimit => 30008, "the daily number of list pushes is spent";
    PushDailyLimit => 30009, "the daily number of pushes is spent";
    TagPushDailyLimit => 30010, "the daily number of push/tag pushes (shared with push/all) is spent";
    SetTagDailyLimit => 30011, "the daily number of tag settings is spent";
    TagChangeFlowLimit => 30012, "too many tag changes this minute";
    FastCustomTagFlowLimit => 30013, "too many fast_custom_tag pushes this minute";
    AppPushFlowLimit => 30014, "too many app pushes this minute";
    ListPushFlowLimit => 30015, "too many list pushes this minute";
    TooManyTags => 30016, "push/tag names too many tags";
    NoSingleReportPermission => 30017, "no permission to read single-push reports";
    SingleReportFlowLimit => 30018, "too many single-push report reads this minute";
    Busy => 30019, "the system is busy; try again later";
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

    /// Whether, answering a task read or delete, Getui says the task does not exist. See the
    /// module doc for why 22002 is read so; any other refusal proves nothing about the task.
    pub fn means_no_such_task(self) -> bool {
        self == Code::InvalidTaskOrTime
    }

    /// Whether Getui refused the credentials (the app key, the sign or the caller).
    pub fn refuses_credentials(self) -> bool {
        matches!(self, Code::TokenInvalid | Code::Blacklisted)
    }
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
    fn only_per_minute_limits_are_worth_waiting_for() {
        assert!(Code::FlowLimit.is_flow_limit());
        assert!(Code::AppPushFlowLimit.is_flow_limit());
        assert!(!Code::AllDailyLimit.is_flow_limit());
        assert!(!Code::InvalidParameter.is_flow_limit());
    }
}
