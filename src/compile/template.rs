//! Templates: from the YAML `Template` to the protocol's [`PushTemplate`].
//!
//! The mapping is total: `check` has already refused a template missing a field its type
//! needs, and whatever is absent here becomes Getui's own empty value rather than an error.

use crate::getui::template::{
    ApnsAlert, ApnsBadge, ApnsPayload, BigStyle, DisplayWindow, LaunchMode, Notice, NotifyStyle,
    Popload, PushTemplate, SmsApplink, SmsFallback, TemplateKind,
};
use crate::model::{self, IosBadge, NotifyStyleKind, Template};

/// The push template Getui receives for `template`.
pub(super) fn push_template(template: &Template) -> PushTemplate {
    let kind = match template.kind {
        model::TemplateKind::Notification => TemplateKind::Notification(notice(template)),
        model::TemplateKind::Link => TemplateKind::Link {
            notice: notice(template),
            url: template.url.clone().unwrap_or_default(),
        },
        model::TemplateKind::Popload => TemplateKind::Popload(Box::new(popload(template))),
        model::TemplateKind::Transmission => TemplateKind::Transmission,
    };
    let mut push = PushTemplate::new(kind);
    if let Some(transmission) = &template.transmission {
        push.transmission_content = transmission.content.clone();
        push.launch = launch(transmission.launch);
    }
    push.apns = template.ios.as_ref().map(|ios| apns(template, ios));
    // Whole minutes, like every time gtcamp sends (GC058 names the minute used).
    let minute_ms = |at: &model::Instant| at.0.timestamp().div_euclid(60) * 60_000;
    push.display_window = template.display_window.as_ref().map(|w| DisplayWindow {
        begin_ms: minute_ms(&w.start),
        end_ms: minute_ms(&w.end),
    });
    push.sms = template.sms.as_ref().map(sms);
    push
}

fn launch(mode: model::LaunchMode) -> LaunchMode {
    match mode {
        model::LaunchMode::Immediate => LaunchMode::Immediately,
        model::LaunchMode::Broadcast => LaunchMode::AppDecides,
    }
}

fn notice(template: &Template) -> Notice {
    Notice {
        title: template.title.clone().unwrap_or_default(),
        text: template.text.clone().unwrap_or_default(),
        logo: template.logo.clone().unwrap_or_default(),
        logo_url: template.logo_url.clone().unwrap_or_default(),
        ring: template.ring,
        vibrate: template.vibrate,
        clearable: template.clearable,
        style: template.style.as_ref().map_or(NotifyStyle::Basic, style),
    }
}

fn style(style: &model::NotifyStyle) -> NotifyStyle {
    let banner = || style.banner_url.clone().unwrap_or_default();
    let image = || style.big_image_url.clone().unwrap_or_default();
    match style.kind {
        NotifyStyleKind::System => NotifyStyle::Style0,
        NotifyStyleKind::Getui => NotifyStyle::Style1,
        NotifyStyleKind::Banner => NotifyStyle::Style4 {
            banner_url: banner(),
        },
        NotifyStyleKind::BigImage => NotifyStyle::Style6(BigStyle::Image { image_url: image() }),
        NotifyStyleKind::BigText => NotifyStyle::Style6(BigStyle::Text {
            text: style.big_text.clone().unwrap_or_default(),
        }),
        NotifyStyleKind::BannerBigImage => NotifyStyle::Style6(BigStyle::Banner {
            banner_url: banner(),
            image_url: image(),
        }),
    }
}

fn popload(template: &Template) -> Popload {
    let pop = template.popload.clone().unwrap_or_else(|| model::Popload {
        popup_title: String::new(),
        popup_text: String::new(),
        popup_image: None,
        download_button: String::new(),
        cancel_button: String::new(),
        download_title: String::new(),
        download_url: String::new(),
        download_icon: None,
        auto_install: false,
        start_after_install: false,
        startup: None,
    });
    let marks = pop.startup.unwrap_or_default();
    Popload {
        notice: notice(template),
        pop_title: pop.popup_title,
        pop_content: pop.popup_text,
        pop_image: pop.popup_image.unwrap_or_default(),
        pop_button_download: pop.download_button,
        pop_button_cancel: pop.cancel_button,
        load_icon: pop.download_icon.unwrap_or_default(),
        load_title: pop.download_title,
        load_url: pop.download_url,
        auto_install: pop.auto_install,
        activate_after_install: pop.start_after_install,
        android_mark: marks.android.unwrap_or_default(),
        symbian_mark: marks.symbian.unwrap_or_default(),
        ios_mark: marks.ios.unwrap_or_default(),
    }
}

/// The APNs payload: an alert dictionary whose title and body default to the template's.
fn apns(template: &Template, ios: &model::IosAlert) -> ApnsPayload {
    ApnsPayload {
        alert: Some(ApnsAlert::Dictionary {
            title: ios.title.clone().or_else(|| template.title.clone()),
            body: ios.body.clone().or_else(|| template.text.clone()),
            subtitle: ios.subtitle.clone(),
        }),
        badge: ios.badge.as_ref().map(|badge| match badge {
            IosBadge::Set(count) => ApnsBadge::Set(*count),
            IosBadge::Change(change) => ApnsBadge::Auto(change.clone()),
        }),
        sound: ios.sound.clone(),
        category: ios.category.clone(),
        content_available: ios.content_available,
        custom: ios
            .custom
            .iter()
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
    }
}

fn sms(sms: &model::Sms) -> SmsFallback {
    SmsFallback {
        template_id: sms.template_id.clone(),
        params: sms
            .params
            .iter()
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
        send_after_ms: i64::try_from(sms.delay.as_millis()).unwrap_or(i64::MAX),
        applink: sms.applink.as_ref().map(|link| SmsApplink {
            url: link.url.clone(),
            payload: link.payload.clone().unwrap_or_default(),
        }),
    }
}
