//! Templates: from the YAML `Template` to the protocol's [`PushTemplate`].
//!
//! The mapping is total: `check` has already refused a template missing a field its type
//! needs, and whatever is absent here becomes Getui's own empty value rather than an error.

use crate::getui::template::{
    ApnsAlert, ApnsBadge, ApnsPayload, BigStyle, DisplayWindow, LaunchMode, Notice, NotifyStyle,
    Popload, PushTemplate, SmsApplink, SmsFallback, TemplateKind,
};
use crate::getui::vendor::{
    ChannelStrategy, HarmonyNotice, MessageClass, Vendor, VendorChannels, VendorClick, VendorNotice,
};
use crate::model::{self, IosBadge, NotifyStyleKind, Protocol, Template, Workspace, for_class};

/// The push template Getui receives for `template`, in the workspace `settings` (the
/// default class and the `vendors:` settings).
pub(super) fn push_template(
    template: &Template,
    settings: &Workspace,
    protocol: Protocol,
) -> PushTemplate {
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
    push.vendor = Some(vendor_channels(
        template,
        settings.defaults.class,
        &settings.vendors,
        protocol,
    ));
    push
}

/// What the makers' channels carry for `template`, given the workspace's default class and
/// `vendors:` settings.
pub(super) fn vendor_channels(
    template: &Template,
    default_class: Option<model::MessageClass>,
    vendors: &model::Vendors,
    protocol: Protocol,
) -> VendorChannels {
    let class = template.class.or(default_class).unwrap_or_default();
    // Legacy has a makers' notification only in a transmission template (`set3rdNotifyInfo`);
    // it sends every other template through Getui's own channel alone.
    let carried = protocol == Protocol::V2 || template.kind == model::TemplateKind::Transmission;
    let notice = vendor_notice(template).filter(|_| carried);
    // The channel ids and categories travel with the makers' notification only: a push that
    // shows none carries none, and its fingerprint must not change with them.
    let shown = notice.is_some();
    let hw = vendors
        .hw
        .as_ref()
        .and_then(|v| for_class(class, &v.marketing, &v.service))
        .filter(|_| shown);
    let xm = vendors
        .xm
        .as_ref()
        .and_then(|v| for_class(class, &v.marketing, &v.service))
        .filter(|_| shown);
    let op = vendors
        .op
        .as_ref()
        .and_then(|v| for_class(class, &v.marketing, &v.service))
        .filter(|_| shown);
    let vv = vendors
        .vv
        .as_ref()
        .and_then(|v| for_class(class, &v.marketing, &v.service))
        .filter(|_| shown);
    let strategies = Vendor::ALL
        .into_iter()
        .filter_map(|vendor| {
            let strategy = vendors.basics(vendor).strategy?;
            Some((vendor, channel_strategy(strategy)))
        })
        .collect();
    VendorChannels {
        class: match class {
            model::MessageClass::Marketing => MessageClass::Marketing,
            model::MessageClass::Service => MessageClass::Service,
        },
        notice,
        hw_category: hw.and_then(|c| c.category.clone()),
        hw_channel_id: hw.and_then(|c| c.channel_id.clone()),
        xm_channel_id: xm.and_then(|c| c.channel_id.clone()),
        op_channel_id: op.and_then(|c| c.channel_id.clone()),
        vv_category: vv.and_then(|c| c.category.clone()),
        default_strategy: vendors.default_strategy.map(channel_strategy),
        strategies,
        harmony: template
            .harmony
            .as_ref()
            .filter(|_| carried)
            .map(|h| HarmonyNotice {
                title: h
                    .title
                    .clone()
                    .or_else(|| template.title.clone())
                    .unwrap_or_default(),
                text: h
                    .text
                    .clone()
                    .or_else(|| template.text.clone())
                    .unwrap_or_default(),
                category: h.category.clone().unwrap_or_else(|| "MARKETING".to_owned()),
                payload: h.payload.clone(),
            }),
    }
}

/// What `template`'s vendor channels carry when nothing vendor-related is written: the
/// fingerprint leaves that out, so fingerprints made before classes existed still match.
pub(super) fn implicit_vendor_channels(template: &Template, protocol: Protocol) -> VendorChannels {
    let bare = Template {
        class: None,
        android: None,
        harmony: None,
        ..template.clone()
    };
    vendor_channels(&bare, None, &model::Vendors::default(), protocol)
}

fn channel_strategy(strategy: model::Strategy) -> ChannelStrategy {
    match strategy {
        model::Strategy::GetuiWhenOnline => ChannelStrategy::GetuiWhenOnline,
        model::Strategy::VendorOnly => ChannelStrategy::VendorOnly,
        model::Strategy::GetuiOnly => ChannelStrategy::GetuiOnly,
        model::Strategy::VendorFirst => ChannelStrategy::VendorFirst,
    }
}

/// The makers' notification: the `android:` block over the template's own title, text and
/// tap. A transmission template shows nothing unless `android:` says what (`check` demands
/// its title and text then).
fn vendor_notice(template: &Template) -> Option<VendorNotice> {
    let android = template.android.clone().unwrap_or_default();
    if template.kind == model::TemplateKind::Transmission && template.android.is_none() {
        return None;
    }
    let content = template
        .transmission
        .as_ref()
        .map(|t| t.content.clone())
        .filter(|c| !c.is_empty());
    let click = match &android.click {
        Some(click) => {
            if let Some(url) = &click.url {
                VendorClick::Url(url.clone())
            } else if let Some(intent) = &click.intent {
                VendorClick::Intent(intent.clone())
            } else if let Some(payload) = &click.payload {
                VendorClick::Payload(payload.clone())
            } else {
                VendorClick::OpenApp
            }
        }
        None => match (template.kind, &template.url, content) {
            (model::TemplateKind::Link, Some(url), _) => VendorClick::Url(url.clone()),
            (_, _, Some(content)) => VendorClick::Payload(content),
            _ => VendorClick::OpenApp,
        },
    };
    Some(VendorNotice {
        title: android
            .title
            .or_else(|| template.title.clone())
            .unwrap_or_default(),
        text: android
            .text
            .or_else(|| template.text.clone())
            .unwrap_or_default(),
        click,
    })
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
