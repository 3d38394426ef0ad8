import gc
import os
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingyi.settings")


class _FrozenWhenWarm:
    """After its first request, a worker's lasting objects are moved out of the garbage collector's sight.

    Imports, URL patterns, middleware, translations and templates make some 200,000 objects that live as
    long as the process, and every full collection walked them all: a pause that hit all workers at once in
    a burst of check-ins (bench/checkin.py: p95 two to three times the median). The first request builds most of
    what a worker keeps; one collection then, and the survivors are frozen (gc.freeze)."""

    def __init__(self, app: Any) -> None:
        self.app, self.warm = app, False

    def __call__(self, environ: dict, start_response: Any) -> Any:
        response = self.app(environ, start_response)
        if not self.warm:
            self.warm = True
            gc.collect()
            gc.freeze()
        return response


application = _FrozenWhenWarm(get_wsgi_application())

from pingyi.core.checks import refuse_development_key  # noqa: E402  needs the settings loaded above

refuse_development_key()
