from django.urls import path

from quiz.views import accounts, history, pages, practice, questions

app_name = "quiz"

urlpatterns = [
    path("", pages.home, name="home"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("practice/", practice.practice, name="practice"),
    path("practice/start/", practice.start_practice, name="start_practice"),
    path("practice/session/<int:pk>/", practice.practice_session, name="practice_session"),
    path("practice/session/<int:pk>/reveal/", practice.reveal_answer, name="reveal_answer"),
    path("practice/session/<int:pk>/answer/", practice.submit_answer, name="submit_answer"),
    path("practice/session/<int:pk>/item/<int:position>/", practice.practice_feedback, name="practice_feedback"),
    path("question/<slug:slug>/flag/", practice.flag_question, name="flag_question"),
    path("mock/", pages.mock, name="mock"),
    path("review/", pages.review, name="review"),
    path("questions/", questions.topic_list, name="topics"),
    path("questions/<slug:slug>/", questions.topic_detail, name="topic"),
    path("question/<slug:slug>/", questions.question_detail, name="question"),
    path("question/<slug:slug>/report/", questions.report_problem, name="report_problem"),
    path("glossary/", questions.glossary, name="glossary"),
    path("history/", history.history, name="history"),
    path("settings/", accounts.account_settings, name="settings"),
]
