"""Tessera's token endpoint as requests-oauthlib sees it (RFC 6749 §4.4).

Run by tests/interop/run.sh with Debian's /usr/bin/python3 (the Debian package
python3-requests-oauthlib) and OAUTHLIB_INSECURE_TRANSPORT=1 for plain HTTP.
The server, tenant and client come from TESSERA_INTEROP_* variables. Exits
non-zero at the first failed check.
"""

import os
import sys
from urllib.parse import parse_qs

import requests
from oauthlib.oauth2 import BackendApplicationClient, InvalidClientError
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth2Session

ISSUER = os.environ["TESSERA_INTEROP_ISSUER"]
CLIENT_ID = os.environ["TESSERA_INTEROP_CLIENT_ID"]
CLIENT_SECRET = os.environ["TESSERA_INTEROP_CLIENT_SECRET"]
OPAQUE_API = os.environ["TESSERA_INTEROP_OPAQUE_API"]
TOKEN_URL = ISSUER + "/oauth/token"
INTROSPECTION_URL = ISSUER + "/oauth/introspect"
TIMEOUT = 10


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def check_token(token, scope):
    check(isinstance(token.get("access_token"), str) and token["access_token"].startswith("tsat_"),
          f"an opaque access_token: {token}")
    check(token.get("token_type") == "Bearer", f"token_type Bearer: {token}")
    check(token.get("expires_in") == 3600, f"expires_in 3600: {token}")
    # requests-oauthlib hands the scope back as a list.
    check(token.get("scope") == scope, f"scope {scope}: {token}")


def introspect(access_token):
    response = requests.post(INTROSPECTION_URL, data={"token": access_token},
                             auth=HTTPBasicAuth(CLIENT_ID, CLIENT_SECRET), timeout=TIMEOUT)
    check(response.status_code == 200, f"introspection: HTTP {response.status_code} {response.text}")
    return response.json()


def session_recording_requests():
    """An OAuth2Session and the list of the requests it sends (to check how
    the client authenticated)."""
    session = OAuth2Session(client=BackendApplicationClient(client_id=CLIENT_ID))
    sent = []
    session.hooks["response"].append(lambda response, *args, **kwargs: sent.append(response.request))
    return session, sent


def form_of(request):
    body = request.body.decode() if isinstance(request.body, bytes) else (request.body or "")
    return parse_qs(body)


def fetch_with_basic():
    session, sent = session_recording_requests()
    token = session.fetch_token(token_url=TOKEN_URL, auth=HTTPBasicAuth(CLIENT_ID, CLIENT_SECRET),
                                scope=["read"], timeout=TIMEOUT)
    check_token(token, ["read"])
    check(len(sent) == 1, f"one request: {sent}")
    check(sent[0].headers.get("Authorization", "").startswith("Basic "), "client_secret_basic")
    check("client_secret" not in form_of(sent[0]), "no secret in the body")
    # The session now carries the token as a Bearer header.
    check(session.token["access_token"] == token["access_token"], "the session keeps the token")
    return token


def fetch_with_body_credentials():
    session, sent = session_recording_requests()
    token = session.fetch_token(token_url=TOKEN_URL, client_secret=CLIENT_SECRET,
                                include_client_id=True, scope=["read", "write"], timeout=TIMEOUT)
    check_token(token, ["read", "write"])
    check(len(sent) == 1, f"one request: {sent}")
    form = form_of(sent[0])
    check(form.get("client_id") == [CLIENT_ID] and form.get("client_secret") == [CLIENT_SECRET],
          "client_secret_post: both credentials in the body")
    check("Authorization" not in sent[0].headers, "no Authorization header")
    return token


def wrong_secret_is_refused():
    session = OAuth2Session(client=BackendApplicationClient(client_id=CLIENT_ID))
    try:
        session.fetch_token(token_url=TOKEN_URL, auth=HTTPBasicAuth(CLIENT_ID, "wrong-secret"),
                            timeout=TIMEOUT)
    except InvalidClientError:
        return
    raise AssertionError("a wrong secret was accepted")


def main():
    basic = fetch_with_basic()
    posted = fetch_with_body_credentials()
    check(basic["access_token"] != posted["access_token"], "two tokens")
    for token, scope in ((basic, "read"), (posted, "read write")):
        answer = introspect(token["access_token"])
        check(answer.get("active") is True, f"active: {answer}")
        check(answer.get("client_id") == CLIENT_ID, f"client_id: {answer}")
        check(answer.get("aud") == OPAQUE_API, f"aud: {answer}")
        check(answer.get("iss") == ISSUER, f"iss: {answer}")
        check(answer.get("scope") == scope, f"scope: {answer}")
    wrong_secret_is_refused()
    print("requests-oauthlib: client_secret_basic, include_client_id and a wrong secret: ok")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # any failure, reported on one line
        print(f"requests-oauthlib check failed: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
