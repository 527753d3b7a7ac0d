"""schemathesis hooks for scripts/contract-test: the credentials of Apple's surfaces got the real
way, and bounds on the few inputs whose cost grows with their value.

- The DEP API: an MDM server made in the portal with a key of our own, a few devices assigned to
  it, its server token downloaded and opened, `GET /session` signed with OAuth 1.0a from it
  (scripts/depclient.py), the session sent as `X-ADM-Auth-Session`.
- The ABM API: an API account made in the portal, its client assertion traded for a bearer
  token at the token endpoint (scripts/abmclient.py).

Both are made again every few seconds: the run itself resets worlds, moves clocks past expiries,
revokes tokens and withdraws the terms, and the credentials must outlive that to reach more than
the refusals.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid

import schemathesis

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abmclient  # noqa: E402
import depclient  # noqa: E402

BASE_URL = os.environ["FAKEDEP_URL"].rstrip("/")
# In the run's scratch directory (scripts/contract-test runs from it and removes it).
WORK = tempfile.mkdtemp(prefix="credentials-", dir=os.getcwd())
KEY, CERT = os.path.join(WORK, "key.pem"), os.path.join(WORK, "cert.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", KEY, "-out", CERT,
                "-subj", "/CN=contract-test", "-days", "3650"], check=True, capture_output=True)
LOCK = threading.Lock()


class Fakedep:
    """Plain requests to the server under test, outside schemathesis' own."""

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        request = urllib.request.Request(BASE_URL + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response, response.read()
        except urllib.error.HTTPError as error:
            return error, error.read()

    def ok(self, method, path, body=None, headers=None):
        response, data = self.request(method, path, body, headers)
        if response.status >= 300:
            raise RuntimeError(f"{method} {path} answered {response.status}: {data[:300]!r}")
        return data


FAKEDEP = Fakedep()


def organisation_ready():
    """The default world has an organisation that has signed the terms, whatever the run did."""
    response, _ = FAKEDEP.request("PATCH", "/portal/organisation", {"terms_signed": True})
    if response.status == 404:
        FAKEDEP.ok("POST", "/portal/organisation", {"name": "Contract Org", "terms_signed": True})


def dep_session():
    """A new MDM server with devices, its token, and a session opened with it."""
    with LOCK:
        organisation_ready()
        name = "contract-" + uuid.uuid4().hex[:8]
        FAKEDEP.ok("POST", "/portal/servers", {"name": name, "certificate": open(CERT).read()})
        orders = json.loads(FAKEDEP.ok("GET", "/portal/orders"))
        if orders:
            FAKEDEP.ok("POST", f"/portal/servers/{name}/devices", {"order": orders[0]["number"], "count": 5})
        p7m = os.path.join(WORK, name + ".p7m")
        with open(p7m, "wb") as out:
            out.write(FAKEDEP.ok("GET", f"/portal/servers/{name}/token"))
        values = depclient.open_token(p7m, KEY, CERT)
        data = FAKEDEP.ok("GET", "/session", headers={
            "Authorization": depclient.session_authorization(values, BASE_URL), "User-Agent": "contract-test/1.0"})
        return {"values": values, "session": json.loads(data)["auth_session_token"]}


@schemathesis.auth(refresh_interval=5).apply_to(tag="dep")
class DEPAuth:
    def get(self, case, ctx):
        return dep_session()

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        if case.path == "/session":
            case.headers["Authorization"] = depclient.session_authorization(data["values"], BASE_URL)
        else:
            case.headers["X-ADM-Auth-Session"] = data["session"]


def abm_token():
    """A bearer token of a new API account. An organisation holds 50 accounts at most, and the run
    makes them too (`POST /portal/api-accounts`): the oldest go first when there is no room."""
    with LOCK:
        organisation_ready()
        accounts = sorted((account for account in json.loads(FAKEDEP.ok("GET", "/portal/api-accounts"))
                           if not account.get("revoked")), key=lambda account: account["created"])
        for account in accounts[:max(0, len(accounts) - 40)]:
            FAKEDEP.request("DELETE", "/portal/api-accounts/" + urllib.parse.quote(account["client_id"], safe=""))
        return abmclient.access_token(FAKEDEP, "/portal", WORK, name="contract-" + uuid.uuid4().hex[:8])


@schemathesis.auth(refresh_interval=5).apply_to(path_regex="^/v1/")
class ABMAuth:
    def get(self, case, ctx):
        return abm_token()

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


# What a request may ask for at most: a seed or world of a million devices, or a journal wait of
# minutes, is a valid request whose answer takes that long; the contract is the same smaller.
BOUNDS = {"devices": 200, "timeout_seconds": 1}


def bound(key, item):
    if key not in BOUNDS or isinstance(item, bool):
        return bounded(item)
    if item is None and key == "timeout_seconds":  # a journal wait's null timeout is 30 seconds
        return BOUNDS[key]
    return min(item, BOUNDS[key]) if isinstance(item, (int, float)) else item


def bounded(value):
    if isinstance(value, dict):
        return {key: bound(key, item) for key, item in value.items()}
    if isinstance(value, list):
        return [bounded(item) for item in value]
    return value


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if case.path.startswith("/v1/"):
        # What Apple's API asks of every client, with credentials or without: exactly
        # application/json, or 406 before anything else is looked at.
        case.headers = case.headers or {}
        case.headers["Accept"] = "application/json"
    if case.path.endswith("/journal/wait") and isinstance(case.body, dict):
        case.body.setdefault("timeout_seconds", BOUNDS["timeout_seconds"])
    if isinstance(case.body, (dict, list)):
        case.body = bounded(case.body)
