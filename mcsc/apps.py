from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class McscConfig(AppConfig):
    name = "mcsc"
    verbose_name = _("Municipalities and councils")
    default_auto_field = "django.db.models.BigAutoField"
