"""Forms of the newsletter: signing up on the public site, and the process
leaders' editing of an issue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import VersionedForm


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_(
            "Used to send you this newsletter and nothing else. You can unsubscribe "
            "with one click from every issue."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "newsletter-%s")
        super().__init__(*args, **kwargs)


class NewsletterForm(VersionedForm, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_(
            "Markdown: ## heading, “- ” a list, **bold**, *italic* and [text](https://…) a link."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "newsletter-%s")
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["data-autofocus"] = ""


class ConfirmForm(forms.Form):
    """A button alone (confirming, unsubscribing, sending): a place for the refusal."""
