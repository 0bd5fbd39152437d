"""A JWT access token (RFC 9068) of each algorithm, verified by PyJWT.

PyJWT is Debian's python3-jwt (2.6), with python3-cryptography for EdDSA,
ES256 and RS256. Like a Python resource server it is told only the issuer:
OpenID discovery (${issuer}/.well-known/openid-configuration) gives jwks_uri,
jwt.PyJWKClient picks the key by the token's kid, and jwt.decode checks the
signature, the one algorithm expected, audience, issuer and expiry. PyJWT
does not look at `typ`, nor require the claims RFC 9068 §2.2 names, so this
checks those itself. Run by tests/interop/run.sh with Debian's
/usr/bin/python3; the server and clients come from TESSERA_INTEROP_*. Exits
non-zero at the first failed check.
"""

import base64
import json
import os
import sys
import time

import jwt
import requests
from requests.auth import HTTPBasicAuth

ISSUER = os.environ["TESSERA_INTEROP_ISSUER"]
CLIENT = (os.environ["TESSERA_INTEROP_CLIENT_ID"], os.environ["TESSERA_INTEROP_CLIENT_SECRET"])
SHORT_CLIENT = (os.environ["TESSERA_INTEROP_SHORT_CLIENT_ID"],
                os.environ["TESSERA_INTEROP_SHORT_CLIENT_SECRET"])
APIS = {
    "EdDSA": os.environ["TESSERA_INTEROP_EDDSA_API"],
    "ES256": os.environ["TESSERA_INTEROP_ES256_API"],
    "RS256": os.environ["TESSERA_INTEROP_RS256_API"],
}
# RFC 9068 §2.2: the claims an access token must carry.
REQUIRED_CLAIMS = ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"]
TIMEOUT = 10


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def get_json(url):
    response = requests.get(url, timeout=TIMEOUT)
    check(response.status_code == 200, f"GET {url}: HTTP {response.status_code}")
    return response.json()


def fetch_token(token_endpoint, client, api, scope):
    response = requests.post(token_endpoint, auth=HTTPBasicAuth(*client), timeout=TIMEOUT,
                             data={"grant_type": "client_credentials", "resource": api, "scope": scope})
    check(response.status_code == 200, f"token for {api}: HTTP {response.status_code} {response.text}")
    return response.json()["access_token"]


def refused(error_type, token, key, **kwargs):
    """jwt.decode raises error_type for token with these arguments."""
    try:
        jwt.decode(token, key, **kwargs)
    except error_type:
        return
    except jwt.PyJWTError as error:
        raise AssertionError(f"expected {error_type.__name__}, got {type(error).__name__}: {error}")
    raise AssertionError(f"accepted, expected {error_type.__name__}: {kwargs}")


def verify(alg, token, jwks_client, jwks_keys):
    api = APIS[alg]
    header = jwt.get_unverified_header(token)
    check(header.get("typ") == "at+jwt", f"{alg}: typ at+jwt (RFC 9068 §2.1): {header}")
    check(header.get("alg") == alg, f"{alg}: the header's alg: {header}")
    key = jwks_keys.get(header.get("kid"))
    check(key is not None, f"{alg}: kid {header.get('kid')} is in the JWKS")
    check(key.get("alg") == alg and key.get("use") == "sig", f"{alg}: the JWK says {key}")

    signing_key = jwks_client.get_signing_key_from_jwt(token)
    options = {"require": REQUIRED_CLAIMS + ["scope"]}
    claims = jwt.decode(token, signing_key.key, algorithms=[alg], audience=api, issuer=ISSUER,
                        options=options)
    check(claims["iss"] == ISSUER and claims["aud"] == api, f"{alg}: iss and aud: {claims}")
    check(claims["sub"] == CLIENT[0] and claims["client_id"] == CLIENT[0], f"{alg}: sub, client_id: {claims}")
    check(claims["scope"] == "read", f"{alg}: scope: {claims}")
    check(claims["exp"] - claims["iat"] == 3600, f"{alg}: a lifetime of 3600 s: {claims}")
    check(abs(claims["iat"] - time.time()) < 60, f"{alg}: iat is now: {claims}")
    check(isinstance(claims["jti"], str) and claims["jti"], f"{alg}: jti: {claims}")

    # The checks are real: each wrong expectation is refused.
    others = [other for other in APIS if other != alg]
    good = {"algorithms": [alg], "audience": api, "issuer": ISSUER}
    refused(jwt.InvalidAlgorithmError, token, signing_key.key, **{**good, "algorithms": others})
    refused(jwt.InvalidAudienceError, token, signing_key.key, **{**good, "audience": APIS[others[0]]})
    refused(jwt.InvalidIssuerError, token, signing_key.key, **{**good, "issuer": ISSUER + "-other"})
    head, _, signature = token.split(".")
    widened = json.dumps({**claims, "scope": "read write"}).encode()
    forged = ".".join([head, base64.urlsafe_b64encode(widened).rstrip(b"=").decode(), signature])
    refused(jwt.InvalidSignatureError, forged, signing_key.key, **good)


def main():
    discovery = get_json(ISSUER + "/.well-known/openid-configuration")
    check(discovery.get("issuer") == ISSUER, f"issuer: {discovery}")
    jwks_uri = discovery["jwks_uri"]
    token_endpoint = discovery["token_endpoint"]
    jwks_keys = {key["kid"]: key for key in get_json(jwks_uri)["keys"]}
    jwks_client = jwt.PyJWKClient(jwks_uri)

    # Issued first, so that they have expired when the rest is done.
    short = {alg: fetch_token(token_endpoint, SHORT_CLIENT, api, "read") for alg, api in APIS.items()}

    for alg, api in APIS.items():
        verify(alg, fetch_token(token_endpoint, CLIENT, api, "read"), jwks_client, jwks_keys)
        print(f"ok - PyJWT {alg}: signature, alg, aud, iss, RFC 9068 claims and header; wrong ones refused")

    for alg, token in short.items():
        exp = jwt.decode(token, options={"verify_signature": False})["exp"]
        time.sleep(max(0.0, exp + 1 - time.time()))
        key = jwks_client.get_signing_key_from_jwt(token).key
        refused(jwt.ExpiredSignatureError, token, key, algorithms=[alg], audience=APIS[alg], issuer=ISSUER)
    print("ok - PyJWT: a token of 1 s, once expired, is refused for each algorithm")
    print(f"PyJWT {jwt.__version__} through OpenID discovery for {', '.join(APIS)}: ok")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # any failure, reported on one line
        print(f"PyJWT check failed: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
