//! The `gt_req` protobuf messages that travel base64-encoded in a request's `clientData`.
//!
//! Written by hand with `prost` derives (no `protoc` at build time) from the descriptor
//! embedded in the official SDK (`gt_req_pb2.py`, proto2, package `com.gexin.rp.sdk.dto`);
//! see `getui-protocol.md` D.2. Only the messages a template needs are here. Field numbers,
//! labels and defaults follow the descriptor: `required` fields are always emitted and
//! `optional` fields are `Option`s, so a field the SDK sets to its default (`templateId: 0`,
//! `logoURL: ""`) is still on the wire, as the SDK does it. prost writes fields in tag order,
//! like the Python runtime, which is what makes byte parity with the SDK possible.

/// The payload of `clientData`: what the device receives.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Transparent {
    #[prost(string, required, tag = "1")]
    pub id: String,
    #[prost(string, required, tag = "2")]
    pub action: String,
    #[prost(string, required, tag = "3")]
    pub task_id: String,
    #[prost(string, required, tag = "4")]
    pub app_key: String,
    #[prost(string, required, tag = "5")]
    pub app_id: String,
    #[prost(string, required, tag = "6")]
    pub message_id: String,
    #[prost(message, optional, tag = "7")]
    pub push_info: Option<PushInfo>,
    #[prost(message, repeated, tag = "8")]
    pub action_chain: Vec<ActionChain>,
    #[prost(string, repeated, tag = "9")]
    pub condition: Vec<String>,
    #[prost(int32, optional, tag = "10")]
    pub template_id: Option<i32>,
    #[prost(string, optional, tag = "11")]
    pub task_group_id: Option<String>,
    #[prost(message, optional, tag = "12")]
    pub sms_info: Option<SmsInfo>,
}

/// iOS (APNs) and vendor-channel notification info.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PushInfo {
    #[prost(string, optional, tag = "1")]
    pub message: Option<String>,
    #[prost(string, optional, tag = "2")]
    pub action_key: Option<String>,
    #[prost(string, optional, tag = "3")]
    pub sound: Option<String>,
    #[prost(string, optional, tag = "4")]
    pub badge: Option<String>,
    #[prost(string, optional, tag = "5")]
    pub payload: Option<String>,
    #[prost(string, optional, tag = "6")]
    pub loc_key: Option<String>,
    #[prost(string, optional, tag = "7")]
    pub loc_args: Option<String>,
    #[prost(string, optional, tag = "8")]
    pub action_loc_key: Option<String>,
    #[prost(string, optional, tag = "9")]
    pub launch_image: Option<String>,
    #[prost(int32, optional, tag = "10")]
    pub content_available: Option<i32>,
    #[prost(bool, optional, tag = "11")]
    pub invalid_apn: Option<bool>,
    #[prost(string, optional, tag = "12")]
    pub apn_json: Option<String>,
    #[prost(bool, optional, tag = "13")]
    pub invalid_mpn: Option<bool>,
    #[prost(string, optional, tag = "14")]
    pub mpn_xml: Option<String>,
    #[prost(bool, optional, tag = "15")]
    pub valid_notify: Option<bool>,
    #[prost(message, optional, tag = "16")]
    pub notify_info: Option<NotifyInfo>,
    #[prost(string, repeated, tag = "17")]
    pub black_thirdparty: Vec<String>,
}

/// Vendor ("third-party") notification shown when the push channel is offline.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NotifyInfo {
    #[prost(string, required, tag = "1")]
    pub title: String,
    #[prost(string, required, tag = "2")]
    pub content: String,
    #[prost(string, optional, tag = "3")]
    pub payload: Option<String>,
    #[prost(string, optional, tag = "4")]
    pub intent: Option<String>,
    #[prost(string, optional, tag = "5")]
    pub url: Option<String>,
    #[prost(
        enumeration = "notify_info::Type",
        optional,
        tag = "6",
        default = "Payload"
    )]
    pub r#type: Option<i32>,
    #[prost(string, optional, tag = "7")]
    pub notify_id: Option<String>,
    #[prost(message, repeated, tag = "8")]
    pub ext_kv: Vec<ExtKv>,
}

