#!/usr/bin/env python3
"""python3-kubernetes (Debian's kubernetes client, 22.6) driving the emulator as a Python user would.

Run by test/emulator/python-client.test.ts: `peer.py KUBECONFIG NAMESPACE`. Prints one JSON report on
stdout; every step records what the client returned or raised (ApiException status/reason/body), so the
mocha test can compare it with what the emulator stored. Nothing here imports the emulator or the project.
"""
import json
import sys
import threading
import time

from kubernetes import client, config, dynamic, watch
from kubernetes.client.rest import ApiException

KUBECONFIG, NS = sys.argv[1], sys.argv[2]
api = config.new_client_from_config(config_file=KUBECONFIG)
core = client.CoreV1Api(api)
report = {}


def failure(e):
    """What an ApiException carries: the HTTP status, its reason phrase and the Status body."""
    body = e.body.decode() if isinstance(e.body, bytes) else e.body
    try:
        body = json.loads(body)
    except (TypeError, ValueError):
        pass
    return {"status": e.status, "reason": e.reason, "body": body}


def attempt(name, fn):
    try:
        report[name] = {"ok": fn()}
    except ApiException as e:
        report[name] = {"error": failure(e)}
    except dynamic.exceptions.DynamicApiError as e:
        report[name] = {"error": {"status": e.status, "reason": e.reason, "body": json.loads(e.body)}}


def cm(name, **extra):
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": {"peer": "python"}}, "data": {"a": "1"}}
    body.update(extra)
    return body


# create and list (typed API)
attempt("create", lambda: core.create_namespaced_config_map(NS, cm("py-one")).metadata.resource_version)
listed = core.list_namespaced_config_map(NS, label_selector="peer=python")
report["list"] = {"names": [i.metadata.name for i in listed.items], "resourceVersion": listed.metadata.resource_version}

# watch from the list's resourceVersion, exactly as watch.Watch sends it (watch=True); a thread writes meanwhile
events = []


def writer():
    time.sleep(0.5)
    core.patch_namespaced_config_map("py-one", NS, {"data": {"a": "2"}})
    core.create_namespaced_config_map(NS, cm("py-two"))


w = watch.Watch()
t = threading.Thread(target=writer)
t.start()
# No timeout_seconds: the client then re-requests whenever a response ends, which is how a server that
# does not take `watch=True` for a watch makes it loop. The read timeout bounds a silent server.
for ev in w.stream(core.list_namespaced_config_map, NS, label_selector="peer=python",
                   resource_version=listed.metadata.resource_version, _request_timeout=20):
    events.append([ev["type"], ev["object"].metadata.name])
    if len(events) >= 2:
        w.stop()
t.join()
report["watch"] = events

# errors through the client's exceptions
attempt("alreadyExists", lambda: core.create_namespaced_config_map(NS, cm("py-one")))
attempt("badLabel", lambda: core.create_namespaced_config_map(NS, cm("py-bad", metadata={"name": "py-bad", "labels": {"bad key": "x"}})))
attempt("notFound", lambda: core.read_namespaced_config_map("py-missing", NS))
attempt("tooLarge", lambda: core.create_namespaced_config_map(NS, cm("py-big", data={"k": "x" * (3 * 1024 * 1024)})))

# unknown fields: the client sends no fieldValidation, so the server warns (Warn is its default) ...
data, status, headers = core.create_namespaced_config_map_with_http_info(NS, cm("py-warn", spec={"foo": 1}))
report["unknownWarn"] = {"status": status, "warning": headers.get("Warning")}
# ... and with fieldValidation=Strict (this client version has no parameter for it) it is a 400
attempt("unknownStrict", lambda: api.call_api(
    f"/api/v1/namespaces/{NS}/configmaps", "POST", query_params=[("fieldValidation", "Strict")],
    header_params={"Content-Type": "application/json", "Accept": "application/json"},
    body=cm("py-strict", spec={"foo": 1}), auth_settings=["BearerToken"], _return_http_data_only=True, response_type="V1ConfigMap"))

# server-side apply through the dynamic client (discovery, then PATCH application/apply-patch+yaml)
dyn = dynamic.DynamicClient(api)
cms = dyn.resources.get(api_version="v1", kind="ConfigMap")
applied = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "py-ssa", "namespace": NS}, "data": {"k": "mine"}})
attempt("apply", lambda: dyn.server_side_apply(cms, body=applied, name="py-ssa", namespace=NS, field_manager="python-peer").metadata.managedFields[0].manager)
theirs = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "py-ssa", "namespace": NS}, "data": {"k": "theirs"}})
attempt("applyConflict", lambda: dyn.server_side_apply(cms, body=theirs, name="py-ssa", namespace=NS, field_manager="other-peer"))
attempt("applyForce", lambda: dyn.server_side_apply(cms, body=theirs, name="py-ssa", namespace=NS, field_manager="other-peer", force_conflicts=True).data.k)
attempt("applyUnknown", lambda: dyn.server_side_apply(cms, body=json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "py-ssa", "namespace": NS}, "spec": {}}), name="py-ssa", namespace=NS, field_manager="python-peer"))

# delete with a DeleteOptions body
attempt("delete", lambda: core.delete_namespaced_config_map("py-two", NS, body=client.V1DeleteOptions()).status)

print(json.dumps(report))
