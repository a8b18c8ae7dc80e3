"""The base layout: landmarks, skip link, CSP, htmx wiring."""

import re

from django.test import Client
from django.urls import reverse


def home(world, client_for):
    return client_for(world.users["leader"]).get(reverse("portal:home", args=["sormland"]))


def test_landmarks_and_skip_link(world, client_for):
    html = home(world, client_for).content.decode()
    assert re.search(r'<a class="skip-link" href="#main">', html)
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html
    assert html.count("<nav ") >= 2
    for nav in re.findall(r"<nav [^>]*>", html):
        assert "aria-label=" in nav, nav


def test_current_page_is_marked_in_navigation(world, client_for):
    html = home(world, client_for).content.decode()
    assert re.search(r'href="/sormland/"[^>]*aria-current="page"', html)


def test_csp_forbids_inline_scripts(world, client_for):
    response = home(world, client_for)
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
    html = response.content.decode()
    # Every <script> is either external or carries this response's nonce.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or f'nonce="{nonce}"' in tag, tag


def test_htmx_is_loaded_and_csrf_travels_in_hx_headers(world, client_for):
    html = home(world, client_for).content.decode()
    assert re.search(r'<script[^>]+src="[^"]*htmx[^"]*\.js"', html)
    assert re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"[^\"]+\"\}'>", html)


def test_no_inline_style_attributes(world, client_for):
    html = home(world, client_for).content.decode()
    assert "style=" not in html


def test_footer_links_statements_on_login_page(db):
    html = Client().get(reverse("login")).content.decode()
    assert 'href="/om/tillganglighet/"' in html
    assert 'href="/om/integritet/"' in html


def test_privacy_notice_states_no_child_data(db):
    html = Client().get(reverse("portal:privacy")).content.decode()
    assert "13" in html  # GDPR article 13
    assert "barn" in html.lower()


def test_accessibility_statement_says_how_the_portal_is_tested(db):
    html = Client().get(reverse("portal:accessibility")).content.decode()
    assert "axe-core" in html
    assert "WCAG 2.1" in html
