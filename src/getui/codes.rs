//! Getui result codes: the `result` strings of section E.1 and the cid–pn codes of E.2.
//!
//! A code the tables do not know is kept exactly as it came ([`ResultCode::Other`]), so an
//! error message can always quote what the server said. Both enums serialize to the exact
//! wire string, which lets the emulator answer with the same types the client reads.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! result_codes {
    ($($variant:ident => $wire:literal, $meaning:literal;)*) => {
        /// A `result` value of the legacy protocol (table E.1).
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum ResultCode {
            $(#[doc = $meaning] $variant,)*
            /// A code not in table E.1, kept as it came.
            Other(String),
        }

        impl ResultCode {
            /// The exact string on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ResultCode::$variant => $wire,)*
                    ResultCode::Other(code) => code,
                }
            }

            /// What the code means, in plain words (E.1).
            pub fn meaning(&self) -> &'static str {
                match self {
                    $(ResultCode::$variant => $meaning,)*
                    ResultCode::Other(_) => "a result code gtcamp does not know",
                }
            }

            /// Reads a wire string; unknown strings become [`ResultCode::Other`].
            pub fn from_wire(text: &str) -> ResultCode {
                match text {
                    $($wire => ResultCode::$variant,)*
                    other => ResultCode::Other(other.to_owned()),
                }
            }
        }
    };
}

result_codes! {
    Ok => "ok", "the request was accepted";
    Success => "success", "connected (the answer to `connect`)";
    True => "true", "the request was accepted (alias actions)";
    False => "false", "the request was refused (alias actions)";
    SuccessedOnline => "successed_online", "the user was online and got the message";
    SuccessedOffline => "successed_offline", "the user was offline; the message is kept for later";
    SuccessedIgnore => "successed_ignore", "the user is invalid or inactive for over 90 days; the message was dropped";
    Error => "Error", "the request is malformed or has wrong parameters";
    ActionError => "action_error", "the action is unknown";
    AppkeyError => "appkey_error", "the app key is wrong";
    DomainError => "domain_error", "the domain is wrong or cannot be resolved";
    SignError => "sign_error", "authentication failed";
    AppidNoMatchAppKey => "AppidNoMatchAppKey", "the app id does not belong to the app key";
    PushMsgToListOrAppTimesOverLimit => "PushMsgToListOrAppTimesOverLimit", "too many list or app pushes";
    PushTotalNumOverLimit => "PushTotalNumOverLimit", "the total number of pushes is over the limit";
    AppIdNoUsers => "AppIdNoUsers", "the app has no users matching the request";
    SendError => "SendError", "the push could not be sent";
    SynSendError => "SynSendError", "a packet could not be sent";
    FlowExceeded => "flow_exceeded", "the API traffic quota is exceeded";
    TargetListIsNullOrSizeIs0 => "TargetListIsNullOrSizeIs0", "the target list is empty";
    TokenMD5NoUsers => "TokenMD5NoUsers", "no valid client id in the target list";
    NullMsgCommon => "NullMsgCommon", "there is no task with this id";
    TaskIdHasBeanCanceled => "TaskIdHasBeanCanceled", "the task was already cancelled";
    AppidError => "AppidError", "the client id is bound to another app id";
    TokenMD5Error => "TokenMD5Error", "the client id is malformed";
    AppidNoAppSecret => "AppidNoAppSecret", "the app id has no secret configured";
    OtherError => "OtherError", "an unknown server error";
    RepeatedContent => "RepeatedContent", "the same content was already pushed to the app";
}

impl ResultCode {
    /// Whether the code reports success (`ok`, `success`, `true`, or a delivery status).
    pub fn is_success(&self) -> bool {
        matches!(
            self,
            ResultCode::Ok
                | ResultCode::Success
                | ResultCode::True
                | ResultCode::SuccessedOnline
                | ResultCode::SuccessedOffline
        )
    }

    /// Whether Getui says, with this code, that the task asked about does not exist (any
    /// more). Only these two: a refusal for any other reason proves nothing about the task.
    pub fn means_no_such_task(&self) -> bool {
        matches!(
            self,
            ResultCode::NullMsgCommon | ResultCode::TaskIdHasBeanCanceled
        )
    }

    /// Whether Getui refused the credentials themselves (as opposed to failing, limiting
    /// traffic or refusing the request for another reason).
    pub fn refuses_credentials(&self) -> bool {
        matches!(
            self,
            ResultCode::SignError
                | ResultCode::AppkeyError
                | ResultCode::AppidNoMatchAppKey
                | ResultCode::AppidNoAppSecret
        )
    }
}

impl fmt::Display for ResultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ResultCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ResultCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = crate::getui::lenient::string(deserializer)?;
        Ok(ResultCode::from_wire(&text))
    }
}

