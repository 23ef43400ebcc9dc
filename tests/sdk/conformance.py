"""Drives the gtcamp emulator with the official Getui Python SDK (gt-push-sdk 4.1.1.2).

Usage: conformance.py BASE_URL

The emulator must run with app id `demo`, key `demo-key`, secret `demo-secret` and the users
of tests/fixtures/emulator-users.yaml. Every SDK answer is checked; the first mismatch prints
`conformance: FAIL: ...` to stderr and exits 1. On success the last stdout line is a JSON
object with the ids the caller checks through the emulator's admin API.
"""

import datetime
import hashlib
import json
import os
import sys
import urllib.request

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


def fail(message, answer=None):
    detail = "" if answer is None else f" (answer: {answer!r})"
    print(f"conformance: FAIL: {message}{detail}", file=sys.stderr)
    sys.exit(1)


def check(condition, message, answer=None):
    if not condition:
        fail(message, answer)


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def template(content):
    t = TransmissionTemplate()
    t.appId = APP_ID
    t.appKey = APP_KEY
    t.transmissionType = 2
    t.transmissionContent = content
    return t


def audience():
    conditions = AppConditions()
    conditions.addCondition(AppConditions.PHONE_TYPE, ["ANDROID"])
    conditions.addCondition(AppConditions.REGION, ["浙江", "广东省"])
    conditions.addCondition(AppConditions.TAG, ["vip", "new", ""], OptType.OR)
    conditions.addCondition(AppConditions.TAG, ["churned"], OptType.NOT)
    return conditions


def app_message(content, push_time):
    message = IGtAppMessage()
    message.data = template(content)
    message.isOffline = True
    message.offlineExpireTime = 12 * 3600 * 1000
    message.appIdList = [APP_ID]
    message.setConditions(audience())
    # IGtAppMessage.setSpeed is defined twice and the second one writes pushTime (D.11), so
    # the push time is set on the attribute and the speed is left alone.
    message.pushTime = push_time
    return message


