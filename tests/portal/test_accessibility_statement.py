"""The accessibility statement (tillgänglighetsredogörelse) says how the
portal is tested, what is known not to work, and whom to tell."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement() -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the English source text
    response = client.get(reverse("portal:accessibility"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_says_axe_core_checks_every_page_at_wcag_2_1_a_and_aa(statement):
    assert "axe-core" in statement
    assert "WCAG 2.1 levels A and AA" in statement
    assert "Every list, detail and form page" in statement
    assert "320 pixels" in statement


def test_it_says_the_central_tasks_are_done_with_the_keyboard_alone(statement):
    assert "With the keyboard alone." in statement
    assert "visible focus" in statement


def test_it_names_the_structure_screen_readers_rely_on_and_what_is_not_tested(statement):
    assert "landmarks" in statement
    assert "live regions" in statement
    assert "not yet tested the portal systematically with screen readers" in statement


def test_it_lists_known_shortcomings_and_whom_to_contact(statement):
    assert "Known shortcomings" in statement
    assert "process leaders of your programme" in statement
    assert "Digg" in statement
