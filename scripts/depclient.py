"""A minimal DEP client for the scripts: opens a server token with openssl and signs /session
with OAuth 1.0a (HMAC-SHA1), as any real DEP client does (dep-api §1.4, §2.1)."""
import base64
import hashlib
import hmac
import json
import secrets
import subprocess
import time
import urllib.parse


def pct(text):
    """RFC 3986 percent-encoding, as OAuth 1.0a requires."""
    return urllib.parse.quote(text, safe="-._~")


def open_token(p7m, key, cert):
    """The five OAuth values of a server token, decrypted with the openssl command."""
    plain = subprocess.run(["openssl", "smime", "-decrypt", "-in", p7m, "-inkey", key, "-recip", cert],
                           check=True, capture_output=True).stdout.decode()
    return json.loads(plain.split("-----BEGIN MESSAGE-----\n")[1].split("\n-----END MESSAGE-----")[0])


def session_authorization(values, base_url):
    """A signed `Authorization` header for GET <base_url>/session."""
    params = {"oauth_consumer_key": values["consumer_key"], "oauth_token": values["access_token"],
              "oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": str(int(time.time())),
              "oauth_nonce": secrets.token_hex(16), "oauth_version": "1.0"}
    url = base_url.rstrip("/") + "/session"
    base = "&".join(["GET", pct(url), pct("&".join(f"{k}={pct(v)}" for k, v in sorted(params.items())))])
    key = pct(values["consumer_secret"]) + "&" + pct(values["access_secret"])
    params["oauth_signature"] = base64.b64encode(hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()).decode()
    return "OAuth " + ", ".join(f'{k}="{pct(v)}"' for k, v in params.items())
