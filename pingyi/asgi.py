import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingyi.settings")
application = get_asgi_application()

from pingyi.core.checks import refuse_development_key  # noqa: E402  needs the settings loaded above

refuse_development_key()
