#!/usr/bin/env python3
"""A minimal client of Apple's Business Manager API for the scripts: signs an ES256 client
assertion with the openssl command and trades it for an access token (peers §5.2).

As a command, prints a client assertion for a key in plain PKCS#8 PEM (`fakedep api-account
create --key-format pkcs8`), valid for a day:

    scripts/abmclient.py assertion CLIENT_ID KEY_ID KEY.pem
"""
import base64
import json
import os
import subprocess
import sys
import time
import urllib.parse
import uuid

AUDIENCE = "https://account.apple.com/auth/oauth2/v2/token"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def der_to_raw(signature):
    """openssl's DER ECDSA signature (SEQUENCE of two INTEGERs) as JWS wants it: r and s, 32 bytes each."""
    assert signature[0] == 0x30
    offset = 2 if signature[1] < 0x80 else 2 + (signature[1] & 0x7F)
    parts = []
    for _ in range(2):
        assert signature[offset] == 0x02
        length = signature[offset + 1]
        value = signature[offset + 2: offset + 2 + length]
        parts.append(value.lstrip(b"\0").rjust(32, b"\0"))
        offset += 2 + length
    return b"".join(parts)


def client_assertion(client_id, key_id, key_file, lifetime=86_400):
    """An ES256 JWT for the token endpoint, signed with the PKCS#8 PEM key at `key_file`."""
    now = int(time.time())
    header = {"alg": "ES256", "kid": key_id, "typ": "JWT"}
    claims = {"sub": client_id, "iss": client_id, "aud": AUDIENCE, "iat": now - 60, "exp": now + lifetime,
              "jti": str(uuid.uuid4())}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    der = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key_file], input=signing_input.encode(),
                         check=True, capture_output=True).stdout
    return signing_input + "." + b64url(der_to_raw(der))


def access_token(server, portal, workdir, name="Benchmark"):
    """A bearer token from a new Business API account made in the portal at `portal`.

    `server` has `request(method, path, body, headers)` answering (response, bytes)."""
    _, data = server.request("POST", portal + "/api-accounts", {"name": name, "service": "business",
                                                               "key_format": "pkcs8"})
    account = json.loads(data)
    key_file = os.path.join(workdir, name + "-abm.pem")
    with open(key_file, "w") as out:
        out.write(account["private_key"])
    form = urllib.parse.urlencode({
        "grant_type": "client_credentials", "client_id": account["client_id"],
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": client_assertion(account["client_id"], account["key_id"], key_file),
        "scope": "business.api"}).encode()
    _, data = server.request("POST", "/auth/oauth2/v2/token", form,
                             {"Content-Type": "application/x-www-form-urlencoded"})
    return json.loads(data)["access_token"]


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] != "assertion":
        raise SystemExit(__doc__.split("\n\n", 2)[2].strip())
    print(client_assertion(*sys.argv[2:5]))
