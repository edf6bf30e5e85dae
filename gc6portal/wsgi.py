from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gc6portal.settings")

application = get_wsgi_application()

from gc6portal.secret_key import require_secret_key  # noqa: E402  (after the settings)

require_secret_key()
