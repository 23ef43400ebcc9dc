"""Makes one call of every operation gtcamp sends, through the official Getui Python SDK
(gt-push-sdk 4.1.1.2), against the gtcamp emulator, so that `tests/protocol/bodies.rs` can
compare the request bodies the emulator recorded with gtcamp's own, key by key.

Usage: request_bodies.py BASE_URL

The emulator must run with app id `demo`, key `demo-key`, secret `demo-secret` and the users
of tests/fixtures/emulator-users.yaml. Prints one JSON line: the task ids it made. Answers
are not checked here (tests/sdk/conformance.py does that); a call that raises fails.
"""

import datetime
import hashlib
import json
import os
import sys

import sdk_shim  # noqa: F401  (must come before gt_push_sdk on Python >= 3.10)

from gt_push_sdk.igt_push import IGeTui
from gt_push_sdk.igetui.igt_message import IGtAppMessage, IGtListMessage, IGtSingleMessage
from gt_push_sdk.igetui.igt_target import Target
from gt_push_sdk.igetui.template.igt_transmission_template import TransmissionTemplate
from gt_push_sdk.igetui.utils.AppConditions import AppConditions, OptType

APP_ID = "demo"
APP_KEY = "demo-key"
MASTER_SECRET = "demo-secret"
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def template(content):
    t = TransmissionTemplate()
    t.appId = APP_ID
    t.appKey = APP_KEY
    t.transmissionType = 2
    t.transmissionContent = content
    return t


def conditions():
    c = AppConditions()
    c.addCondition(AppConditions.PHONE_TYPE, ["ANDROID"])
    c.addCondition(AppConditions.TAG, ["churned"], OptType.NOT)
    return c


def app_message(content, with_conditions):
    message = IGtAppMessage()
    message.data = template(content)
    message.isOffline = True
    message.offlineExpireTime = 12 * 3600 * 1000
    message.appIdList = [APP_ID]
    if with_conditions:
        message.setConditions(conditions())
    # setSpeed writes pushTime (SDK bug D.11): the attribute is set instead.
    at = datetime.datetime.now(BEIJING) + datetime.timedelta(hours=2)
    message.pushTime = at.strftime("%Y%m%d%H%M")
    return message


def main():
    push = IGeTui(sys.argv[1], APP_KEY, MASTER_SECRET)
    push.connect()
    # A scheduled push to an audience, then one to every user (no conditions at all).
    to_some = push.pushMessageToApp(app_message("to some", True), "bodies-some")
    to_all = push.pushMessageToApp(app_message("to all", False), "bodies-all")
    task = to_some.get("contentId", "")
    push.getScheduleTask(task, APP_ID)
    push.getPushResultByTaskidList([task])
    push.delScheduleTask(task, APP_ID)
    push.queryUserCount(APP_ID, conditions())
    push.queryUserCount(APP_ID, AppConditions())

    os.environ["needDetails"] = "true"
    message = IGtListMessage()
    message.data = template("to a list")
    message.isOffline = True
    message.offlineExpireTime = 3600 * 1000
    content_id = push.getContentId(message, "bodies-list")
    targets = []
    for alias in ["alice"]:
        target = Target()
        target.appId = APP_ID
        target.alias = alias
        targets.append(target)
    push.pushMessageToList(content_id, targets)
    target = Target()
    target.appId = APP_ID
    target.clientId = "cid-zj-android-1"
    push.pushMessageToList(push.getContentId(message, "bodies-list"), [target])
    push.stop(content_id)

    # A single push (gtcamp send-test) to a cid, then to an alias.
    single = IGtSingleMessage()
    single.data = template("to one")
    single.isOffline = True
    single.offlineExpireTime = 3600 * 1000
    target = Target()
    target.appId = APP_ID
    target.clientId = "cid-zj-android-1"
    push.pushMessageToSingle(single, target)
    target = Target()
    target.appId = APP_ID
    target.alias = "alice"
    push.pushMessageToSingle(single, target)

    pn = hashlib.md5(b"13800000004").hexdigest()
    push.bindCidPn(APP_ID, {"cid-gd-android-1": pn})
    push.queryCidPn(APP_ID, ["cid-gd-android-1"])
    push.unbindCidPn(APP_ID, ["cid-gd-android-1"])
    push.bindAlias(APP_ID, "frank", "cid-gx-android-1")
    push.queryClientId(APP_ID, "frank")
    print(json.dumps({"to_some": task, "to_all": to_all.get("contentId", "")}))


if __name__ == "__main__":
    main()
