from tests.idp.fixtures import oidc_idp, saml_idp  # noqa: F401
