from django.urls import path

from quiz.views import pages, questions

app_name = "quiz"

urlpatterns = [
    path("", pages.home, name="home"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("practice/", pages.practice, name="practice"),
    path("mock/", pages.mock, name="mock"),
    path("review/", pages.review, name="review"),
    path("questions/", questions.topic_list, name="topics"),
    path("questions/<slug:slug>/", questions.topic_detail, name="topic"),
    path("question/<slug:slug>/", questions.question_detail, name="question"),
    path("question/<slug:slug>/report/", questions.report_problem, name="report_problem"),
    path("glossary/", questions.glossary, name="glossary"),
]
