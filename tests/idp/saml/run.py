"""A real SAML 2.0 identity provider for the tests, on pysaml2's Server, in a
process of its own on a loopback port.

    python tests/idp/saml/run.py --port 0 --data DIR

It makes a key and a self-signed certificate in DIR (never committed), prints
"LISTENING <port>" and serves:

- /metadata: its metadata (SSO and single logout by HTTP-Redirect);
- /sso: GET shows the login form for an AuthnRequest; POST checks the
  password and answers the SP's ACS by HTTP-POST with a signed response and a
  signed assertion. Test knobs, as form fields: `lifetime_minutes` (negative:
  an expired assertion) and `audience` (another SP's entity id);
- /slo: a LogoutRequest from an SP: ends the user's IdP session and answers
  the SP's logout service;
- /events: what happened, as JSON lines (logins and logouts), for the tests.

An SP is known from its AuthnRequest (its entity id and ACS address; its
logout service is the ACS address with /acs/ replaced by /sls/, as the
portal's are): a test IdP, not a federation.
"""

from __future__ import annotations

import argparse
import datetime
import html
import json
import subprocess
import sys
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import saml2
from saml2 import saml, samlp
from saml2.config import IdPConfig, SPConfig
from saml2.metadata import create_metadata_string, entity_descriptor
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server as Saml2Server

PASSWORD = "idp-password-1"
# username: (mail, given name, surname)
USERS = {
    "anna": ("anna.lind@example.org", "Anna", "Lind"),
    "okand": ("okand.person@example.org", "Okänd", "Person"),
}
XMLSEC = "/usr/bin/xmlsec1"


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def make_certificate(data: Path) -> tuple[Path, Path]:
    key, cert = data / "idp.key", data / "idp.crt"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=Test SAML IdP", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert


