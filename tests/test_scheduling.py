"""The bridge to fsrs (fuzzing is off in test settings, so intervals are exact)."""

from datetime import UTC, datetime, timedelta

import pytest

from quiz import scheduling
from quiz.models import LEECH_LAPSES, Card, State

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def new_card() -> Card:
    return Card(pk=1)


def test_a_new_card_previews_four_increasing_intervals():
    due = scheduling.preview(new_card(), now=NOW, desired_retention=0.9)

    waits = [due[rating] - NOW for rating in (1, 2, 3, 4)]
    assert waits == sorted(waits)
    assert waits[0] == timedelta(minutes=1)
    assert waits[3] >= timedelta(days=1)


def test_preview_does_not_change_the_card():
    card = new_card()
    scheduling.preview(card, now=NOW, desired_retention=0.9)

    assert (card.state, card.stability, card.last_review) == (State.LEARNING, None, None)


def test_review_moves_the_card_and_matches_its_preview():
    card = new_card()
    expected = scheduling.preview(card, now=NOW, desired_retention=0.9)[4]

    outcome = scheduling.review(card, rating=4, now=NOW, desired_retention=0.9, duration_ms=5000)

    assert card.state == State.REVIEW
    assert card.due == expected == outcome.due_after
    assert card.last_review == NOW
    assert outcome.state_before == State.LEARNING


def test_higher_desired_retention_gives_shorter_intervals():
    def easy_interval(retention):
        card = new_card()
        scheduling.review(card, rating=4, now=NOW, desired_retention=retention, duration_ms=None)
        return card.due - NOW

    assert easy_interval(0.97) < easy_interval(0.9) < easy_interval(0.7)


def test_forgetting_a_learned_card_counts_a_lapse_and_eight_make_a_leech():
    card = new_card()
    now = NOW
    scheduling.review(card, rating=4, now=now, desired_retention=0.9, duration_ms=None)
    for _ in range(LEECH_LAPSES):
        now = card.due
        scheduling.review(card, rating=1, now=now, desired_retention=0.9, duration_ms=None)  # forgot: relearning
        now = card.due
        scheduling.review(card, rating=4, now=now, desired_retention=0.9, duration_ms=None)  # back to review
    assert card.lapses == LEECH_LAPSES
    assert card.is_leech


def test_again_while_still_learning_is_not_a_lapse():
    card = new_card()
    scheduling.review(card, rating=1, now=NOW, desired_retention=0.9, duration_ms=None)

    assert card.lapses == 0


@pytest.mark.parametrize("days", [1, 10, 100])
def test_retrievability_falls_with_time(days):
    card = new_card()
    scheduling.review(card, rating=3, now=NOW, desired_retention=0.9, duration_ms=None)
    scheduling.review(card, rating=3, now=card.due, desired_retention=0.9, duration_ms=None)
    later = card.last_review + timedelta(days=days)

    assert 0 < scheduling.retrievability(card, at=later) < scheduling.retrievability(card, at=card.last_review) <= 1


def test_an_unseen_card_has_no_retrievability():
    assert scheduling.retrievability(None, at=NOW) == 0.0
    assert scheduling.retrievability(new_card(), at=NOW) == 0.0
