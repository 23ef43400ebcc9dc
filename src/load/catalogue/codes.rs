//! Every diagnostic code, in order. Each entry's example is a workspace that triggers it:
//! `tests/validate/catalogue.rs` runs each one through the real checks, and
//! `gtcamp explain` shows the message it gets. Instants in examples are in 2030 and the
//! examples run with the clock at [`EXAMPLE_NOW`], so they mean the same thing every year.

use super::Severity::{Error, Warning};
use super::{Content, Entry, Example, ExampleFile};

/// The instant examples are run at: "now" for what is past and what is due.
pub const EXAMPLE_NOW: &str = "2030-01-01T00:00:00Z";

/// A `gtcamp.yaml` whose only target speaks REST API V2.
const V2_SETTINGS: ExampleFile = file(
    "gtcamp.yaml",
    "kind: Workspace
name: demo
app_id: demo
default_target: sandbox
targets:
  sandbox:
    type: sandbox
    protocol: v2
defaults:
  class: marketing
",
);

const fn file(path: &'static str, text: &'static str) -> ExampleFile {
    ExampleFile::text(path, text)
}

/// Defines one constant per code and [`ALL`], the list of them, from the same text, so
/// that no code can be defined and left out of the list.
macro_rules! catalogue {
    ($(
        $code:ident {
            severity: $severity:expr,
            $(configurable: $configurable:expr,)?
            title: $title:expr,
            trigger: $trigger:expr,
            fix: $fix:expr,
            files: [$($file:expr),* $(,)?] $(,)?
        }
    )*) => {
        $(
            #[doc = $title]
            pub const $code: &Entry = &Entry {
                code: stringify!($code),
                severity: $severity,
                configurable: false $(|| $configurable)?,
                title: $title,
                trigger: $trigger,
                fix: $fix,
                example: Example { files: &[$($file),*] },
            };
        )*

        /// Every code, in order.
        pub const ALL: &[&Entry] = &[$($code),*];
    };
}

