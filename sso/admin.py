from django.contrib import admin

from sso.models import IdentityProvider, ProgrammeSsoPolicy


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "enabled", "from_environment"]
    list_filter = ["kind", "enabled"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["from_environment"]
    fieldsets = [
        (
            None,
            {"fields": ["kind", "name", "slug", "enabled", "match_attribute", "from_environment"]},
        ),
        (
            "OpenID Connect",
            {
                "fields": [
                    "oidc_discovery_url",
                    "oidc_client_id",
                    "oidc_client_secret",
                    "oidc_scopes",
                ]
            },
        ),
        ("SAML 2.0", {"fields": ["saml_metadata_url", "saml_metadata_xml", "saml_sp_entity_id"]}),
    ]


@admin.register(ProgrammeSsoPolicy)
class ProgrammeSsoPolicyAdmin(admin.ModelAdmin):
    list_display = ["tenant", "require_sso"]