/// A cid–pn (SMS fallback binding) status code (table E.2), sent as a numeric string.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CidPnCode {
    /// 0: success.
    Success,
    /// 1: the cid does not exist.
    CidNotFound,
    /// 2: the cid does not belong to the app id.
    CidNotInApp,
    /// 3: a higher-level pn binding cannot be overwritten.
    HigherLevelBinding,
    /// 4: the pn is already bound to a more active cid of the app.
    PnBoundToMoreActiveCid,
    /// 5: the cid is empty.
    CidEmpty,
    /// 6: the pn is empty.
    PnEmpty,
    /// 7: the cid has no pn bound.
    NoPnBound,
    /// 8: failed for another reason.
    OtherFailure,
    /// A code not in table E.2, kept as it came.
    Other(String),
}

impl CidPnCode {
    /// The exact string on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            CidPnCode::Success => "0",
            CidPnCode::CidNotFound => "1",
            CidPnCode::CidNotInApp => "2",
            CidPnCode::HigherLevelBinding => "3",
            CidPnCode::PnBoundToMoreActiveCid => "4",
            CidPnCode::CidEmpty => "5",
            CidPnCode::PnEmpty => "6",
            CidPnCode::NoPnBound => "7",
            CidPnCode::OtherFailure => "8",
            CidPnCode::Other(code) => code,
        }
    }

    /// Reads a wire string; unknown strings become [`CidPnCode::Other`].
    pub fn from_wire(text: &str) -> CidPnCode {
        match text.trim() {
            "0" => CidPnCode::Success,
            "1" => CidPnCode::CidNotFound,
            "2" => CidPnCode::CidNotInApp,
            "3" => CidPnCode::HigherLevelBinding,
            "4" => CidPnCode::PnBoundToMoreActiveCid,
            "5" => CidPnCode::CidEmpty,
            "6" => CidPnCode::PnEmpty,
            "7" => CidPnCode::NoPnBound,
            "8" => CidPnCode::OtherFailure,
            _ => CidPnCode::Other(text.to_owned()),
        }
    }

    /// What the code means, in plain words (E.2).
    pub fn meaning(&self) -> &'static str {
        match self {
            CidPnCode::Success => "success",
            CidPnCode::CidNotFound => "the cid does not exist",
            CidPnCode::CidNotInApp => "the cid does not belong to the app id",
            CidPnCode::HigherLevelBinding => "a higher-level phone binding cannot be overwritten",
            CidPnCode::PnBoundToMoreActiveCid => {
                "the phone is already bound to a more active cid of the app"
            }
            CidPnCode::CidEmpty => "the cid is empty",
            CidPnCode::PnEmpty => "the phone hash is empty",
            CidPnCode::NoPnBound => "the cid has no phone bound",
            CidPnCode::OtherFailure => "failed for another reason",
            CidPnCode::Other(_) => "a cid-pn code gtcamp does not know",
        }
    }

    /// Whether the code reports success.
    pub fn is_success(&self) -> bool {
        *self == CidPnCode::Success
    }
}

impl fmt::Display for CidPnCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CidPnCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CidPnCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = crate::getui::lenient::string(deserializer)?;
        Ok(CidPnCode::from_wire(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_code_round_trips_known_and_unknown_strings() {
        for wire in [
            "ok",
            "sign_error",
            "flow_exceeded",
            "NullMsgCommon",
            "Brand_New",
        ] {
            let code: ResultCode = serde_json::from_value(serde_json::json!(wire)).unwrap();
            assert_eq!(
                serde_json::to_value(&code).unwrap(),
                serde_json::json!(wire)
            );
        }
        assert_eq!(
            ResultCode::from_wire("Brand_New"),
            ResultCode::Other("Brand_New".into())
        );
    }

    #[test]
    fn result_code_meaning_explains_flow_exceeded() {
        assert_eq!(
            ResultCode::FlowExceeded.meaning(),
            "the API traffic quota is exceeded"
        );
    }

    #[test]
    fn cid_pn_code_reads_numbers_and_strings() {
        let from_text: CidPnCode = serde_json::from_value(serde_json::json!("4")).unwrap();
        let from_number: CidPnCode = serde_json::from_value(serde_json::json!(7)).unwrap();
        assert_eq!(from_text, CidPnCode::PnBoundToMoreActiveCid);
        assert_eq!(from_number, CidPnCode::NoPnBound);
        assert_eq!(
            serde_json::to_value(&from_number).unwrap(),
            serde_json::json!("7")
        );
        assert_eq!(CidPnCode::from_wire("9"), CidPnCode::Other("9".into()));
    }
}