catalogue! {
    GC001 {
        severity: Error,
        title: "a file or folder cannot be read, or a file is not UTF-8",
        trigger: "gtcamp could not read a file or folder of the workspace (it is missing, or you may not read it), or a file's bytes are not UTF-8 text, as a file saved by an editor set to GBK or Latin-1 is. The message names the first byte that is not UTF-8.",
        fix: "Save the file as UTF-8 (every editor can convert it), or make the file or folder readable.",
        files: [ExampleFile {
            path: "campaigns/cafe.yaml",
            content: Content::Latin1("kind: Campaign
name: cafe
template:
  type: notification
  title: Café
  text: Bonjour
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),
        }],
    }
    GC002 {
        severity: Error,
        title: "a file is larger than the size limit (16 MiB)",
        trigger: "A YAML file of the workspace is larger than 16 MiB, checked before it is read, so that a file written by mistake (a log, a dump) cannot exhaust memory. No hand-written workspace comes near it.",
        fix: "Split the file into several smaller ones, or move the file that is not YAML for gtcamp out of the workspace folder.",
        files: [ExampleFile {
            path: "campaigns/huge.yaml",
            content: Content::Filler(17 * 1024 * 1024),
        }],
    }
    GC003 {
        severity: Error,
        title: "YAML syntax error",
        trigger: "A file is not valid YAML: a missing space after a colon, a tab used for indentation, an unclosed quote or bracket, a line indented unlike its neighbours.",
        fix: "Fix the YAML at the place the message shows; an editor with a YAML extension and the gtcamp schema (`gtcamp schema`) shows such errors as you type.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: \"Spring sale
  text: Up to 50% off
"),],
    }
    GC004 {
        severity: Error,
        title: "input too deep, too large or expanding too many aliases to read safely",
        trigger: "A file nests mappings and sequences more than 64 levels deep, holds more than 250,000 values, or expands YAML aliases into more than gtcamp reads. These bounds keep a hostile or generated file (an alias bomb) from exhausting memory; no campaign needs more than a few levels.",
        fix: "Flatten the structure, split the file, or write values out rather than through nested anchors and aliases.",
        files: [file("campaigns/deep.yaml", "kind: Campaign
name: deep
labels: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
"),],
    }
    GC005 {
        severity: Error,
        title: "a document has no `kind`, or an unknown one",
        trigger: "Every YAML document in the workspace says what it declares with `kind:` (`Workspace`, `Template`, `Audience`, `Campaign` or `PhoneBindings`). This one has no `kind`, or one gtcamp does not know (often a typo, which the help corrects).",
        fix: "Add a `kind:` line, or correct its spelling.",
        files: [file("campaigns/sale.yaml", "kind: Campain
name: sale
"),],
    }
    GC006 {
        severity: Error,
        title: "unknown field (often a typo; the help suggests the closest field)",
        trigger: "A mapping has a field its kind does not define. gtcamp refuses unknown fields rather than ignoring them, because a misspelt optional field (`titel`, `ofline_keep`) would otherwise be silently left out of the push.",
        fix: "Correct the field's name (the help suggests the closest one and lists those allowed), or remove it.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  titel: Spring sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC007 {
        severity: Error,
        title: "a required field is missing",
        trigger: "A mapping lacks a field its kind requires, such as a campaign without `schedule` or an audience filter without values.",
        fix: "Add the field the message names.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
audience:
  all_users: true
"),],
    }
    GC008 {
        severity: Error,
        title: "a value has the wrong type or is not an accepted value",
        trigger: "A field holds a value of the wrong type (a list where one value is expected, text where a number is), or a value outside the ones it accepts, such as a template `type` gtcamp does not know.",
        fix: "Write a value of the kind the field takes; the help lists the accepted values, and `gtcamp schema` describes every field.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: banner
  title: Spring sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC009 {
        severity: Error,
        title: "the same key twice in one mapping (or one region's quiet hours under two names)",
        trigger: "A mapping has the same key twice. YAML parsers disagree on which value wins, so gtcamp refuses the file instead of guessing. The same code reports the quiet hours of one region written under two of its names (`广东` and `广东省`).",
        fix: "Keep one of the two keys.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  title: Spring sale, last day
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC010 {
        severity: Error,
        title: "the phone CSV of a `PhoneBindings` cannot be read, or a row is malformed",
        trigger: "The CSV that a `PhoneBindings` document names in `source` is missing or unreadable, or one of its rows is not `cid,phone`. The CSV is read only on this machine (its numbers are hashed before anything leaves it), so its text is never shown.",
        fix: "Point `source` at the CSV (relative to the YAML file), and give every row two fields, the cid then the phone number.",
        files: [
            file("bindings/phones.yaml", "kind: PhoneBindings
name: phones
source: phones.csv
"),
            file("bindings/phones.csv", "cid,phone
de30c1d0000000000000000000000001
"),
        ],
    }
    GC011 {
        severity: Error,
        title: "a document has no `name`",
        trigger: "Every document but the settings is known by its `name`: campaigns refer to templates and audiences by name, and state records campaigns by name. This one has none.",
        fix: "Add `name:` with lowercase letters, digits and `-`.",
        files: [file("campaigns/sale.yaml", "kind: Template
type: notification
title: Spring sale
text: Up to 50% off
"),],
    }
    GC012 {
        severity: Error,
        title: "a name has characters other than `a-z`, `0-9`, `-`, or is longer than 40",
        trigger: "A name holds something other than lowercase ASCII letters, digits and `-`, or is longer than 40 characters. Names become parts of Getui task names and file names, so they are kept to what every system accepts.",
        fix: "Rename it with lowercase letters, digits and `-`, such as `spring-sale-2030`.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: Spring_Sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC013 {
        severity: Error,
        title: "two documents of the same kind have the same name",
        trigger: "Two documents of one kind share a name, so a reference to it (or state's record of a campaign) could mean either. The related label points at the other one.",
        fix: "Rename one of them.",
        files: [file("campaigns/sale.yaml", "kind: Template
name: sale
type: notification
title: Spring sale
text: Up to 50% off
---
kind: Template
name: sale
type: notification
title: Autumn sale
text: Up to 30% off
"),],
    }
    GC014 {
        severity: Error,
        title: "the workspace has no `Workspace` document (`gtcamp.yaml`)",
        trigger: "The workspace's `gtcamp.yaml` does not hold the `kind: Workspace` document with its settings (the app id, the targets), so there is nothing to send with.",
        fix: "Write the settings in `gtcamp.yaml` with `kind: Workspace`, a `name` and the Getui `app_id` (`gtcamp init` writes one).",
        files: [file("gtcamp.yaml", "kind: Template
name: sale
type: notification
title: Spring sale
text: Up to 50% off
"),],
    }
    GC015 {
        severity: Error,
        title: "the workspace has more than one `Workspace` document",
        trigger: "A second `kind: Workspace` document sits beside the one in `gtcamp.yaml`; a workspace has exactly one set of settings.",
        fix: "Keep the settings in `gtcamp.yaml` and remove the other document.",
        files: [file("campaigns/settings.yaml", "kind: Workspace
name: other
app_id: other
"),],
    }
    GC016 {
        severity: Error,
        title: "a campaign uses a template that is not defined",
        trigger: "A campaign's `template:` names a template no `kind: Template` document defines (the help suggests a close name).",
        fix: "Correct the name, define the template, or write the template inline in the campaign.",
        files: [file("campaigns/sale.yaml", "kind: Template
name: spring-banner
type: notification
title: Spring sale
text: Up to 50% off
---
kind: Campaign
name: sale
template: sprng-banner
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC017 {
        severity: Error,
        title: "a campaign uses an audience that is not defined",
        trigger: "A campaign's `audience:` names an audience no `kind: Audience` document defines (the help suggests a close name).",
        fix: "Correct the name, define the audience, or write the audience inline in the campaign.",
        files: [file("campaigns/sale.yaml", "kind: Audience
name: vip-users
tags:
  any: [vip]
---
kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
audience: vip-user
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC018 {
        severity: Warning,
        configurable: true,
        title: "a template no campaign uses",
        trigger: "A template is defined but no campaign sends it. It may be on its way in; it may also be left over, or the campaign meant to use it may name another. `lints.unused.level` in `gtcamp.yaml` makes this an error or turns it off.",
        fix: "Use it in a campaign, delete it, or set `lints.unused.level: off`.",
        files: [file("campaigns/templates.yaml", "kind: Template
name: autumn-banner
type: notification
title: Autumn sale
text: Up to 30% off
"),],
    }
    GC019 {
        severity: Warning,
        configurable: true,
        title: "an audience no campaign uses",
        trigger: "An audience is defined but no campaign sends to it. `lints.unused.level` in `gtcamp.yaml` makes this an error or turns it off.",
        fix: "Use it in a campaign, delete it, or set `lints.unused.level: off`.",
        files: [file("campaigns/audiences.yaml", "kind: Audience
name: lapsed-users
tags:
  any: [lapsed]
"),],
    }
    GC020 {
        severity: Error,
        title: "a text is longer than Getui accepts (title, text, logo, URL, button, task group, vendor notification…)",
        trigger: "A text field is longer than Getui accepts for it (a title 40 characters, a text 600, a URL 200, a task group 23, …); Getui would refuse the push when it is created. Lengths count characters, as Getui does.",
        fix: "Shorten the field by the number of characters the help gives.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: Our biggest spring sale ever starts this Saturday morning
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC021 {
        severity: Error,
        title: "a URL is not an `http` or `https` URL",
        trigger: "A URL field (a `link` template's `url`, a logo, a download) is not a full `http://` or `https://` URL, so the phone could not open it.",
        fix: "Write a full URL starting with `https://`, without spaces.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: link
  title: Spring sale
  text: Up to 50% off
  url: shop.example.com/sale
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC022 {
        severity: Error,
        title: "the APNs JSON built for iOS is larger than 3072 bytes",
        trigger: "The payload gtcamp builds for Apple's push service from the template (the `ios` alert, the custom data) is larger than the 3072 bytes Apple and Getui accept. Chinese characters take 3 bytes each.",
        fix: "Shorten the iOS texts or the custom data; send a key the app looks the rest up with.",
        files: [ExampleFile {
            path: "campaigns/sale.yaml",
            content: Content::Long {
                text: "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
  ios:
    body: {long}
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
",
                unit: "春",
                times: 1100,
            },
        }],
    }
    GC023 {
        severity: Error,
        title: "a field the template's type requires is missing",
        trigger: "Each template `type` needs its own fields: a `notification` a `title` and `text`, a `link` also a `url`, a `transmission` its `transmission` payload, a `popload` its `popload` block. This template lacks one.",
        fix: "Add the field the message names, or pick the type that matches what the template should do.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: link
  title: Spring sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC024 {
        severity: Error,
        title: "a field does not belong to the template's type",
        trigger: "A template sets a field its `type` does not send, such as a `url` on a `notification` (only a `link` opens one). Getui would ignore it, so the push would not do what the YAML says.",
        fix: "Remove the field, or change the template's `type` to one that uses it (the help says which).",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
  url: https://shop.example.com/sale
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC025 {
        severity: Error,
        title: "a display window is 10 minutes or shorter",
        trigger: "A template's `display_window` (when phones may show the push) lasts 10 minutes or less, which Getui refuses.",
        fix: "Make the window longer than 10 minutes, or remove it.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
  display_window:
    start: 2030-03-01T10:00:00+08:00
    end: 2030-03-01T10:10:00+08:00
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC026 {
        severity: Error,
        title: "a `Moved` document renames nothing, several things, or a name to itself",
        trigger: "A `Moved` document must say exactly one of `campaign`, `template` or `audience`, each with a `from` and a different `to`.",
        fix: "Write one `Moved` document per rename, such as `campaign: {from: spring-sale, to: spring-sale-2027}`.",
        files: [file("campaigns/moves.yaml", "kind: Moved
campaign:
  from: sale
  to: sale
"),],
    }
    GC027 {
        severity: Error,
        title: "a `Moved` or `Removed` names a campaign, template or audience the workspace still declares",
        trigger: "The old name of a `Moved` (its `from`), or the campaign of a `Removed`, is still declared. gtcamp cannot tell whether state's pushes belong to the declared one or went elsewhere.",
        fix: "Rename the document to the `Moved`'s `to` (or delete it, for a `Removed`), or remove the `Moved` or `Removed` document.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
---
kind: Removed
campaign: sale
cancel: false
"),],
    }
    GC028 {
        severity: Error,
        title: "a `Moved` leads to a name the workspace does not declare",
        trigger: "A `Moved`'s `to`, followed through any further `Moved` documents, is not a declared campaign, template or audience (or the renames go round in a circle). State would move its pushes to a name that nothing wants, and the next plan would cancel them.",
        fix: "Correct `to` to the new name, or declare the document under that name.",
        files: [file("campaigns/moves.yaml", "kind: Moved
campaign:
  from: spring-sale
  to: spring-sael
"),],
    }
    GC029 {
        severity: Error,
        title: "two `Moved` or `Removed` documents say what became of the same name",
        trigger: "The same old name is the `from` of two `Moved` documents, or is both moved and removed, so where its pushes go is ambiguous.",
        fix: "Keep one of them.",
        files: [file("campaigns/moves.yaml", "kind: Moved
campaign:
  from: spring-sale
  to: spring-sale-2027
---
kind: Removed
campaign: spring-sale
cancel: false
"),
        file("campaigns/sale.yaml", "kind: Campaign
name: spring-sale-2027
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC030 {
        severity: Error,
        title: "an SMS fallback has an empty template id",
        trigger: "A template's `sms:` fallback has an empty `template_id`, so Getui would not know which approved SMS template to send.",
        fix: "Write the id of the SMS template approved on Getui, or remove `sms`.",
        files: [file("campaigns/shipped.yaml", r#"kind: Campaign
name: shipped
template:
  type: notification
  title: Shipped
  text: Your order is on its way
  sms:
    template_id: ""
    delay: 2h
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"#),],
    }
    GC031 {
        severity: Error,
        title: "an SMS delay is longer than the offline keep time or than 3 days",
        trigger: "The SMS fallback is sent `delay` after the push if the push was not delivered. A delay longer than 3 days, or than the time Getui keeps the push for offline phones (`offline_keep`), means the fallback is never sent.",
        fix: "Shorten `sms.delay`, or lengthen the campaign's `delivery.offline_keep`.",
        files: [file("campaigns/shipped.yaml", r#"kind: Campaign
name: shipped
template:
  type: notification
  title: Shipped
  text: Your order is on its way
  sms:
    template_id: "100"
    params:
      order: DS1
    delay: 3h
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
delivery:
  offline_keep: 2h
"#),],
    }
    GC032 {
        severity: Error,
        title: "an SMS with an app link also sets a `url` parameter",
        trigger: "An SMS fallback with an `applink` fills the SMS's `url` parameter itself; a `url` in `params` would collide with it.",
        fix: "Remove `url` from `sms.params`, or remove the `applink`.",
        files: [file("campaigns/shipped.yaml", r#"kind: Campaign
name: shipped
template:
  type: notification
  title: Shipped
  text: Your order is on its way
  sms:
    template_id: "100"
    delay: 1h
    params:
      order: DS1
      url: https://shop.example.com/orders
    applink:
      url: https://shop.example.com/app
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"#),],
    }
    GC033 {
        severity: Error,
        title: "the rendered SMS text is longer than 70 characters",
        trigger: "The SMS template's text (from `sms_templates` in `gtcamp.yaml`), with its placeholders filled from `params`, is longer than the 70 characters of one SMS; it would be split and billed as several.",
        fix: "Shorten the parameters, or use a shorter SMS template.",
        files: [file("campaigns/shipped.yaml", r#"kind: Campaign
name: shipped
template:
  type: notification
  title: Shipped
  text: Your order is on its way
  sms:
    template_id: "100"
    params:
      order: DS-2030-0301-0000000000000000000000000000000000000000000000000000
    delay: 2h
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"#),],
    }
    GC034 {
        severity: Error,
        title: "an SMS template placeholder has no parameter",
        trigger: "The SMS template (from `sms_templates` in `gtcamp.yaml`) has a placeholder such as `${order}` that `sms.params` does not fill; the SMS would go out with the placeholder in it, or be refused.",
        fix: "Add the parameter the message names to `sms.params` (check its spelling).",
        files: [file("campaigns/shipped.yaml", r#"kind: Campaign
name: shipped
template:
  type: notification
  title: Shipped
  text: Your order is on its way
  sms:
    template_id: "100"
    params:
      orders: DS1
    delay: 2h
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"#),],
    }
    GC040 {
        severity: Error,
        title: "an alias has characters other than letters, digits, `_`, CJK, or is over 40 bytes",
        trigger: "An alias in an audience holds a character Getui does not accept in aliases (a `-`, a space, punctuation), or is longer than 40 bytes in UTF-8 (13 Chinese characters).",
        fix: "Write the alias as the app bound it; aliases use letters, digits, `_` or CJK characters.",
        files: [file("campaigns/testers.yaml", "kind: Audience
name: testers
aliases:
  - user_1001
  - user-1002
"),],
    }
    GC041 {
        severity: Error,
        title: "an audience mixes filters, aliases, cids and `all_users`",
        trigger: "An audience chooses users in more than one way: filters (`phone_types`, `regions`, `tags`), `aliases`, `cids` or `all_users`. Getui sends each way with a different call, so one push cannot combine them.",
        fix: "Keep one way per audience, and make another audience (and campaign) for the other group.",
        files: [file("campaigns/testers.yaml", "kind: Audience
name: testers
tags:
  any: [beta]
aliases:
  - user_1001
"),],
    }
    GC042 {
        severity: Error,
        title: "an audience selects nobody",
        trigger: "An audience gives no filter, alias or cid and does not say `all_users: true`. gtcamp never reads an empty audience as everyone: a forgotten filter must not send to every user.",
        fix: "Give filters, `aliases` or `cids`, or write `all_users: true` to mean everyone.",
        files: [file("campaigns/everyone.yaml", "kind: Audience
name: everyone
description: all our users
"),],
    }
    GC043 {
        severity: Error,
        title: "a phone type other than `android` / `ios`",
        trigger: "An audience's `phone_types` filter names a value other than `android` and `ios` (the help corrects a typo).",
        fix: "Write `android` or `ios`.",
        files: [file("campaigns/ios-users.yaml", "kind: Audience
name: ios-users
phone_types:
  any: [iOS]
"),],
    }
    GC044 {
        severity: Error,
        title: "a region that is neither one of China's 34 province-level divisions nor one of its 333 prefecture-level cities (in `lints.quiet_hours.regions`: not a province)",
        trigger: "An audience's `regions` filter names a place that is not a province-level division or prefecture-level city of China, by its Chinese name (the help offers the names it may mean). In `lints.quiet_hours.regions`, quiet hours are set per province, so a city is refused there too.",
        fix: "Write the region's Chinese name, with or without 省/市/自治区 (`广东` or `广东省`).",
        files: [file("campaigns/south.yaml", "kind: Audience
name: south
regions:
  any:
    - 广东
    - 广洲
"),],
    }
    GC045 {
        severity: Error,
        title: "a `pn_md5` that is not 32 lowercase hex characters",
        trigger: "A `PhoneBindings` pair's `pn_md5` is not an md5 hash written as 32 lowercase hex characters, as Getui expects it.",
        fix: "Write the md5 of the phone number in lowercase hex, or list clear numbers in a CSV outside git and point `source` at it.",
        files: [file("bindings/phones.yaml", "kind: PhoneBindings
name: phones
pairs:
  - cid: de30c1d0000000000000000000000001
    pn_md5: FFD07E1A0527AAEADD164D4A149A6506
"),],
    }
    GC046 {
        severity: Error,
        title: "a phone CSV row whose number is not a valid CN mobile number",
        trigger: "A row of the phone CSV (`source` of a `PhoneBindings`) holds a number that is not a mainland China mobile number (11 digits starting with 13 to 19, optionally after `+86`). The number is masked in the message, since terminal output ends up in CI logs.",
        fix: "Correct the number in the CSV, or remove the row.",
        files: [
            file("bindings/phones.yaml", "kind: PhoneBindings
name: phones
source: phones.csv
"),
            file("bindings/phones.csv", "cid,phone
de30c1d0000000000000000000000001,13800138000
de30c1d0000000000000000000000002,2380013800
"),
        ],
    }
    GC047 {
        severity: Error,
        title: "a clear phone number written in YAML",
        trigger: "A YAML value anywhere in the workspace is a mainland China mobile number in clear. Phone numbers are personal data and the workspace lives in git: gtcamp hashes numbers from a CSV kept outside it, and expects only their md5 in YAML.",
        fix: "Write the number's md5 in `pn_md5`, or move the number to a CSV outside git and point a `PhoneBindings` `source` at it.",
        files: [file("bindings/phones.yaml", r#"kind: PhoneBindings
name: phones
pairs:
  - cid: de30c1d0000000000000000000000001
    pn_md5: "13800138000"
"#),],
    }
    GC048 {
        severity: Error,
        title: "an audience lists more than 1000 aliases or cids (one list push takes at most 1000)",
        trigger: "An audience of `aliases` or `cids` lists more than 1000 of them; gtcamp sends such an audience as one Getui list push, which takes at most 1000 targets.",
        fix: "Split the audience into campaigns of at most 1000, or tag the users and target the tag.",
        files: [ExampleFile {
            path: "campaigns/testers.yaml",
            content: Content::Long {
                text: "kind: Audience
name: testers
cids:{long}
",
                unit: "\n  - de30c1d0000000000000000000000000",
                times: 1001,
            },
        }],
    }
    GC049 {
        severity: Error,
        title: "a prefecture-level city in an audience, on a legacy target (`getui`, or a sandbox speaking legacy): cities need REST API V2",
        trigger: "An audience's `regions` names a prefecture-level city, and the target it is sent through speaks Getui's legacy protocol, which targets provinces only. `validate` judges every target in `gtcamp.yaml`; `plan` and `apply` the one they run against.",
        fix: "Send the audience through a `getui-v2` target (or a sandbox with `protocol: v2`), or name its province instead.",
        files: [file("campaigns/shenzhen.yaml", "kind: Audience
name: shenzhen
regions:
  any: [深圳]
"),],
    }
    GC050 {
        severity: Error,
        title: "an offline keep time outside 1h to 72h",
        trigger: "`offline_keep` (how long Getui holds a push for a phone that is offline), in a campaign's `delivery` or in `defaults`, is shorter than 1 hour or longer than 72 hours, outside what Getui accepts.",
        fix: "Write a duration from `1h` to `72h`.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
delivery:
  offline_keep: 30m
"),],
    }
    GC051 {
        severity: Error,
        title: "a schedule with neither or both of `at` and `cron`",
        trigger: "A campaign's `schedule` must say when it sends either once (`at`) or again and again (`cron`); this one says neither, or both.",
        fix: "Keep `at` for a one-off push, or `cron` (with `from` and `until`) for a recurring one.",
        files: [file("campaigns/sale.yaml", r#"kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
  cron: "0 10 * * 1"
"#),],
    }
    GC052 {
        severity: Error,
        title: "a time zone that is not an IANA name",
        trigger: "A `timezone` (of a cron schedule, or in `defaults`) is not an IANA time zone name such as `Asia/Shanghai`; abbreviations like `CST` and offsets are ambiguous.",
        fix: "Write an IANA name, such as `Asia/Shanghai` or `Asia/Tokyo`.",
        files: [file("campaigns/digest.yaml", r#"kind: Campaign
name: digest
template:
  type: notification
  title: This week
  text: Your weekly digest
audience:
  all_users: true
schedule:
  cron: "0 9 * * 1"
  timezone: CST
  from: 2030-03-01
"#),],
    }
    GC053 {
        severity: Error,
        title: "a cron rule that does not parse",
        trigger: "A schedule's `cron` is not a five-field cron rule (minute, hour, day of month, month, day of week), or one of its fields is out of range.",
        fix: "Write five fields, such as `0 9 * * 1` for Mondays at 09:00.",
        files: [file("campaigns/digest.yaml", r#"kind: Campaign
name: digest
template:
  type: notification
  title: This week
  text: Your weekly digest
audience:
  all_users: true
schedule:
  cron: "0 25 * * 1"
  from: 2030-03-01
"#),],
    }
    GC054 {
        severity: Error,
        title: "a cron rule with no occurrence between `from` and `until`",
        trigger: "A cron rule never fires between the schedule's `from` and `until`, as `0 10 31 2 *` (February 31st) never does, so the campaign would send nothing.",
        fix: "Correct the rule or widen `from` and `until`.",
        files: [file("campaigns/digest.yaml", r#"kind: Campaign
name: digest
template:
  type: notification
  title: This month
  text: Your monthly digest
audience:
  all_users: true
schedule:
  cron: "0 10 31 2 *"
  from: 2030-03-01
  until: 2031-12-31
"#),],
    }
    GC055 {
        severity: Warning,
        title: "an `at` in the past (`plan` and `apply` refuse it unless state records it as created or sent)",
        trigger: "A one-off campaign's `at` is already past. `validate` warns, since it may have been sent. `plan` and `apply` report the same code as an error, stopping the run, unless the target's state records the push as created or sent: a past `at` is most often a mistyped year, and Getui would send it at once.",
        fix: "Set a future `at` (check the year), or `enabled: false` if it was sent without gtcamp.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2029-03-01T10:00:00+08:00
"),],
    }
    GC056 {
        severity: Error,
        title: "`from` is after `until`",
        trigger: "A recurring schedule's `from` is after its `until`, so the campaign would never send.",
        fix: "Swap or correct the two bounds.",
        files: [file("campaigns/digest.yaml", r#"kind: Campaign
name: digest
template:
  type: notification
  title: This week
  text: Your weekly digest
audience:
  all_users: true
schedule:
  cron: "0 9 * * 1"
  from: 2030-06-01
  until: 2030-03-01
"#),],
    }
    GC057 {
        severity: Error,
        title: "`timezone`, `from` or `until` given with `at`",
        trigger: "A one-off schedule (`at`) sets `timezone`, `from` or `until`, which only a `cron` schedule reads. An `at` carries its own offset, so a `timezone` beside it would be silently ignored.",
        fix: "Remove them, and write the offset in `at` itself (`+08:00`).",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
  timezone: Asia/Tokyo
"),],
    }
    GC058 {
        severity: Warning,
        title: "an `at`, `from`, `until` or display window instant has seconds; the minute used is named",
        trigger: "An instant is written with seconds, but Getui schedules to the minute. gtcamp uses the minute the message names, which may not be the one meant.",
        fix: "Write the instant to the minute (`10:00:00` or `10:00`).",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:42+08:00
"),],
    }
    GC059 {
        severity: Error,
        title: "an `at`, `from`, `until` or display window instant (or day) outside the years 1970 to 9999, Beijing time",
        trigger: "An instant or day falls before 1970 or after 9999 in Beijing time, outside what Getui and gtcamp's arithmetic handle (often a typo in the year).",
        fix: "Correct the year.",
        files: [file("campaigns/digest.yaml", r#"kind: Campaign
name: digest
template:
  type: notification
  title: This week
  text: Your weekly digest
audience:
  all_users: true
schedule:
  cron: "0 9 * * 1"
  from: 1969-12-31
"#),],
    }
    GC060 {
        severity: Error,
        title: "a `getui` target without an http(s) `endpoint`, or a `getui-v2` target whose `endpoint` or `bindings_endpoint` is not http(s)",
        trigger: "A real Getui target's `endpoint` (where gtcamp sends its calls) is missing or not an http(s) URL.",
        fix: "Write the endpoint Getui gave your app, such as `https://api.getui.com/apiex.htm`.",
        files: [file("gtcamp.yaml", "kind: Workspace
name: demo
app_id: demo
default_target: production
targets:
  production:
    type: getui
defaults:
  class: marketing
"),],
    }
    GC061 {
        severity: Error,
        title: "`default_target` names no target",
        trigger: "`default_target` in `gtcamp.yaml` names a target `targets` does not define, so commands run without `--target` would have nowhere to go.",
        fix: "Name one of the targets, or add the target.",
        files: [file("gtcamp.yaml", "kind: Workspace
name: demo
app_id: demo
default_target: prod
targets:
  sandbox:
    type: sandbox
defaults:
  class: marketing
"),],
    }
    GC062 {
        severity: Error,
        title: "quiet hours or a vendor's marketing hours not written `HH:MM`",
        trigger: "A time of day in `defaults.quiet_hours`, `lints.quiet_hours` or a phone maker's marketing hours is not written as `HH:MM` on a 24-hour clock.",
        fix: "Write the time as `HH:MM`, quoted (`\"22:00\"`), since YAML reads some unquoted times as numbers.",
        files: [file("gtcamp.yaml", r#"kind: Workspace
name: demo
app_id: demo
default_target: sandbox
targets:
  sandbox:
    type: sandbox
defaults:
  class: marketing
  quiet_hours:
    start: "10pm"
    end: "08:00"
"#),],
    }
    GC063 {
        severity: Error,
        title: "a delivery speed of 0",
        trigger: "A campaign's `delivery.speed` (pushes per second Getui paces it at) is 0, which would never send anything.",
        fix: "Give a positive speed, or remove `speed` to send at Getui's pace.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
delivery:
  speed: 0
"),],
    }
    GC064 {
        severity: Error,
        title: "`state.url_env` is not an environment variable name",
        trigger: "`state.url_env` in `gtcamp.yaml` names the environment variable the PostgreSQL URL is read from; this value is not a variable name (often the URL itself, which must not be in git).",
        fix: "Write a variable name such as `GTCAMP_STATE_URL`, and put the URL in that variable.",
        files: [file("gtcamp.yaml", "kind: Workspace
name: demo
app_id: demo
default_target: sandbox
targets:
  sandbox:
    type: sandbox
defaults:
  class: marketing
state:
  backend: postgres
  url_env: postgres://ci@db.example.com/gtcamp
"),],
    }
    GC065 {
        severity: Error,
        title: "`state.workspace` breaks the name rules",
        trigger: "`state.workspace` (the key one PostgreSQL database keeps this workspace's state under) holds characters other than `a-z`, `0-9` and `-`, or is longer than 40.",
        fix: "Write it like a name, such as `shop-prod`.",
        files: [file("gtcamp.yaml", "kind: Workspace
name: demo
app_id: demo
default_target: sandbox
targets:
  sandbox:
    type: sandbox
defaults:
  class: marketing
state:
  backend: postgres
  workspace: Shop Prod
"),],
    }
    GC066 {
        severity: Warning,
        title: "a state setting the chosen backend ignores (`url_env`/`workspace` with `local`, `path` with `postgres`)",
        trigger: "`state:` sets something the chosen backend does not read, such as `url_env` with the `local` backend: it probably means the backend is not the one intended.",
        fix: "Remove the setting, or choose the backend that reads it.",
        files: [file("gtcamp.yaml", "kind: Workspace
name: demo
app_id: demo
default_target: sandbox
targets:
  sandbox:
    type: sandbox
defaults:
  class: marketing
state:
  url_env: GTCAMP_STATE_URL
"),],
    }
    GC067 {
        severity: Error,
        title: "`max_push_ahead` (1m–365d), `lead_time` (0s–30d), `horizon` (1m–366d) or `lints.fatigue.window` (0s–30d) out of range",
        trigger: "A duration setting is outside the range gtcamp computes with: a target's `max_push_ahead`, `defaults.lead_time`, `defaults.horizon` or `lints.fatigue.window`. Such values are typos (an extra zero) and would overflow date arithmetic.",
        fix: "Write a duration inside the range the help gives.",
        files: [file("gtcamp.yaml", "kind: Workspace
name: demo
app_id: demo
default_target: sandbox
targets:
  sandbox:
    type: sandbox
    max_push_ahead: 1000d
defaults:
  class: marketing
"),],
    }
    GC070 {
        severity: Warning,
        configurable: true,
        title: "two campaigns that can reach the same people send within `lints.fatigue.window`",
        trigger: "Two campaigns whose audiences may overlap send within `lints.fatigue.window` of each other (by default 4 hours). People who get both may mute the app or uninstall it. It is a campaign lint: it runs on the expanded sends, once the workspace has no error.",
        fix: "Move one of the campaigns, narrow an audience, or set `lints.fatigue` (`window`, or `level: off`) in `gtcamp.yaml`.",
        files: [file("campaigns/vip.yaml", "kind: Campaign
name: vip-morning
template:
  type: notification
  title: Good morning
  text: Your VIP offers
audience:
  tags:
    any: [vip]
schedule:
  at: 2030-03-01T10:00:00+08:00
---
kind: Campaign
name: vip-noon
template:
  type: notification
  title: Lunch deals
  text: Your VIP lunch offers
audience:
  tags:
    any: [vip]
schedule:
  at: 2030-03-01T11:00:00+08:00
"),],
    }
    GC071 {
        severity: Warning,
        configurable: true,
        title: "a campaign sends inside quiet hours",
        trigger: "A campaign sends inside the quiet hours (`defaults.quiet_hours`, by default 22:00 to 08:00, or those `lints.quiet_hours.regions` sets for the audience's provinces), when a push wakes people up.",
        fix: "Send at another time, or set `lints.quiet_hours` (`level: off`) in `gtcamp.yaml` for a push that must go out at night.",
        files: [file("campaigns/late.yaml", "kind: Campaign
name: late
template:
  type: notification
  title: Flash sale
  text: Two hours only
audience:
  all_users: true
schedule:
  at: 2030-03-01T23:30:00+08:00
"),],
    }
    GC072 {
        severity: Warning,
        configurable: true,
        title: "a campaign falls back to SMS but no phone number is bound for its audience",
        trigger: "A campaign's template falls back to SMS, but no `PhoneBindings` document binds a phone number to any device, so Getui has no number to send the SMS to.",
        fix: "Add a `PhoneBindings` document for the audience's devices, or remove the SMS fallback.",
        files: [file("campaigns/shipped.yaml", r#"kind: Campaign
name: shipped
template:
  type: notification
  title: Shipped
  text: Your order is on its way
  sms:
    template_id: "100"
    params:
      order: DS1
    delay: 2h
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"#),],
    }
    GC073 {
        severity: Warning,
        configurable: true,
        title: "on one day in China time, more marketing pushes can reach one Android device than a phone maker shows (`vendors.<code>.marketing_per_day`, else its published cap)",
        trigger: "Phone makers cap how many marketing pushes their channels show one device a day (Xiaomi shows one a day on its default channel). On one day in China time, the campaigns here can send one Android device more marketing pushes than the strictest maker shows; the rest are silently dropped.",
        fix: "Send fewer marketing pushes that day, mark pushes that are service messages `class: service`, register a marketing channel with the maker (`vendors.xm.marketing.channel_id`), or set `lints.vendor_quota` in `gtcamp.yaml`.",
        files: [
            V2_SETTINGS,
            file("campaigns/sales.yaml", "kind: Campaign
name: morning-sale
template:
  type: notification
  title: Morning sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
---
kind: Campaign
name: evening-sale
template:
  type: notification
  title: Evening sale
  text: Up to 30% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T18:00:00+08:00
"),
        ],
    }
    GC074 {
        severity: Warning,
        configurable: true,
        title: "a marketing push sent outside a phone maker's marketing hours in China time (vivo drops it, Huawei and Honor hold it)",
        trigger: "Some phone makers deliver marketing pushes only in daytime hours, China time (vivo drops one sent outside 07:00–23:00; Huawei and Honor hold one sent before 06:00 until 06:00; `vendors.<code>.marketing_hours` replaces these). A marketing campaign here sends outside them.",
        fix: "Send between the makers' marketing hours, mark a service message `class: service`, or set `lints.vendor_hours` in `gtcamp.yaml`.",
        files: [
            V2_SETTINGS,
            file("campaigns/late.yaml", "kind: Campaign
name: late
template:
  type: notification
  title: Flash sale
  text: Two hours only
audience:
  all_users: true
schedule:
  at: 2030-03-01T05:30:00+08:00
"),
        ],
    }
    GC080 {
        severity: Error,
        title: "a `popload` template, on a REST API V2 target",
        trigger: "A `popload` template (a notification that pops up a download dialog) is sent through a target that speaks REST API V2, which has no such push.",
        fix: "Send it through a legacy `getui` target, or make it a `link` template.",
        files: [
            V2_SETTINGS,
            file("campaigns/download.yaml", "kind: Campaign
name: download
template:
  type: popload
  title: New version
  text: Download version 3.0
  popload:
    popup_title: Version 3.0
    popup_text: Download it now?
    download_button: 下载
    cancel_button: 取消
    download_title: Shop 3.0
    download_url: https://shop.example.com/app.apk
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),
        ],
    }
    GC081 {
        severity: Error,
        title: "a template with SMS fallback (`sms`), on a REST API V2 target",
        trigger: "A template falls back to SMS, and the target it is sent through speaks REST API V2, which gtcamp cannot send SMS fallback through.",
        fix: "Send it through a legacy `getui` target, or remove `sms`.",
        files: [
            V2_SETTINGS,
            file("campaigns/shipped.yaml", r#"kind: Campaign
name: shipped
template:
  type: notification
  title: Shipped
  text: Your order is on its way
  sms:
    template_id: "100"
    params:
      order: DS1
    delay: 2h
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"#),
        ],
    }
    GC082 {
        severity: Error,
        title: "a campaign delivered over cellular data only (`network: cellular`), on a REST API V2 target",
        trigger: "A campaign asks for delivery over cellular data only, which REST API V2 cannot ask for (it has Wi-Fi only, or any network).",
        fix: "Use `network: any` or `network: wifi`, or a legacy `getui` target.",
        files: [
            V2_SETTINGS,
            file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
delivery:
  network: cellular
"),
        ],
    }
    GC083 {
        severity: Error,
        title: "a task group with characters other than `0-9`, `A-Z`, `a-z`, `_`, `-`, on a REST API V2 target",
        trigger: "A campaign's `delivery.task_group` (the name Getui's reports group pushes by) holds characters REST API V2 refuses, such as Chinese characters or spaces.",
        fix: "Write the task group with ASCII letters, digits, `_` and `-`.",
        files: [
            V2_SETTINGS,
            file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
delivery:
  task_group: 双十二
"),
        ],
    }
    GC084 {
        severity: Error,
        title: "`PhoneBindings` on a `getui-v2` target without `bindings_endpoint`",
        trigger: "The workspace binds phone numbers, and a `getui-v2` target has no `bindings_endpoint`: REST API V2 binds numbers through a separate legacy endpoint, which gtcamp must be told.",
        fix: "Add `bindings_endpoint` to the target (Getui's legacy endpoint for your app).",
        files: [
            file("gtcamp.yaml", "kind: Workspace
name: demo
app_id: demo
default_target: production
targets:
  production:
    type: getui-v2
defaults:
  class: marketing
"),
            file("bindings/phones.yaml", "kind: PhoneBindings
name: phones
pairs:
  - cid: de30c1d0000000000000000000000001
    pn_md5: ffd07e1a0527aaeadd164d4a149a6506
"),
        ],
    }
    GC085 {
        severity: Error,
        title: "a target setting its type does not read (`protocol` on a non-sandbox, `bindings_endpoint` on a non-`getui-v2` target)",
        trigger: "A target sets something its `type` ignores: `protocol` (only a sandbox can speak either protocol) or `bindings_endpoint` (only a `getui-v2` target reads it). It was probably meant for another target or type.",
        fix: "Remove the setting, or change the target's `type` (`getui-v2` for REST API V2).",
        files: [file("gtcamp.yaml", "kind: Workspace
name: demo
app_id: demo
default_target: production
targets:
  production:
    type: getui
    endpoint: https://api.getui.com/apiex.htm
    protocol: v2
defaults:
  class: marketing
"),],
    }
    GC086 {
        severity: Error,
        title: "a `link` template with `transmission`, on a REST API V2 target",
        trigger: "A `link` template also carries a `transmission` payload, which REST API V2 cannot send beside a link.",
        fix: "Remove `transmission`, or send through a legacy `getui` target.",
        files: [
            V2_SETTINGS,
            file("campaigns/sale.yaml", r#"kind: Campaign
name: sale
template:
  type: link
  title: Spring sale
  text: Up to 50% off
  url: https://shop.example.com/sale
  transmission:
    content: '{"action":"sale"}'
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"#),
        ],
    }
    GC087 {
        severity: Error,
        title: "a template text longer than 256 characters, on a REST API V2 target",
        trigger: "A template's `text` is longer than the 256 characters REST API V2 accepts (the legacy protocol takes 600).",
        fix: "Shorten the text, or send through a legacy `getui` target.",
        files: [
            V2_SETTINGS,
            ExampleFile {
                path: "campaigns/sale.yaml",
                content: Content::Long {
                    text: "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: {long}
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
",
                    unit: "春",
                    times: 300,
                },
            },
        ],
    }
    GC090 {
        severity: Warning,
        title: "templates without a message class and no `defaults.class`: sent as marketing (said once per workspace)",
        trigger: "Templates say no `class` (`marketing` or `service`) and `gtcamp.yaml` sets no `defaults.class`, so gtcamp tells the phone makers their pushes are marketing, which the makers cap per day and hold at night. Said once per workspace.",
        fix: "Set `defaults.class` in `gtcamp.yaml`, and `class: service` on templates that are service messages.",
        files: [
            file("gtcamp.yaml", "kind: Workspace
name: demo
app_id: demo
default_target: sandbox
targets:
  sandbox:
    type: sandbox
"),
            file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),
        ],
    }
    GC091 {
        severity: Error,
        title: "a vendor notification tap (`android.click`) that is not exactly one action, or a malformed URL or intent",
        trigger: "`android.click` says what tapping the phone maker's notification does, and must say exactly one thing (`open_app`, `url`, `intent` or `payload`), well formed: an http(s) `url`, an `intent` in the `intent:` URI form.",
        fix: "Keep one action, and write it in the form the help gives.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: transmission
  transmission:
    content: sale
  android:
    title: Spring sale
    text: Up to 50% off
    click:
      open_app: true
      url: https://shop.example.com/sale
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC092 {
        severity: Error,
        title: "a transmission template's `android:` or `harmony:` notification without its own title or text",
        trigger: "A transmission template has no title or text of its own, so the notification the phone makers show for it (`android:` or `harmony:`) must give both; this one lacks one.",
        fix: "Add the missing `title` or `text` to the notification block.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: transmission
  transmission:
    content: sale
  android:
    title: Spring sale
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC093 {
        severity: Error,
        title: "a service template whose `harmony:` notification names no category",
        trigger: "HarmonyOS shows a service message only under a category Huawei approved for the app; a `class: service` template with a `harmony:` notification must name it, in the template or in `vendors.hw.service.category`.",
        fix: "Set `harmony.category`, or `vendors.hw.service.category` in `gtcamp.yaml`.",
        files: [
            V2_SETTINGS,
            file("campaigns/reminder.yaml", "kind: Campaign
name: reminder
template:
  type: notification
  class: service
  title: Check in
  text: You have not checked in today
  harmony:
    title: Check in
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),
        ],
    }
    GC094 {
        severity: Error,
        title: "on a legacy target: a `harmony:` notification, an `android:` notification on a non-transmission template, or a channel strategy",
        trigger: "The legacy protocol carries a phone maker's notification only in a transmission template's `android:` block. A `harmony:` notification, an `android:` one on another type of template, or a channel `strategy` would be dropped on a legacy target.",
        fix: "Send through a REST API V2 target (`getui-v2`, or a sandbox with `protocol: v2`), or make the template a transmission.",
        files: [file("campaigns/sale.yaml", "kind: Campaign
name: sale
template:
  type: notification
  title: Spring sale
  text: Up to 50% off
  android:
    title: Spring sale
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC095 {
        severity: Warning,
        title: "on a legacy target: a service template that is not a transmission, which legacy sends through Getui's own channel only (the makers' channels carry only a transmission's vendor notification)",
        trigger: "A `class: service` template that is not a transmission, on a legacy target: legacy sends it through Getui's own channel only, which reaches an Android phone only while the app runs. The phone makers' channels, which reach the rest, carry only a transmission's `android:` notification.",
        fix: "Make it a transmission with an `android:` notification, or send through a REST API V2 target.",
        files: [file("campaigns/reminder.yaml", "kind: Campaign
name: reminder
template:
  type: notification
  class: service
  title: Check in
  text: You have not checked in today
audience:
  all_users: true
schedule:
  at: 2030-03-01T10:00:00+08:00
"),],
    }
    GC096 {
        severity: Error,
        title: "a test device not written `cid:<client id>` or `alias:<alias>`",
        trigger: "An entry of `test_devices` in `gtcamp.yaml` (the devices `gtcamp send-test` sends to by name) does not start with `cid:` or `alias:`, names nothing after it, or has a space in it.",
        fix: "Write `cid:` and the device's client id, or `alias:` and an alias bound to the device.",
        files: [file("gtcamp.yaml", "kind: Workspace
name: demo
app_id: demo
default_target: sandbox
targets:
  sandbox:
    type: sandbox
defaults:
  class: marketing
test_devices:
  ana-phone: 0b1e6d3f8a2c4e5f
"),],
    }
}
