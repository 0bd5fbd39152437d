"""Writes COUNT token request bodies, one per line, each with a fresh
private_key_jwt assertion (EdDSA, PyJWT) for CLIENT_ID at AUDIENCE, valid
for 290 s: what bench/private_key_jwt/run.sh sends, one body per request, so
that no assertion is sent twice.

usage: make_assertions.py <private key PEM file> <client_id> <audience> <count> <out>
"""
import sys
import time
import urllib.parse
import uuid

import jwt

key_file, client_id, audience, count, out = sys.argv[1:6]
with open(key_file, "rb") as f:
    key = f.read()
from cryptography.hazmat.primitives.serialization import load_pem_private_key  # noqa: E402

private_key = load_pem_private_key(key, password=None)
now = int(time.time())
prefix = (
    "grant_type=client_credentials"
    "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
    "&client_assertion="
)
with open(out, "w") as f:
    for _ in range(int(count)):
        assertion = jwt.encode(
            {"iss": client_id, "sub": client_id, "aud": audience, "iat": now,
             "exp": now + 290, "jti": uuid.uuid4().hex},
            private_key, algorithm="EdDSA", headers={"kid": "bench"})
        f.write(prefix + urllib.parse.quote(assertion, safe="") + "\n")
