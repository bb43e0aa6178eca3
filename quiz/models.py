"""The question bank and each user's answer history.

Translated content is stored as one column per language (`prompt_en`, `prompt_zh`) and read
through `Translated` descriptors (`question.prompt`), which follow the active language and fall
back to English. Two languages and no per-field configuration: plainer than a translation
framework, and the columns say exactly what the bank files say.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def content_language() -> str:
    """'zh' when the active UI language is Chinese, else 'en' (the column suffix)."""
    return "zh" if (get_language() or "").lower().startswith("zh") else "en"


class Translated:
    """`obj.<name>` reads `<name>_zh` or `<name>_en` for the active language, English as fallback."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, f"{self.name}_{content_language()}") or getattr(obj, f"{self.name}_en")


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class TopicQuerySet(models.QuerySet):
    def with_question_counts(self):
        """Annotates `question_count`: active (not archived) top-level questions."""
        return self.annotate(
            question_count=Count(
                "questions", filter=Q(questions__archived=False, questions__parent__isnull=True), distinct=True
            )
        )


class Topic(models.Model):
    slug = models.SlugField(unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    name_en = models.CharField(max_length=100)
    name_zh = models.CharField(max_length=100)
    description_en = models.TextField(blank=True)
    description_zh = models.TextField(blank=True)

    name = Translated()
    description = Translated()

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self):
        return self.name_en

    def get_absolute_url(self):
        return reverse("quiz:topic", args=[self.slug])


class QuestionQuerySet(models.QuerySet):
    def active(self):
        """Questions users practise: not archived, and not a follow-up of another question."""
        return self.filter(archived=False, parent__isnull=True)

    def in_topics(self, topics):
        """Only questions of these topics; an empty selection means every topic."""
        return self.filter(topic__in=topics) if topics else self

    def of_difficulty(self, difficulty: str):
        return self.filter(difficulty=difficulty) if difficulty else self

    def unseen_by(self, user):
        """Questions the user has never had reviewed (no FSRS review yet)."""
        return self.exclude(pk__in=Card.objects.for_user(user).reviewed().values("question"))

    def mistakes_of(self, user):
        """Questions whose latest review by the user was rated Again (a wrong drill counts)."""
        return self.filter(pk__in=Card.objects.for_user(user).filter(last_rating=1).values("question"))


class Question(models.Model):
    """A question of the bank. Follow-ups are Questions too (with `parent` set), so they are
    answered, scored and scheduled exactly like any other question."""

    slug = models.SlugField(max_length=120, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups")
    position = models.PositiveSmallIntegerField(default=0, help_text=_("Order within the topic file."))
    difficulty = models.CharField(max_length=6, choices=Difficulty.choices, default=Difficulty.MEDIUM)
    seed = models.PositiveSmallIntegerField(
        null=True, blank=True, unique=True, help_text=_("Number (1–49) on the seed page, if it came from there.")
    )
    prompt_en = models.TextField()
    prompt_zh = models.TextField()
    answer_en = models.TextField(help_text=_("Markdown with $…$ math."))
    answer_zh = models.TextField(help_text=_("Markdown with $…$ math."))
    archived = models.BooleanField(default=False, help_text=_("Removed from the bank files; history is kept."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    prompt = Translated()
    answer = Translated()

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["topic__order", "position", "slug"]
        constraints = [
            models.CheckConstraint(condition=Q(seed__isnull=True) | Q(seed__range=(1, 49)), name="seed_1_to_49"),
        ]

    def __str__(self):
        return self.slug

    def get_absolute_url(self):
        return reverse("quiz:question", args=[self.slug])


class KeyPoint(models.Model):
    """One thing a good answer says, with the words that show it in a typed answer."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="key_points")
    position = models.PositiveSmallIntegerField()
    text_en = models.CharField(max_length=300)
    text_zh = models.CharField(max_length=300)
    keywords_en = models.JSONField(default=list, help_text=_("Keyword patterns (docs/question-bank.md)."))
    keywords_zh = models.JSONField(default=list, help_text=_("Keyword patterns (docs/question-bank.md)."))
    misconceptions = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Wrong claims that contradict this point: [{en, zh, keywords_en, keywords_zh}]."),
    )
    archived = models.BooleanField(default=False, help_text=_("Dropped from the bank files; kept for history."))

    text = Translated()

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "position"], condition=Q(archived=False), name="unique_key_point_position"
            )
        ]

    def __str__(self):
        return self.text_en

    @property
    def keywords(self) -> list[str]:
        return [*self.keywords_en, *self.keywords_zh]


class Drill(models.Model):
    """A multiple-choice question that drills a bank question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="drills")
    position = models.PositiveSmallIntegerField()
    prompt_en = models.TextField()
    prompt_zh = models.TextField()
    explanation_en = models.TextField()
    explanation_zh = models.TextField()
    archived = models.BooleanField(default=False, help_text=_("Dropped from the bank files; kept for history."))

    prompt = Translated()
    explanation = Translated()

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "position"], condition=Q(archived=False), name="unique_drill_position"
            )
        ]

    def __str__(self):
        return self.prompt_en


