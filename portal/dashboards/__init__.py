"""The dashboards: the programme's start page and each principal's dashboard,
assembled from the panels the apps register.

- `registry`: panels, filters and what a panel's selector reads;
- `cache`: the panels drawn, and the cache of their HTML;
- `forms`: the filter form, one for every panel of a dashboard;
- `views`: the pages and the panels htmx fetches;
- `charts`: the geometry of the server-rendered SVG charts the panels draw.
"""
