"""Static files finders of the project."""

from django.contrib.staticfiles import finders


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    """The apps' static files, without django-viewflow's front end, for ``collectstatic``.

    The product uses viewflow's workflow engine, not its Material front end (our pages and
    the task inbox have their own templates). Its 50 MB of static files made
    ``collectstatic`` take minutes, and a copy of roboto-fontface under ``node_modules/``,
    whose CSS points at fonts viewflow does not ship, made the production manifest storage
    fail: no manifest, and every page answered 500. Only listing (what ``collectstatic``
    copies) leaves them out; ``find`` is Django's own.
    """

    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), "viewflow", "node_modules"])