/// Nested types of [`NotifyInfo`].
pub mod notify_info {
    /// What a click on the vendor notification does (`_payload`, `_intent`, `_url`, `_startApp`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
    #[repr(i32)]
    pub enum Type {
        Payload = 0,
        Intent = 1,
        Url = 2,
        StartApp = 3,
    }
}

/// A vendor-specific key/value (`constains`, sic, names the vendor).
#[derive(Clone, PartialEq, prost::Message)]
pub struct ExtKv {
    #[prost(string, required, tag = "1")]
    pub key: String,
    #[prost(string, required, tag = "2")]
    pub value: String,
    #[prost(string, optional, tag = "3")]
    pub constains: Option<String>,
}

/// One step of the little program the device runs when the message arrives.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ActionChain {
    #[prost(int32, required, tag = "1")]
    pub action_id: i32,
    #[prost(enumeration = "action_chain::Type", required, tag = "2")]
    pub r#type: i32,
    #[prost(int32, optional, tag = "3")]
    pub next: Option<i32>,
    #[prost(string, optional, tag = "100")]
    pub logo: Option<String>,
    #[prost(string, optional, tag = "101")]
    pub logo_url: Option<String>,
    #[prost(string, optional, tag = "102")]
    pub title: Option<String>,
    #[prost(string, optional, tag = "103")]
    pub text: Option<String>,
    #[prost(bool, optional, tag = "104")]
    pub clearable: Option<bool>,
    #[prost(bool, optional, tag = "105")]
    pub ring: Option<bool>,
    #[prost(bool, optional, tag = "106")]
    pub buzz: Option<bool>,
    #[prost(string, optional, tag = "107")]
    pub banner_url: Option<String>,
    #[prost(string, optional, tag = "120")]
    pub img: Option<String>,
    #[prost(message, repeated, tag = "121")]
    pub buttons: Vec<Button>,
    #[prost(string, optional, tag = "140")]
    pub appid: Option<String>,
    #[prost(message, optional, tag = "141")]
    pub appstartupid: Option<AppStartUp>,
    #[prost(bool, optional, tag = "142")]
    pub autostart: Option<bool>,
    #[prost(int32, optional, tag = "143")]
    pub failed_action: Option<i32>,
    #[prost(string, optional, tag = "160")]
    pub url: Option<String>,
    #[prost(string, optional, tag = "161")]
    pub withcid: Option<String>,
    #[prost(bool, optional, tag = "162", default = "false")]
    pub is_withnettype: Option<bool>,
    #[prost(string, optional, tag = "180")]
    pub address: Option<String>,
    #[prost(string, optional, tag = "181")]
    pub content: Option<String>,
    #[prost(int64, optional, tag = "182")]
    pub ct: Option<i64>,
    #[prost(enumeration = "SmsStatus", optional, tag = "183")]
    pub flag: Option<i32>,
    #[prost(int32, optional, tag = "200")]
    pub successed_action: Option<i32>,
    #[prost(int32, optional, tag = "201")]
    pub uninstalled_action: Option<i32>,
    #[prost(string, optional, tag = "220")]
    pub name: Option<String>,
    #[prost(bool, optional, tag = "223")]
    pub auto_install: Option<bool>,
    #[prost(bool, optional, tag = "225")]
    pub wifi_autodownload: Option<bool>,
    #[prost(bool, optional, tag = "226")]
    pub force_download: Option<bool>,
    #[prost(bool, optional, tag = "227")]
    pub show_progress: Option<bool>,
    #[prost(string, optional, tag = "241")]
    pub post: Option<String>,
    #[prost(string, optional, tag = "242")]
    pub headers: Option<String>,
    #[prost(bool, optional, tag = "260")]
    pub groupable: Option<bool>,
    #[prost(string, optional, tag = "280")]
    pub mms_title: Option<String>,
    #[prost(string, optional, tag = "281")]
    pub mms_url: Option<String>,
    #[prost(bool, optional, tag = "300")]
    pub preload: Option<bool>,
    #[prost(string, optional, tag = "320")]
    pub taskid: Option<String>,
    #[prost(int64, optional, tag = "340")]
    pub duration: Option<i64>,
    #[prost(string, optional, tag = "360")]
    pub date: Option<String>,
    #[prost(string, optional, tag = "380")]
    pub stype: Option<String>,
    #[prost(message, repeated, tag = "381")]
    pub field: Vec<InnerFiled>,
}

