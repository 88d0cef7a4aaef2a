import shutil

import pytest
from asgiref.local import Local
from django.core.management import call_command
from django.utils.translation import trans_real

HAS_MSGFMT = shutil.which("msgfmt") is not None
needs_catalogues = pytest.mark.skipif(
    not HAS_MSGFMT, reason="gettext (msgfmt) is not installed: translations cannot be compiled"
)


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    """The minutes' labels come from the translation catalogues, and ``make test`` does not
    compile them (``*.mo`` files are not in the repository): compile them once."""
    if HAS_MSGFMT:
        call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)
        # Catalogues loaded before the compilation would hide the fresh .mo files.
        trans_real._translations = {}
        trans_real._default = None
        trans_real._active = Local()
