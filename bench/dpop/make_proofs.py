"""Writes COUNT token request lines for bench/wrk.lua, "<proof><TAB><body>",
each with a fresh DPoP proof (RFC 9449, EdDSA, PyJWT) for a POST to URL,
issued AHEAD seconds in the future (within the server's 30 s leeway, so
that the proofs stay acceptable for the whole run), and BODY as the form
body: what bench/dpop/run.sh sends, one line per request, so that no proof
is sent twice.

usage: make_proofs.py <private key PEM file> <url> <body> <count> <out> [ahead]
"""
import base64
import sys
import time
import uuid

import jwt
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
)

key_file, url, body, count, out = sys.argv[1:6]
ahead = int(sys.argv[6]) if len(sys.argv) > 6 else 25
with open(key_file, "rb") as f:
    private_key = load_pem_private_key(f.read(), password=None)
x = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
jwk = {"kty": "OKP", "crv": "Ed25519", "x": base64.urlsafe_b64encode(x).rstrip(b"=").decode()}
iat = int(time.time()) + ahead
headers = {"typ": "dpop+jwt", "jwk": jwk}
with open(out, "w") as f:
    for _ in range(int(count)):
        proof = jwt.encode(
            {"jti": uuid.uuid4().hex, "htm": "POST", "htu": url, "iat": iat},
            private_key, algorithm="EdDSA", headers=headers)
        f.write(proof + "\t" + body + "\n")