class IdP:
    def __init__(self, base: str, key: Path, cert: Path) -> None:
        self.base = base
        self.key, self.cert = key, cert
        self.lock = threading.Lock()
        self.known_sps: set[str] = set()
        self.sessions: dict[str, str] = {}  # name id → username
        self.sp_logout: dict[str, str] = {}  # SP entity id → its logout service
        self.events: list[dict[str, Any]] = []
        self.config = self._config(15)
        self.server = Saml2Server(config=self.config)

    def _config(self, lifetime_minutes: int) -> IdPConfig:
        conf = IdPConfig()
        conf.load(
            {
                "entityid": f"{self.base}/metadata",
                "xmlsec_binary": XMLSEC,
                "key_file": str(self.key),
                "cert_file": str(self.cert),
                "service": {
                    "idp": {
                        "name": "Test SAML IdP",
                        "endpoints": {
                            "single_sign_on_service": [
                                (f"{self.base}/sso", saml2.BINDING_HTTP_REDIRECT)
                            ],
                            "single_logout_service": [
                                (f"{self.base}/slo", saml2.BINDING_HTTP_REDIRECT)
                            ],
                        },
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "want_authn_requests_signed": False,
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": lifetime_minutes},
                                "attribute_restrictions": None,
                                "name_form": saml.NAME_FORMAT_BASIC,
                            }
                        },
                    }
                },
                "metadata": {},
            }
        )
        return conf

    def metadata(self) -> str:
        return create_metadata_string(None, config=self.config, valid=48).decode()

    def know_sp(self, server: Saml2Server, entity_id: str, acs: str) -> None:
        """Load the SP's metadata, as its AuthnRequest describes it."""
        sls = acs.replace("/acs/", "/sls/")
        self.sp_logout[entity_id] = sls
        sp = SPConfig()
        sp.load(
            {
                "entityid": entity_id,
                "service": {
                    "sp": {
                        "endpoints": {
                            "assertion_consumer_service": [(acs, saml2.BINDING_HTTP_POST)],
                            "single_logout_service": [(sls, saml2.BINDING_HTTP_REDIRECT)],
                        }
                    }
                },
            }
        )
        server.metadata.load("inline", str(entity_descriptor(sp)))

    def server_for(self, lifetime_minutes: int) -> Saml2Server:
        if lifetime_minutes == 15:
            return self.server
        return Saml2Server(config=self._config(lifetime_minutes))

    # Pages -------------------------------------------------------------------------

    def login_form(self, query: dict[str, str], error: str = "") -> str:
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
        )
        return (
            "<!doctype html><html lang='en'><head><title>Test IdP login</title></head><body>"
            "<h1>Test organisation login (SAML)</h1>"
            f"<p>{html.escape(error)}</p>"
            "<form method='post' action='/sso'>"
            "<p><label for='u'>Username</label> <input id='u' name='username'></p>"
            "<p><label for='p'>Password</label> <input id='p' name='password' type='password'></p>"
            f"{hidden}<button type='submit'>Sign in</button></form></body></html>"
        )

    def sso(self, form: dict[str, str]) -> tuple[str, list[tuple[str, str]], str]:
        username = form.get("username", "")
        if username not in USERS or form.get("password") != PASSWORD:
            query = {k: v for k, v in form.items() if k not in ("username", "password")}
            return "200 OK", [], self.login_form(query, "Wrong username or password.")
        lifetime = int(form.get("lifetime_minutes") or 15)
        server = self.server_for(lifetime)
        request = server.parse_authn_request(form["SAMLRequest"], saml2.BINDING_HTTP_REDIRECT)
        message = request.message
        sp_entity_id = message.issuer.text
        acs = message.assertion_consumer_service_url
        with self.lock:
            self.know_sp(server, sp_entity_id, acs)
            if server is not self.server:
                self.know_sp(self.server, sp_entity_id, acs)
        mail, given, surname = USERS[username]
        name_id = NameID(
            format=NAMEID_FORMAT_PERSISTENT,
            text=f"persistent-{username}",
            sp_name_qualifier=sp_entity_id,
            name_qualifier=f"{self.base}/metadata",
        )
        audience = form.get("audience") or sp_entity_id
        if audience != sp_entity_id:
            with self.lock:
                self.know_sp(server, audience, acs)
        response = server.create_authn_response(
            identity={"mail": [mail], "email": [mail], "givenName": [given], "sn": [surname]},
            in_response_to=message.id,
            destination=acs,
            sp_entity_id=audience,
            name_id=name_id,
            authn={"class_ref": saml.AUTHN_PASSWORD_PROTECTED, "authn_auth": self.base},
            sign_response=True,
            sign_assertion=True,
        )
        with self.lock:
            self.sessions[name_id.text] = username
            self.events.append({"event": "login", "user": username, "sp": sp_entity_id})
        http = server.apply_binding(
            saml2.BINDING_HTTP_POST,
            str(response),
            destination=acs,
            relay_state=form.get("RelayState", ""),
            response=True,
        )
        return "200 OK", [], http["data"]

    def slo(self, query: dict[str, str]) -> tuple[str, list[tuple[str, str]], str]:
        request = self.server.parse_logout_request(
            query["SAMLRequest"], saml2.BINDING_HTTP_REDIRECT
        )
        message = request.message
        with self.lock:
            username = self.sessions.pop(message.name_id.text, "")
            self.events.append({"event": "logout", "user": username, "sp": message.issuer.text})
        with self.lock:
            destination = self.sp_logout[message.issuer.text]
        response = self.server._status_response(
            samlp.LogoutResponse,
            self.server._issuer(),
            None,
            False,
            in_response_to=message.id,
            destination=destination,
        )
        http = self.server.apply_binding(
            saml2.BINDING_HTTP_REDIRECT,
            str(response),
            destination=destination,
            relay_state=query.get("RelayState", ""),
            response=True,
        )
        location = dict(http["headers"])["Location"]
        return "302 Found", [("Location", location)], ""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        try:
            if path == "/metadata":
                status, headers, body = "200 OK", [("Content-Type", "text/xml")], self.metadata()
            elif path == "/sso" and method == "GET":
                status, headers, body = "200 OK", [], self.login_form(query)
            elif path == "/sso" and method == "POST":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                raw = environ["wsgi.input"].read(length).decode()
                form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                status, headers, body = self.sso(form)
            elif path == "/slo":
                status, headers, body = self.slo(query)
            elif path == "/events":
                with self.lock:
                    body = "\n".join(json.dumps(e) for e in self.events)
                status, headers = "200 OK", [("Content-Type", "application/json")]
            else:
                status, headers, body = "404 Not Found", [], "not found"
        except Exception as error:  # a test IdP: say what went wrong
            status, headers, body = "400 Bad Request", [], f"{type(error).__name__}: {error}"
            print(f"{datetime.datetime.now()} {path}: {status} {body}", file=sys.stderr)
        if not any(k == "Content-Type" for k, _v in headers):
            headers.append(("Content-Type", "text/html; charset=utf-8"))
        start_response(status, headers)
        return [body.encode()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    key, cert = make_certificate(data)
    server = make_server(
        "127.0.0.1", args.port, lambda e, s: [], server_class=ThreadingServer,
        handler_class=QuietHandler,
    )  # fmt: skip
    server.set_app(IdP(f"http://127.0.0.1:{server.server_port}", key, cert))
    print(f"LISTENING {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