class Choice(models.Model):
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    text_en = models.CharField(max_length=500)
    text_zh = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)

    text = Translated()

    class Meta:
        ordering = ["drill", "position"]
        constraints = [
            models.UniqueConstraint(fields=["drill", "position"], name="unique_choice_position"),
            # "Exactly one correct" is two halves: at most one here, at least one in the
            # importer and the admin formset.
            models.UniqueConstraint(fields=["drill"], condition=Q(is_correct=True), name="one_correct_choice"),
        ]

    def __str__(self):
        return self.text_en


class Term(models.Model):
    """A glossary entry: the same concept in both languages."""

    slug = models.SlugField(max_length=120, unique=True)
    term_en = models.CharField(max_length=120)
    term_zh = models.CharField(max_length=120)
    definition_en = models.TextField()
    definition_zh = models.TextField()

    term = Translated()
    definition = Translated()

    class Meta:
        ordering = ["term_en"]

    def __str__(self):
        return f"{self.term_en} / {self.term_zh}"


class Mode(models.TextChoices):
    RECALL = "recall", _("Recall")
    DRILL = "drill", _("Quick drill")
    MOCK = "mock", _("Mock interview")


class AttemptQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def misconceptions(self):
        """Newest first: the answers flagged as misconceptions (see `is_misconception`)."""
        return self.filter(misconception=True).order_by("-answered_at", "-id")


MISCONCEPTION_SCORE = 0.5


def is_misconception(*, confidence: int | None, score: float | None, stated: bool) -> bool:
    """An answer given with high confidence that scored below half, or one that stated a known
    misconception the user did not correct: the most useful things a mock can reveal."""
    sure_and_wrong = confidence == 3 and score is not None and score < MISCONCEPTION_SCORE
    return sure_and_wrong or stated


class Attempt(models.Model):
    """One answer by one user to one question: the unit of history. Never edited in place
    except to correct ticked key points; scores are derived from these rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempts")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    answer_text = models.TextField(blank=True)
    drill = models.ForeignKey(Drill, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(Choice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    key_points = models.ManyToManyField(KeyPoint, through="AttemptKeyPoint", related_name="+", blank=True)
    score = models.FloatField(null=True, blank=True, help_text=_("0–1: key-point coverage or drill correctness."))
    rating = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("FSRS rating 1–4."))
    started_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    session_item = models.OneToOneField(
        "SessionItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="attempt"
    )
    mock_item = models.OneToOneField(
        "MockItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="attempt"
    )
    confidence = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("Mock interviews: 1–3."))
    reveal_ms = models.PositiveIntegerField(null=True, blank=True, help_text=_("Time to reveal the answer."))
    duration_ms = models.PositiveIntegerField(null=True, blank=True, help_text=_("Total time on the question."))
    misconception = models.BooleanField(
        default=False, help_text=_("Sure and mostly wrong, or stated a misconception (is_misconception).")
    )

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-answered_at", "-id"]
        indexes = [
            models.Index(fields=["user", "answered_at", "id"]),
            models.Index(fields=["user", "question"]),
            models.Index(
                fields=["user", "answered_at", "id"], condition=Q(misconception=True), name="attempt_misconceptions"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__range=(0, 1)), name="score_0_to_1"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__range=(1, 4)), name="rating_1_to_4"),
        ]

    def __str__(self):
        return f"{self.user} · {self.question} · {self.answered_at:%Y-%m-%d}"


class AttemptKeyPoint(models.Model):
    """Which key points an open answer covered: detected by matching, ticked by the user."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="key_point_marks")
    key_point = models.ForeignKey(KeyPoint, on_delete=models.PROTECT, related_name="+")
    detected = models.BooleanField(default=False)
    ticked = models.BooleanField(default=False)
    contradicted = models.BooleanField(
        default=False, help_text=_("The answer stated a misconception about this point.")
    )
    evidence = models.JSONField(
        default=list, blank=True, help_text=_("[start, end] character spans of the answer that matched.")
    )
    misconception = models.JSONField(
        null=True, blank=True, help_text=_("The misconception the answer stated, as shown: {en, zh}.")
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "key_point"], name="unique_attempt_key_point")]

    def __str__(self):
        return f"{self.attempt_id} · {self.key_point_id} · {'ticked' if self.ticked else 'not ticked'}"

    @classmethod
    def from_verdict(cls, *, attempt, key_point, verdict, ticked: bool) -> "AttemptKeyPoint":
        """The mark of one key point from the detector's verdict (quiz.matching.Verdict)."""
        wrong = verdict.misconception
        return cls(
            attempt=attempt,
            key_point=key_point,
            detected=verdict.covered,
            contradicted=verdict.contradicted,
            evidence=[list(span) for span in verdict.evidence],
            misconception={"en": wrong.en, "zh": wrong.zh} if wrong else None,
            ticked=ticked,
        )

    @property
    def misconception_text(self) -> str:
        if not self.misconception:
            return ""
        return self.misconception.get(content_language()) or self.misconception.get("en", "")


