from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data (`seed_demo`, `seed_bench`): the only app that
    may import all the others, so that `portal/` stays the kernel."""

    name = "demo"
    verbose_name = "Demo data"
