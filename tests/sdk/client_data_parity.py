"""Checks that gtcamp's clientData equals what the official Getui SDK builds.

Reads a JSON list of cases on stdin. Each case describes a template in the SDK's own terms
(class, attributes, style, APNs payload, display window, SMS) and carries the base64
`clientData` gtcamp encoded for it. For every case this script builds the template with
gt-push-sdk 4.1.1.2, decodes both byte strings with the SDK's `gt_req_pb2.Transparent` and
compares the messages; it also compares `pushType` and `transmissionContent`.

Two known, deliberate differences are normalised before comparing, and nothing else:
  * the display window: the SDK writes floats (`duration=1425462022000.0-…`), gtcamp integer
    milliseconds like the Java SDK (getui-protocol.md D.6);
  * style flags (`is_noring` …, InnerFiled type bool): the SDK writes Python's `True`/`False`,
    gtcamp `true`/`false` like the Java SDK (D.5).

Exit status 0 when every case matches; 1 with a readable diff per mismatching case.
Run with .venv/bin/python (scripts/setup-test-tools); sdk_shim must be imported first.
"""

import base64
import difflib
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sdk_shim  # noqa: E402,F401  (must precede gt_push_sdk)

os.environ["TZ"] = "Asia/Shanghai"
time.tzset()

from gt_push_sdk.igetui.template.igt_link_template import LinkTemplate  # noqa: E402
from gt_push_sdk.igetui.template.igt_notification_template import NotificationTemplate  # noqa: E402
from gt_push_sdk.igetui.template.igt_notypopload_template import NotyPopLoadTemplate  # noqa: E402
from gt_push_sdk.igetui.template.igt_transmission_template import TransmissionTemplate  # noqa: E402
from gt_push_sdk.igetui.template.notify.igt_notify import Notify  # noqa: E402
from gt_push_sdk.igetui.template.notify.igt_smsmessage import SmsMessage  # noqa: E402
from gt_push_sdk.igetui.template.style.Style0 import Style0  # noqa: E402
from gt_push_sdk.igetui.template.style.Style1 import Style1  # noqa: E402
from gt_push_sdk.igetui.template.style.Style4 import Style4  # noqa: E402
from gt_push_sdk.igetui.template.style.Style6 import Style6  # noqa: E402
from gt_push_sdk.payload.APNPayload import APNPayload, DictionaryAlertMsg, SimpleAlertMsg  # noqa: E402
from gt_push_sdk.protobuf import gt_req_pb2  # noqa: E402

TEMPLATES = {
    "notification": NotificationTemplate,
    "link": LinkTemplate,
    "popload": NotyPopLoadTemplate,
    "transmission": TransmissionTemplate,
}
STYLES = {"Style0": Style0, "Style1": Style1, "Style4": Style4, "Style6": Style6}
BOOL_TYPE = gt_req_pb2.InnerFiled.bool


def apns_payload(spec):
    payload = APNPayload()
    alert = spec.get("alert")
    if isinstance(alert, str):
        payload.alertMsg = SimpleAlertMsg()
        payload.alertMsg.alertMsg = alert
    elif isinstance(alert, dict):
        payload.alertMsg = DictionaryAlertMsg()
        for key, value in alert.items():
            setattr(payload.alertMsg, key, value)
    if "badge" in spec:
        payload.badge = spec["badge"]
    if "autoBadge" in spec:
        payload.autoBadge = spec["autoBadge"]
    if "sound" in spec:
        # The SDK reads `sound` but tests `sound_str` (D.11 quirk 6): set both.
        payload.sound = spec["sound"]
        payload.sound_str = spec["sound"]
    if "category" in spec:
        payload.category = spec["category"]
    if "contentAvailable" in spec:
        payload.contentAvailable = spec["contentAvailable"]
    for key, value in spec.get("custom", []):
        payload.addCustomMsg(key, value)
    return payload


def sms_message(spec):
    sms = SmsMessage()
    sms.setSmsTemplateId(spec["smsTemplateId"])
    sms.setSmsContent(dict(spec["smsContent"]))
    sms.setOfflineSendtime(spec["offlineSendtime"])
    sms.isApplink = spec["isApplink"]
    sms.setUrl(spec.get("url"))
    sms.setPayload(spec.get("payload"))
    return sms