def scheduled_push(push):
    at = datetime.datetime.now(BEIJING) + datetime.timedelta(hours=2)
    push_time = at.strftime("%Y%m%d%H%M")
    message = app_message("spring sale", push_time)
    message.data.setDuration(
        at.strftime("%Y-%m-%d %H:%M:%S"),
        (at + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
    )
    answer = push.pushMessageToApp(message, "spring-2026")
    check(isinstance(answer, dict) and answer.get("result") == "ok", "scheduled toApp push", answer)
    task_id = answer.get("contentId", "")
    check(task_id.startswith("OSA-") and len(task_id) == len("OSA-0302_") + 22, "OSA task id shape", answer)

    count = push.queryUserCount(APP_ID, audience())
    check(count.get("result") == "ok" and count.get("count") == 3, "queryUserCount of the push audience", count)

    task = push.getScheduleTask(task_id, APP_ID)
    check(task.get("result") == "ok", "getScheduleTask result", task)
    check(task.get("sendResult") == "do_not_send", "a future task is do_not_send", task)
    check(task.get("pushTime") == push_time, "pushTime echoes yyyyMMddHHmm", task)
    check(task.get("pushContent") == "spring sale", "pushContent is the transmission content", task)
    check(str(task.get("creatTime", "")).isdigit(), "creatTime is milliseconds", task)
    return task_id, push_time


def speed_bug_is_refused(push):
    """setSpeed(100) sends the integer pushTime 100; the emulator refuses it and the SDK raises."""
    message = app_message("speed bug", "")
    message.setSpeed(100)
    check(message.pushTime == 100, "the SDK still has its setSpeed bug")
    try:
        answer = push.pushMessageToApp(message)
    except Exception:  # the SDK's own error path raises TypeError (str + dict)
        return
    fail("an integer pushTime was accepted", answer)


def delete_task(push, task_id):
    answer = push.delScheduleTask(task_id, APP_ID)
    check(answer.get("result") == "ok", "delScheduleTask", answer)
    task = push.getScheduleTask(task_id, APP_ID)
    check(task.get("sendResult") == "has_delete", "a deleted task reports has_delete", task)
    missing = push.getScheduleTask("OSA-0101_doesnotexist000000000", APP_ID)
    check(missing.get("result") == "NullMsgCommon", "unknown task id", missing)


def codes(answer):
    return {entry.get("cid"): entry.get("code") for entry in answer.get("batchRet", [])}


def cid_pn(push):
    fresh = md5("13800000004")
    answer = push.bindCidPn(APP_ID, {
        "cid-gd-android-1": fresh,                    # free: bound
        "cid-zj-android-1": md5("13900000009"),       # level-2 binding: code 3
        "cid-gd-android-3": md5("13800000002"),       # pn held by a more active cid: code 4
        "cid-nobody": md5("13800000005"),             # unknown cid: code 1
    })
    check(answer.get("result") == "0", "bindCidPn result", answer)
    expected = {"cid-gd-android-1": "0", "cid-zj-android-1": "3", "cid-gd-android-3": "4", "cid-nobody": "1"}
    check(codes(answer) == expected, "bindCidPn per-cid codes", answer)

    answer = push.queryCidPn(APP_ID, ["cid-gd-android-1", "cid-sh-ios-2"])
    check(codes(answer) == {"cid-gd-android-1": "0", "cid-sh-ios-2": "7"}, "queryCidPn codes", answer)
    bound = [e for e in answer["batchRet"] if e.get("cid") == "cid-gd-android-1"]
    check(bound and bound[0].get("pn") == fresh, "queryCidPn returns the pn hash", answer)

    answer = push.unbindCidPn(APP_ID, ["cid-gd-android-1"])
    check(codes(answer) == {"cid-gd-android-1": "0"}, "unbindCidPn", answer)
    answer = push.queryCidPn(APP_ID, ["cid-gd-android-1"])
    check(codes(answer) == {"cid-gd-android-1": "7"}, "no pn after unbind", answer)


def aliases(push):
    answer = push.bindAlias(APP_ID, "frank", "cid-gx-android-1")
    check(answer.get("result") == "ok", "bindAlias", answer)
    answer = push.queryClientId(APP_ID, "frank")
    check(answer.get("cidlist") == ["cid-gx-android-1"], "queryClientId by alias", answer)
    answer = push.queryAlias(APP_ID, "cid-zj-android-2")
    check(answer.get("alias") == "alice", "queryAlias by cid", answer)
    answer = push.bindAlias(APP_ID, "not valid!", "cid-gx-android-1")
    check(answer.get("result") != "ok", "an invalid alias is refused", answer)


def list_push(push):
    os.environ["needDetails"] = "true"  # the SDK sends env config as the string "true"
    message = IGtListMessage()
    message.data = template("welcome back")
    message.isOffline = True
    message.offlineExpireTime = 3600 * 1000
    content_id = push.getContentId(message, "welcome")
    check(content_id.startswith("OSL-"), "list content id shape", content_id)
    targets = []
    for alias in ["frank", "alice"]:
        target = Target()
        target.appId = APP_ID
        target.alias = alias
        targets.append(target)
    answer = push.pushMessageToList(content_id, targets)
    check(answer.get("result") == "ok", "pushMessageToList to aliases", answer)
    details = answer.get("details", {})
    check(sorted(details) == ["cid-gx-android-1", "cid-zj-android-1", "cid-zj-android-2"],
          "details name every cid of the aliases", answer)
    check(details.get("cid-zj-android-1") == "successed_online", "online user status", answer)
    check(push.stop(content_id) is True, "stop the list task")
    check(push.cancelContentId(content_id) is True, "cancel the list content")
    return content_id


def single_push(push):
    message = IGtSingleMessage()
    message.data = template("just for you")
    message.isOffline = True
    message.offlineExpireTime = 3600 * 1000
    target = Target()
    target.appId = APP_ID
    target.clientId = "cid-sh-ios-1"
    answer = push.pushMessageToSingle(message, target)
    check(isinstance(answer, dict) and answer.get("result") == "ok", "pushMessageToSingle to a cid", answer)
    check(answer.get("status") == "successed_online", "an online cid's status", answer)
    task_id = answer.get("taskId", "")
    check(task_id.startswith("OSS-") and len(task_id) == len("OSS-0302_") + 22, "OSS task id shape", answer)
    target = Target()
    target.appId = APP_ID
    target.alias = "erin"
    answer = push.pushMessageToSingle(message, target, requestId="2f1c0b7e-4e2a-11f0-9c1b-0242ac120002")
    check(answer.get("result") == "ok", "pushMessageToSingle to an alias", answer)
    check(answer.get("status") == "successed_offline", "an offline alias's status", answer)
    return task_id


def advance_clock(base_url, seconds):
    """Moves the emulator's clock through its admin API (the SDK has no such call)."""
    origin = base_url.rsplit("/", 1)[0]
    request = urllib.request.Request(
        f"{origin}/_emulator/clock",
        data=json.dumps({"advance_secs": seconds}).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:
        check(answer.status == 200, "the admin API moves the clock")


def reports(push, base_url, list_id):
    """The SDK decodes both report answers: counters only, lagging behind the push."""
    unknown = "OSL-0101_unknown000000000000000"

    def task_results():
        answer = push.getPushResultByTaskidList([list_id, unknown])
        check(isinstance(answer, dict) and answer.get("result") == "ok", "task results", answer)
        entries = answer.get("resultList", [])
        check([e.get("taskId") for e in entries] == [list_id],
              "one entry per known task id, the unknown one left out", answer)
        return entries[0]

    def group_result():
        answer = push.getPushResultByGroupName(APP_ID, "welcome")
        check(isinstance(answer, dict) and answer.get("result") == "ok", "group result", answer)
        check(answer.get("groupName") == "welcome", "the group is named", answer)
        check(list_id not in json.dumps(answer), "a group report names no task", answer)
        return answer

    entry = task_results()
    check(entry["GT"].get("sent") == "0" and entry["APN"].get("sent") == "0",
          "a push just sent is not counted yet", entry)
    check(group_result().get("msg_total") == "0", "the group counts nothing yet")
    advance_clock(base_url, 5 * 60)
    entry = task_results()
    # The aliases' three cids, one of them online; counts are text, as in Getui's examples.
    # The template is a transmission: received, but no notification to display or click.
    check(entry["GT"] == {"sent": "3", "feedback": "1", "displayed": "0", "clicked": "0"},
          "the push is counted once the report lag has passed", entry)
    group = group_result()
    check((group.get("msg_total"), group.get("msg_process")) == ("3", "1"),
          "the group counts its push", group)


def main():
    if len(sys.argv) != 2:
        fail("usage: conformance.py BASE_URL")
    push = IGeTui(sys.argv[1], APP_KEY, MASTER_SECRET)
    # No connect yet: the first call carries an empty authToken, gets sign_error, and the
    # SDK connects and resends it (A.7).
    count = push.queryUserCount(APP_ID, AppConditions())
    check(count.get("result") == "ok" and count.get("count") == 12, "login through sign_error", count)
    check(push.connect() is True, "connect")
    task_id, push_time = scheduled_push(push)
    speed_bug_is_refused(push)
    delete_task(push, task_id)
    cid_pn(push)
    aliases(push)
    list_id = list_push(push)
    reports(push, sys.argv[1], list_id)
    single_id = single_push(push)
    print(json.dumps({"scheduled_task": task_id, "push_time": push_time, "list_task": list_id,
                      "single_task": single_id}))


if __name__ == "__main__":
    main()
