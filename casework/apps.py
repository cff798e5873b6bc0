from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Supplies the rules the Case's transitions name (models.case.TRANSITION_RULES).
        from . import (
            permissions,  # noqa: F401
            sessions,  # noqa: F401 (the idle timer starts at sign-in)
        )


class StaticFilesConfig(DjangoStaticFilesConfig):
    # viewflow ships node_modules folders whose stylesheets point at files it leaves out;
    # collecting them would break the hashed-name post-processing of production static files.
    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "node_modules"]