NOTIFY_TYPES = {
    "payload": gt_req_pb2.NotifyInfo._payload,
    "intent": gt_req_pb2.NotifyInfo._intent,
    "url": gt_req_pb2.NotifyInfo._url,
    "startapp": gt_req_pb2.NotifyInfo._startApp,
}
EXT_KV_ADDERS = {
    "HW": Notify.addHWExtKV,
    "XM": Notify.addXMExtKV,
    "MZ": Notify.addMZExtKV,
    "OP": Notify.addOPExtKV,
    "VV": Notify.addVVExtKV,
}


def third_party_notify(spec):
    """The vendor notification of a transmission template (set3rdNotifyInfo)."""
    notify = Notify()
    notify.setTitle(spec["title"])
    notify.setContent(spec["content"])
    notify.setType(NOTIFY_TYPES[spec["type"]])
    if spec.get("payload") is not None:
        notify.setPayload(spec["payload"])
    if spec.get("intent") is not None:
        notify.setIntent(spec["intent"])
    if spec.get("url") is not None:
        notify.setUrl(spec["url"])
    for vendor, key, value in spec["extKV"]:
        EXT_KV_ADDERS[vendor](notify, key, value)
    return notify


def sdk_template(case):
    template = TEMPLATES[case["template"]]()
    template.appKey = case["appKey"]
    template.appId = case["appId"]
    for key, value in case["attrs"].items():
        setattr(template, key, value)
    if case.get("style"):
        style = STYLES[case["style"]["class"]]()
        for key, value in case["style"]["attrs"].items():
            setattr(style, key, value)
        template.style = style
    if case.get("apns"):
        template.setApnInfo(apns_payload(case["apns"]))
    if case.get("duration"):
        template.setDuration(*case["duration"])
    if case.get("sms"):
        template.setSmsInfo(sms_message(case["sms"]))
    if case.get("notify"):
        template.set3rdNotifyInfo(third_party_notify(case["notify"]))
    return template


def dump(message, indent=""):
    """Text lines of a message, one field per line, like protobuf's text format.

    Written here because the protobuf runtime bundled with the SDK is too old for the
    installed `google.protobuf.text_format`.
    """
    lines = []
    for descriptor, value in message.ListFields():
        values = value if descriptor.label == descriptor.LABEL_REPEATED else [value]
        for item in values:
            if descriptor.type == descriptor.TYPE_MESSAGE:
                lines.append(f"{indent}{descriptor.name} {{")
                lines.extend(dump(item, indent + "  "))
                lines.append(f"{indent}}}")
            elif descriptor.type == descriptor.TYPE_ENUM:
                name = descriptor.enum_type.values_by_number[item].name
                lines.append(f"{indent}{descriptor.name}: {name}")
            else:
                lines.append(f"{indent}{descriptor.name}: {json.dumps(item, ensure_ascii=False)}")
    return lines


def normalised(message):
    for index, condition in enumerate(message.condition):
        message.condition[index] = re.sub(r"(\d+)\.0\b", r"\1", condition)
    for chain in message.actionChain:
        for field in chain.field:
            if field.type == BOOL_TYPE:
                field.val = field.val.lower()
    return message


def check(case):
    """A list of problem lines; empty when the case matches."""
    template = sdk_template(case)
    expected = normalised(template.getTransparent())
    actual = gt_req_pb2.Transparent()
    actual.ParseFromString(base64.b64decode(case["clientData"]))
    actual = normalised(actual)
    problems = []
    if actual != expected:
        diff = difflib.unified_diff(
            dump(expected),
            dump(actual),
            "official SDK",
            "gtcamp",
            lineterm="",
        )
        problems.append("clientData differs:")
        problems.extend("    " + line for line in diff)
    if case["pushType"] != template.pushType:
        problems.append(f"pushType: SDK {template.pushType!r}, gtcamp {case['pushType']!r}")
    if case["transmissionContent"] != template.transmissionContent:
        problems.append(
            f"transmissionContent: SDK {template.transmissionContent!r}, "
            f"gtcamp {case['transmissionContent']!r}"
        )
    return problems


def main():
    cases = json.load(sys.stdin)
    failed = 0
    for case in cases:
        try:
            problems = check(case)
        except Exception as error:  # the SDK refused the inputs: report, do not crash
            problems = [f"the SDK could not build this case: {error!r}"]
        if problems:
            failed += 1
            print(f"case `{case['name']}` does not match the official SDK:")
            for line in problems:
                print("  " + line)
    print(f"{len(cases) - failed} of {len(cases)} cases match the official SDK")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
