from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from quiz.models import Choice, Drill, KeyPoint, ProblemReport, Question, Term, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh", "slug", "order"]
    ordering = ["order"]


class KeyPointInline(admin.TabularInline):
    model = KeyPoint
    extra = 0
    fields = ["position", "text_en", "text_zh", "keywords_en", "keywords_zh", "misconceptions", "archived"]


class DrillInline(admin.StackedInline):
    model = Drill
    extra = 0
    fields = ["position", "prompt_en", "prompt_zh", "explanation_en", "explanation_zh", "archived"]
    show_change_link = True


class FollowUpInline(admin.StackedInline):
    model = Question
    fk_name = "parent"
    extra = 0
    fields = ["slug", "position", "prompt_en", "prompt_zh", "answer_en", "answer_zh", "archived"]
    show_change_link = True
    verbose_name = _("follow-up")
    verbose_name_plural = _("follow-ups")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["slug", "topic", "difficulty", "seed", "archived", "updated_at"]
    list_filter = ["topic", "difficulty", "archived", ("parent", admin.EmptyFieldListFilter)]
    search_fields = ["slug", "prompt_en", "prompt_zh"]
    list_select_related = ["topic"]
    inlines = [KeyPointInline, DrillInline, FollowUpInline]
    readonly_fields = ["created_at", "updated_at"]
    raw_id_fields = ["parent"]


class ExactlyOneCorrectFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if sum(bool(f.cleaned_data.get("is_correct")) for f in kept) != 1:
            raise ValidationError(_("Mark exactly one option as correct."))


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ExactlyOneCorrectFormSet
    extra = 0


@admin.register(Drill)
class DrillAdmin(admin.ModelAdmin):
    list_display = ["question", "position", "prompt_en", "archived"]
    search_fields = ["question__slug", "prompt_en", "prompt_zh"]
    inlines = [ChoiceInline]
    raw_id_fields = ["question"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["term_en", "term_zh", "slug"]
    search_fields = ["term_en", "term_zh", "slug"]


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ["question", "kind", "user", "language", "created_at", "resolved"]
    list_filter = ["resolved", "kind", "language"]
    list_editable = ["resolved"]
    search_fields = ["question__slug", "details", "user__username"]
    raw_id_fields = ["question", "user"]
    date_hierarchy = "created_at"
