"""tests/proxy/requests_client.py — Python requests (Debian's) fetches tokens
through the TLS proxy, verifying its certificate against the test's own
(verify=<cert>), and refuses the same proxy when it must trust the system's
CAs only. Run by run.sh, which sets TESSERA_PROXY_*. Each request carries
X-Request-Id python-<n>, so that run.sh can see in the instances' logs which
one served it. Prints ok lines; any failure exits 1."""

import os
import sys

import requests

issuer = os.environ["TESSERA_PROXY_ISSUER"]
ca = os.environ["TESSERA_PROXY_CA"]
client_id = os.environ["TESSERA_PROXY_CLIENT_ID"]
client_secret = os.environ["TESSERA_PROXY_CLIENT_SECRET"]
count = int(os.environ["TESSERA_PROXY_PYTHON_TOKENS"])


def fail(message):
    print(f"FAILED - python requests: {message}")
    sys.exit(1)


# Without the test's certificate the system trust store knows nothing of it.
try:
    requests.get(f"{issuer}/.well-known/oauth-authorization-server", timeout=10)
    fail("a client trusting only the system CAs accepted the test certificate")
except requests.exceptions.SSLError:
    print("ok - python requests with the system CAs refuses the proxy's certificate")

# verify= on each request: requests prefers REQUESTS_CA_BUNDLE and
# CURL_CA_BUNDLE from the environment over a Session's verify attribute.
with requests.Session() as session:
    metadata = session.get(f"{issuer}/.well-known/oauth-authorization-server", verify=ca, timeout=10)
    if metadata.status_code != 200:
        fail(f"discovery: HTTP {metadata.status_code}")
    token_endpoint = metadata.json()["token_endpoint"]
    if not token_endpoint.startswith("https://"):
        fail(f"token_endpoint is not https: {token_endpoint}")
    for n in range(count):
        answer = session.post(
            token_endpoint,
            auth=(client_id, client_secret),
            data={"grant_type": "client_credentials"},
            headers={"X-Request-Id": f"python-{n}"},
            verify=ca,
            timeout=10,
        )
        if answer.status_code != 200:
            fail(f"token {n}: HTTP {answer.status_code} {answer.text[:200]}")
        body = answer.json()
        if not body.get("access_token") or body.get("token_type", "").lower() != "bearer":
            fail(f"token {n}: {body}")
print(f"ok - python requests (verify=<the test certificate>) got {count} tokens through the proxy")
