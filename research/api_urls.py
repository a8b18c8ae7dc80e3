"""The research API's URLs, under /api/research/v1/ in the `research_api` namespace."""

from research import api

app_name = "research_api"
urlpatterns = api.urlpatterns()
