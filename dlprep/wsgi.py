import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dlprep.settings")
application = get_wsgi_application()

# Load the Chinese word segmenter at start (about a second), not on the first Chinese answer.
from quiz.matching import warm_up  # noqa: E402

warm_up()
