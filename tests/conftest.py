import os

import pytest
from django.core.management import call_command

from tests.factories import make_user

# Sync Playwright runs an event loop in the test thread; Django's ORM refuses to run there
# unless told it is safe (it is: one thread, one connection).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real question bank once; every test sees it (and rolls back its own changes)."""
    with django_db_blocker.unblock():
        call_command("import_questions", verbosity=0)


@pytest.fixture
def user(db):
    return make_user(username="ada")


@pytest.fixture
def other_user(db):
    return make_user(username="grace")


@pytest.fixture
def client_logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"
