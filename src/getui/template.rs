//! What a push shows and does, in Getui's terms but without wire names: the domain side of a
//! push template. `client_data` turns one into the `clientData` protobuf and the JSON fields
//! `transmissionContent` / `pushType`.

/// A push template: the message kind plus the options every kind shares.
#[derive(Clone, Debug, PartialEq)]
pub struct PushTemplate {
    pub kind: TemplateKind,
    /// The payload handed to the app (`transmissionContent`), ≤ 2048 characters.
    pub transmission_content: String,
    /// What happens to the app when the message arrives (`transmissionType`).
    pub launch: LaunchMode,
    /// iOS APNs payload; `None` sends no APNs part.
    pub apns: Option<ApnsPayload>,
    /// When the notification may be shown on the device.
    pub display_window: Option<DisplayWindow>,
    /// SMS fallback for users the push does not reach in time.
    pub sms: Option<SmsFallback>,
    /// The message class and the makers' channels; `None` says nothing to the makers (what
    /// gtcamp sent before classes existed).
    pub vendor: Option<crate::getui::vendor::VendorChannels>,
}

impl PushTemplate {
    /// A template of `kind` with no payload and none of the optional parts.
    pub fn new(kind: TemplateKind) -> PushTemplate {
        PushTemplate {
            kind,
            transmission_content: String::new(),
            launch: LaunchMode::AppDecides,
            apns: None,
            display_window: None,
            sms: None,
            vendor: None,
        }
    }
}

/// The four template kinds gtcamp sends.
#[derive(Clone, Debug, PartialEq)]
pub enum TemplateKind {
    /// A notification; a click opens the app.
    Notification(Notice),
    /// A notification; a click opens `url`.
    Link { notice: Notice, url: String },
    /// A notification; a click opens a download pop-up.
    Popload(Box<Popload>),
    /// No notification: the payload goes to the app only.
    Transmission,
}

/// The Android notification a user sees.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub title: String,
    pub text: String,
    /// Icon file name embedded in the app.
    pub logo: String,
    /// Icon URL.
    pub logo_url: String,
    pub ring: bool,
    pub vibrate: bool,
    pub clearable: bool,
    pub style: NotifyStyle,
}

impl Notice {
    /// A notice with a title and text, ringing, vibrating and clearable, basic style.
    pub fn new(title: impl Into<String>, text: impl Into<String>) -> Notice {
        Notice {
            title: title.into(),
            text: text.into(),
            logo: String::new(),
            logo_url: String::new(),
            ring: true,
            vibrate: true,
            clearable: true,
            style: NotifyStyle::Basic,
        }
    }
}

/// The Android notification layout.
#[derive(Clone, Debug, PartialEq)]
pub enum NotifyStyle {
    /// The template's own notification step (no style object).
    Basic,
    /// System style.
    Style0,
    /// Getui style.
    Style1,
    /// A full-width banner image instead of title and text.
    Style4 { banner_url: String },
    /// An expandable notification.
    Style6(BigStyle),
}

/// What a style-6 notification shows when expanded.
#[derive(Clone, Debug, PartialEq)]
pub enum BigStyle {
    /// bigStyle 1.
    Image { image_url: String },
    /// bigStyle 2.
    Text { text: String },
    /// bigStyle 3.
    Banner {
        banner_url: String,
        image_url: String,
    },
}

/// A notification whose click opens a pop-up offering an app download.
#[derive(Clone, Debug, PartialEq)]
pub struct Popload {
    pub notice: Notice,
    pub pop_title: String,
    pub pop_content: String,
    pub pop_image: String,
    /// The button that starts the download.
    pub pop_button_download: String,
    /// The button that cancels.
    pub pop_button_cancel: String,
    pub load_icon: String,
    pub load_title: String,
    pub load_url: String,
    pub auto_install: bool,
    /// Start the app once installed.
    pub activate_after_install: bool,
    pub android_mark: String,
    pub symbian_mark: String,
    pub ios_mark: String,
}

/// `transmissionType`: 1 starts the app at once, 2 lets the app decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaunchMode {
    Immediately,
    AppDecides,
}

/// The iOS APNs payload.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApnsPayload {
    pub alert: Option<ApnsAlert>,
    pub badge: Option<ApnsBadge>,
    pub sound: Option<String>,
    pub category: Option<String>,
    pub content_available: bool,
    /// Top-level custom keys, in order; values are JSON.
    pub custom: Vec<(String, serde_json::Value)>,
}

/// The `aps.alert` of an APNs payload.
#[derive(Clone, Debug, PartialEq)]
pub enum ApnsAlert {
    /// A plain string alert.
    Simple(String),
    /// A dictionary alert.
    Dictionary {
        title: Option<String>,
        body: Option<String>,
        subtitle: Option<String>,
    },
}

/// The app icon badge.
#[derive(Clone, Debug, PartialEq)]
pub enum ApnsBadge {
    /// Set the badge to this number.
    Set(u32),
    /// Change the badge, e.g. `+1` or `-1` (`autoBadge`).
    Auto(String),
}

/// When a notification may be shown, Unix milliseconds (the device clock).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DisplayWindow {
    pub begin_ms: i64,
    pub end_ms: i64,
}

/// SMS fallback: an SMS for users the push has not reached after `send_after_ms`.
#[derive(Clone, Debug, PartialEq)]
pub struct SmsFallback {
    /// The pre-registered SMS template id.
    pub template_id: String,
    /// Template placeholders and their values, in order.
    pub params: Vec<(String, String)>,
    /// Milliseconds after the push when the SMS goes out.
    pub send_after_ms: i64,
    /// An app link in the SMS (`isApplink`).
    pub applink: Option<SmsApplink>,
}

/// The app link an SMS carries.
#[derive(Clone, Debug, PartialEq)]
pub struct SmsApplink {
    pub url: String,
    /// Passed to the app as `n=`; empty for none.
    pub payload: String,
}
