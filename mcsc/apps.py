from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class McscConfig(AppConfig):
    name = "mcsc"
    verbose_name = _("Municipalities and councils")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from mcsc.profiles import language_at_sign_in

        # Django's own sign-in signal: the session starts in the user's language.
        user_logged_in.connect(language_at_sign_in, dispatch_uid="mcsc.language_at_sign_in")