/// Nested types of [`ActionChain`].
pub mod action_chain {
    /// The kind of a chain step. Variant names follow the descriptor's spelling.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
    #[repr(i32)]
    pub enum Type {
        Goto = 0,
        Notification = 1,
        Popup = 2,
        Startapp = 3,
        Startweb = 4,
        Smsinbox = 5,
        Checkapp = 6,
        Eoa = 7,
        Appdownload = 8,
        Startsms = 9,
        Httpproxy = 10,
        Smsinbox2 = 11,
        Mmsinbox2 = 12,
        Popupweb = 13,
        Dial = 14,
        Reportbindapp = 15,
        Reportaddphoneinfo = 16,
        Reportapplist = 17,
        Terminatetask = 18,
        Reportapp = 19,
        Enablelog = 20,
        Disablelog = 21,
        Uploadlog = 22,
    }
}

/// Whether an SMS-inbox step's message counts as read (top-level enum `SMSStatus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum SmsStatus {
    Unread = 0,
    Read = 1,
}

/// A typed key/value on a chain step (`InnerFiled`, sic). The value is always text; `type`
/// says how the device reads it.
#[derive(Clone, PartialEq, prost::Message)]
pub struct InnerFiled {
    #[prost(string, required, tag = "1")]
    pub key: String,
    #[prost(string, required, tag = "2")]
    pub val: String,
    #[prost(enumeration = "inner_filed::Type", required, tag = "3")]
    pub r#type: i32,
}

/// Nested types of [`InnerFiled`].
pub mod inner_filed {
    /// How to read an [`super::InnerFiled`] value (`str`, `int32`, `int64`, `floa`, `doub`, `bool`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
    #[repr(i32)]
    pub enum Type {
        Str = 0,
        Int32 = 1,
        Int64 = 2,
        Floa = 3,
        Doub = 4,
        Bool = 5,
    }
}

/// Per-platform start-up marks of the app a step launches.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AppStartUp {
    #[prost(string, optional, tag = "1")]
    pub android: Option<String>,
    #[prost(string, optional, tag = "2")]
    pub symbia: Option<String>,
    #[prost(string, optional, tag = "3")]
    pub ios: Option<String>,
}

/// A pop-up button and the chain step it jumps to.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Button {
    #[prost(string, optional, tag = "1")]
    pub text: Option<String>,
    #[prost(int32, optional, tag = "2")]
    pub next: Option<i32>,
}

/// One SMS template placeholder and its value.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SmsContentEntry {
    #[prost(string, required, tag = "1")]
    pub key: String,
    #[prost(string, required, tag = "2")]
    pub value: String,
}

/// SMS fallback for users the push did not reach in time.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SmsInfo {
    #[prost(string, required, tag = "1")]
    pub sms_template_id: String,
    #[prost(message, repeated, tag = "2")]
    pub sms_content: Vec<SmsContentEntry>,
    #[prost(int64, required, tag = "3")]
    pub offline_sendtime: i64,
    #[prost(int64, optional, tag = "4")]
    pub sms_send_duration: Option<i64>,
    #[prost(bool, optional, tag = "5", default = "false")]
    pub sms_checked: Option<bool>,
    #[prost(string, optional, tag = "6")]
    pub sms_checked_error_msg: Option<String>,
}
