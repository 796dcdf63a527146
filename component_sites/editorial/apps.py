from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """Editorial board: roles, approval workflow, contributors, statistics and royalties."""

    name = "component_sites.editorial"
    label = "editorial"
    verbose_name = "Ban biên tập"

    def ready(self):
        from . import signal_handlers

        signal_handlers.register()
