from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quiz.models import Confidence, Difficulty, DifficultyMix, PracticeMode, ProblemReport, Profile, Topic


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only used to reset your password, once you open the link we send to it."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self):
        # Never "this address is taken": that would tell anyone which addresses have accounts
        # (quiz/registration.py mails the address instead).
        return self.cleaned_data["email"].strip()


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("New e-mail address"), max_length=254)


class ProblemReportForm(forms.ModelForm):
    class Meta:
        model = ProblemReport
        fields = ("kind", "details")
        widgets = {
            "kind": forms.RadioSelect,
            "details": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        }
        help_texts = {"details": _("Optional: what should it say instead?")}


class TopicChoiceField(forms.ModelMultipleChoiceField):
    """Ids that no database column can hold (above 2^63 − 1) are invalid choices, not a crash."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if not text.isascii() or not text.isdigit() or len(text) > 19 or int(text) > 2**63 - 1:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


def topics_field(help_text) -> forms.ModelMultipleChoiceField:
    """Topic checkboxes where none ticked means every topic."""
    return TopicChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class PracticeFilterForm(forms.Form):
    topics = topics_field(_("Leave all unticked to practise every topic."))
    difficulty = forms.ChoiceField(label=_("Difficulty"), choices=[("", _("Any")), *Difficulty.choices], required=False)


class PracticeForm(PracticeFilterForm):
    SIZES = [(5, "5"), (10, "10"), (20, "20"), (30, "30")]

    mode = forms.ChoiceField(label=_("Mode"), choices=PracticeMode.choices, widget=forms.RadioSelect)
    size = forms.IntegerField(
        label=_("Questions"), min_value=1, max_value=50, initial=10, widget=forms.Select(choices=SIZES)
    )
    # "Retry this session's mistakes": only the questions of that session (of this user).
    from_session = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)


class RevealForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(required=False, max_length=10_000, widget=forms.Textarea)


class RecallAnswerForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(choices=[(1, "1"), (2, "2"), (3, "3"), (4, "4")], coerce=int)
    points = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=[])

    def __init__(self, *args, key_points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"].choices = [(p.pk, p.pk) for p in key_points]


class DrillAnswerForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    choice = forms.TypedChoiceField(coerce=int, choices=[], error_messages={"required": _("Pick an option.")})

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(c.pk, c.pk) for c in choices]


class SettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=[(z, z) for z in sorted(available_timezones())])

    class Meta:
        model = Profile
        fields = ("interview_date", "time_zone", "desired_retention", "new_per_day", "reviews_per_day")
        widgets = {
            "interview_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "desired_retention": forms.NumberInput(attrs={"min": 0.7, "max": 0.97, "step": 0.01}),
        }

    def clean_interview_date(self):
        date = self.cleaned_data["interview_date"]
        if date and date < timezone.localdate():
            raise forms.ValidationError(_("Choose a date from today on."))
        return date

    def clean_desired_retention(self):
        value = self.cleaned_data["desired_retention"]
        if not 0.7 <= value <= 0.97:
            raise forms.ValidationError(_("Choose a value between 0.70 and 0.97."))
        return value


class MockSetupForm(forms.Form):
    LENGTHS = [(5, "5"), (10, "10"), (20, "20")]

    length = forms.TypedChoiceField(label=_("Questions"), choices=LENGTHS, coerce=int, initial=10)
    minutes = forms.TypedChoiceField(
        label=_("Time limit"),
        coerce=float,
        required=False,
        empty_value=None,
        help_text=_("Automatic gives about 2.5 minutes per question."),
    )
    topics = topics_field(_("Leave all unticked for a mix of every topic."))
    mix = forms.ChoiceField(label=_("Difficulty"), choices=DifficultyMix.choices, initial=DifficultyMix.BALANCED)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].choices = [("", _("Automatic"))] + [
            (f"{m:g}", _("%(minutes)s minutes") % {"minutes": f"{m:g}"}) for m in settings.MOCK_TIME_LIMITS
        ]


class MockAnswerForm(forms.Form):
    answer = forms.CharField(required=False, max_length=10_000, strip=False)
    choice = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, choices=[])
    confidence = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, choices=Confidence.choices)
    flagged = forms.BooleanField(required=False)
    go = forms.CharField(required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(c.pk, c.pk) for c in choices]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(
        label=_("I understand that my answers, schedule and mock interviews are deleted for good.")
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password