class ProblemReport(models.Model):
    class Kind(models.TextChoices):
        WRONG = "wrong", _("The answer is wrong")
        UNCLEAR = "unclear", _("The question or answer is unclear")
        TRANSLATION = "translation", _("Translation problem")
        FORMULA = "formula", _("A formula does not display")
        DRILL = "drill", _("A multiple-choice option is wrong")
        OTHER = "other", _("Something else")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="problem_reports")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="problem_reports")
    kind = models.CharField(_("what is wrong"), max_length=12, choices=Kind.choices)
    details = models.TextField(_("details"), blank=True, max_length=2000)
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["resolved", "-created_at"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self):
        return f"{self.question} · {self.get_kind_display()}"


class Profile(models.Model):
    """Per-user settings."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    desired_retention = models.FloatField(
        _("desired retention"),
        default=0.9,
        help_text=_("How likely you want to be to remember a question when it comes back (0.70–0.97)."),
    )
    interview_date = models.DateField(
        _("interview date"),
        null=True,
        blank=True,
        help_text=_("The dashboard then predicts how much you will remember on that day."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        help_text=_("Days, streaks and the calendar follow this time zone."),
    )
    new_per_day = models.PositiveSmallIntegerField(
        _("new questions per day"),
        default=20,
        validators=[MaxValueValidator(9999)],
        help_text=_("At most this many questions are introduced each day (Anki's default is 20)."),
    )
    reviews_per_day = models.PositiveSmallIntegerField(
        _("maximum reviews per day"),
        default=200,
        validators=[MaxValueValidator(9999)],
        help_text=_("Due reviews beyond this wait for the next day; learning steps are never held back."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(desired_retention__range=(0.7, 0.97)), name="retention_in_range"),
        ]

    def __str__(self):
        return f"Profile of {self.user}"

    @classmethod
    def for_user(cls, user) -> "Profile":
        return cls.objects.get_or_create(user=user)[0]

    @property
    def interview_at(self) -> datetime | None:
        """The interview as a moment: 9:00 local time on the chosen day (None without a date)."""
        if self.interview_date is None:
            return None
        return datetime.combine(self.interview_date, time(9), tzinfo=self.zone)

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")


class RateLimit(models.Model):
    """How many times one client (or one e-mail address) did one limited thing in one fixed window.

    Kept in the database so that every app server counts the same hits. ``key`` is a hash, never the
    address itself; rows older than their window are deleted as new hits arrive.
    """

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window_start"], name="one_counter_per_window"),
        ]
        indexes = [models.Index(fields=["scope", "window_start"])]

    def __str__(self):
        return f"{self.scope} · {self.count} since {self.window_start:%Y-%m-%d %H:%M}"


class State(models.IntegerChoices):
    """FSRS card states (fsrs.State); an unseen card is Learning at step 0."""

    LEARNING = 1, _("Learning")
    REVIEW = 2, _("Review")
    RELEARNING = 3, _("Relearning")


LEECH_LAPSES = 8


LEARNING_STATES = (State.LEARNING, State.RELEARNING)


class CardQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def reviewed(self):
        return self.filter(last_review__isnull=False)

    def due(self, at=None):
        """Cards reviewed at least once whose next review is at or before `at` (default now)."""
        return self.reviewed().filter(due__lte=at or timezone.now())

    def leeches(self):
        return self.filter(lapses__gte=LEECH_LAPSES)


class Card(models.Model):
    """The FSRS scheduling state of one question for one user (quiz.scheduling converts it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cards")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="cards")
    state = models.PositiveSmallIntegerField(choices=State.choices, default=State.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True, default=0)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(default=timezone.now)
    last_review = models.DateTimeField(null=True, blank=True)
    lapses = models.PositiveIntegerField(default=0, help_text=_("Times forgotten after being learned."))
    last_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("The rating of the card's latest review (1 = Again: a mistake).")
    )
    flagged = models.BooleanField(default=False)

    objects = CardQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="one_card_per_user_question")]
        indexes = [
            models.Index(fields=["user", "due"]),
            models.Index(fields=["user", "flagged"]),
            models.Index(fields=["user", "last_rating"]),
        ]

    def __str__(self):
        return f"{self.user} · {self.question} · due {self.due:%Y-%m-%d %H:%M}"

    @property
    def is_leech(self) -> bool:
        return self.lapses >= LEECH_LAPSES


