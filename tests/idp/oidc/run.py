"""A real OpenID provider for the tests: django-oauth-toolkit's OIDC server in
a process of its own, on a loopback port.

    python tests/idp/oidc/run.py --port 0 --data DIR --client-secret S \
        --redirect-uri URI [--redirect-uri URI …] --post-logout-uri URI …

It makes a new RS256 signing key, a fresh database in DIR, the confidential
client "portal" and the users of USERS, then prints "LISTENING <port>" and
serves (issuer: http://127.0.0.1:<port>/o). Ports of loopback redirect
addresses are not compared (RFC 8252), so one registration fits any test server.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

PASSWORD = "idp-password-1"
# username: (e-mail, first name, last name)
USERS = {
    "anna": ("anna.lind@example.org", "Anna", "Lind"),
    "okand": ("okand.person@example.org", "Okänd", "Person"),
    "unverified-bo": ("bo.berg@example.org", "Bo", "Berg"),
}


class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--data", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", action="append", default=[])
    parser.add_argument("--post-logout-uri", action="append", default=[])
    args = parser.parse_args()

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["IDP_RSA_KEY"] = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    os.environ["IDP_DATA"] = args.data
    os.environ["DJANGO_SETTINGS_MODULE"] = "idp_settings"

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for username, (email, first, last) in USERS.items():
        User.objects.create_user(
            username, email=email, password=PASSWORD, first_name=first, last_name=last
        )
    Application.objects.create(
        name="Samverkansportalen",
        client_id="portal",
        client_secret=args.client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(args.redirect_uri),
        post_logout_redirect_uris=" ".join(args.post_logout_uri),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server(
        "127.0.0.1",
        args.port,
        get_wsgi_application(),
        server_class=Server,
        handler_class=QuietHandler,
    )
    print(f"LISTENING {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
