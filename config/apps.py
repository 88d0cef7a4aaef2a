"""App configurations of the project itself (not of an app)."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class ProjectStaticFilesConfig(StaticFilesConfig):
    """``collectstatic`` without django-viewflow's front end.

    The product uses viewflow's workflow engine, not its Material front end (our pages and
    the task inbox have their own templates). Its 50 MB of static files made
    ``collectstatic`` take minutes, and a copy of roboto-fontface under ``node_modules/``,
    whose CSS points at fonts viewflow does not ship, made the production manifest storage
    fail: no manifest, and every page answered 500.
    """

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "viewflow", "node_modules"]