class ReviewLog(models.Model):
    """One FSRS review (fsrs.ReviewLog) of a card, tied to the answer that caused it."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reviews")
    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="review")
    rating = models.PositiveSmallIntegerField()
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    state_before = models.PositiveSmallIntegerField(choices=State.choices)
    due_after = models.DateTimeField()
    card_before = models.JSONField(
        null=True, blank=True, help_text=_("The card's scheduling fields before this review, so it can be undone.")
    )

    class Meta:
        ordering = ["reviewed_at"]
        indexes = [models.Index(fields=["card", "reviewed_at"])]

    def __str__(self):
        return f"{self.card} · {self.rating} · {self.reviewed_at:%Y-%m-%d}"


class PracticeMode(models.TextChoices):
    DUE = "due", _("Due reviews")
    NEW = "new", _("Learn new")
    RECALL = "recall", _("Recall")
    DRILL = "drill", _("Quick drill")
    MISTAKES = "mistakes", _("My mistakes")
    WEAK = "weak", _("Weak topics")
    FLAGGED = "flagged", _("Flagged")


class PracticeSession(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_sessions")
    mode = models.CharField(max_length=10, choices=PracticeMode.choices)
    topics = models.ManyToManyField(Topic, blank=True, related_name="+", help_text=_("None means all topics."))
    difficulty = models.CharField(max_length=6, choices=Difficulty.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} · {self.mode} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("quiz:practice_session", args=[self.pk])


class SessionItem(models.Model):
    """One question of a practice session, in order. A drill item has `drill` set. The answer
    points back here through a one-to-one field, so an item can be answered only once."""

    session = models.ForeignKey(PracticeSession, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    drill = models.ForeignKey(Drill, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    shown_at = models.DateTimeField(null=True, blank=True)
    revealed_at = models.DateTimeField(null=True, blank=True)
    draft_text = models.TextField(blank=True)
    # A learning step inside the session (Anki): an answer that leaves the card learning adds the
    # question again at the end, to be shown once its step is due.
    repeat_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="repeats")
    not_before = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "position"]
        constraints = [models.UniqueConstraint(fields=["session", "position"], name="unique_session_position")]

    def __str__(self):
        return f"{self.session_id} #{self.position}"


class DifficultyMix(models.TextChoices):
    BALANCED = "balanced", _("Balanced")
    EASIER = "easier", _("Mostly easy")
    HARDER = "harder", _("Mostly hard")


class Confidence(models.IntegerChoices):
    GUESS = 1, _("Guessing")
    UNSURE = 2, _("Fairly sure")
    SURE = 3, _("Sure")


class MockInterviewQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(finished_at__isnull=True)

    def expired(self, at=None):
        """In progress, but past the deadline and the grace period for in-flight saves."""
        grace = timedelta(seconds=settings.MOCK_GRACE_SECONDS)
        return self.in_progress().filter(deadline__lt=(at or timezone.now()) - grace)


class MockInterview(models.Model):
    class FinishReason(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Time ran out")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mock_interviews")
    length = models.PositiveSmallIntegerField()
    time_limit = models.DurationField()
    difficulty_mix = models.CharField(max_length=10, choices=DifficultyMix.choices, default=DifficultyMix.BALANCED)
    topics = models.ManyToManyField(Topic, blank=True, related_name="+", help_text=_("None means mixed topics."))
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(help_text=_("Stored at start; every request checks it."))
    finished_at = models.DateTimeField(null=True, blank=True)
    finish_reason = models.CharField(max_length=10, choices=FinishReason.choices, blank=True)
    current_position = models.PositiveSmallIntegerField(default=1)
    current_since = models.DateTimeField(null=True, blank=True)

    objects = MockInterviewQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(finished_at__isnull=True), name="one_mock_in_progress_per_user"
            ),
        ]
        indexes = [models.Index(fields=["user", "finished_at"])]

    def __str__(self):
        return f"{self.user} · {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("quiz:mock_interview", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    def seconds_left(self, at=None) -> float:
        return max(0.0, (self.deadline - (at or timezone.now())).total_seconds())

    def accepts_saves(self, at=None) -> bool:
        """Before the deadline, or within the grace period for saves that were in flight."""
        grace = timedelta(seconds=settings.MOCK_GRACE_SECONDS)
        return not self.is_finished and (at or timezone.now()) <= self.deadline + grace


class MockItem(models.Model):
    """One question of a mock interview and what the user has saved for it so far. A follow-up
    item (parent set) is asked only once its parent has an answer."""

    mock = models.ForeignKey(MockInterview, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    drill = models.ForeignKey(Drill, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    parent = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="follow_up_item"
    )
    answer_text = models.TextField(blank=True)
    choice = models.ForeignKey(Choice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confidence = models.PositiveSmallIntegerField(choices=Confidence.choices, null=True, blank=True)
    flagged = models.BooleanField(default=False)
    saved_at = models.DateTimeField(null=True, blank=True)
    time_spent_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["mock", "position"]
        constraints = [models.UniqueConstraint(fields=["mock", "position"], name="unique_mock_position")]

    def __str__(self):
        return f"{self.mock_id} #{self.position}"

    @property
    def is_answered(self) -> bool:
        return self.has_answer(self.choice_id, self.answer_text)

    @staticmethod
    def has_answer(choice_id, answer_text: str) -> bool:
        """A choice or some typed text (also for rows read as values)."""
        return bool(choice_id or answer_text.strip())


# Rollups: per-user caches of the answer rows, so pages cost the same whatever the length of the
# history. quiz.stats keeps them in the transaction of every verb that adds, removes or changes an
# answer, and recomputes them from the rows (`manage.py rebuild_stats`). Days are local days in the
# user's time zone; changing the zone recomputes them.


class DayStat(models.Model):
    """One user's answers on one local day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    answers = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0, help_text=_("Rated Hard or better."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_day_stat_per_user_day")]

    def __str__(self):
        return f"{self.user_id} · {self.day} · {self.answers}"


class TopicDayStat(models.Model):
    """One user's answers in one topic on one local day (the 30-day figures per topic)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    rated = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)
    timed = models.PositiveIntegerField(default=0, help_text=_("Answers with a duration."))
    time_ms = models.PositiveBigIntegerField(default=0, help_text=_("Sum of their durations, each capped."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day", "topic"], name="one_topic_day_stat_per_user_day_topic")
        ]

    def __str__(self):
        return f"{self.user_id} · {self.topic_id} · {self.day}"


class TopicStat(models.Model):
    """One user's all-time figures in one topic."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    answers = models.PositiveIntegerField(default=0)
    misconceptions = models.PositiveIntegerField(default=0)
    last_answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="one_topic_stat_per_user_topic")]

    def __str__(self):
        return f"{self.user_id} · {self.topic_id} · {self.answers}"
